//! `<keyline-scenario>` (dist/keyline-element.js) and the docs demo page (dist/docs-demo.html):
//! every element shows the engine's verdicts, one engine per page loaded when needed, errors
//! kept inside their element, hostile text kept as text, the keyboard, accessibility, and the
//! Embed dialog's element snippet.
// A helper that cannot do its part fails its test with the reason; clippy.toml's
// allow-*-in-tests covers the #[test] functions only, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use fantoccini::Locator;
use keyline_e2e::Harness;
use serde_json::{json, Value};

/// The Content-Security-Policy of the test pages: what the element promises to need.
const POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

/// How many times the page fetched a resource whose URL ends with `suffix`.
async fn fetched(h: &Harness, suffix: &str) -> u64 {
    h.execute(
        "return performance.getEntriesByType('resource')
           .filter((e) => e.name.split('?')[0].endsWith(arguments[0])).length;",
        vec![json!(suffix)],
    )
    .await
    .as_u64()
    .expect("a count")
}

/// Waits until every `keyline-scenario` on the page has rendered or shown its error.
async fn wait_for_elements(h: &Harness) {
    h.wait_until(
        "const all = Array.from(document.querySelectorAll('keyline-scenario'));
         return all.length > 0 && all.every((e) =>
           e.dataset.state === 'ready' || e.dataset.state === 'error');",
        vec![],
        "every <keyline-scenario> rendered (data-state ready or error)",
    )
    .await;
}

/// Opens `page` (a file served from the harness's root) and waits for its elements.
async fn open_page(h: &Harness, page: &str) {
    h.client
        .goto(&format!("{}{page}", h.base_url))
        .await
        .expect(page);
    wait_for_elements(h).await;
}

/// A session on `dist/` showing docs-demo.html with every element rendered.
async fn demo_session() -> Harness {
    let h = keyline_e2e::session().await;
    open_page(&h, "docs-demo.html").await;
    h
}

/// The last `keyline-result` event's record the page kept in `window.__results`.
async fn last_result(h: &Harness) -> Value {
    h.execute(
        "return window.__results[window.__results.length - 1];",
        vec![],
    )
    .await
}

/// Each element's evaluated text, `data-summary`, view and marks (`[line, outcome, code]` of
/// each `[data-line]`, `[line, passed]` of each `[data-expect-line]`) in its shadow root.
async fn elements(h: &Harness) -> Vec<Value> {
    let v = h
        .execute(
            "return Array.from(document.querySelectorAll('keyline-scenario')).map((e) => ({
               text: e.scenario,
               state: e.dataset.state,
               summary: e.getAttribute('data-summary'),
               view: e.getAttribute('view'),
               editable: e.hasAttribute('editable'),
               src: e.getAttribute('src'),
               lines: Array.from(e.shadowRoot.querySelectorAll('[data-line]')).map((l) =>
                 [Number(l.dataset.line), l.dataset.outcome, l.dataset.code || null]),
               expects: Array.from(e.shadowRoot.querySelectorAll('[data-expect-line]')).map((l) =>
                 [Number(l.dataset.expectLine), l.dataset.passed === 'true']),
               errors: e.shadowRoot.querySelectorAll('[data-error-line]').length,
               text_shown: e.shadowRoot.textContent,
             }));",
            vec![],
        )
        .await;
    v.as_array().expect("a list").clone()
}

/// What the engine says the marks of `text` are.
fn engine_marks(text: &str) -> (String, Value, Value, keyline_rules::Report) {
    let report = keyline_rules::evaluate(text);
    let lines: Vec<Value> = report
        .steps
        .iter()
        .map(|s| json!([s.line, s.outcome.as_str(), s.code.map(|c| c.as_str())]))
        .collect();
    let expects: Vec<Value> = report
        .expectations
        .iter()
        .map(|e| json!([e.line, e.passed]))
        .collect();
    (
        report.summary.to_string(),
        Value::Array(lines),
        Value::Array(expects),
        report,
    )
}

