//! The level file format (`docs/levels.md`): a line-oriented text an author writes by hand.
//!
//! Two kinds of lines: **fields** (`name: value`, one line each; `intro`, `goal`, `quote`,
//! `constraint` and `hint` may repeat) and the three **blocks** (`start:`, `checks:`,
//! `solution:`), whose header is followed by scenario lines up to the next field. A line is a
//! field when its first word is a field name followed by `:` — no scenario line can start
//! that way (names have no `:`). Outside a block, blank lines and `#` comments are skipped.
//!
//! Parsing checks the form only: every field known, required ones present, rule IDs real, the
//! start and the solution free of parse errors, checks about the final state. Whether the
//! level can be solved is [`crate::check_level`]'s job. Every error carries the level file's
//! 1-based line.

use keyline_rules::{Expectation, ExpectationOf, Program, RuleId, Statement, StatementKind};
use std::fmt::{self, Write as _};
use thiserror::Error;

/// The largest level file accepted (bytes): a level is a short text; a pasted or linked
/// monster is refused before any work.
pub const MAX_LEVEL_BYTES: usize = 64 * 1024;

/// The longest level id.
pub const MAX_ID_LEN: usize = 48;

/// One level of the course.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Level {
    /// `[a-z0-9][a-z0-9-]*`, unique in a course: `#learn=ID` links and progress use it.
    pub id: String,
    pub title: String,
    /// The chapter's title; consecutive levels with the same chapter form it.
    pub chapter: String,
    /// The rules the level teaches (SPEC §3 IDs).
    pub rules: Vec<RuleId>,
    /// The documentation sentences behind those rules.
    pub quotes: Vec<Quote>,
    /// A few friendly sentences; paragraphs separated by a blank line (`\n\n`).
    pub intro: String,
    /// The goal in words.
    pub goal: String,
    /// The starting scenario, which the learner cannot edit (may be empty).
    pub start: String,
    /// The goal as `expect` lines about the final state.
    pub checks: Vec<Check>,
    pub constraints: Vec<Constrained>,
    /// Revealed one at a time, gentle to explicit.
    pub hints: Vec<String>,
    /// The reference solution: the learner's lines that reach the goal.
    pub solution: String,
    /// Where each part sits in the level file, for errors.
    pub lines: Lines,
}

/// Level-file lines of a level's parts (1-based; 0 when the part is absent).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lines {
    pub id: u32,
    pub rules: u32,
    /// The `start:` header: start line N is file line `start + N`.
    pub start: u32,
    /// The `checks:` header.
    pub checks: u32,
    /// The `solution:` header: solution line N is file line `solution + N`.
    pub solution: u32,
    /// Each hint's line, in order.
    pub hints: Vec<u32>,
}

/// A documentation sentence and the seed it comes from (SPEC §6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub source: DocSource,
    pub text: String,
}

/// The two documents of SPEC §6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocSource {
    /// `000`: "Managing an Encrypted EVS Disk" (EVS user guide).
    Evs,
    /// `003`: "User Encryption" (ECS user guide).
    Ecs,
}

impl DocSource {
    /// The number a level file writes (`000`, `003`).
    pub const fn as_str(self) -> &'static str {
        match self {
            DocSource::Evs => "000",
            DocSource::Ecs => "003",
        }
    }

    /// The document's title.
    pub const fn title(self) -> &'static str {
        match self {
            DocSource::Evs => "Managing an Encrypted EVS Disk",
            DocSource::Ecs => "User Encryption",
        }
    }

    fn parse(word: &str) -> Option<DocSource> {
        match word {
            "000" => Some(DocSource::Evs),
            "003" => Some(DocSource::Ecs),
            _ => None,
        }
    }
}

/// One goal check: an `expect` line about the final state and its level-file line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub line: u32,
    pub expectation: Expectation,
}

/// A constraint with its level-file line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Constrained {
    pub line: u32,
    pub constraint: Constraint,
}

