//! A market around a moving fundamental price, whose price impact is transient.
//!
//! The exogenous shock path gives the **fundamental** price `F` of the collateral. The market
//! trades at the fundamental *plus the transient impact* of every sale: a depth model ([`Depth`]:
//! a pool, a book, linear or square-root impact) holds the impact in its own state, around its
//! **anchor** `A` ([`Depth::anchor`]: the price it rests at with no impact outstanding), and the
//! market's price is the model's price scaled to the fundamental:
//!
//! ```text
//! P = F · P_model / A          (rounded down)
//! ```
//!
//! so the fundamental moves the market directly and at once, and the relative impact
//! `1 − P/F = 1 − P_model/A` is the model's. Quantities are in base units and go through the
//! model unchanged; quote amounts are scaled by `F/A`: a seller's proceeds rounded down, a
//! buyer's cost rounded up (the market keeps the dust, as every model does).
//!
//! **Resilience.** Arbitrageurs and market makers pull the market back toward the fundamental:
//! each block ([`recover`](Transient::recover)) the model's impact `A − P_model` shrinks by a
//! fraction `ρ` (the model trades toward `P_model + ⌊ρ·(A − P_model)⌋`, never past it, within
//! an optional capacity in base units): the impact decays exponentially, the transient impact
//! of Obizhaeva and Wang ("Optimal trading strategy and supply/demand dynamics", *Journal of
//! Financial Markets* 16, 2013), whose resilience is `ρ` per block — a half-life of
//! `ln 2 / −ln(1 − ρ)` blocks. `ρ = 0` is the instantaneous model: impact is permanent.

use core::cell::Cell;

use super::{Depth, Fill, Side};
use crate::{Error, Result, Rounding, Wad};

/// A depth model around a moving fundamental price: its price is `⌊F · P_model / A⌋`, and its
/// impact decays at the market's resilience ([`recover`](Self::recover)).
#[derive(Debug)]
pub struct Transient<'m, M: Depth> {
    model: &'m mut M,
    /// The model's anchor `A`.
    rest: Wad,
    fundamental: Wad,
    /// The market price ([`Depth::price`]) once worked out in the current state: forgotten
    /// whenever the model or the fundamental moves (every `&mut self` method).
    price: Cell<Option<Wad>>,
}

impl<'m, M: Depth> Transient<'m, M> {
    /// The market of `model` at fundamental price `fundamental`, its anchor read from the
    /// model now.
    ///
    /// Errors: [`Error::Invalid`] naming `fundamental` unless it is positive, `market` when
    /// the model's anchor is not positive.
    pub fn new(model: &'m mut M, fundamental: Wad) -> Result<Self> {
        let rest = model.anchor();
        if !rest.is_positive() {
            return Err(Error::invalid("market", "the model's anchor price must be > 0"));
        }
        let mut market = Self {
            model,
            rest,
            fundamental: rest,
            price: Cell::new(None),
        };
        market.set_fundamental(fundamental)?;
        Ok(market)
    }

    /// Moves the fundamental price to `fundamental`.
    ///
    /// Errors: [`Error::Invalid`] naming `fundamental` unless it is positive.
    pub fn set_fundamental(&mut self, fundamental: Wad) -> Result<()> {
        if !fundamental.is_positive() {
            return Err(Error::invalid("fundamental", "must be > 0"));
        }
        self.fundamental = fundamental;
        self.price.set(None);
        Ok(())
    }

    /// The fundamental price.
    #[must_use]
    pub const fn fundamental(&self) -> Wad {
        self.fundamental
    }

    /// The model's anchor `A`.
    #[must_use]
    pub const fn model_anchor(&self) -> Wad {
        self.rest
    }

    /// The depth model, in its own units.
    #[must_use]
    pub fn model(&self) -> &M {
        self.model
    }

    /// One block of resilience: the model trades toward its anchor, closing the fraction
    /// `decay` of its impact (the target `P_m ± ⌊decay · |A − P_m|⌋`, so that rounding never
    /// overstates the recovery), within `capacity` base units when given. Returns the fill in
    /// market units (a buy when the market was below the fundamental).
    ///
    /// Errors: [`Error::Invalid`] naming `decay` outside `[0, 1]`, `capacity` when negative;
    /// [`Error::Overflow`].
    pub fn recover(&mut self, decay: Wad, capacity: Option<Wad>) -> Result<Fill> {
        if decay.is_negative() || decay > Wad::ONE {
            return Err(Error::invalid("decay", "must be in [0, 1]"));
        }
        self.price.set(None);
        let now = self.model.price();
        let gap = self.rest.sub(now)?;
        let step = gap.abs()?.mul_floor(decay)?;
        if step.is_zero() {
            return Ok(Fill::empty(Side::Buy, Wad::ZERO, self.price()));
        }
        let target = if gap.is_positive() {
            now.add(step)?
        } else {
            now.sub(step)?
        };
        let fill = self.model.arbitrage(target, capacity.unwrap_or(Wad::MAX))?;
        self.scale_fill(fill)
    }

    /// `x · F / A` rounded in direction `rounding` (`x` itself when `F = A`).
    fn up(&self, x: Wad, rounding: Rounding) -> Result<Wad> {
        if self.fundamental == self.rest {
            Ok(x)
        } else {
            x.mul_div(self.fundamental, self.rest, rounding)
        }
    }

