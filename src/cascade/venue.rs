//! A venue of a cascade: a lending market or a perpetuals exchange whose accounts are long the
//! shared collateral, with its own oracle feed, guards, liquidation rules and loss waterfall.
//!
//! Every health check, liquidation price, liquidation and bankruptcy goes through the risk
//! kernel ([`account`](crate::account), [`liquidation`](crate::liquidation)) on a two-position
//! [`Account`] built from the compact [`Borrower`]: the cascade decides exactly what an
//! on-chain program with the same parameters would.

use crate::account::{
    Account, Context, Health, HealthLevel, LiquidationPrice, PerpParams, Position, TokenParams, crossing, health,
    is_liquidatable, token_contribution,
};
use crate::liquidation::{
    LiquidationParams, OptionLiquidation, PerpLiquidation, PerpOrder, TokenLiquidation, TokenOrder, Waterfall,
    WaterfallReport, is_bankrupt, liquidate_perp, liquidate_token, plan_perp_liquidation, plan_token_liquidation,
    settle_bankruptcy,
};
use crate::liquidator::{Opportunity, Verdict};
use crate::oracle::{FeedParams, Guards, OraclePrice, PushFeed};
use crate::shock::VolPath;
use crate::{Error, Result, Wad};

use super::borrower::{Behaviour, Borrower};
use super::heap::Heap;
use super::ledger::{Ledger, Liquidated};
use super::option_pool::{PoolBlock, PoolStats, PoolTerms};
use super::options_venue::{Book, OptionsStats};
use super::queue::{Keys, Queue, Slot, fill};
use crate::market::Depth;

/// What kind of venue, with the parameters its kind needs.
// The kernel does not allocate, so an options venue's book is not boxed: a venue's parameters
// are copied once per venue and block.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VenueKind {
    /// A lending market: accounts deposit the shared collateral and borrow the unit of account
    /// (token 0, price exactly 1); liquidators repay debt and seize collateral with its bonus.
    Lending {
        /// The shared collateral's parameters (weights, liquidation fee, protocol share).
        collateral: TokenParams,
        /// The borrowed token's parameters.
        debt: TokenParams,
    },
    /// A perpetuals exchange: accounts are long the shared asset with a negative quote
    /// balance; liquidators take positions over at the oracle price less the fee and sell them.
    Perp {
        /// The market's parameters.
        market: PerpParams,
    },
    /// An options vault: accounts deposit the shared collateral and write options on the
    /// venue's series, marked each block at the venue's volatility path; liquidators buy the
    /// shorts back at the mark plus the series' fee, paid in collateral, and sell it (see
    /// [`Book`]). An account's `debt` is its short in option
    /// units.
    Options(Book),
}

/// A venue's parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct VenueParams {
    /// The kind and its parameters.
    pub kind: VenueKind,
    /// The close factor and the health level a liquidation restores.
    pub liquidation: LiquidationParams,
    /// The push feed the venue reads.
    pub feed: FeedParams,
    /// The guards its liquidations check the feed's price with.
    pub guards: Guards,
    /// The loss waterfall its bad debt goes down.
    pub waterfall: Waterfall,
    /// The feed stops publishing from this block on (an oracle outage), if set.
    pub outage_from: Option<u64>,
}

impl VenueParams {
    /// The liquidation fee (the bonus of a lending venue), which orders venues for liquidators.
    #[must_use]
    pub const fn liquidation_fee(&self) -> Wad {
        match self.kind {
            VenueKind::Lending { collateral, .. } => collateral.liquidation_fee(),
            VenueKind::Perp { market } => market.liquidation_fee(),
            VenueKind::Options(book) => book.live.liquidation_fee(),
        }
    }
}

/// A venue during a run: its parameters, its feed, what is left of its waterfall, and its
/// accounts in the caller's slices.
#[derive(Debug)]
pub struct Venue<'a, const H: usize = 64> {
    params: VenueParams,
    pub(super) feed: PushFeed<H>,
    pub(super) waterfall: Waterfall,
    pub(super) accounts: &'a mut [Borrower],
    pub(super) queue: Queue<'a>,
    pub(super) ledger: Ledger,
    /// The collateral of the venue's `⌈N/100⌉`-th largest account at the start: an account
    /// holding at least this much counts among the top 1 %.
    pub(super) whale_threshold: Wad,
    /// An options venue's volatility path (the series' vol throughout when `None`).
    pub(super) vol: Option<VolPath<'a>>,
    /// An options venue's figures so far.
    pub(super) options: OptionsStats,
    /// An option pool's terms and books (a venue of kind `"option_pool"`: an options venue
    /// without accounts, see [`option_pool`](super::option_pool)).
    pub(super) pool: Option<(PoolTerms, PoolStats)>,
}

