//! The option's kind and the validated inputs of the Black-Scholes-Merton model.

use crate::error::ensure;
use crate::wad;
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
pub const MAX_PRICE: Wad = wad!("1000000000000000000");
/// The largest volatility: `10` (1000 % a year).
pub const MAX_VOL: Wad = wad!("10");
/// The longest maturity: `100` years.
pub const MAX_T: Wad = wad!("100");
/// The largest magnitude of the rate and of the yield: `1` (100 % a year, continuously
/// compounded).
pub const MAX_RATE: Wad = Wad::ONE;

// The whys of the fields they bound state these values: (0, 10^18], (0, 10], (0, 100] years,
// [-1, 1].
const _: () = assert!(
    MAX_PRICE.raw() == 10i128.pow(36)
        && MAX_VOL.raw() == 10i128.pow(19)
        && MAX_T.raw() == 10i128.pow(20)
        && MAX_RATE.raw() == 10i128.pow(18)
);

/// The fields of [`BsInputs`], unchecked: what is read from the wire and given to
/// [`BsInputs::new`]. The field names are the names errors use (`yield_` is `yield`, also on
/// the wire, where it may be left out: it is then zero).
///
/// The default is all zeros: a zero rate and yield, and a spot, strike, volatility and
/// maturity still to be set (zero is outside their ranges), as in
/// `BsInputsRaw { spot, strike, vol, t, ..BsInputsRaw::default() }`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct BsInputsRaw {
    /// The spot price `S`: `0 < S <= 10^18` ([`MAX_PRICE`]).
    pub spot: Wad,
    /// The strike `K`: `0 < K <= 10^18` ([`MAX_PRICE`]).
    pub strike: Wad,
    /// The annualised volatility `σ`: `0 < σ <= 10` ([`MAX_VOL`]).
    pub vol: Wad,
    /// The time to expiry `t` in years: `0 < t <= 100` ([`MAX_T`]).
    pub t: Wad,
    /// The continuously compounded risk-free rate `r`: `-1 <= r <= 1` ([`MAX_RATE`]).
    pub rate: Wad,
    /// The underlying's continuous yield `q` (dividend, staking or funding; `yield` on the
    /// wire): `-1 <= q <= 1` ([`MAX_RATE`]).
    #[cfg_attr(feature = "serde", serde(rename = "yield", default))]
    pub yield_: Wad,
}

/// The inputs of the Black-Scholes-Merton model, validated: the ranges of [`BsInputsRaw`].
/// Serde reads a [`BsInputsRaw`] and goes through [`BsInputs::new`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "BsInputsRaw", into = "BsInputsRaw"))]
pub struct BsInputs {
    raw: BsInputsRaw,
}

impl TryFrom<BsInputsRaw> for BsInputs {
    type Error = Error;

    fn try_from(raw: BsInputsRaw) -> Result<Self> {
        Self::new(raw)
    }
}

impl From<BsInputs> for BsInputsRaw {
    fn from(i: BsInputs) -> Self {
        i.raw
    }
}

/// `Ok(())` when `lo < x <= hi` (`lo_open`) or `lo <= x <= hi`, else `Invalid { what, why }`
/// (`why` states the range).
fn check(x: Wad, lo: Wad, lo_open: bool, hi: Wad, what: &'static str, why: &'static str) -> Result<()> {
    let above = if lo_open { x > lo } else { x >= lo };
    ensure(above && x <= hi, what, why)
}

impl BsInputs {
    /// Validated inputs (see [`BsInputsRaw`] for the bounds).
    ///
    /// Errors: [`Error::Invalid`] naming the first field out of its range, in the order
    /// `spot`, `strike`, `vol`, `t`, `rate`, `yield`.
    pub fn new(raw: BsInputsRaw) -> Result<Self> {
        check(raw.spot, Wad::ZERO, true, MAX_PRICE, "spot", "must be in (0, 10^18]")?;
        check(
            raw.strike,
            Wad::ZERO,
            true,
            MAX_PRICE,
            "strike",
            "must be in (0, 10^18]",
        )?;
        check(raw.vol, Wad::ZERO, true, MAX_VOL, "vol", "must be in (0, 10]")?;
        check(raw.t, Wad::ZERO, true, MAX_T, "t", "must be in (0, 100] years")?;
        check(raw.rate, wad!("-1"), false, MAX_RATE, "rate", "must be in [-1, 1]")?;
        check(raw.yield_, wad!("-1"), false, MAX_RATE, "yield", "must be in [-1, 1]")?;
        Ok(Self { raw })
    }

