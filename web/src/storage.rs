//! Autosave, history and `#s=`/`#z=` links. Storage that is full or disabled shows a notice;
//! editing goes on. A link that cannot be decoded shows an alert and leaves the saved work alone.

use crate::state::{Action, AppState, Dispatch, Notice, Origin};
use keyline_link::{decode_fragment, Fragment};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Where the current scenario is saved.
pub const SCENARIO_KEY: &str = "keyline.scenario";
/// Where earlier versions are kept.
pub const HISTORY_KEY: &str = "keyline.history";
/// How many distinct versions history keeps.
pub const HISTORY_LEN: usize = 50;
/// Typing within this many milliseconds of the newest version replaces it rather than adding one.
const COALESCE_MS: f64 = 30_000.0;

/// `localStorage`, when the browser lets the page have it. Not `gloo_storage::LocalStorage`:
/// it throws a JavaScript exception through the Rust code when storage is disabled (access
/// denied) or `getItem` throws, which would stop the app; here every failure is a value.
fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The JSON value stored under `key` (None when absent, unreadable or storage is off).
fn get<T: DeserializeOwned>(key: &str) -> Option<T> {
    let raw = local()?.get_item(key).ok()??;
    serde_json::from_str(&raw).ok()
}

/// Stores `value` as JSON under `key`; an error says why it could not (full or disabled).
fn set<T: Serialize + ?Sized>(key: &str, value: &T) -> Result<(), String> {
    let storage = local().ok_or("storage is disabled")?;
    let json = serde_json::to_string(value).map_err(|e| e.to_string())?;
    storage
        .set_item(key, &json)
        .map_err(|_| "storage is full or disabled".to_owned())
}

/// One kept version of the scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Version {
    /// Milliseconds since the epoch.
    pub time: f64,
    pub title: String,
    pub text: String,
}

impl Version {
    pub fn size(&self) -> usize {
        self.text.len()
    }
}

fn now() -> f64 {
    js_sys_now()
}

fn js_sys_now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance().map(|p| p.time_origin() + p.now()))
        .unwrap_or(0.0)
}

fn title_of(text: &str) -> String {
    let t = keyline_rules::Program::parse(
        text.lines()
            .take(50)
            .collect::<Vec<_>>()
            .join("\n")
            .as_str(),
    )
    .title
    .unwrap_or_default();
    if t.is_empty() {
        text.lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("(empty)")
            .chars()
            .take(60)
            .collect()
    } else {
        t.chars().take(80).collect()
    }
}

/// The kept versions, newest first (empty when storage is unavailable).
pub fn history() -> Vec<Version> {
    get::<Vec<Version>>(HISTORY_KEY).unwrap_or_default()
}

/// Keeps `text` as the newest version; `coalesce` replaces a newest version made moments ago.
pub fn remember(text: &str, coalesce: bool) -> Result<(), String> {
    if text.trim().is_empty() {
        return Ok(());
    }
    let mut h = history();
    let t = now();
    if h.first().is_some_and(|v| v.text == text) {
        return Ok(());
    }
    if coalesce && h.first().is_some_and(|v| t - v.time < COALESCE_MS) {
        h.remove(0);
    }
    h.retain(|v| v.text != text);
    h.insert(
        0,
        Version {
            time: t,
            title: title_of(text),
            text: text.to_owned(),
        },
    );
    h.truncate(HISTORY_LEN);
    set(HISTORY_KEY, &h)
}

fn saved() -> Option<String> {
    get::<String>(SCENARIO_KEY)
}

fn fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// The state on load: a link's scenario, else the saved one, else the sample.
pub fn initial_state() -> AppState {
    let fallback = || match saved() {
        Some(t) => AppState::new(&t, Origin::Saved),
        None => AppState::new(crate::SAMPLE_SCENARIO, Origin::Saved),
    };
    match decode_fragment(&fragment()) {
        Ok(Fragment::Scenario(text)) => AppState::new(&text, Origin::Link),
        Ok(Fragment::None) => fallback(),
        Err(e) => {
            let mut s = fallback();
            s.notice = Some(Notice {
                alert: true,
                text: format!(
                    "This link cannot be opened: {e}. Your saved scenario is shown instead."
                ),
            });
            s
        }
    }
}

