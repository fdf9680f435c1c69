//! `keyline`: check, run, explain, impact, rules and import for Keyline scenarios (SPEC §5).
#![forbid(unsafe_code)]

use clap::{Parser, Subcommand, ValueEnum};
use keyline_rules::{self as rules, Action, Outcome, Program, RuleId};
use std::io::{self, IsTerminal, Read, Write};
use std::path::Path;
use std::process::ExitCode;

/// Exit codes of SPEC §5.
const EXIT_OK: u8 = 0;
const EXIT_FAILED: u8 = 1;
const EXIT_ERROR: u8 = 2;

#[derive(Parser)]
#[command(
    name = "keyline",
    version,
    about = "Check and explain Keyline scenarios: how KMS key states decide what happens to encrypted disks, snapshots, backups, images and AS configurations."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Evaluate each file and its expect lines; print each failing expectation, then `N passed, M failed`.
    Check {
        /// Scenario files (`-` for standard input).
        #[arg(required = true)]
        files: Vec<String>,
    },
    /// Print every statement's outcome, code, rule, explanation and fix, then the final state.
    Run {
        /// Scenario file (`-` for standard input).
        file: String,
        /// Print the report as JSON (version 1).
        #[arg(long, conflicts_with = "markdown")]
        json: bool,
        /// Print a Markdown report for a support ticket.
        #[arg(long)]
        markdown: bool,
    },
    /// Print the provenance chain of a resource after the last line.
    Explain { file: String, resource: String },
    /// What would happen to everything encrypted with a key if it were disabled, scheduled for deletion or deleted after the last line.
    Impact {
        file: String,
        key: String,
        /// The action (all three when omitted).
        #[arg(long, value_enum)]
        action: Option<ActionArg>,
    },
    /// Turn a cloud account's KMS, EVS and ECS API responses (JSON) into a scenario that rebuilds its state.
    Import {
        /// JSON files (`-` or none for standard input), in any order; a file may hold several documents.
        files: Vec<String>,
        /// The day days-left counts from (YYYY-MM-DD); default: the newest date in the input.
        #[arg(long, value_name = "DATE")]
        today: Option<keyline_import::Date>,
    },
    /// Print the rules of the specification with their documentation sources.
    Rules {
        /// One rule ID, such as R-FROM-SNAP.
        id: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ActionArg {
    Disable,
    ScheduleDeletion,
    Delete,
}

impl From<ActionArg> for Action {
    fn from(a: ActionArg) -> Action {
        match a {
            ActionArg::Disable => Action::Disable,
            ActionArg::ScheduleDeletion => Action::ScheduleDeletion,
            ActionArg::Delete => Action::Delete,
        }
    }
}

/// Terminal styling: only on a terminal, never with NO_COLOR set.
struct Style {
    on: bool,
}

impl Style {
    fn stdout() -> Style {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Style {
            on: io::stdout().is_terminal() && !no_color,
        }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn outcome(&self, o: Outcome) -> String {
        let code = match o {
            Outcome::Ok => "32",
            Outcome::Warn => "33",
            Outcome::Fail => "31;1",
        };
        self.paint(code, o.as_str())
    }
}

/// A read scenario: its display name and bytes.
struct Input {
    name: String,
    bytes: Vec<u8>,
}

fn read_input(file: &str) -> Result<Input, String> {
    if file == "-" {
        let mut bytes = Vec::new();
        io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| format!("<stdin>: cannot read standard input: {e}"))?;
        return Ok(Input {
            name: "<stdin>".to_owned(),
            bytes,
        });
    }
    let path = Path::new(file);
    if path.is_dir() {
        return Err(format!("{file}: is a directory, not a scenario file"));
    }
    match std::fs::read(path) {
        Ok(bytes) => Ok(Input {
            name: file.to_owned(),
            bytes,
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Err(format!("{file}: no such file")),
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
            Err(format!("{file}: cannot be read (permission denied)"))
        }
        Err(e) => Err(format!("{file}: cannot be read: {e}")),
    }
}

fn print_parse_errors(name: &str, program: &Program) {
    let mut err = io::stderr().lock();
    for e in &program.errors {
        let _ = writeln!(err, "{name}:{e}");
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_ERROR } else { EXIT_OK });
        }
    };
    let code = match cli.command {
        Command::Check { files } => check(&files),
        Command::Run {
            file,
            json,
            markdown,
        } => run(&file, json, markdown),
        Command::Explain { file, resource } => explain(&file, &resource),
        Command::Impact { file, key, action } => impact(&file, &key, action.map(Action::from)),
        Command::Import { files, today } => import(&files, today),
        Command::Rules { id } => print_rules(id.as_deref()),
    };
    ExitCode::from(code)
}

