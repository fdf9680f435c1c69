//! `cargo xtask bench`: the four performance figures of issue 8 against their targets, and
//! moto (the Python AWS mock) as a peer, in one table.
//!
//! - Engine: the release `keyline check` on a generated 100,000-statement scenario, as a whole
//!   process: wall time over [`ENGINE_RUNS`] runs (after one warm-up), peak memory from
//!   `/proc/<pid>/status` `VmHWM` sampled while it runs, and from `/usr/bin/time -f %M`
//!   (the kernel's `ru_maxrss`) when that is installed.
//! - Bundle: gzip -9 of the files the index page loads (not the embed demo).
//! - Element (issue 16): gzip -9 of `<keyline-scenario>`'s script, glue and wasm; on
//!   `docs-demo.html`, the wasm downloads and navigation → every element's verdicts.
//! - First verdict, keystroke latency and a large paste: `tests/e2e/src/bin/browser_bench.rs`
//!   in headless Chromium, from the app's performance marks.
//! - Peer: `bench/moto_peer.py` in the project venv `.tools/venv` (created when missing).
//!
//! Nothing here is a test: misses are reported in the table, and the command fails only when
//! something could not be measured.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::steps::{self, Failure};
use crate::{engine, sizes, tools};

/// Statements in the engine's scenario (the generator's count).
const ENGINE_STATEMENTS: usize = 100_000;
/// Timed runs of the engine (after one untimed warm-up).
const ENGINE_RUNS: usize = 7;
/// Statements of the large-file run: enough generated text for a file of at least 5 MB.
const LARGE_FILE_STATEMENTS: usize = 160_000;
/// Navigations of the docs demo page (`<keyline-scenario>`).
const DEMO_RUNS: usize = 7;
/// Navigations for the first verdict.
const FIRST_RUNS: usize = 7;
/// The pasted scenario: 5 MiB.
const PASTE_BYTES: usize = 5 * 1024 * 1024;
/// Smaller pastes first, to show how the paste time grows with the size.
const PASTE_LADDER: &str = "50000,100000,200000";
/// How long the big paste may take before the browser is given up on.
const PASTE_TIMEOUT_S: u64 = 120;
/// moto: timed runs, and blocks of ten API calls per run.
const PEER_RUNS: usize = 5;
const PEER_BLOCKS: usize = 40;

/// The index page's assets (not the embed demo's).
const BUNDLE: [&str; 4] = [
    "keyline-web_bg.wasm",
    "keyline-web.js",
    "loader.js",
    "style.css",
];

const VENV: &str = ".tools/venv";
const PEER_SCRIPT: &str = "bench/moto_peer.py";
const PEER_PACKAGES: [&str; 2] = ["moto[ec2,kms]", "boto3"];

/// The steps moto is checked on (`bench/moto_peer.py` `findings`), as a Keyline scenario:
/// each finding's id and the line whose verdict is Keyline's answer.
const PEER_SCENARIO: &str = "\
title moto comparison
role security-admin
kms grant
key create k
server create srv
disk create d encrypt k
snapshot create s disk d
disk create c from-snapshot s
attach c srv
key disable k
detach c
attach c srv
disk create e encrypt k
disk create f encrypt nokey
key enable k
attach c srv
detach c
key schedule-deletion k 7
attach c srv
";
const PEER_LINES: [(&str, u32); 8] = [
    ("from-snapshot", 8),
    ("disable-in-use", 10),
    ("detach-without-instance", 11),
    ("detach-with-key-disabled", 11),
    ("attach-disabled", 12),
    ("create-disabled", 13),
    ("create-missing-key", 14),
    ("attach-pending-deletion", 19),
];

pub fn bench(root: &Path) -> Result<(), Failure> {
    let started = Instant::now();
    let context = machine_context(root);
    let out_dir = root.join("target/bench");
    std::fs::create_dir_all(&out_dir).map_err(|err| {
        Failure::new(
            "bench",
            "mkdir -p target/bench",
            format!("creating {}: {err}", out_dir.display()),
        )
    })?;
    let mut rows = Vec::new();
    let mut notes = Vec::new();
    let mut timings = Vec::new();

    // Engine.
    let t = Instant::now();
    let cli = build_engine(root)?;
    let scenario = out_dir.join(format!("workload-{ENGINE_STATEMENTS}.kl"));
    generate_workload(root, &scenario, ENGINE_STATEMENTS)?;
    let engine = measure_engine(&cli, &scenario, &out_dir)?;
    engine.rows(&mut rows, &mut notes);
    let large = out_dir.join(format!("workload-{LARGE_FILE_STATEMENTS}.kl"));
    generate_workload(root, &large, LARGE_FILE_STATEMENTS)?;
    rows.push(measure_engine(&cli, &large, &out_dir)?.large_file_row());
    timings.push(("engine (build, generate, measure)", t.elapsed()));

    // Bundle.
    let t = Instant::now();
    let web_tools = tools::ensure_web_tools(root)?;
    crate::build_dist(root, &web_tools)?;
    rows.push(bundle_row(&root.join("dist"))?);
    rows.push(element_row(&root.join("dist"))?);
    timings.push(("bundle (cargo xtask dist)", t.elapsed()));

    // Browser.
    let t = Instant::now();
    tools::ensure_browser()?;
    let browser = run_browser_bench(root, &out_dir)?;
    browser.rows(&mut rows, &mut notes);
    timings.push(("browser (build, Chromium runs)", t.elapsed()));

    // Peer.
    let t = Instant::now();
    let python = ensure_venv(root)?;
    let peer = run_peer(root, &python)?;
    let keyline = keyline_answers(&cli, &out_dir)?;
    let peer_notes = peer.rows(engine.statements_per_s(), &keyline, &mut rows);
    timings.push(("peer (moto)", t.elapsed()));

    print_table(&context, &rows, &notes, &peer_notes, &timings, started);
    Ok(())
}

