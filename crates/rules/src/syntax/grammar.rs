//! The grammar of SPEC §2: every word of the language, the tables that list which words may
//! follow which, and the parsing of one line's words into a [`StatementOf`] or [`ExpectationOf`].
//!
//! The words live here and nowhere else: [`StatementOf`]'s `Display` writes them from [`kw`],
//! completion and highlighting read the tables below.

use super::errors::{one_of, PResult, ParseError, ParseErrorCode};
use super::statement::{DiskFrom, ExpectationOf, Source, StatementKind, StatementOf};
use super::tokens::{for_each_line, Cursor};
use crate::codes::{Code, Outcome};
use crate::codes::{DELETION_WINDOW_DAYS, WAIT_DAYS};
use crate::model::{Health, KeyState, Kind, Role};
use crate::names;

/// Every keyword of the language.
pub(crate) mod kw {
    pub const TITLE: &str = "title";
    pub const ROLE: &str = "role";
    pub const KMS: &str = "kms";
    pub const KEY: &str = "key";
    pub const WAIT: &str = "wait";
    pub const IMAGE: &str = "image";
    pub const SERVER: &str = "server";
    pub const DISK: &str = "disk";
    pub const ATTACH: &str = "attach";
    pub const DETACH: &str = "detach";
    pub const SNAPSHOT: &str = "snapshot";
    pub const BACKUP: &str = "backup";
    pub const CONFIG: &str = "config";
    pub const EXPECT: &str = "expect";

    pub const GRANT: &str = "grant";
    pub const CREATE: &str = "create";
    pub const DISABLE: &str = "disable";
    pub const ENABLE: &str = "enable";
    pub const SCHEDULE_DELETION: &str = "schedule-deletion";
    pub const CANCEL_DELETION: &str = "cancel-deletion";
    pub const IMPORT: &str = "import";
    pub const ENCRYPT: &str = "encrypt";
    pub const FROM_SERVER: &str = "from-server";
    pub const SYSTEM_DISK: &str = "system-disk";
    pub const STOP: &str = "stop";
    pub const START: &str = "start";
    pub const DELETE: &str = "delete";
    pub const DECRYPT: &str = "decrypt";
    pub const FROM_SNAPSHOT: &str = "from-snapshot";
    pub const FROM_BACKUP: &str = "from-backup";
    pub const AS: &str = "as";
    pub const SYSTEM: &str = "system";

    pub const OK: &str = "ok";
    pub const WARN: &str = "warn";
    pub const FAIL: &str = "fail";
    pub const COUNT: &str = "count";
    pub const ENCRYPTED: &str = "encrypted";
    pub const UNENCRYPTED: &str = "unencrypted";
    pub const ATTACHED: &str = "attached";
    pub const DETACHED: &str = "detached";
    pub const HEALTH: &str = "health";
    pub const STATE: &str = "state";
}

/// The first word of every line that is not blank or a comment (title first).
pub const STATEMENT_KEYWORDS: &[&str] = &[
    kw::TITLE,
    kw::ROLE,
    kw::KMS,
    kw::KEY,
    kw::WAIT,
    kw::IMAGE,
    kw::SERVER,
    kw::DISK,
    kw::ATTACH,
    kw::DETACH,
    kw::SNAPSHOT,
    kw::BACKUP,
    kw::CONFIG,
    kw::EXPECT,
];

