//! Liquidating a borrow against a deposit: repay one token, seize another.

use core::cell::Cell;

use crate::account::{
    Account, Context, Health, HealthLevel, OptionPricing, Position, TokenParams, health, health_without,
    position_contribution, token_contribution,
};
use crate::oracle::OraclePrice;
use crate::{Error, Result, Wad};

use super::policy::{size_to_request, size_to_target};
use super::search::boundary;
use super::{Limit, LiquidationParams, Mode, Outcome, tightest};

/// A liquidator's order: repay `liability`, seize `collateral`, repay at most `max_repay`
/// (absent on the wire when `None`, never `null`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct TokenOrder {
    /// The token the account has borrowed and the liquidator repays.
    pub liability: u16,
    /// The token the account has deposited and the liquidator seizes.
    pub collateral: u16,
    /// The most liability tokens the liquidator will repay (`None`: no limit).
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            deserialize_with = "crate::wire::some",
            skip_serializing_if = "Option::is_none"
        )
    )]
    pub max_repay: Option<Wad>,
}

impl TokenOrder {
    /// Whether `position` is one of the two this order changes.
    fn touches(&self, position: &Position) -> bool {
        matches!(*position, Position::Token { token, .. } if token == self.liability || token == self.collateral)
    }
}

/// The plan (or the record) of a token liquidation. What the account loses equals what the
/// liquidator and the protocol receive, exactly: the account's borrow shrinks by `repay`,
/// which the liquidator pays; its deposit shrinks by `seize`, of which the protocol receives
/// `protocol_fee` and the liquidator the rest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TokenLiquidation {
    /// Liability tokens repaid.
    pub repay: Wad,
    /// Their value at the oracle price, `⌊repay · P_liab⌋`.
    pub repay_value: Wad,
    /// Collateral tokens taken from the account: `⌊repay_value · (1 + bonus) / P_coll⌋`.
    pub seize: Wad,
    /// The part of `seize` above the repaid value, `seize − ⌊repay_value / P_coll⌋`: the bonus.
    pub bonus: Wad,
    /// The protocol's share of the bonus, `⌈bonus · protocol_fee_share⌉` collateral tokens.
    pub protocol_fee: Wad,
    /// The account's health around the liquidation.
    pub outcome: Outcome,
}

impl TokenLiquidation {
    /// Collateral tokens the liquidator receives: `seize − protocol_fee`.
    ///
    /// Errors: never in practice (`protocol_fee ≤ seize`); [`Error::Overflow`] by type.
    pub fn liquidator_receives(&self) -> Result<Wad> {
        self.seize.sub(self.protocol_fee)
    }

    /// The liquidator's share of the bonus: `bonus − protocol_fee`.
    ///
    /// Errors: as [`TokenLiquidation::liquidator_receives`].
    pub fn liquidator_bonus(&self) -> Result<Wad> {
        self.bonus.sub(self.protocol_fee)
    }
}

/// What repaying `repay` liability tokens is worth in collateral: the amounts of a token
/// liquidation, computed as [`plan_token_liquidation`] computes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Seize {
    /// `⌊repay · P_liab⌋`.
    pub repay_value: Wad,
    /// `⌊repay_value · (1 + bonus) / P_coll⌋` collateral tokens taken from the account.
    pub seize: Wad,
    /// `seize − ⌊repay_value / P_coll⌋`.
    pub bonus: Wad,
    /// `⌈bonus · protocol_fee_share⌉`.
    pub protocol_fee: Wad,
}

impl Seize {
    /// The amounts of repaying `repay` at point prices `liab_price` and `coll_price` (both
    /// positive) with the collateral's `bonus` and `protocol_fee_share`.
    ///
    /// Errors: [`Error::DivisionByZero`] for a zero collateral price; [`Error::Overflow`].
    pub fn new(repay: Wad, liab_price: Wad, coll_price: Wad, bonus: Wad, protocol_fee_share: Wad) -> Result<Self> {
        let repay_value = repay.mul_floor(liab_price)?;
        let seize = repay_value.mul_div_floor(Wad::ONE.add(bonus)?, coll_price)?;
        let bonus = seize.sub(repay_value.div_floor(coll_price)?)?;
        let protocol_fee = bonus.mul_ceil(protocol_fee_share)?;
        Ok(Self {
            repay_value,
            seize,
            bonus,
            protocol_fee,
        })
    }

