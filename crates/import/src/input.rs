//! Reading the API responses: KMS key lists (`key_details`, `key_info`, `keys`), EVS disk
//! lists (`volumes`, `volume`) and ECS server lists (`servers`, `server`), as JSON values.
//! Unknown fields are ignored; a wrong type or a missing id is a warning that names the
//! document, the item's index and the field, and the item (or field) is skipped.

use crate::date::Date;
use crate::names::{clean, quoted};
use crate::Document;
use serde_json::{Map, Value};

/// A key's state in the KMS API (`key_state`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum KeyStateIn {
    /// 1: to be activated.
    ToBeActivated,
    /// 2.
    Enabled,
    /// 3.
    Disabled,
    /// 4: scheduled for deletion.
    PendingDeletion,
    /// 5: waiting for imported key material.
    PendingImport,
    /// 7.
    Frozen,
    /// Any other value.
    Unknown(String),
    /// No `key_state`.
    Missing,
    /// A `key_state` of the wrong type (already warned about).
    Unreadable,
}

/// A date field: absent, read, or present but unreadable (its text for the warning).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DateIn {
    None,
    Date(Date),
    Bad(String),
}

#[derive(Debug, Clone)]
pub(crate) struct KeyIn {
    /// Where it came from, for warnings: `kms.json: key_details[2]`.
    pub at: String,
    pub id: String,
    pub alias: Option<String>,
    pub state: KeyStateIn,
    pub default: bool,
    pub deletion: DateIn,
    /// From a `keys` list of ids without details.
    pub id_only: bool,
}

#[derive(Debug, Clone)]
pub(crate) enum EncIn {
    None,
    Key(String),
    /// Encrypted, but no `__system__cmkid`.
    KeyMissing,
}

#[derive(Debug, Clone)]
pub(crate) struct AttachIn {
    /// Its index in `attachments`.
    pub index: usize,
    pub server_id: String,
    pub device: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct DiskIn {
    pub at: String,
    pub id: String,
    pub name: Option<String>,
    pub status: Option<String>,
    pub bootable: bool,
    pub attachments: Vec<AttachIn>,
    pub enc: EncIn,
    pub snapshot_id: Option<String>,
    pub source_volid: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct ServerIn {
    pub at: String,
    pub id: String,
    pub name: Option<String>,
    pub status: Option<String>,
    pub root_device: Option<String>,
    /// The volume with `bootIndex` 0 in `os-extended-volumes:volumes_attached`.
    pub boot_volume: Option<String>,
    /// The ids in `os-extended-volumes:volumes_attached`.
    pub volumes: Vec<String>,
}

/// Everything read from the documents.
#[derive(Debug, Default)]
pub(crate) struct Inventory {
    pub keys: Vec<KeyIn>,
    pub disks: Vec<DiskIn>,
    pub servers: Vec<ServerIn>,
    /// The newest date found (creation and update dates; never deletion dates).
    pub newest: Option<Date>,
    /// Documents of a known shape.
    pub recognised: usize,
    /// Documents recognised per kind.
    pub kms_docs: usize,
    pub evs_docs: usize,
    pub ecs_docs: usize,
    /// Items that could not be imported.
    pub skipped: usize,
    /// The names of the documents that were recognised, in order, without repeats.
    pub sources: Vec<String>,
    pub warnings: Vec<String>,
}

/// "a string", "an array", … for messages (API responses and Terraform documents alike).
pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A field read as text: `Ok(None)` when absent, null or blank.
fn text_field(o: &Map<String, Value>, field: &str) -> Result<Option<String>, &'static str> {
    match o.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(v) => Err(type_name(v)),
    }
}

/// A code such as `key_state`: a string or a number.
fn code_field(o: &Map<String, Value>, field: &str) -> Result<Option<String>, &'static str> {
    match o.get(field) {
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        _ => text_field(o, field),
    }
}

