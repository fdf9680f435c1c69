//! Names and comment text from untrusted input.
//!
//! Cloud names may hold anything: markup, spaces, control characters, right-to-left overrides,
//! 300 characters. Scenario names follow `[A-Za-z0-9][A-Za-z0-9._/-]{0,63}` and are unique across
//! every resource; comments must stay on one line and show what they say.

use keyline_rules::{fresh_name_from, Kind, NewResource, Numbering, DEFAULT_KEY, MAX_NAME_LEN};
use std::collections::{HashMap, HashSet};

/// Text from the input made safe for a comment, a title or a terminal: one line, no control
/// characters, no invisible or direction-changing characters (each shown as `\u{…}`), at most
/// `max` characters (then `…`).
pub(crate) fn clean(text: &str, max: usize) -> String {
    let mut out = String::new();
    for (n, c) in text.chars().enumerate() {
        if n >= max {
            out.push('…');
            break;
        }
        if c.is_control() || is_invisible(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// Format characters that hide or reorder text (Trojan Source), separators that some editors
/// treat as line breaks, and zero-width characters.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}'
            | '\u{061c}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206f}'
            | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}'
    )
}

/// `text` in quotes for a comment or warning, cleaned and shortened.
pub(crate) fn quoted(text: &str) -> String {
    format!("\"{}\"", clean(text, 80))
}

/// Turns a cloud name into a valid scenario name (not yet unique): every run of characters
/// outside `[A-Za-z0-9._/-]` becomes one `-`; a name whose first character is not a letter or
/// digit gets `prefix` (the resource kind) in front; at most 64 characters; never ending in
/// `/default`. `None` when nothing of the name is left (no ASCII letter or digit in it).
pub(crate) fn sanitise(raw: &str, prefix: &str) -> Option<String> {
    let mut out = String::with_capacity(raw.len().min(MAX_NAME_LEN + 8));
    let mut replaced = false;
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '/' | '-') {
            out.push(c);
            replaced = false;
        } else if !replaced {
            out.push('-');
            replaced = true;
        }
        if out.len() > 2 * MAX_NAME_LEN {
            break;
        }
    }
    if !out.bytes().any(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    if !out.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        let sep = if out.starts_with('-') { "" } else { "-" };
        out = format!("{prefix}{sep}{out}");
    }
    // ASCII only from here, so byte lengths are character counts.
    out.truncate(MAX_NAME_LEN);
    Some(unreserve(out))
}

/// `x/default` → `x-default`: only default keys may carry that ending.
fn unreserve(mut name: String) -> String {
    if name.ends_with("/default") {
        let at = name.len() - "/default".len();
        name.replace_range(at..=at, "-");
    }
    name
}

/// Hands out unique names.
#[derive(Debug, Default)]
pub(crate) struct Names {
    used: HashSet<String>,
    /// Next suffix to try for a base name, so 10,000 disks named alike stay linear.
    next: HashMap<String, u32>,
}

impl Names {
    /// Besides `evs/default`, the words the engine's state shows for "no key", "no system
    /// disk" and the public image are kept free, so a resource never reads as one of them.
    pub(crate) fn new() -> Names {
        let mut n = Names::default();
        for reserved in [DEFAULT_KEY, "none", "public"] {
            n.used.insert(reserved.to_owned());
        }
        n
    }

    /// A unique valid name for a resource called `raw` in the cloud, falling back to
    /// `fallback` (its id) and then to `prefix` when neither has a usable character.
    pub(crate) fn take(&mut self, raw: &str, fallback: &str, prefix: &str) -> String {
        let base = sanitise(raw, prefix)
            .or_else(|| sanitise(fallback, prefix))
            .unwrap_or_else(|| prefix.to_owned());
        self.unique(base, prefix)
    }