    /// Collateral tokens the liquidator receives: `seize − protocol_fee`.
    ///
    /// Errors: [`Error::Overflow`] by type only (`protocol_fee ≤ bonus ≤ seize`).
    pub fn liquidator_receives(&self) -> Result<Wad> {
        self.seize.sub(self.protocol_fee)
    }
}

/// The two positions a token liquidation touches, with their parameters and prices.
struct Pair<'a> {
    liab: &'a TokenParams,
    liab_price: OraclePrice,
    coll: &'a TokenParams,
    coll_price: OraclePrice,
    debt: Wad,
    deposit: Wad,
    /// `1 + bonus`.
    bonus_factor: Wad,
}

impl Pair<'_> {
    /// `⌊repay · P_liab⌋`.
    fn repay_value(&self, repay: Wad) -> Result<Wad> {
        repay.mul_floor(self.liab_price.price())
    }

    /// `⌊⌊repay · P_liab⌋ · (1 + bonus) / P_coll⌋`.
    fn seize(&self, repay: Wad) -> Result<Wad> {
        self.repay_value(repay)?
            .mul_div_floor(self.bonus_factor, self.coll_price.price())
    }

    /// The two positions' contribution at `level` after repaying `repay`.
    fn contribution(&self, level: HealthLevel, repay: Wad) -> Result<Wad> {
        let borrow = self.debt.sub(repay)?.neg()?;
        let deposit = self.deposit.sub(self.seize(repay)?)?;
        token_contribution(self.liab, self.liab_price, level, borrow)?.add(token_contribution(
            self.coll,
            self.coll_price,
            level,
            deposit,
        )?)
    }

    /// The most liability tokens whose seize fits in the deposit (at most `debt`).
    fn collateral_cap(&self) -> Result<Wad> {
        if self.seize(self.debt)? <= self.deposit {
            return Ok(self.debt);
        }
        if let Ok(first_over) = self.first_over_deposit() {
            return first_over.sub(Wad::EPSILON);
        }
        // seize is non-decreasing in repay: find the first repay whose seize exceeds the deposit.
        let guess = self
            .deposit
            .mul_div_floor(self.coll_price.price(), self.liab_price.price())?
            .div_floor(self.bonus_factor)?;
        let first_over = boundary(Wad::ZERO, self.debt, guess, |r| Ok(self.seize(r)? > self.deposit))?;
        first_over.sub(Wad::EPSILON)
    }

    /// The first repay whose seize exceeds the deposit `d`, in closed form:
    /// `seize = ⌊v·(1 + bonus)/P_coll⌋ ≥ d + 10⁻¹⁸` exactly from `v = ⌈(d + 10⁻¹⁸)·P_coll/(1 + bonus)⌉`,
    /// and `v = ⌊r·P_liab⌋` reaches that exactly from `r = ⌈v/P_liab⌉` (each a non-decreasing
    /// step, so these are the first such `v` and `r`: the search's boundary, without probes).
    /// It lies in `(0, debt]` when `seize(debt)` exceeds the deposit (`seize(0) = 0`).
    ///
    /// Errors: [`Error::Overflow`] when a step leaves the `Wad` range (the caller then searches).
    fn first_over_deposit(&self) -> Result<Wad> {
        self.deposit
            .add(Wad::EPSILON)?
            .mul_div_ceil(self.coll_price.price(), self.bonus_factor)?
            .div_ceil(self.liab_price.price())
    }

    /// The repay that the linearised target health says is needed: `−H / k`, with
    /// `k = P_liab⁺·w_liab − P_liab·(1 + bonus)·P_coll⁻·w_coll / P_coll`; an estimate only.
    fn estimate(&self, level: HealthLevel, target: Wad) -> Result<Wad> {
        let w_liab = self.liab.liability_weight(level, self.debt)?;
        let w_coll = self.coll.asset_weight(level, self.deposit)?;
        let gain = self.liab_price.liability_price().mul_floor(w_liab)?;
        let loss = self
            .liab_price
            .price()
            .mul_ceil(self.bonus_factor)?
            .mul_div_ceil(self.coll_price.asset_price().mul_ceil(w_coll)?, self.coll_price.price())?;
        let slope = gain.sub(loss)?;
        if !slope.is_positive() {
            return Ok(self.debt);
        }
        target.neg()?.div_ceil(slope).or(Ok(self.debt))
    }
}

