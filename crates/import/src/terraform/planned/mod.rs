//! The planned changes (`resource_changes`) played as statements after the prior state: each
//! change is read once (`changes.rs`, one function per resource type) into what it writes
//! (`deferred.rs`), and everything is written at the end, phase by phase (`order.rs`).

mod changes;
mod deferred;

use super::builder::{Builder, Line};
use super::json::{self, attrs, items};
use super::order::Phases;
use super::prior::template;
use super::refs::{resolve, Refs};
use super::TYPES;
use crate::names::clean;
use crate::{PlannedChange, ResourceKind};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Scenario names of the resources the plan creates, by address.
type PlannedNames = HashMap<String, (ResourceKind, String)>;

/// A planned change being played.
pub(super) struct Planned<'a> {
    pub(super) addr: String,
    pub(super) kind: String,
    pub(super) actions: Vec<String>,
    pub(super) before: Option<&'a Map<String, Value>>,
    pub(super) after: Option<&'a Map<String, Value>>,
    pub(super) unknown: Option<&'a Value>,
}

impl Planned<'_> {
    pub(super) fn is(&self, a: &str) -> bool {
        self.actions.iter().any(|x| x == a)
    }
}

/// The planned changes Keyline plays: not data sources, not no-ops, of a modelled type (any
/// other type is listed as skipped).
pub(super) fn planned_list<'a>(
    b: &mut Builder,
    changes: &[&'a json::ResourceChange],
) -> Vec<Planned<'a>> {
    let mut out = Vec::new();
    for (i, c) in changes.iter().enumerate() {
        let addr = c
            .address
            .value()
            .cloned()
            .unwrap_or_else(|| format!("resource_changes[{i}]"));
        let kind = c.kind.value().cloned().unwrap_or_default();
        if c.mode.value().map(String::as_str) == Some("data") {
            continue;
        }
        let Some(ch) = c.change.value() else {
            b.warn(&addr, "no `change`; skipped".to_owned());
            continue;
        };
        let actions = ch.actions.value().cloned().unwrap_or_default();
        if actions
            .iter()
            .all(|a| a == "no-op" || a == "read" || a == "forget")
        {
            continue;
        }
        if !TYPES.contains(&kind.as_str()) {
            if !b.skipped.iter().any(|s| s.address == addr) {
                let reason = if kind.starts_with("huaweicloud_") {
                    format!(
                        "a Huawei Cloud resource type Keyline does not model ({} planned)",
                        actions.join("/")
                    )
                } else {
                    format!(
                        "not a Huawei Cloud resource ({} planned)",
                        actions.join("/")
                    )
                };
                b.skip(&addr, &kind, reason);
            }
            continue;
        }
        out.push(Planned {
            addr,
            kind,
            actions,
            before: ch.before.value(),
            after: ch.after.value(),
            unknown: ch.after_unknown.value(),
        });
    }
    out
}

/// Template servers for planned configurations built from an image and disks: they must exist
/// before the keys take their states (a template disk needs its key usable).
pub(super) fn planned_templates(b: &mut Builder, changes: &[&json::ResourceChange]) -> Vec<Line> {
    let saved = std::mem::take(&mut b.lines);
    for c in changes {
        let Some(ch) = c.change.value() else { continue };
        let is_create = ch
            .actions
            .value()
            .is_some_and(|a| a.iter().any(|x| x == "create"));
        if c.kind.value().map(String::as_str) != Some("huaweicloud_as_configuration") || !is_create
        {
            continue;
        }
        let Some(after) = ch.after.value() else {
            continue;
        };
        let cfg: json::AsConfiguration = attrs(after);
        let Some(ic) = items(&cfg.instance_config).next() else {
            continue;
        };
        if ic.instance_id.value().is_some_and(|s| !s.is_empty()) {
            continue;
        }
        let addr = c.address.value().cloned().unwrap_or_default();
        let raw = cfg
            .scaling_configuration_name
            .value()
            .cloned()
            .unwrap_or_default();
        let data: Vec<Option<String>> = items(&ic.disk)
            .filter(|d| d.disk_type.value().map(String::as_str) == Some("DATA"))
            .map(|d| d.kms_id.value().filter(|k| !k.is_empty()).cloned())
            .collect();
        if b.lines.is_empty() {
            b.lines.push(Line::Blank);
        }
        let tmpl = template(
            b,
            &addr,
            &raw,
            ic.image.value().map(String::as_str),
            &data,
            Some(0),
        );
        b.acc
            .by_addr
            .insert(format!("template:{addr}"), (ResourceKind::Server, tmpl));
    }
    std::mem::replace(&mut b.lines, saved)
}

