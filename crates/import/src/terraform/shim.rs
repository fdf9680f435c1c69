//! TEMPORARY: the shape of `keyline_rules::Statement` until branch `engine` lands it.
use keyline_rules::Role;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Statement {
    Role(Role),
    KmsGrant,
    KeyCreate(String),
    KeyDisable(String),
    KeyEnable(String),
    KeyScheduleDeletion(String, i64),
    Wait(u64),
    ImageImport {
        image: String,
        key: Option<String>,
    },
    ImageCreate {
        image: String,
        server: String,
    },
    ServerCreate {
        server: String,
        source: Option<Source>,
        system_disk: Option<String>,
    },
    ServerStop(String),
    ServerStart(String),
    ServerDelete(String),
    DiskCreate {
        disk: String,
        from: Option<DiskFrom>,
        key: Option<String>,
    },
    DiskDelete(String),
    Attach {
        disk: String,
        server: String,
        system: bool,
    },
    Detach(String),
    SnapshotCreate {
        snapshot: String,
        disk: String,
    },
    SnapshotDelete(String),
    BackupCreate {
        backup: String,
        disk: String,
    },
    BackupDelete(String),
    ConfigCreate {
        config: String,
        server: String,
    },
}

#[allow(dead_code)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Image(String),
    Config(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiskFrom {
    Snapshot(String),
    Backup(String),
}

impl fmt::Display for Statement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Statement as S;
        match self {
            S::Role(r) => write!(f, "role {r}"),
            S::KmsGrant => write!(f, "kms grant"),
            S::KeyCreate(k) => write!(f, "key create {k}"),
            S::KeyDisable(k) => write!(f, "key disable {k}"),
            S::KeyEnable(k) => write!(f, "key enable {k}"),
            S::KeyScheduleDeletion(k, d) => write!(f, "key schedule-deletion {k} {d}"),
            S::Wait(d) => write!(f, "wait {d}"),
            S::ImageImport { image, key } => {
                write!(f, "image import {image}")?;
                if let Some(k) = key {
                    write!(f, " encrypt {k}")?;
                }
                Ok(())
            }
            S::ImageCreate { image, server } => {
                write!(f, "image create {image} from-server {server}")
            }
            S::ServerCreate {
                server,
                source,
                system_disk,
            } => {
                write!(f, "server create {server}")?;
                match source {
                    Some(Source::Image(i)) => write!(f, " image {i}")?,
                    Some(Source::Config(c)) => write!(f, " config {c}")?,
                    None => {}
                }
                if let Some(d) = system_disk {
                    write!(f, " system-disk {d}")?;
                }
                Ok(())
            }
            S::ServerStop(s) => write!(f, "server stop {s}"),
            S::ServerStart(s) => write!(f, "server start {s}"),
            S::ServerDelete(s) => write!(f, "server delete {s}"),
            S::DiskCreate { disk, from, key } => {
                write!(f, "disk create {disk}")?;
                match from {
                    Some(DiskFrom::Snapshot(s)) => write!(f, " from-snapshot {s}")?,
                    Some(DiskFrom::Backup(b)) => write!(f, " from-backup {b}")?,
                    None => {}
                }
                if let Some(k) = key {
                    write!(f, " encrypt {k}")?;
                }
                Ok(())
            }
            S::DiskDelete(d) => write!(f, "disk delete {d}"),
            S::Attach {
                disk,
                server,
                system,
            } => {
                write!(f, "attach {disk} {server}")?;
                if *system {
                    write!(f, " as system")?;
                }
                Ok(())
            }
            S::Detach(d) => write!(f, "detach {d}"),
            S::SnapshotCreate { snapshot, disk } => {
                write!(f, "snapshot create {snapshot} disk {disk}")
            }
            S::SnapshotDelete(s) => write!(f, "snapshot delete {s}"),
            S::BackupCreate { backup, disk } => write!(f, "backup create {backup} disk {disk}"),
            S::BackupDelete(b) => write!(f, "backup delete {b}"),
            S::ConfigCreate { config, server } => {
                write!(f, "config create {config} from-server {server}")
            }
        }
    }
}
