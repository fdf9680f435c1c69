//! The embed's postMessage hooks: `keyline:load` in, `keyline:ready`, `keyline:result` and
//! `keyline:resize` out (the messages are [`crate::embed`]'s).

use crate::embed::{incoming, post, Outgoing, StepOut};
use crate::state::{Action, Dispatch, Origin};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

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
