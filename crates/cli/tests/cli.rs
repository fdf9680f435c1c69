//! The `keyline` binary as users call it: exit codes, output formats, every scenario file.
// A helper that cannot do its part fails its test with the reason; clippy.toml's
// allow-*-in-tests covers the #[test] functions only, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn keyline(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_keyline"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run keyline")
}

fn keyline_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_keyline"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn keyline");
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(input);
    }
    child.wait_with_output().expect("wait keyline")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn temp(name: &str, content: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("keyline-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let p = dir.join(name);
    std::fs::write(&p, content).expect("write temp");
    p
}

fn kl_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "kl"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// The scenario folders to check: the project's own (`tests/scenarios` and the gallery's
/// `web/examples`), or exactly the folders named in `KEYLINE_SCENARIO_DIRS` (a `PATH`-style
/// list), which is how `cargo xtask test` checks a `../shared/scenarios` folder when one sits
/// beside the clone.
fn scenario_dirs() -> (Vec<PathBuf>, bool) {
    match std::env::var_os("KEYLINE_SCENARIO_DIRS") {
        Some(dirs) => (std::env::split_paths(&dirs).collect(), false),
        None => (
            vec![repo().join("tests/scenarios"), repo().join("web/examples")],
            true,
        ),
    }
}

#[test]
fn every_scenario_file_passes() {
    let (dirs, own) = scenario_dirs();
    let files: Vec<PathBuf> = dirs.iter().flat_map(|dir| kl_files(dir)).collect();
    let least = if own { 30 } else { 1 };
    assert!(
        files.len() >= least,
        "scenario files found in {dirs:?}: {files:?}"
    );
    for f in &files {
        let o = keyline(&["check", &f.to_string_lossy()]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}:\n{}{}",
            f.display(),
            stdout(&o),
            stderr(&o)
        );
        let out = stdout(&o);
        let last = out.lines().last().unwrap_or_default();
        assert!(
            last.ends_with(" failed") && last.contains(" passed, 0 failed"),
            "{last}"
        );
    }
}

