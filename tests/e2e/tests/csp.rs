//! The Content-Security-Policy: what index.html allows, and the whole app, every embed view
//! and the embed demo host page working under it with zero violations. Also hostile
//! `postMessage` traffic into the embed, sent from the demo host page.
// A helper that cannot do its part fails its test with the reason; clippy.toml's
// allow-*-in-tests covers the #[test] functions only, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use keyline_e2e::Harness;
use serde_json::{json, Value};
use std::time::Duration;

/// The `content` of the `Content-Security-Policy` meta tag of an HTML file, if any.
fn meta_policy(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower.get(from..)?.find("<meta") {
        let start = from + i;
        let end = start + lower.get(start..)?.find('>')?;
        let tag = html.get(start..=end)?;
        let tag_lower = lower.get(start..=end)?;
        if tag_lower.contains("http-equiv=\"content-security-policy\"") {
            let c = tag_lower.find("content=\"")? + "content=\"".len();
            let len = tag.get(c..)?.find('"')?;
            return tag.get(c..c + len).map(str::to_owned);
        }
        from = end;
    }
    None
}

/// Directive name → its source list.
fn directives(policy: &str) -> Vec<(String, Vec<String>)> {
    policy
        .split(';')
        .filter_map(|d| {
            let mut words = d.split_ascii_whitespace();
            let name = words.next()?.to_ascii_lowercase();
            Some((name, words.map(str::to_owned).collect()))
        })
        .collect()
}

fn sources<'a>(d: &'a [(String, Vec<String>)], name: &str) -> Option<&'a [String]> {
    d.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_slice())
}

/// The script sources in force: `script-src`, else `default-src`.
fn script_sources(d: &[(String, Vec<String>)]) -> Vec<String> {
    sources(d, "script-src")
        .or_else(|| sources(d, "default-src"))
        .map(<[String]>::to_vec)
        .unwrap_or_default()
}

#[test]
fn index_html_allows_only_self_and_wasm_unsafe_eval_for_scripts() {
    let dist = keyline_e2e::dist_dir();
    let index = std::fs::read_to_string(dist.join("index.html")).expect("dist/index.html");
    let policy = meta_policy(&index).expect("index.html has a Content-Security-Policy meta tag");
    let d = directives(&policy);
    let scripts = script_sources(&d);
    assert!(
        !scripts.is_empty()
            && scripts
                .iter()
                .all(|s| s == "'self'" || s == "'wasm-unsafe-eval'"),
        "script sources {scripts:?} in {policy}"
    );
    for bad in [
        "'unsafe-inline'",
        "'unsafe-eval'",
        "'unsafe-hashes'",
        "*",
        "data:",
        "blob:",
        "http:",
        "https:",
    ] {
        assert!(!scripts.iter().any(|s| s == bad), "{bad} in {policy}");
    }
    // No directive loosens the rest: no inline styles, no plugins, no <base> hijack.
    assert_eq!(
        sources(&d, "default-src"),
        Some(&["'self'".to_owned()][..]),
        "{policy}"
    );
    assert_eq!(
        sources(&d, "object-src"),
        Some(&["'none'".to_owned()][..]),
        "{policy}"
    );
    assert_eq!(
        sources(&d, "base-uri"),
        Some(&["'none'".to_owned()][..]),
        "{policy}"
    );
    for (name, list) in &d {
        assert!(
            !list
                .iter()
                .any(|s| s == "'unsafe-inline'" || s == "'unsafe-eval'" || s == "*"),
            "{name} {list:?}"
        );
    }

    // Every HTML file in dist/ has a policy and no inline script or handler.
    for entry in std::fs::read_dir(&dist).expect("dist/").flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(&path).expect("read html");
        let name = path.display();
        let policy = meta_policy(&html).unwrap_or_else(|| panic!("{name}: no policy"));
        let scripts = script_sources(&directives(&policy));
        assert!(
            scripts
                .iter()
                .all(|s| s == "'self'" || s == "'wasm-unsafe-eval'"),
            "{name}: {scripts:?}"
        );
        let lower = html.to_ascii_lowercase();
        for (i, _) in lower.match_indices("<script") {
            let tag = lower
                .get(i..)
                .and_then(|t| t.split('>').next())
                .unwrap_or_default();
            assert!(tag.contains(" src="), "{name}: inline script {tag}");
        }
        for attr in [
            " onload=",
            " onerror=",
            " onclick=",
            " style=",
            "javascript:",
        ] {
            assert!(!lower.contains(attr), "{name}: {attr}");
        }
    }
}

