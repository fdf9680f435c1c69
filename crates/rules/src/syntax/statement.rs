//! The statement model: one value per statement and expectation of SPEC §2.
//!
//! [`StatementOf`] and [`ExpectationOf`] are generic over how names are held: the public, owned
//! form ([`Statement`], [`Expectation`]) holds them as `String`, the evaluator as interned ids. The parser builds
//! them, [`fmt::Display`] prints the canonical line (single spaces, options in a fixed order),
//! and [`std::str::FromStr`] parses one line back: for any statement whose names follow the
//! name grammar, `s.to_string().parse() == Ok(s)`. Nothing else writes statement text.

use super::errors::ParseError;
use super::grammar::{self, kw};
use crate::codes::{Code, Outcome};
use crate::model::{Health, KeyState, Kind, Role};
use std::fmt;
use std::str::FromStr;

/// One statement of SPEC §2. `N` is how a name is held (`String` in [`Statement`]).
///
/// Numbers are kept as written: a deletion window outside 7..=1096 is the evaluator's
/// `INVALID_DELETION_WINDOW`; a `wait` outside 1..=100000 does not parse (so [`Statement::Wait`]
/// with such a value prints a line that does not parse back).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum StatementOf<N> {
    Role(Role),
    KmsGrant,
    KeyCreate(N),
    KeyDisable(N),
    KeyEnable(N),
    /// The key and the deletion window in days, as written.
    KeyScheduleDeletion(N, i64),
    KeyCancelDeletion(N),
    /// Days to advance the clock.
    Wait(u64),
    ImageImport {
        image: N,
        key: Option<N>,
    },
    ImageCreate {
        image: N,
        server: N,
    },
    ServerCreate {
        server: N,
        source: Option<Source<N>>,
        system_disk: Option<N>,
    },
    ServerStop(N),
    ServerStart(N),
    ServerDelete(N),
    DiskCreate {
        disk: N,
        from: Option<DiskFrom<N>>,
        key: Option<N>,
    },
    /// The disk and the key (always fails: ENCRYPTION_IMMUTABLE).
    DiskEncrypt(N, N),
    DiskDecrypt(N),
    DiskDelete(N),
    Attach {
        disk: N,
        server: N,
        system: bool,
    },
    Detach(N),
    SnapshotCreate {
        snapshot: N,
        disk: N,
    },
    SnapshotDelete(N),
    BackupCreate {
        backup: N,
        disk: N,
    },
    BackupDelete(N),
    ConfigCreate {
        config: N,
        server: N,
    },
}

/// Declares [`StatementKind`], its `ALL` list and its first words from one table, so the list
/// is complete and every kind has its words by construction.
macro_rules! statement_kinds {
    ($($variant:ident => $head:ident $(/ $verb:ident)?),* $(,)?) => {
        /// Every kind of statement, without its names: what a line's first words choose. The
        /// parser reads the words, finds the kind and then parses the rest of the line by an
        /// exhaustive match over it, so a new statement cannot be forgotten there. Public so
        /// that other crates (the course's "must use `key enable`" constraints) can match
        /// statements by kind without reading their text.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum StatementKind {
            $($variant),*
        }

        impl StatementKind {
            /// Every kind, in the order of [`StatementOf`]: the tests check the grammar's
            /// tables against it.
            pub const ALL: &'static [StatementKind] = &[$(StatementKind::$variant),*];

            /// The line's first word and, when the first word starts several statements, the
            /// verb after it (`disk create` → `("disk", Some("create"))`).
            pub const fn words(self) -> (&'static str, Option<&'static str>) {
                match self {
                    $(StatementKind::$variant => (kw::$head, statement_kinds!(@verb $($verb)?))),*
                }
            }
        }
    };
    (@verb) => { None };
    (@verb $verb:ident) => { Some(kw::$verb) };
}

