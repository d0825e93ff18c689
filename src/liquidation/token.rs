//! Liquidating a borrow against a deposit: repay one token, seize another.

use core::cell::Cell;

use crate::account::{
    Account, Context, Health, HealthLevel, OptionPricing, Position, TokenParams, TokenValue, health, health_without,
    position_contribution, times, token_contribution,
};
use crate::num::u256::{div_rem_wide, mul_wide};
use crate::oracle::OraclePrice;
use crate::{Error, Result, Rounding, Wad};

use super::bracket::{Bracket, Span, Trend};
use super::policy::{size_to_request, size_to_target};
use super::search::boundary;
use super::{Limit, LiquidationParams, Mode, Outcome, tightest};

/// A liquidator's order: repay `liability`, seize `collateral`, repay at most `max_repay`
/// (absent on the wire when `None`, never `null`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct TokenOrder {
    /// The token the account has borrowed and the liquidator repays.
    pub liability: u16,
    /// The token the account has deposited and the liquidator seizes.
    pub collateral: u16,
    /// The most liability tokens the liquidator will repay (`None`: no limit).
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            deserialize_with = "crate::wire::some",
            skip_serializing_if = "Option::is_none"
        )
    )]
    pub max_repay: Option<Wad>,
}

impl TokenOrder {
    /// Whether `position` is one of the two this order changes.
    fn touches(&self, position: &Position) -> bool {
        matches!(*position, Position::Token { token, .. } if token == self.liability || token == self.collateral)
    }
}

/// The plan (or the record) of a token liquidation. What the account loses equals what the
/// liquidator and the protocol receive, exactly: the account's borrow shrinks by `repay`,
/// which the liquidator pays; its deposit shrinks by `seize`, of which the protocol receives
/// `protocol_fee` and the liquidator the rest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TokenLiquidation {
    /// Liability tokens repaid.
    pub repay: Wad,
    /// Their value at the oracle price, `⌊repay · P_liab⌋`.
    pub repay_value: Wad,
    /// Collateral tokens taken from the account: `⌊repay_value · (1 + bonus) / P_coll⌋`.
    pub seize: Wad,
    /// The part of `seize` above the repaid value, `seize − ⌊repay_value / P_coll⌋`: the bonus.
    pub bonus: Wad,
    /// The protocol's share of the bonus, `⌈bonus · protocol_fee_share⌉` collateral tokens.
    pub protocol_fee: Wad,
    /// The account's health around the liquidation.
    pub outcome: Outcome,
}

impl TokenLiquidation {
    /// Collateral tokens the liquidator receives: `seize − protocol_fee`.
    ///
    /// Errors: never in practice (`protocol_fee ≤ seize`); [`Error::Overflow`] by type.
    pub fn liquidator_receives(&self) -> Result<Wad> {
        self.seize.sub(self.protocol_fee)
    }

    /// The liquidator's share of the bonus: `bonus − protocol_fee`.
    ///
    /// Errors: as [`TokenLiquidation::liquidator_receives`].
    pub fn liquidator_bonus(&self) -> Result<Wad> {
        self.bonus.sub(self.protocol_fee)
    }
}

/// What repaying `repay` liability tokens is worth in collateral: the amounts of a token
/// liquidation, computed as [`plan_token_liquidation`] computes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Seize {
    /// `⌊repay · P_liab⌋`.
    pub repay_value: Wad,
    /// `⌊repay_value · (1 + bonus) / P_coll⌋` collateral tokens taken from the account.
    pub seize: Wad,
    /// `seize − ⌊repay_value / P_coll⌋`.
    pub bonus: Wad,
    /// `⌈bonus · protocol_fee_share⌉`.
    pub protocol_fee: Wad,
}

impl Seize {
    /// The amounts of repaying `repay` at point prices `liab_price` and `coll_price` (both
    /// positive) with the collateral's `bonus` and `protocol_fee_share`.
    ///
    /// Errors: [`Error::DivisionByZero`] for a zero collateral price; [`Error::Overflow`].
    pub fn new(repay: Wad, liab_price: Wad, coll_price: Wad, bonus: Wad, protocol_fee_share: Wad) -> Result<Self> {
        let repay_value = repay.mul_floor(liab_price)?;
        let seize = repay_value.mul_div_floor(Wad::ONE.add(bonus)?, coll_price)?;
        Self::from_seize(repay_value, seize, coll_price, protocol_fee_share)
    }

    /// [`Seize::new`] given its first two amounts, `repay_value` and `seize`, already computed.
    fn from_seize(repay_value: Wad, seize: Wad, coll_price: Wad, protocol_fee_share: Wad) -> Result<Self> {
        let bonus = seize.sub(repay_value.div_floor(coll_price)?)?;
        let protocol_fee = bonus.mul_ceil(protocol_fee_share)?;
        Ok(Self {
            repay_value,
            seize,
            bonus,
            protocol_fee,
        })
    }

    /// Collateral tokens the liquidator receives: `seize − protocol_fee`.
    ///
    /// Errors: [`Error::Overflow`] by type only (`protocol_fee ≤ bonus ≤ seize`).
    pub fn liquidator_receives(&self) -> Result<Wad> {
        self.seize.sub(self.protocol_fee)
    }
}

/// The two positions a token liquidation touches, with their parameters and prices.
struct Pair<'a> {
    liab: &'a TokenParams,
    liab_price: OraclePrice,
    coll: &'a TokenParams,
    coll_price: OraclePrice,
    debt: Wad,
    deposit: Wad,
    /// `1 + bonus`.
    bonus_factor: Wad,
}

