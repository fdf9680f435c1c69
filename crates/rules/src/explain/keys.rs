//! Sentences for `role`, `kms grant`, the `key` statements and `wait`.

use super::KeyNeeds;
use crate::codes::{Code, DELETION_WINDOW_DAYS};
use crate::eval::{Engine, Failure, Subject};
use crate::model::{KeyState, Role};
use crate::names::NameId;
use crate::world::Res;

impl Engine<'_> {
    pub(super) fn role_sentence(&self, role: Role) -> String {
        match role {
            Role::Member => {
                "The person acting is now a member, who cannot grant KMS access.".to_owned()
            }
            Role::SecurityAdmin => "The person acting is now a security administrator.".to_owned(),
        }
    }

    pub(super) fn kms_grant_sentence(&self) -> String {
        "EVS has KMS access, granted by a security administrator, so encrypted disks can be created.".to_owned()
    }

    pub(super) fn key_created_sentence(&self, k: NameId) -> String {
        format!("Key {} is created and enabled.", self.name(k))
    }

    pub(super) fn key_disabled_sentence(&self, k: NameId, warned: &[NameId]) -> String {
        self.key_off_sentence(format!("Key {} is disabled", self.name(k)), warned)
    }

    pub(super) fn key_scheduled_sentence(&self, k: NameId, warned: &[NameId]) -> String {
        let day = match self.world.lookup(k) {
            Some(Res::Key(ki)) => self.world.key(ki).map_or(0, |k| k.deletion_day),
            _ => 0,
        };
        let what = format!(
            "Key {} is scheduled for deletion on day {day}; until then it is unavailable and the deletion can be cancelled",
            self.name(k)
        );
        self.key_off_sentence(what, warned)
    }

    /// A key made unavailable (`what` happened): whether attached disks use it (R-IN-USE).
    fn key_off_sentence(&self, what: String, warned: &[NameId]) -> String {
        if warned.is_empty() {
            format!("{what}; no attached disk uses it.")
        } else {
            format!(
                "{what}. Attached disks that use it keep working, but their reads and writes are not guaranteed to keep working: {}. Do not detach them before the key is restored.",
                self.list(warned)
            )
        }
    }

    pub(super) fn key_enabled_sentence(&self, k: NameId) -> String {
        format!(
            "Key {} is enabled again: disks encrypted with it attach, and no data is lost.",
            self.name(k)
        )
    }

    pub(super) fn key_cancelled_sentence(&self, k: NameId) -> String {
        format!(
            "The deletion of key {} is cancelled and the key is left disabled (inferred: KMS returns a cancelled key to Disabled); enable it to use it again.",
            self.name(k)
        )
    }

    /// `wait`: the day, the keys it deleted and what became unrecoverable (R-DELETE).
    pub(super) fn waited_sentence(&self, days: u64, warned: &[NameId]) -> String {
        let day = self.world.day();
        let start = day.saturating_sub(days);
        let gone: Vec<&str> = self
            .world
            .keys()
            .map(|(_, k)| k)
            .filter(|k| {
                k.state == KeyState::Deleted && k.deletion_day > start && k.deletion_day <= day
            })
            .map(|k| self.name(k.name))
            .collect();
        let mut s = format!("{days} day(s) pass; it is now day {day}.");
        if !gone.is_empty() {
            s.push_str(&format!(" Key(s) deleted: {}.", gone.join(", ")));
        }
        if !warned.is_empty() {
            s.push_str(&format!(
                " Everything encrypted with them is unrecoverable, its data can never be read: {}.",
                self.list(warned)
            ));
        }
        s
    }

    /// KEY_STATE_INVALID of a `key` statement, which `needs` a state the key is not in.
    pub(super) fn key_state_failure(&self, f: &Failure, needs: KeyNeeds) -> Option<String> {
        match (f.code, f.subject) {
            (Code::KEY_STATE_INVALID, Subject::Key(k)) => {
                let (key, state) = self.key_desc(k);
                Some(format!("Key {key} is {state}; {}.", needs.words))
            }
            _ => None,
        }
    }

    /// INVALID_DELETION_WINDOW of `key schedule-deletion K DAYS`.
    pub(super) fn schedule_failure(&self, k: NameId, days: i64, f: &Failure) -> Option<String> {
        if f.code != Code::INVALID_DELETION_WINDOW {
            return None;
        }
        let (min, max) = (DELETION_WINDOW_DAYS.start(), DELETION_WINDOW_DAYS.end());
        Some(if days.unsigned_abs() < 1_000_000_000 {
            format!(
                "Key {} cannot be scheduled for deletion in {days} days: the window must be {min} to {max} days.",
                self.name(k)
            )
        } else {
            format!(
                "Key {} cannot be scheduled for deletion that far ahead: the window must be {min} to {max} days.",
                self.name(k)
            )
        })
    }
}
