//! The block's auction of liquidatable accounts: each candidate is offered to the liquidators
//! in priority-fee order, and the first whose decision acts liquidates it through the kernel
//! and sells what it receives into the shared market.

use heapless::Vec;

use crate::liquidation::{Waterfall, WaterfallReport};
use crate::liquidator::{Ceiling, Environment, EnvironmentRaw, Opportunity, Sizer, Verdict};
use crate::market::{Depth, Fill};
use crate::{Error, Result, Wad};

use super::borrower::Borrower;
use super::liquidators::{Liquidator, Sizing};
use super::venue::{Executed, Offer, VenueKind, VenueParams, execute, opportunity};

/// The liquidators of a venue's auction in a block, bidding in priority-fee order, and the
/// conditions they bid in.
///
/// Every liquidator's [`Ceiling`] on the venue's terms is computed once per *state* — until a
/// liquidation moves the market and the liquidator's capital — and serves every account
/// offered in that state: the same bound as [`profit_ceiling`](crate::liquidator::profit_ceiling)
/// on each account, bit for bit, without the market's depth computed per account.
pub(super) struct Bidders<'x, M: Depth> {
    /// The shared market they sell into.
    market: &'x mut M,
    /// Every liquidator.
    liquidators: &'x mut [Liquidator],
    /// Their indices by priority fee, highest first.
    order: &'x [usize],
    /// The block's gas price.
    gas: Wad,
    /// The collateral's volatility per √block (their execution risk).
    volatility: Wad,
    /// The venue's terms at the oracle price, with nothing on offer yet.
    terms: Opportunity,
    /// Per bidder of the first [`CACHED`] (by rank in `order`): what it bids with in the
    /// current state, once made.
    state: Vec<Option<Made>, CACHED>,
    /// Once worked out in the current state: an offer size at or below which every bidder
    /// that can send a transaction declines, and whether any can.
    floor: Option<Floor>,
    /// Once an offer was declined by the floor in the current state: the floor's size then and
    /// the largest [`OfferSize::measure`] so declined. Every offer of at most that measure has
    /// an [`offer_bound`] at most that size, which the floor (never lower later in the state)
    /// declines: it is declined without computing its bound.
    declined_measure: Option<(Wad, Wad)>,
    /// Whether an account was offered in the current state.
    offered: bool,
    /// The last [`measure_within`] worked out: the floor's size and the price it was for, and
    /// its answer.
    within: Option<(Wad, Wad, Option<Wad>)>,
}

/// What the auction knows of an account's offer before it is made: its collateral and debt,
/// and the measure its [`offer_bound`] is non-decreasing in at a given price (the debt of a
/// lending or options account, the position of a perp account).
#[derive(Clone, Copy, Debug)]
pub(super) struct OfferSize {
    collateral: Wad,
    debt: Wad,
    measure: Wad,
}

impl OfferSize {
    /// The offer size of an account of `collateral` against `debt` in a venue of `params`.
    ///
    /// Errors: [`Error::Overflow`].
    pub fn new(params: &VenueParams, collateral: Wad, debt: Wad) -> Result<Self> {
        Ok(Self {
            collateral,
            debt,
            measure: Self::measure(params, collateral, debt)?,
        })
    }

    /// The measure of an account of `collateral` against `debt`: its debt (lending, options)
    /// or its position `|collateral|` (perp).
    ///
    /// Errors: [`Error::Overflow`].
    pub fn measure(params: &VenueParams, collateral: Wad, debt: Wad) -> Result<Wad> {
        match params.kind {
            VenueKind::Lending { .. } | VenueKind::Options(_) => Ok(debt.max(Wad::ZERO)),
            VenueKind::Perp { .. } => collateral.abs(),
        }
    }
}

/// Every offer of at most `size` is declined in the current state: by every bidder that can
/// send a transaction (each unpaid by its ceiling or shown to decline), or, when none can,
/// for want of gas.
#[derive(Clone, Copy, Debug)]
struct Floor {
    size: Wad,
    could_send: bool,
}

