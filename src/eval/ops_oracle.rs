//! The op `oracle_price`: a push feed run over one market price per block, read at the last
//! block, with its guards. The wire spec is `vectors/README.md` §8.4.

use std::format;
use std::string::String;

use serde_json::{Map, Value};

use super::args::{Fields, wad_value};
use super::spec::{Field, Spec};
use super::{OpError, Output};
use crate::oracle::{FeedParams, FeedParamsWire, Guards, GuardsWire, OraclePrice, PushFeed, Verdict};
use crate::{Rounding, Wad};

/// A feed: `deviation` (decimal), `heartbeat` and `latency` (block counts); also the feed part
/// of a cascade venue's `oracle`.
pub(super) const FEED: Spec<FeedParamsWire> = Spec::new(&[
    Field::decimal("deviation", |w| &mut w.deviation),
    Field::count("heartbeat", |w| &mut w.heartbeat),
    Field::count("latency", |w| &mut w.latency),
]);

/// The guards, each off when absent: `max_age` (blocks), `max_conf_ratio`, `max_deviation`;
/// also the guards part of a cascade venue's `oracle`.
pub(super) const GUARDS: Spec<GuardsWire> = Spec::new(&[
    Field::opt_count("max_age", |w| &mut w.max_age),
    Field::opt_decimal("max_conf_ratio", |w| &mut w.max_conf_ratio),
    Field::opt_decimal("max_deviation", |w| &mut w.max_deviation),
]);

/// The TWAP window of `oracle_price`'s `guards` (read before the guards): `≥ 1` block, 1 when
/// absent.
const TWAP: Spec<u64> = Spec::new(&[Field::opt_with("twap_window", |f, k, w, _| match f.count(k)? {
    0 => Err(OpError::invalid(f.name(k), "must be ≥ 1 block")),
    n => {
        *w = u64::from(n);
        Ok(())
    }
})]);

/// `{feed, prices, [conf], [guards]}` → the feed's state and the guards' verdict at the last
/// block (block `len(prices) − 1`).
pub(super) fn run(input: &Map<String, Value>) -> Result<Output, OpError> {
    let root = Fields::root(input);
    let params = feed_params(&root)?;
    let prices = root.decimals("prices")?;
    if prices.is_empty() {
        return Err(OpError::invalid("prices", "must hold at least one price"));
    }
    if let Some(i) = prices.iter().position(|p| !p.is_positive()) {
        return Err(OpError::invalid(format!("prices[{i}]"), "must be > 0"));
    }
    let conf = root.decimal_or("conf", Wad::ZERO)?;
    if conf.is_negative() {
        return Err(OpError::invalid("conf", "must be ≥ 0"));
    }
    let (guards, window) = guards(&root)?;

    let mut feed: PushFeed = PushFeed::new(params);
    let mut block = 0u64;
    for (i, price) in prices.iter().enumerate() {
        block = u64::try_from(i).map_err(|_| OpError::invalid("prices", "more prices than a u64 counts"))?;
        feed.observe(block, *price)?;
    }

    let round = feed.latest(block);
    let (twap, verdict) = match round {
        Some(round) => {
            let twap = feed.twap(block, window, Rounding::Floor)?;
            let price = OraclePrice::new(round.price(), conf).map_err(|e| root.kernel(e))?;
            let age = block.saturating_sub(round.decided_at());
            (Some(twap), guards.check(price, age, Some(twap)))
        }
        None => (None, Verdict::NO_PRICE),
    };

    let mut out = Map::new();
    let mut put = |key: &str, value: Value| out.insert(String::from(key), value);
    put("price", round.map_or(Value::Null, |r| wad_value(r.price())));
    put("decided_at", round.map_or(Value::Null, |r| Value::from(r.decided_at())));
    put("visible_at", round.map_or(Value::Null, |r| Value::from(r.visible_at())));
    put("age", feed.age(block).map_or(Value::Null, Value::from));
    put("rounds", Value::from(feed.rounds()));
    put("kept", Value::from(feed.history().len()));
    put("twap", twap.map_or(Value::Null, wad_value));
    put("stale", Value::from(verdict.stale));
    put("conf_too_wide", Value::from(verdict.conf_too_wide));
    put("deviates", Value::from(verdict.deviates));
    put("usable", Value::from(verdict.usable()));
    put(
        "refusal",
        verdict.refusal().map_or(Value::Null, |r| Value::from(r.as_str())),
    );
    Ok(out)
}

/// The object `feed`.
fn feed_params(root: &Fields<'_>) -> Result<FeedParams, OpError> {
    FEED.object(&root.object("feed")?)
}

/// The optional object `guards` (every guard off when absent) and the TWAP window (1 block
/// when absent).
fn guards(root: &Fields<'_>) -> Result<(Guards, u64), OpError> {
    let Some(g) = root.opt_object("guards")? else {
        return Ok((Guards::DISABLED, 1));
    };
    g.strict_for(&[&TWAP, &GUARDS])?;
    let mut window = 1;
    TWAP.fill(&g, &mut window, &())?;
    Ok((GUARDS.part(&g)?, window))
}
