//! `keyline check FILE...`: scenario files, and Markdown files whose `keyline` blocks are
//! scenarios.

use super::Status;
use crate::error::Error;
use crate::input::{self, Input};
use crate::markdown::{self, Block};
use crate::output;
use keyline_rules::{self as rules, Program};
use std::io::{self, Write};

/// Expectation counts and whether anything could not be checked, over every file.
#[derive(Default)]
struct Totals {
    passed: usize,
    failed: usize,
    invalid: bool,
}

/// Evaluates each file and prints each failing expectation, then `N passed, M failed`. A file
/// that cannot be read or has parse errors is reported and the others are still checked. A
/// `.md` or `.markdown` file is checked block by block, with the Markdown file's own lines.
pub fn check(files: &[String]) -> Result<Status, Error> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut totals = Totals::default();
    for file in files {
        let result = input::read(file).and_then(|input| {
            if file != "-" && markdown::is_markdown_name(file) {
                check_markdown(&mut out, &input, &mut totals)
            } else {
                check_scenario(&mut out, &input, &mut totals)
            }
        });
        match result {
            Ok(()) => {}
            Err(e) if e.is_broken_pipe() => return Err(e),
            Err(e) => {
                // Flushed first so that on a terminal the message follows the lines before it.
                out.flush()?;
                e.report(&mut io::stderr().lock())?;
                totals.invalid = true;
            }
        }
    }
    writeln!(out, "{} passed, {} failed", totals.passed, totals.failed)?;
    out.flush()?;
    Ok(Status::of(totals.invalid, totals.failed > 0))
}

/// A scenario file: its parse errors on standard error, its failing expectations.
fn check_scenario(out: &mut impl Write, input: &Input, totals: &mut Totals) -> Result<(), Error> {
    let program = Program::parse_bytes(&input.bytes);
    if !program.errors.is_empty() {
        out.flush()?;
        output::parse_errors(&input.name, &program)?;
        totals.invalid = true;
    }
    let r = rules::check(&program);
    for (line, expected, actual) in &r.failures {
        writeln!(
            out,
            "{}:{line}: expected {expected}, got {actual}",
            input.name
        )?;
    }
    totals.passed += r.passed;
    totals.failed += r.failed;
    Ok(())
}

/// A Markdown file: each `keyline` block checked as one scenario, its lines and columns
/// given in the Markdown file. Markdown is UTF-8 text; a file that is not is unreadable.
fn check_markdown(out: &mut impl Write, input: &Input, totals: &mut Totals) -> Result<(), Error> {
    let md = std::str::from_utf8(&input.bytes).map_err(|e| Error::NotUtf8Text {
        name: input.name.clone(),
        offset: e.valid_up_to(),
    })?;
    for block in markdown::blocks(md) {
        check_block(out, &input.name, &block, totals)?;
    }
    Ok(())
}

fn check_block(
    out: &mut impl Write,
    name: &str,
    block: &Block,
    totals: &mut Totals,
) -> Result<(), Error> {
    let program = Program::parse(&block.text);
    if !program.errors.is_empty() {
        out.flush()?;
        let mut err = io::stderr().lock();
        for e in &program.errors {
            let (line, column) = block.md_position(e.line, e.column);
            writeln!(err, "{name}:{line}:{column}: {}", e.message)?;
        }
        totals.invalid = true;
    }
    let r = rules::check(&program);
    for (line, expected, actual) in &r.failures {
        let line = block.md_line(*line);
        writeln!(out, "{name}:{line}: expected {expected}, got {actual}")?;
    }
    totals.passed += r.passed;
    totals.failed += r.failed;
    Ok(())
}
