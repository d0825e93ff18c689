//! The statistics of a metric over the paths of a cell, exact on the `Wad` grid.
//!
//! With the `n` values sorted, `x_(1) ≤ … ≤ x_(n)`:
//!
//! | statistic | definition | rounding |
//! |---|---|---|
//! | `mean` | `Σ x / n` | up |
//! | `p50`, `p90`, `p95`, `p99` | the nearest rank: `x_(r)`, `r = max(1, ⌈p·n⌉)` | none (a value of the sample) |
//! | `es95`, `es99` | expected shortfall: the mean of the `m = max(1, ⌈(1 − α)·n⌉)` largest values | up |
//! | `max` | `x_(n)` | none |
//! | `share_positive` | the share of the values above 0 | up |
//!
//! Every ratio is computed exactly in integers (`⌈p·n⌉` as `⌈k·n/100⌉` for `p = k/100`) and
//! rounded once. So `p50 ≤ p90 ≤ p95 ≤ p99 ≤ max` and `es95 ≥ p95`, `es99 ≥ p99` (the `m`
//! largest values all have rank `≥ r`, since `⌈p·n⌉ + ⌈(1−p)·n⌉ ≤ n + 1`).

use std::vec::Vec;

use crate::{Error, Result, Wad};

/// The names of the statistics, in the order of the JSON report.
pub const STATISTICS: &[&str] = &[
    "mean",
    "p50",
    "p90",
    "p95",
    "p99",
    "es95",
    "es99",
    "max",
    "share_positive",
];

/// The statistics of one metric over one cell's paths (see the [module](self)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stats {
    /// How many paths the metric is defined on (amplification is not when the shock did not
    /// lower the price).
    pub n: u64,
    /// The mean, rounded up.
    pub mean: Wad,
    /// The median (nearest rank).
    pub p50: Wad,
    /// The 90th percentile (nearest rank).
    pub p90: Wad,
    /// The 95th percentile (nearest rank).
    pub p95: Wad,
    /// The 99th percentile (nearest rank).
    pub p99: Wad,
    /// The mean of the worst 5 % (the `⌈0.05·n⌉` largest), rounded up.
    pub es95: Wad,
    /// The mean of the worst 1 % (the `⌈0.01·n⌉` largest), rounded up.
    pub es99: Wad,
    /// The largest value.
    pub max: Wad,
    /// The share of the values above 0, rounded up.
    pub share_positive: Wad,
}

/// `⌈a / b⌉` for `b > 0`.
fn div_ceil(a: i128, b: i128) -> Result<i128> {
    let q = a.checked_div_euclid(b).ok_or(Error::DivisionByZero)?;
    let r = a.checked_rem_euclid(b).ok_or(Error::DivisionByZero)?;
    if r == 0 {
        Ok(q)
    } else {
        q.checked_add(1).ok_or(Error::Overflow)
    }
}

/// The mean of `values` (not empty), rounded up.
fn mean_up(values: &[Wad]) -> Result<Wad> {
    let sum = values
        .iter()
        .try_fold(0i128, |s, v| s.checked_add(v.raw()))
        .ok_or(Error::Overflow)?;
    let n = i128::try_from(values.len()).map_err(|_| Error::Overflow)?;
    div_ceil(sum, n).map(Wad::from_raw)
}

/// `max(1, ⌈k·n/100⌉)`.
fn rank(k: u64, n: u64) -> Result<u64> {
    let kn = k.checked_mul(n).ok_or(Error::Overflow)?;
    Ok(kn.div_ceil(100).max(1))
}

impl Stats {
    /// The statistics of `values`; `None` when there are none.
    ///
    /// Errors: [`Error::Overflow`] when the sum of the values leaves the `i128` range.
    pub fn of(values: &[Wad]) -> Result<Option<Self>> {
        if values.is_empty() {
            return Ok(None);
        }
        let mut sorted = values.to_vec();
        sorted.sort_unstable();
        let n = u64::try_from(sorted.len()).map_err(|_| Error::Overflow)?;
        let at = |r: u64| -> Result<Wad> {
            usize::try_from(r.saturating_sub(1))
                .ok()
                .and_then(|i| sorted.get(i))
                .copied()
                .ok_or(Error::Overflow)
        };
        let tail = |k: u64| -> Result<Wad> {
            let m = usize::try_from(rank(100u64.saturating_sub(k), n)?).map_err(|_| Error::Overflow)?;
            let from = sorted.len().saturating_sub(m);
            mean_up(sorted.get(from..).ok_or(Error::Overflow)?)
        };
        let positive = sorted.iter().filter(|v| v.is_positive()).count();
        let share = div_ceil(
            i128::try_from(positive)
                .map_err(|_| Error::Overflow)?
                .checked_mul(Wad::ONE.raw())
                .ok_or(Error::Overflow)?,
            i128::from(n),
        )?;
        Ok(Some(Self {
            n,
            mean: mean_up(&sorted)?,
            p50: at(rank(50, n)?)?,
            p90: at(rank(90, n)?)?,
            p95: at(rank(95, n)?)?,
            p99: at(rank(99, n)?)?,
            es95: tail(95)?,
            es99: tail(99)?,
            max: at(n)?,
            share_positive: Wad::from_raw(share),
        }))
    }

    /// The statistic named `name` (one of [`STATISTICS`]).
    #[must_use]
    pub fn get(&self, name: &str) -> Option<Wad> {
        Some(match name {
            "mean" => self.mean,
            "p50" => self.p50,
            "p90" => self.p90,
            "p95" => self.p95,
            "p99" => self.p99,
            "es95" => self.es95,
            "es99" => self.es99,
            "max" => self.max,
            "share_positive" => self.share_positive,
            _ => return None,
        })
    }
}

/// The defined values of `values`.
#[must_use]
pub fn defined(values: impl IntoIterator<Item = Option<Wad>>) -> Vec<Wad> {
    values.into_iter().flatten().collect()
}
