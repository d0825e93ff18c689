//! The constant-product AMM (Uniswap v2 style): reserves `x` (base) and `y` (quote), `x·y`
//! never decreasing, a fee taken on the input.

use super::depth::{FOUR, TWO, arbitrage_side, check_factor, check_qty, check_stop, settle};
use super::{Depth, Fill, Side};
use crate::{Error, Result, Rounding, Wad};

/// A constant-product pool with reserves `base` (`x`) and `quote` (`y`) and a fee in
/// `[0, 1)` taken on the input; `γ = 1 − fee`. The marginal price is `y / x` (rounded down).
///
/// - **Sell** `dx`: the pool credits the effective input `d = ⌊dx·γ⌋` and pays
///   `dy = ⌊y·d / (x + d)⌋`; reserves become `(x + dx, y − dy)` (the fee stays in the pool).
///   Every sell fills.
/// - **Buy** `dx`: the taker pays `dy = ⌈y·dx / ⌊(x − dx)·γ⌋⌉`; reserves become
///   `(x − dx, y + dy)`. At most `x − 1e-18` can be bought (one unit stays in the pool): a
///   request of more fills `x − 1e-18` and leaves the rest unfilled; when the cost of the
///   fill does not fit a [`Wad`] the trade is [`Error::Overflow`].
///
/// Both roundings go to the pool, so `k = x·y` never decreases.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "ConstantProductWire"))]
pub struct ConstantProduct {
    base: Wad,
    quote: Wad,
    fee: Wad,
}

/// The state after a trade: the fill and the new reserves.
type Next = (Fill, Wad, Wad);

impl ConstantProduct {
    /// A pool with reserves `base` and `quote` and fee `fee`.
    ///
    /// Errors: [`Error::Invalid`] naming `base` unless `base > 0`, `quote` unless `quote > 0`,
    /// `fee` unless `0 <= fee < 1`; [`Error::Overflow`] when the price `quote / base` does not
    /// fit.
    pub fn new(base: Wad, quote: Wad, fee: Wad) -> Result<Self> {
        if !base.is_positive() {
            return Err(Error::invalid("base", "must be > 0"));
        }
        if !quote.is_positive() {
            return Err(Error::invalid("quote", "must be > 0"));
        }
        if fee.is_negative() || fee >= Wad::ONE {
            return Err(Error::invalid("fee", "must be in [0, 1)"));
        }
        quote.div_floor(base)?;
        Ok(Self { base, quote, fee })
    }

    /// The base reserve `x`.
    #[must_use]
    pub const fn base(&self) -> Wad {
        self.base
    }

    /// The quote reserve `y`.
    #[must_use]
    pub const fn quote_reserve(&self) -> Wad {
        self.quote
    }

    /// The fee, in `[0, 1)`.
    #[must_use]
    pub const fn fee(&self) -> Wad {
        self.fee
    }

    /// `γ = 1 − fee`, exact and in `(0, 1]`.
    fn gamma(&self) -> Result<Wad> {
        Wad::ONE.sub(self.fee)
    }

    /// The marginal price `⌊y / x⌋` of reserves `(x, y)`.
    fn price_of(x: Wad, y: Wad) -> Result<Wad> {
        y.div_floor(x)
    }

    /// The fill and new reserves of trading `qty` on `side`.
    fn next(&self, side: Side, qty: Wad) -> Result<Next> {
        check_qty(qty)?;
        let (x, y) = (self.base, self.quote);
        let before = Self::price_of(x, y)?;
        if qty.is_zero() {
            return Ok((Fill::empty(side, Wad::ZERO, before), x, y));
        }
        let gamma = self.gamma()?;
        let (filled, proceeds, nx, ny) = match side {
            Side::Sell => {
                let d = qty.mul_floor(gamma)?;
                let dy = y.mul_div_floor(d, x.add(d)?)?;
                (qty, dy, x.add(qty)?, y.sub(dy)?)
            }
            Side::Buy => {
                let filled = qty.min(x.sub(Wad::EPSILON)?);
                let left = x.sub(filled)?;
                let denom = left.mul_floor(gamma)?;
                let dy = y.mul_div_ceil(filled, denom).map_err(|e| match e {
                    Error::DivisionByZero => Error::Overflow,
                    other => other,
                })?;
                (filled, dy, left, y.add(dy)?)
            }
        };
        let after = Self::price_of(nx, ny)?;
        let fill = Fill::new(side, qty, filled, proceeds, before, after)?;
        Ok((fill, nx, ny))
    }