impl Pair<'_> {
    /// `⌊repay · P_liab⌋` (`repay` itself for a debt priced at one).
    fn repay_value(&self, repay: Wad) -> Result<Wad> {
        times(repay, self.liab_price.price(), Rounding::Floor)
    }

    /// `⌊⌊repay · P_liab⌋ · (1 + bonus) / P_coll⌋`.
    fn seize(&self, repay: Wad) -> Result<Wad> {
        self.repay_value(repay)?
            .mul_div_floor(self.bonus_factor, self.coll_price.price())
    }

    /// The two positions after repaying `repay`: `seize(repay)` and the two balances valued
    /// at their oracle prices (the weights of a level come after, [`After::contribution`]).
    #[inline]
    fn at(&self, repay: Wad) -> Result<After> {
        let repay_value = self.repay_value(repay)?;
        let seize = repay_value.mul_div_floor(self.bonus_factor, self.coll_price.price())?;
        let borrow = TokenValue::new(self.liab_price, self.debt.sub(repay)?.neg()?)?;
        let deposit = TokenValue::new(self.coll_price, self.deposit.sub(seize)?)?;
        Ok(After {
            repay,
            repay_value,
            seize,
            borrow,
            deposit,
        })
    }

    /// The line the two positions' contribution at `level` follows as the repay `x` grows (in
    /// raw units), for [`Bracket`]: `None` when a weight is size-scaled or the line does not
    /// rise.
    ///
    /// With `D` the debt, `Q` the deposit, `F = 1 + bonus`, the prices `P = P_liab`,
    /// `P⁺ = P_liab + conf`, `P_c = P_coll`, `P⁻ = P_coll − conf` and the weights `w_l`, `w_c`
    /// (raw integers, `S = 10¹⁸`), the contribution is
    /// `−⌈⌈(D − x)·P⁺/S⌉·w_l/S⌉ + ⌊⌊(Q − s)·P⁻/S⌋·w_c/S⌋` with the seize
    /// `s = ⌊⌊x·P/S⌋·F/P_c⌋ ∈ (s* − F/P_c − 1, s*]`, `s* = x·P·F/(S·P_c)`. Each rounding moves a
    /// term by less than one unit of what it rounds, so the contribution lies strictly between
    /// `ℓ(x) − E_lo` and `ℓ(x) + E_hi` for the straight line
    /// `ℓ(x) = −(D − x)·P⁺·w_l/S² + (Q − s*)·P⁻·w_c/S²`, with
    /// `E_lo = w_l/S + w_c/S + 2` (the four roundings of the values and weights) and
    /// `E_hi = (F/P_c + 1)·P⁻·w_c/S²` (the seize's two floors, each worth a collateral unit).
    /// `noise = ⌊(w_l + w_c)/S⌋ + 3 + ⌈t/S⌉ + ⌈⌈t·F/P_c⌉/S⌉` with `t = ⌈P⁻·w_c/S⌉` bounds
    /// `E_lo + E_hi` from above. The slope `K = P⁺·w_l/S − P·F·P⁻·w_c/(S²·P_c)` (as a `Wad`)
    /// lies between `k_lo = ⌊P⁺·w_l⌋ − ⌈⌈P·F⌉·⌈P⁻·w_c⌉/P_c⌉` (the slope of `Pair::estimate`)
    /// and `k_hi = ⌈P⁺·w_l⌉ − ⌊⌊P·F⌋·⌊P⁻·w_c⌋/P_c⌋`.
    /// `slope` is the estimate's `(k_lo, t)` when it was computed ([`Pair::estimate`]).
    fn trend(&self, level: HealthLevel, slope: Option<Slope>) -> Option<Trend> {
        if !self.liab.size_factor().is_zero() || !self.coll.size_factor().is_zero() {
            return None;
        }
        let (w_l, w_c) = (self.liab.weights(level).liability, self.coll.weights(level).asset);
        let (up, p) = (self.liab_price.liability_price(), self.liab_price.price());
        let (down, pc) = (self.coll_price.asset_price(), self.coll_price.price());
        let f = self.bonus_factor;
        let Slope { k_lo, t } = match slope {
            Some(s) => s,
            None => {
                let t = product(down, w_c, Rounding::Ceil).ok()?;
                let k_lo = product(up, w_l, Rounding::Floor)
                    .ok()?
                    .sub(product(p, f, Rounding::Ceil).ok()?.mul_div_ceil(t, pc).ok()?)
                    .ok()?;
                Slope { k_lo, t }
            }
        };
        let k_hi = product(up, w_l, Rounding::Ceil)
            .ok()?
            .sub(
                product(p, f, Rounding::Floor)
                    .ok()?
                    .mul_div_floor(product(down, w_c, Rounding::Floor).ok()?, pc)
                    .ok()?,
            )
            .ok()?;
        if !k_lo.is_positive() {
            return None;
        }
        let units_up = |x: i128| x.checked_add(Wad::SCALE - 1).map(|y| y / Wad::SCALE);
        let per_seize = units_up(t.raw())?.checked_add(units_up(t.mul_div_ceil(f, pc).ok()?.raw())?)?;
        let noise = w_l
            .raw()
            .checked_add(w_c.raw())?
            .checked_div(Wad::SCALE)?
            .checked_add(3)?
            .checked_add(per_seize)?;
        Some(Trend { k_lo, k_hi, noise })
    }

    /// What one evaluation proves about the repays around it, given the seize `σ` there and
    /// `m = rest + C_c(σ)`, the target health without the borrow's contribution (weights not
    /// size-scaled, as for [`Pair::trend`]).
    ///
    /// The seize `s(x) = ⌊⌊x·P/S⌋·F/P_c⌋` is non-decreasing: it is at least `σ` from
    /// `start = ⌈⌈σ·P_c/F⌉·S/P⌉` and at least `σ + 1` from `end`, the same with `σ + 1`. The
    /// deposit's contribution `C_c` falls as the seize grows and the borrow's
    /// `C_l(x) = −⌈⌈(D − x)·P⁺/S⌉·w_l/S⌉` rises with `x`, and `C_l(x) ≥ −m` exactly from
    /// `a = D − ⌊⌊m·S/w_l⌋·S/P⁺⌋` (each step of the chain inverted on the grid; never when
    /// `m < 0`: `a = ∞`). So the target is met on `[a, end)` (a seize of at most `σ` there
    /// leaves `C_c ≥ C_c(σ)`) and not met on `[start, a)` (a seize of at least `σ` there
    /// leaves `C_c ≤ C_c(σ)`), either possibly empty or reaching beyond the stretch
    /// `[start, end)`. `None` when a step leaves the `Wad` range.
    fn stretch(&self, level: HealthLevel, seize: Wad, m: Wad) -> Option<[Span; 2]> {
        let p = self.liab_price.price();
        let (start, end) = self.values_reaching(seize)?;
        let start = over(start, p, Rounding::Ceil).ok()?.raw();
        let end = over(end, p, Rounding::Ceil).ok()?.raw();
        let a = if m.is_negative() {
            i128::MAX
        } else {
            let w_l = self.liab.weights(level).liability;
            let left = over(
                over(m, w_l, Rounding::Floor).ok()?,
                self.liab_price.liability_price(),
                Rounding::Floor,
            )
            .ok()?;
            self.debt.sub(left).ok()?.raw()
        };
        Some([
            Span {
                from: a,
                to: end,
                met: true,
            },
            Span {
                from: start,
                to: a,
                met: false,
            },
        ])
    }

    /// The first repay values whose seize reaches `σ` and `σ + 10⁻¹⁸`: `⌈σ·P_c/F⌉` and
    /// `⌈(σ + 10⁻¹⁸)·P_c/F⌉` (for `σ ≥ 0`), as `mul_div_ceil` computes each, from one 256-bit
    /// product: with `σ·P_c = q·F + r` (`0 ≤ r < F`), `(σ + 10⁻¹⁸)·P_c = (q + q')·F + r'` where
    /// `r + P_c = q'·F + r'` (a `u128` sum: `r < F` and `P_c` are below `2¹²⁷`). `None` when
    /// either leaves the `Wad` range (as `mul_div_ceil`'s [`Error::Overflow`]) or `σ` is the
    /// largest `Wad`.
    fn values_reaching(&self, seize: Wad) -> Option<(Wad, Wad)> {
        let (sigma, pc, f) = (
            u128::try_from(seize.raw()).ok()?,
            u128::try_from(self.coll_price.price().raw()).ok()?,
            u128::try_from(self.bonus_factor.raw()).ok()?,
        );
        seize.add(Wad::EPSILON).ok()?;
        let (hi, lo) = mul_wide(sigma, pc);
        let (q, r) = div_rem_wide(hi, lo, f)?;
        let (q2, r2) = div_rem_wide(0, r.checked_add(pc)?, f)?;
        let q2 = q.checked_add(q2)?;
        let up = |q: u128, r: u128| -> Option<Wad> {
            let q = if r == 0 { q } else { q.checked_add(1)? };
            i128::try_from(q).ok().map(Wad::from_raw)
        };
        Some((up(q, r)?, up(q2, r2)?))
    }

    /// The most liability tokens whose seize fits in the deposit (at most `debt`).
    fn collateral_cap(&self) -> Result<Wad> {
        if self.seize(self.debt)? <= self.deposit {
            return Ok(self.debt);
        }
        if let Ok(first_over) = self.first_over_deposit() {
            return first_over.sub(Wad::EPSILON);
        }
        // seize is non-decreasing in repay: find the first repay whose seize exceeds the deposit.
        let guess = self
            .deposit
            .mul_div_floor(self.coll_price.price(), self.liab_price.price())?
            .div_floor(self.bonus_factor)?;
        let first_over = boundary(Wad::ZERO, self.debt, guess, |r| Ok(self.seize(r)? > self.deposit))?;
        first_over.sub(Wad::EPSILON)
    }

    /// The first repay whose seize exceeds the deposit `d`, in closed form:
    /// `seize = ⌊v·(1 + bonus)/P_coll⌋ ≥ d + 10⁻¹⁸` exactly from `v = ⌈(d + 10⁻¹⁸)·P_coll/(1 + bonus)⌉`,
    /// and `v = ⌊r·P_liab⌋` reaches that exactly from `r = ⌈v/P_liab⌉` (each a non-decreasing
    /// step, so these are the first such `v` and `r`: the search's boundary, without probes).
    /// It lies in `(0, debt]` when `seize(debt)` exceeds the deposit (`seize(0) = 0`).
    ///
    /// Errors: [`Error::Overflow`] when a step leaves the `Wad` range (the caller then searches).
    fn first_over_deposit(&self) -> Result<Wad> {
        self.deposit
            .add(Wad::EPSILON)?
            .mul_div_ceil(self.coll_price.price(), self.bonus_factor)?
            .div_ceil(self.liab_price.price())
    }

    /// The repay that the linearised target health says is needed: `−H / k`, with
    /// `k = ⌊P_liab⁺·w_liab⌋ − ⌈⌈P_liab·(1 + bonus)⌉·t / P_coll⌉` and `t = ⌈P_coll⁻·w_coll⌉`
    /// (the loss rounded up, the slope down); an estimate only. With `(k, t)`, which are
    /// [`Pair::trend`]'s `k_lo` and `t` when no weight is size-scaled.
    fn estimate(&self, level: HealthLevel, target: Wad) -> Result<(Wad, Slope)> {
        let w_liab = self.liab.liability_weight(level, self.debt)?;
        let w_coll = self.coll.asset_weight(level, self.deposit)?;
        let gain = product(self.liab_price.liability_price(), w_liab, Rounding::Floor)?;
        let t = product(self.coll_price.asset_price(), w_coll, Rounding::Ceil)?;
        let loss = product(self.liab_price.price(), self.bonus_factor, Rounding::Ceil)?
            .mul_div_ceil(t, self.coll_price.price())?;
        let slope = Slope {
            k_lo: gain.sub(loss)?,
            t,
        };
        if !slope.k_lo.is_positive() {
            return Ok((self.debt, slope));
        }
        Ok((target.neg()?.div_ceil(slope.k_lo).unwrap_or(self.debt), slope))
    }
}

