//! The browser half of `cargo xtask bench`: first verdict, keystroke latency and a large paste,
//! measured in headless Chromium on the release build (`KEYLINE_DIST`), from the app's own
//! performance marks (web/src/lib.rs `use_performance_marks`, web/src/editor.rs `oninput`).
//!
//! ```text
//! browser_bench [--first-runs N] [--text TEXT] [--ladder B,B,…] [--paste-bytes N]
//!               [--paste-timeout S] [--cpuprofile DIR]
//! ```
//!
//! Prints one record per line, for xtask to read (times in milliseconds, `-` for none):
//!
//! ```text
//! FIRST <mark> <wasm-response-end> <dom-content-loaded>    one per navigation
//! KEYSETUP <lines> <keys>                                   the scenario typed into
//! KEY <measure> <keydown-to-next-frame> <same|new> <focus|blur>   one per keystroke
//! PASTE <bytes> <lines> <to-summary> <to-next-frame> <longest-task> <measure> <ok|wrong|timeout>
//! DEMO <wasm-downloads> <last-verdicts> <elements> <wasm-response-end>   one per navigation
//!
//! `KEY`'s first figure is the app's `keyline:keystroke` measure (input event → verdicts
//! committed), `-` when the keystroke left the report unchanged (the app then commits no new
//! verdicts and records no measure). The second is independent of the app's marks: from the
//! keydown event's timestamp to a task queued after the next animation frame, about when the
//! frame showing the keystroke's result is on screen. `same|new` says whether the editor's
//! `<textarea>` is still the element typed into, `focus|blur` whether it still has the focus:
//! a re-created, unfocused textarea loses the user's next keystrokes.
//!
//! METRICS <phase> <script> <recalc-style> <layout> <task> <layouts> <style-recalcs> <dom-nodes>
//! LOAF <phase> <frames> <duration> <script> <forced-style-and-layout> <style-and-layout>
//! ```
//!
//! `METRICS` is the renderer's own accounting over a phase (DevTools `Performance.getMetrics`,
//! before and after; counts are numbers, not milliseconds). `LOAF` sums the phase's Long
//! Animation Frames (frames over 50 ms): their script time, the style and layout the scripts
//! forced synchronously, and the style and layout of the frame's rendering.
//!
//! `DEMO` (`--demo-runs N`, first of all): `docs-demo.html` opened from `about:blank`; how many
//! times `keyline_engine_bg.wasm` was fetched, and the time from navigation to the last
//! `<keyline-scenario>`'s verdicts (its `keyline-scenario:verdicts` mark) once every element has
//! rendered.
//!
//! `PASTE` lines come first for every `--ladder` size (each in a fresh page, to show how the
//! time grows with the size), then for `--paste-bytes`. A paste not done after
//! `--paste-timeout` seconds prints `timeout`, and the browser is stopped.
//!
//! `--cpuprofile DIR` also writes Chromium CPU profiles (DevTools `Profiler`, 100 µs sampling)
//! of the typing and of the first ladder paste: `DIR/keystrokes.cpuprofile`,
//! `DIR/paste.cpuprofile` (open them in Chrome DevTools, or `bench/cpuprofile_top.py`).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use fantoccini::wd::TimeoutConfiguration;
use keyline_e2e::Harness;
use serde_json::{json, Value};

/// What is typed, key by key, at the end of the 1,000-line scenario: three statements a user
/// would add (every prefix is a line the engine reads, with or without a parse error).
const TYPED: &str = "\nkey create kbench\ndisk create dbench encrypt kbench\nattach dbench srv0\n";

struct Options {
    demo_runs: usize,
    first_runs: usize,
    typed: String,
    ladder: Vec<usize>,
    paste_bytes: usize,
    paste_timeout: Duration,
    cpuprofile: Option<PathBuf>,
}

