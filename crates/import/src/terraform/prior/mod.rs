//! The prior state rebuilt as statements: keys first (created enabled), then one item per
//! server, disk, attachment, snapshot, backup, image and configuration, written in dependency
//! order by `order.rs` (`emit.rs` holds what each item writes). The keys' real states come
//! last (`keys.rs`).

mod emit;
mod key;

use super::builder::{Builder, ImageFrom, Line, Server};
use super::json::{self, attrs, items, Field};
use super::order::{emit_in_order, Item};
use super::TYPES;
use crate::date::Date;
use crate::names::quoted;
use crate::ResourceKind;
pub(super) use emit::Emit;
use key::prior_key;
use keyline_rules::{Source, Statement};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// Every managed resource of a state's modules: (address, type, provider, values).
pub(super) type StateRes = (String, String, String, Map<String, Value>);

/// Collects a state module's managed resources, and its child modules', into `out`; data
/// sources, resources without values and items that are not objects go to `data` (skipped).
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

/// Volume id → (server id, device) of the attachments the state lists.
type Attached = HashMap<String, (String, Option<String>)>;

/// Rebuilds the prior state: keys first (everything else names them), then every other item in
/// dependency order.
pub(super) fn build_prior(b: &mut Builder, prior: &[StateRes]) {
    skip_unmodelled(b, prior);
    // The resources of one type, in the state's order.
    let get = |t: &str| -> Vec<&StateRes> { prior.iter().filter(|r| r.1 == t).collect() };
    let keys = get("huaweicloud_kms_key");
    if !keys.is_empty() {
        b.lines.push(Line::Blank);
        b.note("Keys, all created enabled: nothing can be created or attached with an unusable key (R-USE-NEW, R-REATTACH), so their states from the state are set at the end.");
    }
    for (addr, _, _, values) in keys {
        prior_key(b, addr, values);
    }
    let mut list = server_and_volume_items(b, &get);
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

/// Lists as skipped every resource of a type Keyline does not model.
fn skip_unmodelled(b: &mut Builder, prior: &[StateRes]) {
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
}

/// The items of the servers, volumes and their attachments.
fn server_and_volume_items<'s>(
    b: &mut Builder,
    get: &dyn Fn(&str) -> Vec<&'s StateRes>,
) -> Vec<Item> {
    let servers: Vec<(String, json::Instance)> = get("huaweicloud_compute_instance")
        .into_iter()
        .map(|(a, _, _, v)| (a.clone(), attrs::<json::Instance>(v)))
        .collect();
    let volumes: Vec<(String, json::EvsVolume)> = get("huaweicloud_evs_volume")
        .into_iter()
        .map(|(a, _, _, v)| (a.clone(), attrs::<json::EvsVolume>(v)))
        .collect();
    let volume_ids: HashSet<String> = volumes
        .iter()
        .filter_map(|(_, v)| v.id.value().cloned())
        .collect();
    let mut attached = volume_attachments(b, get("huaweicloud_compute_volume_attach"));
    let mut list = Vec::new();
    for (addr, s) in servers {
        list.push(prior_server(b, addr, s, &volume_ids));
    }
    for (addr, v) in volumes {
        list.extend(prior_volume(b, addr, v, &mut attached));
    }
    list
}

/// The attachments of the `huaweicloud_compute_volume_attach` resources, for the volumes whose
/// own `attachment` lists none; each attachment's address is kept for a planned detach.
fn volume_attachments(b: &mut Builder, attaches: Vec<&StateRes>) -> Attached {
    let mut attached = HashMap::new();
    for (addr, _, _, v) in attaches {
        let a = attrs::<json::VolumeAttach>(v);
        if let (Some(vol), Some(srv)) = (a.volume_id.value(), a.instance_id.value()) {
            b.acc.attach_addr.insert(addr.clone(), vol.clone());
            attached
                .entry(vol.clone())
                .or_insert((srv.clone(), a.device.value().cloned()));
        }
    }
    attached
}

/// A code the provider gives as a string or a number, as text; empty is none.
fn code_text(f: &Field<json::Code>) -> Option<String> {
    f.value().map(json::Code::text).filter(|s| !s.is_empty())
}

/// A server's attributes as the prior state gives them.
struct ServerAttrs {
    id: String,
    raw: Option<String>,
    image_id: Option<String>,
    sys_key: Option<String>,
    sys_id: Option<String>,
    status: Option<String>,
    /// Data disks made by `data_disks` blocks: (volume id, key id).
    data: Vec<(Option<String>, Option<String>)>,
}

