//! The "Add step" palette: every statement and expectation of SPEC §2 as a small form, so a
//! learner never has to know the syntax. The fields offer the names of the right kind that exist
//! in the current state, new names are prefilled with a fresh unused one, and the line the form
//! will insert is previewed live.
//!
//! The text of a statement is built by the pure [`render`] from the [`Fields`] that [`form`]
//! resolves; the component only wires them to the DOM.

use crate::state::{Action, Dispatch};
use keyline_rules::{
    is_valid_name, Code, Health, KeyState, Kind, Outcome, Power, Report, StateView, Step,
    DEFAULT_KEY,
};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The values of a form, by field id (see the `F_*` constants). A missing value is empty.
pub type Fields = BTreeMap<&'static str, String>;

/// Field ids.
pub const F_NAME: &str = "name";
pub const F_ROLE: &str = "role";
pub const F_KEY: &str = "key";
pub const F_DAYS: &str = "days";
pub const F_IMAGE: &str = "image";
pub const F_SERVER: &str = "server";
pub const F_LAUNCH: &str = "launch";
pub const F_CONFIG: &str = "config";
pub const F_SYSTEM_DISK: &str = "system-disk";
pub const F_DISK: &str = "disk";
pub const F_SOURCE: &str = "source";
pub const F_SNAPSHOT: &str = "snapshot";
pub const F_BACKUP: &str = "backup";
pub const F_ENCRYPT: &str = "encrypt";
pub const F_AS_SYSTEM: &str = "as-system";
pub const F_OUTCOME: &str = "outcome";
pub const F_CODE: &str = "code";
pub const F_RESOURCE: &str = "resource";
pub const F_HEALTH: &str = "health";
pub const F_STATE: &str = "state";
pub const F_KIND: &str = "kind";
pub const F_COUNT: &str = "count";

/// Values of the choice fields that are not names.
pub const LAUNCH_PUBLIC: &str = "public";
pub const LAUNCH_IMAGE: &str = "image";
pub const LAUNCH_CONFIG: &str = "config";
pub const SOURCE_EMPTY: &str = "empty";
pub const SOURCE_SNAPSHOT: &str = "from-snapshot";
pub const SOURCE_BACKUP: &str = "from-backup";
/// The value of a checked checkbox.
pub const CHECKED: &str = "true";

macro_rules! templates {
    ($($variant:ident = $id:literal, $group:literal, $label:literal, $about:literal;)*) => {
        /// One statement or expectation form of SPEC §2.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Template { $($variant),* }

        impl Template {
            /// Every form, in the order the palette lists them.
            pub const ALL: &'static [Template] = &[$(Template::$variant),*];

            /// The value of its `<option>`.
            pub const fn id(self) -> &'static str {
                match self { $(Template::$variant => $id),* }
            }

            /// The `<optgroup>` it is listed under.
            pub const fn group(self) -> &'static str {
                match self { $(Template::$variant => $group),* }
            }

            /// The text of its `<option>`.
            pub const fn label(self) -> &'static str {
                match self { $(Template::$variant => $label),* }
            }

            /// One sentence on what it does.
            pub const fn about(self) -> &'static str {
                match self { $(Template::$variant => $about),* }
            }
        }
    };
}

templates! {
    Role = "role", "Account", "role — act as a member or a security admin",
        "Sets who is acting. Only a security-admin can grant KMS access.";
    KmsGrant = "kms-grant", "Account", "kms grant — give EVS access to KMS",
        "Needed before any disk can be created encrypted; only a security-admin may do it.";
    KeyCreate = "key-create", "Keys", "key create — a new custom key",
        "Creates a customer master key (CMK), enabled.";
    KeyDisable = "key-disable", "Keys", "key disable",
        "Makes an enabled key unavailable. Attached disks keep working but are at risk.";
    KeyEnable = "key-enable", "Keys", "key enable",
        "Makes a disabled key usable again.";
    KeyScheduleDeletion = "key-schedule-deletion", "Keys", "key schedule-deletion",
        "The key becomes unavailable at once and is deleted after 7 to 1096 days.";
    KeyCancelDeletion = "key-cancel-deletion", "Keys", "key cancel-deletion",
        "Stops a scheduled deletion; the key is left disabled.";
    Wait = "wait", "Clock", "wait — let days pass",
        "Advances the clock; keys whose deletion day is reached are deleted.";
    ImageImport = "image-import", "Images", "image import — from an image file",
        "Imports an external image file, encrypted with the key you choose or not.";
    ImageCreate = "image-create", "Images", "image create — from a server",
        "Makes an image of a server's system disk, with that disk's encryption.";
    ServerCreate = "server-create", "Servers", "server create",
        "Launches a running server from the public image, an image or an Auto Scaling configuration.";
    ServerStop = "server-stop", "Servers", "server stop",
        "Stops a server; its disks stay attached.";
    ServerStart = "server-start", "Servers", "server start",
        "Starts a stopped server; it needs a system disk.";
    ServerDelete = "server-delete", "Servers", "server delete",
        "Deletes a server and its system disk, and detaches its data disks.";
    DiskCreate = "disk-create", "Disks", "disk create — empty, from a snapshot or a backup",
        "Creates a detached data disk. Only an empty disk takes its encryption from you.";
    DiskEncrypt = "disk-encrypt", "Disks", "disk encrypt",
        "Tries to change a disk's encryption, which is fixed at creation: it always fails.";
    DiskDecrypt = "disk-decrypt", "Disks", "disk decrypt",
        "Tries to remove a disk's encryption, which is fixed at creation: it always fails.";
    DiskDelete = "disk-delete", "Disks", "disk delete",
        "Deletes a detached disk and its snapshots (not its backups).";
    Attach = "attach", "Attach", "attach — a disk to a server",
        "Attaches a detached disk as a data disk, or as the system disk of a stopped server.";
    Detach = "detach", "Attach", "detach — a disk from its server",
        "Detaches a disk. A system disk can be detached only while its server is stopped.";
    SnapshotCreate = "snapshot-create", "Snapshots and backups", "snapshot create",
        "Takes a snapshot of a disk, with the disk's encryption.";
    SnapshotDelete = "snapshot-delete", "Snapshots and backups", "snapshot delete",
        "Deletes a snapshot.";
    BackupCreate = "backup-create", "Snapshots and backups", "backup create",
        "Backs a disk up, with the disk's encryption.";
    BackupDelete = "backup-delete", "Snapshots and backups", "backup delete",
        "Deletes a backup.";
    ConfigCreate = "config-create", "Auto Scaling", "config create — from a server",
        "Creates an Auto Scaling configuration that copies the server's image and disk encryption.";
    ExpectOutcome = "expect-outcome", "Expectations", "expect ok / warn / fail",
        "Checks the outcome of the nearest statement above it.";
    ExpectEncrypted = "expect-encrypted", "Expectations", "expect … encrypted",
        "Checks that a resource is encrypted with a key (a server or config: its system disk).";
    ExpectUnencrypted = "expect-unencrypted", "Expectations", "expect … unencrypted",
        "Checks that a resource is not encrypted (a server or config: its system disk).";
    ExpectAttached = "expect-attached", "Expectations", "expect … attached",
        "Checks that a disk is attached to a server.";
    ExpectDetached = "expect-detached", "Expectations", "expect … detached",
        "Checks that a disk is detached.";
    ExpectHealth = "expect-health", "Expectations", "expect … health",
        "Checks a disk's health.";
    ExpectKeyState = "expect-key-state", "Expectations", "expect … state",
        "Checks a key's state.";
    ExpectCount = "expect-count", "Expectations", "expect count",
        "Checks how many resources of a kind exist (keys in every state).";
}

