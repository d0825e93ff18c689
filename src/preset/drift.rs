//! Drift v2: the margin of one cross-margined perp position and `liquidate_perp` of
//! `drift-labs/protocol-v2` on its own integers (`vectors/README.md` §10.6).
//!
//! Sources: `programs/drift/src/controller/liquidation.rs` (`liquidate_perp`),
//! `src/math/liquidation.rs` (`calculate_base_asset_amount_to_cover_margin_shortage`,
//! `calculate_perp_if_fee`, `calculate_max_pct_to_liquidate`, `get_liquidation_fee`),
//! `src/math/margin.rs` (`calculate_size_premium_liability_weight`,
//! `calculate_perp_position_value_and_pnl`), `src/state/perp_market.rs` (`get_margin_ratio`,
//! `get_max_liquidation_fee`), `src/state/margin_calculation.rs` (the buffer, the shortage),
//! `src/math/orders.rs` (`standardize_base_asset_amount[_ceil]`), `src/math/constants.rs`.
//!
//! Precisions (Drift's): quote amounts `QUOTE = 1e6`, prices `PRICE = 1e6`, base amounts
//! `BASE = 1e9`, margin ratios and weights `MARGIN = 1e4`, fees and the IMF factor `1e6`,
//! the liquidation percentage `1e4`. Every division is Rust's integer division: it truncates
//! toward zero (a floor for the non-negative operands, which all are but the pnl).
//!
//! - value of a base amount: `|b|·P / 1e9`; pnl `= b·P / 1e9 + quote` (signed, truncated);
//! - margin ratio at size `s`: `max(m, m − m/5 + ⌊√(10·s + 1)⌋·imf / (1e11/1e4))` when the
//!   IMF factor is set (`calculate_size_premium_liability_weight`), `m` else;
//! - requirement `value·P_q/1e6 · ratio / 1e4`; with the liquidation buffer `buf`:
//!   `+ value·P_q/1e6 · buf / 1e4`; total collateral = deposit `·P_q/1e6` + pnl (a positive
//!   pnl weighted by the unrealized-pnl maintenance asset weight, times `P_q/1e6`), and in
//!   liquidation a negative pnl adds `pnl·buf/1e4` to the collateral's buffer;
//! - liquidatable when total collateral `<` the maintenance requirement; an account being
//!   liquidated stays so until collateral + buffer `≥` requirement + buffer;
//! - `shortage = (requirement + buffer) − (collateral + its buffer)`; the insurance fund's
//!   fee `min(if_max, (100·(m + buf) − f_liq − shortage·1e9/|b|·1e6/(P·P_q/1e6))·19/20)`;
//!   the base to cover the shortage `shortage·1e9 / (P·P_q/1e6·(100·(m + buf) − f_liq)/1e6
//!   − P·f_if/1e6)`, rounded up to the step size; the transfer `min(|b|, liquidator's max,
//!   max(cover·pct/1e4, |b| when its value is at most $50))`, rounded up to the step;
//! - the account closes that base at the oracle price and pays the liquidator `value·f_liq/1e6`
//!   and the insurance fund `value·f_if/1e6`.
//!
//! Not modelled: open orders (`liquidate_perp` cancels them first: the account here has none),
//! funding, isolated margin, high-leverage mode, the quote oracle's TWAP (one quote price), the
//! limit price, bankruptcy, other spot and perp positions, the liquidator's own margin check.

use crate::error::ensure;
use crate::{Error, Result};

