//! Black-Scholes-Merton side by side, in the same run: lce (price and all five greeks, each
//! correctly rounded to 1e-18) against an `f64` implementation with `libm` and against
//! `rust_decimal`'s `maths` feature.
//!
//! Each group runs over the same 32 option sets (calls and puts, strikes 70 % to 130 % of the
//! spot, maturities a month to two years, vols 20 % to 100 %: where `rust_decimal`'s `norm_pdf`
//! does not overflow); compare the medians of a group's lines. `bs_implied_vol` recovers the
//! volatility of the same 32 options from their lce prices (lce only: the baselines have no
//! implied volatility).
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::float_arithmetic,
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing
)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use lce::options::{BsInputs, BsInputsRaw, OptionKind, greeks, implied_vol, price};
use lce::{Rounding, Wad};
use rust_decimal::Decimal;
use rust_decimal::MathematicalOps;

/// The 32 option sets, as text (spot, strike, vol, t, rate, yield) and kind.
fn sets() -> Vec<(bool, [String; 6])> {
    let mut out = Vec::new();
    for i in 0..32u32 {
        let strike = 70 + (i * 37) % 61;
        let vol = 20 + (i * 13) % 81;
        let days = 30 + (i * 53) % 700;
        let set = [
            "100".to_string(),
            strike.to_string(),
            format!("0.{vol:02}").replace("0.100", "1"),
            format!("{:.6}", f64::from(days) / 365.0),
            "0.045".to_string(),
            if i % 3 == 0 {
                "0".to_string()
            } else {
                "0.01".to_string()
            },
        ];
        out.push((i % 2 == 0, set));
    }
    out
}

fn norm_cdf(x: f64) -> f64 {
    0.5 * libm::erfc(-x / core::f64::consts::SQRT_2)
}

fn norm_pdf(x: f64) -> f64 {
    libm::exp(-0.5 * x * x) / (2.0 * core::f64::consts::PI).sqrt()
}

/// Price and greeks in f64 (libm): (price, delta, gamma, vega, theta, rho).
fn bs_f64(call: bool, p: &[f64; 6]) -> [f64; 6] {
    let [s, k, v, t, r, q] = *p;
    let st = libm::sqrt(t);
    let d1 = (libm::log(s / k) + (r - q + 0.5 * v * v) * t) / (v * st);
    let d2 = d1 - v * st;
    let (dq, dr) = (libm::exp(-q * t), libm::exp(-r * t));
    let pdf = norm_pdf(d1);
    let gamma = dq * pdf / (s * v * st);
    let vega = s * dq * pdf * st;
    let decay = -s * dq * pdf * v / (2.0 * st);
    if call {
        let (n1, n2) = (norm_cdf(d1), norm_cdf(d2));
        let price = s * dq * n1 - k * dr * n2;
        [
            price,
            dq * n1,
            gamma,
            vega,
            decay - r * k * dr * n2 + q * s * dq * n1,
            t * k * dr * n2,
        ]
    } else {
        let (n1, n2) = (norm_cdf(-d1), norm_cdf(-d2));
        let price = k * dr * n2 - s * dq * n1;
        [
            price,
            -dq * n1,
            gamma,
            vega,
            decay + r * k * dr * n2 - q * s * dq * n1,
            -t * k * dr * n2,
        ]
    }
}

/// Price and greeks in rust_decimal (28 digits, its own ln/exp/sqrt/norm_cdf/norm_pdf).
fn bs_decimal(call: bool, p: &[Decimal; 6]) -> Option<[Decimal; 6]> {
    let [s, k, v, t, r, q] = *p;
    let two = Decimal::TWO;
    let st = t.sqrt()?;
    let d1 = ((s / k).ln() + (r - q + v * v / two) * t) / (v * st);
    let d2 = d1 - v * st;
    let (dq, dr) = ((-q * t).exp(), (-r * t).exp());
    let pdf = d1.checked_norm_pdf()?;
    let gamma = dq * pdf / (s * v * st);
    let vega = s * dq * pdf * st;
    let decay = -s * dq * pdf * v / (two * st);
    Some(if call {
        let (n1, n2) = (d1.norm_cdf(), d2.norm_cdf());
        let price = s * dq * n1 - k * dr * n2;
        [
            price,
            dq * n1,
            gamma,
            vega,
            decay - r * k * dr * n2 + q * s * dq * n1,
            t * k * dr * n2,
        ]
    } else {
        let (n1, n2) = ((-d1).norm_cdf(), (-d2).norm_cdf());
        let price = k * dr * n2 - s * dq * n1;
        [
            price,
            -dq * n1,
            gamma,
            vega,
            decay + r * k * dr * n2 - q * s * dq * n1,
            -t * k * dr * n2,
        ]
    })
}

