//! The course's pages, mounted in headless Chromium: a level done when its solution is typed,
//! progress saved, corrupted progress reset with a notice, a broken pack link refused with an
//! alert that leaves storage alone.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(target_arch = "wasm32")]

mod common;

use common::{all, one, type_text};
use gloo_storage::{LocalStorage, Storage};
use keyline_web::storage::{PROGRESS_KEY, SCENARIO_KEY};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use yew::Renderer;

wasm_bindgen_test_configure!(run_in_browser);

fn set_hash(hash: &str) {
    web_sys::window()
        .expect("window")
        .location()
        .set_hash(hash)
        .expect("hash");
}

fn raw(key: &str) -> Option<String> {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(key).ok().flatten())
}

/// Mounts the app on `hash` into a fresh element.
async fn mount_at(hash: &str) -> (web_sys::Element, yew::AppHandle<keyline_web::App>) {
    set_hash(hash);
    let root = common::document().create_element("div").expect("div");
    common::document()
        .body()
        .expect("body")
        .append_child(&root)
        .expect("attach");
    let handle = Renderer::<keyline_web::App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    (root, handle)
}

fn done_state(root: &web_sys::Element, id: &str) -> Option<String> {
    one(root, &format!("[data-level=\"{id}\"]")).get_attribute("data-level-done")
}

#[wasm_bindgen_test]
async fn typing_the_solution_completes_the_level_and_saves_progress() {
    LocalStorage::delete(PROGRESS_KEY);
    LocalStorage::delete(SCENARIO_KEY);
    let level = keyline_learn::Course::builtin()
        .levels
        .first()
        .expect("a level")
        .clone();
    let (root, handle) = mount_at(&format!("#learn={}", level.id)).await;
    assert_eq!(done_state(&root, &level.id).as_deref(), Some("false"));
    type_text(&root, &level.solution);
    yew::scheduler::flush().await;
    assert_eq!(done_state(&root, &level.id).as_deref(), Some("true"));
    assert_eq!(all(&root, "[data-next-level]").len(), 1);
    let saved = keyline_learn::Progress::from_json(&raw(PROGRESS_KEY).expect("progress saved"))
        .expect("progress reads");
    assert!(saved.best(&level.id).is_some());
    // The learner's lines never reach the playground's autosave.
    assert_eq!(raw(SCENARIO_KEY), None);
    handle.destroy();
    root.remove();
    LocalStorage::delete(PROGRESS_KEY);
    set_hash("");
}

#[wasm_bindgen_test]
async fn corrupted_progress_is_reset_with_a_notice() {
    LocalStorage::set(PROGRESS_KEY, "not progress at all").expect("storage");
    let (root, handle) = mount_at("#learn").await;
    let notice = one(&root, "[data-progress-notice]");
    assert_eq!(notice.get_attribute("role").as_deref(), Some("alert"));
    assert!(notice.text_content().unwrap_or_default().contains("reset"));
    let stored = raw(PROGRESS_KEY).expect("reset progress stored");
    assert!(
        keyline_learn::Progress::from_json(&stored).is_ok(),
        "{stored}"
    );
    assert_eq!(all(&root, "[data-course-index]").len(), 1);
    handle.destroy();
    root.remove();
    LocalStorage::delete(PROGRESS_KEY);
    set_hash("");
}

#[wasm_bindgen_test]
async fn a_broken_pack_link_alerts_and_leaves_storage_alone() {
    let progress = keyline_learn::Progress::default().to_json();
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .expect("storage")
        .set_item(PROGRESS_KEY, &progress)
        .expect("set");
    LocalStorage::set(SCENARIO_KEY, "key create k1\n").expect("storage");
    let before = (raw(PROGRESS_KEY), raw(SCENARIO_KEY));
    let (root, handle) = mount_at("#learn-pack=%%%broken").await;
    let alert = one(&root, "[data-pack-error]");
    assert_eq!(alert.get_attribute("role").as_deref(), Some("alert"));
    assert_eq!((raw(PROGRESS_KEY), raw(SCENARIO_KEY)), before);
    handle.destroy();
    root.remove();
    LocalStorage::delete(PROGRESS_KEY);
    LocalStorage::delete(SCENARIO_KEY);
    set_hash("");
}

fn click(root: &web_sys::Element, css: &str) {
    use wasm_bindgen::JsCast;
    one(root, css)
        .dyn_into::<web_sys::HtmlElement>()
        .expect("an element")
        .click();
}

#[wasm_bindgen_test]
async fn the_solution_is_offered_after_three_tries() {
    LocalStorage::delete(PROGRESS_KEY);
    let level = keyline_learn::Course::builtin()
        .levels
        .first()
        .expect("a level")
        .clone();
    let (root, handle) = mount_at(&format!("#learn={}", level.id)).await;
    for _ in 0..keyline_web::components::learn::level::TRIES_BEFORE_SOLUTION {
        assert!(all(&root, "[data-show-solution]").is_empty());
        click(&root, "[data-check-level]");
        yew::scheduler::flush().await;
    }
    click(&root, "[data-show-solution]");
    yew::scheduler::flush().await;
    let shown = one(&root, "[data-solution]")
        .text_content()
        .unwrap_or_default();
    assert!(shown.contains(level.solution.trim()), "{shown}");
    // Hints come one at a time.
    if !level.hints.is_empty() {
        assert!(all(&root, "[data-hint]").is_empty());
        click(&root, "[data-hint-next]");
        yew::scheduler::flush().await;
        assert_eq!(all(&root, "[data-hint]").len(), 1);
    }
    handle.destroy();
    root.remove();
    set_hash("");
}

#[wasm_bindgen_test]
async fn the_last_statement_is_outlined() {
    LocalStorage::delete(PROGRESS_KEY);
    let level = keyline_learn::Course::builtin()
        .levels
        .first()
        .expect("a level")
        .clone();
    let (root, handle) = mount_at(&format!("#learn={}", level.id)).await;
    assert!(all(&root, "[data-changed-line]").is_empty());
    type_text(&root, &level.solution);
    yew::scheduler::flush().await;
    let grade = keyline_learn::grade(&level, &level.solution);
    let last = grade.steps.last().expect("the solution has statements");
    let note = one(&root, "[data-changed-line]");
    assert_eq!(
        note.get_attribute("data-changed-line"),
        Some(last.line.to_string())
    );
    for name in &last.resources {
        let outlined = all(&root, &format!(".card.selected[data-resource=\"{name}\"], .node.changed[data-node-name=\"{name}\"]"));
        assert!(!outlined.is_empty(), "{name} is not outlined");
    }
    handle.destroy();
    root.remove();
    LocalStorage::delete(PROGRESS_KEY);
    set_hash("");
}
