//! Project automation, run as `cargo xtask <command>` (alias in `.cargo/config.toml`).
//!
//! - `serve` — install what is missing, then `trunk serve` the app on 127.0.0.1:8080.
//! - `test`  — install what is missing, then every check and test suite, in order.
//! - `dist`  — the release build into `dist/`, and its gzip sizes.
//! - `bench` — the performance figures against their targets, with moto as a peer (bench.rs).
//!
//! Every run checks its tools first and installs only what is missing or of the wrong
//! version, so a warm run installs nothing. Any failure names the step and the command to run
//! by hand, and the process exits non-zero.

mod bench;
mod layout;
mod report;
mod sizes;
mod steps;
mod tools;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use report::Totals;
use steps::Failure;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  serve [--port N]  install missing tools, then serve the app at http://127.0.0.1:8080/
  test              install missing tools, then fmt, clippy, unit, wasm and e2e tests
                    (with axe-core's accessibility checks);
                    the last line of output is `N passed, M failed`
  dist              the release build into dist/, and its gzip sizes
  bench             engine throughput and memory, bundle size, first verdict, keystroke
                    latency and a 5 MB paste against their targets, beside moto; one table";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = project_root();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(&root, &args[1..]),
        Some("test") if args.len() == 1 => return test(&root),
        Some("dist") if args.len() == 1 => dist(&root),
        Some("bench") if args.len() == 1 => bench::bench(&root),
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            failure.print();
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: the parent of this crate's directory.
fn project_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

fn serve(root: &Path, args: &[String]) -> Result<(), Failure> {
    let port = match args {
        [] => 8080,
        [flag, port] if flag == "--port" => port.parse::<u16>().map_err(|_| {
            Failure::usage(format!(
                "--port wants a number from 1 to 65535, not {port:?}"
            ))
        })?,
        _ => return Err(Failure::usage(USAGE.to_owned())),
    };
    let tools = tools::ensure_web_tools(root)?;
    steps::cargo_fetch(root)?;
    let port = port.to_string();
    let url = format!("http://127.0.0.1:{port}/");
    println!("Serving Keyline at {url} (the first build takes a while; Ctrl-C stops)");
    let mut command = Command::new(&tools.trunk);
    command
        .args(["serve", "--address", "127.0.0.1", "--port", &port])
        .current_dir(root)
        .env("PATH", &tools.path);
    steps::run("serve", &mut command)
}

fn dist(root: &Path) -> Result<(), Failure> {
    let tools = tools::ensure_web_tools(root)?;
    build_dist(root, &tools)
}

/// `trunk build --release` into `dist/`, then the gzip sizes of what it made.
fn build_dist(root: &Path, tools: &tools::WebTools) -> Result<(), Failure> {
    steps::cargo_fetch(root)?;
    let mut command = Command::new(&tools.trunk);
    command
        .args(["build", "--release"])
        .current_dir(root)
        .env("PATH", &tools.path);
    steps::run("dist (trunk build --release)", &mut command)?;
    let dist = root.join("dist");
    let table = sizes::bundle_sizes(&dist).map_err(|err| {
        Failure::new(
            "dist (gzip sizes)",
            "cargo xtask dist",
            format!("reading {}: {err}", dist.display()),
        )
    })?;
    print!("{table}");
    Ok(())
}

/// The environment variable that names the runner of `cargo test --target wasm32-…`: the clone's
/// own wasm-bindgen-test-runner, by its path, whatever `.cargo/config.toml` or `PATH` say.
const WASM_RUNNER_VAR: &str = "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER";

/// The scenarios shared with the product's other teams, when a `shared/` folder sits beside the
/// clone. The project's own tests never need it; when it is there, one extra step checks its
/// scenarios with the CLI and in the app (the same tests as for `tests/scenarios`, pointed at
/// that folder through `KEYLINE_SCENARIO_DIRS`).
fn shared_scenarios(root: &Path, totals: &mut Totals) -> Result<(), Failure> {
    let dir = root.join("../shared/scenarios");
    if !dir.is_dir() {
        println!("skip: shared scenarios (no ../shared/scenarios beside this clone)");
        return Ok(());
    }
    let cargo = |args: &[&str]| {
        let mut command = Command::new(steps::cargo());
        command
            .args(args)
            .current_dir(root)
            .env("KEYLINE_SCENARIO_DIRS", &dir);
        command
    };
    steps::run_tests(
        "shared scenarios: keyline check ../shared/scenarios",
        &mut cargo(&[
            "test",
            "-p",
            "keyline-cli",
            "--test",
            "cli",
            "--",
            "--exact",
            "every_scenario_file_passes",
        ]),
        totals,
    )?;
    let mut e2e = cargo(&[
        "test",
        "-p",
        "keyline-e2e",
        "--test",
        "dom_contract",
        "--",
        "--exact",
        "every_scenario_renders_its_report",
    ]);
    e2e.env("KEYLINE_DIST", root.join("dist"))
        .env("CHROMEDRIVER", tools::CHROMEDRIVER);
    steps::run_tests(
        "shared scenarios: the DOM contract of ../shared/scenarios in dist/",
        &mut e2e,
        totals,
    )
}

fn test(root: &Path) -> ExitCode {
    let mut totals = Totals::default();
    let result = run_tests(root, &mut totals);
    if let Err(failure) = &result {
        failure.print();
    }
    // The summary is always the last line of output.
    println!("{}", totals.summary());
    match result {
        Ok(()) if totals.failed == 0 => ExitCode::SUCCESS,
        _ => ExitCode::FAILURE,
    }
}

fn run_tests(root: &Path, totals: &mut Totals) -> Result<(), Failure> {
    let tools = tools::ensure_web_tools(root)?;
    tools::ensure_browser()?;
    let axe = tools::ensure_axe(root)?;

    let cargo = |args: &[&str]| {
        let mut command = Command::new(steps::cargo());
        command.args(args).current_dir(root);
        command
    };

    steps::run("format", &mut cargo(&["fmt", "--all", "--check"]))?;
    steps::run(
        "clippy (native)",
        &mut cargo(&[
            "clippy",
            "--workspace",
            "--exclude",
            "keyline-web",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    steps::run(
        "clippy (web, wasm32)",
        &mut cargo(&[
            "clippy",
            "-p",
            "keyline-web",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    steps::run_tests(
        "unit tests (native)",
        &mut cargo(&[
            "test",
            "--workspace",
            "--exclude",
            "keyline-web",
            "--exclude",
            "keyline-e2e",
        ]),
        totals,
    )?;
    // The built-in course proves: every level's reference solution reaches its goal within
    // its constraints, no start does, and the course teaches every rule of SPEC §3.
    steps::run(
        "the course (keyline lesson check)",
        &mut cargo(&[
            "run",
            "--quiet",
            "-p",
            "keyline-cli",
            "--",
            "lesson",
            "check",
        ]),
    )?;
    // The web crate's authoring logic (forms, fresh names, text insertion) is plain Rust:
    // its unit tests run natively; the browser tests below cover the DOM.
    steps::run_tests(
        "unit tests (web crate, native)",
        &mut cargo(&["test", "-p", "keyline-web", "--lib"]),
        totals,
    )?;

    let mut wasm_tests = cargo(&[
        "test",
        "-p",
        "keyline-web",
        "--target",
        "wasm32-unknown-unknown",
    ]);
    wasm_tests
        .env("CHROMEDRIVER", tools::CHROMEDRIVER)
        .env(WASM_RUNNER_VAR, &tools.test_runner)
        .env("PATH", &tools.path);
    steps::run_tests(
        "web tests (wasm32, headless Chromium)",
        &mut wasm_tests,
        totals,
    )?;

    build_dist(root, &tools)?;

    let mut e2e = cargo(&["test", "-p", "keyline-e2e"]);
    e2e.env("KEYLINE_DIST", root.join("dist"))
        .env("KEYLINE_AXE", &axe)
        .env("CHROMEDRIVER", tools::CHROMEDRIVER);
    steps::run_tests(
        "end-to-end tests (dist/ in headless Chromium)",
        &mut e2e,
        totals,
    )?;

    shared_scenarios(root, totals)?;

    if totals.failed > 0 {
        return Err(Failure::new(
            "tests",
            "cargo xtask test",
            format!("{} test(s) failed", totals.failed),
        ));
    }
    Ok(())
}
