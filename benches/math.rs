//! Side-by-side benches of the numeric core against its baselines, in the same run:
//!
//! - `exp`, `ln`, `norm_cdf`: lce (correctly rounded to 1e-18) vs `libm`'s `f64` versions and
//!   `rust_decimal`'s `maths` feature (goals: within 3x of libm, 10x faster than rust_decimal);
//! - `mul_floor`, `div_floor` vs `fixed::I80F48` multiply and divide (goal: within 2x).
//!
//! Each group runs over the same 64 inputs; compare the medians of a group's lines.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::float_arithmetic,
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing
)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use fixed::types::I80F48;
use lce::{Rounding, Wad};
use rust_decimal::Decimal;
use rust_decimal::MathematicalOps;

/// 64 inputs spread over `[lo, hi)` raw units, deterministic.
fn inputs(lo: i128, hi: i128) -> Vec<Wad> {
    let span = hi - lo;
    (0..64)
        .map(|i| Wad::from_raw(lo + span / 64 * i + (i * 7_919_000_000_003) % (span / 64).max(1)))
        .collect()
}

fn to_f64(w: Wad) -> f64 {
    w.to_string().parse().unwrap()
}

fn to_decimal(w: Wad) -> Decimal {
    w.to_string().parse().unwrap()
}

fn bench_unary(
    c: &mut Criterion,
    name: &str,
    xs: &[Wad],
    lce_f: fn(Wad, Rounding) -> lce::Result<Wad>,
    libm_f: fn(f64) -> f64,
    dec_f: fn(&Decimal) -> Decimal,
) {
    let fs: Vec<f64> = xs.iter().map(|&x| to_f64(x)).collect();
    let ds: Vec<Decimal> = xs.iter().map(|&x| to_decimal(x)).collect();
    let mut g = c.benchmark_group(name);
    g.bench_function("lce", |b| {
        b.iter(|| {
            for &x in xs {
                black_box(lce_f(black_box(x), Rounding::Floor)).ok();
            }
        })
    });
    g.bench_function("libm_f64", |b| {
        b.iter(|| {
            for &x in &fs {
                black_box(libm_f(black_box(x)));
            }
        })
    });
    g.bench_function("rust_decimal", |b| {
        b.iter(|| {
            for x in &ds {
                black_box(dec_f(black_box(x)));
            }
        })
    });
    g.finish();
}

fn norm_cdf_f64(x: f64) -> f64 {
    0.5 * libm::erfc(-x / core::f64::consts::SQRT_2)
}

fn math(c: &mut Criterion) {
    let e18 = 1_000_000_000_000_000_000i128;
    bench_unary(c, "exp", &inputs(-20 * e18, 20 * e18), Wad::exp, libm::exp, |d| d.exp());
    bench_unary(c, "ln", &inputs(e18 / 1000, 1000 * e18), Wad::ln, libm::log, |d| d.ln());
    bench_unary(
        c,
        "norm_cdf",
        &inputs(-4 * e18, 4 * e18),
        Wad::norm_cdf,
        norm_cdf_f64,
        |d| d.norm_cdf(),
    );
}

fn arithmetic(c: &mut Criterion) {
    let e18 = 1_000_000_000_000_000_000i128;
    let xs = inputs(-1000 * e18, 1000 * e18);
    let ys = inputs(e18 / 3, 500 * e18);
    let fx: Vec<I80F48> = xs.iter().map(|x| x.to_i80f48(Rounding::Floor).unwrap()).collect();
    let fy: Vec<I80F48> = ys.iter().map(|y| y.to_i80f48(Rounding::Floor).unwrap()).collect();
    let mut g = c.benchmark_group("mul");
    g.bench_function("lce_mul_floor", |b| {
        b.iter(|| {
            for (&x, &y) in xs.iter().zip(&ys) {
                black_box(black_box(x).mul_floor(black_box(y))).ok();
            }
        })
    });
    g.bench_function("i80f48_checked_mul", |b| {
        b.iter(|| {
            for (&x, &y) in fx.iter().zip(&fy) {
                black_box(black_box(x).checked_mul(black_box(y)));
            }
        })
    });
    g.finish();
    let mut g = c.benchmark_group("div");
    g.bench_function("lce_div_floor", |b| {
        b.iter(|| {
            for (&x, &y) in xs.iter().zip(&ys) {
                black_box(black_box(x).div_floor(black_box(y))).ok();
            }
        })
    });
    g.bench_function("i80f48_checked_div", |b| {
        b.iter(|| {
            for (&x, &y) in fx.iter().zip(&fy) {
                black_box(black_box(x).checked_div(black_box(y)));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, math, arithmetic);
criterion_main!(benches);
