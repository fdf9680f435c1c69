//! One table per rule ID of SPEC §3: its success and each of its failure codes. Each case is a
//! scenario; the verdict of its last statement is checked (outcome, code, rule).
// A helper that cannot do its part fails its test with the reason; clippy.toml's
// allow-*-in-tests covers the #[test] functions only, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use keyline_rules::{evaluate, Code, Outcome, Report, RuleId};

const SETUP: &str = "role security-admin\nkms grant\nkey create k1\n";

fn last(text: &str) -> (Outcome, Option<Code>, RuleId) {
    let r = evaluate(text);
    assert!(
        r.errors.is_empty(),
        "parse errors in {text:?}: {:?}",
        r.errors
    );
    let s = r.steps.last().expect("a statement");
    (s.outcome, s.code, s.rule)
}

fn ok(rule: RuleId, text: &str) {
    let got = last(text);
    assert_eq!(got, (Outcome::Ok, None, rule), "{text}");
}

fn warn(code: Code, rule: RuleId, text: &str) {
    assert_eq!(last(text), (Outcome::Warn, Some(code), rule), "{text}");
}

fn fail(code: Code, rule: RuleId, text: &str) {
    assert_eq!(last(text), (Outcome::Fail, Some(code), rule), "{text}");
}

fn with(extra: &str) -> String {
    format!("{SETUP}{extra}")
}

fn report(text: &str) -> Report {
    evaluate(text)
}

#[test]
fn r_grant() {
    fail(
        Code::KMS_NOT_AUTHORIZED,
        RuleId::Grant,
        "key create k\ndisk create d encrypt k",
    );
    fail(
        Code::KMS_NOT_AUTHORIZED,
        RuleId::Grant,
        "disk create d encrypt evs/default",
    );
    // From an encrypted image, too.
    fail(
        Code::KMS_NOT_AUTHORIZED,
        RuleId::Grant,
        "key create k\nimage import i encrypt k\nserver create s image i",
    );
    // An unencrypted disk needs no grant.
    ok(RuleId::Choose, "disk create d");
    ok(RuleId::Choose, &with("disk create d encrypt k1"));
}

#[test]
fn r_grant_admin() {
    fail(Code::NOT_SECURITY_ADMIN, RuleId::GrantAdmin, "kms grant");
    fail(
        Code::NOT_SECURITY_ADMIN,
        RuleId::GrantAdmin,
        "role security-admin\nrole member\nkms grant",
    );
    ok(RuleId::GrantAdmin, "role security-admin\nkms grant");
    ok(
        RuleId::GrantAdmin,
        "role security-admin\nkms grant\nkms grant",
    );
    // The grant outlives the role.
    ok(
        RuleId::Choose,
        &with("role member\ndisk create d encrypt k1"),
    );
}

#[test]
fn r_choose_and_immutable() {
    ok(RuleId::Choose, &with("disk create d"));
    let r = report(&with("disk create d encrypt k1\ndisk create e"));
    assert_eq!(r.state.disks[0].encryption, "k1");
    assert_eq!(r.state.disks[1].encryption, "none");
    fail(
        Code::ENCRYPTION_IMMUTABLE,
        RuleId::Immutable,
        &with("disk create d\ndisk encrypt d k1"),
    );
    fail(
        Code::ENCRYPTION_IMMUTABLE,
        RuleId::Immutable,
        &with("disk create d encrypt k1\ndisk decrypt d"),
    );
    // Unknown names come first.
    fail(
        Code::UNKNOWN_RESOURCE,
        RuleId::Names,
        &with("disk encrypt nod k1"),
    );
    fail(
        Code::UNKNOWN_RESOURCE,
        RuleId::Names,
        &with("disk create d\ndisk encrypt d nokey"),
    );
}