#[tokio::test]
async fn every_element_on_the_demo_page_shows_the_engines_verdicts_with_one_engine() {
    let h = demo_session().await;
    let all = elements(&h).await;
    assert!(all.len() >= 10, "{} elements", all.len());

    let (mut boards, mut graphs, mut editable, mut parse_errors, mut failing, mut from_src) =
        (0, 0, 0, 0, 0, 0);
    for (i, e) in all.iter().enumerate() {
        let text = e["text"].as_str().expect("text");
        assert_eq!(e["state"], "ready", "element {i} ({text:?})");
        let (summary, lines, expects, report) = engine_marks(text);
        assert_eq!(e["summary"], summary.as_str(), "element {i}: data-summary");
        assert_eq!(e["lines"], lines, "element {i}: [data-line] marks");
        assert_eq!(
            e["expects"], expects,
            "element {i}: [data-expect-line] marks"
        );
        assert_eq!(
            e["errors"].as_u64(),
            Some(report.errors.len() as u64),
            "element {i}: parse errors"
        );
        match e["view"].as_str() {
            Some("board") => boards += 1,
            Some("graph") => graphs += 1,
            _ => {}
        }
        editable += usize::from(e["editable"] == true);
        failing += usize::from(report.summary.failed > 0);
        if let Some(first) = report.errors.first() {
            parse_errors += 1;
            // Positioned: `line:column` is shown, and the other lines still have verdicts.
            let shown = e["text_shown"].as_str().unwrap_or_default();
            let position = format!("{}:{}", first.line, first.column);
            assert!(shown.contains(&position), "element {i}: no {position}");
            assert!(!report.steps.is_empty(), "element {i}: no other verdicts");
        }
        if let Some(src) = e["src"].as_str() {
            from_src += 1;
            let file = keyline_e2e::dist_dir().join(src);
            let on_disk = std::fs::read_to_string(&file).expect("the src file in dist/");
            assert_eq!(text, on_disk, "element {i}: src text");
        }
    }
    assert!(boards >= 1 && graphs >= 1, "board {boards}, graph {graphs}");
    assert_eq!(editable, 1);
    assert!(parse_errors >= 1 && failing >= 1 && from_src >= 1);

    // One engine for the whole page.
    assert_eq!(fetched(&h, "/keyline_engine_bg.wasm").await, 1);
    assert_eq!(fetched(&h, "/keyline_engine.js").await, 1);
    assert_eq!(fetched(&h, "/keyline-element.css").await, 1);
    h.assert_clean_console().await;
    h.assert_accessible("docs-demo.html, every element rendered")
        .await;
    h.close().await;
}

#[tokio::test]
async fn keyboard_alone_opens_a_lines_details_and_tabs_through_them() {
    let h = demo_session().await;
    let host = h.wait_for("keyline-scenario").await;
    let root = host.shadow_root().await.expect("an open shadow root");
    let summaries = root
        .find_all(Locator::Css("[data-line] summary"))
        .await
        .expect("summaries");
    assert!(summaries.len() >= 2);
    let open_count = "return Array.from(document.querySelector('keyline-scenario')
                        .shadowRoot.querySelectorAll('[data-line] details')).map((d) => d.open);";
    assert!(h
        .execute(open_count, vec![])
        .await
        .as_array()
        .expect("a list")
        .iter()
        .all(|o| o == false));

    // Enter on the first line's summary opens its details, with the rule and the sentence.
    summaries[0].send_keys("\u{E007}").await.expect("Enter");
    let open = h.execute(open_count, vec![]).await;
    assert_eq!(open[0], true, "{open}");
    assert_eq!(open[1], false, "{open}");
    let why = h
        .execute(
            "return document.querySelector('keyline-scenario').shadowRoot
               .querySelector('[data-line] details[open] .kl-why').textContent;",
            vec![],
        )
        .await;
    assert!(why.as_str().is_some_and(|w| w.contains("R-")), "{why}");

    // Tab moves to the next line's summary, which Space opens.
    summaries[0].send_keys("\u{E004}").await.expect("Tab");
    let next_is_focused = h
        .execute(
            "const root = document.querySelector('keyline-scenario').shadowRoot;
             return root.activeElement === root.querySelectorAll('[data-line] summary')[1];",
            vec![],
        )
        .await;
    assert_eq!(next_is_focused, true);
    summaries[1].send_keys(" ").await.expect("Space");
    let open = h.execute(open_count, vec![]).await;
    assert_eq!(open[1], true, "{open}");
    // The focus is visible: the renderer's stylesheet outlines a focused summary.
    let outline = h
        .execute(
            "const root = document.querySelector('keyline-scenario').shadowRoot;
             return getComputedStyle(root.activeElement).outlineStyle;",
            vec![],
        )
        .await;
    assert_ne!(outline, "none", "a focused summary has an outline");
    h.assert_clean_console().await;
    // Last: axe's own probes are not the page's doing.
    h.assert_accessible("docs-demo.html with details open")
        .await;
    h.close().await;
}

