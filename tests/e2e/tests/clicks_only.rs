//! The issue's acceptance scenario built with clicks alone — the "Add step" palette and the
//! board's quick actions, no typing: an encrypted disk, its snapshot, a disk from the snapshot,
//! attach, disable the key, detach, re-attach fails, enable, re-attach works.

use keyline_e2e::Harness;
use serde_json::json;

/// The editor's text.
async fn editor(h: &Harness) -> String {
    h.value("textarea#scenario").await
}

/// How many lines the editor holds (a final newline ends the last line).
async fn line_count(h: &Harness) -> usize {
    editor(h).await.lines().count()
}

/// Waits until the editor holds `n` lines, then checks the last is `line`.
async fn wait_last_line(h: &Harness, n: usize, line: &str) {
    h.wait_until(
        "const v = document.querySelector('textarea#scenario').value;
         return v.replace(/\\n$/, '').split('\\n').length === arguments[0];",
        vec![json!(n)],
        &format!("the editor holds {n} lines, the last `{line}`"),
    )
    .await;
    let text = editor(h).await;
    assert_eq!(text.lines().last(), Some(line), "{text:?}");
}

/// Picks a statement in the palette, checks its preview, and clicks "Add step".
async fn add_with_builder(h: &Harness, template: &str, picks: &[(&str, &str)], preview: &str) {
    h.click(&format!(
        r#"select#builder-statement option[value="{template}"]"#
    ))
    .await;
    h.wait_until(
        "return document.querySelector('select#builder-statement').value === arguments[0];",
        vec![json!(template)],
        &format!("the palette shows the {template} form"),
    )
    .await;
    for (field, value) in picks {
        h.click(&format!(
            r#"select#builder-{field} option[value="{value}"]"#
        ))
        .await;
        h.wait_until(
            "return document.querySelector('select#builder-' + arguments[0]).value === arguments[1];",
            vec![json!(field), json!(value)],
            &format!("{field} is {value}"),
        )
        .await;
    }
    h.wait_until(
        "const p = document.querySelector('[data-builder-preview]');
         return p !== null && p.textContent === arguments[0];",
        vec![json!(preview)],
        &format!("the preview shows `{preview}`"),
    )
    .await;
    let before = line_count(h).await;
    h.click("button[data-builder-add]:not([disabled])").await;
    wait_last_line(h, before + 1, preview).await;
}

