//! From what the documents say to the statements that rebuild it.
//!
//! The order of the scenario is fixed by the rules: every key is created enabled first, because
//! nothing can be created encrypted or attached with an unusable key (R-USE-NEW, R-REATTACH);
//! then the servers with their system disks, then the other disks and their attachments; the
//! keys' real states come last (R-IN-USE makes disabling a key under attached disks a warning,
//! not a failure).

use crate::date::Date;
use crate::input::{DateIn, DiskIn, EncIn, Inventory, KeyStateIn, ServerIn};
use crate::names::{clean, quoted, Names};
use crate::{Counts, ImportError, Imported, Resource, ResourceKind};
use keyline_rules::{Role, Source, Statement, DEFAULT_KEY};
use std::collections::{HashMap, HashSet};

/// The shortest and longest deletion windows `key schedule-deletion` accepts (the engine's).
const MIN_WINDOW: u64 = *keyline_rules::DELETION_WINDOW_DAYS.start() as u64;
const MAX_WINDOW: u64 = *keyline_rules::DELETION_WINDOW_DAYS.end() as u64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyKind {
    Default,
    Custom,
    /// Named by a disk, listed by no KMS document.
    Placeholder,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    Enabled,
    /// Why, for the comment.
    Disabled(String),
    Pending,
}

#[derive(Debug)]
struct KeyPlan {
    at: String,
    id: String,
    alias: Option<String>,
    kind: KeyKind,
    target: Target,
    deletion: DateIn,
    state_word: &'static str,
    name: String,
    /// Warnings, shown above its statement.
    notes: Vec<String>,
    /// Plain comments, shown above its statement.
    remarks: Vec<String>,
    users: usize,
}

#[derive(Debug)]
struct ServerPlan {
    /// Where an ECS document lists it; `None` when only an attachment names it.
    at: Option<String>,
    /// Where the first attachment naming it is, for a server no document lists.
    named_at: String,
    id: String,
    raw: Option<String>,
    status: Option<String>,
    root_device: Option<String>,
    boot_volume: Option<String>,
    /// The volumes the ECS document says are attached.
    volumes: Vec<String>,
    name: String,
    /// Bootable disks attached to it, in input order, with their device.
    candidates: Vec<(usize, Option<String>)>,
    system: Option<usize>,
    data: Vec<usize>,
    notes: Vec<String>,
}

#[derive(Debug)]
struct DiskPlan {
    input: DiskIn,
    name: String,
    key: Option<usize>,
    server: Option<usize>,
    device: Option<String>,
    notes: Vec<String>,
}

/// The scenario being written.
#[derive(Default)]
struct Script {
    text: String,
}

impl Script {
    fn line(&mut self, s: &str) {
        self.text.push_str(s);
        self.text.push('\n');
    }

    /// A statement, printed by the engine (`Statement`'s canonical line), and its comment.
    fn stmt(&mut self, s: &Statement, comment: &str) {
        self.text.push_str(&s.to_string());
        if !comment.is_empty() {
            self.text.push_str("  # ");
            self.text.push_str(comment);
        }
        self.text.push('\n');
    }

    fn note(&mut self, s: &str) {
        self.text.push_str("# ");
        self.text.push_str(s);
        self.text.push('\n');
    }

    fn warnings(&mut self, notes: &[String]) {
        for n in notes {
            self.text.push_str("# warning: ");
            self.text.push_str(n);
            self.text.push('\n');
        }
    }

    fn blank(&mut self) {
        if !self.text.ends_with("\n\n") {
            self.text.push('\n');
        }
    }
}

struct Planner {
    keys: Vec<KeyPlan>,
    key_ix: HashMap<String, usize>,
    default: Option<usize>,
    servers: Vec<ServerPlan>,
    server_ix: HashMap<String, usize>,
    disks: Vec<DiskPlan>,
    warnings: Vec<String>,
}

fn cid(id: &str) -> String {
    clean(id, 80)
}

impl Planner {
    /// Records a warning about one resource: in the list and, later, above its statement.
    fn warn(warnings: &mut Vec<String>, notes: &mut Vec<String>, at: &str, msg: String) {
        warnings.push(format!("{at}: {msg}"));
        notes.push(msg);
    }

