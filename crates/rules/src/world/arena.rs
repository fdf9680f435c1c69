//! Typed indices and the two containers the [`World`](super::World) keeps its resources in.
//!
//! An [`Idx<T>`] names a slot of the container of `T`s, so a disk index cannot be passed where
//! a server index is expected: mixing them is a compile error, not a wrong lookup. The idea is
//! rust-analyzer's `la-arena`; that crate is not used because its containers cannot remove an
//! element (deleted disks, servers and copies leave an empty slot here, never reused) and its
//! `Index` impl panics on a stale index (the engine never panics: every access is a `get`).

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;

/// The index of a `T` in an [`Arena<T>`] or a [`Slab<T>`]: a `u32`, typed.
///
/// `Copy`, `Eq`, `Ord`, `Hash` and `Debug` are written by hand so that they hold for every `T`
/// (a derive would require `T` itself to implement them). `fn() -> T` keeps `Idx<T>` `Send`,
/// `Sync` and covariant whatever `T` is, and says it owns no `T`.
pub struct Idx<T> {
    raw: u32,
    of: PhantomData<fn() -> T>,
}

impl<T> Idx<T> {
    /// Only the containers make indices, so an index always came from one of them.
    const fn new(raw: u32) -> Self {
        Idx {
            raw,
            of: PhantomData,
        }
    }

    /// The slot as a `usize`, for the containers' `Vec`.
    const fn slot(self) -> usize {
        self.raw as usize
    }
}

impl<T> Clone for Idx<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Idx<T> {}

impl<T> PartialEq for Idx<T> {
    fn eq(&self, other: &Self) -> bool {
        self.raw == other.raw
    }
}

impl<T> Eq for Idx<T> {}

impl<T> PartialOrd for Idx<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Creation order: indices are handed out in increasing order.
impl<T> Ord for Idx<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.raw.cmp(&other.raw)
    }
}

impl<T> Hash for Idx<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.raw.hash(state);
    }
}

impl<T> fmt::Debug for Idx<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = std::any::type_name::<T>();
        let short = name.rsplit("::").next().unwrap_or(name);
        write!(f, "Idx<{short}>({})", self.raw)
    }
}

/// The index the next element pushed onto a `Vec` of `len` elements gets. A scenario never
/// holds 4 billion resources (it would not fit in memory first); saturating keeps this total.
fn next_index<T>(len: usize) -> Idx<T> {
    Idx::new(u32::try_from(len).unwrap_or(u32::MAX))
}

/// An append-only container: elements are never removed (keys, provenance links).
#[derive(Debug, Clone)]
pub struct Arena<T> {
    items: Vec<T>,
}

impl<T> Default for Arena<T> {
    fn default() -> Self {
        Arena { items: Vec::new() }
    }
}

impl<T> Arena<T> {
    pub fn push(&mut self, item: T) -> Idx<T> {
        let ix = next_index(self.items.len());
        self.items.push(item);
        ix
    }

    pub fn get(&self, ix: Idx<T>) -> Option<&T> {
        self.items.get(ix.slot())
    }

    pub fn get_mut(&mut self, ix: Idx<T>) -> Option<&mut T> {
        self.items.get_mut(ix.slot())
    }

    /// Every element with its index, in creation order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (Idx<T>, &T)> + DoubleEndedIterator + '_ {
        self.items
            .iter()
            .enumerate()
            .map(|(i, item)| (next_index(i), item))
    }
}

/// A container whose elements can be removed; a removed slot stays empty and its index is
/// never reused, so a stale index finds nothing rather than another resource.
#[derive(Debug, Clone)]
pub struct Slab<T> {
    slots: Vec<Option<T>>,
}

impl<T> Default for Slab<T> {
    fn default() -> Self {
        Slab { slots: Vec::new() }
    }
}

impl<T> Slab<T> {
    pub fn push(&mut self, item: T) -> Idx<T> {
        let ix = next_index(self.slots.len());
        self.slots.push(Some(item));
        ix
    }

    pub fn get(&self, ix: Idx<T>) -> Option<&T> {
        self.slots.get(ix.slot()).and_then(Option::as_ref)
    }

    pub fn get_mut(&mut self, ix: Idx<T>) -> Option<&mut T> {
        self.slots.get_mut(ix.slot()).and_then(Option::as_mut)
    }

    /// Takes an element out; its slot stays empty.
    pub fn remove(&mut self, ix: Idx<T>) -> Option<T> {
        self.slots.get_mut(ix.slot()).and_then(Option::take)
    }

    /// Every live element with its index, in creation order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (Idx<T>, &T)> + '_ {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(i, slot)| Some((next_index(i), slot.as_ref()?)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_removed_slot_is_never_reused() {
        let mut slab = Slab::default();
        let a = slab.push("a");
        assert_eq!(slab.remove(a), Some("a"));
        let b = slab.push("b");
        assert_ne!(a, b);
        assert_eq!(slab.get(a), None);
        assert_eq!(slab.get(b), Some(&"b"));
        assert_eq!(slab.iter().collect::<Vec<_>>(), vec![(b, &"b")]);
    }

    #[test]
    fn indices_are_ordered_by_creation_and_print_their_type() {
        let mut arena = Arena::default();
        let first = arena.push(1u8);
        let second = arena.push(2u8);
        assert!(first < second);
        assert_eq!(format!("{second:?}"), "Idx<u8>(1)");
        assert_eq!(arena.get(second), Some(&2));
        assert_eq!(arena.iter().len(), 2);
    }
}
