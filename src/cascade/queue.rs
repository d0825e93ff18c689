//! The liquidation queue: a max-heap of account indices keyed by liquidation price, kept in a
//! caller-provided scratch slice.
//!
//! An account is liquidatable at oracle price `p` only if `p ≤ key` (the key is the closed-form
//! liquidation price rounded up, [`liquidation_price`](crate::account::liquidation_price)), so
//! the liquidatable accounts are always a prefix of the heap's order: popping while
//! `key ≥ threshold` finds every candidate in `O(k log N)` without scanning the book. Popped
//! slots move to the tail of the slice (as in heapsort) and are pushed back after the block,
//! so the queue needs no memory beyond one [`Slot`] per account.

use crate::{Error, Result, Wad};

/// One entry of the queue: an account index and its key.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Slot {
    /// The account's liquidation price (an upper bound of any price at which it is
    /// liquidatable): `Wad::MAX` when it is liquidatable at every price, 0 at none.
    pub key: Wad,
    /// The account's index in the venue's accounts.
    pub index: u32,
    /// `key −` a price at or below which the account is surely liquidatable, in units of
    /// 1e-18; `u64::MAX` when no such price is known. It fills the slot's padding.
    sure_gap: u64,
}

impl Slot {
    /// The slot of account `index` with the keys `keys`.
    pub(super) fn new(index: u32, keys: Keys) -> Self {
        let mut slot = Self {
            key: Wad::ZERO,
            index,
            sure_gap: u64::MAX,
        };
        slot.set(keys);
        slot
    }

    /// Gives the slot new keys (its account changed).
    pub(super) fn set(&mut self, keys: Keys) {
        self.key = keys.key;
        self.sure_gap = keys
            .sure
            .and_then(|sure| keys.key.raw().checked_sub(sure.raw()))
            .and_then(|gap| u64::try_from(gap).ok())
            .filter(|&gap| gap != u64::MAX)
            .unwrap_or(u64::MAX);
    }

    /// Whether the account is surely liquidatable at `price` (without asking the kernel):
    /// `price` is at or below the sure price its keys gave. `false` says nothing.
    pub(super) fn surely_liquidatable(&self, price: Wad) -> bool {
        self.sure_gap != u64::MAX
            && self
                .key
                .raw()
                .checked_sub(i128::from(self.sure_gap))
                .is_some_and(|sure| price.raw() <= sure)
    }
}

/// An account's place in the queue: its key, and a price at or below which it is surely
/// liquidatable, when one is known (see [`keys`](super::venue::keys)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Keys {
    /// The key: a price at or above every price at which the account is liquidatable.
    pub key: Wad,
    /// A price at or below which it surely is.
    pub sure: Option<Wad>,
}

/// Swaps two slots; out-of-range indices (which the queue never makes) change nothing. Unlike
/// `<[T]>::swap`, it has no panic path.
pub(super) fn swap(slots: &mut [Slot], i: usize, j: usize) {
    if let (Some(&a), Some(&b)) = (slots.get(i), slots.get(j)) {
        if let Some(x) = slots.get_mut(i) {
            *x = b;
        }
        if let Some(y) = slots.get_mut(j) {
            *y = a;
        }
    }
}

/// Whether `a` is served before `b`: the larger key first, then the lower index.
pub(super) fn first(a: &Slot, b: &Slot) -> bool {
    a.key > b.key || (a.key == b.key && a.index < b.index)
}

/// A binary max-heap over `slots[..len]`, ordered by key and then by index (the lower index
/// first on a tie, so the order is total and every implementation pops in the same order);
/// `slots[len..held]` are popped slots waiting to be pushed back, the last popped first.
#[derive(Debug)]
pub(super) struct Queue<'a> {
    slots: &'a mut [Slot],
    len: usize,
    held: usize,
}

impl<'a> Queue<'a> {
    /// A queue over the first `n` slots of `scratch`, filled by `key(i)` for every index and
    /// heapified in `O(n)`.
    ///
    /// Errors: [`Error::Invalid`] naming `queue` when `scratch` has fewer than `n` slots or
    /// `n` does not fit a `u32`; what `key` returns.
    pub(super) fn build(
        scratch: &'a mut [Slot],
        n: usize,
        mut keys: impl FnMut(usize) -> Result<Keys>,
    ) -> Result<Self> {
        if u32::try_from(n).is_err() {
            return Err(Error::invalid("accounts", "more accounts than a u32 counts"));
        }
        let slots = scratch.get_mut(..n).ok_or(Error::invalid(
            "queue",
            "the scratch slice is shorter than the accounts",
        ))?;
        for (i, slot) in slots.iter_mut().enumerate() {
            let index = u32::try_from(i).map_err(|_| Error::invalid("accounts", "more accounts than a u32 counts"))?;
            *slot = Slot::new(index, keys(i)?);
        }
        let mut q = Self { slots, len: n, held: n };
        for i in (0..n / 2).rev() {
            q.sift_down(i);
        }
        Ok(q)
    }

