//! Binary heaps of [`Slot`]s in a caller's scratch slice: the in-place sort that puts a venue's
//! accounts in service order, and the partial heap that finds a venue's top-1 % collateral.

use super::queue::{Slot, first, swap};

/// Restores the heap order below slot `i` of `heap` (whose root comes `before` every other
/// slot; slot `i` may come after its children): the slot is lifted out, the path of the earlier
/// child down to a leaf is followed, each of those children moving up one level, and the slot
/// is dropped into the hole at the first place where it comes before the next child — Floyd's
/// bottom-up descent, one comparison per level on the way down and few on the way back up.
fn sift_down(heap: &mut [Slot], i: usize, before: impl Fn(&Slot, &Slot) -> bool) {
    let Some(moving) = heap.get(i).copied() else { return };
    // Down the path of earlier children, to a leaf.
    let mut hole = i;
    loop {
        let l = hole.saturating_mul(2).saturating_add(1);
        let Some(left) = heap.get(l) else { break };
        let r = l.saturating_add(1);
        let child = match heap.get(r) {
            Some(right) if before(right, left) => r,
            _ => l,
        };
        hole = child;
    }
    // Back up the path to where `moving` comes before the slot below it.
    while hole > i {
        if heap.get(hole).is_some_and(|s| before(s, &moving)) {
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

/// Orders `heap` so that its root comes `before` every other slot, in `O(n)`.
fn heapify(heap: &mut [Slot], before: impl Fn(&Slot, &Slot) -> bool + Copy) {
    for i in (0..heap.len() / 2).rev() {
        sift_down(heap, i, before);
    }
}

/// Sorts `slots` into service order — the larger key first, then the lower index ([`first`]) —
/// in place, in `O(n log n)` and no memory: a heap whose root is the *last* in service order,
/// whose root is moved to the back of the shrinking heap `n` times.
pub(super) fn sort(slots: &mut [Slot]) {
    let after = |a: &Slot, b: &Slot| first(b, a);
    heapify(slots, after);
    let mut len = slots.len();
    while len > 1 {
        len = len.saturating_sub(1);
        swap(slots, 0, len);
        if let Some(heap) = slots.get_mut(..len) {
            sift_down(heap, 0, after);
        }
    }
}

/// A max-heap of slots in service order ([`first`]) in a caller's scratch slice:
/// `slots[..len]` is the heap, `slots[len..]` the slots popped so far, the last popped first.
#[derive(Debug)]
pub(super) struct Heap<'a> {
    slots: &'a mut [Slot],
    len: usize,
}

impl<'a> Heap<'a> {
    /// The heap of every slot of `slots`, in `O(n)`.
    pub(super) fn new(slots: &'a mut [Slot]) -> Self {
        heapify(slots, first);
        let len = slots.len();
        Self { slots, len }
    }

    /// Pops the top slot into the popped region if its key is `≥ threshold`; returns the slot
    /// popped.
    pub(super) fn pop_at_least(&mut self, threshold: crate::Wad) -> Option<Slot> {
        if self.len == 0 || self.slots.first().is_none_or(|top| top.key < threshold) {
            return None;
        }
        self.len = self.len.saturating_sub(1);
        swap(self.slots, 0, self.len);
        if let Some(heap) = self.slots.get_mut(..self.len) {
            sift_down(heap, 0, first);
        }
        self.slots.get(self.len).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::super::queue::Keys;
    use super::*;
    use crate::Wad;

    fn slots(keys: &[i64]) -> [Slot; 64] {
        let mut out = [Slot::default(); 64];
        for (i, k) in keys.iter().enumerate() {
            out[i] = Slot::new(
                i as u32,
                Keys {
                    key: Wad::from_i64(*k),
                    ..Keys::default()
                },
            );
        }
        out
    }

    #[test]
    fn sort_puts_slots_in_service_order() {
        // 64 scrambled keys with ties: the larger key first, ties by the lower index.
        let keys: [i64; 64] = core::array::from_fn(|i| ((i as i64) * 29 + 5) % 17);
        let mut s = slots(&keys);
        sort(&mut s);
        let got: [(i64, u32); 64] = core::array::from_fn(|k| ((s[k].key.raw() / Wad::SCALE) as i64, s[k].index));
        let mut want: [(i64, u32); 64] = core::array::from_fn(|i| (keys[i], i as u32));
        want.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        assert_eq!(got, want);
    }

    #[test]
    fn the_heap_pops_in_service_order_down_to_the_threshold() {
        let keys = [4, 4, 9, 4, 1];
        let mut s = slots(&keys);
        let mut heap = Heap::new(&mut s[..5]);
        let mut got = [0u32; 4];
        for g in &mut got {
            *g = heap.pop_at_least(Wad::from_i64(4)).unwrap().index;
        }
        assert_eq!(got, [2, 0, 1, 3]);
        assert_eq!(heap.pop_at_least(Wad::from_i64(4)), None);
        assert_eq!(heap.pop_at_least(Wad::ZERO).map(|s| s.index), Some(4));
    }
}
