//! The playground's components mounted in headless Chromium: the step list, the gutter, the
//! board, the lineage graph and the timeline show what the engine reported.
// A test that cannot do its part fails with the reason; clippy.toml's allow-*-in-tests does
// not see #[wasm_bindgen_test] functions (nor the helpers in `common`) as tests.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(target_arch = "wasm32")]

use gloo_storage::{LocalStorage, Storage};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::HtmlInputElement;

mod common;
use common::{all, document, mount, one, sleep, type_text, unmount};

wasm_bindgen_test_configure!(run_in_browser);

const SCENARIO: &str = "title components
role security-admin
kms grant
key create k1
disk create d1 encrypt k1
snapshot create s1 disk d1
disk create d2 from-snapshot s1
server create web
attach d1 web
key disable k1
expect warn KEY_IN_USE
detach d1
attach d1 web
expect d1 health unattachable
disk creat oops
";

#[wasm_bindgen_test]
async fn step_list_gutter_and_board_show_the_report() {
    let report = keyline_rules::evaluate(SCENARIO);
    let (root, handle) = mount(SCENARIO).await;

    // Every statement: data-line, data-outcome, data-code.
    let steps = all(&root, "li.step[data-line]");
    assert_eq!(steps.len(), report.steps.len());
    for (el, s) in steps.iter().zip(&report.steps) {
        assert_eq!(el.get_attribute("data-line"), Some(s.line.to_string()));
        assert_eq!(
            el.get_attribute("data-outcome").as_deref(),
            Some(s.outcome.as_str())
        );
        assert_eq!(
            el.get_attribute("data-code"),
            s.code.map(|c| c.as_str().to_owned())
        );
    }
    // The failing attach carries its fix and a button to apply it.
    let fail = one(&root, "li.step[data-line=\"13\"]");
    assert_eq!(
        fail.get_attribute("data-code").as_deref(),
        Some("KEY_UNAVAILABLE")
    );
    assert!(fail
        .query_selector("[data-apply-fix=\"13\"]")
        .ok()
        .flatten()
        .is_some());
    assert!(fail
        .text_content()
        .unwrap_or_default()
        .contains("key enable k1"));

    // Expectations and the summary.
    let exps = all(&root, "[data-expect-line]");
    assert_eq!(exps.len(), 2);
    assert_eq!(
        one(&root, "[data-summary]").text_content().as_deref(),
        Some("2 passed, 0 failed")
    );

    // The gutter: a mark per line, in words too.
    let g = one(&root, "[data-gutter-line=\"13\"]");
    assert!(g.class_name().contains("mark-fail"), "{}", g.class_name());
    assert!(g
        .get_attribute("title")
        .unwrap_or_default()
        .contains("failed"));
    assert!(one(&root, "[data-gutter-line=\"15\"]")
        .class_name()
        .contains("mark-error"));
    assert_eq!(all(&root, "li[data-error-line=\"15\"]").len(), 1);

    // The board: every resource with its encryption and, for disks, health.
    for d in &report.state.disks {
        let card = one(&root, &format!("[data-resource=\"{}\"]", d.name));
        assert_eq!(
            card.get_attribute("data-encryption").as_deref(),
            Some(d.encryption.as_str())
        );
        assert_eq!(
            card.get_attribute("data-health").as_deref(),
            Some(d.health.as_str())
        );
    }
    assert_eq!(
        one(&root, "[data-resource=\"d1\"]")
            .get_attribute("data-health")
            .as_deref(),
        Some("unattachable")
    );
    assert_eq!(
        one(&root, "[data-resource=\"k1\"]")
            .get_attribute("data-state")
            .as_deref(),
        Some("disabled")
    );
    assert_eq!(
        one(&root, "[data-resource=\"web\"]")
            .get_attribute("data-encryption")
            .as_deref(),
        Some("none")
    );

    unmount(handle, &root);
}

