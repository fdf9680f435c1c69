//! The analyses of SPEC §4: provenance, impact (what-if), step state, and the quiet check the
//! CLI's `check` runs.

use crate::codes::{Code, RuleId, DELETION_WINDOW_DAYS};
use crate::eval::{walk, Engine, Mode, Verdict};
use crate::model::{Health, KeyState, Kind};
use crate::report::{expected_words, StateView, Step};
use crate::syntax::{Program, Statement, Stmt};
use crate::world::{Idx, Key, ProvId, ProvLabel, Res};
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
    let (_, steps, expects) = walk(program, Mode::Quiet, None, |_, _| {});
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
pub(crate) fn final_engine(program: &Program, until: Option<usize>) -> Engine<'_> {
    walk(program, Mode::Full, until, |_, _| {}).0
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
        let Some(node) = engine.world.prov(p) else {
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

/// What `statement` would do if it were typed as a new line just before line `at_line`
/// (1-based; 0 or 1 puts it first, a line past the end appends it): outcome, code, rule,
/// sentence, provenance, fix and resources, exactly as the report would give them for that
/// line. The scenario is not changed: the engine replays the statements above that line and
/// applies this one to its state. `Step::statement` is the statement's canonical text.
///
/// Names are taken as given: use [`Statement::validate`](crate::Statement::validate) to check
/// that the line would parse.
pub fn preview(program: &Program, at_line: u32, statement: &Statement) -> Step {
    let before = program
        .statements()
        .take_while(|(item, _)| item.line < at_line)
        .count();
    let mut engine = final_engine(program, Some(before));
    engine.line = at_line;
    let stmt = engine.intern(statement);
    let verdict = engine.apply(&stmt);
    engine.step(at_line, &statement.to_string(), &stmt, &verdict)
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
    Ok(impact_on(&engine, k, action))
}

/// [`impact`] on an engine already at the point in time to ask about (the audit asks it of
/// every key without replaying the scenario each time). The engine is not changed.
pub(crate) fn impact_on(engine: &Engine<'_>, k: Idx<Key>, action: Action) -> Impact {
    let Some(id) = engine.world.key(k).map(|key| key.name) else {
        return Impact {
            key: String::new(),
            action,
            statements: Vec::new(),
            blocked: None,
            blocked_message: None,
            affected: Vec::new(),
        };
    };
    let key = engine.name(id).to_owned();
    let mut what_if = engine.clone();
    let state = what_if.world.key_state(k);
    // The shortest window: the deletion takes effect as soon as it can.
    let window = *DELETION_WINDOW_DAYS.start();
    let mut statements: Vec<Stmt> = Vec::new();
    match action {
        Action::Disable => statements.push(Stmt::KeyDisable(id)),
        Action::ScheduleDeletion => statements.push(Stmt::KeyScheduleDeletion(id, window)),
        Action::Delete => match state {
            KeyState::Deleted => {}
            KeyState::PendingDeletion => {
                let day = what_if.world.key(k).map_or(0, |k| k.deletion_day);
                let days = day.saturating_sub(what_if.world.day()).max(1);
                statements.push(Stmt::Wait(days));
            }
            _ => {
                statements.push(Stmt::KeyScheduleDeletion(id, window));
                statements.push(Stmt::Wait(window.unsigned_abs()));
            }
        },
    }
    let mut blocked = None;
    let mut blocked_message = None;
    for stmt in &statements {
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
    Impact {
        key,
        action,
        statements: statements.iter().map(|s| engine.render(s)).collect(),
        blocked,
        blocked_message,
        affected,
    }
}

pub(crate) fn affected_by(engine: &Engine<'_>, k: Idx<Key>) -> Vec<Affected> {
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

/// One node of the lineage graph: a key, a resource (live or since deleted), or the public image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineageNode {
    /// Stable within one graph: `kind:name@line`.
    pub id: String,
    /// `key`, `disk`, `snapshot`, `backup`, `image`, `config`, or `public-image`.
    pub kind: &'static str,
    pub name: String,
    /// `none` or the key's name (for a key: its own name).
    pub encryption: String,
    /// Whether the resource still exists after the last line.
    pub live: bool,
    /// A disk's health, a key's state: what styles the node.
    pub status: Option<String>,
    /// For a disk: the server it is attached to.
    pub attached_to: Option<String>,
    /// The line that created it (0 for the public image).
    pub line: u32,
    /// The layer in a left-to-right layout: keys and roots at 0.
    pub layer: u32,
}

/// One edge: the encryption flowed from `from` to `to` by `rule`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineageEdge {
    pub from: String,
    pub to: String,
    pub rule: RuleId,
}

/// Where every resource's encryption came from, as a graph (SPEC §4 provenance, all at once).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Lineage {
    pub nodes: Vec<LineageNode>,
    pub edges: Vec<LineageEdge>,
}

impl Lineage {
    /// The ids of `id` and everything upstream of it (its provenance chain).
    pub fn chain_of(&self, id: &str) -> Vec<String> {
        let mut out = vec![id.to_owned()];
        let mut i = 0;
        while let Some(cur) = out.get(i).cloned() {
            for e in self.edges.iter().filter(|e| e.to == cur) {
                if !out.contains(&e.from) {
                    out.push(e.from.clone());
                }
            }
            i += 1;
        }
        out
    }
}

