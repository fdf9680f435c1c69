//! Sentences, provenance chains and fix-it lines. Built only in full mode (the app, `run`,
//! `explain`), never on `check`'s path.

use crate::codes::{Code, DELETION_WINDOW_DAYS};
use crate::eval::{Engine, Failure, Mode, Subject, Verdict};
use crate::model::{KeyState, Kind, Power, Role};
use crate::names::{self, NameId, DEFAULT_KEY};
use crate::syntax::{DiskFrom, Source, Stmt};
use crate::world::{Disk, Enc, Idx, Key, ProvId, ProvLabel, Res, Server, World};

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

    /// What a creating statement would make, for sentences ("snapshot s1 of disk d1").
    fn new_things(&self, stmt: &Stmt) -> String {
        let n = |id: NameId| self.name(id);
        match *stmt {
            Stmt::DiskCreate {
                disk,
                from: Some(DiskFrom::Snapshot(s)),
                ..
            } => {
                format!("Disk {} (from snapshot {})", n(disk), n(s))
            }
            Stmt::DiskCreate {
                disk,
                from: Some(DiskFrom::Backup(b)),
                ..
            } => {
                format!("Disk {} (from backup {})", n(disk), n(b))
            }
            Stmt::DiskCreate { disk, .. } => format!("Disk {}", n(disk)),
            Stmt::SnapshotCreate { snapshot, disk } => {
                format!("Snapshot {} of disk {}", n(snapshot), n(disk))
            }
            Stmt::BackupCreate { backup, disk } => {
                format!("Backup {} of disk {}", n(backup), n(disk))
            }
            Stmt::ImageImport { image, .. } => format!("Image {}", n(image)),
            Stmt::ImageCreate { image, server } => {
                format!("Image {} of server {}", n(image), n(server))
            }
            Stmt::ServerCreate { server, source, .. } => match source {
                Some(Source::Config(c)) => format!(
                    "The disks of server {} (from AS configuration {})",
                    n(server),
                    n(c)
                ),
                Some(Source::Image(i)) => format!(
                    "The system disk of server {} (from image {})",
                    n(server),
                    n(i)
                ),
                None => format!("The system disk of server {}", n(server)),
            },
            Stmt::KeyCreate(_)
            | Stmt::ConfigCreate { .. }
            | Stmt::Role(_)
            | Stmt::KmsGrant
            | Stmt::KeyDisable(_)
            | Stmt::KeyEnable(_)
            | Stmt::KeyScheduleDeletion(..)
            | Stmt::KeyCancelDeletion(_)
            | Stmt::Wait(_)
            | Stmt::ServerStop(_)
            | Stmt::ServerStart(_)
            | Stmt::ServerDelete(_)
            | Stmt::DiskEncrypt(..)
            | Stmt::DiskDecrypt(_)
            | Stmt::DiskDelete(_)
            | Stmt::Attach { .. }
            | Stmt::Detach(_)
            | Stmt::SnapshotDelete(_)
            | Stmt::BackupDelete(_) => "Nothing".to_owned(),
        }
    }

    /// The disks a statement would create, for the KMS sentence.
    fn new_disks(&self, stmt: &Stmt) -> String {
        match *stmt {
            Stmt::DiskCreate { disk, .. } => format!("disk {}", self.name(disk)),
            Stmt::ServerCreate { server, .. } => {
                format!("the disks of server {}", self.name(server))
            }
            // Only the two statements above create disks (R-GRANT).
            _ => "no disk".to_owned(),
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

    fn success_sentence(&self, stmt: &Stmt, v: &Verdict) -> String {
        let n = |id: NameId| self.name(id);
        let warned: &[NameId] = match v {
            Verdict::Warn(_, _, names) => names,
            _ => &[],
        };
        match *stmt {
            Stmt::Role(r) => match r {
                Role::Member => "The person acting is now a member, who cannot grant KMS access.".to_owned(),
                Role::SecurityAdmin => "The person acting is now a security administrator.".to_owned(),
            },
            Stmt::KmsGrant => "EVS has KMS access, granted by a security administrator, so encrypted disks can be created.".to_owned(),
            Stmt::KeyCreate(k) => format!("Key {} is created and enabled.", n(k)),
            Stmt::KeyDisable(k) | Stmt::KeyScheduleDeletion(k, _) => {
                let what = match *stmt {
                    Stmt::KeyScheduleDeletion(..) => {
                        let day = self
                            .world
                            .lookup(k)
                            .and_then(|r| match r {
                                Res::Key(ki) => self.world.key(ki),
                                _ => None,
                            })
                            .map_or(0, |k| k.deletion_day);
                        format!("Key {} is scheduled for deletion on day {day}; until then it is unavailable and the deletion can be cancelled", n(k))
                    }
                    _ => format!("Key {} is disabled", n(k)),
                };
                if warned.is_empty() {
                    format!("{what}; no attached disk uses it.")
                } else {
                    format!(
                        "{what}. Attached disks that use it keep working, but their reads and writes are not guaranteed to keep working: {}. Do not detach them before the key is restored.",
                        self.list(warned)
                    )
                }
            }
            Stmt::KeyEnable(k) => format!(
                "Key {} is enabled again: disks encrypted with it attach, and no data is lost.",
                n(k)
            ),
            Stmt::KeyCancelDeletion(k) => format!(
                "The deletion of key {} is cancelled and the key is left disabled (inferred: KMS returns a cancelled key to Disabled); enable it to use it again.",
                n(k)
            ),
            Stmt::Wait(days) => {
                let day = self.world.day();
                let start = day.saturating_sub(days);
                let gone: Vec<&str> = self
                    .world
                    .keys()
                    .map(|(_, k)| k)
                    .filter(|k| {
                        k.state == KeyState::Deleted && k.deletion_day > start && k.deletion_day <= day
                    })
                    .map(|k| n(k.name))
                    .collect();
                let mut s = format!("{days} day(s) pass; it is now day {day}.");
                if !gone.is_empty() {
                    s.push_str(&format!(" Key(s) deleted: {}.", gone.join(", ")));
                }
                if !warned.is_empty() {
                    s.push_str(&format!(
                        " Everything encrypted with them is unrecoverable, its data can never be read: {}.",
                        self.list(warned)
                    ));
                }
                s
            }
            Stmt::ImageImport { image, .. } => {
                let enc = self.res_enc(image);
                format!("Image {} is imported from an external image file, {}.", n(image), self.enc_words(enc))
            }
            Stmt::ImageCreate { image, server } => format!(
                "Image {} is made from server {}'s system disk and has its encryption: {}.",
                n(image),
                n(server),
                self.enc_words(self.res_enc(image))
            ),
            Stmt::ServerCreate { server, source, .. } => {
                let from = match source {
                    None => "the public, unencrypted image".to_owned(),
                    Some(Source::Image(i)) => format!("image {}", n(i)),
                    Some(Source::Config(c)) => format!("AS configuration {}", n(c)),
                };
                let mut s = format!("Server {} is created from {from} and running", n(server));
                if let Some(Res::Server(si)) = self.world.lookup(server) {
                    if let Some(srv) = self.world.server(si) {
                        if let Some(d) = srv.system.and_then(|d| self.world.disk(d)) {
                            s.push_str(&format!(
                                "; its system disk {} is {}",
                                n(d.name),
                                self.enc_words(d.enc)
                            ));
                        }
                        for d in srv.data.iter().filter_map(|&d| self.world.disk(d)) {
                            s.push_str(&format!("; data disk {} is {}", n(d.name), self.enc_words(d.enc)));
                        }
                    }
                }
                s.push('.');
                s
            }
            Stmt::ServerStop(s) => format!(
                "Server {} is stopped; its disks stay attached (inferred: stopping needs no key).",
                n(s)
            ),
            Stmt::ServerStart(s) => format!("Server {} is running (inferred: starting needs no key).", n(s)),
            Stmt::ServerDelete(s) => {
                if warned.is_empty() {
                    format!("Server {} and its system disk are deleted; its data disks are detached and kept.", n(s))
                } else {
                    format!(
                        "Server {} and its system disk are deleted; its data disks are detached, and re-attaching {} will fail until their keys are restored.",
                        n(s),
                        self.list(warned)
                    )
                }
            }
            Stmt::DiskCreate { disk, from, .. } => {
                let enc = self.enc_words(self.res_enc(disk));
                match from {
                    None => format!("Disk {} is created empty, {enc} as its creator chose.", n(disk)),
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
            Stmt::DiskDelete(d) => format!("Disk {} is deleted with its snapshots; its backups are kept.", n(d)),
            Stmt::Attach { disk, server, system } => format!(
                "Disk {} is attached to server {}{}.",
                n(disk),
                n(server),
                if system { " as its system disk" } else { "" }
            ),
            Stmt::Detach(d) => match self.res_enc(d).map(|k| self.key_desc(k)) {
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
            },
            Stmt::SnapshotCreate { snapshot, disk } => format!(
                "Snapshot {} of disk {} has the disk's encryption: {}.",
                n(snapshot),
                n(disk),
                self.enc_words(self.res_enc(snapshot))
            ),
            Stmt::BackupCreate { backup, disk } => format!(
                "Backup {} of disk {} has the disk's encryption: {} (inferred from R-FROM-BACKUP).",
                n(backup),
                n(disk),
                self.enc_words(self.res_enc(backup))
            ),
            Stmt::SnapshotDelete(x) => format!("Snapshot {} is deleted.", n(x)),
            Stmt::BackupDelete(x) => format!("Backup {} is deleted.", n(x)),
            Stmt::ConfigCreate { config, server } => {
                let mut s = format!(
                    "AS configuration {} copies server {}'s encryption mode: system disk {}",
                    n(config),
                    n(server),
                    self.enc_words(self.res_enc(config))
                );
                if let Some(Res::Config(c)) = self.world.lookup(config) {
                    if let Some(cfg) = self.world.config(c) {
                        for (i, (enc, _)) in cfg.data.iter().enumerate() {
                            s.push_str(&format!(", data disk {} {}", i + 1, self.enc_words(*enc)));
                        }
                    }
                }
                s.push('.');
                s
            }
            Stmt::DiskEncrypt(..) | Stmt::DiskDecrypt(_) => String::new(),
        }
    }

    fn res_enc(&self, name: NameId) -> Enc {
        self.world
            .lookup(name)
            .and_then(|r| self.world.encryption_of(r))
            .and_then(|(e, _)| e)
    }

    fn failure_sentence(&self, stmt: &Stmt, f: &Failure) -> String {
        let n = |id: NameId| self.name(id);
        match (f.code, f.subject) {
            (Code::UNKNOWN_RESOURCE, Subject::Name(name, kind)) => {
                let word = n(name);
                if let Some(res) = self.world.lookup(name) {
                    return format!("{word} is {}, not {}.", res.kind().a_noun(), kind.a_noun());
                }
                if kind == Kind::Keys && names::is_reserved(word) && word != DEFAULT_KEY {
                    return format!("There is no default key {word}: the only default key is {DEFAULT_KEY}.");
                }
                let mut s = format!("There is no {} named {word}.", kind.noun());
                let same_kind = self
                    .world
                    .live()
                    .filter(|(_, r)| r.kind() == kind)
                    .map(|(id, _)| self.name(id));
                let mut candidates: Vec<&str> = same_kind.collect();
                candidates.sort_unstable();
                if let Some(m) = names::nearest(word, candidates) {
                    s.push_str(&format!(" Did you mean {m}?"));
                }
                s
            }
            (Code::RESERVED_NAME, Subject::Name(name, kind)) => format!(
                "The {} name {} ends in /default, which is reserved for default keys.",
                kind.noun(),
                n(name)
            ),
            (Code::NAME_TAKEN, Subject::Name(name, _)) => match self.world.lookup(name) {
                Some(res) => format!(
                    "The name {} is already taken by {}; names are unique across all resources.",
                    n(name),
                    res.kind().a_noun()
                ),
                None => format!("The name {} would be given twice by this statement.", n(name)),
            },
            (Code::ENCRYPTION_IMMUTABLE, Subject::Name(d, _)) => format!(
                "The encryption of disk {} ({}) was fixed when it was created and cannot be changed.",
                n(d),
                self.enc_words(self.res_enc(d))
            ),
            (Code::ENCRYPTION_INHERITED, _) => match stmt {
                Stmt::DiskCreate { disk, from: Some(DiskFrom::Snapshot(x)), .. } => format!(
                    "Disk {} made from snapshot {} inherits the encryption of the snapshot's source disk, so encrypt cannot be given.",
                    n(*disk),
                    n(*x)
                ),
                Stmt::DiskCreate { disk, from: Some(DiskFrom::Backup(x)), .. } => format!(
                    "Disk {} made from backup {} inherits the encryption of the backup's source disk, so encrypt cannot be given.",
                    n(*disk),
                    n(*x)
                ),
                _ => "The encryption is inherited and cannot be chosen.".to_owned(),
            },
            (Code::NOT_SECURITY_ADMIN, _) => "Only a security administrator can grant EVS access to KMS; the person acting is a member.".to_owned(),
            (Code::KMS_NOT_AUTHORIZED, _) => format!(
                "EVS has not been granted KMS access, so {} cannot be created encrypted until a security administrator runs kms grant.",
                self.new_disks(stmt)
            ),
            (Code::KEY_DELETED, Subject::Key(k)) => {
                let (key, _) = self.key_desc(k);
                match stmt {
                    Stmt::Attach { disk, server, .. } => format!(
                        "Disk {} cannot be attached to server {}: its key {key} is deleted, so its data can never be read.",
                        n(*disk),
                        n(*server)
                    ),
                    _ => format!(
                        "{} cannot be encrypted with key {key}, which is deleted (inferred: a deleted key encrypts nothing new).",
                        self.new_things(stmt)
                    ),
                }
            }
            (Code::KEY_UNAVAILABLE, Subject::Key(k)) => {
                let (key, state) = self.key_desc(k);
                match stmt {
                    Stmt::Attach { disk, server, .. } => format!(
                        "Disk {} cannot be attached to server {}: its key {key} is {state}, so the key cannot be obtained. Restore the key first.",
                        n(*disk),
                        n(*server)
                    ),
                    _ => format!(
                        "{} cannot be encrypted with key {key}, which is {state} (inferred: a disabled key cannot encrypt new data).",
                        self.new_things(stmt)
                    ),
                }
            }
            (Code::DEFAULT_KEY_PROTECTED, _) => format!(
                "{DEFAULT_KEY} is the default key: it cannot be disabled or scheduled for deletion."
            ),
            (Code::KEY_STATE_INVALID, Subject::Key(k)) => {
                let (key, state) = self.key_desc(k);
                let needs = match stmt {
                    Stmt::KeyDisable(_) => "disable needs an enabled key",
                    Stmt::KeyEnable(_) => "enable needs a disabled key",
                    Stmt::KeyScheduleDeletion(..) => "schedule-deletion needs an enabled or disabled key",
                    _ => "cancel-deletion needs a key pending deletion",
                };
                format!("Key {key} is {state}; {needs}.")
            }
            (Code::INVALID_DELETION_WINDOW, _) => {
                let (min, max) = (DELETION_WINDOW_DAYS.start(), DELETION_WINDOW_DAYS.end());
                match stmt {
                    Stmt::KeyScheduleDeletion(k, d) if d.unsigned_abs() < 1_000_000_000 => format!(
                        "Key {} cannot be scheduled for deletion in {d} days: the window must be {min} to {max} days.",
                        n(*k)
                    ),
                    Stmt::KeyScheduleDeletion(k, _) => format!(
                        "Key {} cannot be scheduled for deletion that far ahead: the window must be {min} to {max} days.",
                        n(*k)
                    ),
                    _ => format!("A deletion window must be {min} to {max} days."),
                }
            }
            (Code::DISK_IN_USE, Subject::Disk(d)) => {
                let on = self
                    .world
                    .disk(d)
                    .and_then(|x| x.server)
                    .map_or("", |s| self.server_name(s));
                match stmt {
                    Stmt::DiskDelete(_) => format!(
                        "Disk {} is attached to server {on}; detach it before deleting it.",
                        self.disk_name(d)
                    ),
                    _ => format!("Disk {} is already attached to server {on}.", self.disk_name(d)),
                }
            }
            (Code::DISK_NOT_ATTACHED, _) => match stmt {
                Stmt::Detach(d) => format!("Disk {} is not attached to any server.", n(*d)),
                _ => "The disk is not attached.".to_owned(),
            },
            (Code::SERVER_RUNNING, Subject::Server(s)) => match stmt {
                Stmt::Detach(d) => format!(
                    "Disk {} is the system disk of server {}, which is running; a system disk can be detached only while its server is stopped.",
                    n(*d),
                    self.server_name(s)
                ),
                _ => format!(
                    "Server {} is running; a system disk can be attached only to a stopped server.",
                    self.server_name(s)
                ),
            },
            (Code::SYSTEM_DISK_PRESENT, Subject::Disk(d)) => {
                let on = self
                    .world
                    .disk(d)
                    .and_then(|x| x.server)
                    .map_or("", |s| self.server_name(s));
                format!("Server {on} already has a system disk, {}.", self.disk_name(d))
            }
            (Code::NO_SYSTEM_DISK, Subject::Server(s)) => {
                let what = match stmt {
                    Stmt::ServerStart(_) => "so it cannot start",
                    Stmt::ImageCreate { .. } => "so no image can be made from it",
                    _ => "so no AS configuration can be made from it",
                };
                format!("Server {} has no system disk, {what}.", self.server_name(s))
            }
            (code, _) => format!("The statement fails with {code}."),
        }
    }

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
                match stmt {
                    Stmt::KeyEnable(_) | Stmt::KeyScheduleDeletion(..) => {
                        Some(vec![Stmt::KeyCancelDeletion(key.name)])
                    }
                    Stmt::KeyDisable(_) => Some(vec![
                        Stmt::KeyCancelDeletion(key.name),
                        Stmt::KeyEnable(key.name),
                    ]),
                    _ => None,
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

    /// A statement as scenario text (names as the engine knows them), printed by
    /// [`Statement`](crate::Statement)'s `Display`.
    pub fn render(&self, stmt: &Stmt) -> String {
        stmt.map(|&id| self.name(id)).to_string()
    }
}
