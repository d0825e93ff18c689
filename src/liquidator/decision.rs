//! The liquidator's dilemma: is this liquidation worth it, and how much of it?

use core::cell::Cell;

use crate::market::{Depth, Fill};
use crate::num::u256::mul_wide;
use crate::wad;
use crate::{Error, Result, Rounding, Wad};

use super::{Environment, Profile};

/// A liquidation on offer, as the protocol prices it: up to `repay_max` liability tokens at
/// `liab_price`, paid in collateral at `coll_price` with the collateral's `bonus`, of which the
/// protocol keeps `protocol_fee_share`.
///
/// On the wire `bonus` and `protocol_fee_share` default to 0, and deserializing checks the
/// fields ([`Opportunity::check`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "OpportunityWire"))]
pub struct Opportunity {
    /// The most liability tokens the protocol lets this liquidation repay.
    pub repay_max: Wad,
    /// The liability token's oracle price.
    pub liab_price: Wad,
    /// The collateral token's oracle price.
    pub coll_price: Wad,
    /// The collateral's liquidation bonus.
    pub bonus: Wad,
    /// The protocol's share of the bonus.
    pub protocol_fee_share: Wad,
}

impl Opportunity {
    /// Checks an opportunity's fields.
    ///
    /// Errors: [`Error::Invalid`] naming `repay_max` when negative, `liab_price` or
    /// `coll_price` unless positive, `bonus` outside `[0, 1)`, `protocol_fee_share` outside `[0, 1]`.
    pub fn check(&self) -> Result<()> {
        if self.repay_max.is_negative() {
            return Err(Error::invalid("repay_max", "must be ≥ 0"));
        }
        if !self.liab_price.is_positive() {
            return Err(Error::invalid("liab_price", "must be > 0"));
        }
        if !self.coll_price.is_positive() {
            return Err(Error::invalid("coll_price", "must be > 0"));
        }
        if self.bonus.is_negative() || self.bonus >= Wad::ONE {
            return Err(Error::invalid("bonus", "must be in [0, 1)"));
        }
        if self.protocol_fee_share.is_negative() || self.protocol_fee_share > Wad::ONE {
            return Err(Error::invalid("protocol_fee_share", "must be in [0, 1]"));
        }
        Ok(())
    }

    /// Collateral the liquidator receives for repaying `repay`, as
    /// [`Seize::new`](crate::liquidation::Seize::new) and
    /// [`Seize::liquidator_receives`](crate::liquidation::Seize::liquidator_receives) compute it (the same bits and the same errors):
    /// `seize − ⌈bonus · s⌉` with `v = ⌊repay · P_liab⌋`, `seize = ⌊v · (1 + b) / P_coll⌋` and
    /// `bonus = seize − ⌊v / P_coll⌋`. The products by 1 and 0 are exact and skipped:
    /// `v = repay` when `P_liab = 1`, the fee is 0 when `s = 0` and the whole bonus when `s = 1`.
    pub(super) fn receives(&self, repay: Wad) -> Result<Wad> {
        let v = if self.liab_price == Wad::ONE {
            repay
        } else {
            repay.mul_floor(self.liab_price)?
        };
        let seize = v.mul_div_floor(Wad::ONE.add(self.bonus)?, self.coll_price)?;
        let bonus = seize.sub(v.div_floor(self.coll_price)?)?;
        seize.sub(self.protocol_fee(bonus)?)
    }

    /// `⌈bonus · s⌉`, the protocol's part of a bonus (0 when `s = 0`, the bonus when `s = 1`:
    /// exact).
    fn protocol_fee(&self, bonus: Wad) -> Result<Wad> {
        let s = self.protocol_fee_share;
        if s.is_zero() {
            Ok(Wad::ZERO)
        } else if s == Wad::ONE {
            Ok(bonus)
        } else {
            bonus.mul_ceil(s)
        }
    }

    /// `⌈repay · P_liab⌉`: what repaying `repay` costs (`repay` itself when `P_liab = 1`, exact).
    fn cost(&self, repay: Wad) -> Result<Wad> {
        if self.liab_price == Wad::ONE {
            Ok(repay)
        } else {
            repay.mul_ceil(self.liab_price)
        }
    }
}

/// An opportunity object as written on the wire (see [`crate::wire`]): every field `None` when
/// absent.
#[cfg(feature = "serde")]
#[derive(Clone, Copy, Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct OpportunityWire {
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) repay_max: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) liab_price: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) coll_price: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) bonus: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) protocol_fee_share: Option<Wad>,
}

#[cfg(feature = "serde")]
impl TryFrom<OpportunityWire> for Opportunity {
    type Error = Error;

    /// The three required fields (else `Invalid` naming the first missing one), `bonus` and
    /// `protocol_fee_share` 0 when absent, then [`Opportunity::check`].
    fn try_from(w: OpportunityWire) -> Result<Self> {
        use crate::wire::need;
        let opp = Self {
            repay_max: need(w.repay_max, "repay_max")?,
            liab_price: need(w.liab_price, "liab_price")?,
            coll_price: need(w.coll_price, "coll_price")?,
            bonus: w.bonus.unwrap_or(Wad::ZERO),
            protocol_fee_share: w.protocol_fee_share.unwrap_or(Wad::ZERO),
        };
        opp.check()?;
        Ok(opp)
    }
}

/// Why a liquidator acts or pauses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Reason {
    /// The best size makes at least the minimum profit: it acts.
    Act,
    /// The protocol offers nothing to repay.
    NothingToLiquidate,
    /// The liquidator's capital cannot repay a single unit.
    NoCapital,
    /// No size makes a positive profit: slippage, gas and risk eat the bonus.
    Unprofitable,
    /// The best profit is positive but below the liquidator's minimum.
    BelowMinProfit,
}

impl Reason {
    /// The name used on the wire.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Act => "act",
            Self::NothingToLiquidate => "nothing_to_liquidate",
            Self::NoCapital => "no_capital",
            Self::Unprofitable => "unprofitable",
            Self::BelowMinProfit => "below_min_profit",
        }
    }
}

