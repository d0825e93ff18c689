//! Liquidating an option position: a short is bought back (taken over by the liquidator, or by
//! the protocol) at the mark plus a penalty, paid from the account's collateral; a long is
//! seized as collateral at its value rounded down, for a debt the liquidator repays.
//!
//! Both are the token liquidation's exchange ([`Seize`]) with an option on one side: the
//! thing cleared is valued at its unit price rounded down, the thing taken is
//! `⌊value · (1 + fee) / unit price⌋` of the other (one rounding), the bonus is what that is
//! above `⌊value / unit price⌋`, and the protocol's share of it `⌈bonus · share⌉`. The fee and
//! the share are the series' ([`OptionParams::liquidation_fee`],
//! [`OptionParams::protocol_fee_share`]).
//!
//! - **Short** (`q < 0`), paid from a deposit of token `c`: the liquidator takes over `x` units
//!   of the short at the mark `M = ⌈V(price)⌉` (Black-Scholes-Merton at the underlying's point
//!   price, rounded up, as a short is owed); `value = ⌊x · M⌋`,
//!   `seize = ⌊value · (1 + fee) / P_c⌋` tokens of `c`. The account's quantity rises by `x`,
//!   its deposit falls by `seize`.
//! - **Long** (`q > 0`), for a borrow of token `l`: the liquidator repays `r` of the borrow and
//!   receives options valued at `V = ⌊V(price)⌋` (rounded down, as collateral is);
//!   `value = ⌊r · P_l⌋`, `seize = ⌊value · (1 + fee) / V⌋` units. The borrow falls by `r`,
//!   the quantity by `seize`.
//!
//! The size (`x` or `r`) is found as for a token or perp liquidation: the health at
//! `params.target` is restored to zero with nothing to spare on the 1e-18 grid (met at the
//! size, not at one unit less), from a closed-form estimate settled by the specified search,
//! capped by the position, the collateral, the close factor and the liquidator's offer
//! (`vectors/README.md` §8.2, "Option liquidation").

use crate::account::{
    Account, Health, HealthLevel, OptionContext, OptionParams, Position, TokenParams, health, health_without,
    token_contribution,
};
use crate::options::price;
use crate::oracle::OraclePrice;
use crate::{Error, Result, Rounding, Wad};

use super::policy::size_to_target;
use super::search::boundary;
use super::{Limit, LiquidationParams, Outcome, Seize, tightest};

/// A liquidator's order on an option position: the `series`, the `token` that pays for a
/// short (the account's deposit) or that the liquidator repays for a long (the account's
/// borrow), and at most `max_size` (option units for a short, tokens repaid for a long; absent
/// on the wire when `None`, never `null`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct OptionOrder {
    /// The option series.
    pub series: u16,
    /// The collateral token (short) or the borrowed token (long).
    pub token: u16,
    /// The largest size the liquidator accepts (`None`: no limit).
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            deserialize_with = "crate::wire::some",
            skip_serializing_if = "Option::is_none"
        )
    )]
    pub max_size: Option<Wad>,
}

impl OptionOrder {
    /// Whether `position` is one of the two this order changes.
    fn touches(&self, position: &Position) -> bool {
        match *position {
            Position::Token { token, .. } => token == self.token,
            Position::Option { series, .. } => series == self.series,
            Position::Perp { .. } => false,
        }
    }
}

/// Which side of an option position a liquidation cleared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum OptionSide {
    /// A short bought back: `size` option units, paid with `seize` collateral tokens.
    Short,
    /// A long seized: `size` tokens of debt repaid, for `seize` option units.
    Long,
}

impl OptionSide {
    /// The name on the wire: `"short"` or `"long"`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Short => "short",
            Self::Long => "long",
        }
    }
}

