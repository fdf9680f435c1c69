//! The lineage graph as a standalone SVG: where each resource's encryption came from, keys on
//! the left, each edge labelled with the rule that carried the encryption. Styled by
//! presentation attributes (so it reads alone, in a PDF or a slide, and needs no inline style
//! under a Content-Security-Policy); the stylesheet's classes override them (dark mode).

use crate::escape;
use crate::layout::{layout_with, Spacing};
use keyline_rules::{Lineage, LineageNode};
use std::collections::BTreeMap;
use std::fmt::Write;

const S: Spacing = Spacing::STATIC;
/// Characters of a node's lines that fit its width; the `<title>` has the whole label.
const FIT: usize = 32;

/// The node's two lines: `kind name`, then its encryption and status in words.
pub fn node_lines(n: &LineageNode) -> (String, String) {
    let heading = if n.kind == "public-image" {
        n.name.clone()
    } else {
        format!("{} {}", n.kind, n.name)
    };
    let status = n.status.as_deref().unwrap_or_default();
    let mut parts: Vec<String> = Vec::new();
    if n.kind == "key" {
        parts.push(format!("key state {status}"));
    } else {
        parts.push(if n.encryption == "none" {
            "unencrypted".to_owned()
        } else {
            format!("key {}", n.encryption)
        });
        if !status.is_empty() && status != "deleted" {
            parts.push(status.to_owned());
        }
        if let Some(s) = &n.attached_to {
            parts.push(format!("on {s}"));
        }
    }
    if !n.live {
        parts.insert(0, "deleted".to_owned());
    }
    (heading, parts.join(" · "))
}

fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// The lineage graph as a standalone, well-formed SVG document element: `role="img"`, a
/// `<title>`, an `aria-label` and a `<desc>` listing every link in words.
pub fn lineage_svg(g: &Lineage) -> String {
    let (pos, width, height) = layout_with(g, S);
    let (width, height) = if g.nodes.is_empty() {
        (S.width + 2 * S.pad, S.height + 2 * S.pad)
    } else {
        (width, height)
    };
    let names: BTreeMap<&str, String> = g
        .nodes
        .iter()
        .map(|n| (n.id.as_str(), node_lines(n).0))
        .collect();
    let summary = format!(
        "Lineage graph: {} resource{}, {} link{}",
        g.nodes.len(),
        plural(g.nodes.len()),
        g.edges.len(),
        plural(g.edges.len())
    );
    let mut out = String::with_capacity(512 + g.nodes.len() * 600 + g.edges.len() * 400);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"kl-lineage\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{summary}\" font-family=\"system-ui, -apple-system, 'Segoe UI', sans-serif\" font-size=\"12\"><title>{summary}</title><desc>"
    );
    desc(&mut out, g, &names);
    out.push_str("</desc>");
    if g.nodes.is_empty() {
        let _ = write!(
            out,
            "<text class=\"kl-empty\" x=\"{}\" y=\"{}\" fill=\"#374151\">No keys or encrypted resources.</text>",
            S.pad,
            S.pad + S.height / 2
        );
    }
    out.push_str("<g class=\"kl-edges\">");
    for e in &g.edges {
        let (Some(&(fx, fy)), Some(&(tx, ty))) = (pos.get(&e.from), pos.get(&e.to)) else {
            continue;
        };
        edge(
            &mut out,
            (fx + S.width, fy + S.height / 2),
            (tx, ty + S.height / 2),
            e.rule.as_str(),
        );
    }
    out.push_str("</g><g class=\"kl-nodes\">");
    for n in &g.nodes {
        if let Some(&(x, y)) = pos.get(&n.id) {
            node(&mut out, n, x, y);
        }
    }
    out.push_str("</g></svg>");
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Every link in words: `disk d1 → snapshot s1 (R-SNAP)`, one per line.
fn desc(out: &mut String, g: &Lineage, names: &BTreeMap<&str, String>) {
    for (i, e) in g.edges.iter().enumerate() {
        if i > 0 {
            out.push_str("; ");
        }
        let from = names
            .get(e.from.as_str())
            .map_or(e.from.as_str(), String::as_str);
        let to = names
            .get(e.to.as_str())
            .map_or(e.to.as_str(), String::as_str);
        escape::plain(out, &format!("{from} → {to} ({})", e.rule.as_str()));
    }
    if g.edges.is_empty() {
        out.push_str("No links.");
    }
}

/// One edge: a curve, an arrowhead at the target and the rule's ID just before the target
/// (each resource inherits from one source, so labels at the target never overlap).
fn edge(out: &mut String, (x1, y1): (i64, i64), (x2, y2): (i64, i64), rule: &str) {
    let mid = x1.saturating_add(x2) / 2;
    let _ = write!(
        out,
        "<g class=\"kl-edge\"><path class=\"kl-edge-line\" d=\"M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}\" fill=\"none\" stroke=\"#4b5563\" stroke-width=\"1.5\"/><path class=\"kl-arrow\" d=\"M{x2},{y2} l-8,-4 v8 z\" fill=\"#4b5563\"/><text class=\"kl-edge-label\" x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"10\" fill=\"#374151\">",
        x2 - 10,
        y2 - 6
    );
    escape::text_svg(out, rule);
    out.push_str("</text></g>");
}

/// One node: a box with its two lines, its status as a class, and the whole label as its
/// `<title>`.
fn node(out: &mut String, n: &LineageNode, x: i64, y: i64) {
    let (heading, sub) = node_lines(n);
    let status = n.status.as_deref().unwrap_or_default();
    let (fill, stroke, dash) = match (n.kind, status, n.live) {
        (_, _, false) | (_, "deleted" | "unrecoverable", _) => {
            ("#fef2f2", "#b91c1c", " stroke-dasharray=\"4 3\"")
        }
        (_, "disabled" | "pending-deletion" | "at-risk" | "unattachable", _) => {
            ("#fffbeb", "#b45309", " stroke-dasharray=\"6 3\"")
        }
        ("key", _, _) => ("#eef2ff", "#4338ca", ""),
        _ => ("#ffffff", "#4b5563", ""),
    };
    out.push_str("<g class=\"kl-node kl-node-");
    escape::plain(out, n.kind);
    if !status.is_empty() {
        out.push_str(" kl-status-");
        escape::plain(out, status);
    }
    if !n.live {
        out.push_str(" kl-gone");
    }
    let _ = write!(out, "\" transform=\"translate({x},{y})\"><title>");
    escape::plain(out, &format!("{heading}: {sub}"));
    let _ = write!(
        out,
        "</title><rect width=\"{}\" height=\"{}\" rx=\"6\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.5\"{dash}/><text class=\"kl-node-name\" x=\"8\" y=\"19\" font-weight=\"600\" fill=\"#111827\">",
        S.width, S.height
    );
    escape::text_svg(out, &short(&heading, FIT));
    out.push_str("</text><text class=\"kl-node-sub\" x=\"8\" y=\"38\" fill=\"#374151\">");
    escape::text_svg(out, &short(&sub, FIT + 4));
    out.push_str("</text></g>");
}

/// The graph in a `<figure>` for the fragment, with a caption in words.
pub fn figure(out: &mut String, g: &Lineage) {
    out.push_str("<figure class=\"kl-graph\"><div class=\"kl-graph-scroll\" tabindex=\"0\" role=\"group\" aria-label=\"Lineage graph, scrolls sideways\">");
    out.push_str(&lineage_svg(g));
    out.push_str("</div><figcaption class=\"kl-caption\">Lineage: where each resource's encryption came from, keys on the left; each link names the rule that carried it.</figcaption></figure>");
}
