//! Unit tests of the shock paths: exact values worked by hand.

use super::Path;
use crate::{Error, Wad};

use crate::test_support::w;

#[test]
fn constant_and_instant() {
    let c = Path::new_constant(w("2000")).unwrap();
    assert_eq!(c.price(0), Ok(w("2000")));
    assert_eq!(c.price(u64::MAX), Ok(w("2000")));
    assert_eq!(c.settles_at(), 0);
    let i = Path::new_instant(w("1"), w("0.7"), 5).unwrap();
    assert_eq!(i.price(4), Ok(w("1")));
    assert_eq!(i.price(5), Ok(w("0.7")));
    assert_eq!(i.settles_at(), 5);
    assert_eq!(i.final_price(), Ok(w("0.7")));
    assert_eq!(Path::new_instant(w("1"), w("1"), 5).unwrap().settles_at(), 0);
}

#[test]
fn linear_rounds_toward_from() {
    // 1 → 0.5 over 3 blocks from block 0: 1 − 0.5·1/3 = 0.8333…, rounded up (toward 1):
    // 0.833333333333333334; 1 − 0.5·2/3 = 0.6666…, rounded up: 0.666666666666666667.
    let down = Path::new_linear(w("1"), w("0.5"), 0, 3).unwrap();
    assert_eq!(down.price(0), Ok(w("1")));
    assert_eq!(down.price(1), Ok(w("0.833333333333333334")));
    assert_eq!(down.price(2), Ok(w("0.666666666666666667")));
    assert_eq!(down.price(3), Ok(w("0.5")));
    assert_eq!(down.price(99), Ok(w("0.5")));
    assert_eq!(down.settles_at(), 3);
    // The rise 0.5 → 1 rounds down: 0.5 + 0.5/3 = 0.666666666666666666.
    let up = Path::new_linear(w("0.5"), w("1"), 0, 3).unwrap();
    assert_eq!(up.price(1), Ok(w("0.666666666666666666")));
    // A 1e-18 drop over 10 blocks from block 7 stays at `from` until block 17.
    let tiny = Path::new_linear(w("1"), w("0.999999999999999999"), 7, 10).unwrap();
    assert_eq!(tiny.price(16), Ok(w("1")));
    assert_eq!(tiny.price(17), Ok(w("0.999999999999999999")));
    assert_eq!(tiny.settles_at(), 17);
}

#[test]
fn listed() {
    let list = [w("100"), w("90"), w("80"), w("80")];
    let p = Path::new_listed(&list).unwrap();
    assert_eq!(p.price(1), Ok(w("90")));
    assert_eq!(p.price(3), Ok(w("80")));
    assert_eq!(p.price(1_000), Ok(w("80")));
    assert_eq!(p.settles_at(), 2);
    assert_eq!(Path::new_listed(&list[..1]).unwrap().settles_at(), 0);
}

#[test]
fn constructors_name_the_field() {
    let bad = |what, why| Err(Error::Invalid { what, why });
    assert_eq!(Path::new_constant(Wad::ZERO), bad("price", "must be > 0"));
    assert_eq!(Path::new_instant(w("-1"), w("1"), 0), bad("from", "must be > 0"));
    assert_eq!(Path::new_instant(w("1"), Wad::ZERO, 0), bad("to", "must be > 0"));
    assert_eq!(Path::new_linear(w("1"), w("2"), 0, 0), bad("blocks", "must be ≥ 1"));
    assert_eq!(
        Path::new_linear(w("1"), w("2"), u64::MAX, 1),
        bad("blocks", "start + blocks must fit a u64")
    );
    assert_eq!(Path::new_listed(&[]), bad("path", "must hold at least one price"));
    assert_eq!(
        Path::new_listed(&[w("1"), Wad::ZERO]),
        bad("path", "every price must be > 0")
    );
}

#[test]
fn paths_built_without_constructors_fail_cleanly() {
    assert_eq!(
        Path::Listed(&[]).price(0),
        Err(Error::invalid("path", "must hold at least one price"))
    );
    let ramp = Path::Linear {
        from: w("1"),
        to: w("2"),
        start: u64::MAX,
        blocks: 1,
    };
    assert_eq!(
        ramp.price(3),
        Err(Error::invalid("blocks", "start + blocks must fit a u64"))
    );
}

mod garch {
    use crate::rng::Rng;
    use crate::shock::{GarchParams, Path, garch_path};
    use crate::{Error, Rounding, Wad};

    use crate::test_support::w;

    #[test]
    fn parameters_name_the_field() {
        let bad = |what, why| Err(Error::Invalid { what, why });
        let (p, o, a, b) = (w("100"), w("0.0001"), w("0.1"), w("0.85"));
        assert!(GarchParams::new(p, o, a, b, 4).is_ok());
        assert_eq!(GarchParams::new(Wad::ZERO, o, a, b, 4), bad("price", "must be > 0"));
        assert_eq!(GarchParams::new(p, Wad::ZERO, a, b, 4), bad("omega", "must be > 0"));
        assert_eq!(GarchParams::new(p, o, w("-0.1"), b, 4), bad("alpha", "must be ≥ 0"));
        assert_eq!(
            GarchParams::new(p, o, a, w("0.9"), 4),
            bad("beta", "alpha + beta must be < 1 (a stationary variance)")
        ); // 0.1 + 0.9 = 1
        assert_eq!(
            GarchParams::new(p, o, a, b, 2),
            bad("nu", "must be in [3, 1000] (a finite variance)")
        );
        assert_eq!(
            GarchParams::new(p, o, a, b, 1001),
            bad("nu", "must be in [3, 1000] (a finite variance)")
        );
        let g = GarchParams::new(p, o, a, b, 4).unwrap();
        assert_eq!(g.with_jumps(w("1.1"), w("-0.2")), bad("jump_prob", "must be in [0, 1]"));
    }

