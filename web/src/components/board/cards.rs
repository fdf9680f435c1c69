//! The board's content, kind by kind: plain functions that turn the state view into each
//! kind's card properties and the compact rows beyond the first page. No hooks here (they may
//! not be called from plain functions): the board calls its hooks first and hands what they
//! hold to these functions in a [`CardContext`].

use super::card::{line, CardLine, CardProps, HintSetter, KeyUse};
use super::compact::Compact;
use super::enc_label;
use crate::authoring::names::Taken;
use crate::authoring::quick;
use crate::state::Dispatch;
use keyline_rules::{
    Action as KeyAction, Audit, ConfigView, CopyView, DiskView, Finding, Health, ImageView,
    KeyState, KeyView, Power, ServerView, StateView, Step,
};
use std::collections::HashMap;
use std::rc::Rc;
use yew::UseStateSetter;

/// Opens the what-if panel for a key and an action (a key card's buttons).
pub type WhatIfSetter = UseStateSetter<Option<(String, KeyAction)>>;

/// What every card of one render shares, taken once from the board's props and hooks.
pub struct CardContext<'a> {
    /// Cards shown per kind; the resources after them are compact rows.
    pub limit: usize,
    /// The card whose quick action is focused or hovered, and the engine's preview of it.
    pub hint: Option<(String, Rc<Step>)>,
    pub on_hint: HintSetter,
    /// The audit's findings by (kind, name); empty while time travelling.
    pub findings: HashMap<(&'a str, &'a str), Vec<Finding>>,
    /// What depends on each key; empty while not audited.
    pub uses: HashMap<&'a str, KeyUse>,
    pub what_if: WhatIfSetter,
    /// The selected resources' names.
    pub selected: &'a [String],
    /// No quick actions: a read-only embed, or a past state (time travel).
    pub readonly: bool,
    pub dispatch: &'a Dispatch,
    /// The scenario's names, so quick actions name new resources freshly.
    pub taken: Taken<'a>,
}

impl CardContext<'_> {
    /// A card with what every kind shows (findings, hint, selection); each kind adds its own.
    fn base(&self, kind: &'static str, name: &str, encryption: &str, line: u32) -> CardProps {
        CardProps {
            kind,
            name: name.to_owned(),
            subtitle: None,
            encryption: encryption.to_owned(),
            health: None,
            state: None,
            class: "",
            badge: None,
            body: Vec::new(),
            actions: Vec::new(),
            hint: self
                .hint
                .as_ref()
                .filter(|(card, _)| card == name)
                .map(|(_, step)| step.clone()),
            on_hint: self.on_hint.clone(),
            attach_to: None,
            what_if: None,
            findings: self
                .findings
                .get(&(kind, name))
                .cloned()
                .unwrap_or_default(),
            key_use: None,
            selected: self.selected.iter().any(|n| n == name),
            line,
            readonly: self.readonly,
            dispatch: self.dispatch.clone(),
        }
    }
}

/// One group of the board: a kind's first cards and the rest of that kind as rows.
pub struct Group {
    pub title: &'static str,
    /// How many resources of the kind there are (cards and rows).
    pub count: usize,
    pub cards: Vec<CardProps>,
    pub rest: Vec<Compact>,
}

/// The board's groups, in the order the board shows them.
pub fn groups(ctx: &CardContext<'_>, state: &StateView) -> [Group; 7] {
    let limit = ctx.limit;
    [
        group(
            "Keys",
            state.keys.len(),
            key_cards(ctx, &state.keys),
            key_rows(&state.keys, limit),
        ),
        group(
            "Servers",
            state.servers.len(),
            server_cards(ctx, &state.servers),
            server_rows(&state.servers, limit),
        ),
        group(
            "Disks",
            state.disks.len(),
            disk_cards(ctx, state),
            disk_rows(&state.disks, limit),
        ),
        group(
            "Snapshots",
            state.snapshots.len(),
            copy_cards(ctx, &state.snapshots, "snapshot"),
            copy_rows(&state.snapshots, "snapshot", limit),
        ),
        group(
            "Backups",
            state.backups.len(),
            copy_cards(ctx, &state.backups, "backup"),
            copy_rows(&state.backups, "backup", limit),
        ),
        group(
            "Images",
            state.images.len(),
            image_cards(ctx, &state.images),
            image_rows(&state.images, limit),
        ),
        group(
            "AS configurations",
            state.configs.len(),
            config_cards(ctx, &state.configs),
            config_rows(&state.configs, limit),
        ),
    ]
}