    /// The largest key still in the heap.
    pub(super) fn top(&self) -> Option<Slot> {
        if self.len == 0 {
            None
        } else {
            self.slots.first().copied()
        }
    }

    /// Pops every slot whose key is `≥ threshold`, largest first, into the held region, and
    /// returns how many.
    pub(super) fn pop_at_least(&mut self, threshold: Wad) -> usize {
        let mut n = 0usize;
        while self.pop_one_at_least(threshold) {
            n = n.saturating_add(1);
        }
        n
    }

    /// Pops the top slot into the held region if its key is `≥ threshold`.
    pub(super) fn pop_one_at_least(&mut self, threshold: Wad) -> bool {
        match self.top() {
            Some(top) if top.key >= threshold => {
                self.len = self.len.saturating_sub(1);
                swap(self.slots, 0, self.len);
                self.sift_down(0);
                true
            }
            _ => false,
        }
    }

    /// How many slots are held (popped and not yet pushed back).
    pub(super) fn held_count(&self) -> usize {
        self.held.saturating_sub(self.len)
    }

    /// The `k`-th slot popped since the last [`restore`](Self::restore) (0 is the first).
    pub(super) fn held_slot(&mut self, k: usize) -> Option<&mut Slot> {
        let i = self.held.checked_sub(k)?.checked_sub(1)?;
        if i < self.len {
            return None;
        }
        self.slots.get_mut(i)
    }

    /// Calls `f` on every slot still in the heap whose key is `≥ threshold`, in `O(k)` for
    /// the `k` it visits: they form a subtree at the root, walked depth first without a stack
    /// (an implicit tree knows its parent and its siblings).
    pub(super) fn visit_at_least(&self, threshold: Wad, mut f: impl FnMut(&Slot) -> Result<()>) -> Result<()> {
        let qualifies = |i: usize| i < self.len && self.slots.get(i).is_some_and(|s| s.key >= threshold);
        if !qualifies(0) {
            return Ok(());
        }
        let mut i = 0usize;
        loop {
            if let Some(slot) = self.slots.get(i) {
                f(slot)?;
            }
            let left = i.saturating_mul(2).saturating_add(1);
            if qualifies(left) {
                i = left;
                continue;
            }
            // The left subtree is done (it does not qualify, or it is empty), but the right
            // child may still qualify: a heap does not order siblings. Climb from the left
            // child until a left child has a qualifying right sibling.
            i = left;
            loop {
                if i == 0 {
                    return Ok(());
                }
                if i % 2 == 1 && qualifies(i.saturating_add(1)) {
                    i = i.saturating_add(1);
                    break;
                }
                i = i.saturating_sub(1) / 2;
            }
        }
    }

    /// Pushes every held slot back into the heap (with whatever keys they now carry).
    pub(super) fn restore(&mut self) {
        while self.len < self.held {
            let i = self.len;
            self.len = self.len.saturating_add(1);
            self.sift_up(i);
        }
    }

    /// Whether slot `i` comes before slot `j`.
    fn before(&self, i: usize, j: usize) -> bool {
        match (self.slots.get(i), self.slots.get(j)) {
            (Some(a), Some(b)) => first(a, b),
            _ => false,
        }
    }

    fn sift_down(&mut self, mut i: usize) {
        loop {
            let l = i.saturating_mul(2).saturating_add(1);
            if l >= self.len {
                return;
            }
            let r = l.saturating_add(1);
            let child = if r < self.len && self.before(r, l) { r } else { l };
            if !self.before(child, i) {
                return;
            }
            swap(self.slots, i, child);
            i = child;
        }
    }

