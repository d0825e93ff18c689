//! The big-integer core checked against an independent reference: `num-bigint`.
//!
//! The 256-bit helpers of [`u256`](super::u256), the multi-limb arithmetic of
//! [`Fx`](super::math::fx::Fx) (products, Knuth's algorithm D, shifts) and the directed
//! rounding of [`Wad`](super::Wad) products and quotients are compared, over random inputs,
//! with the same quantities computed exactly by `num-bigint`'s arbitrary-precision integers,
//! as crypto-bigint and libm check theirs. The inputs lean on the edges where carries,
//! borrows and normalisation shifts change: zero, one, `2^63 - 1`, `2^63`, all-ones limbs,
//! values of one limb, divisors with their top bit set and not set.
//!
//! Not run under Miri (the numeric core's other unit tests run there; these are about values,
//! and arbitrary-precision arithmetic under Miri is slow).
#![allow(clippy::unwrap_used, clippy::arithmetic_side_effects, clippy::indexing_slicing)]

extern crate std;

use num_bigint::{BigInt, BigUint, Sign};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use std::collections::BTreeMap;
use std::vec::Vec;

use super::math::fx::Fx;
use super::math::sqrt::isqrt_wide;
use super::u256::{div_rem_wide, div_rem_words, div_ten18_wide, mul_high_approx, mul_wide};
use crate::{Error, Result, Rounding, Wad};

/// How many cases each property runs.
fn config() -> ProptestConfig {
    ProptestConfig::with_cases(1024)
}

/// A 64-bit limb: uniform, or one of the edges.
fn limb() -> impl Strategy<Value = u64> {
    prop_oneof![
        4 => any::<u64>(),
        1 => Just(0u64),
        1 => Just(1u64),
        1 => Just((1u64 << 63) - 1),
        1 => Just(1u64 << 63),
        1 => Just(u64::MAX),
    ]
}

/// A `u128` from two limbs, sometimes shifted down to a random width (one limb, a few bits).
fn wide() -> impl Strategy<Value = u128> {
    (limb(), limb(), 0u32..128, any::<bool>()).prop_map(|(h, l, s, short)| {
        let v = (u128::from(h) << 64) | u128::from(l);
        if short { v >> s } else { v }
    })
}

/// A `u128` divisor: any [`wide`] value, or one with its top bit set (no normalisation
/// shift), or one of a single limb.
fn divisor() -> impl Strategy<Value = u128> {
    prop_oneof![
        2 => wide(),
        1 => wide().prop_map(|d| d | (1 << 127)),
        1 => wide().prop_map(|d| d & (u128::from(u64::MAX) >> 1)),
        1 => limb().prop_map(u128::from),
    ]
}

/// A signed raw `Wad`: a [`wide`] magnitude with either sign, or one of the `i128` edges.
fn raw() -> impl Strategy<Value = i128> {
    prop_oneof![
        6 => (wide(), any::<bool>()).prop_map(|(m, negative)| {
            let v = m as i128;
            if negative { v.wrapping_neg() } else { v }
        }),
        1 => Just(0i128),
        1 => prop_oneof![Just(1i128), Just(-1i128), Just(10i128.pow(18)), Just(-(10i128.pow(18)))],
        1 => prop_oneof![Just(i128::MAX), Just(i128::MIN), Just(i128::MIN + 1)],
    ]
}

/// The limbs of an `Fx<N>`: each limb from [`limb`], then all but a random run of them
/// zeroed, so that the values range over every length and position (a fraction, an integer,
/// one limb, all of them).
fn limbs<const N: usize>() -> impl Strategy<Value = [u64; N]> {
    (prop::collection::vec(limb(), N), 0..=N, 0..=N).prop_map(|(v, i, j)| {
        let (start, end) = (i.min(j), i.max(j).max(i.min(j) + 1));
        let mut a = [0u64; N];
        for (k, (slot, l)) in a.iter_mut().zip(v).enumerate() {
            if (start..end).contains(&k) {
                *slot = l;
            }
        }
        a
    })
}

