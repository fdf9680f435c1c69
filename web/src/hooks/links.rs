//! Autosave and history as the text changes, and `#s=`/`#z=` links opened while the page is
//! open. Storage itself is [`crate::storage`].

use crate::state::{Action, AppState, Dispatch, Notice, Origin};
use crate::storage::{fragment, remember, set, SCENARIO_KEY};
use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use keyline_link::{decode_fragment, Fragment};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// Typing keeps a history version once it pauses this long (milliseconds): reading and
/// rewriting the whole history on every keystroke would slow typing down.
const HISTORY_DELAY_MS: u32 = 1000;

/// Saves every edit at once, keeps typed text in history once typing pauses, and keeps the
/// replaced text in history at once when an example, a link or a history entry replaces it.
#[hook]
pub fn use_autosave(state: &UseReducerHandle<AppState>, enabled: bool) {
    let prev: Rc<RefCell<Option<Rc<str>>>> = use_mut_ref(|| None);
    let warned = use_mut_ref(|| false);
    let pending: Rc<RefCell<Option<Timeout>>> = use_mut_ref(|| None);
    let dispatch = state.dispatcher();
    let text = state.text.clone();
    let origin = state.origin;
    use_effect_with((text, origin), move |(text, origin)| {
        if !enabled {
            return;
        }
        // A newer text cancels the history version still waiting for a pause.
        drop(pending.borrow_mut().take());
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
                    move || {
                        pending.borrow_mut().take();
                        warn(remember(&text, true));
                    }
                };
                *pending.borrow_mut() = Some(Timeout::new(HISTORY_DELAY_MS, later));
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
        // Dropped (and so removed) when the app unmounts.
        let listener =
            EventListener::new(
                &gloo_utils::window(),
                "hashchange",
                move |_| match decode_fragment(&fragment()) {
                    Ok(Fragment::Scenario(text)) => {
                        dispatch.dispatch(Action::Load(text, Origin::Link))
                    }
                    Ok(Fragment::None) => {}
                    Err(e) => dispatch.dispatch(Action::Notify(Some(Notice {
                        alert: true,
                        text: format!(
                            "This link cannot be opened: {e}. Your scenario is unchanged."
                        ),
                    }))),
                },
            );
        move || drop(listener)
    });
}
