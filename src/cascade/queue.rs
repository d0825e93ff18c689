//! The liquidation queue: a venue's accounts in *service order* — the larger liquidation price
//! (the key) first, then the lower index — kept in a caller-provided scratch slice of one
//! [`Slot`] per account.
//!
//! An account is liquidatable at oracle price `p` only if `p ≤ key` (the key is the closed-form
//! liquidation price rounded up, [`liquidation_price`](crate::account::liquidation_price)), so
//! the liquidatable accounts are always a prefix of service order.
//!
//! # How the order is kept
//!
//! Each part of the queue (the accounts whose owners may act, and the holders) is a *run*:
//! its slots sorted in service order when it was last sorted. A block reads the run from its
//! front — the accounts near liquidation — without moving it: the accounts declined block after
//! block cost one sequential read each, not a heap's pop and push. An account whose keys change
//! (it was liquidated, settled, or its owner acted) leaves its place in the run *out of order*:
//! it stays where it is, marked, and its position joins the part's *dirty heap*, a binary heap
//! of run positions ordered by the accounts' current keys, stored in the slots' `aux` fields
//! (one per slot, so it needs no memory of its own). Service order is the merge of the run
//! (skipping the out-of-order slots) and the dirty heap. When the dirty heap outgrows an
//! eighth of the part, the part's front — as far as anything out of order reaches — is sorted
//! again in place.
//!
//! The block's figures over the accounts near liquidation (the debt at risk, the liquidatable
//! count) are running *windows* over the front of each run ([`Window`]), moved by the keys the
//! thresholds pass from block to block; an account that leaves the run's order leaves them.

use super::heap;
use super::window::Window;
use crate::{Error, Result, Wad};

/// One entry of the queue: an account index and its keys.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Slot {
    /// The account's liquidation price (an upper bound of any price at which it is
    /// liquidatable): `Wad::MAX` when it is liquidatable at every price, 0 at none.
    pub key: Wad,
    /// The account's debt when its keys were made (what the block-end exposure sums without
    /// reading the account).
    pub(super) debt: Wad,
    /// Its collateral then.
    pub(super) collateral: Wad,
    /// The account's index in the venue's accounts.
    pub index: u32,
    /// `key −` a price at or below which the account is surely liquidatable, in units of
    /// 1e-18; `u32::MAX` when no such price is known (or it is further below the key).
    sure_gap: u32,
    /// One entry of the part's dirty heap (a run position), whatever this slot holds.
    aux: u32,
    /// The account changed since its keys were made (its owner acted): the keys still give its
    /// place in this block's order, and must be renewed before they are read for anything else.
    pub(super) stale: bool,
    /// Its keys changed since its part's run was sorted: it is out of the run's order, and its
    /// position is in the dirty heap.
    out: bool,
    /// Its keys were renewed this block (it leaves the run's order when the block ends).
    changed: bool,
}

impl Slot {
    /// The slot of account `index` with the keys `keys`.
    pub(super) fn new(index: u32, keys: Keys) -> Self {
        let mut slot = Self {
            index,
            ..Self::default()
        };
        slot.set(keys);
        slot.changed = false;
        slot
    }

    /// Gives the slot new keys (its account changed).
    pub(super) fn set(&mut self, keys: Keys) {
        self.key = keys.key;
        self.debt = keys.debt;
        self.collateral = keys.collateral;
        self.stale = false;
        self.changed = true;
        self.sure_gap = keys
            .sure
            .and_then(|sure| keys.key.raw().checked_sub(sure.raw()))
            .and_then(|gap| u32::try_from(gap).ok())
            .unwrap_or(u32::MAX);
    }

    /// Whether the account was bankrupt (no collateral, some debt) when its keys were made.
    pub(super) fn is_bankrupt(&self) -> bool {
        self.collateral.is_zero() && self.debt.is_positive()
    }

    /// Whether a price at or below which the account is surely liquidatable is known.
    pub(super) fn sure_known(&self) -> bool {
        self.sure_gap != u32::MAX
    }

    /// Whether the account is surely liquidatable at `price` (without asking the kernel):
    /// `price` is at or below the sure price its keys gave. `false` says nothing.
    pub(super) fn surely_liquidatable(&self, price: Wad) -> bool {
        self.sure_gap != u32::MAX
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

/// Fills `scratch[..n]` with the slots `keys(i)` of every index `i < n`.
///
/// Errors: [`Error::Invalid`] naming `queue` when `scratch` has fewer than `n` slots or
/// `accounts` when `n` does not fit a `u32`; what `keys` returns.
pub(super) fn fill(scratch: &mut [Slot], n: usize, mut keys: impl FnMut(usize) -> Result<Keys>) -> Result<&mut [Slot]> {
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
    Ok(slots)
}

/// One part of the queue, `slots[start..start + len]`: a run in service order (as of its last
/// sort, skipping the slots out of order) and the dirty heap of the out-of-order positions,
/// whose entries are the `aux` fields of the part's first `dpend` slots.
///
/// In a block: run positions below `popped` (and out of order or not) have been popped, and
/// below `taken` taken (`taken ≤ popped`; both rest on a slot in order, or on `len`); the
/// dirty heap is `aux[..dlen]`, `aux[dlen..dheld]` its entries popped this block, the last
/// popped first, of which the first `dtaken` popped have been taken, and `aux[dheld..dpend]`
/// the run positions whose slots left the run's order in this block, to join the heap when it
/// ends.
#[derive(Clone, Copy, Debug, Default)]
struct Part {
    start: usize,
    len: usize,
    popped: usize,
    taken: usize,
    dlen: usize,
    dheld: usize,
    dtaken: usize,
    dpend: usize,
    /// Run slots popped this block (each in order when popped).
    run_pops: usize,
}

/// Where the next slot of a part comes from: its run, or its dirty heap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    Run,
    Dirty,
}

/// The queue of one venue's accounts, in a caller's scratch slice of one [`Slot`] per account.
///
/// It holds two parts side by side: the accounts whose owners may act (top-up, deleverage,
/// panic: *actors*) and the holders, so that the traders' phase of a block reads only the
/// actors near liquidation. Service order — the order in which the auction offers accounts —
/// is the order of both parts merged by key and then by index; a queue that was never
/// [`split`](Self::split) is one part (the holders').
///
/// A block pops slots (the traders' phase pops the actors it watches), takes them (the
/// auction: every popped slot first, in service order), and ends with
/// [`restore`](Self::restore), which puts every slot whose keys were renewed back in order.
#[derive(Debug)]
pub(super) struct Queue<'a> {
    slots: &'a mut [Slot],
    /// The actors' part (`parts[0]`) and the holders' (`parts[1]`).
    parts: [Part; 2],
    /// The run slot last handed out mutably (part, position, the slot as it was), until it is
    /// checked for renewed keys.
    watched: Option<(usize, usize, Slot)>,
    /// The venue's top-1 % collateral threshold (the windows' whale sums).
    whale: Wad,
    /// Per part, its run's slots in order whose keys reach the risk band's edge (`[p][BAND]`)
    /// and those whose keys reach the judged price (`[p][JUDGED]`); see [`Queue::windows`].
    windows: [[Window; 2]; 2],
}

