//! Hostile text, hostile storage and a real panic, in the release build.
//!
//! - Markup, a right-to-left override, emoji and 10 kB lines in titles, comments, names and
//!   parse errors, opened from `#s=` links: nothing from the text becomes an element or runs,
//!   the text is shown as text, and the console stays clean. The same in the embed's lineage
//!   graph and board, and in the downloaded Markdown report.
//! - Storage that throws (full, or disabled): a notice says so and editing goes on.
//! - A panic inside the WebAssembly: the error panel with a Reload button, and the text kept.
// A helper that cannot do its part fails its test with the reason; clippy.toml's
// allow-*-in-tests covers the #[test] functions only, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use keyline_e2e::Harness;
use serde_json::{json, Value};

/// `window.__pwned` is set by any payload that manages to run.
const IMG: &str = "\"><img src=x onerror=\"window.__pwned=1\">";
const SCRIPT: &str = "<script>window.__pwned=2</script>";
const SVG: &str =
    "<svg onload=\"window.__pwned=3\"><a href=\"javascript:window.__pwned=4\">x</a></svg>";
const RLO: &str = "\u{202e}lmth.exe";
const EMOJI: &str = "🔑💾👩‍💻🏳️‍🌈";

fn link(text: &str) -> String {
    format!("#s={}", keyline_link::encode_plain(text))
}

/// Opens `suffix` in a fresh document (not a same-page fragment change).
async fn open_fresh(h: &Harness, suffix: &str) {
    h.client.goto("about:blank").await.expect("about:blank");
    h.open(suffix).await;
}

/// Nothing the text could have made: no element from a payload, no handler attribute, no
/// inline script, and `window.__pwned` never set.
async fn assert_nothing_ran(h: &Harness, what: &str) {
    let found = h
        .execute(
            "const doc = arguments[0] ? document.getElementById('demo-frame').contentDocument : document;
             const bad = Array.from(doc.querySelectorAll(
               'img[src=\"x\"], [onerror], [onload], [onclick], svg svg, svg foreignObject, svg script, a[href^=\"javascript:\"], iframe:not(#demo-frame), object, embed'))
               .map((e) => e.outerHTML.slice(0, 120));
             const inline = Array.from(doc.querySelectorAll('script')).filter((s) => !s.src)
               .map((s) => s.outerHTML.slice(0, 120));
             return { bad, inline, pwned: typeof window.__pwned + '/' + typeof doc.defaultView.__pwned };",
            vec![json!(false)],
        )
        .await;
    assert_eq!(found["bad"], json!([]), "{what}: elements from the text");
    assert_eq!(found["inline"], json!([]), "{what}: inline scripts");
    assert_eq!(
        found["pwned"], "undefined/undefined",
        "{what}: a payload ran"
    );
}

/// The page's text (`textContent`, as written) of the first element matching `css`.
async fn text_of(h: &Harness, css: &str) -> String {
    h.text_content(css).await
}

/// A 10 kB line of markup, emoji and right-to-left text.
fn long_line() -> String {
    let unit = format!("{IMG} {EMOJI} {RLO} ");
    unit.repeat(10_000 / unit.len() + 1)
}