/// What follows `kms`.
pub(crate) const KMS_VERBS: &[&str] = &[kw::GRANT];
/// What follows `key`.
pub(crate) const KEY_VERBS: &[&str] = &[
    kw::CREATE,
    kw::DISABLE,
    kw::ENABLE,
    kw::SCHEDULE_DELETION,
    kw::CANCEL_DELETION,
];
/// What follows `image`.
pub(crate) const IMAGE_VERBS: &[&str] = &[kw::IMPORT, kw::CREATE];
/// What follows `server`.
pub(crate) const SERVER_VERBS: &[&str] = &[kw::CREATE, kw::STOP, kw::START, kw::DELETE];
/// What follows `disk`.
pub(crate) const DISK_VERBS: &[&str] = &[kw::CREATE, kw::ENCRYPT, kw::DECRYPT, kw::DELETE];
/// What follows `snapshot` and `backup`.
pub(crate) const COPY_VERBS: &[&str] = &[kw::CREATE, kw::DELETE];
/// What follows `config`.
pub(crate) const CONFIG_VERBS: &[&str] = &[kw::CREATE];
/// The options of `server create NAME`, in canonical order; `image` and `config` exclude
/// each other.
pub(crate) const SERVER_OPTIONS: &[&str] = &[kw::IMAGE, kw::CONFIG, kw::SYSTEM_DISK];
/// The options of `disk create NAME`, in canonical order; the two `from-` exclude each other.
pub(crate) const DISK_OPTIONS: &[&str] = &[kw::FROM_SNAPSHOT, kw::FROM_BACKUP, kw::ENCRYPT];
/// The option of `image import NAME`.
pub(crate) const IMPORT_OPTIONS: &[&str] = &[kw::ENCRYPT];
/// `from-server` (after `image create NAME` and `config create NAME`).
pub(crate) const FROM_SERVER: &[&str] = &[kw::FROM_SERVER];
/// `disk` (after `snapshot create NAME` and `backup create NAME`).
pub(crate) const OF_DISK: &[&str] = &[kw::DISK];
/// `as system` (after `attach DISK SERVER`).
pub(crate) const AS_SYSTEM: &[&str] = &[kw::AS, kw::SYSTEM];
/// What may follow `expect` as a keyword (otherwise a resource name).
pub(crate) const EXPECT_HEADS: &[&str] = &[kw::OK, kw::WARN, kw::FAIL, kw::COUNT];
/// What follows `expect RESOURCE`.
pub(crate) const PREDICATES: &[&str] = &[
    kw::ENCRYPTED,
    kw::UNENCRYPTED,
    kw::ATTACHED,
    kw::DETACHED,
    kw::HEALTH,
    kw::STATE,
];

/// Every table of words that may stand after a line's first word (for highlighting).
pub(crate) const WORD_TABLES: &[&[&str]] = &[
    KMS_VERBS,
    KEY_VERBS,
    IMAGE_VERBS,
    SERVER_VERBS,
    DISK_VERBS,
    COPY_VERBS,
    SERVER_OPTIONS,
    DISK_OPTIONS,
    IMPORT_OPTIONS,
    FROM_SERVER,
    OF_DISK,
    AS_SYSTEM,
    EXPECT_HEADS,
    PREDICATES,
    Role::WORDS,
    Kind::WORDS,
    Health::WORDS,
    KeyState::WORDS,
];

/// A `title` line.
pub(crate) fn title_line(text: &str) -> String {
    format!("{} {text}", kw::TITLE)
}

/// Whether `word` is a keyword when it is not the first word of a line.
pub(crate) fn is_inner_keyword(word: &str) -> bool {
    WORD_TABLES.iter().any(|t| t.contains(&word))
}

/// Where the grammar puts the names it reads: the program's interner, or owned strings.
pub(crate) trait NameSink {
    type Name;
    /// Keeps a name that follows the name grammar.
    fn name(&mut self, word: &str) -> Self::Name;
    /// The known name nearest to a word that is not a valid name, for "did you mean".
    fn suggest(&mut self, word: &str) -> Option<String>;
}

/// Names as owned strings, with no names to suggest.
pub(crate) struct Owned;

impl NameSink for Owned {
    type Name = String;
    fn name(&mut self, word: &str) -> String {
        word.to_owned()
    }
    fn suggest(&mut self, _: &str) -> Option<String> {
        None
    }
}

