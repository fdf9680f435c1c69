//! What a prior-state item writes, kept as data until `order.rs` reaches it: a statement can
//! name only what is written before it, and names (a placeholder key, a backup) are taken in
//! the order the statements are written.

use super::super::builder::{Builder, ImageFrom};
use super::{remove_template, template};
use crate::names::{clean, quoted};
use crate::ResourceKind;
use keyline_rules::{DiskFrom, Source, Statement};

/// A volume of the prior state (ids as the state gives them).
pub(in super::super) struct PriorDisk {
    pub(in super::super) addr: String,
    pub(in super::super) name: String,
    pub(in super::super) id: String,
    pub(in super::super) snap: Option<String>,
    pub(in super::super) backup: Option<String>,
    pub(in super::super) image: Option<String>,
    pub(in super::super) kms: Option<String>,
}

/// A prior-state item's statements.
pub(in super::super) enum Emit {
    /// A server with its system disk, the disks of its `data_disks` blocks (name, key id) and
    /// its power state.
    Server {
        addr: String,
        name: String,
        sys_name: String,
        image_id: Option<String>,
        sys_key: Option<String>,
        data: Vec<(String, Option<String>)>,
    },
    /// A disk, from its snapshot or backup when the state has it, else with its key.
    Disk(PriorDisk),
    /// A disk's attachment to a server (by id).
    Attach {
        addr: String,
        disk: String,
        server: String,
        device: Option<String>,
    },
    /// A snapshot of a volume (by id).
    Snapshot {
        addr: String,
        name: String,
        volume: String,
    },
    /// A checkpoint's backup of one resource (a volume, or every disk of a server).
    Backup {
        addr: String,
        raw: String,
        kind: String,
        resource: String,
        backup_id: Option<String>,
    },
    /// An image from a server, or from an image file with its key.
    Image {
        addr: String,
        name: String,
        from: ImageFrom,
        system_cmkid: Option<String>,
    },
    /// A configuration copied from a server (by id).
    ConfigFromServer {
        addr: String,
        name: String,
        server: String,
    },
    /// A configuration given as an image and disks, copied from a template server.
    ConfigFromTemplate {
        addr: String,
        name: String,
        image: Option<String>,
        data: Vec<Option<String>>,
    },
}

impl Emit {
    pub(in super::super) fn write(self, b: &mut Builder) {
        match self {
            Emit::Server {
                addr,
                name,
                sys_name,
                image_id,
                sys_key,
                data,
            } => {
                let (image, key) = (image_id.as_deref(), sys_key.as_deref());
                emit_server(b, &addr, &name, &sys_name, image, key);
                data_disks(b, &addr, &name, data);
                power_state(b, &addr, &name);
            }
            Emit::Disk(d) => disk(b, d),
            Emit::Attach {
                addr,
                disk,
                server,
                device,
            } => attach(b, &addr, disk, &server, device),
            Emit::Snapshot { addr, name, volume } => snapshot(b, &addr, name, &volume),
            Emit::Backup {
                addr,
                raw,
                kind,
                resource,
                backup_id,
            } => backup(b, &addr, &raw, &kind, &resource, backup_id),
            Emit::Image {
                addr,
                name,
                from,
                system_cmkid,
            } => image(b, &addr, name, from, system_cmkid),
            Emit::ConfigFromServer { addr, name, server } => {
                config_from_server(b, &addr, name, &server)
            }
            Emit::ConfigFromTemplate {
                addr,
                name,
                image,
                data,
            } => config_from_template(b, &addr, name, image.as_deref(), &data),
        }
    }
}

/// A snapshot of a volume of the state; one of a volume not in it is skipped with a warning.
fn snapshot(b: &mut Builder, addr: &str, name: String, volume: &str) {
    match b.name_of(ResourceKind::Disk, volume) {
        Some(disk) => b.stmt(
            Statement::SnapshotCreate {
                snapshot: name,
                disk,
            },
            clean(addr, 120),
        ),
        None => b.warn(
            addr,
            format!(
                "its volume {} is not in the state; the snapshot is skipped",
                quoted(volume)
            ),
        ),
    }
}

/// A configuration copied from a server of the state.
fn config_from_server(b: &mut Builder, addr: &str, name: String, server: &str) {
    match b.name_of(ResourceKind::Server, server) {
        Some(s) => b.stmt(Statement::ConfigCreate { config: name, server: s }, clean(addr, 120)),
        None => b.warn(addr, format!("instance_config.instance_id {} is not a server in the state; the configuration is skipped", quoted(server))),
    }
}

/// A configuration given as an image and disks: copied from a template server built for it,
/// which is removed after.
fn config_from_template(
    b: &mut Builder,
    addr: &str,
    name: String,
    image: Option<&str>,
    data: &[Option<String>],
) {
    let tmpl = template(b, addr, &name, image, data, None);
    let s = Statement::ConfigCreate {
        config: name,
        server: tmpl.clone(),
    };
    b.stmt(s, clean(addr, 120));
    remove_template(b, &tmpl, data.len(), None);
}

/// `server create`, with the image that gives its system disk the key the state shows.
fn emit_server(
    b: &mut Builder,
    addr: &str,
    name: &str,
    sys_name: &str,
    image_id: Option<&str>,
    sys_key: Option<&str>,
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
            b.stmt(s, "an image only for this, not in the state");
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
    b.stmt(s, comment);
}