impl Template {
    /// The form whose `<option>` has this value.
    pub fn from_id(id: &str) -> Option<Template> {
        Template::ALL.iter().copied().find(|t| t.id() == id)
    }

    /// Whether it is an `expect` line rather than a statement.
    pub const fn is_expectation(self) -> bool {
        matches!(
            self,
            Template::ExpectOutcome
                | Template::ExpectEncrypted
                | Template::ExpectUnencrypted
                | Template::ExpectAttached
                | Template::ExpectDetached
                | Template::ExpectHealth
                | Template::ExpectKeyState
                | Template::ExpectCount
        )
    }
}

/// A field's value, or a `<placeholder>` when it is empty.
fn word<'a>(f: &'a Fields, id: &'static str, placeholder: &'a str) -> &'a str {
    match f.get(id).map(|v| v.trim()) {
        Some(v) if !v.is_empty() => v,
        _ => placeholder,
    }
}

/// A field's value when it is set.
fn opt<'a>(f: &'a Fields, id: &'static str) -> Option<&'a str> {
    f.get(id).map(|v| v.trim()).filter(|v| !v.is_empty())
}

/// The scenario line a form inserts. Empty required fields show as `<what>`.
pub fn render(t: Template, f: &Fields) -> String {
    use Template as T;
    let name = |p| word(f, F_NAME, p);
    let key = || word(f, F_KEY, "<key>");
    let server = || word(f, F_SERVER, "<server>");
    let disk = || word(f, F_DISK, "<disk>");
    let days = || word(f, F_DAYS, "<days>");
    let encrypt = || {
        opt(f, F_ENCRYPT)
            .map(|k| format!(" encrypt {k}"))
            .unwrap_or_default()
    };
    match t {
        T::Role => format!("role {}", word(f, F_ROLE, "<role>")),
        T::KmsGrant => "kms grant".to_owned(),
        T::KeyCreate => format!("key create {}", name("<key>")),
        T::KeyDisable => format!("key disable {}", key()),
        T::KeyEnable => format!("key enable {}", key()),
        T::KeyScheduleDeletion => format!("key schedule-deletion {} {}", key(), days()),
        T::KeyCancelDeletion => format!("key cancel-deletion {}", key()),
        T::Wait => format!("wait {}", days()),
        T::ImageImport => format!("image import {}{}", name("<image>"), encrypt()),
        T::ImageCreate => format!("image create {} from-server {}", name("<image>"), server()),
        T::ServerCreate => {
            let mut line = format!("server create {}", name("<server>"));
            match opt(f, F_LAUNCH) {
                Some(LAUNCH_IMAGE) => {
                    line.push_str(" image ");
                    line.push_str(word(f, F_IMAGE, "<image>"));
                }
                Some(LAUNCH_CONFIG) => {
                    line.push_str(" config ");
                    line.push_str(word(f, F_CONFIG, "<config>"));
                }
                _ => {}
            }
            if let Some(d) = opt(f, F_SYSTEM_DISK) {
                line.push_str(" system-disk ");
                line.push_str(d);
            }
            line
        }
        T::ServerStop => format!("server stop {}", server()),
        T::ServerStart => format!("server start {}", server()),
        T::ServerDelete => format!("server delete {}", server()),
        T::DiskCreate => {
            let mut line = format!("disk create {}", name("<disk>"));
            match opt(f, F_SOURCE) {
                Some(SOURCE_SNAPSHOT) => {
                    line.push_str(" from-snapshot ");
                    line.push_str(word(f, F_SNAPSHOT, "<snapshot>"));
                }
                Some(SOURCE_BACKUP) => {
                    line.push_str(" from-backup ");
                    line.push_str(word(f, F_BACKUP, "<backup>"));
                }
                _ => {}
            }
            line.push_str(&encrypt());
            line
        }
        T::DiskEncrypt => format!("disk encrypt {} {}", disk(), key()),
        T::DiskDecrypt => format!("disk decrypt {}", disk()),
        T::DiskDelete => format!("disk delete {}", disk()),
        T::Attach => {
            let system = if opt(f, F_AS_SYSTEM) == Some(CHECKED) {
                " as system"
            } else {
                ""
            };
            format!("attach {} {}{system}", disk(), server())
        }
        T::Detach => format!("detach {}", disk()),
        T::SnapshotCreate => format!("snapshot create {} disk {}", name("<snapshot>"), disk()),
        T::SnapshotDelete => format!("snapshot delete {}", word(f, F_SNAPSHOT, "<snapshot>")),
        T::BackupCreate => format!("backup create {} disk {}", name("<backup>"), disk()),
        T::BackupDelete => format!("backup delete {}", word(f, F_BACKUP, "<backup>")),
        T::ConfigCreate => format!(
            "config create {} from-server {}",
            name("<config>"),
            server()
        ),
        T::ExpectOutcome => match opt(f, F_OUTCOME) {
            Some(o @ ("warn" | "fail")) => match opt(f, F_CODE) {
                Some(code) => format!("expect {o} {code}"),
                None => format!("expect {o}"),
            },
            Some(o) => format!("expect {o}"),
            None => "expect <outcome>".to_owned(),
        },
        T::ExpectEncrypted => format!(
            "expect {} encrypted {}",
            word(f, F_RESOURCE, "<resource>"),
            key()
        ),
        T::ExpectUnencrypted => format!("expect {} unencrypted", word(f, F_RESOURCE, "<resource>")),
        T::ExpectAttached => format!("expect {} attached {}", disk(), server()),
        T::ExpectDetached => format!("expect {} detached", disk()),
        T::ExpectHealth => format!("expect {} health {}", disk(), word(f, F_HEALTH, "<health>")),
        T::ExpectKeyState => format!("expect {} state {}", key(), word(f, F_STATE, "<state>")),
        T::ExpectCount => format!(
            "expect count {} {}",
            word(f, F_COUNT, "<n>"),
            word(f, F_KIND, "<kind>")
        ),
    }
}

