//! A vega shock: a book of short-option accounts revalued under a joint spot and volatility
//! shock, with the accounts that become liquidatable, the collateral shortfall, and how much
//! of it the sellers' premium absorbs before the insurance fund.
//!
//! This is the input the cascade engine needs to run an options vault as a venue: the
//! liquidatable accounts are the forced sellers, and what is left after the premium buffers
//! is the loss the venue's insurance fund must take.
//!
//! # The shock
//!
//! With the market's spot `S` and volatility `σ`, a shock `(m, Δσ)` moves them to
//!
//! ```text
//! S' = ⌊S · m⌋        (multiplicative, m > 0; the scenario's spot is defined as the floor)
//! σ' = σ + Δσ         (additive, in volatility points: 0.10 = ten points; exact)
//! ```
//!
//! and `S'`, `σ'` must stay in the ranges of [`BsInputs`](crate::options::BsInputs) (errors name `spot_shock` and
//! `vol_shock`). An additive volatility shock is the usual unit of vega risk (a "ten-point
//! vol move") and keeps the shock the same size across accounts whatever their current vol.
//!
//! # Revaluation of an account
//!
//! ```text
//! liability   = Σ_short ⌈|q| · ⌈V(S', σ')⌉⌉ − Σ_long ⌊q · ⌊V(S', σ')⌋⌋
//! equity      = collateral − liability
//! maintenance = Σ_short standard maintenance add-on at (S', σ')  (method standard)
//!             | the grid's requirement at (S', σ')              (method grid, all positions)
//! liquidatable ⇔ equity < maintenance
//! shortfall   = max(0, liability − collateral)
//! ```
//!
//! The equity has already subtracted the options' value, so the requirement is what is
//! needed **beyond** that value, never the value again. With the standard method it is the
//! maintenance add-on of [`StandardMargin`](crate::options::StandardMargin),
//! `⌈|q| · (MM − mark)⌉`, with the mark `⌈V(S', σ')⌉` of the liability: Deribit's
//! `MM = rate + mark` already holds the mark, and adding the full `MM` would count the
//! option's value twice. `equity ≥ add-on` is then exactly `collateral ≥ liability + add-on`,
//! the exchange's `collateral ≥ MM` with the mark counted once (up to the roundings, each
//! up). The grid's requirement is a worst **loss** beyond the current value (its scenarios
//! are `q·(V_scenario − mark)`), so it is consistent as it is.
//!
//! The options' value is a liability rounded up (a long option, an asset, rounded down), so
//! the shortfall is never understated. The premium each account's seller received is held as
//! a first-loss buffer apart from the collateral: the account's shortfall goes down a
//! [`Waterfall`] whose premium layer is that premium, the premium absorbs
//! `min(shortfall, premium)` and the rest is left for the insurance fund. An account with
//! no positions has no liability and no requirement.

use crate::error::ensure;
use crate::liquidation::{Waterfall, WaterfallRaw};
use crate::options::{
    GridMarket, GridParams, GridPosition, MAX_GRID_POSITIONS, MAX_PRICE, MAX_VOL, OptionPosition, StandardMarginParams,
    price,
};
use crate::{Error, Result, Rounding, Wad};

/// The default capacity of an account's option positions.
pub const MAX_ACCOUNT_OPTIONS: usize = 8;

/// A short-option account: collateral and the premium received (both in the unit of
/// account, `≥ 0`) and up to `N` option positions on the book's underlying.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct OptionAccount<const N: usize = MAX_ACCOUNT_OPTIONS> {
    collateral: Wad,
    premium: Wad,
    positions: heapless::Vec<OptionPosition, N>,
}

impl<const N: usize> OptionAccount<N> {
    /// An account with no positions.
    ///
    /// Errors: [`Error::Invalid`] naming `collateral` or `premium` when negative.
    pub fn new(collateral: Wad, premium: Wad) -> Result<Self> {
        ensure(!collateral.is_negative(), "collateral", "must be ≥ 0")?;
        ensure(!premium.is_negative(), "premium", "must be ≥ 0")?;
        Ok(Self {
            collateral,
            premium,
            positions: heapless::Vec::new(),
        })
    }

    /// Adds a position.
    ///
    /// Errors: as [`OptionPosition::check`]; [`Error::Capacity`] naming `positions` when `N`
    /// are already held.
    pub fn push(&mut self, position: OptionPosition) -> Result<()> {
        position.check()?;
        self.positions
            .push(position)
            .map_err(|_| Error::capacity("positions", "the account has no room for another position"))
    }

