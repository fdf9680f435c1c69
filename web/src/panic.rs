//! What a panic in the app does: the message and stack go to the console
//! (`console_error_panic_hook`), the editor's text is saved, and an error panel with a Reload
//! button replaces nothing and hides nothing — it is added on top of the page.
//!
//! The release build aborts on panic (`panic = "abort"`): after the hook returns, the
//! WebAssembly instance traps and the app stops responding. So the hook does everything the
//! user needs before that, and the panel works without the app: its text is set with
//! `textContent` (never parsed as HTML), and its Reload button calls the browser's own
//! `location.reload`, bound with `Function.prototype.bind`, not Rust code in the trapped
//! instance. No inline handler or style attribute is used, so the page's
//! Content-Security-Policy holds.
//!
//! Saving: autosave already writes every edit to `localStorage` (`keyline.scenario`). The hook
//! also writes the editor's current text there, in case the panic came between an edit and its
//! autosave, unless
//! - the page is the embed (`?embed=1`), which never autosaves: it must not overwrite the
//!   user's own scenario with the one a host page sent it;
//! - the text is what the page's `#s=`/`#z=` link holds: reloading opens it again, and the
//!   autosaved scenario the link left untouched stays untouched.
//!
//! When it does overwrite a different saved text, that text is first kept as the newest entry
//! of the history (`keyline.history`), so nothing saved is ever lost.

use std::panic::PanicHookInfo;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, HtmlElement, HtmlTextAreaElement, Storage};

pub use crate::storage::{HISTORY_KEY, HISTORY_LEN, SCENARIO_KEY};

/// The panel's text when the scenario is safe in storage.
pub const MESSAGE: &str =
    "Keyline hit an internal error. Your scenario is saved in this browser; reload to continue.";
/// The panel's text when storage could not be written.
pub const MESSAGE_UNSAVED: &str = "Keyline hit an internal error, and this browser's storage \
     is full or disabled, so your latest changes may not be saved: copy your scenario from the \
     editor before you reload.";
/// The panel's text in the embed, which keeps nothing in storage.
pub const MESSAGE_EMBED: &str = "Keyline hit an internal error. Reload to continue.";

/// Installs the hook. Call it first thing, before the app renders.
///
/// Through Yew: a plain `std::panic::set_hook` would be replaced by Yew's default hook (the
/// console only) when the app renders.
pub fn install() {
    yew::set_custom_panic_hook(Box::new(hook));
}

fn hook(info: &PanicHookInfo<'_>) {
    console_error_panic_hook::hook(info);
    handle_panic();
}

/// What the hook does after logging: saves the editor's text, then shows the panel.
pub fn handle_panic() {
    let message = match save_scenario() {
        Saved::Yes => MESSAGE,
        Saved::Failed => MESSAGE_UNSAVED,
        Saved::Embed => MESSAGE_EMBED,
    };
    show_panel(message);
}

/// What [`save_scenario`] managed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    /// The scenario is in storage, or in the page's link (nothing needed writing).
    Yes,
    /// Storage is full or disabled.
    Failed,
    /// The embed: nothing is saved, by design.
    Embed,
}

fn document() -> Option<Document> {
    web_sys::window()?.document()
}

fn is_embed() -> bool {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    search
        .trim_start_matches('?')
        .split('&')
        .any(|p| p == "embed=1")
}

/// The text of the page's `#s=`/`#z=` link, if it has one that decodes.
fn link_text() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    match keyline_link::decode_fragment(&hash) {
        Ok(keyline_link::Fragment::Scenario(t)) => Some(t),
        _ => None,
    }
}

/// A history entry in the shape `storage::Version` reads. Built here rather than through
/// `storage::remember`, whose title comes from the engine's parser: the hook runs no engine code.
fn version(text: &str) -> serde_json::Value {
    let title_line = text
        .lines()
        .map(|l| l.trim_matches([' ', '\t', '\r']))
        .find_map(|l| l.strip_prefix("title ").map(str::to_owned))
        .filter(|t| !t.trim().is_empty());
    let title: String = match title_line {
        Some(t) => t.trim().chars().take(80).collect(),
        None => text
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("(empty)")
            .chars()
            .take(60)
            .collect(),
    };
    let time = web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.time_origin() + p.now());
    serde_json::json!({ "time": time, "title": title, "text": text })
}

