//! Checking, and installing when missing, the tools the web build and the tests need.
//!
//! Versions come from the repository: trunk's from [`TRUNK_VERSION`], wasm-bindgen's from
//! `Cargo.lock` (which must agree with `web/Cargo.toml`'s `=` pin and `Trunk.toml`), wasm-opt's
//! from `Trunk.toml`. Everything installed goes into the clone (see [`crate::layout`]) and is
//! checked and run by its path there.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::layout::{self, CARGO_ROOT, NPM_BIN, NPM_MODULES, NPM_PREFIX};
use crate::steps::{self, Failure};

/// The trunk release the build is written for (`--locked` is required to build it).
pub const TRUNK_VERSION: &str = "0.21.14";
/// The axe-core release the accessibility tests inject (npm, exact).
pub const AXE_CORE_VERSION: &str = "4.14.1";
/// Debian's Chromium and its driver.
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// What the web build and the wasm tests need to run, all inside the clone.
pub struct WebTools {
    /// `PATH` with the clone's tool directories first (trunk looks up wasm-bindgen and
    /// wasm-opt there).
    pub path: OsString,
    /// The clone's trunk.
    pub trunk: PathBuf,
    /// The clone's wasm-bindgen-test-runner, the runner of `cargo test --target wasm32`.
    pub test_runner: PathBuf,
}

/// Makes sure the wasm target, trunk, wasm-bindgen-cli and wasm-opt are present in the
/// versions the repository asks for, installing what is missing.
pub fn ensure_web_tools(root: &Path) -> Result<WebTools, Failure> {
    let versions = Versions::read(root)?;
    ensure_wasm_target()?;
    ensure_cargo_tool(root, &trunk())?;
    ensure_cargo_tool(root, &wasm_bindgen_cli(&versions.wasm_bindgen))?;
    ensure_wasm_opt(root, &versions.binaryen)?;
    let path = layout::path_with_tools(root, std::env::var_os("PATH")).map_err(|err| {
        Failure::new(
            "set PATH",
            format!("export {}", layout::path_shown()),
            format!("the repository path cannot go on PATH: {err}"),
        )
    })?;
    Ok(WebTools {
        path,
        trunk: layout::cargo_tool(root, "trunk"),
        test_runner: layout::cargo_tool(root, "wasm-bindgen-test-runner"),
    })
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
        check_web_pin(&read("web/Cargo.toml")?, &wasm_bindgen)?;
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

/// `web/Cargo.toml` must pin `wasm-bindgen` with `=` to the version the build uses: the
/// installed wasm-bindgen-cli must match the crate exactly, and a caret requirement would let a
/// `cargo update` move the crate away from the tool.
fn check_web_pin(web_toml: &str, wasm_bindgen: &str) -> Result<(), Failure> {
    let pin = toml_string(web_toml, "wasm-bindgen");
    if pin.as_deref() == Some(format!("={wasm_bindgen}").as_str()) {
        return Ok(());
    }
    Err(Failure::new(
        "check pinned versions",
        "edit web/Cargo.toml",
        format!(
            "web/Cargo.toml pins wasm-bindgen as {} but the build uses {wasm_bindgen}; write wasm-bindgen = \"={wasm_bindgen}\"",
            pin.map_or("nothing".to_owned(), |v| format!("\"{v}\""))
        ),
    ))
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

/// A tool built with `cargo install` into the clone's `.tools/cargo`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct CargoTool {
    /// The step's name in messages, e.g. `install trunk`.
    step: String,
    /// The crate, e.g. `wasm-bindgen-cli`.
    package: &'static str,
    version: String,
    /// Whether to install with the crate's own lockfile.
    locked: bool,
    /// The binaries it installs; each must answer `--version` with `<binary> <version>`.
    binaries: &'static [&'static str],
}

/// trunk keeps `--locked`: 0.21.14 does not build with today's newest dependencies.
fn trunk() -> CargoTool {
    CargoTool {
        step: "install trunk".into(),
        package: "trunk",
        version: TRUNK_VERSION.into(),
        locked: true,
        binaries: &["trunk"],
    }
}

/// wasm-bindgen-cli goes without `--locked`: its lockfile names a crate version the registry
/// does not serve. `--version` still pins the tool to the `wasm-bindgen` crate's version.
fn wasm_bindgen_cli(version: &str) -> CargoTool {
    CargoTool {
        step: "install wasm-bindgen-cli".into(),
        package: "wasm-bindgen-cli",
        version: version.into(),
        locked: false,
        binaries: &["wasm-bindgen", "wasm-bindgen-test-runner"],
    }
}