    /// The collateral.
    #[must_use]
    pub const fn collateral(&self) -> Wad {
        self.collateral
    }

    /// The premium received, held as a first-loss buffer.
    #[must_use]
    pub const fn premium(&self) -> Wad {
        self.premium
    }

    /// The positions.
    #[must_use]
    pub fn positions(&self) -> &[OptionPosition] {
        &self.positions
    }
}

/// The joint shock: spot multiplier `m > 0` and additive volatility move `Δσ` (see the
/// module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Shock {
    /// The spot multiplier `m` (`0.7` = spot down 30 %).
    pub spot_shock: Wad,
    /// The volatility move `Δσ`, added to the volatility (`0.2` = twenty points up).
    pub vol_shock: Wad,
}

impl Shock {
    /// The shocked market: `S' = ⌊S·m⌋`, `σ' = σ + Δσ`, rate and yield unchanged.
    ///
    /// Errors: [`Error::Invalid`] naming `spot_shock` unless `m > 0` and `0 < S' <= 10^18`,
    /// `vol_shock` unless `0 < σ' <= 10`; [`Error::Overflow`].
    pub fn apply(&self, market: &GridMarket) -> Result<GridMarket> {
        ensure(self.spot_shock.is_positive(), "spot_shock", "must be > 0")?;
        let spot = market
            .spot
            .mul_floor(self.spot_shock)
            .map_err(|_| Error::invalid("spot_shock", "must keep the shocked spot in (0, 10^18]"))?;
        ensure(
            spot.is_positive() && spot <= MAX_PRICE,
            "spot_shock",
            "must keep the shocked spot in (0, 10^18]",
        )?;
        let vol = market
            .vol
            .add(self.vol_shock)
            .map_err(|_| Error::invalid("vol_shock", "must keep the shocked vol in (0, 10]"))?;
        ensure(
            vol.is_positive() && vol <= MAX_VOL,
            "vol_shock",
            "must keep the shocked vol in (0, 10]",
        )?;
        Ok(GridMarket { spot, vol, ..*market })
    }
}

/// How the maintenance requirement is decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MarginMethod {
    /// The standard margin: the sum of each short position's maintenance add-on, the
    /// maintenance beyond the option's value (longs add nothing).
    Standard(StandardMarginParams),
    /// The scenario grid over all of the account's positions: its requirement.
    Grid(GridParams),
}

/// One account after the shock.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct AccountStress {
    /// The options' net value: shorts rounded up less longs rounded down (negative when net long).
    pub liability: Wad,
    /// `collateral − liability`.
    pub equity: Wad,
    /// The maintenance requirement at the shocked market, beyond the options' value (the
    /// standard add-on, or the grid's worst loss).
    pub maintenance: Wad,
    /// `equity < maintenance`.
    pub liquidatable: bool,
    /// `max(0, liability − collateral)`.
    pub shortfall: Wad,
    /// Absorbed by the account's premium: `min(shortfall, premium)`.
    pub premium_absorbed: Wad,
    /// Left for the insurance fund: `shortfall − premium_absorbed`.
    pub to_insurance: Wad,
}

/// The book after the shock: the sums over its accounts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct BookStress {
    /// The shocked market.
    pub spot: Wad,
    /// The shocked volatility.
    pub vol: Wad,
    /// How many accounts are liquidatable.
    pub liquidatable: usize,
    /// `Σ shortfall`.
    pub shortfall: Wad,
    /// `Σ premium_absorbed` (never more than `Σ premium`).
    pub premium_absorbed: Wad,
    /// `Σ to_insurance`.
    pub to_insurance: Wad,
}