/// Keeps `old` as the newest history entry, unless it already is.
fn keep_in_history(storage: &Storage, old: &str) -> Result<(), JsValue> {
    let raw = storage.get_item(HISTORY_KEY)?;
    let mut list: Vec<serde_json::Value> = match raw.as_deref().map(serde_json::from_str) {
        Some(Ok(serde_json::Value::Array(list))) => list,
        // Unreadable history is left alone rather than replaced.
        Some(_) => return Ok(()),
        None => Vec::new(),
    };
    if list
        .first()
        .and_then(|v| v.get("text"))
        .and_then(|t| t.as_str())
        == Some(old)
    {
        return Ok(());
    }
    list.retain(|v| v.get("text").and_then(|t| t.as_str()) != Some(old));
    list.insert(0, version(old));
    list.truncate(HISTORY_LEN);
    storage.set_item(HISTORY_KEY, &serde_json::Value::Array(list).to_string())
}

/// Saves the editor's current text (see the module documentation for when it does not).
pub fn save_scenario() -> Saved {
    if is_embed() {
        return Saved::Embed;
    }
    let Some(text) = document()
        .and_then(|d| d.get_element_by_id("scenario"))
        .and_then(|e| e.dyn_into::<HtmlTextAreaElement>().ok())
        .map(|t| t.value())
    else {
        // No editor yet: autosave holds the last text.
        return Saved::Yes;
    };
    let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) else {
        return Saved::Failed;
    };
    let saved: Option<String> = match storage.get_item(SCENARIO_KEY) {
        Ok(raw) => raw.and_then(|r| serde_json::from_str(&r).ok()),
        Err(_) => return Saved::Failed,
    };
    if saved.as_deref() == Some(text.as_str()) || link_text().as_deref() == Some(text.as_str()) {
        return Saved::Yes;
    }
    if let Some(old) = saved.filter(|o| !o.trim().is_empty()) {
        if keep_in_history(&storage, &old).is_err() {
            // Never overwrite the saved text if it could not be kept.
            return Saved::Failed;
        }
    }
    let json = serde_json::Value::String(text).to_string();
    match storage.set_item(SCENARIO_KEY, &json) {
        Ok(()) => Saved::Yes,
        Err(_) => Saved::Failed,
    }
}

fn element(doc: &Document, tag: &str) -> Option<Element> {
    doc.create_element(tag).ok()
}

fn style(el: &Element, props: &[(&str, &str)]) {
    // CSSOM, not a `style` attribute: allowed by `style-src 'self'`.
    if let Some(el) = el.dyn_ref::<HtmlElement>() {
        let s = el.style();
        for (k, v) in props {
            let _ = s.set_property(k, v);
        }
    }
}

/// Shows the error panel (`role="alert"`, `data-panic-panel`) with `message` as text and a
/// Reload button, once: a second call leaves the first panel as it is.
pub fn show_panel(message: &str) {
    let Some(doc) = document() else {
        return;
    };
    if doc
        .query_selector("[data-panic-panel]")
        .ok()
        .flatten()
        .is_some()
    {
        return;
    }
    let (Some(panel), Some(text), Some(button)) = (
        element(&doc, "div"),
        element(&doc, "p"),
        element(&doc, "button"),
    ) else {
        return;
    };
    let _ = panel.set_attribute("role", "alert");
    let _ = panel.set_attribute("data-panic-panel", "");
    panel.set_class_name("panic-panel");
    style(
        &panel,
        &[
            ("position", "fixed"),
            ("z-index", "2147483647"),
            ("top", "1rem"),
            ("left", "1rem"),
            ("right", "1rem"),
            ("margin", "0 auto"),
            ("max-width", "40rem"),
            ("padding", "1rem 1.25rem"),
            ("border", "2px solid #b3261e"),
            ("border-radius", "8px"),
            ("background", "Canvas"),
            ("color", "CanvasText"),
            ("box-shadow", "0 4px 24px rgba(0, 0, 0, 0.35)"),
            ("font", "16px/1.5 system-ui, sans-serif"),
        ],
    );
    text.set_text_content(Some(message));
    style(&text, &[("margin", "0 0 0.75rem")]);
    let _ = button.set_attribute("type", "button");
    let _ = button.set_attribute("data-panic-reload", "");
    button.set_text_content(Some("Reload"));
    if let Some(reload) = reload_function() {
        let _ = button.add_event_listener_with_callback("click", &reload);
    }
    let _ = panel.append_child(&text);
    let _ = panel.append_child(&button);
    let parent: Option<Element> = doc.body().map(Into::into).or(doc.document_element());
    if let Some(parent) = parent {
        let _ = parent.append_child(&panel);
    }
    if let Some(b) = button.dyn_ref::<HtmlElement>() {
        let _ = b.focus();
    }
}

/// `location.reload.bind(location)`: the browser's own function, which needs nothing from the
/// (by then trapped) WebAssembly instance.
fn reload_function() -> Option<js_sys::Function> {
    let location = web_sys::window()?.location();
    let reload = js_sys::Reflect::get(&location, &JsValue::from_str("reload")).ok()?;
    let reload = reload.dyn_into::<js_sys::Function>().ok()?;
    Some(reload.bind0(&location))
}