/// A liquidator's decision at its best size, with every component of the profit, so that a
/// report can say why it acted or paused: `profit = proceeds − cost − gas − risk`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Decision {
    /// Whether it liquidates.
    pub act: bool,
    /// Why.
    pub reason: Reason,
    /// The best repay (liability tokens); zero when there is nothing to repay or no capital.
    pub repay: Wad,
    /// Collateral it receives for it (after the protocol's fee).
    pub receives: Wad,
    /// Selling that collateral into the market (a quote: the market does not change).
    pub fill: Fill,
    /// `⌈repay · liab_price⌉`: what the repaid debt costs it.
    pub cost: Wad,
    /// `⌈gas_per_liquidation · gas_price⌉`.
    pub gas: Wad,
    /// `⌈risk_factor · volatility · √latency · ⌈receives · coll_price⌉⌉`: the execution risk.
    pub risk: Wad,
    /// `fill.proceeds − cost − gas − risk` (exact on the rounded parts).
    pub profit: Wad,
}

/// A [`Decision`] without its fill ([`Sizer::verdict`]): whether the liquidator acts, why,
/// the size it chooses and the collateral it receives for it, its gas and its profit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Verdict {
    /// Whether it liquidates.
    pub act: bool,
    /// Why.
    pub reason: Reason,
    /// The best repay (liability tokens).
    pub repay: Wad,
    /// Collateral it receives for it (after the protocol's fee).
    pub receives: Wad,
    /// `⌈gas_per_liquidation · gas_price⌉`.
    pub gas: Wad,
    /// The decision's profit, `proceeds − cost − gas − risk`.
    pub profit: Wad,
}

impl From<&Decision> for Verdict {
    fn from(d: &Decision) -> Self {
        Self {
            act: d.act,
            reason: d.reason,
            repay: d.repay,
            receives: d.receives,
            gas: d.gas,
            profit: d.profit,
        }
    }
}

/// The profit of repaying `repay`, with its parts.
pub(super) struct Evaluation {
    pub(super) repay: Wad,
    pub(super) receives: Wad,
    pub(super) fill: Fill,
    pub(super) cost: Wad,
    pub(super) risk: Wad,
    pub(super) profit: Wad,
}

/// Prices a size.
struct Pricer<'a, M: Depth> {
    opp: &'a Opportunity,
    market: &'a M,
    gas: Wad,
    /// `⌈risk_factor · volatility · √latency⌉`, the risk charged per unit of seized value.
    risk_rate: Wad,
}

impl<M: Depth> Pricer<'_, M> {
    fn evaluate(&self, repay: Wad) -> Result<Evaluation> {
        self.evaluate_receiving(repay, self.opp.receives(repay)?)
    }

    /// [`Pricer::evaluate`] given `receives = opp.receives(repay)`, already computed.
    fn evaluate_receiving(&self, repay: Wad, receives: Wad) -> Result<Evaluation> {
        let fill = self.market.quote_sell(receives)?;
        let (cost, risk, profit) = self.charge(repay, receives, fill.proceeds)?;
        Ok(Evaluation {
            repay,
            receives,
            fill,
            cost,
            risk,
            profit,
        })
    }

    /// The profit of [`Pricer::evaluate_receiving`] alone, with its errors: the market's
    /// [`Depth::sell_proceeds`] instead of the whole fill.
    fn profit_receiving(&self, repay: Wad, receives: Wad) -> Result<Wad> {
        let proceeds = self.market.sell_proceeds(receives)?;
        self.charge(repay, receives, proceeds).map(|(_, _, profit)| profit)
    }

    /// The cost `⌈repay · P_liab⌉`, the risk `⌈⌈receives · P_coll⌉ · ρ⌉` and the profit
    /// `proceeds − cost − gas − risk` of repaying `repay` for `receives`, sold for `proceeds`.
    fn charge(&self, repay: Wad, receives: Wad, proceeds: Wad) -> Result<(Wad, Wad, Wad)> {
        let cost = self.opp.cost(repay)?;
        let value = receives.mul_ceil(self.opp.coll_price)?;
        let risk = value.mul_ceil(self.risk_rate)?;
        let profit = proceeds.sub(cost)?.sub(self.gas)?.sub(risk)?;
        Ok((cost, risk, profit))
    }
}

/// Decides whether `profile` liquidates `opp` in `env`, selling the collateral it receives
/// into `market`, and how much.
///
/// **Sizing.** Repaying `r` yields `R(r) ≈ r · P_liab · (1 + b·(1 − s)) / P_coll` collateral.
/// Each collateral unit costs `P_coll / (1 + b·(1 − s))` in repaid debt plus `ρ · P_coll` in
/// execution risk (`ρ = risk_factor · σ · √latency`), so selling it pays while the market's
/// marginal revenue stays at or above `p_stop = P_coll · (1/(1 + b·(1 − s)) + ρ)`. Since every
/// model's proceeds are concave, the best size is the largest `r` whose `R(r)` the market
/// absorbs above `p_stop` ([`Depth::sellable_above`], a closed form per model), capped by
/// `opp.repay_max` and by the capital (`⌊capital / P_liab⌋`). The profit there and at the cap
/// are compared and the better one taken (a guard against rounding at the corner). Gas is a
/// fixed cost: it decides whether to act, not how much.
///
/// Errors: as [`Opportunity::check`]; [`Error::Overflow`].
pub fn decide<M: Depth>(profile: &Profile, env: &Environment, market: &M, opp: &Opportunity) -> Result<Decision> {
    opp.check()?;
    Sizer::new(profile, env, opp)?.decide(market, opp.repay_max)
}

