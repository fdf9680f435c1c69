//! The statement model: every generated [`Statement`] and [`Expectation`] prints a line that
//! parses back to it; the program's parser and `Statement::from_str` agree; `preview` says
//! what the report says for a line typed at that place.

use keyline_rules::{
    evaluate, generate, preview, Code, DiskFrom, Expectation, Health, ItemKind, KeyState, Kind,
    Outcome, Program, Report, Role, Source, Statement, DEFAULT_KEY, WAIT_DAYS,
};
use proptest::prelude::*;

mod common;
use common::cfg;

/// Names from the name grammar, short ones often (so they collide with keywords).
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "ok",
            "warn",
            "count",
            "key",
            "disk",
            "expect",
            "7",
            "evs/default",
            "a-sys",
            "x.y_z",
        ])
        .prop_map(str::to_owned),
        "[A-Za-z0-9][A-Za-z0-9._/-]{0,63}",
    ]
}

fn role() -> impl Strategy<Value = Role> {
    prop::sample::select(Role::ALL.to_vec())
}

fn statement() -> impl Strategy<Value = Statement> {
    let n = name;
    let on = || prop::option::of(name());
    prop_oneof![
        role().prop_map(Statement::Role),
        Just(Statement::KmsGrant),
        n().prop_map(Statement::KeyCreate),
        n().prop_map(Statement::KeyDisable),
        n().prop_map(Statement::KeyEnable),
        // Any window parses (out of range is the evaluator's INVALID_DELETION_WINDOW).
        (n(), -i64::MAX..=i64::MAX).prop_map(|(k, d)| Statement::KeyScheduleDeletion(k, d)),
        n().prop_map(Statement::KeyCancelDeletion),
        WAIT_DAYS.prop_map(Statement::Wait),
        (n(), on()).prop_map(|(image, key)| Statement::ImageImport { image, key }),
        (n(), n()).prop_map(|(image, server)| Statement::ImageCreate { image, server }),
        (n(), on(), any::<bool>(), on()).prop_map(|(server, src, config, system_disk)| {
            let source = src.map(|s| {
                if config {
                    Source::Config(s)
                } else {
                    Source::Image(s)
                }
            });
            Statement::ServerCreate {
                server,
                source,
                system_disk,
            }
        }),
        n().prop_map(Statement::ServerStop),
        n().prop_map(Statement::ServerStart),
        n().prop_map(Statement::ServerDelete),
        (n(), on(), any::<bool>(), on()).prop_map(|(disk, f, backup, key)| {
            let from = f.map(|f| {
                if backup {
                    DiskFrom::Backup(f)
                } else {
                    DiskFrom::Snapshot(f)
                }
            });
            Statement::DiskCreate { disk, from, key }
        }),
        (n(), n()).prop_map(|(d, k)| Statement::DiskEncrypt(d, k)),
        n().prop_map(Statement::DiskDecrypt),
        n().prop_map(Statement::DiskDelete),
        (n(), n(), any::<bool>()).prop_map(|(disk, server, system)| Statement::Attach {
            disk,
            server,
            system
        }),
        n().prop_map(Statement::Detach),
        (n(), n()).prop_map(|(snapshot, disk)| Statement::SnapshotCreate { snapshot, disk }),
        n().prop_map(Statement::SnapshotDelete),
        (n(), n()).prop_map(|(backup, disk)| Statement::BackupCreate { backup, disk }),
        n().prop_map(Statement::BackupDelete),
        (n(), n()).prop_map(|(config, server)| Statement::ConfigCreate { config, server }),
    ]
}

fn expectation() -> impl Strategy<Value = Expectation> {
    let n = name;
    let code = || prop::option::of(prop::sample::select(Code::ALL.to_vec()));
    prop_oneof![
        Just(Expectation::Outcome(Outcome::Ok, None)),
        code().prop_map(|c| Expectation::Outcome(Outcome::Warn, c)),
        code().prop_map(|c| Expectation::Outcome(Outcome::Fail, c)),
        (n(), n()).prop_map(|(r, k)| Expectation::Encrypted(r, k)),
        n().prop_map(Expectation::Unencrypted),
        (n(), n()).prop_map(|(d, s)| Expectation::Attached(d, s)),
        n().prop_map(Expectation::Detached),
        (n(), prop::sample::select(Health::ALL.to_vec()))
            .prop_map(|(d, h)| Expectation::Health(d, h)),
        (n(), prop::sample::select(KeyState::ALL.to_vec()))
            .prop_map(|(k, s)| Expectation::State(k, s)),
        (any::<u64>(), prop::sample::select(Kind::ALL.to_vec()))
            .prop_map(|(c, k)| Expectation::Count(c, k)),
    ]
}

