//! Outcome codes, outcomes and rule IDs: the public vocabulary of SPEC §3.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::RangeInclusive;

/// R-KEY-STATES: the days `key schedule-deletion` accepts; outside it the statement fails
/// `INVALID_DELETION_WINDOW`.
pub const DELETION_WINDOW_DAYS: RangeInclusive<i64> = 7..=1096;

/// The days one `wait` may advance the clock (SPEC §2); outside it the line does not parse.
pub const WAIT_DAYS: RangeInclusive<u64> = 1..=100_000;

/// What a statement did: succeeded, succeeded with a warning, or failed (and changed nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Ok,
    Warn,
    Fail,
}

impl Outcome {
    pub const fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Warn => "warn",
            Outcome::Fail => "fail",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! codes {
    ($($name:ident),* $(,)?) => {
        /// An outcome code, exactly as SPEC §3 lists them (declaration order is the list's order).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        pub enum Code { $($name),* }

        impl Code {
            /// Every code, in the order SPEC §3 lists them.
            pub const ALL: &'static [Code] = &[$(Code::$name),*];

            pub const fn as_str(self) -> &'static str {
                match self { $(Code::$name => stringify!($name)),* }
            }
        }
    };
}

codes!(
    KMS_NOT_AUTHORIZED,
    NOT_SECURITY_ADMIN,
    ENCRYPTION_IMMUTABLE,
    ENCRYPTION_INHERITED,
    DEFAULT_KEY_PROTECTED,
    KEY_STATE_INVALID,
    INVALID_DELETION_WINDOW,
    KEY_UNAVAILABLE,
    KEY_DELETED,
    KEY_IN_USE,
    REATTACH_WILL_FAIL,
    DATA_UNRECOVERABLE,
    DISK_IN_USE,
    DISK_NOT_ATTACHED,
    SERVER_RUNNING,
    SYSTEM_DISK_PRESENT,
    NO_SYSTEM_DISK,
    NAME_TAKEN,
    UNKNOWN_RESOURCE,
    RESERVED_NAME,
);

impl Code {
    /// Parses a code written in a scenario (`expect fail KEY_DELETED`).
    pub fn parse(word: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == word)
    }

    /// Whether this code is a warning (the statement took effect) rather than a failure.
    pub const fn is_warning(self) -> bool {
        matches!(
            self,
            Code::KEY_IN_USE | Code::REATTACH_WILL_FAIL | Code::DATA_UNRECOVERABLE
        )
    }

    /// Rank when several failures apply to one statement: lower wins (SPEC §3, last paragraph).
    pub const fn precedence(self) -> u8 {
        match self {
            Code::UNKNOWN_RESOURCE => 0,
            Code::RESERVED_NAME => 1,
            Code::NAME_TAKEN => 2,
            Code::ENCRYPTION_IMMUTABLE => 3,
            Code::ENCRYPTION_INHERITED => 4,
            Code::NOT_SECURITY_ADMIN => 5,
            Code::KMS_NOT_AUTHORIZED => 6,
            Code::KEY_DELETED => 7,
            Code::KEY_UNAVAILABLE => 8,
            // "then the rest in the order of the list above"
            other => 9 + other as u8,
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! rules {
    ($($variant:ident = $id:literal, $inferred:literal, $text:literal, $source:literal, $quote:literal;)*) => {
        /// A rule of SPEC §3; every outcome cites one.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum RuleId {
            $(#[serde(rename = $id)] $variant),*
        }

        impl RuleId {
            /// Every rule, in SPEC order.
            pub const ALL: &'static [RuleId] = &[$(RuleId::$variant),*];

            /// The ID as SPEC writes it, e.g. `R-FROM-SNAP`.
            pub const fn as_str(self) -> &'static str {
                match self { $(RuleId::$variant => $id),* }
            }

            /// The rule's catalogue entry: its text and the documentation it comes from.
            pub const fn info(self) -> RuleInfo {
                match self {
                    $(RuleId::$variant => RuleInfo {
                        id: $id,
                        inferred: $inferred,
                        text: $text,
                        source: $source,
                        quote: $quote,
                    }),*
                }
            }
        }
    };
}

/// The catalogue entry of one rule: what it says and where the documentation says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RuleInfo {
    pub id: &'static str,
    /// The documentation implies the rule but does not state it.
    pub inferred: bool,
    pub text: &'static str,
    /// The source document and section (SPEC §6).
    pub source: &'static str,
    /// The sentence of the documentation the rule rests on.
    pub quote: &'static str,
}

