//! Keyline's rules engine: the scenario language of SPEC §2, the rules of SPEC §3 and the
//! analyses of SPEC §4. Pure and deterministic: no I/O, no panics on any input.
//!
//! The flow is one direction: text → [`Program::parse`] → evaluation (`eval`) → [`Report`].
//! [`evaluate`] does it all; [`check`] is the quiet path that builds no sentences.
#![deny(clippy::indexing_slicing)]
#![cfg_attr(
    test,
    allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]

mod analysis;
mod audit;
mod codes;
mod complete;
mod eval;
mod explain;
pub mod generate;
mod markdown;
mod model;
mod names;
mod report;
mod syntax;
mod world;

pub use analysis::{
    check, impact, lineage, preview, provenance, state_after, Action, Affected, AnalysisError,
    CheckResult, Effect, Impact, Lineage, LineageEdge, LineageNode, Link, Provenance,
};
pub use audit::{audit, Audit, Dependent, Exposure, Finding, KeyAudit, AUDIT_VERSION};
pub use codes::{Code, Outcome, RuleId, RuleInfo};
pub use codes::{DELETION_WINDOW_DAYS, WAIT_DAYS};
pub use complete::{complete, highlight, Completion, Token, TokenKind};
pub use model::{DiskRole, Health, KeyState, Kind, Power, Role};
pub use names::{
    data_disk_name, fresh_name, fresh_name_from, is_valid_name, system_disk_name, NewResource,
    Numbering, DEFAULT_KEY, MAX_NAME_LEN,
};
pub use report::{
    expected_words, ConfigView, CopyView, DiskView, ExpectationReport, ImageView, KeyView, Report,
    ServerView, StateView, Step, Summary, REPORT_VERSION,
};
pub use syntax::{
    DiskFrom, Expectation, ExpectationOf, Item, ItemKind, ParseError, ParseErrorCode, Program,
    Source, Statement, StatementKind, StatementOf, PLANNED_MARKER, STATEMENT_KEYWORDS,
};

/// Parses and evaluates a scenario: every statement's verdict, every expectation, every parse
/// error and the final state.
pub fn evaluate(text: &str) -> Report {
    Report::build(&Program::parse(text))
}

/// Like [`evaluate`], for bytes that may not be UTF-8 (bad lines get positioned errors).
pub fn evaluate_bytes(bytes: &[u8]) -> Report {
    Report::build(&Program::parse_bytes(bytes))
}
