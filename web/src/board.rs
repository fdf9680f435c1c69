//! The resource board: a card per resource, grouped by kind, with quick actions that insert
//! statements (the engine judges them like typed ones), and the what-if panel for keys.

use crate::state::{Action, Dispatch, Selection};
use keyline_rules::{Action as KeyAction, Health, KeyState, Power, Program, Report, StateView};
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`Board`].
#[derive(Clone, PartialEq, Properties)]
pub struct BoardProps {
    pub report: Rc<Report>,
    pub text: Rc<str>,
    pub at_step: Option<usize>,
    pub selection: Selection,
    pub dispatch: Dispatch,
    #[prop_or(false)]
    pub readonly: bool,
}

/// Whether a keyboard event happened on the element that listens (not on a button inside it).
pub fn on_itself(e: &KeyboardEvent) -> bool {
    match (e.target(), e.current_target()) {
        (Some(t), Some(c)) => t == c,
        _ => false,
    }
}

/// Every name in a state.
pub fn all_names(s: &StateView) -> Vec<&str> {
    let mut v: Vec<&str> = Vec::new();
    v.extend(s.keys.iter().map(|x| x.name.as_str()));
    v.extend(s.images.iter().map(|x| x.name.as_str()));
    v.extend(s.servers.iter().map(|x| x.name.as_str()));
    v.extend(s.disks.iter().map(|x| x.name.as_str()));
    v.extend(s.snapshots.iter().map(|x| x.name.as_str()));
    v.extend(s.backups.iter().map(|x| x.name.as_str()));
    v.extend(s.configs.iter().map(|x| x.name.as_str()));
    v
}