/// What one liquidator bids with in one state of the market.
#[derive(Clone)]
struct Made {
    /// Its environment: the block's gas price plus its priority fee.
    env: Environment,
    /// Its profit ceiling on the venue's terms.
    ceiling: Ceiling,
    /// Its decision on the venue's terms, when it sizes at the best profit.
    sizer: Option<Sizer>,
    /// Offers its decision declined in full in this state.
    declined: u32,
    /// The largest offer size shown, in this state, to bound sizes that are all declined
    /// ([`Sizer::declines_up_to`]): every offer at most this large is declined.
    declines_up_to: Wad,
    /// The smallest offer size for which that could not be shown.
    not_shown: Wad,
    /// Made in an earlier state of a market whose sales lower every later sale's proceeds
    /// ([`Depth::sales_lower_proceeds`]), by a bidder that has not acted since: only
    /// `declined`, `declines_up_to` and `unpaid_up_to` still hold, and the rest is made again
    /// before the bidder is asked about a size they do not reach.
    ///
    /// They hold because a showing proves that every repay `r ≤ declines_up_to` made a
    /// profit below the bidder's demand ([`Sizer::declines_up_to`]), and so does a ceiling for
    /// every `r ≤ unpaid_up_to` ([`Ceiling::unpaid_up_to`]); the profit of each
    /// `r` has not risen since: the bidder's capital, gas price, risk rate and the offers'
    /// terms (the block's oracle price) are unchanged, so are `r`'s collateral, cost, gas and
    /// risk, and the proceeds of selling that collateral are at most what they were (only
    /// the liquidators' own sales moved the market). An offer of at most `declines_up_to`
    /// chooses some such `r`, and declines.
    carried: bool,
    /// The largest offer size whose ceiling is below its demand (every such offer is unpaid),
    /// once worked out: `Some(None)` when there is none.
    unpaid_up_to: Option<Option<Wad>>,
}

/// How many of the highest bidders keep what they bid with from one offer to the next in a
/// state (the rest make it afresh for each offer): it lives on the stack, a few hundred bytes
/// a bidder.
const CACHED: usize = 4;

/// Declines after which a state starts showing sizes below which every offer is declined:
/// each showing costs one decision, and spares the plan and the decision of every offer it
/// covers. After one decline it pays: on the default scenario ×10 the run takes 2.5 % fewer
/// instructions than after two (17,488 liquidations: 33,230 plans against 37,790), and 0.8 %
/// fewer than showing from the first offer.
const DECLINES_BEFORE_BOUND: u32 = 1;

/// Whether one liquidator could take an offer on given terms.
enum Bid {
    /// It cannot send a transaction: gas is dearer than it works at, or the block's gas left
    /// does not fit one liquidation.
    CannotSend,
    /// It could send one, but its [`profit_ceiling`] is below what it demands: it would
    /// decline at every size.
    Unpaid,
    /// It might be paid, deciding in this environment.
    MayPay(Environment),
}

/// How a liquidatable account fared in the auction.
#[allow(clippy::large_enum_variant)]
pub(super) enum Served {
    /// A liquidator took it.
    Liquidated {
        /// What changed hands.
        done: Executed,
        /// The liquidator's sale of what it received.
        fill: Fill,
        /// The liquidator's profit (after gas).
        profit: Wad,
        /// The bankruptcy it left, settled down the waterfall, if any.
        bad_debt: Option<WaterfallReport>,
    },
    /// A liquidator could send a transaction, and none would.
    Unprofitable,
    /// No liquidator could: the block's gas ran out, or gas is dearer than any will pay.
    NoGas,
}

impl<'x, M: Depth> Bidders<'x, M> {
    /// The bidders of a venue whose terms at the oracle price are `terms`, in a block of gas
    /// price `gas` and collateral volatility `volatility`.
    ///
    /// Errors: none in practice (the per-state parts are kept for at most [`CACHED`] bidders).
    pub fn new(
        market: &'x mut M,
        liquidators: &'x mut [Liquidator],
        order: &'x [usize],
        gas: Wad,
        volatility: Wad,
        terms: Opportunity,
    ) -> Result<Self> {
        let mut state = Vec::new();
        state
            .resize(liquidators.len().min(CACHED), None)
            .map_err(|_| Error::capacity("liquidators", "at most four bidders keep their parts"))?;
        Ok(Self {
            market,
            liquidators,
            order,
            gas,
            volatility,
            terms,
            state,
            floor: None,
            declined_measure: None,
            offered: false,
            within: None,
        })
    }

