//! Bankruptcy: the debt nobody can cover, and the loss waterfall that absorbs it.

use crate::account::{Account, Context, OptionPricing, Position};
use crate::{Error, Result, Wad};

/// The layers that absorb bad debt, in order: option sellers' premium buffer, the insurance
/// fund, then a loss socialised across the lenders as a haircut on their deposits. All in
/// the unit of account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "WaterfallRaw", into = "WaterfallRaw"))]
pub struct Waterfall {
    raw: WaterfallRaw,
}

/// The fields of a [`Waterfall`], unchecked; each must be `≥ 0`. On the wire each defaults to
/// 0 ([`WaterfallRaw::default`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct WaterfallRaw {
    /// Premium collected by option sellers and held as a first-loss buffer.
    pub premium_buffer: Wad,
    /// The insurance fund.
    pub insurance_fund: Wad,
    /// The lenders' deposits across which a remaining loss is socialised.
    pub lender_deposits: Wad,
}

/// How one bad debt went down the waterfall. The layers sum to the bad debt exactly:
/// `premium + insurance + socialized + uncovered == bad_debt`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct WaterfallReport {
    /// The loss to absorb.
    pub bad_debt: Wad,
    /// Absorbed by the premium buffer.
    pub premium: Wad,
    /// Absorbed by the insurance fund.
    pub insurance: Wad,
    /// Socialised across the lenders.
    pub socialized: Wad,
    /// Beyond every layer (the lenders' deposits ran out): the protocol is insolvent by this much.
    pub uncovered: Wad,
    /// The lenders' haircut, `socialized / lender_deposits` before the loss, rounded up (each
    /// lender loses at least its share); zero when nothing is socialised.
    pub haircut: Wad,
}

impl Waterfall {
    /// Validates and builds a waterfall.
    ///
    /// Errors: [`Error::Invalid`] naming the first negative field.
    pub fn new(raw: WaterfallRaw) -> Result<Self> {
        for (value, what) in [
            (raw.premium_buffer, "premium_buffer"),
            (raw.insurance_fund, "insurance_fund"),
            (raw.lender_deposits, "lender_deposits"),
        ] {
            if value.is_negative() {
                return Err(Error::invalid(what, "must be ≥ 0"));
            }
        }
        Ok(Self { raw })
    }

    /// What is left in each layer.
    #[must_use]
    pub const fn raw(&self) -> WaterfallRaw {
        self.raw
    }

    /// Absorbs `bad_debt` layer by layer, each taking as much as it holds, and draws the
    /// layers down. On error nothing changes.
    ///
    /// Errors: [`Error::Invalid`] naming `bad_debt` when it is negative.
    pub fn absorb(&mut self, bad_debt: Wad) -> Result<WaterfallReport> {
        if bad_debt.is_negative() {
            return Err(Error::invalid("bad_debt", "must be ≥ 0"));
        }
        let premium = bad_debt.min(self.raw.premium_buffer);
        let rest = bad_debt.sub(premium)?;
        let insurance = rest.min(self.raw.insurance_fund);
        let rest = rest.sub(insurance)?;
        let socialized = rest.min(self.raw.lender_deposits);
        let uncovered = rest.sub(socialized)?;
        let haircut = if socialized.is_zero() {
            Wad::ZERO
        } else {
            socialized.div_ceil(self.raw.lender_deposits)?
        };
        self.raw = WaterfallRaw {
            premium_buffer: self.raw.premium_buffer.sub(premium)?,
            insurance_fund: self.raw.insurance_fund.sub(insurance)?,
            lender_deposits: self.raw.lender_deposits.sub(socialized)?,
        };
        Ok(WaterfallReport {
            bad_debt,
            premium,
            insurance,
            socialized,
            uncovered,
            haircut,
        })
    }
}

impl TryFrom<WaterfallRaw> for Waterfall {
    type Error = Error;

    fn try_from(raw: WaterfallRaw) -> Result<Self> {
        Self::new(raw)
    }
}

impl From<Waterfall> for WaterfallRaw {
    fn from(w: Waterfall) -> Self {
        w.raw
    }
}

/// Whether `account` is bankrupt: it has no asset left (no deposit, no perp base, no positive
/// perp quote, no long option) and still owes something.
#[must_use]
pub fn is_bankrupt<const N: usize>(account: &Account<N>) -> bool {
    let mut owes = false;
    for p in account.positions() {
        match *p {
            Position::Token { balance, .. } => {
                if balance.is_positive() {
                    return false;
                }
                owes |= balance.is_negative();
            }
            Position::Perp { base, quote, .. } => {
                if !base.is_zero() || quote.is_positive() {
                    return false;
                }
                owes |= quote.is_negative();
            }
            Position::Option { quantity, .. } => {
                if quantity.is_positive() {
                    return false;
                }
                owes |= quantity.is_negative();
            }
        }
    }
    owes
}

/// The bad debt of a bankrupt account: every borrow at the oracle price, `⌈|balance| · price⌉`,
/// plus every negative perp quote, plus every short option's value at the oracle price
/// ([`option_owed`](crate::account::option_owed): `⌈|q| · ⌈V⌉⌉`), rounded up (the loss recognised is never less than the
/// loss there is).
///
/// Errors: [`Error::Invalid`] naming `account` when it is not bankrupt; as the context.
pub fn bad_debt<const N: usize, O: OptionPricing>(account: &Account<N>, ctx: &Context<'_, O>) -> Result<Wad> {
    if !is_bankrupt(account) {
        return Err(Error::invalid(
            "account",
            "is not bankrupt: it must have no asset left and still owe something",
        ));
    }
    let mut total = Wad::ZERO;
    for p in account.positions() {
        let owed = match *p {
            Position::Token { token, balance } => balance.abs()?.mul_ceil(ctx.token(token)?.1.price())?,
            Position::Perp { quote, .. } => quote.abs()?,
            Position::Option { series, quantity } => ctx.option_owed(series, quantity)?,
        };
        total = total.add(owed)?;
    }
    Ok(total)
}

/// Settles a bankrupt account: its bad debt goes down `waterfall` and every liability of the
/// account is written off (set to zero). On error neither changes.
///
/// Errors: as [`bad_debt`].
pub fn settle_bankruptcy<const N: usize, O: OptionPricing>(
    account: &mut Account<N>,
    ctx: &Context<'_, O>,
    waterfall: &mut Waterfall,
) -> Result<WaterfallReport> {
    let loss = bad_debt(account, ctx)?;
    let mut next = *waterfall;
    let report = next.absorb(loss)?;
    let mut cleared: Account<N> = Account::new();
    // Keep the positions (now zero) so an observer sees what was written off.
    for p in account.positions() {
        let zeroed = match *p {
            Position::Token { token, .. } => Position::Token {
                token,
                balance: Wad::ZERO,
            },
            Position::Perp { market, .. } => Position::Perp {
                market,
                base: Wad::ZERO,
                quote: Wad::ZERO,
            },
            Position::Option { series, .. } => Position::Option {
                series,
                quantity: Wad::ZERO,
            },
        };
        cleared.open(zeroed)?;
    }
    *account = cleared;
    *waterfall = next;
    Ok(report)
}
