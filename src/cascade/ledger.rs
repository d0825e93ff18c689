//! A venue's books: a double-entry [`Ledger`] of its collateral and debt whose every flow moves
//! its running balance with it, and the [`Conservation`] check of the books against the
//! accounts.

use crate::liquidation::WaterfallReport;
use crate::{Result, Wad};

use super::borrower::Borrower;

/// A venue's running accounts of collateral and debt. Each flow is booked by one operation
/// that moves the flow's counter and the running balance together ([`open`](Self::open),
/// [`liquidation`](Self::liquidation), [`bankruptcy`](Self::bankruptcy),
/// [`top_up_collateral`](Self::top_up_collateral), [`top_up_quote`](Self::top_up_quote),
/// [`trader_sale`](Self::trader_sale)), so that at every block end:
///
/// - `collateral_initial + collateral_topped_up − collateral_seized − collateral_sold`
///   `= collateral = Σ accounts' collateral`;
/// - `debt_initial − debt_repaid_liquidations − debt_repaid_traders − debt_topped_up`
///   `− (debt_written_off − option_value_written_off) − option_units_written_off`
///   `= debt = Σ accounts' debt` (an options venue counts its debt in option units and
///   writes off their value: the two option terms are zero for lending and perp venues);
/// - `debt_written_off = waterfall.bad_debt = premium + insurance + socialized + uncovered`.
///
/// [`conservation`](Self::conservation) checks the three against the accounts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Ledger {
    /// Collateral of every account when the run started.
    pub collateral_initial: Wad,
    /// The lenders' deposits when the run started (the base of the run's haircut; the
    /// scenario's `waterfall.lender_deposits`).
    #[cfg_attr(feature = "serde", serde(skip))]
    pub lender_deposits: Wad,
    /// Collateral traders added (top-ups of a lending venue).
    pub collateral_topped_up: Wad,
    /// Collateral liquidations took (to the liquidators and the protocol).
    pub collateral_seized: Wad,
    /// The protocol's fee out of it.
    pub collateral_protocol_fee: Wad,
    /// Collateral traders sold themselves.
    pub collateral_sold: Wad,
    /// Debt of every account when the run started.
    pub debt_initial: Wad,
    /// Debt repaid by liquidations.
    pub debt_repaid_liquidations: Wad,
    /// Debt repaid by traders out of their sales.
    pub debt_repaid_traders: Wad,
    /// Debt repaid by top-ups in quote (a perpetuals venue).
    pub debt_topped_up: Wad,
    /// Debt written off as bad debt.
    pub debt_written_off: Wad,
    /// What traders' sales fetched beyond their debt (it left the system).
    pub trader_surplus: Wad,
    /// Liquidations executed.
    pub liquidations: u64,
    /// Bankruptcies settled.
    pub bankruptcies: u64,
    /// The waterfall's layers, summed over every bankruptcy; its `haircut` is the run's (see
    /// [`bankruptcy`](Self::bankruptcy)).
    pub waterfall: WaterfallReport,
    /// Collateral of every account now.
    pub collateral: Wad,
    /// Debt of every account now.
    pub debt: Wad,
    /// Option units (an options venue's debt) cleared by bankruptcies; absent when zero.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "is_zero"))]
    pub option_units_written_off: Wad,
    /// Their value at the settlement price, `⌈q · ⌈V⌉⌉` each, the part of `debt_written_off`
    /// they make up; absent when zero.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "is_zero"))]
    pub option_value_written_off: Wad,
}

/// Whether `w` is zero (serde's `skip_serializing_if` takes a reference).
#[cfg(feature = "serde")]
#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_zero(w: &Wad) -> bool {
    w.is_zero()
}

/// What one liquidation moved, as the books see it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Liquidated {
    /// Debt the account no longer owes (repaid, or the quote it received for a perp).
    pub repaid: Wad,
    /// Collateral (base) that left the account.
    pub seized: Wad,
    /// The protocol's part of it (lending); zero for a perp, whose fee is in quote.
    pub protocol_collateral: Wad,
}

