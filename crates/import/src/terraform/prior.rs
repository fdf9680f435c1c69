//! The prior state rebuilt as statements: keys first (created enabled), then one item per
//! server, disk, attachment, snapshot, backup, image and configuration, written in dependency
//! order by `order.rs`. The keys' real states come last (`keys.rs`).

use super::builder::{Builder, ImageFrom, Key, Line, Server, Target};
use super::json::{self, attrs, items, Field};
use super::order::{emit_in_order, Item};
use super::TYPES;
use crate::date::Date;
use crate::input::DateIn;
use crate::names::{clean, quoted};
use crate::ResourceKind;
use keyline_rules::{DiskFrom, Source, Statement, DEFAULT_KEY};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Every managed resource of a state's modules: (address, type, provider, values).
pub(super) type StateRes = (String, String, String, Map<String, Value>);

pub(super) fn walk_module(
    m: &json::Module,
    out: &mut Vec<StateRes>,
    data: &mut Vec<(String, String)>,
) {
    let bad = m
        .resources
        .value()
        .map_or(0, |l| l.iter().filter(|r| r.value().is_none()).count());
    if bad > 0 {
        data.push((
            format!("{bad} item(s) of a module's resources"),
            "not an object".to_owned(),
        ));
    }
    for r in items(&m.resources) {
        let addr = r.address.value().cloned().unwrap_or_default();
        let kind = r.kind.value().cloned().unwrap_or_default();
        if r.mode.value().map(String::as_str) == Some("data") {
            data.push((addr, kind));
            continue;
        }
        let provider = r.provider_name.value().cloned().unwrap_or_default();
        let Some(values) = r.values.value().cloned() else {
            data.push((addr, kind));
            continue;
        };
        out.push((addr, kind, provider, values));
    }
    for c in items(&m.child_modules) {
        walk_module(c, out, data);
    }
}

// ---------------------------------------------------------------------------------------
// The prior state.

pub(super) fn build_prior(b: &mut Builder, prior: &[StateRes]) {
    for r in prior {
        if !TYPES.contains(&r.1.as_str()) {
            let reason = if r.1.starts_with("huaweicloud_") {
                "a Huawei Cloud resource type Keyline does not model".to_owned()
            } else {
                format!(
                    "not a Huawei Cloud resource (provider {})",
                    quoted(r.2.rsplit('/').next().unwrap_or(&r.2))
                )
            };
            b.skip(&r.0, &r.1, reason);
        }
    }
    // The resources of one type, in the state's order.
    let get = |t: &str| -> Vec<&StateRes> { prior.iter().filter(|r| r.1 == t).collect() };
    // Keys first: everything else names them.
    let keys = get("huaweicloud_kms_key");
    if !keys.is_empty() {
        b.lines.push(Line::Blank);
        b.note("Keys, all created enabled: nothing can be created or attached with an unusable key (R-USE-NEW, R-REATTACH), so their states from the state are set at the end.");
    }
    for (addr, _, _, values) in keys {
        prior_key(b, addr, values);
    }
    let mut list: Vec<Item> = Vec::new();
    let servers_seen: Vec<(String, json::Instance)> = get("huaweicloud_compute_instance")
        .into_iter()
        .map(|(a, _, _, v)| (a.clone(), attrs::<json::Instance>(v)))
        .collect();
    let volumes: Vec<(String, json::EvsVolume)> = get("huaweicloud_evs_volume")
        .into_iter()
        .map(|(a, _, _, v)| (a.clone(), attrs::<json::EvsVolume>(v)))
        .collect();
    let volume_ids: std::collections::HashSet<String> = volumes
        .iter()
        .filter_map(|(_, v)| v.id.value().cloned())
        .collect();
    // Attachments: from each volume's `attachment`, else from a volume_attach resource.
    let mut attached: HashMap<String, (String, Option<String>)> = HashMap::new();
    for (addr, _, _, v) in get("huaweicloud_compute_volume_attach") {
        let a = attrs::<json::VolumeAttach>(v);
        if let (Some(vol), Some(srv)) = (a.volume_id.value(), a.instance_id.value()) {
            b.acc.attach_addr.insert(addr.clone(), vol.clone());
            attached
                .entry(vol.clone())
                .or_insert((srv.clone(), a.device.value().cloned()));
        }
    }
    for (addr, s) in servers_seen {
        list.push(prior_server(b, addr, s, &volume_ids));
    }
    for (addr, v) in volumes {
        list.extend(prior_volume(b, addr, v, &mut attached));
    }
    for (addr, _, _, v) in get("huaweicloud_evs_snapshot") {
        list.extend(prior_snapshot(b, addr, attrs::<json::Snapshot>(v)));
    }
    for (addr, _, _, v) in get("huaweicloud_cbr_checkpoint") {
        list.extend(prior_checkpoint(b, addr, attrs::<json::Checkpoint>(v)));
    }
    for t in [
        "huaweicloud_images_image",
        "huaweicloud_ims_ecs_system_image",
        "huaweicloud_ims_obs_system_image",
    ] {
        for (addr, _, _, v) in get(t) {
            list.extend(prior_image(b, addr, attrs::<json::Image>(v)));
        }
    }
    for (addr, _, _, v) in get("huaweicloud_as_configuration") {
        list.extend(prior_config(b, addr, attrs::<json::AsConfiguration>(v)));
    }
    if !list.is_empty() {
        b.lines.push(Line::Blank);
        b.note("Images, servers (each with its system disk), disks and their attachments, snapshots, backups and configs, each after what it comes from.");
    }
    emit_in_order(b, list);
}