#[test]
fn r_snap_backup_and_inheritance() {
    let text = with(
        "disk create d1 encrypt k1\nsnapshot create s1 disk d1\nbackup create b1 disk d1\n\
         disk create d2 from-snapshot s1\ndisk create d3 from-backup b1",
    );
    let r = report(&text);
    assert!(r.steps.iter().all(|s| s.outcome == Outcome::Ok));
    for name in ["d2", "d3"] {
        let d = r.state.disks.iter().find(|d| d.name == name).expect("disk");
        assert_eq!(d.encryption, "k1");
    }
    assert_eq!(r.state.snapshots[0].encryption, "k1");
    assert_eq!(r.state.backups[0].encryption, "k1");
    assert_eq!(r.steps[4].rule, RuleId::Snap);
    assert_eq!(r.steps[5].rule, RuleId::Backup);
    assert_eq!(r.steps[6].rule, RuleId::FromSnap);
    assert_eq!(r.steps[7].rule, RuleId::FromBackup);
    assert_eq!(
        r.steps[7].provenance.as_deref(),
        Some("disk d3 ← backup b1 ← disk d1 ← chosen at creation (key k1)")
    );
    fail(
        Code::ENCRYPTION_INHERITED,
        RuleId::FromSnap,
        &with("disk create d1\nsnapshot create s1 disk d1\ndisk create d2 from-snapshot s1 encrypt k1"),
    );
    fail(
        Code::ENCRYPTION_INHERITED,
        RuleId::FromBackup,
        &with("disk create d1\nbackup create b1 disk d1\ndisk create d2 encrypt k1 from-backup b1"),
    );
    fail(
        Code::UNKNOWN_RESOURCE,
        RuleId::Names,
        &with("disk create d2 from-snapshot nosnap"),
    );
    // Kind matters: a backup is not a snapshot.
    fail(
        Code::UNKNOWN_RESOURCE,
        RuleId::Names,
        &with("disk create d1\nbackup create b1 disk d1\ndisk create d2 from-snapshot b1"),
    );
}

#[test]
fn r_sys_image_image_server_import() {
    let text = with(
        "image import gold encrypt k1\nimage import plain\nserver create a image gold\n\
         server create b image plain\nserver create c\nimage create ga from-server a",
    );
    let r = report(&text);
    assert!(
        r.steps.iter().all(|s| s.outcome == Outcome::Ok),
        "{:?}",
        r.steps
    );
    let enc = |n: &str| {
        r.state
            .disks
            .iter()
            .find(|d| d.name == n)
            .map(|d| d.encryption.clone())
    };
    assert_eq!(enc("a-sys").as_deref(), Some("k1"));
    assert_eq!(enc("b-sys").as_deref(), Some("none"));
    assert_eq!(enc("c-sys").as_deref(), Some("none"));
    assert_eq!(
        r.state
            .images
            .iter()
            .find(|i| i.name == "ga")
            .map(|i| i.encryption.as_str()),
        Some("k1")
    );
    assert_eq!(r.steps[3].rule, RuleId::ImageImport);
    assert_eq!(r.steps[5].rule, RuleId::SysImage);
    assert_eq!(r.steps[8].rule, RuleId::ImageServer);
    fail(
        Code::UNKNOWN_RESOURCE,
        RuleId::Names,
        &with("server create s image nope"),
    );
    fail(
        Code::UNKNOWN_RESOURCE,
        RuleId::Names,
        &with("image create i from-server nope"),
    );
    fail(
        Code::UNKNOWN_RESOURCE,
        RuleId::Names,
        &with("image import i encrypt nokey"),
    );
    fail(
        Code::NO_SYSTEM_DISK,
        RuleId::ImageServer,
        &with("server create s\nserver stop s\ndetach s-sys\nimage create i from-server s"),
    );
}

