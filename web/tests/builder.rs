//! The "Add step" palette and the examples gallery, in headless Chromium: the builder's forms
//! offer the right names, show the engine's verdict on their line and insert it into the
//! editor, where the same verdict appears; every example loads and passes. The forms' lines,
//! fresh names and previews are tested natively (`cargo test -p keyline-web --lib`).
// A test that cannot do its part fails with the reason; clippy.toml's allow-*-in-tests does
// not see #[wasm_bindgen_test] functions (nor the helpers in `common`) as tests.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(target_arch = "wasm32")]

use keyline_rules::{Code, RuleId};
use keyline_web::components::builder::Builder;
use keyline_web::components::examples::{title_of, EXAMPLES};
use keyline_web::{Action, AppState, Origin};
use std::collections::{BTreeSet, HashSet};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;
use yew::Renderer;

mod common;
use common::{all, document, mount, one, sleep, unmount};

wasm_bindgen_test_configure!(run_in_browser);

fn editor_text(root: &Element) -> String {
    one(root, "textarea#scenario")
        .unchecked_into::<HtmlTextAreaElement>()
        .value()
}

fn preview(root: &Element) -> String {
    one(root, "code[data-builder-preview]")
        .text_content()
        .unwrap_or_default()
}

/// The builder's verdict on its line: the outcome word and the sentence. The engine's preview
/// comes in the task after the render (the verdicts of an edit first), and is never shown for
/// an older line, so the first one that appears is this line's.
async fn verdict(root: &Element) -> (String, String) {
    for _ in 0..200 {
        if let Ok(Some(el)) = root.query_selector(".builder [data-verdict]") {
            return (
                el.get_attribute("data-verdict").unwrap_or_default(),
                el.text_content().unwrap_or_default(),
            );
        }
        sleep(5).await;
        yew::scheduler::flush().await;
    }
    panic!("no verdict for {}", preview(root));
}

/// Picks `value` in the select `#id` as a user would.
async fn choose(root: &Element, id: &str, value: &str) {
    let select = one(root, &format!("select#{id}")).unchecked_into::<HtmlSelectElement>();
    let options: Vec<String> = (0..select.length())
        .filter_map(|i| select.item(i))
        .filter_map(|o| o.get_attribute("value"))
        .collect();
    assert!(
        options.iter().any(|o| o == value),
        "#{id} does not offer {value:?}: {options:?}"
    );
    select.set_value(value);
    select
        .dispatch_event(&web_sys::Event::new("change").expect("event"))
        .expect("dispatch");
    yew::scheduler::flush().await;
}

/// Types `value` into the input `#id`.
async fn type_into(root: &Element, id: &str, value: &str) {
    let input = one(root, &format!("input#{id}")).unchecked_into::<HtmlInputElement>();
    input.set_value(value);
    input
        .dispatch_event(&web_sys::InputEvent::new("input").expect("event"))
        .expect("dispatch");
    yew::scheduler::flush().await;
}

async fn click(root: &Element, css: &str) {
    one(root, css).unchecked_into::<HtmlElement>().click();
    yew::scheduler::flush().await;
}

/// Whether the "Add step" button is disabled.
fn add_disabled(root: &Element) -> bool {
    one(root, "button[data-builder-add]").has_attribute("disabled")
}

/// Every field of the shown form has a label pointing at it.
fn assert_labelled(root: &Element) {
    for control in all(root, ".builder input, .builder select") {
        let id = control.id();
        assert!(!id.is_empty(), "a builder control has no id");
        assert_eq!(
            all(root, &format!("label[for=\"{id}\"]")).len(),
            1,
            "no label for #{id}"
        );
    }
}

fn outcome_of(root: &Element, line: usize) -> Option<String> {
    root.query_selector(&format!("[data-line=\"{line}\"][data-outcome]"))
        .ok()
        .flatten()
        .and_then(|e| e.get_attribute("data-outcome"))
}

const START: &str = "role security-admin\nkms grant\n";