impl Ledger {
    /// The books of a venue opening with `accounts`, whose losses are socialised across
    /// `lender_deposits`: every balance is its initial one.
    ///
    /// Errors: [`Error::Overflow`](crate::Error::Overflow).
    pub fn open(accounts: &[Borrower], lender_deposits: Wad) -> Result<Self> {
        let (collateral, debt) = totals(accounts)?;
        Ok(Self {
            collateral_initial: collateral,
            debt_initial: debt,
            lender_deposits,
            collateral,
            debt,
            ..Self::default()
        })
    }

    /// Books a liquidation: `repaid` leaves the debt, `seized` the collateral.
    ///
    /// Errors: [`Error::Overflow`](crate::Error::Overflow); on an error nothing changes.
    pub fn liquidation(&mut self, l: &Liquidated) -> Result<()> {
        let mut next = *self;
        next.liquidations = next.liquidations.saturating_add(1);
        next.debt_repaid_liquidations = next.debt_repaid_liquidations.add(l.repaid)?;
        next.collateral_seized = next.collateral_seized.add(l.seized)?;
        next.collateral_protocol_fee = next.collateral_protocol_fee.add(l.protocol_collateral)?;
        next.collateral = next.collateral.sub(l.seized)?;
        next.debt = next.debt.sub(l.repaid)?;
        *self = next;
        Ok(())
    }

    /// Books a bankruptcy settled down the waterfall: its bad debt is written off, and each
    /// layer's share is added to the run's waterfall. The run's haircut is what the lenders
    /// have lost so far, `⌈Σ socialized / lender_deposits⌉` over their deposits when the run
    /// started, rounded up (each lender loses at least its share); zero while nothing is
    /// socialised. (One bankruptcy's own haircut is over the deposits left before it.)
    ///
    /// Errors: [`Error::Overflow`](crate::Error::Overflow); on an error nothing changes.
    pub fn bankruptcy(&mut self, r: &WaterfallReport) -> Result<()> {
        let mut next = *self;
        next.bankruptcies = next.bankruptcies.saturating_add(1);
        next.debt_written_off = next.debt_written_off.add(r.bad_debt)?;
        next.debt = next.debt.sub(r.bad_debt)?;
        let w = &mut next.waterfall;
        w.bad_debt = w.bad_debt.add(r.bad_debt)?;
        w.premium = w.premium.add(r.premium)?;
        w.insurance = w.insurance.add(r.insurance)?;
        w.socialized = w.socialized.add(r.socialized)?;
        w.uncovered = w.uncovered.add(r.uncovered)?;
        w.haircut = if w.socialized.is_zero() {
            Wad::ZERO
        } else {
            w.socialized.div_ceil(next.lender_deposits)?
        };
        *self = next;
        Ok(())
    }

    /// Books a bankruptcy of an options venue's account: as [`bankruptcy`](Self::bankruptcy),
    /// but the debt falls by the `units` short it cleared (its value `r.bad_debt` is written
    /// off down the waterfall). With `units` zero it is [`bankruptcy`](Self::bankruptcy).
    ///
    /// Errors: [`Error::Overflow`](crate::Error::Overflow); on an error nothing changes.
    pub fn bankruptcy_of(&mut self, r: &WaterfallReport, units: Wad) -> Result<()> {
        if units.is_zero() {
            return self.bankruptcy(r);
        }
        let mut next = *self;
        // The value is written off, the units leave the debt.
        next.bankruptcy(r)?;
        next.debt = next.debt.add(r.bad_debt)?.sub(units)?;
        next.option_units_written_off = next.option_units_written_off.add(units)?;
        next.option_value_written_off = next.option_value_written_off.add(r.bad_debt)?;
        *self = next;
        Ok(())
    }

    /// A trader adds `add` collateral to `account` (a lending venue's top-up).
    ///
    /// Errors: [`Error::Overflow`](crate::Error::Overflow); on an error nothing changes.
    pub fn top_up_collateral(&mut self, account: &mut Borrower, add: Wad) -> Result<()> {
        let collateral = account.collateral.add(add)?;
        let mut next = *self;
        next.collateral_topped_up = next.collateral_topped_up.add(add)?;
        next.collateral = next.collateral.add(add)?;
        account.collateral = collateral;
        *self = next;
        Ok(())
    }