/// Clicks a card's quick action (found by the line it inserts, `title`) and returns that line.
async fn quick_action(h: &Harness, card: &str, title_css: &str) -> String {
    let css = format!(r#"article[data-resource="{card}"] button{title_css}"#);
    let line = h
        .attr(&css, "title")
        .await
        .unwrap_or_else(|| panic!("{css} has no title"));
    let before = line_count(h).await;
    h.click(&css).await;
    wait_last_line(h, before + 1, &line).await;
    line
}

/// Attaches a detached disk with its card's attach picker: "Attach…" opens it, then the
/// server and the first button (as a data disk; the second attaches as system).
async fn attach_from_card(h: &Harness, disk: &str, server: &str) -> String {
    let card = format!(r#"article[data-resource="{disk}"]"#);
    h.click(&format!("{card} .attach button.attach-open")).await;
    h.click(&format!(
        r#"{card} .attach select option[value="{server}"]"#
    ))
    .await;
    let before = line_count(h).await;
    h.click(&format!("{card} .attach select + button")).await;
    let line = format!("attach {disk} {server}");
    wait_last_line(h, before + 1, &line).await;
    line
}

/// The verdict of a line as `outcome` or `outcome CODE`.
async fn verdict(h: &Harness, line: usize) -> String {
    let css = format!(r#"li.step[data-line="{line}"]"#);
    let outcome = h.attr(&css, "data-outcome").await.unwrap_or_default();
    match h.attr(&css, "data-code").await {
        Some(code) => format!("{outcome} {code}"),
        None => outcome,
    }
}

#[tokio::test]
async fn acceptance_scenario_with_clicks_only() {
    let h = keyline_e2e::session().await;
    h.open("").await;
    h.paste_scenario("").await;
    h.wait_until(
        "return document.querySelectorAll('[data-line]').length === 0
             && document.querySelectorAll('[data-resource]').length === 0;",
        vec![],
        "an empty scenario shows no statement and no resource",
    )
    .await;
    assert_eq!(editor(&h).await, "");

    // Setup with the palette: every new name is prefilled.
    add_with_builder(
        &h,
        "role",
        &[("role", "security-admin")],
        "role security-admin",
    )
    .await;
    add_with_builder(&h, "kms-grant", &[], "kms grant").await;
    add_with_builder(&h, "key-create", &[], "key create k1").await;
    add_with_builder(
        &h,
        "server-create",
        &[("launch", "public")],
        "server create web",
    )
    .await;
    add_with_builder(
        &h,
        "disk-create",
        &[("source", "empty"), ("encrypt", "k1")],
        "disk create d1 encrypt k1",
    )
    .await;
    // The new disk's card says it is encrypted with k1.
    h.wait_for(r#"article[data-resource="d1"][data-encryption="k1"][data-health="healthy"]"#)
        .await;

    // The rest with the board's quick actions.
    let snapshot = quick_action(
        &h,
        "d1",
        r#"[title^="snapshot create "][title$=" disk d1"]"#,
    )
    .await;
    let snap = snapshot
        .split(' ')
        .nth(2)
        .expect("a snapshot name")
        .to_owned();
    h.wait_for(&format!(
        r#"article[data-resource="{snap}"][data-kind="snapshot"][data-encryption="k1"]"#
    ))
    .await;
    let from_snap = quick_action(
        &h,
        &snap,
        &format!(r#"[title^="disk create "][title$=" from-snapshot {snap}"]"#),
    )
    .await;
    let disk = from_snap.split(' ').nth(2).expect("a disk name").to_owned();
    // The disk made from the snapshot inherits the key.
    h.wait_for(&format!(
        r#"article[data-resource="{disk}"][data-kind="disk"][data-encryption="k1"]"#
    ))
    .await;

    let attach = attach_from_card(&h, &disk, "web").await;
    let attach_line = line_count(&h).await;
    quick_action(&h, "k1", r#"[title="key disable k1"]"#).await;
    let disable_line = line_count(&h).await;
    h.wait_for(&format!(
        r#"article[data-resource="{disk}"][data-health="at-risk"]"#
    ))
    .await;
    quick_action(&h, &disk, &format!(r#"[title="detach {disk}"]"#)).await;
    let detach_line = line_count(&h).await;
    h.wait_for(&format!(
        r#"article[data-resource="{disk}"][data-health="unattachable"]"#
    ))
    .await;
    attach_from_card(&h, &disk, "web").await;
    let reattach_line = line_count(&h).await;
    quick_action(&h, "k1", r#"[title="key enable k1"]"#).await;
    let enable_line = line_count(&h).await;
    attach_from_card(&h, &disk, "web").await;
    let final_line = line_count(&h).await;

    // The whole scenario, as the clicks wrote it.
    let text = editor(&h).await;
    let want = format!(
        "role security-admin\nkms grant\nkey create k1\nserver create web\ndisk create d1 encrypt k1\n\
         {snapshot}\n{from_snap}\n{attach}\nkey disable k1\ndetach {disk}\n{attach}\nkey enable k1\n{attach}\n"
    );
    assert_eq!(text, want);

    // The verdicts.
    assert_eq!(verdict(&h, 5).await, "ok", "disk create d1 encrypt k1");
    assert_eq!(verdict(&h, attach_line).await, "ok", "first attach");
    assert_eq!(verdict(&h, disable_line).await, "warn KEY_IN_USE");
    assert_eq!(verdict(&h, detach_line).await, "warn REATTACH_WILL_FAIL");
    assert_eq!(verdict(&h, reattach_line).await, "fail KEY_UNAVAILABLE");
    assert_eq!(verdict(&h, enable_line).await, "ok");
    assert_eq!(verdict(&h, final_line).await, "ok", "the final attach");
    h.wait_for(&format!(
        r#"article[data-resource="{disk}"][data-health="healthy"]"#
    ))
    .await;
    assert!(
        h.text(&format!(r#"article[data-resource="{disk}"]"#))
            .await
            .contains("attached to web"),
        "the disk is attached at the end"
    );
    // Every statement on the page is as the engine judges it.
    let report = keyline_rules::evaluate(&text);
    assert_eq!(report.steps.len(), 13);
    for s in &report.steps {
        let want = match s.code {
            Some(c) => format!("{} {}", s.outcome, c.as_str()),
            None => s.outcome.to_string(),
        };
        assert_eq!(verdict(&h, s.line as usize).await, want, "line {}", s.line);
    }
    h.assert_clean_console().await;
    h.close().await;
}
