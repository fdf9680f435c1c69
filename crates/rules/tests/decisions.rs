//! The choices of docs/decisions.md that no other test pins, one test each, named after the
//! entry's number. (The others are pinned where their rule is tested; docs/decisions.md says
//! where.)

use keyline_rules::{evaluate, Code, DiskRole, Outcome, ParseErrorCode, Report, RuleId, Step};

const SETUP: &str = "role security-admin\nkms grant\nkey create k1\n";

fn last_step(r: &Report) -> &Step {
    match r.steps.last() {
        Some(s) => s,
        None => panic!("no statement in {r:?}"),
    }
}

fn verdict(s: &Step) -> (Outcome, Option<Code>, RuleId) {
    (s.outcome, s.code, s.rule)
}

/// Every expectation's `(passed, actual)`, in order.
fn expectations(r: &Report) -> Vec<(bool, &str)> {
    r.expectations
        .iter()
        .map(|e| (e.passed, e.actual.as_str()))
        .collect()
}

/// Decision 1: `#` starts a comment on a `title` line too; the first `title` names the scenario.
#[test]
fn decision_01_title_comments_and_the_first_title() {
    let r = evaluate("title First # not part of it\ntitle Second\nkey create k1 # a comment\n");
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_eq!(r.title.as_deref(), Some("First"));
}

/// Decision 2: An `expect` after a line with a parse error checks the nearest statement above that
/// parsed; before the first parsed statement every `expect` form is EXPECT_WITHOUT_STATEMENT.
#[test]
fn decision_02_expect_skips_lines_that_did_not_parse() {
    let r = evaluate("key create k1\nkey enable k1\nkey bogus k1\nexpect fail KEY_STATE_INVALID\n");
    assert_eq!(r.errors.len(), 1, "{:?}", r.errors);
    assert_eq!(expectations(&r), [(true, "fail KEY_STATE_INVALID")]);

    let r = evaluate(
        "key bogus k1\nexpect ok\nexpect k1 state enabled\nexpect count 0 keys\nkey create k1\n",
    );
    let without: Vec<u32> = r
        .errors
        .iter()
        .filter(|e| e.code == ParseErrorCode::ExpectWithoutStatement)
        .map(|e| e.line)
        .collect();
    assert_eq!(without, [2, 3, 4], "{:?}", r.errors);
}

/// Decision 4: `ok`, `warn`, `fail` and `count` are keywords unless a predicate follows, so they
/// can name resources.
#[test]
fn decision_04_keywords_can_name_resources() {
    let r = evaluate(
        "disk create ok\ndisk create count\nexpect ok unencrypted\nexpect count unencrypted\nexpect count 2 disks\nexpect ok\n",
    );
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_eq!(r.summary.failed, 0, "{:?}", r.expectations);
    assert_eq!(r.summary.passed, 4);
}

/// Decision 6: `evs/default` does not exist before its first successful use: an expectation about
/// it fails; `image import … encrypt evs/default` creates it as a disk does.
#[test]
fn decision_06_the_default_key_exists_from_its_first_use() {
    let r = evaluate(
        "key create k1\nexpect evs/default state enabled\nimage import i encrypt evs/default\nexpect evs/default state enabled\nexpect count 2 keys\n",
    );
    let passed: Vec<bool> = r.expectations.iter().map(|e| e.passed).collect();
    assert_eq!(passed, [false, true, true], "{:?}", r.expectations);
}

/// Decision 9: Scheduling the deletion of an already disabled key still warns KEY_IN_USE when
/// attached disks use it.
#[test]
fn decision_09_schedule_deletion_of_a_disabled_key_in_use_warns() {
    let r = evaluate(&format!(
        "{SETUP}server create web\ndisk create d encrypt k1\nattach d web\nkey disable k1\nkey schedule-deletion k1 7\n"
    ));
    assert_eq!(
        verdict(last_step(&r)),
        (Outcome::Warn, Some(Code::KEY_IN_USE), RuleId::InUse)
    );
}

