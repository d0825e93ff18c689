//! Entry point of `lce::liquidator`: `decide` against any market model.

use lce::Result;
use lce::liquidator::{Environment, EnvironmentRaw, Opportunity, Profile, ProfileRaw};

use crate::input::{Src, sink};
use crate::market::market;

fn decide(s: &mut Src) -> Result<u64> {
    let profile = Profile::new(ProfileRaw {
        capital: s.wad(),
        gas_per_liquidation: s.wad(),
        min_profit: s.wad(),
        latency: s.u32(),
        risk_factor: s.wad(),
    })?;
    let env = Environment::new(EnvironmentRaw {
        gas_price: s.wad(),
        volatility: s.wad(),
    })?;
    let opp = Opportunity {
        repay_max: s.wad(),
        liab_price: s.wad(),
        coll_price: s.wad(),
        bonus: s.wad(),
        protocol_fee_share: s.wad(),
    };
    let market = market(s)?;
    let d = crate::kernel::decide(&profile, &env, &market, &opp)?;
    Ok(sink((d, d.reason.name())))
}

/// `liquidator::decide`.
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_decide(seed: u64) -> u64 {
    sink(decide(&mut Src::new(seed)))
}