#[tokio::test]
async fn an_editable_element_evaluates_as_you_type_and_keeps_the_focus() {
    let h = demo_session().await;
    h.execute(
        "window.__results = [];
         document.addEventListener('keyline-result', (e) => window.__results.push({
           from: e.composedPath()[0].hasAttribute('editable'), detail: e.detail }));",
        vec![],
    )
    .await;
    let host = h.wait_for("keyline-scenario[editable]").await;
    let area = host
        .shadow_root()
        .await
        .expect("shadow root")
        .find(Locator::Css("textarea"))
        .await
        .expect("a textarea");
    // Labelled.
    let label = h
        .execute(
            "const t = document.querySelector('keyline-scenario[editable]').shadowRoot
               .querySelector('textarea');
             return t.labels.length > 0 ? t.labels[0].textContent : '';",
            vec![],
        )
        .await;
    assert!(label.as_str().is_some_and(|l| !l.is_empty()), "{label}");

    area.send_keys("key enable k1\nattach d1 web\nexpect ok")
        .await
        .expect("typing");
    let typed = h
        .execute(
            "return document.querySelector('keyline-scenario[editable]').scenario;",
            vec![],
        )
        .await;
    let typed = typed.as_str().expect("text").to_owned();
    assert!(typed.ends_with("expect ok"), "{typed:?}");
    let (summary, lines, expects, report) = engine_marks(&typed);
    h.wait_until(
        "return document.querySelector('keyline-scenario[editable]').dataset.summary === arguments[0]
             && document.querySelector('keyline-scenario[editable]').shadowRoot
                  .querySelectorAll('[data-line]').length === arguments[1];",
        vec![json!(summary), json!(report.steps.len())],
        "the editable element's verdicts for the typed text",
    )
    .await;
    let e = elements(&h).await;
    let e = e.iter().find(|e| e["editable"] == true).expect("editable");
    assert_eq!(e["lines"], lines);
    assert_eq!(e["expects"], expects);
    // The focus and the caret stayed in the textarea.
    let focus = h
        .execute(
            "const root = document.querySelector('keyline-scenario[editable]').shadowRoot;
             const t = root.querySelector('textarea');
             return [root.activeElement === t, t.selectionStart === t.value.length];",
            vec![],
        )
        .await;
    assert_eq!(focus, json!([true, true]));
    // The last keyline-result event came from it, with the engine's verdicts.
    let last = last_result(&h).await;
    assert_eq!(last["from"], true);
    assert_eq!(last["detail"]["passed"], report.summary.passed);
    assert_eq!(last["detail"]["failed"], report.summary.failed);
    let steps: Vec<Value> = report
        .steps
        .iter()
        .map(|s| json!({"line": s.line, "outcome": s.outcome.as_str(), "code": s.code.map(|c| c.as_str())}))
        .collect();
    assert_eq!(last["detail"]["steps"], Value::Array(steps));
    h.assert_clean_console().await;
    h.close().await;
}

