//! The course (`#learn`, `#learn=ID`, `#learn-pack=…`): the index of chapters and levels,
//! one level page, and the learner's progress. Levels, grading, goal states, differences,
//! packs and the progress format are `keyline-learn`'s; this module only lays them out and
//! keeps the progress in local storage.

pub mod export;
pub mod index;
pub mod level;
pub mod progress;

use crate::hooks::route::Route;
use keyline_learn::Level;
use progress::{use_progress, ProgressPanel};
use std::rc::Rc;
use yew::prelude::*;

/// The levels a page shows: the built-in course, or a shared pack.
#[derive(Debug, Clone, PartialEq)]
pub struct Levels {
    pub levels: Rc<Vec<Level>>,
    /// Opened from a `#learn-pack=` link: its progress is not saved.
    pub pack: Option<Rc<str>>,
}

impl Levels {
    /// The `#learn=`/`#learn-pack=…&level=` link of a level in these levels.
    pub fn href(&self, id: &str) -> String {
        match &self.pack {
            Some(data) => format!("#learn-pack={data}&level={id}"),
            None => format!("#learn={id}"),
        }
    }

    /// The `#learn`/`#learn-pack=` link of the index.
    pub fn index_href(&self) -> String {
        match &self.pack {
            Some(data) => format!("#learn-pack={data}"),
            None => "#learn".to_owned(),
        }
    }
}

/// The built-in course, compiled in.
fn course() -> Levels {
    Levels {
        levels: Rc::new(keyline_learn::Course::builtin().levels),
        pack: None,
    }
}

/// Properties of [`Learn`].
#[derive(Clone, PartialEq, Properties)]
pub struct LearnProps {
    pub route: Route,
}

/// A page of the course.
#[component]
pub fn Learn(props: &LearnProps) -> Html {
    let progress = use_progress();
    // Decoded once per link: a pack is read from the fragment, never from storage.
    let source = use_memo(props.route.clone(), |route| match route {
        Route::Pack(data, _) => {
            keyline_learn::unpack(data)
                .map_err(|e| e.to_string())
                .map(|levels| Levels {
                    levels: Rc::new(levels),
                    pack: Some(data.as_str().into()),
                })
        }
        _ => Ok(course()),
    });
    let levels = match &*source {
        Ok(levels) => levels.clone(),
        Err(e) => {
            return html! {
                <main class="learn">
                    <div class="notice notice-alert" role="alert" data-pack-error="">
                        <span>{ format!("This link cannot be opened: {e}. Your progress and your playground scenario are unchanged.") }</span>
                    </div>
                    <p><a href="#learn">{ "Open the built-in course" }</a></p>
                </main>
            };
        }
    };
    let open = match &props.route {
        Route::Level(id) => Some(id.clone()),
        Route::Pack(_, id) => id.clone(),
        _ => None,
    };
    let level = open.map(|id| {
        let found = levels.levels.iter().enumerate().find(|(_, l)| l.id == id);
        (id, found.map(|(at, l)| (at, l.clone())))
    });
    let body = match level {
        Some((id, Some((at, level)))) => html! {
            <level::LevelPage key={id} levels={levels.clone()} {at} {level} progress={progress.clone()} />
        },
        Some((id, None)) => html! {
            <>
                <div class="notice notice-alert" role="alert">
                    <span>{ format!("There is no level “{id}”. Pick one below.") }</span>
                </div>
                <index::Index levels={levels.clone()} progress={progress.clone()} />
            </>
        },
        None => html! { <index::Index levels={levels.clone()} progress={progress.clone()} /> },
    };
    html! {
        <main class="learn">
            { progress.notice_view() }
            { body }
            if levels.pack.is_none() {
                <ProgressPanel progress={progress.clone()} />
            }
        </main>
    }
}
