//! SPEC §7's DOM contract, scenario by scenario: every scenario of the corpus (`tests/scenarios`
//! and the gallery's `web/examples`, or the folders named by `KEYLINE_SCENARIO_DIRS`) is opened from a `#s=` link and what the
//! page shows is compared with the engine's report — exactly what `keyline run FILE --json`
//! prints — line by line: steps, expectations, resources and the summary.
// A helper that cannot do its part fails its test with the reason; clippy.toml's
// allow-*-in-tests covers the #[test] functions only, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

/// Everything the contract covers, read from the page in one round trip.
const READ_DOM: &str = r#"
const all = (css) => Array.from(document.querySelectorAll(css));
const attr = (e, name) => e.getAttribute(name);
return JSON.stringify({
  steps: all('[data-line]').map((e) => ({
    line: attr(e, 'data-line'),
    outcome: attr(e, 'data-outcome'),
    code: attr(e, 'data-code'),
  })),
  expectations: all('[data-expect-line]').map((e) => ({
    line: attr(e, 'data-expect-line'),
    passed: attr(e, 'data-passed'),
  })),
  resources: all('[data-resource]').map((e) => ({
    name: attr(e, 'data-resource'),
    kind: attr(e, 'data-kind'),
    encryption: attr(e, 'data-encryption'),
    health: attr(e, 'data-health'),
  })),
  summaries: all('[data-summary]').map((e) => e.textContent.trim()),
  alerts: all('[role=alert]').map((e) => e.textContent.trim()),
  text: (document.querySelector('textarea#scenario') || {}).value,
});
"#;

/// The repository root: this crate is `tests/e2e`.
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The `.kl` files of `dir`, sorted; none when `dir` does not exist.
fn scenarios_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "kl"))
        .collect();
    files.sort();
    files
}

/// What the page must show for one scenario, from the engine's JSON report.
#[derive(Debug, Default, PartialEq, Eq)]
struct Expected {
    /// line → (outcome, code)
    steps: BTreeMap<String, (String, Option<String>)>,
    /// line → passed
    expectations: BTreeMap<String, String>,
    /// name → (kind, encryption, health for disks)
    resources: BTreeMap<String, (String, String, Option<String>)>,
    summary: String,
}

fn as_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Reads the report the way a consumer of `keyline run --json` would.
fn expected_from_report(report: &Value) -> Expected {
    let mut e = Expected::default();
    for step in report["steps"].as_array().expect("steps") {
        let code = step["code"].as_str().map(str::to_owned);
        e.steps
            .insert(as_str(&step["line"]), (as_str(&step["outcome"]), code));
    }
    for x in report["expectations"].as_array().expect("expectations") {
        e.expectations
            .insert(as_str(&x["line"]), as_str(&x["passed"]));
    }
    let state = &report["state"];
    let kinds = [
        ("keys", "key"),
        ("images", "image"),
        ("servers", "server"),
        ("disks", "disk"),
        ("snapshots", "snapshot"),
        ("backups", "backup"),
        ("configs", "config"),
    ];
    for (list, kind) in kinds {
        for r in state[list].as_array().expect("state list") {
            let name = as_str(&r["name"]);
            // Keys carry no encryption; a server shows its system disk's.
            let encryption = if kind == "key" {
                "none".to_owned()
            } else {
                as_str(&r["encryption"])
            };
            let health = (kind == "disk").then(|| as_str(&r["health"]));
            let previous = e
                .resources
                .insert(name.clone(), (kind.to_owned(), encryption, health));
            assert!(
                previous.is_none(),
                "two resources named {name} in the state"
            );
        }
    }
    let summary = &report["summary"];
    e.summary = format!(
        "{} passed, {} failed",
        summary["passed"].as_u64().expect("passed"),
        summary["failed"].as_u64().expect("failed")
    );
    e
}

