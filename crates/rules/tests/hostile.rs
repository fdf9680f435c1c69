//! Hostile input through the whole engine: arbitrary bytes, mutated scenarios and hand-picked
//! nasty text go through `evaluate_bytes` and every analysis (the same work as the
//! `fuzz/analyses` target, with a small budget). Nothing panics, everything is deterministic,
//! errors stay positioned and short, and the Markdown report never carries raw HTML.
//!
//! Inputs the fuzzers found crashing become tests at the end of this file.

use keyline_rules::{
    check, complete, evaluate, evaluate_bytes, highlight, impact, lineage, provenance, state_after,
    Action, AnalysisError, CheckResult, Completion, Impact, Lineage, ParseErrorCode, Program,
    Provenance, Report, StateView, Token,
};
use proptest::prelude::*;
use std::path::Path;

mod common;
use common::cfg;

/// How many names and lines get the per-name and per-line analyses.
const CAP: usize = 24;

/// Everything the engine can say about one input.
#[derive(Debug, PartialEq)]
struct Everything {
    report: Report,
    quiet: CheckResult,
    states: Vec<Result<StateView, AnalysisError>>,
    provenance: Vec<Result<Provenance, AnalysisError>>,
    impact: Vec<Result<Impact, AnalysisError>>,
    lineage: Vec<Lineage>,
    chains: Vec<Vec<String>>,
    highlight: Vec<Vec<Token>>,
    complete: Vec<Completion>,
    markdown: String,
    json: String,
}

/// Runs `evaluate_bytes` and every analysis on `bytes`, checking the invariants that hold for
/// any input on the way.
fn everything(bytes: &[u8]) -> Everything {
    let report = evaluate_bytes(bytes);
    let program = Program::parse_bytes(bytes);

    // Parse errors are positioned inside the text and their sentence stays short.
    let lines = program.source.split('\n').count();
    for e in &report.errors {
        assert!(e.line >= 1 && e.line as usize <= lines, "{e:?} / {lines}");
        assert!(e.column >= 1, "{e:?}");
        assert!(e.message.len() < 600, "a {} byte message", e.message.len());
    }

    let quiet = check(&program);
    assert_eq!(
        (quiet.passed, quiet.failed),
        (report.summary.passed, report.summary.failed)
    );
    assert_eq!(quiet.statements, report.steps.len());

    let n = report.steps.len();
    let states: Vec<_> = [0, 1, n / 2, n.saturating_sub(1), n, n + 1]
        .into_iter()
        .map(|step| {
            let s = state_after(&program, step);
            assert_eq!(s.is_ok(), step <= n, "state_after({step}) of {n} steps");
            s
        })
        .collect();
    assert_eq!(states.get(4), Some(&Ok(report.state.clone())));

    let s = &report.state;
    let names: Vec<&str> = s
        .keys
        .iter()
        .map(|k| k.name.as_str())
        .chain(s.images.iter().map(|x| x.name.as_str()))
        .chain(s.servers.iter().map(|x| x.name.as_str()))
        .chain(s.disks.iter().map(|x| x.name.as_str()))
        .chain(s.snapshots.iter().map(|x| x.name.as_str()))
        .chain(s.backups.iter().map(|x| x.name.as_str()))
        .chain(s.configs.iter().map(|x| x.name.as_str()))
        .take(CAP)
        .chain(["evs/default", "no-such-name", "", "<script>"])
        .collect();
    let provenance: Vec<_> = names.iter().map(|n| provenance(&program, n)).collect();
    let impact: Vec<_> = names
        .iter()
        .flat_map(|n| Action::ALL.iter().map(|&a| impact(&program, n, a)))
        .collect();

    let lineage = vec![lineage(&program, None), lineage(&program, Some(n / 2))];
    let chains = lineage
        .iter()
        .flat_map(|g| g.nodes.iter().take(CAP).map(|node| g.chain_of(&node.id)))
        .collect();

    let mut highlights = Vec::new();
    let mut completions = Vec::new();
    for line in program.source.split('\n').take(CAP) {
        let tokens = highlight(line);
        for t in &tokens {
            assert!(line.get(t.start..t.end).is_some(), "{t:?} in {line:?}");
        }
        highlights.push(tokens);
        let c = complete(line, s);
        assert!(line.get(c.start..).is_some(), "{c:?} in {line:?}");
        completions.push(c);
        let mid = line
            .char_indices()
            .nth(line.chars().count() / 2)
            .map_or(0, |(i, _)| i);
        completions.push(complete(line.get(..mid).unwrap_or(""), s));
    }

    let markdown = report.to_markdown();
    assert_markdown_has_no_raw_html(&markdown);
    let json = serde_json::to_string(&report).unwrap_or_else(|e| panic!("JSON: {e}"));
    Everything {
        report,
        quiet,
        states,
        provenance,
        impact,
        lineage,
        chains,
        highlight: highlights,
        complete: completions,
        markdown,
        json,
    }
}

