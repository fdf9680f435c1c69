//! The lineage graph: an SVG of where each resource's encryption came from, drawn from the
//! engine's provenance (`keyline_rules::lineage`) in a left-to-right layered layout.

use crate::state::{Action, Dispatch, Selection};
use keyline_rules::{Lineage, StateView};
use std::collections::BTreeMap;
use yew::prelude::*;

const COL: i64 = 210;
const ROW: i64 = 62;
const W: i64 = 178;
const H: i64 = 48;
const PAD: i64 = 10;

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

/// Node positions: (x, y) of each node's top-left corner, by layer then order.
pub fn layout(g: &Lineage) -> (BTreeMap<String, (i64, i64)>, i64, i64) {
    let mut per_layer: BTreeMap<u32, i64> = BTreeMap::new();
    let mut pos = BTreeMap::new();
    for n in &g.nodes {
        let row = per_layer.entry(n.layer).or_insert(0);
        pos.insert(
            n.id.clone(),
            (PAD + i64::from(n.layer) * COL, PAD + *row * ROW),
        );
        *row += 1;
    }
    let layers = per_layer.keys().max().map_or(0, |l| i64::from(*l) + 1);
    let rows = per_layer.values().max().copied().unwrap_or(0);
    (
        pos,
        PAD * 2 + layers * COL - (COL - W),
        PAD * 2 + rows * ROW - (ROW - H),
    )
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
        let label = format!("{} {}: {}{}{}", n.kind, n.name, sub, if n.live { "" } else { " (deleted)" }, if changed { " (changed by the last line)" } else { "" });
        Some(html! {
            <g class={classes!("node", format!("node-{}", n.kind), (!status.is_empty()).then(|| format!("status-{status}")), on.then_some("on-chain"), changed.then_some("changed"), (!n.live).then_some("gone"))}
                transform={format!("translate({x},{y})")} tabindex="0" role="button"
                data-node={n.id.clone()} data-node-kind={n.kind} data-node-name={n.name.clone()}
                {onclick} {onkeydown}>
                <title>{ label }</title>
                <rect width={W.to_string()} height={H.to_string()} rx="6" />
                <text x="8" y="18" class="node-name">{ short(&if n.kind == "public-image" { n.name.clone() } else { format!("{} {}", n.kind, n.name) }, 22) }</text>
                <text x="8" y="36" class="node-sub">{ short(&if n.live { sub } else { format!("deleted · {sub}") }, 25) }</text>
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
                    <g class="edges">{ for edges }</g>
                    <g class="nodes">{ for nodes }</g>
                </svg>
            </div>
        </section>
    }
}
