//! The state of a scenario at one point in time: resources in typed slabs, a name table, the
//! pending-deletion queue and the provenance arena. Only the evaluator changes it, and only
//! through [`World`]'s methods, which keep its counters and tables consistent.

mod arena;

pub use arena::Idx;

use crate::model::{DiskRole, Health, KeyState, Kind, Power, Role};
use crate::names::{Interner, NameId};
use arena::{Arena, Slab};
use std::collections::BTreeSet;
use std::marker::PhantomData;

/// An index into the provenance arena.
pub type ProvId = Idx<ProvNode>;

/// Encryption of a resource: `None`, or the key that encrypts it.
pub type Enc = Option<Idx<Key>>;

/// A live resource, by kind and slab index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Res {
    Key(Idx<Key>),
    Image(Idx<Image>),
    Server(Idx<Server>),
    Disk(Idx<Disk>),
    Snapshot(Idx<Snapshot>),
    Backup(Idx<Backup>),
    Config(Idx<Config>),
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

/// A KMS key. Keys are never removed: a deleted key stays, in state `deleted`. Its state and
/// counters change only through [`World`].
#[derive(Debug, Clone)]
pub struct Key {
    pub name: NameId,
    pub default: bool,
    pub state: KeyState,
    /// The day the key will be deleted, while `pending-deletion` (and after).
    pub deletion_day: u64,
    pub line: u32,
    /// Attached disks encrypted with this key.
    attached: u32,
    /// Live disks, snapshots, backups, images and configs encrypted with this key.
    dependents: u32,
    /// Every disk ever encrypted with this key, in creation order (a disk's encryption never
    /// changes and disk slots are never reused), so [`World::disks_with`] need not scan them all.
    disks: Vec<Idx<Disk>>,
}

impl Key {
    /// How many attached disks it encrypts (R-IN-USE).
    pub fn attached(&self) -> u32 {
        self.attached
    }

