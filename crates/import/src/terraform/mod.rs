//! A Terraform plan (`terraform show -json`, format 1.x) of the Huawei Cloud provider as a
//! scenario: the prior state rebuilt the way the API importer rebuilds an account, then, after
//! a `# planned changes` comment, every planned change as the statements that make it, so each
//! gets Keyline's verdict.
//!
//! The prior state's order is fixed by the rules (keys created enabled first, their real states
//! last, see `plan.rs`); within it, resources come in dependency order (an image before the
//! servers launched from it, a disk before its snapshots). Terraform fixes no order between
//! independent changes, so the planned changes come in the order that shows the risk: new keys,
//! then key state changes, then detaches, then deletions, then creations, then attaches and
//! power changes.

mod json;

use crate::date::Date;
use crate::input::DateIn;
use crate::names::{clean, quoted, Names};
use crate::{
    Counts, ImportError, Imported, PlanInfo, PlannedChange, Resource, ResourceKind, Skipped,
};
use json::{attrs, items, Field, Plan, Read};
use keyline_rules::{DiskFrom, Role, Source, Statement, DEFAULT_KEY};
use serde_json::{Map, Value};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

/// The line that separates the prior state from the planned changes.
pub const PLANNED_MARKER: &str = "# planned changes";

/// The shortest and longest deletion windows `key schedule-deletion` accepts (the engine's).
const MIN_WINDOW: u64 = *keyline_rules::DELETION_WINDOW_DAYS.start() as u64;
const MAX_WINDOW: u64 = *keyline_rules::DELETION_WINDOW_DAYS.end() as u64;

/// The resource types read, with the provider documentation page each follows.
const TYPES: &[&str] = &[
    "huaweicloud_kms_key",
    "huaweicloud_evs_volume",
    "huaweicloud_compute_instance",
    "huaweicloud_compute_volume_attach",
    "huaweicloud_evs_snapshot",
    "huaweicloud_cbr_checkpoint",
    "huaweicloud_images_image",
    "huaweicloud_ims_ecs_system_image",
    "huaweicloud_ims_obs_system_image",
    "huaweicloud_as_configuration",
];

/// Whether a JSON document is Terraform's (plan or state representation) rather than an API
/// response: it has `format_version` and one of the plan's or state's own top-level fields.
pub(crate) fn looks_like_terraform(v: &Value) -> bool {
    let Value::Object(o) = v else { return false };
    o.contains_key("format_version")
        && [
            "resource_changes",
            "prior_state",
            "planned_values",
            "values",
            "terraform_version",
        ]
        .iter()
        .any(|k| o.contains_key(*k))
}

/// A key's state in the prior state.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    Enabled,
    Disabled(String),
    Pending,
}

#[derive(Debug)]
struct Key {
    addr: String,
    target: Target,
    deletion: DateIn,
    pending_days: Option<String>,
    name: String,
    default: bool,
}

#[derive(Debug, Clone)]
enum ImageFrom {
    Server(String),
    Import(Option<String>),
}

#[derive(Debug)]
struct Server {
    id: String,
    name: String,
    sys_key: Option<String>,
    sys_id: Option<String>,
    status: Option<String>,
    /// Data disks made by `data_disks` blocks: (volume id, key id).
    data: Vec<(Option<String>, Option<String>)>,
}

/// Everything read from the prior state, with cloud id → scenario name maps.
#[derive(Default)]
struct Account {
    keys: Vec<Key>,
    key_ix: HashMap<String, usize>,
    servers: Vec<Server>,
    server_ix: HashMap<String, usize>,
    names: HashMap<(ResourceKind, String), String>,
    /// Prior-state address → (kind, scenario name) for the planned changes.
    by_addr: HashMap<String, (ResourceKind, String)>,
    /// Volume id → server id, for attachments; attachment address → volume id.
    attach_addr: HashMap<String, String>,
    image_key: HashMap<String, Option<String>>,
    resources: Vec<Resource>,
}

/// One line of the scenario being written.
enum Line {
    Blank,
    Note(String),
    Warning(String),
    Stmt(Statement, String, Option<usize>),
}

struct Builder {
    doc: String,
    names: Names,
    acc: Account,
    lines: Vec<Line>,
    warnings: Vec<String>,
    skipped: Vec<Skipped>,
    changes: Vec<PlannedChange>,
    images: usize,
    newest: Option<Date>,
}

/// A planned change's statements, written once every change has been read: (rank within its
/// phase, change index, writer).
type Deferred<'a> = (u8, usize, Box<dyn FnOnce(&mut Builder) + 'a>);

/// A unit of the prior state or of the planned creations, emitted in dependency order.
struct Item {
    rank: u8,
    deps: Vec<String>,
    provides: Vec<String>,
    emit: Box<dyn FnOnce(&mut Builder)>,
}

impl Builder {
    fn warn(&mut self, at: &str, msg: String) {
        let m = format!("{}: {at}: {msg}", self.doc);
        self.warnings.push(m);
        self.lines.push(Line::Warning(format!("{at}: {msg}")));
    }

    fn note(&mut self, s: impl Into<String>) {
        self.lines.push(Line::Note(s.into()));
    }

    fn stmt(&mut self, s: Statement, comment: impl Into<String>) {
        self.lines.push(Line::Stmt(s, comment.into(), None));
    }

    fn planned(&mut self, change: usize, s: Statement, comment: impl Into<String>) {
        self.lines.push(Line::Stmt(s, comment.into(), Some(change)));
    }

    fn skip(&mut self, address: &str, kind: &str, reason: String) {
        self.skipped.push(Skipped {
            address: clean(address, 200),
            kind: clean(kind, 100),
            reason,
        });
    }

    fn seen_date(&mut self, d: Option<Date>) {
        if let Some(d) = d {
            if self.newest.is_none_or(|n| d > n) {
                self.newest = Some(d);
            }
        }
    }

    fn name_of(&self, kind: ResourceKind, id: &str) -> Option<String> {
        self.acc.names.get(&(kind, id.to_owned())).cloned()
    }

    fn record(&mut self, kind: ResourceKind, id: &str, name: &str, addr: &str) {
        if !id.is_empty() {
            self.acc
                .names
                .insert((kind, id.to_owned()), name.to_owned());
            self.acc.resources.push(Resource {
                kind,
                id: id.to_owned(),
                name: name.to_owned(),
            });
        }
        if !addr.is_empty() {
            self.acc
                .by_addr
                .insert(addr.to_owned(), (kind, name.to_owned()));
        }
    }

    /// The scenario key for a key id, creating a placeholder for an id no key has.
    fn key_for(&mut self, id: &str, at: &str) -> String {
        if let Some(&k) = self.acc.key_ix.get(id) {
            if let Some(k) = self.acc.keys.get(k) {
                return k.name.clone();
            }
        }
        let name = self.names.take(&format!("key-{id}"), "", "key");
        let ix = self.acc.keys.len();
        self.acc.key_ix.insert(id.to_owned(), ix);
        self.acc.keys.push(Key {
            addr: String::new(),
            target: Target::Enabled,
            deletion: DateIn::None,
            pending_days: None,
            name: name.clone(),
            default: false,
        });
        self.record(ResourceKind::Key, id, &name, "");
        self.warn(
            at,
            format!(
                "key id {} matches no huaweicloud_kms_key in the state; a placeholder key {name} is created enabled",
                quoted(id)
            ),
        );
        self.stmt(
            Statement::KeyCreate(name.clone()),
            format!("placeholder for key id {}, not in the state", clean(id, 80)),
        );
        name
    }
}

/// Emits items so that each comes after those it depends on, lowest rank first among the ready
/// ones; items caught in a cycle (bad input) come last, in input order.
fn emit_in_order(b: &mut Builder, items: Vec<Item>) {
    let mut provider: HashMap<&str, usize> = HashMap::new();
    for (i, it) in items.iter().enumerate() {
        for p in &it.provides {
            provider.entry(p.as_str()).or_insert(i);
        }
    }
    let mut waiting = vec![0usize; items.len()];
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); items.len()];
    for (i, it) in items.iter().enumerate() {
        for d in &it.deps {
            if let Some(&p) = provider.get(d.as_str()) {
                if p != i {
                    if let Some(w) = waiting.get_mut(i) {
                        *w += 1;
                    }
                    if let Some(list) = dependents.get_mut(p) {
                        list.push(i);
                    }
                }
            }
        }
    }
    let ranks: Vec<u8> = items.iter().map(|i| i.rank).collect();
    let mut slots: Vec<Option<Item>> = items.into_iter().map(Some).collect();
    let mut ready: BinaryHeap<Reverse<(u8, usize)>> = waiting
        .iter()
        .enumerate()
        .filter(|(_, w)| **w == 0)
        .map(|(i, _)| Reverse((ranks.get(i).copied().unwrap_or(0), i)))
        .collect();
    while let Some(Reverse((_, i))) = ready.pop() {
        if let Some(item) = slots.get_mut(i).and_then(Option::take) {
            (item.emit)(b);
        }
        for &d in dependents.get(i).map(Vec::as_slice).unwrap_or_default() {
            if let Some(w) = waiting.get_mut(d) {
                *w = w.saturating_sub(1);
                if *w == 0 {
                    ready.push(Reverse((ranks.get(d).copied().unwrap_or(0), d)));
                }
            }
        }
    }
    for item in slots.into_iter().flatten() {
        (item.emit)(b);
    }
}

