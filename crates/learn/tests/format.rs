//! The level file format: what it reads, what it prints, and every error with its line.

use keyline_learn::{Constraint, DocSource, Level, LevelErrorKind, Pattern, SOURCES};
use keyline_rules::{RuleId, Statement, StatementKind};

/// A small valid level; tests change one line of it.
const LEVEL: &str = "\
# a comment
id: tiny
title: Tiny
chapter: Testing
rules: R-CHOOSE
quote: 000 When creating an empty disk, you can determine whether to encrypt the disk or not.
intro: First paragraph.
intro:
intro: Second paragraph.
goal: Create d1 encrypted with k1.
constraint: at-most 2
constraint: nothing-deleted
constraint: no-data-lost
constraint: must-use disk create
constraint: must-not-use disk create d1 encrypt k2
hint: gentle
hint: explicit
start:
role security-admin
kms grant
key create k1

checks:
expect d1 encrypted k1
solution:
disk create d1 encrypt k1
";

fn with_line(line: u32, replacement: &str) -> String {
    LEVEL
        .split('\n')
        .enumerate()
        .map(|(i, l)| {
            if i + 1 == line as usize {
                replacement
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn reads_every_field() {
    let l = Level::parse(LEVEL).unwrap();
    assert_eq!(l.id, "tiny");
    assert_eq!(l.rules, vec![RuleId::Choose]);
    assert_eq!(l.quotes[0].source, DocSource::Evs);
    assert_eq!(l.intro, "First paragraph.\n\nSecond paragraph.");
    assert_eq!(l.hints, vec!["gentle", "explicit"]);
    assert_eq!(l.lines.hints, vec![16, 17]);
    // Trailing blank lines of a block are dropped; the start keeps its own numbering.
    assert_eq!(l.start, "role security-admin\nkms grant\nkey create k1");
    assert_eq!(l.lines.start, 18);
    assert_eq!(l.start_file_line(3), 21);
    assert_eq!(l.solution, "disk create d1 encrypt k1");
    assert_eq!(l.checks.len(), 1);
    assert_eq!(l.checks[0].line, 24);
    let constraints: Vec<&Constraint> = l.constraints.iter().map(|c| &c.constraint).collect();
    assert_eq!(
        constraints,
        vec![
            &Constraint::AtMost(2),
            &Constraint::NothingDeleted,
            &Constraint::NoDataLost,
            &Constraint::MustUse(Pattern::Kind(StatementKind::DiskCreate)),
            &Constraint::MustNotUse(Pattern::Exact(
                Statement::parse("disk create d1 encrypt k2").unwrap()
            )),
        ]
    );
}

#[test]
fn prints_what_it_reads() {
    let mut all: Vec<&str> = SOURCES.iter().map(|(_, t)| *t).collect();
    all.push(LEVEL);
    for text in all {
        let level = Level::parse(text).unwrap();
        let printed = level.to_text();
        let again = Level::parse(&printed).unwrap();
        assert_eq!(again.to_text(), printed);
        let strip = |mut l: Level| {
            l.lines = Default::default();
            l.checks.iter_mut().for_each(|c| c.line = 0);
            l.constraints.iter_mut().for_each(|c| c.line = 0);
            l
        };
        assert_eq!(strip(again), strip(level));
    }
}

#[test]
fn crlf_bom_and_indented_blocks_read_the_same() {
    let crlf = format!("\u{feff}{}", LEVEL.replace('\n', "\r\n"));
    let a = Level::parse(&crlf).unwrap();
    let b = Level::parse(LEVEL).unwrap();
    assert_eq!(a.to_text(), b.to_text());
    let indented = LEVEL.replace("kms grant", "  kms grant");
    assert!(Level::parse(&indented).is_ok());
}

/// Whether an error is the one a case expects.
type Is = fn(&LevelErrorKind) -> bool;

/// Every error names the level file's line.
#[test]
fn every_error_has_its_line() {
    let cases: Vec<(String, u32, Is)> = vec![
        (with_line(2, "id: Tiny Level"), 2, |k| {
            matches!(k, LevelErrorKind::BadId(_))
        }),
        (with_line(3, "titel: Tiny"), 3, |k| {
            matches!(
                k,
                LevelErrorKind::UnknownField {
                    suggestion: Some("title"),
                    ..
                }
            )
        }),
        (with_line(4, "chapter:"), 4, |k| {
            matches!(k, LevelErrorKind::Empty("chapter"))
        }),
        (with_line(5, "rules: R-CHOOSE R-SNAPP"), 5, |k| {
            matches!(
                k,
                LevelErrorKind::UnknownRule {
                    suggestion: Some("R-SNAP"),
                    ..
                }
            )
        }),
        (with_line(6, "quote: 001 A sentence."), 6, |k| {
            matches!(k, LevelErrorKind::BadQuote(_))
        }),
        (with_line(11, "constraint: at-most none"), 11, |k| {
            matches!(k, LevelErrorKind::BadConstraint(_))
        }),
        (
            with_line(14, "constraint: must-use disk frobnicate"),
            14,
            |k| matches!(k, LevelErrorKind::BadConstraint(_)),
        ),
        (
            with_line(12, "constraint: nothing-deleted please"),
            12,
            |k| matches!(k, LevelErrorKind::BadConstraint(_)),
        ),
        (with_line(13, "title: Again"), 13, |k| {
            matches!(k, LevelErrorKind::Duplicate("title"))
        }),
        (with_line(18, "start: key create k1"), 18, |k| {
            matches!(k, LevelErrorKind::BlockValue("start"))
        }),
        // A broken start: the file's line of the bad scenario line.
        (with_line(20, "kms grnat"), 20, |k| {
            matches!(k, LevelErrorKind::Scenario { block: "start", .. })
        }),
        (with_line(26, "disk create d1 encrypt"), 26, |k| {
            matches!(
                k,
                LevelErrorKind::Scenario {
                    block: "solution",
                    ..
                }
            )
        }),
        (with_line(24, "expect d1 encrypted"), 24, |k| {
            matches!(k, LevelErrorKind::BadCheck(_))
        }),
        (with_line(24, "disk create d9"), 24, |k| {
            matches!(k, LevelErrorKind::BadCheck(_))
        }),
        (with_line(24, "expect ok"), 24, |k| {
            matches!(k, LevelErrorKind::OutcomeCheck(_))
        }),
        (with_line(24, "# no check left"), 23, |k| {
            matches!(k, LevelErrorKind::Empty("checks"))
        }),
        (with_line(1, "just some words"), 1, |k| {
            matches!(k, LevelErrorKind::NotAField(_))
        }),
        (with_line(10, "# no goal"), 2, |k| {
            matches!(k, LevelErrorKind::Missing("goal"))
        }),
        (with_line(3, "title: Tiny \u{202e}gnp.exe"), 3, |k| {
            k == &LevelErrorKind::ControlCharacter {
                column: 13,
                code: 0x202e,
            }
        }),
        (with_line(21, "key create k1\u{1b}[2J"), 21, |k| {
            matches!(k, LevelErrorKind::ControlCharacter { column: 14, .. })
        }),
        (format!("{LEVEL}{}", "#".repeat(70_000)), 1, |k| {
            matches!(k, LevelErrorKind::TooLarge)
        }),
    ];
    for (text, line, kind) in cases {
        let e = Level::parse(&text).unwrap_err();
        assert_eq!(e.line, line, "{e}");
        assert!(kind(&e.kind), "line {line}: {e}");
        assert!(e.to_string().starts_with(&format!("line {line}: ")));
    }
}

#[test]
fn the_missing_hint_is_named() {
    let text = with_line(16, "# x").replace("hint: explicit\n", "");
    let e = Level::parse(&text).unwrap_err();
    assert_eq!(e.kind, LevelErrorKind::Missing("hint"));
}

#[test]
fn a_pattern_is_a_kind_or_a_whole_statement() {
    let level = |c: &str| Level::parse(&with_line(14, &format!("constraint: {c}")));
    let first = |c: &str| level(c).unwrap().constraints[3].constraint.clone();
    assert_eq!(
        first("must-use key\tenable"),
        Constraint::MustUse(Pattern::Kind(StatementKind::KeyEnable))
    );
    // Spacing does not matter: the statement is compared as the engine's value.
    assert_eq!(
        first("must-use attach   d1 s1"),
        Constraint::MustUse(Pattern::Exact(Statement::parse("attach d1 s1").unwrap()))
    );
    assert_eq!(
        first("must-use attach d1 s1").to_string(),
        "must-use attach d1 s1"
    );
    assert!(level("must-use key enable k1 k2").is_err());
}
