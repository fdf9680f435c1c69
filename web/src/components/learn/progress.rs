//! The learner's progress (levels done, best statement counts): read once from local storage,
//! saved on every change, exported and imported as a file, reset after a confirmation. The
//! format and its checks are `keyline_learn::Progress`'s: stored progress that does not read
//! is reset with a notice, never a crash.

use crate::state::Notice;
use crate::storage::{progress_json, set_progress_json};
use gloo_file::callbacks::{read_as_text, FileReader};
use keyline_learn::Progress;
use std::rc::Rc;
use yew::prelude::*;

/// The progress and the page's notice about it, shared by the course's components.
#[derive(Clone, PartialEq)]
pub struct ProgressHandle {
    pub progress: UseStateHandle<Rc<Progress>>,
    pub notice: UseStateHandle<Option<Notice>>,
}

/// The stored progress: empty when none is stored; when it does not read, reset (and stored
/// again, empty) with a notice saying so.
fn load() -> (Progress, Option<Notice>) {
    let Some(json) = progress_json() else {
        return (Progress::default(), None);
    };
    match Progress::from_json(&json) {
        Ok(p) => (p, None),
        Err(e) => {
            let fresh = Progress::default();
            let _ = set_progress_json(&fresh.to_json());
            let notice = Notice {
                alert: true,
                text: format!("Your saved course progress could not be read ({e}), so it was reset. Levels you finish from now on are kept."),
            };
            (fresh, Some(notice))
        }
    }
}

/// The progress, loaded on the course's first render.
#[hook]
pub fn use_progress() -> ProgressHandle {
    let loaded = use_memo((), |_| load());
    let progress = use_state(|| Rc::new(loaded.0.clone()));
    let notice = use_state(|| loaded.1.clone());
    ProgressHandle { progress, notice }
}

impl ProgressHandle {
    /// Keeps `p` and stores it; a storage failure is said, the progress kept for this visit.
    pub fn save(&self, p: Progress) {
        if let Err(e) = set_progress_json(&p.to_json()) {
            self.say(
                true,
                format!(
                    "Your progress cannot be saved ({e}); it is kept until you close the page."
                ),
            );
        }
        self.progress.set(Rc::new(p));
    }

    /// Changes the progress with `change` (which says whether it changed anything); stored
    /// when `persist` (not for a shared pack's levels, kept for this visit only).
    pub fn update(&self, persist: bool, change: impl FnOnce(&mut Progress) -> bool) {
        let mut p = (**self.progress).clone();
        if !change(&mut p) {
            return;
        }
        if persist {
            self.save(p);
        } else {
            self.progress.set(Rc::new(p));
        }
    }

    /// Shows a notice about the progress (an alert when something went wrong).
    pub fn say(&self, alert: bool, text: String) {
        self.notice.set(Some(Notice { alert, text }));
    }

    /// The notice, if any, with a button that dismisses it.
    pub fn notice_view(&self) -> Html {
        let Some(n) = (*self.notice).clone() else {
            return html! {};
        };
        let close = {
            let notice = self.notice.clone();
            Callback::from(move |_| notice.set(None))
        };
        let role = if n.alert { "alert" } else { "status" };
        html! {
            <div class={classes!("notice", n.alert.then_some("notice-alert"))} {role} data-progress-notice="">
                <span>{ n.text }</span>
                <button type="button" class="link" onclick={close} aria-label="Dismiss">{ "×" }</button>
            </div>
        }
    }
}

/// Properties of [`ProgressPanel`].
#[derive(Clone, PartialEq, Properties)]
pub struct ProgressPanelProps {
    pub progress: ProgressHandle,
}

/// Export, import and reset.
#[component]
pub fn ProgressPanel(props: &ProgressPanelProps) -> Html {
    let confirming = use_state(|| false);
    // A reader dropped before it is done cancels its read: kept while mounted.
    let reader = use_mut_ref(|| None::<FileReader>);
    let h = props.progress.clone();
    let export = {
        let h = h.clone();
        Callback::from(move |_| {
            let json = h.progress.to_json();
            if let Err(e) = crate::components::share::download(
                "keyline-progress.json",
                "application/json",
                &json,
            ) {
                h.say(true, format!("Download failed: {e}"));
            }
        })
    };
    let import = {
        let h = h.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            let h = h.clone();
            let file = gloo_file::File::from(file);
            *reader.borrow_mut() = Some(read_as_text(&file, move |text| {
                match text
                    .map_err(|e| e.to_string())
                    .and_then(|t| Progress::from_json(&t).map_err(|e| e.to_string()))
                {
                    Ok(p) => {
                        h.save(p);
                        h.say(false, "Progress imported.".to_owned());
                    }
                    Err(e) => h.say(
                        true,
                        format!(
                            "That file is not Keyline progress ({e}). Your progress is unchanged."
                        ),
                    ),
                }
            }));
        })
    };
    let ask = {
        let c = confirming.clone();
        Callback::from(move |_| c.set(true))
    };
    let cancel = {
        let c = confirming.clone();
        Callback::from(move |_| c.set(false))
    };
    let reset = {
        let (c, h) = (confirming.clone(), h.clone());
        Callback::from(move |_| {
            h.save(Progress::default());
            h.say(false, "Progress reset: no level is marked done.".to_owned());
            c.set(false);
        })
    };
    html! {
        <section class="panel progress-panel" aria-labelledby="progress-title">
            <h2 id="progress-title" class="panel-title">{ "Your progress" }</h2>
            <p class="muted small">{ "Kept in this browser. Export it to keep a copy or to move it to another browser." }</p>
            <div class="toolbar">
                <button type="button" onclick={export} data-progress-export="" data-download="progress">{ "Export progress" }</button>
                <input id="progress-import" class="visually-hidden file-input" type="file" accept=".json,application/json" onchange={import} data-progress-import="" />
                <label class="button" for="progress-import">{ "Import progress…" }</label>
                if *confirming {
                    <span role="group" aria-label="Confirm reset">
                        <strong>{ "Forget every level done? " }</strong>
                        <button type="button" onclick={reset} data-progress-reset-confirm="">{ "Yes, reset" }</button>
                        <button type="button" onclick={cancel}>{ "Cancel" }</button>
                    </span>
                } else {
                    <button type="button" onclick={ask} data-progress-reset="">{ "Reset progress…" }</button>
                }
            </div>
        </section>
    }
}