/// The estimate's slope and what [`Pair::trend`] shares with it: `k_lo`, the slope of
/// [`Pair::estimate`], and `t = ⌈P_coll⁻·w_coll⌉`.
#[derive(Clone, Copy, Debug)]
struct Slope {
    k_lo: Wad,
    t: Wad,
}

/// `a · b` rounded as `rounding` says; the other factor itself when one of them is one (a
/// price or a weight of one: the product is exact).
///
/// Errors: [`Error::Overflow`] (never when a factor is one).
fn product(a: Wad, b: Wad, rounding: Rounding) -> Result<Wad> {
    if a == Wad::ONE { Ok(b) } else { times(a, b, rounding) }
}

/// One evaluation of the target health for the search.
#[derive(Clone, Copy, Debug)]
struct Evaluated {
    repay: Wad,
    /// `seize(repay)`.
    seize: Wad,
    /// The target health after the repay.
    target: Wad,
    /// The deposit's contribution to it.
    deposit: Wad,
}

/// `x / d` rounded as `rounding` says, `x` itself when `d` is one (a debt priced at one, a
/// weight of one: the quotient is exact, no division needed).
fn over(x: Wad, d: Wad, rounding: Rounding) -> Result<Wad> {
    if d == Wad::ONE { Ok(x) } else { x.div(d, rounding) }
}

