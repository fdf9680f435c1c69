//! Servers: R-SYS-IMAGE, R-AS (launch), R-ATTACH (start), R-POWER, R-LIFECYCLE (delete).

use super::{Checks, Engine, Subject, SysInfo, Verdict};
use crate::codes::{Code, RuleId};
use crate::model::{Kind, Power};
use crate::names::{self, NameId};
use crate::syntax::Source;
use crate::world::{
    DiskOrigin, Enc, Idx, ImageRef, NewDisk, ProvId, ProvLabel, Res, Server, ServerOrigin,
};

impl Engine<'_> {
    /// R-POWER: stopping needs no key; the disks stay attached.
    pub(super) fn server_stop(&mut self, s: NameId, mut c: Checks) -> Verdict {
        let Some(s) = self.server_ix(s, &mut c) else {
            return self.fail(c);
        };
        self.world.set_power(s, Power::Stopped);
        Verdict::Ok(RuleId::Power)
    }

    /// R-POWER, R-ATTACH: starting needs no key, but a system disk.
    pub(super) fn server_start(&mut self, s: NameId, mut c: Checks) -> Verdict {
        let Some(si) = self.server_ix(s, &mut c) else {
            return self.fail(c);
        };
        let Some(srv) = self.world.server(si) else {
            return self.fail(c);
        };
        if srv.power == Power::Stopped {
            if srv.system.is_none() {
                c.fail(Code::NO_SYSTEM_DISK, RuleId::Attach, Subject::Server(si));
                return self.fail(c);
            }
            self.world.set_power(si, Power::Running);
        }
        Verdict::Ok(RuleId::Power)
    }

    /// R-LIFECYCLE: the server and its system disk go; its data disks are detached (R-DETACH
    /// warns about those whose key is unavailable).
    pub(super) fn server_delete(&mut self, s: NameId, mut c: Checks) -> Verdict {
        let Some(s) = self.server_ix(s, &mut c) else {
            return self.fail(c);
        };
        let data = self.world.delete_server(s);
        let at_risk: Vec<NameId> = data
            .iter()
            .filter_map(|&d| self.world.disk(d))
            .filter(|d| d.enc.is_some_and(|k| !self.world.key_state(k).is_usable()))
            .map(|d| d.name)
            .collect();
        if at_risk.is_empty() {
            Verdict::Ok(RuleId::Lifecycle)
        } else {
            Verdict::Warn(Code::REATTACH_WILL_FAIL, RuleId::Detach, at_risk)
        }
    }

    /// (enc, prov) of a server's system disk, or NO_SYSTEM_DISK.
    pub(super) fn system_disk(
        &self,
        s: Idx<Server>,
        rule: RuleId,
        c: &mut Checks,
    ) -> Option<SysInfo> {
        let sys = self
            .world
            .server(s)?
            .system
            .and_then(|d| self.world.disk(d));
        match sys {
            Some(d) => Some(SysInfo {
                enc: d.enc,
                prov: d.prov,
            }),
            None => {
                c.fail(Code::NO_SYSTEM_DISK, rule, Subject::Server(s));
                None
            }
        }
    }

    pub(super) fn server_create(
        &mut self,
        server: NameId,
        source: Option<Source<NameId>>,
        system_disk: Option<NameId>,
        mut c: Checks,
    ) -> Verdict {
        // Where the new disks' encryption comes from.
        let mut sys_enc: Enc = None;
        let mut sys_parent = None;
        let mut data: Vec<(Enc, ProvId)> = Vec::new();
        let mut image = ImageRef::Public;
        let mut rule = RuleId::SysImage;
        match source {
            None => {}
            Some(Source::Image(i)) => {
                if let Some(Res::Image(ii)) = self.lookup(i, Kind::Images, &mut c) {
                    if let Some(img) = self.world.image(ii) {
                        sys_enc = img.enc;
                        sys_parent = Some(img.prov);
                        image = ImageRef::Image(i);
                    }
                }
            }
            Some(Source::Config(cf)) => {
                rule = RuleId::As;
                if let Some(Res::Config(ci)) = self.lookup(cf, Kind::Configs, &mut c) {
                    if let Some(cfg) = self.world.config(ci) {
                        sys_enc = cfg.system.0;
                        sys_parent = Some(cfg.system.1);
                        data.clone_from(&cfg.data);
                        image = cfg.image;
                    }
                }
            }
        }
        let sys_name = match system_disk {
            Some(d) => d,
            None => {
                let n = names::system_disk_name(self.name(server));
                self.names.intern(&n)
            }
        };
        let data_names: Vec<NameId> = (1..=data.len())
            .map(|i| {
                let n = names::data_disk_name(self.name(server), i);
                self.names.intern(&n)
            })
            .collect();
        self.new_name(server, Kind::Servers, &mut c);
        self.new_name(sys_name, Kind::Disks, &mut c);
        for &n in &data_names {
            self.new_name(n, Kind::Disks, &mut c);
        }
        // New names must also differ from each other.
        let mut all = vec![server, sys_name];
        all.extend(&data_names);
        for (i, n) in all.iter().enumerate() {
            if all.get(..i).is_some_and(|prev| prev.contains(n)) {
                c.fail(
                    Code::NAME_TAKEN,
                    RuleId::Names,
                    Subject::Name(*n, Kind::Disks),
                );
            }
        }
        let encs = std::iter::once(sys_enc).chain(data.iter().map(|d| d.0));
        self.granted(encs.clone().any(|e| e.is_some()), &mut c);
        for e in encs {
            self.usable(e, RuleId::UseNew, &mut c);
        }
        if c.failed() {
            return self.fail(c);
        }
        let origin = match source {
            Some(Source::Config(cf)) => ServerOrigin::Config(cf),
            _ => ServerOrigin::Image(image),
        };
        let line = self.line;
        let s = self.world.add_server(server, origin, image, line);
        let (sys_origin, sys_label_parent) = match source {
            Some(Source::Config(cf)) => (DiskOrigin::Config(cf), sys_parent),
            _ => (DiskOrigin::Image(image), sys_parent),
        };
        let parent = match sys_label_parent {
            Some(p) => p,
            None => self
                .world
                .push_prov(ProvLabel::Public, None, RuleId::SysImage, line),
        };
        let prov = self.world.push_prov(
            ProvLabel::Resource(Kind::Disks, sys_name),
            Some(parent),
            rule,
            line,
        );
        let d = self.world.add_disk(NewDisk {
            name: sys_name,
            enc: sys_enc,
            origin: sys_origin,
            prov,
            line,
        });
        self.world.attach(d, s, true);
        if let Some(Source::Config(cf)) = source {
            for ((enc, p), name) in data.into_iter().zip(data_names) {
                let prov = self.world.push_prov(
                    ProvLabel::Resource(Kind::Disks, name),
                    Some(p),
                    RuleId::As,
                    line,
                );
                let d = self.world.add_disk(NewDisk {
                    name,
                    enc,
                    origin: DiskOrigin::Config(cf),
                    prov,
                    line,
                });
                self.world.attach(d, s, false);
            }
        }
        Verdict::Ok(rule)
    }
}