/// A flag: `"1"`/`"0"`, `"true"`/`"false"`, a boolean or 0/1.
fn flag_value(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => match n.as_u64() {
            Some(0) => Some(false),
            Some(1) => Some(true),
            _ => None,
        },
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" => Some(true),
            "0" | "false" | "no" | "" => Some(false),
            _ => None,
        },
        Value::Null => Some(false),
        _ => None,
    }
}

/// A date: ISO text, epoch milliseconds as digits or as a number.
fn date_value(v: &Value) -> DateIn {
    match v {
        Value::Null => DateIn::None,
        Value::String(s) if s.trim().is_empty() => DateIn::None,
        Value::String(s) => match Date::parse_api(s) {
            Some(d) => DateIn::Date(d),
            None => DateIn::Bad(quoted(s)),
        },
        Value::Number(n) => match n.as_u64().and_then(Date::from_epoch) {
            Some(d) => DateIn::Date(d),
            None => DateIn::Bad(n.to_string()),
        },
        other => DateIn::Bad(type_name(other).to_owned()),
    }
}

/// One document (one JSON value of a file) being read.
struct Doc<'a> {
    inv: &'a mut Inventory,
    label: &'a str,
}

impl Doc<'_> {
    fn warn(&mut self, msg: String) {
        self.inv.warnings.push(format!("{}: {msg}", self.label));
    }

    /// Records a creation or update date as a candidate for "today".
    fn seen_date(&mut self, o: &Map<String, Value>, field: &str) {
        if let Some(DateIn::Date(d)) = o.get(field).map(date_value) {
            if self.inv.newest.is_none_or(|n| d > n) {
                self.inv.newest = Some(d);
            }
        }
    }

    /// An optional text field; a wrong type is a warning and reads as absent.
    fn opt_text(&mut self, o: &Map<String, Value>, path: &str, field: &str) -> Option<String> {
        match text_field(o, field) {
            Ok(v) => v,
            Err(t) => {
                self.warn(format!(
                    "{path}.{field}: expected a string, found {t}; ignored"
                ));
                None
            }
        }
    }

    /// The required id; `None` (with a warning, the item skipped) when missing or not text.
    fn id(
        &mut self,
        o: &Map<String, Value>,
        path: &str,
        field: &str,
        what: &str,
    ) -> Option<String> {
        match text_field(o, field) {
            Ok(Some(id)) => Some(id),
            Ok(None) => {
                self.warn(format!("{path}.{field}: missing; the {what} is skipped"));
                self.inv.skipped += 1;
                None
            }
            Err(t) => {
                self.warn(format!(
                    "{path}.{field}: expected a string, found {t}; the {what} is skipped"
                ));
                self.inv.skipped += 1;
                None
            }
        }
    }

    fn object<'v>(
        &mut self,
        item: &'v Value,
        path: &str,
        what: &str,
    ) -> Option<&'v Map<String, Value>> {
        match item {
            Value::Object(o) => Some(o),
            other => {
                self.warn(format!(
                    "{path}: expected an object (a {what}), found {}; skipped",
                    type_name(other)
                ));
                self.inv.skipped += 1;
                None
            }
        }
    }

    /// `field` as an array of items, or a warning.
    fn list<'v>(&mut self, v: &'v Value, field: &str) -> Option<&'v [Value]> {
        match v {
            Value::Array(a) => Some(a),
            other => {
                self.warn(format!(
                    "{field}: expected an array, found {}; skipped",
                    type_name(other)
                ));
                None
            }
        }
    }

    fn key(&mut self, item: &Value, path: &str) {
        let Some(o) = self.object(item, path, "KMS key") else {
            return;
        };
        let Some(id) = self.id(o, path, "key_id", "key") else {
            return;
        };
        let alias = self.opt_text(o, path, "key_alias");
        let state = match code_field(o, "key_state") {
            Ok(None) => KeyStateIn::Missing,
            Ok(Some(s)) => match s.trim() {
                "1" => KeyStateIn::ToBeActivated,
                "2" => KeyStateIn::Enabled,
                "3" => KeyStateIn::Disabled,
                "4" => KeyStateIn::PendingDeletion,
                "5" => KeyStateIn::PendingImport,
                "7" => KeyStateIn::Frozen,
                _ => KeyStateIn::Unknown(s),
            },
            Err(t) => {
                self.warn(format!(
                    "{path}.key_state: expected a string such as \"2\", found {t}; the key is imported enabled"
                ));
                KeyStateIn::Unreadable
            }
        };
        let default = match o.get("default_key_flag") {
            None => false,
            Some(v) => flag_value(v).unwrap_or_else(|| {
                self.warn(format!(
                    "{path}.default_key_flag: expected \"0\" or \"1\", found {}; read as \"0\"",
                    type_name(v)
                ));
                false
            }),
        };
        let deletion = o
            .get("scheduled_deletion_date")
            .map_or(DateIn::None, date_value);
        self.seen_date(o, "creation_date");
        self.inv.keys.push(KeyIn {
            at: format!("{}: {path}", self.label),
            id,
            alias,
            state,
            default,
            deletion,
            id_only: false,
        });
    }

    fn disk(&mut self, item: &Value, path: &str) {
        let Some(o) = self.object(item, path, "disk") else {
            return;
        };
        let Some(id) = self.id(o, path, "id", "disk") else {
            return;
        };
        let name = self.opt_text(o, path, "name");
        let status = self.opt_text(o, path, "status");
        let bootable = match o.get("bootable") {
            None => false,
            Some(v) => flag_value(v).unwrap_or_else(|| {
                self.warn(format!(
                    "{path}.bootable: expected \"true\" or \"false\", found {}; read as \"false\"",
                    type_name(v)
                ));
                false
            }),
        };
        let mut attachments = Vec::new();
        match o.get("attachments") {
            None | Some(Value::Null) => {}
            Some(Value::Array(list)) => {
                for (j, a) in list.iter().enumerate() {
                    let apath = format!("{path}.attachments[{j}]");
                    let Value::Object(a) = a else {
                        self.warn(format!(
                            "{apath}: expected an object, found {}; ignored",
                            type_name(a)
                        ));
                        continue;
                    };
                    match text_field(a, "server_id") {
                        Ok(Some(server_id)) => {
                            let device = self.opt_text(a, &apath, "device");
                            self.seen_date(a, "attached_at");
                            attachments.push(AttachIn {
                                index: j,
                                server_id,
                                device,
                            });
                        }
                        Ok(None) => self.warn(format!(
                            "{apath}.server_id: missing; the attachment is ignored"
                        )),
                        Err(t) => self.warn(format!(
                            "{apath}.server_id: expected a string, found {t}; the attachment is ignored"
                        )),
                    }
                }
            }
            Some(other) => self.warn(format!(
                "{path}.attachments: expected an array, found {}; the disk is imported detached",
                type_name(other)
            )),
        }
        let mut encrypted = match o.get("encrypted") {
            Some(v) => flag_value(v).unwrap_or(false),
            None => false,
        };
        let mut cmk = None;
        match o.get("metadata") {
            None | Some(Value::Null) => {}
            Some(Value::Object(m)) => {
                let mpath = format!("{path}.metadata");
                if let Some(v) = m.get("__system__encrypted") {
                    match flag_value(v) {
                        Some(b) => encrypted = b,
                        None => self.warn(format!(
                            "{mpath}.__system__encrypted: expected \"0\" or \"1\", found {}; read as \"0\"",
                            match v {
                                Value::String(s) => quoted(s),
                                other => type_name(other).to_owned(),
                            }
                        )),
                    }
                }
                cmk = self.opt_text(m, &mpath, "__system__cmkid");
            }
            Some(other) => self.warn(format!(
                "{path}.metadata: expected an object, found {}; the disk is imported unencrypted",
                type_name(other)
            )),
        }
        let enc = match (encrypted, cmk) {
            (false, _) => EncIn::None,
            (true, Some(k)) => EncIn::Key(k),
            (true, None) => EncIn::KeyMissing,
        };
        let snapshot_id = self.opt_text(o, path, "snapshot_id");
        let source_volid = self.opt_text(o, path, "source_volid");
        self.seen_date(o, "created_at");
        self.seen_date(o, "updated_at");
        self.inv.disks.push(DiskIn {
            at: format!("{}: {path}", self.label),
            id,
            name,
            status,
            bootable,
            attachments,
            enc,
            snapshot_id,
            source_volid,
        });
    }

    fn server(&mut self, item: &Value, path: &str) {
        let Some(o) = self.object(item, path, "server") else {
            return;
        };
        let Some(id) = self.id(o, path, "id", "server") else {
            return;
        };
        let name = self.opt_text(o, path, "name");
        let status = self.opt_text(o, path, "status");
        let root_device = self.opt_text(o, path, "OS-EXT-SRV-ATTR:root_device_name");
        let mut boot_volume = None;
        let mut volumes = Vec::new();
        if let Some(Value::Array(vols)) = o.get("os-extended-volumes:volumes_attached") {
            for v in vols {
                let Value::Object(v) = v else { continue };
                let Ok(Some(vid)) = text_field(v, "id") else {
                    continue;
                };
                let boot = match v.get("bootIndex") {
                    Some(Value::String(s)) => s.trim() == "0",
                    Some(Value::Number(n)) => n.as_u64() == Some(0),
                    _ => false,
                };
                if boot && boot_volume.is_none() {
                    boot_volume = Some(vid.clone());
                }
                volumes.push(vid);
            }
        }
        self.seen_date(o, "created");
        self.seen_date(o, "updated");
        self.inv.servers.push(ServerIn {
            at: format!("{}: {path}", self.label),
            id,
            name,
            status,
            root_device,
            boot_volume,
            volumes,
        });
    }

    /// A paged list that holds fewer items than the account has.
    fn paging(&mut self, o: &Map<String, Value>, field: &str, listed: usize, what: &str) {
        let truncated = o.get("truncated").and_then(flag_value).unwrap_or(false);
        let total = match o.get("total").or_else(|| o.get("count")) {
            Some(Value::Number(n)) => n.as_u64(),
            Some(Value::String(s)) => s.trim().parse().ok(),
            _ => None,
        };
        let more = total.is_some_and(|t| t > listed as u64);
        if truncated || more {
            let total = total.map(|t| format!(" of {t}")).unwrap_or_default();
            self.warn(format!(
                "{field}: this page lists {listed}{total} {what}; add the other pages as more documents, or the missing ones are left out"
            ));
        }
    }

    /// One JSON value of a file.
    fn read(&mut self, v: &Value) {
        let Value::Object(o) = v else {
            self.warn(format!(
                "expected a JSON object (a KMS, EVS or ECS API response), found {}; skipped",
                type_name(v)
            ));
            return;
        };
        let (mut kms, mut evs, mut ecs) = (false, false, false);
        if let Some(v) = o.get("key_details") {
            if let Some(items) = self.list(v, "key_details") {
                kms = true;
                for (i, item) in items.iter().enumerate() {
                    self.key(item, &format!("key_details[{i}]"));
                }
                self.paging(o, "key_details", items.len(), "keys");
            }
        } else if let Some(v) = o.get("keys") {
            // list-keys without details: ids only.
            if let Some(items) = self.list(v, "keys") {
                kms = true;
                if !items.is_empty() {
                    self.warn(
                        "keys: a key list without key_details holds no aliases or states; the keys are imported enabled under their ids (ask for the list with details)".to_owned(),
                    );
                }
                for (i, item) in items.iter().enumerate() {
                    let path = format!("keys[{i}]");
                    match item {
                        Value::String(id) if !id.trim().is_empty() => {
                            self.inv.keys.push(KeyIn {
                                at: format!("{}: {path}", self.label),
                                id: id.clone(),
                                alias: None,
                                state: KeyStateIn::Missing,
                                default: false,
                                deletion: DateIn::None,
                                id_only: true,
                            });
                        }
                        other => {
                            self.warn(format!(
                                "{path}: expected a key id (a string), found {}; skipped",
                                type_name(other)
                            ));
                            self.inv.skipped += 1;
                        }
                    }
                }
                self.paging(o, "keys", items.len(), "keys");
            }
        }
        if let Some(v) = o.get("key_info") {
            kms = true;
            self.key(v, "key_info");
        }
        if let Some(v) = o.get("volumes") {
            if let Some(items) = self.list(v, "volumes") {
                evs = true;
                for (i, item) in items.iter().enumerate() {
                    self.disk(item, &format!("volumes[{i}]"));
                }
                self.paging(o, "volumes", items.len(), "disks");
            }
        }
        if let Some(v) = o.get("volume") {
            evs = true;
            self.disk(v, "volume");
        }
        if let Some(v) = o.get("servers") {
            if let Some(items) = self.list(v, "servers") {
                ecs = true;
                for (i, item) in items.iter().enumerate() {
                    self.server(item, &format!("servers[{i}]"));
                }
                self.paging(o, "servers", items.len(), "servers");
            }
        }
        if let Some(v) = o.get("server") {
            ecs = true;
            self.server(v, "server");
        }
        let inv = &mut *self.inv;
        inv.kms_docs += usize::from(kms);
        inv.evs_docs += usize::from(evs);
        inv.ecs_docs += usize::from(ecs);
        if kms || evs || ecs {
            inv.recognised += 1;
            return;
        }
        if o.contains_key("key_details")
            || o.contains_key("keys")
            || o.contains_key("volumes")
            || o.contains_key("servers")
        {
            return; // A list of the wrong type, already warned about.
        }
        let msg = o
            .get("error_msg")
            .or_else(|| o.get("error").and_then(|e| e.get("message")))
            .or_else(|| o.get("message"))
            .and_then(Value::as_str);
        if let Some(msg) = msg {
            self.warn(format!(
                "an error response from the API ({}), not a list; skipped",
                quoted(msg)
            ));
            return;
        }
        let mut fields: Vec<String> = o.keys().take(5).map(|k| quoted(k)).collect();
        if o.len() > 5 {
            fields.push("…".to_owned());
        }
        let fields = if fields.is_empty() {
            "no fields".to_owned()
        } else {
            format!("fields {}", fields.join(", "))
        };
        self.warn(format!(
            "not a KMS, EVS or ECS response (expected key_details, volumes or servers; found {fields}); skipped"
        ));
    }
}

