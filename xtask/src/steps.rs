//! Running the commands of a step, streaming their output, and reporting failures.

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use crate::layout;
use crate::report::{self, Totals};

/// A step that failed: which one, the command to run by hand, and what went wrong.
#[derive(Debug)]
pub struct Failure {
    step: String,
    command: String,
    detail: String,
}

impl Failure {
    pub fn new(
        step: impl Into<String>,
        command: impl Into<String>,
        detail: impl Into<String>,
    ) -> Self {
        Self {
            step: step.into(),
            command: command.into(),
            detail: detail.into(),
        }
    }

    /// Bad command-line usage of xtask itself.
    pub fn usage(detail: String) -> Self {
        Self::new("usage", "cargo xtask help", detail)
    }

    pub fn print(&self) {
        let _ = std::io::stdout().flush();
        eprintln!("error: step `{}` failed: {}", self.step, self.detail);
        eprintln!("  command: {}", self.command);
    }
}

/// The cargo that runs xtask, so that every step uses the same toolchain.
pub fn cargo() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// The command as a user would type it from the repository root.
pub fn display(command: &Command) -> String {
    let mut text = String::new();
    for (key, value) in command.get_envs() {
        let Some(value) = value else { continue };
        if key == "PATH" {
            let _ = write!(text, "{} ", layout::path_shown());
        } else {
            let _ = write!(text, "{}={} ", key.to_string_lossy(), quote(value));
        }
    }
    let program = command.get_program();
    let relative = command
        .get_current_dir()
        .and_then(|dir| Path::new(program).strip_prefix(dir).ok());
    let program = if program == cargo().as_os_str() {
        "cargo".into()
    } else if let Some(relative) = relative {
        quote(relative.as_os_str())
    } else {
        quote(program)
    };
    text.push_str(&program);
    for arg in command.get_args() {
        text.push(' ');
        text.push_str(&quote(arg));
    }
    text
}

fn quote(word: &OsStr) -> String {
    let word = word.to_string_lossy();
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:@+,%".contains(c));
    if plain {
        word.into_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

fn announce(step: &str, shown: &str) {
    println!("==> {step}: {shown}");
    let _ = std::io::stdout().flush();
}

/// Runs one step with its output going straight to the terminal.
pub fn run(step: &str, command: &mut Command) -> Result<(), Failure> {
    let shown = display(command);
    announce(step, &shown);
    let status = command
        .status()
        .map_err(|err| Failure::new(step, &shown, format!("could not start it: {err}")))?;
    if status.success() {
        Ok(())
    } else {
        Err(Failure::new(
            step,
            &shown,
            format!("it exited with {status}"),
        ))
    }
}

/// Runs one `cargo test` step, echoing its output and adding its `test result:` lines to
/// `totals`.
pub fn run_tests(step: &str, command: &mut Command, totals: &mut Totals) -> Result<(), Failure> {
    let shown = display(command);
    announce(step, &shown);
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|err| Failure::new(step, &shown, format!("could not start it: {err}")))?;
    let mut step_totals = Totals::default();
    if let Some(stdout) = child.stdout.take() {
        let mut reader = BufReader::new(stdout);
        let mut line = Vec::new();
        let mut out = std::io::stdout();
        loop {
            line.clear();
            match reader.read_until(b'\n', &mut line) {
                Ok(0) => break,
                Ok(_) => {
                    let _ = out.write_all(&line);
                    let _ = out.flush();
                    if let Some(result) = report::parse_test_result(&String::from_utf8_lossy(&line))
                    {
                        step_totals.add(result);
                    }
                }
                Err(err) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(Failure::new(
                        step,
                        &shown,
                        format!("reading its output: {err}"),
                    ));
                }
            }
        }
    }
    let status = child
        .wait()
        .map_err(|err| Failure::new(step, &shown, format!("waiting for it: {err}")))?;
    totals.add(step_totals);
    if status.success() && step_totals.failed == 0 {
        Ok(())
    } else if step_totals.failed > 0 {
        Err(Failure::new(
            step,
            &shown,
            format!("{} test(s) failed ({status})", step_totals.failed),
        ))
    } else {
        Err(Failure::new(
            step,
            &shown,
            format!("it exited with {status}"),
        ))
    }
}

/// Downloads every crate the workspace needs, so that trunk's offline cargo build finds them.
pub fn cargo_fetch(root: &Path) -> Result<(), Failure> {
    let mut command = Command::new(cargo());
    command.args(["fetch", "--quiet"]).current_dir(root);
    let shown = display(&command);
    let status = command.status().map_err(|err| {
        Failure::new("fetch crates", &shown, format!("could not start it: {err}"))
    })?;
    if status.success() {
        Ok(())
    } else {
        Err(Failure::new(
            "fetch crates",
            &shown,
            format!("it exited with {status}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_quotes_only_when_needed() {
        let mut command = Command::new("trunk");
        command
            .args(["build", "--release", "a b"])
            .env("KEYLINE_DIST", "/x/dist")
            .env("PATH", "/ignored");
        let shown = display(&command);
        assert!(shown.contains("KEYLINE_DIST=/x/dist "), "{shown}");
        assert!(
            shown.contains(&format!("{} ", layout::path_shown())),
            "{shown}"
        );
        assert!(shown.ends_with("trunk build --release 'a b'"), "{shown}");
    }
}
