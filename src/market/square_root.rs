//! Square-root price impact: the impact of a cumulative net sale `Q` is `y·σ·√(Q/V)`.

use super::depth::{THREE, TWO, arbitrage_side, check_factor, check_qty, check_stop, settle};
use super::{Depth, Fill, Side};
use crate::wad;
use crate::{Error, Result, Rounding, Wad};

/// `3/2`, the exponent of the antiderivative `|x|^{3/2}`.
const THREE_HALVES: Wad = wad!("1.5");

/// Square-root price impact (the "square-root law" of market impact): with `Q` the cumulative
/// net base sold (negative after net buying), `I(Q) = y·σ·√(|Q|/V)` and the marginal price is
/// `p(Q) = p0·(1 − I(Q))` for `Q >= 0`, `p0·(1 + I(−Q))` for `Q < 0`.
///
/// Write `c = y·σ/√V` and `K = 2c/3`, so that `p(x) = p0·(1 − c·sgn(x)·√|x|)` and
/// `∫_a^b p = p0·[(b − a) − K·(|b|^{3/2} − |a|^{3/2})]` for any `a <= b`, across 0 too.
/// Depth runs out at `I = 1`, `Q_max = V/(y·σ)²`.
///
/// Rounding (`H↑`, `H↓` are `|x|^{3/2}` correctly rounded up and down, [`Wad::pow`]):
///
/// - `K↑ = ⌈2·⌈y·σ⌉ / (3·⌊√V⌋)⌉`, `K↓ = ⌊2·⌊y·σ⌋ / (3·⌈√V⌉)⌋`,
///   `c↑ = ⌈⌈y·σ⌉ / ⌊√V⌋⌉`, `c↓ = ⌊⌊y·σ⌋ / ⌈√V⌉⌋`, `Q_max = ⌊V / ⌈⌈y·σ⌉²⌉⌋`.
/// - **Sell** `q` from `Q`: `f = min(q, max(0, Q_max − Q))`, `D = H↑(Q+f) − H↓(Q)`,
///   `B = f − ⌈K·D⌉` (with `K↑` when `D >= 0`, `K↓` when `D < 0`), proceeds `⌊p0·max(B, 0)⌋`.
/// - **Buy** `q` from `Q` (no cap): `D = H↓(Q) − H↑(Q−q)`, `B = q − ⌊K·D⌋` (with `K↓` when
///   `D >= 0`, `K↑` when `D < 0`), cost `⌈p0·B⌉`.
/// - Marginal price, rounded down: `⌊p0·max(0, 1 − ⌈c↑·√|Q|↑⌉)⌋` for `Q >= 0`,
///   `⌊p0·(1 + ⌊c↓·√|Q|↓⌋)⌋` for `Q < 0`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "SquareRootImpactWire"))]
pub struct SquareRootImpact {
    price: Wad,
    y: Wad,
    sigma: Wad,
    volume: Wad,
    sold: Wad,
    #[cfg_attr(feature = "serde", serde(skip))]
    coefs: Coefs,
}

/// The constants derived from `(y, σ, V)`, each rounded both ways.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Coefs {
    k_up: Wad,
    k_dn: Wad,
    c_up: Wad,
    c_dn: Wad,
    q_max: Wad,
}

impl Coefs {
    /// The constants of `(y, σ, V)`; see [`SquareRootImpact`].
    fn new(y: Wad, sigma: Wad, volume: Wad) -> Result<Self> {
        let ys_up = y.mul_ceil(sigma)?;
        let ys_dn = y.mul_floor(sigma)?;
        let r_dn = volume.sqrt(Rounding::Floor)?;
        let r_up = volume.sqrt(Rounding::Ceil)?;
        let q_max = match volume.div_floor(ys_up.mul_ceil(ys_up)?) {
            Err(Error::Overflow) => Wad::MAX,
            other => other?,
        };
        Ok(Self {
            k_up: ys_up.mul_div_ceil(TWO, r_dn.mul_floor(THREE)?)?,
            k_dn: ys_dn.mul_div_floor(TWO, r_up.mul_floor(THREE)?)?,
            c_up: ys_up.div_ceil(r_dn)?,
            c_dn: ys_dn.div_floor(r_up)?,
            q_max,
        })
    }
}

