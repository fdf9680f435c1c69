//! The scenario language of SPEC §2: lines → statements and expectations, or positioned errors.
//!
//! The parser never stops at an error: every line is parsed on its own, and a line with an
//! error simply yields a [`ParseError`] instead of an item.

use crate::codes::{Code, Outcome};
use crate::model::{Health, KeyState, Kind, Role};
use crate::names::{self, Interner, NameId};
use serde::Serialize;
use std::fmt;
use std::ops::Range;

/// One statement of SPEC §2, with names interned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stmt {
    Role(Role),
    KmsGrant,
    KeyCreate(NameId),
    KeyDisable(NameId),
    KeyEnable(NameId),
    /// Days as written; out-of-range values are the evaluator's `INVALID_DELETION_WINDOW`.
    KeyScheduleDeletion(NameId, i64),
    KeyCancelDeletion(NameId),
    Wait(u64),
    ImageImport {
        image: NameId,
        key: Option<NameId>,
    },
    ImageCreate {
        image: NameId,
        server: NameId,
    },
    ServerCreate {
        server: NameId,
        source: Option<Source>,
        system_disk: Option<NameId>,
    },
    ServerStop(NameId),
    ServerStart(NameId),
    ServerDelete(NameId),
    DiskCreate {
        disk: NameId,
        from: Option<DiskFrom>,
        key: Option<NameId>,
    },
    DiskEncrypt(NameId, NameId),
    DiskDecrypt(NameId),
    DiskDelete(NameId),
    Attach {
        disk: NameId,
        server: NameId,
        system: bool,
    },
    Detach(NameId),
    SnapshotCreate {
        snapshot: NameId,
        disk: NameId,
    },
    SnapshotDelete(NameId),
    BackupCreate {
        backup: NameId,
        disk: NameId,
    },
    BackupDelete(NameId),
    ConfigCreate {
        config: NameId,
        server: NameId,
    },
}

/// Where a new server's system disk comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Image(NameId),
    Config(NameId),
}

/// Where a new disk's data comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiskFrom {
    Snapshot(NameId),
    Backup(NameId),
}

/// One `expect` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expectation {
    Outcome(Outcome, Option<Code>),
    Encrypted(NameId, NameId),
    Unencrypted(NameId),
    Attached(NameId, NameId),
    Detached(NameId),
    Health(NameId, Health),
    State(NameId, KeyState),
    Count(u64, Kind),
}

/// What a non-blank line holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemKind {
    Statement(Stmt),
    Expect(Expectation),
}

/// A parsed line: its 1-based number, the byte range of its text (comment and edges trimmed)
/// in [`Program::source`], and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub line: u32,
    pub text: Range<usize>,
    pub kind: ItemKind,
}

/// Why a line could not be parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ParseErrorCode {
    /// The words do not form a statement or expectation.
    SyntaxError,
    /// An `expect` line before any statement (SPEC §2).
    ExpectWithoutStatement,
    /// The line is not valid UTF-8.
    InvalidUtf8,
}

impl ParseErrorCode {
    pub const fn as_str(self) -> &'static str {
        match self {
            ParseErrorCode::SyntaxError => "SYNTAX_ERROR",
            ParseErrorCode::ExpectWithoutStatement => "EXPECT_WITHOUT_STATEMENT",
            ParseErrorCode::InvalidUtf8 => "INVALID_UTF8",
        }
    }
}

/// A positioned parse error: `line:column: expected …, found … (did you mean …?)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub struct ParseError {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, counted in characters.
    pub column: u32,
    pub code: ParseErrorCode,
    /// What the parser expected at that position.
    pub expected: String,
    /// What it found there (a word, shortened if long, or "end of line").
    pub found: String,
    /// The nearest keyword or existing name, when the word looks like a typo.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// The whole sentence, as [`fmt::Display`] prints it after the position.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl ParseError {
    fn new(
        line: u32,
        column: u32,
        code: ParseErrorCode,
        expected: impl Into<String>,
        found: impl Into<String>,
        suggestion: Option<String>,
    ) -> Self {
        let expected = expected.into();
        let found = found.into();
        let mut message = match code {
            ParseErrorCode::ExpectWithoutStatement => format!(
                "{EXPECT_WITHOUT_STATEMENT}: expected {expected} before this expect line, found {found}"
            ),
            _ => format!("expected {expected}, found {found}"),
        };
        if let Some(s) = &suggestion {
            message.push_str(&format!(" (did you mean \"{s}\"?)"));
        }
        ParseError {
            line,
            column,
            code,
            expected,
            found,
            suggestion,
            message,
        }
    }
}