    /// `base`, else `base-2`, `base-3`, … (the engine's [`fresh_name_from`], so a server's
    /// `-sys` disk name is free too).
    fn unique(&mut self, base: String, prefix: &str) -> String {
        let new = match prefix {
            "server" => NewResource::Server { data_disks: 0 },
            "key" => NewResource::Resource(Kind::Keys),
            "image" => NewResource::Resource(Kind::Images),
            "snapshot" => NewResource::Resource(Kind::Snapshots),
            "backup" => NewResource::Resource(Kind::Backups),
            "config" => NewResource::Resource(Kind::Configs),
            _ => NewResource::Resource(Kind::Disks),
        };
        let from = self.next.get(&base).copied().unwrap_or(0);
        let used = &self.used;
        let (name, next) = fresh_name_from(&base, new, Numbering::BareThenDashed, from, |n| {
            used.contains(n)
        });
        self.next.insert(base, next);
        self.used.insert(name.clone());
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keyline_rules::is_valid_name;

    #[test]
    fn sanitises_to_the_grammar() {
        assert_eq!(sanitise("web-01", "disk").unwrap(), "web-01");
        assert_eq!(
            sanitise("<script>alert(1)</script>", "disk").unwrap(),
            "disk-script-alert-1-/script-"
        );
        assert_eq!(
            sanitise("\"><img onerror=x>", "disk").unwrap(),
            "disk-img-onerror-x-"
        );
        assert_eq!(sanitise(".hidden", "disk").unwrap(), "disk-.hidden");
        assert_eq!(sanitise("data disk 1", "disk").unwrap(), "data-disk-1");
        assert_eq!(
            sanitise("abc\u{202e}fdp.exe", "disk").unwrap(),
            "abc-fdp.exe"
        );
        assert_eq!(sanitise("obs/default", "key").unwrap(), "obs-default");
        assert_eq!(sanitise("evs/default", "key").unwrap(), "evs-default");
        assert_eq!(sanitise("数据盘", "disk"), None);
        assert_eq!(sanitise("", "disk"), None);
        assert_eq!(sanitise("--", "disk"), None);
        let long = "a".repeat(300);
        assert_eq!(sanitise(&long, "disk").unwrap().len(), 64);
        // Truncation cannot leave a reserved ending either.
        let tricky = format!("{}/default", "b".repeat(56));
        assert_eq!(tricky.len(), 64);
        assert!(sanitise(&tricky, "disk").unwrap().ends_with("-default"));
        for raw in [
            "<script>alert(1)</script>",
            "x/default",
            "..",
            "a b",
            &long,
            "é",
        ] {
            if let Some(n) = sanitise(raw, "disk") {
                assert!(is_valid_name(&n), "{raw} → {n}");
                assert!(!n.ends_with("/default"));
            }
        }
    }

    #[test]
    fn unique_across_everything() {
        let mut n = Names::new();
        assert_eq!(n.take("evs/default", "id", "key"), "evs-default");
        assert_eq!(n.take("none", "id", "key"), "none-2");
        assert_eq!(n.take("public", "id", "disk"), "public-2");
        assert_eq!(n.take("db", "id", "disk"), "db");
        assert_eq!(n.take("db", "id", "disk"), "db-2");
        assert_eq!(n.take("db", "id", "server"), "db-3");
        assert_eq!(n.take("db-2", "id", "disk"), "db-2-2");
        assert_eq!(n.take("数据盘", "5f3c-01", "disk"), "5f3c-01");
        assert_eq!(n.take("数据盘", "数据", "disk"), "disk");
        assert_eq!(n.take("", "", "disk"), "disk-2");
        let long = "x".repeat(80);
        let a = n.take(&long, "", "disk");
        let b = n.take(&long, "", "disk");
        assert_eq!(a.len(), 64);
        assert_eq!(b.len(), 64);
        assert!(b.ends_with("-2"));
        assert_ne!(a, b);
        for _ in 0..10_000 {
            let name = n.take("same", "", "disk");
            assert!(is_valid_name(&name));
        }
        assert_eq!(n.take("same", "", "disk"), "same-10001");
    }

    #[test]
    fn cleans_comments() {
        assert_eq!(clean("a\nb\r\tc", 80), "a\\u{a}b\\u{d}\\u{9}c");
        assert_eq!(clean("abc\u{202e}def", 80), "abc\\u{202e}def");
        assert_eq!(clean("\u{1b}[31mred", 80), "\\u{1b}[31mred");
        assert_eq!(clean("abcdef", 3), "abc…");
        assert_eq!(quoted("<b>"), "\"<b>\"");
    }
}