/// [`decide`] split at the offer's size: [`Sizer::new`] makes what depends only on the
/// liquidator, the environment and the offer's terms (its gas, its execution risk, what its
/// capital repays), the first call on a market computes the collateral that market absorbs
/// above the stop price, and [`Sizer::decide`] decides an offer of any size with the same
/// arithmetic as [`decide`], bit for bit. A caller that offers many accounts on the same terms
/// in one state of the market (a cascade's block) pays for the market's depth once.
///
/// One `Sizer` serves one state of the market: [`Sizer::decide`] must be called on the same,
/// unchanged market every time (the absorbable quantity it keeps is that market's).
#[derive(Clone, Debug)]
pub struct Sizer {
    /// The offer's terms (its `repay_max` is not read).
    terms: Opportunity,
    /// `⌈gas_per_liquidation · gas_price⌉`.
    gas: Wad,
    /// `⌈⌈risk_factor · σ⌉ · ⌈√latency⌉⌉`.
    risk_rate: Wad,
    /// `⌊capital / P_liab⌋` (no limit when it does not fit).
    affordable: Wad,
    /// The liquidator's minimum profit.
    min_profit: Wad,
    /// The stop price ([`stop_price`]), or why it does not fit: it depends on the terms, not on
    /// the market, and only an offer the capital can repay needs it.
    stop: Result<Wad>,
    /// What the market absorbs above the stop price, once computed.
    absorbable: Cell<Option<Wad>>,
}

impl Sizer {
    /// What [`decide`] needs of `profile` and `env` for offers on the terms of `opp` (its
    /// `repay_max` is not read).
    ///
    /// Errors: [`Error::Overflow`].
    pub fn new(profile: &Profile, env: &Environment, opp: &Opportunity) -> Result<Self> {
        let p = profile.raw();
        let gas = p.gas_per_liquidation.mul_ceil(env.raw().gas_price)?;
        let risk_rate = risk_rate(profile, env)?;
        Ok(Self {
            terms: *opp,
            gas,
            risk_rate,
            affordable: affordable(p.capital, opp)?,
            min_profit: p.min_profit,
            stop: stop_at(opp, risk_rate),
            absorbable: Cell::new(None),
        })
    }

    fn pricer<'a, M: Depth>(&'a self, market: &'a M) -> Pricer<'a, M> {
        Pricer {
            opp: &self.terms,
            market,
            gas: self.gas,
            risk_rate: self.risk_rate,
        }
    }

    /// What `market` absorbs above the stop price ([`Depth::sellable_above`]), computed on the
    /// first call and kept.
    ///
    /// Errors: [`Error::Overflow`] from the stop price; the market's.
    fn absorbable<M: Depth>(&self, market: &M) -> Result<Wad> {
        if let Some(a) = self.absorbable.get() {
            return Ok(a);
        }
        let a = market.sellable_above(self.stop?)?;
        self.absorbable.set(Some(a));
        Ok(a)
    }

    /// [`decide`] on an offer of at most `repay_max` on these terms, selling into `market`.
    ///
    /// Errors: [`Error::Overflow`].
    pub fn decide<M: Depth>(&self, market: &M, repay_max: Wad) -> Result<Decision> {
        let pricer = self.pricer(market);
        let (chosen, settled) = self.choose(&pricer, repay_max, Pricer::evaluate_receiving, |e| e.profit)?;
        match settled {
            Some(reason) => finish(chosen, pricer.gas, reason),
            None => judge(chosen, pricer.gas, self.min_profit),
        }
    }