fn options() -> Options {
    let mut o = Options {
        demo_runs: 0,
        first_runs: 7,
        typed: TYPED.to_owned(),
        ladder: Vec::new(),
        paste_bytes: 5 * 1024 * 1024,
        paste_timeout: Duration::from_secs(240),
        cpuprofile: None,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.chunks(2) {
        let [flag, value] = pair else {
            panic!("{pair:?}: every option takes a value; see the top of browser_bench.rs");
        };
        let number = |v: &str| {
            v.parse::<usize>()
                .unwrap_or_else(|_| panic!("{flag} wants a number, not {v:?}"))
        };
        match flag.as_str() {
            "--demo-runs" => o.demo_runs = number(value),
            "--first-runs" => o.first_runs = number(value),
            "--text" => o.typed = value.clone(),
            "--ladder" => {
                o.ladder = value
                    .split(',')
                    .filter(|v| !v.is_empty())
                    .map(number)
                    .collect()
            }
            "--paste-bytes" => o.paste_bytes = number(value),
            "--paste-timeout" => o.paste_timeout = Duration::from_secs(number(value) as u64),
            "--cpuprofile" => o.cpuprofile = Some(PathBuf::from(value)),
            other => panic!("unknown option {other:?}; see the top of browser_bench.rs"),
        }
    }
    o
}

/// The first `lines` lines of the generated workload (each a statement or an expectation).
fn workload_lines(lines: usize) -> String {
    let text = keyline_rules::generate::workload(lines * 2);
    let mut out: String = text.lines().take(lines).collect::<Vec<_>>().join("\n");
    out.push('\n');
    out
}

/// The longest prefix of the generated workload, in whole lines, of at most `bytes` bytes.
fn workload_bytes(bytes: usize) -> String {
    // ~33 bytes per statement in the generated text: overshoot, then cut at a line end.
    let text = keyline_rules::generate::workload(bytes / 30 + 100);
    let cut = text
        .get(..bytes.min(text.len()))
        .and_then(|head| head.rfind('\n'))
        .map_or(0, |i| i + 1);
    text[..cut].to_owned()
}

fn ms(value: &Value) -> String {
    value
        .as_f64()
        .map_or_else(|| "-".to_owned(), |v| format!("{v:.3}"))
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let o = options();
    let h = keyline_e2e::session().await;
    h.client
        .update_timeouts(TimeoutConfiguration::new(
            Some(o.paste_timeout + Duration::from_secs(60)),
            Some(Duration::from_secs(120)),
            None,
        ))
        .await
        .unwrap_or_else(|err| panic!("setting timeouts: {err}"));

    demo_page(&h, o.demo_runs).await;
    first_verdict(&h, o.first_runs).await;
    if !o.typed.is_empty() {
        keystrokes(&h, &o.typed, o.cpuprofile.as_ref()).await;
    }
    for (i, &bytes) in o.ladder.iter().enumerate() {
        let profile = o.cpuprofile.as_ref().filter(|_| i == 0);
        if !paste(&h, bytes, o.paste_timeout, profile).await {
            return;
        }
    }
    if o.paste_bytes > 0 && !paste(&h, o.paste_bytes, o.paste_timeout, None).await {
        return;
    }
    h.close().await;
}

/// Navigation → `keyline:first-verdict`, for a 20-line `#z=` link, each from `about:blank`.
async fn first_verdict(h: &Harness, runs: usize) {
    let text = workload_lines(20);
    let url = format!("{}#z={}", h.base_url, keyline_link::encode_deflate(&text));
    for _ in 0..runs {
        blank(h).await;
        h.client
            .goto(&url)
            .await
            .unwrap_or_else(|err| panic!("opening the link: {err}"));
        h.wait_until(
            "return performance.getEntriesByName('keyline:first-verdict').length > 0
                 && document.querySelector('[data-outcome]') !== null;",
            vec![],
            "the first verdict is marked and a [data-outcome] is shown",
        )
        .await;
        let v = h
            .execute(
                "const mark = performance.getEntriesByName('keyline:first-verdict')[0];
                 const wasm = performance.getEntriesByType('resource')
                     .find((e) => e.name.endsWith('.wasm'));
                 const nav = performance.getEntriesByType('navigation')[0];
                 return [mark.startTime, wasm ? wasm.responseEnd : null,
                         nav ? nav.domContentLoadedEventEnd : null];",
                vec![],
            )
            .await;
        println!("FIRST {} {} {}", ms(&v[0]), ms(&v[1]), ms(&v[2]));
    }
}

/// The docs demo page: wasm downloads and navigation → every element's verdicts.
async fn demo_page(h: &Harness, runs: usize) {
    for _ in 0..runs {
        blank(h).await;
        h.client
            .goto(&format!("{}docs-demo.html", h.base_url))
            .await
            .unwrap_or_else(|err| panic!("opening docs-demo.html: {err}"));
        h.wait_until(
            "const all = Array.from(document.querySelectorAll('keyline-scenario'));
             return all.length > 0 && all.every((e) => e.dataset.state === 'ready');",
            vec![],
            "every <keyline-scenario> of docs-demo.html rendered",
        )
        .await;
        let v = h
            .execute(
                "const wasm = performance.getEntriesByType('resource')
                     .filter((e) => e.name.endsWith('/keyline_engine_bg.wasm'));
                 const marks = performance.getEntriesByName('keyline-scenario:verdicts');
                 return [wasm.length, Math.max(...marks.map((m) => m.startTime)),
                         document.querySelectorAll('keyline-scenario').length,
                         wasm.length > 0 ? wasm[0].responseEnd : null];",
                vec![],
            )
            .await;
        println!("DEMO {} {} {} {}", v[0], ms(&v[1]), v[2], ms(&v[3]));
    }
}

async fn blank(h: &Harness) {
    h.client
        .goto("about:blank")
        .await
        .unwrap_or_else(|err| panic!("opening about:blank: {err}"));
}

/// Opens `text` from a `#z=` link in a fresh page and waits for its summary.
async fn load(h: &Harness, text: &str) {
    blank(h).await;
    h.open(&format!("#z={}", keyline_link::encode_deflate(text)))
        .await;
    let expected = keyline_rules::evaluate(text).summary.to_string();
    h.wait_until(
        "const s = document.querySelector('[data-summary]');
         return s !== null && s.textContent === arguments[0];",
        vec![json!(expected)],
        &format!("[data-summary] shows {expected:?}"),
    )
    .await;
}

/// Types `typed` key by key at the end of a 1,000-line scenario.
async fn keystrokes(h: &Harness, typed: &str, profile: Option<&PathBuf>) {
    let text = workload_lines(1000);
    load(h, &text).await;
    println!(
        "KEYSETUP {} {}",
        text.lines().count(),
        typed.chars().count()
    );
    h.execute(
        "const a = document.querySelector('textarea#scenario');
         a.focus();
         a.setSelectionRange(a.value.length, a.value.length);
         performance.clearMeasures('keyline:keystroke');
         window.__kb = [];
         window.__area = a;
         document.addEventListener('keydown', (e) => {
           const t0 = e.timeStamp;
           requestAnimationFrame(() => setTimeout(() => window.__kb.push(performance.now() - t0), 0));
         }, true);
         return true;",
        vec![],
    )
    .await;
    if profile.is_some() {
        start_profiler(h).await;
    }
    let metrics_before = metrics(h).await;
    start_loaf(h).await;

    let mut keys = [0u8; 4];
    for (i, c) in typed.chars().enumerate() {
        let before = measures(h).await.len();
        // WebDriver focuses the element it types into, so a re-created textarea (reported
        // below) is found anew for every key.
        let area = h.wait_for("textarea#scenario").await;
        area.send_keys(c.encode_utf8(&mut keys))
            .await
            .unwrap_or_else(|err| panic!("typing {c:?}: {err}"));
        h.wait_until(
            "return window.__kb.length > arguments[0];",
            vec![json!(i)],
            "the frame after a keystroke",
        )
        .await;
        // A keystroke that leaves the report equal records no measure: wait briefly.
        let deadline = Instant::now() + Duration::from_millis(100);
        let mut all = measures(h).await;
        while all.len() == before && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(5)).await;
            all = measures(h).await;
        }
        let measure = match all.last() {
            Some(v) if all.len() > before => format!("{v:.3}"),
            _ => "-".to_owned(),
        };
        let v = h
            .execute(
                "const a = document.querySelector('textarea#scenario');
                 const same = a === window.__area;
                 window.__area = a;
                 return [window.__kb[arguments[0]], same, document.activeElement === a];",
                vec![json!(i)],
            )
            .await;
        println!(
            "KEY {measure} {} {} {}",
            ms(&v[0]),
            if v[1] == Value::Bool(true) {
                "same"
            } else {
                "new"
            },
            if v[2] == Value::Bool(true) {
                "focus"
            } else {
                "blur"
            },
        );
        // Between keys, as a fast typist (~20 keys/s): no two keystrokes in one frame.
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
    print_metrics(h, "keystrokes", &metrics_before).await;
    print_census(h, "keystrokes").await;
    print_loaf(h, "keystrokes").await;
    if let Some(dir) = profile {
        stop_profiler(h, &dir.join("keystrokes.cpuprofile")).await;
    }
}

