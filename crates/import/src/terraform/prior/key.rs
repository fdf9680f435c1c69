//! A `huaweicloud_kms_key` of the prior state: created enabled, its real state kept for
//! `keys.rs` to set last.

use super::super::builder::{Builder, Key, Target};
use super::super::json::{self, attrs};
use super::code_text;
use crate::date::Date;
use crate::input::DateIn;
use crate::names::{clean, quoted};
use crate::ResourceKind;
use keyline_rules::{Statement, DEFAULT_KEY};
use serde_json::{Map, Value};

/// A key's attributes as the prior state gives them.
struct KeyAttrs {
    id: Option<String>,
    key_id: Option<String>,
    alias: Option<String>,
    enabled: Option<bool>,
    state: Option<String>,
    flag: Option<String>,
    deletion: DateIn,
    pending_days: Option<String>,
}

/// Reads a key's attributes, warning about those of the wrong type.
fn key_attrs(b: &mut Builder, addr: &str, values: &Map<String, Value>) -> KeyAttrs {
    let k: json::KmsKey = attrs(values);
    let mut problems = Vec::new();
    let mut w = |m: String| problems.push(m);
    let id =
        k.id.text(&mut w, "id")
            .or_else(|| k.key_id.value().map(String::as_str))
            .map(str::to_owned);
    let alias = k.key_alias.text(&mut w, "key_alias").map(str::to_owned);
    let enabled = k.is_enabled.get(&mut w, "is_enabled", "a boolean").copied();
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
    if let Some(c) = code_text(&k.creation_date) {
        b.seen_date(Date::parse_api(&c));
    }
    for p in problems {
        b.warn(addr, p);
    }
    KeyAttrs {
        id,
        key_id: k.key_id.value().cloned(),
        alias,
        enabled,
        state: code_text(&k.key_state),
        flag: code_text(&k.default_key_flag),
        deletion,
        pending_days: code_text(&k.pending_days),
    }
}

/// The key's state from `key_state`, else `is_enabled`; a state Keyline cannot use yet is
/// imported as disabled.
fn target(b: &mut Builder, addr: &str, state: Option<&str>, enabled: Option<bool>) -> Target {
    match (state, enabled) {
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
    }
}

/// Creates the key (enabled; the default key exists from its first use) and records it.
pub(super) fn prior_key(b: &mut Builder, addr: &str, values: &Map<String, Value>) {
    let k = key_attrs(b, addr, values);
    let Some(id) = k.id else {
        b.warn(
            addr,
            "attribute `id` (and `key_id`) missing; the key is skipped".to_owned(),
        );
        b.skip(addr, "huaweicloud_kms_key", "no id".to_owned());
        return;
    };
    let default = k.alias.as_deref() == Some(DEFAULT_KEY) || k.flag.as_deref() == Some("1");
    let target = target(b, addr, k.state.as_deref(), k.enabled);
    let name = if default {
        if target != Target::Enabled {
            b.warn(addr, format!("the default key {DEFAULT_KEY} cannot be disabled or deleted in Keyline; it is imported enabled"));
        }
        DEFAULT_KEY.to_owned()
    } else {
        b.names.take(
            k.alias.as_deref().unwrap_or(""),
            &format!("key-{id}"),
            "key",
        )
    };
    let ix = b.acc.keys.len();
    b.acc.key_ix.insert(id.clone(), ix);
    if let Some(kid) = &k.key_id {
        b.acc.key_ix.insert(kid.clone(), ix);
    }
    b.record(ResourceKind::Key, &id, &name, addr);
    if default {
        b.note(format!("{addr} is the default key {DEFAULT_KEY}: it exists from its first use, so it is not created here."));
    } else {
        let comment = format!(
            "{}, id {}{}",
            clean(addr, 120),
            clean(&id, 80),
            match &target {
                Target::Enabled => "",
                Target::Disabled(_) => ", disabled in the state",
                Target::Pending => ", pending deletion in the state",
            }
        );
        b.stmt(Statement::KeyCreate(name.clone()), comment);
    }
    b.acc.keys.push(Key {
        addr: addr.to_owned(),
        target: if default { Target::Enabled } else { target },
        deletion: k.deletion,
        pending_days: k.pending_days,
        name,
        default,
    });
}