/// Plans the liquidation of `account`'s borrow of `order.liability` against its deposit of
/// `order.collateral`, without changing anything.
///
/// The repay restores the health at `params.target` to zero with nothing to spare on the
/// grid: at `repay` the target is met and at `repay − 1e-18` it is not. It starts from the
/// closed form `−H / k` (see `Pair::estimate`) and is settled on the grid by the search of
/// `vectors/README.md` §8.2, "The search" (two probes when the estimate is right). Per-term rounding
/// makes target health a saw-tooth of a few 1e-18 around its linear trend, so a repay smaller
/// by up to (that noise / the slope) may meet the target too; the search's boundary is the
/// contract, and another implementation reproduces it by running the same search.
///
/// The repay is capped, in this order on a tie, by the whole debt, by what the deposit can
/// pay (`seize ≤ deposit`), by the close factor and by the liquidator's offer; a capped
/// liquidation reports the cap in [`Outcome::limit`]. When the target repay would leave a
/// debt worth less than the close factor's `dust`, the repay extends to the largest allowed.
/// An account that is not liquidatable gets a zero plan with [`Limit::Healthy`].
///
/// With [`Mode::Request`](super::Mode::Request) in `params` the liquidator sizes it:
/// `order.max_repay` is the request (absent: as much as allowed), the repay is the smallest of
/// the request and the caps above (the debt, the collateral, the close factor; [`Limit::Offer`]
/// when the request bound it), and the target is not sought (`target_before`/`target_after`
/// still report it).
///
/// Errors: [`Error::Invalid`] naming `collateral` when it is the liability token or the
/// account has no deposit of it, `liability` when the account has no borrow of it,
/// `max_repay` when it is negative or (request sizing) when a request below the caps would
/// leave a debt worth less than the close factor's dust, `token` when the context has no such
/// token; [`Error::Overflow`].
pub fn plan_token_liquidation<const N: usize, O: OptionPricing>(
    account: &Account<N>,
    ctx: &Context<'_, O>,
    params: &LiquidationParams,
    order: TokenOrder,
) -> Result<TokenLiquidation> {
    if order.collateral == order.liability {
        return Err(Error::invalid(
            "collateral",
            "must be a different token from the liability",
        ));
    }
    if order.max_repay.is_some_and(Wad::is_negative) {
        return Err(Error::invalid("max_repay", "must be ≥ 0"));
    }
    let (liab, liab_price) = ctx.token(order.liability)?;
    let (coll, coll_price) = ctx.token(order.collateral)?;
    let borrow = account.token_balance(order.liability);
    let deposit = account.token_balance(order.collateral);
    if !borrow.is_negative() {
        return Err(Error::invalid("liability", "the account has no borrow in that token"));
    }
    if !deposit.is_positive() {
        return Err(Error::invalid("collateral", "the account has no deposit in that token"));
    }
    let pair = Pair {
        liab,
        liab_price,
        coll,
        coll_price,
        debt: borrow.abs()?,
        deposit,
        bonus_factor: Wad::ONE.add(coll.liquidation_fee())?,
    };
    let level = params.target;
    // The maintenance health, and in the same pass its part without the two positions
    // (the same sums of the same terms as `health` and `health_without`).
    let (before, rest_maint) = maintenance_with_rest(account, ctx, order)?;
    let rest = health_without(account, ctx, level, |p| order.touches(p))?.value()?;
    // The last repay found to meet the target, with its target health (a pure function of
    // the repay: the search's answer is not evaluated twice).
    let last_met: Cell<Option<(Wad, Wad)>> = Cell::new(None);
    let target_at = |repay: Wad| -> Result<Wad> {
        let t = rest.add(pair.contribution(level, repay)?)?;
        if !t.is_negative() {
            last_met.set(Some((repay, t)));
        }
        Ok(t)
    };
    let target_before = target_at(Wad::ZERO)?;
    if !before.value()?.is_negative() {
        return finish(
            &pair,
            Wad::ZERO,
            before,
            before,
            target_before,
            target_before,
            Limit::Healthy,
        );
    }

    let debt_value = pair.debt.mul_ceil(liab_price.price())?;
    let deposit_value = deposit.mul_floor(coll_price.price())?;
    let share = params.close_factor.share(before.factor()?, debt_value, deposit_value);
    let left_value = |repay: Wad| pair.debt.sub(repay)?.mul_ceil(liab_price.price());
    let allowed = [
        (pair.debt, Limit::Position),
        (pair.collateral_cap()?, Limit::Collateral),
        (pair.debt.mul_floor(share)?, Limit::CloseFactor),
    ];
    let (repay, limit) = match params.mode {
        Mode::Request => size_to_request(
            &params.close_factor,
            tightest(&allowed),
            order.max_repay,
            "max_repay",
            left_value,
        )?,
        Mode::Target => {
            let [position, collateral, close] = allowed;
            size_to_target(
                &params.close_factor,
                tightest(&[
                    position,
                    collateral,
                    close,
                    (order.max_repay.unwrap_or(Wad::MAX), Limit::Offer),
                ]),
                target_before,
                target_at,
                || pair.estimate(level, target_before),
                left_value,
            )?
        }
    };

    let target_after = match last_met.get() {
        Some((r, t)) if r == repay => t,
        _ => target_at(repay)?,
    };
    let mut after: Health = rest_maint;
    let borrow_after = pair.debt.sub(repay)?.neg()?;
    let deposit_after = deposit.sub(pair.seize(repay)?)?;
    after.add(token_contribution(
        liab,
        liab_price,
        HealthLevel::Maintenance,
        borrow_after,
    )?)?;
    after.add(token_contribution(
        coll,
        coll_price,
        HealthLevel::Maintenance,
        deposit_after,
    )?)?;
    finish(&pair, repay, before, after, target_before, target_after, limit)
}