/// `|x|^{3/2}` rounded in direction `rounding`.
fn h(x: Wad, rounding: Rounding) -> Result<Wad> {
    x.abs()?.pow(THREE_HALVES, rounding)
}

impl SquareRootImpact {
    /// A market at price `price` with impact coefficient `y` (the "Y" of the square-root law,
    /// of order 1), volatility `sigma` and volume `volume` (`V`, in base units).
    ///
    /// Errors: [`Error::Invalid`] naming `price`, `y`, `sigma` or `volume` unless it is `> 0`.
    pub fn new(price: Wad, y: Wad, sigma: Wad, volume: Wad) -> Result<Self> {
        Self::with_sold(price, y, sigma, volume, Wad::ZERO)
    }

    /// A market whose anchor price (at `Q = 0`) is `price` with `sold` base units already sold
    /// into it (negative: bought).
    ///
    /// Errors: as [`new`](Self::new); [`Error::Invalid`] naming `sold` when `sold > Q_max`;
    /// [`Error::Overflow`] when the marginal price does not fit.
    pub fn with_sold(price: Wad, y: Wad, sigma: Wad, volume: Wad, sold: Wad) -> Result<Self> {
        for (value, what) in [(price, "price"), (y, "y"), (sigma, "sigma"), (volume, "volume")] {
            if !value.is_positive() {
                return Err(Error::invalid(what, "must be > 0"));
            }
        }
        let coefs = Coefs::new(y, sigma, volume)?;
        if sold > coefs.q_max {
            return Err(Error::invalid("sold", "must be at most the depth Q_max"));
        }
        let m = Self {
            price,
            y,
            sigma,
            volume,
            sold,
            coefs,
        };
        m.marginal(sold)?;
        Ok(m)
    }

    /// The anchor price `p0` (the marginal price at `Q = 0`).
    #[must_use]
    pub const fn anchor(&self) -> Wad {
        self.price
    }

    /// The impact coefficient `y`.
    #[must_use]
    pub const fn y(&self) -> Wad {
        self.y
    }

    /// The volatility `σ`.
    #[must_use]
    pub const fn sigma(&self) -> Wad {
        self.sigma
    }

    /// The volume `V`.
    #[must_use]
    pub const fn volume(&self) -> Wad {
        self.volume
    }

    /// The cumulative net base sold, `Q`.
    #[must_use]
    pub const fn sold(&self) -> Wad {
        self.sold
    }

    /// The marginal price at `q`, rounded down.
    fn marginal(&self, q: Wad) -> Result<Wad> {
        let c = self.coefs;
        let factor = if q.is_negative() {
            let root = q.abs()?.sqrt(Rounding::Floor)?;
            Wad::ONE.add(c.c_dn.mul_floor(root)?)?
        } else {
            let root = q.sqrt(Rounding::Ceil)?;
            Wad::ONE.sub(c.c_up.mul_ceil(root)?)?.max(Wad::ZERO)
        };
        self.price.mul_floor(factor)
    }

    /// The fill and the new `Q` of trading `qty` on `side`.
    fn next(&self, side: Side, qty: Wad) -> Result<(Fill, Wad)> {
        check_qty(qty)?;
        let q = self.sold;
        let before = self.marginal(q)?;
        if qty.is_zero() {
            return Ok((Fill::empty(side, Wad::ZERO, before), q));
        }
        let c = self.coefs;
        let (filled, proceeds, nq) = match side {
            Side::Sell => {
                let f = qty.min(c.q_max.sub(q)?.max(Wad::ZERO));
                let nq = q.add(f)?;
                let d = h(nq, Rounding::Ceil)?.sub(h(q, Rounding::Floor)?)?;
                let k = if d.is_negative() { c.k_dn } else { c.k_up };
                let bracket = f.sub(k.mul_ceil(d)?)?.max(Wad::ZERO);
                (f, self.price.mul_floor(bracket)?, nq)
            }
            Side::Buy => {
                let nq = q.sub(qty)?;
                let d = h(q, Rounding::Floor)?.sub(h(nq, Rounding::Ceil)?)?;
                let k = if d.is_negative() { c.k_up } else { c.k_dn };
                let bracket = qty.sub(k.mul_floor(d)?)?;
                (qty, self.price.mul_ceil(bracket)?, nq)
            }
        };
        let after = self.marginal(nq)?;
        Ok((Fill::new(side, qty, filled, proceeds, before, after)?, nq))
    }

