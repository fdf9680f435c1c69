//! Accessibility, measured: axe-core (WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best
//! practices) finds nothing on the app at first load and with every panel, dialog and view a
//! user opens, nor on each embed view, at a desktop width and at 360 px (a phone). The harness
//! injects axe through WebDriver (see `Harness::assert_accessible`).

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use keyline_e2e::Harness;
use serde_json::json;

/// The widths checked: a desktop window and a phone's.
const DESKTOP: (u32, u32) = (1280, 800);
const PHONE: (u32, u32) = (360, 740);

/// The sample scenario with a parse error (and its suggestion) and a `time` left to travel.
const WITH_A_TYPO: &str = "role security-admin\nkms grant\nkey create k1\nserver create web\ndisk create d1 encrypt k1\nattach d1 web\nkey disabel k1\n";

/// Resources whose names overflow a lineage node's box.
const LONG_NAMES: &str = "role security-admin\nkms grant\nkey create a-key-with-a-rather-long-name\nserver create web\ndisk create a-disk-name-far-too-long-for-its-box encrypt a-key-with-a-rather-long-name\nattach a-disk-name-far-too-long-for-its-box web\nsnapshot create s1 disk a-disk-name-far-too-long-for-its-box\ndetach a-disk-name-far-too-long-for-its-box\n";

/// A Terraform plan the import panel previews in its two parts (prior state, planned changes).
const PLAN: &str = include_str!("../../terraform/key-disabled-attached.json");
/// An API response the import panel previews as a scenario.
const API_OUTPUT: &str = include_str!("../../import/account-kms.json");

async fn sized(width_height: (u32, u32)) -> Harness {
    let h = keyline_e2e::session().await;
    let (width, height) = width_height;
    h.client
        .set_window_size(width, height)
        .await
        .unwrap_or_else(|err| panic!("resizing the window to {width}×{height}: {err}"));
    h
}

/// Navigates to a fresh page at `suffix` (a fragment-only change would not reload).
async fn reopen(h: &Harness, suffix: &str) {
    h.client
        .goto("about:blank")
        .await
        .unwrap_or_else(|err| panic!("about:blank: {err}"));
    h.open(suffix).await;
}

/// Emulates `prefers-color-scheme: dark` (or the default, light).
async fn dark(h: &Harness, on: bool) {
    let value = if on { "dark" } else { "light" };
    h.cdp(
        "Emulation.setEmulatedMedia",
        json!({ "features": [{ "name": "prefers-color-scheme", "value": value }] }),
    )
    .await;
    h.wait_until(
        "return matchMedia('(prefers-color-scheme: dark)').matches === arguments[0];",
        vec![json!(on)],
        &format!("the page sees the {value} scheme"),
    )
    .await;
}

/// Pastes `json` into the open import panel and waits for its preview.
async fn import(h: &Harness, json: &str, preview: &str) {
    h.execute(
        "const area = document.querySelector('#import-json');
         area.value = arguments[0];
         area.dispatchEvent(new InputEvent('input', { bubbles: true }));",
        vec![json!(json)],
    )
    .await;
    h.wait_for(preview).await;
}