async fn measures(h: &Harness) -> Vec<f64> {
    let v = h
        .execute(
            "return performance.getEntriesByName('keyline:keystroke').map((e) => e.duration);",
            vec![],
        )
        .await;
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default()
}

/// In a fresh page on the default scenario, replaces the editor's text with `bytes` of
/// scenario at once, as a paste does, and times the input event → the new summary in the
/// DOM → the next frame; the longest main-thread task comes from a `longtask`
/// PerformanceObserver. Returns false (after printing a `timeout` line) when the page did not
/// finish within `timeout`: the browser is then unusable.
async fn paste(h: &Harness, bytes: usize, timeout: Duration, profile: Option<&PathBuf>) -> bool {
    let text = workload_bytes(bytes);
    let expected = keyline_rules::evaluate(&text).summary.to_string();
    load(h, &workload_lines(20)).await;
    // Hand the text to the page first, outside the timing.
    h.execute(
        "window.__paste = arguments[0]; return true;",
        vec![json!(text)],
    )
    .await;
    if profile.is_some() {
        start_profiler(h).await;
    }
    let metrics_before = metrics(h).await;
    start_loaf(h).await;
    let script = "const [expected, limit, done] = arguments;
         const tasks = [];
         let observer = null;
         try {
           observer = new PerformanceObserver((l) => tasks.push(...l.getEntries()));
           observer.observe({ type: 'longtask' });
         } catch (e) { observer = null; }
         performance.clearMeasures('keyline:keystroke');
         const a = document.querySelector('textarea#scenario');
         const summary = () => document.querySelector('[data-summary]');
         const t0 = performance.now();
         a.value = window.__paste;
         a.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
         const finish = (tSummary) => {
           requestAnimationFrame(() => setTimeout(() => {
             const tFrame = performance.now();
             // Long tasks are reported asynchronously: give them a moment.
             setTimeout(() => {
               if (observer) { tasks.push(...observer.takeRecords()); observer.disconnect(); }
               const longest = observer ? Math.max(0, ...tasks.map((t) => t.duration)) : null;
               const m = performance.getEntriesByName('keyline:keystroke');
               const s = summary();
               done([tSummary - t0, tFrame - t0, longest,
                     m.length ? m[m.length - 1].duration : null, s ? s.textContent : null]);
             }, 300);
           }, 0));
         };
         const poll = () => {
           const s = summary();
           if (s && s.textContent === expected) { finish(performance.now()); }
           else if (performance.now() - t0 > limit) { done(null); }
           else { setTimeout(poll, 1); }
         };
         poll();";
    let run = h.client.execute_async(
        script,
        vec![json!(expected), json!(timeout.as_millis() as u64)],
    );
    let lines = text.lines().count();
    let v = match tokio::time::timeout(timeout + Duration::from_secs(30), run).await {
        Ok(Ok(v)) if !v.is_null() => v,
        Ok(Err(err)) if !err.to_string().contains("timeout") => {
            panic!("pasting {bytes} bytes: {err}")
        }
        _ => {
            println!("PASTE {} {lines} - - - - timeout", text.len());
            return false;
        }
    };
    let phase = format!("paste-{}", text.len());
    print_metrics(h, &phase, &metrics_before).await;
    print_census(h, &phase).await;
    print_loaf(h, &phase).await;
    if let Some(dir) = profile {
        stop_profiler(h, &dir.join("paste.cpuprofile")).await;
    }
    let ok = if v[4].as_str() == Some(expected.as_str()) {
        "ok"
    } else {
        "wrong"
    };
    println!(
        "PASTE {} {lines} {} {} {} {} {ok}",
        text.len(),
        ms(&v[0]),
        ms(&v[1]),
        ms(&v[2]),
        ms(&v[3]),
    );
    true
}