/// The tests of the policy parser above.
#[test]
fn policy_parser() {
    let html = r#"<meta charset="utf-8"><META HTTP-EQUIV="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'unsafe-inline'">"#;
    let p = meta_policy(html).expect("found");
    let d = directives(&p);
    assert_eq!(script_sources(&d), vec!["'self'", "'unsafe-inline'"]);
    assert_eq!(
        script_sources(&directives("default-src 'none'")),
        vec!["'none'"]
    );
    assert!(meta_policy("<meta name=x>").is_none());
}

/// Starts recording `securitypolicyviolation` events (in the page and, for the demo page, in
/// its frame) into `window.__violations`.
async fn record_violations(h: &Harness) {
    h.execute(
        "const record = (w) => {
           if (!w || w.__recording) { return; }
           w.__recording = true;
           w.document.addEventListener('securitypolicyviolation', (e) =>
             window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));
         };
         window.__violations = window.__violations || [];
         record(window);
         const f = document.getElementById('demo-frame');
         if (f) { record(f.contentWindow); }",
        vec![],
    )
    .await;
}

async fn assert_no_violations(h: &Harness, what: &str) {
    let v = h.execute("return window.__violations || [];", vec![]).await;
    assert_eq!(v, json!([]), "{what}: Content-Security-Policy violations");
    h.assert_clean_console().await;
}

async fn pause() {
    tokio::time::sleep(Duration::from_millis(150)).await;
}

/// Clicks `css` if it is on the page (as a user would); returns whether it was.
async fn click_if_present(h: &Harness, css: &str) -> bool {
    let found = h.find_all(css).await;
    let Some(e) = found.into_iter().next() else {
        return false;
    };
    e.click()
        .await
        .unwrap_or_else(|err| panic!("clicking `{css}`: {err}"));
    pause().await;
    true
}

#[tokio::test]
async fn the_whole_app_works_under_the_policy() {
    let h = keyline_e2e::session().await;
    h.open("").await;
    record_violations(&h).await;

    // The sample has a key card, a failing attach with a fix, rules, a graph.
    h.wait_for("[data-resource=\"k1\"]").await;
    // A card: select it, a quick action, the what-if and its tabs.
    h.click("[data-resource=\"k1\"] h4").await;
    h.click("[data-resource=\"k1\"] button[title=\"key enable k1\"]")
        .await;
    pause().await;
    h.click("[data-resource=\"k1\"] button.link").await;
    h.wait_for(".whatif").await;
    for tab in 1..=3 {
        h.click(&format!(".whatif .tabs button:nth-child({tab})"))
            .await;
        pause().await;
    }
    h.click(".whatif > button.link").await;
    // The timeline: travel, then back to live.
    h.execute(
        "const t = document.getElementById('timeline');
         t.value = '2';
         t.dispatchEvent(new Event('input', { bubbles: true }));",
        vec![],
    )
    .await;
    h.wait_until(
        "return /After statement 2/.test(document.querySelector('[data-timeline-label]').textContent);",
        vec![],
        "time travel to step 2",
    )
    .await;
    h.click(".timeline button").await;
    // The rule dialog.
    h.click(".step .rule").await;
    h.wait_for("[role=dialog][data-rule]").await;
    h.click("[role=dialog] button").await;
    // A fix, a graph node, a verdict row.
    click_if_present(&h, "[data-apply-fix]").await;
    click_if_present(&h, "svg [data-node]").await;
    click_if_present(&h, "[data-line]").await;
    // Share, embed, history, downloads.
    h.click("[data-share]").await;
    pause().await;
    h.click("nav [data-embed]").await;
    h.wait_for("#embed-snippet").await;
    click_if_present(&h, ".snippet button.link").await;
    h.click("[data-history-toggle]").await;
    pause().await;
    h.click("[data-history-toggle]").await;
    h.click("[data-download=\"markdown\"]").await;
    h.click("[data-download=\"json\"]").await;
    pause().await;
    // An example from the gallery.
    h.click(".examples-button").await;
    h.click("[data-example]").await;
    pause().await;
    // Typing, with a completion list and a parse error.
    h.set_scenario("key create k1\nkey disabel k1\nkey d").await;
    pause().await;
    h.wait_for("[data-error-line]").await;

    let summary = h.text_content("[data-summary]").await;
    assert!(summary.contains(" passed, "), "{summary}");
    assert_no_violations(&h, "the app").await;
    h.close().await;
}