    /// How many live disks, snapshots, backups, images and configs it encrypts.
    pub fn dependents(&self) -> u32 {
        self.dependents
    }
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

/// What the statement that creates a disk decides; [`World::add_disk`] files it, detached.
#[derive(Debug, Clone, Copy)]
pub struct NewDisk {
    pub name: NameId,
    pub enc: Enc,
    pub origin: DiskOrigin,
    pub prov: ProvId,
    /// The line that creates it.
    pub line: u32,
}

/// A disk. Where it is attached changes only through [`World::attach`] and [`World::detach`],
/// which keep its server's disk lists and its key's attached count in step.
#[derive(Debug, Clone)]
pub struct Disk {
    pub name: NameId,
    pub role: DiskRole,
    pub enc: Enc,
    pub origin: DiskOrigin,
    pub server: Option<Idx<Server>>,
    /// The server it was last attached to as its system disk (for fix-it hints).
    pub last_system_of: Option<NameId>,
    pub prov: ProvId,
    /// The line that created it.
    pub line: u32,
    /// Snapshots taken of it (some may have been deleted since), deleted with it.
    snapshots: Vec<Idx<Snapshot>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerOrigin {
    Image(ImageRef),
    Config(NameId),
}

/// A server; its disks change only through [`World::attach`] and [`World::detach`].
#[derive(Debug, Clone)]
pub struct Server {
    pub name: NameId,
    pub power: Power,
    pub system: Option<Idx<Disk>>,
    /// Data disks in the order they were attached.
    pub data: Vec<Idx<Disk>>,
    pub origin: ServerOrigin,
    /// The image its system disk came from (a config's image for servers from a config).
    pub image: ImageRef,
    pub line: u32,
}

/// Marks a [`DiskCopy`] as a snapshot, so snapshot and backup indices cannot be mixed.
#[derive(Debug, Clone, Copy)]
pub enum SnapshotOf {}
/// Marks a [`DiskCopy`] as a backup.
#[derive(Debug, Clone, Copy)]
pub enum BackupOf {}

/// A snapshot or backup of a disk: it has the disk's encryption (R-SNAP, R-BACKUP).
#[derive(Debug, Clone)]
pub struct DiskCopy<K> {
    pub name: NameId,
    pub disk: NameId,
    pub disk_ix: Idx<Disk>,
    pub enc: Enc,
    pub prov: ProvId,
    pub line: u32,
    of: PhantomData<fn() -> K>,
}

impl<K> DiskCopy<K> {
    pub fn new(
        name: NameId,
        disk: NameId,
        disk_ix: Idx<Disk>,
        enc: Enc,
        prov: ProvId,
        line: u32,
    ) -> Self {
        DiskCopy {
            name,
            disk,
            disk_ix,
            enc,
            prov,
            line,
            of: PhantomData,
        }
    }
}

pub type Snapshot = DiskCopy<SnapshotOf>;
pub type Backup = DiskCopy<BackupOf>;

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
    pub fn keys(&self) -> impl Iterator<Item = Idx<Key>> + '_ {
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
///
/// Every field is private: the methods that change it keep its derived data in step —
/// the name table and per-kind counts with the slabs, each key's attached-disk and dependent
/// counters with the disks, copies, images and configs it encrypts, the servers' disk lists
/// with the disks' `server`, and the pending-deletion queue with the keys' states.
#[derive(Debug, Clone)]
pub struct World {
    day: u64,
    kms: bool,
    role: Role,
    keys: Arena<Key>,
    images: Slab<Image>,
    servers: Slab<Server>,
    disks: Slab<Disk>,
    snapshots: Slab<Snapshot>,
    backups: Slab<Backup>,
    configs: Slab<Config>,
    /// Live resources by name id (ids are dense).
    live: Vec<Option<Res>>,
    /// Live resources of each kind, by [`kind_slot`].
    counts: [u64; 7],
    /// Keys pending deletion, by deletion day.
    pending: BTreeSet<(u64, Idx<Key>)>,
    /// Append-only: chains survive the deletion of the resources they pass through.
    prov: Arena<ProvNode>,
}

impl Default for World {
    fn default() -> Self {
        World {
            day: 0,
            kms: false,
            role: Role::Member,
            keys: Arena::default(),
            images: Slab::default(),
            servers: Slab::default(),
            disks: Slab::default(),
            snapshots: Slab::default(),
            backups: Slab::default(),
            configs: Slab::default(),
            live: Vec::new(),
            counts: [0; 7],
            pending: BTreeSet::new(),
            prov: Arena::default(),
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

/// Reading the state.
impl World {
    /// The scenario's clock, in days.
    pub fn day(&self) -> u64 {
        self.day
    }

    /// Whether EVS has been granted KMS access.
    pub fn kms(&self) -> bool {
        self.kms
    }

    /// Who acts.
    pub fn role(&self) -> Role {
        self.role
    }

    pub fn lookup(&self, name: NameId) -> Option<Res> {
        self.live.get(name as usize).copied().flatten()
    }

    /// Every live resource with its name, in name-id order.
    pub fn live(&self) -> impl Iterator<Item = (NameId, Res)> + '_ {
        self.live
            .iter()
            .enumerate()
            .filter_map(|(i, r)| Some((NameId::try_from(i).ok()?, (*r)?)))
    }

    pub fn count(&self, kind: Kind) -> u64 {
        self.counts.get(kind_slot(kind)).copied().unwrap_or(0)
    }

    pub fn key(&self, k: Idx<Key>) -> Option<&Key> {
        self.keys.get(k)
    }

    pub fn key_state(&self, k: Idx<Key>) -> KeyState {
        self.key(k).map_or(KeyState::Deleted, |k| k.state)
    }

    pub fn disk(&self, d: Idx<Disk>) -> Option<&Disk> {
        self.disks.get(d)
    }

    pub fn server(&self, s: Idx<Server>) -> Option<&Server> {
        self.servers.get(s)
    }

    pub fn image(&self, i: Idx<Image>) -> Option<&Image> {
        self.images.get(i)
    }

    pub fn config(&self, c: Idx<Config>) -> Option<&Config> {
        self.configs.get(c)
    }

    pub fn snapshot(&self, s: Idx<Snapshot>) -> Option<&Snapshot> {
        self.snapshots.get(s)
    }

    pub fn backup(&self, b: Idx<Backup>) -> Option<&Backup> {
        self.backups.get(b)
    }

    /// A link of the provenance arena.
    pub fn prov(&self, p: ProvId) -> Option<&ProvNode> {
        self.prov.get(p)
    }

    /// Every key (deleted ones included), in creation order.
    pub fn keys(
        &self,
    ) -> impl ExactSizeIterator<Item = (Idx<Key>, &Key)> + DoubleEndedIterator + '_ {
        self.keys.iter()
    }

    /// Live images, in creation order.
    pub fn images(&self) -> impl DoubleEndedIterator<Item = (Idx<Image>, &Image)> + '_ {
        self.images.iter()
    }

