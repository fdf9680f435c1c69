//! The installed hook on a real panic: a callback the browser calls panics, and the panel
//! appears with the editor's text saved. One test in its own binary: after a panic the
//! WebAssembly instance has aborted out of that callback, so nothing else should share it.
// A test that cannot do its part fails with the reason; clippy.toml's allow-*-in-tests does
// not see #[wasm_bindgen_test] functions (nor the helpers in `common`) as tests.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(target_arch = "wasm32")]

use keyline_web::panic;

use gloo_storage::{LocalStorage, Storage};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::HtmlTextAreaElement;

wasm_bindgen_test_configure!(run_in_browser);

/// Resolves after `ms` milliseconds.
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window()
            .expect("a window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[wasm_bindgen_test]
async fn a_real_panic_shows_the_panel_and_saves_the_text() {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    LocalStorage::clear();
    let area = document
        .create_element("textarea")
        .expect("a textarea")
        .dyn_into::<HtmlTextAreaElement>()
        .expect("a textarea element");
    area.set_id("scenario");
    area.set_value("key create k1\n# typed just before the panic\n");
    document
        .body()
        .expect("a body")
        .append_child(&area)
        .expect("attached");

    // Replaces the harness's hook for good: after a panic the standard library counts this
    // thread as panicking forever (the panic aborted rather than unwound), so no hook can be set
    // again, and a failed assertion below aborts without its message (the test still fails).
    panic::install();
    let boom = Closure::once_into_js(|| {
        if std::hint::black_box(true) {
            panic!("a bug in a callback");
        }
    });
    web_sys::window()
        .expect("a window")
        .set_timeout_with_callback_and_timeout_and_arguments_0(boom.unchecked_ref(), 0)
        .expect("setTimeout");
    for _ in 0..50 {
        if document
            .query_selector("[data-panic-panel]")
            .ok()
            .flatten()
            .is_some()
        {
            break;
        }
        sleep(20).await;
    }

    let panel = document
        .query_selector("[data-panic-panel][role=alert]")
        .ok()
        .flatten()
        .expect("the panic panel is shown");
    assert_eq!(
        panel.text_content(),
        Some(format!("{}Reload", panic::MESSAGE))
    );
    assert_eq!(
        LocalStorage::get::<String>(panic::SCENARIO_KEY)
            .ok()
            .as_deref(),
        Some("key create k1\n# typed just before the panic\n")
    );
}
