//! Long lists rendered a block per task.

use wasm_bindgen::JsCast;
use yew::prelude::*;

/// How many of `total` rows to render: `step` at first, then `step` more per task until all
/// are shown, so a long list appears at once and fills in without blocking the page.
#[hook]
pub fn use_chunked(total: usize, step: usize) -> usize {
    let shown = use_state(|| step);
    {
        let shown = shown.clone();
        use_effect_with((*shown, total), move |(now, total)| {
            let mut pending = None;
            if now < total {
                let next = now + step;
                let cb = wasm_bindgen::closure::Closure::once_into_js(move || shown.set(next));
                pending = web_sys::window().and_then(|w| {
                    w.set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), 0)
                        .ok()
                });
            }
            move || {
                if let (Some(id), Some(w)) = (pending, web_sys::window()) {
                    w.clear_timeout_with_handle(id);
                }
            }
        });
    }
    *shown
}
