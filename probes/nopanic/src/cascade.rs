//! Entry points of `lce::cascade`: a whole run of the block engine (two venues, behaviour,
//! liquidators) and the equilibrium solver, on small fixed arrays.

use lce::Result;
use lce::cascade::equilibrium::Model;
use lce::cascade::{
    Arbitrage, BehaviourMix, BehaviourMixRaw, Borrower, GasSchedule, Liquidator, Resilience, Settings, Sizing, Slot,
    Venue, VenueKind, VenueParams,
};
use lce::liquidation::{LiquidationParams, Waterfall, WaterfallRaw};
use lce::liquidator::ProfileRaw;
use lce::oracle::{FeedParams, Guards};
use lce::shock::Path;

use crate::input::{Src, sink};
use crate::market::market;
use crate::risk::{perp_params, token_params};

fn venue(s: &mut Src) -> Result<VenueParams> {
    let kind = if s.bool() {
        VenueKind::Lending {
            collateral: token_params(s)?,
            debt: token_params(s)?,
        }
    } else {
        VenueKind::Perp {
            market: perp_params(s)?,
        }
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

fn run(s: &mut Src) -> Result<u64> {
    let (v1, v2) = (venue(s)?, venue(s)?);
    let (mut a1, mut a2) = (accounts(s)?, accounts(s)?);
    let (mut q1, mut q2) = ([Slot::default(); 3], [Slot::default(); 3]);
    let mut m = market(s)?;
    let mut venues = [
        Venue::<8>::new(v1, &mut a1, &mut q1)?,
        Venue::<8>::new(v2, &mut a2, &mut q2)?,
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