/// A part's window over the risk band.
const BAND: usize = 0;
/// A part's window over the accounts whose keys reach the judged price.
const JUDGED: usize = 1;

/// The next slot in service order ([`Queue::peek`]): a held slot (popped before, not yet
/// taken) or a part's next slot not yet popped, of part `0` (actors) or `1` (holders).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Next {
    part: usize,
    from: Source,
    /// The slot's key when it is not yet popped; `None` for a held slot.
    top: Option<Wad>,
}

impl Next {
    /// The slot's key when it is a part's next slot not yet popped (`None`: a held slot).
    pub(super) const fn top_key(&self) -> Option<Wad> {
        self.top
    }
}

/// The holders' part: every account of a queue that was not split.
const HOLDERS: usize = 1;
/// The actors' part.
const ACTORS: usize = 0;

/// A part is sorted again when more than `1/RESORT` of its slots are out of order.
const RESORT: usize = 8;

impl<'a> Queue<'a> {
    /// A queue over the first `n` slots of `scratch`, filled by `keys(i)` for every index and
    /// sorted, one part (the holders').
    ///
    /// Errors: as [`unsorted`](Self::unsorted).
    #[cfg(test)]
    pub(super) fn build(scratch: &'a mut [Slot], n: usize, keys: impl FnMut(usize) -> Result<Keys>) -> Result<Self> {
        let mut q = Self::unsorted(scratch, n, keys)?;
        q.split(|_| false);
        Ok(q)
    }

    /// A queue over the first `n` slots of `scratch`, filled by `keys(i)` for every index, not
    /// yet in order: its order is made by the [`split`](Self::split) that must come before any
    /// other use (a cascade splits every venue's queue before its first block), which sorts
    /// each part once.
    ///
    /// Errors: [`Error::Invalid`] naming `queue` when `scratch` has fewer than `n` slots or
    /// `accounts` when `n` does not fit a `u32`; what `keys` returns.
    pub(super) fn unsorted(scratch: &'a mut [Slot], n: usize, keys: impl FnMut(usize) -> Result<Keys>) -> Result<Self> {
        let slots = fill(scratch, n, keys)?;
        Ok(Self {
            slots,
            parts: [
                Part::default(),
                Part {
                    len: n,
                    ..Part::default()
                },
            ],
            watched: None,
            whale: Wad::MAX,
            windows: [[Window::default(); 2]; 2],
        })
    }

    /// Splits the queue into the actors' part (the slots for which `actor(index)` holds) and
    /// the holders', each sorted into service order ([`heap::sort`]): the actors are swapped
    /// forward, then each part is sorted. Whatever was popped or out of order is put back in
    /// order.
    pub(super) fn split(&mut self, actor: impl Fn(u32) -> bool) {
        let n = self.parts.iter().map(|p| p.len).fold(0usize, usize::saturating_add);
        let n = n.min(self.slots.len());
        let mut front = 0usize;
        for i in 0..n {
            if self.slots.get(i).is_some_and(|s| actor(s.index)) {
                swap(self.slots, front, i);
                front = front.saturating_add(1);
            }
        }
        self.parts = [
            Part {
                len: front,
                ..Part::default()
            },
            Part {
                start: front,
                len: n.saturating_sub(front),
                ..Part::default()
            },
        ];
        for p in [ACTORS, HOLDERS] {
            let part = self.part(p);
            if let Some(run) = self.slots.get_mut(part.start..part.start.saturating_add(part.len)) {
                for slot in run.iter_mut() {
                    slot.out = false;
                    slot.changed = false;
                }
                heap::sort(run);
            }
        }
        self.windows = [[Window::default(); 2]; 2];
        self.watched = None;
    }

    fn part(&self, p: usize) -> Part {
        self.parts.get(p).copied().unwrap_or_default()
    }

    fn set_part(&mut self, p: usize, part: Part) {
        if let Some(x) = self.parts.get_mut(p) {
            *x = part;
        }
    }

    /// The slot at run position `pos` of `part`.
    fn at(&self, part: Part, pos: usize) -> Option<&Slot> {
        if pos < part.len {
            self.slots.get(part.start.saturating_add(pos))
        } else {
            None
        }
    }

