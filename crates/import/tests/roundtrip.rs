//! Round trips: each fixture in `tests/import/` imported, the scenario evaluated by the engine,
//! and the final state compared with what the JSON says — read here independently of the
//! importer: every key's state and days left, every disk's encryption, role, attachment and
//! health, every server's power.
// A helper that cannot do its part fails its test with the reason; clippy.toml's
// allow-*-in-tests covers the #[test] functions only, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use keyline_import::{import, Date, Document, ImportError, Imported, ResourceKind};
use keyline_rules::{evaluate, is_valid_name, DiskRole, Health, KeyState, Outcome, Power, Report};
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/import")
        .join(name)
}

fn fixture(name: &str) -> Document {
    let text = std::fs::read_to_string(fixture_path(name)).expect("read fixture");
    Document::new(name, text)
}

fn date(s: &str) -> Option<Date> {
    Some(s.parse().expect("date"))
}

/// Every JSON document of every input, in order (a file may hold several; a bad tail ends it).
fn values(docs: &[Document]) -> Vec<Value> {
    let mut out = Vec::new();
    for d in docs {
        for v in serde_json::Deserializer::from_str(&d.text).into_iter::<Value>() {
            match v {
                Ok(v) => out.push(v),
                Err(_) => break,
            }
        }
    }
    out
}

fn s<'a>(v: &'a Value, field: &str) -> Option<&'a str> {
    v.get(field)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

#[derive(Debug)]
struct KeyExp {
    state: KeyState,
    default: bool,
}

#[derive(Debug)]
struct DiskExp {
    id: String,
    /// `None` unencrypted; `Some(None)` encrypted without a key id (evs/default).
    key: Option<Option<String>>,
    server: Option<String>,
    bootable: bool,
}

#[derive(Debug, Default)]
struct Expected {
    keys: Vec<(String, KeyExp)>,
    disks: Vec<DiskExp>,
    /// Server id → status, for the servers the ECS documents list.
    servers: HashMap<String, Option<String>>,
    /// Every server id: listed ones and those only attachments name.
    all_servers: HashSet<String>,
}

/// What the input says, read the plain way: items with a string id, first of each id.
fn expected(docs: &[Document]) -> Expected {
    let mut e = Expected::default();
    let mut key_seen = HashSet::new();
    let mut disk_seen = HashSet::new();
    let mut default_taken = false;
    for v in values(docs) {
        for k in v
            .get("key_details")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(id) = s(k, "key_id") else { continue };
            if !key_seen.insert(id.to_owned()) {
                continue;
            }
            let alias = s(k, "key_alias").unwrap_or("");
            let flag = s(k, "default_key_flag") == Some("1");
            let default = !default_taken
                && (alias == "evs/default" || (flag && !alias.ends_with("/default")));
            default_taken |= default;
            // key_state is a string in the API; the importer also takes a number.
            let code = k.get("key_state").and_then(|v| match v {
                Value::Number(n) => Some(n.to_string()),
                Value::String(s) => Some(s.clone()),
                _ => None,
            });
            let state = match (default, code.as_deref()) {
                (true, _) => KeyState::Enabled,
                (_, Some("3" | "5" | "7" | "1")) => KeyState::Disabled,
                (_, Some("4")) => KeyState::PendingDeletion,
                _ => KeyState::Enabled,
            };
            e.keys.push((id.to_owned(), KeyExp { state, default }));
        }
        for d in v
            .get("volumes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(id) = s(d, "id") else { continue };
            if !disk_seen.insert(id.to_owned()) {
                continue;
            }
            let md = d.get("metadata");
            let encrypted = md.and_then(|m| s(m, "__system__encrypted")) == Some("1");
            let key =
                encrypted.then(|| md.and_then(|m| s(m, "__system__cmkid")).map(str::to_owned));
            let server = d
                .get("attachments")
                .and_then(Value::as_array)
                .and_then(|a| a.iter().find_map(|a| s(a, "server_id")))
                .map(str::to_owned);
            if let Some(sv) = &server {
                e.all_servers.insert(sv.clone());
            }
            let bootable = matches!(s(d, "bootable"), Some("true" | "1"));
            e.disks.push(DiskExp {
                id: id.to_owned(),
                key,
                server,
                bootable,
            });
        }
        for sv in v
            .get("servers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(id) = s(sv, "id") else { continue };
            e.servers
                .entry(id.to_owned())
                .or_insert_with(|| s(sv, "status").map(str::to_owned));
            e.all_servers.insert(id.to_owned());
        }
    }
    e
}

