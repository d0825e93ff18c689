//! One out-of-line wrapper per kernel entry point, taking its arguments by reference.
//!
//! The probes call the kernel through these, so that each entry point's code is compiled into
//! a function of its own: `probes/callgraph.py` reads the worst-case stack of each wrapper
//! (what a caller needs to call that entry point), free of the probes' own set-up frames.
//! For the no-panic proof they are transparent.

use lce::account::{self, Account, Context, Health, HealthLevel, LiquidationPrice, OptionContext, PriceOf};
use lce::liquidation::{
    self, LiquidationParams, PerpLiquidation, PerpOrder, TokenLiquidation, TokenOrder, Waterfall, WaterfallReport,
};
use lce::liquidator::{self, Decision, Environment, Opportunity, Profile};
use lce::market::{Depth, Fill, Market, Side};
use lce::options::{self, BsInputs, Greeks, OptionKind};
use lce::oracle::{Guards, OraclePrice, PushFeed, Round, StablePrice, Verdict};
use lce::{Result, Rounding, Wad};

use crate::market::LEVELS;

/// `Wad::from_str`.
#[inline(never)]
pub fn parse(s: &str) -> Result<Wad> {
    s.parse()
}

/// `Wad::write_decimal`.
#[inline(never)]
pub fn write_decimal(w: Wad, buf: &mut [u8; 48]) -> usize {
    w.write_decimal(buf).len()
}

/// `Wad::mul_div`.
#[inline(never)]
pub fn mul_div(a: Wad, b: Wad, c: Wad, r: Rounding) -> Result<Wad> {
    a.mul_div(b, c, r)
}

/// `Wad::exp`.
#[inline(never)]
pub fn exp(x: Wad, r: Rounding) -> Result<Wad> {
    x.exp(r)
}

/// `Wad::ln`.
#[inline(never)]
pub fn ln(x: Wad, r: Rounding) -> Result<Wad> {
    x.ln(r)
}

/// `Wad::sqrt`.
#[inline(never)]
pub fn sqrt(x: Wad, r: Rounding) -> Result<Wad> {
    x.sqrt(r)
}

/// `Wad::pow`.
#[inline(never)]
pub fn pow(x: Wad, p: Wad, r: Rounding) -> Result<Wad> {
    x.pow(p, r)
}

/// `Wad::norm_cdf`.
#[inline(never)]
pub fn norm_cdf(x: Wad, r: Rounding) -> Result<Wad> {
    x.norm_cdf(r)
}

/// `Wad::norm_pdf`.
#[inline(never)]
pub fn norm_pdf(x: Wad, r: Rounding) -> Result<Wad> {
    x.norm_pdf(r)
}

/// `Wad::norm_inv`.
#[inline(never)]
pub fn norm_inv(x: Wad, r: Rounding) -> Result<Wad> {
    x.norm_inv(r)
}

/// `account::health`.
#[inline(never)]
pub fn health(a: &Account, ctx: &OptionContext<'_>, level: HealthLevel) -> Result<Health> {
    account::health(a, ctx, level)
}

/// `account::liquidation_price`.
#[inline(never)]
pub fn liquidation_price(a: &Account, ctx: &OptionContext<'_>, of: PriceOf) -> Result<LiquidationPrice> {
    account::liquidation_price(a, ctx, of)
}

/// `liquidation::plan_token_liquidation`.
#[inline(never)]
pub fn plan_token_liquidation(
    a: &Account,
    ctx: &OptionContext<'_>,
    params: &LiquidationParams,
    order: TokenOrder,
) -> Result<TokenLiquidation> {
    liquidation::plan_token_liquidation(a, ctx, params, order)
}

/// `liquidation::liquidate_token`.
#[inline(never)]
pub fn liquidate_token(
    a: &mut Account,
    ctx: &OptionContext<'_>,
    params: &LiquidationParams,
    order: TokenOrder,
) -> Result<TokenLiquidation> {
    liquidation::liquidate_token(a, ctx, params, order)
}

/// `liquidation::toxic_with_impact`.
#[inline(never)]
pub fn toxic_with_impact(
    a: &Account,
    ctx: &OptionContext<'_>,
    order: TokenOrder,
    plan: &TokenLiquidation,
    price_after: Wad,
) -> Result<bool> {
    liquidation::toxic_with_impact(a, ctx, order, plan, price_after)
}

