//! `keyline audit FILE [--json]`: every key with what depends on it, the findings a support
//! desk acts on, and each enabled key's exposure (the engine's `audit`, printed).

use super::Status;
use crate::error::Error;
use crate::input;
use crate::output;
use keyline_import::Document;
use keyline_rules::{self as rules, Audit, Program};
use std::io::{self, Write};

/// Audits a scenario, or JSON `keyline import` reads (API responses, a Terraform plan): exit 1
/// when there is a finding, 0 when none, 2 on a parse error (after the audit is printed).
pub fn audit(file: &str, json: bool) -> Result<Status, Error> {
    let input = input::read(file)?;
    let program = if is_json(&input.bytes) {
        let text = String::from_utf8(input.bytes).map_err(|_| Error::NotUtf8 {
            name: input.name.clone(),
        })?;
        let imported = keyline_import::import(&[Document::new(input.name, text)], None)?;
        let mut err = io::stderr().lock();
        for w in &imported.warnings {
            writeln!(err, "keyline: warning: {w}")?;
        }
        Program::parse(&imported.scenario)
    } else {
        let program = Program::parse_bytes(&input.bytes);
        output::parse_errors(&input.name, &program)?;
        program
    };
    let audit = rules::audit(&program);
    let mut out = io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &audit)?;
        writeln!(out)?;
    } else {
        write_text(&mut out, &audit)?;
    }
    out.flush()?;
    Ok(Status::of(!program.errors.is_empty(), audit.has_findings()))
}

/// A JSON document rather than a scenario: its first non-blank character opens an object or
/// an array (a scenario line never starts with either).
fn is_json(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    matches!(
        bytes.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'{' | b'[')
    )
}

fn write_text(out: &mut impl Write, a: &Audit) -> io::Result<()> {
    writeln!(out, "keys on day {}:", a.day)?;
    if a.keys.is_empty() {
        writeln!(out, "  none")?;
    }
    for k in &a.keys {
        let when = match (k.days_left, k.deletion_day) {
            (Some(left), Some(day)) => format!(" (deleted on day {day}, {left} days left)"),
            (None, Some(day)) => format!(" (deleted on day {day})"),
            _ => String::new(),
        };
        let deps: Vec<String> = k
            .dependents
            .iter()
            .map(|d| format!("{} {}", d.kind, d.name))
            .collect();
        writeln!(
            out,
            "  key {} [{}] {}{when}: {}",
            k.name,
            k.kind,
            k.state,
            if deps.is_empty() {
                "nothing depends on it".to_owned()
            } else {
                deps.join(", ")
            }
        )?;
    }
    writeln!(out, "findings:")?;
    if a.findings.is_empty() {
        writeln!(out, "  none")?;
    }
    for f in &a.findings {
        let left = f
            .days_left
            .map(|d| format!("  {d} days left"))
            .unwrap_or_default();
        writeln!(
            out,
            "  {} {} {}  key {} {}  [{}]{left}",
            f.effect.as_str(),
            f.kind,
            f.resource,
            f.key,
            f.key_state,
            f.rule
        )?;
        writeln!(out, "      {}", f.message)?;
        if let Some(fix) = &f.fix {
            writeln!(out, "      fix: {}", fix.join(" / "))?;
        }
    }
    if !a.exposure.is_empty() {
        writeln!(out, "exposure:")?;
        for e in &a.exposure {
            writeln!(out, "  {}", e.message)?;
        }
    }
    writeln!(
        out,
        "{} finding{}",
        a.findings.len(),
        if a.findings.len() == 1 { "" } else { "s" }
    )
}