async fn cdp(h: &Harness, cmd: &'static str, params: Value) -> Value {
    h.cdp(cmd, params).await
}

async fn start_profiler(h: &Harness) {
    cdp(h, "Profiler.enable", json!({})).await;
    cdp(
        h,
        "Profiler.setSamplingInterval",
        json!({ "interval": 100 }),
    )
    .await;
    cdp(h, "Profiler.start", json!({})).await;
}

async fn stop_profiler(h: &Harness, path: &std::path::Path) {
    let v = cdp(h, "Profiler.stop", json!({})).await;
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    std::fs::write(path, v["profile"].to_string())
        .unwrap_or_else(|err| panic!("writing {}: {err}", path.display()));
    eprintln!("wrote {}", path.display());
}

/// The renderer's counters (`Performance.getMetrics`): durations in seconds, counts.
async fn metrics(h: &Harness) -> Vec<(String, f64)> {
    cdp(h, "Performance.enable", json!({})).await;
    let v = cdp(h, "Performance.getMetrics", json!({})).await;
    v["metrics"]
        .as_array()
        .map(|all| {
            all.iter()
                .filter_map(|m| Some((m["name"].as_str()?.to_owned(), m["value"].as_f64()?)))
                .collect()
        })
        .unwrap_or_default()
}