/// What the learner's lines must respect besides the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Constraint {
    /// `at-most N`: at most N statements.
    AtMost(usize),
    /// `nothing-deleted`: no learner statement deletes a disk, server, snapshot or backup
    /// (succeeding `… delete`), and no key reaches `deleted` during the learner's lines.
    NothingDeleted,
    /// `no-data-lost`: no learner statement makes data unrecoverable (`DATA_UNRECOVERABLE`).
    NoDataLost,
    /// `must-use P`: a learner statement matches P and does not fail.
    MustUse(Pattern),
    /// `must-not-use P`: no learner statement matches P (even one that fails).
    MustNotUse(Pattern),
}

/// A statement pattern: a kind (`key enable`: any key) or one exact statement
/// (`attach d1 s1`), compared as engine [`Statement`] values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pattern {
    Kind(StatementKind),
    Exact(Statement),
}

impl Pattern {
    /// Whether `statement` matches.
    pub fn matches(&self, statement: &Statement) -> bool {
        match self {
            Pattern::Kind(k) => statement.kind() == *k,
            Pattern::Exact(s) => statement == s,
        }
    }

    /// A full statement line is an exact pattern; first words alone (`key enable`) a kind.
    fn parse(words: &str) -> Option<Pattern> {
        if let Some(kind) = StatementKind::from_words(words) {
            // `kms grant` is both: a kind is the wider reading and means the same.
            return Some(Pattern::Kind(kind));
        }
        Statement::parse(words).ok().map(Pattern::Exact)
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Pattern::Kind(k) => write!(f, "{k}"),
            Pattern::Exact(s) => write!(f, "{s}"),
        }
    }
}

/// The constraint as a level file writes it (`at-most 3`, `must-use key enable`).
impl fmt::Display for Constraint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Constraint::AtMost(n) => write!(f, "at-most {n}"),
            Constraint::NothingDeleted => f.write_str("nothing-deleted"),
            Constraint::NoDataLost => f.write_str("no-data-lost"),
            Constraint::MustUse(p) => write!(f, "must-use {p}"),
            Constraint::MustNotUse(p) => write!(f, "must-not-use {p}"),
        }
    }
}

impl Constraint {
    fn parse(value: &str) -> Result<Constraint, LevelErrorKind> {
        let value = value.trim();
        let (word, rest) = value
            .split_once([' ', '\t'])
            .map_or((value, ""), |(w, r)| (w, r.trim()));
        let bad = || LevelErrorKind::BadConstraint(value.to_owned());
        match word {
            "at-most" => rest
                .parse::<usize>()
                .ok()
                .filter(|n| *n > 0)
                .map(Constraint::AtMost)
                .ok_or_else(bad),
            "nothing-deleted" if rest.is_empty() => Ok(Constraint::NothingDeleted),
            "no-data-lost" if rest.is_empty() => Ok(Constraint::NoDataLost),
            "must-use" => Pattern::parse(rest)
                .map(Constraint::MustUse)
                .ok_or_else(bad),
            "must-not-use" => Pattern::parse(rest)
                .map(Constraint::MustNotUse)
                .ok_or_else(bad),
            _ => Err(bad()),
        }
    }
}

/// A level file that cannot be read, with the line that says why.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("line {line}: {kind}")]
pub struct LevelError {
    /// 1-based line of the level file.
    pub line: u32,
    pub kind: LevelErrorKind,
}

