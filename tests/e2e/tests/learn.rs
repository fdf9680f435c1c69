//! The course in the release build: a level completed by keyboard alone, progress kept across a
//! reload, the course index, `#learn-pack=` links (valid, broken, oversized) and axe-core.
// Helpers outside #[tokio::test] functions fail the test with the reason (clippy.toml's
// allow-*-in-tests does not reach them).
#![allow(clippy::expect_used)]

use fantoccini::key::Key;
use serde_json::json;

fn course() -> Vec<keyline_learn::Level> {
    keyline_learn::Course::builtin().levels
}

fn first() -> keyline_learn::Level {
    course().first().expect("the course has levels").clone()
}

async fn done_attr(h: &keyline_e2e::Harness, id: &str) -> Option<String> {
    h.attr(&format!("[data-level=\"{id}\"]"), "data-level-done")
        .await
}

/// Types `text` into the learner's editor key by key, as a learner would (WebDriver's send
/// keys focuses the textarea first: no click).
async fn type_lines(h: &keyline_e2e::Harness, text: &str) {
    let area = h.wait_for("textarea#scenario").await;
    area.send_keys(text).await.expect("typing");
}

/// Types the level's solution and waits until its page says it is done.
async fn solve(h: &keyline_e2e::Harness, level: &keyline_learn::Level) {
    type_lines(h, &level.solution).await;
    h.wait_for(&format!(
        "[data-level=\"{}\"][data-level-done=\"true\"]",
        level.id
    ))
    .await;
}

/// What the page's storage holds under `key` (null when nothing).
async fn stored(h: &keyline_e2e::Harness, key: &str) -> serde_json::Value {
    h.execute(
        "return localStorage.getItem(arguments[0]);",
        vec![json!(key)],
    )
    .await
}

/// The autosaved scenario and the course progress, as stored.
async fn scenario_and_progress(h: &keyline_e2e::Harness) -> (serde_json::Value, serde_json::Value) {
    (
        stored(h, "keyline.scenario").await,
        stored(h, "keyline.learn.progress").await,
    )
}

#[tokio::test]
async fn a_level_is_done_by_keyboard_and_progress_survives_a_reload() {
    let h = keyline_e2e::session().await;
    let level = first();
    h.open(&format!("#learn={}", level.id)).await;
    assert_eq!(done_attr(&h, &level.id).await.as_deref(), Some("false"));
    // The start is shown read-only above the learner's (empty) editor.
    assert_eq!(h.value("textarea#scenario").await, "");
    solve(&h, &level).await;
    let count = h.attr("[data-learner-count]", "data-learner-count").await;
    let reference = keyline_learn::grade(&level, "").reference;
    assert_eq!(
        h.attr("[data-reference-count]", "data-reference-count")
            .await,
        Some(reference.to_string())
    );
    assert!(count.is_some());
    // The next level is offered, and followed by keyboard.
    let next = h.wait_for("[data-next-level]").await;
    next.send_keys(&Key::Enter.to_string())
        .await
        .expect("Enter on the link");
    h.wait_until(
        "return !!document.querySelector('[data-level]:not([data-level=\"' + arguments[0] + '\"])');",
        vec![json!(level.id)],
        "the next level opens",
    )
    .await;
    // A reload keeps the progress: the index marks the level done.
    h.open("#learn").await;
    h.client.refresh().await.expect("reload");
    h.wait_for("[data-course-index]").await;
    let done = format!("[data-index-level=\"{}\"][data-done=\"true\"]", level.id);
    h.wait_for(&done).await;
    // The playground's autosave was never written by the level.
    let saved = stored(&h, "keyline.scenario").await;
    assert_eq!(saved, serde_json::Value::Null, "{saved}");
    h.assert_clean_console().await;
    h.close().await;
}