    /// The base quantity that moves the marginal price to `reference` on `side`, rounded so
    /// that it does not pass it (see [`Depth::arbitrage`] for this model).
    fn arbitrage_qty(&self, side: Side, reference: Wad) -> Result<Wad> {
        let (x, y) = (self.base, self.quote);
        let gamma = self.gamma()?;
        let one_plus = Wad::ONE.add(gamma)?;
        let four_gamma = gamma.mul_floor(FOUR)?;
        match side {
            Side::Sell => {
                // ρ = y/(x·r) >= 1, down; t = (√((1+γ)² + 4γ(ρ−1)) − (1+γ)) / 2, down.
                let rho = y.div_floor(x.mul_ceil(reference)?)?;
                let disc = one_plus
                    .mul_floor(one_plus)?
                    .add(four_gamma.mul_floor(rho.sub(Wad::ONE)?)?)?;
                let t = disc.sqrt(Rounding::Floor)?.sub(one_plus)?.div_floor(TWO)?;
                let d = x.mul_floor(t.max(Wad::ZERO))?;
                d.div_floor(gamma)
            }
            Side::Buy => {
                // ρ = y/(x·r) < 1, up; s = (√(ρ²fee² + 4γρ) − ρ·fee) / (2γ), up; x' = ⌈x·s⌉.
                let rho = y.div_ceil(x.mul_floor(reference)?)?;
                let a = rho.mul_ceil(self.fee)?;
                let disc = a.mul_ceil(a)?.add(four_gamma.mul_ceil(rho)?)?;
                let s = disc
                    .sqrt(Rounding::Ceil)?
                    .sub(rho.mul_floor(self.fee)?)?
                    .div_ceil(gamma.mul_floor(TWO)?)?;
                let keep = x.mul_ceil(s)?;
                Ok(x.sub(keep)?.max(Wad::ZERO))
            }
        }
    }
}

impl Depth for ConstantProduct {
    fn price(&self) -> Wad {
        // Checked at construction and after every trade.
        Self::price_of(self.base, self.quote).unwrap_or(Wad::MAX)
    }

    fn quote(&self, side: Side, qty: Wad) -> Result<Fill> {
        self.next(side, qty).map(|(fill, _, _)| fill)
    }

    /// `⌊y·d / (x + d)⌋` with `d = ⌊qty·γ⌋` (`qty` itself without a fee: exact), the sell's
    /// proceeds, without its prices. The same errors as the quote: its other steps cannot fail
    /// where these do not (`x + d ≤ x + qty`, checked; the proceeds are below `y`; the price
    /// after and the average price are at most `y/x`, which fits since construction).
    fn sell_proceeds(&self, qty: Wad) -> Result<Wad> {
        check_qty(qty)?;
        if qty.is_zero() {
            return Ok(Wad::ZERO);
        }
        let x = self.base;
        x.add(qty)?;
        let d = if self.fee.is_zero() {
            qty
        } else {
            qty.mul_floor(self.gamma()?)?
        };
        self.quote.mul_div_floor(d, x.add(d)?)
    }

    /// A sell fills all of `qty`, for [`sell_proceeds`](Depth::sell_proceeds).
    fn sell_filled(&self, qty: Wad) -> Result<(Wad, Wad)> {
        Ok((qty, self.sell_proceeds(qty)?))
    }

    /// `true`: a sell of `s` leaves reserves `x' = x + s ≥ x` and `y' = y − ⌊y·d_s/(x + d_s)⌋ ≤ y`,
    /// so every later sell's `y'·d/(x' + d) ≤ y·d/(x + d)` (the same `d = ⌊qty·γ⌋`), and its
    /// floor too.
    fn sales_lower_proceeds(&self) -> bool {
        true
    }

    fn trade(&mut self, side: Side, qty: Wad) -> Result<Fill> {
        let (fill, x, y) = self.next(side, qty)?;
        self.base = x;
        self.quote = y;
        Ok(fill)
    }