/// Runs [`everything`] twice and checks both runs agree.
fn deterministic(bytes: &[u8]) -> Everything {
    let a = everything(bytes);
    let b = everything(bytes);
    assert!(a == b, "two runs on the same input differ");
    a
}

/// Outside code spans, every `<` and `>` is backslash-escaped and every `&` starts `&amp;`, so
/// rendering the Markdown to HTML cannot produce a tag or an entity from the scenario's text.
/// Code spans stay on one line (their content is literal text in any renderer).
fn assert_markdown_has_no_raw_html(md: &str) {
    for (i, line) in md.lines().enumerate() {
        let mut in_code = false;
        let mut chars = line.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            match c {
                '\\' if !in_code => {
                    chars.next();
                }
                '`' => in_code = !in_code,
                '<' | '>' if !in_code => {
                    panic!("raw {c:?} at {}:{at} of the Markdown: {line:?}", i + 1)
                }
                '&' if !in_code && !line.get(at..).is_some_and(|r| r.starts_with("&amp;")) => {
                    panic!("raw & at {}:{at} of the Markdown: {line:?}", i + 1)
                }
                _ => {}
            }
        }
        assert!(
            !in_code,
            "a code span is left open on line {}: {line:?}",
            i + 1
        );
    }
}

fn scenario_files() -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "kl"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no scenario files in {}", dir.display());
    files
        .iter()
        .map(|p| std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
        .collect()
}

/// Text that is nasty for a browser, a terminal or a Markdown renderer.
const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "<img src=x onerror=\"window.__pwned=1\">",
    "&lt;&amp;&#x3c;",
    "\u{202e}gnp.exe",
    "\u{200b}\u{feff}\u{2028}\u{2029}",
    "🔑💾👩‍💻🏳️‍🌈",
    "[link](javascript:alert(1))",
    "`code` **bold** _em_ | table | ![img](x)",
    "\\`\\<",
    "\x1b[31mred\x1b[0m",
    "\u{0}\u{7f}\u{85}",
    "k1\u{0301}",
];

/// A byte-level edit of a scenario: the fuzzer's mutations in miniature.
#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    Flip(usize, u8),
    Payload(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(a, b)| Edit::Insert(a, b)),
        (any::<usize>(), 1usize..40).prop_map(|(a, n)| Edit::Delete(a, n)),
        (any::<usize>(), any::<u8>()).prop_map(|(a, b)| Edit::Flip(a, b)),
        (any::<usize>(), 0..PAYLOADS.len()).prop_map(|(a, p)| Edit::Payload(a, p)),
    ]
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let at = |i: usize| {
            if bytes.is_empty() {
                0
            } else {
                i % (bytes.len() + 1)
            }
        };
        match e {
            Edit::Insert(i, b) => {
                let i = at(*i);
                bytes.splice(i..i, b.iter().copied());
            }
            Edit::Delete(i, n) => {
                let i = at(*i);
                let end = (i + n).min(bytes.len());
                bytes.drain(i..end);
            }
            Edit::Flip(i, b) => {
                let i = at(*i);
                if let Some(x) = bytes.get_mut(i) {
                    *x ^= b | 1;
                }
            }
            Edit::Payload(i, p) => {
                let i = at(*i);
                let p = PAYLOADS.get(*p).copied().unwrap_or_default();
                bytes.splice(i..i, p.bytes());
            }
        }
    }
    bytes
}