/// The two positions of a [`Pair`] after a repay (`Pair::at`).
#[derive(Clone, Copy, Debug)]
struct After {
    repay: Wad,
    /// `⌊repay · P_liab⌋`.
    repay_value: Wad,
    /// `⌊repay_value · (1 + bonus) / P_coll⌋`.
    seize: Wad,
    /// The borrow left, `−(debt − repay)`, valued.
    borrow: TokenValue,
    /// The deposit left, `deposit − seize`, valued.
    deposit: TokenValue,
}

impl After {
    /// The two positions' contributions at `level` ([`token_contribution`] of each): the
    /// borrow's and the deposit's.
    #[inline]
    fn contributions(&self, pair: &Pair<'_>, level: HealthLevel) -> Result<(Wad, Wad)> {
        Ok((
            self.borrow.weighted(pair.liab, level)?,
            self.deposit.weighted(pair.coll, level)?,
        ))
    }
}

/// Plans the liquidation of `account`'s borrow of `order.liability` against its deposit of
/// `order.collateral`, without changing anything.
///
/// The repay restores the health at `params.target` to zero with nothing to spare on the
/// grid: at `repay` the target is met and at `repay − 1e-18` it is not. It starts from the
/// closed form `−H / k` (see `Pair::estimate`) and is settled on the grid by the search of
/// `vectors/README.md` §8.2, "The search" (two probes when the estimate is right). Per-term rounding
/// makes target health a saw-tooth of a few 1e-18 around its linear trend, so a repay smaller
/// by up to (that noise / the slope) may meet the target too; the search's boundary is the
/// contract, and another implementation reproduces it by running the same search.
///
/// The search asks whether sizes meet the target; most of its questions are answered
/// without evaluating the health: every evaluation pins the straight line the target health
/// follows up to its rounding noise (`Pair::trend`: exact bounds of the slope and of the
/// noise from the prices, weights and bonus), which proves the answer for every size far
/// enough from the crossing (`bracket.rs`). Only the sizes near the crossing are evaluated,
/// and the answer is the search's, bit for bit: [`plan_token_liquidation_searched`]
/// evaluates every size the search asks about.
///
/// The repay is capped, in this order on a tie, by the whole debt, by what the deposit can
/// pay (`seize ≤ deposit`), by the close factor and by the liquidator's offer; a capped
/// liquidation reports the cap in [`Outcome::limit`]. When the target repay would leave a
/// debt worth less than the close factor's `dust`, the repay extends to the largest allowed.
/// An account that is not liquidatable gets a zero plan with [`Limit::Healthy`].
///
/// With [`Mode::Request`](super::Mode::Request) in `params` the liquidator sizes it:
/// `order.max_repay` is the request (absent: as much as allowed), the repay is the smallest of
/// the request and the caps above (the debt, the collateral, the close factor; [`Limit::Offer`]
/// when the request bound it), and the target is not sought (`target_before`/`target_after`
/// still report it).
///
/// Errors: [`Error::Invalid`] naming `collateral` when it is the liability token or the
/// account has no deposit of it, `liability` when the account has no borrow of it,
/// `max_repay` when it is negative or (request sizing) when a request below the caps would
/// leave a debt worth less than the close factor's dust, `token` when the context has no such
/// token; [`Error::Overflow`].
pub fn plan_token_liquidation<const N: usize, O: OptionPricing>(
    account: &Account<N>,
    ctx: &Context<'_, O>,
    params: &LiquidationParams,
    order: TokenOrder,
) -> Result<TokenLiquidation> {
    plan(account, ctx, params, order, true, &Cell::new(0))
}

