//! Grading learners' lines with the engine: verdicts on the learner's own lines, goal checks,
//! each constraint holding and failing, the goal board's differences, drafts from scenarios.
// The helpers fail their test with the reason; clippy.toml's allow-*-in-tests covers the
// #[test] functions only, not the helpers beside them.
#![allow(clippy::expect_used)]

use keyline_learn::{
    check_level, differences, goal_state, grade, level_from_scenario, start_state, Course,
    DifferenceKind, Level, ProblemKind,
};
use keyline_rules::{Code, Health, KeyState, Outcome, Role};

fn builtin(id: &str) -> Level {
    Course::builtin().get(id).cloned().expect("built-in level")
}

/// A level with a key k1, a server s1 and access granted, whose goal is disk d1 encrypted with
/// k1, with one constraint.
fn level_with(constraint: &str) -> Level {
    Level::parse(&format!(
        "id: t\ntitle: T\nchapter: C\nrules: R-CHOOSE\nquote: 000 x\nintro: i\ngoal: g\n\
         constraint: {constraint}\nhint: h\nstart:\nrole security-admin\nkms grant\nkey create k1\n\
         server create s1\nchecks:\nexpect d1 encrypted k1\nsolution:\ndisk create d1 encrypt k1\n"
    ))
    .expect("test level")
}

#[test]
fn a_right_answer_is_done_with_its_count() {
    let level = builtin("grant-access");
    let g = grade(
        &level,
        "role security-admin\nkms grant\ndisk create data1 encrypt k1\n",
    );
    assert!(g.done);
    assert_eq!((g.statements, g.reference), (3, 3));
    let lines: Vec<u32> = g.steps.iter().map(|s| s.line).collect();
    assert_eq!(lines, vec![1, 2, 3]);
    assert!(g.steps.iter().all(|s| s.outcome == Outcome::Ok));
    assert!(g.checks.iter().all(|c| c.passed));
    // The start's own verdicts stay on the start's lines.
    assert_eq!(g.start_steps.len(), 3);
    assert_eq!(g.start_steps[1].code, Some(Code::NOT_SECURITY_ADMIN));
    assert_eq!(g.offset, 5);
    assert_eq!(g.report.steps.len(), 6);
}

#[test]
fn a_wrong_answer_says_why_on_the_learners_line() {
    let level = builtin("grant-access");
    let g = grade(&level, "\n# first, the disk\ndisk create data1 encrypt k1");
    assert!(!g.done);
    assert_eq!(g.steps.len(), 1);
    assert_eq!(g.steps[0].line, 3);
    assert_eq!(g.steps[0].code, Some(Code::KMS_NOT_AUTHORIZED));
    assert!(!g.checks[0].passed);
    assert_eq!(g.checks[0].text, "expect data1 encrypted k1");
    assert!(!g.checks[0].actual.is_empty());
    assert_eq!(g.checks[0].line, level.checks[0].line);
}

#[test]
fn a_line_that_does_not_parse_keeps_the_level_open() {
    let level = builtin("grant-access");
    let g = grade(&level, &format!("{}\nrole admin", level.solution));
    assert!(g.checks.iter().all(|c| c.passed));
    assert_eq!(g.errors.len(), 1);
    assert_eq!(g.errors[0].line, 4);
    assert!(!g.done);
}

#[test]
fn the_learners_own_expectations_are_on_their_lines_and_decide_nothing() {
    let level = builtin("choose");
    let g = grade(
        &level,
        "disk create records encrypt k1\nexpect fail\ndisk create scratch\n",
    );
    assert_eq!(g.expectations.len(), 1);
    assert_eq!(g.expectations[0].line, 2);
    assert!(!g.expectations[0].passed);
    assert!(g.done);
}

#[test]
fn checks_without_any_statement_fail_without_a_verdict() {
    let level = Level::parse(
        "id: e\ntitle: E\nchapter: C\nrules: R-CHOOSE\nquote: 000 x\nintro: i\ngoal: g\nhint: h\n\
         checks:\nexpect d1 unencrypted\nsolution:\ndisk create d1\n",
    )
    .unwrap();
    let g = grade(&level, "");
    assert!(!g.done);
    assert_eq!(g.checks[0].actual, "no statement yet");
    assert!(
        g.errors.is_empty(),
        "the checks' errors are not the learner's"
    );
    assert!(grade(&level, "disk create d1").done);
    assert!(check_level(&level).is_empty());
}

#[test]
fn at_most() {
    let level = level_with("at-most 1");
    assert!(grade(&level, "disk create d1 encrypt k1").done);
    let g = grade(&level, "disk create d0\ndisk create d1 encrypt k1");
    assert!(g.checks[0].passed);
    assert!(!g.constraints[0].passed);
    assert!(g.constraints[0].sentence.contains("you wrote 2"));
    assert!(!g.done);
}

