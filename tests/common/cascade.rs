//! Builders shared by the cascade tests.

use lce::Wad;
use lce::account::{HealthLevel, PerpParams, PerpParamsRaw, TokenParams, TokenParamsRaw};
use lce::cascade::equilibrium::{Equilibrium, Model, solve};
use lce::cascade::{
    Arbitrage, BehaviourMix, BehaviourMixRaw, Borrower, Cascade, GasSchedule, Liquidator, Report, Resilience, Settings,
    Sizing, Slot, Venue, VenueKind, VenueParams,
};
use lce::liquidation::{CloseFactor, CloseFactorRaw, LiquidationParams, Waterfall, WaterfallRaw};
use lce::liquidator::ProfileRaw;
use lce::market::Depth;
use lce::oracle::{FeedParams, Guards};
use lce::shock::Path;

pub use super::w;

/// A close factor that always closes the whole debt: every leftover is "dust".
pub fn close_out() -> LiquidationParams {
    LiquidationParams {
        close_factor: CloseFactor::new(CloseFactorRaw {
            dust: Wad::MAX,
            ..CloseFactor::FULL.raw()
        })
        .unwrap(),
        target: HealthLevel::LiquidationEnd,
        mode: lce::liquidation::Mode::Target,
    }
}

/// A perp venue: margins 10 % / 5 %, fee `fee`, an instant feed (latency 0, every block).
pub fn perp_venue(fee: &str, liquidation: LiquidationParams) -> VenueParams {
    let mut raw = PerpParamsRaw::new(w("0.1"), w("0.05"));
    raw.liquidation_fee = w(fee);
    VenueParams {
        kind: VenueKind::Perp {
            market: PerpParams::new(raw).unwrap(),
        },
        liquidation,
        feed: FeedParams::new(Wad::ZERO, 1, 0).unwrap(),
        guards: Guards::new(None, None, None).unwrap(),
        waterfall: Waterfall::new(WaterfallRaw {
            premium_buffer: Wad::ZERO,
            insurance_fund: w("1000"),
            lender_deposits: w("100000"),
        })
        .unwrap(),
        outage_from: None,
    }
}

/// A lending venue: collateral weights 0.75 / 0.8, bonus `bonus`; debt weights 1.
pub fn lending_venue(bonus: &str, liquidation: LiquidationParams) -> VenueParams {
    let mut coll = TokenParamsRaw::new(w("0.75"), w("0.8"), Wad::ONE, Wad::ONE);
    coll.liquidation_fee = w(bonus);
    VenueParams {
        kind: VenueKind::Lending {
            collateral: TokenParams::new(coll).unwrap(),
            debt: TokenParams::new(TokenParamsRaw::new(Wad::ONE, Wad::ONE, Wad::ONE, Wad::ONE)).unwrap(),
        },
        ..perp_venue("0.01", liquidation)
    }
}

/// A liquidator with ample capital and no costs.
pub fn free_liquidator(sizing: Sizing) -> Liquidator {
    Liquidator::new(
        ProfileRaw {
            capital: w("1000000000"),
            gas_per_liquidation: Wad::ZERO,
            min_profit: Wad::ZERO,
            latency: 0,
            risk_factor: Wad::ZERO,
        },
        Wad::ZERO,
        None,
    )
    .unwrap()
    .with_sizing(sizing)
}

/// The instantaneous model's settings: the fundamental stays at `fundamental` (a market's
/// anchor), the shock is already in the market's impact, and the impact never decays.
pub fn instant_settings(fundamental: Wad) -> Settings<'static> {
    Settings {
        path: Path::new_constant(fundamental).unwrap(),
        gas: GasSchedule::new(Wad::ONE, None).unwrap(),
        resilience: Resilience::NONE,
        arbitrage: Arbitrage::UNLIMITED,
        block_gas: Wad::ZERO,
        volatility: Wad::ZERO,
        behaviour: BehaviourMix::new(BehaviourMixRaw::HOLD).unwrap(),
        risk_band: w("0.05"),
        seed: 7,
        max_blocks: 1000,
    }
}

/// A perp long of `base` whose maintenance liquidation price is `liq` (margin 5 %):
/// `debt = base · liq · 0.95`.
pub fn long(base: &str, liq: &str) -> Borrower {
    let base = w(base);
    let debt = base.mul_floor(w(liq)).unwrap().mul_floor(w("0.95")).unwrap();
    Borrower::new(base, debt).unwrap()
}

/// `n` perp longs of `q` whose liquidation prices step down from `top` by `step`.
pub fn ladder(n: usize, q: &str, top: &str, step: &str) -> Vec<Borrower> {
    (0..n)
        .map(|i| {
            let liq = w(top).sub(w(step).mul_floor(Wad::from_i64(i as i64)).unwrap()).unwrap();
            let base = w(q);
            let debt = base.mul_floor(liq).unwrap().mul_floor(w("0.95")).unwrap();
            Borrower::new(base, debt).unwrap()
        })
        .collect()
}

/// Runs the block engine on the instantaneous model; returns the report and the accounts.
pub fn run_engine<M: Depth>(
    venue: VenueParams,
    mut accounts: Vec<Borrower>,
    mut market: M,
    sizing: Sizing,
) -> (Report, Vec<Borrower>, M) {
    let mut scratch = vec![Slot::default(); accounts.len()];
    let price = market.anchor();
    let report = {
        let mut venues = [Venue::<64>::new(venue, &mut accounts, &mut scratch).unwrap()];
        let mut liquidators = [free_liquidator(sizing)];
        let cascade = Cascade::new(instant_settings(price), &mut market, &mut venues, &mut liquidators).unwrap();
        cascade.run(&mut ()).unwrap()
    };
    (report, accounts, market)
}

/// Runs the solver on the same case.
pub fn run_solver<M: Depth>(
    venue: VenueParams,
    mut accounts: Vec<Borrower>,
    mut market: M,
) -> (Equilibrium, Vec<Borrower>, M) {
    let mut scratch = vec![Slot::default(); accounts.len()];
    let model = Model {
        venue,
        liquidator: free_liquidator(Sizing::Whole),
        gas_price: Wad::ONE,
        volatility: Wad::ZERO,
    };
    let eq = solve(&model, &mut market, &mut accounts, &mut scratch).unwrap();
    (eq, accounts, market)
}

/// The balances of every account, without the behaviour the engine draws.
pub fn positions(accounts: &[Borrower]) -> Vec<(Wad, Wad)> {
    accounts.iter().map(|a| (a.collateral, a.debt)).collect()
}