#[wasm_bindgen_test]
async fn the_builder_inserts_a_line_and_its_verdict_appears() {
    let (root, handle) = mount(START).await;
    assert_labelled(&root);

    // key create: a fresh name, inserted at the end; the next name is fresh again.
    choose(&root, "builder-statement", "key-create").await;
    assert_labelled(&root);
    assert_eq!(preview(&root), "key create k1");
    assert_eq!(verdict(&root).await.0, "ok");
    assert!(!add_disabled(&root));
    click(&root, "button[data-builder-add]").await;
    assert_eq!(editor_text(&root), format!("{START}key create k1\n"));
    assert_eq!(outcome_of(&root, 3).as_deref(), Some("ok"));
    assert_eq!(preview(&root), "key create k2");
    // A name in use: the engine's preview says the step will fail, naming the code.
    type_into(&root, "builder-name", "k1").await;
    let (outcome, text) = verdict(&root).await;
    assert_eq!(outcome, "fail");
    assert!(text.contains("NAME_TAKEN"), "{text}");
    type_into(&root, "builder-name", "evs/default").await;
    assert!(verdict(&root).await.1.contains("RESERVED_NAME"));

    // disk create with a typed name, encrypted with the key just made.
    choose(&root, "builder-statement", "disk-create").await;
    assert_labelled(&root);
    assert_eq!(preview(&root), "disk create d1");
    type_into(&root, "builder-name", "data1").await;
    choose(&root, "builder-encrypt", "k1").await;
    assert_eq!(preview(&root), "disk create data1 encrypt k1");
    click(&root, "button[data-builder-add]").await;
    assert!(editor_text(&root).ends_with("key create k1\ndisk create data1 encrypt k1\n"));
    assert_eq!(outcome_of(&root, 4).as_deref(), Some("ok"));

    // server create: from the public image by default.
    choose(&root, "builder-statement", "server-create").await;
    assert_eq!(preview(&root), "server create web");
    click(&root, "button[data-builder-add]").await;
    assert_eq!(outcome_of(&root, 5).as_deref(), Some("ok"));

    // attach: only detached disks; "as system" only offers stopped servers.
    choose(&root, "builder-statement", "attach").await;
    assert_labelled(&root);
    let disks: Vec<String> = all(&root, "select#builder-disk option")
        .iter()
        .filter_map(|o| o.get_attribute("value"))
        .collect();
    assert_eq!(disks, vec!["data1".to_owned()], "web-sys is attached");
    assert_eq!(preview(&root), "attach data1 web");
    click(&root, "input#builder-as-system").await;
    assert!(add_disabled(&root), "web is running");
    assert!(one(&root, "[data-builder-empty]")
        .text_content()
        .unwrap_or_default()
        .contains("stopped"));
    click(&root, "input#builder-as-system").await;
    assert!(!add_disabled(&root));
    click(&root, "button[data-builder-add]").await;
    assert!(editor_text(&root).ends_with("attach data1 web\n"));
    assert_eq!(outcome_of(&root, 6).as_deref(), Some("ok"));

    // key disable warns; the expect form preselects what happened, and passes.
    choose(&root, "builder-statement", "key-disable").await;
    assert_eq!(preview(&root), "key disable k1");
    let (outcome, text) = verdict(&root).await;
    assert_eq!(outcome, "warn");
    assert!(
        text.contains("KEY_IN_USE") && text.contains("data1"),
        "{text}"
    );
    click(&root, "button[data-builder-add]").await;
    assert_eq!(outcome_of(&root, 7).as_deref(), Some("warn"));
    choose(&root, "builder-statement", "expect-outcome").await;
    assert_labelled(&root);
    assert_eq!(preview(&root), "expect warn KEY_IN_USE");
    click(&root, "button[data-builder-add]").await;
    assert!(editor_text(&root).ends_with("key disable k1\nexpect warn KEY_IN_USE\n"));
    let exp = one(&root, "[data-expect-line=\"8\"]");
    assert_eq!(exp.get_attribute("data-passed").as_deref(), Some("true"));

    // detach: only attached disks.
    choose(&root, "builder-statement", "detach").await;
    let disks: Vec<String> = all(&root, "select#builder-disk option")
        .iter()
        .filter_map(|o| o.get_attribute("value"))
        .collect();
    assert_eq!(disks, vec!["data1".to_owned(), "web-sys".to_owned()]);
    choose(&root, "builder-disk", "data1").await;
    assert_eq!(preview(&root), "detach data1");
    click(&root, "button[data-builder-add]").await;
    let step = one(&root, "[data-line=\"9\"][data-outcome]");
    assert_eq!(step.get_attribute("data-outcome").as_deref(), Some("warn"));
    assert_eq!(
        step.get_attribute("data-code").as_deref(),
        Some("REATTACH_WILL_FAIL")
    );

    unmount(handle, &root);
}