#[tokio::test]
async fn hostile_text_stays_text() {
    let h = keyline_e2e::session().await;
    let long = long_line();
    let payloads: Vec<(&str, &str)> = vec![
        ("img", IMG),
        ("script", SCRIPT),
        ("svg", SVG),
        ("rlo", RLO),
        ("emoji", EMOJI),
        ("10 kB", &long),
    ];
    for (name, x) in &payloads {
        // Title and comments: kept as text.
        let text = format!(
            "title {x}\nrole security-admin # {x}\nkms grant\nkey create k1 # {x}\nexpect ok # {x}\n"
        );
        open_fresh(&h, &link(&text)).await;
        let what = format!("{name} in the title and comments");
        assert_eq!(h.value("textarea#scenario").await, text, "{what}");
        let title = text_of(&h, ".scenario-title").await;
        let shown_title = x.split('#').next().unwrap_or_default().trim();
        assert_eq!(title.trim(), shown_title, "{what}");
        let body = text_of(&h, "body").await;
        assert!(
            body.contains(&format!("# {x}")),
            "{what}: the comment is not shown as text"
        );
        assert_eq!(
            text_of(&h, "[data-summary]").await,
            "1 passed, 0 failed",
            "{what}"
        );
        assert_nothing_ran(&h, &what).await;
        h.assert_clean_console().await;

        // Names: the grammar refuses them, so they are parse errors whose message and
        // suggestion are text.
        let text = format!("key create k1\nkey disable {x}\n{x} create k2\nkey create {x}\n");
        open_fresh(&h, &link(&text)).await;
        let what = format!("{name} as a name and as a keyword");
        let errors = h.find_all("[data-error-line]").await;
        assert!(
            errors.len() >= 3,
            "{what}: {} parse errors shown",
            errors.len()
        );
        let shown = text_of(&h, ".parse-errors").await;
        let word = x
            .split([' ', '\t'])
            .find(|w| !w.is_empty())
            .unwrap_or_default();
        let head: String = word.chars().take(20).collect();
        assert!(
            shown.contains(&head),
            "{what}: {head:?} is not in {shown:?}"
        );
        assert_eq!(
            h.find_all("[data-line]").await.len(),
            1,
            "{what}: the line that parsed is still evaluated"
        );
        assert_nothing_ran(&h, &what).await;
        h.assert_clean_console().await;
    }

    // A typo next to a hostile word still gets its suggestion, as text.
    open_fresh(
        &h,
        &link(&format!("key create k1\nkey disabel k1 # {IMG}\n")),
    )
    .await;
    let shown = text_of(&h, ".parse-errors").await;
    assert!(shown.contains("disable"), "{shown}");
    assert_nothing_ran(&h, "a suggestion").await;
    h.assert_clean_console().await;
    h.close().await;
}

/// Hostile content through every view the embed offers: verdicts, board, lineage graph.
/// Names in the graph are what the grammar allows, so the hostile part is the longest and
/// strangest names (dots, slashes, dashes, 64 characters) next to markup in titles.
#[tokio::test]
async fn embed_views_and_graph_show_text_only() {
    let h = keyline_e2e::session().await;
    let long_name = format!("a{}", "-./_9".repeat(12))
        .chars()
        .take(64)
        .collect::<String>();
    let text = format!(
        "title {IMG} {SCRIPT} {RLO}\nrole security-admin\nkms grant\nkey create k.<b>\nkey create {long_name}\n\
         server create web\ndisk create d/../x encrypt {long_name} # {SVG}\nattach d/../x web\n\
         snapshot create s-1 disk d/../x\ndisk create d2 from-snapshot s-1\nkey disable {long_name}\n"
    );
    for view in ["", "&view=board", "&view=graph", "&view=graph&readonly=1"] {
        open_fresh(&h, &format!("?embed=1{view}{}", link(&text))).await;
        let what = format!("?embed=1{view}");
        let header = text_of(&h, ".embed-header h1").await;
        assert_eq!(header.trim(), format!("{IMG} {SCRIPT} {RLO}"), "{what}");
        if view.contains("graph") {
            h.wait_for("svg [data-node]").await;
            let svg = h
                .execute(
                    "const svg = document.querySelector('svg.graph');
                     return { texts: Array.from(svg.querySelectorAll('text')).map((t) => t.textContent),
                              elements: Array.from(new Set(Array.from(svg.querySelectorAll('*')).map((e) => e.localName))).sort(),
                              names: Array.from(svg.querySelectorAll('[data-node-name]')).map((e) => e.getAttribute('data-node-name')) };",
                    vec![],
                )
                .await;
            let names: Vec<&str> = svg["names"]
                .as_array()
                .expect("names")
                .iter()
                .filter_map(Value::as_str)
                .collect();
            for n in ["d/../x", "d2", "s-1", long_name.as_str()] {
                assert!(names.contains(&n), "{what}: no node named {n}: {names:?}");
            }
            // Only shapes and text: nothing that can hold markup, a link or a script.
            for e in svg["elements"].as_array().expect("elements") {
                let e = e.as_str().unwrap_or_default();
                assert!(
                    matches!(
                        e,
                        "g" | "rect"
                            | "text"
                            | "path"
                            | "line"
                            | "title"
                            | "circle"
                            | "polyline"
                            | "polygon"
                            | "marker"
                            | "defs"
                            | "clipPath"
                            | "desc"
                            | "tspan"
                            | "ellipse"
                    ),
                    "{what}: <{e}> in the graph"
                );
            }
            let texts = svg["texts"].to_string();
            assert!(texts.contains("disk d/../x"), "{what}: {texts}");
        }
        assert_nothing_ran(&h, &what).await;
        h.assert_clean_console().await;
    }
    h.close().await;
}

