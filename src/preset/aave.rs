//! Aave v3.3: the health factor, the liquidation call and the bad-debt (deficit) booking of
//! `aave-dao/aave-v3-origin` at tag `v3.3.0`, in native units with Aave's own roundings.
//!
//! Sources (files of that tag): `GenericLogic.calculateUserAccountData` (the account's
//! collateral and debt in the base currency, floored per reserve; the average liquidation
//! threshold `⌊Σ value·LT / Σ value⌋`; the health factor
//! `wadDiv(percentMul(collateral, avgLT), debt)`, both half up),
//! `LiquidationLogic.executeLiquidationCall` and `_calculateAvailableCollateralToLiquidate`
//! (the close factor, `DEFAULT_LIQUIDATION_CLOSE_FACTOR = 0.5e4`, `CLOSE_FACTOR_HF_THRESHOLD =
//! 0.95e18`, `MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD = 2000e8`, `MIN_LEFTOVER_BASE = 1000e8`, the
//! bonus and the protocol fee, `MUST_NOT_LEAVE_DUST`, `_burnBadDebt`), and
//! `helpers/LiquidationDataProvider.getLiquidationInfo` (the largest repay a liquidation call
//! accepts). `PercentageMath` rounds half up.

use crate::account::{Account, Context, OptionPricing, Position, TokenParams};
use crate::liquidation::Limit;
use crate::{Error, Result, Wad};

use super::int::{BPS, from_native, mul_div, native, percent_div, percent_mul, pow10};

/// The tokens an eMode category can list (a bitmap of token indices below 128).
pub const MAX_EMODE_TOKEN: u16 = 127;

/// An eMode category: the account borrows correlated assets with its own LTV, liquidation
/// threshold and bonus for the collateral the category lists (v3.3: `collateralBitmap`; the
/// price source of v3.0–3.1 is gone).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct EMode {
    /// The category's LTV, in `[0, 1]`, whole basis points.
    pub ltv: Wad,
    /// The category's liquidation threshold, in `[ltv, 1]`, whole basis points.
    pub liquidation_threshold: Wad,
    /// The category's bonus above 100 % (Aave's 10100 is `0.01`), whole basis points.
    pub liquidation_bonus: Wad,
    /// Bit `i` set: token `i` is collateral of the category.
    pub collateral: u128,
}

/// Aave v3.3's constants, each overridable; [`AaveV33::DEFAULT`] holds the protocol's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AaveV33 {
    /// `DEFAULT_LIQUIDATION_CLOSE_FACTOR`: 0.5 (of the account's whole debt, in value).
    pub close_factor: Wad,
    /// `CLOSE_FACTOR_HF_THRESHOLD`: at or below this health factor the whole debt may be repaid.
    pub full_below: Wad,
    /// `MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD`: 2000 (base currency, USD): a reserve's debt or
    /// collateral worth less may be repaid or seized whole.
    pub min_base_max_close_factor: Wad,
    /// `MIN_LEFTOVER_BASE`: 1000: a liquidation that leaves debt and collateral must leave at
    /// least this much of each.
    pub min_leftover_base: Wad,
    /// The base currency's decimals (8: USD prices of Aave's oracle).
    pub base_decimals: u8,
    /// The account's eMode category, if any.
    pub emode: Option<EMode>,
}

impl AaveV33 {
    /// The constants of `LiquidationLogic` at v3.3.0, no eMode.
    pub const DEFAULT: Self = Self {
        close_factor: crate::wad!("0.5"),
        full_below: crate::wad!("0.95"),
        min_base_max_close_factor: crate::wad!("2000"),
        min_leftover_base: crate::wad!("1000"),
        base_decimals: 8,
        emode: None,
    };

