//! What the engine made of the scenario: the summary, the timeline, every statement's verdict
//! (with rule, sentence, provenance and fix) and every expectation.

use crate::authoring::form::verdict_text;
use crate::authoring::statements_of;
use crate::hooks::{keyboard::activate_on_enter, use_chunked};
use crate::state::{Action, Dispatch, Selection};
use keyline_rules::{ExpectationReport, Outcome, RuleId, Step};
use yew::prelude::*;

/// Rows rendered at once; the rest follow in chunks of this size, one chunk per task, so a
/// long paste shows its first verdicts at once and never blocks the page for long.
const CHUNK: usize = 500;

/// Properties of [`Results`].
#[derive(Clone, PartialEq, Properties)]
pub struct ResultsProps {
    pub report: crate::state::ReportRef,
    pub selection: Selection,
    pub at_step: Option<usize>,
    pub dispatch: Dispatch,
}

/// Whether a step involves any of the resources in `names` (the engine lists a step's
/// resources: those it names, the disks it created, those its warning names).
pub fn involved(step: &Step, names: &[String]) -> bool {
    step.resources.iter().any(|r| names.contains(r))
}

/// The engine's preview of a line not yet in the scenario (the builder's, a quick action's):
/// symbol, outcome, code and sentence (`data-verdict`).
pub fn verdict_note(step: &Step) -> Html {
    let (sym, word) = outcome_label(step.outcome);
    let class = match step.outcome {
        Outcome::Ok => "small verdict",
        Outcome::Warn => "small verdict verdict-warn",
        Outcome::Fail => "small verdict verdict-fail",
    };
    html! {
        <p {class} data-verdict={word}>{ sym }{ " " }{ verdict_text(step) }</p>
    }
}

/// The outcome as text and symbol (not colour alone).
pub fn outcome_label(o: Outcome) -> (&'static str, &'static str) {
    match o {
        Outcome::Ok => ("✓", "ok"),
        Outcome::Warn => ("!", "warn"),
        Outcome::Fail => ("✗", "fail"),
    }
}

/// How many of `steps` are ok, warned and failed.
fn outcome_counts<'a>(steps: impl Iterator<Item = &'a Step>) -> (usize, usize, usize) {
    steps.fold((0, 0, 0), |(a, b, c), s| match s.outcome {
        Outcome::Ok => (a + 1, b, c),
        Outcome::Warn => (a, b + 1, c),
        Outcome::Fail => (a, b, c + 1),
    })
}

/// The results panel.
#[component]
pub fn Results(props: &ResultsProps) -> Html {
    let r = &props.report;
    let total = r.steps.len().max(r.expectations.len());
    let limit = use_chunked(total, CHUNK);
    let (ok, warn, fail) = outcome_counts(r.steps.iter());
    let more = total.saturating_sub(limit);
    let title = r.title.clone().filter(|t| !t.is_empty());
    html! {
        <section class="panel results" aria-labelledby="results-title">
            <h2 id="results-title" class="panel-title">{ "Verdicts" }</h2>
            if let Some(t) = title { <p class="scenario-title">{ t }</p> }
            <p class={classes!("summary", (r.summary.failed > 0).then_some("summary-failed"))}
               data-summary="" aria-live="polite">{ r.summary.to_string() }</p>
            <p class="muted small counts">
                { format!("{} statements: {ok} ok, {warn} warned, {fail} failed", r.steps.len()) }
                { if r.errors.is_empty() { String::new() } else { format!("; {} parse errors", r.errors.len()) } }
            </p>
            <Timeline steps={r.steps.len()} at_step={props.at_step}
                line={props.at_step.and_then(|s| s.checked_sub(1)).and_then(|i| r.steps.get(i)).map(|s| s.line)}
                dispatch={props.dispatch.clone()} />
            <h3 class="sub-title">{ "Statements" }</h3>
            <ol class="steps">
                { for (0..limit.min(r.steps.len())).step_by(CHUNK).map(|start| html! {
                    <StepBlock key={start} {start} report={props.report.clone()}
                        selection={props.selection.clone()} at_step={props.at_step}
                        dispatch={props.dispatch.clone()} />
                }) }
            </ol>
            if !r.expectations.is_empty() {
                <h3 class="sub-title">{ "Expectations" }</h3>
                <ul class="expectations">
                    { for (0..limit.min(r.expectations.len())).step_by(CHUNK).map(|start| html! {
                        <ExpectBlock key={start} {start} report={props.report.clone()}
                            selected_line={props.selection.line} dispatch={props.dispatch.clone()} />
                    }) }
                </ul>
            }
            if more > 0 {
                <p class="muted small" role="status">{ format!("Showing more rows… ({more} to go)") }</p>
            }
        </section>
    }
}

/// Properties of [`StepBlock`].
#[derive(Clone, PartialEq, Properties)]
pub struct StepBlockProps {
    pub report: crate::state::ReportRef,
    /// The index of the block's first step; a block holds [`CHUNK`] steps.
    pub start: usize,
    pub selection: Selection,
    pub at_step: Option<usize>,
    pub dispatch: Dispatch,
}

