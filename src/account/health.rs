//! Health: the weighted value of an account's assets less its liabilities.

use crate::oracle::OraclePrice;
use crate::{Result, Rounding, Wad};

use super::{Account, Context, OptionPricing, PerpParams, Position, TokenParams};

/// The level at which health is measured.
///
/// A position may be opened only while **initial** health stays non-negative; an account is
/// liquidatable when its **maintenance** health is negative; a liquidation aims to bring its
/// **liquidation-end** health (a level between the two, per token configurable) back to zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum HealthLevel {
    /// The strictest level: what opening a position requires.
    Initial,
    /// The most lenient level: below zero, the account is liquidatable.
    Maintenance,
    /// The level a liquidation restores.
    LiquidationEnd,
}

/// The health of an account at one level: the weighted value of its assets and of its
/// liabilities, both non-negative.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Health {
    /// Σ weighted value of the positions that count positively (each rounded down).
    pub assets: Wad,
    /// Σ weighted value of the positions that count negatively, as a magnitude (each rounded up).
    pub liabilities: Wad,
}

impl Health {
    /// Adds one position's signed contribution (see [`token_contribution`]): a positive one to
    /// the assets, a negative one to the liabilities.
    ///
    /// Errors: [`Error::Overflow`](crate::Error::Overflow).
    pub fn add(&mut self, contribution: Wad) -> Result<()> {
        if contribution.is_negative() {
            self.liabilities = self.liabilities.sub(contribution)?;
        } else {
            self.assets = self.assets.add(contribution)?;
        }
        Ok(())
    }

    /// The health value `assets − liabilities` (exact).
    ///
    /// Errors: [`Error::Overflow`](crate::Error::Overflow).
    pub fn value(&self) -> Result<Wad> {
        self.assets.sub(self.liabilities)
    }

    /// The health factor `assets / liabilities`, rounded down (Aave's health factor when the
    /// weights are Aave's); `None` when there are no liabilities (an infinite factor).
    ///
    /// Errors: [`Error::Overflow`](crate::Error::Overflow) when the factor exceeds the `Wad` range.
    pub fn factor(&self) -> Result<Option<Wad>> {
        if self.liabilities.is_zero() {
            return Ok(None);
        }
        self.assets.div_floor(self.liabilities).map(Some)
    }
}

/// The signed weighted value of a token balance at `level`:
///
/// - a deposit `b > 0`: `⌊⌊b · (price − conf)⌋ · w_asset(b)⌋`;
/// - a borrow `b < 0`: `−⌈⌈|b| · (price + conf)⌉ · w_liab(|b|)⌉`,
///
/// with the size-scaled weights of [`TokenParams`]. Both roundings go against the account.
///
/// Errors: [`Error::Overflow`](crate::Error::Overflow).
pub fn token_contribution(params: &TokenParams, price: OraclePrice, level: HealthLevel, balance: Wad) -> Result<Wad> {
    if balance.is_positive() {
        let value = balance.mul_floor(price.asset_price())?;
        value.mul_floor(params.asset_weight(level, balance)?)
    } else if balance.is_negative() {
        let size = balance.abs()?;
        let value = size.mul_ceil(price.liability_price())?;
        value.mul_ceil(params.liability_weight(level, size)?)?.neg()
    } else {
        Ok(Wad::ZERO)
    }
}

/// A token balance valued at its oracle price, before the weight of a level: the first
/// rounding of [`token_contribution`], which does not depend on the level, so that one value
/// serves several levels. `TokenValue::new(price, b)?.weighted(params, level)` is
/// `token_contribution(params, price, level, b)`, the same steps in the same order (a test
/// checks it); `health` keeps its own loop, which this split would slow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TokenValue {
    balance: Wad,
    /// `⌊b · (price − conf)⌋` for a deposit, `⌈|b| · (price + conf)⌉` for a borrow, 0 for none.
    value: Wad,
}

