//! A detached disk's "Attach…" picker.

use crate::authoring::one;
use crate::state::{Action, Dispatch};
use keyline_rules::Statement;
use yew::prelude::*;

/// Properties of [`AttachPicker`].
#[derive(Clone, PartialEq, Properties)]
pub struct AttachPickerProps {
    pub disk: String,
    pub servers: Vec<String>,
    pub readonly: bool,
    pub dispatch: Dispatch,
}

/// "Attach to [server] [as system]": the card's attach action with a choice of server.
#[component]
pub fn AttachPicker(props: &AttachPickerProps) -> Html {
    let server = use_state(|| None::<String>);
    let open = use_state(|| false);
    let select_ref = use_node_ref();
    {
        // Opening the picker moves the focus to its server list, so a keyboard user goes on
        // from there (the "Attach…" button that had the focus is gone).
        let select_ref = select_ref.clone();
        use_effect_with(*open, move |open| {
            if *open {
                if let Some(el) = select_ref.cast::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
            }
        });
    }
    if props.readonly || props.servers.is_empty() {
        return html! {};
    }
    if !*open {
        let open = open.clone();
        return html! {
            <div class="attach">
                <button type="button" class="small attach-open"
                    onclick={Callback::from(move |e: MouseEvent| { e.stop_propagation(); open.set(true); })}>
                    { "Attach…" }
                </button>
            </div>
        };
    }
    let chosen = (*server)
        .clone()
        .filter(|s| props.servers.contains(s))
        .or_else(|| props.servers.first().cloned())
        .unwrap_or_default();
    let onchange = {
        let server = server.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                server.set(Some(s.value()));
            }
        })
    };
    let attach = |system: bool| {
        let d = props.dispatch.clone();
        let open = open.clone();
        let lines = one(Statement::Attach {
            disk: props.disk.clone(),
            server: chosen.clone(),
            system,
        });
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            open.set(false);
            d.dispatch(Action::Insert(lines.clone()));
        })
    };
    let id = format!("attach-{}", props.disk);
    html! {
        <div class="attach" onclick={Callback::from(|e: MouseEvent| e.stop_propagation())}>
            <label for={id.clone()} class="small">{ "Attach to " }</label>
            <select id={id} ref={select_ref} {onchange}>
                { for props.servers.iter().map(|s| html! { <option value={s.clone()} selected={*s == chosen}>{ s.clone() }</option> }) }
            </select>
            <button type="button" class="small" onclick={attach(false)}>{ "Attach" }</button>
            <button type="button" class="small" onclick={attach(true)}>{ "as system" }</button>
        </div>
    }
}