/// The first `n` distinct kinds of the skipped resources, sorted (by insertion: a library sort
/// costs the web bundle more than this).
fn first_kinds(skipped: &[Skipped], n: usize) -> Vec<String> {
    let mut kinds: Vec<String> = Vec::new();
    for s in skipped {
        if let Err(at) = kinds.binary_search(&s.kind) {
            kinds.insert(at, s.kind.clone());
        }
    }
    kinds.truncate(n);
    kinds
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Every managed resource of a state's modules: (address, type, provider, values).
type StateRes = (String, String, String, Map<String, Value>);

fn walk_module(m: &json::Module, out: &mut Vec<StateRes>, data: &mut Vec<(String, String)>) {
    let bad = m
        .resources
        .value()
        .map_or(0, |l| l.iter().filter(|r| r.value().is_none()).count());
    if bad > 0 {
        data.push((
            format!("{bad} item(s) of a module's resources"),
            "not an object".to_owned(),
        ));
    }
    for r in items(&m.resources) {
        let addr = r.address.value().cloned().unwrap_or_default();
        let kind = r.kind.value().cloned().unwrap_or_default();
        if r.mode.value().map(String::as_str) == Some("data") {
            data.push((addr, kind));
            continue;
        }
        let provider = r.provider_name.value().cloned().unwrap_or_default();
        let Some(values) = r.values.value().cloned() else {
            data.push((addr, kind));
            continue;
        };
        out.push((addr, kind, provider, values));
    }
    for c in items(&m.child_modules) {
        walk_module(c, out, data);
    }
}

/// `module.a[0].huaweicloud_evs_volume.data["x"]` → `module.a.huaweicloud_evs_volume.data`:
/// the configuration address, which `configuration` uses.
fn config_address(addr: &str) -> String {
    let mut out = String::with_capacity(addr.len());
    let mut depth = 0usize;
    let mut quoted = false;
    for c in addr.chars() {
        match c {
            '"' if depth > 0 => quoted = !quoted,
            '[' if !quoted => depth += 1,
            ']' if !quoted => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The module part of a configuration address (`module.a.` or empty).
fn module_prefix(config_addr: &str) -> String {
    let parts: Vec<&str> = config_addr.split('.').collect();
    let mut prefix = String::new();
    let mut i = 0;
    while parts.get(i) == Some(&"module") {
        if let Some(name) = parts.get(i + 1) {
            prefix.push_str(&format!("module.{name}."));
        }
        i += 2;
    }
    prefix
}

/// The `references` of each attribute expression of each configured resource, by
/// configuration address; nested blocks by `attr.index.attr`.
fn config_refs(plan: &Plan) -> HashMap<String, HashMap<String, Vec<String>>> {
    let mut out = HashMap::new();
    if let Some(root) = plan
        .configuration
        .value()
        .and_then(|c| c.root_module.value())
    {
        config_module(root, "", &mut out, 0);
    }
    out
}

fn config_module(
    m: &json::ConfigModule,
    prefix: &str,
    out: &mut HashMap<String, HashMap<String, Vec<String>>>,
    depth: usize,
) {
    if depth > 32 {
        return;
    }
    for r in items(&m.resources) {
        let Some(addr) = r.address.value() else {
            continue;
        };
        let mut refs = HashMap::new();
        if let Some(e) = r.expressions.value() {
            collect_refs(e, "", &mut refs, 0);
        }
        out.insert(format!("{prefix}{addr}"), refs);
    }
    if let Some(calls) = m.module_calls.value() {
        for (name, call) in calls {
            let Some(module) = call.get("module") else {
                continue;
            };
            let Some(module) = module.as_object().map(json::ConfigModule::read) else {
                continue;
            };
            config_module(&module, &format!("{prefix}module.{name}."), out, depth + 1);
        }
    }
}

fn collect_refs(v: &Value, path: &str, out: &mut HashMap<String, Vec<String>>, depth: usize) {
    if depth > 16 {
        return;
    }
    match v {
        Value::Object(o) => {
            if let Some(Value::Array(refs)) = o.get("references") {
                let list: Vec<String> = refs
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect();
                out.insert(path.to_owned(), list);
                return;
            }
            for (k, v) in o {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                collect_refs(v, &p, out, depth + 1);
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                collect_refs(v, &format!("{path}.{i}"), out, depth + 1);
            }
        }
        _ => {}
    }
}

/// Reads and converts one Terraform document.
pub(crate) fn import(
    doc_name: &str,
    value: Value,
    today_arg: Option<Date>,
) -> Result<Imported, ImportError> {
    let plan = value.as_object().map(Plan::read).unwrap_or_default();
    let version = match &plan.format_version {
        Field::Val(v) => v.trim().to_owned(),
        Field::Wrong(t) => {
            return Err(ImportError::NothingImported {
                problems: vec![format!(
                    "{doc_name}: format_version: expected a string such as \"1.2\", found {t}"
                )],
            })
        }
        _ => String::new(),
    };
    let major = version.split('.').next().unwrap_or("");
    if major != "1" {
        return Err(ImportError::NothingImported {
            problems: vec![format!(
                "{doc_name}: a Terraform JSON document of format_version {}: Keyline reads format 1.x (Terraform rejects an unsupported major version, and so does Keyline)",
                quoted(&version)
            )],
        });
    }
    let is_plan = !matches!(plan.resource_changes, Field::Absent)
        || !matches!(plan.prior_state, Field::Absent);
    let tf_version = plan.terraform_version.value().map(|v| clean(v, 40));
    let mut b = Builder {
        doc: doc_name.to_owned(),
        names: Names::new(),
        acc: Account::default(),
        lines: Vec::new(),
        warnings: Vec::new(),
        skipped: Vec::new(),
        changes: Vec::new(),
        images: 0,
        newest: None,
    };
    if let Some(ts) = plan.timestamp.value() {
        b.seen_date(Date::parse_api(ts));
    }
    // Prior state (a plan) or the state itself (a state document).
    let values = if is_plan {
        plan.prior_state.value().and_then(|s| s.values.value())
    } else {
        plan.values.value()
    };
    let mut prior = Vec::new();
    let mut data = Vec::new();
    if let Some(root) = values.and_then(|v| v.root_module.value()) {
        walk_module(root, &mut prior, &mut data);
    }
    let changes: Vec<&json::ResourceChange> = items(&plan.resource_changes).collect();
    if prior.is_empty() && changes.is_empty() {
        return Err(ImportError::NothingImported {
            problems: vec![format!(
                "{doc_name}: a Terraform {} with no resources in its {} and no resource_changes",
                if is_plan { "plan" } else { "state" },
                if is_plan { "prior_state" } else { "values" }
            )],
        });
    }
    for (addr, kind) in &data {
        let reason = if kind == "not an object" {
            "not an object".to_owned()
        } else if addr.starts_with("data.") || addr.contains(".data.") {
            "a data source: read by the plan, not managed by it".to_owned()
        } else {
            "no `values` object".to_owned()
        };
        b.skip(addr, kind, reason);
    }
    let bad_changes = plan
        .resource_changes
        .value()
        .map_or(0, |l| l.iter().filter(|r| r.value().is_none()).count());
    if bad_changes > 0 {
        b.skip(
            &format!("{bad_changes} item(s) of resource_changes"),
            "not an object",
            "not an object".to_owned(),
        );
    }
    let refs = config_refs(&plan);
    build_prior(&mut b, &prior);
    let today = today_arg.or(b.newest);
    let key_state_lines = key_states(&mut b, today);
    let templates = planned_templates(&mut b, &changes, &refs);
    // Assemble: header, prior state, templates, key states, planned changes.
    let prior_lines = std::mem::take(&mut b.lines);
    let template_lines = templates;
    let planned = if is_plan {
        planned_changes(&mut b, &changes, &refs);
        Some(std::mem::take(&mut b.lines))
    } else {
        None
    };
    let mut out = Vec::new();
    let counts = Counts {
        documents: 1,
        keys: b
            .acc
            .keys
            .iter()
            .filter(|k| !k.default || b.acc.keys.len() == 1)
            .count(),
        servers: b.acc.servers.len(),
        disks: b
            .acc
            .resources
            .iter()
            .filter(|r| r.kind == ResourceKind::Disk)
            .count(),
        images: b.images,
        skipped: b.skipped.len(),
    };
    let title = format!(
        "title Terraform {} {}: {}, {}, {}{}",
        if is_plan { "plan" } else { "state" },
        doc_name.replace('#', "-"),
        plural(counts.keys, "key", "keys"),
        plural(counts.servers, "server", "servers"),
        plural(counts.disks, "disk", "disks"),
        if is_plan {
            format!(
                "; {}",
                plural(b.changes.len(), "planned change", "planned changes")
            )
        } else {
            String::new()
        }
    );
    let mut text = String::new();
    text.push_str(&title);
    text.push('\n');
    out.push(Line::Note(format!(
        "Written by `keyline import` from `terraform show -json` (format {}{}){}",
        clean(&version, 20),
        tf_version.map(|v| format!(", Terraform {v}")).unwrap_or_default(),
        if is_plan {
            ": the prior state is rebuilt first, then each planned change is played as statements, so each gets a verdict."
        } else {
            ": it rebuilds the state's keys, servers, disks, snapshots, backups, images and configs."
        }
    )));
    if let Some(t) = today {
        out.push(Line::Note(format!(
            "Today is {t} ({}); days left until a key's deletion count from it.",
            if today_arg.is_some() {
                "given with --today"
            } else {
                "the plan's timestamp or the newest date in it"
            }
        )));
    }
    if !b.skipped.is_empty() {
        let shown: Vec<String> = b
            .skipped
            .iter()
            .take(10)
            .map(|s| format!("{} ({})", s.address, s.reason))
            .collect();
        let more = if b.skipped.len() > 10 {
            format!(" and {} more", b.skipped.len() - 10)
        } else {
            String::new()
        };
        out.push(Line::Note(format!(
            "Skipped {}: {}{more}.",
            plural(b.skipped.len(), "resource", "resources"),
            shown.join("; ")
        )));
    }
    out.push(Line::Stmt(
        Statement::Role(Role::SecurityAdmin),
        "only a security administrator can grant EVS access to KMS".to_owned(),
        None,
    ));
    out.push(Line::Stmt(
        Statement::KmsGrant,
        "needed to create encrypted disks (R-GRANT)".to_owned(),
        None,
    ));
    out.extend(prior_lines);
    out.extend(template_lines);
    out.extend(key_state_lines);
    let mut planned_line = None;
    let mut change_lines: Vec<Vec<u32>> = vec![Vec::new(); b.changes.len()];
    // Lines written so far (the title is line 1).
    let mut line_no: u32 = 1;
    let mut render = |l: Line, text: &mut String, line_no: &mut u32| match l {
        Line::Blank => {
            if !text.ends_with("\n\n") {
                text.push('\n');
                *line_no += 1;
            }
        }
        Line::Note(n) => {
            text.push_str(&format!("# {n}\n"));
            *line_no += 1;
        }
        Line::Warning(w) => {
            text.push_str(&format!("# warning: {w}\n"));
            *line_no += 1;
        }
        Line::Stmt(s, c, change) => {
            text.push_str(&s.to_string());
            if !c.is_empty() {
                text.push_str("  # ");
                text.push_str(&c);
            }
            text.push('\n');
            *line_no += 1;
            if let Some(list) = change.and_then(|i| change_lines.get_mut(i)) {
                list.push(*line_no);
            }
        }
    };
    for l in out {
        render(l, &mut text, &mut line_no);
    }
    if let Some(planned) = planned {
        render(Line::Blank, &mut text, &mut line_no);
        text.push_str(PLANNED_MARKER);
        text.push('\n');
        line_no += 1;
        planned_line = Some(line_no);
        text.push_str("# Terraform fixes no order between independent changes; here new keys come first, then key state changes, detaches and deletions, then creations, attaches and power changes: the order that shows the risk (a detach after its key's disabling warns, an attach fails).\n");
        line_no += 1;
        for l in planned {
            render(l, &mut text, &mut line_no);
        }
    }
    let mut changes = std::mem::take(&mut b.changes);
    for (c, lines) in changes.iter_mut().zip(change_lines) {
        c.lines = lines;
    }
    let total = counts.keys + counts.servers + counts.disks;
    if total == 0 && changes.iter().all(|c| c.lines.is_empty()) {
        let mut problems = vec![format!(
            "{doc_name}: no resource Keyline models ({}) in the {}",
            TYPES.join(", "),
            if is_plan { "plan" } else { "state" }
        )];
        problems.extend(
            b.skipped
                .iter()
                .take(5)
                .map(|s| format!("{}: skipped: {}", s.address, s.reason)),
        );
        return Err(ImportError::NothingImported { problems });
    }
    if !b.skipped.is_empty() {
        let kinds = first_kinds(&b.skipped, 8);
        b.warnings.push(format!(
            "{doc_name}: skipped {} that Keyline does not model (types {}); listed in the scenario's comments",
            plural(b.skipped.len(), "resource", "resources"),
            kinds.join(", ")
        ));
    }
    Ok(Imported {
        scenario: text,
        warnings: b.warnings,
        counts,
        resources: b.acc.resources,
        today,
        plan: Some(PlanInfo {
            format_version: clean(&version, 20),
            terraform_version: plan.terraform_version.value().map(|v| clean(v, 40)),
            planned_line,
            changes,
            skipped: b.skipped,
        }),
    })
}

// ---------------------------------------------------------------------------------------
// The prior state.

fn build_prior(b: &mut Builder, prior: &[StateRes]) {
    for r in prior {
        if !TYPES.contains(&r.1.as_str()) {
            let reason = if r.1.starts_with("huaweicloud_") {
                "a Huawei Cloud resource type Keyline does not model".to_owned()
            } else {
                format!(
                    "not a Huawei Cloud resource (provider {})",
                    quoted(r.2.rsplit('/').next().unwrap_or(&r.2))
                )
            };
            b.skip(&r.0, &r.1, reason);
        }
    }
    // The resources of one type, in the state's order.
    let get = |t: &str| -> Vec<&StateRes> { prior.iter().filter(|r| r.1 == t).collect() };
    // Keys first: everything else names them.
    let keys = get("huaweicloud_kms_key");
    if !keys.is_empty() {
        b.lines.push(Line::Blank);
        b.note("Keys, all created enabled: nothing can be created or attached with an unusable key (R-USE-NEW, R-REATTACH), so their states from the state are set at the end.");
    }
    for (addr, _, _, values) in keys {
        prior_key(b, addr, values);
    }
    let mut list: Vec<Item> = Vec::new();
    let servers_seen: Vec<(String, json::Instance)> = get("huaweicloud_compute_instance")
        .into_iter()
        .map(|(a, _, _, v)| (a.clone(), attrs::<json::Instance>(v)))
        .collect();
    let volumes: Vec<(String, json::EvsVolume)> = get("huaweicloud_evs_volume")
        .into_iter()
        .map(|(a, _, _, v)| (a.clone(), attrs::<json::EvsVolume>(v)))
        .collect();
    let volume_ids: std::collections::HashSet<String> = volumes
        .iter()
        .filter_map(|(_, v)| v.id.value().cloned())
        .collect();
    // Attachments: from each volume's `attachment`, else from a volume_attach resource.
    let mut attached: HashMap<String, (String, Option<String>)> = HashMap::new();
    for (addr, _, _, v) in get("huaweicloud_compute_volume_attach") {
        let a = attrs::<json::VolumeAttach>(v);
        if let (Some(vol), Some(srv)) = (a.volume_id.value(), a.instance_id.value()) {
            b.acc.attach_addr.insert(addr.clone(), vol.clone());
            attached
                .entry(vol.clone())
                .or_insert((srv.clone(), a.device.value().cloned()));
        }
    }
    for (addr, s) in servers_seen {
        list.push(prior_server(b, addr, s, &volume_ids));
    }
    for (addr, v) in volumes {
        list.extend(prior_volume(b, addr, v, &mut attached));
    }
    for (addr, _, _, v) in get("huaweicloud_evs_snapshot") {
        list.extend(prior_snapshot(b, addr, attrs::<json::Snapshot>(v)));
    }
    for (addr, _, _, v) in get("huaweicloud_cbr_checkpoint") {
        list.extend(prior_checkpoint(b, addr, attrs::<json::Checkpoint>(v)));
    }
    for t in [
        "huaweicloud_images_image",
        "huaweicloud_ims_ecs_system_image",
        "huaweicloud_ims_obs_system_image",
    ] {
        for (addr, _, _, v) in get(t) {
            list.extend(prior_image(b, addr, attrs::<json::Image>(v)));
        }
    }
    for (addr, _, _, v) in get("huaweicloud_as_configuration") {
        list.extend(prior_config(b, addr, attrs::<json::AsConfiguration>(v)));
    }
    if !list.is_empty() {
        b.lines.push(Line::Blank);
        b.note("Images, servers (each with its system disk), disks and their attachments, snapshots, backups and configs, each after what it comes from.");
    }
    emit_in_order(b, list);
}

fn code_text(f: &Field<json::Code>) -> Option<String> {
    f.value().map(json::Code::text).filter(|s| !s.is_empty())
}

fn prior_key(b: &mut Builder, addr: &str, values: &Map<String, Value>) {
    let k: json::KmsKey = attrs(values);
    let mut problems = Vec::new();
    let mut w = |m: String| problems.push(m);
    let id =
        k.id.text(&mut w, "id")
            .or_else(|| k.key_id.value().map(String::as_str))
            .map(str::to_owned);
    let alias = k.key_alias.text(&mut w, "key_alias").map(str::to_owned);
    let enabled = k.is_enabled.get(&mut w, "is_enabled", "a boolean").copied();
    let state = code_text(&k.key_state);
    let flag = code_text(&k.default_key_flag);
    let deletion = match k.scheduled_deletion_date.value() {
        Some(c) => {
            let t = c.text();
            if t.is_empty() || t == "0" {
                DateIn::None
            } else {
                Date::parse_api(&t).map_or(DateIn::Bad(quoted(&t)), DateIn::Date)
            }
        }
        None => DateIn::None,
    };
    let pending_days = code_text(&k.pending_days);
    if let Some(c) = code_text(&k.creation_date) {
        b.seen_date(Date::parse_api(&c));
    }
    for p in problems {
        b.warn(addr, p);
    }
    let Some(id) = id else {
        b.warn(
            addr,
            "attribute `id` (and `key_id`) missing; the key is skipped".to_owned(),
        );
        b.skip(addr, "huaweicloud_kms_key", "no id".to_owned());
        return;
    };
    let default = alias.as_deref() == Some(DEFAULT_KEY) || flag.as_deref() == Some("1");
    let target = match (state.as_deref(), enabled) {
        (Some("2"), _) => Target::Enabled,
        (Some("3"), _) => Target::Disabled("disabled (key_state 3) in the state".to_owned()),
        (Some("4"), _) => Target::Pending,
        (Some("1"), _) => Target::Disabled("to be activated (key_state 1) in the state: it cannot be used yet, so it is imported as disabled".to_owned()),
        (Some("5"), _) => Target::Disabled("pending import (key_state 5) in the state: it has no key material yet, so it is imported as disabled".to_owned()),
        (_, Some(false)) => Target::Disabled("is_enabled = false in the state".to_owned()),
        (_, Some(true)) => Target::Enabled,
        (other, None) => {
            let what = other.map_or("key_state and is_enabled are missing".to_owned(), |s| {
                format!("key_state {} is not one Keyline knows", quoted(s))
            });
            b.warn(addr, format!("{what}; the key is imported enabled"));
            Target::Enabled
        }
    };
    let name = if default {
        if target != Target::Enabled {
            b.warn(addr, format!("the default key {DEFAULT_KEY} cannot be disabled or deleted in Keyline; it is imported enabled"));
        }
        DEFAULT_KEY.to_owned()
    } else {
        b.names
            .take(alias.as_deref().unwrap_or(""), &format!("key-{id}"), "key")
    };
    let ix = b.acc.keys.len();
    b.acc.key_ix.insert(id.clone(), ix);
    if let Some(kid) = k.key_id.value() {
        b.acc.key_ix.insert(kid.clone(), ix);
    }
    b.record(ResourceKind::Key, &id, &name, addr);
    let comment = format!(
        "{}, id {}{}",
        clean(addr, 120),
        clean(&id, 80),
        match &target {
            Target::Enabled => String::new(),
            Target::Disabled(_) => ", disabled in the state".to_owned(),
            Target::Pending => ", pending deletion in the state".to_owned(),
        }
    );
    if default {
        b.note(format!("{addr} is the default key {DEFAULT_KEY}: it exists from its first use, so it is not created here."));
    } else {
        b.stmt(Statement::KeyCreate(name.clone()), comment);
    }
    b.acc.keys.push(Key {
        addr: addr.to_owned(),
        target: if default { Target::Enabled } else { target },
        deletion,
        pending_days,
        name,
        default,
    });
}

fn prior_server(
    b: &mut Builder,
    addr: String,
    s: json::Instance,
    volume_ids: &std::collections::HashSet<String>,
) -> Item {
    let mut problems = Vec::new();
    let mut w = |m: String| problems.push(m);
    let id =
        s.id.text(&mut w, "id")
            .map(str::to_owned)
            .unwrap_or_default();
    let raw = s.name.text(&mut w, "name").map(str::to_owned);
    let image_id = s.image_id.text(&mut w, "image_id").map(str::to_owned);
    let sys_key = s
        .system_disk_kms_key_id
        .text(&mut w, "system_disk_kms_key_id")
        .map(str::to_owned);
    let sys_id = s
        .system_disk_id
        .text(&mut w, "system_disk_id")
        .map(str::to_owned);
    let status = s.status.text(&mut w, "status").map(str::to_owned);
    // Data disks made by `data_disks` blocks: the attached volumes no evs_volume resource lists.
    let blocks: Vec<Option<String>> = items(&s.data_disks)
        .map(|d| d.kms_key_id.value().filter(|k| !k.is_empty()).cloned())
        .collect();
    let extra: Vec<String> = items(&s.volume_attached)
        .filter(|v| v.is_sys_volume.value() != Some(&true))
        .filter(|v| code_text(&v.boot_index).as_deref() != Some("0"))
        .filter_map(|v| v.volume_id.value().cloned())
        .filter(|v| !volume_ids.contains(v) && Some(v) != sys_id.as_ref())
        .collect();
    let data: Vec<(Option<String>, Option<String>)> = blocks
        .iter()
        .enumerate()
        .map(|(i, k)| (extra.get(i).cloned(), k.clone()))
        .collect();
    b.seen_date(s.created_at.value().and_then(|d| Date::parse_api(d)));
    b.seen_date(s.updated_at.value().and_then(|d| Date::parse_api(d)));
    for p in problems {
        b.warn(&addr, p);
    }
    let name = b.names.take(raw.as_deref().unwrap_or(""), &id, "server");
    let fallback = if id.is_empty() {
        addr.clone()
    } else {
        id.clone()
    };
    b.acc
        .server_ix
        .insert(fallback.clone(), b.acc.servers.len());
    b.record(ResourceKind::Server, &id, &name, &addr);
    let sys_name = b.names.take(&format!("{name}-sys"), "", "disk");
    if let Some(sid) = &sys_id {
        b.record(ResourceKind::Disk, sid, &sys_name, "");
    }
    let data_names: Vec<String> = (1..=data.len())
        .map(|n| b.names.take(&format!("{name}-data{n}"), "", "disk"))
        .collect();
    for ((vid, _), dn) in data.iter().zip(&data_names) {
        if let Some(v) = vid {
            b.record(ResourceKind::Disk, v, dn, "");
        }
    }
    b.acc.servers.push(Server {
        id: fallback.clone(),
        name: name.clone(),
        sys_key: sys_key.clone(),
        sys_id,
        status,
        data: data.clone(),
    });
    let mut deps = Vec::new();
    if let Some(i) = &image_id {
        deps.push(format!("image:{i}"));
    }
    Item {
        rank: 1,
        deps,
        provides: vec![format!("server:{fallback}")],
        emit: Box::new(move |b: &mut Builder| {
            emit_server(
                b,
                &addr,
                &name,
                &sys_name,
                image_id.as_deref(),
                sys_key.as_deref(),
                None,
            );
            for (i, ((_, key), dn)) in data.iter().zip(&data_names).enumerate() {
                let key = key
                    .as_ref()
                    .map(|k| b.key_for(k, &format!("{addr}.data_disks[{i}]")));
                b.stmt(
                    Statement::DiskCreate {
                        disk: dn.clone(),
                        from: None,
                        key,
                    },
                    format!("{addr}: data_disks[{i}]"),
                );
                b.stmt(
                    Statement::Attach {
                        disk: dn.clone(),
                        server: name.clone(),
                        system: false,
                    },
                    "",
                );
            }
            let status = b
                .acc
                .servers
                .iter()
                .find(|s| s.name == name)
                .and_then(|s| s.status.clone());
            match status.as_deref() {
                Some("SHUTOFF") => {
                    b.stmt(Statement::ServerStop(name.clone()), "SHUTOFF in the state")
                }
                None | Some("ACTIVE") => {}
                Some(other) => b.warn(
                    &addr,
                    format!(
                        "status {} is neither ACTIVE nor SHUTOFF; the server is imported running",
                        quoted(other)
                    ),
                ),
            }
        }),
    }
}

/// `server create`, with the image that gives its system disk the key the state shows.
fn emit_server(
    b: &mut Builder,
    addr: &str,
    name: &str,
    sys_name: &str,
    image_id: Option<&str>,
    sys_key: Option<&str>,
    change: Option<usize>,
) {
    let state_image =
        image_id.and_then(|i| b.name_of(ResourceKind::Image, i).map(|n| (i.to_owned(), n)));
    let image_key = state_image
        .as_ref()
        .and_then(|(i, _)| b.acc.image_key.get(i).cloned().flatten());
    let source = match (sys_key, state_image) {
        (Some(k), img) if img.is_none() || image_key.as_deref() != Some(k) => {
            let key = b.key_for(k, &format!("{addr}.system_disk_kms_key_id"));
            let img = b.names.take(&format!("{name}-img"), "", "image");
            b.images += 1;
            b.note(format!(
                "The system disk of {name} is encrypted with key {key} (system_disk_kms_key_id). `server create` takes a system disk's encryption from its image (R-SYS-IMAGE), so an image encrypted with that key comes first."
            ));
            let s = Statement::ImageImport {
                image: img.clone(),
                key: Some(key),
            };
            match change {
                Some(c) => b.planned(c, s, "an image only for this, not in the plan"),
                None => b.stmt(s, "an image only for this, not in the state"),
            }
            Some(Source::Image(img))
        }
        (_, Some((_, n))) => Some(Source::Image(n)),
        (_, None) => None,
    };
    let s = Statement::ServerCreate {
        server: name.to_owned(),
        source,
        system_disk: Some(sys_name.to_owned()),
    };
    let comment = match image_id {
        Some(i) if b.name_of(ResourceKind::Image, i).is_none() => {
            format!(
                "{}; image {} is not in the state (a public image, unencrypted)",
                clean(addr, 120),
                clean(i, 60)
            )
        }
        _ => clean(addr, 120),
    };
    match change {
        Some(c) => b.planned(c, s, comment),
        None => b.stmt(s, comment),
    }
}

fn prior_volume(
    b: &mut Builder,
    addr: String,
    v: json::EvsVolume,
    attached: &mut HashMap<String, (String, Option<String>)>,
) -> Vec<Item> {
    let mut problems = Vec::new();
    let mut w = |m: String| problems.push(m);
    let id =
        v.id.text(&mut w, "id")
            .map(str::to_owned)
            .unwrap_or_default();
    let raw = v.name.text(&mut w, "name").map(str::to_owned);
    let kms = v.kms_id.text(&mut w, "kms_id").map(str::to_owned);
    let snap = v.snapshot_id.text(&mut w, "snapshot_id").map(str::to_owned);
    let backup = v.backup_id.text(&mut w, "backup_id").map(str::to_owned);
    let image = v.image_id.text(&mut w, "image_id").map(str::to_owned);
    let multi = v
        .multiattach
        .get(&mut w, "multiattach", "a boolean")
        .copied()
        .unwrap_or(false);
    let atts: Vec<(String, Option<String>)> = items(&v.attachment)
        .filter_map(|a| {
            a.instance_id
                .value()
                .map(|s| (s.clone(), a.device.value().cloned()))
        })
        .collect();
    b.seen_date(v.created_at.value().and_then(|d| Date::parse_api(d)));
    b.seen_date(v.updated_at.value().and_then(|d| Date::parse_api(d)));
    for p in problems {
        b.warn(&addr, p);
    }
    if atts.len() > 1 {
        b.warn(&addr, format!(
            "the disk is attached to {} servers{}; Keyline attaches a disk to one server, so only the first attachment is imported",
            atts.len(),
            if multi { " (multiattach)" } else { "" }
        ));
    }
    let att = atts.into_iter().next().or_else(|| attached.remove(&id));
    let name = b.names.take(raw.as_deref().unwrap_or(""), &id, "disk");
    b.record(ResourceKind::Disk, &id, &name, &addr);
    let mut deps = Vec::new();
    if let Some(s) = &snap {
        deps.push(format!("snapshot:{s}"));
    }
    if let Some(bk) = &backup {
        deps.push(format!("backup:{bk}"));
    }
    let disk_id = id.clone();
    let mut out = vec![Item {
        rank: if deps.is_empty() { 2 } else { 5 },
        deps,
        provides: vec![format!("disk:{id}")],
        emit: Box::new({
            let (addr, name) = (addr.clone(), name.clone());
            move |b: &mut Builder| {
                let from = snap
                    .as_deref()
                    .and_then(|s| b.name_of(ResourceKind::Snapshot, s).map(DiskFrom::Snapshot))
                    .or_else(|| {
                        backup
                            .as_deref()
                            .and_then(|x| b.name_of(ResourceKind::Backup, x).map(DiskFrom::Backup))
                    });
                let mut comment = format!("{}, id {}", clean(&addr, 120), clean(&id, 80));
                let key = if from.is_some() {
                    comment
                        .push_str("; its encryption is its source's (R-FROM-SNAP, R-FROM-BACKUP)");
                    None
                } else {
                    if let Some(s) = snap.as_ref().or(backup.as_ref()) {
                        comment.push_str(&format!(
                            "; created from {} (not in the state, so created empty)",
                            clean(s, 60)
                        ));
                    } else if let Some(i) = &image {
                        comment.push_str(&format!(
                            "; created from image {} (Keyline creates data disks empty)",
                            clean(i, 60)
                        ));
                    }
                    kms.as_deref()
                        .map(|k| b.key_for(k, &format!("{addr}.kms_id")))
                };
                b.stmt(
                    Statement::DiskCreate {
                        disk: name,
                        from,
                        key,
                    },
                    comment,
                );
            }
        }),
    }];
    if let Some((server, device)) = att {
        out.push(Item {
            rank: 3,
            deps: vec![format!("disk:{disk_id}"), format!("server:{server}")],
            provides: Vec::new(),
            emit: Box::new(move |b: &mut Builder| {
                let Some(s) = b.name_of(ResourceKind::Server, &server) else {
                    b.warn(
                        &addr,
                        format!(
                            "attached to server {} that is not in the state; imported detached",
                            quoted(&server)
                        ),
                    );
                    return;
                };
                b.stmt(
                    Statement::Attach {
                        disk: name,
                        server: s,
                        system: false,
                    },
                    device
                        .map(|d| format!("at {}", clean(&d, 40)))
                        .unwrap_or_default(),
                );
            }),
        });
    }
    out
}

fn prior_snapshot(b: &mut Builder, addr: &str, s: json::Snapshot) -> Vec<Item> {
    let id = s.id.value().cloned().unwrap_or_default();
    let raw = s.name.value().cloned();
    let Some(vol) = s.volume_id.value().cloned() else {
        b.warn(
            addr,
            "attribute `volume_id` missing; the snapshot is skipped".to_owned(),
        );
        b.skip(addr, "huaweicloud_evs_snapshot", "no volume_id".to_owned());
        return Vec::new();
    };
    let name = b.names.take(raw.as_deref().unwrap_or(""), &id, "snapshot");
    b.record(ResourceKind::Snapshot, &id, &name, addr);
    let addr = addr.to_owned();
    vec![Item {
        rank: 4,
        deps: vec![format!("disk:{vol}")],
        provides: vec![format!("snapshot:{id}")],
        emit: Box::new(
            move |b: &mut Builder| match b.name_of(ResourceKind::Disk, &vol) {
                Some(d) => b.stmt(
                    Statement::SnapshotCreate {
                        snapshot: name,
                        disk: d,
                    },
                    clean(&addr, 120),
                ),
                None => b.warn(
                    &addr,
                    format!(
                        "its volume {} is not in the state; the snapshot is skipped",
                        quoted(&vol)
                    ),
                ),
            },
        ),
    }]
}

/// The disks a CBR backup of one resource covers: a volume, or every disk of a server.
fn backup_disks(b: &Builder, kind: &str, resource: &str) -> Option<Vec<String>> {
    match kind {
        "OS::Cinder::Volume" => b.name_of(ResourceKind::Disk, resource).map(|d| vec![d]),
        "OS::Nova::Server" => {
            b.acc.servers.iter().find(|s| s.id == resource).map(|s| {
                let mut v: Vec<String> = s
                    .sys_id
                    .iter()
                    .filter_map(|i| b.name_of(ResourceKind::Disk, i))
                    .collect();
                v.extend(s.data.iter().filter_map(|(i, _)| {
                    i.as_ref().and_then(|i| b.name_of(ResourceKind::Disk, i))
                }));
                v
            })
        }
        _ => None,
    }
}

fn prior_checkpoint(b: &mut Builder, addr: &str, c: json::Checkpoint) -> Vec<Item> {
    let raw = c.name.value().cloned().unwrap_or_default();
    let mut out = Vec::new();
    let backups: Vec<(String, String, Option<String>)> = items(&c.backups)
        .filter_map(|x| {
            Some((
                x.kind.value()?.clone(),
                x.resource_id.value()?.clone(),
                x.id.value().cloned(),
            ))
        })
        .collect();
    if backups.is_empty() {
        b.warn(
            addr,
            "no `backups` with a type and resource_id; the checkpoint is skipped".to_owned(),
        );
    }
    for (kind, resource, backup_id) in backups {
        let addr = addr.to_owned();
        let raw = raw.clone();
        let dep = if kind == "OS::Nova::Server" {
            format!("server:{resource}")
        } else {
            format!("disk:{resource}")
        };
        out.push(Item {
            rank: 4,
            deps: vec![dep],
            provides: backup_id.iter().map(|i| format!("backup:{i}")).collect(),
            emit: Box::new(move |b: &mut Builder| {
                let Some(disks) = backup_disks(b, &kind, &resource) else {
                    b.warn(
                        &addr,
                        format!(
                            "backup of {} {}: not a volume or server in the state; skipped",
                            clean(&kind, 40),
                            quoted(&resource)
                        ),
                    );
                    return;
                };
                let single = disks.len() == 1;
                for d in disks {
                    let base = if single && !raw.is_empty() {
                        raw.clone()
                    } else {
                        format!("{raw}-{d}")
                    };
                    let name = b.names.take(&base, "", "backup");
                    if let (Some(id), true) = (&backup_id, single) {
                        b.record(ResourceKind::Backup, id, &name, &addr);
                    } else {
                        b.record(ResourceKind::Backup, "", &name, &addr);
                    }
                    b.stmt(
                        Statement::BackupCreate {
                            backup: name,
                            disk: d,
                        },
                        format!("{} ({})", clean(&addr, 120), clean(&kind, 40)),
                    );
                }
            }),
        });
    }
    out
}

fn prior_image(b: &mut Builder, addr: &str, i: json::Image) -> Vec<Item> {
    let id = i.id.value().cloned().unwrap_or_default();
    let raw = i.name.value().cloned();
    let kind = addr.split('.').rev().nth(1).unwrap_or("").to_owned();
    if i.volume_id.value().is_some() || i.backup_id.value().is_some() {
        b.skip(addr, &kind, "a data image or a whole image from a backup: Keyline models system images from a server or an image file".to_owned());
        return Vec::new();
    }
    let from = if let Some(s) = i.instance_id.value() {
        ImageFrom::Server(s.clone())
    } else {
        ImageFrom::Import(
            i.cmk_id
                .value()
                .or(i.system_cmkid.value())
                .filter(|k| !k.is_empty())
                .cloned(),
        )
    };
    let name = b.names.take(raw.as_deref().unwrap_or(""), &id, "image");
    b.record(ResourceKind::Image, &id, &name, addr);
    let key = match &from {
        ImageFrom::Import(k) => k.clone(),
        ImageFrom::Server(s) => b
            .acc
            .servers
            .iter()
            .find(|x| &x.id == s)
            .and_then(|x| x.sys_key.clone()),
    };
    b.acc.image_key.insert(id.clone(), key);
    let addr = addr.to_owned();
    vec![Item {
        rank: match from {
            ImageFrom::Import(_) => 0,
            ImageFrom::Server(_) => 6,
        },
        deps: match &from {
            ImageFrom::Server(s) => vec![format!("server:{s}")],
            ImageFrom::Import(_) => Vec::new(),
        },
        provides: vec![format!("image:{id}")],
        emit: Box::new(move |b: &mut Builder| {
            b.images += 1;
            match from {
                ImageFrom::Server(s) => match b.name_of(ResourceKind::Server, &s) {
                    Some(server) => b.stmt(
                        Statement::ImageCreate {
                            image: name,
                            server,
                        },
                        clean(&addr, 120),
                    ),
                    None => {
                        let key = i.system_cmkid.value().filter(|k| !k.is_empty()).cloned();
                        let key = key.map(|k| b.key_for(&k, &addr));
                        b.warn(&addr, format!("made from server {} that is not in the state; imported as an image file{}", quoted(&s), if key.is_some() { " with its __system__cmkid" } else { "" }));
                        b.stmt(
                            Statement::ImageImport { image: name, key },
                            clean(&addr, 120),
                        );
                    }
                },
                ImageFrom::Import(k) => {
                    let key = k.map(|k| b.key_for(&k, &format!("{addr}.cmk_id")));
                    b.stmt(
                        Statement::ImageImport { image: name, key },
                        clean(&addr, 120),
                    );
                }
            }
        }),
    }]
}

/// An AS configuration: from a server, or from an image and disks (built on a template server
/// that is removed again).
fn prior_config(b: &mut Builder, addr: &str, c: json::AsConfiguration) -> Vec<Item> {
    let id = c.id.value().cloned().unwrap_or_default();
    let raw = c.scaling_configuration_name.value().cloned();
    let Some(ic) = items(&c.instance_config).next() else {
        b.warn(
            addr,
            "no `instance_config`; the configuration is skipped".to_owned(),
        );
        b.skip(
            addr,
            "huaweicloud_as_configuration",
            "no instance_config".to_owned(),
        );
        return Vec::new();
    };
    let name = b.names.take(raw.as_deref().unwrap_or(""), &id, "config");
    b.record(ResourceKind::Config, &id, &name, addr);
    let addr = addr.to_owned();
    if let Some(server) = ic.instance_id.value().filter(|s| !s.is_empty()).cloned() {
        return vec![Item {
            rank: 7,
            deps: vec![format!("server:{server}")],
            provides: Vec::new(),
            emit: Box::new(move |b: &mut Builder| {
                match b.name_of(ResourceKind::Server, &server) {
                Some(s) => b.stmt(Statement::ConfigCreate { config: name, server: s }, clean(&addr, 120)),
                None => b.warn(&addr, format!("instance_config.instance_id {} is not a server in the state; the configuration is skipped", quoted(&server))),
            }
            }),
        }];
    }
    let image = ic.image.value().cloned();
    let data: Vec<Option<String>> = items(&ic.disk)
        .filter(|d| d.disk_type.value().map(String::as_str) == Some("DATA"))
        .map(|d| d.kms_id.value().filter(|k| !k.is_empty()).cloned())
        .collect();
    vec![Item {
        rank: 7,
        deps: image.iter().map(|i| format!("image:{i}")).collect(),
        provides: Vec::new(),
        emit: Box::new(move |b: &mut Builder| {
            let tmpl = template(b, &addr, &name, image.as_deref(), &data, None);
            b.stmt(
                Statement::ConfigCreate {
                    config: name,
                    server: tmpl.clone(),
                },
                clean(&addr, 120),
            );
            remove_template(b, &tmpl, data.len(), None);
        }),
    }]
}

/// A server shaped like a configuration's `instance_config` (its image, a data disk per DATA
/// disk with its key), for `config create … from-server`. Returns its name.
fn template(
    b: &mut Builder,
    addr: &str,
    config: &str,
    image: Option<&str>,
    data: &[Option<String>],
    change: Option<usize>,
) -> String {
    let tmpl = b.names.take(&format!("{config}-template"), "", "server");
    let sys = b.names.take(&format!("{tmpl}-sys"), "", "disk");
    b.note(format!(
        "{addr} gives an image and disks rather than a server; `config create` copies a server's, so a template server with those disks is built{} and removed after.",
        if change.is_some() { " (before the keys take their states, so that it can be)" } else { "" }
    ));
    let source = image
        .and_then(|i| b.name_of(ResourceKind::Image, i))
        .map(Source::Image);
    let s = Statement::ServerCreate {
        server: tmpl.clone(),
        source,
        system_disk: Some(sys),
    };
    b.stmt(s, "template, not in the state");
    for (i, k) in data.iter().enumerate() {
        let disk = format!("{tmpl}-data{}", i + 1);
        let disk = b.names.take(&disk, "", "disk");
        let key = k
            .as_ref()
            .map(|k| b.key_for(k, &format!("{addr}.instance_config.disk")));
        b.stmt(
            Statement::DiskCreate {
                disk: disk.clone(),
                from: None,
                key,
            },
            format!("template data disk {} (kms_id)", i + 1),
        );
        b.stmt(
            Statement::Attach {
                disk,
                server: tmpl.clone(),
                system: false,
            },
            "",
        );
    }
    tmpl
}

fn remove_template(b: &mut Builder, tmpl: &str, data: usize, change: Option<usize>) {
    let put = |b: &mut Builder, s: Statement| match change {
        Some(c) => b.planned(c, s, "removes the template (not a change in the plan)"),
        None => b.stmt(s, "removes the template"),
    };
    put(b, Statement::ServerDelete(tmpl.to_owned()));
    for i in 1..=data {
        put(b, Statement::DiskDelete(format!("{tmpl}-data{i}")));
    }
}

// ---------------------------------------------------------------------------------------
// Key states, last in the prior state.

fn key_states(b: &mut Builder, today: Option<Date>) -> Vec<Line> {
    let saved = std::mem::take(&mut b.lines);
    let mut disabled = Vec::new();
    let mut pending: Vec<(usize, u64, String)> = Vec::new();
    for i in 0..b.acc.keys.len() {
        let Some(k) = b.acc.keys.get(i) else { continue };
        match &k.target {
            Target::Enabled => {}
            Target::Disabled(why) => disabled.push((k.name.clone(), why.clone())),
            Target::Pending => {
                let (addr, deletion) = (k.addr.clone(), k.deletion.clone());
                let (left, why) = match (deletion, today) {
                    (DateIn::Date(d), Some(t)) => {
                        let left = d.days_since(t);
                        if left < 1 {
                            b.warn(&addr, format!("scheduled_deletion_date {d} is not after today ({t}), yet the key is pending deletion; imported with 1 day left"));
                            (1, format!("deletion on {d}"))
                        } else if left > MAX_WINDOW as i64 {
                            (MAX_WINDOW, format!("deletion on {d}"))
                        } else {
                            (
                                left.unsigned_abs(),
                                format!("deletion on {d}, {left} days after {t}"),
                            )
                        }
                    }
                    _ => {
                        b.warn(&addr, format!("key_state is 4 (pending deletion) but scheduled_deletion_date is missing or unreadable, or there is no date to count from; imported with {MIN_WINDOW} days left"));
                        (MIN_WINDOW, "deletion date unknown".to_owned())
                    }
                };
                pending.push((i, left, why));
            }
        }
    }
    let mut out = std::mem::replace(&mut b.lines, saved);
    if disabled.is_empty() && pending.is_empty() {
        return out;
    }
    out.push(Line::Blank);
    out.push(Line::Note("Key states from the state, set after everything that uses them: attaching or creating with an unusable key fails (R-REATTACH, R-USE-NEW), while disabling a key that attached disks use only warns (R-IN-USE).".to_owned()));
    for (name, why) in disabled {
        out.push(Line::Stmt(Statement::KeyDisable(name), why, None));
    }
    // Fewest days left first (a stable insertion: a library sort costs the web bundle ~4 KB).
    let mut short: Vec<&(usize, u64, String)> = Vec::new();
    for p in pending.iter().filter(|p| p.1 < MIN_WINDOW) {
        short.insert(short.partition_point(|q| q.1 <= p.1), p);
    }
    if let Some(min) = short.first().map(|p| p.1) {
        let mut clock = 0u64;
        for (i, left, why) in &short {
            let Some(k) = b.acc.keys.get(*i) else {
                continue;
            };
            let at = left - min;
            if at > clock {
                out.push(Line::Stmt(
                    Statement::Wait(at - clock),
                    "so that each key below ends with the days left the state shows".to_owned(),
                    None,
                ));
                clock = at;
            }
            out.push(Line::Note(format!("Key {} has {} left, fewer than the shortest window (7 days): it is scheduled with 7 days and the clock moves on.", k.name, plural(*left as usize, "day", "days"))));
            out.push(Line::Stmt(
                Statement::KeyScheduleDeletion(k.name.clone(), MIN_WINDOW as i64),
                format!("pending deletion (key_state 4): {why}"),
                None,
            ));
        }
        let total = MIN_WINDOW - min;
        if total > clock {
            out.push(Line::Stmt(
                Statement::Wait(total - clock),
                "the keys above now have the days left the state shows".to_owned(),
                None,
            ));
        }
    }
    for (i, left, why) in pending.iter().filter(|p| p.1 >= MIN_WINDOW) {
        if let Some(k) = b.acc.keys.get(*i) {
            out.push(Line::Stmt(
                Statement::KeyScheduleDeletion(k.name.clone(), *left as i64),
                format!("pending deletion (key_state 4): {why}"),
                None,
            ));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// The planned changes.

/// A planned change being played.
struct Planned<'a> {
    addr: String,
    kind: String,
    actions: Vec<String>,
    before: Option<&'a Map<String, Value>>,
    after: Option<&'a Map<String, Value>>,
    unknown: Option<&'a Value>,
}

impl Planned<'_> {
    fn is(&self, a: &str) -> bool {
        self.actions.iter().any(|x| x == a)
    }
}

fn planned_list<'a>(b: &mut Builder, changes: &[&'a json::ResourceChange]) -> Vec<Planned<'a>> {
    let mut out = Vec::new();
    for (i, c) in changes.iter().enumerate() {
        let addr = c
            .address
            .value()
            .cloned()
            .unwrap_or_else(|| format!("resource_changes[{i}]"));
        let kind = c.kind.value().cloned().unwrap_or_default();
        if c.mode.value().map(String::as_str) == Some("data") {
            continue;
        }
        let Some(ch) = c.change.value() else {
            b.warn(&addr, "no `change`; skipped".to_owned());
            continue;
        };
        let actions = ch.actions.value().cloned().unwrap_or_default();
        if actions
            .iter()
            .all(|a| a == "no-op" || a == "read" || a == "forget")
        {
            continue;
        }
        if !TYPES.contains(&kind.as_str()) {
            if !b.skipped.iter().any(|s| s.address == addr) {
                let reason = if kind.starts_with("huaweicloud_") {
                    format!(
                        "a Huawei Cloud resource type Keyline does not model ({} planned)",
                        actions.join("/")
                    )
                } else {
                    format!(
                        "not a Huawei Cloud resource ({} planned)",
                        actions.join("/")
                    )
                };
                b.skip(&addr, &kind, reason);
            }
            continue;
        }
        out.push(Planned {
            addr,
            kind,
            actions,
            before: ch.before.value(),
            after: ch.after.value(),
            unknown: ch.after_unknown.value(),
        });
    }
    out
}

/// Template servers for planned configurations built from an image and disks: they must exist
/// before the keys take their states (a template disk needs its key usable).
fn planned_templates(
    b: &mut Builder,
    changes: &[&json::ResourceChange],
    _refs: &HashMap<String, HashMap<String, Vec<String>>>,
) -> Vec<Line> {
    let saved = std::mem::take(&mut b.lines);
    for c in changes {
        let Some(ch) = c.change.value() else { continue };
        let is_create = ch
            .actions
            .value()
            .is_some_and(|a| a.iter().any(|x| x == "create"));
        if c.kind.value().map(String::as_str) != Some("huaweicloud_as_configuration") || !is_create
        {
            continue;
        }
        let Some(after) = ch.after.value() else {
            continue;
        };
        let cfg: json::AsConfiguration = attrs(after);
        let Some(ic) = items(&cfg.instance_config).next() else {
            continue;
        };
        if ic.instance_id.value().is_some_and(|s| !s.is_empty()) {
            continue;
        }
        let addr = c.address.value().cloned().unwrap_or_default();
        let raw = cfg
            .scaling_configuration_name
            .value()
            .cloned()
            .unwrap_or_default();
        let data: Vec<Option<String>> = items(&ic.disk)
            .filter(|d| d.disk_type.value().map(String::as_str) == Some("DATA"))
            .map(|d| d.kms_id.value().filter(|k| !k.is_empty()).cloned())
            .collect();
        if b.lines.is_empty() {
            b.lines.push(Line::Blank);
        }
        let tmpl = template(
            b,
            &addr,
            &raw,
            ic.image.value().map(String::as_str),
            &data,
            Some(0),
        );
        b.acc
            .by_addr
            .insert(format!("template:{addr}"), (ResourceKind::Server, tmpl));
    }
    std::mem::replace(&mut b.lines, saved)
}

/// The value of `attr` in `after`, or, when Terraform knows it only after apply, the scenario
/// name of the planned resource its expression references.
fn resolve(
    b: &Builder,
    p: &Planned,
    refs: &HashMap<String, HashMap<String, Vec<String>>>,
    planned: &HashMap<String, (ResourceKind, String)>,
    attr: &str,
    value: Option<&str>,
    kind: ResourceKind,
) -> Option<String> {
    if let Some(v) = value.filter(|v| !v.is_empty()) {
        return b
            .name_of(kind, v)
            .or_else(|| (kind == ResourceKind::Key).then(|| format!("?{v}")));
    }
    let unknown = p
        .unknown
        .and_then(|u| {
            attr.split('.')
                .try_fold(u, |v, part| match part.parse::<usize>() {
                    Ok(i) => v.get(i),
                    Err(_) => v.get(part),
                })
        })
        .is_some_and(|v| v == &Value::Bool(true));
    if !unknown {
        return None;
    }
    let caddr = config_address(&p.addr);
    let prefix = module_prefix(&caddr);
    let list = refs.get(&caddr)?.get(attr)?;
    for r in list {
        let parts: Vec<&str> = r.split('.').collect();
        let (Some(t), Some(n)) = (parts.first(), parts.get(1)) else {
            continue;
        };
        if !t.starts_with("huaweicloud_") {
            continue; // var., local., data., module outputs: not a planned resource
        }
        let target = format!("{prefix}{t}.{}", n.split('[').next().unwrap_or(n));
        // The planned instance of that configuration address, same index first.
        let index = p.addr.rfind('[').map(|i| &p.addr[i..]).unwrap_or("");
        let candidates = [
            format!("{target}{index}"),
            target.clone(),
            format!("{target}[0]"),
        ];
        for c in &candidates {
            if let Some((k, name)) = planned.get(c).or_else(|| b.acc.by_addr.get(c)) {
                if *k == kind {
                    return Some(name.clone());
                }
            }
        }
    }
    None
}

fn text_of<'a>(m: Option<&'a Map<String, Value>>, attr: &str) -> Option<&'a str> {
    m.and_then(|m| m.get(attr))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

fn planned_changes(
    b: &mut Builder,
    changes: &[&json::ResourceChange],
    refs: &HashMap<String, HashMap<String, Vec<String>>>,
) {
    let list = planned_list(b, changes);
    // Names for everything the plan creates, so references between new resources resolve.
    let mut planned: HashMap<String, (ResourceKind, String)> = HashMap::new();
    for p in list.iter().filter(|p| p.is("create")) {
        let (kind, raw, fallback) = match p.kind.as_str() {
            "huaweicloud_kms_key" => (ResourceKind::Key, text_of(p.after, "key_alias"), "key"),
            "huaweicloud_evs_volume" => (ResourceKind::Disk, text_of(p.after, "name"), "disk"),
            "huaweicloud_compute_instance" => {
                (ResourceKind::Server, text_of(p.after, "name"), "server")
            }
            "huaweicloud_evs_snapshot" => {
                (ResourceKind::Snapshot, text_of(p.after, "name"), "snapshot")
            }
            "huaweicloud_cbr_checkpoint" => {
                (ResourceKind::Backup, text_of(p.after, "name"), "backup")
            }
            "huaweicloud_as_configuration" => (
                ResourceKind::Config,
                text_of(p.after, "scaling_configuration_name"),
                "config",
            ),
            "huaweicloud_compute_volume_attach" => continue,
            _ => (ResourceKind::Image, text_of(p.after, "name"), "image"),
        };
        let tail = p.addr.rsplit('.').next().unwrap_or(fallback);
        let name = b.names.take(raw.unwrap_or(""), tail, fallback);
        planned.insert(p.addr.clone(), (kind, name));
    }
    // Phases: 0 new keys, 1 key states, 2 detaches, 3 deletions, 4 creations, 5 attaches and power.
    let mut phases: Vec<Vec<Deferred<'_>>> = (0..6).map(|_| Vec::new()).collect();
    for p in &list {
        let change = b.changes.len();
        b.changes.push(PlannedChange {
            address: clean(&p.addr, 200),
            kind: p.kind.clone(),
            actions: p.actions.clone(),
            lines: Vec::new(),
            note: None,
        });
        let prior = b.acc.by_addr.get(&p.addr).cloned();
        let mut push = |phase: usize, rank: u8, f: Box<dyn FnOnce(&mut Builder)>| {
            // Kept sorted by (rank, change), equal ones in push order.
            if let Some(v) = phases.get_mut(phase) {
                let at = v.partition_point(|(r, c, _)| (*r, *c) <= (rank, change));
                v.insert(at, (rank, change, f));
            }
        };
        let what = format!("{}: {}", clean(&p.addr, 120), p.actions.join(", then "));
        let note = |b: &mut Builder, n: String| {
            if let Some(c) = b.changes.get_mut(change) {
                c.note = Some(n);
            }
        };
        match p.kind.as_str() {
            "huaweicloud_kms_key" => {
                let before_on = p
                    .before
                    .and_then(|m| m.get("is_enabled"))
                    .and_then(Value::as_bool);
                let after_on = p
                    .after
                    .and_then(|m| m.get("is_enabled"))
                    .and_then(Value::as_bool);
                if p.is("delete") {
                    if let Some((_, name)) = prior.clone() {
                        let pending = b
                            .acc
                            .keys
                            .iter()
                            .any(|k| k.name == name && k.target == Target::Pending);
                        let days = p
                            .before
                            .and_then(|m| m.get("pending_days"))
                            .and_then(|v| {
                                v.as_str()
                                    .map(str::to_owned)
                                    .or_else(|| v.as_i64().map(|n| n.to_string()))
                            })
                            .or_else(|| {
                                b.acc
                                    .keys
                                    .iter()
                                    .find(|k| k.name == name)
                                    .and_then(|k| k.pending_days.clone())
                            });
                        if pending {
                            note(b, "the key is already pending deletion: the provider's delete does nothing more".to_owned());
                        } else {
                            let (days, how) =
                                match days.as_deref().map(str::trim).map(str::parse::<i64>) {
                                    Some(Ok(d)) => (d, format!("pending_days {d}")),
                                    Some(Err(_)) => (
                                        7,
                                        "pending_days unreadable: the provider's default, 7"
                                            .to_owned(),
                                    ),
                                    None => {
                                        (7, "no pending_days: the provider's default, 7".to_owned())
                                    }
                                };
                            let w = what.clone();
                            push(
                                1,
                                2,
                                Box::new(move |b| {
                                    b.planned(
                                        change,
                                        Statement::KeyScheduleDeletion(name, days),
                                        format!("{w} ({how})"),
                                    )
                                }),
                            );
                        }
                    }
                }
                if p.is("create") {
                    if let Some((_, name)) = planned.get(&p.addr).cloned() {
                        let w = what.clone();
                        let n = name.clone();
                        push(
                            0,
                            0,
                            Box::new(move |b| b.planned(change, Statement::KeyCreate(n), w)),
                        );
                        if after_on == Some(false) {
                            push(
                                1,
                                0,
                                Box::new(move |b| {
                                    b.planned(
                                        change,
                                        Statement::KeyDisable(name),
                                        "is_enabled = false at creation",
                                    )
                                }),
                            );
                        }
                    }
                } else if p.is("update") {
                    match (prior.clone(), before_on, after_on) {
                        (Some((_, name)), Some(true), Some(false)) => {
                            push(
                                1,
                                0,
                                Box::new(move |b| {
                                    b.planned(
                                        change,
                                        Statement::KeyDisable(name),
                                        format!("{what} (is_enabled true → false)"),
                                    )
                                }),
                            );
                        }
                        (Some((_, name)), Some(false), Some(true)) => {
                            push(
                                1,
                                1,
                                Box::new(move |b| {
                                    b.planned(
                                        change,
                                        Statement::KeyEnable(name),
                                        format!("{what} (is_enabled false → true)"),
                                    )
                                }),
                            );
                        }
                        _ => note(
                            b,
                            "no change Keyline models (is_enabled unchanged)".to_owned(),
                        ),
                    }
                }
            }
            "huaweicloud_evs_volume" => {
                if p.is("delete") {
                    if let Some((_, name)) = prior.clone() {
                        let w = what.clone();
                        push(
                            3,
                            2,
                            Box::new(move |b| b.planned(change, Statement::DiskDelete(name), w)),
                        );
                    }
                }
                if p.is("create") {
                    let Some((_, name)) = planned.get(&p.addr).cloned() else {
                        continue;
                    };
                    let snap = resolve(
                        b,
                        p,
                        refs,
                        &planned,
                        "snapshot_id",
                        text_of(p.after, "snapshot_id"),
                        ResourceKind::Snapshot,
                    );
                    let backup = resolve(
                        b,
                        p,
                        refs,
                        &planned,
                        "backup_id",
                        text_of(p.after, "backup_id"),
                        ResourceKind::Backup,
                    );
                    let key = resolve(
                        b,
                        p,
                        refs,
                        &planned,
                        "kms_id",
                        text_of(p.after, "kms_id"),
                        ResourceKind::Key,
                    );
                    let server = resolve(
                        b,
                        p,
                        refs,
                        &planned,
                        "server_id",
                        text_of(p.after, "server_id"),
                        ResourceKind::Server,
                    );
                    let key_unknown = key.is_none()
                        && p.unknown.and_then(|u| u.get("kms_id")) == Some(&Value::Bool(true));
                    if key_unknown {
                        let msg = "kms_id is known only after apply and its expression names no key of the state or the plan; the disk is created unencrypted here, so its verdicts may differ".to_owned();
                        b.warn(&p.addr, msg.clone());
                        note(b, msg);
                    }
                    let from = snap
                        .map(DiskFrom::Snapshot)
                        .or(backup.map(DiskFrom::Backup));
                    let addr = p.addr.clone();
                    let rank = if from.is_some() { 5 } else { 2 };
                    let key = if from.is_some() { None } else { key };
                    let w = what.clone();
                    push(
                        4,
                        rank,
                        Box::new(move |b| {
                            let key = key.map(|k| match k.strip_prefix('?') {
                                Some(id) => b.key_for(id, &format!("{addr}.kms_id")),
                                None => k,
                            });
                            b.planned(
                                change,
                                Statement::DiskCreate {
                                    disk: name.clone(),
                                    from,
                                    key,
                                },
                                w,
                            );
                            if let Some(s) = server {
                                b.planned(
                                    change,
                                    Statement::Attach {
                                        disk: name,
                                        server: s,
                                        system: false,
                                    },
                                    "server_id",
                                );
                            }
                        }),
                    );
                } else if p.is("update") {
                    note(b, "no change Keyline models (size, type, tags…)".to_owned());
                }
            }
            "huaweicloud_compute_volume_attach" => {
                if p.is("delete") {
                    let vol = b
                        .acc
                        .attach_addr
                        .get(&p.addr)
                        .cloned()
                        .or_else(|| text_of(p.before, "volume_id").map(str::to_owned));
                    if let Some(d) = vol.and_then(|v| b.name_of(ResourceKind::Disk, &v)) {
                        let w = what.clone();
                        push(
                            2,
                            0,
                            Box::new(move |b| b.planned(change, Statement::Detach(d), w)),
                        );
                    } else {
                        note(b, "its volume is not in the state".to_owned());
                    }
                }
                if p.is("create") {
                    let disk = resolve(
                        b,
                        p,
                        refs,
                        &planned,
                        "volume_id",
                        text_of(p.after, "volume_id"),
                        ResourceKind::Disk,
                    );
                    let server = resolve(
                        b,
                        p,
                        refs,
                        &planned,
                        "instance_id",
                        text_of(p.after, "instance_id"),
                        ResourceKind::Server,
                    );
                    match (disk, server) {
                        (Some(disk), Some(server)) => {
                            let w = what.clone();
                            push(
                                5,
                                0,
                                Box::new(move |b| {
                                    b.planned(
                                        change,
                                        Statement::Attach {
                                            disk,
                                            server,
                                            system: false,
                                        },
                                        w,
                                    )
                                }),
                            );
                        }
                        _ => {
                            let msg = "volume_id or instance_id names no volume or server of the state or the plan; skipped".to_owned();
                            b.warn(&p.addr, msg.clone());
                            note(b, msg);
                        }
                    }
                }
            }
            "huaweicloud_compute_instance" => {
                if p.is("delete") {
                    if let Some((_, name)) = prior.clone() {
                        let w = what.clone();
                        push(
                            3,
                            1,
                            Box::new(move |b| b.planned(change, Statement::ServerDelete(name), w)),
                        );
                    }
                }
                if p.is("create") {
                    let Some((_, name)) = planned.get(&p.addr).cloned() else {
                        continue;
                    };
                    let image = text_of(p.after, "image_id").map(str::to_owned);
                    let sys_key = resolve(
                        b,
                        p,
                        refs,
                        &planned,
                        "system_disk_kms_key_id",
                        text_of(p.after, "system_disk_kms_key_id"),
                        ResourceKind::Key,
                    );
                    let inst: json::Instance = p.after.map(attrs).unwrap_or_default();
                    let data: Vec<Option<String>> = items(&inst.data_disks)
                        .enumerate()
                        .map(|(i, d)| {
                            resolve(
                                b,
                                p,
                                refs,
                                &planned,
                                &format!("data_disks.{i}.kms_key_id"),
                                d.kms_key_id.value().map(String::as_str),
                                ResourceKind::Key,
                            )
                        })
                        .collect();
                    let off = matches!(text_of(p.after, "power_action"), Some("OFF" | "FORCE-OFF"));
                    let addr = p.addr.clone();
                    push(
                        4,
                        1,
                        Box::new(move |b| {
                            let sys = b.names.take(&format!("{name}-sys"), "", "disk");
                            // A key the plan creates is named already; a key id is looked up.
                            let key_name = sys_key.map(|k| match k.strip_prefix('?') {
                                Some(id) => {
                                    b.key_for(id, &format!("{addr}.system_disk_kms_key_id"))
                                }
                                None => k,
                            });
                            match key_name {
                                Some(k) => {
                                    let img = b.names.take(&format!("{name}-img"), "", "image");
                                    b.note(format!("The system disk of {name} is encrypted with key {k} (system_disk_kms_key_id). `server create` takes a system disk's encryption from its image (R-SYS-IMAGE), so an image encrypted with that key comes first."));
                                    b.planned(
                                        change,
                                        Statement::ImageImport {
                                            image: img.clone(),
                                            key: Some(k),
                                        },
                                        "an image only for this, not in the plan",
                                    );
                                    b.planned(
                                        change,
                                        Statement::ServerCreate {
                                            server: name.clone(),
                                            source: Some(Source::Image(img)),
                                            system_disk: Some(sys),
                                        },
                                        what.clone(),
                                    );
                                }
                                None => {
                                    let source = image
                                        .as_deref()
                                        .and_then(|i| b.name_of(ResourceKind::Image, i))
                                        .map(Source::Image);
                                    b.planned(
                                        change,
                                        Statement::ServerCreate {
                                            server: name.clone(),
                                            source,
                                            system_disk: Some(sys),
                                        },
                                        what.clone(),
                                    );
                                }
                            }
                            for (i, k) in data.into_iter().enumerate() {
                                let disk =
                                    b.names.take(&format!("{name}-data{}", i + 1), "", "disk");
                                let key = k.map(|k| match k.strip_prefix('?') {
                                    Some(id) => b.key_for(id, &format!("{addr}.data_disks[{i}]")),
                                    None => k,
                                });
                                b.planned(
                                    change,
                                    Statement::DiskCreate {
                                        disk: disk.clone(),
                                        from: None,
                                        key,
                                    },
                                    format!("data_disks[{i}]"),
                                );
                                b.planned(
                                    change,
                                    Statement::Attach {
                                        disk,
                                        server: name.clone(),
                                        system: false,
                                    },
                                    "",
                                );
                            }
                            if off {
                                b.planned(change, Statement::ServerStop(name), "power_action OFF");
                            }
                        }),
                    );
                } else if p.is("update") {
                    let Some((_, name)) = prior.clone() else {
                        continue;
                    };
                    match text_of(p.after, "power_action") {
                        Some(a @ ("OFF" | "FORCE-OFF"))
                            if text_of(p.before, "power_action") != Some(a) =>
                        {
                            let w = what.clone();
                            push(
                                5,
                                1,
                                Box::new(move |b| {
                                    b.planned(
                                        change,
                                        Statement::ServerStop(name),
                                        format!("{w} (power_action {a})"),
                                    )
                                }),
                            );
                        }
                        Some(a @ "ON") if text_of(p.before, "power_action") != Some(a) => {
                            let w = what.clone();
                            push(
                                5,
                                1,
                                Box::new(move |b| {
                                    b.planned(
                                        change,
                                        Statement::ServerStart(name),
                                        format!("{w} (power_action ON)"),
                                    )
                                }),
                            );
                        }
                        _ => {
                            if text_of(p.before, "image_id") != text_of(p.after, "image_id") {
                                let msg = "image_id changes: the server is rebuilt with a new system disk, which Keyline does not model".to_owned();
                                b.warn(&p.addr, msg.clone());
                                note(b, msg);
                            } else {
                                note(
                                    b,
                                    "no change Keyline models (flavor, name, tags…)".to_owned(),
                                );
                            }
                        }
                    }
                }
            }
            "huaweicloud_evs_snapshot" => {
                if p.is("delete") {
                    if let Some((_, name)) = prior.clone() {
                        let w = what.clone();
                        push(
                            3,
                            0,
                            Box::new(move |b| {
                                b.planned(change, Statement::SnapshotDelete(name), w)
                            }),
                        );
                    }
                }
                if p.is("create") {
                    let Some((_, name)) = planned.get(&p.addr).cloned() else {
                        continue;
                    };
                    let disk = resolve(
                        b,
                        p,
                        refs,
                        &planned,
                        "volume_id",
                        text_of(p.after, "volume_id"),
                        ResourceKind::Disk,
                    );
                    match disk {
                        Some(disk) => {
                            let w = what.clone();
                            push(
                                4,
                                3,
                                Box::new(move |b| {
                                    b.planned(
                                        change,
                                        Statement::SnapshotCreate {
                                            snapshot: name,
                                            disk,
                                        },
                                        w,
                                    )
                                }),
                            );
                        }
                        None => note(
                            b,
                            "volume_id names no volume of the state or the plan".to_owned(),
                        ),
                    }
                }
            }
            "huaweicloud_cbr_checkpoint" => {
                if p.is("delete") {
                    let names: Vec<String> = b
                        .acc
                        .resources
                        .iter()
                        .filter(|r| r.kind == ResourceKind::Backup)
                        .map(|r| r.name.clone())
                        .collect();
                    let mine: Vec<String> = names
                        .into_iter()
                        .filter(|n| {
                            b.acc.by_addr.iter().any(|(a, (k, x))| {
                                a == &p.addr && *k == ResourceKind::Backup && x == n
                            })
                        })
                        .collect();
                    for n in mine {
                        let w = what.clone();
                        push(
                            3,
                            0,
                            Box::new(move |b| b.planned(change, Statement::BackupDelete(n), w)),
                        );
                    }
                }
                if p.is("create") {
                    let Some((_, name)) = planned.get(&p.addr).cloned() else {
                        continue;
                    };
                    let ck: json::Checkpoint = p.after.map(attrs).unwrap_or_default();
                    let vols: Vec<String> = items(&ck.backups)
                        .enumerate()
                        .filter(|(_, x)| {
                            x.kind.value().map(String::as_str) == Some("OS::Cinder::Volume")
                        })
                        .filter_map(|(i, x)| {
                            resolve(
                                b,
                                p,
                                refs,
                                &planned,
                                &format!("backups.{i}.resource_id"),
                                x.resource_id.value().map(String::as_str),
                                ResourceKind::Disk,
                            )
                        })
                        .collect();
                    let w = what.clone();
                    push(
                        4,
                        4,
                        Box::new(move |b| {
                            let single = vols.len() == 1;
                            for d in vols {
                                let n = if single {
                                    name.clone()
                                } else {
                                    b.names.take(&format!("{name}-{d}"), "", "backup")
                                };
                                b.planned(
                                    change,
                                    Statement::BackupCreate { backup: n, disk: d },
                                    w.clone(),
                                );
                            }
                        }),
                    );
                }
            }
            "huaweicloud_as_configuration" => {
                if p.is("delete") {
                    note(b, "Keyline has no statement that deletes a configuration; the deletion is not played".to_owned());
                }
                if p.is("create") {
                    let Some((_, name)) = planned.get(&p.addr).cloned() else {
                        continue;
                    };
                    let cfg: json::AsConfiguration = p.after.map(attrs).unwrap_or_default();
                    let server = items(&cfg.instance_config).next().and_then(|ic| {
                        resolve(
                            b,
                            p,
                            refs,
                            &planned,
                            "instance_config.0.instance_id",
                            ic.instance_id.value().map(String::as_str),
                            ResourceKind::Server,
                        )
                    });
                    let template = b
                        .acc
                        .by_addr
                        .get(&format!("template:{}", p.addr))
                        .map(|(_, n)| n.clone());
                    let data = items(&cfg.instance_config).next().map_or(0, |ic| {
                        items(&ic.disk)
                            .filter(|d| d.disk_type.value().map(String::as_str) == Some("DATA"))
                            .count()
                    });
                    let w = what.clone();
                    match (server, template) {
                        (Some(s), _) => push(
                            4,
                            7,
                            Box::new(move |b| {
                                b.planned(
                                    change,
                                    Statement::ConfigCreate {
                                        config: name,
                                        server: s,
                                    },
                                    w,
                                )
                            }),
                        ),
                        (None, Some(t)) => push(
                            4,
                            7,
                            Box::new(move |b| {
                                b.planned(
                                    change,
                                    Statement::ConfigCreate {
                                        config: name,
                                        server: t.clone(),
                                    },
                                    w,
                                );
                                remove_template(b, &t, data, Some(change));
                            }),
                        ),
                        (None, None) => note(
                            b,
                            "instance_config names no server of the state or the plan".to_owned(),
                        ),
                    }
                }
            }
            _ => {
                // Images.
                if p.is("delete") {
                    note(b, "Keyline has no statement that deletes an image; the deletion is not played".to_owned());
                }
                if p.is("create") {
                    let Some((_, name)) = planned.get(&p.addr).cloned() else {
                        continue;
                    };
                    let server = resolve(
                        b,
                        p,
                        refs,
                        &planned,
                        "instance_id",
                        text_of(p.after, "instance_id"),
                        ResourceKind::Server,
                    );
                    let url = text_of(p.after, "image_url").is_some()
                        || p.unknown.and_then(|u| u.get("image_url")).is_some();
                    let key = resolve(
                        b,
                        p,
                        refs,
                        &planned,
                        "cmk_id",
                        text_of(p.after, "cmk_id"),
                        ResourceKind::Key,
                    );
                    let w = what.clone();
                    let addr = p.addr.clone();
                    match (server, url) {
                        (Some(s), _) => push(4, 6, Box::new(move |b| b.planned(change, Statement::ImageCreate { image: name, server: s }, w))),
                        (None, true) => push(4, 0, Box::new(move |b| {
                            let key = key.map(|k| match k.strip_prefix('?') { Some(id) => b.key_for(id, &format!("{addr}.cmk_id")), None => k });
                            b.planned(change, Statement::ImageImport { image: name, key }, w);
                        })),
                        (None, false) => note(b, "not an image of a server or of an image file: Keyline does not model it".to_owned()),
                    }
                }
            }
        }
    }
    for (_, _, f) in phases.into_iter().flatten() {
        f(b);
    }
}