impl TokenValue {
    /// The value of `balance` at `price`.
    ///
    /// Errors: [`Error::Overflow`](crate::Error::Overflow).
    #[inline]
    pub(crate) fn new(price: OraclePrice, balance: Wad) -> Result<Self> {
        let value = if balance.is_positive() {
            times(balance, price.asset_price(), Rounding::Floor)?
        } else if balance.is_negative() {
            times(balance.abs()?, price.liability_price(), Rounding::Ceil)?
        } else {
            Wad::ZERO
        };
        Ok(Self { balance, value })
    }

    /// The value before the weight: `⌊b · (price − conf)⌋` for a deposit, `⌈|b| · (price +
    /// conf)⌉` for a borrow, 0 for none.
    #[inline]
    pub(crate) const fn value(&self) -> Wad {
        self.value
    }

    /// [`token_contribution`] at `level`: `⌊value · w_asset(b)⌋` for a deposit,
    /// `−⌈value · w_liab(|b|)⌉` for a borrow (the weights of `level` themselves when the
    /// token has no size factor, as [`TokenParams::asset_weight`] and
    /// [`TokenParams::liability_weight`] return them).
    ///
    /// Errors: [`Error::Overflow`](crate::Error::Overflow).
    #[inline]
    pub(crate) fn weighted(&self, params: &TokenParams, level: HealthLevel) -> Result<Wad> {
        let flat = params.size_factor().is_zero();
        if self.balance.is_positive() {
            let w = if flat {
                params.weights(level).asset
            } else {
                params.asset_weight(level, self.balance)?
            };
            times(self.value, w, Rounding::Floor)
        } else if self.balance.is_negative() {
            let size = self.balance.abs()?;
            let w = if flat {
                params.weights(level).liability
            } else {
                params.liability_weight(level, size)?
            };
            times(self.value, w, Rounding::Ceil)?.neg()
        } else {
            Ok(Wad::ZERO)
        }
    }
}

/// `x · m` rounded as `rounding` says, `x` itself when `m` is one (a token priced at one, a
/// weight of one: the product is exact, no rounding and no 256-bit product needed).
///
/// Errors: [`Error::Overflow`](crate::Error::Overflow) (never when `m` is one).
#[inline]
pub(crate) fn times(x: Wad, m: Wad, rounding: Rounding) -> Result<Wad> {
    if m == Wad::ONE { Ok(x) } else { x.mul(m, rounding) }
}

/// The signed weighted value of a perp position at `level`, with `m` the size-scaled margin
/// fraction of [`PerpParams::margin`]:
///
/// - a long `base > 0`: `quote + ⌊⌊base · (price − conf)⌋ · (1 − m)⌋`;
/// - a short `base < 0`: `quote − ⌈⌈|base| · (price + conf)⌉ · (1 + m)⌉`;
/// - no base: `quote`.
///
/// Errors: [`Error::Overflow`](crate::Error::Overflow).
pub fn perp_contribution(
    params: &PerpParams,
    price: OraclePrice,
    level: HealthLevel,
    base: Wad,
    quote: Wad,
) -> Result<Wad> {
    if base.is_positive() {
        let notional = base.mul_floor(price.asset_price())?;
        let weight = Wad::ONE.sub(params.margin(level, base)?)?;
        quote.add(notional.mul_floor(weight)?)
    } else if base.is_negative() {
        let size = base.abs()?;
        let notional = size.mul_ceil(price.liability_price())?;
        let weight = Wad::ONE.add(params.margin(level, size)?)?;
        quote.sub(notional.mul_ceil(weight)?)
    } else {
        Ok(quote)
    }
}