/// The scenario parses and no statement fails.
fn replays(i: &Imported) -> Report {
    let r = evaluate(&i.scenario);
    assert!(
        r.errors.is_empty(),
        "parse errors {:?}\n{}",
        r.errors,
        i.scenario
    );
    for st in &r.steps {
        assert_ne!(
            st.outcome,
            Outcome::Fail,
            "line {} `{}` fails: {}\n{}",
            st.line,
            st.statement,
            st.message,
            i.scenario
        );
    }
    assert!(
        !i.warnings.iter().any(|w| w.contains("internal")),
        "{:?}",
        i.warnings
    );
    r
}

/// The full round trip: the evaluated state is the input's.
fn round_trip(
    docs: &[Document],
    today: Option<Date>,
    days_left: &[(&str, u64)],
) -> (Imported, Report) {
    let i = import(docs, today).expect("import");
    let r = replays(&i);
    let e = expected(docs);
    let st = &r.state;

    // Keys.
    let key_state: HashMap<String, KeyState> =
        e.keys.iter().map(|(id, k)| (id.clone(), k.state)).collect();
    for (id, k) in &e.keys {
        let name = i.name_of(ResourceKind::Key, id).expect("key imported");
        if k.default {
            assert_eq!(name, "evs/default");
        }
        let kv = st.keys.iter().find(|x| x.name == name);
        // evs/default exists once something uses it (the importer makes sure it is).
        let kv = kv.unwrap_or_else(|| panic!("key {name} ({id}) in the state\n{}", i.scenario));
        assert_eq!(kv.state, k.state, "key {name} ({id})");
        if k.state != KeyState::PendingDeletion {
            assert_eq!(kv.days_left, None, "key {name}");
        }
    }
    for (id, left) in days_left {
        let name = i.name_of(ResourceKind::Key, id).expect("key imported");
        let kv = st
            .keys
            .iter()
            .find(|x| x.name == name)
            .expect("key in state");
        assert_eq!(
            kv.days_left,
            Some(*left),
            "days left of {name}\n{}",
            i.scenario
        );
    }

    // Disks: exactly the input's, nothing more.
    assert_eq!(st.disks.len(), e.disks.len(), "disk count\n{}", i.scenario);
    let mut system_of: HashMap<String, String> = HashMap::new();
    for d in &e.disks {
        let name = i.name_of(ResourceKind::Disk, &d.id).expect("disk imported");
        let dv = st
            .disks
            .iter()
            .find(|x| x.name == name)
            .unwrap_or_else(|| panic!("disk {name} in the state"));
        let (enc, usable) = match &d.key {
            None => ("none".to_owned(), true),
            Some(None) => ("evs/default".to_owned(), true),
            Some(Some(k)) => (
                i.name_of(ResourceKind::Key, k)
                    .expect("key of disk imported")
                    .to_owned(),
                key_state.get(k).is_none_or(|s| *s == KeyState::Enabled),
            ),
        };
        assert_eq!(dv.encryption, enc, "encryption of disk {name}");
        let server = d.server.as_deref().map(|sid| {
            i.name_of(ResourceKind::Server, sid)
                .expect("server imported")
        });
        assert_eq!(
            dv.attached_to.as_deref(),
            server,
            "attachment of disk {name}"
        );
        let health = match (usable, server.is_some()) {
            (true, _) => Health::Healthy,
            (false, true) => Health::AtRisk,
            (false, false) => Health::Unattachable,
        };
        assert_eq!(dv.health, health, "health of disk {name}");
        if dv.role == DiskRole::System {
            assert!(
                d.bootable && server.is_some(),
                "system disk {name} is bootable"
            );
            let sid = d.server.clone().unwrap_or_default();
            assert!(
                system_of.insert(sid, d.id.clone()).is_none(),
                "one system disk per server"
            );
        }
    }

    // Servers: listed and attachment-only, each with its power; a bootable disk attached
    // to a server makes it have a system disk.
    assert_eq!(st.servers.len(), e.all_servers.len(), "server count");
    for sid in &e.all_servers {
        let name = i
            .name_of(ResourceKind::Server, sid)
            .expect("server imported");
        let sv = st
            .servers
            .iter()
            .find(|x| x.name == name)
            .expect("server in state");
        let has_boot = e
            .disks
            .iter()
            .any(|d| d.bootable && d.server.as_deref() == Some(sid));
        assert_eq!(sv.system_disk.is_some(), has_boot, "system disk of {name}");
        assert_eq!(
            system_of.contains_key(sid),
            has_boot,
            "system disk of {name}"
        );
        let status = e.servers.get(sid).cloned().flatten();
        let power = if status.as_deref() == Some("SHUTOFF") || !has_boot {
            Power::Stopped
        } else {
            Power::Running
        };
        assert_eq!(sv.power, power, "power of {name} (status {status:?})");
    }

    // Names: valid and unique (the engine enforces uniqueness; check the grammar too).
    let mut seen = HashSet::new();
    for r in &i.resources {
        assert!(is_valid_name(&r.name), "{}", r.name);
        assert!(seen.insert(r.name.clone()), "duplicate {}", r.name);
    }
    assert_scenario_is_clean(&i);
    (i, r)
}