/// A name of the given kind ("a disk name"); suggests a near known name on a typo.
fn name<S: NameSink>(sink: &mut S, cur: &mut Cursor<'_>, what: &str) -> PResult<S::Name> {
    match cur.peek() {
        Some(w) if names::is_valid_name(w) => {
            cur.bump();
            Ok(sink.name(w))
        }
        Some(w) => {
            let sugg = sink.suggest(w);
            Err(cur.error_here(
                format!("{what} (letters, digits and . _ / -, starting with a letter or digit, at most 64)"),
                sugg,
            ))
        }
        None => Err(cur.error_here(what, None)),
    }
}

/// The first word of a line.
pub(crate) fn first_keyword(cur: &mut Cursor<'_>) -> PResult<&'static str> {
    cur.keyword(
        STATEMENT_KEYWORDS,
        "a statement keyword (key, disk, server, attach, …) or expect",
    )
}

/// What may follow a statement's first word: its verbs (none when the first word is the
/// statement) and the statements they start, in the same order.
fn after(head: &str) -> (&'static [&'static str], &'static [StatementKind]) {
    use StatementKind as K;
    match head {
        kw::ROLE => (&[], &[K::Role]),
        kw::KMS => (KMS_VERBS, &[K::KmsGrant]),
        kw::KEY => (
            KEY_VERBS,
            &[
                K::KeyCreate,
                K::KeyDisable,
                K::KeyEnable,
                K::KeyScheduleDeletion,
                K::KeyCancelDeletion,
            ],
        ),
        kw::WAIT => (&[], &[K::Wait]),
        kw::IMAGE => (IMAGE_VERBS, &[K::ImageImport, K::ImageCreate]),
        kw::SERVER => (
            SERVER_VERBS,
            &[
                K::ServerCreate,
                K::ServerStop,
                K::ServerStart,
                K::ServerDelete,
            ],
        ),
        kw::DISK => (
            DISK_VERBS,
            &[K::DiskCreate, K::DiskEncrypt, K::DiskDecrypt, K::DiskDelete],
        ),
        kw::ATTACH => (&[], &[K::Attach]),
        kw::DETACH => (&[], &[K::Detach]),
        kw::SNAPSHOT => (COPY_VERBS, &[K::SnapshotCreate, K::SnapshotDelete]),
        kw::BACKUP => (COPY_VERBS, &[K::BackupCreate, K::BackupDelete]),
        kw::CONFIG => (CONFIG_VERBS, &[K::ConfigCreate]),
        _ => (&[], &[]),
    }
}

/// Reads the verb after the first word `head` (when it takes one): which statement the line
/// is. Tests check that every kind is found from its own [`StatementKind::words`].
fn statement_kind(cur: &mut Cursor<'_>, head: &str) -> PResult<StatementKind> {
    let (verbs, kinds) = after(head);
    let at = match verbs {
        [] => 0,
        _ => cur.one_of(verbs)?,
    };
    match kinds.get(at) {
        Some(&kind) => Ok(kind),
        // Unreachable while the tables agree with the kinds.
        None => Err(cur.error_here(one_of(STATEMENT_KEYWORDS), None)),
    }
}

