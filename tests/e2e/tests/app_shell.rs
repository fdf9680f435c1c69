//! The release build loads in a real browser, renders, and breaks no CSP rule.

#[tokio::test]
async fn release_build_renders_without_console_errors() {
    let h = keyline_e2e::session().await;
    h.open("").await;

    assert_eq!(h.text("header h1").await, "Keyline");
    h.wait_for("textarea#scenario").await;
    let summary = h.text("[data-summary]").await;
    assert!(
        summary.ends_with(" failed") && summary.contains(" passed, "),
        "summary {summary:?} is not `N passed, M failed`"
    );

    // The policy is really in force, so a clean console means it was respected.
    let csp = h
        .attr(r#"meta[http-equiv="Content-Security-Policy"]"#, "content")
        .await
        .unwrap_or_default();
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
        "{csp}"
    );
    h.assert_clean_console().await;

    h.close().await;
}

/// Guards the test above against passing vacuously: the page's policy really blocks an inline
/// script, and the harness really sees the violation in the console log.
#[tokio::test]
async fn inline_script_is_blocked_and_reported() {
    let h = keyline_e2e::session().await;
    h.open("").await;
    h.assert_clean_console().await;

    let ran = h
        .execute(
            "window.__inlineRan = false;
             const s = document.createElement('script');
             s.textContent = 'window.__inlineRan = true;';
             document.head.appendChild(s);
             return window.__inlineRan;",
            vec![],
        )
        .await;
    assert_eq!(ran, serde_json::Value::Bool(false), "an inline script ran");

    let log = h.browser_log().await;
    assert!(
        log.iter()
            .any(|e| e.level == "SEVERE" && e.message.contains("Content Security Policy")),
        "no CSP violation in the console log: {log:#?}"
    );

    h.close().await;
}

/// `set_scenario` replaces the editor text as typing would, and the app takes it without errors.
#[tokio::test]
async fn typing_replaces_the_scenario() {
    let h = keyline_e2e::session().await;
    h.open("").await;

    let text = "key create k1\nexpect k1 state enabled";
    h.set_scenario(text).await;
    let value = h
        .execute(
            "return document.querySelector('textarea#scenario').value;",
            vec![],
        )
        .await;
    assert_eq!(value.as_str(), Some(text));
    let summary = h.text("[data-summary]").await;
    assert!(summary.contains(" passed, "), "{summary:?}");
    h.assert_clean_console().await;

    h.close().await;
}
