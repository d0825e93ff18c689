//! An AMM options pool: liquidity providers sell options to traders at a Black-Scholes price
//! with a utilisation-dependent volatility mark-up, and the providers' equity under a joint
//! spot and volatility shock — the second-order risk of a pool that is always net short.
//!
//! # The quote (rounded against the trader, who buys from the pool)
//!
//! With liquidity `L`, the strike notional already sold `N = Σ ⌈q·K⌉`, the pool's volatility
//! `σ` and mark-up `k`, a trader buying `q > 0` options struck at `K` pays
//!
//! ```text
//! u     = ⌈(N + ⌈q·K⌉) / L⌉            utilisation after the sale, at most 1
//! σ_q   = ⌈σ · (1 + ⌈k·u⌉)⌉            the quoted volatility
//! unit  = ⌈V(S, K, σ_q, t, r, y)⌉      the Black-Scholes-Merton price, rounded up
//! premium = ⌈q · unit⌉
//! ```
//!
//! The utilisation is taken after the sale (the trade pays for the utilisation it creates)
//! and in strike notional (fixed at the sale, so it does not move with the spot; a put's
//! largest loss is exactly its strike notional). A sale that would take `u` above 1 is
//! refused (`quantity`). Validation keeps `⌈σ·(1 + k)⌉ ≤ 10`, so every quoted volatility is
//! a valid one. Every rounding is up, so the trader never pays less than the formula.
//!
//! # The stress (rounded against the providers)
//!
//! Under a [`Shock`] `(m, Δσ)` the options sold are revalued at the fair price of the
//! shocked market (`S' = ⌊S·m⌋`, `σ' = σ + Δσ`, no mark-up):
//!
//! ```text
//! value  = Σ ⌈q · ⌈V(S', K, σ', t, r, y)⌉⌉
//! equity = L + premiums − value            (rounded down, since value is rounded up)
//! solvent ⇔ equity ≥ 0
//! ```

use crate::error::ensure;
use crate::options::{BsInputs, BsInputsRaw, GridMarket, MAX_PRICE, MAX_T, MAX_VOL, OptionPosition, Shock, price};
use crate::{Error, Result, Rounding, Wad};

/// The default capacity of a pool's list of options sold.
pub const MAX_POOL_OPTIONS: usize = 16;

/// The fields of [`PoolParams`], unchecked: what is read from the wire and given to
/// [`PoolParams::new`]. The field names are the names errors use. On the wire `yield`
/// defaults to 0; the other fields are required.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "PoolWire"))]
pub struct PoolRaw {
    /// The pool's volatility `σ`, in `(0, 10]`.
    pub vol: Wad,
    /// The mark-up `k ≥ 0`: at full utilisation the quoted volatility is `σ·(1 + k)`.
    pub markup: Wad,
    /// The risk-free rate, in `[−1, 1]`.
    pub rate: Wad,
    /// The underlying's yield (`yield` on the wire), in `[−1, 1]`.
    #[cfg_attr(feature = "serde", serde(rename = "yield"))]
    pub yield_: Wad,
}

/// The parameters of a pool, validated: the ranges of [`PoolRaw`] and `⌈σ·(1 + k)⌉ ≤ 10`.
/// Serde reads a [`PoolRaw`] and goes through [`PoolParams::new`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "PoolRaw", into = "PoolRaw"))]
pub struct PoolParams {
    raw: PoolRaw,
}

/// A pool object as written on the wire (see [`crate::wire`]): every field `None` when absent.
#[cfg(feature = "serde")]
#[derive(Clone, Copy, Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct PoolWire {
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) vol: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) markup: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) rate: Option<Wad>,
    #[serde(rename = "yield", deserialize_with = "crate::wire::some")]
    pub(crate) yield_: Option<Wad>,
}

#[cfg(feature = "serde")]
impl TryFrom<PoolWire> for PoolRaw {
    type Error = Error;

    /// `vol`, `markup` and `rate` (required), `yield` 0 when absent.
    fn try_from(w: PoolWire) -> Result<Self> {
        use crate::wire::need;
        Ok(Self {
            vol: need(w.vol, "vol")?,
            markup: need(w.markup, "markup")?,
            rate: need(w.rate, "rate")?,
            yield_: w.yield_.unwrap_or(Wad::ZERO),
        })
    }
}

impl TryFrom<PoolRaw> for PoolParams {
    type Error = Error;

    fn try_from(raw: PoolRaw) -> Result<Self> {
        Self::new(raw)
    }
}

impl From<PoolParams> for PoolRaw {
    fn from(p: PoolParams) -> Self {
        p.raw
    }
}

