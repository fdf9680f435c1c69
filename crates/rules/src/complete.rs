//! Editor support: syntax highlighting tokens and completion of keywords and resource names.
//! It knows the grammar of SPEC §2, so the app does not have to.

use crate::codes::Code;
use crate::codes::DELETION_WINDOW_DAYS;
use crate::model::{Health, KeyState, Kind, Role};
use crate::names::DEFAULT_KEY;
use crate::report::StateView;
use crate::syntax::grammar::{self, kw};
use crate::syntax::STATEMENT_KEYWORDS;
use serde::Serialize;

/// What a token of a scenario line is, for colouring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    Keyword,
    Name,
    Number,
    Code,
    Comment,
    /// Free text (a title).
    Text,
}

impl TokenKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            TokenKind::Keyword => "keyword",
            TokenKind::Name => "name",
            TokenKind::Number => "number",
            TokenKind::Code => "code",
            TokenKind::Comment => "comment",
            TokenKind::Text => "text",
        }
    }
}

/// A token: byte range in the line and its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
}

fn is_keyword_word(w: &str) -> bool {
    grammar::is_inner_keyword(w)
}

/// Splits one line into tokens (keywords, names, numbers, codes, comment, title text).
pub fn highlight(line: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let (content, comment) = match line.find('#') {
        Some(i) => (line.get(..i).unwrap_or(""), Some(i)),
        None => (line, None),
    };
    let mut first = true;
    let mut pos = 0;
    for word in content.split([' ', '\t']) {
        let start = pos;
        pos += word.len() + 1;
        if word.is_empty() {
            continue;
        }
        if first && word == kw::TITLE {
            out.push(Token {
                start,
                end: start + word.len(),
                kind: TokenKind::Keyword,
            });
            let rest = start + word.len();
            if rest < content.len() {
                out.push(Token {
                    start: rest,
                    end: content.len(),
                    kind: TokenKind::Text,
                });
            }
            break;
        }
        let kind =
            if (first && STATEMENT_KEYWORDS.contains(&word)) || (!first && is_keyword_word(word)) {
                TokenKind::Keyword
            } else if Code::parse(word).is_some() {
                TokenKind::Code
            } else if word.bytes().all(|b| b.is_ascii_digit() || b == b'-')
                && word.bytes().any(|b| b.is_ascii_digit())
            {
                TokenKind::Number
            } else {
                TokenKind::Name
            };
        first = false;
        out.push(Token {
            start,
            end: start + word.len(),
            kind,
        });
    }
    if let Some(c) = comment {
        out.push(Token {
            start: c,
            end: line.len(),
            kind: TokenKind::Comment,
        });
    }
    out
}

/// Completions for the word being typed at the end of `prefix` (the line up to the cursor).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Completion {
    /// Byte offset in the line where the word being completed starts.
    pub start: usize,
    /// Candidates, best first.
    pub items: Vec<String>,
}

fn names_of(state: &StateView, kind: Kind) -> Vec<String> {
    match kind {
        Kind::Keys => state.keys.iter().map(|k| k.name.clone()).collect(),
        Kind::Images => state.images.iter().map(|k| k.name.clone()).collect(),
        Kind::Servers => state.servers.iter().map(|k| k.name.clone()).collect(),
        Kind::Disks => state.disks.iter().map(|k| k.name.clone()).collect(),
        Kind::Snapshots => state.snapshots.iter().map(|k| k.name.clone()).collect(),
        Kind::Backups => state.backups.iter().map(|k| k.name.clone()).collect(),
        Kind::Configs => state.configs.iter().map(|k| k.name.clone()).collect(),
    }
}