    /// [`Sizer::decide`] without the fill: the same action, reason, size, collateral, gas and
    /// profit, and the same errors, with the chosen size's proceeds from
    /// [`Depth::sell_proceeds`] (which gives the quote's proceeds and errors) instead of its
    /// whole quote. What a caller that only acts on the decision needs.
    ///
    /// Errors: as [`Sizer::decide`].
    pub fn verdict<M: Depth>(&self, market: &M, repay_max: Wad) -> Result<Verdict> {
        let pricer = self.pricer(market);
        let appraise = |p: &Pricer<'_, M>, repay: Wad, receives: Wad| -> Result<(Wad, Wad, Wad)> {
            Ok((repay, receives, p.profit_receiving(repay, receives)?))
        };
        let ((repay, receives, profit), settled) = self.choose(&pricer, repay_max, appraise, |&(_, _, p)| p)?;
        let reason = settled.unwrap_or_else(|| reason_of(profit, self.min_profit));
        Ok(Verdict {
            act: reason == Reason::Act,
            reason,
            repay,
            receives,
            gas: pricer.gas,
            profit,
        })
    }

    /// The size [`Sizer::decide`] chooses on an offer of at most `repay_max`, appraised by
    /// `appraise` (from the repay and the collateral it receives: the whole evaluation, or
    /// the profit alone, whose `profit` reads it), and the reason when no profit decides it
    /// (nothing to repay, no capital, nothing the market absorbs above the stop price: the
    /// zero size, appraised).
    ///
    /// The best size is the cap when its collateral is absorbed, else the last absorbed repay
    /// ([`Sizer::last_absorbed`]); the cap is taken instead when its profit alone is larger (a
    /// guard against rounding at the corner).
    ///
    /// Errors: [`Error::Overflow`]; what `appraise` returns.
    fn choose<'a, M: Depth, T>(
        &self,
        pricer: &Pricer<'a, M>,
        repay_max: Wad,
        appraise: impl Fn(&Pricer<'a, M>, Wad, Wad) -> Result<T>,
        profit: impl Fn(&T) -> Wad,
    ) -> Result<(T, Option<Reason>)> {
        let opp = &self.terms;
        let cap = repay_max.min(self.affordable);
        if repay_max.is_zero() || cap.is_zero() {
            let reason = if repay_max.is_zero() {
                Reason::NothingToLiquidate
            } else {
                Reason::NoCapital
            };
            return Ok((appraise(pricer, Wad::ZERO, opp.receives(Wad::ZERO)?)?, Some(reason)));
        }
        let absorbable = self.absorbable(pricer.market)?;
        // Not one unit sells at or above the stop price: by concavity no size pays.
        if absorbable.is_zero() {
            let zero = appraise(pricer, Wad::ZERO, opp.receives(Wad::ZERO)?)?;
            return Ok((zero, Some(Reason::Unprofitable)));
        }
        let at_cap = opp.receives(cap)?;
        let (best, receives_best) = if at_cap <= absorbable {
            (cap, at_cap)
        } else {
            self.last_absorbed(cap, absorbable)?
        };
        // A repay whose collateral rounds to nothing buys nothing: when that is the best the
        // market allows, the best is not to repay at all.
        let (best, receives_best) = if !best.is_zero() && receives_best.is_zero() {
            (Wad::ZERO, Wad::ZERO)
        } else {
            (best, receives_best)
        };
        let at_best = appraise(pricer, best, receives_best)?;
        // The cap, when it makes more (a guard against rounding at the corner): its profit
        // alone decides, it is appraised only when it is chosen.
        let chosen = if best < cap && pricer.profit_receiving(cap, at_cap)? > profit(&at_best) {
            appraise(pricer, cap, at_cap)?
        } else {
            at_best
        };
        Ok((chosen, None))
    }

    /// The largest repay below `cap` whose collateral the market absorbs above the stop price
    /// (`receives(r) ≤ absorbable`, given `receives(cap) > absorbable`), with its collateral.
    /// `receives` is non-decreasing in the repay, so that repay is the boundary less 10⁻¹⁸,
    /// whatever finds the boundary: the closed form [`first_receiving_above`] when it proves
    /// its answer is the boundary (one evaluation of the collateral: at the answer less
    /// 10⁻¹⁸), else the search from its estimate (or, without one, from the linear estimate
    /// `⌊⌊absorbable · P_coll / P_liab⌋ / (1 + ⌊b·(1 − s)⌋)⌋`, or the cap when that leaves the
    /// Wad range). No evaluation below `cap` can fail where the one at `cap` did not.
    ///
    /// Errors: [`Error::Overflow`].
    fn last_absorbed(&self, cap: Wad, absorbable: Wad) -> Result<(Wad, Wad)> {
        let opp = &self.terms;
        let estimate = first_receiving_above(opp, absorbable);
        if let Ok(Some(b)) = estimate
            && b.proved
            && b.first.is_positive()
            && b.first <= cap
        {
            let best = b.first.sub(Wad::EPSILON)?;
            let receives = match b.before {
                Some(r) => r,
                None => opp.receives(best)?,
            };
            return Ok((best, receives));
        }
        let guess = match estimate {
            Ok(Some(b)) => b.first,
            _ => absorbable
                .mul_div_floor(opp.coll_price, opp.liab_price)
                .and_then(|g| g.div_floor(per_unit(opp)?))
                .unwrap_or(cap),
        };
        // The largest repay the search found absorbable, with its collateral.
        let mut last_false = (Wad::ZERO, Wad::ZERO);
        let best = crate::liquidation::first_true(Wad::ZERO, cap, guess, |r| {
            let receives = opp.receives(r)?;
            if receives <= absorbable && r > last_false.0 {
                last_false = (r, receives);
            }
            Ok(receives > absorbable)
        })?
        .sub(Wad::EPSILON)?;
        let receives = if best == last_false.0 {
            last_false.1
        } else {
            opp.receives(best)?
        };
        Ok((best, receives))
    }

    /// How far [`decide`]'s profit on any offer of at most `c` on these terms can lie above
    /// its profit on an offer of exactly `c`, at most (`c` above zero):
    ///
    /// `δ(c) = 4 · [(4 + 4·⌈P_c⌉) · (⌈receives(c)⌉ + 1) + 16 · (1 + ⌈P_c⌉ + ⌈P_l⌉ + ⌈m⌉)] · 10⁻¹⁸`
    ///
    /// (`m` the market's price). [`decide`] chooses the best size up to rounding: no size
    /// `r ≤ c` has a profit above its choice's by more than the rounding of the parts (the
    /// collateral's floors, the proceeds' floors, the cost's and the risk's ceilings, worth
    /// `8·(1 + ⌈P_c⌉ + ⌈P_l⌉)` units with the market's `⌈m⌉` for a scaled market) plus the
    /// stop price's own rounding on the collateral left unsold (`(2 + 2·⌈P_c⌉)` units each,
    /// at most `receives(c)` of them) — the law `the_chosen_size_is_the_best_up_to_rounding`
    /// of `tests/laws/liquidator.rs`. An offer of `c' ≤ c` chooses some size `r ≤ c' ≤ c`,
    /// so its profit is at most `decide(c)`'s plus that bound; `δ` doubles each term and
    /// takes four times the sum.
    fn slack<M: Depth>(&self, market: &M, c: Wad) -> Result<Wad> {
        let units = |x: Wad| -> Result<i128> { Ok(x.ceil()?.raw() / Wad::SCALE) };
        let pc = units(self.terms.coll_price)?;
        let pl = units(self.terms.liab_price)?;
        let m = units(market.price())?;
        let q = units(self.terms.receives(c.min(self.affordable))?)?;
        let per_unit = pc
            .checked_mul(4)
            .and_then(|x| x.checked_add(4))
            .ok_or(Error::Overflow)?;
        let spread = per_unit.checked_mul(q.checked_add(1).ok_or(Error::Overflow)?);
        let fixed = [pc, pl, m]
            .iter()
            .try_fold(1i128, |a, &x| a.checked_add(x))
            .and_then(|x| x.checked_mul(16));
        let raw = spread
            .zip(fixed)
            .and_then(|(a, b)| a.checked_add(b))
            .and_then(|x| x.checked_mul(4))
            .ok_or(Error::Overflow)?;
        Ok(Wad::from_raw(raw))
    }

    /// Whether [`decide`] declines *every* offer of at most `c` on these terms in `market`:
    /// its profit on `c` plus the rounding slack
    /// `δ(c) = 4 · [(4 + 4·⌈P_c⌉) · (⌈receives(c)⌉ + 1) + 16 · (1 + ⌈P_c⌉ + ⌈P_l⌉ + ⌈m⌉)] · 10⁻¹⁸`
    /// is below the liquidator's demand (`max(min_profit, 10⁻¹⁸)`), so no smaller offer can pay
    /// either: `decide` picks the best size up to rounding, so an offer of `c' ≤ c`, which
    /// chooses some size `r ≤ c`, makes at most `δ(c)` more than `decide(c)`. `false` when that
    /// cannot be shown (it says nothing about acting).
    ///
    /// Errors: [`Error::Overflow`] from the decision itself.
    pub fn declines_up_to<M: Depth>(&self, market: &M, c: Wad) -> Result<bool> {
        if !c.is_positive() {
            return Ok(true);
        }
        let profit = self.verdict(market, c)?.profit;
        let demand = self.min_profit.max(Wad::EPSILON);
        Ok(match self.slack(market, c).and_then(|d| profit.add(d)) {
            Ok(bound) => bound < demand,
            Err(_) => false,
        })
    }
}