#[test]
fn nothing_deleted_covers_deletions_that_succeed_and_keys_that_reach_deletion() {
    let level = level_with("nothing-deleted");
    // A failing delete changes nothing.
    assert!(grade(&level, "disk delete nosuch\ndisk create d1 encrypt k1").done);
    let g = grade(
        &level,
        "disk create d1 encrypt k1\ndisk create tmp\ndisk delete tmp",
    );
    assert!(!g.constraints[0].passed);
    assert!(g.constraints[0].sentence.contains("line 3"));
    let g = grade(&level, "server delete s1\ndisk create d1 encrypt k1");
    assert!(!g.constraints[0].passed);
    let g = grade(
        &level,
        "disk create d1 encrypt k1\nkey create k2\nkey schedule-deletion k2 7\nwait 7",
    );
    assert!(!g.constraints[0].passed);
    assert!(
        g.constraints[0].sentence.contains("k2"),
        "{}",
        g.constraints[0].sentence
    );
}

#[test]
fn no_data_lost() {
    let level = level_with("no-data-lost");
    let g = grade(
        &level,
        "key create k2\ndisk create d2 encrypt k2\nkey schedule-deletion k2 7\nwait 7\ndisk create d1 encrypt k1",
    );
    assert!(g.checks[0].passed);
    assert!(!g.constraints[0].passed);
    assert!(g.constraints[0].sentence.contains("line 4"));
    assert_eq!(g.steps[3].code, Some(Code::DATA_UNRECOVERABLE));
    // A deleted key that held no data loses none.
    let g = grade(
        &level,
        "key create k2\nkey schedule-deletion k2 7\nwait 7\ndisk create d1 encrypt k1",
    );
    assert!(g.done);
}

#[test]
fn must_use_counts_statements_that_succeed() {
    let level = level_with("must-use key disable");
    let g = grade(
        &level,
        "disk create d1 encrypt k1\ndisk create d2 encrypt evs/default\nkey disable evs/default",
    );
    assert_eq!(g.steps[2].code, Some(Code::DEFAULT_KEY_PROTECTED));
    assert!(!g.constraints[0].passed);
    let g = grade(&level, "disk create d1 encrypt k1\nkey disable k1");
    assert!(g.constraints[0].passed);
    assert!(g.done);
}

#[test]
fn must_not_use_counts_any_statement_even_a_failing_one() {
    let level = level_with("must-not-use disk encrypt d1 k1");
    let g = grade(&level, "disk create d1\ndisk encrypt d1 k1");
    assert!(!g.constraints[0].passed);
    assert!(g.constraints[0].sentence.contains("line 2"));
    // Another statement of the same kind is not the forbidden one.
    let level = level_with("must-not-use disk encrypt d1 k1");
    let g = grade(
        &level,
        "disk create d1 encrypt k1\ndisk encrypt d1 evs/default",
    );
    assert!(g.constraints[0].passed);
    let level = level_with("must-not-use disk encrypt");
    let g = grade(
        &level,
        "disk create d1 encrypt k1\ndisk encrypt d1 evs/default",
    );
    assert!(!g.constraints[0].passed);
}

#[test]
fn differences_name_what_is_missing_extra_and_different() {
    let level = builtin("grant-access");
    let goal = goal_state(&level);
    let start = start_state(&level);
    let d = differences(&start, &goal);
    let kinds: Vec<&DifferenceKind> = d.iter().map(|d| &d.kind).collect();
    assert!(kinds.contains(&&DifferenceKind::KmsAccess {
        current: false,
        goal: true
    }));
    assert!(d
        .iter()
        .any(|d| d.sentence == "account: KMS access granted in the goal, not granted here"));
    assert!(kinds.contains(&&DifferenceKind::Role {
        current: Role::Member,
        goal: Role::SecurityAdmin
    }));
    assert!(d
        .iter()
        .any(|d| d.resource == "data1" && d.kind == DifferenceKind::Missing && d.noun == "disk"));
    let done = grade(&level, &level.solution);
    assert!(differences(done.state(), &goal).is_empty());

    let level = level_with("at-most 5");
    let g = grade(&level, "disk create d1\ndisk create extra");
    let d = differences(g.state(), &goal_state(&level));
    assert!(d.iter().any(|d| d.resource == "d1"
        && d.kind
            == DifferenceKind::Encryption {
                current: "none".into(),
                goal: "k1".into()
            }
        && d.sentence == "disk d1: encrypted with k1 in the goal, unencrypted here"));
    assert!(d
        .iter()
        .any(|d| d.resource == "extra" && d.kind == DifferenceKind::Extra));

    let level = builtin("detach-trap");
    let g = grade(&level, "detach data1");
    let d = differences(g.state(), &goal_state(&level));
    assert!(d.iter().any(|d| d.kind
        == DifferenceKind::Attachment {
            current: None,
            goal: Some("new".into())
        }));
    assert!(d.iter().any(|d| d.kind
        == DifferenceKind::Health {
            current: Health::Unattachable,
            goal: Health::Healthy
        }));
    assert!(d.iter().any(|d| d.resource == "k1"
        && d.kind
            == DifferenceKind::KeyState {
                current: KeyState::Disabled,
                goal: KeyState::Enabled
            }));
}

