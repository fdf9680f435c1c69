//! Change review in the app: a Terraform plan pasted into the import panel is previewed as its
//! rebuilt prior state and its planned changes, with what was skipped; inserted, its planned
//! statements are marked in the verdicts; the board shows the audit's findings on the cards
//! they concern and applies their fixes.
// A test that cannot do its part fails with the reason (see components.rs).
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(target_arch = "wasm32")]

use keyline_import::{import, Document};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, HtmlTextAreaElement};

mod common;
use common::{all, mount, one, unmount};

wasm_bindgen_test_configure!(run_in_browser);

const OTHER_PROVIDERS: &str = include_str!("../../tests/terraform/other-providers.json");
const DISK_MOVED: &str = include_str!("../../tests/terraform/disk-moved-key-disabled.json");
const KEY_DESTROYED: &str = include_str!("../../tests/terraform/key-destroyed-detached.json");

fn text(el: &Element) -> String {
    el.text_content().unwrap_or_default()
}

fn click(root: &Element, css: &str) {
    one(root, css)
        .dyn_into::<HtmlElement>()
        .expect("an element")
        .click();
}

/// Opens the import panel and pastes `json` into it.
async fn paste(root: &Element, json: &str) {
    click(root, "[data-import-toggle]");
    yew::scheduler::flush().await;
    let area: HtmlTextAreaElement = one(root, "#import-json").dyn_into().expect("textarea");
    area.set_value(json);
    area.dispatch_event(&web_sys::InputEvent::new("input").expect("event"))
        .expect("input");
    yew::scheduler::flush().await;
}

/// Pastes a plan and inserts it; returns the scenario the importer made of it.
async fn insert_plan(root: &Element, json: &str) -> String {
    paste(root, json).await;
    click(root, "[data-import-insert]");
    yew::scheduler::flush().await;
    import(&[Document::new("pasted text", json)], None)
        .expect("the fixture imports")
        .scenario
}

#[wasm_bindgen_test]
async fn a_pasted_plan_shows_its_prior_state_its_planned_changes_and_what_it_skipped() {
    let imported = import(&[Document::new("pasted text", OTHER_PROVIDERS)], None).unwrap();
    let plan = imported.plan.clone().expect("a plan");
    let (prior, planned) = imported.split();
    let (root, handle) = mount("key create old\n").await;
    paste(&root, OTHER_PROVIDERS).await;

    let prior_part = one(&root, "[data-import-part=\"prior\"]");
    let planned_part = one(&root, "[data-import-part=\"planned\"]");
    assert!(text(&prior_part).contains("Prior state (rebuilt)"));
    assert!(text(&planned_part).contains("Planned changes"));
    assert_eq!(text(&one(&prior_part, "pre")), prior);
    assert_eq!(text(&one(&planned_part, "pre")), planned);
    // The server exists before the plan; the key, its disk and the attachment are planned.
    assert!(prior.contains("server create app-1") && !prior.contains("key create app-key"));
    assert!(planned.contains("key create app-key") && planned.contains("attach app-data app-1"));

    // Every skipped resource, with why.
    let skipped = all(&root, "[data-import-skipped] li[data-skipped]");
    assert_eq!(skipped.len(), plan.skipped.len());
    assert!(skipped.len() >= 6, "{}", skipped.len());
    for (li, s) in skipped.iter().zip(&plan.skipped) {
        assert_eq!(
            li.get_attribute("data-skipped").as_deref(),
            Some(s.address.as_str())
        );
        assert!(text(li).contains(&s.reason), "{}", text(li));
    }
    // The warnings, as the importer wrote them.
    let warnings = all(&root, ".import-warnings li");
    assert_eq!(warnings.len(), imported.warnings.len());
    assert!(text(&warnings[0]).contains(&imported.warnings[0]));
    // API responses keep their one-part preview.
    assert!(all(&root, "[data-import-preview]").is_empty());
    unmount(handle, &root);
}

