//! Where a target health that follows a straight line up to bounded rounding noise is
//! provably negative or provably met, from the points at which it has been evaluated.
//!
//! A token liquidation's target health after repaying `x` (raw units) is
//! `T(x) = B + K·x + e(x)` with an exact real slope `K > 0` and rounding noise
//! `−E_lo < e(x) < E_hi` (see `Pair::trend` in `token.rs` for the bounds). One evaluation
//! `T(x₀)` pins the line to `T(x₀) − E_hi < B + K·x₀ < T(x₀) + E_lo`, so with `W = E_lo + E_hi`:
//!
//! - `T(x) > T(x₀) − W + K·(x − x₀)`: `T(x) ≥ 0` wherever `K·(x − x₀) ≥ W − T(x₀)`;
//! - `T(x) < T(x₀) + W + K·(x − x₀)`: `T(x) < 0` wherever `K·(x − x₀) ≤ −(T(x₀) + W)`.
//!
//! The distances use a lower bound `K_lo` and an upper bound `K_hi` of `K`, each in the
//! direction that keeps the conclusion true. Near the crossing the noise leaves a band of
//! about `2·W / K` undecided; there each evaluation also proves the answer on [`Span`]s
//! around it (`Pair::stretch`: the repays with the same seize, where the target health is
//! monotone, and beyond). The search for the liquidation's size asks the
//! same questions in the same order whatever answers them, so answering the provable ones here
//! and evaluating only the others gives the search's answer bit for bit.

use crate::{Result, Wad};

/// The line a target health follows: bounds of its slope (value per repaid token, both
/// positive, `k_lo ≤ K ≤ k_hi`) and `noise ≥ E_lo + E_hi` in raw value units.
#[derive(Clone, Copy, Debug)]
pub(super) struct Trend {
    pub(super) k_lo: Wad,
    pub(super) k_hi: Wad,
    pub(super) noise: i128,
}

/// The most [`Span`]s a [`Bracket`] keeps (the first ones learnt: those nearest the
/// crossing come first, from the estimate).
const SPANS: usize = 8;

/// A range of repays `[from, to)` (raw units) on which `T ≥ 0` is proven to be `met`.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Span {
    pub(super) from: i128,
    pub(super) to: i128,
    pub(super) met: bool,
}

/// What the evaluations so far prove: `T(x) < 0` for every `x ≤ negative_to`, `T(x) ≥ 0` for
/// every `x ≥ met_from`, and the answer on each of the `spans`.
#[derive(Clone, Copy, Debug)]
pub(super) struct Bracket {
    trend: Trend,
    negative_to: i128,
    met_from: i128,
    spans: [Span; SPANS],
    len: usize,
}

impl Bracket {
    /// Nothing proven yet.
    pub(super) const fn new(trend: Trend) -> Self {
        Self {
            trend,
            negative_to: i128::MIN,
            met_from: i128::MAX,
            spans: [Span {
                from: 0,
                to: 0,
                met: false,
            }; SPANS],
            len: 0,
        }
    }

    /// Whether `T(x) ≥ 0`, when the evaluations so far prove it either way.
    #[inline]
    pub(super) fn known(&self, x: Wad) -> Option<bool> {
        let x = x.raw();
        if x <= self.negative_to {
            return Some(false);
        }
        if x >= self.met_from {
            return Some(true);
        }
        self.spans
            .iter()
            .take(self.len)
            .find(|s| s.from <= x && x < s.to)
            .map(|s| s.met)
    }

    /// Learns that `T ≥ 0` is `span.met` on `span` (kept while there is room).
    pub(super) fn learn_span(&mut self, span: Span) {
        if span.from >= span.to {
            return;
        }
        if let Some(slot) = self.spans.get_mut(self.len) {
            *slot = span;
            self.len = self.len.saturating_add(1);
        }
    }

