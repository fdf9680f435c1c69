//! From the playground to the course: the current scenario as a level file (the lines above
//! the caret are the locked start, the `expect` lines below it the goal;
//! `keyline_learn::level_from_scenario` decides), downloaded, and a `#learn-pack=` link that
//! opens it as a one-level pack.

use crate::components::share::{base_url, download};
use crate::state::{Action, Dispatch, Notice};
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`LevelExport`].
#[derive(Clone, PartialEq, Properties)]
pub struct LevelExportProps {
    pub text: Rc<str>,
    /// The caret's line: the start ends there.
    pub cursor_line: Option<u32>,
    pub dispatch: Dispatch,
}

/// "Make a level" in the playground.
#[component]
pub fn LevelExport(props: &LevelExportProps) -> Html {
    let link = use_state(|| None::<Result<String, String>>);
    let make = {
        let (text, caret, d, link) = (
            props.text.clone(),
            props.cursor_line,
            props.dispatch.clone(),
            link.clone(),
        );
        Callback::from(move |_| {
            // Lines above the caret's line are the start; no caret yet: none.
            let draft = keyline_learn::level_from_scenario(&text, caret.unwrap_or(1));
            if let Err(e) = download("my-level.level", "text/plain", &draft) {
                d.dispatch(Action::Notify(Some(Notice {
                    alert: true,
                    text: format!("Download failed: {e}"),
                })));
                return;
            }
            // The draft opens as a level once it reads as one (an author completes it first
            // when it does not).
            let packed = keyline_learn::pack(&[draft.as_str()]).and_then(|value| {
                let level = keyline_learn::unpack(&value)?;
                let id = level.first().map(|l| l.id.clone()).unwrap_or_default();
                Ok(format!("{}#learn-pack={value}&level={id}", base_url()))
            });
            link.set(Some(packed.map_err(|e| e.to_string())));
        })
    };
    html! {
        <div class="level-export">
            <button type="button" class="small" onclick={make} data-make-level="" data-download="level"
                title="The lines above the caret become the locked start; the expect lines below it become the goal.">
                { "Make a level from this scenario" }
            </button>
            { match (*link).clone() {
                Some(Ok(l)) => html! { <p class="small" role="status">{ "Level file downloaded (my-level.level). " }<a href={l} data-level-pack-link="">{ "Try it as a level" }</a></p> },
                Some(Err(e)) => html! { <p class="small" role="status">{ format!("Level file downloaded (my-level.level): complete it before it opens as a level ({e}).") }</p> },
                None => html! {},
            } }
        </div>
    }
}