#[wasm_bindgen_test]
async fn inserted_plan_marks_its_planned_rows_under_a_heading() {
    let (root, handle) = mount("key create old\n").await;
    let scenario = insert_plan(&root, DISK_MOVED).await;
    let editor: HtmlTextAreaElement = one(&root, "#scenario").dyn_into().expect("editor");
    assert_eq!(editor.value(), scenario);

    let report = keyline_rules::evaluate(&scenario);
    let from = report.planned_from.expect("the marker line");
    let rows = all(&root, "ol.steps > li");
    let steps = all(&root, "li.step[data-line]");
    assert_eq!(steps.len(), report.steps.len());
    let mut planned_lines = Vec::new();
    for (el, s) in steps.iter().zip(&report.steps) {
        // SPEC §7's attributes are unchanged; the planned ones carry the marker too.
        assert_eq!(el.get_attribute("data-line"), Some(s.line.to_string()));
        assert_eq!(
            el.get_attribute("data-outcome").as_deref(),
            Some(s.outcome.as_str())
        );
        match el.get_attribute("data-planned").as_deref() {
            Some("true") => planned_lines.push(s.line),
            None => assert!(s.line < from, "line {} after the marker {from}", s.line),
            Some(other) => panic!("data-planned={other}"),
        }
    }
    let expected: Vec<u32> = report
        .steps
        .iter()
        .map(|s| s.line)
        .filter(|l| *l > from)
        .collect();
    assert_eq!(planned_lines, expected);
    assert_eq!(planned_lines.len(), 3, "key disable, detach, attach");
    // One heading, right before the first planned row.
    let headings = all(&root, "[data-planned-heading]");
    assert_eq!(headings.len(), 1);
    assert!(text(&headings[0]).contains("Planned changes"));
    let at = rows
        .iter()
        .position(|r| r.has_attribute("data-planned-heading"))
        .unwrap();
    assert_eq!(
        rows[at + 1].get_attribute("data-planned").as_deref(),
        Some("true")
    );
    assert_eq!(rows[at - 1].get_attribute("data-planned"), None);
    // The planned attach is the one that fails.
    let attach = one(&root, &format!("li.step[data-line=\"{}\"]", expected[2]));
    assert_eq!(
        attach.get_attribute("data-code").as_deref(),
        Some("KEY_UNAVAILABLE")
    );
    unmount(handle, &root);
}

#[wasm_bindgen_test]
async fn a_card_shows_its_findings_and_applies_their_fix() {
    let (root, handle) = mount("key create old\n").await;
    let scenario = insert_plan(&root, KEY_DESTROYED).await;
    let audit = keyline_rules::audit(&keyline_rules::Program::parse(&scenario));
    assert_eq!(audit.findings.len(), 2);
    for f in &audit.findings {
        let card = one(
            &root,
            &format!("article.card[data-resource=\"{}\"]", f.resource),
        );
        let el = one(&card, &format!("[data-finding=\"{}\"]", f.effect.as_str()));
        let shown = text(&el);
        // Words and symbols, the key, the day the data is lost, the engine's sentence and fix.
        assert!(
            shown.contains(keyline_web::components::board::effect_label(f.effect)),
            "{shown}"
        );
        assert!(shown.contains(&format!("key {}", f.key)), "{shown}");
        let day = f.unrecoverable_on.expect("pending deletion");
        assert!(
            shown.contains(&format!("unrecoverable on day {day}")),
            "{shown}"
        );
        assert!(shown.contains(&f.message), "{shown}");
        for line in f.fix.as_ref().expect("a fix") {
            assert!(shown.contains(line.as_str()), "{shown}");
        }
    }
    assert_eq!(
        one(&root, "[data-findings-count]").get_attribute("data-findings-count"),
        Some("2".to_owned())
    );
    // The key shows what depends on it.
    let key = one(
        &root,
        "article.card[data-resource=\"archive-key\"] [data-dependents]",
    );
    assert_eq!(key.get_attribute("data-dependents").as_deref(), Some("2"));
    assert!(text(&key).contains("disk archive-2025"), "{}", text(&key));

    // Apply fix: the engine's statements go at the end, and the findings are gone.
    let disk = one(&root, "article.card[data-resource=\"archive-2025\"]");
    one(&disk, "[data-apply-finding-fix]")
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
    yew::scheduler::flush().await;
    let editor: HtmlTextAreaElement = one(&root, "#scenario").dyn_into().expect("editor");
    let fix = audit.findings[0].fix.clone().unwrap();
    assert!(
        editor.value().ends_with(&format!("{}\n", fix.join("\n"))),
        "{}",
        editor.value()
    );
    assert!(all(&root, "[data-finding]").is_empty());
    assert!(all(&root, "[data-findings-count]").is_empty());
    unmount(handle, &root);
}

#[wasm_bindgen_test]
async fn an_enabled_key_shows_its_exposure() {
    let text_ = "role security-admin\nkms grant\nkey create k\nserver create web\ndisk create d encrypt k\nattach d web\n";
    let audit = keyline_rules::audit(&keyline_rules::Program::parse(text_));
    let (root, handle) = mount(text_).await;
    let exposure = one(&root, "article.card[data-resource=\"k\"] [data-exposure]");
    assert!(
        text(&exposure).contains(&audit.exposure[0].message),
        "{}",
        text(&exposure)
    );
    // An enabled key is no finding.
    assert!(all(&root, "[data-finding]").is_empty());
    unmount(handle, &root);
}
