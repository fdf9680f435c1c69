//! Resource names: the grammar of SPEC §1, an interner (so the evaluator works on integers)
//! and the one generator of fresh names.

use crate::model::Kind;

/// An interned name. Ids are never reused within one [`Interner`].
pub type NameId = u32;

/// The longest name the grammar allows.
pub const MAX_NAME_LEN: usize = 64;

/// `[A-Za-z0-9][A-Za-z0-9._/-]{0,63}`.
pub fn is_valid_name(word: &str) -> bool {
    let b = word.as_bytes();
    match b.split_first() {
        Some((first, rest)) => {
            b.len() <= MAX_NAME_LEN
                && first.is_ascii_alphanumeric()
                && rest
                    .iter()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'/' | b'-'))
        }
        None => false,
    }
}

/// Names ending in `/default` are reserved for default keys.
pub fn is_reserved(name: &str) -> bool {
    name.ends_with("/default")
}

/// The one default key of SPEC §1.
pub const DEFAULT_KEY: &str = "evs/default";

/// Maps names to small integers and back. Names live in one arena string, so interning
/// allocates nothing per name.
#[derive(Debug, Clone, Default)]
pub struct Interner {
    arena: String,
    spans: Vec<(u32, u32)>,
    table: hashbrown::HashTable<NameId>,
}

fn hash(name: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(name)
}

impl Interner {
    pub fn intern(&mut self, name: &str) -> NameId {
        let h = hash(name);
        let Interner {
            arena,
            spans,
            table,
        } = self;
        let get = |id: NameId| -> &str {
            spans
                .get(id as usize)
                .and_then(|&(s, l)| arena.get(s as usize..(s + l) as usize))
                .unwrap_or("")
        };
        if let Some(&id) = table.find(h, |&id| get(id) == name) {
            return id;
        }
        let id = NameId::try_from(spans.len()).unwrap_or(NameId::MAX);
        let start = u32::try_from(arena.len()).unwrap_or(u32::MAX);
        let len = u32::try_from(name.len()).unwrap_or(0);
        arena.push_str(name);
        spans.push((start, len));
        let (arena, spans) = (&*arena, &*spans);
        table.insert_unique(h, id, |&id| {
            hash(
                spans
                    .get(id as usize)
                    .and_then(|&(s, l)| arena.get(s as usize..(s + l) as usize))
                    .unwrap_or(""),
            )
        });
        id
    }

    pub fn get(&self, name: &str) -> Option<NameId> {
        self.table
            .find(hash(name), |&id| self.name(id) == name)
            .copied()
    }

    /// The name of an id; ids come only from this interner, so an unknown id yields `""`.
    pub fn name(&self, id: NameId) -> &str {
        self.spans
            .get(id as usize)
            .and_then(|&(s, l)| self.arena.get(s as usize..(s + l) as usize))
            .unwrap_or("")
    }

    /// How many names there are.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Every interned name, most recent last.
    pub fn names(&self) -> impl DoubleEndedIterator<Item = &str> {
        (0..self.spans.len()).map(|i| self.name(i as NameId))
    }
}

/// The Levenshtein distance between `a` and `b` if it is at most `max`, computed on chars.
// Indices stay within the two rows, which both have `b.len() + 1` cells.
#[allow(clippy::indexing_slicing)]
pub fn distance_within(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        let mut row_min = cur[0];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
            row_min = row_min.min(cur[j + 1]);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[b.len()];
    (d <= max).then_some(d)
}

/// How far a word may be from a candidate to be offered as "did you mean".
pub fn typo_budget(word: &str) -> usize {
    match word.chars().count() {
        0..=3 => 1,
        4..=7 => 2,
        _ => 3,
    }
}

/// The candidate nearest to `word` within the typo budget (ties: the first candidate).
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    if word.len() > MAX_NAME_LEN + 4 {
        return None;
    }
    let max = typo_budget(word);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c == word {
            continue;
        }
        if let Some(d) = distance_within(word, c, max) {
            if best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, c));
            }
        }
    }
    best.map(|(_, c)| c)
}

/// The name `server create` gives a server's system disk when `system-disk` does not (SPEC §2).
pub fn system_disk_name(server: &str) -> String {
    format!("{server}-sys")
}

/// The name `server create … config C` gives the server's `i`-th data disk (1-based).
pub fn data_disk_name(server: &str, i: usize) -> String {
    format!("{server}-data{i}")
}

/// How [`fresh_name`] numbers its candidates when the base itself will not do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Numbering {
    /// `base1`, `base2`, … (never the bare base): `k1`, `d1-snap1`.
    Counted,
    /// `base`, then `base2`, `base3`, …: `web`, `web2`.
    BareThenCounted,
    /// `base`, then `base-2`, `base-3`, … with the base shortened so every candidate fits the
    /// name grammar: names kept from elsewhere (imported cloud names).
    BareThenDashed,
}

/// What a fresh name is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NewResource {
    /// A key, image, disk, snapshot, backup or config: only its own name must be free.
    Resource(Kind),
    /// A server: `server create` also names its system disk `<server>-sys` and, launched from
    /// a config with `data_disks` data disks, `<server>-data1` … `<server>-dataN`; all must be
    /// free, or the statement fails `NAME_TAKEN`.
    Server { data_disks: usize },
}

impl NewResource {
    /// The names besides `name` itself that creating it takes.
    fn also_takes(self, name: &str) -> impl Iterator<Item = String> + '_ {
        let data = match self {
            NewResource::Server { data_disks } => data_disks,
            NewResource::Resource(_) => 0,
        };
        let server = matches!(self, NewResource::Server { .. });
        server
            .then(|| system_disk_name(name))
            .into_iter()
            .chain((1..=data).map(move |i| data_disk_name(name, i)))
    }
}