/// A non-negative integer from little-endian 64-bit limbs.
fn big(limbs: &[u64]) -> BigUint {
    limbs
        .iter()
        .rev()
        .fold(BigUint::default(), |acc, &l| (acc << 64u32) + l)
}

/// `hi·2^128 + lo`.
fn big2(hi: u128, lo: u128) -> BigUint {
    (BigUint::from(hi) << 128u32) + lo
}

/// `v` as `N` limbs, `None` when it needs more.
fn limbs_of<const N: usize>(v: &BigUint) -> Option<[u64; N]> {
    if v.bits() > 64 * N as u64 {
        return None;
    }
    let mut a = [0u64; N];
    for (slot, d) in a.iter_mut().zip(v.iter_u64_digits()) {
        *slot = d;
    }
    Some(a)
}

/// `v` as a `u128`, `None` when it does not fit.
fn u128_of(v: &BigUint) -> Option<u128> {
    limbs_of::<2>(v).map(|[lo, hi]| (u128::from(hi) << 64) | u128::from(lo))
}

/// The number of fractional bits of an `Fx<N>`.
const fn frac_bits(n: usize) -> u32 {
    64 * (n as u32 - 1)
}

/// `n / d` rounded in direction `rounding`, as a `Wad` (the kernel's errors: division by zero,
/// overflow outside the `i128` range).
fn rounded(n: &BigInt, d: &BigInt, rounding: Rounding) -> Result<Wad> {
    let zero = BigInt::default();
    if *d == zero {
        return Err(Error::DivisionByZero);
    }
    // `/` and `%` truncate toward zero; the remainder has the numerator's sign.
    let (q, r) = (n / d, n % d);
    let negative = (n.sign() == Sign::Minus) != (d.sign() == Sign::Minus);
    let exact = r == zero;
    let v = match rounding {
        Rounding::Floor if !exact && negative => q - 1,
        Rounding::Ceil if !exact && !negative => q + 1,
        _ => q,
    };
    i128::try_from(&v).map(Wad::from_raw).map_err(|_| Error::Overflow)
}

/// `10^18` as a `BigInt`.
fn scale() -> BigInt {
    BigInt::from(10i128.pow(18))
}

/// Both rounding directions.
const DIRECTIONS: [Rounding; 2] = [Rounding::Floor, Rounding::Ceil];

/// `Fx<N>`'s operations against the exact ones, for the inputs `a`, `b` (limbs), a shift `s`
/// and a small integer `k`.
fn fx_agrees<const N: usize>(a: [u64; N], b: [u64; N], s: u32, k: u64) -> core::result::Result<(), TestCaseError> {
    let (x, y) = (Fx::<N> { limbs: a }, Fx::<N> { limbs: b });
    let (ba, bb) = (big(&a), big(&b));
    let f = frac_bits(N);
    let fx = |v: Option<[u64; N]>| v.map(|limbs| Fx::<N> { limbs });
    // Product: (a·b) / 2^F, truncated; None when it needs more than N limbs.
    prop_assert_eq!(x.mul(&y), fx(limbs_of(&((&ba * &bb) >> f))), "mul");
    // Quotient: (a·2^F) / b, truncated; None for b = 0 or a quotient of more than N limbs.
    let quotient = if bb == BigUint::default() {
        None
    } else {
        fx(limbs_of(&((&ba << f) / &bb)))
    };
    prop_assert_eq!(x.div(&y), quotient, "div");
    // Shifts: exact left, truncated right.
    prop_assert_eq!(x.shl(s), fx(limbs_of(&(&ba << s))), "shl {}", s);
    prop_assert_eq!(Some(x.shr(s)), fx(limbs_of(&(&ba >> s))), "shr {}", s);
    // Sums, differences, and products and quotients by an integer.
    prop_assert_eq!(x.add(&y), fx(limbs_of(&(&ba + &bb))), "add");
    let difference = if ba >= bb { fx(limbs_of(&(&ba - &bb))) } else { None };
    prop_assert_eq!(x.sub(&y), difference, "sub");
    prop_assert_eq!(x.mul_u64(k), fx(limbs_of(&(&ba * k))), "mul_u64 {}", k);
    let by_k = if k == 0 { None } else { fx(limbs_of(&(&ba / k))) };
    prop_assert_eq!(x.div_u64(k), by_k, "div_u64 {}", k);
    prop_assert_eq!(u64::from(x.bit_length()), ba.bits(), "bit_length");
    Ok(())
}

