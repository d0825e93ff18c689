//! Property tests: the laws of the shock paths.
//!
//! - **Linear** is monotone in the block between `from` and `to` (non-increasing on a decline,
//!   non-decreasing on a rise), stays within `[min(from, to), max(from, to)]`, hits `from` at
//!   `start` and `to` at `start + blocks` exactly, and never reaches `to` earlier (the shock
//!   arrives no earlier than written); each interpolated price is within `1e-18` of the exact
//!   line, on the side of `from`;
//! - **settling**: for every path, `price(b) = price(settles_at())` for `b >= settles_at()`, and
//!   `price(settles_at() − 1) ≠ price(settles_at())` when `settles_at() > 0`;
//! - **Listed** matches the list at every index and its last value after the end;
//! - **Instant** is `from` before `at` and `to` from `at` on;
//! - **GARCH**: prices are positive, the path is a function of the seed, and (with `α = 0`,
//!   so that the variance does not depend on the shocks) downward jumps never raise the price
//!   at any block against the same seed without jumps.
//! - **Vol paths** (`VolPath`): the skew rule never lowers the vol as the price falls, nor as
//!   the elasticity `β` grows below the anchor (a larger volatility spike), stays within
//!   `[base, cap]` at or below the anchor, and a linear vol is never below its exact ramp and
//!   within `1e-18` above it.

use lce::Wad;
use lce::rng::Rng;
use lce::shock::{GarchParams, Path, VolPath, garch_path};
use proptest::prelude::*;

/// Positive prices from 1e-18 to about 1e9.
fn price() -> impl Strategy<Value = Wad> {
    (1i128..1_000_000_000_000_000_000_000_000_000).prop_map(Wad::from_raw)
}

fn check_settles(path: &Path<'_>, probes: &[u64]) -> Result<(), TestCaseError> {
    let s = path.settles_at();
    let last = path.price(s).unwrap();
    for &d in probes {
        prop_assert_eq!(path.price(s.saturating_add(d)).unwrap(), last);
    }
    if s > 0 {
        prop_assert_ne!(path.price(s - 1).unwrap(), last);
    }
    Ok(())
}

