//! The lineage graph: an SVG of where each resource's encryption came from, drawn from the
//! engine's provenance (`keyline_rules::lineage`) in a left-to-right layered layout
//! (`keyline_render::layout`, the one layout of the app's graph and the static SVG).

use crate::state::{Action, Dispatch, Selection};
use keyline_render::{layout, Spacing};
use keyline_rules::{Lineage, StateView};
use yew::prelude::*;

/// The app's node size; positions come from the one layout shared with the static SVG.
const W: i64 = Spacing::APP.width;
const H: i64 = Spacing::APP.height;
/// The clip of a node's text lines to its box (in the node's own coordinates).
const NODE_CLIP: &str = "lineage-node-clip";

/// Above this many resources the graph is drawn on request: a thousand boxes are unreadable,
/// and laying them out again on every keystroke would slow typing down.
pub const AUTO_DRAW_LIMIT: usize = 200;

/// How many resources (keys included) a state holds.
pub fn resource_count(s: &StateView) -> usize {
    s.keys.len()
        + s.images.len()
        + s.servers.len()
        + s.disks.len()
        + s.snapshots.len()
        + s.backups.len()
        + s.configs.len()
}

/// Properties of [`Graph`].
#[derive(Clone, PartialEq, Properties)]
pub struct GraphProps {
    pub program: crate::state::ProgramRef,
    /// How many resources the final state holds (see [`AUTO_DRAW_LIMIT`]).
    pub resources: usize,
    /// Time travel: the graph after this many statements.
    pub at_step: Option<usize>,
    pub dispatch: Dispatch,
    /// Names of the resources the last statement changed (a level page), outlined with a
    /// short transition.
    #[prop_or_default]
    pub changed: Vec<String>,
}

/// A node's two visible lines: what it is (`disk d1`; a public image by its name alone) and its
/// encryption and state (`key k1 · at-risk · on web`, `deleted · …` once gone).
pub fn node_lines(kind: &str, name: &str, live: bool, sub: &str) -> (String, String) {
    let heading = if kind == "public-image" {
        name.to_owned()
    } else {
        format!("{kind} {name}")
    };
    let detail = if live {
        sub.to_owned()
    } else {
        format!("deleted · {sub}")
    };
    (heading, detail)
}

/// A node's accessible name: its two visible lines in their order (WCAG 2.5.3, label in name:
/// what a speech user reads on screen is what they can say).
pub fn node_label(heading: &str, detail: &str) -> String {
    format!("{heading}: {detail}")
}