/// `Fx::<N>::from_wad_scaled(mag, shift)` against `floor(mag·2^(F + shift) / 10^18)`.
fn from_wad_agrees<const N: usize>(mag: u128, shift: i32) -> core::result::Result<(), TestCaseError> {
    let total = i64::from(frac_bits(N)) + i64::from(shift);
    let num = if total >= 0 {
        BigUint::from(mag) << (total as u32)
    } else {
        BigUint::from(mag) >> ((-total) as u32)
    };
    let expect = limbs_of::<N>(&(num / BigUint::from(10u64.pow(18)))).map(|limbs| Fx::<N> { limbs });
    prop_assert_eq!(Fx::<N>::from_wad_scaled(mag, shift), expect);
    Ok(())
}

/// A divisor below `2^64` for [`div_rem_words`]'s one-word path: any width, and its edges.
fn one_word_divisor() -> impl Strategy<Value = u128> {
    prop_oneof![
        3 => (limb(), 0u32..64).prop_map(|(l, s)| u128::from(l >> s).max(1)),
        1 => prop_oneof![
            Just(1u128),
            Just(2u128),
            Just(u128::from(u32::MAX)),
            Just(1u128 << 32),
            Just(u128::from(u64::MAX >> 1)),
            Just(1u128 << 63),
            Just(u128::from(u64::MAX)),
            Just(10u128.pow(18)),
        ],
    ]
}

/// A divisor of two words (`>= 2^64`) for [`div_rem_words`]'s normalised path: any width from
/// 65 to 128 bits (every normalisation shift, 0 included), the edges `2^64`, `2^64 + 1`,
/// `2^128 - 1`, and the shapes whose first estimate is furthest off (a top word just above
/// `2^63` after normalisation, a second word near all-ones).
fn two_word_divisor() -> impl Strategy<Value = u128> {
    prop_oneof![
        4 => (limb(), limb(), 0u32..64).prop_map(|(h, l, s)| (((u128::from(h) << 64) | u128::from(l)) >> s) | (1 << 64)),
        2 => (0u64..4, limb(), 0u32..64).prop_map(|(h, l, s)| {
            // (2^63 + h)·2^64 + l, shifted down by s: normalised back to v1 = 2^63 + h.
            ((((1u128 << 63) | u128::from(h)) << 64) | u128::from(l | (u64::MAX << 8))) >> s
        }),
        1 => prop_oneof![
            Just(1u128 << 64),
            Just((1u128 << 64) + 1),
            Just((1u128 << 96) - 1),
            Just(1u128 << 96),
            Just(1u128 << 127),
            Just(u128::MAX),
            Just(10u128.pow(36)),
        ],
    ]
}

