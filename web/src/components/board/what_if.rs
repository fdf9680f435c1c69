//! The what-if panel of a key, from the engine's `impact`.

use crate::authoring::statements_of;
use crate::state::{Action, Dispatch};
use keyline_rules::Action as KeyAction;
use yew::prelude::*;

/// Properties of [`WhatIf`].
#[derive(Clone, PartialEq, Properties)]
pub struct WhatIfProps {
    pub program: crate::state::ProgramRef,
    pub key_name: String,
    pub action: KeyAction,
    pub on_action: Callback<Option<(String, KeyAction)>>,
    pub dispatch: Dispatch,
}

/// What would happen to everything encrypted with a key, from the engine's `impact`.
#[component]
pub fn WhatIf(props: &WhatIfProps) -> Html {
    let impact = keyline_rules::impact(&props.program, &props.key_name, props.action);
    let tabs = KeyAction::ALL.iter().map(|a| {
        let on = props.on_action.clone();
        let key = props.key_name.clone();
        let a = *a;
        let label = match a {
            KeyAction::Disable => "disabled",
            KeyAction::ScheduleDeletion => "scheduled for deletion",
            KeyAction::Delete => "deleted",
        };
        html! {
            <button type="button" class={classes!("small", (a == props.action).then_some("active"))}
                aria-pressed={(a == props.action).to_string()}
                onclick={Callback::from(move |_| on.emit(Some((key.clone(), a))))}>{ label }</button>
        }
    });
    let close = {
        let on = props.on_action.clone();
        Callback::from(move |_| on.emit(None))
    };
    let body = match impact {
        Err(e) => html! { <p>{ e.to_string() }</p> },
        Ok(i) => {
            let add = {
                let d = props.dispatch.clone();
                let lines = statements_of(&i.statements);
                Callback::from(move |_| d.dispatch(Action::Insert(lines.clone())))
            };
            html! {
                <>
                    if let Some(msg) = &i.blocked_message {
                        <p data-whatif-blocked="">{ format!("Not possible now: {msg}") }</p>
                    } else if i.affected.is_empty() {
                        <p>{ "Nothing encrypted with this key would be affected." }</p>
                    } else {
                        <ul class="whatif-list">
                            { for i.affected.iter().map(|a| html! {
                                <li data-affected={a.name.clone()} data-effect={a.effect.as_str()}>
                                    <strong>{ format!("{} {}", a.kind, a.name) }</strong>{ format!(" — {}: {}", a.effect.as_str(), a.message) }
                                </li>
                            }) }
                        </ul>
                    }
                    if !i.statements.is_empty() && i.blocked.is_none() {
                        <button type="button" onclick={add}>{ format!("Add to scenario: {}", i.statements.join(" / ")) }</button>
                    }
                </>
            }
        }
    };
    html! {
        <div class="whatif" role="region" aria-label={format!("What if key {} …", props.key_name)}>
            <h3 class="sub-title">{ format!("What if key {} were…", props.key_name) }</h3>
            <div class="tabs">{ for tabs }</div>
            { body }
            <button type="button" class="small link" onclick={close}>{ "Close" }</button>
        </div>
    }
}