/// A valid name built from `base` that can be created without `RESERVED_NAME` or
/// `NAME_TAKEN`: neither it nor any name its creation takes (a server's `-sys` and `-dataN`
/// disks) is `taken`. The one generator the builder, the board's quick actions and the
/// importer share, so they never propose a statement that fails on its names.
///
/// `taken` says whether a name is in use (see [`crate::StateView::names`]). Returns `base`
/// itself only when no candidate is free (about four billion tries).
pub fn fresh_name(
    base: &str,
    new: NewResource,
    numbering: Numbering,
    taken: impl Fn(&str) -> bool,
) -> String {
    fresh_name_from(base, new, numbering, 0, taken).0
}

/// Like [`fresh_name`], trying numbers from `from` on (0: from the numbering's start), and
/// returning the next number to try: a caller that names many resources alike passes it back
/// and stays linear.
pub fn fresh_name_from(
    base: &str,
    new: NewResource,
    numbering: Numbering,
    from: u32,
    taken: impl Fn(&str) -> bool,
) -> (String, u32) {
    let free = |candidate: &str| {
        is_valid_name(candidate)
            && !is_reserved(candidate)
            && !taken(candidate)
            && new.also_takes(candidate).all(|n| !taken(&n))
    };
    let bare = !matches!(numbering, Numbering::Counted);
    if bare && from <= 1 && free(base) {
        return (base.to_owned(), 2);
    }
    let start = match numbering {
        Numbering::Counted => from.max(1),
        _ => from.max(2),
    };
    for n in start..u32::MAX {
        let candidate = match numbering {
            Numbering::BareThenDashed => {
                let suffix = format!("-{n}");
                let mut stem = base.to_owned();
                let keep = MAX_NAME_LEN.saturating_sub(suffix.len()).min(stem.len());
                // Names are ASCII when valid; a non-ASCII base is cut at a char boundary.
                let keep = (0..=keep)
                    .rev()
                    .find(|&i| stem.is_char_boundary(i))
                    .unwrap_or(0);
                stem.truncate(keep);
                stem + &suffix
            }
            _ => format!("{base}{n}"),
        };
        if free(&candidate) {
            return (candidate, n.saturating_add(1));
        }
    }
    (base.to_owned(), u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_grammar() {
        for ok in ["d1", "a", "evs/default", "A.b_c-d/e", &"x".repeat(64)] {
            assert!(is_valid_name(ok), "{ok}");
        }
        for bad in [
            "",
            "-a",
            ".a",
            "/a",
            "a b",
            "d1!",
            "é",
            &"x".repeat(65),
            "<script>",
        ] {
            assert!(!is_valid_name(bad), "{bad}");
        }
    }

    #[test]
    fn interner_round_trips() {
        let mut i = Interner::default();
        let a = i.intern("a");
        let b = i.intern("b");
        assert_ne!(a, b);
        assert_eq!(i.intern("a"), a);
        assert_eq!(i.name(b), "b");
        assert_eq!(i.get("c"), None);
        assert_eq!(i.name(99), "");
    }

    #[test]
    fn distances() {
        assert_eq!(distance_within("disk", "dsk", 2), Some(1));
        assert_eq!(distance_within("kitten", "sitting", 3), Some(3));
        assert_eq!(distance_within("kitten", "sitting", 2), None);
        assert_eq!(nearest("creat", ["create", "delete"]), Some("create"));
        assert_eq!(nearest("zzzzzz", ["create", "delete"]), None);
    }

    #[test]
    fn fresh_names_number_as_asked_and_keep_a_servers_disks_free() {
        let used = [
            "d1",
            "web",
            "web2-sys",
            "srv1-sys",
            "db",
            "db-2",
            "x/default",
        ];
        let taken = |n: &str| used.contains(&n);
        let disk = NewResource::Resource(Kind::Disks);
        let server = NewResource::Server { data_disks: 0 };
        assert_eq!(fresh_name("d", disk, Numbering::Counted, taken), "d2");
        assert_eq!(
            fresh_name("web", server, Numbering::BareThenCounted, taken),
            "web3"
        );
        assert_eq!(
            fresh_name("api", server, Numbering::BareThenCounted, taken),
            "api"
        );
        // The board's quick action used to propose srv1, whose system disk name is taken.
        assert_eq!(fresh_name("srv", server, Numbering::Counted, taken), "srv2");
        let from_config = NewResource::Server { data_disks: 2 };
        let taken2 = |n: &str| n == "app-data2";
        assert_eq!(
            fresh_name("app", from_config, Numbering::BareThenCounted, taken2),
            "app2"
        );
        assert_eq!(
            fresh_name("db", disk, Numbering::BareThenDashed, taken),
            "db-3"
        );
        let (n, next) = fresh_name_from("db", disk, Numbering::BareThenDashed, 0, taken);
        assert_eq!((n.as_str(), next), ("db-3", 4));
        assert_eq!(
            fresh_name("x/default", disk, Numbering::BareThenDashed, taken),
            "x/default-2"
        );
        let long = "a".repeat(64);
        let taken3 = |n: &str| n == long;
        let n = fresh_name(&long, disk, Numbering::BareThenDashed, taken3);
        assert_eq!(n.len(), 64);
        assert!(n.ends_with("-2") && is_valid_name(&n));
    }
}