#[wasm_bindgen_test]
async fn lineage_graph_has_the_nodes_and_edges_of_the_provenance() {
    let (root, handle) = mount(SCENARIO).await;
    let node = |kind: &str, name: &str| {
        one(
            &root,
            &format!("g[data-node-kind=\"{kind}\"][data-node-name=\"{name}\"]"),
        )
        .get_attribute("data-node")
        .expect("node id")
    };
    let (k1, d1, s1, d2) = (
        node("key", "k1"),
        node("disk", "d1"),
        node("snapshot", "s1"),
        node("disk", "d2"),
    );
    for (a, b) in [(&k1, &d1), (&d1, &s1), (&s1, &d2)] {
        assert_eq!(
            all(
                &root,
                &format!("path[data-edge-from=\"{a}\"][data-edge-to=\"{b}\"]")
            )
            .len(),
            1,
            "edge {a} → {b}"
        );
    }
    assert_eq!(
        all(&root, "path.edge").len(),
        4,
        "k1→d1, d1→s1, s1→d2, public image→web-sys"
    );
    // Status in words: d1 is unattachable.
    let d1_el = one(&root, &format!("g[data-node=\"{d1}\"]"));
    assert!(d1_el
        .get_attribute("aria-label")
        .unwrap_or_default()
        .contains("unattachable"));
    // Clicking d2 highlights its chain back to the key.
    let d2_el: web_sys::SvgElement = one(&root, &format!("g[data-node=\"{d2}\"]"))
        .dyn_into()
        .expect("svg g");
    d2_el
        .dispatch_event(&web_sys::MouseEvent::new("click").expect("event"))
        .expect("click");
    yew::scheduler::flush().await;
    let on: Vec<String> = all(&root, "g.node.on-chain")
        .iter()
        .filter_map(|e| e.get_attribute("data-node"))
        .collect();
    for id in [&k1, &d1, &s1, &d2] {
        assert!(on.contains(id), "{id} not highlighted: {on:?}");
    }
    assert!(!on.iter().any(|i| i.contains("web-sys")));
    unmount(handle, &root);
}

#[wasm_bindgen_test]
async fn the_timeline_shows_an_earlier_state() {
    let (root, handle) = mount(SCENARIO).await;
    let slider: HtmlInputElement = one(&root, "#timeline").dyn_into().expect("range");
    // After statement 3 (key create k1, line 4): k1 enabled, no disk yet.
    slider.set_value("3");
    slider
        .dispatch_event(&web_sys::InputEvent::new("input").expect("event"))
        .expect("input");
    yew::scheduler::flush().await;
    assert!(one(&root, "#board-title")
        .text_content()
        .unwrap_or_default()
        .contains("time travel"));
    assert_eq!(
        one(&root, "[data-resource=\"k1\"]")
            .get_attribute("data-state")
            .as_deref(),
        Some("enabled")
    );
    assert!(all(&root, "[data-resource=\"d1\"]").is_empty());
    assert!(one(&root, "[data-timeline-label]")
        .text_content()
        .unwrap_or_default()
        .contains("line 4"));
    // The statements after it are dimmed.
    assert!(one(&root, "li.step[data-line=\"5\"]")
        .class_name()
        .contains("future"));
    assert!(!one(&root, "li.step[data-line=\"4\"]")
        .class_name()
        .contains("future"));
    // Back to live.
    slider.set_value(&keyline_rules::evaluate(SCENARIO).steps.len().to_string());
    slider
        .dispatch_event(&web_sys::InputEvent::new("input").expect("event"))
        .expect("input");
    yew::scheduler::flush().await;
    assert_eq!(
        one(&root, "[data-resource=\"k1\"]")
            .get_attribute("data-state")
            .as_deref(),
        Some("disabled")
    );
    assert!(!all(&root, "[data-resource=\"d1\"]").is_empty());
    assert!(!one(&root, "#board-title")
        .text_content()
        .unwrap_or_default()
        .contains("time travel"));
    unmount(handle, &root);
}

#[wasm_bindgen_test]
async fn import_panel_previews_and_inserts_a_scenario() {
    let (root, handle) = mount("key create old\n").await;
    let toggle: web_sys::HtmlElement = one(&root, "[data-import-toggle]")
        .dyn_into()
        .expect("button");
    toggle.click();
    yew::scheduler::flush().await;
    let area: web_sys::HtmlTextAreaElement =
        one(&root, "#import-json").dyn_into().expect("textarea");
    let json = concat!(
        include_str!("../../tests/import/account-kms.json"),
        "\n",
        include_str!("../../tests/import/account-evs.json")
    );
    area.set_value(json);
    area.dispatch_event(&web_sys::InputEvent::new("input").expect("event"))
        .expect("input");
    yew::scheduler::flush().await;
    let preview = one(&root, "[data-import-preview]")
        .text_content()
        .unwrap_or_default();
    assert!(
        preview.contains("kms grant") && preview.contains("disk create"),
        "{preview}"
    );
    let insert: web_sys::HtmlElement = one(&root, "[data-import-insert]")
        .dyn_into()
        .expect("button");
    insert.click();
    yew::scheduler::flush().await;
    let editor: web_sys::HtmlTextAreaElement = one(&root, "#scenario").dyn_into().expect("editor");
    assert_eq!(editor.value(), preview);
    // The imported scenario rebuilds the account without a failing statement.
    assert!(all(&root, "li.step[data-outcome=\"fail\"]").is_empty());
    assert!(!all(&root, "li.step[data-line]").is_empty());
    // A document of no known shape says so.
    one(&root, "[data-import-toggle]")
        .dyn_into::<web_sys::HtmlElement>()
        .expect("button")
        .click();
    yew::scheduler::flush().await;
    let area: web_sys::HtmlTextAreaElement =
        one(&root, "#import-json").dyn_into().expect("textarea");
    area.set_value("{\"hello\": 1}");
    area.dispatch_event(&web_sys::InputEvent::new("input").expect("event"))
        .expect("input");
    yew::scheduler::flush().await;
    assert!(!one(&root, "[data-import-error]")
        .text_content()
        .unwrap_or_default()
        .is_empty());
    unmount(handle, &root);
}