/// The first repay whose collateral, `receives(r) = S − ⌈s·(S − B)⌉` with
/// `S = ⌊v·(1 + b)/P_coll⌋`, `B = ⌊v/P_coll⌋` and `v = ⌊r·P_liab⌋`, exceeds `limit`, and
/// whether it is proved to be that repay (`None` when it finds none near its estimate).
/// `receives` is non-decreasing in `v` (a unit more of `S` adds at most one unit of fee, a
/// unit more of `B` takes at most one away), and `v` in `r`, so that repay is one boundary,
/// which the search of [`Sizer::decide`] finds from any estimate; a proved answer is that
/// boundary, and the search is not needed.
///
/// On the stretch of `v` where `S = k` (from `⌈k·P_coll/(1 + b)⌉` to the next one's start),
/// `B` only grows, so the fee only shrinks: `receives ≥ a = limit + 10⁻¹⁸` there holds from
/// the first `v` with `⌈s·(k − B)⌉ ≤ k − a`, i.e. `B ≥ k − ⌊(k − a)/s⌋` (any `B` when
/// `s = 0`), i.e. `v ≥ ⌈(k − ⌊(k − a)/s⌋)·P_coll⌉`, and it has one exactly when that `v` is
/// below the stretch's end `⌈(k + 10⁻¹⁸)·P_coll/(1 + b)⌉`, i.e. when
/// `v·(1 + b) < (k + 10⁻¹⁸)·P_coll` (a comparison of 256-bit products: no division). Since
/// `receives ≈ S·(1 + b − b·s)/(1 + b)` within a few units, the first such `k` lies within a
/// few units of `k₀ = ⌊a·(1 + b)/(1 + b − b·s)⌋` (exact in 256 bits: the 36-digit products
/// `(1 + b)·10¹⁸` and `b·s` in raw units), and a stretch that has such a `v` is followed by
/// ones that do (`receives` is non-decreasing): the scan walks down from `k₀`'s stretch while
/// the one below has one — it has one exactly when its last `v`, `start − 10⁻¹⁸`, does, so
/// its start is computed only then — or up until one has, at most eight steps (a stretch is
/// empty, and skipped, where `P_coll < 1 + b` makes `S` jump). The answer is proved when the
/// walk stopped at a stretch below without one (or at `v = 0`), or when the walk up found
/// one after stretches without: every `v` before it then has `receives < a`. Then
/// `r = ⌈v/P_liab⌉` (`v` itself when `P_liab = 1`), the first `r` with `⌊r·P_liab⌋ ≥ v`.
pub(super) fn first_receiving_above(opp: &Opportunity, limit: Wad) -> Result<Option<Boundary>> {
    const STEPS: u32 = 8;
    let raw = Wad::from_raw;
    let a = limit.add(Wad::EPSILON)?;
    let f = Wad::ONE.add(opp.bonus)?;
    let (pc, s) = (opp.coll_price, opp.protocol_fee_share);
    // (1 + b)·10³⁶ and (1 + b − b·s)·10³⁶ in raw units: both below 2·10³⁶, exact in an i128.
    let f36 = f.raw().checked_mul(Wad::SCALE).ok_or(Error::Overflow)?;
    let bs36 = opp.bonus.raw().checked_mul(s.raw()).ok_or(Error::Overflow)?;
    let k0 = a.mul_div_floor(raw(f36), raw(f36.checked_sub(bs36).ok_or(Error::Overflow)?))?;
    // The least `v` with `receives ≥ a` where `S = k`, as far as `B` bounds it (0 when `s = 0`);
    // `None` when `k < a`: no `v` there.
    let least = |k: Wad| -> Result<Option<Wad>> {
        let m = k.sub(a)?;
        if m.is_negative() {
            Ok(None)
        } else if s.is_zero() {
            Ok(Some(Wad::ZERO))
        } else {
            Ok(Some(k.sub(m.div_floor(s)?)?.mul_ceil(pc)?))
        }
    };
    // The stretch where `S` first reaches `k` (`S` may jump over `k` when `P_coll < 1 + b`):
    // its start, its `S`, and its first `v` at which `receives ≥ a`, if any.
    let stretch = |k: Wad| -> Result<(Wad, Wad, Option<Wad>)> {
        let start = k.mul_div_ceil(pc, f)?;
        let k = if pc < f { start.mul_div_floor(f, pc)? } else { k };
        let found = match least(k)? {
            Some(v) => {
                let v = start.max(v);
                products_below(v, f, k.add(Wad::EPSILON)?, pc).then_some(v)
            }
            None => None,
        };
        Ok((start, k, found))
    };
    let (mut start, mut k, mut found) = stretch(k0)?;
    let mut proved = false;
    if found.is_some() {
        // Walk down while the stretch below (the one holding `start − 10⁻¹⁸`, with
        // `S = below`, ending at `start`) has one too: while its least `v` is in it.
        for _ in 0..STEPS {
            if !start.is_positive() {
                proved = true;
                break;
            }
            let last = start.sub(Wad::EPSILON)?;
            let below = last.mul_div_floor(f, pc)?;
            match least(below)? {
                Some(v) if v <= last => {
                    let st = below.mul_div_ceil(pc, f)?;
                    (start, k, found) = (st, below, Some(st.max(v)));
                }
                _ => {
                    proved = true;
                    break;
                }
            }
        }
    } else {
        for _ in 0..STEPS {
            (start, k, found) = stretch(k.add(Wad::EPSILON)?)?;
            if found.is_some() {
                proved = true;
                break;
            }
        }
    }
    let Some(v) = found else { return Ok(None) };
    // The collateral at `v − 10⁻¹⁸`, `S − ⌈s·(S − ⌊(v − 10⁻¹⁸)/P_coll⌋)⌉`, where its `S` is
    // known: `k` past the stretch's start, `k − 10⁻¹⁸` at the start when `P_coll ≥ 1 + b`
    // (`S` then grows by at most 10⁻¹⁸ a step of `v`).
    let before = match (v > start, pc >= f) {
        _ if !proved => None,
        (true, _) => Some(k),
        (false, true) => Some(k.sub(Wad::EPSILON)?),
        (false, false) => None,
    };
    let before = match before {
        Some(s_last) => {
            let b_last = v.sub(Wad::EPSILON)?.div_floor(pc)?;
            Some(s_last.sub(opp.protocol_fee(s_last.sub(b_last)?)?)?)
        }
        None => None,
    };
    Ok(Some(if opp.liab_price == Wad::ONE {
        Boundary {
            first: v,
            proved,
            before,
        }
    } else {
        Boundary {
            first: v.div_ceil(opp.liab_price)?,
            proved,
            before: None,
        }
    }))
}