/// `liquidation::plan_perp_liquidation`.
#[inline(never)]
pub fn plan_perp_liquidation(
    a: &Account,
    ctx: &OptionContext<'_>,
    params: &LiquidationParams,
    order: PerpOrder,
) -> Result<PerpLiquidation> {
    liquidation::plan_perp_liquidation(a, ctx, params, order)
}

/// `liquidation::liquidate_perp`.
#[inline(never)]
pub fn liquidate_perp(
    a: &mut Account,
    ctx: &OptionContext<'_>,
    params: &LiquidationParams,
    order: PerpOrder,
) -> Result<PerpLiquidation> {
    liquidation::liquidate_perp(a, ctx, params, order)
}

/// `account::health` through a context without options (the path of an account that holds
/// none: option pricing is not reachable).
#[inline(never)]
pub fn health_no_options(a: &Account, ctx: &Context<'_>, level: HealthLevel) -> Result<Health> {
    account::health(a, ctx, level)
}

/// `liquidation::plan_token_liquidation` through a context without options.
#[inline(never)]
pub fn plan_token_liquidation_no_options(
    a: &Account,
    ctx: &Context<'_>,
    params: &LiquidationParams,
    order: TokenOrder,
) -> Result<TokenLiquidation> {
    liquidation::plan_token_liquidation(a, ctx, params, order)
}

/// `liquidation::liquidate_token` through a context without options.
#[inline(never)]
pub fn liquidate_token_no_options(
    a: &mut Account,
    ctx: &Context<'_>,
    params: &LiquidationParams,
    order: TokenOrder,
) -> Result<TokenLiquidation> {
    liquidation::liquidate_token(a, ctx, params, order)
}

/// `liquidation::liquidate_perp` through a context without options.
#[inline(never)]
pub fn liquidate_perp_no_options(
    a: &mut Account,
    ctx: &Context<'_>,
    params: &LiquidationParams,
    order: PerpOrder,
) -> Result<PerpLiquidation> {
    liquidation::liquidate_perp(a, ctx, params, order)
}

/// `liquidation::settle_bankruptcy`.
#[inline(never)]
pub fn settle_bankruptcy(a: &mut Account, ctx: &OptionContext<'_>, w: &mut Waterfall) -> Result<WaterfallReport> {
    liquidation::settle_bankruptcy(a, ctx, w)
}

/// `Waterfall::absorb`.
#[inline(never)]
pub fn absorb(w: &mut Waterfall, bad_debt: Wad) -> Result<WaterfallReport> {
    w.absorb(bad_debt)
}

/// `Depth::quote`.
#[inline(never)]
pub fn quote<M: Depth>(m: &M, side: Side, qty: Wad) -> Result<Fill> {
    m.quote(side, qty)
}

/// `Depth::trade`.
#[inline(never)]
pub fn trade<M: Depth>(m: &mut M, side: Side, qty: Wad) -> Result<Fill> {
    m.trade(side, qty)
}

/// `Depth::arbitrage`.
#[inline(never)]
pub fn arbitrage<M: Depth>(m: &mut M, reference: Wad, capacity: Wad) -> Result<Fill> {
    m.arbitrage(reference, capacity)
}

/// `Depth::stress`.
#[inline(never)]
pub fn stress<M: Depth>(m: &mut M, factor: Wad) -> Result<()> {
    m.stress(factor)
}

/// `Depth::sellable_above`.
#[inline(never)]
pub fn sellable_above<M: Depth>(m: &M, price: Wad) -> Result<Wad> {
    m.sellable_above(price)
}

/// `liquidator::decide` on any market model.
#[inline(never)]
pub fn decide(profile: &Profile, env: &Environment, market: &Market<LEVELS>, opp: &Opportunity) -> Result<Decision> {
    liquidator::decide(profile, env, market, opp)
}

/// `PushFeed::observe` on a 64-round feed.
#[inline(never)]
pub fn observe(feed: &mut PushFeed, block: u64, price: Wad) -> Result<()> {
    feed.observe(block, price)
}