/// Decision 10: Detaching a disk whose key is deleted warns REATTACH_WILL_FAIL; re-attaching fails
/// KEY_DELETED.
#[test]
fn decision_10_detach_with_a_deleted_key_warns() {
    let base = format!(
        "{SETUP}server create web\ndisk create d encrypt k1\nattach d web\nkey schedule-deletion k1 7\nwait 7\ndetach d\n"
    );
    let r = evaluate(&base);
    assert_eq!(
        verdict(last_step(&r)),
        (
            Outcome::Warn,
            Some(Code::REATTACH_WILL_FAIL),
            RuleId::Detach
        )
    );
    let r = evaluate(&format!("{base}attach d web\n"));
    assert_eq!(
        verdict(last_step(&r)),
        (Outcome::Fail, Some(Code::KEY_DELETED), RuleId::Reattach)
    );
}

/// Decision 12: `image create` and `config create` from a server without a system disk fail
/// NO_SYSTEM_DISK.
#[test]
fn decision_12_images_and_configs_need_a_system_disk() {
    for make in [
        "image create i from-server web",
        "config create c from-server web",
    ] {
        let r = evaluate(&format!(
            "server create web\nserver stop web\ndetach web-sys\n{make}\n"
        ));
        let s = last_step(&r);
        assert_eq!(
            (s.outcome, s.code),
            (Outcome::Fail, Some(Code::NO_SYSTEM_DISK)),
            "{make}"
        );
    }
}

/// Decision 13: `expect X encrypted|unencrypted` on a server without a system disk, or on a key,
/// fails, with the reason as `actual`.
#[test]
fn decision_13_encryption_expectations_on_what_has_none() {
    let r = evaluate(
        "key create k1\nserver create web\nserver stop web\ndetach web-sys\nexpect web unencrypted\nexpect k1 unencrypted\n",
    );
    let actual: Vec<(bool, &str)> = expectations(&r);
    assert!(
        matches!(actual[..], [(false, web), (false, key)] if web.contains("no system disk") && key.contains("key")),
        "{actual:?}"
    );
}

/// Decision 14: `server create` needs every new name free and distinct, `-dataN` disks from a
/// config included; generated names are not length-checked.
#[test]
fn decision_14_server_create_needs_every_new_name() {
    let cfg = "server create src\ndisk create x\nattach x src\nconfig create c from-server src\n";
    let r = evaluate(&format!(
        "{cfg}disk create app-data1\nserver create app config c\n"
    ));
    assert_eq!(
        verdict(last_step(&r)),
        (Outcome::Fail, Some(Code::NAME_TAKEN), RuleId::Names)
    );
    let r = evaluate(&format!(
        "{cfg}server create app config c\nexpect app-data1 attached app\n"
    ));
    assert_eq!(r.summary.failed, 0, "{:?}", r.expectations);

    let longest = "s".repeat(keyline_rules::MAX_NAME_LEN);
    let r = evaluate(&format!(
        "server create {longest}\nexpect {longest}-sys attached {longest}\n"
    ));
    assert_eq!(verdict(last_step(&r)).0, Outcome::Ok, "{:?}", r.steps);
    assert_eq!(r.summary.failed, 0, "{:?}", r.expectations);
}

/// Decision 15: DATA_UNRECOVERABLE names every live resource encrypted with the deleted key: disks,
/// snapshots, backups, images, and a config when any of its disks used the key.
#[test]
fn decision_15_data_unrecoverable_names_every_resource() {
    let r = evaluate(&format!(
        "{SETUP}key create k2\nserver create src\ndisk create d encrypt k2\nattach d src\n\
         snapshot create s disk d\nbackup create b disk d\nconfig create cfg from-server src\n\
         image import img encrypt k2\nkey schedule-deletion k2 7\nwait 7\n"
    ));
    let s = last_step(&r);
    assert_eq!(
        (s.outcome, s.code),
        (Outcome::Warn, Some(Code::DATA_UNRECOVERABLE))
    );
    for name in ["d", "s", "b", "cfg", "img"] {
        assert!(
            s.message
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w == name),
            "{name} not named: {}",
            s.message
        );
    }
    assert!(!s.message.contains("src-sys"), "{}", s.message);
}

