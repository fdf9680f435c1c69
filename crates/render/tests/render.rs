//! The static render against the engine: every statement line, expectation, parse error and
//! resource carries what the engine's report says, nothing is lost, and hostile text stays text.
// Integration tests unwrap freely: a failure is the test's.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{check_markup, repository_scenarios, text_of_first, unescape, Tag};
use keyline_render::{
    lineage_svg, render_page, render_scenario, RenderOptions, Stylesheet, View, STYLESHEET,
};
use keyline_rules::{evaluate, lineage, Program};

fn opts(view: View) -> RenderOptions {
    RenderOptions {
        view,
        app_url: None,
    }
}

fn with<'a>(tags: &'a [Tag], attr: &str) -> Vec<&'a Tag> {
    tags.iter().filter(|t| t.attrs.contains_key(attr)).collect()
}

fn num(t: &Tag, attr: &str) -> u32 {
    t.attrs[attr].parse().unwrap()
}

/// The markup from the first tag whose `attr` is `value` to the end of `html`.
fn from_tag<'a>(html: &'a str, attr: &str, value: impl std::fmt::Display) -> &'a str {
    let start = html.find(&format!("{attr}=\"{value}\"")).unwrap();
    &html[start..]
}

/// The list item of the first tag whose `attr` is `value`: from that tag to its `</li>`.
fn item_of<'a>(html: &'a str, attr: &str, value: impl std::fmt::Display) -> &'a str {
    let from = from_tag(html, attr, value);
    &from[..from.find("</li>").unwrap()]
}

/// The `<code class="kl-src">` texts (tags removed), in order.
fn source_texts(html: &str) -> Vec<String> {
    html.split("<code class=\"kl-src\">")
        .skip(1)
        .map(|s| {
            let inner = &s[..s.find("</code>").unwrap()];
            let text: String = inner
                .split('<')
                .enumerate()
                .map(|(i, p)| {
                    if i == 0 {
                        p
                    } else {
                        p.split_once('>').unwrap().1
                    }
                })
                .collect();
            unescape(&text)
        })
        .collect()
}

#[test]
fn every_statement_and_expectation_carries_the_engines_verdict() {
    for (name, text) in repository_scenarios() {
        let report = evaluate(&text);
        let r = render_scenario(&text, &opts(View::Code));
        let tags = check_markup(&r.html, false);

        let steps: Vec<(u32, String, Option<String>)> = with(&tags, "data-line")
            .iter()
            .map(|t| {
                (
                    num(t, "data-line"),
                    t.attrs["data-outcome"].clone(),
                    t.attrs.get("data-code").cloned(),
                )
            })
            .collect();
        let want: Vec<(u32, String, Option<String>)> = report
            .steps
            .iter()
            .map(|s| {
                (
                    s.line,
                    s.outcome.as_str().to_owned(),
                    s.code.map(|c| c.as_str().to_owned()),
                )
            })
            .collect();
        assert_eq!(steps, want, "{name}: statement lines");
        let marks: Vec<(u32, String, Option<String>)> = r
            .steps
            .iter()
            .map(|s| (s.line, s.outcome.to_owned(), s.code.clone()))
            .collect();
        assert_eq!(marks, want, "{name}: Rendered::steps");

        let expects: Vec<(u32, bool)> = with(&tags, "data-expect-line")
            .iter()
            .map(|t| (num(t, "data-expect-line"), t.attrs["data-passed"] == "true"))
            .collect();
        let want: Vec<(u32, bool)> = report
            .expectations
            .iter()
            .map(|e| (e.line, e.passed))
            .collect();
        assert_eq!(expects, want, "{name}: expectation lines");

        let summary = text_of_first(&r.html, "data-summary").unwrap();
        assert_eq!(summary, report.summary.to_string(), "{name}");
        assert_eq!(
            (r.passed, r.failed),
            (report.summary.passed, report.summary.failed)
        );
    }
}

#[test]
fn every_source_line_appears_in_order_with_its_number() {
    for (name, text) in repository_scenarios() {
        let r = render_scenario(&text, &RenderOptions::default());
        let lines: Vec<String> = text
            .lines()
            .map(|l| l.strip_suffix('\r').unwrap_or(l).to_owned())
            .collect();
        assert_eq!(source_texts(&r.html), lines, "{name}");
        let numbers: Vec<String> = r
            .html
            .split("<span class=\"kl-ln\">")
            .skip(1)
            .map(|s| s[..s.find('<').unwrap()].to_owned())
            .collect();
        let want: Vec<String> = (1..=lines.len()).map(|n| n.to_string()).collect();
        assert_eq!(numbers, want, "{name}");
    }
}