/// The lineage graph after the first `until` statements (all when `None`).
pub fn lineage(program: &Program, until: Option<usize>) -> Lineage {
    use std::collections::BTreeMap;
    let engine = final_engine(program, until);
    let w = &engine.world;
    let mut g = Lineage::default();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    fn add(g: &mut Lineage, index: &mut BTreeMap<String, usize>, node: LineageNode) -> String {
        let id = node.id.clone();
        if !index.contains_key(&id) {
            index.insert(id.clone(), g.nodes.len());
            g.nodes.push(node);
        }
        id
    }
    for (_, k) in w.keys() {
        let name = engine.name(k.name).to_owned();
        add(
            &mut g,
            &mut index,
            LineageNode {
                id: format!("key:{name}"),
                kind: "key",
                encryption: name.clone(),
                name,
                live: true,
                status: Some(k.state.as_str().to_owned()),
                attached_to: None,
                line: k.line,
                layer: 0,
            },
        );
    }
    // The provenance node of every live resource, walked up to its root.
    let mut starts: Vec<ProvId> = Vec::new();
    starts.extend(w.disks().map(|(_, d)| d.prov));
    starts.extend(w.snapshots().map(|(_, d)| d.prov));
    starts.extend(w.backups().map(|(_, d)| d.prov));
    starts.extend(w.images().map(|(_, d)| d.prov));
    for (_, c) in w.configs() {
        starts.push(c.system.1);
        starts.extend(c.data.iter().map(|d| d.1));
    }
    let node_id = |label: &ProvLabel, line: u32| -> Option<String> {
        match *label {
            ProvLabel::Resource(kind, n) => {
                Some(format!("{}:{}@{line}", kind.noun(), engine.name(n)))
            }
            ProvLabel::Chosen(Some(k)) | ProvLabel::Imported(Some(k)) => {
                Some(format!("key:{}", engine.name(k)))
            }
            ProvLabel::Public => Some("public-image".to_owned()),
            ProvLabel::Chosen(None) | ProvLabel::Imported(None) => None,
        }
    };
    let mut seen = std::collections::BTreeSet::new();
    for start in starts {
        let mut cur = Some(start);
        let mut child: Option<(String, RuleId)> = None;
        let mut hops = 0;
        while let Some(p) = cur {
            let Some(node) = w.prov(p) else {
                break;
            };
            let id = node_id(&node.label, node.line);
            if let Some(id) = &id {
                if !index.contains_key(id) {
                    let (kind, name, enc, live, status, attached_to) = match node.label {
                        ProvLabel::Resource(kind, n) => {
                            let live_res = w.lookup(n).filter(|r| r.kind() == kind);
                            let created_here = |line: u32| line == node.line;
                            let (live, enc, status, attached) = match live_res {
                                Some(Res::Disk(d)) => {
                                    match w.disk(d).filter(|d| created_here(d.line)) {
                                        Some(d) => (
                                            true,
                                            engine.enc_name(d.enc),
                                            Some(w.health(d).as_str().to_owned()),
                                            d.server
                                                .and_then(|s| w.server(s))
                                                .map(|s| engine.name(s.name).to_owned()),
                                        ),
                                        None => (false, String::new(), None, None),
                                    }
                                }
                                Some(r) => match w.encryption_of(r) {
                                    Some((enc, _)) => (true, engine.enc_name(enc), None, None),
                                    None => (false, String::new(), None, None),
                                },
                                None => (false, String::new(), None, None),
                            };
                            let status = if live {
                                status
                            } else {
                                Some("deleted".to_owned())
                            };
                            (
                                kind.noun(),
                                engine.name(n).to_owned(),
                                enc,
                                live,
                                status,
                                attached,
                            )
                        }
                        _ => (
                            "public-image",
                            "public image".to_owned(),
                            "none".to_owned(),
                            true,
                            None,
                            None,
                        ),
                    };
                    add(
                        &mut g,
                        &mut index,
                        LineageNode {
                            id: id.clone(),
                            kind,
                            name,
                            encryption: enc,
                            live,
                            status,
                            attached_to,
                            line: node.line,
                            layer: 0,
                        },
                    );
                }
                if let Some((c, rule)) = &child {
                    if seen.insert((id.clone(), c.clone())) {
                        g.edges.push(LineageEdge {
                            from: id.clone(),
                            to: c.clone(),
                            rule: *rule,
                        });
                    }
                }
            }
            child = id.map(|i| (i, node.rule));
            cur = node.parent;
            hops += 1;
            if hops > 10_000 {
                break;
            }
        }
    }
    // A deleted link's encryption is its child's (encryption never changes along a chain).
    // Layers: longest path from a root, computed by relaxing edges (the graph is a DAG).
    let mut layer = vec![0u32; g.nodes.len()];
    for _ in 0..g.nodes.len().min(64) {
        let mut changed = false;
        for e in &g.edges {
            if let (Some(&f), Some(&t)) = (index.get(&e.from), index.get(&e.to)) {
                let want = layer.get(f).copied().unwrap_or(0) + 1;
                if let Some(l) = layer.get_mut(t) {
                    if *l < want {
                        *l = want;
                        changed = true;
                    }
                }
            }
        }
        if !changed {
            break;
        }
    }
    for (n, l) in g.nodes.iter_mut().zip(layer) {
        n.layer = l;
    }
    // Fill in the encryption of deleted links from what flowed out of them.
    for i in 0..g.nodes.len() {
        let missing = g.nodes.get(i).is_some_and(|n| n.encryption.is_empty());
        if missing {
            let id = g.nodes.get(i).map(|n| n.id.clone()).unwrap_or_default();
            let from_key = g
                .chain_of(&id)
                .into_iter()
                .find_map(|c| c.strip_prefix("key:").map(str::to_owned))
                .unwrap_or_else(|| "none".to_owned());
            if let Some(n) = g.nodes.get_mut(i) {
                n.encryption = from_key;
            }
        }
    }
    g
}
