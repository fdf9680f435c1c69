//! The analyses of SPEC §4: provenance, impact (what-if), step state, and the quiet check the
//! CLI's `check` runs.

use crate::codes::{Code, RuleId};
use crate::eval::{walk, Engine, Verdict};
use crate::model::{Health, KeyState, Kind};
use crate::report::{expected_words, StateView};
use crate::syntax::{Program, Stmt};
use crate::world::{ProvLabel, Res};
use serde::{Deserialize, Serialize};

/// Why an analysis could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnalysisError {
    #[error("there is no resource named {0} after the last line")]
    UnknownResource(String),
    #[error("{name} is a {kind}, not a key")]
    NotAKey { name: String, kind: &'static str },
    #[error("{name} is a {kind}, which has no encryption")]
    NoEncryption { name: String, kind: &'static str },
    #[error("step {step} is past the last step ({steps})")]
    StepOutOfRange { step: usize, steps: usize },
}

/// One link of a provenance chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    /// What the link shows: `disk d1`, `chosen at creation (key k1)`.
    pub label: String,
    /// For a resource link: its kind (`disk`, `snapshot`, …) and name.
    pub kind: Option<&'static str>,
    pub name: Option<String>,
    /// The rule that carried the encryption along this link (or chose it).
    pub rule: RuleId,
    /// The line that made this link.
    pub line: u32,
}

/// Where a resource's encryption came from (SPEC §4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Provenance {
    pub resource: String,
    pub kind: &'static str,
    /// `none` or the key's name.
    pub encryption: String,
    /// The resource first, its origin last.
    pub chain: Vec<Link>,
    /// The chain as one line: `disk d3 ← snapshot s1 ← disk d1 ← chosen at creation (key k1)`.
    pub text: String,
}

/// A hypothetical key action for [`impact`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    Disable,
    ScheduleDeletion,
    /// The deletion taking effect.
    Delete,
}

impl Action {
    pub const ALL: &'static [Action] = &[Action::Disable, Action::ScheduleDeletion, Action::Delete];

    pub const fn as_str(self) -> &'static str {
        match self {
            Action::Disable => "disable",
            Action::ScheduleDeletion => "schedule-deletion",
            Action::Delete => "delete",
        }
    }

    pub fn parse(word: &str) -> Option<Action> {
        Action::ALL.iter().copied().find(|a| a.as_str() == word)
    }
}

/// How a resource would be affected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Effect {
    /// Attached disk: keeps working, reads and writes not guaranteed.
    AtRisk,
    /// Detached disk: attaching it fails until the key is restored.
    Unattachable,
    /// Its data can never be read.
    Unrecoverable,
    /// Servers launched from this image or configuration would fail to create.
    LaunchFails,
    /// Disks created from this snapshot or backup would fail to create.
    RestoreFails,
}

impl Effect {
    pub const fn as_str(self) -> &'static str {
        match self {
            Effect::AtRisk => "at-risk",
            Effect::Unattachable => "unattachable",
            Effect::Unrecoverable => "unrecoverable",
            Effect::LaunchFails => "launch-fails",
            Effect::RestoreFails => "restore-fails",
        }
    }
}

/// One affected resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Affected {
    pub kind: &'static str,
    pub name: String,
    pub effect: Effect,
    /// What it means, in one sentence.
    pub message: String,
}

/// The what-if of SPEC §4 for one key and action, after the last line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Impact {
    pub key: String,
    pub action: Action,
    /// The statements that would do it, to add to the scenario.
    pub statements: Vec<String>,
    /// Set when the action is impossible now (for example `DEFAULT_KEY_PROTECTED`).
    pub blocked: Option<Code>,
    pub blocked_message: Option<String>,
    pub affected: Vec<Affected>,
}

/// The result of the quiet `check` path: failing expectations only.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckResult {
    pub passed: usize,
    pub failed: usize,
    /// (line, expected, actual) of each failing expectation.
    pub failures: Vec<(u32, String, String)>,
    pub statements: usize,
}

/// Evaluates a program without building any sentence: what `keyline check` needs.
pub fn check(program: &Program) -> CheckResult {
    let (_, steps, expects) = walk(program, false, None, |_, _| {});
    let mut r = CheckResult {
        statements: steps.len(),
        ..CheckResult::default()
    };
    for e in expects {
        if e.passed {
            r.passed += 1;
        } else {
            r.failed += 1;
            let text = program
                .items
                .get(e.item)
                .map(|i| program.text(i))
                .unwrap_or_default();
            r.failures
                .push((e.line, expected_words(text), e.actual.unwrap_or_default()));
        }
    }
    r
}

/// The engine after the whole program (or after `until` statements).
fn final_engine(program: &Program, until: Option<usize>) -> Engine<'_> {
    walk(program, true, until, |_, _| {}).0
}

/// The full state after the first `steps` statements (0: the initial state). Replays the
/// program: no per-step copies are kept.
pub fn state_after(program: &Program, steps: usize) -> Result<StateView, AnalysisError> {
    let total = program.statement_count();
    if steps > total {
        return Err(AnalysisError::StepOutOfRange {
            step: steps,
            steps: total,
        });
    }
    Ok(final_engine(program, Some(steps)).view())
}

