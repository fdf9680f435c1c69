//! The `keyline` binary against hostile input: arbitrary bytes on every command never panic
//! (exit 0, 1 or 2, never 101), large files finish fast, text that is not UTF-8 gets a
//! positioned error, and files that cannot be read get a clear message and exit 2. A closed
//! standard output ends quietly with 0; one that cannot be written otherwise (a full disk) exits
//! 2 with a message.
// A helper that cannot do its part fails its test with the reason; clippy.toml's
// allow-*-in-tests covers the #[test] functions only, not the helpers beside them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use keyline_rules::generate::{self, Rng};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_keyline"));
    c.env("NO_COLOR", "1").env("RUST_BACKTRACE", "0");
    c
}

fn keyline(args: &[&str]) -> Output {
    bin().args(args).output().expect("run keyline")
}

fn keyline_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn keyline");
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let input = input.to_vec();
    // Written from a thread so a large input cannot deadlock against a full stdout pipe.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().expect("wait keyline");
    let _ = writer.join();
    out
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A private temporary directory for this test process.
fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("keyline-cli-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn temp(name: &str, content: &[u8]) -> PathBuf {
    let p = temp_dir().join(name);
    std::fs::write(&p, content).expect("write temp");
    p
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("temp paths are UTF-8")
}

/// Exit 0, 1 or 2 and no panic message: what any input must give.
fn assert_no_crash(what: &str, o: &Output) {
    let err = stderr(o);
    assert!(
        matches!(o.status.code(), Some(0..=2)),
        "{what}: exit {:?}\n{err}",
        o.status
    );
    assert!(!err.contains("panicked"), "{what}: {err}");
}

fn scenarios() -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/scenarios")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "kl"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read(p).expect("read scenario"))
        .collect()
}

/// Arbitrary bytes, and scenarios with random bytes inserted, deleted and flipped.
fn hostile_inputs(seed: u64, count: usize) -> Vec<Vec<u8>> {
    let mut rng = Rng::new(seed);
    let files = scenarios();
    let mut out = vec![
        Vec::new(),
        b"\xef\xbb\xbf".to_vec(),
        b"\0\0\0\n\xff\xfe\r\r\n".to_vec(),
        "title <script>alert(1)</script> \u{202e}🔑\nkey create k1 # \x1b[31m\n"
            .as_bytes()
            .to_vec(),
        b"\x1b]0;owned\x07\x1b[2J\nkey create k1\nexpect k1 state \x1b[31m\n".to_vec(),
    ];
    for i in 0..count {
        if i % 3 == 0 {
            let n = rng.below(800);
            out.push((0..n).map(|_| rng.next_u64() as u8).collect());
        } else {
            let mut b = files
                .get(rng.below(files.len()))
                .cloned()
                .unwrap_or_default();
            for _ in 0..1 + rng.below(10) {
                let at = rng.below(b.len() + 1);
                match rng.below(3) {
                    0 => b.insert(at, rng.next_u64() as u8),
                    1 => {
                        let end = (at + rng.below(30)).min(b.len());
                        b.drain(at..end);
                    }
                    _ => {
                        if let Some(x) = b.get_mut(at) {
                            *x ^= (rng.next_u64() as u8) | 1;
                        }
                    }
                }
            }
            out.push(b);
        }
    }
    out
}

#[test]
fn any_bytes_on_every_command_exit_0_1_or_2() {
    let commands: &[&[&str]] = &[
        &["check", "-"],
        &["run", "-"],
        &["run", "-", "--json"],
        &["run", "-", "--markdown"],
        &["explain", "-", "d1"],
        &["impact", "-", "k1"],
        &["render", "-", "--view", "graph"],
        &["render", "-", "--svg"],
    ];
    for (i, input) in hostile_inputs(0x006b_6579_6c69_6e65, 40).iter().enumerate() {
        for args in commands {
            let o = keyline_stdin(args, input);
            assert_no_crash(&format!("input {i} ({} bytes), {args:?}", input.len()), &o);
            // Parse errors and failing expectations are the only reasons for 2 and 1.
            // Render writes whenever the input is UTF-8 text, and refuses it (2) otherwise.
            if args[0] == "render" {
                let utf8 = std::str::from_utf8(input).is_ok();
                assert_eq!(o.status.code(), Some(if utf8 { 0 } else { 2 }), "{args:?}");
                assert_eq!(o.stdout.is_empty(), !utf8, "{args:?}");
            }
            if args[0] == "run" && o.status.code() == Some(0) {
                assert!(!stdout(&o).is_empty(), "{args:?} printed nothing");
            }
        }
    }
}

#[test]
fn json_output_is_always_valid_json() {
    for input in hostile_inputs(7, 20) {
        let o = keyline_stdin(&["run", "-", "--json"], &input);
        assert_no_crash("run --json", &o);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(&o)));
        assert_eq!(v["version"], 1);
    }
}