/// The rest of a statement whose first word `keyword` was read (not `title` or `expect`).
/// Does not check the end of the line.
pub(crate) fn statement<S: NameSink>(
    sink: &mut S,
    cur: &mut Cursor<'_>,
    keyword: &str,
) -> PResult<StatementOf<S::Name>> {
    use StatementKind as K;
    let kind = statement_kind(cur, keyword)?;
    Ok(match kind {
        K::Role => {
            let r = cur.keyword_with(Role::WORDS, || one_of(Role::WORDS))?;
            StatementOf::Role(Role::parse(r).unwrap_or(Role::Member))
        }
        K::KmsGrant => StatementOf::KmsGrant,
        K::KeyCreate => StatementOf::KeyCreate(name(sink, cur, "a key name")?),
        K::KeyDisable => StatementOf::KeyDisable(name(sink, cur, "a key name")?),
        K::KeyEnable => StatementOf::KeyEnable(name(sink, cur, "a key name")?),
        K::KeyScheduleDeletion => {
            let k = name(sink, cur, "a key name")?;
            let days = integer(cur, || {
                format!(
                    "a number of days ({} to {})",
                    DELETION_WINDOW_DAYS.start(),
                    DELETION_WINDOW_DAYS.end()
                )
            })?;
            StatementOf::KeyScheduleDeletion(k, days)
        }
        K::KeyCancelDeletion => StatementOf::KeyCancelDeletion(name(sink, cur, "a key name")?),
        K::Wait => StatementOf::Wait(wait_days(cur)?),
        K::ImageImport => {
            let image = name(sink, cur, "an image name")?;
            let key = if cur.at_end() {
                None
            } else {
                cur.keyword_with(IMPORT_OPTIONS, || one_of(&[kw::ENCRYPT, "end of line"]))?;
                Some(name(sink, cur, "a key name")?)
            };
            StatementOf::ImageImport { image, key }
        }
        K::ImageCreate => {
            let (image, server) = made_from_server(sink, cur, "an image name")?;
            StatementOf::ImageCreate { image, server }
        }
        K::ServerCreate => server_create(sink, cur)?,
        K::ServerStop => StatementOf::ServerStop(name(sink, cur, "a server name")?),
        K::ServerStart => StatementOf::ServerStart(name(sink, cur, "a server name")?),
        K::ServerDelete => StatementOf::ServerDelete(name(sink, cur, "a server name")?),
        K::DiskCreate => disk_create(sink, cur)?,
        K::DiskEncrypt => {
            let d = name(sink, cur, "a disk name")?;
            StatementOf::DiskEncrypt(d, name(sink, cur, "a key name")?)
        }
        K::DiskDecrypt => StatementOf::DiskDecrypt(name(sink, cur, "a disk name")?),
        K::DiskDelete => StatementOf::DiskDelete(name(sink, cur, "a disk name")?),
        K::Attach => attach(sink, cur)?,
        K::Detach => StatementOf::Detach(name(sink, cur, "a disk name")?),
        K::SnapshotCreate => {
            let (snapshot, disk) = copy_of_disk(sink, cur, "a snapshot name")?;
            StatementOf::SnapshotCreate { snapshot, disk }
        }
        K::SnapshotDelete => StatementOf::SnapshotDelete(name(sink, cur, "a snapshot name")?),
        K::BackupCreate => {
            let (backup, disk) = copy_of_disk(sink, cur, "a backup name")?;
            StatementOf::BackupCreate { backup, disk }
        }
        K::BackupDelete => StatementOf::BackupDelete(name(sink, cur, "a backup name")?),
        K::ConfigCreate => {
            let (config, server) = made_from_server(sink, cur, "a config name")?;
            StatementOf::ConfigCreate { config, server }
        }
    })
}

/// `wait DAYS`.
fn wait_days(cur: &mut Cursor<'_>) -> PResult<u64> {
    match cur.peek().and_then(natural) {
        Some(d) if WAIT_DAYS.contains(&d) => {
            cur.bump();
            Ok(d)
        }
        _ => {
            let what = format!(
                "a number of days from {} to {}",
                WAIT_DAYS.start(),
                WAIT_DAYS.end()
            );
            Err(cur.error_here(what, None))
        }
    }
}

/// `NAME from-server SERVER` (after `image create` and `config create`).
fn made_from_server<S: NameSink>(
    sink: &mut S,
    cur: &mut Cursor<'_>,
    noun: &str,
) -> PResult<(S::Name, S::Name)> {
    let made = name(sink, cur, noun)?;
    cur.keyword(FROM_SERVER, kw::FROM_SERVER)?;
    Ok((made, name(sink, cur, "a server name")?))
}

