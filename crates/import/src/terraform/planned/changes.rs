//! One reader per resource type's planned change: what its delete, create or update writes,
//! in which phase, or the note that says why it writes nothing.

use super::super::builder::{Builder, Target};
use super::super::json::{self, attrs, items};
use super::super::order::{
    Phases, ATTACHES_AND_POWER, CREATIONS, DELETIONS, DETACHES, KEY_STATES, NEW_KEYS,
};
use super::deferred::{Deferred, NewDisk, NewServer};
use super::{text_of, Change};
use crate::ResourceKind;
use keyline_rules::{DiskFrom, Statement};
use serde_json::{Map, Value};

/// Reads one planned change of a modelled type (anything not listed below is an image type).
pub(super) fn read(b: &mut Builder, phases: &mut Phases<Deferred>, c: &Change) {
    match c.p.kind.as_str() {
        "huaweicloud_kms_key" => key(b, phases, c),
        "huaweicloud_evs_volume" => volume(b, phases, c),
        "huaweicloud_compute_volume_attach" => attach(b, phases, c),
        "huaweicloud_compute_instance" => server(b, phases, c),
        "huaweicloud_evs_snapshot" => snapshot(b, phases, c),
        "huaweicloud_cbr_checkpoint" => checkpoint(b, phases, c),
        "huaweicloud_as_configuration" => configuration(b, phases, c),
        _ => image(b, phases, c),
    }
}

/// Pushes one statement carrying the change's own comment.
fn push_stmt(phases: &mut Phases<Deferred>, phase: usize, rank: u8, c: &Change, s: Statement) {
    phases.push(phase, rank, c.index, Deferred::Stmt(s, c.what.clone()));
}

/// A boolean attribute of `before` or `after`.
fn flag(m: Option<&Map<String, Value>>, attr: &str) -> Option<bool> {
    m.and_then(|m| m.get(attr)).and_then(Value::as_bool)
}

/// A key: created (and disabled when the plan says so), deleted (scheduled), or enabled or
/// disabled.
fn key(b: &mut Builder, phases: &mut Phases<Deferred>, c: &Change) {
    let before_on = flag(c.p.before, "is_enabled");
    let after_on = flag(c.p.after, "is_enabled");
    if c.p.is("delete") {
        key_delete(b, phases, c);
    }
    if c.p.is("create") {
        if let Some(name) = c.created_name() {
            push_stmt(phases, NEW_KEYS, 0, c, Statement::KeyCreate(name.clone()));
            if after_on == Some(false) {
                let s = Statement::KeyDisable(name);
                let d = Deferred::Stmt(s, "is_enabled = false at creation".to_owned());
                phases.push(KEY_STATES, 0, c.index, d);
            }
        }
    } else if c.p.is("update") {
        key_update(b, phases, c, before_on, after_on);
    }
}

/// A key's deletion is a schedule with the plan's `pending_days`, unless it is pending already.
fn key_delete(b: &mut Builder, phases: &mut Phases<Deferred>, c: &Change) {
    let Some(name) = c.prior.clone() else { return };
    let pending = b
        .acc
        .keys
        .iter()
        .any(|k| k.name == name && k.target == Target::Pending);
    if pending {
        c.note(
            b,
            "the key is already pending deletion: the provider's delete does nothing more",
        );
        return;
    }
    let (days, how) = match pending_days(b, c, &name).as_deref().map(str::trim) {
        Some(d) => match d.parse::<i64>() {
            Ok(d) => (d, format!("pending_days {d}")),
            Err(_) => (
                7,
                "pending_days unreadable: the provider's default, 7".to_owned(),
            ),
        },
        None => (7, "no pending_days: the provider's default, 7".to_owned()),
    };
    let s = Statement::KeyScheduleDeletion(name, days);
    let d = Deferred::Stmt(s, format!("{} ({how})", c.what));
    phases.push(KEY_STATES, 2, c.index, d);
}

/// The deletion window: the plan's `pending_days` before the change, else the state's.
fn pending_days(b: &Builder, c: &Change, name: &str) -> Option<String> {
    c.p.before
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
        })
}