impl PoolParams {
    /// Validated parameters.
    ///
    /// Errors: [`Error::Invalid`] naming `vol`, `rate`, `yield` (the ranges of [`BsInputs`]),
    /// then `markup` when negative or when `⌈σ·(1 + k)⌉ > 10`.
    pub fn new(raw: PoolRaw) -> Result<Self> {
        BsInputs::new(BsInputsRaw {
            spot: Wad::ONE,
            strike: Wad::ONE,
            vol: raw.vol,
            t: Wad::ONE,
            rate: raw.rate,
            yield_: raw.yield_,
        })?;
        ensure(!raw.markup.is_negative(), "markup", "must be ≥ 0")?;
        let top = Wad::ONE
            .add(raw.markup)
            .and_then(|f| raw.vol.mul_ceil(f))
            .map_err(|_| Error::invalid("markup", "vol·(1 + markup) must be ≤ 10"))?;
        ensure(top <= MAX_VOL, "markup", "vol·(1 + markup) must be ≤ 10")?;
        Ok(Self { raw })
    }

    /// The fields.
    #[must_use]
    pub const fn raw(&self) -> PoolRaw {
        self.raw
    }
}

/// A quote: what a trader pays for the options.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Quote {
    /// The utilisation after the sale, `u`.
    pub utilisation: Wad,
    /// The quoted volatility `σ_q`.
    pub vol: Wad,
    /// The price per unit, rounded up.
    pub unit_price: Wad,
    /// The premium, `⌈q · unit⌉`.
    pub premium: Wad,
}

/// The pool under a shock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PoolStress {
    /// The shocked spot `S'`.
    pub spot: Wad,
    /// The shocked volatility `σ'`.
    pub vol: Wad,
    /// The options sold at the shocked market, rounded up.
    pub value: Wad,
    /// The providers' equity, `L + premiums − value`.
    pub equity: Wad,
    /// `equity ≥ 0`.
    pub solvent: bool,
}

/// An options pool: the providers' liquidity, the premiums received, the strike notional
/// sold and the options sold (at most `N`), each recorded as the position the trader bought
/// (`quantity > 0`; the pool is short it).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct OptionPool<const N: usize = MAX_POOL_OPTIONS> {
    params: PoolParams,
    liquidity: Wad,
    premiums: Wad,
    notional: Wad,
    sold: heapless::Vec<OptionPosition, N>,
}

impl<const N: usize> OptionPool<N> {
    /// An empty pool with `liquidity > 0`.
    ///
    /// Errors: [`Error::Invalid`] naming `liquidity` unless it is positive.
    pub fn new(params: PoolParams, liquidity: Wad) -> Result<Self> {
        ensure(liquidity.is_positive(), "liquidity", "must be > 0")?;
        Ok(Self {
            params,
            liquidity,
            premiums: Wad::ZERO,
            notional: Wad::ZERO,
            sold: heapless::Vec::new(),
        })
    }

    /// The parameters.
    #[must_use]
    pub const fn params(&self) -> PoolParams {
        self.params
    }

    /// The providers' liquidity `L`.
    #[must_use]
    pub const fn liquidity(&self) -> Wad {
        self.liquidity
    }

    /// The premiums received.
    #[must_use]
    pub const fn premiums(&self) -> Wad {
        self.premiums
    }

    /// The strike notional sold, `Σ ⌈q·K⌉`.
    #[must_use]
    pub const fn notional(&self) -> Wad {
        self.notional
    }

    /// The options sold, each as the position the trader bought (`quantity > 0`).
    #[must_use]
    pub fn sold(&self) -> &[OptionPosition] {
        &self.sold
    }

    /// The quote for a trader buying the position `option` (`quantity > 0` options) at `spot`
    /// (see the module docs).
    ///
    /// Errors: [`Error::Invalid`] naming `spot`, `strike`, `t` out of the ranges of
    /// [`BsInputs`] (in that order), then `quantity` unless `quantity > 0` or when the sale
    /// would take the utilisation above 1; [`Error::Overflow`].
    pub fn quote(&self, spot: Wad, option: &OptionPosition) -> Result<Quote> {
        let OptionPosition {
            kind,
            strike,
            t,
            quantity,
        } = *option;
        ensure(spot.is_positive() && spot <= MAX_PRICE, "spot", "must be in (0, 10^18]")?;
        ensure(
            strike.is_positive() && strike <= MAX_PRICE,
            "strike",
            "must be in (0, 10^18]",
        )?;
        ensure(t.is_positive() && t <= MAX_T, "t", "must be in (0, 100] years")?;
        ensure(quantity.is_positive(), "quantity", "must be > 0")?;
        let too_big = |_| {
            Error::invalid(
                "quantity",
                "the sale would take the pool's notional beyond its liquidity (utilisation above 1)",
            )
        };
        let after = quantity
            .mul_ceil(strike)
            .and_then(|n| self.notional.add(n))
            .map_err(too_big)?;
        let utilisation = after.div_ceil(self.liquidity).map_err(too_big)?;
        ensure(
            utilisation <= Wad::ONE,
            "quantity",
            "the sale would take the pool's notional beyond its liquidity (utilisation above 1)",
        )?;
        let r = &self.params.raw;
        let vol = r.vol.mul_ceil(Wad::ONE.add(r.markup.mul_ceil(utilisation)?)?)?;
        let inputs = BsInputs::new(BsInputsRaw {
            spot,
            strike,
            vol,
            t,
            rate: r.rate,
            yield_: r.yield_,
        })?;
        let unit_price = price(kind, &inputs, Rounding::Ceil)?;
        Ok(Quote {
            utilisation,
            vol,
            unit_price,
            premium: quantity.mul_ceil(unit_price)?,
        })
    }