pub(super) fn code_text(f: &Field<json::Code>) -> Option<String> {
    f.value().map(json::Code::text).filter(|s| !s.is_empty())
}

pub(super) fn prior_key(b: &mut Builder, addr: &str, values: &Map<String, Value>) {
    let k: json::KmsKey = attrs(values);
    let mut problems = Vec::new();
    let mut w = |m: String| problems.push(m);
    let id =
        k.id.text(&mut w, "id")
            .or_else(|| k.key_id.value().map(String::as_str))
            .map(str::to_owned);
    let alias = k.key_alias.text(&mut w, "key_alias").map(str::to_owned);
    let enabled = k.is_enabled.get(&mut w, "is_enabled", "a boolean").copied();
    let state = code_text(&k.key_state);
    let flag = code_text(&k.default_key_flag);
    let deletion = match k.scheduled_deletion_date.value() {
        Some(c) => {
            let t = c.text();
            if t.is_empty() || t == "0" {
                DateIn::None
            } else {
                Date::parse_api(&t).map_or(DateIn::Bad(quoted(&t)), DateIn::Date)
            }
        }
        None => DateIn::None,
    };
    let pending_days = code_text(&k.pending_days);
    if let Some(c) = code_text(&k.creation_date) {
        b.seen_date(Date::parse_api(&c));
    }
    for p in problems {
        b.warn(addr, p);
    }
    let Some(id) = id else {
        b.warn(
            addr,
            "attribute `id` (and `key_id`) missing; the key is skipped".to_owned(),
        );
        b.skip(addr, "huaweicloud_kms_key", "no id".to_owned());
        return;
    };
    let default = alias.as_deref() == Some(DEFAULT_KEY) || flag.as_deref() == Some("1");
    let target = match (state.as_deref(), enabled) {
        (Some("2"), _) => Target::Enabled,
        (Some("3"), _) => Target::Disabled("disabled (key_state 3) in the state".to_owned()),
        (Some("4"), _) => Target::Pending,
        (Some("1"), _) => Target::Disabled("to be activated (key_state 1) in the state: it cannot be used yet, so it is imported as disabled".to_owned()),
        (Some("5"), _) => Target::Disabled("pending import (key_state 5) in the state: it has no key material yet, so it is imported as disabled".to_owned()),
        (_, Some(false)) => Target::Disabled("is_enabled = false in the state".to_owned()),
        (_, Some(true)) => Target::Enabled,
        (other, None) => {
            let what = other.map_or("key_state and is_enabled are missing".to_owned(), |s| {
                format!("key_state {} is not one Keyline knows", quoted(s))
            });
            b.warn(addr, format!("{what}; the key is imported enabled"));
            Target::Enabled
        }
    };
    let name = if default {
        if target != Target::Enabled {
            b.warn(addr, format!("the default key {DEFAULT_KEY} cannot be disabled or deleted in Keyline; it is imported enabled"));
        }
        DEFAULT_KEY.to_owned()
    } else {
        b.names
            .take(alias.as_deref().unwrap_or(""), &format!("key-{id}"), "key")
    };
    let ix = b.acc.keys.len();
    b.acc.key_ix.insert(id.clone(), ix);
    if let Some(kid) = k.key_id.value() {
        b.acc.key_ix.insert(kid.clone(), ix);
    }
    b.record(ResourceKind::Key, &id, &name, addr);
    let comment = format!(
        "{}, id {}{}",
        clean(addr, 120),
        clean(&id, 80),
        match &target {
            Target::Enabled => String::new(),
            Target::Disabled(_) => ", disabled in the state".to_owned(),
            Target::Pending => ", pending deletion in the state".to_owned(),
        }
    );
    if default {
        b.note(format!("{addr} is the default key {DEFAULT_KEY}: it exists from its first use, so it is not created here."));
    } else {
        b.stmt(Statement::KeyCreate(name.clone()), comment);
    }
    b.acc.keys.push(Key {
        addr: addr.to_owned(),
        target: if default { Target::Enabled } else { target },
        deletion,
        pending_days,
        name,
        default,
    });
}

