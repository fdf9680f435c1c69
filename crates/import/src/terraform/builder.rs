//! The scenario being written: what was read from the prior state (keys, servers, cloud id →
//! scenario name maps) and the lines, warnings and skipped resources written so far, with the
//! few writers every other part shares.

use crate::date::Date;
use crate::input::DateIn;
use crate::names::{clean, quoted, Names};
use crate::{PlannedChange, Resource, ResourceKind, Skipped};
use keyline_rules::Statement;
use std::collections::HashMap;

/// A key's state in the prior state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Target {
    Enabled,
    Disabled(String),
    Pending,
}

#[derive(Debug)]
pub(super) struct Key {
    pub(super) addr: String,
    pub(super) target: Target,
    pub(super) deletion: DateIn,
    pub(super) pending_days: Option<String>,
    pub(super) name: String,
    pub(super) default: bool,
}

#[derive(Debug, Clone)]
pub(super) enum ImageFrom {
    Server(String),
    Import(Option<String>),
}

#[derive(Debug)]
pub(super) struct Server {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) sys_key: Option<String>,
    pub(super) sys_id: Option<String>,
    pub(super) status: Option<String>,
    /// Data disks made by `data_disks` blocks: (volume id, key id).
    pub(super) data: Vec<(Option<String>, Option<String>)>,
}

/// Everything read from the prior state, with cloud id → scenario name maps.
#[derive(Default)]
pub(super) struct Account {
    pub(super) keys: Vec<Key>,
    pub(super) key_ix: HashMap<String, usize>,
    pub(super) servers: Vec<Server>,
    pub(super) server_ix: HashMap<String, usize>,
    pub(super) names: HashMap<(ResourceKind, String), String>,
    /// Prior-state address → (kind, scenario name) for the planned changes.
    pub(super) by_addr: HashMap<String, (ResourceKind, String)>,
    /// Volume id → server id, for attachments; attachment address → volume id.
    pub(super) attach_addr: HashMap<String, String>,
    pub(super) image_key: HashMap<String, Option<String>>,
    pub(super) resources: Vec<Resource>,
}

/// One line of the scenario being written.
pub(super) enum Line {
    Blank,
    Note(String),
    Warning(String),
    Stmt(Statement, String, Option<usize>),
}

pub(super) struct Builder {
    pub(super) doc: String,
    pub(super) names: Names,
    pub(super) acc: Account,
    pub(super) lines: Vec<Line>,
    pub(super) warnings: Vec<String>,
    pub(super) skipped: Vec<Skipped>,
    pub(super) changes: Vec<PlannedChange>,
    pub(super) images: usize,
    pub(super) newest: Option<Date>,
}

impl Builder {
    /// An empty scenario for the document `doc` (named in warnings).
    pub(super) fn new(doc: &str) -> Self {
        Builder {
            doc: doc.to_owned(),
            names: Names::new(),
            acc: Account::default(),
            lines: Vec::new(),
            warnings: Vec::new(),
            skipped: Vec::new(),
            changes: Vec::new(),
            images: 0,
            newest: None,
        }
    }

    pub(super) fn warn(&mut self, at: &str, msg: String) {
        let m = format!("{}: {at}: {msg}", self.doc);
        self.warnings.push(m);
        self.lines.push(Line::Warning(format!("{at}: {msg}")));
    }

    pub(super) fn note(&mut self, s: impl Into<String>) {
        self.lines.push(Line::Note(s.into()));
    }

    pub(super) fn stmt(&mut self, s: Statement, comment: impl Into<String>) {
        self.lines.push(Line::Stmt(s, comment.into(), None));
    }

    pub(super) fn planned(&mut self, change: usize, s: Statement, comment: impl Into<String>) {
        self.lines.push(Line::Stmt(s, comment.into(), Some(change)));
    }

    pub(super) fn skip(&mut self, address: &str, kind: &str, reason: String) {
        self.skipped.push(Skipped {
            address: clean(address, 200),
            kind: clean(kind, 100),
            reason,
        });
    }

    pub(super) fn seen_date(&mut self, d: Option<Date>) {
        if let Some(d) = d {
            if self.newest.is_none_or(|n| d > n) {
                self.newest = Some(d);
            }
        }
    }

    pub(super) fn name_of(&self, kind: ResourceKind, id: &str) -> Option<String> {
        self.acc.names.get(&(kind, id.to_owned())).cloned()
    }

    pub(super) fn record(&mut self, kind: ResourceKind, id: &str, name: &str, addr: &str) {
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
    pub(super) fn key_for(&mut self, id: &str, at: &str) -> String {
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