/// A non-empty string attribute of `before` or `after`.
pub(super) fn text_of<'a>(m: Option<&'a Map<String, Value>>, attr: &str) -> Option<&'a str> {
    m.and_then(|m| m.get(attr))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// Names for everything the plan creates, so that references between new resources resolve.
fn planned_names(b: &mut Builder, list: &[Planned]) -> PlannedNames {
    let mut planned = HashMap::new();
    for p in list.iter().filter(|p| p.is("create")) {
        let (kind, raw, fallback) = match p.kind.as_str() {
            "huaweicloud_kms_key" => (ResourceKind::Key, text_of(p.after, "key_alias"), "key"),
            "huaweicloud_evs_volume" => (ResourceKind::Disk, text_of(p.after, "name"), "disk"),
            "huaweicloud_compute_instance" => {
                (ResourceKind::Server, text_of(p.after, "name"), "server")
            }
            "huaweicloud_evs_snapshot" => {
                (ResourceKind::Snapshot, text_of(p.after, "name"), "snapshot")
            }
            "huaweicloud_cbr_checkpoint" => {
                (ResourceKind::Backup, text_of(p.after, "name"), "backup")
            }
            "huaweicloud_as_configuration" => (
                ResourceKind::Config,
                text_of(p.after, "scaling_configuration_name"),
                "config",
            ),
            "huaweicloud_compute_volume_attach" => continue,
            _ => (ResourceKind::Image, text_of(p.after, "name"), "image"),
        };
        let tail = p.addr.rsplit('.').next().unwrap_or(fallback);
        let name = b.names.take(raw.unwrap_or(""), tail, fallback);
        planned.insert(p.addr.clone(), (kind, name));
    }
    planned
}

/// One planned change being read, with what every resource type's reader needs: its index in
/// `Builder::changes` (the lines it writes are counted against it), its prior-state name, the
/// comment its statements carry, and the references to follow.
struct Change<'c, 'a> {
    p: &'c Planned<'a>,
    index: usize,
    prior: Option<String>,
    what: String,
    refs: &'c Refs,
    planned: &'c PlannedNames,
}

impl Change<'_, '_> {
    /// The scenario name of a resource `attr` names (see `refs::resolve`).
    fn resolve(
        &self,
        b: &Builder,
        attr: &str,
        value: Option<&str>,
        kind: ResourceKind,
    ) -> Option<String> {
        resolve(b, self.p, self.refs, self.planned, attr, value, kind)
    }

    /// `resolve` for a top-level string attribute of `after`.
    fn resolve_after(&self, b: &Builder, attr: &str, kind: ResourceKind) -> Option<String> {
        self.resolve(b, attr, text_of(self.p.after, attr), kind)
    }

    /// The name the plan gives the resource this change creates.
    fn created_name(&self) -> Option<String> {
        self.planned.get(&self.p.addr).map(|(_, n)| n.clone())
    }

    /// Why the change writes nothing, or writes less than it says: shown with the change.
    fn note(&self, b: &mut Builder, n: impl Into<String>) {
        if let Some(c) = b.changes.get_mut(self.index) {
            c.note = Some(n.into());
        }
    }

    /// A note that is also a warning, for what makes the verdicts uncertain.
    fn warn(&self, b: &mut Builder, msg: &str) {
        b.warn(&self.p.addr, msg.to_owned());
        self.note(b, msg);
    }
}

/// Plays every planned change: each is read in the plan's order, and what it writes is written
/// at the end in phases (new keys, key states, detaches, deletions, creations, attaches and
/// power), so that the order shows the risk.
pub(super) fn planned_changes(b: &mut Builder, changes: &[&json::ResourceChange], refs: &Refs) {
    let list = planned_list(b, changes);
    let planned = planned_names(b, &list);
    let mut phases = Phases::new();
    for p in &list {
        let index = b.changes.len();
        b.changes.push(PlannedChange {
            address: clean(&p.addr, 200),
            kind: p.kind.clone(),
            actions: p.actions.clone(),
            lines: Vec::new(),
            note: None,
        });
        let c = Change {
            p,
            index,
            prior: b.acc.by_addr.get(&p.addr).map(|(_, n)| n.clone()),
            what: format!("{}: {}", clean(&p.addr, 120), p.actions.join(", then ")),
            refs,
            planned: &planned,
        };
        changes::read(b, &mut phases, &c);
    }
    for (change, d) in phases.into_order() {
        d.write(b, change);
    }
}
