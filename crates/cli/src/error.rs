//! Everything that stops a command, each with the message a user sees after `keyline: `.

use std::io::{self, Write};
use thiserror::Error;

/// Why a command stopped. Every one exits 2 (SPEC §5), except a closed standard output,
/// which ends quietly with 0 (see `main`).
#[derive(Debug, Error)]
pub enum Error {
    #[error("<stdin>: cannot read standard input: {0}")]
    Stdin(#[source] io::Error),
    #[error("{path}: is a directory, not a scenario file")]
    IsDirectory { path: String },
    #[error("{path}: no such file")]
    NoSuchFile { path: String },
    #[error("{path}: cannot be read (permission denied)")]
    PermissionDenied { path: String },
    #[error("{path}: cannot be read: {source}")]
    Unreadable {
        path: String,
        #[source]
        source: io::Error,
    },
    /// `keyline import` reads JSON, which is UTF-8.
    #[error("{name}: not UTF-8 text, so not JSON")]
    NotUtf8 { name: String },
    #[error("{path}: cannot read the directory: {source}")]
    Dir {
        path: String,
        #[source]
        source: io::Error,
    },
    #[error("{path}: no level files (*.level) in this directory")]
    NoLevels { path: String },
    /// `lesson solution` of an id that no level has.
    #[error("no level {id}{}; `keyline lesson list` lists them", .nearest.as_ref().map(|n| format!(" (did you mean {n}?)")).unwrap_or_default())]
    UnknownLevel { id: String, nearest: Option<String> },
    #[error("no rule {id}; `keyline rules` lists them")]
    UnknownRule { id: String },
    /// `explain` or `impact` of a name that is not there (or not a key).
    #[error(transparent)]
    Analysis(#[from] keyline_rules::AnalysisError),
    /// `keyline import` found no document it could use; each problem is printed first.
    #[error("nothing could be imported")]
    NothingImported { problems: Vec<String> },
    #[error(transparent)]
    Import(keyline_import::ImportError),
    #[error("cannot write JSON: {0}")]
    Json(#[source] serde_json::Error),
    /// Standard output or standard error could not be written.
    #[error("cannot write output: {0}")]
    Write(#[from] io::Error),
}

impl Error {
    /// Standard output (or error) was closed by its reader: not a failure of keyline's.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Write(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }

    /// Writes the error as users see it: `keyline: MESSAGE`, after one line per import
    /// problem.
    pub fn report(&self, w: &mut impl Write) -> io::Result<()> {
        if let Error::NothingImported { problems } = self {
            for p in problems {
                writeln!(w, "keyline: {p}")?;
            }
        }
        writeln!(w, "keyline: {self}")
    }
}

impl From<keyline_import::ImportError> for Error {
    fn from(e: keyline_import::ImportError) -> Error {
        match e {
            keyline_import::ImportError::NothingImported { problems } => {
                Error::NothingImported { problems }
            }
            e => Error::Import(e),
        }
    }
}

impl From<serde_json::Error> for Error {
    /// An I/O error while writing JSON is a write error like any other (a closed pipe stays
    /// quiet); anything else is the JSON's.
    fn from(e: serde_json::Error) -> Error {
        if e.is_io() {
            Error::Write(e.into())
        } else {
            Error::Json(e)
        }
    }
}