/// A name starting with `base` that no resource has (`base1`, `base2`, …).
pub fn fresh(s: &StateView, base: &str) -> String {
    let names = all_names(s);
    (1..)
        .map(|i| format!("{base}{i}"))
        .find(|n| !names.contains(&n.as_str()))
        .unwrap_or_else(|| base.to_owned())
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

fn enc_label(e: &str) -> String {
    if e == "none" {
        "unencrypted".to_owned()
    } else {
        format!("key {e}")
    }
}

/// The board.
#[component]
pub fn Board(props: &BoardProps) -> Html {
    let past = {
        let text = props.text.clone();
        use_memo((props.at_step, props.report.clone()), move |(at, _)| {
            at.and_then(|k| keyline_rules::state_after(&Program::parse(&text), k).ok())
        })
    };
    let state: &StateView = past.as_ref().as_ref().unwrap_or(&props.report.state);
    let whatif = use_state(|| None::<(String, KeyAction)>);
    let d = &props.dispatch;
    let ro = props.readonly || props.at_step.is_some();
    let insert = |line: String| {
        let d = d.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            d.dispatch(Action::Insert(vec![line.clone()]));
        })
    };
    let select = |name: &str, line: u32| {
        let d = d.clone();
        let name = name.to_owned();
        Callback::from(move |_: MouseEvent| {
            d.dispatch(Action::Select(Selection {
                line: Some(line),
                names: vec![name.clone()],
            }))
        })
    };
    let keysel = |name: &str, line: u32| {
        let d = d.clone();
        let name = name.to_owned();
        Callback::from(move |e: KeyboardEvent| {
            if on_itself(&e) && (e.key() == "Enter" || e.key() == " ") {
                e.prevent_default();
                d.dispatch(Action::Select(Selection {
                    line: Some(line),
                    names: vec![name.clone()],
                }))
            }
        })
    };
    let sel = |name: &str| props.selection.names.iter().any(|n| n == name);
    let actions = |items: Vec<(&str, String)>| -> Html {
        if ro {
            return html! {};
        }
        html! {
            <div class="actions">
                { for items.into_iter().map(|(label, line)| html! {
                    <button type="button" class="small" title={line.clone()} onclick={insert(line)}>{ label }</button>
                }) }
            </div>
        }
    };

    let keys = state.keys.iter().map(|k| {
        let mut detail = k.kind.to_owned();
        if let (Some(day), Some(left)) = (k.deletion_day, k.days_left) {
            detail = format!("{detail}; deleted on day {day} ({left} days left)");
        }
        let n = &k.name;
        let wi = {
            let w = whatif.clone();
            let n = n.clone();
            Callback::from(move |e: MouseEvent| {
                e.stop_propagation();
                w.set(Some((n.clone(), KeyAction::Disable)));
            })
        };
        html! {
            <article key={n.clone()} class={classes!("card", "card-key", format!("key-{}", k.state.as_str()), sel(n).then_some("selected"))}
                data-resource={n.clone()} data-kind="key" data-encryption="none" data-state={k.state.as_str()}
                tabindex="0" onclick={select(n, k.line)} onkeydown={keysel(n, k.line)}>
                <h4>{ n.clone() }</h4>
                <p class="badge">{ state_label(k.state) }</p>
                <p class="muted small">{ detail }</p>
                { actions(vec![
                    ("Disable", format!("key disable {n}")),
                    ("Enable", format!("key enable {n}")),
                    ("Schedule deletion", format!("key schedule-deletion {n} 7")),
                    ("Cancel deletion", format!("key cancel-deletion {n}")),
                ]) }
                if !ro { <button type="button" class="small link" onclick={wi}>{ "What if…" }</button> }
            </article>
        }
    });
    let servers = state.servers.iter().map(|s| {
        let n = &s.name;
        let power = match s.power {
            Power::Running => "▶ running",
            Power::Stopped => "■ stopped",
        };
        html! {
            <article key={n.clone()} class={classes!("card", sel(n).then_some("selected"))}
                data-resource={n.clone()} data-kind="server" data-encryption={s.encryption.clone()}
                tabindex="0" onclick={select(n, s.line)} onkeydown={keysel(n, s.line)}>
                <h4>{ n.clone() }</h4>
                <p class="badge">{ power }</p>
                <p class="small">{ "System disk: " }{ s.system_disk.clone().unwrap_or_else(|| "none".into()) }{ " · " }{ enc_label(&s.encryption) }</p>
                <p class="small">{ "Data disks: " }{ if s.data_disks.is_empty() { "none".to_owned() } else { s.data_disks.join(", ") } }</p>
                <p class="muted small">{ match &s.config { Some(c) => format!("from AS configuration {c}"), None if s.image == "public" => "from the public image".to_owned(), None => format!("from image {}", s.image) } }</p>
                { actions(vec![
                    ("Stop", format!("server stop {n}")),
                    ("Start", format!("server start {n}")),
                    ("Make image", format!("image create {} from-server {n}", fresh(state, &format!("{n}-img")))),
                    ("Make AS config", format!("config create {} from-server {n}", fresh(state, &format!("{n}-cfg")))),
                    ("Delete", format!("server delete {n}")),
                ]) }
            </article>
        }
    });
    let disks = state.disks.iter().map(|dk| {
        let n = &dk.name;
        let mut acts: Vec<(&str, String)> = Vec::new();
        if dk.attached_to.is_some() {
            acts.push(("Detach", format!("detach {n}")));
        }
        acts.push(("Snapshot", format!("snapshot create {} disk {n}", fresh(state, &format!("{n}-snap")))));
        acts.push(("Backup", format!("backup create {} disk {n}", fresh(state, &format!("{n}-bak")))));
        acts.push(("Delete", format!("disk delete {n}")));
        html! {
            <article key={n.clone()} class={classes!("card", format!("health-{}", dk.health.as_str()), sel(n).then_some("selected"))}
                data-resource={n.clone()} data-kind="disk" data-encryption={dk.encryption.clone()} data-health={dk.health.as_str()}
                tabindex="0" onclick={select(n, dk.line)} onkeydown={keysel(n, dk.line)}>
                <h4>{ n.clone() }<span class="muted small">{ format!(" {} disk", dk.role) }</span></h4>
                <p class="badge">{ health_label(dk.health) }</p>
                <p class="small">{ enc_label(&dk.encryption) }{ " · " }{ match &dk.attached_to { Some(s) => format!("attached to {s}"), None => "detached".to_owned() } }</p>
                <p class="muted small provenance">{ dk.provenance.clone() }</p>
                if dk.attached_to.is_none() {
                    <AttachPicker disk={n.clone()} servers={state.servers.iter().map(|s| s.name.clone()).collect::<Vec<_>>()} readonly={ro} dispatch={d.clone()} />
                }
                { actions(acts) }
            </article>
        }
    });
    let copies = |list: &Vec<keyline_rules::CopyView>, kind: &'static str, from: &'static str| {
        list.iter()
            .map(|c| {
                let n = &c.name;
                let new_disk = fresh(state, &format!("{}-disk", c.disk));
                html! {
                    <article key={n.clone()} class={classes!("card", sel(n).then_some("selected"))}
                        data-resource={n.clone()} data-kind={kind} data-encryption={c.encryption.clone()}
                        tabindex="0" onclick={select(n, c.line)} onkeydown={keysel(n, c.line)}>
                        <h4>{ n.clone() }</h4>
                        <p class="small">{ format!("of disk {}", c.disk) }{ " · " }{ enc_label(&c.encryption) }</p>
                        <p class="muted small provenance">{ c.provenance.clone() }</p>
                        { actions(vec![
                            ("New disk from it", format!("disk create {new_disk} {from} {n}")),
                            ("Delete", format!("{kind} delete {n}")),
                        ]) }
                    </article>
                }
            })
            .collect::<Vec<_>>()
    };
    let images = state.images.iter().map(|i| {
        let n = &i.name;
        html! {
            <article key={n.clone()} class={classes!("card", sel(n).then_some("selected"))}
                data-resource={n.clone()} data-kind="image" data-encryption={i.encryption.clone()}
                tabindex="0" onclick={select(n, i.line)} onkeydown={keysel(n, i.line)}>
                <h4>{ n.clone() }</h4>
                <p class="small">{ match &i.server { Some(s) => format!("from server {s}"), None => "imported".to_owned() } }{ " · " }{ enc_label(&i.encryption) }</p>
                <p class="muted small provenance">{ i.provenance.clone() }</p>
                { actions(vec![("Launch server", format!("server create {} image {n}", fresh(state, "srv")))]) }
            </article>
        }
    });
    let configs = state.configs.iter().map(|c| {
        let n = &c.name;
        html! {
            <article key={n.clone()} class={classes!("card", sel(n).then_some("selected"))}
                data-resource={n.clone()} data-kind="config" data-encryption={c.encryption.clone()}
                tabindex="0" onclick={select(n, c.line)} onkeydown={keysel(n, c.line)}>
                <h4>{ n.clone() }</h4>
                <p class="small">{ format!("from server {}, image {}", c.server, c.image) }</p>
                <p class="small">{ "System disk: " }{ enc_label(&c.encryption) }</p>
                if !c.data_encryption.is_empty() {
                    <p class="small">{ "Data disks: " }{ c.data_encryption.iter().map(|e| enc_label(e)).collect::<Vec<_>>().join(", ") }</p>
                }
                { actions(vec![("Launch server", format!("server create {} config {n}", fresh(state, "srv")))]) }
            </article>
        }
    });
    let group = |title: &str, cards: Vec<Html>| -> Html {
        if cards.is_empty() {
            return html! {};
        }
        html! {
            <section class="group">
                <h3 class="sub-title">{ format!("{title} ({})", cards.len()) }</h3>
                <div class="cards">{ for cards }</div>
            </section>
        }
    };
    let header = match props.at_step {
        Some(k) => format!("Resources after statement {k} (time travel)"),
        None => format!("Resources on day {}", state.day),
    };
    let empty = all_names(state).is_empty();
    html! {
        <section class="panel board" aria-labelledby="board-title">
            <h2 id="board-title" class="panel-title">{ header }</h2>
            <p class="muted small">{ format!("KMS access {}; acting as {}.", if state.kms_access { "granted" } else { "not granted" }, state.role) }</p>
            if empty { <p class="muted">{ "No resources yet. Add a step below the editor, or open an example." }</p> }
            { group("Keys", keys.collect()) }
            { group("Servers", servers.collect()) }
            { group("Disks", disks.collect()) }
            { group("Snapshots", copies(&state.snapshots, "snapshot", "from-snapshot")) }
            { group("Backups", copies(&state.backups, "backup", "from-backup")) }
            { group("Images", images.collect()) }
            { group("AS configurations", configs.collect()) }
            if let Some((key, action)) = (*whatif).clone() {
                <WhatIf text={props.text.clone()} key_name={key} {action}
                    on_action={ let w = whatif.clone(); Callback::from(move |a: Option<(String, KeyAction)>| w.set(a)) }
                    dispatch={d.clone()} />
            }
        </section>
    }
}