/// The plan (or record) of an option liquidation. Nothing is created: what the account gives
/// (`seize`) is what the liquidator (`seize − protocol_fee`) and the protocol (`protocol_fee`)
/// receive, and the `size` the account is relieved of is what the liquidator takes on (a short
/// of `size` units) or pays (`size` tokens of the borrow).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct OptionLiquidation {
    /// Short (bought back) or long (seized).
    pub side: OptionSide,
    /// Short: option units taken over. Long: borrowed tokens repaid.
    pub size: Wad,
    /// The unit price of the option: `⌈V(price)⌉` for a short, `⌊V(price)⌋` for a long.
    pub mark: Wad,
    /// The value cleared: `⌊size · M⌋` (short) or `⌊size · P_l⌋` (long).
    pub value: Wad,
    /// Taken from the account: collateral tokens (short) or option units (long),
    /// `⌊value · (1 + fee) / unit price⌋`.
    pub seize: Wad,
    /// The part of `seize` above `⌊value / unit price⌋`: the penalty.
    pub bonus: Wad,
    /// The protocol's share of it, `⌈bonus · protocol_fee_share⌉`.
    pub protocol_fee: Wad,
    /// The account's health around the liquidation.
    pub outcome: Outcome,
}

impl OptionLiquidation {
    /// What the liquidator receives: `seize − protocol_fee`.
    ///
    /// Errors: [`Error::Overflow`] by type only (`protocol_fee ≤ bonus ≤ seize`).
    pub fn liquidator_receives(&self) -> Result<Wad> {
        self.seize.sub(self.protocol_fee)
    }
}

/// The option position and the token position an option liquidation exchanges.
struct Leg<'a> {
    side: OptionSide,
    option: &'a OptionParams,
    series: u16,
    /// The account's quantity of the series.
    quantity: Wad,
    token: &'a TokenParams,
    token_price: OraclePrice,
    /// The account's balance of the token (a deposit for a short, a borrow for a long).
    balance: Wad,
    /// The option's unit price (`mark` of [`OptionLiquidation`]).
    mark: Wad,
    /// `1 + fee`.
    bonus_factor: Wad,
}

impl Leg<'_> {
    /// `(value cleared, unit price of what is taken)`.
    fn prices(&self) -> (Wad, Wad) {
        match self.side {
            OptionSide::Short => (self.mark, self.token_price.price()),
            OptionSide::Long => (self.token_price.price(), self.mark),
        }
    }

    /// The exchange of clearing `size`.
    fn exchange(&self, size: Wad) -> Result<Seize> {
        let (cleared, taken) = self.prices();
        Seize::new(
            size,
            cleared,
            taken,
            self.option.liquidation_fee(),
            self.option.protocol_fee_share(),
        )
    }

    /// `⌊⌊size · cleared⌋ · (1 + fee) / taken⌋`.
    fn seize(&self, size: Wad) -> Result<Wad> {
        let (cleared, taken) = self.prices();
        size.mul_floor(cleared)?.mul_div_floor(self.bonus_factor, taken)
    }

    /// The position cleared: `|q|` units (short) or the debt `|b|` (long).
    fn position(&self) -> Result<Wad> {
        match self.side {
            OptionSide::Short => self.quantity.abs(),
            OptionSide::Long => self.balance.abs(),
        }
    }

    /// What the account holds of what is taken: its deposit (short) or its options (long).
    fn held(&self) -> Wad {
        match self.side {
            OptionSide::Short => self.balance,
            OptionSide::Long => self.quantity,
        }
    }

    /// `(quantity, balance)` after clearing `size`.
    fn after(&self, size: Wad) -> Result<(Wad, Wad)> {
        let seize = self.seize(size)?;
        match self.side {
            OptionSide::Short => Ok((self.quantity.add(size)?, self.balance.sub(seize)?)),
            OptionSide::Long => Ok((self.quantity.sub(seize)?, self.balance.add(size)?)),
        }
    }

    /// The two positions' contribution at `level` after clearing `size`.
    fn contribution(&self, ctx: &OptionContext<'_>, level: HealthLevel, size: Wad) -> Result<Wad> {
        let (quantity, balance) = self.after(size)?;
        ctx.option_contribution(self.series, level, quantity)?
            .add(token_contribution(self.token, self.token_price, level, balance)?)
    }

    /// The largest size whose seize fits in what the account holds (at most the position).
    fn collateral_cap(&self) -> Result<Wad> {
        let position = self.position()?;
        let held = self.held();
        if self.seize(position)? <= held {
            return Ok(position);
        }
        let (cleared, taken) = self.prices();
        // seize is non-decreasing in the size: the first size whose seize exceeds what is held.
        let guess = held.mul_div_floor(taken, cleared)?.div_floor(self.bonus_factor)?;
        let first_over = boundary(Wad::ZERO, position, guess, |s| Ok(self.seize(s)? > held))?;
        first_over.sub(Wad::EPSILON)
    }

    /// The linearised size `⌈−T₀ / k⌉` (an estimate only; `vectors/README.md` §8.2, "Option
    /// liquidation", gives `k`): for a short, `k = ⌊C / |q|⌋ − ⌈⌈M · (1 + fee)⌉ · ⌈P_c⁻ · w_c⌉ /
    /// P_c⌉` with `C` the short's charge at `level`; for a long, `k = ⌊P_l⁺ · w_l⌋ −
    /// ⌈⌈P_l · (1 + fee)⌉ · ⌈L / q⌉ / V⌉` with `L` the long's contribution at `level`.
    fn estimate(&self, ctx: &OptionContext<'_>, level: HealthLevel, target: Wad) -> Result<Wad> {
        let position = self.position()?;
        let own = ctx.option_contribution(self.series, level, self.quantity)?;
        let slope = match self.side {
            OptionSide::Short => {
                let size = self.quantity.abs()?;
                let freed = own.neg()?.div_floor(size)?;
                let w_c = self.token.asset_weight(level, self.balance)?;
                let cost = self
                    .mark
                    .mul_ceil(self.bonus_factor)?
                    .mul_div_ceil(self.token_price.asset_price().mul_ceil(w_c)?, self.token_price.price())?;
                freed.sub(cost)?
            }
            OptionSide::Long => {
                let debt = self.balance.abs()?;
                let w_l = self.token.liability_weight(level, debt)?;
                let gain = self.token_price.liability_price().mul_floor(w_l)?;
                let unit = own.div_ceil(self.quantity)?;
                let loss = self
                    .token_price
                    .price()
                    .mul_ceil(self.bonus_factor)?
                    .mul_div_ceil(unit, self.mark)?;
                gain.sub(loss)?
            }
        };
        if !slope.is_positive() {
            return Ok(position);
        }
        target.neg()?.div_ceil(slope).or(Ok(position))
    }
}

