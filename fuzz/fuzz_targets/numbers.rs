//! Fuzzes the numeric core: parsing never panics and round-trips; every operation either
//! fails with a typed error or brackets its exact value (`floor <= ceil <= floor + 1e-18`).
//!
//! Run: `cargo +nightly fuzz run numbers` from the repository root.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lce::{Error, Rounding, Wad};

fn bracket(f: impl Fn(Rounding) -> Result<Wad, Error>) {
    match (f(Rounding::Floor), f(Rounding::Ceil)) {
        (Ok(lo), Ok(hi)) => assert!(lo <= hi && hi.raw() - lo.raw() <= 1, "floor {lo} ceil {hi}"),
        (Ok(lo), Err(Error::Overflow)) => assert_eq!(lo, Wad::MAX),
        (Err(Error::Overflow), Ok(hi)) => assert_eq!(hi, Wad::MIN),
        (Err(a), Err(b)) => assert_eq!(a, b),
        (a, b) => panic!("floor {a:?} and ceil {b:?} disagree"),
    }
}

fuzz_target!(|data: &[u8]| {
    // Text: whatever parses prints back to an equal value.
    if let Ok(s) = core::str::from_utf8(data) {
        if let Ok(w) = s.parse::<Wad>() {
            assert_eq!(w.to_string().parse::<Wad>(), Ok(w));
        }
    }
    // Arithmetic and math on raw values taken from the bytes.
    if data.len() >= 33 {
        let mut a = [0u8; 16];
        let mut b = [0u8; 16];
        a.copy_from_slice(&data[1..17]);
        b.copy_from_slice(&data[17..33]);
        let (x, y) = (Wad::from_raw(i128::from_le_bytes(a)), Wad::from_raw(i128::from_le_bytes(b)));
        // Shrink the second operand now and then so that math functions see their busy range.
        let y_small = Wad::from_raw(y.raw() % 100_000_000_000_000_000_000);
        match data[0] % 8 {
            0 => bracket(|r| x.mul(y, r)),
            1 => bracket(|r| x.div(y, r)),
            2 => {
                bracket(|r| x.exp(r));
                bracket(|r| y_small.exp(r));
            }
            3 => bracket(|r| x.ln(r)),
            4 => bracket(|r| x.sqrt(r)),
            5 => bracket(|r| x.pow(y_small, r)),
            6 => bracket(|r| y_small.norm_cdf(r)),
            _ => {
                bracket(|r| x.norm_inv(r));
                bracket(|r| y_small.norm_pdf(r));
                bracket(|r| x.norm_pdf(r));
            }
        }
    }
});