    /// Scales the quote reserve by `factor` (rounded down) and the base reserve so that the
    /// price does not rise: `y' = ⌊y·f⌋`, `x' = ⌈y'·x / y⌉`. Both reserves shrink by about
    /// `f`: the same price, `f²` of the liquidity `k`.
    ///
    /// Errors: [`Error::Invalid`] naming `stress` unless `0 < factor <= 1` or when `y'` is 0.
    fn stress(&mut self, factor: Wad) -> Result<()> {
        check_factor(factor)?;
        let y = self.quote.mul_floor(factor)?;
        if !y.is_positive() {
            return Err(Error::invalid(
                "stress",
                "leaves a quote reserve of 0: the factor is too small for this pool",
            ));
        }
        let x = y.mul_div_ceil(self.base, self.quote)?;
        Self::price_of(x, y)?;
        self.base = x;
        self.quote = y;
        Ok(())
    }

    /// Closed form, with `ρ = y / (x·r)` and `γ = 1 − fee`: the pool price `y/x` after the
    /// trade equals `r` when
    ///
    /// - selling (`ρ > 1`) the effective input `d = x·t`, `t = (√((1+γ)² + 4γ(ρ−1)) − (1+γ))/2`,
    ///   i.e. `dx = d/γ` (every step rounded down);
    /// - buying (`ρ < 1`) until `x' = x·s`, `s = (√(ρ²·fee² + 4γρ) − ρ·fee)/(2γ)` (every step
    ///   rounded up), i.e. `dx = x − x'`.
    ///
    /// The quantity is capped by `capacity` and then shrunk if rounding left the price past
    /// `r`. With `fee = 0` both reduce to `x' = √(x·y/r)`.
    /// Selling `q` earns `y·γq / (x + γq)`, whose derivative `γxy / (x + γq)²` stays at or above
    /// `p` while `q ≤ x·(√⌊γ·⌊y/x⌋/p⌋ − 1)/γ`; every step rounds down (a quantity past the
    /// `Wad` range is reported as [`Wad::MAX`]).
    fn sellable_above(&self, price: Wad) -> Result<Wad> {
        check_stop(price)?;
        let gamma = self.gamma()?;
        let pool_price = Self::price_of(self.base, self.quote)?;
        // √⌊γP/p⌋; when γP/p leaves the Wad range, ⌊√⌊γP⌋⌋ / ⌈√p⌉ (also a lower bound).
        let root = match gamma.mul_div_floor(pool_price, price) {
            Ok(ratio) => ratio.sqrt(Rounding::Floor)?,
            Err(Error::Overflow) => gamma
                .mul_floor(pool_price)?
                .sqrt(Rounding::Floor)?
                .div_floor(price.sqrt(Rounding::Ceil)?)?,
            Err(e) => return Err(e),
        };
        if root <= Wad::ONE {
            return Ok(Wad::ZERO);
        }
        // A quantity past the Wad range is more than anything can sell: the range's end.
        match self
            .base
            .mul_floor(root.sub(Wad::ONE)?)
            .and_then(|q| q.div_floor(gamma))
        {
            Err(Error::Overflow) => Ok(Wad::MAX),
            other => other,
        }
    }

    fn arbitrage(&mut self, reference: Wad, capacity: Wad) -> Result<Fill> {
        let Some(side) = arbitrage_side(self.price(), reference, capacity)? else {
            return Ok(Fill::empty(Side::Buy, Wad::ZERO, self.price()));
        };
        let qty = self.arbitrage_qty(side, reference)?;
        settle(self, side, qty, capacity, reference)
    }
}

/// A constant-product pool as written on the wire (see [`crate::wire`]): every field `None`
/// when absent; deserializing goes through [`ConstantProduct::new`].
#[cfg(feature = "serde")]
#[derive(Clone, Copy, Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct ConstantProductWire {
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) base: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) quote: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) fee: Option<Wad>,
}

#[cfg(feature = "serde")]
impl TryFrom<ConstantProductWire> for ConstantProduct {
    type Error = Error;

