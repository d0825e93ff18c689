//! Fuzzes the `lce eval` op `dynamic_margin`: any input object is answered, never a panic.
//!
//! Run: `python3 fuzz/seed_corpus.py && cargo +nightly fuzz run op_dynamic_margin fuzz/corpus/op_dynamic_margin`.
#![no_main]

#[path = "../common/op.rs"]
mod op;

libfuzzer_sys::fuzz_target!(|data: &[u8]| op::fuzz_op("dynamic_margin", data));