    /// Checks the constants.
    ///
    /// Errors: [`Error::Invalid`] naming `close_factor` unless in `(0, 1]` in whole basis
    /// points, `full_below` unless in `[0, 1]`, `base_decimals` above 18, the thresholds unless
    /// `≥ 0` in whole base units, the eMode's fields out of their ranges.
    pub fn check(&self) -> Result<()> {
        let bps = native(self.close_factor, 4, "close_factor", "must be whole basis points")?;
        crate::error::ensure(bps > 0 && bps <= BPS, "close_factor", "must be in (0, 1]")?;
        crate::error::ensure(
            !self.full_below.is_negative() && self.full_below <= Wad::ONE,
            "full_below",
            "must be in [0, 1]",
        )?;
        crate::error::ensure(self.base_decimals <= 18, "base_decimals", "must be at most 18")?;
        for (x, what) in [
            (self.min_base_max_close_factor, "min_base_max_close_factor"),
            (self.min_leftover_base, "min_leftover_base"),
        ] {
            let n = native(x, self.base_decimals, what, "must be whole units of the base currency")?;
            crate::error::ensure(n >= 0, what, "must be ≥ 0")?;
        }
        if let Some(e) = self.emode {
            let ltv = native(e.ltv, 4, "emode.ltv", "must be whole basis points")?;
            let lt = native(
                e.liquidation_threshold,
                4,
                "emode.liquidation_threshold",
                "must be whole basis points",
            )?;
            let bonus = native(
                e.liquidation_bonus,
                4,
                "emode.liquidation_bonus",
                "must be whole basis points",
            )?;
            crate::error::ensure((0..=BPS).contains(&ltv), "emode.ltv", "must be in [0, 1]")?;
            crate::error::ensure(
                lt >= ltv && lt <= BPS,
                "emode.liquidation_threshold",
                "must be in [ltv, 1]",
            )?;
            crate::error::ensure(
                (0..BPS).contains(&bonus),
                "emode.liquidation_bonus",
                "must be in [0, 1)",
            )?;
            // PoolConfigurator.setEModeCategory: threshold · bonus ≤ 100 %.
            crate::error::ensure(
                percent_mul(lt, BPS.checked_add(bonus).ok_or(Error::Overflow)?)? <= BPS,
                "emode.liquidation_bonus",
                "liquidation_threshold · (1 + liquidation_bonus) must be at most 1",
            )?;
        }
        Ok(())
    }
}

/// One reserve in Aave's integers.
#[derive(Clone, Copy, Debug)]
struct Reserve {
    /// `10^decimals`.
    unit: i128,
    decimals: u8,
    /// The oracle price in base units (`price · 10^base_decimals`).
    price: i128,
    ltv: i128,
    lt: i128,
    /// `liquidationBonus`, e.g. 10500.
    bonus: i128,
    /// `liquidationProtocolFee`, e.g. 1000 (10 % of the bonus).
    fee: i128,
}

/// The account as `getUserAccountData` reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AccountData {
    /// `totalCollateralBase`: Σ `⌊balance · price⌋` over collateral with a threshold, in the
    /// base currency.
    pub total_collateral: Wad,
    /// `totalDebtBase`: Σ `⌊debt · price⌋`.
    pub total_debt: Wad,
    /// `ltv`: `⌊Σ value·LTV / total_collateral⌋` in basis points, as a fraction.
    pub avg_ltv: Wad,
    /// `currentLiquidationThreshold`: `⌊Σ value·LT / total_collateral⌋`, as a fraction.
    pub avg_liquidation_threshold: Wad,
    /// `healthFactor`: `wadDiv(percentMul(collateral, avgLT), debt)` (both half up); `None`
    /// without debt (Aave's `type(uint256).max`).
    pub health_factor: Option<Wad>,
}

impl AccountData {
    /// Whether a liquidation call is allowed: a health factor below 1
    /// (`HEALTH_FACTOR_LIQUIDATION_THRESHOLD`).
    #[must_use]
    pub fn liquidatable(&self) -> bool {
        self.health_factor.is_some_and(|h| h < Wad::ONE)
    }
}

/// A liquidation call: repay `liability` (`debtAsset`), seize `collateral` (`collateralAsset`),
/// `debt_to_cover` (`None`: `type(uint256).max`, as much as allowed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Call {
    /// The debt token.
    pub liability: u16,
    /// The collateral token.
    pub collateral: u16,
    /// `debtToCover`.
    pub debt_to_cover: Option<Wad>,
}

/// What a liquidation call did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Liquidation {
    /// `actualDebtToLiquidate`: liability tokens the liquidator repays.
    pub repay: Wad,
    /// `actualCollateralToLiquidate`: collateral tokens the liquidator receives (after the fee).
    pub seize: Wad,
    /// `liquidationProtocolFeeAmount`: collateral tokens to the treasury.
    pub protocol_fee: Wad,
    /// The share of the debt the call could repay: `close_factor`, or 1.
    pub close_factor: Wad,
    /// `LiquidationDataProvider.getLiquidationInfo(…).maxDebtToLiquidate`: the largest repay a
    /// call accepts (the close factor's cap, cut by the collateral and moved to leave at least
    /// `MIN_LEFTOVER_BASE` of each side when it would leave less).
    pub max_repay: Wad,
    /// What bounded `repay`: the request (`offer`), the close factor, the debt (`position`), the
    /// collateral, or `healthy` (health factor ≥ 1: nothing done; Aave reverts).
    pub limit: Limit,
    /// Whether the account was left without collateral and its remaining debt was burnt to the
    /// reserves' deficit (v3.3's bad-debt booking): every borrow of the account is then zero.
    pub deficit: bool,
    /// The account before.
    pub before: AccountData,
    /// The account after.
    pub after: AccountData,
}