    fn at_mut(&mut self, part: Part, pos: usize) -> Option<&mut Slot> {
        if pos < part.len {
            self.slots.get_mut(part.start.saturating_add(pos))
        } else {
            None
        }
    }

    /// The first run position at or after `pos` whose slot is in order (`part.len` if none).
    fn in_order_from(&self, part: Part, mut pos: usize) -> usize {
        while self.at(part, pos).is_some_and(|s| s.out) {
            pos = pos.saturating_add(1);
        }
        pos.min(part.len)
    }

    /// Entry `j` of `part`'s dirty heap (a run position).
    fn aux(&self, part: Part, j: usize) -> usize {
        self.at(part, j).map_or(usize::MAX, |s| s.aux as usize)
    }

    fn set_aux(&mut self, part: Part, j: usize, pos: usize) {
        let Ok(pos) = u32::try_from(pos) else { return };
        if let Some(s) = self.at_mut(part, j) {
            s.aux = pos;
        }
    }

    /// The slot entry `j` of `part`'s dirty heap points to.
    fn dirty(&self, part: Part, j: usize) -> Option<&Slot> {
        self.at(part, self.aux(part, j))
    }

    /// The next slot of part `p` held and not yet taken, and where it is.
    fn next_held(&self, p: usize) -> Option<(&Slot, Source)> {
        let part = self.part(p);
        let run = if part.taken < part.popped {
            self.at(part, part.taken).map(|s| (s, Source::Run))
        } else {
            None
        };
        let dirty = if part.dtaken < part.dheld.saturating_sub(part.dlen) {
            part.dheld
                .checked_sub(part.dtaken)
                .and_then(|j| j.checked_sub(1))
                .and_then(|j| self.dirty(part, j))
                .map(|s| (s, Source::Dirty))
        } else {
            None
        };
        earlier(run, dirty)
    }

    /// The next slot of part `p` not yet popped, and where it is.
    fn next_top(&self, p: usize) -> Option<(&Slot, Source)> {
        let part = self.part(p);
        let run = self.at(part, part.popped).map(|s| (s, Source::Run));
        let dirty = if part.dlen > 0 {
            self.dirty(part, 0).map(|s| (s, Source::Dirty))
        } else {
            None
        };
        earlier(run, dirty)
    }

    /// Pops part `p`'s next slot from `from`; returns where the popped slot is now held (its
    /// run position, or its dirty heap entry).
    fn pop(&mut self, p: usize, from: Source) -> Option<usize> {
        let mut part = self.part(p);
        match from {
            Source::Run => {
                let pos = part.popped;
                part.popped = self.in_order_from(part, pos.saturating_add(1));
                part.run_pops = part.run_pops.saturating_add(1);
                self.set_part(p, part);
                Some(pos)
            }
            Source::Dirty => {
                part.dlen = part.dlen.checked_sub(1)?;
                let top = self.aux(part, 0);
                let last = self.aux(part, part.dlen);
                self.set_aux(part, 0, last);
                self.set_aux(part, part.dlen, top);
                self.set_part(p, part);
                self.dirty_sift_down(part, part.dlen, 0, first);
                Some(top)
            }
        }
    }

    /// Takes part `p`'s next held slot, from `from`; a run slot is watched for a change of
    /// keys ([`settle`](Self::settle)).
    fn take_held(&mut self, p: usize, from: Source) -> Option<&mut Slot> {
        let mut part = self.part(p);
        let pos = match from {
            Source::Run => {
                let pos = part.taken;
                part.taken = self.in_order_from(part, pos.saturating_add(1));
                self.watched = self.at(part, pos).map(|s| (p, pos, *s));
                pos
            }
            Source::Dirty => {
                let j = part.dheld.checked_sub(part.dtaken)?.checked_sub(1)?;
                part.dtaken = part.dtaken.saturating_add(1);
                self.aux(part, j)
            }
        };
        self.set_part(p, part);
        self.at_mut(part, pos)
    }

    /// The run slot last handed out, if its keys were renewed since: it leaves the run's order,
    /// its position pending for the dirty heap (`aux[dheld..dpend]`).
    fn settle(&mut self) {
        let Some((p, pos, was)) = self.watched.take() else {
            return;
        };
        let mut part = self.part(p);
        let whale = self.whale;
        let Some(slot) = self.at_mut(part, pos) else { return };
        if !slot.changed || slot.out {
            return;
        }
        slot.changed = false;
        slot.out = true;
        // It leaves the windows it was in, with the figures it was added with.
        for window in self.windows.get_mut(p).into_iter().flatten() {
            if pos < window.cursor {
                // The figures are sums of the same values: a subtraction cannot fail unless the
                // window was corrupted, and then the window is rebuilt.
                if window.sub(&was, whale).is_err() {
                    *window = Window::default();
                }
            }
        }
        let j = part.dpend;
        part.dpend = part.dpend.saturating_add(1);
        self.set_aux(part, j, pos);
        self.set_part(p, part);
    }

    /// Pops the next actor if its key is `≥ threshold` (nothing of the actors' may have been
    /// taken in this block) and returns it. Its keys must not be renewed until it is taken.
    pub(super) fn pop_actor_at_least(&mut self, threshold: Wad) -> Option<&mut Slot> {
        let (slot, from) = self.next_top(ACTORS)?;
        if slot.key < threshold {
            return None;
        }
        let pos = self.pop(ACTORS, from)?;
        let part = self.part(ACTORS);
        self.at_mut(part, pos)
    }