#[wasm_bindgen_test]
async fn a_long_scenario_shows_every_row_in_chunks_and_draws_the_graph_on_request() {
    let text = keyline_rules::generate::workload(1_700);
    let report = keyline_rules::evaluate(&text);
    let resources = keyline_web::components::graph::resource_count(&report.state);
    assert!(report.steps.len() > 1_000, "{} steps", report.steps.len());
    assert!(
        resources > keyline_web::components::graph::AUTO_DRAW_LIMIT,
        "{resources}"
    );
    let (root, handle) = mount(&text).await;

    // The first chunk at once, then every row, in order, a chunk per task.
    let first = all(&root, "li.step[data-line]").len();
    assert!(first > 0 && first < report.steps.len(), "{first}");
    let mut shown = first;
    for _ in 0..200 {
        if shown == report.steps.len() {
            break;
        }
        sleep(10).await;
        yew::scheduler::flush().await;
        shown = all(&root, "li.step[data-line]").len();
    }
    let lines: Vec<String> = all(&root, "li.step[data-line]")
        .iter()
        .filter_map(|e| e.get_attribute("data-line"))
        .collect();
    let expected: Vec<String> = report.steps.iter().map(|s| s.line.to_string()).collect();
    assert_eq!(lines, expected);
    assert_eq!(
        all(&root, "li.expect[data-expect-line]").len(),
        report.expectations.len()
    );

    // The graph waits for a click, then shows every node of the lineage.
    assert!(all(&root, "[data-node]").is_empty());
    let draw = one(&root, "button[data-draw-graph]");
    draw.dyn_ref::<web_sys::HtmlElement>()
        .expect("a button")
        .click();
    yew::scheduler::flush().await;
    let lineage = keyline_rules::lineage(&keyline_rules::Program::parse(&text), None);
    assert_eq!(all(&root, "[data-node]").len(), lineage.nodes.len());
    unmount(handle, &root);
}

#[wasm_bindgen_test]
async fn typing_saves_at_once_and_keeps_history_when_it_pauses() {
    use keyline_web::storage::{history, HISTORY_KEY, SCENARIO_KEY};
    LocalStorage::delete(HISTORY_KEY);
    let (root, handle) = mount("key create k1\n").await;
    let typed = "title typed\nkey create k1\nkey create k2\n";
    type_text(&root, typed);
    yew::scheduler::flush().await;
    // The scenario is saved at once; history waits for a pause in typing.
    assert_eq!(
        LocalStorage::get::<String>(SCENARIO_KEY).ok().as_deref(),
        Some(typed)
    );
    assert!(history().iter().all(|v| v.text != typed));
    let more = format!("{typed}key create k3\n");
    type_text(&root, &more);
    yew::scheduler::flush().await;
    sleep(1_300).await;
    let h = history();
    assert_eq!(h.first().map(|v| v.text.as_str()), Some(more.as_str()));
    assert_eq!(h.first().map(|v| v.title.as_str()), Some("typed"));
    unmount(handle, &root);
}

#[wasm_bindgen_test]
async fn a_very_long_scenario_is_plain_text_in_a_screen_high_editor() {
    let text = "key create k1\n".repeat(3_500);
    let (root, handle) = mount(&text).await;
    let area = one(&root, "textarea#scenario")
        .dyn_into::<web_sys::HtmlTextAreaElement>()
        .expect("a textarea");
    // The whole text is there to edit, in a box that scrolls itself; no gutter, no overlay.
    assert_eq!(area.value(), text);
    assert_eq!(area.get_attribute("rows").as_deref(), Some("30"));
    assert!(all(&root, ".gutter-line").is_empty());
    assert!(all(&root, ".hl-line").is_empty());
    assert!(one(&root, "#editor-help")
        .text_content()
        .unwrap_or_default()
        .contains("very long"));
    // Typing still re-evaluates.
    type_text(&root, "key create k1\nexpect k1 state disabled\n");
    yew::scheduler::flush().await;
    assert_eq!(
        one(&root, "[data-summary]").text_content().as_deref(),
        Some("0 passed, 1 failed")
    );
    assert!(
        !all(&root, ".gutter-line").is_empty(),
        "short text is decorated again"
    );
    unmount(handle, &root);
}