#[test]
fn r_as() {
    let text = with(
        "key create k2\nimage import gold encrypt k1\nserver create web image gold\n\
         disk create x encrypt k2\ndisk create y\nattach x web\nattach y web\n\
         config create cfg from-server web\nserver create web2 config cfg",
    );
    let r = report(&text);
    assert!(
        r.steps.iter().all(|s| s.outcome == Outcome::Ok),
        "{:?}",
        r.steps
    );
    let enc = |n: &str| {
        r.state
            .disks
            .iter()
            .find(|d| d.name == n)
            .map(|d| d.encryption.clone())
    };
    assert_eq!(enc("web2-sys").as_deref(), Some("k1"));
    assert_eq!(enc("web2-data1").as_deref(), Some("k2"));
    assert_eq!(enc("web2-data2").as_deref(), Some("none"));
    let cfg = &r.state.configs[0];
    assert_eq!(
        (cfg.encryption.as_str(), cfg.image.as_str()),
        ("k1", "gold")
    );
    assert_eq!(cfg.data_encryption, vec!["k2", "none"]);
    let web2 = r
        .state
        .servers
        .iter()
        .find(|s| s.name == "web2")
        .expect("web2");
    assert_eq!(web2.data_disks, vec!["web2-data1", "web2-data2"]);
    assert_eq!(web2.image, "gold");
    assert_eq!(r.steps.last().map(|s| s.rule), Some(RuleId::As));
    // A config holds no data: it can be made while its keys are unavailable, but launching fails.
    let text = with("disk create x encrypt k1\nserver create web\nattach x web\nkey disable k1\nconfig create cfg from-server web");
    warn(
        Code::KEY_IN_USE,
        RuleId::InUse,
        &text.replace("\nconfig create cfg from-server web", ""),
    );
    ok(RuleId::As, &text);
    fail(
        Code::KEY_UNAVAILABLE,
        RuleId::UseNew,
        &format!("{text}\nserver create w2 config cfg"),
    );
    fail(
        Code::NO_SYSTEM_DISK,
        RuleId::As,
        &with("server create s\nserver stop s\ndetach s-sys\nconfig create c from-server s"),
    );
}

#[test]
fn r_default() {
    fail(
        Code::DEFAULT_KEY_PROTECTED,
        RuleId::Default,
        &with("disk create d encrypt evs/default\nkey disable evs/default"),
    );
    fail(
        Code::DEFAULT_KEY_PROTECTED,
        RuleId::Default,
        &with("disk create d encrypt evs/default\nkey schedule-deletion evs/default 30"),
    );
    // Before its first use, evs/default does not exist.
    fail(
        Code::UNKNOWN_RESOURCE,
        RuleId::Names,
        "key disable evs/default",
    );
    fail(
        Code::UNKNOWN_RESOURCE,
        RuleId::Names,
        &with("disk create d encrypt abc/default"),
    );
    fail(Code::RESERVED_NAME, RuleId::Names, "key create evs/default");
    // The default key is used only when the statement succeeds.
    let r = report("disk create d encrypt evs/default\nexpect count 0 keys");
    assert_eq!((r.summary.passed, r.summary.failed), (1, 0));
}

#[test]
fn r_key_states() {
    ok(RuleId::InUse, &with("key disable k1"));
    ok(RuleId::KeyStates, &with("key disable k1\nkey enable k1"));
    ok(RuleId::InUse, &with("key schedule-deletion k1 7"));
    ok(
        RuleId::InUse,
        &with("key disable k1\nkey schedule-deletion k1 1096"),
    );
    ok(
        RuleId::KeyStates,
        &with("key schedule-deletion k1 7\nkey cancel-deletion k1"),
    );
    let r = report(&with("key schedule-deletion k1 7\nkey cancel-deletion k1"));
    assert_eq!(r.state.keys[0].state, keyline_rules::KeyState::Disabled);
    assert!(r
        .steps
        .last()
        .is_some_and(|s| s.message.contains("inferred")));
    fail(
        Code::KEY_STATE_INVALID,
        RuleId::KeyStates,
        &with("key disable k1\nkey disable k1"),
    );
    fail(
        Code::KEY_STATE_INVALID,
        RuleId::KeyStates,
        &with("key enable k1"),
    );
    fail(
        Code::KEY_STATE_INVALID,
        RuleId::KeyStates,
        &with("key cancel-deletion k1"),
    );
    fail(
        Code::KEY_STATE_INVALID,
        RuleId::KeyStates,
        &with("key schedule-deletion k1 7\nkey schedule-deletion k1 8"),
    );
    fail(
        Code::KEY_STATE_INVALID,
        RuleId::KeyStates,
        &with("key schedule-deletion k1 7\nwait 7\nkey enable k1"),
    );
    fail(
        Code::INVALID_DELETION_WINDOW,
        RuleId::KeyStates,
        &with("key schedule-deletion k1 6"),
    );
    fail(
        Code::INVALID_DELETION_WINDOW,
        RuleId::KeyStates,
        &with("key schedule-deletion k1 1097"),
    );
    fail(
        Code::INVALID_DELETION_WINDOW,
        RuleId::KeyStates,
        &with("key schedule-deletion k1 -7"),
    );
    fail(
        Code::UNKNOWN_RESOURCE,
        RuleId::Names,
        &with("key disable nokey"),
    );
    fail(
        Code::UNKNOWN_RESOURCE,
        RuleId::Names,
        &with("disk create d\nkey disable d"),
    );
}

