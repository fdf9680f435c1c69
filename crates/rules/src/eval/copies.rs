//! What copies a disk's or server's encryption: snapshots and backups (R-SNAP, R-BACKUP),
//! images (R-IMAGE-IMPORT, R-IMAGE-SERVER) and AS configurations (R-AS).

use super::{Checks, Engine, KeyRef, Verdict};
use crate::codes::RuleId;
use crate::model::Kind;
use crate::names::NameId;
use crate::world::{Config, DiskCopy, Enc, Image, ImageOrigin, ProvId, ProvLabel, Res, World};

/// Which copy of a disk a statement is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CopyKind {
    Snapshot,
    Backup,
}

impl Engine<'_> {
    /// R-SNAP, R-BACKUP: a snapshot or backup has its disk's encryption.
    pub(super) fn copy_create(
        &mut self,
        copy: NameId,
        disk: NameId,
        of: CopyKind,
        mut c: Checks,
    ) -> Verdict {
        let (kind, rule) = match of {
            CopyKind::Snapshot => (Kind::Snapshots, RuleId::Snap),
            CopyKind::Backup => (Kind::Backups, RuleId::Backup),
        };
        let d = self.disk_ix(disk, &mut c);
        self.new_name(copy, kind, &mut c);
        let src = d.and_then(|d| self.world.disk(d).map(|x| (d, x.enc, x.prov)));
        if let Some((_, enc, _)) = src {
            self.usable(enc, RuleId::UseNew, &mut c);
        }
        let Some((d, enc, parent)) = src.filter(|_| !c.failed()) else {
            return self.fail(c);
        };
        let line = self.line;
        let prov = self
            .world
            .push_prov(ProvLabel::Resource(kind, copy), Some(parent), rule, line);
        match of {
            CopyKind::Snapshot => {
                let snapshot = DiskCopy::new(copy, disk, d, enc, prov, line);
                self.world.add_snapshot(snapshot);
            }
            CopyKind::Backup => {
                let backup = DiskCopy::new(copy, disk, d, enc, prov, line);
                self.world.add_backup(backup);
            }
        }
        Verdict::Ok(rule)
    }

    /// R-LIFECYCLE: `snapshot delete`, `backup delete`.
    pub(super) fn copy_delete(&mut self, name: NameId, of: CopyKind, mut c: Checks) -> Verdict {
        let kind = match of {
            CopyKind::Snapshot => Kind::Snapshots,
            CopyKind::Backup => Kind::Backups,
        };
        match self.lookup(name, kind, &mut c) {
            Some(Res::Snapshot(s)) => self.world.delete_snapshot(s),
            Some(Res::Backup(b)) => self.world.delete_backup(b),
            _ => return self.fail(c),
        }
        Verdict::Ok(RuleId::Lifecycle)
    }

    /// R-IMAGE-IMPORT: an imported image has the key given, or none.
    pub(super) fn image_import(
        &mut self,
        image: NameId,
        key: Option<NameId>,
        mut c: Checks,
    ) -> Verdict {
        let k = key.and_then(|k| self.encrypt_key(k, &mut c));
        self.new_name(image, Kind::Images, &mut c);
        if let Some(KeyRef::Existing(k)) = k {
            self.usable(Some(k), RuleId::UseNew, &mut c);
        }
        if c.failed() {
            return self.fail(c);
        }
        let enc = self.take_key(k);
        let key_name = self.key_name(enc);
        let prov = self.world.push_prov(
            ProvLabel::Imported(key_name),
            None,
            RuleId::ImageImport,
            self.line,
        );
        let prov = self.world.push_prov(
            ProvLabel::Resource(Kind::Images, image),
            Some(prov),
            RuleId::ImageImport,
            self.line,
        );
        self.world.add_image(Image {
            name: image,
            origin: ImageOrigin::Import,
            enc,
            prov,
            line: self.line,
        });
        Verdict::Ok(RuleId::ImageImport)
    }

    /// R-IMAGE-SERVER: an image made from a server has its system disk's encryption.
    pub(super) fn image_create(&mut self, image: NameId, server: NameId, mut c: Checks) -> Verdict {
        let s = self.server_ix(server, &mut c);
        self.new_name(image, Kind::Images, &mut c);
        let sys = s.and_then(|s| self.system_disk(s, RuleId::ImageServer, &mut c));
        if let Some(d) = sys {
            self.usable(d.enc, RuleId::UseNew, &mut c);
        }
        let Some(d) = sys.filter(|_| !c.failed()) else {
            return self.fail(c);
        };
        let prov = self.world.push_prov(
            ProvLabel::Resource(Kind::Images, image),
            Some(d.prov),
            RuleId::ImageServer,
            self.line,
        );
        self.world.add_image(Image {
            name: image,
            origin: ImageOrigin::Server(server),
            enc: d.enc,
            prov,
            line: self.line,
        });
        Verdict::Ok(RuleId::ImageServer)
    }

    /// R-AS: a configuration copies its server's image and the encryption of its disks.
    pub(super) fn config_create(
        &mut self,
        config: NameId,
        server: NameId,
        mut c: Checks,
    ) -> Verdict {
        let s = self.server_ix(server, &mut c);
        self.new_name(config, Kind::Configs, &mut c);
        let sys = s.and_then(|s| self.system_disk(s, RuleId::As, &mut c));
        let (Some(s), Some(sys)) = (s, sys.filter(|_| !c.failed())) else {
            return self.fail(c);
        };
        let Some(srv) = self.world.server(s) else {
            return self.fail(c);
        };
        let image = srv.image;
        let data: Vec<(Enc, ProvId)> = srv
            .data
            .iter()
            .filter_map(|&d| self.world.disk(d))
            .map(|d| (d.enc, d.prov))
            .collect();
        let line = self.line;
        let link = |w: &mut World, parent| {
            w.push_prov(
                ProvLabel::Resource(Kind::Configs, config),
                Some(parent),
                RuleId::As,
                line,
            )
        };
        let sys_prov = link(&mut self.world, sys.prov);
        let data = data
            .into_iter()
            .map(|(enc, p)| (enc, link(&mut self.world, p)))
            .collect();
        self.world.add_config(Config {
            name: config,
            server,
            image,
            system: (sys.enc, sys_prov),
            data,
            line,
        });
        Verdict::Ok(RuleId::As)
    }
}