rules! {
    Grant = "R-GRANT", false,
        "Before any disk can be created encrypted, EVS must have been granted KMS access (kms grant).",
        "000 Managing an Encrypted EVS Disk, \"Creating an Encrypted EVS Disk\"",
        "Before you use the disk encryption function, KMS access rights need to be granted to EVS.";
    GrantAdmin = "R-GRANT-ADMIN", false,
        "Only a Security Administrator can grant EVS access to KMS; granting twice is fine.",
        "000 Managing an Encrypted EVS Disk, \"Creating an Encrypted EVS Disk\"",
        "If you have the Security Administrator rights, grant the KMS access rights to EVS directly. If you do not have this permission, contact a user with the security administrator rights to grant KMS access rights to EVS.";
    Choose = "R-CHOOSE", false,
        "An empty disk is encrypted or not as its creator chooses.",
        "000 Managing an Encrypted EVS Disk, \"Relationships Among Encrypted Disks, Backups and Snapshots\"",
        "When creating an empty disk, you can determine whether to encrypt the disk or not.";
    Immutable = "R-IMMUTABLE", false,
        "The encryption attribute of a disk cannot be changed after the disk is created.",
        "000 Managing an Encrypted EVS Disk, \"Relationships Among Encrypted Disks, Backups and Snapshots\"",
        "The disk encryption attribute cannot be changed after the disk has been created.";
    Snap = "R-SNAP", false,
        "A snapshot has its disk's encryption (the same key).",
        "000 Managing an Encrypted EVS Disk, \"Relationships Among Encrypted Disks, Backups and Snapshots\"",
        "If a snapshot is created for a disk, the encryption attribute of the snapshot is the same as that of the disk.";
    FromSnap = "R-FROM-SNAP", false,
        "A disk created from a snapshot has the encryption of the snapshot's source disk; encrypt may not be given with from-snapshot.",
        "000 Managing an Encrypted EVS Disk, \"Relationships Among Encrypted Disks, Backups and Snapshots\"",
        "If a disk is created from a snapshot, the encryption attribute of the disk will be the same as that of the snapshot's source disk.";
    FromBackup = "R-FROM-BACKUP", false,
        "A disk created from a backup has the encryption of the backup's source disk; encrypt may not be given with from-backup.",
        "000 Managing an Encrypted EVS Disk, \"Relationships Among Encrypted Disks, Backups and Snapshots\"",
        "If a disk is created from a backup, the encryption attribute of the disk will be the same as that of the backup's source disk.";
    Backup = "R-BACKUP", true,
        "A backup has its disk's encryption (inferred from R-FROM-BACKUP).",
        "000 Managing an Encrypted EVS Disk, \"Relationships Among Encrypted Disks, Backups and Snapshots\"",
        "The encryption function can be used to encrypt system disks, data disks, backups and snapshots.";
    SysImage = "R-SYS-IMAGE", false,
        "A server created from an encrypted image has an encrypted system disk with the image's key; from an unencrypted image, an unencrypted one.",
        "003 User Encryption, \"Image Encryption\"; 000 \"Relationships Among Encrypted Disks, Backups and Snapshots\"",
        "When creating an ECS, if you select an encrypted image, the system disk of the created ECS automatically has encryption enabled, implementing system disk encryption.";
    ImageServer = "R-IMAGE-SERVER", false,
        "An image created from a server has the encryption of the server's system disk.",
        "003 User Encryption, \"Image Encryption\"",
        "Create an encrypted image using an existing encrypted ECS.";
    ImageImport = "R-IMAGE-IMPORT", false,
        "An image imported from an external image file is encrypted with the key given, or unencrypted.",
        "003 User Encryption, \"Image Encryption\"",
        "Create an encrypted image using an external image file.";
    As = "R-AS", false,
        "An AS configuration copies its server's encryption mode; servers launched from it get new disks encrypted the same way.",
        "003 User Encryption, \"Impact on AS\"",
        "If you use an encrypted ECS to create an Auto Scaling (AS) configuration, the encryption mode of the created AS configuration complies with the ECS encryption mode.";
    Default = "R-DEFAULT", false,
        "The default key evs/default cannot be disabled or scheduled for deletion.",
        "003 User Encryption, \"About Keys\"",
        "Default CMKs cannot be disabled and do not support scheduled deletion.";
    KeyStates = "R-KEY-STATES", false,
        "disable needs an enabled key, enable a disabled one, schedule-deletion an enabled or disabled one (window 7 to 1096 days), cancel-deletion a pending one, which it leaves disabled (inferred).",
        "003 User Encryption, \"About Keys\"; KMS user guide",
        "CMKs can be disabled and support scheduled deletion.";
    UseNew = "R-USE-NEW", true,
        "Nothing new can be encrypted with a key that is not usable (inferred: a disabled key cannot encrypt new data).",
        "003 User Encryption, \"About Keys\"",
        "During this process, the disk fails to be attached to the ECS because the CMK cannot be obtained.";
    InUse = "R-IN-USE", false,
        "When a key becomes unavailable, attached disks that use it keep working, but reads and writes are not guaranteed to keep working.",
        "000 \"Detaching an Encrypted EVS Disk\"; 003 \"About Keys\"",
        "If the CMK is unavailable, the disk can still be used, but normal read/write operations are not guaranteed permanently.";
    Detach = "R-DETACH", false,
        "Detaching a disk whose key is unavailable succeeds, but re-attaching it will fail; restore the key first.",
        "000 Managing an Encrypted EVS Disk, \"Detaching an Encrypted EVS Disk\"",
        "If the disk is detached and then re-attached, re-attaching this disk will fail. In this case, do not detach the disk and restore the CMK status first.";
    Reattach = "R-REATTACH", false,
        "Attaching a disk whose key is unavailable or deleted fails.",
        "000 \"Detaching an Encrypted EVS Disk\"; 003 \"About Keys\"",
        "During this process, the disk fails to be attached to the ECS because the CMK cannot be obtained. Therefore, the EVS disk becomes unavailable.";
    Restore = "R-RESTORE", false,
        "Once the key is usable again, the disk attaches and no data is lost.",
        "000 Managing an Encrypted EVS Disk, \"Detaching an Encrypted EVS Disk\"",
        "If the CMK is available, the disk can be detached and re-attached, and data on the disk will not be lost.";
    Delete = "R-DELETE", false,
        "When a key's deletion day is reached it is deleted, and everything encrypted with it becomes unrecoverable.",
        "003 User Encryption, \"About Keys\"; KMS user guide",
        "CMKs can be disabled and support scheduled deletion.";
    Attach = "R-ATTACH", false,
        "A disk attaches only when detached, to an existing server; as system disk only to a stopped server without one. A system disk detaches only from a stopped server; a server starts only with a system disk.",
        "EVS user guide",
        "A system disk can be detached only while its server is stopped.";
    Lifecycle = "R-LIFECYCLE", false,
        "An attached disk cannot be deleted. Deleting a disk deletes its snapshots, not its backups. Deleting a server deletes its system disk and detaches its data disks.",
        "EVS and CBR user guides",
        "Deleting a disk deletes its snapshots, not its backups.";
    Names = "R-NAMES", false,
        "Names are unique across all resources; a name must name an existing resource of the right kind; names ending in /default are reserved for default keys.",
        "Keyline",
        "Names are unique across all resources, case-sensitive.";
    Power = "R-POWER", true,
        "Stopping or starting a server needs no key; its disks stay attached while it is stopped (inferred).",
        "000 Managing an Encrypted EVS Disk",
        "If the CMK is unavailable, the disk can still be used, but normal read/write operations are not guaranteed permanently.";
}

