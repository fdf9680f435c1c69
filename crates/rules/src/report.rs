//! The serde report of SPEC §5 (`keyline run --json`, version 1) and the state view the app
//! renders.

use crate::codes::{Code, Outcome, RuleId};
use crate::eval::{walk, Engine, Mode, Verdict};
use crate::model::{DiskRole, Health, KeyState, Power, Role};
use crate::names::NameId;
use crate::syntax::Stmt;
use crate::syntax::{ItemKind, ParseError, Program};
use crate::world::Res;
use crate::world::{DiskCopy, DiskOrigin, Enc, ImageOrigin, ImageRef, ServerOrigin};
use serde::Serialize;

/// The JSON report version.
pub const REPORT_VERSION: u32 = 1;

/// Everything the engine says about one scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub version: u32,
    pub title: Option<String>,
    pub steps: Vec<Step>,
    pub expectations: Vec<ExpectationReport>,
    /// Parse errors (additive to SPEC §5's shape); the other lines are still evaluated.
    pub errors: Vec<ParseError>,
    pub summary: Summary,
    pub state: StateView,
    /// The audit's findings on the final state (the Markdown report's "Key risks"). Not in
    /// the JSON report, whose shape is SPEC §5's: `keyline audit --json` carries them.
    #[serde(skip)]
    pub findings: Vec<crate::audit::Finding>,
    /// The line of the `# planned changes` comment ([`Program::planned_from`]): the steps after
    /// it are a plan's changes. Not in the JSON report (SPEC §5's shape).
    #[serde(skip)]
    pub planned_from: Option<u32>,
}

/// One evaluated statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    pub line: u32,
    pub statement: String,
    pub outcome: Outcome,
    /// `null` for `ok`.
    pub code: Option<Code>,
    pub rule: RuleId,
    pub message: String,
    /// The provenance chain of the resource the statement created, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provenance: Option<String>,
    /// Statement lines that, inserted just before this one, make it succeed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Vec<String>>,
    /// The names of the resources the statement involves: those it names, in the order it
    /// names them, then the disks it created without naming them (a server's `-sys` and
    /// `-dataN`), then those its warning names. Not in the JSON report (version 1).
    #[serde(skip)]
    pub resources: Vec<String>,
}

/// One checked `expect` line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExpectationReport {
    pub line: u32,
    pub text: String,
    pub passed: bool,
    pub actual: String,
}

impl ExpectationReport {
    /// The expectation as the CLI prints it: the text after `expect`, single-spaced.
    pub fn expected(&self) -> String {
        expected_words(&self.text)
    }
}

/// `expect  d1   encrypted k1` → `d1 encrypted k1`.
pub fn expected_words(text: &str) -> String {
    let mut words = text.split([' ', '\t']).filter(|w| !w.is_empty());
    let first = words.next();
    let rest: Vec<&str> = if first == Some("expect") {
        words.collect()
    } else {
        first.into_iter().chain(words).collect()
    };
    rest.join(" ")
}

/// Expectation counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub passed: usize,
    pub failed: usize,
}

impl StateView {
    /// Every resource name in the state, of every kind (keys, images, servers, disks,
    /// snapshots, backups, configs): what a fresh name must avoid.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        let keys = self.keys.iter().map(|x| x.name.as_str());
        let images = self.images.iter().map(|x| x.name.as_str());
        let servers = self.servers.iter().map(|x| x.name.as_str());
        let disks = self.disks.iter().map(|x| x.name.as_str());
        let snapshots = self.snapshots.iter().map(|x| x.name.as_str());
        let backups = self.backups.iter().map(|x| x.name.as_str());
        let configs = self.configs.iter().map(|x| x.name.as_str());
        keys.chain(images)
            .chain(servers)
            .chain(disks)
            .chain(snapshots)
            .chain(backups)
            .chain(configs)
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} passed, {} failed", self.passed, self.failed)
    }
}