// ---------------------------------------------------------------------------------------
// The table

/// One row: figure, target, median, spread, runs, verdict.
struct Row {
    figure: String,
    target: String,
    median: String,
    spread: String,
    runs: String,
    verdict: String,
}

impl Row {
    fn new(figure: impl Into<String>, target: impl Into<String>) -> Self {
        Row {
            figure: figure.into(),
            target: target.into(),
            median: String::new(),
            spread: String::new(),
            runs: String::new(),
            verdict: String::new(),
        }
    }
    fn median(mut self, v: impl Into<String>) -> Self {
        self.median = v.into();
        self
    }
    fn spread(mut self, v: impl Into<String>) -> Self {
        self.spread = v.into();
        self
    }
    fn runs(mut self, v: impl std::fmt::Display) -> Self {
        self.runs = v.to_string();
        self
    }
    fn verdict(mut self, v: impl Into<String>) -> Self {
        self.verdict = v.into();
        self
    }
}

/// How a figure compares with its target.
#[derive(Debug, Clone, Copy)]
enum Goal {
    AtLeast(f64),
    AtMost(f64),
}

/// `met`, or `missed by X%` (how far the value is from the target, relative to the target).
fn verdict(value: f64, goal: Goal) -> String {
    let (met, off) = match goal {
        Goal::AtLeast(t) => (value >= t, (t - value) / t),
        Goal::AtMost(t) => (value <= t, (value - t) / t),
    };
    if met {
        "met".to_owned()
    } else {
        format!("MISSED by {:.0}%", off * 100.0)
    }
}

fn print_table(
    context: &str,
    rows: &[Row],
    notes: &[String],
    peer_notes: &[String],
    timings: &[(&str, Duration)],
    started: Instant,
) {
    let headers = ["figure", "target", "median", "spread", "runs", "verdict"];
    let cells = |r: &Row| {
        [
            r.figure.clone(),
            r.target.clone(),
            r.median.clone(),
            r.spread.clone(),
            r.runs.clone(),
            r.verdict.clone(),
        ]
    };
    let mut widths = headers.map(str::len);
    for row in rows {
        for (w, c) in widths.iter_mut().zip(cells(row)) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |c: [String; 6]| {
        let mut s = String::from("|");
        for (w, c) in widths.iter().zip(c) {
            let _ = write!(s, " {c:<w$} |");
        }
        s
    };
    let mut out = String::new();
    let _ = writeln!(out, "\nKeyline performance ({context})\n");
    let _ = writeln!(out, "{}", line(headers.map(str::to_owned)));
    let _ = writeln!(out, "{}", line(widths.map(|w| "-".repeat(w))));
    for row in rows {
        let _ = writeln!(out, "{}", line(cells(row)));
    }
    if !notes.is_empty() {
        out.push('\n');
        for note in notes {
            let _ = writeln!(out, "- {note}");
        }
    }
    if !peer_notes.is_empty() {
        let _ = writeln!(
            out,
            "\nmoto vs Keyline on the same steps (checked in moto by {PEER_SCRIPT}; Keyline's verdict from `keyline run`):"
        );
        for note in peer_notes {
            let _ = writeln!(out, "- {note}");
        }
    }
    let _ = write!(out, "\ntime taken:");
    for (what, d) in timings {
        let _ = write!(out, " {what} {:.0} s;", d.as_secs_f64());
    }
    let _ = writeln!(out, " total {:.0} s", started.elapsed().as_secs_f64());
    print!("{out}");
    let _ = std::io::stdout().flush();
}

/// Commit, cores and load: benchmark numbers mean little without them.
fn machine_context(root: &Path) -> String {
    let commit = Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(root)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|| "?".to_owned());
    let dirty = Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=no"])
        .current_dir(root)
        .output()
        .map(|o| !o.stdout.is_empty())
        .unwrap_or(false);
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".to_owned());
    format!(
        "commit {commit}{}, {cores} cores, load average {load} at start",
        if dirty { " + uncommitted changes" } else { "" }
    )
}

// ---------------------------------------------------------------------------------------
// Statistics

/// The median of `values` (the mean of the middle two for an even count).
fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// The nearest-rank percentile `p` (0–100) of `values`.
fn percentile(values: &[f64], p: f64) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * v.len() as f64).ceil() as usize;
    v[rank.clamp(1, v.len()) - 1]
}

fn min_max(values: &[f64]) -> (f64, f64) {
    values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        })
}

