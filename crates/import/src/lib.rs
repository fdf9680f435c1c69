//! `keyline-import`: a customer's real state as a Keyline scenario.
//!
//! [`import`] reads the JSON the public APIs return — the KMS key list with details
//! (`key_details`), EVS disk details (`volumes`) and, optionally, ECS server details
//! (`servers`) — and writes a scenario that rebuilds that state: every key in its state (with
//! the days left before a scheduled deletion), every disk with its encryption, role and
//! attachment, every server with its power state. Each statement carries the resource's cloud id
//! in a comment; wherever the order of statements is not obvious, a comment says why.
//!
//! Pure: no I/O, no panics on any input. Problems that leave something out or change it are
//! warnings (in [`Imported::warnings`] and as `# warning:` comments in the scenario); only input
//! from which nothing at all can be imported is an [`ImportError`].
#![forbid(unsafe_code)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#![cfg_attr(
    test,
    allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)
)]

mod date;
mod input;
mod names;
mod plan;
mod terraform;

pub use terraform::PLANNED_MARKER;

pub use date::{Date, DateError};
use serde::Serialize;

/// One input: a file name (or `<stdin>`) and its text, which may hold several JSON documents one
/// after the other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub name: String,
    pub text: String,
}

impl Document {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Document {
        Document {
            name: name.into(),
            text: text.into(),
        }
    }
}

/// What was imported.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Documents of a known shape (a file may hold several).
    pub documents: usize,
    /// Keys in the final state, `evs/default` and placeholder keys included.
    pub keys: usize,
    pub servers: usize,
    pub disks: usize,
    /// Images the scenario creates to give encrypted system disks their key (not in the input).
    pub images: usize,
    /// Items that could not be imported (a missing id, not an object, …).
    pub skipped: usize,
}

/// The kind of an imported cloud resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ResourceKind {
    Key,
    Server,
    Disk,
    Image,
    Snapshot,
    Backup,
    Config,
}

/// A cloud resource and the name it has in the scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Resource {
    pub kind: ResourceKind,
    /// Its id in the cloud (`key_id`, the volume's or server's `id`).
    pub id: String,
    /// Its name in the scenario.
    pub name: String,
}

/// The scenario and what the import had to say about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Imported {
    /// The scenario text, one statement per line, ending in a newline.
    pub scenario: String,
    /// Everything left out or changed, each naming the document, the item and the field
    /// where there is one. Safe to print: no control or direction-changing characters.
    pub warnings: Vec<String>,
    pub counts: Counts,
    /// Every imported key, server and disk: cloud id → scenario name, in scenario order.
    pub resources: Vec<Resource>,
    /// The day days-left counts from: the one given, else the newest date in the input.
    pub today: Option<Date>,
    /// For a Terraform plan or state: its version, where the planned changes start, each
    /// planned change with its lines, and what was skipped.
    pub plan: Option<PlanInfo>,
}

/// What a Terraform document held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanInfo {
    pub format_version: String,
    pub terraform_version: Option<String>,
    /// The line of [`PLANNED_MARKER`] (1-based); `None` for a state, which plans nothing.
    pub planned_line: Option<u32>,
    /// Every planned change of a modelled type, in `resource_changes` order.
    pub changes: Vec<PlannedChange>,
    /// Resources of other types and providers, and data sources, with why.
    pub skipped: Vec<Skipped>,
}

/// One entry of `resource_changes` and the scenario lines that play it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedChange {
    pub address: String,
    /// The resource type, e.g. `huaweicloud_kms_key`.
    pub kind: String,
    /// Terraform's actions: `create`, `update`, `delete` (a replacement has two).
    pub actions: Vec<String>,
    /// The 1-based lines of the statements that play it (none when nothing Keyline models
    /// changes: then `note` says why).
    pub lines: Vec<u32>,
    pub note: Option<String>,
}

/// A resource the import left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub address: String,
    pub kind: String,
    pub reason: String,
}

impl Imported {
    /// The scenario's prior state and planned changes, split at [`PLANNED_MARKER`] (the
    /// second is empty without a plan).
    pub fn split(&self) -> (&str, &str) {
        match self.scenario.find(&format!("\n{PLANNED_MARKER}\n")) {
            Some(at) => self.scenario.split_at(at + 1),
            None => (self.scenario.as_str(), ""),
        }
    }
}

impl Imported {
    /// The scenario name of the resource with this cloud id.
    pub fn name_of(&self, kind: ResourceKind, id: &str) -> Option<&str> {
        self.resources
            .iter()
            .find(|r| r.kind == kind && r.id == id)
            .map(|r| r.name.as_str())
    }
}

/// Why nothing could be imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("no input: give at least one KMS, EVS or ECS API response")]
    NoDocuments,
    #[error("nothing could be imported: {}", problems.join("; "))]
    NothingImported {
        /// Each problem, naming the document, the item and the field.
        problems: Vec<String>,
    },
}