/// The state at one point in time, with names as text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StateView {
    pub day: u64,
    pub kms_access: bool,
    pub role: Role,
    pub keys: Vec<KeyView>,
    pub images: Vec<ImageView>,
    pub servers: Vec<ServerView>,
    pub disks: Vec<DiskView>,
    pub snapshots: Vec<CopyView>,
    pub backups: Vec<CopyView>,
    pub configs: Vec<ConfigView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyView {
    pub name: String,
    /// `default` or `custom`.
    pub kind: &'static str,
    pub state: KeyState,
    /// The day it will be (or was) deleted, once scheduled.
    pub deletion_day: Option<u64>,
    /// Days left until deletion, while pending.
    pub days_left: Option<u64>,
    /// The line that created it (for `evs/default`, its first use).
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageView {
    pub name: String,
    /// `import` or `server`.
    pub origin: &'static str,
    pub server: Option<String>,
    /// `none` or the key's name.
    pub encryption: String,
    pub provenance: String,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServerView {
    pub name: String,
    pub power: Power,
    pub system_disk: Option<String>,
    pub data_disks: Vec<String>,
    /// `image` or `config`.
    pub origin: &'static str,
    /// The image (`public` for the public image) and, for `config`, the config's name.
    pub image: String,
    pub config: Option<String>,
    /// The system disk's encryption (`none` without one).
    pub encryption: String,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiskView {
    pub name: String,
    pub role: DiskRole,
    pub encryption: String,
    pub health: Health,
    pub attached_to: Option<String>,
    /// `empty`, `image`, `snapshot`, `backup` or `config`.
    pub origin: &'static str,
    /// The snapshot, backup, image or config it came from.
    pub source: Option<String>,
    pub provenance: String,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CopyView {
    pub name: String,
    pub disk: String,
    pub encryption: String,
    pub provenance: String,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfigView {
    pub name: String,
    pub server: String,
    pub image: String,
    pub encryption: String,
    pub data_encryption: Vec<String>,
    pub provenance: String,
    pub line: u32,
}

impl Engine<'_> {
    pub(crate) fn enc_name(&self, enc: Enc) -> String {
        match enc.and_then(|k| self.world.key(k)) {
            Some(k) => self.name(k.name).to_owned(),
            None => "none".to_owned(),
        }
    }

    fn image_name(&self, i: ImageRef) -> String {
        match i {
            ImageRef::Public => "public".to_owned(),
            ImageRef::Image(n) => self.name(n).to_owned(),
        }
    }

    /// The state as the report shows it.
    pub fn view(&self) -> StateView {
        let w = &self.world;
        let name = |n| self.name(n).to_owned();
        StateView {
            day: w.day(),
            kms_access: w.kms(),
            role: w.role(),
            keys: w
                .keys()
                .map(|(_, k)| KeyView {
                    name: name(k.name),
                    kind: if k.default { "default" } else { "custom" },
                    state: k.state,
                    deletion_day: matches!(k.state, KeyState::PendingDeletion | KeyState::Deleted)
                        .then_some(k.deletion_day)
                        .filter(|_| !k.default),
                    days_left: (k.state == KeyState::PendingDeletion)
                        .then(|| k.deletion_day.saturating_sub(w.day())),
                    line: k.line,
                })
                .collect(),
            images: w
                .images()
                .map(|(_, i)| ImageView {
                    name: name(i.name),
                    origin: match i.origin {
                        ImageOrigin::Import => "import",
                        ImageOrigin::Server(_) => "server",
                    },
                    server: match i.origin {
                        ImageOrigin::Server(s) => Some(name(s)),
                        ImageOrigin::Import => None,
                    },
                    encryption: self.enc_name(i.enc),
                    provenance: self.chain(i.prov),
                    line: i.line,
                })
                .collect(),
            servers: w
                .servers()
                .map(|(_, s)| {
                    let sys = s.system.and_then(|d| w.disk(d));
                    ServerView {
                        name: name(s.name),
                        power: s.power,
                        system_disk: sys.map(|d| name(d.name)),
                        data_disks: s
                            .data
                            .iter()
                            .filter_map(|&d| w.disk(d))
                            .map(|d| name(d.name))
                            .collect(),
                        origin: match s.origin {
                            ServerOrigin::Image(_) => "image",
                            ServerOrigin::Config(_) => "config",
                        },
                        image: self.image_name(s.image),
                        config: match s.origin {
                            ServerOrigin::Config(c) => Some(name(c)),
                            ServerOrigin::Image(_) => None,
                        },
                        encryption: self.enc_name(sys.and_then(|d| d.enc)),
                        line: s.line,
                    }
                })
                .collect(),
            disks: w
                .disks()
                .map(|(_, d)| {
                    let (origin, source) = match d.origin {
                        DiskOrigin::Empty => ("empty", None),
                        DiskOrigin::Image(i) => ("image", Some(self.image_name(i))),
                        DiskOrigin::Snapshot(s) => ("snapshot", Some(name(s))),
                        DiskOrigin::Backup(b) => ("backup", Some(name(b))),
                        DiskOrigin::Config(c) => ("config", Some(name(c))),
                    };
                    DiskView {
                        name: name(d.name),
                        role: d.role,
                        encryption: self.enc_name(d.enc),
                        health: w.health(d),
                        attached_to: d.server.and_then(|s| w.server(s)).map(|s| name(s.name)),
                        origin,
                        source,
                        provenance: self.chain(d.prov),
                        line: d.line,
                    }
                })
                .collect(),
            snapshots: w.snapshots().map(|(_, c)| self.copy_view(c)).collect(),
            backups: w.backups().map(|(_, c)| self.copy_view(c)).collect(),
            configs: w
                .configs()
                .map(|(_, c)| ConfigView {
                    name: name(c.name),
                    server: name(c.server),
                    image: self.image_name(c.image),
                    encryption: self.enc_name(c.system.0),
                    data_encryption: c.data.iter().map(|d| self.enc_name(d.0)).collect(),
                    provenance: self.chain(c.system.1),
                    line: c.line,
                })
                .collect(),
        }
    }

    /// The report's step for a statement just applied with verdict `v` (full mode).
    pub(crate) fn step(&self, line: u32, text: &str, stmt: &Stmt, v: &Verdict) -> Step {
        Step {
            line,
            statement: text.to_owned(),
            outcome: v.outcome(),
            code: v.code(),
            rule: v.rule(),
            message: self.sentence(stmt, v),
            provenance: match v.outcome() {
                Outcome::Fail => None,
                _ => self.created_chain(stmt),
            },
            fix: self.fix(stmt, v),
            resources: self.involved(stmt, v),
        }
    }

    /// See [`Step::resources`].
    fn involved(&self, stmt: &Stmt, v: &Verdict) -> Vec<String> {
        let mut ids: Vec<NameId> = stmt.names().into_iter().copied().collect();
        if let (Stmt::ServerCreate { server, .. }, Verdict::Ok(_)) = (stmt, v) {
            if let Some(Res::Server(s)) = self.world.lookup(*server) {
                if let Some(srv) = self.world.server(s) {
                    let disks = srv.system.iter().chain(&srv.data);
                    ids.extend(disks.filter_map(|&d| self.world.disk(d)).map(|d| d.name));
                }
            }
        }
        if let Verdict::Warn(_, _, warned) = v {
            ids.extend(warned);
        }
        let mut out: Vec<String> = Vec::with_capacity(ids.len());
        for id in ids {
            let name = self.name(id);
            if !out.iter().any(|n| n == name) {
                out.push(name.to_owned());
            }
        }
        out
    }

    fn copy_view<K>(&self, c: &DiskCopy<K>) -> CopyView {
        CopyView {
            name: self.name(c.name).to_owned(),
            disk: self.name(c.disk).to_owned(),
            encryption: self.enc_name(c.enc),
            provenance: self.chain(c.prov),
            line: c.line,
        }
    }
}

impl Report {
    /// Evaluates a parsed program in full: sentences, chains, fixes and the final state.
    pub fn build(program: &Program) -> Report {
        let mut steps = Vec::new();
        let (engine, _, expects) = walk(program, Mode::Full, None, |engine, step| {
            let Some(item) = program.items.get(step.item) else {
                return;
            };
            let ItemKind::Statement(stmt) = &item.kind else {
                return;
            };
            steps.push(engine.step(step.line, program.text(item), stmt, &step.verdict));
        });
        let expectations: Vec<ExpectationReport> = expects
            .into_iter()
            .map(|e| ExpectationReport {
                line: e.line,
                text: program
                    .items
                    .get(e.item)
                    .map(|i| program.text(i).to_owned())
                    .unwrap_or_default(),
                passed: e.passed,
                actual: e.actual.unwrap_or_default(),
            })
            .collect();
        let passed = expectations.iter().filter(|e| e.passed).count();
        Report {
            version: REPORT_VERSION,
            title: program.title.clone(),
            summary: Summary {
                passed,
                failed: expectations.len() - passed,
            },
            steps,
            expectations,
            errors: program.errors.clone(),
            state: engine.view(),
            findings: crate::audit::findings(&engine),
            planned_from: program.planned_from(),
        }
    }

    /// Whether every line parsed and every expectation passed.
    pub fn is_clean(&self) -> bool {
        self.errors.is_empty() && self.summary.failed == 0
    }
}