/// [`plan_token_liquidation`] with every size the search asks about evaluated: the same plan
/// (a law checks it on random accounts), the reference for another implementation.
///
/// Errors: as [`plan_token_liquidation`].
pub fn plan_token_liquidation_searched<const N: usize, O: OptionPricing>(
    account: &Account<N>,
    ctx: &Context<'_, O>,
    params: &LiquidationParams,
    order: TokenOrder,
) -> Result<TokenLiquidation> {
    plan(account, ctx, params, order, false, &Cell::new(0))
}

/// [`plan_token_liquidation`]; with `prove`, the search's questions that the evaluations so
/// far answer ([`Bracket`]) are not evaluated. `evaluations` counts the sizes whose target
/// health is evaluated.
fn plan<const N: usize, O: OptionPricing>(
    account: &Account<N>,
    ctx: &Context<'_, O>,
    params: &LiquidationParams,
    order: TokenOrder,
    prove: bool,
    evaluations: &Cell<u32>,
) -> Result<TokenLiquidation> {
    if order.collateral == order.liability {
        return Err(Error::invalid(
            "collateral",
            "must be a different token from the liability",
        ));
    }
    if order.max_repay.is_some_and(Wad::is_negative) {
        return Err(Error::invalid("max_repay", "must be ≥ 0"));
    }
    let (liab, liab_price) = ctx.token(order.liability)?;
    let (coll, coll_price) = ctx.token(order.collateral)?;
    let borrow = account.token_balance(order.liability);
    let deposit = account.token_balance(order.collateral);
    if !borrow.is_negative() {
        return Err(Error::invalid("liability", "the account has no borrow in that token"));
    }
    if !deposit.is_positive() {
        return Err(Error::invalid("collateral", "the account has no deposit in that token"));
    }
    let pair = Pair {
        liab,
        liab_price,
        coll,
        coll_price,
        debt: borrow.abs()?,
        deposit,
        bonus_factor: Wad::ONE.add(coll.liquidation_fee())?,
    };
    let level = params.target;
    // The maintenance health, its part without the two positions, the same part's value at
    // the target level and the two positions valued (the same sums of the same terms as
    // `health` and `health_without`).
    let Standing {
        before,
        rest_maint,
        rest,
        start,
    } = maintenance_with_rest(account, ctx, order, &pair, level)?;
    let (liab_before, coll_before) = (
        start.borrow.weighted(liab, level)?,
        start.deposit.weighted(coll, level)?,
    );
    let target_before = rest.add(liab_before.add(coll_before)?)?;
    let factor_before = before.factor()?;
    if !before.value()?.is_negative() {
        return finish(
            &pair,
            &start,
            (before, factor_before),
            before,
            target_before,
            target_before,
            Limit::Healthy,
        );
    }

    // `⌈debt · P_liab⌉` and `⌊deposit · P_coll⌋`: the two positions' values when the price
    // has no confidence interval (the same product, already computed).
    let debt_value = if liab_price.conf().is_zero() {
        start.borrow.value()
    } else {
        times(pair.debt, liab_price.price(), Rounding::Ceil)?
    };
    let deposit_value = if coll_price.conf().is_zero() {
        start.deposit.value()
    } else {
        times(deposit, coll_price.price(), Rounding::Floor)?
    };
    let share = params.close_factor.share(factor_before, debt_value, deposit_value);
    let left_value = |repay: Wad| times(pair.debt.sub(repay)?, liab_price.price(), Rounding::Ceil);
    let allowed = [
        (pair.debt, Limit::Position),
        (pair.collateral_cap()?, Limit::Collateral),
        // `debt · 1` is the debt exactly.
        (
            if share == Wad::ONE {
                pair.debt
            } else {
                pair.debt.mul_floor(share)?
            },
            Limit::CloseFactor,
        ),
    ];
    // The repays evaluated at the target level (a pure function of the repay): the last one,
    // and the last one found to meet the target, each with its two positions and its target
    // health.
    let last: Cell<Option<(After, Wad)>> = Cell::new(None);
    let last_met: Cell<Option<(After, Wad)>> = Cell::new(None);
    // The two positions after `repay`, the target health there and the deposit's
    // contribution to it.
    let value_at = |repay: Wad| -> Result<(After, Wad, Wad)> {
        evaluations.set(evaluations.get().saturating_add(1));
        let at = pair.at(repay)?;
        let (l, c) = at.contributions(&pair, level)?;
        Ok((at, rest.add(l.add(c)?)?, c))
    };
    // An evaluation for the search: the repay, its seize, the target health, the deposit's
    // contribution (remembered by its repay and target health).
    let target_at = |repay: Wad| -> Result<Evaluated> {
        let (at, t, c) = value_at(repay)?;
        last.set(Some((at, t)));
        if !t.is_negative() {
            last_met.set(Some((at, t)));
        }
        Ok(Evaluated {
            repay,
            seize: at.seize,
            target: t,
            deposit: c,
        })
    };
    let (repay, limit) = match params.mode {
        Mode::Request => size_to_request(
            &params.close_factor,
            tightest(&allowed),
            order.max_repay,
            "max_repay",
            left_value,
        )?,
        Mode::Target => {
            let [position, collateral, close] = allowed;
            let caps = tightest(&[
                position,
                collateral,
                close,
                (order.max_repay.unwrap_or(Wad::MAX), Limit::Offer),
            ]);
            // What the evaluations prove about repays not evaluated (the search's questions
            // answered without evaluating where the answer is proven). Only where no
            // evaluation in `[0, cap]` can fail: every product there is bounded by the same
            // product at 0 or at the debt (`collateral_cap` evaluated `seize(debt)`), and the
            // target health by `rest` plus one of the two contributions before. Built at the
            // search's first question (most plans stop at the cap's, which is evaluated).
            let cap = caps.0;
            let slope = Cell::new(None);
            let mut bracket: Option<Bracket> = None;
            let (mut built, mut at_cap) = (false, None);
            let teach = |b: &mut Bracket, e: Evaluated| {
                b.learn(e.repay, e.target);
                let spans = rest.add(e.deposit).ok().and_then(|m| pair.stretch(level, e.seize, m));
                for span in spans.into_iter().flatten() {
                    b.learn_span(span);
                }
            };
            let meets = |x: Wad| -> Result<bool> {
                if x != cap && !built {
                    built = true;
                    let fits = rest.add(liab_before).is_ok() && rest.add(coll_before).is_ok();
                    let trend = if prove && fits {
                        pair.trend(level, slope.get())
                    } else {
                        None
                    };
                    bracket = trend.map(|trend| {
                        let mut b = Bracket::new(trend);
                        b.learn(Wad::ZERO, target_before);
                        if let Some(e) = at_cap {
                            teach(&mut b, e);
                        }
                        b
                    });
                }
                if let Some(known) = bracket.as_ref().and_then(|b| b.known(x)) {
                    return Ok(known);
                }
                let e = target_at(x)?;
                if x == cap {
                    at_cap = Some(e);
                }
                if let Some(b) = bracket.as_mut() {
                    teach(b, e);
                }
                Ok(!e.target.is_negative())
            };
            size_to_target(
                &params.close_factor,
                caps,
                target_before,
                meets,
                || {
                    let (guess, s) = pair.estimate(level, target_before)?;
                    slope.set(Some(s));
                    Ok(guess)
                },
                left_value,
            )?
        }
    };

    let (at, target_after) = match (last.get(), last_met.get()) {
        (Some((a, t)), _) | (_, Some((a, t))) if a.repay == repay => (a, t),
        _ if repay.is_zero() => (start, target_before),
        _ => {
            let (a, t, _) = value_at(repay)?;
            (a, t)
        }
    };
    let mut after: Health = rest_maint;
    after.add(at.borrow.weighted(liab, HealthLevel::Maintenance)?)?;
    after.add(at.deposit.weighted(coll, HealthLevel::Maintenance)?)?;
    finish(
        &pair,
        &at,
        (before, factor_before),
        after,
        target_before,
        target_after,
        limit,
    )
}