/// Inputs `(hi, lo, d)` for [`div_rem_words`], steered into each of its branches (see
/// [`words_paths`]): one- and two-word divisors; `hi` zero, small, anywhere below `d`, or just
/// below it (quotient words at or near `2^64 - 1`, estimates of `2^64 - 1`); dividends below
/// `d·2^64` (a zero high quotient word); and now and then `hi >= d` or `d = 0` (no quotient).
fn words_case() -> impl Strategy<Value = (u128, u128, u128)> {
    let hi_for = |d: u128, mode: u8, h: u128, k: u128| -> u128 {
        match mode {
            0 => 0,
            1 => h % d,
            2 => (h >> 96) % d,
            // Just below d: the top words of the dividend equal the divisor's.
            3 => d.saturating_sub(1 + k % 4),
            4 => d.saturating_sub(1 + (k % 1024) * (1 + (h % 3) * u128::from(u64::MAX))),
            // No quotient: hi >= d.
            _ => d.saturating_add(k % 3),
        }
    };
    let lo_for = |mode: u8, l: u128, k: u128| -> u128 {
        match mode {
            0 => l,
            1 => u128::MAX - k % 4,
            2 => l >> (k % 128),
            _ => k % 4,
        }
    };
    let divisor = prop_oneof![4 => one_word_divisor(), 6 => two_word_divisor(), 1 => Just(0u128)];
    (divisor, 0u8..12, 0u8..4, wide(), wide(), any::<u128>()).prop_map(move |(d, hm, lm, h, l, k)| {
        // Modes 0-4 weighted, the no-quotient mode 5 rarer.
        let hm = [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 1, 5][usize::from(hm)];
        if d == 0 {
            return (h, l, 0);
        }
        (hi_for(d, hm, h, k), lo_for(lm, l, k), d)
    })
}

/// The branches [`div_rem_words`] takes on `(hi, lo, d)`, recomputed from the algorithm's
/// definitions with big integers: which path (no quotient; one-word divisor with `hi` zero or
/// not; two-word divisor, normalised or already normal, its high quotient word skipped or
/// divided), and for each [`div_3by2`](super::u256) step its first estimate (by division,
/// or `2^64 - 1` with `r̂` below or at `2^64`) and how many corrections it needed, and whether a
/// correction ended with `r̂ >= 2^64`.
fn words_paths(hi: u128, lo: u128, d: u128) -> Vec<&'static str> {
    if d == 0 || hi >= d {
        return std::vec!["no quotient"];
    }
    if d >> 64 == 0 {
        return std::vec![if hi == 0 {
            "one word, hi = 0"
        } else {
            "one word, hi > 0"
        }];
    }
    let b = BigUint::from(1u128 << 64);
    let s = d.leading_zeros();
    let v = BigUint::from(d << s);
    let v1 = BigUint::from((d << s) >> 64);
    let u = big2(hi, lo) << s;
    let mut paths = std::vec![if s == 0 { "two words, s = 0" } else { "two words, s > 0" }];
    // One 3-by-2 step on the three words x (below v·2^64).
    let step = |x: &BigUint, paths: &mut Vec<&'static str>| {
        let top2 = x / &b;
        let q = x / &v;
        let (q0, r0) = (&top2 / &v1, &top2 % &v1);
        let (qhat, rhat) = if q0 >= b {
            let qhat = &b - 1u32;
            let rhat = &top2 - &qhat * &v1;
            paths.push(if rhat >= b {
                "estimate 2^64 - 1, r̂ >= 2^64"
            } else {
                "estimate 2^64 - 1"
            });
            (qhat, rhat)
        } else {
            paths.push("estimate by division");
            (q0, r0)
        };
        let corrections = &qhat - &q;
        paths.push(match u64::try_from(&corrections).unwrap() {
            0 => "0 corrections",
            1 => "1 correction",
            2 => "2 corrections",
            _ => "more than 2 corrections",
        });
        if corrections > BigUint::default() && rhat + corrections * &v1 >= b {
            paths.push("a correction ends with r̂ >= 2^64");
        }
    };
    let top3 = &u / &b;
    if top3 < v {
        paths.push("high word skipped");
    } else {
        paths.push("high word divided");
        step(&top3, &mut paths);
    }
    let rest = (&top3 % &v) * &b + (&u % &b);
    step(&rest, &mut paths);
    paths
}

