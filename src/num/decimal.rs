//! The exact decimal text of a [`Wad`]: `Display`, `FromStr`, and (with `serde`) a string on
//! the wire.
//!
//! Grammar accepted by [`FromStr`](core::str::FromStr), with nothing before or after:
//!
//! ```text
//! decimal  = ["-"] digits ["." digits]      ; at most 18 digits after the point
//! digits   = 1*( "0" / "1" / ... / "9" )
//! ```
//!
//! There is no exponent, no `+`, no white space, no thousands separator. A value with more
//! than 18 fractional digits is an error, never rounded; a value outside the `i128` range is
//! [`Error::Overflow`]. `Display` prints the shortest exact form: no trailing fractional zeros,
//! no point for integers, `0` for zero (never `-0`).

use core::fmt;
use core::str::FromStr;

use super::Wad;
use super::u256::div_rem;
use super::{TEN18_NZ, TEN18_U128};
use crate::{Error, Result};

/// Enough bytes for `-170141183460469231731.687303715884105728`.
pub(crate) const MAX_DECIMAL_LEN: usize = 48;

impl Wad {
    /// Writes the exact decimal text of `self` into `buf` and returns it as a `&str`.
    ///
    /// Never allocates; this is what `Display` and `Serialize` use.
    pub fn write_decimal(self, buf: &mut [u8; MAX_DECIMAL_LEN]) -> &str {
        let raw = self.raw();
        let mut mag = raw.unsigned_abs();
        let (int, mut frac) = div_rem(mag, TEN18_NZ);
        mag = int;
        // Fill from the end of the buffer.
        let mut pos = MAX_DECIMAL_LEN;
        let mut put = |b: u8, pos: &mut usize| {
            *pos = pos.saturating_sub(1);
            if let Some(slot) = buf.get_mut(*pos) {
                *slot = b;
            }
        };
        if frac != 0 {
            let mut digits = 18u32;
            while frac % 10 == 0 {
                frac /= 10;
                digits = digits.saturating_sub(1);
            }
            for _ in 0..digits {
                put(b'0' | (frac % 10) as u8, &mut pos);
                frac /= 10;
            }
            put(b'.', &mut pos);
        }
        loop {
            put(b'0' | (mag % 10) as u8, &mut pos);
            mag /= 10;
            if mag == 0 {
                break;
            }
        }
        if raw < 0 {
            put(b'-', &mut pos);
        }
        buf.get(pos..).and_then(|s| core::str::from_utf8(s).ok()).unwrap_or("")
    }

    /// Parses the exact decimal text of a `Wad` (the grammar: `["-"] digits ["." digits]`, at most 18 fractional digits, nothing else).
    ///
    /// A `const fn`: [`wad!`](crate::wad!) runs it at compile time.
    ///
    /// Errors: [`Error::Invalid`] naming what is wrong with the text (empty, a stray
    /// character, a missing digit, more than 18 fractional digits), [`Error::Overflow`] when
    /// the value is outside the `i128` range.
    pub const fn parse_decimal(s: &str) -> Result<Self> {
        let bytes = s.as_bytes();
        if bytes.is_empty() {
            return Err(Error::invalid(
                "decimal: empty string",
                "must hold a decimal such as \"0.05\", not an empty string",
            ));
        }
        let (negative, body) = match bytes.split_first() {
            Some((b'-', rest)) => (true, rest),
            _ => (false, bytes),
        };
        let (int_part, frac_part) = split_at_point(body);
        if int_part.is_empty() {
            return Err(Error::invalid(
                "decimal: missing integer digits",
                "must have a digit before the point (\"0.5\", not \".5\" or \"-\")",
            ));
        }
        // Accumulate the magnitude in raw units, checking for overflow of u128 (and later i128).
        let mut mag: u128 = 0;
        let mut rest = int_part;
        while let Some((&b, tail)) = rest.split_first() {
            let d = match digit(b) {
                Ok(d) => d,
                Err(e) => return Err(e),
            };
            mag = match mag.checked_mul(10) {
                Some(m) => match m.checked_add(d) {
                    Some(m) => m,
                    None => return Err(Error::Overflow),
                },
                None => return Err(Error::Overflow),
            };
            rest = tail;
        }
        mag = match mag.checked_mul(TEN18_U128) {
            Some(m) => m,
            None => return Err(Error::Overflow),
        };
        if let Some(frac) = frac_part {
            if frac.is_empty() {
                return Err(Error::invalid(
                    "decimal: missing fractional digits",
                    "must have a digit after the point (\"5\" or \"5.0\", not \"5.\")",
                ));
            }
            if frac.len() > 18 {
                // Still report a stray character first if there is one.
                let mut rest = frac;
                while let Some((&b, tail)) = rest.split_first() {
                    if let Err(e) = digit(b) {
                        return Err(e);
                    }
                    rest = tail;
                }
                return Err(Error::invalid(
                    "decimal: more than 18 fractional digits",
                    "must have at most 18 fractional digits (it is never rounded)",
                ));
            }
            let mut f: u128 = 0;
            let mut rest = frac;
            while let Some((&b, tail)) = rest.split_first() {
                let d = match digit(b) {
                    Ok(d) => d,
                    Err(e) => return Err(e),
                };
                f = f.wrapping_mul(10).wrapping_add(d); // at most 18 digits: < 10^18
                rest = tail;
            }
            // At most 18 digits, so the count of missing ones fits a u32.
            let missing = 18usize.saturating_sub(frac.len()) as u32;
            let scale = match super::wad::pow10(missing) {
                Some(v) => v,
                None => return Err(Error::Overflow),
            };
            f = match f.checked_mul(scale) {
                Some(v) => v,
                None => return Err(Error::Overflow),
            };
            mag = match mag.checked_add(f) {
                Some(v) => v,
                None => return Err(Error::Overflow),
            };
        }
        let raw = if negative {
            match 0i128.checked_sub_unsigned(mag) {
                Some(v) => v,
                None => return Err(Error::Overflow),
            }
        } else if mag > i128::MAX.unsigned_abs() {
            return Err(Error::Overflow);
        } else {
            mag as i128
        };
        Ok(Wad::from_raw(raw))
    }
}

