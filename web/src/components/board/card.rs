//! One resource's card: its data attributes, body lines and quick actions.

use super::attach::AttachPicker;
use crate::authoring::quick::QuickAction;
use crate::authoring::Lines;
use crate::components::results::verdict_note;
use crate::hooks::keyboard::activate_on_enter;
use crate::state::{Action, Dispatch, Selection};
use keyline_rules::{Action as KeyAction, Step};
use std::rc::Rc;
use yew::prelude::*;

/// Sets the quick action whose preview the board shows: (card, statement), or None.
pub type HintSetter = UseStateSetter<Option<(String, Lines)>>;

/// One line of a card's body.
#[derive(Debug, Clone, PartialEq)]
pub struct CardLine {
    pub class: &'static str,
    pub text: String,
}

pub fn line(class: &'static str, text: impl Into<String>) -> CardLine {
    CardLine {
        class,
        text: text.into(),
    }
}

/// Properties of [`Card`]: everything it shows, so an unchanged card is not re-rendered.
#[derive(Clone, PartialEq, Properties)]
pub struct CardProps {
    pub kind: &'static str,
    pub name: String,
    pub subtitle: Option<String>,
    pub encryption: String,
    pub health: Option<&'static str>,
    pub state: Option<&'static str>,
    pub class: &'static str,
    pub badge: Option<String>,
    pub body: Vec<CardLine>,
    /// Quick actions.
    pub actions: Vec<QuickAction>,
    /// The engine's preview of the quick action focused or hovered on this card.
    pub hint: Option<Rc<Step>>,
    pub on_hint: HintSetter,
    /// Servers a detached disk can be attached to.
    pub attach_to: Option<Vec<String>>,
    pub what_if: Option<UseStateSetter<Option<(String, KeyAction)>>>,
    pub selected: bool,
    pub line: u32,
    pub readonly: bool,
    pub dispatch: Dispatch,
}

/// A callback for any event that just runs `f` (one instantiation per event type).
fn on<E: 'static>(f: impl Fn() + 'static) -> Callback<E> {
    Callback::from(move |_: E| f())
}

/// One resource's card (`data-resource`, `data-encryption`, `data-health`).
#[component]
pub fn Card(p: &CardProps) -> Html {
    let select = {
        let (d, name, line) = (p.dispatch.clone(), p.name.clone(), p.line);
        move || {
            d.dispatch(Action::Select(Selection {
                line: Some(line),
                names: vec![name.clone()],
            }))
        }
    };
    let onclick = Callback::from(move |_: MouseEvent| select());
    let onkeydown = activate_on_enter(onclick.clone());
    let actions = (!p.readonly && !p.actions.is_empty()).then(|| {
        html! {
            <div class="actions">
                { for p.actions.iter().map(|a| {
                    let d = p.dispatch.clone();
                    let lines = a.lines.clone();
                    // Focus or hover shows the engine's preview of the action; leaving hides it.
                    let hint = |on: bool| {
                        let set = p.on_hint.clone();
                        let value = on.then(|| (p.name.clone(), lines.clone()));
                        move || set.set(value.clone())
                    };
                    let (show, hide) = (hint(true), hint(false));
                    let (enter, leave) = (on(show.clone()), on(hide.clone()));
                    let (show, hide) = (on(show), on(hide));
                    let onclick = Callback::from(move |e: MouseEvent| {
                        e.stop_propagation();
                        d.dispatch(Action::Insert(lines.clone()));
                    });
                    html! {
                        <button type="button" class="small" title={a.text.clone()}
                            onfocus={show} onblur={hide} onmouseenter={enter} onmouseleave={leave} {onclick}>
                            { a.label }
                        </button>
                    }
                }) }
            </div>
        }
    });
    let hint = p.hint.as_deref().filter(|_| !p.readonly).map(verdict_note);
    let what_if = p.what_if.clone().filter(|_| !p.readonly).map(|set| {
        let name = p.name.clone();
        html! {
            <button type="button" class="small link"
                onclick={Callback::from(move |e: MouseEvent| { e.stop_propagation(); set.set(Some((name.clone(), KeyAction::Disable))); })}>
                { "What if…" }
            </button>
        }
    });
    let attach = p.attach_to.clone().filter(|_| !p.readonly).map(|servers| {
        html! { <AttachPicker disk={p.name.clone()} {servers} readonly={p.readonly} dispatch={p.dispatch.clone()} /> }
    });
    html! {
        <article class={classes!("card", p.class, p.selected.then_some("selected"))}
            data-resource={p.name.clone()} data-kind={p.kind} data-encryption={p.encryption.clone()}
            data-health={p.health} data-state={p.state}
            tabindex="0" {onclick} {onkeydown}>
            <h4>{ p.name.clone() }{ p.subtitle.clone().map(|s| html! { <span class="muted small">{ s }</span> }).unwrap_or_default() }</h4>
            { p.badge.clone().map(|b| html! { <p class="badge">{ b }</p> }).unwrap_or_default() }
            { for p.body.iter().map(|l| html! { <p class={classes!("small", l.class)}>{ l.text.clone() }</p> }) }
            { attach.unwrap_or_default() }
            { actions.unwrap_or_default() }
            { hint.unwrap_or_default() }
            { what_if.unwrap_or_default() }
        </article>
    }
}
