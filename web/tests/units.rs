//! The web crate's helpers that need the browser's types (the reducer, the editor's marks);
//! the authoring logic is tested natively (`cargo test -p keyline-web --lib`).
// A test that cannot do its part fails with the reason; clippy.toml's allow-*-in-tests does
// not see #[wasm_bindgen_test] functions (nor the helpers in `common`) as tests.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(target_arch = "wasm32")]

use keyline_web::components::editor::{byte_offset, marks, Mark};
use keyline_web::embed::{EmbedOptions, View};
use keyline_web::state::{Action, AppState, Origin, MAX_SCENARIO_BYTES};
use std::rc::Rc;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use yew::Reducible;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn utf16_offsets_become_byte_offsets() {
    assert_eq!(byte_offset("aé😀b", 0), 0);
    assert_eq!(byte_offset("aé😀b", 2), 3);
    assert_eq!(byte_offset("aé😀b", 4), 7);
    assert_eq!(byte_offset("ab", 9), 2);
}

#[wasm_bindgen_test]
fn embed_options() {
    assert_eq!(EmbedOptions::parse(""), EmbedOptions::default());
    let o = EmbedOptions::parse("?embed=1&view=graph&readonly=1");
    assert!(o.embed && o.readonly);
    assert_eq!(o.view, View::Graph);
    assert_eq!(EmbedOptions::parse("?embed=0&view=x").view, View::Verdicts);
    assert!(!EmbedOptions::parse("?embed=0").embed);
}

#[wasm_bindgen_test]
fn gutter_marks_every_kind_of_line() {
    let r = keyline_rules::evaluate("key create k\nexpect ok\nkey enable k\nexpect ok\nbogus\n\n");
    let m = marks(&r, 7, 0);
    assert_eq!(m[0], Mark::Statement(keyline_rules::Outcome::Ok));
    assert_eq!(m[1], Mark::Expect(true));
    assert_eq!(m[2], Mark::Statement(keyline_rules::Outcome::Fail));
    assert_eq!(m[3], Mark::Expect(false));
    assert_eq!(m[4], Mark::Error);
    assert_eq!(m[5], Mark::None);
    // Every mark says what it is in words, not only in colour.
    for mark in &m[..5] {
        assert!(!mark.label().1.is_empty());
    }
}

#[wasm_bindgen_test]
fn a_scenario_over_the_limit_is_refused_and_the_text_kept() {
    let start = Rc::new(AppState::new("key create k1\n", Origin::Edit));
    let huge = "key create k2\n".repeat(MAX_SCENARIO_BYTES / 14 + 1);
    for action in [
        Action::Edit(huge.clone()),
        Action::Load(huge.clone(), Origin::Link),
    ] {
        let s = start.clone().reduce(action);
        assert_eq!(&*s.text, "key create k1\n");
        assert_eq!(s.report.steps.len(), 1);
        assert_eq!(
            s.revision,
            start.revision + 1,
            "the editor re-syncs to the kept text"
        );
        let notice = s.notice.clone().expect("a notice");
        assert!(notice.alert);
        assert!(notice.text.contains("larger than 8 MB"), "{}", notice.text);
    }
    // Just under the limit is taken.
    let under = "key create k2\n".repeat(MAX_SCENARIO_BYTES / 14 - 1);
    let s = start.clone().reduce(Action::Edit(under.clone()));
    assert_eq!(s.text.len(), under.len());
    assert!(s.notice.is_none());
}
