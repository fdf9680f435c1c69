//! Sentences for the `disk` statements, `attach` and `detach`.

use crate::codes::Code;
use crate::eval::{Engine, Failure, Subject};
use crate::model::KeyState;
use crate::names::NameId;
use crate::syntax::DiskFrom;
use crate::world::{Disk, Idx};

impl Engine<'_> {
    /// `disk create`: where its encryption came from (R-CHOOSE, R-FROM-SNAP, R-FROM-BACKUP).
    pub(super) fn disk_created_sentence(
        &self,
        disk: NameId,
        from: Option<DiskFrom<NameId>>,
    ) -> String {
        let n = |id: NameId| self.name(id);
        let enc = self.enc_words(self.res_enc(disk));
        match from {
            None => format!(
                "Disk {} is created empty, {enc} as its creator chose.",
                n(disk)
            ),
            Some(DiskFrom::Snapshot(x)) => format!(
                "Disk {} is created from snapshot {} and has the encryption of the snapshot's source disk: {enc}.",
                n(disk),
                n(x)
            ),
            Some(DiskFrom::Backup(x)) => format!(
                "Disk {} is created from backup {} and has the encryption of the backup's source disk: {enc}.",
                n(disk),
                n(x)
            ),
        }
    }

    /// What `disk create` makes, for the sentence of a key that cannot encrypt it.
    pub(super) fn disk_things(&self, disk: NameId, from: Option<DiskFrom<NameId>>) -> String {
        let n = |id: NameId| self.name(id);
        match from {
            Some(DiskFrom::Snapshot(s)) => format!("Disk {} (from snapshot {})", n(disk), n(s)),
            Some(DiskFrom::Backup(b)) => format!("Disk {} (from backup {})", n(disk), n(b)),
            None => format!("Disk {}", n(disk)),
        }
    }

    /// ENCRYPTION_INHERITED: `encrypt` given to a disk made from a snapshot or backup.
    pub(super) fn inherited_failure(
        &self,
        disk: NameId,
        from: Option<DiskFrom<NameId>>,
        f: &Failure,
    ) -> Option<String> {
        let n = |id: NameId| self.name(id);
        if f.code != Code::ENCRYPTION_INHERITED {
            return None;
        }
        match from? {
            DiskFrom::Snapshot(x) => Some(format!(
                "Disk {} made from snapshot {} inherits the encryption of the snapshot's source disk, so encrypt cannot be given.",
                n(disk),
                n(x)
            )),
            DiskFrom::Backup(x) => Some(format!(
                "Disk {} made from backup {} inherits the encryption of the backup's source disk, so encrypt cannot be given.",
                n(disk),
                n(x)
            )),
        }
    }

    pub(super) fn disk_deleted_sentence(&self, d: NameId) -> String {
        format!(
            "Disk {} is deleted with its snapshots; its backups are kept.",
            self.name(d)
        )
    }

    pub(super) fn attached_sentence(&self, disk: NameId, server: NameId, system: bool) -> String {
        format!(
            "Disk {} is attached to server {}{}.",
            self.name(disk),
            self.name(server),
            if system { " as its system disk" } else { "" }
        )
    }

    /// `detach`: whether the disk can be attached again (R-DETACH, R-REATTACH).
    pub(super) fn detached_sentence(&self, d: NameId, warned: &[NameId]) -> String {
        let n = |id: NameId| self.name(id);
        match self.res_enc(d).map(|k| self.key_desc(k)) {
            Some((k, KeyState::Deleted)) => format!(
                "Disk {} is detached, but its key {k} is deleted: it can never be attached again and its data can never be read.",
                n(d)
            ),
            Some((k, state)) if !warned.is_empty() => format!(
                "Disk {} is detached, but its key {k} is {state}: re-attaching it will fail until the key is restored. The documentation advises restoring the key before detaching.",
                n(d)
            ),
            Some((k, _)) => format!(
                "Disk {} is detached; its key {k} is usable, so it can be re-attached with no data lost.",
                n(d)
            ),
            None => format!("Disk {} is detached.", n(d)),
        }
    }

    /// The server a disk is attached to, by name ("" when none).
    fn attached_to(&self, d: Idx<Disk>) -> &str {
        self.world
            .disk(d)
            .and_then(|x| x.server)
            .map_or("", |s| self.server_name(s))
    }

    /// `disk delete` of an attached disk (R-LIFECYCLE).
    pub(super) fn disk_delete_failure(&self, f: &Failure) -> Option<String> {
        match (f.code, f.subject) {
            (Code::DISK_IN_USE, Subject::Disk(d)) => Some(format!(
                "Disk {} is attached to server {}; detach it before deleting it.",
                self.disk_name(d),
                self.attached_to(d)
            )),
            _ => None,
        }
    }

    /// `attach`: the disk is attached already, its key is unusable, or the server is running.
    pub(super) fn attach_failure(
        &self,
        disk: NameId,
        server: NameId,
        f: &Failure,
    ) -> Option<String> {
        let n = |id: NameId| self.name(id);
        Some(match (f.code, f.subject) {
            (Code::DISK_IN_USE, Subject::Disk(d)) => format!(
                "Disk {} is already attached to server {}.",
                self.disk_name(d),
                self.attached_to(d)
            ),
            (Code::KEY_DELETED, Subject::Key(k)) => format!(
                "Disk {} cannot be attached to server {}: its key {} is deleted, so its data can never be read.",
                n(disk),
                n(server),
                self.key_desc(k).0
            ),
            (Code::KEY_UNAVAILABLE, Subject::Key(k)) => {
                let (key, state) = self.key_desc(k);
                format!(
                    "Disk {} cannot be attached to server {}: its key {key} is {state}, so the key cannot be obtained. Restore the key first.",
                    n(disk),
                    n(server)
                )
            }
            (Code::SERVER_RUNNING, Subject::Server(s)) => format!(
                "Server {} is running; a system disk can be attached only to a stopped server.",
                self.server_name(s)
            ),
            _ => return None,
        })
    }

    /// `detach`: the disk is not attached, or it is the system disk of a running server.
    pub(super) fn detach_failure(&self, d: NameId, f: &Failure) -> Option<String> {
        match (f.code, f.subject) {
            (Code::DISK_NOT_ATTACHED, _) => Some(format!(
                "Disk {} is not attached to any server.",
                self.name(d)
            )),
            (Code::SERVER_RUNNING, Subject::Server(s)) => Some(format!(
                "Disk {} is the system disk of server {}, which is running; a system disk can be detached only while its server is stopped.",
                self.name(d),
                self.server_name(s)
            )),
            _ => None,
        }
    }
}
