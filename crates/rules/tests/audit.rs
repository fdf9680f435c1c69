//! The audit (`keyline_rules::audit`): findings on scenarios written for it, findings checked
//! against the final state read independently, and the Markdown report's "Key risks" section.

use keyline_rules::{audit, evaluate, Effect, Health, KeyState, Program, RuleId, StateView};
use std::collections::BTreeSet;
use std::path::PathBuf;

fn audit_of(text: &str) -> keyline_rules::Audit {
    audit(&Program::parse(text))
}

const CASE: &str = "\
role security-admin
kms grant
key create k1
key create k2
key create k3
server create web
disk create d1 encrypt k1
attach d1 web
disk create d2 encrypt k1
snapshot create s1 disk d1
disk create d3 encrypt k2
attach d3 web
backup create b1 disk d3
server create tmpl
disk create t1 encrypt k3
attach t1 tmpl
config create cfg from-server tmpl
disk create plain
key disable k1
key schedule-deletion k2 30
key disable k3
wait 5
";

#[test]
fn findings_name_the_resource_its_key_and_why() {
    let a = audit_of(CASE);
    assert_eq!(a.day, 5);
    let got: Vec<(Effect, &str, &str, Option<u64>)> = a
        .findings
        .iter()
        .map(|f| (f.effect, f.resource.as_str(), f.key.as_str(), f.days_left))
        .collect();
    assert_eq!(
        got,
        vec![
            // k2 is pending deletion: its resources come first, with days left.
            (Effect::AtRisk, "d3", "k2", Some(25)),
            (Effect::RestoreFails, "b1", "k2", Some(25)),
            (Effect::AtRisk, "d1", "k1", None),
            (Effect::AtRisk, "t1", "k3", None),
            (Effect::Unattachable, "d2", "k1", None),
            (Effect::LaunchFails, "cfg", "k3", None),
            (Effect::RestoreFails, "s1", "k1", None),
        ]
    );
    let d3 = &a.findings[0];
    assert_eq!(d3.rule, RuleId::InUse);
    assert_eq!(d3.unrecoverable_on, Some(30));
    assert_eq!(d3.key_state, KeyState::PendingDeletion);
    assert!(d3.message.contains("Do not detach it"), "{}", d3.message);
    assert!(
        d3.message
            .contains("unrecoverable on day 30 (25 days left)"),
        "{}",
        d3.message
    );
    assert_eq!(
        d3.fix.as_deref(),
        Some(
            &[
                "key cancel-deletion k2".to_owned(),
                "key enable k2".to_owned()
            ][..]
        )
    );
    let d2 = a.findings.iter().find(|f| f.resource == "d2").unwrap();
    assert_eq!(d2.rule, RuleId::Reattach);
    assert!(d2
        .message
        .contains("attaching it fails until the key is restored"));
    assert_eq!(d2.fix.as_deref(), Some(&["key enable k1".to_owned()][..]));
    let cfg = a.findings.iter().find(|f| f.resource == "cfg").unwrap();
    assert_eq!(cfg.kind, "config");
    assert_eq!(cfg.rule, RuleId::UseNew);
    assert!(cfg
        .message
        .starts_with("Launching a server from config cfg fails"));
    assert!(a.has_findings());
}

#[test]
fn every_key_with_its_dependents() {
    let a = audit_of(CASE);
    let k1 = a.keys.iter().find(|k| k.name == "k1").unwrap();
    let deps: Vec<(&str, &str)> = k1
        .dependents
        .iter()
        .map(|d| (d.kind, d.name.as_str()))
        .collect();
    assert_eq!(
        deps,
        vec![("disk", "d1"), ("disk", "d2"), ("snapshot", "s1")]
    );
    let k2 = a.keys.iter().find(|k| k.name == "k2").unwrap();
    assert_eq!(k2.state, KeyState::PendingDeletion);
    assert_eq!((k2.deletion_day, k2.days_left), (Some(30), Some(25)));
    assert_eq!(a.keys.len(), 3);
    // Every key is unusable: nothing left to expose.
    assert!(a.exposure.is_empty());
}

#[test]
fn exposure_of_enabled_keys_is_not_a_finding() {
    let a = audit_of(
        "role security-admin\nkms grant\nkey create k1\nkey create idle\nserver create web\n\
         disk create d1 encrypt k1\nattach d1 web\ndisk create d2 encrypt k1\n\
         snapshot create s1 disk d1\ndisk create d4 encrypt evs/default\n",
    );
    assert!(!a.has_findings(), "{:?}", a.findings);
    assert_eq!(a.exposure.len(), 1, "{:?}", a.exposure);
    let e = &a.exposure[0];
    assert_eq!(e.key, "k1");
    assert_eq!(
        (
            e.at_risk,
            e.unattachable,
            e.launch_fails,
            e.restore_fails,
            e.unrecoverable
        ),
        (1, 1, 0, 1, 3)
    );
    assert_eq!(
        e.message,
        "Disabling key k1 would put 1 attached disk at risk, make 1 detached disk unattachable and make disk creation from 1 snapshot or backup fail; its deletion would make 3 resources unrecoverable."
    );
}