    /// [`ConstantProduct::new`] of the reserves (required) and `fee` (0 when absent).
    fn try_from(w: ConstantProductWire) -> Result<Self> {
        use crate::wire::need;
        Self::new(
            need(w.base, "base")?,
            need(w.quote, "quote")?,
            w.fee.unwrap_or(Wad::ZERO),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::w;

    fn pool() -> ConstantProduct {
        ConstantProduct::new(w("100"), w("10000"), w("0.003")).unwrap()
    }

    #[test]
    fn validates() {
        let e = |what, why| Err(Error::Invalid { what, why });
        assert_eq!(
            ConstantProduct::new(Wad::ZERO, w("1"), Wad::ZERO),
            e("base", "must be > 0")
        );
        assert_eq!(
            ConstantProduct::new(w("1"), w("-1"), Wad::ZERO),
            e("quote", "must be > 0")
        );
        assert_eq!(
            ConstantProduct::new(w("1"), w("1"), Wad::ONE),
            e("fee", "must be in [0, 1)")
        );
        assert_eq!(
            ConstantProduct::new(w("1"), w("1"), w("-0.1")),
            e("fee", "must be in [0, 1)")
        );
        assert_eq!(
            pool().quote(Side::Sell, w("-1")),
            Err(Error::invalid("qty", "must be ≥ 0"))
        );
    }

    #[test]
    fn sell_by_hand() {
        // d = 10·0.997 = 9.97; dy = 10000·9.97/109.97 = 906.610893880149131581…, down.
        let mut p = pool();
        let f = p.sell(w("10")).unwrap();
        assert_eq!(f.proceeds, w("906.610893880149131581"));
        assert_eq!(f.filled, w("10"));
        assert_eq!(f.price_before, w("100"));
        // y' = 9093.389106119850868419, x' = 110: 82.667173692...
        assert_eq!(p.quote_reserve(), w("9093.389106119850868419"));
        assert_eq!(p.base(), w("110"));
        // 9093.389106119850868419 / 110 = 82.66717369199864425835…
        assert_eq!(f.price_after, w("82.667173691998644258"));
        // avg = 90.6610893880149131581 → 90.661089388014913158.
        assert_eq!(f.avg_price, w("90.661089388014913158"));
    }

    #[test]
    fn buy_by_hand() {
        // Fee 0: buy 50 of 100 against 10000: 10000·50/50 = 10000 exactly.
        let mut p = ConstantProduct::new(w("100"), w("10000"), Wad::ZERO).unwrap();
        let f = p.buy(w("50")).unwrap();
        assert_eq!(
            (f.proceeds, f.avg_price, f.price_after),
            (w("10000"), w("200"), w("400"))
        );
        // Buying the whole pool fills all but one unit; its cost overflows here.
        assert_eq!(p.quote(Side::Buy, w("50")), Err(Error::Overflow));
        // x = 1e-8, y = 1e-9: a buy of 1 fills x − 1e-18 = 0.000000009999999999 for
        // 1e-9·0.000000009999999999/1e-18 = 9.999999999; y' = 10, price 10/1e-18 = 1e19.
        let tiny = ConstantProduct::new(w("0.00000001"), w("0.000000001"), Wad::ZERO).unwrap();
        let f = tiny.quote(Side::Buy, w("1")).unwrap();
        assert_eq!(f.filled, w("0.000000009999999999"));
        assert_eq!(f.unfilled, w("0.999999990000000001"));
        assert_eq!(f.proceeds, w("9.999999999"));
        assert_eq!(f.price_after, w("10000000000000000000"));
    }

    #[test]
    fn arbitrage_without_fee_reaches_the_square_root() {
        // x·y = 1e6, r = 25: x' = √(1e6/25) = 200, so sell 100 base; price after 5000/200 = 25.
        let mut p = ConstantProduct::new(w("100"), w("10000"), Wad::ZERO).unwrap();
        let f = p.arbitrage(w("25"), w("1000")).unwrap();
        assert_eq!((f.side, f.filled, f.price_after), (Side::Sell, w("100"), w("25")));
        // Back up to 100: x' = √(1e6/100) = 100, buy 100 back.
        let f = p.arbitrage(w("100"), w("1000")).unwrap();
        assert_eq!((f.side, f.filled, f.price_after), (Side::Buy, w("100"), w("100")));
        // Capacity caps it.
        let f = p.arbitrage(w("25"), w("10")).unwrap();
        assert_eq!(f.filled, w("10"));
        // Already there: nothing.
        let mut q = ConstantProduct::new(w("100"), w("10000"), Wad::ZERO).unwrap();
        assert_eq!(q.arbitrage(w("100"), w("5")).unwrap().filled, Wad::ZERO);
    }

    #[test]
    fn arbitrage_with_fee_stops_at_or_short_of_the_reference() {
        let mut p = pool();
        let f = p.arbitrage(w("81"), w("1000")).unwrap();
        assert!(f.price_after >= w("81") && f.price_after < w("81.000000001"));
        assert!(p.quote_reserve() >= w("81").mul_floor(p.base()).unwrap());
        let mut p = pool();
        let f = p.arbitrage(w("121"), w("1000")).unwrap();
        assert!(f.price_after <= w("121") && f.price_after >= w("120.99"));
    }

    #[test]
    fn stress_keeps_the_price_and_shrinks_the_reserves() {
        // y' = 5000, x' = ⌈5000·100/10000⌉ = 50.
        let mut p = pool();
        p.stress(w("0.5")).unwrap();
        assert_eq!((p.base(), p.quote_reserve(), p.price()), (w("50"), w("5000"), w("100")));
        assert_eq!(p.stress(Wad::ZERO), Err(Error::invalid("stress", "must be in (0, 1]")));
        assert_eq!(p.stress(w("1.01")), Err(Error::invalid("stress", "must be in (0, 1]")));
    }

    /// `sell_proceeds` is the quote's proceeds, value and error, on 20,000 random pools (tiny
    /// to huge, fees 0, 0.3 % and 30 %) and quantities (up to the whole wad range).
    #[test]
    fn sell_proceeds_are_the_quotes() {
        let mut rng = crate::rng::SplitMix64::new(0xc0ff_ee19);
        let mut next = move || rng.next_u64();
        let log_uniform = crate::test_support::log_uniform;
        let mut checked = 0;
        for i in 0..20_000u32 {
            let fee = [Wad::ZERO, w("0.003"), w("0.3")][(i % 3) as usize];
            let (x, y) = (log_uniform(-18, 20, &mut next), log_uniform(-18, 20, &mut next));
            let Ok(p) = ConstantProduct::new(x, y, fee) else {
                continue;
            };
            let qty = match i % 5 {
                0 => Wad::MAX,
                1 => Wad::ZERO,
                _ => log_uniform(-18, 20, &mut next),
            };
            assert_eq!(
                p.sell_proceeds(qty),
                p.quote_sell(qty).map(|f| f.proceeds),
                "{p:?} {qty}"
            );
            checked += 1;
        }
        assert!(checked > 15_000, "{checked}");
        assert_eq!(pool().sell_proceeds(w("-1")), Err(Error::invalid("qty", "must be ≥ 0")));
    }

    #[test]
    fn sellable_above_by_hand() {
        // x = 100, y = 10000, no fee: MR(q) = 10^6 / (100 + q)² = 25 at q = 100.
        let p = ConstantProduct::new(w("100"), w("10000"), Wad::ZERO).unwrap();
        assert_eq!(p.sellable_above(w("25")).unwrap(), w("100"));
        assert_eq!(p.sellable_above(w("100")).unwrap(), Wad::ZERO);
        assert_eq!(p.sellable_above(w("101")).unwrap(), Wad::ZERO);
        // With a 0.3 % fee, q = 100·(√3.988 − 1)/0.997: the derivative is ≥ 25 there and
        // below 25 one millionth further.
        let q = pool().sellable_above(w("25")).unwrap();
        let mr = |q: Wad| {
            // γxy/(x + γq)² with γ = 0.997.
            let d = w("100").add(q.mul_floor(w("0.997")).unwrap()).unwrap();
            w("997000").div_floor(d.mul_ceil(d).unwrap()).unwrap()
        };
        assert!(mr(q) >= w("25"), "{q}");
        assert!(mr(q.add(w("0.000001")).unwrap()) < w("25"), "{q}");
        assert_eq!(p.sellable_above(Wad::ZERO), Err(Error::invalid("price", "must be > 0")));
        // γP/p = 1e20/0.1 = 1e21 leaves the Wad range: √(1e20) / ⌈√0.1⌉ = 1e10 / 0.316227766016837934
        // = 31622776601.683793239977870888 (down), so q = ⌊1e-6 · (that − 1)⌋ = 31622.776600683793239977.
        let deep = ConstantProduct::new(w("0.000001"), w("100000000000000"), Wad::ZERO).unwrap();
        assert_eq!(deep.sellable_above(w("0.1")).unwrap(), w("31622.776600683793239977"));
    }
}
