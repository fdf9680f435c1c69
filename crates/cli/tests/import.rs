//! `keyline import` as a support engineer calls it: API responses in, a scenario out that
//! `keyline run` and `keyline check` accept with no failing statement.
// A helper that cannot do its part fails its test with the reason; clippy.toml's
// allow-*-in-tests covers the #[test] functions only, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{keyline, text};

fn fixture(name: &str) -> String {
    common::repo_file("import", name)
}

/// `keyline run -` on a scenario: exit code and output.
fn run(scenario: &[u8]) -> (Option<i32>, String) {
    let o = keyline(&["run", "-"], Some(scenario));
    (o.status.code(), text(&o.stdout))
}

fn account() -> Vec<String> {
    ["account-kms.json", "account-evs.json", "account-ecs.json"]
        .iter()
        .map(|f| fixture(f))
        .collect()
}

#[test]
fn imports_an_account_that_replays_cleanly() {
    let files = account();
    let mut args = vec!["import"];
    args.extend(files.iter().map(String::as_str));
    let o = keyline(&args, None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let scenario = text(&o.stdout);
    assert!(scenario.starts_with("title Imported from "), "{scenario}");
    assert!(scenario.contains("\nrole security-admin"));
    assert!(scenario.contains("\nkms grant"));
    let err = text(&o.stderr);
    let warnings: Vec<&str> = err.lines().collect();
    assert_eq!(warnings.len(), 1, "{err}");
    assert!(warnings[0].starts_with("keyline: warning: "), "{err}");
    assert!(warnings[0]
        .contains("volumes[10].attachments[0]: server 8ddd5d55-a684-4d46-b6f6-dc557de9b31c"));

    let (code, out) = run(&o.stdout);
    assert_eq!(code, Some(0), "{out}");
    assert!(!out.lines().any(|l| l.contains("  fail ")), "{out}");
    assert!(
        out.contains("disk app-02-sys system encryption finance-db at-risk attached to app-02"),
        "{out}"
    );
    assert!(out.contains("disk archive-2024 data encryption legacy-archive unattachable detached"));
    assert!(
        out.contains("key rotation-2025 [custom] pending-deletion (deleted on day 7, 3 days left)")
    );
    assert!(out.contains("server db-01 stopped system disk db-01-sys"));

    let c = keyline(&["check", "-"], Some(&o.stdout));
    assert_eq!(c.status.code(), Some(0));
    assert_eq!(text(&c.stdout).trim_end(), "0 passed, 0 failed");
}

#[test]
fn standard_input_and_today() {
    let evs = std::fs::read(fixture("account-evs.json")).expect("fixture");
    let kms = std::fs::read(fixture("account-kms.json")).expect("fixture");
    let both: Vec<u8> = [kms.as_slice(), evs.as_slice()].concat();
    for args in [
        &["import"][..],
        &["import", "-"],
        &["import", "--today", "2026-11-21", "-"],
    ] {
        let o = keyline(args, Some(&both));
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", text(&o.stderr));
        let s = text(&o.stdout);
        assert!(
            s.starts_with("title Imported from <stdin>: 8 keys, 4 servers, 11 disks"),
            "{s}"
        );
        let left = if args.len() == 4 { 29 } else { 30 };
        assert!(
            s.contains(&format!("key schedule-deletion legacy-archive {left}")),
            "{s}"
        );
        let (code, out) = run(&o.stdout);
        assert_eq!(code, Some(0), "{out}");
        assert!(!out.lines().any(|l| l.contains("  fail ")), "{out}");
    }
}

#[test]
fn hostile_input_warns_safely() {
    for f in [
        "hostile-names.json",
        "hostile-types.json",
        "hostile-unknown-keys.json",
    ] {
        let o = keyline(&["import", &fixture(f)], None);
        assert_eq!(o.status.code(), Some(0), "{f}: {}", text(&o.stderr));
        let err = text(&o.stderr);
        assert!(!err.is_empty(), "{f}: warnings expected");
        for line in err.lines() {
            assert!(line.starts_with("keyline: warning: "), "{f}: {line}");
        }
        for out in [&o.stdout, &o.stderr] {
            let t = text(out);
            assert!(
                !t.chars()
                    .any(|c| (c.is_control() && c != '\n') || c == '\u{202e}'),
                "{f}: control or direction character in output"
            );
        }
        let (code, out) = run(&o.stdout);
        assert_eq!(code, Some(0), "{f}: {out}");
        assert!(!out.lines().any(|l| l.contains("  fail ")), "{f}: {out}");
    }
}

#[test]
fn exit_2_when_nothing_can_be_imported_or_on_bad_usage() {
    let cases: Vec<(Vec<String>, &[u8], &str)> = vec![
        (
            vec![fixture("not-a-response.json")],
            b"",
            "nothing could be imported",
        ),
        (
            vec![fixture("api-error.json"), fixture("not-a-response.json")],
            b"",
            "an error response from the API",
        ),
        (vec!["-".to_owned()], b"not json", "not valid JSON"),
        (vec!["-".to_owned()], b"\xff\xfe", "not UTF-8"),
        (
            vec!["/nonexistent/keys.json".to_owned()],
            b"",
            "no such file",
        ),
        (vec![fixture("")], b"", "is a directory"),
        (
            vec![
                "--today".to_owned(),
                "2026-02-30".to_owned(),
                fixture("account-kms.json"),
            ],
            b"",
            "is not a date",
        ),
        (
            vec![
                fixture("account-kms.json"),
                "/nonexistent/evs.json".to_owned(),
            ],
            b"",
            "no such file",
        ),
    ];
    for (args, stdin, says) in cases {
        let mut a = vec!["import"];
        a.extend(args.iter().map(String::as_str));
        let o = keyline(&a, Some(stdin));
        assert_eq!(o.status.code(), Some(2), "{a:?}");
        assert!(o.stdout.is_empty(), "{a:?}: {}", text(&o.stdout));
        let err = text(&o.stderr);
        assert!(err.contains(says), "{a:?}: {err}");
    }
}

#[test]
fn help_lists_import() {
    let o = keyline(&["--help"], None);
    assert!(text(&o.stdout).contains("import"));
    let o = keyline(&["import", "--help"], None);
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o.stdout).contains("--today"));
}