#[test]
fn r_use_new() {
    let dis = "key disable k1\n";
    fail(
        Code::KEY_UNAVAILABLE,
        RuleId::UseNew,
        &with(&format!("{dis}disk create d encrypt k1")),
    );
    fail(
        Code::KEY_UNAVAILABLE,
        RuleId::UseNew,
        &with(&format!("{dis}image import i encrypt k1")),
    );
    fail(
        Code::KEY_UNAVAILABLE,
        RuleId::UseNew,
        &with("disk create d encrypt k1\nkey disable k1\nsnapshot create s disk d"),
    );
    fail(
        Code::KEY_UNAVAILABLE,
        RuleId::UseNew,
        &with("disk create d encrypt k1\nkey disable k1\nbackup create b disk d"),
    );
    fail(
        Code::KEY_UNAVAILABLE,
        RuleId::UseNew,
        &with("disk create d encrypt k1\nsnapshot create s disk d\nkey schedule-deletion k1 7\ndisk create e from-snapshot s"),
    );
    fail(
        Code::KEY_UNAVAILABLE,
        RuleId::UseNew,
        &with("image import i encrypt k1\nkey disable k1\nserver create s image i"),
    );
    fail(
        Code::KEY_UNAVAILABLE,
        RuleId::UseNew,
        &with("image import i encrypt k1\nserver create s image i\nkey disable k1\nimage create j from-server s"),
    );
    fail(
        Code::KEY_DELETED,
        RuleId::UseNew,
        &with("disk create d encrypt k1\nbackup create b disk d\nkey schedule-deletion k1 7\nwait 7\ndisk create e from-backup b"),
    );
    fail(
        Code::KEY_DELETED,
        RuleId::UseNew,
        &with("key schedule-deletion k1 7\nwait 10\ndisk create e encrypt k1"),
    );
    // Unencrypted resources never need a key.
    ok(
        RuleId::Snap,
        &with("disk create d\nkey disable k1\nsnapshot create s disk d"),
    );
}

#[test]
fn r_in_use_detach_reattach_restore() {
    let base = with("server create web\ndisk create d encrypt k1\nattach d web\n");
    warn(
        Code::KEY_IN_USE,
        RuleId::InUse,
        &format!("{base}key disable k1"),
    );
    warn(
        Code::KEY_IN_USE,
        RuleId::InUse,
        &format!("{base}key schedule-deletion k1 10"),
    );
    let r = report(&format!(
        "{base}disk create e encrypt k1\nattach e web\nkey disable k1"
    ));
    let msg = &r.steps.last().expect("step").message;
    assert!(
        msg.contains('d') && msg.contains(" e") || msg.contains("d, e"),
        "{msg}"
    );
    // A detached disk does not make the key operation warn.
    ok(
        RuleId::InUse,
        &with("disk create d encrypt k1\nkey disable k1"),
    );
    warn(
        Code::REATTACH_WILL_FAIL,
        RuleId::Detach,
        &format!("{base}key disable k1\ndetach d"),
    );
    ok(RuleId::Detach, &format!("{base}detach d"));
    fail(
        Code::KEY_UNAVAILABLE,
        RuleId::Reattach,
        &format!("{base}key disable k1\ndetach d\nattach d web"),
    );
    fail(
        Code::KEY_DELETED,
        RuleId::Reattach,
        &format!("{base}key schedule-deletion k1 7\ndetach d\nwait 7\nattach d web"),
    );
    ok(
        RuleId::Attach,
        &format!("{base}key disable k1\ndetach d\nkey enable k1\nattach d web"),
    );
    ok(
        RuleId::Attach,
        &format!("{base}key schedule-deletion k1 7\ndetach d\nkey cancel-deletion k1\nkey enable k1\nattach d web"),
    );
    let r = report(&format!("{base}key disable k1\nexpect d health at-risk\ndetach d\nexpect d health unattachable\nkey enable k1\nexpect d health healthy"));
    assert_eq!(
        (r.summary.passed, r.summary.failed),
        (3, 0),
        "{:?}",
        r.expectations
    );
}

