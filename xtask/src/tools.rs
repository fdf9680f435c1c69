//! Checking, and installing when missing, the tools the web build and the tests need.
//!
//! Versions come from the repository: trunk's from [`TRUNK_VERSION`], wasm-bindgen's from
//! `Cargo.lock` (which must agree with `Trunk.toml`), wasm-opt's from `Trunk.toml`.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::steps::{self, Failure};

/// The trunk release the build is written for (`--locked` is required to build it).
pub const TRUNK_VERSION: &str = "0.21.14";
/// Debian's Chromium and its driver.
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// Project-local npm prefix for binaryen (wasm-opt), and its bin directory.
pub const NPM_PREFIX: &str = ".tools/npm";
pub const TOOLS_BIN: &str = ".tools/npm/node_modules/.bin";

const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// What the web build needs to run: `PATH` with the project-local tools first.
pub struct WebTools {
    pub path: OsString,
}

/// Makes sure the wasm target, trunk, wasm-bindgen-cli and wasm-opt are present in the
/// versions the repository asks for, installing what is missing.
pub fn ensure_web_tools(root: &Path) -> Result<WebTools, Failure> {
    let versions = Versions::read(root)?;
    ensure_wasm_target()?;
    ensure_trunk()?;
    ensure_wasm_bindgen(&versions.wasm_bindgen)?;
    ensure_wasm_opt(root, &versions.binaryen)?;
    let path = path_with_tools(root)?;
    Ok(WebTools { path })
}

/// Makes sure Debian's chromium and chromium-driver are installed.
pub fn ensure_browser() -> Result<(), Failure> {
    let by_hand = "sudo apt-get update && sudo apt-get install -y chromium chromium-driver";
    let missing: Vec<&str> = [CHROMIUM, CHROMEDRIVER]
        .into_iter()
        .filter(|path| !Path::new(path).exists())
        .collect();
    if !missing.is_empty() {
        println!("install: {} missing", missing.join(" and "));
        if !is_root() {
            return Err(Failure::new(
                "install chromium",
                by_hand,
                format!(
                    "{} missing and installing needs root; run the command below (with sudo), then again",
                    missing.join(" and ")
                ),
            ));
        }
        let mut update = Command::new("apt-get");
        update.arg("update");
        steps::run("install chromium (apt-get update)", &mut update)
            .map_err(|_| Failure::new("install chromium", by_hand, "`apt-get update` failed"))?;
        let mut install = Command::new("apt-get");
        install
            .args(["install", "-y", "chromium", "chromium-driver"])
            .env("DEBIAN_FRONTEND", "noninteractive");
        steps::run("install chromium (apt-get install)", &mut install)
            .map_err(|_| Failure::new("install chromium", by_hand, "`apt-get install` failed"))?;
    }
    for (name, path) in [("chromium", CHROMIUM), ("chromedriver", CHROMEDRIVER)] {
        match output(path, &["--version"]) {
            Some(version) => println!("ok: {name} present ({version})"),
            None => {
                return Err(Failure::new(
                    format!("check {name}"),
                    format!("{path} --version"),
                    format!("{path} exists but does not run"),
                ))
            }
        }
    }
    Ok(())
}

/// The tool versions the repository pins.
#[derive(Debug, PartialEq, Eq)]
struct Versions {
    /// e.g. `0.2.130`
    wasm_bindgen: String,
    /// Binaryen's release number, e.g. `132`.
    binaryen: String,
}

impl Versions {
    fn read(root: &Path) -> Result<Self, Failure> {
        let step = "check pinned versions";
        let read = |name: &str| {
            std::fs::read_to_string(root.join(name)).map_err(|err| {
                Failure::new(
                    step,
                    format!("cat {name}"),
                    format!("reading {name}: {err}"),
                )
            })
        };
        let trunk_toml = read("Trunk.toml")?;
        let from_lock = match std::fs::read_to_string(root.join("Cargo.lock")) {
            Ok(lock) => locked_version(&lock, "wasm-bindgen"),
            Err(_) => None,
        };
        let wasm_bindgen = match from_lock {
            Some(version) => version,
            None => toml_string(&read("web/Cargo.toml")?, "wasm-bindgen")
                .map(|pin| pin.trim_start_matches('=').to_owned())
                .ok_or_else(|| {
                    Failure::new(
                        step,
                        "edit web/Cargo.toml",
                        "no wasm-bindgen version in Cargo.lock or web/Cargo.toml",
                    )
                })?,
        };
        match toml_string(&trunk_toml, "wasm_bindgen") {
            Some(pinned) if pinned == wasm_bindgen => {}
            pinned => {
                return Err(Failure::new(
                    step,
                    "edit Trunk.toml",
                    format!(
                        "Trunk.toml [tools] wasm_bindgen is {} but the build uses wasm-bindgen {wasm_bindgen}; they must be equal",
                        pinned.map_or("missing".to_owned(), |v| format!("\"{v}\""))
                    ),
                ))
            }
        }
        let binaryen = toml_string(&trunk_toml, "wasm_opt")
            .and_then(|v| v.strip_prefix("version_").map(str::to_owned))
            .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(|| {
                Failure::new(
                    step,
                    "edit Trunk.toml",
                    "Trunk.toml [tools] needs wasm_opt = \"version_<N>\"",
                )
            })?;
        Ok(Self {
            wasm_bindgen,
            binaryen,
        })
    }
}

