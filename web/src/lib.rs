//! The Keyline web app: the view layer over `keyline-rules`.
//!
//! The app holds no rule logic. All of its state lives in one [`AppState`], driven by one
//! `use_reducer` in [`App`]; every edit re-evaluates the scenario text with the engine and the
//! view renders what the engine reported.
#![forbid(unsafe_code)]

use std::rc::Rc;

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// The scenario shown on first load.
pub const SAMPLE_SCENARIO: &str = "\
title An encrypted data disk
kms grant
key create k1
server create web1
disk create d1 encrypt k1
attach d1 web1
expect d1 encrypted k1
";

/// Everything the app knows. The only state in the app; changed only by [`Action`]s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppState {
    /// The scenario text, as in the editor.
    pub text: AttrValue,
    /// The `N passed, M failed` line of the last evaluation.
    pub summary: AttrValue,
}

impl AppState {
    /// Evaluates `text` and builds the state that shows it.
    pub fn new(text: impl Into<AttrValue>) -> Self {
        let text = text.into();
        // The engine is wired in; the view does not read the report yet.
        let _report = keyline_rules::evaluate(&text);
        Self {
            text,
            summary: summary_text(0, 0).into(),
        }
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new(SAMPLE_SCENARIO)
    }
}

/// What can happen to the app state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// The user changed the scenario text.
    Edit(String),
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match action {
            Action::Edit(text) if *self.text == *text => self,
            Action::Edit(text) => Rc::new(Self::new(text)),
        }
    }
}

// TODO(engine): replace with report summary
fn summary_text(passed: usize, failed: usize) -> String {
    format!("{passed} passed, {failed} failed")
}

/// The whole app.
#[component]
pub fn App() -> Html {
    let state = use_reducer(AppState::default);
    let on_edit = {
        let state = state.dispatcher();
        Callback::from(move |text: String| state.dispatch(Action::Edit(text)))
    };
    html! {
        <div class="app" data-app-ready="">
            <Header />
            <main class="workspace">
                <Editor text={state.text.clone()} {on_edit} />
                <Results summary={state.summary.clone()} />
            </main>
        </div>
    }
}

/// The page header.
#[component]
pub fn Header() -> Html {
    html! {
        <header class="app-header">
            <h1 class="app-title">{ "Keyline" }</h1>
            <p class="app-tagline">{ "How KMS key state decides what happens to encrypted disks, snapshots, backups and images." }</p>
        </header>
    }
}

/// Properties of [`Editor`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct EditorProps {
    /// The scenario text to show.
    pub text: AttrValue,
    /// Called with the whole new text on every edit.
    pub on_edit: Callback<String>,
}

/// The scenario editor.
#[component]
pub fn Editor(props: &EditorProps) -> Html {
    let oninput = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(area) = event.target_dyn_into::<HtmlTextAreaElement>() {
                on_edit.emit(area.value());
            }
        })
    };
    html! {
        <section class="panel editor" aria-labelledby="editor-title">
            <h2 id="editor-title" class="panel-title">
                <label for="scenario">{ "Scenario" }</label>
            </h2>
            <textarea
                id="scenario"
                class="scenario"
                spellcheck="false"
                autocomplete="off"
                autocapitalize="off"
                value={props.text.clone()}
                {oninput}
            />
        </section>
    }
}

/// Properties of [`Results`].
#[derive(Debug, Clone, PartialEq, Properties)]
pub struct ResultsProps {
    /// The `N passed, M failed` line.
    pub summary: AttrValue,
}

/// What the engine made of the scenario.
#[component]
pub fn Results(props: &ResultsProps) -> Html {
    html! {
        <section class="panel results" aria-labelledby="results-title">
            <h2 id="results-title" class="panel-title">{ "Results" }</h2>
            <p class="summary" data-summary="" aria-live="polite">{ props.summary.clone() }</p>
        </section>
    }
}
