//! Keyline's engine for pages and documentation pipelines: a thin wasm-bindgen wrapper over
//! `keyline-rules` (and the renderer) that the `<keyline-scenario>` element and the
//! `keyline-engine` npm package load.
//!
//! The boundary is strings only: a scenario text goes in, JSON comes out. That keeps the glue
//! small (no serde-wasm-bindgen, no JavaScript object building in Rust) and makes the output
//! exactly what the CLI prints: [`evaluate`] is `keyline run --json`'s serialisation of the
//! same [`Report`]. Nothing here decides an outcome or writes a sentence; it only serialises.
//!
//! [`render`] is `keyline_render::render_scenario` (the same fragment as `keyline render`) with
//! the summary's text, for the element's `data-summary`.
//!
//! No function traps: a text over [`keyline_link::MAX_TEXT`] bytes or a serialisation failure
//! is an error object `{"error": {"code", "message"}}`, never a panic (the release profile
//! aborts on panic, which would stop every element of the page).

use keyline_render::{render_scenario, RenderOptions, Rendered, View};
use keyline_rules::{Report, Summary};
use serde::Serialize;
use wasm_bindgen::prelude::wasm_bindgen;

/// The largest scenario accepted, in UTF-8 bytes: a `#z=` link's limit, so that every
/// accepted scenario also opens in the full app.
pub const MAX_TEXT: usize = keyline_link::MAX_TEXT;

/// Why a call gave no result: the `error` member of the error object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// `TEXT_TOO_LARGE` or `INTERNAL`.
    pub code: &'static str,
    /// A sentence for people, shown by the element inside itself.
    pub message: String,
}

#[derive(Serialize)]
struct ErrorObject<'a> {
    error: &'a Failure,
}

impl Failure {
    fn too_large(bytes: usize) -> Self {
        Failure {
            code: "TEXT_TOO_LARGE",
            message: format!(
                "The scenario is {bytes} bytes; the limit is {MAX_TEXT} bytes (1 MB). Split it into smaller examples."
            ),
        }
    }

    /// `{"error":{"code":…,"message":…}}`.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&ErrorObject { error: self }).unwrap_or_else(|_| {
            // Two plain strings always serialise; this is only for the type checker's sake.
            "{\"error\":{\"code\":\"INTERNAL\",\"message\":\"serialisation failed\"}}".to_owned()
        })
    }
}

/// Refuses texts over [`MAX_TEXT`] before the engine sees them.
fn checked(text: &str) -> Result<&str, Failure> {
    if text.len() > MAX_TEXT {
        Err(Failure::too_large(text.len()))
    } else {
        Ok(text)
    }
}

fn to_json<T: Serialize>(value: &T) -> Result<String, Failure> {
    serde_json::to_string(value).map_err(|err| Failure {
        code: "INTERNAL",
        message: format!("The result could not be serialised: {err}"),
    })
}

/// The report of `text`, or why there is none.
pub fn report(text: &str) -> Result<Report, Failure> {
    checked(text).map(keyline_rules::evaluate)
}

/// The JSON of `keyline run --json` for `text` (compact rather than pretty: the same value),
/// or an error object.
#[wasm_bindgen]
pub fn evaluate(text: &str) -> String {
    report(text)
        .and_then(|r| to_json(&r))
        .unwrap_or_else(|f| f.to_json())
}

/// The renderer's result with the summary's text (`N passed, M failed`, the engine's
/// [`Summary`] display), which the element reflects as `data-summary`.
#[derive(Serialize)]
struct RenderedWithSummary<'a> {
    #[serde(flatten)]
    rendered: &'a Rendered,
    summary: String,
}

/// The renderer's fragment for `text` as JSON: `{html, passed, failed, steps: [{line,
/// outcome, code}], summary}`, or an error object. `view` is `code`, `board` or `graph` (any
/// other word is `code`); `app_url` (empty for none) adds the "Open in Keyline" link.
#[wasm_bindgen]
pub fn render(text: &str, view: &str, app_url: &str) -> String {
    let options = RenderOptions {
        view: View::parse(view),
        app_url: Some(app_url.trim())
            .filter(|u| !u.is_empty())
            .map(str::to_owned),
    };
    checked(text)
        .map(|text| render_scenario(text, &options))
        .and_then(|rendered| {
            to_json(&RenderedWithSummary {
                summary: Summary {
                    passed: rendered.passed,
                    failed: rendered.failed,
                }
                .to_string(),
                rendered: &rendered,
            })
        })
        .unwrap_or_else(|f| f.to_json())
}