fn group(title: &'static str, count: usize, cards: Vec<CardProps>, rest: Vec<Compact>) -> Group {
    Group {
        title,
        count,
        cards,
        rest,
    }
}

fn health_label(h: Health) -> &'static str {
    match h {
        Health::Healthy => "✓ healthy",
        Health::AtRisk => "! at-risk",
        Health::Unattachable => "⊘ unattachable",
        Health::Unrecoverable => "✗ unrecoverable",
    }
}

fn health_class(h: Health) -> &'static str {
    match h {
        Health::Healthy => "health-healthy",
        Health::AtRisk => "health-at-risk",
        Health::Unattachable => "health-unattachable",
        Health::Unrecoverable => "health-unrecoverable",
    }
}

fn state_label(k: KeyState) -> &'static str {
    match k {
        KeyState::Enabled => "✓ enabled",
        KeyState::Disabled => "⊘ disabled",
        KeyState::PendingDeletion => "◔ pending deletion",
        KeyState::Deleted => "✗ deleted",
    }
}

fn state_class(k: KeyState) -> &'static str {
    match k {
        KeyState::Enabled => "key-enabled",
        KeyState::Disabled => "key-disabled",
        KeyState::PendingDeletion => "key-pending-deletion",
        KeyState::Deleted => "key-deleted",
    }
}

/// Key cards: state, kind and deletion day, the what-if buttons and what depends on the key.
fn key_cards(ctx: &CardContext<'_>, keys: &[KeyView]) -> Vec<CardProps> {
    keys.iter()
        .take(ctx.limit)
        .map(|k| {
            let n = &k.name;
            let mut detail = k.kind.to_owned();
            if let (Some(day), Some(left)) = (k.deletion_day, k.days_left) {
                detail = format!("{detail}; deleted on day {day} ({left} days left)");
            }
            CardProps {
                state: Some(k.state.as_str()),
                class: state_class(k.state),
                badge: Some(state_label(k.state).to_owned()),
                body: vec![line("muted", detail)],
                actions: quick::key(n),
                what_if: Some(ctx.what_if.clone()),
                key_use: ctx.uses.get(n.as_str()).cloned(),
                ..ctx.base("key", n, "none", k.line)
            }
        })
        .collect()
}

/// Server cards: power, system and data disks, and what the server was created from.
fn server_cards(ctx: &CardContext<'_>, servers: &[ServerView]) -> Vec<CardProps> {
    servers
        .iter()
        .take(ctx.limit)
        .map(|s| {
            let power = match s.power {
                Power::Running => "▶ running",
                Power::Stopped => "■ stopped",
            };
            CardProps {
                badge: Some(power.to_owned()),
                body: server_body(s),
                actions: quick::server(&s.name, &ctx.taken),
                ..ctx.base("server", &s.name, &s.encryption, s.line)
            }
        })
        .collect()
}

/// A server card's lines: its disks and its origin (configuration or image).
fn server_body(s: &ServerView) -> Vec<CardLine> {
    let system = s.system_disk.clone().unwrap_or_else(|| "none".into());
    let data = if s.data_disks.is_empty() {
        "none".to_owned()
    } else {
        s.data_disks.join(", ")
    };
    let origin = match &s.config {
        Some(c) => format!("from AS configuration {c}"),
        None if s.image == "public" => "from the public image".to_owned(),
        None => format!("from image {}", s.image),
    };
    vec![
        line(
            "",
            format!("System disk: {system} · {}", enc_label(&s.encryption)),
        ),
        line("", format!("Data disks: {data}")),
        line("muted", origin),
    ]
}