    fn keys(&mut self, inv: &mut Inventory) {
        for k in std::mem::take(&mut inv.keys) {
            if self.key_ix.contains_key(&k.id) {
                self.warnings.push(format!(
                    "{}: key id {} is listed twice; the first one is used",
                    k.at,
                    cid(&k.id)
                ));
                continue;
            }
            let mut notes = Vec::new();
            let mut remarks = Vec::new();
            let alias_default = k.alias.as_deref() == Some(DEFAULT_KEY);
            let other_default = k
                .alias
                .as_deref()
                .is_some_and(|a| a.ends_with("/default") && a != DEFAULT_KEY);
            let is_default =
                self.default.is_none() && (alias_default || (k.default && !other_default));
            let (target, state_word) = match &k.state {
                KeyStateIn::Enabled => (Target::Enabled, "enabled (key_state 2)"),
                KeyStateIn::Disabled => (
                    Target::Disabled("disabled (key_state 3) in the input".to_owned()),
                    "disabled (key_state 3)",
                ),
                KeyStateIn::PendingDeletion => (Target::Pending, "pending deletion (key_state 4)"),
                KeyStateIn::PendingImport => (
                    Target::Disabled(
                        "pending import (key_state 5) in the input: it has no key material yet and cannot be used, so it is imported as disabled".to_owned(),
                    ),
                    "pending import (key_state 5)",
                ),
                KeyStateIn::Frozen => (
                    Target::Disabled(
                        "frozen (key_state 7) in the input: it cannot be used, so it is imported as disabled".to_owned(),
                    ),
                    "frozen (key_state 7)",
                ),
                KeyStateIn::ToBeActivated => (
                    Target::Disabled(
                        "to be activated (key_state 1) in the input: it cannot be used yet, so it is imported as disabled".to_owned(),
                    ),
                    "to be activated (key_state 1)",
                ),
                KeyStateIn::Unknown(s) => {
                    if !is_default {
                        Self::warn(
                            &mut self.warnings,
                            &mut notes,
                            &k.at,
                            format!(
                                "key_state {} is not a state Keyline knows (2 enabled, 3 disabled, 4 pending deletion, 5 pending import, 7 frozen); the key is imported enabled",
                                quoted(s)
                            ),
                        );
                    }
                    (Target::Enabled, "unknown")
                }
                KeyStateIn::Missing => {
                    if !is_default && !k.id_only {
                        Self::warn(
                            &mut self.warnings,
                            &mut notes,
                            &k.at,
                            "key_state is missing; the key is imported enabled".to_owned(),
                        );
                    }
                    (Target::Enabled, "unknown")
                }
                KeyStateIn::Unreadable => (Target::Enabled, "unknown"),
            };
            let ix = self.keys.len();
            let kind = if is_default {
                self.default = Some(ix);
                if target != Target::Enabled {
                    Self::warn(
                        &mut self.warnings,
                        &mut notes,
                        &k.at,
                        format!(
                            "the default key {DEFAULT_KEY} is {state_word} in the input, but Keyline's default key is always enabled (it cannot be disabled or scheduled for deletion); it is imported enabled"
                        ),
                    );
                }
                KeyKind::Default
            } else {
                if alias_default || (k.default && !other_default) {
                    Self::warn(
                        &mut self.warnings,
                        &mut notes,
                        &k.at,
                        format!(
                            "a second default key ({}); only the first is {DEFAULT_KEY}, this one is imported as a custom key",
                            cid(&k.id)
                        ),
                    );
                } else if other_default && k.default {
                    remarks.push(
                        "The default key of another cloud service: Keyline models only evs/default, so it is imported as a custom key.".to_owned(),
                    );
                }
                KeyKind::Custom
            };
            self.key_ix.insert(k.id.clone(), ix);
            self.keys.push(KeyPlan {
                at: k.at,
                id: k.id,
                alias: k.alias,
                kind,
                target: if is_default { Target::Enabled } else { target },
                deletion: k.deletion,
                state_word,
                name: String::new(),
                notes,
                remarks,
                users: 0,
            });
        }
    }

    fn default_key(&mut self) -> usize {
        if let Some(d) = self.default {
            return d;
        }
        let ix = self.keys.len();
        self.default = Some(ix);
        self.keys.push(KeyPlan {
            at: String::new(),
            id: String::new(),
            alias: Some(DEFAULT_KEY.to_owned()),
            kind: KeyKind::Default,
            target: Target::Enabled,
            deletion: DateIn::None,
            state_word: "enabled",
            name: DEFAULT_KEY.to_owned(),
            notes: Vec::new(),
            remarks: Vec::new(),
            users: 0,
        });
        ix
    }