    /// The next slot in service order among those not yet taken since the last restore: a
    /// held slot, or a part's next slot whose key is `≥ threshold`, whichever comes first (the
    /// larger key, then the lower index); `None` when neither part has one.
    pub(super) fn peek(&self, threshold: Wad) -> Option<Next> {
        let candidate = |p: usize| -> Option<(&Slot, Next)> {
            match self.next_held(p) {
                Some((s, from)) => Some((
                    s,
                    Next {
                        part: p,
                        from,
                        top: None,
                    },
                )),
                None => self.next_top(p).filter(|(s, _)| s.key >= threshold).map(|(s, from)| {
                    (
                        s,
                        Next {
                            part: p,
                            from,
                            top: Some(s.key),
                        },
                    )
                }),
            }
        };
        match (candidate(ACTORS), candidate(HOLDERS)) {
            (Some((a, na)), Some((b, nb))) => Some(if first(a, b) { na } else { nb }),
            (Some((_, n)), None) | (None, Some((_, n))) => Some(n),
            (None, None) => None,
        }
    }

    /// The first of part `p`'s candidates in service order: its next held slot, else its next
    /// slot not yet popped whose key is `≥ threshold`.
    fn candidate(&self, p: usize, threshold: Wad) -> Option<&Slot> {
        match self.next_held(p) {
            Some((s, _)) => Some(s),
            None => self.next_top(p).map(|(s, _)| s).filter(|s| s.key >= threshold),
        }
    }

    /// Takes the next slots in service order while they are run slots not yet popped of one
    /// part, each with a key `≥ threshold` and `declined(slot)` holding — what
    /// [`peek`](Self::peek) and [`take`](Self::take) would hand out one by one, read in one
    /// sequential pass — and returns how many (none when the next slot is held, from a dirty
    /// heap, or declined does not hold). The slots are not handed out mutably: they keep
    /// their keys.
    pub(super) fn skim(&mut self, threshold: Wad, mut declined: impl FnMut(&Slot) -> bool) -> u32 {
        self.settle();
        let Some(next) = self.peek(threshold) else { return 0 };
        if next.top.is_none() || next.from != Source::Run {
            return 0;
        }
        let p = next.part;
        // The first candidate of the other part, or of this part's dirty heap: the run is read
        // only up to it.
        let barrier = {
            let other = self.candidate(if p == ACTORS { HOLDERS } else { ACTORS }, threshold);
            let dirty = {
                let part = self.part(p);
                (part.dlen > 0)
                    .then(|| self.dirty(part, 0))
                    .flatten()
                    .filter(|s| s.key >= threshold)
            };
            earlier(other.map(|s| (s, Source::Run)), dirty.map(|s| (s, Source::Dirty))).map(|(s, _)| *s)
        };
        let mut part = self.part(p);
        let Some(run) = self.slots.get(part.start..part.start.saturating_add(part.len)) else {
            return 0;
        };
        let mut n = 0u32;
        // One pass from the first slot not popped: a slot out of order is passed over, the
        // first in order that is below the threshold, not before the barrier or not declined
        // stops the pass (and is the next to pop).
        let mut pos = part.popped;
        for slot in run.iter().skip(part.popped) {
            if !slot.out {
                if slot.key < threshold || barrier.is_some_and(|b| !first(slot, &b)) || !declined(slot) {
                    break;
                }
                n = n.saturating_add(1);
            }
            pos = pos.saturating_add(1);
        }
        part.popped = pos;
        part.taken = pos;
        part.run_pops = part.run_pops.saturating_add(n as usize);
        self.set_part(p, part);
        n
    }

    /// The next actor held and not yet taken since the last restore (in the order they were
    /// popped, which is service order among them), whatever is still to pop; `None` when every
    /// held actor is taken.
    pub(super) fn next_held_actor(&self) -> Option<Next> {
        self.next_held(ACTORS).map(|(_, from)| Next {
            part: ACTORS,
            from,
            top: None,
        })
    }

    /// Takes `next` (from [`peek`](Self::peek), with nothing taken since): pops a part's next
    /// slot if it names one, and returns the slot, now held and taken.
    pub(super) fn take(&mut self, next: Next) -> Option<&mut Slot> {
        self.settle();
        if next.top.is_some() {
            self.pop(next.part, next.from)?;
        }
        self.take_held(next.part, next.from)
    }

    /// Calls `f` on every held actor (in no particular order).
    pub(super) fn held_actors_mut(&mut self, mut f: impl FnMut(&mut Slot) -> Result<()>) -> Result<()> {
        self.settle();
        let part = self.part(ACTORS);
        for pos in 0..part.popped {
            if let Some(slot) = self.at_mut(part, pos).filter(|s| !s.out) {
                let was = *slot;
                f(slot)?;
                self.watched = Some((ACTORS, pos, was));
                self.settle();
            }
        }
        for j in part.dlen..part.dpend {
            let pos = self.aux(part, j);
            if let Some(slot) = self.at_mut(part, pos) {
                f(slot)?;
            }
        }
        Ok(())
    }

    /// Calls `f` on every held slot, both parts (in no particular order), and whether it is in
    /// its run's order (unchanged this block, so counted in the windows).
    pub(super) fn held(&mut self, mut f: impl FnMut(&Slot, bool) -> Result<()>) -> Result<()> {
        self.settle();
        for part in self.parts {
            for pos in 0..part.popped {
                if let Some(slot) = self.at(part, pos).filter(|s| !s.out) {
                    f(slot, true)?;
                }
            }
            for j in part.dlen..part.dpend {
                if let Some(slot) = self.dirty(part, j) {
                    f(slot, false)?;
                }
            }
        }
        Ok(())
    }

    /// Calls `f` on every held slot out of its run's order (renewed this block, or popped from
    /// a dirty heap), both parts.
    pub(super) fn held_out(&mut self, mut f: impl FnMut(&Slot) -> Result<()>) -> Result<()> {
        self.settle();
        for part in self.parts {
            for j in part.dlen..part.dpend {
                if let Some(slot) = self.dirty(part, j) {
                    f(slot)?;
                }
            }
        }
        Ok(())
    }