/// Plans the liquidation of `account`'s position in option `order.series` (a short bought
/// back against its deposit of `order.token`, or a long seized for its borrow of
/// `order.token`), without changing anything.
///
/// The size restores the health at `params.target` to zero with nothing to spare on the grid,
/// found by the estimate of `Leg::estimate` and the search of
/// [`plan_token_liquidation`](super::plan_token_liquidation), capped, in this order on a tie,
/// by the position (the short's units, or the borrow), by what the account holds of what is
/// taken (`seize ≤` deposit, or `seize ≤` its long units), by the close factor and by the
/// liquidator's offer. A target size that would leave a position worth less than the close
/// factor's `dust` extends to the largest allowed. An account that is not liquidatable gets a
/// zero plan with [`Limit::Healthy`].
///
/// Errors: [`Error::Invalid`] naming `max_size` when it is negative, `series` when the context
/// has no such series or the account no position in it, `token` when the context has no such
/// token or the account no deposit of it (short) or no borrow of it (long), `mark` when a long
/// option is worth nothing at the oracle's price; [`Error::Overflow`].
pub fn plan_option_liquidation<const N: usize>(
    account: &Account<N>,
    ctx: &OptionContext<'_>,
    params: &LiquidationParams,
    order: OptionOrder,
) -> Result<OptionLiquidation> {
    if order.max_size.is_some_and(Wad::is_negative) {
        return Err(Error::invalid("max_size", "must be ≥ 0"));
    }
    let (option, mark, spot) = ctx.option(order.series)?;
    let quantity = account.option(order.series);
    if quantity.is_zero() {
        return Err(Error::invalid(
            "series",
            "the account has no position in that option series",
        ));
    }
    let (token, token_price) = ctx.token(order.token)?;
    let balance = account.token_balance(order.token);
    let inputs = option.inputs(spot.price(), &mark)?;
    let (side, unit) = if quantity.is_negative() {
        if !balance.is_positive() {
            return Err(Error::invalid("token", "the account has no deposit in that token"));
        }
        (OptionSide::Short, price(option.kind(), &inputs, Rounding::Ceil)?)
    } else {
        if !balance.is_negative() {
            return Err(Error::invalid("token", "the account has no borrow in that token"));
        }
        let value = price(option.kind(), &inputs, Rounding::Floor)?;
        if !value.is_positive() {
            return Err(Error::invalid(
                "mark",
                "the long options are worth nothing at the oracle's price: nothing to seize",
            ));
        }
        (OptionSide::Long, value)
    };
    let leg = Leg {
        side,
        option,
        series: order.series,
        quantity,
        token,
        token_price,
        balance,
        mark: unit,
        bonus_factor: Wad::ONE.add(option.liquidation_fee())?,
    };
    let level = params.target;
    let skip = |p: &Position| order.touches(p);
    let before = health(account, ctx, HealthLevel::Maintenance)?;
    let rest = health_without(account, ctx, level, skip)?.value()?;
    let target_at = |size: Wad| rest.add(leg.contribution(ctx, level, size)?);
    let target_before = target_at(Wad::ZERO)?;
    if !before.value()?.is_negative() {
        return finish(
            &leg,
            Wad::ZERO,
            before,
            before,
            target_before,
            target_before,
            Limit::Healthy,
        );
    }
    let position = leg.position()?;
    let (cleared, taken) = leg.prices();
    let position_value = position.mul_ceil(cleared)?;
    let held_value = leg.held().mul_floor(taken)?;
    let share = params.close_factor.share(before.factor()?, position_value, held_value);
    let caps = tightest(&[
        (position, Limit::Position),
        (leg.collateral_cap()?, Limit::Collateral),
        (position.mul_floor(share)?, Limit::CloseFactor),
        (order.max_size.unwrap_or(Wad::MAX), Limit::Offer),
    ]);
    let (size, limit) = size_to_target(
        &params.close_factor,
        caps,
        target_before,
        |x| Ok(!target_at(x)?.is_negative()),
        || leg.estimate(ctx, level, target_before),
        |size| position.sub(size)?.mul_ceil(cleared),
    )?;
    let target_after = target_at(size)?;
    let mut after: Health = health_without(account, ctx, HealthLevel::Maintenance, skip)?;
    after.add(leg.contribution(ctx, HealthLevel::Maintenance, size)?)?;
    finish(&leg, size, before, after, target_before, target_after, limit)
}