    /// Sells the position `option` to a trader at the [`quote`](Self::quote): records it, adds
    /// the premium and the notional. On error nothing changes.
    ///
    /// Errors: as [`quote`](Self::quote); [`Error::Capacity`] naming `sold` when `N` options
    /// are already recorded.
    pub fn sell_to_trader(&mut self, spot: Wad, option: OptionPosition) -> Result<Quote> {
        let q = self.quote(spot, &option)?;
        let premiums = self.premiums.add(q.premium)?;
        let notional = self.notional.add(option.quantity.mul_ceil(option.strike)?)?;
        self.sold
            .push(option)
            .map_err(|_| Error::capacity("sold", "the pool has no room to record another sold option"))?;
        self.premiums = premiums;
        self.notional = notional;
        Ok(q)
    }

    /// The providers' equity at `spot` under `shock` (see the module docs).
    ///
    /// Errors: [`Error::Invalid`] naming `spot` unless `0 < spot <= 10^18`; as
    /// [`Shock::apply`]; [`Error::Overflow`].
    pub fn stress(&self, spot: Wad, shock: &Shock) -> Result<PoolStress> {
        ensure(spot.is_positive() && spot <= MAX_PRICE, "spot", "must be in (0, 10^18]")?;
        let r = &self.params.raw;
        let market = GridMarket {
            spot,
            vol: r.vol,
            rate: r.rate,
            yield_: r.yield_,
        };
        let shocked = shock.apply(&market)?;
        let mut value = Wad::ZERO;
        for o in &self.sold {
            let inputs = shocked.inputs(o.strike, o.t)?;
            value = value.add(o.quantity.mul_ceil(price(o.kind, &inputs, Rounding::Ceil)?)?)?;
        }
        let equity = self.liquidity.add(self.premiums)?.sub(value)?;
        Ok(PoolStress {
            spot: shocked.spot,
            vol: shocked.vol,
            value,
            equity,
            solvent: !equity.is_negative(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::OptionKind;

    use crate::test_support::w;

    /// A trader's purchase of `q` options.
    fn buy(kind: OptionKind, strike: &str, t: &str, q: &str) -> OptionPosition {
        OptionPosition {
            kind,
            strike: w(strike),
            t: w(t),
            quantity: w(q),
        }
    }

    fn params(k: &str) -> PoolParams {
        PoolParams::new(PoolRaw {
            vol: w("0.5"),
            markup: w(k),
            rate: w("0"),
            yield_: w("0"),
        })
        .unwrap()
    }

    #[test]
    fn quote_marks_up_volatility_with_utilisation() {
        // L = 1000, sell 2 puts at K = 100: notional 200, u = 0.2, σ_q = 0.5·(1 + 1·0.2) = 0.6.
        let mut pool: OptionPool = OptionPool::new(params("1"), w("1000")).unwrap();
        let q = pool
            .sell_to_trader(w("100"), buy(OptionKind::Put, "100", "0.5", "2"))
            .unwrap();
        assert_eq!((q.utilisation, q.vol), (w("0.2"), w("0.6")));
        let i = BsInputs::new(BsInputsRaw {
            spot: w("100"),
            strike: w("100"),
            vol: w("0.6"),
            t: w("0.5"),
            ..BsInputsRaw::default()
        })
        .unwrap();
        let unit = price(OptionKind::Put, &i, Rounding::Ceil).unwrap();
        assert_eq!((q.unit_price, q.premium), (unit, w("2").mul_ceil(unit).unwrap()));
        assert_eq!((pool.premiums(), pool.notional()), (q.premium, w("200")));
        // Utilisation 1/3 rounds up: 100/300 → 0.333…334; σ_q = ⌈0.5·1.333…334⌉ = 0.666…667.
        let p: OptionPool = OptionPool::new(params("1"), w("300")).unwrap();
        let q = p.quote(w("100"), &buy(OptionKind::Call, "100", "1", "1")).unwrap();
        assert_eq!(q.utilisation, w("0.333333333333333334"));
        assert_eq!(q.vol, w("0.666666666666666667"));
        // Beyond the liquidity: refused, nothing changes.
        let before = pool.clone();
        assert_eq!(
            pool.sell_to_trader(w("100"), buy(OptionKind::Put, "100", "0.5", "8.01")),
            Err(Error::invalid(
                "quantity",
                "the sale would take the pool's notional beyond its liquidity (utilisation above 1)"
            ))
        );
        assert_eq!(pool, before);
    }

    #[test]
    fn stress_equity_and_solvency() {
        // No shock: value is the fair (unmarked-up) price, below the premium paid at σ_q > σ,
        // so equity ≥ L. A crash with +100 vol points on 10 puts at K = 100, L = 1000: the
        // puts are worth at least their intrinsic 10·(100 − 10) = 900 < 1000 + premium.
        let mut pool: OptionPool = OptionPool::new(params("1"), w("1000")).unwrap();
        pool.sell_to_trader(w("100"), buy(OptionKind::Put, "100", "0.5", "10"))
            .unwrap();
        let none = Shock {
            spot_shock: w("1"),
            vol_shock: w("0"),
        };
        let s = pool.stress(w("100"), &none).unwrap();
        assert!(s.value < pool.premiums() && s.equity > w("1000") && s.solvent);
        let crash = Shock {
            spot_shock: w("0.1"),
            vol_shock: w("1"),
        };
        let s = pool.stress(w("100"), &crash).unwrap();
        assert_eq!((s.spot, s.vol), (w("10"), w("1.5")));
        assert!(s.value >= w("900") && s.solvent);
        assert_eq!(s.equity, w("1000").add(pool.premiums()).unwrap().sub(s.value).unwrap());
        // A pool of calls with little liquidity is insolvent after a rally.
        let mut calls: OptionPool = OptionPool::new(params("0"), w("100")).unwrap();
        calls
            .sell_to_trader(w("100"), buy(OptionKind::Call, "100", "0.1", "1"))
            .unwrap();
        let rally = Shock {
            spot_shock: w("3"),
            vol_shock: w("0"),
        };
        let s = calls.stress(w("100"), &rally).unwrap();
        assert!(s.value >= w("200") && !s.solvent);
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serde_goes_through_the_constructor() {
        // `yield` on the wire, as `BsInputs`; a mark-up with ⌈5·2.000000000000000001⌉ > 10 is refused.
        let text = r#"{"vol":"5","markup":"1","rate":"0","yield":"0.01"}"#;
        let p: PoolParams = serde_json::from_str(text).unwrap();
        assert_eq!(p.raw().yield_, w("0.01"));
        assert_eq!(serde_json::to_string(&p).unwrap(), text);
        let bad = text.replace(r#""markup":"1""#, r#""markup":"1.000000000000000001""#);
        assert!(serde_json::from_str::<PoolParams>(&bad).is_err());
    }

    #[test]
    fn validation() {
        let raw = PoolRaw {
            vol: w("5"),
            markup: w("1"),
            rate: w("0"),
            yield_: w("0"),
        };
        assert!(PoolParams::new(raw).is_ok());
        let over = PoolRaw {
            markup: w("1.000000000000000001"),
            ..raw
        };
        assert_eq!(
            PoolParams::new(over),
            Err(Error::invalid("markup", "vol·(1 + markup) must be ≤ 10"))
        );
        assert_eq!(
            PoolParams::new(PoolRaw { vol: w("0"), ..raw }),
            Err(Error::invalid("vol", "must be in (0, 10]"))
        );
        assert_eq!(
            OptionPool::<1>::new(params("0"), w("0")),
            Err(Error::invalid("liquidity", "must be > 0"))
        );
        let mut one: OptionPool<1> = OptionPool::new(params("0"), w("1000")).unwrap();
        one.sell_to_trader(w("100"), buy(OptionKind::Call, "100", "1", "1"))
            .unwrap();
        assert_eq!(
            one.sell_to_trader(w("100"), buy(OptionKind::Call, "100", "1", "1")),
            Err(Error::capacity(
                "sold",
                "the pool has no room to record another sold option"
            ))
        );
        assert_eq!(
            one.quote(w("100"), &buy(OptionKind::Call, "100", "1", "0")),
            Err(Error::invalid("quantity", "must be > 0"))
        );
    }
}