/// Reads a server's attributes, warning about those of the wrong type.
fn server_attrs(
    b: &mut Builder,
    addr: &str,
    s: &json::Instance,
    volume_ids: &HashSet<String>,
) -> ServerAttrs {
    let mut problems = Vec::new();
    let mut w = |m: String| problems.push(m);
    let mut text = |f: &Field<String>, name: &str| f.text(&mut w, name).map(str::to_owned);
    let id = text(&s.id, "id").unwrap_or_default();
    let raw = text(&s.name, "name");
    let image_id = text(&s.image_id, "image_id");
    let sys_key = text(&s.system_disk_kms_key_id, "system_disk_kms_key_id");
    let sys_id = text(&s.system_disk_id, "system_disk_id");
    let status = text(&s.status, "status");
    let data = server_data_disks(s, volume_ids, sys_id.as_ref());
    b.seen_date(s.created_at.value().and_then(|d| Date::parse_api(d)));
    b.seen_date(s.updated_at.value().and_then(|d| Date::parse_api(d)));
    for p in problems {
        b.warn(addr, p);
    }
    ServerAttrs {
        id,
        raw,
        image_id,
        sys_key,
        sys_id,
        status,
        data,
    }
}

/// The disks of a server's `data_disks` blocks: (volume id, key id), the volume ids being the
/// attached volumes no evs_volume resource lists, in order.
fn server_data_disks(
    s: &json::Instance,
    volume_ids: &HashSet<String>,
    sys_id: Option<&String>,
) -> Vec<(Option<String>, Option<String>)> {
    let extra: Vec<String> = items(&s.volume_attached)
        .filter(|v| v.is_sys_volume.value() != Some(&true))
        .filter(|v| code_text(&v.boot_index).as_deref() != Some("0"))
        .filter_map(|v| v.volume_id.value().cloned())
        .filter(|v| !volume_ids.contains(v) && Some(v) != sys_id)
        .collect();
    items(&s.data_disks)
        .map(|d| d.kms_key_id.value().filter(|k| !k.is_empty()).cloned())
        .enumerate()
        .map(|(i, k)| (extra.get(i).cloned(), k))
        .collect()
}

/// A server: named and recorded now (with its system and data disks), written after its image.
fn prior_server(
    b: &mut Builder,
    addr: String,
    s: json::Instance,
    volume_ids: &HashSet<String>,
) -> Item {
    let a = server_attrs(b, &addr, &s, volume_ids);
    let name = b
        .names
        .take(a.raw.as_deref().unwrap_or(""), &a.id, "server");
    let fallback = if a.id.is_empty() {
        addr.clone()
    } else {
        a.id.clone()
    };
    b.acc
        .server_ix
        .insert(fallback.clone(), b.acc.servers.len());
    b.record(ResourceKind::Server, &a.id, &name, &addr);
    let sys_name = b.names.take(&format!("{name}-sys"), "", "disk");
    if let Some(sid) = &a.sys_id {
        b.record(ResourceKind::Disk, sid, &sys_name, "");
    }
    let data_names: Vec<String> = (1..=a.data.len())
        .map(|n| b.names.take(&format!("{name}-data{n}"), "", "disk"))
        .collect();
    for ((vid, _), dn) in a.data.iter().zip(&data_names) {
        if let Some(v) = vid {
            b.record(ResourceKind::Disk, v, dn, "");
        }
    }
    let data = data_names
        .into_iter()
        .zip(a.data.iter().map(|(_, k)| k.clone()))
        .collect();
    b.acc.servers.push(Server {
        id: fallback.clone(),
        name: name.clone(),
        sys_key: a.sys_key.clone(),
        sys_id: a.sys_id,
        status: a.status,
        data: a.data,
    });
    Item {
        rank: 1,
        deps: a.image_id.iter().map(|i| format!("image:{i}")).collect(),
        provides: vec![format!("server:{fallback}")],
        emit: Emit::Server {
            addr,
            name,
            sys_name,
            image_id: a.image_id,
            sys_key: a.sys_key,
            data,
        },
    }
}

/// A volume's attributes as the prior state gives them.
struct VolumeAttrs {
    id: String,
    raw: Option<String>,
    kms: Option<String>,
    snap: Option<String>,
    backup: Option<String>,
    image: Option<String>,
    /// The first attachment (server id, device), and how many there are.
    attachment: Option<(String, Option<String>)>,
    attachments: usize,
    multi: bool,
}

/// Reads a volume's attributes, warning about those of the wrong type.
fn volume_attrs(b: &mut Builder, addr: &str, v: &json::EvsVolume) -> VolumeAttrs {
    let mut problems = Vec::new();
    let mut w = |m: String| problems.push(m);
    let id = v.id.text(&mut w, "id").map(str::to_owned);
    let raw = v.name.text(&mut w, "name").map(str::to_owned);
    let kms = v.kms_id.text(&mut w, "kms_id").map(str::to_owned);
    let snap = v.snapshot_id.text(&mut w, "snapshot_id").map(str::to_owned);
    let backup = v.backup_id.text(&mut w, "backup_id").map(str::to_owned);
    let image = v.image_id.text(&mut w, "image_id").map(str::to_owned);
    let multi = v
        .multiattach
        .get(&mut w, "multiattach", "a boolean")
        .copied();
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
        b.warn(addr, p);
    }
    VolumeAttrs {
        id: id.unwrap_or_default(),
        raw,
        kms,
        snap,
        backup,
        image,
        attachments: atts.len(),
        attachment: atts.into_iter().next(),
        multi: multi.unwrap_or(false),
    }
}

