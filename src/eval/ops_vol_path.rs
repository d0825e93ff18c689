//! The op `vol_path`: the implied volatility of a `vol` path at every block, beside a price
//! `path` (which the skew rule reads); see `vectors/scenarios/README.md` §1.1, "Volatility paths".

use std::string::String;
use std::vec::Vec;

use serde_json::{Map, Value};

use super::args::{Fields, wad_value};
use super::ops_path::MAX_PATH_BLOCKS;
use super::scenario::{PathContext, read_path};
use super::spec::{Field, Spec};
use super::{OpError, Output};
use crate::Wad;
use crate::cascade::MAX_BLOCKS;
use crate::shock::VolPath;

/// The input keys of `vol_path`.
pub(super) const INPUTS: &[&str] = &["seed", "path", "vol", "blocks"];

/// A vol path's fields as read.
#[derive(Clone, Debug, Default)]
struct VolWire {
    vol: Wad,
    from: Wad,
    to: Wad,
    start: u32,
    blocks: u32,
    vols: Vec<Wad>,
    base: Wad,
    beta: Wad,
    anchor: Option<Wad>,
    cap: Option<Wad>,
}

/// `{"kind": "constant", "vol"}`.
const CONSTANT: Spec<VolWire> = Spec::new(&[
    Field::tag("kind"),
    Field::with("vol", |f, k, w, _| f.decimal(k).map(|v| w.vol = v)),
]);

/// `{"kind": "linear", "from", "to", "start", "blocks"}`.
const LINEAR: Spec<VolWire> = Spec::new(&[
    Field::tag("kind"),
    Field::with("from", |f, k, w, _| f.decimal(k).map(|v| w.from = v)),
    Field::with("to", |f, k, w, _| f.decimal(k).map(|v| w.to = v)),
    Field::count("start", |w| &mut w.start),
    Field::count("blocks", |w| &mut w.blocks),
]);

/// `{"kind": "listed", "vols"}`.
const LISTED: Spec<VolWire> = Spec::new(&[
    Field::tag("kind"),
    Field::with("vols", |f, k, w, _| f.decimals(k).map(|v| w.vols = v)),
]);

/// `{"kind": "skew", "base", "beta", "anchor"?, "cap"?}`.
const SKEW: Spec<VolWire> = Spec::new(&[
    Field::tag("kind"),
    Field::with("base", |f, k, w, _| f.decimal(k).map(|v| w.base = v)),
    Field::with("beta", |f, k, w, _| f.decimal(k).map(|v| w.beta = v)),
    Field::opt_decimal("anchor", |w| &mut w.anchor),
    Field::opt_decimal("cap", |w| &mut w.cap),
]);

/// The vol path kinds.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Constant,
    Linear,
    Listed,
    Skew,
}

const KINDS: &[(&str, Kind)] = &[
    ("constant", Kind::Constant),
    ("linear", Kind::Linear),
    ("listed", Kind::Listed),
    ("skew", Kind::Skew),
];

/// A volatility path read and validated, owned (an options venue's `vol`): its kernel path is
/// [`VolSpec::path`].
#[derive(Clone, Debug)]
pub struct VolSpec {
    kind: Kind,
    w: VolWire,
    /// A skew rule's anchor (the price at block 0 when not given).
    anchor: Wad,
}

impl VolSpec {
    /// The kernel's path (borrowing a listed one).
    ///
    /// Errors: none for a spec `read_vol` accepted (the same checks).
    pub fn path(&self) -> crate::Result<VolPath<'_>> {
        let w = &self.w;
        match self.kind {
            Kind::Constant => VolPath::new_constant(w.vol),
            Kind::Linear => VolPath::new_linear(w.from, w.to, u64::from(w.start), u64::from(w.blocks)),
            Kind::Listed => VolPath::new_listed(&w.vols),
            Kind::Skew => VolPath::new_skew(
                w.base,
                w.anchor.unwrap_or(self.anchor),
                w.beta,
                w.cap.unwrap_or(crate::options::MAX_VOL),
            ),
        }
    }
}

/// Reads a vol path object `v` (as `vol_path`'s `vol`), a skew rule's anchor defaulting to
/// `start` (the price path's block 0).
///
/// Errors: `invalid` naming `<v>.<field>` as the kernel's [`VolPath`] constructors check it.
pub(super) fn read_vol(v: &Fields<'_>, start: Wad) -> Result<VolSpec, OpError> {
    let kind = v.choice("kind", KINDS)?;
    let spec = match kind {
        Kind::Constant => &CONSTANT,
        Kind::Linear => &LINEAR,
        Kind::Listed => &LISTED,
        Kind::Skew => &SKEW,
    };
    let w = spec.read(v)?;
    let out = VolSpec { kind, w, anchor: start };
    out.path().map_err(|e| v.kernel(e))?;
    Ok(out)
}

/// `vol_path`: `{"seed"?, "path"?, "vol", "blocks"}` → `{"vols": [DEC, …]}` (blocks
/// `0 ..= blocks`), and `"prices"` when a price path is given. A skew vol needs the price path
/// (its `anchor` defaults to the price at block 0).
///
/// Errors: `invalid` naming `vol.<field>` as the kernel's [`VolPath`] constructors check it,
/// `vol.kind`, `path` (missing with a skew vol, or its own fields), `blocks`.
pub(super) fn run(input: &Map<String, Value>) -> Result<Output, OpError> {
    let root = Fields::root(input);
    let seed = if root.has("seed") { root.integer("seed")? } else { 0 };
    let v = root.object("vol")?;
    let kind = v.choice("kind", KINDS)?;
    let spec = match kind {
        Kind::Constant => &CONSTANT,
        Kind::Linear => &LINEAR,
        Kind::Listed => &LISTED,
        Kind::Skew => &SKEW,
    };
    let w = spec.read(&v)?;
    let path = match root.opt_object("path")? {
        Some(p) => Some(read_path(
            &p,
            &PathContext {
                seed,
                max_blocks: MAX_BLOCKS,
            },
        )?),
        None => None,
    };
    let blocks = root.count("blocks")?;
    if blocks > MAX_PATH_BLOCKS {
        return Err(OpError::invalid("blocks", "at most 100,000 blocks"));
    }
    let prices = match &path {
        Some(p) => Some(p.prices(u64::from(blocks))?),
        None => None,
    };
    let vol = match kind {
        Kind::Constant => VolPath::new_constant(w.vol),
        Kind::Linear => VolPath::new_linear(w.from, w.to, u64::from(w.start), u64::from(w.blocks)),
        Kind::Listed => VolPath::new_listed(&w.vols),
        Kind::Skew => {
            let Some(first) = prices.as_ref().and_then(|p| p.first().copied()) else {
                return Err(OpError::invalid("path", "is required with a skew vol path"));
            };
            VolPath::new_skew(
                w.base,
                w.anchor.unwrap_or(first),
                w.beta,
                w.cap.unwrap_or(crate::options::MAX_VOL),
            )
        }
    }
    .map_err(|e| v.kernel(e))?;
    let mut vols = Vec::new();
    for b in 0..=blocks {
        let spot = prices
            .as_ref()
            .and_then(|p| p.get(usize::try_from(b).unwrap_or(usize::MAX)).copied())
            .unwrap_or(Wad::ONE);
        vols.push(wad_value(vol.vol(u64::from(b), spot)?));
    }
    let mut out = Map::new();
    out.insert(String::from("vols"), Value::Array(vols));
    if let Some(p) = prices {
        out.insert(
            String::from("prices"),
            Value::Array(p.into_iter().map(wad_value).collect()),
        );
    }
    Ok(out)
}
