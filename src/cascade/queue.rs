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
    /// The account's debt when its keys were made (what the block-end exposure sums without
    /// reading the account).
    pub(super) debt: Wad,
    /// Its collateral then.
    pub(super) collateral: Wad,
    /// `key −` a price at or below which the account is surely liquidatable, in units of
    /// 1e-18; `u64::MAX` when no such price is known. It fills the slot's padding.
    sure_gap: u64,
    /// The account changed since its keys were made (its owner acted): the keys still give its
    /// place in this block's order, and must be renewed before they are read for anything else.
    pub(super) stale: bool,
}

impl Slot {
    /// The slot of account `index` with the keys `keys`.
    pub(super) fn new(index: u32, keys: Keys) -> Self {
        let mut slot = Self {
            key: Wad::ZERO,
            index,
            debt: Wad::ZERO,
            collateral: Wad::ZERO,
            sure_gap: u64::MAX,
            stale: false,
        };
        slot.set(keys);
        slot
    }

    /// Gives the slot new keys (its account changed).
    pub(super) fn set(&mut self, keys: Keys) {
        self.key = keys.key;
        self.debt = keys.debt;
        self.collateral = keys.collateral;
        self.stale = false;
        self.sure_gap = keys
            .sure
            .and_then(|sure| keys.key.raw().checked_sub(sure.raw()))
            .and_then(|gap| u64::try_from(gap).ok())
            .filter(|&gap| gap != u64::MAX)
            .unwrap_or(u64::MAX);
    }

    /// Whether the account was bankrupt (no collateral, some debt) when its keys were made.
    pub(super) fn is_bankrupt(&self) -> bool {
        self.collateral.is_zero() && self.debt.is_positive()
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
/// liquidatable, when one is known (see [`keys`](super::venue::keys)), and the account's debt
/// and collateral they were made from (zero for a queue that does not keep them).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Keys {
    /// The key: a price at or above every price at which the account is liquidatable.
    pub key: Wad,
    /// A price at or below which it surely is.
    pub sure: Option<Wad>,
    /// The account's debt.
    pub debt: Wad,
    /// The account's collateral.
    pub collateral: Wad,
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

/// One binary max-heap inside the queue's scratch: `slots[start..start + len]` is the heap,
/// ordered by key and then by index (the lower index first on a tie, so the order is total and
/// every implementation pops in the same order); `slots[start + len..start + held]` are popped
/// slots waiting to be pushed back, the last popped first; `taken` of them (the first popped)
/// have been taken in service order since the last restore.
#[derive(Clone, Copy, Debug, Default)]
struct Part {
    start: usize,
    len: usize,
    held: usize,
    taken: usize,
}

/// The queue of one venue's accounts, in a caller's scratch slice of one [`Slot`] per account.
///
/// It holds two heaps side by side: the accounts whose owners may act (top-up, deleverage,
/// panic: *actors*) and the holders, so that the traders' phase of a block pops only the
/// actors near liquidation. Service order — the order in which the auction offers accounts —
/// is the order of one heap over all of them, the two merged by key and then by index; a
/// queue that was never [`split`](Self::split) is one heap (the holders').
#[derive(Debug)]
pub(super) struct Queue<'a> {
    slots: &'a mut [Slot],
    /// The actors' heap (`parts[0]`) and the holders' (`parts[1]`).
    parts: [Part; 2],
}

/// The next slot in service order: a held slot (popped before, not yet taken) or the top of
/// a heap, of part `0` (actors) or `1` (holders).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Next {
    /// The next held slot of the part.
    Held(usize),
    /// The top of the part's heap, to be popped.
    Top(usize),
}

/// The holders' part: every account of a queue that was not split.
const HOLDERS: usize = 1;
/// The actors' part.
const ACTORS: usize = 0;

