//! Where the project keeps the tools it installs, relative to the clone's root.
//!
//! Every tool xtask installs lives inside the clone (git-ignored `.tools/`), never in
//! `~/.cargo/bin`: a clean clone then always runs the real install path, and xtask runs the
//! tools of its own root by their path there, never a same-named tool found elsewhere on `PATH`
//! (cargo puts `~/.cargo/bin` first on the `PATH` it hands to `cargo xtask`). Only compiled
//! crates are shared between clones, through a build cache outside the clone.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The `cargo install --root` of the tools built with cargo (trunk, wasm-bindgen-cli).
pub const CARGO_ROOT: &str = ".tools/cargo";
/// Where `cargo install --root .tools/cargo` puts binaries.
pub const CARGO_BIN: &str = ".tools/cargo/bin";
/// The project-local npm prefix for binaryen (wasm-opt) and axe-core.
pub const NPM_PREFIX: &str = ".tools/npm";
/// Where npm puts binaryen's binaries.
pub const NPM_BIN: &str = ".tools/npm/node_modules/.bin";

/// Where npm puts a package: `.tools/npm/node_modules/<package>`.
pub const NPM_MODULES: &str = ".tools/npm/node_modules";

/// The tool directories, in the order they go first on `PATH`.
pub const TOOL_DIRS: [&str; 2] = [CARGO_BIN, NPM_BIN];

/// A tool installed with cargo into the clone: `.tools/cargo/bin/<name>`.
pub fn cargo_tool(root: &Path, name: &str) -> PathBuf {
    root.join(CARGO_BIN).join(name)
}

/// A tool installed with npm into the clone: `.tools/npm/node_modules/.bin/<name>`.
pub fn npm_tool(root: &Path, name: &str) -> PathBuf {
    root.join(NPM_BIN).join(name)
}

/// A file of a package installed with npm into the clone:
/// `.tools/npm/node_modules/<package>/<file>`.
pub fn npm_file(root: &Path, package: &str, file: &str) -> PathBuf {
    root.join(NPM_MODULES).join(package).join(file)
}

/// The build cache for `cargo install --target-dir`: compiled crates are reused across
/// clones, while version resolution still happens on every install. `None` without a home
/// directory (then each install builds from scratch).
pub fn install_cache() -> Option<PathBuf> {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|dir| !dir.is_empty())
                .map(|home| PathBuf::from(home).join(".cache"))
        })?;
    Some(cache.join("keyline").join("cargo-install"))
}

/// `PATH` with the clone's tool directories first, so that trunk, which looks its helpers up on
/// `PATH`, finds the clone's wasm-bindgen and wasm-opt before any other.
pub fn path_with_tools(
    root: &Path,
    current: Option<OsString>,
) -> Result<OsString, std::env::JoinPathsError> {
    let current = current.unwrap_or_default();
    let dirs = TOOL_DIRS
        .iter()
        .map(|dir| root.join(dir))
        .chain(std::env::split_paths(&current));
    std::env::join_paths(dirs)
}

/// How a `PATH` set by xtask is shown in a command to run by hand from the root.
pub fn path_shown() -> String {
    let dirs: Vec<String> = TOOL_DIRS.iter().map(|dir| format!("$PWD/{dir}")).collect();
    format!("PATH=\"{}:$PATH\"", dirs.join(":"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tools_go_first_on_path() {
        let root = Path::new("/clone");
        let path = path_with_tools(root, Some("/usr/bin:/root/.cargo/bin".into()));
        let path = path.map(|p| p.to_string_lossy().into_owned()).ok();
        assert_eq!(
            path.as_deref(),
            Some("/clone/.tools/cargo/bin:/clone/.tools/npm/node_modules/.bin:/usr/bin:/root/.cargo/bin")
        );
        assert_eq!(
            cargo_tool(root, "trunk"),
            PathBuf::from("/clone/.tools/cargo/bin/trunk")
        );
    }

    #[test]
    fn the_shown_path_names_every_tool_dir() {
        assert_eq!(
            path_shown(),
            "PATH=\"$PWD/.tools/cargo/bin:$PWD/.tools/npm/node_modules/.bin:$PATH\""
        );
    }
}