/// `account`'s maintenance health, and the same without the two positions `order` touches.
///
/// Errors: as [`health`].
fn maintenance_with_rest<const N: usize, O: OptionPricing>(
    account: &Account<N>,
    ctx: &Context<'_, O>,
    order: TokenOrder,
) -> Result<(Health, Health)> {
    let (mut all, mut rest) = (Health::default(), Health::default());
    for p in account.positions() {
        let c = position_contribution(p, ctx, HealthLevel::Maintenance)?;
        all.add(c)?;
        if !order.touches(p) {
            rest.add(c)?;
        }
    }
    Ok((all, rest))
}

/// The report of a liquidation repaying `repay`.
fn finish(
    pair: &Pair<'_>,
    repay: Wad,
    before: Health,
    after: Health,
    target_before: Wad,
    target_after: Wad,
    limit: Limit,
) -> Result<TokenLiquidation> {
    let amounts = Seize::new(
        repay,
        pair.liab_price.price(),
        pair.coll_price.price(),
        pair.coll.liquidation_fee(),
        pair.coll.protocol_fee_share(),
    )?;
    Ok(TokenLiquidation {
        repay,
        repay_value: amounts.repay_value,
        seize: amounts.seize,
        bonus: amounts.bonus,
        protocol_fee: amounts.protocol_fee,
        outcome: Outcome::new(before, after, target_before, target_after, limit)?,
    })
}

/// Plans the liquidation as [`plan_token_liquidation`] and applies it to `account`: the
/// borrow shrinks by `repay` and the deposit by `seize`. On error nothing changes.
///
/// Errors: as [`plan_token_liquidation`].
pub fn liquidate_token<const N: usize, O: OptionPricing>(
    account: &mut Account<N>,
    ctx: &Context<'_, O>,
    params: &LiquidationParams,
    order: TokenOrder,
) -> Result<TokenLiquidation> {
    let plan = plan_token_liquidation(account, ctx, params, order)?;
    let borrow = account.token_balance(order.liability).add(plan.repay)?;
    let deposit = account.token_balance(order.collateral).sub(plan.seize)?;
    // Both positions exist (the plan checked it), so setting them cannot fail for capacity.
    account.set_token(order.liability, borrow)?;
    account.set_token(order.collateral, deposit)?;
    Ok(plan)
}

