//! The resource board: a card per resource, grouped by kind, with quick actions that insert
//! statements (the engine judges them like typed ones), the audit's findings on the cards they
//! concern, what depends on each key, and the what-if panel for keys.

mod attach;
mod card;
mod compact;
mod what_if;

pub use attach::AttachPicker;
pub use card::{effect_label, Card, CardLine, CardProps, KeyUse};
pub use compact::{Compact, CompactList};
pub use what_if::WhatIf;

use crate::authoring::form::preview_line;
use crate::authoring::names::Taken;
use crate::authoring::quick;
use crate::authoring::text::insertion_line;
use crate::authoring::Lines;
use crate::state::{Dispatch, Selection};
use card::line;
use keyline_rules::{Action as KeyAction, Audit, Finding, Health, KeyState, Power, StateView};
use std::collections::HashMap;
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`Board`].
#[derive(Clone, PartialEq, Properties)]
pub struct BoardProps {
    pub report: crate::state::ReportRef,
    pub program: crate::state::ProgramRef,
    pub at_step: Option<usize>,
    pub selection: Selection,
    pub dispatch: Dispatch,
    #[prop_or(false)]
    pub readonly: bool,
    /// The caret's line: quick actions insert after it, and are previewed there.
    #[prop_or_default]
    pub cursor_line: Option<u32>,
}

