//! marginfi v2: health and `lending_account_liquidate` of `mrgnlabs/marginfi-v2` on its own
//! `I80F48` arithmetic (`vectors/README.md` §10.4).
//!
//! Sources: `programs/marginfi/src/instructions/marginfi_account/liquidate.rs` (the
//! liquidation), `state/marginfi_account.rs` (`calc_value`, `calc_amount`, the risk engine's
//! `check_pre_liquidation_condition_and_get_account_health` and
//! `check_post_liquidation_condition_and_get_account_health`), `constants.rs`
//! (`LIQUIDATION_LIQUIDATOR_FEE = LIQUIDATION_INSURANCE_FEE = I80F48!(0.025)`,
//! `EMPTY_BALANCE_THRESHOLD = I80F48!(1)`, `EXP_10_I80F48` up to `10^14`).
//!
//! Every amount is in native units of its token (`balance · 10^decimals`, whole for a balance
//! held in the account), every value in the oracle's unit; all of them are `I80F48` bits:
//!
//! - `calc_value(q, p, d, w) = ⌊⌊⌊q·w⌋·p⌋ / 10^d⌋` and `calc_amount(v, p, d) = ⌊⌊v·10^d⌋ / p⌋`
//!   (the floored product and quotient of `I80F48`, module `preset::i80f48`);
//! - health at a level: `Σ calc_value(deposit, P − conf, d, asset weight) −
//!   Σ calc_value(borrow, P + conf, d, liability weight)`. marginfi floors the liabilities'
//!   values too: its rounding, not the protocol-favouring one of the general rule;
//! - the liquidator names `q_a` (`asset_amount`, native units of the asset) and takes on
//!   `q_ll = calc_amount(calc_value(q_a, P_a⁻, d_a, 1 − f_l), P_l⁺, d_l)` of the liability;
//!   the liquidatee's debt falls by `q_lf = calc_amount(calc_value(q_a, P_a⁻, d_a,
//!   1 − (f_i + f_l)), P_l⁺, d_l)`; the insurance fund gets `q_ll − q_lf`, of which
//!   `⌊q_ll − q_lf⌋` native units are transferred and the fraction is booked as outstanding;
//! - it is refused when the account's maintenance health is `> 0` (`HealthyAccount`), when
//!   `q_a` exceeds the deposit (`OverliquidationAttempt`), when `q_lf` exceeds the debt (the
//!   repay-only balance change fails), when less than one native unit of debt would remain
//!   (`ExhaustedLiability`), when the health after is `> 0` (`TooSevereLiquidation`) or not
//!   above the health before (`WorseHealthPostLiquidation`).
//!
//! Bank share values are taken as 1 (balances are amounts: interest accrual is not modelled),
//! the time-weighted price as the real-time one, and `conf` is the confidence interval marginfi
//! applies (Pyth's confidence times its multiple, capped by the bank's maximum): the caller
//! supplies it. The liquidator's own health check is the liquidator's business and is not made.

use super::i80f48::{self, ONE};
use super::int::pow10;
use crate::account::{Account, Context, OptionPricing, Position, TokenParams};
use crate::error::ensure;
use crate::oracle::OraclePrice;
use crate::{Error, Result, Wad};

/// Why a liquidation is refused for repaying more than the liability.
const REPAYS_TOO_MUCH: &str = "would repay more than the liability (the repay-only balance change fails): take less";
/// Why a liquidation is refused for leaving less than one native unit of the liability.
const EXHAUSTS_LIABILITY: &str =
    "would leave less than one native unit of the liability (ExhaustedLiability): take less";
/// Why a liquidation is refused for leaving the account's maintenance health above 0.
const TOO_SEVERE: &str = "would leave the account's maintenance health above 0 (TooSevereLiquidation): take less";

/// Whether `e` refuses a liquidation for taking too much: the repay-only balance change,
/// `ExhaustedLiability` or `TooSevereLiquidation` — the three refusals that a smaller
/// `asset_amount` can avoid (each bound is monotone in the amount), which a keeper's sizing
/// bisects against.
#[must_use]
pub fn takes_too_much(e: &Error) -> bool {
    matches!(e, Error::Invalid { what: "asset_amount", why } if [REPAYS_TOO_MUCH, EXHAUSTS_LIABILITY, TOO_SEVERE].contains(why))
}