/// A liquidation executed on one account: what changed hands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Executed {
    /// What left the account, as its venue's books record it.
    pub books: Liquidated,
    /// Collateral the liquidator holds and will sell.
    pub receives: Wad,
    /// Quote the liquidator paid.
    pub paid: Wad,
    /// An options venue's short units a bankruptcy after the liquidation wrote off.
    pub written_off: Wad,
}

impl<'a, const H: usize> Venue<'a, H> {
    /// A venue over `accounts`, with `queue` as scratch (at least one slot per account).
    ///
    /// Errors: [`Error::Invalid`] naming `queue` when it is too short, `accounts` when there
    /// are more than `u32::MAX`, `collateral` or `debt` when an account has a negative one;
    /// [`Error::Overflow`].
    pub fn new(params: VenueParams, accounts: &'a mut [Borrower], queue: &'a mut [Slot]) -> Result<Self> {
        let options = matches!(params.kind, VenueKind::Options(_));
        for a in accounts.iter_mut() {
            if options {
                // Option writers hold: trader behaviour is not modelled for them.
                match a.behaviour {
                    None => a.behaviour = Some(Behaviour::Hold),
                    Some(Behaviour::Hold) => {}
                    Some(_) => {
                        return Err(Error::invalid(
                            "behaviour",
                            "an options venue's accounts hold (no trader behaviour for option writers)",
                        ));
                    }
                }
            }
            if a.collateral.is_negative() {
                return Err(Error::invalid("collateral", "must be ≥ 0"));
            }
            if a.debt.is_negative() {
                return Err(Error::invalid("debt", "must be ≥ 0"));
            }
        }
        let ledger = Ledger::open(accounts, params.waterfall.raw().lender_deposits)?;
        let n = accounts.len();
        let shared: &[Borrower] = accounts;
        let whale_threshold = top_percentile_floor(shared, queue)?;
        // Sorted by the cascade's split into actors and holders, once.
        let mut queue = Queue::unsorted(queue, n, |i| {
            shared.get(i).map_or(
                Ok(Keys {
                    key: Wad::ZERO,
                    sure: None,
                    ..Keys::default()
                }),
                |b| keys(&params, b),
            )
        })?;
        queue.set_whale(whale_threshold);
        Ok(Self {
            params,
            feed: PushFeed::new(params.feed),
            waterfall: params.waterfall,
            accounts,
            queue,
            ledger,
            whale_threshold,
            vol: None,
            options: OptionsStats::default(),
            pool: None,
        })
    }

    /// This options venue with its volatility path (without one its series keeps the vol it
    /// was given).
    ///
    /// Errors: [`Error::Invalid`] naming `vol` when the venue is not an options venue.
    pub fn with_vol(mut self, vol: VolPath<'a>) -> Result<Self> {
        if !matches!(self.params.kind, VenueKind::Options(_)) {
            return Err(Error::invalid("vol", "only an options venue has a volatility path"));
        }
        self.vol = Some(vol);
        Ok(self)
    }

    /// This options venue as an AMM option pool that sold `terms.sold` units of its series
    /// (see [`PoolTerms`] and [`PoolStats`]).
    ///
    /// Errors: [`Error::Invalid`] naming `kind` unless the venue is an options venue without
    /// accounts; what [`PoolTerms::check`] reports.
    pub fn with_pool(mut self, terms: PoolTerms) -> Result<Self> {
        let VenueKind::Options(book) = &self.params.kind else {
            return Err(Error::invalid("kind", "only an options venue can be an option pool"));
        };
        if !self.accounts.is_empty() {
            return Err(Error::invalid("accounts", "an option pool has no accounts"));
        }
        terms.check(book)?;
        self.pool = Some((terms, PoolStats::default()));
        Ok(self)
    }

    /// An option pool's figures so far (`None` for another venue).
    #[must_use]
    pub fn pool(&self) -> Option<PoolStats> {
        self.pool.map(|(_, s)| s)
    }

    /// An option pool's part of `block` (see [`PoolStats::step`]); `None` for another venue.
    ///
    /// Errors: what [`PoolStats::step`] reports.
    pub(super) fn pool_step<D: Depth>(&mut self, block: u64, market: &mut D) -> Result<Option<PoolBlock>> {
        let (VenueKind::Options(book), Some((terms, stats))) = (&self.params.kind, &mut self.pool) else {
            return Ok(None);
        };
        stats
            .step(block, terms.hedge, book, market, &mut self.waterfall)
            .map(Some)
    }

