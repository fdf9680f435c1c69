//! Documentation workflows: `keyline check` on Markdown (every `keyline` fenced block is a
//! scenario, reported with the Markdown file's own lines) and `keyline render` (static HTML and
//! SVG for docs built without JavaScript). The repository's `docs/docs-in-ci.md` must pass.
// A helper that cannot do its part fails its test with the reason; clippy.toml's
// allow-*-in-tests covers the #[test] functions only, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::text;
use keyline_rules::{check, Program};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fresh directory for one test's files.
fn dir(test: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("keyline-docs-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Runs `keyline ARGS` in `cwd`, so file names print as given.
fn keyline_in(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_keyline"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// The 1-based line of the Markdown file holding `needle` (which must be unique).
fn line_of(md: &str, needle: &str) -> usize {
    let hits: Vec<usize> = md
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(hits.len(), 1, "{needle:?} in {hits:?}");
    hits[0]
}

/// What the engine says about a scenario's failing expectations: (scenario line, expected, got).
fn failures(scenario: &str) -> Vec<(u32, String, String)> {
    check(&Program::parse(scenario)).failures
}

const BACKTICK: &str = "role security-admin\nkms grant\nkey create k1\ndisk create d1 encrypt k1\nexpect d1 unencrypted\n";
const TILDE: &str = "key create k2\nkey disable k2\nexpect warn KEY_IN_USE\n";
const LISTED: &str = "key create k3\nexpect count 2 keys\n";
const QUOTED: &str = "server create web\nexpect web-sys health at-risk\n";

fn guide() -> String {
    format!(
        "# Guide\n\nSome prose.\n\n```keyline\n{BACKTICK}```\n\n~~~keyline title\n{TILDE}~~~\n\n1. A step:\n\n   ```keyline\n{}   ```\n\n> ```keyline\n{}> ```\n\n```rust\nfn not_checked() {{}}\n```\n\n    key create indented-code-is-not-a-scenario\n    expect fail\n",
        LISTED.lines().map(|l| format!("   {l}\n")).collect::<String>(),
        QUOTED.lines().map(|l| format!("> {l}\n")).collect::<String>(),
    )
}

#[test]
fn markdown_failures_print_the_markdown_files_own_lines() {
    let d = dir("lines");
    let md = guide();
    std::fs::write(d.join("guide.md"), &md).unwrap();
    let o = keyline_in(&d, &["check", "guide.md"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    assert_eq!(text(&o.stderr), "");
    let mut want = String::new();
    let (mut passed, mut failed) = (0, 0);
    for block in [BACKTICK, TILDE, LISTED, QUOTED] {
        let r = check(&Program::parse(block));
        passed += r.passed;
        failed += r.failed;
        for (line, expected, actual) in failures(block) {
            let source_line = block.lines().nth(line as usize - 1).unwrap();
            let md_line = line_of(&md, source_line);
            want.push_str(&format!(
                "guide.md:{md_line}: expected {expected}, got {actual}\n"
            ));
        }
    }
    assert!(
        failed >= 3,
        "the guide has failing expectations in several kinds of block"
    );
    want.push_str(&format!("{passed} passed, {failed} failed\n"));
    assert_eq!(text(&o.stdout), want);
}

#[test]
fn markdown_parse_errors_give_the_markdown_line_and_column_and_exit_2() {
    let d = dir("parse");
    let md = "Intro\n\n- item\n\n  ```keyline\n  key create k1\n  key crate k2\n  key disable k1\n  expect warn\n  ```\n";
    std::fs::write(d.join("guide.md"), md).unwrap();
    let o = keyline_in(&d, &["check", "guide.md"]);
    assert_eq!(o.status.code(), Some(2));
    let scenario = "key create k1\nkey crate k2\nkey disable k1\nexpect warn\n";
    let p = Program::parse(scenario);
    assert_eq!(p.errors.len(), 1);
    let e = &p.errors[0];
    let md_line = line_of(md, "key crate k2");
    let column = md.lines().nth(md_line - 1).unwrap().find("crate").unwrap() + 1;
    assert_eq!(e.column as usize, "key crate k2".find("crate").unwrap() + 1);
    assert_eq!(
        text(&o.stderr),
        format!("guide.md:{md_line}:{column}: {}\n", e.message)
    );
    // The other lines were still checked: `expect warn` about `key disable k1` fails (ok).
    let r = check(&p);
    let mut want = String::new();
    for (line, expected, actual) in &r.failures {
        let l = line_of(md, scenario.lines().nth(*line as usize - 1).unwrap());
        want.push_str(&format!(
            "guide.md:{l}: expected {expected}, got {actual}\n"
        ));
    }
    want.push_str(&format!("{} passed, {} failed\n", r.passed, r.failed));
    assert_eq!(text(&o.stdout), want);
}

#[test]
fn an_unclosed_fence_runs_to_the_end_of_the_document() {
    let d = dir("unclosed");
    let md = "# T\n\n~~~~keyline\nkey create k1\n~~~\nstill inside: the fence above is shorter\nexpect count 5 keys";
    std::fs::write(d.join("g.markdown"), md).unwrap();
    let o = keyline_in(&d, &["check", "g.markdown"]);
    // "~~~" and the prose are inside the block: parse errors (exit 2) on their own lines.
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    let short_fence = md.lines().position(|l| l == "~~~").unwrap() + 1;
    assert!(
        err.contains(&format!("g.markdown:{short_fence}:1: ")),
        "{err}"
    );
    assert!(
        err.contains(&format!("g.markdown:{}:1: ", line_of(md, "still inside"))),
        "{err}"
    );
    let out = text(&o.stdout);
    assert!(
        out.starts_with(&format!(
            "g.markdown:{}: expected count 5 keys, got count 1 keys\n",
            line_of(md, "count 5")
        )),
        "{out}"
    );
    assert!(out.ends_with("0 passed, 1 failed\n"), "{out}");
}

#[test]
fn markdown_without_keyline_blocks_checks_nothing_and_passes() {
    let d = dir("none");
    std::fs::write(
        d.join("readme.md"),
        "# Nothing\n\n```sh\nkeyline check x\n```\n",
    )
    .unwrap();
    let o = keyline_in(&d, &["check", "readme.md"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(text(&o.stdout), "0 passed, 0 failed\n");
    assert_eq!(text(&o.stderr), "");
}

#[test]
fn counts_add_up_over_markdown_and_scenario_files_and_bad_files_exit_2() {
    let d = dir("mixed");
    let ok_md = "```keyline\nkey create k1\nexpect ok\nexpect k1 state enabled\n```\n\n```keyline\nwait 1\nexpect ok\n```\n";
    std::fs::write(d.join("a.md"), ok_md).unwrap();
    std::fs::write(d.join("b.kl"), "key create k1\nexpect ok\n").unwrap();
    let o = keyline_in(&d, &["check", "a.md", "b.kl"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout), "4 passed, 0 failed\n");
    // Markdown that is not UTF-8 is unreadable: exit 2, the other files still counted.
    std::fs::write(d.join("bad.md"), b"```keyline\nkey create k\xff\n```\n").unwrap();
    let o = keyline_in(&d, &["check", "bad.md", "a.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("bad.md: not UTF-8 text"),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(text(&o.stdout), "3 passed, 0 failed\n");
    // A missing Markdown file, as for a scenario.
    let o = keyline_in(&d, &["check", "missing.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("missing.md: no such file"));
}

#[test]
fn standard_input_is_a_scenario() {
    let o = common::keyline(&["check", "-"], Some(b"key create k1\nexpect fail\n"));
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        text(&o.stdout),
        "<stdin>:2: expected fail, got ok\n0 passed, 1 failed\n"
    );
}

#[test]
fn the_docs_guide_passes_its_own_check() {
    // `tests/../docs`: the guide in the repository, read as a docs CI would.
    let guide = common::repo_file("../docs", "docs-in-ci.md");
    let o = common::keyline(&["check", &guide], None);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}{}",
        text(&o.stdout),
        text(&o.stderr)
    );
    let out = text(&o.stdout);
    let passed: usize = out.split(' ').next().unwrap().parse().unwrap();
    assert!(passed >= 5, "the guide's examples check something: {out}");
    assert!(out.ends_with(" passed, 0 failed\n"));
}

// ---- keyline render ----

const FAILING: &str = "title Render <me>\nrole security-admin\nkms grant\nkey create k1\ndisk create d1 encrypt k1\nsnapshot create s1 disk d1\nkey disable k1\ndisk create d2 from-snapshot s1\nexpect ok\nkey crate k2\n";

/// `(line, outcome, code)` of every `data-line` element, in order.
fn marks(html: &str) -> Vec<(u32, String, Option<String>)> {
    html.split(" data-line=\"")
        .skip(1)
        .map(|s| {
            let line = s[..s.find('"').unwrap()].parse().unwrap();
            let tag = &s[..s.find('>').unwrap()];
            let attr = |name: &str| {
                tag.split(&format!("{name}=\""))
                    .nth(1)
                    .map(|v| v[..v.find('"').unwrap()].to_owned())
            };
            (line, attr("data-outcome").unwrap(), attr("data-code"))
        })
        .collect()
}

#[test]
fn render_prints_a_page_with_the_same_verdicts_as_run_json() {
    let d = dir("render");
    std::fs::write(d.join("s.kl"), FAILING).unwrap();
    let o = keyline_in(&d, &["render", "s.kl"]);
    // Rendered despite a failing expectation and a parse error: exit 0, both on stderr.
    assert_eq!(o.status.code(), Some(0));
    let page = text(&o.stdout);
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(page.contains("<title>Render &lt;me&gt;</title>"));
    assert!(page.contains("<style>") && !page.contains("<script") && !page.contains(" style="));
    let err = text(&o.stderr);
    assert!(err.contains("s.kl:10:5: "), "{err}");
    assert!(
        err.contains("s.kl:9: expected ok, got fail KEY_UNAVAILABLE"),
        "{err}"
    );

    let json = keyline_in(&d, &["run", "s.kl", "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let want: Vec<(u32, String, Option<String>)> = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["line"].as_u64().unwrap() as u32,
                s["outcome"].as_str().unwrap().to_owned(),
                s["code"].as_str().map(str::to_owned),
            )
        })
        .collect();
    assert_eq!(marks(&page), want);
    let summary = format!(
        "{} passed, {} failed",
        report["expectations"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["passed"] == true)
            .count(),
        report["expectations"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["passed"] == false)
            .count()
    );
    assert!(page.contains(&format!(">{summary}</p>")));
}

#[test]
fn render_options() {
    let d = dir("options");
    std::fs::write(d.join("s.kl"), FAILING).unwrap();
    let frag = text(&keyline_in(&d, &["render", "s.kl", "--fragment", "--view", "board"]).stdout);
    assert!(
        frag.starts_with("<div class=\"kl-scenario\" data-view=\"board\">"),
        "{frag}"
    );
    assert!(!frag.contains("<html") && !frag.contains("<style"));
    assert!(frag.contains("data-resource=\"d1\" data-kind=\"disk\" data-encryption=\"k1\" data-health=\"unattachable\""));

    let linked = text(
        &keyline_in(
            &d,
            &[
                "render",
                "s.kl",
                "--html",
                "--stylesheet",
                "/k.css",
                "--view",
                "graph",
            ],
        )
        .stdout,
    );
    assert!(
        linked.contains("<link rel=\"stylesheet\" href=\"/k.css\">") && !linked.contains("<style")
    );
    assert!(linked.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""));

    let svg = keyline_in(&d, &["render", "s.kl", "--svg"]);
    assert_eq!(svg.status.code(), Some(0));
    let svg = text(&svg.stdout);
    assert!(
        svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\"") && svg.ends_with("</svg>\n")
    );
    assert!(svg.contains(">R-SNAP</text>"));

    let app = text(
        &keyline_in(
            &d,
            &[
                "render",
                "s.kl",
                "--fragment",
                "--app-url",
                "https://k.example/",
            ],
        )
        .stdout,
    );
    assert!(app.contains("<a href=\"https://k.example/#z="));

    let stdin = common::keyline(
        &["render", "-", "--fragment"],
        Some(b"key create k1\nexpect ok\n"),
    );
    assert_eq!(stdin.status.code(), Some(0));
    assert!(text(&stdin.stdout).contains(">1 passed, 0 failed</p>"));
}

#[test]
fn render_bad_input_and_usage_exit_2() {
    let d = dir("render-bad");
    let o = keyline_in(&d, &["render", "missing.kl"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(text(&o.stderr), "keyline: missing.kl: no such file\n");
    assert!(o.stdout.is_empty());
    std::fs::write(d.join("bin.kl"), b"key create k\xff1\n").unwrap();
    let o = keyline_in(&d, &["render", "bin.kl"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("bin.kl: not UTF-8 text (first bad byte at offset 12)"));
    std::fs::write(d.join("s.kl"), "key create k1\n").unwrap();
    for args in [
        &["render", "s.kl", "--svg", "--fragment"][..],
        &["render", "s.kl", "--svg", "--html"],
        &["render", "s.kl", "--view", "table"],
        &["render"],
        &["render", "s.kl", "--fragment", "--stylesheet", "x.css"],
    ] {
        let o = keyline_in(&d, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(o.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn odd_markdown_never_crashes() {
    let d = dir("odd");
    let cases: Vec<String> = vec![
        "```keyline".to_owned(),
        "```keyline\n".to_owned(),
        "~~~keyline\r\nkey create k1\r\nexpect ok\r\n~~~\r\n".to_owned(),
        "> > - > 1. ```keyline\n> > - > 1. key create k1\n> > - > 1. key crate k1\n".to_owned(),
        "-\t```keyline\n\t\tkey\tcreate\tk1\n\t```\n".to_owned(),
        "```keyline\n\u{0}\u{202e}<script>\n```\n".to_owned(),
        "````keyline\n```\nkey create k1\n```\n````\n".to_owned(),
        "<details>\n\n```keyline\nexpect ok\n```\n\n</details>\n".to_owned(),
        format!("```keyline\n{}```\n", "key create k\n".repeat(2000)),
        "```keyline\nkey create k1\n".repeat(300),
    ];
    for (i, md) in cases.iter().enumerate() {
        let name = format!("odd{i}.md");
        std::fs::write(d.join(&name), md).unwrap();
        let o = keyline_in(&d, &["check", &name]);
        let code = o.status.code();
        assert!(matches!(code, Some(0..=2)), "case {i}: {code:?}");
        let err = text(&o.stderr);
        assert!(!err.contains("panicked"), "case {i}: {err}");
        let out = text(&o.stdout);
        assert!(out.ends_with(" failed\n"), "case {i}: {out}");
        // Every reported position is a line of the file.
        let lines = md.lines().count().max(1);
        for l in out
            .lines()
            .chain(err.lines())
            .filter(|l| l.starts_with(&name))
        {
            let n: usize = l[name.len() + 1..]
                .split(':')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            assert!(
                (1..=lines).contains(&n),
                "case {i}: {l} (file has {lines} lines)"
            );
        }
    }
}