/// Disk cards: role, health, encryption and server, provenance, and (detached) the servers it
/// can be attached to.
fn disk_cards(ctx: &CardContext<'_>, state: &StateView) -> Vec<CardProps> {
    let server_names: Vec<String> = state.servers.iter().map(|s| s.name.clone()).collect();
    state
        .disks
        .iter()
        .take(ctx.limit)
        .map(|dk| {
            let attached = match &dk.attached_to {
                Some(s) => format!("attached to {s}"),
                None => "detached".to_owned(),
            };
            CardProps {
                subtitle: Some(format!(" {} disk", dk.role)),
                health: Some(dk.health.as_str()),
                class: health_class(dk.health),
                badge: Some(health_label(dk.health).to_owned()),
                body: vec![
                    line("", format!("{} · {attached}", enc_label(&dk.encryption))),
                    line("muted provenance", dk.provenance.clone()),
                ],
                actions: quick::disk(dk, &ctx.taken),
                attach_to: (dk.attached_to.is_none() && !server_names.is_empty())
                    .then(|| server_names.clone()),
                ..ctx.base("disk", &dk.name, &dk.encryption, dk.line)
            }
        })
        .collect()
}

/// Snapshot or backup cards (`kind`): the disk copied, encryption and provenance.
fn copy_cards(ctx: &CardContext<'_>, copies: &[CopyView], kind: &'static str) -> Vec<CardProps> {
    copies
        .iter()
        .take(ctx.limit)
        .map(|c| CardProps {
            body: vec![
                line(
                    "",
                    format!("of disk {} · {}", c.disk, enc_label(&c.encryption)),
                ),
                line("muted provenance", c.provenance.clone()),
            ],
            actions: quick::copy(c, kind == "backup", &ctx.taken),
            ..ctx.base(kind, &c.name, &c.encryption, c.line)
        })
        .collect()
}

/// Image cards: the server it was made from (or imported), encryption and provenance.
fn image_cards(ctx: &CardContext<'_>, images: &[ImageView]) -> Vec<CardProps> {
    images
        .iter()
        .take(ctx.limit)
        .map(|i| {
            let origin = match &i.server {
                Some(s) => format!("from server {s}"),
                None => "imported".to_owned(),
            };
            CardProps {
                body: vec![
                    line("", format!("{origin} · {}", enc_label(&i.encryption))),
                    line("muted provenance", i.provenance.clone()),
                ],
                actions: quick::image(&i.name, &ctx.taken),
                ..ctx.base("image", &i.name, &i.encryption, i.line)
            }
        })
        .collect()
}

/// Auto-Scaling configuration cards: source server and image, and the disks' encryption.
fn config_cards(ctx: &CardContext<'_>, configs: &[ConfigView]) -> Vec<CardProps> {
    configs
        .iter()
        .take(ctx.limit)
        .map(|c| {
            let mut body = vec![
                line("", format!("from server {}, image {}", c.server, c.image)),
                line("", format!("System disk: {}", enc_label(&c.encryption))),
            ];
            if !c.data_encryption.is_empty() {
                let data: Vec<String> = c.data_encryption.iter().map(|e| enc_label(e)).collect();
                body.push(line("", format!("Data disks: {}", data.join(", "))));
            }
            CardProps {
                body,
                actions: quick::config(c, &ctx.taken),
                ..ctx.base("config", &c.name, &c.encryption, c.line)
            }
        })
        .collect()
}

/// A compact row with what every kind shows.
fn row(kind: &'static str, name: &str, encryption: &str, line: u32) -> Compact {
    Compact {
        kind,
        name: name.to_owned(),
        encryption: encryption.to_owned(),
        health: None,
        state: None,
        line,
    }
}

/// Key rows beyond the first `limit` keys, with their state.
/// Every resource of `state` as a compact row, kind by kind (a level's goal board).
pub fn all_rows(state: &StateView) -> Vec<Compact> {
    let mut rows = key_rows(&state.keys, 0);
    rows.extend(image_rows(&state.images, 0));
    rows.extend(server_rows(&state.servers, 0));
    rows.extend(disk_rows(&state.disks, 0));
    rows.extend(copy_rows(&state.snapshots, "snapshot", 0));
    rows.extend(copy_rows(&state.backups, "backup", 0));
    rows.extend(config_rows(&state.configs, 0));
    rows
}

