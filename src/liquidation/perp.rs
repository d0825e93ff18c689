//! Liquidating a perp position: the liquidator takes it over at the oracle price less a fee.

use crate::account::{
    Account, Context, Health, HealthLevel, OptionPricing, PerpParams, Position, health, health_without,
    perp_contribution,
};
use crate::oracle::OraclePrice;
use crate::{Error, Result, Wad};

use super::policy::{size_to_request, size_to_target};
use super::{Limit, LiquidationParams, Mode, Outcome, tightest};

/// A liquidator's order on a perp position: take over at most `max_base` of it (absent on the
/// wire when `None`, never `null`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct PerpOrder {
    /// The perp market.
    pub market: u16,
    /// The most base units the liquidator takes over (`None`: no limit).
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            deserialize_with = "crate::wire::some",
            skip_serializing_if = "Option::is_none"
        )
    )]
    pub max_base: Option<Wad>,
}

/// The plan (or record) of a perp liquidation. The liquidator takes `base` of the account's
/// position (same sign: it becomes long what the account was long) and the quote moves so
/// that nothing is created: the account's quote changes by `account_quote`, the protocol
/// receives `protocol_fee` and the liquidator's quote changes by
/// `−(account_quote + protocol_fee)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PerpLiquidation {
    /// The base taken over (signed like the account's position).
    pub base: Wad,
    /// `|base| · price`: rounded down for a long, up for a short.
    pub notional: Wad,
    /// The account's quote change: `+⌊notional · (1 − fee)⌋` for a long (it sells at a
    /// discount), `−⌈notional · (1 + fee)⌉` for a short (it buys back at a premium).
    pub account_quote: Wad,
    /// The whole discount, `notional − ⌊notional·(1 − fee)⌋` or `⌈notional·(1 + fee)⌉ − notional`.
    pub fee: Wad,
    /// The protocol's share of it, `⌈fee · protocol_fee_share⌉`.
    pub protocol_fee: Wad,
    /// The account's health around the liquidation.
    pub outcome: Outcome,
}

impl PerpLiquidation {
    /// The liquidator's quote change: `−(account_quote + protocol_fee)`.
    ///
    /// Errors: [`Error::Overflow`].
    pub fn liquidator_quote(&self) -> Result<Wad> {
        self.account_quote.add(self.protocol_fee)?.neg()
    }
}

/// The account's perp position in one market.
struct Perp<'a> {
    params: &'a PerpParams,
    price: OraclePrice,
    base: Wad,
    quote: Wad,
}

impl Perp<'_> {
    /// `(notional, account_quote, fee)` of taking over `size ≥ 0` base units.
    fn transfer(&self, size: Wad) -> Result<(Wad, Wad, Wad)> {
        let fee = self.params.liquidation_fee();
        if self.base.is_positive() {
            let notional = size.mul_floor(self.price.price())?;
            let paid = notional.mul_floor(Wad::ONE.sub(fee)?)?;
            Ok((notional, paid, notional.sub(paid)?))
        } else {
            let notional = size.mul_ceil(self.price.price())?;
            let cost = notional.mul_ceil(Wad::ONE.add(fee)?)?;
            Ok((notional, cost.neg()?, cost.sub(notional)?))
        }
    }

    /// The position after the liquidator takes over `size` base units.
    fn after(&self, size: Wad) -> Result<(Wad, Wad)> {
        let (_, account_quote, _) = self.transfer(size)?;
        let base = if self.base.is_positive() {
            self.base.sub(size)?
        } else {
            self.base.add(size)?
        };
        Ok((base, self.quote.add(account_quote)?))
    }

    fn contribution(&self, level: HealthLevel, size: Wad) -> Result<Wad> {
        let (base, quote) = self.after(size)?;
        perp_contribution(self.params, self.price, level, base, quote)
    }

    /// `−H / k` with `k = P·(1 − fee) − P⁻·(1 − m)` (long) or `P⁺·(1 + m) − P·(1 + fee)`
    /// (short): the linearised size; an estimate only.
    fn estimate(&self, level: HealthLevel, target: Wad, size: Wad) -> Result<Wad> {
        let fee = self.params.liquidation_fee();
        let m = self.params.margin(level, size)?;
        let p = self.price.price();
        let slope = if self.base.is_positive() {
            p.mul_floor(Wad::ONE.sub(fee)?)?
                .sub(self.price.asset_price().mul_ceil(Wad::ONE.sub(m)?)?)?
        } else {
            self.price
                .liability_price()
                .mul_floor(Wad::ONE.add(m)?)?
                .sub(p.mul_ceil(Wad::ONE.add(fee)?)?)?
        };
        if !slope.is_positive() {
            return Ok(size);
        }
        target.neg()?.div_ceil(slope).or(Ok(size))
    }
}

