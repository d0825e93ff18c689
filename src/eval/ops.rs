//! The table of ops that `lce eval` knows. A new op is one more entry of [`OPS`].

use std::string::String;

use serde_json::{Map, Value};

use super::args::{decimal, rounding, wad_value};
use super::{OpError, Output};
use crate::{Rounding, Wad};

/// One op of the protocol: its name, the input keys it accepts, and how it is computed.
#[derive(Clone, Copy, Debug)]
pub struct Op {
    /// The value of the case's `op`.
    pub name: &'static str,
    /// Every key the op's input may have; any other key is rejected as `invalid`.
    pub inputs: &'static [&'static str],
    /// The shape for people: input fields (`[..]` when optional) `->` output fields.
    pub usage: &'static str,
    /// What the op computes, in one line.
    pub doc: &'static str,
    /// Computes the output object from the input object (whose keys are all in `inputs`).
    pub run: fn(&Map<String, Value>) -> Result<Output, OpError>,
}

impl Op {
    /// Runs the op on `input`: rejects a key that is not in [`Op::inputs`] (the first one, in
    /// the input's order) as `invalid` naming it (the why lists the op's inputs, or suggests the
    /// one it is a slip for), then calls [`Op::run`].
    pub fn eval(&self, input: &Map<String, Value>) -> Result<Output, OpError> {
        if let Some(unknown) = input.keys().find(|k| !self.inputs.contains(&k.as_str())) {
            return Err(super::spec::unknown_key(unknown.clone(), unknown, &[&self.inputs]));
        }
        (self.run)(input)
    }
}

/// The op named `name`, if there is one.
#[must_use]
pub fn find_op(name: &str) -> Option<&'static Op> {
    OPS.iter().find(|op| op.name == name)
}

/// The inputs of a function of one argument.
const X: &[&str] = &["x", "round"];
/// The inputs of a binary arithmetic op.
const AB: &[&str] = &["a", "b", "round"];

