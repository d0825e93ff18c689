//! Morpho Blue: one isolated market (a loan token, a collateral token, an oracle, an LLTV),
//! liquidated as `morpho-org/morpho-blue`'s `src/Morpho.sol` does, on its own integers.
//!
//! Amounts are Morpho's integers — native units of each token, borrow shares (which carry
//! `VIRTUAL_SHARES = 1e6` more digits than assets), the oracle price scaled by
//! `ORACLE_PRICE_SCALE = 1e36` — held in `i128`, so every value Morpho's `uint128` storage holds
//! and every oracle price below `2^127` is exact.
//!
//! - Health (`_isHealthy`): `borrowed = toAssetsUp(borrowShares)`,
//!   `maxBorrow = wMulDown(mulDivDown(collateral, price, 1e36), lltv)`; healthy iff
//!   `maxBorrow ≥ borrowed`.
//! - The liquidation incentive factor: `min(1.15, wDivDown(1, 1 − wMulDown(0.3, 1 − lltv)))`,
//!   i.e. `min(1.15, 1/(0.3·LLTV + 0.7))` (`LIQUIDATION_CURSOR`, `MAX_LIQUIDATION_INCENTIVE_FACTOR`).
//! - `liquidate(seizedAssets, repaidShares)`: exactly one is given; no close factor; the bad
//!   debt of an account left without collateral is realised and socialised (subtracted from
//!   the total supply).
//!
//! Shares (`SharesMathLib`): `toSharesUp(a) = ⌈a·(S + 1e6)/(A + 1)⌉`,
//! `toAssetsDown(s) = ⌊s·(A + 1)/(S + 1e6)⌋`, `toAssetsUp(s) = ⌈s·(A + 1)/(S + 1e6)⌉`.

use crate::{Error, Result, Wad};

use super::int::{mul_div, mul_div_ceil};

/// `MAX_LIQUIDATION_INCENTIVE_FACTOR`: 1.15.
pub const MAX_LIF: Wad = crate::wad!("1.15");
/// `LIQUIDATION_CURSOR`: 0.3.
pub const CURSOR: Wad = crate::wad!("0.3");
/// `ORACLE_PRICE_SCALE`: 1e36.
pub const ORACLE_PRICE_SCALE: i128 = 1_000_000_000_000_000_000_000_000_000_000_000_000;
/// `VIRTUAL_SHARES`.
pub const VIRTUAL_SHARES: i128 = 1_000_000;
/// `VIRTUAL_ASSETS`.
pub const VIRTUAL_ASSETS: i128 = 1;

/// A market's parameters and state (Morpho's integers).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Market {
    /// The liquidation loan-to-value, in `(0, 1)`.
    pub lltv: Wad,
    /// The oracle's price of one collateral unit in loan units, scaled by 1e36.
    pub price: i128,
    /// `totalSupplyAssets`.
    pub total_supply_assets: i128,
    /// `totalBorrowAssets`.
    pub total_borrow_assets: i128,
    /// `totalBorrowShares`.
    pub total_borrow_shares: i128,
}

/// A borrower's position (Morpho's integers).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Position {
    /// Collateral, native units.
    pub collateral: i128,
    /// Borrow shares.
    pub borrow_shares: i128,
}

/// The constants a preset may override.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Constants {
    /// `LIQUIDATION_CURSOR`.
    pub cursor: Wad,
    /// `MAX_LIQUIDATION_INCENTIVE_FACTOR`.
    pub max_lif: Wad,
}

impl Constants {
    /// Morpho Blue's.
    pub const DEFAULT: Self = Self {
        cursor: CURSOR,
        max_lif: MAX_LIF,
    };
}

/// A position's health as `_isHealthy` computes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Health {
    /// `toAssetsUp(borrowShares)`.
    pub borrowed: i128,
    /// `wMulDown(mulDivDown(collateral, price, 1e36), lltv)`.
    pub max_borrow: i128,
}

impl Health {
    /// `maxBorrow ≥ borrowed`.
    #[must_use]
    pub const fn healthy(&self) -> bool {
        self.max_borrow >= self.borrowed
    }
}

/// What the liquidator asks for: exactly one of Morpho's two inputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Request {
    /// `seizedAssets`: collateral to seize; the shares repaid follow, rounded up.
    Seize(i128),
    /// `repaidShares`: borrow shares to repay; the collateral seized follows, rounded down.
    RepayShares(i128),
}

