//! One resource's card: its data attributes, body lines, the audit's findings on it, what
//! depends on a key, and quick actions.

use super::attach::AttachPicker;
use crate::authoring::quick::QuickAction;
use crate::authoring::{statements_of, Lines};
use crate::components::results::verdict_note;
use crate::hooks::keyboard::activate_on_enter;
use crate::state::{Action, Dispatch, Selection};
use keyline_rules::{Action as KeyAction, Dependent, Effect, Finding, Step};
use std::rc::Rc;
use yew::prelude::*;

/// Sets the quick action whose preview the board shows: (card, statement), or None.
pub type HintSetter = UseStateSetter<Option<(String, Lines)>>;

/// What depends on a key, from the audit: its dependents and, for an enabled key, the engine's
/// sentence on what disabling or deleting it would hit.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyUse {
    pub dependents: Vec<Dependent>,
    pub exposure: Option<String>,
}

/// Dependents named on a key card before "and N more".
const DEPENDENTS_SHOWN: usize = 6;

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
    /// The audit's findings on this resource (the final state only).
    pub findings: Vec<Finding>,
    /// For a key: what depends on it (`None` while not audited).
    pub key_use: Option<KeyUse>,
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
    let findings = (!p.findings.is_empty()).then(|| {
        html! {
            <ul class="findings" aria-label={format!("Key risks of {}", p.name)}>
                { for p.findings.iter().map(|f| finding(f, p.readonly, &p.dispatch)) }
            </ul>
        }
    });
    let key_use = p.key_use.as_ref().map(key_use);
    html! {
        <article class={classes!("card", p.class, p.selected.then_some("selected"), (!p.findings.is_empty()).then_some("has-findings"))}
            data-resource={p.name.clone()} data-kind={p.kind} data-encryption={p.encryption.clone()}
            data-health={p.health} data-state={p.state}
            tabindex="0" {onclick} {onkeydown}>
            <h4>{ p.name.clone() }{ p.subtitle.clone().map(|s| html! { <span class="muted small">{ s }</span> }).unwrap_or_default() }</h4>
            { p.badge.clone().map(|b| html! { <p class="badge">{ b }</p> }).unwrap_or_default() }
            { for p.body.iter().map(|l| html! { <p class={classes!("small", l.class)}>{ l.text.clone() }</p> }) }
            { key_use.unwrap_or_default() }
            { findings.unwrap_or_default() }
            { attach.unwrap_or_default() }
            { actions.unwrap_or_default() }
            { hint.unwrap_or_default() }
            { what_if.unwrap_or_default() }
        </article>
    }
}

/// A finding's kind in symbol and words (not colour alone).
pub fn effect_label(effect: Effect) -> &'static str {
    match effect {
        Effect::AtRisk => "! at risk",
        Effect::Unattachable => "⊘ unattachable",
        Effect::Unrecoverable => "✗ unrecoverable",
        Effect::LaunchFails => "✗ launches fail",
        Effect::RestoreFails => "✗ new disks from it fail",
    }
}

/// One finding: its kind (and the day its data is lost, while the key is pending deletion),
/// its key, the engine's sentence and fix. The fix restores the key, so it goes at the end:
/// the findings are about the state after the last line.
fn finding(f: &Finding, readonly: bool, dispatch: &Dispatch) -> Html {
    let when = match (f.effect, f.unrecoverable_on, f.days_left) {
        (Effect::Unrecoverable, _, _) | (_, None, _) => None,
        (_, Some(day), Some(1)) => Some(format!("◔ unrecoverable on day {day} (1 day left)")),
        (_, Some(day), Some(left)) => {
            Some(format!("◔ unrecoverable on day {day} ({left} days left)"))
        }
        (_, Some(day), None) => Some(format!("◔ unrecoverable on day {day}")),
    };
    let fix = f.fix.as_ref().map(|lines| {
        let apply = (!readonly).then(|| {
            let (d, l) = (dispatch.clone(), lines.clone());
            html! {
                <button type="button" class="small" data-apply-finding-fix={f.resource.clone()}
                    onclick={Callback::from(move |e: MouseEvent| { e.stop_propagation(); d.dispatch(Action::InsertBefore(u32::MAX, statements_of(&l))); })}>
                    { "Apply fix" }
                </button>
            }
        });
        html! {
            <div class="fix">
                <span class="muted">{ "Fix: add at the end " }</span>
                { for lines.iter().map(|x| html! { <code>{ x.clone() }</code> }) }
                { apply.unwrap_or_default() }
            </div>
        }
    });
    html! {
        <li class={classes!("finding", format!("finding-{}", f.effect.as_str()))}
            data-finding={f.effect.as_str()} data-finding-key={f.key.clone()}>
            <p class="finding-head">
                <strong class="finding-kind">{ effect_label(f.effect) }</strong>
                if let Some(w) = when { <strong class="finding-when">{ w }</strong> }
                <span class="small">{ format!("key {} ({}) · {}", f.key, f.key_state, f.rule.as_str()) }</span>
            </p>
            <p class="small finding-message">{ f.message.clone() }</p>
            { fix.unwrap_or_default() }
        </li>
    }
}

/// What depends on a key and, for an enabled one, what losing it would hit.
fn key_use(u: &KeyUse) -> Html {
    let named: Vec<String> = u
        .dependents
        .iter()
        .take(DEPENDENTS_SHOWN)
        .map(|d| format!("{} {}", d.kind, d.name))
        .collect();
    let more = u.dependents.len().saturating_sub(DEPENDENTS_SHOWN);
    let list = if u.dependents.is_empty() {
        "Used by nothing.".to_owned()
    } else if more > 0 {
        format!(
            "Used by {}: {} and {more} more.",
            u.dependents.len(),
            named.join(", ")
        )
    } else {
        format!("Used by {}: {}.", u.dependents.len(), named.join(", "))
    };
    html! {
        <div class="key-use" data-dependents={u.dependents.len().to_string()}>
            <p class="small">{ list }</p>
            if let Some(e) = &u.exposure { <p class="small exposure" data-exposure="">{ "⚠ " }{ e.clone() }</p> }
        </div>
    }
}
