//! The scenario language of SPEC §2: lines → statements and expectations, or positioned errors.
//!
//! The parser never stops at an error: every line is parsed on its own, and a line with an
//! error simply yields a [`ParseError`] instead of an item.
//!
//! | module | what it holds |
//! | --- | --- |
//! | `tokens` | lines and words with their offsets (BOM, comments, tabs, CRLF) and the `Cursor` the grammar reads |
//! | `grammar` | every keyword, the grammar tables (completion and highlighting read them), the parsing of a line's words |
//! | `statement` | [`Statement`] and [`Expectation`]: the one statement model, its `Display` and `FromStr` |
//! | `errors` | [`ParseError`], its codes and messages |

mod errors;
pub(crate) mod grammar;
mod statement;
mod tokens;

pub use errors::{ParseError, ParseErrorCode};
pub use grammar::STATEMENT_KEYWORDS;
pub use statement::{
    DiskFrom, Expectation, ExpectationOf, Source, Statement, StatementKind, StatementOf,
};

use crate::names::{self, Interner, NameId};
use grammar::{kw, NameSink};
use std::ops::Range;
use tokens::{for_each_line, Cursor};

/// The comment line that starts a scenario's planned changes: `keyline import` writes it
/// between a Terraform plan's rebuilt prior state and its planned changes, and the app marks
/// the statements after it. A comment, so it changes no verdict.
pub const PLANNED_MARKER: &str = "# planned changes";

/// A statement with its names interned (what the evaluator reads).
pub(crate) type Stmt = StatementOf<NameId>;
/// An expectation with its names interned.
pub(crate) type Expect = ExpectationOf<NameId>;

/// What a non-blank line holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemKind {
    Statement(StatementOf<NameId>),
    Expect(ExpectationOf<NameId>),
}

/// A parsed line: its 1-based number, the byte range of its text (comment and edges trimmed)
/// in [`Program::source`], and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub line: u32,
    pub text: Range<usize>,
    pub kind: ItemKind,
}

/// A parsed scenario: the (UTF-8) source, its items, its errors and the names it mentions.
#[derive(Debug, Clone, Default)]
pub struct Program {
    pub source: String,
    pub title: Option<String>,
    pub items: Vec<Item>,
    pub errors: Vec<ParseError>,
    pub names: Interner,
}

impl Program {
    /// Parses a scenario text. Never fails: errors are collected per line.
    pub fn parse(text: &str) -> Program {
        let mut p = Parser::new(text.to_owned());
        p.run(&[]);
        p.finish()
    }

    /// Parses raw bytes: lines that are not UTF-8 get an `INVALID_UTF8` error at the first bad
    /// byte's column, and every other line is parsed as usual.
    pub fn parse_bytes(bytes: &[u8]) -> Program {
        match std::str::from_utf8(bytes) {
            Ok(text) => Program::parse(text),
            Err(_) => {
                let mut source = String::with_capacity(bytes.len());
                let mut bad = Vec::new();
                for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
                    if i > 0 {
                        source.push('\n');
                    }
                    match std::str::from_utf8(line) {
                        Ok(s) => source.push_str(s),
                        Err(e) => {
                            let valid = line.get(..e.valid_up_to()).unwrap_or(line);
                            let col = String::from_utf8_lossy(valid).chars().count() + 1;
                            bad.push((i + 1, col));
                            source.push_str(&String::from_utf8_lossy(line));
                        }
                    }
                }
                let mut p = Parser::new(source);
                p.run(&bad);
                p.finish()
            }
        }
    }

    /// The text of an item (its line without comment, trimmed).
    pub fn text(&self, item: &Item) -> &str {
        self.source.get(item.text.clone()).unwrap_or("")
    }

    /// The 1-based line of the first [`PLANNED_MARKER`] line (surrounding blanks ignored):
    /// the statements after it are the planned changes. `None` when there is none.
    pub fn planned_from(&self) -> Option<u32> {
        self.source
            .split('\n')
            .position(|line| line.trim() == PLANNED_MARKER)
            .and_then(|i| u32::try_from(i + 1).ok())
    }

    /// The statements, in order, with names interned.
    pub fn statements(&self) -> impl Iterator<Item = (&Item, &StatementOf<NameId>)> {
        self.items.iter().filter_map(|i| match &i.kind {
            ItemKind::Statement(s) => Some((i, s)),
            ItemKind::Expect(_) => None,
        })
    }

    /// How many statements the program has.
    pub fn statement_count(&self) -> usize {
        self.statements().count()
    }

    /// An item's statement with its names as text, if the item is a statement.
    pub fn statement(&self, item: &Item) -> Option<Statement> {
        match &item.kind {
            ItemKind::Statement(s) => Some(s.map(|&id| self.names.name(id).to_owned())),
            ItemKind::Expect(_) => None,
        }
    }

    /// An item's expectation with its names as text, if the item is an `expect` line.
    pub fn expectation(&self, item: &Item) -> Option<Expectation> {
        match &item.kind {
            ItemKind::Expect(e) => Some(e.map(|&id| self.names.name(id).to_owned())),
            ItemKind::Statement(_) => None,
        }
    }
}

