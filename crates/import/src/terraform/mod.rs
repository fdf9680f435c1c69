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

use crate::date::Date;
use crate::names::{clean, quoted, Names};
use crate::{Counts, ImportError, Imported, PlanInfo, ResourceKind, Skipped};
use builder::{Account, Builder, Line};
use json::{items, Field, Plan, Read};
use keyline_rules::{Role, Statement};
use keys::key_states;
use planned::{planned_changes, planned_templates};
use prior::{build_prior, walk_module};
use refs::config_refs;
use serde_json::Value;

/// The line that separates the prior state from the planned changes.
pub const PLANNED_MARKER: &str = "# planned changes";

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

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
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
    let templates = planned_templates(&mut b, &changes);
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
