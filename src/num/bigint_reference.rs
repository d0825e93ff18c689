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
use std::vec::Vec;

use super::math::fx::Fx;
use super::math::sqrt::isqrt_wide;
use super::u256::{div_rem_wide, div_ten18_wide, mul_high_approx, mul_wide};
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