    /// A trader pays `quote` of `account`'s debt from outside (a perpetuals venue's top-up).
    ///
    /// Errors: [`Error::Overflow`](crate::Error::Overflow); on an error nothing changes.
    pub fn top_up_quote(&mut self, account: &mut Borrower, quote: Wad) -> Result<()> {
        let debt = account.debt.sub(quote)?;
        let mut next = *self;
        next.debt_topped_up = next.debt_topped_up.add(quote)?;
        next.debt = next.debt.sub(quote)?;
        account.debt = debt;
        *self = next;
        Ok(())
    }

    /// A trader sold `sold` of `account`'s collateral for `proceeds` and repays
    /// `min(proceeds, debt)` of its debt; the surplus leaves the system. Returns the repay.
    ///
    /// Errors: [`Error::Overflow`](crate::Error::Overflow); on an error nothing changes.
    pub fn trader_sale(&mut self, account: &mut Borrower, sold: Wad, proceeds: Wad) -> Result<Wad> {
        let repay = proceeds.min(account.debt.max(Wad::ZERO));
        let collateral = account.collateral.sub(sold)?;
        let debt = account.debt.sub(repay)?;
        let mut next = *self;
        next.collateral_sold = next.collateral_sold.add(sold)?;
        next.collateral = next.collateral.sub(sold)?;
        next.debt_repaid_traders = next.debt_repaid_traders.add(repay)?;
        next.debt = next.debt.sub(repay)?;
        next.trader_surplus = next.trader_surplus.add(proceeds.sub(repay)?)?;
        account.collateral = collateral;
        account.debt = debt;
        *self = next;
        Ok(repay)
    }

    /// The three identities checked against `accounts` (see [`Conservation`]).
    ///
    /// Errors: [`Error::Overflow`](crate::Error::Overflow).
    pub fn conservation(&self, accounts: &[Borrower]) -> Result<Conservation> {
        let (collateral, debt) = totals(accounts)?;
        Conservation::check(self, collateral, debt)
    }
}

/// `(Σ collateral, Σ debt)` of `accounts`.
///
/// Errors: [`Error::Overflow`](crate::Error::Overflow).
pub fn totals(accounts: &[Borrower]) -> Result<(Wad, Wad)> {
    accounts.iter().try_fold((Wad::ZERO, Wad::ZERO), |(c, d), a| {
        Ok((c.add(a.collateral)?, d.add(a.debt)?))
    })
}

/// A ledger's three conservation identities (see [`Ledger`]), each zero when it balances, else
/// the discrepancy (left side minus right side).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Conservation {
    /// `collateral_initial + collateral_topped_up − collateral_seized − collateral_sold − Σ collateral`.
    pub collateral: Wad,
    /// `debt_initial − debt_repaid_liquidations − debt_repaid_traders − debt_topped_up −
    /// (debt_written_off − option_value_written_off) − option_units_written_off − Σ debt`.
    pub debt: Wad,
    /// `debt_written_off − (premium + insurance + socialized + uncovered)`.
    pub waterfall: Wad,
}

impl Conservation {
    /// Checks `l` against the accounts' sums `collateral` and `debt`.
    ///
    /// Errors: [`Error::Overflow`](crate::Error::Overflow).
    pub fn check(l: &Ledger, collateral: Wad, debt: Wad) -> Result<Self> {
        let c = l
            .collateral_initial
            .add(l.collateral_topped_up)?
            .sub(l.collateral_seized)?
            .sub(l.collateral_sold)?
            .sub(collateral)?;
        let d = l
            .debt_initial
            .sub(l.debt_repaid_liquidations)?
            .sub(l.debt_repaid_traders)?
            .sub(l.debt_topped_up)?
            .sub(l.debt_written_off)?
            .add(l.option_value_written_off)?
            .sub(l.option_units_written_off)?
            .sub(debt)?;
        let w = &l.waterfall;
        let layers = w.premium.add(w.insurance)?.add(w.socialized)?.add(w.uncovered)?;
        Ok(Self {
            collateral: c,
            debt: d,
            waterfall: l.debt_written_off.sub(layers)?,
        })
    }

    /// Whether every identity holds exactly.
    #[must_use]
    pub fn balanced(&self) -> bool {
        self.collateral.is_zero() && self.debt.is_zero() && self.waterfall.is_zero()
    }
}
