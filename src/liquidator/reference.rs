//! The liquidator's decision as it was before the closed forms took over the search's probes
//! (issue 19): kept, hidden, as the reference the faster [`decide`](super::decide) must equal
//! bit for bit, every field and every error (the law `the_decision_is_the_reference` of
//! `tests/laws/liquidator.rs`). Not part of the API.

use crate::liquidation::Seize;
use crate::market::Depth;
use crate::{Error, Result, Rounding, Wad};

use super::decision::{CEILING_SLACK, Evaluation, finish, judge, mul_ceil_or_max, per_unit, stop_at};
use super::{Decision, Environment, Opportunity, Profile, Reason};

/// `⌈risk_factor · σ⌉ · ⌈√latency⌉`, rounded up, with the square root computed.
fn risk_rate(profile: &Profile, env: &Environment) -> Result<Wad> {
    let p = profile.raw();
    p.risk_factor
        .mul_ceil(env.raw().volatility)?
        .mul_ceil(Wad::from(p.latency).sqrt(Rounding::Ceil)?)
}

/// Collateral the liquidator receives for repaying `repay`: `Seize::new(..).liquidator_receives()`.
fn receives(opp: &Opportunity, repay: Wad) -> Result<Wad> {
    Seize::new(repay, opp.liab_price, opp.coll_price, opp.bonus, opp.protocol_fee_share)?.liquidator_receives()
}

/// The profit of repaying `repay`, whose collateral is `receives`.
fn evaluate<M: Depth>(
    opp: &Opportunity,
    market: &M,
    gas: Wad,
    risk_rate: Wad,
    repay: Wad,
    receives: Wad,
) -> Result<Evaluation> {
    let fill = market.quote_sell(receives)?;
    let cost = repay.mul_ceil(opp.liab_price)?;
    let value = receives.mul_ceil(opp.coll_price)?;
    let risk = value.mul_ceil(risk_rate)?;
    let profit = fill.proceeds.sub(cost)?.sub(gas)?.sub(risk)?;
    Ok(Evaluation {
        repay,
        receives,
        fill,
        cost,
        risk,
        profit,
    })
}

/// [`decide`](super::decide) as it was: the closed form of the boundary handed to the search
/// as an estimate and checked by two probes, the profit evaluated at the boundary and at the
/// cap.
///
/// Errors: as [`decide`](super::decide).
#[doc(hidden)]
pub fn decide_reference<M: Depth>(
    profile: &Profile,
    env: &Environment,
    market: &M,
    opp: &Opportunity,
) -> Result<Decision> {
    opp.check()?;
    let p = profile.raw();
    let gas = p.gas_per_liquidation.mul_ceil(env.raw().gas_price)?;
    let risk_rate = risk_rate(profile, env)?;
    let affordable = match p.capital.div_floor(opp.liab_price) {
        Err(Error::Overflow) => Wad::MAX,
        other => other?,
    };
    let eval = |repay: Wad, rec: Wad| evaluate(opp, market, gas, risk_rate, repay, rec);
    let cap = opp.repay_max.min(affordable);
    if opp.repay_max.is_zero() || cap.is_zero() {
        let reason = if opp.repay_max.is_zero() {
            Reason::NothingToLiquidate
        } else {
            Reason::NoCapital
        };
        return finish(eval(Wad::ZERO, receives(opp, Wad::ZERO)?)?, gas, reason);
    }
    let per_unit = per_unit(opp)?;
    let absorbable = market.sellable_above(stop_at(opp, risk_rate)?)?;
    if absorbable.is_zero() {
        return finish(eval(Wad::ZERO, receives(opp, Wad::ZERO)?)?, gas, Reason::Unprofitable);
    }
    let at_cap = receives(opp, cap)?;
    let mut last_false = (Wad::ZERO, Wad::ZERO);
    let best = if at_cap <= absorbable {
        cap
    } else {
        let guess = match first_receiving_above(opp, absorbable) {
            Ok(Some(r)) => r,
            _ => absorbable
                .mul_div_floor(opp.coll_price, opp.liab_price)
                .and_then(|g| g.div_floor(per_unit))
                .unwrap_or(cap),
        };
        crate::liquidation::first_true(Wad::ZERO, cap, guess, |r| {
            let rec = receives(opp, r)?;
            if rec <= absorbable && r > last_false.0 {
                last_false = (r, rec);
            }
            Ok(rec > absorbable)
        })?
        .sub(Wad::EPSILON)?
    };
    let receives_best = if best == cap {
        at_cap
    } else if best == last_false.0 {
        last_false.1
    } else {
        receives(opp, best)?
    };
    let (best, receives_best) = if !best.is_zero() && receives_best.is_zero() {
        (Wad::ZERO, Wad::ZERO)
    } else {
        (best, receives_best)
    };
    let at_best = eval(best, receives_best)?;
    let chosen = if best < cap {
        let at_cap = eval(cap, at_cap)?;
        if at_cap.profit > at_best.profit {
            at_cap
        } else {
            at_best
        }
    } else {
        at_best
    };
    judge(chosen, gas, p.min_profit)
}

