//! The playground as a user meets it: typing, quick actions, autosave, links, fixes, time
//! travel, the rule dialog and parse-error suggestions, in the release build.
// A helper that cannot do its part fails its test with the reason; clippy.toml's
// allow-*-in-tests covers the #[test] functions only, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use keyline_e2e::Harness;
use serde_json::json;

/// What autosave keeps (`null` when nothing), decoded from its JSON string.
async fn saved(h: &Harness) -> Option<String> {
    let v = h
        .execute(
            "const v = localStorage.getItem('keyline.scenario');
             return v === null ? null : JSON.parse(v);",
            vec![],
        )
        .await;
    v.as_str().map(str::to_owned)
}

/// Waits until autosave holds `text`.
async fn wait_saved(h: &Harness, text: &str) {
    h.wait_until(
        "const v = localStorage.getItem('keyline.scenario');
         return v !== null && JSON.parse(v) === arguments[0];",
        vec![json!(text)],
        &format!("localStorage keyline.scenario holds {text:?}"),
    )
    .await;
}

/// The editor's text.
async fn editor(h: &Harness) -> String {
    h.value("textarea#scenario").await
}

/// Types at the caret of the editor, key by key.
async fn type_keys(h: &Harness, keys: &str) {
    h.wait_for("textarea#scenario")
        .await
        .send_keys(keys)
        .await
        .unwrap_or_else(|err| panic!("typing {keys:?}: {err}"));
}

/// `(line, outcome, code)` of every `[data-line]` on the page, in document order.
async fn verdicts(h: &Harness) -> Vec<(u32, String, Option<String>)> {
    let v = h
        .execute(
            "return Array.from(document.querySelectorAll('[data-line]')).map((e) =>
               [Number(e.getAttribute('data-line')), e.getAttribute('data-outcome'),
                e.getAttribute('data-code')]);",
            vec![],
        )
        .await;
    v.as_array()
        .expect("an array")
        .iter()
        .map(|r| {
            (
                u32::try_from(r[0].as_u64().expect("a line")).expect("line fits"),
                r[1].as_str().unwrap_or_default().to_owned(),
                r[2].as_str().map(str::to_owned),
            )
        })
        .collect()
}

/// The engine's verdicts for `text`, in the same shape.
fn engine_verdicts(text: &str) -> Vec<(u32, String, Option<String>)> {
    keyline_rules::evaluate(text)
        .steps
        .iter()
        .map(|s| {
            (
                s.line,
                s.outcome.to_string(),
                s.code.map(|c| c.as_str().to_owned()),
            )
        })
        .collect()
}