    /// An options venue's figures so far (all zero for another kind).
    #[must_use]
    pub const fn options(&self) -> &OptionsStats {
        &self.options
    }

    /// Whether an options venue's volatility path has settled by `block` (always, for another
    /// kind or without a path): a cascade is not at rest before it.
    pub(super) fn vol_settled(&self, block: u64) -> bool {
        self.vol
            .as_ref()
            .is_none_or(|v| block >= super::options_venue::vol_settles_at(v))
    }

    /// Reprices an options venue's series for `block` at `spot` (nothing for another kind).
    ///
    /// Errors: what [`Book::reprice`] reports.
    pub(super) fn reprice(&mut self, block: u64, spot: Wad) -> Result<()> {
        let VenueKind::Options(mut book) = self.params.kind else {
            return Ok(());
        };
        let vol = self.vol.unwrap_or(VolPath::Constant(book.mark.vol()));
        let quote = book.reprice(&vol, block, spot)?;
        self.options.quoted(&quote)?;
        if block == 0
            && let Some((terms, stats)) = &mut self.pool
        {
            *stats = PoolStats::open(terms, &book)?;
        }
        self.params.kind = VenueKind::Options(book);
        Ok(())
    }

    /// The venue's parameters.
    #[must_use]
    pub const fn params(&self) -> &VenueParams {
        &self.params
    }

    /// The accounts, as they stand.
    #[must_use]
    pub fn accounts(&self) -> &[Borrower] {
        self.accounts
    }

    /// The running ledger.
    #[must_use]
    pub const fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// What is left of the waterfall's layers.
    #[must_use]
    pub const fn waterfall(&self) -> &Waterfall {
        &self.waterfall
    }

    /// The push feed.
    #[must_use]
    pub const fn feed(&self) -> &PushFeed<H> {
        &self.feed
    }

    /// Whether the feed is down at `block`.
    pub(super) fn is_down(&self, block: u64) -> bool {
        self.params.outage_from.is_some_and(|b| block >= b)
    }
}

/// The collateral of the `⌈N/100⌉`-th largest of `accounts` (`Wad::MAX` when there are
/// none): a max-heap by collateral built in `scratch` in `O(N)`, popped `⌈N/100⌉` times.
fn top_percentile_floor(accounts: &[Borrower], scratch: &mut [Slot]) -> Result<Wad> {
    let k = crate::metrics::top_percentile_count(accounts.len());
    let slots = fill(scratch, accounts.len(), |i| {
        Ok(Keys {
            key: accounts.get(i).map_or(Wad::ZERO, |a| a.collateral),
            sure: None,
            ..Keys::default()
        })
    })?;
    let mut heap = Heap::new(slots);
    let mut kth = Wad::MAX;
    for _ in 0..k {
        match heap.pop_at_least(Wad::MIN) {
            Some(slot) => kth = slot.key,
            None => break,
        }
    }
    Ok(kth)
}

