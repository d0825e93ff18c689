//! A stable price as Mango v4 keeps it: a price that follows the oracle but moves by at most a
//! set fraction per block, so a brief spike of the oracle cannot swing valuations at once.

use crate::{Error, Result, Wad};

/// A stable price: it moves toward the oracle price by at most `growth_limit` (a fraction of
/// itself) per elapsed block.
///
/// Simplified from Mango v4's `StablePriceModel` (its `stable_growth_limit`, per second
/// there): an update after `dt` blocks sets
///
/// `stable' = clamp(oracle, ⌈stable·(1 − r)⌉, ⌊stable·(1 + r)⌋)` with `r = min(1, growth_limit · dt)`,
///
/// the bounds rounded toward `stable`, so one update never moves it by more than `r` of
/// itself. (Mango's delay-price ring, which also bounds the move against a slow average, is
/// left out.) While the oracle stays at a constant price the stable price reaches it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct StablePrice {
    price: Wad,
    growth_limit: Wad,
    last_update: u64,
}

impl StablePrice {
    /// A stable price starting at `price` at block `block`.
    ///
    /// Errors: [`Error::Invalid`] naming `price` unless `price > 0`, naming `growth_limit` when
    /// it is negative.
    pub fn new(price: Wad, growth_limit: Wad, block: u64) -> Result<Self> {
        if !price.is_positive() {
            return Err(Error::invalid("price", "must be > 0"));
        }
        if growth_limit.is_negative() {
            return Err(Error::invalid("growth_limit", "must be ≥ 0"));
        }
        Ok(Self {
            price,
            growth_limit,
            last_update: block,
        })
    }

    /// The stable price (positive).
    #[must_use]
    pub const fn price(&self) -> Wad {
        self.price
    }

    /// The most it moves per block, as a fraction of itself.
    #[must_use]
    pub const fn growth_limit(&self) -> Wad {
        self.growth_limit
    }

    /// The block of the last update.
    #[must_use]
    pub const fn last_update(&self) -> u64 {
        self.last_update
    }

    /// Moves the stable price toward `oracle` for the blocks elapsed since the last update
    /// (see the type's documentation for the formula and its rounding).
    ///
    /// Errors, leaving the price unchanged: [`Error::Invalid`] naming `block` when it is before
    /// the last update, naming `price` unless `oracle > 0`.
    pub fn update(&mut self, block: u64, oracle: Wad) -> Result<()> {
        let dt = block
            .checked_sub(self.last_update)
            .ok_or(Error::invalid("block", "must not be before the last update"))?;
        if !oracle.is_positive() {
            return Err(Error::invalid("price", "must be > 0"));
        }
        // r = min(1, growth_limit · dt), exact (an integer multiple of the raw limit).
        let rel = self
            .growth_limit
            .raw()
            .checked_mul(i128::from(dt))
            .map_or(Wad::ONE, Wad::from_raw)
            .min(Wad::ONE);
        let lo = self.price.mul_ceil(Wad::ONE.sub(rel)?)?;
        // s·(1 + r) <= 2·s may exceed the range: then the upper bound is the range's end.
        let hi = self.price.mul_floor(Wad::ONE.add(rel)?).unwrap_or(Wad::MAX);
        // max then min rather than `clamp`, which panics if its bounds ever crossed.
        self.price = oracle.max(lo).min(hi);
        self.last_update = block;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::w;

    #[test]
    fn it_moves_by_at_most_the_limit_per_block() {
        // limit 1 % per block, 3 blocks: r = 0.03, band [97, 103] around 100.
        let mut s = StablePrice::new(w("100"), w("0.01"), 0).unwrap();
        s.update(3, w("150")).unwrap();
        assert_eq!(s.price(), w("103"));
        // 1 block later: band [103·0.99, 103·1.01] = [101.97, 104.03]; oracle 50 -> 101.97.
        s.update(4, w("50")).unwrap();
        assert_eq!(s.price(), w("101.97"));
        // Inside the band the stable price is the oracle price.
        s.update(5, w("101")).unwrap();
        assert_eq!(s.price(), w("101"));
    }

    #[test]
    fn the_bounds_round_toward_the_stable_price() {
        // s = 3e-18, r = 0.5 (1 block): s·(1 − r) = 1.5e-18, lower bound ⌈1.5e-18⌉ = 2e-18;
        // s·(1 + r) = 4.5e-18, upper bound ⌊4.5e-18⌋ = 4e-18. Each move is 1e-18 < 1.5e-18.
        let mut down = StablePrice::new(Wad::from_raw(3), w("0.5"), 0).unwrap();
        down.update(1, Wad::EPSILON).unwrap();
        assert_eq!(down.price(), Wad::from_raw(2));
        let mut up = StablePrice::new(Wad::from_raw(3), w("0.5"), 0).unwrap();
        up.update(1, w("1")).unwrap();
        assert_eq!(up.price(), Wad::from_raw(4));
        // dt = 0: r = 0, the price cannot move.
        up.update(1, w("1")).unwrap();
        assert_eq!(up.price(), Wad::from_raw(4));
    }

    #[test]
    fn a_long_wait_lets_it_reach_any_price() {
        // limit 0.1 per block, 10 blocks: r = 1 (capped), band [0, 2·s].
        let mut s = StablePrice::new(w("100"), w("0.1"), 0).unwrap();
        s.update(10, w("0.5")).unwrap();
        assert_eq!(s.price(), w("0.5"));
        // Near the top of the range the upper bound saturates instead of overflowing.
        let mut t = StablePrice::new(Wad::MAX, w("0.1"), 0).unwrap();
        t.update(u64::MAX, Wad::MAX).unwrap();
        assert_eq!(t.price(), Wad::MAX);
    }

    #[test]
    fn bad_input_is_refused() {
        assert_eq!(
            StablePrice::new(Wad::ZERO, w("0.1"), 0),
            Err(Error::invalid("price", "must be > 0"))
        );
        assert_eq!(
            StablePrice::new(w("1"), w("-0.1"), 0),
            Err(Error::invalid("growth_limit", "must be ≥ 0"))
        );
        let mut s = StablePrice::new(w("1"), w("0.1"), 5).unwrap();
        assert_eq!(
            s.update(4, w("1")),
            Err(Error::invalid("block", "must not be before the last update"))
        );
        assert_eq!(s.update(6, w("0")), Err(Error::invalid("price", "must be > 0")));
        assert_eq!((s.price(), s.last_update()), (w("1"), 5));
    }
}