#[tokio::test]
async fn every_embed_view_works_under_the_policy() {
    let h = keyline_e2e::session().await;
    for view in [
        "",
        "&view=board",
        "&view=graph",
        "&readonly=1",
        "&view=board&readonly=1",
    ] {
        let what = format!("?embed=1{view}");
        h.client.goto("about:blank").await.expect("about:blank");
        h.open(&what).await;
        record_violations(&h).await;
        h.wait_for("[data-embed]").await;
        let open = h
            .attr("[data-open-in-keyline]", "href")
            .await
            .unwrap_or_default();
        assert!(open.contains("#z="), "{what}: {open}");
        match view {
            "" | "&readonly=1" => {
                h.click(".step .rule").await;
                h.wait_for("[role=dialog]").await;
                h.click("[role=dialog] button").await;
                click_if_present(&h, "[data-line]").await;
            }
            v if v.contains("board") => {
                h.click("[data-resource] h4").await;
                click_if_present(&h, "[data-resource=\"k1\"] button.link").await;
            }
            _ => {
                h.wait_for("svg [data-node]").await;
                click_if_present(&h, "svg [data-node]").await;
            }
        }
        let summary = h.text_content("[data-summary]").await;
        assert!(summary.contains(" passed, "), "{what}: {summary}");
        assert_no_violations(&h, &what).await;
    }
    h.close().await;
}

/// Opens the demo host page and waits for the embed's first results.
async fn open_demo(h: &Harness) {
    let url = format!("{}embed-demo.html", h.base_url);
    h.client.goto(&url).await.expect("embed-demo.html");
    h.wait_until(
        "return /^\\d+ passed, \\d+ failed$/.test(document.getElementById('demo-summary').textContent);",
        vec![],
        "#demo-summary shows `N passed, M failed`",
    )
    .await;
    h.wait_for("#demo-steps li[data-outcome]").await;
    record_violations(h).await;
    h.execute(
        "window.__results = [];
         window.addEventListener('message', (e) => {
           if (e.data && e.data.type === 'keyline:result') { window.__results.push(e.data); }
         });",
        vec![],
    )
    .await;
}

#[tokio::test]
async fn the_embed_demo_receives_results_under_the_policy() {
    let h = keyline_e2e::session().await;
    open_demo(&h).await;
    // The demo's own scenario: what the engine says.
    let sent = h.value("#demo-scenario").await;
    let expected = keyline_rules::evaluate(&sent);
    assert_eq!(
        h.text_content("#demo-summary").await,
        expected.summary.to_string()
    );
    let outcomes = h
        .execute(
            "return Array.from(document.querySelectorAll('#demo-steps li[data-outcome]'))
               .map((li) => [Number(li.dataset.line), li.dataset.outcome]);",
            vec![],
        )
        .await;
    let want: Vec<Value> = expected
        .steps
        .iter()
        .map(|s| json!([s.line, s.outcome.as_str()]))
        .collect();
    assert_eq!(outcomes, Value::Array(want));

    // Send another scenario with the page's own button.
    let text =
        "title From the host <b>page</b>\nkey create k1\nkey disable k1\nexpect k1 state enabled\n";
    h.execute(
        "document.getElementById('demo-scenario').value = arguments[0];",
        vec![json!(text)],
    )
    .await;
    h.click("#demo-send").await;
    h.wait_until(
        "return document.getElementById('demo-summary').textContent === '0 passed, 1 failed';",
        vec![],
        "the results of the sent scenario",
    )
    .await;
    assert_no_violations(&h, "embed-demo.html").await;
    h.close().await;
}