pub(super) fn prior_server(
    b: &mut Builder,
    addr: String,
    s: json::Instance,
    volume_ids: &std::collections::HashSet<String>,
) -> Item {
    let mut problems = Vec::new();
    let mut w = |m: String| problems.push(m);
    let id =
        s.id.text(&mut w, "id")
            .map(str::to_owned)
            .unwrap_or_default();
    let raw = s.name.text(&mut w, "name").map(str::to_owned);
    let image_id = s.image_id.text(&mut w, "image_id").map(str::to_owned);
    let sys_key = s
        .system_disk_kms_key_id
        .text(&mut w, "system_disk_kms_key_id")
        .map(str::to_owned);
    let sys_id = s
        .system_disk_id
        .text(&mut w, "system_disk_id")
        .map(str::to_owned);
    let status = s.status.text(&mut w, "status").map(str::to_owned);
    // Data disks made by `data_disks` blocks: the attached volumes no evs_volume resource lists.
    let blocks: Vec<Option<String>> = items(&s.data_disks)
        .map(|d| d.kms_key_id.value().filter(|k| !k.is_empty()).cloned())
        .collect();
    let extra: Vec<String> = items(&s.volume_attached)
        .filter(|v| v.is_sys_volume.value() != Some(&true))
        .filter(|v| code_text(&v.boot_index).as_deref() != Some("0"))
        .filter_map(|v| v.volume_id.value().cloned())
        .filter(|v| !volume_ids.contains(v) && Some(v) != sys_id.as_ref())
        .collect();
    let data: Vec<(Option<String>, Option<String>)> = blocks
        .iter()
        .enumerate()
        .map(|(i, k)| (extra.get(i).cloned(), k.clone()))
        .collect();
    b.seen_date(s.created_at.value().and_then(|d| Date::parse_api(d)));
    b.seen_date(s.updated_at.value().and_then(|d| Date::parse_api(d)));
    for p in problems {
        b.warn(&addr, p);
    }
    let name = b.names.take(raw.as_deref().unwrap_or(""), &id, "server");
    let fallback = if id.is_empty() {
        addr.clone()
    } else {
        id.clone()
    };
    b.acc
        .server_ix
        .insert(fallback.clone(), b.acc.servers.len());
    b.record(ResourceKind::Server, &id, &name, &addr);
    let sys_name = b.names.take(&format!("{name}-sys"), "", "disk");
    if let Some(sid) = &sys_id {
        b.record(ResourceKind::Disk, sid, &sys_name, "");
    }
    let data_names: Vec<String> = (1..=data.len())
        .map(|n| b.names.take(&format!("{name}-data{n}"), "", "disk"))
        .collect();
    for ((vid, _), dn) in data.iter().zip(&data_names) {
        if let Some(v) = vid {
            b.record(ResourceKind::Disk, v, dn, "");
        }
    }
    b.acc.servers.push(Server {
        id: fallback.clone(),
        name: name.clone(),
        sys_key: sys_key.clone(),
        sys_id,
        status,
        data: data.clone(),
    });
    let mut deps = Vec::new();
    if let Some(i) = &image_id {
        deps.push(format!("image:{i}"));
    }
    Item {
        rank: 1,
        deps,
        provides: vec![format!("server:{fallback}")],
        emit: Box::new(move |b: &mut Builder| {
            emit_server(
                b,
                &addr,
                &name,
                &sys_name,
                image_id.as_deref(),
                sys_key.as_deref(),
                None,
            );
            for (i, ((_, key), dn)) in data.iter().zip(&data_names).enumerate() {
                let key = key
                    .as_ref()
                    .map(|k| b.key_for(k, &format!("{addr}.data_disks[{i}]")));
                b.stmt(
                    Statement::DiskCreate {
                        disk: dn.clone(),
                        from: None,
                        key,
                    },
                    format!("{addr}: data_disks[{i}]"),
                );
                b.stmt(
                    Statement::Attach {
                        disk: dn.clone(),
                        server: name.clone(),
                        system: false,
                    },
                    "",
                );
            }
            let status = b
                .acc
                .servers
                .iter()
                .find(|s| s.name == name)
                .and_then(|s| s.status.clone());
            match status.as_deref() {
                Some("SHUTOFF") => {
                    b.stmt(Statement::ServerStop(name.clone()), "SHUTOFF in the state")
                }
                None | Some("ACTIVE") => {}
                Some(other) => b.warn(
                    &addr,
                    format!(
                        "status {} is neither ACTIVE nor SHUTOFF; the server is imported running",
                        quoted(other)
                    ),
                ),
            }
        }),
    }
}

