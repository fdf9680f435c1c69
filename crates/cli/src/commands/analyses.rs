//! `keyline explain` and `keyline impact`: the engine's provenance and what-if, printed.

use super::{parsed, Status};
use crate::error::Error;
use keyline_rules::{self as rules, Action, Impact};
use std::io::{self, Write};

/// The provenance chain of `resource` after the last line.
pub fn explain(file: &str, resource: &str) -> Result<Status, Error> {
    let program = parsed(file)?;
    let p = rules::provenance(&program, resource)?;
    let mut out = io::stdout().lock();
    writeln!(out, "{}", p.text)?;
    for l in &p.chain {
        writeln!(
            out,
            "  line {:>4}  {:<16} {}",
            l.line,
            l.rule.as_str(),
            l.label
        )?;
    }
    Ok(Status::of(!program.errors.is_empty(), false))
}

/// What `action` (or each of the three) would do to everything encrypted with `key`.
pub fn impact(file: &str, key: &str, action: Option<Action>) -> Result<Status, Error> {
    let program = parsed(file)?;
    let actions: Vec<Action> = match action {
        Some(a) => vec![a],
        None => Action::ALL.to_vec(),
    };
    let mut out = io::stdout().lock();
    for a in actions {
        let i = rules::impact(&program, key, a)?;
        write_impact(&mut out, &i, a)?;
    }
    Ok(Status::of(!program.errors.is_empty(), false))
}

fn write_impact(out: &mut impl Write, i: &Impact, a: Action) -> io::Result<()> {
    let happened = match a {
        Action::Disable => "disabled",
        Action::ScheduleDeletion => "scheduled for deletion",
        Action::Delete => "deleted",
    };
    writeln!(
        out,
        "if key {} is {happened}: ({})",
        i.key,
        i.statements.join(" / ")
    )?;
    if let (Some(code), Some(msg)) = (i.blocked, &i.blocked_message) {
        writeln!(out, "  not possible: {code}: {msg}")?;
    } else if i.affected.is_empty() {
        writeln!(out, "  nothing is affected")?;
    }
    for x in &i.affected {
        writeln!(
            out,
            "  {} {} {}: {}",
            x.kind,
            x.name,
            x.effect.as_str(),
            x.message
        )?;
    }
    Ok(())
}
