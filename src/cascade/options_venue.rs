//! An options venue of a cascade: accounts deposit the shared collateral and write (sell)
//! options on the venue's one series; the series is marked each block by Black-Scholes-Merton
//! at the block's implied volatility, which follows the venue's [`VolPath`]; its maintenance
//! margin is the standard formula, or dynamic margin moving with the volatility and skew under
//! the anti-procyclicality governor.
//!
//! # The kernel's view of an account
//!
//! A [`Borrower`] of an options venue holds `collateral` units of the shared asset and is short
//! `debt` **option units** of the series (so its books count option units where a lending
//! venue counts debt). The kernel sees the two-position account `[Token 0: collateral,
//! Option 0: −debt]` in a context of the one token (the collateral, at the oracle price) and
//! the one series (its underlying is token 0), and every health check, liquidation and
//! bankruptcy goes through it ([`crate::account`], [`crate::liquidation::option`]).
//!
//! # Priced once per block
//!
//! [`Book::reprice`] computes the series' quote at the block's judging price `S` once:
//! `M = ⌈V(S, σ_b)⌉` and the maintenance add-on per unit `a = ⌈mm_base·S⌉ − otm` floored at
//! `⌈mm_floor·max(S, M)⌉` (the standard formula at size 1, exact per unit). An account short
//! `q` is then liquidatable when `⌊⌊c·S⌋·w⌋ − (⌈q·M⌉ + ⌈q·a⌉) < 0` — the kernel's maintenance
//! health to the last 1e-18 (its short charge is `⌈q·⌈V⌉⌉ + ⌈q·a⌉` with the same `M` and `a`),
//! without a Black-Scholes evaluation per account. At any other price the kernel is asked.
//!
//! # Dynamic margin
//!
//! With dynamic margin the governor publishes a maintenance fraction `m_b` each block
//! ([`MarginGovernor::update`] at `σ_b` and the skew `max(σ_b − σ_0, 0)`, the rise of the
//! implied volatility over its level at block 0 — the put wing's premium a falling market
//! builds). The series' standard rates are then `mm_base = m_b`,
//! `mm_floor = ⌈mm_floor₀ · m_b / mm_base₀⌉` (scaled with it, rounded up), `im_base =
//! max(im_base₀, m_b + init_spread)` and `im_floor = max(im_floor₀, mm_floor)`: the
//! requirement moves with the published margin, and the kernel's liquidation sizes against it.

use crate::account::{
    Account, Context, HealthLevel, OptionContext, OptionMark, OptionParams, OptionParamsRaw, Position, TokenParams,
    health, is_liquidatable, token_contribution,
};
use crate::liquidation::{
    LiquidationParams, OptionLiquidation, OptionOrder, Waterfall, WaterfallReport, is_bankrupt, liquidate_option,
    plan_option_liquidation, settle_bankruptcy,
};
use crate::margin::MarginGovernor;
use crate::options::{OptionKind, StandardMarginParams, StandardMarginRaw, price};
use crate::oracle::OraclePrice;
use crate::shock::VolPath;
use crate::{Error, Result, Rounding, Wad};

use super::borrower::Borrower;

/// How an options venue margins its short positions.
// The kernel does not allocate, so the governor is not boxed: a venue's parameters are copied
// once per venue and block.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OptionsMargin {
    /// The series' standard formula, fixed for the run.
    Standard,
    /// Dynamic maintenance margin under its governor (see the module docs).
    Dynamic(MarginGovernor),
}

/// The series' quote at one price: computed once per block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SeriesQuote {
    /// The underlying's price it was made at.
    pub spot: Wad,
    /// The implied volatility.
    pub vol: Wad,
    /// `M = ⌈V(spot, vol)⌉`, the mark a short owes per unit.
    pub mark: Wad,
    /// The maintenance add-on per unit beyond the mark (the standard formula at size 1).
    pub maintenance_unit: Wad,
    /// The published dynamic maintenance fraction, with dynamic margin.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub dynamic: Option<Wad>,
}

