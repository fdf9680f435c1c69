//! Sentences for the `server` statements.

use crate::codes::Code;
use crate::eval::{Engine, Failure, Subject};
use crate::names::NameId;
use crate::syntax::Source;
use crate::world::Res;

impl Engine<'_> {
    /// `server create`: where it came from and the encryption of each of its disks.
    pub(super) fn server_created_sentence(
        &self,
        server: NameId,
        source: Option<Source<NameId>>,
    ) -> String {
        let n = |id: NameId| self.name(id);
        let from = match source {
            None => "the public, unencrypted image".to_owned(),
            Some(Source::Image(i)) => format!("image {}", n(i)),
            Some(Source::Config(c)) => format!("AS configuration {}", n(c)),
        };
        let mut s = format!("Server {} is created from {from} and running", n(server));
        let srv = match self.world.lookup(server) {
            Some(Res::Server(si)) => self.world.server(si),
            _ => None,
        };
        if let Some(srv) = srv {
            if let Some(d) = srv.system.and_then(|d| self.world.disk(d)) {
                s.push_str(&format!(
                    "; its system disk {} is {}",
                    n(d.name),
                    self.enc_words(d.enc)
                ));
            }
            for d in srv.data.iter().filter_map(|&d| self.world.disk(d)) {
                s.push_str(&format!(
                    "; data disk {} is {}",
                    n(d.name),
                    self.enc_words(d.enc)
                ));
            }
        }
        s.push('.');
        s
    }

    /// What `server create` makes, for the sentence of a key that cannot encrypt it.
    pub(super) fn server_things(&self, server: NameId, source: Option<Source<NameId>>) -> String {
        let n = |id: NameId| self.name(id);
        match source {
            Some(Source::Config(c)) => format!(
                "The disks of server {} (from AS configuration {})",
                n(server),
                n(c)
            ),
            Some(Source::Image(i)) => format!(
                "The system disk of server {} (from image {})",
                n(server),
                n(i)
            ),
            None => format!("The system disk of server {}", n(server)),
        }
    }

    pub(super) fn server_stopped_sentence(&self, s: NameId) -> String {
        format!(
            "Server {} is stopped; its disks stay attached (inferred: stopping needs no key).",
            self.name(s)
        )
    }

    pub(super) fn server_started_sentence(&self, s: NameId) -> String {
        format!(
            "Server {} is running (inferred: starting needs no key).",
            self.name(s)
        )
    }

    /// `server delete`: its data disks are detached (R-DETACH warns about `warned`).
    pub(super) fn server_deleted_sentence(&self, s: NameId, warned: &[NameId]) -> String {
        if warned.is_empty() {
            format!(
                "Server {} and its system disk are deleted; its data disks are detached and kept.",
                self.name(s)
            )
        } else {
            format!(
                "Server {} and its system disk are deleted; its data disks are detached, and re-attaching {} will fail until their keys are restored.",
                self.name(s),
                self.list(warned)
            )
        }
    }

    /// NO_SYSTEM_DISK of a statement that needs the server's system disk (`what` it cannot do).
    pub(super) fn no_system_disk_failure(&self, f: &Failure, what: &str) -> Option<String> {
        match (f.code, f.subject) {
            (Code::NO_SYSTEM_DISK, Subject::Server(s)) => Some(format!(
                "Server {} has no system disk, {what}.",
                self.server_name(s)
            )),
            _ => None,
        }
    }
}