/// `BASE_PRECISION` (`AMM_RESERVE_PRECISION`).
pub const BASE: i128 = 1_000_000_000;
/// `PRICE_PRECISION`, `QUOTE_PRECISION`.
pub const PRICE: i128 = 1_000_000;
/// `MARGIN_PRECISION`, `SPOT_WEIGHT_PRECISION`, `LIQUIDATION_PCT_PRECISION`.
pub const MARGIN: i128 = 10_000;
/// `LIQUIDATION_FEE_PRECISION`, `SPOT_IMF_PRECISION`.
pub const FEE: i128 = 1_000_000;
/// `LIQUIDATION_FEE_ADJUST_GRACE_PERIOD_SLOTS`.
pub const GRACE_SLOTS: u64 = 1_500;
/// `PRICE_TIMES_AMM_TO_QUOTE_PRECISION_RATIO`: `1e6 · 1e9/1e6`.
const PRICE_TIMES_AMM_TO_QUOTE: i128 = 1_000_000_000;
/// `u64::MAX`: Drift's "no bound" for the base to cover.
pub const UNBOUNDED: i128 = 18_446_744_073_709_551_615;
/// `DEFAULT_LIQUIDATION_MARGIN_BUFFER_RATIO`: 2 %.
pub const DEFAULT_BUFFER: i128 = 200;

/// A perp market's and the state's parameters (Drift's precisions).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Market {
    /// `margin_ratio_initial` (1e4).
    pub margin_ratio_initial: i128,
    /// `margin_ratio_maintenance` (1e4).
    pub margin_ratio_maintenance: i128,
    /// `imf_factor` (1e6): the size premium of the margin ratio.
    pub imf_factor: i128,
    /// `liquidator_fee` (1e6).
    pub liquidator_fee: i128,
    /// `if_liquidation_fee` (1e6): the insurance fund's fee at most.
    pub if_liquidation_fee: i128,
    /// `amm.order_step_size` (1e9).
    pub order_step_size: i128,
    /// `unrealized_pnl_maintenance_asset_weight` (1e4).
    pub unrealized_pnl_maintenance_asset_weight: i128,
    /// The state's `liquidation_margin_buffer_ratio` (1e4).
    pub liquidation_margin_buffer_ratio: i128,
    /// The state's `initial_pct_to_liquidate` (1e4).
    pub initial_pct_to_liquidate: i128,
    /// The state's `liquidation_duration` (slots; 0: the whole shortage at once).
    pub liquidation_duration: i128,
}

impl Market {
    /// Errors: [`Error::Invalid`] naming the field: a ratio not in `(0, 1e4]`, the maintenance
    /// ratio above the initial, a fee outside `[0, 1e6]`, a negative IMF factor or duration, a
    /// step size not positive, a weight or percentage outside `[0, 1e4]`.
    pub fn check(&self) -> Result<()> {
        let m = self;
        for (x, what) in [
            (m.margin_ratio_initial, "margin_ratio_initial"),
            (m.margin_ratio_maintenance, "margin_ratio_maintenance"),
        ] {
            ensure(x > 0 && x <= MARGIN, what, "must be in (0, 1]")?;
        }
        ensure(
            m.margin_ratio_maintenance <= m.margin_ratio_initial,
            "margin_ratio_maintenance",
            "must be at most margin_ratio_initial",
        )?;
        for (x, what) in [
            (m.liquidator_fee, "liquidator_fee"),
            (m.if_liquidation_fee, "if_liquidation_fee"),
        ] {
            ensure((0..=FEE).contains(&x), what, "must be in [0, 1]")?;
        }
        for (x, what) in [
            (
                m.unrealized_pnl_maintenance_asset_weight,
                "unrealized_pnl_maintenance_asset_weight",
            ),
            (m.initial_pct_to_liquidate, "initial_pct_to_liquidate"),
            (m.liquidation_margin_buffer_ratio, "liquidation_margin_buffer_ratio"),
        ] {
            ensure((0..=MARGIN).contains(&x), what, "must be in [0, 1]")?;
        }
        ensure(
            m.imf_factor >= 0 && m.imf_factor <= FEE,
            "imf_factor",
            "must be in [0, 1]",
        )?;
        ensure(m.order_step_size > 0, "order_step_size", "must be > 0")?;
        ensure(m.liquidation_duration >= 0, "liquidation_duration", "must be >= 0")
    }
}