    /// `Q` where the marginal price is `reference`, rounded in direction `rounding`:
    /// `Q* = V·((1 − r/p0)/(y·σ))²` when `r <= p0`, `−V·((r/p0 − 1)/(y·σ))²` when above.
    fn level_of(&self, reference: Wad, rounding: Rounding) -> Result<Wad> {
        // Q* >= 0 is rounded as its magnitude; Q* < 0 the other way.
        let (negative, magnitude_dir) = if reference <= self.price {
            (false, rounding)
        } else {
            (true, rounding.reverse())
        };
        let g = if negative {
            reference.div(self.price, magnitude_dir)?.sub(Wad::ONE)?
        } else {
            Wad::ONE.sub(reference.div(self.price, magnitude_dir.reverse())?)?
        };
        let ys = self.y.mul(self.sigma, magnitude_dir.reverse())?;
        let m = self.volume.mul_div(
            g.mul(g, magnitude_dir)?,
            ys.mul(ys, magnitude_dir.reverse())?,
            magnitude_dir,
        )?;
        if negative { m.neg() } else { Ok(m) }
    }
}

impl Depth for SquareRootImpact {
    fn price(&self) -> Wad {
        // Checked at construction and after every trade.
        self.marginal(self.sold).unwrap_or(Wad::ZERO)
    }

    fn quote(&self, side: Side, qty: Wad) -> Result<Fill> {
        self.next(side, qty).map(|(fill, _)| fill)
    }

    fn trade(&mut self, side: Side, qty: Wad) -> Result<Fill> {
        let (fill, q) = self.next(side, qty)?;
        self.sold = q;
        Ok(fill)
    }

    /// Scales the volume by `factor`, `V' = ⌊V·f⌋`, and the sold quantity with it,
    /// `Q' = ⌈Q·V'/V⌉` (rounded toward a lower price), so that the impact already paid is kept
    /// and every further unit moves the price more.
    ///
    /// Errors: [`Error::Invalid`] naming `stress` unless `0 < factor <= 1` or when `V'` is 0;
    /// [`Error::Overflow`].
    fn stress(&mut self, factor: Wad) -> Result<()> {
        check_factor(factor)?;
        let volume = self.volume.mul_floor(factor)?;
        if !volume.is_positive() {
            return Err(Error::invalid(
                "stress",
                "leaves a volume of 0: the factor is too small for this market",
            ));
        }
        let sold = self.sold.mul_div_ceil(volume, self.volume)?;
        let next = Self {
            volume,
            sold,
            coefs: Coefs::new(self.y, self.sigma, volume)?,
            ..*self
        };
        next.marginal(sold)?;
        *self = next;
        Ok(())
    }