/// What the embed's editor holds.
async fn frame_text(h: &Harness) -> String {
    h.execute(
        "const d = document.getElementById('demo-frame').contentDocument;
         return d.querySelector('textarea#scenario').value;",
        vec![],
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_owned()
}

/// Posts `message` (a JS expression) into the embed from the host page.
async fn post(h: &Harness, message: &str) {
    h.execute(
        &format!(
            "document.getElementById('demo-frame').contentWindow.postMessage({message}, '*');"
        ),
        vec![],
    )
    .await;
}

/// Posts a valid `keyline:load` and waits for its result: every message posted before it has
/// been handled. Returns how many results arrived in all, this one included.
async fn sentinel(h: &Harness, n: usize, before: usize) -> usize {
    let text = format!("key create sentinel{n}\n");
    post(
        h,
        &format!("{{ type: 'keyline:load', scenario: {} }}", json!(text)),
    )
    .await;
    h.wait_until(
        "const r = window.__results;
         return r.length > arguments[0] && r[r.length - 1].steps.length === 1;",
        vec![json!(before)],
        &format!("the result of sentinel {n}"),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(frame_text(h).await, text);
    h.execute("return window.__results.length;", vec![])
        .await
        .as_u64()
        .unwrap_or_default() as usize
}

async fn results(h: &Harness) -> usize {
    h.execute("return window.__results.length;", vec![])
        .await
        .as_u64()
        .unwrap_or_default() as usize
}

#[tokio::test]
async fn hostile_embed_messages() {
    let h = keyline_e2e::session().await;
    open_demo(&h).await;
    let mut count = sentinel(&h, 0, results(&h).await).await;

    // Wrong shapes: ignored, no result, no console error.
    let shapes = [
        "{ type: 'keyline:load' }",
        "{ type: 'keyline:load', scenario: 42 }",
        "{ type: 'keyline:load', scenario: null }",
        "{ type: 'keyline:load', scenario: ['key create x'] }",
        "{ type: 'keyline:load', scenario: { text: 'key create x' } }",
        "{ type: 'keyline:load', scenario: new Uint8Array([107, 101, 121]) }",
        "{ type: 'KEYLINE:LOAD', scenario: 'key create x' }",
        "{ type: 'keyline:result', scenario: 'key create x' }",
        "{ type: ['keyline:load'], scenario: 'key create x' }",
        "{ scenario: 'key create x' }",
        "'keyline:load'",
        "'key create x'",
        "['keyline:load', 'key create x']",
        "null",
        "42",
        "true",
        "new Blob(['key create x'])",
        "new ArrayBuffer(8)",
        "new Map([['type', 'keyline:load'], ['scenario', 'key create x']])",
    ];
    for (i, shape) in shapes.iter().enumerate() {
        post(&h, shape).await;
        let before = count;
        count = sentinel(&h, i + 1, count).await;
        assert_eq!(
            count,
            before + 1,
            "{shape} was not ignored: it produced a result"
        );
    }
    h.assert_clean_console().await;

    // More than the paste limit (8 MB): an alert, and nothing loaded.
    let before = count;
    post(
        &h,
        "{ type: 'keyline:load', scenario: 'key create k1\\n'.repeat(600000) }",
    )
    .await;
    h.wait_until(
        "const d = document.getElementById('demo-frame').contentDocument;
         return Array.from(d.querySelectorAll('[role=alert]')).some((e) => /larger than 8 MB/.test(e.textContent));",
        vec![],
        "an alert about the size in the embed",
    )
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(results(&h).await, before, "the huge scenario was evaluated");
    assert_eq!(
        frame_text(&h).await,
        format!("key create sentinel{}\n", shapes.len())
    );

    // Binary-ish text with NULs: text all the same, parse errors, the rest evaluated.
    let binary = "key create k1\n\u{0}\u{1}\u{7f}\u{fffd}\u{0}key\u{0}create k2\n\u{feff}\u{202e}disk create d1\n";
    post(
        &h,
        &format!("{{ type: 'keyline:load', scenario: {} }}", json!(binary)),
    )
    .await;
    h.wait_until(
        "return window.__results.length > arguments[0];",
        vec![json!(before)],
        "the result of the binary-ish scenario",
    )
    .await;
    assert_eq!(frame_text(&h).await, binary);
    let errors = h
        .execute(
            "return document.getElementById('demo-frame').contentDocument
               .querySelectorAll('[data-error-line]').length;",
            vec![],
        )
        .await;
    assert!(
        errors.as_u64().unwrap_or_default() >= 1,
        "no parse error shown"
    );
    let last = h
        .execute(
            "return window.__results[window.__results.length - 1];",
            vec![],
        )
        .await;
    assert_eq!(last["steps"][0]["line"], 1, "{last}");
    assert_eq!(last["steps"][0]["outcome"], "ok", "{last}");

    // Markup: shown as text, nothing runs, in the frame or the host.
    let markup = "title <img src=x onerror=\"parent.__pwned=1;window.__pwned=1\">\n<script>parent.__pwned=2</script>\nkey create k1 # <svg onload=\"parent.__pwned=3\">\n";
    let before = results(&h).await;
    post(
        &h,
        &format!("{{ type: 'keyline:load', scenario: {} }}", json!(markup)),
    )
    .await;
    h.wait_until(
        "return window.__results.length > arguments[0];",
        vec![json!(before)],
        "the result of the markup scenario",
    )
    .await;
    let check = h
        .execute(
            "const d = document.getElementById('demo-frame').contentDocument;
             return { bad: d.querySelectorAll('img[src=\"x\"], script:not([src]), [onerror], [onload]').length
                        + document.querySelectorAll('img[src=\"x\"], [onerror], [onload]').length,
                      pwned: typeof window.__pwned + '/' + typeof d.defaultView.__pwned,
                      title: d.querySelector('.embed-header h1').textContent };",
            vec![],
        )
        .await;
    assert_eq!(check["bad"], 0, "{check}");
    assert_eq!(check["pwned"], "undefined/undefined", "{check}");
    assert_eq!(
        check["title"], "<img src=x onerror=\"parent.__pwned=1;window.__pwned=1\">",
        "{check}"
    );
    // The host page lists the results as text too.
    let steps = h.text_content("#demo-steps").await;
    assert!(steps.contains("line 3: ok"), "{steps}");

    assert_no_violations(&h, "hostile embed messages").await;
    h.close().await;
}
