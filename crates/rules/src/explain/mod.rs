//! Sentences, provenance chains and fix-it lines. Built only in full mode (the app, `run`,
//! `explain`), never on `check`'s path.
//!
//! `mod.rs` holds the shared words, provenance chains and the dispatch of a verdict to its
//! sentence (one exhaustive match per outcome); the sentences are grouped by family as `eval/`
//! is: `keys.rs`, `servers.rs`, `disks.rs`, `copies.rs`; `failures.rs` holds the failure
//! sentences, `fixes.rs` the fix-it lines.

mod copies;
mod disks;
mod failures;
mod fixes;
mod keys;
mod servers;

use crate::eval::{Engine, Failure, Verdict};
use crate::model::KeyState;
use crate::names::NameId;
use crate::syntax::Stmt;
use crate::world::{Disk, Enc, Idx, Key, ProvId, ProvLabel, Server};

/// Longest provenance chain rendered in full; deeper chains end in "…".
const MAX_CHAIN: usize = 64;

impl Engine<'_> {
    fn enc_words(&self, enc: Enc) -> String {
        match enc.and_then(|k| self.world.key(k)) {
            Some(k) => format!("encrypted with key {}", self.name(k.name)),
            None => "unencrypted".to_owned(),
        }
    }

    fn list(&self, names: &[NameId]) -> String {
        let v: Vec<&str> = names.iter().map(|&n| self.name(n)).collect();
        v.join(", ")
    }

    fn key_desc(&self, k: Idx<Key>) -> (String, KeyState) {
        match self.world.key(k) {
            Some(key) => (self.name(key.name).to_owned(), key.state),
            None => (String::new(), KeyState::Deleted),
        }
    }

    fn server_name(&self, s: Idx<Server>) -> &str {
        self.world.server(s).map_or("", |s| self.name(s.name))
    }

    fn disk_name(&self, d: Idx<Disk>) -> &str {
        self.world.disk(d).map_or("", |d| self.name(d.name))
    }

    /// The provenance chain starting at `prov`: `disk d3 ← snapshot s1 ← disk d1 ← chosen at
    /// creation (key k1)`.
    pub fn chain(&self, prov: ProvId) -> String {
        let mut out = String::new();
        let mut cur = Some(prov);
        let mut n = 0;
        while let Some(p) = cur {
            let Some(node) = self.world.prov(p) else {
                break;
            };
            if n > 0 {
                out.push_str(" ← ");
            }
            if n == MAX_CHAIN {
                out.push('…');
                break;
            }
            self.label(&node.label, &mut out);
            cur = node.parent;
            n += 1;
        }
        out
    }

    pub(crate) fn label(&self, label: &ProvLabel, out: &mut String) {
        let key = |k: Option<NameId>| match k {
            Some(k) => format!("key {}", self.name(k)),
            None => "unencrypted".to_owned(),
        };
        match *label {
            ProvLabel::Resource(kind, n) => {
                out.push_str(kind.noun());
                out.push(' ');
                out.push_str(self.name(n));
            }
            ProvLabel::Chosen(k) => out.push_str(&format!("chosen at creation ({})", key(k))),
            ProvLabel::Imported(k) => out.push_str(&format!("imported ({})", key(k))),
            ProvLabel::Public => out.push_str("public image (unencrypted)"),
        }
    }

    /// The chain of the resource a creating statement made (for inherited encryption).
    pub fn created_chain(&self, stmt: &Stmt) -> Option<String> {
        let res = self.world.lookup(*stmt.created()?)?;
        let (_, prov) = self.world.encryption_of(res)?;
        Some(self.chain(prov))
    }

    /// One plain-English sentence for a statement's verdict (state: just after the statement).
    pub fn sentence(&self, stmt: &Stmt, v: &Verdict) -> String {
        let mut s = match v {
            Verdict::Fail(f, _) => self.failure_sentence(stmt, f),
            Verdict::Ok(_) | Verdict::Warn(..) => self.success_sentence(stmt, v),
        };
        if v.rule().info().inferred && !s.contains("nferred") {
            s.push_str(&format!(
                " ({} is inferred from the documentation.)",
                v.rule()
            ));
        }
        s
    }

    /// The sentence of a statement that succeeded (or warned about `warned`), one function per
    /// statement, grouped by family as `eval/` is.
    fn success_sentence(&self, stmt: &Stmt, v: &Verdict) -> String {
        let warned: &[NameId] = match v {
            Verdict::Warn(_, _, names) => names,
            Verdict::Ok(_) | Verdict::Fail(..) => &[],
        };
        match *stmt {
            Stmt::Role(r) => self.role_sentence(r),
            Stmt::KmsGrant => self.kms_grant_sentence(),
            Stmt::KeyCreate(k) => self.key_created_sentence(k),
            Stmt::KeyDisable(k) => self.key_disabled_sentence(k, warned),
            Stmt::KeyEnable(k) => self.key_enabled_sentence(k),
            Stmt::KeyScheduleDeletion(k, _) => self.key_scheduled_sentence(k, warned),
            Stmt::KeyCancelDeletion(k) => self.key_cancelled_sentence(k),
            Stmt::Wait(days) => self.waited_sentence(days, warned),
            Stmt::ImageImport { image, .. } => self.image_imported_sentence(image),
            Stmt::ImageCreate { image, server } => self.image_created_sentence(image, server),
            Stmt::ServerCreate { server, source, .. } => {
                self.server_created_sentence(server, source)
            }
            Stmt::ServerStop(s) => self.server_stopped_sentence(s),
            Stmt::ServerStart(s) => self.server_started_sentence(s),
            Stmt::ServerDelete(s) => self.server_deleted_sentence(s, warned),
            Stmt::DiskCreate { disk, from, .. } => self.disk_created_sentence(disk, from),
            // Always fail (R-IMMUTABLE): there is no success to tell.
            Stmt::DiskEncrypt(..) | Stmt::DiskDecrypt(_) => String::new(),
            Stmt::DiskDelete(d) => self.disk_deleted_sentence(d),
            Stmt::Attach {
                disk,
                server,
                system,
            } => self.attached_sentence(disk, server, system),
            Stmt::Detach(d) => self.detached_sentence(d, warned),
            Stmt::SnapshotCreate { snapshot, disk } => {
                self.snapshot_created_sentence(snapshot, disk)
            }
            Stmt::SnapshotDelete(x) => self.snapshot_deleted_sentence(x),
            Stmt::BackupCreate { backup, disk } => self.backup_created_sentence(backup, disk),
            Stmt::BackupDelete(x) => self.backup_deleted_sentence(x),
            Stmt::ConfigCreate { config, server } => self.config_created_sentence(config, server),
        }
    }

    pub(super) fn failure_sentence(&self, stmt: &Stmt, f: &Failure) -> String {
        self.statement_failure(stmt, f)
            .unwrap_or_else(|| self.common_failure(f))
    }

    /// The failures whose sentence depends on the statement (one function each, by family);
    /// `None` for the others, which read the same whatever the statement.
    fn statement_failure(&self, stmt: &Stmt, f: &Failure) -> Option<String> {
        let n = |id: NameId| self.name(id);
        match *stmt {
            Stmt::KeyDisable(_) | Stmt::KeyEnable(_) | Stmt::KeyCancelDeletion(_) => {
                self.key_state_failure(f, key_needs(stmt)?)
            }
            Stmt::KeyScheduleDeletion(k, days) => self
                .schedule_failure(k, days, f)
                .or_else(|| self.key_state_failure(f, key_needs(stmt)?)),
            Stmt::ImageImport { image, .. } => {
                self.creation_failure(f, &format!("Image {}", n(image)), None)
            }
            Stmt::ImageCreate { image, server } => self
                .no_system_disk_failure(f, "so no image can be made from it")
                .or_else(|| {
                    let things = format!("Image {} of server {}", n(image), n(server));
                    self.creation_failure(f, &things, None)
                }),
            Stmt::ServerCreate { server, source, .. } => {
                let disks = format!("the disks of server {}", n(server));
                self.creation_failure(f, &self.server_things(server, source), Some(&disks))
            }
            Stmt::ServerStart(_) => self.no_system_disk_failure(f, "so it cannot start"),
            Stmt::DiskCreate { disk, from, .. } => {
                self.inherited_failure(disk, from, f).or_else(|| {
                    let disks = format!("disk {}", n(disk));
                    self.creation_failure(f, &self.disk_things(disk, from), Some(&disks))
                })
            }
            Stmt::DiskDelete(_) => self.disk_delete_failure(f),
            Stmt::Attach { disk, server, .. } => self.attach_failure(disk, server, f),
            Stmt::Detach(d) => self.detach_failure(d, f),
            Stmt::SnapshotCreate { snapshot, disk } => {
                let things = format!("Snapshot {} of disk {}", n(snapshot), n(disk));
                self.creation_failure(f, &things, None)
            }
            Stmt::BackupCreate { backup, disk } => {
                let things = format!("Backup {} of disk {}", n(backup), n(disk));
                self.creation_failure(f, &things, None)
            }
            Stmt::ConfigCreate { .. } => {
                self.no_system_disk_failure(f, "so no AS configuration can be made from it")
            }
            Stmt::Role(_)
            | Stmt::KmsGrant
            | Stmt::KeyCreate(_)
            | Stmt::Wait(_)
            | Stmt::ServerStop(_)
            | Stmt::ServerDelete(_)
            | Stmt::DiskEncrypt(..)
            | Stmt::DiskDecrypt(_)
            | Stmt::SnapshotDelete(_)
            | Stmt::BackupDelete(_) => None,
        }
    }

    /// The encryption of the resource named `name`, if it is live and has one.
    fn res_enc(&self, name: NameId) -> Enc {
        self.world
            .lookup(name)
            .and_then(|r| self.world.encryption_of(r))
            .and_then(|(e, _)| e)
    }

    /// A statement as scenario text (names as the engine knows them), printed by
    /// [`Statement`](crate::Statement)'s `Display`.
    pub fn render(&self, stmt: &Stmt) -> String {
        stmt.map(|&id| self.name(id)).to_string()
    }
}

