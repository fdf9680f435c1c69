//! The evaluator: applies each statement's rules (SPEC §3) to the [`World`] and checks each
//! expectation. Every handler collects the failures that apply; the one with the lowest
//! [`Code::precedence`] wins, and a failing statement changes nothing.

mod copies;
mod disks;
mod expect;
mod keys;
mod servers;

use crate::codes::{Code, Outcome, RuleId};
use crate::model::{KeyState, Kind, Role};
use crate::names::{self, NameId, DEFAULT_KEY};
use crate::syntax::{ItemKind, Program, Statement, Stmt};
use crate::world::{Disk, Enc, Idx, Key, Names, ProvId, Res, Server, World};
use copies::CopyKind;

/// What a failure is about, for its sentence and its fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    None,
    /// A name that should name a resource of this kind (or is taken / reserved).
    Name(NameId, Kind),
    Key(Idx<Key>),
    Disk(Idx<Disk>),
    Server(Idx<Server>),
}

/// One failure that applies to a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failure {
    pub code: Code,
    pub rule: RuleId,
    pub subject: Subject,
}

/// The failures that apply to one statement: the winner, and in full mode all of them.
struct Checks {
    best: Option<Failure>,
    all: Option<Vec<Failure>>,
}

impl Checks {
    fn new(mode: Mode) -> Self {
        Checks {
            best: None,
            all: (mode == Mode::Full).then(Vec::new),
        }
    }

    fn fail(&mut self, code: Code, rule: RuleId, subject: Subject) {
        let f = Failure {
            code,
            rule,
            subject,
        };
        if self
            .best
            .is_none_or(|b| code.precedence() < b.code.precedence())
        {
            self.best = Some(f);
        }
        if let Some(all) = &mut self.all {
            all.push(f);
        }
    }

    fn failed(&self) -> bool {
        self.best.is_some()
    }

    fn verdict(self) -> Option<Verdict> {
        let best = self.best?;
        let mut all = self.all.unwrap_or_default();
        all.sort_by_key(|f| f.code.precedence());
        all.dedup();
        Some(Verdict::Fail(best, all))
    }
}

/// What a statement did, with what its sentence needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Ok(RuleId),
    /// A warning and (in full mode) the resources it names.
    Warn(Code, RuleId, Vec<NameId>),
    /// The winning failure and (in full mode) every failure that applied, by precedence.
    Fail(Failure, Vec<Failure>),
}

impl Verdict {
    pub fn outcome(&self) -> Outcome {
        match self {
            Verdict::Ok(_) => Outcome::Ok,
            Verdict::Warn(..) => Outcome::Warn,
            Verdict::Fail(..) => Outcome::Fail,
        }
    }

    pub fn code(&self) -> Option<Code> {
        match self {
            Verdict::Ok(_) => None,
            Verdict::Warn(c, ..) => Some(*c),
            Verdict::Fail(f, _) => Some(f.code),
        }
    }

    pub fn rule(&self) -> RuleId {
        match self {
            Verdict::Ok(r) | Verdict::Warn(_, r, _) => *r,
            Verdict::Fail(f, _) => f.rule,
        }
    }
}

/// A key named in `encrypt`: an existing key, or `evs/default` before its first use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyRef {
    Existing(Idx<Key>),
    NewDefault,
}

/// How much an evaluation says. Both modes reach the same verdicts (a property test compares
/// them); only the full one names what a warning is about and keeps every failure, for
/// sentences and fixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Outcomes and codes only: the CLI's `check`.
    Quiet,
    /// Also the names a warning is about and every failure that applied: the report.
    Full,
}

/// The evaluator's state while it walks a program.
#[derive(Debug, Clone)]
pub struct Engine<'p> {
    pub names: Names<'p>,
    pub world: World,
    /// Whether to build sentences, fixes and full failure lists.
    pub mode: Mode,
    pub line: u32,
    default_name: Option<NameId>,
}

impl<'p> Engine<'p> {
    pub fn new(program: &'p Program, mode: Mode) -> Self {
        Engine {
            names: Names::new(&program.names),
            world: World::default(),
            mode,
            line: 0,
            default_name: program.names.get(DEFAULT_KEY),
        }
    }

    pub fn name(&self, id: NameId) -> &str {
        self.names.name(id)
    }

    /// A statement from outside the program, with its names interned as the program's own
    /// (`evs/default` included, even when the program never names it).
    pub fn intern(&mut self, statement: &Statement) -> Stmt {
        let stmt = statement.map(|n| self.names.intern(n));
        if self.default_name.is_none() && statement.names().iter().any(|n| *n == DEFAULT_KEY) {
            self.default_name = Some(self.names.intern(DEFAULT_KEY));
        }
        stmt
    }

