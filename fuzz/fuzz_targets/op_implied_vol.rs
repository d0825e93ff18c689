//! Fuzzes the `lce eval` op `implied_vol`: any input object is answered, never a panic.
//!
//! Run: `python3 fuzz/seed_corpus.py && cargo +nightly fuzz run op_implied_vol fuzz/corpus/op_implied_vol`.
#![no_main]

#[path = "../common/op.rs"]
mod op;

libfuzzer_sys::fuzz_target!(|data: &[u8]| op::fuzz_op("implied_vol", data));
