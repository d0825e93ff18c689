//! Entry points of `lce::account` and `lce::liquidation`, on a full 16-position account over
//! 8 tokens, 8 perp markets and 8 option series, every field opaque.

use lce::account::{
    self, Account, Context, HealthLevel, OptionContext, OptionMark, OptionParams, OptionParamsRaw, PerpParams,
    PerpParamsRaw, Position, PriceOf, TokenParams, TokenParamsRaw,
};
use lce::liquidation::{
    self, CloseFactor, CloseFactorRaw, LiquidationParams, OptionOrder, Outcome, PerpOrder, Seize, TokenOrder,
    Waterfall, WaterfallRaw,
};
use lce::options::{OptionKind, StandardMarginRaw};
use lce::oracle::OraclePrice;
use lce::{Result, Wad};

use crate::input::{Src, sink};

/// Tokens and perp markets of the probe's world.
const MARKETS: usize = 8;

/// Parameters, prices and an account, all from opaque inputs.
struct World {
    tokens: [TokenParams; MARKETS],
    token_prices: [OraclePrice; MARKETS],
    perps: [PerpParams; MARKETS],
    perp_prices: [OraclePrice; MARKETS],
    options: [OptionParams; MARKETS],
    option_marks: [OptionMark; MARKETS],
    account: Account,
}

pub(crate) fn token_params(s: &mut Src) -> Result<TokenParams> {
    TokenParams::new(TokenParamsRaw {
        init_asset_weight: s.wad(),
        maint_asset_weight: s.wad(),
        liq_end_asset_weight: s.wad(),
        init_liab_weight: s.wad(),
        maint_liab_weight: s.wad(),
        liq_end_liab_weight: s.wad(),
        size_factor: s.wad(),
        liquidation_fee: s.wad(),
        protocol_fee_share: s.wad(),
    })
}

pub(crate) fn perp_params(s: &mut Src) -> Result<PerpParams> {
    PerpParams::new(PerpParamsRaw {
        init_margin: s.wad(),
        maint_margin: s.wad(),
        liq_end_margin: s.wad(),
        size_factor: s.wad(),
        liquidation_fee: s.wad(),
        protocol_fee_share: s.wad(),
    })
}

pub fn option_params(s: &mut Src) -> Result<OptionParams> {
    let kind = if s.bool() { OptionKind::Call } else { OptionKind::Put };
    OptionParams::new(OptionParamsRaw {
        kind,
        underlying: s.u16(),
        strike: s.wad(),
        t: s.wad(),
        init_long_weight: s.wad(),
        maint_long_weight: s.wad(),
        liq_end_long_weight: s.wad(),
        margin: StandardMarginRaw {
            im_base: s.wad(),
            im_floor: s.wad(),
            mm_base: s.wad(),
            mm_floor: s.wad(),
        },
        liquidation_fee: s.wad(),
        protocol_fee_share: s.wad(),
    })
}

fn world(s: &mut Src) -> Result<World> {
    let tokens = [
        token_params(s)?,
        token_params(s)?,
        token_params(s)?,
        token_params(s)?,
        token_params(s)?,
        token_params(s)?,
        token_params(s)?,
        token_params(s)?,
    ];
    let perps = [
        perp_params(s)?,
        perp_params(s)?,
        perp_params(s)?,
        perp_params(s)?,
        perp_params(s)?,
        perp_params(s)?,
        perp_params(s)?,
        perp_params(s)?,
    ];
    let mut token_prices = [OraclePrice::exact(Wad::ONE)?; MARKETS];
    for p in &mut token_prices {
        *p = OraclePrice::new(s.wad(), s.wad())?;
    }
    let mut perp_prices = [OraclePrice::exact(Wad::ONE)?; MARKETS];
    for p in &mut perp_prices {
        *p = OraclePrice::new(s.wad(), s.wad())?;
    }
    let mut options = [option_params(s)?; MARKETS];
    for o in &mut options {
        *o = option_params(s)?;
    }
    let mut option_marks = [OptionMark::new(Wad::ONE, Wad::ZERO, Wad::ZERO)?; MARKETS];
    for m in &mut option_marks {
        *m = OptionMark::new(s.wad(), s.wad(), s.wad())?;
    }
    let mut account = Account::new();
    for _ in 0..5 {
        account.set_token(s.u16(), s.wad())?;
        account.set_perp(s.u16(), s.wad(), s.wad())?;
        account.set_option(s.u16(), s.wad())?;
    }
    account.open(match s.u16() % 3 {
        0 => Position::Token {
            token: s.u16(),
            balance: s.wad(),
        },
        1 => Position::Perp {
            market: s.u16(),
            base: s.wad(),
            quote: s.wad(),
        },
        _ => Position::Option {
            series: s.u16(),
            quantity: s.wad(),
        },
    })?;
    account.add_token(s.u16(), s.wad())?;
    Ok(World {
        tokens,
        token_prices,
        perps,
        perp_prices,
        options,
        option_marks,
        account,
    })
}