/// Nothing from the input escapes its comment: no control or direction characters anywhere,
/// every line a statement, a comment or blank.
fn assert_scenario_is_clean(i: &Imported) {
    for (n, line) in i.scenario.lines().enumerate() {
        assert!(
            !line.chars().any(|c| (c.is_control() && c != '\t')
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)),
            "line {}: {line:?}",
            n + 1
        );
        let code = line.split('#').next().unwrap_or("");
        assert!(
            !code.contains('<') && !code.contains('"'),
            "line {}: {line}",
            n + 1
        );
    }
    for w in &i.warnings {
        assert!(
            !w.chars().any(|c| c.is_control() || c == '\u{202e}'),
            "{w:?}"
        );
    }
}

fn account() -> Vec<Document> {
    vec![
        fixture("account-kms.json"),
        fixture("account-evs.json"),
        fixture("account-ecs.json"),
    ]
}

const LEGACY: &str = "9dea3273-7e56-46ae-bae0-cff6c2a1abe3";
const ROTATION: &str = "9164c9aa-6bbc-40d4-9676-c496e395c9d8";

#[test]
fn account_round_trips() {
    let docs = account();
    let (i, r) = round_trip(&docs, None, &[(LEGACY, 30), (ROTATION, 3)]);
    assert_eq!(i.today, date("2026-11-20"));
    assert_eq!(i.counts.keys, 8);
    assert_eq!(i.counts.servers, 5);
    assert_eq!(i.counts.disks, 11);
    assert_eq!(i.counts.images, 2);
    assert_eq!(i.counts.documents, 3);
    assert_eq!(i.counts.skipped, 0);
    // Only the server that no ECS document lists.
    assert_eq!(i.warnings.len(), 1, "{:?}", i.warnings);
    assert!(i.warnings[0].contains("8ddd5d55-a684-4d46-b6f6-dc557de9b31c"));
    assert!(i.scenario.starts_with(
        "title Imported from account-kms.json, account-evs.json, account-ecs.json: 8 keys, 5 servers, 11 disks\n"
    ));
    let lines: Vec<&str> = i.scenario.lines().collect();
    assert!(lines.contains(
        &"role security-admin  # only a security administrator can grant EVS access to KMS"
    ));
    // The cases the issue names, by name.
    let disk = |n: &str| r.state.disks.iter().find(|d| d.name == n).expect(n);
    let server = |n: &str| r.state.servers.iter().find(|s| s.name == n).expect(n);
    let key = |n: &str| r.state.keys.iter().find(|k| k.name == n).expect(n);
    assert_eq!(disk("web-01-sys").role, DiskRole::System);
    assert_eq!(disk("web-01-sys").encryption, "app-data");
    assert_eq!(disk("web-01-sys").health, Health::Healthy);
    assert_eq!(disk("web-01-data").encryption, "evs/default");
    assert_eq!(disk("db-01-sys").encryption, "none");
    assert_eq!(disk("db-01-data").health, Health::AtRisk);
    assert_eq!(disk("app-02-sys").role, DiskRole::System);
    assert_eq!(disk("app-02-sys").encryption, "finance-db");
    assert_eq!(disk("app-02-sys").health, Health::AtRisk);
    assert_eq!(disk("app-02-audit").health, Health::AtRisk);
    assert_eq!(disk("archive-2024").health, Health::Unattachable);
    assert_eq!(disk("archive-2025").health, Health::Unattachable);
    assert_eq!(disk("scratch").health, Health::Healthy);
    assert_eq!(
        disk("reports").attached_to.as_deref(),
        Some("8ddd5d55-a684-4d46-b6f6-dc557de9b31c")
    );
    assert_eq!(server("web-01").power, Power::Running);
    assert_eq!(server("db-01").power, Power::Stopped);
    assert_eq!(server("batch-runner").power, Power::Stopped);
    assert_eq!(server("batch-runner").system_disk, None);
    assert_eq!(key("byok-import").state, KeyState::Disabled);
    assert_eq!(key("audit-log").state, KeyState::Disabled);
    assert_eq!(key("obs-default").state, KeyState::Enabled);
    assert_eq!(key("evs/default").kind, "default");
    assert_eq!(r.state.images.len(), 2);
    // The disabling comes after the attaches, with the reason in a comment.
    let attach = lines
        .iter()
        .position(|l| l.starts_with("attach db-01-data db-01"))
        .unwrap();
    let disable = lines
        .iter()
        .position(|l| l.starts_with("key disable finance-db"))
        .unwrap();
    assert!(attach < disable);
    assert!(lines
        .iter()
        .any(|l| l.starts_with("# Key rotation-2025 has 3 days left")));
    assert!(lines.contains(&"key schedule-deletion rotation-2025 7  # pending deletion (key_state 4): deletion on 2026-11-23, 3 days after 2026-11-20"));
    assert!(lines.iter().any(|l| l.starts_with("wait 4  #")));
    // Every resource's cloud id is beside it.
    for res in &i.resources {
        assert!(i.scenario.contains(&format!("id {}", res.id)), "{}", res.id);
    }
}