/// Checks that token `i` (`t` at `price`, `decimals`) is a reserve Aave can hold.
///
/// Errors: [`Error::Invalid`] naming `maint_liab_weight` unless every liability weight is 1,
/// `size_factor` unless 0, `init_asset_weight`, `maint_asset_weight`, `liquidation_fee`,
/// `protocol_fee_share` unless whole basis points, `price` unless whole base units,
/// `decimals` above 18.
pub fn check_reserve(t: &TokenParams, price: Wad, decimals: u8, p: &AaveV33, i: u16) -> Result<()> {
    reserve_of(t, price, decimals, p, i).map(|_| ())
}

/// Checks that `balance` is whole native units of a token with `decimals`.
///
/// Errors: [`Error::Invalid`] naming `balance`; [`Error::Overflow`].
pub fn check_amount(balance: Wad, decimals: u8) -> Result<()> {
    native(
        balance.abs()?,
        decimals,
        "balance",
        "must be whole native units of its token (its decimals)",
    )
    .map(|_| ())
}

/// The reserve of token `i` in Aave's integers.
fn reserve<O: OptionPricing>(ctx: &Context<'_, O>, decimals: &[u8], p: &AaveV33, i: u16) -> Result<Reserve> {
    let (t, price) = ctx.token(i)?;
    reserve_of(t, price.price(), *decimals.get(usize::from(i)).unwrap_or(&18), p, i)
}

fn reserve_of(t: &TokenParams, price: Wad, decimals: u8, p: &AaveV33, i: u16) -> Result<Reserve> {
    let raw = t.raw();
    crate::error::ensure(decimals <= 18, "decimals", "must be at most 18")?;
    for w in [raw.maint_liab_weight, raw.init_liab_weight, raw.liq_end_liab_weight] {
        crate::error::ensure(
            w == Wad::ONE,
            "maint_liab_weight",
            "must be 1 under aave_v3.3 (a debt counts at its value)",
        )?;
    }
    crate::error::ensure(raw.size_factor.is_zero(), "size_factor", "must be 0 under aave_v3.3")?;
    let bps = "must be whole basis points under aave_v3.3";
    let mut ltv = native(raw.init_asset_weight, 4, "init_asset_weight", bps)?;
    let mut lt = native(raw.maint_asset_weight, 4, "maint_asset_weight", bps)?;
    let mut bonus = BPS
        .checked_add(native(raw.liquidation_fee, 4, "liquidation_fee", bps)?)
        .ok_or(Error::Overflow)?;
    let fee = native(raw.protocol_fee_share, 4, "protocol_fee_share", bps)?;
    if let Some(e) = p.emode
        && i <= MAX_EMODE_TOKEN
        && e.collateral.checked_shr(u32::from(i)).unwrap_or(0) & 1 == 1
    {
        ltv = native(e.ltv, 4, "emode.ltv", bps)?;
        lt = native(e.liquidation_threshold, 4, "emode.liquidation_threshold", bps)?;
        bonus = BPS
            .checked_add(native(e.liquidation_bonus, 4, "emode.liquidation_bonus", bps)?)
            .ok_or(Error::Overflow)?;
    }
    let price = native(
        price,
        p.base_decimals,
        "price",
        "must be whole units of the base currency under aave_v3.3 (1e-8 USD)",
    )?;
    Ok(Reserve {
        unit: pow10(decimals)?,
        decimals,
        price,
        ltv,
        lt,
        bonus,
        fee,
    })
}

/// A balance in native units.
fn amount(balance: Wad, r: &Reserve) -> Result<i128> {
    native(
        balance.abs()?,
        r.decimals,
        "balance",
        "must be whole native units of its token (its decimals)",
    )
}

