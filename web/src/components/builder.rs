//! The "Add step" palette: the forms of [`crate::authoring::form`] wired to the DOM. The line
//! a form makes is previewed live, with the engine's verdict on it where it will go
//! ([`keyline_rules::preview`]), and inserted as a value ([`Action::Insert`]).

use super::results::verdict_note;
use crate::authoring::form::{
    form, preview_line, Context, Control, Field, Fields, Template, CHECKED,
};
use crate::authoring::one;
use crate::authoring::text::insertion_line;
use crate::state::{Action, Dispatch};
use gloo_timers::callback::Timeout;
use keyline_rules::Step;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The palette's own state: the chosen form, what the user changed in it, the last message.
#[derive(Debug, Clone, PartialEq)]
struct Draft {
    template: Template,
    user: Fields,
    status: String,
}

enum DraftAction {
    Choose(Template),
    Set(&'static str, String),
    Added(Rc<str>),
}

impl Reducible for Draft {
    type Action = DraftAction;

    fn reduce(self: Rc<Self>, action: DraftAction) -> Rc<Self> {
        let mut d = (*self).clone();
        match action {
            DraftAction::Choose(t) => {
                d.template = t;
                d.user.clear();
                d.status.clear();
            }
            DraftAction::Set(id, value) => {
                d.user.insert(id, value);
            }
            DraftAction::Added(line) => {
                d.user.clear();
                d.status = format!("Added: {line}");
            }
        }
        Rc::new(d)
    }
}

/// Properties of [`Builder`].
#[derive(Clone, PartialEq, Properties)]
pub struct BuilderProps {
    pub report: crate::state::ReportRef,
    pub dispatch: Dispatch,
    /// The parsed scenario: with `cursor_line`, the forms offer the names of the state at the
    /// caret; fresh names avoid every name of its text; the line is previewed in it.
    pub program: crate::state::ProgramRef,
    /// The caret's 1-based line, where `Action::Insert` puts the line (None: at the end).
    #[prop_or_default]
    pub cursor_line: Option<u32>,
    /// Lines of the program before the editor's first line (a level's locked start): the
    /// caret's line is said as the editor numbers it.
    #[prop_or(0)]
    pub offset: u32,
}

fn control_id(id: &str) -> String {
    format!("builder-{id}")
}

/// The "add step" palette.
#[component]
pub fn Builder(props: &BuilderProps) -> Html {
    let draft = use_reducer(|| Draft {
        template: Template::Role,
        user: Fields::new(),
        status: String::new(),
    });
    let form_ref = use_node_ref();

    // The statements before the insertion point; the state after them, when that is not the
    // final state (computed only then, and only when the text or the caret moves).
    let report = &props.report;
    let before = props
        .cursor_line
        .map(|l| report.steps.iter().take_while(|s| s.line <= l).count());
    let partial = before.filter(|n| *n < report.steps.len());
    let state_at = use_memo(
        (props.program.clone(), partial),
        |(program, partial)| match partial {
            Some(n) => keyline_rules::state_after(program, *n).ok(),
            _ => None,
        },
    );
    let cx = Context {
        state: match (*state_at).as_ref() {
            Some(s) if partial.is_some() => s,
            _ => &report.state,
        },
        last: match before {
            Some(n) => n.checked_sub(1).and_then(|i| report.steps.get(i)),
            None => report.steps.last(),
        },
        program: &props.program,
        at_line: insertion_line(props.cursor_line, &props.program.source),
    };
    let where_to = match props.cursor_line {
        Some(l) => format!(
            "Inserted after line {}, where the caret is.",
            l.saturating_sub(props.offset)
        ),
        None => "Inserted after the line with the caret, or at the end.".to_owned(),
    };

    let t = draft.template;
    let mut built = form(t, &cx, &draft.user);
    let text = built.text();
    let blocked = built.blocked.clone();
    // The line, shared by the preview below and the submit button.
    let lines = built.line.take().filter(|_| blocked.is_none()).map(one);
    // The engine's verdict on the line where it goes: a replay of the scenario up to there,
    // made in the task after this render (a zero-delay timeout, cancelled by the next change)
    // so that an edit's verdicts are on screen first. A verdict is shown only for the line
    // and place it was made for.
    let previewed = use_state(|| None::<Rc<Step>>);
    {
        let set = previewed.setter();
        let (program, at, lines) = (props.program.clone(), cx.at_line, lines.clone());
        let key = (
            props.program.clone(),
            cx.at_line,
            text.clone(),
            lines.is_some(),
        );
        use_effect_with(key, move |_| {
            let pending = Timeout::new(0, move || {
                let line = lines.as_deref().and_then(<[_]>::first);
                let step = line.and_then(|line| preview_line(&program, at, line));
                set.set(step.map(Rc::new));
            });
            move || drop(pending)
        });
    }
    let step = (*previewed)
        .as_ref()
        .filter(|s| lines.is_some() && s.statement == text && s.line == cx.at_line);
    let fields = &built.fields;
    // An empty select already says why next to it; other problems are said under the preview.
    let said_by_field = blocked.as_ref().is_some_and(|(id, _)| {
        fields.iter().any(|f| {
            f.id == *id
                && matches!(&f.control, Control::Select { choices, .. } if choices.is_empty())
        })
    });
    let blocked_by = blocked.as_ref().map(|(id, _)| {
        if said_by_field {
            format!("{}-empty", control_id(id))
        } else {
            "builder-blocked".to_owned()
        }
    });

    // A `<select>`'s shown value does not follow its options' `selected` attributes once the
    // user has picked one, so every render sets each select to the value it should show.
    {
        let form_ref = form_ref.clone();
        use_effect(move || {
            if let Some(form) = form_ref.cast::<web_sys::Element>() {
                if let Ok(list) = form.query_selector_all("select[data-value]") {
                    for i in 0..list.length() {
                        let Some(select) = list
                            .item(i)
                            .and_then(|n| n.dyn_into::<HtmlSelectElement>().ok())
                        else {
                            continue;
                        };
                        if let Some(v) = select.get_attribute("data-value") {
                            if select.value() != v {
                                select.set_value(&v);
                            }
                        }
                    }
                }
            }
        });
    }

    let choose = {
        let draft = draft.dispatcher();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(t) = Template::from_id(&value) {
                draft.dispatch(DraftAction::Choose(t));
            }
        })
    };

    let onsubmit = {
        let draft = draft.dispatcher();
        let dispatch = props.dispatch.clone();
        let lines = lines.clone();
        let text: Rc<str> = text.as_str().into();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(lines) = &lines {
                dispatch.dispatch(Action::Insert(lines.clone()));
                draft.dispatch(DraftAction::Added(text.clone()));
            }
        })
    };
    let verdict = step.map(|s| verdict_note(s));

    let mut groups: Vec<(&'static str, Vec<Template>)> = Vec::new();
    for &tpl in Template::ALL {
        match groups.last_mut() {
            Some((g, list)) if *g == tpl.group() => list.push(tpl),
            _ => groups.push((tpl.group(), vec![tpl])),
        }
    }

    let field_html = |f: &Field| -> Html {
        let id = control_id(f.id);
        let hint_id = format!("{id}-hint");
        let describedby = f.hint.as_ref().map(|_| hint_id.clone());
        let fid = f.id;
        let on_text = {
            let draft = draft.dispatcher();
            Callback::from(move |e: InputEvent| {
                let v = e.target_unchecked_into::<HtmlInputElement>().value();
                draft.dispatch(DraftAction::Set(fid, v));
            })
        };
        let on_select = {
            let draft = draft.dispatcher();
            Callback::from(move |e: Event| {
                let v = e.target_unchecked_into::<HtmlSelectElement>().value();
                draft.dispatch(DraftAction::Set(fid, v));
            })
        };
        let on_check = {
            let draft = draft.dispatcher();
            Callback::from(move |e: Event| {
                let checked = e.target_unchecked_into::<HtmlInputElement>().checked();
                let v = if checked { CHECKED } else { "" };
                draft.dispatch(DraftAction::Set(fid, v.to_owned()));
            })
        };
        let hint = f.hint.as_ref().map(|h| {
            html! { <p id={hint_id.clone()} class="small muted builder-hint">{ h.clone() }</p> }
        });
        let control = match &f.control {
            Control::NewName | Control::OptionalName => html! {
                <input type="text" id={id.clone()} name={f.id} value={f.value.clone()}
                    required={f.control == Control::NewName}
                    spellcheck="false" autocomplete="off" autocapitalize="off"
                    aria-describedby={describedby} oninput={on_text} />
            },
            Control::Number { min, max, .. } => html! {
                <input type="number" id={id.clone()} name={f.id} value={f.value.clone()}
                    min={min.to_string()} max={max.to_string()} step="1" inputmode="numeric"
                    required=true aria-describedby={describedby} oninput={on_text} />
            },
            Control::Check => html! {
                <input type="checkbox" id={id.clone()} name={f.id} checked={f.value == CHECKED}
                    aria-describedby={describedby} onchange={on_check} />
            },
            Control::Select { choices, empty } if choices.is_empty() => html! {
                <>
                    <select id={id.clone()} name={f.id} disabled=true aria-describedby={format!("{id}-empty")}>
                        <option value="">{ "(none)" }</option>
                    </select>
                    <p id={format!("{id}-empty")} class="small muted builder-hint" data-builder-empty="">{ empty.clone() }</p>
                </>
            },
            Control::Select { choices, .. } => html! {
                <select id={id.clone()} name={f.id} data-value={f.value.clone()}
                    aria-describedby={describedby} onchange={on_select}>
                    { for choices.iter().map(|c| html! {
                        <option value={c.value.clone()} selected={c.value == f.value}>{ c.label.clone() }</option>
                    }) }
                </select>
            },
        };
        if f.control == Control::Check {
            html! {
                <div class="builder-field builder-check">
                    { control }
                    <label for={id}>{ f.label }</label>
                    { hint.unwrap_or_default() }
                </div>
            }
        } else {
            html! {
                <div class="builder-field">
                    <label for={id}>{ f.label }</label>
                    { control }
                    { hint.unwrap_or_default() }
                </div>
            }
        }
    };

    html! {
        <section class="builder" aria-labelledby="builder-title">
            <h3 id="builder-title" class="sub-title">{ "Add step" }</h3>
            <form ref={form_ref} class="builder-form" {onsubmit} novalidate=true>
                <div class="builder-field">
                    <label for="builder-statement">{ "Statement" }</label>
                    <select id="builder-statement" data-value={t.id()} onchange={choose}
                        aria-describedby="builder-about">
                        { for groups.iter().map(|(g, list)| html! {
                            <optgroup label={*g}>
                                { for list.iter().map(|tpl| html! {
                                    <option value={tpl.id()} selected={*tpl == t}>{ tpl.label() }</option>
                                }) }
                            </optgroup>
                        }) }
                    </select>
                </div>
                <p id="builder-about" class="small muted">{ t.about() }</p>
                // One node whatever the number of fields: spliced in as the form's own children,
                // a different count would shift yew's by-position diff and re-create the
                // statement's select (a keyboard user changing it with the arrow keys lost focus).
                <>{ for fields.iter().map(field_html) }</>
                <p class="builder-preview small">
                    <span class="muted">{ if t.is_expectation() { "Check to insert: " } else { "Step to insert: " } }</span>
                    <code data-builder-preview="">{ text.clone() }</code>
                </p>
                { verdict.unwrap_or_default() }
                if let Some((_, why)) = blocked.as_ref().filter(|_| !said_by_field) {
                    <p class="small muted builder-blocked" id="builder-blocked">{ why.clone() }</p>
                }
                <div class="builder-actions">
                    <button type="submit" data-builder-add="" disabled={blocked.is_some()}
                        aria-describedby={blocked_by}>{ "Add step" }</button>
                    <span class="small muted">{ where_to }</span>
                </div>
                <p class="small muted builder-status" role="status" aria-live="polite">{ draft.status.clone() }</p>
            </form>
        </section>
    }
}