#[test]
fn deleted_keys_leave_unrecoverable_data_without_a_fix() {
    let a = audit_of(
        "role security-admin\nkms grant\nkey create k1\ndisk create d1 encrypt k1\n\
         image import img encrypt k1\nkey schedule-deletion k1 7\nwait 7\n",
    );
    let got: Vec<(Effect, &str)> = a
        .findings
        .iter()
        .map(|f| (f.effect, f.resource.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (Effect::Unrecoverable, "d1"),
            (Effect::Unrecoverable, "img")
        ]
    );
    assert!(a
        .findings
        .iter()
        .all(|f| f.fix.is_none() && f.rule == RuleId::Delete));
    assert!(a.findings[1]
        .message
        .starts_with("Image img was encrypted with key k1, deleted on day 7"));
}

#[test]
fn a_healthy_account_has_no_findings() {
    let a = audit_of("key create k1\nserver create web\n");
    assert!(!a.has_findings());
    assert!(a.exposure.is_empty());
    assert_eq!(a.keys.len(), 1);
    assert!(a.keys[0].dependents.is_empty());
}

/// What the findings must be, read from the final state alone (not from the audit's code).
fn expected_from_state(state: &StateView) -> BTreeSet<(String, &'static str)> {
    let unusable = |key: &str| {
        state
            .keys
            .iter()
            .find(|k| k.name == key)
            .map(|k| k.state)
            .filter(|s| *s != KeyState::Enabled)
    };
    let effect_of = |key: &str, live: Effect| {
        unusable(key).map(|s| {
            if s == KeyState::Deleted {
                Effect::Unrecoverable
            } else {
                live
            }
        })
    };
    let mut out = BTreeSet::new();
    for d in &state.disks {
        let e = match d.health {
            Health::Healthy => continue,
            Health::AtRisk => Effect::AtRisk,
            Health::Unattachable => Effect::Unattachable,
            Health::Unrecoverable => Effect::Unrecoverable,
        };
        out.insert((d.name.clone(), e.as_str()));
    }
    for c in state.snapshots.iter().chain(&state.backups) {
        if let Some(e) = effect_of(&c.encryption, Effect::RestoreFails) {
            out.insert((c.name.clone(), e.as_str()));
        }
    }
    for i in &state.images {
        if let Some(e) = effect_of(&i.encryption, Effect::LaunchFails) {
            out.insert((i.name.clone(), e.as_str()));
        }
    }
    for c in &state.configs {
        for k in std::iter::once(&c.encryption).chain(&c.data_encryption) {
            if let Some(e) = effect_of(k, Effect::LaunchFails) {
                out.insert((c.name.clone(), e.as_str()));
            }
        }
    }
    out
}

fn scenarios() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "kl"))
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out.push(("case".to_owned(), CASE.to_owned()));
    out
}

#[test]
fn findings_agree_with_the_final_state_on_every_scenario() {
    let mut with_findings = 0;
    for (name, text) in scenarios() {
        let program = Program::parse(&text);
        let a = audit(&program);
        let report = evaluate(&text);
        let got: BTreeSet<(String, &'static str)> = a
            .findings
            .iter()
            .map(|f| (f.resource.clone(), f.effect.as_str()))
            .collect();
        assert_eq!(got, expected_from_state(&report.state), "{name}");
        assert_eq!(a.findings, report.findings, "{name}");
        with_findings += usize::from(a.has_findings());
    }
    assert!(with_findings >= 3, "the scenarios exercise the audit");
}

#[test]
fn markdown_gains_key_risks_only_with_findings() {
    for (name, text) in scenarios() {
        let report = evaluate(&text);
        let md = report.to_markdown();
        let mut bare = report.clone();
        bare.findings.clear();
        let without = bare.to_markdown();
        if report.findings.is_empty() {
            assert_eq!(md, without, "{name}");
            assert!(!md.contains("## Key risks"), "{name}");
            continue;
        }
        // The section is the only difference, just before the final state.
        let start = md.find("## Key risks").unwrap();
        let end = md.find("## Final state").unwrap();
        assert!(start < end, "{name}");
        assert_eq!(format!("{}{}", &md[..start], &md[end..]), without, "{name}");
        let section = &md[start..end];
        for f in &report.findings {
            assert!(
                section.contains(&format!("`{}`", f.resource)),
                "{name}: {section}"
            );
        }
    }
    let md = evaluate(CASE).to_markdown();
    assert!(
        md.contains("## Key risks\n\n7 findings on the final state"),
        "{md}"
    );
    assert!(
        md.contains(
            "- **at-risk** — disk `d3` (key `k2`, pending-deletion, 25 days left) (R-IN-USE)"
        ),
        "{md}"
    );
    assert!(
        md.contains("  - Fix: restore the key: `key cancel-deletion k2`, `key enable k2`"),
        "{md}"
    );
}
