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
    /// Render a scenario with its verdicts as HTML with no script (a page, or a fragment), or its lineage graph as SVG: for docs built without JavaScript, PDFs and slides.
    ///
    /// Exits 0 once written, even when an expectation fails or a line does not parse (they are shown in the output and listed on standard error); `keyline check` is the gate.
    Render {
        /// Scenario file (`-` for standard input).
        file: String,
        /// Print HTML (the default): a complete page, or with --fragment the fragment alone.
        #[arg(long, conflicts_with = "svg")]
        html: bool,
        /// Print only the lineage graph, as a standalone SVG.
        #[arg(long, conflicts_with_all = ["fragment", "stylesheet", "view", "app_url"])]
        svg: bool,
        /// Print the HTML fragment without the page around it (for a docs generator to embed).
        #[arg(long, conflicts_with = "stylesheet")]
        fragment: bool,
        /// Link this stylesheet (a copy of keyline.css) instead of embedding the CSS in the page.
        #[arg(long, value_name = "HREF")]
        stylesheet: Option<String>,
        /// Add the final state (board) or the lineage graph below the code.
        #[arg(long, value_enum)]
        view: Option<ViewArg>,
        /// Add an "Open in Keyline" link to this app address (with the scenario in `#z=`).
        #[arg(long, value_name = "URL")]
        app_url: Option<String>,
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

/// `render --view`.
#[derive(Clone, Copy, ValueEnum)]
pub enum ViewArg {
    Board,
    Graph,
}

impl From<ViewArg> for keyline_render::View {
    fn from(v: ViewArg) -> keyline_render::View {
        match v {
            ViewArg::Board => keyline_render::View::Board,
            ViewArg::Graph => keyline_render::View::Graph,
        }
    }
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