/// `EXP_10_I80F48`'s largest power: the most decimals a bank's mint may have.
pub const MAX_DECIMALS: u8 = 14;

/// marginfi's liquidation fees, each overridable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Fees {
    /// `LIQUIDATION_LIQUIDATOR_FEE`: 0.025.
    pub liquidator: Wad,
    /// `LIQUIDATION_INSURANCE_FEE`: 0.025.
    pub insurance: Wad,
}

impl Fees {
    /// marginfi v2's constants.
    pub const DEFAULT: Self = Self {
        liquidator: crate::wad!("0.025"),
        insurance: crate::wad!("0.025"),
    };

    /// Errors: [`Error::Invalid`] naming `liquidator_fee` or `insurance_fee` outside `[0, 1)`,
    /// or `insurance_fee` when the two sum to 1 or more.
    pub fn check(&self) -> Result<()> {
        for (x, what) in [(self.liquidator, "liquidator_fee"), (self.insurance, "insurance_fee")] {
            ensure(!x.is_negative() && x < Wad::ONE, what, "must be in [0, 1)")?;
        }
        ensure(
            self.liquidator.add(self.insurance)? < Wad::ONE,
            "insurance_fee",
            "the liquidator's and the insurance fund's fees must sum to less than 1",
        )
    }
}

/// A health level of marginfi's risk engine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Level {
    /// `RiskRequirementType::Initial`: the init weights.
    Initial,
    /// `RiskRequirementType::Maintenance`: the maint weights (liquidation).
    Maintenance,
}

/// One level's health in `I80F48` bits (`value = bits / 2^48`, oracle units).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Health {
    /// Σ weighted asset values.
    pub assets: i128,
    /// Σ weighted liability values.
    pub liabilities: i128,
}

impl Health {
    /// `assets − liabilities`.
    ///
    /// Errors: [`Error::Overflow`].
    pub fn value(&self) -> Result<i128> {
        self.assets.checked_sub(self.liabilities).ok_or(Error::Overflow)
    }
}

/// The value of `I80F48` bits (`bits / 2^48`) on the wad grid, floored toward −∞ (the error
/// is below 1e-18, zero when the value has at most 18 decimals).
///
/// Errors: [`Error::Overflow`] beyond the wad range.
pub fn bits_to_wad(bits: i128) -> Result<Wad> {
    i80f48::to_wad_floor(bits)
}

/// The bank of one token as marginfi reads it.
#[derive(Clone, Copy, Debug)]
struct Bank {
    decimals: u8,
    /// `P − conf` and `P + conf`, floored to the grid each.
    low: i128,
    high: i128,
    asset_weight: i128,
    liability_weight: i128,
}

fn bank(t: &TokenParams, price: OraclePrice, decimals: u8, level: Level) -> Result<Bank> {
    ensure(
        decimals <= MAX_DECIMALS,
        "decimals",
        "must be at most 14 (marginfi's EXP_10_I80F48)",
    )?;
    let raw = t.raw();
    let (aw, lw) = match level {
        Level::Initial => (raw.init_asset_weight, raw.init_liab_weight),
        Level::Maintenance => (raw.maint_asset_weight, raw.maint_liab_weight),
    };
    let p = i80f48::from_wad_floor(price.price())?;
    let c = i80f48::from_wad_floor(price.conf())?;
    Ok(Bank {
        decimals,
        low: p.checked_sub(c).ok_or(Error::Overflow)?.max(0),
        high: p.checked_add(c).ok_or(Error::Overflow)?,
        asset_weight: i80f48::from_wad_nearest(aw)?,
        liability_weight: i80f48::from_wad_nearest(lw)?,
    })
}

/// `calc_value(amount, price, decimals, weight)`: `⌊⌊⌊q·w⌋·p⌋ / 10^d⌋`.
fn calc_value(amount: i128, price: i128, decimals: u8, weight: i128) -> Result<i128> {
    if amount == 0 {
        return Ok(0);
    }
    i80f48::div(
        i80f48::mul(i80f48::mul(amount, weight)?, price)?,
        i80f48::exp10(decimals)?,
    )
}

/// `calc_amount(value, price, decimals)`: `⌊⌊v·10^d⌋ / p⌋`.
fn calc_amount(value: i128, price: i128, decimals: u8) -> Result<i128> {
    i80f48::div(i80f48::mul(value, i80f48::exp10(decimals)?)?, price)
}

