//! Authoring: what the builder, the board's quick actions, fixes and the what-if insert, as
//! values of the engine's statement model. Plain Rust (no yew, no web-sys), so it is tested
//! natively (`cargo test -p keyline-web --lib`); the components only wire it to the DOM.
//!
//! Nothing here writes statement text or predicts an outcome: lines are
//! [`keyline_rules::Statement`] and [`keyline_rules::Expectation`] values printed by the
//! engine, and what a line would do comes from [`keyline_rules::preview`].

pub mod form;
pub mod names;
pub mod quick;
pub mod text;

use keyline_rules::{Expectation, Program, Statement};
use std::fmt;

/// Lines to insert, shared between the button that inserts them and the action.
pub type Lines = std::rc::Rc<[Line]>;

/// One line to insert into the scenario: a statement or an `expect` line.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Line {
    Statement(Statement),
    Expectation(Expectation),
}

impl From<Statement> for Line {
    fn from(s: Statement) -> Self {
        Line::Statement(s)
    }
}

impl From<Expectation> for Line {
    fn from(e: Expectation) -> Self {
        Line::Expectation(e)
    }
}

impl Line {
    /// The engine's canonical text of the line (through `format!`, which the app shares, not
    /// a `to_string` of its own).
    pub fn text(&self) -> String {
        format!("{self}")
    }
}

/// The engine's canonical text of the line.
impl fmt::Display for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Line::Statement(s) => s.fmt(f),
            Line::Expectation(e) => e.fmt(f),
        }
    }
}

/// The statements of lines the engine wrote (a step's fix, a what-if), as values. Every such
/// line parses (the engine's property tests insert every fix); one that did not would be
/// left out rather than inserted as text. Read by the scenario parser the app already runs
/// (`Statement::from_str` would add its own copy of the grammar to the bundle).
pub fn statements_of(lines: &[String]) -> Lines {
    let program = Program::parse(&lines.join("\n"));
    program
        .items
        .iter()
        .filter_map(|item| program.statement(item))
        .map(Line::Statement)
        .collect()
}

/// One line, to insert.
pub fn one(line: impl Into<Line>) -> Lines {
    std::rc::Rc::from([line.into()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_lines_become_statements_and_print_back() {
        let lines = vec![
            "key cancel-deletion k1".to_owned(),
            "key enable k1".to_owned(),
        ];
        let parsed = statements_of(&lines);
        assert_eq!(
            *parsed,
            [
                Line::Statement(Statement::KeyCancelDeletion("k1".into())),
                Line::Statement(Statement::KeyEnable("k1".into())),
            ]
        );
        let printed: Vec<String> = parsed.iter().map(Line::to_string).collect();
        assert_eq!(printed, lines);
        assert!(statements_of(&["not a statement".to_owned()]).is_empty());
    }
}