/// Revalues one account on the shocked market `shocked`.
///
/// Errors: as [`vega_shock`].
pub fn stress_account<const N: usize>(
    shocked: &GridMarket,
    method: &MarginMethod,
    account: &OptionAccount<N>,
) -> Result<AccountStress> {
    let mut liability = Wad::ZERO;
    let mut standard = Wad::ZERO;
    let mut grid: heapless::Vec<GridPosition, MAX_GRID_POSITIONS> = heapless::Vec::new();
    for p in account.positions() {
        let inputs = shocked.inputs(p.strike, p.t)?;
        if p.quantity.is_negative() {
            let size = p.quantity.abs()?;
            let v = price(p.kind, &inputs, Rounding::Ceil)?;
            liability = liability.add(size.mul_ceil(v)?)?;
            if let MarginMethod::Standard(params) = method {
                // The value is already in the liability: only the add-on beyond it counts.
                let m = params.margin(p.kind, &inputs, size, Some(v))?;
                standard = standard.add(m.maintenance_add_on)?;
            }
        } else {
            let v = price(p.kind, &inputs, Rounding::Floor)?;
            liability = liability.sub(p.quantity.mul_floor(v)?)?;
        }
        if let MarginMethod::Grid(_) = method {
            grid.push(GridPosition::from(*p)).map_err(|_| {
                Error::capacity(
                    "positions",
                    "the grid margins at most 16 positions (MAX_GRID_POSITIONS)",
                )
            })?;
        }
    }
    let maintenance = match method {
        MarginMethod::Standard(_) => standard,
        MarginMethod::Grid(params) if !grid.is_empty() => params.margin(shocked, &grid)?.requirement,
        MarginMethod::Grid(_) => Wad::ZERO,
    };
    let equity = account.collateral.sub(liability)?;
    let shortfall = liability.sub(account.collateral)?.max(Wad::ZERO);
    let mut buffer = Waterfall::new(WaterfallRaw {
        premium_buffer: account.premium,
        insurance_fund: Wad::ZERO,
        lender_deposits: Wad::ZERO,
    })?;
    let report = buffer.absorb(shortfall)?;
    Ok(AccountStress {
        liability,
        equity,
        maintenance,
        liquidatable: equity < maintenance,
        shortfall,
        premium_absorbed: report.premium,
        to_insurance: report.uncovered,
    })
}