/// Where an account stands before a token liquidation ([`maintenance_with_rest`]).
struct Standing {
    /// The maintenance health.
    before: Health,
    /// The maintenance health without the two positions the order touches.
    rest_maint: Health,
    /// The health value at the target level without those two positions.
    rest: Wad,
    /// The two positions as they stand, valued once for every level.
    start: After,
}

/// `account`'s maintenance health, the same without the two positions `order` touches, the
/// value of that rest at `level`, and those two positions as they stand (valued once, for
/// every level).
///
/// One pass: each other token position is valued once (its [`TokenValue`]) and weighted at
/// both levels. The sums and the errors are those of [`health`], [`health_without`] at
/// maintenance and then [`health_without`] at `level`, in that order: an error at `level`
/// is kept until the maintenance pass is through (which may fail first) and ends the sum at
/// `level` where it occurs.
///
/// Errors: as [`health`].
fn maintenance_with_rest<const N: usize, O: OptionPricing>(
    account: &Account<N>,
    ctx: &Context<'_, O>,
    order: TokenOrder,
    pair: &Pair<'_>,
    level: HealthLevel,
) -> Result<Standing> {
    let (mut all, mut rest) = (Health::default(), Health::default());
    let (mut borrow, mut deposit) = (None, None);
    // The rest at `level` (when it is not maintenance), or the first error summing it.
    let separate = level != HealthLevel::Maintenance;
    let mut at_level: Result<Health> = Ok(Health::default());
    for p in account.positions() {
        let c = match *p {
            Position::Token { token, balance } if order.touches(p) => {
                let (params, price) = ctx.token(token)?;
                let value = TokenValue::new(price, balance)?;
                // The first position of the token is its balance (`Account::token_balance`).
                let slot = if token == order.liability {
                    &mut borrow
                } else {
                    &mut deposit
                };
                slot.get_or_insert(value);
                value.weighted(params, HealthLevel::Maintenance)?
            }
            Position::Token { token, balance } => {
                let (params, price) = ctx.token(token)?;
                let value = TokenValue::new(price, balance)?;
                let c = value.weighted(params, HealthLevel::Maintenance)?;
                rest.add(c)?;
                if separate {
                    add_unless_failed(&mut at_level, || value.weighted(params, level));
                }
                c
            }
            _ => {
                let c = position_contribution(p, ctx, HealthLevel::Maintenance)?;
                rest.add(c)?;
                if separate {
                    add_unless_failed(&mut at_level, || position_contribution(p, ctx, level));
                }
                c
            }
        };
        all.add(c)?;
    }
    let borrow = match borrow {
        Some(v) => v,
        None => TokenValue::new(pair.liab_price, pair.debt.neg()?)?,
    };
    let deposit = match deposit {
        Some(v) => v,
        None => TokenValue::new(pair.coll_price, pair.deposit)?,
    };
    let rest_value = if separate { at_level?.value()? } else { rest.value()? };
    let start = After {
        repay: Wad::ZERO,
        repay_value: Wad::ZERO,
        seize: Wad::ZERO,
        borrow,
        deposit,
    };
    Ok(Standing {
        before: all,
        rest_maint: rest,
        rest: rest_value,
        start,
    })
}