/// `balance` in native units as `I80F48` bits (`balance·10^d`, which must be whole).
fn native_bits(balance: Wad, decimals: u8) -> Result<i128> {
    let n = super::int::native(
        balance.abs()?,
        decimals,
        "balance",
        "must be whole native units of its token (its decimals)",
    )?;
    i80f48::from_int(n)
}

/// The decimals of token `i` (`decimals[i]`, 6 when absent).
fn decimals_of(decimals: &[u8], i: u16) -> u8 {
    decimals.get(usize::from(i)).copied().unwrap_or(6)
}

/// The health of an account whose balances are given in native `I80F48` bits by `balance_of`.
fn health_of<const N: usize, O: OptionPricing>(
    account: &Account<N>,
    ctx: &Context<'_, O>,
    decimals: &[u8],
    level: Level,
    mut balance_of: impl FnMut(u16, Wad) -> Result<i128>,
) -> Result<Health> {
    let mut h = Health {
        assets: 0,
        liabilities: 0,
    };
    for pos in account.positions() {
        let Position::Token { token, balance } = *pos else {
            return Err(Error::invalid("account", "marginfi accounts hold tokens only"));
        };
        let (t, price) = ctx.token(token)?;
        let b = bank(t, price, decimals_of(decimals, token), level)?;
        let q = balance_of(token, balance)?;
        if balance.is_positive() {
            let v = calc_value(q, b.low, b.decimals, b.asset_weight)?;
            h.assets = h.assets.checked_add(v).ok_or(Error::Overflow)?;
        } else if balance.is_negative() {
            let v = calc_value(q, b.high, b.decimals, b.liability_weight)?;
            h.liabilities = h.liabilities.checked_add(v).ok_or(Error::Overflow)?;
        }
    }
    Ok(h)
}

/// The account's health at `level` (`get_account_health_components`).
///
/// Errors: [`Error::Invalid`] naming `balance` (not whole native units), `decimals` (above
/// [`MAX_DECIMALS`]), `account` (a perp or option position), `token`; [`Error::Overflow`].
pub fn health<const N: usize, O: OptionPricing>(
    account: &Account<N>,
    ctx: &Context<'_, O>,
    decimals: &[u8],
    level: Level,
) -> Result<Health> {
    health_of(account, ctx, decimals, level, |token, b| {
        native_bits(b, decimals_of(decimals, token))
    })
}

/// `lending_account_liquidate(asset_amount)` against the liability bank `liability`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Order {
    /// The asset bank (token) the liquidator takes.
    pub asset: u16,
    /// The liability bank (token) whose debt is repaid.
    pub liability: u16,
    /// `asset_amount`: native units of the asset the liquidator takes.
    pub asset_amount: i128,
}

/// What the liquidation did (amounts in native `I80F48` bits).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Liquidation {
    /// `q_ll`: the liability the liquidator takes on.
    pub liquidator_liability: i128,
    /// `q_lf`: the liquidatee's debt repaid.
    pub repaid: i128,
    /// `q_ll − q_lf`: the insurance fund's fee.
    pub insurance_fee: i128,
    /// `⌊q_ll − q_lf⌋`: native units transferred to the insurance vault (the fraction is booked
    /// in `collected_insurance_fees_outstanding`).
    pub insurance_transfer: i128,
    /// The liquidatee's debt after, `debt − q_lf`.
    pub debt_after: i128,
    /// Maintenance health before.
    pub health_before: Health,
    /// Maintenance health after.
    pub health_after: Health,
}

