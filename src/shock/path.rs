//! The shapes of a shock path: constant, instant, linear, listed.

use crate::{Error, Result, Rounding, Wad};

/// The reference price as a function of the block number.
///
/// Build it with the `new_*` constructors, which validate it (the variants are
/// `#[non_exhaustive]`, so no other crate can build an invalid one); match on it to read it.
///
/// | variant | price at block `b` | settles at |
/// |---|---|---|
/// | `Constant(p)` | `p` | `0` |
/// | `Instant { from, to, at }` | `from` for `b < at`, `to` for `b >= at` | `at` (`0` if `from = to`) |
/// | `Linear { from, to, start, blocks }` | `from` for `b <= start`, `to` for `b >= start + blocks`, else `from + (to − from)·(b − start)/blocks` rounded toward `from` | `start + blocks` (`0` if `from = to`) |
/// | `Listed(list)` | `list[b]`, the last value for `b >= len` | the first index from which every value equals the last |
///
/// Rounding toward `from` means that the shock arrives no earlier than written: on a decline
/// the interpolated price rounds up, on a rise it rounds down. Since `|to − from|·(b −
/// start)/blocks < |to − from|` strictly inside the ramp, it reaches `to` exactly at `start +
/// blocks` and not before.
///
/// ```
/// use lce::Wad;
/// use lce::shock::Path;
/// // A 30 % drop from 100 to 70 over 3 blocks starting at block 10.
/// let path = Path::new_linear(Wad::from_i64(100), Wad::from_i64(70), 10, 3)?;
/// assert_eq!(path.price(10)?, Wad::from_i64(100));
/// assert_eq!(path.price(11)?, Wad::from_i64(90));
/// assert_eq!(path.price(13)?, Wad::from_i64(70));
/// assert_eq!(path.settles_at(), 13);
/// # Ok::<(), lce::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Path<'a> {
    /// The same price at every block.
    #[non_exhaustive]
    Constant(Wad),
    /// A jump from `from` to `to` at block `at`.
    #[non_exhaustive]
    Instant {
        /// The price before block `at`.
        from: Wad,
        /// The price from block `at` on.
        to: Wad,
        /// The first block at the new price.
        at: u64,
    },
    /// A straight line from `from` (at block `start`) to `to` (at block `start + blocks`).
    #[non_exhaustive]
    Linear {
        /// The price up to block `start`.
        from: Wad,
        /// The price from block `start + blocks` on.
        to: Wad,
        /// The last block at `from`.
        start: u64,
        /// The length of the ramp in blocks (at least 1).
        blocks: u64,
    },
    /// One price per block, `list[b]` at block `b`, the last one after the end.
    #[non_exhaustive]
    Listed(&'a [Wad]),
}

/// `Invalid { what, why: "must be > 0" }` unless `price > 0`.
fn positive(price: Wad, what: &'static str) -> Result<Wad> {
    if price.is_positive() {
        Ok(price)
    } else {
        Err(Error::invalid(what, "must be > 0"))
    }
}

impl<'a> Path<'a> {
    /// The constant path at `price`; `Invalid { what: "price" }` unless `price > 0`.
    pub fn new_constant(price: Wad) -> Result<Self> {
        Ok(Self::Constant(positive(price, "price")?))
    }

    /// The instant shock from `from` to `to` at block `at`; `Invalid` naming `from` or `to`
    /// unless both are positive.
    pub fn new_instant(from: Wad, to: Wad, at: u64) -> Result<Self> {
        Ok(Self::Instant {
            from: positive(from, "from")?,
            to: positive(to, "to")?,
            at,
        })
    }

