//! Grading a learner's lines with the engine.
//!
//! The engine evaluates one scenario: the level's start, then the learner's lines, then the
//! goal checks as `expect` lines (appended last, so they judge the final state). Learner line N
//! is line `offset + N` of that scenario; every verdict handed back is renumbered to the
//! learner's own editor. Nothing here decides an outcome: verdicts, expectations and states
//! are the engine's; this module only sorts them into start, learner and goal, and judges the
//! level's constraints on the engine's `Statement` values and outcomes.

use crate::level::{Constraint, Level};
use keyline_rules::{
    state_after, Code, ExpectationReport, KeyState, Outcome, ParseError, Program, Report,
    StateView, Statement, StatementKind, Step,
};

/// One goal check after grading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckResult {
    /// The check's line in the level file.
    pub line: u32,
    /// The `expect` line.
    pub text: String,
    pub passed: bool,
    /// What the final state holds instead (the engine's words; `"no statement yet"` while
    /// neither the start nor the learner has a statement).
    pub actual: String,
}

/// One constraint after grading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConstraintResult {
    pub constraint: Constraint,
    /// The constraint's line in the level file.
    pub line: u32,
    pub passed: bool,
    /// A sentence for the learner: what the constraint asks and, when it fails, the line
    /// that breaks it.
    pub sentence: String,
}

/// Everything the level page shows after an edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grade {
    /// The engine's report of the whole scenario (start, learner, checks), numbered as that
    /// scenario: learner line N is line `offset + N`.
    pub report: Report,
    /// How many lines the start takes before the learner's first line (0 for an empty start).
    pub offset: u32,
    /// The start's verdicts (lines as in the start).
    pub start_steps: Vec<Step>,
    /// The learner's verdicts, `line` being the learner's own line (1-based).
    pub steps: Vec<Step>,
    /// Parse errors in the learner's lines, on the learner's own lines.
    pub errors: Vec<ParseError>,
    /// The learner's own `expect` lines, if they wrote any (not part of the goal).
    pub expectations: Vec<ExpectationReport>,
    /// Every goal check, in the level's order.
    pub checks: Vec<CheckResult>,
    /// Every constraint, in the level's order.
    pub constraints: Vec<ConstraintResult>,
    /// How many statements the learner wrote.
    pub statements: usize,
    /// How many statements the reference solution has.
    pub reference: usize,
    /// Every check and constraint holds and the learner's lines all parse.
    pub done: bool,
}

impl Grade {
    /// The final state (after the learner's lines): the current board.
    pub fn state(&self) -> &StateView {
        &self.report.state
    }
}

/// How many lines `text` takes when joined with a newline after it.
fn line_count(text: &str) -> u32 {
    u32::try_from(text.split('\n').count()).unwrap_or(u32::MAX)
}

/// The one scenario the engine evaluates for a level and a learner's text: the start, the
/// learner's lines, then the goal checks. The app uses it for the engine's other analyses on
/// the level page (`preview` of a hinted line, `lineage`, `state_after`), so they see exactly
/// what grading sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scenario {
    pub text: String,
    /// Learner line N is line `offset + N` of `text`.
    pub offset: u32,
    /// The line of the first goal check (the learner's lines end before it).
    pub checks_from: u32,
}

impl Scenario {
    /// The learner's line (1-based) of a line of the scenario, if it is one of theirs.
    pub fn learner_line(&self, line: u32) -> Option<u32> {
        (line > self.offset && line < self.checks_from).then(|| line - self.offset)
    }

    /// The scenario's line of a learner's line (1-based).
    pub fn scenario_line(&self, learner_line: u32) -> u32 {
        self.offset.saturating_add(learner_line)
    }
}

/// The scenario grading evaluates for `level` and the learner's text.
pub fn scenario(level: &Level, learner: &str) -> Scenario {
    // A byte-order mark is the start of a file, not of the learner's first word.
    let learner = learner.strip_prefix('\u{feff}').unwrap_or(learner);
    let mut text = String::with_capacity(level.start.len() + learner.len() + 256);
    let offset = if level.start.is_empty() {
        0
    } else {
        text.push_str(&level.start);
        text.push('\n');
        line_count(&level.start)
    };
    text.push_str(learner);
    text.push('\n');
    let checks_from = offset.saturating_add(line_count(learner)).saturating_add(1);
    for c in &level.checks {
        text.push_str(&c.expectation.to_string());
        text.push('\n');
    }
    Scenario {
        text,
        offset,
        checks_from,
    }
}

/// The `items` on the learner's lines, renumbered as the learner's editor counts them (`line`
/// is where each item keeps its line; `offset` lines of the start come before the learner's).
fn learner_lines<T: Clone>(
    items: &[T],
    line: impl Fn(&mut T) -> &mut u32,
    is_learner: impl Fn(u32) -> bool,
    offset: u32,
) -> Vec<T> {
    items
        .iter()
        .filter_map(|item| {
            let mut item = item.clone();
            let at = line(&mut item);
            if !is_learner(*at) {
                return None;
            }
            *at -= offset;
            Some(item)
        })
        .collect()
}