    /// The state's [`Floor`], worked out once per state (and again when a bidder is shown to
    /// decline more); `None` when a bidder that can send keeps no per-state parts.
    fn floor(&mut self, gas_left: Wad) -> Result<Option<Floor>> {
        if let Some(floor) = self.floor {
            return Ok(Some(floor));
        }
        let mut floor = Floor {
            size: Wad::MAX,
            could_send: false,
        };
        let order = self.order;
        for (rank, &li) in order.iter().enumerate() {
            let Some(l) = self.liquidators.get(li) else { continue };
            if !l.works_at(self.gas) || l.gas_per_liquidation() > gas_left {
                continue;
            }
            floor.could_send = true;
            // A bidder's kept proofs, when they reach a size, are its part of the floor without
            // making its parts again.
            if let Some(covered) = self.carried_cover(rank) {
                floor.size = floor.size.min(covered);
                continue;
            }
            let demand = l.profile().raw().min_profit.max(Wad::EPSILON);
            // Make the bidder's parts if it has none yet.
            self.bid(rank, li, gas_left, Wad::ZERO)?;
            let Some(made) = self.state.get_mut(rank).and_then(Option::as_mut) else {
                return Ok(None);
            };
            let unpaid = match made.unpaid_up_to {
                Some(u) => u,
                None => {
                    let u = made.ceiling.unpaid_up_to(demand)?;
                    made.unpaid_up_to = Some(u);
                    u
                }
            };
            let declined = match (unpaid, made.declines_up_to) {
                (Some(u), d) => u.max(d),
                (None, d) if d.is_positive() => d,
                (None, _) => return Ok(None),
            };
            floor.size = floor.size.min(declined);
        }
        self.floor = Some(floor);
        Ok(Some(floor))
    }

    /// The largest offer size that the bidder of rank `rank`'s kept proofs show it declines,
    /// when its parts were made in an earlier state ([`Made::carried`]) and they show one: the
    /// larger of the sizes shown declined and its ceiling's unpaid sizes (each such size's
    /// profit was below its demand then, and has not risen).
    fn carried_cover(&self, rank: usize) -> Option<Wad> {
        let made = self.state.get(rank)?.as_ref().filter(|m| m.carried)?;
        match made.unpaid_up_to {
            Some(Some(u)) => Some(u.max(made.declines_up_to)),
            _ => Some(made.declines_up_to).filter(|d| d.is_positive()),
        }
    }

    /// What liquidator `li` bids with in the current state: made afresh.
    fn make(&self, li: usize) -> Result<Option<Made>> {
        let Some(l) = self.liquidators.get(li) else {
            return Ok(None);
        };
        let env = Environment::new(EnvironmentRaw {
            gas_price: self.gas.add(l.priority_fee())?,
            volatility: self.volatility,
        })?;
        let profile = l.current()?;
        let (ceiling, sizer) = match l.sizing() {
            Sizing::Best => {
                let (ceiling, sizer) = Ceiling::with_sizer(&profile, &env, &*self.market, &self.terms)?;
                (ceiling, Some(sizer))
            }
            Sizing::Whole => (Ceiling::new(&profile, &env, &*self.market, &self.terms)?, None),
        };
        Ok(Some(Made {
            env,
            ceiling,
            sizer,
            declined: 0,
            declines_up_to: Wad::ZERO,
            not_shown: Wad::MAX,
            carried: false,
            unpaid_up_to: None,
        }))
    }

    /// Whether liquidator `li`, the bidder of rank `rank`, could take an offer of at most
    /// `repay_bound` now (see [`Bid`]); the first [`CACHED`] bidders keep what they bid with
    /// for the rest of the state.
    fn bid(&mut self, rank: usize, li: usize, gas_left: Wad, repay_bound: Wad) -> Result<Bid> {
        let Some(l) = self.liquidators.get(li) else {
            return Ok(Bid::CannotSend);
        };
        if !l.works_at(self.gas) || l.gas_per_liquidation() > gas_left {
            return Ok(Bid::CannotSend);
        }
        let demand = l.profile().raw().min_profit.max(Wad::EPSILON);
        let (env, ceiling) = match self.state.get(rank) {
            Some(Some(made)) if !made.carried => (made.env, made.ceiling),
            Some(kept) => {
                let shown = kept.as_ref().map(|m| (m.declined, m.declines_up_to));
                let mut made = self.make(li)?;
                let Some(m) = made.as_mut() else {
                    return Ok(Bid::CannotSend);
                };
                if let Some((declined, declines_up_to)) = shown {
                    m.declined = declined;
                    m.declines_up_to = declines_up_to;
                }
                let parts = (m.env, m.ceiling);
                if let Some(slot) = self.state.get_mut(rank) {
                    *slot = made;
                }
                parts
            }
            None => match self.make(li)? {
                Some(m) => (m.env, m.ceiling),
                None => return Ok(Bid::CannotSend),
            },
        };
        Ok(if ceiling.at(repay_bound)? < demand {
            Bid::Unpaid
        } else {
            Bid::MayPay(env)
        })
    }