proptest! {
    #![proptest_config(cfg(64))]

    #[test]
    fn arbitrary_bytes_through_every_analysis(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        deterministic(&bytes);
    }

    #[test]
    fn mutated_scenarios_through_every_analysis(
        file in any::<prop::sample::Index>(),
        edits in prop::collection::vec(edit(), 1..12),
    ) {
        let files = scenario_files();
        let base = file.get(&files).clone();
        deterministic(&apply(base, &edits));
    }

    #[test]
    fn payloads_in_every_position(
        p in 0..PAYLOADS.len(),
        at in prop::sample::select(vec!["title", "comment", "name", "keyword", "number", "code"]),
    ) {
        let x = PAYLOADS.get(p).copied().unwrap_or_default();
        let text = match at {
            "title" => format!("title {x}\nkey create k1"),
            "comment" => format!("key create k1 # {x}\nexpect ok # {x}"),
            "name" => format!("key create {x}\nkey disable {x}\nexpect {x} state disabled"),
            "keyword" => format!("key {x} k1\n{x} create k2"),
            "number" => format!("key create k1\nkey schedule-deletion k1 {x}\nwait {x}"),
            _ => format!("key create k1\nexpect fail {x}"),
        };
        let all = deterministic(text.as_bytes());
        // The payload is kept as text where it belongs, never dropped or rewritten (up to a
        // `#`, which starts a comment even in a title).
        if at == "title" && !x.contains(['\0', '\u{2028}', '\u{2029}', '\u{85}']) {
            let kept = x.split('#').next().unwrap_or_default().trim_matches([' ', '\t']);
            prop_assert_eq!(all.report.title.as_deref(), Some(kept));
        }
    }
}

#[test]
fn every_scenario_file_through_every_analysis() {
    for bytes in scenario_files() {
        deterministic(&bytes);
    }
}

/// Line endings, byte-order marks and bytes that are not UTF-8, at the edges.
#[test]
fn encodings_and_line_endings() {
    let cases: &[&[u8]] = &[
        b"",
        b"\n",
        b"\r",
        b"\r\n\r\n\r\n",
        b"\n\n\n\n",
        b"\xef\xbb\xbf",
        b"\xef\xbb\xbfkey create k1\r\nexpect ok\r\n",
        b"key create k1\xef\xbb\xbf\n",
        b"key create k1\rkey create k2\r",
        b"\0",
        b"key\0create k1",
        b"\xff\xfe\xfd",
        b"\xc0\x80",                // overlong NUL
        b"\xed\xa0\x80",            // a UTF-16 surrogate
        b"\xf4\x90\x80\x80",        // past U+10FFFF
        b"key create k1\n\xe2\x82", // a multi-byte character cut at the end
        b"\xfe\xff\0k\0e\0y",       // UTF-16 with a byte-order mark
        b"key\x0bcreate\x0ck1",     // vertical tab and form feed are not separators
        b"key\xc2\xa0create k1",    // nor is a no-break space
        b"#\xff comment",
        b"title \xff\xfe",
    ];
    for bytes in cases {
        deterministic(bytes);
    }
}