/// `getUserAccountData` of `account`: every token position is a reserve (a deposit is
/// collateral, a borrow variable debt); the token's `init_asset_weight` is its LTV,
/// `maint_asset_weight` its liquidation threshold (in the eMode category's place for the
/// collateral it lists); `decimals[i]` token `i`'s decimals (18 when absent).
///
/// Errors: [`Error::Invalid`] naming a token field that Aave cannot hold (`maint_liab_weight`
/// unless 1, weights and fees unless whole basis points, `price` unless whole base units,
/// `balance` unless whole native units), `token` for an index outside the context;
/// [`Error::Overflow`].
pub fn account_data<const N: usize, O: OptionPricing>(
    account: &Account<N>,
    ctx: &Context<'_, O>,
    decimals: &[u8],
    p: &AaveV33,
) -> Result<AccountData> {
    p.check()?;
    let (mut coll, mut debt, mut ltv_sum, mut lt_sum) = (0i128, 0i128, 0i128, 0i128);
    for position in account.positions() {
        let Position::Token { token, balance } = *position else {
            return Err(Error::invalid("account", "aave_v3.3 accounts hold tokens only"));
        };
        let r = reserve(ctx, decimals, p, token)?;
        let n = amount(balance, &r)?;
        if balance.is_positive() && r.lt != 0 {
            let value = mul_div(n, r.price, r.unit)?;
            coll = coll.checked_add(value).ok_or(Error::Overflow)?;
            ltv_sum = ltv_sum
                .checked_add(value.checked_mul(r.ltv).ok_or(Error::Overflow)?)
                .ok_or(Error::Overflow)?;
            lt_sum = lt_sum
                .checked_add(value.checked_mul(r.lt).ok_or(Error::Overflow)?)
                .ok_or(Error::Overflow)?;
        } else if balance.is_negative() {
            debt = debt.checked_add(mul_div(n, r.price, r.unit)?).ok_or(Error::Overflow)?;
        }
    }
    let (avg_ltv, avg_lt) = if coll == 0 {
        (0, 0)
    } else {
        (
            ltv_sum.checked_div(coll).ok_or(Error::Overflow)?,
            lt_sum.checked_div(coll).ok_or(Error::Overflow)?,
        )
    };
    let health_factor = if debt == 0 {
        None
    } else {
        let weighted = percent_mul(coll, avg_lt)?;
        Some(Wad::from_raw(super::int::mul_div_half_up(
            weighted,
            Wad::ONE.raw(),
            debt,
        )?))
    };
    Ok(AccountData {
        total_collateral: from_native(coll, p.base_decimals)?,
        total_debt: from_native(debt, p.base_decimals)?,
        avg_ltv: from_native(avg_ltv, 4)?,
        avg_liquidation_threshold: from_native(avg_lt, 4)?,
        health_factor,
    })
}

/// The collateral and debt of a liquidation of `debt_amount` (`_calculateAvailableCollateral
/// ToLiquidate`): `(collateral to the liquidator, debt, protocol fee, collateral's base value)`.
fn available(d: &Reserve, c: &Reserve, debt_amount: i128, balance: i128) -> Result<(i128, i128, i128, i128)> {
    // baseCollateral = debtPrice · debtToCover · collUnit / (collPrice · debtUnit)
    let base = mul_div(
        d.price.checked_mul(debt_amount).ok_or(Error::Overflow)?,
        c.unit,
        c.price.checked_mul(d.unit).ok_or(Error::Overflow)?,
    )?;
    let max_collateral = percent_mul(base, c.bonus)?;
    let (mut coll, debt) = if max_collateral > balance {
        let value = mul_div(
            c.price.checked_mul(balance).ok_or(Error::Overflow)?,
            d.unit,
            d.price.checked_mul(c.unit).ok_or(Error::Overflow)?,
        )?;
        (balance, percent_div(value, c.bonus)?)
    } else {
        (max_collateral, debt_amount)
    };
    let coll_base = mul_div(coll, c.price, c.unit)?;
    let mut fee = 0;
    if c.fee != 0 {
        let bonus = coll.checked_sub(percent_div(coll, c.bonus)?).ok_or(Error::Overflow)?;
        fee = percent_mul(bonus, c.fee)?;
        coll = coll.checked_sub(fee).ok_or(Error::Overflow)?;
    }
    Ok((coll, debt, fee, coll_base))
}