#[test]
fn a_statement_opens_to_its_rule_sentence_provenance_and_fix() {
    let text = "role security-admin\nkms grant\nkey create k1\ndisk create d1 encrypt k1\nsnapshot create s1 disk d1\ndisk create d2 from-snapshot s1\nkey schedule-deletion k1 7\nserver create web\nattach d2 web\n";
    let report = evaluate(text);
    let r = render_scenario(text, &RenderOptions::default());
    for step in &report.steps {
        let item = item_of(&r.html, "data-line", step.line);
        assert!(item.contains("<details"), "line {}", step.line);
        assert!(
            item.contains(&format!(
                "<span class=\"kl-rule\">{}</span>",
                step.rule.as_str()
            )),
            "line {}: rule",
            step.line
        );
        let item = unescape(item);
        assert!(item.contains(&step.message), "line {}: sentence", step.line);
        if let Some(chain) = &step.provenance {
            assert!(item.contains(chain), "line {}: provenance", step.line);
        }
        for fix in step.fix.iter().flatten() {
            assert!(item.contains(fix), "line {}: fix {fix}", step.line);
        }
    }
    assert!(
        report.steps.iter().any(|s| s.fix.is_some())
            && report.steps.iter().any(|s| s.provenance.is_some()),
        "the scenario exercises a fix and a provenance chain"
    );
}

#[test]
fn marks_are_symbols_and_words() {
    let text = "role security-admin\nkms grant\nkey create k1\ndisk create d1 encrypt k1\nserver create web\nattach d1 web\nkey disable k1\ndisk create d2 encrypt k1\nexpect fail KEY_UNAVAILABLE\nexpect d1 health healthy\n";
    let report = evaluate(text);
    let r = render_scenario(text, &RenderOptions::default());
    for step in &report.steps {
        let item = from_tag(&r.html, "data-line", step.line);
        let mark = text_of_first(item, "class=\"kl-mark\"").unwrap();
        let words = match step.code {
            Some(c) => format!("{} {}", step.outcome.as_str(), c.as_str()),
            None => step.outcome.as_str().to_owned(),
        };
        let (symbol, rest) = mark.split_once(' ').unwrap();
        assert!(["✓", "⚠", "✗"].contains(&symbol), "{mark}");
        assert_eq!(rest, words);
    }
    let failed = &report.expectations[1];
    assert!(!failed.passed);
    let mark = text_of_first(
        from_tag(&r.html, "data-expect-line", failed.line),
        "class=\"kl-mark\"",
    )
    .unwrap();
    assert_eq!(
        mark,
        format!("✗ expected {}, got {}", failed.expected(), failed.actual)
    );
    let passed = from_tag(&r.html, "data-expect-line", report.expectations[0].line);
    assert_eq!(
        text_of_first(passed, "class=\"kl-mark\"").unwrap(),
        "✓ passed"
    );
}

#[test]
fn a_parse_error_sits_on_its_line_and_the_others_keep_their_verdicts() {
    let text =
        "key create k1\nkey crate k2\nkey disable k1\nexpect k1 state disabled\nserver create\n";
    let report = evaluate(text);
    assert_eq!(report.errors.len(), 2);
    let r = render_scenario(text, &RenderOptions::default());
    let tags = check_markup(&r.html, false);
    for e in &report.errors {
        let t = tags
            .iter()
            .find(|t| t.attrs.get("data-error-line") == Some(&e.line.to_string()))
            .unwrap();
        assert_eq!(t.attrs["data-error-column"], e.column.to_string());
        assert!(unescape(&r.html).contains(&format!("{}:{}: {}", e.line, e.column, e.message)));
    }
    assert_eq!(with(&tags, "data-line").len(), report.steps.len());
    assert_eq!(report.steps.len(), 2);
    assert_eq!(with(&tags, "data-expect-line").len(), 1);
    assert_eq!(source_texts(&r.html).len(), 5);
    assert!(r.html.contains("2 parse errors"));
}