impl CargoTool {
    /// The `cargo install` arguments, with the clone's root and the shared build cache.
    fn install_args(&self, root: &Path, cache: Option<&Path>) -> Vec<OsString> {
        let mut args: Vec<OsString> = vec![
            "install".into(),
            self.package.into(),
            "--version".into(),
            self.version.as_str().into(),
        ];
        if self.locked {
            args.push("--locked".into());
        }
        args.push("--root".into());
        args.push(root.join(CARGO_ROOT).into_os_string());
        if let Some(cache) = cache {
            args.push("--target-dir".into());
            args.push(cache.as_os_str().to_owned());
        }
        args
    }

    /// The same command as a user would type it from the clone's root.
    fn by_hand(&self) -> String {
        let locked = if self.locked { " --locked" } else { "" };
        let cache = match layout::install_cache() {
            Some(_) => " --target-dir ~/.cache/keyline/cargo-install",
            None => "",
        };
        format!(
            "cargo install {} --version {}{locked} --root {CARGO_ROOT}{cache}",
            self.package, self.version
        )
    }

    /// The version line each binary must print.
    fn wanted(&self, binary: &str) -> String {
        format!("{binary} {}", self.version)
    }

    /// The binaries in the clone that are missing or of another version, with what they said.
    fn missing(&self, root: &Path) -> Vec<(&'static str, Option<String>)> {
        self.binaries
            .iter()
            .map(|binary| {
                (
                    *binary,
                    output(layout::cargo_tool(root, binary), &["--version"]),
                )
            })
            .filter(|(binary, found)| found.as_deref() != Some(self.wanted(binary).as_str()))
            .collect()
    }
}

fn ensure_cargo_tool(root: &Path, tool: &CargoTool) -> Result<(), Failure> {
    let missing = tool.missing(root);
    let Some((binary, found)) = missing.first() else {
        println!(
            "ok: {} {} present ({})",
            tool.package,
            tool.version,
            layout::CARGO_BIN
        );
        return Ok(());
    };
    println!(
        "install: {} {} missing from {} (its {binary} says: {})",
        tool.package,
        tool.version,
        layout::CARGO_BIN,
        found.as_deref().unwrap_or("nothing")
    );
    let by_hand = tool.by_hand();
    let cache = layout::install_cache();
    let mut command = Command::new(steps::cargo());
    command
        .args(tool.install_args(root, cache.as_deref()))
        .current_dir(root);
    steps::run(&tool.step, &mut command)
        .map_err(|_| Failure::new(&tool.step, &by_hand, "cargo install failed"))?;
    match tool.missing(root).first() {
        None => Ok(()),
        Some((binary, found)) => Err(Failure::new(
            &tool.step,
            &by_hand,
            format!(
                "installed, but {}/{binary} --version says {}, not `{}`",
                layout::CARGO_BIN,
                found.as_deref().unwrap_or("nothing"),
                tool.wanted(binary)
            ),
        )),
    }
}

fn ensure_wasm_opt(root: &Path, binaryen: &str) -> Result<(), Failure> {
    let package = format!("binaryen@{binaryen}");
    let wasm_opt = layout::npm_tool(root, "wasm-opt");
    let version_of = |path: &PathBuf| {
        output(path, &["--version"]).and_then(|text| text.split(' ').nth(2).map(str::to_owned))
    };
    if version_of(&wasm_opt).as_deref() == Some(binaryen) {
        println!("ok: wasm-opt {binaryen} present ({NPM_BIN})");
        return Ok(());
    }
    println!("install: wasm-opt {binaryen} missing ({NPM_BIN})");
    let step = "install wasm-opt";
    npm_install(root, step, &package)?;
    match version_of(&wasm_opt) {
        Some(found) if found == binaryen => Ok(()),
        found => Err(Failure::new(
            step,
            npm_by_hand(&package),
            format!(
                "after installing, {} reports version {}",
                wasm_opt.display(),
                found.as_deref().unwrap_or("nothing")
            ),
        )),
    }
}

/// Makes sure axe-core [`AXE_CORE_VERSION`] is in the clone's `.tools/npm` (beside binaryen,
/// which an install into the same prefix keeps), installing it when missing, and returns the
/// path of its `axe.min.js`, which the end-to-end tests inject into pages.
pub fn ensure_axe(root: &Path) -> Result<PathBuf, Failure> {
    let package = format!("axe-core@{AXE_CORE_VERSION}");
    let script = layout::npm_file(root, "axe-core", "axe.min.js");
    let manifest = layout::npm_file(root, "axe-core", "package.json");
    let installed = || {
        let version = std::fs::read_to_string(&manifest)
            .ok()
            .and_then(|text| package_version(&text));
        (version, script.is_file())
    };
    if let (Some(version), true) = installed() {
        if version == AXE_CORE_VERSION {
            println!("ok: axe-core {AXE_CORE_VERSION} present ({NPM_MODULES}/axe-core)");
            return Ok(script);
        }
    }
    println!("install: axe-core {AXE_CORE_VERSION} missing ({NPM_MODULES}/axe-core)");
    let step = "install axe-core";
    npm_install(root, step, &package)?;
    match installed() {
        (Some(version), true) if version == AXE_CORE_VERSION => Ok(script),
        (version, has_script) => Err(Failure::new(
            step,
            npm_by_hand(&package),
            format!(
                "after installing, {} says version {} and axe.min.js is {}",
                manifest.display(),
                version.as_deref().unwrap_or("nothing"),
                if has_script { "there" } else { "missing" }
            ),
        )),
    }
}

