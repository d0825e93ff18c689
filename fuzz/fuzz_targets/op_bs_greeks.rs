//! Fuzzes the `lce eval` op `bs_greeks`: any input object is answered, never a panic.
//!
//! Run: `python3 fuzz/seed_corpus.py && cargo +nightly fuzz run op_bs_greeks fuzz/corpus/op_bs_greeks`.
#![no_main]

#[path = "../common/op.rs"]
mod op;

libfuzzer_sys::fuzz_target!(|data: &[u8]| op::fuzz_op("bs_greeks", data));