fn ensure_wasm_target() -> Result<(), Failure> {
    let by_hand = format!("rustup target add {WASM_TARGET}");
    let installed = output("rustup", &["target", "list", "--installed"]).ok_or_else(|| {
        Failure::new(
            "check wasm target",
            &by_hand,
            "`rustup target list --installed` failed; is rustup installed?",
        )
    })?;
    if installed.lines().any(|line| line.trim() == WASM_TARGET) {
        println!("ok: {WASM_TARGET} target present");
        return Ok(());
    }
    println!("install: {WASM_TARGET} target missing");
    let mut command = Command::new("rustup");
    command.args(["target", "add", WASM_TARGET]);
    steps::run("install wasm target", &mut command)
        .map_err(|_| Failure::new("install wasm target", &by_hand, "rustup failed"))
}

fn ensure_trunk() -> Result<(), Failure> {
    let wanted = format!("trunk {TRUNK_VERSION}");
    let by_hand = format!("cargo install trunk --version {TRUNK_VERSION} --locked");
    let found = output("trunk", &["--version"]);
    if found.as_deref() == Some(wanted.as_str()) {
        println!("ok: {wanted} present");
        return Ok(());
    }
    println!(
        "install: {wanted} missing (found: {})",
        found.as_deref().unwrap_or("none")
    );
    cargo_install(
        "install trunk",
        &["trunk", "--version", TRUNK_VERSION, "--locked"],
        &by_hand,
    )?;
    match output("trunk", &["--version"]) {
        Some(found) if found == wanted => Ok(()),
        found => Err(not_on_path(
            "install trunk",
            &by_hand,
            "trunk",
            &wanted,
            found,
        )),
    }
}

fn ensure_wasm_bindgen(version: &str) -> Result<(), Failure> {
    let by_hand = format!("cargo install wasm-bindgen-cli --version {version} --locked");
    let wanted = [
        format!("wasm-bindgen {version}"),
        format!("wasm-bindgen-test-runner {version}"),
    ];
    let found =
        || ["wasm-bindgen", "wasm-bindgen-test-runner"].map(|tool| output(tool, &["--version"]));
    let present = |found: &[Option<String>; 2]| {
        found
            .iter()
            .zip(&wanted)
            .all(|(found, wanted)| found.as_deref() == Some(wanted))
    };
    let before = found();
    if present(&before) {
        println!("ok: wasm-bindgen {version} present (with wasm-bindgen-test-runner)");
        return Ok(());
    }
    println!(
        "install: wasm-bindgen-cli {version} missing (found: {})",
        before[0].as_deref().unwrap_or("none")
    );
    cargo_install(
        "install wasm-bindgen-cli",
        &["wasm-bindgen-cli", "--version", version, "--locked"],
        &by_hand,
    )?;
    let after = found();
    if present(&after) {
        Ok(())
    } else {
        Err(not_on_path(
            "install wasm-bindgen-cli",
            &by_hand,
            "wasm-bindgen",
            &wanted[0],
            after[0].clone(),
        ))
    }
}

