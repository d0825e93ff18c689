//! Fuzzes the `lce eval` op `vega_shock`: any input object is answered, never a panic.
//!
//! Run: `python3 fuzz/seed_corpus.py && cargo +nightly fuzz run op_vega_shock fuzz/corpus/op_vega_shock`.
#![no_main]

#[path = "../common/op.rs"]
mod op;

libfuzzer_sys::fuzz_target!(|data: &[u8]| op::fuzz_op("vega_shock", data));