fn context(w: &World) -> Result<OptionContext<'_>> {
    Context::new(&w.tokens, &w.token_prices, &w.perps, &w.perp_prices)?.with_options(&w.options, &w.option_marks)
}

fn liquidation_params(s: &mut Src) -> Result<LiquidationParams> {
    let close_factor = if s.bool() {
        CloseFactor::aave(s.wad())?
    } else {
        CloseFactor::new(CloseFactorRaw {
            normal: s.wad(),
            full_below: s.wad(),
            dust: s.wad(),
        })?
    };
    Ok(LiquidationParams {
        close_factor,
        target: s.level(),
        mode: if s.bool() {
            lce::liquidation::Mode::Request
        } else {
            lce::liquidation::Mode::Target
        },
    })
}

fn health(s: &mut Src) -> Result<u64> {
    let w = world(s)?;
    let ctx = context(&w)?;
    let level = s.level();
    let h = crate::kernel::health(&w.account, &ctx, level)?;
    let skip = s.u16();
    let without = account::health_without(
        &w.account,
        &ctx,
        HealthLevel::Initial,
        |p| matches!(*p, Position::Token { token, .. } if token == skip),
    )?;
    let (tp, price) = ctx.token(s.u16())?;
    let (pp, pprice) = ctx.perp(s.u16())?;
    let first = w.account.positions().first().copied();
    Ok(sink((
        h.value(),
        h.factor(),
        without.factor(),
        account::is_liquidatable(&w.account, &ctx),
        account::token_contribution(tp, price, level, s.wad()),
        account::perp_contribution(pp, pprice, level, s.wad(), s.wad()),
        ctx.option(s.u16())
            .and_then(|(op, mark, spot)| account::option_contribution(op, &mark, spot, level, s.wad())),
        first.map(|p| account::position_contribution(&p, &ctx, level)),
        tp.asset_weight(level, s.wad()),
        tp.liability_weight(level, s.wad()),
        pp.margin(level, s.wad()),
        w.account.token_balance(s.u16()),
        w.account.perp(s.u16()),
    )))
}

/// Health at every level, its factor, contributions, weights and `is_liquidatable`.
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_health(seed: u64) -> u64 {
    sink(health(&mut Src::new(seed)))
}

fn liquidation_price(s: &mut Src) -> Result<u64> {
    let w = world(s)?;
    let ctx = context(&w)?;
    let of = if s.bool() {
        PriceOf::Token(s.u16())
    } else {
        PriceOf::Perp(s.u16())
    };
    Ok(sink(crate::kernel::liquidation_price(&w.account, &ctx, of)))
}

/// `liquidation_price` of a token or a perp position.
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_liquidation_price(seed: u64) -> u64 {
    sink(liquidation_price(&mut Src::new(seed)))
}

fn token_liquidation(s: &mut Src) -> Result<u64> {
    let mut w = world(s)?;
    let params = liquidation_params(s)?;
    let order = TokenOrder {
        liability: s.u16(),
        collateral: s.u16(),
        max_repay: s.opt_wad(),
    };
    let ctx = Context::new(&w.tokens, &w.token_prices, &w.perps, &w.perp_prices)?
        .with_options(&w.options, &w.option_marks)?;
    let plan = crate::kernel::plan_token_liquidation(&w.account, &ctx, &params, order)?;
    let toxic = crate::kernel::toxic_with_impact(&w.account, &ctx, order, &plan, s.wad());
    let applied = crate::kernel::liquidate_token(&mut w.account, &ctx, &params, order)?;
    Ok(sink((
        plan.liquidator_receives(),
        plan.liquidator_bonus(),
        toxic,
        applied,
        params.close_factor.share(s.opt_wad(), s.wad(), s.wad()),
        params.close_factor.is_dust(s.wad()),
    )))
}

/// `plan_token_liquidation`, `liquidate_token` and `toxic_with_impact`.
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_token_liquidation(seed: u64) -> u64 {
    sink(token_liquidation(&mut Src::new(seed)))
}

fn perp_liquidation(s: &mut Src) -> Result<u64> {
    let mut w = world(s)?;
    let params = liquidation_params(s)?;
    let order = PerpOrder {
        market: s.u16(),
        max_base: s.opt_wad(),
    };
    let ctx = Context::new(&w.tokens, &w.token_prices, &w.perps, &w.perp_prices)?
        .with_options(&w.options, &w.option_marks)?;
    let plan = crate::kernel::plan_perp_liquidation(&w.account, &ctx, &params, order)?;
    let applied = crate::kernel::liquidate_perp(&mut w.account, &ctx, &params, order)?;
    Ok(sink((plan.liquidator_quote(), applied)))
}