/// Every state of the full app a user reaches, checked at `size`.
async fn the_whole_app(size: (u32, u32)) {
    let h = sized(size).await;
    let at = format!("{}×{}", size.0, size.1);
    h.open("").await;
    h.wait_for("svg [data-node]").await;
    h.wait_for("[data-summary]").await;
    h.assert_accessible(&format!("the app at first load ({at})"))
        .await;
    // The dark scheme (`prefers-color-scheme: dark`) has its own colours.
    dark(&h, true).await;
    h.assert_accessible(&format!("the app at first load, dark ({at})"))
        .await;
    dark(&h, false).await;

    // The rule dialog.
    h.click(".step .rule").await;
    h.wait_for("[role=dialog][data-rule]").await;
    h.assert_accessible(&format!("the rule dialog ({at})"))
        .await;
    h.click("[role=dialog] button").await;

    // A graph node picked: its chain highlighted, its line selected.
    h.click("svg [data-node]").await;
    h.wait_for("svg .node.on-chain").await;
    h.assert_accessible(&format!("a graph node picked ({at})"))
        .await;

    // A card selected and its key's what-if panel, on each of its tabs.
    h.click(r#"[data-resource="k1"] h4"#).await;
    h.click(r#"[data-resource="k1"] > button.link"#).await;
    h.wait_for(".whatif").await;
    for tab in 1..=3 {
        h.click(&format!(".whatif .tabs button:nth-child({tab})"))
            .await;
        h.assert_accessible(&format!("the what-if panel, tab {tab} ({at})"))
            .await;
    }
    h.click(".whatif > button.link").await;

    // An attach picker open on a card.
    if !h.find_all(".attach button.attach-open").await.is_empty() {
        h.click(".attach button.attach-open").await;
        h.wait_for(".attach select").await;
        h.assert_accessible(&format!("a card's attach picker ({at})"))
            .await;
    }

    // The builder with a statement form picked.
    h.click(r#"select#builder-statement option[value="disk-create"]"#)
        .await;
    h.wait_for("[data-builder-preview]").await;
    h.assert_accessible(&format!("the builder's disk form ({at})"))
        .await;

    // The embed snippet and the history.
    h.click("nav [data-embed]").await;
    h.wait_for("#embed-snippet").await;
    h.click("[data-history-toggle]").await;
    h.wait_for(".history").await;
    h.assert_accessible(&format!("the embed snippet and history ({at})"))
        .await;
    h.click(".snippet button.link").await;
    h.click("[data-history-toggle]").await;

    // The examples gallery.
    h.click(".examples-button").await;
    h.wait_for("[data-example]").await;
    h.assert_accessible(&format!("the examples gallery ({at})"))
        .await;
    h.click(".examples-button").await;

    // The import panel: empty, with an API response, with a Terraform plan, with bad JSON.
    h.click("[data-import-toggle]").await;
    h.wait_for("#import-json").await;
    h.assert_accessible(&format!("the import panel ({at})"))
        .await;
    import(&h, API_OUTPUT, "[data-import-preview]").await;
    h.assert_accessible(&format!("an imported API response ({at})"))
        .await;
    import(&h, PLAN, "[data-import-plan]").await;
    h.assert_accessible(&format!("an imported Terraform plan ({at})"))
        .await;
    import(&h, "{\"volumes\": [", "[data-import-error]").await;
    h.assert_accessible(&format!("an import error ({at})"))
        .await;

    // Time travel, with the later statements marked as the future.
    h.execute(
        "const t = document.getElementById('timeline');
         t.value = '3';
         t.dispatchEvent(new InputEvent('input', { bubbles: true }));",
        vec![],
    )
    .await;
    h.wait_for("li.step.future").await;
    let untagged = h
        .execute(
            "return Array.from(document.querySelectorAll('li.step.future'))
               .filter((e) => Array.from(e.querySelectorAll('.step-head > span'))
                 .every((tag) => tag.textContent !== 'later'))
               .length;",
            vec![],
        )
        .await;
    assert_eq!(untagged, json!(0), "every later line says so in words");
    h.assert_accessible(&format!("time travel ({at})")).await;

    // Names too long for a graph node's box: the node's name still holds what it shows.
    reopen(
        &h,
        &format!("#s={}", keyline_link::encode_plain(LONG_NAMES)),
    )
    .await;
    h.wait_for(r#"svg [data-node-name="a-disk-name-far-too-long-for-its-box"]"#)
        .await;
    h.assert_accessible(&format!("graph nodes with long names ({at})"))
        .await;

    // A parse error with its suggestion, a failing expectation, completions open.
    reopen(
        &h,
        &format!("#s={}", keyline_link::encode_plain(WITH_A_TYPO)),
    )
    .await;
    h.wait_for("[data-error-line]").await;
    h.assert_accessible(&format!("a parse error and its suggestion ({at})"))
        .await;
    h.wait_for("textarea#scenario")
        .await
        .send_keys("key d")
        .await
        .unwrap_or_else(|err| panic!("typing: {err}"));
    h.assert_accessible(&format!("the editor while completing a word ({at})"))
        .await;
    h.assert_clean_console().await;
    h.close().await;
}

#[tokio::test]
async fn the_app_passes_axe_at_desktop_width() {
    the_whole_app(DESKTOP).await;
}

#[tokio::test]
async fn the_app_passes_axe_at_phone_width() {
    the_whole_app(PHONE).await;
}

/// Each embed view (SPEC §7), read-only or not, with its rule dialog open where it has one.
async fn every_embed(size: (u32, u32)) {
    let h = sized(size).await;
    let at = format!("{}×{}", size.0, size.1);
    for view in [
        "",
        "&view=board",
        "&view=graph",
        "&readonly=1",
        "&view=board&readonly=1",
        "&view=graph&readonly=1",
    ] {
        let what = format!("?embed=1{view} ({at})");
        reopen(&h, &format!("?embed=1{view}")).await;
        h.wait_for("[data-summary]").await;
        h.assert_accessible(&what).await;
        dark(&h, true).await;
        h.assert_accessible(&format!("{what}, dark")).await;
        dark(&h, false).await;
        if !h.find_all(".step .rule").await.is_empty() {
            h.click(".step .rule").await;
            h.wait_for("[role=dialog][data-rule]").await;
            h.assert_accessible(&format!("the rule dialog in {what}"))
                .await;
            h.click("[role=dialog] button").await;
        }
    }
    h.assert_clean_console().await;
    h.close().await;
}

#[tokio::test]
async fn every_embed_view_passes_axe_at_desktop_width() {
    every_embed(DESKTOP).await;
}

#[tokio::test]
async fn every_embed_view_passes_axe_at_phone_width() {
    every_embed(PHONE).await;
}

/// The check itself can fail: a page with an image without a text alternative, a button with no
/// name and a form field with no label is reported, each by its rule.
#[tokio::test]
async fn axe_reports_what_it_finds() {
    let h = keyline_e2e::session().await;
    h.open("").await;
    h.execute(
        "const bad = document.createElement('div');
         bad.innerHTML = '<img src=\"favicon.svg\"><button type=\"button\"></button><input type=\"text\">';
         document.querySelector('main').appendChild(bad);",
        vec![],
    )
    .await;
    let violations = h.axe_violations().await;
    let ids: Vec<&str> = violations.iter().filter_map(|v| v["id"].as_str()).collect();
    for rule in ["image-alt", "button-name", "label"] {
        assert!(ids.contains(&rule), "axe missed {rule}: {ids:?}");
    }
    h.close().await;
}

/// Presses `key` (with Shift held when `shift`) wherever the focus is, as a keyboard would.
async fn press_with(h: &Harness, key: char, shift: bool) {
    let mut keys = KeyActions::new("keyboard".to_owned());
    if shift {
        keys = keys.then(KeyAction::Down {
            value: Key::Shift.into(),
        });
    }
    keys = keys
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    if shift {
        keys = keys.then(KeyAction::Up {
            value: Key::Shift.into(),
        });
    }
    h.client
        .perform_actions(keys)
        .await
        .unwrap_or_else(|err| panic!("pressing {key:?}: {err}"));
}

async fn press(h: &Harness, key: Key) {
    press_with(h, key.into(), false).await;
}

/// Whether the focused element matches `css`.
async fn focused(h: &Harness, css: &str) -> bool {
    h.execute(
        "const a = document.activeElement; return a !== null && a.matches(arguments[0]);",
        vec![json!(css)],
    )
    .await
        == json!(true)
}

/// A short description of the focused element, for messages.
async fn focus_shown(h: &Harness) -> String {
    let v = h
        .execute(
            "const a = document.activeElement;
             return a === null ? 'nothing' : a.outerHTML.slice(0, 160);",
            vec![],
        )
        .await;
    v.as_str().unwrap_or_default().to_owned()
}

/// Presses Tab until the focus is on an element matching `css`; panics after 400 presses (the
/// element is not in the tab order). Every stop on the way shows a focus indicator.
async fn tab_to(h: &Harness, css: &str) {
    for _ in 0..400 {
        if focused(h, css).await {
            return;
        }
        press(h, Key::Tab).await;
        let outline = h
            .execute(
                "const a = document.activeElement;
                 if (a === null || a === document.body) return true;
                 const ring = (e) => {
                   const s = getComputedStyle(e);
                   return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
                     || s.boxShadow !== 'none';
                 };
                 // A graph node shows its focus by its box's thicker stroke; the editor's
                 // transparent textarea by its scrolling frame (:focus-within).
                 const rect = a.querySelector(':scope > rect');
                 if (rect !== null) return parseFloat(getComputedStyle(rect).strokeWidth) >= 3;
                 const frame = a.closest('.editor-scroll');
                 return ring(a) || (frame !== null && ring(frame));",
                vec![],
            )
            .await;
        assert_eq!(
            outline,
            json!(true),
            "no visible focus indicator on {}",
            focus_shown(h).await
        );
    }
    panic!(
        "Tab never reached `{css}`; the focus is on {}",
        focus_shown(h).await
    );
}

/// Waits until the editor's last line is `line`.
async fn wait_last_line(h: &Harness, line: &str) {
    h.wait_until(
        "const v = document.querySelector('textarea#scenario').value.replace(/\\n$/, '');
         return v.split('\\n').pop() === arguments[0];",
        vec![json!(line)],
        &format!("the editor's last line is `{line}`"),
    )
    .await;
}

/// The flows a mouse user has, by keyboard alone: the builder adds a step, a card's quick
/// action, the rule dialog (focus moves in, stays in, and comes back), a graph node, time
/// travel with the arrow keys, and the examples gallery (Escape closes it). Every stop of the
/// focus shows an indicator.
#[tokio::test]
async fn the_main_flows_work_by_keyboard_alone() {
    let h = keyline_e2e::session().await;
    h.open("").await;
    h.wait_for("svg [data-node]").await;

    // The builder: choose "key create" with the arrow keys, Tab to "Add step", Enter.
    tab_to(&h, "select#builder-statement").await;
    press(&h, Key::Home).await;
    for _ in 0..60 {
        if h.value("select#builder-statement").await == "key-create" {
            break;
        }
        press(&h, Key::Down).await;
    }
    assert_eq!(h.value("select#builder-statement").await, "key-create");
    h.wait_until(
        "const p = document.querySelector('[data-builder-preview]');
         return p !== null && p.textContent.startsWith('key create ');",
        vec![],
        "the builder previews a key creation",
    )
    .await;
    let preview = h.text_content("[data-builder-preview]").await;
    tab_to(&h, "button[data-builder-add]").await;
    press(&h, Key::Enter).await;
    wait_last_line(&h, &preview).await;

    // A card's quick action: Enter on "key disable k1".
    let quick = r#"article[data-resource="k1"] button[title="key disable k1"]"#;
    tab_to(&h, quick).await;
    press(&h, Key::Enter).await;
    wait_last_line(&h, "key disable k1").await;

    // The rule dialog: Enter opens it with the focus on Close, Tab keeps the focus inside,
    // Escape closes it and the focus goes back to the rule's button.
    tab_to(&h, "li.step button.rule").await;
    let rule = h
        .execute("return document.activeElement.textContent;", vec![])
        .await;
    press(&h, Key::Enter).await;
    h.wait_for("[role=dialog][data-rule]").await;
    assert!(focused(&h, "[role=dialog] button").await);
    press(&h, Key::Tab).await;
    assert!(
        focused(&h, "[role=dialog] *").await,
        "Tab left the modal dialog for {}",
        focus_shown(&h).await
    );
    press_with(&h, Key::Tab.into(), true).await;
    assert!(focused(&h, "[role=dialog] *").await, "Shift+Tab left it");
    press(&h, Key::Escape).await;
    h.wait_until(
        "return document.querySelector('[role=dialog]') === null;",
        vec![],
        "Escape closed the dialog",
    )
    .await;
    assert!(
        focused(&h, "li.step button.rule").await,
        "after the dialog the focus is on {}",
        focus_shown(&h).await
    );
    assert_eq!(
        h.execute("return document.activeElement.textContent;", vec![])
            .await,
        rule
    );

    // A graph node: Enter picks it and highlights its chain.
    tab_to(&h, "svg [data-node]").await;
    press(&h, Key::Enter).await;
    h.wait_for("svg .node.on-chain").await;

    // Time travel: the slider moves with the arrow keys, and back to the end.
    tab_to(&h, "input#timeline").await;
    press(&h, Key::Left).await;
    h.wait_for("li.step.future").await;
    assert!(h
        .text_content("[data-timeline-label]")
        .await
        .starts_with("After statement "));
    press(&h, Key::End).await;
    h.wait_until(
        "return document.querySelector('li.step.future') === null;",
        vec![],
        "End travels back to live",
    )
    .await;

    // The examples gallery: Enter opens it, Escape closes it and the focus is back on it.
    tab_to(&h, "summary.examples-button").await;
    press(&h, Key::Enter).await;
    h.wait_until(
        "return document.querySelector('details.examples').open;",
        vec![],
        "Enter opened the gallery",
    )
    .await;
    tab_to(&h, "button[data-example]").await;
    press(&h, Key::Escape).await;
    h.wait_until(
        "return !document.querySelector('details.examples').open;",
        vec![],
        "Escape closed the gallery",
    )
    .await;
    assert!(focused(&h, "summary.examples-button").await);
    // An example opened by keyboard replaces the text.
    press(&h, Key::Enter).await;
    tab_to(&h, "button[data-example]").await;
    let example = h
        .execute("return document.activeElement.dataset.example;", vec![])
        .await;
    press(&h, Key::Enter).await;
    h.wait_until(
        "return !document.querySelector('details.examples').open;",
        vec![],
        "opening an example closed the gallery",
    )
    .await;
    assert!(example.is_string(), "{example}");
    h.assert_clean_console().await;
    h.close().await;
}
