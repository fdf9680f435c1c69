//! One level: the introduction and the documentation behind it, the locked start, the
//! learner's editor and builder (the playground's own components, on a state whose locked
//! lines are the start), live verdicts, the goal beside the current board with what still
//! differs, constraints, hints, the reference solution and, once done, the count and the next
//! level. Every verdict, check, constraint and difference is `keyline_learn`'s (the engine's);
//! this page lays them out.

use super::progress::ProgressHandle;
use super::Levels;
use crate::authoring::one;
use crate::components::board::{self, all_rows, Board};
use crate::components::results::verdict_note;
use crate::components::{builder::Builder, editor::Editor, graph};
use crate::state::{Action, AppState, Dispatch, Origin, Selection};
use keyline_learn::{grade, hint_statements, scenario, Grade, Level};
use keyline_rules::{preview, Outcome, Program, Report, Statement, Step};
use yew::prelude::*;

pub use keyline_learn::TRIES_BEFORE_SOLUTION;

/// Properties of [`LevelPage`].
#[derive(Clone, PartialEq, Properties)]
pub struct LevelPageProps {
    pub levels: Levels,
    /// The level's index in `levels`.
    pub at: usize,
    /// The level at `at`.
    pub level: Level,
    pub progress: ProgressHandle,
}

/// A symbol and words for a pass or a miss: never colour alone.
fn mark(passed: bool) -> (&'static str, &'static str) {
    if passed {
        ("✓", "met")
    } else {
        ("✗", "not yet")
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        "statement"
    } else {
        "statements"
    }
}

/// A level's prose with its `backquoted` statements shown as code (the level files' one
/// markup).
pub fn prose(text: &str) -> Html {
    html! {
        <>{ for text.split('`').enumerate().map(|(i, part)| {
            if i % 2 == 1 { html! { <code>{ part.to_owned() }</code> } } else { html! { { part.to_owned() } } }
        }) }</>
    }
}

/// The names the learner's last statement touched, when it succeeded (a failing statement
/// changes nothing): the engine's `Step::resources`.
fn changed(report: &Report, offset: u32) -> Option<(u32, Vec<String>)> {
    let last = report.steps.iter().rev().find(|s| s.line > offset)?;
    (last.outcome != Outcome::Fail).then(|| (last.line - offset, last.resources.clone()))
}

/// The engine's verdict on each whole statement the first `shown` hints quote
/// ([`hint_statements`]), as if the learner added it now after their last line: a
/// [`preview`] on the scenario grading evaluates, just before its goal checks.
fn hint_previews(level: &Level, text: &str, shown: usize) -> Vec<Vec<(Statement, Step)>> {
    let quoted: Vec<Vec<Statement>> = level
        .hints
        .iter()
        .take(shown)
        .map(|h| hint_statements(h))
        .collect();
    if quoted.iter().all(Vec::is_empty) {
        return vec![Vec::new(); quoted.len()];
    }
    let s = scenario(level, text);
    let program = Program::parse(&s.text);
    quoted
        .into_iter()
        .map(|stmts| {
            stmts
                .into_iter()
                .map(|st| {
                    let step = preview(&program, s.checks_from, &st);
                    (st, step)
                })
                .collect()
        })
        .collect()
}

/// One hint, with the engine's preview of each statement it quotes and a button that adds
/// it after the learner's last line.
fn hint_view(
    i: usize,
    hint: &str,
    previews: &[(Statement, Step)],
    dispatch: &Dispatch,
    added: &UseStateHandle<String>,
) -> Html {
    let rows = previews.iter().enumerate().map(|(j, (st, step))| {
        let text = st.to_string();
        let onclick = {
            let (d, added, lines, text) = (dispatch.clone(), added.clone(), one(st.clone()), text.clone());
            Callback::from(move |_: MouseEvent| {
                d.dispatch(Action::Append(lines.clone()));
                added.set(format!("Added “{text}” after your last line."));
            })
        };
        let label = format!("hint-{}-preview-{}", i + 1, j + 1);
        html! {
            <li class="hint-preview" data-hint-preview={text.clone()} data-outcome={step.outcome.as_str()}>
                <span class="muted small" id={label.clone()}>{ "If you add " }<code>{ text.clone() }</code>{ " after your last line:" }</span>
                { verdict_note(step) }
                <button type="button" class="small" data-hint-add={text.clone()} aria-describedby={label} {onclick}>{ "Add this line" }</button>
            </li>
        }
    });
    html! {
        <li data-hint="">
            { prose(hint) }
            if !previews.is_empty() {
                <ul class="hint-previews" aria-label={format!("What hint {} would do", i + 1)}>{ for rows }</ul>
            }
        </li>
    }
}

