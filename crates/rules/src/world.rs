//! The state of a scenario at one point in time: resources in slabs indexed by integers, a
//! name table, and the provenance arena. Only the evaluator changes it.

use crate::model::{DiskRole, Health, KeyState, Kind, Power, Role};
use crate::names::{Interner, NameId};
use std::collections::BTreeSet;

/// A key index; keys are never removed (a deleted key stays, in state `deleted`).
pub type KeyIx = u32;
/// An index into one of the slabs; never reused.
pub type Ix = u32;
/// An index into the provenance arena.
pub type ProvId = u32;

/// Encryption of a resource: `None`, or the key that encrypts it.
pub type Enc = Option<KeyIx>;

/// A live resource, by kind and slab index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Res {
    Key(KeyIx),
    Image(Ix),
    Server(Ix),
    Disk(Ix),
    Snapshot(Ix),
    Backup(Ix),
    Config(Ix),
}

impl Res {
    pub const fn kind(self) -> Kind {
        match self {
            Res::Key(_) => Kind::Keys,
            Res::Image(_) => Kind::Images,
            Res::Server(_) => Kind::Servers,
            Res::Disk(_) => Kind::Disks,
            Res::Snapshot(_) => Kind::Snapshots,
            Res::Backup(_) => Kind::Backups,
            Res::Config(_) => Kind::Configs,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Key {
    pub name: NameId,
    pub default: bool,
    pub state: KeyState,
    /// The day the key will be deleted, while `pending-deletion` (and after).
    pub deletion_day: u64,
    /// Attached disks encrypted with this key.
    pub attached: u32,
    /// Live disks, snapshots, backups, images and configs encrypted with this key.
    pub dependents: u32,
    pub line: u32,
    /// Every disk ever encrypted with this key, in creation order (a disk's encryption never
    /// changes and disk slots are never reused), so [`World::disks_with`] need not scan them all.
    pub disks: Vec<Ix>,
}

/// Where a server's system disk (or a config's image) comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageRef {
    Public,
    Image(NameId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiskOrigin {
    Empty,
    Image(ImageRef),
    Snapshot(NameId),
    Backup(NameId),
    Config(NameId),
}

#[derive(Debug, Clone)]
pub struct Disk {
    pub name: NameId,
    pub role: DiskRole,
    pub enc: Enc,
    pub origin: DiskOrigin,
    pub server: Option<Ix>,
    /// The server it was last attached to as its system disk (for fix-it hints).
    pub last_system_of: Option<NameId>,
    pub prov: ProvId,
    /// Snapshots taken of it (some may have been deleted since).
    pub snapshots: Vec<Ix>,
    /// The line that created it.
    pub line: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerOrigin {
    Image(ImageRef),
    Config(NameId),
}

#[derive(Debug, Clone)]
pub struct Server {
    pub name: NameId,
    pub power: Power,
    pub system: Option<Ix>,
    /// Data disks in the order they were attached.
    pub data: Vec<Ix>,
    pub origin: ServerOrigin,
    /// The image its system disk came from (a config's image for servers from a config).
    pub image: ImageRef,
    pub line: u32,
}

#[derive(Debug, Clone)]
pub struct DiskCopy {
    pub name: NameId,
    pub disk: NameId,
    pub disk_ix: Ix,
    pub enc: Enc,
    pub prov: ProvId,
    pub line: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageOrigin {
    Import,
    Server(NameId),
}

#[derive(Debug, Clone)]
pub struct Image {
    pub name: NameId,
    pub origin: ImageOrigin,
    pub enc: Enc,
    pub prov: ProvId,
    pub line: u32,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub name: NameId,
    pub server: NameId,
    pub image: ImageRef,
    pub system: (Enc, ProvId),
    pub data: Vec<(Enc, ProvId)>,
    pub line: u32,
}

impl Config {
    /// Every distinct key its disks use.
    pub fn keys(&self) -> impl Iterator<Item = KeyIx> + '_ {
        let all = std::iter::once(self.system.0).chain(self.data.iter().map(|d| d.0));
        all.enumerate().filter_map(move |(i, e)| {
            let k = e?;
            let earlier = std::iter::once(self.system.0)
                .chain(self.data.iter().map(|d| d.0))
                .take(i)
                .any(|p| p == Some(k));
            (!earlier).then_some(k)
        })
    }
}

/// One link of a provenance chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProvLabel {
    /// A resource that carries the encryption on.
    Resource(Kind, NameId),
    /// An empty disk whose creator chose (key name or unencrypted).
    Chosen(Option<NameId>),
    /// An image imported from an external file with the key given (or none).
    Imported(Option<NameId>),
    /// The public, unencrypted image.
    Public,
}

#[derive(Debug, Clone, Copy)]
pub struct ProvNode {
    pub label: ProvLabel,
    pub parent: Option<ProvId>,
    /// The rule that carried the encryption from the parent (or chose it).
    pub rule: crate::codes::RuleId,
    /// The line that created this link.
    pub line: u32,
}

/// Generated names (`web-sys`, `web-data1`) live here, numbered after the program's names.
#[derive(Debug, Clone)]
pub struct Names<'p> {
    pub base: &'p Interner,
    extra: Interner,
    offset: u32,
}

impl<'p> Names<'p> {
    pub fn new(base: &'p Interner) -> Self {
        let offset = u32::try_from(base.len()).unwrap_or(u32::MAX / 2);
        Names {
            base,
            extra: Interner::default(),
            offset,
        }
    }

    pub fn intern(&mut self, name: &str) -> NameId {
        match self.base.get(name) {
            Some(id) => id,
            None => self.offset.saturating_add(self.extra.intern(name)),
        }
    }

    pub fn name(&self, id: NameId) -> &str {
        if id < self.offset {
            self.base.name(id)
        } else {
            self.extra.name(id - self.offset)
        }
    }
}

/// The whole state after some step.
#[derive(Debug, Clone)]
pub struct World {
    pub day: u64,
    pub kms: bool,
    pub role: Role,
    pub keys: Vec<Key>,
    pub images: Vec<Option<Image>>,
    pub servers: Vec<Option<Server>>,
    pub disks: Vec<Option<Disk>>,
    pub snapshots: Vec<Option<DiskCopy>>,
    pub backups: Vec<Option<DiskCopy>>,
    pub configs: Vec<Option<Config>>,
    /// Live resources by name id (ids are dense).
    pub live: Vec<Option<Res>>,
    /// Keys pending deletion, by deletion day.
    pub pending: BTreeSet<(u64, KeyIx)>,
    pub prov: Vec<ProvNode>,
    pub counts: [u64; 7],
    pub default_key: Option<KeyIx>,
}

impl Default for World {
    fn default() -> Self {
        World {
            day: 0,
            kms: false,
            role: Role::Member,
            keys: Vec::new(),
            images: Vec::new(),
            servers: Vec::new(),
            disks: Vec::new(),
            snapshots: Vec::new(),
            backups: Vec::new(),
            configs: Vec::new(),
            live: Vec::new(),
            pending: BTreeSet::new(),
            prov: Vec::new(),
            counts: [0; 7],
            default_key: None,
        }
    }
}

fn kind_slot(kind: Kind) -> usize {
    match kind {
        Kind::Keys => 0,
        Kind::Images => 1,
        Kind::Servers => 2,
        Kind::Disks => 3,
        Kind::Snapshots => 4,
        Kind::Backups => 5,
        Kind::Configs => 6,
    }
}

fn ix(len: usize) -> Ix {
    Ix::try_from(len).unwrap_or(Ix::MAX)
}

impl World {
    pub fn lookup(&self, name: NameId) -> Option<Res> {
        self.live.get(name as usize).copied().flatten()
    }

    /// Every live resource with its name, in name-id order.
    pub fn live(&self) -> impl Iterator<Item = (NameId, Res)> + '_ {
        self.live
            .iter()
            .enumerate()
            .filter_map(|(i, r)| Some((i as NameId, (*r)?)))
    }

    pub fn count(&self, kind: Kind) -> u64 {
        self.counts.get(kind_slot(kind)).copied().unwrap_or(0)
    }

    pub fn key(&self, k: KeyIx) -> Option<&Key> {
        self.keys.get(k as usize)
    }

    pub fn key_state(&self, k: KeyIx) -> KeyState {
        self.key(k).map_or(KeyState::Deleted, |k| k.state)
    }

    pub fn disk(&self, d: Ix) -> Option<&Disk> {
        self.disks.get(d as usize).and_then(Option::as_ref)
    }

    pub fn server(&self, s: Ix) -> Option<&Server> {
        self.servers.get(s as usize).and_then(Option::as_ref)
    }

    pub fn image(&self, i: Ix) -> Option<&Image> {
        self.images.get(i as usize).and_then(Option::as_ref)
    }

    pub fn config(&self, c: Ix) -> Option<&Config> {
        self.configs.get(c as usize).and_then(Option::as_ref)
    }

    pub fn snapshot(&self, s: Ix) -> Option<&DiskCopy> {
        self.snapshots.get(s as usize).and_then(Option::as_ref)
    }

    pub fn backup(&self, b: Ix) -> Option<&DiskCopy> {
        self.backups.get(b as usize).and_then(Option::as_ref)
    }

    /// A disk's health (SPEC §1).
    pub fn health(&self, disk: &Disk) -> Health {
        match disk.enc.map(|k| self.key_state(k)) {
            None | Some(KeyState::Enabled) => Health::Healthy,
            Some(KeyState::Deleted) => Health::Unrecoverable,
            Some(_) if disk.server.is_some() => Health::AtRisk,
            Some(_) => Health::Unattachable,
        }
    }

    /// The encryption and provenance of a resource, where it has one (a server's and a config's
    /// are its system disk's).
    pub fn encryption_of(&self, res: Res) -> Option<(Enc, ProvId)> {
        match res {
            Res::Key(_) => None,
            Res::Image(i) => self.image(i).map(|x| (x.enc, x.prov)),
            Res::Server(s) => {
                let sys = self.server(s)?.system?;
                self.disk(sys).map(|d| (d.enc, d.prov))
            }
            Res::Disk(d) => self.disk(d).map(|x| (x.enc, x.prov)),
            Res::Snapshot(x) => self.snapshot(x).map(|x| (x.enc, x.prov)),
            Res::Backup(x) => self.backup(x).map(|x| (x.enc, x.prov)),
            Res::Config(c) => self.config(c).map(|x| x.system),
        }
    }

    pub fn push_prov(
        &mut self,
        label: ProvLabel,
        parent: Option<ProvId>,
        rule: crate::codes::RuleId,
        line: u32,
    ) -> ProvId {
        self.prov.push(ProvNode {
            label,
            parent,
            rule,
            line,
        });
        ix(self.prov.len() - 1)
    }

    fn add_live(&mut self, name: NameId, res: Res) {
        let i = name as usize;
        if self.live.len() <= i {
            self.live.resize(i + 1, None);
        }
        if let Some(slot) = self.live.get_mut(i) {
            *slot = Some(res);
        }
        if let Some(c) = self.counts.get_mut(kind_slot(res.kind())) {
            *c += 1;
        }
    }

    fn remove_live(&mut self, name: NameId, kind: Kind) {
        if let Some(slot) = self.live.get_mut(name as usize) {
            *slot = None;
        }
        if let Some(c) = self.counts.get_mut(kind_slot(kind)) {
            *c = c.saturating_sub(1);
        }
    }

    fn depend(&mut self, enc: Enc, delta: i32) {
        if let Some(k) = enc.and_then(|k| self.keys.get_mut(k as usize)) {
            k.dependents = k.dependents.saturating_add_signed(delta);
        }
    }

    fn attach_count(&mut self, enc: Enc, delta: i32) {
        if let Some(k) = enc.and_then(|k| self.keys.get_mut(k as usize)) {
            k.attached = k.attached.saturating_add_signed(delta);
        }
    }

    pub fn add_key(&mut self, name: NameId, default: bool, line: u32) -> KeyIx {
        self.keys.push(Key {
            line,
            name,
            default,
            state: KeyState::Enabled,
            deletion_day: 0,
            attached: 0,
            dependents: 0,
            disks: Vec::new(),
        });
        let k = ix(self.keys.len() - 1);
        self.add_live(name, Res::Key(k));
        if default {
            self.default_key = Some(k);
        }
        k
    }

    pub fn add_image(&mut self, image: Image) -> Ix {
        self.depend(image.enc, 1);
        let name = image.name;
        self.images.push(Some(image));
        let i = ix(self.images.len() - 1);
        self.add_live(name, Res::Image(i));
        i
    }

    pub fn add_disk(&mut self, disk: Disk) -> Ix {
        self.depend(disk.enc, 1);
        let name = disk.name;
        let enc = disk.enc;
        self.disks.push(Some(disk));
        let d = ix(self.disks.len() - 1);
        if let Some(k) = enc.and_then(|k| self.keys.get_mut(k as usize)) {
            k.disks.push(d);
        }
        self.add_live(name, Res::Disk(d));
        d
    }

    pub fn add_server(&mut self, server: Server) -> Ix {
        let name = server.name;
        self.servers.push(Some(server));
        let s = ix(self.servers.len() - 1);
        self.add_live(name, Res::Server(s));
        s
    }

    pub fn add_snapshot(&mut self, snap: DiskCopy) -> Ix {
        self.depend(snap.enc, 1);
        let (name, disk) = (snap.name, snap.disk_ix);
        self.snapshots.push(Some(snap));
        let s = ix(self.snapshots.len() - 1);
        self.add_live(name, Res::Snapshot(s));
        if let Some(Some(d)) = self.disks.get_mut(disk as usize) {
            d.snapshots.push(s);
        }
        s
    }

    pub fn add_backup(&mut self, backup: DiskCopy) -> Ix {
        self.depend(backup.enc, 1);
        let name = backup.name;
        self.backups.push(Some(backup));
        let b = ix(self.backups.len() - 1);
        self.add_live(name, Res::Backup(b));
        b
    }

    pub fn add_config(&mut self, config: Config) -> Ix {
        let keys: Vec<KeyIx> = config.keys().collect();
        for k in keys {
            self.depend(Some(k), 1);
        }
        let name = config.name;
        self.configs.push(Some(config));
        let c = ix(self.configs.len() - 1);
        self.add_live(name, Res::Config(c));
        c
    }

    /// Attaches a detached disk to a server.
    pub fn attach(&mut self, d: Ix, s: Ix, system: bool) {
        let Some(Some(disk)) = self.disks.get_mut(d as usize) else {
            return;
        };
        disk.server = Some(s);
        disk.role = if system {
            DiskRole::System
        } else {
            DiskRole::Data
        };
        let enc = disk.enc;
        if let Some(Some(server)) = self.servers.get_mut(s as usize) {
            if system {
                server.system = Some(d);
                if let Some(Some(disk)) = self.disks.get_mut(d as usize) {
                    disk.last_system_of = Some(server.name);
                }
            } else {
                server.data.push(d);
            }
        }
        self.attach_count(enc, 1);
    }

    /// Detaches an attached disk.
    pub fn detach(&mut self, d: Ix) {
        let Some(Some(disk)) = self.disks.get_mut(d as usize) else {
            return;
        };
        let Some(s) = disk.server.take() else {
            return;
        };
        let enc = disk.enc;
        if let Some(Some(server)) = self.servers.get_mut(s as usize) {
            if server.system == Some(d) {
                server.system = None;
            } else {
                server.data.retain(|&x| x != d);
            }
        }
        self.attach_count(enc, -1);
    }

    /// Deletes a disk (detaching it first if needed) and its snapshots.
    pub fn delete_disk(&mut self, d: Ix) {
        self.detach(d);
        let Some(disk) = self.disks.get_mut(d as usize).and_then(Option::take) else {
            return;
        };
        self.depend(disk.enc, -1);
        self.remove_live(disk.name, Kind::Disks);
        for s in disk.snapshots {
            self.delete_snapshot(s);
        }
    }

    pub fn delete_snapshot(&mut self, s: Ix) {
        if let Some(snap) = self.snapshots.get_mut(s as usize).and_then(Option::take) {
            self.depend(snap.enc, -1);
            self.remove_live(snap.name, Kind::Snapshots);
        }
    }

    pub fn delete_backup(&mut self, b: Ix) {
        if let Some(backup) = self.backups.get_mut(b as usize).and_then(Option::take) {
            self.depend(backup.enc, -1);
            self.remove_live(backup.name, Kind::Backups);
        }
    }

    /// Deletes a server and its system disk; its data disks are detached. Returns the data disks.
    pub fn delete_server(&mut self, s: Ix) -> Vec<Ix> {
        let Some(server) = self.server(s) else {
            return Vec::new();
        };
        let data = server.data.clone();
        let system = server.system;
        for &d in &data {
            self.detach(d);
        }
        if let Some(sys) = system {
            self.delete_disk(sys);
        }
        if let Some(server) = self.servers.get_mut(s as usize).and_then(Option::take) {
            self.remove_live(server.name, Kind::Servers);
        }
        data
    }

    /// Live disks encrypted with key `k`, in creation order (scans: for explanations only).
    pub fn disks_with(&self, k: KeyIx) -> impl Iterator<Item = &Disk> {
        self.key(k)
            .map(|key| key.disks.as_slice())
            .unwrap_or_default()
            .iter()
            .filter_map(|&d| self.disk(d))
            .filter(move |d| d.enc == Some(k))
    }

    /// Every live resource encrypted with `k` (a config when any of its disks is), as
    /// (kind, name), in kind then creation order.
    pub fn dependents_of(&self, k: KeyIx) -> Vec<(Kind, NameId)> {
        let mut out = Vec::new();
        let enc = Some(k);
        out.extend(
            self.disks
                .iter()
                .flatten()
                .filter(|x| x.enc == enc)
                .map(|x| (Kind::Disks, x.name)),
        );
        out.extend(
            self.snapshots
                .iter()
                .flatten()
                .filter(|x| x.enc == enc)
                .map(|x| (Kind::Snapshots, x.name)),
        );
        out.extend(
            self.backups
                .iter()
                .flatten()
                .filter(|x| x.enc == enc)
                .map(|x| (Kind::Backups, x.name)),
        );
        out.extend(
            self.images
                .iter()
                .flatten()
                .filter(|x| x.enc == enc)
                .map(|x| (Kind::Images, x.name)),
        );
        out.extend(
            self.configs
                .iter()
                .flatten()
                .filter(|x| x.keys().any(|c| c == k))
                .map(|x| (Kind::Configs, x.name)),
        );
        out
    }
}
