//! One function per subcommand. Each returns how it ended ([`Status`]) or the [`Error`] that
//! stopped it; none of them decides an outcome or builds a sentence (the engine does).

mod analyses;
mod audit;
mod check;
mod import;
pub mod lesson;
mod render;
mod rules;
mod run;

pub use analyses::{explain, impact};
pub use audit::audit;
pub use check::check;
pub use import::import;
pub use render::{render, RenderArgs};
pub use rules::rules;
pub use run::run;

use crate::error::Error;
use crate::input;
use crate::output;
use keyline_rules::Program;
use std::process::ExitCode;

/// How a command ended: SPEC §5's exit codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// 0: every expectation passed (or there was nothing to check).
    Success,
    /// 1: an expectation failed.
    Failed,
    /// 2: a parse error, an unreadable file or bad usage.
    Invalid,
}

impl From<Status> for ExitCode {
    fn from(s: Status) -> ExitCode {
        ExitCode::from(match s {
            Status::Success => 0,
            Status::Failed => 1,
            Status::Invalid => 2,
        })
    }
}

impl Status {
    /// The status of a file's evaluation: parse errors first, then failed expectations.
    fn of(parse_errors: bool, failed: bool) -> Status {
        if parse_errors {
            Status::Invalid
        } else if failed {
            Status::Failed
        } else {
            Status::Success
        }
    }
}

/// Reads and parses `file`, printing its parse errors to standard error: the start of
/// `explain` and `impact`, which go on despite them (and exit 2 at the end).
fn parsed(file: &str) -> Result<Program, Error> {
    let input = input::read(file)?;
    let program = Program::parse_bytes(&input.bytes);
    output::parse_errors(&input.name, &program)?;
    Ok(program)
}