statement_kinds! {
    Role => ROLE,
    KmsGrant => KMS / GRANT,
    KeyCreate => KEY / CREATE,
    KeyDisable => KEY / DISABLE,
    KeyEnable => KEY / ENABLE,
    KeyScheduleDeletion => KEY / SCHEDULE_DELETION,
    KeyCancelDeletion => KEY / CANCEL_DELETION,
    Wait => WAIT,
    ImageImport => IMAGE / IMPORT,
    ImageCreate => IMAGE / CREATE,
    ServerCreate => SERVER / CREATE,
    ServerStop => SERVER / STOP,
    ServerStart => SERVER / START,
    ServerDelete => SERVER / DELETE,
    DiskCreate => DISK / CREATE,
    DiskEncrypt => DISK / ENCRYPT,
    DiskDecrypt => DISK / DECRYPT,
    DiskDelete => DISK / DELETE,
    Attach => ATTACH,
    Detach => DETACH,
    SnapshotCreate => SNAPSHOT / CREATE,
    SnapshotDelete => SNAPSHOT / DELETE,
    BackupCreate => BACKUP / CREATE,
    BackupDelete => BACKUP / DELETE,
    ConfigCreate => CONFIG / CREATE,
}

impl StatementKind {
    /// The kind whose first words are `words` (`"key enable"`, `"detach"`; words separated by
    /// spaces or tabs), or `None`. The inverse of [`StatementKind::words`].
    pub fn from_words(words: &str) -> Option<StatementKind> {
        let mut it = words.split([' ', '\t']).filter(|w| !w.is_empty());
        let found = (it.next(), it.next());
        if it.next().is_some() {
            return None;
        }
        StatementKind::ALL
            .iter()
            .copied()
            .find(|k| k.words() == (found.0.unwrap_or(""), found.1))
    }
}

/// The kind's first words, as a scenario writes them (`key enable`).
impl fmt::Display for StatementKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.words() {
            (head, Some(verb)) => write!(f, "{head} {verb}"),
            (head, None) => f.write_str(head),
        }
    }
}

/// A statement with its names as text: what the parser gives outside the engine, what the
/// builder, the board and the importer build, and what [`crate::preview`] judges.
pub type Statement = StatementOf<String>;

/// Where a new server's system disk comes from (`image I` or `config C`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source<N = String> {
    Image(N),
    Config(N),
}

/// Where a new disk's data comes from (`from-snapshot S` or `from-backup B`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DiskFrom<N = String> {
    Snapshot(N),
    Backup(N),
}

/// One `expect` line of SPEC §2.
///
/// `Outcome(Outcome::Ok, Some(_))` has no spelling: it prints a line that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ExpectationOf<N> {
    /// `expect ok`, `expect warn [CODE]`, `expect fail [CODE]`.
    Outcome(Outcome, Option<Code>),
    /// `expect R encrypted K`.
    Encrypted(N, N),
    Unencrypted(N),
    /// `expect D attached S`.
    Attached(N, N),
    Detached(N),
    Health(N, Health),
    State(N, KeyState),
    Count(u64, Kind),
}

/// An expectation with its names as text.
pub type Expectation = ExpectationOf<String>;

impl<N> Source<N> {
    pub fn map<'a, M>(&'a self, mut f: impl FnMut(&'a N) -> M) -> Source<M> {
        match self {
            Source::Image(i) => Source::Image(f(i)),
            Source::Config(c) => Source::Config(f(c)),
        }
    }

    /// The image's or config's name.
    pub fn name(&self) -> &N {
        match self {
            Source::Image(n) | Source::Config(n) => n,
        }
    }
}

impl<N> DiskFrom<N> {
    pub fn map<'a, M>(&'a self, mut f: impl FnMut(&'a N) -> M) -> DiskFrom<M> {
        match self {
            DiskFrom::Snapshot(s) => DiskFrom::Snapshot(f(s)),
            DiskFrom::Backup(b) => DiskFrom::Backup(f(b)),
        }
    }

    /// The snapshot's or backup's name.
    pub fn name(&self) -> &N {
        match self {
            DiskFrom::Snapshot(n) | DiskFrom::Backup(n) => n,
        }
    }
}

