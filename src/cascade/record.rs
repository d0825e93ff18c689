//! What a cascade reports: a [`BlockRecord`] per block (to a caller's [`Sink`]) and the run's
//! [`Report`], which absorbs every block's record.

use heapless::Vec;

use crate::oracle::Refusal;
use crate::{Error, Result, Wad};

use super::ledger::Ledger;
use super::option_pool::{PoolBlock, PoolStats};
use super::options_venue::{OptionsStats, SeriesQuote};

/// The most venues one cascade simulates.
pub const MAX_VENUES: usize = 4;
// The why of `venues` states this bound.
const _: () = assert!(MAX_VENUES == 4);

/// Why a run stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Stop {
    /// The cascade came to rest with no account liquidatable.
    Exhausted,
    /// Accounts are liquidatable, liquidators could act, and none finds it worth it (the
    /// liquidator's dilemma): the Liquidation Cascade Equilibrium in its narrow sense.
    Unprofitable,
    /// Accounts are liquidatable and no liquidator can act: there are none, gas is dearer
    /// than any will pay or than the block holds, or they are out of capital.
    NoLiquidators,
    /// Accounts would be liquidatable at the market price but a venue's oracle is down or its
    /// guards refuse its price.
    Stale,
    /// The block limit came first.
    BlockLimit,
    /// The caller interrupted the run ([`Sink::interrupted`]) before the cascade came to rest.
    Interrupted,
}

impl Stop {
    /// The name on the wire.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Exhausted => "exhausted",
            Self::Unprofitable => "unprofitable",
            Self::NoLiquidators => "no_liquidators",
            Self::Stale => "stale",
            Self::BlockLimit => "block_limit",
            Self::Interrupted => "interrupted",
        }
    }
}

/// One venue in one block.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct VenueBlock {
    /// The oracle price the venue used (the newest visible round), if it has one.
    pub oracle: Option<Wad>,
    /// Why its guards refused that price, if they did (then nothing was liquidated).
    pub refusal: Option<Refusal>,
    /// Accounts liquidatable at the oracle price at the end of the block (at the market price
    /// when the oracle is refused).
    pub liquidatable: u32,
    /// Liquidations executed.
    pub liquidations: u32,
    /// Debt repaid by them, in the unit of account.
    pub repaid: Wad,
    /// Collateral they took from accounts (protocol fee included).
    pub seized: Wad,
    /// Liquidatable accounts no liquidator would take this block (unprofitable for all).
    pub skipped_unprofitable: u32,
    /// Liquidatable accounts left for lack of block gas.
    pub skipped_gas: u32,
    /// Bad debt recognised (bankruptcies settled down the waterfall).
    pub bad_debt: Wad,
    /// Debt of accounts within the risk band of liquidation (an options venue: the value of
    /// their shorts at the block's mark, `⌈(Σ q) · M⌉`).
    pub debt_at_risk: Wad,
    /// Collateral value of the venue at the oracle price (or the market price), rounded down.
    pub tvl: Wad,
    /// Share of the at-risk collateral (accounts within the risk band) held by the top 1 %:
    /// accounts whose collateral is at least the `⌈N/100⌉`-th largest at the start (rounded
    /// up); 0 when nothing is at risk.
    pub concentration: Wad,
    /// An options venue's quote of the block (its vol, mark, margin); absent for the others.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub options: Option<SeriesQuote>,
    /// An option pool's block: its hedge sales, LP equity, utilisation, solvency and
    /// waterfall; absent for the other venues.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub option_pool: Option<PoolBlock>,
}

/// One block of a run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct BlockRecord {
    /// The block number (the first simulated block is 1).
    pub block: u64,
    /// The fundamental price: the exogenous shock path at this block.
    pub fundamental: Wad,
    /// The shared market's price at the end of the block.
    pub market: Wad,
    /// The gas price.
    pub gas_price: Wad,
    /// Base units arbitrageurs bought (positive) or sold (negative) restoring the market
    /// toward the fundamental.
    pub arbitrage: Wad,
    /// Base units traders sold (deleveraging and panic).
    pub trader_sold: Wad,
    /// Base units liquidators sold into the market.
    pub liquidation_sold: Wad,
    /// What those sales fetched.
    pub liquidation_proceeds: Wad,
    /// The slippage multiplier of the liquidations' sales: `Σ filled·price_before / Σ proceeds`
    /// rounded up; 1 when nothing was sold.
    pub slippage: Wad,
    /// The liquidators' profit this block (after gas).
    pub liquidator_profit: Wad,
    /// `(start − market) / start`, rounded up; 0 above the start.
    pub drawdown: Wad,
    /// The largest `|oracle − market| / market` over the venues, rounded up.
    pub oracle_gap: Wad,
    /// Debt at risk over total value locked, all venues (rounded up); 0 with nothing locked.
    pub systemic_debt_ratio: Wad,
    /// Every venue, in the order given.
    pub venues: Vec<VenueBlock, MAX_VENUES>,
}