#[test]
fn bad_bytes_get_a_positioned_error_and_the_other_lines_still_count() {
    let r =
        evaluate_bytes(b"key create k1\nkey cr\xffeate k2\nkey create k3\nexpect count 2 keys\n");
    let e = r
        .errors
        .first()
        .unwrap_or_else(|| panic!("no error: {r:?}"));
    assert_eq!(
        (e.line, e.column, e.code),
        (2, 7, ParseErrorCode::InvalidUtf8)
    );
    assert_eq!(r.summary.to_string(), "1 passed, 0 failed");
    // Columns count characters, not bytes.
    let mut bytes = "title ✓✓\nkey é🔑".as_bytes().to_vec();
    bytes.push(0xff);
    let r = evaluate_bytes(&bytes);
    let e = r
        .errors
        .first()
        .unwrap_or_else(|| panic!("no error: {r:?}"));
    assert_eq!(
        (e.line, e.column, e.code),
        (2, 7, ParseErrorCode::InvalidUtf8)
    );
}

/// Very long lines and words, many lines, numbers past any integer type.
#[test]
fn sizes_and_numbers_at_the_edges() {
    let long_word = "k".repeat(10_000);
    let emoji_word = "🔑".repeat(3_000);
    let texts = vec![
        format!("title {}", "x".repeat(10_000)),
        format!("key create {long_word}"),
        format!("key create k1\nkey disable {emoji_word}"),
        format!("{emoji_word} {emoji_word}"),
        format!("key create k1 # {}", "<".repeat(10_000)),
        format!("key create {}", "a".repeat(64)),
        format!("key create {}", "a".repeat(65)),
        "wait 0\nwait 100001\nwait 100000\nwait 18446744073709551616\nwait -1\nwait +5\nwait 1e3\nwait ٣\nwait ５".to_owned(),
        "key create k1\nkey schedule-deletion k1 99999999999999999999999\nkey schedule-deletion k1 6\nkey schedule-deletion k1 1097\nkey schedule-deletion k1 1096\nwait 100000\nexpect k1 state deleted".to_owned(),
        "expect count 99999999999999999999 keys\nkey create k1\nexpect count 18446744073709551615 keys".to_owned(),
        "key create create\ndisk create disk\nserver create expect\nsnapshot create title disk disk\nexpect disk encrypted create".to_owned(),
        "key create k1\nkey disable к1".to_owned(), // Cyrillic к
        format!("key create k1\n{}", "expect ok\n".repeat(10_000)),
        "wait 100000\n".repeat(20_000),
        (0..3_000)
            .map(|i| format!("disk create d{i}\nsnapshot create s{i} disk d{i}\n"))
            .collect(),
    ];
    for t in &texts {
        let all = deterministic(t.as_bytes());
        for e in &all.report.errors {
            assert!(e.found.chars().count() <= 80, "found {:?}", e.found);
        }
    }
}

/// A name of 64 characters is a name; 65 is a parse error that says what was wrong.
#[test]
fn name_length_limit() {
    let ok = evaluate(&format!("key create {}", "a".repeat(64)));
    assert!(ok.errors.is_empty(), "{:?}", ok.errors);
    let bad = evaluate(&format!("key create {}", "a".repeat(65)));
    assert_eq!(bad.errors.len(), 1, "{:?}", bad.errors);
}

/// The Markdown report of a scenario full of markup carries it only as escaped text or inside
/// code spans (what the app downloads and `keyline run --markdown` prints).
#[test]
fn markdown_escapes_html_from_every_field() {
    for x in PAYLOADS {
        let text = format!(
            "title {x}\nrole security-admin\nkms grant\nkey create k1\nkey schedule-deletion k1 7\nwait 7\n\
             disk create d1 encrypt k1 # {x}\n{x} create d2\nkey create {x}\nexpect d1 encrypted {x}\n\
             expect k1 state {x}\ndisk create d3\nattach d3 {x}"
        );
        let md = evaluate(&text).to_markdown();
        assert_markdown_has_no_raw_html(&md);
    }
    let md = evaluate("title <b>bold</b> & \"quotes\" > all\nkey create k1").to_markdown();
    assert!(
        md.starts_with("# Keyline report: \\<b\\>bold\\</b\\> &amp; \"quotes\" \\> all\n"),
        "{md}"
    );
}

// Regression tests for inputs the fuzzers found: none so far (see fuzz/README.md for the
// figures of each run).
