//! The resource board: a card per resource, grouped by kind, with quick actions that insert
//! statements (the engine judges them like typed ones), the audit's findings on the cards they
//! concern, what depends on each key, and the what-if panel for keys.

mod attach;
mod card;
mod cards;
mod compact;
mod what_if;

pub use attach::AttachPicker;
pub use card::{effect_label, Card, CardLine, CardProps, KeyUse};
pub use cards::all_rows;
pub use compact::{Compact, CompactList};
pub use what_if::WhatIf;

use crate::authoring::form::preview_line;
use crate::authoring::names::Taken;
use crate::authoring::text::insertion_line;
use crate::authoring::Lines;
use crate::state::{Dispatch, ProgramRef, Selection};
use cards::{findings_by_resource, groups, key_uses, CardContext, Group};
use keyline_rules::{Action as KeyAction, StateView, Step};
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`Board`].
#[derive(Clone, PartialEq, Properties)]
pub struct BoardProps {
    pub report: crate::state::ReportRef,
    pub program: ProgramRef,
    pub at_step: Option<usize>,
    pub selection: Selection,
    pub dispatch: Dispatch,
    #[prop_or(false)]
    pub readonly: bool,
    /// The caret's line: quick actions insert after it, and are previewed there.
    #[prop_or_default]
    pub cursor_line: Option<u32>,
}

/// A resource's encryption in words, for card bodies and rows: the engine's `none` would read
/// as a key named "none".
pub(crate) fn enc_label(e: &str) -> String {
    if e == "none" {
        "unencrypted".to_owned()
    } else {
        format!("key {e}")
    }
}

/// Cards shown per group before "show more" (a huge paste stays responsive).
const CARDS_PER_PAGE: usize = 100;

/// Up to this many statements, what depends on each key is audited on every change; beyond
/// it, on request: the audit's exposure runs a what-if per key, which grows with keys × state,
/// and at 1,000 statements it was most of a keystroke's time (`cargo xtask bench`: p95 148 ms).
/// Lessons, docs examples and most tickets stay far below it.
pub const AUDIT_LIVE_STATEMENTS: usize = 300;

/// The board. Its hooks come first, unconditionally; the cards and rows are built by the
/// plain functions of `cards.rs` from what the hooks hold.
#[component]
pub fn Board(props: &BoardProps) -> Html {
    let past = use_memo((props.at_step, props.program.clone()), |(at, program)| {
        at.and_then(|k| keyline_rules::state_after(program, k).ok())
    });
    // The audit is of the state after the last line: shown live, not while time travelling.
    let live = props.at_step.is_none();
    let audit_asked = use_state(|| None::<ProgramRef>);
    let audit_small = props.report.steps.len() <= AUDIT_LIVE_STATEMENTS;
    let audit_wanted = live && (audit_small || audit_asked.as_ref() == Some(&props.program));
    let audited = use_memo(
        (props.program.clone(), audit_wanted),
        |(program, wanted)| wanted.then(|| keyline_rules::audit(program)),
    );
    let whatif = use_state(|| None::<(String, KeyAction)>);
    let pages = use_state(|| 1usize);
    // The quick action whose preview is shown (focused or hovered).
    let hinted = use_state(|| None::<(String, Lines)>);

    let state: &StateView = past.as_ref().as_ref().unwrap_or(&props.report.state);
    let ctx = CardContext {
        limit: CARDS_PER_PAGE * *pages,
        hint: quick_hint((*hinted).as_ref(), props),
        on_hint: hinted.setter(),
        findings: findings_by_resource(if live { &props.report.findings } else { &[] }),
        uses: audited.as_ref().as_ref().map(key_uses).unwrap_or_default(),
        what_if: whatif.setter(),
        selected: &props.selection.names,
        readonly: props.readonly || !live,
        dispatch: &props.dispatch,
        taken: Taken::new(&props.program),
    };
    let groups = groups(&ctx, state);
    let biggest = groups.iter().map(|g| g.count).max().unwrap_or(0);
    let risks = if live { props.report.findings.len() } else { 0 };
    let ask_audit = (live && audited.is_none() && !state.keys.is_empty())
        .then(|| ask_audit_button(audit_asked.clone(), props.program.clone()));
    html! {
        <section class="panel board" aria-labelledby="board-title">
            { header(props.at_step, state, risks) }
            { ask_audit.unwrap_or_default() }
            { for groups.into_iter().map(|g| group_view(g, &props.selection.names, &props.dispatch)) }
            if biggest > ctx.limit {
                { show_more(pages.clone(), biggest - ctx.limit) }
            }
            { (*whatif).clone().map(|(key, action)| what_if_panel(key, action, &whatif, props)).unwrap_or_default() }
        </section>
    }
}

