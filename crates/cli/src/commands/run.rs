//! `keyline run FILE [--json | --markdown]`

use super::Status;
use crate::error::Error;
use crate::input;
use crate::output::Style;
use keyline_rules::{Outcome, Report, StateView, Step};
use std::io::{self, Write};

/// Every statement's verdict, explanation and fix, then the final state: as text, as the
/// JSON report (version 1) or as Markdown for a support ticket.
pub fn run(file: &str, json: bool, markdown: bool) -> Result<Status, Error> {
    let input = input::read(file)?;
    let program = keyline_rules::Program::parse_bytes(&input.bytes);
    let report = Report::build(&program);
    let mut out = io::BufWriter::new(io::stdout().lock());
    if json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else if markdown {
        write!(out, "{}", report.to_markdown())?;
    } else {
        write_text(&mut out, &input.name, &report, &Style::stdout())?;
    }
    out.flush()?;
    Ok(Status::of(
        !report.errors.is_empty(),
        report.summary.failed > 0,
    ))
}

/// The report as text: title, parse errors, steps, failing expectations, state, summary.
fn write_text(out: &mut impl Write, name: &str, report: &Report, st: &Style) -> io::Result<()> {
    if let Some(t) = &report.title {
        writeln!(out, "{}\n", st.paint("1", t))?;
    }
    for e in &report.errors {
        writeln!(out, "{name}: {} {e}", st.paint("31;1", "parse error"))?;
    }
    for s in &report.steps {
        write_step(out, s, st)?;
    }
    for e in report.expectations.iter().filter(|e| !e.passed) {
        writeln!(
            out,
            "{name}:{}: expected {}, got {}",
            e.line,
            e.expected(),
            e.actual
        )?;
    }
    write_state(out, &report.state)?;
    writeln!(out, "{}", report.summary)
}

/// One statement: line, outcome, code, rule and statement; its sentence, provenance and fix.
fn write_step(out: &mut impl Write, s: &Step, st: &Style) -> io::Result<()> {
    let code = s.code.map(|c| format!(" {c}")).unwrap_or_default();
    writeln!(
        out,
        "{:>4}  {}{}  [{}]  {}",
        s.line,
        st.outcome(s.outcome),
        code,
        s.rule,
        s.statement
    )?;
    writeln!(out, "      {}", s.message)?;
    if let Some(p) = &s.provenance {
        writeln!(out, "      provenance: {p}")?;
    }
    match (&s.fix, s.outcome) {
        (Some(fix), _) => writeln!(
            out,
            "      fix: insert before line {}: {}",
            s.line,
            fix.join(" / ")
        ),
        (None, Outcome::Fail) => writeln!(out, "      fix: none that a statement can make"),
        _ => Ok(()),
    }
}

/// The final state: clock and access, then every resource by kind.
fn write_state(out: &mut impl Write, s: &StateView) -> io::Result<()> {
    writeln!(
        out,
        "\nstate: day {}, KMS access {}, role {}",
        s.day,
        if s.kms_access {
            "granted"
        } else {
            "not granted"
        },
        s.role
    )?;
    for k in &s.keys {
        let left = k
            .days_left
            .map(|d| {
                format!(
                    " (deleted on day {}, {d} days left)",
                    k.deletion_day.unwrap_or_default()
                )
            })
            .unwrap_or_default();
        writeln!(out, "  key {} [{}] {}{left}", k.name, k.kind, k.state)?;
    }
    for v in &s.servers {
        writeln!(
            out,
            "  server {} {} system disk {} data disks [{}]",
            v.name,
            v.power,
            v.system_disk.as_deref().unwrap_or("none"),
            v.data_disks.join(", ")
        )?;
    }
    for d in &s.disks {
        let on = d
            .attached_to
            .as_deref()
            .map(|s| format!("attached to {s}"))
            .unwrap_or_else(|| "detached".to_owned());
        writeln!(
            out,
            "  disk {} {} encryption {} {} {on}",
            d.name, d.role, d.encryption, d.health
        )?;
    }
    for (kind, list) in [("snapshot", &s.snapshots), ("backup", &s.backups)] {
        for c in list {
            writeln!(
                out,
                "  {kind} {} of {} encryption {}",
                c.name, c.disk, c.encryption
            )?;
        }
    }
    for i in &s.images {
        writeln!(
            out,
            "  image {} ({}) encryption {}",
            i.name, i.origin, i.encryption
        )?;
    }
    for c in &s.configs {
        writeln!(
            out,
            "  config {} from {} encryption {} data [{}]",
            c.name,
            c.server,
            c.encryption,
            c.data_encryption.join(", ")
        )?;
    }
    Ok(())
}
