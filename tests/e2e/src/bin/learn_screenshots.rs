//! Screenshots of the course for a person to look at as a learner would: the first level of
//! every chapter at desktop width and at 360 px — its top (introduction, goal), its editor with
//! the reference solution typed, and its boards — plus the course index.
//!
//! `KEYLINE_DIST=dist cargo run -p keyline-e2e --bin learn_screenshots -- OUT_DIR`

use std::time::Duration;

async fn scroll_to(h: &keyline_e2e::Harness, css: &str) {
    h.scroll_into_view(css).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let out = keyline_e2e::screenshot_dir("target/screenshots");
    let course = keyline_learn::Course::builtin();
    let mut firsts: Vec<&keyline_learn::Level> = Vec::new();
    for l in &course.levels {
        if firsts.last().is_none_or(|f| f.chapter != l.chapter) {
            firsts.push(l);
        }
    }
    let h = keyline_e2e::session().await;
    for (tag, width, height) in [("desktop", 1400, 1000), ("narrow", 360, 800)] {
        if let Err(e) = h.client.set_window_size(width, height).await {
            eprintln!("window size: {e}");
        }
        h.open("?fresh#learn").await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        h.save_screenshot(&out, &format!("learn-index-{tag}.png"))
            .await;
        for (i, level) in firsts.iter().enumerate() {
            // A fresh page per level: the learner's editor starts empty.
            h.open(&format!("?fresh{i}{tag}#learn={}", level.id)).await;
            tokio::time::sleep(Duration::from_millis(300)).await;
            let name = format!("learn-{:02}-{}-{tag}", i + 1, level.id);
            h.save_screenshot(&out, &format!("{name}-top.png")).await;
            scroll_to(&h, ".editor-panel").await;
            h.save_screenshot(&out, &format!("{name}-editor.png")).await;
            let area = h.wait_for("textarea#scenario").await;
            let _ = area.send_keys(&level.solution).await;
            scroll_to(&h, ".level-done").await;
            h.save_screenshot(&out, &format!("{name}-done.png")).await;
            scroll_to(&h, ".boards").await;
            h.save_screenshot(&out, &format!("{name}-boards.png")).await;
        }
    }
    h.close().await;
}
