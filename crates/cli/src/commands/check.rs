//! `keyline check FILE...`

use super::Status;
use crate::error::Error;
use crate::{input, output};
use keyline_rules::{self as rules, Program};
use std::io::{self, Write};

/// Evaluates each file and prints each failing expectation, then `N passed, M failed`. A file
/// that cannot be read or has parse errors is reported and the others are still checked.
pub fn check(files: &[String]) -> Result<Status, Error> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    let (mut passed, mut failed, mut invalid) = (0usize, 0usize, false);
    for file in files {
        let input = match input::read(file) {
            Ok(i) => i,
            Err(e) => {
                // Flushed first so that on a terminal the message follows the lines before it.
                out.flush()?;
                e.report(&mut io::stderr().lock())?;
                invalid = true;
                continue;
            }
        };
        let program = Program::parse_bytes(&input.bytes);
        if !program.errors.is_empty() {
            out.flush()?;
            output::parse_errors(&input.name, &program)?;
            invalid = true;
        }
        let r = rules::check(&program);
        for (line, expected, actual) in &r.failures {
            writeln!(
                out,
                "{}:{line}: expected {expected}, got {actual}",
                input.name
            )?;
        }
        passed += r.passed;
        failed += r.failed;
    }
    writeln!(out, "{passed} passed, {failed} failed")?;
    out.flush()?;
    Ok(Status::of(invalid, failed > 0))
}