/// Grades `learner` (the learner's editor text) against `level`. Never panics.
pub fn grade(level: &Level, learner: &str) -> Grade {
    let combined = scenario(level, learner);
    let program = Program::parse(&combined.text);
    let report = Report::build(&program);
    let (offset, checks_from) = (combined.offset, combined.checks_from);
    let is_learner = |line: u32| combined.learner_line(line).is_some();

    let start_steps = report
        .steps
        .iter()
        .filter(|s| s.line <= offset)
        .cloned()
        .collect();
    let steps: Vec<Step> = learner_lines(&report.steps, |s| &mut s.line, is_learner, offset);
    let errors: Vec<ParseError> =
        learner_lines(&report.errors, |e| &mut e.line, is_learner, offset);
    let expectations: Vec<ExpectationReport> =
        learner_lines(&report.expectations, |e| &mut e.line, is_learner, offset);
    let checks = check_results(level, &report, checks_from);
    let learner_statements: Vec<(u32, Statement)> = program
        .items
        .iter()
        .filter(|i| is_learner(i.line))
        .filter_map(|i| program.statement(i).map(|s| (i.line - offset, s)))
        .collect();
    let ctx = Context {
        program: &program,
        report: &report,
        steps: &steps,
        statements: &learner_statements,
    };
    let constraints: Vec<ConstraintResult> = level
        .constraints
        .iter()
        .map(|c| ConstraintResult {
            constraint: c.constraint.clone(),
            line: c.line,
            passed: false,
            sentence: String::new(),
        })
        .map(|r| judge(&ctx, r))
        .collect();
    let done = errors.is_empty()
        && checks.iter().all(|c| c.passed)
        && constraints.iter().all(|c| c.passed);
    Grade {
        offset,
        start_steps,
        statements: learner_statements.len(),
        reference: reference_count(level),
        steps,
        errors,
        expectations,
        checks,
        constraints,
        done,
        report,
    }
}

/// How many statements the reference solution has.
pub fn reference_count(level: &Level) -> usize {
    Program::parse(&level.solution).statement_count()
}

fn check_results(level: &Level, report: &Report, checks_from: u32) -> Vec<CheckResult> {
    level
        .checks
        .iter()
        .zip(checks_from..)
        .map(|(check, line)| {
            let text = check.expectation.to_string();
            match report.expectations.iter().find(|e| e.line == line) {
                Some(e) => CheckResult {
                    line: check.line,
                    text,
                    passed: e.passed,
                    actual: e.actual.clone(),
                },
                // Not evaluated: the check has no statement above it (an empty start and
                // no learner line yet), which the parser reports instead.
                None => CheckResult {
                    line: check.line,
                    text,
                    passed: false,
                    actual: "no statement yet".to_owned(),
                },
            }
        })
        .collect()
}

/// What judging a constraint reads.
struct Context<'a> {
    program: &'a Program,
    report: &'a Report,
    /// The learner's steps, on the learner's lines.
    steps: &'a [Step],
    /// The learner's statements with their learner lines.
    statements: &'a [(u32, Statement)],
}

const DELETING: &[StatementKind] = &[
    StatementKind::DiskDelete,
    StatementKind::ServerDelete,
    StatementKind::SnapshotDelete,
    StatementKind::BackupDelete,
];

fn judge(ctx: &Context<'_>, mut r: ConstraintResult) -> ConstraintResult {
    let (passed, sentence) = match &r.constraint {
        Constraint::AtMost(n) => {
            let count = ctx.statements.len();
            let word = if *n == 1 { "statement" } else { "statements" };
            (
                count <= *n,
                format!("At most {n} {word}: you wrote {count}."),
            )
        }
        Constraint::NothingDeleted => nothing_deleted(ctx),
        Constraint::NoDataLost => {
            let lost = ctx
                .steps
                .iter()
                .find(|s| s.code == Some(Code::DATA_UNRECOVERABLE));
            match lost {
                None => (true, "No data may become unrecoverable: none did.".to_owned()),
                Some(s) => (
                    false,
                    format!(
                        "No data may become unrecoverable, but line {} (`{}`) made some unrecoverable.",
                        s.line, s.statement
                    ),
                ),
            }
        }
        Constraint::MustUse(p) => {
            // A failing statement changes nothing: it does not count as using it.
            let used = ctx
                .statements
                .iter()
                .zip(ctx.steps)
                .find(|((_, s), step)| p.matches(s) && step.outcome != Outcome::Fail);
            match used {
                Some(((line, _), _)) => (true, format!("Use `{p}`: line {line} does.")),
                None => (
                    false,
                    format!("Use `{p}` (and it must succeed): no line does yet."),
                ),
            }
        }
        Constraint::MustNotUse(p) => {
            let used = ctx.statements.iter().find(|(_, s)| p.matches(s));
            match used {
                None => (true, format!("Do not use `{p}`: no line does.")),
                Some((line, s)) => (
                    false,
                    format!("Do not use `{p}`, but line {line} does (`{s}`)."),
                ),
            }
        }
    };
    r.passed = passed;
    r.sentence = sentence;
    r
}

/// No succeeding `… delete` among the learner's statements, and no key deleted during them.
fn nothing_deleted(ctx: &Context<'_>) -> (bool, String) {
    let deleting = ctx
        .statements
        .iter()
        .zip(ctx.steps)
        .find(|((_, s), step)| DELETING.contains(&s.kind()) && step.outcome != Outcome::Fail);
    if let Some(((line, s), _)) = deleting {
        return (
            false,
            format!("Nothing may be deleted, but line {line} deletes (`{s}`)."),
        );
    }
    let start_statements = ctx.report.steps.len().saturating_sub(ctx.steps.len());
    let before = state_after(ctx.program, start_statements).unwrap_or_default();
    let was_deleted = |name: &str| {
        before
            .keys
            .iter()
            .any(|k| k.name == name && k.state == KeyState::Deleted)
    };
    let key = ctx
        .report
        .state
        .keys
        .iter()
        .find(|k| k.state == KeyState::Deleted && !was_deleted(&k.name));
    match key {
        Some(k) => (
            false,
            format!("Nothing may be deleted, but key {} was deleted.", k.name),
        ),
        None => (true, "Nothing may be deleted: nothing was.".to_owned()),
    }
}