/// A copy of `dist/` in a temporary folder, with `pages` (name, body) written into it as
/// HTML pages under [`POLICY`] that load the element.
fn dist_copy(name: &str, pages: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("keyline-element-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&keyline_e2e::dist_dir(), &dir);
    std::fs::write(
        dir.join("element-test.css"),
        ".spacer { height: 4000px; }\n",
    )
    .expect("write css");
    for (file, body) in pages {
        let page = format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta http-equiv=\"Content-Security-Policy\" content=\"{POLICY}\">\
             <title>element test</title><link rel=\"icon\" href=\"favicon.svg\">\
             <link rel=\"stylesheet\" href=\"element-test.css\">\
             <script type=\"module\" src=\"keyline-element.js\"></script></head>\
             <body><main><h1>Element test</h1>{body}</main></body></html>"
        );
        std::fs::write(dir.join(file), page).expect("write page");
    }
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dist").flatten() {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}

#[tokio::test]
async fn the_engine_is_fetched_only_when_an_element_comes_near_the_viewport() {
    let dir = dist_copy(
        "lazy",
        &[(
            "lazy.html",
            "<p>Above the fold.</p><div class=\"spacer\"></div>\
             <keyline-scenario id=\"below\"><pre>key create k1\nexpect k1 state enabled\n</pre></keyline-scenario>",
        )],
    );
    let h = keyline_e2e::session_on(&dir).await;
    h.client
        .goto(&format!("{}lazy.html", h.base_url))
        .await
        .expect("lazy.html");
    h.wait_until(
        "return customElements.get('keyline-scenario') !== undefined
             && document.getElementById('below').dataset.state === 'waiting';",
        vec![],
        "the element is defined and waiting",
    )
    .await;
    // Give an eager loader every chance to fetch it.
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    assert_eq!(fetched(&h, "/keyline_engine_bg.wasm").await, 0);
    assert_eq!(fetched(&h, "/keyline_engine.js").await, 0);
    // Until then the text is the page's own code block, shown through the slot.
    let shown = h
        .execute(
            "const e = document.getElementById('below');
             const slot = e.shadowRoot.querySelector('slot');
             return slot ? slot.assignedNodes().map((n) => n.textContent).join('') : null;",
            vec![],
        )
        .await;
    assert!(
        shown.as_str().is_some_and(|s| s.contains("key create k1")),
        "{shown}"
    );

    h.execute("document.getElementById('below').scrollIntoView();", vec![])
        .await;
    let (summary, ..) = engine_marks("key create k1\nexpect k1 state enabled\n");
    h.wait_until(
        "return document.getElementById('below').dataset.summary === arguments[0];",
        vec![json!(summary)],
        "the element below the fold rendered after scrolling",
    )
    .await;
    assert_eq!(fetched(&h, "/keyline_engine_bg.wasm").await, 1);
    h.assert_clean_console().await;
    h.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn errors_stay_in_their_element_and_hostile_text_stays_text() {
    let dir = dist_copy(
        "errors",
        &[(
            "errors.html",
            "<keyline-scenario id=\"missing\" src=\"no-such-file.kl\"><pre>the missing file</pre></keyline-scenario>\
             <keyline-scenario id=\"foreign\" src=\"https://example.invalid/x.kl\"></keyline-scenario>\
             <keyline-scenario id=\"fine\"><pre>key create k1\nexpect k1 state enabled\n</pre></keyline-scenario>",
        )],
    );
    let h = keyline_e2e::session_on(&dir).await;
    open_page(&h, "errors.html").await;
    let states = h
        .execute(
            "return ['missing', 'foreign', 'fine'].map((id) => {
               const e = document.getElementById(id);
               const alert = e.shadowRoot.querySelector('[role=alert]');
               return [e.dataset.state, alert ? alert.textContent : null,
                       e.getAttribute('data-summary')];
             });",
            vec![],
        )
        .await;
    assert_eq!(states[0][0], "error", "{states}");
    assert!(
        states[0][1]
            .as_str()
            .is_some_and(|m| m.contains("no-such-file.kl") && m.contains("404")),
        "{states}"
    );
    assert_eq!(states[1][0], "error", "{states}");
    assert!(
        states[1][1].as_str().is_some_and(|m| m.contains("origin")),
        "{states}"
    );
    assert_eq!(states[2][0], "ready", "{states}");
    assert_eq!(states[2][1], Value::Null, "{states}");
    assert_eq!(states[2][2], "1 passed, 0 failed");
    // The 404 is the browser's own console line; nothing else.
    let log = h.browser_log().await;
    assert!(
        log.iter()
            .filter(|e| e.level == "SEVERE")
            .all(|e| e.message.contains("no-such-file.kl")),
        "{log:#?}"
    );

    // A text over the limit: an alert in that element only. Hostile text: text, not markup.
    let hostile = "title <img src=x onerror=\"window.__pwned=1\"> \u{202e}evil\nkey create <script>window.__pwned=2</script>\nkey create k2 # </pre><b>bold</b>\n";
    h.execute(
        "const add = (id, text) => {
           const e = document.createElement('keyline-scenario');
           e.id = id;
           e.textContent = text;
           document.querySelector('main').append(e);
         };
         add('huge', '#'.repeat(1000001));
         add('hostile', arguments[0]);",
        vec![json!(hostile)],
    )
    .await;
    wait_for_elements(&h).await;
    let result = h
        .execute(
            "const huge = document.getElementById('huge');
             const hostile = document.getElementById('hostile');
             const alert = huge.shadowRoot.querySelector('[role=alert]');
             const out = hostile.shadowRoot.querySelector('.kl-output');
             return {
               huge: [huge.dataset.state, alert ? alert.textContent : null],
               fine: document.getElementById('fine').getAttribute('data-summary'),
               pwned: window.__pwned === undefined ? null : window.__pwned,
               markup: out.querySelectorAll('img, script, b').length,
               text: out.textContent,
               state: hostile.dataset.state,
             };",
            vec![],
        )
        .await;
    assert_eq!(result["huge"][0], "error", "{result}");
    assert!(
        result["huge"][1]
            .as_str()
            .is_some_and(|m| m.contains("the limit is 1000000 bytes")),
        "{result}"
    );
    assert_eq!(result["fine"], "1 passed, 0 failed");
    assert_eq!(result["state"], "ready");
    assert_eq!(result["pwned"], Value::Null);
    assert_eq!(result["markup"], 0, "{result}");
    let text = result["text"].as_str().unwrap_or_default();
    assert!(text.contains("<script>window.__pwned=2</script>"), "{text}");
    assert!(text.contains("<b>bold</b>"), "{text}");
    // The bidi override is shown as its code point, not applied.
    assert!(
        text.contains("U+202E") && !text.contains('\u{202e}'),
        "{text}"
    );
    h.assert_accessible("errors.html").await;
    h.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn the_embed_dialog_gives_the_element_snippet_and_links_the_demo() {
    let h = keyline_e2e::session().await;
    let text = "title <b>docs</b>\nkey create k1\nexpect k1 state enabled\n";
    h.open(&format!("#z={}", keyline_link::encode_deflate(text)))
        .await;
    h.click("nav [data-embed]").await;
    let frame = h.value("#embed-snippet").await;
    assert!(frame.starts_with("<iframe "), "{frame}");
    let element = h.value("#element-snippet").await;
    let script = format!(
        "<script type=\"module\" src=\"{}keyline-element.js\"></script>\n",
        h.base_url
    );
    assert!(element.starts_with(&script), "{element}");
    assert!(
        element.ends_with(
            "<keyline-scenario><pre>\ntitle &lt;b&gt;docs&lt;/b&gt;\nkey create k1\nexpect k1 state enabled\n</pre></keyline-scenario>"
        ),
        "{element}"
    );
    assert_eq!(h.find_all(".snippet [data-copy]").await.len(), 2);
    let demo = h.attr("[data-docs-demo]", "href").await.unwrap_or_default();
    assert_eq!(demo, format!("{}docs-demo.html", h.base_url));

    // The snippet works: the element it describes shows the same verdicts.
    let (summary, ..) = engine_marks(text);
    h.client.goto(&demo).await.expect("the demo page");
    wait_for_elements(&h).await;
    h.execute(
        "const holder = document.createElement('div');
         holder.innerHTML = arguments[0].split('\\n').slice(1).join('\\n');
         document.querySelector('main').append(holder);",
        vec![json!(element)],
    )
    .await;
    h.wait_until(
        "const all = document.querySelectorAll('keyline-scenario');
         return all[all.length - 1].dataset.summary === arguments[0];",
        vec![json!(summary)],
        "the pasted snippet's element rendered",
    )
    .await;
    h.assert_clean_console().await;
    h.close().await;
}

