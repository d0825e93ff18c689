//! The measures risk teams read a cascade by, as exact functions: each states its formula and
//! its rounding, which always goes the pessimistic way (a ratio of risk rounds up).
//!
//! | metric | definition |
//! |---|---|
//! | liquidation velocity | liquidations (and debt repaid by them) per block |
//! | systemic debt ratio | debt of accounts within a band of liquidation / total value locked |
//! | slippage multiplier | `Σ filled · price_before / Σ proceeds` of the liquidations' sales |
//! | collateral concentration | share of the at-risk collateral held by the largest 1 % of at-risk accounts |
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

/// The share of the total held by the largest `⌈n/100⌉` of `items` (the top 1 %), rounded up:
/// `Σ top / Σ all`; 0 when the total is 0. `value` reads an item's amount (amounts must be
/// `≥ 0`). Reorders `items` (a linear-time selection, no allocation).
///
/// Errors: [`Error::Overflow`](crate::Error::Overflow).
pub fn top_share<T>(items: &mut [T], value: impl Fn(&T) -> Wad) -> Result<Wad> {
    let k = top_percentile_count(items.len());
    if k == 0 {
        return Ok(Wad::ZERO);
    }
    let total = items.iter().try_fold(Wad::ZERO, |a, x| a.add(value(x)))?;
    if k < items.len() {
        // After the selection the first k items are the k largest.
        items.select_nth_unstable_by(k.saturating_sub(1), |a, b| value(b).cmp(&value(a)));
    }
    let top = items.iter().take(k).try_fold(Wad::ZERO, |a, x| a.add(value(x)))?;
    ratio_ceil(top, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Wad {
        s.parse().unwrap()
    }

    #[test]
    fn top_one_percent_of_two_hundred_is_two_accounts() {
        // 198 accounts of 1 and two whales of 100 and 51: the top 2 hold 151 of 349.
        let mut v: [Wad; 200] = [Wad::ONE; 200];
        v[17] = w("100");
        v[150] = w("51");
        // 151 / 349 = 0.432664756446991404011... rounded up.
        assert_eq!(top_share(&mut v, |x| *x).unwrap(), w("0.432664756446991405"));
        // Fewer than 100 items: the top 1 % is the single largest.
        let mut few = [w("3"), w("1"), w("2")];
        assert_eq!(top_share(&mut few, |x| *x).unwrap(), w("0.5"));
        let mut none: [Wad; 0] = [];
        assert_eq!(top_share(&mut none, |x| *x).unwrap(), Wad::ZERO);
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