fn fail(msg: &str) -> u8 {
    let _ = writeln!(io::stderr(), "keyline: {msg}");
    EXIT_ERROR
}

fn check(files: &[String]) -> u8 {
    let mut out = io::BufWriter::new(io::stdout().lock());
    let (mut passed, mut failed, mut error) = (0usize, 0usize, false);
    for file in files {
        let input = match read_input(file) {
            Ok(i) => i,
            Err(e) => {
                let _ = out.flush();
                fail(&e);
                error = true;
                continue;
            }
        };
        let program = Program::parse_bytes(&input.bytes);
        if !program.errors.is_empty() {
            let _ = out.flush();
            print_parse_errors(&input.name, &program);
            error = true;
        }
        let r = rules::check(&program);
        for (line, expected, actual) in &r.failures {
            let _ = writeln!(
                out,
                "{}:{line}: expected {expected}, got {actual}",
                input.name
            );
        }
        passed += r.passed;
        failed += r.failed;
    }
    let _ = writeln!(out, "{passed} passed, {failed} failed");
    let _ = out.flush();
    if error {
        EXIT_ERROR
    } else if failed > 0 {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}

fn run(file: &str, json: bool, markdown: bool) -> u8 {
    let input = match read_input(file) {
        Ok(i) => i,
        Err(e) => return fail(&e),
    };
    let program = Program::parse_bytes(&input.bytes);
    let report = rules::Report::build(&program);
    let mut out = io::BufWriter::new(io::stdout().lock());
    if json {
        match serde_json::to_string_pretty(&report) {
            Ok(s) => {
                let _ = writeln!(out, "{s}");
            }
            Err(e) => return fail(&format!("cannot write JSON: {e}")),
        }
    } else if markdown {
        let _ = write!(out, "{}", report.to_markdown());
    } else {
        let st = Style::stdout();
        if let Some(t) = &report.title {
            let _ = writeln!(out, "{}\n", st.paint("1", t));
        }
        for e in &report.errors {
            let _ = writeln!(
                out,
                "{}: {} {e}",
                input.name,
                st.paint("31;1", "parse error")
            );
        }
        for s in &report.steps {
            let code = s.code.map(|c| format!(" {c}")).unwrap_or_default();
            let _ = writeln!(
                out,
                "{:>4}  {}{}  [{}]  {}",
                s.line,
                st.outcome(s.outcome),
                code,
                s.rule,
                s.statement
            );
            let _ = writeln!(out, "      {}", s.message);
            if let Some(p) = &s.provenance {
                let _ = writeln!(out, "      provenance: {p}");
            }
            match (&s.fix, s.outcome) {
                (Some(fix), _) => {
                    let _ = writeln!(
                        out,
                        "      fix: insert before line {}: {}",
                        s.line,
                        fix.join(" / ")
                    );
                }
                (None, Outcome::Fail) => {
                    let _ = writeln!(out, "      fix: none that a statement can make");
                }
                _ => {}
            }
        }
        for e in report.expectations.iter().filter(|e| !e.passed) {
            let _ = writeln!(
                out,
                "{}:{}: expected {}, got {}",
                input.name,
                e.line,
                e.expected(),
                e.actual
            );
        }
        let s = &report.state;
        let _ = writeln!(
            out,
            "\nstate: day {}, KMS access {}, role {}",
            s.day,
            if s.kms_access {
                "granted"
            } else {
                "not granted"
            },
            s.role
        );
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
            let _ = writeln!(out, "  key {} [{}] {}{left}", k.name, k.kind, k.state);
        }
        for v in &s.servers {
            let _ = writeln!(
                out,
                "  server {} {} system disk {} data disks [{}]",
                v.name,
                v.power,
                v.system_disk.as_deref().unwrap_or("none"),
                v.data_disks.join(", ")
            );
        }
        for d in &s.disks {
            let on = d
                .attached_to
                .as_deref()
                .map(|s| format!("attached to {s}"))
                .unwrap_or_else(|| "detached".to_owned());
            let _ = writeln!(
                out,
                "  disk {} {} encryption {} {} {on}",
                d.name, d.role, d.encryption, d.health
            );
        }
        for (kind, list) in [("snapshot", &s.snapshots), ("backup", &s.backups)] {
            for c in list {
                let _ = writeln!(
                    out,
                    "  {kind} {} of {} encryption {}",
                    c.name, c.disk, c.encryption
                );
            }
        }
        for i in &s.images {
            let _ = writeln!(
                out,
                "  image {} ({}) encryption {}",
                i.name, i.origin, i.encryption
            );
        }
        for c in &s.configs {
            let _ = writeln!(
                out,
                "  config {} from {} encryption {} data [{}]",
                c.name,
                c.server,
                c.encryption,
                c.data_encryption.join(", ")
            );
        }
        let _ = writeln!(out, "{}", report.summary);
    }
    let _ = out.flush();
    if !report.errors.is_empty() {
        EXIT_ERROR
    } else if report.summary.failed > 0 {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}

fn parsed(file: &str) -> Result<(String, Program), u8> {
    let input = read_input(file).map_err(|e| fail(&e))?;
    let program = Program::parse_bytes(&input.bytes);
    print_parse_errors(&input.name, &program);
    Ok((input.name, program))
}

fn explain(file: &str, resource: &str) -> u8 {
    let (_, program) = match parsed(file) {
        Ok(p) => p,
        Err(code) => return code,
    };
    match rules::provenance(&program, resource) {
        Ok(p) => {
            let mut out = io::stdout().lock();
            let _ = writeln!(out, "{}", p.text);
            for l in &p.chain {
                let _ = writeln!(
                    out,
                    "  line {:>4}  {:<16} {}",
                    l.line,
                    l.rule.as_str(),
                    l.label
                );
            }
            if program.errors.is_empty() {
                EXIT_OK
            } else {
                EXIT_ERROR
            }
        }
        Err(e) => fail(&e.to_string()),
    }
}

fn impact(file: &str, key: &str, action: Option<Action>) -> u8 {
    let (_, program) = match parsed(file) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let actions: Vec<Action> = match action {
        Some(a) => vec![a],
        None => Action::ALL.to_vec(),
    };
    let mut out = io::stdout().lock();
    for a in actions {
        match rules::impact(&program, key, a) {
            Ok(i) => {
                let _ = writeln!(
                    out,
                    "if key {} is {}: ({})",
                    i.key,
                    match a {
                        Action::Disable => "disabled",
                        Action::ScheduleDeletion => "scheduled for deletion",
                        Action::Delete => "deleted",
                    },
                    i.statements.join(" / ")
                );
                if let (Some(code), Some(msg)) = (i.blocked, &i.blocked_message) {
                    let _ = writeln!(out, "  not possible: {code}: {msg}");
                } else if i.affected.is_empty() {
                    let _ = writeln!(out, "  nothing is affected");
                }
                for x in &i.affected {
                    let _ = writeln!(
                        out,
                        "  {} {} {}: {}",
                        x.kind,
                        x.name,
                        x.effect.as_str(),
                        x.message
                    );
                }
            }
            Err(e) => return fail(&e.to_string()),
        }
    }
    if program.errors.is_empty() {
        EXIT_OK
    } else {
        EXIT_ERROR
    }
}

fn import(files: &[String], today: Option<keyline_import::Date>) -> u8 {
    let stdin = ["-".to_owned()];
    let files = if files.is_empty() { &stdin[..] } else { files };
    let mut docs = Vec::with_capacity(files.len());
    for file in files {
        let input = match read_input(file) {
            Ok(i) => i,
            Err(e) => return fail(&e),
        };
        match String::from_utf8(input.bytes) {
            Ok(text) => docs.push(keyline_import::Document::new(input.name, text)),
            Err(_) => return fail(&format!("{}: not UTF-8 text, so not JSON", input.name)),
        }
    }
    match keyline_import::import(&docs, today) {
        Ok(imported) => {
            let mut err = io::stderr().lock();
            for w in &imported.warnings {
                let _ = writeln!(err, "keyline: warning: {w}");
            }
            let mut out = io::stdout().lock();
            let _ = out.write_all(imported.scenario.as_bytes());
            let _ = out.flush();
            EXIT_OK
        }
        Err(keyline_import::ImportError::NothingImported { problems }) => {
            let mut err = io::stderr().lock();
            for p in &problems {
                let _ = writeln!(err, "keyline: {p}");
            }
            drop(err);
            fail("nothing could be imported")
        }
        Err(e) => fail(&e.to_string()),
    }
}

fn print_rules(id: Option<&str>) -> u8 {
    let list: Vec<RuleId> = match id {
        Some(id) => match RuleId::parse(id) {
            Some(r) => vec![r],
            None => return fail(&format!("no rule {id}; `keyline rules` lists them")),
        },
        None => RuleId::ALL.to_vec(),
    };
    let mut out = io::stdout().lock();
    for r in list {
        let i = r.info();
        let inferred = if i.inferred { " (INFERRED)" } else { "" };
        let _ = writeln!(
            out,
            "{}{inferred}\n  {}\n  source: {}\n  \"{}\"\n",
            i.id, i.text, i.source, i.quote
        );
    }
    EXIT_OK
}