proptest! {
    #![proptest_config(cfg(400))]

    #[test]
    fn every_statement_prints_a_line_that_parses_back(s in statement()) {
        let line = s.to_string();
        prop_assert_eq!(line.parse::<Statement>(), Ok(s.clone()), "{}", line);
        prop_assert!(s.validate().is_ok());
        // The program's parser reads the same line the same way.
        let program = Program::parse(&line);
        prop_assert!(program.errors.is_empty(), "{:?}", program.errors);
        let item = &program.items[0];
        prop_assert_eq!(program.statement(item), Some(s));
        prop_assert_eq!(program.text(item), line.as_str());
    }

    #[test]
    fn every_expectation_prints_a_line_that_parses_back(e in expectation()) {
        let line = e.to_string();
        prop_assert_eq!(line.parse::<Expectation>(), Ok(e.clone()), "{}", line);
        let program = Program::parse(&format!("kms grant\n{line}"));
        prop_assert!(program.errors.is_empty(), "{:?}", program.errors);
        prop_assert_eq!(program.expectation(&program.items[1]), Some(e));
    }
}

proptest! {
    #![proptest_config(cfg(60))]

    /// `preview` at a statement's own line says exactly what the report says for it.
    #[test]
    fn preview_agrees_with_the_report(seed in any::<u64>()) {
        let text = generate::random(seed, 40);
        let program = Program::parse(&text);
        let report = Report::build(&program);
        for (step, (item, _)) in report.steps.iter().zip(program.statements()) {
            let statement = program.statement(item).unwrap();
            let previewed = preview(&program, item.line, &statement);
            prop_assert_eq!(&previewed, step, "line {}", item.line);
        }
    }
}

#[test]
fn parse_errors_are_positioned_and_lines_are_canonical() {
    let s: Statement = "  server create\tweb system-disk boot  image golden # x"
        .parse()
        .unwrap();
    assert_eq!(
        s.to_string(),
        "server create web image golden system-disk boot"
    );
    let e = "disk creat d1".parse::<Statement>().unwrap_err();
    assert_eq!(
        (e.line, e.column, e.suggestion.as_deref()),
        (1, 6, Some("create"))
    );
    assert!("expect ok".parse::<Statement>().is_err());
    assert!("title x".parse::<Statement>().is_err());
    assert!("key create a\nkey create b".parse::<Statement>().is_err());
    assert!("wait 0".parse::<Statement>().is_err());
    assert!(Statement::Wait(0).validate().is_err());
    assert!(Statement::KeyCreate("a b".into()).validate().is_err());
    assert!(Statement::KeyCreate("a#b".into()).validate().is_err());
    assert_eq!(
        "expect  d1 health   at-risk"
            .parse::<Expectation>()
            .unwrap()
            .to_string(),
        "expect d1 health at-risk"
    );
}