/// Runs `f` on the kernel's view of `b` at oracle price `price`: the two-position account and
/// its context.
fn with_kernel<T>(
    params: &VenueParams,
    b: &Borrower,
    price: Wad,
    f: impl FnOnce(&mut Account<2>, &Context<'_>) -> Result<T>,
) -> Result<T> {
    let oracle = OraclePrice::exact(price)?;
    let mut account: Account<2> = Account::new();
    match params.kind {
        VenueKind::Lending { collateral, debt } => {
            account.open(Position::Token {
                token: 0,
                balance: b.debt.neg()?,
            })?;
            account.open(Position::Token {
                token: 1,
                balance: b.collateral,
            })?;
            let tokens = [debt, collateral];
            let prices = [OraclePrice::exact(Wad::ONE)?, oracle];
            let ctx = Context::tokens(&tokens, &prices)?;
            f(&mut account, &ctx)
        }
        VenueKind::Perp { market } => {
            account.open(Position::Perp {
                market: 0,
                base: b.collateral,
                quote: b.debt.neg()?,
            })?;
            let perps = [market];
            let prices = [oracle];
            let ctx = Context::new(&[], &[], &perps, &prices)?;
            f(&mut account, &ctx)
        }
        // The options venue's accounts go through its book (an option context).
        VenueKind::Options(_) => Err(Error::invalid(
            "venue",
            "an options venue's accounts are valued through its book",
        )),
    }
}

/// Reads the kernel's account back into `b`.
fn write_back(params: &VenueParams, account: &Account<2>, b: &mut Borrower) -> Result<()> {
    match params.kind {
        VenueKind::Lending { .. } => {
            b.debt = account.token_balance(0).neg()?;
            b.collateral = account.token_balance(1);
        }
        VenueKind::Perp { .. } => {
            let (base, quote) = account.perp(0);
            b.collateral = base;
            b.debt = quote.neg()?;
        }
        VenueKind::Options(_) => {}
    }
    Ok(())
}

/// The queue key of `b`: a price at or above every oracle price at which the kernel finds it
/// liquidatable; 0 when no price does, `Wad::MAX` when every price does, when it is
/// liquidatable on a rise, or when the bound does not fit (it is then checked every block).
pub(super) fn key(params: &VenueParams, b: &Borrower) -> Result<Wad> {
    keys(params, b).map(|k| k.key)
}

/// The queue keys of `b`: its [`key`], and a price at or below which the kernel surely finds
/// it liquidatable, so that most checks need no health computation.
///
/// With `R` the rest of the account's health and `s·w` its weighted size, the kernel's health
/// at `p` is `H(p) = R + ⌊⌊s·p⌋·w⌋`, between `R + s·p·w − 2·10⁻¹⁸` (two floors) and
/// `R + s·p·w`. The closed-form liquidation price ([`liquidation_price`](crate::account::liquidation_price)) is
/// `p* = ⌈−R / ⌊s·w⌋⌉`.
///
/// - **The key.** `H(p)` is negative only below `p* + 2·10⁻¹⁸ / ⌊s·w⌋`: the key is that bound,
///   rounded up.
/// - **The sure price.** `s·w < ⌊s·w⌋ + 10⁻¹⁸` and `−R / ⌊s·w⌋ > p* − 10⁻¹⁸`, so any
///   `p ≤ sure = ⌊(p* − 10⁻¹⁸) · ⌊s·w⌋ / (⌊s·w⌋ + 10⁻¹⁸)⌋` has `p·s·w < −R`, hence
///   `H(p) ≤ R + s·p·w < 0`: liquidatable. None is known when the key is not a finite bound.
pub(super) fn keys(params: &VenueParams, b: &Borrower) -> Result<Keys> {
    Ok(Keys {
        debt: b.debt,
        collateral: b.collateral,
        ..prices(params, b)?
    })
}

/// The key and sure price of [`keys`].
fn prices(params: &VenueParams, b: &Borrower) -> Result<Keys> {
    prices_from(b, liquidation_price_of(params, b))
}

/// The key and sure price of `b`, given how its health moves with the price (`moving`).
fn prices_from(b: &Borrower, moving: Result<Moving>) -> Result<Keys> {
    let unknown = |key: Wad| Ok(Keys { key, ..Keys::default() });
    // A price beyond the Wad range (a dust position against a large debt): every price.
    let lp = match moving {
        Err(Error::Overflow) => return unknown(Wad::MAX),
        other => other?,
    };
    let (p, weight) = match lp {
        // An option's health is not linear in the price and its vol moves every block: an
        // account with a short is checked every block (nothing written: never).
        Moving::Options => return unknown(if b.debt.is_positive() { Wad::MAX } else { Wad::ZERO }),
        Moving::Linear(LiquidationPrice::Never, _) => return unknown(Wad::ZERO),
        Moving::Linear(LiquidationPrice::Below(p), weight) => (p, weight),
        // A borrower holds no options, so `Nonlinear` does not arise; if it did, the account
        // would be checked at every price, which is always correct.
        Moving::Linear(LiquidationPrice::Always | LiquidationPrice::Above(_) | LiquidationPrice::Nonlinear, _) => {
            return unknown(Wad::MAX);
        }
    };
    let weighted = b.collateral.mul_floor(weight)?;
    if !weighted.is_positive() {
        return unknown(Wad::MAX);
    }
    let key = Wad::from_raw(2)
        .div_ceil(weighted)
        .and_then(|margin| p.add(margin))
        .unwrap_or(Wad::MAX);
    let sure = p
        .sub(Wad::EPSILON)
        .and_then(|below| below.mul_div_floor(weighted, weighted.add(Wad::EPSILON)?))
        .ok()
        .filter(|sure| sure.is_positive() && *sure <= key && key != Wad::MAX);
    Ok(Keys {
        key,
        sure,
        ..Keys::default()
    })
}

/// How a venue's account's maintenance health moves with the oracle price.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Moving {
    /// Linearly: the kernel's [`LiquidationPrice`] of the collateral (lending) or the position
    /// (perp), and the maintenance weight of that position at its size.
    Linear(LiquidationPrice, Wad),
    /// Through an option book (an options venue).
    Options,
}

