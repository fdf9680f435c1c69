//! Evaluation and every analysis on arbitrary bytes: `evaluate_bytes`, the quiet `check`, the
//! state after a few steps, provenance, impact (all three actions) and lineage on the names in
//! the final state, completion and highlighting of every line, the Markdown and JSON reports.
//! Nothing may panic, and the quiet and full paths must agree.
#![no_main]

use keyline_rules::{
    check, complete, evaluate_bytes, highlight, impact, lineage, provenance, state_after, Action,
    Program,
};
use libfuzzer_sys::fuzz_target;

/// At most this many names and lines get the per-name and per-line analyses, so one input
/// stays fast and the fuzzer keeps its pace.
const CAP: usize = 24;

fuzz_target!(|data: &[u8]| {
    let report = evaluate_bytes(data);
    let program = Program::parse_bytes(data);

    let quiet = check(&program);
    assert_eq!(
        (quiet.passed, quiet.failed),
        (report.summary.passed, report.summary.failed)
    );
    assert_eq!(quiet.statements, report.steps.len());

    let n = report.steps.len();
    for step in [0, 1, n / 2, n.saturating_sub(1), n, n + 1] {
        match state_after(&program, step) {
            Ok(s) => {
                assert!(step <= n);
                if step == n {
                    assert_eq!(s, report.state);
                }
            }
            Err(_) => assert!(step > n),
        }
    }

    let s = &report.state;
    let names: Vec<&str> = s
        .keys
        .iter()
        .map(|k| k.name.as_str())
        .chain(s.images.iter().map(|x| x.name.as_str()))
        .chain(s.servers.iter().map(|x| x.name.as_str()))
        .chain(s.disks.iter().map(|x| x.name.as_str()))
        .chain(s.snapshots.iter().map(|x| x.name.as_str()))
        .chain(s.backups.iter().map(|x| x.name.as_str()))
        .chain(s.configs.iter().map(|x| x.name.as_str()))
        .take(CAP)
        .chain(["evs/default", "no-such-name", ""])
        .collect();
    for name in names {
        let _ = provenance(&program, name);
        for &a in Action::ALL {
            let _ = impact(&program, name, a);
        }
    }

    for g in [lineage(&program, None), lineage(&program, Some(n / 2))] {
        for node in g.nodes.iter().take(CAP) {
            let chain = g.chain_of(&node.id);
            assert_eq!(chain.first(), Some(&node.id));
        }
    }

    for line in program.source.split('\n').take(CAP) {
        for t in highlight(line) {
            assert!(t.start <= t.end && t.end <= line.len(), "{t:?} in {line:?}");
            assert!(line.get(t.start..t.end).is_some(), "{t:?} in {line:?}");
        }
        let c = complete(line, s);
        assert!(
            c.start <= line.len() && line.get(c.start..).is_some(),
            "{c:?} in {line:?}"
        );
        if let Some((i, _)) = line.char_indices().nth(line.chars().count() / 2) {
            let prefix = line.get(..i).unwrap_or("");
            let _ = complete(prefix, &state_after(&program, n / 2).unwrap_or_default());
        }
    }

    let _ = report.to_markdown();
    let _ = serde_json::to_string(&report);
});
