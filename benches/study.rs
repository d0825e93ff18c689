//! Studies: paths per second of the bundled default scenario (2 threads, and 1 for the
//! ratio), and the cost of a 10×10 sweep of 100 paths each (on a tiny scenario, so that the
//! study's own machinery — reading and patching each path's scenario, the threads, the
//! statistics — is what is measured; a sweep of the default scenario costs its 10,000 paths at
//! the first figure).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    missing_docs
)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use lce::study::{Options, Study, read_study};
use serde_json::{Value, json};

const DEFAULT: &str = include_str!("../vectors/scenarios/default.json");
const SMALL: &str = include_str!("../vectors/studies/depeg_small.json");

fn study(v: Value) -> Study {
    let Value::Object(m) = v else { panic!("an object") };
    read_study(&m, &|_| Err("no files")).unwrap()
}

/// The small de-peg scenario cut down: 26 accounts, a five-block GARCH crash.
fn tiny() -> Value {
    let mut s: Value = serde_json::from_str(SMALL).unwrap();
    s["max_blocks"] = json!(80);
    s["venues"][0]["population"]["count"] = json!(16);
    s["venues"][1]["population"]["count"] = json!(10);
    s["path"] =
        json!({"kind": "garch", "price": "2000", "omega": "0.0002", "alpha": "0.1", "beta": "0.85", "blocks": 5});
    s
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("study");
    g.sample_size(10);
    let default: Value = serde_json::from_str(DEFAULT).unwrap();
    let paths = 16u32;
    let st = study(json!({"scenario": default, "paths": paths}));
    g.throughput(Throughput::Elements(u64::from(paths)));
    for threads in [2usize, 1] {
        g.bench_function(format!("default scenario, {paths} paths, {threads} threads"), |b| {
            b.iter(|| {
                st.run(&Options {
                    threads,
                    ..Options::default()
                })
                .unwrap()
            });
        });
    }
    let values: Vec<String> = (0..10).map(|k| format!("0.0{}", k + 2)).collect();
    let capital: Vec<String> = (0..10).map(|k| format!("{}", k * 60_000)).collect();
    let sweep = json!({
        "scenario": tiny(), "paths": 100,
        "vary": [{"field": "venues[0].collateral.liquidation_fee", "values": values},
                 {"field": "liquidators[0].capital", "values": capital}]
    });
    g.throughput(Throughput::Elements(1));
    g.bench_function("read a 10x10 sweep (100 cells checked)", |b| {
        b.iter(|| study(sweep.clone()))
    });
    let st = study(sweep);
    g.throughput(Throughput::Elements(10_000));
    g.bench_function("10x10 sweep of 100 paths, tiny scenario, 2 threads", |b| {
        b.iter(|| {
            st.run(&Options {
                threads: 2,
                ..Options::default()
            })
            .unwrap()
        });
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