/// Why a level file cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LevelErrorKind {
    #[error("the level file is larger than {MAX_LEVEL_BYTES} bytes")]
    TooLarge,
    #[error("column {column}: a control or bidirectional-override character (U+{code:04X}) has no place in a level")]
    ControlCharacter { column: u32, code: u32 },
    #[error("expected a field (`name: value`), a block (`start:`, `checks:`, `solution:`) or a comment, found `{0}`")]
    NotAField(String),
    #[error("unknown field `{found}:`{}", suggest(.suggestion))]
    UnknownField {
        found: String,
        suggestion: Option<&'static str>,
    },
    #[error("`{0}:` is given twice")]
    Duplicate(&'static str),
    #[error("`{0}:` is missing")]
    Missing(&'static str),
    #[error("`{0}:` is empty")]
    Empty(&'static str),
    #[error("`{0}:` takes its lines below it, not on the same line")]
    BlockValue(&'static str),
    #[error("the id `{0}` is not lower-case letters, digits and dashes (at most {MAX_ID_LEN}, starting with a letter or digit)")]
    BadId(String),
    #[error("`{found}` is not a rule of SPEC §3{}", suggest(.suggestion))]
    UnknownRule {
        found: String,
        suggestion: Option<&'static str>,
    },
    #[error("a quote starts with its source, 000 or 003, then the sentence; found `{0}`")]
    BadQuote(String),
    #[error("`{0}` is not a constraint (at-most N, nothing-deleted, no-data-lost, must-use STATEMENT, must-not-use STATEMENT)")]
    BadConstraint(String),
    #[error("the {block} has a parse error: {message}")]
    Scenario {
        block: &'static str,
        message: String,
    },
    #[error("a check must be an `expect` line: {0}")]
    BadCheck(String),
    #[error("`{0}` is about the last statement, not the final state: a goal check must be about a resource, a key or a count")]
    OutcomeCheck(String),
}

fn suggest(s: &Option<&'static str>) -> String {
    s.map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default()
}

const FIELDS: &[&str] = &[
    "id",
    "title",
    "chapter",
    "rules",
    "quote",
    "intro",
    "goal",
    "constraint",
    "hint",
    "start",
    "checks",
    "solution",
];

fn nearest(word: &str, candidates: &[&'static str]) -> Option<&'static str> {
    candidates
        .iter()
        .map(|c| (strsim::levenshtein(word, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn rule_ids() -> Vec<&'static str> {
    RuleId::ALL.iter().map(|r| r.as_str()).collect()
}

/// Whether a level id is well formed.
pub fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && id.len() <= MAX_ID_LEN
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Block {
    Start,
    Checks,
    Solution,
}

/// The field a line starts, if it starts one: (name, value).
fn field(line: &str) -> Option<(&str, &str)> {
    let trimmed = line.trim_start();
    let (name, value) = trimmed.split_once(':')?;
    let is_name = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '-' || c == '_');
    is_name.then(|| (name, value.trim()))
}

/// Everything read so far, before the required fields are checked.
#[derive(Default)]
struct Draft {
    level: Level,
    seen: Vec<&'static str>,
    start: Vec<String>,
    checks: Vec<(u32, String)>,
    solution: Vec<String>,
    intro: Vec<String>,
    goal: Vec<String>,
}

impl Draft {
    fn once(&mut self, name: &'static str, line: u32) -> Result<(), LevelError> {
        if self.seen.contains(&name) {
            return Err(err(line, LevelErrorKind::Duplicate(name)));
        }
        self.seen.push(name);
        Ok(())
    }
}

fn err(line: u32, kind: LevelErrorKind) -> LevelError {
    LevelError { line, kind }
}

fn known(name: &str) -> Option<&'static str> {
    FIELDS.iter().copied().find(|f| *f == name)
}

impl Level {
    /// Reads a level file. Never panics; the first problem found is the error, with its line.
    pub fn parse(text: &str) -> Result<Level, LevelError> {
        if text.len() > MAX_LEVEL_BYTES {
            return Err(err(1, LevelErrorKind::TooLarge));
        }
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut d = Draft::default();
        let mut block: Option<Block> = None;
        for (i, raw) in text.split('\n').enumerate() {
            let line = u32::try_from(i + 1).unwrap_or(u32::MAX);
            let raw = raw.strip_suffix('\r').unwrap_or(raw);
            if let Some((column, c)) = hostile_char(raw) {
                return Err(err(
                    line,
                    LevelErrorKind::ControlCharacter {
                        column,
                        code: u32::from(c),
                    },
                ));
            }
            match field(raw) {
                Some((name, value)) => {
                    let Some(name) = known(name) else {
                        return Err(err(
                            line,
                            LevelErrorKind::UnknownField {
                                found: name.to_owned(),
                                suggestion: nearest(name, FIELDS),
                            },
                        ));
                    };
                    block = d.field(name, value, line)?;
                }
                None => match block {
                    Some(Block::Start) => d.start.push(raw.to_owned()),
                    Some(Block::Solution) => d.solution.push(raw.to_owned()),
                    Some(Block::Checks) => d.checks.push((line, raw.to_owned())),
                    None => {
                        let t = raw.trim();
                        if !t.is_empty() && !t.starts_with('#') {
                            return Err(err(line, LevelErrorKind::NotAField(clip(t))));
                        }
                    }
                },
            }
        }
        d.finish()
    }

    /// The level as a level file (fields in the documented order, blocks last). Parsing it
    /// gives the same level back (line numbers aside).
    pub fn to_text(&self) -> String {
        let mut o = String::new();
        let mut put = |name: &str, value: &str| {
            let _ = writeln!(o, "{name}: {value}");
        };
        put("id", &self.id);
        put("title", &self.title);
        put("chapter", &self.chapter);
        let rules: Vec<&str> = self.rules.iter().map(|r| r.as_str()).collect();
        put("rules", &rules.join(" "));
        for q in &self.quotes {
            put("quote", &format!("{} {}", q.source.as_str(), q.text));
        }
        for l in self.intro.split('\n') {
            put("intro", l);
        }
        for l in self.goal.split('\n') {
            put("goal", l);
        }
        for c in &self.constraints {
            put("constraint", &c.constraint.to_string());
        }
        for h in &self.hints {
            put("hint", h);
        }
        let mut o = o.replace(": \n", ":\n");
        o.push_str("start:\n");
        push_block(&mut o, &self.start);
        o.push_str("checks:\n");
        for c in &self.checks {
            let _ = writeln!(o, "{}", c.expectation);
        }
        o.push_str("solution:\n");
        push_block(&mut o, &self.solution);
        o
    }

    /// The file line of a line of the start (1-based in the start).
    pub fn start_file_line(&self, start_line: u32) -> u32 {
        self.lines.start.saturating_add(start_line)
    }

    /// The file line of a line of the solution (1-based in the solution).
    pub fn solution_file_line(&self, solution_line: u32) -> u32 {
        self.lines.solution.saturating_add(solution_line)
    }
}

/// The first character (1-based column) that could hide or reorder what a learner reads:
/// control characters other than tab, and bidirectional formatting characters.
fn hostile_char(line: &str) -> Option<(u32, char)> {
    line.chars()
        .zip(1u32..)
        .find(|(c, _)| {
            (c.is_control() && *c != '\t')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{feff}')
        })
        .map(|(c, col)| (col, c))
}

fn push_block(o: &mut String, text: &str) {
    if !text.is_empty() {
        o.push_str(text);
        o.push('\n');
    }
}

fn clip(s: &str) -> String {
    const MAX: usize = 60;
    match s.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", s.get(..i).unwrap_or(s)),
        None => s.to_owned(),
    }
}

impl Draft {
    /// Reads one field; returns the block it opens, if any.
    fn field(
        &mut self,
        name: &'static str,
        value: &str,
        line: u32,
    ) -> Result<Option<Block>, LevelError> {
        let l = &mut self.level;
        match name {
            "id" => {
                self.once(name, line)?;
                if !is_valid_id(value) {
                    return Err(err(line, LevelErrorKind::BadId(clip(value))));
                }
                self.level.id = value.to_owned();
                self.level.lines.id = line;
            }
            "title" | "chapter" => {
                self.once(name, line)?;
                if value.is_empty() {
                    return Err(err(line, LevelErrorKind::Empty(name)));
                }
                let slot = if name == "title" {
                    &mut self.level.title
                } else {
                    &mut self.level.chapter
                };
                *slot = value.to_owned();
            }
            "rules" => {
                self.once(name, line)?;
                self.level.lines.rules = line;
                for word in value.split([' ', '\t', ',']).filter(|w| !w.is_empty()) {
                    let rule = RuleId::parse(word).ok_or_else(|| {
                        err(
                            line,
                            LevelErrorKind::UnknownRule {
                                found: clip(word),
                                suggestion: nearest(word, &rule_ids()),
                            },
                        )
                    })?;
                    if !self.level.rules.contains(&rule) {
                        self.level.rules.push(rule);
                    }
                }
                if self.level.rules.is_empty() {
                    return Err(err(line, LevelErrorKind::Empty(name)));
                }
            }
            "quote" => {
                let (src, text) = value
                    .split_once([' ', '\t'])
                    .map_or((value, ""), |(s, t)| (s, t.trim()));
                match DocSource::parse(src) {
                    Some(source) if !text.is_empty() => l.quotes.push(Quote {
                        source,
                        text: text.to_owned(),
                    }),
                    _ => return Err(err(line, LevelErrorKind::BadQuote(clip(value)))),
                }
            }
            "intro" => self.intro.push(value.to_owned()),
            "goal" => self.goal.push(value.to_owned()),
            "hint" => {
                l.hints.push(value.to_owned());
                l.lines.hints.push(line);
            }
            "constraint" => {
                let constraint = Constraint::parse(value).map_err(|kind| err(line, kind))?;
                l.constraints.push(Constrained { line, constraint });
            }
            "start" | "checks" | "solution" => {
                self.once(name, line)?;
                if !value.is_empty() {
                    return Err(err(line, LevelErrorKind::BlockValue(name)));
                }
                let (slot, block) = match name {
                    "start" => (&mut self.level.lines.start, Block::Start),
                    "checks" => (&mut self.level.lines.checks, Block::Checks),
                    _ => (&mut self.level.lines.solution, Block::Solution),
                };
                *slot = line;
                return Ok(Some(block));
            }
            _ => {}
        }
        Ok(None)
    }

    fn finish(mut self) -> Result<Level, LevelError> {
        let last = |v: &[String]| {
            v.iter()
                .rposition(|l| !l.trim().is_empty())
                .map_or(0, |i| i + 1)
        };
        let start = self
            .start
            .get(..last(&self.start))
            .unwrap_or_default()
            .join("\n");
        let solution = self
            .solution
            .get(..last(&self.solution))
            .unwrap_or_default()
            .join("\n");
        self.level.intro = join_paragraphs(&self.intro);
        self.level.goal = join_paragraphs(&self.goal);
        for (name, present) in [
            ("id", self.seen.contains(&"id")),
            ("title", self.seen.contains(&"title")),
            ("chapter", self.seen.contains(&"chapter")),
            ("rules", self.seen.contains(&"rules")),
            ("quote", !self.level.quotes.is_empty()),
            ("intro", !self.level.intro.trim().is_empty()),
            ("goal", !self.level.goal.trim().is_empty()),
            ("hint", !self.level.hints.is_empty()),
            ("checks", self.seen.contains(&"checks")),
            ("solution", !solution.trim().is_empty()),
        ] {
            if !present {
                return Err(err(
                    self.level.lines.id.max(1),
                    LevelErrorKind::Missing(name),
                ));
            }
        }
        scenario_errors(&start, self.level.lines.start, "start")?;
        scenario_errors(&solution, self.level.lines.solution, "solution")?;
        self.level.start = start;
        self.level.solution = solution;
        for (line, text) in &self.checks {
            let t = text.trim();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            let expectation: Expectation = t.parse().map_err(|e: keyline_rules::ParseError| {
                err(
                    *line,
                    LevelErrorKind::BadCheck(format!("column {}: {}", e.column, e.message)),
                )
            })?;
            if matches!(expectation, ExpectationOf::Outcome(..)) {
                return Err(err(*line, LevelErrorKind::OutcomeCheck(clip(t))));
            }
            self.level.checks.push(Check {
                line: *line,
                expectation,
            });
        }
        if self.level.checks.is_empty() {
            return Err(err(
                self.level.lines.checks,
                LevelErrorKind::Empty("checks"),
            ));
        }
        Ok(self.level)
    }
}

/// Repeated `intro:`/`goal:` lines: one line each; an empty one separates paragraphs.
fn join_paragraphs(lines: &[String]) -> String {
    lines.join("\n").trim().to_owned()
}

/// The first parse error of a block, positioned on the level file's line.
fn scenario_errors(text: &str, header: u32, block: &'static str) -> Result<(), LevelError> {
    let program = Program::parse(text);
    match program.errors.first() {
        Some(e) => Err(err(
            header.saturating_add(e.line),
            LevelErrorKind::Scenario {
                block,
                message: format!("column {}: {}", e.column, e.message),
            },
        )),
        None => Ok(()),
    }
}
