//! Property tests: the laws of the oracle module.
//!
//! For a push feed observed at every block `0..n` (deviation `δ`, heartbeat `H`, latency `L`):
//!
//! - **provenance**: the price visible at block `t` is the market price of block
//!   `decided_at <= t − L`, and it is the newest decided round with `decided_at <= t − L`;
//! - **no silent move**: between two consecutive rounds decided at `d < d'`, every market price
//!   `p_b` (`d < b < d'`) is within `δ` of the older round (`|p_b − p_d| <= δ·p_d`, exactly),
//!   `d' − d <= H`, and when the newer round's price is itself within `δ` the heartbeat fired
//!   (`d' − d = H`);
//! - **bounded age**: once a round is visible, `age < H + L` at every block;
//! - **transparency**: with `δ = 0` and `L = 0` the visible price is the market price at every block;
//! - **the ring buffer keeps what matters**: a feed of capacity 4 shows the same price as one
//!   of capacity 256 at every observed block (or refuses with a capacity error);
//! - **TWAP** lies between the smallest and largest visible price of its window, and its
//!   floor and ceiling differ by at most 1e-18;
//! - **verdicts are monotone**: a larger `max_age` never turns a fresh price stale; a wider
//!   `conf` never turns a refused price usable; looser limits never refuse a usable price;
//! - **determinism**: the same observations give the same rounds;
//! - **stable price**: each update moves it toward the oracle (between the old stable price
//!   and the oracle, never past it) by at most `min(1, g·dt)` of itself, exactly.

use lce::oracle::{FeedParams, Guards, OraclePrice, PushFeed, Round, StablePrice, Trigger};
use lce::{Error, Rounding, Wad};
use proptest::prelude::*;

const SCALE: u128 = 1_000_000_000_000_000_000;

/// Market prices near 100 on a 0.01 grid (so moves exactly at a threshold happen).
fn prices() -> impl Strategy<Value = Vec<Wad>> {
    prop::collection::vec(9_500i128..=10_500, 1..150).prop_map(|ks| {
        ks.into_iter()
            .map(|k| Wad::from_raw(k * 10_000_000_000_000_000))
            .collect()
    })
}

/// Feed parameters: deviation on a 0.001 grid up to 5 %, heartbeat 1..20, latency 0..10.
fn params() -> impl Strategy<Value = FeedParams> {
    (0i128..=50, 1u64..20, 0u64..10)
        .prop_map(|(d, h, l)| FeedParams::new(Wad::from_raw(d * 1_000_000_000_000_000), h, l).unwrap())
}

fn run<const H: usize>(params: FeedParams, prices: &[Wad]) -> PushFeed<H> {
    let mut feed = PushFeed::new(params);
    for (b, p) in prices.iter().enumerate() {
        feed.observe(b as u64, *p).unwrap();
    }
    feed
}

/// `|to − from| <= δ·from`, exactly, for the bounded test prices (everything fits a u128).
fn within(from: Wad, to: Wad, delta: Wad) -> bool {
    let diff = to.raw().abs_diff(from.raw());
    diff * SCALE <= delta.raw() as u128 * from.raw() as u128
}