    /// Live servers, in creation order.
    pub fn servers(&self) -> impl DoubleEndedIterator<Item = (Idx<Server>, &Server)> + '_ {
        self.servers.iter()
    }

    /// Live disks, in creation order.
    pub fn disks(&self) -> impl DoubleEndedIterator<Item = (Idx<Disk>, &Disk)> + '_ {
        self.disks.iter()
    }

    /// Live snapshots, in creation order.
    pub fn snapshots(&self) -> impl DoubleEndedIterator<Item = (Idx<Snapshot>, &Snapshot)> + '_ {
        self.snapshots.iter()
    }

    /// Live backups, in creation order.
    pub fn backups(&self) -> impl DoubleEndedIterator<Item = (Idx<Backup>, &Backup)> + '_ {
        self.backups.iter()
    }

    /// Live AS configurations, in creation order.
    pub fn configs(&self) -> impl DoubleEndedIterator<Item = (Idx<Config>, &Config)> + '_ {
        self.configs.iter()
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

    /// Live disks encrypted with key `k`, in creation order (scans: for explanations only).
    pub fn disks_with(&self, k: Idx<Key>) -> impl Iterator<Item = &Disk> {
        self.key(k)
            .map(|key| key.disks.as_slice())
            .unwrap_or_default()
            .iter()
            .filter_map(|&d| self.disk(d))
            .filter(move |d| d.enc == Some(k))
    }

    /// Every live resource encrypted with `k` (a config when any of its disks is), as
    /// (kind, name), in kind then creation order.
    pub fn dependents_of(&self, k: Idx<Key>) -> Vec<(Kind, NameId)> {
        let mut out = Vec::new();
        let enc = Some(k);
        let with = |kind: Kind| move |(x, e): (NameId, Enc)| (e == enc).then_some((kind, x));
        out.extend(
            self.disks()
                .map(|(_, x)| (x.name, x.enc))
                .filter_map(with(Kind::Disks)),
        );
        out.extend(
            self.snapshots()
                .map(|(_, x)| (x.name, x.enc))
                .filter_map(with(Kind::Snapshots)),
        );
        out.extend(
            self.backups()
                .map(|(_, x)| (x.name, x.enc))
                .filter_map(with(Kind::Backups)),
        );
        out.extend(
            self.images()
                .map(|(_, x)| (x.name, x.enc))
                .filter_map(with(Kind::Images)),
        );
        out.extend(
            self.configs()
                .filter(|(_, x)| x.keys().any(|c| c == k))
                .map(|(_, x)| (Kind::Configs, x.name)),
        );
        out
    }
}

/// Changing the state: each method keeps the name table, the counts, the keys' counters,
/// the servers' disk lists and the pending queue consistent.
impl World {
    pub fn set_role(&mut self, role: Role) {
        self.role = role;
    }

    pub fn grant_kms(&mut self) {
        self.kms = true;
    }