/// What `liquidate` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Liquidation {
    /// The liquidation incentive factor.
    pub lif: Wad,
    /// `seizedAssets`: collateral to the liquidator.
    pub seized: i128,
    /// `repaidShares`.
    pub repaid_shares: i128,
    /// `repaidAssets = toAssetsUp(repaidShares)`: loan tokens the liquidator pays.
    pub repaid_assets: i128,
    /// `badDebtAssets`: realised when the position has no collateral left, and taken from
    /// the suppliers (`totalSupplyAssets`).
    pub bad_debt_assets: i128,
    /// `badDebtShares`.
    pub bad_debt_shares: i128,
    /// Whether the position was healthy (nothing done; Morpho reverts `HEALTHY_POSITION`).
    pub healthy: bool,
}

fn checked(x: Option<i128>) -> Result<i128> {
    x.ok_or(Error::Overflow)
}

impl Market {
    /// Checks the market.
    ///
    /// Errors: [`Error::Invalid`] naming `lltv` unless in `(0, 1)`, `price` or a total when
    /// negative, `total_borrow_assets` above `total_supply_assets`.
    pub fn check(&self) -> Result<()> {
        crate::error::ensure(
            self.lltv.is_positive() && self.lltv < Wad::ONE,
            "lltv",
            "must be in (0, 1)",
        )?;
        crate::error::ensure(self.price >= 0, "price", "must be ≥ 0")?;
        crate::error::ensure(self.total_supply_assets >= 0, "total_supply_assets", "must be ≥ 0")?;
        crate::error::ensure(self.total_borrow_assets >= 0, "total_borrow_assets", "must be ≥ 0")?;
        crate::error::ensure(self.total_borrow_shares >= 0, "total_borrow_shares", "must be ≥ 0")?;
        crate::error::ensure(
            self.total_borrow_assets <= self.total_supply_assets,
            "total_borrow_assets",
            "must be at most total_supply_assets (Morpho's INSUFFICIENT_LIQUIDITY)",
        )
    }

    fn assets_base(&self) -> Result<i128> {
        checked(self.total_borrow_assets.checked_add(VIRTUAL_ASSETS))
    }

    fn shares_base(&self) -> Result<i128> {
        checked(self.total_borrow_shares.checked_add(VIRTUAL_SHARES))
    }

    /// `toAssetsUp(shares)`.
    ///
    /// Errors: [`Error::Overflow`].
    pub fn to_assets_up(&self, shares: i128) -> Result<i128> {
        mul_div_ceil(shares, self.assets_base()?, self.shares_base()?)
    }

    /// `toAssetsDown(shares)`.
    ///
    /// Errors: [`Error::Overflow`].
    pub fn to_assets_down(&self, shares: i128) -> Result<i128> {
        mul_div(shares, self.assets_base()?, self.shares_base()?)
    }

    /// `toSharesUp(assets)`.
    ///
    /// Errors: [`Error::Overflow`].
    pub fn to_shares_up(&self, assets: i128) -> Result<i128> {
        mul_div_ceil(assets, self.shares_base()?, self.assets_base()?)
    }
}

/// The liquidation incentive factor of `lltv`:
/// `min(max_lif, ⌊1 / (1 − ⌊cursor·(1 − lltv)⌋)⌋)`.
///
/// Errors: [`Error::Overflow`]; [`Error::DivisionByZero`] for a cursor of 1 and an LLTV of 0.
pub fn incentive_factor(lltv: Wad, c: &Constants) -> Result<Wad> {
    let t = c.cursor.mul_floor(Wad::ONE.sub(lltv)?)?;
    Ok(c.max_lif.min(Wad::ONE.div_floor(Wad::ONE.sub(t)?)?))
}

/// The position's health in `market`.
///
/// Errors: as [`Market::check`]; [`Error::Invalid`] naming `collateral` or `borrow_shares`
/// when negative; [`Error::Overflow`].
pub fn health(market: &Market, position: &Position) -> Result<Health> {
    market.check()?;
    crate::error::ensure(position.collateral >= 0, "collateral", "must be ≥ 0")?;
    crate::error::ensure(position.borrow_shares >= 0, "borrow_shares", "must be ≥ 0")?;
    let borrowed = market.to_assets_up(position.borrow_shares)?;
    let value = mul_div(position.collateral, market.price, ORACLE_PRICE_SCALE)?;
    let max_borrow = Wad::from_raw(value).mul_floor(market.lltv)?.raw();
    Ok(Health { borrowed, max_borrow })
}