    /// Whether liquidator `li`, the bidder of rank `rank`, is unpaid at every size of an offer
    /// of at most `repay_max` in the current state — its [`Ceiling`] there is below what it
    /// demands, so its decision would decline — as far as its kept parts show (`false` for a
    /// bidder that keeps none).
    fn unpaid_at(&self, rank: usize, li: usize, repay_max: Wad) -> Result<bool> {
        let (Some(Some(made)), Some(l)) = (self.state.get(rank), self.liquidators.get(li)) else {
            return Ok(false);
        };
        let demand = l.profile().raw().min_profit.max(Wad::EPSILON);
        Ok(made.ceiling.at(repay_max)? < demand)
    }

    /// Whether liquidator `li` is shown, in the current state, to decline every offer of at
    /// most `repay_bound` ([`Sizer::declines_up_to`], which rests on the decision's profit being
    /// the best of every smaller size up to rounding): it sizes at the best profit, has
    /// declined a few offers in full in this state, and `repay_bound` is at most a size shown
    /// so — or, between the sizes shown and not shown, is shown so now (a decision at twice the
    /// size shown so far, then one at `repay_bound`), which moves the sizes shown. Offers of
    /// sizes not shown are decided in full.
    fn surely_declines(&mut self, rank: usize, repay_bound: Wad) -> Result<bool> {
        let market = &*self.market;
        let Some(made) = self.state.get_mut(rank).and_then(Option::as_mut) else {
            return Ok(false);
        };
        let Some(sizer) = made.sizer.as_ref() else {
            return Ok(false);
        };
        if repay_bound <= made.declines_up_to {
            return Ok(true);
        }
        if made.declined < DECLINES_BEFORE_BOUND || repay_bound >= made.not_shown {
            return Ok(false);
        }
        // First at twice the size shown so far, when that is larger and below the smallest size
        // not shown: one showing then covers more of the offers to come. Each showing is a
        // proof on its own; one that fails only stops showings at or above its size. On the
        // default scenario ×10: 0.7 % fewer instructions in all (eight times: 2.2 % more).
        let reach = made.declines_up_to.mul_floor(Wad::from_i64(2)).unwrap_or(Wad::MAX);
        if reach > repay_bound && reach < made.not_shown {
            if sizer.declines_up_to(market, reach)? {
                made.declines_up_to = reach;
                self.floor = None;
                return Ok(true);
            }
            made.not_shown = reach;
        }
        if sizer.declines_up_to(market, repay_bound)? {
            made.declines_up_to = repay_bound;
            self.floor = None;
            Ok(true)
        } else {
            made.not_shown = repay_bound;
            Ok(false)
        }
    }

    /// Liquidator `li`'s decision on `opp` (an offer on the venue's terms) in the current
    /// state, without its fill (the engine sells what it receives after the liquidation): its
    /// [`Sizer`]'s verdict when it sizes at the best profit, else its own decision's. A decline
    /// is counted toward the state's bound ([`surely_declines`](Self::surely_declines)).
    fn decide(&mut self, rank: usize, li: usize, env: &Environment, opp: &Opportunity) -> Result<Verdict> {
        let l = self.liquidators.get(li).ok_or(Error::invalid(
            "liquidators",
            "the bidding order names a liquidator that does not exist",
        ))?;
        let made = self.state.get_mut(rank).and_then(Option::as_mut);
        let d = match made.as_ref().and_then(|m| m.sizer.as_ref()) {
            Some(sizer) => {
                opp.check()?;
                sizer.verdict(&*self.market, opp.repay_max)?
            }
            None => Verdict::from(&l.decide(env, &*self.market, opp)?),
        };
        if let Some(m) = made
            && !d.act
        {
            m.declined = m.declined.saturating_add(1);
        }
        Ok(d)
    }