    #[test]
    fn the_first_step_replayed_by_hand() {
        // ν = 4: c = √(⌊2/4⌋) = √0.5 floored = 0.707106781186547524.
        // σ²_1 = 0.0001/(1 − 0.1 − 0.85) = 0.002 exactly; σ_1 = √0.002 floored.
        let g = GarchParams::new(w("100"), w("0.0001"), w("0.1"), w("0.85"), 4)
            .unwrap()
            .with_jumps(w("0.5"), w("-0.2"))
            .unwrap();
        let c = w("0.5").sqrt(Rounding::Floor).unwrap();
        assert_eq!(c, w("0.707106781186547524"));
        let mut rng = Rng::new(2024);
        let mut replay = rng;
        let mut out = [Wad::ZERO; 3];
        garch_path(&g, &mut rng, &mut out).unwrap();
        assert_eq!(out[0], w("100"));
        let z = replay.student_t(4).unwrap().mul_floor(c).unwrap();
        let jump = if replay.bernoulli(w("0.5")).unwrap() {
            w("-0.2")
        } else {
            Wad::ZERO
        };
        let eps = w("0.002").sqrt(Rounding::Floor).unwrap().mul_floor(z).unwrap();
        let log_price = eps.add(jump).unwrap();
        let p1 = w("100").mul_floor(log_price.exp(Rounding::Floor).unwrap()).unwrap();
        assert_eq!(out[1], p1);
        // The second step consumed exactly one more Student t (5 normals) and one Bernoulli.
        replay.student_t(4).unwrap();
        replay.bernoulli(Wad::ZERO).unwrap();
        assert_eq!(rng, replay);
        // The buffer reads as a listed path.
        assert_eq!(Path::new_listed(&out).unwrap().price(1), Ok(p1));
    }

    #[test]
    fn an_empty_buffer_draws_nothing() {
        let g = GarchParams::new(w("1"), w("0.0001"), Wad::ZERO, Wad::ZERO, 5).unwrap();
        let mut rng = Rng::new(1);
        garch_path(&g, &mut rng, &mut []).unwrap();
        assert_eq!(rng, Rng::new(1));
    }
}

mod gaussian {
    use crate::rng::Rng;
    use crate::shock::{GarchParams, GbmParams, garch_path, gbm_path};
    use crate::{Error, Rounding, Wad};

    use crate::test_support::w;

    #[test]
    fn gaussian_garch_draws_one_normal_and_one_bernoulli_a_block() {
        let g = GarchParams::gaussian(w("100"), w("0.0001"), w("0.1"), w("0.85")).unwrap();
        assert_eq!(g.nu(), None);
        assert_eq!(
            GarchParams::new(w("100"), w("0.0001"), w("0.1"), w("0.85"), 5)
                .unwrap()
                .nu(),
            Some(5)
        );
        let mut rng = Rng::new(7);
        let mut replay = rng;
        let mut out = [Wad::ZERO; 3];
        garch_path(&g, &mut rng, &mut out).unwrap();
        let z = replay.normal().unwrap();
        replay.bernoulli(Wad::ZERO).unwrap();
        let eps = w("0.002").sqrt(Rounding::Floor).unwrap().mul_floor(z).unwrap();
        assert_eq!(out[1], w("100").mul_floor(eps.exp(Rounding::Floor).unwrap()).unwrap());
        replay.normal().unwrap();
        replay.bernoulli(Wad::ZERO).unwrap();
        assert_eq!(rng, replay);
    }

    #[test]
    fn gbm_replayed_by_hand() {
        assert_eq!(
            GbmParams::new(Wad::ZERO, Wad::ZERO, Wad::ZERO),
            Err(Error::invalid("price", "must be > 0"))
        );
        assert_eq!(
            GbmParams::new(w("1"), Wad::ZERO, w("-0.1")),
            Err(Error::invalid("volatility", "must be ≥ 0"))
        );
        // σ = 0.01: σ²/2 = 0.00005 exactly; μ = 0.0001 gives m = 0.00005 a block.
        let g = GbmParams::new(w("2000"), w("0.0001"), w("0.01")).unwrap();
        let mut rng = Rng::new(11);
        let mut replay = rng;
        let mut out = [Wad::ZERO; 3];
        gbm_path(&g, &mut rng, &mut out).unwrap();
        assert_eq!(out[0], w("2000"));
        let l1 = w("0.00005")
            .add(w("0.01").mul_floor(replay.normal().unwrap()).unwrap())
            .unwrap();
        let l2 = l1
            .add(w("0.00005"))
            .unwrap()
            .add(w("0.01").mul_floor(replay.normal().unwrap()).unwrap())
            .unwrap();
        assert_eq!(out[1], w("2000").mul_floor(l1.exp(Rounding::Floor).unwrap()).unwrap());
        assert_eq!(out[2], w("2000").mul_floor(l2.exp(Rounding::Floor).unwrap()).unwrap());
        assert_eq!(rng, replay);
        // Without volatility and drift the price holds.
        let flat = GbmParams::new(w("3"), Wad::ZERO, Wad::ZERO).unwrap();
        let mut out = [Wad::ZERO; 4];
        gbm_path(&flat, &mut Rng::new(1), &mut out).unwrap();
        assert_eq!(out, [w("3"); 4]);
    }
}
