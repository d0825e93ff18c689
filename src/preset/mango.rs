//! Mango v4: health and `token_liq_with_token` of `blockworks-foundation/mango-v4` on its own
//! `I80F48` arithmetic (`vectors/README.md` §10.5).
//!
//! Sources: `programs/mango-v4/src/instructions/token_liq_with_token.rs` (`liquidation_action`),
//! `src/health/cache.rs` (`Prices::asset`/`liab`, `TokenInfo::health_contribution`, the three
//! health types), `src/state/mango_account.rs` (`check_liquidatable`,
//! `maybe_recover_from_being_liquidated`), `src/state/bank.rs` (`deposit_with_dusting`,
//! `withdraw_without_fee_with_dusting`).
//!
//! Every amount is in native units of its token and every price in native quote units per
//! native unit (what Mango's oracle reads give), all of them `I80F48` bits:
//!
//! - three health types: **maint** (maint weights, oracle prices), **init** (init weights; an
//!   asset at `min(oracle, stable)`, a liability at `max(oracle, stable)`), **liquidation end**
//!   (init weights, oracle prices);
//! - health = Σ `balance · (weight · price)`, the weight of an asset for a balance `≥ 0`, of a
//!   liability below; each product floored toward −∞ as `fixed` does (a liability's contribution
//!   is rounded away from zero: in the protocol's favour);
//! - liquidatable when maint health `< 0`; an account already being liquidated stays so until
//!   its liquidation-end health is `> −1` (one native unit of the quote);
//! - the liquidator asks for at most `max_liab_transfer` of the liability; with the fee factors
//!   `ff_liqor = (1 + f_l)·(1 + f_a)` and `ff_total = (1 + f_l + pf_l)·(1 + f_a + pf_a)` (`f` the
//!   banks' liquidation fees, `pf` their platform fees) and `lpa = lp·ff_total`:
//!   `liab_needed = −H_end / (lp·ilw − lpa·iaw)` (the liability that brings the
//!   liquidation-end health `H_end` to 0), `liab_possible = asset·ap / lpa`, `liab_transfer =
//!   max(0, min(liab_needed, liab_possible, max_liab_transfer, −liab))`; the liquidatee gives
//!   `base·ff_total` of the asset (`base = liab_transfer·lp / ap`), the liquidator gets
//!   `base·ff_liqor`, the asset bank keeps the difference (its platform fee);
//! - a balance left in `[0, 1)` native unit is dusted to 0 (the bank's `dust`).
//!
//! Products floor toward −∞, quotients truncate toward zero (the `fixed` crate's `*` and `/`).
//! Weights and fees enter to the nearest `2^-48` (as `I80F48::from_num` of an exact decimal);
//! prices, stable prices and balances floored toward −∞.
//!
//! Not modelled: bank indexes (balances are native amounts: deposit and borrow index 1),
//! init-health weight scaling by the bank's total deposits or borrows
//! (`deposit_weight_scale_start_quote`), serum and perp positions, the liquidator's own health
//! check, `disable_asset_liquidation`, the loan origination fee charged to the liquidator.

use super::i80f48::{self, ONE};
use crate::account::{Account, Context, OptionPricing, Position};
use crate::error::ensure;
use crate::{Error, Result, Wad};

/// A Mango health type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Level {
    /// `HealthType::Init`: init weights, stable-price-adjusted prices.
    Init,
    /// `HealthType::Maint`: maint weights, oracle prices (liquidation starts below 0).
    Maint,
    /// `HealthType::LiquidationEnd`: init weights, oracle prices (liquidation runs to 0).
    LiquidationEnd,
}

/// What a bank adds to the general token parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Bank {
    /// `liquidation_fee`: the liquidator's share.
    pub liquidation_fee: Wad,
    /// `platform_liquidation_fee`: the bank's share.
    pub platform_liquidation_fee: Wad,
    /// The stable price (`stable_price_model.stable_price`); `None` is the oracle price.
    pub stable_price: Option<Wad>,
}