/// Properties of [`AttachPicker`].
#[derive(Clone, PartialEq, Properties)]
pub struct AttachPickerProps {
    pub disk: String,
    pub servers: Vec<String>,
    pub readonly: bool,
    pub dispatch: Dispatch,
}

/// "Attach to [server] [as system]": the card's attach action with a choice of server.
#[component]
pub fn AttachPicker(props: &AttachPickerProps) -> Html {
    let server = use_state(|| None::<String>);
    if props.readonly || props.servers.is_empty() {
        return html! {};
    }
    let chosen = (*server)
        .clone()
        .filter(|s| props.servers.contains(s))
        .or_else(|| props.servers.first().cloned())
        .unwrap_or_default();
    let onchange = {
        let server = server.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                server.set(Some(s.value()));
            }
        })
    };
    let attach = |system: bool| {
        let d = props.dispatch.clone();
        let line = format!(
            "attach {} {chosen}{}",
            props.disk,
            if system { " as system" } else { "" }
        );
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            d.dispatch(Action::Insert(vec![line.clone()]));
        })
    };
    let id = format!("attach-{}", props.disk);
    html! {
        <div class="attach" onclick={Callback::from(|e: MouseEvent| e.stop_propagation())}>
            <label for={id.clone()} class="small">{ "Attach to " }</label>
            <select id={id} {onchange}>
                { for props.servers.iter().map(|s| html! { <option value={s.clone()} selected={*s == chosen}>{ s.clone() }</option> }) }
            </select>
            <button type="button" class="small" onclick={attach(false)}>{ "Attach" }</button>
            <button type="button" class="small" onclick={attach(true)}>{ "as system" }</button>
        </div>
    }
}