const EXPECT_WITHOUT_STATEMENT: &str = "EXPECT_WITHOUT_STATEMENT";

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

    /// The statements, in order.
    pub fn statements(&self) -> impl Iterator<Item = (&Item, &Stmt)> {
        self.items.iter().filter_map(|i| match &i.kind {
            ItemKind::Statement(s) => Some((i, s)),
            ItemKind::Expect(_) => None,
        })
    }

    /// How many statements the program has.
    pub fn statement_count(&self) -> usize {
        self.statements().count()
    }
}

/// Statement keywords, for suggestions.
pub const STATEMENT_KEYWORDS: &[&str] = &[
    "title", "role", "kms", "key", "wait", "image", "server", "disk", "attach", "detach",
    "snapshot", "backup", "config", "expect",
];

const PREDICATES: &[&str] = &[
    "encrypted",
    "unencrypted",
    "attached",
    "detached",
    "health",
    "state",
];

/// A line split into words with their byte offsets in the line.
struct Cursor<'a> {
    line: u32,
    text: &'a str,
    words: &'a [(usize, &'a str)],
    pos: usize,
}

type PResult<T> = Result<T, ParseError>;

/// A long word shortened for an error message.
fn shown(word: &str) -> String {
    const MAX: usize = 40;
    if word.chars().count() <= MAX {
        format!("\"{word}\"")
    } else {
        let head: String = word.chars().take(MAX).collect();
        format!("\"{head}…\"")
    }
}

impl<'a> Cursor<'a> {
    fn column_of(&self, byte: usize) -> u32 {
        let prefix = self.text.get(..byte).unwrap_or(self.text);
        let col = if prefix.is_ascii() {
            prefix.len()
        } else {
            prefix.chars().count()
        };
        u32::try_from(col + 1).unwrap_or(u32::MAX)
    }

    /// The column just past the last word (for "end of line" errors).
    fn end_column(&self) -> u32 {
        match self.words.last() {
            Some((off, w)) => self.column_of(off + w.len()),
            None => 1,
        }
    }