#[wasm_bindgen_test]
async fn opening_the_attach_picker_moves_the_focus_to_its_server_list() {
    let text = "role security-admin\nkms grant\nserver create web\ndisk create d1\n";
    let (root, handle) = mount(text).await;
    let open = one(
        &root,
        r#"article[data-resource="d1"] .attach button.attach-open"#,
    );
    open.dyn_ref::<web_sys::HtmlElement>()
        .expect("a button")
        .click();
    yew::scheduler::flush().await;
    let select = one(&root, r#"article[data-resource="d1"] .attach select"#);
    let focused = document()
        .active_element()
        .expect("something has the focus");
    assert_eq!(focused, select);
    let options: Vec<String> = all(&root, r#"article[data-resource="d1"] .attach option"#)
        .iter()
        .filter_map(|o| o.get_attribute("value"))
        .collect();
    assert_eq!(options, vec!["web".to_owned()]);
    unmount(handle, &root);
}

#[wasm_bindgen_test]
async fn a_quick_action_shows_the_engines_preview_and_inserts_its_statement() {
    let text = "role security-admin\nkms grant\nkey create k1\nserver create web\n\
                disk create d1 encrypt k1\nattach d1 web\n";
    let (root, handle) = mount(text).await;
    let buttons = all(&root, r#"article[data-resource="k1"] .actions button"#);
    let disable = buttons
        .iter()
        .find(|b| b.text_content().as_deref() == Some("Disable"))
        .expect("a Disable button")
        .dyn_ref::<web_sys::HtmlElement>()
        .expect("a button")
        .clone();
    assert_eq!(
        disable.get_attribute("title").as_deref(),
        Some("key disable k1")
    );
    // Focus shows the engine's verdict for the line where it would go.
    disable.focus().expect("focus");
    yew::scheduler::flush().await;
    let hint = one(&root, r#"article[data-resource="k1"] [data-verdict]"#);
    assert_eq!(hint.get_attribute("data-verdict").as_deref(), Some("warn"));
    let words = hint.text_content().unwrap_or_default();
    assert!(
        words.contains("KEY_IN_USE") && words.contains("d1"),
        "{words}"
    );
    // Leaving hides it.
    disable.blur().expect("blur");
    yew::scheduler::flush().await;
    assert!(all(&root, "[data-verdict]").is_empty());
    // Clicking inserts the statement, which the engine judges as previewed.
    disable.click();
    yew::scheduler::flush().await;
    let step = one(&root, r#"[data-line="7"][data-outcome]"#);
    assert_eq!(step.get_attribute("data-outcome").as_deref(), Some("warn"));
    assert_eq!(
        step.get_attribute("data-code").as_deref(),
        Some("KEY_IN_USE")
    );
    unmount(handle, &root);
}

#[wasm_bindgen_test]
async fn a_dropped_file_is_read_into_the_import_panel() {
    let (root, handle) = mount("key create old\n").await;
    one(&root, "[data-import-toggle]")
        .dyn_into::<web_sys::HtmlElement>()
        .expect("button")
        .click();
    yew::scheduler::flush().await;
    let json = include_str!("../../tests/import/account-kms.json");
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(json));
    let file = web_sys::File::new_with_str_sequence(&parts, "kms.json").expect("a file");
    let transfer = web_sys::DataTransfer::new().expect("a data transfer");
    transfer.items().add_with_file(&file).expect("added");
    let init = web_sys::DragEventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_data_transfer(Some(&transfer));
    let drop = web_sys::DragEvent::new_with_event_init_dict("drop", &init).expect("an event");
    one(&root, ".import.panel")
        .dispatch_event(&drop)
        .expect("dispatched");
    // The file is read in a later task; wait for its text to reach the panel.
    let mut preview = String::new();
    for _ in 0..200 {
        yew::scheduler::flush().await;
        if let Ok(Some(p)) = root.query_selector("[data-import-preview]") {
            preview = p.text_content().unwrap_or_default();
            break;
        }
        sleep(5).await;
    }
    assert!(preview.contains("key create"), "{preview}");
    let area: web_sys::HtmlTextAreaElement =
        one(&root, "#import-json").dyn_into().expect("textarea");
    assert_eq!(area.value(), json);
    unmount(handle, &root);
}