    /// Learns from the evaluation `T(x) = t`. A bound that leaves the `i128` range teaches
    /// nothing (the bracket only ever narrows on what is proven).
    pub(super) fn learn(&mut self, x: Wad, t: Wad) {
        let Trend { k_lo, k_hi, noise } = self.trend;
        // Met from x + d with K·d ≥ W − t.
        let met = noise.checked_sub(t.raw()).and_then(|n| {
            let d = if n > 0 {
                distance(n, k_lo, true).ok()?
            } else {
                distance(n.checked_neg()?, k_hi, false).ok()?.checked_neg()?
            };
            x.raw().checked_add(d)
        });
        // Negative up to x + d with K·d ≤ −(t + W).
        let negative = t.raw().checked_add(noise).and_then(|n| {
            let d = if n > 0 {
                distance(n, k_lo, true).ok()?.checked_neg()?
            } else {
                distance(n.checked_neg()?, k_hi, false).ok()?
            };
            x.raw().checked_add(d)
        });
        if let Some(m) = met {
            self.met_from = self.met_from.min(m);
        }
        if let Some(n) = negative {
            self.negative_to = self.negative_to.max(n);
        }
    }
}

/// `n / k` in raw units of the repay (`n ≥ 0` raw value units, `k > 0` value per token),
/// rounded up or down: `⌈n·10¹⁸ / k⌉` or `⌊n·10¹⁸ / k⌋`, as [`Wad::div_ceil`] and
/// [`Wad::div_floor`] compute it. On 64-bit targets, when `n·10¹⁸` fits a `u128` (a noise
/// and a target health of less than about 3.4e20 raw value units, the usual case), one
/// `u128` quotient; else the `Wad` division.
fn distance(n: i128, k: Wad, up: bool) -> Result<i128> {
    // On 32-bit targets a `u128` quotient is a slow libcall: the `Wad` division there.
    #[cfg(target_pointer_width = "64")]
    if let (Ok(un), Ok(uk)) = (u128::try_from(n), u128::try_from(k.raw()))
        && let Some(num) = un.checked_mul(crate::num::TEN18_U128)
        && let Some(q) = num.checked_div(uk)
    {
        // `q·k ≤ num`: the remainder is what is left, exactly.
        let inexact = q.wrapping_mul(uk) != num;
        let q = if up && inexact { q.checked_add(1) } else { Some(q) };
        return q.and_then(|q| i128::try_from(q).ok()).ok_or(crate::Error::Overflow);
    }
    let n = Wad::from_raw(n);
    Ok(if up { n.div_ceil(k)? } else { n.div_floor(k)? }.raw())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `u128` quotient of `distance` is the `Wad` division's, rounded either way, on
    /// numerators and slopes from one raw unit to beyond the `u128` product's range.
    #[test]
    fn the_u128_distance_is_the_wad_division() {
        let mut rng = crate::rng::SplitMix64::new(0x5eed_d157_a9ce);
        for _ in 0..100_000 {
            let n = (i128::from(rng.next_u64()) << (rng.next_u64() % 72)) & i128::MAX;
            let k = Wad::from_raw((i128::from(rng.next_u64()) >> (rng.next_u64() % 64)).max(1));
            for up in [false, true] {
                let wad = Wad::from_raw(n);
                let want = if up { wad.div_ceil(k) } else { wad.div_floor(k) }.map(Wad::raw);
                assert_eq!(distance(n, k, up), want, "{n} / {k:?}, up {up}");
            }
        }
    }

    /// On the line `T(x) = x − 1000` in raw units (a slope of one value unit per raw unit of
    /// repay: `K = 1`) with noise 3, an evaluation at 1000 proves the sign outside `(997, 1003)`.
    #[test]
    fn proves_the_sign_away_from_the_crossing() {
        let k = Wad::ONE;
        let mut b = Bracket::new(Trend {
            k_lo: k,
            k_hi: k,
            noise: 3,
        });
        assert_eq!(b.known(Wad::from_raw(0)), None);
        b.learn(Wad::from_raw(1000), Wad::ZERO);
        // met: K·d ≥ 3 − 0 → d = 3; negative: K·d ≤ −3 → d = −3.
        assert_eq!(b.known(Wad::from_raw(1003)), Some(true));
        assert_eq!(b.known(Wad::from_raw(1002)), None);
        assert_eq!(b.known(Wad::from_raw(998)), None);
        assert_eq!(b.known(Wad::from_raw(997)), Some(false));
        // A far evaluation below: t = −500 at 500 proves negative up to 500 + 497.
        b.learn(Wad::from_raw(500), Wad::from_raw(-500));
        assert_eq!(b.known(Wad::from_raw(997)), Some(false));
    }
}
