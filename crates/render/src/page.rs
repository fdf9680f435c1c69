//! A complete HTML5 page around the fragment: no script, no `style=` attribute; the CSS in one
//! `<style>` element or a linked stylesheet.

use crate::{escape, render_report, RenderOptions, STYLESHEET};
use keyline_rules::{Program, Report};

/// Where the page's CSS comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stylesheet {
    /// [`STYLESHEET`] in a `<style>` element: one self-contained file.
    Embedded,
    /// `<link rel="stylesheet" href="…">` to this address (a docs site's copy of
    /// `keyline.css`, for a page whose Content-Security-Policy forbids inline style).
    Linked(String),
}

/// The title a page shows: the scenario's `title` line, or "Keyline scenario".
fn page_title(report: &Report) -> String {
    report
        .title
        .as_deref()
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| "Keyline scenario".to_owned())
}

/// Renders `text` as a complete HTML5 document: language, charset, viewport, the title in
/// `<title>` and `<h1>`, the fragment of [`crate::render_scenario`] in `<main>`.
pub fn render_page(text: &str, opts: &RenderOptions, css: Stylesheet) -> String {
    let program = Program::parse(text);
    let report = Report::build(&program);
    let title = page_title(&report);
    let rendered = render_report(&program, &report, opts);
    let mut out = String::with_capacity(rendered.html.len() + STYLESHEET.len() + 512);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"keyline render\">\n<title>");
    escape::plain(&mut out, &title);
    out.push_str("</title>\n");
    match css {
        Stylesheet::Embedded => {
            out.push_str("<style>\n");
            // A stylesheet cannot close its own element early: it is ours and holds no `<`.
            out.push_str(&STYLESHEET.replace('<', "\\3C "));
            out.push_str("</style>\n");
        }
        Stylesheet::Linked(href) => {
            out.push_str("<link rel=\"stylesheet\" href=\"");
            escape::plain(&mut out, &href);
            out.push_str("\">\n");
        }
    }
    out.push_str("</head>\n<body class=\"kl-page\">\n<main>\n<h1 class=\"kl-title\">");
    escape::text(&mut out, &title);
    out.push_str("</h1>\n");
    out.push_str(&rendered.html);
    out.push_str("\n</main>\n</body>\n</html>\n");
    out
}