#[test]
fn preview_inserts_before_the_line_and_names_the_resources() {
    let text = "role security-admin\nkms grant\nkey create k1\nserver create web\nkey disable k1\n";
    let program = Program::parse(text);
    let attach_later = Statement::DiskCreate {
        disk: "d1".into(),
        from: None,
        key: Some("k1".into()),
    };
    // Before `key disable k1` (line 5) the key is usable; after it, not.
    let before = preview(&program, 5, &attach_later);
    assert_eq!(before.outcome, Outcome::Ok);
    assert_eq!(before.line, 5);
    assert_eq!(before.statement, "disk create d1 encrypt k1");
    assert_eq!(before.resources, vec!["d1", "k1"]);
    let after = preview(&program, 6, &attach_later);
    assert_eq!(after.code, Some(Code::KEY_UNAVAILABLE));
    assert_eq!(after.fix, Some(vec!["key enable k1".to_owned()]));
    // Before `key create k1`: the key does not exist yet, as if typed there.
    let early = preview(&program, 3, &attach_later);
    assert_eq!(early.code, Some(Code::UNKNOWN_RESOURCE));
    assert_eq!(early.fix, Some(vec!["key create k1".to_owned()]));
    // The board's quick action: a new server and its system disk.
    let srv = preview(
        &program,
        99,
        &Statement::ServerCreate {
            server: "api".into(),
            source: None,
            system_disk: None,
        },
    );
    assert_eq!(srv.outcome, Outcome::Ok);
    assert_eq!(srv.resources, vec!["api", "api-sys"]);
    // `evs/default` resolves although the program never names it.
    let default = preview(
        &program,
        99,
        &Statement::DiskCreate {
            disk: "d9".into(),
            from: None,
            key: Some(DEFAULT_KEY.into()),
        },
    );
    assert_eq!(default.outcome, Outcome::Ok, "{}", default.message);
    // A warning's resources: the attached disks that use the key.
    let r = evaluate("role security-admin\nkms grant\nkey create k\nserver create s\ndisk create d encrypt k\nattach d s\n");
    assert_eq!(r.steps.len(), 6);
    let program = Program::parse("role security-admin\nkms grant\nkey create k\nserver create s\ndisk create d encrypt k\nattach d s\n");
    let warn = preview(&program, 7, &Statement::KeyDisable("k".into()));
    assert_eq!(warn.code, Some(Code::KEY_IN_USE));
    assert_eq!(warn.resources, vec!["k", "d"]);
    // The program is untouched: its own items still say the same.
    assert!(matches!(program.items[2].kind, ItemKind::Statement(_)));
}

/// The planned section starts at the `# planned changes` comment: its line, in the program and
/// the report, and nowhere in the JSON report, which stays as it was without the marker.
#[test]
fn the_planned_section_starts_at_the_marker_line() {
    use keyline_rules::PLANNED_MARKER;
    let prior = "role security-admin\nkms grant\nkey create k\ndisk create d encrypt k\n";
    let planned = "key disable k\ndetach d\n";
    let text = format!("{prior}\n  {PLANNED_MARKER}  \r\n{planned}");
    let program = Program::parse(&text);
    assert_eq!(program.planned_from(), Some(6));
    let report = Report::build(&program);
    assert_eq!(report.planned_from, Some(6));
    let after: Vec<u32> = report
        .steps
        .iter()
        .map(|s| s.line)
        .filter(|l| *l > 6)
        .collect();
    assert_eq!(after, [7, 8]);
    // A comment: the verdicts and the JSON are those of the text with a blank line instead.
    let blank = format!("{prior}\n\n{planned}");
    let plain = evaluate(&blank);
    assert_eq!(plain.planned_from, None);
    assert_eq!(
        serde_json::to_string(&report).unwrap(),
        serde_json::to_string(&plain).unwrap()
    );
    // Only the whole line counts: a longer comment, or the words in a statement's comment, do not.
    for other in [
        "key create k  # planned changes\n",
        "# planned changes follow\n",
        "# Planned changes\n",
    ] {
        assert_eq!(Program::parse(other).planned_from(), None, "{other}");
    }
}

/// A kind prints its first words and is found from them again; a statement's kind is the kind
/// its own line starts with (the course matches "must use `key enable`" this way).
#[test]
fn statement_kinds_round_trip_through_their_words() {
    use keyline_rules::StatementKind;
    for &kind in StatementKind::ALL {
        assert_eq!(StatementKind::from_words(&kind.to_string()), Some(kind));
    }
    assert_eq!(
        StatementKind::from_words("key\tenable"),
        Some(StatementKind::KeyEnable)
    );
    for bad in ["", "key", "key enable k1", "enable key", "disk"] {
        assert_eq!(StatementKind::from_words(bad), None, "{bad}");
    }
    let s = Statement::parse("attach d1 s1 as system").unwrap();
    assert_eq!(s.kind(), StatementKind::Attach);
    assert_eq!(StatementKind::ALL.len(), 25);
}