#[test]
fn hostile_text_stays_text() {
    let payloads = [
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "' onmouseover='x",
        "<svg onload=alert(1)>",
        "&amp; &lt;",
        "\u{202e}gnp.exe",
        "a\u{2066}b\u{2069}\u{200f}\u{061c}\u{200b}\u{feff}\u{0}\u{1b}[31m",
    ];
    for x in payloads {
        let text = format!("title {x}\nkey create k1 # {x}\nkey {x} k1\n{x}\nexpect ok # {x}\n");
        for view in [View::Code, View::Board, View::Graph] {
            let r = render_scenario(&text, &opts(view));
            let tags = check_markup(&r.html, false);
            let names: std::collections::BTreeSet<&str> =
                tags.iter().map(|t| t.name.as_str()).collect();
            for bad in ["script", "img"] {
                assert!(!names.contains(bad), "{x:?}: <{bad}> made");
            }
            assert!(!names.contains("svg") || view == View::Graph, "{x:?}");
            assert!(
                tags.iter()
                    .all(|t| t.attrs.keys().all(|k| !k.starts_with("on"))),
                "{x:?}"
            );
            for c in x.chars().filter(|&c| keyline_render::escape::is_hidden(c)) {
                assert!(!r.html.contains(c), "{x:?}: {c:?} left as is");
                assert!(r.html.contains(&format!(
                    "<span class=\"kl-ctrl\">U+{:04X}</span>",
                    u32::from(c)
                )));
            }
            let page = render_page(&text, &opts(view), Stylesheet::Embedded);
            check_markup(&page, true);
            assert!(!page.contains('\u{202e}'));
        }
    }
}

#[test]
fn the_board_lists_every_resource_of_the_final_state() {
    for (name, text) in repository_scenarios() {
        let report = evaluate(&text);
        let r = render_scenario(&text, &opts(View::Board));
        let tags = check_markup(&r.html, false);
        let shown = with(&tags, "data-resource");
        let s = &report.state;
        let mut want: Vec<(String, String, Option<String>)> = Vec::new();
        want.extend(
            s.keys
                .iter()
                .map(|k| (k.name.clone(), "none".to_owned(), None)),
        );
        want.extend(
            s.images
                .iter()
                .map(|i| (i.name.clone(), i.encryption.clone(), None)),
        );
        want.extend(
            s.servers
                .iter()
                .map(|v| (v.name.clone(), v.encryption.clone(), None)),
        );
        want.extend(s.disks.iter().map(|d| {
            (
                d.name.clone(),
                d.encryption.clone(),
                Some(d.health.as_str().to_owned()),
            )
        }));
        want.extend(
            s.snapshots
                .iter()
                .map(|c| (c.name.clone(), c.encryption.clone(), None)),
        );
        want.extend(
            s.backups
                .iter()
                .map(|c| (c.name.clone(), c.encryption.clone(), None)),
        );
        want.extend(
            s.configs
                .iter()
                .map(|c| (c.name.clone(), c.encryption.clone(), None)),
        );
        let got: Vec<(String, String, Option<String>)> = shown
            .iter()
            .map(|t| {
                (
                    t.attrs["data-resource"].clone(),
                    t.attrs["data-encryption"].clone(),
                    t.attrs.get("data-health").cloned(),
                )
            })
            .collect();
        assert_eq!(got, want, "{name}");
        // Health and key state in words, not colour alone.
        for d in &s.disks {
            let row = unescape(item_of(&r.html, "data-resource", &d.name));
            assert!(row.contains(d.health.as_str()), "{name}: {row}");
        }
    }
}

#[test]
fn the_lineage_svg_is_well_formed_and_says_what_it_shows() {
    for (name, text) in repository_scenarios() {
        let g = lineage(&Program::parse(&text), None);
        let svg = lineage_svg(&g);
        let tags = check_markup(&svg, false);
        let root = &tags[0];
        assert_eq!(root.name, "svg", "{name}");
        assert_eq!(root.attrs["xmlns"], "http://www.w3.org/2000/svg");
        assert_eq!(root.attrs["role"], "img");
        assert!(root.attrs["viewBox"].starts_with("0 0 "));
        assert!(root.attrs["aria-label"].contains(&format!("{} resource", g.nodes.len())));
        assert_eq!(tags[1].name, "title");
        assert!(tags.iter().any(|t| t.name == "desc"));
        let nodes = tags
            .iter()
            .filter(|t| {
                t.attrs
                    .get("class")
                    .is_some_and(|c| c.starts_with("kl-node "))
            })
            .count();
        assert_eq!(nodes, g.nodes.len(), "{name}");
        let labels: Vec<String> = svg
            .split("<text class=\"kl-edge-label\"")
            .skip(1)
            .map(|s| {
                let s = &s[s.find('>').unwrap() + 1..];
                s[..s.find('<').unwrap()].to_owned()
            })
            .collect();
        let rules: Vec<String> = g.edges.iter().map(|e| e.rule.as_str().to_owned()).collect();
        assert_eq!(labels, rules, "{name}");
        for n in &g.nodes {
            let label = format!("{} {}", n.kind, n.name);
            assert!(
                n.kind == "public-image" || svg.contains(&label),
                "{name}: {label}"
            );
        }
        // Inline in the fragment too.
        let r = render_scenario(&text, &opts(View::Graph));
        assert!(r.html.contains(&svg), "{name}");
    }
    let empty = lineage_svg(&Default::default());
    check_markup(&empty, false);
    assert!(empty.contains("No keys or encrypted resources"));
}