/// `server create`, with the image that gives its system disk the key the state shows.
pub(super) fn emit_server(
    b: &mut Builder,
    addr: &str,
    name: &str,
    sys_name: &str,
    image_id: Option<&str>,
    sys_key: Option<&str>,
    change: Option<usize>,
) {
    let state_image =
        image_id.and_then(|i| b.name_of(ResourceKind::Image, i).map(|n| (i.to_owned(), n)));
    let image_key = state_image
        .as_ref()
        .and_then(|(i, _)| b.acc.image_key.get(i).cloned().flatten());
    let source = match (sys_key, state_image) {
        (Some(k), img) if img.is_none() || image_key.as_deref() != Some(k) => {
            let key = b.key_for(k, &format!("{addr}.system_disk_kms_key_id"));
            let img = b.names.take(&format!("{name}-img"), "", "image");
            b.images += 1;
            b.note(format!(
                "The system disk of {name} is encrypted with key {key} (system_disk_kms_key_id). `server create` takes a system disk's encryption from its image (R-SYS-IMAGE), so an image encrypted with that key comes first."
            ));
            let s = Statement::ImageImport {
                image: img.clone(),
                key: Some(key),
            };
            match change {
                Some(c) => b.planned(c, s, "an image only for this, not in the plan"),
                None => b.stmt(s, "an image only for this, not in the state"),
            }
            Some(Source::Image(img))
        }
        (_, Some((_, n))) => Some(Source::Image(n)),
        (_, None) => None,
    };
    let s = Statement::ServerCreate {
        server: name.to_owned(),
        source,
        system_disk: Some(sys_name.to_owned()),
    };
    let comment = match image_id {
        Some(i) if b.name_of(ResourceKind::Image, i).is_none() => {
            format!(
                "{}; image {} is not in the state (a public image, unencrypted)",
                clean(addr, 120),
                clean(i, 60)
            )
        }
        _ => clean(addr, 120),
    };
    match change {
        Some(c) => b.planned(c, s, comment),
        None => b.stmt(s, comment),
    }
}