/// `liquidate(marketParams, borrower, seizedAssets, repaidShares, data)` (interest already
/// accrued): updates `market` and `position` and returns what moved.
///
/// Errors: [`Error::Invalid`] naming `seized_assets` or `repaid_shares` when zero or negative
/// (Morpho's `INCONSISTENT_INPUT`), `repaid_shares` when the position owes fewer shares,
/// `seized_assets` when the position holds less collateral (Morpho reverts on the
/// underflow); as [`health`]; [`Error::DivisionByZero`] for a zero price with `RepayShares`.
pub fn liquidate(market: &mut Market, position: &mut Position, request: Request, c: &Constants) -> Result<Liquidation> {
    let h = health(market, position)?;
    let lif = incentive_factor(market.lltv, c)?;
    crate::error::ensure(lif.is_positive(), "max_lif", "must be ≥ 1")?;
    let mut done = Liquidation {
        lif,
        seized: 0,
        repaid_shares: 0,
        repaid_assets: 0,
        bad_debt_assets: 0,
        bad_debt_shares: 0,
        healthy: true,
    };
    match request {
        Request::Seize(x) => {
            crate::error::ensure(x > 0, "seized_assets", "must be > 0 (exactly one input is non-zero)")?
        }
        Request::RepayShares(x) => {
            crate::error::ensure(x > 0, "repaid_shares", "must be > 0 (exactly one input is non-zero)")?
        }
    }
    if h.healthy() {
        return Ok(done);
    }
    done.healthy = false;
    let (seized, repaid_shares) = match request {
        Request::Seize(seized) => {
            let quoted = mul_div_ceil(seized, market.price, ORACLE_PRICE_SCALE)?;
            let assets = mul_div_ceil(quoted, Wad::ONE.raw(), lif.raw())?;
            (seized, market.to_shares_up(assets)?)
        }
        Request::RepayShares(shares) => {
            let assets = Wad::from_raw(market.to_assets_down(shares)?).mul_floor(lif)?.raw();
            let seized = Wad::from_raw(assets)
                .mul_div_floor(Wad::from_raw(ORACLE_PRICE_SCALE), Wad::from_raw(market.price))?
                .raw();
            (seized, shares)
        }
    };
    let repaid_assets = market.to_assets_up(repaid_shares)?;
    crate::error::ensure(
        repaid_shares <= position.borrow_shares,
        "repaid_shares",
        "must be at most the position's borrow shares (Morpho reverts on the underflow)",
    )?;
    crate::error::ensure(
        seized <= position.collateral,
        "seized_assets",
        "must be at most the position's collateral (Morpho reverts on the underflow)",
    )?;
    let mut m = *market;
    let mut p = *position;
    p.borrow_shares = checked(p.borrow_shares.checked_sub(repaid_shares))?;
    m.total_borrow_shares = checked(m.total_borrow_shares.checked_sub(repaid_shares))?;
    m.total_borrow_assets = checked(m.total_borrow_assets.checked_sub(repaid_assets))?.max(0);
    p.collateral = checked(p.collateral.checked_sub(seized))?;
    if p.collateral == 0 {
        let shares = p.borrow_shares;
        let assets = m.total_borrow_assets.min(m.to_assets_up(shares)?);
        m.total_borrow_assets = checked(m.total_borrow_assets.checked_sub(assets))?;
        m.total_supply_assets = checked(m.total_supply_assets.checked_sub(assets))?;
        m.total_borrow_shares = checked(m.total_borrow_shares.checked_sub(shares))?;
        p.borrow_shares = 0;
        done.bad_debt_assets = assets;
        done.bad_debt_shares = shares;
    }
    *market = m;
    *position = p;
    done.seized = seized;
    done.repaid_shares = repaid_shares;
    done.repaid_assets = repaid_assets;
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::w;

    #[test]
    fn incentive_factors() {
        // 1/(0.3·0.86 + 0.7) = 1/0.958 = 1.043841336116910229… (floored); LLTV 0.5: 1/0.85 =
        // 1.176… capped at 1.15; LLTV 0.945: 1/0.9835 = 1.016776817488561260…
        let c = Constants::DEFAULT;
        assert_eq!(incentive_factor(w("0.86"), &c).unwrap(), w("1.043841336116910229"));
        assert_eq!(incentive_factor(w("0.5"), &c).unwrap(), w("1.15"));
        assert_eq!(incentive_factor(w("0.945"), &c).unwrap(), w("1.016776817488561260"));
    }
}
