use super::*;
use crate::Rounding;

use crate::test_support::w;

fn feed<const H: usize>(deviation: &str, heartbeat: u64, latency: u64) -> PushFeed<H> {
    PushFeed::new(FeedParams::new(w(deviation), heartbeat, latency).unwrap())
}

#[test]
fn a_move_at_the_threshold_is_not_published_one_unit_above_is() {
    // deviation 1 %: |101 − 100| / 100 = 0.01 is not > 0.01; 101.000000000000000001 is.
    let mut f: PushFeed = feed("0.01", 100, 0);
    f.observe(0, w("100")).unwrap();
    f.observe(1, w("101")).unwrap();
    assert_eq!(f.rounds(), 1);
    assert_eq!(f.latest(1).unwrap().price(), w("100"));
    f.observe(2, w("101.000000000000000001")).unwrap();
    assert_eq!(f.rounds(), 2);
    let r = f.latest(2).unwrap();
    assert_eq!(
        (r.price(), r.decided_at(), r.visible_at()),
        (w("101.000000000000000001"), 2, 2)
    );
    assert_eq!(r.trigger(), Trigger::Deviation);
}

#[test]
fn deviation_is_measured_from_the_last_decided_price() {
    // 100 decided; 100.9, 101.8 are each < 1 % from the previous observation but 101.8 is
    // 1.8 % from 100: published. 101.8 → 100.9 is 0.884 % < 1 %: not published.
    let mut f: PushFeed = feed("0.01", 100, 0);
    for (b, p) in [(0, "100"), (1, "100.9"), (2, "101.8"), (3, "100.9")] {
        f.observe(b, w(p)).unwrap();
    }
    let prices: heapless::Vec<(Wad, u64), 4> = f.history().map(|r| (r.price(), r.decided_at())).collect();
    assert_eq!(&prices[..], &[(w("100"), 0), (w("101.8"), 2)]);
}

#[test]
fn heartbeat_fires_every_heartbeat_blocks() {
    // heartbeat 3, flat price: rounds at 0, 3, 6; at block 5 the price was decided at 3.
    let mut f: PushFeed = feed("0.5", 3, 0);
    for b in 0..=6 {
        f.observe(b, w("10")).unwrap();
    }
    let decided: heapless::Vec<u64, 4> = f.history().map(Round::decided_at).collect();
    assert_eq!(&decided[..], &[0, 3, 6]);
    assert_eq!(f.latest(6).unwrap().trigger(), Trigger::Heartbeat);
    assert_eq!(f.age(5), Some(2));
    assert_eq!(f.age(6), Some(0));
}

#[test]
fn latency_hides_the_newest_rounds() {
    // deviation 0, latency 2: rounds decided at 0, 1, 2 are visible at 2, 3, 4.
    let mut f: PushFeed = feed("0", 100, 2);
    for (b, p) in [(0, "10"), (1, "11"), (2, "12")] {
        f.observe(b, w(p)).unwrap();
    }
    assert_eq!(f.latest(1), None);
    assert_eq!(f.age(1), None);
    let r = f.latest(2).unwrap();
    assert_eq!((r.price(), r.decided_at(), r.visible_at()), (w("10"), 0, 2));
    assert_eq!(f.age(2), Some(2));
    assert_eq!(f.latest(4).unwrap().price(), w("12"));
    assert_eq!(f.last_decided().unwrap().price(), w("12"));
}

#[test]
fn bad_observations_leave_the_feed_unchanged() {
    let mut f: PushFeed = feed("0", 100, 0);
    f.observe(5, w("10")).unwrap();
    let before = f.clone();
    assert_eq!(
        f.observe(5, w("11")),
        Err(Error::invalid("block", "must be after the last observed block"))
    );
    assert_eq!(
        f.observe(4, w("11")),
        Err(Error::invalid("block", "must be after the last observed block"))
    );
    assert_eq!(f.observe(6, Wad::ZERO), Err(Error::invalid("price", "must be > 0")));
    assert_eq!(f.observe(6, w("-1")), Err(Error::invalid("price", "must be > 0")));
    assert_eq!(f.last_block(), before.last_block());
    assert_eq!(f.rounds(), before.rounds());
    // block + latency beyond u64: overflow, and nothing recorded.
    let mut g: PushFeed = feed("0", 100, u64::MAX);
    g.observe(0, w("1")).unwrap();
    assert_eq!(g.observe(1, w("2")), Err(Error::Overflow));
    assert_eq!((g.rounds(), g.last_block()), (1, Some(0)));
}