#[tokio::test]
async fn the_course_index_lists_every_level_by_chapter() {
    let h = keyline_e2e::session().await;
    h.open("").await;
    h.click("[data-nav=\"learn\"]").await;
    h.wait_for("[data-course-index]").await;
    let levels = h.find_all("[data-index-level]").await;
    assert_eq!(levels.len(), course().len());
    let chapters = h.find_all(".chapter").await;
    let levels = course();
    let mut names: Vec<&str> = levels.iter().map(|l| l.chapter.as_str()).collect();
    names.dedup();
    assert_eq!(chapters.len(), names.len());
    // An unknown level says so and shows the index.
    h.open("#learn=no-such-level").await;
    assert!(h.text("[role=alert]").await.contains("no-such-level"));
    h.wait_for("[data-course-index]").await;
    h.assert_clean_console().await;
    h.close().await;
}

#[tokio::test]
async fn a_pack_link_opens_its_levels_and_a_broken_one_touches_nothing() {
    let h = keyline_e2e::session().await;
    let level = first();
    let pack = keyline_learn::pack(&[level.to_text().as_str()]).expect("a level packs");
    h.open(&format!("#learn-pack={pack}")).await;
    h.wait_for(&format!("[data-index-level=\"{}\"]", level.id))
        .await;
    h.click(&format!("[data-index-level=\"{}\"] a", level.id))
        .await;
    h.wait_for(&format!("[data-level=\"{}\"]", level.id)).await;

    // Saved progress and an autosaved scenario, then broken and oversized links.
    h.open("").await;
    h.set_scenario("key create k1\n").await;
    h.execute(
        "localStorage.setItem('keyline.learn.progress', arguments[0]);",
        vec![json!(keyline_learn::Progress::default().to_json())],
    )
    .await;
    let before = scenario_and_progress(&h).await;
    let huge = keyline_link::encode_deflate(&"x".repeat(keyline_link::MAX_TEXT + 10));
    for bad in [
        "#learn-pack=%%%not-base64",
        "#learn-pack=AAAA",
        &format!("#learn-pack={huge}"),
    ] {
        h.open(bad).await;
        h.wait_for("[data-pack-error][role=alert]").await;
        let after = scenario_and_progress(&h).await;
        assert_eq!(before, after, "{bad}");
    }
    h.close().await;
}

#[tokio::test]
async fn corrupted_progress_is_reset_with_a_notice() {
    let h = keyline_e2e::session().await;
    h.open("").await;
    h.execute(
        "localStorage.setItem('keyline.learn.progress', '{not json');",
        vec![],
    )
    .await;
    // Opening the course reads the progress: it is reset, and the notice says so.
    h.open("#learn").await;
    let notice = h.text("[data-progress-notice]").await;
    assert!(notice.contains("reset"), "{notice}");
    h.wait_for("[data-course-index]").await;
    let stored = stored(&h, "keyline.learn.progress").await;
    assert!(
        keyline_learn::Progress::from_json(stored.as_str().unwrap_or_default()).is_ok(),
        "{stored}"
    );
    h.close().await;
}

#[tokio::test]
async fn the_level_page_has_no_axe_violations_on_desktop_or_at_360_px() {
    let h = keyline_e2e::session().await;
    let level = first();
    for (width, height) in [(1400, 1000), (360, 800)] {
        h.client
            .set_window_size(width, height)
            .await
            .expect("window size");
        h.open(&format!("?w={width}#learn={}", level.id)).await;
        h.wait_for(&format!("[data-level=\"{}\"]", level.id)).await;
        h.assert_accessible(&format!("the level page at {width} px"))
            .await;
        // Done, with every hint (and its statements' previews) and the solution open: every
        // part of the page.
        solve(&h, &level).await;
        for _ in &level.hints {
            h.click("[data-hint-next]").await;
        }
        if level
            .hints
            .iter()
            .any(|hint| !keyline_learn::hint_statements(hint).is_empty())
        {
            h.wait_for("[data-hint-preview] [data-hint-add]").await;
        }
        h.click("[data-show-solution]").await;
        h.assert_accessible(&format!("the level page done at {width} px"))
            .await;
        // Nothing is wider than the window.
        let overflow = h
            .execute(
                "return document.documentElement.scrollWidth - window.innerWidth;",
                vec![],
            )
            .await;
        assert!(
            overflow.as_i64().unwrap_or(0) <= 0,
            "{width} px: {overflow}"
        );
        h.open(&format!("?w={width}#learn")).await;
        h.wait_for("[data-course-index]").await;
        h.assert_accessible(&format!("the course index at {width} px"))
            .await;
    }
    h.close().await;
}

