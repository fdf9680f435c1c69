//! Long lists rendered a block per task.

use gloo_timers::callback::Timeout;
use yew::prelude::*;

/// How many of `total` rows to render: `step` at first, then `step` more per task until all
/// are shown, so a long list appears at once and fills in without blocking the page.
#[hook]
pub fn use_chunked(total: usize, step: usize) -> usize {
    let shown = use_state(|| step);
    {
        let shown = shown.clone();
        use_effect_with((*shown, total), move |(now, total)| {
            let next = *now + step;
            // A zero-delay timeout: the next block comes in the next task, after the browser
            // has painted this one. Dropping it (new inputs, unmount) cancels it.
            let pending = (now < total).then(|| Timeout::new(0, move || shown.set(next)));
            move || drop(pending)
        });
    }
    *shown
}
