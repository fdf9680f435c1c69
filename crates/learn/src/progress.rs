//! A learner's progress: the levels done with their best statement counts, and the tries per
//! level (the reference solution is offered on request after three). JSON with a version,
//! kept by the app in local storage and exported or imported as a file.
//!
//! [`Progress::from_json`] never panics: anything that is not a progress record of this
//! version is a [`ProgressError`], which the app turns into a reset with a notice.

use crate::level::is_valid_id;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use thiserror::Error;

/// The progress record's version.
pub const PROGRESS_VERSION: u32 = 1;
/// The largest progress record read (bytes).
pub const MAX_PROGRESS_BYTES: usize = 256 * 1024;
/// After this many tries the reference solution may be shown on request.
pub const TRIES_BEFORE_SOLUTION: u32 = 3;

/// The levels done and tried.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    pub version: u32,
    /// Level id → the fewest statements it was done with.
    pub done: BTreeMap<String, usize>,
    /// Level id → how many times the learner checked a wrong answer.
    #[serde(default)]
    pub tries: BTreeMap<String, u32>,
}

impl Default for Progress {
    fn default() -> Self {
        Progress {
            version: PROGRESS_VERSION,
            done: BTreeMap::new(),
            tries: BTreeMap::new(),
        }
    }
}

/// Why stored or imported progress cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProgressError {
    #[error("the saved progress is not readable: {0}")]
    Corrupt(String),
    #[error("the saved progress has version {0}; this Keyline reads version {PROGRESS_VERSION}")]
    Version(u32),
    #[error("the saved progress is larger than {MAX_PROGRESS_BYTES} bytes")]
    TooLarge,
    #[error("the saved progress names a level with a malformed id")]
    BadId,
}

impl Progress {
    /// Empty progress.
    pub fn new() -> Progress {
        Progress::default()
    }

    /// Reads a progress record. Never panics.
    pub fn from_json(text: &str) -> Result<Progress, ProgressError> {
        if text.len() > MAX_PROGRESS_BYTES {
            return Err(ProgressError::TooLarge);
        }
        let p: Progress =
            serde_json::from_str(text).map_err(|e| ProgressError::Corrupt(e.to_string()))?;
        if p.version != PROGRESS_VERSION {
            return Err(ProgressError::Version(p.version));
        }
        if !p
            .done
            .keys()
            .chain(p.tries.keys())
            .all(|id| is_valid_id(id))
        {
            return Err(ProgressError::BadId);
        }
        Ok(p)
    }

    /// The record as JSON.
    pub fn to_json(&self) -> String {
        // A map of strings to numbers always serialises.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Records a level done with `statements`; keeps the best (fewest). Returns whether this
    /// is a new best (or the first time).
    pub fn record_done(&mut self, id: &str, statements: usize) -> bool {
        match self.done.get_mut(id) {
            Some(best) if *best <= statements => false,
            Some(best) => {
                *best = statements;
                true
            }
            None => {
                self.done.insert(id.to_owned(), statements);
                true
            }
        }
    }

    /// Records one more wrong try; returns the count.
    pub fn record_try(&mut self, id: &str) -> u32 {
        let n = self.tries.entry(id.to_owned()).or_insert(0);
        *n = n.saturating_add(1);
        *n
    }

    /// The best count of a level done.
    pub fn best(&self, id: &str) -> Option<usize> {
        self.done.get(id).copied()
    }

    pub fn is_done(&self, id: &str) -> bool {
        self.done.contains_key(id)
    }

    /// Whether the reference solution may be shown: the level is done, or it was tried
    /// [`TRIES_BEFORE_SOLUTION`] times.
    pub fn solution_available(&self, id: &str) -> bool {
        self.is_done(id) || self.tries.get(id).copied().unwrap_or(0) >= TRIES_BEFORE_SOLUTION
    }

    /// Merges an imported record: the best count of each level, the most tries.
    pub fn merge(&mut self, other: &Progress) {
        for (id, n) in &other.done {
            self.record_done(id, *n);
        }
        for (id, n) in &other.tries {
            let t = self.tries.entry(id.clone()).or_insert(0);
            *t = (*t).max(*n);
        }
    }
}
