//! The embed (`?embed=1`): a compact view for an iframe and the postMessage API of SPEC §7.
//! In: `{type:"keyline:load", scenario}`. Out: `keyline:ready` once it listens,
//! `keyline:result` after every evaluation, `keyline:resize` when its height changes.
//! Anything else is ignored.

use crate::state::{Action, Dispatch, Origin};
use keyline_rules::{Code, Outcome};
use serde::Serialize;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// What `?embed=1&view=…&readonly=1` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EmbedOptions {
    pub embed: bool,
    pub view: View,
    pub readonly: bool,
}

/// The embed's main view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    /// Editor, verdicts and summary.
    #[default]
    Verdicts,
    Board,
    Graph,
}

impl EmbedOptions {
    /// Reads a query string (`?embed=1&view=board`).
    pub fn parse(query: &str) -> EmbedOptions {
        let mut o = EmbedOptions::default();
        for (k, v) in query
            .trim_start_matches('?')
            .split('&')
            .filter_map(|p| p.split_once('='))
        {
            match (k, v) {
                ("embed", "1") => o.embed = true,
                ("view", "board") => o.view = View::Board,
                ("view", "graph") => o.view = View::Graph,
                ("readonly", "1") => o.readonly = true,
                _ => {}
            }
        }
        o
    }

    /// The options of this page.
    pub fn current() -> EmbedOptions {
        web_sys::window()
            .and_then(|w| w.location().search().ok())
            .map(|q| EmbedOptions::parse(&q))
            .unwrap_or_default()
    }
}

#[derive(Serialize)]
struct StepOut {
    line: u32,
    outcome: Outcome,
    code: Option<Code>,
}

#[derive(Serialize)]
#[serde(tag = "type")]
enum Outgoing<'a> {
    #[serde(rename = "keyline:ready")]
    Ready,
    #[serde(rename = "keyline:result")]
    Result {
        passed: usize,
        failed: usize,
        steps: &'a [StepOut],
    },
    #[serde(rename = "keyline:resize")]
    Resize { height: f64 },
}

fn post(msg: &Outgoing<'_>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(Some(parent)) = window.parent() else {
        return;
    };
    // Plain objects, not Maps, for the host.
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    if let Ok(v) = msg.serialize(&ser) {
        let _ = parent.post_message(&v, "*");
    }
}

/// Reads a message's data: `Some(Ok(scenario))` for the documented shape, `Some(Err(length))`
/// for a scenario over the size limit (not copied out of JavaScript), None for anything else,
/// which is ignored.
///
/// Read with two property lookups rather than `serde_wasm_bindgen::from_value`: its
/// deserializer costs 9 KB of gzip in the bundle to read two strings (messages out are still
/// built with serde-wasm-bindgen).
fn incoming(data: &wasm_bindgen::JsValue) -> Option<Result<String, usize>> {
    // A plain object: not an array, a Blob, a string…
    if !data.is_object() || js_sys::Array::is_array(data) {
        return None;
    }
    let field = |name: &str| js_sys::Reflect::get(data, &name.into()).ok();
    if field("type")?.as_string()? != "keyline:load" {
        return None;
    }
    let scenario = field("scenario")?;
    // The length in UTF-16 units: never more than the UTF-8 bytes, so a scenario over the
    // limit here is over it in bytes too, and is refused before it is copied.
    let length = scenario.dyn_ref::<js_sys::JsString>()?.length() as usize;
    if length > crate::state::MAX_SCENARIO_BYTES {
        return Some(Err(length));
    }
    scenario.as_string().map(Ok)
}

/// Listens for `keyline:load` and says `keyline:ready`.
#[hook]
pub fn use_embed_messages(dispatch: Dispatch, enabled: bool) {
    use_effect_with(enabled, move |enabled| {
        let window = web_sys::window().filter(|_| *enabled);
        let on_message =
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                // The reducer refuses a scenario over the paste limit, as for a paste.
                match incoming(&e.data()) {
                    Some(Ok(text)) => dispatch.dispatch(Action::Load(text, Origin::Link)),
                    Some(Err(bytes)) => {
                        dispatch.dispatch(Action::Notify(Some(crate::state::too_large(bytes))));
                    }
                    None => {}
                }
            });
        if let Some(w) = &window {
            let _ =
                w.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
            post(&Outgoing::Ready);
        }
        move || {
            if let Some(w) = window {
                let _ = w.remove_event_listener_with_callback(
                    "message",
                    on_message.as_ref().unchecked_ref(),
                );
            }
        }
    });
}

/// Posts `keyline:result` after every evaluation and `keyline:resize` when the height changed.
#[hook]
pub fn use_embed_results(report: crate::state::ReportRef, enabled: bool) {
    let last_height = use_mut_ref(|| 0.0f64);
    use_effect_with(report, move |r| {
        if enabled {
            let steps: Vec<StepOut> = r
                .steps
                .iter()
                .map(|s| StepOut {
                    line: s.line,
                    outcome: s.outcome,
                    code: s.code,
                })
                .collect();
            post(&Outgoing::Result {
                passed: r.summary.passed,
                failed: r.summary.failed,
                steps: &steps,
            });
        }
    });
    // After every render: the height may have changed.
    use_effect(move || {
        if enabled {
            let h = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
                .map_or(0.0, |e| f64::from(e.scroll_height()));
            if (h - *last_height.borrow()).abs() >= 1.0 {
                *last_height.borrow_mut() = h;
                post(&Outgoing::Resize { height: h });
            }
        }
    });
}