    /// Closed form: the price equals `r` at `Q* = ±V·(|1 − r/p0| / (y·σ))²` (see the type);
    /// a buy goes to `Q*` rounded up, a sell to `Q*` rounded down, capped by `capacity` and
    /// shrunk if the rounded marginal price would pass `r`.
    /// The marginal price `p0·(1 − c·√(Q + q))` (with `c = y·σ/√V`; `p0·(1 + c·√(−Q − q))`
    /// while `Q + q < 0`) stays at or above `p` while
    ///
    /// - `p ≤ p0`: `Q + q ≤ ((1 − p/p0) / c)²`;
    /// - `p > p0`: `−(Q + q) ≥ ((p/p0 − 1) / c)²`,
    ///
    /// with `p/p0` rounded up and `c` rounded so that `q` is rounded down, within the depth left.
    fn sellable_above(&self, price: Wad) -> Result<Wad> {
        check_stop(price)?;
        let c = self.coefs;
        let ratio = price.div_ceil(self.price)?;
        let q = if ratio <= Wad::ONE {
            let reach = Wad::ONE.sub(ratio)?.div_floor(c.c_up)?;
            // Past the Wad range the depth left binds anyway.
            match reach.mul_floor(reach).and_then(|t| t.sub(self.sold)) {
                Err(Error::Overflow) => Wad::MAX,
                other => other?,
            }
        } else {
            // With `c↓ = 0` the price never rises above p0; a `keep` past the Wad range is
            // more than any `−Q`: nothing sells in either case.
            let keep = ratio.sub(Wad::ONE)?.div_ceil(c.c_dn).and_then(|k| k.mul_ceil(k));
            match keep {
                Ok(keep) => self.sold.add(keep)?.neg()?,
                Err(Error::Overflow | Error::DivisionByZero) => Wad::ZERO,
                Err(e) => return Err(e),
            }
        };
        Ok(q.max(Wad::ZERO).min(c.q_max.sub(self.sold)?.max(Wad::ZERO)))
    }

    fn arbitrage(&mut self, reference: Wad, capacity: Wad) -> Result<Fill> {
        let Some(side) = arbitrage_side(self.price(), reference, capacity)? else {
            return Ok(Fill::empty(Side::Buy, Wad::ZERO, self.price()));
        };
        let qty = match side {
            Side::Buy => self.sold.sub(self.level_of(reference, Rounding::Ceil)?)?,
            Side::Sell => self.level_of(reference, Rounding::Floor)?.sub(self.sold)?,
        };
        settle(self, side, qty.max(Wad::ZERO), capacity, reference)
    }

    fn anchor(&self) -> Wad {
        Self::anchor(self)
    }
}

/// A square-root-impact market as written on the wire (see [`crate::wire`]): every field
/// `None` when absent; deserializing goes through [`SquareRootImpact::with_sold`].
#[cfg(feature = "serde")]
#[derive(Clone, Copy, Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct SquareRootImpactWire {
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) price: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) y: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) sigma: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) volume: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) sold: Option<Wad>,
}

#[cfg(feature = "serde")]
impl TryFrom<SquareRootImpactWire> for SquareRootImpact {
    type Error = Error;

