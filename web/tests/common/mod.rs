//! Helpers the component test binaries share: mounting the app, finding elements, typing,
//! waiting.
#![allow(dead_code)] // Each test binary uses its own subset.

use gloo_storage::{LocalStorage, Storage};
use wasm_bindgen::JsCast;
use web_sys::Element;
use yew::Renderer;

pub fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

/// Mounts the app on `text` (as if it had been autosaved) into a fresh element.
pub async fn mount(text: &str) -> (Element, yew::AppHandle<keyline_web::App>) {
    LocalStorage::set(keyline_web::storage::SCENARIO_KEY, text).expect("storage");
    mount_as_stored().await
}

/// Mounts the app into a fresh element on whatever storage and location hold now.
pub async fn mount_as_stored() -> (Element, yew::AppHandle<keyline_web::App>) {
    let root = document().create_element("div").expect("div");
    document()
        .body()
        .expect("body")
        .append_child(&root)
        .expect("attach");
    let handle = Renderer::<keyline_web::App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    (root, handle)
}

/// Undoes [`mount`]: the app, its element, and what it saved.
pub fn unmount(handle: yew::AppHandle<keyline_web::App>, root: &Element) {
    handle.destroy();
    root.remove();
    LocalStorage::delete(keyline_web::storage::SCENARIO_KEY);
    LocalStorage::delete(keyline_web::storage::HISTORY_KEY);
}

pub fn all(root: &Element, css: &str) -> Vec<Element> {
    let list = root.query_selector_all(css).expect("selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .collect()
}

pub fn one(root: &Element, css: &str) -> Element {
    root.query_selector(css)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no {css}"))
}

/// Resolves after `ms` milliseconds, letting queued tasks (chunks, timers) run.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window()
            .expect("a window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Types `text` into the editor as one input event.
pub fn type_text(root: &Element, text: &str) {
    let area = one(root, "textarea#scenario")
        .dyn_into::<web_sys::HtmlTextAreaElement>()
        .expect("a textarea");
    area.set_value(text);
    area.dispatch_event(&web_sys::InputEvent::new("input").expect("event"))
        .expect("dispatched");
}