impl BlockRecord {
    /// Liquidations in the block, all venues (the liquidation velocity).
    #[must_use]
    pub fn liquidations(&self) -> u32 {
        self.venues.iter().fold(0, |a, v| a.saturating_add(v.liquidations))
    }

    /// Debt repaid by liquidations in the block, all venues (the velocity in value).
    ///
    /// Errors: [`Error::Overflow`].
    pub fn repaid(&self) -> Result<Wad> {
        self.venues.iter().try_fold(Wad::ZERO, |a, v| a.add(v.repaid))
    }

    /// Bad debt recognised in the block, all venues.
    ///
    /// Errors: [`Error::Overflow`].
    pub fn bad_debt(&self) -> Result<Wad> {
        self.venues.iter().try_fold(Wad::ZERO, |a, v| a.add(v.bad_debt))
    }
}

/// Where per-block records go. Implement it to stream them (a file, a chart, a progress
/// bar); `()` discards them, a `heapless::Vec` keeps the first `N` (and with the `std`
/// feature a `Vec` keeps them all).
pub trait Sink {
    /// Receives one block's record.
    ///
    /// Errors: whatever the sink reports; the run stops with it.
    fn record(&mut self, record: &BlockRecord) -> Result<()>;

    /// Whether the caller wants the run to stop after the block just recorded (a user's
    /// Ctrl-C, a deadline): [`Cascade::run`](super::Cascade::run) then returns the report so
    /// far. Never, by default.
    fn interrupted(&self) -> bool {
        false
    }

    /// Receives the report at the equilibrium, once, when the cascade comes to rest and
    /// before the recovery is run (never for a run that does not come to rest). A sink that
    /// needs only the cascade (a Monte Carlo study) may answer [`interrupted`](Self::interrupted)
    /// from then on: the run ends without its recovery. Nothing, by default.
    ///
    /// Errors: whatever the sink reports; the run stops with it.
    fn equilibrium(&mut self, report: &Report) -> Result<()> {
        let _ = report;
        Ok(())
    }
}

impl Sink for () {
    fn record(&mut self, _: &BlockRecord) -> Result<()> {
        Ok(())
    }
}

impl<const N: usize> Sink for Vec<BlockRecord, N> {
    /// Errors: [`Error::Capacity`] naming `records` when full.
    fn record(&mut self, record: &BlockRecord) -> Result<()> {
        self.push(record.clone())
            .map_err(|_| Error::capacity("records", "the record buffer is full"))
    }
}

#[cfg(feature = "std")]
impl Sink for std::vec::Vec<BlockRecord> {
    fn record(&mut self, record: &BlockRecord) -> Result<()> {
        self.push(record.clone());
        Ok(())
    }
}

/// Why the cascade stopped where it did, in counts: how many accounts are still liquidatable,
/// how many liquidators there are, and why none acted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct StopDetail {
    /// Accounts liquidatable at the equilibrium, all venues (each at its venue's oracle price,
    /// or at the market price where the oracle is down or refused).
    pub liquidatable: u64,
    /// Liquidators taking part.
    pub liquidators: u32,
    /// Of them, those that could not send a transaction: gas dearer than they work at, or a
    /// liquidation needs more gas than a block holds.
    pub priced_out: u32,
    /// Those with no capital left.
    pub out_of_capital: u32,
    /// Those that could act and found nothing worth it (the liquidator's dilemma).
    pub unprofitable: u32,
}

