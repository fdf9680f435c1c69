//! The order things are written in: prior-state items after what they depend on.

use super::builder::Builder;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

/// A planned change's statements, written once every change has been read: (rank within its
/// phase, change index, writer).
pub(super) type Deferred<'a> = (u8, usize, Box<dyn FnOnce(&mut Builder) + 'a>);

/// A unit of the prior state or of the planned creations, emitted in dependency order.
pub(super) struct Item {
    pub(super) rank: u8,
    pub(super) deps: Vec<String>,
    pub(super) provides: Vec<String>,
    pub(super) emit: Box<dyn FnOnce(&mut Builder)>,
}
/// Emits items so that each comes after those it depends on, lowest rank first among the ready
/// ones; items caught in a cycle (bad input) come last, in input order.
pub(super) fn emit_in_order(b: &mut Builder, items: Vec<Item>) {
    let mut provider: HashMap<&str, usize> = HashMap::new();
    for (i, it) in items.iter().enumerate() {
        for p in &it.provides {
            provider.entry(p.as_str()).or_insert(i);
        }
    }
    let mut waiting = vec![0usize; items.len()];
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); items.len()];
    for (i, it) in items.iter().enumerate() {
        for d in &it.deps {
            if let Some(&p) = provider.get(d.as_str()) {
                if p != i {
                    if let Some(w) = waiting.get_mut(i) {
                        *w += 1;
                    }
                    if let Some(list) = dependents.get_mut(p) {
                        list.push(i);
                    }
                }
            }
        }
    }
    let ranks: Vec<u8> = items.iter().map(|i| i.rank).collect();
    let mut slots: Vec<Option<Item>> = items.into_iter().map(Some).collect();
    let mut ready: BinaryHeap<Reverse<(u8, usize)>> = waiting
        .iter()
        .enumerate()
        .filter(|(_, w)| **w == 0)
        .map(|(i, _)| Reverse((ranks.get(i).copied().unwrap_or(0), i)))
        .collect();
    while let Some(Reverse((_, i))) = ready.pop() {
        if let Some(item) = slots.get_mut(i).and_then(Option::take) {
            (item.emit)(b);
        }
        for &d in dependents.get(i).map(Vec::as_slice).unwrap_or_default() {
            if let Some(w) = waiting.get_mut(d) {
                *w = w.saturating_sub(1);
                if *w == 0 {
                    ready.push(Reverse((ranks.get(d).copied().unwrap_or(0), d)));
                }
            }
        }
    }
    for item in slots.into_iter().flatten() {
        (item.emit)(b);
    }
}
