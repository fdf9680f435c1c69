//! Packs of levels for `#learn-pack=` links: a teacher shares several level files in one link.
//!
//! The link's value is the `#z=` encoding (raw DEFLATE, base64url; `keyline-link`) of a small
//! JSON document `{"version":1,"levels":["<level file>", …]}`. JSON keeps each level file
//! whole, whatever lines it holds. Unpacking never panics and refuses, with a typed error the
//! app shows in an alert, anything broken or too large: nothing is saved until a pack opens.

use crate::level::{Level, LevelError};
use keyline_link::LinkError;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The pack format's version.
pub const PACK_VERSION: u32 = 1;
/// At most this many levels in a pack.
pub const MAX_PACK_LEVELS: usize = 50;
/// At most this many bytes of JSON once inflated (the link crate refuses more than 1 MB).
pub const MAX_PACK_BYTES: usize = 512 * 1024;
/// The fragment parameter of a pack link (`#learn-pack=VALUE`).
pub const PACK_PARAM: &str = "learn-pack=";
/// The fragment parameter of a level link (`#learn=ID`).
pub const LEVEL_PARAM: &str = "learn=";

/// Why a pack cannot be made or opened.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PackError {
    #[error("the level pack link cannot be decoded: {0}")]
    Link(#[from] LinkError),
    #[error("the level pack is not a pack of levels: {0}")]
    NotAPack(String),
    #[error("the level pack has version {0}; this Keyline reads version {PACK_VERSION}")]
    Version(u32),
    #[error("the level pack holds no level")]
    Empty,
    #[error("the level pack holds {0} levels; at most {MAX_PACK_LEVELS} are allowed")]
    TooMany(usize),
    #[error("the level pack is larger than {MAX_PACK_BYTES} bytes")]
    TooLarge,
    #[error("level {index} of the pack: {error}")]
    Level { index: usize, error: LevelError },
    #[error("the level pack holds the id `{0}` twice")]
    DuplicateId(String),
}

#[derive(Serialize, Deserialize)]
struct Doc {
    version: u32,
    levels: Vec<String>,
}

/// The `learn-pack=` value for some level files. Each must read as a level (so a shared link
/// always opens), ids unique, within the limits.
pub fn pack(level_files: &[&str]) -> Result<String, PackError> {
    let doc = Doc {
        version: PACK_VERSION,
        levels: level_files.iter().map(|s| (*s).to_owned()).collect(),
    };
    validate(&doc)?;
    let json = serde_json::to_string(&doc).map_err(|e| PackError::NotAPack(e.to_string()))?;
    if json.len() > MAX_PACK_BYTES {
        return Err(PackError::TooLarge);
    }
    Ok(keyline_link::encode_deflate(&json))
}

/// The levels of a `learn-pack=` value (the part after `learn-pack=`), in order.
pub fn unpack(value: &str) -> Result<Vec<Level>, PackError> {
    let json = keyline_link::decode_deflate(value)?;
    if json.len() > MAX_PACK_BYTES {
        return Err(PackError::TooLarge);
    }
    let doc: Doc = serde_json::from_str(&json).map_err(|e| PackError::NotAPack(e.to_string()))?;
    validate(&doc)
}

/// The `learn-pack=` value of a URL fragment (`#learn-pack=…`, other `&` parameters ignored).
pub fn pack_value(fragment: &str) -> Option<&str> {
    param(fragment, PACK_PARAM)
}

/// The level id of a `#learn=ID` fragment.
pub fn level_link(fragment: &str) -> Option<&str> {
    param(fragment, LEVEL_PARAM)
}

fn param<'a>(fragment: &'a str, name: &str) -> Option<&'a str> {
    let f = fragment.strip_prefix('#').unwrap_or(fragment);
    f.split('&').find_map(|part| part.strip_prefix(name))
}

fn validate(doc: &Doc) -> Result<Vec<Level>, PackError> {
    if doc.version != PACK_VERSION {
        return Err(PackError::Version(doc.version));
    }
    if doc.levels.is_empty() {
        return Err(PackError::Empty);
    }
    if doc.levels.len() > MAX_PACK_LEVELS {
        return Err(PackError::TooMany(doc.levels.len()));
    }
    let mut levels: Vec<Level> = Vec::with_capacity(doc.levels.len());
    for (i, text) in doc.levels.iter().enumerate() {
        let level = Level::parse(text).map_err(|error| PackError::Level {
            index: i + 1,
            error,
        })?;
        if levels.iter().any(|l| l.id == level.id) {
            return Err(PackError::DuplicateId(level.id));
        }
        levels.push(level);
    }
    Ok(levels)
}
