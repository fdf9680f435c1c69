//! The evaluator: applies each statement's rules (SPEC §3) to the [`World`] and checks each
//! expectation. Every handler collects the failures that apply; the one with the lowest
//! [`Code::precedence`] wins, and a failing statement changes nothing.

use crate::codes::{Code, Outcome, RuleId, DELETION_WINDOW_DAYS};
use crate::model::{DiskRole, KeyState, Kind, Power, Role};
use crate::names::{self, NameId, DEFAULT_KEY};
use crate::syntax::{DiskFrom, Expect, ItemKind, Program, Source, Statement, Stmt};
use crate::world::{
    Config, Disk, DiskCopy, DiskOrigin, Enc, Image, ImageOrigin, ImageRef, Ix, KeyIx, Names,
    ProvLabel, Res, Server, ServerOrigin, World,
};

/// What a failure is about, for its sentence and its fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    None,
    /// A name that should name a resource of this kind (or is taken / reserved).
    Name(NameId, Kind),
    Key(KeyIx),
    Disk(Ix),
    Server(Ix),
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
    fn new(full: bool) -> Self {
        Checks {
            best: None,
            all: full.then(Vec::new),
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
    Existing(KeyIx),
    NewDefault,
}

/// The evaluator's state while it walks a program.
#[derive(Debug, Clone)]
pub struct Engine<'p> {
    pub names: Names<'p>,
    pub world: World,
    /// Build sentences, fixes and full failure lists (the CLI's `check` does not need them).
    pub full: bool,
    pub line: u32,
    default_name: Option<NameId>,
}