/// `body` split at its first `.`: the digits before it, and those after it when there is one.
const fn split_at_point(body: &[u8]) -> (&[u8], Option<&[u8]>) {
    let mut at = 0usize;
    let mut rest = body;
    while let Some((&b, tail)) = rest.split_first() {
        if b == b'.' {
            break;
        }
        at = at.wrapping_add(1); // at most body.len()
        rest = tail;
    }
    match body.split_at_checked(at) {
        Some((int, point_and_frac)) => match point_and_frac.split_first() {
            Some((_, frac)) => (int, Some(frac)),
            None => (int, None),
        },
        None => (body, None),
    }
}

/// The value of a decimal digit; an exponent or any other character is an error.
const fn digit(b: u8) -> Result<u128> {
    if b.is_ascii_digit() {
        Ok((b & 0x0f) as u128)
    } else if b == b'e' || b == b'E' {
        Err(Error::invalid(
            "decimal: exponents are not allowed",
            "must not have an exponent: write the digits out (\"100000\", not \"1e5\")",
        ))
    } else {
        Err(Error::invalid(
            "decimal: unexpected character",
            "may hold only digits, one point and a leading minus sign (no \"+\", spaces or separators)",
        ))
    }
}

/// A [`Wad`] constant from its decimal text, parsed at compile time.
///
/// `wad!("0.075")` is the `Wad` that `"0.075".parse()` gives, computed by
/// [`Wad::parse_decimal`] (a `const fn`) in a `const` block: it can initialise a `const`,
/// costs nothing at run time, and text that the parser refuses (more than 18 fractional
/// digits, an exponent, a stray character, a value outside the range) is a compile error,
/// never a run-time panic.
///
/// ```
/// use lce::{Wad, wad};
///
/// const MAINTENANCE: Wad = wad!("0.075");
/// assert_eq!(MAINTENANCE, "0.075".parse::<Wad>()?);
/// assert_eq!(MAINTENANCE.raw(), 75_000_000_000_000_000);
/// assert_eq!(wad!("-12.000000000000000001").raw(), -12_000_000_000_000_000_001);
/// assert_eq!(wad!("170141183460469231731.687303715884105727"), Wad::MAX);
/// # Ok::<(), lce::Error>(())
/// ```
///
/// ```compile_fail
/// // 19 fractional digits: rounding would be needed, so it does not compile.
/// const TOO_FINE: lce::Wad = lce::wad!("0.0000000000000000001");
/// ```
#[macro_export]
macro_rules! wad {
    ($text:literal) => {
        const {
            #[allow(clippy::panic)]
            let value = match $crate::Wad::parse_decimal($text) {
                ::core::result::Result::Ok(value) => value,
                ::core::result::Result::Err(_) => ::core::panic!(
                    "{}",
                    ::core::concat!("wad!: not the exact decimal text of a Wad: ", $text)
                ),
            };
            value
        }
    };
}

impl fmt::Display for Wad {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0u8; MAX_DECIMAL_LEN];
        f.pad(self.write_decimal(&mut buf))
    }
}

impl FromStr for Wad {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::parse_decimal(s)
    }
}

