//! `keyline lesson list|check|solution [DIR]` as authors call it: the built-in course and
//! temporary folders of level files, good and broken.
// Helpers fail their test with the reason; clippy.toml's allow-*-in-tests covers the #[test]
// functions only, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

// Shared with the other CLI tests; this file needs only `keyline` and `text`.
#[allow(dead_code)]
mod common;
use common::{keyline, text};
use std::path::{Path, PathBuf};

/// A valid level; tests break one line of it.
const GOOD: &str = "\
id: mine
title: Mine
chapter: Testing
rules: R-CHOOSE
quote: 000 When creating an empty disk, you can determine whether to encrypt the disk or not.
intro: Hello.
goal: Create d1 encrypted with k1.
hint: Use encrypt.
start:
role security-admin
kms grant
key create k1
checks:
expect d1 encrypted k1
solution:
disk create d1 encrypt k1
";

/// A fresh folder holding `files` (name, content).
fn folder(tag: &str, files: &[(&str, &[u8])]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("keyline-lesson-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (name, content) in files {
        std::fs::write(dir.join(name), content).unwrap();
    }
    dir
}

fn check(dir: &Path) -> (i32, String) {
    let out = keyline(&["lesson", "check", dir.to_str().unwrap()], None);
    (out.status.code().unwrap(), text(&out.stdout))
}

#[test]
fn list_json_has_the_documented_shape() {
    let out = keyline(&["lesson", "list", "--json"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let list = v.as_array().unwrap();
    assert!(list.len() >= 15);
    for item in list {
        let obj = item.as_object().unwrap();
        let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, vec!["chapter", "id", "rules", "title"]);
        assert!(!obj["rules"].as_array().unwrap().is_empty());
        assert!(obj["rules"][0].as_str().unwrap().starts_with("R-"));
    }
    assert_eq!(list[0]["id"], "grant-access");
    let text_out = keyline(&["lesson", "list"], None);
    assert!(text(&text_out.stdout).starts_with("1. KMS access and roles\n"));
}

#[test]
fn the_builtin_course_proves() {
    let out = keyline(&["lesson", "check"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).ends_with(" problems\n"));
}

#[test]
fn a_folder_of_good_levels_proves_and_lists() {
    let dir = folder(
        "good",
        &[("01-mine.level", GOOD.as_bytes()), ("notes.txt", b"x")],
    );
    let (code, out) = check(&dir);
    assert_eq!((code, out.as_str()), (0, "1 level proved, 0 problems\n"));
    let out = keyline(&["lesson", "list", dir.to_str().unwrap(), "--json"], None);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["id"], "mine");
    let out = keyline(&["lesson", "solution", "mine", dir.to_str().unwrap()], None);
    assert_eq!(text(&out.stdout), "disk create d1 encrypt k1\n");
}

#[test]
fn a_broken_start_is_named_with_its_file_and_line() {
    let bad = GOOD.replace("kms grant", "kms grnat");
    let dir = folder("start", &[("01-mine.level", bad.as_bytes())]);
    let (code, out) = check(&dir);
    assert_eq!(code, 1);
    let file = dir.join("01-mine.level");
    assert!(
        out.starts_with(&format!(
            "{}:11: the start has a parse error",
            file.display()
        )),
        "{out}"
    );
}

#[test]
fn an_unsatisfiable_goal_is_named_with_its_check_line() {
    let bad = GOOD.replace("expect d1 encrypted k1", "expect d1 encrypted k2");
    let dir = folder("goal", &[("01-mine.level", bad.as_bytes())]);
    let (code, out) = check(&dir);
    assert_eq!(code, 1);
    assert!(
        out.contains("01-mine.level:14: the reference solution does not reach the goal: expected d1 encrypted k2"),
        "{out}"
    );
}

#[test]
fn an_unknown_rule_is_named_with_the_nearest() {
    let bad = GOOD.replace("rules: R-CHOOSE", "rules: R-CHOSE");
    let dir = folder(
        "rule",
        &[
            ("01-mine.level", bad.as_bytes()),
            (
                "02-good.level",
                GOOD.replace("id: mine", "id: other").as_bytes(),
            ),
        ],
    );
    let (code, out) = check(&dir);
    assert_eq!(code, 1);
    assert!(
        out.contains(
            "01-mine.level:4: `R-CHOSE` is not a rule of SPEC §3 (did you mean `R-CHOOSE`?)"
        ),
        "{out}"
    );
    assert!(out.ends_with("1 level proved, 1 problem\n"), "{out}");
}

#[test]
fn duplicate_ids_and_files_that_are_not_text_fail() {
    let dir = folder(
        "dup",
        &[
            ("01-a.level", GOOD.as_bytes()),
            ("02-b.level", GOOD.as_bytes()),
            ("03-c.level", b"id: x\n\xff\xfe\n"),
        ],
    );
    let (code, out) = check(&dir);
    assert_eq!(code, 1);
    assert!(
        out.contains("02-b.level:1: the id `mine` is already used by"),
        "{out}"
    );
    assert!(
        out.contains("03-c.level:2: the level file is not UTF-8 text"),
        "{out}"
    );
}

#[test]
fn bad_usage_and_unreadable_folders_exit_2() {
    let out = keyline(&["lesson", "check", "/nonexistent/levels"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("/nonexistent/levels: cannot read the directory"));
    let out = keyline(&["lesson", "solution", "grant-acess"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no level grant-acess (did you mean grant-access?)"));
    let out = keyline(&["lesson", "solution", "grant-access"], None);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).starts_with("role security-admin\n"));
    let empty = folder("empty", &[("readme.txt", b"no levels here")]);
    let out = keyline(&["lesson", "check", empty.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no level files (*.level)"));
    let out = keyline(&["lesson", "frobnicate"], None);
    assert_eq!(out.status.code(), Some(2));
}
