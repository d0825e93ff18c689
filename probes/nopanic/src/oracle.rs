//! Entry points of `lce::oracle`: the push feed with a full 64-round history, the guards, the
//! stable price.

use lce::Result;
use lce::oracle::{FeedParams, Guards, OraclePrice, PushFeed, StablePrice};

use crate::input::{Src, sink};

/// Observations fed to the feed: more than its 64-round history holds.
const OBSERVATIONS: usize = 80;

fn feed(s: &mut Src) -> Result<u64> {
    let mut feed: PushFeed = PushFeed::new(FeedParams::new(s.wad(), s.u64(), s.u64())?);
    for _ in 0..OBSERVATIONS {
        crate::kernel::observe(&mut feed, s.u64(), s.wad())?;
    }
    let block = s.u64();
    let latest = crate::kernel::latest(&feed, block);
    let oldest = feed.history().next().copied();
    let newest = feed.history().next_back().copied();
    Ok(sink((
        latest.map(|r| (r.price(), r.decided_at(), r.visible_at(), r.trigger())),
        feed.age(block),
        feed.last_decided(),
        feed.last_block(),
        feed.rounds(),
        feed.dropped(),
        feed.complete_from(),
        feed.first_visible_at(),
        feed.history().len(),
        (oldest, newest),
        crate::kernel::twap(&feed, block, s.u64(), s.rounding()),
        feed.params().deviation(),
    )))
}

/// `PushFeed::observe` (80 blocks into a 64-round history), `latest`, `age`, `twap`.
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_feed(seed: u64) -> u64 {
    sink(feed(&mut Src::new(seed)))
}

fn guards(s: &mut Src) -> Result<u64> {
    let guards = Guards::new(s.opt_u64(), s.opt_wad(), s.opt_wad())?;
    let price = OraclePrice::new(s.wad(), s.wad())?;
    let verdict = crate::kernel::check(&guards, price, s.u64(), s.opt_wad());
    Ok(sink((
        verdict.usable(),
        verdict.refusal().map(|r| r.as_str()),
        price.asset_price(),
        price.liability_price(),
    )))
}

/// `Guards::check` and `OraclePrice`.
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_guards(seed: u64) -> u64 {
    sink(guards(&mut Src::new(seed)))
}

fn stable(s: &mut Src) -> Result<u64> {
    let mut stable = StablePrice::new(s.wad(), s.wad(), s.u64())?;
    let first = crate::kernel::stable_update(&mut stable, s.u64(), s.wad());
    let second = stable.update(s.u64(), s.wad());
    Ok(sink((first, second, stable.price(), stable.last_update())))
}

/// `StablePrice::new` and `update`.
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_stable_price(seed: u64) -> u64 {
    sink(stable(&mut Src::new(seed)))
}
