//! Unit tests of the generator: published reference outputs, the documented test values, and
//! hand-worked samples.

use super::*;
use crate::{Error, Wad};

#[test]
fn splitmix64_matches_published_streams() {
    let mut g = SplitMix64::new(0);
    let out: [u64; 4] = core::array::from_fn(|_| g.next_u64());
    assert_eq!(
        out,
        [
            0xE220A8397B1DCDAF,
            0x6E789E6AA1B965F4,
            0x06C45D188009454F,
            0xF88BB8A8724C81EC
        ]
    );
    let mut g = SplitMix64::new(1);
    let out: [u64; 4] = core::array::from_fn(|_| g.next_u64());
    assert_eq!(
        out,
        [
            0x910A2DEC89025CC1,
            0xBEEB8DA1658EEC67,
            0xF893A2EEFB32555E,
            0x71C18690EE42C90B
        ]
    );
    // Published with Vigna's splitmix64.c (seed 1234567) and in rand_xoshiro's test.
    let mut g = SplitMix64::new(1_234_567);
    let out: [u64; 5] = core::array::from_fn(|_| g.next_u64());
    assert_eq!(
        out,
        [
            6457827717110365317,
            3203168211198807973,
            9817491932198370423,
            4593380528125082431,
            16408922859458223821
        ]
    );
    let mut g = SplitMix64::new(1477776061723855037);
    let out: [u64; 3] = core::array::from_fn(|_| g.next_u64());
    assert_eq!(out, [1985237415132408290, 2979275885539914483, 13511426838097143398]);
}

#[test]
fn xoshiro256starstar_matches_the_reference_implementation() {
    // The reference implementation's outputs from the state [1, 2, 3, 4] (rand_xoshiro's test).
    let mut rng = Rng::from_state([1, 2, 3, 4]).unwrap();
    let out: [u64; 10] = core::array::from_fn(|_| rng.next_u64());
    assert_eq!(
        out,
        [
            11520,
            0,
            1509978240,
            1215971899390074240,
            1216172134540287360,
            607988272756665600,
            16172922978634559625,
            8476171486693032832,
            10595114339597558777,
            2904607092377533576
        ]
    );
    // The first output by hand: rotl(2·5, 7)·9 = 10·128·9 = 11520.
}

#[test]
fn seeding_is_four_splitmix_outputs() {
    assert_eq!(
        Rng::new(0).state(),
        [
            0xE220A8397B1DCDAF,
            0x6E789E6AA1B965F4,
            0x06C45D188009454F,
            0xF88BB8A8724C81EC
        ]
    );
    let mut rng = Rng::new(0);
    let out: [u64; 4] = core::array::from_fn(|_| rng.next_u64());
    assert_eq!(
        out,
        [
            0x99EC5F36CB75F2B4,
            0xBF6E1F784956452A,
            0x1A5F849D4933E6E0,
            0x6AA594F1262D2D2C
        ]
    );
    let mut rng = Rng::new(1);
    let out: [u64; 4] = core::array::from_fn(|_| rng.next_u64());
    assert_eq!(
        out,
        [
            0xB3F2AF6D0FC710C5,
            0x853B559647364CEA,
            0x92F89756082A4514,
            0x642E1C7BC266A3A7
        ]
    );
}

#[test]
fn derive_is_new_of_the_mixed_seed() {
    // d = mix64((seed ^ mix64(key + γ)) + γ); mix64(0 + γ) is SplitMix64(0)'s first output.
    let k = 0xE220A8397B1DCDAF_u64;
    assert_eq!(derive_seed(42, 0), mix64((42 ^ k).wrapping_add(GOLDEN_GAMMA)));
    assert_eq!(Rng::derive(42, 0), Rng::new(derive_seed(42, 0)));
    // Distinct keys, distinct streams; and not the plain seed's stream.
    assert_ne!(Rng::derive(42, 0).state(), Rng::derive(42, 1).state());
    assert_ne!(Rng::derive(42, 0).state(), Rng::new(42).state());
}

#[test]
fn the_zero_state_is_refused() {
    assert_eq!(
        Rng::from_state([0; 4]),
        Err(Error::invalid(
            "state",
            "must not be all zeros (a fixed point of xoshiro256**)"
        ))
    );
    assert!(Rng::from_state([0, 0, 0, 1]).is_ok());
}

#[test]
fn below_by_hand() {
    // State [1, 2, 3, 4]: u = 11520, 0, 1509978240, … With n = 3, t = 2^64 mod 3 = 1.
    // u = 11520: m = 34560, low 34560 >= 1, high 0. u = 0: low 0 < 1, rejected.
    // u = 1509978240: high 0. So two values 0, 0 from three draws.
    let mut rng = Rng::from_state([1, 2, 3, 4]).unwrap();
    assert_eq!(rng.below(3), Ok(0));
    assert_eq!(rng.below(3), Ok(0));
    let mut reference = Rng::from_state([1, 2, 3, 4]).unwrap();
    for _ in 0..3 {
        reference.next_u64();
    }
    assert_eq!(rng, reference);
    // n = 1 is always 0; n = 0 is invalid.
    assert_eq!(Rng::new(5).below(1), Ok(0));
    assert_eq!(
        Rng::new(5).below(0),
        Err(Error::invalid("n", "must be > 0 ([0, 0) is empty)"))
    );
    // n = 2^32: the high 32 bits of u (t = 0). Seed 0's first u is 0x99EC5F36CB75F2B4.
    assert_eq!(Rng::new(0).below(1 << 32), Ok(0x99EC5F36));
}

