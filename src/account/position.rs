//! An account: a bounded list of token balances, perp positions and option positions.

use heapless::Vec;

use crate::{Error, Result, Wad};

/// The default number of positions an account holds (Mango v4 accounts hold up to 8 tokens
/// and 8 perp markets by default).
pub const DEFAULT_POSITIONS: usize = 16;

/// One position of an account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
pub enum Position {
    /// A token balance: positive is a deposit (an asset), negative a borrow (a liability).
    Token {
        /// The token's index in the [`Context`](super::Context).
        token: u16,
        /// The balance, in tokens.
        balance: Wad,
    },
    /// A perpetual-futures position.
    Perp {
        /// The market's index in the [`Context`](super::Context).
        market: u16,
        /// The base size: positive long, negative short.
        base: Wad,
        /// The quote balance (unsettled profit and loss, in the unit of account).
        quote: Wad,
    },
    /// An option position (see [`OptionParams`](super::OptionParams) for how it counts).
    Option {
        /// The series' index in the [`Context`](super::Context).
        series: u16,
        /// The quantity, in units of the underlying: positive long, negative short.
        quantity: Wad,
    },
}

/// Whether two positions are in the same token, perp market or option series.
const fn same_slot(a: &Position, b: &Position) -> bool {
    match (*a, *b) {
        (Position::Token { token: x, .. }, Position::Token { token: y, .. }) => x == y,
        (Position::Perp { market: x, .. }, Position::Perp { market: y, .. }) => x == y,
        (Position::Option { series: x, .. }, Position::Option { series: y, .. }) => x == y,
        _ => false,
    }
}

/// An account: at most `N` positions, at most one per token, one per perp market and one per
/// option series.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "AccountRaw<N>"))]
pub struct Account<const N: usize = DEFAULT_POSITIONS> {
    positions: Vec<Position, N>,
}

/// The unchecked wire form of an [`Account`]: deserializing rejects a second position in the
/// same token or market.
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct AccountRaw<const N: usize> {
    positions: Vec<Position, N>,
}

#[cfg(feature = "serde")]
impl<const N: usize> TryFrom<AccountRaw<N>> for Account<N> {
    type Error = Error;

    fn try_from(raw: AccountRaw<N>) -> Result<Self> {
        let mut account = Self::new();
        for p in raw.positions {
            account.open(p)?;
        }
        Ok(account)
    }
}

impl<const N: usize> Account<N> {
    /// An account with no positions.
    #[must_use]
    pub const fn new() -> Self {
        Self { positions: Vec::new() }
    }

    /// The positions, in the order they were opened.
    #[must_use]
    pub fn positions(&self) -> &[Position] {
        &self.positions
    }

    /// The balance of `token` (zero when the account has no such position).
    #[must_use]
    pub fn token_balance(&self, token: u16) -> Wad {
        self.positions
            .iter()
            .find_map(|p| match *p {
                Position::Token { token: t, balance } if t == token => Some(balance),
                _ => None,
            })
            .unwrap_or(Wad::ZERO)
    }

    /// The `(base, quote)` of perp `market` (zeros when the account has no such position).
    #[must_use]
    pub fn perp(&self, market: u16) -> (Wad, Wad) {
        self.positions
            .iter()
            .find_map(|p| match *p {
                Position::Perp { market: m, base, quote } if m == market => Some((base, quote)),
                _ => None,
            })
            .unwrap_or((Wad::ZERO, Wad::ZERO))
    }

    /// The quantity held of option `series` (zero when the account has no such position).
    #[must_use]
    pub fn option(&self, series: u16) -> Wad {
        self.positions
            .iter()
            .find_map(|p| match *p {
                Position::Option { series: s, quantity } if s == series => Some(quantity),
                _ => None,
            })
            .unwrap_or(Wad::ZERO)
    }

    /// Sets the balance of `token`, opening the position if needed (a zero balance keeps an
    /// existing position at zero and opens none).
    ///
    /// Errors: [`Error::Capacity`] naming `positions` when a new position does not fit.
    pub fn set_token(&mut self, token: u16, balance: Wad) -> Result<()> {
        self.put(Position::Token { token, balance }, balance.is_zero())
    }

    /// Sets the perp position in `market`, opening it if needed (zeros open none).
    ///
    /// Errors: [`Error::Capacity`] naming `positions` when a new position does not fit.
    pub fn set_perp(&mut self, market: u16, base: Wad, quote: Wad) -> Result<()> {
        self.put(
            Position::Perp { market, base, quote },
            base.is_zero() && quote.is_zero(),
        )
    }

    /// Sets the quantity of option `series`, opening the position if needed (zero opens none).
    ///
    /// Errors: [`Error::Capacity`] naming `positions` when a new position does not fit.
    pub fn set_option(&mut self, series: u16, quantity: Wad) -> Result<()> {
        self.put(Position::Option { series, quantity }, quantity.is_zero())
    }

    /// Replaces the position in `position`'s token, market or series, or opens it unless it
    /// is `empty`.
    fn put(&mut self, position: Position, empty: bool) -> Result<()> {
        if let Some(p) = self.positions.iter_mut().find(|p| same_slot(p, &position)) {
            *p = position;
            return Ok(());
        }
        if empty {
            return Ok(());
        }
        self.positions
            .push(position)
            .map_err(|_| Error::capacity("positions", "the account has no room for another position"))
    }

    /// Opens `position` as a new position.
    ///
    /// Errors: [`Error::Invalid`] naming `positions` when the account already has a position
    /// in that token, market or series; [`Error::Capacity`] naming `positions` when it is full.
    pub fn open(&mut self, position: Position) -> Result<()> {
        if self.positions.iter().any(|p| same_slot(p, &position)) {
            return Err(Error::invalid(
                "positions",
                "the account already has a position in that token, market or series",
            ));
        }
        self.positions
            .push(position)
            .map_err(|_| Error::capacity("positions", "the account has no room for another position"))
    }

    /// Adds `delta` to the balance of `token` (checked).
    ///
    /// Errors: [`Error::Overflow`]; [`Error::Capacity`] as [`Account::set_token`].
    pub fn add_token(&mut self, token: u16, delta: Wad) -> Result<()> {
        let balance = self.token_balance(token).add(delta)?;
        self.set_token(token, balance)
    }
}
