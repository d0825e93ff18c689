//! Entry points of `lce::cascade`: a whole run of the block engine (two venues — each a lending
//! market, a perpetuals exchange or an options vault with its vol path and standard or dynamic
//! margin — behaviour, liquidators) and the equilibrium solver, on small fixed arrays.

use lce::Result;
use lce::account::OptionMark;
use lce::cascade::equilibrium::Model;
use lce::cascade::{
    Arbitrage, BehaviourMix, BehaviourMixRaw, Book, Borrower, GasSchedule, Liquidator, OptionsMargin, Resilience,
    Settings, Sizing, Slot, Venue, VenueKind, VenueParams,
};
use lce::liquidation::{LiquidationParams, Waterfall, WaterfallRaw};
use lce::liquidator::ProfileRaw;
use lce::margin::{DynamicMarginParams, DynamicMarginRaw, GovernorParams, GovernorParamsRaw, MarginGovernor};
use lce::oracle::{FeedParams, Guards};
use lce::shock::{Path, VolPath};

use crate::input::{Src, sink};
use crate::market::market;
use crate::risk::{option_params, perp_params, token_params};

fn venue(s: &mut Src) -> Result<VenueParams> {
    let kind = match s.u16() % 3 {
        0 => VenueKind::Lending {
            collateral: token_params(s)?,
            debt: token_params(s)?,
        },
        1 => VenueKind::Perp {
            market: perp_params(s)?,
        },
        _ => VenueKind::Options(Book::new(
            token_params(s)?,
            option_params(s)?,
            OptionMark::new(s.wad(), s.wad(), s.wad())?,
            if s.bool() {
                OptionsMargin::Standard
            } else {
                OptionsMargin::Dynamic(MarginGovernor::new(
                    DynamicMarginParams::new(DynamicMarginRaw {
                        base: s.wad(),
                        k_vol: s.wad(),
                        k_skew: s.wad(),
                        horizon: s.wad(),
                        floor: s.wad(),
                        cap: s.wad(),
                        init_spread: s.wad(),
                    })?,
                    GovernorParams::new(GovernorParamsRaw {
                        max_decrease: Some(s.wad()),
                        buffer: s.wad(),
                        stressed_sigma: None,
                    })?,
                ))
            },
        )?),
    };
    Ok(VenueParams {
        kind,
        liquidation: LiquidationParams::default(),
        feed: FeedParams::new(s.wad(), s.u64(), s.u64() % 4)?,
        guards: Guards::new(Some(s.u64()), Some(s.wad()), Some(s.wad()))?,
        waterfall: Waterfall::new(WaterfallRaw {
            premium_buffer: s.wad(),
            insurance_fund: s.wad(),
            lender_deposits: s.wad(),
        })?,
        outage_from: if s.bool() { Some(s.u64()) } else { None },
    })
}

fn accounts(s: &mut Src) -> Result<[Borrower; 3]> {
    Ok([
        Borrower::new(s.wad(), s.wad())?,
        Borrower::new(s.wad(), s.wad())?,
        Borrower::new(s.wad(), s.wad())?,
    ])
}

fn liquidator(s: &mut Src) -> Result<Liquidator> {
    let l = Liquidator::new(
        ProfileRaw {
            capital: s.wad(),
            gas_per_liquidation: s.wad(),
            min_profit: s.wad(),
            latency: s.u32(),
            risk_factor: s.wad(),
        },
        s.wad(),
        Some(s.wad()),
    )?;
    Ok(if s.bool() { l.with_sizing(Sizing::Whole) } else { l })
}

/// `v` with the vol path `path` when `on` (refused, typed, unless `v` is an options venue).
fn with_vol<'a>(v: Venue<'a, 8>, path: VolPath<'a>, on: bool) -> Result<Venue<'a, 8>> {
    if on { v.with_vol(path) } else { Ok(v) }
}

fn run(s: &mut Src) -> Result<u64> {
    let (v1, v2) = (venue(s)?, venue(s)?);
    let (mut a1, mut a2) = (accounts(s)?, accounts(s)?);
    let (mut q1, mut q2) = ([Slot::default(); 3], [Slot::default(); 3]);
    let mut m = market(s)?;
    // A vol path for an options venue (refused, typed, for another kind).
    let vol = |s: &mut Src| VolPath::new_skew(s.wad(), s.wad(), s.wad(), s.wad());
    let (vol1, vol2) = (vol(s)?, vol(s)?);
    let (on1, on2) = (s.bool(), s.bool());
    let mut venues = [
        with_vol(Venue::<8>::new(v1, &mut a1, &mut q1)?, vol1, on1)?,
        with_vol(Venue::<8>::new(v2, &mut a2, &mut q2)?, vol2, on2)?,
    ];
    let mut bots = [liquidator(s)?, liquidator(s)?];
    let settings = Settings {
        path: Path::new_instant(s.wad(), s.wad(), s.u64() % 8)?,
        gas: GasSchedule::new(s.wad(), None)?,
        resilience: Resilience::from_half_life(s.u64(), s.wad())?,
        arbitrage: Arbitrage::new(s.wad())?,
        block_gas: s.wad(),
        volatility: s.wad(),
        behaviour: BehaviourMix::new(BehaviourMixRaw {
            top_up: s.wad(),
            deleverage: s.wad(),
            panic: s.wad(),
            watch_band: s.wad(),
            top_up_fraction: s.wad(),
            deleverage_fraction: s.wad(),
            panic_drawdown: s.wad(),
        })?,
        risk_band: s.wad(),
        seed: s.u64(),
        max_blocks: 1 + s.u64() % 16,
    };
    let report = crate::kernel::cascade_run(settings, &mut m, &mut venues, &mut bots)?;
    Ok(sink((report.stop.name(), report.blocks, report.equilibrium_price)))
}

/// `Venue::new`, `Cascade::new`, `Cascade::run` (and so `step`) over any market model.
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_cascade(seed: u64) -> u64 {
    sink(run(&mut Src::new(seed)))
}

fn equilibrium(s: &mut Src) -> Result<u64> {
    let model = Model {
        venue: venue(s)?,
        liquidator: liquidator(s)?,
        gas_price: s.wad(),
        volatility: s.wad(),
    };
    let mut accounts = accounts(s)?;
    let mut queue = [Slot::default(); 3];
    let mut m = market(s)?;
    let eq = crate::kernel::equilibrium_solve(&model, &mut m, &mut accounts, &mut queue)?;
    Ok(sink((eq.price, eq.liquidations, eq.stop.name())))
}

/// `equilibrium::solve` over any market model.
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_equilibrium(seed: u64) -> u64 {
    sink(equilibrium(&mut Src::new(seed)))
}
