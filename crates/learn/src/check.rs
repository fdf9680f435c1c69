//! `keyline lesson check`: proving that levels can be played.
//!
//! A level is proven when its reference solution reaches the goal within its constraints
//! (graded exactly as a learner's lines are, [`crate::grade`]), the start alone does not, and
//! every hint says something. A course is proven when every file reads as a level, ids are
//! unique and, for the built-in course, every rule of SPEC §3 is taught.

use crate::grade::grade;
use crate::hint::{hint_snippets, Snippet};
use crate::level::{Level, LevelError};
use keyline_rules::RuleId;
use std::fmt;
use thiserror::Error;

/// Why a level does not prove, with its level-file line.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("line {line}: {kind}")]
pub struct Problem {
    pub line: u32,
    pub kind: ProblemKind,
}

/// Why a level does not prove.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProblemKind {
    #[error("the level file cannot be read: {0}")]
    Unreadable(String),
    #[error("the reference solution does not reach the goal: expected {check}, got {actual}")]
    GoalNotReached { check: String, actual: String },
    #[error("the reference solution breaks a constraint: {0}")]
    ConstraintBroken(String),
    #[error("the reference solution has a parse error: {0}")]
    SolutionParse(String),
    #[error("the start alone already reaches the goal: there is nothing to do")]
    StartAlreadyDone,
    #[error("hint {0} is empty")]
    EmptyHint(usize),
    #[error("hint {hint} quotes `{snippet}`, which is not a statement: {message}")]
    HintStatement {
        hint: usize,
        snippet: String,
        message: String,
    },
    #[error("the id `{id}` is already used by {other}")]
    DuplicateId { id: String, other: String },
}

/// Proves one level; every problem found, in file order.
pub fn check_level(level: &Level) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (i, (hint, line)) in level.hints.iter().zip(&level.lines.hints).enumerate() {
        if hint.trim().is_empty() {
            problems.push(Problem {
                line: *line,
                kind: ProblemKind::EmptyHint(i + 1),
            });
        }
        for (snippet, message) in bad_snippets(hint) {
            problems.push(Problem {
                line: *line,
                kind: ProblemKind::HintStatement {
                    hint: i + 1,
                    snippet,
                    message,
                },
            });
        }
    }
    let reference = grade(level, &level.solution);
    for e in &reference.errors {
        problems.push(Problem {
            line: level.solution_file_line(e.line),
            kind: ProblemKind::SolutionParse(format!("column {}: {}", e.column, e.message)),
        });
    }
    for c in reference.checks.iter().filter(|c| !c.passed) {
        problems.push(Problem {
            line: c.line,
            kind: ProblemKind::GoalNotReached {
                check: keyline_rules::expected_words(&c.text),
                actual: c.actual.clone(),
            },
        });
    }
    for c in reference.constraints.iter().filter(|c| !c.passed) {
        problems.push(Problem {
            line: c.line,
            kind: ProblemKind::ConstraintBroken(c.sentence.clone()),
        });
    }
    let start = grade(level, "");
    if start.checks.iter().all(|c| c.passed) {
        problems.push(Problem {
            line: level.lines.checks,
            kind: ProblemKind::StartAlreadyDone,
        });
    }
    problems.sort_by_key(|p| p.line);
    problems
}

/// The `code` snippets of a hint that start like a statement (or an `expect` line) but do not
/// parse as one, nor as a statement's first words (`key enable`): a hint that would mislead.
fn bad_snippets(hint: &str) -> Vec<(String, String)> {
    hint_snippets(hint)
        .into_iter()
        .filter_map(|(text, snippet)| match snippet {
            Snippet::Broken(message) => Some((text.to_owned(), message)),
            _ => None,
        })
        .collect()
}

/// A problem of a course: the file (none for the course as a whole) and the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseProblem {
    pub file: Option<String>,
    pub line: u32,
    pub message: String,
}

/// `FILE:LINE: message`, or the message alone for the course as a whole.
impl fmt::Display for CourseProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.file {
            Some(file) => write!(f, "{file}:{}: {}", self.line, self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Whether a course must teach every rule of SPEC §3 (the built-in one must; a teacher's
/// directory of extra levels need not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    EveryRule,
    Any,
}

/// The rules of SPEC §3 that no level teaches.
pub fn untaught_rules(levels: &[Level]) -> Vec<RuleId> {
    RuleId::ALL
        .iter()
        .copied()
        .filter(|r| !levels.iter().any(|l| l.rules.contains(r)))
        .collect()
}

/// Proves a course given as (file name, level-file text) pairs, in course order. Returns the
/// levels that read and every problem (empty when the course proves).
pub fn check_course(
    files: &[(String, String)],
    coverage: Coverage,
) -> (Vec<Level>, Vec<CourseProblem>) {
    let mut levels: Vec<(String, Level)> = Vec::new();
    let mut problems = Vec::new();
    for (file, text) in files {
        let level = match Level::parse(text) {
            Ok(l) => l,
            Err(LevelError { line, kind }) => {
                problems.push(CourseProblem {
                    file: Some(file.clone()),
                    line,
                    message: kind.to_string(),
                });
                continue;
            }
        };
        if let Some((other, _)) = levels.iter().find(|(_, l)| l.id == level.id) {
            problems.push(CourseProblem {
                file: Some(file.clone()),
                line: level.lines.id,
                message: ProblemKind::DuplicateId {
                    id: level.id.clone(),
                    other: other.clone(),
                }
                .to_string(),
            });
        }
        for p in check_level(&level) {
            problems.push(CourseProblem {
                file: Some(file.clone()),
                line: p.line,
                message: p.kind.to_string(),
            });
        }
        levels.push((file.clone(), level));
    }
    let levels: Vec<Level> = levels.into_iter().map(|(_, l)| l).collect();
    if coverage == Coverage::EveryRule {
        let missing = untaught_rules(&levels);
        if !missing.is_empty() {
            let ids: Vec<&str> = missing.iter().map(|r| r.as_str()).collect();
            problems.push(CourseProblem {
                file: None,
                line: 0,
                message: format!("no level teaches {}", ids.join(", ")),
            });
        }
    }
    (levels, problems)
}