/// A level page.
#[component]
pub fn LevelPage(props: &LevelPageProps) -> Html {
    let level = props.level.clone();
    // The learner's lines: the playground's state and reducer, with the start locked before
    // them. Never autosaved, so the playground's scenario is never touched.
    let state = use_reducer({
        let start = level.start.clone();
        move || AppState::with_locked(&start, "", Origin::Edit)
    });
    let dispatch = state.dispatcher();
    let graded = use_memo((level.id.clone(), state.text.clone()), {
        let level = level.clone();
        move |(_, text)| grade(&level, text)
    });
    let hints = use_state(|| 0usize);
    // The revealed hints' statements, previewed again whenever the learner's lines change.
    let previews = use_memo((level.id.clone(), state.text.clone(), *hints), {
        let level = level.clone();
        move |(_, text, shown)| hint_previews(&level, text, *shown)
    });
    let added = use_state(String::new);
    let solution_open = use_state(|| false);
    let checked = use_state(|| None::<bool>);
    {
        // The result of the last check is about the lines as they were: an edit clears it.
        let checked = checked.clone();
        use_effect_with(state.text.clone(), move |_| checked.set(None));
    }
    let goal = use_memo(level.id.clone(), {
        let level = level.clone();
        move |_| keyline_learn::goal_state(&level)
    });

    // Done: kept in the progress (the best count); stored for the built-in course only.
    let persist = props.levels.pack.is_none();
    {
        let progress = props.progress.clone();
        let (id, done, count) = (level.id.clone(), graded.done, graded.statements);
        use_effect_with((id.clone(), done, count), move |_| {
            if done {
                progress.update(persist, |p| p.record_done(&id, count));
            }
        });
    }
    let tries = props
        .progress
        .progress
        .tries
        .get(&level.id)
        .copied()
        .unwrap_or(0);

    let g: &Grade = &graded;
    let offset = state.offset();
    let next = props.levels.levels.get(props.at + 1);
    let index_href = props.levels.index_href();
    let position = format!("Level {} of {}", props.at + 1, props.levels.levels.len());

    let intro = level
        .intro
        .split("\n\n")
        .map(|p| html! { <p>{ prose(p) }</p> });
    let rules = level.rules.iter().map(|r| {
        let info = r.info();
        html! {
            <li data-level-rule={info.id}>
                <code>{ info.id }</code>{ " " }{ info.text }
            </li>
        }
    });
    let quotes = level.quotes.iter().map(|q| html! {
        <blockquote data-quote="">
            <p>{ format!("“{}”", q.text) }</p>
            <footer class="small muted">{ format!("— {} ({})", q.source.title(), q.source.as_str()) }</footer>
        </blockquote>
    });
    let start_lines: Vec<&str> = if level.start.is_empty() {
        Vec::new()
    } else {
        level.start.split('\n').collect()
    };
    let start = html! {
        <div class="locked-start">
            <h3 class="sub-title" id="start-title">{ "The start (locked)" }</h3>
            if start_lines.is_empty() {
                <p class="muted small">{ "This level starts from nothing: your lines are the whole scenario." }</p>
            } else {
                <ol class="locked-lines" aria-labelledby="start-title" data-locked-start="">
                    { for start_lines.iter().enumerate().map(|(i, l)| {
                        let step = g.start_steps.iter().find(|s| s.line as usize == i + 1);
                        let (sym, words) = match step.map(|s| s.outcome) {
                            Some(Outcome::Ok) => ("✓", "ok"),
                            Some(Outcome::Warn) => ("!", "warning"),
                            Some(Outcome::Fail) => ("✗", "failed"),
                            None => ("", ""),
                        };
                        // A warning or a failure says why: the start is the story of the level.
                        let why = step.filter(|s| s.outcome != Outcome::Ok).map(|s| s.message.clone());
                        html! {
                            <li>
                                <code>{ (*l).to_owned() }</code>{ " " }
                                <span class="muted small" aria-hidden="true">{ sym }</span>
                                if !words.is_empty() { <span class="visually-hidden">{ words }</span> }
                                if let Some(why) = why { <span class="small start-why">{ format!(" — {why}") }</span> }
                            </li>
                        }
                    }) }
                </ol>
            }
        </div>
    };

    let verdicts = if g.steps.is_empty() && g.errors.is_empty() {
        html! { <p class="muted small">{ "Your lines' verdicts appear here as you type." }</p> }
    } else {
        html! {
            <ol class="learner-verdicts" aria-label="Verdicts on your lines">
                { for g.steps.iter().map(|s| {
                    let (sym, words, class) = crate::components::editor::Mark::Statement(s.outcome).label();
                    html! {
                        <li class={classes!("verdict", class)} data-learner-line={s.line.to_string()} data-outcome={s.outcome.as_str()}>
                            <span class="pos">{ format!("line {}", s.line) }</span>{ " " }
                            <span aria-hidden="true">{ sym }</span><span class="visually-hidden">{ words }</span>{ " " }
                            <code>{ s.statement.clone() }</code>{ " — " }{ s.message.clone() }
                        </li>
                    }
                }) }
                { for g.errors.iter().map(|e| html! {
                    <li class="verdict mark-error" data-learner-line={e.line.to_string()} data-outcome="error">
                        <span class="pos">{ format!("line {}", e.line) }</span>{ " ? " }{ e.message.clone() }
                    </li>
                }) }
            </ol>
        }
    };

    let checks = g.checks.iter().map(|c| {
        let (sym, words) = mark(c.passed);
        html! {
            <li data-goal-check="" data-passed={c.passed.to_string()} class={if c.passed { "mark-pass" } else { "mark-unmet" }}>
                <span aria-hidden="true">{ sym }</span>{ format!(" {words}: ") }<code>{ c.text.clone() }</code>
                if !c.passed { <span class="muted small">{ format!(" (now: {})", c.actual) }</span> }
            </li>
        }
    });
    let constraints = g.constraints.iter().map(|c| {
        let (sym, words) = mark(c.passed);
        html! {
            <li data-constraint="" data-passed={c.passed.to_string()} class={if c.passed { "mark-pass" } else { "mark-unmet" }}>
                <span aria-hidden="true">{ sym }</span>{ format!(" {words}: ") }{ c.sentence.clone() }
            </li>
        }
    });

    // The goal board: the goal state's resources, each marked with what still differs.
    let differences = keyline_learn::differences(g.state(), &goal);
    let goal_rows = all_rows(&goal);
    let goal_board = html! {
        <section class="panel goal-panel" aria-labelledby="goal-board-title">
            <h3 id="goal-board-title" class="panel-title">{ "Goal board" }</h3>
            <p class="small muted" data-goal-account="">
                { format!("KMS access {}; acting as {}.", if goal.kms_access { "granted" } else { "not granted" }, goal.role) }
            </p>
            if goal_rows.is_empty() {
                <p class="muted small">{ "The goal state holds no resource." }</p>
            }
            <ul class="goal-rows">
                { for goal_rows.iter().map(|r| {
                    let diff: Vec<&keyline_learn::Difference> = differences.iter().filter(|d| d.resource == r.name).collect();
                    let same = diff.is_empty();
                    let detail = match (r.state, r.health) {
                        (Some(s), _) => s.to_owned(),
                        (_, Some(h)) => format!("{} · {h}", board::enc_label(&r.encryption)),
                        _ => board::enc_label(&r.encryption),
                    };
                    html! {
                        <li class={classes!("goal-row", if same { "goal-same" } else { "goal-differs" })} data-goal-resource={r.name.clone()} data-differs={(!same).to_string()}>
                            <span aria-hidden="true">{ if same { "✓" } else { "≠" } }</span>{ " " }
                            <strong>{ format!("{} {}", r.kind, r.name) }</strong>{ " " }<span class="muted">{ detail }</span>
                            if same { <span class="visually-hidden">{ " (as in your board)" }</span> }
                            { for diff.iter().map(|d| html! { <div class="small">{ format!("≠ {}", d.sentence) }</div> }) }
                        </li>
                    }
                }) }
            </ul>
            // What no goal row shows: the account, and resources the goal does not have.
            <ul class="goal-rows">
                { for differences.iter().filter(|d| !goal_rows.iter().any(|r| r.name == d.resource)).map(|d| html! {
                    <li class="goal-row goal-differs" data-goal-resource={d.resource.clone()} data-differs="true">
                        <span aria-hidden="true">{ "≠" }</span>{ " " }{ d.sentence.clone() }
                    </li>
                }) }
            </ul>
            if differences.is_empty() {
                <p class="small" data-differences="0">{ "✓ Your board matches the goal." }</p>
            } else {
                <p class="small" data-differences={differences.len().to_string()}>{ format!("≠ {} difference{} still to close.", differences.len(), if differences.len() == 1 { "" } else { "s" }) }</p>
            }
        </section>
    };

    let on_check = {
        let (progress, checked, done, id) = (
            props.progress.clone(),
            checked.clone(),
            g.done,
            level.id.clone(),
        );
        Callback::from(move |_| {
            if !done {
                progress.update(persist, |p| {
                    p.record_try(&id);
                    true
                });
            }
            checked.set(Some(done));
        })
    };
    let on_hint = {
        let hints = hints.clone();
        Callback::from(move |_| hints.set(*hints + 1))
    };
    let on_solution = {
        let s = solution_open.clone();
        Callback::from(move |_| s.set(true))
    };
    let may_see_solution = g.done || props.progress.progress.solution_available(&level.id);
    let shown_hints = (*hints).min(level.hints.len());

    let last_change = changed(&state.report, offset);
    let selection = Selection {
        line: state.selection.line,
        names: if state.selection.names.is_empty() {
            last_change
                .as_ref()
                .map(|(_, n)| n.clone())
                .unwrap_or_default()
        } else {
            state.selection.names.clone()
        },
    };
    let focus_line = state
        .selection
        .line
        .and_then(|l| l.checked_sub(offset))
        .filter(|l| *l > 0);

    let done_view = g.done.then(|| html! {
        <div class="level-done" role="status" data-level-result="">
            <strong>{ "✓ Level done!" }</strong>{ " " }
            <span data-learner-count={g.statements.to_string()} data-reference-count={g.reference.to_string()}>
                { format!("You used {} {}; the reference solution uses {}.", g.statements, plural(g.statements), g.reference) }
                { if g.statements < g.reference { " Better than the reference!" } else if g.statements == g.reference { " As short as the reference." } else { " Can you do it in fewer?" } }
            </span>{ " " }
            if let Some(n) = next {
                <a href={props.levels.href(&n.id)} data-next-level={n.id.clone()}>{ format!("Next level: {} →", n.title) }</a>
            } else {
                <a href={index_href.clone()}>{ "Last level done: back to the course →" }</a>
            }
        </div>
    });

    html! {
        <article class="level" data-level={level.id.clone()} data-level-done={g.done.to_string()}>
            <nav class="crumbs small" aria-label="Course">
                <a href={index_href.clone()}>{ "Course" }</a>{ " › " }{ level.chapter.clone() }{ " › " }{ position }
            </nav>
            <h2 class="level-title">{ level.title.clone() }</h2>
            <div class="level-main">
            <div class="level-brief">
            <section class="panel level-intro" aria-label="Introduction">
                { for intro }
            </section>
            <section class="panel level-goal" aria-labelledby="goal-title">
                <h3 id="goal-title" class="panel-title">{ "Goal" }</h3>
                <p data-goal-words="">{ prose(&level.goal) }</p>
                <ul class="checks" aria-label="Goal checks">{ for checks }</ul>
                if !level.constraints.is_empty() {
                    <h4 class="sub-title">{ "Constraints" }</h4>
                    <ul class="checks" aria-label="Constraints">{ for constraints }</ul>
                }
            </section>
            // The documentation behind the level, after the story and the goal.
            <section class="panel level-rules-panel" aria-labelledby="rules-title">
                <h3 id="rules-title" class="sub-title">{ "Rules in this level" }</h3>
                <ul class="level-rules">{ for rules }</ul>
                { for quotes }
            </section>
            </div>
            <section class="panel editor-panel" aria-labelledby="editor-title">
                { done_view.unwrap_or_default() }
                { start }
                <h3 id="editor-title" class="sub-title"><label for="scenario">{ "Your lines" }</label></h3>
                <Editor text={state.text.clone()} revision={state.revision} report={state.report.clone()}
                    focus_line={focus_line} offset={offset} dispatch={dispatch.clone()} />
                { verdicts }
                <div class="toolbar level-actions">
                    <button type="button" onclick={on_check} data-check-level="">{ "Check my lines" }</button>
                    if shown_hints < level.hints.len() {
                        <button type="button" onclick={on_hint} data-hint-next="">{ format!("Show a hint ({} of {})", shown_hints + 1, level.hints.len()) }</button>
                    }
                    if may_see_solution && !*solution_open {
                        <button type="button" onclick={on_solution} data-show-solution="">{ "Show the reference solution" }</button>
                    }
                </div>
                <p class="small muted" data-tries={tries.to_string()} role="status">
                    { match *checked {
                        Some(true) => "✓ Every check holds.".to_owned(),
                        Some(false) if !may_see_solution => format!("✗ Not yet: see the goal's checks. After {TRIES_BEFORE_SOLUTION} tries you may see the reference solution ({tries} so far).", ),
                        Some(false) => "✗ Not yet. You may now see the reference solution.".to_owned(),
                        None => format!("A try is a press of “Check my lines”. After {TRIES_BEFORE_SOLUTION} tries you may see the reference solution."),
                    } }
                </p>
                if shown_hints > 0 {
                    <ol class="hints" aria-label="Hints">
                        { for level.hints.iter().take(shown_hints).enumerate().map(|(i, h)| {
                            let p = previews.get(i).map(Vec::as_slice).unwrap_or_default();
                            hint_view(i, h, p, &dispatch, &added)
                        }) }
                    </ol>
                    <p class="small muted" role="status" data-hint-status="">{ (*added).clone() }</p>
                }
                if *solution_open && may_see_solution {
                    <div class="solution" data-solution="">
                        <h4 class="sub-title">{ "Reference solution" }</h4>
                        <pre><code>{ level.solution.clone() }</code></pre>
                    </div>
                }
                <Builder report={state.report.clone()} program={state.program.clone()} cursor_line={state.program_cursor()} {offset} dispatch={dispatch.clone()} />
            </section>
            </div>
            <div class="boards">
                <div class="current-board">
                    if let Some((line, names)) = &last_change {
                        <p class="small changed-note" data-changed-line={line.to_string()}>
                            { if names.is_empty() { format!("Line {line} changed no resource.") } else { format!("Line {line} changed: {} (outlined).", names.join(", ")) } }
                        </p>
                    }
                    <Board report={state.report.clone()} program={state.program.clone()} at_step={None::<usize>}
                        selection={selection} readonly={false} cursor_line={state.program_cursor()} dispatch={dispatch.clone()} />
                </div>
                { goal_board }
            </div>
            <graph::Graph program={state.program.clone()} resources={graph::resource_count(&state.report.state)} at_step={None::<usize>}
                changed={last_change.map(|(_, n)| n).unwrap_or_default()} dispatch={dispatch.clone()} />
        </article>
    }
}
