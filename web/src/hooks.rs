//! The app's hooks: effects that several components share (rows added a block per task,
//! keyboard activation) and the ones that tie the app to the page (autosave and links,
//! embed messages, performance marks).

pub mod chunked;
pub mod embed;
pub mod keyboard;
pub mod links;
pub mod performance;
pub mod route;

pub use chunked::use_chunked;