/// Every name in the state, of every kind (and the `-sys` disks servers would create).
pub fn names_in_use(state: &StateView) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    names.extend(state.keys.iter().map(|k| k.name.clone()));
    names.extend(state.images.iter().map(|i| i.name.clone()));
    names.extend(state.servers.iter().map(|s| s.name.clone()));
    names.extend(state.disks.iter().map(|d| d.name.clone()));
    names.extend(state.snapshots.iter().map(|s| s.name.clone()));
    names.extend(state.backups.iter().map(|b| b.name.clone()));
    names.extend(state.configs.iter().map(|c| c.name.clone()));
    names
}

/// The first of `prefix1`, `prefix2`, … (for servers: `web`, `web2`, … whose `-sys` disk is free
/// too) that no resource of the state uses.
pub fn fresh_name(t: Template, state: &StateView) -> String {
    let used = names_in_use(state);
    fresh_name_among(t, |n| used.contains(n))
}

/// Like [`fresh_name`], avoiding every name for which `used` is true.
pub fn fresh_name_among(t: Template, used: impl Fn(&str) -> bool) -> String {
    let prefix = match t {
        Template::KeyCreate => "k",
        Template::ImageImport | Template::ImageCreate => "img",
        Template::ServerCreate => "web",
        Template::SnapshotCreate => "s",
        Template::BackupCreate => "b",
        Template::ConfigCreate => "cfg",
        _ => "d",
    };
    let server = t == Template::ServerCreate;
    let taken = |n: &str| used(n) || (server && used(&format!("{n}-sys")));
    let free = |n: &str| !taken(n);
    if server && free(prefix) {
        return prefix.to_owned();
    }
    let first = if server { 2 } else { 1 };
    (first..)
        .map(|i| format!("{prefix}{i}"))
        .find(|n| free(n))
        .unwrap_or_else(|| prefix.to_owned())
}

/// What a form is filled from: the state where the line will go, and what a fresh name avoids.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The state at the insertion point.
    pub state: &'a StateView,
    /// The statement an `expect ok|warn|fail` inserted there would be about.
    pub last: Option<&'a Step>,
    /// A scenario whose names (in any line) a fresh name avoids besides the state's.
    pub avoid: Option<&'a keyline_rules::Program>,
}

impl<'a> Context<'a> {
    /// The context of a line added at the end of `report`'s scenario.
    pub fn at_end(report: &'a Report) -> Self {
        Context {
            state: &report.state,
            last: report.steps.last(),
            avoid: None,
        }
    }
}

/// One `<option>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

impl Choice {
    fn new(value: impl Into<String>, label: impl Into<String>) -> Self {
        Choice {
            value: value.into(),
            label: label.into(),
        }
    }

    fn plain(value: &str) -> Self {
        Choice::new(value, value)
    }
}

/// The kind of control a field is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Control {
    /// A text input for the name of a new resource (required).
    NewName,
    /// A text input for an optional new name.
    OptionalName,
    /// A number input.
    Number { min: u64, max: u64 },
    /// A `<select>`; `empty` says why there is nothing to choose.
    Select { choices: Vec<Choice>, empty: String },
    /// A checkbox (its value is [`CHECKED`] or empty).
    Check,
}

/// One field of a form, with its resolved value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub id: &'static str,
    pub label: &'static str,
    pub control: Control,
    pub value: String,
    /// A note under the field: what will happen, or why the step cannot be added yet.
    pub hint: Option<String>,
}

/// Builds a form's fields one by one: each takes the user's value when it is still valid and a
/// default from the state otherwise, so later fields can depend on earlier ones.
struct FormBuilder<'a> {
    user: &'a Fields,
    fields: Vec<Field>,
    values: Fields,
}

impl FormBuilder<'_> {
    fn get(&self, id: &'static str) -> &str {
        self.values.get(id).map_or("", String::as_str)
    }

    fn push(&mut self, id: &'static str, label: &'static str, control: Control, default: String) {
        let user = self.user.get(id);
        let value = match &control {
            Control::Select { choices, .. } => user
                .filter(|u| choices.iter().any(|c| &c.value == *u))
                .cloned()
                .or_else(|| {
                    choices
                        .iter()
                        .any(|c| c.value == default)
                        .then_some(default)
                })
                .or_else(|| choices.first().map(|c| c.value.clone()))
                .unwrap_or_default(),
            _ => user.cloned().unwrap_or(default),
        };
        self.values.insert(id, value.clone());
        self.fields.push(Field {
            id,
            label,
            control,
            value,
            hint: None,
        });
    }

    fn select(
        &mut self,
        id: &'static str,
        label: &'static str,
        choices: Vec<Choice>,
        default: Option<String>,
        empty: &str,
    ) {
        let control = Control::Select {
            choices,
            empty: empty.to_owned(),
        };
        self.push(id, label, control, default.unwrap_or_default());
    }

    fn hint(&mut self, hint: String) {
        if let Some(f) = self.fields.last_mut() {
            f.hint = Some(hint);
        }
    }
}

