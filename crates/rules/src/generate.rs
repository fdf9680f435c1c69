//! Deterministic scenario generators for benchmarks and property tests. They build
//! [`Statement`] and [`Expectation`] values and print them: no statement text is spelled here.

use crate::codes::{Code, Outcome};
use crate::model::{Health, KeyState, Kind, Role};
use crate::names::DEFAULT_KEY;
use crate::syntax::grammar;
use crate::syntax::{DiskFrom, Expectation, Source, Statement};
use std::fmt::{self, Write as _};

/// A small deterministic PRNG (xorshift64*), so generated scenarios are reproducible.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }
}

/// One generated line: a statement or an expectation, printed by its `Display`.
enum Line {
    S(Statement),
    E(Expectation),
}

impl fmt::Display for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Line::S(s) => s.fmt(f),
            Line::E(e) => e.fmt(f),
        }
    }
}

/// Appends lines to a scenario text.
#[derive(Default)]
struct Text(String);

impl Text {
    fn push(&mut self, line: impl fmt::Display) {
        // Writing to a String cannot fail.
        let _ = writeln!(self.0, "{line}");
    }
}

/// A realistic lifecycle workload of about `statements` statements: keys, encrypted disks,
/// snapshots, disks from snapshots, backups, and attach/detach cycles around key disable and
/// enable, with an expectation after most blocks. Every statement succeeds or warns.
pub fn workload(statements: usize) -> String {
    use Statement as S;
    let mut t = Text(String::with_capacity(statements * 28));
    t.push(grammar::title_line("generated workload"));
    t.push(S::Role(Role::SecurityAdmin));
    t.push(S::KmsGrant);
    let mut n = 2;
    let mut block = 0usize;
    while n < statements {
        let b = block;
        let k = format!("k{}", b % 1000);
        if b < 1000 {
            t.push(S::KeyCreate(k.clone()));
            n += 1;
        }
        let (srv, d, s, c, bk) = (
            format!("srv{b}"),
            format!("d{b}"),
            format!("s{b}"),
            format!("c{b}"),
            format!("b{b}"),
        );
        let attach = S::Attach {
            disk: d.clone(),
            server: srv.clone(),
            system: false,
        };
        t.push(S::ServerCreate {
            server: srv.clone(),
            source: None,
            system_disk: None,
        });
        t.push(S::DiskCreate {
            disk: d.clone(),
            from: None,
            key: Some(k.clone()),
        });
        t.push(S::SnapshotCreate {
            snapshot: s.clone(),
            disk: d.clone(),
        });
        t.push(S::DiskCreate {
            disk: c.clone(),
            from: Some(DiskFrom::Snapshot(s)),
            key: None,
        });
        t.push(Expectation::Encrypted(c.clone(), k.clone()));
        t.push(S::BackupCreate {
            backup: bk,
            disk: c,
        });
        t.push(&attach);
        t.push(S::KeyDisable(k.clone()));
        t.push(Expectation::Outcome(Outcome::Warn, Some(Code::KEY_IN_USE)));
        t.push(S::Detach(d.clone()));
        t.push(Expectation::Health(d, Health::Unattachable));
        t.push(S::KeyEnable(k));
        t.push(&attach);
        t.push(Expectation::Outcome(Outcome::Ok, None));
        n += 10;
        block += 1;
    }
    t.0
}

/// Draws names from small pools, so that names collide and kinds mix up.
struct Pools<'r> {
    rng: &'r mut Rng,
}

impl Pools<'_> {
    fn pick(&mut self, names: &[&str]) -> String {
        names
            .get(self.rng.below(names.len()))
            .copied()
            .unwrap_or("x")
            .to_owned()
    }
    fn k(&mut self) -> String {
        self.pick(&["k1", "k2", DEFAULT_KEY, "d1"])
    }
    fn i(&mut self) -> String {
        self.pick(&["i1", "i2"])
    }
    fn s(&mut self) -> String {
        self.pick(&["s1", "s2", "web"])
    }
    fn c(&mut self) -> String {
        self.pick(&["c1", "c2"])
    }
    fn d(&mut self) -> String {
        self.pick(&["d1", "d2", "s1-sys", "web-sys", "s2-data1"])
    }
    fn n(&mut self) -> String {
        self.pick(&["n1", "n2"])
    }
    fn b(&mut self) -> String {
        self.pick(&["b1", "b2"])
    }
}

