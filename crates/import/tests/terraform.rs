//! Terraform plans (`terraform show -json`, written from the Huawei Cloud provider's documented
//! attributes, in `tests/terraform/`): each imported, its prior state replayed without a
//! failing statement, its final state checked with `expect` lines, the planned changes'
//! verdicts and the audit's findings checked.

use keyline_import::{import, Document, ImportError, Imported, PLANNED_MARKER};
use keyline_rules::{audit, evaluate, Effect, Outcome, Program, Report};
use std::path::PathBuf;

fn fixture(name: &str) -> Document {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/terraform")
        .join(name);
    Document::new(name, std::fs::read_to_string(path).expect("read fixture"))
}

fn plan(name: &str) -> Imported {
    import(&[fixture(name)], None).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The scenario with `expect` lines appended, evaluated; every expectation must pass and no
/// statement of the prior state may fail.
fn checked(i: &Imported, expects: &[&str]) -> Report {
    let planned = i
        .plan
        .as_ref()
        .and_then(|p| p.planned_line)
        .expect("a plan");
    let mut text = i.scenario.clone();
    for e in expects {
        text.push_str("expect ");
        text.push_str(e);
        text.push('\n');
    }
    let r = evaluate(&text);
    assert!(r.errors.is_empty(), "{:?}\n{text}", r.errors);
    for s in r.steps.iter().filter(|s| s.line < planned) {
        assert_ne!(
            s.outcome,
            Outcome::Fail,
            "prior state fails at {}: {}\n{text}",
            s.line,
            s.statement
        );
    }
    for e in &r.expectations {
        assert!(
            e.passed,
            "line {}: {} — got {}\n{text}",
            e.line, e.text, e.actual
        );
    }
    assert_eq!(r.expectations.len(), expects.len());
    r
}

/// (statement, outcome, code) of every step after the marker.
fn planned_steps(i: &Imported, r: &Report) -> Vec<(String, Outcome, Option<String>)> {
    let planned = i.plan.as_ref().and_then(|p| p.planned_line).unwrap_or(0);
    r.steps
        .iter()
        .filter(|s| s.line > planned)
        .map(|s| {
            (
                s.statement.clone(),
                s.outcome,
                s.code.map(|c| c.to_string()),
            )
        })
        .collect()
}

fn findings(i: &Imported) -> Vec<(Effect, String, String, Option<u64>)> {
    audit(&Program::parse(&i.scenario))
        .findings
        .into_iter()
        .map(|f| (f.effect, f.resource, f.key, f.days_left))
        .collect()
}

fn step(s: &str, o: Outcome, c: Option<&str>) -> (String, Outcome, Option<String>) {
    (s.to_owned(), o, c.map(str::to_owned))
}

#[test]
fn a_key_disabled_while_its_disk_is_attached() {
    let i = plan("key-disabled-attached.json");
    assert!(i.warnings.is_empty(), "{:?}", i.warnings);
    let r = checked(
        &i,
        &[
            "orders-key state disabled",
            "orders encrypted orders-key",
            "orders attached web-01",
            "orders health at-risk",
            "web-01-sys unencrypted",
            "count 1 servers",
        ],
    );
    assert_eq!(
        planned_steps(&i, &r),
        vec![step(
            "key disable orders-key",
            Outcome::Warn,
            Some("KEY_IN_USE")
        )]
    );
    let p = i.plan.as_ref().unwrap();
    assert_eq!(p.format_version, "1.2");
    assert_eq!(p.terraform_version.as_deref(), Some("1.9.8"));
    // The no-op change plays nothing and is not listed.
    assert_eq!(p.changes.len(), 1);
    assert_eq!(p.changes[0].address, "huaweicloud_kms_key.orders");
    assert_eq!(p.changes[0].lines.len(), 1);
    let line = p.changes[0].lines[0] as usize;
    assert!(i
        .scenario
        .lines()
        .nth(line - 1)
        .unwrap()
        .starts_with("key disable orders-key"));
    let (prior, planned) = i.split();
    assert!(planned.starts_with(PLANNED_MARKER), "{planned}");
    assert!(!prior.contains("key disable"), "{prior}");
    assert_eq!(
        findings(&i),
        vec![(
            Effect::AtRisk,
            "orders".to_owned(),
            "orders-key".to_owned(),
            None
        )]
    );
}

#[test]
fn a_key_destroyed_with_a_detached_disk_on_it() {
    let i = plan("key-destroyed-detached.json");
    let r = checked(
        &i,
        &[
            "archive-key state pending-deletion",
            "archive-2025 health unattachable",
            "archive-2025 detached",
            "archive-2025-daily encrypted archive-key",
        ],
    );
    // pending_days of the key's state (30), as the provider's delete passes it.
    assert_eq!(
        planned_steps(&i, &r),
        vec![step(
            "key schedule-deletion archive-key 30",
            Outcome::Ok,
            None
        )]
    );
    assert_eq!(
        findings(&i),
        vec![
            (
                Effect::Unattachable,
                "archive-2025".to_owned(),
                "archive-key".to_owned(),
                Some(30)
            ),
            (
                Effect::RestoreFails,
                "archive-2025-daily".to_owned(),
                "archive-key".to_owned(),
                Some(30)
            ),
        ]
    );
}

#[test]
fn a_disk_moved_between_servers_as_its_key_is_disabled() {
    let i = plan("disk-moved-key-disabled.json");
    let r = checked(
        &i,
        &[
            "db-key state disabled",
            "db-data detached",
            "db-data health unattachable",
            "count 2 servers",
        ],
    );
    // Key state first: the detach warns and the re-attach fails, with the fix.
    assert_eq!(
        planned_steps(&i, &r),
        vec![
            step("key disable db-key", Outcome::Warn, Some("KEY_IN_USE")),
            step("detach db-data", Outcome::Warn, Some("REATTACH_WILL_FAIL")),
            step(
                "attach db-data db-2",
                Outcome::Fail,
                Some("KEY_UNAVAILABLE")
            ),
        ]
    );
    let attach = r.steps.last().unwrap();
    assert_eq!(
        attach.fix.as_deref(),
        Some(&["key enable db-key".to_owned()][..])
    );
    let moved = &i.plan.as_ref().unwrap().changes[0];
    assert_eq!(moved.actions, vec!["delete", "create"]);
    assert_eq!(moved.lines.len(), 2);
    assert_eq!(
        findings(&i),
        vec![(
            Effect::Unattachable,
            "db-data".to_owned(),
            "db-key".to_owned(),
            None
        )]
    );
}

#[test]
fn an_as_configuration_whose_data_disk_key_is_disabled() {
    let i = plan("as-config-key-disabled.json");
    let r = checked(
        &i,
        &[
            "scale-key state disabled",
            "workers-v1 unencrypted",
            "workers-v2 unencrypted",
            "workers-v3 unencrypted",
            "worker-1-data1 encrypted scale-key",
            "worker-1-data1 health at-risk",
            "count 3 configs",
            "count 1 servers",
            "count 1 images",
        ],
    );
    let cfg = r
        .state
        .configs
        .iter()
        .find(|c| c.name == "workers-v1")
        .unwrap();
    assert_eq!(cfg.data_encryption, vec!["scale-key".to_owned()]);
    assert_eq!(cfg.image, "golden");
    let steps = planned_steps(&i, &r);
    assert_eq!(
        steps[0],
        step("key disable scale-key", Outcome::Warn, Some("KEY_IN_USE"))
    );
    assert_eq!(
        steps[1],
        step(
            "config create workers-v3 from-server workers-v3-template",
            Outcome::Ok,
            None
        )
    );
    let f = findings(&i);
    for c in ["workers-v1", "workers-v2", "workers-v3"] {
        assert!(
            f.contains(&(
                Effect::LaunchFails,
                c.to_owned(),
                "scale-key".to_owned(),
                None
            )),
            "{c}: {f:?}"
        );
    }
    assert!(f.contains(&(
        Effect::AtRisk,
        "worker-1-data1".to_owned(),
        "scale-key".to_owned(),
        None
    )));
    assert_eq!(f.len(), 4, "{f:?}");
}

#[test]
fn other_providers_and_types_are_listed_as_skipped() {
    let i = plan("other-providers.json");
    let p = i.plan.as_ref().unwrap();
    let skipped: Vec<&str> = p.skipped.iter().map(|s| s.address.as_str()).collect();
    for a in [
        "data.huaweicloud_availability_zones.zones",
        "aws_s3_bucket.logs",
        "huaweicloud_vpc.main",
        "module.dns.cloudflare_record.www",
        "random_id.suffix",
        "huaweicloud_vpc_subnet.new",
    ] {
        assert!(skipped.contains(&a), "{a}: {skipped:?}");
    }
    assert!(
        i.scenario.contains("# Skipped 6 resources: "),
        "{}",
        i.scenario
    );
    let w = i.warnings.join("\n");
    assert!(
        w.contains("skipped 6 resources that Keyline does not model"),
        "{w}"
    );
    // The new volume's key and the attachment's volume are known only after apply: they are
    // followed through the configuration's references.
    let r = checked(
        &i,
        &[
            "app-key state enabled",
            "app-data encrypted app-key",
            "app-data attached app-1",
            "scratch unencrypted",
        ],
    );
    assert!(planned_steps(&i, &r).iter().all(|s| s.1 == Outcome::Ok));
    assert!(
        w.contains("scratch: kms_id is known only after apply"),
        "{w}"
    );
    assert!(findings(&i).is_empty());
}

#[test]
fn hostile_attributes_are_warnings_never_failures() {
    let i = plan("hostile-attributes.json");
    // odd, nulls, soon, and placeholders for the two ids no key has.
    checked(
        &i,
        &[
            "count 5 keys",
            "soon state pending-deletion",
            "orphan detached",
        ],
    );
    let w = i.warnings.join("\n");
    for part in [
        "huaweicloud_kms_key.no_id: attribute `id` (and `key_id`) missing; the key is skipped",
        "huaweicloud_evs_volume.typed: attribute `kms_id`: expected a string, found an array; ignored",
        "key id \"k-missing\" matches no huaweicloud_kms_key in the state",
        "attached to server \"s-missing\" that is not in the state",
        "huaweicloud_evs_snapshot.lost: its volume \"v-gone\" is not in the state",
        "status \"MIGRATING\" is neither ACTIVE nor SHUTOFF",
        "huaweicloud_compute_volume_attach.bad: volume_id or instance_id names no volume or server",
    ] {
        assert!(w.contains(part), "{part}\n{w}");
    }
    assert!(!w.contains("internal:"), "{w}");
    // Markup and direction overrides never reach a name or a comment as they were.
    assert!(!i.scenario.contains('\u{202e}'));
    assert!(!i.scenario.contains("<b>"));
}

#[test]
fn bad_documents_say_what_and_why() {
    let e = import(&[fixture("hostile-format-2.json")], None).unwrap_err();
    assert!(
        e.to_string()
            .contains("format_version \"2.0\": Keyline reads format 1.x"),
        "{e}"
    );
    let e = import(&[fixture("hostile-truncated.json")], None).unwrap_err();
    assert!(e.to_string().contains("not valid JSON"), "{e}");
    let e = import(&[Document::new("p.json", "not json")], None).unwrap_err();
    assert!(e.to_string().contains("p.json: not valid JSON"), "{e}");
    let only_others = r#"{"format_version":"1.2","prior_state":{"values":{"root_module":{"resources":[
        {"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","provider_name":"registry.terraform.io/hashicorp/aws","values":{"id":"b"}}]}}},
        "resource_changes":[]}"#;
    let e = import(&[Document::new("p.json", only_others)], None).unwrap_err();
    let ImportError::NothingImported { problems } = &e else {
        panic!("{e}")
    };
    assert!(problems[0].contains("no resource Keyline models"), "{e}");
    assert!(
        problems[1].contains("aws_s3_bucket.b: skipped: not a Huawei Cloud resource"),
        "{e}"
    );
    let empty = r#"{"format_version":"1.2","terraform_version":"1.9.8","resource_changes":[]}"#;
    assert!(import(&[Document::new("p.json", empty)], None).is_err());
    let wrong = r#"{"format_version":1.2,"resource_changes":[]}"#;
    let e = import(&[Document::new("p.json", wrong)], None).unwrap_err();
    assert!(
        e.to_string().contains("format_version: expected a string"),
        "{e}"
    );
    // JSON of another shape goes to the API importer, which says what it expected.
    let e = import(
        &[Document::new("p.json", r#"{"format_version":"1.0"}"#)],
        None,
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("not a KMS, EVS or ECS response"),
        "{e}"
    );
}

#[test]
fn a_state_document_is_read_too() {
    let text = r#"{"format_version":"1.0","terraform_version":"1.9.8","values":{"root_module":{"resources":[
        {"address":"huaweicloud_kms_key.k","mode":"managed","type":"huaweicloud_kms_key","values":{"id":"k-1","key_alias":"k","key_state":"3"}},
        {"address":"huaweicloud_evs_volume.v","mode":"managed","type":"huaweicloud_evs_volume","values":{"id":"v-1","name":"v","kms_id":"k-1","attachment":[]}}]}}}"#;
    let i = import(&[Document::new("state.json", text)], None).unwrap();
    assert!(!i.scenario.contains(PLANNED_MARKER));
    assert_eq!(i.plan.as_ref().unwrap().planned_line, None);
    let r = evaluate(&i.scenario);
    assert!(r.steps.iter().all(|s| s.outcome != Outcome::Fail));
    assert_eq!(
        findings(&i),
        vec![(Effect::Unattachable, "v".to_owned(), "k".to_owned(), None)]
    );
}

