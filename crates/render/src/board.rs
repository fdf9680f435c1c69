//! The final state (`View::Board`): every resource, grouped by kind, with SPEC §7's attributes
//! (`data-resource`, `data-encryption`, and `data-health` on disks) and its state in words.

use crate::escape;
use keyline_rules::{
    ConfigView, CopyView, DiskView, Health, ImageView, KeyState, KeyView, ServerView, StateView,
};
use std::fmt::Write;

/// One resource's row: its kind, name, encryption and the words that describe it.
struct Row<'a> {
    kind: &'static str,
    name: &'a str,
    encryption: &'a str,
    health: Option<Health>,
    words: Vec<String>,
}

/// `encrypted with key k1` or `unencrypted`.
fn enc_words(encryption: &str) -> String {
    if encryption == "none" {
        "unencrypted".to_owned()
    } else {
        format!("encrypted with key {encryption}")
    }
}

/// A disk's health as a symbol and words.
fn health_words(h: Health) -> String {
    let symbol = match h {
        Health::Healthy => "✓",
        Health::AtRisk | Health::Unattachable => "⚠",
        Health::Unrecoverable => "✗",
    };
    format!("{symbol} {}", h.as_str())
}

/// A key's state as a symbol and words, with its deletion day.
fn key_words(state: KeyState, deletion_day: Option<u64>, days_left: Option<u64>) -> String {
    let symbol = match state {
        KeyState::Enabled => "✓",
        KeyState::Disabled | KeyState::PendingDeletion => "⚠",
        KeyState::Deleted => "✗",
    };
    let mut s = format!("{symbol} {}", state.as_str());
    match (deletion_day, days_left) {
        (Some(day), Some(left)) => {
            let _ = write!(s, " (deleted on day {day}, {left} days left)");
        }
        (Some(day), None) => {
            let _ = write!(s, " (on day {day})");
        }
        _ => {}
    }
    s
}

/// The board: the account line, then one group per kind that has resources.
pub fn board(out: &mut String, s: &StateView) {
    out.push_str("<div class=\"kl-board\" aria-label=\"Final state\" role=\"group\">");
    let _ = write!(
        out,
        "<p class=\"kl-account\">Final state: day {} · KMS access {} · acting as {}</p>",
        s.day,
        if s.kms_access {
            "granted"
        } else {
            "not granted"
        },
        s.role.as_str()
    );
    group(out, "Keys", s.keys.iter().map(key_row).collect());
    group(out, "Images", s.images.iter().map(image_row).collect());
    group(out, "Servers", s.servers.iter().map(server_row).collect());
    group(out, "Disks", s.disks.iter().map(disk_row).collect());
    let snapshots = s.snapshots.iter().map(|c| copy_row("snapshot", c));
    group(out, "Snapshots", snapshots.collect());
    let backups = s.backups.iter().map(|c| copy_row("backup", c));
    group(out, "Backups", backups.collect());
    let configs = s.configs.iter().map(config_row).collect();
    group(out, "Auto Scaling configurations", configs);
    out.push_str("</div>");
}

/// A key: default or custom, its state and deletion day. Keys carry `data-encryption="none"`,
/// as in the app.
fn key_row(k: &KeyView) -> Row<'_> {
    Row {
        kind: "key",
        name: &k.name,
        encryption: "none",
        health: None,
        words: vec![
            format!("{} key", k.kind),
            key_words(k.state, k.deletion_day, k.days_left),
        ],
    }
}

/// An image: where it came from and its encryption.
fn image_row(i: &ImageView) -> Row<'_> {
    let origin = match &i.server {
        Some(server) => format!("from server {server}"),
        None => "imported".to_owned(),
    };
    Row {
        kind: "image",
        name: &i.name,
        encryption: &i.encryption,
        health: None,
        words: vec![origin, enc_words(&i.encryption)],
    }
}

/// A server: power, system disk and its encryption, data disks.
fn server_row(v: &ServerView) -> Row<'_> {
    let mut words = vec![v.power.as_str().to_owned()];
    match &v.system_disk {
        Some(d) => words.push(format!("system disk {d}, {}", enc_words(&v.encryption))),
        None => words.push("no system disk".to_owned()),
    }
    if !v.data_disks.is_empty() {
        words.push(format!("data disks {}", v.data_disks.join(", ")));
    }
    Row {
        kind: "server",
        name: &v.name,
        encryption: &v.encryption,
        health: None,
        words,
    }
}

/// A disk: role, encryption, health (`data-health`) and where it is attached.
fn disk_row(d: &DiskView) -> Row<'_> {
    let attached = match &d.attached_to {
        Some(server) => format!("attached to {server}"),
        None => "detached".to_owned(),
    };
    Row {
        kind: "disk",
        name: &d.name,
        encryption: &d.encryption,
        health: Some(d.health),
        words: vec![
            format!("{} disk", d.role.as_str()),
            enc_words(&d.encryption),
            health_words(d.health),
            attached,
        ],
    }
}

/// A snapshot or backup (`kind`): the disk it copies and its encryption.
fn copy_row<'a>(kind: &'static str, c: &'a CopyView) -> Row<'a> {
    Row {
        kind,
        name: &c.name,
        encryption: &c.encryption,
        health: None,
        words: vec![format!("of disk {}", c.disk), enc_words(&c.encryption)],
    }
}

/// An Auto Scaling configuration: its server, image and each disk's encryption.
fn config_row(c: &ConfigView) -> Row<'_> {
    let mut words = vec![
        format!("from server {}", c.server),
        format!("image {}", c.image),
        format!("system disk {}", enc_words(&c.encryption)),
    ];
    for (i, e) in c.data_encryption.iter().enumerate() {
        words.push(format!("data disk {} {}", i + 1, enc_words(e)));
    }
    Row {
        kind: "config",
        name: &c.name,
        encryption: &c.encryption,
        health: None,
        words,
    }
}

fn group(out: &mut String, title: &str, rows: Vec<Row<'_>>) {
    if rows.is_empty() {
        return;
    }
    let _ = write!(
        out,
        "<div class=\"kl-group\"><p class=\"kl-group-title\">{title} ({})</p><ul class=\"kl-resources\">",
        rows.len()
    );
    for r in rows {
        let _ = write!(out, "<li class=\"kl-resource kl-{}", r.kind);
        if let Some(h) = r.health {
            let _ = write!(out, " kl-health-{}", h.as_str());
        }
        out.push_str("\" data-resource=\"");
        escape::plain(out, r.name);
        let _ = write!(out, "\" data-kind=\"{}\" data-encryption=\"", r.kind);
        escape::plain(out, r.encryption);
        out.push('"');
        if let Some(h) = r.health {
            let _ = write!(out, " data-health=\"{}\"", h.as_str());
        }
        let _ = write!(out, "><span class=\"kl-kind\">{}</span> ", r.kind);
        out.push_str("<span class=\"kl-name\">");
        escape::text(out, r.name);
        out.push_str("</span> <span class=\"kl-state\">");
        escape::text(out, &r.words.join(" · "));
        out.push_str("</span></li>");
    }
    out.push_str("</ul></div>");
}