/// `plan_perp_liquidation` and `liquidate_perp`.
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_perp_liquidation(seed: u64) -> u64 {
    sink(perp_liquidation(&mut Src::new(seed)))
}

fn option_liquidation(s: &mut Src) -> Result<u64> {
    let mut w = world(s)?;
    let params = liquidation_params(s)?;
    let order = OptionOrder {
        series: s.u16(),
        token: s.u16(),
        max_size: s.opt_wad(),
    };
    let ctx = Context::new(&w.tokens, &w.token_prices, &w.perps, &w.perp_prices)?
        .with_options(&w.options, &w.option_marks)?;
    let plan = crate::kernel::plan_option_liquidation(&w.account, &ctx, &params, order)?;
    let applied = crate::kernel::liquidate_option(&mut w.account, &ctx, &params, order)?;
    let kind = if s.u16() % 2 == 0 {
        OptionKind::Call
    } else {
        OptionKind::Put
    };
    let settled = lce::options::Settlement::new(kind, s.wad(), s.wad(), s.wad(), s.wad())?;
    let applied_settlement = settled.apply(&mut w.account, s.u16(), s.u16());
    Ok(sink((plan.liquidator_receives(), applied, settled, applied_settlement)))
}

/// `plan_option_liquidation`, `liquidate_option`, `Settlement::new` and `Settlement::apply`.
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_option_liquidation(seed: u64) -> u64 {
    sink(option_liquidation(&mut Src::new(seed)))
}

fn no_options(s: &mut Src) -> Result<u64> {
    let mut w = world(s)?;
    let params = liquidation_params(s)?;
    let ctx = Context::new(&w.tokens, &w.token_prices, &w.perps, &w.perp_prices)?;
    let h = crate::kernel::health_no_options(&w.account, &ctx, s.level());
    let order = TokenOrder {
        liability: s.u16(),
        collateral: s.u16(),
        max_repay: s.opt_wad(),
    };
    let plan = crate::kernel::plan_token_liquidation_no_options(&w.account, &ctx, &params, order);
    let applied = crate::kernel::liquidate_token_no_options(&mut w.account, &ctx, &params, order);
    let perp = PerpOrder {
        market: s.u16(),
        max_base: s.opt_wad(),
    };
    let perp = crate::kernel::liquidate_perp_no_options(&mut w.account, &ctx, &params, perp);
    Ok(sink((h, plan, applied, perp)))
}

/// Health, a token liquidation (plan and apply) and a perp liquidation through a context
/// without options: the path that cannot reach option pricing.
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_no_options(seed: u64) -> u64 {
    sink(no_options(&mut Src::new(seed)))
}

fn bankruptcy(s: &mut Src) -> Result<u64> {
    let mut w = world(s)?;
    let mut waterfall = Waterfall::new(WaterfallRaw {
        premium_buffer: s.wad(),
        insurance_fund: s.wad(),
        lender_deposits: s.wad(),
    })?;
    let ctx = Context::new(&w.tokens, &w.token_prices, &w.perps, &w.perp_prices)?
        .with_options(&w.options, &w.option_marks)?;
    let bankrupt = liquidation::is_bankrupt(&w.account);
    let bad = liquidation::bad_debt(&w.account, &ctx);
    let settled = crate::kernel::settle_bankruptcy(&mut w.account, &ctx, &mut waterfall);
    let absorbed = crate::kernel::absorb(&mut waterfall, s.wad());
    Ok(sink((bankrupt, bad, settled, absorbed, waterfall.raw())))
}

/// `is_bankrupt`, `bad_debt`, `settle_bankruptcy` and `Waterfall::absorb`.
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_bankruptcy(seed: u64) -> u64 {
    sink(bankruptcy(&mut Src::new(seed)))
}

fn amounts(s: &mut Src) -> Result<u64> {
    let seize = Seize::new(s.wad(), s.wad(), s.wad(), s.wad(), s.wad())?;
    let before = account::Health {
        assets: s.wad(),
        liabilities: s.wad(),
    };
    let after = account::Health {
        assets: s.wad(),
        liabilities: s.wad(),
    };
    let outcome = Outcome::new(before, after, s.wad(), s.wad(), liquidation::Limit::Target);
    Ok(sink((seize.liquidator_receives(), outcome)))
}

/// `Seize` (the liquidator's amounts) and `Outcome` (toxicity).
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_liquidation_amounts(seed: u64) -> u64 {
    sink(amounts(&mut Src::new(seed)))
}

