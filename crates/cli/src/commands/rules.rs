//! `keyline rules [ID]`

use super::Status;
use crate::error::Error;
use keyline_rules::RuleId;
use std::io::{self, Write};

/// Every rule of the specification (or one) with its documentation source and sentence.
pub fn rules(id: Option<&str>) -> Result<Status, Error> {
    let list: Vec<RuleId> = match id {
        Some(id) => {
            vec![RuleId::parse(id).ok_or_else(|| Error::UnknownRule { id: id.to_owned() })?]
        }
        None => RuleId::ALL.to_vec(),
    };
    let mut out = io::stdout().lock();
    for r in list {
        let i = r.info();
        let inferred = if i.inferred { " (INFERRED)" } else { "" };
        writeln!(
            out,
            "{}{inferred}\n  {}\n  source: {}\n  \"{}\"\n",
            i.id, i.text, i.source, i.quote
        )?;
    }
    Ok(Status::Success)
}