/// An options venue's quotes over a run: the vol, the mark and (dynamic margin) the published
/// maintenance fraction at their first, last, lowest and highest, and how the fraction moved.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct OptionsStats {
    /// Blocks quoted (block 0 included).
    pub quotes: u64,
    /// The first quote (block 0).
    pub first: Option<SeriesQuote>,
    /// The last quote.
    pub last: Option<SeriesQuote>,
    /// The highest vol quoted.
    pub vol_high: Wad,
    /// The highest mark quoted.
    pub mark_high: Wad,
    /// The lowest published dynamic maintenance fraction (`None`: standard margin).
    pub margin_low: Option<Wad>,
    /// The highest.
    pub margin_high: Option<Wad>,
    /// Blocks in which the published fraction changed.
    pub margin_moves: u64,
    /// The largest rise of it from one block to the next.
    pub margin_largest_rise: Wad,
    /// The largest fall.
    pub margin_largest_fall: Wad,
}

impl OptionsStats {
    /// Adds the block's quote `q`.
    ///
    /// Errors: [`Error::Overflow`].
    pub fn quoted(&mut self, q: &SeriesQuote) -> Result<()> {
        let previous = self.last.and_then(|l| l.dynamic);
        let mut next = *self;
        next.quotes = next.quotes.saturating_add(1);
        next.first = next.first.or(Some(*q));
        next.last = Some(*q);
        next.vol_high = next.vol_high.max(q.vol);
        next.mark_high = next.mark_high.max(q.mark);
        if let Some(m) = q.dynamic {
            next.margin_low = Some(next.margin_low.map_or(m, |l| l.min(m)));
            next.margin_high = Some(next.margin_high.map_or(m, |h| h.max(m)));
            if let Some(p) = previous {
                if m != p {
                    next.margin_moves = next.margin_moves.saturating_add(1);
                }
                if m > p {
                    next.margin_largest_rise = next.margin_largest_rise.max(m.sub(p)?);
                } else {
                    next.margin_largest_fall = next.margin_largest_fall.max(p.sub(m)?);
                }
            }
        }
        *self = next;
        Ok(())
    }
}

/// An options venue's parameters and its series' state in the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Book {
    /// The shared collateral's parameters (its weights and size factor).
    pub collateral: TokenParams,
    /// The series as given (its underlying must be token 0, the collateral).
    pub series: OptionParams,
    /// The market data it is marked at (the vol is the path's; rate and yield are kept).
    pub mark: OptionMark,
    /// The margin rule.
    pub margin: OptionsMargin,
    /// The series as the kernel sees it this block: `series` with the dynamic rates.
    pub live: OptionParams,
    /// The quote of the last [`reprice`](Self::reprice), if any.
    pub quote: Option<SeriesQuote>,
    /// The vol at block 0 (the skew's reference), once the run has opened.
    pub calm_vol: Option<Wad>,
}

impl Book {
    /// An options venue's book: collateral, series, market data and margin rule.
    ///
    /// Errors: [`Error::Invalid`] naming `underlying` unless the series' underlying is token 0
    /// (the shared collateral), `margin.mm_base` when dynamic margin is asked for with a zero
    /// `mm_base` (the floor scales by `m / mm_base`).
    pub fn new(collateral: TokenParams, series: OptionParams, mark: OptionMark, margin: OptionsMargin) -> Result<Self> {
        if series.underlying() != 0 {
            return Err(Error::invalid(
                "underlying",
                "must be 0: an options venue's series is on the shared collateral",
            ));
        }
        if matches!(margin, OptionsMargin::Dynamic(_)) && series.margin().raw().mm_base.is_zero() {
            return Err(Error::invalid(
                "margin.mm_base",
                "must be > 0 with dynamic margin (the floor scales by m / mm_base)",
            ));
        }
        Ok(Self {
            collateral,
            series,
            mark,
            margin,
            live: series,
            quote: None,
            calm_vol: None,
        })
    }