    /// How many held slots in order are in the judged windows (as last moved), both parts:
    /// the run slots popped this block and still in order, all of them when the window reaches
    /// past what was popped, else the window's.
    pub(super) fn held_in_judged(&self) -> usize {
        self.parts
            .iter()
            .zip(self.windows.iter())
            .map(|(part, [_, judged])| {
                if part.popped <= judged.cursor {
                    part.run_pops.saturating_sub(part.dpend.saturating_sub(part.dheld))
                } else {
                    judged.count as usize
                }
            })
            .fold(0, usize::saturating_add)
    }

    /// Sets the top-1 % collateral threshold the windows' whale sums use (before any block).
    pub(super) fn set_whale(&mut self, whale: Wad) {
        self.whale = whale;
        self.windows = [[Window::default(); 2]; 2];
    }

    /// Moves each part's windows to their thresholds — the band's to `band_from` (its run slots
    /// in order whose keys are `≥ band_from`), the judged price's to `judged_at` — adding or
    /// taking out the slots they pass, and returns their figures summed over both parts:
    /// `(band, judged)`. A window moves by as many positions as its threshold passes keys, so
    /// the front of the book is not summed afresh each block.
    ///
    /// Errors: [`Error::Overflow`].
    pub(super) fn windows(&mut self, band_from: Wad, judged_at: Wad) -> Result<(Window, Window)> {
        let (mut band, mut judged) = (Window::default(), Window::default());
        for p in [ACTORS, HOLDERS] {
            let part = self.part(p);
            let [b, j] = self.windows.get(p).copied().unwrap_or_default();
            let moved = [self.moved(part, b, band_from)?, self.moved(part, j, judged_at)?];
            band = band.plus(&moved[BAND])?;
            judged = judged.plus(&moved[JUDGED])?;
            if let Some(w) = self.windows.get_mut(p) {
                *w = moved;
            }
        }
        Ok((band, judged))
    }

    /// `window` of `part` moved to `threshold`.
    fn moved(&self, part: Part, mut window: Window, threshold: Wad) -> Result<Window> {
        // Forward over slots in order whose keys reach the threshold.
        while let Some(slot) = self.at(part, window.cursor) {
            if !slot.out {
                if slot.key < threshold {
                    break;
                }
                window.add(slot, self.whale)?;
            }
            window.cursor = window.cursor.saturating_add(1);
        }
        // Back over slots in order whose keys no longer reach it.
        while let Some(pos) = window.cursor.checked_sub(1) {
            let Some(slot) = self.at(part, pos) else { break };
            if !slot.out {
                if slot.key >= threshold {
                    break;
                }
                window.sub(slot, self.whale)?;
            }
            window.cursor = pos;
        }
        Ok(window)
    }

    /// Calls `f` on every run slot in order whose key is in `[threshold, threshold + span)` —
    /// the back of the judged window (as last moved to `threshold`), where a slot's key can
    /// reach the judged price while its sure price does not — last first, with whether it was
    /// popped this block.
    pub(super) fn judged_edge(
        &self,
        threshold: Wad,
        span: Wad,
        mut f: impl FnMut(&Slot, bool) -> Result<()>,
    ) -> Result<()> {
        let top = threshold.raw().saturating_add(span.raw());
        for (part, [_, judged]) in self.parts.iter().zip(self.windows.iter()) {
            let part = *part;
            let mut pos = judged.cursor;
            while let Some(p) = pos.checked_sub(1) {
                let Some(slot) = self.at(part, p) else { break };
                if !slot.out {
                    if slot.key.raw() >= top {
                        break;
                    }
                    f(slot, p < part.popped)?;
                }
                pos = p;
            }
        }
        Ok(())
    }

    /// Calls `f` on every run slot in order whose key is `≥ threshold`, with whether it was
    /// popped this block.
    pub(super) fn visit_run_all_at_least(
        &self,
        threshold: Wad,
        mut f: impl FnMut(&Slot, bool) -> Result<()>,
    ) -> Result<()> {
        for part in self.parts {
            let mut pos = 0usize;
            while let Some(slot) = self.at(part, pos) {
                if !slot.out {
                    if slot.key < threshold {
                        break;
                    }
                    f(slot, pos < part.popped)?;
                }
                pos = pos.saturating_add(1);
            }
        }
        Ok(())
    }

    /// Calls `f` on every run slot in order not yet popped whose key is `≥ threshold`.
    pub(super) fn visit_run_at_least(&self, threshold: Wad, mut f: impl FnMut(&Slot) -> Result<()>) -> Result<()> {
        for part in self.parts {
            let mut pos = part.popped;
            while let Some(slot) = self.at(part, pos) {
                if !slot.out {
                    if slot.key < threshold {
                        break;
                    }
                    f(slot)?;
                }
                pos = pos.saturating_add(1);
            }
        }
        Ok(())
    }

    /// Calls `f` on every slot of the dirty heaps not popped whose key is `≥ threshold`: in
    /// each heap they form a subtree at the root.
    pub(super) fn visit_dirty_at_least(&self, threshold: Wad, mut f: impl FnMut(&Slot) -> Result<()>) -> Result<()> {
        for part in self.parts {
            self.visit_dirty(part, threshold, &mut f)?;
        }
        Ok(())
    }

