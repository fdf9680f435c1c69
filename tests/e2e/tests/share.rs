//! Share links, history and report downloads in the release build.

use serde_json::json;

const A: &str =
    "title Version A for history\nkey create k1\nkey disable k1\nexpect k1 state disabled\n";
const B: &str = "title Version B from a link\nrole security-admin\nkms grant\nkey create k9\ndisk create d encrypt k9\nexpect ok\n";

async fn scenario(h: &keyline_e2e::Harness) -> String {
    h.execute("return document.querySelector('#scenario').value;", vec![])
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn share_link_round_trip() {
    let h = keyline_e2e::session().await;
    h.open("").await;
    let text = "title Shared é ✓\nrole security-admin\nkms grant\nkey create k1\ndisk create d1 encrypt k1\nexpect d1 encrypted k1\n";
    h.set_scenario(text).await;
    h.client
        .find(fantoccini::Locator::Css("[data-share]"))
        .await
        .expect("share button")
        .click()
        .await
        .expect("click");
    // A visible confirmation (the link copied, or the link to copy by hand).
    let note = h.text(".notice").await;
    assert!(
        note.contains("Link copied") || note.contains("#z="),
        "{note}"
    );
    let hash = h.execute("return location.hash;", vec![]).await;
    let hash = hash.as_str().unwrap_or_default().to_owned();
    assert!(hash.starts_with("#z="), "{hash}");
    assert_eq!(
        keyline_link::decode_fragment(&hash),
        Ok(keyline_link::Fragment::Scenario(text.to_owned()))
    );
    // The link reopens the exact text in a fresh page.
    h.client.goto("about:blank").await.expect("blank");
    let url = format!("{}{hash}", h.base_url);
    h.client.goto(&url).await.expect("goto");
    h.wait_for("[data-summary]").await;
    assert_eq!(scenario(&h).await, text);
    assert_eq!(h.text("[data-summary]").await, "1 passed, 0 failed");
    h.assert_clean_console().await;
    h.close().await;
}

#[tokio::test]
async fn history_keeps_the_text_a_link_replaced() {
    let h = keyline_e2e::session().await;
    h.open("").await;
    h.set_scenario(A).await;
    // A link replaces the text; A is kept in history.
    let link = format!("#s={}", keyline_link::encode_plain(B));
    h.execute("location.hash = arguments[0];", vec![json!(link)])
        .await;
    for _ in 0..50 {
        if scenario(&h).await == B {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(scenario(&h).await, B);
    h.client
        .find(fantoccini::Locator::Css("[data-history-toggle]"))
        .await
        .expect("history button")
        .click()
        .await
        .expect("click");
    let entries = h.find_all("[data-history]").await;
    assert!(!entries.is_empty());
    let mut restored = false;
    for e in entries {
        if e.text()
            .await
            .unwrap_or_default()
            .contains("Version A for history")
        {
            e.find(fantoccini::Locator::Css("button"))
                .await
                .expect("restore button")
                .click()
                .await
                .expect("click");
            restored = true;
            break;
        }
    }
    assert!(restored, "version A is in the history panel");
    assert_eq!(scenario(&h).await, A);
    assert_eq!(h.text("[data-summary]").await, "1 passed, 0 failed");
    h.close().await;
}

#[tokio::test]
async fn report_downloads_equal_the_cli() {
    let h = keyline_e2e::session().await;
    h.open("").await;
    let text = "title Ticket 4711 <b>markup</b>\nkey create k1\nkey schedule-deletion k1 7\nserver create web\nattach web-sys web\nkey disable k1\nexpect fail\nexpect k1 state enabled\n";
    h.set_scenario(text).await;
    let report = keyline_rules::evaluate(text);
    // `keyline run --markdown` prints exactly `Report::to_markdown` (tested in crates/cli).
    assert_eq!(h.downloaded("markdown").await, report.to_markdown());
    // `keyline run --json` prints exactly this (tested in crates/cli).
    let json = serde_json::to_string_pretty(&report).expect("json") + "\n";
    assert_eq!(h.downloaded("json").await, json);
    h.close().await;
}