pub(super) fn prior_volume(
    b: &mut Builder,
    addr: String,
    v: json::EvsVolume,
    attached: &mut HashMap<String, (String, Option<String>)>,
) -> Vec<Item> {
    let mut problems = Vec::new();
    let mut w = |m: String| problems.push(m);
    let id =
        v.id.text(&mut w, "id")
            .map(str::to_owned)
            .unwrap_or_default();
    let raw = v.name.text(&mut w, "name").map(str::to_owned);
    let kms = v.kms_id.text(&mut w, "kms_id").map(str::to_owned);
    let snap = v.snapshot_id.text(&mut w, "snapshot_id").map(str::to_owned);
    let backup = v.backup_id.text(&mut w, "backup_id").map(str::to_owned);
    let image = v.image_id.text(&mut w, "image_id").map(str::to_owned);
    let multi = v
        .multiattach
        .get(&mut w, "multiattach", "a boolean")
        .copied()
        .unwrap_or(false);
    let atts: Vec<(String, Option<String>)> = items(&v.attachment)
        .filter_map(|a| {
            a.instance_id
                .value()
                .map(|s| (s.clone(), a.device.value().cloned()))
        })
        .collect();
    b.seen_date(v.created_at.value().and_then(|d| Date::parse_api(d)));
    b.seen_date(v.updated_at.value().and_then(|d| Date::parse_api(d)));
    for p in problems {
        b.warn(&addr, p);
    }
    if atts.len() > 1 {
        b.warn(&addr, format!(
            "the disk is attached to {} servers{}; Keyline attaches a disk to one server, so only the first attachment is imported",
            atts.len(),
            if multi { " (multiattach)" } else { "" }
        ));
    }
    let att = atts.into_iter().next().or_else(|| attached.remove(&id));
    let name = b.names.take(raw.as_deref().unwrap_or(""), &id, "disk");
    b.record(ResourceKind::Disk, &id, &name, &addr);
    let mut deps = Vec::new();
    if let Some(s) = &snap {
        deps.push(format!("snapshot:{s}"));
    }
    if let Some(bk) = &backup {
        deps.push(format!("backup:{bk}"));
    }
    let disk_id = id.clone();
    let mut out = vec![Item {
        rank: if deps.is_empty() { 2 } else { 5 },
        deps,
        provides: vec![format!("disk:{id}")],
        emit: Box::new({
            let (addr, name) = (addr.clone(), name.clone());
            move |b: &mut Builder| {
                let from = snap
                    .as_deref()
                    .and_then(|s| b.name_of(ResourceKind::Snapshot, s).map(DiskFrom::Snapshot))
                    .or_else(|| {
                        backup
                            .as_deref()
                            .and_then(|x| b.name_of(ResourceKind::Backup, x).map(DiskFrom::Backup))
                    });
                let mut comment = format!("{}, id {}", clean(&addr, 120), clean(&id, 80));
                let key = if from.is_some() {
                    comment
                        .push_str("; its encryption is its source's (R-FROM-SNAP, R-FROM-BACKUP)");
                    None
                } else {
                    if let Some(s) = snap.as_ref().or(backup.as_ref()) {
                        comment.push_str(&format!(
                            "; created from {} (not in the state, so created empty)",
                            clean(s, 60)
                        ));
                    } else if let Some(i) = &image {
                        comment.push_str(&format!(
                            "; created from image {} (Keyline creates data disks empty)",
                            clean(i, 60)
                        ));
                    }
                    kms.as_deref()
                        .map(|k| b.key_for(k, &format!("{addr}.kms_id")))
                };
                b.stmt(
                    Statement::DiskCreate {
                        disk: name,
                        from,
                        key,
                    },
                    comment,
                );
            }
        }),
    }];
    if let Some((server, device)) = att {
        out.push(Item {
            rank: 3,
            deps: vec![format!("disk:{disk_id}"), format!("server:{server}")],
            provides: Vec::new(),
            emit: Box::new(move |b: &mut Builder| {
                let Some(s) = b.name_of(ResourceKind::Server, &server) else {
                    b.warn(
                        &addr,
                        format!(
                            "attached to server {} that is not in the state; imported detached",
                            quoted(&server)
                        ),
                    );
                    return;
                };
                b.stmt(
                    Statement::Attach {
                        disk: name,
                        server: s,
                        system: false,
                    },
                    device
                        .map(|d| format!("at {}", clean(&d, 40)))
                        .unwrap_or_default(),
                );
            }),
        });
    }
    out
}

