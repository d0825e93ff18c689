//! The op `oracle_price`: a push feed run over one market price per block, read at the last
//! block, with its guards. The wire spec is `vectors/README.md` §8.4.

use std::format;
use std::string::String;

use serde_json::{Map, Value};

use super::args::{Fields, wad_value};
use super::{OpError, Output};
use crate::oracle::{FeedParams, Guards, OraclePrice, PushFeed, Verdict};
use crate::{Rounding, Wad};

/// The keys of `feed`.
const FEED: &[&str] = &["deviation", "heartbeat", "latency"];
/// The keys of `guards`.
const GUARDS: &[&str] = &["max_age", "max_conf_ratio", "max_deviation", "twap_window"];

/// `{feed, prices, [conf], [guards]}` → the feed's state and the guards' verdict at the last
/// block (block `len(prices) − 1`).
pub(super) fn run(input: &Map<String, Value>) -> Result<Output, OpError> {
    let root = Fields::root(input);
    let params = feed_params(&root)?;
    let prices = root.decimals("prices")?;
    if prices.is_empty() {
        return Err(OpError::invalid("prices"));
    }
    if let Some(i) = prices.iter().position(|p| !p.is_positive()) {
        return Err(OpError::invalid(format!("prices[{i}]")));
    }
    let conf = root.decimal_or("conf", Wad::ZERO)?;
    if conf.is_negative() {
        return Err(OpError::invalid("conf"));
    }
    let (guards, window) = guards(&root)?;

    let mut feed: PushFeed = PushFeed::new(params);
    let mut block = 0u64;
    for (i, price) in prices.iter().enumerate() {
        block = u64::try_from(i).map_err(|_| OpError::invalid("prices"))?;
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

/// The object `feed`: `deviation` (decimal), `heartbeat` and `latency` (block counts).
fn feed_params(root: &Fields<'_>) -> Result<FeedParams, OpError> {
    let feed = root.object("feed")?;
    feed.strict(FEED)?;
    feed_fields(&feed)
}

/// The fields `deviation`, `heartbeat` and `latency` of `feed` (the caller checks the keys).
pub(super) fn feed_fields(feed: &Fields<'_>) -> Result<FeedParams, OpError> {
    let deviation = feed.decimal("deviation")?;
    let heartbeat = feed.count("heartbeat")?;
    let latency = feed.count("latency")?;
    FeedParams::new(deviation, u64::from(heartbeat), u64::from(latency)).map_err(|e| feed.kernel(e))
}

/// The optional object `guards` (every guard off when absent) and the TWAP window (1 block
/// when absent).
fn guards(root: &Fields<'_>) -> Result<(Guards, u64), OpError> {
    let Some(g) = root.opt_object("guards")? else {
        return Ok((Guards::DISABLED, 1));
    };
    g.strict(GUARDS)?;
    let window = g.count_or("twap_window", 1)?;
    if window == 0 {
        return Err(OpError::invalid(g.name("twap_window")));
    }
    Ok((guard_fields(&g)?, u64::from(window)))
}

/// The optional fields `max_age`, `max_conf_ratio` and `max_deviation` of `g` (each guard off
/// when absent; the caller checks the keys).
pub(super) fn guard_fields(g: &Fields<'_>) -> Result<Guards, OpError> {
    let max_age = if g.has("max_age") {
        Some(u64::from(g.count("max_age")?))
    } else {
        None
    };
    let max_conf_ratio = g.opt_decimal("max_conf_ratio")?;
    let max_deviation = g.opt_decimal("max_deviation")?;
    Guards::new(max_age, max_conf_ratio, max_deviation).map_err(|e| g.kernel(e))
}