/// `NAME disk DISK` (after `snapshot create` and `backup create`).
fn copy_of_disk<S: NameSink>(
    sink: &mut S,
    cur: &mut Cursor<'_>,
    noun: &str,
) -> PResult<(S::Name, S::Name)> {
    let copy = name(sink, cur, noun)?;
    cur.keyword(OF_DISK, kw::DISK)?;
    Ok((copy, name(sink, cur, "a disk name")?))
}

/// `attach DISK SERVER [as system]`.
fn attach<S: NameSink>(sink: &mut S, cur: &mut Cursor<'_>) -> PResult<StatementOf<S::Name>> {
    let disk = name(sink, cur, "a disk name")?;
    let server = name(sink, cur, "a server name")?;
    let system = if cur.at_end() {
        false
    } else {
        cur.keyword(&[kw::AS], "as system or end of line")?;
        cur.keyword(&[kw::SYSTEM], kw::SYSTEM)?;
        true
    };
    Ok(StatementOf::Attach {
        disk,
        server,
        system,
    })
}

fn with_end_of_line(table: &[&str]) -> String {
    let mut words = table.to_vec();
    words.push("end of line");
    one_of(&words)
}

fn server_create<S: NameSink>(sink: &mut S, cur: &mut Cursor<'_>) -> PResult<StatementOf<S::Name>> {
    let server = name(sink, cur, "a server name")?;
    let mut source = None;
    let mut system_disk = None;
    let mut seen = 0u8;
    while !cur.at_end() {
        let (opt, here) = cur.option(
            SERVER_OPTIONS,
            || with_end_of_line(SERVER_OPTIONS),
            &mut seen,
        )?;
        match opt {
            kw::IMAGE | kw::CONFIG if source.is_some() => {
                cur.pos = here;
                return Err(cur.error_here("either image or config, not both", None));
            }
            kw::IMAGE => source = Some(Source::Image(name(sink, cur, "an image name")?)),
            kw::CONFIG => source = Some(Source::Config(name(sink, cur, "a config name")?)),
            _ => system_disk = Some(name(sink, cur, "a disk name")?),
        }
    }
    Ok(StatementOf::ServerCreate {
        server,
        source,
        system_disk,
    })
}

fn disk_create<S: NameSink>(sink: &mut S, cur: &mut Cursor<'_>) -> PResult<StatementOf<S::Name>> {
    let disk = name(sink, cur, "a disk name")?;
    let mut from = None;
    let mut key = None;
    let mut seen = 0u8;
    while !cur.at_end() {
        let (opt, here) = cur.option(DISK_OPTIONS, || with_end_of_line(DISK_OPTIONS), &mut seen)?;
        match opt {
            kw::FROM_SNAPSHOT | kw::FROM_BACKUP if from.is_some() => {
                cur.pos = here;
                return Err(cur.error_here("either from-snapshot or from-backup, not both", None));
            }
            kw::FROM_SNAPSHOT => {
                from = Some(DiskFrom::Snapshot(name(sink, cur, "a snapshot name")?))
            }
            kw::FROM_BACKUP => from = Some(DiskFrom::Backup(name(sink, cur, "a backup name")?)),
            _ => key = Some(name(sink, cur, "a key name")?),
        }
    }
    Ok(StatementOf::DiskCreate { disk, from, key })
}