/// A signed raw `Wad` for products: every width (so products below `2^64`, below `2^128`
/// and above, with `hi = 0` and not), the multiples of `10^18` (exact products), and the values
/// whose products straddle `2^128`, `2^128·10^18` (the largest quotient `div_ten18_wide`
/// returns) and `2^127·10^18` (the `i128` range).
fn product_factor() -> impl Strategy<Value = i128> {
    let magnitude = prop_oneof![
        3 => (wide(), 0u32..128).prop_map(|(m, s)| (m >> s) as i128 & i128::MAX),
        1 => (0i128..1_000_000_000_000).prop_map(|k| k * 10i128.pow(18)),
        // Near 2^64 and 2^64·10^9 (a square near 2^128·10^18), and sqrt(2^128) = 2^64.
        1 => (0u64..64, any::<bool>()).prop_map(|(k, up)| {
            let c = 1i128 << 64;
            if up { c + i128::from(k) } else { c - i128::from(k) }
        }),
        1 => (0u64..1024, any::<bool>()).prop_map(|(k, up)| {
            // floor(sqrt(2^128·10^18)) = 18446744073709551616·10^9, and sqrt(2^127·10^18).
            let c = 18_446_744_073_709_551_616_000_000_000i128;
            let c = if k % 2 == 0 { c } else { 13_043_817_825_332_782_212_349_571_806i128 };
            if up { c + i128::from(k) } else { c - i128::from(k) }
        }),
    ];
    (magnitude, any::<bool>()).prop_map(|(m, negative)| if negative { -m } else { m })
}

/// A pair of factors whose product straddles one of the edges of [`product_factor`] exactly:
/// `a` anywhere, `b` the quotient of the edge by `a` plus a small offset.
fn product_at_edge() -> impl Strategy<Value = (i128, i128)> {
    let edges = [
        BigUint::from(1u8) << 128u32,
        (BigUint::from(1u8) << 128u32) * 10u64.pow(18),
        (BigUint::from(1u8) << 127u32) * 10u64.pow(18),
        BigUint::from(1u8) << 64u32,
    ];
    (wide(), 0usize..4, -3i64..=3, any::<bool>(), any::<bool>()).prop_map(move |(a, e, k, na, nb)| {
        let a = (a as i128 & i128::MAX).max(1);
        let b = &edges[e] / BigUint::from(a.unsigned_abs());
        let b = i128::try_from(BigInt::from(b) + k).unwrap_or(i128::MAX);
        (if na { -a } else { a }, if nb { b.wrapping_neg() } else { b })
    })
}

