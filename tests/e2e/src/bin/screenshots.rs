//! Screenshots of the release build for a person to look at: the app at desktop width and at
//! 360 px, the embed, and — on the 18-resource Auto Scaling example — the lineage graph, the
//! timeline moved back, and the what-if panel of a key; and the docs demo page
//! (`<keyline-scenario>`: code, board, graph, a line's details), written as PNG files.
//!
//! `KEYLINE_DIST=dist cargo run -p keyline-e2e --bin screenshots -- OUT_DIR`

use std::time::Duration;

/// (file name, window width, window height, URL suffix, a CSS selector to scroll to).
const SHOTS: &[(&str, u32, u32, &str, Option<&str>)] = &[
    ("desktop.png", 1400, 1000, "", None),
    ("desktop-board.png", 1400, 1000, "", Some(".board")),
    ("desktop-graph.png", 1400, 1000, "", Some(".graph-panel")),
    ("narrow.png", 360, 800, "", None),
    ("narrow-results.png", 360, 800, "", Some(".results")),
    ("narrow-board.png", 360, 800, "", Some(".board")),
    ("embed.png", 700, 600, "?embed=1", None),
    ("embed-narrow.png", 360, 640, "?embed=1&view=board", None),
];

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let out = keyline_e2e::screenshot_dir("screenshots");
    let h = keyline_e2e::session().await;
    for (name, width, height, suffix, scroll) in SHOTS {
        if let Err(e) = h.client.set_window_size(*width, *height).await {
            eprintln!("{name}: window size: {e}");
        }
        h.open(suffix).await;
        if let Some(css) = scroll {
            h.scroll_into_view(css).await;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        h.save_screenshot(&out, name).await;
    }

    // The richest example: the graph, an earlier step, a key's what-if.
    let example = include_str!("../../../../web/examples/11-auto-scaling-data-disks.kl");
    let link = format!("#z={}", keyline_link::encode_deflate(example));
    let shots: [(&str, &str); 3] = [
        (
            "example-graph.png",
            "document.querySelector('.graph-panel').scrollIntoView();",
        ),
        (
            "example-timeline.png",
            "const t = document.querySelector('#timeline');
             t.value = Math.floor(Number(t.max) / 2);
             t.dispatchEvent(new Event('input', { bubbles: true }));
             document.querySelector('.graph-panel').scrollIntoView();",
        ),
        (
            "example-what-if.png",
            "const b = Array.from(document.querySelectorAll('.board button'))
               .find((b) => b.textContent.startsWith('What if'));
             b.click();
             setTimeout(() => document.querySelector('.whatif').scrollIntoView(), 0);",
        ),
    ];
    let _ = h.client.set_window_size(1400, 1000).await;
    // A long generated scenario: rows beyond the first cards, the graph on request.
    let long = keyline_rules::generate::workload(2_500);
    h.open("?fresh").await;
    h.open(&format!("#z={}", keyline_link::encode_deflate(&long)))
        .await;
    h.execute(
        "document.querySelector('.compact-list').scrollIntoView(); return true;",
        vec![],
    )
    .await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    h.save_screenshot(&out, "long-rows.png").await;
    h.execute(
        "document.querySelector('.graph-panel').scrollIntoView(); return true;",
        vec![],
    )
    .await;
    h.save_screenshot(&out, "long-graph.png").await;
    for (name, script) in shots {
        // A fresh page each time: opening the same link again would only be a hash change.
        h.open("?fresh").await;
        h.open(&link).await;
        h.execute(&format!("{script} return true;"), vec![]).await;
        tokio::time::sleep(Duration::from_millis(400)).await;
        h.save_screenshot(&out, name).await;
    }

    // The docs demo page: its first elements, a board and a graph, an open line's details.
    let _ = h.client.set_window_size(1000, 1200).await;
    let demo = format!("{}docs-demo.html", h.base_url);
    let demo_shots: [(&str, &str); 4] = [
        (
            "docs-demo.png",
            "document.getElementById('grant').scrollIntoView();",
        ),
        (
            "docs-demo-board.png",
            "document.getElementById('choose').scrollIntoView();",
        ),
        (
            "docs-demo-graph.png",
            "document.getElementById('images').scrollIntoView();",
        ),
        (
            "docs-demo-details.png",
            "const e = document.getElementById('disable');
             e.scrollIntoView();
             const s = e.parentElement.querySelector('keyline-scenario').shadowRoot
               .querySelector('[data-outcome=fail] summary');
             s.focus();
             s.click();",
        ),
    ];
    for (name, script) in demo_shots {
        if let Err(e) = h.client.goto(&demo).await {
            eprintln!("{name}: {e}");
            continue;
        }
        h.wait_until(
            "const all = Array.from(document.querySelectorAll('keyline-scenario'));
             return all.length > 0 && all.every((e) => e.dataset.state === 'ready');",
            vec![],
            "every element of docs-demo.html rendered",
        )
        .await;
        h.execute(&format!("{script} return true;"), vec![]).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        h.save_screenshot(&out, name).await;
    }
    h.close().await;
}