/// [`CHUNK`] statement rows: when a chunk of rows is added, the blocks already shown keep
/// their props and are skipped, so showing every row of a long paste stays linear.
#[component]
pub fn StepBlock(props: &StepBlockProps) -> Html {
    let r = &props.report;
    let steps = r.steps.get(props.start..).unwrap_or_default();
    // The engine says where a plan's changes start; the first of them gets a heading row.
    let planned = |line: u32| r.planned_from.is_some_and(|from| line > from);
    let before_block = props
        .start
        .checked_sub(1)
        .and_then(|i| r.steps.get(i))
        .is_some_and(|s| planned(s.line));
    let first_planned = steps
        .iter()
        .take(CHUNK)
        .position(|s| planned(s.line))
        .filter(|_| !before_block);
    let row = |k: usize, s: &Step| {
        let i = props.start + k;
        let selected = props.selection.line == Some(s.line)
            || (!props.selection.names.is_empty() && involved(s, &props.selection.names));
        let future = props.at_step.is_some_and(|at| i >= at);
        html! {
            <StepRow key={s.line} step={s.clone()} {selected} {future} planned={planned(s.line)} dispatch={props.dispatch.clone()} />
        }
    };
    let split = first_planned.unwrap_or(CHUNK);
    html! {
        <>
            { for steps.iter().take(split).enumerate().map(|(k, s)| row(k, s)) }
            if first_planned.is_some() {
                <PlannedHeading from={r.planned_from.unwrap_or_default()}
                    counts={outcome_counts(r.steps.iter().filter(|s| planned(s.line)))} />
            }
            { for steps.iter().enumerate().take(CHUNK).skip(split).map(|(k, s)| row(k, s)) }
        </>
    }
}

/// Properties of [`PlannedHeading`].
#[derive(Clone, PartialEq, Properties)]
pub struct PlannedHeadingProps {
    /// The line of the `# planned changes` comment.
    pub from: u32,
    /// The planned statements that are ok, warned and failed.
    pub counts: (usize, usize, usize),
}

/// The row that starts a plan's changes: the statements below it are what the plan would do,
/// the ones above rebuild the state before it.
#[component]
pub fn PlannedHeading(props: &PlannedHeadingProps) -> Html {
    let (from, (ok, warn, fail)) = (props.from, props.counts);
    html! {
        <li class="planned-heading" data-planned-heading={props.from.to_string()}>
            <h4>{ "Planned changes" }</h4>
            <p class="small">{ format!("From line {from}: {} {} — ✓ {ok} ok, ! {warn} warned, ✗ {fail} failed. Above: the prior state, rebuilt.",
                ok + warn + fail, if ok + warn + fail == 1 { "statement" } else { "statements" }) }</p>
        </li>
    }
}

/// Properties of [`ExpectBlock`].
#[derive(Clone, PartialEq, Properties)]
pub struct ExpectBlockProps {
    pub report: crate::state::ReportRef,
    /// The index of the block's first expectation; a block holds [`CHUNK`] of them.
    pub start: usize,
    pub selected_line: Option<u32>,
    pub dispatch: Dispatch,
}

/// [`CHUNK`] expectation rows (see [`StepBlock`]).
#[component]
pub fn ExpectBlock(props: &ExpectBlockProps) -> Html {
    let list = props
        .report
        .expectations
        .get(props.start..)
        .unwrap_or_default();
    html! {
        <>
            { for list.iter().take(CHUNK).map(|e| html! {
                <ExpectRow key={e.line} expectation={e.clone()}
                    selected={props.selected_line == Some(e.line)} dispatch={props.dispatch.clone()} />
            }) }
        </>
    }
}

/// Properties of [`StepRow`].
#[derive(Clone, PartialEq, Properties)]
pub struct StepRowProps {
    pub step: Step,
    pub selected: bool,
    pub future: bool,
    /// After the `# planned changes` line: one of a plan's changes (`data-planned="true"`).
    #[prop_or(false)]
    pub planned: bool,
    pub dispatch: Dispatch,
}