/// How often each branch of [`div_rem_words`] is reached by `n` inputs of [`words_case`].
fn words_path_counts(n: usize) -> BTreeMap<&'static str, usize> {
    let mut runner = TestRunner::deterministic();
    let strategy = words_case();
    let mut counts = BTreeMap::new();
    for _ in 0..n {
        let (hi, lo, d) = strategy.new_tree(&mut runner).unwrap().current();
        for p in words_paths(hi, lo, d) {
            *counts.entry(p).or_insert(0) += 1;
        }
    }
    counts
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn mul_wide_is_the_exact_product(a in wide(), b in wide()) {
        let (hi, lo) = mul_wide(a, b);
        prop_assert_eq!(big2(hi, lo), BigUint::from(a) * b);
    }

    #[test]
    fn mul_high_approx_is_the_high_half_or_up_to_two_less(a in wide(), b in wide()) {
        let exact = u128_of(&((BigUint::from(a) * b) >> 128u32)).unwrap();
        let approx = mul_high_approx(a, b);
        prop_assert!(approx <= exact && exact - approx <= 2, "{} {}", approx, exact);
    }

    #[test]
    fn div_rem_wide_is_the_exact_quotient_and_remainder(h in wide(), lo in wide(), d in divisor(), fits in any::<bool>()) {
        // Half the cases with hi < d (the quotient fits 128 bits), the rest with any hi.
        let hi = if fits && d != 0 { h % d } else { h };
        let n = big2(hi, lo);
        let expect = if d == 0 {
            None
        } else {
            let q = &n / d;
            u128_of(&q).map(|q| (q, u128_of(&(&n % d)).unwrap()))
        };
        prop_assert_eq!(div_rem_wide(hi, lo, d), expect);
    }

    #[test]
    fn div_ten18_wide_is_the_exact_quotient(h in wide(), lo in wide(), s in 0u32..=128) {
        // hi from zero up to all 128 bits: the quotient fits exactly when n < 2^128·10^18.
        let hi = h.checked_shr(s).unwrap_or(0);
        let n = big2(hi, lo);
        let ten18 = BigUint::from(10u64.pow(18));
        let expect = u128_of(&(&n / &ten18)).map(|q| (q, &n % &ten18 != BigUint::default()));
        prop_assert_eq!(div_ten18_wide(hi, lo), expect);
    }

    #[test]
    fn isqrt_wide_is_the_integer_square_root(h in wide(), lo in wide()) {
        // Its domain: numbers below 2^254.
        let hi = h >> 2;
        let root = big2(hi, lo).sqrt();
        prop_assert_eq!(isqrt_wide(hi, lo), u128_of(&root).unwrap());
    }

    #[test]
    fn fx3_is_exact_up_to_its_truncation(a in limbs::<3>(), b in limbs::<3>(), s in 0u32..260, k in limb()) {
        fx_agrees(a, b, s, k)?;
    }

    #[test]
    fn fx5_is_exact_up_to_its_truncation(a in limbs::<5>(), b in limbs::<5>(), s in 0u32..390, k in limb()) {
        fx_agrees(a, b, s, k)?;
    }

    #[test]
    fn fx9_is_exact_up_to_its_truncation(a in limbs::<9>(), b in limbs::<9>(), s in 0u32..650, k in limb()) {
        fx_agrees(a, b, s, k)?;
    }

    #[test]
    fn fx17_is_exact_up_to_its_truncation(a in limbs::<17>(), b in limbs::<17>(), s in 0u32..1150, k in limb()) {
        fx_agrees(a, b, s, k)?;
    }

    #[test]
    fn fx_from_wad_scaled_is_the_truncated_quotient(mag in wide(), shift in -130i32..=64) {
        from_wad_agrees::<3>(mag, shift)?;
        from_wad_agrees::<5>(mag, shift)?;
        from_wad_agrees::<9>(mag, shift)?;
        from_wad_agrees::<17>(mag, shift)?;
    }

    #[test]
    fn wad_products_round_in_the_named_direction(a in raw(), b in raw()) {
        let n = BigInt::from(a) * b;
        for r in DIRECTIONS {
            prop_assert_eq!(Wad::from_raw(a).mul(Wad::from_raw(b), r), rounded(&n, &scale(), r), "{:?}", r);
        }
    }

    #[test]
    fn wad_quotients_round_in_the_named_direction(a in raw(), b in raw()) {
        let n = BigInt::from(a) * scale();
        for r in DIRECTIONS {
            prop_assert_eq!(Wad::from_raw(a).div(Wad::from_raw(b), r), rounded(&n, &BigInt::from(b), r), "{:?}", r);
        }
    }

    #[test]
    fn wad_mul_div_rounds_once_in_the_named_direction(a in raw(), b in raw(), c in raw()) {
        let n = BigInt::from(a) * b;
        for r in DIRECTIONS {
            let got = Wad::from_raw(a).mul_div(Wad::from_raw(b), Wad::from_raw(c), r);
            prop_assert_eq!(got, rounded(&n, &BigInt::from(c), r), "{:?}", r);
        }
    }

    #[test]
    fn div_rem_words_is_the_exact_quotient_and_remainder((hi, lo, d) in words_case()) {
        let n = big2(hi, lo);
        let expect = if d == 0 {
            None
        } else {
            u128_of(&(&n / d)).map(|q| (q, u128_of(&(&n % d)).unwrap()))
        };
        prop_assert_eq!(div_rem_words(hi, lo, d), expect);
        prop_assert_eq!(div_rem_wide(hi, lo, d), expect);
    }

    #[test]
    fn wad_products_at_the_edges_round_in_the_named_direction(a in product_factor(), b in product_factor(), (c, e) in product_at_edge()) {
        for (a, b) in [(a, b), (c, e)] {
            let n = BigInt::from(a) * b;
            for r in DIRECTIONS {
                prop_assert_eq!(Wad::from_raw(a).mul(Wad::from_raw(b), r), rounded(&n, &scale(), r), "{} {} {:?}", a, b, r);
            }
        }
    }

    #[test]
    fn wad_quotients_with_steered_divisors_round_in_the_named_direction(a in product_factor(), (_, _, d) in words_case(), negative in any::<bool>()) {
        // Divisors of one and two words, near 2^64 and 2^128; numerators a·10^18 on both
        // sides of 2^128 (the old split between a u128 and a 256-bit numerator).
        let b = (d >> 1) as i128;
        let b = if negative { b.wrapping_neg() } else { b };
        let n = BigInt::from(a) * scale();
        for r in DIRECTIONS {
            prop_assert_eq!(Wad::from_raw(a).div(Wad::from_raw(b), r), rounded(&n, &BigInt::from(b), r), "{} {} {:?}", a, b, r);
        }
    }

    #[test]
    fn wad_mul_div_with_steered_operands_rounds_once(a in product_factor(), b in product_factor(), (_, _, d) in words_case(), negative in any::<bool>()) {
        let c = (d >> 1) as i128;
        let c = if negative { c.wrapping_neg() } else { c };
        let n = BigInt::from(a) * b;
        for r in DIRECTIONS {
            let got = Wad::from_raw(a).mul_div(Wad::from_raw(b), Wad::from_raw(c), r);
            prop_assert_eq!(got, rounded(&n, &BigInt::from(c), r), "{} {} {} {:?}", a, b, c, r);
        }
    }
}

