//! Running the `keyline` binary as a user would, for the CLI's integration tests.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Runs `keyline ARGS` without colour, with `stdin` (or nothing) as its standard input.
pub fn keyline(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_keyline"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn keyline");
    if let Some(mut pipe) = child.stdin.take() {
        let _ = pipe.write_all(stdin.unwrap_or_default());
    }
    child.wait_with_output().expect("wait keyline")
}

/// The path of `tests/<folder>/<name>` from the repository root, as an argument.
pub fn repo_file(folder: &str, name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests")
        .join(folder)
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// Output bytes as text, for messages and comparisons.
pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}
