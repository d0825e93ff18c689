//! Fuzzes the `lce eval` op `option_expiry`: any input object is answered, never a panic.
//!
//! Run: `python3 fuzz/seed_corpus.py && cargo +nightly fuzz run op_option_expiry fuzz/corpus/op_option_expiry`.
#![no_main]

#[path = "../common/op.rs"]
mod op;

libfuzzer_sys::fuzz_target!(|data: &[u8]| op::fuzz_op("option_expiry", data));