    /// [`SquareRootImpact::with_sold`] of the four parameters (required) and `sold` (0 when
    /// absent: a market nothing has been sold into yet).
    fn try_from(w: SquareRootImpactWire) -> Result<Self> {
        use crate::wire::need;
        Self::with_sold(
            need(w.price, "price")?,
            need(w.y, "y")?,
            need(w.sigma, "sigma")?,
            need(w.volume, "volume")?,
            w.sold.unwrap_or(Wad::ZERO),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::w;

    /// p0 = 100, y = 1, σ = 0.5, V = 100: c = 0.05, K = 1/30, Q_max = 400.
    fn market() -> SquareRootImpact {
        SquareRootImpact::new(w("100"), w("1"), w("0.5"), w("100")).unwrap()
    }

    #[test]
    fn validates() {
        let e = |what, why| Err(Error::Invalid { what, why });
        assert_eq!(
            SquareRootImpact::new(Wad::ZERO, w("1"), w("1"), w("1")),
            e("price", "must be > 0")
        );
        assert_eq!(
            SquareRootImpact::new(w("1"), Wad::ZERO, w("1"), w("1")),
            e("y", "must be > 0")
        );
        assert_eq!(
            SquareRootImpact::new(w("1"), w("1"), w("-1"), w("1")),
            e("sigma", "must be > 0")
        );
        assert_eq!(
            SquareRootImpact::new(w("1"), w("1"), w("1"), Wad::ZERO),
            e("volume", "must be > 0")
        );
    }

    #[test]
    fn sell_by_hand() {
        // Sell 4: I(4) = 0.05·2 = 0.1, price 90. Proceeds 100·(4 − (1/30)·8) = 400 − 80/3
        // = 373.333…: K↑ = ⌈2·0.5/30⌉ = 0.033333333333333334, ·8 = 0.266666666666666672,
        // B = 3.733333333333333328, proceeds 373.3333333333333328.
        let mut m = market();
        let f = m.sell(w("4")).unwrap();
        assert_eq!(f.price_after, w("90"));
        assert_eq!(f.proceeds, w("373.3333333333333328"));
        // Depth: Q_max = 100/0.25 = 400; from Q = 4 at most 396 more, price 0.
        let f = m.sell(w("1000")).unwrap();
        assert_eq!((f.filled, f.unfilled, f.price_after), (w("396"), w("604"), Wad::ZERO));
    }

    #[test]
    fn buy_crosses_zero() {
        // From Q = 4 buy 8: D = H↓(4) − H↑(−4) = 8 − 8 = 0, cost 100·8 = 800 (the two halves
        // of the curve cancel); price after 100·(1 + 0.05·2) = 110.
        let mut m = market();
        m.sell(w("4")).unwrap();
        let f = m.buy(w("8")).unwrap();
        assert_eq!((f.proceeds, f.price_after), (w("800"), w("110")));
    }

    #[test]
    fn arbitrage_and_stress() {
        // r = 90: Q* = 100·(0.1/0.5)² = 4.
        let mut m = market();
        let f = m.arbitrage(w("90"), w("10")).unwrap();
        assert_eq!((f.filled, f.price_after), (w("4"), w("90")));
        // Stress ½: V' = 50, Q' = 2, the price stays 90 up to the rounding of c↑ = ⌈0.5/⌊√50⌋⌉
        // (irrational now), which only lowers it.
        m.stress(w("0.5")).unwrap();
        assert_eq!((m.volume(), m.sold()), (w("50"), w("2")));
        assert!(m.price() <= w("90") && m.price() > w("89.99999999999999"));
    }

    #[test]
    fn sellable_above_by_hand() {
        // p0 = 100, y = 1, σ = 0.5, V = 10000: c = 0.005; 100·(1 − 0.005·√q) = 90 at √q = 20.
        let m = SquareRootImpact::new(w("100"), w("1"), w("0.5"), w("10000")).unwrap();
        assert_eq!(m.sellable_above(w("90")).unwrap(), w("400"));
        assert_eq!(m.sellable_above(w("100")).unwrap(), Wad::ZERO);
        // 100 already sold: 300 more.
        let m = SquareRootImpact::with_sold(w("100"), w("1"), w("0.5"), w("10000"), w("100")).unwrap();
        assert_eq!(m.sellable_above(w("90")).unwrap(), w("300"));
        // 400 bought (price 110): selling down to 105 keeps −Q ≥ (0.05/0.005)² = 100, so 300.
        let m = SquareRootImpact::with_sold(w("100"), w("1"), w("0.5"), w("10000"), w("-400")).unwrap();
        assert_eq!(m.sellable_above(w("105")).unwrap(), w("300"));
    }

    #[test]
    fn sellable_above_the_anchor_of_a_deep_market_is_zero() {
        // Regression: y = 1, σ = 1e-9, V = 1e20: c↓ = ⌊1e-9/1e10⌋ = 0, which divided (ratio − 1)
        // before; σ = 0.01: c↓ = 1e-12, keep = ⌈0.5/1e-12⌉² = 2.5e23 overflowed before.
        let deep = SquareRootImpact::new(w("90"), w("1"), w("0.000000001"), w("100000000000000000000")).unwrap();
        assert_eq!(deep.sellable_above(w("100")).unwrap(), Wad::ZERO);
        let deep = SquareRootImpact::new(w("90"), w("1"), w("0.01"), w("100000000000000000000")).unwrap();
        assert_eq!(deep.sellable_above(w("135")).unwrap(), Wad::ZERO);
    }
}
