//! Expectations: checked against the state and the nearest statement's verdict.

use super::{Engine, Verdict};
use crate::names::NameId;
use crate::syntax::Expect;
use crate::world::{Disk, Enc, Res};

impl Engine<'_> {
    /// Checks an expectation against the current state and the nearest statement's verdict.
    /// Returns whether it passed and, when asked or when it failed, the actual value.
    pub fn check(
        &self,
        e: &Expect,
        last: Option<&Verdict>,
        want_actual: bool,
    ) -> (bool, Option<String>) {
        let passed = self.passes(e, last);
        (
            passed,
            (want_actual || !passed).then(|| self.actual(e, last)),
        )
    }

    pub(super) fn disk_named(&self, d: NameId) -> Option<&Disk> {
        match self.world.lookup(d)? {
            Res::Disk(x) => self.world.disk(x),
            _ => None,
        }
    }

    pub(super) fn passes(&self, e: &Expect, last: Option<&Verdict>) -> bool {
        match *e {
            Expect::Outcome(o, code) => {
                last.is_some_and(|v| v.outcome() == o && code.is_none_or(|c| v.code() == Some(c)))
            }
            Expect::Encrypted(r, k) => self
                .enc_of_name(r)
                .is_some_and(|enc| self.key_name(enc) == Some(k)),
            Expect::Unencrypted(r) => self.enc_of_name(r).is_some_and(|enc| enc.is_none()),
            Expect::Attached(d, s) => self
                .disk_named(d)
                .is_some_and(|x| self.server_of(x) == Some(s)),
            Expect::Detached(d) => self.disk_named(d).is_some_and(|x| x.server.is_none()),
            Expect::Health(d, h) => self
                .disk_named(d)
                .is_some_and(|x| self.world.health(x) == h),
            Expect::State(k, s) => {
                matches!(self.world.lookup(k), Some(Res::Key(ki)) if self.world.key_state(ki) == s)
            }
            Expect::Count(n, kind) => self.world.count(kind) == n,
        }
    }

    pub(super) fn enc_of_name(&self, r: NameId) -> Option<Enc> {
        self.world
            .encryption_of(self.world.lookup(r)?)
            .map(|(e, _)| e)
    }

    pub(super) fn server_of(&self, d: &Disk) -> Option<NameId> {
        d.server.and_then(|s| self.world.server(s)).map(|s| s.name)
    }

    /// The actual value an expectation saw, in the expectation's own shape.
    pub(super) fn actual(&self, e: &Expect, last: Option<&Verdict>) -> String {
        let subject = match *e {
            Expect::Outcome(..) => {
                return match last {
                    None => "no statement".to_owned(),
                    Some(v) => match v.code() {
                        Some(c) => format!("{} {c}", v.outcome()),
                        None => v.outcome().to_string(),
                    },
                };
            }
            Expect::Count(_, kind) => return format!("count {} {kind}", self.world.count(kind)),
            Expect::Encrypted(r, _)
            | Expect::Unencrypted(r)
            | Expect::Attached(r, _)
            | Expect::Detached(r)
            | Expect::Health(r, _)
            | Expect::State(r, _) => r,
        };
        let name = self.name(subject);
        let Some(res) = self.world.lookup(subject) else {
            return format!("no resource named {name}");
        };
        let wrong = |what: &str| format!("{name} is {}, not {what}", res.kind().a_noun());
        match *e {
            Expect::Encrypted(..) | Expect::Unencrypted(_) => match self.world.encryption_of(res) {
                None if matches!(res, Res::Key(_)) => {
                    format!("{name} (a key has no encryption of its own)")
                }
                None => format!("{name} (it has no system disk)"),
                Some((enc, _)) => match self.key_name(enc) {
                    Some(k) => format!("{name} encrypted {}", self.name(k)),
                    None => format!("{name} unencrypted"),
                },
            },
            Expect::Attached(..) | Expect::Detached(_) => match self.disk_named(subject) {
                None => wrong("a disk"),
                Some(d) => match self.server_of(d) {
                    Some(s) => format!("{name} attached {}", self.name(s)),
                    None => format!("{name} detached"),
                },
            },
            Expect::Health(..) => match self.disk_named(subject) {
                None => wrong("a disk"),
                Some(d) => format!("{name} health {}", self.world.health(d)),
            },
            _ => match res {
                Res::Key(k) => format!("{name} state {}", self.world.key_state(k)),
                _ => wrong("a key"),
            },
        }
    }
}