fn aave(s: &mut Src) -> Result<u64> {
    let mut w = world(s)?;
    let ctx = Context::tokens(&w.tokens, &w.token_prices)?;
    let decimals = [(s.u16() % 20) as u8, (s.u16() % 20) as u8, 6, 8, 18];
    let mut p = lce::preset::aave::AaveV33::DEFAULT;
    p.close_factor = s.wad();
    p.full_below = s.wad();
    p.min_leftover_base = s.wad();
    if s.bool() {
        p.emode = Some(lce::preset::aave::EMode {
            ltv: s.wad(),
            liquidation_threshold: s.wad(),
            liquidation_bonus: s.wad(),
            collateral: u128::from(s.u64()),
        });
    }
    let data = crate::kernel::aave_account_data(&w.account, &ctx, &decimals, &p);
    let call = lce::preset::aave::Call {
        liability: s.u16(),
        collateral: s.u16(),
        debt_to_cover: s.opt_wad(),
    };
    let apply = s.bool();
    let done = crate::kernel::aave_liquidate(&mut w.account, &ctx, &decimals, &p, call, apply);
    Ok(sink((data.map(|d| d.liquidatable()), done)))
}

/// `preset::aave::account_data` and `preset::aave::liquidate`.
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_aave(seed: u64) -> u64 {
    sink(aave(&mut Src::new(seed)))
}

fn morpho(s: &mut Src) -> Result<u64> {
    let mut m = lce::preset::morpho::Market {
        lltv: s.wad(),
        price: s.i128(),
        total_supply_assets: s.i128(),
        total_borrow_assets: s.i128(),
        total_borrow_shares: s.i128(),
    };
    let mut p = lce::preset::morpho::Position {
        collateral: s.i128(),
        borrow_shares: s.i128(),
    };
    let h = crate::kernel::morpho_health(&m, &p).map(|h| h.healthy());
    let r = if s.bool() {
        lce::preset::morpho::Request::Seize(s.i128())
    } else {
        lce::preset::morpho::Request::RepayShares(s.i128())
    };
    let c = lce::preset::morpho::Constants {
        cursor: s.wad(),
        max_lif: s.wad(),
    };
    let done = crate::kernel::morpho_liquidate(&mut m, &mut p, r, &c);
    Ok(sink((h, done)))
}

/// `preset::morpho::health` and `preset::morpho::liquidate`.
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_morpho(seed: u64) -> u64 {
    sink(morpho(&mut Src::new(seed)))
}

fn marginfi(s: &mut Src) -> Result<u64> {
    let mut w = world(s)?;
    let ctx = Context::tokens(&w.tokens, &w.token_prices)?;
    let decimals = [(s.u16() % 20) as u8, (s.u16() % 16) as u8, 6, 9, 14];
    let level = if s.bool() {
        lce::preset::marginfi::Level::Initial
    } else {
        lce::preset::marginfi::Level::Maintenance
    };
    let h = crate::kernel::marginfi_health(&w.account, &ctx, &decimals, level);
    let fees = lce::preset::marginfi::Fees {
        liquidator: s.wad(),
        insurance: s.wad(),
    };
    let order = lce::preset::marginfi::Order {
        asset: s.u16(),
        liability: s.u16(),
        asset_amount: s.i128(),
    };
    let apply = s.bool();
    let done = crate::kernel::marginfi_liquidate(&mut w.account, &ctx, &decimals, &fees, order, apply);
    Ok(sink((h.and_then(|h| h.value()), done)))
}

/// `preset::marginfi::health` and `preset::marginfi::liquidate`.
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_marginfi(seed: u64) -> u64 {
    sink(marginfi(&mut Src::new(seed)))
}

fn compound_asset(s: &mut Src) -> lce::preset::compound::Asset {
    lce::preset::compound::Asset {
        price: s.i128(),
        scale: s.i128(),
        borrow_cf: s.wad(),
        liquidate_cf: s.wad(),
        liquidation_factor: s.wad(),
    }
}

fn compound(s: &mut Src) -> Result<u64> {
    let base = compound_asset(s);
    let collateral = [
        (compound_asset(s), s.i128()),
        (compound_asset(s), s.i128()),
        (compound_asset(s), s.i128()),
    ];
    let n = usize::from(s.u16() % 4);
    let coll = collateral.get(..n).unwrap_or(&[]);
    let balance = s.i128();
    let cfg = lce::preset::compound::Config {
        store_front_price_factor: s.wad(),
        reserves: s.i128(),
        target_reserves: s.i128(),
    };
    let l = crate::kernel::compound_liquidity(&base, balance, coll);
    let a = crate::kernel::compound_absorb(&base, balance, coll, &cfg).map(|a| a.base_paid_out);
    let asset = compound_asset(s);
    let b = crate::kernel::compound_buy_collateral(&base, &asset, s.i128(), s.i128(), &cfg);
    Ok(sink((l, a, b)))
}

/// `preset::compound::liquidity`, `absorb` and `buy_collateral`.
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_compound(seed: u64) -> u64 {
    sink(compound(&mut Src::new(seed)))
}