/// A key update Keyline models is `is_enabled` turning over.
fn key_update(
    b: &mut Builder,
    phases: &mut Phases<Deferred>,
    c: &Change,
    before_on: Option<bool>,
    after_on: Option<bool>,
) {
    let (s, rank, how) = match (c.prior.clone(), before_on, after_on) {
        (Some(name), Some(true), Some(false)) => {
            (Statement::KeyDisable(name), 0, "(is_enabled true → false)")
        }
        (Some(name), Some(false), Some(true)) => {
            (Statement::KeyEnable(name), 1, "(is_enabled false → true)")
        }
        _ => {
            c.note(b, "no change Keyline models (is_enabled unchanged)");
            return;
        }
    };
    let d = Deferred::Stmt(s, format!("{} {how}", c.what));
    phases.push(KEY_STATES, rank, c.index, d);
}

/// A volume: deleted, created, or updated in a way Keyline does not model.
fn volume(b: &mut Builder, phases: &mut Phases<Deferred>, c: &Change) {
    if c.p.is("delete") {
        if let Some(name) = c.prior.clone() {
            push_stmt(phases, DELETIONS, 2, c, Statement::DiskDelete(name));
        }
    }
    if c.p.is("create") {
        volume_create(b, phases, c);
    } else if c.p.is("update") {
        c.note(b, "no change Keyline models (size, type, tags…)");
    }
}

/// A new disk: from a snapshot or backup (whose encryption it takes), else with its key; then
/// attached when `server_id` names a server.
fn volume_create(b: &mut Builder, phases: &mut Phases<Deferred>, c: &Change) {
    let Some(name) = c.created_name() else { return };
    let snap = c.resolve_after(b, "snapshot_id", ResourceKind::Snapshot);
    let backup = c.resolve_after(b, "backup_id", ResourceKind::Backup);
    let key = c.resolve_after(b, "kms_id", ResourceKind::Key);
    let server = c.resolve_after(b, "server_id", ResourceKind::Server);
    let key_unknown =
        key.is_none() && c.p.unknown.and_then(|u| u.get("kms_id")) == Some(&Value::Bool(true));
    if key_unknown {
        c.warn(b, "kms_id is known only after apply and its expression names no key of the state or the plan; the disk is created unencrypted here, so its verdicts may differ");
    }
    let from = snap
        .map(DiskFrom::Snapshot)
        .or(backup.map(DiskFrom::Backup));
    let rank = if from.is_some() { 5 } else { 2 };
    let key = if from.is_some() { None } else { key };
    let d = Deferred::Disk(NewDisk {
        addr: c.p.addr.clone(),
        name,
        from,
        key,
        server,
        what: c.what.clone(),
    });
    phases.push(CREATIONS, rank, c.index, d);
}

/// A volume attachment: a detach before the deletions, an attach after the creations.
fn attach(b: &mut Builder, phases: &mut Phases<Deferred>, c: &Change) {
    if c.p.is("delete") {
        let vol = b
            .acc
            .attach_addr
            .get(&c.p.addr)
            .cloned()
            .or_else(|| text_of(c.p.before, "volume_id").map(str::to_owned));
        match vol.and_then(|v| b.name_of(ResourceKind::Disk, &v)) {
            Some(d) => push_stmt(phases, DETACHES, 0, c, Statement::Detach(d)),
            None => c.note(b, "its volume is not in the state"),
        }
    }
    if c.p.is("create") {
        let disk = c.resolve_after(b, "volume_id", ResourceKind::Disk);
        let server = c.resolve_after(b, "instance_id", ResourceKind::Server);
        match (disk, server) {
            (Some(disk), Some(server)) => {
                let s = Statement::Attach {
                    disk,
                    server,
                    system: false,
                };
                push_stmt(phases, ATTACHES_AND_POWER, 0, c, s);
            }
            _ => c.warn(b, "volume_id or instance_id names no volume or server of the state or the plan; skipped"),
        }
    }
}