/// The rest of an `expect` line (after `expect`), up to and including the end of the line.
pub(crate) fn expectation<S: NameSink>(
    sink: &mut S,
    cur: &mut Cursor<'_>,
) -> PResult<ExpectationOf<S::Name>> {
    let first = cur.peek();
    let second = cur.peek_second();
    let outcome_form = first.is_some_and(|w| EXPECT_HEADS.contains(&w))
        && !second.is_some_and(|w| PREDICATES.contains(&w));
    let e = if outcome_form {
        expect_outcome(cur, first.unwrap_or_default())?
    } else {
        let heads = || format!("{} or a resource name", EXPECT_HEADS.join(", "));
        if first.is_none() {
            return Err(cur.error_here(heads(), None));
        }
        if let Some(w) = first.filter(|w| !names::is_valid_name(w)) {
            // A typo of ok/warn/fail/count is likelier than a bad name.
            let sugg = names::nearest(w, EXPECT_HEADS.iter().copied()).map(str::to_owned);
            if sugg.is_some() {
                return Err(cur.error_here(heads(), sugg));
            }
        }
        let r = match cur.peek() {
            Some(w) if names::is_valid_name(w) => name(sink, cur, "")?,
            _ => name(sink, cur, &heads())?,
        };
        let pred = cur.keyword_with(PREDICATES, || one_of(PREDICATES))?;
        match pred {
            kw::ENCRYPTED => ExpectationOf::Encrypted(r, name(sink, cur, "a key name")?),
            kw::UNENCRYPTED => ExpectationOf::Unencrypted(r),
            kw::ATTACHED => ExpectationOf::Attached(r, name(sink, cur, "a server name")?),
            kw::DETACHED => ExpectationOf::Detached(r),
            kw::HEALTH => {
                let h = cur.keyword_with(Health::WORDS, || one_of(Health::WORDS))?;
                ExpectationOf::Health(r, Health::parse(h).unwrap_or(Health::Healthy))
            }
            _ => {
                let s = cur.keyword_with(KeyState::WORDS, || one_of(KeyState::WORDS))?;
                ExpectationOf::State(r, KeyState::parse(s).unwrap_or(KeyState::Enabled))
            }
        }
    };
    cur.end()?;
    Ok(e)
}

/// `ok`, `warn [CODE]`, `fail [CODE]`, `count N KIND` (the head word not yet read).
fn expect_outcome<N>(cur: &mut Cursor<'_>, head: &str) -> PResult<ExpectationOf<N>> {
    cur.bump();
    Ok(match head {
        kw::OK => ExpectationOf::Outcome(Outcome::Ok, None),
        kw::COUNT => {
            let n = match cur.peek().and_then(natural) {
                Some(n) => {
                    cur.bump();
                    n
                }
                None => return Err(cur.error_here("a count (a whole number)", None)),
            };
            let k = cur.keyword_with(Kind::WORDS, || format!("a kind: {}", one_of(Kind::WORDS)))?;
            ExpectationOf::Count(n, Kind::parse(k).unwrap_or(Kind::Keys))
        }
        w => {
            let outcome = if w == kw::WARN {
                Outcome::Warn
            } else {
                Outcome::Fail
            };
            let code = match cur.peek() {
                None => None,
                Some(c) => match Code::parse(c) {
                    Some(code) => {
                        cur.bump();
                        Some(code)
                    }
                    None => {
                        let sugg = names::nearest(c, Code::ALL.iter().map(|c| c.as_str()))
                            .map(str::to_owned)
                            .or_else(|| {
                                let up = c.to_ascii_uppercase();
                                Code::parse(&up).map(|c| c.as_str().to_owned())
                            });
                        return Err(cur.error_here(
                            "an outcome code (such as KEY_UNAVAILABLE) or end of line",
                            sugg,
                        ));
                    }
                },
            };
            ExpectationOf::Outcome(outcome, code)
        }
    })
}

/// A whole statement line: its keyword, its words, the end of the line.
pub(crate) fn statement_line<S: NameSink>(
    sink: &mut S,
    cur: &mut Cursor<'_>,
) -> PResult<StatementOf<S::Name>> {
    let k = first_keyword(cur)?;
    if k == kw::TITLE || k == kw::EXPECT {
        cur.pos = 0;
        return Err(cur.error_here(
            "a statement (title and expect lines are not statements)",
            None,
        ));
    }
    let s = statement(sink, cur, k)?;
    cur.end()?;
    Ok(s)
}

