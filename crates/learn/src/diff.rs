//! What still differs between the learner's board and the goal's board.
//!
//! Both are the engine's [`StateView`]s (the goal is the start plus the reference solution,
//! [`goal_state`]). The comparison is by resource name, so a learner who named a disk
//! differently from the reference sees it as extra and the reference's as missing: the
//! differences guide the eye, the goal checks decide whether the level is done.

use crate::level::Level;
use keyline_rules::{evaluate, Health, KeyState, Power, Role, StateView};
use std::collections::BTreeMap;

/// What differs about one resource (or the account).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DifferenceKind {
    /// In the goal, not on the current board.
    Missing,
    /// On the current board, not in the goal.
    Extra,
    /// Encryption (`none` or the key's name).
    Encryption {
        current: String,
        goal: String,
    },
    /// The server a disk is attached to (`None`: detached).
    Attachment {
        current: Option<String>,
        goal: Option<String>,
    },
    Health {
        current: Health,
        goal: Health,
    },
    KeyState {
        current: KeyState,
        goal: KeyState,
    },
    /// A server running or stopped.
    Power {
        current: Power,
        goal: Power,
    },
    /// Whether EVS has KMS access (resource `account`).
    KmsAccess {
        current: bool,
        goal: bool,
    },
    /// Who is acting (resource `account`).
    Role {
        current: Role,
        goal: Role,
    },
}

/// One difference, with a sentence for the learner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// The resource's name (`account` for the account's access and role).
    pub resource: String,
    /// `key`, `image`, `server`, `disk`, `snapshot`, `backup`, `config` or `account`.
    pub noun: &'static str,
    pub kind: DifferenceKind,
    /// E.g. "disk d2: encrypted with k1 in the goal, none here".
    pub sentence: String,
}

/// The goal's board: the start followed by the reference solution.
pub fn goal_state(level: &Level) -> StateView {
    let mut text = level.start.clone();
    if !text.is_empty() {
        text.push('\n');
    }
    text.push_str(&level.solution);
    evaluate(&text).state
}

/// The start's board (what the learner sees before writing anything).
pub fn start_state(level: &Level) -> StateView {
    evaluate(&level.start).state
}

/// What one resource looks like, for comparison.
#[derive(Clone, Default, PartialEq, Eq)]
struct Look {
    noun: &'static str,
    encryption: Option<String>,
    attached: Option<Option<String>>,
    health: Option<Health>,
    key_state: Option<KeyState>,
    power: Option<Power>,
}

fn looks(s: &StateView) -> (Vec<String>, BTreeMap<String, Look>) {
    let mut order = Vec::new();
    let mut map = BTreeMap::new();
    let mut put = |name: &str, look: Look| {
        order.push(name.to_owned());
        map.insert(name.to_owned(), look);
    };
    for k in &s.keys {
        let look = Look {
            noun: "key",
            key_state: Some(k.state),
            ..Look::default()
        };
        put(&k.name, look);
    }
    for i in &s.images {
        let look = enc("image", &i.encryption);
        put(&i.name, look);
    }
    for v in &s.servers {
        let look = Look {
            power: Some(v.power),
            ..enc("server", &v.encryption)
        };
        put(&v.name, look);
    }
    for d in &s.disks {
        let look = Look {
            attached: Some(d.attached_to.clone()),
            health: Some(d.health),
            ..enc("disk", &d.encryption)
        };
        put(&d.name, look);
    }
    for c in &s.snapshots {
        put(&c.name, enc("snapshot", &c.encryption));
    }
    for c in &s.backups {
        put(&c.name, enc("backup", &c.encryption));
    }
    for c in &s.configs {
        put(&c.name, enc("config", &c.encryption));
    }
    (order, map)
}

fn enc(noun: &'static str, encryption: &str) -> Look {
    Look {
        noun,
        encryption: Some(encryption.to_owned()),
        ..Look::default()
    }
}

fn attached_words(a: &Option<String>) -> String {
    match a {
        Some(s) => format!("attached to {s}"),
        None => "detached".to_owned(),
    }
}

fn encryption_words(e: &str) -> String {
    if e == "none" {
        "unencrypted".to_owned()
    } else {
        format!("encrypted with {e}")
    }
}