/// Outside code spans, every `<` and `>` is backslash-escaped and every `&` starts `&amp;`.
fn assert_markdown_has_no_raw_html(md: &str) {
    for (i, line) in md.lines().enumerate() {
        let mut in_code = false;
        let mut chars = line.char_indices();
        while let Some((at, c)) = chars.next() {
            match c {
                '\\' if !in_code => {
                    chars.next();
                }
                '`' => in_code = !in_code,
                '<' | '>' if !in_code => panic!("raw {c:?} at {}:{at}: {line:?}", i + 1),
                '&' if !in_code && !line.get(at..).is_some_and(|r| r.starts_with("&amp;")) => {
                    panic!("raw & at {}:{at}: {line:?}", i + 1)
                }
                _ => {}
            }
        }
        assert!(!in_code, "open code span on line {}: {line:?}", i + 1);
    }
}

/// The downloaded Markdown report of a hostile scenario is the engine's, with every HTML
/// special character escaped outside code spans.
#[tokio::test]
async fn markdown_report_escapes_hostile_text() {
    let h = keyline_e2e::session().await;
    let text = format!(
        "title {IMG} & {SCRIPT}\nrole security-admin\nkms grant\nkey create k1\ndisk create d1 encrypt k1 # {SVG}\n\
         key schedule-deletion k1 7\nwait 7\nattach d1 web\n{IMG} create x\nexpect d1 encrypted k1\nexpect fail `{SCRIPT}`\n"
    );
    open_fresh(&h, &link(&text)).await;
    let md = h.downloaded("markdown").await;
    assert_eq!(md, keyline_rules::evaluate(&text).to_markdown());
    assert_markdown_has_no_raw_html(&md);
    assert!(md.contains("\\<img src=x onerror="), "{md}");
    assert_nothing_ran(&h, "markdown download").await;
    h.assert_clean_console().await;
    h.close().await;
}

/// `Storage.prototype.setItem` throws (full: QuotaExceededError): a notice says changes are
/// not saved, and the verdicts keep following the text.
#[tokio::test]
async fn storage_full_shows_a_notice_and_editing_goes_on() {
    let h = keyline_e2e::session().await;
    h.open("").await;
    h.execute(
        "Storage.prototype.setItem = function () {
           throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
         };",
        vec![],
    )
    .await;
    h.set_scenario("key create k1\nexpect k1 state enabled\n")
        .await;
    assert_storage_notice(&h).await;
    assert_eq!(h.text_content("[data-summary]").await, "1 passed, 0 failed");
    h.paste_scenario(
        "key create k1\nkey disable k1\nexpect k1 state enabled\nexpect count 1 keys\n",
    )
    .await;
    h.wait_until(
        "return document.querySelector('[data-summary]').textContent === '1 passed, 1 failed';",
        vec![],
        "the verdicts follow the text",
    )
    .await;
    h.assert_clean_console().await;
    h.close().await;
}

/// The notice about storage: `role="status"` or `role="alert"`, mentioning storage.
async fn assert_storage_notice(h: &Harness) {
    h.wait_until(
        "return Array.from(document.querySelectorAll('[role=status], [role=alert]'))
           .some((e) => /storage/i.test(e.textContent));",
        vec![],
        "a notice about storage",
    )
    .await;
}

/// Runs `source` in every new document before the page's own scripts (and outside its
/// Content-Security-Policy), through `Page.addScriptToEvaluateOnNewDocument`.
async fn before_page_scripts(h: &Harness, source: &str) {
    h.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": source }),
    )
    .await;
}