#[tokio::test]
async fn attribute_and_text_changes_render_again() {
    let h = demo_session().await;
    h.execute(
        "window.__results = [];
         const first = document.querySelector('keyline-scenario');
         first.addEventListener('keyline-result', (e) => window.__results.push(e.detail));
         first.setAttribute('view', 'board');",
        vec![],
    )
    .await;
    h.wait_until(
        "return document.querySelector('keyline-scenario').shadowRoot
           .querySelector('[data-resource][data-encryption]') !== null;",
        vec![],
        "view=\"board\" set later shows the board",
    )
    .await;
    let text = "key create k9\nkey disable k9\nexpect k9 state enabled\n";
    h.execute(
        "document.querySelector('keyline-scenario').textContent = arguments[0];",
        vec![json!(text)],
    )
    .await;
    let (summary, lines, ..) = engine_marks(text);
    h.wait_until(
        "return document.querySelector('keyline-scenario').dataset.summary === arguments[0];",
        vec![json!(summary)],
        "new text content is evaluated",
    )
    .await;
    let first = &elements(&h).await[0];
    assert_eq!(first["lines"], lines);
    let last = last_result(&h).await;
    assert_eq!(last["failed"], 1, "{last}");
    assert_eq!(
        last["steps"].as_array().map(Vec::len),
        lines.as_array().map(Vec::len)
    );
    // A new src replaces the text.
    h.execute(
        "document.querySelector('keyline-scenario').setAttribute('src', 'docs-examples/detach-reattach.kl');",
        vec![],
    )
    .await;
    let file = keyline_e2e::dist_dir().join("docs-examples/detach-reattach.kl");
    let (summary, ..) = engine_marks(&std::fs::read_to_string(file).expect("the example"));
    h.wait_until(
        "return document.querySelector('keyline-scenario').dataset.summary === arguments[0];",
        vec![json!(summary)],
        "a src set later is loaded and evaluated",
    )
    .await;
    h.assert_clean_console().await;
    h.close().await;
}