#[wasm_bindgen_test]
async fn as_system_offers_stopped_servers_and_enter_adds() {
    let text =
        "server create web\nserver create db\nserver stop db\ndetach db-sys\ndisk create boot\n";
    let (root, handle) = mount(text).await;
    choose(&root, "builder-statement", "attach").await;
    click(&root, "input#builder-as-system").await;
    let servers: Vec<String> = all(&root, "select#builder-server option")
        .iter()
        .filter_map(|o| o.get_attribute("value"))
        .collect();
    assert_eq!(servers, vec!["db".to_owned()]);
    choose(&root, "builder-disk", "boot").await;
    assert_eq!(preview(&root), "attach boot db as system");

    // Submitting the form (Enter in a field) adds the step too.
    let form = one(&root, "form.builder-form");
    form.dispatch_event(&web_sys::SubmitEvent::new("submit").expect("event"))
        .expect("dispatch");
    yew::scheduler::flush().await;
    assert_eq!(
        editor_text(&root),
        format!("{text}attach boot db as system\n")
    );
    assert_eq!(outcome_of(&root, 6).as_deref(), Some("ok"));

    // An invalid name blocks adding; nothing is inserted.
    choose(&root, "builder-statement", "snapshot-create").await;
    type_into(&root, "builder-name", "bad name").await;
    assert!(add_disabled(&root));
    let before = editor_text(&root);
    form.dispatch_event(&web_sys::SubmitEvent::new("submit").expect("event"))
        .expect("dispatch");
    yew::scheduler::flush().await;
    assert_eq!(editor_text(&root), before);

    unmount(handle, &root);
}

#[wasm_bindgen_test]
async fn the_examples_gallery_loads_a_scenario() {
    let (root, handle) = mount(START).await;
    let entries = all(&root, "[data-example]");
    assert!(entries.len() >= 8, "{} examples", entries.len());
    assert_eq!(entries.len(), EXAMPLES.len());
    for (el, ex) in entries.iter().zip(EXAMPLES) {
        assert_eq!(el.get_attribute("data-example").as_deref(), Some(ex.id));
        assert!(el.text_content().unwrap_or_default().contains(ex.title));
    }
    assert!(one(&root, "details.examples summary")
        .text_content()
        .unwrap_or_default()
        .contains("Examples"));

    click(&root, "details.examples summary").await;
    click(&root, "[data-example=\"03-default-key\"]").await;
    let ex = EXAMPLES
        .iter()
        .find(|e| e.id == "03-default-key")
        .expect("example");
    assert_eq!(editor_text(&root), ex.text);
    assert_eq!(
        one(&root, "[data-summary]").text_content().as_deref(),
        Some("5 passed, 0 failed")
    );
    assert!(!one(&root, "details.examples").has_attribute("open"));

    click(&root, "[data-example=\"07-deletion-goes-through\"]").await;
    assert!(editor_text(&root).starts_with("title Scheduled deletion that goes through"));

    unmount(handle, &root);
}