#[test]
fn a_page_is_a_complete_document_without_script_or_inline_style() {
    let text = "title Disks & <keys>\nkey create k1\nexpect ok\n";
    for view in [View::Code, View::Board, View::Graph] {
        let page = render_page(text, &opts(view), Stylesheet::Embedded);
        let tags = check_markup(&page, true);
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert_eq!(tags[0].name, "html");
        assert_eq!(tags[0].attrs["lang"], "en");
        assert!(tags
            .iter()
            .any(|t| t.name == "meta" && t.attrs.get("charset").is_some_and(|c| c == "utf-8")));
        assert!(tags
            .iter()
            .any(|t| t.name == "meta" && t.attrs.get("name").is_some_and(|c| c == "viewport")));
        assert_eq!(
            text_of_first(&page, "class=\"kl-title\"").unwrap(),
            "Disks & <keys>"
        );
        assert!(page.contains("<title>Disks &amp; &lt;keys&gt;</title>"));
        assert!(!page.to_ascii_lowercase().contains("<script"));
        assert!(!page.contains(" style="));
        assert_eq!(page.matches("<style>").count(), 1);
        assert!(page.contains(STYLESHEET.lines().nth(5).unwrap()));
    }
    let linked = render_page(
        text,
        &RenderOptions::default(),
        Stylesheet::Linked("/css/keyline.css?v=\"1\"".into()),
    );
    let tags = check_markup(&linked, true);
    let link = tags.iter().find(|t| t.name == "link").unwrap();
    assert_eq!(link.attrs["rel"], "stylesheet");
    assert_eq!(link.attrs["href"], "/css/keyline.css?v=\"1\"");
    assert!(!linked.contains("<style"));
    let untitled = render_page(
        "key create k1\n",
        &RenderOptions::default(),
        Stylesheet::Embedded,
    );
    assert!(untitled.contains("<title>Keyline scenario</title>"));
}

#[test]
fn the_app_link_carries_the_scenario() {
    let text = "title T\nkey create k1\n";
    let r = render_scenario(
        text,
        &RenderOptions {
            view: View::Code,
            app_url: Some("https://keyline.example/app/".into()),
        },
    );
    let tags = check_markup(&r.html, false);
    let a = tags.iter().find(|t| t.name == "a").unwrap();
    let z = a.attrs["href"]
        .strip_prefix("https://keyline.example/app/#z=")
        .unwrap();
    assert_eq!(keyline_link::decode_deflate(z).unwrap(), text);
    assert!(r.html.contains(">Open in Keyline</a>"));
    let none = render_scenario(
        text,
        &RenderOptions {
            view: View::Code,
            app_url: Some("javascript:alert(1)".into()),
        },
    );
    assert!(!none.html.contains("<a "));
}

#[test]
fn the_stylesheet_styles_by_class_only() {
    // Every rule's selector starts at a .kl- class (no element, id or :host selector that would
    // reach outside the fragment), and dark mode is supported.
    let mut depth = 0;
    let mut selector = String::new();
    let css = STYLESHEET;
    let mut i = 0;
    let bytes: Vec<char> = css.chars().collect();
    while i < bytes.len() {
        let c = bytes[i];
        if c == '/' && bytes.get(i + 1) == Some(&'*') {
            while !(bytes[i] == '*' && bytes.get(i + 1) == Some(&'/')) {
                i += 1;
            }
            i += 2;
            continue;
        }
        match c {
            '{' => {
                let s = selector.trim().to_owned();
                if !s.starts_with('@') {
                    for part in s.split(',') {
                        let part = part.trim();
                        let part = part.trim_start_matches("summary");
                        assert!(part.starts_with(".kl-"), "selector {part:?}");
                    }
                }
                depth += 1;
                selector.clear();
            }
            '}' => {
                depth -= 1;
                selector.clear();
            }
            ';' => selector.clear(),
            c => selector.push(c),
        }
        i += 1;
    }
    assert_eq!(depth, 0);
    assert!(css.contains("prefers-color-scheme: dark"));
    assert!(css.contains(":focus-visible"));
    assert!(!css.contains(":host"));
}
