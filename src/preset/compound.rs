//! Compound III (Comet): `absorb` and `buyCollateral` of `compound-finance/comet`'s
//! `contracts/Comet.sol`, on its integers.
//!
//! Prices are the feeds' integers with 8 decimals; factors are scaled by `FACTOR_SCALE = 1e18`
//! (held as wads); amounts are native units (`scale = 10^decimals`). The base balance is the
//! account's present value (its principal times the index: interest accrued).
//!
//! - `isLiquidatable`: `liquidity = signedMulPrice(balance, basePrice, baseScale)` (Solidity's
//!   signed division truncates toward zero) plus, per collateral,
//!   `mulFactor(mulPrice(amount, price, scale), liquidateCollateralFactor)` (both floors);
//!   liquidatable iff the balance is negative and `liquidity < 0`.
//! - `absorb`: the protocol takes every collateral; `deltaValue = Σ mulFactor(mulPrice(amount,
//!   price, scale), liquidationFactor)`, `deltaBalance = ⌊deltaValue · baseScale / basePrice⌋`;
//!   the new balance is `balance + deltaBalance`, at least 0 (the reserves absorb any excess
//!   debt); the reserves fall by `newBalance − oldBalance` (`basePaidOut`).
//! - `buyCollateral`/`quoteCollateral`: only while the reserves are below `targetReserves`; at
//!   the store-front price `assetPrice · (1 − storeFrontPriceFactor · (1 − liquidationFactor))`
//!   (two `mulFactor` floors), `quote = ⌊⌊basePrice · baseAmount · assetScale / discounted⌋ /
//!   baseScale⌋`, at most the protocol's collateral reserves.

use crate::{Error, Result, Wad};

use super::int::mul_div;

/// The feeds' decimals: prices are integers of 1e-8.
pub const PRICE_DECIMALS: u8 = 8;

/// One asset as Comet's `AssetInfo` holds it (a collateral), or the base token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Asset {
    /// The feed's price, 8 decimals (`getPrice`).
    pub price: i128,
    /// `10^decimals`.
    pub scale: i128,
    /// `borrowCollateralFactor`.
    pub borrow_cf: Wad,
    /// `liquidateCollateralFactor`.
    pub liquidate_cf: Wad,
    /// `liquidationFactor`.
    pub liquidation_factor: Wad,
}

/// The market's configuration and the reserves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Config {
    /// `storeFrontPriceFactor`, in `[0, 1]`.
    pub store_front_price_factor: Wad,
    /// `getReserves()` before: base native units, signed.
    pub reserves: i128,
    /// `targetReserves`.
    pub target_reserves: i128,
}

/// `n · factor / 1e18`, floored (`mulFactor`).
fn mul_factor(n: i128, factor: Wad) -> Result<i128> {
    mul_div(n, factor.raw(), Wad::ONE.raw())
}

/// `n · price / scale`, floored (`mulPrice`).
fn mul_price(n: i128, price: i128, scale: i128) -> Result<i128> {
    mul_div(n, price, scale)
}

/// The account's liquidity as `isLiquidatable` computes it: `(liquidity, liquidatable)`, in
/// 8-decimal base-currency units. `collateral` pairs each collateral asset with the account's
/// amount of it.
///
/// Errors: [`Error::Invalid`] naming `balance` or `collateral` when an amount or price is
/// negative or a scale is not positive; [`Error::Overflow`].
pub fn liquidity(base: &Asset, balance: i128, collateral: &[(Asset, i128)]) -> Result<(i128, bool)> {
    crate::error::ensure(
        base.scale > 0 && base.price >= 0,
        "base",
        "needs a positive scale and a price ≥ 0",
    )?;
    // signedMulPrice: int division truncates toward zero.
    let magnitude = mul_div(balance.checked_abs().ok_or(Error::Overflow)?, base.price, base.scale)?;
    let mut liquidity = if balance < 0 {
        magnitude.checked_neg().ok_or(Error::Overflow)?
    } else {
        magnitude
    };
    for (asset, amount) in collateral {
        crate::error::ensure(
            *amount >= 0 && asset.price >= 0 && asset.scale > 0,
            "collateral",
            "amounts and prices must be ≥ 0",
        )?;
        let value = mul_price(*amount, asset.price, asset.scale)?;
        liquidity = liquidity
            .checked_add(mul_factor(value, asset.liquidate_cf)?)
            .ok_or(Error::Overflow)?;
    }
    Ok((liquidity, balance < 0 && liquidity < 0))
}

/// What `absorb` did to one account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Absorb {
    /// Whether the account was liquidatable (else nothing was done: Comet reverts
    /// `NotLiquidatable`).
    pub liquidatable: bool,
    /// `deltaValue`: the collateral's value at the liquidation factors, 8 decimals.
    pub delta_value: i128,
    /// `deltaBalance`: that value in base native units.
    pub delta_balance: i128,
    /// The account's base balance after (≥ 0).
    pub new_balance: i128,
    /// `basePaidOut = newBalance − oldBalance`: what the reserves paid.
    pub base_paid_out: i128,
    /// The reserves after.
    pub reserves: i128,
}