/// `1,234,567`.
fn thousands(n: f64) -> String {
    let digits = format!("{:.0}", n.max(0.0));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

// ---------------------------------------------------------------------------------------
// Engine

fn build_engine(root: &Path) -> Result<PathBuf, Failure> {
    let mut command = Command::new(steps::cargo());
    command
        .args([
            "build",
            "--release",
            "-p",
            "keyline-cli",
            "--bin",
            "keyline",
            "-p",
            "keyline-rules",
            "--example",
            "workload",
        ])
        .current_dir(root);
    steps::run("bench: build the release CLI", &mut command)?;
    Ok(root.join("target/release/keyline"))
}

fn generate_workload(root: &Path, path: &Path, statements: usize) -> Result<(), Failure> {
    let generator = root.join("target/release/examples/workload");
    let shown = format!(
        "target/release/examples/workload {statements} > {}",
        path.display()
    );
    let file = std::fs::File::create(path)
        .map_err(|err| Failure::new("bench: generate", &shown, err.to_string()))?;
    let status = Command::new(&generator)
        .arg(statements.to_string())
        .stdout(file)
        .status()
        .map_err(|err| Failure::new("bench: generate", &shown, err.to_string()))?;
    if status.success() {
        Ok(())
    } else {
        Err(Failure::new(
            "bench: generate",
            &shown,
            format!("it exited with {status}"),
        ))
    }
}

/// Statements in a scenario: lines other than blanks, comments, `title` and `expect`.
fn count_statements(text: &str) -> usize {
    text.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .filter(|l| {
            let word = l.split_whitespace().next().unwrap_or("");
            word != "title" && word != "expect"
        })
        .count()
}

struct Engine {
    statements: usize,
    bytes: usize,
    lines: usize,
    /// Wall time of each timed run.
    walls: Vec<Duration>,
    /// `VmHWM` of each run (warm-up included), in KiB.
    hwm_kib: Vec<u64>,
    /// `/usr/bin/time -f %M` of one run, in KiB, when available.
    maxrss_kib: Option<u64>,
    summary: String,
}

impl Engine {
    fn statements_per_s(&self) -> f64 {
        let secs: Vec<f64> = self.walls.iter().map(Duration::as_secs_f64).collect();
        self.statements as f64 / median(&secs)
    }

    /// The CLI on a file of several megabytes (issue 9: "well under a second").
    fn large_file_row(&self) -> Row {
        let secs: Vec<f64> = self.walls.iter().map(Duration::as_secs_f64).collect();
        let (lo, hi) = min_max(&secs);
        Row::new(
            format!(
                "CLI: `keyline check` on a {:.2} MB file ({} lines), whole process",
                self.bytes as f64 / 1e6,
                thousands(self.lines as f64)
            ),
            "well under 1 s",
        )
        .median(format!("{:.1} ms", median(&secs) * 1e3))
        .spread(format!("{:.1}–{:.1} ms", lo * 1e3, hi * 1e3))
        .runs(self.walls.len())
        .verdict(verdict(median(&secs), Goal::AtMost(1.0)))
    }

    fn rows(&self, rows: &mut Vec<Row>, notes: &mut Vec<String>) {
        let secs: Vec<f64> = self.walls.iter().map(Duration::as_secs_f64).collect();
        let rates: Vec<f64> = secs.iter().map(|s| self.statements as f64 / s).collect();
        let (lo, hi) = min_max(&rates);
        let (wlo, whi) = min_max(&secs);
        let rate = self.statements_per_s();
        rows.push(
            Row::new(
                format!(
                    "engine: `keyline check`, {} statements, whole process",
                    thousands(self.statements as f64)
                ),
                "≥ 2,000,000 statements/s",
            )
            .median(format!(
                "{} statements/s ({:.1} ms)",
                thousands(rate),
                median(&secs) * 1e3
            ))
            .spread(format!(
                "{}–{} ({:.1}–{:.1} ms)",
                thousands(lo),
                thousands(hi),
                wlo * 1e3,
                whi * 1e3
            ))
            .runs(self.walls.len())
            .verdict(verdict(rate, Goal::AtLeast(2_000_000.0))),
        );
        let hwm: Vec<f64> = self.hwm_kib.iter().map(|&k| k as f64).collect();
        let peak = hwm
            .iter()
            .copied()
            .chain(self.maxrss_kib.map(|k| k as f64))
            .fold(0.0, f64::max);
        let (hlo, hhi) = min_max(&hwm);
        let mib = |k: f64| format!("{:.1} MB", k * 1024.0 / 1e6);
        rows.push(
            Row::new("engine: peak memory (same runs)", "< 100 MB")
                .median(format!("{} (peak {})", mib(median(&hwm)), mib(peak)))
                .spread(format!(
                    "VmHWM {}–{}{}",
                    mib(hlo),
                    mib(hhi),
                    self.maxrss_kib
                        .map(|k| format!("; ru_maxrss {}", mib(k as f64)))
                        .unwrap_or_default()
                ))
                .runs(self.hwm_kib.len() + usize::from(self.maxrss_kib.is_some()))
                .verdict(verdict(peak * 1024.0, Goal::AtMost(100e6 - 1.0))),
        );
        notes.push(format!(
            "engine scenario: `cargo run --release -p keyline-rules --example workload -- {ENGINE_STATEMENTS}` \
             ({} bytes, {} statements); `keyline check` printed `{}`",
            thousands(self.bytes as f64),
            thousands(self.statements as f64),
            self.summary
        ));
    }
}

fn measure_engine(cli: &Path, scenario: &Path, out_dir: &Path) -> Result<Engine, Failure> {
    let step = "bench: engine";
    let shown = format!("{} check {}", cli.display(), scenario.display());
    let text = std::fs::read_to_string(scenario)
        .map_err(|err| Failure::new(step, &shown, format!("reading the scenario: {err}")))?;
    let out_path = out_dir.join("engine-check.out");
    let mut walls = Vec::new();
    let mut hwm_kib = Vec::new();
    for run in 0..=ENGINE_RUNS {
        let out = std::fs::File::create(&out_path)
            .map_err(|err| Failure::new(step, &shown, err.to_string()))?;
        let mut command = Command::new(cli);
        command
            .arg("check")
            .arg(scenario)
            .stdin(Stdio::null())
            .stdout(out);
        let (wall, hwm, status) = run_sampled(&mut command)
            .map_err(|err| Failure::new(step, &shown, format!("running it: {err}")))?;
        if !status.success() {
            return Err(Failure::new(
                step,
                &shown,
                format!("it exited with {status}: the generated scenario must pass"),
            ));
        }
        hwm_kib.extend(hwm);
        if run > 0 {
            walls.push(wall);
        }
    }
    let summary = std::fs::read_to_string(&out_path)
        .unwrap_or_default()
        .lines()
        .last()
        .unwrap_or_default()
        .to_owned();
    Ok(Engine {
        statements: count_statements(&text),
        bytes: text.len(),
        lines: text.lines().count(),
        walls,
        hwm_kib,
        maxrss_kib: time_maxrss(cli, scenario, out_dir),
        summary,
    })
}

/// Runs `command` to its end: the wall time from spawn to reaping, the largest `VmHWM` seen
/// in `/proc/<pid>/status` while it ran (sampled every millisecond from another thread, so
/// that the wait itself is exact), and its exit status.
fn run_sampled(
    command: &mut Command,
) -> std::io::Result<(Duration, Option<u64>, std::process::ExitStatus)> {
    let start = Instant::now();
    let mut child = command.spawn()?;
    let status_path = format!("/proc/{}/status", child.id());
    let sampler = std::thread::spawn(move || {
        let mut peak = None;
        while let Ok(status) = std::fs::read_to_string(&status_path) {
            // A zombie has no memory lines left: stop there.
            let Some(kib) = vm_hwm_kib(&status) else {
                break;
            };
            peak = peak.max(Some(kib));
            std::thread::sleep(Duration::from_millis(1));
        }
        peak
    });
    let status = child.wait()?;
    let wall = start.elapsed();
    let peak = sampler.join().unwrap_or(None);
    Ok((wall, peak, status))
}

/// `VmHWM:     12345 kB` → 12345.
fn vm_hwm_kib(status: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
}

/// The kernel's `ru_maxrss` of one run, through `/usr/bin/time -f %M`, when installed.
fn time_maxrss(cli: &Path, scenario: &Path, out_dir: &Path) -> Option<u64> {
    let time = Path::new("/usr/bin/time");
    if !time.exists() {
        return None;
    }
    let report = out_dir.join("engine-maxrss.txt");
    let status = Command::new(time)
        .args(["-f", "%M", "-o"])
        .arg(&report)
        .arg(cli)
        .arg("check")
        .arg(scenario)
        .stdout(Stdio::null())
        .status()
        .ok()?;
    if !status.success() {
        return None;
    }
    std::fs::read_to_string(report).ok()?.trim().parse().ok()
}

// ---------------------------------------------------------------------------------------
// Bundle

fn bundle_row(dist: &Path) -> Result<Row, Failure> {
    let (total, parts) = gzip_total(dist, &BUNDLE)?;
    Ok(size_row(
        Row::new("bundle: index page wasm + js + css, gzip -9", "≤ 300 KB"),
        total,
        &parts,
        300_000.0,
    ))
}

/// `<keyline-scenario>`: its script, the light engine's glue and wasm (what a docs page
/// downloads beyond its own files), gzip -9; the stylesheet beside it in the spread.
fn element_row(dist: &Path) -> Result<Row, Failure> {
    let code: Vec<&str> = engine::ELEMENT_FILES
        .into_iter()
        .filter(|f| !f.ends_with(".css"))
        .collect();
    let (total, mut parts) = gzip_total(dist, &code)?;
    let (css, _) = gzip_total(dist, &["keyline-element.css"])?;
    parts.push(format!("(and keyline-element.css {:.1})", css as f64 / 1e3));
    Ok(size_row(
        Row::new(
            "element: keyline-element.js + keyline_engine.js + keyline_engine_bg.wasm, gzip -9 (`cargo xtask dist`)",
            "≤ 150 KB",
        ),
        total,
        &parts,
        150_000.0,
    ))
}

/// A size row, measured once: `total` bytes in KB and in bytes, its `parts` as the spread,
/// and the verdict against `limit` bytes at most.
fn size_row(row: Row, total: usize, parts: &[String], limit: f64) -> Row {
    row.median(format!(
        "{:.1} KB ({} B)",
        total as f64 / 1e3,
        thousands(total as f64)
    ))
    .spread(parts.join(" + "))
    .runs(1)
    .verdict(verdict(total as f64, Goal::AtMost(limit)))
}

/// The gzip -9 sizes of `names` in `dist`: their total, and `name KB` for each.
fn gzip_total(dist: &Path, names: &[&str]) -> Result<(usize, Vec<String>), Failure> {
    let mut parts = Vec::new();
    let mut total = 0;
    for name in names {
        let path = dist.join(name);
        let bytes = std::fs::read(&path).map_err(|err| {
            Failure::new(
                "bench: bundle",
                "cargo xtask dist",
                format!("reading {}: {err}", path.display()),
            )
        })?;
        let gzip = sizes::gzip_len(&bytes).map_err(|err| {
            Failure::new("bench: bundle", "cargo xtask dist", format!("gzip: {err}"))
        })?;
        total += gzip;
        parts.push(format!("{name} {:.1}", gzip as f64 / 1e3));
    }
    Ok((total, parts))
}

// ---------------------------------------------------------------------------------------
// Browser

#[derive(Default)]
struct Browser {
    /// docs-demo.html: wasm downloads and navigation → the last element's verdicts, per
    /// navigation; how many elements it has.
    demo_wasm: Vec<f64>,
    demo_last: Vec<f64>,
    demo_elements: usize,
    /// `keyline:first-verdict` per navigation, and the wasm's responseEnd.
    first: Vec<f64>,
    first_wasm: Vec<f64>,
    lines: usize,
    keys: usize,
    /// The app's `keyline:keystroke` measures.
    measures: Vec<f64>,
    /// keydown → next frame, for every key.
    frames: Vec<f64>,
    /// Keys after which the textarea was a new element / not focused.
    recreated: usize,
    blurred: usize,
    pastes: Vec<Paste>,
}

struct Paste {
    bytes: usize,
    lines: usize,
    /// input → summary, input → next frame, longest task, the app's measure (ms).
    to_summary: Option<f64>,
    to_frame: Option<f64>,
    longest: Option<f64>,
    measure: Option<f64>,
    outcome: String,
}

fn parse_browser(output: &str) -> Browser {
    let num = |w: Option<&str>| w.and_then(|w| w.parse::<f64>().ok());
    let mut b = Browser::default();
    for line in output.lines() {
        let mut w = line.split_whitespace();
        match w.next() {
            Some("FIRST") => {
                b.first.extend(num(w.next()));
                b.first_wasm.extend(num(w.next()));
            }
            Some("KEYSETUP") => {
                b.lines = num(w.next()).unwrap_or(0.0) as usize;
                b.keys = num(w.next()).unwrap_or(0.0) as usize;
            }
            Some("KEY") => {
                b.measures.extend(num(w.next()));
                b.frames.extend(num(w.next()));
                b.recreated += usize::from(w.next() == Some("new"));
                b.blurred += usize::from(w.next() == Some("blur"));
            }
            Some("DEMO") => {
                b.demo_wasm.extend(num(w.next()));
                b.demo_last.extend(num(w.next()));
                b.demo_elements = num(w.next()).unwrap_or(0.0) as usize;
            }
            Some("PASTE") => b.pastes.push(Paste {
                bytes: num(w.next()).unwrap_or(0.0) as usize,
                lines: num(w.next()).unwrap_or(0.0) as usize,
                to_summary: num(w.next()),
                to_frame: num(w.next()),
                longest: num(w.next()),
                measure: num(w.next()),
                outcome: w.next().unwrap_or("?").to_owned(),
            }),
            _ => {}
        }
    }
    b
}

fn ms(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0} ms")
    } else {
        format!("{v:.1} ms")
    }
}