/// Storage disabled from the start, as a browser does for a site whose storage is blocked
/// (or a third-party embed with third-party storage blocked): reading `localStorage` throws.
/// The app starts with the sample, says it cannot save, and editing goes on.
#[tokio::test]
async fn storage_disabled_from_the_start() {
    for (what, source) in [
        (
            "localStorage throws",
            "Object.defineProperty(window, 'localStorage', { configurable: true,
               get() { throw new DOMException('Access is denied for this document.', 'SecurityError'); } });",
        ),
        (
            "getItem and setItem throw",
            "for (const m of ['getItem', 'setItem', 'removeItem']) {
               Storage.prototype[m] = function () {
                 throw new DOMException('Access is denied for this document.', 'SecurityError');
               };
             }",
        ),
    ] {
        let h = keyline_e2e::session().await;
        before_page_scripts(&h, source).await;
        for suffix in ["", "?embed=1"] {
            open_fresh(&h, suffix).await;
            let summary = h.text_content("[data-summary]").await;
            assert!(summary.contains(" passed, "), "{what} {suffix}: {summary}");
            h.set_scenario("key create k1\nexpect k1 state disabled\n").await;
            h.wait_until(
                "return document.querySelector('[data-summary]').textContent === '0 passed, 1 failed';",
                vec![],
                &format!("{what} {suffix}: the verdicts follow the text"),
            )
            .await;
            if suffix.is_empty() {
                assert_storage_notice(&h).await;
            }
            let log = h.browser_log().await;
            let severe: Vec<_> = log.iter().filter(|e| e.level == "SEVERE").collect();
            assert!(severe.is_empty(), "{what} {suffix}: console errors: {severe:#?}");
        }
        h.close().await;
    }
}

/// A real panic in the release build, caused the way a browser extension or an automatic
/// page translator can cause one: something outside the app moves a node the app rendered,
/// and the app's next update (here, a notice for a broken link) cannot insert next to it.
/// The error panel appears with a Reload button, the text typed just before is saved, and
/// reloading brings the text back.
#[tokio::test]
async fn a_panic_shows_the_error_panel_and_keeps_the_text() {
    let h = keyline_e2e::session().await;
    h.open("").await;
    let typed = "title Work before the panic\nkey create k1\nexpect k1 state enabled\n";
    h.paste_scenario(typed).await;
    h.wait_until(
        "const v = localStorage.getItem('keyline.scenario');
         return v !== null && JSON.parse(v) === arguments[0];",
        vec![json!(typed)],
        "autosave holds the typed text",
    )
    .await;
    // Text in the editor that autosave has not seen (no input event): the hook saves it.
    let unsaved = format!("{typed}# one more line, not yet autosaved\n");
    h.execute(
        "document.querySelector('textarea#scenario').value = arguments[0];
         window.__violations = [];
         document.addEventListener('securitypolicyviolation', (e) =>
           window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
         const main = document.querySelector('main');
         document.body.appendChild(main);
         location.hash = '#s=%%%';",
        vec![json!(unsaved)],
    )
    .await;
    h.wait_for("[data-panic-panel][role=alert]").await;
    let panel = h.text_content("[data-panic-panel]").await;
    assert_eq!(
        panel,
        "Keyline hit an internal error. Your scenario is saved in this browser; reload to continue.Reload"
    );
    let saved = h
        .execute(
            "return JSON.parse(localStorage.getItem('keyline.scenario'));",
            vec![],
        )
        .await;
    assert_eq!(saved, json!(unsaved));
    let violations = h.execute("return window.__violations;", vec![]).await;
    assert_eq!(violations, json!([]), "the panel broke the CSP");
    // The console has the panic (that is its job), and nothing about the CSP.
    let log = h.browser_log().await;
    assert!(
        log.iter().any(|e| e.message.contains("panicked")),
        "no panic message in the console: {log:#?}"
    );
    assert!(
        !log.iter()
            .any(|e| e.message.contains("Content Security Policy")),
        "{log:#?}"
    );

    // Reload: the broken link gets its alert and the saved text is back.
    h.click("[data-panic-reload]").await;
    h.wait_until(
        "return !document.querySelector('[data-panic-panel]') && !!document.querySelector('[data-app-ready]');",
        vec![],
        "the page reloaded",
    )
    .await;
    assert_eq!(h.value("textarea#scenario").await, unsaved);
    let alert = h.text_content("[role=alert]").await;
    assert!(alert.contains("cannot be opened"), "{alert}");
    h.assert_clean_console().await;
    h.close().await;
}