/// A whole `expect` line.
pub(crate) fn expectation_line<S: NameSink>(
    sink: &mut S,
    cur: &mut Cursor<'_>,
) -> PResult<ExpectationOf<S::Name>> {
    cur.keyword(&[kw::EXPECT], kw::EXPECT)?;
    expectation(sink, cur)
}

/// Parses a text of exactly one line (a trailing line end is allowed) with `parse`.
pub(crate) fn parse_one<T>(
    text: &str,
    parse: impl Fn(&mut Owned, &mut Cursor<'_>) -> PResult<T>,
) -> PResult<T> {
    let text = text.strip_suffix('\n').unwrap_or(text);
    if let Some(i) = text.find('\n') {
        let before = text.get(..i).unwrap_or("");
        let column = u32::try_from(before.chars().count() + 1).unwrap_or(u32::MAX);
        return Err(ParseError::new(
            1,
            column,
            ParseErrorCode::SyntaxError,
            "one line",
            "a line break",
            None,
        ));
    }
    let mut result = None;
    for_each_line(text, |line| {
        let mut cur = Cursor::new(&line);
        result = Some(parse(&mut Owned, &mut cur));
    });
    result.unwrap_or_else(|| {
        Err(ParseError::new(
            1,
            1,
            ParseErrorCode::SyntaxError,
            "a line",
            "nothing",
            None,
        ))
    })
}

/// `[0-9]+` as a number, saturating.
pub(crate) fn natural(word: &str) -> Option<u64> {
    if word.is_empty() || !word.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(word.parse().unwrap_or(u64::MAX))
}

/// `-?[0-9]+` as a number, saturating; consumes the word.
fn integer(cur: &mut Cursor<'_>, what: impl FnOnce() -> String) -> PResult<i64> {
    let w = cur.peek().unwrap_or_default();
    let (neg, digits) = match w.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, w),
    };
    match natural(digits) {
        Some(n) => {
            cur.bump();
            let n = i64::try_from(n).unwrap_or(i64::MAX);
            Ok(if neg { -n } else { n })
        }
        None => Err(cur.error_here(what(), None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The statement kind the first words of `text` choose, as the parser finds it.
    fn kind_of_line(text: &str) -> Option<StatementKind> {
        let mut found = None;
        for_each_line(text, |line| {
            let mut cur = Cursor::new(&line);
            if let Ok(head) = first_keyword(&mut cur) {
                found = statement_kind(&mut cur, head).ok();
            }
        });
        found
    }

    #[test]
    fn every_statement_kind_is_found_from_its_own_words() {
        for &kind in StatementKind::ALL {
            let (head, verb) = kind.words();
            assert!(STATEMENT_KEYWORDS.contains(&head), "{kind:?}");
            let line = match verb {
                Some(verb) => format!("{head} {verb}"),
                None => head.to_owned(),
            };
            assert_eq!(kind_of_line(&line), Some(kind), "{line}");
        }
    }

    #[test]
    fn every_first_word_and_verb_in_the_tables_names_exactly_one_statement() {
        let heads = STATEMENT_KEYWORDS
            .iter()
            .filter(|h| **h != kw::TITLE && **h != kw::EXPECT);
        for &head in heads {
            let (verbs, kinds) = after(head);
            let verbs: Vec<Option<&str>> = match verbs {
                [] => vec![None],
                verbs => verbs.iter().map(|v| Some(*v)).collect(),
            };
            // The kinds of a first word are its verbs' statements, in the verbs' order.
            let words: Vec<_> = kinds.iter().map(|k| k.words()).collect();
            let expected: Vec<_> = verbs.iter().map(|&v| (head, v)).collect();
            assert_eq!(words, expected, "{head}");
            for verb in verbs {
                let kinds = StatementKind::ALL
                    .iter()
                    .filter(|k| k.words() == (head, verb));
                assert_eq!(kinds.count(), 1, "{head} {verb:?}");
            }
        }
    }
}