/// The npm command that installs `package` (`name@version`) into the clone's prefix.
fn npm_by_hand(package: &str) -> String {
    format!("npm install --prefix {NPM_PREFIX} --no-audit --no-fund {package}")
}

/// `npm install` of `package` into the clone's `.tools/npm`; a failure names `step` and the
/// command to run by hand.
fn npm_install(root: &Path, step: &str, package: &str) -> Result<(), Failure> {
    let by_hand = npm_by_hand(package);
    if output("npm", &["--version"]).is_none() {
        return Err(Failure::new(
            step,
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
            package,
        ])
        .current_dir(root);
    steps::run(step, &mut command).map_err(|_| Failure::new(step, &by_hand, "npm install failed"))
}

/// The `version` of a `package.json`.
fn package_version(manifest: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(manifest).ok()?;
    value.get("version")?.as_str().map(str::to_owned)
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
    fn the_web_crate_pins_wasm_bindgen_exactly() {
        let pinned = "[dependencies]\nwasm-bindgen = \"=0.2.130\"\n";
        assert!(check_web_pin(pinned, "0.2.130").is_ok());
        assert!(check_web_pin(pinned, "0.2.131").is_err());
        let caret = "[dependencies]\nwasm-bindgen = \"0.2.130\"\n";
        assert!(check_web_pin(caret, "0.2.130").is_err());
        assert!(check_web_pin("", "0.2.130").is_err());
    }

    fn texts(args: Vec<OsString>) -> Vec<String> {
        args.iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn wasm_bindgen_installs_unlocked_into_the_clone() {
        let tool = wasm_bindgen_cli("0.2.130");
        let args = texts(tool.install_args(Path::new("/clone"), Some(Path::new("/cache"))));
        assert_eq!(
            args,
            [
                "install",
                "wasm-bindgen-cli",
                "--version",
                "0.2.130",
                "--root",
                "/clone/.tools/cargo",
                "--target-dir",
                "/cache"
            ]
        );
        assert!(!tool.by_hand().contains("--locked"), "{}", tool.by_hand());
        assert_eq!(
            tool.wanted("wasm-bindgen-test-runner"),
            "wasm-bindgen-test-runner 0.2.130"
        );
    }

    #[test]
    fn trunk_installs_locked_into_the_clone() {
        let args = texts(trunk().install_args(Path::new("/clone"), None));
        assert_eq!(
            args,
            [
                "install",
                "trunk",
                "--version",
                TRUNK_VERSION,
                "--locked",
                "--root",
                "/clone/.tools/cargo"
            ]
        );
    }

    #[test]
    fn a_tool_elsewhere_on_path_does_not_count() {
        // An empty clone: whatever `trunk` is on PATH, the clone's own is missing.
        let empty =
            std::env::temp_dir().join(format!("keyline-xtask-empty-{}", std::process::id()));
        let missing = trunk().missing(&empty);
        assert_eq!(missing, vec![("trunk", None)]);
    }

    #[test]
    fn reads_a_package_version() {
        let manifest = r#"{"name": "axe-core", "version": "4.14.1", "devDependencies": {"x": {"version": "1"}}}"#;
        assert_eq!(package_version(manifest).as_deref(), Some("4.14.1"));
        assert_eq!(package_version("{\"name\": \"axe-core\"}"), None);
        assert_eq!(package_version("not json"), None);
    }

    #[test]
    fn axe_core_is_looked_for_in_the_clone() {
        assert_eq!(
            layout::npm_file(Path::new("/clone"), "axe-core", "axe.min.js"),
            PathBuf::from("/clone/.tools/npm/node_modules/axe-core/axe.min.js")
        );
        assert_eq!(
            npm_by_hand(&format!("axe-core@{AXE_CORE_VERSION}")),
            format!(
                "npm install --prefix .tools/npm --no-audit --no-fund axe-core@{AXE_CORE_VERSION}"
            )
        );
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