struct Parser {
    source: String,
    title: Option<String>,
    items: Vec<Item>,
    errors: Vec<ParseError>,
    names: Interner,
    seen_statement: bool,
    /// Levenshtein comparisons left for name suggestions, so hostile input stays linear.
    suggestion_budget: usize,
}

/// The program's parser interns every name as soon as it reads it (also on lines that turn
/// out to have an error, so later typos can be matched against them).
impl NameSink for Parser {
    type Name = NameId;

    fn name(&mut self, word: &str) -> NameId {
        self.names.intern(word)
    }

    fn suggest(&mut self, word: &str) -> Option<String> {
        let n = self.names.names().count();
        if self.suggestion_budget < n || word.len() > names::MAX_NAME_LEN + 4 {
            return None;
        }
        self.suggestion_budget -= n;
        names::nearest(word, self.names.names()).map(str::to_owned)
    }
}

impl Parser {
    fn new(source: String) -> Self {
        Parser {
            source,
            title: None,
            items: Vec::new(),
            errors: Vec::new(),
            names: Interner::default(),
            seen_statement: false,
            suggestion_budget: 200_000,
        }
    }

    fn finish(self) -> Program {
        Program {
            source: self.source,
            title: self.title,
            items: self.items,
            errors: self.errors,
            names: self.names,
        }
    }

    /// Parses every line; `bad_utf8` lists (line, column) of lines that were not UTF-8.
    fn run(&mut self, bad_utf8: &[(usize, usize)]) {
        let source = std::mem::take(&mut self.source);
        let mut bad = bad_utf8.iter().peekable();
        for_each_line(&source, |line| {
            if let Some(&&(l, col)) = bad.peek() {
                if l == line.number as usize {
                    bad.next();
                    self.errors.push(ParseError::new(
                        line.number,
                        u32::try_from(col).unwrap_or(u32::MAX),
                        ParseErrorCode::InvalidUtf8,
                        "UTF-8 text",
                        "a byte sequence that is not UTF-8",
                        None,
                    ));
                    return;
                }
            }
            let (Some(&(first_off, _)), Some(&(last_off, last))) =
                (line.words.first(), line.words.last())
            else {
                return;
            };
            let text = line.start + first_off..line.start + last_off + last.len();
            let mut cur = Cursor::new(&line);
            match self.line(&mut cur, line.content) {
                Ok(Some(kind)) => {
                    if matches!(kind, ItemKind::Statement(_)) {
                        self.seen_statement = true;
                    }
                    self.items.push(Item {
                        line: line.number,
                        text,
                        kind,
                    });
                }
                Ok(None) => {}
                Err(e) => self.errors.push(e),
            }
        });
        self.source = source;
    }