impl<N> StatementOf<N> {
    /// The same statement with every name converted by `f` (interning, resolving, owning).
    pub fn map<'a, M>(&'a self, mut f: impl FnMut(&'a N) -> M) -> StatementOf<M> {
        use StatementOf as S;
        match self {
            S::Role(r) => S::Role(*r),
            S::KmsGrant => S::KmsGrant,
            S::KeyCreate(k) => S::KeyCreate(f(k)),
            S::KeyDisable(k) => S::KeyDisable(f(k)),
            S::KeyEnable(k) => S::KeyEnable(f(k)),
            S::KeyScheduleDeletion(k, d) => S::KeyScheduleDeletion(f(k), *d),
            S::KeyCancelDeletion(k) => S::KeyCancelDeletion(f(k)),
            S::Wait(d) => S::Wait(*d),
            S::ImageImport { image, key } => S::ImageImport {
                image: f(image),
                key: key.as_ref().map(&mut f),
            },
            S::ImageCreate { image, server } => S::ImageCreate {
                image: f(image),
                server: f(server),
            },
            S::ServerCreate {
                server,
                source,
                system_disk,
            } => S::ServerCreate {
                server: f(server),
                source: source.as_ref().map(|s| s.map(&mut f)),
                system_disk: system_disk.as_ref().map(&mut f),
            },
            S::ServerStop(s) => S::ServerStop(f(s)),
            S::ServerStart(s) => S::ServerStart(f(s)),
            S::ServerDelete(s) => S::ServerDelete(f(s)),
            S::DiskCreate { disk, from, key } => S::DiskCreate {
                disk: f(disk),
                from: from.as_ref().map(|x| x.map(&mut f)),
                key: key.as_ref().map(&mut f),
            },
            S::DiskEncrypt(d, k) => S::DiskEncrypt(f(d), f(k)),
            S::DiskDecrypt(d) => S::DiskDecrypt(f(d)),
            S::DiskDelete(d) => S::DiskDelete(f(d)),
            S::Attach {
                disk,
                server,
                system,
            } => S::Attach {
                disk: f(disk),
                server: f(server),
                system: *system,
            },
            S::Detach(d) => S::Detach(f(d)),
            S::SnapshotCreate { snapshot, disk } => S::SnapshotCreate {
                snapshot: f(snapshot),
                disk: f(disk),
            },
            S::SnapshotDelete(s) => S::SnapshotDelete(f(s)),
            S::BackupCreate { backup, disk } => S::BackupCreate {
                backup: f(backup),
                disk: f(disk),
            },
            S::BackupDelete(b) => S::BackupDelete(f(b)),
            S::ConfigCreate { config, server } => S::ConfigCreate {
                config: f(config),
                server: f(server),
            },
        }
    }

    /// Which statement this is.
    pub fn kind(&self) -> StatementKind {
        use StatementKind as K;
        use StatementOf as S;
        match self {
            S::Role(_) => K::Role,
            S::KmsGrant => K::KmsGrant,
            S::KeyCreate(_) => K::KeyCreate,
            S::KeyDisable(_) => K::KeyDisable,
            S::KeyEnable(_) => K::KeyEnable,
            S::KeyScheduleDeletion(..) => K::KeyScheduleDeletion,
            S::KeyCancelDeletion(_) => K::KeyCancelDeletion,
            S::Wait(_) => K::Wait,
            S::ImageImport { .. } => K::ImageImport,
            S::ImageCreate { .. } => K::ImageCreate,
            S::ServerCreate { .. } => K::ServerCreate,
            S::ServerStop(_) => K::ServerStop,
            S::ServerStart(_) => K::ServerStart,
            S::ServerDelete(_) => K::ServerDelete,
            S::DiskCreate { .. } => K::DiskCreate,
            S::DiskEncrypt(..) => K::DiskEncrypt,
            S::DiskDecrypt(_) => K::DiskDecrypt,
            S::DiskDelete(_) => K::DiskDelete,
            S::Attach { .. } => K::Attach,
            S::Detach(_) => K::Detach,
            S::SnapshotCreate { .. } => K::SnapshotCreate,
            S::SnapshotDelete(_) => K::SnapshotDelete,
            S::BackupCreate { .. } => K::BackupCreate,
            S::BackupDelete(_) => K::BackupDelete,
            S::ConfigCreate { .. } => K::ConfigCreate,
        }
    }