    /// Calls `f` on every slot of `part`'s dirty heap whose key is `≥ threshold`, depth first
    /// without a stack (an implicit tree knows its parent and its siblings).
    fn visit_dirty(&self, part: Part, threshold: Wad, f: &mut impl FnMut(&Slot) -> Result<()>) -> Result<()> {
        let qualifies = |j: usize| j < part.dlen && self.dirty(part, j).is_some_and(|s| s.key >= threshold);
        if !qualifies(0) {
            return Ok(());
        }
        let mut j = 0usize;
        loop {
            if let Some(slot) = self.dirty(part, j) {
                f(slot)?;
            }
            let left = j.saturating_mul(2).saturating_add(1);
            if qualifies(left) {
                j = left;
                continue;
            }
            // The left subtree is done (it does not qualify, or it is empty), but the right
            // child may still qualify: a heap does not order siblings. Climb from the left
            // child until a left child has a qualifying right sibling.
            j = left;
            loop {
                if j == 0 {
                    return Ok(());
                }
                if j % 2 == 1 && qualifies(j.saturating_add(1)) {
                    j = j.saturating_add(1);
                    break;
                }
                j = j.saturating_sub(1) / 2;
            }
        }
    }

    /// Ends a block: every slot popped from a dirty heap goes back into it (with whatever keys
    /// it now carries), one by one (`O(h log d)` for `h` of `d`) or, when that would cost more
    /// than rebuilding it (`h · ⌈log₂ d⌉ ≥ d`), by heapifying it in `O(d)`; every run slot whose
    /// keys were renewed in the block (pending) joins it; a part with more than an eighth of
    /// its slots out of order is sorted again ([`resort`](Self::resort)).
    pub(super) fn restore(&mut self) {
        self.settle();
        for p in [ACTORS, HOLDERS] {
            let mut part = self.part(p);
            let held = part.dpend.saturating_sub(part.dlen);
            let levels = usize::try_from(usize::BITS.saturating_sub(part.dpend.leading_zeros())).unwrap_or(usize::MAX);
            if held > 1 && held.saturating_mul(levels) >= part.dpend {
                part.dlen = part.dpend;
                self.dirty_heapify(part);
            } else {
                while part.dlen < part.dpend {
                    let j = part.dlen;
                    part.dlen = part.dlen.saturating_add(1);
                    self.dirty_sift_up(part, j);
                }
            }
            part.dheld = part.dlen;
            part.dtaken = 0;
            part.run_pops = 0;
            part.popped = self.in_order_from(part, 0);
            part.taken = part.popped;
            self.set_part(p, part);
            if part.dlen > 1 && part.dlen.saturating_mul(RESORT) > part.len {
                self.resort(p);
            }
        }
    }

    /// Sorts part `p` again (nothing held): only its front moves — up to the last slot out of
    /// order, and past it the slots in order that come before the last of the slots out of
    /// order in service order — sorted in place ([`heap::sort`], sequential passes over memory
    /// that is mostly in order already); the slots behind keep their places.
    fn resort(&mut self, p: usize) {
        let part = self.part(p);
        // The last position out of order, and the last out-of-order slot in service order.
        let mut last_out = 0usize;
        let mut last: Option<Slot> = None;
        for j in 0..part.dlen {
            let pos = self.aux(part, j);
            last_out = last_out.max(pos);
            if let Some(s) = self.at(part, pos)
                && last.is_none_or(|l| first(&l, s))
            {
                last = Some(*s);
            }
        }
        let mut end = last_out.saturating_add(1).min(part.len);
        while let (Some(s), Some(l)) = (self.at(part, end), last.as_ref()) {
            if !first(s, l) {
                break;
            }
            end = end.saturating_add(1);
        }
        if let Some(front) = self.slots.get_mut(part.start..part.start.saturating_add(end)) {
            for slot in front.iter_mut() {
                slot.out = false;
                slot.changed = false;
            }
            heap::sort(front);
        }
        if let Some(w) = self.windows.get_mut(p) {
            *w = [Window::default(); 2];
        }
        self.set_part(
            p,
            Part {
                start: part.start,
                len: part.len,
                ..Part::default()
            },
        );
    }

    /// Restores the order of `part`'s dirty heap `aux[..len]` below entry `j` (its root comes
    /// `before` every other entry's slot): Floyd's bottom-up descent, as [`heap`]'s.
    fn dirty_sift_down(&mut self, part: Part, len: usize, j: usize, before: impl Fn(&Slot, &Slot) -> bool) {
        if j >= len {
            return;
        }
        let moving = self.aux(part, j);
        let Some(&moving_slot) = self.at(part, moving) else {
            return;
        };
        let mut hole = j;
        loop {
            let l = hole.saturating_mul(2).saturating_add(1);
            if l >= len {
                break;
            }
            let r = l.saturating_add(1);
            let child = match (self.dirty(part, l), self.dirty(part, r)) {
                (Some(left), Some(right)) if r < len && before(right, left) => r,
                _ => l,
            };
            hole = child;
        }
        while hole > j {
            if self.dirty(part, hole).is_some_and(|s| before(s, &moving_slot)) {
                break;
            }
            hole = hole.saturating_sub(1) / 2;
        }
        let mut carry = moving;
        while hole > j {
            let here = self.aux(part, hole);
            self.set_aux(part, hole, carry);
            carry = here;
            hole = hole.saturating_sub(1) / 2;
        }
        self.set_aux(part, j, carry);
    }

    fn dirty_sift_up(&mut self, part: Part, mut j: usize) {
        while j > 0 {
            let parent = j.saturating_sub(1) / 2;
            let earlier = match (self.dirty(part, j), self.dirty(part, parent)) {
                (Some(a), Some(b)) => first(a, b),
                _ => false,
            };
            if !earlier {
                return;
            }
            let (a, b) = (self.aux(part, j), self.aux(part, parent));
            self.set_aux(part, j, b);
            self.set_aux(part, parent, a);
            j = parent;
        }
    }

    fn dirty_heapify(&mut self, part: Part) {
        for j in (0..part.dlen / 2).rev() {
            self.dirty_sift_down(part, part.dlen, j, first);
        }
    }
}