fn key_label(k: &keyline_rules::KeyView) -> String {
    match (k.state, k.days_left) {
        (KeyState::PendingDeletion, Some(d)) => {
            format!("{} (pending deletion, {d} day{} left)", k.name, plural(d))
        }
        (state, _) => format!("{} ({state})", k.name),
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The keys of the state; with `default`, `evs/default` too even before its first use.
fn key_choices(state: &StateView, default: bool) -> Vec<Choice> {
    let mut choices: Vec<Choice> = state
        .keys
        .iter()
        .map(|k| Choice::new(k.name.clone(), key_label(k)))
        .collect();
    if default && !state.keys.iter().any(|k| k.name == DEFAULT_KEY) {
        choices.push(Choice::new(
            DEFAULT_KEY,
            format!("{DEFAULT_KEY} (default key)"),
        ));
    }
    choices
}

/// The first key in `wanted` state, to preselect.
fn first_key(state: &StateView, wanted: KeyState) -> Option<String> {
    state
        .keys
        .iter()
        .find(|k| k.state == wanted && k.kind != "default")
        .or_else(|| state.keys.iter().find(|k| k.state == wanted))
        .map(|k| k.name.clone())
}

fn disk_label(d: &keyline_rules::DiskView) -> String {
    let enc = if d.encryption == "none" {
        "unencrypted".to_owned()
    } else {
        format!("key {}", d.encryption)
    };
    match &d.attached_to {
        Some(s) => format!("{} ({} of {s}, {enc})", d.name, d.role),
        None => format!("{} (detached, {enc})", d.name),
    }
}

fn server_label(s: &keyline_rules::ServerView) -> String {
    format!("{} ({})", s.name, s.power)
}

fn named(name: &str, enc: &str) -> String {
    if enc == "none" {
        format!("{name} (unencrypted)")
    } else {
        format!("{name} (key {enc})")
    }
}

/// The current number of resources of a kind, as `expect count` counts them.
pub fn count(state: &StateView, kind: Kind) -> usize {
    match kind {
        Kind::Keys => state.keys.len(),
        Kind::Images => state.images.len(),
        Kind::Servers => state.servers.len(),
        Kind::Disks => state.disks.len(),
        Kind::Snapshots => state.snapshots.len(),
        Kind::Backups => state.backups.len(),
        Kind::Configs => state.configs.len(),
    }
}

/// Every resource with an encryption, and that encryption (`none` or a key).
fn encrypted_resources(state: &StateView) -> Vec<(String, &'static str, String)> {
    let mut all = Vec::new();
    all.extend(
        state
            .disks
            .iter()
            .map(|d| (d.name.clone(), "disk", d.encryption.clone())),
    );
    all.extend(
        state
            .snapshots
            .iter()
            .map(|s| (s.name.clone(), "snapshot", s.encryption.clone())),
    );
    all.extend(
        state
            .backups
            .iter()
            .map(|b| (b.name.clone(), "backup", b.encryption.clone())),
    );
    all.extend(
        state
            .images
            .iter()
            .map(|i| (i.name.clone(), "image", i.encryption.clone())),
    );
    all.extend(
        state
            .servers
            .iter()
            .map(|s| (s.name.clone(), "server", s.encryption.clone())),
    );
    all.extend(
        state
            .configs
            .iter()
            .map(|c| (c.name.clone(), "config", c.encryption.clone())),
    );
    all
}

/// The fields of a form over the context's state, each with its value: the user's (`user`) when
/// it is still valid, a sensible default otherwise (an `expect ok|warn|fail` preselects the actual
/// outcome of the statement it is about).
pub fn form(t: Template, cx: &Context<'_>, user: &Fields) -> Vec<Field> {
    use Template as T;
    let (state, last) = (cx.state, cx.last);
    let mut b = FormBuilder {
        user,
        fields: Vec::new(),
        values: Fields::new(),
    };
    let used = names_in_use(state);
    let avoid = |n: &str| used.contains(n) || cx.avoid.is_some_and(|p| p.names.get(n).is_some());
    let new_name = |b: &mut FormBuilder<'_>, label: &'static str| {
        b.push(F_NAME, label, Control::NewName, fresh_name_among(t, avoid));
        let name = b.get(F_NAME).trim().to_owned();
        if used.contains(&name) {
            b.hint(format!(
                "{name} already exists: this step will fail with NAME_TAKEN."
            ));
        } else if name.ends_with("/default") {
            b.hint("Names ending in /default are reserved for default keys: RESERVED_NAME.".into());
        }
    };
    let servers = |b: &mut FormBuilder<'_>, label: &'static str, default: Option<String>| {
        let choices = state
            .servers
            .iter()
            .map(|s| Choice::new(s.name.clone(), server_label(s)))
            .collect();
        b.select(
            F_SERVER,
            label,
            choices,
            default,
            "No server yet: add “server create” first.",
        );
    };
    let all_disks = |b: &mut FormBuilder<'_>, label: &'static str, default: Option<String>| {
        let choices = state
            .disks
            .iter()
            .map(|d| Choice::new(d.name.clone(), disk_label(d)))
            .collect();
        b.select(
            F_DISK,
            label,
            choices,
            default,
            "No disk yet: add “disk create” first.",
        );
    };
    let encrypt = |b: &mut FormBuilder<'_>| {
        let mut choices = vec![Choice::new("", "no encryption")];
        choices.extend(key_choices(state, true));
        b.select(F_ENCRYPT, "Encrypt with", choices, None, "");
    };
    let keys = |b: &mut FormBuilder<'_>, label: &'static str, prefer: Option<KeyState>| {
        let default = prefer.and_then(|s| first_key(state, s));
        b.select(
            F_KEY,
            label,
            key_choices(state, false),
            default,
            "No key yet: add “key create” first.",
        );
    };
    let detached = || {
        state
            .disks
            .iter()
            .find(|d| d.attached_to.is_none())
            .map(|d| d.name.clone())
    };

    match t {
        T::Role => {
            let choices = vec![
                Choice::new("security-admin", "security-admin (may grant KMS access)"),
                Choice::plain("member"),
            ];
            let default = match state.role {
                keyline_rules::Role::SecurityAdmin => "member",
                keyline_rules::Role::Member => "security-admin",
            };
            b.select(F_ROLE, "Role", choices, Some(default.to_owned()), "");
        }
        T::KmsGrant => {}
        T::KeyCreate => new_name(&mut b, "New key name"),
        T::KeyDisable => keys(&mut b, "Key", Some(KeyState::Enabled)),
        T::KeyEnable => keys(&mut b, "Key", Some(KeyState::Disabled)),
        T::KeyScheduleDeletion => {
            keys(&mut b, "Key", Some(KeyState::Enabled));
            b.push(
                F_DAYS,
                "Days until deletion (7 to 1096)",
                Control::Number { min: 7, max: 1096 },
                "7".into(),
            );
            let days = b.get(F_DAYS).trim().parse::<u64>().ok();
            if days.is_some_and(|d| !(7..=1096).contains(&d)) {
                b.hint(
                    "Outside 7 to 1096 days: this step will fail with INVALID_DELETION_WINDOW."
                        .into(),
                );
            }
        }
        T::KeyCancelDeletion => keys(&mut b, "Key", Some(KeyState::PendingDeletion)),
        T::Wait => {
            let soonest = state
                .keys
                .iter()
                .filter_map(|k| k.days_left)
                .filter(|d| *d > 0)
                .min();
            let default = soonest.unwrap_or(1).clamp(1, 100_000);
            b.push(
                F_DAYS,
                "Days",
                Control::Number {
                    min: 1,
                    max: 100_000,
                },
                default.to_string(),
            );
            if let Some(d) = soonest {
                b.hint(format!(
                    "A key is due for deletion in {d} day{}.",
                    plural(d)
                ));
            }
        }
        T::ImageImport => {
            new_name(&mut b, "New image name");
            encrypt(&mut b);
        }
        T::ImageCreate => {
            new_name(&mut b, "New image name");
            servers(&mut b, "From server", None);
        }
        T::ServerCreate => {
            new_name(&mut b, "New server name");
            let choices = vec![
                Choice::new(LAUNCH_PUBLIC, "the public image (unencrypted)"),
                Choice::new(LAUNCH_IMAGE, "one of your images"),
                Choice::new(LAUNCH_CONFIG, "an Auto Scaling configuration"),
            ];
            b.select(F_LAUNCH, "Launch from", choices, None, "");
            match b.get(F_LAUNCH) {
                LAUNCH_IMAGE => {
                    let choices = state
                        .images
                        .iter()
                        .map(|i| Choice::new(i.name.clone(), named(&i.name, &i.encryption)))
                        .collect();
                    b.select(
                        F_IMAGE,
                        "Image",
                        choices,
                        None,
                        "No image yet: add “image import” or “image create” first.",
                    );
                }
                LAUNCH_CONFIG => {
                    let choices = state
                        .configs
                        .iter()
                        .map(|c| Choice::new(c.name.clone(), named(&c.name, &c.encryption)))
                        .collect();
                    b.select(
                        F_CONFIG,
                        "Configuration",
                        choices,
                        None,
                        "No configuration yet: add “config create” first.",
                    );
                }
                _ => {}
            }
            b.push(
                F_SYSTEM_DISK,
                "System disk name (optional)",
                Control::OptionalName,
                String::new(),
            );
            let server = b.get(F_NAME).trim().to_owned();
            if b.get(F_SYSTEM_DISK).trim().is_empty() && !server.is_empty() {
                b.hint(format!("Leave empty to name it {server}-sys."));
            }
        }
        T::ServerStop => {
            let running = state.servers.iter().find(|s| s.power == Power::Running);
            servers(&mut b, "Server", running.map(|s| s.name.clone()));
        }
        T::ServerStart => {
            let stopped = state.servers.iter().find(|s| s.power == Power::Stopped);
            servers(&mut b, "Server", stopped.map(|s| s.name.clone()));
        }
        T::ServerDelete => servers(&mut b, "Server", None),
        T::DiskCreate => {
            new_name(&mut b, "New disk name");
            let choices = vec![
                Choice::new(SOURCE_EMPTY, "empty"),
                Choice::new(SOURCE_SNAPSHOT, "from a snapshot"),
                Choice::new(SOURCE_BACKUP, "from a backup"),
            ];
            b.select(F_SOURCE, "Content", choices, None, "");
            match b.get(F_SOURCE) {
                SOURCE_SNAPSHOT => {
                    let choices = state
                        .snapshots
                        .iter()
                        .map(|s| Choice::new(s.name.clone(), named(&s.name, &s.encryption)))
                        .collect();
                    b.select(
                        F_SNAPSHOT,
                        "Snapshot",
                        choices,
                        None,
                        "No snapshot yet: add “snapshot create” first.",
                    );
                }
                SOURCE_BACKUP => {
                    let choices = state
                        .backups
                        .iter()
                        .map(|s| Choice::new(s.name.clone(), named(&s.name, &s.encryption)))
                        .collect();
                    b.select(
                        F_BACKUP,
                        "Backup",
                        choices,
                        None,
                        "No backup yet: add “backup create” first.",
                    );
                }
                _ => {}
            }
            let inherited = b.get(F_SOURCE) != SOURCE_EMPTY;
            encrypt(&mut b);
            if inherited && !b.get(F_ENCRYPT).is_empty() {
                b.hint("A disk made from a snapshot or backup inherits its encryption: this step will fail with ENCRYPTION_INHERITED.".into());
            } else if !b.get(F_ENCRYPT).is_empty() && !state.kms_access {
                b.hint("EVS has no KMS access yet (kms grant): this step will fail with KMS_NOT_AUTHORIZED.".into());
            }
        }
        T::DiskEncrypt => {
            all_disks(&mut b, "Disk", None);
            let choices = key_choices(state, true);
            b.select(F_KEY, "Key", choices, None, "");
            b.hint(
                "Encryption is fixed at creation: this step fails with ENCRYPTION_IMMUTABLE."
                    .into(),
            );
        }
        T::DiskDecrypt => {
            all_disks(&mut b, "Disk", None);
            b.hint(
                "Encryption is fixed at creation: this step fails with ENCRYPTION_IMMUTABLE."
                    .into(),
            );
        }
        T::DiskDelete => all_disks(&mut b, "Disk", detached()),
        T::Attach => {
            let choices = state
                .disks
                .iter()
                .filter(|d| d.attached_to.is_none())
                .map(|d| Choice::new(d.name.clone(), disk_label(d)))
                .collect();
            b.select(
                F_DISK,
                "Detached disk",
                choices,
                None,
                "No detached disk: add “disk create” or “detach” first.",
            );
            b.push(
                F_AS_SYSTEM,
                "Attach as the system disk",
                Control::Check,
                String::new(),
            );
            if b.get(F_AS_SYSTEM) == CHECKED {
                let stopped: Vec<_> = state
                    .servers
                    .iter()
                    .filter(|s| s.power == Power::Stopped)
                    .collect();
                let choices = stopped
                    .iter()
                    .map(|s| match &s.system_disk {
                        Some(d) => Choice::new(
                            s.name.clone(),
                            format!("{} (stopped, has system disk {d})", s.name),
                        ),
                        None => Choice::new(
                            s.name.clone(),
                            format!("{} (stopped, no system disk)", s.name),
                        ),
                    })
                    .collect();
                let default = stopped
                    .iter()
                    .find(|s| s.system_disk.is_none())
                    .map(|s| s.name.clone());
                let empty = if state.servers.is_empty() {
                    "No server yet: add “server create” first."
                } else {
                    "No stopped server: a system disk can only be attached to a stopped server. Add “server stop” first."
                };
                b.select(F_SERVER, "To stopped server", choices, default, empty);
            } else {
                servers(&mut b, "To server", None);
            }
        }
        T::Detach => {
            let choices = state
                .disks
                .iter()
                .filter(|d| d.attached_to.is_some())
                .map(|d| Choice::new(d.name.clone(), disk_label(d)))
                .collect();
            b.select(
                F_DISK,
                "Attached disk",
                choices,
                None,
                "No attached disk: add “attach” first.",
            );
        }
        T::SnapshotCreate => {
            new_name(&mut b, "New snapshot name");
            all_disks(&mut b, "Of disk", None);
        }
        T::SnapshotDelete => {
            let choices = state
                .snapshots
                .iter()
                .map(|s| Choice::new(s.name.clone(), named(&s.name, &s.encryption)))
                .collect();
            b.select(
                F_SNAPSHOT,
                "Snapshot",
                choices,
                None,
                "No snapshot yet: add “snapshot create” first.",
            );
        }
        T::BackupCreate => {
            new_name(&mut b, "New backup name");
            all_disks(&mut b, "Of disk", None);
        }
        T::BackupDelete => {
            let choices = state
                .backups
                .iter()
                .map(|s| Choice::new(s.name.clone(), named(&s.name, &s.encryption)))
                .collect();
            b.select(
                F_BACKUP,
                "Backup",
                choices,
                None,
                "No backup yet: add “backup create” first.",
            );
        }
        T::ConfigCreate => {
            new_name(&mut b, "New configuration name");
            servers(&mut b, "From server", None);
        }
        T::ExpectOutcome => {
            let choices = vec![
                Choice::plain("ok"),
                Choice::plain("warn"),
                Choice::plain("fail"),
            ];
            b.select(
                F_OUTCOME,
                "Outcome",
                choices,
                last.map(|s| s.outcome.as_str().to_owned()),
                "",
            );
            let outcome = b.get(F_OUTCOME).to_owned();
            if outcome != Outcome::Ok.as_str() {
                let warn = outcome == Outcome::Warn.as_str();
                let mut choices = vec![Choice::new("", "any code")];
                choices.extend(
                    Code::ALL
                        .iter()
                        .filter(|c| c.is_warning() == warn)
                        .map(|c| Choice::plain(c.as_str())),
                );
                let default = last.and_then(|s| s.code).map(|c| c.as_str().to_owned());
                b.select(F_CODE, "Code", choices, default, "");
            }
        }
        T::ExpectEncrypted | T::ExpectUnencrypted => {
            let all = encrypted_resources(state);
            let want_key = t == T::ExpectEncrypted;
            let choices = all
                .iter()
                .map(|(n, kind, enc)| {
                    Choice::new(
                        n.clone(),
                        format!(
                            "{n} ({kind}, {})",
                            if enc == "none" {
                                "unencrypted".to_owned()
                            } else {
                                format!("key {enc}")
                            }
                        ),
                    )
                })
                .collect();
            let default = all
                .iter()
                .find(|(_, _, enc)| (enc != "none") == want_key)
                .map(|(n, _, _)| n.clone());
            b.select(F_RESOURCE, "Resource", choices, default, "No resource yet.");
            if want_key {
                let resource = b.get(F_RESOURCE).to_owned();
                let default = all
                    .iter()
                    .find(|(n, _, enc)| *n == resource && enc != "none")
                    .map(|(_, _, enc)| enc.clone());
                b.select(F_KEY, "Key", key_choices(state, true), default, "");
            }
        }
        T::ExpectAttached => {
            let attached = state
                .disks
                .iter()
                .find(|d| d.attached_to.is_some())
                .map(|d| d.name.clone());
            all_disks(&mut b, "Disk", attached);
            let disk = b.get(F_DISK).to_owned();
            let on = state
                .disks
                .iter()
                .find(|d| d.name == disk)
                .and_then(|d| d.attached_to.clone());
            servers(&mut b, "Server", on);
        }
        T::ExpectDetached => all_disks(&mut b, "Disk", detached()),
        T::ExpectHealth => {
            all_disks(&mut b, "Disk", None);
            let disk = b.get(F_DISK).to_owned();
            let now = state
                .disks
                .iter()
                .find(|d| d.name == disk)
                .map(|d| d.health.as_str().to_owned());
            let choices = Health::ALL
                .iter()
                .map(|h| Choice::plain(h.as_str()))
                .collect();
            b.select(F_HEALTH, "Health", choices, now, "");
        }
        T::ExpectKeyState => {
            keys(&mut b, "Key", None);
            let key = b.get(F_KEY).to_owned();
            let now = state
                .keys
                .iter()
                .find(|k| k.name == key)
                .map(|k| k.state.as_str().to_owned());
            let choices = KeyState::ALL
                .iter()
                .map(|s| Choice::plain(s.as_str()))
                .collect();
            b.select(F_STATE, "State", choices, now, "");
        }
        T::ExpectCount => {
            let choices = Kind::ALL
                .iter()
                .map(|k| Choice::plain(k.as_str()))
                .collect();
            b.select(
                F_KIND,
                "Kind",
                choices,
                Some(Kind::Disks.as_str().to_owned()),
                "",
            );
            let now = Kind::parse(b.get(F_KIND)).map_or(0, |k| count(state, k));
            b.push(
                F_COUNT,
                "Count",
                Control::Number {
                    min: 0,
                    max: 1_000_000,
                },
                now.to_string(),
            );
        }
    }
    if t.is_expectation() && last.is_none() {
        b.hint("An expect line is about the statement above it: add a statement first.".into());
    }
    b.fields
}

/// The values of resolved fields, for [`render`].
pub fn values(fields: &[Field]) -> Fields {
    fields.iter().map(|f| (f.id, f.value.clone())).collect()
}

/// Why the form cannot be added as it is, if it cannot.
pub fn problem(t: Template, fields: &[Field]) -> Option<String> {
    blocker(t, fields).map(|(_, why)| why)
}

/// The first field that keeps the form from being added, and why.
pub fn blocker(t: Template, fields: &[Field]) -> Option<(&'static str, String)> {
    fields.iter().find_map(|f| {
        let v = f.value.trim();
        let why = match &f.control {
            Control::NewName if v.is_empty() => format!("{} is empty.", f.label),
            Control::NewName | Control::OptionalName if !v.is_empty() && !is_valid_name(v) => {
                format!(
                    "“{v}” is not a valid name: start with a letter or digit, then letters, \
                     digits, . _ / - (at most 64 characters)."
                )
            }
            Control::Number { min, max } => match v.parse::<u64>() {
                Err(_) => format!("{} needs a whole number.", f.label),
                // The deletion window may be out of range on purpose: the engine reports it.
                Ok(n) if t != Template::KeyScheduleDeletion && !(*min..=*max).contains(&n) => {
                    format!("{} must be from {min} to {max}.", f.label)
                }
                Ok(_) => return None,
            },
            Control::Select { choices, empty } if choices.is_empty() => empty.clone(),
            _ => return None,
        };
        Some((f.id, why))
    })
}

/// The palette's own state: the chosen form, what the user changed in it, the last message.
#[derive(Debug, Clone, PartialEq)]
struct Draft {
    template: Template,
    user: Fields,
    status: String,
}

enum DraftAction {
    Choose(Template),
    Set(&'static str, String),
    Added(String),
}

impl Reducible for Draft {
    type Action = DraftAction;

    fn reduce(self: Rc<Self>, action: DraftAction) -> Rc<Self> {
        let mut d = (*self).clone();
        match action {
            DraftAction::Choose(t) => {
                d.template = t;
                d.user.clear();
                d.status.clear();
            }
            DraftAction::Set(id, value) => {
                d.user.insert(id, value);
            }
            DraftAction::Added(line) => {
                d.user.clear();
                d.status = format!("Added: {line}");
            }
        }
        Rc::new(d)
    }
}

/// Properties of [`Builder`].
#[derive(Clone, PartialEq, Properties)]
pub struct BuilderProps {
    pub report: crate::state::ReportRef,
    pub dispatch: Dispatch,
    /// The parsed scenario: with `cursor_line`, the forms offer the names of the state at the
    /// caret, and fresh names avoid every word of its text.
    #[prop_or_default]
    pub program: Option<crate::state::ProgramRef>,
    /// The caret's 1-based line, where `Action::Insert` puts the line (None: at the end).
    #[prop_or_default]
    pub cursor_line: Option<u32>,
}

fn control_id(id: &str) -> String {
    format!("builder-{id}")
}

/// The "add step" palette.
#[component]
pub fn Builder(props: &BuilderProps) -> Html {
    let draft = use_reducer(|| Draft {
        template: Template::Role,
        user: Fields::new(),
        status: String::new(),
    });
    let form_ref = use_node_ref();

    // The statements before the insertion point; the state after them, when that is not the
    // final state (computed only then, and only when the text or the caret moves).
    let report = &props.report;
    let before = props
        .cursor_line
        .map(|l| report.steps.iter().take_while(|s| s.line <= l).count());
    let partial = before.filter(|n| *n < report.steps.len());
    let state_at = use_memo(
        (props.program.clone(), partial),
        |(program, partial)| match (program, partial) {
            (Some(program), Some(n)) => keyline_rules::state_after(program, *n).ok(),
            _ => None,
        },
    );
    let cx = Context {
        state: match (*state_at).as_ref() {
            Some(s) if partial.is_some() => s,
            _ => &report.state,
        },
        last: match before {
            Some(n) => n.checked_sub(1).and_then(|i| report.steps.get(i)),
            None => report.steps.last(),
        },
        avoid: props.program.as_deref(),
    };
    let where_to = match props.cursor_line {
        Some(l) => format!("Inserted after line {l}, where the caret is."),
        None => "Inserted after the line with the caret, or at the end.".to_owned(),
    };

    let t = draft.template;
    let fields = form(t, &cx, &draft.user);
    let line = render(t, &values(&fields));
    let blocked = blocker(t, &fields);
    // An empty select already says why next to it; other problems are said under the preview.
    let said_by_field = blocked.as_ref().is_some_and(|(id, _)| {
        fields.iter().any(|f| {
            f.id == *id
                && matches!(&f.control, Control::Select { choices, .. } if choices.is_empty())
        })
    });
    let blocked_by = blocked.as_ref().map(|(id, _)| {
        if said_by_field {
            format!("{}-empty", control_id(id))
        } else {
            "builder-blocked".to_owned()
        }
    });

    // A `<select>`'s shown value does not follow its options' `selected` attributes once the
    // user has picked one, so every render sets each select to the value it should show.
    {
        let form_ref = form_ref.clone();
        use_effect(move || {
            if let Some(form) = form_ref.cast::<web_sys::Element>() {
                if let Ok(list) = form.query_selector_all("select[data-value]") {
                    for i in 0..list.length() {
                        let Some(select) = list
                            .item(i)
                            .and_then(|n| n.dyn_into::<HtmlSelectElement>().ok())
                        else {
                            continue;
                        };
                        if let Some(v) = select.get_attribute("data-value") {
                            if select.value() != v {
                                select.set_value(&v);
                            }
                        }
                    }
                }
            }
        });
    }

    let choose = {
        let draft = draft.dispatcher();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(t) = Template::from_id(&value) {
                draft.dispatch(DraftAction::Choose(t));
            }
        })
    };

    let onsubmit = {
        let draft = draft.dispatcher();
        let dispatch = props.dispatch.clone();
        let line = line.clone();
        let blocked = blocked.is_some();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if !blocked {
                dispatch.dispatch(Action::Insert(vec![line.clone()]));
                draft.dispatch(DraftAction::Added(line.clone()));
            }
        })
    };

    let mut groups: Vec<(&'static str, Vec<Template>)> = Vec::new();
    for &tpl in Template::ALL {
        match groups.last_mut() {
            Some((g, list)) if *g == tpl.group() => list.push(tpl),
            _ => groups.push((tpl.group(), vec![tpl])),
        }
    }

    let field_html = |f: &Field| -> Html {
        let id = control_id(f.id);
        let hint_id = format!("{id}-hint");
        let describedby = f.hint.as_ref().map(|_| hint_id.clone());
        let fid = f.id;
        let on_text = {
            let draft = draft.dispatcher();
            Callback::from(move |e: InputEvent| {
                let v = e.target_unchecked_into::<HtmlInputElement>().value();
                draft.dispatch(DraftAction::Set(fid, v));
            })
        };
        let on_select = {
            let draft = draft.dispatcher();
            Callback::from(move |e: Event| {
                let v = e.target_unchecked_into::<HtmlSelectElement>().value();
                draft.dispatch(DraftAction::Set(fid, v));
            })
        };
        let on_check = {
            let draft = draft.dispatcher();
            Callback::from(move |e: Event| {
                let checked = e.target_unchecked_into::<HtmlInputElement>().checked();
                let v = if checked { CHECKED } else { "" };
                draft.dispatch(DraftAction::Set(fid, v.to_owned()));
            })
        };
        let hint = f.hint.as_ref().map(|h| {
            html! { <p id={hint_id.clone()} class="small muted builder-hint">{ h.clone() }</p> }
        });
        let control = match &f.control {
            Control::NewName | Control::OptionalName => html! {
                <input type="text" id={id.clone()} name={f.id} value={f.value.clone()}
                    required={f.control == Control::NewName}
                    spellcheck="false" autocomplete="off" autocapitalize="off"
                    aria-describedby={describedby} oninput={on_text} />
            },
            Control::Number { min, max } => html! {
                <input type="number" id={id.clone()} name={f.id} value={f.value.clone()}
                    min={min.to_string()} max={max.to_string()} step="1" inputmode="numeric"
                    required=true aria-describedby={describedby} oninput={on_text} />
            },
            Control::Check => html! {
                <input type="checkbox" id={id.clone()} name={f.id} checked={f.value == CHECKED}
                    aria-describedby={describedby} onchange={on_check} />
            },
            Control::Select { choices, empty } if choices.is_empty() => html! {
                <>
                    <select id={id.clone()} name={f.id} disabled=true aria-describedby={format!("{id}-empty")}>
                        <option value="">{ "(none)" }</option>
                    </select>
                    <p id={format!("{id}-empty")} class="small muted builder-hint" data-builder-empty="">{ empty.clone() }</p>
                </>
            },
            Control::Select { choices, .. } => html! {
                <select id={id.clone()} name={f.id} data-value={f.value.clone()}
                    aria-describedby={describedby} onchange={on_select}>
                    { for choices.iter().map(|c| html! {
                        <option value={c.value.clone()} selected={c.value == f.value}>{ c.label.clone() }</option>
                    }) }
                </select>
            },
        };
        if f.control == Control::Check {
            html! {
                <div class="builder-field builder-check">
                    { control }
                    <label for={id}>{ f.label }</label>
                    { hint.unwrap_or_default() }
                </div>
            }
        } else {
            html! {
                <div class="builder-field">
                    <label for={id}>{ f.label }</label>
                    { control }
                    { hint.unwrap_or_default() }
                </div>
            }
        }
    };

    html! {
        <section class="builder" aria-labelledby="builder-title">
            <h3 id="builder-title" class="sub-title">{ "Add step" }</h3>
            <form ref={form_ref} class="builder-form" {onsubmit} novalidate=true>
                <div class="builder-field">
                    <label for="builder-statement">{ "Statement" }</label>
                    <select id="builder-statement" data-value={t.id()} onchange={choose}
                        aria-describedby="builder-about">
                        { for groups.iter().map(|(g, list)| html! {
                            <optgroup label={*g}>
                                { for list.iter().map(|tpl| html! {
                                    <option value={tpl.id()} selected={*tpl == t}>{ tpl.label() }</option>
                                }) }
                            </optgroup>
                        }) }
                    </select>
                </div>
                <p id="builder-about" class="small muted">{ t.about() }</p>
                { for fields.iter().map(field_html) }
                <p class="builder-preview small">
                    <span class="muted">{ if t.is_expectation() { "Check to insert: " } else { "Step to insert: " } }</span>
                    <code data-builder-preview="">{ line.clone() }</code>
                </p>
                if let Some((_, why)) = blocked.as_ref().filter(|_| !said_by_field) {
                    <p class="small muted builder-blocked" id="builder-blocked">{ why.clone() }</p>
                }
                <div class="builder-actions">
                    <button type="submit" data-builder-add="" disabled={blocked.is_some()}
                        aria-describedby={blocked_by}>{ "Add step" }</button>
                    <span class="small muted">{ where_to }</span>
                </div>
                <p class="small muted builder-status" role="status" aria-live="polite">{ draft.status.clone() }</p>
            </form>
        </section>
    }
}
