//! Volatility paths: the implied volatility an options venue marks its series at, by block,
//! beside the price path.

use crate::options::MAX_VOL;
use crate::{Error, Result, Wad};

/// The implied volatility as a function of the block number and, for [`VolPath::Skew`], of
/// the block's price.
///
/// | variant | vol at block `b`, price `S` |
/// |---|---|
/// | `Constant(σ)` | `σ` |
/// | `Linear { from, to, start, blocks }` | `from` for `b ≤ start`, `to` for `b ≥ start + blocks`, else `from + ⌈(to − from)·(b − start)/blocks⌉` |
/// | `Listed(list)` | `list[b]`, the last value for `b ≥ len` |
/// | `Skew { base, anchor, beta, cap }` | `min(cap, ⌈base · ⌈r^β⌉⌉)`, `r = ⌈anchor / S⌉` |
///
/// Every rounding is **up**: a volatility is never below its exact value, so that the short
/// options it marks are never under-margined (a long option's value, which rises with the
/// volatility, is valued by the health formula at its own rounding). The skew rule is the
/// leverage effect of equity and crypto markets: implied volatility rises as the market falls,
/// `σ(S) = base · (anchor / S)^β` (a constant-elasticity skew; `β = 0` is a constant vol), capped
/// at `cap`; when `r^β` is beyond the wad range the vol is the cap, which it exceeds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VolPath<'a> {
    /// The same volatility at every block.
    #[non_exhaustive]
    Constant(Wad),
    /// A straight line from `from` (at block `start`) to `to` (at block `start + blocks`).
    #[non_exhaustive]
    Linear {
        /// The vol up to block `start`.
        from: Wad,
        /// The vol from block `start + blocks` on.
        to: Wad,
        /// The last block at `from`.
        start: u64,
        /// The ramp's length in blocks (at least 1).
        blocks: u64,
    },
    /// One vol per block, the last one after the end.
    #[non_exhaustive]
    Listed(&'a [Wad]),
    /// Tied to the price: `base · (anchor / S)^β`, capped.
    #[non_exhaustive]
    Skew {
        /// The vol at the anchor price.
        base: Wad,
        /// The price at which the vol is `base`.
        anchor: Wad,
        /// The elasticity `β ≥ 0`.
        beta: Wad,
        /// The largest vol, in `[base, 10]`.
        cap: Wad,
    },
}

/// `Invalid { what }` unless `0 < vol ≤ 10`.
fn vol_in_range(vol: Wad, what: &'static str) -> Result<Wad> {
    if vol.is_positive() && vol <= MAX_VOL {
        Ok(vol)
    } else {
        Err(Error::invalid(what, "must be in (0, 10]"))
    }
}

impl<'a> VolPath<'a> {
    /// The constant path; `Invalid` naming `vol` unless `0 < vol ≤ 10`.
    pub fn new_constant(vol: Wad) -> Result<Self> {
        Ok(Self::Constant(vol_in_range(vol, "vol")?))
    }

