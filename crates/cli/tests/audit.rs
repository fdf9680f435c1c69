//! `keyline audit` and `keyline import` of Terraform plans, as a support engineer calls them.
// A helper that cannot do its part fails its test with the reason; clippy.toml's
// allow-*-in-tests covers the #[test] functions only, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{keyline, text};

fn plan(name: &str) -> String {
    common::repo_file("terraform", name)
}

#[test]
fn a_plan_that_hurts_exits_1_with_its_findings() {
    let o = keyline(&["audit", &plan("disk-moved-key-disabled.json")], None);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(
        out.contains("  key db-key [custom] disabled: disk db-data\n"),
        "{out}"
    );
    assert!(
        out.contains("  unattachable disk db-data  key db-key disabled  [R-REATTACH]\n"),
        "{out}"
    );
    assert!(out.contains("      fix: key enable db-key\n"), "{out}");
    assert!(out.ends_with("1 finding\n"), "{out}");
}

#[test]
fn json_for_tooling() {
    let o = keyline(
        &["audit", &plan("key-destroyed-detached.json"), "--json"],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["version"], 1);
    assert_eq!(v["keys"][0]["name"], "archive-key");
    assert_eq!(v["keys"][0]["state"], "pending-deletion");
    let f = &v["findings"][0];
    assert_eq!(f["effect"], "unattachable");
    assert_eq!(f["resource"], "archive-2025");
    assert_eq!(f["key"], "archive-key");
    assert_eq!(f["days_left"], 30);
    assert_eq!(f["unrecoverable_on"], 30);
    assert_eq!(f["rule"], "R-REATTACH");
    assert_eq!(
        f["fix"],
        serde_json::json!(["key cancel-deletion archive-key", "key enable archive-key"])
    );
}

#[test]
fn no_findings_exit_0_and_exposure_is_listed() {
    let scenario = b"role security-admin\nkms grant\nkey create k1\nserver create web\ndisk create d1 encrypt k1\nattach d1 web\n";
    let o = keyline(&["audit", "-"], Some(scenario));
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.contains("findings:\n  none\n"), "{out}");
    assert!(
        out.contains("exposure:\n  Disabling key k1 would put 1 attached disk at risk; its deletion would make 1 resource unrecoverable.\n"),
        "{out}"
    );
    assert!(out.ends_with("0 findings\n"), "{out}");
}

#[test]
fn a_scenario_with_a_parse_error_exits_2_after_its_audit() {
    let o = keyline(&["audit", "-"], Some(b"key create k1\nkey frobnicate k1\n"));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("<stdin>:2:"),
        "{}",
        text(&o.stderr)
    );
    assert!(text(&o.stdout).contains("key k1 [custom] enabled"));
}

#[test]
fn bad_plans_exit_2_naming_why() {
    let o = keyline(&["audit", &plan("hostile-format-2.json")], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("format_version \"2.0\": Keyline reads format 1.x"),
        "{}",
        text(&o.stderr)
    );
    let o = keyline(&["import", &plan("hostile-truncated.json")], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("not valid JSON"),
        "{}",
        text(&o.stderr)
    );
    let o = keyline(&["audit", "-"], Some(b"[1, 2]"));
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn import_reads_a_plan_and_names_what_it_skipped() {
    let o = keyline(&["import", &plan("other-providers.json")], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let scenario = text(&o.stdout);
    assert!(scenario.contains("\n# planned changes\n"), "{scenario}");
    let err = text(&o.stderr);
    assert!(err.contains("keyline: warning: "), "{err}");
    assert!(
        err.contains("skipped 6 resources that Keyline does not model"),
        "{err}"
    );
    // The scenario runs: planned changes get their verdicts, nothing fails here.
    let r = keyline(&["run", "-", "--json"], Some(scenario.as_bytes()));
    assert_eq!(r.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&r.stdout).expect("JSON");
    // `run --json` keeps SPEC §5's shape: the audit's findings are not in it.
    assert!(v.get("findings").is_none());
    assert!(v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["statement"] == "attach app-data app-1" && s["outcome"] == "ok"));
}

#[test]
fn the_markdown_report_of_a_plan_carries_its_key_risks() {
    let o = keyline(&["import", &plan("as-config-key-disabled.json")], None);
    assert_eq!(o.status.code(), Some(0));
    let r = keyline(&["run", "-", "--markdown"], Some(&o.stdout));
    let md = text(&r.stdout);
    assert!(md.contains("## Key risks\n\n4 findings"), "{md}");
    assert!(
        md.contains(
            "- **launch-fails** — config `workers-v3` (key `scale-key`, disabled) (R-USE-NEW)"
        ),
        "{md}"
    );
}
