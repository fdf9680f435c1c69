//! The code block: every source line in order, each statement with its verdict mark and, on
//! demand (`<details>`), its rule, sentence, provenance and fix; each expectation passed or
//! failed; each parse error on its line. Then the footer: the summary and the app link.

use crate::escape;
use keyline_rules::{ExpectationReport, Outcome, ParseError, Report, Step};
use std::collections::BTreeMap;
use std::fmt::Write;

/// What the report says about each line, by line number.
struct ByLine<'r> {
    steps: BTreeMap<u32, &'r Step>,
    expectations: BTreeMap<u32, &'r ExpectationReport>,
    errors: BTreeMap<u32, Vec<&'r ParseError>>,
}

impl<'r> ByLine<'r> {
    fn new(report: &'r Report) -> Self {
        let mut errors: BTreeMap<u32, Vec<&ParseError>> = BTreeMap::new();
        for e in &report.errors {
            errors.entry(e.line).or_default().push(e);
        }
        ByLine {
            steps: report.steps.iter().map(|s| (s.line, s)).collect(),
            expectations: report.expectations.iter().map(|e| (e.line, e)).collect(),
            errors,
        }
    }
}

/// The lines of `source` as the engine numbers them: split at `\n`, a trailing `\r` and a
/// leading byte-order mark dropped. The empty line after a final line end is not shown.
pub fn source_lines(source: &str) -> Vec<&str> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let mut lines: Vec<&str> = source
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    if lines.len() > 1 && lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
}

/// The verdict mark: a symbol and words, never colour alone.
pub fn outcome_mark(step: &Step) -> String {
    let symbol = match step.outcome {
        Outcome::Ok => "✓",
        Outcome::Warn => "⚠",
        Outcome::Fail => "✗",
    };
    match step.code {
        Some(code) => format!("{symbol} {} {}", step.outcome.as_str(), code.as_str()),
        None => format!("{symbol} {}", step.outcome.as_str()),
    }
}

/// The `<ol>` of every source line.
pub fn code_block(out: &mut String, source: &str, report: &Report) {
    let by = ByLine::new(report);
    out.push_str("<ol class=\"kl-code\" aria-label=\"Scenario\">");
    let lines = source_lines(source);
    let mut last = 0u32;
    for (i, text) in lines.iter().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        line(out, n, text, &by);
        last = n;
    }
    // Anything the report places beyond the text's lines is still shown, never dropped.
    let beyond: std::collections::BTreeSet<u32> = by
        .steps
        .keys()
        .chain(by.expectations.keys())
        .chain(by.errors.keys())
        .copied()
        .filter(|&n| n > last)
        .collect();
    for n in beyond {
        line(out, n, "", &by);
    }
    out.push_str("</ol>");
}

fn line(out: &mut String, n: u32, text: &str, by: &ByLine<'_>) {
    let errors = by.errors.get(&n).map(Vec::as_slice).unwrap_or_default();
    if let Some(step) = by.steps.get(&n) {
        statement(out, n, text, step, errors);
    } else if let Some(e) = by.expectations.get(&n) {
        expectation(out, n, text, e, errors);
    } else {
        let _ = write!(out, "<li class=\"kl-line{}\"", error_class(errors));
        error_attrs(out, errors);
        out.push_str("><div class=\"kl-row\">");
        number_and_source(out, n, text);
        out.push_str("</div>");
        error_messages(out, errors);
        out.push_str("</li>");
    }
}

fn number_and_source(out: &mut String, n: u32, text: &str) {
    let _ = write!(
        out,
        "<span class=\"kl-ln\">{n}</span><code class=\"kl-src\">"
    );
    highlighted(out, text);
    out.push_str("</code>");
}

/// The line with the engine's tokens (`keyline_rules::highlight`, as the app's editor
/// colours them) in `kl-tok-KIND` spans; the text between tokens as it is.
fn highlighted(out: &mut String, text: &str) {
    let mut at = 0;
    for t in keyline_rules::highlight(text) {
        let (Some(before), Some(word)) = (text.get(at..t.start), text.get(t.start..t.end)) else {
            continue;
        };
        escape::text(out, before);
        let _ = write!(out, "<span class=\"kl-tok-{}\">", t.kind.as_str());
        escape::text(out, word);
        out.push_str("</span>");
        at = t.end;
    }
    escape::text(out, text.get(at..).unwrap_or_default());
}