/// Adds `contribution()` to the health `sum` unless summing it has already failed; the first
/// error ends the sum (as `?` ends [`health_without`]'s loop) and is kept in its place.
fn add_unless_failed(sum: &mut Result<Health>, contribution: impl FnOnce() -> Result<Wad>) {
    if let Ok(h) = sum
        && let Err(e) = contribution().and_then(|c| h.add(c))
    {
        *sum = Err(e);
    }
}

/// The report of a liquidation to `at`, from `before` (with its health factor) to `after`.
fn finish(
    pair: &Pair<'_>,
    at: &After,
    (before, factor_before): (Health, Option<Wad>),
    after: Health,
    target_before: Wad,
    target_after: Wad,
    limit: Limit,
) -> Result<TokenLiquidation> {
    let amounts = Seize::from_seize(
        at.repay_value,
        at.seize,
        pair.coll_price.price(),
        pair.coll.protocol_fee_share(),
    )?;
    Ok(TokenLiquidation {
        repay: at.repay,
        repay_value: amounts.repay_value,
        seize: amounts.seize,
        bonus: amounts.bonus,
        protocol_fee: amounts.protocol_fee,
        outcome: Outcome::with_factor(before, factor_before, after, target_before, target_after, limit)?,
    })
}

/// Plans the liquidation as [`plan_token_liquidation`] and applies it to `account`: the
/// borrow shrinks by `repay` and the deposit by `seize`. On error nothing changes.
///
/// Errors: as [`plan_token_liquidation`].
pub fn liquidate_token<const N: usize, O: OptionPricing>(
    account: &mut Account<N>,
    ctx: &Context<'_, O>,
    params: &LiquidationParams,
    order: TokenOrder,
) -> Result<TokenLiquidation> {
    let plan = plan_token_liquidation(account, ctx, params, order)?;
    let borrow = account.token_balance(order.liability).add(plan.repay)?;
    let deposit = account.token_balance(order.collateral).sub(plan.seize)?;
    // Both positions exist (the plan checked it), so setting them cannot fail for capacity.
    account.set_token(order.liability, borrow)?;
    account.set_token(order.collateral, deposit)?;
    Ok(plan)
}

