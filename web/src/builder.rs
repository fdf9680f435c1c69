//! The "add step" palette (placeholder; see the builder work).
use crate::state::Dispatch;
use keyline_rules::Report;
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`Builder`].
#[derive(Clone, PartialEq, Properties)]
pub struct BuilderProps {
    pub report: Rc<Report>,
    pub dispatch: Dispatch,
}

/// The "add step" palette.
#[component]
pub fn Builder(_props: &BuilderProps) -> Html {
    html! {}
}