    /// The name of the resource the statement creates, if it creates one (a server's disks
    /// named after it are not counted).
    pub fn created(&self) -> Option<&N> {
        use StatementOf as S;
        match self {
            S::KeyCreate(k) => Some(k),
            S::ImageImport { image, .. } | S::ImageCreate { image, .. } => Some(image),
            S::ServerCreate { server, .. } => Some(server),
            S::DiskCreate { disk, .. } => Some(disk),
            S::SnapshotCreate { snapshot, .. } => Some(snapshot),
            S::BackupCreate { backup, .. } => Some(backup),
            S::ConfigCreate { config, .. } => Some(config),
            S::Role(_)
            | S::KmsGrant
            | S::KeyDisable(_)
            | S::KeyEnable(_)
            | S::KeyScheduleDeletion(..)
            | S::KeyCancelDeletion(_)
            | S::Wait(_)
            | S::ServerStop(_)
            | S::ServerStart(_)
            | S::ServerDelete(_)
            | S::DiskEncrypt(..)
            | S::DiskDecrypt(_)
            | S::DiskDelete(_)
            | S::Attach { .. }
            | S::Detach(_)
            | S::SnapshotDelete(_)
            | S::BackupDelete(_) => None,
        }
    }

    /// Every name the statement mentions, in the order the line writes them.
    pub fn names(&self) -> Vec<&N> {
        let mut names = Vec::new();
        let _ = self.map(|n| names.push(n));
        names
    }

    /// The statement with names borrowed (to print or compare without copying).
    pub fn as_ref(&self) -> StatementOf<&N> {
        self.map(|n| n)
    }
}

impl<N> ExpectationOf<N> {
    /// The same expectation with every name converted by `f`.
    pub fn map<'a, M>(&'a self, mut f: impl FnMut(&'a N) -> M) -> ExpectationOf<M> {
        use ExpectationOf as E;
        match self {
            E::Outcome(o, c) => E::Outcome(*o, *c),
            E::Encrypted(r, k) => E::Encrypted(f(r), f(k)),
            E::Unencrypted(r) => E::Unencrypted(f(r)),
            E::Attached(d, s) => E::Attached(f(d), f(s)),
            E::Detached(d) => E::Detached(f(d)),
            E::Health(d, h) => E::Health(f(d), *h),
            E::State(k, s) => E::State(f(k), *s),
            E::Count(n, k) => E::Count(*n, *k),
        }
    }
}

/// Writes words separated by single spaces.
struct Words<'f, 'g> {
    f: &'f mut fmt::Formatter<'g>,
    first: bool,
}

impl Words<'_, '_> {
    fn w(&mut self, word: impl fmt::Display) -> Result<&mut Self, fmt::Error> {
        if !self.first {
            self.f.write_str(" ")?;
        }
        self.first = false;
        write!(self.f, "{word}")?;
        Ok(self)
    }

    /// `keyword value` when the value is there.
    fn opt<N: AsRef<str>>(&mut self, keyword: &str, value: Option<&N>) -> fmt::Result {
        if let Some(v) = value {
            self.w(keyword)?.w(v.as_ref())?;
        }
        Ok(())
    }
}

fn n<N: AsRef<str>>(name: &N) -> &str {
    name.as_ref()
}

