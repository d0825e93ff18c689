//! Correctly rounded transcendental functions of [`Wad`](super::Wad).
//!
//! Each function returns the exact mathematical value rounded once to the 1e-18 grid in the
//! requested direction: not "within a few ulp", but the grid point on the named side of the
//! exact value. They compute in a wide binary fixed-point format ([`fx::Fx`]) with a proven
//! error bound (in each function's module docs) and round only when the whole error interval
//! lies between two grid points; otherwise they recompute with more bits (Ziv's strategy:
//! 128, 256, 512, then 1024 fractional bits). Exact cases (`exp(0)`, `ln(1)`, perfect
//! squares, rational powers) are recognised before that.

pub(crate) mod consts;
pub(crate) mod exp;
pub(crate) mod fast;
pub(crate) mod fx;
pub(crate) mod ln;
mod normal;
mod pow;
pub(crate) mod sqrt;
#[cfg(test)]
pub(crate) mod test_gen;

use crate::{Result, Rounding};

/// One attempt at a function value at a given working width.
pub(crate) trait Attempt {
    /// The raw `Wad` result at width `N`, or `None` when it cannot yet be rounded with
    /// certainty. When `last` is set the attempt must decide (see
    /// [`fx::round_to_grid_last`]).
    fn at<const N: usize>(&self, last: bool) -> Option<Result<i128>>;
}

/// Runs an attempt at 128, 256, 512 and 1024 fractional bits until one decides.
pub(crate) fn ziv<A: Attempt>(a: &A) -> Result<i128> {
    a.at::<3>(false)
        .or_else(|| a.at::<5>(false))
        .or_else(|| a.at::<9>(false))
        .or_else(|| a.at::<17>(true))
        .unwrap_or(Err(crate::Error::Overflow))
}

/// Finishes an attempt: rounds `±approx·2^exp2` (within `err` ulps) to the grid, or defers.
pub(crate) fn finish<const N: usize>(
    approx: &fx::Fx<N>,
    err: u128,
    exp2: i32,
    negative: bool,
    rounding: Rounding,
    last: bool,
) -> Option<Result<i128>> {
    if last {
        Some(fx::round_to_grid_last(approx, exp2, negative, rounding))
    } else {
        fx::round_to_grid(approx, err, exp2, negative, rounding)
    }
}