/// A server: deleted, created, or its power changed.
fn server(b: &mut Builder, phases: &mut Phases<Deferred>, c: &Change) {
    if c.p.is("delete") {
        if let Some(name) = c.prior.clone() {
            push_stmt(phases, DELETIONS, 1, c, Statement::ServerDelete(name));
        }
    }
    if c.p.is("create") {
        server_create(b, phases, c);
    } else if c.p.is("update") {
        server_update(b, phases, c);
    }
}

/// A new server with its image, system disk key, data disks' keys and power state.
fn server_create(b: &mut Builder, phases: &mut Phases<Deferred>, c: &Change) {
    let Some(name) = c.created_name() else { return };
    let image = text_of(c.p.after, "image_id").map(str::to_owned);
    let sys_key = c.resolve_after(b, "system_disk_kms_key_id", ResourceKind::Key);
    let inst: json::Instance = c.p.after.map(attrs).unwrap_or_default();
    let data: Vec<Option<String>> = items(&inst.data_disks)
        .enumerate()
        .map(|(i, d)| {
            let attr = format!("data_disks.{i}.kms_key_id");
            let value = d.kms_key_id.value().map(String::as_str);
            c.resolve(b, &attr, value, ResourceKind::Key)
        })
        .collect();
    let off = matches!(
        text_of(c.p.after, "power_action"),
        Some("OFF" | "FORCE-OFF")
    );
    let d = Deferred::Server(NewServer {
        addr: c.p.addr.clone(),
        name,
        image,
        sys_key,
        data,
        off,
        what: c.what.clone(),
    });
    phases.push(CREATIONS, 1, c.index, d);
}

/// A server update Keyline models is a power change; a new image is a rebuild it does not.
fn server_update(b: &mut Builder, phases: &mut Phases<Deferred>, c: &Change) {
    let Some(name) = c.prior.clone() else { return };
    let before = text_of(c.p.before, "power_action");
    let s = match text_of(c.p.after, "power_action") {
        Some(a @ ("OFF" | "FORCE-OFF")) if before != Some(a) => Some((
            Statement::ServerStop(name),
            format!("{} (power_action {a})", c.what),
        )),
        Some(a @ "ON") if before != Some(a) => Some((
            Statement::ServerStart(name),
            format!("{} (power_action ON)", c.what),
        )),
        _ => None,
    };
    if let Some((s, comment)) = s {
        phases.push(ATTACHES_AND_POWER, 1, c.index, Deferred::Stmt(s, comment));
    } else if text_of(c.p.before, "image_id") != text_of(c.p.after, "image_id") {
        c.warn(b, "image_id changes: the server is rebuilt with a new system disk, which Keyline does not model");
    } else {
        c.note(b, "no change Keyline models (flavor, name, tags…)");
    }
}

/// A snapshot: deleted, or created from its volume.
fn snapshot(b: &mut Builder, phases: &mut Phases<Deferred>, c: &Change) {
    if c.p.is("delete") {
        if let Some(name) = c.prior.clone() {
            push_stmt(phases, DELETIONS, 0, c, Statement::SnapshotDelete(name));
        }
    }
    if c.p.is("create") {
        let Some(name) = c.created_name() else { return };
        match c.resolve_after(b, "volume_id", ResourceKind::Disk) {
            Some(disk) => {
                let s = Statement::SnapshotCreate {
                    snapshot: name,
                    disk,
                };
                push_stmt(phases, CREATIONS, 3, c, s);
            }
            None => c.note(b, "volume_id names no volume of the state or the plan"),
        }
    }
}

/// A CBR checkpoint: its backups deleted, or one created per volume it covers.
fn checkpoint(b: &mut Builder, phases: &mut Phases<Deferred>, c: &Change) {
    if c.p.is("delete") {
        for n in checkpoint_backups(b, c) {
            push_stmt(phases, DELETIONS, 0, c, Statement::BackupDelete(n));
        }
    }
    if c.p.is("create") {
        let Some(name) = c.created_name() else { return };
        let ck: json::Checkpoint = c.p.after.map(attrs).unwrap_or_default();
        let disks: Vec<String> = items(&ck.backups)
            .enumerate()
            .filter(|(_, x)| x.kind.value().map(String::as_str) == Some("OS::Cinder::Volume"))
            .filter_map(|(i, x)| {
                let attr = format!("backups.{i}.resource_id");
                let value = x.resource_id.value().map(String::as_str);
                c.resolve(b, &attr, value, ResourceKind::Disk)
            })
            .collect();
        let d = Deferred::Backups {
            name,
            disks,
            what: c.what.clone(),
        };
        phases.push(CREATIONS, 4, c.index, d);
    }
}

