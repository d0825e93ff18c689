//! What a cascade reports: a [`BlockRecord`] per block (to a caller's [`Sink`]) and the run's
//! [`Report`], which absorbs every block's record.

use heapless::Vec;

use crate::oracle::Refusal;
use crate::{Error, Result, Wad};

use super::ledger::Ledger;

/// The most venues one cascade simulates.
pub const MAX_VENUES: usize = 4;

/// Why a run stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Stop {
    /// The shock is over, the market and oracles have settled, and no account is liquidatable.
    Exhausted,
    /// Accounts are liquidatable but no liquidator finds it worth it: the Liquidation Cascade
    /// Equilibrium of the seed.
    Unprofitable,
    /// Accounts would be liquidatable but a venue's oracle guards refuse its price for good.
    Stale,
    /// The block limit came first.
    BlockLimit,
}

impl Stop {
    /// The name on the wire.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Exhausted => "exhausted",
            Self::Unprofitable => "unprofitable",
            Self::Stale => "stale",
            Self::BlockLimit => "block_limit",
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
    /// Debt of accounts within the risk band of liquidation.
    pub debt_at_risk: Wad,
    /// Collateral value of the venue at the oracle price (or the market price), rounded down.
    pub tvl: Wad,
    /// Share of the at-risk collateral (accounts within the risk band) held by the top 1 %:
    /// accounts whose collateral is at least the `⌈N/100⌉`-th largest at the start (rounded
    /// up); 0 when nothing is at risk.
    pub concentration: Wad,
}

/// One block of a run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct BlockRecord {
    /// The block number (the first simulated block is 1).
    pub block: u64,
    /// The exogenous reference price.
    pub reference: Wad,
    /// The shared market's price at the end of the block.
    pub market: Wad,
    /// The gas price.
    pub gas_price: Wad,
    /// Base units arbitrageurs bought (positive) or sold (negative).
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
            .map_err(|_| Error::Capacity { what: "records" })
    }
}

#[cfg(feature = "std")]
impl Sink for std::vec::Vec<BlockRecord> {
    fn record(&mut self, record: &BlockRecord) -> Result<()> {
        self.push(record.clone());
        Ok(())
    }
}

/// The run's summary.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Report {
    /// Why it stopped.
    pub stop: Stop,
    /// Blocks simulated.
    pub blocks: u64,
    /// The reference price before the shock (block 0).
    pub start_price: Wad,
    /// The shared market's price where the run stopped: the equilibrium when `stop` is
    /// `exhausted` or `unprofitable`.
    pub equilibrium_price: Wad,
    /// The lowest market price seen at a block end.
    pub low_price: Wad,
    /// The largest drawdown at a block end.
    pub max_drawdown: Wad,
    /// The largest oracle–market gap at a block end.
    pub max_oracle_gap: Wad,
    /// Liquidations, all venues.
    pub liquidations: u64,
    /// The most liquidations in one block.
    pub peak_liquidations: u32,
    /// The block of that peak (the first one on a tie).
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
    /// Bad debt recognised, all venues.
    pub bad_debt: Wad,
    /// Debt of accounts still liquidatable at the end whose collateral, at the market price,
    /// does not cover it: `Σ max(0, debt − ⌊collateral · price⌋)`, the bad debt still to come.
    pub underwater: Wad,
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
    /// Every venue's ledger, in the order given.
    pub venues: Vec<Ledger, MAX_VENUES>,
}

impl Report {
    /// The report before the first block: the run starts at reference price `start` with the
    /// market at `market` and the venues' books `ledgers`.
    #[must_use]
    pub fn opening(start: Wad, market: Wad, ledgers: Vec<Ledger, MAX_VENUES>) -> Self {
        Self {
            stop: Stop::BlockLimit,
            blocks: 0,
            start_price: start,
            equilibrium_price: market,
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
            underwater: Wad::ZERO,
            liquidator_profit: Wad::ZERO,
            skipped_unprofitable: 0,
            skipped_gas: 0,
            max_systemic_debt_ratio: Wad::ZERO,
            max_concentration: Wad::ZERO,
            venues: ledgers,
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
        self.equilibrium_price = r.market;
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
            *mine = *now;
        }
        Ok(())
    }
}