    /// The linear shock from `from` at block `start` to `to` at block `start + blocks`;
    /// `Invalid` naming `from` or `to` unless both are positive, `blocks` when it is `0` or
    /// when `start + blocks` exceeds `u64::MAX`.
    pub fn new_linear(from: Wad, to: Wad, start: u64, blocks: u64) -> Result<Self> {
        let from = positive(from, "from")?;
        let to = positive(to, "to")?;
        if blocks == 0 {
            return Err(Error::invalid("blocks", "must be ≥ 1"));
        }
        if start.checked_add(blocks).is_none() {
            return Err(Error::invalid("blocks", "start + blocks must fit a u64"));
        }
        Ok(Self::Linear {
            from,
            to,
            start,
            blocks,
        })
    }

    /// The listed path; `Invalid { what: "path" }` when `list` is empty or holds a price that
    /// is not positive.
    pub fn new_listed(list: &'a [Wad]) -> Result<Self> {
        if list.is_empty() {
            return Err(Error::invalid("path", "must hold at least one price"));
        }
        if list.iter().any(|p| !p.is_positive()) {
            return Err(Error::invalid("path", "every price must be > 0"));
        }
        Ok(Self::Listed(list))
    }

    /// The reference price at block `block` (see the table of [`Path`]).
    ///
    /// The linear ramp is `from + (to − from)·k/blocks`, `k = block − start`, with the product
    /// and quotient rounded once toward `from` (ceiling on a decline, floor on a rise).
    /// Errors only for a path built without its constructor: `Invalid { what: "path" }` for
    /// an empty list, `Invalid { what: "blocks" }` for an empty ramp.
    pub fn price(&self, block: u64) -> Result<Wad> {
        match *self {
            Self::Constant(p) => Ok(p),
            Self::Instant { from, to, at } => Ok(if block < at { from } else { to }),
            Self::Linear {
                from,
                to,
                start,
                blocks,
            } => {
                let end = start
                    .checked_add(blocks)
                    .ok_or(Error::invalid("blocks", "start + blocks must fit a u64"))?;
                if block <= start {
                    return Ok(from);
                }
                if block >= end {
                    return Ok(to);
                }
                let delta = to.sub(from)?;
                let rounding = if delta.is_negative() {
                    Rounding::Ceil
                } else {
                    Rounding::Floor
                };
                // start < block < end: 0 < k < blocks, both u64, exact as raw multipliers.
                let k = Wad::from_raw(i128::from(block.saturating_sub(start)));
                let n = Wad::from_raw(i128::from(blocks));
                from.add(delta.mul_div(k, n, rounding)?)
            }
            Self::Listed(list) => {
                let last = list
                    .last()
                    .ok_or(Error::invalid("path", "must hold at least one price"))?;
                Ok(*usize::try_from(block).ok().and_then(|b| list.get(b)).unwrap_or(last))
            }
        }
    }

    /// The first block from which the price never changes again: `price(b) = price(settles_at())`
    /// for every `b >= settles_at()`, and `price(settles_at() − 1)` differs (when it is not 0).
    ///
    /// `0` for a constant path (and for an instant or linear one with `from = to`); `at` for an
    /// instant shock; `start + blocks` for a linear one; for a listed path the first index
    /// from which every value equals the last (a scan from the end, `O(len)`).
    #[must_use]
    pub fn settles_at(&self) -> u64 {
        match *self {
            Self::Constant(_) => 0,
            Self::Instant { from, to, at } => {
                if from == to {
                    0
                } else {
                    at
                }
            }
            Self::Linear {
                from,
                to,
                start,
                blocks,
            } => {
                if from == to {
                    0
                } else {
                    start.saturating_add(blocks)
                }
            }
            Self::Listed(list) => {
                let Some(last) = list.last() else { return 0 };
                let same = list.iter().rev().take_while(|p| *p == last).count();
                u64::try_from(list.len().saturating_sub(same)).unwrap_or(u64::MAX)
            }
        }
    }

    /// The price from [`settles_at`](Self::settles_at) on: where the shock ends.
    pub fn final_price(&self) -> Result<Wad> {
        self.price(self.settles_at())
    }
}