/// `b`'s [`liquidation_price`](crate::account::liquidation_price) as the kernel finds it on the two-position account
/// [`with_kernel`] builds, without building it: the rest of the account is the other position
/// alone, so its maintenance health is that position's contribution (lending: the borrow of
/// the unit of account at its exact price 1; perp: the quote balance), and the crossing is the
/// kernel's own ([`crossing`]). The same value and the same errors, step for step (a law checks
/// it against [`liquidation_price_kernel`]).
///
/// Errors: [`Error::Overflow`].
fn liquidation_price_of(params: &VenueParams, b: &Borrower) -> Result<Moving> {
    let level = HealthLevel::Maintenance;
    let (rest, weight) = match params.kind {
        VenueKind::Lending { collateral, debt } => {
            let mut rest = Health::default();
            rest.add(token_contribution(
                &debt,
                OraclePrice::exact(Wad::ONE)?,
                level,
                b.debt.neg()?,
            )?)?;
            let weight = if b.collateral.is_negative() {
                collateral.liability_weight(level, b.collateral.abs()?)?
            } else {
                collateral.asset_weight(level, b.collateral)?
            };
            (rest.value()?, weight)
        }
        VenueKind::Perp { market } => {
            let margin = market.margin(level, b.collateral.abs()?)?;
            let weight = if b.collateral.is_negative() {
                Wad::ONE.add(margin)?
            } else {
                Wad::ONE.sub(margin)?
            };
            // No other position: the rest is 0, plus the quote balance.
            (Wad::ZERO.add(b.debt.neg()?)?, weight)
        }
        VenueKind::Options(_) => return Ok(Moving::Options),
    };
    Ok(Moving::Linear(crossing(rest, b.collateral, weight)?, weight))
}

/// [`liquidation_price_of`] through the kernel: `liquidation_price` on the account
/// [`with_kernel`] builds, and the weight `prices` took from the venue's parameters.
///
/// Errors: as [`liquidation_price`](crate::account::liquidation_price).
#[cfg(test)]
fn liquidation_price_kernel(params: &VenueParams, b: &Borrower) -> Result<Moving> {
    use crate::account::{PriceOf, liquidation_price};
    let of = match params.kind {
        VenueKind::Lending { .. } => PriceOf::Token(1),
        VenueKind::Perp { .. } => PriceOf::Perp(0),
        VenueKind::Options(_) => return Ok(Moving::Options),
    };
    // The moving price is taken out of the account; any positive price builds the context.
    let lp = with_kernel(params, b, Wad::ONE, |a, ctx| liquidation_price(a, ctx, of))?;
    let level = HealthLevel::Maintenance;
    let weight = match (lp, params.kind) {
        (LiquidationPrice::Below(_), VenueKind::Lending { collateral, .. }) => {
            collateral.asset_weight(level, b.collateral)?
        }
        (LiquidationPrice::Below(_), VenueKind::Perp { market }) => {
            Wad::ONE.sub(market.margin(level, b.collateral)?)?
        }
        _ => return Ok(Moving::Linear(lp, Wad::ZERO)),
    };
    Ok(Moving::Linear(lp, weight))
}

/// Whether `b` is liquidatable at oracle price `price` (maintenance health below zero).
pub(super) fn liquidatable(params: &VenueParams, b: &Borrower, price: Wad) -> Result<bool> {
    if let VenueKind::Options(book) = &params.kind {
        return book.liquidatable(b, price);
    }
    with_kernel(params, b, price, |a, ctx| is_liquidatable(a, ctx))
}

/// The maintenance health factor of `b` at `price` (`None`: no liabilities).
pub(super) fn health_factor(params: &VenueParams, b: &Borrower, price: Wad) -> Result<Option<Wad>> {
    if let VenueKind::Options(book) = &params.kind {
        return book.health_factor(b, price);
    }
    with_kernel(params, b, price, |a, ctx| {
        health(a, ctx, HealthLevel::Maintenance)?.factor()
    })
}