#[wasm_bindgen_test]
fn every_example_passes_and_together_they_show_every_rule() {
    assert!(EXAMPLES.len() >= 8);
    let mut ids = BTreeSet::new();
    let mut rules = HashSet::new();
    let mut codes = BTreeSet::new();
    for ex in EXAMPLES {
        assert!(ids.insert(ex.id), "duplicate id {}", ex.id);
        let report = keyline_rules::evaluate(ex.text);
        assert!(report.errors.is_empty(), "{}: {:?}", ex.id, report.errors);
        assert_eq!(
            report.summary.failed, 0,
            "{}: {:?}",
            ex.id, report.expectations
        );
        assert!(report.summary.passed > 0, "{} checks nothing", ex.id);
        assert_eq!(report.title.as_deref(), Some(ex.title), "{}", ex.id);
        assert!(!ex.summary.is_empty());
        rules.extend(report.steps.iter().map(|s| s.rule));
        codes.extend(report.steps.iter().filter_map(|s| s.code));
    }
    for code in Code::ALL {
        assert!(codes.contains(code), "no example shows {}", code.as_str());
    }
    // R-RESTORE is shown by re-attaching after `key enable` (02, 06): that attach cites R-ATTACH.
    for rule in RuleId::ALL.iter().filter(|r| **r != RuleId::Restore) {
        assert!(rules.contains(rule), "no example cites {}", rule.as_str());
    }
}

#[wasm_bindgen_test]
fn titles_come_from_the_title_line() {
    assert_eq!(
        title_of("title  Hello world  \nkms grant\n", "x"),
        "Hello world"
    );
    assert_eq!(title_of("# c\n\ttitle A # note\r\n", "x"), "A");
    assert_eq!(title_of("kms grant\n", "x"), "x");
    assert_eq!(title_of("titled nope\n", "x"), "x");
    assert_eq!(title_of("", "x"), "x");
}

#[derive(Properties, PartialEq)]
struct WrapProps {
    text: &'static str,
    caret: u32,
}

/// The builder over its own reducer, with the caret on a line.
#[component]
fn Wrap(props: &WrapProps) -> Html {
    let text = props.text;
    let state = use_reducer(move || AppState::new(text, Origin::Edit));
    {
        let d = state.dispatcher();
        let caret = props.caret;
        use_effect_with((), move |_| d.dispatch(Action::Cursor(caret)));
    }
    html! {
        <>
            <pre data-text="">{ state.text.to_string() }</pre>
            <Builder report={state.report.clone()} dispatch={state.dispatcher()}
                program={state.program.clone()} cursor_line={state.cursor_line} />
        </>
    }
}

#[wasm_bindgen_test]
async fn with_the_caret_on_a_line_the_forms_use_the_state_there() {
    let text = "key create k1\ndisk create d1\ndisk delete d1\nkey create k2\n";
    let root = document().create_element("div").expect("div");
    document()
        .body()
        .expect("body")
        .append_child(&root)
        .expect("attach");
    let handle =
        Renderer::<Wrap>::with_root_and_props(root.clone(), WrapProps { text, caret: 2 }).render();
    yew::scheduler::flush().await;

    // Fresh names avoid the names used anywhere in the text.
    choose(&root, "builder-statement", "key-create").await;
    assert_eq!(preview(&root), "key create k3");
    choose(&root, "builder-statement", "disk-create").await;
    assert_eq!(preview(&root), "disk create d2");
    // The expectation is about the statement on the caret's line.
    choose(&root, "builder-statement", "expect-outcome").await;
    assert_eq!(preview(&root), "expect ok");
    // d1 exists at the caret (it is deleted later): it is offered, and the line goes there.
    choose(&root, "builder-statement", "disk-delete").await;
    assert_eq!(preview(&root), "disk delete d1");
    click(&root, "button[data-builder-add]").await;
    assert_eq!(
        one(&root, "pre[data-text]").text_content().as_deref(),
        Some("key create k1\ndisk create d1\ndisk delete d1\ndisk delete d1\nkey create k2\n")
    );
    assert!(one(&root, ".builder-status")
        .text_content()
        .unwrap_or_default()
        .contains("disk delete d1"));

    handle.destroy();
    root.remove();
}
