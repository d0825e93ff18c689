//! The liquidator's dilemma: is this liquidation worth it, and how much of it?

use crate::liquidation::Seize;
use crate::market::{Depth, Fill};
use crate::{Error, Result, Rounding, Wad};

use super::{Environment, Profile};

/// A liquidation on offer, as the protocol prices it: up to `repay_max` liability tokens at
/// `liab_price`, paid in collateral at `coll_price` with the collateral's `bonus`, of which the
/// protocol keeps `protocol_fee_share`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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
            return Err(Error::Invalid { what: "repay_max" });
        }
        if !self.liab_price.is_positive() {
            return Err(Error::Invalid { what: "liab_price" });
        }
        if !self.coll_price.is_positive() {
            return Err(Error::Invalid { what: "coll_price" });
        }
        if self.bonus.is_negative() || self.bonus >= Wad::ONE {
            return Err(Error::Invalid { what: "bonus" });
        }
        if self.protocol_fee_share.is_negative() || self.protocol_fee_share > Wad::ONE {
            return Err(Error::Invalid {
                what: "protocol_fee_share",
            });
        }
        Ok(())
    }

    /// The amounts of repaying `repay`.
    fn seize(&self, repay: Wad) -> Result<Seize> {
        Seize::new(
            repay,
            self.liab_price,
            self.coll_price,
            self.bonus,
            self.protocol_fee_share,
        )
    }

    /// Collateral the liquidator receives for repaying `repay`.
    fn receives(&self, repay: Wad) -> Result<Wad> {
        self.seize(repay)?.liquidator_receives()
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

/// The profit of repaying `repay`, with its parts.
struct Evaluation {
    repay: Wad,
    receives: Wad,
    fill: Fill,
    cost: Wad,
    risk: Wad,
    profit: Wad,
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
        let receives = self.opp.receives(repay)?;
        let fill = self.market.quote_sell(receives)?;
        let cost = repay.mul_ceil(self.opp.liab_price)?;
        let value = receives.mul_ceil(self.opp.coll_price)?;
        let risk = value.mul_ceil(self.risk_rate)?;
        let profit = fill.proceeds.sub(cost)?.sub(self.gas)?.sub(risk)?;
        Ok(Evaluation {
            repay,
            receives,
            fill,
            cost,
            risk,
            profit,
        })
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
    let p = profile.raw();
    let e = env.raw();
    let risk_rate = p
        .risk_factor
        .mul_ceil(e.volatility)?
        .mul_ceil(Wad::from(p.latency).sqrt(Rounding::Ceil)?)?;
    let pricer = Pricer {
        opp,
        market,
        gas: p.gas_per_liquidation.mul_ceil(e.gas_price)?,
        risk_rate,
    };
    // Capital worth more liability tokens than a Wad holds is no limit.
    let affordable = match p.capital.div_floor(opp.liab_price) {
        Err(Error::Overflow) => Wad::MAX,
        other => other?,
    };
    let cap = opp.repay_max.min(affordable);
    if opp.repay_max.is_zero() || cap.is_zero() {
        let reason = if opp.repay_max.is_zero() {
            Reason::NothingToLiquidate
        } else {
            Reason::NoCapital
        };
        return finish(pricer.evaluate(Wad::ZERO)?, pricer.gas, reason);
    }
    // p_stop = P_coll / (1 + b·(1 − s)) + ρ·P_coll, rounded up (stop no later than the exact).
    let kept_bonus = opp.bonus.mul_floor(Wad::ONE.sub(opp.protocol_fee_share)?)?;
    let per_unit = Wad::ONE.add(kept_bonus)?;
    let p_stop = opp
        .coll_price
        .div_ceil(per_unit)?
        .add(opp.coll_price.mul_ceil(risk_rate)?)?;
    let absorbable = market.sellable_above(p_stop)?;
    let best = if opp.receives(cap)? <= absorbable {
        cap
    } else {
        // The first repay whose collateral the market no longer absorbs above p_stop, less one.
        // The estimate may leave the Wad range on the way (a huge offer at a low liability
        // price): the search then starts from the cap.
        let guess = absorbable
            .mul_div_floor(opp.coll_price, opp.liab_price)
            .and_then(|g| g.div_floor(per_unit))
            .unwrap_or(cap);
        crate::liquidation::first_true(Wad::ZERO, cap, guess, |r| Ok(opp.receives(r)? > absorbable))?
            .sub(Wad::EPSILON)?
    };
    // A repay whose collateral rounds to nothing buys nothing: when that is the best the market
    // allows, the best is not to repay at all.
    let best = if !best.is_zero() && opp.receives(best)?.is_zero() {
        Wad::ZERO
    } else {
        best
    };
    let at_best = pricer.evaluate(best)?;
    let chosen = if best < cap {
        let at_cap = pricer.evaluate(cap)?;
        if at_cap.profit > at_best.profit {
            at_cap
        } else {
            at_best
        }
    } else {
        at_best
    };
    let reason = if !chosen.profit.is_positive() {
        Reason::Unprofitable
    } else if chosen.profit < p.min_profit {
        Reason::BelowMinProfit
    } else {
        Reason::Act
    };
    finish(chosen, pricer.gas, reason)
}

fn finish(e: Evaluation, gas: Wad, reason: Reason) -> Result<Decision> {
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
