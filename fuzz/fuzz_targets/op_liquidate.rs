//! Fuzzes the `lce eval` op `liquidate`: any input object is answered, never a panic.
//!
//! Run: `python3 fuzz/seed_corpus.py && cargo +nightly fuzz run op_liquidate fuzz/corpus/op_liquidate`.
#![no_main]

#[path = "../common/op.rs"]
mod op;

libfuzzer_sys::fuzz_target!(|data: &[u8]| op::fuzz_op("liquidate", data));