/// Compares the page with the report; returns every difference (empty when they agree).
fn differences(expected: &Expected, dom: &Value, text: &str) -> Vec<String> {
    let mut diffs = Vec::new();
    let list = |key: &str| dom[key].as_array().cloned().unwrap_or_default();
    let attr = |v: &Value, key: &str| v[key].as_str().map(str::to_owned);

    // Steps: every element with data-line agrees with its statement, and every statement has one.
    let mut seen_lines = BTreeSet::new();
    for el in list("steps") {
        let line = attr(&el, "line").unwrap_or_default();
        let got = (
            attr(&el, "outcome").unwrap_or_else(|| "<no data-outcome>".into()),
            attr(&el, "code"),
        );
        match expected.steps.get(&line) {
            Some(want) if *want == got => {}
            Some(want) => diffs.push(format!(
                "line {line}: DOM shows outcome {got:?}, engine says {want:?}"
            )),
            None => diffs.push(format!(
                "[data-line=\"{line}\"] {got:?} but line {line} is not a statement"
            )),
        }
        seen_lines.insert(line);
    }
    for (line, want) in &expected.steps {
        if !seen_lines.contains(line) {
            diffs.push(format!("no [data-line=\"{line}\"] for statement {want:?}"));
        }
    }

    // Expectations.
    let mut seen_expect = BTreeSet::new();
    for el in list("expectations") {
        let line = attr(&el, "line").unwrap_or_default();
        let got = attr(&el, "passed").unwrap_or_else(|| "<no data-passed>".into());
        match expected.expectations.get(&line) {
            Some(want) if *want == got => {}
            Some(want) => diffs.push(format!(
                "expectation line {line}: DOM data-passed={got}, engine says {want}"
            )),
            None => diffs.push(format!(
                "[data-expect-line=\"{line}\"] but line {line} is not an expectation"
            )),
        }
        seen_expect.insert(line);
    }
    for (line, want) in &expected.expectations {
        if !seen_expect.contains(line) {
            diffs.push(format!("no [data-expect-line=\"{line}\"] (passed={want})"));
        }
    }

    // Resources: every element naming a resource agrees with the state, and every resource of
    // the state is shown.
    let mut seen_names = BTreeSet::new();
    for el in list("resources") {
        let name = attr(&el, "name").unwrap_or_default();
        let Some((kind, encryption, health)) = expected.resources.get(&name) else {
            diffs.push(format!(
                "[data-resource=\"{name}\"] shown but not in the final state"
            ));
            continue;
        };
        let got_enc = attr(&el, "encryption");
        if got_enc.as_deref() != Some(encryption.as_str()) {
            diffs.push(format!(
                "{kind} {name}: data-encryption {got_enc:?}, engine says {encryption:?}"
            ));
        }
        if let Some(h) = health {
            let got = attr(&el, "health");
            if got.as_deref() != Some(h.as_str()) {
                diffs.push(format!(
                    "disk {name}: data-health {got:?}, engine says {h:?}"
                ));
            }
        }
        if let Some(k) = attr(&el, "kind") {
            if k != *kind {
                diffs.push(format!("{name}: data-kind {k:?}, engine says {kind:?}"));
            }
        }
        seen_names.insert(name);
    }
    for (name, (kind, ..)) in &expected.resources {
        if !seen_names.contains(name) {
            diffs.push(format!("no [data-resource=\"{name}\"] for {kind} {name}"));
        }
    }

    // The summary.
    let summaries = list("summaries");
    if summaries.is_empty() {
        diffs.push("no [data-summary]".into());
    }
    for s in summaries {
        if s.as_str() != Some(expected.summary.as_str()) {
            diffs.push(format!(
                "[data-summary] says {s}, engine says {:?}",
                expected.summary
            ));
        }
    }

    // The link opened: no alert, and the editor holds the scenario (a textarea's value has
    // its line breaks normalised to LF).
    let alerts = list("alerts");
    if !alerts.is_empty() {
        diffs.push(format!("alerts shown: {alerts:?}"));
    }
    let want_text = text.replace("\r\n", "\n").replace('\r', "\n");
    if dom["text"].as_str() != Some(want_text.as_str()) {
        diffs.push("the editor does not hold the scenario of the link".into());
    }
    diffs
}