/// Turns API responses into a scenario. `today` is the day days-left counts from; without it,
/// the newest creation or update date in the input.
pub fn import(docs: &[Document], today: Option<Date>) -> Result<Imported, ImportError> {
    if docs.is_empty() {
        return Err(ImportError::NoDocuments);
    }
    if let Some(imported) = terraform_document(docs, today) {
        let mut imported = imported?;
        self_check(&mut imported);
        return Ok(imported);
    }
    let inv = input::read(docs);
    let mut imported = plan::build(inv, today)?;
    self_check(&mut imported);
    Ok(imported)
}

/// The first document that is Terraform's `show -json` output, imported on its own (other
/// documents beside it are named in a warning: a plan already holds the account).
fn terraform_document(
    docs: &[Document],
    today: Option<Date>,
) -> Option<Result<Imported, ImportError>> {
    let (ix, value) = docs.iter().enumerate().find_map(|(i, d)| {
        let text = d.text.strip_prefix('\u{feff}').unwrap_or(&d.text);
        if !text.trim_start().starts_with('{') || !text.contains("\"format_version\"") {
            return None;
        }
        let v = serde_json::Deserializer::from_str(text)
            .into_iter::<serde_json::Value>()
            .next()?
            .ok()?;
        terraform::looks_like_terraform(&v).then_some((i, v))
    })?;
    let doc = docs.get(ix)?;
    let name = names::clean(&doc.name, 120);
    let mut result = terraform::import(&name, value, today);
    if let Ok(imported) = &mut result {
        for (i, other) in docs.iter().enumerate() {
            if i != ix {
                imported.warnings.push(format!(
                    "{}: ignored: a Terraform document ({name}) is imported on its own",
                    names::clean(&other.name, 120)
                ));
            }
        }
    }
    Some(result)
}

