//! The audit: an account's key risks after the last line, for a support desk.
//!
//! Every key of the final state with what depends on it; the **findings** a support engineer
//! acts on (a resource that is hurt now, or will be on a known day, by the state of its key);
//! and the **exposure** of every usable key (what its disabling or deletion would hit, from
//! [`impact`](crate::impact) on a copy of the final state). Findings come from the same
//! `affected_by` the what-if uses, applied to the state as it is, so the audit and the what-if
//! never disagree about what a key state does to a resource.
//!
//! Exposure is not a finding: an enabled key that protects disks is the normal case, and a
//! check that fails on every encrypted account would be ignored. It is listed so that whoever
//! is about to disable or delete a key sees how much it would hit.

use crate::analysis::{affected_by, final_engine, impact_on, Action, Effect};
use crate::codes::RuleId;
use crate::eval::Engine;
use crate::model::KeyState;
use crate::syntax::{Program, Statement};
use crate::world::{Idx, Key};
use serde::Serialize;

/// The audit's JSON version (`keyline audit --json`).
pub const AUDIT_VERSION: u32 = 1;

/// The audit of the state after the last line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Audit {
    pub version: u32,
    /// The scenario's clock after the last line (days left count from it).
    pub day: u64,
    /// Every key, `deleted` ones included, in creation order.
    pub keys: Vec<KeyAudit>,
    /// Most urgent first: data already lost, then by days left, then at-risk, unattachable,
    /// failing launches and failing restores.
    pub findings: Vec<Finding>,
    /// What disabling or deleting each enabled key would hit (keys that protect nothing, and
    /// keys that cannot be disabled, such as `evs/default`, are left out).
    pub exposure: Vec<Exposure>,
}

/// One key and what depends on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyAudit {
    pub name: String,
    /// `default` or `custom`.
    pub kind: &'static str,
    pub state: KeyState,
    pub deletion_day: Option<u64>,
    pub days_left: Option<u64>,
    /// Every live resource encrypted with it (a config when any of its disks is).
    pub dependents: Vec<Dependent>,
}

/// A resource that depends on a key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dependent {
    pub kind: &'static str,
    pub name: String,
}

/// Something a support desk acts on: a resource hurt by the state of its key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// `at-risk`, `unattachable`, `unrecoverable`, `launch-fails` or `restore-fails`.
    pub effect: Effect,
    /// The resource's kind (`disk`, `snapshot`, `backup`, `image`, `config`) and name.
    pub kind: &'static str,
    pub resource: String,
    pub key: String,
    pub key_state: KeyState,
    /// While the key is pending deletion: the day the resource's data becomes unrecoverable,
    /// and the days left until then.
    pub unrecoverable_on: Option<u64>,
    pub days_left: Option<u64>,
    /// The rule that makes it so.
    pub rule: RuleId,
    /// Why, and what to do, in plain English.
    pub message: String,
    /// The statements that restore the key (none once it is deleted: nothing can).
    pub fix: Option<Vec<String>>,
}

/// What disabling or deleting one usable key would hit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exposure {
    pub key: String,
    /// Attached disks that `key disable` would put at risk.
    pub at_risk: usize,
    /// Detached disks that could no longer be attached.
    pub unattachable: usize,
    /// Images and configs whose launches would fail.
    pub launch_fails: usize,
    /// Snapshots and backups from which no disk could be created.
    pub restore_fails: usize,
    /// Resources whose data the key's deletion would make unrecoverable.
    pub unrecoverable: usize,
    pub message: String,
}

impl Audit {
    /// Whether a support desk has anything to act on (`keyline audit` exits 1).
    pub fn has_findings(&self) -> bool {
        !self.findings.is_empty()
    }
}

/// Audits the state after the last line of a parsed scenario.
pub fn audit(program: &Program) -> Audit {
    let engine = final_engine(program, None);
    let w = &engine.world;
    let mut keys = Vec::with_capacity(w.keys().len());
    let mut exposure = Vec::new();
    for (k, key) in w.keys() {
        let pending = key.state == KeyState::PendingDeletion;
        let scheduled = matches!(key.state, KeyState::PendingDeletion | KeyState::Deleted);
        let dependents = if key.dependents() == 0 {
            Vec::new()
        } else {
            w.dependents_of(k)
                .into_iter()
                .map(|(kind, name)| Dependent {
                    kind: kind.noun(),
                    name: engine.name(name).to_owned(),
                })
                .collect()
        };
        if key.state == KeyState::Enabled && !key.default && !dependents.is_empty() {
            exposure.push(exposure_of(&engine, k));
        }
        keys.push(KeyAudit {
            name: engine.name(key.name).to_owned(),
            kind: if key.default { "default" } else { "custom" },
            state: key.state,
            deletion_day: scheduled.then_some(key.deletion_day),
            days_left: pending.then(|| key.deletion_day.saturating_sub(w.day())),
            dependents,
        });
    }
    Audit {
        version: AUDIT_VERSION,
        day: w.day(),
        keys,
        findings: findings(&engine),
        exposure,
    }
}

