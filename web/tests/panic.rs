//! The panic panel and the save the panic hook makes (web/src/panic.rs), in headless Chromium.
//!
//! A panic in the release build aborts the WebAssembly instance, so a test cannot panic and
//! then look: these tests call what the hook calls (`handle_panic`, `save_scenario`,
//! `show_panel`) directly. web/tests/panic_hook.rs checks the installed hook on a real panic,
//! and tests/e2e/tests/hostile.rs makes the release build itself panic.
// A test that cannot do its part fails with the reason; clippy.toml's allow-*-in-tests does
// not see #[wasm_bindgen_test] functions (nor the helpers in `common`) as tests.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(target_arch = "wasm32")]

use keyline_web::panic;

use gloo_storage::{LocalStorage, Storage};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Document, Element, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

fn panels() -> Vec<Element> {
    let list = document()
        .query_selector_all("[data-panic-panel]")
        .expect("a valid selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .collect()
}

/// Removes what a test added: panels, the editor, storage, the fragment.
fn reset() {
    for p in panels() {
        p.remove();
    }
    if let Some(e) = document().get_element_by_id("scenario") {
        e.remove();
    }
    LocalStorage::clear();
    let _ = web_sys::window()
        .expect("a window")
        .history()
        .expect("history")
        .replace_state_with_url(&JsValue::NULL, "", Some("#"));
}

/// An editor like the app's: `<textarea id="scenario">` holding `text`.
fn editor(text: &str) {
    let area = document()
        .create_element("textarea")
        .expect("a textarea")
        .dyn_into::<HtmlTextAreaElement>()
        .expect("a textarea element");
    area.set_id("scenario");
    area.set_value(text);
    document()
        .body()
        .expect("a body")
        .append_child(&area)
        .expect("attached");
}

fn saved() -> Option<String> {
    LocalStorage::get::<String>(panic::SCENARIO_KEY).ok()
}

const TEXT: &str = "title after the panic <img src=x onerror=alert(1)>\nkey create k1\n";

#[wasm_bindgen_test]
fn panel_is_an_alert_with_text_and_a_reload_button() {
    reset();
    panic::show_panel(panic::MESSAGE);
    let list = panels();
    assert_eq!(list.len(), 1);
    let panel = list.first().expect("one panel");
    assert_eq!(panel.get_attribute("role").as_deref(), Some("alert"));
    assert_eq!(
        panel.text_content().as_deref(),
        Some(format!("{}Reload", panic::MESSAGE).as_str())
    );
    assert_eq!(
        panel.text_content().as_deref().map(|t| t.contains(
            "Keyline hit an internal error. Your scenario is saved in this browser; reload to continue."
        )),
        Some(true)
    );
    let button = panel
        .query_selector("button[data-panic-reload]")
        .ok()
        .flatten()
        .expect("a Reload button");
    assert_eq!(button.get_attribute("type").as_deref(), Some("button"));
    assert_eq!(button.text_content().as_deref(), Some("Reload"));
    // No inline handler: the click listener is added with addEventListener.
    assert!(button.get_attribute("onclick").is_none());
    assert!(panel
        .get_attribute("style")
        .is_some_and(|s| s.contains("position: fixed")));
    // The button has the focus, so Enter reloads.
    assert_eq!(
        document()
            .active_element()
            .and_then(|e| e.get_attribute("data-panic-reload")),
        Some(String::new())
    );
    reset();
}

#[wasm_bindgen_test]
fn panel_text_is_text_and_shows_once() {
    reset();
    panic::show_panel("<img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=2</script>");
    panic::show_panel("a second panic");
    let list = panels();
    assert_eq!(list.len(), 1, "a second panic adds no second panel");
    let panel = list.first().expect("one panel");
    assert!(panel.query_selector("img, script").ok().flatten().is_none());
    assert!(panel
        .text_content()
        .unwrap_or_default()
        .starts_with("<img src=x onerror="));
    reset();
}

#[wasm_bindgen_test]
fn the_editor_text_is_saved_and_the_old_one_kept_in_history() {
    reset();
    LocalStorage::set(panic::SCENARIO_KEY, "the work saved before").expect("storage works");
    editor(TEXT);
    panic::handle_panic();
    assert_eq!(saved().as_deref(), Some(TEXT));
    let history = keyline_web::storage::history();
    let newest = history.first().expect("the replaced text is in history");
    assert_eq!(newest.text, "the work saved before");
    assert_eq!(newest.title, "the work saved before");
    let panel = panels();
    assert_eq!(
        panel.first().and_then(|p| p.text_content()),
        Some(format!("{}Reload", panic::MESSAGE))
    );
    reset();
}

#[wasm_bindgen_test]
fn nothing_is_written_when_the_text_is_already_saved() {
    reset();
    LocalStorage::set(panic::SCENARIO_KEY, TEXT).expect("storage works");
    editor(TEXT);
    assert_eq!(panic::save_scenario(), panic::Saved::Yes);
    assert_eq!(saved().as_deref(), Some(TEXT));
    assert!(keyline_web::storage::history().is_empty());
    reset();
}

#[wasm_bindgen_test]
fn a_first_visit_saves_the_text() {
    reset();
    editor(TEXT);
    assert_eq!(panic::save_scenario(), panic::Saved::Yes);
    assert_eq!(saved().as_deref(), Some(TEXT));
    assert!(keyline_web::storage::history().is_empty());
    reset();
}

/// A scenario opened from a link is in the link: reloading opens it again, and the saved work
/// the link left untouched stays untouched.
#[wasm_bindgen_test]
fn a_link_scenario_does_not_overwrite_the_saved_one() {
    reset();
    LocalStorage::set(panic::SCENARIO_KEY, "my own work").expect("storage works");
    let hash = format!("#z={}", keyline_link::encode_deflate(TEXT));
    web_sys::window()
        .expect("a window")
        .history()
        .expect("history")
        .replace_state_with_url(&JsValue::NULL, "", Some(&hash))
        .expect("set the fragment");
    editor(TEXT);
    assert_eq!(panic::save_scenario(), panic::Saved::Yes);
    assert_eq!(saved().as_deref(), Some("my own work"));
    // Edited after opening: saved (and the old work kept in history).
    editor_set(&format!("{TEXT}key create k2\n"));
    assert_eq!(panic::save_scenario(), panic::Saved::Yes);
    assert_eq!(saved(), Some(format!("{TEXT}key create k2\n")));
    assert_eq!(
        keyline_web::storage::history()
            .first()
            .map(|v| v.text.clone()),
        Some("my own work".to_owned())
    );
    reset();
}

fn editor_set(text: &str) {
    document()
        .get_element_by_id("scenario")
        .and_then(|e| e.dyn_into::<HtmlTextAreaElement>().ok())
        .expect("the editor")
        .set_value(text);
}

/// Storage that throws on write (full, or disabled): the saved text is not touched, and the
/// panel says to copy the scenario instead of claiming it is saved.
#[wasm_bindgen_test]
fn storage_that_throws_gets_the_unsaved_message() {
    reset();
    LocalStorage::set(panic::SCENARIO_KEY, "older work").expect("storage works");
    editor(TEXT);
    let proto = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("Storage"))
        .and_then(|s| js_sys::Reflect::get(&s, &JsValue::from_str("prototype")))
        .expect("Storage.prototype");
    let key = JsValue::from_str("setItem");
    let original = js_sys::Reflect::get(&proto, &key).expect("setItem");
    let thrower = js_sys::Function::new_no_args(
        "throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');",
    );
    js_sys::Reflect::set(&proto, &key, &thrower).expect("replace setItem");
    panic::handle_panic();
    js_sys::Reflect::set(&proto, &key, &original).expect("restore setItem");
    assert_eq!(saved().as_deref(), Some("older work"));
    assert_eq!(
        panels().first().and_then(|p| p.text_content()),
        Some(format!("{}Reload", panic::MESSAGE_UNSAVED))
    );
    reset();
}

/// The embed never writes storage: its text is the host page's, not the user's.
#[wasm_bindgen_test]
fn the_embed_saves_nothing() {
    reset();
    LocalStorage::set(panic::SCENARIO_KEY, "my own work").expect("storage works");
    let window = web_sys::window().expect("a window");
    let path = window.location().pathname().expect("a path");
    window
        .history()
        .expect("history")
        .replace_state_with_url(&JsValue::NULL, "", Some(&format!("{path}?embed=1")))
        .expect("set the query");
    editor(TEXT);
    panic::handle_panic();
    let _ =
        window
            .history()
            .expect("history")
            .replace_state_with_url(&JsValue::NULL, "", Some(&path));
    assert_eq!(saved().as_deref(), Some("my own work"));
    assert_eq!(
        panels().first().and_then(|p| p.text_content()),
        Some(format!("{}Reload", panic::MESSAGE_EMBED))
    );
    reset();
}