/// The one of two candidates that comes first in service order.
fn earlier<'s>(a: Option<(&'s Slot, Source)>, b: Option<(&'s Slot, Source)>) -> Option<(&'s Slot, Source)> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if first(x.0, y.0) { x } else { y }),
        (x, None) => x,
        (None, y) => y,
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

    fn keyed(k: i64) -> Keys {
        Keys {
            key: w(k),
            ..Keys::default()
        }
    }

    /// Takes everything `peek(threshold)` offers, in order, setting each taken slot's key to
    /// `renew(index)` when it gives one; returns the indices taken.
    fn take_all<const N: usize>(
        q: &mut Queue<'_>,
        threshold: Wad,
        renew: impl Fn(u32) -> Option<i64>,
    ) -> heapless::Vec<u32, N> {
        let mut out = heapless::Vec::new();
        while let Some(next) = q.peek(threshold) {
            let slot = q.take(next).unwrap();
            out.push(slot.index).unwrap();
            if let Some(k) = renew(slot.index) {
                slot.set(keyed(k));
            }
        }
        out
    }

    #[test]
    fn serves_every_key_at_least_the_threshold_in_order_and_restores() {
        let keys = [5, 1, 9, 3, 7, 7, 2];
        let mut scratch = [Slot::default(); 8];
        let mut q = Queue::build(&mut scratch, keys.len(), |i| Ok(keyed(keys[i]))).unwrap();
        // Account 4 (key 7) is liquidated down to key 0 when it is taken.
        let taken = take_all::<8>(&mut q, w(5), |i| (i == 4).then_some(0));
        assert_eq!(taken, [2, 4, 5, 0]);
        // What is not popped at or above 2: 3 and 2, visited without popping.
        let mut seen: heapless::Vec<i64, 8> = heapless::Vec::new();
        let mut visit = |s: &Slot| {
            seen.push(units(s.key)).unwrap();
            Ok(())
        };
        q.visit_run_at_least(w(2), &mut visit).unwrap();
        q.visit_dirty_at_least(w(2), &mut visit).unwrap();
        assert_eq!(seen, [3, 2]);
        q.restore();
        // Account 4 is out of order now (key 0, last).
        assert_eq!(take_all::<8>(&mut q, Wad::MIN, |_| None), [2, 5, 0, 3, 6, 1, 4]);
    }

    #[test]
    fn ties_are_served_in_index_order() {
        let keys = [4, 4, 9, 4, 4];
        let mut scratch = [Slot::default(); 5];
        let mut q = Queue::build(&mut scratch, keys.len(), |i| Ok(keyed(keys[i]))).unwrap();
        assert_eq!(take_all::<5>(&mut q, w(4), |_| None), [2, 0, 1, 3, 4]);
    }

    #[test]
    fn scratch_too_short_is_named() {
        let mut scratch = [Slot::default(); 2];
        assert_eq!(
            Queue::build(&mut scratch, 3, |_| Ok(keyed(1))).err(),
            Some(Error::invalid(
                "queue",
                "the scratch slice is shorter than the accounts"
            ))
        );
    }

    /// A small deterministic generator (64-bit LCG, high bits).
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, bound: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) % bound
        }
    }

    const N: usize = 96;

    /// Sorts the indices `v` into service order by `keys`.
    fn in_service_order(keys: &[i64; N], v: &mut [u32]) {
        v.sort_unstable_by(|a, b| {
            if before(keys, *a, *b) {
                core::cmp::Ordering::Less
            } else {
                core::cmp::Ordering::Greater
            }
        });
    }

    /// Whether index `i` comes before `j` in service order by `keys`.
    fn before(keys: &[i64; N], i: u32, j: u32) -> bool {
        let (a, b) = (keys[i as usize], keys[j as usize]);
        a > b || (a == b && i < j)
    }

    #[test]
    fn serves_in_the_order_of_the_keys_at_each_blocks_start_through_changes_and_resorts() {
        // 96 accounts, the even ones actors; 60 blocks: the traders' phase pops the actors at
        // or above a watch threshold (in service order), the auction takes every held actor and
        // every account at or above the block's threshold in service order by the keys the
        // block began with, and renews some keys (up or down) as it goes; the block ends with a
        // restore. Checked against a sort of the keys each block; the dirty heaps grow past an
        // eighth of a part, so parts are sorted again along the way.
        for seed in 1..=8u64 {
            let mut rng = Lcg(seed);
            let mut keys: [i64; N] = core::array::from_fn(|_| rng.next(50) as i64);
            let mut scratch = [Slot::default(); N];
            let start = keys;
            // Each account's debt is its index + 1 and its collateral twice that; the top-1 %
            // threshold is 100 (accounts 49 and up are whales).
            let figures = |i: u32, k: i64| Keys {
                key: w(k),
                debt: w(i64::from(i) + 1),
                collateral: w(2 * (i64::from(i) + 1)),
                ..Keys::default()
            };
            let mut q = Queue::build(&mut scratch, N, |i| Ok(figures(i as u32, start[i]))).unwrap();
            q.split(|i| i % 2 == 0);
            q.set_whale(w(100));
            for block in 0..60 {
                let watch = rng.next(50) as i64;
                let threshold = watch + rng.next(10) as i64;
                // The traders' phase.
                let mut popped: heapless::Vec<u32, N> = heapless::Vec::new();
                while let Some(slot) = q.pop_actor_at_least(w(watch)) {
                    popped.push(slot.index).unwrap();
                }
                let mut want: heapless::Vec<u32, N> = (0..N as u32)
                    .filter(|i| i % 2 == 0 && keys[*i as usize] >= watch)
                    .collect();
                in_service_order(&keys, &mut want);
                assert_eq!(popped, want, "seed {seed} block {block}: the actors popped");
                // The auction.
                let mut want: heapless::Vec<u32, N> = (0..N as u32)
                    .filter(|i| keys[*i as usize] >= threshold || (i % 2 == 0 && keys[*i as usize] >= watch))
                    .collect();
                in_service_order(&keys, &mut want);
                let mut renewed = [None; N];
                for r in &mut renewed {
                    if rng.next(3) == 0 {
                        *r = Some(rng.next(50) as i64);
                    }
                }
                // Now and then the auction skims the slots whose index is not a multiple of 3
                // (they keep their keys): the skimmed ones are the next in service order, each
                // passes, and the one after does not (or is held, or from a dirty heap, or of
                // the other part).
                let mut got: heapless::Vec<u32, N> = heapless::Vec::new();
                let mut skimmed = [false; N];
                loop {
                    if rng.next(2) == 0 {
                        let n = q.skim(w(threshold), |s| s.index % 3 != 0);
                        for _ in 0..n {
                            let i = want[got.len()];
                            assert!(!i.is_multiple_of(3), "seed {seed} block {block}: skimmed {i}");
                            skimmed[i as usize] = true;
                            got.push(i).unwrap();
                        }
                    }
                    let Some(next) = q.peek(w(threshold)) else { break };
                    let slot = q.take(next).unwrap();
                    got.push(slot.index).unwrap();
                    if let Some(k) = renewed[slot.index as usize] {
                        slot.set(figures(slot.index, k));
                    }
                }
                assert_eq!(got, want, "seed {seed} block {block}: the auction's order");
                for (i, r) in renewed.iter_mut().enumerate() {
                    if skimmed[i] {
                        *r = None;
                    }
                }
                for i in &got {
                    if let Some(k) = renewed[*i as usize] {
                        keys[*i as usize] = k;
                    }
                }
                // What the exposure reads: every held slot and every slot not popped at or
                // above the threshold, each once, with its current key.
                let mut seen = [0u32; N];
                q.held(|s, _| {
                    seen[s.index as usize] += 1;
                    assert_eq!(units(s.key), keys[s.index as usize]);
                    Ok(())
                })
                .unwrap();
                let mut visit = |s: &Slot| {
                    seen[s.index as usize] += 1;
                    assert_eq!(units(s.key), keys[s.index as usize]);
                    Ok(())
                };
                q.visit_run_at_least(w(threshold), &mut visit).unwrap();
                q.visit_dirty_at_least(w(threshold), &mut visit).unwrap();
                for i in 0..N {
                    let held = got.contains(&(i as u32));
                    let queued = !held && keys[i] >= threshold;
                    assert_eq!(
                        seen[i],
                        u32::from(held || queued),
                        "seed {seed} block {block}: slot {i}"
                    );
                }
                // The windows (every slot in order) plus the slots out of order, held or not:
                // the figures of every slot whose key reaches the band (here `band`), and the
                // count of those reaching the judged price (`judged`), and how many of those are
                // held in order.
                let (band, judged) = (rng.next(50) as i64, rng.next(50) as i64);
                let (mut out_band, mut out_judged) = (Window::default(), 0u32);
                let mut out = |s: &Slot| {
                    if s.key >= w(band) {
                        out_band.add(s, w(100))?;
                    }
                    out_judged += u32::from(s.key >= w(judged));
                    Ok(())
                };
                q.held_out(&mut out).unwrap();
                q.visit_dirty_at_least(w(band.min(judged)), &mut out).unwrap();
                let (wb, wj) = q.windows(w(band), w(judged)).unwrap();
                let all_band = wb.plus(&out_band).unwrap();
                let mut want_band = Window::default();
                let mut want_judged = 0u32;
                // The held slots in order, read from the parts.
                let mut want_held = 0usize;
                for part in q.parts {
                    for pos in 0..part.popped {
                        let s = q.at(part, pos).unwrap();
                        want_held += usize::from(!s.out && s.key >= w(judged));
                    }
                }
                for i in 0..N as u32 {
                    let k = keys[i as usize];
                    if k >= band {
                        want_band.add(&Slot::new(i, figures(i, k)), w(100)).unwrap();
                    }
                    want_judged += u32::from(k >= judged);
                }
                assert_eq!(
                    (all_band.count, all_band.debt, all_band.collateral, all_band.whale),
                    (want_band.count, want_band.debt, want_band.collateral, want_band.whale),
                    "seed {seed} block {block}: the band's figures"
                );
                assert_eq!(wj.count + out_judged, want_judged, "seed {seed} block {block}: judged");
                assert_eq!(
                    q.held_in_judged(),
                    want_held,
                    "seed {seed} block {block}: held in order"
                );
                q.restore();
                q.check();
            }
        }
    }

    impl Queue<'_> {
        /// The queue's invariants: the out-of-order slots are exactly the dirty heap's
        /// entries, each once, and the run's other slots are in service order.
        fn check(&self) {
            for part in self.parts {
                let outs = (0..part.len).filter(|&p| self.at(part, p).unwrap().out).count();
                assert_eq!(outs, part.dlen, "outs vs dlen {:?}", part);
                let mut seen = [false; 200];
                for j in 0..part.dlen {
                    let pos = self.aux(part, j);
                    assert!(self.at(part, pos).unwrap().out, "entry {j} -> {pos} not out");
                    assert!(!seen[pos]);
                    seen[pos] = true;
                }
                let mut last: Option<Slot> = None;
                for p in 0..part.len {
                    let s = *self.at(part, p).unwrap();
                    if s.out {
                        continue;
                    }
                    if let Some(l) = last {
                        assert!(first(&l, &s), "run unsorted at {p}");
                    }
                    last = Some(s);
                }
            }
        }
    }
}
