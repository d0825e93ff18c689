//! Size tiers on top of a dynamic margin (Drift v2's IMF factor).

use crate::account::size_scaled_liability_weight;
use crate::{Error, Result, Wad};

/// A maintenance and an initial margin after size scaling.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SizedMargin {
    /// The size-scaled maintenance margin.
    pub maintenance: Wad,
    /// The size-scaled initial margin.
    pub initial: Wad,
}

/// The margin fraction of a position of `size` base units whose margin before size scaling
/// is `margin` (a dynamic margin, or a governed one), with Drift's IMF factor `size_factor`:
///
/// ```text
/// m(s) = max(m, ⌈0.8·(1 + m)⌉ + ⌈f·⌈√|s|⌉⌉ − 1)
/// ```
///
/// the formula of [`PerpParams::margin`](crate::account::PerpParams::margin) with the dynamic
/// margin as its base (Drift scales the liability weight `1 + m` as for a borrow: the premium
/// grows with the square root of the size). It is `m` when `f = 0` or `size = 0`, never below
/// `m`, non-decreasing in `m`, `f` and `|size|`, and not capped: a large enough position needs
/// more than its notional. Composing is therefore `dynamic → governor → size`: the dynamic
/// margin (or the published one) replaces the static margin fraction of the perp market.
///
/// Errors: [`Error::Invalid`] naming `margin` when it is negative, `size_factor` when it is
/// negative; [`Error::Overflow`] when the premium does not fit.
pub fn size_scaled_margin(margin: Wad, size_factor: Wad, size: Wad) -> Result<Wad> {
    if margin.is_negative() {
        return Err(Error::invalid("margin", "must be ≥ 0"));
    }
    if size_factor.is_negative() {
        return Err(Error::invalid("size_factor", "must be ≥ 0"));
    }
    size_scaled_liability_weight(Wad::ONE.add(margin)?, size_factor, size)?.sub(Wad::ONE)
}

/// Both margins of a dynamic (or governed) margin, size-scaled by [`size_scaled_margin`].
/// The order `initial ≥ maintenance` is kept (the formula is non-decreasing in `m`), but
/// the distance may shrink to `0.8 · init_spread` (rounded) once the size premium binds.
///
/// Errors: as [`size_scaled_margin`].
pub fn size_scaled(maintenance: Wad, initial: Wad, size_factor: Wad, size: Wad) -> Result<SizedMargin> {
    Ok(SizedMargin {
        maintenance: size_scaled_margin(maintenance, size_factor, size)?,
        initial: size_scaled_margin(initial, size_factor, size)?,
    })
}
