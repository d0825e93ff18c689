//! Fuzzes the `lce eval` op `vol_path`: any input object of a small size is answered, never a panic.
//!
//! Run: `python3 fuzz/seed_corpus.py && cargo +nightly fuzz run op_vol_path fuzz/corpus/op_vol_path`.
#![no_main]

#[path = "../common/op.rs"]
mod op;
#[path = "../common/small.rs"]
mod small;

libfuzzer_sys::fuzz_target!(|data: &[u8]| small::fuzz_op_small("vol_path", data));
