//! Which page the fragment asks for: the playground, or the course (`#learn`, `#learn=ID`,
//! `#learn-pack=…`). Read on load and on every `hashchange` (a `gloo-events` listener, removed
//! when dropped). Scenario links (`#s=`, `#z=`) are [`super::links`]'s and show the playground.

use crate::storage::fragment;
use gloo_events::EventListener;
use yew::prelude::*;

/// A page of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Playground,
    /// `#learn`: the course index.
    Course,
    /// `#learn=ID`: one level of the built-in course.
    Level(String),
    /// `#learn-pack=DATA`: a shared pack of levels (the raw parameter, decoded by the page),
    /// with the level open in it, if any (`&level=ID`).
    Pack(String, Option<String>),
}

impl Route {
    /// The page a fragment (`#…`, or without `#`) names. Unknown fragments are the playground.
    pub fn parse(fragment: &str) -> Route {
        let f = fragment.strip_prefix('#').unwrap_or(fragment);
        let mut parts = f.split('&');
        let first = parts.next().unwrap_or("");
        if first == "learn" {
            return Route::Course;
        }
        if let Some(id) = first.strip_prefix("learn=") {
            return match id {
                "" => Route::Course,
                id => Route::Level(id.to_owned()),
            };
        }
        if let Some(data) = first.strip_prefix("learn-pack=") {
            let level = parts
                .find_map(|p| p.strip_prefix("level="))
                .map(str::to_owned);
            return Route::Pack(data.to_owned(), level);
        }
        Route::Playground
    }

    /// Whether this is a page of the course (not the playground).
    pub fn is_learn(&self) -> bool {
        !matches!(self, Route::Playground)
    }
}

/// The page the fragment names, kept current as it changes.
#[hook]
pub fn use_route() -> Route {
    let route = use_state(|| Route::parse(&fragment()));
    {
        let route = route.clone();
        use_effect_with((), move |_| {
            let listener = EventListener::new(&gloo_utils::window(), "hashchange", move |_| {
                route.set(Route::parse(&fragment()));
            });
            move || drop(listener)
        });
    }
    (*route).clone()
}

#[cfg(test)]
mod tests {
    use super::Route;

    #[test]
    fn fragments_name_pages() {
        assert_eq!(Route::parse(""), Route::Playground);
        assert_eq!(Route::parse("#z=abc"), Route::Playground);
        assert_eq!(Route::parse("#learn"), Route::Course);
        assert_eq!(Route::parse("#learn="), Route::Course);
        assert_eq!(Route::parse("#learn=kms-1"), Route::Level("kms-1".into()));
        assert_eq!(
            Route::parse("#learn-pack=AbC&level=x"),
            Route::Pack("AbC".into(), Some("x".into()))
        );
        assert_eq!(Route::parse("#learners"), Route::Playground);
    }
}