/// The signed weighted value of one position at `level`.
///
/// An option position is valued by the context's option book `O`: with [`NoOptions`](super::NoOptions)
/// (a context made by [`Context::new`] or [`Context::tokens`]) it is an error and option
/// pricing is not linked; with [`PricedOptions`](super::PricedOptions) it is
/// [`option_contribution`](super::option_contribution).
///
/// Errors: [`Error::Invalid`](crate::Error::Invalid) naming `token`, `market` or `series` when
/// the context has no such entry; as [`option_contribution`](super::option_contribution);
/// [`Error::Overflow`](crate::Error::Overflow).
pub fn position_contribution<O: OptionPricing>(
    position: &Position,
    ctx: &Context<'_, O>,
    level: HealthLevel,
) -> Result<Wad> {
    match *position {
        Position::Token { token, balance } => {
            let (params, price) = ctx.token(token)?;
            token_contribution(params, price, level, balance)
        }
        Position::Perp { market, base, quote } => {
            let (params, price) = ctx.perp(market)?;
            perp_contribution(params, price, level, base, quote)
        }
        Position::Option { series, quantity } => ctx.option_contribution(series, level, quantity),
    }
}

/// The health of `account` at `level`: every position's contribution, assets and liabilities
/// summed separately.
///
/// Errors: as [`position_contribution`].
pub fn health<const N: usize, O: OptionPricing>(
    account: &Account<N>,
    ctx: &Context<'_, O>,
    level: HealthLevel,
) -> Result<Health> {
    let mut h = Health::default();
    for p in account.positions() {
        h.add(position_contribution(p, ctx, level)?)?;
    }
    Ok(h)
}

/// The health of `account` at `level` without the positions for which `skip` is true.
///
/// Errors: as [`position_contribution`].
pub fn health_without<const N: usize, O: OptionPricing>(
    account: &Account<N>,
    ctx: &Context<'_, O>,
    level: HealthLevel,
    skip: impl Fn(&Position) -> bool,
) -> Result<Health> {
    let mut h = Health::default();
    for p in account.positions().iter().filter(|p| !skip(p)) {
        h.add(position_contribution(p, ctx, level)?)?;
    }
    Ok(h)
}

/// Whether `account` may be liquidated: its maintenance health is negative.
///
/// Errors: as [`health`].
pub fn is_liquidatable<const N: usize, O: OptionPricing>(account: &Account<N>, ctx: &Context<'_, O>) -> Result<bool> {
    Ok(health(account, ctx, HealthLevel::Maintenance)?.value()?.is_negative())
}

/// Which price [`liquidation_price`] moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum PriceOf {
    /// The price of a token.
    Token(u16),
    /// The price of a perp market.
    Perp(u16),
}

/// The price at which an account's maintenance health crosses zero when one price moves and
/// everything else stays fixed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum LiquidationPrice {
    /// No price makes the account liquidatable.
    Never,
    /// The account is liquidatable whatever the price (the rest of it is already underwater).
    Always,
    /// Liquidatable when the price falls below this one (the position is long).
    Below(Wad),
    /// Liquidatable when the price rises above this one (the position is short).
    Above(Wad),
    /// The account holds options on this price: health is not linear (nor, in general,
    /// monotone) in it, and no single threshold describes it. Check health at the prices of
    /// interest instead.
    Nonlinear,
}

