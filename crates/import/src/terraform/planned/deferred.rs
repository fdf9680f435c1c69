//! What a planned change writes, kept as data until every change has been read: the phases
//! reorder the changes, and a few statements need names (a server's system disk, a key id's
//! placeholder) that must be taken in the order the statements are written, not read.

use super::super::builder::Builder;
use super::super::prior::remove_template;
use crate::ResourceKind;
use keyline_rules::{DiskFrom, Source, Statement};

/// A new disk, with its key (`?id`: a key id looked up when written), then attached to the
/// server its `server_id` names.
pub(super) struct NewDisk {
    pub(super) addr: String,
    pub(super) name: String,
    pub(super) from: Option<DiskFrom>,
    pub(super) key: Option<String>,
    pub(super) server: Option<String>,
    pub(super) what: String,
}

impl NewDisk {
    fn write(self, b: &mut Builder, change: usize) {
        let addr = self.addr;
        let key = self.key.map(|k| key_name(b, k, &format!("{addr}.kms_id")));
        let s = Statement::DiskCreate {
            disk: self.name.clone(),
            from: self.from,
            key,
        };
        b.planned(change, s, self.what);
        if let Some(s) = self.server {
            let attach = Statement::Attach {
                disk: self.name,
                server: s,
                system: false,
            };
            b.planned(change, attach, "server_id");
        }
    }
}

/// A new server: its system disk's key through an image, its data disks' keys (`?id`: key ids
/// looked up when written), its power state.
pub(super) struct NewServer {
    pub(super) addr: String,
    pub(super) name: String,
    pub(super) image: Option<String>,
    pub(super) sys_key: Option<String>,
    pub(super) data: Vec<Option<String>>,
    pub(super) off: bool,
    pub(super) what: String,
}

impl NewServer {
    fn write(self, b: &mut Builder, change: usize) {
        let (addr, name) = (self.addr, self.name);
        let sys = b.names.take(&format!("{name}-sys"), "", "disk");
        let at = format!("{addr}.system_disk_kms_key_id");
        let sys_key = self.sys_key.map(|k| key_name(b, k, &at));
        server_create(b, change, &name, sys, self.image, sys_key, self.what);
        data_disks(b, change, &addr, &name, self.data);
        if self.off {
            b.planned(change, Statement::ServerStop(name), "power_action OFF");
        }
    }
}

/// A planned change's statements, written once every change has been read.
pub(super) enum Deferred {
    /// One statement with its comment.
    Stmt(Statement, String),
    /// A new disk.
    Disk(NewDisk),
    /// A new server.
    Server(NewServer),
    /// A new checkpoint: one backup per volume it covers.
    Backups {
        name: String,
        disks: Vec<String>,
        what: String,
    },
    /// A new configuration copied from its template server, which is removed after.
    ConfigFromTemplate {
        config: String,
        template: String,
        data: usize,
        what: String,
    },
    /// A new image from an image file, with its key.
    ImageImport {
        addr: String,
        name: String,
        key: Option<String>,
        what: String,
    },
}

impl Deferred {
    /// Writes the statements, counted against planned change `change`.
    pub(super) fn write(self, b: &mut Builder, change: usize) {
        match self {
            Deferred::Stmt(s, comment) => b.planned(change, s, comment),
            Deferred::Disk(d) => d.write(b, change),
            Deferred::Server(s) => s.write(b, change),
            Deferred::Backups { name, disks, what } => {
                let single = disks.len() == 1;
                for d in disks {
                    let n = if single {
                        name.clone()
                    } else {
                        b.names.take(&format!("{name}-{d}"), "", "backup")
                    };
                    let s = Statement::BackupCreate { backup: n, disk: d };
                    b.planned(change, s, what.clone());
                }
            }
            Deferred::ConfigFromTemplate {
                config,
                template,
                data,
                what,
            } => {
                let s = Statement::ConfigCreate {
                    config,
                    server: template.clone(),
                };
                b.planned(change, s, what);
                remove_template(b, &template, data, Some(change));
            }
            Deferred::ImageImport {
                addr,
                name,
                key,
                what,
            } => {
                let key = key.map(|k| key_name(b, k, &format!("{addr}.cmk_id")));
                b.planned(change, Statement::ImageImport { image: name, key }, what);
            }
        }
    }
}

/// A key the plan creates is named already; a key id (`?id`) is looked up, or given a
/// placeholder key, only now, so that the placeholder comes right before its first use.
fn key_name(b: &mut Builder, key: String, at: &str) -> String {
    match key.strip_prefix('?') {
        Some(id) => b.key_for(id, at),
        None => key,
    }
}

/// `server create`; a system disk key comes through an image made with it (R-SYS-IMAGE).
fn server_create(
    b: &mut Builder,
    change: usize,
    name: &str,
    sys: String,
    image: Option<String>,
    sys_key: Option<String>,
    what: String,
) {
    let source = match sys_key {
        Some(k) => {
            let img = b.names.take(&format!("{name}-img"), "", "image");
            b.note(format!("The system disk of {name} is encrypted with key {k} (system_disk_kms_key_id). `server create` takes a system disk's encryption from its image (R-SYS-IMAGE), so an image encrypted with that key comes first."));
            let s = Statement::ImageImport {
                image: img.clone(),
                key: Some(k),
            };
            b.planned(change, s, "an image only for this, not in the plan");
            Some(Source::Image(img))
        }
        None => image
            .as_deref()
            .and_then(|i| b.name_of(ResourceKind::Image, i))
            .map(Source::Image),
    };
    let s = Statement::ServerCreate {
        server: name.to_owned(),
        source,
        system_disk: Some(sys),
    };
    b.planned(change, s, what);
}

/// A new server's `data_disks`: each created with its key and attached.
fn data_disks(b: &mut Builder, change: usize, addr: &str, name: &str, keys: Vec<Option<String>>) {
    for (i, k) in keys.into_iter().enumerate() {
        let disk = b.names.take(&format!("{name}-data{}", i + 1), "", "disk");
        let key = k.map(|k| key_name(b, k, &format!("{addr}.data_disks[{i}]")));
        let s = Statement::DiskCreate {
            disk: disk.clone(),
            from: None,
            key,
        };
        b.planned(change, s, format!("data_disks[{i}]"));
        let attach = Statement::Attach {
            disk,
            server: name.to_owned(),
            system: false,
        };
        b.planned(change, attach, "");
    }
}