    pub fn set_power(&mut self, s: Idx<Server>, power: Power) {
        if let Some(server) = self.servers.get_mut(s) {
            server.power = power;
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
        })
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
        if let Some(k) = enc.and_then(|k| self.keys.get_mut(k)) {
            k.dependents = k.dependents.saturating_add_signed(delta);
        }
    }

    fn attach_count(&mut self, enc: Enc, delta: i32) {
        if let Some(k) = enc.and_then(|k| self.keys.get_mut(k)) {
            k.attached = k.attached.saturating_add_signed(delta);
        }
    }

    /// A new, enabled key (`default`: `evs/default`, made on its first use).
    pub fn add_key(&mut self, name: NameId, default: bool, line: u32) -> Idx<Key> {
        let k = self.keys.push(Key {
            line,
            name,
            default,
            state: KeyState::Enabled,
            deletion_day: 0,
            attached: 0,
            dependents: 0,
            disks: Vec::new(),
        });
        self.add_live(name, Res::Key(k));
        k
    }

    /// Sets a key's state; a key leaving `pending-deletion` leaves the pending queue.
    pub fn set_key_state(&mut self, k: Idx<Key>, state: KeyState) {
        if let Some(key) = self.keys.get_mut(k) {
            if key.state == KeyState::PendingDeletion {
                self.pending.remove(&(key.deletion_day, k));
            }
            key.state = state;
        }
    }

    /// Puts a key in `pending-deletion` until `day` (R-KEY-STATES).
    pub fn schedule_deletion(&mut self, k: Idx<Key>, day: u64) {
        self.set_key_state(k, KeyState::PendingDeletion);
        if let Some(key) = self.keys.get_mut(k) {
            key.deletion_day = day;
            self.pending.insert((day, k));
        }
    }

    /// Lets `days` pass: every key whose deletion day is reached is deleted (R-DELETE).
    /// Returns those that still encrypt something, in deletion order.
    pub fn advance(&mut self, days: u64) -> Vec<Idx<Key>> {
        self.day = self.day.saturating_add(days);
        let mut deleted = Vec::new();
        while let Some(&(day, k)) = self.pending.first() {
            if day > self.day {
                break;
            }
            self.pending.pop_first();
            if let Some(key) = self.keys.get_mut(k) {
                key.state = KeyState::Deleted;
                if key.dependents > 0 {
                    deleted.push(k);
                }
            }
        }
        deleted
    }

    pub fn add_image(&mut self, image: Image) -> Idx<Image> {
        self.depend(image.enc, 1);
        let name = image.name;
        let i = self.images.push(image);
        self.add_live(name, Res::Image(i));
        i
    }

    /// A new, detached data disk.
    pub fn add_disk(&mut self, disk: NewDisk) -> Idx<Disk> {
        let NewDisk {
            name,
            enc,
            origin,
            prov,
            line,
        } = disk;
        self.depend(enc, 1);
        let d = self.disks.push(Disk {
            name,
            role: DiskRole::Data,
            enc,
            origin,
            server: None,
            last_system_of: None,
            prov,
            line,
            snapshots: Vec::new(),
        });
        if let Some(k) = enc.and_then(|k| self.keys.get_mut(k)) {
            k.disks.push(d);
        }
        self.add_live(name, Res::Disk(d));
        d
    }

    /// A new running server without disks (attach them with [`World::attach`]).
    pub fn add_server(
        &mut self,
        name: NameId,
        origin: ServerOrigin,
        image: ImageRef,
        line: u32,
    ) -> Idx<Server> {
        let s = self.servers.push(Server {
            name,
            power: Power::Running,
            system: None,
            data: Vec::new(),
            origin,
            image,
            line,
        });
        self.add_live(name, Res::Server(s));
        s
    }

    pub fn add_snapshot(&mut self, snap: Snapshot) -> Idx<Snapshot> {
        self.depend(snap.enc, 1);
        let (name, disk) = (snap.name, snap.disk_ix);
        let s = self.snapshots.push(snap);
        self.add_live(name, Res::Snapshot(s));
        if let Some(d) = self.disks.get_mut(disk) {
            d.snapshots.push(s);
        }
        s
    }

    pub fn add_backup(&mut self, backup: Backup) -> Idx<Backup> {
        self.depend(backup.enc, 1);
        let name = backup.name;
        let b = self.backups.push(backup);
        self.add_live(name, Res::Backup(b));
        b
    }

    pub fn add_config(&mut self, config: Config) -> Idx<Config> {
        let keys: Vec<Idx<Key>> = config.keys().collect();
        for k in keys {
            self.depend(Some(k), 1);
        }
        let name = config.name;
        let c = self.configs.push(config);
        self.add_live(name, Res::Config(c));
        c
    }

    /// Attaches a detached disk to a server.
    pub fn attach(&mut self, d: Idx<Disk>, s: Idx<Server>, system: bool) {
        let Some(disk) = self.disks.get_mut(d) else {
            return;
        };
        disk.server = Some(s);
        disk.role = if system {
            DiskRole::System
        } else {
            DiskRole::Data
        };
        let enc = disk.enc;
        if let Some(server) = self.servers.get_mut(s) {
            if system {
                server.system = Some(d);
                if let Some(disk) = self.disks.get_mut(d) {
                    disk.last_system_of = Some(server.name);
                }
            } else {
                server.data.push(d);
            }
        }
        self.attach_count(enc, 1);
    }

    /// Detaches an attached disk.
    pub fn detach(&mut self, d: Idx<Disk>) {
        let Some(disk) = self.disks.get_mut(d) else {
            return;
        };
        let Some(s) = disk.server.take() else {
            return;
        };
        let enc = disk.enc;
        if let Some(server) = self.servers.get_mut(s) {
            if server.system == Some(d) {
                server.system = None;
            } else {
                server.data.retain(|&x| x != d);
            }
        }
        self.attach_count(enc, -1);
    }

    /// Deletes a disk (detaching it first if needed) and its snapshots.
    pub fn delete_disk(&mut self, d: Idx<Disk>) {
        self.detach(d);
        let Some(disk) = self.disks.remove(d) else {
            return;
        };
        self.depend(disk.enc, -1);
        self.remove_live(disk.name, Kind::Disks);
        for s in disk.snapshots {
            self.delete_snapshot(s);
        }
    }

    pub fn delete_snapshot(&mut self, s: Idx<Snapshot>) {
        if let Some(snap) = self.snapshots.remove(s) {
            self.depend(snap.enc, -1);
            self.remove_live(snap.name, Kind::Snapshots);
        }
    }

    pub fn delete_backup(&mut self, b: Idx<Backup>) {
        if let Some(backup) = self.backups.remove(b) {
            self.depend(backup.enc, -1);
            self.remove_live(backup.name, Kind::Backups);
        }
    }

    /// Deletes a server and its system disk; its data disks are detached. Returns the data disks.
    pub fn delete_server(&mut self, s: Idx<Server>) -> Vec<Idx<Disk>> {
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
        if let Some(server) = self.servers.remove(s) {
            self.remove_live(server.name, Kind::Servers);
        }
        data
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{walk, Mode};
    use crate::generate;
    use crate::syntax::Program;

    /// Recomputes everything the World derives and compares it with what it keeps.
    fn assert_consistent(w: &World, at: &str) {
        for &kind in Kind::ALL {
            let live = w.live().filter(|(_, r)| r.kind() == kind).count() as u64;
            assert_eq!(w.count(kind), live, "{at}: count of {kind}");
        }
        for (k, key) in w.keys() {
            let attached = w
                .disks()
                .filter(|(_, d)| d.enc == Some(k) && d.server.is_some())
                .count();
            assert_eq!(key.attached() as usize, attached, "{at}: attached of {k:?}");
            let dependents = w.dependents_of(k).len();
            assert_eq!(
                key.dependents as usize, dependents,
                "{at}: dependents of {k:?}"
            );
            let queued = w.pending.contains(&(key.deletion_day, k));
            assert_eq!(
                queued,
                key.state == KeyState::PendingDeletion,
                "{at}: {k:?}"
            );
        }
        assert_eq!(
            w.pending.len(),
            w.keys()
                .filter(|(_, k)| k.state == KeyState::PendingDeletion)
                .count(),
            "{at}: pending queue"
        );
        for (s, server) in w.servers() {
            let disks = server.system.iter().chain(&server.data);
            for &d in disks {
                assert_eq!(w.disk(d).and_then(|d| d.server), Some(s), "{at}: {d:?}");
            }
        }
        for (d, disk) in w.disks() {
            if let Some(s) = disk.server.and_then(|s| w.server(s)) {
                assert!(s.system == Some(d) || s.data.contains(&d), "{at}: {d:?}");
            }
            assert_eq!(
                w.lookup(disk.name),
                Some(Res::Disk(d)),
                "{at}: name of {d:?}"
            );
        }
    }

    #[test]
    fn counters_queue_and_tables_stay_consistent_on_random_scenarios() {
        for seed in 0..150 {
            let text = generate::random(seed, 60);
            let program = Program::parse(&text);
            walk(&program, Mode::Quiet, None, |engine, step| {
                assert_consistent(&engine.world, &format!("seed {seed} line {}", step.line));
            });
        }
    }
}
