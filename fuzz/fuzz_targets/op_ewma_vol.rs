//! Fuzzes the `lce eval` op `ewma_vol`: any input object is answered, never a panic.
//!
//! Run: `python3 fuzz/seed_corpus.py && cargo +nightly fuzz run op_ewma_vol fuzz/corpus/op_ewma_vol`.
#![no_main]

#[path = "../common/op.rs"]
mod op;

libfuzzer_sys::fuzz_target!(|data: &[u8]| op::fuzz_op("ewma_vol", data));