    /// The linear path; `Invalid` naming `from` or `to` outside `(0, 10]`, `blocks` when it is
    /// 0 or `start + blocks` does not fit a `u64`.
    pub fn new_linear(from: Wad, to: Wad, start: u64, blocks: u64) -> Result<Self> {
        let from = vol_in_range(from, "from")?;
        let to = vol_in_range(to, "to")?;
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

    /// The listed path; `Invalid` naming `vols` when it is empty or holds a vol outside
    /// `(0, 10]`.
    pub fn new_listed(list: &'a [Wad]) -> Result<Self> {
        if list.is_empty() {
            return Err(Error::invalid("vols", "must hold at least one vol"));
        }
        if list.iter().any(|v| !v.is_positive() || *v > MAX_VOL) {
            return Err(Error::invalid("vols", "every vol must be in (0, 10]"));
        }
        Ok(Self::Listed(list))
    }

    /// The skew rule; `Invalid` naming `base` outside `(0, 10]`, `anchor` unless positive,
    /// `beta` outside `[0, 10]`, `cap` outside `[base, 10]`.
    pub fn new_skew(base: Wad, anchor: Wad, beta: Wad, cap: Wad) -> Result<Self> {
        let base = vol_in_range(base, "base")?;
        if !anchor.is_positive() {
            return Err(Error::invalid("anchor", "must be > 0"));
        }
        if beta.is_negative() || beta > Wad::from_i64(10) {
            return Err(Error::invalid("beta", "must be in [0, 10]"));
        }
        if cap < base || cap > MAX_VOL {
            return Err(Error::invalid("cap", "must be in [base, 10]"));
        }
        Ok(Self::Skew {
            base,
            anchor,
            beta,
            cap,
        })
    }

    /// The vol at block `block` when the price is `spot` (read by the skew rule only).
    ///
    /// Errors: [`Error::Invalid`] naming `spot` unless positive (skew rule);
    /// [`Error::Overflow`].
    pub fn vol(&self, block: u64, spot: Wad) -> Result<Wad> {
        match *self {
            Self::Constant(v) => Ok(v),
            Self::Linear {
                from,
                to,
                start,
                blocks,
            } => {
                let k = block.saturating_sub(start);
                if k >= blocks {
                    return Ok(to);
                }
                let step = to
                    .sub(from)?
                    .mul_div_ceil(Wad::from_raw(i128::from(k)), Wad::from_raw(i128::from(blocks)))?;
                from.add(step)
            }
            Self::Listed(list) => {
                let i = usize::try_from(block).unwrap_or(usize::MAX);
                list.get(i)
                    .or_else(|| list.last())
                    .copied()
                    .ok_or_else(|| Error::invalid("vols", "must hold at least one vol"))
            }
            Self::Skew {
                base,
                anchor,
                beta,
                cap,
            } => {
                if !spot.is_positive() {
                    return Err(Error::invalid("spot", "must be > 0"));
                }
                let ratio = anchor.div_ceil(spot)?;
                let factor = match ratio.pow(beta, crate::Rounding::Ceil) {
                    Ok(f) => f,
                    Err(Error::Overflow) => return Ok(cap),
                    Err(e) => return Err(e),
                };
                match base.mul_ceil(factor) {
                    Ok(v) => Ok(v.min(cap)),
                    Err(Error::Overflow) => Ok(cap),
                    Err(e) => Err(e),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::w;

    #[test]
    fn hand_worked_vols() {
        // Linear 0.5 → 1.2 over 3 blocks from block 2: +0.7/3 per block, rounded up.
        let p = VolPath::new_linear(w("0.5"), w("1.2"), 2, 3).unwrap();
        assert_eq!(p.vol(2, Wad::ONE).unwrap(), w("0.5"));
        assert_eq!(p.vol(3, Wad::ONE).unwrap(), w("0.733333333333333334"));
        assert_eq!(p.vol(5, Wad::ONE).unwrap(), w("1.2"));
        // Falling: 1.2 → 0.5: −0.7/3 rounded up is −0.233333333333333333.
        let p = VolPath::new_linear(w("1.2"), w("0.5"), 0, 3).unwrap();
        assert_eq!(p.vol(1, Wad::ONE).unwrap(), w("0.966666666666666667"));
        // Skew: base 0.6 at anchor 2000, β = 1: at 1600, 0.6 · 2000/1600 = 0.75 exactly.
        let p = VolPath::new_skew(w("0.6"), w("2000"), w("1"), w("3")).unwrap();
        assert_eq!(p.vol(0, w("1600")).unwrap(), w("0.75"));
        assert_eq!(p.vol(0, w("2000")).unwrap(), w("0.6"));
        // At 100 it would be 12: the cap.
        assert_eq!(p.vol(0, w("100")).unwrap(), w("3"));
        // β = 2 at half the anchor: 0.6 · 4 = 2.4.
        let p = VolPath::new_skew(w("0.6"), w("2000"), w("2"), w("10")).unwrap();
        assert_eq!(p.vol(7, w("1000")).unwrap(), w("2.4"));
        // Listed: the last one after the end.
        let list = [w("0.5"), w("0.9")];
        let p = VolPath::new_listed(&list).unwrap();
        assert_eq!(p.vol(9, Wad::ONE).unwrap(), w("0.9"));
    }

    #[test]
    fn bad_vol_paths_name_their_field() {
        let what = |r: Result<VolPath<'_>>| match r {
            Err(Error::Invalid { what, .. }) => what,
            _ => "",
        };
        assert_eq!(what(VolPath::new_constant(w("0"))), "vol");
        assert_eq!(what(VolPath::new_constant(w("10.000000000000000001"))), "vol");
        assert_eq!(what(VolPath::new_linear(w("0.5"), w("11"), 0, 1)), "to");
        assert_eq!(what(VolPath::new_linear(w("0.5"), w("1"), 0, 0)), "blocks");
        assert_eq!(what(VolPath::new_listed(&[])), "vols");
        assert_eq!(what(VolPath::new_skew(w("0.5"), w("0"), w("1"), w("1"))), "anchor");
        assert_eq!(what(VolPath::new_skew(w("0.5"), w("1"), w("-1"), w("1"))), "beta");
        assert_eq!(what(VolPath::new_skew(w("0.5"), w("1"), w("1"), w("0.4"))), "cap");
    }
}