/// One venue at the equilibrium: its books, its accounts' totals (the books balance against
/// them, see [`Conservation`](super::Conservation)), and its debt still under water.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct VenueSummary {
    /// The venue's books.
    pub ledger: Ledger,
    /// `Σ` its accounts' collateral.
    pub collateral: Wad,
    /// `Σ` its accounts' debt.
    pub debt: Wad,
    /// `Σ max(0, debt − ⌊collateral · P⌋)` over its accounts at the market price `P`: bad debt
    /// not yet written off. For an options venue the debt is what the shorts owe there,
    /// `⌈q · ⌈V(P)⌉⌉` (the series priced once at `P`).
    pub unrealised: Wad,
    /// `bad debt written off + unrealised`.
    pub insolvency: Wad,
    /// An options venue's quotes over the run (its short units bought back are the ledger's
    /// `debt_repaid_liquidations`, the premium absorbed its waterfall's `premium`); `None`
    /// for the other kinds.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub options: Option<OptionsStats>,
    /// An option pool's figures over the run (LP equity and its low point, utilisation, hedge
    /// sales, its waterfall); `None` for the other venues.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub option_pool: Option<PoolStats>,
}

/// What happened after the equilibrium, while the market recovered toward the fundamental.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Recovery {
    /// Blocks from the equilibrium until the market was back within `band` of the
    /// fundamental; `None` when it was not by the end of the run (no resilience, or the block
    /// limit came first).
    pub blocks: Option<u64>,
    /// The band (a fraction of the fundamental).
    pub band: Wad,
    /// The market's price at the end of the run.
    pub market_price: Wad,
    /// The fundamental price at the end of the run.
    pub fundamental_price: Wad,
    /// Liquidations after the equilibrium, all venues.
    pub liquidations: u64,
    /// Bad debt written off after the equilibrium, all venues.
    pub bad_debt: Wad,
}

/// The run's summary: the cascade up to its equilibrium (the first block at rest, see
/// [`Cascade::run`](super::Cascade::run)), then what the recovery added.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Report {
    /// Why the cascade stopped at the equilibrium ([`Stop::BlockLimit`]: it never came to
    /// rest, and every figure is at the last block).
    pub stop: Stop,
    /// Blocks simulated, the recovery included.
    pub blocks: u64,
    /// The fundamental price before the shock (block 0): `P0`.
    pub start_price: Wad,
    /// The market's price at the equilibrium.
    pub equilibrium_price: Wad,
    /// The block of the equilibrium.
    pub equilibrium_block: u64,
    /// The fundamental price at the equilibrium.
    pub fundamental_price: Wad,
    /// `P0 − fundamental_price`: how far the shock alone moved the price.
    pub exogenous_drop: Wad,
    /// `P0 − equilibrium_price`: how far the market fell, the cascade's impact included.
    pub cascade_drop: Wad,
    /// `⌈cascade_drop / exogenous_drop⌉`: how much the cascade amplified the shock (`≥ 1`
    /// when its sales deepened the fall); `None` when the shock did not lower the price.
    pub amplification: Option<Wad>,
    /// The lowest market price at a block end up to the equilibrium.
    pub low_price: Wad,
    /// The largest drawdown at a block end.
    pub max_drawdown: Wad,
    /// The largest oracle–market gap at a block end.
    pub max_oracle_gap: Wad,
    /// Liquidations, all venues.
    pub liquidations: u64,
    /// The most liquidations in one block.
    pub peak_liquidations: u32,
    /// The block of that peak (the first one on a tie; 0 when there was none).
    pub peak_block: u64,
    /// Debt repaid by liquidations, all venues.
    pub repaid: Wad,
    /// Base units liquidators sold.
    pub liquidation_sold: Wad,
    /// Their proceeds.
    pub liquidation_proceeds: Wad,
    /// The slippage multiplier of every liquidation sale of the run together (rounded up).
    pub slippage: Wad,
    /// Base units traders sold.
    pub trader_sold: Wad,
    /// Bad debt written off through the waterfalls, all venues.
    pub bad_debt: Wad,
    /// Debt still under water at the equilibrium, not yet written off:
    /// `Σ max(0, debt − ⌊collateral · P⌋)` over every account at the market price `P`.
    pub unrealised: Wad,
    /// `bad_debt + unrealised`: the loss the shock caused, realised or not.
    pub insolvency: Wad,
    /// The liquidators' profit, all of them.
    pub liquidator_profit: Wad,
    /// Account-blocks skipped as unprofitable.
    pub skipped_unprofitable: u64,
    /// Account-blocks skipped for lack of block gas.
    pub skipped_gas: u64,
    /// The largest systemic debt ratio at a block end.
    pub max_systemic_debt_ratio: Wad,
    /// The largest collateral concentration at a block end.
    pub max_concentration: Wad,
    /// Why the cascade stopped where it did, in counts.
    pub stop_detail: StopDetail,
    /// Every venue at the equilibrium, in the order given.
    pub venues: Vec<VenueSummary, MAX_VENUES>,
    /// What happened after the equilibrium; `None` when the run never came to rest.
    pub recovery: Option<Recovery>,
}

