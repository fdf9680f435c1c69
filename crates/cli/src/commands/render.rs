//! `keyline render FILE [--html | --svg] [--fragment] [--stylesheet HREF] [--view V]
//! [--app-url URL]`: the scenario with its verdicts as static HTML, or its lineage as SVG.

use super::Status;
use crate::error::Error;
use crate::{input, output};
use keyline_render::{RenderOptions, Stylesheet, View};
use keyline_rules::{self as rules, Program};
use std::io::{self, Write};

/// What `keyline render` was asked for.
pub struct RenderArgs {
    pub file: String,
    /// Only the lineage SVG.
    pub svg: bool,
    /// The HTML fragment without the page.
    pub fragment: bool,
    /// Link this stylesheet instead of embedding the CSS.
    pub stylesheet: Option<String>,
    pub view: View,
    pub app_url: Option<String>,
}

/// Writes the rendering to standard output, then lists on standard error what the output
/// shows as failing (parse errors, failed expectations). Exits 0 once written: a docs build
/// renders failing examples too (a page may show one on purpose), and `keyline check` is the
/// command that fails on them.
pub fn render(args: &RenderArgs) -> Result<Status, Error> {
    let input = input::read(&args.file)?;
    let text = std::str::from_utf8(&input.bytes).map_err(|e| Error::NotUtf8Text {
        name: input.name.clone(),
        offset: e.valid_up_to(),
    })?;
    let program = Program::parse(text);
    let opts = RenderOptions {
        view: args.view,
        app_url: args.app_url.clone(),
    };
    let mut body = if args.svg {
        keyline_render::lineage_svg(&rules::lineage(&program, None))
    } else if args.fragment {
        keyline_render::render_scenario(text, &opts).html
    } else {
        let css = match &args.stylesheet {
            Some(href) => Stylesheet::Linked(href.clone()),
            None => Stylesheet::Embedded,
        };
        keyline_render::render_page(text, &opts, css)
    };
    if !body.ends_with('\n') {
        body.push('\n');
    }
    let mut out = io::stdout().lock();
    out.write_all(body.as_bytes())?;
    out.flush()?;
    output::parse_errors(&input.name, &program)?;
    let r = rules::check(&program);
    let mut err = io::stderr().lock();
    for (line, expected, actual) in &r.failures {
        writeln!(
            err,
            "{}:{line}: expected {expected}, got {actual}",
            input.name
        )?;
    }
    Ok(Status::Success)
}
