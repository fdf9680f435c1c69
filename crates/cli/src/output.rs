//! What every command shares on the way out: terminal styling and parse errors on standard
//! error.

use keyline_rules::{Outcome, Program};
use std::io::{self, IsTerminal, Write};

/// Terminal styling: only on a terminal, never with NO_COLOR set.
pub struct Style {
    on: bool,
}

impl Style {
    pub fn stdout() -> Style {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Style {
            on: io::stdout().is_terminal() && !no_color,
        }
    }

    pub fn paint(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    pub fn outcome(&self, o: Outcome) -> String {
        let code = match o {
            Outcome::Ok => "32",
            Outcome::Warn => "33",
            Outcome::Fail => "31;1",
        };
        self.paint(code, o.as_str())
    }
}

/// Each parse error as `NAME:LINE:COLUMN: …` on standard error.
pub fn parse_errors(name: &str, program: &Program) -> io::Result<()> {
    let mut err = io::stderr().lock();
    for e in &program.errors {
        writeln!(err, "{name}:{e}")?;
    }
    Ok(())
}