pub(super) fn prior_snapshot(b: &mut Builder, addr: &str, s: json::Snapshot) -> Vec<Item> {
    let id = s.id.value().cloned().unwrap_or_default();
    let raw = s.name.value().cloned();
    let Some(vol) = s.volume_id.value().cloned() else {
        b.warn(
            addr,
            "attribute `volume_id` missing; the snapshot is skipped".to_owned(),
        );
        b.skip(addr, "huaweicloud_evs_snapshot", "no volume_id".to_owned());
        return Vec::new();
    };
    let name = b.names.take(raw.as_deref().unwrap_or(""), &id, "snapshot");
    b.record(ResourceKind::Snapshot, &id, &name, addr);
    let addr = addr.to_owned();
    vec![Item {
        rank: 4,
        deps: vec![format!("disk:{vol}")],
        provides: vec![format!("snapshot:{id}")],
        emit: Box::new(
            move |b: &mut Builder| match b.name_of(ResourceKind::Disk, &vol) {
                Some(d) => b.stmt(
                    Statement::SnapshotCreate {
                        snapshot: name,
                        disk: d,
                    },
                    clean(&addr, 120),
                ),
                None => b.warn(
                    &addr,
                    format!(
                        "its volume {} is not in the state; the snapshot is skipped",
                        quoted(&vol)
                    ),
                ),
            },
        ),
    }]
}

/// The disks a CBR backup of one resource covers: a volume, or every disk of a server.
pub(super) fn backup_disks(b: &Builder, kind: &str, resource: &str) -> Option<Vec<String>> {
    match kind {
        "OS::Cinder::Volume" => b.name_of(ResourceKind::Disk, resource).map(|d| vec![d]),
        "OS::Nova::Server" => {
            b.acc.servers.iter().find(|s| s.id == resource).map(|s| {
                let mut v: Vec<String> = s
                    .sys_id
                    .iter()
                    .filter_map(|i| b.name_of(ResourceKind::Disk, i))
                    .collect();
                v.extend(s.data.iter().filter_map(|(i, _)| {
                    i.as_ref().and_then(|i| b.name_of(ResourceKind::Disk, i))
                }));
                v
            })
        }
        _ => None,
    }
}

pub(super) fn prior_checkpoint(b: &mut Builder, addr: &str, c: json::Checkpoint) -> Vec<Item> {
    let raw = c.name.value().cloned().unwrap_or_default();
    let mut out = Vec::new();
    let backups: Vec<(String, String, Option<String>)> = items(&c.backups)
        .filter_map(|x| {
            Some((
                x.kind.value()?.clone(),
                x.resource_id.value()?.clone(),
                x.id.value().cloned(),
            ))
        })
        .collect();
    if backups.is_empty() {
        b.warn(
            addr,
            "no `backups` with a type and resource_id; the checkpoint is skipped".to_owned(),
        );
    }
    for (kind, resource, backup_id) in backups {
        let addr = addr.to_owned();
        let raw = raw.clone();
        let dep = if kind == "OS::Nova::Server" {
            format!("server:{resource}")
        } else {
            format!("disk:{resource}")
        };
        out.push(Item {
            rank: 4,
            deps: vec![dep],
            provides: backup_id.iter().map(|i| format!("backup:{i}")).collect(),
            emit: Box::new(move |b: &mut Builder| {
                let Some(disks) = backup_disks(b, &kind, &resource) else {
                    b.warn(
                        &addr,
                        format!(
                            "backup of {} {}: not a volume or server in the state; skipped",
                            clean(&kind, 40),
                            quoted(&resource)
                        ),
                    );
                    return;
                };
                let single = disks.len() == 1;
                for d in disks {
                    let base = if single && !raw.is_empty() {
                        raw.clone()
                    } else {
                        format!("{raw}-{d}")
                    };
                    let name = b.names.take(&base, "", "backup");
                    if let (Some(id), true) = (&backup_id, single) {
                        b.record(ResourceKind::Backup, id, &name, &addr);
                    } else {
                        b.record(ResourceKind::Backup, "", &name, &addr);
                    }
                    b.stmt(
                        Statement::BackupCreate {
                            backup: name,
                            disk: d,
                        },
                        format!("{} ({})", clean(&addr, 120), clean(&kind, 40)),
                    );
                }
            }),
        });
    }
    out
}