/// The canonical line: single spaces, options in the order SPEC §2 lists them. The first
/// words come from [`StatementKind::words`], the ones the parser reads.
impl<N: AsRef<str>> fmt::Display for StatementOf<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use StatementOf as S;
        let mut o = Words { f, first: true };
        let (head, verb) = self.kind().words();
        o.w(head)?;
        if let Some(verb) = verb {
            o.w(verb)?;
        }
        match self {
            S::Role(r) => o.w(r).map(drop),
            S::KmsGrant => Ok(()),
            S::KeyCreate(k)
            | S::KeyDisable(k)
            | S::KeyEnable(k)
            | S::KeyCancelDeletion(k)
            | S::ServerStop(k)
            | S::ServerStart(k)
            | S::ServerDelete(k)
            | S::DiskDecrypt(k)
            | S::DiskDelete(k)
            | S::Detach(k)
            | S::SnapshotDelete(k)
            | S::BackupDelete(k) => o.w(n(k)).map(drop),
            S::KeyScheduleDeletion(k, d) => o.w(n(k))?.w(d).map(drop),
            S::Wait(d) => o.w(d).map(drop),
            S::ImageImport { image, key } => {
                o.w(n(image))?;
                o.opt(kw::ENCRYPT, key.as_ref())
            }
            S::ImageCreate {
                image: made,
                server,
            }
            | S::ConfigCreate {
                config: made,
                server,
            } => o.w(n(made))?.w(kw::FROM_SERVER)?.w(n(server)).map(drop),
            S::ServerCreate {
                server,
                source,
                system_disk,
            } => {
                o.w(n(server))?;
                match source {
                    Some(Source::Image(i)) => o.opt(kw::IMAGE, Some(i))?,
                    Some(Source::Config(c)) => o.opt(kw::CONFIG, Some(c))?,
                    None => {}
                }
                o.opt(kw::SYSTEM_DISK, system_disk.as_ref())
            }
            S::DiskCreate { disk, from, key } => {
                o.w(n(disk))?;
                match from {
                    Some(DiskFrom::Snapshot(x)) => o.opt(kw::FROM_SNAPSHOT, Some(x))?,
                    Some(DiskFrom::Backup(x)) => o.opt(kw::FROM_BACKUP, Some(x))?,
                    None => {}
                }
                o.opt(kw::ENCRYPT, key.as_ref())
            }
            S::DiskEncrypt(d, k) => o.w(n(d))?.w(n(k)).map(drop),
            S::Attach {
                disk,
                server,
                system,
            } => {
                o.w(n(disk))?.w(n(server))?;
                if *system {
                    o.w(kw::AS)?.w(kw::SYSTEM)?;
                }
                Ok(())
            }
            S::SnapshotCreate {
                snapshot: copy,
                disk,
            }
            | S::BackupCreate { backup: copy, disk } => {
                o.w(n(copy))?.w(kw::DISK)?.w(n(disk)).map(drop)
            }
        }
    }
}

impl<N: AsRef<str>> fmt::Display for ExpectationOf<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ExpectationOf as E;
        let mut o = Words { f, first: true };
        o.w(kw::EXPECT)?;
        match self {
            E::Outcome(outcome, code) => {
                o.w(outcome)?;
                if let Some(c) = code {
                    o.w(c)?;
                }
                Ok(())
            }
            E::Encrypted(r, k) => o.w(r.as_ref())?.w(kw::ENCRYPTED)?.w(k.as_ref()).map(drop),
            E::Unencrypted(r) => o.w(r.as_ref())?.w(kw::UNENCRYPTED).map(drop),
            E::Attached(d, s) => o.w(d.as_ref())?.w(kw::ATTACHED)?.w(s.as_ref()).map(drop),
            E::Detached(d) => o.w(d.as_ref())?.w(kw::DETACHED).map(drop),
            E::Health(d, h) => o.w(d.as_ref())?.w(kw::HEALTH)?.w(h).map(drop),
            E::State(k, s) => o.w(k.as_ref())?.w(kw::STATE)?.w(s).map(drop),
            E::Count(n, kind) => o.w(kw::COUNT)?.w(n)?.w(kind).map(drop),
        }
    }
}

/// Parses one statement line (as a scenario would hold it: words separated by spaces or
/// tabs, an optional `# comment`). `title` and `expect` lines are not statements. Errors are
/// positioned on line 1; names get no "did you mean" (there is no scenario to look in).
impl FromStr for Statement {
    type Err = ParseError;

    fn from_str(line: &str) -> Result<Self, ParseError> {
        grammar::parse_one(line, grammar::statement_line)
    }
}

/// Parses one `expect` line.
impl FromStr for Expectation {
    type Err = ParseError;

    fn from_str(line: &str) -> Result<Self, ParseError> {
        grammar::parse_one(line, grammar::expectation_line)
    }
}

impl Statement {
    /// Parses one statement line: the same as [`str::parse`] (see the [`FromStr`] impl).
    pub fn parse(line: &str) -> Result<Statement, ParseError> {
        line.parse()
    }

    /// Whether the statement can be written in a scenario: its line parses back to it (names
    /// follow the name grammar, `wait` is within its range). The error says what is wrong.
    pub fn validate(&self) -> Result<(), ParseError> {
        let back: Statement = self.to_string().parse()?;
        if back == *self {
            Ok(())
        } else {
            Err(ParseError::new(
                1,
                1,
                super::errors::ParseErrorCode::SyntaxError,
                "a statement that can be written on one line",
                self.to_string(),
                None,
            ))
        }
    }
}
