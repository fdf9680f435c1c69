//! Parsing and grading never panic, whatever the level file or the learner's text.

use keyline_learn::{
    check_level, differences, goal_state, grade, level_from_scenario, unpack, Level, Progress,
    SOURCES,
};
use proptest::prelude::*;

fn cfg(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Lines that look like a level's or a scenario's, mixed with noise.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "id: x",
            "title: T",
            "chapter: C",
            "rules: R-SNAP",
            "rules: R-",
            "quote: 000 q",
            "quote: 003",
            "intro:",
            "goal: g",
            "hint: h",
            "hint:",
            "constraint: at-most 1",
            "constraint: must-use key enable",
            "constraint: must-not-use",
            "start:",
            "checks:",
            "solution:",
            "key create k1",
            "disk create d1 encrypt k1",
            "expect d1 encrypted k1",
            "expect ok",
            "attach d1 s1",
            "server create s1",
            "wait 7",
            "key schedule-deletion k1 7",
            "disk delete d1",
            "kms grant",
            "role security-admin",
            "# c",
            "",
            "start: x",
        ])
        .prop_map(str::to_owned),
        "[ -~]{0,30}",
        "\\PC{0,12}",
        Just("\u{202e}evil\u{feff}\r".to_owned()),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(line(), 0..24).prop_map(|v| v.join("\n"))
}

proptest! {
    #![proptest_config(cfg(128))]

    #[test]
    fn parsing_a_level_never_panics(t in text()) {
        if let Ok(level) = Level::parse(&t) {
            let again = Level::parse(&level.to_text());
            prop_assert!(again.is_ok(), "{:?}", again);
            let _ = check_level(&level);
        }
    }

    #[test]
    fn grading_never_panics(i in 0..SOURCES.len(), learner in text()) {
        let level = Level::parse(SOURCES[i].1).unwrap();
        let g = grade(&level, &learner);
        let lines = u32::try_from(learner.split('\n').count()).unwrap();
        prop_assert!(g.steps.iter().all(|s| s.line >= 1 && s.line <= lines));
        prop_assert!(g.errors.iter().all(|e| e.line >= 1 && e.line <= lines));
        prop_assert_eq!(g.checks.len(), level.checks.len());
        let _ = differences(g.state(), &goal_state(&level));
    }

    #[test]
    fn drafts_packs_and_progress_never_panic(t in text(), caret in 0u32..40, junk in "[A-Za-z0-9_-]{0,200}") {
        let draft = level_from_scenario(&t, caret);
        prop_assert!(draft.contains("solution:"));
        let _ = unpack(&junk);
        let _ = Progress::from_json(&t);
    }
}