fn options(c: &mut Criterion) {
    let sets = sets();
    let lce_in: Vec<(OptionKind, BsInputs)> = sets
        .iter()
        .map(|(call, p)| {
            let w: Vec<Wad> = p.iter().map(|x| x.parse().unwrap()).collect();
            let kind = if *call { OptionKind::Call } else { OptionKind::Put };
            (
                kind,
                BsInputs::new(BsInputsRaw {
                    spot: w[0],
                    strike: w[1],
                    vol: w[2],
                    t: w[3],
                    rate: w[4],
                    yield_: w[5],
                })
                .unwrap(),
            )
        })
        .collect();
    let f_in: Vec<(bool, [f64; 6])> = sets
        .iter()
        .map(|(call, p)| (*call, std::array::from_fn(|i| p[i].parse().unwrap())))
        .collect();
    let d_in: Vec<(bool, [Decimal; 6])> = sets
        .iter()
        .map(|(call, p)| (*call, std::array::from_fn(|i| p[i].parse().unwrap())))
        .collect();

    let mut g = c.benchmark_group("bs_price");
    g.bench_function("lce", |b| {
        b.iter(|| {
            for (kind, i) in &lce_in {
                black_box(price(*kind, black_box(i), Rounding::Floor)).ok();
            }
        })
    });
    g.bench_function("libm_f64", |b| {
        b.iter(|| {
            for (call, p) in &f_in {
                black_box(bs_f64(*call, black_box(p))[0]);
            }
        })
    });
    g.bench_function("rust_decimal", |b| {
        b.iter(|| {
            for (call, p) in &d_in {
                black_box(bs_decimal(*call, black_box(p)));
            }
        })
    });
    g.finish();

    let mut g = c.benchmark_group("bs_greeks");
    g.bench_function("lce", |b| {
        b.iter(|| {
            for (kind, i) in &lce_in {
                black_box(greeks(*kind, black_box(i), Rounding::Floor)).ok();
            }
        })
    });
    g.bench_function("libm_f64", |b| {
        b.iter(|| {
            for (call, p) in &f_in {
                black_box(bs_f64(*call, black_box(p)));
            }
        })
    });
    g.bench_function("rust_decimal", |b| {
        b.iter(|| {
            for (call, p) in &d_in {
                black_box(bs_decimal(*call, black_box(p)));
            }
        })
    });
    g.finish();
}

/// Implied volatility of the same 32 options, from their lce prices (each a verified bracket
/// and a bisection on the grid, through several correctly rounded prices).
fn implied(c: &mut Criterion) {
    let ivs: Vec<(OptionKind, BsInputs, Wad)> = sets()
        .iter()
        .map(|(call, p)| {
            let w: Vec<Wad> = p.iter().map(|x| x.parse().unwrap()).collect();
            let kind = if *call { OptionKind::Call } else { OptionKind::Put };
            let i = BsInputs::new(BsInputsRaw {
                spot: w[0],
                strike: w[1],
                vol: w[2],
                t: w[3],
                rate: w[4],
                yield_: w[5],
            })
            .unwrap();
            (kind, i, price(kind, &i, Rounding::Floor).unwrap())
        })
        .collect();
    let mut g = c.benchmark_group("bs_implied_vol");
    g.bench_function("lce", |b| {
        b.iter(|| {
            for (kind, i, p) in &ivs {
                black_box(implied_vol(
                    *kind,
                    black_box(*p),
                    i.spot(),
                    i.strike(),
                    i.t(),
                    i.rate(),
                    i.yield_(),
                ))
                .ok();
            }
        })
    });
    g.finish();
}

criterion_group!(benches, options, implied);
criterion_main!(benches);
