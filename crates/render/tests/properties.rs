//! The renderer never panics and always writes balanced markup, whatever the text.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use keyline_render::{render_page, render_scenario, RenderOptions, Stylesheet, View};
use proptest::prelude::*;

/// Scenario-like text: keywords, names, markup, bidi controls, line ends, any character.
fn scenario_text() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        Just("key".to_owned()),
        Just("create".to_owned()),
        Just("disk".to_owned()),
        Just("encrypt".to_owned()),
        Just("expect".to_owned()),
        Just("ok".to_owned()),
        Just("title".to_owned()),
        Just("server".to_owned()),
        Just("attach".to_owned()),
        Just("snapshot".to_owned()),
        Just("k1".to_owned()),
        Just("d1".to_owned()),
        Just("<b>&'\"".to_owned()),
        Just("\u{202e}".to_owned()),
        Just("#".to_owned()),
        Just("\n".to_owned()),
        Just("\r\n".to_owned()),
        any::<String>(),
    ];
    prop::collection::vec(word, 0..40).prop_map(|w| w.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_and_stays_well_formed(text in scenario_text(), view in 0u8..3) {
        let view = [View::Code, View::Board, View::Graph][usize::from(view)];
        let opts = RenderOptions { view, app_url: Some("https://k.example/".into()) };
        let r = render_scenario(&text, &opts);
        common::check_markup(&r.html, false);
        let page = render_page(&text, &opts, Stylesheet::Embedded);
        common::check_markup(&page, true);
    }

    /// On random valid scenarios (the engine's generator), every statement and expectation
    /// line carries the engine's verdict, and the board every resource.
    #[test]
    fn random_scenarios_carry_the_engines_verdicts(seed in any::<u64>()) {
        let text = keyline_rules::generate::random(seed, 50);
        let report = keyline_rules::evaluate(&text);
        let r = render_scenario(&text, &RenderOptions { view: View::Board, app_url: None });
        let tags = common::check_markup(&r.html, false);
        let steps: Vec<(u32, String, Option<String>)> = tags
            .iter()
            .filter_map(|t| {
                let line = t.attrs.get("data-line")?.parse().ok()?;
                Some((line, t.attrs["data-outcome"].clone(), t.attrs.get("data-code").cloned()))
            })
            .collect();
        let want: Vec<(u32, String, Option<String>)> = report
            .steps
            .iter()
            .map(|s| (s.line, s.outcome.as_str().to_owned(), s.code.map(|c| c.as_str().to_owned())))
            .collect();
        prop_assert_eq!(steps, want);
        let expects = tags.iter().filter(|t| t.attrs.contains_key("data-expect-line")).count();
        prop_assert_eq!(expects, report.expectations.len());
        let resources = tags.iter().filter(|t| t.attrs.contains_key("data-resource")).count();
        prop_assert_eq!(resources, report.state.names().count());
    }

    #[test]
    fn any_characters(text in any::<String>()) {
        let r = render_scenario(&text, &RenderOptions::default());
        common::check_markup(&r.html, false);
    }
}