#[test]
fn documents_come_in_any_order_and_may_share_a_file() {
    let docs = account();
    let a = import(&docs, None).unwrap();
    let reversed: Vec<Document> = docs.iter().rev().cloned().collect();
    let b = import(&reversed, None).unwrap();
    let one = Document::new(
        "all.json",
        docs.iter()
            .map(|d| d.text.as_str())
            .collect::<Vec<_>>()
            .join(""),
    );
    let c = import(std::slice::from_ref(&one), None).unwrap();
    let body = |i: &Imported| i.scenario.split_once('\n').map(|x| x.1.to_owned());
    assert_eq!(body(&a), body(&b));
    assert_eq!(body(&a), body(&c));
    round_trip(&[one], None, &[(LEGACY, 30), (ROTATION, 3)]);
}

#[test]
fn today_moves_days_left() {
    let (i, _) = round_trip(
        &account(),
        date("2026-11-21"),
        &[(LEGACY, 29), (ROTATION, 2)],
    );
    assert!(i.scenario.contains("given with --today"));
    // Past the short window's date: 1 day left, with a warning.
    let (i, _) = round_trip(
        &account(),
        date("2026-11-25"),
        &[(LEGACY, 25), (ROTATION, 1)],
    );
    assert!(
        i.warnings.iter().any(|w| w.contains(
            "key_details[6]: scheduled_deletion_date 2026-11-23 is not after today (2026-11-25)"
        )),
        "{:?}",
        i.warnings
    );
    // Long before: the longest window.
    let (i, _) = round_trip(
        &account(),
        date("2023-01-01"),
        &[(LEGACY, 1096), (ROTATION, 1096)],
    );
    assert_eq!(
        i.warnings
            .iter()
            .filter(|w| w.contains("more than the longest window"))
            .count(),
        2
    );
}