async fn print_metrics(h: &Harness, phase: &str, before: &[(String, f64)]) {
    let after = metrics(h).await;
    let get = |all: &[(String, f64)], name: &str| {
        all.iter().find(|(n, _)| n == name).map_or(0.0, |(_, v)| *v)
    };
    let delta = |name: &str| get(&after, name) - get(before, name);
    println!(
        "METRICS {phase} {:.3} {:.3} {:.3} {:.3} {:.0} {:.0} {:.0}",
        delta("ScriptDuration") * 1e3,
        delta("RecalcStyleDuration") * 1e3,
        delta("LayoutDuration") * 1e3,
        delta("TaskDuration") * 1e3,
        delta("LayoutCount"),
        delta("RecalcStyleCount"),
        get(&after, "Nodes"),
    );
}

/// Starts collecting Long Animation Frames (when Chromium supports them) into `window.__loaf`.
async fn start_loaf(h: &Harness) {
    h.execute(
        "window.__loaf = [];
         try {
           window.__loafObserver = new PerformanceObserver(
             (l) => window.__loaf.push(...l.getEntries()));
           window.__loafObserver.observe({ type: 'long-animation-frame' });
         } catch (e) { window.__loafObserver = null; }
         return true;",
        vec![],
    )
    .await;
}

async fn print_loaf(h: &Harness, phase: &str) {
    let v = h
        .execute(
            "const o = window.__loafObserver;
             if (!o) { return null; }
             window.__loaf.push(...o.takeRecords());
             o.disconnect();
             let [n, dur, script, forced, render] = [0, 0, 0, 0, 0];
             for (const f of window.__loaf) {
               n += 1;
               dur += f.duration;
               for (const s of f.scripts) {
                 script += s.duration;
                 forced += s.forcedStyleAndLayoutDuration;
               }
               if (f.styleAndLayoutStart > 0) {
                 render += f.startTime + f.duration - f.styleAndLayoutStart;
               }
             }
             return [n, dur, script, forced, render];",
            vec![],
        )
        .await;
    if let Some(a) = v.as_array() {
        println!(
            "LOAF {phase} {} {} {} {} {}",
            a.first().and_then(Value::as_u64).unwrap_or(0),
            ms(&a[1]),
            ms(&a[2]),
            ms(&a[3]),
            ms(&a[4]),
        );
    }
}

/// Where the page's DOM nodes are: every node under each child of `main` and each of their
/// children (by class, or tag), the biggest first.
async fn print_census(h: &Harness, phase: &str) {
    let v = h
        .execute(
            "const count = (e) => document.createNodeIterator(e, NodeFilter.SHOW_ALL).nextNode
               ? (() => { const it = document.createNodeIterator(e, NodeFilter.SHOW_ALL);
                          let n = 0; while (it.nextNode()) { n += 1; } return n; })() : 0;
             const name = (e) => e.tagName.toLowerCase()
               + (e.id ? '#' + e.id : '')
               + (e.classList.length ? '.' + Array.from(e.classList).join('.') : '')
               + ((h) => h ? '(' + h.textContent.trim().split(/\\s+/)[0] + ')' : '')(
                   e.querySelector(':scope > h2, :scope > h3, :scope > header h3'));
             const out = [['all', count(document.documentElement)]];
             for (const region of document.querySelectorAll('main > *')) {
               out.push([name(region), count(region)]);
               for (const part of region.children) {
                 out.push([name(region) + '>' + name(part), count(part)]);
               }
             }
             out.sort((a, b) => b[1] - a[1]);
             return out.slice(0, 12).map(([n, c]) => n + '=' + c).join(' ');",
            vec![],
        )
        .await;
    println!("CENSUS {phase} {}", v.as_str().unwrap_or_default());
}
