//! The course's pages, mounted in headless Chromium: a level done when its solution is typed,
//! progress saved, corrupted progress reset with a notice, a broken pack link refused with an
//! alert that leaves storage alone, a revealed hint's statements previewed by the engine and
//! added by a button.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(target_arch = "wasm32")]

mod common;

use common::{all, one, type_text};
use gloo_storage::{LocalStorage, Storage};
use keyline_web::storage::{PROGRESS_KEY, SCENARIO_KEY};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

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
    common::mount_as_stored().await
}

/// The course's first level.
fn first_level() -> keyline_learn::Level {
    keyline_learn::Course::builtin()
        .levels
        .first()
        .expect("a level")
        .clone()
}

/// Undoes a test's mount: the app, its element, the saved progress and the location's hash.
fn leave(handle: yew::AppHandle<keyline_web::App>, root: &web_sys::Element) {
    handle.destroy();
    root.remove();
    LocalStorage::delete(PROGRESS_KEY);
    set_hash("");
}

fn done_state(root: &web_sys::Element, id: &str) -> Option<String> {
    one(root, &format!("[data-level=\"{id}\"]")).get_attribute("data-level-done")
}

#[wasm_bindgen_test]
async fn typing_the_solution_completes_the_level_and_saves_progress() {
    LocalStorage::delete(PROGRESS_KEY);
    LocalStorage::delete(SCENARIO_KEY);
    let level = first_level();
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
    leave(handle, &root);
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
    leave(handle, &root);
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
    leave(handle, &root);
    LocalStorage::delete(SCENARIO_KEY);
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
    let level = first_level();
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
    leave(handle, &root);
}

#[wasm_bindgen_test]
async fn the_last_statement_is_outlined() {
    LocalStorage::delete(PROGRESS_KEY);
    let level = first_level();
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
    leave(handle, &root);
}

/// The engine's verdict on `statement` added after the learner's last line of `text`: what a
/// hint's preview must show (computed as the level page is documented to, not hard-coded).
fn expected_preview(
    level: &keyline_learn::Level,
    text: &str,
    statement: &str,
) -> keyline_rules::Step {
    let s = keyline_learn::scenario(level, text);
    let program = keyline_rules::Program::parse(&s.text);
    let statement: keyline_rules::Statement = statement.parse().expect("a statement");
    keyline_rules::preview(&program, s.checks_from, &statement)
}

fn hint_preview(root: &web_sys::Element, statement: &str) -> web_sys::Element {
    one(root, &format!("[data-hint-preview=\"{statement}\"]"))
}

fn assert_preview_shows(root: &web_sys::Element, step: &keyline_rules::Step) {
    let shown = hint_preview(root, &step.statement);
    assert_eq!(
        shown.get_attribute("data-outcome").as_deref(),
        Some(step.outcome.as_str()),
        "{}",
        step.statement
    );
    let words = shown.text_content().unwrap_or_default();
    assert!(words.contains(&step.message), "{words}");
    if let Some(code) = step.code {
        assert!(words.contains(code.as_str()), "{words}");
    }
}

fn editor_text(root: &web_sys::Element) -> String {
    use wasm_bindgen::JsCast;
    one(root, "textarea#scenario")
        .dyn_into::<web_sys::HtmlTextAreaElement>()
        .expect("a textarea")
        .value()
}

#[wasm_bindgen_test]
async fn a_hints_statement_is_previewed_live_and_added_by_its_button() {
    LocalStorage::delete(PROGRESS_KEY);
    let level = keyline_learn::Course::builtin()
        .get("grant-access")
        .expect("the first level")
        .clone();
    // The hint that quotes two statements: switch roles, then grant.
    let at = level
        .hints
        .iter()
        .position(|h| keyline_learn::hint_statements(h).len() >= 2)
        .expect("a hint quoting statements");
    let quoted: Vec<String> = keyline_learn::hint_statements(&level.hints[at])
        .iter()
        .map(|s| s.to_string())
        .collect();
    let (role, grant) = (&quoted[0], &quoted[1]);
    let (root, handle) = mount_at(&format!("#learn={}", level.id)).await;
    for _ in 0..=at {
        click(&root, "[data-hint-next]");
        yew::scheduler::flush().await;
    }
    // A hint that quotes no whole statement (only a word) has no preview.
    let first = &all(&root, "[data-hint]")[0];
    if keyline_learn::hint_statements(&level.hints[0]).is_empty() {
        assert!(first
            .query_selector("[data-hint-preview]")
            .unwrap()
            .is_none());
    }
    // Nothing typed: granting as the start's member.
    let before = expected_preview(&level, "", grant);
    assert_preview_shows(&root, &before);
    assert_preview_shows(&root, &expected_preview(&level, "", role));

    // Switching roles changes what granting would do, and the preview follows the typing.
    let typed = format!("{role}\n");
    type_text(&root, &typed);
    yew::scheduler::flush().await;
    let after = expected_preview(&level, &typed, grant);
    assert_ne!(
        (before.outcome, before.code),
        (after.outcome, after.code),
        "the role must change the grant's verdict"
    );
    assert_preview_shows(&root, &after);

    // "Add this line" appends the statement after the learner's lines; grading sees it.
    click(&root, &format!("[data-hint-add=\"{grant}\"]"));
    yew::scheduler::flush().await;
    let now = editor_text(&root);
    assert_eq!(
        now.lines().collect::<Vec<_>>(),
        [role.as_str(), grant.as_str()]
    );
    let grade = keyline_learn::grade(&level, &now);
    assert_eq!(
        one(&root, "[data-learner-line=\"2\"]")
            .get_attribute("data-outcome")
            .as_deref(),
        grade
            .steps
            .iter()
            .find(|s| s.line == 2)
            .map(|s| s.outcome.as_str())
    );
    assert!(one(&root, "[data-hint-status]")
        .text_content()
        .unwrap_or_default()
        .contains(grant.as_str()));
    // The rest of the solution, added from the next hint, completes the level.
    click(&root, "[data-hint-next]");
    yew::scheduler::flush().await;
    for statement in keyline_learn::hint_statements(&level.hints[at + 1]) {
        assert_preview_shows(
            &root,
            &expected_preview(&level, &editor_text(&root), &statement.to_string()),
        );
        click(&root, &format!("[data-hint-add=\"{statement}\"]"));
        yew::scheduler::flush().await;
    }
    let text = editor_text(&root);
    assert_eq!(
        done_state(&root, &level.id).as_deref(),
        Some(
            keyline_learn::grade(&level, &text)
                .done
                .to_string()
                .as_str()
        )
    );
    assert_eq!(
        done_state(&root, &level.id).as_deref(),
        Some("true"),
        "{text}"
    );
    leave(handle, &root);
}
