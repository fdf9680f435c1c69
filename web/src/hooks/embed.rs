//! The embed's postMessage hooks: `keyline:load` in, `keyline:ready`, `keyline:result` and
//! `keyline:resize` out (the messages are [`crate::embed`]'s).

use crate::embed::{incoming, post, Outgoing, StepOut};
use crate::state::{Action, Dispatch, Origin};
use gloo_events::EventListener;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Listens for `keyline:load` and says `keyline:ready`.
#[hook]
pub fn use_embed_messages(dispatch: Dispatch, enabled: bool) {
    use_effect_with(enabled, move |enabled| {
        // Dropped (and so removed) when the app unmounts.
        let listener = enabled.then(|| {
            let on_message = move |e: &web_sys::Event| {
                let Some(e) = e.dyn_ref::<web_sys::MessageEvent>() else {
                    return;
                };
                // The reducer refuses a scenario over the paste limit, as for a paste.
                match incoming(&e.data()) {
                    Some(Ok(text)) => dispatch.dispatch(Action::Load(text, Origin::Link)),
                    Some(Err(bytes)) => {
                        dispatch.dispatch(Action::Notify(Some(crate::state::too_large(bytes))));
                    }
                    None => {}
                }
            };
            let listener = EventListener::new(&gloo_utils::window(), "message", on_message);
            post(&Outgoing::Ready);
            listener
        });
        move || drop(listener)
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
            let h = f64::from(gloo_utils::document_element().scroll_height());
            if (h - *last_height.borrow()).abs() >= 1.0 {
                *last_height.borrow_mut() = h;
                post(&Outgoing::Resize { height: h });
            }
        }
    });
}
