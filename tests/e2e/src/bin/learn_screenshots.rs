//! Screenshots of the course for a person to look at as a learner would: the first level of
//! every chapter at desktop width and at 360 px — its top (introduction, goal), its editor with
//! the reference solution typed, and its boards — plus the course index.
//!
//! `KEYLINE_DIST=dist cargo run -p keyline-e2e --bin learn_screenshots -- OUT_DIR`

use serde_json::json;
use std::path::{Path, PathBuf};
use std::time::Duration;

async fn save(h: &keyline_e2e::Harness, out: &Path, name: &str) {
    match h.client.screenshot().await {
        Ok(png) => {
            let path = out.join(name);
            match std::fs::write(&path, png) {
                Ok(()) => println!("{}", path.display()),
                Err(e) => eprintln!("{}: {e}", path.display()),
            }
        }
        Err(e) => eprintln!("{name}: {e}"),
    }
}

async fn scroll_to(h: &keyline_e2e::Harness, css: &str) {
    h.execute(
        "const e = document.querySelector(arguments[0]); if (e) e.scrollIntoView(); return true;",
        vec![json!(css)],
    )
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "target/screenshots".into()),
    );
    if let Err(e) = std::fs::create_dir_all(&out) {
        eprintln!("cannot create {}: {e}", out.display());
        std::process::exit(2);
    }
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
        save(&h, &out, &format!("learn-index-{tag}.png")).await;
        for (i, level) in firsts.iter().enumerate() {
            // A fresh page per level: the learner's editor starts empty.
            h.open(&format!("?fresh{i}{tag}#learn={}", level.id)).await;
            tokio::time::sleep(Duration::from_millis(300)).await;
            let name = format!("learn-{:02}-{}-{tag}", i + 1, level.id);
            save(&h, &out, &format!("{name}-top.png")).await;
            scroll_to(&h, ".editor-panel").await;
            save(&h, &out, &format!("{name}-editor.png")).await;
            let area = h.wait_for("textarea#scenario").await;
            let _ = area.send_keys(&level.solution).await;
            scroll_to(&h, ".level-done").await;
            save(&h, &out, &format!("{name}-done.png")).await;
            scroll_to(&h, ".boards").await;
            save(&h, &out, &format!("{name}-boards.png")).await;
        }
    }
    h.close().await;
}
