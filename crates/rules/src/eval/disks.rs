//! Disks: R-CHOOSE, R-FROM-SNAP, R-FROM-BACKUP, R-IMMUTABLE, R-GRANT, R-ATTACH, R-DETACH,
//! R-REATTACH, R-LIFECYCLE.

use super::{Checks, Engine, KeyRef, Subject, Verdict};
use crate::codes::{Code, RuleId};
use crate::model::{Kind, Power};
use crate::names::NameId;
use crate::syntax::DiskFrom;
use crate::world::{DiskOrigin, Enc, NewDisk, ProvId, ProvLabel, Res};

impl Engine<'_> {
    /// R-IMMUTABLE: `disk encrypt` (with `key`) and `disk decrypt` always fail.
    pub(super) fn disk_change_encryption(
        &mut self,
        d: NameId,
        key: Option<NameId>,
        mut c: Checks,
    ) -> Verdict {
        self.disk_ix(d, &mut c);
        if let Some(k) = key {
            self.encrypt_key(k, &mut c);
        }
        c.fail(
            Code::ENCRYPTION_IMMUTABLE,
            RuleId::Immutable,
            Subject::Name(d, Kind::Disks),
        );
        self.fail(c)
    }

    /// R-LIFECYCLE: only a detached disk can be deleted; its snapshots go with it.
    pub(super) fn disk_delete(&mut self, d: NameId, mut c: Checks) -> Verdict {
        let Some(di) = self.disk_ix(d, &mut c) else {
            return self.fail(c);
        };
        if self.world.disk(di).is_some_and(|x| x.server.is_some()) {
            c.fail(Code::DISK_IN_USE, RuleId::Lifecycle, Subject::Disk(di));
            return self.fail(c);
        }
        self.world.delete_disk(di);
        Verdict::Ok(RuleId::Lifecycle)
    }

    pub(super) fn disk_create(
        &mut self,
        disk: NameId,
        from: Option<DiskFrom<NameId>>,
        key: Option<NameId>,
        mut c: Checks,
    ) -> Verdict {
        let mut inherited: Option<(Enc, ProvId, DiskOrigin, RuleId)> = None;
        match from {
            None => {}
            Some(DiskFrom::Snapshot(s)) => {
                if let Some(Res::Snapshot(si)) = self.lookup(s, Kind::Snapshots, &mut c) {
                    if let Some(x) = self.world.snapshot(si) {
                        inherited =
                            Some((x.enc, x.prov, DiskOrigin::Snapshot(s), RuleId::FromSnap));
                    }
                }
            }
            Some(DiskFrom::Backup(b)) => {
                if let Some(Res::Backup(bi)) = self.lookup(b, Kind::Backups, &mut c) {
                    if let Some(x) = self.world.backup(bi) {
                        inherited =
                            Some((x.enc, x.prov, DiskOrigin::Backup(b), RuleId::FromBackup));
                    }
                }
            }
        }
        let k = key.and_then(|k| self.encrypt_key(k, &mut c));
        self.new_name(disk, Kind::Disks, &mut c);
        if let (Some(f), Some(_)) = (from, key) {
            let rule = match f {
                DiskFrom::Snapshot(_) => RuleId::FromSnap,
                DiskFrom::Backup(_) => RuleId::FromBackup,
            };
            c.fail(
                Code::ENCRYPTION_INHERITED,
                rule,
                Subject::Name(disk, Kind::Disks),
            );
        }
        let (enc, new_default) = match (inherited, k) {
            (Some((enc, ..)), _) => (enc, false),
            (None, Some(KeyRef::Existing(k))) => (Some(k), false),
            (None, Some(KeyRef::NewDefault)) => (None, true),
            (None, None) => (None, false),
        };
        self.granted(enc.is_some() || new_default, &mut c);
        self.usable(enc, RuleId::UseNew, &mut c);
        if c.failed() {
            return self.fail(c);
        }
        let line = self.line;
        let (enc, parent, origin, rule) = match inherited {
            Some((enc, prov, origin, rule)) => (enc, prov, origin, rule),
            None => {
                let enc = self.take_key(k);
                let kn = self.key_name(enc);
                let p = self
                    .world
                    .push_prov(ProvLabel::Chosen(kn), None, RuleId::Choose, line);
                (enc, p, DiskOrigin::Empty, RuleId::Choose)
            }
        };
        let prov = self.world.push_prov(
            ProvLabel::Resource(Kind::Disks, disk),
            Some(parent),
            rule,
            line,
        );
        self.world.add_disk(NewDisk {
            name: disk,
            enc,
            origin,
            prov,
            line,
        });
        Verdict::Ok(rule)
    }

    pub(super) fn attach(
        &mut self,
        disk: NameId,
        server: NameId,
        system: bool,
        mut c: Checks,
    ) -> Verdict {
        let d = self.disk_ix(disk, &mut c);
        let s = self.server_ix(server, &mut c);
        if let Some(dk) = d.and_then(|d| self.world.disk(d)) {
            if let (Some(_), Some(d)) = (dk.server, d) {
                c.fail(Code::DISK_IN_USE, RuleId::Attach, Subject::Disk(d));
            }
            self.usable(dk.enc, RuleId::Reattach, &mut c);
        }
        if let (true, Some(si)) = (system, s) {
            if let Some(srv) = self.world.server(si) {
                if srv.power == Power::Running {
                    c.fail(Code::SERVER_RUNNING, RuleId::Attach, Subject::Server(si));
                }
                if let Some(present) = srv.system {
                    c.fail(
                        Code::SYSTEM_DISK_PRESENT,
                        RuleId::Attach,
                        Subject::Disk(present),
                    );
                }
            }
        }
        match (d, s, c.failed()) {
            (Some(d), Some(s), false) => {
                self.world.attach(d, s, system);
                Verdict::Ok(RuleId::Attach)
            }
            _ => self.fail(c),
        }
    }

    pub(super) fn detach(&mut self, disk: NameId, mut c: Checks) -> Verdict {
        let Some(d) = self.disk_ix(disk, &mut c) else {
            return self.fail(c);
        };
        let Some(dk) = self.world.disk(d) else {
            return self.fail(c);
        };
        match dk.server.and_then(|s| self.world.server(s).map(|x| (s, x))) {
            None => c.fail(Code::DISK_NOT_ATTACHED, RuleId::Attach, Subject::Disk(d)),
            Some((si, srv)) => {
                if srv.system == Some(d) && srv.power == Power::Running {
                    c.fail(Code::SERVER_RUNNING, RuleId::Attach, Subject::Server(si));
                }
            }
        }
        if c.failed() {
            return self.fail(c);
        }
        let unusable = dk.enc.is_some_and(|k| !self.world.key_state(k).is_usable());
        self.world.detach(d);
        if unusable {
            Verdict::Warn(Code::REATTACH_WILL_FAIL, RuleId::Detach, vec![disk])
        } else {
            Verdict::Ok(RuleId::Detach)
        }
    }
}
