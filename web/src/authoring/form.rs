//! The "Add step" forms: every statement and expectation of SPEC §2 as a small form, so a
//! learner never has to know the syntax. Each field offers the names of the right kind in the
//! state where the line goes, a new name is prefilled with a fresh unused one, and the form's
//! [`line`] is a [`Statement`] or [`Expectation`] value the engine prints.
//!
//! What the line would do is not guessed here: [`verdict`] asks [`keyline_rules::preview`].

use super::names::{new_server, Taken};
use super::Line;
use keyline_rules::{
    is_valid_name, preview, Code, DiskFrom, Expectation, Health, KeyState, Kind, NewResource,
    Numbering, Outcome, Power, Program, Report, Role, Source, StateView, Statement, Step,
    DEFAULT_KEY, DELETION_WINDOW_DAYS, WAIT_DAYS,
};
use std::collections::BTreeMap;

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

/// The outcomes an `expect` line can name, in the order the form offers them.
const OUTCOMES: [Outcome; 3] = [Outcome::Ok, Outcome::Warn, Outcome::Fail];

/// The largest count `expect count` is offered (a form bound, not a rule).
const MAX_COUNT: i64 = 1_000_000;

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
        "The key becomes unavailable at once and is deleted when the window you give has passed.";
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

/// What a form is filled from: the state where the line will go, the statement above it, and
/// the scenario (for fresh names and the engine's preview).
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The state at the insertion point.
    pub state: &'a StateView,
    /// The statement an `expect ok|warn|fail` inserted there would be about.
    pub last: Option<&'a Step>,
    /// The scenario: fresh names avoid every name it mentions, and the line is previewed in it.
    pub program: &'a Program,
    /// The 1-based line the inserted line becomes.
    pub at_line: u32,
}

impl<'a> Context<'a> {
    /// The context of a line added at the end of a scenario.
    pub fn at_end(program: &'a Program, report: &'a Report) -> Self {
        Context {
            state: &report.state,
            last: report.steps.last(),
            program,
            at_line: super::text::insertion_line(None, &program.source),
        }
    }

    fn taken(&self) -> Taken<'a> {
        Taken::new(self.program)
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
    /// A number input; `enforced` says whether a value outside `min..=max` blocks the form
    /// (the deletion window is offered out of range on purpose: the engine reports it).
    Number { min: i64, max: i64, enforced: bool },
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
    /// A note under the field: what it is for, or why there is nothing to choose.
    pub hint: Option<String>,
}

/// A resolved form: its fields, the line they make, why it cannot be added (if so), and what
/// the engine says the line would do where it goes.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub fields: Vec<Field>,
    /// None while a number or choice the line needs is missing (then `blocked` says why).
    pub line: Option<Line>,
    /// The first field that keeps the form from being added, and why.
    pub blocked: Option<(&'static str, String)>,
    /// The engine's preview of the statement, once [`Form::with_verdict`] gave it.
    pub verdict: Option<Step>,
}

impl Form {
    /// The values of the fields, for [`line`].
    pub fn values(&self) -> Fields {
        self.fields
            .iter()
            .map(|f| (f.id, f.value.clone()))
            .collect()
    }

    /// The line's text as the engine prints it (empty while there is no line).
    pub fn text(&self) -> String {
        self.line.as_ref().map(Line::text).unwrap_or_default()
    }
}

/// Builds a form's fields one by one: each takes the user's value when it is still valid and a
/// default from the state otherwise, so later fields can depend on earlier ones.
struct Filler<'a> {
    cx: &'a Context<'a>,
    template: Template,
    user: &'a Fields,
    fields: Vec<Field>,
    values: Fields,
}

impl Filler<'_> {
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

    /// The name of the resource the form creates, prefilled with a fresh one.
    fn new_name(&mut self, label: &'static str) {
        let (base, new, numbering) = fresh_base(self.template, self.cx.state);
        let fresh = self.cx.taken().fresh(base, new, numbering);
        self.push(F_NAME, label, Control::NewName, fresh);
    }

    fn servers(&mut self, label: &'static str, default: Option<String>) {
        let choices = self
            .cx
            .state
            .servers
            .iter()
            .map(|s| Choice::new(s.name.clone(), format!("{} ({})", s.name, s.power)))
            .collect();
        self.select(
            F_SERVER,
            label,
            choices,
            default,
            "No server yet: add “server create” first.",
        );
    }

    fn disks(&mut self, label: &'static str, default: Option<String>) {
        let choices = self
            .cx
            .state
            .disks
            .iter()
            .map(|d| Choice::new(d.name.clone(), disk_label(d)))
            .collect();
        self.select(
            F_DISK,
            label,
            choices,
            default,
            "No disk yet: add “disk create” first.",
        );
    }

    fn encrypt(&mut self) {
        let mut choices = vec![Choice::new("", "no encryption")];
        choices.extend(key_choices(self.cx.state, true));
        self.select(F_ENCRYPT, "Encrypt with", choices, None, "");
    }

    fn keys(&mut self, label: &'static str, prefer: Option<KeyState>) {
        let default = prefer.and_then(|s| first_key(self.cx.state, s));
        let choices = key_choices(self.cx.state, false);
        self.select(
            F_KEY,
            label,
            choices,
            default,
            "No key yet: add “key create” first.",
        );
    }

    /// A select of copies (snapshots or backups) with their encryption.
    fn copies(&mut self, id: &'static str, label: &'static str, list: &[keyline_rules::CopyView]) {
        let empty = if id == F_SNAPSHOT {
            "No snapshot yet: add “snapshot create” first."
        } else {
            "No backup yet: add “backup create” first."
        };
        let choices = list
            .iter()
            .map(|c| Choice::new(c.name.clone(), named(&c.name, &c.encryption)))
            .collect();
        self.select(id, label, choices, None, empty);
    }

    fn first_detached(&self) -> Option<String> {
        self.cx
            .state
            .disks
            .iter()
            .find(|d| d.attached_to.is_none())
            .map(|d| d.name.clone())
    }
}