impl RuleId {
    /// Parses `R-FROM-SNAP` and the like.
    pub fn parse(id: &str) -> Option<RuleId> {
        RuleId::ALL.iter().copied().find(|r| r.as_str() == id)
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_follows_spec_order() {
        let spec = [
            Code::UNKNOWN_RESOURCE,
            Code::RESERVED_NAME,
            Code::NAME_TAKEN,
            Code::ENCRYPTION_IMMUTABLE,
            Code::ENCRYPTION_INHERITED,
            Code::NOT_SECURITY_ADMIN,
            Code::KMS_NOT_AUTHORIZED,
            Code::KEY_DELETED,
            Code::KEY_UNAVAILABLE,
            Code::DEFAULT_KEY_PROTECTED,
            Code::KEY_STATE_INVALID,
            Code::INVALID_DELETION_WINDOW,
        ];
        for pair in spec.windows(2) {
            assert!(pair[0].precedence() < pair[1].precedence(), "{pair:?}");
        }
        let mut all: Vec<_> = Code::ALL.iter().map(|c| c.precedence()).collect();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), Code::ALL.len(), "precedence is a total order");
    }

    #[test]
    fn codes_round_trip() {
        assert_eq!(Code::ALL.len(), 20);
        for &c in Code::ALL {
            assert_eq!(Code::parse(c.as_str()), Some(c));
        }
        assert_eq!(Code::parse("key_deleted"), None);
    }

    #[test]
    fn rules_round_trip() {
        for &r in RuleId::ALL {
            assert_eq!(RuleId::parse(r.as_str()), Some(r));
            assert!(!r.info().text.is_empty());
        }
        assert!(RuleId::Backup.info().inferred);
        assert!(RuleId::UseNew.info().inferred && RuleId::Power.info().inferred);
        assert!(!RuleId::Snap.info().inferred);
    }
}