/// The terms of the venue's offers at oracle price `price`, the same for every account: the
/// liquidator's [`Opportunity`] with nothing on offer yet (`repay_max = 0`).
///
/// A perp take-over of `base` at `P·(1 − fee)` is offered as a repay in the unit of account
/// (price 1) for collateral at `P` with bonus `⌊fee / (1 − fee)⌋`, so that
/// `repay · (1 + bonus) / P ≈ base`: the liquidator's own model of the trade. The take-over
/// itself is then the kernel's.
pub(super) fn terms(params: &VenueParams, price: Wad) -> Result<Opportunity> {
    let (bonus, protocol_fee_share) = match params.kind {
        VenueKind::Lending { collateral, .. } => (collateral.liquidation_fee(), collateral.protocol_fee_share()),
        VenueKind::Perp { market } => (
            market
                .liquidation_fee()
                .div_floor(Wad::ONE.sub(market.liquidation_fee())?)?,
            market.protocol_fee_share(),
        ),
        // A buy-back is offered as a repay of the value cleared for collateral with the
        // series' fee as the bonus: `seize = ⌊value · (1 + fee) / P⌋`.
        VenueKind::Options(book) => (book.live.liquidation_fee(), book.live.protocol_fee_share()),
    };
    Ok(Opportunity {
        repay_max: Wad::ZERO,
        liab_price: Wad::ONE,
        coll_price: price,
        bonus,
        protocol_fee_share,
    })
}

/// What the protocol offers a liquidator for `b` at `price`: the liquidator's terms with
/// `repay_max` from the kernel's plan with no offer limit, and that plan, which a liquidation
/// of the whole offer applies as it is.
#[derive(Clone, Copy, Debug)]
pub(super) struct Offer {
    /// The liquidator's view: [`terms`] with the most the plan lets it repay — for a perp,
    /// `⌈⌈base · P⌉ · (1 − fee)⌉`.
    pub opp: Opportunity,
    plan: Plan,
}

/// The kernel's plan behind an [`Offer`].
#[derive(Clone, Copy, Debug)]
enum Plan {
    Token(TokenLiquidation),
    Perp(PerpLiquidation),
    Option(OptionLiquidation),
}

pub(super) fn opportunity(params: &VenueParams, b: &Borrower, price: Wad) -> Result<Offer> {
    let mut opp = terms(params, price)?;
    let plan = match params.kind {
        VenueKind::Lending { .. } => {
            let plan: TokenLiquidation = with_kernel(params, b, price, |a, ctx| {
                plan_token_liquidation(a, ctx, &params.liquidation, token_order(None))
            })?;
            opp.repay_max = plan.repay;
            Plan::Token(plan)
        }
        VenueKind::Perp { market } => {
            let plan: PerpLiquidation = with_kernel(params, b, price, |a, ctx| {
                plan_perp_liquidation(a, ctx, &params.liquidation, perp_order(None))
            })?;
            let keep = Wad::ONE.sub(market.liquidation_fee())?;
            opp.repay_max = plan.base.abs()?.mul_ceil(price)?.mul_ceil(keep)?;
            Plan::Perp(plan)
        }
        VenueKind::Options(book) => {
            let plan = book.plan(&params.liquidation, b, price)?;
            opp.repay_max = plan.value;
            Plan::Option(plan)
        }
    };
    Ok(Offer { opp, plan })
}

const fn token_order(max_repay: Option<Wad>) -> TokenOrder {
    TokenOrder {
        liability: 0,
        collateral: 1,
        max_repay,
    }
}

const fn perp_order(max_base: Option<Wad>) -> PerpOrder {
    PerpOrder { market: 0, max_base }
}

