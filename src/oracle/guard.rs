//! Guards a protocol applies before trusting an oracle price: staleness, confidence width,
//! deviation from a reference price.

use super::price::OraclePrice;
use super::ratio::{exceeds, moved_more_than};
use crate::{Error, Result, Wad};

/// The guards on an oracle price. Each is optional: `None` disables it.
///
/// - `max_age` (blocks): the price is **stale** when `age > max_age`.
/// - `max_conf_ratio` (a fraction): the confidence is **too wide** when
///   `conf / price > max_conf_ratio`.
/// - `max_deviation` (a fraction): the price **deviates** when
///   `|price − reference| / reference > max_deviation`, the reference being a TWAP or a
///   stable price.
///
/// Every comparison is strict and exact (integer cross-multiplication in 256 bits, no
/// rounding): a value exactly at its limit passes.
///
/// On the wire an off guard is absent (never `null`), and `max_age` is an integer in
/// `0..=u32::MAX`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "GuardsWire"))]
pub struct Guards {
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    max_age: Option<u64>,
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    max_conf_ratio: Option<Wad>,
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    max_deviation: Option<Wad>,
}

impl Guards {
    /// Every guard disabled: every price is usable.
    pub const DISABLED: Self = Self {
        max_age: None,
        max_conf_ratio: None,
        max_deviation: None,
    };

    /// Guards with the given limits (`None` disables a guard).
    ///
    /// Errors: [`Error::Invalid`] naming `max_conf_ratio` or `max_deviation` when it is
    /// negative.
    pub fn new(max_age: Option<u64>, max_conf_ratio: Option<Wad>, max_deviation: Option<Wad>) -> Result<Self> {
        if max_conf_ratio.is_some_and(Wad::is_negative) {
            return Err(Error::invalid("max_conf_ratio", "must be ≥ 0"));
        }
        if max_deviation.is_some_and(Wad::is_negative) {
            return Err(Error::invalid("max_deviation", "must be ≥ 0"));
        }
        Ok(Self {
            max_age,
            max_conf_ratio,
            max_deviation,
        })
    }

    /// The largest accepted age in blocks, if the staleness guard is on.
    #[must_use]
    pub const fn max_age(&self) -> Option<u64> {
        self.max_age
    }

    /// The largest accepted `conf / price`, if the confidence guard is on.
    #[must_use]
    pub const fn max_conf_ratio(&self) -> Option<Wad> {
        self.max_conf_ratio
    }

    /// The largest accepted `|price − reference| / reference`, if the deviation guard is on.
    #[must_use]
    pub const fn max_deviation(&self) -> Option<Wad> {
        self.max_deviation
    }

    /// Applies the guards to `price`, whose age is `age` blocks, against `reference`.
    ///
    /// - `stale = age > max_age`;
    /// - `conf_too_wide = conf · 10^18 > max_conf_ratio_raw · price_raw` (that is
    ///   `conf / price > max_conf_ratio`, exactly);
    /// - `deviates = |price − reference| · 10^18 > max_deviation_raw · reference_raw`. With no
    ///   reference the deviation guard does not apply (`false`); a reference that is not
    ///   positive counts as an infinite deviation (`true`), the safe answer.
    #[must_use]
    pub fn check(&self, price: OraclePrice, age: u64, reference: Option<Wad>) -> Verdict {
        let stale = self.max_age.is_some_and(|max| age > max);
        let conf_too_wide = self.max_conf_ratio.is_some_and(|max| {
            // conf >= 0 and price > 0 by construction of OraclePrice.
            let conf = price.conf().raw().unsigned_abs();
            exceeds(conf, price.price().raw().unsigned_abs(), max)
        });
        let deviates = match (self.max_deviation, reference) {
            (Some(max), Some(reference)) => moved_more_than(reference, price.price(), max),
            _ => false,
        };
        Verdict {
            stale,
            conf_too_wide,
            deviates,
        }
    }
}

/// The outcome of [`Guards::check`]: which guards failed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Verdict {
    /// The price is older than `max_age` (or there is no price at all).
    pub stale: bool,
    /// The confidence interval is wider than `max_conf_ratio` of the price.
    pub conf_too_wide: bool,
    /// The price is further than `max_deviation` from the reference.
    pub deviates: bool,
}

impl Verdict {
    /// The verdict when the feed shows no price at all: stale (a feed that never published
    /// is the stalest of all), the other guards having nothing to judge.
    pub const NO_PRICE: Self = Self {
        stale: true,
        conf_too_wide: false,
        deviates: false,
    };

    /// Whether every guard passed, so that the price may be used (to liquidate, say).
    #[must_use]
    pub const fn usable(&self) -> bool {
        !self.stale && !self.conf_too_wide && !self.deviates
    }

