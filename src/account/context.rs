//! The parameters and prices that an account's positions refer to by index, and how option
//! positions are valued: not at all ([`NoOptions`]) or with their series and marks
//! ([`PricedOptions`]).

use crate::oracle::OraclePrice;
use crate::{Error, Result, Wad};

use super::{HealthLevel, OptionMark, OptionParams, PerpParams, TokenParams, option_contribution, option_owed};

mod sealed {
    /// Only this crate's two option books implement [`OptionPricing`](super::OptionPricing).
    pub trait Sealed {}
}

/// How a [`Context`] values option positions: [`NoOptions`] (the context has no option
/// series, and an option position is an error) or [`PricedOptions`] (series and marks,
/// valued with Black-Scholes-Merton).
///
/// It is a type parameter, not a run-time choice, so that code that never holds options never
/// links option pricing: health through a `Context<'_, NoOptions>` cannot reach it, which
/// keeps an on-chain program's code and its stack frames small (README, "On-chain costs").
/// Both give the same result for an account without options.
///
/// Sealed: implemented by [`NoOptions`] and [`PricedOptions`] only.
pub trait OptionPricing: sealed::Sealed + Copy + core::fmt::Debug {
    /// The signed weighted value at `level` of `quantity` of `series`, whose underlying is one
    /// of the tokens priced by `token_prices` (see [`option_contribution`]).
    ///
    /// Errors: [`Error::Invalid`] naming `series` when there is no such series; as
    /// [`option_contribution`].
    fn contribution(&self, token_prices: &[OraclePrice], series: u16, level: HealthLevel, quantity: Wad)
    -> Result<Wad>;

    /// What a short position of `quantity` in `series` owes at the oracle's price (see
    /// [`option_owed`]).
    ///
    /// Errors: as [`OptionPricing::contribution`].
    fn owed(&self, token_prices: &[OraclePrice], series: u16, quantity: Wad) -> Result<Wad>;

    /// The index of the token underlying `series`.
    ///
    /// Errors: [`Error::Invalid`] naming `series` when there is no such series.
    fn underlying(&self, series: u16) -> Result<u16>;
}

/// The error of an option series that the context does not have.
const fn no_series() -> Error {
    Error::invalid("series", "must be the index of one of the option series")
}

/// The option book of a context without option series: every option position is
/// [`Error::Invalid`] naming `series`, as it is in a [`PricedOptions`] of no series. Health
/// through it never reaches option pricing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NoOptions;

impl sealed::Sealed for NoOptions {}

impl OptionPricing for NoOptions {
    fn contribution(&self, _: &[OraclePrice], _: u16, _: HealthLevel, _: Wad) -> Result<Wad> {
        Err(no_series())
    }

    fn owed(&self, _: &[OraclePrice], _: u16, _: Wad) -> Result<Wad> {
        Err(no_series())
    }

    fn underlying(&self, _: u16) -> Result<u16> {
        Err(no_series())
    }
}

/// The option book of a context with option series: each series' parameters and the market
/// data it is marked at, indexed as option positions refer to them
/// ([`Context::with_options`]).
#[derive(Clone, Copy, Debug)]
pub struct PricedOptions<'a> {
    options: &'a [OptionParams],
    marks: &'a [OptionMark],
}

impl<'a> PricedOptions<'a> {
    /// The parameters and market data of `series`, and its underlying's price in
    /// `token_prices`.
    ///
    /// Errors: [`Error::Invalid`] naming `series` when there is no such series, `token` when
    /// its underlying has no price.
    fn series(&self, token_prices: &[OraclePrice], series: u16) -> Result<(&'a OptionParams, OptionMark, OraclePrice)> {
        let i = usize::from(series);
        match (self.options.get(i), self.marks.get(i)) {
            (Some(p), Some(mark)) => Ok((p, *mark, token_price(token_prices, p.underlying())?)),
            _ => Err(no_series()),
        }
    }
}

impl sealed::Sealed for PricedOptions<'_> {}

impl OptionPricing for PricedOptions<'_> {
    fn contribution(
        &self,
        token_prices: &[OraclePrice],
        series: u16,
        level: HealthLevel,
        quantity: Wad,
    ) -> Result<Wad> {
        let (params, mark, spot) = self.series(token_prices, series)?;
        option_contribution(params, &mark, spot, level, quantity)
    }

    fn owed(&self, token_prices: &[OraclePrice], series: u16, quantity: Wad) -> Result<Wad> {
        let (params, mark, spot) = self.series(token_prices, series)?;
        option_owed(params, &mark, spot, quantity)
    }

    fn underlying(&self, series: u16) -> Result<u16> {
        let i = usize::from(series);
        match (self.options.get(i), self.marks.get(i)) {
            (Some(p), Some(_)) => Ok(p.underlying()),
            _ => Err(no_series()),
        }
    }
}