    fn servers(&mut self, inv: &mut Inventory) {
        for s in std::mem::take(&mut inv.servers) {
            if self.server_ix.contains_key(&s.id) {
                self.warnings.push(format!(
                    "{}: server id {} is listed twice; the first one is used",
                    s.at,
                    cid(&s.id)
                ));
                continue;
            }
            let ServerIn {
                at,
                id,
                name,
                status,
                root_device,
                boot_volume,
                volumes,
            } = s;
            self.server_ix.insert(id.clone(), self.servers.len());
            self.servers.push(ServerPlan {
                at: Some(at),
                named_at: String::new(),
                id,
                raw: name,
                status,
                root_device,
                boot_volume,
                volumes,
                name: String::new(),
                candidates: Vec::new(),
                system: None,
                data: Vec::new(),
                notes: Vec::new(),
            });
        }
    }

    /// The server an attachment names (`at`: where), created when no document lists it.
    fn server_for(&mut self, id: &str, at: &str) -> usize {
        if let Some(&s) = self.server_ix.get(id) {
            return s;
        }
        let ix = self.servers.len();
        self.server_ix.insert(id.to_owned(), ix);
        self.servers.push(ServerPlan {
            at: None,
            named_at: at.to_owned(),
            id: id.to_owned(),
            raw: None,
            status: None,
            root_device: None,
            boot_volume: None,
            volumes: Vec::new(),
            name: String::new(),
            candidates: Vec::new(),
            system: None,
            data: Vec::new(),
            notes: Vec::new(),
        });
        ix
    }

    fn disks(&mut self, inv: &mut Inventory) {
        let mut seen: HashSet<String> = HashSet::new();
        for d in std::mem::take(&mut inv.disks) {
            if !seen.insert(d.id.clone()) {
                self.warnings.push(format!(
                    "{}: disk id {} is listed twice; the first one is used",
                    d.at,
                    cid(&d.id)
                ));
                continue;
            }
            let ix = self.disks.len();
            let mut notes = Vec::new();
            let key = match &d.enc {
                EncIn::None => None,
                EncIn::KeyMissing => {
                    Self::warn(
                        &mut self.warnings,
                        &mut notes,
                        &d.at,
                        format!(
                            "metadata.__system__encrypted is \"1\" but metadata.__system__cmkid is missing; the disk is imported encrypted with {DEFAULT_KEY}, the key EVS uses when none is named"
                        ),
                    );
                    Some(self.default_key())
                }
                EncIn::Key(id) => Some(match self.key_ix.get(id) {
                    Some(&k) => k,
                    None => {
                        let k = self.keys.len();
                        self.key_ix.insert(id.clone(), k);
                        self.keys.push(KeyPlan {
                            at: d.at.clone(),
                            id: id.clone(),
                            alias: None,
                            kind: KeyKind::Placeholder,
                            target: Target::Enabled,
                            deletion: DateIn::None,
                            state_word: "unknown",
                            name: String::new(),
                            notes: Vec::new(),
                            remarks: Vec::new(),
                            users: 0,
                        });
                        k
                    }
                }),
            };
            if let Some(k) = key.and_then(|k| self.keys.get_mut(k)) {
                k.users += 1;
            }
            let mut server = None;
            let mut device = None;
            let mut atts = d.attachments.iter();
            if let Some(a) = atts.next() {
                let s =
                    self.server_for(&a.server_id, &format!("{}.attachments[{}]", d.at, a.index));
                server = Some(s);
                device.clone_from(&a.device);
                let others: Vec<String> = atts
                    .filter(|b| b.server_id != a.server_id)
                    .map(|b| cid(&b.server_id))
                    .collect();
                if !others.is_empty() {
                    Self::warn(
                        &mut self.warnings,
                        &mut notes,
                        &d.at,
                        format!(
                            "the disk is attached to {} servers (a shared disk); Keyline attaches a disk to one server, so only the attachment to {} is imported (not {})",
                            others.len() + 1,
                            cid(&a.server_id),
                            others.join(", ")
                        ),
                    );
                }
                if let Some(sp) = self.servers.get_mut(s) {
                    if d.bootable {
                        sp.candidates.push((ix, a.device.clone()));
                    } else {
                        sp.data.push(ix);
                    }
                }
            } else if d.status.as_deref() == Some("in-use") {
                Self::warn(
                    &mut self.warnings,
                    &mut notes,
                    &d.at,
                    "status is \"in-use\" but no attachment is listed; the disk is imported detached".to_owned(),
                );
            }
            match d.status.as_deref() {
                None | Some("available" | "in-use") => {}
                Some(other) => Self::warn(
                    &mut self.warnings,
                    &mut notes,
                    &d.at,
                    format!(
                        "status {} in the input (not available or in-use); the disk is imported as it is listed",
                        quoted(other)
                    ),
                ),
            }
            self.disks.push(DiskPlan {
                input: d,
                name: String::new(),
                key,
                server,
                device,
                notes,
            });
        }
    }

