//! What the render tests share: a small well-formedness check (tags balanced, attributes
//! quoted, entities known, no raw `<` in text) and attribute readers.
// Test helpers fail their test with the reason.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    dead_code
)]

use std::collections::BTreeMap;

/// One start tag: its name and attributes (values unescaped).
#[derive(Debug, Clone)]
pub struct Tag {
    pub name: String,
    pub attrs: BTreeMap<String, String>,
}

/// Unescapes the entities the renderer writes.
pub fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Checks that `markup` is well-formed XML-like markup (void HTML elements allowed when
/// `html_voids`) and returns every start tag in document order. Panics with the reason.
pub fn check_markup(markup: &str, html_voids: bool) -> Vec<Tag> {
    const VOIDS: &[&str] = &["meta", "link", "br", "img", "input", "hr"];
    let mut stack: Vec<String> = Vec::new();
    let mut tags = Vec::new();
    let mut rest = markup;
    if let Some(r) = rest.strip_prefix("<!DOCTYPE html>") {
        rest = r;
    }
    while let Some(lt) = rest.find('<') {
        check_text(&rest[..lt]);
        let after = &rest[lt + 1..];
        let gt = after.find('>').expect("unclosed tag");
        let inner = &after[..gt];
        rest = &after[gt + 1..];
        if let Some(name) = inner.strip_prefix('/') {
            let open = stack
                .pop()
                .unwrap_or_else(|| panic!("</{name}> closes nothing"));
            assert_eq!(open, name, "</{name}> closes <{open}>");
            continue;
        }
        let self_closing = inner.ends_with('/');
        let inner = inner.trim_end_matches('/');
        let tag = parse_tag(inner);
        if tag.name == "style" {
            // CSS: skip to its end tag.
            let end = rest.find("</style>").expect("unclosed <style>");
            rest = &rest[end + "</style>".len()..];
            tags.push(tag);
            continue;
        }
        let void = html_voids && VOIDS.contains(&tag.name.as_str());
        if !(self_closing || void) {
            stack.push(tag.name.clone());
        }
        tags.push(tag);
    }
    check_text(rest);
    assert!(stack.is_empty(), "unclosed elements: {stack:?}");
    tags
}

fn check_text(text: &str) {
    assert!(!text.contains('>'), "raw > in text: {text:?}");
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        let after = &rest[amp..];
        assert!(
            ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
                .iter()
                .any(|e| after.starts_with(e)),
            "unknown entity in {after:?}"
        );
        rest = &rest[amp + 1..];
    }
}

fn parse_tag(inner: &str) -> Tag {
    let name_end = inner
        .find(|c: char| c.is_whitespace())
        .unwrap_or(inner.len());
    let name = inner[..name_end].to_owned();
    assert!(
        !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
        "bad tag name {name:?}"
    );
    let mut attrs = BTreeMap::new();
    let mut rest = inner[name_end..].trim_start();
    while !rest.is_empty() {
        let eq = rest
            .find('=')
            .unwrap_or_else(|| panic!("attribute without value in <{inner}>"));
        let key = rest[..eq].trim().to_owned();
        assert!(
            key.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':'),
            "bad attribute name {key:?}"
        );
        let value_part = &rest[eq + 1..];
        let value_part = value_part
            .strip_prefix('"')
            .unwrap_or_else(|| panic!("unquoted attribute {key} in <{inner}>"));
        let end = value_part.find('"').expect("unterminated attribute");
        let raw = &value_part[..end];
        assert!(!raw.contains('<'), "raw < in attribute {key}: {raw:?}");
        check_text(raw);
        assert!(
            attrs.insert(key.clone(), unescape(raw)).is_none(),
            "duplicate attribute {key}"
        );
        rest = value_part[end + 1..].trim_start();
    }
    Tag { name, attrs }
}

/// The text of the first element that has attribute `attr`, tags removed and unescaped.
pub fn text_of_first(markup: &str, attr: &str) -> Option<String> {
    let at = markup.find(&format!(" {attr}"))?;
    let open_end = at + markup[at..].find('>')?;
    let close = open_end + markup[open_end..].find("</")?;
    Some(unescape(&markup[open_end + 1..close]))
}

/// The scenarios the tests render: `tests/scenarios` and `web/examples` of this repository.
pub fn repository_scenarios() -> Vec<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut out = Vec::new();
    for dir in ["tests/scenarios", "web/examples"] {
        let mut files: Vec<_> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "kl"))
            .collect();
        files.sort();
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            out.push((f.display().to_string(), text));
        }
    }
    assert!(out.len() >= 20, "the repository's scenarios were not found");
    out
}