/// Hostile arguments: names that are markup or escape sequences, paths that look like flags,
/// a path that is not UTF-8, an action that does not exist.
#[test]
fn hostile_arguments() {
    let f = temp(
        "args.kl",
        b"role security-admin\nkms grant\nkey create k1\ndisk create d1 encrypt k1\n",
    );
    let f = path_str(&f);
    for args in [
        vec!["explain", f, "<script>alert(1)</script>"],
        vec!["explain", f, "\u{202e}d1"],
        vec!["explain", f, "\x1b[2J"],
        vec!["explain", f, ""],
        vec!["impact", f, "d1"],
        vec!["impact", f, "evs/default"],
        vec!["impact", f, &"k".repeat(100_000)],
        vec!["impact", f, "k1", "--action", "detonate"],
        vec!["check", "--", "-not-a-flag.kl"],
        vec!["run", f, "--json", "--markdown"],
        vec!["rules", "R-\u{7f}\u{202e}"],
    ] {
        let o = keyline(&args);
        assert_no_crash(&format!("{:?}", &args[..args.len().min(3)]), &o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).is_empty(), "{args:?}: no message");
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let o = bin()
            .arg("check")
            .arg(std::ffi::OsStr::from_bytes(b"not-\xff-utf8.kl"))
            .output()
            .expect("run keyline");
        assert_no_crash("a path that is not UTF-8", &o);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    }
}

/// A 5 MB file, a 100,000-line file and one 5 MB line: verdicts, no crash. How fast is
/// measured by `cargo xtask bench` (the "CLI: `keyline check` on a 5 MB file" row), not here.
#[test]
fn large_files_get_verdicts() {
    let mut five_mb = generate::workload(20_000);
    while five_mb.len() < 5_000_000 {
        five_mb
            .push_str("# padding comment: <script>alert(1)</script> \u{202e} 🔑🔑🔑🔑🔑🔑🔑🔑🔑\n");
    }
    let big = temp("5mb.kl", five_mb.as_bytes());
    let lines: String = (0..100_000)
        .map(|i| match i % 4 {
            0 => format!("disk create d{i}\n"),
            1 => format!("snapshot create s{i} disk d{}\n", i - 1),
            2 => "expect ok\n".to_owned(),
            _ => format!("disk delete d{}\n", i - 3),
        })
        .collect();
    let many = temp("100k-lines.kl", lines.as_bytes());
    let one_line = temp("one-5mb-line.kl", "k".repeat(5_000_000).as_bytes());

    for (name, path, text) in [
        ("5 MB file", &big, &five_mb),
        ("100,000-line file", &many, &lines),
    ] {
        let p = path_str(path);
        let summary = keyline_rules::evaluate(text).summary.to_string();
        let o = keyline(&["check", p]);
        assert_no_crash(name, &o);
        assert_eq!(stdout(&o).lines().last(), Some(summary.as_str()), "{name}");
        let o = keyline(&["run", p, "--json"]);
        assert_no_crash(name, &o);
        let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
        assert_eq!(
            json["summary"]["passed"],
            summary_count(&summary, 0),
            "{name}"
        );
    }
    // One 5 MB word: a positioned parse error (exit 2), no crash.
    let o = keyline(&["check", path_str(&one_line)]);
    assert_no_crash("one 5 MB line", &o);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains(":1:1:"), "{}", stderr(&o));
    for p in [big, many, one_line] {
        let _ = std::fs::remove_file(p);
    }
}

/// The `N` of "N passed, M failed" (index 0) or the `M` (index 1).
fn summary_count(summary: &str, index: usize) -> u64 {
    summary
        .split(|c: char| !c.is_ascii_digit())
        .filter(|w| !w.is_empty())
        .nth(index)
        .and_then(|n| n.parse().ok())
        .unwrap_or(u64::MAX)
}

