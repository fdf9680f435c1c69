//! Keyboard helpers: rows and cards that act on a click act on Enter and Space too.

use yew::prelude::*;

/// Whether a keyboard event happened on the element that listens (not on a button inside it).
pub fn on_itself(e: &KeyboardEvent) -> bool {
    match (e.target(), e.current_target()) {
        (Some(t), Some(c)) => t == c,
        _ => false,
    }
}

/// Whether the key is one that activates a focused row or card (Enter or Space).
pub fn is_activation(e: &KeyboardEvent) -> bool {
    e.key() == "Enter" || e.key() == " "
}

/// Enter or Space on the element itself does what a click does.
pub fn activate_on_enter(click: Callback<MouseEvent>) -> Callback<KeyboardEvent> {
    Callback::from(move |e: KeyboardEvent| {
        if on_itself(&e) && is_activation(&e) {
            e.prevent_default();
            if let Ok(m) = web_sys::MouseEvent::new("click") {
                click.emit(m);
            }
        }
    })
}
