//! Properties over arbitrary and generated input: no panic, determinism, quiet and full
//! evaluation agree, a failing statement changes nothing, time travel replays exactly, and
//! every fix makes its statement succeed.

use keyline_rules::{
    check, evaluate, evaluate_bytes, generate, state_after, Outcome, Program, Report,
};
use proptest::prelude::*;

mod common;
use common::cfg;

/// Words that make near-valid lines, so the parser and evaluator are both exercised.
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "key",
            "create",
            "disable",
            "enable",
            "schedule-deletion",
            "cancel-deletion",
            "disk",
            "server",
            "attach",
            "detach",
            "snapshot",
            "backup",
            "config",
            "image",
            "import",
            "from-server",
            "from-snapshot",
            "from-backup",
            "encrypt",
            "system-disk",
            "as",
            "system",
            "expect",
            "ok",
            "warn",
            "fail",
            "count",
            "disks",
            "health",
            "state",
            "encrypted",
            "k1",
            "d1",
            "s1",
            "evs/default",
            "x/default",
            "7",
            "0",
            "-1",
            "wait",
            "kms",
            "grant",
            "role",
            "security-admin",
            "#",
            "\t",
            "\r",
            "title",
            "KEY_IN_USE",
            "é",
            "<script>",
        ])
        .prop_map(str::to_owned),
        "[ -~]{0,12}",
        any::<String>(),
    ]
}

fn line() -> impl Strategy<Value = String> {
    prop::collection::vec(token(), 0..7).prop_map(|w| w.join(" "))
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(line(), 0..30).prop_map(|l| l.join("\n"))
}

fn counts(r: &Report) -> (usize, usize, Vec<u32>) {
    let lines = r
        .expectations
        .iter()
        .filter(|e| !e.passed)
        .map(|e| e.line)
        .collect();
    (r.summary.passed, r.summary.failed, lines)
}

proptest! {
    #![proptest_config(cfg(300))]

    #[test]
    fn arbitrary_text_never_panics_and_is_deterministic(t in text()) {
        let a = evaluate(&t);
        let b = evaluate(&t);
        prop_assert_eq!(&a, &b);
        // Every error is positioned inside the text.
        let lines = t.split('\n').count() as u32;
        for e in &a.errors {
            prop_assert!(e.line >= 1 && e.line <= lines && e.column >= 1);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let r = evaluate_bytes(&bytes);
        let q = check(&Program::parse_bytes(&bytes));
        prop_assert_eq!((r.summary.passed, r.summary.failed), (q.passed, q.failed));
    }
}

proptest! {
    #![proptest_config(cfg(120))]

    #[test]
    fn quiet_and_full_evaluation_agree(seed in any::<u64>()) {
        let t = generate::random(seed, 60);
        let full = evaluate(&t);
        let quiet = check(&Program::parse(&t));
        let (p, f, lines) = counts(&full);
        prop_assert_eq!((p, f), (quiet.passed, quiet.failed));
        prop_assert_eq!(lines, quiet.failures.iter().map(|x| x.0).collect::<Vec<_>>());
        prop_assert_eq!(quiet.statements, full.steps.len());
    }

    #[test]
    fn failing_statements_change_nothing_and_time_travel_replays(seed in any::<u64>()) {
        let t = generate::random(seed, 40);
        let program = Program::parse(&t);
        let report = Report::build(&program);
        let mut prev = state_after(&program, 0).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for (i, step) in report.steps.iter().enumerate() {
            let now = state_after(&program, i + 1).map_err(|e| TestCaseError::fail(e.to_string()))?;
            if step.outcome == Outcome::Fail {
                prop_assert_eq!(&prev, &now, "line {} changed the state", step.line);
            }
            prev = now;
        }
        prop_assert_eq!(prev, report.state);
    }

    #[test]
    fn every_fix_makes_its_statement_succeed(seed in any::<u64>()) {
        let t = generate::random(seed, 50);
        let report = evaluate(&t);
        let lines: Vec<&str> = t.lines().collect();
        for step in report.steps.iter().filter(|s| s.fix.is_some()).take(4) {
            let fix = step.fix.clone().unwrap_or_default();
            let at = step.line as usize - 1;
            let mut patched: Vec<&str> = lines[..at].to_vec();
            patched.extend(fix.iter().map(String::as_str));
            patched.extend(&lines[at..]);
            let r = evaluate(&patched.join("\n"));
            let new_line = step.line + fix.len() as u32;
            let s = r.steps.iter().find(|s| s.line == new_line);
            prop_assert!(s.is_some_and(|s| s.outcome != Outcome::Fail),
                "fix {:?} for line {} ({} {:?}) did not work: {:?}\n{}", fix, step.line, step.statement, step.code, s, t);
            // The inserted lines succeed too.
            for l in step.line..new_line {
                let ins = r.steps.iter().find(|s| s.line == l);
                prop_assert!(ins.is_some_and(|s| s.outcome != Outcome::Fail), "inserted line {l} failed: {ins:?}");
            }
        }
    }
}
