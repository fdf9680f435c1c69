//! Sentences for what copies a disk's or server's encryption: snapshots, backups, images and
//! AS configurations.

use crate::eval::Engine;
use crate::names::NameId;
use crate::world::Res;

impl Engine<'_> {
    pub(super) fn snapshot_created_sentence(&self, snapshot: NameId, disk: NameId) -> String {
        format!(
            "Snapshot {} of disk {} has the disk's encryption: {}.",
            self.name(snapshot),
            self.name(disk),
            self.enc_words(self.res_enc(snapshot))
        )
    }

    pub(super) fn backup_created_sentence(&self, backup: NameId, disk: NameId) -> String {
        format!(
            "Backup {} of disk {} has the disk's encryption: {} (inferred from R-FROM-BACKUP).",
            self.name(backup),
            self.name(disk),
            self.enc_words(self.res_enc(backup))
        )
    }

    pub(super) fn snapshot_deleted_sentence(&self, snapshot: NameId) -> String {
        format!("Snapshot {} is deleted.", self.name(snapshot))
    }

    pub(super) fn backup_deleted_sentence(&self, backup: NameId) -> String {
        format!("Backup {} is deleted.", self.name(backup))
    }

    pub(super) fn image_imported_sentence(&self, image: NameId) -> String {
        format!(
            "Image {} is imported from an external image file, {}.",
            self.name(image),
            self.enc_words(self.res_enc(image))
        )
    }

    pub(super) fn image_created_sentence(&self, image: NameId, server: NameId) -> String {
        format!(
            "Image {} is made from server {}'s system disk and has its encryption: {}.",
            self.name(image),
            self.name(server),
            self.enc_words(self.res_enc(image))
        )
    }

    /// `config create`: the encryption of the system disk and of each data disk (R-AS).
    pub(super) fn config_created_sentence(&self, config: NameId, server: NameId) -> String {
        let mut s = format!(
            "AS configuration {} copies server {}'s encryption mode: system disk {}",
            self.name(config),
            self.name(server),
            self.enc_words(self.res_enc(config))
        );
        let cfg = match self.world.lookup(config) {
            Some(Res::Config(c)) => self.world.config(c),
            _ => None,
        };
        for (i, (enc, _)) in cfg.iter().flat_map(|c| c.data.iter().enumerate()) {
            s.push_str(&format!(", data disk {} {}", i + 1, self.enc_words(*enc)));
        }
        s.push('.');
        s
    }
}