fn words(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

/// What may stand after `done` (the complete words before the cursor).
fn candidates(done: &[&str], state: &StateView) -> Vec<String> {
    let names = |k: Kind| names_of(state, k);
    let keys = || {
        let mut v = names(Kind::Keys);
        if !v.iter().any(|k| k == DEFAULT_KEY) {
            v.push(DEFAULT_KEY.to_owned());
        }
        v
    };
    let detached = || {
        state
            .disks
            .iter()
            .filter(|d| d.attached_to.is_none())
            .map(|d| d.name.clone())
            .collect::<Vec<_>>()
    };
    let attached = || {
        state
            .disks
            .iter()
            .filter(|d| d.attached_to.is_some())
            .map(|d| d.name.clone())
            .collect::<Vec<_>>()
    };
    let last = done.last().copied().unwrap_or("");
    let option_value = |opt: &str| -> Option<Vec<String>> {
        Some(match opt {
            kw::ENCRYPT => keys(),
            kw::FROM_SNAPSHOT => names(Kind::Snapshots),
            kw::FROM_BACKUP => names(Kind::Backups),
            kw::IMAGE => names(Kind::Images),
            kw::CONFIG => names(Kind::Configs),
            kw::SYSTEM_DISK | kw::DISK => names(Kind::Disks),
            kw::FROM_SERVER => names(Kind::Servers),
            _ => return None,
        })
    };
    // The options not given yet, without those that exclude one already given.
    let options_left = |table: &[&str], exclusive: &[&str]| -> Vec<String> {
        let used: Vec<&str> = done.iter().skip(3).copied().collect();
        let excluded = exclusive.iter().any(|o| used.contains(o));
        table
            .iter()
            .filter(|o| !used.contains(o))
            .filter(|o| !(excluded && exclusive.contains(o)))
            .map(|s| (*s).to_owned())
            .collect()
    };
    match done {
        [] => {
            let mut v = words(&[kw::TITLE]);
            v.extend(
                words(STATEMENT_KEYWORDS)
                    .into_iter()
                    .filter(|w| w != kw::TITLE),
            );
            v
        }
        [kw::ROLE] => words(Role::WORDS),
        [kw::KMS] => words(grammar::KMS_VERBS),
        [kw::KEY] => words(grammar::KEY_VERBS),
        [kw::KEY, kw::CREATE] => Vec::new(),
        [kw::KEY, kw::SCHEDULE_DELETION, _] => {
            vec![DELETION_WINDOW_DAYS.start().to_string(), "30".to_owned()]
        }
        [kw::KEY, _] => names(Kind::Keys),
        [kw::IMAGE] => words(grammar::IMAGE_VERBS),
        [kw::IMAGE, kw::IMPORT, _] => words(grammar::IMPORT_OPTIONS),
        [kw::IMAGE, kw::CREATE, _] => words(grammar::FROM_SERVER),
        [kw::SERVER] => words(grammar::SERVER_VERBS),
        [kw::SERVER, kw::CREATE, ..] => match option_value(last) {
            Some(v) if done.len() > 3 || last != kw::CREATE => v,
            _ if done.len() >= 3 => options_left(grammar::SERVER_OPTIONS, &[kw::IMAGE, kw::CONFIG]),
            _ => Vec::new(),
        },
        [kw::SERVER, _] => names(Kind::Servers),
        [kw::DISK] => words(grammar::DISK_VERBS),
        [kw::DISK, kw::CREATE, _, ..] => match option_value(last) {
            Some(v) if done.len() > 3 => v,
            _ => options_left(grammar::DISK_OPTIONS, &[kw::FROM_SNAPSHOT, kw::FROM_BACKUP]),
        },
        [kw::DISK, kw::CREATE] => Vec::new(),
        [kw::DISK, kw::ENCRYPT, _] => keys(),
        [kw::DISK, _] => names(Kind::Disks),
        [kw::ATTACH] => detached(),
        [kw::ATTACH, _] => names(Kind::Servers),
        [kw::ATTACH, _, _] => words(&[kw::AS]),
        [kw::ATTACH, _, _, kw::AS] => words(&[kw::SYSTEM]),
        [kw::DETACH] => attached(),
        [kw::SNAPSHOT | kw::BACKUP] => words(grammar::COPY_VERBS),
        [kw::SNAPSHOT | kw::BACKUP, kw::CREATE, _] => words(grammar::OF_DISK),
        [kw::SNAPSHOT | kw::BACKUP, kw::CREATE, _, kw::DISK] => names(Kind::Disks),
        [kw::SNAPSHOT, kw::DELETE] => names(Kind::Snapshots),
        [kw::BACKUP, kw::DELETE] => names(Kind::Backups),
        [kw::CONFIG] => words(&[kw::CREATE]),
        [kw::CONFIG, kw::CREATE, _] => words(grammar::FROM_SERVER),
        [kw::CONFIG, kw::CREATE, _, kw::FROM_SERVER] => names(Kind::Servers),
        [kw::IMAGE, kw::IMPORT, _, kw::ENCRYPT] => keys(),
        [kw::IMAGE, kw::CREATE, _, kw::FROM_SERVER] => names(Kind::Servers),
        [kw::EXPECT] => {
            let mut v = words(grammar::EXPECT_HEADS);
            for k in Kind::ALL {
                v.extend(names(*k));
            }
            v
        }
        [kw::EXPECT, kw::WARN | kw::FAIL] => {
            Code::ALL.iter().map(|c| c.as_str().to_owned()).collect()
        }
        [kw::EXPECT, kw::COUNT, _] => words(Kind::WORDS),
        [kw::EXPECT, kw::COUNT] => Vec::new(),
        [kw::EXPECT, _] => words(grammar::PREDICATES),
        [kw::EXPECT, _, kw::ENCRYPTED] => keys(),
        [kw::EXPECT, _, kw::ATTACHED] => names(Kind::Servers),
        [kw::EXPECT, _, kw::HEALTH] => words(Health::WORDS),
        [kw::EXPECT, _, kw::STATE] => words(KeyState::WORDS),
        _ => Vec::new(),
    }
}

/// Completes the word at the end of `prefix` (the current line up to the cursor) against the
/// grammar and the names that exist in `state`.
pub fn complete(prefix: &str, state: &StateView) -> Completion {
    let content = match prefix.find('#') {
        Some(_) => return Completion::default(),
        None => prefix,
    };
    let trailing_space = content.ends_with([' ', '\t']) || content.is_empty();
    let all: Vec<&str> = content
        .split([' ', '\t'])
        .filter(|w| !w.is_empty())
        .collect();
    let (done, partial) = if trailing_space {
        (all.as_slice(), "")
    } else {
        match all.split_last() {
            Some((last, rest)) => (rest, *last),
            None => (&[][..], ""),
        }
    };
    if done.first() == Some(&kw::TITLE) {
        return Completion::default();
    }
    let start = content.len() - partial.len();
    let mut items: Vec<String> = candidates(done, state)
        .into_iter()
        .filter(|c| c.starts_with(partial) && c != partial)
        .collect();
    items.dedup();
    items.truncate(50);
    Completion { start, items }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluate;

    #[test]
    fn tokens() {
        let t = highlight("disk create d1 encrypt k1 # note");
        let kinds: Vec<_> = t.iter().map(|t| t.kind).collect();
        assert_eq!(
            kinds,
            vec![
                TokenKind::Keyword,
                TokenKind::Keyword,
                TokenKind::Name,
                TokenKind::Keyword,
                TokenKind::Name,
                TokenKind::Comment
            ]
        );
        assert_eq!((t[2].start, t[2].end), (12, 14));
        let t = highlight("expect fail KEY_DELETED");
        assert_eq!(t[2].kind, TokenKind::Code);
        let t = highlight("title Hello # there");
        assert_eq!(t[1].kind, TokenKind::Text);
        assert_eq!(t[2].kind, TokenKind::Comment);
        assert_eq!(highlight("wait 7")[1].kind, TokenKind::Number);
    }

    #[test]
    fn completes_keywords_then_names_of_the_right_kind() {
        let r = evaluate("role security-admin\nkms grant\nkey create k1\nserver create web\ndisk create d1 encrypt k1\nsnapshot create s1 disk d1");
        let s = &r.state;
        assert!(complete("di", s).items.contains(&"disk".to_owned()));
        assert_eq!(complete("disk cr", s).items, vec!["create"]);
        assert_eq!(complete("disk cr", s).start, 5);
        assert_eq!(complete("attach ", s).items, vec!["d1"]);
        assert_eq!(complete("attach d1 ", s).items, vec!["web"]);
        assert_eq!(complete("detach ", s).items, vec!["web-sys"]);
        assert_eq!(
            complete("disk create d2 from-snapshot ", s).items,
            vec!["s1"]
        );
        assert_eq!(
            complete("disk create d2 from-snapshot s1 ", s).items,
            vec!["encrypt"]
        );
        assert_eq!(
            complete("disk create d2 encrypt ", s).items,
            vec!["k1", "evs/default"]
        );
        assert_eq!(complete("key disable ", s).items, vec!["k1"]);
        assert_eq!(complete("expect d1 health ", s).items.len(), 4);
        assert!(complete("expect fail KEY_U", s)
            .items
            .contains(&"KEY_UNAVAILABLE".to_owned()));
        assert_eq!(
            complete("server create w image ", s).items,
            Vec::<String>::new()
        );
        assert_eq!(
            complete("server create w ", s).items,
            vec!["image", "config", "system-disk"]
        );
        assert!(complete("title x", s).items.is_empty());
        assert!(complete("disk # c", s).items.is_empty());
    }
}
