//! Tokens: a scenario text split into lines and words, with the byte offset of every word so
//! errors can give a column. A UTF-8 byte-order mark, `#` comments, tabs and CRLF line ends are
//! handled here and nowhere else.

use super::errors::{shown, PResult, ParseError, ParseErrorCode};
use crate::names;

/// One line of a scenario, split into words.
pub(crate) struct TokenLine<'a, 's> {
    /// 1-based line number.
    pub number: u32,
    /// Byte offset of the line in the source.
    pub start: usize,
    /// The line without its line end.
    pub text: &'s str,
    /// The line up to its comment (or all of it).
    pub content: &'s str,
    /// The words before the comment, with their byte offsets in the line.
    pub words: &'a [(usize, &'s str)],
}

/// Calls `f` for every line of `source`, in order. One pass over the bytes; the word buffer is
/// reused from line to line.
pub(crate) fn for_each_line<'s>(source: &'s str, mut f: impl FnMut(TokenLine<'_, 's>)) {
    let mut words: Vec<(usize, &'s str)> = Vec::new();
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
        let text = raw.strip_suffix('\r').unwrap_or(raw);
        let content = match comment {
            Some(c) => source.get(line_start..c).unwrap_or(""),
            None => text,
        };
        f(TokenLine {
            number: u32::try_from(idx).unwrap_or(u32::MAX),
            start: line_start,
            text,
            content,
            words: &words,
        });
    }
}

/// A line's words and the position of the next one: what the grammar reads from.
pub(crate) struct Cursor<'a> {
    pub line: u32,
    pub text: &'a str,
    pub words: &'a [(usize, &'a str)],
    pub pos: usize,
}

impl<'a> Cursor<'a> {
    pub fn new(line: &'a TokenLine<'a, 'a>) -> Self {
        Cursor {
            line: line.number,
            text: line.text,
            words: line.words,
            pos: 0,
        }
    }

    /// The 1-based column (in characters) of a byte offset in the line.
    pub fn column_of(&self, byte: usize) -> u32 {
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

    pub fn peek(&self) -> Option<&'a str> {
        self.words.get(self.pos).map(|(_, w)| *w)
    }

    /// The word after the next one.
    pub fn peek_second(&self) -> Option<&'a str> {
        self.words.get(self.pos + 1).map(|(_, w)| *w)
    }

    /// Consumes the next word.
    pub fn bump(&mut self) {
        self.pos += 1;
    }

    pub fn error_here(
        &self,
        expected: impl Into<String>,
        suggestion: Option<String>,
    ) -> ParseError {
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

    /// The index of the word in `options`, else an error expecting one of them and suggesting
    /// the nearest (the message is built only then: this runs on every statement).
    pub fn one_of(&mut self, options: &[&'static str]) -> PResult<usize> {
        if let Some(i) = self
            .peek()
            .and_then(|w| options.iter().position(|k| *k == w))
        {
            self.pos += 1;
            return Ok(i);
        }
        self.keyword(options, &super::errors::one_of(options))
            .map(|_| 0)
    }

    /// One of `options`, else an error suggesting the nearest.
    pub fn keyword(&mut self, options: &[&'static str], what: &str) -> PResult<&'static str> {
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

    /// Like [`Cursor::keyword`], with the description built only when the word is wrong: the
    /// parser runs on every line of every keystroke, and a description is text to format.
    pub fn keyword_with(
        &mut self,
        options: &[&'static str],
        what: impl FnOnce() -> String,
    ) -> PResult<&'static str> {
        if let Some(k) = self
            .peek()
            .and_then(|w| options.iter().find(|k| **k == w))
            .copied()
        {
            self.pos += 1;
            return Ok(k);
        }
        self.keyword(options, &what())
    }

    /// One of a statement's `options`, each allowed once: `seen` remembers those already
    /// given. Returns the option and the position of its word, for errors about it.
    pub fn option(
        &mut self,
        options: &[&'static str],
        what: impl FnOnce() -> String,
        seen: &mut u8,
    ) -> PResult<(&'static str, usize)> {
        let here = self.pos;
        let opt = self.keyword_with(options, what)?;
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

    pub fn end(&self) -> PResult<()> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.error_here("end of line", None)),
        }
    }

    pub fn at_end(&self) -> bool {
        self.pos >= self.words.len()
    }
}
