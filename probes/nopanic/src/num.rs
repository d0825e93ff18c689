//! Entry points of `lce::num`: `Wad` text, arithmetic, transcendental functions, adapters.

use core::fmt::{self, Write};

use fixed::types::{I80F48, U68F60};
use lce::Wad;

use crate::input::{Src, sink};

/// A fixed buffer that `fmt::Write` fills without panicking (a full buffer is `fmt::Error`).
struct Buf {
    bytes: [u8; 64],
    len: usize,
}

impl Write for Buf {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for &b in s.as_bytes() {
            let slot = self.bytes.get_mut(self.len).ok_or(fmt::Error)?;
            *slot = b;
            self.len = self.len.checked_add(1).ok_or(fmt::Error)?;
        }
        Ok(())
    }
}

/// `Wad::from_str` / `parse_decimal` on opaque bytes, `write_decimal` and `Display`.
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_wad_text(seed: u64) -> u64 {
    let mut src = Src::new(seed);
    let mut bytes = [0u8; 64];
    for b in &mut bytes {
        *b = src.u32() as u8;
    }
    let len = src.usize();
    let text = bytes
        .get(..len.min(bytes.len()))
        .and_then(|b| core::str::from_utf8(b).ok());
    let parsed = text.map(|t| (crate::kernel::parse(t), Wad::parse_decimal(t)));
    let w = src.wad();
    let mut dec = [0u8; 48];
    let written = crate::kernel::write_decimal(w, &mut dec);
    let mut buf = Buf { bytes: [0; 64], len: 0 };
    let shown = write!(buf, "{w}");
    let padded = write!(buf, "{w:>50}");
    sink((parsed, written, shown, padded, buf.len))
}

/// The checked integer-like operations.
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_wad_basic(seed: u64) -> u64 {
    let mut s = Src::new(seed);
    let (a, b) = (s.wad(), s.wad());
    sink((
        a.add(b),
        a.sub(b),
        a.neg(),
        a.abs(),
        a.min(b),
        a.max(b),
        a.floor(),
        a.ceil(),
        a.cmp_abs(b),
        a.signum(),
        Wad::from_int(s.i128()),
        Wad::from_i64(s.u64() as i64),
    ))
}

/// Products and quotients, both roundings.
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_wad_muldiv(seed: u64) -> u64 {
    let mut s = Src::new(seed);
    let (a, b, c) = (s.wad(), s.wad(), s.wad());
    let r = s.rounding();
    sink((
        a.mul(b, r),
        a.mul_floor(b),
        a.mul_ceil(b),
        a.div(b, r),
        a.div_floor(b),
        a.div_ceil(b),
        crate::kernel::mul_div(a, b, c, r),
        a.mul_div_floor(b, c),
        a.mul_div_ceil(b, c),
    ))
}

/// `exp`.
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_exp(seed: u64) -> u64 {
    let mut s = Src::new(seed);
    sink(crate::kernel::exp(s.wad(), s.rounding()))
}

/// `ln`.
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_ln(seed: u64) -> u64 {
    let mut s = Src::new(seed);
    sink(crate::kernel::ln(s.wad(), s.rounding()))
}

/// `sqrt`.
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_sqrt(seed: u64) -> u64 {
    let mut s = Src::new(seed);
    sink(crate::kernel::sqrt(s.wad(), s.rounding()))
}

/// `pow`.
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_pow(seed: u64) -> u64 {
    let mut s = Src::new(seed);
    let (x, p) = (s.wad(), s.wad());
    sink(crate::kernel::pow(x, p, s.rounding()))
}

/// The standard normal `cdf`, `pdf` and inverse `cdf`.
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_normal(seed: u64) -> u64 {
    let mut s = Src::new(seed);
    let x = s.wad();
    let r = s.rounding();
    sink((
        crate::kernel::norm_cdf(x, r),
        crate::kernel::norm_pdf(x, r),
        crate::kernel::norm_inv(x, r),
    ))
}

/// Native units and the `fixed` crate's `I80F48` / `U68F60`, both ways, both roundings.
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_convert(seed: u64) -> u64 {
    let mut s = Src::new(seed);
    let w = s.wad();
    let r = s.rounding();
    let decimals = s.u32();
    let i = I80F48::from_bits(s.i128());
    let u = U68F60::from_bits(s.i128() as u128);
    sink((
        Wad::from_native(s.i128(), decimals, r),
        w.to_native(decimals, r),
        Wad::from_i80f48(i, r),
        w.to_i80f48(r),
        Wad::from_u68f60(u, r),
        w.to_u68f60(r),
    ))
}
