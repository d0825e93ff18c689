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
/// in place, in `O(n log n)` and no memory beyond a fixed stack of ranges: an introsort —
/// quicksort (a median-of-three or ninther pivot, Hoare partition; service order is total, so every slot
/// differs from the pivot but the pivot itself) on the larger range, insertion sort on ranges of
/// at most [`SMALL`] slots, and [`heapsort`] on a range the partitions have not shrunk after
/// `2·⌊log₂ n⌋` levels. No recursion: the smaller side of each partition is sorted first and the
/// larger pushed, so at most `log₂ n` ranges wait.
pub(super) fn sort(slots: &mut [Slot]) {
    let levels = usize::BITS.saturating_sub(slots.len().leading_zeros());
    let budget = levels.saturating_mul(2);
    // Ranges waiting, each with the partition levels it has left.
    let mut waiting: heapless::Vec<(usize, usize, u32), 64> = heapless::Vec::new();
    let mut range = Some((0usize, slots.len(), budget));
    while let Some((lo, hi, depth)) = range.take().or_else(|| waiting.pop()) {
        let Some(v) = slots.get_mut(lo..hi) else { continue };
        if v.len() <= SMALL {
            insertion_sort(v);
            continue;
        }
        if depth == 0 {
            heapsort(v);
            continue;
        }
        let mid = partition(v);
        // `v[..mid]` all come before `v[mid..]` in service order; both are non-empty.
        let (left, right) = ((lo, lo.saturating_add(mid)), (lo.saturating_add(mid), hi));
        let (small, large) = if mid <= v.len() / 2 {
            (left, right)
        } else {
            (right, left)
        };
        let depth = depth.saturating_sub(1);
        if waiting.push((large.0, large.1, depth)).is_err() {
            // Never with `log₂ n ≤ 64` waiting ranges; sorted in place if it were.
            if let Some(v) = slots.get_mut(large.0..large.1) {
                heapsort(v);
            }
        }
        range = Some((small.0, small.1, depth));
    }
}

/// Ranges of at most this many slots are insertion-sorted.
const SMALL: usize = 16;

/// Ranges longer than this take their pivot from nine slots ([`choose_pivot`]), not three.
const NINTHER: usize = 128;

/// The position of `v`'s pivot: the median of its first, middle and last slots, or on a range
/// longer than [`NINTHER`] Tukey's ninther — the median of the medians of three spread
/// triples. A venue's queue, sorted again after a few blocks, is a few sorted runs interleaved;
/// three slots of such a range often lie near one end of the order, nine seldom do (a resort
/// of 17,026 slots from the default scenario ×10 left 2,248 slots to heapsort with three,
/// 1,666 with nine). Any pivot gives the same order: service order is total.
fn choose_pivot(v: &[Slot]) -> usize {
    let n = v.len();
    let last = n.saturating_sub(1);
    if n <= NINTHER {
        return median3(v, 0, n / 2, last);
    }
    let s = n / 8;
    let mid = n / 2;
    median3(
        v,
        median3(v, 0, s, s.saturating_mul(2)),
        median3(v, mid.saturating_sub(s), mid, mid.saturating_add(s)),
        median3(
            v,
            last.saturating_sub(s.saturating_mul(2)),
            last.saturating_sub(s),
            last,
        ),
    )
}

/// The one of positions `a`, `b`, `c` of `v` whose slot is the median of the three in service
/// order.
fn median3(v: &[Slot], a: usize, b: usize, c: usize) -> usize {
    let before = |i: usize, j: usize| match (v.get(i), v.get(j)) {
        (Some(x), Some(y)) => first(x, y),
        _ => false,
    };
    if before(a, b) {
        if before(b, c) {
            b
        } else if before(a, c) {
            c
        } else {
            a
        }
    } else if before(a, c) {
        a
    } else if before(b, c) {
        c
    } else {
        b
    }
}

/// Partitions `v` (at least [`SMALL`] + 1 slots) around a pivot chosen by [`choose_pivot`]: returns
/// `mid` with `0 < mid < v.len()` such that every slot of `v[..mid]` comes before (or is) the
/// pivot and every slot of `v[mid..]` comes after (or is) it.
fn partition(v: &mut [Slot]) -> usize {
    let n = v.len();
    let m = choose_pivot(v);
    swap(v, 0, m);
    let Some(&pivot) = v.first() else { return 0 };
    // Hoare: `i` finds a slot not before the pivot from the left, `j` one not after it from
    // the right; they cross exactly once. The pivot at 0 stops `j`; a slot not before it
    // stops `i`.
    let (mut i, mut j) = (0usize, n);
    loop {
        loop {
            i = i.saturating_add(1);
            if !v.get(i).is_some_and(|s| first(s, &pivot)) {
                break;
            }
        }
        loop {
            j = j.saturating_sub(1);
            if !v.get(j).is_some_and(|s| first(&pivot, s)) {
                break;
            }
        }
        if i >= j {
            break;
        }
        swap(v, i, j);
    }
    // `v[..=j]` come before the pivot or are it; move the pivot to `j`.
    swap(v, 0, j);
    // Split after the pivot's place, or before it when that leaves the left side empty.
    if j == 0 { 1 } else { j }
}

/// Insertion sort into service order (small ranges).
fn insertion_sort(v: &mut [Slot]) {
    for i in 1..v.len() {
        let Some(&moving) = v.get(i) else { break };
        let mut j = i;
        while let Some(prev) = j.checked_sub(1).and_then(|p| v.get(p)).copied() {
            if !first(&moving, &prev) {
                break;
            }
            if let Some(x) = v.get_mut(j) {
                *x = prev;
            }
            j = j.saturating_sub(1);
        }
        if let Some(x) = v.get_mut(j) {
            *x = moving;
        }
    }
}

/// Sorts `slots` into service order in place, in `O(n log n)`: a heap whose root is the *last*
/// in service order, whose root is moved to the back of the shrinking heap `n` times.
fn heapsort(slots: &mut [Slot]) {
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
    fn sort_and_heapsort_agree_with_a_reference_on_every_shape() {
        // Sizes across the insertion-sort cut-off and the partitions, keys with many ties
        // (the index breaks them), sorted, reversed and scrambled inputs.
        let mut state = 7u64;
        let mut next = |m: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % m
        };
        let mut buf = [Slot::default(); 300];
        for n in [0usize, 1, 2, 3, 15, 16, 17, 18, 33, 64, 100, 257, 300] {
            for shape in 0..4 {
                for (i, slot) in buf.iter_mut().enumerate().take(n) {
                    let k = match shape {
                        0 => next(7) as i64,
                        1 => i as i64,
                        2 => (n - i) as i64,
                        _ => next(1_000_000) as i64,
                    };
                    *slot = Slot::new(
                        i as u32,
                        Keys {
                            key: Wad::from_i64(k),
                            ..Keys::default()
                        },
                    );
                }
                let mut want: [(i128, u32); 300] = [(0, 0); 300];
                for (w, s) in want.iter_mut().zip(&buf).take(n) {
                    *w = (s.key.raw(), s.index);
                }
                want[..n].sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
                let mut a = buf;
                sort(&mut a[..n]);
                let mut h = buf;
                heapsort(&mut h[..n]);
                for i in 0..n {
                    assert_eq!(
                        (a[i].key.raw(), a[i].index),
                        want[i],
                        "sort: n {n} shape {shape} at {i}"
                    );
                    assert_eq!(
                        (h[i].key.raw(), h[i].index),
                        want[i],
                        "heapsort: n {n} shape {shape} at {i}"
                    );
                }
            }
        }
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