/// The CSS for a statement's row with this outcome (and code).
fn row(line: u32, outcome: &str, code: Option<&str>) -> String {
    match code {
        Some(c) => {
            format!(r#"li.step[data-line="{line}"][data-outcome="{outcome}"][data-code="{c}"]"#)
        }
        None => {
            format!(r#"li.step[data-line="{line}"][data-outcome="{outcome}"]:not([data-code])"#)
        }
    }
}

/// Navigates to a fresh page at `suffix` (a fragment-only change would not reload).
async fn reopen(h: &Harness, suffix: &str) {
    h.client.goto("about:blank").await.expect("about:blank");
    h.open(suffix).await;
}

const ENCRYPTED_AND_ATTACHED: &str = "role security-admin\nkms grant\nkey create k1\nserver create web\ndisk create d1 encrypt k1\nattach d1 web\n";

/// Asserts the editor still has the focus (typing goes on where it was).
async fn assert_editor_focused(h: &Harness, after: &str) {
    let focused = h
        .execute(
            "return document.activeElement === document.querySelector('textarea#scenario');",
            vec![],
        )
        .await;
    assert_eq!(
        focused,
        json!(true),
        "after typing {after:?} the editor lost the focus (the textarea was re-created?); \
         it holds {:?}",
        editor(h).await
    );
}

#[tokio::test]
async fn typing_re_evaluates_on_every_keystroke() {
    let h = keyline_e2e::session().await;
    h.open("").await;
    h.paste_scenario("key create k1\n").await;
    h.wait_for(&row(1, "ok", None)).await;
    assert!(h.find_all("[data-line=\"2\"]").await.is_empty());

    // Half a name is already judged: no such key yet.
    type_keys(&h, "key disable k").await;
    assert_editor_focused(&h, "key disable k").await;
    assert_eq!(editor(&h).await, "key create k1\nkey disable k");
    h.wait_for(&row(2, "fail", Some("UNKNOWN_RESOURCE"))).await;
    // One more key and the statement is right.
    type_keys(&h, "1").await;
    h.wait_for(&row(2, "ok", None)).await;
    // A second disable of a disabled key fails; the gutter says so too.
    type_keys(&h, "\nkey disable k1").await;
    assert_editor_focused(&h, "\nkey disable k1").await;
    let text = "key create k1\nkey disable k1\nkey disable k1";
    assert_eq!(editor(&h).await, text, "every typed key reached the editor");
    h.wait_for(&row(3, "fail", Some("KEY_STATE_INVALID"))).await;
    h.wait_for(r#"[data-gutter-line="3"].mark-fail"#).await;
    h.wait_for(r#"[data-gutter-line="2"].mark-ok"#).await;
    assert_eq!(verdicts(&h).await, engine_verdicts(text));
    h.assert_clean_console().await;
    h.close().await;
}

#[tokio::test]
async fn quick_action_appends_its_line_and_shows_its_verdict() {
    let h = keyline_e2e::session().await;
    h.open("").await;
    h.paste_scenario(ENCRYPTED_AND_ATTACHED).await;
    h.wait_for(&row(6, "ok", None)).await;
    assert!(h.find_all("[data-line=\"7\"]").await.is_empty());

    // The caret is at the end: the line is appended.
    h.click(r#"article[data-resource="k1"][data-kind="key"] button[title="key disable k1"]"#)
        .await;
    h.wait_for(&row(7, "warn", Some("KEY_IN_USE"))).await;
    let text = format!("{ENCRYPTED_AND_ATTACHED}key disable k1\n");
    assert_eq!(editor(&h).await, text);
    // The board follows: the key is disabled, the attached disk at risk.
    h.wait_for(r#"article[data-resource="k1"][data-state="disabled"]"#)
        .await;
    h.wait_for(r#"article[data-resource="d1"][data-health="at-risk"]"#)
        .await;
    // A quick action is an edit: it is saved.
    wait_saved(&h, &text).await;
    assert_eq!(verdicts(&h).await, engine_verdicts(&text));
    h.assert_clean_console().await;
    h.close().await;
}

#[tokio::test]
async fn quick_action_inserts_after_the_caret_line() {
    let h = keyline_e2e::session().await;
    h.open("").await;
    h.paste_scenario(ENCRYPTED_AND_ATTACHED).await;
    h.wait_for(&row(6, "ok", None)).await;
    // Put the caret at the end of line 5, `disk create d1 encrypt k1`, as a click there would.
    h.execute(
        "const area = document.querySelector('textarea#scenario');
         const at = area.value.split('\\n').slice(0, 5).join('\\n').length;
         area.focus();
         area.setSelectionRange(at, at);
         area.dispatchEvent(new MouseEvent('click', { bubbles: true }));",
        vec![],
    )
    .await;
    h.click(r#"article[data-resource="k1"] button[title="key disable k1"]"#)
        .await;
    // Inserted as line 6, before the attach, which now fails on the disabled key.
    let text = "role security-admin\nkms grant\nkey create k1\nserver create web\ndisk create d1 encrypt k1\nkey disable k1\nattach d1 web\n";
    h.wait_for(&row(7, "fail", Some("KEY_UNAVAILABLE"))).await;
    assert_eq!(editor(&h).await, text);
    h.wait_for(&row(6, "ok", None)).await;
    assert_eq!(verdicts(&h).await, engine_verdicts(text));
    h.close().await;
}

#[tokio::test]
async fn reload_restores_the_autosaved_text() {
    let h = keyline_e2e::session().await;
    h.open("").await;
    let text =
        "title Kept across reloads ✓\nkey create k1\nkey disable k1\nexpect k1 state disabled\n";
    h.paste_scenario(text).await;
    wait_saved(&h, text).await;
    h.client.refresh().await.expect("reload");
    h.wait_for("[data-app-ready]").await;
    assert_eq!(editor(&h).await, text);
    assert_eq!(h.text("[data-summary]").await, "1 passed, 0 failed");
    assert_eq!(verdicts(&h).await, engine_verdicts(text));
    // A new visit (no fragment) opens it too.
    reopen(&h, "").await;
    assert_eq!(editor(&h).await, text);
    h.assert_clean_console().await;
    h.close().await;
}

/// A scenario with every outcome.
const MIXED: &str = "title Every outcome\nrole security-admin\nkms grant\nkey create k1\nserver create web\ndisk create d1 encrypt k1\nattach d1 web\nkey disable k1\nexpect warn KEY_IN_USE\ndetach d1\nattach d1 web\nexpect fail KEY_UNAVAILABLE\ndisk encrypt d1 k1\nkey enable k1\nattach d1 web\nexpect d1 health healthy\n";

#[tokio::test]
async fn links_open_their_scenario_without_replacing_the_saved_one() {
    let h = keyline_e2e::session().await;
    h.open("").await;
    let mine = "title My own work\nkey create mine\n";
    h.paste_scenario(mine).await;
    wait_saved(&h, mine).await;

    let want = engine_verdicts(MIXED);
    let outcomes: Vec<&str> = want.iter().map(|v| v.1.as_str()).collect();
    assert!(
        outcomes.contains(&"ok") && outcomes.contains(&"warn") && outcomes.contains(&"fail"),
        "{want:?}"
    );
    for link in [
        format!("#s={}", keyline_link::encode_plain(MIXED)),
        format!("#z={}", keyline_link::encode_deflate(MIXED)),
    ] {
        reopen(&h, &link).await;
        assert_eq!(editor(&h).await, MIXED, "{link}");
        assert_eq!(verdicts(&h).await, want, "{link}");
        assert_eq!(h.text("[data-summary]").await, "3 passed, 0 failed");
        assert!(h.find_all("[role=alert]").await.is_empty());
        // Opening a link saved nothing.
        assert_eq!(saved(&h).await.as_deref(), Some(mine), "{link}");
    }
    // Without a link, the saved work is back.
    reopen(&h, "").await;
    assert_eq!(editor(&h).await, mine);
    h.assert_clean_console().await;
    h.close().await;
}

#[tokio::test]
async fn broken_links_alert_and_keep_the_saved_text() {
    let h = keyline_e2e::session().await;
    h.open("").await;
    let mine = "title Precious\nkey create k1\nexpect ok\n";
    h.paste_scenario(mine).await;
    wait_saved(&h, mine).await;

    // `!!!` is not base64url; `_w` is the byte 0xFF, which is not UTF-8.
    for link in ["#z=!!!", "#s=_w"] {
        reopen(&h, link).await;
        let alert = h.text("[role=alert]").await;
        assert!(!alert.trim().is_empty(), "{link}: the alert is empty");
        assert!(alert.contains("link"), "{link}: {alert:?}");
        assert_eq!(editor(&h).await, mine, "{link}");
        assert_eq!(saved(&h).await.as_deref(), Some(mine), "{link}");
        assert_eq!(h.text("[data-summary]").await, "1 passed, 0 failed");
    }

    // The same while the page is open (hashchange).
    reopen(&h, "").await;
    assert!(h.find_all("[role=alert]").await.is_empty());
    h.execute("location.hash = '#z=!!!';", vec![]).await;
    let alert = h.text("[role=alert]").await;
    assert!(alert.contains("link"), "{alert:?}");
    assert_eq!(editor(&h).await, mine);
    assert_eq!(saved(&h).await.as_deref(), Some(mine));
    h.close().await;
}

#[tokio::test]
async fn applying_a_fix_turns_the_statement_ok() {
    let h = keyline_e2e::session().await;
    h.open("").await;
    // Scenario 06: the key is pending deletion, so the attach fails.
    let text = "role security-admin\nkms grant\nkey create k1\nserver create web\ndisk create d1 encrypt k1\nkey schedule-deletion k1 7\nattach d1 web\n";
    let fix = keyline_rules::evaluate(text).steps[6]
        .fix
        .clone()
        .expect("the engine offers a fix");
    assert_eq!(fix.len(), 2, "{fix:?}");
    h.paste_scenario(text).await;
    h.wait_for(&row(7, "fail", Some("KEY_UNAVAILABLE"))).await;
    // The fix block shows the lines it will insert.
    let block = h.text(r#"li.step[data-line="7"] .fix"#).await;
    for line in &fix {
        assert!(block.contains(line.as_str()), "{block:?} lacks {line:?}");
    }

    h.click(r#"li.step[data-line="7"] button[data-apply-fix="7"]"#)
        .await;
    // The attach is now two lines lower, and ok.
    h.wait_for(&row(9, "ok", None)).await;
    let fixed = format!(
        "role security-admin\nkms grant\nkey create k1\nserver create web\ndisk create d1 encrypt k1\nkey schedule-deletion k1 7\n{}\n{}\nattach d1 web\n",
        fix[0], fix[1]
    );
    assert_eq!(editor(&h).await, fixed);
    assert_eq!(
        h.text(r#"li.step[data-line="9"] code.statement"#).await,
        "attach d1 web"
    );
    assert!(
        verdicts(&h).await.iter().all(|v| v.1 == "ok"),
        "{:?}",
        verdicts(&h).await
    );
    assert!(h.find_all("[data-apply-fix]").await.is_empty());
    h.wait_for(r#"article[data-resource="d1"][data-health="healthy"]"#)
        .await;
    wait_saved(&h, &fixed).await;
    h.assert_clean_console().await;
    h.close().await;
}

/// Moves the time-travel slider as a user's drag would (value, then an input event).
async fn travel(h: &Harness, to: usize) {
    h.wait_for("input#timeline").await;
    h.execute(
        "const t = document.querySelector('input#timeline');
         t.value = String(arguments[0]);
         t.dispatchEvent(new InputEvent('input', { bubbles: true }));",
        vec![json!(to)],
    )
    .await;
}

#[tokio::test]
async fn time_travel_shows_earlier_states_and_returns_to_live() {
    let h = keyline_e2e::session().await;
    let text = "role security-admin\nkms grant\nkey create k1\ndisk create d1 encrypt k1\nsnapshot create s1 disk d1\nkey disable k1\n";
    h.open(&format!("#s={}", keyline_link::encode_plain(text)))
        .await;
    // Live: after all 6 statements.
    let live_title = h.text_content("#board-title").await;
    assert!(!live_title.contains("time travel"), "{live_title:?}");
    assert_eq!(h.attr("input#timeline", "max").await.as_deref(), Some("6"));
    h.wait_for(r#"[data-resource="k1"][data-state="disabled"]"#)
        .await;
    h.wait_for(r#"[data-resource="d1"][data-health="unattachable"]"#)
        .await;
    h.wait_for(r#"[data-resource="s1"]"#).await;

    // After statement 4: the key still enabled, the disk healthy, no snapshot yet.
    travel(&h, 4).await;
    h.wait_for(r#"[data-resource="k1"][data-state="enabled"]"#)
        .await;
    assert_eq!(
        h.text_content("#board-title").await,
        "Resources after statement 4 (time travel)"
    );
    assert_eq!(
        h.text_content("[data-timeline-label]").await,
        "After statement 4 of 6 (line 4)"
    );
    assert_eq!(
        h.attr(r#"[data-resource="d1"]"#, "data-health")
            .await
            .as_deref(),
        Some("healthy")
    );
    assert!(h.find_all(r#"[data-resource="s1"]"#).await.is_empty());
    // The statements after that point are marked as the future.
    assert_eq!(h.find_all("li.step.future").await.len(), 2);
    // Quick actions are off while looking at the past.
    assert!(h
        .find_all(r#"[data-resource="k1"] button[title]"#)
        .await
        .is_empty());

    // Before the first statement: nothing exists.
    travel(&h, 0).await;
    h.wait_for("[data-timeline-label]").await;
    assert_eq!(
        h.text_content("[data-timeline-label]").await,
        "Before the first statement"
    );
    assert!(h.find_all("[data-resource]").await.is_empty());
    assert!(h.text_content("#board-title").await.contains("time travel"));

    // Back to live, by moving the slider to the end.
    travel(&h, 6).await;
    h.wait_for(r#"[data-resource="k1"][data-state="disabled"]"#)
        .await;
    h.wait_for(r#"[data-resource="s1"]"#).await;
    assert!(!h.text_content("#board-title").await.contains("time travel"));
    assert!(h.find_all("li.step.future").await.is_empty());
    assert_eq!(editor(&h).await, text, "time travel never edits the text");
    h.assert_clean_console().await;
    h.close().await;
}

#[tokio::test]
async fn the_rule_dialog_shows_the_rule() {
    let h = keyline_e2e::session().await;
    let text = "role security-admin\nkms grant\nkey create k1\nserver create web\ndisk create d1 encrypt k1\nattach d1 web\nkey disable k1\ndetach d1\nattach d1 web\n";
    let report = keyline_rules::evaluate(text);
    let step = &report.steps[8];
    assert_eq!(step.line, 9);
    let info = step.rule.info();
    h.open(&format!("#s={}", keyline_link::encode_plain(text)))
        .await;
    assert!(h.find_all("[role=dialog]").await.is_empty());
    assert_eq!(
        h.text(r#"li.step[data-line="9"] button.rule"#).await,
        info.id
    );
    h.click(r#"li.step[data-line="9"] button.rule"#).await;

    let dialog = format!(r#"[role=dialog][data-rule="{}"]"#, info.id);
    let shown = h.text(&dialog).await;
    assert!(shown.contains(info.id), "{shown:?}");
    assert!(shown.contains(info.text), "{shown:?} lacks {:?}", info.text);
    assert!(
        shown.contains(info.quote),
        "{shown:?} lacks {:?}",
        info.quote
    );
    // Only that rule's dialog.
    assert_eq!(h.find_all("[role=dialog]").await.len(), 1);

    // Escape closes it.
    let focused = h
        .execute("return document.activeElement.textContent;", vec![])
        .await;
    assert_eq!(focused, json!("Close"), "the dialog's button has the focus");
    h.client
        .active_element()
        .await
        .expect("focused element")
        .send_keys(&Key::Escape.to_string())
        .await
        .expect("Escape");
    h.wait_until(
        "return document.querySelector('[role=dialog]') === null;",
        vec![],
        "the dialog closed on Escape",
    )
    .await;

    // Another step's rule, closed with its button.
    h.click(r#"li.step[data-line="8"] button.rule"#).await;
    let rule8 = report.steps[7].rule.info();
    h.wait_for(&format!(r#"[role=dialog][data-rule="{}"]"#, rule8.id))
        .await;
    h.click("[role=dialog] button").await;
    h.wait_until(
        "return document.querySelector('[role=dialog]') === null;",
        vec![],
        "the dialog closed on its button",
    )
    .await;
    h.assert_clean_console().await;
    h.close().await;
}

/// Opening and closing a rule's dialog is a look aside: the page around it stays as it was — the
/// editor scrolled where it was, an open what-if panel still open.
#[tokio::test]
async fn the_rule_dialog_leaves_the_page_as_it_was() {
    let h = keyline_e2e::session().await;
    let mut text =
        String::from("role security-admin\nkms grant\nkey create k1\nserver create web\n");
    for i in 1..=40 {
        text.push_str(&format!("disk create d{i} encrypt k1\nattach d{i} web\n"));
    }
    h.open(&format!("#s={}", keyline_link::encode_plain(&text)))
        .await;
    h.click(r#"article[data-resource="k1"] > button.link"#)
        .await;
    h.wait_for(".whatif").await;
    let scrolled = h
        .execute(
            "const s = document.querySelector('.editor-scroll');
             s.scrollTop = s.scrollHeight;
             return s.scrollTop;",
            vec![],
        )
        .await
        .as_f64()
        .expect("scrollTop");
    assert!(scrolled > 100.0, "the editor scrolls ({scrolled})");

    h.click(r#"li.step[data-line="3"] button.rule"#).await;
    h.wait_for("[role=dialog]").await;
    h.click("[role=dialog] button").await;
    h.wait_until(
        "return document.querySelector('[role=dialog]') === null;",
        vec![],
        "the dialog closed",
    )
    .await;

    assert!(
        !h.find_all(".whatif").await.is_empty(),
        "the what-if panel closed when a rule dialog was opened"
    );
    let after = h
        .execute(
            "return document.querySelector('.editor-scroll').scrollTop;",
            vec![],
        )
        .await
        .as_f64()
        .expect("scrollTop");
    assert_eq!(after, scrolled, "the editor lost its scroll position");
    h.close().await;
}

/// The highlighted copy under the transparent textarea stays in register with it: on a line
/// longer than the editor is wide, pressing End must not slide the textarea's text (and its
/// caret and selection) away from the highlighted text the user reads.
#[tokio::test]
async fn the_highlight_overlay_follows_the_caret_on_long_lines() {
    let h = keyline_e2e::session().await;
    let title = "title A long title line that goes on and on and on, well past the right edge of the editor box, to the very end";
    let text = format!("{title}\nkey create k1\n");
    h.open(&format!("#s={}", keyline_link::encode_plain(&text)))
        .await;
    let wide = h
        .execute(
            "const box = document.querySelector('.editor-scroll');
             const p = document.querySelector('pre.highlight');
             return p.getBoundingClientRect().width > box.clientWidth;",
            vec![],
        )
        .await;
    assert_eq!(
        wide,
        json!(true),
        "the first line is wider than the editor box"
    );
    // The caret on line 1, then a real End key.
    h.execute(
        "const t = document.querySelector('textarea#scenario');
         t.focus();
         t.setSelectionRange(5, 5);",
        vec![],
    )
    .await;
    // Pressed as a keyboard would, where the focus is: chromedriver's element send-keys first
    // puts the caret at the end of a textarea it thinks unfocused (Chromium 148).
    let end: char = Key::End.into();
    h.client
        .perform_actions(
            KeyActions::new("keyboard".to_owned())
                .then(KeyAction::Down { value: end })
                .then(KeyAction::Up { value: end }),
        )
        .await
        .expect("End");
    let caret = h
        .execute(
            "return document.querySelector('textarea#scenario').selectionStart;",
            vec![],
        )
        .await;
    assert_eq!(
        caret,
        json!(title.chars().count()),
        "the caret is at the end of line 1"
    );
    // Where the textarea draws its first character, and where the overlay draws it.
    let shift = h
        .execute(
            "const t = document.querySelector('textarea#scenario');
             const p = document.querySelector('pre.highlight');
             const text = t.getBoundingClientRect().left - t.scrollLeft;
             const shown = p.getBoundingClientRect().left - p.scrollLeft;
             return [text, shown, t.scrollLeft];",
            vec![],
        )
        .await;
    let (text_x, shown_x) = (shift[0].as_f64().expect("x"), shift[1].as_f64().expect("x"));
    assert!(
        (text_x - shown_x).abs() < 1.0,
        "the textarea's text starts at x={text_x} but the highlighted text at x={shown_x} \
         (textarea scrollLeft {}): the caret is drawn over the wrong characters",
        shift[2]
    );
    h.close().await;
}

#[tokio::test]
async fn a_parse_error_suggestion_fixes_the_word() {
    let h = keyline_e2e::session().await;
    h.open("").await;
    let text = "key create k1\nkey disabel k1\nexpect k1 state disabled\n";
    let report = keyline_rules::evaluate(text);
    let error = &report.errors[0];
    assert_eq!(error.suggestion.as_deref(), Some("disable"));
    h.paste_scenario(text).await;

    let item = format!(
        r#"li[data-error-line="2"][data-error-code="{}"]"#,
        error.code.as_str()
    );
    let shown = h.text(&item).await;
    assert!(shown.contains("2:5"), "{shown:?}");
    assert!(shown.contains("disabel"), "{shown:?}");
    // The other lines are still judged; the bad one is not a statement.
    h.wait_for(&row(1, "ok", None)).await;
    assert!(h.find_all("[data-line=\"2\"]").await.is_empty());
    h.wait_for(r#"[data-gutter-line="2"].mark-error"#).await;

    h.click(&format!("{item} button")).await;
    h.wait_for(&row(2, "ok", None)).await;
    let fixed = "key create k1\nkey disable k1\nexpect k1 state disabled\n";
    assert_eq!(editor(&h).await, fixed);
    assert!(h.find_all("[data-error-line]").await.is_empty());
    assert_eq!(h.text("[data-summary]").await, "1 passed, 0 failed");
    wait_saved(&h, fixed).await;
    h.assert_clean_console().await;
    h.close().await;
}

/// Guards `verdicts`/`engine_verdicts` against comparing nothing.
#[test]
fn engine_verdicts_cover_the_mixed_scenario() {
    let v = engine_verdicts(MIXED);
    assert_eq!(v.len(), 12);
    assert_eq!(v[6], (8, "warn".into(), Some("KEY_IN_USE".into())));
    assert_eq!(v[8], (11, "fail".into(), Some("KEY_UNAVAILABLE".into())));
    assert_eq!(
        v[9],
        (13, "fail".into(), Some("ENCRYPTION_IMMUTABLE".into()))
    );
    assert_eq!(v[11], (15, "ok".into(), None));
}
