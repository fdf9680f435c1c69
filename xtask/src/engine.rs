//! The light engine (`crates/wasm`, no app, editor or importer) for `<keyline-scenario>` and
//! the `keyline-engine` npm package.
//!
//! [`build`] makes the element's files in the git-ignored [`OUT_DIR`], which `index.html` copies
//! into `dist/` with `data-trunk rel="copy-file"`: trunk's own rebuilds (`trunk serve`) copy
//! them again instead of wiping them. [`pack`] turns the same wasm into an npm tarball in
//! [`NPM_DIR`], and [`test_package`] installs that tarball into a fresh npm project and checks
//! it against `keyline run --json` on every file of `tests/scenarios`.

use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine as _;
use serde_json::Value;

use crate::layout;
use crate::report::Totals;
use crate::steps::{self, Failure};

/// Where [`build`] writes the element's files (git-ignored: under `target/`).
pub const OUT_DIR: &str = "target/element";
/// Where [`pack`] writes `keyline-engine-<version>.tgz`.
pub const NPM_DIR: &str = "target/npm";
/// wasm-bindgen's output name: `keyline_engine.js` and `keyline_engine_bg.wasm`.
pub const OUT_NAME: &str = "keyline_engine";
/// The element's files in `dist/`, all copied there by `index.html`.
pub const ELEMENT_FILES: [&str; 4] = [
    "keyline-element.js",
    "keyline_engine.js",
    "keyline_engine_bg.wasm",
    "keyline-element.css",
];
/// The same `wasm-opt` features as the app's build (`data-wasm-opt-params` in index.html): the
/// wasm features rustc enables by default for wasm32-unknown-unknown, then no target-features
/// section.
pub const WASM_OPT_FLAGS: [&str; 8] = [
    "--enable-bulk-memory",
    "--enable-multivalue",
    "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int",
    "--enable-reference-types",
    "--enable-sign-ext",
    "--strip-producers",
    "--strip-target-features",
];
/// The package's hand-written files (`crates/wasm/npm/`).
const PACKAGE_SOURCES: [&str; 3] = ["index.js", "index.d.ts", "README.md"];

fn failure(step: &str, shown: &str, detail: impl std::fmt::Display) -> Failure {
    Failure::new(step, shown, detail.to_string())
}

/// Builds the light engine and puts the element's generated files into [`OUT_DIR`]: cargo
/// (profile `wasm-release`), the clone's wasm-bindgen (`--target web`), the clone's
/// `wasm-opt -Oz`, and the stylesheet (the renderer's, then the element's own rules).
/// `index.html` copies them, and `web/element/keyline-element.js`, into `dist/`. The tools must be installed first
/// (`tools::ensure_web_tools`).
pub fn build(root: &Path) -> Result<PathBuf, Failure> {
    let out = root.join(OUT_DIR);
    std::fs::create_dir_all(&out)
        .map_err(|err| failure("element", &format!("mkdir -p {OUT_DIR}"), err))?;

    let mut cargo = Command::new(steps::cargo());
    cargo
        .args([
            "build",
            "-p",
            "keyline-wasm",
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            "wasm-release",
        ])
        .current_dir(root);
    steps::run("element (cargo build -p keyline-wasm)", &mut cargo)?;

    let mut bindgen = Command::new(layout::cargo_tool(root, "wasm-bindgen"));
    bindgen
        .args(["--target", "web", "--no-typescript", "--out-dir", OUT_DIR])
        .args(["--out-name", OUT_NAME])
        .arg("target/wasm32-unknown-unknown/wasm-release/keyline_wasm.wasm")
        .current_dir(root);
    steps::run("element (wasm-bindgen)", &mut bindgen)?;

    let wasm = format!("{OUT_DIR}/{OUT_NAME}_bg.wasm");
    let mut opt = Command::new(layout::npm_tool(root, "wasm-opt"));
    opt.arg("-Oz")
        .args(WASM_OPT_FLAGS)
        .args([wasm.as_str(), "-o", wasm.as_str()])
        .current_dir(root);
    steps::run("element (wasm-opt -Oz)", &mut opt)?;

    // The renderer's one stylesheet, then the element's own rules (host, editor, alert).
    let sources = ["crates/render/keyline.css", "web/element/element.css"];
    let shown = format!("cat {} > {OUT_DIR}/keyline-element.css", sources.join(" "));
    let mut css = String::new();
    for source in sources {
        let text = std::fs::read_to_string(root.join(source))
            .map_err(|err| failure("element (stylesheet)", &shown, err))?;
        css.push_str(&text);
    }
    std::fs::write(out.join("keyline-element.css"), css)
        .map_err(|err| failure("element (stylesheet)", &shown, err))?;
    Ok(out)
}

