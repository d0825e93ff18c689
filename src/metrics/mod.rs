//! The measures risk teams read a cascade by, as exact functions: each states its formula and
//! its rounding, which always goes the pessimistic way (a ratio of risk rounds up).
//!
//! | metric | definition |
//! |---|---|
//! | liquidation velocity | liquidations (and debt repaid by them) per block |
//! | systemic debt ratio | debt of accounts within a band of liquidation / total value locked |
//! | slippage multiplier | `Σ filled · price_before / Σ proceeds` of the liquidations' sales |
//! | collateral concentration | share of the at-risk collateral held by accounts at least as large as the start's top 1 % (the `⌈N/100⌉`-th largest account) |
//! | drawdown | `(start − price) / start` |
//! | oracle–market gap | `\|oracle − market\| / market` |
//! | bad debt | debt written off, and how each waterfall layer absorbed it |
//!
//! The cascade engine records them per block ([`BlockRecord`](crate::cascade::BlockRecord))
//! and for the run ([`Report`](crate::cascade::Report)).

use crate::{Result, Rounding, Wad};

/// `num / den`, rounded up; 0 when `den` is 0 (nothing to measure against).
///
/// Errors: [`Error::Overflow`](crate::Error::Overflow).
pub fn ratio_ceil(num: Wad, den: Wad) -> Result<Wad> {
    if den.is_zero() {
        return Ok(Wad::ZERO);
    }
    num.div(den, Rounding::Ceil)
}

/// The drawdown of `price` from `start`: `(start − price) / start`, rounded up; 0 at or
/// above the start (or for a start that is not positive).
///
/// Errors: [`Error::Overflow`](crate::Error::Overflow).
pub fn drawdown(start: Wad, price: Wad) -> Result<Wad> {
    if price >= start || !start.is_positive() {
        return Ok(Wad::ZERO);
    }
    ratio_ceil(start.sub(price)?, start)
}

/// The gap between an oracle and the market, `|oracle − market| / market`, rounded up; 0 for
/// a market price that is not positive.
///
/// Errors: [`Error::Overflow`](crate::Error::Overflow).
pub fn oracle_gap(oracle: Wad, market: Wad) -> Result<Wad> {
    if !market.is_positive() {
        return Ok(Wad::ZERO);
    }
    ratio_ceil(oracle.sub(market)?.abs()?, market)
}

/// How many items the top 1 % of `n` is: `⌈n / 100⌉` (at least one of a non-empty set).
#[must_use]
pub const fn top_percentile_count(n: usize) -> usize {
    n.div_ceil(100)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::w;

    #[test]
    fn the_top_percentile_counts_whole_accounts() {
        assert_eq!(
            [0, 1, 99, 100, 101, 200, 1_000_000].map(top_percentile_count),
            [0, 1, 1, 1, 2, 2, 10_000]
        );
    }

    #[test]
    fn ratios_round_up_and_gaps_are_absolute() {
        assert_eq!(
            ratio_ceil(Wad::ONE, Wad::from_i64(3)).unwrap(),
            w("0.333333333333333334")
        );
        assert_eq!(ratio_ceil(Wad::ONE, Wad::ZERO).unwrap(), Wad::ZERO);
        assert_eq!(drawdown(w("100"), w("70")).unwrap(), w("0.3"));
        assert_eq!(drawdown(w("100"), w("120")).unwrap(), Wad::ZERO);
        assert_eq!(oracle_gap(w("90"), w("100")).unwrap(), w("0.1"));
        assert_eq!(oracle_gap(w("110"), w("100")).unwrap(), w("0.1"));
    }
}
