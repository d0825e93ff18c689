//! An oracle price with its confidence interval.

use crate::{Error, Result, Wad};

/// A price as a protocol reads it from an oracle: a point estimate and a confidence
/// half-width (Pyth's `conf`; zero for a feed that publishes none).
///
/// Health values assets at the bottom of the interval and liabilities at its top
/// ([`asset_price`](Self::asset_price), [`liability_price`](Self::liability_price)), so an
/// uncertain price never makes an account look healthier than it may be. Liquidations exchange
/// at the point estimate [`price`](Self::price).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "OraclePriceWire"))]
pub struct OraclePrice {
    price: Wad,
    conf: Wad,
}

impl OraclePrice {
    /// A price with confidence half-width `conf`.
    ///
    /// Errors: [`Error::Invalid`] naming `price` unless `price > 0`, naming `conf` unless
    /// `0 <= conf < price` (an interval reaching zero would value collateral at nothing).
    pub fn new(price: Wad, conf: Wad) -> Result<Self> {
        if !price.is_positive() {
            return Err(Error::invalid("price", "must be > 0"));
        }
        if conf.is_negative() || conf >= price {
            return Err(Error::invalid(
                "conf",
                "must be in [0, price) (an interval reaching 0 would value collateral at nothing)",
            ));
        }
        // price + conf must be representable, so that liability_price never fails.
        price.add(conf)?;
        Ok(Self { price, conf })
    }

    /// A price known exactly (`conf = 0`).
    ///
    /// Errors: [`Error::Invalid`] naming `price` unless `price > 0`.
    pub fn exact(price: Wad) -> Result<Self> {
        Self::new(price, Wad::ZERO)
    }

    /// The point estimate.
    #[must_use]
    pub const fn price(&self) -> Wad {
        self.price
    }

    /// The confidence half-width.
    #[must_use]
    pub const fn conf(&self) -> Wad {
        self.conf
    }

    /// The price at which assets are valued: `price − conf` (exact, and positive).
    #[must_use]
    pub const fn asset_price(&self) -> Wad {
        Wad::from_raw(self.price.raw().wrapping_sub(self.conf.raw()))
    }

    /// The price at which liabilities are valued: `price + conf` (exact; checked at construction).
    #[must_use]
    pub const fn liability_price(&self) -> Wad {
        Wad::from_raw(self.price.raw().wrapping_add(self.conf.raw()))
    }
}

/// An oracle price as written on the wire (see [`crate::wire`]): every field `None` when
/// absent; deserializing goes through [`OraclePrice::new`].
#[cfg(feature = "serde")]
#[derive(Clone, Copy, Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct OraclePriceWire {
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) price: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) conf: Option<Wad>,
}

#[cfg(feature = "serde")]
impl TryFrom<OraclePriceWire> for OraclePrice {
    type Error = Error;

    /// [`OraclePrice::new`] of `price` (required) and `conf` (default 0).
    fn try_from(w: OraclePriceWire) -> Result<Self> {
        Self::new(crate::wire::need(w.price, "price")?, w.conf.unwrap_or(Wad::ZERO))
    }
}