/// What [`first_receiving_above`] finds: the first repay whose collateral exceeds the limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Boundary {
    /// The repay.
    pub(super) first: Wad,
    /// Whether it is proved to be the first (else an estimate).
    pub(super) proved: bool,
    /// `receives(first − 10⁻¹⁸)`, when the scan knows its `S` (`P_liab = 1`, where the repay
    /// is the repaid value; the answer proved, past its stretch's start or `P_coll ≥ 1 + b`).
    pub(super) before: Option<Wad>,
}

/// Whether `x · y < z · w`, exactly (256-bit products), for non-negative `x, y, z, w`.
fn products_below(x: Wad, y: Wad, z: Wad, w: Wad) -> bool {
    let m = |p: Wad, q: Wad| mul_wide(p.raw().unsigned_abs(), q.raw().unsigned_abs());
    m(x, y) < m(z, w)
}

/// The liquidator's stop price for `opp`: `p_stop = P_coll / (1 + b·(1 − s)) + ρ·P_coll` with
/// `ρ = risk_factor · σ · √latency`, rounded up (it stops no later than the exact price). It
/// depends on the offer's prices, bonus and fee share, not on its size: when the market cannot
/// absorb a single unit above it ([`Depth::sellable_above`] is 0), [`decide`] declines every
/// size of every offer with the same prices, which a cascade uses to stop offering.
///
/// Errors: [`Error::Overflow`].
pub fn stop_price(profile: &Profile, env: &Environment, opp: &Opportunity) -> Result<Wad> {
    stop_at(opp, risk_rate(profile, env)?)
}

/// Slack added to [`profit_ceiling`]'s depth bound for the roundings of the stop price
/// (`10⁻⁵` in the unit of account: it covers `2·10⁻¹⁸` per unit on up to `5·10¹²` units).
pub(super) const CEILING_SLACK: Wad = wad!("0.00001");

/// An upper bound of the profit [`decide`] (or [`decide_whole`]) can find on `opp` at any
/// size: a cheap test that lets a caller skip offers no size of which could pay `profile`.
/// It is the smaller of two bounds, every step rounded up:
///
/// - **the offer**: repaying `r ≤ R = min(repay_max, ⌊capital / P_liab⌋)` yields at most
///   `r · P_liab · (1 + b·(1 − s)) / P_coll + 2·10⁻¹⁸` collateral, which sells for at most its
///   amount times `m + 10⁻¹⁸` (`m` the market's marginal price, [`Depth::price`] rounded down;
///   proceeds are concave). With `F = P_liab · (1 + b·(1 − s)) · (m + 10⁻¹⁸) / P_coll − P_liab`
///   the profit is at most `max(R·F, 0) + 2·10⁻¹⁸·(m + 10⁻¹⁸) − gas`;
/// - **the depth**: each unit costs at least `P_coll / (1 + b·(1 − s))` in repaid debt plus
///   `ρ·P_coll` in execution risk, i.e. [`stop_price`]; units beyond
///   `S = sellable_above(p_stop)` earn less than that, and units before it at most
///   `m + 10⁻¹⁸`, so the profit is at most `(S + 10⁻¹⁸) · max(m − p_stop + 3·10⁻¹⁸, 0)`
///   `+ 10⁻⁵ − gas` (the slack covers the stop price's own roundings). It does not depend on
///   the offer's size: below the liquidator's demand, no offer on these terms can pay it until
///   the market moves.
///
/// Errors: as [`Opportunity::check`]; [`Error::Overflow`].
pub fn profit_ceiling<M: Depth>(profile: &Profile, env: &Environment, market: &M, opp: &Opportunity) -> Result<Wad> {
    opp.check()?;
    Ceiling::new(profile, env, market, opp)?.at(opp.repay_max)
}

/// [`profit_ceiling`] split at the offer's size: the parts that depend only on the liquidator,
/// the environment, the market and the offer's terms (prices, bonus, fee share) are computed
/// once by [`Ceiling::new`], and [`Ceiling::at`] finishes the bound for any `repay_max` with
/// the same arithmetic, bit for bit. A caller that offers many accounts on the same terms in
/// the same state (a cascade's block) pays for the market's depth once.
///
/// The bound is non-decreasing in `repay_max`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ceiling {
    /// `⌊capital / P_liab⌋` (no limit when it does not fit).
    affordable: Wad,
    /// `⌈⌈P_liab · (1 + ⌈b·(1 − s)⌉)⌉ · (m + 10⁻¹⁸) / P_coll⌉ − P_liab`.
    per_repay: Wad,
    /// `⌈2·10⁻¹⁸ · (m + 10⁻¹⁸)⌉`.
    slack: Wad,
    /// The depth bound, with its slack.
    by_depth: Wad,
    /// `⌈gas_per_liquidation · gas_price⌉`.
    gas: Wad,
}

