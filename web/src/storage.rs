//! Autosave, history and `#s=`/`#z=` links. Storage that is full or disabled shows a notice;
//! editing goes on. A link that cannot be decoded shows an alert and leaves the saved work alone.

use crate::state::{AppState, Notice, Origin};
use keyline_link::{decode_fragment, Fragment};
use serde::{de::DeserializeOwned, Deserialize, Serialize};

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
pub fn set<T: Serialize + ?Sized>(key: &str, value: &T) -> Result<(), String> {
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
    gloo_utils::window()
        .performance()
        .map_or(0.0, |p| p.time_origin() + p.now())
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

/// The page's fragment (`#z=…`), empty when there is none.
pub fn fragment() -> String {
    gloo_utils::window().location().hash().unwrap_or_default()
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

/// Where the course progress is kept (the learn crate's `Progress` as JSON).
pub const PROGRESS_KEY: &str = "keyline.learn.progress";

/// The raw progress JSON (None when absent or storage is off): the learn crate reads it, and
/// says when it is corrupt.
pub fn progress_json() -> Option<String> {
    local()?.get_item(PROGRESS_KEY).ok()?
}

/// Stores the progress JSON; an error says why it could not.
pub fn set_progress_json(json: &str) -> Result<(), String> {
    local()
        .ok_or("storage is disabled")?
        .set_item(PROGRESS_KEY, json)
        .map_err(|_| "storage is full or disabled".to_owned())
}