/// Knuth's algorithm D's rarest step, the add-back after a multiply-and-subtract that went
/// negative, on inputs that take it (the first four; the random inputs above take it a few
/// times in a run, and correct an estimated digit twice a few hundred times); and the edges
/// of [`div_rem_wide`].
#[test]
fn knuth_d_rare_steps_and_edges() {
    // u / v with the top digits of u equal to those of v: the first estimate is 2^64 - 1 and
    // the multiply-and-subtract goes negative (the add-back).
    let cases: Vec<([u64; 5], [u64; 5])> = std::vec![
        (
            [0, 0, 0, 0x8000_0000_0000_0000, 0x7fff_ffff_ffff_ffff],
            [1, 0, 0x8000_0000_0000_0000, 0, 0]
        ),
        (
            [0, 0, 0x8000_0000_0000_0000, 0x7fff_ffff_ffff_ffff, 0],
            [1, 0, 0x8000_0000_0000_0000, 0, 0]
        ),
        ([3, 0, 0x8000_0000_0000_0000, 0, 0], [1, 0, 0x2000_0000_0000_0000, 0, 0]),
        (
            [0, 0xffff_fffe, 0, 0x8000_0000_0000_0000, 0],
            [0xffff_ffff, 0, 0x8000_0000_0000_0000, 0, 0]
        ),
        ([u64::MAX; 5], [u64::MAX, u64::MAX, 0, 0, 0]),
        ([0, 0, 0, 0, 1], [u64::MAX, u64::MAX, u64::MAX, u64::MAX, 0]),
    ];
    for (a, b) in cases {
        fx_agrees::<5>(a, b, 0, 3).unwrap();
    }
    for d in [
        1,
        2,
        u128::MAX,
        1 << 127,
        (1 << 127) - 1,
        1 << 64,
        (1 << 64) - 1,
        10u128.pow(18),
    ] {
        for hi in [0, 1, d.saturating_sub(1), d] {
            for lo in [0, 1, u128::MAX, 1 << 127] {
                let n = big2(hi, lo);
                let expect = u128_of(&(&n / d)).map(|q| (q, u128_of(&(&n % d)).unwrap()));
                assert_eq!(div_rem_wide(hi, lo, d), expect, "{hi} {lo} {d}");
            }
        }
    }
}

