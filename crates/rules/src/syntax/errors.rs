//! Parse errors: a position, what was expected, what was found, and a "did you mean".

use serde::Serialize;
use std::fmt;

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
    pub(crate) fn new(
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
                "{}: expected {expected} before this expect line, found {found}",
                code.as_str()
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

/// The result of parsing one part of a line.
pub(crate) type PResult<T> = Result<T, ParseError>;

/// A word as an error message shows it: quoted, and shortened if long.
pub(crate) fn shown(word: &str) -> String {
    const MAX: usize = 40;
    if word.chars().count() <= MAX {
        format!("\"{word}\"")
    } else {
        let head: String = word.chars().take(MAX).collect();
        format!("\"{head}…\"")
    }
}

/// `a, b or c`: the words of a grammar table as an error message lists them.
pub(crate) fn one_of(words: &[&str]) -> String {
    match words.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}