#[test]
fn hostile_names_round_trip() {
    let docs = [fixture("hostile-names.json")];
    let (i, r) = round_trip(
        &docs,
        None,
        &[
            ("d07b8c9d-0e1f-4a2b-9c3d-5e6f7a8b9c0d", 3),
            ("be5f6a7b-8c9d-4e0f-9a1b-3c4d5e6f7a8b", 1096),
        ],
    );
    let names: Vec<&str> = i.resources.iter().map(|r| r.name.as_str()).collect();
    for n in [
        "key-script-alert-1-/script-",
        "key-img-onerror-x-",
        "backup-default",
        "pay-roll-key",
        "shared",
        "shared-2",
        "ops-key-create-injected",
        "data",
        "data-2",
        "data-3",
        "data-4",
        "disk-script-alert-1-/script-",
        "invoice-gpj.exe",
        "logs-default",
        "evs-default",
        "system-disk",
        "encrypt",
        "server-b-web-/b-",
        "srv-txt.exe",
        // No usable character: the cloud id.
        "be59cedf-4a5b-4c6d-9e7f-9a0b1c2d3e4f",
        "ad48bdce-3f4a-4b5c-8d6e-8f9a0b1c2d3e",
    ] {
        assert!(names.contains(&n), "{n} not in {names:?}");
    }
    assert!(names.iter().all(|n| n.len() <= 64));
    assert!(names.iter().filter(|n| n.starts_with("dddd")).count() == 2);
    // The injected words stay in comments.
    for line in i.scenario.lines() {
        let code = line.split('#').next().unwrap_or("");
        assert!(
            !code.contains("injected") || code.contains("ops-key-create-injected"),
            "{line}"
        );
        assert!(!code.starts_with("key disable shared"), "{line}");
    }
    assert!(i
        .scenario
        .contains("named \"pay\\u{202e}roll-key\" in the cloud"));
    assert!(i
        .scenario
        .contains("named \"a\\u{a}key disable shared # evil\" in the cloud"));
    assert_eq!(
        r.state
            .servers
            .iter()
            .find(|s| s.name == "srv-txt.exe")
            .unwrap()
            .power,
        Power::Running
    );
    let expect_warnings = [
        "hostile-names.json (document 1): key_details[2]: the default key evs/default is disabled (key_state 3) in the input",
        "hostile-names.json (document 3): servers[2]: status \"ERROR\" is neither ACTIVE nor SHUTOFF",
        "hostile-names.json (document 1): key_details[6]: scheduled_deletion_date 2030-01-01 is 1138 days after today (2026-11-20)",
    ];
    assert_eq!(i.warnings.len(), expect_warnings.len(), "{:?}", i.warnings);
    for w in expect_warnings {
        assert!(
            i.warnings.iter().any(|x| x.starts_with(w)),
            "{w}\n{:?}",
            i.warnings
        );
    }
}

#[test]
fn hostile_types_warn_with_document_index_and_field() {
    let docs = [fixture("hostile-types.json")];
    let (i, _) = round_trip(&docs, None, &[("0a1b2c3d-0000-4000-8000-000000000007", 29)]);
    assert_eq!(i.counts.skipped, 8, "{:?}", i.warnings);
    for w in [
        "hostile-types.json (document 1): key_details[0]: expected an object (a KMS key), found a string; skipped",
        "hostile-types.json (document 1): key_details[1].key_id: missing; the key is skipped",
        "hostile-types.json (document 1): key_details[2].key_id: expected a string, found a number; the key is skipped",
        "hostile-types.json (document 1): key_details[3].key_state: expected a string such as \"2\", found a boolean; the key is imported enabled",
        "hostile-types.json (document 1): key_details[4]: scheduled_deletion_date \"next tuesday\" is not a date",
        "hostile-types.json (document 1): key_details[5]: key_state is 4 (pending deletion) but scheduled_deletion_date is missing",
        "hostile-types.json (document 1): key_details[6]: key_state \"9\" is not a state Keyline knows",
        "hostile-types.json (document 1): key_details[7].default_key_flag: expected \"0\" or \"1\", found an object",
        "hostile-types.json (document 1): key_details[8].key_alias: expected a string, found an array",
        "hostile-types.json (document 1): key_details: this page lists 10 of 25 keys",
        "hostile-types.json (document 2): volumes[0]: expected an object (a disk), found a number; skipped",
        "hostile-types.json (document 2): volumes[1].id: missing; the disk is skipped",
        "hostile-types.json (document 2): volumes[2].id: expected a string, found an array; the disk is skipped",
        "hostile-types.json (document 2): volumes[3].attachments: expected an array, found a string; the disk is imported detached",
        "hostile-types.json (document 2): volumes[4].metadata: expected an object, found a string; the disk is imported unencrypted",
        "hostile-types.json (document 2): volumes[5].bootable: expected \"true\" or \"false\", found an object",
        "hostile-types.json (document 2): volumes[6].name: expected a string, found a number",
        "hostile-types.json (document 2): volumes[7]: metadata.__system__encrypted is \"1\" but metadata.__system__cmkid is missing",
        "hostile-types.json (document 2): volumes[8].attachments[0].server_id: expected a string, found a number",
        "hostile-types.json (document 2): volumes[8].attachments[1]: expected an object, found a string",
        "hostile-types.json (document 2): volumes[8].attachments[2].server_id: missing",
        "hostile-types.json (document 2): volumes[9].metadata.__system__encrypted: expected \"0\" or \"1\", found \"maybe\"",
        "hostile-types.json (document 2): volumes[11]: disk id 1b2c3d4e-0000-4000-8000-000000000008 is listed twice",
        "hostile-types.json (document 2): volumes[12]: status \"error\" in the input",
        "hostile-types.json (document 2): volumes[13]: status is \"in-use\" but no attachment is listed",
        "hostile-types.json (document 3): servers: expected an array, found an object; skipped",
        "hostile-types.json (document 4): servers[0].id: missing; the server is skipped",
        "hostile-types.json (document 4): servers[1].status: expected a string, found a number",
        "hostile-types.json (document 4): servers[2]: expected an object (a server), found null; skipped",
        "hostile-types.json (document 5): expected a JSON object (a KMS, EVS or ECS API response), found an array; skipped",
        "hostile-types.json (document 6): not a KMS, EVS or ECS response (expected key_details, volumes or servers; found fields \"unexpected\"); skipped",
        "hostile-types.json: not valid JSON after 6 document(s): EOF while parsing a value",
    ] {
        assert!(i.warnings.iter().any(|x| x.starts_with(w)), "missing warning: {w}\n{:#?}", i.warnings);
    }
    // Each warning is also a comment above the line it concerns, or listed by the CLI.
    assert!(i
        .scenario
        .contains("# warning: key_state \"9\" is not a state Keyline knows"));
}