/// The inputs of [`div_rem_words_is_the_exact_quotient_and_remainder`] reach every branch of
/// [`div_rem_words`] (a few thousand of them, each branch at least a few times), and no step
/// needs more than the two corrections Knuth's bound allows.
#[test]
fn words_cases_reach_every_branch() {
    let counts = words_path_counts(6000);
    for path in [
        "no quotient",
        "one word, hi = 0",
        "one word, hi > 0",
        "two words, s = 0",
        "two words, s > 0",
        "high word skipped",
        "high word divided",
        "estimate by division",
        "estimate 2^64 - 1",
        "estimate 2^64 - 1, r̂ >= 2^64",
        "0 corrections",
        "1 correction",
        "2 corrections",
        "a correction ends with r̂ >= 2^64",
    ] {
        let n = counts.get(path).copied().unwrap_or(0);
        assert!(n >= 3, "{path}: {n} of 6000 ({counts:?})");
    }
    assert_eq!(counts.get("more than 2 corrections"), None, "{counts:?}");
}

/// The cases of a `Wad` product `a·b / 10^18` for [`wad_products_at_the_edges_round_in_the_named_direction`]:
/// where the 256-bit product lies (below `2^64`, below `2^128`, above), whether both factors
/// are wide (the four-partial-product multiplication), whether the quotient is exact, and
/// which error, if any.
fn product_paths(a: i128, b: i128) -> Vec<&'static str> {
    let (ua, ub) = (a.unsigned_abs(), b.unsigned_abs());
    let n = BigUint::from(ua) * ub;
    let ten18 = BigUint::from(10u64.pow(18));
    let mut paths = std::vec![if n.bits() <= 64 {
        "product < 2^64"
    } else if n.bits() <= 128 {
        "product < 2^128"
    } else {
        "product >= 2^128"
    }];
    if ua >> 64 != 0 && ub >> 64 != 0 {
        paths.push("both factors wide");
    }
    let q = BigInt::from(&n / &ten18);
    let edge = BigInt::from(1u8) << 127u32;
    paths.push(if q.bits() > 128 {
        "quotient >= 2^128"
    } else if (&q - &edge).magnitude().bits() <= 8 {
        "quotient within 2^8 of 2^127"
    } else if &n % &ten18 == BigUint::default() {
        "exact"
    } else {
        "inexact"
    });
    paths
}

/// The inputs of [`wad_products_at_the_edges_round_in_the_named_direction`] reach each case of
/// [`product_paths`].
#[test]
fn product_cases_reach_every_edge() {
    let mut runner = TestRunner::deterministic();
    let strategy = (product_factor(), product_factor(), product_at_edge());
    let mut counts = BTreeMap::new();
    for _ in 0..4000 {
        let (a, b, (c, e)) = strategy.new_tree(&mut runner).unwrap().current();
        for p in product_paths(a, b).into_iter().chain(product_paths(c, e)) {
            *counts.entry(p).or_insert(0) += 1;
        }
    }
    for path in [
        "product < 2^64",
        "product < 2^128",
        "product >= 2^128",
        "both factors wide",
        "quotient >= 2^128",
        "quotient within 2^8 of 2^127",
        "exact",
        "inexact",
    ] {
        let n = counts.get(path).copied().unwrap_or(0);
        assert!(n >= 20, "{path}: {n} of 8000 ({counts:?})");
    }
}