/// Every difference between the current board and the goal's, the goal's resources first
/// (in the goal's order), then the extra ones.
pub fn differences(current: &StateView, goal: &StateView) -> Vec<Difference> {
    let mut out = Vec::new();
    account(current, goal, &mut out);
    let (goal_order, goal_looks) = looks(goal);
    let (current_order, current_looks) = looks(current);
    for name in &goal_order {
        let Some(g) = goal_looks.get(name) else {
            continue;
        };
        match current_looks.get(name) {
            None => out.push(diff(
                name,
                g.noun,
                DifferenceKind::Missing,
                "missing: the goal has it".to_owned(),
            )),
            Some(c) => compare(name, c, g, &mut out),
        }
    }
    for name in &current_order {
        if let (Some(c), false) = (current_looks.get(name), goal_looks.contains_key(name)) {
            out.push(diff(
                name,
                c.noun,
                DifferenceKind::Extra,
                "extra: the goal does not have it".to_owned(),
            ));
        }
    }
    out
}

fn diff(name: &str, noun: &'static str, kind: DifferenceKind, what: String) -> Difference {
    Difference {
        resource: name.to_owned(),
        noun,
        kind,
        sentence: if name == noun {
            format!("{noun}: {what}")
        } else {
            format!("{noun} {name}: {what}")
        },
    }
}

fn account(current: &StateView, goal: &StateView, out: &mut Vec<Difference>) {
    if current.kms_access != goal.kms_access {
        let words = |b: bool| if b { "granted" } else { "not granted" };
        out.push(diff(
            "account",
            "account",
            DifferenceKind::KmsAccess {
                current: current.kms_access,
                goal: goal.kms_access,
            },
            format!(
                "KMS access {} in the goal, {} here",
                words(goal.kms_access),
                words(current.kms_access)
            ),
        ));
    }
    if current.role != goal.role {
        out.push(diff(
            "account",
            "account",
            DifferenceKind::Role {
                current: current.role,
                goal: goal.role,
            },
            format!("acting as {} in the goal, {} here", goal.role, current.role),
        ));
    }
}

/// The difference in one property both sides know, if the values differ: its kind, and the
/// sentence `GOAL in the goal, CURRENT here` with each value in `words`.
fn property<T: PartialEq>(
    current: Option<&T>,
    goal: Option<&T>,
    kind: impl FnOnce(&T, &T) -> DifferenceKind,
    words: impl Fn(&T) -> String,
) -> Option<(DifferenceKind, String)> {
    let (c, g) = (current?, goal?);
    (c != g).then(|| {
        let sentence = format!("{} in the goal, {} here", words(g), words(c));
        (kind(c, g), sentence)
    })
}

fn compare(name: &str, c: &Look, g: &Look, out: &mut Vec<Difference>) {
    if c.noun != g.noun {
        out.push(diff(
            name,
            g.noun,
            DifferenceKind::Missing,
            format!("the goal has a {} by this name, not a {}", g.noun, c.noun),
        ));
        return;
    }
    let changed = [
        property(
            c.encryption.as_ref(),
            g.encryption.as_ref(),
            |current, goal| DifferenceKind::Encryption {
                current: current.clone(),
                goal: goal.clone(),
            },
            |e| encryption_words(e),
        ),
        property(
            c.attached.as_ref(),
            g.attached.as_ref(),
            |current, goal| DifferenceKind::Attachment {
                current: current.clone(),
                goal: goal.clone(),
            },
            attached_words,
        ),
        property(
            c.health.as_ref(),
            g.health.as_ref(),
            |&current, &goal| DifferenceKind::Health { current, goal },
            ToString::to_string,
        ),
        property(
            c.power.as_ref(),
            g.power.as_ref(),
            |&current, &goal| DifferenceKind::Power { current, goal },
            ToString::to_string,
        ),
        property(
            c.key_state.as_ref(),
            g.key_state.as_ref(),
            |&current, &goal| DifferenceKind::KeyState { current, goal },
            ToString::to_string,
        ),
    ];
    for (kind, sentence) in changed.into_iter().flatten() {
        out.push(diff(name, g.noun, kind, sentence));
    }
}