fn health_label(h: Health) -> &'static str {
    match h {
        Health::Healthy => "✓ healthy",
        Health::AtRisk => "! at-risk",
        Health::Unattachable => "⊘ unattachable",
        Health::Unrecoverable => "✗ unrecoverable",
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

pub(crate) fn enc_label(e: &str) -> String {
    if e == "none" {
        "unencrypted".to_owned()
    } else {
        format!("key {e}")
    }
}

/// Cards shown per group before "show more" (a huge paste stays responsive).
const CARDS_PER_PAGE: usize = 100;

/// Up to this many statements, what depends on each key is audited on every change; beyond
/// it, on request: the audit's exposure runs a what-if per key, which grows with keys × state.
pub const AUDIT_LIVE_STATEMENTS: usize = 2_000;

/// The audit's findings by (resource kind, name).
fn findings_by_resource(findings: &[Finding]) -> HashMap<(&str, &str), Vec<Finding>> {
    let mut map: HashMap<(&str, &str), Vec<Finding>> = HashMap::new();
    for f in findings {
        map.entry((f.kind, f.resource.as_str()))
            .or_default()
            .push(f.clone());
    }
    map
}

/// What depends on each key, by key name, from the audit.
fn key_uses(audit: &Audit) -> HashMap<&str, KeyUse> {
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

/// The board.
#[component]
pub fn Board(props: &BoardProps) -> Html {
    let past = {
        use_memo((props.at_step, props.program.clone()), |(at, program)| {
            at.and_then(|k| keyline_rules::state_after(program, k).ok())
        })
    };
    let state: &StateView = past.as_ref().as_ref().unwrap_or(&props.report.state);
    // The audit is of the state after the last line: shown live, not while time travelling.
    let live = props.at_step.is_none();
    let audit_asked = use_state(|| None::<crate::state::ProgramRef>);
    let audit_small = props.report.steps.len() <= AUDIT_LIVE_STATEMENTS;
    let audit_wanted = live && (audit_small || audit_asked.as_ref() == Some(&props.program));
    let audited = use_memo(
        (props.program.clone(), audit_wanted),
        |(program, wanted)| wanted.then(|| keyline_rules::audit(program)),
    );
    let uses = audited.as_ref().as_ref().map(key_uses).unwrap_or_default();
    let no_findings = Vec::new();
    let findings = findings_by_resource(if live {
        &props.report.findings
    } else {
        &no_findings
    });
    let findings_of = |kind: &str, name: &str| -> Vec<Finding> {
        findings.get(&(kind, name)).cloned().unwrap_or_default()
    };
    let whatif = use_state(|| None::<(String, KeyAction)>);
    let pages = use_state(|| 1usize);
    let d = &props.dispatch;
    let ro = props.readonly || props.at_step.is_some();
    let taken = Taken::new(&props.program);
    // The quick action whose preview is shown (focused or hovered), and the engine's verdict.
    let hinted = use_state(|| None::<(String, Lines)>);
    let hint = (*hinted).as_ref().and_then(|(card, lines)| {
        let at = insertion_line(props.cursor_line, &props.program.source);
        let step = preview_line(&props.program, at, lines.first()?)?;
        Some((card.clone(), Rc::new(step)))
    });
    let sel = |name: &str| props.selection.names.iter().any(|n| n == name);
    let limit = CARDS_PER_PAGE * *pages;
    let card = |p: CardProps| {
        let key = p.name.clone();
        html! { <Card {key} ..p /> }
    };
    let base = |kind: &'static str, name: &str, encryption: &str, line: u32| CardProps {
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
        hint: hint
            .as_ref()
            .filter(|(card, _)| card == name)
            .map(|(_, step)| step.clone()),
        on_hint: hinted.setter(),
        attach_to: None,
        what_if: None,
        findings: findings_of(kind, name),
        key_use: None,
        selected: sel(name),
        line,
        readonly: ro,
        dispatch: d.clone(),
    };

    let keys: Vec<Html> = state
        .keys
        .iter()
        .take(limit)
        .map(|k| {
            let n = &k.name;
            let mut detail = k.kind.to_owned();
            if let (Some(day), Some(left)) = (k.deletion_day, k.days_left) {
                detail = format!("{detail}; deleted on day {day} ({left} days left)");
            }
            card(CardProps {
                state: Some(k.state.as_str()),
                class: match k.state {
                    KeyState::Enabled => "key-enabled",
                    KeyState::Disabled => "key-disabled",
                    KeyState::PendingDeletion => "key-pending-deletion",
                    KeyState::Deleted => "key-deleted",
                },
                badge: Some(state_label(k.state).to_owned()),
                body: vec![line("muted", detail)],
                actions: quick::key(n),
                what_if: Some(whatif.setter()),
                key_use: uses.get(n.as_str()).cloned(),
                ..base("key", n, "none", k.line)
            })
        })
        .collect();
    let servers: Vec<Html> = state
        .servers
        .iter()
        .take(limit)
        .map(|s| {
            let n = &s.name;
            let power = match s.power {
                Power::Running => "▶ running",
                Power::Stopped => "■ stopped",
            };
            let origin = match &s.config {
                Some(c) => format!("from AS configuration {c}"),
                None if s.image == "public" => "from the public image".to_owned(),
                None => format!("from image {}", s.image),
            };
            card(CardProps {
                badge: Some(power.to_owned()),
                body: vec![
                    line(
                        "",
                        format!(
                            "System disk: {} · {}",
                            s.system_disk.clone().unwrap_or_else(|| "none".into()),
                            enc_label(&s.encryption)
                        ),
                    ),
                    line(
                        "",
                        format!(
                            "Data disks: {}",
                            if s.data_disks.is_empty() {
                                "none".to_owned()
                            } else {
                                s.data_disks.join(", ")
                            }
                        ),
                    ),
                    line("muted", origin),
                ],
                actions: quick::server(n, &taken),
                ..base("server", n, &s.encryption, s.line)
            })
        })
        .collect();
    let server_names: Vec<String> = state.servers.iter().map(|s| s.name.clone()).collect();
    let disks: Vec<Html> = state
        .disks
        .iter()
        .take(limit)
        .map(|dk| {
            let n = &dk.name;
            let actions = quick::disk(dk, &taken);
            card(CardProps {
                subtitle: Some(format!(" {} disk", dk.role)),
                health: Some(dk.health.as_str()),
                class: match dk.health {
                    Health::Healthy => "health-healthy",
                    Health::AtRisk => "health-at-risk",
                    Health::Unattachable => "health-unattachable",
                    Health::Unrecoverable => "health-unrecoverable",
                },
                badge: Some(health_label(dk.health).to_owned()),
                body: vec![
                    line(
                        "",
                        format!(
                            "{} · {}",
                            enc_label(&dk.encryption),
                            match &dk.attached_to {
                                Some(s) => format!("attached to {s}"),
                                None => "detached".to_owned(),
                            }
                        ),
                    ),
                    line("muted provenance", dk.provenance.clone()),
                ],
                actions,
                attach_to: (dk.attached_to.is_none() && !server_names.is_empty())
                    .then(|| server_names.clone()),
                ..base("disk", n, &dk.encryption, dk.line)
            })
        })
        .collect();
    let copies = |list: &Vec<keyline_rules::CopyView>, kind: &'static str| -> Vec<Html> {
        list.iter()
            .take(limit)
            .map(|c| {
                let n = &c.name;
                card(CardProps {
                    body: vec![
                        line(
                            "",
                            format!("of disk {} · {}", c.disk, enc_label(&c.encryption)),
                        ),
                        line("muted provenance", c.provenance.clone()),
                    ],
                    actions: quick::copy(c, kind == "backup", &taken),
                    ..base(kind, n, &c.encryption, c.line)
                })
            })
            .collect()
    };
    let images: Vec<Html> = state
        .images
        .iter()
        .take(limit)
        .map(|i| {
            let n = &i.name;
            card(CardProps {
                body: vec![
                    line(
                        "",
                        format!(
                            "{} · {}",
                            match &i.server {
                                Some(s) => format!("from server {s}"),
                                None => "imported".to_owned(),
                            },
                            enc_label(&i.encryption)
                        ),
                    ),
                    line("muted provenance", i.provenance.clone()),
                ],
                actions: quick::image(n, &taken),
                ..base("image", n, &i.encryption, i.line)
            })
        })
        .collect();
    let configs: Vec<Html> = state
        .configs
        .iter()
        .take(limit)
        .map(|c| {
            let n = &c.name;
            let mut body = vec![
                line("", format!("from server {}, image {}", c.server, c.image)),
                line("", format!("System disk: {}", enc_label(&c.encryption))),
            ];
            if !c.data_encryption.is_empty() {
                body.push(line(
                    "",
                    format!(
                        "Data disks: {}",
                        c.data_encryption
                            .iter()
                            .map(|e| enc_label(e))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
            card(CardProps {
                body,
                actions: quick::config(c, &taken),
                ..base("config", n, &c.encryption, c.line)
            })
        })
        .collect();
    let group = |title: &str, count: usize, cards: Vec<Html>, rest: Vec<Compact>| -> Html {
        if count == 0 {
            return html! {};
        }
        html! {
            <section class="group">
                <h3 class="sub-title">{ format!("{title} ({count})") }</h3>
                <div class="cards">{ for cards }</div>
                if !rest.is_empty() {
                    <CompactList items={Rc::new(rest)} selected={props.selection.names.clone()} dispatch={d.clone()} />
                }
            </section>
        }
    };
    // The resources after the first `limit` of each kind, as one-line rows.
    let row = |kind: &'static str, name: &str, encryption: &str, line: u32| Compact {
        kind,
        name: name.to_owned(),
        encryption: encryption.to_owned(),
        health: None,
        state: None,
        line,
    };
    let rest =
        |rows: &mut dyn Iterator<Item = Compact>| -> Vec<Compact> { rows.skip(limit).collect() };
    let key_rest = rest(&mut state.keys.iter().map(|k| Compact {
        state: Some(k.state.as_str()),
        ..row("key", &k.name, "none", k.line)
    }));
    let server_rest = rest(
        &mut state
            .servers
            .iter()
            .map(|x| row("server", &x.name, &x.encryption, x.line)),
    );
    let disk_rest = rest(&mut state.disks.iter().map(|x| Compact {
        health: Some(x.health.as_str()),
        ..row("disk", &x.name, &x.encryption, x.line)
    }));
    let copy_rest = |list: &[keyline_rules::CopyView], kind: &'static str| {
        rest(
            &mut list
                .iter()
                .map(|x| row(kind, &x.name, &x.encryption, x.line)),
        )
    };
    let image_rest = rest(
        &mut state
            .images
            .iter()
            .map(|x| row("image", &x.name, &x.encryption, x.line)),
    );
    let config_rest = rest(
        &mut state
            .configs
            .iter()
            .map(|x| row("config", &x.name, &x.encryption, x.line)),
    );
    let biggest = [
        state.keys.len(),
        state.servers.len(),
        state.disks.len(),
        state.snapshots.len(),
        state.backups.len(),
        state.images.len(),
        state.configs.len(),
    ]
    .into_iter()
    .max()
    .unwrap_or(0);
    let header = match props.at_step {
        Some(k) => format!("Resources after statement {k} (time travel)"),
        None => format!("Resources on day {}", state.day),
    };
    let empty = state.names().next().is_none();
    let risks = props.report.findings.len();
    let ask_audit = (live && audited.is_none() && !state.keys.is_empty()).then(|| {
        let (asked, program) = (audit_asked.clone(), props.program.clone());
        html! {
            <button type="button" class="small" data-audit-keys=""
                onclick={Callback::from(move |_| asked.set(Some(program.clone())))}>
                { "Show what depends on each key" }
            </button>
        }
    });
    html! {
        <section class="panel board" aria-labelledby="board-title">
            <h2 id="board-title" class="panel-title">{ header }</h2>
            <p class="muted small">{ format!("KMS access {}; acting as {}.", if state.kms_access { "granted" } else { "not granted" }, state.role) }</p>
            if empty { <p class="muted">{ "No resources yet. Add a step below the editor, or open an example." }</p> }
            if live && risks > 0 {
                <p class="board-risks" data-findings-count={risks.to_string()}>
                    { format!("⚠ {risks} key {} after the last line: each is shown on the card it concerns, with its fix.", if risks == 1 { "risk" } else { "risks" }) }
                </p>
            }
            { ask_audit.unwrap_or_default() }
            { group("Keys", state.keys.len(), keys, key_rest) }
            { group("Servers", state.servers.len(), servers, server_rest) }
            { group("Disks", state.disks.len(), disks, disk_rest) }
            { group("Snapshots", state.snapshots.len(), copies(&state.snapshots, "snapshot"), copy_rest(&state.snapshots, "snapshot")) }
            { group("Backups", state.backups.len(), copies(&state.backups, "backup"), copy_rest(&state.backups, "backup")) }
            { group("Images", state.images.len(), images, image_rest) }
            { group("AS configurations", state.configs.len(), configs, config_rest) }
            if biggest > limit {
                <button type="button" onclick={ let p = pages.clone(); Callback::from(move |_| p.set(*p + 1)) }>
                    { format!("Show {CARDS_PER_PAGE} more cards of each kind ({} as rows)", biggest - limit) }
                </button>
            }
            { (*whatif).clone().map(|(key, action)| html! {
                <WhatIf program={props.program.clone()} key_name={key} {action}
                    on_action={ let w = whatif.clone(); Callback::from(move |a: Option<(String, KeyAction)>| w.set(a)) }
                    dispatch={d.clone()} />
            }).unwrap_or_default() }
        </section>
    }
}