/// Every op of `lce eval`, in the order `lce eval --help` lists them.
pub static OPS: &[Op] = &[
    Op {
        name: "mul",
        inputs: AB,
        usage: "a b [round] -> y",
        doc: "a*b, rounded once (256-bit product)",
        run: |i| binary(i, Wad::mul),
    },
    Op {
        name: "div",
        inputs: AB,
        usage: "a b [round] -> y",
        doc: "a/b, rounded once (256-bit numerator)",
        run: |i| binary(i, Wad::div),
    },
    Op {
        name: "exp",
        inputs: X,
        usage: "x [round] -> y",
        doc: "e^x, correctly rounded",
        run: |i| unary(i, Wad::exp),
    },
    Op {
        name: "ln",
        inputs: X,
        usage: "x [round] -> y",
        doc: "natural logarithm, x > 0",
        run: |i| unary(i, Wad::ln),
    },
    Op {
        name: "sqrt",
        inputs: X,
        usage: "x [round] -> y",
        doc: "square root, x >= 0",
        run: |i| unary(i, Wad::sqrt),
    },
    Op {
        name: "pow",
        inputs: &["x", "p", "round"],
        usage: "x p [round] -> y",
        doc: "x^p, correctly rounded",
        run: |i| {
            let x = decimal(i, "x")?;
            let p = decimal(i, "p")?;
            let round = rounding(i)?;
            Ok(y(x.pow(p, round)?))
        },
    },
    Op {
        name: "norm_cdf",
        inputs: X,
        usage: "x [round] -> y",
        doc: "standard normal cdf",
        run: |i| unary(i, Wad::norm_cdf),
    },
    Op {
        name: "norm_pdf",
        inputs: X,
        usage: "x [round] -> y",
        doc: "standard normal pdf",
        run: |i| unary(i, Wad::norm_pdf),
    },
    Op {
        name: "norm_inv",
        inputs: X,
        usage: "x [round] -> y",
        doc: "inverse standard normal cdf, 0 < x < 1",
        run: |i| unary(i, Wad::norm_inv),
    },
    Op {
        name: "health",
        inputs: super::ops_risk::HEALTH_INPUTS,
        usage: "tokens [perps] account -> initial maintenance liquidation_end liquidatable liquidation_prices",
        doc: "an account's health at each level and each position's liquidation price",
        run: super::ops_risk::run_health,
    },
    Op {
        name: "liquidate",
        inputs: super::ops_risk::LIQUIDATE_INPUTS,
        usage: "tokens [perps] account [liquidation] [close_factor] [target] [waterfall] -> repay seize ... account bankruptcy",
        doc: "one liquidation sized to restore target health, then any bankruptcy down the loss waterfall",
        run: super::ops_risk::run_liquidate,
    },
    Op {
        name: "oracle_price",
        inputs: &["feed", "prices", "conf", "guards"],
        usage: "feed{deviation heartbeat latency} prices[] [conf] [guards{max_age max_conf_ratio max_deviation twap_window}] -> price decided_at visible_at age rounds kept twap stale conf_too_wide deviates usable refusal",
        doc: "a push feed (deviation, heartbeat, latency) fed one price per block, and its guards, at the last block",
        run: super::ops_oracle::run,
    },
    Op {
        name: "market_sell",
        inputs: &["market", "qty", "side", "stress"],
        usage: "market qty [side] [stress] -> filled unfilled proceeds avg_price price_before price_after slippage_multiplier",
        doc: "one trade into a depth model (constant_product, order_book, linear, square_root)",
        run: super::ops_market::run,
    },
    Op {
        name: "liquidator_decision",
        inputs: super::ops_liquidator::INPUTS,
        usage: "opportunity profile [environment] market -> act reason repay receives sold unsold proceeds price_after cost gas risk profit",
        doc: "the liquidator's dilemma: whether and how much to liquidate after slippage, gas and execution risk",
        run: super::ops_liquidator::run,
    },
    Op {
        name: "dynamic_margin",
        inputs: super::ops_margin::DYNAMIC_INPUTS,
        usage: "params{base k_vol [k_skew] horizon [floor] cap init_spread} sigma [skew] [governor{[previous] [max_decrease] [buffer] [stressed_sigma]}] [size{size_factor size}] -> maintenance initial dynamic vol_term skew_term bound stressed_floor requirement target rate_limited sized_maintenance sized_initial",
        doc: "volatility- and skew-adjusted maintenance margin, with anti-procyclicality and size tiers",
        run: super::ops_margin::run_dynamic,
    },
    Op {
        name: "ewma_vol",
        inputs: super::ops_margin::EWMA_INPUTS,
        usage: "prices[] [lambda] periods_per_year [seed_variance] -> variance vol annual_vol returns",
        doc: "RiskMetrics EWMA volatility of a price history, every step rounded up",
        run: super::ops_margin::run_ewma,
    },
    Op {
        name: "cascade",
        inputs: super::scenario::SCENARIO_KEYS,
        usage: "name description seed max_blocks path gas block_gas [volatility] [risk_band] [arbitrage] [behaviour] market venues liquidators -> scenario summary venues liquidators blocks",
        doc: "a liquidation cascade scenario run block by block to its stop, and its report",
        run: super::ops_cascade::run,
    },
    Op {
        name: "path",
        inputs: super::ops_path::INPUTS,
        usage: "[seed] path{kind ...} blocks -> prices",
        doc: "a scenario's fundamental price path at blocks 0..=blocks: constant, instant, linear, listed, or drawn from the seed (garch, gbm)",
        run: super::ops_path::run,
    },
    Op {
        name: "rng",
        inputs: super::ops_rng::INPUTS,
        usage: "seed [key] | state, draw [n | lo hi | p | nu] count -> values",
        doc: "draws from the seeded generator (xoshiro256** seeded by SplitMix64): u64, unit, open_unit, below, range, bernoulli, normal, student_t",
        run: super::ops_rng::run,
    },
    Op {
        name: "bs_price",
        inputs: super::ops_options::BS_INPUTS,
        usage: "kind spot strike vol t rate [yield] [round] -> price",
        doc: "Black-Scholes-Merton price of a European call or put, correctly rounded",
        run: super::ops_options::run_price,
    },
    Op {
        name: "bs_greeks",
        inputs: super::ops_options::BS_INPUTS,
        usage: "kind spot strike vol t rate [yield] [round] -> delta gamma vega theta rho",
        doc: "Black-Scholes-Merton greeks (vega per unit vol, theta per year, rho per unit rate), each correctly rounded",
        run: super::ops_options::run_greeks,
    },
    Op {
        name: "implied_vol",
        inputs: super::ops_options::IV_INPUTS,
        usage: "kind price spot strike t rate [yield] -> vol",
        doc: "implied volatility of a European option's price, rounded down (bisection on the grid)",
        run: super::ops_options::run_implied_vol,
    },
    Op {
        name: "option_margin",
        inputs: super::ops_option_margin::INPUTS,
        usage: "method kind strike t size [mark] spot vol rate [yield] [params] -> initial maintenance mark otm | scenarios worst scan_risk short_minimum requirement",
        doc: "margin of a short option: Deribit's standard formula or a SPAN-style 16-scenario grid",
        run: super::ops_option_margin::run,
    },
    Op {
        name: "vega_shock",
        inputs: super::ops_options_stress::VEGA_INPUTS,
        usage: "market spot_shock vol_shock method [params] accounts -> spot vol liquidatable shortfall premium_absorbed to_insurance accounts",
        doc: "a book of short-option accounts under a joint spot and volatility shock: liquidatable accounts, shortfall, premium absorbed, left for the insurance fund",
        run: super::ops_options_stress::run_vega_shock,
    },
    Op {
        name: "option_pool",
        inputs: super::ops_options_stress::POOL_INPUTS,
        usage: "pool spot sales spot_shock vol_shock -> sales premiums notional spot vol value equity solvent",
        doc: "an AMM options pool selling at a utilisation-marked-up Black-Scholes price, and its providers' equity under a shock",
        run: super::ops_options_stress::run_option_pool,
    },
];

/// The output `{"y": y}`.
fn y(value: Wad) -> Output {
    let mut out = Map::new();
    out.insert(String::from("y"), wad_value(value));
    out
}

/// `{"x", "round"} -> {"y": f(x, round)}`.
fn unary(input: &Map<String, Value>, f: fn(Wad, Rounding) -> crate::Result<Wad>) -> Result<Output, OpError> {
    let x = decimal(input, "x")?;
    let round = rounding(input)?;
    Ok(y(f(x, round)?))
}

/// `{"a", "b", "round"} -> {"y": f(a, b, round)}`.
fn binary(input: &Map<String, Value>, f: fn(Wad, Wad, Rounding) -> crate::Result<Wad>) -> Result<Output, OpError> {
    let a = decimal(input, "a")?;
    let b = decimal(input, "b")?;
    let round = rounding(input)?;
    Ok(y(f(a, b, round)?))
}