    fn peek(&self) -> Option<&'a str> {
        self.words.get(self.pos).map(|(_, w)| *w)
    }

    fn error_here(&self, expected: impl Into<String>, suggestion: Option<String>) -> ParseError {
        match self.words.get(self.pos) {
            Some((off, w)) => ParseError::new(
                self.line,
                self.column_of(*off),
                ParseErrorCode::SyntaxError,
                expected,
                shown(w),
                suggestion,
            ),
            None => ParseError::new(
                self.line,
                self.end_column(),
                ParseErrorCode::SyntaxError,
                expected,
                "end of line",
                None,
            ),
        }
    }

    /// One of `options`, else an error suggesting the nearest.
    fn keyword(&mut self, options: &[&'static str], what: &str) -> PResult<&'static str> {
        if let Some(w) = self.peek() {
            if let Some(k) = options.iter().find(|k| **k == w) {
                self.pos += 1;
                return Ok(k);
            }
            let sugg = names::nearest(w, options.iter().copied()).map(str::to_owned);
            return Err(self.error_here(what, sugg));
        }
        Err(self.error_here(what, None))
    }

    /// One of a statement's `options`, each allowed once: `seen` remembers those already
    /// given. Returns the option and the position of its word, for errors about it.
    fn option(
        &mut self,
        options: &[&'static str],
        what: &str,
        seen: &mut u8,
    ) -> PResult<(&'static str, usize)> {
        let here = self.pos;
        let opt = self.keyword(options, what)?;
        let bit = 1u8 << options.iter().position(|o| *o == opt).unwrap_or(0);
        if *seen & bit != 0 {
            self.pos = here;
            return Err(self.error_here(
                format!("each option at most once ({opt} is given twice)"),
                None,
            ));
        }
        *seen |= bit;
        Ok((opt, here))
    }

    fn end(&self) -> PResult<()> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.error_here("end of line", None)),
        }
    }

    fn at_end(&self) -> bool {
        self.pos >= self.words.len()
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
        let mut words: Vec<(usize, &str)> = Vec::new();
        let mut bad = bad_utf8.iter().peekable();
        let bytes = source.as_bytes();
        // A UTF-8 byte-order mark is not part of the first line's words.
        let mut start = if source.starts_with('\u{feff}') { 3 } else { 0 };
        let mut idx = 0usize;
        while start <= bytes.len() {
            // One pass over the line: words, the comment, the line end.
            words.clear();
            let mut word_start: Option<usize> = None;
            let mut comment: Option<usize> = None;
            let mut i = start;
            while let Some(&b) = bytes.get(i) {
                match b {
                    b'\n' => break,
                    b'#' if comment.is_none() => comment = Some(i),
                    b' ' | b'\t' if comment.is_none() => {
                        if let Some(s) = word_start.take() {
                            words.push((s - start, source.get(s..i).unwrap_or("")));
                        }
                    }
                    _ if comment.is_none() && word_start.is_none() => word_start = Some(i),
                    _ => {}
                }
                i += 1;
            }
            let end = i;
            let line_start = start;
            start = end + 1;
            idx += 1;
            let content_end = comment.unwrap_or(end);
            if let Some(s) = word_start {
                // A word running to the line end (or the comment) loses a trailing CR.
                let w = source.get(s..content_end).unwrap_or("");
                let w = if comment.is_none() {
                    w.strip_suffix('\r').unwrap_or(w)
                } else {
                    w
                };
                if !w.is_empty() {
                    words.push((s - line_start, w));
                }
            }
            let raw = source.get(line_start..end).unwrap_or("");
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            let content = match comment {
                Some(c) => source.get(line_start..c).unwrap_or(""),
                None => line,
            };
            let line_no = u32::try_from(idx).unwrap_or(u32::MAX);
            if let Some(&&(l, col)) = bad.peek() {
                if l == idx {
                    bad.next();
                    self.errors.push(ParseError::new(
                        line_no,
                        u32::try_from(col).unwrap_or(u32::MAX),
                        ParseErrorCode::InvalidUtf8,
                        "UTF-8 text",
                        "a byte sequence that is not UTF-8",
                        None,
                    ));
                    continue;
                }
            }
            let start = line_start;
            let (Some(&(first_off, _)), Some(&(last_off, last))) = (words.first(), words.last())
            else {
                continue;
            };
            let text = start + first_off..start + last_off + last.len();
            let mut cur = Cursor {
                line: line_no,
                text: line,
                words: &words,
                pos: 0,
            };
            match self.line(&mut cur, content) {
                Ok(Some(kind)) => {
                    if matches!(kind, ItemKind::Statement(_)) {
                        self.seen_statement = true;
                    }
                    self.items.push(Item {
                        line: line_no,
                        text,
                        kind,
                    });
                }
                Ok(None) => {}
                Err(e) => self.errors.push(e),
            }
        }
        self.source = source;
    }

    /// A name of the given kind ("a disk name"); suggests a near existing name on a typo.
    fn name(&mut self, cur: &mut Cursor<'_>, what: &str) -> PResult<NameId> {
        match cur.peek() {
            Some(w) if names::is_valid_name(w) => {
                cur.pos += 1;
                Ok(self.names.intern(w))
            }
            Some(w) => {
                let sugg = self.suggest_name(w);
                Err(cur.error_here(
                    format!("{what} (letters, digits and . _ / -, starting with a letter or digit, at most 64)"),
                    sugg,
                ))
            }
            None => Err(cur.error_here(what, None)),
        }
    }

    fn suggest_name(&mut self, word: &str) -> Option<String> {
        let n = self.names.names().count();
        if self.suggestion_budget < n || word.len() > names::MAX_NAME_LEN + 4 {
            return None;
        }
        self.suggestion_budget -= n;
        names::nearest(word, self.names.names()).map(str::to_owned)
    }

    fn line(&mut self, cur: &mut Cursor<'_>, content: &str) -> PResult<Option<ItemKind>> {
        let Some(first) = cur.peek() else {
            return Ok(None);
        };
        if first == "title" {
            let rest = content
                .trim_start_matches([' ', '\t'])
                .strip_prefix("title")
                .unwrap_or("")
                .trim_matches([' ', '\t']);
            if self.title.is_none() {
                self.title = Some(rest.to_owned());
            }
            return Ok(None);
        }
        let kw = cur.keyword(
            STATEMENT_KEYWORDS,
            "a statement keyword (key, disk, server, attach, …) or expect",
        )?;
        let stmt = match kw {
            "expect" => return self.expect(cur).map(|e| Some(ItemKind::Expect(e))),
            "role" => {
                let r = cur.keyword(Role::WORDS, "member or security-admin")?;
                Stmt::Role(Role::parse(r).unwrap_or(Role::Member))
            }
            "kms" => {
                cur.keyword(&["grant"], "grant")?;
                Stmt::KmsGrant
            }
            "key" => {
                let sub = cur.keyword(
                    &[
                        "create",
                        "disable",
                        "enable",
                        "schedule-deletion",
                        "cancel-deletion",
                    ],
                    "create, disable, enable, schedule-deletion or cancel-deletion",
                )?;
                let k = self.name(cur, "a key name")?;
                match sub {
                    "create" => Stmt::KeyCreate(k),
                    "disable" => Stmt::KeyDisable(k),
                    "enable" => Stmt::KeyEnable(k),
                    "cancel-deletion" => Stmt::KeyCancelDeletion(k),
                    _ => {
                        Stmt::KeyScheduleDeletion(k, integer(cur, "a number of days (7 to 1096)")?)
                    }
                }
            }
            "wait" => {
                let what = "a number of days from 1 to 100000";
                match cur.peek().and_then(natural) {
                    Some(d) if (1..=100_000).contains(&d) => {
                        cur.pos += 1;
                        Stmt::Wait(d)
                    }
                    _ => return Err(cur.error_here(what, None)),
                }
            }
            "image" => match cur.keyword(&["import", "create"], "import or create")? {
                "import" => {
                    let image = self.name(cur, "an image name")?;
                    let key = if cur.at_end() {
                        None
                    } else {
                        cur.keyword(&["encrypt"], "encrypt or end of line")?;
                        Some(self.name(cur, "a key name")?)
                    };
                    Stmt::ImageImport { image, key }
                }
                _ => {
                    let image = self.name(cur, "an image name")?;
                    cur.keyword(&["from-server"], "from-server")?;
                    let server = self.name(cur, "a server name")?;
                    Stmt::ImageCreate { image, server }
                }
            },
            "server" => {
                match cur.keyword(
                    &["create", "stop", "start", "delete"],
                    "create, stop, start or delete",
                )? {
                    "create" => self.server_create(cur)?,
                    "stop" => Stmt::ServerStop(self.name(cur, "a server name")?),
                    "start" => Stmt::ServerStart(self.name(cur, "a server name")?),
                    _ => Stmt::ServerDelete(self.name(cur, "a server name")?),
                }
            }
            "disk" => match cur.keyword(
                &["create", "encrypt", "decrypt", "delete"],
                "create, encrypt, decrypt or delete",
            )? {
                "create" => self.disk_create(cur)?,
                "encrypt" => {
                    let d = self.name(cur, "a disk name")?;
                    Stmt::DiskEncrypt(d, self.name(cur, "a key name")?)
                }
                "decrypt" => Stmt::DiskDecrypt(self.name(cur, "a disk name")?),
                _ => Stmt::DiskDelete(self.name(cur, "a disk name")?),
            },
            "attach" => {
                let disk = self.name(cur, "a disk name")?;
                let server = self.name(cur, "a server name")?;
                let system = if cur.at_end() {
                    false
                } else {
                    cur.keyword(&["as"], "as system or end of line")?;
                    cur.keyword(&["system"], "system")?;
                    true
                };
                Stmt::Attach {
                    disk,
                    server,
                    system,
                }
            }
            "detach" => Stmt::Detach(self.name(cur, "a disk name")?),
            "snapshot" | "backup" => {
                let snap = kw == "snapshot";
                let noun = if snap {
                    "a snapshot name"
                } else {
                    "a backup name"
                };
                match cur.keyword(&["create", "delete"], "create or delete")? {
                    "create" => {
                        let s = self.name(cur, noun)?;
                        cur.keyword(&["disk"], "disk")?;
                        let disk = self.name(cur, "a disk name")?;
                        if snap {
                            Stmt::SnapshotCreate { snapshot: s, disk }
                        } else {
                            Stmt::BackupCreate { backup: s, disk }
                        }
                    }
                    _ => {
                        let s = self.name(cur, noun)?;
                        if snap {
                            Stmt::SnapshotDelete(s)
                        } else {
                            Stmt::BackupDelete(s)
                        }
                    }
                }
            }
            _ => {
                // "config"
                cur.keyword(&["create"], "create")?;
                let config = self.name(cur, "a config name")?;
                cur.keyword(&["from-server"], "from-server")?;
                let server = self.name(cur, "a server name")?;
                Stmt::ConfigCreate { config, server }
            }
        };
        cur.end()?;
        Ok(Some(ItemKind::Statement(stmt)))
    }

    fn server_create(&mut self, cur: &mut Cursor<'_>) -> PResult<Stmt> {
        let server = self.name(cur, "a server name")?;
        let mut source = None;
        let mut system_disk = None;
        let mut seen = 0u8;
        while !cur.at_end() {
            let (opt, here) = cur.option(
                &["image", "config", "system-disk"],
                "image, config, system-disk or end of line",
                &mut seen,
            )?;
            match opt {
                "image" | "config" if source.is_some() => {
                    cur.pos = here;
                    return Err(cur.error_here("either image or config, not both", None));
                }
                "image" => source = Some(Source::Image(self.name(cur, "an image name")?)),
                "config" => source = Some(Source::Config(self.name(cur, "a config name")?)),
                _ => system_disk = Some(self.name(cur, "a disk name")?),
            }
        }
        Ok(Stmt::ServerCreate {
            server,
            source,
            system_disk,
        })
    }

    fn disk_create(&mut self, cur: &mut Cursor<'_>) -> PResult<Stmt> {
        let disk = self.name(cur, "a disk name")?;
        let mut from = None;
        let mut key = None;
        let mut seen = 0u8;
        while !cur.at_end() {
            let (opt, here) = cur.option(
                &["from-snapshot", "from-backup", "encrypt"],
                "from-snapshot, from-backup, encrypt or end of line",
                &mut seen,
            )?;
            match opt {
                "from-snapshot" | "from-backup" if from.is_some() => {
                    cur.pos = here;
                    return Err(
                        cur.error_here("either from-snapshot or from-backup, not both", None)
                    );
                }
                "from-snapshot" => {
                    from = Some(DiskFrom::Snapshot(self.name(cur, "a snapshot name")?))
                }
                "from-backup" => from = Some(DiskFrom::Backup(self.name(cur, "a backup name")?)),
                _ => key = Some(self.name(cur, "a key name")?),
            }
        }
        Ok(Stmt::DiskCreate { disk, from, key })
    }

    fn expect(&mut self, cur: &mut Cursor<'_>) -> PResult<Expectation> {
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
        let first = cur.peek();
        let second = cur.words.get(cur.pos + 1).map(|(_, w)| *w);
        let outcome_form = matches!(first, Some("ok" | "warn" | "fail" | "count"))
            && !second.is_some_and(|w| PREDICATES.contains(&w));
        let e = if outcome_form {
            match first.unwrap_or_default() {
                "ok" => {
                    cur.pos += 1;
                    Expectation::Outcome(Outcome::Ok, None)
                }
                "count" => {
                    cur.pos += 1;
                    let n = match cur.peek().and_then(natural) {
                        Some(n) => {
                            cur.pos += 1;
                            n
                        }
                        None => return Err(cur.error_here("a count (a whole number)", None)),
                    };
                    let k = cur.keyword(
                        Kind::WORDS,
                        "a kind: keys, images, servers, disks, snapshots, backups or configs",
                    )?;
                    Expectation::Count(n, Kind::parse(k).unwrap_or(Kind::Keys))
                }
                w => {
                    cur.pos += 1;
                    let outcome = if w == "warn" {
                        Outcome::Warn
                    } else {
                        Outcome::Fail
                    };
                    let code = match cur.peek() {
                        None => None,
                        Some(c) => match Code::parse(c) {
                            Some(code) => {
                                cur.pos += 1;
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
                    Expectation::Outcome(outcome, code)
                }
            }
        } else {
            if first.is_none() {
                return Err(cur.error_here("ok, warn, fail, count or a resource name", None));
            }
            if first.is_some_and(|w| !names::is_valid_name(w)) {
                // A typo of ok/warn/fail/count is likelier than a bad name.
                let w = first.unwrap_or_default();
                let sugg = names::nearest(w, ["ok", "warn", "fail", "count"]).map(str::to_owned);
                if sugg.is_some() {
                    return Err(cur.error_here("ok, warn, fail, count or a resource name", sugg));
                }
            }
            let r = self.name(cur, "ok, warn, fail, count or a resource name")?;
            let pred = cur.keyword(
                PREDICATES,
                "encrypted, unencrypted, attached, detached, health or state",
            )?;
            match pred {
                "encrypted" => Expectation::Encrypted(r, self.name(cur, "a key name")?),
                "unencrypted" => Expectation::Unencrypted(r),
                "attached" => Expectation::Attached(r, self.name(cur, "a server name")?),
                "detached" => Expectation::Detached(r),
                "health" => {
                    let h = cur.keyword(
                        Health::WORDS,
                        "healthy, at-risk, unattachable or unrecoverable",
                    )?;
                    Expectation::Health(r, Health::parse(h).unwrap_or(Health::Healthy))
                }
                _ => {
                    let s = cur.keyword(
                        KeyState::WORDS,
                        "enabled, disabled, pending-deletion or deleted",
                    )?;
                    Expectation::State(r, KeyState::parse(s).unwrap_or(KeyState::Enabled))
                }
            }
        };
        cur.end()?;
        Ok(e)
    }
}

/// `[0-9]+` as a number, saturating.
fn natural(word: &str) -> Option<u64> {
    if word.is_empty() || !word.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(word.parse().unwrap_or(u64::MAX))
}

/// `-?[0-9]+` as a number, saturating; consumes the word.
fn integer(cur: &mut Cursor<'_>, what: &str) -> PResult<i64> {
    let w = cur.peek().unwrap_or_default();
    let (neg, digits) = match w.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, w),
    };
    match natural(digits) {
        Some(n) => {
            cur.pos += 1;
            let n = i64::try_from(n).unwrap_or(i64::MAX);
            Ok(if neg { -n } else { n })
        }
        None => Err(cur.error_here(what, None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            Expectation::Outcome(Outcome::Fail, Some(Code::KEY_DELETED))
        );
        // `ok` can be a resource name when a predicate follows.
        assert!(matches!(exps[10], Expectation::Encrypted(_, _)));
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
            ItemKind::Statement(Stmt::KeyScheduleDeletion(0, -3))
        );
        assert_eq!(
            p.items[1].kind,
            ItemKind::Statement(Stmt::KeyScheduleDeletion(0, i64::MAX))
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