/// Liquidates `b` at `price` through the kernel as `decision` chose on `offer`, then settles
/// a bankruptcy down `waterfall`. On error nothing changes.
///
/// A decision that takes the whole offer applies the offer's plan as the kernel's
/// `liquidate_token` / `liquidate_perp` apply theirs (the borrow shrinks by `repay` and the
/// deposit by `seize`; the perp's base by `base` and its quote grows by `account_quote`): the
/// plan with the offer as its limit is the same plan, so it is not searched for again.
/// Otherwise a lending venue repays `decision.repay` and a perp venue takes over the base the
/// decision receives, through `liquidate_token` / `liquidate_perp`.
pub(super) fn execute(
    params: &VenueParams,
    b: &mut Borrower,
    price: Wad,
    offer: &Offer,
    decision: &Verdict,
    waterfall: &mut Waterfall,
) -> Result<(Executed, Option<WaterfallReport>)> {
    let whole = decision.repay >= offer.opp.repay_max;
    if let (VenueKind::Options(book), Plan::Option(plan)) = (&params.kind, &offer.plan) {
        let partial = if whole { None } else { Some(decision.repay) };
        let (l, report, written_off) = book.execute(&params.liquidation, b, price, plan, partial, waterfall)?;
        let done = Executed {
            books: Liquidated {
                repaid: l.size,
                seized: l.seize,
                protocol_collateral: l.protocol_fee,
            },
            receives: l.liquidator_receives()?,
            paid: l.value,
            written_off,
        };
        return Ok((done, report));
    }
    let mut next = *b;
    let mut pool = *waterfall;
    let (done, report) = with_kernel(params, b, price, |a, ctx| {
        let done = match (params.kind, offer.plan) {
            (VenueKind::Lending { .. }, Plan::Token(plan)) => {
                let l = if whole {
                    let borrow = a.token_balance(0).add(plan.repay)?;
                    let deposit = a.token_balance(1).sub(plan.seize)?;
                    a.set_token(0, borrow)?;
                    a.set_token(1, deposit)?;
                    plan
                } else {
                    liquidate_token(a, ctx, &params.liquidation, token_order(Some(decision.repay)))?
                };
                Executed {
                    books: Liquidated {
                        repaid: l.repay,
                        seized: l.seize,
                        protocol_collateral: l.protocol_fee,
                    },
                    receives: l.liquidator_receives()?,
                    paid: l.repay_value,
                    written_off: Wad::ZERO,
                }
            }
            (VenueKind::Perp { .. }, Plan::Perp(plan)) => {
                let l = if whole {
                    let (base, quote) = a.perp(0);
                    a.set_perp(0, base.sub(plan.base)?, quote.add(plan.account_quote)?)?;
                    plan
                } else {
                    liquidate_perp(a, ctx, &params.liquidation, perp_order(Some(decision.receives)))?
                };
                Executed {
                    books: Liquidated {
                        repaid: l.account_quote,
                        seized: l.base,
                        protocol_collateral: Wad::ZERO,
                    },
                    receives: l.base,
                    paid: l.liquidator_quote()?.neg()?,
                    written_off: Wad::ZERO,
                }
            }
            _ => {
                return Err(Error::invalid(
                    "offer",
                    "the offer's plan does not match the venue's kind",
                ));
            }
        };
        let report = if is_bankrupt(a) {
            Some(settle_bankruptcy(a, ctx, &mut pool)?)
        } else {
            None
        };
        write_back(params, a, &mut next)?;
        Ok((done, report))
    })?;
    *b = next;
    *waterfall = pool;
    Ok((done, report))
}