#[tokio::test]
async fn every_scenario_renders_its_report() {
    let root = repo_root();
    // The project's own scenarios, or exactly the folders `KEYLINE_SCENARIO_DIRS` names (how
    // `cargo xtask test` checks `../shared/scenarios` when it sits beside the clone).
    let (dirs, least) = match std::env::var_os("KEYLINE_SCENARIO_DIRS") {
        Some(dirs) => (std::env::split_paths(&dirs).collect::<Vec<_>>(), 1),
        None => (
            vec![root.join("tests/scenarios"), root.join("web/examples")],
            30,
        ),
    };
    let files: Vec<PathBuf> = dirs.iter().flat_map(|dir| scenarios_in(dir)).collect();
    assert!(!files.is_empty(), "no scenarios in {dirs:?}");

    let h = keyline_e2e::session().await;
    let mut checked = 0;
    let mut failures = Vec::new();
    let mut totals = (0, 0, 0);
    for file in &files {
        let text = std::fs::read_to_string(file)
            .unwrap_or_else(|err| panic!("reading {}: {err}", file.display()));
        let report = serde_json::to_value(keyline_rules::evaluate(&text)).expect("report as JSON");
        let expected = expected_from_report(&report);

        // A fresh page per scenario: a fragment-only change would not reload.
        h.client.goto("about:blank").await.expect("about:blank");
        h.open(&format!("#s={}", keyline_link::encode_plain(&text)))
            .await;
        let dom = h.execute(READ_DOM, vec![]).await;
        let dom: Value = serde_json::from_str(dom.as_str().expect("the page returned JSON text"))
            .expect("the page's JSON");

        let diffs = differences(&expected, &dom, &text);
        if !diffs.is_empty() {
            failures.push(format!("{}:\n  {}", file.display(), diffs.join("\n  ")));
        }
        checked += 1;
        totals.0 += expected.steps.len();
        totals.1 += expected.expectations.len();
        totals.2 += expected.resources.len();
    }
    h.assert_clean_console().await;
    h.close().await;

    eprintln!(
        "checked {checked} scenarios: {} statements, {} expectations, {} resources",
        totals.0, totals.1, totals.2
    );
    assert!(
        failures.is_empty(),
        "the page disagrees with the engine's report:\n{}",
        failures.join("\n")
    );
    assert!(
        checked >= least,
        "only {checked} scenarios checked in {dirs:?}"
    );
    // The comparison covered something of every part of the contract.
    assert!(totals.0 > 0 && totals.1 > 0 && totals.2 > 0, "{totals:?}");
}

/// The contract holds for long scenarios too: every statement and every expectation of a
/// scenario of 1000 lines is in the page, not only the first few hundred.
#[tokio::test]
async fn a_long_scenario_shows_every_statement_and_expectation() {
    let mut text = String::new();
    for i in 1..=500 {
        text.push_str(&format!("key create k{i}\nexpect ok\n"));
    }
    let report = serde_json::to_value(keyline_rules::evaluate(&text)).expect("report as JSON");
    let expected = expected_from_report(&report);
    assert_eq!(expected.steps.len(), 500);
    assert_eq!(expected.expectations.len(), 500);

    let h = keyline_e2e::session().await;
    h.open(&format!("#z={}", keyline_link::encode_deflate(&text)))
        .await;
    let dom = h.execute(READ_DOM, vec![]).await;
    let dom: Value = serde_json::from_str(dom.as_str().expect("JSON text")).expect("JSON");
    h.close().await;
    let diffs = differences(&expected, &dom, &text);
    assert!(
        diffs.is_empty(),
        "{} differences, the first: {:#?}",
        diffs.len(),
        &diffs[..diffs.len().min(5)]
    );
}

/// Guards the comparison above against passing vacuously: a page that shows a wrong outcome,
/// misses a resource or miscounts is reported.
#[test]
fn the_comparison_sees_differences() {
    let text = "key create k1\nserver create web\ndisk create d1 encrypt k1\nexpect fail\n";
    let report = serde_json::to_value(keyline_rules::evaluate(text)).expect("json");
    let expected = expected_from_report(&report);
    let good = serde_json::json!({
        "steps": [
            {"line": "1", "outcome": "ok", "code": null},
            {"line": "2", "outcome": "ok", "code": null},
            {"line": "3", "outcome": "fail", "code": "KMS_NOT_AUTHORIZED"},
        ],
        "expectations": [{"line": "4", "passed": "true"}],
        "resources": [
            {"name": "k1", "kind": "key", "encryption": "none", "health": null},
            {"name": "web", "kind": "server", "encryption": "none", "health": null},
            {"name": "web-sys", "kind": "disk", "encryption": "none", "health": "healthy"},
        ],
        "summaries": ["1 passed, 0 failed"],
        "alerts": [],
        "text": text,
    });
    assert_eq!(differences(&expected, &good, text), Vec::<String>::new());

    let mut wrong_code = good.clone();
    wrong_code["steps"][2]["code"] = "KEY_UNAVAILABLE".into();
    assert_eq!(differences(&expected, &wrong_code, text).len(), 1);
    let mut missing = good.clone();
    missing["resources"]
        .as_array_mut()
        .expect("array")
        .remove(2);
    assert_eq!(differences(&expected, &missing, text).len(), 1);
    let mut health = good.clone();
    health["resources"][2]["health"] = "at-risk".into();
    assert_eq!(differences(&expected, &health, text).len(), 1);
    let mut summary = good.clone();
    summary["summaries"][0] = "0 passed, 1 failed".into();
    assert_eq!(differences(&expected, &summary, text).len(), 1);
    let mut extra = good;
    extra["steps"]
        .as_array_mut()
        .expect("array")
        .push(serde_json::json!({"line": "4", "outcome": "ok", "code": null}));
    assert_eq!(differences(&expected, &extra, text).len(), 1);
}