/// `LiquidationDataProvider._adjustAmountsForGoodLeftovers`: a maximal liquidation that
/// would leave less than `MIN_LEFTOVER_BASE` of either side is shrunk until both leftovers
/// reach it. Returns the adjusted debt.
fn good_leftovers(
    d: &Reserve,
    c: &Reserve,
    (coll, debt, fee): (i128, i128, i128),
    (debt_balance, coll_balance): (i128, i128),
    min_leftover: i128,
) -> Result<i128> {
    let taken = coll.checked_add(fee).ok_or(Error::Overflow)?;
    if taken >= coll_balance || debt >= debt_balance {
        return Ok(debt);
    }
    let coll_left = mul_div(coll_balance.checked_sub(taken).ok_or(Error::Overflow)?, c.price, c.unit)?;
    let debt_left = mul_div(debt_balance.checked_sub(debt).ok_or(Error::Overflow)?, d.price, d.unit)?;
    if coll_left >= min_leftover && debt_left >= min_leftover {
        return Ok(debt);
    }
    let short = |left: i128| -> Result<i128> {
        if left < min_leftover {
            min_leftover.checked_sub(left).ok_or(Error::Overflow)
        } else {
            Ok(0)
        }
    };
    let (coll_short, debt_short) = (short(coll_left)?, short(debt_left)?);
    if coll_short > debt_short {
        let decrease = mul_div(coll_short, c.unit, c.price)?;
        let coll = coll.checked_sub(decrease).ok_or(Error::Overflow)?;
        let value = mul_div(
            c.price.checked_mul(coll).ok_or(Error::Overflow)?,
            d.unit,
            d.price.checked_mul(c.unit).ok_or(Error::Overflow)?,
        )?;
        percent_div(value, c.bonus)
    } else {
        let decrease = mul_div(debt_short, d.unit, d.price)?;
        debt.checked_sub(decrease).ok_or(Error::Overflow)
    }
}

