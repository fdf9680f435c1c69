//! Resources beyond the first cards of their kind, as one-line rows.

use super::enc_label;
use crate::hooks::{keyboard::activate_on_enter, use_chunked};
use crate::state::{Action, Dispatch, Selection};
use std::rc::Rc;
use yew::prelude::*;

/// A resource beyond the first page of its kind: shown as one row, with the same data
/// attributes as a card.
#[derive(Debug, Clone, PartialEq)]
pub struct Compact {
    pub kind: &'static str,
    pub name: String,
    pub encryption: String,
    pub health: Option<&'static str>,
    pub state: Option<&'static str>,
    pub line: u32,
}

/// Properties of [`CompactList`].
#[derive(Clone, PartialEq, Properties)]
pub struct CompactListProps {
    pub items: Rc<Vec<Compact>>,
    pub selected: Vec<String>,
    pub dispatch: Dispatch,
}

/// Rows added per task: thousands of resources appear without blocking the page.
const ROWS_PER_TASK: usize = 1000;

/// The rest of a group as one-line rows (`data-resource`, `data-encryption`, `data-health`),
/// rendered a block at a time so every resource of a huge scenario is on the page.
#[component]
pub fn CompactList(props: &CompactListProps) -> Html {
    let shown = use_chunked(props.items.len(), ROWS_PER_TASK);
    html! {
        <ul class="compact-list">
            { for props.items.iter().take(shown).map(|c| {
                let select = {
                    let (d, name, line) = (props.dispatch.clone(), c.name.clone(), c.line);
                    Callback::from(move |_: MouseEvent| d.dispatch(Action::Select(Selection {
                        line: Some(line),
                        names: vec![name.clone()],
                    })))
                };
                let onkeydown = activate_on_enter(select.clone());
                let selected = props.selected.contains(&c.name);
                let detail = match (c.state, c.health) {
                    (Some(s), _) => s.to_owned(),
                    (_, Some(h)) => format!("{} · {h}", enc_label(&c.encryption)),
                    _ => enc_label(&c.encryption),
                };
                html! {
                    <li key={c.name.clone()} class={classes!("compact", selected.then_some("selected"))}
                        data-resource={c.name.clone()} data-kind={c.kind} data-encryption={c.encryption.clone()}
                        data-health={c.health} data-state={c.state}
                        tabindex="0" onclick={select} {onkeydown}>
                        <span class="compact-name">{ c.name.clone() }</span>{ " " }
                        <span class="muted">{ detail }</span>
                    </li>
                }
            }) }
        </ul>
    }
}