pub(super) fn prior_image(b: &mut Builder, addr: &str, i: json::Image) -> Vec<Item> {
    let id = i.id.value().cloned().unwrap_or_default();
    let raw = i.name.value().cloned();
    let kind = addr.split('.').rev().nth(1).unwrap_or("").to_owned();
    if i.volume_id.value().is_some() || i.backup_id.value().is_some() {
        b.skip(addr, &kind, "a data image or a whole image from a backup: Keyline models system images from a server or an image file".to_owned());
        return Vec::new();
    }
    let from = if let Some(s) = i.instance_id.value() {
        ImageFrom::Server(s.clone())
    } else {
        ImageFrom::Import(
            i.cmk_id
                .value()
                .or(i.system_cmkid.value())
                .filter(|k| !k.is_empty())
                .cloned(),
        )
    };
    let name = b.names.take(raw.as_deref().unwrap_or(""), &id, "image");
    b.record(ResourceKind::Image, &id, &name, addr);
    let key = match &from {
        ImageFrom::Import(k) => k.clone(),
        ImageFrom::Server(s) => b
            .acc
            .servers
            .iter()
            .find(|x| &x.id == s)
            .and_then(|x| x.sys_key.clone()),
    };
    b.acc.image_key.insert(id.clone(), key);
    let addr = addr.to_owned();
    vec![Item {
        rank: match from {
            ImageFrom::Import(_) => 0,
            ImageFrom::Server(_) => 6,
        },
        deps: match &from {
            ImageFrom::Server(s) => vec![format!("server:{s}")],
            ImageFrom::Import(_) => Vec::new(),
        },
        provides: vec![format!("image:{id}")],
        emit: Box::new(move |b: &mut Builder| {
            b.images += 1;
            match from {
                ImageFrom::Server(s) => match b.name_of(ResourceKind::Server, &s) {
                    Some(server) => b.stmt(
                        Statement::ImageCreate {
                            image: name,
                            server,
                        },
                        clean(&addr, 120),
                    ),
                    None => {
                        let key = i.system_cmkid.value().filter(|k| !k.is_empty()).cloned();
                        let key = key.map(|k| b.key_for(&k, &addr));
                        b.warn(&addr, format!("made from server {} that is not in the state; imported as an image file{}", quoted(&s), if key.is_some() { " with its __system__cmkid" } else { "" }));
                        b.stmt(
                            Statement::ImageImport { image: name, key },
                            clean(&addr, 120),
                        );
                    }
                },
                ImageFrom::Import(k) => {
                    let key = k.map(|k| b.key_for(&k, &format!("{addr}.cmk_id")));
                    b.stmt(
                        Statement::ImageImport { image: name, key },
                        clean(&addr, 120),
                    );
                }
            }
        }),
    }]
}

