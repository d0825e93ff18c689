//! The parameters and prices that an account's positions refer to by index.

use crate::oracle::OraclePrice;
use crate::{Error, Result};

use super::{PerpParams, TokenParams};

/// What health needs besides the account: the parameters and the oracle price of every token
/// and perp market, indexed as the positions refer to them. Borrowed, so a program can keep
/// them wherever it likes (accounts of a Solana program, a cascade's slices).
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    tokens: &'a [TokenParams],
    token_prices: &'a [OraclePrice],
    perps: &'a [PerpParams],
    perp_prices: &'a [OraclePrice],
}

impl<'a> Context<'a> {
    /// A context of tokens and perp markets with their prices.
    ///
    /// Errors: [`Error::Invalid`] naming `token_prices` (or `perp_prices`) when it does not
    /// have one price per token (per market), or `tokens` (`perps`) when there are more than
    /// `u16::MAX + 1` of them.
    pub fn new(
        tokens: &'a [TokenParams],
        token_prices: &'a [OraclePrice],
        perps: &'a [PerpParams],
        perp_prices: &'a [OraclePrice],
    ) -> Result<Self> {
        if tokens.len() > usize::from(u16::MAX).saturating_add(1) {
            return Err(Error::Invalid { what: "tokens" });
        }
        if perps.len() > usize::from(u16::MAX).saturating_add(1) {
            return Err(Error::Invalid { what: "perps" });
        }
        if token_prices.len() != tokens.len() {
            return Err(Error::Invalid { what: "token_prices" });
        }
        if perp_prices.len() != perps.len() {
            return Err(Error::Invalid { what: "perp_prices" });
        }
        Ok(Self {
            tokens,
            token_prices,
            perps,
            perp_prices,
        })
    }

    /// A context of tokens only.
    ///
    /// Errors: as [`Context::new`].
    pub fn tokens(tokens: &'a [TokenParams], prices: &'a [OraclePrice]) -> Result<Self> {
        Self::new(tokens, prices, &[], &[])
    }

    /// The parameters and price of `token`.
    ///
    /// Errors: [`Error::Invalid`] naming `token` when there is no such token.
    pub fn token(&self, token: u16) -> Result<(&'a TokenParams, OraclePrice)> {
        let i = usize::from(token);
        match (self.tokens.get(i), self.token_prices.get(i)) {
            (Some(p), Some(price)) => Ok((p, *price)),
            _ => Err(Error::Invalid { what: "token" }),
        }
    }

    /// The parameters and price of perp `market`.
    ///
    /// Errors: [`Error::Invalid`] naming `market` when there is no such market.
    pub fn perp(&self, market: u16) -> Result<(&'a PerpParams, OraclePrice)> {
        let i = usize::from(market);
        match (self.perps.get(i), self.perp_prices.get(i)) {
            (Some(p), Some(price)) => Ok((p, *price)),
            _ => Err(Error::Invalid { what: "market" }),
        }
    }
}