/// `PushFeed::latest`.
#[inline(never)]
pub fn latest(feed: &PushFeed, block: u64) -> Option<Round> {
    feed.latest(block)
}

/// `PushFeed::twap` over a 64-round feed.
#[inline(never)]
pub fn twap(feed: &PushFeed, block: u64, window: u64, r: Rounding) -> Result<Wad> {
    feed.twap(block, window, r)
}

/// `Guards::check`.
#[inline(never)]
pub fn check(g: &Guards, price: OraclePrice, age: u64, reference: Option<Wad>) -> Verdict {
    g.check(price, age, reference)
}

/// `StablePrice::update`.
#[inline(never)]
pub fn stable_update(s: &mut StablePrice, block: u64, oracle: Wad) -> Result<()> {
    s.update(block, oracle)
}

/// `options::price`.
#[inline(never)]
pub fn bs_price(kind: OptionKind, i: &BsInputs, r: Rounding) -> Result<Wad> {
    options::price(kind, i, r)
}

/// `options::greeks`.
#[inline(never)]
pub fn bs_greeks(kind: OptionKind, i: &BsInputs, r: Rounding) -> Result<Greeks> {
    options::greeks(kind, i, r)
}

/// `options::forward_difference`.
#[inline(never)]
pub fn forward_difference(i: &BsInputs, r: Rounding) -> Result<Wad> {
    options::forward_difference(i, r)
}

/// `options::implied_vol`.
#[inline(never)]
pub fn implied_vol(kind: OptionKind, p: Wad, s: Wad, k: Wad, t: Wad, rate: Wad, q: Wad) -> Result<Wad> {
    options::implied_vol(kind, p, s, k, t, rate, q)
}

/// `Cascade::run` (and so every `step`) over the enum market, two venues, a history of 8
/// rounds, records discarded.
#[inline(never)]
pub fn cascade_run<'a>(
    settings: lce::cascade::Settings<'a>,
    market: &mut Market<LEVELS>,
    venues: &mut [lce::cascade::Venue<'a, 8>],
    liquidators: &mut [lce::cascade::Liquidator],
) -> Result<lce::cascade::Report> {
    lce::cascade::Cascade::new(settings, market, venues, liquidators)?.run(&mut ())
}

/// `cascade::equilibrium::solve` over the enum market.
#[inline(never)]
pub fn equilibrium_solve(
    model: &lce::cascade::equilibrium::Model,
    market: &mut Market<LEVELS>,
    accounts: &mut [lce::cascade::Borrower],
    queue: &mut [lce::cascade::Slot],
) -> Result<lce::cascade::equilibrium::Equilibrium> {
    lce::cascade::equilibrium::solve(model, market, accounts, queue)
}

/// `StandardMarginParams::margin`.
#[inline(never)]
pub fn option_margin_standard(
    params: &options::StandardMarginParams,
    kind: OptionKind,
    inputs: &BsInputs,
    size: Wad,
    mark: Option<Wad>,
) -> Result<options::StandardMargin> {
    params.margin(kind, inputs, size, mark)
}

/// `GridParams::margin`.
#[inline(never)]
pub fn option_margin_grid(
    params: &options::GridParams,
    market: &options::GridMarket,
    positions: &[options::GridPosition],
) -> Result<options::GridMargin> {
    params.margin(market, positions)
}

/// `options::vega_shock`.
#[inline(never)]
pub fn vega_shock(
    market: &options::GridMarket,
    shock: &options::Shock,
    method: &options::MarginMethod,
    accounts: &[options::OptionAccount],
    out: &mut [options::AccountStress],
) -> Result<options::BookStress> {
    options::vega_shock(market, shock, method, accounts, out)
}

/// `OptionPool::sell_to_trader`.
#[inline(never)]
pub fn pool_sell(pool: &mut options::OptionPool, spot: Wad, option: options::OptionPosition) -> Result<options::Quote> {
    pool.sell_to_trader(spot, option)
}

/// `OptionPool::stress`.
#[inline(never)]
pub fn pool_stress(pool: &options::OptionPool, spot: Wad, shock: &options::Shock) -> Result<options::PoolStress> {
    pool.stress(spot, shock)
}