fn key_rows(keys: &[KeyView], limit: usize) -> Vec<Compact> {
    keys.iter()
        .skip(limit)
        .map(|k| Compact {
            state: Some(k.state.as_str()),
            ..row("key", &k.name, "none", k.line)
        })
        .collect()
}

fn server_rows(servers: &[ServerView], limit: usize) -> Vec<Compact> {
    servers
        .iter()
        .skip(limit)
        .map(|x| row("server", &x.name, &x.encryption, x.line))
        .collect()
}

/// Disk rows beyond the first `limit` disks, with their health.
fn disk_rows(disks: &[DiskView], limit: usize) -> Vec<Compact> {
    disks
        .iter()
        .skip(limit)
        .map(|x| Compact {
            health: Some(x.health.as_str()),
            ..row("disk", &x.name, &x.encryption, x.line)
        })
        .collect()
}

fn copy_rows(copies: &[CopyView], kind: &'static str, limit: usize) -> Vec<Compact> {
    copies
        .iter()
        .skip(limit)
        .map(|x| row(kind, &x.name, &x.encryption, x.line))
        .collect()
}

fn image_rows(images: &[ImageView], limit: usize) -> Vec<Compact> {
    images
        .iter()
        .skip(limit)
        .map(|x| row("image", &x.name, &x.encryption, x.line))
        .collect()
}

fn config_rows(configs: &[ConfigView], limit: usize) -> Vec<Compact> {
    configs
        .iter()
        .skip(limit)
        .map(|x| row("config", &x.name, &x.encryption, x.line))
        .collect()
}

/// The audit's findings by (resource kind, name), so each card finds its own.
pub fn findings_by_resource(findings: &[Finding]) -> HashMap<(&str, &str), Vec<Finding>> {
    let mut map: HashMap<(&str, &str), Vec<Finding>> = HashMap::new();
    for f in findings {
        map.entry((f.kind, f.resource.as_str()))
            .or_default()
            .push(f.clone());
    }
    map
}

/// What depends on each key, by key name, from the audit.
pub fn key_uses(audit: &Audit) -> HashMap<&str, KeyUse> {
    audit
        .keys
        .iter()
        .map(|k| {
            let exposure = audit
                .exposure
                .iter()
                .find(|e| e.key == k.name)
                .map(|e| e.message.clone());
            (
                k.name.as_str(),
                KeyUse {
                    dependents: k.dependents.clone(),
                    exposure,
                },
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use keyline_rules::{Program, Report};

    fn state_of(text: &str) -> StateView {
        Report::build(&Program::parse(text)).state
    }

    #[test]
    fn rows_are_the_resources_after_the_limit_with_their_state_and_health() {
        let state = state_of(
            "role security-admin\nkms grant\nkey create k1\nkey create k2\nkey create k3\n\
             key disable k3\ndisk create d1\ndisk create d2\ndisk create d3 encrypt k1\n",
        );
        let keys = key_rows(&state.keys, 2);
        let names: Vec<&str> = keys.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["k3"]);
        assert_eq!(keys[0].state, Some(KeyState::Disabled.as_str()));
        assert_eq!((keys[0].kind, keys[0].encryption.as_str()), ("key", "none"));
        let disks = disk_rows(&state.disks, 2);
        let names: Vec<&str> = disks.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["d3"]);
        assert_eq!(disks[0].health, Some(state.disks[2].health.as_str()));
        assert_eq!(disks[0].encryption, state.disks[2].encryption);
        assert!(key_rows(&state.keys, 3).is_empty());
    }

    #[test]
    fn copy_rows_carry_the_kind_they_are_shown_as() {
        let state = state_of(
            "disk create d1\nsnapshot create s1 disk d1\nbackup create b1 disk d1\n\
             backup create b2 disk d1\n",
        );
        let rows = copy_rows(&state.backups, "backup", 1);
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].kind, rows[0].name.as_str()), ("backup", "b2"));
        assert!(copy_rows(&state.snapshots, "snapshot", 1).is_empty());
    }
}