fn opt_ms(v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_owned(), ms)
}

impl Browser {
    /// `<keyline-scenario>` on the docs demo page (`browser_bench --demo-runs`).
    fn demo_rows(&self, rows: &mut Vec<Row>) {
        if self.demo_last.is_empty() {
            return;
        }
        let page = format!(
            "docs-demo.html ({} elements), from about:blank",
            self.demo_elements
        );
        let (lo, hi) = min_max(&self.demo_wasm);
        let most = hi;
        rows.push(
            Row::new(
                format!(
                    "element: `keyline_engine_bg.wasm` downloads, {page} (`cargo xtask bench`)"
                ),
                "1",
            )
            .median(format!("{}", median(&self.demo_wasm)))
            .spread(format!("{lo}–{hi}"))
            .runs(self.demo_wasm.len())
            .verdict(if lo == 1.0 && most == 1.0 {
                "met".to_owned()
            } else {
                format!("MISSED ({lo}–{hi})")
            }),
        );
        let (lo, hi) = min_max(&self.demo_last);
        let med = median(&self.demo_last);
        rows.push(
            Row::new(
                format!("element: navigation → every element's verdicts, {page}"),
                "≤ 400 ms",
            )
            .median(ms(med))
            .spread(format!("{}–{}", ms(lo), ms(hi)))
            .runs(self.demo_last.len())
            .verdict(verdict(med, Goal::AtMost(400.0))),
        );
    }