    /// A bootable disk attached to a server is its system disk; with several, the one the
    /// server boots from (`bootIndex` 0, its root device, or `/dev/[xv|s|h]da`), else the first.
    fn system_disks(&mut self) {
        for s in &mut self.servers {
            let cands = std::mem::take(&mut s.candidates);
            if cands.is_empty() {
                continue;
            }
            let disk_id = |ix: usize| self.disks.get(ix).map(|d| d.input.id.as_str());
            let root = |dev: &Option<String>| -> bool {
                match (dev.as_deref(), s.root_device.as_deref()) {
                    (Some(d), Some(r)) => d == r,
                    _ => false,
                }
            };
            let usual = |dev: &Option<String>| {
                matches!(
                    dev.as_deref(),
                    Some("/dev/vda" | "/dev/sda" | "/dev/xvda" | "/dev/hda")
                )
            };
            let pick = cands
                .iter()
                .position(|(ix, _)| {
                    s.boot_volume.is_some() && disk_id(*ix) == s.boot_volume.as_deref()
                })
                .or_else(|| cands.iter().position(|(_, dev)| root(dev)))
                .or_else(|| cands.iter().position(|(_, dev)| usual(dev)))
                .unwrap_or(0);
            for (n, (ix, _)) in cands.iter().enumerate() {
                if n == pick {
                    s.system = Some(*ix);
                } else {
                    s.data.push(*ix);
                    if let Some(d) = self.disks.get_mut(*ix) {
                        let msg = format!(
                            "the disk is bootable, but server {} already boots from another bootable disk; it is imported as a data disk",
                            cid(&s.id)
                        );
                        self.warnings.push(format!("{}: {msg}", d.input.at));
                        d.notes.push(msg);
                    }
                }
            }
            // Data disks attach in the order the input lists them.
            s.data.sort_unstable();
        }
    }

    /// Volumes a server lists as attached that no EVS document lists: the disk list is
    /// incomplete (another page, another project), so the server is imported without them.
    fn missing_volumes(&mut self) {
        let known: HashSet<&str> = self.disks.iter().map(|d| d.input.id.as_str()).collect();
        for s in &mut self.servers {
            let missing: Vec<String> = s
                .volumes
                .iter()
                .filter(|v| !known.contains(v.as_str()))
                .map(|v| cid(v))
                .collect();
            if missing.is_empty() {
                continue;
            }
            let shown: Vec<&str> = missing.iter().take(5).map(String::as_str).collect();
            let more = if missing.len() > 5 { ", …" } else { "" };
            let msg = format!(
                "the server lists {} attached that no EVS document lists ({}{more}); it is imported without {}",
                plural(missing.len(), "volume", "volumes"),
                shown.join(", "),
                if missing.len() == 1 { "it" } else { "them" }
            );
            let at = s.at.clone().unwrap_or_default();
            self.warnings.push(format!("{at}: {msg}"));
            s.notes.push(msg);
        }
    }

    fn name_everything(&mut self, names: &mut Names) {
        for k in &mut self.keys {
            k.name = match k.kind {
                KeyKind::Default => DEFAULT_KEY.to_owned(),
                KeyKind::Custom => names.take(
                    k.alias.as_deref().unwrap_or(""),
                    &format!("key-{}", k.id),
                    "key",
                ),
                KeyKind::Placeholder => names.take(&format!("key-{}", k.id), "", "key"),
            };
        }
        for s in &mut self.servers {
            s.name = names.take(s.raw.as_deref().unwrap_or(""), &s.id, "server");
        }
        for d in &mut self.disks {
            d.name = names.take(d.input.name.as_deref().unwrap_or(""), &d.input.id, "disk");
        }
    }
}

