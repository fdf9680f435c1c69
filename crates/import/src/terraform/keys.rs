//! The keys' states from the prior state, set after everything that uses them.

use super::builder::{Builder, Line, Target};
use super::plural;
use crate::date::Date;
use crate::input::DateIn;
use keyline_rules::Statement;

/// The shortest and longest deletion windows `key schedule-deletion` accepts (the engine's).
const MIN_WINDOW: u64 = *keyline_rules::DELETION_WINDOW_DAYS.start() as u64;
const MAX_WINDOW: u64 = *keyline_rules::DELETION_WINDOW_DAYS.end() as u64;

/// A key pending deletion: its name, the days left to schedule, and why.
struct Pending {
    name: String,
    left: u64,
    why: String,
}

/// The key states from the state, as the lines that set them after everything that uses them
/// (with the warnings about them first).
pub(super) fn key_states(b: &mut Builder, today: Option<Date>) -> Vec<Line> {
    let saved = std::mem::take(&mut b.lines);
    let mut disabled = Vec::new();
    let mut pending = Vec::new();
    for i in 0..b.acc.keys.len() {
        let Some(k) = b.acc.keys.get(i) else { continue };
        match &k.target {
            Target::Enabled => {}
            Target::Disabled(why) => disabled.push((k.name.clone(), why.clone())),
            Target::Pending => {
                let (name, addr, deletion) = (k.name.clone(), k.addr.clone(), k.deletion.clone());
                let (left, why) = days_left(b, &addr, deletion, today);
                pending.push(Pending { name, left, why });
            }
        }
    }
    let mut out = std::mem::replace(&mut b.lines, saved);
    if disabled.is_empty() && pending.is_empty() {
        return out;
    }
    out.push(Line::Blank);
    out.push(Line::Note("Key states from the state, set after everything that uses them: attaching or creating with an unusable key fails (R-REATTACH, R-USE-NEW), while disabling a key that attached disks use only warns (R-IN-USE).".to_owned()));
    for (name, why) in disabled {
        out.push(Line::Stmt(Statement::KeyDisable(name), why, None));
    }
    schedule_short(&mut out, &pending);
    for p in pending.iter().filter(|p| p.left >= MIN_WINDOW) {
        out.push(schedule(&p.name, p.left, &p.why));
    }
    out
}

/// The days left until a pending key's deletion, counted from today, kept within the windows
/// Keyline accepts (with a warning when it cannot be counted).
fn days_left(b: &mut Builder, addr: &str, deletion: DateIn, today: Option<Date>) -> (u64, String) {
    match (deletion, today) {
        (DateIn::Date(d), Some(t)) => {
            let left = d.days_since(t);
            if left < 1 {
                b.warn(addr, format!("scheduled_deletion_date {d} is not after today ({t}), yet the key is pending deletion; imported with 1 day left"));
                (1, format!("deletion on {d}"))
            } else if left > MAX_WINDOW as i64 {
                (MAX_WINDOW, format!("deletion on {d}"))
            } else {
                (
                    left.unsigned_abs(),
                    format!("deletion on {d}, {left} days after {t}"),
                )
            }
        }
        _ => {
            b.warn(addr, format!("key_state is 4 (pending deletion) but scheduled_deletion_date is missing or unreadable, or there is no date to count from; imported with {MIN_WINDOW} days left"));
            (MIN_WINDOW, "deletion date unknown".to_owned())
        }
    }
}

/// `key schedule-deletion` for a key pending deletion in the state.
fn schedule(name: &str, days: u64, why: &str) -> Line {
    Line::Stmt(
        Statement::KeyScheduleDeletion(name.to_owned(), days as i64),
        format!("pending deletion (key_state 4): {why}"),
        None,
    )
}

/// Keys with fewer days left than the shortest window: each is scheduled with that window, the
/// clock moving on between them so that every key ends with the days left the state shows.
fn schedule_short(out: &mut Vec<Line>, pending: &[Pending]) {
    // Fewest days left first (a stable insertion: a library sort costs the web bundle ~4 KB).
    let mut short: Vec<&Pending> = Vec::new();
    for p in pending.iter().filter(|p| p.left < MIN_WINDOW) {
        short.insert(short.partition_point(|q| q.left <= p.left), p);
    }
    let Some(min) = short.first().map(|p| p.left) else {
        return;
    };
    let mut clock = 0u64;
    for p in &short {
        let at = p.left - min;
        if at > clock {
            out.push(Line::Stmt(
                Statement::Wait(at - clock),
                "so that each key below ends with the days left the state shows".to_owned(),
                None,
            ));
            clock = at;
        }
        out.push(Line::Note(format!("Key {} has {} left, fewer than the shortest window (7 days): it is scheduled with 7 days and the clock moves on.", p.name, plural(p.left as usize, "day", "days"))));
        out.push(schedule(&p.name, MIN_WINDOW, &p.why));
    }
    let total = MIN_WINDOW - min;
    if total > clock {
        out.push(Line::Stmt(
            Statement::Wait(total - clock),
            "the keys above now have the days left the state shows".to_owned(),
            None,
        ));
    }
}
