//! The lineage graph's layered layout, shared by the app's interactive graph and the static
//! SVG: keys and roots in the first column, each inheriting resource one column to the right
//! of where its encryption came from ([`keyline_rules::LineageNode::layer`]), rows in the
//! engine's order.

use keyline_rules::Lineage;
use std::collections::BTreeMap;

/// Box sizes and gaps of a layout, in SVG user units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spacing {
    /// Distance between the left edges of two columns.
    pub col: i64,
    /// Distance between the top edges of two rows.
    pub row: i64,
    /// A node's width.
    pub width: i64,
    /// A node's height.
    pub height: i64,
    /// The margin around the drawing.
    pub pad: i64,
}

impl Spacing {
    /// The app's graph: compact; edges are explained by hovering or selecting.
    pub const APP: Spacing = Spacing {
        col: 210,
        row: 62,
        width: 178,
        height: 48,
        pad: 10,
    };
    /// The static SVG: wider nodes (no hover in a PDF) and room between the columns for each
    /// edge's rule label.
    pub const STATIC: Spacing = Spacing {
        col: 330,
        row: 66,
        width: 230,
        height: 50,
        pad: 12,
    };
}

/// Node positions (x, y of each node's top-left corner, by node id) and the drawing's width and
/// height, with the app's spacing.
pub fn layout(g: &Lineage) -> (BTreeMap<String, (i64, i64)>, i64, i64) {
    layout_with(g, Spacing::APP)
}

/// [`layout`] with the given spacing. Saturating arithmetic: any graph gets a (possibly huge)
/// drawing, never an overflow.
pub fn layout_with(g: &Lineage, s: Spacing) -> (BTreeMap<String, (i64, i64)>, i64, i64) {
    let mut per_layer: BTreeMap<u32, i64> = BTreeMap::new();
    let mut pos = BTreeMap::new();
    for n in &g.nodes {
        let row = per_layer.entry(n.layer).or_insert(0);
        let x = s
            .pad
            .saturating_add(i64::from(n.layer).saturating_mul(s.col));
        let y = s.pad.saturating_add(row.saturating_mul(s.row));
        pos.insert(n.id.clone(), (x, y));
        *row += 1;
    }
    let layers = per_layer.keys().max().map_or(0, |l| i64::from(*l) + 1);
    let rows = per_layer.values().max().copied().unwrap_or(0);
    let width = (s.pad * 2)
        .saturating_add(layers.saturating_mul(s.col))
        .saturating_sub(s.col - s.width)
        .max(0);
    let height = (s.pad * 2)
        .saturating_add(rows.saturating_mul(s.row))
        .saturating_sub(s.row - s.height)
        .max(0);
    (pos, width, height)
}

#[cfg(test)]
mod tests {
    use super::*;
    use keyline_rules::{lineage, Program};

    #[test]
    fn inheriting_resources_sit_right_of_their_source() {
        let p = Program::parse(
            "role security-admin\nkms grant\nkey create k1\ndisk create d1 encrypt k1\nsnapshot create s1 disk d1\n",
        );
        let g = lineage(&p, None);
        let (pos, w, h) = layout(&g);
        assert_eq!(pos.len(), g.nodes.len());
        for e in &g.edges {
            assert!(pos[&e.from].0 < pos[&e.to].0, "{e:?}");
        }
        for (x, y) in pos.values() {
            assert!(x + Spacing::APP.width <= w && y + Spacing::APP.height <= h);
        }
    }

    #[test]
    fn empty_graph() {
        let (pos, w, h) = layout(&Lineage::default());
        assert!(pos.is_empty());
        assert!(w >= 0 && h >= 0, "{w} {h}");
    }
}