    /// Why no further account of the venue can be served now, if none can: with an unbounded
    /// offer (the depth bound of the [`Ceiling`], which does not depend on the account), no
    /// liquidator that can send a transaction could be paid ([`Served::Unprofitable`]), or
    /// none can send one ([`Served::NoGas`]). Every account would then be declined until the
    /// market moves, so the rest stay queued.
    pub fn stalled(&mut self, gas_left: Wad) -> Result<Option<Served>> {
        let mut could_send = false;
        let order = self.order;
        for (rank, &li) in order.iter().enumerate() {
            match self.bid(rank, li, gas_left, Wad::MAX)? {
                Bid::CannotSend => {}
                Bid::Unpaid => could_send = true,
                Bid::MayPay(_) => return Ok(None),
            }
        }
        Ok(Some(if could_send {
            Served::Unprofitable
        } else {
            Served::NoGas
        }))
    }

    /// When the state's floor has declined an offer: the largest [`OfferSize::measure`] it is
    /// shown to decline now, and whether a bidder could send (the reason of such declines:
    /// [`Served::Unprofitable`], else [`Served::NoGas`]) — what [`serve`](Self::serve) answers,
    /// without reading the account, for an offer of at most that measure at oracle price
    /// `price`.
    ///
    /// The measure is the larger of the largest declined so far in the state and the largest
    /// whose [`offer_bound`] is at most the floor's size ([`measure_within`]): every offer's
    /// bound is non-decreasing in its measure, so each offer of at most that measure has a bound
    /// the floor declines.
    ///
    /// Errors: what making the bidders' parts reports.
    pub fn declines_measure(&mut self, params: &VenueParams, price: Wad, gas_left: Wad) -> Result<Option<(Wad, bool)>> {
        if self.declined_measure.is_none() {
            return Ok(None);
        }
        let Some(floor) = self.floor(gas_left)? else {
            return Ok(None);
        };
        let declined = self
            .declined_measure
            .filter(|&(shown_at, _)| shown_at <= floor.size)
            .map(|(_, measure)| measure);
        let within = match self.within {
            Some((size, at, within)) if size == floor.size && at == price => within,
            _ => {
                let within = measure_within(params, floor.size, price);
                self.within = Some((floor.size, price, within));
                within
            }
        };
        let measure = match (declined, within) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        Ok(measure.map(|m| (m, floor.could_send)))
    }

    /// Offers `acct` (liquidatable at oracle price `price`, with `repay_bound` its
    /// [`offer_bound`] there) to the liquidators, highest bid first; the first whose decision
    /// acts liquidates it through the kernel, sells what it receives, and pays for its gas out
    /// of `gas_left`. An offer the state's floor declines is answered without reading `acct`.
    ///
    /// A liquidator whose [`profit_ceiling`] on the account (with an upper bound of the
    /// offer: the whole debt, or for a perp the whole position at the oracle price less the
    /// fee) is below what it demands would decline at every size, so it is not asked; when no
    /// liquidator could accept, the kernel's plan is not even made. This changes no outcome,
    /// only the work.
    pub fn serve(
        &mut self,
        params: &VenueParams,
        acct: &mut Borrower,
        size: OfferSize,
        price: Wad,
        gas_left: &mut Wad,
        waterfall: &mut Waterfall,
    ) -> Result<Served> {
        let declined = |floor: Floor| {
            if floor.could_send {
                Served::Unprofitable
            } else {
                Served::NoGas
            }
        };
        // The floor is worked out from the state's second offer on: the first is often taken
        // (in a crash, state after state), and the floor makes every bidder's parts.
        let floor = if self.offered {
            self.floor(*gas_left)?
        } else {
            self.offered = true;
            None
        };
        if let (Some(floor), Some((shown_at, measure))) = (floor, self.declined_measure)
            && shown_at <= floor.size
            && size.measure <= measure
        {
            return Ok(declined(floor));
        }
        let repay_bound = offer_bound(params, size.collateral, size.debt, price)?;
        if let Some(floor) = floor
            && repay_bound <= floor.size
        {
            let measure = match self.declined_measure {
                Some((shown_at, m)) if shown_at <= floor.size => m.max(size.measure),
                _ => size.measure,
            };
            self.declined_measure = Some((floor.size, measure));
            return Ok(declined(floor));
        }
        let mut could_send = false;
        let mut offer: Option<Offer> = None;
        let order = self.order;
        for (rank, &li) in order.iter().enumerate() {
            // A bidder whose kept proofs reach the offer declines it: whether it could send is
            // all that is asked, and its parts are not made again.
            if self.carried_cover(rank).is_some_and(|covered| repay_bound <= covered) {
                if self
                    .liquidators
                    .get(li)
                    .is_some_and(|l| l.works_at(self.gas) && l.gas_per_liquidation() <= *gas_left)
                {
                    could_send = true;
                }
                continue;
            }
            let env = match self.bid(rank, li, *gas_left, repay_bound)? {
                Bid::CannotSend => continue,
                Bid::Unpaid => {
                    could_send = true;
                    continue;
                }
                Bid::MayPay(env) => {
                    could_send = true;
                    env
                }
            };
            if self.surely_declines(rank, repay_bound)? {
                continue;
            }
            let made = match offer {
                Some(o) => o,
                None => *offer.insert(opportunity(params, acct, price)?),
            };
            // The offer's own size bounds the profit closer than the account's bound did.
            if self.unpaid_at(rank, li, made.opp.repay_max)? {
                continue;
            }
            let d = self.decide(rank, li, &env, &made.opp)?;
            if !d.act {
                continue;
            }
            let Some(l) = self.liquidators.get_mut(li) else {
                continue;
            };
            let (done, bad_debt) = execute(params, acct, price, &made, &d, waterfall)?;
            let fill = self.market.sell(done.receives)?;
            let profit = l.book(done.paid, d.gas, fill.proceeds)?;
            *gas_left = gas_left.sub(l.gas_per_liquidation())?;
            // The market, this liquidator's capital and the gas left moved: a new state. The
            // other bidders' shown declines still hold when the market's sales lower every
            // later sale's proceeds (see `Made::carried`).
            let keep = self.market.sales_lower_proceeds();
            for (r, made) in self.state.iter_mut().enumerate() {
                match made {
                    Some(m) if keep && r != rank => m.carried = true,
                    _ => *made = None,
                }
            }
            self.floor = None;
            self.declined_measure = None;
            self.offered = false;
            return Ok(Served::Liquidated {
                done,
                fill,
                profit,
                bad_debt,
            });
        }
        Ok(if could_send {
            Served::Unprofitable
        } else {
            Served::NoGas
        })
    }
}