/// Where a fresh name for a template's new resource starts, what it must keep free, and how
/// it is numbered: `k1`, `d1`, `s1`, `b1`, `img1`, `cfg1`; servers `web`, `web2`, …
fn fresh_base(t: Template, state: &StateView) -> (&'static str, NewResource, Numbering) {
    let counted = |base, kind| (base, NewResource::Resource(kind), Numbering::Counted);
    match t {
        Template::KeyCreate => counted("k", Kind::Keys),
        Template::ImageImport | Template::ImageCreate => counted("img", Kind::Images),
        Template::ServerCreate => ("web", new_server(state), Numbering::BareThenCounted),
        Template::SnapshotCreate => counted("s", Kind::Snapshots),
        Template::BackupCreate => counted("b", Kind::Backups),
        Template::ConfigCreate => counted("cfg", Kind::Configs),
        _ => counted("d", Kind::Disks),
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

/// The first key in `wanted` state, to preselect (a custom key before the default one).
fn first_key(state: &StateView, wanted: KeyState) -> Option<String> {
    state
        .keys
        .iter()
        .find(|k| k.state == wanted && k.name != DEFAULT_KEY)
        .or_else(|| state.keys.iter().find(|k| k.state == wanted))
        .map(|k| k.name.clone())
}

fn encryption_label(enc: &str) -> String {
    if enc == "none" {
        "unencrypted".to_owned()
    } else {
        format!("key {enc}")
    }
}

fn disk_label(d: &keyline_rules::DiskView) -> String {
    let enc = encryption_label(&d.encryption);
    match &d.attached_to {
        Some(s) => format!("{} ({} of {s}, {enc})", d.name, d.role),
        None => format!("{} (detached, {enc})", d.name),
    }
}

fn named(name: &str, enc: &str) -> String {
    format!("{name} ({})", encryption_label(enc))
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

/// Every resource with an encryption: name, kind and encryption (`none` or a key).
fn encrypted_resources(state: &StateView) -> Vec<(&str, &'static str, &str)> {
    fn copies<'s>(
        kind: &'static str,
        v: &'s [keyline_rules::CopyView],
    ) -> impl Iterator<Item = (&'s str, &'static str, &'s str)> {
        v.iter()
            .map(move |c| (c.name.as_str(), kind, c.encryption.as_str()))
    }
    let mut all: Vec<(&str, &'static str, &str)> = Vec::new();
    all.extend(
        state
            .disks
            .iter()
            .map(|d| (d.name.as_str(), "disk", d.encryption.as_str())),
    );
    all.extend(copies("snapshot", &state.snapshots));
    all.extend(copies("backup", &state.backups));
    all.extend(
        state
            .images
            .iter()
            .map(|i| (i.name.as_str(), "image", i.encryption.as_str())),
    );
    all.extend(
        state
            .servers
            .iter()
            .map(|s| (s.name.as_str(), "server", s.encryption.as_str())),
    );
    all.extend(
        state
            .configs
            .iter()
            .map(|c| (c.name.as_str(), "config", c.encryption.as_str())),
    );
    all
}

/// The form of `t` over the context: its fields, each with the user's value (`user`) when it
/// is still valid and a sensible default otherwise (an `expect ok|warn|fail` preselects the
/// actual outcome of the statement it is about), its line, and the engine's preview of it.
pub fn form(t: Template, cx: &Context<'_>, user: &Fields) -> Form {
    let mut f = Filler {
        cx,
        template: t,
        user,
        fields: Vec::new(),
        values: Fields::new(),
    };
    if t.is_expectation() {
        expectation_fields(&mut f);
    } else {
        statement_fields(&mut f);
    }
    if t.is_expectation() && cx.last.is_none() {
        f.hint("An expect line is about the statement above it: add a statement first.".into());
    }
    let values = f.values;
    let fields = f.fields;
    let line = line(t, &values);
    let blocked = blocker(&fields);
    Form {
        fields,
        line,
        blocked,
        verdict: None,
    }
}

/// What the engine says the form's statement would do where it goes (None for an `expect`
/// line or a blocked form). Not blocked means every name is valid and every number in range,
/// so the line parses. A replay of the scenario up to that line: the builder computes it
/// after the verdicts of an edit are on screen, not while rendering them.
pub fn verdict(cx: &Context<'_>, form: &Form) -> Option<Step> {
    match (&form.line, &form.blocked) {
        (Some(line), None) => preview_line(cx.program, cx.at_line, line),
        _ => None,
    }
}

/// The engine's preview of a line inserted before line `at` of `program` (None for an
/// `expect` line, which is not a step). One copy for the builder and the board: not inlined
/// into each caller (the replay it calls is large).
#[inline(never)]
pub fn preview_line(program: &Program, at: u32, line: &Line) -> Option<Step> {
    match line {
        Line::Statement(s) => Some(preview(program, at, s)),
        Line::Expectation(_) => None,
    }
}

/// [`form`] with its [`verdict`].
pub fn previewed(t: Template, cx: &Context<'_>, user: &Fields) -> Form {
    let f = form(t, cx, user);
    let step = verdict(cx, &f);
    f.with_verdict(step)
}

impl Form {
    /// The form with the engine's verdict on its line.
    pub fn with_verdict(mut self, step: Option<Step>) -> Form {
        self.verdict = step;
        self
    }
}

/// The fields of a statement's form.
fn statement_fields(f: &mut Filler<'_>) {
    use Template as T;
    let state = f.cx.state;
    match f.template {
        T::Role => {
            let choices = Role::ALL
                .iter()
                .rev()
                .map(|r| match r {
                    Role::SecurityAdmin => {
                        Choice::new(r.as_str(), "security-admin (may grant KMS access)")
                    }
                    Role::Member => Choice::plain(r.as_str()),
                })
                .collect();
            // Offer the other role: the one that changes something.
            let other = Role::ALL.iter().find(|r| **r != state.role);
            f.select(
                F_ROLE,
                "Role",
                choices,
                other.map(|r| r.as_str().into()),
                "",
            );
        }
        T::KmsGrant => {}
        T::KeyCreate => f.new_name("New key name"),
        T::KeyDisable => f.keys("Key", Some(KeyState::Enabled)),
        T::KeyEnable => f.keys("Key", Some(KeyState::Disabled)),
        T::KeyScheduleDeletion => {
            f.keys("Key", Some(KeyState::Enabled));
            let (min, max) = (*DELETION_WINDOW_DAYS.start(), *DELETION_WINDOW_DAYS.end());
            let control = Control::Number {
                min,
                max,
                enforced: false,
            };
            f.push(F_DAYS, "Days until deletion", control, min.to_string());
            f.hint(format!("The deletion window: {min} to {max} days."));
        }
        T::KeyCancelDeletion => f.keys("Key", Some(KeyState::PendingDeletion)),
        T::Wait => wait_fields(f),
        T::ImageImport => {
            f.new_name("New image name");
            f.encrypt();
        }
        T::ImageCreate => {
            f.new_name("New image name");
            f.servers("From server", None);
        }
        T::ServerCreate => server_create_fields(f),
        T::ServerStop => {
            let running = state.servers.iter().find(|s| s.power == Power::Running);
            f.servers("Server", running.map(|s| s.name.clone()));
        }
        T::ServerStart => {
            let stopped = state.servers.iter().find(|s| s.power == Power::Stopped);
            f.servers("Server", stopped.map(|s| s.name.clone()));
        }
        T::ServerDelete => f.servers("Server", None),
        T::DiskCreate => disk_create_fields(f),
        T::DiskEncrypt => {
            f.disks("Disk", None);
            let choices = key_choices(state, true);
            f.select(F_KEY, "Key", choices, None, "");
        }
        T::DiskDecrypt => f.disks("Disk", None),
        T::DiskDelete => {
            let detached = f.first_detached();
            f.disks("Disk", detached);
        }
        T::Attach => attach_fields(f),
        T::Detach => {
            let choices = state
                .disks
                .iter()
                .filter(|d| d.attached_to.is_some())
                .map(|d| Choice::new(d.name.clone(), disk_label(d)))
                .collect();
            let empty = "No attached disk: add “attach” first.";
            f.select(F_DISK, "Attached disk", choices, None, empty);
        }
        T::SnapshotCreate => {
            f.new_name("New snapshot name");
            f.disks("Of disk", None);
        }
        T::SnapshotDelete => f.copies(F_SNAPSHOT, "Snapshot", &state.snapshots),
        T::BackupCreate => {
            f.new_name("New backup name");
            f.disks("Of disk", None);
        }
        T::BackupDelete => f.copies(F_BACKUP, "Backup", &state.backups),
        T::ConfigCreate => {
            f.new_name("New configuration name");
            f.servers("From server", None);
        }
        _ => {}
    }
}

fn wait_fields(f: &mut Filler<'_>) {
    let soonest =
        f.cx.state
            .keys
            .iter()
            .filter_map(|k| k.days_left)
            .filter(|d| *d > 0)
            .min();
    let (min, max) = (*WAIT_DAYS.start(), *WAIT_DAYS.end());
    let default = soonest.unwrap_or(min).clamp(min, max);
    let control = Control::Number {
        min: i64::try_from(min).unwrap_or(1),
        max: i64::try_from(max).unwrap_or(i64::MAX),
        enforced: true,
    };
    f.push(F_DAYS, "Days", control, default.to_string());
    if let Some(d) = soonest {
        f.hint(format!(
            "A key is due for deletion in {d} day{}.",
            plural(d)
        ));
    }
}

fn server_create_fields(f: &mut Filler<'_>) {
    let state = f.cx.state;
    f.new_name("New server name");
    let choices = vec![
        Choice::new(LAUNCH_PUBLIC, "the public image (unencrypted)"),
        Choice::new(LAUNCH_IMAGE, "one of your images"),
        Choice::new(LAUNCH_CONFIG, "an Auto Scaling configuration"),
    ];
    f.select(F_LAUNCH, "Launch from", choices, None, "");
    match f.get(F_LAUNCH) {
        LAUNCH_IMAGE => {
            let choices = state
                .images
                .iter()
                .map(|i| Choice::new(i.name.clone(), named(&i.name, &i.encryption)))
                .collect();
            let empty = "No image yet: add “image import” or “image create” first.";
            f.select(F_IMAGE, "Image", choices, None, empty);
        }
        LAUNCH_CONFIG => {
            let choices = state
                .configs
                .iter()
                .map(|c| Choice::new(c.name.clone(), named(&c.name, &c.encryption)))
                .collect();
            let empty = "No configuration yet: add “config create” first.";
            f.select(F_CONFIG, "Configuration", choices, None, empty);
        }
        _ => {}
    }
    f.push(
        F_SYSTEM_DISK,
        "System disk name (optional)",
        Control::OptionalName,
        String::new(),
    );
    if f.get(F_SYSTEM_DISK).trim().is_empty() {
        f.hint("Leave empty for the default name: the verdict below says which.".into());
    }
}

fn disk_create_fields(f: &mut Filler<'_>) {
    let state = f.cx.state;
    f.new_name("New disk name");
    let choices = vec![
        Choice::new(SOURCE_EMPTY, "empty"),
        Choice::new(SOURCE_SNAPSHOT, "from a snapshot"),
        Choice::new(SOURCE_BACKUP, "from a backup"),
    ];
    f.select(F_SOURCE, "Content", choices, None, "");
    match f.get(F_SOURCE) {
        SOURCE_SNAPSHOT => f.copies(F_SNAPSHOT, "Snapshot", &state.snapshots),
        SOURCE_BACKUP => f.copies(F_BACKUP, "Backup", &state.backups),
        _ => {}
    }
    f.encrypt();
}

fn attach_fields(f: &mut Filler<'_>) {
    let state = f.cx.state;
    let choices = state
        .disks
        .iter()
        .filter(|d| d.attached_to.is_none())
        .map(|d| Choice::new(d.name.clone(), disk_label(d)))
        .collect();
    let empty = "No detached disk: add “disk create” or “detach” first.";
    f.select(F_DISK, "Detached disk", choices, None, empty);
    f.push(
        F_AS_SYSTEM,
        "Attach as the system disk",
        Control::Check,
        String::new(),
    );
    if f.get(F_AS_SYSTEM) != CHECKED {
        f.servers("To server", None);
        return;
    }
    let stopped: Vec<_> = state
        .servers
        .iter()
        .filter(|s| s.power == Power::Stopped)
        .collect();
    let choices = stopped
        .iter()
        .map(|s| {
            let label = match &s.system_disk {
                Some(d) => format!("{} (stopped, has system disk {d})", s.name),
                None => format!("{} (stopped, no system disk)", s.name),
            };
            Choice::new(s.name.clone(), label)
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
    f.select(F_SERVER, "To stopped server", choices, default, empty);
}

/// The fields of an `expect` line's form, preselected so that the check passes now.
fn expectation_fields(f: &mut Filler<'_>) {
    use Template as T;
    let (state, last) = (f.cx.state, f.cx.last);
    match f.template {
        T::ExpectOutcome => {
            let choices = OUTCOMES.iter().map(|o| Choice::plain(o.as_str())).collect();
            let actual = last.map(|s| s.outcome.as_str().to_owned());
            f.select(F_OUTCOME, "Outcome", choices, actual, "");
            let outcome = OUTCOMES.iter().find(|o| o.as_str() == f.get(F_OUTCOME));
            if let Some(o) = outcome.filter(|o| **o != Outcome::Ok) {
                let warn = *o == Outcome::Warn;
                let mut choices = vec![Choice::new("", "any code")];
                choices.extend(
                    Code::ALL
                        .iter()
                        .filter(|c| c.is_warning() == warn)
                        .map(|c| Choice::plain(c.as_str())),
                );
                let default = last.and_then(|s| s.code).map(|c| c.as_str().to_owned());
                f.select(F_CODE, "Code", choices, default, "");
            }
        }
        T::ExpectEncrypted | T::ExpectUnencrypted => {
            let all = encrypted_resources(state);
            let want_key = f.template == T::ExpectEncrypted;
            let choices = all
                .iter()
                .map(|(n, kind, enc)| {
                    Choice::new(*n, format!("{n} ({kind}, {})", encryption_label(enc)))
                })
                .collect();
            let default = all
                .iter()
                .find(|(_, _, enc)| (*enc != "none") == want_key)
                .map(|(n, _, _)| (*n).to_owned());
            f.select(F_RESOURCE, "Resource", choices, default, "No resource yet.");
            if want_key {
                let resource = f.get(F_RESOURCE).to_owned();
                let default = all
                    .iter()
                    .find(|(n, _, enc)| *n == resource && *enc != "none")
                    .map(|(_, _, enc)| (*enc).to_owned());
                f.select(F_KEY, "Key", key_choices(state, true), default, "");
            }
        }
        T::ExpectAttached => {
            let attached = state
                .disks
                .iter()
                .find(|d| d.attached_to.is_some())
                .map(|d| d.name.clone());
            f.disks("Disk", attached);
            let disk = f.get(F_DISK).to_owned();
            let on = state
                .disks
                .iter()
                .find(|d| d.name == disk)
                .and_then(|d| d.attached_to.clone());
            f.servers("Server", on);
        }
        T::ExpectDetached => {
            let detached = f.first_detached();
            f.disks("Disk", detached);
        }
        T::ExpectHealth => {
            f.disks("Disk", None);
            let disk = f.get(F_DISK).to_owned();
            let now = state
                .disks
                .iter()
                .find(|d| d.name == disk)
                .map(|d| d.health.as_str().to_owned());
            let choices = Health::ALL
                .iter()
                .map(|h| Choice::plain(h.as_str()))
                .collect();
            f.select(F_HEALTH, "Health", choices, now, "");
        }
        T::ExpectKeyState => {
            f.keys("Key", None);
            let key = f.get(F_KEY).to_owned();
            let now = state
                .keys
                .iter()
                .find(|k| k.name == key)
                .map(|k| k.state.as_str().to_owned());
            let choices = KeyState::ALL
                .iter()
                .map(|s| Choice::plain(s.as_str()))
                .collect();
            f.select(F_STATE, "State", choices, now, "");
        }
        T::ExpectCount => {
            let choices = Kind::ALL
                .iter()
                .map(|k| Choice::plain(k.as_str()))
                .collect();
            let disks = Some(Kind::Disks.as_str().to_owned());
            f.select(F_KIND, "Kind", choices, disks, "");
            let now = Kind::parse(f.get(F_KIND)).map_or(0, |k| count(state, k));
            let control = Control::Number {
                min: 0,
                max: MAX_COUNT,
                enforced: true,
            };
            f.push(F_COUNT, "Count", control, now.to_string());
        }
        _ => {}
    }
}

/// A field's value, trimmed, when it is set.
fn opt(f: &Fields, id: &'static str) -> Option<String> {
    f.get(id)
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// A name field's value, or `<what>` while it is empty, so the preview shows what is missing
/// (such a line is never added: [`blocker`] says why).
fn name(f: &Fields, id: &'static str, what: &str) -> String {
    opt(f, id).unwrap_or_else(|| format!("<{what}>"))
}

/// A number field's value (one parser for every number: [`blocker`] reads them the same way).
fn number(f: &Fields, id: &'static str) -> Option<i64> {
    opt(f, id)?.parse().ok()
}

/// A number field's value that cannot be negative.
fn whole(f: &Fields, id: &'static str) -> Option<u64> {
    u64::try_from(number(f, id)?).ok()
}

/// The line a form's values make: a [`Statement`] or [`Expectation`] value. None while a
/// number or a choice it needs is not there.
pub fn line(t: Template, f: &Fields) -> Option<Line> {
    use Statement as S;
    use Template as T;
    let new = |what| name(f, F_NAME, what);
    let key = || name(f, F_KEY, "key");
    let server = || name(f, F_SERVER, "server");
    let disk = || name(f, F_DISK, "disk");
    let statement = match t {
        T::Role => S::Role(Role::parse(&opt(f, F_ROLE)?)?),
        T::KmsGrant => S::KmsGrant,
        T::KeyCreate => S::KeyCreate(new("key")),
        T::KeyDisable => S::KeyDisable(key()),
        T::KeyEnable => S::KeyEnable(key()),
        T::KeyScheduleDeletion => S::KeyScheduleDeletion(key(), number(f, F_DAYS)?),
        T::KeyCancelDeletion => S::KeyCancelDeletion(key()),
        T::Wait => S::Wait(whole(f, F_DAYS)?),
        T::ImageImport => S::ImageImport {
            image: new("image"),
            key: opt(f, F_ENCRYPT),
        },
        T::ImageCreate => S::ImageCreate {
            image: new("image"),
            server: server(),
        },
        T::ServerCreate => S::ServerCreate {
            server: new("server"),
            source: match opt(f, F_LAUNCH).as_deref() {
                Some(LAUNCH_IMAGE) => Some(Source::Image(name(f, F_IMAGE, "image"))),
                Some(LAUNCH_CONFIG) => Some(Source::Config(name(f, F_CONFIG, "config"))),
                _ => None,
            },
            system_disk: opt(f, F_SYSTEM_DISK),
        },
        T::ServerStop => S::ServerStop(server()),
        T::ServerStart => S::ServerStart(server()),
        T::ServerDelete => S::ServerDelete(server()),
        T::DiskCreate => S::DiskCreate {
            disk: new("disk"),
            from: match opt(f, F_SOURCE).as_deref() {
                Some(SOURCE_SNAPSHOT) => Some(DiskFrom::Snapshot(name(f, F_SNAPSHOT, "snapshot"))),
                Some(SOURCE_BACKUP) => Some(DiskFrom::Backup(name(f, F_BACKUP, "backup"))),
                _ => None,
            },
            key: opt(f, F_ENCRYPT),
        },
        T::DiskEncrypt => S::DiskEncrypt(disk(), key()),
        T::DiskDecrypt => S::DiskDecrypt(disk()),
        T::DiskDelete => S::DiskDelete(disk()),
        T::Attach => S::Attach {
            disk: disk(),
            server: server(),
            system: opt(f, F_AS_SYSTEM).as_deref() == Some(CHECKED),
        },
        T::Detach => S::Detach(disk()),
        T::SnapshotCreate => S::SnapshotCreate {
            snapshot: new("snapshot"),
            disk: disk(),
        },
        T::SnapshotDelete => S::SnapshotDelete(name(f, F_SNAPSHOT, "snapshot")),
        T::BackupCreate => S::BackupCreate {
            backup: new("backup"),
            disk: disk(),
        },
        T::BackupDelete => S::BackupDelete(name(f, F_BACKUP, "backup")),
        T::ConfigCreate => S::ConfigCreate {
            config: new("config"),
            server: server(),
        },
        _ => return expectation(t, f).map(Line::Expectation),
    };
    Some(Line::Statement(statement))
}

/// The `expect` line of an expectation form.
fn expectation(t: Template, f: &Fields) -> Option<Expectation> {
    use Expectation as E;
    use Template as T;
    let resource = || name(f, F_RESOURCE, "resource");
    let disk = || name(f, F_DISK, "disk");
    Some(match t {
        T::ExpectOutcome => {
            let word = opt(f, F_OUTCOME)?;
            let outcome = *OUTCOMES.iter().find(|o| o.as_str() == word)?;
            let code = opt(f, F_CODE)
                .and_then(|c| Code::parse(&c))
                .filter(|_| outcome != Outcome::Ok);
            E::Outcome(outcome, code)
        }
        T::ExpectEncrypted => E::Encrypted(resource(), name(f, F_KEY, "key")),
        T::ExpectUnencrypted => E::Unencrypted(resource()),
        T::ExpectAttached => E::Attached(disk(), name(f, F_SERVER, "server")),
        T::ExpectDetached => E::Detached(disk()),
        T::ExpectHealth => E::Health(disk(), Health::parse(&opt(f, F_HEALTH)?)?),
        T::ExpectKeyState => E::State(name(f, F_KEY, "key"), KeyState::parse(&opt(f, F_STATE)?)?),
        T::ExpectCount => E::Count(whole(f, F_COUNT)?, Kind::parse(&opt(f, F_KIND)?)?),
        _ => return None,
    })
}

/// The first field that keeps the form from being added, and why.
pub fn blocker(fields: &[Field]) -> Option<(&'static str, String)> {
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
            Control::Number { min, max, enforced } => match v.parse::<i64>() {
                Err(_) => format!("{} needs a whole number.", f.label),
                Ok(n) if *enforced && !(*min..=*max).contains(&n) => {
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

/// The engine's verdict on a previewed step, as a sentence for the form: the outcome, its code,
/// and the engine's own explanation.
pub fn verdict_text(step: &Step) -> String {
    let will = match step.outcome {
        Outcome::Ok => "succeed",
        Outcome::Warn => "warn",
        Outcome::Fail => "fail",
    };
    let code = step.code.map_or("", |c| c.as_str());
    let space = if code.is_empty() { "" } else { " " };
    format!("This step will {will}{space}{code}: {}", step.message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&'static str, &str)]) -> Fields {
        pairs.iter().map(|(k, v)| (*k, (*v).to_owned())).collect()
    }

    fn text(t: Template, pairs: &[(&'static str, &str)]) -> String {
        line(t, &fields(pairs))
            .map(|l| l.to_string())
            .unwrap_or_default()
    }

    #[test]
    fn each_form_makes_its_line() {
        // A warning code, named through the engine (the app's code names none).
        let warning = Code::ALL
            .iter()
            .find(|c| c.is_warning())
            .map_or("", |c| c.as_str());
        let expect_warning = format!("expect warn {warning}");
        type Case = (
            Template,
            &'static [(&'static str, &'static str)],
            &'static str,
        );
        let cases: &[Case] = &[
            (Template::KmsGrant, &[], "kms grant"),
            (
                Template::KeyScheduleDeletion,
                &[(F_KEY, "k1"), (F_DAYS, "30")],
                "key schedule-deletion k1 30",
            ),
            (Template::Wait, &[(F_DAYS, "7")], "wait 7"),
            (
                Template::ImageImport,
                &[(F_NAME, "img"), (F_ENCRYPT, "")],
                "image import img",
            ),
            (
                Template::ImageImport,
                &[(F_NAME, "img"), (F_ENCRYPT, "evs/default")],
                "image import img encrypt evs/default",
            ),
            (
                Template::ServerCreate,
                &[
                    (F_NAME, "web"),
                    (F_LAUNCH, "image"),
                    (F_CONFIG, "cfg"),
                    (F_SYSTEM_DISK, "boot"),
                ],
                "server create web image <image> system-disk boot",
            ),
            (
                Template::ServerCreate,
                &[(F_NAME, "w"), (F_LAUNCH, "config"), (F_CONFIG, "cfg")],
                "server create w config cfg",
            ),
            (
                Template::ServerCreate,
                &[(F_NAME, "w"), (F_LAUNCH, "public"), (F_CONFIG, "cfg")],
                "server create w",
            ),
            (
                Template::DiskCreate,
                &[
                    (F_NAME, "d2"),
                    (F_SOURCE, "from-snapshot"),
                    (F_SNAPSHOT, "s1"),
                    (F_BACKUP, "b1"),
                    (F_ENCRYPT, "k1"),
                ],
                "disk create d2 from-snapshot s1 encrypt k1",
            ),
            (
                Template::DiskCreate,
                &[(F_NAME, "d3"), (F_SOURCE, "from-backup"), (F_BACKUP, "b1")],
                "disk create d3 from-backup b1",
            ),
            (
                Template::DiskCreate,
                &[(F_NAME, "d4"), (F_SOURCE, "empty"), (F_SNAPSHOT, "s1")],
                "disk create d4",
            ),
            (
                Template::DiskEncrypt,
                &[(F_DISK, "d1"), (F_KEY, "k1")],
                "disk encrypt d1 k1",
            ),
            (
                Template::Attach,
                &[(F_DISK, "d1"), (F_SERVER, "web"), (F_AS_SYSTEM, "true")],
                "attach d1 web as system",
            ),
            (
                Template::Attach,
                &[(F_DISK, "d1"), (F_SERVER, "web"), (F_AS_SYSTEM, "")],
                "attach d1 web",
            ),
            (Template::Detach, &[], "detach <disk>"),
            (
                Template::ExpectOutcome,
                &[(F_OUTCOME, "fail"), (F_CODE, "")],
                "expect fail",
            ),
        ];
        for (t, f, want) in cases {
            assert_eq!(text(*t, f), *want, "{t:?}");
        }
        let warn = [(F_OUTCOME, "warn"), (F_CODE, warning)];
        assert_eq!(text(Template::ExpectOutcome, &warn), expect_warning);
        // `expect ok` takes no code.
        let ok = [(F_OUTCOME, "ok"), (F_CODE, warning)];
        assert_eq!(text(Template::ExpectOutcome, &ok), "expect ok");
        // A number that is not one makes no line; the form says why.
        assert_eq!(line(Template::Wait, &fields(&[(F_DAYS, "soon")])), None);
    }

    /// A state with one resource of every kind, some stopped, detached, pending deletion.
    const RICH: &str = "title rich
role security-admin
kms grant
key create k1
key create k2
key disable k2
key create k3
key schedule-deletion k3 10
image import golden encrypt k1
server create web image golden
server create db
server stop db
disk create d1 encrypt k1
disk create d2
attach d2 web
snapshot create s1 disk d1
backup create b1 disk d1
config create cfg from-server web
";

    #[test]
    fn every_form_over_a_rich_state_makes_a_line_that_parses_and_the_engine_previews() {
        let program = Program::parse(RICH);
        let report = Report::build(&program);
        assert!(report.is_clean());
        let cx = Context::at_end(&program, &report);
        for &t in Template::ALL {
            let form = previewed(t, &cx, &Fields::new());
            assert_eq!(form.blocked, None, "{t:?} is blocked");
            let line = form.text();
            assert!(!line.is_empty() && !line.contains('<'), "{t:?}: {line}");
            let with = format!("{RICH}{line}\n");
            let parsed = keyline_rules::evaluate(&with);
            assert!(
                parsed.errors.is_empty(),
                "{t:?}: {line}: {:?}",
                parsed.errors
            );
            if t.is_expectation() {
                // Expectations are preselected from the state, so they pass.
                assert_eq!(parsed.summary.failed, 0, "{t:?}: {line}");
                assert_eq!(form.verdict, None);
            } else {
                // The verdict is the engine's: the step the report gives the inserted line.
                let step = parsed.steps.last().expect("a step");
                let verdict = form.verdict.as_ref().expect("a verdict");
                assert_eq!(verdict, step, "{t:?}: {line}");
                if let Some(code) = verdict.code {
                    assert!(verdict_text(verdict).contains(code.as_str()));
                }
            }
            // Every select offers the value it holds.
            for f in &form.fields {
                if let Control::Select { choices, .. } = &f.control {
                    assert!(choices.iter().any(|c| c.value == f.value), "{t:?} {}", f.id);
                }
            }
        }
    }

    #[test]
    fn fresh_names_are_unused_across_every_kind() {
        let program = Program::parse(
            "server create web\ndisk create d1\nkey create k1\nsnapshot create d2 disk d1\n",
        );
        let report = Report::build(&program);
        let cx = Context::at_end(&program, &report);
        let name = |t| form(t, &cx, &Fields::new()).values()[F_NAME].clone();
        assert_eq!(name(Template::DiskCreate), "d3");
        assert_eq!(name(Template::KeyCreate), "k2");
        assert_eq!(name(Template::ServerCreate), "web2");
        assert_eq!(name(Template::SnapshotCreate), "s1");
        let empty = Program::parse("");
        let empty_report = Report::build(&empty);
        let cx_empty = Context::at_end(&empty, &empty_report);
        let f = previewed(Template::ServerCreate, &cx_empty, &Fields::new());
        assert_eq!(f.values()[F_NAME], "web");
        // Left empty, the system disk gets the engine's name, which the verdict says.
        let verdict = f.verdict.expect("a verdict");
        assert!(verdict.message.contains("web-sys"), "{}", verdict.message);
        assert_eq!(verdict.resources, ["web", "web-sys"]);

        // The encrypt choice offers evs/default before it exists.
        let clash = previewed(Template::DiskCreate, &cx, &fields(&[(F_NAME, "k1")]));
        let encrypt = clash
            .fields
            .iter()
            .find(|f| f.id == F_ENCRYPT)
            .expect("encrypt");
        let Control::Select { choices, .. } = &encrypt.control else {
            panic!("encrypt is a select")
        };
        let offered: Vec<&str> = choices.iter().map(|c| c.value.as_str()).collect();
        assert_eq!(offered, vec!["", "k1", "evs/default"]);
        // A name in use: the engine's preview fails, naming the clash, and the line is
        // the one the report judges the same way.
        let verdict = clash.verdict.expect("a verdict");
        assert_eq!(verdict.outcome, Outcome::Fail);
        let reported = keyline_rules::evaluate(&format!("{}disk create k1\n", program.source));
        assert_eq!(reported.steps.last().map(|s| s.code), Some(verdict.code));
        assert!(verdict.message.contains("k1"));
    }

    #[test]
    fn the_verdict_is_previewed_where_the_line_goes() {
        // At line 2 the key is enabled; at the end it is disabled.
        let program = Program::parse("key create k1\nkey disable k1\n");
        let report = Report::build(&program);
        let at_end = Context::at_end(&program, &report);
        let state_at_2 = keyline_rules::state_after(&program, 1).expect("state");
        let at_2 = Context {
            state: &state_at_2,
            last: report.steps.first(),
            program: &program,
            at_line: 2,
        };
        let user = fields(&[(F_KEY, "k1")]);
        let outcome = |cx: &Context<'_>| {
            previewed(Template::KeyEnable, cx, &user)
                .verdict
                .map(|s| s.outcome)
        };
        assert_eq!(outcome(&at_end), Some(Outcome::Ok));
        assert_eq!(outcome(&at_2), Some(Outcome::Fail));
    }

    #[test]
    fn blocked_forms_say_why() {
        let program = Program::parse("key create k1\n");
        let report = Report::build(&program);
        let cx = Context::at_end(&program, &report);
        let bad = previewed(Template::KeyCreate, &cx, &fields(&[(F_NAME, "bad name")]));
        assert_eq!(bad.blocked.as_ref().map(|b| b.0), Some(F_NAME));
        assert_eq!(bad.verdict, None);
        let wait = form(Template::Wait, &cx, &fields(&[(F_DAYS, "0")]));
        assert!(wait.blocked.is_some_and(|(_, why)| why.contains("from 1")));
        // The deletion window is offered out of range on purpose: the engine judges it.
        let window = previewed(
            Template::KeyScheduleDeletion,
            &cx,
            &fields(&[(F_DAYS, "3")]),
        );
        assert_eq!(window.blocked, None);
        assert_eq!(window.verdict.map(|s| s.outcome), Some(Outcome::Fail));
        let none = form(Template::Detach, &cx, &Fields::new());
        assert!(none
            .blocked
            .is_some_and(|(_, why)| why.contains("No attached disk")));
    }
}
