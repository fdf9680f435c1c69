//! The planned changes (`resource_changes`) played as statements after the prior state.

use super::builder::{Builder, Line, Target};
use super::json::{self, attrs, items};
use super::order::Deferred;
use super::prior::{remove_template, template};
use super::refs::resolve;
use super::TYPES;
use crate::names::clean;
use crate::{PlannedChange, ResourceKind};
use keyline_rules::{DiskFrom, Source, Statement};
use serde_json::{Map, Value};
use std::collections::HashMap;

// ---------------------------------------------------------------------------------------
// The planned changes.

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
pub(super) fn planned_templates(
    b: &mut Builder,
    changes: &[&json::ResourceChange],
    _refs: &HashMap<String, HashMap<String, Vec<String>>>,
) -> Vec<Line> {
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

pub(super) fn text_of<'a>(m: Option<&'a Map<String, Value>>, attr: &str) -> Option<&'a str> {
    m.and_then(|m| m.get(attr))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

pub(super) fn planned_changes(
    b: &mut Builder,
    changes: &[&json::ResourceChange],
    refs: &HashMap<String, HashMap<String, Vec<String>>>,
) {
    let list = planned_list(b, changes);
    // Names for everything the plan creates, so references between new resources resolve.
    let mut planned: HashMap<String, (ResourceKind, String)> = HashMap::new();
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
    // Phases: 0 new keys, 1 key states, 2 detaches, 3 deletions, 4 creations, 5 attaches and power.
    let mut phases: Vec<Vec<Deferred<'_>>> = (0..6).map(|_| Vec::new()).collect();
    for p in &list {
        let change = b.changes.len();
        b.changes.push(PlannedChange {
            address: clean(&p.addr, 200),
            kind: p.kind.clone(),
            actions: p.actions.clone(),
            lines: Vec::new(),
            note: None,
        });
        let prior = b.acc.by_addr.get(&p.addr).cloned();
        let mut push = |phase: usize, rank: u8, f: Box<dyn FnOnce(&mut Builder)>| {
            // Kept sorted by (rank, change), equal ones in push order.
            if let Some(v) = phases.get_mut(phase) {
                let at = v.partition_point(|(r, c, _)| (*r, *c) <= (rank, change));
                v.insert(at, (rank, change, f));
            }
        };
        let what = format!("{}: {}", clean(&p.addr, 120), p.actions.join(", then "));
        let note = |b: &mut Builder, n: String| {
            if let Some(c) = b.changes.get_mut(change) {
                c.note = Some(n);
            }
        };
        match p.kind.as_str() {
            "huaweicloud_kms_key" => {
                let before_on = p
                    .before
                    .and_then(|m| m.get("is_enabled"))
                    .and_then(Value::as_bool);
                let after_on = p
                    .after
                    .and_then(|m| m.get("is_enabled"))
                    .and_then(Value::as_bool);
                if p.is("delete") {
                    if let Some((_, name)) = prior.clone() {
                        let pending = b
                            .acc
                            .keys
                            .iter()
                            .any(|k| k.name == name && k.target == Target::Pending);
                        let days = p
                            .before
                            .and_then(|m| m.get("pending_days"))
                            .and_then(|v| {
                                v.as_str()
                                    .map(str::to_owned)
                                    .or_else(|| v.as_i64().map(|n| n.to_string()))
                            })
                            .or_else(|| {
                                b.acc
                                    .keys
                                    .iter()
                                    .find(|k| k.name == name)
                                    .and_then(|k| k.pending_days.clone())
                            });
                        if pending {
                            note(b, "the key is already pending deletion: the provider's delete does nothing more".to_owned());
                        } else {
                            let (days, how) =
                                match days.as_deref().map(str::trim).map(str::parse::<i64>) {
                                    Some(Ok(d)) => (d, format!("pending_days {d}")),
                                    Some(Err(_)) => (
                                        7,
                                        "pending_days unreadable: the provider's default, 7"
                                            .to_owned(),
                                    ),
                                    None => {
                                        (7, "no pending_days: the provider's default, 7".to_owned())
                                    }
                                };
                            let w = what.clone();
                            push(
                                1,
                                2,
                                Box::new(move |b| {
                                    b.planned(
                                        change,
                                        Statement::KeyScheduleDeletion(name, days),
                                        format!("{w} ({how})"),
                                    )
                                }),
                            );
                        }
                    }
                }
                if p.is("create") {
                    if let Some((_, name)) = planned.get(&p.addr).cloned() {
                        let w = what.clone();
                        let n = name.clone();
                        push(
                            0,
                            0,
                            Box::new(move |b| b.planned(change, Statement::KeyCreate(n), w)),
                        );
                        if after_on == Some(false) {
                            push(
                                1,
                                0,
                                Box::new(move |b| {
                                    b.planned(
                                        change,
                                        Statement::KeyDisable(name),
                                        "is_enabled = false at creation",
                                    )
                                }),
                            );
                        }
                    }
                } else if p.is("update") {
                    match (prior.clone(), before_on, after_on) {
                        (Some((_, name)), Some(true), Some(false)) => {
                            push(
                                1,
                                0,
                                Box::new(move |b| {
                                    b.planned(
                                        change,
                                        Statement::KeyDisable(name),
                                        format!("{what} (is_enabled true → false)"),
                                    )
                                }),
                            );
                        }
                        (Some((_, name)), Some(false), Some(true)) => {
                            push(
                                1,
                                1,
                                Box::new(move |b| {
                                    b.planned(
                                        change,
                                        Statement::KeyEnable(name),
                                        format!("{what} (is_enabled false → true)"),
                                    )
                                }),
                            );
                        }
                        _ => note(
                            b,
                            "no change Keyline models (is_enabled unchanged)".to_owned(),
                        ),
                    }
                }
            }
            "huaweicloud_evs_volume" => {
                if p.is("delete") {
                    if let Some((_, name)) = prior.clone() {
                        let w = what.clone();
                        push(
                            3,
                            2,
                            Box::new(move |b| b.planned(change, Statement::DiskDelete(name), w)),
                        );
                    }
                }
                if p.is("create") {
                    let Some((_, name)) = planned.get(&p.addr).cloned() else {
                        continue;
                    };
                    let snap = resolve(
                        b,
                        p,
                        refs,
                        &planned,
                        "snapshot_id",
                        text_of(p.after, "snapshot_id"),
                        ResourceKind::Snapshot,
                    );
                    let backup = resolve(
                        b,
                        p,
                        refs,
                        &planned,
                        "backup_id",
                        text_of(p.after, "backup_id"),
                        ResourceKind::Backup,
                    );
                    let key = resolve(
                        b,
                        p,
                        refs,
                        &planned,
                        "kms_id",
                        text_of(p.after, "kms_id"),
                        ResourceKind::Key,
                    );
                    let server = resolve(
                        b,
                        p,
                        refs,
                        &planned,
                        "server_id",
                        text_of(p.after, "server_id"),
                        ResourceKind::Server,
                    );
                    let key_unknown = key.is_none()
                        && p.unknown.and_then(|u| u.get("kms_id")) == Some(&Value::Bool(true));
                    if key_unknown {
                        let msg = "kms_id is known only after apply and its expression names no key of the state or the plan; the disk is created unencrypted here, so its verdicts may differ".to_owned();
                        b.warn(&p.addr, msg.clone());
                        note(b, msg);
                    }
                    let from = snap
                        .map(DiskFrom::Snapshot)
                        .or(backup.map(DiskFrom::Backup));
                    let addr = p.addr.clone();
                    let rank = if from.is_some() { 5 } else { 2 };
                    let key = if from.is_some() { None } else { key };
                    let w = what.clone();
                    push(
                        4,
                        rank,
                        Box::new(move |b| {
                            let key = key.map(|k| match k.strip_prefix('?') {
                                Some(id) => b.key_for(id, &format!("{addr}.kms_id")),
                                None => k,
                            });
                            b.planned(
                                change,
                                Statement::DiskCreate {
                                    disk: name.clone(),
                                    from,
                                    key,
                                },
                                w,
                            );
                            if let Some(s) = server {
                                b.planned(
                                    change,
                                    Statement::Attach {
                                        disk: name,
                                        server: s,
                                        system: false,
                                    },
                                    "server_id",
                                );
                            }
                        }),
                    );
                } else if p.is("update") {
                    note(b, "no change Keyline models (size, type, tags…)".to_owned());
                }
            }
            "huaweicloud_compute_volume_attach" => {
                if p.is("delete") {
                    let vol = b
                        .acc
                        .attach_addr
                        .get(&p.addr)
                        .cloned()
                        .or_else(|| text_of(p.before, "volume_id").map(str::to_owned));
                    if let Some(d) = vol.and_then(|v| b.name_of(ResourceKind::Disk, &v)) {
                        let w = what.clone();
                        push(
                            2,
                            0,
                            Box::new(move |b| b.planned(change, Statement::Detach(d), w)),
                        );
                    } else {
                        note(b, "its volume is not in the state".to_owned());
                    }
                }
                if p.is("create") {
                    let disk = resolve(
                        b,
                        p,
                        refs,
                        &planned,
                        "volume_id",
                        text_of(p.after, "volume_id"),
                        ResourceKind::Disk,
                    );
                    let server = resolve(
                        b,
                        p,
                        refs,
                        &planned,
                        "instance_id",
                        text_of(p.after, "instance_id"),
                        ResourceKind::Server,
                    );
                    match (disk, server) {
                        (Some(disk), Some(server)) => {
                            let w = what.clone();
                            push(
                                5,
                                0,
                                Box::new(move |b| {
                                    b.planned(
                                        change,
                                        Statement::Attach {
                                            disk,
                                            server,
                                            system: false,
                                        },
                                        w,
                                    )
                                }),
                            );
                        }
                        _ => {
                            let msg = "volume_id or instance_id names no volume or server of the state or the plan; skipped".to_owned();
                            b.warn(&p.addr, msg.clone());
                            note(b, msg);
                        }
                    }
                }
            }
            "huaweicloud_compute_instance" => {
                if p.is("delete") {
                    if let Some((_, name)) = prior.clone() {
                        let w = what.clone();
                        push(
                            3,
                            1,
                            Box::new(move |b| b.planned(change, Statement::ServerDelete(name), w)),
                        );
                    }
                }
                if p.is("create") {
                    let Some((_, name)) = planned.get(&p.addr).cloned() else {
                        continue;
                    };
                    let image = text_of(p.after, "image_id").map(str::to_owned);
                    let sys_key = resolve(
                        b,
                        p,
                        refs,
                        &planned,
                        "system_disk_kms_key_id",
                        text_of(p.after, "system_disk_kms_key_id"),
                        ResourceKind::Key,
                    );
                    let inst: json::Instance = p.after.map(attrs).unwrap_or_default();
                    let data: Vec<Option<String>> = items(&inst.data_disks)
                        .enumerate()
                        .map(|(i, d)| {
                            resolve(
                                b,
                                p,
                                refs,
                                &planned,
                                &format!("data_disks.{i}.kms_key_id"),
                                d.kms_key_id.value().map(String::as_str),
                                ResourceKind::Key,
                            )
                        })
                        .collect();
                    let off = matches!(text_of(p.after, "power_action"), Some("OFF" | "FORCE-OFF"));
                    let addr = p.addr.clone();
                    push(
                        4,
                        1,
                        Box::new(move |b| {
                            let sys = b.names.take(&format!("{name}-sys"), "", "disk");
                            // A key the plan creates is named already; a key id is looked up.
                            let key_name = sys_key.map(|k| match k.strip_prefix('?') {
                                Some(id) => {
                                    b.key_for(id, &format!("{addr}.system_disk_kms_key_id"))
                                }
                                None => k,
                            });
                            match key_name {
                                Some(k) => {
                                    let img = b.names.take(&format!("{name}-img"), "", "image");
                                    b.note(format!("The system disk of {name} is encrypted with key {k} (system_disk_kms_key_id). `server create` takes a system disk's encryption from its image (R-SYS-IMAGE), so an image encrypted with that key comes first."));
                                    b.planned(
                                        change,
                                        Statement::ImageImport {
                                            image: img.clone(),
                                            key: Some(k),
                                        },
                                        "an image only for this, not in the plan",
                                    );
                                    b.planned(
                                        change,
                                        Statement::ServerCreate {
                                            server: name.clone(),
                                            source: Some(Source::Image(img)),
                                            system_disk: Some(sys),
                                        },
                                        what.clone(),
                                    );
                                }
                                None => {
                                    let source = image
                                        .as_deref()
                                        .and_then(|i| b.name_of(ResourceKind::Image, i))
                                        .map(Source::Image);
                                    b.planned(
                                        change,
                                        Statement::ServerCreate {
                                            server: name.clone(),
                                            source,
                                            system_disk: Some(sys),
                                        },
                                        what.clone(),
                                    );
                                }
                            }
                            for (i, k) in data.into_iter().enumerate() {
                                let disk =
                                    b.names.take(&format!("{name}-data{}", i + 1), "", "disk");
                                let key = k.map(|k| match k.strip_prefix('?') {
                                    Some(id) => b.key_for(id, &format!("{addr}.data_disks[{i}]")),
                                    None => k,
                                });
                                b.planned(
                                    change,
                                    Statement::DiskCreate {
                                        disk: disk.clone(),
                                        from: None,
                                        key,
                                    },
                                    format!("data_disks[{i}]"),
                                );
                                b.planned(
                                    change,
                                    Statement::Attach {
                                        disk,
                                        server: name.clone(),
                                        system: false,
                                    },
                                    "",
                                );
                            }
                            if off {
                                b.planned(change, Statement::ServerStop(name), "power_action OFF");
                            }
                        }),
                    );
                } else if p.is("update") {
                    let Some((_, name)) = prior.clone() else {
                        continue;
                    };
                    match text_of(p.after, "power_action") {
                        Some(a @ ("OFF" | "FORCE-OFF"))
                            if text_of(p.before, "power_action") != Some(a) =>
                        {
                            let w = what.clone();
                            push(
                                5,
                                1,
                                Box::new(move |b| {
                                    b.planned(
                                        change,
                                        Statement::ServerStop(name),
                                        format!("{w} (power_action {a})"),
                                    )
                                }),
                            );
                        }
                        Some(a @ "ON") if text_of(p.before, "power_action") != Some(a) => {
                            let w = what.clone();
                            push(
                                5,
                                1,
                                Box::new(move |b| {
                                    b.planned(
                                        change,
                                        Statement::ServerStart(name),
                                        format!("{w} (power_action ON)"),
                                    )
                                }),
                            );
                        }
                        _ => {
                            if text_of(p.before, "image_id") != text_of(p.after, "image_id") {
                                let msg = "image_id changes: the server is rebuilt with a new system disk, which Keyline does not model".to_owned();
                                b.warn(&p.addr, msg.clone());
                                note(b, msg);
                            } else {
                                note(
                                    b,
                                    "no change Keyline models (flavor, name, tags…)".to_owned(),
                                );
                            }
                        }
                    }
                }
            }
            "huaweicloud_evs_snapshot" => {
                if p.is("delete") {
                    if let Some((_, name)) = prior.clone() {
                        let w = what.clone();
                        push(
                            3,
                            0,
                            Box::new(move |b| {
                                b.planned(change, Statement::SnapshotDelete(name), w)
                            }),
                        );
                    }
                }
                if p.is("create") {
                    let Some((_, name)) = planned.get(&p.addr).cloned() else {
                        continue;
                    };
                    let disk = resolve(
                        b,
                        p,
                        refs,
                        &planned,
                        "volume_id",
                        text_of(p.after, "volume_id"),
                        ResourceKind::Disk,
                    );
                    match disk {
                        Some(disk) => {
                            let w = what.clone();
                            push(
                                4,
                                3,
                                Box::new(move |b| {
                                    b.planned(
                                        change,
                                        Statement::SnapshotCreate {
                                            snapshot: name,
                                            disk,
                                        },
                                        w,
                                    )
                                }),
                            );
                        }
                        None => note(
                            b,
                            "volume_id names no volume of the state or the plan".to_owned(),
                        ),
                    }
                }
            }
            "huaweicloud_cbr_checkpoint" => {
                if p.is("delete") {
                    let names: Vec<String> = b
                        .acc
                        .resources
                        .iter()
                        .filter(|r| r.kind == ResourceKind::Backup)
                        .map(|r| r.name.clone())
                        .collect();
                    let mine: Vec<String> = names
                        .into_iter()
                        .filter(|n| {
                            b.acc.by_addr.iter().any(|(a, (k, x))| {
                                a == &p.addr && *k == ResourceKind::Backup && x == n
                            })
                        })
                        .collect();
                    for n in mine {
                        let w = what.clone();
                        push(
                            3,
                            0,
                            Box::new(move |b| b.planned(change, Statement::BackupDelete(n), w)),
                        );
                    }
                }
                if p.is("create") {
                    let Some((_, name)) = planned.get(&p.addr).cloned() else {
                        continue;
                    };
                    let ck: json::Checkpoint = p.after.map(attrs).unwrap_or_default();
                    let vols: Vec<String> = items(&ck.backups)
                        .enumerate()
                        .filter(|(_, x)| {
                            x.kind.value().map(String::as_str) == Some("OS::Cinder::Volume")
                        })
                        .filter_map(|(i, x)| {
                            resolve(
                                b,
                                p,
                                refs,
                                &planned,
                                &format!("backups.{i}.resource_id"),
                                x.resource_id.value().map(String::as_str),
                                ResourceKind::Disk,
                            )
                        })
                        .collect();
                    let w = what.clone();
                    push(
                        4,
                        4,
                        Box::new(move |b| {
                            let single = vols.len() == 1;
                            for d in vols {
                                let n = if single {
                                    name.clone()
                                } else {
                                    b.names.take(&format!("{name}-{d}"), "", "backup")
                                };
                                b.planned(
                                    change,
                                    Statement::BackupCreate { backup: n, disk: d },
                                    w.clone(),
                                );
                            }
                        }),
                    );
                }
            }
            "huaweicloud_as_configuration" => {
                if p.is("delete") {
                    note(b, "Keyline has no statement that deletes a configuration; the deletion is not played".to_owned());
                }
                if p.is("create") {
                    let Some((_, name)) = planned.get(&p.addr).cloned() else {
                        continue;
                    };
                    let cfg: json::AsConfiguration = p.after.map(attrs).unwrap_or_default();
                    let server = items(&cfg.instance_config).next().and_then(|ic| {
                        resolve(
                            b,
                            p,
                            refs,
                            &planned,
                            "instance_config.0.instance_id",
                            ic.instance_id.value().map(String::as_str),
                            ResourceKind::Server,
                        )
                    });
                    let template = b
                        .acc
                        .by_addr
                        .get(&format!("template:{}", p.addr))
                        .map(|(_, n)| n.clone());
                    let data = items(&cfg.instance_config).next().map_or(0, |ic| {
                        items(&ic.disk)
                            .filter(|d| d.disk_type.value().map(String::as_str) == Some("DATA"))
                            .count()
                    });
                    let w = what.clone();
                    match (server, template) {
                        (Some(s), _) => push(
                            4,
                            7,
                            Box::new(move |b| {
                                b.planned(
                                    change,
                                    Statement::ConfigCreate {
                                        config: name,
                                        server: s,
                                    },
                                    w,
                                )
                            }),
                        ),
                        (None, Some(t)) => push(
                            4,
                            7,
                            Box::new(move |b| {
                                b.planned(
                                    change,
                                    Statement::ConfigCreate {
                                        config: name,
                                        server: t.clone(),
                                    },
                                    w,
                                );
                                remove_template(b, &t, data, Some(change));
                            }),
                        ),
                        (None, None) => note(
                            b,
                            "instance_config names no server of the state or the plan".to_owned(),
                        ),
                    }
                }
            }
            _ => {
                // Images.
                if p.is("delete") {
                    note(b, "Keyline has no statement that deletes an image; the deletion is not played".to_owned());
                }
                if p.is("create") {
                    let Some((_, name)) = planned.get(&p.addr).cloned() else {
                        continue;
                    };
                    let server = resolve(
                        b,
                        p,
                        refs,
                        &planned,
                        "instance_id",
                        text_of(p.after, "instance_id"),
                        ResourceKind::Server,
                    );
                    let url = text_of(p.after, "image_url").is_some()
                        || p.unknown.and_then(|u| u.get("image_url")).is_some();
                    let key = resolve(
                        b,
                        p,
                        refs,
                        &planned,
                        "cmk_id",
                        text_of(p.after, "cmk_id"),
                        ResourceKind::Key,
                    );
                    let w = what.clone();
                    let addr = p.addr.clone();
                    match (server, url) {
                        (Some(s), _) => push(4, 6, Box::new(move |b| b.planned(change, Statement::ImageCreate { image: name, server: s }, w))),
                        (None, true) => push(4, 0, Box::new(move |b| {
                            let key = key.map(|k| match k.strip_prefix('?') { Some(id) => b.key_for(id, &format!("{addr}.cmk_id")), None => k });
                            b.planned(change, Statement::ImageImport { image: name, key }, w);
                        })),
                        (None, false) => note(b, "not an image of a server or of an image file: Keyline does not model it".to_owned()),
                    }
                }
            }
        }
    }
    for (_, _, f) in phases.into_iter().flatten() {
        f(b);
    }
}