/// The backups the prior state's checkpoint at this change's address was imported as.
fn checkpoint_backups(b: &Builder, c: &Change) -> Vec<String> {
    b.acc
        .resources
        .iter()
        .filter(|r| r.kind == ResourceKind::Backup)
        .map(|r| r.name.clone())
        .filter(|n| {
            b.acc
                .by_addr
                .iter()
                .any(|(a, (k, x))| a == &c.p.addr && *k == ResourceKind::Backup && x == n)
        })
        .collect()
}

/// An AS configuration: created (Keyline cannot delete one).
fn configuration(b: &mut Builder, phases: &mut Phases<Deferred>, c: &Change) {
    if c.p.is("delete") {
        c.note(
            b,
            "Keyline has no statement that deletes a configuration; the deletion is not played",
        );
    }
    if c.p.is("create") {
        configuration_create(b, phases, c);
    }
}

/// A new configuration from its server, or from the template server built for it before the
/// keys took their states (`planned_templates`).
fn configuration_create(b: &mut Builder, phases: &mut Phases<Deferred>, c: &Change) {
    let Some(config) = c.created_name() else {
        return;
    };
    let cfg: json::AsConfiguration = c.p.after.map(attrs).unwrap_or_default();
    let server = items(&cfg.instance_config).next().and_then(|ic| {
        let value = ic.instance_id.value().map(String::as_str);
        c.resolve(
            b,
            "instance_config.0.instance_id",
            value,
            ResourceKind::Server,
        )
    });
    let template = b
        .acc
        .by_addr
        .get(&format!("template:{}", c.p.addr))
        .map(|(_, n)| n.clone());
    let data = items(&cfg.instance_config).next().map_or(0, |ic| {
        items(&ic.disk)
            .filter(|d| d.disk_type.value().map(String::as_str) == Some("DATA"))
            .count()
    });
    let what = c.what.clone();
    let d = match (server, template) {
        (Some(server), _) => Deferred::Stmt(Statement::ConfigCreate { config, server }, what),
        (None, Some(template)) => Deferred::ConfigFromTemplate {
            config,
            template,
            data,
            what,
        },
        (None, None) => {
            c.note(
                b,
                "instance_config names no server of the state or the plan",
            );
            return;
        }
    };
    phases.push(CREATIONS, 7, c.index, d);
}

/// An image: created (Keyline cannot delete one).
fn image(b: &mut Builder, phases: &mut Phases<Deferred>, c: &Change) {
    if c.p.is("delete") {
        c.note(
            b,
            "Keyline has no statement that deletes an image; the deletion is not played",
        );
    }
    if c.p.is("create") {
        image_create(b, phases, c);
    }
}

/// A new image from a server, or from an image file with its key.
fn image_create(b: &mut Builder, phases: &mut Phases<Deferred>, c: &Change) {
    let Some(name) = c.created_name() else { return };
    let server = c.resolve_after(b, "instance_id", ResourceKind::Server);
    let url = text_of(c.p.after, "image_url").is_some()
        || c.p.unknown.and_then(|u| u.get("image_url")).is_some();
    let key = c.resolve_after(b, "cmk_id", ResourceKind::Key);
    match (server, url) {
        (Some(server), _) => {
            let s = Statement::ImageCreate {
                image: name,
                server,
            };
            push_stmt(phases, CREATIONS, 6, c, s);
        }
        (None, true) => {
            let d = Deferred::ImageImport {
                addr: c.p.addr.clone(),
                name,
                key,
                what: c.what.clone(),
            };
            phases.push(CREATIONS, 0, c.index, d);
        }
        (None, false) => c.note(
            b,
            "not an image of a server or of an image file: Keyline does not model it",
        ),
    }
}