/// The disks of a server's `data_disks` blocks, each created with its key and attached.
fn data_disks(b: &mut Builder, addr: &str, server: &str, data: Vec<(String, Option<String>)>) {
    for (i, (disk, key)) in data.into_iter().enumerate() {
        let key = key.map(|k| b.key_for(&k, &format!("{addr}.data_disks[{i}]")));
        let s = Statement::DiskCreate {
            disk: disk.clone(),
            from: None,
            key,
        };
        b.stmt(s, format!("{addr}: data_disks[{i}]"));
        let attach = Statement::Attach {
            disk,
            server: server.to_owned(),
            system: false,
        };
        b.stmt(attach, "");
    }
}

/// A server SHUTOFF in the state is stopped; a status neither ACTIVE nor SHUTOFF warns.
fn power_state(b: &mut Builder, addr: &str, name: &str) {
    let status = b
        .acc
        .servers
        .iter()
        .find(|s| s.name == name)
        .and_then(|s| s.status.clone());
    match status.as_deref() {
        Some("SHUTOFF") => b.stmt(
            Statement::ServerStop(name.to_owned()),
            "SHUTOFF in the state",
        ),
        None | Some("ACTIVE") => {}
        Some(other) => b.warn(
            addr,
            format!(
                "status {} is neither ACTIVE nor SHUTOFF; the server is imported running",
                quoted(other)
            ),
        ),
    }
}

/// `disk create`: from the snapshot or backup the state has (its encryption is the source's),
/// else empty with its own key.
fn disk(b: &mut Builder, d: PriorDisk) {
    let PriorDisk {
        addr,
        name,
        id,
        snap,
        backup,
        image,
        kms,
    } = d;
    let addr = addr.as_str();
    let from = snap
        .as_deref()
        .and_then(|s| b.name_of(ResourceKind::Snapshot, s).map(DiskFrom::Snapshot))
        .or_else(|| {
            backup
                .as_deref()
                .and_then(|x| b.name_of(ResourceKind::Backup, x).map(DiskFrom::Backup))
        });
    let mut comment = format!("{}, id {}", clean(addr, 120), clean(&id, 80));
    let key = if from.is_some() {
        comment.push_str("; its encryption is its source's (R-FROM-SNAP, R-FROM-BACKUP)");
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

/// An attachment to a server of the state; one to a server not in it is dropped with a warning.
fn attach(b: &mut Builder, addr: &str, disk: String, server: &str, device: Option<String>) {
    let Some(s) = b.name_of(ResourceKind::Server, server) else {
        b.warn(
            addr,
            format!(
                "attached to server {} that is not in the state; imported detached",
                quoted(server)
            ),
        );
        return;
    };
    b.stmt(
        Statement::Attach {
            disk,
            server: s,
            system: false,
        },
        device
            .map(|d| format!("at {}", clean(&d, 40)))
            .unwrap_or_default(),
    );
}

/// A checkpoint's backup: one per disk it covers, named after the checkpoint.
fn backup(
    b: &mut Builder,
    addr: &str,
    raw: &str,
    kind: &str,
    resource: &str,
    backup_id: Option<String>,
) {
    let Some(disks) = backup_disks(b, kind, resource) else {
        b.warn(
            addr,
            format!(
                "backup of {} {}: not a volume or server in the state; skipped",
                clean(kind, 40),
                quoted(resource)
            ),
        );
        return;
    };
    let single = disks.len() == 1;
    for d in disks {
        let base = if single && !raw.is_empty() {
            raw.to_owned()
        } else {
            format!("{raw}-{d}")
        };
        let name = b.names.take(&base, "", "backup");
        if let (Some(id), true) = (&backup_id, single) {
            b.record(ResourceKind::Backup, id, &name, addr);
        } else {
            b.record(ResourceKind::Backup, "", &name, addr);
        }
        b.stmt(
            Statement::BackupCreate {
                backup: name,
                disk: d,
            },
            format!("{} ({})", clean(addr, 120), clean(kind, 40)),
        );
    }
}

/// The disks a CBR backup of one resource covers: a volume, or every disk of a server.
fn backup_disks(b: &Builder, kind: &str, resource: &str) -> Option<Vec<String>> {
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

/// An image from a server of the state; from a server not in it, or from a file, imported.
fn image(b: &mut Builder, addr: &str, name: String, from: ImageFrom, system_cmkid: Option<String>) {
    b.images += 1;
    match from {
        ImageFrom::Server(s) => {
            match b.name_of(ResourceKind::Server, &s) {
                Some(server) => b.stmt(
                    Statement::ImageCreate {
                        image: name,
                        server,
                    },
                    clean(addr, 120),
                ),
                None => {
                    let key = system_cmkid.map(|k| b.key_for(&k, addr));
                    b.warn(addr, format!("made from server {} that is not in the state; imported as an image file{}", quoted(&s), if key.is_some() { " with its __system__cmkid" } else { "" }));
                    b.stmt(
                        Statement::ImageImport { image: name, key },
                        clean(addr, 120),
                    );
                }
            }
        }
        ImageFrom::Import(k) => {
            let key = k.map(|k| b.key_for(&k, &format!("{addr}.cmk_id")));
            b.stmt(
                Statement::ImageImport { image: name, key },
                clean(addr, 120),
            );
        }
    }
}