/// Decision 16: A disk's role is set when it is attached and kept while it is detached.
#[test]
fn decision_16_a_disk_keeps_its_role_when_detached() {
    let r = evaluate(
        "server create web\nserver stop web\ndetach web-sys\ndisk create d\nattach d web as system\ndetach d\ndisk create e\nattach e web\ndetach e\n",
    );
    let role = |name: &str| {
        r.state
            .disks
            .iter()
            .find(|d| d.name == name)
            .map(|d| d.role)
    };
    assert_eq!(role("web-sys"), Some(DiskRole::System));
    assert_eq!(role("d"), Some(DiskRole::System));
    assert_eq!(role("e"), Some(DiskRole::Data));
}

/// Decision 17: the rule cited for each kind of success: the one about that statement, and for
/// a creation the rule that gave the encryption.
#[test]
fn decision_17_rules_cited_for_successes() {
    let cases = [
        ("role member", RuleId::GrantAdmin),
        ("kms grant", RuleId::GrantAdmin),
        ("key create k2", RuleId::KeyStates),
        ("key disable k1\nkey enable k1", RuleId::KeyStates),
        (
            "key schedule-deletion k1 7\nkey cancel-deletion k1",
            RuleId::KeyStates,
        ),
        ("key disable k1", RuleId::InUse),
        ("key schedule-deletion k1 7", RuleId::InUse),
        ("wait 1", RuleId::Delete),
        (
            "server create web\ndisk create d\nattach d web",
            RuleId::Attach,
        ),
        (
            "server create web\ndisk create d\nattach d web\ndetach d",
            RuleId::Detach,
        ),
        ("disk create d\ndisk delete d", RuleId::Lifecycle),
        ("server create web\nserver delete web", RuleId::Lifecycle),
        (
            "disk create d\nsnapshot create s disk d\nsnapshot delete s",
            RuleId::Lifecycle,
        ),
        (
            "disk create d\nbackup create b disk d\nbackup delete b",
            RuleId::Lifecycle,
        ),
        ("disk create d encrypt k1", RuleId::Choose),
        ("disk create d\nsnapshot create s disk d", RuleId::Snap),
        ("disk create d\nbackup create b disk d", RuleId::Backup),
        (
            "disk create d\nsnapshot create s disk d\ndisk create e from-snapshot s",
            RuleId::FromSnap,
        ),
        (
            "disk create d\nbackup create b disk d\ndisk create e from-backup b",
            RuleId::FromBackup,
        ),
        ("image import i encrypt k1", RuleId::ImageImport),
        (
            "image import i encrypt k1\nserver create web image i",
            RuleId::SysImage,
        ),
        (
            "server create web\nimage create i from-server web",
            RuleId::ImageServer,
        ),
        (
            "server create web\nconfig create c from-server web",
            RuleId::As,
        ),
        (
            "server create web\nconfig create c from-server web\nserver create w2 config c",
            RuleId::As,
        ),
    ];
    for (text, rule) in cases {
        let r = evaluate(&format!("{SETUP}{text}\n"));
        assert_eq!(verdict(last_step(&r)), (Outcome::Ok, None, rule), "{text}");
    }
}

/// Decision 18: No fix where no inserted statement can help.
#[test]
fn decision_18_no_fix_where_none_can_help() {
    for text in [
        "disk create a/default",
        "key create k1\ndisk create d\nsnapshot create s disk d\ndisk create e from-snapshot s encrypt k1",
        &format!("{SETUP}disk create d encrypt evs/default\nkey disable evs/default"),
        "key create k1\nkey schedule-deletion k1 3",
        "disk create d\ndetach d",
        // The unknown server's name is a disk's: creating it cannot help.
        "disk create d\ndisk create web\nattach d web",
    ] {
        let r = evaluate(text);
        let s = last_step(&r);
        assert_eq!(s.outcome, Outcome::Fail, "{text}");
        assert_eq!(s.fix, None, "{text}: {:?}", s.code);
    }
}