impl Bank {
    /// A bank without fees whose stable price is the oracle's.
    pub const PLAIN: Self = Self {
        liquidation_fee: Wad::ZERO,
        platform_liquidation_fee: Wad::ZERO,
        stable_price: None,
    };

    /// Errors: [`Error::Invalid`] naming `liquidation_fee` or `platform_liquidation_fee` outside
    /// `[0, 1]`, `stable_price` not positive.
    pub fn check(&self) -> Result<()> {
        for (x, what) in [
            (self.liquidation_fee, "liquidation_fee"),
            (self.platform_liquidation_fee, "platform_liquidation_fee"),
        ] {
            ensure(!x.is_negative() && x <= Wad::ONE, what, "must be in [0, 1]")?;
        }
        if let Some(s) = self.stable_price {
            ensure(s.is_positive(), "stable_price", "must be > 0")?;
        }
        Ok(())
    }
}

/// One token as the health cache reads it, in `I80F48` bits.
#[derive(Clone, Copy, Debug)]
struct Info {
    oracle: i128,
    stable: i128,
    init_asset: i128,
    maint_asset: i128,
    init_liab: i128,
    maint_liab: i128,
}

impl Info {
    /// `asset_weighted_price` or `liab_weighted_price` (`weight · price`, floored).
    fn weighted_price(&self, level: Level, asset: bool) -> Result<i128> {
        let (w, p) = match (level, asset) {
            (Level::Maint, true) => (self.maint_asset, self.oracle),
            (Level::Maint, false) => (self.maint_liab, self.oracle),
            (Level::LiquidationEnd, true) => (self.init_asset, self.oracle),
            (Level::LiquidationEnd, false) => (self.init_liab, self.oracle),
            (Level::Init, true) => (self.init_asset, self.oracle.min(self.stable)),
            (Level::Init, false) => (self.init_liab, self.oracle.max(self.stable)),
        };
        i80f48::mul(w, p)
    }
}

fn info<O: OptionPricing>(ctx: &Context<'_, O>, banks: &[Bank], token: u16) -> Result<Info> {
    let (t, price) = ctx.token(token)?;
    let bank = banks.get(usize::from(token)).copied().unwrap_or(Bank::PLAIN);
    bank.check()?;
    let raw = t.raw();
    let oracle = i80f48::from_wad_floor(price.price())?;
    Ok(Info {
        oracle,
        stable: match bank.stable_price {
            Some(s) => i80f48::from_wad_floor(s)?,
            None => oracle,
        },
        init_asset: i80f48::from_wad_nearest(raw.init_asset_weight)?,
        maint_asset: i80f48::from_wad_nearest(raw.maint_asset_weight)?,
        init_liab: i80f48::from_wad_nearest(raw.init_liab_weight)?,
        maint_liab: i80f48::from_wad_nearest(raw.maint_liab_weight)?,
    })
}

/// A token balance's `I80F48` bits (native units, floored toward −∞: a debt rounds up).
///
/// Errors: [`Error::Overflow`].
pub fn balance_bits(balance: Wad) -> Result<i128> {
    i80f48::from_wad_floor_signed(balance)
}

/// The value of `I80F48` bits on the wad grid, floored toward −∞.
///
/// Errors: [`Error::Overflow`] beyond the wad range.
pub fn bits_to_wad(bits: i128) -> Result<Wad> {
    i80f48::to_wad_floor(bits)
}

fn health_of<const N: usize, O: OptionPricing>(
    account: &Account<N>,
    ctx: &Context<'_, O>,
    banks: &[Bank],
    level: Level,
    mut balance_of: impl FnMut(u16, Wad) -> Result<i128>,
) -> Result<i128> {
    let mut h: i128 = 0;
    for pos in account.positions() {
        let Position::Token { token, balance } = *pos else {
            return Err(Error::invalid("account", "mango_v4 accounts hold tokens only"));
        };
        let i = info(ctx, banks, token)?;
        let q = balance_of(token, balance)?;
        let c = i80f48::mul_signed(q, i.weighted_price(level, q >= 0)?)?;
        h = h.checked_add(c).ok_or(Error::Overflow)?;
    }
    Ok(h)
}