impl Report {
    /// The report before the first block: the run starts at fundamental price `start` with
    /// the market at `market` and the venues' books `venues`.
    #[must_use]
    pub fn opening(start: Wad, market: Wad, venues: Vec<VenueSummary, MAX_VENUES>) -> Self {
        Self {
            stop: Stop::BlockLimit,
            blocks: 0,
            start_price: start,
            equilibrium_price: market,
            equilibrium_block: 0,
            fundamental_price: start,
            exogenous_drop: Wad::ZERO,
            cascade_drop: Wad::ZERO,
            amplification: None,
            low_price: market,
            max_drawdown: Wad::ZERO,
            max_oracle_gap: Wad::ZERO,
            liquidations: 0,
            peak_liquidations: 0,
            peak_block: 0,
            repaid: Wad::ZERO,
            liquidation_sold: Wad::ZERO,
            liquidation_proceeds: Wad::ZERO,
            slippage: Wad::ONE,
            trader_sold: Wad::ZERO,
            bad_debt: Wad::ZERO,
            unrealised: Wad::ZERO,
            insolvency: Wad::ZERO,
            liquidator_profit: Wad::ZERO,
            skipped_unprofitable: 0,
            skipped_gas: 0,
            max_systemic_debt_ratio: Wad::ZERO,
            max_concentration: Wad::ZERO,
            stop_detail: StopDetail::default(),
            venues,
            recovery: None,
        }
    }

    /// Adds block `r` to the report. `at_price` is `Σ filled · price_before` (rounded up per
    /// sale) of every liquidation sale of the run so far, the numerator of the run's slippage
    /// multiplier `⌈at_price / liquidation_proceeds⌉` (1 when nothing was sold); `ledgers` are
    /// the venues' books at the block's end.
    ///
    /// Errors: [`Error::Overflow`].
    pub fn absorb<'l>(
        &mut self,
        r: &BlockRecord,
        at_price: Wad,
        ledgers: impl IntoIterator<Item = &'l Ledger>,
    ) -> Result<()> {
        self.blocks = r.block;
        self.equilibrium_block = r.block;
        self.equilibrium_price = r.market;
        self.fundamental_price = r.fundamental;
        self.low_price = self.low_price.min(r.market);
        self.max_drawdown = self.max_drawdown.max(r.drawdown);
        self.max_oracle_gap = self.max_oracle_gap.max(r.oracle_gap);
        let n = r.liquidations();
        self.liquidations = self.liquidations.saturating_add(u64::from(n));
        if n > self.peak_liquidations {
            self.peak_liquidations = n;
            self.peak_block = r.block;
        }
        self.repaid = self.repaid.add(r.repaid()?)?;
        self.liquidation_sold = self.liquidation_sold.add(r.liquidation_sold)?;
        self.liquidation_proceeds = self.liquidation_proceeds.add(r.liquidation_proceeds)?;
        self.trader_sold = self.trader_sold.add(r.trader_sold)?;
        self.bad_debt = self.bad_debt.add(r.bad_debt()?)?;
        self.liquidator_profit = self.liquidator_profit.add(r.liquidator_profit)?;
        for v in &r.venues {
            self.skipped_unprofitable = self
                .skipped_unprofitable
                .saturating_add(u64::from(v.skipped_unprofitable));
            self.skipped_gas = self.skipped_gas.saturating_add(u64::from(v.skipped_gas));
            self.max_concentration = self.max_concentration.max(v.concentration);
        }
        self.max_systemic_debt_ratio = self.max_systemic_debt_ratio.max(r.systemic_debt_ratio);
        self.slippage = if self.liquidation_proceeds.is_positive() {
            at_price.div_ceil(self.liquidation_proceeds)?
        } else {
            Wad::ONE
        };
        for (mine, now) in self.venues.iter_mut().zip(ledgers) {
            mine.ledger = *now;
        }
        Ok(())
    }
}