#[test]
fn r_delete() {
    let base = with("server create web\ndisk create d encrypt k1\nattach d web\nsnapshot create s disk d\nkey schedule-deletion k1 7\n");
    ok(RuleId::Delete, &format!("{base}wait 6"));
    warn(
        Code::DATA_UNRECOVERABLE,
        RuleId::Delete,
        &format!("{base}wait 7"),
    );
    warn(
        Code::DATA_UNRECOVERABLE,
        RuleId::Delete,
        &format!("{base}wait 3\nwait 4"),
    );
    let r = report(&format!(
        "{base}wait 100\nexpect d health unrecoverable\nexpect k1 state deleted"
    ));
    assert_eq!(r.summary.failed, 0, "{:?}", r.expectations);
    let msg = &r.steps.last().expect("step").message;
    assert!(msg.contains("d, s"), "{msg}");
    // Nothing encrypted with it: the deletion is silent.
    ok(RuleId::Delete, &with("key schedule-deletion k1 7\nwait 7"));
    // Cancelled in time: nothing happens.
    ok(
        RuleId::Delete,
        &format!("{base}key cancel-deletion k1\nwait 30"),
    );
}

#[test]
fn r_attach() {
    let base = with("server create web\nserver create db\ndisk create d\n");
    ok(RuleId::Attach, &format!("{base}attach d web"));
    fail(
        Code::DISK_IN_USE,
        RuleId::Attach,
        &format!("{base}attach d web\nattach d db"),
    );
    fail(
        Code::DISK_IN_USE,
        RuleId::Attach,
        &format!("{base}attach d web\nattach d web"),
    );
    fail(
        Code::UNKNOWN_RESOURCE,
        RuleId::Names,
        &format!("{base}attach d nosrv"),
    );
    fail(
        Code::UNKNOWN_RESOURCE,
        RuleId::Names,
        &format!("{base}attach web d"),
    );
    fail(
        Code::SERVER_RUNNING,
        RuleId::Attach,
        &format!("{base}attach d web as system"),
    );
    fail(
        Code::SYSTEM_DISK_PRESENT,
        RuleId::Attach,
        &format!("{base}server stop web\nattach d web as system"),
    );
    ok(
        RuleId::Attach,
        &format!("{base}server stop web\ndetach web-sys\nattach d web as system"),
    );
    fail(
        Code::DISK_NOT_ATTACHED,
        RuleId::Attach,
        &format!("{base}detach d"),
    );
    fail(
        Code::SERVER_RUNNING,
        RuleId::Attach,
        &format!("{base}detach web-sys"),
    );
    ok(
        RuleId::Detach,
        &format!("{base}server stop web\ndetach web-sys"),
    );
    fail(
        Code::NO_SYSTEM_DISK,
        RuleId::Attach,
        &format!("{base}server stop web\ndetach web-sys\nserver start web"),
    );
    ok(
        RuleId::Power,
        &format!("{base}server stop web\ndetach web-sys\nattach d web as system\nserver start web"),
    );
}

#[test]
fn r_lifecycle() {
    let base = with("server create web\ndisk create d encrypt k1\nsnapshot create s disk d\nbackup create b disk d\n");
    ok(RuleId::Lifecycle, &format!("{base}disk delete d"));
    let r = report(&format!("{base}disk delete d\nexpect count 0 snapshots\nexpect count 1 backups\ndisk create d2 from-backup b\nexpect d2 encrypted k1"));
    assert_eq!(r.summary.failed, 0, "{:?}", r.expectations);
    fail(
        Code::DISK_IN_USE,
        RuleId::Lifecycle,
        &format!("{base}attach d web\ndisk delete d"),
    );
    let r = report(&format!(
        "{base}attach d web\nserver delete web\nexpect count 0 servers\nexpect d detached\nexpect count 1 disks\nserver create web\nexpect web-sys unencrypted"
    ));
    assert_eq!(r.summary.failed, 0, "{:?}", r.expectations);
    ok(RuleId::Lifecycle, &format!("{base}snapshot delete s"));
    ok(RuleId::Lifecycle, &format!("{base}backup delete b"));
    ok(
        RuleId::Choose,
        &format!("{base}snapshot delete s\ndisk create s"),
    );
    // Deleting a server detaches a data disk whose key is unavailable: re-attaching will fail.
    warn(
        Code::REATTACH_WILL_FAIL,
        RuleId::Detach,
        &format!("{base}attach d web\nkey disable k1\nserver delete web"),
    );
}

