//! The order things are written in: prior-state items after what they depend on, planned
//! changes phase by phase in the order that shows the risk.

use super::builder::Builder;
use super::prior::Emit;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

/// The phases planned changes are played in. Terraform fixes no order between independent
/// changes; this one shows the risk: a detach after its key's disabling warns, an attach fails.
pub(super) const NEW_KEYS: usize = 0;
pub(super) const KEY_STATES: usize = 1;
pub(super) const DETACHES: usize = 2;
pub(super) const DELETIONS: usize = 3;
pub(super) const CREATIONS: usize = 4;
pub(super) const ATTACHES_AND_POWER: usize = 5;

/// What the planned changes write, by phase, each phase kept sorted by (rank within the phase,
/// change index), equal ones in the order they were pushed.
pub(super) struct Phases<T> {
    phases: [Vec<(u8, usize, T)>; 6],
}

impl<T> Phases<T> {
    pub(super) fn new() -> Self {
        Self {
            phases: Default::default(),
        }
    }

    pub(super) fn push(&mut self, phase: usize, rank: u8, change: usize, item: T) {
        if let Some(v) = self.phases.get_mut(phase) {
            let at = v.partition_point(|(r, c, _)| (*r, *c) <= (rank, change));
            v.insert(at, (rank, change, item));
        }
    }

    /// Everything pushed, phase by phase: (change index, item).
    pub(super) fn into_order(self) -> impl Iterator<Item = (usize, T)> {
        self.phases
            .into_iter()
            .flatten()
            .map(|(_, change, item)| (change, item))
    }
}

/// A unit of the prior state or of the planned creations, emitted in dependency order.
pub(super) struct Item {
    pub(super) rank: u8,
    pub(super) deps: Vec<String>,
    pub(super) provides: Vec<String>,
    pub(super) emit: Emit,
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
            item.emit.write(b);
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
        item.emit.write(b);
    }
}