/// One statement's verdict; re-renders only when the step itself changes.
#[component]
pub fn StepRow(props: &StepRowProps) -> Html {
    let s = &props.step;
    let (sym, word) = outcome_label(s.outcome);
    let select = {
        let d = props.dispatch.clone();
        let line = s.line;
        let names = s.resources.clone();
        Callback::from(move |_: MouseEvent| {
            d.dispatch(Action::Select(Selection {
                line: Some(line),
                names: names.clone(),
            }));
        })
    };
    let rule = {
        let d = props.dispatch.clone();
        let r: RuleId = s.rule;
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            d.dispatch(Action::OpenRule(Some(r)));
        })
    };
    let fix = s.fix.as_ref().map(|lines| {
        let d = props.dispatch.clone();
        let (line, l) = (s.line, lines.clone());
        html! {
            <div class="fix">
                <span class="muted">{ "Fix: insert before this line " }</span>
                { for lines.iter().map(|x| html! { <code>{ x.clone() }</code> }) }
                <button type="button" class="small" data-apply-fix={s.line.to_string()}
                    onclick={Callback::from(move |e: MouseEvent| { e.stop_propagation(); d.dispatch(Action::InsertBefore(line, statements_of(&l))); })}>
                    { "Apply fix" }
                </button>
            </div>
        }
    });
    let no_fix = (s.outcome == Outcome::Fail && s.fix.is_none()).then(|| {
        // Why there is none is the engine's sentence above (a deleted key, an immutable
        // encryption…); the app does not tell the codes apart.
        let why = "No fix: no statement inserted before this line can make it succeed; change the line itself.";
        html! { <div class="fix muted">{ why }</div> }
    });
    html! {
        <li class={classes!("step", format!("step-{word}"), props.selected.then_some("selected"), props.future.then_some("future"), props.planned.then_some("planned"))}
            data-line={s.line.to_string()} data-outcome={word}
            data-code={s.code.map(|c| AttrValue::from(c.as_str()))}
            data-planned={props.planned.then_some("true")}
            tabindex="0" onkeydown={activate_on_enter(select.clone())} onclick={select}>
            <div class="step-head">
                <span class="line-no">{ s.line }</span>
                <span class={classes!("badge", format!("badge-{word}"))}>{ sym }{ " " }{ word }</span>
                if let Some(c) = s.code { <span class="outcome-code">{ c.as_str() }</span> }
                if props.planned { <span class="planned-tag">{ "planned" }</span> }
                // Time travel: a word, not a fade, says the line is after the shown point.
                if props.future { <span class="planned-tag future-tag">{ "later" }</span> }
                <button type="button" class="rule link" onclick={rule} title="Show the rule and its source">{ s.rule.as_str() }</button>
            </div>
            <code class="statement">{ s.statement.clone() }</code>
            <p class="message">{ s.message.clone() }</p>
            if let Some(p) = &s.provenance { <p class="provenance"><span class="muted">{ "Provenance: " }</span>{ p.clone() }</p> }
            { fix.unwrap_or_default() }
            { no_fix.unwrap_or_default() }
        </li>
    }
}

/// Properties of [`ExpectRow`].
#[derive(Clone, PartialEq, Properties)]
pub struct ExpectRowProps {
    pub expectation: ExpectationReport,
    pub selected: bool,
    pub dispatch: Dispatch,
}

/// One expectation.
#[component]
pub fn ExpectRow(props: &ExpectRowProps) -> Html {
    let e = &props.expectation;
    let select = {
        let d = props.dispatch.clone();
        let line = e.line;
        Callback::from(move |_: MouseEvent| {
            d.dispatch(Action::Select(Selection {
                line: Some(line),
                names: Vec::new(),
            }))
        })
    };
    html! {
        <li class={classes!("expect", if e.passed { "expect-pass" } else { "expect-fail" }, props.selected.then_some("selected"))}
            data-expect-line={e.line.to_string()} data-passed={e.passed.to_string()}
            tabindex="0" onkeydown={activate_on_enter(select.clone())} onclick={select}>
            <span class="line-no">{ e.line }</span>
            <span class="badge">{ if e.passed { "✓ passed" } else { "✗ failed" } }</span>
            <code>{ e.text.clone() }</code>
            if !e.passed { <span class="actual">{ " — got " }{ e.actual.clone() }</span> }
        </li>
    }
}

/// Properties of [`Timeline`].
#[derive(Clone, PartialEq, Properties)]
pub struct TimelineProps {
    pub steps: usize,
    pub at_step: Option<usize>,
    pub line: Option<u32>,
    pub dispatch: Dispatch,
}

/// Time travel: a slider over the statements; at the end it is the live view.
#[component]
pub fn Timeline(props: &TimelineProps) -> Html {
    if props.steps == 0 {
        return html! {};
    }
    let value = props.at_step.unwrap_or(props.steps);
    let steps = props.steps;
    let oninput = {
        let d = props.dispatch.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                let v: usize = i.value().parse().unwrap_or(steps);
                d.dispatch(Action::TimeTravel((v < steps).then_some(v)));
            }
        })
    };
    let live = {
        let d = props.dispatch.clone();
        Callback::from(move |_| d.dispatch(Action::TimeTravel(None)))
    };
    let label = match (props.at_step, props.line) {
        (None, _) => format!("Live: after all {steps} statements"),
        (Some(0), _) => "Before the first statement".to_owned(),
        (Some(k), Some(line)) => format!("After statement {k} of {steps} (line {line})"),
        (Some(k), None) => format!("After statement {k} of {steps}"),
    };
    html! {
        <div class="timeline">
            <label for="timeline">{ "Time travel" }</label>
            <input id="timeline" type="range" min="0" max={steps.to_string()} value={value.to_string()}
                aria-valuetext={label.clone()} {oninput} />
            <span class="muted small" data-timeline-label="">{ label }</span>
            if props.at_step.is_some() { <button type="button" class="small" onclick={live}>{ "Back to live" }</button> }
        </div>
    }
}