#[test]
fn r_names() {
    fail(
        Code::NAME_TAKEN,
        RuleId::Names,
        "key create a\ndisk create a",
    );
    fail(
        Code::NAME_TAKEN,
        RuleId::Names,
        "disk create web-sys\nserver create web",
    );
    fail(
        Code::NAME_TAKEN,
        RuleId::Names,
        "server create web system-disk web",
    );
    fail(Code::RESERVED_NAME, RuleId::Names, "disk create x/default");
    fail(
        Code::RESERVED_NAME,
        RuleId::Names,
        "server create s system-disk a/default",
    );
    fail(Code::UNKNOWN_RESOURCE, RuleId::Names, "detach nothing");
    // A deleted key keeps its name.
    fail(
        Code::NAME_TAKEN,
        RuleId::Names,
        "key create k\nkey schedule-deletion k 7\nwait 7\nkey create k",
    );
    // Case-sensitive.
    ok(RuleId::KeyStates, "key create k\nkey create K");
}

#[test]
fn r_power() {
    let base = with("server create web\ndisk create d encrypt k1\nattach d web\nkey disable k1\n");
    ok(RuleId::Power, &format!("{base}server stop web"));
    ok(
        RuleId::Power,
        &format!("{base}server stop web\nserver stop web"),
    );
    ok(
        RuleId::Power,
        &format!("{base}server stop web\nserver start web"),
    );
    ok(RuleId::Power, &format!("{base}server start web"));
    let r = report(&format!(
        "{base}server stop web\nexpect d attached web\nexpect d health at-risk"
    ));
    assert_eq!(r.summary.failed, 0, "{:?}", r.expectations);
    fail(Code::UNKNOWN_RESOURCE, RuleId::Names, "server stop nope");
}

#[test]
fn precedence() {
    // UNKNOWN_RESOURCE before RESERVED_NAME before NAME_TAKEN.
    fail(
        Code::UNKNOWN_RESOURCE,
        RuleId::Names,
        "disk create a/default from-snapshot nope",
    );
    fail(
        Code::RESERVED_NAME,
        RuleId::Names,
        "disk create evs/default encrypt evs/default",
    );
    // NAME_TAKEN before ENCRYPTION_INHERITED.
    fail(
        Code::NAME_TAKEN,
        RuleId::Names,
        &with("disk create d\nsnapshot create s disk d\ndisk create d from-snapshot s encrypt k1"),
    );
    // ENCRYPTION_INHERITED before KMS_NOT_AUTHORIZED.
    fail(
        Code::ENCRYPTION_INHERITED,
        RuleId::FromSnap,
        "key create k\ndisk create d\nsnapshot create s disk d\ndisk create e from-snapshot s encrypt k",
    );
    // KMS_NOT_AUTHORIZED before KEY_UNAVAILABLE.
    fail(
        Code::KMS_NOT_AUTHORIZED,
        RuleId::Grant,
        "key create k\nkey disable k\ndisk create d encrypt k",
    );
    // KEY_DELETED before KEY_UNAVAILABLE (a config with two keys).
    let cfg = with(
        "key create k2\nimage import i encrypt k1\nserver create web image i\ndisk create x encrypt k2\n\
         attach x web\nconfig create c from-server web\nkey disable k1\nkey schedule-deletion k2 7\nwait 7\n",
    );
    fail(
        Code::KEY_DELETED,
        RuleId::UseNew,
        &format!("{cfg}server create w2 config c"),
    );
    // KEY_UNAVAILABLE before DISK_IN_USE.
    fail(
        Code::KEY_UNAVAILABLE,
        RuleId::Reattach,
        &with("server create web\ndisk create d encrypt k1\nattach d web\nkey disable k1\nattach d web"),
    );
    // DEFAULT_KEY_PROTECTED before KEY_STATE_INVALID and INVALID_DELETION_WINDOW.
    fail(
        Code::DEFAULT_KEY_PROTECTED,
        RuleId::Default,
        &with("disk create d encrypt evs/default\nkey schedule-deletion evs/default 3"),
    );
    // KEY_STATE_INVALID before INVALID_DELETION_WINDOW.
    fail(
        Code::KEY_STATE_INVALID,
        RuleId::KeyStates,
        &with("key schedule-deletion k1 7\nkey schedule-deletion k1 3"),
    );
    // SERVER_RUNNING before SYSTEM_DISK_PRESENT; DISK_IN_USE before both.
    fail(
        Code::SERVER_RUNNING,
        RuleId::Attach,
        &with("server create web\ndisk create d\nattach d web as system"),
    );
    fail(
        Code::DISK_IN_USE,
        RuleId::Attach,
        &with("server create web\nserver create db\nattach db-sys web as system"),
    );
}