    fn sift_up(&mut self, mut i: usize) {
        while i > 0 {
            let parent = i.saturating_sub(1) / 2;
            if !self.before(i, parent) {
                return;
            }
            swap(self.slots, i, parent);
            i = parent;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(n: i64) -> Wad {
        Wad::from_i64(n)
    }

    fn units(x: Wad) -> i64 {
        (x.raw() / Wad::SCALE) as i64
    }

    #[test]
    fn pops_every_key_at_least_the_threshold_in_order_and_restores() {
        let keys = [5, 1, 9, 3, 7, 7, 2];
        let mut scratch = [Slot::default(); 8];
        let mut q = Queue::build(&mut scratch, keys.len(), |i| {
            Ok(Keys {
                key: w(keys[i]),
                sure: None,
            })
        })
        .unwrap();
        assert_eq!(q.pop_at_least(w(5)), 4);
        let popped: [i64; 4] = core::array::from_fn(|k| units(q.held_slot(k).unwrap().key));
        assert_eq!(popped, [9, 7, 7, 5]);
        assert_eq!(q.top().unwrap().key, w(3));
        // What is still in the heap at or above 2: 3 and 2, visited without popping.
        let mut seen = [0i64; 2];
        let mut n = 0;
        q.visit_at_least(w(2), |s| {
            seen[n] = units(s.key);
            n += 1;
            Ok(())
        })
        .unwrap();
        seen.sort_unstable();
        assert_eq!((n, seen), (2, [2, 3]));
        // Lower one key (a liquidation made the account healthier) and push everything back.
        q.held_slot(0).unwrap().key = w(0);
        q.restore();
        assert_eq!(q.pop_at_least(w(1)), 6);
        let order: [i64; 6] = core::array::from_fn(|k| units(q.held_slot(k).unwrap().key));
        assert_eq!(order, [7, 7, 5, 3, 2, 1]);
        q.restore();
        assert_eq!((q.len, q.held_count()), (7, 0));
    }

    #[test]
    fn visits_a_qualifying_right_child_under_a_left_child_that_does_not_qualify() {
        // The heap [9, 1, 8]: the root's left child 1 is below the threshold 5, its right child
        // 8 is not; both 9 and 8 are visited.
        let keys = [9, 1, 8];
        let mut scratch = [Slot::default(); 3];
        let q = Queue::build(&mut scratch, keys.len(), |i| {
            Ok(Keys {
                key: w(keys[i]),
                sure: None,
            })
        })
        .unwrap();
        let mut seen = [0i64; 3];
        let mut n = 0;
        q.visit_at_least(w(5), |s| {
            seen[n] = units(s.key);
            n += 1;
            Ok(())
        })
        .unwrap();
        assert_eq!((n, seen), (2, [9, 8, 0]));
    }

    #[test]
    fn visits_exactly_the_keys_at_least_the_threshold() {
        // Every threshold over a 40-slot heap of scrambled keys: the visit finds exactly the
        // slots whose key is at least the threshold, each once.
        let keys: [i64; 40] = core::array::from_fn(|i| ((i as i64) * 37 + 11) % 23);
        let mut scratch = [Slot::default(); 40];
        let q = Queue::build(&mut scratch, keys.len(), |i| {
            Ok(Keys {
                key: w(keys[i]),
                sure: None,
            })
        })
        .unwrap();
        for t in 0..25 {
            let mut seen = [0u32; 40];
            q.visit_at_least(w(t), |s| {
                seen[s.index as usize] += 1;
                Ok(())
            })
            .unwrap();
            for (i, k) in keys.iter().enumerate() {
                assert_eq!(seen[i], u32::from(*k >= t), "threshold {t}, slot {i}");
            }
        }
    }

    #[test]
    fn ties_pop_in_index_order() {
        let keys = [4, 4, 9, 4, 4];
        let mut scratch = [Slot::default(); 5];
        let mut q = Queue::build(&mut scratch, keys.len(), |i| {
            Ok(Keys {
                key: w(keys[i]),
                sure: None,
            })
        })
        .unwrap();
        assert_eq!(q.pop_at_least(w(4)), 5);
        let order: [u32; 5] = core::array::from_fn(|k| q.held_slot(k).unwrap().index);
        assert_eq!(order, [2, 0, 1, 3, 4]);
    }

    #[test]
    fn scratch_too_short_is_named() {
        let mut scratch = [Slot::default(); 2];
        assert_eq!(
            Queue::build(&mut scratch, 3, |_| Ok(Keys {
                key: Wad::ONE,
                sure: None
            }))
            .err(),
            Some(Error::invalid(
                "queue",
                "the scratch slice is shorter than the accounts"
            ))
        );
    }
}
