//! The option's kind and the validated inputs of the Black-Scholes-Merton model.

use crate::error::ensure;
use crate::{Error, Result, Wad};

/// A European call or put.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum OptionKind {
    /// The right to buy the underlying at the strike.
    Call,
    /// The right to sell the underlying at the strike.
    Put,
}

impl OptionKind {
    /// The name on the wire: `"call"` or `"put"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Call => "call",
            Self::Put => "put",
        }
    }
}

/// The largest spot or strike: `10^18`.
pub const MAX_PRICE: Wad = Wad::from_raw(1_000_000_000_000_000_000 * 1_000_000_000_000_000_000);
/// The largest volatility: `10` (1000 % a year).
pub const MAX_VOL: Wad = Wad::from_raw(10 * Wad::SCALE);
/// The longest maturity: `100` years.
pub const MAX_T: Wad = Wad::from_raw(100 * Wad::SCALE);
/// The largest magnitude of the rate and of the yield: `1` (100 % a year, continuously
/// compounded).
pub const MAX_RATE: Wad = Wad::ONE;

/// The inputs of the Black-Scholes-Merton model, validated.
///
/// - `spot` `S` and `strike` `K`: `0 < S, K <= 10^18` ([`MAX_PRICE`]);
/// - `vol` `σ`, the annualised volatility: `0 < σ <= 10` ([`MAX_VOL`]);
/// - `t`, the time to expiry in years: `0 < t <= 100` ([`MAX_T`]);
/// - `rate` `r`, the continuously compounded risk-free rate, and `yield` `q`, the underlying's
///   continuous yield (dividend, staking or funding): `-1 <= r, q <= 1` ([`MAX_RATE`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawBsInputs"))]
pub struct BsInputs {
    spot: Wad,
    strike: Wad,
    vol: Wad,
    t: Wad,
    rate: Wad,
    #[cfg_attr(feature = "serde", serde(rename = "yield"))]
    yield_: Wad,
}

/// `Ok(())` when `lo < x <= hi` (`lo_open`) or `lo <= x <= hi`, else `Invalid { what }`.
fn check(x: Wad, lo: Wad, lo_open: bool, hi: Wad, what: &'static str) -> Result<()> {
    let above = if lo_open { x > lo } else { x >= lo };
    ensure(above && x <= hi, what)
}

impl BsInputs {
    /// Validated inputs (see the type's docs for the bounds).
    ///
    /// Errors: [`Error::Invalid`] naming the first field out of its range, in the order
    /// `spot`, `strike`, `vol`, `t`, `rate`, `yield`.
    pub fn new(spot: Wad, strike: Wad, vol: Wad, t: Wad, rate: Wad, yield_: Wad) -> Result<Self> {
        let neg_rate = Wad::from_raw(Wad::SCALE.wrapping_neg());
        check(spot, Wad::ZERO, true, MAX_PRICE, "spot")?;
        check(strike, Wad::ZERO, true, MAX_PRICE, "strike")?;
        check(vol, Wad::ZERO, true, MAX_VOL, "vol")?;
        check(t, Wad::ZERO, true, MAX_T, "t")?;
        check(rate, neg_rate, false, MAX_RATE, "rate")?;
        check(yield_, neg_rate, false, MAX_RATE, "yield")?;
        Ok(Self {
            spot,
            strike,
            vol,
            t,
            rate,
            yield_,
        })
    }

    /// The same inputs with another volatility.
    ///
    /// Errors: [`Error::Invalid`] naming `vol` unless `0 < vol <= 10`.
    pub fn with_vol(&self, vol: Wad) -> Result<Self> {
        check(vol, Wad::ZERO, true, MAX_VOL, "vol")?;
        Ok(Self { vol, ..*self })
    }

    /// The spot price `S`.
    #[must_use]
    pub const fn spot(&self) -> Wad {
        self.spot
    }

    /// The strike `K`.
    #[must_use]
    pub const fn strike(&self) -> Wad {
        self.strike
    }