/// The liquidation price of one token or perp position, the rest of the account held fixed
/// (closed form; the moving price is taken with zero confidence, the others as they are).
///
/// With `R` the maintenance health of the other positions (plus the perp's quote), `s` the
/// position's size and `w` its maintenance weight at that size (`w_asset`, `w_liab`, `1 − m`,
/// `1 + m`), maintenance health is `R + s·p·w` for a long and `R − |s|·p·w` for a short, so
///
/// - long: `p* = −R / (s·w)`, rounded **up** (the reported price warns no later than the exact one);
/// - short: `p* = R / (|s|·w)`, rounded **down**.
///
/// A long with `R ≥ 0` is [`LiquidationPrice::Never`] liquidatable; a short with `R < 0` is
/// [`Always`](LiquidationPrice::Always). A zero position or a zero weight is `Never` if
/// `R ≥ 0`, else `Always`. A perp long whose size-scaled margin exceeds 1 has a negative
/// weight `1 − m`: its health falls as the price rises, and it is treated as a short
/// (`Above(R / (s·|1 − m|))`, rounded down, or `Always` when `R < 0`).
///
/// When `of` is a token that underlies one of the account's option positions (of any
/// quantity), the answer is [`LiquidationPrice::Nonlinear`].
///
/// Errors: as [`health`]; [`Error::Overflow`](crate::Error::Overflow).
pub fn liquidation_price<const N: usize, O: OptionPricing>(
    account: &Account<N>,
    ctx: &Context<'_, O>,
    of: PriceOf,
) -> Result<LiquidationPrice> {
    let level = HealthLevel::Maintenance;
    if let PriceOf::Token(t) = of {
        for p in account.positions() {
            if let Position::Option { series, .. } = *p
                && ctx.option_underlying(series)? == t
            {
                return Ok(LiquidationPrice::Nonlinear);
            }
        }
    }
    let rest = health_without(account, ctx, level, |p| match (*p, of) {
        (Position::Token { token, .. }, PriceOf::Token(t)) => token == t,
        (Position::Perp { market, .. }, PriceOf::Perp(m)) => market == m,
        _ => false,
    })?
    .value()?;
    // (size, weight, extra constant): health = rest + extra + size·p·weight.
    let (size, weight, extra) = match of {
        PriceOf::Token(t) => {
            let (params, _) = ctx.token(t)?;
            let b = account.token_balance(t);
            let w = if b.is_negative() {
                params.liability_weight(level, b.abs()?)?
            } else {
                params.asset_weight(level, b)?
            };
            (b, w, Wad::ZERO)
        }
        PriceOf::Perp(m) => {
            let (params, _) = ctx.perp(m)?;
            let (base, quote) = account.perp(m);
            let margin = params.margin(level, base.abs()?)?;
            let w = if base.is_negative() {
                Wad::ONE.add(margin)?
            } else {
                Wad::ONE.sub(margin)?
            };
            (base, w, quote)
        }
    };
    crossing(rest.add(extra)?, size, weight)
}

/// Where maintenance health `r + p·size·weight` crosses zero as the price `p` moves: the last
/// step of [`liquidation_price`], given the rest of the account's maintenance health `r`, the
/// moving position's `size` and its maintenance `weight` at that size (the rounding as there).
///
/// Errors: [`Error::Overflow`](crate::Error::Overflow).
pub(crate) fn crossing(r: Wad, size: Wad, weight: Wad) -> Result<LiquidationPrice> {
    // Health is r + p·c with c = size·weight: c > 0 for a deposit or a long, c < 0 for a borrow,
    // a short, or a long whose size-scaled margin passed 1 (weight 1 − m < 0).
    let magnitude = size.abs()?;
    let rises = size.is_positive() && weight.is_positive();
    let falls = size.is_negative() || (size.is_positive() && weight.is_negative());
    if rises {
        if !r.is_negative() {
            return Ok(LiquidationPrice::Never);
        }
        // |c| rounded down: the price reported is at or above the exact one.
        let slope = magnitude.mul_floor(weight)?;
        if slope.is_zero() {
            return Ok(LiquidationPrice::Always);
        }
        return Ok(LiquidationPrice::Below(r.neg()?.div_ceil(slope)?));
    }
    if falls {
        if r.is_negative() {
            return Ok(LiquidationPrice::Always);
        }
        // |c| rounded up: the price reported is at or below the exact one.
        let slope = magnitude.mul_ceil(weight.abs()?)?;
        return Ok(LiquidationPrice::Above(r.div_floor(slope)?));
    }
    Ok(if r.is_negative() {
        LiquidationPrice::Always
    } else {
        LiquidationPrice::Never
    })
}