/// The account's health of type `level` in `I80F48` bits (`HealthCache::health`).
///
/// Errors: [`Error::Invalid`] naming `account` (a perp or option position), `token`, a bank
/// field as [`Bank::check`]; [`Error::Overflow`].
pub fn health<const N: usize, O: OptionPricing>(
    account: &Account<N>,
    ctx: &Context<'_, O>,
    banks: &[Bank],
    level: Level,
) -> Result<i128> {
    health_of(account, ctx, banks, level, |_, b| balance_bits(b))
}

/// `token_liq_with_token(asset, liability, max_liab_transfer)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Order {
    /// `asset_token_index`: the token the liquidator takes.
    pub asset: u16,
    /// `liab_token_index`: the token whose borrow the liquidator repays.
    pub liability: u16,
    /// `max_liab_transfer`: the most of the liability (native units, `I80F48` bits).
    pub max_liab_transfer: i128,
    /// Whether the account is already flagged `being_liquidated`.
    pub being_liquidated: bool,
}

/// What the liquidation did (`I80F48` bits; amounts in native units).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Liquidation {
    /// `liab_needed`: the liability that brings the liquidation-end health to 0.
    pub liab_needed: i128,
    /// `liab_possible`: the liability the whole asset balance pays for.
    pub liab_possible: i128,
    /// `liab_transfer`: the liability repaid.
    pub liab_transfer: i128,
    /// `asset_transfer_from_liqee`: the asset the account gives.
    pub asset_from_liqee: i128,
    /// `asset_transfer_to_liqor`: the asset the liquidator gets.
    pub asset_to_liqor: i128,
    /// `asset_liquidation_fee`: the asset bank's platform fee (`from − to`).
    pub platform_fee: i128,
    /// The asset balance after (0 when dusted).
    pub asset_after: i128,
    /// The liability balance after (0 when dusted).
    pub liab_after: i128,
    /// The liquidation-end health before and after.
    pub health_before: i128,
    /// See `health_before`.
    pub health_after: i128,
    /// `being_liquidated` after: the liquidation-end health is still `≤ −1`.
    pub being_liquidated: bool,
}

/// `deposit_with_dusting` / `withdraw_without_fee_with_dusting` at index 1: a result in
/// `[0, 1)` is dusted to 0.
fn dusted(x: i128) -> i128 {
    if (0..ONE).contains(&x) { 0 } else { x }
}

/// `1 + a + b` in bits (exact sums).
fn one_plus(a: i128, b: i128) -> Result<i128> {
    ONE.checked_add(a).and_then(|x| x.checked_add(b)).ok_or(Error::Overflow)
}