/// The findings of the engine's current state (also the Markdown report's "Key risks").
pub(crate) fn findings(engine: &Engine<'_>) -> Vec<Finding> {
    let w = &engine.world;
    let mut out = Vec::new();
    for (k, key) in w.keys() {
        if key.state == KeyState::Enabled || key.dependents() == 0 {
            continue;
        }
        let name = engine.name(key.name);
        let pending = key.state == KeyState::PendingDeletion;
        let days_left = pending.then(|| key.deletion_day.saturating_sub(w.day()));
        let unrecoverable_on = pending.then_some(key.deletion_day);
        for a in affected_by(engine, k) {
            out.push(Finding {
                effect: a.effect,
                kind: a.kind,
                rule: rule_of(a.effect),
                message: sentence(
                    &a.name,
                    a.kind,
                    a.effect,
                    name,
                    key.state,
                    key.deletion_day,
                    days_left,
                ),
                fix: restore(name, key.state),
                resource: a.name,
                key: name.to_owned(),
                key_state: key.state,
                unrecoverable_on,
                days_left,
            });
        }
    }
    out.sort_by_key(|f| (urgency(f), f.days_left.unwrap_or(u64::MAX)));
    out
}

/// Data already lost first, then anything with a deletion day, then the rest by effect.
fn urgency(f: &Finding) -> u8 {
    match (f.effect, f.days_left.is_some()) {
        (Effect::Unrecoverable, _) => 0,
        (_, true) => 1,
        (Effect::AtRisk, false) => 2,
        (Effect::Unattachable, false) => 3,
        (Effect::LaunchFails, false) => 4,
        (Effect::RestoreFails, false) => 5,
    }
}

fn rule_of(effect: Effect) -> RuleId {
    match effect {
        Effect::AtRisk => RuleId::InUse,
        Effect::Unattachable => RuleId::Reattach,
        Effect::Unrecoverable => RuleId::Delete,
        Effect::LaunchFails | Effect::RestoreFails => RuleId::UseNew,
    }
}

/// The statements that make the key usable again, as the engine's fixes write them.
fn restore(key: &str, state: KeyState) -> Option<Vec<String>> {
    match state {
        KeyState::Disabled => Some(vec![Statement::KeyEnable(key.to_owned()).to_string()]),
        KeyState::PendingDeletion => Some(vec![
            Statement::KeyCancelDeletion(key.to_owned()).to_string(),
            Statement::KeyEnable(key.to_owned()).to_string(),
        ]),
        KeyState::Enabled | KeyState::Deleted => None,
    }
}

fn sentence(
    resource: &str,
    kind: &str,
    effect: Effect,
    key: &str,
    state: KeyState,
    deletion_day: u64,
    days_left: Option<u64>,
) -> String {
    let why = match effect {
        Effect::AtRisk => format!(
            "Disk {resource} is attached and uses key {key}, which is {state}: it keeps working, but its reads and writes are not guaranteed to keep working. Do not detach it: re-attaching fails until the key is restored."
        ),
        Effect::Unattachable => format!(
            "Disk {resource} is detached and uses key {key}, which is {state}: attaching it fails until the key is restored."
        ),
        Effect::Unrecoverable => {
            return format!(
                "{} {resource} was encrypted with key {key}, deleted on day {deletion_day}: its data can never be read.",
                capitalised(kind)
            )
        }
        Effect::LaunchFails => format!(
            "Launching a server from {kind} {resource} fails: it uses key {key}, which is {state}, and new disks cannot be encrypted with an unusable key."
        ),
        Effect::RestoreFails => format!(
            "Creating a disk from {kind} {resource} fails: it uses key {key}, which is {state}, and a new disk cannot be encrypted with an unusable key."
        ),
    };
    match days_left {
        Some(left) => format!(
            "{why} Its data becomes unrecoverable on day {deletion_day} ({} left) unless the deletion is cancelled.",
            if left == 1 { "1 day".to_owned() } else { format!("{left} days") }
        ),
        None => why,
    }
}

fn capitalised(word: &str) -> String {
    let mut c = word.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// What `key disable` and the key's deletion would hit, from the what-if.
fn exposure_of(engine: &Engine<'_>, k: Idx<Key>) -> Exposure {
    let disable = impact_on(engine, k, Action::Disable);
    let delete = impact_on(engine, k, Action::Delete);
    let count = |e: Effect| disable.affected.iter().filter(|a| a.effect == e).count();
    let (at_risk, unattachable, launch_fails, restore_fails) = (
        count(Effect::AtRisk),
        count(Effect::Unattachable),
        count(Effect::LaunchFails),
        count(Effect::RestoreFails),
    );
    let unrecoverable = delete
        .affected
        .iter()
        .filter(|a| a.effect == Effect::Unrecoverable)
        .count();
    let mut parts = Vec::new();
    if at_risk > 0 {
        parts.push(format!(
            "put {} at risk",
            count_of(at_risk, "attached disk")
        ));
    }
    if unattachable > 0 {
        parts.push(format!(
            "make {} unattachable",
            count_of(unattachable, "detached disk")
        ));
    }
    if launch_fails > 0 {
        parts.push(format!(
            "make launches from {} fail",
            count_of(launch_fails, "image or config")
        ));
    }
    if restore_fails > 0 {
        parts.push(format!(
            "make disk creation from {} fail",
            count_of(restore_fails, "snapshot or backup")
        ));
    }
    let key = disable.key;
    let disabling = if parts.is_empty() {
        format!("Disabling key {key} would hit nothing")
    } else {
        format!("Disabling key {key} would {}", join_and(&parts))
    };
    let message = format!(
        "{disabling}; its deletion would make {} unrecoverable.",
        count_of(unrecoverable, "resource")
    );
    Exposure {
        key,
        at_risk,
        unattachable,
        launch_fails,
        restore_fails,
        unrecoverable,
        message,
    }
}

fn count_of(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else if let Some(stem) = noun.strip_suffix(" or config") {
        format!("{n} {stem}s or configs")
    } else if let Some(stem) = noun.strip_suffix(" or backup") {
        format!("{n} {stem}s or backups")
    } else {
        format!("{n} {noun}s")
    }
}

fn join_and(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