/// The lineage graph.
#[component]
pub fn Graph(props: &GraphProps) -> Html {
    let picked = use_state(|| None::<String>);
    let wanted = use_state(|| false);
    let draw = *wanted || props.resources <= AUTO_DRAW_LIMIT;
    let graph = use_memo(
        (props.program.clone(), props.at_step, draw),
        |(program, at, draw)| {
            if *draw {
                keyline_rules::lineage(program, *at)
            } else {
                Lineage::default()
            }
        },
    );
    if !draw {
        let onclick = Callback::from(move |_: MouseEvent| wanted.set(true));
        return html! {
            <section class="panel graph-panel" aria-labelledby="graph-title">
                <h2 id="graph-title" class="panel-title">{ "Lineage" }</h2>
                <p class="muted">{ format!("This scenario has {} resources, so the graph is drawn only on request.", props.resources) }</p>
                <button type="button" data-draw-graph="" {onclick}>{ "Draw the lineage graph" }</button>
            </section>
        };
    }
    let chain: Vec<String> = picked
        .as_ref()
        .map(|id| graph.chain_of(id))
        .unwrap_or_default();
    let (pos, width, height) = layout(&graph);
    if graph.nodes.is_empty() {
        return html! {
            <section class="panel graph-panel" aria-labelledby="graph-title">
                <h2 id="graph-title" class="panel-title">{ "Lineage" }</h2>
                <p class="muted">{ "No keys or encrypted resources yet." }</p>
            </section>
        };
    }
    let edges = graph.edges.iter().filter_map(|e| {
        let (fx, fy) = *pos.get(&e.from)?;
        let (tx, ty) = *pos.get(&e.to)?;
        let (x1, y1, x2, y2) = (fx + W, fy + H / 2, tx, ty + H / 2);
        let mid = (x1 + x2) / 2;
        let on = chain.contains(&e.from) && chain.contains(&e.to);
        Some(html! {
            <path class={classes!("edge", on.then_some("on-chain"))}
                d={format!("M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}")}
                data-edge-from={e.from.clone()} data-edge-to={e.to.clone()}>
                <title>{ format!("{} → {} ({})", e.from, e.to, e.rule.as_str()) }</title>
            </path>
        })
    });
    let nodes = graph.nodes.iter().filter_map(|n| {
        let (x, y) = *pos.get(&n.id)?;
        let on = chain.contains(&n.id);
        let changed = n.live && props.changed.contains(&n.name);
        let status = n.status.clone().unwrap_or_default();
        let enc = if n.encryption == "none" { "unencrypted".to_owned() } else { format!("key {}", n.encryption) };
        let sub = match n.kind {
            "key" => status.clone(),
            _ => {
                let mut parts = vec![enc];
                if !status.is_empty() && status != "deleted" {
                    parts.push(status.clone());
                }
                if let Some(s) = &n.attached_to {
                    parts.push(format!("on {s}"));
                }
                parts.join(" · ")
            }
        };
        let onclick = {
            let picked = picked.clone();
            let d = props.dispatch.clone();
            let (id, name, line) = (n.id.clone(), n.name.clone(), n.line);
            Callback::from(move |_: MouseEvent| {
                picked.set(Some(id.clone()));
                d.dispatch(Action::Select(Selection { line: (line > 0).then_some(line), names: vec![name.clone()] }));
            })
        };
        let onkeydown = {
            let picked = picked.clone();
            let d = props.dispatch.clone();
            let (id, name, line) = (n.id.clone(), n.name.clone(), n.line);
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Enter" || e.key() == " " {
                    e.prevent_default();
                    picked.set(Some(id.clone()));
                    d.dispatch(Action::Select(Selection { line: (line > 0).then_some(line), names: vec![name.clone()] }));
                }
            })
        };
        let (heading, detail) = node_lines(n.kind, &n.name, n.live, &sub);
        let mut label = node_label(&heading, &detail);
        if changed {
            label.push_str(" (changed by the last line)");
        }
        Some(html! {
            <g class={classes!("node", format!("node-{}", n.kind), (!status.is_empty()).then(|| format!("status-{status}")), on.then_some("on-chain"), changed.then_some("changed"), (!n.live).then_some("gone"))}
                transform={format!("translate({x},{y})")} tabindex="0" role="button" aria-label={label.clone()}
                data-node={n.id.clone()} data-node-kind={n.kind} data-node-name={n.name.clone()}
                {onclick} {onkeydown}>
                <title>{ label }</title>
                <rect width={W.to_string()} height={H.to_string()} rx="6" />
                // Whole lines, clipped to the box (not cut with `…`): the accessible name
                // then contains the visible text. The space keeps the lines apart as text.
                <text x="8" y="18" class="node-name" clip-path={format!("url(#{NODE_CLIP})")}>{ heading }{ " " }</text>
                <text x="8" y="36" class="node-sub" clip-path={format!("url(#{NODE_CLIP})")}>{ detail }</text>
            </g>
        })
    });
    html! {
        <section class="panel graph-panel" aria-labelledby="graph-title">
            <h2 id="graph-title" class="panel-title">{ "Lineage" }</h2>
            <p class="muted small">{ "Where each resource's encryption came from: keys on the left, what inherited from them to the right. Select a node to highlight its chain and the line that created it." }</p>
            <div class="graph-scroll">
                <svg class="graph" width={width.to_string()} height={height.to_string()}
                    viewBox={format!("0 0 {width} {height}")} role="group" aria-label="Lineage graph">
                    <defs>
                        <clipPath id={NODE_CLIP}>
                            <rect x="4" y="0" width={(W - 8).to_string()} height={H.to_string()} />
                        </clipPath>
                    </defs>
                    <g class="edges">{ for edges }</g>
                    <g class="nodes">{ for nodes }</g>
                </svg>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_node_is_named_by_its_visible_lines_in_order() {
        let (heading, detail) = node_lines("disk", "d1", true, "key k1 · at-risk · on web");
        assert_eq!(
            (heading.as_str(), detail.as_str()),
            ("disk d1", "key k1 · at-risk · on web")
        );
        assert_eq!(
            node_label(&heading, &detail),
            "disk d1: key k1 · at-risk · on web"
        );
        // A gone resource says so on screen and in its name; a public image by its name.
        let (heading, detail) = node_lines("disk", "d2", false, "key k1");
        assert_eq!(node_label(&heading, &detail), "disk d2: deleted · key k1");
        let (heading, _) = node_lines("public-image", "public image", true, "unencrypted");
        assert_eq!(heading, "public image");
    }
}
