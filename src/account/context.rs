//! The parameters and prices that an account's positions refer to by index.

use crate::oracle::OraclePrice;
use crate::{Error, Result};

use super::{OptionMark, OptionParams, PerpParams, TokenParams};

/// What health needs besides the account: the parameters and the oracle price of every token
/// and perp market, indexed as the positions refer to them. Borrowed, so a program can keep
/// them wherever it likes (accounts of a Solana program, a cascade's slices).
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    tokens: &'a [TokenParams],
    token_prices: &'a [OraclePrice],
    perps: &'a [PerpParams],
    perp_prices: &'a [OraclePrice],
    options: &'a [OptionParams],
    option_marks: &'a [OptionMark],
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
            return Err(Error::invalid(
                "tokens",
                "at most 65,536 tokens (a token index is a u16)",
            ));
        }
        if perps.len() > usize::from(u16::MAX).saturating_add(1) {
            return Err(Error::invalid(
                "perps",
                "at most 65,536 perp markets (a market index is a u16)",
            ));
        }
        if token_prices.len() != tokens.len() {
            return Err(Error::invalid("token_prices", "must hold one price per token"));
        }
        if perp_prices.len() != perps.len() {
            return Err(Error::invalid("perp_prices", "must hold one price per perp market"));
        }
        Ok(Self {
            tokens,
            token_prices,
            perps,
            perp_prices,
            options: &[],
            option_marks: &[],
        })
    }

    /// This context with option series and the market data each is marked at.
    ///
    /// Errors: [`Error::Invalid`] naming `options` when there are more than `u16::MAX + 1`
    /// series, `option_marks` when it does not have one mark per series, `underlying` when a
    /// series' underlying is not one of the tokens.
    pub fn with_options(self, options: &'a [OptionParams], option_marks: &'a [OptionMark]) -> Result<Self> {
        if options.len() > usize::from(u16::MAX).saturating_add(1) {
            return Err(Error::invalid(
                "options",
                "at most 65,536 option series (a series index is a u16)",
            ));
        }
        if option_marks.len() != options.len() {
            return Err(Error::invalid("option_marks", "must hold one mark per option series"));
        }
        if options.iter().any(|o| usize::from(o.underlying()) >= self.tokens.len()) {
            return Err(Error::invalid("underlying", "must be the index of one of the tokens"));
        }
        Ok(Self {
            options,
            option_marks,
            ..self
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
            _ => Err(Error::invalid("token", "must be the index of one of the tokens")),
        }
    }

    /// The parameters and market data of option `series`, and its underlying's oracle price.
    ///
    /// Errors: [`Error::Invalid`] naming `series` when there is no such series.
    pub fn option(&self, series: u16) -> Result<(&'a OptionParams, OptionMark, OraclePrice)> {
        let i = usize::from(series);
        match (self.options.get(i), self.option_marks.get(i)) {
            (Some(p), Some(mark)) => Ok((p, *mark, self.token(p.underlying())?.1)),
            _ => Err(Error::invalid(
                "series",
                "must be the index of one of the option series",
            )),
        }
    }

    /// The parameters and price of perp `market`.
    ///
    /// Errors: [`Error::Invalid`] naming `market` when there is no such market.
    pub fn perp(&self, market: u16) -> Result<(&'a PerpParams, OraclePrice)> {
        let i = usize::from(market);
        match (self.perps.get(i), self.perp_prices.get(i)) {
            (Some(p), Some(price)) => Ok((p, *price)),
            _ => Err(Error::invalid("market", "must be the index of one of the perp markets")),
        }
    }
}
