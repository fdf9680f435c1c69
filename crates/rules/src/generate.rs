//! Deterministic scenario generators for benchmarks and property tests.

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

/// A realistic lifecycle workload of about `statements` statements: keys, encrypted disks,
/// snapshots, disks from snapshots, backups, and attach/detach cycles around key disable and
/// enable, with an expectation after most blocks. Every statement succeeds or warns.
pub fn workload(statements: usize) -> String {
    let mut s = String::with_capacity(statements * 28);
    s.push_str("title generated workload\nrole security-admin\nkms grant\n");
    let mut n = 2;
    let mut block = 0usize;
    while n < statements {
        let b = block;
        let k = format!("k{}", b % 1000);
        if b < 1000 {
            s.push_str(&format!("key create {k}\n"));
            n += 1;
        }
        s.push_str(&format!(
            "server create srv{b}\ndisk create d{b} encrypt {k}\nsnapshot create s{b} disk d{b}\n\
             disk create c{b} from-snapshot s{b}\nexpect c{b} encrypted {k}\nbackup create b{b} disk c{b}\n\
             attach d{b} srv{b}\nkey disable {k}\nexpect warn KEY_IN_USE\ndetach d{b}\n\
             expect d{b} health unattachable\nkey enable {k}\nattach d{b} srv{b}\nexpect ok\n"
        ));
        n += 10;
        block += 1;
    }
    s
}

const WORDS: &[&str] = &[
    "role security-admin",
    "role member",
    "kms grant",
    "key create K",
    "key disable K",
    "key enable K",
    "key schedule-deletion K 7",
    "key schedule-deletion K 3",
    "key cancel-deletion K",
    "wait 3",
    "wait 7",
    "image import I",
    "image import I encrypt K",
    "image create I from-server S",
    "server create S",
    "server create S image I",
    "server create S config C",
    "server create S system-disk D",
    "server stop S",
    "server start S",
    "server delete S",
    "disk create D",
    "disk create D encrypt K",
    "disk create D encrypt evs/default",
    "disk create D from-snapshot N",
    "disk create D from-backup B",
    "disk create D from-snapshot N encrypt K",
    "disk encrypt D K",
    "disk decrypt D",
    "disk delete D",
    "attach D S",
    "attach D S as system",
    "detach D",
    "snapshot create N disk D",
    "snapshot delete N",
    "backup create B disk D",
    "backup delete B",
    "config create C from-server S",
    "key disable evs/default",
    "key create x/default",
    "expect ok",
    "expect warn",
    "expect fail",
    "expect D health at-risk",
    "expect K state disabled",
    "expect count 2 disks",
    "expect D encrypted K",
];

/// A random mixture of every statement form over a small pool of names, so that names collide,
/// kinds mix up and every rule fires. Used by property tests and fuzzing.
pub fn random(seed: u64, statements: usize) -> String {
    let mut rng = Rng::new(seed);
    let pools: [(&str, &[&str]); 7] = [
        ("K", &["k1", "k2", "evs/default", "d1"]),
        ("I", &["i1", "i2"]),
        ("S", &["s1", "s2", "web"]),
        ("C", &["c1", "c2"]),
        ("D", &["d1", "d2", "s1-sys", "web-sys", "s2-data1"]),
        ("N", &["n1", "n2"]),
        ("B", &["b1", "b2"]),
    ];
    let mut out = String::new();
    for _ in 0..statements {
        let mut line = WORDS
            .get(rng.below(WORDS.len()))
            .copied()
            .unwrap_or_default()
            .to_owned();
        for (slot, names) in pools {
            while let Some(i) = find_slot(&line, slot) {
                let name = names.get(rng.below(names.len())).copied().unwrap_or("x");
                line.replace_range(i..i + 1, name);
            }
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The position of a one-letter placeholder standing as a whole word.
fn find_slot(line: &str, slot: &str) -> Option<usize> {
    line.split(' ')
        .scan(0usize, |pos, w| {
            let start = *pos;
            *pos += w.len() + 1;
            Some((start, w))
        })
        .find(|(_, w)| *w == slot)
        .map(|(i, _)| i)
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