    /// The first failed guard, in the fixed order stale, confidence, deviation; `None` when
    /// the price is usable. A refused liquidation says why with it.
    #[must_use]
    pub const fn refusal(&self) -> Option<Refusal> {
        if self.stale {
            Some(Refusal::Stale)
        } else if self.conf_too_wide {
            Some(Refusal::Confidence)
        } else if self.deviates {
            Some(Refusal::Deviation)
        } else {
            None
        }
    }
}

/// Why a price was refused: the first failed guard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Refusal {
    /// The price is too old (or there is none).
    Stale,
    /// The confidence interval is too wide.
    Confidence,
    /// The price is too far from the reference.
    Deviation,
}

impl Refusal {
    /// The name on the wire: `"stale"`, `"confidence"` or `"deviation"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Stale => "stale",
            Self::Confidence => "confidence",
            Self::Deviation => "deviation",
        }
    }
}

/// A guards object as written on the wire (see [`crate::wire`]): every guard `None` (off) when
/// absent; deserializing goes through [`Guards::new`]. `max_age` on the wire is an integer in
/// `0..=u32::MAX`.
#[cfg(feature = "serde")]
#[derive(Clone, Copy, Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct GuardsWire {
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) max_age: Option<u32>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) max_conf_ratio: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) max_deviation: Option<Wad>,
}

#[cfg(feature = "serde")]
impl TryFrom<GuardsWire> for Guards {
    type Error = Error;

    fn try_from(w: GuardsWire) -> Result<Self> {
        Self::new(w.max_age.map(u64::from), w.max_conf_ratio, w.max_deviation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::w;

    fn price(p: &str, c: &str) -> OraclePrice {
        OraclePrice::new(w(p), w(c)).unwrap()
    }

    #[test]
    fn negative_limits_are_invalid() {
        assert_eq!(
            Guards::new(None, Some(w("-0.1")), None),
            Err(Error::invalid("max_conf_ratio", "must be ≥ 0"))
        );
        assert_eq!(
            Guards::new(None, None, Some(w("-0.000000000000000001"))),
            Err(Error::invalid("max_deviation", "must be ≥ 0"))
        );
        assert_eq!(Guards::new(None, None, None), Ok(Guards::DISABLED));
    }

    #[test]
    fn disabled_guards_accept_anything() {
        let v = Guards::DISABLED.check(price("100", "99"), u64::MAX, Some(w("1")));
        assert!(v.usable());
        assert_eq!(v.refusal(), None);
    }

    #[test]
    fn staleness_is_strict() {
        let g = Guards::new(Some(10), None, None).unwrap();
        assert!(!g.check(price("1", "0"), 10, None).stale);
        assert!(g.check(price("1", "0"), 11, None).stale);
        assert_eq!(g.check(price("1", "0"), 11, None).refusal(), Some(Refusal::Stale));
    }

    #[test]
    fn confidence_ratio_is_exact() {
        // conf/price = 2/100 = 0.02: not > 0.02; 2.000000000000000001/100 is > 0.02.
        let g = Guards::new(None, Some(w("0.02")), None).unwrap();
        assert!(!g.check(price("100", "2"), 0, None).conf_too_wide);
        let v = g.check(price("100", "2.000000000000000001"), 0, None);
        assert!(v.conf_too_wide);
        assert_eq!(v.refusal(), Some(Refusal::Confidence));
        // 1/3 vs 0.333333333333333333: 1/3 is larger by a third of a unit.
        let g = Guards::new(None, Some(w("0.333333333333333333")), None).unwrap();
        assert!(g.check(price("3", "1"), 0, None).conf_too_wide);
    }

    #[test]
    fn deviation_is_relative_to_the_reference() {
        // |105 − 100| / 100 = 0.05: not > 0.05; |95 − 100| / 100 = 0.05 either side.
        let g = Guards::new(None, None, Some(w("0.05"))).unwrap();
        assert!(!g.check(price("105", "0"), 0, Some(w("100"))).deviates);
        assert!(!g.check(price("95", "0"), 0, Some(w("100"))).deviates);
        assert!(g.check(price("94.999999999999999999", "0"), 0, Some(w("100"))).deviates);
        // No reference: the guard does not apply; a zero reference: an infinite deviation.
        assert!(!g.check(price("1000", "0"), 0, None).deviates);
        assert!(g.check(price("1000", "0"), 0, Some(Wad::ZERO)).deviates);
    }

    #[test]
    fn refusal_names_the_first_failed_guard() {
        let all = Verdict {
            stale: true,
            conf_too_wide: true,
            deviates: true,
        };
        assert_eq!(all.refusal(), Some(Refusal::Stale));
        let two = Verdict { stale: false, ..all };
        assert_eq!(two.refusal(), Some(Refusal::Confidence));
        let one = Verdict {
            conf_too_wide: false,
            ..two
        };
        assert_eq!(one.refusal(), Some(Refusal::Deviation));
        assert!(!one.usable());
        assert_eq!(Verdict::NO_PRICE.refusal(), Some(Refusal::Stale));
        assert_eq!(Refusal::Confidence.as_str(), "confidence");
    }
}
