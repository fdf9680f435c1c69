//! Keyline's static renderer: a scenario's report as an HTML fragment (a code block that knows
//! its verdicts), a complete page, or the lineage graph as SVG — for documentation built
//! without JavaScript, PDFs and slides, and for the `<keyline-scenario>` element, which
//! renders through the same functions so a static page and a live element look alike.
//!
//! Pure: no I/O, no panics on any input. Everything shown comes from the engine
//! ([`keyline_rules::Report`], [`keyline_rules::lineage`]); nothing here decides an outcome or
//! writes statement text. All text is escaped, and invisible or reordering characters (bidi
//! controls) are shown as their code point ([`escape`]).
#![deny(clippy::indexing_slicing)]
#![cfg_attr(
    test,
    allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]

mod board;
mod code;
pub mod escape;
pub mod layout;
mod page;
mod svg;

use keyline_rules::{Program, Report};
use serde::Serialize;

pub use layout::{layout, Spacing};
pub use page::{render_page, Stylesheet};
pub use svg::lineage_svg;

/// The one stylesheet: the static page embeds or links it, and the element loads it (copied
/// to `dist/keyline-element.css`) into its shadow root. It styles by class only.
pub const STYLESHEET: &str = include_str!("../keyline.css");

/// What is shown below the code block.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum View {
    /// The code block and its verdicts only.
    #[default]
    Code,
    /// Also the final state: every resource, grouped by kind.
    Board,
    /// Also the lineage graph (inline SVG).
    Graph,
}

impl View {
    /// `board` or `graph` (as the element's `view` attribute and `--view` spell them); any
    /// other word is [`View::Code`].
    pub fn parse(word: &str) -> View {
        match word.trim() {
            "board" => View::Board,
            "graph" => View::Graph,
            _ => View::Code,
        }
    }

    /// The word for it (`code`, `board`, `graph`).
    pub const fn as_str(self) -> &'static str {
        match self {
            View::Code => "code",
            View::Board => "board",
            View::Graph => "graph",
        }
    }
}

/// How to render.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenderOptions {
    pub view: View,
    /// The app's address: adds an "Open in Keyline" link to `{app_url}#z=…`. Only `http:`,
    /// `https:` or a relative address is linked.
    pub app_url: Option<String>,
}

/// A rendered scenario: the HTML fragment and what the element reports in its
/// `keyline-result` event (the shape of SPEC §7's `keyline:result` message).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rendered {
    pub html: String,
    /// Expectations that passed.
    pub passed: usize,
    /// Expectations that failed.
    pub failed: usize,
    pub steps: Vec<StepMark>,
}

/// One statement's verdict, as `keyline:result` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepMark {
    pub line: u32,
    /// `ok`, `warn` or `fail`.
    pub outcome: &'static str,
    /// `null` for `ok`.
    pub code: Option<String>,
}

/// Renders a scenario as an HTML fragment: every source line in order with its verdict, the
/// explanation of each statement on demand (`<details>`), each expectation passed or failed,
/// parse errors on their lines, the summary, and what `opts` adds (board, graph, app link).
pub fn render_scenario(text: &str, opts: &RenderOptions) -> Rendered {
    let program = Program::parse(text);
    let report = Report::build(&program);
    render_report(&program, &report, opts)
}

/// [`render_scenario`] of a program already parsed and evaluated.
fn render_report(program: &Program, report: &Report, opts: &RenderOptions) -> Rendered {
    let text = program.source.as_str();
    let mut html = String::with_capacity(text.len() * 4 + 1024);
    html.push_str("<div class=\"kl-scenario\" data-view=\"");
    html.push_str(opts.view.as_str());
    html.push_str("\">");
    code::code_block(&mut html, text, report);
    code::footer(&mut html, text, report, opts.app_url.as_deref());
    match opts.view {
        View::Code => {}
        View::Board => board::board(&mut html, &report.state),
        View::Graph => svg::figure(&mut html, &keyline_rules::lineage(program, None)),
    }
    html.push_str("</div>");
    Rendered {
        html,
        passed: report.summary.passed,
        failed: report.summary.failed,
        steps: report
            .steps
            .iter()
            .map(|s| StepMark {
                line: s.line,
                outcome: s.outcome.as_str(),
                code: s.code.map(|c| c.as_str().to_owned()),
            })
            .collect(),
    }
}