proptest! {
    #[test]
    fn linear_is_monotone_and_exact_at_the_ends(
        from in price(), to in price(), start in 0u64..1_000, blocks in 1u64..200,
    ) {
        let path = Path::new_linear(from, to, start, blocks).unwrap();
        let (lo, hi) = (from.min(to), from.max(to));
        prop_assert_eq!(path.price(start).unwrap(), from);
        prop_assert_eq!(path.price(start + blocks).unwrap(), to);
        prop_assert_eq!(path.price(0).unwrap(), from);
        let mut prev = from;
        for b in start..=start + blocks {
            let p = path.price(b).unwrap();
            prop_assert!(lo <= p && p <= hi);
            if to < from { prop_assert!(p <= prev) } else { prop_assert!(p >= prev) }
            if b < start + blocks && from != to {
                prop_assert_ne!(p, to);
            }
            // Within one unit of the exact line, on the side of `from`.
            let k = i128::from(b - start);
            let n = i128::from(blocks);
            let exact_num = from.raw() * n + (to.raw() - from.raw()) * k; // line · blocks
            let err = p.raw() * n - exact_num;
            if to < from {
                prop_assert!(err >= 0 && err < n);
            } else {
                prop_assert!(err <= 0 && -err < n);
            }
            prev = p;
        }
        check_settles(&path, &[0, 1, 7, 1 << 40, u64::MAX])?;
    }

    #[test]
    fn instant_jumps_at_at(from in price(), to in price(), at in 0u64..1_000_000) {
        let path = Path::new_instant(from, to, at).unwrap();
        if at > 0 {
            prop_assert_eq!(path.price(at - 1).unwrap(), from);
        }
        prop_assert_eq!(path.price(at).unwrap(), to);
        check_settles(&path, &[0, 1, u64::MAX])?;
    }

    #[test]
    fn listed_matches_the_list(list in prop::collection::vec(
        prop_oneof![Just(Wad::ONE), Just(Wad::from_i64(2)), price()], 1..40)
    ) {
        let path = Path::new_listed(&list).unwrap();
        for (b, p) in list.iter().enumerate() {
            prop_assert_eq!(path.price(b as u64).unwrap(), *p);
        }
        prop_assert_eq!(path.price(list.len() as u64 + 5).unwrap(), *list.last().unwrap());
        prop_assert_eq!(path.price(u64::MAX).unwrap(), *list.last().unwrap());
        check_settles(&path, &[0, 1, 3, 100, u64::MAX])?;
    }

    #[test]
    fn constant_is_constant(p in price(), b in any::<u64>()) {
        let path = Path::new_constant(p).unwrap();
        prop_assert_eq!(path.price(b).unwrap(), p);
        prop_assert_eq!(path.settles_at(), 0);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]
    #[test]
    fn downward_jumps_never_raise_the_price(seed in any::<u64>(), beta in 0i128..900_000_000_000_000_000, nu in 3u32..8) {
        let g = GarchParams::new(Wad::from_i64(100), "0.0004".parse().unwrap(), Wad::ZERO, Wad::from_raw(beta), nu).unwrap();
        let jumps = g.with_jumps("0.3".parse().unwrap(), "-0.05".parse().unwrap()).unwrap();
        let (mut a, mut b) = ([Wad::ZERO; 24], [Wad::ZERO; 24]);
        garch_path(&g, &mut Rng::new(seed), &mut a).unwrap();
        garch_path(&jumps, &mut Rng::new(seed), &mut b).unwrap();
        let mut again = [Wad::ZERO; 24];
        garch_path(&jumps, &mut Rng::new(seed), &mut again).unwrap();
        prop_assert_eq!(b, again);
        for (p, q) in a.iter().zip(&b) {
            prop_assert!(q.is_positive() && q <= p);
        }
        prop_assert!(Path::new_listed(&b).is_ok());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn skew_vol_rises_as_the_price_falls_and_with_beta(
        base in 1i128..3_000_000_000_000_000_000,
        anchor in 1_000_000_000_000_000_000i128..10_000_000_000_000_000_000_000,
        beta in 0i128..4_000_000_000_000_000_000,
        more in 0i128..2_000_000_000_000_000_000,
        fall in 1i128..1_000_000,
        deeper in 1i128..1_000_000,
    ) {
        let (base, anchor) = (Wad::from_raw(base), Wad::from_raw(anchor));
        let cap = Wad::from_i64(5);
        let p = VolPath::new_skew(base, anchor, Wad::from_raw(beta), cap).unwrap();
        let q = VolPath::new_skew(base, anchor, Wad::from_raw(beta + more), cap).unwrap();
        // Two prices at or below the anchor, the second lower.
        let s1 = anchor.mul_floor(Wad::from_raw(1_000_000_000_000_000_000 - fall * 999)).unwrap();
        let s2 = s1.mul_floor(Wad::from_raw(1_000_000_000_000_000_000 - deeper * 999)).unwrap();
        let (v1, v2) = (p.vol(0, s1).unwrap(), p.vol(0, s2).unwrap());
        prop_assert!(v2 >= v1, "vol fell with the price: {} at {}, {} at {}", v1, s1, v2, s2);
        prop_assert!(v1 >= base && v1 <= cap);
        prop_assert!(q.vol(0, s1).unwrap() >= v1);
    }

    #[test]
    fn linear_vol_is_never_below_its_ramp(
        from in 1i128..10_000_000_000_000_000_000,
        to in 1i128..10_000_000_000_000_000_000,
        start in 0u64..100,
        blocks in 1u64..1000,
        k in 0u64..1000,
    ) {
        let p = VolPath::new_linear(Wad::from_raw(from), Wad::from_raw(to), start, blocks).unwrap();
        let b = start + k.min(blocks);
        let v = p.vol(b, Wad::ONE).unwrap().raw();
        // exact = from + (to − from)·k/blocks, compared without rounding: v·blocks ≥ exact·blocks.
        let k = i128::from(k.min(blocks));
        let n = i128::from(blocks);
        let exact_num = from * n + (to - from) * k;
        prop_assert!(v * n >= exact_num);
        prop_assert!(v * n < exact_num + n);
    }
}