/// Revalues the book `accounts` on `market` under `shock`, writes each account's result to
/// `out` (in order) and returns the totals (see the module docs for the formulas).
///
/// The standard margin's add-on is taken with the mark of the liability, the shocked model
/// price rounded up (it enters a put's `mm_floor·max(S, mark)`); the grid prices its
/// positions itself (up for shorts, down for longs).
///
/// Errors: [`Error::Capacity`] naming `out` when it is shorter than `accounts`; the fields of
/// [`BsInputs`](crate::options::BsInputs) for the market (`spot`, `vol`, `rate`, `yield`); as [`Shock::apply`]; as
/// [`StandardMarginParams::margin`] or [`GridParams::margin`] (`horizon` when a position
/// expires within the grid's horizon; [`Error::Capacity`] naming `positions` beyond
/// [`MAX_GRID_POSITIONS`]), except that a grid scenario's spot `S' ± d` outside
/// `(0, 10^18]` names `spot_shock` (the shocked spot is too close to a bound for the scan);
/// [`Error::Overflow`].
pub fn vega_shock<const N: usize>(
    market: &GridMarket,
    shock: &Shock,
    method: &MarginMethod,
    accounts: &[OptionAccount<N>],
    out: &mut [AccountStress],
) -> Result<BookStress> {
    if out.len() < accounts.len() {
        return Err(Error::capacity("out", "the output slice is shorter than the accounts"));
    }
    // The unshocked market must be a valid one (t and strike are checked per position).
    market.inputs(Wad::ONE, Wad::ONE)?;
    let shocked = shock.apply(market)?;
    let mut book = BookStress {
        spot: shocked.spot,
        vol: shocked.vol,
        ..BookStress::default()
    };
    for (account, slot) in accounts.iter().zip(out.iter_mut()) {
        // `shocked` is a valid market, so a `spot` out of range can only be one of the grid's
        // scenario spots `S' ± d`: the shock left no room for the scan.
        let s = stress_account(&shocked, method, account).map_err(|e| match e {
            Error::Invalid { what: "spot", .. } => Error::invalid(
                "spot_shock",
                "must leave room for the grid's price scan: a scenario spot falls outside (0, 10^18]",
            ),
            other => other,
        })?;
        if s.liquidatable {
            book.liquidatable = book.liquidatable.checked_add(1).ok_or(Error::Overflow)?;
        }
        book.shortfall = book.shortfall.add(s.shortfall)?;
        book.premium_absorbed = book.premium_absorbed.add(s.premium_absorbed)?;
        book.to_insurance = book.to_insurance.add(s.to_insurance)?;
        *slot = s;
    }
    Ok(book)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::{BsInputs, BsInputsRaw, OptionKind};

    use crate::test_support::w;

    fn market() -> GridMarket {
        GridMarket {
            spot: w("100"),
            vol: w("0.5"),
            rate: w("0"),
            yield_: w("0"),
        }
    }

    #[test]
    fn shock_applies_floor_and_additive_vol() {
        // S' = ⌊100 · 0.333333333333333333⌋ = 33.3333333333333333 (exact: 33.33…3300),
        // σ' = 0.5 + 0.1 = 0.6.
        let s = Shock {
            spot_shock: w("0.333333333333333333"),
            vol_shock: w("0.1"),
        }
        .apply(&market())
        .unwrap();
        assert_eq!((s.spot, s.vol), (w("33.3333333333333333"), w("0.6")));
        let bad = |m: &str, v: &str| {
            Shock {
                spot_shock: w(m),
                vol_shock: w(v),
            }
            .apply(&market())
        };
        assert_eq!(bad("0", "0"), Err(Error::invalid("spot_shock", "must be > 0")));
        assert_eq!(
            bad("1", "-0.5"),
            Err(Error::invalid("vol_shock", "must keep the shocked vol in (0, 10]"))
        );
        assert_eq!(
            bad("1", "9.6"),
            Err(Error::invalid("vol_shock", "must keep the shocked vol in (0, 10]"))
        );
    }

    #[test]
    fn collateral_covers_nothing_and_premium_absorbs_first() {
        // One short put, K = 100, q = −10, no collateral, premium 3. Liability = ⌈10·⌈P⌉⌉ > 0,
        // so the shortfall is the liability; the premium takes 3, the rest goes to the fund.
        let mut a: OptionAccount = OptionAccount::new(w("0"), w("3")).unwrap();
        a.push(OptionPosition::new(OptionKind::Put, w("100"), w("0.25"), w("-10")).unwrap())
            .unwrap();
        let shock = Shock {
            spot_shock: w("0.8"),
            vol_shock: w("0.2"),
        };
        let method = MarginMethod::Standard(StandardMarginParams::default());
        let mut out = [AccountStress::default(); 1];
        let book = vega_shock(&market(), &shock, &method, core::slice::from_ref(&a), &mut out).unwrap();
        let shocked = shock.apply(&market()).unwrap();
        let inputs = BsInputs::new(BsInputsRaw {
            spot: w("80"),
            strike: w("100"),
            vol: w("0.7"),
            t: w("0.25"),
            ..BsInputsRaw::default()
        })
        .unwrap();
        let p = price(OptionKind::Put, &inputs, Rounding::Ceil).unwrap();
        let liability = w("10").mul_ceil(p).unwrap();
        assert_eq!((shocked.spot, shocked.vol), (w("80"), w("0.7")));
        let s = out[0];
        assert_eq!(s.liability, liability);
        assert_eq!(s.shortfall, liability);
        assert_eq!(s.premium_absorbed, w("3"));
        assert_eq!(s.to_insurance, liability.sub(w("3")).unwrap());
        assert!(s.liquidatable);
        assert_eq!(book.liquidatable, 1);
        assert_eq!(book.premium_absorbed, w("3"));
    }

    #[test]
    fn standard_requirement_is_the_add_on_beyond_the_value() {
        // S = 100, σ = 0.5 shocked by (×1, −0.49): S' = 100, σ' = 0.01, r = y = 0, t = 0.01.
        // Deep in the money at σ'√t = 0.001 the time value is far below 1e-18
        // (d ≈ ln 2 / 0.001 ≈ 693 for both options below), so each price rounded up is its
        // intrinsic value plus one ulp:
        //   call K = 50:  ⌈C⌉ = 50.000000000000000001,  short 2: liability ⌈2·⌈C⌉⌉ = 100.000000000000000002;
        //                 add-on: OTM = max(50 − 100, 0) = 0, MM − mark = max(⌈0.075·100⌉ − 0,
        //                 ⌈0.075·100⌉) = 7.5, ×2 = 15.
        //   put K = 200:  ⌈P⌉ = 100.000000000000000001, short 1: liability 100.000000000000000001;
        //                 add-on: OTM = max(100 − 200, 0) = 0, MM − mark = max(7.5,
        //                 ⌈0.075·max(100, 100.000000000000000001)⌉ = ⌈7.500000000000000000075⌉)
        //                 = 7.500000000000000001 (the mark decides the put's floor).
        // At the boundary collateral = liability + add-on: equity = add-on = maintenance, not
        // liquidatable; one ulp less is. (Counting the full MM = add-on + mark would demand
        // the value twice: 115.000000000000000002 of requirement against an equity of 15.)
        let shock = Shock {
            spot_shock: w("1"),
            vol_shock: w("-0.49"),
        };
        let call = OptionPosition::new(OptionKind::Call, w("50"), w("0.01"), w("-2")).unwrap();
        let put = OptionPosition::new(OptionKind::Put, w("200"), w("0.01"), w("-1")).unwrap();
        let account = |collateral: &str, p: OptionPosition| {
            let mut a: OptionAccount = OptionAccount::new(w(collateral), w("0")).unwrap();
            a.push(p).unwrap();
            a
        };
        let book = [
            account("115.000000000000000002", call),
            account("115.000000000000000001", call),
            account("107.500000000000000002", put),
            account("107.500000000000000001", put),
        ];
        let method = MarginMethod::Standard(StandardMarginParams::default());
        let mut out = [AccountStress::default(); 4];
        let totals = vega_shock(&market(), &shock, &method, &book, &mut out).unwrap();
        let row = |s: &AccountStress| (s.liability, s.equity, s.maintenance, s.liquidatable);
        assert_eq!(row(&out[0]), (w("100.000000000000000002"), w("15"), w("15"), false));
        assert_eq!(
            row(&out[1]),
            (w("100.000000000000000002"), w("14.999999999999999999"), w("15"), true)
        );
        assert_eq!(
            row(&out[2]),
            (
                w("100.000000000000000001"),
                w("7.500000000000000001"),
                w("7.500000000000000001"),
                false
            )
        );
        assert_eq!(
            row(&out[3]),
            (w("100.000000000000000001"), w("7.5"), w("7.500000000000000001"), true)
        );
        assert_eq!(totals.liquidatable, 2);
        assert!(out.iter().all(|s| s.shortfall == Wad::ZERO));
    }

    #[test]
    fn grid_scan_beyond_the_price_range_names_the_shock() {
        // S' = ⌊10^18 · 1⌋ = 10^18 is a valid spot, but the grid's first up-scenario
        // S' + ⌈10^18 · 0.15/3⌉ = 1.05·10^18 is beyond 10^18.
        let top = GridMarket {
            spot: w("1000000000000000000"),
            ..market()
        };
        let method = MarginMethod::Grid(
            GridParams::new(crate::options::GridRaw {
                price_scan: w("0.15"),
                vol_scan: w("0.25"),
                steps: 3,
                extreme_multiple: 3,
                extreme_fraction: w("0.35"),
                horizon: w("0"),
                short_minimum: w("0"),
            })
            .unwrap(),
        );
        let mut a: OptionAccount = OptionAccount::new(w("1"), w("0")).unwrap();
        a.push(OptionPosition::new(OptionKind::Put, w("100"), w("1"), w("-1")).unwrap())
            .unwrap();
        let none = Shock {
            spot_shock: w("1"),
            vol_shock: w("0"),
        };
        let mut out = [AccountStress::default(); 1];
        assert_eq!(
            vega_shock(&top, &none, &method, core::slice::from_ref(&a), &mut out),
            Err(Error::invalid(
                "spot_shock",
                "must leave room for the grid's price scan: a scenario spot falls outside (0, 10^18]"
            ))
        );
        // stress_account alone reports the grid's own name.
        assert_eq!(
            stress_account(&top, &method, &a),
            Err(Error::invalid("spot", "must be in (0, 10^18]"))
        );
    }

    #[test]
    fn empty_account_and_capacity() {
        let a: OptionAccount<1> = OptionAccount::new(w("5"), w("1")).unwrap();
        let shock = Shock {
            spot_shock: w("1"),
            vol_shock: w("0"),
        };
        let method = MarginMethod::Standard(StandardMarginParams::default());
        let mut out = [AccountStress::default(); 1];
        let book = vega_shock(&market(), &shock, &method, core::slice::from_ref(&a), &mut out).unwrap();
        assert_eq!(book.liquidatable, 0);
        assert_eq!(out[0].equity, w("5"));
        assert_eq!(out[0].shortfall, Wad::ZERO);
        assert_eq!(
            vega_shock(&market(), &shock, &method, &[a.clone(), a], &mut out),
            Err(Error::capacity("out", "the output slice is shorter than the accounts"))
        );
        let mut one: OptionAccount<1> = OptionAccount::new(w("0"), w("0")).unwrap();
        let p = OptionPosition::new(OptionKind::Call, w("1"), w("1"), w("-1")).unwrap();
        one.push(p).unwrap();
        assert_eq!(
            one.push(p),
            Err(Error::capacity(
                "positions",
                "the account has no room for another position"
            ))
        );
        assert_eq!(
            OptionPosition::new(OptionKind::Call, w("1"), w("1"), w("0")),
            Err(Error::invalid("quantity", "must not be 0"))
        );
        assert_eq!(
            OptionAccount::<1>::new(w("-1"), w("0")),
            Err(Error::invalid("collateral", "must be ≥ 0"))
        );
    }
}