/// Whether a token liquidation is toxic once the sale of its collateral is priced in: the
/// maintenance health factor after the liquidation, with the collateral valued at
/// `min(asset price, price_after)` (the market price the liquidator's sale leaves behind, which
/// an oracle following the market will soon publish), is below the factor before it.
///
/// Without impact a liquidation with bonus `b` is toxic once liabilities exceed `1/(1 + b)`
/// of the weighted assets; a sale that moves the price makes it toxic earlier.
///
/// Errors: [`Error::Invalid`] naming `price_after` unless positive; as
/// [`plan_token_liquidation`].
pub fn toxic_with_impact<const N: usize, O: OptionPricing>(
    account: &Account<N>,
    ctx: &Context<'_, O>,
    order: TokenOrder,
    plan: &TokenLiquidation,
    price_after: Wad,
) -> Result<bool> {
    if !price_after.is_positive() {
        return Err(Error::invalid("price_after", "must be > 0"));
    }
    let (coll, coll_price) = ctx.token(order.collateral)?;
    let (liab, liab_price) = ctx.token(order.liability)?;
    let level = HealthLevel::Maintenance;
    let mut after = health_without(account, ctx, level, |p| order.touches(p))?;
    let borrow = account.token_balance(order.liability).add(plan.repay)?;
    let deposit = account.token_balance(order.collateral).sub(plan.seize)?;
    let impacted = OraclePrice::exact(coll_price.asset_price().min(price_after))?;
    after.add(token_contribution(liab, liab_price, level, borrow)?)?;
    after.add(token_contribution(coll, impacted, level, deposit)?)?;
    let before = health(account, ctx, level)?;
    Ok(Outcome::new(before, after, Wad::ZERO, Wad::ZERO, Limit::Target)?.toxic)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::TokenParamsRaw;
    use crate::test_support::w;

    /// The collateral cap's closed form is the search's boundary: on 20,000 random pairs
    /// (prices from 1e-6 to 1e6, bonus in [0, 0.25] (the most a weight of 0.8 allows),
    /// deposits from 1e-12 to 1e9 tokens, debts from 1e-12 to 1e12, those whose seize exceeds
    /// the deposit kept: 11,186 of them), `first_over_deposit` is the first repay the search finds (from the
    /// top of its bracket) whose seize exceeds the deposit.
    #[test]
    fn the_collateral_caps_closed_form_is_the_searched_boundary() {
        let mut rng = crate::rng::SplitMix64::new(0x2545_f491_4f6c_dd1d);
        let mut next = move || rng.next_u64();
        let log_uniform = crate::test_support::log_uniform;
        let mut checked = 0;
        for _ in 0..20_000 {
            let mut raw = TokenParamsRaw::new(w("0.8"), w("0.8"), w("1.2"), w("1.2"));
            raw.liquidation_fee = Wad::from_raw(i128::from(next() % 250_000_000_000_000_001));
            let Ok(params) = TokenParams::new(raw) else {
                continue;
            };
            let liab_price = OraclePrice::exact(log_uniform(-6, 6, &mut next)).unwrap();
            let coll_price = OraclePrice::exact(log_uniform(-6, 6, &mut next)).unwrap();
            let deposit = log_uniform(-12, 9, &mut next);
            let debt = log_uniform(-12, 12, &mut next);
            let pair = Pair {
                liab: &params,
                liab_price,
                coll: &params,
                coll_price,
                debt,
                deposit,
                bonus_factor: Wad::ONE.add(params.liquidation_fee()).unwrap(),
            };
            if !pair.seize(debt).is_ok_and(|s| s > deposit) {
                continue;
            }
            let searched = boundary(Wad::ZERO, debt, debt, |r| Ok(pair.seize(r)? > deposit)).unwrap();
            assert_eq!(pair.first_over_deposit(), Ok(searched), "{debt} {deposit}");
            checked += 1;
        }
        assert_eq!(checked, 11_186, "pairs checked");
    }
}