/// The account: a quote (USDC) deposit and one perp position (Drift's precisions).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct User {
    /// The quote deposit (1e6), `≥ 0`.
    pub deposit: i128,
    /// `base_asset_amount` (1e9), signed.
    pub base: i128,
    /// `quote_asset_amount` (1e6), signed.
    pub quote: i128,
}

/// The oracle prices (1e6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Prices {
    /// The perp market's oracle price.
    pub oracle: i128,
    /// The quote asset's oracle price (1e6 for a dollar).
    pub quote: i128,
}

/// The margin calculation in liquidation mode (`MarginContext::liquidation`), quote units.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Margin {
    /// The maintenance margin ratio at the position's size (1e4).
    pub margin_ratio: i128,
    /// The worst-case liability value.
    pub liability_value: i128,
    /// The maintenance margin requirement.
    pub requirement: i128,
    /// The requirement plus the buffer.
    pub requirement_plus_buffer: i128,
    /// The total collateral.
    pub total_collateral: i128,
    /// The collateral's buffer (`pnl·buf/1e4` for a negative pnl).
    pub collateral_buffer: i128,
}

impl Margin {
    /// `(requirement + buffer) − (collateral + buffer)`, at least 0.
    ///
    /// Errors: [`Error::Overflow`].
    pub fn shortage(&self) -> Result<i128> {
        let c = self
            .total_collateral
            .checked_add(self.collateral_buffer)
            .ok_or(Error::Overflow)?;
        Ok(self
            .requirement_plus_buffer
            .checked_sub(c)
            .ok_or(Error::Overflow)?
            .max(0))
    }
}

fn mul(a: i128, b: i128) -> Result<i128> {
    a.checked_mul(b).ok_or(Error::Overflow)
}

/// Rust's `/` (truncates toward zero).
fn div(a: i128, b: i128) -> Result<i128> {
    a.checked_div(b).ok_or(Error::DivisionByZero)
}

fn sub(a: i128, b: i128) -> Result<i128> {
    a.checked_sub(b).ok_or(Error::Overflow)
}

fn add(a: i128, b: i128) -> Result<i128> {
    a.checked_add(b).ok_or(Error::Overflow)
}

/// `calculate_base_asset_value_with_oracle_price`: `|b|·P / 1e9`.
fn base_value(base: i128, price: i128) -> Result<i128> {
    div(mul(base.checked_abs().ok_or(Error::Overflow)?, price.max(0))?, BASE)
}

/// `get_margin_ratio(size, Maintenance)` (bounded size premium).
///
/// Errors: [`Error::Overflow`].
pub fn margin_ratio(market: &Market, size: i128) -> Result<i128> {
    let m = market.margin_ratio_maintenance;
    if market.imf_factor == 0 {
        return Ok(m);
    }
    let s = u128::try_from(add(mul(size, 10)?, 1)?).map_err(|_| Error::Overflow)?;
    let root = i128::try_from(s.isqrt()).map_err(|_| Error::Overflow)?;
    // 100_000 · SPOT_IMF_PRECISION / MARGIN_PRECISION = 1e7.
    let premium = add(sub(m, div(m, 5)?)?, div(mul(root, market.imf_factor)?, 10_000_000)?)?;
    Ok(m.max(premium))
}

