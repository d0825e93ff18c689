//! Fuzzes the `lce eval` op `liquidator_decision`: any input object is answered, never a panic.
//!
//! Run: `python3 fuzz/seed_corpus.py && cargo +nightly fuzz run op_liquidator_decision fuzz/corpus/op_liquidator_decision`.
#![no_main]

#[path = "../common/op.rs"]
mod op;

libfuzzer_sys::fuzz_target!(|data: &[u8]| op::fuzz_op("liquidator_decision", data));