    /// `x · A / F` rounded in direction `rounding` (market units to the model's).
    fn down(&self, x: Wad, rounding: Rounding) -> Result<Wad> {
        if self.fundamental == self.rest {
            Ok(x)
        } else {
            x.mul_div(self.rest, self.fundamental, rounding)
        }
    }

    /// A model fill in market units: quote a seller receives rounded down, a buyer pays
    /// rounded up; prices rounded down.
    fn scale_fill(&self, f: Fill) -> Result<Fill> {
        let proceeds = match f.side {
            Side::Sell => self.up(f.proceeds, Rounding::Floor)?,
            Side::Buy => self.up(f.proceeds, Rounding::Ceil)?,
        };
        Fill::new(
            f.side,
            f.filled.add(f.unfilled)?,
            f.filled,
            proceeds,
            self.up(f.price_before, Rounding::Floor)?,
            self.up(f.price_after, Rounding::Floor)?,
        )
    }
}

impl<M: Depth> Depth for Transient<'_, M> {
    /// `⌊F · P_model / A⌋`; [`Wad::MAX`] if it does not fit.
    fn price(&self) -> Wad {
        if let Some(p) = self.price.get() {
            return p;
        }
        let p = self.up(self.model.price(), Rounding::Floor).unwrap_or(Wad::MAX);
        self.price.set(Some(p));
        p
    }

    fn quote(&self, side: Side, qty: Wad) -> Result<Fill> {
        self.scale_fill(self.model.quote(side, qty)?)
    }

    /// `⌊p · F / A⌋` of the model's proceeds `p` ([`Depth::sell_proceeds`] of the model) when
    /// `F ≤ A`, with the quote's errors: the model's quote fails exactly where its proceeds
    /// do, and scaling by `F / A ≤ 1` cannot fail on the rest of a fill the model made (each
    /// price and the proceeds only shrink, and so does the average price, which fitted).
    /// Above the anchor, the proceeds of the whole scaled fill.
    fn sell_proceeds(&self, qty: Wad) -> Result<Wad> {
        if self.fundamental <= self.rest {
            self.up(self.model.sell_proceeds(qty)?, Rounding::Floor)
        } else {
            self.quote_sell(qty).map(|fill| fill.proceeds)
        }
    }

    /// The model's quantity filled (quantities are not scaled) and `⌊p · F / A⌋` of its
    /// proceeds `p` when `F ≤ A`, with the quote's errors (as
    /// [`sell_proceeds`](Depth::sell_proceeds)); above the anchor, the whole scaled fill's.
    fn sell_filled(&self, qty: Wad) -> Result<(Wad, Wad)> {
        if self.fundamental <= self.rest {
            let (filled, proceeds) = self.model.sell_filled(qty)?;
            Ok((filled, self.up(proceeds, Rounding::Floor)?))
        } else {
            self.quote_sell(qty).map(|fill| (fill.filled, fill.proceeds))
        }
    }

    /// The model's trade, scaled. At or below the anchor (`F ≤ A`) the scaling shrinks every
    /// part of the fill the model made and cannot fail, so the model trades and its fill is
    /// scaled. Above it, the quote's scaling is checked before the model moves (the scaling of
    /// the same fill cannot then fail), and is the answer when the trade filled what the quote
    /// said it would — as every model does — so it is not computed twice.
    fn trade(&mut self, side: Side, qty: Wad) -> Result<Fill> {
        self.price.set(None);
        if self.fundamental <= self.rest {
            let done = self.model.trade(side, qty)?;
            return self.scale_fill(done);
        }
        let quoted = self.model.quote(side, qty)?;
        let scaled = self.scale_fill(quoted)?;
        let done = self.model.trade(side, qty)?;
        if done == quoted {
            Ok(scaled)
        } else {
            self.scale_fill(done)
        }
    }

    /// The model's: the scaling `⌊p · F / A⌋` is non-decreasing in `p`, and a sell moves
    /// neither `F` nor `A`.
    fn sales_lower_proceeds(&self) -> bool {
        self.model.sales_lower_proceeds()
    }

    fn stress(&mut self, factor: Wad) -> Result<()> {
        self.price.set(None);
        self.model.stress(factor)
    }

    /// The model's arbitrage toward `reference · A / F`, rounded toward the model's price (so
    /// that the market never moves past `reference`).
    fn arbitrage(&mut self, reference: Wad, capacity: Wad) -> Result<Fill> {
        if !reference.is_positive() {
            return Err(Error::invalid("reference", "must be > 0"));
        }
        self.price.set(None);
        let below = self.down(reference, Rounding::Floor)?;
        let target = if self.model.price() < below {
            below
        } else {
            self.down(reference, Rounding::Ceil)?
        };
        let fill = self.model.arbitrage(target, capacity)?;
        self.scale_fill(fill)
    }

    /// The model's [`sellable_above`](Depth::sellable_above) of `⌈price · A / F⌉`: every unit
    /// sold still earns at least `price` in market units.
    fn sellable_above(&self, price: Wad) -> Result<Wad> {
        if !price.is_positive() {
            return Err(Error::invalid("price", "must be > 0"));
        }
        self.model
            .sellable_above(self.down(price, Rounding::Ceil)?.max(Wad::EPSILON))
    }

    fn anchor(&self) -> Wad {
        self.fundamental
    }
}