    fn rows(&self, rows: &mut Vec<Row>, notes: &mut Vec<String>) {
        self.demo_rows(rows);
        let (lo, hi) = min_max(&self.first);
        let med = median(&self.first);
        rows.push(
            Row::new(
                "first verdict: navigation → `keyline:first-verdict`, 20-line `#z=` link",
                "≤ 300 ms",
            )
            .median(ms(med))
            .spread(format!("{}–{}", ms(lo), ms(hi)))
            .runs(self.first.len())
            .verdict(verdict(med, Goal::AtMost(300.0))),
        );
        if !self.first_wasm.is_empty() {
            notes.push(format!(
                "first verdict: the wasm had arrived at {} (median); the rest is compile, start and first render",
                ms(median(&self.first_wasm))
            ));
        }

        let what = format!("{} lines", thousands(self.lines as f64));
        let med = median(&self.measures);
        let p95 = percentile(&self.measures, 95.0);
        let (lo, hi) = min_max(&self.measures);
        rows.push(
            Row::new(
                format!("keystroke → verdicts (`keyline:keystroke`), {what}: median"),
                "≤ 16 ms",
            )
            .median(ms(med))
            .spread(format!("{}–{}", ms(lo), ms(hi)))
            .runs(format!("{} of {} keys", self.measures.len(), self.keys))
            .verdict(verdict(med, Goal::AtMost(16.0))),
        );
        rows.push(
            Row::new(
                format!("keystroke → verdicts (`keyline:keystroke`), {what}: p95"),
                "≤ 50 ms",
            )
            .median(format!("p95 {}", ms(p95)))
            .spread(format!("{}–{}", ms(lo), ms(hi)))
            .runs(format!("{} of {} keys", self.measures.len(), self.keys))
            .verdict(verdict(p95, Goal::AtMost(50.0))),
        );
        let fmed = median(&self.frames);
        let fp95 = percentile(&self.frames, 95.0);
        let (flo, fhi) = min_max(&self.frames);
        rows.push(
            Row::new(
                format!("keydown → next frame (independent of the app's marks), {what}"),
                "≤ 16 ms / p95 ≤ 50 ms",
            )
            .median(format!("{} (p95 {})", ms(fmed), ms(fp95)))
            .spread(format!("{}–{}", ms(flo), ms(fhi)))
            .runs(format!("{} keys", self.frames.len()))
            .verdict(format!(
                "{} / {}",
                verdict(fmed, Goal::AtMost(16.0)),
                verdict(fp95, Goal::AtMost(50.0))
            )),
        );
        if self.measures.len() < self.keys {
            notes.push(format!(
                "keystrokes: {} of {} keys left the report equal (e.g. a space), so the app commits no verdicts \
                 and records no `keyline:keystroke`; the keydown → next frame row covers every key",
                self.keys - self.measures.len(),
                self.keys
            ));
        }
        if self.recreated > 0 || self.blurred > 0 {
            notes.push(format!(
                "keystrokes: after {} of {} keys the editor's <textarea> was a new element, and after {} it no longer \
                 had the focus (WebDriver re-focuses it for the next key; a user's next keys would be lost)",
                self.recreated, self.keys, self.blurred
            ));
        }

        let Some((big, ladder)) = self.pastes.split_last() else {
            return;
        };
        let label = |p: &Paste| {
            format!(
                "{:.2} MB ({} lines)",
                p.bytes as f64 / 1e6,
                thousands(p.lines as f64)
            )
        };
        let mut row = Row::new(
            format!(
                "paste {} → new `[data-summary]`; longest main-thread task",
                label(big)
            ),
            "≤ 2,000 ms / task ≤ 2,000 ms",
        )
        .runs(1);
        row = match big.to_summary {
            Some(t) => row
                .median(ms(t))
                .spread(format!(
                    "next frame {}, longest task {}",
                    opt_ms(big.to_frame),
                    opt_ms(big.longest)
                ))
                .verdict(if big.outcome == "ok" {
                    format!(
                        "{} / {}",
                        verdict(t, Goal::AtMost(2_000.0)),
                        big.longest.map_or_else(
                            || "longest task unknown".to_owned(),
                            |l| verdict(l, Goal::AtMost(2_000.0))
                        )
                    )
                } else {
                    format!("wrong summary ({})", big.outcome)
                }),
            None => row
                .median(format!("> {PASTE_TIMEOUT_S} s"))
                .spread("page still busy; browser stopped")
                .verdict("did not finish"),
        };
        rows.push(row);
        for p in ladder {
            notes.push(format!(
                "paste {}: summary after {}, next frame {}, longest main-thread task {}, app measure {} ({})",
                label(p),
                opt_ms(p.to_summary),
                opt_ms(p.to_frame),
                opt_ms(p.longest),
                opt_ms(p.measure),
                p.outcome
            ));
        }
        if let Some(exp) = growth_exponent(ladder) {
            notes.push(format!(
                "paste time grows as size^{exp:.2} over the smaller pastes (1 = linear, 2 = quadratic)"
            ));
        }
    }
}