/// The closed form of the first repay whose collateral exceeds `limit`, as it was (the
/// estimate of the reference's search).
fn first_receiving_above(opp: &Opportunity, limit: Wad) -> Result<Option<Wad>> {
    const STEPS: u32 = 8;
    let raw = Wad::from_raw;
    let a = limit.add(Wad::EPSILON)?;
    let f = Wad::ONE.add(opp.bonus)?;
    let (pc, s) = (opp.coll_price, opp.protocol_fee_share);
    let f36 = f.raw().checked_mul(Wad::SCALE).ok_or(Error::Overflow)?;
    let bs36 = opp.bonus.raw().checked_mul(s.raw()).ok_or(Error::Overflow)?;
    let k0 = a.mul_div_floor(raw(f36), raw(f36.checked_sub(bs36).ok_or(Error::Overflow)?))?;
    let stretch = |k: Wad| -> Result<(Wad, Wad, Option<Wad>)> {
        let start = k.mul_div_ceil(pc, f)?;
        let k = if pc < f { start.mul_div_floor(f, pc)? } else { k };
        let end = k.add(Wad::EPSILON)?.mul_div_ceil(pc, f)?;
        let m = k.sub(a)?;
        if m.is_negative() {
            return Ok((start, k, None));
        }
        let v = if s.is_zero() {
            start
        } else {
            start.max(k.sub(m.div_floor(s)?)?.mul_ceil(pc)?)
        };
        Ok((start, k, (v < end).then_some(v)))
    };
    let (mut start, mut k, mut found) = stretch(k0)?;
    if found.is_some() {
        for _ in 0..STEPS {
            if !start.is_positive() {
                break;
            }
            let below = start.sub(Wad::EPSILON)?.mul_div_floor(f, pc)?;
            match stretch(below)? {
                (st, _, Some(v)) => (start, found) = (st, Some(v)),
                _ => break,
            }
        }
    } else {
        for _ in 0..STEPS {
            (_, k, found) = stretch(k.add(Wad::EPSILON)?)?;
            if found.is_some() {
                break;
            }
        }
    }
    found.map(|v| v.div_ceil(opp.liab_price)).transpose()
}

/// [`profit_ceiling`](super::profit_ceiling) as it was, with the square root of the latency
/// and the products by a liability price of 1 computed.
///
/// Errors: as [`profit_ceiling`](super::profit_ceiling).
#[doc(hidden)]
pub fn profit_ceiling_reference<M: Depth>(
    profile: &Profile,
    env: &Environment,
    market: &M,
    opp: &Opportunity,
) -> Result<Wad> {
    opp.check()?;
    let p = profile.raw();
    let gas = p.gas_per_liquidation.mul_ceil(env.raw().gas_price)?;
    let affordable = match p.capital.max(Wad::ZERO).div_floor(opp.liab_price) {
        Err(Error::Overflow) => Wad::MAX,
        other => other?,
    };
    let kept = Wad::ONE.add(opp.bonus.mul_ceil(Wad::ONE.sub(opp.protocol_fee_share)?)?)?;
    let sell_at = market.price().add(Wad::EPSILON)?;
    let per_repay = opp
        .liab_price
        .mul_ceil(kept)?
        .mul_div_ceil(sell_at, opp.coll_price)?
        .sub(opp.liab_price)?;
    let slack = Wad::from_raw(2).mul_ceil(sell_at)?;
    let p_stop = stop_at(opp, risk_rate(profile, env)?)?;
    let margin = sell_at.sub(p_stop)?.add(Wad::from_raw(2))?;
    let by_depth = if margin.is_positive() {
        market
            .sellable_above(p_stop)?
            .add(Wad::EPSILON)
            .map_or(Wad::MAX, |units| mul_ceil_or_max(units, margin))
    } else {
        Wad::ZERO
    }
    .add(CEILING_SLACK)
    .unwrap_or(Wad::MAX);
    let cap = opp.repay_max.min(affordable);
    let by_offer = if per_repay.is_positive() {
        mul_ceil_or_max(cap, per_repay)
    } else {
        Wad::ZERO
    }
    .add(slack)
    .unwrap_or(Wad::MAX);
    by_offer.min(by_depth).sub(gas)
}