/// What a [`Ceiling`] works out that a [`Sizer`] on the same terms needs too.
struct Shared {
    /// `⌈⌈risk_factor · σ⌉ · ⌈√latency⌉⌉`.
    risk_rate: Wad,
    /// The stop price ([`stop_at`]).
    stop: Wad,
    /// What the market absorbs above the stop price, when the ceiling needed it.
    absorbable: Option<Wad>,
}

impl Ceiling {
    /// The size-independent parts of [`profit_ceiling`] for offers on the terms of `opp` (its
    /// `repay_max` is not read).
    ///
    /// Errors: [`Error::Overflow`].
    pub fn new<M: Depth>(profile: &Profile, env: &Environment, market: &M, opp: &Opportunity) -> Result<Self> {
        Self::build(profile, env, market, opp).map(|(ceiling, _)| ceiling)
    }

    /// [`Ceiling::new`] and [`Sizer::new`] on the same terms in the same state of `market`,
    /// made together: the same two, with the errors of making the ceiling, then the sizer.
    /// The sizer's gas, risk rate and stop price are the ceiling's, and it starts with what
    /// `market` absorbs above that stop price when the ceiling needed it: one state pays for
    /// the market's depth once.
    ///
    /// Errors: [`Error::Overflow`]; as [`Sizer::new`].
    pub fn with_sizer<M: Depth>(
        profile: &Profile,
        env: &Environment,
        market: &M,
        opp: &Opportunity,
    ) -> Result<(Self, Sizer)> {
        let (ceiling, shared) = Self::build(profile, env, market, opp)?;
        let p = profile.raw();
        let sizer = Sizer {
            terms: *opp,
            gas: ceiling.gas,
            risk_rate: shared.risk_rate,
            affordable: affordable(p.capital, opp)?,
            min_profit: p.min_profit,
            stop: Ok(shared.stop),
            absorbable: Cell::new(shared.absorbable),
        };
        Ok((ceiling, sizer))
    }

    /// [`Ceiling::new`], with what a [`Sizer`] on the same terms shares with it.
    fn build<M: Depth>(profile: &Profile, env: &Environment, market: &M, opp: &Opportunity) -> Result<(Self, Shared)> {
        let p = profile.raw();
        let gas = p.gas_per_liquidation.mul_ceil(env.raw().gas_price)?;
        let affordable = affordable(p.capital.max(Wad::ZERO), opp)?;
        let kept = Wad::ONE.add(opp.bonus.mul_ceil(Wad::ONE.sub(opp.protocol_fee_share)?)?)?;
        let sell_at = market.price().add(Wad::EPSILON)?;
        let per_repay = opp
            .cost(kept)?
            .mul_div_ceil(sell_at, opp.coll_price)?
            .sub(opp.liab_price)?;
        let slack = Wad::from_raw(2).mul_ceil(sell_at)?;
        let rate = risk_rate(profile, env)?;
        let p_stop = stop_at(opp, rate)?;
        let margin = sell_at.sub(p_stop)?.add(Wad::from_raw(2))?;
        let mut absorbable = None;
        let by_depth = if margin.is_positive() {
            let sellable = market.sellable_above(p_stop)?;
            absorbable = Some(sellable);
            sellable
                .add(Wad::EPSILON)
                .map_or(Wad::MAX, |units| mul_ceil_or_max(units, margin))
        } else {
            Wad::ZERO
        }
        .add(CEILING_SLACK)
        .unwrap_or(Wad::MAX);
        let ceiling = Self {
            affordable,
            per_repay,
            slack,
            by_depth,
            gas,
        };
        let shared = Shared {
            risk_rate: rate,
            stop: p_stop,
            absorbable,
        };
        Ok((ceiling, shared))
    }

    /// [`profit_ceiling`] of an offer of at most `repay_max` on these terms.
    ///
    /// Errors: [`Error::Invalid`] naming `repay_max` when negative; [`Error::Overflow`].
    pub fn at(&self, repay_max: Wad) -> Result<Wad> {
        if repay_max.is_negative() {
            return Err(Error::invalid("repay_max", "must be ≥ 0"));
        }
        let cap = repay_max.min(self.affordable);
        let by_offer = if self.per_repay.is_positive() {
            mul_ceil_or_max(cap, self.per_repay)
        } else {
            Wad::ZERO
        }
        .add(self.slack)
        .unwrap_or(Wad::MAX);
        by_offer.min(self.by_depth).sub(self.gas)
    }

    /// An offer size at or below which the bound is below `demand` (every such offer is
    /// unpaid, the bound being non-decreasing in the size): `Wad::MAX` when every size is,
    /// `None` when not even an empty offer is. From the closed form
    /// `⌊(demand + gas − slack − 10⁻¹⁸) / per_repay⌋`, checked on the bound itself (and halved
    /// until it holds, which the rounding allows at most once or twice).
    ///
    /// Errors: [`Error::Overflow`].
    pub fn unpaid_up_to(&self, demand: Wad) -> Result<Option<Wad>> {
        let below = |r: Wad| -> Result<bool> { Ok(self.at(r)? < demand) };
        if below(Wad::MAX)? {
            return Ok(Some(Wad::MAX));
        }
        if !below(Wad::ZERO)? {
            return Ok(None);
        }
        let mut r = demand
            .add(self.gas)
            .and_then(|x| x.sub(self.slack))
            .and_then(|x| x.sub(Wad::EPSILON))
            .and_then(|x| x.div_floor(self.per_repay))
            .unwrap_or(Wad::ZERO)
            .max(Wad::ZERO);
        for _ in 0..128 {
            if below(r)? {
                return Ok(Some(r));
            }
            r = Wad::from_raw(r.raw() / 2);
        }
        Ok(Some(Wad::ZERO))
    }
}

/// `⌊capital / P_liab⌋`, the most liability tokens `capital` repays (`capital` itself when
/// `P_liab = 1`, exact), or `Wad::MAX` when that does not fit: no limit.
///
/// Errors: [`Error::DivisionByZero`] for a zero liability price.
fn affordable(capital: Wad, opp: &Opportunity) -> Result<Wad> {
    if opp.liab_price == Wad::ONE {
        return Ok(capital);
    }
    match capital.div_floor(opp.liab_price) {
        Err(Error::Overflow) => Ok(Wad::MAX),
        other => other,
    }
}