    fn is_reserved(&self, id: NameId) -> bool {
        names::is_reserved(self.name(id))
    }

    // ----- lookups -------------------------------------------------------------------------

    fn lookup(&self, name: NameId, kind: Kind, checks: &mut Checks) -> Option<Res> {
        match self.world.lookup(name) {
            Some(r) if r.kind() == kind => Some(r),
            _ => {
                checks.fail(
                    Code::UNKNOWN_RESOURCE,
                    RuleId::Names,
                    Subject::Name(name, kind),
                );
                None
            }
        }
    }

    fn key_ix(&self, name: NameId, checks: &mut Checks) -> Option<Idx<Key>> {
        match self.lookup(name, Kind::Keys, checks) {
            Some(Res::Key(k)) => Some(k),
            _ => None,
        }
    }

    fn disk_ix(&self, name: NameId, checks: &mut Checks) -> Option<Idx<Disk>> {
        match self.lookup(name, Kind::Disks, checks) {
            Some(Res::Disk(d)) => Some(d),
            _ => None,
        }
    }

    fn server_ix(&self, name: NameId, checks: &mut Checks) -> Option<Idx<Server>> {
        match self.lookup(name, Kind::Servers, checks) {
            Some(Res::Server(s)) => Some(s),
            _ => None,
        }
    }

    /// The key of an `encrypt` option: `evs/default` resolves even before its first use.
    pub fn resolve_key(&self, name: NameId) -> Option<KeyRef> {
        match self.world.lookup(name) {
            Some(Res::Key(k)) => Some(KeyRef::Existing(k)),
            None if Some(name) == self.default_name => Some(KeyRef::NewDefault),
            _ => None,
        }
    }

    fn encrypt_key(&self, name: NameId, checks: &mut Checks) -> Option<KeyRef> {
        let k = self.resolve_key(name);
        if k.is_none() {
            checks.fail(
                Code::UNKNOWN_RESOURCE,
                RuleId::Names,
                Subject::Name(name, Kind::Keys),
            );
        }
        k
    }

    /// A new resource name: reserved, or taken.
    fn new_name(&self, name: NameId, kind: Kind, checks: &mut Checks) {
        if self.is_reserved(name) {
            checks.fail(
                Code::RESERVED_NAME,
                RuleId::Names,
                Subject::Name(name, kind),
            );
        }
        if self.world.lookup(name).is_some() {
            checks.fail(Code::NAME_TAKEN, RuleId::Names, Subject::Name(name, kind));
        }
    }

    /// R-USE-NEW and R-REATTACH: the key must be usable.
    fn usable(&self, enc: Enc, rule: RuleId, checks: &mut Checks) {
        if let Some(k) = enc {
            match self.world.key_state(k) {
                KeyState::Enabled => {}
                KeyState::Deleted => checks.fail(Code::KEY_DELETED, rule, Subject::Key(k)),
                _ => checks.fail(Code::KEY_UNAVAILABLE, rule, Subject::Key(k)),
            }
        }
    }

    /// R-GRANT: encrypted disks need KMS access.
    fn granted(&self, encrypted: bool, checks: &mut Checks) {
        if encrypted && !self.world.kms() {
            checks.fail(Code::KMS_NOT_AUTHORIZED, RuleId::Grant, Subject::None);
        }
    }

    /// Materialises a key reference (creating `evs/default` on its first use).
    fn take_key(&mut self, k: Option<KeyRef>) -> Enc {
        match k? {
            KeyRef::Existing(k) => Some(k),
            KeyRef::NewDefault => {
                let name = self.default_name?;
                Some(self.world.add_key(name, true, self.line))
            }
        }
    }

    fn key_name(&self, enc: Enc) -> Option<NameId> {
        enc.and_then(|k| self.world.key(k)).map(|k| k.name)
    }

    // ----- statements ------------------------------------------------------------------------