impl<'a> Queue<'a> {
    /// A queue over the first `n` slots of `scratch`, filled by `keys(i)` for every index and
    /// heapified in `O(n)`, one heap.
    ///
    /// Errors: [`Error::Invalid`] naming `queue` when `scratch` has fewer than `n` slots or
    /// `accounts` when `n` does not fit a `u32`; what `keys` returns.
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
        let mut q = Self {
            slots,
            parts: [
                Part::default(),
                Part {
                    start: 0,
                    len: n,
                    held: n,
                    taken: 0,
                },
            ],
        };
        q.heapify(HOLDERS);
        Ok(q)
    }

    /// Splits the queue into the actors' heap (the slots for which `actor(index)` holds) and
    /// the holders', in `O(n)`. Nothing may be held.
    pub(super) fn split(&mut self, actor: impl Fn(u32) -> bool) {
        let n = self.parts.iter().map(|p| p.held).fold(0usize, usize::saturating_add);
        let n = n.min(self.slots.len());
        // A stable partition is not needed (the heaps are rebuilt): swap actors forward.
        let mut front = 0usize;
        for i in 0..n {
            if self.slots.get(i).is_some_and(|s| actor(s.index)) {
                swap(self.slots, front, i);
                front = front.saturating_add(1);
            }
        }
        self.parts = [
            Part {
                start: 0,
                len: front,
                held: front,
                taken: 0,
            },
            Part {
                start: front,
                len: n.saturating_sub(front),
                held: n.saturating_sub(front),
                taken: 0,
            },
        ];
        self.heapify(ACTORS);
        self.heapify(HOLDERS);
    }

    fn part(&self, p: usize) -> Part {
        self.parts.get(p).copied().unwrap_or_default()
    }

    fn set_part(&mut self, p: usize, part: Part) {
        if let Some(x) = self.parts.get_mut(p) {
            *x = part;
        }
    }

    fn heapify(&mut self, p: usize) {
        let part = self.part(p);
        for i in (0..part.len / 2).rev() {
            self.sift_down(part, i);
        }
    }

    /// The largest key still in part `p`'s heap.
    fn top_of(&self, p: usize) -> Option<Slot> {
        let part = self.part(p);
        if part.len == 0 {
            None
        } else {
            self.slots.get(part.start).copied()
        }
    }

    /// The largest key still in the holders' heap (the whole queue, unless split).
    #[cfg(test)]
    pub(super) fn top(&self) -> Option<Slot> {
        self.top_of(HOLDERS)
    }

    /// Pops every slot of the holders' heap (the whole queue, unless split) whose key is
    /// `≥ threshold`, largest first, into its held region, and returns how many.
    pub(super) fn pop_at_least(&mut self, threshold: Wad) -> usize {
        self.pop_part_at_least(HOLDERS, threshold)
    }

    /// Pops every actor whose key is `≥ threshold`, largest first, into the actors' held
    /// region, and returns how many.
    pub(super) fn pop_actors_at_least(&mut self, threshold: Wad) -> usize {
        self.pop_part_at_least(ACTORS, threshold)
    }

    fn pop_part_at_least(&mut self, p: usize, threshold: Wad) -> usize {
        let mut n = 0usize;
        while self.top_of(p).is_some_and(|top| top.key >= threshold) {
            self.pop(p);
            n = n.saturating_add(1);
        }
        n
    }

    /// Pops the top slot of the holders' heap into its held region if its key is
    /// `≥ threshold`.
    pub(super) fn pop_one_at_least(&mut self, threshold: Wad) -> bool {
        if self.top_of(HOLDERS).is_some_and(|top| top.key >= threshold) {
            self.pop(HOLDERS);
            true
        } else {
            false
        }
    }

    /// Moves part `p`'s top into its held region.
    fn pop(&mut self, p: usize) {
        let mut part = self.part(p);
        if part.len == 0 {
            return;
        }
        part.len = part.len.saturating_sub(1);
        swap(self.slots, part.start, part.start.saturating_add(part.len));
        self.set_part(p, part);
        self.sift_down(part, 0);
    }

    /// How many slots of the holders' part are held.
    pub(super) fn held_count(&self) -> usize {
        self.held_count_of(HOLDERS)
    }

    /// How many actors are held.
    pub(super) fn actors_held(&self) -> usize {
        self.held_count_of(ACTORS)
    }

    fn held_count_of(&self, p: usize) -> usize {
        let part = self.part(p);
        part.held.saturating_sub(part.len)
    }

    /// The `k`-th slot of the holders' part popped since the last restore (0 is the first).
    pub(super) fn held_slot(&mut self, k: usize) -> Option<&mut Slot> {
        self.held_slot_of(HOLDERS, k)
    }

    /// The `k`-th actor popped since the last restore (0 is the first).
    pub(super) fn held_actor(&mut self, k: usize) -> Option<&mut Slot> {
        self.held_slot_of(ACTORS, k)
    }

    fn held_slot_of(&mut self, p: usize, k: usize) -> Option<&mut Slot> {
        let part = self.part(p);
        let i = part.held.checked_sub(k)?.checked_sub(1)?;
        if i < part.len {
            return None;
        }
        self.slots.get_mut(part.start.checked_add(i)?)
    }

    /// Every held slot, both parts (in no particular order).
    pub(super) fn held(&self) -> impl Iterator<Item = &Slot> {
        self.parts.iter().flat_map(move |part| {
            let from = part.start.saturating_add(part.len);
            let to = part.start.saturating_add(part.held);
            self.slots.get(from..to).unwrap_or_default().iter()
        })
    }

    /// The next slot in service order among those not yet taken since the last restore: a
    /// held slot, or a heap's top whose key is `≥ threshold`, whichever comes first (the
    /// larger key, then the lower index); `None` when neither part has one.
    pub(super) fn peek(&self, threshold: Wad) -> Option<Next> {
        let candidate = |p: usize| -> Option<(Slot, Next)> {
            let part = self.part(p);
            if part.taken < part.held.saturating_sub(part.len) {
                let i = part
                    .start
                    .saturating_add(part.held)
                    .checked_sub(part.taken)?
                    .checked_sub(1)?;
                self.slots.get(i).map(|s| (*s, Next::Held(p)))
            } else {
                self.top_of(p)
                    .filter(|top| top.key >= threshold)
                    .map(|top| (top, Next::Top(p)))
            }
        };
        match (candidate(ACTORS), candidate(HOLDERS)) {
            (Some((a, na)), Some((b, nb))) => Some(if first(&a, &b) { na } else { nb }),
            (Some((_, n)), None) | (None, Some((_, n))) => Some(n),
            (None, None) => None,
        }
    }

    /// The key of the heap top `next` names (from [`peek`](Self::peek)); `None` for a held
    /// slot.
    pub(super) fn top_key(&self, next: Next) -> Option<Wad> {
        match next {
            Next::Top(p) => self.top_of(p).map(|s| s.key),
            Next::Held(_) => None,
        }
    }

    /// The next actor held and not yet taken since the last restore (in the order they were
    /// popped, which is service order among them), whatever the heaps hold; `None` when every
    /// held actor is taken.
    pub(super) fn next_held_actor(&self) -> Option<Next> {
        let part = self.part(ACTORS);
        (part.taken < part.held.saturating_sub(part.len)).then_some(Next::Held(ACTORS))
    }

    /// Takes `next` (from [`peek`](Self::peek)): pops a top into its held region, and returns
    /// the slot, now held and taken.
    pub(super) fn take(&mut self, next: Next) -> Option<&mut Slot> {
        let p = match next {
            Next::Held(p) => p,
            Next::Top(p) => {
                self.pop(p);
                p
            }
        };
        let mut part = self.part(p);
        let k = part.taken;
        part.taken = part.taken.saturating_add(1);
        self.set_part(p, part);
        self.held_slot_of(p, k)
    }

    /// Calls `f` on every slot still in a heap whose key is `≥ threshold`, in `O(k)` for
    /// the `k` it visits: in each heap they form a subtree at the root, walked depth first
    /// without a stack (an implicit tree knows its parent and its siblings).
    pub(super) fn visit_at_least(&self, threshold: Wad, mut f: impl FnMut(&Slot) -> Result<()>) -> Result<()> {
        for part in self.parts {
            self.visit_part(part, threshold, &mut f)?;
        }
        Ok(())
    }

    fn visit_part(&self, part: Part, threshold: Wad, f: &mut impl FnMut(&Slot) -> Result<()>) -> Result<()> {
        let at = |i: usize| self.slots.get(part.start.saturating_add(i));
        let qualifies = |i: usize| i < part.len && at(i).is_some_and(|s| s.key >= threshold);
        if !qualifies(0) {
            return Ok(());
        }
        let mut i = 0usize;
        loop {
            if let Some(slot) = at(i) {
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

    /// Pushes every held slot back into its heap (with whatever keys they now carry), both
    /// parts: one by one (`O(h log n)` for `h` held of `n`), or, when that would cost more
    /// than rebuilding the heap (`h · ⌈log₂ n⌉ ≥ n`), by heapifying the part in `O(n)`. The
    /// heap's layout differs, not its order: service order is total (key, then index).
    pub(super) fn restore(&mut self) {
        for p in [ACTORS, HOLDERS] {
            let mut part = self.part(p);
            let held = part.held.saturating_sub(part.len);
            let levels = usize::try_from(usize::BITS.saturating_sub(part.held.leading_zeros())).unwrap_or(usize::MAX);
            if held.saturating_mul(levels) >= part.held && held > 1 {
                part.len = part.held;
                part.taken = 0;
                self.set_part(p, part);
                self.heapify(p);
                continue;
            }
            while part.len < part.held {
                let i = part.len;
                part.len = part.len.saturating_add(1);
                self.sift_up(part, i);
            }
            part.taken = 0;
            self.set_part(p, part);
        }
    }

    /// Whether slot `i` of `part` comes before its slot `j`.
    fn before(&self, part: Part, i: usize, j: usize) -> bool {
        match (
            self.slots.get(part.start.saturating_add(i)),
            self.slots.get(part.start.saturating_add(j)),
        ) {
            (Some(a), Some(b)) => first(a, b),
            _ => false,
        }
    }

    /// Restores the heap order below slot `i` of `part` (its slot may come after its
    /// children): the slot is lifted out, the path of the earlier child down to a leaf is
    /// followed, each of those children moving up one level, and the slot is dropped into the
    /// hole at the first place where it comes before the next child — Floyd's bottom-up
    /// descent, one comparison per level on the way down and few on the way back up.
    fn sift_down(&mut self, part: Part, i: usize) {
        let Some(heap) = self.slots.get_mut(part.start..part.start.saturating_add(part.len)) else {
            return;
        };
        let Some(moving) = heap.get(i).copied() else { return };
        let len = heap.len();
        // Down the path of earlier children, to a leaf.
        let mut hole = i;
        loop {
            let l = hole.saturating_mul(2).saturating_add(1);
            let Some(left) = heap.get(l) else { break };
            let r = l.saturating_add(1);
            let child = match heap.get(r) {
                Some(right) if r < len && first(right, left) => r,
                _ => l,
            };
            hole = child;
        }
        // Back up the path to where `moving` comes before the slot below it.
        while hole > i {
            if heap.get(hole).is_some_and(|s| first(s, &moving)) {
                break;
            }
            hole = hole.saturating_sub(1) / 2;
        }
        // Shift the path from `i` to `hole` up one level and drop `moving` into the hole.
        let mut carry = moving;
        while hole > i {
            if let Some(slot) = heap.get_mut(hole) {
                carry = core::mem::replace(slot, carry);
            }
            hole = hole.saturating_sub(1) / 2;
        }
        if let Some(slot) = heap.get_mut(i) {
            *slot = carry;
        }
    }

    fn sift_up(&mut self, part: Part, mut i: usize) {
        while i > 0 {
            let parent = i.saturating_sub(1) / 2;
            if !self.before(part, i, parent) {
                return;
            }
            swap(
                self.slots,
                part.start.saturating_add(i),
                part.start.saturating_add(parent),
            );
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
                ..Keys::default()
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
        assert_eq!((q.part(HOLDERS).len, q.held_count()), (7, 0));
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
                ..Keys::default()
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
                ..Keys::default()
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
    fn restore_by_pushes_and_by_heapify_give_the_same_order() {
        // 64 scrambled keys (with ties); pop `h` of them, change some popped keys, restore, pop
        // everything: the order is the sorted order (key descending, then index) whichever way
        // the restore went (2 held: pushed one by one, 2 · 7 < 64; 40 held: heapified).
        let keys: [i64; 64] = core::array::from_fn(|i| ((i as i64) * 29 + 5) % 17);
        for (h, threshold) in [(2usize, 16i64), (40, 0)] {
            let mut scratch = [Slot::default(); 64];
            let mut q = Queue::build(&mut scratch, 64, |i| {
                Ok(Keys {
                    key: w(keys[i]),
                    ..Keys::default()
                })
            })
            .unwrap();
            let mut now = keys;
            let mut popped = 0;
            while popped < h && q.pop_one_at_least(w(threshold)) {
                popped += 1;
            }
            assert_eq!(popped, h);
            for k in (0..h).step_by(3) {
                let slot = q.held_slot(k).unwrap();
                let new = (slot.key.raw() / Wad::SCALE) as i64 - 5;
                slot.key = w(new);
                now[slot.index as usize] = new;
            }
            q.restore();
            assert_eq!(q.pop_at_least(Wad::MIN), 64);
            let order: [(i64, u32); 64] = core::array::from_fn(|k| {
                let s = q.held_slot(k).unwrap();
                (units(s.key), s.index)
            });
            let mut want: [(i64, u32); 64] = core::array::from_fn(|i| (now[i], i as u32));
            want.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            assert_eq!(order, want, "{h} held");
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
                ..Keys::default()
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
                ..Keys::default()
            }))
            .err(),
            Some(Error::invalid(
                "queue",
                "the scratch slice is shorter than the accounts"
            ))
        );
    }
}