#[test]
fn a_failing_statement_changes_nothing() {
    let r = report(&with(
        "server create web\ndisk create web-sys\nkey disable k1\ndisk create d encrypt k1\nexpect count 0 disks\nexpect count 1 disks",
    ));
    // web-sys exists (from the server); d was not created.
    assert_eq!(r.state.disks.len(), 1);
    assert!(!r.expectations[0].passed);
    assert!(r.expectations[1].passed);
}

#[test]
fn expectations_about_missing_resources_fail() {
    let r = report(
        "key create k\nexpect nothing encrypted k\nexpect k unencrypted\nexpect k health healthy",
    );
    assert!(r.errors.is_empty());
    assert!(r.expectations.iter().all(|e| !e.passed));
    assert_eq!(r.expectations[0].actual, "no resource named nothing");
    assert_eq!(r.expectations[2].actual, "k is a key, not a disk");
}

#[test]
fn every_outcome_cites_a_rule_and_a_sentence() {
    // The gallery's lineage example: every kind of inheritance, and failures with sentences.
    let text = include_str!("../../../web/examples/01-inheritance.kl");
    let r = report(text);
    assert!(r.steps.len() > 10, "{}", r.steps.len());
    for s in &r.steps {
        assert!(!s.message.is_empty(), "{s:?}");
        assert!(
            s.message.ends_with('.') || s.message.ends_with(".)"),
            "{}",
            s.message
        );
    }
}

/// For every code that has a fix: the fix, inserted just before the failing statement, makes it
/// succeed. Codes without a fix say so.
#[test]
fn fixes_for_every_fixable_code() {
    let cases: &[(Code, &str, &[&str])] = &[
        (Code::KMS_NOT_AUTHORIZED, "key create k\ndisk create d encrypt k", &["role security-admin", "kms grant"]),
        (Code::KMS_NOT_AUTHORIZED, "role security-admin\nkey create k\ndisk create d encrypt k", &["kms grant"]),
        (Code::NOT_SECURITY_ADMIN, "kms grant", &["role security-admin"]),
        (
            Code::KEY_UNAVAILABLE,
            "role security-admin\nkms grant\nkey create k1\nserver create web\ndisk create d encrypt k1\nattach d web\nkey schedule-deletion k1 7\ndetach d\nattach d web",
            &["key cancel-deletion k1", "key enable k1"],
        ),
        (
            Code::KEY_UNAVAILABLE,
            "role security-admin\nkms grant\nkey create k1\nkey disable k1\ndisk create d encrypt k1",
            &["key enable k1"],
        ),
        (
            Code::KEY_STATE_INVALID,
            "key create k\nkey schedule-deletion k 7\nkey enable k",
            &["key cancel-deletion k"],
        ),
        (
            Code::DISK_IN_USE,
            "server create a\nserver create b\ndisk create d\nattach d a\nattach d b",
            &["detach d"],
        ),
        (
            Code::DISK_IN_USE,
            "server create a\nserver create b\nserver stop b\nattach a-sys b as system",
            &["server stop a", "detach a-sys", "detach b-sys"],
        ),
        (Code::SERVER_RUNNING, "server create a\ndetach a-sys", &["server stop a"]),
        (
            Code::SYSTEM_DISK_PRESENT,
            "server create a\nserver stop a\ndisk create d\nattach d a as system",
            &["detach a-sys"],
        ),
        (
            Code::NO_SYSTEM_DISK,
            "server create a\nserver stop a\ndetach a-sys\nserver start a",
            &["attach a-sys a as system"],
        ),
        (Code::UNKNOWN_RESOURCE, "key create k1\nkey disable k9", &["key create k9"]),
        (Code::UNKNOWN_RESOURCE, "disk create d\nattach d web", &["server create web"]),
    ];
    for (code, text, fix) in cases {
        let r = evaluate(text);
        let step = r.steps.last().expect("a step");
        assert_eq!(step.code, Some(*code), "{text}");
        let got: Vec<&str> = step.fix.iter().flatten().map(String::as_str).collect();
        assert_eq!(&got, fix, "{text}");
        let mut lines: Vec<&str> = text.lines().collect();
        let last = lines.pop().expect("a line");
        lines.extend(fix.iter());
        lines.push(last);
        let fixed = evaluate(&lines.join("\n"));
        assert!(
            fixed.steps.iter().all(|s| s.outcome != Outcome::Fail),
            "{code}: {:?}",
            fixed.steps.iter().find(|s| s.outcome == Outcome::Fail)
        );
    }
    // No fix: a deleted key, a taken name, an immutable encryption.
    for text in [
        "role security-admin\nkms grant\nkey create k\nkey schedule-deletion k 7\nwait 7\ndisk create d encrypt k",
        "key create a\nkey create a",
        "disk create d\ndisk encrypt d evs/default",
        "key create k\nkey enable k",
        "key create k\nkey cancel-deletion k",
    ] {
        let r = evaluate(text);
        let step = r.steps.last().expect("a step");
        assert_eq!(step.outcome, Outcome::Fail, "{text}");
        assert_eq!(step.fix, None, "{text}");
    }
}