#[test]
fn a_stopped_server_differs_from_a_running_one() {
    let level = builtin("system-disk-swap");
    let g = grade(
        &level,
        "server stop web\ndetach web-sys\nattach boot2 web as system",
    );
    let d = differences(g.state(), &goal_state(&level));
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(
        d[0].sentence,
        "server web: running in the goal, stopped here"
    );
    assert!(!g.done);
    assert!(grade(&level, &format!("\u{feff}{}", level.solution)).done);
}

#[test]
fn a_scenario_becomes_a_draft_level_that_proves() {
    let scenario = "title Restore a disk\nrole security-admin\nkms grant\nkey create k1\n\
        disk create d1 encrypt k1\nkey disable k1\n\
        key enable k1 # restore\nexpect ok\nattach   d1 s1\nserver create s1\nattach d1 s1\n\
        expect d1 attached s1\nexpect d1 health healthy\n";
    let draft = level_from_scenario(scenario, 7);
    let level = Level::parse(&draft).unwrap();
    assert_eq!(
        level.start,
        "title Restore a disk\nrole security-admin\nkms grant\nkey create k1\ndisk create d1 encrypt k1\nkey disable k1"
    );
    assert_eq!(
        level.solution,
        "key enable k1\nattach d1 s1\nserver create s1\nattach d1 s1"
    );
    let checks: Vec<String> = level
        .checks
        .iter()
        .map(|c| c.expectation.to_string())
        .collect();
    assert_eq!(
        checks,
        vec!["expect d1 attached s1", "expect d1 health healthy"]
    );
    assert!(draft
        .contains("# not a goal check (it is about a statement, not the final state): expect ok"));
    assert!(level.rules.contains(&keyline_rules::RuleId::KeyStates));
    assert!(draft.contains("TODO"));
    assert!(check_level(&level).is_empty(), "{:?}", check_level(&level));
    // A caret past the end: everything is the start, and the draft says what is missing.
    assert!(level_from_scenario(scenario, 1000).contains("solution:\n"));
    assert!(Level::parse(&level_from_scenario(scenario, 1000)).is_err());
}

#[test]
fn lesson_check_names_the_line_of_what_does_not_prove() {
    let unsatisfiable = level_with("at-most 5")
        .to_text()
        .replace("expect d1 encrypted k1", "expect d1 encrypted k2");
    let level = Level::parse(&unsatisfiable).unwrap();
    let problems = check_level(&level);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].line, level.checks[0].line);
    assert!(matches!(
        problems[0].kind,
        ProblemKind::GoalNotReached { .. }
    ));

    let too_strict = level_with("at-most 5").to_text().replace(
        "constraint: at-most 5",
        "constraint: must-not-use disk create",
    );
    let level = Level::parse(&too_strict).unwrap();
    let problems = check_level(&level);
    assert!(matches!(problems[0].kind, ProblemKind::ConstraintBroken(_)));
    assert_eq!(problems[0].line, level.constraints[0].line);

    let already = level_with("at-most 5")
        .to_text()
        .replace("expect d1 encrypted k1", "expect k1 state enabled");
    let level = Level::parse(&already).unwrap();
    let problems = check_level(&level);
    assert_eq!(problems[0].kind, ProblemKind::StartAlreadyDone);
    assert_eq!(problems[0].line, level.lines.checks);

    let empty_hint = level_with("at-most 5")
        .to_text()
        .replace("hint: h", "hint: ");
    let level = Level::parse(&empty_hint).unwrap();
    assert_eq!(check_level(&level)[0].kind, ProblemKind::EmptyHint(1));
}

/// The app previews a hinted line with the engine on the very scenario grading evaluates.
#[test]
fn the_scenario_maps_learner_lines_for_the_engines_analyses() {
    let level = builtin("grant-access");
    let s = keyline_learn::scenario(&level, "role security-admin\n");
    assert_eq!((s.offset, s.checks_from), (5, 8));
    assert_eq!(s.learner_line(6), Some(1));
    assert_eq!(s.learner_line(5), None);
    assert_eq!(s.learner_line(8), None);
    let program = keyline_rules::Program::parse(&s.text);
    let hint = keyline_rules::Statement::parse("kms grant").unwrap();
    let step = keyline_rules::preview(&program, s.scenario_line(2), &hint);
    assert_eq!(step.outcome, Outcome::Ok);
    let step = keyline_rules::preview(&program, s.scenario_line(1), &hint);
    assert_eq!(step.code, Some(Code::NOT_SECURITY_ADMIN));
}