/// Plans (and with `apply`, performs on `account`) the liquidation. Applying writes the asset
/// balance exactly and the debt after rounded up to the wad grid (the account keeps owing the
/// fraction of 1e-18 that the grid cannot hold).
///
/// Errors: [`Error::Invalid`] naming `asset` (the liability itself, or no deposit in it),
/// `liability` (no borrow in it), `asset_amount` (not positive: `ZeroLiquidationAmount`; above
/// the deposit: `OverliquidationAttempt`; a zero asset price; a repay above the debt; or one of
/// `ExhaustedLiability`, `TooSevereLiquidation`, `WorseHealthPostLiquidation`), `account` when
/// it is healthy (`HealthyAccount`), the fees as [`Fees::check`]; as [`health`].
pub fn liquidate<const N: usize, O: OptionPricing>(
    account: &mut Account<N>,
    ctx: &Context<'_, O>,
    decimals: &[u8],
    fees: &Fees,
    order: Order,
    apply: bool,
) -> Result<Liquidation> {
    fees.check()?;
    ensure(
        order.asset != order.liability,
        "asset",
        "must be another bank than the liability (SameAssetAndLiabilityBanks)",
    )?;
    ensure(
        order.asset_amount > 0,
        "asset_amount",
        "must be > 0 (ZeroLiquidationAmount)",
    )?;
    let deposit = account.token_balance(order.asset);
    let borrow = account.token_balance(order.liability);
    ensure(
        deposit.is_positive(),
        "asset",
        "the account has no deposit in that bank",
    )?;
    ensure(
        borrow.is_negative(),
        "liability",
        "the account has no borrow in that bank (NoLiabilitiesInLiabilityBank)",
    )?;
    let before = health(account, ctx, decimals, Level::Maintenance)?;
    ensure(
        before.value()? <= 0,
        "account",
        "its maintenance health is above 0: it cannot be liquidated (HealthyAccount)",
    )?;
    let (ta, pa) = ctx.token(order.asset)?;
    let (tl, pl) = ctx.token(order.liability)?;
    let (da, dl) = (
        decimals_of(decimals, order.asset),
        decimals_of(decimals, order.liability),
    );
    let a = bank(ta, pa, da, Level::Maintenance)?;
    let l = bank(tl, pl, dl, Level::Maintenance)?;
    ensure(
        a.low > 0,
        "asset_amount",
        "the asset's price less its confidence is 0 (ZeroAssetPrice)",
    )?;
    let q_a = i80f48::from_int(order.asset_amount)?;
    let f_l = i80f48::from_wad_nearest(fees.liquidator)?;
    let f_i = i80f48::from_wad_nearest(fees.insurance)?;
    let liquidator_discount = ONE.checked_sub(f_l).ok_or(Error::Overflow)?;
    let final_discount = ONE
        .checked_sub(f_i.checked_add(f_l).ok_or(Error::Overflow)?)
        .ok_or(Error::Overflow)?;
    let q_ll = calc_amount(calc_value(q_a, a.low, da, liquidator_discount)?, l.high, dl)?;
    let q_lf = calc_amount(calc_value(q_a, a.low, da, final_discount)?, l.high, dl)?;
    let insurance_fee = q_ll.checked_sub(q_lf).ok_or(Error::Overflow)?;

    let deposit_bits = native_bits(deposit, da)?;
    ensure(
        q_a <= deposit_bits,
        "asset_amount",
        "exceeds the account's deposit of the asset (OverliquidationAttempt)",
    )?;
    let debt_bits = native_bits(borrow, dl)?;
    ensure(q_lf <= debt_bits, "asset_amount", REPAYS_TOO_MUCH)?;
    let debt_after = debt_bits.checked_sub(q_lf).ok_or(Error::Overflow)?;
    ensure(debt_after >= ONE, "asset_amount", EXHAUSTS_LIABILITY)?;
    let deposit_after = deposit_bits.checked_sub(q_a).ok_or(Error::Overflow)?;
    let after = health_of(account, ctx, decimals, Level::Maintenance, |token, b| {
        if token == order.asset {
            Ok(deposit_after)
        } else if token == order.liability {
            Ok(debt_after)
        } else {
            native_bits(b, decimals_of(decimals, token))
        }
    })?;
    ensure(after.value()? <= 0, "asset_amount", TOO_SEVERE)?;
    ensure(
        after.value()? > before.value()?,
        "asset_amount",
        "would not raise the account's maintenance health (WorseHealthPostLiquidation)",
    )?;
    if apply {
        let asset_left = super::int::from_native(order.asset_amount, da)?;
        account.set_token(order.asset, deposit.sub(asset_left)?)?;
        let unit = pow10(18u8.checked_sub(dl).ok_or(Error::Overflow)?)?;
        let owed = Wad::from_raw(super::int::mul_div_ceil(debt_after, unit, ONE)?);
        account.set_token(order.liability, owed.neg()?)?;
    }
    Ok(Liquidation {
        liquidator_liability: q_ll,
        repaid: q_lf,
        insurance_fee,
        insurance_transfer: i80f48::whole(insurance_fee),
        debt_after,
        health_before: before,
        health_after: after,
    })
}
