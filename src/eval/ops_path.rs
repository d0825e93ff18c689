//! The op `path`: the fundamental price of a scenario's `path` at every block (the random
//! kinds drawn from the seed exactly as a scenario draws them); see
//! `vectors/scenarios/README.md` §1.1.

use std::string::String;

use serde_json::{Map, Value};

use super::args::{Fields, wad_value};
use super::scenario::{PathContext, read_path};
use super::{OpError, Output};
use crate::cascade::MAX_BLOCKS;

/// The input keys of `path`.
pub(super) const INPUTS: &[&str] = &["seed", "path", "blocks"];

/// The most blocks one `path` case answers (`blocks + 1` prices).
pub(super) const MAX_PATH_BLOCKS: u32 = 100_000;

/// `path`: `{"seed"?: INT, "path": {...}, "blocks": INT}` → `{"prices": [DEC, …]}`, the prices
/// of blocks `0 ..= blocks`.
///
/// Errors: `invalid` naming `seed` (not a JSON integer in `0 ..= 2⁶⁴−1`), `blocks` (missing or
/// above [`MAX_PATH_BLOCKS`]), or the path's field as a scenario names it (`path.omega`); a
/// random path's own `blocks` may be up to `10000000`.
pub(super) fn run(input: &Map<String, Value>) -> Result<Output, OpError> {
    let root = Fields::root(input);
    let seed = if root.has("seed") { root.integer("seed")? } else { 0 };
    let path = read_path(
        &root.object("path")?,
        &PathContext {
            seed,
            max_blocks: MAX_BLOCKS,
        },
    )?;
    let blocks = root.count("blocks")?;
    if blocks > MAX_PATH_BLOCKS {
        return Err(OpError::invalid("blocks", "at most 100,000 blocks"));
    }
    let prices = path.prices(u64::from(blocks))?;
    let mut out = Map::new();
    out.insert(
        String::from("prices"),
        Value::Array(prices.into_iter().map(wad_value).collect()),
    );
    Ok(out)
}