#[tokio::test]
async fn an_engine_that_cannot_load_is_an_alert_in_each_element_and_the_text_stays() {
    let dir = dist_copy(
        "no-engine",
        &[(
            "no-engine.html",
            "<keyline-scenario id=\"a\"><pre>key create k1\n</pre></keyline-scenario>\
             <keyline-scenario id=\"b\"><pre>key create k2\n</pre></keyline-scenario>",
        )],
    );
    std::fs::remove_file(dir.join("keyline_engine_bg.wasm")).expect("remove the wasm");
    let h = keyline_e2e::session_on(&dir).await;
    open_page(&h, "no-engine.html").await;
    let shown = h
        .execute(
            "return ['a', 'b'].map((id) => {
               const e = document.getElementById(id);
               const alert = e.shadowRoot.querySelector('[role=alert]');
               const slot = e.shadowRoot.querySelector('slot');
               return [e.dataset.state, alert !== null && alert.textContent.includes('engine'),
                       slot ? slot.assignedNodes().map((n) => n.textContent).join('') : null,
                       e.hasAttribute('data-summary')];
             });",
            vec![],
        )
        .await;
    assert_eq!(
        shown,
        json!([
            ["error", true, "key create k1\n", false],
            ["error", true, "key create k2\n", false]
        ])
    );
    h.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