#[test]
fn rounds_in_flight_must_fit() {
    // H = 2, latency 5, heartbeat 1: rounds at 0 and 1 (visible at 5, 6) fill the buffer; at
    // block 2 the oldest is not superseded (it is not even visible): capacity error.
    let mut f: PushFeed<2> = feed("0", 1, 5);
    f.observe(0, w("1")).unwrap();
    f.observe(1, w("1")).unwrap();
    assert_eq!(
        f.observe(2, w("1")),
        Err(Error::capacity(
            "rounds in flight",
            "more rounds decided and not yet visible than the history holds"
        ))
    );
    assert_eq!((f.rounds(), f.last_block(), f.dropped()), (2, Some(1), 0));
    // H = 1, latency 1: at block 1 the visible round 0 and the new one in flight need 2 slots.
    let mut g: PushFeed<1> = feed("0", 1, 1);
    g.observe(0, w("1")).unwrap();
    assert_eq!(
        g.observe(1, w("1")),
        Err(Error::capacity(
            "rounds in flight",
            "more rounds decided and not yet visible than the history holds"
        ))
    );
}

#[test]
fn the_ring_buffer_drops_the_oldest_superseded_round() {
    // H = 2, latency 0, heartbeat 1, prices 1, 2, 3: at block 2 the round of block 0 goes.
    let mut f: PushFeed<2> = feed("0", 1, 0);
    for (b, p) in [(0, "1"), (1, "2"), (2, "3")] {
        f.observe(b, w(p)).unwrap();
    }
    assert_eq!((f.rounds(), f.dropped(), f.history().len()), (3, 1, 2));
    assert_eq!(f.complete_from(), 1);
    assert_eq!(f.latest(0), None);
    assert_eq!(f.latest(1).unwrap().price(), w("2"));
    // twap over blocks 1..=2: (2 + 3) / 2 = 2.5; over 0..=2 it needs the dropped round.
    assert_eq!(f.twap(2, 2, Rounding::Floor), Ok(w("2.5")));
    assert_eq!(
        f.twap(2, 3, Rounding::Floor),
        Err(Error::capacity(
            "history",
            "the window reaches a round already dropped from the history"
        ))
    );
    // H = 1 with latency 0 always holds the newest round only.
    let mut g: PushFeed<1> = feed("0", 1, 0);
    for b in 0..10 {
        g.observe(b, Wad::from_i64(i64::try_from(b).unwrap() + 1)).unwrap();
    }
    assert_eq!((g.rounds(), g.dropped()), (10, 9));
    assert_eq!(g.latest(9).unwrap().price(), w("10"));
}

#[test]
fn twap_weights_each_block_by_its_visible_price() {
    // deviation 0, latency 1, prices 10, 10, 20, 20, 40 at blocks 0..=4: rounds at 0 (10),
    // 2 (20), 4 (40), visible at 1, 3, 5. On-chain price by block: 0 none, 1 10, 2 10,
    // 3 20, 4 20, 5 40.
    let mut f: PushFeed = feed("0", 100, 1);
    for (b, p) in [(0, "10"), (1, "10"), (2, "20"), (3, "20"), (4, "40")] {
        f.observe(b, w(p)).unwrap();
    }
    assert_eq!(f.rounds(), 3);
    // blocks 0..=4, data at 1..=4: (10 + 10 + 20 + 20) / 4 = 15.
    assert_eq!(f.twap(4, 5, Rounding::Floor), Ok(w("15")));
    assert_eq!(f.twap(4, 1000, Rounding::Ceil), Ok(w("15")));
    // blocks 3..=4: 20.
    assert_eq!(f.twap(4, 2, Rounding::Floor), Ok(w("20")));
    // blocks 3..=5: (20 + 20 + 40) / 3 = 26.666…: floor …666, ceil …667.
    assert_eq!(f.twap(5, 3, Rounding::Floor), Ok(w("26.666666666666666666")));
    assert_eq!(f.twap(5, 3, Rounding::Ceil), Ok(w("26.666666666666666667")));
    // no data, or an empty window.
    assert_eq!(
        f.twap(0, 1, Rounding::Floor),
        Err(Error::invalid(
            "twap_window",
            "no block of the window has a visible price yet"
        ))
    );
    assert_eq!(
        f.twap(4, 0, Rounding::Floor),
        Err(Error::invalid("twap_window", "must be ≥ 1 block"))
    );
}

#[test]
fn twap_of_huge_prices_and_windows_is_exact() {
    // Price MAX for u64::MAX blocks: the sum needs 192 bits; the mean is MAX exactly.
    let mut f: PushFeed = feed("0", 1, 0);
    f.observe(0, Wad::MAX).unwrap();
    assert_eq!(f.twap(u64::MAX, u64::MAX, Rounding::Ceil), Ok(Wad::MAX));
    // MAX at block 0, 1e-18 from block 1: mean over blocks 0..=1 is (MAX + 1e-18) / 2 raw,
    // (2^127 − 1 + 1) / 2 = 2^126 exactly.
    f.observe(1, Wad::EPSILON).unwrap();
    assert_eq!(f.twap(1, 2, Rounding::Floor), Ok(Wad::from_raw(1 << 126)));
}
