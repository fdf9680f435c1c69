//! `keyline lesson list|check|solution [DIR]`: the course for authors. The built-in course
//! (compiled into `keyline-learn`) unless a directory of `*.level` files is given. What a level
//! holds, whether it proves and why not are `keyline-learn`'s answers; this module reads the
//! files and prints.

use super::Status;
use crate::error::Error;
use keyline_learn::{check_course, Course, Coverage, Level, SOURCES};
use std::io::{self, Write};
use std::path::Path;

/// Where the built-in level files live in the repository (for messages).
const BUILTIN_DIR: &str = "crates/learn/course";

/// Level files as (display name, text), in course order (file-name order for a directory).
/// A file that is not UTF-8 keeps its place with the text up to the bad byte, and its
/// problem: (display name, line, reason).
struct Files {
    files: Vec<(String, String)>,
    unreadable: Vec<(String, u32, String)>,
}

fn builtin() -> Files {
    Files {
        files: SOURCES
            .iter()
            .map(|(name, text)| (format!("{BUILTIN_DIR}/{name}"), (*text).to_owned()))
            .collect(),
        unreadable: Vec::new(),
    }
}

/// Reads every `*.level` file of `dir`, sorted by name.
fn read_dir(dir: &str) -> Result<Files, Error> {
    let unreadable = |source: io::Error| Error::Dir {
        path: dir.to_owned(),
        source,
    };
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map_err(unreadable)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(unreadable)?;
    paths.retain(|p| p.extension().is_some_and(|e| e == "level") && !p.is_dir());
    paths.sort();
    if paths.is_empty() {
        // Most likely the wrong folder: proving nothing must not look like success.
        return Err(Error::NoLevels {
            path: dir.to_owned(),
        });
    }
    let mut out = Files {
        files: Vec::new(),
        unreadable: Vec::new(),
    };
    for p in paths {
        let name = display(dir, &p);
        let bytes = std::fs::read(&p).map_err(|source| Error::Unreadable {
            path: name.clone(),
            source,
        })?;
        match String::from_utf8(bytes) {
            Ok(text) => out.files.push((name, text)),
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let line = e
                    .as_bytes()
                    .iter()
                    .take(valid)
                    .filter(|&&b| b == b'\n')
                    .count()
                    + 1;
                let line = u32::try_from(line).unwrap_or(u32::MAX);
                out.unreadable
                    .push((name, line, "the level file is not UTF-8 text".to_owned()));
            }
        }
    }
    Ok(out)
}

fn display(dir: &str, p: &Path) -> String {
    let file = p.file_name().map(|f| f.to_string_lossy().into_owned());
    match file {
        Some(f) => Path::new(dir).join(f).to_string_lossy().into_owned(),
        None => p.to_string_lossy().into_owned(),
    }
}

fn files(dir: Option<&str>) -> Result<Files, Error> {
    dir.map_or_else(|| Ok(builtin()), read_dir)
}

/// Reads the levels that parse; prints each that does not to standard error.
fn levels(dir: Option<&str>) -> Result<(Vec<Level>, bool), Error> {
    let files = files(dir)?;
    let mut err = io::stderr().lock();
    let mut broken = false;
    for (name, line, why) in &files.unreadable {
        writeln!(err, "keyline: {name}:{line}: {why}")?;
        broken = true;
    }
    let mut levels = Vec::new();
    for (name, text) in &files.files {
        match Level::parse(text) {
            Ok(l) => levels.push(l),
            Err(e) => {
                writeln!(err, "keyline: {name}:{}: {}", e.line, e.kind)?;
                broken = true;
            }
        }
    }
    Ok((levels, broken))
}

/// `lesson list [DIR] [--json]`: every level's id, title, chapter and rules. Exit 1 when a
/// level file cannot be read as a level (it is named on standard error; the others are listed).
pub fn list(dir: Option<&str>, json: bool) -> Result<Status, Error> {
    let (levels, broken) = levels(dir)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    if json {
        let list: Vec<serde_json::Value> = levels
            .iter()
            .map(|l| {
                serde_json::json!({
                    "id": l.id,
                    "title": l.title,
                    "chapter": l.chapter,
                    "rules": l.rules.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &list)?;
        writeln!(out)?;
    } else {
        let course = Course { levels };
        for (i, chapter) in course.chapters().iter().enumerate() {
            writeln!(out, "{}. {}", i + 1, chapter.title)?;
            for l in &chapter.levels {
                let rules: Vec<&str> = l.rules.iter().map(|r| r.as_str()).collect();
                writeln!(out, "   {:<24} {} ({})", l.id, l.title, rules.join(", "))?;
            }
        }
    }
    out.flush()?;
    Ok(if broken {
        Status::Failed
    } else {
        Status::Success
    })
}

/// `lesson check [DIR]`: proves every level (the built-in course must also teach every rule).
/// Each problem is printed as `FILE:LINE: reason`; exit 1 when there is one.
pub fn check(dir: Option<&str>) -> Result<Status, Error> {
    let files = files(dir)?;
    let coverage = if dir.is_none() {
        Coverage::EveryRule
    } else {
        Coverage::Any
    };
    let (levels, problems) = check_course(&files.files, coverage);
    let mut out = io::BufWriter::new(io::stdout().lock());
    for (name, line, why) in &files.unreadable {
        writeln!(out, "{name}:{line}: {why}")?;
    }
    for p in &problems {
        writeln!(out, "{p}")?;
    }
    let failed = problems.len() + files.unreadable.len();
    writeln!(
        out,
        "{} level{} proved, {failed} problem{}",
        levels.len(),
        if levels.len() == 1 { "" } else { "s" },
        if failed == 1 { "" } else { "s" }
    )?;
    out.flush()?;
    Ok(if failed > 0 {
        Status::Failed
    } else {
        Status::Success
    })
}

/// `lesson solution ID [DIR]`: the reference solution's lines.
pub fn solution(id: &str, dir: Option<&str>) -> Result<Status, Error> {
    let (levels, _) = levels(dir)?;
    let course = Course { levels };
    let level = course.get(id).ok_or_else(|| Error::UnknownLevel {
        id: id.to_owned(),
        nearest: course.nearest_id(id).map(str::to_owned),
    })?;
    let mut out = io::stdout().lock();
    writeln!(out, "{}", level.solution)?;
    out.flush()?;
    Ok(Status::Success)
}
