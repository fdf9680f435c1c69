//! Fix-it lines: statements that, inserted before a failing statement, make it succeed.

use super::{key_needs, FromPending};
use crate::codes::Code;
use crate::eval::{Engine, Failure, Mode, Subject, Verdict};
use crate::model::{KeyState, Kind, Power, Role};
use crate::names;
use crate::syntax::Stmt;
use crate::world::World;

impl Engine<'_> {
    /// Statement lines that, inserted just before a failing statement, make it succeed; `None`
    /// when some cause cannot be removed (a deleted key, a taken name, …).
    pub fn fix(&self, stmt: &Stmt, v: &Verdict) -> Option<Vec<String>> {
        let Verdict::Fail(best, all) = v else {
            return None;
        };
        let all: &[Failure] = if all.is_empty() {
            std::slice::from_ref(best)
        } else {
            all
        };
        let mut stmts: Vec<Stmt> = Vec::new();
        for f in all {
            for s in self.remedy(stmt, f)? {
                if !stmts.contains(&s) {
                    stmts.push(s);
                }
            }
        }
        if stmts.is_empty() {
            return None;
        }
        // An unknown name hides the checks that need the resource: replay on a copy.
        if all.iter().any(|f| f.code == Code::UNKNOWN_RESOURCE) {
            let mut e = self.clone();
            e.mode = Mode::Quiet;
            for s in stmts.iter().chain(std::iter::once(stmt)) {
                if matches!(e.apply(s), Verdict::Fail(..)) {
                    return None;
                }
            }
        }
        Some(stmts.iter().map(|s| self.render(s)).collect())
    }

    fn remedy(&self, stmt: &Stmt, f: &Failure) -> Option<Vec<Stmt>> {
        let w: &World = &self.world;
        match (f.code, f.subject) {
            (Code::KMS_NOT_AUTHORIZED, _) => Some(match w.role() {
                Role::Member => vec![Stmt::Role(Role::SecurityAdmin), Stmt::KmsGrant],
                Role::SecurityAdmin => vec![Stmt::KmsGrant],
            }),
            (Code::NOT_SECURITY_ADMIN, _) => Some(vec![Stmt::Role(Role::SecurityAdmin)]),
            (Code::KEY_UNAVAILABLE, Subject::Key(k)) => {
                let key = w.key(k)?;
                match key.state {
                    KeyState::Disabled => Some(vec![Stmt::KeyEnable(key.name)]),
                    KeyState::PendingDeletion => Some(vec![
                        Stmt::KeyCancelDeletion(key.name),
                        Stmt::KeyEnable(key.name),
                    ]),
                    _ => None,
                }
            }
            (Code::KEY_STATE_INVALID, Subject::Key(k)) => {
                let key = w.key(k)?;
                if key.state != KeyState::PendingDeletion {
                    return None;
                }
                match key_needs(stmt)?.from_pending {
                    FromPending::Cancel => Some(vec![Stmt::KeyCancelDeletion(key.name)]),
                    FromPending::CancelThenEnable => Some(vec![
                        Stmt::KeyCancelDeletion(key.name),
                        Stmt::KeyEnable(key.name),
                    ]),
                    FromPending::Nothing => None,
                }
            }
            (Code::DISK_IN_USE, Subject::Disk(d)) => {
                let disk = w.disk(d)?;
                let srv = disk.server.and_then(|s| w.server(s))?;
                let mut v = Vec::new();
                if srv.system == Some(d) && srv.power == Power::Running {
                    v.push(Stmt::ServerStop(srv.name));
                }
                v.push(Stmt::Detach(disk.name));
                Some(v)
            }
            (Code::SERVER_RUNNING, Subject::Server(s)) => {
                Some(vec![Stmt::ServerStop(w.server(s)?.name)])
            }
            (Code::SYSTEM_DISK_PRESENT, Subject::Disk(d)) => {
                Some(vec![Stmt::Detach(w.disk(d)?.name)])
            }
            (Code::NO_SYSTEM_DISK, Subject::Server(s)) => {
                let srv = w.server(s)?;
                let candidate = w.disks().rev().map(|(_, d)| d).find(|d| {
                    d.server.is_none()
                        && d.last_system_of == Some(srv.name)
                        && d.enc.is_none_or(|k| w.key_state(k).is_usable())
                })?;
                Some(vec![Stmt::Attach {
                    disk: candidate.name,
                    server: srv.name,
                    system: true,
                }])
            }
            (Code::UNKNOWN_RESOURCE, Subject::Name(name, Kind::Keys)) => {
                let word = self.name(name);
                (w.lookup(name).is_none() && !names::is_reserved(word))
                    .then(|| vec![Stmt::KeyCreate(name)])
            }
            (Code::UNKNOWN_RESOURCE, Subject::Name(name, Kind::Servers)) => {
                let word = self.name(name);
                (w.lookup(name).is_none() && !names::is_reserved(word)).then(|| {
                    vec![Stmt::ServerCreate {
                        server: name,
                        source: None,
                        system_disk: None,
                    }]
                })
            }
            _ => None,
        }
    }
}