/// The error of a token that the context does not have.
const fn no_token() -> Error {
    Error::invalid("token", "must be the index of one of the tokens")
}

/// The price of `token` in `token_prices`.
fn token_price(token_prices: &[OraclePrice], token: u16) -> Result<OraclePrice> {
    token_prices.get(usize::from(token)).copied().ok_or_else(no_token)
}

/// What health needs besides the account: the parameters and the oracle price of every token
/// and perp market, indexed as the positions refer to them, and the option book `O` (see
/// [`OptionPricing`]). Borrowed, so a program can keep them wherever it likes (accounts of a
/// Solana program, a cascade's slices).
///
/// [`Context::new`] and [`Context::tokens`] make a `Context<'a>` (`O` = [`NoOptions`]), whose
/// health never reaches option pricing; [`Context::with_options`] makes an
/// [`OptionContext`], for accounts that hold options.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a, O: OptionPricing = NoOptions> {
    tokens: &'a [TokenParams],
    token_prices: &'a [OraclePrice],
    perps: &'a [PerpParams],
    perp_prices: &'a [OraclePrice],
    options: O,
}

/// A context with option series: what an account holding options needs.
pub type OptionContext<'a> = Context<'a, PricedOptions<'a>>;

impl<'a> Context<'a> {
    /// A context of tokens and perp markets with their prices, without option series.
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
            options: NoOptions,
        })
    }

    /// A context of tokens only.
    ///
    /// Errors: as [`Context::new`].
    pub fn tokens(tokens: &'a [TokenParams], prices: &'a [OraclePrice]) -> Result<Self> {
        Self::new(tokens, prices, &[], &[])
    }

    /// This context with option series and the market data each is marked at: an
    /// [`OptionContext`], whose health values option positions (and so links option pricing).
    /// An account without options has the same health in both.
    ///
    /// Errors: [`Error::Invalid`] naming `options` when there are more than `u16::MAX + 1`
    /// series, `option_marks` when it does not have one mark per series, `underlying` when a
    /// series' underlying is not one of the tokens.
    pub fn with_options(
        self,
        options: &'a [OptionParams],
        option_marks: &'a [OptionMark],
    ) -> Result<OptionContext<'a>> {
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
        Ok(Context {
            tokens: self.tokens,
            token_prices: self.token_prices,
            perps: self.perps,
            perp_prices: self.perp_prices,
            options: PricedOptions {
                options,
                marks: option_marks,
            },
        })
    }
}

impl<'a> OptionContext<'a> {
    /// The parameters and market data of option `series`, and its underlying's oracle price.
    ///
    /// Errors: [`Error::Invalid`] naming `series` when there is no such series.
    pub fn option(&self, series: u16) -> Result<(&'a OptionParams, OptionMark, OraclePrice)> {
        self.options.series(self.token_prices, series)
    }
}

impl<'a, O: OptionPricing> Context<'a, O> {
    /// The parameters and price of `token`.
    ///
    /// Errors: [`Error::Invalid`] naming `token` when there is no such token.
    pub fn token(&self, token: u16) -> Result<(&'a TokenParams, OraclePrice)> {
        let i = usize::from(token);
        match (self.tokens.get(i), self.token_prices.get(i)) {
            (Some(p), Some(price)) => Ok((p, *price)),
            _ => Err(no_token()),
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

    /// The signed weighted value at `level` of `quantity` of option `series`, as the option
    /// book `O` values it.
    ///
    /// Errors: as [`OptionPricing::contribution`].
    pub fn option_contribution(&self, series: u16, level: HealthLevel, quantity: Wad) -> Result<Wad> {
        self.options.contribution(self.token_prices, series, level, quantity)
    }

    /// What a short position of `quantity` in `series` owes at the oracle's price.
    ///
    /// Errors: as [`OptionPricing::owed`].
    pub fn option_owed(&self, series: u16, quantity: Wad) -> Result<Wad> {
        self.options.owed(self.token_prices, series, quantity)
    }

    /// The index of the token underlying option `series`.
    ///
    /// Errors: [`Error::Invalid`] naming `series` when there is no such series.
    pub fn option_underlying(&self, series: u16) -> Result<u16> {
        self.options.underlying(series)
    }
}