#[test]
fn check_reports_failing_expectations_and_exits_1() {
    let f = temp("failing.kl", b"key create k1\nexpect ok\nkey disable k1\nexpect fail KEY_IN_USE\nexpect k1 state enabled\nexpect count 2 keys\n");
    let o = keyline(&["check", &f.to_string_lossy()]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let name = f.to_string_lossy();
    assert_eq!(
        out,
        format!(
            "{name}:4: expected fail KEY_IN_USE, got ok\n{name}:5: expected k1 state enabled, got k1 state disabled\n{name}:6: expected count 2 keys, got count 1 keys\n1 passed, 3 failed\n"
        )
    );
}

#[test]
fn check_counts_across_files() {
    let a = temp("a.kl", b"key create k\nexpect ok\n");
    let b = temp("b.kl", b"key create k\nexpect fail\n");
    let o = keyline(&["check", &a.to_string_lossy(), &b.to_string_lossy()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).ends_with("1 passed, 1 failed\n"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn parse_errors_exit_2_with_positions_and_suggestions() {
    let f = temp(
        "bad.kl",
        b"key create k1\ndisk creat d1\nkey disable k1\nexpect k1 state disabled\n",
    );
    let o = keyline(&["check", &f.to_string_lossy()]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains(&format!("{}:2:6: expected", f.to_string_lossy())),
        "{err}"
    );
    assert!(err.contains("did you mean \"create\""), "{err}");
    // The other lines were still evaluated.
    assert!(
        stdout(&o).ends_with("1 passed, 0 failed\n"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn unreadable_inputs_exit_2() {
    let o = keyline(&["check", "/definitely/not/here.kl"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no such file"), "{}", stderr(&o));
    let dir = std::env::temp_dir();
    let o = keyline(&["check", &dir.to_string_lossy()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is a directory"), "{}", stderr(&o));
    let o = keyline(&["run", "/definitely/not/here.kl", "--json"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn bad_usage_exits_2() {
    assert_eq!(keyline(&[]).status.code(), Some(2));
    assert_eq!(keyline(&["check"]).status.code(), Some(2));
    assert_eq!(keyline(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(
        keyline(&["impact", "x.kl", "k", "--action", "explode"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(keyline(&["--help"]).status.code(), Some(0));
}

#[test]
fn stdin_and_invalid_utf8() {
    let o = keyline_stdin(&["check", "-"], b"key create k1\nexpect k1 state enabled\n");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = keyline_stdin(
        &["check", "-"],
        b"key create k1\nkey create k\xff2\nexpect k1 state enabled\n",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("<stdin>:2:13:"), "{}", stderr(&o));
}

#[test]
fn arbitrary_bytes_never_crash() {
    let inputs: Vec<Vec<u8>> = vec![
        vec![0, 159, 146, 150, 10, 255, 254],
        b"expect\n\0\0\0\nkey create \xe2\x80\xae\n".to_vec(),
        "x".repeat(100_000).into_bytes(),
        b"\r\r\r\n\t\t#\n".to_vec(),
    ];
    for input in inputs {
        for args in [
            &["check", "-"][..],
            &["run", "-", "--json"][..],
            &["run", "-"][..],
        ] {
            let o = keyline_stdin(args, &input);
            assert!(
                matches!(o.status.code(), Some(0..=2)),
                "{args:?}: {:?} {}",
                o.status,
                stderr(&o)
            );
        }
    }
}

#[test]
fn run_json_has_the_spec_shape() {
    let text = "role security-admin\nkms grant\nkey create k1\nserver create web\ndisk create d encrypt k1\nattach d web\nkey schedule-deletion k1 7\ndetach d\nattach d web\nexpect fail KEY_UNAVAILABLE\n";
    let o = keyline_stdin(&["run", "-", "--json"], text.as_bytes());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["version"], 1);
    let steps = v["steps"].as_array().expect("steps");
    assert_eq!(steps.len(), 9);
    for s in steps {
        for k in ["line", "statement", "outcome", "code", "rule", "message"] {
            assert!(s.get(k).is_some(), "step lacks {k}: {s}");
        }
    }
    assert_eq!(steps[0]["code"], serde_json::Value::Null);
    assert_eq!(steps[0]["outcome"], "ok");
    assert_eq!(steps[6]["outcome"], "warn");
    assert_eq!(steps[6]["code"], "KEY_IN_USE");
    assert_eq!(steps[8]["line"], 9);
    assert_eq!(steps[8]["statement"], "attach d web");
    assert_eq!(steps[8]["outcome"], "fail");
    assert_eq!(steps[8]["code"], "KEY_UNAVAILABLE");
    assert_eq!(steps[8]["rule"], "R-REATTACH");
    assert_eq!(
        steps[8]["fix"],
        serde_json::json!(["key cancel-deletion k1", "key enable k1"])
    );
    assert!(steps[0].get("fix").is_none());
    let e = &v["expectations"][0];
    assert_eq!(e["line"], 10);
    assert_eq!(e["text"], "expect fail KEY_UNAVAILABLE");
    assert_eq!(e["passed"], true);
    assert_eq!(e["actual"], "fail KEY_UNAVAILABLE");
    assert_eq!(v["state"]["keys"][0]["state"], "pending-deletion");
    assert_eq!(v["state"]["disks"][1]["health"], "unattachable");
    assert_eq!(v["state"]["disks"][1]["encryption"], "k1");
}

#[test]
fn run_text_and_markdown() {
    let text = "title Ticket <b>42</b>\nkey create k1\nkey disable k1\ndisk create d encrypt k1\nexpect ok\n";
    let o = keyline_stdin(&["run", "-"], text.as_bytes());
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains("fail KMS_NOT_AUTHORIZED  [R-GRANT]  disk create d encrypt k1"),
        "{out}"
    );
    assert!(
        out.contains("fix: insert before line 4: role security-admin / kms grant"),
        "{out}"
    );
    assert!(!out.contains('\x1b'), "no colour off a terminal");
    let o = keyline_stdin(&["run", "-", "--markdown"], text.as_bytes());
    let md = stdout(&o);
    assert!(
        md.starts_with("# Keyline report: Ticket \\<b\\>42\\</b\\>\n"),
        "{md}"
    );
    assert!(md.contains("## Failing expectations"), "{md}");
    assert!(md.contains("**KMS_NOT_AUTHORIZED** (R-GRANT)"), "{md}");
    assert!(md.contains("`role security-admin`, `kms grant`"), "{md}");
}

#[test]
fn explain_and_impact() {
    let text = b"role security-admin\nkms grant\nkey create k1\ndisk create d1 encrypt k1\nsnapshot create s1 disk d1\ndisk create d2 from-snapshot s1\nbackup create b1 disk d2\ndisk create d3 from-backup b1\n";
    let f = temp("inh.kl", text);
    let o = keyline(&["explain", &f.to_string_lossy(), "d3"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with(
            "disk d3 ← backup b1 ← disk d2 ← snapshot s1 ← disk d1 ← chosen at creation (key k1)\n"
        ),
        "{}",
        stdout(&o)
    );
    let o = keyline(&["explain", &f.to_string_lossy(), "nothing"]);
    assert_eq!(o.status.code(), Some(2));
    let o = keyline(&["impact", &f.to_string_lossy(), "k1", "--action", "delete"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("disk d1 unrecoverable"), "{out}");
    assert!(out.contains("snapshot s1 unrecoverable"), "{out}");
    let o = keyline(&["impact", &f.to_string_lossy(), "k1", "--action", "disable"]);
    let out = stdout(&o);
    assert!(out.contains("disk d1 unattachable"), "{out}");
    assert!(out.contains("snapshot s1 restore-fails"), "{out}");
    let o = keyline(&["impact", &f.to_string_lossy(), "d1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a key"), "{}", stderr(&o));
}

#[test]
fn rules_catalogue() {
    let o = keyline(&["rules", "R-DETACH"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).contains("restore the CMK status first"),
        "{}",
        stdout(&o)
    );
    assert_eq!(keyline(&["rules", "R-NOPE"]).status.code(), Some(2));
}

#[test]
fn run_prints_exactly_the_report_the_app_downloads() {
    let text = "title Ticket <b>1</b>\nkey create k1\nkey disable k1\ndisk create d encrypt k1\nexpect ok\n";
    let report = keyline_rules::evaluate(text);
    let o = keyline_stdin(&["run", "-", "--markdown"], text.as_bytes());
    assert_eq!(stdout(&o), report.to_markdown());
    let o = keyline_stdin(&["run", "-", "--json"], text.as_bytes());
    assert_eq!(
        stdout(&o),
        serde_json::to_string_pretty(&report).expect("json") + "\n"
    );
}

/// docs/decisions.md, decision 19: `keyline run` exits like `check` (0, 1 on a failing
/// expectation, 2 on a parse error), and its JSON adds `title`, `errors`, `summary` and, per
/// step, `provenance`; encryption in the state is `"none"` or the key's name.
#[test]
fn run_exits_like_check_and_its_json_adds_title_errors_summary() {
    let passing = "title T\nkey create k1\nexpect ok\n";
    let failing = "title T\nkey create k1\nexpect fail\n";
    let broken = "title T\nkey create k1\nkey bogus\nexpect ok\n";
    for (text, code) in [(passing, 0), (failing, 1), (broken, 2)] {
        for args in [&["check", "-"][..], &["run", "-"], &["run", "-", "--json"]] {
            let o = keyline_stdin(args, text.as_bytes());
            assert_eq!(o.status.code(), Some(code), "{args:?} on {text:?}");
        }
    }
    let o = keyline_stdin(
        &["run", "-", "--json"],
        b"title T\nkey create k1\ndisk create d\nkey bogus\nexpect ok\n",
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["title"], "T");
    assert_eq!(
        v["errors"].as_array().map(Vec::len),
        Some(1),
        "{}",
        v["errors"]
    );
    assert_eq!(v["summary"]["passed"], 1);
    assert_eq!(v["summary"]["failed"], 0);
    assert!(v["steps"][1]["provenance"].is_string(), "{}", v["steps"][1]);
    assert_eq!(v["state"]["disks"][0]["encryption"], "none");
}