/// The provenance chain of a resource after the last line.
pub fn provenance(program: &Program, resource: &str) -> Result<Provenance, AnalysisError> {
    let engine = final_engine(program, None);
    let id = program
        .names
        .get(resource)
        .or_else(|| {
            // generated names (web-sys) are interned by the engine
            let mut n = engine.names.clone();
            Some(n.intern(resource))
        })
        .filter(|id| engine.world.lookup(*id).is_some())
        .ok_or_else(|| AnalysisError::UnknownResource(resource.to_owned()))?;
    let res = engine
        .world
        .lookup(id)
        .ok_or_else(|| AnalysisError::UnknownResource(resource.to_owned()))?;
    let (enc, prov) =
        engine
            .world
            .encryption_of(res)
            .ok_or_else(|| AnalysisError::NoEncryption {
                name: resource.to_owned(),
                kind: res.kind().noun(),
            })?;
    let mut chain = Vec::new();
    let mut cur = Some(prov);
    while let Some(p) = cur {
        let Some(node) = engine.world.prov.get(p as usize) else {
            break;
        };
        let mut label = String::new();
        engine.label(&node.label, &mut label);
        let (kind, name) = match node.label {
            ProvLabel::Resource(k, n) => (Some(k.noun()), Some(engine.name(n).to_owned())),
            _ => (None, None),
        };
        chain.push(Link {
            label,
            kind,
            name,
            rule: node.rule,
            line: node.line,
        });
        cur = node.parent;
    }
    let text = chain
        .iter()
        .map(|l| l.label.as_str())
        .collect::<Vec<_>>()
        .join(" ← ");
    Ok(Provenance {
        resource: resource.to_owned(),
        kind: res.kind().noun(),
        encryption: engine.enc_name(enc),
        chain,
        text,
    })
}

/// What would happen to everything encrypted with `key` if `action` happened after the last
/// line. The scenario is not changed: the engine runs the action on a copy of its state.
pub fn impact(program: &Program, key: &str, action: Action) -> Result<Impact, AnalysisError> {
    let engine = final_engine(program, None);
    let id = program
        .names
        .get(key)
        .filter(|id| engine.world.lookup(*id).is_some())
        .ok_or_else(|| AnalysisError::UnknownResource(key.to_owned()))?;
    let res = engine
        .world
        .lookup(id)
        .ok_or_else(|| AnalysisError::UnknownResource(key.to_owned()))?;
    let Res::Key(k) = res else {
        return Err(AnalysisError::NotAKey {
            name: key.to_owned(),
            kind: res.kind().noun(),
        });
    };
    let mut what_if = engine.clone();
    let state = what_if.world.key_state(k);
    let mut statements: Vec<(String, Stmt)> = Vec::new();
    match action {
        Action::Disable => statements.push((format!("key disable {key}"), Stmt::KeyDisable(id))),
        Action::ScheduleDeletion => statements.push((
            format!("key schedule-deletion {key} 7"),
            Stmt::KeyScheduleDeletion(id, 7),
        )),
        Action::Delete => match state {
            KeyState::Deleted => {}
            KeyState::PendingDeletion => {
                let day = what_if.world.key(k).map_or(0, |k| k.deletion_day);
                let days = day.saturating_sub(what_if.world.day).max(1);
                statements.push((format!("wait {days}"), Stmt::Wait(days)));
            }
            _ => {
                statements.push((
                    format!("key schedule-deletion {key} 7"),
                    Stmt::KeyScheduleDeletion(id, 7),
                ));
                statements.push(("wait 7".to_owned(), Stmt::Wait(7)));
            }
        },
    }
    let mut blocked = None;
    let mut blocked_message = None;
    for (_, stmt) in &statements {
        let v = what_if.apply(stmt);
        if let Verdict::Fail(f, _) = &v {
            blocked = Some(f.code);
            blocked_message = Some(what_if.sentence(stmt, &v));
            break;
        }
    }
    let affected = if blocked.is_some() {
        Vec::new()
    } else {
        affected_by(&what_if, k)
    };
    Ok(Impact {
        key: key.to_owned(),
        action,
        statements: statements.into_iter().map(|(s, _)| s).collect(),
        blocked,
        blocked_message,
        affected,
    })
}

fn affected_by(engine: &Engine<'_>, k: u32) -> Vec<Affected> {
    let w = &engine.world;
    let deleted = w.key_state(k) == KeyState::Deleted;
    let key = w.key(k).map_or("", |k| engine.name(k.name));
    let mut out = Vec::new();
    for (kind, name) in w.dependents_of(k) {
        let n = engine.name(name).to_owned();
        let effect = match kind {
            Kind::Disks => {
                let health = match w.lookup(name) {
                    Some(Res::Disk(d)) => w.disk(d).map(|d| w.health(d)),
                    _ => None,
                };
                match health {
                    Some(Health::AtRisk) => Effect::AtRisk,
                    Some(Health::Unattachable) => Effect::Unattachable,
                    Some(Health::Unrecoverable) => Effect::Unrecoverable,
                    _ => continue,
                }
            }
            _ if deleted => Effect::Unrecoverable,
            Kind::Snapshots | Kind::Backups => Effect::RestoreFails,
            _ => Effect::LaunchFails,
        };
        let message = match effect {
            Effect::AtRisk => format!("disk {n} stays attached and keeps working, but its reads and writes are not guaranteed to keep working"),
            Effect::Unattachable => format!("disk {n} is detached: attaching it fails until key {key} is restored"),
            Effect::Unrecoverable => format!("{} {n} can never be read again", kind.noun()),
            Effect::RestoreFails => format!("creating a disk from {} {n} fails until key {key} is restored", kind.noun()),
            Effect::LaunchFails => format!("launching a server from {} {n} fails until key {key} is restored", kind.noun()),
        };
        out.push(Affected {
            kind: kind.noun(),
            name: n,
            effect,
            message,
        });
    }
    out
}
