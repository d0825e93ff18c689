//! Property tests: the laws of the seeded generator and its samplers.
//!
//! For any seed, key or state:
//!
//! - **determinism**: the same seed gives the same stream; `derive(seed, key)` is
//!   `new(derive_seed(seed, key))`, and for a fixed seed distinct keys give distinct seeds;
//! - **each sampler is its formula** on the next raw word(s), drawn from a copy of the
//!   generator: `unit = ⌊u·10^18/2^64⌋`, `bernoulli(p) = (unit < p)`, `normal =
//!   norm_inv(open_unit, Floor)`, `below(n) = ⌊u·n/2^64⌋` when accepted;
//! - **ranges**: `below(n) < n`, `0 <= unit < 1`, `0 < open_unit < 1`, `lo <= range(lo, hi) <
//!   hi`, `normal` within `±8.7573`;
//! - **draw counts**: `unit`, `bernoulli` and `below` of a power of two consume exactly one
//!   word; `below(n)` consumes one word whenever the word is accepted;
//! - **Student t**: `T` has the sign of its numerator `Z` (the first normal), and for `ν = 1`
//!   it is `Z/|Z_1|` rounded toward negative infinity.

use lce::rng::{Rng, derive_seed};
use lce::{Rounding, Wad};
use proptest::prelude::*;

const SCALE: u128 = 1_000_000_000_000_000_000;

/// The generator after one more raw word.
fn after_one(rng: &Rng) -> Rng {
    let mut r = *rng;
    r.next_u64();
    r
}

fn any_rng() -> impl Strategy<Value = Rng> {
    prop_oneof![
        any::<u64>().prop_map(Rng::new),
        (any::<u64>(), any::<u64>()).prop_map(|(s, k)| Rng::derive(s, k)),
        any::<[u64; 4]>()
            .prop_filter("not all zero", |s| s.iter().any(|w| *w != 0))
            .prop_map(|s| Rng::from_state(s).unwrap()),
    ]
}

proptest! {
    #[test]
    fn same_seed_same_stream(seed in any::<u64>(), key in any::<u64>()) {
        let (mut a, mut b) = (Rng::new(seed), Rng::new(seed));
        for _ in 0..8 {
            prop_assert_eq!(a.next_u64(), b.next_u64());
        }
        prop_assert_eq!(Rng::derive(seed, key), Rng::new(derive_seed(seed, key)));
    }

    #[test]
    fn distinct_keys_distinct_seeds(seed in any::<u64>(), k1 in any::<u64>(), k2 in any::<u64>()) {
        prop_assume!(k1 != k2);
        prop_assert_ne!(derive_seed(seed, k1), derive_seed(seed, k2));
    }

    #[test]
    fn unit_is_its_formula(rng in any_rng()) {
        let mut r = rng;
        let u = r.clone().next_u64();
        let unit = r.unit();
        prop_assert_eq!(unit.raw() as u128, (u128::from(u) * SCALE) >> 64);
        prop_assert!(!unit.is_negative() && unit < Wad::ONE);
        prop_assert_eq!(r, after_one(&rng));
    }

    #[test]
    fn open_unit_is_inside(rng in any_rng()) {
        let mut r = rng;
        let v = r.open_unit();
        prop_assert!(v.is_positive() && v < Wad::ONE);
    }

    #[test]
    fn bernoulli_is_unit_below_p(rng in any_rng(), p in 0i128..=1_000_000_000_000_000_000) {
        let p = Wad::from_raw(p);
        let mut r = rng;
        let expected = r.clone().unit() < p;
        prop_assert_eq!(r.bernoulli(p).unwrap(), expected);
        prop_assert_eq!(r, after_one(&rng));
        prop_assert!(!rng.clone().bernoulli(Wad::ZERO).unwrap());
        prop_assert!(rng.clone().bernoulli(Wad::ONE).unwrap());
    }

    #[test]
    fn below_is_below_and_lemire(rng in any_rng(), n in 1u64..) {
        let mut r = rng;
        let u = r.clone().next_u64();
        let v = r.below(n).unwrap();
        prop_assert!(v < n);
        let m = u128::from(u) * u128::from(n);
        let t = n.wrapping_neg() % n;
        if (m as u64) >= t {
            prop_assert_eq!(u128::from(v), m >> 64);
            prop_assert_eq!(r, after_one(&rng));
        }
    }

    #[test]
    fn below_a_power_of_two_is_one_draw(rng in any_rng(), k in 0u32..64) {
        let mut r = rng;
        let u = r.clone().next_u64();
        let v = r.below(1u64 << k).unwrap();
        prop_assert_eq!(u128::from(v), (u128::from(u) << k) >> 64);
        prop_assert_eq!(r, after_one(&rng));
    }

    #[test]
    fn range_is_inside(rng in any_rng(), a in any::<i128>(), b in any::<i128>()) {
        prop_assume!(a != b);
        let (lo, hi) = (Wad::from_raw(a.min(b)), Wad::from_raw(a.max(b)));
        let v = rng.clone().range(lo, hi).unwrap();
        prop_assert!(lo <= v && v < hi);
        prop_assert!(rng.clone().range(hi, lo).is_err());
    }

    #[test]
    fn normal_is_the_floored_quantile_of_open_unit(rng in any_rng()) {
        let p = rng.clone().open_unit();
        let z = rng.clone().normal().unwrap();
        prop_assert_eq!(z, p.norm_inv(Rounding::Floor).unwrap());
        prop_assert!(z.abs().unwrap() < "8.7573".parse::<Wad>().unwrap());
    }

    #[test]
    fn student_t_has_the_sign_of_z(rng in any_rng(), nu in 1u32..12) {
        let z = rng.clone().normal().unwrap();
        let t = rng.clone().student_t(nu).unwrap();
        prop_assert_eq!(z.signum(), t.signum());
    }

    #[test]
    fn student_t_one_is_a_ratio_of_normals(rng in any_rng()) {
        let mut r = rng;
        let z = r.normal().unwrap().raw();
        let z1 = r.normal().unwrap().raw();
        prop_assume!(z1 != 0);
        let t = rng.clone().student_t(1).unwrap().raw();
        // T = Z·10^18/|Z1|, floored (|Z|·10^18 < 2^127: exact in u128).
        let q = z.unsigned_abs() * SCALE;
        let d = z1.unsigned_abs();
        let expected = if z >= 0 { (q / d) as i128 } else { -(q.div_ceil(d) as i128) };
        prop_assert_eq!(t, expected);
    }
}
