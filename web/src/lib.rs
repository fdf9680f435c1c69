//! The Keyline web app: the view layer over `keyline-rules`.
//!
//! The app holds no rule logic. All of its state lives in one [`AppState`], driven by one
//! `use_reducer` in [`App`]; every edit re-evaluates the scenario text with the engine and the
//! view renders what the engine reported.

pub mod authoring;
pub mod components;
pub mod embed;
pub mod hooks;
pub mod panic;
pub mod state;
pub mod storage;

use components::{board, builder, editor, examples, graph, import, learn, results, share};
pub use state::{Action, AppState, Origin};
use yew::prelude::*;

/// The scenario shown on first load, when nothing was saved (`web/sample.kl`: scenario text
/// lives in scenario files, not in the app's code).
pub const SAMPLE_SCENARIO: &str = include_str!("../sample.kl");

/// The whole app.
#[component]
pub fn App() -> Html {
    let state = use_reducer(storage::initial_state);
    let dispatch = state.dispatcher();
    let opts = *use_memo((), |_| embed::EmbedOptions::current());
    hooks::links::use_autosave(&state, !opts.embed);
    hooks::links::use_fragment_links(dispatch.clone());
    hooks::embed::use_embed_messages(dispatch.clone(), opts.embed);
    hooks::embed::use_embed_results(state.report.clone(), opts.embed);
    hooks::performance::use_performance_marks(state.report.clone());
    let route = hooks::route::use_route();

    let notice = state.notice.as_ref().map(|n| {
        let close = {
            let d = dispatch.clone();
            Callback::from(move |_| d.dispatch(Action::Notify(None)))
        };
        let role = if n.alert { "alert" } else { "status" };
        html! {
            <div class={classes!("notice", n.alert.then_some("notice-alert"))} {role}>
                <span>{ n.text.clone() }</span>
                <button type="button" class="link" onclick={close} aria-label="Dismiss">{ "×" }</button>
            </div>
        }
    });
    let editor = html! {
        <section class="panel editor-panel" aria-labelledby="editor-title">
            <h2 id="editor-title" class="panel-title"><label for="scenario">{ "Scenario" }</label></h2>
            <editor::Editor
                text={state.text.clone()}
                revision={state.revision}
                report={state.report.clone()}
                focus_line={state.selection.line}
                readonly={opts.readonly}
                dispatch={dispatch.clone()} />
            if !opts.embed {
                <builder::Builder report={state.report.clone()} program={state.program.clone()} cursor_line={state.cursor_line} dispatch={dispatch.clone()} />
                <learn::export::LevelExport text={state.text.clone()} cursor_line={state.cursor_line} dispatch={dispatch.clone()} />
            }
        </section>
    };
    let results = html! {
        <results::Results report={state.report.clone()} selection={state.selection.clone()}
            at_step={state.at_step} dispatch={dispatch.clone()} />
    };
    let board = html! {
        <board::Board report={state.report.clone()} program={state.program.clone()} at_step={state.at_step}
            selection={state.selection.clone()} readonly={opts.readonly} cursor_line={state.cursor_line} dispatch={dispatch.clone()} />
    };
    let graph = html! {
        <graph::Graph program={state.program.clone()} resources={graph::resource_count(&state.report.state)} at_step={state.at_step} dispatch={dispatch.clone()} />
    };
    let rule = state.rule.map(
        |rule| html! { <components::rule_dialog::RuleDialog {rule} dispatch={dispatch.clone()} /> },
    );

    if opts.embed {
        let open = format!(
            "{}#z={}",
            share::base_url(),
            keyline_link::encode_deflate(&state.text)
        );
        let main = match opts.view {
            embed::View::Verdicts => html! { <>{ editor }{ results }</> },
            embed::View::Board => {
                html! { <>{ board }<p class="summary" data-summary="" aria-live="polite">{ state.report.summary.to_string() }</p></> }
            }
            embed::View::Graph => {
                html! { <>{ graph }<p class="summary" data-summary="" aria-live="polite">{ state.report.summary.to_string() }</p></> }
            }
        };
        return html! {
            <div class="app embed" data-app-ready="" data-embed="">
                <header class="embed-header">
                    // The page's one level-one heading: the scenario's title, shown as it was.
                    <h1 class="embed-title">{ state.report.title.clone().filter(|t| !t.is_empty()).unwrap_or_else(|| "Keyline".to_owned()) }</h1>
                    <a href={open} target="_blank" rel="noopener noreferrer" data-open-in-keyline="">{ "Open in Keyline ↗" }</a>
                </header>
                { notice.clone().unwrap_or_default() }
                <main class="workspace embed-main">{ main }</main>
                { rule.clone().unwrap_or_default() }
            </div>
        };
    }

    // The header's way between the playground and the course.
    let nav = html! {
        <nav class="pages" aria-label="Pages">
            <a href="#" aria-current={(!route.is_learn()).then_some("page")} data-nav="playground">{ "Playground" }</a>
            <a href="#learn" aria-current={route.is_learn().then_some("page")} data-nav="learn">{ "Learn" }</a>
        </nav>
    };
    if route.is_learn() {
        // The playground's state stays in its reducer, untouched, while the course is open.
        return html! {
            <div class="app" data-app-ready="">
                <header class="app-header">
                    <h1 class="app-title">{ "Keyline" }</h1>
                    { nav }
                    <p class="app-tagline">{ "Learn how KMS key state decides what happens to encrypted disks, one rule per level." }</p>
                </header>
                <learn::Learn route={route.clone()} />
            </div>
        };
    }
    html! {
        <div class="app" data-app-ready="">
            <header class="app-header">
                <h1 class="app-title">{ "Keyline" }</h1>
                { nav }
                <p class="app-tagline">{ "How KMS key state decides what happens to encrypted disks, snapshots, backups and images." }</p>
                <examples::Examples dispatch={dispatch.clone()} />
                <share::Toolbar text={state.text.clone()} report={state.report.clone()} dispatch={dispatch.clone()}>
                    <import::Import dispatch={dispatch.clone()} />
                </share::Toolbar>
            </header>
            { notice.clone().unwrap_or_default() }
            <main class="workspace">
                { editor }
                { results }
                { board }
                { graph }
            </main>
            { rule.clone().unwrap_or_default() }
        </div>
    }
}