/// The margin calculation of `user` in liquidation mode.
///
/// Errors: [`Error::Invalid`] naming `oracle_price` or `quote_price` not positive, `deposit`
/// negative; [`Error::Overflow`].
pub fn margin(market: &Market, user: &User, prices: Prices) -> Result<Margin> {
    ensure(prices.oracle > 0, "oracle_price", "must be > 0")?;
    ensure(prices.quote > 0, "quote_price", "must be > 0")?;
    ensure(user.deposit >= 0, "deposit", "must be >= 0")?;
    let ratio = margin_ratio(market, user.base.checked_abs().ok_or(Error::Overflow)?)?;
    let signed_value = div(mul(user.base, prices.oracle)?, BASE)?;
    let mut pnl = add(signed_value, user.quote)?;
    let liability = div(mul(base_value(user.base, prices.oracle)?, prices.quote)?, PRICE)?;
    let requirement = div(mul(liability, ratio)?, MARGIN)?;
    let buffer = div(mul(liability, market.liquidation_margin_buffer_ratio)?, MARGIN)?;
    if pnl > 0 && market.unrealized_pnl_maintenance_asset_weight != MARGIN {
        pnl = div(mul(pnl, market.unrealized_pnl_maintenance_asset_weight)?, MARGIN)?;
    }
    if prices.quote != PRICE {
        pnl = div(mul(pnl, prices.quote)?, PRICE)?;
    }
    let deposit_value = div(mul(user.deposit, prices.quote)?, PRICE)?;
    let collateral_buffer = if pnl < 0 && market.liquidation_margin_buffer_ratio > 0 {
        div(mul(pnl, market.liquidation_margin_buffer_ratio)?, MARGIN)?
    } else {
        0
    };
    Ok(Margin {
        margin_ratio: ratio,
        liability_value: liability,
        requirement,
        requirement_plus_buffer: add(requirement, buffer)?,
        total_collateral: add(deposit_value, pnl)?,
        collateral_buffer,
    })
}

/// `liquidate_perp(liquidator_max_base_asset_amount)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Order {
    /// `liquidator_max_base_asset_amount` (1e9).
    pub max_base: i128,
    /// Whether the account is already being liquidated.
    pub being_liquidated: bool,
    /// `slot − user.last_active_slot`.
    pub slots_elapsed: i128,
    /// `user.liquidation_margin_freed` (1e6).
    pub margin_freed: i128,
}

/// What the liquidation did (Drift's precisions).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Liquidation {
    /// The margin calculation before.
    pub before: Margin,
    /// The shortage to cover.
    pub margin_shortage: i128,
    /// The maintenance ratio plus the buffer (1e4).
    pub margin_ratio_with_buffer: i128,
    /// The liquidator's fee rate after the slots elapsed (1e6).
    pub liquidator_fee: i128,
    /// The insurance fund's fee rate (1e6).
    pub if_fee: i128,
    /// The base that covers the shortage, rounded up to the step ([`UNBOUNDED`]: no bound).
    pub base_to_cover: i128,
    /// The share of it the elapsed slots allow (1e4).
    pub max_pct: i128,
    /// The base transferred to the liquidator.
    pub base_transferred: i128,
    /// Its value at the oracle price.
    pub base_value: i128,
    /// The liquidator's fee (quote).
    pub liquidator_fee_amount: i128,
    /// The insurance fund's fee (quote).
    pub if_fee_amount: i128,
    /// The account after.
    pub user: User,
    /// The liquidator's position taken on: `(base, quote)`.
    pub liquidator: (i128, i128),
    /// The margin calculation after.
    pub after: Margin,
    /// Whether the account is still being liquidated (the transfer fell short of the cover).
    pub being_liquidated: bool,
}

/// `calculate_perp_if_fee`.
fn perp_if_fee(
    shortage: i128,
    base: i128,
    ratio_with_buffer: i128,
    liquidator_fee: i128,
    prices: Prices,
    max_if_fee: i128,
) -> Result<i128> {
    let ratio = mul(ratio_with_buffer, 100)?;
    if ratio <= liquidator_fee || base == 0 {
        return Ok(0);
    }
    let price = div(mul(prices.oracle, prices.quote)?, PRICE)?;
    let implied_shortage = div(mul(div(mul(shortage, BASE)?, base)?, PRICE)?, price)?;
    let implied_shortage = implied_shortage.min(i128::from(u32::MAX));
    let implied = sub(ratio, liquidator_fee)?.max(0);
    let implied = sub(implied, implied_shortage)?.max(0);
    Ok(max_if_fee.min(div(mul(implied, 19)?, 20)?))
}