/// The least-squares slope of log(time) over log(size): how the paste time grows.
fn growth_exponent(pastes: &[Paste]) -> Option<f64> {
    let points: Vec<(f64, f64)> = pastes
        .iter()
        .filter_map(|p| Some(((p.bytes as f64).ln(), p.to_summary?.ln())))
        .collect();
    if points.len() < 2 {
        return None;
    }
    let n = points.len() as f64;
    let (sx, sy) = points
        .iter()
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
    let (mx, my) = (sx / n, sy / n);
    let num: f64 = points.iter().map(|(x, y)| (x - mx) * (y - my)).sum();
    let den: f64 = points.iter().map(|(x, _)| (x - mx) * (x - mx)).sum();
    (den > 0.0).then(|| num / den)
}

fn run_browser_bench(root: &Path, out_dir: &Path) -> Result<Browser, Failure> {
    let mut build = Command::new(steps::cargo());
    build
        .args(["build", "-p", "keyline-e2e", "--bin", "browser_bench"])
        .current_dir(root);
    steps::run("bench: build the browser bench", &mut build)?;

    let step = "bench: browser";
    let mut command = Command::new(root.join("target/debug/browser_bench"));
    command
        .args([
            "--demo-runs",
            &DEMO_RUNS.to_string(),
            "--first-runs",
            &FIRST_RUNS.to_string(),
            "--ladder",
            PASTE_LADDER,
            "--paste-bytes",
            &PASTE_BYTES.to_string(),
            "--paste-timeout",
            &PASTE_TIMEOUT_S.to_string(),
        ])
        .env("KEYLINE_DIST", root.join("dist"))
        .env("CHROMEDRIVER", tools::CHROMEDRIVER)
        .current_dir(root);
    let shown = steps::display(&command);
    println!("==> {step}: {shown}");
    let output = command
        .stderr(Stdio::inherit())
        .output()
        .map_err(|err| Failure::new(step, &shown, format!("could not start it: {err}")))?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    let _ = std::fs::write(out_dir.join("browser.out"), &text);
    print!("{text}");
    if !output.status.success() {
        return Err(Failure::new(
            step,
            &shown,
            format!("it exited with {}", output.status),
        ));
    }
    let browser = parse_browser(&text);
    if browser.first.is_empty() || browser.measures.is_empty() || browser.pastes.is_empty() {
        return Err(Failure::new(
            step,
            &shown,
            "it printed no FIRST, KEY or PASTE records",
        ));
    }
    Ok(browser)
}