/// The engine's preview of the hinted quick action at the caret, for the card it is on.
fn quick_hint(hinted: Option<&(String, Lines)>, props: &BoardProps) -> Option<(String, Rc<Step>)> {
    let (card, lines) = hinted?;
    let at = insertion_line(props.cursor_line, &props.program.source);
    let step = preview_line(&props.program, at, lines.first()?)?;
    Some((card.clone(), Rc::new(step)))
}

/// The title (the day, or the statement time travel stopped at), KMS access and role, the
/// empty state, and the count of key risks (`risks`: 0 while time travelling).
fn header(at_step: Option<usize>, state: &StateView, risks: usize) -> Html {
    let title = match at_step {
        Some(k) => format!("Resources after statement {k} (time travel)"),
        None => format!("Resources on day {}", state.day),
    };
    let access = if state.kms_access {
        "granted"
    } else {
        "not granted"
    };
    let empty = state.names().next().is_none();
    html! {
        <>
            <h2 id="board-title" class="panel-title">{ title }</h2>
            <p class="muted small">{ format!("KMS access {access}; acting as {}.", state.role) }</p>
            if empty { { empty_note() } }
            if risks > 0 { { risks_note(risks) } }
        </>
    }
}

/// What to do on an empty board.
fn empty_note() -> Html {
    html! { <p class="muted">{ "No resources yet. Add a step below the editor, or open an example." }</p> }
}

/// How many key risks the audit found: they are on the cards, so the count says where to look.
fn risks_note(risks: usize) -> Html {
    let noun = if risks == 1 { "risk" } else { "risks" };
    html! {
        <p class="board-risks" data-findings-count={risks.to_string()}>
            { format!("⚠ {risks} key {noun} after the last line: each is shown on the card it concerns, with its fix.") }
        </p>
    }
}

/// Asks for the audit of a long scenario (it runs a what-if per key, so not on every edit).
fn ask_audit_button(asked: UseStateHandle<Option<ProgramRef>>, program: ProgramRef) -> Html {
    html! {
        <button type="button" class="small" data-audit-keys=""
            onclick={Callback::from(move |_| asked.set(Some(program.clone())))}>
            { "Show what depends on each key" }
        </button>
    }
}

/// A kind's group: its cards (keyed by name, so an unchanged card is skipped) and its rows.
fn group_view(group: Group, selected: &[String], dispatch: &Dispatch) -> Html {
    if group.count == 0 {
        return html! {};
    }
    let Group {
        title,
        count,
        cards,
        rest,
    } = group;
    html! {
        <section class="group">
            <h3 class="sub-title">{ format!("{title} ({count})") }</h3>
            <div class="cards">{ for cards.into_iter().map(card) }</div>
            if !rest.is_empty() {
                <CompactList items={Rc::new(rest)} selected={selected.to_vec()} dispatch={dispatch.clone()} />
            }
        </section>
    }
}

/// A card keyed by its resource's name.
fn card(p: CardProps) -> Html {
    let key = p.name.clone();
    html! { <Card {key} ..p /> }
}

/// One more page of cards per kind; `as_rows` resources of the biggest kind are rows now.
fn show_more(pages: UseStateHandle<usize>, as_rows: usize) -> Html {
    html! {
        <button type="button" onclick={Callback::from(move |_| pages.set(*pages + 1))}>
            { format!("Show {CARDS_PER_PAGE} more cards of each kind ({as_rows} as rows)") }
        </button>
    }
}

/// The what-if panel for `key` and `action`; its buttons switch or close it.
fn what_if_panel(
    key: String,
    action: KeyAction,
    whatif: &UseStateHandle<Option<(String, KeyAction)>>,
    props: &BoardProps,
) -> Html {
    let w = whatif.clone();
    let on_action = Callback::from(move |a: Option<(String, KeyAction)>| w.set(a));
    html! {
        <WhatIf program={props.program.clone()} key_name={key} {action} {on_action}
            dispatch={props.dispatch.clone()} />
    }
}