#[test]
fn unknown_keys_become_placeholders() {
    let docs = [fixture("hostile-unknown-keys.json")];
    let (i, r) = round_trip(&docs, None, &[]);
    assert_eq!(
        i.name_of(ResourceKind::Key, "5f607182-0000-4000-8000-00000000dead"),
        Some("key-5f607182-0000-4000-8000-00000000dead")
    );
    assert!(i.warnings.iter().any(|w| w.contains("key id 5f607182-0000-4000-8000-00000000dead is used by 2 disks but no KMS document lists it")));
    assert!(i.warnings.iter().any(|w| w.contains("a shared disk")));
    assert!(i
        .warnings
        .iter()
        .any(|w| w.contains("already boots from another bootable disk")));
    assert!(i
        .warnings
        .iter()
        .any(|w| w.contains("this page lists 6 of 40 disks")));
    let sys = r
        .state
        .disks
        .iter()
        .find(|d| d.name == "orders-db-sys")
        .unwrap();
    assert_eq!(sys.role, DiskRole::System);
    let extra = r
        .state
        .disks
        .iter()
        .find(|d| d.name == "orders-extra-boot")
        .unwrap();
    assert_eq!(extra.role, DiskRole::Data);
    assert_eq!(
        r.state
            .disks
            .iter()
            .find(|d| d.name == "default-encrypted")
            .unwrap()
            .encryption,
        "evs/default"
    );
}

#[test]
fn nothing_importable_is_an_error() {
    for f in ["not-a-response.json", "api-error.json"] {
        match import(&[fixture(f)], None) {
            Err(ImportError::NothingImported { problems }) => {
                assert_eq!(problems.len(), 1, "{problems:?}");
                assert!(problems[0].starts_with(&format!("{f}: ")), "{problems:?}");
                assert!(!problems[0].contains('\u{1b}'));
            }
            other => panic!("{f}: {other:?}"),
        }
    }
    // One importable document is enough.
    let i = import(
        &[fixture("not-a-response.json"), fixture("account-kms.json")],
        None,
    )
    .unwrap();
    assert!(i
        .warnings
        .iter()
        .any(|w| w.starts_with("not-a-response.json: ")));
}

#[test]
fn the_default_key_exists_even_when_no_disk_uses_it() {
    let docs = [fixture("account-kms.json")];
    let (i, r) = round_trip(&docs, None, &[(LEGACY, 172), (ROTATION, 145)]);
    assert!(r.state.disks.is_empty());
    assert!(r.state.keys.iter().any(|k| k.name == "evs/default"));
    assert!(i
        .scenario
        .contains("disk create evs-default-probe encrypt evs/default"));
    // No date other than creation dates: today is the newest creation date (2026-07-01).
    assert_eq!(i.today, date("2026-07-01"));
}