    fn line(
        &mut self,
        cur: &mut Cursor<'_>,
        content: &str,
    ) -> Result<Option<ItemKind>, ParseError> {
        let Some(first) = cur.peek() else {
            return Ok(None);
        };
        if first == kw::TITLE {
            let rest = content
                .trim_start_matches([' ', '\t'])
                .strip_prefix(kw::TITLE)
                .unwrap_or("")
                .trim_matches([' ', '\t']);
            if self.title.is_none() {
                self.title = Some(rest.to_owned());
            }
            return Ok(None);
        }
        let keyword = grammar::first_keyword(cur)?;
        if keyword == kw::EXPECT {
            if !self.seen_statement {
                let (off, _) = cur.words.first().copied().unwrap_or((0, ""));
                return Err(ParseError::new(
                    cur.line,
                    cur.column_of(off),
                    ParseErrorCode::ExpectWithoutStatement,
                    "a statement",
                    "none",
                    None,
                ));
            }
            return grammar::expectation(self, cur).map(|e| Some(ItemKind::Expect(e)));
        }
        let stmt = grammar::statement(self, cur, keyword)?;
        cur.end()?;
        Ok(Some(ItemKind::Statement(stmt)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::{Code, Outcome};

    fn err(text: &str) -> ParseError {
        let p = Program::parse(text);
        assert_eq!(p.errors.len(), 1, "{text}: {:?}", p.errors);
        p.errors[0].clone()
    }

    #[test]
    fn parses_every_statement_form() {
        let text = "title T\nrole security-admin\nkms grant\nkey create k1\nkey disable k1\nkey enable k1\n\
            key schedule-deletion k1 7\nkey cancel-deletion k1\nwait 3\nimage import i1 encrypt k1\n\
            image import i2\nimage create i3 from-server s1\nserver create s1\n\
            server create s2 system-disk d9 image i1\nserver create s3 config c1\nserver stop s1\n\
            server start s1\nserver delete s1\ndisk create d1\ndisk create d2 encrypt k1 from-snapshot sn\n\
            disk create d3 from-backup b1\ndisk encrypt d1 k1\ndisk decrypt d1\ndisk delete d1\n\
            attach d1 s1\nattach d1 s1 as system\ndetach d1\nsnapshot create sn disk d1\n\
            snapshot delete sn\nbackup create b1 disk d1\nbackup delete b1\nconfig create c1 from-server s1\n";
        let p = Program::parse(text);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(p.statement_count(), 31);
        assert_eq!(p.title.as_deref(), Some("T"));
    }

    #[test]
    fn parses_expectations() {
        let text = "kms grant\nexpect ok\nexpect warn\nexpect fail KEY_DELETED\nexpect d1 encrypted k1\n\
            expect d1 unencrypted\nexpect d1 attached s1\nexpect d1 detached\nexpect d1 health at-risk\n\
            expect k1 state pending-deletion\nexpect count 3 disks\nexpect ok encrypted k1\n";
        let p = Program::parse(text);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let exps: Vec<_> = p
            .items
            .iter()
            .filter_map(|i| match &i.kind {
                ItemKind::Expect(e) => Some(e.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(exps.len(), 11);
        assert_eq!(
            exps[2],
            ExpectationOf::Outcome(Outcome::Fail, Some(Code::KEY_DELETED))
        );
        // `ok` can be a resource name when a predicate follows.
        assert!(matches!(exps[10], ExpectationOf::Encrypted(_, _)));
    }

    #[test]
    fn comments_tabs_and_crlf() {
        let p = Program::parse("# only a comment\r\n\tkey\tcreate  k1   # trailing\r\n");
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let item = &p.items[0];
        assert_eq!(item.line, 2);
        assert_eq!(p.text(item), "key\tcreate  k1");
    }

    #[test]
    fn positions_and_suggestions() {
        let e = err("dsk create d1");
        assert_eq!((e.line, e.column), (1, 1));
        assert_eq!(e.suggestion.as_deref(), Some("disk"));

        let e = err("key create k1\ndisk creat d1");
        assert_eq!((e.line, e.column), (2, 6));
        assert_eq!(e.suggestion.as_deref(), Some("create"));

        let e = err("key create k1\ndisk create d1 encrypt k1!");
        assert_eq!((e.line, e.column), (2, 24));
        assert_eq!(e.suggestion.as_deref(), Some("k1"));

        let e = err("key create k1\nexpect fail KEY_DELETD");
        assert_eq!((e.line, e.column), (2, 13));
        assert_eq!(e.suggestion.as_deref(), Some("KEY_DELETED"));

        let e = err("key create k1\nexpect fail key_deleted");
        assert_eq!(e.suggestion.as_deref(), Some("KEY_DELETED"));

        let e = err("key create");
        assert_eq!((e.line, e.column), (1, 11));
        assert_eq!(e.found, "end of line");

        let e = err("key create k1 extra");
        assert_eq!(e.column, 15);
        assert_eq!(e.expected, "end of line");
    }

    #[test]
    fn columns_count_characters() {
        let e = err("title é\n  diśk create d1");
        assert_eq!((e.line, e.column), (2, 3));
        let e = err("key create k1 # é\nkey create é");
        assert_eq!((e.line, e.column), (2, 12));
    }

    #[test]
    fn option_rules() {
        assert_eq!(
            err("server create s image i config c").expected,
            "either image or config, not both"
        );
        assert_eq!(
            err("disk create d from-snapshot s from-backup b").column,
            31
        );
        assert!(err("disk create d encrypt k encrypt k")
            .expected
            .contains("at most once"));
        assert!(err("server create s system-disk a system-disk b")
            .expected
            .contains("at most once"));
    }

    #[test]
    fn numbers() {
        assert_eq!(err("wait 0").expected, "a number of days from 1 to 100000");
        assert_eq!(err("wait 100001").column, 6);
        assert!(err("wait x").found.contains('x'));
        let p = Program::parse(
            "key schedule-deletion k -3\nkey schedule-deletion k 99999999999999999999999",
        );
        assert!(p.errors.is_empty());
        assert_eq!(
            p.items[0].kind,
            ItemKind::Statement(StatementOf::KeyScheduleDeletion(0, -3))
        );
        assert_eq!(
            p.items[1].kind,
            ItemKind::Statement(StatementOf::KeyScheduleDeletion(0, i64::MAX))
        );
        assert!(err("key schedule-deletion k 7d").expected.contains("days"));
    }

    #[test]
    fn expect_without_statement() {
        let p = Program::parse("title x\nexpect ok\nkms grant\nexpect ok");
        assert_eq!(p.errors.len(), 1);
        assert_eq!(p.errors[0].code, ParseErrorCode::ExpectWithoutStatement);
        assert_eq!(p.errors[0].line, 2);
        assert!(p.errors[0]
            .to_string()
            .starts_with("2:1: EXPECT_WITHOUT_STATEMENT"));
    }

    #[test]
    fn errors_never_hide_other_lines() {
        let p = Program::parse("key create k1\nbogus\nkey create k2\nkey create\nkey create k3");
        assert_eq!(p.errors.len(), 2);
        assert_eq!(p.statement_count(), 3);
    }

    #[test]
    fn invalid_utf8_is_positioned() {
        let p = Program::parse_bytes(b"key create k1\nkey create k\xff2\nkey create k3\n");
        assert_eq!(p.errors.len(), 1);
        assert_eq!(p.errors[0].code, ParseErrorCode::InvalidUtf8);
        assert_eq!((p.errors[0].line, p.errors[0].column), (2, 13));
        assert_eq!(p.statement_count(), 2);
    }

    #[test]
    fn a_byte_order_mark_is_not_a_word() {
        let p = Program::parse("\u{feff}key create k1\nexpect ok\n");
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let e = err("\u{feff}kee create k1");
        assert_eq!(
            (e.line, e.column, e.suggestion.as_deref()),
            (1, 1, Some("key"))
        );
    }

    #[test]
    fn long_words_are_shortened() {
        let long = "x".repeat(10_000);
        let e = err(&format!("key create {long}"));
        assert!(e.found.len() < 60);
        assert!(e.suggestion.is_none());
    }
}