/// What a `key` statement needs of its key's state: the end of its KEY_STATE_INVALID sentence,
/// and what brings a key pending deletion there (for its fix).
#[derive(Debug, Clone, Copy)]
pub(super) struct KeyNeeds {
    pub words: &'static str,
    pub from_pending: FromPending,
}

/// The statements that bring a key pending deletion to the state a statement needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FromPending {
    /// `key cancel-deletion` (the key is then disabled).
    Cancel,
    /// `key cancel-deletion`, then `key enable`.
    CancelThenEnable,
    /// It needs the key pending deletion: there is nothing to insert.
    Nothing,
}

/// See [`KeyNeeds`]; `None` for statements that do not change a key's state. Every statement
/// is listed, so a new one must say whether it needs a key state.
pub(super) fn key_needs(stmt: &Stmt) -> Option<KeyNeeds> {
    let needs = |words, from_pending| {
        Some(KeyNeeds {
            words,
            from_pending,
        })
    };
    match stmt {
        Stmt::KeyDisable(_) => needs(
            "disable needs an enabled key",
            FromPending::CancelThenEnable,
        ),
        Stmt::KeyEnable(_) => needs("enable needs a disabled key", FromPending::Cancel),
        Stmt::KeyScheduleDeletion(..) => needs(
            "schedule-deletion needs an enabled or disabled key",
            FromPending::Cancel,
        ),
        Stmt::KeyCancelDeletion(_) => needs(
            "cancel-deletion needs a key pending deletion",
            FromPending::Nothing,
        ),
        Stmt::Role(_)
        | Stmt::KmsGrant
        | Stmt::KeyCreate(_)
        | Stmt::Wait(_)
        | Stmt::ImageImport { .. }
        | Stmt::ImageCreate { .. }
        | Stmt::ServerCreate { .. }
        | Stmt::ServerStop(_)
        | Stmt::ServerStart(_)
        | Stmt::ServerDelete(_)
        | Stmt::DiskCreate { .. }
        | Stmt::DiskEncrypt(..)
        | Stmt::DiskDecrypt(_)
        | Stmt::DiskDelete(_)
        | Stmt::Attach { .. }
        | Stmt::Detach(_)
        | Stmt::SnapshotCreate { .. }
        | Stmt::SnapshotDelete(_)
        | Stmt::BackupCreate { .. }
        | Stmt::BackupDelete(_)
        | Stmt::ConfigCreate { .. } => None,
    }
}