/// The scenario must replay without a failing statement; if it ever does not, say so rather
/// than hand over a scenario that misrepresents the account.
fn self_check(imported: &mut Imported) {
    let report = keyline_rules::evaluate(&imported.scenario);
    for e in report.errors.iter().take(5) {
        imported.warnings.push(format!(
            "internal: the scenario does not parse at {e}; please report this"
        ));
    }
    // The planned changes may fail: that is their verdict. The prior state must not.
    let planned = imported
        .plan
        .as_ref()
        .and_then(|p| p.planned_line)
        .unwrap_or(u32::MAX);
    for s in report
        .steps
        .iter()
        .filter(|s| s.outcome == keyline_rules::Outcome::Fail && s.line < planned)
        .take(5)
    {
        imported.warnings.push(format!(
            "internal: line {} ({}) fails with {}; please report this",
            s.line,
            names::clean(&s.statement, 120),
            s.code.map(|c| c.to_string()).unwrap_or_default()
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        Document::new("t.json", text)
    }

    fn run(texts: &[&str]) -> Imported {
        let docs: Vec<Document> = texts.iter().map(|t| doc(t)).collect();
        import(&docs, "2026-11-20".parse().ok()).unwrap()
    }

    fn replays(i: &Imported) -> keyline_rules::Report {
        let r = keyline_rules::evaluate(&i.scenario);
        assert!(r.errors.is_empty(), "{:?}\n{}", r.errors, i.scenario);
        for s in &r.steps {
            assert_ne!(
                s.outcome,
                keyline_rules::Outcome::Fail,
                "line {}: {} {}\n{}",
                s.line,
                s.statement,
                s.message,
                i.scenario
            );
        }
        r
    }

    #[test]
    fn nothing_to_import() {
        assert_eq!(import(&[], None), Err(ImportError::NoDocuments));
        let e = import(&[doc("{\"foo\": 1}")], None).unwrap_err();
        assert!(
            e.to_string()
                .contains("t.json: not a KMS, EVS or ECS response"),
            "{e}"
        );
        let e = import(&[doc("not json")], None).unwrap_err();
        assert!(e.to_string().contains("t.json: not valid JSON"), "{e}");
        let e = import(&[doc("")], None).unwrap_err();
        assert!(e.to_string().contains("empty"), "{e}");
        let e = import(&[doc("[1,2]")], None).unwrap_err();
        assert!(e.to_string().contains("found an array"), "{e}");
        let e = import(&[doc(r#"{"volumes": "x"}"#)], None).unwrap_err();
        assert!(
            e.to_string()
                .contains("volumes: expected an array, found a string"),
            "{e}"
        );
        let e = import(&[doc(r#"{"volumes": [{"name": "a"}]}"#)], None).unwrap_err();
        assert!(e.to_string().contains("volumes[0].id: missing"), "{e}");
        let e = import(
            &[doc(
                r#"{"error_code": "KMS.0205", "error_msg": "token expired"}"#,
            )],
            None,
        )
        .unwrap_err();
        assert!(e.to_string().contains("\"token expired\""), "{e}");
    }

    #[test]
    fn an_empty_account_is_not_an_error() {
        let i = run(&[r#"{"volumes": [], "count": 0}"#]);
        assert!(i.scenario.starts_with("title Imported from t.json: 0 keys"));
        assert_eq!(
            i.warnings,
            vec!["the documents list no keys, disks or servers"]
        );
        replays(&i);
    }

    #[test]
    fn the_smallest_import() {
        let i = run(&[
            r#"{"key_details":[{"key_id":"k-1","key_alias":"app","key_state":"3","default_key_flag":"0"}]}"#,
            r#"{"volumes":[{"id":"v-1","name":"data","bootable":"false","attachments":[{"server_id":"s-1"}],"metadata":{"__system__encrypted":"1","__system__cmkid":"k-1"}}]}"#,
        ]);
        assert!(i.warnings.is_empty(), "{:?}", i.warnings);
        let r = replays(&i);
        let d = &r.state.disks[0];
        assert_eq!(d.name, "data");
        assert_eq!(d.encryption, "app");
        assert_eq!(d.health, keyline_rules::Health::AtRisk);
        assert_eq!(d.attached_to.as_deref(), Some("s-1"));
        assert_eq!(r.state.servers[0].power, keyline_rules::Power::Stopped);
        assert_eq!(r.state.servers[0].system_disk, None);
        assert_eq!(i.name_of(ResourceKind::Disk, "v-1"), Some("data"));
    }

    #[test]
    fn several_documents_in_one_text() {
        let i = run(&[concat!(
            r#"{"key_details":[{"key_id":"k-1","key_alias":"a","key_state":"2"}]}"#,
            "\n",
            r#"{"volumes":[{"id":"v-1","name":"d","metadata":{"__system__encrypted":"1","__system__cmkid":"k-1"}}]}"#,
            "\n{bad"
        )]);
        assert_eq!(i.counts.documents, 2);
        assert!(
            i.warnings[0].starts_with("t.json: not valid JSON after 2 document(s)"),
            "{:?}",
            i.warnings
        );
        replays(&i);
    }

    #[test]
    fn servers_and_their_volumes() {
        let i = run(&[
            r#"{"servers":[
                {"id":"s-1","name":"web","status":"ACTIVE","os-extended-volumes:volumes_attached":[{"id":"v-1","bootIndex":"0"},{"id":"v-9"}]},
                {"id":"s-2","name":"idle","status":"ACTIVE"},
                {"id":"s-3","name":"odd","status":"MIGRATING","os-extended-volumes:volumes_attached":[{"id":"v-2","bootIndex":0}]}
            ]}"#,
            r#"{"volumes":[
                {"id":"v-1","name":"web-sys","bootable":"true","attachments":[{"server_id":"s-1","device":"/dev/vda"}]},
                {"id":"v-2","name":"odd-data","bootable":"true","attachments":[{"server_id":"s-3","device":"/dev/vdb"}]},
                {"id":"v-3","name":"odd-sys","bootable":"true","attachments":[{"server_id":"s-3","device":"/dev/vda"}]}
            ]}"#,
        ]);
        let r = replays(&i);
        let w = i.warnings.join("\n");
        assert!(
            w.contains("t.json: servers[0]: the server lists 1 volume attached that no EVS document lists (v-9); it is imported without it"),
            "{w}"
        );
        assert!(
            w.contains("t.json: servers[1]: server s-2 is running in the input, but no bootable disk attached to it is listed"),
            "{w}"
        );
        assert!(
            w.contains("t.json: servers[2]: status \"MIGRATING\" is neither ACTIVE nor SHUTOFF"),
            "{w}"
        );
        // bootIndex 0 wins over the usual device name.
        let odd = r.state.servers.iter().find(|s| s.name == "odd").unwrap();
        assert_eq!(odd.system_disk.as_deref(), Some("odd-data"));
        assert_eq!(odd.data_disks, vec!["odd-sys".to_owned()]);
        let idle = r.state.servers.iter().find(|s| s.name == "idle").unwrap();
        assert_eq!(idle.power, keyline_rules::Power::Stopped);
        assert_eq!(r.state.disks.len(), 3);
    }

    #[test]
    fn short_windows_wait() {
        let i = run(&[r#"{"key_details":[
                {"key_id":"a","key_alias":"a","key_state":"4","scheduled_deletion_date":"2026-11-22T00:00:00Z"},
                {"key_id":"b","key_alias":"b","key_state":"4","scheduled_deletion_date":"2026-11-25"},
                {"key_id":"c","key_alias":"c","key_state":"4","scheduled_deletion_date":"2026-12-20"},
                {"key_id":"d","key_alias":"d","key_state":"4","scheduled_deletion_date":"2026-11-19"},
                {"key_id":"e","key_alias":"e","key_state":"4","scheduled_deletion_date":"2031-11-19"}
            ]}"#]);
        let r = replays(&i);
        let left: Vec<(String, Option<u64>)> = r
            .state
            .keys
            .iter()
            .map(|k| (k.name.clone(), k.days_left))
            .collect();
        assert_eq!(
            left,
            vec![
                ("a".to_owned(), Some(2)),
                ("b".to_owned(), Some(5)),
                ("c".to_owned(), Some(30)),
                ("d".to_owned(), Some(1)),
                ("e".to_owned(), Some(1096)),
            ],
            "{}",
            i.scenario
        );
        assert_eq!(i.warnings.len(), 2, "{:?}", i.warnings);
    }
}