fn statement(out: &mut String, n: u32, text: &str, step: &Step, errors: &[&ParseError]) {
    let outcome = step.outcome.as_str();
    let _ = write!(
        out,
        "<li class=\"kl-line kl-stmt kl-{outcome}{}\" data-line=\"{n}\" data-outcome=\"{outcome}\"",
        error_class(errors)
    );
    if let Some(code) = step.code {
        let _ = write!(out, " data-code=\"{}\"", code.as_str());
    }
    error_attrs(out, errors);
    out.push_str("><details class=\"kl-details\"><summary class=\"kl-row\">");
    number_and_source(out, n, text);
    out.push_str("<span class=\"kl-mark\">");
    escape::text(out, &outcome_mark(step));
    out.push_str("</span></summary>");
    explanation(out, n, step);
    out.push_str("</details>");
    error_messages(out, errors);
    out.push_str("</li>");
}

/// The body of a statement's `<details>`: rule, sentence, provenance, fix.
fn explanation(out: &mut String, n: u32, step: &Step) {
    let info = step.rule.info();
    out.push_str("<div class=\"kl-why\"><p class=\"kl-sentence\"><span class=\"kl-rule\">");
    escape::text(out, info.id);
    out.push_str("</span> ");
    escape::text(out, &step.message);
    out.push_str("</p><p class=\"kl-rule-text\">");
    escape::text(out, info.text);
    if info.inferred {
        out.push_str(" <span class=\"kl-inferred\">(inferred)</span>");
    }
    out.push_str(" <span class=\"kl-source\">Source: ");
    escape::text(out, info.source);
    out.push_str("</span></p>");
    if let Some(chain) = &step.provenance {
        out.push_str("<p class=\"kl-prov\"><span class=\"kl-label\">Provenance:</span> ");
        escape::text(out, chain);
        out.push_str("</p>");
    }
    if let Some(fix) = step.fix.as_ref().filter(|f| !f.is_empty()) {
        let _ = write!(
            out,
            "<div class=\"kl-fix\"><p class=\"kl-label\">Fix: insert before line {n}</p><pre class=\"kl-fix-lines\"><code>"
        );
        for (i, l) in fix.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            escape::text(out, l);
        }
        out.push_str("</code></pre></div>");
    }
    out.push_str("</div>");
}

fn expectation(
    out: &mut String,
    n: u32,
    text: &str,
    e: &ExpectationReport,
    errors: &[&ParseError],
) {
    let (class, passed) = if e.passed {
        ("kl-passed", "true")
    } else {
        ("kl-failed", "false")
    };
    let _ = write!(
        out,
        "<li class=\"kl-line kl-expect {class}{}\" data-expect-line=\"{n}\" data-passed=\"{passed}\"",
        error_class(errors)
    );
    error_attrs(out, errors);
    out.push_str("><div class=\"kl-row\">");
    number_and_source(out, n, text);
    out.push_str("<span class=\"kl-mark\">");
    if e.passed {
        out.push_str("✓ passed");
    } else {
        out.push_str("✗ expected ");
        escape::text(out, &e.expected());
        out.push_str(", got ");
        escape::text(out, &e.actual);
    }
    out.push_str("</span></div>");
    error_messages(out, errors);
    out.push_str("</li>");
}

fn error_class(errors: &[&ParseError]) -> &'static str {
    if errors.is_empty() {
        ""
    } else {
        " kl-error"
    }
}

/// `data-error-line` and `data-error-column` of the line's first parse error (as the app's
/// editor marks them).
fn error_attrs(out: &mut String, errors: &[&ParseError]) {
    if let Some(e) = errors.first() {
        let _ = write!(
            out,
            " data-error-line=\"{}\" data-error-column=\"{}\" data-error-code=\"{}\"",
            e.line,
            e.column,
            e.code.as_str()
        );
    }
}

/// Each parse error of a line, with its `line:column` and message.
fn error_messages(out: &mut String, errors: &[&ParseError]) {
    for e in errors {
        out.push_str("<p class=\"kl-error-msg\">✗ parse error ");
        escape::text(out, &e.to_string());
        out.push_str("</p>");
    }
}

