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

mod builder;
mod json;
mod keys;
mod order;
mod planned;
mod prior;
mod refs;
mod text;

use crate::date::Date;
use crate::names::{clean, quoted};
use crate::{Counts, ImportError, Imported, PlanInfo, ResourceKind, Skipped};
use builder::{Builder, Line};
use json::{items, Field, Plan, Read};
use keyline_rules::{Role, Statement};
use keys::key_states;
use planned::{planned_changes, planned_templates};
use prior::{build_prior, walk_module, StateRes};
use refs::config_refs;
use serde_json::Value;
use text::Text;

/// The line that separates the prior state from the planned changes: the engine's constant,
/// so the app finds the planned changes where the importer put them.
pub const PLANNED_MARKER: &str = keyline_rules::PLANNED_MARKER;

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

/// `1 key`, `2 keys`.
fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// What the header says about the document.
struct Doc<'a> {
    name: &'a str,
    version: &'a str,
    terraform: Option<String>,
    is_plan: bool,
    today: Option<Date>,
    today_given: bool,
}

impl Doc<'_> {
    /// "plan" or "state".
    fn kind(&self) -> &'static str {
        if self.is_plan {
            "plan"
        } else {
            "state"
        }
    }
}

/// Reads and converts one Terraform document: the prior state (or the state itself), the
/// keys' states, then, for a plan, the planned changes after `# planned changes`.
pub(crate) fn import(
    doc_name: &str,
    value: Value,
    today_arg: Option<Date>,
) -> Result<Imported, ImportError> {
    let plan = value.as_object().map(Plan::read).unwrap_or_default();
    let version = format_version(doc_name, &plan)?;
    let is_plan = !matches!(plan.resource_changes, Field::Absent)
        || !matches!(plan.prior_state, Field::Absent);
    let mut b = Builder::new(doc_name);
    if let Some(ts) = plan.timestamp.value() {
        b.seen_date(Date::parse_api(ts));
    }
    let (prior, unread) = state_resources(&plan, is_plan);
    let changes: Vec<&json::ResourceChange> = items(&plan.resource_changes).collect();
    if prior.is_empty() && changes.is_empty() {
        let (what, field) = if is_plan {
            ("plan", "prior_state")
        } else {
            ("state", "values")
        };
        return Err(nothing_imported(format!(
            "{doc_name}: a Terraform {what} with no resources in its {field} and no resource_changes"
        )));
    }
    skip_unread(&mut b, &unread, &plan);
    let refs = config_refs(&plan);
    build_prior(&mut b, &prior);
    let today = today_arg.or(b.newest);
    let key_state_lines = key_states(&mut b, today);
    let template_lines = planned_templates(&mut b, &changes);
    let mut lines = std::mem::take(&mut b.lines);
    lines.extend(template_lines);
    lines.extend(key_state_lines);
    let planned = is_plan.then(|| {
        planned_changes(&mut b, &changes, &refs);
        std::mem::take(&mut b.lines)
    });
    let doc = Doc {
        name: doc_name,
        version: &version,
        terraform: plan.terraform_version.value().map(|v| clean(v, 40)),
        is_plan,
        today,
        today_given: today_arg.is_some(),
    };
    finish(b, &doc, lines, planned)
}

/// The error for a document that gives no scenario at all.
fn nothing_imported(problem: String) -> ImportError {
    ImportError::NothingImported {
        problems: vec![problem],
    }
}

/// The trimmed `format_version`, which must be 1.x: Terraform rejects another major version.
fn format_version(doc_name: &str, plan: &Plan) -> Result<String, ImportError> {
    let version = match &plan.format_version {
        Field::Val(v) => v.trim().to_owned(),
        Field::Wrong(t) => {
            return Err(nothing_imported(format!(
                "{doc_name}: format_version: expected a string such as \"1.2\", found {t}"
            )))
        }
        _ => String::new(),
    };
    let major = version.split('.').next().unwrap_or("");
    if major != "1" {
        return Err(nothing_imported(format!(
            "{doc_name}: a Terraform JSON document of format_version {}: Keyline reads format 1.x (Terraform rejects an unsupported major version, and so does Keyline)",
            quoted(&version)
        )));
    }
    Ok(version)
}

/// The managed resources of the prior state (a plan) or of the state itself (a state
/// document), and the (address, type) of those that cannot be read as one.
fn state_resources(plan: &Plan, is_plan: bool) -> (Vec<StateRes>, Vec<(String, String)>) {
    let values = if is_plan {
        plan.prior_state.value().and_then(|s| s.values.value())
    } else {
        plan.values.value()
    };
    let mut prior = Vec::new();
    let mut unread = Vec::new();
    if let Some(root) = values.and_then(|v| v.root_module.value()) {
        walk_module(root, &mut prior, &mut unread);
    }
    (prior, unread)
}