// ---------------------------------------------------------------------------------------
// Peer

/// The venv's python, with moto and boto3 importable; creates the venv and installs them
/// when missing.
fn ensure_venv(root: &Path) -> Result<PathBuf, Failure> {
    let python = root.join(VENV).join("bin/python");
    let importable = || {
        Command::new(&python)
            .args(["-c", "import moto, boto3"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if importable() {
        println!("ok: moto and boto3 present ({VENV})");
        return Ok(python);
    }
    let by_hand = format!(
        "python3 -m venv {VENV} && {VENV}/bin/pip install '{}' {}",
        PEER_PACKAGES[0], PEER_PACKAGES[1]
    );
    println!("install: moto and boto3 missing ({VENV})");
    if !python.exists() {
        let mut venv = Command::new("python3");
        venv.args(["-m", "venv", VENV]).current_dir(root);
        steps::run("install moto (python3 -m venv)", &mut venv).map_err(|_| {
            Failure::new(
                "install moto",
                &by_hand,
                "creating the venv failed; on Debian, `apt-get install -y python3-venv`",
            )
        })?;
    }
    let mut pip = Command::new(root.join(VENV).join("bin/pip"));
    pip.args(["install", "--quiet"])
        .args(PEER_PACKAGES)
        .current_dir(root);
    steps::run("install moto (pip install)", &mut pip)
        .map_err(|_| Failure::new("install moto", &by_hand, "pip install failed"))?;
    if importable() {
        Ok(python)
    } else {
        Err(Failure::new(
            "install moto",
            &by_hand,
            "installed, but `import moto, boto3` still fails",
        ))
    }
}

struct Peer {
    version: String,
    /// Operations and wall seconds of each run.
    runs: Vec<(f64, f64)>,
    /// `(id, what moto did)`.
    findings: Vec<(String, String)>,
}

fn parse_peer(output: &str) -> Peer {
    let mut peer = Peer {
        version: String::new(),
        runs: Vec::new(),
        findings: Vec::new(),
    };
    for line in output.lines() {
        if let Some(rest) = line.strip_prefix("PEER ") {
            peer.version = rest.trim().to_owned();
        } else if let Some(rest) = line.strip_prefix("RUN ") {
            let mut w = rest.split_whitespace().map(|w| w.parse::<f64>().ok());
            if let (Some(Some(ops)), Some(Some(secs))) = (w.next(), w.next()) {
                if secs > 0.0 {
                    peer.runs.push((ops, secs));
                }
            }
        } else if let Some(rest) = line.strip_prefix("FINDING ") {
            if let Some((id, text)) = rest.split_once(' ') {
                peer.findings.push((id.to_owned(), text.to_owned()));
            }
        }
    }
    peer
}

impl Peer {
    /// The peer's row, and the findings as notes.
    fn rows(
        &self,
        keyline_rate: f64,
        keyline: &[(u32, String)],
        rows: &mut Vec<Row>,
    ) -> Vec<String> {
        let rates: Vec<f64> = self.runs.iter().map(|(ops, s)| ops / s).collect();
        let rate = median(&rates);
        let (lo, hi) = min_max(&rates);
        rows.push(
            Row::new(
                format!(
                    "peer: moto `mock_aws` in-process, same lifecycle ({})",
                    self.version
                ),
                "(peer)",
            )
            .median(format!("{} operations/s", thousands(rate)))
            .spread(format!("{}–{}", thousands(lo), thousands(hi)))
            .runs(format!(
                "{} × {} ops",
                self.runs.len(),
                self.runs.first().map_or(0.0, |r| r.0)
            ))
            .verdict(format!("Keyline ×{}", thousands(keyline_rate / rate))),
        );
        self.findings
            .iter()
            .map(|(id, moto)| {
                let answer = PEER_LINES
                    .iter()
                    .find(|(i, _)| i == id)
                    .and_then(|(_, line)| keyline.iter().find(|(l, _)| l == line))
                    .map_or_else(|| "no counterpart".to_owned(), |(_, v)| v.clone());
                format!("{id}: moto: {moto}. Keyline: {answer}")
            })
            .collect()
    }
}

fn run_peer(root: &Path, python: &Path) -> Result<Peer, Failure> {
    let step = "bench: peer (moto)";
    let mut command = Command::new(python);
    command
        .arg(PEER_SCRIPT)
        .args(["--runs", &PEER_RUNS.to_string()])
        .args(["--blocks", &PEER_BLOCKS.to_string()])
        .current_dir(root);
    let shown = steps::display(&command);
    println!("==> {step}: {shown}");
    let output = command
        .stderr(Stdio::inherit())
        .output()
        .map_err(|err| Failure::new(step, &shown, format!("could not start it: {err}")))?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    print!("{text}");
    let peer = parse_peer(&text);
    if !output.status.success() || peer.runs.is_empty() {
        return Err(Failure::new(
            step,
            &shown,
            format!(
                "it exited with {} and {} timed runs",
                output.status,
                peer.runs.len()
            ),
        ));
    }
    Ok(peer)
}

/// Keyline's verdict on each line of [`PEER_SCENARIO`]: `(line, "fail KEY_UNAVAILABLE — …")`.
fn keyline_answers(cli: &Path, out_dir: &Path) -> Result<Vec<(u32, String)>, Failure> {
    let path = out_dir.join("peer-comparison.kl");
    let shown = format!("{} run {}", cli.display(), path.display());
    std::fs::write(&path, PEER_SCENARIO)
        .map_err(|err| Failure::new("bench: keyline answers", &shown, err.to_string()))?;
    let output = Command::new(cli)
        .arg("run")
        .arg(&path)
        .output()
        .map_err(|err| Failure::new("bench: keyline answers", &shown, err.to_string()))?;
    Ok(parse_run(&String::from_utf8_lossy(&output.stdout)))
}

/// `keyline run`'s text: `  12  fail KEY_UNAVAILABLE  [R-REATTACH]  attach c srv` followed by
/// the explanation line.
fn parse_run(text: &str) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let mut w = line.split_whitespace();
        let (Some(Ok(n)), Some(outcome)) = (w.next().map(str::parse::<u32>), w.next()) else {
            continue;
        };
        if !matches!(outcome, "ok" | "warn" | "fail") {
            continue;
        }
        let code = w.next().unwrap_or_default();
        let explanation = lines.peek().map_or("", |l| l.trim());
        let sentence = explanation
            .split_once(". ")
            .map_or(explanation, |(first, _)| first)
            .trim_end_matches('.');
        out.push((n, format!("{outcome} {code} — {sentence}")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        let v: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(percentile(&v, 95.0), 19.0);
        assert_eq!(percentile(&v, 100.0), 20.0);
        assert_eq!(min_max(&[2.0, 5.0, 1.0]), (1.0, 5.0));
        assert_eq!(thousands(1234567.4), "1,234,567");
        assert_eq!(thousands(999.0), "999");
    }

    #[test]
    fn verdicts() {
        assert_eq!(verdict(2.5e6, Goal::AtLeast(2e6)), "met");
        assert_eq!(verdict(1.5e6, Goal::AtLeast(2e6)), "MISSED by 25%");
        assert_eq!(verdict(16.0, Goal::AtMost(16.0)), "met");
        assert_eq!(verdict(24.0, Goal::AtMost(16.0)), "MISSED by 50%");
    }

    #[test]
    fn counts_statements() {
        let text = "title t\nkey create k # c\n\n# only a comment\nexpect ok\ndisk create d\n";
        assert_eq!(count_statements(text), 2);
    }

    #[test]
    fn reads_vm_hwm() {
        let status = "Name:\tkeyline\nVmPeak:\t  9000 kB\nVmHWM:\t    1234 kB\nVmRSS:\t 1000 kB\n";
        assert_eq!(vm_hwm_kib(status), Some(1234));
        assert_eq!(vm_hwm_kib("Name:\tzombie\nState:\tZ\n"), None);
    }

    #[test]
    fn reads_browser_records() {
        let b = parse_browser(
            "DEMO 1 120.5 12 40.0\nDEMO 1 130.5 12 41.0\nFIRST 80.5 50.0 45.0\nKEYSETUP 1000 3\nKEY 12.5 20.0 same focus\nKEY - 30.0 new blur\n\
             KEY 14.0 22.0 same focus\nPASTE 100 5 10.0 20.0 8.0 9.0 ok\nPASTE 200 9 - - - - timeout\n",
        );
        assert_eq!(b.first, vec![80.5]);
        assert_eq!(b.demo_wasm, vec![1.0, 1.0]);
        assert_eq!(b.demo_last, vec![120.5, 130.5]);
        assert_eq!(b.demo_elements, 12);
        assert_eq!((b.lines, b.keys), (1000, 3));
        assert_eq!(b.measures, vec![12.5, 14.0]);
        assert_eq!(b.frames.len(), 3);
        assert_eq!((b.recreated, b.blurred), (1, 1));
        assert_eq!(b.pastes.len(), 2);
        assert_eq!(b.pastes[1].to_summary, None);
        assert_eq!(b.pastes[1].outcome, "timeout");
    }

    #[test]
    fn growth_of_a_quadratic() {
        let p = |bytes: usize, ms: f64| Paste {
            bytes,
            lines: 0,
            to_summary: Some(ms),
            to_frame: None,
            longest: None,
            measure: None,
            outcome: "ok".into(),
        };
        let e = growth_exponent(&[p(100, 1.0), p(200, 4.0), p(400, 16.0)]).unwrap_or(0.0);
        assert!((e - 2.0).abs() < 1e-9, "{e}");
    }

    #[test]
    fn reads_peer_and_run_output() {
        let peer = parse_peer(
            "PEER moto 5 boto3 1\nRUN 400 2.0\nRUN 400 4.0\nFINDING attach-disabled attaching: succeeds\n",
        );
        assert_eq!(peer.runs, vec![(400.0, 2.0), (400.0, 4.0)]);
        assert_eq!(peer.findings[0].0, "attach-disabled");
        let run = parse_run(
            "title\n\n  12  fail KEY_UNAVAILABLE  [R-REATTACH]  attach c srv\n      Disk c cannot be attached. Restore it.\n",
        );
        assert_eq!(
            run,
            vec![(
                12,
                "fail KEY_UNAVAILABLE — Disk c cannot be attached".to_owned()
            )]
        );
    }
}
