//! Reading a scenario (or JSON) file, or standard input for `-`.

use crate::error::Error;
use std::io::{self, Read};
use std::path::Path;

/// A read input: its display name and bytes.
pub struct Input {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The name standard input goes by in messages.
const STDIN_NAME: &str = "<stdin>";

/// Reads `file`, or standard input for `-`; a failure names the file and says why in words
/// (no `os error` for the common cases).
pub fn read(file: &str) -> Result<Input, Error> {
    if file == "-" {
        let mut bytes = Vec::new();
        io::stdin().read_to_end(&mut bytes).map_err(Error::Stdin)?;
        return Ok(Input {
            name: STDIN_NAME.to_owned(),
            bytes,
        });
    }
    let path = Path::new(file);
    if path.is_dir() {
        return Err(Error::IsDirectory {
            path: file.to_owned(),
        });
    }
    let bytes = std::fs::read(path).map_err(|source| {
        let path = file.to_owned();
        match source.kind() {
            io::ErrorKind::NotFound => Error::NoSuchFile { path },
            io::ErrorKind::PermissionDenied => Error::PermissionDenied { path },
            _ => Error::Unreadable { path, source },
        }
    })?;
    Ok(Input {
        name: file.to_owned(),
        bytes,
    })
}