/// `calculate_base_asset_amount_to_cover_margin_shortage` ([`UNBOUNDED`] when the fee eats the
/// ratio).
fn base_to_cover(
    shortage: i128,
    ratio_with_buffer: i128,
    liquidator_fee: i128,
    if_fee: i128,
    prices: Prices,
) -> Result<i128> {
    let ratio = mul(ratio_with_buffer, 100)?;
    if ratio <= liquidator_fee {
        return Ok(UNBOUNDED);
    }
    let price = div(mul(prices.oracle, prices.quote)?, PRICE)?;
    let denominator = sub(
        div(mul(price, sub(ratio, liquidator_fee)?)?, FEE)?,
        div(mul(prices.oracle, if_fee)?, FEE)?,
    )?;
    ensure(
        denominator > 0,
        "if_liquidation_fee",
        "the fees leave nothing of the margin ratio to free: Drift divides by zero",
    )?;
    let cover = div(mul(shortage, PRICE_TIMES_AMM_TO_QUOTE)?, denominator)?;
    ensure(
        cover <= UNBOUNDED,
        "account",
        "the base to cover leaves u64 (Drift's cast fails)",
    )?;
    Ok(cover)
}

/// `calculate_max_pct_to_liquidate`.
fn max_pct(market: &Market, order: &Order, shortage: i128) -> Result<i128> {
    if shortage < 50 * PRICE {
        return Ok(MARGIN);
    }
    let freeable = if market.liquidation_duration == 0 {
        MARGIN
    } else {
        div(mul(order.slots_elapsed, MARGIN)?, market.liquidation_duration)?
    };
    let pct = add(freeable, market.initial_pct_to_liquidate)?.min(MARGIN);
    let total = add(shortage, order.margin_freed)?;
    let max_freed = div(mul(total, pct)?, MARGIN)?;
    let freeable = sub(max_freed, order.margin_freed)?.max(0);
    div(mul(freeable, MARGIN)?, shortage)
}

/// `get_liquidation_fee`: the base fee, rising by `1e-6` a slot after the grace period, to
/// `min(3·fee, 100·maintenance ratio)`.
fn liquidator_fee(market: &Market, slots: i128) -> Result<i128> {
    if slots < i128::from(GRACE_SLOTS) {
        return Ok(market.liquidator_fee);
    }
    let max = mul(market.liquidator_fee, 3)?.min(mul(market.margin_ratio_maintenance, 100)?);
    Ok(add(market.liquidator_fee, slots)?.min(max))
}

fn ceil_step(x: i128, step: i128) -> Result<i128> {
    let r = x.checked_rem_euclid(step).ok_or(Error::DivisionByZero)?;
    if r == 0 { Ok(x) } else { sub(add(x, step)?, r) }
}