#[test]
fn unit_by_hand() {
    // u = 11520: ⌊11520·10^18 / 2^64⌋ = ⌊624.5…⌋ = 624; u = 0 → 0; u = 1509978240 → 81856084.
    let mut rng = Rng::from_state([1, 2, 3, 4]).unwrap();
    assert_eq!(rng.unit(), Wad::from_raw(624));
    assert_eq!(rng.unit(), Wad::ZERO);
    assert_eq!(rng.unit(), Wad::from_raw(81_856_084));
    // open_unit skips the 0: 624, then 81856084.
    let mut rng = Rng::from_state([1, 2, 3, 4]).unwrap();
    assert_eq!(rng.open_unit(), Wad::from_raw(624));
    assert_eq!(rng.open_unit(), Wad::from_raw(81_856_084));
}

#[test]
fn unit_extremes() {
    // u = 2^64 − 1 gives ⌊(2^64 − 1)·10^18 / 2^64⌋ = 10^18 − 1; u = 18 gives 0, u = 19 gives 1:
    // 18·10^18 = 1.8e19 < 2^64 = 1.8446…e19 <= 19·10^18.
    let unit_of = |u: u64| (u128::from(u) * 1_000_000_000_000_000_000) >> 64;
    assert_eq!(unit_of(u64::MAX), 999_999_999_999_999_999);
    assert_eq!(unit_of(18), 0);
    assert_eq!(unit_of(19), 1);
}

#[test]
fn bernoulli_by_hand() {
    // Units 624e-18, 0, 81856084e-18: below 1e-18 only the second.
    let mut rng = Rng::from_state([1, 2, 3, 4]).unwrap();
    let p = Wad::EPSILON;
    assert_eq!(rng.bernoulli(p), Ok(false));
    assert_eq!(rng.bernoulli(p), Ok(true));
    assert_eq!(rng.bernoulli(p), Ok(false));
    assert_eq!(
        rng.bernoulli(Wad::ONE.add(Wad::EPSILON).unwrap()),
        Err(Error::invalid("p", "must be in [0, 1]"))
    );
    assert_eq!(
        rng.bernoulli(Wad::from_raw(-1)),
        Err(Error::invalid("p", "must be in [0, 1]"))
    );
}

#[test]
fn range_by_hand() {
    // [0.5, 0.5 + 3e-18): below(3) on [1, 2, 3, 4] gives 0, 0 (see below_by_hand).
    let mut rng = Rng::from_state([1, 2, 3, 4]).unwrap();
    let lo: Wad = "0.5".parse().unwrap();
    let hi = Wad::from_raw(lo.raw() + 3);
    assert_eq!(rng.range(lo, hi), Ok(lo));
    assert_eq!(rng.range(lo, lo), Err(Error::invalid("hi", "must be > lo")));
    assert_eq!(rng.range(hi, lo), Err(Error::invalid("hi", "must be > lo")));
    // The wide case, width 2^127 + … (Wad::MIN to Wad::MAX): inside, and the 128-bit method
    // with u = 0x99EC5F36CB75F2B4·2^64 + 0xBF6E1F784956452A, n = 2^128 − 1: t = 1, accepted,
    // result ⌊u·(2^128 − 1) / 2^128⌋ = u − 1.
    let mut rng = Rng::new(0);
    let got = rng.range(Wad::MIN, Wad::MAX).unwrap();
    let u: u128 = (0x99EC5F36CB75F2B4_u128 << 64) | 0xBF6E1F784956452A;
    assert_eq!(got.raw(), i128::MIN.wrapping_add_unsigned(u - 1));
}

#[test]
fn normal_by_hand() {
    // p = 624e-18: Φ⁻¹(6.24e-16) = −7.99962371805725004…, floored (mpmath, gen_rng.py).
    let mut rng = Rng::from_state([1, 2, 3, 4]).unwrap();
    assert_eq!(rng.normal().unwrap(), Wad::from_raw(-7_999_623_718_057_250_048));
}

#[test]
fn student_t_by_hand() {
    // nu = 1 on state [1, 2, 3, 4]: Z = Φ⁻¹(624e-18) = −7.999623718057250048; the next
    // open_unit skips u = 0 and takes u = 1509978240 (p = 81856084e-18), Z1 = −6.392016555549247732.
    // S = Z1² (raw, units 1e-36); T = Z/|Z1| in magnitude, rounded toward −∞:
    // 7.999623718057250048 / 6.392016555549247732 = 1.25150194... (checked with Python:
    // -ceil(isqrt(...)) as in gen_rng.py).
    let mut rng = Rng::from_state([1, 2, 3, 4]).unwrap();
    let t = rng.student_t(1).unwrap();
    let z: i128 = -7_999_623_718_057_250_048;
    let z1: i128 = -6_392_016_555_549_247_732;
    // −⌈|Z|·10^18/|Z1|⌉ (ν = 1: √(Z1²) = |Z1| exactly).
    let q = (z.unsigned_abs() * 1_000_000_000_000_000_000).div_ceil(z1.unsigned_abs());
    assert_eq!(t.raw(), -i128::try_from(q).unwrap());
    assert_eq!(
        Rng::new(0).student_t(0),
        Err(Error::invalid("nu", "must be in [1, 1000] (MAX_NU)"))
    );
    assert_eq!(
        Rng::new(0).student_t(MAX_NU + 1),
        Err(Error::invalid("nu", "must be in [1, 1000] (MAX_NU)"))
    );
}

#[test]
fn student_t_has_the_sign_of_its_numerator() {
    // Z is the first normal drawn: T has its sign.
    for seed in 0..20 {
        let z = Rng::new(seed).normal().unwrap();
        let t = Rng::new(seed).student_t(4).unwrap();
        assert_eq!(z.signum(), t.signum(), "seed {seed}");
    }
}