/// The summary (`data-summary`, exactly `N passed, M failed`), the statement and parse error
/// counts, and the link that opens the scenario in the app.
pub fn footer(out: &mut String, text: &str, report: &Report, app_url: Option<&str>) {
    let summary = report.summary.to_string();
    let _ = write!(
        out,
        "<div class=\"kl-footer\"><p class=\"kl-summary\" data-summary=\"{summary}\">{summary}</p>"
    );
    let count = |o: Outcome| report.steps.iter().filter(|s| s.outcome == o).count();
    let _ = write!(
        out,
        "<p class=\"kl-counts\">{} statements: {} ok, {} warn, {} fail</p>",
        report.steps.len(),
        count(Outcome::Ok),
        count(Outcome::Warn),
        count(Outcome::Fail)
    );
    if !report.errors.is_empty() {
        let n = report.errors.len();
        let _ = write!(
            out,
            "<p class=\"kl-error-count\">✗ {n} parse error{}</p>",
            if n == 1 { "" } else { "s" }
        );
    }
    if let Some(href) = app_url.and_then(|url| app_link(url, text)) {
        out.push_str("<p class=\"kl-open\"><a href=\"");
        escape::plain(out, &href);
        out.push_str("\">Open in Keyline</a></p>");
    }
    out.push_str("</div>");
}

/// `{url}#z=…`, when `url` is `http:`, `https:` or relative and the text fits in a link
/// ([`keyline_link::MAX_TEXT`]); `None` otherwise.
pub fn app_link(url: &str, text: &str) -> Option<String> {
    let url = url.trim();
    let scheme_end = url.find(':');
    let path_start = url.find(['/', '?', '#']);
    let has_scheme = match (scheme_end, path_start) {
        (Some(c), Some(p)) => c < p,
        (Some(_), None) => true,
        _ => false,
    };
    let lower = url.to_ascii_lowercase();
    if has_scheme && !(lower.starts_with("http:") || lower.starts_with("https:")) {
        return None;
    }
    if text.len() > keyline_link::MAX_TEXT || url.chars().any(char::is_control) {
        return None;
    }
    let base = url.split('#').next().unwrap_or(url);
    Some(format!("{base}#z={}", keyline_link::encode_deflate(text)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_as_the_engine_numbers_them() {
        assert_eq!(source_lines("a\r\nb\n"), vec!["a", "b"]);
        assert_eq!(source_lines("\u{feff}a\n\nb"), vec!["a", "", "b"]);
        assert_eq!(source_lines(""), vec![""]);
    }

    /// The text of markup, its tags removed.
    fn untagged(html: &str) -> String {
        html.split('<')
            .enumerate()
            .map(|(i, p)| {
                if i == 0 {
                    p
                } else {
                    p.split_once('>').map_or("", |x| x.1)
                }
            })
            .collect()
    }

    #[test]
    fn tokens_keep_every_character() {
        for line in [
            "key create k1 # note <b>",
            "title A & B",
            "  expect  ok",
            "x\u{202e}y",
            "",
        ] {
            let mut out = String::new();
            highlighted(&mut out, line);
            let mut plain = String::new();
            escape::text(&mut plain, line);
            assert_eq!(untagged(&out), untagged(&plain), "{line:?}");
        }
        let mut out = String::new();
        highlighted(&mut out, "key create k1 # note");
        assert!(
            out.contains("<span class=\"kl-tok-keyword\">key</span>"),
            "{out}"
        );
        assert!(
            out.contains("<span class=\"kl-tok-comment\"># note</span>"),
            "{out}"
        );
    }

    #[test]
    fn only_web_links() {
        assert!(app_link("javascript:alert(1)", "x").is_none());
        assert!(app_link(" JavaScript:x", "x").is_none());
        assert!(app_link("data:text/html,x", "x").is_none());
        assert!(app_link("https://k.example/app/", "x")
            .unwrap()
            .starts_with("https://k.example/app/#z="));
        assert!(app_link("../index.html#s=old", "x")
            .unwrap()
            .starts_with("../index.html#z="));
    }
}
