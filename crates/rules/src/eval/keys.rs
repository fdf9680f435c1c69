//! Keys and the clock: R-KEY-STATES, R-DEFAULT, R-IN-USE, R-DELETE.

use super::{Checks, Engine, Mode, Subject, Verdict};
use crate::codes::{Code, RuleId, DELETION_WINDOW_DAYS};
use crate::model::{KeyState, Kind};
use crate::names::NameId;
use crate::world::{Idx, Key};

impl Engine<'_> {
    /// `key create`: a new, enabled custom key.
    pub(super) fn key_create(&mut self, k: NameId, mut c: Checks) -> Verdict {
        self.new_name(k, Kind::Keys, &mut c);
        if c.failed() {
            return self.fail(c);
        }
        self.world.add_key(k, false, self.line);
        Verdict::Ok(RuleId::KeyStates)
    }

    pub(super) fn in_use(&self, k: Idx<Key>) -> Vec<NameId> {
        if self.mode == Mode::Quiet {
            // Only whether there is one matters; the names are for sentences.
            return Vec::new();
        }
        self.world
            .disks_with(k)
            .filter(|d| d.server.is_some())
            .map(|d| d.name)
            .collect()
    }

    pub(super) fn in_use_verdict(&self, k: Idx<Key>) -> Verdict {
        if self.world.key(k).is_some_and(|k| k.attached() > 0) {
            Verdict::Warn(Code::KEY_IN_USE, RuleId::InUse, self.in_use(k))
        } else {
            Verdict::Ok(RuleId::InUse)
        }
    }

    /// `key enable` (disabled → enabled) and `key cancel-deletion` (pending deletion →
    /// disabled): the key must be in state `from`.
    pub(super) fn key_restore(
        &mut self,
        k: NameId,
        from: KeyState,
        to: KeyState,
        mut c: Checks,
    ) -> Verdict {
        let ki = self.key_ix(k, &mut c);
        if let Some(ki) = ki {
            if self.world.key_state(ki) != from {
                c.fail(Code::KEY_STATE_INVALID, RuleId::KeyStates, Subject::Key(ki));
            }
        }
        match (ki, c.failed()) {
            (Some(ki), false) => {
                self.world.set_key_state(ki, to);
                Verdict::Ok(RuleId::KeyStates)
            }
            _ => self.fail(c),
        }
    }

    /// R-DEFAULT: `evs/default` can be neither disabled nor scheduled for deletion.
    fn refuse_default_key(&self, ki: Idx<Key>, c: &mut Checks) {
        if self.world.key(ki).is_some_and(|k| k.default) {
            c.fail(
                Code::DEFAULT_KEY_PROTECTED,
                RuleId::Default,
                Subject::Key(ki),
            );
        }
    }

    pub(super) fn key_disable(&mut self, k: NameId, mut c: Checks) -> Verdict {
        let ki = self.key_ix(k, &mut c);
        if let Some(ki) = ki {
            self.refuse_default_key(ki, &mut c);
            if self.world.key_state(ki) != KeyState::Enabled {
                c.fail(Code::KEY_STATE_INVALID, RuleId::KeyStates, Subject::Key(ki));
            }
        }
        let Some(ki) = ki.filter(|_| !c.failed()) else {
            return self.fail(c);
        };
        self.world.set_key_state(ki, KeyState::Disabled);
        self.in_use_verdict(ki)
    }

    pub(super) fn key_schedule(&mut self, k: NameId, days: i64, mut c: Checks) -> Verdict {
        let ki = self.key_ix(k, &mut c);
        if let Some(ki) = ki {
            self.refuse_default_key(ki, &mut c);
            if !matches!(
                self.world.key_state(ki),
                KeyState::Enabled | KeyState::Disabled
            ) {
                c.fail(Code::KEY_STATE_INVALID, RuleId::KeyStates, Subject::Key(ki));
            }
        }
        if !DELETION_WINDOW_DAYS.contains(&days) {
            c.fail(
                Code::INVALID_DELETION_WINDOW,
                RuleId::KeyStates,
                Subject::None,
            );
        }
        let Some(ki) = ki.filter(|_| !c.failed()) else {
            return self.fail(c);
        };
        // Within DELETION_WINDOW_DAYS, checked above.
        let day = self.world.day().saturating_add(days.unsigned_abs());
        self.world.schedule_deletion(ki, day);
        self.in_use_verdict(ki)
    }

    pub(super) fn wait(&mut self, days: u64) -> Verdict {
        let deleted = self.world.advance(days);
        if deleted.is_empty() {
            return Verdict::Ok(RuleId::Delete);
        }
        let names = if self.mode == Mode::Full {
            deleted
                .iter()
                .flat_map(|&k| self.world.dependents_of(k))
                .map(|(_, n)| n)
                .collect()
        } else {
            Vec::new()
        };
        Verdict::Warn(Code::DATA_UNRECOVERABLE, RuleId::Delete, names)
    }
}
