//! The examples gallery (placeholder; see the builder work).
use crate::state::Dispatch;
use yew::prelude::*;

/// Properties of [`Examples`].
#[derive(Clone, PartialEq, Properties)]
pub struct ExamplesProps {
    pub dispatch: Dispatch,
}

/// The gallery of titled example scenarios.
#[component]
pub fn Examples(_props: &ExamplesProps) -> Html {
    html! {}
}