/// Text that is not UTF-8: `FILE:LINE:COL:` on standard error, exit 2, and the other lines
/// still evaluated.
#[test]
fn not_utf8_gets_a_positioned_error() {
    let f = temp(
        "latin1.kl",
        b"title caf\xe9\nkey create k1\nkey create k\xff2\nexpect k1 state enabled\n",
    );
    let name = path_str(&f);
    let o = keyline(&["check", name]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains(&format!("{name}:1:10:")), "{err}");
    assert!(err.contains(&format!("{name}:3:13:")), "{err}");
    assert!(
        stdout(&o).ends_with("1 passed, 0 failed\n"),
        "{}",
        stdout(&o)
    );

    // UTF-16, as a Windows editor may save it: positioned errors, not garbage or a crash.
    let utf16: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain("key create k1\n".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let f = temp("utf16.kl", &utf16);
    let o = keyline(&["run", path_str(&f)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stdout(&o).contains(&format!("{}: parse error 1:1:", path_str(&f))),
        "{}",
        stdout(&o)
    );
}

#[test]
fn files_that_cannot_be_read_exit_2_with_a_clear_message() {
    let dir = temp_dir();
    let missing = dir.join("missing.kl");
    let cases = [
        (path_str(&dir).to_owned(), "is a directory"),
        (path_str(&missing).to_owned(), "no such file"),
    ];
    for (path, says) in &cases {
        for args in [
            vec!["check", path.as_str()],
            vec!["run", path.as_str()],
            vec!["explain", path.as_str(), "d1"],
            vec!["impact", path.as_str(), "k1"],
        ] {
            let o = keyline(&args);
            assert_eq!(o.status.code(), Some(2), "{args:?}");
            let err = stderr(&o);
            assert!(
                err.contains(path.as_str()) && err.contains(says),
                "{args:?}: {err}"
            );
            assert!(
                !err.contains("panicked") && !err.contains("os error"),
                "{err}"
            );
        }
    }
    // One bad file among good ones: the others are still checked, and the exit is 2.
    let good = temp(
        "good.kl",
        b"key create k1\ndisk create d1\nexpect d1 unencrypted\n",
    );
    let o = keyline(&[
        "check",
        path_str(&good),
        path_str(&missing),
        path_str(&good),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stdout(&o).ends_with("2 passed, 0 failed\n"),
        "{}",
        stdout(&o)
    );
}

/// Reads that fail for other reasons, even for root: a path through a regular file, and a
/// file whose read fails with an I/O error.
#[cfg(target_os = "linux")]
#[test]
fn reads_that_fail_exit_2() {
    let f = temp("plain.kl", b"key create k1\n");
    let through = format!("{}/x.kl", path_str(&f));
    for path in [through.as_str(), "/proc/self/mem"] {
        let o = keyline(&["check", path]);
        assert_no_crash(path, &o);
        assert_eq!(o.status.code(), Some(2), "{path}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.starts_with(&format!("keyline: {path}: ")), "{err}");
        println!("{path}: {}", err.trim_end());
    }
}

#[cfg(unix)]
#[test]
fn unreadable_file_exits_2() {
    use std::os::unix::fs::PermissionsExt;
    let f = temp("unreadable.kl", b"key create k1\n");
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o000)).expect("chmod 000");
    if std::fs::read(&f).is_ok() {
        // Root (as in many CI containers) reads a mode-000 file anyway.
        println!(
            "note: skipping the unreadable-file case: this process can read a mode-000 file \
             (running as root?)"
        );
        let _ = std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600));
        return;
    }
    let o = keyline(&["check", path_str(&f)]);
    let _ = std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600));
    println!("unreadable file: {}", stderr(&o).trim_end());
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("permission denied"), "{err}");
    assert!(err.contains(path_str(&f)), "{err}");
}

/// More than a pipe buffers (Linux: 64 KiB unless a process raises it, to 1 MiB at most
/// unprivileged), so a command that prints more must meet the closed read end.
const MORE_THAN_A_PIPE_HOLDS: usize = 1 << 20;

/// A reader that goes away at once (`keyline run big.kl | head -0`) ends `check` and `run`
/// (text, JSON, Markdown) quietly with status 0, as `cat` or `grep` would: nothing on
/// standard error. Read in full, the same commands print more than a pipe holds and exit 1
/// (three expectations fail in every block of the scenario), so the 0 is the closed pipe's.
#[cfg(unix)]
#[test]
fn closed_stdout_ends_quietly_with_status_0() {
    // Three of the four expectations in every block of the workload made to fail.
    let text = generate::workload(100_000)
        .replace("\nexpect ok\n", "\nexpect fail\n")
        .replace("\nexpect warn KEY_IN_USE\n", "\nexpect ok\n")
        .replace(" health unattachable\n", " health healthy\n");
    let f = temp("closed-pipe.kl", text.as_bytes());
    let p = path_str(&f);
    for args in [
        vec!["check", p],
        vec!["run", p],
        vec!["run", p, "--json"],
        vec!["run", p, "--markdown"],
    ] {
        let read = keyline(&args);
        assert_eq!(read.status.code(), Some(1), "{args:?}: {}", stderr(&read));
        assert!(
            read.stdout.len() > MORE_THAN_A_PIPE_HOLDS,
            "{args:?}: only {} bytes of output",
            read.stdout.len()
        );

        let mut child = bin()
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn keyline");
        drop(child.stdout.take());
        let o = child.wait_with_output().expect("wait keyline");
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert_eq!(stderr(&o), "", "{args:?}");
    }
    let _ = std::fs::remove_file(f);
}

/// Output that cannot be written for another reason (a full disk) is an error: exit 2 and a
/// message, not a panic and not a silent success.
#[cfg(target_os = "linux")]
#[test]
fn full_disk_exits_2_with_a_message() {
    let f = temp(
        "full-disk.kl",
        b"key create k1\ndisk create d1\nexpect d1 unencrypted\n",
    );
    for args in [
        vec!["check", path_str(&f)],
        vec!["run", path_str(&f)],
        vec!["run", path_str(&f), "--json"],
        vec!["explain", path_str(&f), "d1"],
        vec!["impact", path_str(&f), "k1"],
        vec!["rules"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let o = bin()
            .args(&args)
            .stdout(full)
            .stderr(Stdio::piped())
            .output()
            .expect("run keyline");
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).starts_with("keyline: cannot write output: "),
            "{args:?}: {}",
            stderr(&o)
        );
    }
}