/// One line form of [`random`]. Each draws its names in the pools' order (keys, images,
/// servers, configs, disks, snapshots, backups), so a seed always gives the same text.
type Form = fn(&mut Pools<'_>) -> Line;

fn st(s: Statement) -> Line {
    Line::S(s)
}

fn server(server: String, source: Option<Source>, system_disk: Option<String>) -> Line {
    st(Statement::ServerCreate {
        server,
        source,
        system_disk,
    })
}

fn disk(disk: String, from: Option<DiskFrom>, key: Option<String>) -> Line {
    st(Statement::DiskCreate { disk, from, key })
}

const FORMS: &[Form] = &[
    |_| st(Statement::Role(Role::SecurityAdmin)),
    |_| st(Statement::Role(Role::Member)),
    |_| st(Statement::KmsGrant),
    |p| st(Statement::KeyCreate(p.k())),
    |p| st(Statement::KeyDisable(p.k())),
    |p| st(Statement::KeyEnable(p.k())),
    |p| st(Statement::KeyScheduleDeletion(p.k(), 7)),
    |p| st(Statement::KeyScheduleDeletion(p.k(), 3)),
    |p| st(Statement::KeyCancelDeletion(p.k())),
    |_| st(Statement::Wait(3)),
    |_| st(Statement::Wait(7)),
    |p| {
        st(Statement::ImageImport {
            image: p.i(),
            key: None,
        })
    },
    |p| {
        let key = Some(p.k());
        st(Statement::ImageImport { image: p.i(), key })
    },
    |p| {
        let image = p.i();
        st(Statement::ImageCreate {
            image,
            server: p.s(),
        })
    },
    |p| server(p.s(), None, None),
    |p| {
        let i = p.i();
        server(p.s(), Some(Source::Image(i)), None)
    },
    |p| {
        let s = p.s();
        server(s, Some(Source::Config(p.c())), None)
    },
    |p| {
        let s = p.s();
        server(s, None, Some(p.d()))
    },
    |p| st(Statement::ServerStop(p.s())),
    |p| st(Statement::ServerStart(p.s())),
    |p| st(Statement::ServerDelete(p.s())),
    |p| disk(p.d(), None, None),
    |p| {
        let k = p.k();
        disk(p.d(), None, Some(k))
    },
    |p| disk(p.d(), None, Some(DEFAULT_KEY.to_owned())),
    |p| {
        let d = p.d();
        disk(d, Some(DiskFrom::Snapshot(p.n())), None)
    },
    |p| {
        let d = p.d();
        disk(d, Some(DiskFrom::Backup(p.b())), None)
    },
    |p| {
        let k = p.k();
        let d = p.d();
        disk(d, Some(DiskFrom::Snapshot(p.n())), Some(k))
    },
    |p| {
        let k = p.k();
        st(Statement::DiskEncrypt(p.d(), k))
    },
    |p| st(Statement::DiskDecrypt(p.d())),
    |p| st(Statement::DiskDelete(p.d())),
    |p| {
        let server = p.s();
        st(Statement::Attach {
            disk: p.d(),
            server,
            system: false,
        })
    },
    |p| {
        let server = p.s();
        st(Statement::Attach {
            disk: p.d(),
            server,
            system: true,
        })
    },
    |p| st(Statement::Detach(p.d())),
    |p| {
        let disk = p.d();
        st(Statement::SnapshotCreate {
            snapshot: p.n(),
            disk,
        })
    },
    |p| st(Statement::SnapshotDelete(p.n())),
    |p| {
        let disk = p.d();
        st(Statement::BackupCreate {
            backup: p.b(),
            disk,
        })
    },
    |p| st(Statement::BackupDelete(p.b())),
    |p| {
        let server = p.s();
        st(Statement::ConfigCreate {
            config: p.c(),
            server,
        })
    },
    |_| st(Statement::KeyDisable(DEFAULT_KEY.to_owned())),
    |_| st(Statement::KeyCreate("x/default".to_owned())),
    |_| Line::E(Expectation::Outcome(Outcome::Ok, None)),
    |_| Line::E(Expectation::Outcome(Outcome::Warn, None)),
    |_| Line::E(Expectation::Outcome(Outcome::Fail, None)),
    |p| Line::E(Expectation::Health(p.d(), Health::AtRisk)),
    |p| Line::E(Expectation::State(p.k(), KeyState::Disabled)),
    |_| Line::E(Expectation::Count(2, Kind::Disks)),
    |p| {
        let k = p.k();
        Line::E(Expectation::Encrypted(p.d(), k))
    },
];

/// A random mixture of every statement form over a small pool of names, so that names collide,
/// kinds mix up and every rule fires. Used by property tests and fuzzing.
pub fn random(seed: u64, statements: usize) -> String {
    let mut rng = Rng::new(seed);
    let mut t = Text::default();
    for _ in 0..statements {
        let form = FORMS.get(rng.below(FORMS.len())).copied();
        if let Some(form) = form {
            t.push(form(&mut Pools { rng: &mut rng }));
        }
    }
    t.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{evaluate, Outcome};

    #[test]
    fn workload_has_the_size_asked_and_never_fails() {
        let text = workload(2_000);
        let r = evaluate(&text);
        assert!(r.errors.is_empty(), "{:?}", r.errors.first());
        assert!(
            r.steps.len() >= 2_000 && r.steps.len() < 2_020,
            "{}",
            r.steps.len()
        );
        assert!(r.steps.iter().all(|s| s.outcome != Outcome::Fail));
        assert_eq!(r.summary.failed, 0);
    }

    #[test]
    fn random_is_deterministic_and_parses() {
        assert_eq!(random(7, 200), random(7, 200));
        assert_ne!(random(7, 200), random(8, 200));
        let r = evaluate(&random(7, 500));
        // Only EXPECT_WITHOUT_STATEMENT can occur (an expect drawn first).
        assert!(r.errors.iter().all(|e| e.line == 1));
    }
}