    /// Applies one statement; on failure the world is unchanged. One handler per statement,
    /// grouped by family in `keys`, `servers`, `disks` and `copies`.
    pub fn apply(&mut self, stmt: &Stmt) -> Verdict {
        use KeyState::{Disabled, Enabled, PendingDeletion};
        let c = Checks::new(self.mode);
        match *stmt {
            Stmt::Role(role) => self.role(role),
            Stmt::KmsGrant => self.kms_grant(c),
            Stmt::KeyCreate(k) => self.key_create(k, c),
            Stmt::KeyDisable(k) => self.key_disable(k, c),
            Stmt::KeyEnable(k) => self.key_restore(k, Disabled, Enabled, c),
            Stmt::KeyScheduleDeletion(k, days) => self.key_schedule(k, days, c),
            Stmt::KeyCancelDeletion(k) => self.key_restore(k, PendingDeletion, Disabled, c),
            Stmt::Wait(days) => self.wait(days),
            Stmt::ImageImport { image, key } => self.image_import(image, key, c),
            Stmt::ImageCreate { image, server } => self.image_create(image, server, c),
            Stmt::ServerCreate {
                server,
                source,
                system_disk: sys,
            } => self.server_create(server, source, sys, c),
            Stmt::ServerStop(s) => self.server_stop(s, c),
            Stmt::ServerStart(s) => self.server_start(s, c),
            Stmt::ServerDelete(s) => self.server_delete(s, c),
            Stmt::DiskCreate { disk, from, key } => self.disk_create(disk, from, key, c),
            Stmt::DiskEncrypt(d, k) => self.disk_change_encryption(d, Some(k), c),
            Stmt::DiskDecrypt(d) => self.disk_change_encryption(d, None, c),
            Stmt::DiskDelete(d) => self.disk_delete(d, c),
            Stmt::Attach {
                disk,
                server,
                system,
            } => self.attach(disk, server, system, c),
            Stmt::Detach(d) => self.detach(d, c),
            Stmt::SnapshotCreate { snapshot, disk } => {
                self.copy_create(snapshot, disk, CopyKind::Snapshot, c)
            }
            Stmt::SnapshotDelete(s) => self.copy_delete(s, CopyKind::Snapshot, c),
            Stmt::BackupCreate { backup, disk } => {
                self.copy_create(backup, disk, CopyKind::Backup, c)
            }
            Stmt::BackupDelete(b) => self.copy_delete(b, CopyKind::Backup, c),
            Stmt::ConfigCreate { config, server } => self.config_create(config, server, c),
        }
    }

    /// `role`: who acts from now on.
    fn role(&mut self, role: Role) -> Verdict {
        self.world.set_role(role);
        Verdict::Ok(RuleId::GrantAdmin)
    }

    /// R-GRANT-ADMIN: only a security administrator grants EVS access to KMS.
    fn kms_grant(&mut self, mut c: Checks) -> Verdict {
        if self.world.role() == Role::Member {
            c.fail(Code::NOT_SECURITY_ADMIN, RuleId::GrantAdmin, Subject::None);
            return self.fail(c);
        }
        self.world.grant_kms();
        Verdict::Ok(RuleId::GrantAdmin)
    }

    fn fail(&self, c: Checks) -> Verdict {
        c.verdict().unwrap_or(Verdict::Fail(
            Failure {
                code: Code::UNKNOWN_RESOURCE,
                rule: RuleId::Names,
                subject: Subject::None,
            },
            Vec::new(),
        ))
    }

    // ----- expectations ----------------------------------------------------------------------
}

#[derive(Debug, Clone, Copy)]
struct SysInfo {
    enc: Enc,
    prov: ProvId,
}

/// One evaluated statement, compact: sentences only in full mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepResult {
    /// Index of the item in [`Program::items`].
    pub item: usize,
    pub line: u32,
    pub verdict: Verdict,
}

/// One checked expectation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectResult {
    pub item: usize,
    pub line: u32,
    pub passed: bool,
    /// The actual value, when it failed or in full mode.
    pub actual: Option<String>,
}

/// Walks a program: every statement, then every expectation against the state at its place.
/// `until` stops after that many statements (time travel) — expectations after it are skipped.
pub fn walk<'p>(
    program: &'p Program,
    mode: Mode,
    until: Option<usize>,
    mut on_step: impl FnMut(&Engine<'p>, &StepResult),
) -> (Engine<'p>, Vec<StepResult>, Vec<ExpectResult>) {
    let mut engine = Engine::new(program, mode);
    let mut steps = Vec::new();
    let mut expects = Vec::new();
    let mut last: Option<usize> = None;
    for (idx, item) in program.items.iter().enumerate() {
        match &item.kind {
            ItemKind::Statement(stmt) => {
                if until.is_some_and(|u| steps.len() >= u) {
                    break;
                }
                engine.line = item.line;
                let verdict = engine.apply(stmt);
                let step = StepResult {
                    item: idx,
                    line: item.line,
                    verdict,
                };
                on_step(&engine, &step);
                steps.push(step);
                last = Some(steps.len() - 1);
            }
            ItemKind::Expect(e) => {
                let prev = last
                    .and_then(|i| steps.get(i))
                    .map(|s: &StepResult| &s.verdict);
                let (passed, actual) = engine.check(e, prev, mode == Mode::Full);
                expects.push(ExpectResult {
                    item: idx,
                    line: item.line,
                    passed,
                    actual,
                });
            }
        }
    }
    (engine, steps, expects)
}