    /// The same inputs with another volatility.
    ///
    /// Errors: [`Error::Invalid`] naming `vol` unless `0 < vol <= 10`.
    pub fn with_vol(&self, vol: Wad) -> Result<Self> {
        check(vol, Wad::ZERO, true, MAX_VOL, "vol", "must be in (0, 10]")?;
        Ok(Self {
            raw: BsInputsRaw { vol, ..self.raw },
        })
    }

    /// The fields these inputs were built from.
    #[must_use]
    pub const fn raw(&self) -> BsInputsRaw {
        self.raw
    }

    /// The spot price `S`.
    #[must_use]
    pub const fn spot(&self) -> Wad {
        self.raw.spot
    }

    /// The strike `K`.
    #[must_use]
    pub const fn strike(&self) -> Wad {
        self.raw.strike
    }

    /// The volatility `σ`.
    #[must_use]
    pub const fn vol(&self) -> Wad {
        self.raw.vol
    }

    /// The time to expiry `t`, in years.
    #[must_use]
    pub const fn t(&self) -> Wad {
        self.raw.t
    }

    /// The risk-free rate `r`.
    #[must_use]
    pub const fn rate(&self) -> Wad {
        self.raw.rate
    }

    /// The underlying's yield `q` (`yield` on the wire).
    #[must_use]
    pub const fn yield_(&self) -> Wad {
        self.raw.yield_
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::w;

    #[test]
    fn bounds_name_the_field() {
        let raw = |s, k, v, t, r, q| BsInputsRaw {
            spot: w(s),
            strike: w(k),
            vol: w(v),
            t: w(t),
            rate: w(r),
            yield_: w(q),
        };
        assert!(BsInputs::new(raw("100", "100", "0.2", "1", "0.05", "0")).is_ok());
        // Each input out of its range, the others valid: the error names the field and its range.
        let out_of_range = [
            (["0", "1", "1", "1", "0", "0"], "spot", "must be in (0, 10^18]"),
            (
                ["1000000000000000000.000000000000000001", "1", "1", "1", "0", "0"],
                "spot",
                "must be in (0, 10^18]",
            ),
            (["1", "-1", "1", "1", "0", "0"], "strike", "must be in (0, 10^18]"),
            (["1", "1", "0", "1", "0", "0"], "vol", "must be in (0, 10]"),
            (
                ["1", "1", "10.000000000000000001", "1", "0", "0"],
                "vol",
                "must be in (0, 10]",
            ),
            (["1", "1", "1", "0", "0", "0"], "t", "must be in (0, 100] years"),
            (["1", "1", "1", "100.1", "0", "0"], "t", "must be in (0, 100] years"),
            (
                ["1", "1", "1", "1", "-1.000000000000000001", "0"],
                "rate",
                "must be in [-1, 1]",
            ),
            (["1", "1", "1", "1", "-1", "1.5"], "yield", "must be in [-1, 1]"),
        ];
        for ([s, k, v, t, r, q], what, why) in out_of_range {
            assert_eq!(
                BsInputs::new(raw(s, k, v, t, r, q)),
                Err(Error::invalid(what, why)),
                "{s} {k} {v} {t} {r} {q}"
            );
        }
        // The bounds themselves are allowed.
        let top = BsInputsRaw {
            spot: MAX_PRICE,
            strike: MAX_PRICE,
            vol: MAX_VOL,
            t: MAX_T,
            rate: w("-1"),
            yield_: w("1"),
        };
        assert!(BsInputs::new(top).is_ok());
        let least = BsInputsRaw {
            spot: Wad::EPSILON,
            strike: Wad::EPSILON,
            vol: Wad::EPSILON,
            t: Wad::EPSILON,
            ..BsInputsRaw::default()
        };
        assert_eq!(BsInputs::new(least).map(|i| i.raw()), Ok(least));
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