/// An AS configuration: from a server, or from an image and disks (built on a template server
/// that is removed again).
pub(super) fn prior_config(b: &mut Builder, addr: &str, c: json::AsConfiguration) -> Vec<Item> {
    let id = c.id.value().cloned().unwrap_or_default();
    let raw = c.scaling_configuration_name.value().cloned();
    let Some(ic) = items(&c.instance_config).next() else {
        b.warn(
            addr,
            "no `instance_config`; the configuration is skipped".to_owned(),
        );
        b.skip(
            addr,
            "huaweicloud_as_configuration",
            "no instance_config".to_owned(),
        );
        return Vec::new();
    };
    let name = b.names.take(raw.as_deref().unwrap_or(""), &id, "config");
    b.record(ResourceKind::Config, &id, &name, addr);
    let addr = addr.to_owned();
    if let Some(server) = ic.instance_id.value().filter(|s| !s.is_empty()).cloned() {
        return vec![Item {
            rank: 7,
            deps: vec![format!("server:{server}")],
            provides: Vec::new(),
            emit: Box::new(move |b: &mut Builder| {
                match b.name_of(ResourceKind::Server, &server) {
                Some(s) => b.stmt(Statement::ConfigCreate { config: name, server: s }, clean(&addr, 120)),
                None => b.warn(&addr, format!("instance_config.instance_id {} is not a server in the state; the configuration is skipped", quoted(&server))),
            }
            }),
        }];
    }
    let image = ic.image.value().cloned();
    let data: Vec<Option<String>> = items(&ic.disk)
        .filter(|d| d.disk_type.value().map(String::as_str) == Some("DATA"))
        .map(|d| d.kms_id.value().filter(|k| !k.is_empty()).cloned())
        .collect();
    vec![Item {
        rank: 7,
        deps: image.iter().map(|i| format!("image:{i}")).collect(),
        provides: Vec::new(),
        emit: Box::new(move |b: &mut Builder| {
            let tmpl = template(b, &addr, &name, image.as_deref(), &data, None);
            b.stmt(
                Statement::ConfigCreate {
                    config: name,
                    server: tmpl.clone(),
                },
                clean(&addr, 120),
            );
            remove_template(b, &tmpl, data.len(), None);
        }),
    }]
}

/// A server shaped like a configuration's `instance_config` (its image, a data disk per DATA
/// disk with its key), for `config create … from-server`. Returns its name.
pub(super) fn template(
    b: &mut Builder,
    addr: &str,
    config: &str,
    image: Option<&str>,
    data: &[Option<String>],
    change: Option<usize>,
) -> String {
    let tmpl = b.names.take(&format!("{config}-template"), "", "server");
    let sys = b.names.take(&format!("{tmpl}-sys"), "", "disk");
    b.note(format!(
        "{addr} gives an image and disks rather than a server; `config create` copies a server's, so a template server with those disks is built{} and removed after.",
        if change.is_some() { " (before the keys take their states, so that it can be)" } else { "" }
    ));
    let source = image
        .and_then(|i| b.name_of(ResourceKind::Image, i))
        .map(Source::Image);
    let s = Statement::ServerCreate {
        server: tmpl.clone(),
        source,
        system_disk: Some(sys),
    };
    b.stmt(s, "template, not in the state");
    for (i, k) in data.iter().enumerate() {
        let disk = format!("{tmpl}-data{}", i + 1);
        let disk = b.names.take(&disk, "", "disk");
        let key = k
            .as_ref()
            .map(|k| b.key_for(k, &format!("{addr}.instance_config.disk")));
        b.stmt(
            Statement::DiskCreate {
                disk: disk.clone(),
                from: None,
                key,
            },
            format!("template data disk {} (kms_id)", i + 1),
        );
        b.stmt(
            Statement::Attach {
                disk,
                server: tmpl.clone(),
                system: false,
            },
            "",
        );
    }
    tmpl
}

pub(super) fn remove_template(b: &mut Builder, tmpl: &str, data: usize, change: Option<usize>) {
    let put = |b: &mut Builder, s: Statement| match change {
        Some(c) => b.planned(c, s, "removes the template (not a change in the plan)"),
        None => b.stmt(s, "removes the template"),
    };
    put(b, Statement::ServerDelete(tmpl.to_owned()));
    for i in 1..=data {
        put(b, Statement::DiskDelete(format!("{tmpl}-data{i}")));
    }
}