    /// Moves the book to block `block` at judging price `spot`: the vol from `vol`, the
    /// governor's published margin (dynamic), the live series, and the quote (see the module
    /// docs). Returns the quote. On error nothing changes.
    ///
    /// Errors: [`Error::Invalid`] naming `spot` outside `(0, 10^18]`; what the vol path, the
    /// governor and the pricing report.
    pub fn reprice(&mut self, vol: &VolPath<'_>, block: u64, spot: Wad) -> Result<SeriesQuote> {
        let sigma = vol.vol(block, spot)?;
        let mark = OptionMark::new(sigma, self.mark.rate(), self.mark.yield_())?;
        let calm = self.calm_vol.unwrap_or(sigma);
        let mut margin = self.margin;
        let (live, dynamic) = match &mut margin {
            OptionsMargin::Standard => (self.series, None),
            OptionsMargin::Dynamic(governor) => {
                let skew = sigma.sub(calm)?.max(Wad::ZERO);
                let published = governor.update(sigma, skew)?;
                let live = scaled_series(&self.series, published.maintenance, published.initial)?;
                (live, Some(published.maintenance))
            }
        };
        let inputs = live.inputs(spot, &mark)?;
        let value = price(live.kind(), &inputs, Rounding::Ceil)?;
        let unit = live.margin().margin(live.kind(), &inputs, Wad::ONE, Some(value))?;
        let quote = SeriesQuote {
            spot,
            vol: sigma,
            mark: value,
            maintenance_unit: unit.maintenance_add_on,
            dynamic,
        };
        self.mark = mark;
        self.margin = margin;
        self.live = live;
        self.quote = Some(quote);
        self.calm_vol = Some(calm);
        Ok(quote)
    }

    /// The series' quote at another price `spot` in the block (the block's vol and live series,
    /// nothing moved): `M = ⌈V(spot, σ_b)⌉` and the maintenance add-on per unit, as
    /// [`reprice`](Self::reprice) makes them.
    ///
    /// Errors: [`Error::Invalid`] naming `spot` outside `(0, 10^18]`; [`Error::Overflow`].
    pub fn quote_at(&self, spot: Wad) -> Result<SeriesQuote> {
        let inputs = self.live.inputs(spot, &self.mark)?;
        let value = price(self.live.kind(), &inputs, Rounding::Ceil)?;
        let unit = self
            .live
            .margin()
            .margin(self.live.kind(), &inputs, Wad::ONE, Some(value))?;
        Ok(SeriesQuote {
            spot,
            vol: self.mark.vol(),
            mark: value,
            maintenance_unit: unit.maintenance_add_on,
            dynamic: self.quote.and_then(|q| q.dynamic),
        })
    }

    /// The price at the edge of the risk band where the venue's writers are the more at risk:
    /// `from` (the band's low edge, `⌊S·(1 − band)⌋`) for puts, `⌈S·(1 + band)⌉` for calls.
    ///
    /// Errors: [`Error::Overflow`].
    pub fn band_edge(&self, spot: Wad, band: Wad, from: Wad) -> Result<Wad> {
        match self.live.kind() {
            OptionKind::Put => Ok(from),
            OptionKind::Call => spot.mul_ceil(Wad::ONE.add(band)?),
        }
    }

    /// Whether an account of `collateral` short `units` is liquidatable under quote `q` (made
    /// at `q.spot`): `⌊⌊c·S⌋·w⌋ < ⌈q·M⌉ + ⌈q·a⌉`, the kernel's maintenance health.
    ///
    /// Errors: [`Error::Overflow`].
    pub fn liquidatable_under(&self, q: &SeriesQuote, collateral: Wad, units: Wad) -> Result<bool> {
        let assets = token_contribution(
            &self.collateral,
            OraclePrice::exact(q.spot)?,
            HealthLevel::Maintenance,
            collateral,
        )?;
        Ok(assets < short_charge(q, units)?)
    }

