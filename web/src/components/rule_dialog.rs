//! The rule dialog: a rule's text, the documentation sentence it rests on, and its source.

use crate::state::{Action, Dispatch};
use keyline_rules::RuleId;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Properties of [`RuleDialog`].
#[derive(Clone, PartialEq, Properties)]
pub struct RuleDialogProps {
    pub rule: RuleId,
    pub dispatch: Dispatch,
}

/// A rule's text and the documentation sentence it comes from.
#[component]
pub fn RuleDialog(props: &RuleDialogProps) -> Html {
    let info = props.rule.info();
    let close = {
        let d = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::OpenRule(None)))
    };
    let button = use_node_ref();
    // Escape closes; Tab and Shift+Tab stay on the dialog's one control (it is modal: the page
    // behind it is not for the keyboard until it closes).
    let onkeydown = {
        let d = props.dispatch.clone();
        let button = button.clone();
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Escape" => d.dispatch(Action::OpenRule(None)),
            "Tab" => {
                e.prevent_default();
                if let Some(b) = button.cast::<web_sys::HtmlElement>() {
                    let _ = b.focus();
                }
            }
            _ => {}
        })
    };
    // The focus goes back where it was (the rule's button) when the dialog closes.
    use_effect_with((), |_| {
        let opener = gloo_utils::document()
            .active_element()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        move || {
            if let Some(opener) = opener.filter(|o| o.is_connected()) {
                let _ = opener.focus();
            }
        }
    });
    {
        let button = button.clone();
        use_effect_with(props.rule, move |_| {
            if let Some(b) = button.cast::<web_sys::HtmlElement>() {
                let _ = b.focus();
            }
        });
    }
    html! {
        <div class="dialog-backdrop" {onkeydown}>
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="rule-title" data-rule={info.id}>
                <h2 id="rule-title">{ info.id }{ if info.inferred { " (inferred)" } else { "" } }</h2>
                <p>{ info.text }</p>
                <blockquote>{ info.quote }</blockquote>
                <p class="muted">{ "Source: " }{ info.source }</p>
                <button type="button" ref={button} onclick={close}>{ "Close" }</button>
            </div>
        </div>
    }
}