/// `⌈a · b⌉` for `a, b ≥ 0`, or `Wad::MAX` when it does not fit (a bound that stays a bound).
pub(super) fn mul_ceil_or_max(a: Wad, b: Wad) -> Wad {
    a.mul_ceil(b).unwrap_or(Wad::MAX)
}

/// `⌈risk_factor · σ⌉ · ⌈√latency⌉`, rounded up: the execution risk per unit of seized value.
pub(super) fn risk_rate(profile: &Profile, env: &Environment) -> Result<Wad> {
    let p = profile.raw();
    p.risk_factor
        .mul_ceil(env.raw().volatility)?
        .mul_ceil(root_of(p.latency)?)
}

/// How many latencies [`root_of`] keeps the root of.
const ROOTS: usize = 64;

/// `⌈√n⌉` on the wad grid for `n < ROOTS`, in raw units: `⌈√(n·10³⁶)⌉` (the integer square
/// root, plus one unless exact), computed when compiling; `n·10³⁶` fits a `u128` up to
/// `n = 340`.
const ROOT_TABLE: [i128; ROOTS] = root_table();

/// The entries of [`ROOT_TABLE`]. Evaluated by the compiler only: an index or an operation out
/// of range is a compile error, never a panic at run time.
#[allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_wrap
)]
const fn root_table() -> [i128; ROOTS] {
    let mut out = [0i128; ROOTS];
    let mut n = 0;
    while n < ROOTS {
        let square = n as u128 * 1_000_000_000_000_000_000_000_000_000_000_000_000;
        let root = square.isqrt();
        out[n] = (if root * root == square { root } else { root + 1 }) as i128;
        n += 1;
    }
    out
}

/// `⌈√latency⌉` rounded up to the wad grid: [`Wad::sqrt`] of the latency, or the same value
/// kept in [`ROOT_TABLE`] for latencies below 64 blocks.
///
/// Errors: as [`Wad::sqrt`].
pub(super) fn root_of(latency: u32) -> Result<Wad> {
    match usize::try_from(latency).ok().and_then(|n| ROOT_TABLE.get(n)) {
        Some(&raw) => Ok(Wad::from_raw(raw)),
        None => Wad::from(latency).sqrt(Rounding::Ceil),
    }
}

/// `1 + ⌊b · (1 − s)⌋`: collateral received per unit of repaid value, in units of `1/P_coll`.
pub(super) fn per_unit(opp: &Opportunity) -> Result<Wad> {
    Wad::ONE.add(opp.bonus.mul_floor(Wad::ONE.sub(opp.protocol_fee_share)?)?)
}

pub(super) fn stop_at(opp: &Opportunity, risk_rate: Wad) -> Result<Wad> {
    opp.coll_price
        .div_ceil(per_unit(opp)?)?
        .add(opp.coll_price.mul_ceil(risk_rate)?)
}

/// Decides whether `profile` takes the *whole* of `opp` — as much as its capital repays, no
/// more and no less: the close-out liquidator of the instantaneous cascade model, which
/// does not size its trade. The profit is [`decide`]'s, evaluated at that cap; it acts when
/// the profit is positive and at least its minimum.
///
/// Errors: as [`decide`].
pub fn decide_whole<M: Depth>(profile: &Profile, env: &Environment, market: &M, opp: &Opportunity) -> Result<Decision> {
    match prepare(profile, env, market, opp)? {
        Prepared::Done(d) => Ok(d),
        Prepared::Sized(pricer, cap) => judge(pricer.evaluate(cap)?, pricer.gas, profile.raw().min_profit),
    }
}

/// The decision's first steps, shared by [`decide`] and [`decide_whole`].
enum Prepared<'a, M: Depth> {
    /// Nothing to repay or no capital: decided.
    Done(Decision),
    /// The pricer, and the largest repay allowed (the offer, capped by the capital).
    Sized(Pricer<'a, M>, Wad),
}

fn prepare<'a, M: Depth>(
    profile: &Profile,
    env: &Environment,
    market: &'a M,
    opp: &'a Opportunity,
) -> Result<Prepared<'a, M>> {
    opp.check()?;
    let p = profile.raw();
    let pricer = Pricer {
        opp,
        market,
        gas: p.gas_per_liquidation.mul_ceil(env.raw().gas_price)?,
        risk_rate: risk_rate(profile, env)?,
    };
    // Capital worth more liability tokens than a Wad holds is no limit.
    let cap = opp.repay_max.min(affordable(p.capital, opp)?);
    if opp.repay_max.is_zero() || cap.is_zero() {
        let reason = if opp.repay_max.is_zero() {
            Reason::NothingToLiquidate
        } else {
            Reason::NoCapital
        };
        return Ok(Prepared::Done(finish(pricer.evaluate(Wad::ZERO)?, pricer.gas, reason)?));
    }
    Ok(Prepared::Sized(pricer, cap))
}

/// The reason for a chosen size: unprofitable, below the minimum, or act.
pub(super) fn judge(chosen: Evaluation, gas: Wad, min_profit: Wad) -> Result<Decision> {
    let reason = reason_of(chosen.profit, min_profit);
    finish(chosen, gas, reason)
}

/// The reason for a chosen size of profit `profit`: [`Reason::Unprofitable`] unless it is
/// positive, [`Reason::BelowMinProfit`] below `min_profit`, else [`Reason::Act`].
fn reason_of(profit: Wad, min_profit: Wad) -> Reason {
    if !profit.is_positive() {
        Reason::Unprofitable
    } else if profit < min_profit {
        Reason::BelowMinProfit
    } else {
        Reason::Act
    }
}

pub(super) fn finish(e: Evaluation, gas: Wad, reason: Reason) -> Result<Decision> {
    Ok(Decision {
        act: reason == Reason::Act,
        reason,
        repay: e.repay,
        receives: e.receives,
        fill: e.fill,
        cost: e.cost,
        gas,
        risk: e.risk,
        profit: e.profit,
    })
}