    /// Runs `f` on the kernel's view of `b` at oracle price `price` (see the module docs).
    fn with_kernel<T>(
        &self,
        b: &Borrower,
        price: Wad,
        f: impl FnOnce(&mut Account<2>, &OptionContext<'_>) -> Result<T>,
    ) -> Result<T> {
        let oracle = OraclePrice::exact(price)?;
        let mut account: Account<2> = Account::new();
        account.open(Position::Token {
            token: 0,
            balance: b.collateral,
        })?;
        account.open(Position::Option {
            series: 0,
            quantity: b.debt.neg()?,
        })?;
        let tokens = [self.collateral];
        let prices = [oracle];
        let series = [self.live];
        let marks = [self.mark];
        let ctx = Context::tokens(&tokens, &prices)?.with_options(&series, &marks)?;
        f(&mut account, &ctx)
    }

    /// Whether `b` is liquidatable at `price`: from the block's quote when it was made at
    /// `price` (`⌊⌊c·S⌋·w⌋ < ⌈q·M⌉ + ⌈q·a⌉`), else through the kernel.
    ///
    /// Errors: [`Error::Overflow`]; what the kernel reports.
    pub fn liquidatable(&self, b: &Borrower, price: Wad) -> Result<bool> {
        match self.quote.filter(|q| q.spot == price) {
            Some(q) => self.liquidatable_under(&q, b.collateral, b.debt),
            None => self.with_kernel(b, price, |a, ctx| is_liquidatable(a, ctx)),
        }
    }

    /// The kernel's maintenance health factor of `b` at `price` (`None`: nothing written).
    ///
    /// Errors: what the kernel reports.
    pub fn health_factor(&self, b: &Borrower, price: Wad) -> Result<Option<Wad>> {
        self.with_kernel(b, price, |a, ctx| health(a, ctx, HealthLevel::Maintenance)?.factor())
    }

    /// The kernel's plan to buy back `b`'s short at `price` with no offer limit.
    ///
    /// Errors: as [`plan_option_liquidation`].
    pub fn plan(&self, params: &LiquidationParams, b: &Borrower, price: Wad) -> Result<OptionLiquidation> {
        self.with_kernel(b, price, |a, ctx| plan_option_liquidation(a, ctx, params, order(None)))
    }

    /// Liquidates `b` at `price`: the whole `plan` when `whole`, else the kernel's buy-back of
    /// at most `⌊repay / M⌋` units; then settles a bankruptcy down `waterfall`. Returns the
    /// liquidation, the bankruptcy's report, and the option units it wrote off. On error
    /// nothing changes.
    ///
    /// Errors: as [`liquidate_option`], [`settle_bankruptcy`].
    pub fn execute(
        &self,
        params: &LiquidationParams,
        b: &mut Borrower,
        price: Wad,
        plan: &OptionLiquidation,
        partial: Option<Wad>,
        waterfall: &mut Waterfall,
    ) -> Result<(OptionLiquidation, Option<WaterfallReport>, Wad)> {
        let mut next = *b;
        let mut pool = *waterfall;
        let (done, report) = self.with_kernel(b, price, |a, ctx| {
            let done = match partial {
                None => {
                    let quantity = a.option(0).add(plan.size)?;
                    let deposit = a.token_balance(0).sub(plan.seize)?;
                    a.set_option(0, quantity)?;
                    a.set_token(0, deposit)?;
                    *plan
                }
                Some(repay) => {
                    let units = if plan.mark.is_positive() {
                        repay.div_floor(plan.mark)?
                    } else {
                        plan.size
                    };
                    liquidate_option(a, ctx, params, order(Some(units)))?
                }
            };
            let report = if is_bankrupt(a) {
                Some(settle_bankruptcy(a, ctx, &mut pool)?)
            } else {
                None
            };
            next.collateral = a.token_balance(0);
            next.debt = a.option(0).neg()?;
            Ok((done, report))
        })?;
        // The units a bankruptcy wrote off: what the buy-back left short, now cleared.
        let left = b.debt.sub(done.size)?;
        let cleared = if report.is_some() {
            left.sub(next.debt)?
        } else {
            Wad::ZERO
        };
        *b = next;
        *waterfall = pool;
        Ok((done, report, cleared))
    }

    /// Settles a bankrupt `b` (no collateral, some units short) down `waterfall` at `price`:
    /// its short's value `⌈q·⌈V⌉⌉` is the loss. Returns the report and the units written off.
    /// On error nothing changes.
    ///
    /// Errors: as [`settle_bankruptcy`].
    pub fn settle(&self, b: &mut Borrower, price: Wad, waterfall: &mut Waterfall) -> Result<(WaterfallReport, Wad)> {
        let mut pool = *waterfall;
        let (report, left) = self.with_kernel(b, price, |a, ctx| {
            let r = settle_bankruptcy(a, ctx, &mut pool)?;
            Ok((r, a.option(0).neg()?))
        })?;
        let cleared = b.debt.sub(left)?;
        b.debt = left;
        *waterfall = pool;
        Ok((report, cleared))
    }

    /// What one unit short owes at `price`: `⌈V(price)⌉` at the live vol (the quote's mark
    /// when it was made at `price`).
    ///
    /// Errors: [`Error::Invalid`] naming `spot` outside `(0, 10^18]`; [`Error::Overflow`].
    pub fn owed_per_unit(&self, price: Wad) -> Result<Wad> {
        if let Some(q) = self.quote.filter(|q| q.spot == price) {
            return Ok(q.mark);
        }
        let inputs = self.live.inputs(price, &self.mark)?;
        crate::options::price(self.live.kind(), &inputs, Rounding::Ceil)
    }
}

/// The first block from which `vol` holds its last value for good (at a settled price): 0 for
/// a constant or price-tied path, `start + blocks` for a linear one, `len − 1` for a listed one.
#[must_use]
pub fn vol_settles_at(vol: &VolPath<'_>) -> u64 {
    match *vol {
        VolPath::Constant(_) | VolPath::Skew { .. } => 0,
        VolPath::Linear { start, blocks, .. } => start.saturating_add(blocks),
        VolPath::Listed(list) => u64::try_from(list.len()).unwrap_or(u64::MAX).saturating_sub(1),
    }
}

/// A short of `units`' maintenance charge at quote `q`: `⌈units·M⌉ + ⌈units·a⌉` (0 for none).
///
/// Errors: [`Error::Overflow`].
pub fn short_charge(q: &SeriesQuote, units: Wad) -> Result<Wad> {
    if !units.is_positive() {
        return Ok(Wad::ZERO);
    }
    units.mul_ceil(q.mark)?.add(units.mul_ceil(q.maintenance_unit)?)
}

/// The buy-back order of the venue's series against its collateral, at most `max_size` units.
const fn order(max_size: Option<Wad>) -> OptionOrder {
    OptionOrder {
        series: 0,
        token: 0,
        max_size,
    }
}

/// `series` with its standard rates moved to the published dynamic maintenance fraction `m`
/// and initial fraction `initial` (see the module docs; the floor rounds up).
///
/// Errors: [`Error::Invalid`] naming a rate the standard margin refuses; [`Error::Overflow`].
fn scaled_series(series: &OptionParams, m: Wad, initial: Wad) -> Result<OptionParams> {
    let base = series.margin().raw();
    let mm_floor = base.mm_floor.mul_div_ceil(m, base.mm_base)?.min(Wad::ONE);
    let im_base = base.im_base.max(initial).min(Wad::ONE);
    let rates = StandardMarginRaw {
        im_base: im_base.max(m),
        im_floor: base.im_floor.max(mm_floor),
        mm_base: m,
        mm_floor,
    };
    let margin = StandardMarginParams::new(rates)?;
    let raw = OptionParamsRaw {
        margin: margin.raw(),
        ..series.raw()
    };
    OptionParams::new(raw)
}