/// Plans (and with `apply`, performs on `account`) the liquidation. Applying writes the
/// balances after floored toward −∞ to the wad grid (a debt's fraction below 1e-18 rounds up).
///
/// Errors: [`Error::Invalid`] naming `asset` (the liability itself; no deposit in it),
/// `liability` (no borrow in it), `max_liab_transfer` (not positive), `account` when it is not
/// liquidatable (maint health `≥ 0`, or already being liquidated with liquidation-end health
/// `> −1`: Mango returns without a transfer), `liquidation_fee` when the liquidation-end health
/// cannot rise (`lp·ilw − lpa·iaw = 0`: Mango divides by zero); as [`health`].
pub fn liquidate<const N: usize, O: OptionPricing>(
    account: &mut Account<N>,
    ctx: &Context<'_, O>,
    banks: &[Bank],
    order: Order,
    apply: bool,
) -> Result<Liquidation> {
    ensure(
        order.asset != order.liability,
        "asset",
        "must be another token than the liability",
    )?;
    ensure(order.max_liab_transfer > 0, "max_liab_transfer", "must be > 0")?;
    let h_end = health(account, ctx, banks, Level::LiquidationEnd)?;
    if order.being_liquidated {
        ensure(
            h_end <= -ONE,
            "account",
            "its liquidation-end health is above -1: it recovers from being liquidated (Mango returns without a transfer)",
        )?;
    } else {
        ensure(
            health(account, ctx, banks, Level::Maint)? < 0,
            "account",
            "its maint health is >= 0: it is not liquidatable (Mango returns without a transfer)",
        )?;
    }
    let asset = balance_bits(account.token_balance(order.asset))?;
    let liab = balance_bits(account.token_balance(order.liability))?;
    ensure(asset > 0, "asset", "the account has no deposit in that token")?;
    ensure(liab < 0, "liability", "the account has no borrow in that token")?;
    let a = info(ctx, banks, order.asset)?;
    let l = info(ctx, banks, order.liability)?;
    let ba = banks.get(usize::from(order.asset)).copied().unwrap_or(Bank::PLAIN);
    let bl = banks.get(usize::from(order.liability)).copied().unwrap_or(Bank::PLAIN);
    let fee = |w: Wad| i80f48::from_wad_nearest(w);
    let (fa, fl) = (fee(ba.liquidation_fee)?, fee(bl.liquidation_fee)?);
    let (pa, pl) = (fee(ba.platform_liquidation_fee)?, fee(bl.platform_liquidation_fee)?);
    let ff_liqor = i80f48::mul(one_plus(fl, 0)?, one_plus(fa, 0)?)?;
    let ff_total = i80f48::mul(one_plus(fl, pl)?, one_plus(fa, pa)?)?;
    let lpa = i80f48::mul(l.oracle, ff_total)?;
    ensure(a.oracle > 0, "asset", "its price floors to 0 in I80F48")?;
    ensure(lpa > 0, "liability", "its price floors to 0 in I80F48")?;

    let max_liab = order.max_liab_transfer.min(liab.checked_neg().ok_or(Error::Overflow)?);
    let denominator = i80f48::mul(l.oracle, l.init_liab)?
        .checked_sub(i80f48::mul(lpa, a.init_asset)?)
        .ok_or(Error::Overflow)?;
    ensure(
        denominator != 0,
        "liquidation_fee",
        "the liability's init-weighted price equals the fee-adjusted asset's: Mango divides by zero",
    )?;
    let liab_needed = i80f48::div_signed(h_end.checked_neg().ok_or(Error::Overflow)?, denominator)?;
    let liab_possible = i80f48::div(i80f48::mul(asset, a.oracle)?, lpa)?;
    let liab_transfer = liab_needed.min(liab_possible).min(max_liab).max(0);
    let base = i80f48::div(i80f48::mul(liab_transfer, l.oracle)?, a.oracle)?;
    let to_liqor = i80f48::mul(base, ff_liqor)?;
    let from_liqee = i80f48::mul(base, ff_total)?;
    let platform_fee = from_liqee.checked_sub(to_liqor).ok_or(Error::Overflow)?;

    let liab_after = dusted(liab.checked_add(liab_transfer).ok_or(Error::Overflow)?);
    let asset_after = dusted(asset.checked_sub(from_liqee).ok_or(Error::Overflow)?);
    let after = health_of(account, ctx, banks, Level::LiquidationEnd, |token, b| {
        if token == order.asset {
            Ok(asset_after)
        } else if token == order.liability {
            Ok(liab_after)
        } else {
            balance_bits(b)
        }
    })?;
    if apply {
        account.set_token(order.asset, bits_to_wad(asset_after)?)?;
        account.set_token(order.liability, bits_to_wad(liab_after)?)?;
    }
    Ok(Liquidation {
        liab_needed,
        liab_possible,
        liab_transfer,
        asset_from_liqee: from_liqee,
        asset_to_liqor: to_liqor,
        platform_fee,
        asset_after,
        liab_after,
        health_before: h_end,
        health_after: after,
        being_liquidated: after <= -ONE,
    })
}