/// Plans the liquidation of `account`'s position in perp `order.market`, without changing
/// anything: the take-over that brings the health at `params.target` back to zero with nothing
/// to spare on the grid (met at `base`, not at one unit less, found by the same estimate and
/// search as [`plan_token_liquidation`](super::plan_token_liquidation)),
/// capped by the position, the close factor (of the position) and the liquidator's offer.
/// With [`Mode::Request`](super::Mode::Request) the size is `order.max_base` (absent: as
/// much as allowed) cut to the position and the close factor, as for a token liquidation.
///
/// Errors: [`Error::Invalid`] naming `market` when the account has no base in it (or the
/// context has no such market), `max_base` when it is negative or (request sizing) when a
/// request below the caps would leave a position worth less than the close factor's dust;
/// [`Error::Overflow`].
pub fn plan_perp_liquidation<const N: usize, O: OptionPricing>(
    account: &Account<N>,
    ctx: &Context<'_, O>,
    params: &LiquidationParams,
    order: PerpOrder,
) -> Result<PerpLiquidation> {
    if order.max_base.is_some_and(Wad::is_negative) {
        return Err(Error::invalid("max_base", "must be ≥ 0"));
    }
    let (perp_params, price) = ctx.perp(order.market)?;
    let (base, quote) = account.perp(order.market);
    if base.is_zero() {
        return Err(Error::invalid(
            "market",
            "the account has no position in that perp market",
        ));
    }
    let perp = Perp {
        params: perp_params,
        price,
        base,
        quote,
    };
    let size = base.abs()?;
    let level = params.target;
    let skip = |p: &Position| matches!(*p, Position::Perp { market, .. } if market == order.market);
    let before = health(account, ctx, HealthLevel::Maintenance)?;
    let rest = health_without(account, ctx, level, skip)?.value()?;
    let target_at = |s: Wad| rest.add(perp.contribution(level, s)?);
    let target_before = target_at(Wad::ZERO)?;
    if !before.value()?.is_negative() {
        return finish(
            &perp,
            Wad::ZERO,
            before,
            before,
            target_before,
            target_before,
            Limit::Healthy,
        );
    }
    let notional = size.mul_ceil(price.price())?;
    let share = params.close_factor.share(before.factor()?, notional, notional);
    let left_value = |take: Wad| size.sub(take)?.mul_ceil(price.price());
    let allowed = [(size, Limit::Position), (size.mul_floor(share)?, Limit::CloseFactor)];
    let (take, limit) = match params.mode {
        Mode::Request => size_to_request(
            &params.close_factor,
            tightest(&allowed),
            order.max_base,
            "max_base",
            left_value,
        )?,
        Mode::Target => {
            let [position, close] = allowed;
            size_to_target(
                &params.close_factor,
                tightest(&[position, close, (order.max_base.unwrap_or(Wad::MAX), Limit::Offer)]),
                target_before,
                |x| Ok(!target_at(x)?.is_negative()),
                || perp.estimate(level, target_before, size),
                left_value,
            )?
        }
    };
    let target_after = target_at(take)?;
    let mut after: Health = health_without(account, ctx, HealthLevel::Maintenance, skip)?;
    after.add(perp.contribution(HealthLevel::Maintenance, take)?)?;
    finish(&perp, take, before, after, target_before, target_after, limit)
}

fn finish(
    perp: &Perp<'_>,
    size: Wad,
    before: Health,
    after: Health,
    target_before: Wad,
    target_after: Wad,
    limit: Limit,
) -> Result<PerpLiquidation> {
    let (notional, account_quote, fee) = perp.transfer(size)?;
    let protocol_fee = fee.mul_ceil(perp.params.protocol_fee_share())?;
    Ok(PerpLiquidation {
        base: if perp.base.is_positive() { size } else { size.neg()? },
        notional,
        account_quote,
        fee,
        protocol_fee,
        outcome: Outcome::new(before, after, target_before, target_after, limit)?,
    })
}

/// Plans as [`plan_perp_liquidation`] and applies the plan to `account`. On error nothing
/// changes.
///
/// Errors: as [`plan_perp_liquidation`].
pub fn liquidate_perp<const N: usize, O: OptionPricing>(
    account: &mut Account<N>,
    ctx: &Context<'_, O>,
    params: &LiquidationParams,
    order: PerpOrder,
) -> Result<PerpLiquidation> {
    let plan = plan_perp_liquidation(account, ctx, params, order)?;
    let (base, quote) = account.perp(order.market);
    let base = base.sub(plan.base)?;
    let quote = quote.add(plan.account_quote)?;
    account.set_perp(order.market, base, quote)?;
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::PerpParamsRaw;

    use crate::test_support::w;

    #[test]
    fn the_estimate_is_the_linearised_size() {
        // Long 2 at 100, fee 2 %, liquidation-end margin 0.1: each base unit taken over pays
        // 98 and frees 90 of weighted value: k = 8; a target of −15 needs 15/8 = 1.875.
        let mut raw = PerpParamsRaw::new(w("0.1"), w("0.05"));
        raw.liquidation_fee = w("0.02");
        let params = PerpParams::new(raw).unwrap();
        let long = Perp {
            params: &params,
            price: OraclePrice::exact(w("100")).unwrap(),
            base: w("2"),
            quote: w("-195"),
        };
        assert_eq!(
            long.estimate(HealthLevel::LiquidationEnd, w("-15"), w("2")).unwrap(),
            w("1.875")
        );
        // The short mirror: 110 − 102 = 8 as well.
        let short = Perp {
            base: w("-2"),
            quote: w("205"),
            ..long
        };
        assert_eq!(
            short.estimate(HealthLevel::LiquidationEnd, w("-15"), w("2")).unwrap(),
            w("1.875")
        );
        // A confidence interval steepens the slope: 98 − 91·0.9 = 16.1, 15/16.1 rounded up.
        // (The slope cannot be ≤ 0 with valid parameters: the fee is below every margin.)
        let wide = Perp {
            price: OraclePrice::new(w("100"), w("9")).unwrap(),
            ..long
        };
        assert_eq!(
            wide.estimate(HealthLevel::LiquidationEnd, w("-15"), w("2")).unwrap(),
            w("0.931677018633540373")
        );
    }
}