/// `package.json` of the npm package.
fn package_json(version: &str) -> String {
    let json = serde_json::json!({
        "name": "keyline-engine",
        "version": version,
        "description": "Keyline's rules engine (Rust compiled to WebAssembly): evaluate a cloud disk encryption scenario and get the same report as `keyline run --json`. Synchronous, no dependencies, Node 18+ and bundlers.",
        "type": "module",
        "main": "./index.js",
        "types": "./index.d.ts",
        "exports": {
            ".": { "types": "./index.d.ts", "default": "./index.js" },
            "./package.json": "./package.json"
        },
        "files": [
            "index.js", "index.d.ts", "README.md",
            "keyline_engine.js", "keyline_engine_bg.wasm", "keyline_engine_wasm.js"
        ],
        "engines": { "node": ">=18" },
        "license": "MIT OR Apache-2.0",
        "keywords": ["kms", "encryption", "evs", "webassembly", "keyline"]
    });
    serde_json::to_string_pretty(&json).unwrap_or_default() + "\n"
}

/// The optimised wasm as an ES module exporting its base64 text, so that `initSync` can
/// instantiate it without `fetch` or a file read (Node 18+, bundlers alike).
fn inline_wasm(bytes: &[u8]) -> String {
    format!(
        "// The optimised keyline_engine_bg.wasm, inlined (base64) so that the package works without fetch.\nexport const wasm = \"{}\";\n",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

/// `cargo xtask pack`: builds the engine and writes `target/npm/keyline-engine-<version>.tgz`
/// with `npm pack`. Returns the tarball's path.
pub fn pack(root: &Path) -> Result<PathBuf, Failure> {
    let out = build(root)?;
    let version = env!("CARGO_PKG_VERSION");
    let stage = root.join(NPM_DIR).join("keyline-engine");
    let step = "pack (stage the package)";
    let shown = format!("{NPM_DIR}/keyline-engine");
    let _ = std::fs::remove_dir_all(&stage);
    std::fs::create_dir_all(&stage).map_err(|err| failure(step, &shown, err))?;
    for name in PACKAGE_SOURCES {
        std::fs::copy(root.join("crates/wasm/npm").join(name), stage.join(name))
            .map_err(|err| failure(step, &format!("cp crates/wasm/npm/{name} {shown}"), err))?;
    }
    for name in [format!("{OUT_NAME}.js"), format!("{OUT_NAME}_bg.wasm")] {
        std::fs::copy(out.join(&name), stage.join(&name))
            .map_err(|err| failure(step, &format!("cp {OUT_DIR}/{name} {shown}"), err))?;
    }
    let wasm = std::fs::read(out.join(format!("{OUT_NAME}_bg.wasm")))
        .map_err(|err| failure(step, &shown, err))?;
    let files = [
        ("keyline_engine_wasm.js", inline_wasm(&wasm)),
        ("package.json", package_json(version)),
    ];
    for (name, text) in files {
        std::fs::write(stage.join(name), text).map_err(|err| failure(step, &shown, err))?;
    }

    let mut npm = Command::new("npm");
    npm.args(["pack", "--quiet", "--pack-destination", ".."])
        .current_dir(&stage);
    steps::run("pack (npm pack)", &mut npm)?;
    let tarball = root
        .join(NPM_DIR)
        .join(format!("keyline-engine-{version}.tgz"));
    if !tarball.is_file() {
        return Err(failure(
            "pack",
            "cargo xtask pack",
            format!("npm pack made no {}", tarball.display()),
        ));
    }
    println!("npm package: {}", tarball.display());
    Ok(tarball)
}

/// Run from the temporary project: imports the installed package, evaluates every file given
/// on the command line and prints `{file: report}` as one JSON document; then checks the error
/// object of an oversized text and the `.d.ts` without TypeScript.
const NODE_CHECK: &str = r#"
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { evaluate, MAX_TEXT } from 'keyline-engine';
const out = { reports: {}, checks: [] };
for (const file of process.argv.slice(1)) {
  out.reports[file] = evaluate(readFileSync(file, 'utf8'));
}
try {
  evaluate('#'.repeat(MAX_TEXT + 1));
  out.checks.push('an oversized text did not throw');
} catch (err) {
  if (!(err instanceof RangeError) || err.code !== 'TEXT_TOO_LARGE') {
    out.checks.push(`an oversized text threw ${err}`);
  }
}
const require = createRequire(import.meta.url);
const pkg = require('keyline-engine/package.json');
const types = readFileSync(new URL(`./node_modules/keyline-engine/${pkg.types}`, `file://${process.cwd()}/`), 'utf8');
if (!/export function evaluate\(text: string\): Report;/.test(types)) {
  out.checks.push('index.d.ts does not declare evaluate(text: string): Report');
}
for (const name of ['Report', 'Step', 'ExpectationReport', 'StateView', 'ParseError', 'Summary']) {
  if (!types.includes(`export interface ${name} `)) { out.checks.push(`index.d.ts lacks ${name}`); }
}
process.stdout.write(JSON.stringify(out));
"#;

/// The xtask test step `npm package (keyline-engine in Node)`: packs, installs the tarball
/// offline into a fresh npm project, and compares `evaluate` on every `tests/scenarios` file
/// with `keyline run --json` (deep equality). Each file is one test in the totals.
pub fn test_package(root: &Path, totals: &mut Totals) -> Result<(), Failure> {
    let step = "npm package (keyline-engine in Node)";
    let tarball = pack(root)?;
    let project = root.join(NPM_DIR).join("test-project");
    let shown = format!("{NPM_DIR}/test-project");
    let _ = std::fs::remove_dir_all(&project);
    std::fs::create_dir_all(&project).map_err(|err| failure(step, &shown, err))?;
    std::fs::write(
        project.join("package.json"),
        "{\"name\": \"keyline-engine-test\", \"private\": true, \"type\": \"module\"}\n",
    )
    .map_err(|err| failure(step, &shown, err))?;
    let mut install = Command::new("npm");
    install
        .args(["install", "--offline", "--no-audit", "--no-fund"])
        .arg(&tarball)
        .current_dir(&project);
    steps::run(&format!("{step}: npm install"), &mut install)?;

    let mut cli = Command::new(steps::cargo());
    cli.args(["build", "--quiet", "-p", "keyline-cli", "--bin", "keyline"])
        .current_dir(root);
    steps::run(&format!("{step}: build keyline"), &mut cli)?;
    let keyline = root.join("target/debug/keyline");

    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("tests/scenarios"))
        .map_err(|err| failure(step, "ls tests/scenarios", err))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "kl"))
        .collect();
    files.sort();

    let mut node = Command::new("node");
    node.args(["--input-type=module", "-e", NODE_CHECK, "--"])
        .args(&files)
        .current_dir(&project);
    let node_shown =
        format!("cd {shown} && node --input-type=module -e '…' -- tests/scenarios/*.kl");
    println!("==> {step}: {node_shown}");
    let output = node
        .output()
        .map_err(|err| failure(step, &node_shown, err))?;
    if !output.status.success() {
        return Err(failure(
            step,
            &node_shown,
            format!(
                "node exited with {}: {}",
                output.status,
                String::from_utf8_lossy(&output.stderr)
            ),
        ));
    }
    let result: Value = serde_json::from_slice(&output.stdout)
        .map_err(|err| failure(step, &node_shown, format!("its output is not JSON: {err}")))?;

    let mut passed = 0;
    let mut failed = Vec::new();
    for file in &files {
        let name = file.display().to_string();
        let run = Command::new(&keyline)
            .args(["run", "--json"])
            .arg(file)
            .output()
            .map_err(|err| failure(step, &format!("keyline run --json {name}"), err))?;
        let cli_report: Value = serde_json::from_slice(&run.stdout).map_err(|err| {
            failure(
                step,
                &format!("keyline run --json {name}"),
                format!("not JSON: {err}"),
            )
        })?;
        if result["reports"][&name] == cli_report {
            passed += 1;
        } else {
            failed.push(format!(
                "{name}: evaluate() differs from `keyline run --json`"
            ));
        }
    }
    for check in result["checks"].as_array().into_iter().flatten() {
        failed.push(check.as_str().unwrap_or_default().to_owned());
    }
    if files.is_empty() {
        failed.push("no .kl file in tests/scenarios".to_owned());
    }
    println!(
        "npm package: {passed} of {} scenarios equal `keyline run --json`",
        files.len()
    );
    totals.add(Totals {
        passed: passed + u64::from(result["checks"].as_array().is_some_and(Vec::is_empty)),
        failed: failed.len() as u64,
    });
    if failed.is_empty() {
        Ok(())
    } else {
        Err(failure(step, "cargo xtask test", failed.join("\n")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wasm_opt_flags_are_the_apps() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let index = std::fs::read_to_string(root.join("index.html")).unwrap_or_default();
        assert!(
            index.contains(&WASM_OPT_FLAGS.join(" ")),
            "index.html's data-wasm-opt-params and WASM_OPT_FLAGS differ"
        );
        for file in ELEMENT_FILES {
            let copied = format!("href=\"{OUT_DIR}/{file}\"");
            let source = format!("href=\"web/element/{file}\"");
            assert!(
                index.contains(&copied) || index.contains(&source),
                "index.html does not copy {file} into dist/"
            );
        }
    }

    #[test]
    fn the_package_is_an_es_module_without_dependencies() {
        let json: Value = serde_json::from_str(&package_json("1.2.3")).unwrap_or_default();
        assert_eq!(json["name"], "keyline-engine");
        assert_eq!(json["version"], "1.2.3");
        assert_eq!(json["type"], "module");
        assert_eq!(json["engines"]["node"], ">=18");
        assert_eq!(json["exports"]["."]["types"], "./index.d.ts");
        assert!(json.get("dependencies").is_none());
        let inline = inline_wasm(b"\0asm");
        assert!(
            inline.contains("export const wasm = \"AGFzbQ==\";"),
            "{inline}"
        );
    }
}