/// `absorbInternal` of an account with base `balance` and `collateral`.
///
/// Errors: as [`liquidity`].
pub fn absorb(base: &Asset, balance: i128, collateral: &[(Asset, i128)], cfg: &Config) -> Result<Absorb> {
    let (_, liquidatable) = liquidity(base, balance, collateral)?;
    if !liquidatable {
        return Ok(Absorb {
            liquidatable,
            delta_value: 0,
            delta_balance: 0,
            new_balance: balance,
            base_paid_out: 0,
            reserves: cfg.reserves,
        });
    }
    let mut delta_value = 0i128;
    for (asset, amount) in collateral {
        let value = mul_price(*amount, asset.price, asset.scale)?;
        delta_value = delta_value
            .checked_add(mul_factor(value, asset.liquidation_factor)?)
            .ok_or(Error::Overflow)?;
    }
    crate::error::ensure(base.price > 0, "base", "its price must be > 0")?;
    let delta_balance = mul_div(delta_value, base.scale, base.price)?;
    let new_balance = balance.checked_add(delta_balance).ok_or(Error::Overflow)?.max(0);
    let paid = new_balance.checked_sub(balance).ok_or(Error::Overflow)?;
    Ok(Absorb {
        liquidatable,
        delta_value,
        delta_balance,
        new_balance,
        base_paid_out: paid,
        reserves: cfg.reserves.checked_sub(paid).ok_or(Error::Overflow)?,
    })
}

/// `quoteCollateral(asset, baseAmount)`: collateral native units for `base_amount`.
///
/// Errors: [`Error::Invalid`] naming `store_front_price_factor` outside `[0, 1]`;
/// [`Error::DivisionByZero`] for a zero discounted price; [`Error::Overflow`].
pub fn quote_collateral(base: &Asset, asset: &Asset, base_amount: i128, cfg: &Config) -> Result<i128> {
    crate::error::ensure(
        !cfg.store_front_price_factor.is_negative() && cfg.store_front_price_factor <= Wad::ONE,
        "store_front_price_factor",
        "must be in [0, 1]",
    )?;
    let discount = mul_factor(
        cfg.store_front_price_factor.raw(),
        Wad::ONE.sub(asset.liquidation_factor)?,
    )?;
    let discounted = mul_factor(
        asset.price,
        Wad::from_raw(Wad::ONE.raw().checked_sub(discount).ok_or(Error::Overflow)?),
    )?;
    let numerator = base.price.checked_mul(base_amount).ok_or(Error::Overflow)?;
    let units = mul_div(numerator, asset.scale, discounted)?;
    units.checked_div(base.scale).ok_or(Error::DivisionByZero)
}

/// `buyCollateral(asset, minAmount = 0, baseAmount)` against the protocol's
/// `collateral_reserves` of that asset: the collateral bought and the reserves after.
///
/// Errors: [`Error::Invalid`] naming `base_amount` when negative, `reserves` when the reserves
/// are at or above the target (`NotForSale`), `base_amount` when the quote exceeds the
/// collateral reserves (`InsufficientReserves`); as [`quote_collateral`].
pub fn buy_collateral(
    base: &Asset,
    asset: &Asset,
    base_amount: i128,
    collateral_reserves: i128,
    cfg: &Config,
) -> Result<(i128, i128)> {
    crate::error::ensure(base_amount >= 0, "base_amount", "must be ≥ 0")?;
    crate::error::ensure(
        cfg.reserves < 0 || cfg.reserves < cfg.target_reserves,
        "reserves",
        "are at or above target_reserves: the protocol does not sell collateral (NotForSale)",
    )?;
    let quote = quote_collateral(base, asset, base_amount, cfg)?;
    crate::error::ensure(
        quote <= collateral_reserves,
        "base_amount",
        "buys more than the protocol's reserves of that collateral (InsufficientReserves)",
    )?;
    Ok((quote, cfg.reserves.checked_add(base_amount).ok_or(Error::Overflow)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::w;

    #[test]
    fn the_published_quote() {
        // comet test/quote-collateral-test.ts: storeFrontPriceFactor 0.5, COMP at 200 with
        // liquidationFactor 0.6: discount 20 %, 200 USDC buy 1.25 COMP.
        let usdc = Asset {
            price: 100_000_000,
            scale: 1_000_000,
            borrow_cf: Wad::ONE,
            liquidate_cf: Wad::ONE,
            liquidation_factor: Wad::ONE,
        };
        let comp = Asset {
            price: 200 * 100_000_000,
            scale: 10i128.pow(18),
            borrow_cf: w("0.5"),
            liquidate_cf: w("0.6"),
            liquidation_factor: w("0.6"),
        };
        let cfg = Config {
            store_front_price_factor: w("0.5"),
            reserves: 0,
            target_reserves: 100,
        };
        assert_eq!(
            quote_collateral(&usdc, &comp, 200_000_000, &cfg).unwrap(),
            1_250_000_000_000_000_000
        );
    }
}