#[cfg(feature = "serde")]
mod serde_impl {
    use super::{MAX_DECIMAL_LEN, Wad};
    use core::fmt;
    use serde::de::{self, Visitor};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    impl Serialize for Wad {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut buf = [0u8; MAX_DECIMAL_LEN];
            serializer.serialize_str(self.write_decimal(&mut buf))
        }
    }

    struct WadVisitor;

    impl Visitor<'_> for WadVisitor {
        type Value = Wad;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a decimal string with at most 18 fractional digits, such as \"0.05\"")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Wad, E> {
            Wad::parse_decimal(v).map_err(|e| E::custom(e))
        }
    }

    impl<'de> Deserialize<'de> for Wad {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Wad, D::Error> {
            deserializer.deserialize_str(WadVisitor)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::string::ToString;

    #[test]
    fn display_is_exact_and_shortest() {
        assert_eq!(Wad::from_raw(50_000_000_000_000_000).to_string(), "0.05");
        assert_eq!(
            Wad::from_raw(-12_000_000_000_000_000_001).to_string(),
            "-12.000000000000000001"
        );
        assert_eq!(Wad::ZERO.to_string(), "0");
        assert_eq!(Wad::ONE.to_string(), "1");
        assert_eq!(Wad::EPSILON.to_string(), "0.000000000000000001");
        assert_eq!(Wad::MAX.to_string(), "170141183460469231731.687303715884105727");
        assert_eq!(Wad::MIN.to_string(), "-170141183460469231731.687303715884105728");
    }

    #[test]
    fn parse_is_exact_and_strict() {
        assert_eq!("0.05".parse::<Wad>(), Ok(Wad::from_raw(50_000_000_000_000_000)));
        assert_eq!("-0".parse::<Wad>(), Ok(Wad::ZERO));
        assert_eq!("007.50".parse::<Wad>(), Ok(Wad::from_raw(7_500_000_000_000_000_000)));
        assert_eq!("-170141183460469231731.687303715884105728".parse::<Wad>(), Ok(Wad::MIN));
        assert_eq!(
            "170141183460469231731.687303715884105728".parse::<Wad>(),
            Err(Error::Overflow)
        );
        assert_eq!(
            "99999999999999999999999999999999999999999".parse::<Wad>(),
            Err(Error::Overflow)
        );
        let invalid = |s: &str| matches!(s.parse::<Wad>(), Err(Error::Invalid { .. }));
        for bad in [
            "",
            "-",
            ".5",
            "5.",
            "1e5",
            "1.0000000000000000001",
            "+1",
            " 1",
            "1 ",
            "0x10",
            "1.2.3",
            "--1",
            "1_000",
            "NaN",
        ] {
            assert!(invalid(bad), "{bad:?} must be rejected");
        }
        assert_eq!(
            "1.0000000000000000001".parse::<Wad>(),
            Err(Error::invalid(
                "decimal: more than 18 fractional digits",
                "must have at most 18 fractional digits (it is never rounded)"
            ))
        );
        assert_eq!(
            "1e5".parse::<Wad>(),
            Err(Error::invalid(
                "decimal: exponents are not allowed",
                "must not have an exponent: write the digits out (\"100000\", not \"1e5\")"
            ))
        );
    }

    #[test]
    fn parse_errors_say_what_is_wrong() {
        let what = |text: &str| match text.parse::<Wad>() {
            Err(Error::Invalid { what, why }) => (what, why),
            other => panic!("{text}: {other:?}"),
        };
        let exponent = (
            "decimal: exponents are not allowed",
            "must not have an exponent: write the digits out (\"100000\", not \"1e5\")",
        );
        assert_eq!(what("1e5"), exponent);
        assert_eq!(what("1E5"), exponent);
        assert_ne!(what("1x5"), what("1e5"));
        assert_eq!(
            what(""),
            (
                "decimal: empty string",
                "must hold a decimal such as \"0.05\", not an empty string"
            )
        );
        for text in [".5", "-"] {
            assert_eq!(
                what(text),
                (
                    "decimal: missing integer digits",
                    "must have a digit before the point (\"0.5\", not \".5\" or \"-\")"
                )
            );
        }
        assert_eq!(
            what("5."),
            (
                "decimal: missing fractional digits",
                "must have a digit after the point (\"5\" or \"5.0\", not \"5.\")"
            )
        );
        for text in ["+1", " 1", "1_000", "1.2.3"] {
            assert_eq!(
                what(text),
                (
                    "decimal: unexpected character",
                    "may hold only digits, one point and a leading minus sign (no \"+\", spaces or separators)"
                )
            );
        }
    }
}