/// Typing keeps a history version once it pauses this long (milliseconds): reading and
/// rewriting the whole history on every keystroke would slow typing down.
const HISTORY_DELAY_MS: i32 = 1000;

/// Saves every edit at once, keeps typed text in history once typing pauses, and keeps the
/// replaced text in history at once when an example, a link or a history entry replaces it.
#[hook]
pub fn use_autosave(state: &UseReducerHandle<AppState>, enabled: bool) {
    let prev: Rc<RefCell<Option<Rc<str>>>> = use_mut_ref(|| None);
    let warned = use_mut_ref(|| false);
    let pending: Rc<RefCell<Option<i32>>> = use_mut_ref(|| None);
    let dispatch = state.dispatcher();
    let text = state.text.clone();
    let origin = state.origin;
    use_effect_with((text, origin), move |(text, origin)| {
        if !enabled {
            return;
        }
        let window = web_sys::window();
        if let (Some(id), Some(w)) = (pending.borrow_mut().take(), &window) {
            w.clear_timeout_with_handle(id);
        }
        let warn = {
            let warned = warned.clone();
            move |result: Result<(), String>| {
                if result.is_err() && !*warned.borrow() {
                    *warned.borrow_mut() = true;
                    dispatch.dispatch(Action::Notify(Some(Notice {
                        alert: false,
                        text: "Your browser's storage is full or disabled: changes are not being saved. Editing goes on; copy your scenario to keep it.".to_owned(),
                    })));
                }
            }
        };
        let before = prev.borrow_mut().replace(text.clone());
        match origin {
            Origin::Edit => {
                let result = set(SCENARIO_KEY, &**text);
                let failed = result.is_err();
                warn(result);
                if failed {
                    return;
                }
                let later = {
                    let text = text.clone();
                    let pending = pending.clone();
                    wasm_bindgen::closure::Closure::once_into_js(move || {
                        pending.borrow_mut().take();
                        warn(remember(&text, true));
                    })
                };
                *pending.borrow_mut() = window.and_then(|w| {
                    w.set_timeout_with_callback_and_timeout_and_arguments_0(
                        later.unchecked_ref(),
                        HISTORY_DELAY_MS,
                    )
                    .ok()
                });
            }
            Origin::Replace | Origin::Link => {
                let mut result = Ok(());
                if let Some(b) = before.filter(|b| **b != **text) {
                    result = remember(&b, false);
                }
                if let (Origin::Replace, Ok(())) = (origin, &result) {
                    result = set(SCENARIO_KEY, &**text);
                }
                warn(result);
            }
            Origin::Saved => {}
        }
    });
}

/// Opens `#s=`/`#z=` links when the fragment changes while the page is open.
#[hook]
pub fn use_fragment_links(dispatch: Dispatch) {
    use_effect_with((), move |_| {
        let on_change = Closure::<dyn Fn()>::new(move || match decode_fragment(&fragment()) {
            Ok(Fragment::Scenario(text)) => dispatch.dispatch(Action::Load(text, Origin::Link)),
            Ok(Fragment::None) => {}
            Err(e) => dispatch.dispatch(Action::Notify(Some(Notice {
                alert: true,
                text: format!("This link cannot be opened: {e}. Your scenario is unchanged."),
            }))),
        });
        let window = web_sys::window();
        if let Some(w) = &window {
            let _ = w
                .add_event_listener_with_callback("hashchange", on_change.as_ref().unchecked_ref());
        }
        move || {
            if let Some(w) = window {
                let _ = w.remove_event_listener_with_callback(
                    "hashchange",
                    on_change.as_ref().unchecked_ref(),
                );
            }
        }
    });
}