/// `liquidate_perp` on `user` (returned after in the [`Liquidation`]).
///
/// Errors: [`Error::Invalid`] naming `account` when its collateral meets the maintenance
/// requirement (`SufficientCollateral`) or, being liquidated, meets the requirement plus the
/// buffer (Drift ends the liquidation without a transfer), or when it holds no base, or when
/// the elapsed slots allow nothing yet; `max_base` when it rounds down to 0 at the step size;
/// `liquidation_margin_buffer_ratio` when 0 (Drift's shortage needs the buffer);
/// `slots_elapsed`, `margin_freed` negative; as [`Market::check`] and [`margin`];
/// [`Error::Overflow`].
pub fn liquidate(market: &Market, user: &User, prices: Prices, order: Order) -> Result<Liquidation> {
    market.check()?;
    ensure(order.slots_elapsed >= 0, "slots_elapsed", "must be >= 0")?;
    ensure(order.margin_freed >= 0, "margin_freed", "must be >= 0")?;
    let before = margin(market, user, prices)?;
    if order.being_liquidated {
        ensure(
            add(before.total_collateral, before.collateral_buffer)? < before.requirement_plus_buffer,
            "account",
            "its collateral meets the requirement plus the buffer: it leaves liquidation without a transfer",
        )?;
    } else {
        ensure(
            before.total_collateral < before.requirement,
            "account",
            "its collateral meets the maintenance requirement (SufficientCollateral)",
        )?;
    }
    ensure(
        market.liquidation_margin_buffer_ratio > 0,
        "liquidation_margin_buffer_ratio",
        "must be > 0 in a liquidation: Drift's margin shortage needs the buffer (InvalidMarginCalculation)",
    )?;
    ensure(user.base != 0, "account", "its perp position holds no base")?;
    let step = market.order_step_size;
    ensure(order.max_base >= 0, "max_base", "must be >= 0")?;
    let liquidator_max = sub(
        order.max_base,
        order.max_base.checked_rem_euclid(step).ok_or(Error::DivisionByZero)?,
    )?;
    ensure(
        liquidator_max != 0,
        "max_base",
        "must be at least the market's order step size",
    )?;
    let size = user.base.checked_abs().ok_or(Error::Overflow)?;
    let ratio = add(before.margin_ratio, market.liquidation_margin_buffer_ratio)?;
    let shortage = before.shortage()?;
    let fee = liquidator_fee(market, order.slots_elapsed)?;
    let tracked = if before.requirement == 0 { 0 } else { shortage };
    let if_fee = perp_if_fee(tracked, size, ratio, fee, prices, market.if_liquidation_fee)?;
    let mut cover = base_to_cover(shortage, ratio, fee, if_fee, prices)?;
    if cover != UNBOUNDED {
        cover = ceil_step(cover, step)?;
    }
    let pct = max_pct(market, &order, shortage)?;
    let allowed = div(mul(cover, pct)?, MARGIN)?;
    ensure(allowed != 0, "account", "the elapsed slots allow no liquidation yet")?;
    let min_base = if base_value(size, prices.oracle)? > 50 * PRICE {
        0
    } else {
        size
    };
    let base = ceil_step(size.min(liquidator_max).min(allowed.max(min_base)), step)?;
    let value = base_value(base, prices.oracle)?;
    let fee_amount = div(mul(value, fee)?, FEE)?;
    let if_amount = div(mul(value, if_fee)?, FEE)?;
    let sign = if user.base > 0 { 1 } else { -1 };
    let after_user = User {
        deposit: user.deposit,
        base: sub(user.base, mul(sign, base)?)?,
        quote: sub(sub(add(user.quote, mul(sign, value)?)?, fee_amount)?, if_amount)?,
    };
    let after = margin(market, &after_user, prices)?;
    Ok(Liquidation {
        before,
        margin_shortage: shortage,
        margin_ratio_with_buffer: ratio,
        liquidator_fee: fee,
        if_fee,
        base_to_cover: cover,
        max_pct: pct,
        base_transferred: base,
        base_value: value,
        liquidator_fee_amount: fee_amount,
        if_fee_amount: if_amount,
        user: after_user,
        liquidator: (mul(sign, base)?, sub(fee_amount, mul(sign, value)?)?),
        after,
        being_liquidated: base < cover,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `drift-labs/protocol-v2` `programs/drift/src/state/perp_market/tests.rs`
    /// `get_margin_ratio::new_hlm_imf_size_loop`: with ratio 500 (initial, here the bounded
    /// ratio) and IMF factor 50, the ratio first rises above 500 at 41,000 base (959 of the
    /// sizes 1,000 … 999,000 are above).
    #[test]
    fn size_premium_threshold() {
        let m = Market {
            margin_ratio_initial: 500,
            margin_ratio_maintenance: 500,
            imf_factor: 50,
            liquidator_fee: 0,
            if_liquidation_fee: 0,
            order_step_size: 1,
            unrealized_pnl_maintenance_asset_weight: MARGIN,
            liquidation_margin_buffer_ratio: 0,
            initial_pct_to_liquidate: MARGIN,
            liquidation_duration: 0,
        };
        let above = (1..1_000i128)
            .filter(|i| margin_ratio(&m, BASE * i * 1000).unwrap() != 500)
            .count();
        assert_eq!(above, 959);
        assert_eq!(margin_ratio(&m, BASE * 40_000).unwrap(), 500);
        assert_eq!(margin_ratio(&m, BASE * 41_000).unwrap(), 501);
    }
}