/// The largest [`OfferSize::measure`] whose [`offer_bound`] at price `price` is shown to be at
/// most `size` (every smaller measure's bound is then at most `size` too): `size` itself for a
/// lending venue, whose bound is its measure; for a perp or options venue, the measure that
/// undoes the bound's products (`size / (1 − fee) / P`, `size / M`, rounded down) or up to two
/// units below it, the first whose bound is checked to be at most `size`. `None` when none of
/// those is, or when working it out overflows: the offers are then declined one by one.
pub(super) fn measure_within(params: &VenueParams, size: Wad, price: Wad) -> Option<Wad> {
    if size.is_negative() {
        return None;
    }
    // The guess, and whether the measure is the position (`collateral`) rather than the debt.
    let (guess, position) = match params.kind {
        VenueKind::Lending { .. } => return Some(size),
        VenueKind::Options(book) => {
            let owed = book.owed_per_unit(price).ok().filter(|m| m.is_positive())?;
            (size.div_floor(owed).ok()?, false)
        }
        VenueKind::Perp { market } => {
            let keep = Wad::ONE
                .sub(market.liquidation_fee())
                .ok()
                .filter(|k| k.is_positive())?;
            (size.div_floor(keep).ok()?.div_floor(price).ok()?, true)
        }
    };
    (0..3).find_map(|below| {
        let m = guess.sub(Wad::from_raw(below)).ok().filter(|m| !m.is_negative())?;
        let (collateral, debt) = if position { (m, Wad::ZERO) } else { (Wad::ZERO, m) };
        offer_bound(params, collateral, debt, price)
            .ok()
            .filter(|b| *b <= size)
            .map(|_| m)
    })
}

/// An upper bound of what the kernel's plan offers at price `price` for an account of
/// `collateral` against `debt`: its whole debt (lending), or `⌈⌈base · P⌉ · (1 − fee)⌉` for
/// the whole position (perp, as [`opportunity`] prices it).
pub(super) fn offer_bound(params: &VenueParams, collateral: Wad, debt: Wad, price: Wad) -> Result<Wad> {
    match params.kind {
        VenueKind::Lending { .. } => Ok(debt.max(Wad::ZERO)),
        // The buy-back's value `⌊x · M⌋ ≤ ⌈q · M⌉`, `M = ⌈V(price)⌉`.
        VenueKind::Options(book) => debt.max(Wad::ZERO).mul_ceil(book.owed_per_unit(price)?),
        VenueKind::Perp { market } => collateral
            .abs()?
            .mul_ceil(price)?
            .mul_ceil(Wad::ONE.sub(market.liquidation_fee())?),
    }
}
