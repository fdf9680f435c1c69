//! The app's components, one panel or widget per module; each renders from the app state it
//! is given and sends actions, nothing else.

pub mod board;
pub mod builder;
pub mod editor;
pub mod examples;
pub mod graph;
pub mod import;
pub mod learn;
pub mod results;
pub mod rule_dialog;
pub mod share;
