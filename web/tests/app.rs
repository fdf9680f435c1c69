//! Component tests, run in headless Chromium by wasm-bindgen-test-runner.
// A test that cannot do its part fails with the reason; clippy.toml's allow-*-in-tests does
// not see #[wasm_bindgen_test] functions (nor the helpers in `common`) as tests.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlTextAreaElement};
use yew::Renderer;

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh, attached `<div>` to mount a component into.
fn fresh_root() -> Element {
    let document = web_sys::window()
        .and_then(|window| window.document())
        .expect("tests run in a browser with a document");
    let root = document
        .create_element("div")
        .expect("a div can be created");
    document
        .body()
        .expect("the test page has a body")
        .append_child(&root)
        .expect("the div can be attached");
    root
}

#[wasm_bindgen_test]
async fn app_renders_header_editor_and_summary() {
    let root = fresh_root();
    let handle = Renderer::<keyline_web::App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;

    assert!(root
        .query_selector("[data-app-ready]")
        .ok()
        .flatten()
        .is_some());

    let title = root
        .query_selector("header h1")
        .ok()
        .flatten()
        .and_then(|h1| h1.text_content());
    assert_eq!(title.as_deref(), Some("Keyline"));

    let area = root
        .query_selector("textarea#scenario")
        .ok()
        .flatten()
        .map(wasm_bindgen::JsCast::unchecked_into::<HtmlTextAreaElement>)
        .expect("the editor textarea is rendered");
    assert_eq!(area.value(), keyline_web::SAMPLE_SCENARIO);

    let summary = root
        .query_selector("[data-summary]")
        .ok()
        .flatten()
        .and_then(|p| p.text_content())
        .expect("the summary is rendered");
    assert!(
        summary.ends_with(" failed") && summary.contains(" passed, "),
        "summary {summary:?} is not `N passed, M failed`"
    );

    handle.destroy();
}