/// The largest scenario [`evaluate`] and [`render`] accept, in UTF-8 bytes.
#[wasm_bindgen(js_name = maxText)]
pub fn max_text() -> usize {
    MAX_TEXT
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn parse(json: &str) -> Value {
        serde_json::from_str(json).expect("valid JSON")
    }

    #[test]
    fn evaluate_is_the_cli_report() {
        let text = "key create k1\nkey disable k1\nexpect k1 state enabled\nkey frobnicate\n";
        let report = keyline_rules::evaluate(text);
        let expected = serde_json::to_value(&report).expect("report");
        assert_eq!(parse(&evaluate(text)), expected);
        assert_eq!(expected["summary"]["failed"], 1);
        assert_eq!(expected["errors"][0]["line"], 4);
    }

    #[test]
    fn oversized_text_is_an_error_object() {
        let text = "#".repeat(MAX_TEXT + 1);
        let value = parse(&evaluate(&text));
        assert_eq!(value["error"]["code"], "TEXT_TOO_LARGE");
        assert!(value["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains(&(MAX_TEXT + 1).to_string())));
        // At the limit it is evaluated.
        let at_limit = "#".repeat(MAX_TEXT);
        assert_eq!(parse(&evaluate(&at_limit))["version"], 1);
    }

    #[test]
    fn render_is_the_renderers_fragment_with_the_summary() {
        let text = "key create k1\nkey disable k1\nexpect k1 state enabled\n";
        let value = parse(&render(text, "board", "https://keyline.example/"));
        let rendered = render_scenario(
            text,
            &RenderOptions {
                view: View::Board,
                app_url: Some("https://keyline.example/".to_owned()),
            },
        );
        assert_eq!(value["html"], rendered.html.as_str());
        assert_eq!(
            value["summary"],
            keyline_rules::evaluate(text).summary.to_string()
        );
        assert_eq!(
            (value["passed"].clone(), value["failed"].clone()),
            (0.into(), 1.into())
        );
        assert_eq!(value["steps"].as_array().map(Vec::len), Some(2));
        assert!(rendered.html.contains("#z="));
        // No app address, no link; an unknown view is the code view.
        let plain = parse(&render(text, "nonsense", ""));
        assert!(!plain["html"].as_str().unwrap_or_default().contains("#z="));
        assert_eq!(plain["html"], parse(&render(text, "code", ""))["html"]);
        let big = parse(&render(&"#".repeat(MAX_TEXT + 1), "code", ""));
        assert_eq!(big["error"]["code"], "TEXT_TOO_LARGE");
    }

    /// The npm package's types name every word the report can hold.
    #[test]
    fn the_package_types_name_every_value() {
        let dts = include_str!("../npm/index.d.ts");
        let quoted = |w: &str| format!("\"{w}\"");
        let mut words: Vec<&str> = Vec::new();
        words.extend(keyline_rules::Code::ALL.iter().map(|c| c.as_str()));
        words.extend(keyline_rules::RuleId::ALL.iter().map(|r| r.as_str()));
        words.extend(keyline_rules::KeyState::ALL.iter().map(|s| s.as_str()));
        words.extend(keyline_rules::Health::ALL.iter().map(|s| s.as_str()));
        words.extend(keyline_rules::Power::ALL.iter().map(|s| s.as_str()));
        words.extend(keyline_rules::Role::ALL.iter().map(|s| s.as_str()));
        words.extend(keyline_rules::DiskRole::ALL.iter().map(|s| s.as_str()));
        for word in words {
            assert!(dts.contains(&quoted(word)), "index.d.ts lacks {word}");
        }
        assert!(dts.contains("export function evaluate(text: string): Report;"));
    }

    #[test]
    fn hostile_text_is_a_report() {
        for text in [
            "\u{202e}key create <b>\0",
            "\u{feff}",
            "",
            "expect",
            "\r\n\r\n",
        ] {
            assert!(parse(&evaluate(text))["steps"].is_array(), "{text:?}");
        }
    }
}