/// `# id …` plus the cloud name when it had to change.
fn id_comment(id: &str, raw: Option<&str>, name: &str) -> String {
    match raw {
        Some(r) if r != name => format!("id {}, named {} in the cloud", cid(id), quoted(r)),
        _ => format!("id {}", cid(id)),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

pub(crate) fn build(mut inv: Inventory, today_arg: Option<Date>) -> Result<Imported, ImportError> {
    let mut p = Planner {
        keys: Vec::new(),
        key_ix: HashMap::new(),
        default: None,
        servers: Vec::new(),
        server_ix: HashMap::new(),
        disks: Vec::new(),
        warnings: std::mem::take(&mut inv.warnings),
    };
    let listed = inv.keys.len() + inv.disks.len() + inv.servers.len();
    if inv.recognised == 0 || (listed == 0 && inv.skipped > 0) {
        let mut problems = p.warnings;
        if problems.is_empty() {
            problems.push("no document holds key_details, volumes or servers".to_owned());
        }
        return Err(ImportError::NothingImported { problems });
    }
    let evs_docs = inv.evs_docs;
    let ecs_docs = inv.ecs_docs;
    p.keys(&mut inv);
    p.servers(&mut inv);
    p.disks(&mut inv);
    p.system_disks();
    if evs_docs > 0 {
        p.missing_volumes();
    }

    // Placeholder keys: one warning each, naming who uses them.
    for k in &mut p.keys {
        if k.kind == KeyKind::Placeholder {
            let msg = format!(
                "key id {} is used by {} but no KMS document lists it; a placeholder key is created enabled (add the KMS key list with details to import its alias and state)",
                cid(&k.id),
                plural(k.users, "disk", "disks")
            );
            p.warnings.push(format!("{}: {msg}", k.at));
            k.notes.push(msg);
        }
    }

    let mut names = Names::new();
    p.name_everything(&mut names);

    // Today, for days left.
    let today = today_arg.or(inv.newest);
    let today_source = if today_arg.is_some() {
        "given with --today"
    } else {
        "the newest date in the input"
    };

    let mut out = Script::default();
    let key_count = p.keys.len();
    let title_sources = {
        let mut s: Vec<String> = inv
            .sources
            .iter()
            .take(3)
            .map(|n| n.replace('#', "-"))
            .collect();
        if inv.sources.len() > 3 {
            s.push(format!("and {} more", inv.sources.len() - 3));
        }
        s.join(", ")
    };
    out.line(&format!(
        "title Imported from {title_sources}: {}, {}, {}",
        plural(key_count, "key", "keys"),
        plural(p.servers.len(), "server", "servers"),
        plural(p.disks.len(), "disk", "disks")
    ));
    out.note("Written by `keyline import` from the cloud's API responses: it rebuilds the account's keys, servers and disks as listed.");
    if let Some(t) = today {
        out.note(&format!(
            "Today is {t} ({today_source}); days left until a key's deletion count from it."
        ));
    }
    out.stmt(
        &Statement::Role(Role::SecurityAdmin),
        "only a security administrator can grant EVS access to KMS",
    );
    out.stmt(
        &Statement::KmsGrant,
        "needed to create encrypted disks (R-GRANT)",
    );
    if evs_docs == 0 && !p.servers.is_empty() {
        let msg = "no EVS disk list in the input: the servers are imported without their disks (so without system disks, and stopped)".to_owned();
        p.warnings.push(msg.clone());
        out.warnings(&[msg]);
    }

    // Keys: all enabled now, real states at the end.
    let default_used = p
        .disks
        .iter()
        .any(|d| d.key.is_some() && d.key == p.default);
    if !p.keys.is_empty() {
        out.blank();
        out.note("Keys, all created enabled: a disk cannot be created or attached with an unusable key (R-USE-NEW, R-REATTACH), so the states from the input are set at the end.");
    }
    for k in &p.keys {
        out.warnings(&k.notes);
        for r in &k.remarks {
            out.note(r);
        }
        match k.kind {
            KeyKind::Default => {
                let id = if k.id.is_empty() {
                    "not in the input".to_owned()
                } else {
                    format!("id {}", cid(&k.id))
                };
                if default_used {
                    out.note(&format!(
                        "key {DEFAULT_KEY} ({id}) is the default key: it cannot be created with `key create`; it comes into existence with its first use below."
                    ));
                }
            }
            KeyKind::Custom | KeyKind::Placeholder => {
                let mut c = id_comment(&k.id, k.alias.as_deref(), &k.name);
                if k.kind == KeyKind::Placeholder {
                    c.push_str(", not in any KMS document");
                } else if k.target != Target::Enabled {
                    c.push_str(&format!(", {} in the input", k.state_word));
                }
                out.stmt(&Statement::KeyCreate(k.name.clone()), &c);
            }
        }
    }
    let mut images = 0usize;
    if let (Some(d), false) = (p.default, default_used) {
        if let Some(k) = p.keys.get(d) {
            let probe = names.take("evs-default-probe", "", "disk");
            out.note(&format!(
                "key {DEFAULT_KEY} (id {}) is the default key: it comes into existence with its first use, and no disk in the input uses it, so a disk created with it is deleted again.",
                cid(&k.id)
            ));
            out.stmt(
                &Statement::DiskCreate {
                    disk: probe.clone(),
                    from: None,
                    key: Some(DEFAULT_KEY.to_owned()),
                },
                "brings evs/default into existence",
            );
            out.stmt(&Statement::DiskDelete(probe), "");
        }
    }

    // Servers and their system disks.
    if !p.servers.is_empty() {
        out.blank();
        out.note("Servers, each with its system disk.");
    }
    let key_name = |k: Option<usize>| -> Option<String> {
        k.and_then(|k| p.keys.get(k)).map(|k| k.name.clone())
    };
    for s in &mut p.servers {
        let stopped = match s.status.as_deref() {
            Some("ACTIVE") => false,
            Some("SHUTOFF") => true,
            None => false,
            Some(other) => {
                let msg = format!(
                    "status {} is neither ACTIVE nor SHUTOFF; the server is imported running",
                    quoted(other)
                );
                let at = s.at.clone().unwrap_or_default();
                p.warnings.push(format!("{at}: {msg}"));
                s.notes.push(msg);
                false
            }
        };
        let mut comment = id_comment(&s.id, s.raw.as_deref(), &s.name);
        if s.at.is_none() {
            comment.push_str(", named only by a disk attachment");
            if s.system.is_some() {
                comment.push_str(" (its power state is not in the input: imported running)");
            }
            if ecs_docs > 0 {
                let msg = format!(
                    "server {} is named by a disk attachment but no ECS document lists it; it is created under its id",
                    cid(&s.id)
                );
                p.warnings.push(format!("{}: {msg}", s.named_at));
                s.notes.push(msg);
            }
        }
        out.warnings(&s.notes);
        match s.system.and_then(|d| p.disks.get(d)) {
            Some(d) => {
                let sys = format!(
                    "system disk {}",
                    id_comment(&d.input.id, d.input.name.as_deref(), &d.name)
                );
                out.warnings(&d.notes);
                match key_name(d.key) {
                    Some(kn) => {
                        let img = names.take(&format!("{}-img", s.name), "", "image");
                        images += 1;
                        out.note(&format!(
                            "The system disk of {} is encrypted with key {kn}. `server create` takes a system disk's encryption from its image (R-SYS-IMAGE), so an image encrypted with that key comes first.",
                            s.name
                        ));
                        out.stmt(
                            &Statement::ImageImport {
                                image: img.clone(),
                                key: Some(kn.clone()),
                            },
                            "an image only for this, not in the input",
                        );
                        out.stmt(
                            &Statement::ServerCreate {
                                server: s.name.clone(),
                                source: Some(Source::Image(img)),
                                system_disk: Some(d.name.clone()),
                            },
                            &format!("{comment}; {sys}"),
                        );
                    }
                    None => out.stmt(
                        &Statement::ServerCreate {
                            server: s.name.clone(),
                            source: None,
                            system_disk: Some(d.name.clone()),
                        },
                        &format!("{comment}; {sys}"),
                    ),
                }
            }
            None => {
                let tmp = names.take(&format!("{}-sys", s.name), "", "disk");
                if !stopped && s.at.is_some() && s.status.is_some() && evs_docs > 0 {
                    let msg = format!(
                        "server {} is running in the input, but no bootable disk attached to it is listed, so it has no system disk here, and a server without one is stopped",
                        cid(&s.id)
                    );
                    let at = s.at.clone().unwrap_or_default();
                    p.warnings.push(format!("{at}: {msg}"));
                    out.warnings(&[msg]);
                }
                out.note(&format!(
                    "No bootable disk attached to {} is in the input. `server create` gives it a system disk; it is removed again so the disks are those of the input, and a server without a system disk stays stopped.",
                    s.name
                ));
                out.stmt(
                    &Statement::ServerCreate {
                        server: s.name.clone(),
                        source: None,
                        system_disk: Some(tmp.clone()),
                    },
                    &comment,
                );
                out.stmt(&Statement::ServerStop(s.name.clone()), "");
                out.stmt(&Statement::Detach(tmp.clone()), "");
                out.stmt(&Statement::DiskDelete(tmp), "");
                continue;
            }
        }
        if stopped {
            out.stmt(
                &Statement::ServerStop(s.name.clone()),
                "SHUTOFF in the input",
            );
        }
    }

    // Data disks and detached disks.
    let system: HashSet<usize> = p.servers.iter().filter_map(|s| s.system).collect();
    if p.disks.len() > system.len() {
        out.blank();
        out.note("Disks, then their attachments.");
    }
    for (ix, d) in p.disks.iter().enumerate() {
        if system.contains(&ix) {
            continue;
        }
        out.warnings(&d.notes);
        let mut c = id_comment(&d.input.id, d.input.name.as_deref(), &d.name);
        if let Some(snap) = &d.input.snapshot_id {
            c.push_str(&format!(
                "; created from snapshot {} (not in the input, so created empty)",
                cid(snap)
            ));
        } else if let Some(src) = &d.input.source_volid {
            c.push_str(&format!(
                "; cloned from disk {} (created empty here)",
                cid(src)
            ));
        }
        out.stmt(
            &Statement::DiskCreate {
                disk: d.name.clone(),
                from: None,
                key: key_name(d.key),
            },
            &c,
        );
        if let Some(s) = d.server.and_then(|s| p.servers.get(s)) {
            let c = d
                .device
                .as_deref()
                .map(|dev| format!("at {}", clean(dev, 40)))
                .unwrap_or_default();
            out.stmt(
                &Statement::Attach {
                    disk: d.name.clone(),
                    server: s.name.clone(),
                    system: false,
                },
                &c,
            );
        }
    }

    // Key states, last.
    let mut pending: Vec<(usize, u64, String)> = Vec::new();
    let disabled: Vec<usize> = (0..p.keys.len())
        .filter(|&i| matches!(p.keys.get(i).map(|k| &k.target), Some(Target::Disabled(_))))
        .collect();
    for (i, k) in p.keys.iter_mut().enumerate() {
        if k.target != Target::Pending {
            continue;
        }
        let mut warn = |msg: String| {
            p.warnings.push(format!("{}: {msg}", k.at));
            k.notes.push(msg);
        };
        let (left, why) = match (&k.deletion, today) {
            (DateIn::Date(d), Some(t)) => {
                let left = d.days_since(t);
                if left < 1 {
                    warn(format!(
                        "scheduled_deletion_date {d} is not after today ({t}), yet the key is still pending deletion; it is imported with 1 day left"
                    ));
                    (1, format!("deletion on {d}"))
                } else if left > MAX_WINDOW as i64 {
                    warn(format!(
                        "scheduled_deletion_date {d} is {left} days after today ({t}), more than the longest window ({MAX_WINDOW} days); it is imported with {MAX_WINDOW} days left"
                    ));
                    (MAX_WINDOW, format!("deletion on {d}"))
                } else {
                    (
                        left.unsigned_abs(),
                        format!("deletion on {d}, {left} days after {t}"),
                    )
                }
            }
            (DateIn::Date(d), None) => {
                warn(format!(
                    "no date in the input to count days left from (pass --today); the deletion on {d} is imported with {MIN_WINDOW} days left"
                ));
                (MIN_WINDOW, format!("deletion on {d}"))
            }
            (DateIn::None, _) => {
                warn(format!(
                    "key_state is 4 (pending deletion) but scheduled_deletion_date is missing; it is imported with {MIN_WINDOW} days left"
                ));
                (MIN_WINDOW, "deletion date not in the input".to_owned())
            }
            (DateIn::Bad(raw), _) => {
                warn(format!(
                    "scheduled_deletion_date {raw} is not a date (ISO or epoch milliseconds); it is imported with {MIN_WINDOW} days left"
                ));
                (MIN_WINDOW, "deletion date unreadable".to_owned())
            }
        };
        pending.push((i, left, why));
    }
    if !disabled.is_empty() || !pending.is_empty() {
        out.blank();
        out.note("Key states from the input, set after the disks: attaching a disk with an unusable key fails (R-REATTACH), while disabling a key that attached disks use only warns (R-IN-USE).");
    }
    for i in disabled {
        if let Some(k) = p.keys.get(i) {
            out.warnings(&k.notes);
            if let Target::Disabled(why) = &k.target {
                out.stmt(&Statement::KeyDisable(k.name.clone()), why);
            }
        }
    }
    // Windows shorter than 7 days: schedule with 7 days, earliest first, and let the clock
    // run so that each has the days left the input shows.
    let min_short = pending
        .iter()
        .filter(|(_, l, _)| *l < MIN_WINDOW)
        .map(|(_, l, _)| *l)
        .min();
    let mut short: Vec<&(usize, u64, String)> =
        pending.iter().filter(|(_, l, _)| *l < MIN_WINDOW).collect();
    short.sort_by_key(|(_, l, _)| *l);
    let mut clock = 0u64;
    if let Some(min) = min_short {
        let total_wait = MIN_WINDOW - min;
        for (i, left, why) in short {
            let Some(k) = p.keys.get(*i) else { continue };
            let at = left - min;
            if at > clock {
                out.stmt(
                    &Statement::Wait(at - clock),
                    "so that each key below ends with the days left the input shows",
                );
                clock = at;
            }
            out.warnings(&k.notes);
            out.note(&format!(
                "Key {} has {} left, fewer than the shortest window `key schedule-deletion` accepts ({MIN_WINDOW} days): it is scheduled with {MIN_WINDOW} days, and the clock moves on until {left} remain.",
                k.name,
                plural(*left as usize, "day", "days")
            ));
            out.stmt(
                &Statement::KeyScheduleDeletion(k.name.clone(), MIN_WINDOW as i64),
                &format!("pending deletion (key_state 4): {why}"),
            );
        }
        if total_wait > clock {
            out.stmt(
                &Statement::Wait(total_wait - clock),
                &format!(
                    "the keys above now have the days left the input shows (day {total_wait})"
                ),
            );
        }
    }
    for (i, left, why) in pending.iter().filter(|(_, l, _)| *l >= MIN_WINDOW) {
        if let Some(k) = p.keys.get(*i) {
            out.warnings(&k.notes);
            out.stmt(
                &Statement::KeyScheduleDeletion(k.name.clone(), *left as i64),
                &format!("pending deletion (key_state 4): {why}"),
            );
        }
    }

    let mut resources = Vec::with_capacity(p.keys.len() + p.servers.len() + p.disks.len());
    for k in &p.keys {
        if !k.id.is_empty() {
            resources.push(Resource {
                kind: ResourceKind::Key,
                id: k.id.clone(),
                name: k.name.clone(),
            });
        }
    }
    for s in &p.servers {
        resources.push(Resource {
            kind: ResourceKind::Server,
            id: s.id.clone(),
            name: s.name.clone(),
        });
    }
    for d in &p.disks {
        resources.push(Resource {
            kind: ResourceKind::Disk,
            id: d.input.id.clone(),
            name: d.name.clone(),
        });
    }
    if p.keys.is_empty() && p.servers.is_empty() && p.disks.is_empty() {
        p.warnings
            .push("the documents list no keys, disks or servers".to_owned());
    }
    Ok(Imported {
        scenario: out.text,
        warnings: p.warnings,
        counts: Counts {
            documents: inv.recognised,
            keys: key_count,
            servers: p.servers.len(),
            disks: p.disks.len(),
            images,
            skipped: inv.skipped,
        },
        resources,
        today,
        plan: None,
    })
}