/// A 5 MB plan: thousands of volumes on a key the plan disables; linear enough to run in a
/// test, and nothing fails in its prior state.
#[test]
fn a_five_megabyte_plan() {
    let mut resources = vec![r#"{"address":"huaweicloud_kms_key.k","mode":"managed","type":"huaweicloud_kms_key","values":{"id":"k-1","key_alias":"bulk","is_enabled":true,"key_state":"2"}}"#.to_owned()];
    let padding = "x".repeat(300);
    let mut n = 0;
    while resources.iter().map(String::len).sum::<usize>() < 5_000_000 {
        resources.push(format!(
            r#"{{"address":"huaweicloud_evs_volume.v[{n}]","mode":"managed","type":"huaweicloud_evs_volume","values":{{"id":"v-{n}","name":"vol-{n}","kms_id":"k-1","description":"{padding}","attachment":[]}}}}"#
        ));
        n += 1;
    }
    let text = format!(
        r#"{{"format_version":"1.2","prior_state":{{"values":{{"root_module":{{"resources":[{}]}}}}}},"resource_changes":[{{"address":"huaweicloud_kms_key.k","type":"huaweicloud_kms_key","change":{{"actions":["update"],"before":{{"is_enabled":true}},"after":{{"is_enabled":false}}}}}}]}}"#,
        resources.join(",")
    );
    assert!(text.len() > 5_000_000);
    let i = import(&[Document::new("big.json", text)], None).unwrap();
    assert!(
        i.warnings.is_empty(),
        "{:?}",
        &i.warnings[..i.warnings.len().min(3)]
    );
    assert_eq!(i.counts.disks, n);
    let r = evaluate(&i.scenario);
    assert!(r.steps.iter().all(|s| s.outcome != Outcome::Fail));
    assert_eq!(r.state.disks.len(), n);
    assert!(r
        .state
        .disks
        .iter()
        .all(|d| d.health == keyline_rules::Health::Unattachable));
}
