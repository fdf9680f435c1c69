//! `keyline import FILE...`

use super::Status;
use crate::error::Error;
use crate::input;
use keyline_import::{Date, Document};
use std::io::{self, Write};

/// API responses (files, or standard input when none is given) → a scenario on standard
/// output, warnings on standard error.
pub fn import(files: &[String], today: Option<Date>) -> Result<Status, Error> {
    let stdin = ["-".to_owned()];
    let files = if files.is_empty() { &stdin[..] } else { files };
    let mut docs = Vec::with_capacity(files.len());
    for file in files {
        let input = input::read(file)?;
        let text = String::from_utf8(input.bytes).map_err(|_| Error::NotUtf8 {
            name: input.name.clone(),
        })?;
        docs.push(Document::new(input.name, text));
    }
    let imported = keyline_import::import(&docs, today)?;
    {
        let mut err = io::stderr().lock();
        for w in &imported.warnings {
            writeln!(err, "keyline: warning: {w}")?;
        }
    }
    let mut out = io::stdout().lock();
    out.write_all(imported.scenario.as_bytes())?;
    out.flush()?;
    Ok(Status::Success)
}