/// Properties of [`WhatIf`].
#[derive(Clone, PartialEq, Properties)]
pub struct WhatIfProps {
    pub text: Rc<str>,
    pub key_name: String,
    pub action: KeyAction,
    pub on_action: Callback<Option<(String, KeyAction)>>,
    pub dispatch: Dispatch,
}

/// What would happen to everything encrypted with a key, from the engine's `impact`.
#[component]
pub fn WhatIf(props: &WhatIfProps) -> Html {
    let impact = keyline_rules::impact(&Program::parse(&props.text), &props.key_name, props.action);
    let tabs = KeyAction::ALL.iter().map(|a| {
        let on = props.on_action.clone();
        let key = props.key_name.clone();
        let a = *a;
        let label = match a {
            KeyAction::Disable => "disabled",
            KeyAction::ScheduleDeletion => "scheduled for deletion",
            KeyAction::Delete => "deleted",
        };
        html! {
            <button type="button" class={classes!("small", (a == props.action).then_some("active"))}
                aria-pressed={(a == props.action).to_string()}
                onclick={Callback::from(move |_| on.emit(Some((key.clone(), a))))}>{ label }</button>
        }
    });
    let close = {
        let on = props.on_action.clone();
        Callback::from(move |_| on.emit(None))
    };
    let body = match impact {
        Err(e) => html! { <p>{ e.to_string() }</p> },
        Ok(i) => {
            let add = {
                let d = props.dispatch.clone();
                let lines = i.statements.clone();
                Callback::from(move |_| d.dispatch(Action::Insert(lines.clone())))
            };
            html! {
                <>
                    if let Some(msg) = &i.blocked_message {
                        <p data-whatif-blocked="">{ format!("Not possible now: {msg}") }</p>
                    } else if i.affected.is_empty() {
                        <p>{ "Nothing encrypted with this key would be affected." }</p>
                    } else {
                        <ul class="whatif-list">
                            { for i.affected.iter().map(|a| html! {
                                <li data-affected={a.name.clone()} data-effect={a.effect.as_str()}>
                                    <strong>{ format!("{} {}", a.kind, a.name) }</strong>{ format!(" — {}: {}", a.effect.as_str(), a.message) }
                                </li>
                            }) }
                        </ul>
                    }
                    if !i.statements.is_empty() && i.blocked.is_none() {
                        <button type="button" onclick={add}>{ format!("Add to scenario: {}", i.statements.join(" / ")) }</button>
                    }
                </>
            }
        }
    };
    html! {
        <div class="whatif" role="region" aria-label={format!("What if key {} …", props.key_name)}>
            <h3 class="sub-title">{ format!("What if key {} were…", props.key_name) }</h3>
            <div class="tabs">{ for tabs }</div>
            { body }
            <button type="button" class="small link" onclick={close}>{ "Close" }</button>
        </div>
    }
}