proptest! {
    #[test]
    fn the_visible_price_is_one_the_market_had_latency_blocks_earlier(params in params(), prices in prices()) {
        let feed: PushFeed<256> = run(params, &prices);
        let rounds: Vec<Round> = feed.history().copied().collect();
        prop_assert_eq!(feed.rounds() as usize, rounds.len());
        let l = params.latency();
        for t in 0..prices.len() as u64 {
            let newest = rounds.iter().rev().find(|r| r.decided_at() + l <= t).copied();
            prop_assert_eq!(feed.latest(t), newest);
            if let Some(r) = feed.latest(t) {
                prop_assert_eq!(r.price(), prices[r.decided_at() as usize]);
                prop_assert!(t - r.decided_at() >= l);
                prop_assert_eq!(r.visible_at(), r.decided_at() + l);
            }
        }
    }

    #[test]
    fn between_rounds_the_market_stayed_within_the_deviation_unless_the_heartbeat_fired(
        params in params(),
        prices in prices(),
    ) {
        let feed: PushFeed<256> = run(params, &prices);
        let rounds: Vec<Round> = feed.history().copied().collect();
        let (delta, h) = (params.deviation(), params.heartbeat());
        prop_assert_eq!(rounds[0].decided_at(), 0);
        prop_assert_eq!(rounds[0].trigger(), Trigger::First);
        for pair in rounds.windows(2) {
            let (old, new) = (pair[0], pair[1]);
            for b in old.decided_at() + 1..new.decided_at() {
                prop_assert!(within(old.price(), prices[b as usize], delta));
            }
            prop_assert!(new.decided_at() - old.decided_at() <= h);
            if within(old.price(), new.price(), delta) {
                prop_assert_eq!(new.decided_at() - old.decided_at(), h);
                prop_assert_eq!(new.trigger(), Trigger::Heartbeat);
            } else {
                prop_assert_eq!(new.trigger(), Trigger::Deviation);
            }
        }
        // After the last round, no move beyond δ and no elapsed heartbeat went unpublished.
        let last = rounds[rounds.len() - 1];
        for b in last.decided_at() + 1..prices.len() as u64 {
            prop_assert!(within(last.price(), prices[b as usize], delta));
            prop_assert!(b - last.decided_at() < h);
        }
    }

    #[test]
    fn age_stays_below_heartbeat_plus_latency(params in params(), prices in prices()) {
        let mut feed: PushFeed = PushFeed::new(params);
        for (b, p) in prices.iter().enumerate() {
            let b = b as u64;
            feed.observe(b, *p).unwrap();
            // The first round is decided at 0 and visible at L.
            prop_assert_eq!(feed.age(b).is_some(), b >= params.latency());
            if let Some(age) = feed.age(b) {
                prop_assert!(age < params.heartbeat() + params.latency());
            }
        }
    }

    #[test]
    fn zero_deviation_and_latency_show_every_price_at_once(heartbeat in 1u64..20, prices in prices()) {
        let params = FeedParams::new(Wad::ZERO, heartbeat, 0).unwrap();
        let mut feed: PushFeed = PushFeed::new(params);
        for (b, p) in prices.iter().enumerate() {
            feed.observe(b as u64, *p).unwrap();
            prop_assert_eq!(feed.latest(b as u64).unwrap().price(), *p);
        }
    }

    #[test]
    fn a_small_ring_buffer_shows_the_same_price(params in params(), prices in prices()) {
        let mut small: PushFeed<4> = PushFeed::new(params);
        let mut large: PushFeed<256> = PushFeed::new(params);
        for (b, p) in prices.iter().enumerate() {
            let b = b as u64;
            large.observe(b, *p).unwrap();
            match small.observe(b, *p) {
                Ok(()) => {
                    prop_assert_eq!(small.latest(b), large.latest(b));
                    prop_assert_eq!(small.rounds(), large.rounds());
                    prop_assert_eq!(small.dropped() as usize + small.history().len(), large.history().len());
                }
                Err(e) => {
                    prop_assert_eq!(e, Error::capacity("rounds in flight", "more rounds decided and not yet visible than the history holds"));
                    // Only when the visible round plus the rounds in flight exceed 4.
                    let in_flight = large.history().filter(|r| r.visible_at() > b).count();
                    prop_assert!(in_flight + 1 > 4);
                    break;
                }
            }
        }
    }

    #[test]
    fn twap_lies_within_the_window_and_its_roundings_bracket_it(
        params in params(),
        prices in prices(),
        window in 1u64..200,
    ) {
        let feed: PushFeed<256> = run(params, &prices);
        let block = prices.len() as u64 - 1;
        let start = block.saturating_sub(window - 1);
        let seen: Vec<Wad> = (start..=block).filter_map(|t| feed.latest(t)).map(|r| r.price()).collect();
        let floor = feed.twap(block, window, Rounding::Floor);
        let ceil = feed.twap(block, window, Rounding::Ceil);
        if seen.is_empty() {
            prop_assert_eq!(floor, Err(Error::invalid("twap_window", "no block of the window has a visible price yet")));
        } else {
            let (floor, ceil) = (floor.unwrap(), ceil.unwrap());
            let lo = *seen.iter().min().unwrap();
            let hi = *seen.iter().max().unwrap();
            prop_assert!(lo <= floor && ceil <= hi);
            prop_assert!(ceil.raw() - floor.raw() <= 1);
            // Exact: floor = ⌊Σ / n⌋ on the raw values (the sums fit an i128 here).
            let sum: i128 = seen.iter().map(|p| p.raw()).sum();
            prop_assert_eq!(floor.raw(), sum / seen.len() as i128);
        }
    }

    #[test]
    fn the_same_observations_give_the_same_rounds(params in params(), prices in prices()) {
        let a: PushFeed<256> = run(params, &prices);
        let b: PushFeed<256> = run(params, &prices);
        prop_assert!(a.history().eq(b.history()));
        let block = prices.len() as u64 - 1;
        prop_assert_eq!(a.twap(block, 50, Rounding::Floor), b.twap(block, 50, Rounding::Floor));
    }

    #[test]
    fn verdicts_are_monotone(
        price in 1i128..1_000_000,
        conf_permille in 0i128..500,
        wider_permille in 0i128..500,
        age in 0u64..100,
        reference in prop::option::of(1i128..1_000_000),
        max_age in prop::option::of(0u64..100),
        extra_age in 0u64..100,
        max_conf in prop::option::of(0i128..2_000_000_000_000_000_000),
        max_dev in prop::option::of(0i128..2_000_000_000_000_000_000),
        looser in 0i128..1_000_000_000_000_000_000,
    ) {
        let unit = 1_000_000_000_000_000; // prices in units of 0.001
        let p = Wad::from_raw(price * unit);
        // conf and the extra width are each below half the price, so conf + wider < price.
        let conf = price * conf_permille / 1000;
        let wider = price * wider_permille / 1000;
        let tight = Guards::new(max_age, max_conf.map(Wad::from_raw), max_dev.map(Wad::from_raw)).unwrap();
        let reference = reference.map(|r| Wad::from_raw(r * unit));
        let quote = OraclePrice::new(p, Wad::from_raw(conf * unit)).unwrap();
        let v = tight.check(quote, age, reference);

        // A larger max_age never turns a fresh price stale.
        let older = Guards::new(max_age.map(|m| m + extra_age), tight.max_conf_ratio(), tight.max_deviation()).unwrap();
        prop_assert!(v.stale || !older.check(quote, age, reference).stale);
        prop_assert!(!older.check(quote, age, reference).stale || v.stale);

        // A wider confidence never turns a refused price usable.
        let wide = OraclePrice::new(p, Wad::from_raw((conf + wider) * unit)).unwrap();
        let w = tight.check(wide, age, reference);
        prop_assert!(v.usable() || !w.usable());
        prop_assert!(!v.conf_too_wide || w.conf_too_wide);

        // Looser limits everywhere never refuse a usable price.
        let loose = Guards::new(
            max_age.map(|m| m + extra_age),
            max_conf.map(|m| Wad::from_raw(m + looser)),
            max_dev.map(|m| Wad::from_raw(m + looser)),
        ).unwrap();
        prop_assert!(!v.usable() || loose.check(quote, age, reference).usable());

        // The refusal is the first failed guard.
        let expected = if v.stale { Some("stale") } else if v.conf_too_wide { Some("confidence") }
            else if v.deviates { Some("deviation") } else { None };
        prop_assert_eq!(v.refusal().map(|r| r.as_str()), expected);
    }

    #[test]
    fn the_stable_price_moves_toward_the_oracle_by_at_most_the_limit(
        start in 1i128..100_000,
        limit in 0i128..200_000_000_000_000_000,
        steps in prop::collection::vec((1u64..5, 1i128..100_000), 1..50),
    ) {
        let unit = 1_000_000_000_000_000; // prices in units of 0.001
        let mut stable = StablePrice::new(Wad::from_raw(start * unit), Wad::from_raw(limit), 0).unwrap();
        let mut block = 0;
        for (dt, oracle) in steps {
            block += dt;
            let oracle = Wad::from_raw(oracle * unit);
            let before = stable.price();
            stable.update(block, oracle).unwrap();
            let after = stable.price();
            // Between the old stable price and the oracle.
            prop_assert!(before.min(oracle) <= after && after <= before.max(oracle));
            // |after − before| <= min(1, g·dt)·before, exactly: compare ·10^18 in u128
            // (before <= 1e20 raw, min(1, g·dt) <= 1e18 raw: both products fit).
            let rel = (limit * i128::from(dt)).min(1_000_000_000_000_000_000) as u128;
            let moved = after.raw().abs_diff(before.raw()) * SCALE;
            prop_assert!(moved <= rel * before.raw() as u128);
        }
    }
}