/// A volume, after the snapshot or backup it comes from, and its attachment after the volume
/// and its server.
fn prior_volume(
    b: &mut Builder,
    addr: String,
    v: json::EvsVolume,
    attached: &mut Attached,
) -> Vec<Item> {
    let a = volume_attrs(b, &addr, &v);
    if a.attachments > 1 {
        b.warn(&addr, format!(
            "the disk is attached to {} servers{}; Keyline attaches a disk to one server, so only the first attachment is imported",
            a.attachments,
            if a.multi { " (multiattach)" } else { "" }
        ));
    }
    let att = a.attachment.or_else(|| attached.remove(&a.id));
    let name = b.names.take(a.raw.as_deref().unwrap_or(""), &a.id, "disk");
    b.record(ResourceKind::Disk, &a.id, &name, &addr);
    let mut deps = Vec::new();
    deps.extend(a.snap.iter().map(|s| format!("snapshot:{s}")));
    deps.extend(a.backup.iter().map(|bk| format!("backup:{bk}")));
    let mut out = vec![Item {
        rank: if deps.is_empty() { 2 } else { 5 },
        deps,
        provides: vec![format!("disk:{}", a.id)],
        emit: Emit::Disk(emit::PriorDisk {
            addr: addr.clone(),
            name: name.clone(),
            id: a.id.clone(),
            snap: a.snap,
            backup: a.backup,
            image: a.image,
            kms: a.kms,
        }),
    }];
    if let Some((server, device)) = att {
        out.push(Item {
            rank: 3,
            deps: vec![format!("disk:{}", a.id), format!("server:{server}")],
            provides: Vec::new(),
            emit: Emit::Attach {
                addr,
                disk: name,
                server,
                device,
            },
        });
    }
    out
}

/// A snapshot, after its volume.
fn prior_snapshot(b: &mut Builder, addr: &str, s: json::Snapshot) -> Vec<Item> {
    let id = s.id.value().cloned().unwrap_or_default();
    let raw = s.name.value().cloned();
    let Some(volume) = s.volume_id.value().cloned() else {
        b.warn(
            addr,
            "attribute `volume_id` missing; the snapshot is skipped".to_owned(),
        );
        b.skip(addr, "huaweicloud_evs_snapshot", "no volume_id".to_owned());
        return Vec::new();
    };
    let name = b.names.take(raw.as_deref().unwrap_or(""), &id, "snapshot");
    b.record(ResourceKind::Snapshot, &id, &name, addr);
    vec![Item {
        rank: 4,
        deps: vec![format!("disk:{volume}")],
        provides: vec![format!("snapshot:{id}")],
        emit: Emit::Snapshot {
            addr: addr.to_owned(),
            name,
            volume,
        },
    }]
}

/// A CBR checkpoint: one item per backup, after the volume or server it backs up.
fn prior_checkpoint(b: &mut Builder, addr: &str, c: json::Checkpoint) -> Vec<Item> {
    let raw = c.name.value().cloned().unwrap_or_default();
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
    let item = |(kind, resource, backup_id): (String, String, Option<String>)| Item {
        rank: 4,
        deps: vec![if kind == "OS::Nova::Server" {
            format!("server:{resource}")
        } else {
            format!("disk:{resource}")
        }],
        provides: backup_id.iter().map(|i| format!("backup:{i}")).collect(),
        emit: Emit::Backup {
            addr: addr.to_owned(),
            raw: raw.clone(),
            kind,
            resource,
            backup_id,
        },
    };
    backups.into_iter().map(item).collect()
}

/// A system image: from a server (after it), or from an image file (first of all).
fn prior_image(b: &mut Builder, addr: &str, i: json::Image) -> Vec<Item> {
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
    let (rank, deps) = match &from {
        ImageFrom::Import(_) => (0, Vec::new()),
        ImageFrom::Server(s) => (6, vec![format!("server:{s}")]),
    };
    vec![Item {
        rank,
        deps,
        provides: vec![format!("image:{id}")],
        emit: Emit::Image {
            addr: addr.to_owned(),
            name,
            from,
            system_cmkid: i.system_cmkid.value().filter(|k| !k.is_empty()).cloned(),
        },
    }]
}

/// An AS configuration: from a server, or from an image and disks (built on a template server
/// that is removed again).
fn prior_config(b: &mut Builder, addr: &str, c: json::AsConfiguration) -> Vec<Item> {
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
            emit: Emit::ConfigFromServer { addr, name, server },
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
        emit: Emit::ConfigFromTemplate {
            addr,
            name,
            image,
            data,
        },
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

/// Deletes a template server and its data disks once its configuration is created.
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
