//! The embed (`?embed=1`): a compact view for an iframe and the postMessage API of SPEC §7.
//! In: `{type:"keyline:load", scenario}`. Out: `keyline:ready` once it listens,
//! `keyline:result` after every evaluation, `keyline:resize` when its height changes.
//! Anything else is ignored.

use keyline_rules::{Code, Outcome};
use serde::Serialize;
use wasm_bindgen::JsCast;

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
        gloo_utils::window()
            .location()
            .search()
            .map(|q| EmbedOptions::parse(&q))
            .unwrap_or_default()
    }
}

/// One step of a `keyline:result` message.
#[derive(Serialize)]
pub struct StepOut {
    pub line: u32,
    pub outcome: Outcome,
    pub code: Option<Code>,
}

#[derive(Serialize)]
#[serde(tag = "type")]
pub enum Outgoing<'a> {
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

/// Posts a message to the parent page (nothing when there is none).
pub fn post(msg: &Outgoing<'_>) {
    let Ok(Some(parent)) = gloo_utils::window().parent() else {
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
pub fn incoming(data: &wasm_bindgen::JsValue) -> Option<Result<String, usize>> {
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