#[tokio::test]
async fn progress_is_exported_reset_and_imported_as_a_file() {
    let h = keyline_e2e::session().await;
    let level = first();
    h.open(&format!("#learn={}", level.id)).await;
    solve(&h, &level).await;
    h.open("#learn").await;
    let done = format!("[data-index-level=\"{}\"][data-done=\"true\"]", level.id);
    h.wait_for(&done).await;
    let exported = h.downloaded("progress").await;
    let progress = keyline_learn::Progress::from_json(&exported).expect("exported progress reads");
    assert!(progress.is_done(&level.id));
    // Reset asks first.
    h.click("[data-progress-reset]").await;
    h.click("[data-progress-reset-confirm]").await;
    let undone = format!("[data-index-level=\"{}\"][data-done=\"false\"]", level.id);
    h.wait_for(&undone).await;
    // Import the exported file.
    let path = std::env::temp_dir().join(format!("keyline-progress-{}.json", std::process::id()));
    std::fs::write(&path, &exported).expect("write the exported file");
    let input = h.wait_for("[data-progress-import]").await;
    input
        .send_keys(&path.display().to_string())
        .await
        .expect("choose the file");
    h.wait_for(&done).await;
    let _ = std::fs::remove_file(&path);
    h.assert_clean_console().await;
    h.close().await;
}

#[tokio::test]
async fn the_playground_makes_a_level_from_the_lines_around_the_caret() {
    let h = keyline_e2e::session().await;
    h.open("").await;
    h.set_scenario(
        "role security-admin\nkms grant\nkey create k1\ndisk create d1 encrypt k1\nexpect d1 encrypted k1\n",
    )
    .await;
    // The caret to line 4: lines 1-3 become the start.
    let area = h.wait_for("textarea#scenario").await;
    let up = Key::Up.to_string();
    area.send_keys(&format!("{up}{up}"))
        .await
        .expect("caret up");
    let file = h.downloaded("level").await;
    let level = keyline_learn::Level::parse(&file).expect("the draft reads as a level");
    assert_eq!(level.start, "role security-admin\nkms grant\nkey create k1");
    assert_eq!(level.solution.trim(), "disk create d1 encrypt k1");
    assert_eq!(level.checks.len(), 1);
    // Its one-level pack opens as a level, and the saved scenario is not touched by it.
    h.click("[data-level-pack-link]").await;
    let page = format!("[data-level=\"{}\"][data-level-done=\"false\"]", level.id);
    h.wait_for(&page).await;
    solve(&h, &level).await;
    h.close().await;
}

/// A hint's "Add this line" by keyboard: Enter on the button appends the statement after the
/// learner's lines, focus stays on the button, and the preview is the engine's again.
#[tokio::test]
async fn a_hints_line_is_added_by_keyboard_and_focus_stays() {
    let h = keyline_e2e::session().await;
    let level = first();
    let (at, statement) = level
        .hints
        .iter()
        .enumerate()
        .find_map(|(i, hint)| {
            keyline_learn::hint_statements(hint)
                .first()
                .map(|s| (i, s.to_string()))
        })
        .expect("a hint of the first level quotes a statement");
    h.open(&format!("#learn={}", level.id)).await;
    type_lines(&h, "# mine").await;
    for _ in 0..=at {
        let next = h.wait_for("[data-hint-next]").await;
        next.send_keys(&Key::Enter.to_string())
            .await
            .expect("Enter on the hint button");
    }
    let add = format!("[data-hint-add=\"{statement}\"]");
    let button = h.wait_for(&add).await;
    button
        .send_keys(&Key::Enter.to_string())
        .await
        .expect("Enter on Add this line");
    h.wait_until(
        "return document.querySelector('textarea#scenario').value === arguments[0];",
        vec![json!(format!("# mine\n{statement}\n"))],
        "the hint's line is appended",
    )
    .await;
    let focused = h
        .execute(
            "return document.activeElement && document.activeElement.getAttribute('data-hint-add');",
            vec![],
        )
        .await;
    assert_eq!(focused, json!(statement), "focus stays on the button");
    h.assert_clean_console().await;
    h.close().await;
}
