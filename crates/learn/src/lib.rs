//! Keyline's course: levels that teach every rule of SPEC §3 as challenges the rules engine
//! grades. Pure: no I/O, no panics on any input (the workspace's lints, and a property test).
//!
//! A level is data: a line-oriented text file (`docs/levels.md`) in `crates/learn/course/`,
//! compiled in ([`Course::builtin`]). The flow is one direction, every verdict the engine's:
//!
//! ```text
//! level file ──Level::parse──▶ Level ──grade(level, learner text)──▶ Grade
//!                                 │                                   (steps on the learner's lines,
//!                                 │                                    goal checks, constraints, done)
//!                                 ├──goal_state──▶ StateView ──differences(current, goal)──▶ Vec<Difference>
//!                                 └──check_level──▶ Vec<Problem>   (keyline lesson check)
//! ```
//!
//! | module | what it holds |
//! | --- | --- |
//! | `level` | [`Level`] and the level file format: parse (errors with the file's line), print |
//! | `grade` | [`scenario`] (start + learner lines + goal checks, one text) and [`grade`]: that scenario through the engine; constraints |
//! | `diff` | [`goal_state`], [`start_state`], [`differences`] between two boards |
//! | `hint` | [`hint_statements`]: the whole statements a hint quotes (previewed on the level page); [`hint_snippets`] for `lesson check` |
//! | `check` | [`check_level`], [`check_course`]: the reference proves, the start does not |
//! | `author` | [`level_from_scenario`]: a draft level from the playground's scenario |
//! | `pack` | [`pack`], [`unpack`]: several levels in a `#learn-pack=` link |
//! | `progress` | [`Progress`]: levels done, best counts, tries (versioned JSON) |
//! | `course` | [`Course`]: the built-in level files, chapters, next level |
#![deny(clippy::indexing_slicing)]
#![cfg_attr(
    test,
    allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]

mod author;
mod check;
mod course;
mod diff;
mod grade;
mod hint;
mod level;
mod pack;
mod progress;

pub use author::level_from_scenario;
pub use check::{
    check_course, check_level, untaught_rules, CourseProblem, Coverage, Problem, ProblemKind,
};
pub use course::{Chapter, Course, SOURCES};
pub use diff::{differences, goal_state, start_state, Difference, DifferenceKind};
pub use grade::{grade, reference_count, scenario, CheckResult, ConstraintResult, Grade, Scenario};
pub use hint::{classify, hint_snippets, hint_statements, Snippet};
pub use level::{
    is_valid_id, Check, Constrained, Constraint, DocSource, Level, LevelError, LevelErrorKind,
    Lines, Pattern, Quote, MAX_ID_LEN, MAX_LEVEL_BYTES,
};
pub use pack::{
    level_link, pack, pack_value, unpack, PackError, LEVEL_PARAM, MAX_PACK_BYTES, MAX_PACK_LEVELS,
    PACK_PARAM, PACK_VERSION,
};
pub use progress::{
    Progress, ProgressError, MAX_PROGRESS_BYTES, PROGRESS_VERSION, TRIES_BEFORE_SOLUTION,
};