impl<'p> Engine<'p> {
    pub fn new(program: &'p Program, full: bool) -> Self {
        Engine {
            names: Names::new(&program.names),
            world: World::default(),
            full,
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

    fn key_ix(&self, name: NameId, checks: &mut Checks) -> Option<KeyIx> {
        match self.lookup(name, Kind::Keys, checks) {
            Some(Res::Key(k)) => Some(k),
            _ => None,
        }
    }

    fn disk_ix(&self, name: NameId, checks: &mut Checks) -> Option<Ix> {
        match self.lookup(name, Kind::Disks, checks) {
            Some(Res::Disk(d)) => Some(d),
            _ => None,
        }
    }

    fn server_ix(&self, name: NameId, checks: &mut Checks) -> Option<Ix> {
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
        if encrypted && !self.world.kms {
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

    /// Applies one statement; on failure the world is unchanged.
    pub fn apply(&mut self, stmt: &Stmt) -> Verdict {
        let mut c = Checks::new(self.full);
        let ok = match *stmt {
            Stmt::Role(r) => {
                self.world.role = r;
                Verdict::Ok(RuleId::GrantAdmin)
            }
            Stmt::KmsGrant => {
                if self.world.role == Role::Member {
                    c.fail(Code::NOT_SECURITY_ADMIN, RuleId::GrantAdmin, Subject::None);
                    return c.verdict().unwrap_or(Verdict::Ok(RuleId::GrantAdmin));
                }
                self.world.kms = true;
                Verdict::Ok(RuleId::GrantAdmin)
            }
            Stmt::KeyCreate(k) => {
                self.new_name(k, Kind::Keys, &mut c);
                if c.failed() {
                    return self.fail(c);
                }
                self.world.add_key(k, false, self.line);
                Verdict::Ok(RuleId::KeyStates)
            }
            Stmt::KeyDisable(k) => return self.key_disable(k, c),
            Stmt::KeyEnable(k) => {
                return self.key_restore(k, KeyState::Disabled, KeyState::Enabled, c)
            }
            Stmt::KeyScheduleDeletion(k, days) => return self.key_schedule(k, days, c),
            Stmt::KeyCancelDeletion(k) => {
                return self.key_restore(k, KeyState::PendingDeletion, KeyState::Disabled, c)
            }
            Stmt::Wait(days) => return self.wait(days),
            Stmt::ImageImport { image, key } => {
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
            Stmt::ImageCreate { image, server } => {
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
            Stmt::ServerCreate {
                server,
                source,
                system_disk,
            } => return self.server_create(server, source, system_disk, c),
            Stmt::ServerStop(s) => {
                let Some(s) = self.server_ix(s, &mut c) else {
                    return self.fail(c);
                };
                if let Some(Some(srv)) = self.world.servers.get_mut(s as usize) {
                    srv.power = Power::Stopped;
                }
                Verdict::Ok(RuleId::Power)
            }
            Stmt::ServerStart(s) => {
                let Some(si) = self.server_ix(s, &mut c) else {
                    return self.fail(c);
                };
                let Some(srv) = self
                    .world
                    .servers
                    .get_mut(si as usize)
                    .and_then(Option::as_mut)
                else {
                    return self.fail(c);
                };
                if srv.power == Power::Stopped {
                    if srv.system.is_none() {
                        c.fail(Code::NO_SYSTEM_DISK, RuleId::Attach, Subject::Server(si));
                        return self.fail(c);
                    }
                    srv.power = Power::Running;
                }
                Verdict::Ok(RuleId::Power)
            }
            Stmt::ServerDelete(s) => {
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
            Stmt::DiskCreate { disk, from, key } => return self.disk_create(disk, from, key, c),
            Stmt::DiskEncrypt(d, k) => {
                self.disk_ix(d, &mut c);
                self.encrypt_key(k, &mut c);
                c.fail(
                    Code::ENCRYPTION_IMMUTABLE,
                    RuleId::Immutable,
                    Subject::Name(d, Kind::Disks),
                );
                return self.fail(c);
            }
            Stmt::DiskDecrypt(d) => {
                self.disk_ix(d, &mut c);
                c.fail(
                    Code::ENCRYPTION_IMMUTABLE,
                    RuleId::Immutable,
                    Subject::Name(d, Kind::Disks),
                );
                return self.fail(c);
            }
            Stmt::DiskDelete(d) => {
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
            Stmt::Attach {
                disk,
                server,
                system,
            } => return self.attach(disk, server, system, c),
            Stmt::Detach(d) => return self.detach(d, c),
            Stmt::SnapshotCreate { snapshot, disk } => {
                return self.copy_create(snapshot, disk, true, c)
            }
            Stmt::BackupCreate { backup, disk } => return self.copy_create(backup, disk, false, c),
            Stmt::SnapshotDelete(s) => match self.lookup(s, Kind::Snapshots, &mut c) {
                Some(Res::Snapshot(s)) => {
                    self.world.delete_snapshot(s);
                    Verdict::Ok(RuleId::Lifecycle)
                }
                _ => return self.fail(c),
            },
            Stmt::BackupDelete(b) => match self.lookup(b, Kind::Backups, &mut c) {
                Some(Res::Backup(b)) => {
                    self.world.delete_backup(b);
                    Verdict::Ok(RuleId::Lifecycle)
                }
                _ => return self.fail(c),
            },
            Stmt::ConfigCreate { config, server } => {
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
                let data: Vec<(Enc, u32)> = srv
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
        };
        ok
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

    fn set_state(&mut self, k: KeyIx, state: KeyState) {
        if let Some(key) = self.world.keys.get_mut(k as usize) {
            if key.state == KeyState::PendingDeletion {
                let day = key.deletion_day;
                self.world.pending.remove(&(day, k));
            }
            key.state = state;
        }
    }

    /// (enc, prov) of a server's system disk, or NO_SYSTEM_DISK.
    fn system_disk(&self, s: Ix, rule: RuleId, c: &mut Checks) -> Option<SysInfo> {
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

    fn in_use(&self, k: KeyIx) -> Vec<NameId> {
        if !self.full {
            // Only whether there is one matters; the names are for sentences.
            return Vec::new();
        }
        self.world
            .disks_with(k)
            .filter(|d| d.server.is_some())
            .map(|d| d.name)
            .collect()
    }

    fn in_use_verdict(&self, k: KeyIx) -> Verdict {
        if self.world.key(k).is_some_and(|k| k.attached > 0) {
            Verdict::Warn(Code::KEY_IN_USE, RuleId::InUse, self.in_use(k))
        } else {
            Verdict::Ok(RuleId::InUse)
        }
    }

    /// `key enable` (disabled → enabled) and `key cancel-deletion` (pending deletion →
    /// disabled): the key must be in state `from`.
    fn key_restore(&mut self, k: NameId, from: KeyState, to: KeyState, mut c: Checks) -> Verdict {
        let ki = self.key_ix(k, &mut c);
        if let Some(ki) = ki {
            if self.world.key_state(ki) != from {
                c.fail(Code::KEY_STATE_INVALID, RuleId::KeyStates, Subject::Key(ki));
            }
        }
        match (ki, c.failed()) {
            (Some(ki), false) => {
                self.set_state(ki, to);
                Verdict::Ok(RuleId::KeyStates)
            }
            _ => self.fail(c),
        }
    }

    fn key_disable(&mut self, k: NameId, mut c: Checks) -> Verdict {
        let ki = self.key_ix(k, &mut c);
        if let Some(ki) = ki {
            if self.world.key(ki).is_some_and(|k| k.default) {
                c.fail(
                    Code::DEFAULT_KEY_PROTECTED,
                    RuleId::Default,
                    Subject::Key(ki),
                );
            }
            if self.world.key_state(ki) != KeyState::Enabled {
                c.fail(Code::KEY_STATE_INVALID, RuleId::KeyStates, Subject::Key(ki));
            }
        }
        let Some(ki) = ki.filter(|_| !c.failed()) else {
            return self.fail(c);
        };
        self.set_state(ki, KeyState::Disabled);
        self.in_use_verdict(ki)
    }

    fn key_schedule(&mut self, k: NameId, days: i64, mut c: Checks) -> Verdict {
        let ki = self.key_ix(k, &mut c);
        if let Some(ki) = ki {
            if self.world.key(ki).is_some_and(|k| k.default) {
                c.fail(
                    Code::DEFAULT_KEY_PROTECTED,
                    RuleId::Default,
                    Subject::Key(ki),
                );
            }
            if !matches!(
                self.world.key_state(ki),
                KeyState::Enabled | KeyState::Disabled
            ) {
                c.fail(Code::KEY_STATE_INVALID, RuleId::KeyStates, Subject::Key(ki));
            }
        }
        if !DELETION_WINDOW_DAYS.contains(&days) {
            c.fail(
                Code::INVALID_DELETION_WINDOW,
                RuleId::KeyStates,
                Subject::None,
            );
        }
        let Some(ki) = ki.filter(|_| !c.failed()) else {
            return self.fail(c);
        };
        // Within DELETION_WINDOW_DAYS, checked above.
        let day = self.world.day.saturating_add(days.unsigned_abs());
        self.set_state(ki, KeyState::PendingDeletion);
        if let Some(key) = self.world.keys.get_mut(ki as usize) {
            key.deletion_day = day;
        }
        self.world.pending.insert((day, ki));
        self.in_use_verdict(ki)
    }

    fn wait(&mut self, days: u64) -> Verdict {
        let w = &mut self.world;
        w.day = w.day.saturating_add(days);
        let mut deleted = Vec::new();
        while let Some(&(day, k)) = w.pending.first() {
            if day > w.day {
                break;
            }
            w.pending.pop_first();
            if let Some(key) = w.keys.get_mut(k as usize) {
                key.state = KeyState::Deleted;
                if key.dependents > 0 {
                    deleted.push(k);
                }
            }
        }
        if deleted.is_empty() {
            return Verdict::Ok(RuleId::Delete);
        }
        let names = if self.full {
            deleted
                .iter()
                .flat_map(|&k| self.world.dependents_of(k))
                .map(|(_, n)| n)
                .collect()
        } else {
            Vec::new()
        };
        Verdict::Warn(Code::DATA_UNRECOVERABLE, RuleId::Delete, names)
    }

    fn server_create(
        &mut self,
        server: NameId,
        source: Option<Source<NameId>>,
        system_disk: Option<NameId>,
        mut c: Checks,
    ) -> Verdict {
        // Where the new disks' encryption comes from.
        let mut sys_enc: Enc = None;
        let mut sys_parent = None;
        let mut data: Vec<(Enc, u32)> = Vec::new();
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
                let n = format!("{}-sys", self.name(server));
                self.names.intern(&n)
            }
        };
        let data_names: Vec<NameId> = (1..=data.len())
            .map(|i| {
                let n = format!("{}-data{i}", self.name(server));
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
        let s = self.world.add_server(Server {
            name: server,
            power: Power::Running,
            system: None,
            data: Vec::new(),
            origin,
            image,
            line,
        });
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
        let d = self.world.add_disk(Disk {
            name: sys_name,
            role: DiskRole::System,
            enc: sys_enc,
            origin: sys_origin,
            server: None,
            last_system_of: None,
            prov,
            snapshots: Vec::new(),
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
                let d = self.world.add_disk(Disk {
                    name,
                    role: DiskRole::Data,
                    enc,
                    origin: DiskOrigin::Config(cf),
                    server: None,
                    last_system_of: None,
                    prov,
                    snapshots: Vec::new(),
                    line,
                });
                self.world.attach(d, s, false);
            }
        }
        Verdict::Ok(rule)
    }

    fn disk_create(
        &mut self,
        disk: NameId,
        from: Option<DiskFrom<NameId>>,
        key: Option<NameId>,
        mut c: Checks,
    ) -> Verdict {
        let mut inherited: Option<(Enc, u32, DiskOrigin, RuleId)> = None;
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
        self.world.add_disk(Disk {
            name: disk,
            role: DiskRole::Data,
            enc,
            origin,
            server: None,
            last_system_of: None,
            prov,
            snapshots: Vec::new(),
            line,
        });
        Verdict::Ok(rule)
    }

    fn attach(&mut self, disk: NameId, server: NameId, system: bool, mut c: Checks) -> Verdict {
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

    fn detach(&mut self, disk: NameId, mut c: Checks) -> Verdict {
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

    fn copy_create(
        &mut self,
        copy: NameId,
        disk: NameId,
        snapshot: bool,
        mut c: Checks,
    ) -> Verdict {
        let (kind, rule) = if snapshot {
            (Kind::Snapshots, RuleId::Snap)
        } else {
            (Kind::Backups, RuleId::Backup)
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
        let x = DiskCopy {
            name: copy,
            disk,
            disk_ix: d,
            enc,
            prov,
            line,
        };
        if snapshot {
            self.world.add_snapshot(x);
        } else {
            self.world.add_backup(x);
        }
        Verdict::Ok(rule)
    }

    // ----- expectations ----------------------------------------------------------------------

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

    fn disk_named(&self, d: NameId) -> Option<&Disk> {
        match self.world.lookup(d)? {
            Res::Disk(x) => self.world.disk(x),
            _ => None,
        }
    }

    fn passes(&self, e: &Expect, last: Option<&Verdict>) -> bool {
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

    fn enc_of_name(&self, r: NameId) -> Option<Enc> {
        self.world
            .encryption_of(self.world.lookup(r)?)
            .map(|(e, _)| e)
    }

    fn server_of(&self, d: &Disk) -> Option<NameId> {
        d.server.and_then(|s| self.world.server(s)).map(|s| s.name)
    }

    /// The actual value an expectation saw, in the expectation's own shape.
    fn actual(&self, e: &Expect, last: Option<&Verdict>) -> String {
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

#[derive(Debug, Clone, Copy)]
struct SysInfo {
    enc: Enc,
    prov: u32,
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
    full: bool,
    until: Option<usize>,
    mut on_step: impl FnMut(&Engine<'p>, &StepResult),
) -> (Engine<'p>, Vec<StepResult>, Vec<ExpectResult>) {
    let mut engine = Engine::new(program, full);
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
                let (passed, actual) = engine.check(e, prev, full);
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