/// Plans (and with `apply`, performs) Aave v3.3's `liquidationCall(collateral, debt, user,
/// debtToCover, receiveAToken = false)` on `account`.
///
/// Steps, as `executeLiquidationCall`: the account data (an account whose health factor is at
/// least 1 gets a zero record with [`Limit::Healthy`], where Aave reverts); the close factor
/// (the whole reserve debt, or — when both the reserve's collateral and debt are worth at
/// least `min_base_max_close_factor` and the health factor is above `full_below` — at most
/// `⌊percentMul(total debt, close_factor) · unit / price⌋` when the reserve's debt is worth
/// more than that); the request; the collateral with its bonus and the protocol's fee
/// (`_calculateAvailableCollateralToLiquidate`); the dust rule (a call that leaves both debt
/// and collateral must leave at least `min_leftover_base` of each, else
/// `MUST_NOT_LEAVE_DUST`); the deficit (when the seized collateral was all the account's
/// collateral, in value, every remaining debt is burnt and booked as the reserves' deficit).
///
/// Errors: [`Error::Invalid`] naming `collateral` when it is the liability token, the account
/// has no deposit in it or its liquidation threshold is 0, `liability` when the account has no
/// borrow in it, `debt_to_cover` when negative or when the call would leave dust (Aave's
/// `MUST_NOT_LEAVE_DUST`); as [`account_data`].
pub fn liquidate<const N: usize, O: OptionPricing>(
    account: &mut Account<N>,
    ctx: &Context<'_, O>,
    decimals: &[u8],
    p: &AaveV33,
    call: Call,
    apply: bool,
) -> Result<Liquidation> {
    crate::error::ensure(
        call.collateral != call.liability,
        "collateral",
        "must be a different token from the liability",
    )?;
    crate::error::ensure(
        !call.debt_to_cover.is_some_and(Wad::is_negative),
        "debt_to_cover",
        "must be ≥ 0",
    )?;
    let before = account_data(account, ctx, decimals, p)?;
    let d = reserve(ctx, decimals, p, call.liability)?;
    let c = reserve(ctx, decimals, p, call.collateral)?;
    let borrow = account.token_balance(call.liability);
    let deposit = account.token_balance(call.collateral);
    crate::error::ensure(
        borrow.is_negative(),
        "liability",
        "the account has no borrow in that token",
    )?;
    crate::error::ensure(
        deposit.is_positive(),
        "collateral",
        "the account has no deposit in that token",
    )?;
    crate::error::ensure(
        c.lt != 0,
        "collateral",
        "its liquidation threshold is 0: it cannot be liquidated",
    )?;
    let zero = Liquidation {
        repay: Wad::ZERO,
        seize: Wad::ZERO,
        protocol_fee: Wad::ZERO,
        close_factor: Wad::ZERO,
        max_repay: Wad::ZERO,
        limit: Limit::Healthy,
        deficit: false,
        before,
        after: before,
    };
    let Some(hf) = before.health_factor.filter(|_| before.liquidatable()) else {
        return Ok(zero);
    };
    let debt_n = amount(borrow, &d)?;
    let coll_n = amount(deposit, &c)?;
    let base = |n: i128, r: &Reserve| mul_div(n, r.price, r.unit);
    let total_debt = native(before.total_debt, p.base_decimals, "total_debt", "whole base units")?;
    let min_base = native(
        p.min_base_max_close_factor,
        p.base_decimals,
        "min_base_max_close_factor",
        "whole base units",
    )?;
    let min_leftover = native(
        p.min_leftover_base,
        p.base_decimals,
        "min_leftover_base",
        "whole base units",
    )?;
    let debt_base = base(debt_n, &d)?;
    let mut max_debt = debt_n;
    let mut share = Wad::ONE;
    if base(coll_n, &c)? >= min_base && debt_base >= min_base && hf > p.full_below {
        let cf = native(p.close_factor, 4, "close_factor", "whole basis points")?;
        let liquidatable = percent_mul(total_debt, cf)?;
        if debt_base > liquidatable {
            max_debt = mul_div(liquidatable, d.unit, d.price)?;
            share = p.close_factor;
        }
    }
    let max_limit = if max_debt < debt_n {
        Limit::CloseFactor
    } else {
        Limit::Position
    };
    // LiquidationDataProvider: the largest call that goes through.
    let (m_coll, m_debt, m_fee, _) = available(&d, &c, max_debt, coll_n)?;
    let max_repay = good_leftovers(&d, &c, (m_coll, m_debt, m_fee), (debt_n, coll_n), min_leftover)?;

    let requested = match call.debt_to_cover {
        Some(r) => Some(native(
            r,
            d.decimals,
            "debt_to_cover",
            "must be whole native units of the liability token",
        )?),
        None => None,
    };
    let (wanted, mut limit) = match requested {
        Some(r) if r < max_debt => (r, Limit::Offer),
        _ => (max_debt, max_limit),
    };
    let (seize, repay, fee, seized_base) = available(&d, &c, wanted, coll_n)?;
    if repay < wanted {
        limit = Limit::Collateral;
    }
    let taken = seize.checked_add(fee).ok_or(Error::Overflow)?;
    if repay < debt_n && taken < coll_n {
        let debt_left = base(debt_n.checked_sub(repay).ok_or(Error::Overflow)?, &d)?;
        let coll_left = base(coll_n.checked_sub(taken).ok_or(Error::Overflow)?, &c)?;
        crate::error::ensure(
            debt_left >= min_leftover && coll_left >= min_leftover,
            "debt_to_cover",
            "would leave less than min_leftover_base of debt or collateral (MUST_NOT_LEAVE_DUST): repay all, seize all, or leave more",
        )?;
    }
    let total_coll = native(
        before.total_collateral,
        p.base_decimals,
        "total_collateral",
        "whole base units",
    )?;
    let deficit = total_coll == seized_base;
    let mut done = account.clone();
    let repay_w = from_native(repay, d.decimals)?;
    let taken_w = from_native(taken, c.decimals)?;
    done.set_token(call.collateral, deposit.sub(taken_w)?)?;
    done.set_token(call.liability, borrow.add(repay_w)?)?;
    if deficit {
        let mut borrowed: heapless::Vec<u16, N> = heapless::Vec::new();
        for q in done.positions() {
            if let Position::Token { token, balance } = *q
                && balance.is_negative()
            {
                borrowed
                    .push(token)
                    .map_err(|_| Error::capacity("positions", "an account holds at most its capacity"))?;
            }
        }
        // By reference: heapless's owning iterator's drop indexes a slice (a panic path).
        for token in &borrowed {
            done.set_token(*token, Wad::ZERO)?;
        }
    }
    let after = account_data(&done, ctx, decimals, p)?;
    if apply {
        *account = done;
    }
    Ok(Liquidation {
        repay: repay_w,
        seize: from_native(seize, c.decimals)?,
        protocol_fee: from_native(fee, c.decimals)?,
        close_factor: share,
        max_repay: from_native(max_repay, d.decimals)?,
        limit,
        deficit,
        before,
        after,
    })
}