/// The report of a liquidation clearing `size`.
fn finish(
    leg: &Leg<'_>,
    size: Wad,
    before: Health,
    after: Health,
    target_before: Wad,
    target_after: Wad,
    limit: Limit,
) -> Result<OptionLiquidation> {
    let amounts = leg.exchange(size)?;
    Ok(OptionLiquidation {
        side: leg.side,
        size,
        mark: leg.mark,
        value: amounts.repay_value,
        seize: amounts.seize,
        bonus: amounts.bonus,
        protocol_fee: amounts.protocol_fee,
        outcome: Outcome::new(before, after, target_before, target_after, limit)?,
    })
}

/// Plans as [`plan_option_liquidation`] and applies the plan to `account`: a short's quantity
/// rises by `size` and the deposit falls by `seize`; a long's quantity falls by `seize` and
/// the borrow by `size`. On error nothing changes.
///
/// Errors: as [`plan_option_liquidation`].
pub fn liquidate_option<const N: usize>(
    account: &mut Account<N>,
    ctx: &OptionContext<'_>,
    params: &LiquidationParams,
    order: OptionOrder,
) -> Result<OptionLiquidation> {
    let plan = plan_option_liquidation(account, ctx, params, order)?;
    let quantity = account.option(order.series);
    let balance = account.token_balance(order.token);
    let (quantity, balance) = match plan.side {
        OptionSide::Short => (quantity.add(plan.size)?, balance.sub(plan.seize)?),
        OptionSide::Long => (quantity.sub(plan.seize)?, balance.add(plan.size)?),
    };
    // Both positions exist (the plan checked it), so setting them cannot fail for capacity.
    account.set_option(order.series, quantity)?;
    account.set_token(order.token, balance)?;
    Ok(plan)
}
