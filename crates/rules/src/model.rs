//! The small enums of the model (SPEC §1), shared by the parser, the evaluator and the report.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! word_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $word:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $(#[serde(rename = $word)] $variant),* }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            /// The word a scenario uses for it.
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),* }
            }
            /// Parses the word a scenario uses for it.
            pub fn parse(word: &str) -> Option<Self> {
                match word { $($word => Some($name::$variant),)* _ => None }
            }
            /// The words, for error messages and suggestions.
            pub const WORDS: &'static [&'static str] = &[$($word),*];
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

word_enum!(
    /// Who is acting.
    Role { Member = "member", SecurityAdmin = "security-admin" }
);
word_enum!(
    /// A KMS key's state.
    KeyState {
        Enabled = "enabled",
        Disabled = "disabled",
        PendingDeletion = "pending-deletion",
        Deleted = "deleted",
    }
);
word_enum!(
    /// A disk's health, derived from its key and attachment.
    Health {
        Healthy = "healthy",
        AtRisk = "at-risk",
        Unattachable = "unattachable",
        Unrecoverable = "unrecoverable",
    }
);
word_enum!(
    /// A server's power state.
    Power { Running = "running", Stopped = "stopped" }
);
word_enum!(
    /// A disk's role on its server.
    DiskRole { System = "system", Data = "data" }
);
word_enum!(
    /// The kinds `expect count` counts (plural, as written in scenarios).
    Kind {
        Keys = "keys",
        Images = "images",
        Servers = "servers",
        Disks = "disks",
        Snapshots = "snapshots",
        Backups = "backups",
        Configs = "configs",
    }
);

impl Kind {
    /// The noun with its article ("a disk", "an image").
    pub const fn a_noun(self) -> &'static str {
        match self {
            Kind::Images => "an image",
            Kind::Keys => "a key",
            Kind::Servers => "a server",
            Kind::Disks => "a disk",
            Kind::Snapshots => "a snapshot",
            Kind::Backups => "a backup",
            Kind::Configs => "a config",
        }
    }

    /// The singular noun used in sentences ("disk", "snapshot").
    pub const fn noun(self) -> &'static str {
        match self {
            Kind::Keys => "key",
            Kind::Images => "image",
            Kind::Servers => "server",
            Kind::Disks => "disk",
            Kind::Snapshots => "snapshot",
            Kind::Backups => "backup",
            Kind::Configs => "config",
        }
    }
}

impl KeyState {
    /// A key is usable only when enabled.
    pub const fn is_usable(self) -> bool {
        matches!(self, KeyState::Enabled)
    }
}

#[allow(clippy::derivable_impls)] // the enum comes from a macro
impl Default for Role {
    fn default() -> Self {
        Role::Member
    }
}