/// Settles a bankrupt `b` (no collateral, some debt) down `waterfall` through the kernel;
/// returns the report and the option units written off (an options venue; zero otherwise).
/// On error nothing changes.
pub(super) fn settle(
    params: &VenueParams,
    b: &mut Borrower,
    price: Wad,
    waterfall: &mut Waterfall,
) -> Result<(WaterfallReport, Wad)> {
    if let VenueKind::Options(book) = &params.kind {
        return book.settle(b, price, waterfall);
    }
    let mut next = *b;
    let mut pool = *waterfall;
    let report = with_kernel(params, b, price, |a, ctx| {
        let r = settle_bankruptcy(a, ctx, &mut pool)?;
        write_back(params, a, &mut next)?;
        Ok(r)
    })?;
    *b = next;
    *waterfall = pool;
    Ok((report, Wad::ZERO))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::account::{PerpParamsRaw, TokenParamsRaw};
    use crate::liquidation::WaterfallRaw;
    use crate::oracle::{FeedParams, Guards};

    fn venue(perp: bool, weight: Wad, size_factor: Wad) -> VenueParams {
        let kind = if perp {
            let mut raw = PerpParamsRaw::new(
                Wad::ONE.sub(weight).unwrap().min(Wad::ONE),
                Wad::ONE.sub(weight).unwrap(),
            );
            raw.init_margin = raw.maint_margin;
            raw.size_factor = size_factor;
            VenueKind::Perp {
                market: PerpParams::new(raw).unwrap(),
            }
        } else {
            let mut coll = TokenParamsRaw::new(weight, weight, Wad::ONE, Wad::ONE);
            coll.size_factor = size_factor;
            VenueKind::Lending {
                collateral: TokenParams::new(coll).unwrap(),
                debt: TokenParams::new(TokenParamsRaw::new(Wad::ONE, Wad::ONE, Wad::ONE, Wad::ONE)).unwrap(),
            }
        };
        VenueParams {
            kind,
            liquidation: LiquidationParams::default(),
            feed: FeedParams::new(Wad::ZERO, 1, 0).unwrap(),
            guards: Guards::new(None, None, None).unwrap(),
            waterfall: Waterfall::new(WaterfallRaw::default()).unwrap(),
            outage_from: None,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// The queue's two prices bracket the kernel: liquidatable at or below the sure price,
        /// never at or above the key (at the prices around both, to the last 1e-18).
        #[test]
        fn the_keys_bracket_the_kernel(
            perp in any::<bool>(),
            collateral in 1i128..10_000_000_000_000_000_000_000,
            debt in 0i128..100_000_000_000_000_000_000_000_000,
            weight in 1i128..=99,
            scaled in any::<bool>(),
            offset in -1000i128..1000,
        ) {
            let params = venue(perp, Wad::from_raw(weight * 10_000_000_000_000_000), if scaled { Wad::from_raw(1_000_000_000_000) } else { Wad::ZERO });
            let b = Borrower::new(Wad::from_raw(collateral), Wad::from_raw(debt)).unwrap();
            let k = keys(&params, &b).unwrap();
            let slot = Slot::new(0, k);
            let around = |x: Wad| [x.raw().saturating_add(offset), x.raw(), x.raw().saturating_sub(1), x.raw().saturating_add(1)];
            let mut prices: heapless::Vec<i128, 8> = heapless::Vec::new();
            prices.extend(around(k.key));
            if let Some(sure) = k.sure {
                prices.extend(around(sure));
                prop_assert!(sure <= k.key);
            }
            for raw in prices {
                if raw <= 0 || raw >= 1_000_000_000_000_000_000_000_000_000_000_000_000 {
                    continue;
                }
                let price = Wad::from_raw(raw);
                let liq = liquidatable(&params, &b, price).unwrap();
                if slot.surely_liquidatable(price) {
                    prop_assert!(liq, "surely liquidatable at {} but not (keys {:?})", price, k);
                }
                if price >= k.key {
                    prop_assert!(!liq, "liquidatable at {} at or above the key (keys {:?})", price, k);
                }
            }
        }

        /// The measure the auction's floor declines without reading an account is sound: its
        /// offer's bound is at most the floor's size (so is every smaller measure's, the bound
        /// being non-decreasing in it), and it is found for every perp and lending venue.
        #[test]
        fn the_measure_within_a_floor_is_declined(
            perp in any::<bool>(),
            size in prop_oneof![0i128..1_000_000, 0i128..100_000_000_000_000_000_000_000_000],
            price in 1i128..100_000_000_000_000_000_000_000,
            fee in 0i128..=50,
        ) {
            use super::super::auction::{measure_within, offer_bound};
            let mut params = venue(perp, Wad::from_raw(80 * 10_000_000_000_000_000), Wad::ZERO);
            if let VenueKind::Perp { market } = params.kind {
                let mut raw = market.raw();
                raw.liquidation_fee = Wad::from_raw(fee * 1_000_000_000_000_000);
                params.kind = VenueKind::Perp { market: PerpParams::new(raw).unwrap() };
            }
            let (size, price) = (Wad::from_raw(size), Wad::from_raw(price));
            let m = measure_within(&params, size, price);
            prop_assert!(m.is_some(), "no measure found for size {} at {}", size, price);
            let m = m.unwrap();
            let (collateral, debt) = if perp { (m, Wad::ZERO) } else { (Wad::ZERO, m) };
            prop_assert!(offer_bound(&params, collateral, debt, price).unwrap() <= size);
        }

        /// The keys' liquidation price, worked out without building the account, is the
        /// kernel's on the account `with_kernel` builds: the same price or the same error, and
        /// so the same keys — on lending and perp venues, with and without size scaling, from
        /// dust to balances near the top of the `Wad` range (where the kernel overflows).
        #[test]
        fn the_keys_liquidation_price_is_the_kernels(
            perp in any::<bool>(),
            collateral in prop_oneof![0i128..1_000_000, 0i128..10_000_000_000_000_000_000_000, 0i128..=i128::MAX],
            debt in prop_oneof![0i128..1_000_000, 0i128..100_000_000_000_000_000_000_000_000, 0i128..=i128::MAX],
            weight in 1i128..=99,
            scale in prop_oneof![Just(0i128), 1i128..1_000_000_000_000, 1i128..1_000_000_000_000_000_000],
        ) {
            let params = venue(perp, Wad::from_raw(weight * 10_000_000_000_000_000), Wad::from_raw(scale));
            let b = Borrower::new(Wad::from_raw(collateral), Wad::from_raw(debt)).unwrap();
            let fast = liquidation_price_of(&params, &b);
            let kernel = liquidation_price_kernel(&params, &b);
            match (fast, kernel) {
                (Ok(Moving::Linear(f, fw)), Ok(Moving::Linear(k, kw))) => {
                    prop_assert_eq!(f, k);
                    if matches!(k, LiquidationPrice::Below(_)) {
                        prop_assert_eq!(fw, kw, "the weight the key divides by");
                    }
                }
                (f, k) => prop_assert_eq!(f, k),
            }
            prop_assert_eq!(
                prices(&params, &b),
                prices_from(&b, liquidation_price_kernel(&params, &b))
            );
        }
    }
}
