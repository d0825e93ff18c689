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
}

/// A binary max-heap over `slots[..len]`; `slots[len..held]` are popped slots waiting to be
/// pushed back.
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
    pub(super) fn build(scratch: &'a mut [Slot], n: usize, mut key: impl FnMut(usize) -> Result<Wad>) -> Result<Self> {
        if u32::try_from(n).is_err() {
            return Err(Error::Invalid { what: "accounts" });
        }
        let slots = scratch.get_mut(..n).ok_or(Error::Invalid { what: "queue" })?;
        for (i, slot) in slots.iter_mut().enumerate() {
            *slot = Slot {
                key: key(i)?,
                index: u32::try_from(i).map_err(|_| Error::Invalid { what: "accounts" })?,
            };
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
    /// returns how many; [`held`](Self::held) lists them in pop order.
    pub(super) fn pop_at_least(&mut self, threshold: Wad) -> usize {
        let start = self.len;
        while let Some(top) = self.top() {
            if top.key < threshold {
                break;
            }
            self.len = self.len.saturating_sub(1);
            self.slots.swap(0, self.len);
            self.sift_down(0);
        }
        // The popped slots sit in [len, start) in reverse pop order.
        if let Some(popped) = self.slots.get_mut(self.len..start) {
            popped.reverse();
        }
        start.saturating_sub(self.len)
    }

    /// The slots popped and not yet pushed back, largest key first (as popped).
    pub(super) fn held(&mut self) -> &mut [Slot] {
        let (len, held) = (self.len, self.held);
        self.slots.get_mut(len..held).unwrap_or_default()
    }

    /// Pushes every held slot back into the heap (with whatever keys they now carry).
    pub(super) fn restore(&mut self) {
        while self.len < self.held {
            let i = self.len;
            self.len = self.len.saturating_add(1);
            self.sift_up(i);
        }
    }

    fn key(&self, i: usize) -> Wad {
        self.slots.get(i).map_or(Wad::MIN, |s| s.key)
    }

    fn sift_down(&mut self, mut i: usize) {
        loop {
            let l = i.saturating_mul(2).saturating_add(1);
            if l >= self.len {
                return;
            }
            let r = l.saturating_add(1);
            let child = if r < self.len && self.key(r) > self.key(l) {
                r
            } else {
                l
            };
            if self.key(child) <= self.key(i) {
                return;
            }
            self.slots.swap(i, child);
            i = child;
        }
    }

    fn sift_up(&mut self, mut i: usize) {
        while i > 0 {
            let parent = i.saturating_sub(1) / 2;
            if self.key(parent) >= self.key(i) {
                return;
            }
            self.slots.swap(i, parent);
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

    #[test]
    fn pops_every_key_at_least_the_threshold_in_order_and_restores() {
        let keys = [5, 1, 9, 3, 7, 7, 2];
        let mut scratch = [Slot::default(); 8];
        let mut q = Queue::build(&mut scratch, keys.len(), |i| Ok(w(keys[i]))).unwrap();
        assert_eq!(q.pop_at_least(w(5)), 4);
        let popped: [i64; 4] = core::array::from_fn(|i| (q.held()[i].key.raw() / 1_000_000_000_000_000_000) as i64);
        assert_eq!(popped, [9, 7, 7, 5]);
        assert_eq!(q.top().unwrap().key, w(3));
        // Lower one key (a liquidation made the account healthier) and push everything back.
        q.held()[0].key = w(0);
        q.restore();
        assert_eq!(q.pop_at_least(w(1)), 6);
        let order: [i64; 6] = core::array::from_fn(|i| (q.held()[i].key.raw() / 1_000_000_000_000_000_000) as i64);
        assert_eq!(order, [7, 7, 5, 3, 2, 1]);
        q.restore();
        assert_eq!(q.len, 7);
    }

    #[test]
    fn scratch_too_short_is_named() {
        let mut scratch = [Slot::default(); 2];
        assert_eq!(
            Queue::build(&mut scratch, 3, |_| Ok(Wad::ONE)).err(),
            Some(Error::Invalid { what: "queue" })
        );
    }
}