fn ensure_wasm_opt(root: &Path, binaryen: &str) -> Result<(), Failure> {
    let package = format!("binaryen@{binaryen}");
    let by_hand = format!("npm install --prefix {NPM_PREFIX} --no-audit --no-fund {package}");
    let wasm_opt = root.join(TOOLS_BIN).join("wasm-opt");
    let version_of = |path: &PathBuf| {
        output(path, &["--version"]).and_then(|text| text.split(' ').nth(2).map(str::to_owned))
    };
    if version_of(&wasm_opt).as_deref() == Some(binaryen) {
        println!("ok: wasm-opt {binaryen} present ({TOOLS_BIN})");
        return Ok(());
    }
    println!("install: wasm-opt {binaryen} missing ({TOOLS_BIN})");
    if output("npm", &["--version"]).is_none() {
        return Err(Failure::new(
            "install wasm-opt",
            &by_hand,
            "npm is not installed; install Node.js and npm (e.g. `apt-get install -y npm`), then run the command below",
        ));
    }
    let mut command = Command::new("npm");
    command
        .args([
            "install",
            "--prefix",
            NPM_PREFIX,
            "--no-audit",
            "--no-fund",
            &package,
        ])
        .current_dir(root);
    steps::run("install wasm-opt", &mut command)
        .map_err(|_| Failure::new("install wasm-opt", &by_hand, "npm install failed"))?;
    match version_of(&wasm_opt) {
        Some(found) if found == binaryen => Ok(()),
        found => Err(Failure::new(
            "install wasm-opt",
            &by_hand,
            format!(
                "after installing, {} reports version {}",
                wasm_opt.display(),
                found.as_deref().unwrap_or("nothing")
            ),
        )),
    }
}

fn cargo_install(step: &str, args: &[&str], by_hand: &str) -> Result<(), Failure> {
    let mut command = Command::new(steps::cargo());
    command.arg("install").args(args);
    steps::run(step, &mut command).map_err(|_| Failure::new(step, by_hand, "cargo install failed"))
}

fn not_on_path(
    step: &str,
    by_hand: &str,
    tool: &str,
    wanted: &str,
    found: Option<String>,
) -> Failure {
    Failure::new(
        step,
        by_hand,
        format!(
            "installed, but `{tool} --version` says {}, not `{wanted}`; put ~/.cargo/bin first on PATH",
            found.as_deref().unwrap_or("nothing")
        ),
    )
}

/// `PATH` with the project-local npm bin directory first.
fn path_with_tools(root: &Path) -> Result<OsString, Failure> {
    let current = std::env::var_os("PATH").unwrap_or_default();
    let dirs = std::iter::once(root.join(TOOLS_BIN)).chain(std::env::split_paths(&current));
    std::env::join_paths(dirs).map_err(|err| {
        Failure::new(
            "set PATH",
            format!("export PATH=\"$PWD/{TOOLS_BIN}:$PATH\""),
            format!("the repository path cannot go on PATH: {err}"),
        )
    })
}

fn is_root() -> bool {
    output("id", &["-u"]).as_deref() == Some("0")
}

/// The trimmed standard output of a command that ran and succeeded.
fn output(program: impl AsRef<std::ffi::OsStr>, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    Some(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// The version of a package in a `Cargo.lock`, when exactly one version is locked.
fn locked_version(lock: &str, package: &str) -> Option<String> {
    let wanted = format!("name = \"{package}\"");
    let mut versions = Vec::new();
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == wanted {
            if let Some(version) = lines.next().and_then(|l| toml_string(l, "version")) {
                versions.push(version);
            }
        }
    }
    match versions.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

/// The string value of the first `key = "value"` line (or inline `key = { version = "..." }`).
fn toml_string(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let rest = line
            .trim()
            .strip_prefix(key)?
            .trim_start()
            .strip_prefix('=')?;
        let rest = rest.trim_start();
        let rest = match rest.strip_prefix('{') {
            Some(table) => table
                .split("version")
                .nth(1)?
                .trim_start()
                .strip_prefix('=')?
                .trim_start(),
            None => rest,
        };
        let value = rest.strip_prefix('"')?;
        Some(value[..value.find('"')?].to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_toml_strings() {
        let text = "[tools]\nwasm_bindgen = \"0.2.130\"\nwasm_opt = \"version_132\" # binaryen\n";
        assert_eq!(
            toml_string(text, "wasm_bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(
            toml_string(text, "wasm_opt").as_deref(),
            Some("version_132")
        );
        assert_eq!(toml_string(text, "wasm"), None);
        let inline = "wasm-bindgen = { version = \"=0.2.130\", default-features = false }";
        assert_eq!(
            toml_string(inline, "wasm-bindgen").as_deref(),
            Some("=0.2.130")
        );
    }

    #[test]
    fn reads_a_locked_version() {
        let lock = "[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\n\n[[package]]\nname = \"wasm-bindgen-test\"\nversion = \"0.3.80\"\n";
        assert_eq!(
            locked_version(lock, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(locked_version(lock, "yew"), None);
        let two = format!("{lock}[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.99\"\n");
        assert_eq!(locked_version(&two, "wasm-bindgen"), None);
    }

    #[test]
    fn the_repository_pins_agree() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let versions = Versions::read(&root);
        assert!(versions.is_ok(), "{versions:?}");
    }
}
