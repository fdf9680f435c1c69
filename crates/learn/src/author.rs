//! Turning a playground scenario into a draft level ("Make a level" in the app).
//!
//! The lines above the caret become the start (verbatim, comments included); below it, the
//! statements become the reference solution and the `expect` lines about the final state
//! become the goal checks (both printed by the engine from its values). The rules cited by
//! the solution's verdicts fill `rules:`. The author completes the id, title, chapter, intro,
//! goal, quote and hints, then runs `keyline lesson check`.

use keyline_rules::{ExpectationOf, ItemKind, Program, Report, RuleId};
use std::fmt::Write as _;

/// A draft level file from a scenario and the caret's 1-based line (lines `< caret_line` are
/// the start). Never panics; a caret past the end makes everything the start.
pub fn level_from_scenario(text: &str, caret_line: u32) -> String {
    let program = Program::parse(text);
    let caret = caret_line.max(1);
    let start: Vec<&str> = text
        .split('\n')
        .take(usize::try_from(caret - 1).unwrap_or(usize::MAX))
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let mut solution = Vec::new();
    let mut checks = Vec::new();
    let mut outcome_checks = Vec::new();
    for item in program.items.iter().filter(|i| i.line >= caret) {
        match &item.kind {
            ItemKind::Statement(_) => {
                if let Some(s) = program.statement(item) {
                    solution.push(s.to_string());
                }
            }
            ItemKind::Expect(ExpectationOf::Outcome(..)) => {
                if let Some(e) = program.expectation(item) {
                    outcome_checks.push(e.to_string());
                }
            }
            ItemKind::Expect(_) => {
                if let Some(e) = program.expectation(item) {
                    checks.push(e.to_string());
                }
            }
        }
    }
    let rules = solution_rules(&program, caret);
    let mut o = String::new();
    let title = program.title.clone().unwrap_or_default();
    let _ = writeln!(
        o,
        "# A draft level made from a scenario: complete every TODO, then run"
    );
    let _ = writeln!(
        o,
        "# `keyline lesson check DIR` (docs/levels.md describes each field)."
    );
    let _ = writeln!(o, "id: my-level");
    let _ = writeln!(
        o,
        "title: {}",
        if title.trim().is_empty() {
            "TODO"
        } else {
            title.trim()
        }
    );
    let _ = writeln!(o, "chapter: TODO");
    let _ = writeln!(o, "rules: {}", rules.join(" "));
    let _ = writeln!(
        o,
        "quote: 000 TODO: the documentation's sentence (000 or 003)"
    );
    let _ = writeln!(o, "intro: TODO: a few friendly sentences");
    let _ = writeln!(o, "goal: TODO: the goal in words");
    let _ = writeln!(o, "hint: TODO: a gentle hint first");
    for line in &outcome_checks {
        let _ = writeln!(
            o,
            "# not a goal check (it is about a statement, not the final state): {line}"
        );
    }
    o.push_str("start:\n");
    let last = start
        .iter()
        .rposition(|l| !l.trim().is_empty())
        .map_or(0, |i| i + 1);
    for line in start.get(..last).unwrap_or_default() {
        let _ = writeln!(o, "{line}");
    }
    o.push_str("checks:\n");
    for line in &checks {
        let _ = writeln!(o, "{line}");
    }
    o.push_str("solution:\n");
    for line in &solution {
        let _ = writeln!(o, "{line}");
    }
    o
}

/// The rules the engine cites for the solution's statements, in SPEC order.
fn solution_rules(program: &Program, caret: u32) -> Vec<&'static str> {
    let report = Report::build(program);
    RuleId::ALL
        .iter()
        .filter(|r| {
            report
                .steps
                .iter()
                .any(|s| s.line >= caret && s.rule == **r)
        })
        .map(|r| r.as_str())
        .collect()
}