    /// The volatility `σ`.
    #[must_use]
    pub const fn vol(&self) -> Wad {
        self.vol
    }

    /// The time to expiry `t`, in years.
    #[must_use]
    pub const fn t(&self) -> Wad {
        self.t
    }

    /// The risk-free rate `r`.
    #[must_use]
    pub const fn rate(&self) -> Wad {
        self.rate
    }

    /// The underlying's yield `q` (`yield` on the wire).
    #[must_use]
    pub const fn yield_(&self) -> Wad {
        self.yield_
    }
}

/// The unchecked wire form of [`BsInputs`]; deserializing goes through [`BsInputs::new`].
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBsInputs {
    spot: Wad,
    strike: Wad,
    vol: Wad,
    t: Wad,
    rate: Wad,
    #[serde(rename = "yield", default)]
    yield_: Wad,
}

#[cfg(feature = "serde")]
impl TryFrom<RawBsInputs> for BsInputs {
    type Error = Error;

    fn try_from(raw: RawBsInputs) -> Result<Self> {
        Self::new(raw.spot, raw.strike, raw.vol, raw.t, raw.rate, raw.yield_)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Wad {
        s.parse().unwrap()
    }

    #[test]
    fn bounds_name_the_field() {
        let ok = BsInputs::new(w("100"), w("100"), w("0.2"), w("1"), w("0.05"), w("0"));
        assert!(ok.is_ok());
        let bad = |s, k, v, t, r, q| BsInputs::new(w(s), w(k), w(v), w(t), w(r), w(q)).unwrap_err();
        assert_eq!(bad("0", "1", "1", "1", "0", "0"), Error::Invalid { what: "spot" });
        assert_eq!(
            bad("1000000000000000000.000000000000000001", "1", "1", "1", "0", "0"),
            Error::Invalid { what: "spot" }
        );
        assert_eq!(bad("1", "-1", "1", "1", "0", "0"), Error::Invalid { what: "strike" });
        assert_eq!(bad("1", "1", "0", "1", "0", "0"), Error::Invalid { what: "vol" });
        assert_eq!(
            bad("1", "1", "10.000000000000000001", "1", "0", "0"),
            Error::Invalid { what: "vol" }
        );
        assert_eq!(bad("1", "1", "1", "0", "0", "0"), Error::Invalid { what: "t" });
        assert_eq!(bad("1", "1", "1", "100.1", "0", "0"), Error::Invalid { what: "t" });
        assert_eq!(
            bad("1", "1", "1", "1", "-1.000000000000000001", "0"),
            Error::Invalid { what: "rate" }
        );
        assert_eq!(bad("1", "1", "1", "1", "-1", "1.5"), Error::Invalid { what: "yield" });
        // The bounds themselves are allowed.
        assert!(BsInputs::new(MAX_PRICE, MAX_PRICE, MAX_VOL, MAX_T, w("-1"), w("1")).is_ok());
        assert!(BsInputs::new(Wad::EPSILON, Wad::EPSILON, Wad::EPSILON, Wad::EPSILON, w("0"), w("0")).is_ok());
    }

    #[cfg(feature = "serde")]
    #[test]
    fn deserializing_goes_through_the_checks() {
        let ok: BsInputs =
            serde_json::from_str(r#"{"spot":"100","strike":"90","vol":"0.3","t":"0.5","rate":"0.01"}"#).unwrap();
        assert_eq!((ok.strike(), ok.yield_()), (w("90"), Wad::ZERO));
        let back = serde_json::to_string(&ok).unwrap();
        assert_eq!(serde_json::from_str::<BsInputs>(&back).unwrap(), ok);
        assert!(back.contains(r#""yield":"0""#), "{back}");
        let bad = serde_json::from_str::<BsInputs>(r#"{"spot":"100","strike":"90","vol":"11","t":"0.5","rate":"0"}"#);
        extern crate std;
        use std::string::ToString;
        assert!(bad.unwrap_err().to_string().contains("vol"));
    }
}