/// Whether a token liquidation is toxic once the sale of its collateral is priced in: the
/// maintenance health factor after the liquidation, with the collateral valued at
/// `min(asset price, price_after)` (the market price the liquidator's sale leaves behind, which
/// an oracle following the market will soon publish), is below the factor before it.
///
/// Without impact a liquidation with bonus `b` is toxic once liabilities exceed `1/(1 + b)`
/// of the weighted assets; a sale that moves the price makes it toxic earlier.
///
/// Errors: [`Error::Invalid`] naming `price_after` unless positive; as
/// [`plan_token_liquidation`].
pub fn toxic_with_impact<const N: usize, O: OptionPricing>(
    account: &Account<N>,
    ctx: &Context<'_, O>,
    order: TokenOrder,
    plan: &TokenLiquidation,
    price_after: Wad,
) -> Result<bool> {
    if !price_after.is_positive() {
        return Err(Error::invalid("price_after", "must be > 0"));
    }
    let (coll, coll_price) = ctx.token(order.collateral)?;
    let (liab, liab_price) = ctx.token(order.liability)?;
    let level = HealthLevel::Maintenance;
    let mut after = health_without(account, ctx, level, |p| order.touches(p))?;
    let borrow = account.token_balance(order.liability).add(plan.repay)?;
    let deposit = account.token_balance(order.collateral).sub(plan.seize)?;
    let impacted = OraclePrice::exact(coll_price.asset_price().min(price_after))?;
    after.add(token_contribution(liab, liab_price, level, borrow)?)?;
    after.add(token_contribution(coll, impacted, level, deposit)?)?;
    let before = health(account, ctx, level)?;
    Ok(Outcome::new(before, after, Wad::ZERO, Wad::ZERO, Limit::Target)?.toxic)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::TokenParamsRaw;
    use crate::test_support::w;

    /// The default scenario's lending account in miniature: stETH at 1,700.123456789 (weight
    /// 0.8 at the target level, bonus 5 %, confidence 0.1 %) against a debt of a
    /// dollar-priced token (weight 1), with 18-digit balances. Searched, the plan evaluates
    /// the target health 35 times (the cap, then every question of the search); with the
    /// answers proven away from the crossing and on the seize's stretches around each
    /// evaluation, 6 times (the cap, four questions near the crossing and the answer), for
    /// the same plan.
    #[test]
    fn the_bracket_answers_most_of_the_searchs_questions() {
        let mut raw = TokenParamsRaw::new(w("0.8"), w("0.86"), w("1"), w("1"));
        raw.liquidation_fee = w("0.05");
        raw.protocol_fee_share = w("0.1");
        let coll = TokenParams::new(raw).unwrap();
        let debt = TokenParams::new(TokenParamsRaw::new(w("1"), w("1"), w("1"), w("1"))).unwrap();
        let tokens = [debt, coll];
        let prices = [
            OraclePrice::exact(Wad::ONE).unwrap(),
            OraclePrice::new(w("1700.123456789"), w("1.7")).unwrap(),
        ];
        let ctx = Context::tokens(&tokens, &prices).unwrap();
        let mut account: Account = Account::new();
        account.set_token(0, w("-51234.567890123456789012")).unwrap();
        account.set_token(1, w("33.923456789012345678")).unwrap();
        let order = TokenOrder {
            liability: 0,
            collateral: 1,
            max_repay: None,
        };
        let params = LiquidationParams::default();
        let (proved, searched) = (Cell::new(0), Cell::new(0));
        let fast = plan(&account, &ctx, &params, order, true, &proved).unwrap();
        let slow = plan(&account, &ctx, &params, order, false, &searched).unwrap();
        assert_eq!(fast, slow);
        assert_eq!(fast.outcome.limit, Limit::Target);
        assert_eq!((proved.get(), searched.get()), (6, 35), "evaluations proved, searched");
    }

    /// `values_reaching` is `mul_div_ceil` of the seize and of the seize plus one unit, on
    /// 100,000 random seizes, prices and bonuses (from one raw unit to the whole range, where
    /// the quotients leave it).
    #[test]
    fn the_values_reaching_a_seize_are_the_quotients() {
        let mut rng = crate::rng::SplitMix64::new(0x7a1e_5eed_0042);
        let mut next = move || rng.next_u64();
        let params = TokenParams::new(TokenParamsRaw::new(w("0.8"), w("0.8"), w("1.2"), w("1.2"))).unwrap();
        let mut wide = |most: u64| {
            let bits = next() % most;
            (i128::from(next()) << bits) & i128::MAX
        };
        for _ in 0..100_000 {
            let (seize, pc, fee) = (wide(100), wide(100).max(1), wide(64));
            let (Ok(coll_price), Ok(bonus_factor)) =
                (OraclePrice::exact(Wad::from_raw(pc)), Wad::ONE.add(Wad::from_raw(fee)))
            else {
                continue;
            };
            let pair = Pair {
                liab: &params,
                liab_price: OraclePrice::exact(Wad::ONE).unwrap(),
                coll: &params,
                coll_price,
                debt: Wad::ONE,
                deposit: Wad::ONE,
                bonus_factor,
            };
            let sigma = Wad::from_raw(seize);
            let quotient = |s: Wad| s.mul_div_ceil(coll_price.price(), bonus_factor).ok();
            let want = match (quotient(sigma), sigma.add(Wad::EPSILON).ok().and_then(quotient)) {
                (Some(a), Some(b)) => Some((a, b)),
                _ => None,
            };
            assert_eq!(
                pair.values_reaching(sigma),
                want,
                "{sigma:?} {coll_price:?} {bonus_factor:?}"
            );
        }
    }

    /// The collateral cap's closed form is the search's boundary: on 20,000 random pairs
    /// (prices from 1e-6 to 1e6, bonus in [0, 0.25] (the most a weight of 0.8 allows),
    /// deposits from 1e-12 to 1e9 tokens, debts from 1e-12 to 1e12, those whose seize exceeds
    /// the deposit kept: 11,186 of them), `first_over_deposit` is the first repay the search finds (from the
    /// top of its bracket) whose seize exceeds the deposit.
    #[test]
    fn the_collateral_caps_closed_form_is_the_searched_boundary() {
        let mut rng = crate::rng::SplitMix64::new(0x2545_f491_4f6c_dd1d);
        let mut next = move || rng.next_u64();
        let log_uniform = crate::test_support::log_uniform;
        let mut checked = 0;
        for _ in 0..20_000 {
            let mut raw = TokenParamsRaw::new(w("0.8"), w("0.8"), w("1.2"), w("1.2"));
            raw.liquidation_fee = Wad::from_raw(i128::from(next() % 250_000_000_000_000_001));
            let Ok(params) = TokenParams::new(raw) else {
                continue;
            };
            let liab_price = OraclePrice::exact(log_uniform(-6, 6, &mut next)).unwrap();
            let coll_price = OraclePrice::exact(log_uniform(-6, 6, &mut next)).unwrap();
            let deposit = log_uniform(-12, 9, &mut next);
            let debt = log_uniform(-12, 12, &mut next);
            let pair = Pair {
                liab: &params,
                liab_price,
                coll: &params,
                coll_price,
                debt,
                deposit,
                bonus_factor: Wad::ONE.add(params.liquidation_fee()).unwrap(),
            };
            if !pair.seize(debt).is_ok_and(|s| s > deposit) {
                continue;
            }
            let searched = boundary(Wad::ZERO, debt, debt, |r| Ok(pair.seize(r)? > deposit)).unwrap();
            assert_eq!(pair.first_over_deposit(), Ok(searched), "{debt} {deposit}");
            checked += 1;
        }
        assert_eq!(checked, 11_186, "pairs checked");
    }
}