#[test]
fn lineage_graph_follows_provenance() {
    let text = with(
        "disk create d1 encrypt k1\nsnapshot create s1 disk d1\ndisk create d2 from-snapshot s1\n\
         backup create b1 disk d2\ndisk create d3 from-backup b1\nsnapshot delete s1\n\
         image import gold encrypt k1\nserver create web image gold\nconfig create cfg from-server web\n\
         server create web2 config cfg\nserver create plain",
    );
    let g = keyline_rules::lineage(&keyline_rules::Program::parse(&text), None);
    let id = |kind: &str, name: &str| {
        g.nodes
            .iter()
            .find(|n| n.kind == kind && n.name == name)
            .map(|n| n.id.clone())
            .unwrap_or_else(|| panic!("no node {kind} {name}: {:?}", g.nodes))
    };
    let edge = |a: &str, b: &str| g.edges.iter().any(|e| e.from == a && e.to == b);
    let (k1, d1, s1, d2, b1, d3) = (
        id("key", "k1"),
        id("disk", "d1"),
        id("snapshot", "s1"),
        id("disk", "d2"),
        id("backup", "b1"),
        id("disk", "d3"),
    );
    assert!(edge(&k1, &d1) && edge(&d1, &s1) && edge(&s1, &d2) && edge(&d2, &b1) && edge(&b1, &d3));
    // The deleted snapshot stays in the chain, marked gone, with the key it carried.
    let s1n = g.nodes.iter().find(|n| n.id == s1).expect("s1");
    assert!(!s1n.live);
    assert_eq!(s1n.encryption, "k1");
    let gold = id("image", "gold");
    let web_sys = id("disk", "web-sys");
    let cfg = id("config", "cfg");
    let web2_sys = id("disk", "web2-sys");
    assert!(
        edge(&k1, &gold) && edge(&gold, &web_sys) && edge(&web_sys, &cfg) && edge(&cfg, &web2_sys)
    );
    assert!(edge("public-image", &id("disk", "plain-sys")));
    // Layers grow along the chain; the chain of d3 reaches the key.
    let layer = |i: &str| {
        g.nodes
            .iter()
            .find(|n| n.id == i)
            .map(|n| n.layer)
            .unwrap_or(99)
    };
    assert!(layer(&k1) < layer(&d1) && layer(&d1) < layer(&s1) && layer(&b1) < layer(&d3));
    let chain = g.chain_of(&d3);
    assert!(chain.contains(&k1) && chain.contains(&s1) && !chain.contains(&gold));
}
