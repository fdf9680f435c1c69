//! Failure sentences shared by several statements: those of creating statements (KMS access,
//! an unusable key) and those that read the same whatever the statement (`common_failure`).
//! Which statement reads which is decided in `mod.rs`.

use crate::codes::Code;
use crate::eval::{Engine, Failure, Subject};
use crate::model::Kind;
use crate::names::{self, NameId, DEFAULT_KEY};

impl Engine<'_> {
    /// A creating statement whose key cannot encrypt what it makes (`things`), or that makes
    /// encrypted `disks` without KMS access (R-GRANT, R-USE-NEW).
    pub(super) fn creation_failure(
        &self,
        f: &Failure,
        things: &str,
        disks: Option<&str>,
    ) -> Option<String> {
        match (f.code, f.subject) {
            (Code::KMS_NOT_AUTHORIZED, _) => Some(format!(
                "EVS has not been granted KMS access, so {} cannot be created encrypted until a security administrator runs kms grant.",
                disks.unwrap_or("no disk")
            )),
            (Code::KEY_DELETED, Subject::Key(k)) => Some(format!(
                "{things} cannot be encrypted with key {}, which is deleted (inferred: a deleted key encrypts nothing new).",
                self.key_desc(k).0
            )),
            (Code::KEY_UNAVAILABLE, Subject::Key(k)) => {
                let (key, state) = self.key_desc(k);
                Some(format!(
                    "{things} cannot be encrypted with key {key}, which is {state} (inferred: a disabled key cannot encrypt new data)."
                ))
            }
            _ => None,
        }
    }

    /// The sentences that read the same whatever the statement.
    pub(super) fn common_failure(&self, f: &Failure) -> String {
        let n = |id: NameId| self.name(id);
        match (f.code, f.subject) {
            (Code::UNKNOWN_RESOURCE, Subject::Name(name, kind)) => self.unknown(name, kind),
            (Code::RESERVED_NAME, Subject::Name(name, kind)) => format!(
                "The {} name {} ends in /default, which is reserved for default keys.",
                kind.noun(),
                n(name)
            ),
            (Code::NAME_TAKEN, Subject::Name(name, _)) => match self.world.lookup(name) {
                Some(res) => format!(
                    "The name {} is already taken by {}; names are unique across all resources.",
                    n(name),
                    res.kind().a_noun()
                ),
                None => format!(
                    "The name {} would be given twice by this statement.",
                    n(name)
                ),
            },
            (Code::ENCRYPTION_IMMUTABLE, Subject::Name(d, _)) => format!(
                "The encryption of disk {} ({}) was fixed when it was created and cannot be changed.",
                n(d),
                self.enc_words(self.res_enc(d))
            ),
            (Code::ENCRYPTION_INHERITED, _) => {
                "The encryption is inherited and cannot be chosen.".to_owned()
            }
            (Code::NOT_SECURITY_ADMIN, _) => "Only a security administrator can grant EVS access to KMS; the person acting is a member.".to_owned(),
            (Code::DEFAULT_KEY_PROTECTED, _) => format!(
                "{DEFAULT_KEY} is the default key: it cannot be disabled or scheduled for deletion."
            ),
            (Code::SYSTEM_DISK_PRESENT, Subject::Disk(d)) => {
                let on = self
                    .world
                    .disk(d)
                    .and_then(|x| x.server)
                    .map_or("", |s| self.server_name(s));
                format!("Server {on} already has a system disk, {}.", self.disk_name(d))
            }
            (code, _) => format!("The statement fails with {code}."),
        }
    }

    /// UNKNOWN_RESOURCE: the name is another kind's, a reserved name, or a typo.
    fn unknown(&self, name: NameId, kind: Kind) -> String {
        let word = self.name(name);
        if let Some(res) = self.world.lookup(name) {
            return format!("{word} is {}, not {}.", res.kind().a_noun(), kind.a_noun());
        }
        if kind == Kind::Keys && names::is_reserved(word) && word != DEFAULT_KEY {
            return format!(
                "There is no default key {word}: the only default key is {DEFAULT_KEY}."
            );
        }
        let mut s = format!("There is no {} named {word}.", kind.noun());
        let same_kind = self
            .world
            .live()
            .filter(|(_, r)| r.kind() == kind)
            .map(|(id, _)| self.name(id));
        let mut candidates: Vec<&str> = same_kind.collect();
        candidates.sort_unstable();
        if let Some(m) = names::nearest(word, candidates) {
            s.push_str(&format!(" Did you mean {m}?"));
        }
        s
    }
}
