//! Fuzzes the `lce eval` op `market_sell`: any input object is answered, never a panic.
//!
//! Run: `python3 fuzz/seed_corpus.py && cargo +nightly fuzz run op_market_sell fuzz/corpus/op_market_sell`.
#![no_main]

#[path = "../common/op.rs"]
mod op;

libfuzzer_sys::fuzz_target!(|data: &[u8]| op::fuzz_op("market_sell", data));
