//! The command line as clap reads it.

use clap::{Parser, Subcommand, ValueEnum};
use keyline_rules::Action;

#[derive(Parser)]
#[command(
    name = "keyline",
    version,
    about = "Check and explain Keyline scenarios: how KMS key states decide what happens to encrypted disks, snapshots, backups, images and AS configurations."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Evaluate each file and its expect lines; print each failing expectation, then `N passed, M failed`.
    Check {
        /// Scenario files (`-` for standard input).
        #[arg(required = true)]
        files: Vec<String>,
    },
    /// Print every statement's outcome, code, rule, explanation and fix, then the final state.
    Run {
        /// Scenario file (`-` for standard input).
        file: String,
        /// Print the report as JSON (version 1).
        #[arg(long, conflicts_with = "markdown")]
        json: bool,
        /// Print a Markdown report for a support ticket.
        #[arg(long)]
        markdown: bool,
    },
    /// Print the provenance chain of a resource after the last line.
    Explain { file: String, resource: String },
    /// What would happen to everything encrypted with a key if it were disabled, scheduled for deletion or deleted after the last line.
    Impact {
        file: String,
        key: String,
        /// The action (all three when omitted).
        #[arg(long, value_enum)]
        action: Option<ActionArg>,
    },
    /// Every key with what depends on it, and the findings a support desk acts on (exit 1 when there is one).
    Audit {
        /// A scenario, or JSON `import` reads (API responses or a Terraform plan); `-` for standard input.
        file: String,
        /// Print the audit as JSON (version 1).
        #[arg(long)]
        json: bool,
    },
    /// Turn a cloud account's KMS, EVS and ECS API responses, or a Terraform plan (`terraform show -json`), into a scenario.
    Import {
        /// JSON files (`-` or none for standard input), in any order; a file may hold several documents. A Terraform plan is read on its own.
        files: Vec<String>,
        /// The day days-left counts from (YYYY-MM-DD); default: the newest date in the input.
        #[arg(long, value_name = "DATE")]
        today: Option<keyline_import::Date>,
    },
    /// The course for authors: list its levels, prove them, print a reference solution.
    #[command(subcommand)]
    Lesson(LessonCommand),
    /// Print the rules of the specification with their documentation sources.
    Rules {
        /// One rule ID, such as R-FROM-SNAP.
        id: Option<String>,
    },
}

/// `keyline lesson …`: the built-in course, or a directory of `*.level` files.
#[derive(Subcommand)]
pub enum LessonCommand {
    /// Every level's id, title, chapter and rules.
    List {
        /// A directory of level files (default: the built-in course).
        dir: Option<String>,
        /// Print `[{"id","title","chapter","rules":[…]}]`.
        #[arg(long)]
        json: bool,
    },
    /// Prove every level: its reference solution reaches the goal within its constraints, the start alone does not, hints and rule IDs are valid, ids unique (exit 1 naming the file, line and reason otherwise).
    Check {
        /// A directory of level files (default: the built-in course, which must also teach every rule).
        dir: Option<String>,
    },
    /// Print a level's reference solution.
    Solution {
        id: String,
        /// A directory of level files (default: the built-in course).
        dir: Option<String>,
    },
}

/// `impact --action`: clap's spelling of the engine's [`Action`].
#[derive(Clone, Copy, ValueEnum)]
pub enum ActionArg {
    Disable,
    ScheduleDeletion,
    Delete,
}

impl From<ActionArg> for Action {
    fn from(a: ActionArg) -> Action {
        match a {
            ActionArg::Disable => Action::Disable,
            ActionArg::ScheduleDeletion => Action::ScheduleDeletion,
            ActionArg::Delete => Action::Delete,
        }
    }
}