/// Reads every document. Several JSON values in one file are read one after the other.
pub(crate) fn read(docs: &[Document]) -> Inventory {
    let mut inv = Inventory::default();
    for doc in docs {
        let name = clean(&doc.name, 120);
        let text = doc.text.strip_prefix('\u{feff}').unwrap_or(&doc.text);
        let mut values = Vec::new();
        let mut bad = None;
        for v in serde_json::Deserializer::from_str(text).into_iter::<Value>() {
            match v {
                Ok(v) => values.push(v),
                Err(e) => {
                    bad = Some(e);
                    break;
                }
            }
        }
        let before = inv.recognised;
        let many = values.len() > 1;
        for (i, v) in values.iter().enumerate() {
            let label = if many {
                format!("{name} (document {})", i + 1)
            } else {
                name.clone()
            };
            Doc {
                inv: &mut inv,
                label: &label,
            }
            .read(v);
        }
        if let Some(e) = bad {
            let which = if values.is_empty() {
                String::new()
            } else {
                format!(" after {} document(s)", values.len())
            };
            inv.warnings.push(format!(
                "{name}: not valid JSON{which}: {}; the rest of the file is skipped",
                clean(&e.to_string(), 200)
            ));
        } else if values.is_empty() {
            inv.warnings
                .push(format!("{name}: empty: no JSON document in it"));
        }
        if inv.recognised > before && !inv.sources.contains(&name) {
            inv.sources.push(name);
        }
    }
    inv
}