/// Lists as skipped the data sources, the resources without values and the items of the
/// document that are not objects.
fn skip_unread(b: &mut Builder, unread: &[(String, String)], plan: &Plan) {
    for (addr, kind) in unread {
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
}

/// What was imported; the default key counts only when it is the only key.
fn counts(b: &Builder) -> Counts {
    let keys = &b.acc.keys;
    Counts {
        documents: 1,
        keys: keys
            .iter()
            .filter(|k| !k.default || keys.len() == 1)
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
    }
}

/// Renders the scenario and gathers what `Imported` reports, or fails when nothing Keyline
/// models was found.
fn finish(
    mut b: Builder,
    doc: &Doc,
    lines: Vec<Line>,
    planned: Option<Vec<Line>>,
) -> Result<Imported, ImportError> {
    let counts = counts(&b);
    let mut text = Text::new(&title(doc, &counts, b.changes.len()), b.changes.len());
    for l in header(&b, doc).into_iter().chain(lines) {
        text.line(l);
    }
    let planned_line = planned.map(|planned| text.planned(planned));
    let (scenario, change_lines) = text.finish();
    let mut changes = std::mem::take(&mut b.changes);
    for (c, lines) in changes.iter_mut().zip(change_lines) {
        c.lines = lines;
    }
    let total = counts.keys + counts.servers + counts.disks;
    if total == 0 && changes.iter().all(|c| c.lines.is_empty()) {
        return Err(nothing_modelled(&b, doc));
    }
    if !b.skipped.is_empty() {
        let kinds = first_kinds(&b.skipped, 8);
        b.warnings.push(format!(
            "{}: skipped {} that Keyline does not model (types {}); listed in the scenario's comments",
            doc.name,
            plural(b.skipped.len(), "resource", "resources"),
            kinds.join(", ")
        ));
    }
    Ok(Imported {
        scenario,
        warnings: b.warnings,
        counts,
        resources: b.acc.resources,
        today: doc.today,
        plan: Some(PlanInfo {
            format_version: clean(doc.version, 20),
            terraform_version: doc.terraform.clone(),
            planned_line,
            changes,
            skipped: b.skipped,
        }),
    })
}

/// The error for a document with nothing Keyline models, with the first resources skipped.
fn nothing_modelled(b: &Builder, doc: &Doc) -> ImportError {
    let mut problems = vec![format!(
        "{}: no resource Keyline models ({}) in the {}",
        doc.name,
        TYPES.join(", "),
        doc.kind()
    )];
    problems.extend(
        b.skipped
            .iter()
            .take(5)
            .map(|s| format!("{}: skipped: {}", s.address, s.reason)),
    );
    ImportError::NothingImported { problems }
}

/// The scenario's title: what the document is and what was imported from it.
fn title(doc: &Doc, counts: &Counts, changes: usize) -> String {
    format!(
        "title Terraform {} {}: {}, {}, {}{}",
        doc.kind(),
        doc.name.replace('#', "-"),
        plural(counts.keys, "key", "keys"),
        plural(counts.servers, "server", "servers"),
        plural(counts.disks, "disk", "disks"),
        if doc.is_plan {
            format!("; {}", plural(changes, "planned change", "planned changes"))
        } else {
            String::new()
        }
    )
}

/// The notes that say where the scenario comes from, then the grant every import needs.
fn header(b: &Builder, doc: &Doc) -> Vec<Line> {
    let mut out = vec![Line::Note(format!(
        "Written by `keyline import` from `terraform show -json` (format {}{}){}",
        clean(doc.version, 20),
        doc.terraform
            .as_ref()
            .map(|v| format!(", Terraform {v}"))
            .unwrap_or_default(),
        if doc.is_plan {
            ": the prior state is rebuilt first, then each planned change is played as statements, so each gets a verdict."
        } else {
            ": it rebuilds the state's keys, servers, disks, snapshots, backups, images and configs."
        }
    ))];
    if let Some(t) = doc.today {
        out.push(Line::Note(format!(
            "Today is {t} ({}); days left until a key's deletion count from it.",
            if doc.today_given {
                "given with --today"
            } else {
                "the plan's timestamp or the newest date in it"
            }
        )));
    }
    if !b.skipped.is_empty() {
        out.push(Line::Note(skipped_note(&b.skipped)));
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
    out
}

/// The first ten skipped resources with why, and how many more.
fn skipped_note(skipped: &[Skipped]) -> String {
    let shown: Vec<String> = skipped
        .iter()
        .take(10)
        .map(|s| format!("{} ({})", s.address, s.reason))
        .collect();
    let more = if skipped.len() > 10 {
        format!(" and {} more", skipped.len() - 10)
    } else {
        String::new()
    };
    format!(
        "Skipped {}: {}{more}.",
        plural(skipped.len(), "resource", "resources"),
        shown.join("; ")
    )
}