#[test]
fn ten_thousand_disks() {
    const STATES: [&str; 5] = ["2", "3", "4", "5", "7"];
    let keys: Vec<Value> = (0..50)
        .map(|k| {
            let state = STATES[k % 5];
            json!({
                "key_id": format!("00000000-0000-4000-8000-{k:012}"),
                "key_alias": if k % 7 == 0 { "dup".to_owned() } else { format!("key-{k}") },
                "key_state": state,
                "default_key_flag": if k == 0 { "1" } else { "0" },
                "scheduled_deletion_date": if k % 5 == 2 { (1_795_161_600_000u64 + (k as u64) * 86_400_000 * 3).to_string() } else { String::new() },
                "creation_date": "1794378600000",
            })
        })
        .collect();
    let servers: Vec<Value> = (0..1000)
        .map(|s| {
            json!({
                "id": format!("11111111-0000-4000-8000-{s:012}"),
                "name": "node",
                "status": if s % 3 == 0 { "SHUTOFF" } else { "ACTIVE" },
            })
        })
        .collect();
    let volumes: Vec<Value> = (0..10_000)
        .map(|d| {
            let server = d % 10;
            let attached = d < 9000;
            let mut v = json!({
                "id": format!("22222222-0000-4000-8000-{d:012}"),
                "name": if d % 2 == 0 { "data".to_owned() } else { format!("<vol {d}>") },
                "status": if attached { "in-use" } else { "available" },
                "bootable": if attached && server == 0 { "true" } else { "false" },
                "attachments": if attached {
                    json!([{ "server_id": format!("11111111-0000-4000-8000-{:012}", d / 10 % 1000), "device": format!("/dev/vd{}", (b'a' + server as u8) as char) }])
                } else { json!([]) },
                "metadata": {},
                "created_at": "2026-11-20T08:00:00.000000",
            });
            if d % 3 != 0 {
                v["metadata"] = json!({
                    "__system__encrypted": "1",
                    "__system__cmkid": format!("00000000-0000-4000-8000-{:012}", d % 53),
                });
            }
            v
        })
        .collect();
    let docs = [
        Document::new("kms.json", json!({ "key_details": keys }).to_string()),
        Document::new(
            "evs.json",
            json!({ "volumes": volumes, "count": 10_000 }).to_string(),
        ),
        Document::new(
            "ecs.json",
            json!({ "servers": servers, "count": 1000 }).to_string(),
        ),
    ];
    let (i, r) = round_trip(&docs, None, &[]);
    assert_eq!(i.counts.disks, 10_000);
    assert_eq!(r.state.disks.len(), 10_000);
    assert_eq!(i.counts.servers, 1000);
    // Key ids 50..53 are not in the KMS list: placeholders.
    assert_eq!(i.counts.keys, 53);
    assert_eq!(
        i.warnings
            .iter()
            .filter(|w| w.contains("placeholder"))
            .count(),
        3
    );
}

/// Cut every fixture short at many points and swap values for others of every type: the
/// importer warns or errs, never panics, and whatever it writes replays cleanly.
#[test]
fn mangled_input_never_panics() {
    let replacements = [
        json!(null),
        json!(true),
        json!(-1),
        json!(1.5e300),
        json!("\u{202e}<script>"),
        json!([]),
        json!({}),
        json!("99999999999999999999999"),
    ];
    for f in [
        "account-kms.json",
        "account-evs.json",
        "account-ecs.json",
        "hostile-names.json",
        "hostile-types.json",
    ] {
        let doc = fixture(f);
        for cut in (0..doc.text.len()).step_by(97) {
            let Some(text) = doc.text.get(..cut) else {
                continue;
            };
            if let Ok(i) = import(&[Document::new(f, text)], None) {
                replays(&i);
            }
        }
        let Ok(v) = serde_json::from_str::<Value>(&doc.text) else {
            continue;
        };
        let mut paths = Vec::new();
        collect_paths(&v, String::new(), &mut paths);
        for (n, path) in paths.iter().enumerate().step_by(3) {
            let mut m = v.clone();
            if let Some(slot) = m.pointer_mut(path) {
                *slot = replacements[n % replacements.len()].clone();
            }
            if let Ok(i) = import(&[Document::new(f, m.to_string())], None) {
                replays(&i);
            }
        }
    }
}

fn collect_paths(v: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                collect_paths(
                    x,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                collect_paths(x, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}
