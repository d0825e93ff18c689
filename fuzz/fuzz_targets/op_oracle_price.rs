//! Fuzzes the `lce eval` op `oracle_price`: any input object is answered, never a panic.
//!
//! Run: `python3 fuzz/seed_corpus.py && cargo +nightly fuzz run op_oracle_price fuzz/corpus/op_oracle_price`.
#![no_main]

#[path = "../common/op.rs"]
mod op;

libfuzzer_sys::fuzz_target!(|data: &[u8]| op::fuzz_op("oracle_price", data));
