//! Studies: Monte Carlo over seeded paths, sweeps of one or two fields, side-by-side variants
//! on common random numbers, and inverse questions (which value of a field makes a statistic
//! cross a threshold) — in parallel, and bit-identical whatever the number of threads.
//!
//! A study (`vectors/studies/README.md`) names a scenario, a number of `paths`, and optionally
//! fields to `vary`, named `variants`, and a `solve`. Its **cells** are every grid point of the
//! varied fields crossed with the base scenario and each variant. **Path `i`** of every cell is
//! the cell's scenario with the seed [`derive_seed`](crate::rng::derive_seed)`(seed, i)` (the
//! seed of [`Rng::derive`](crate::rng::Rng::derive)`(seed, i)`): its population, its
//! behaviours and its random price path, the same world in every cell (common random numbers),
//! so that the difference between two cells is the difference of their parameters alone.
//!
//! Each path runs to the equilibrium (the recovery is not a study's question, and skipping it
//! is most of the time of a run); the [metrics](metrics::METRICS) of its report are kept, and
//! the [statistics](stats) of each metric over the paths of a cell are exact on the `Wad` grid.
//!
//! ```no_run
//! use lce::study::{Options, read_study_file};
//! let study = read_study_file(std::path::Path::new("vectors/studies/fat_tails.json"))?;
//! let outcome = study.run(&Options::default())?;
//! for cell in &outcome.cells {
//!     let insolvency = cell.stats("insolvency");
//!     println!("{:?} {:?}", cell.variant, insolvency.map(|s| s.es99));
//! }
//! let json = lce::study::outcome_value(&study, &outcome);
//! # Ok::<(), lce::study::StudyError>(())
//! ```

mod error;
pub mod field;
mod json;
pub mod metrics;
mod read;
mod run;
pub mod stats;

#[cfg(test)]
mod tests;

use std::string::String;
use std::vec::Vec;

use serde_json::{Map, Value};

pub use error::StudyError;
pub use field::{FieldPath, Number};
pub use json::{csv, outcome_value};
pub use read::{Load, MAX_AXES, MAX_CELLS, MAX_PATHS, STUDY_KEYS, read_study, read_study_file};
pub use run::{CellResult, Options, Outcome, PathResult, Probe, Series, SolveResult};
pub use stats::{STATISTICS, Stats};

use crate::eval::scenario::Scenario;

/// One varied field and its values.
#[derive(Clone, Debug)]
pub struct Axis {
    /// The field.
    pub field: FieldPath,
    /// Its values, in order.
    pub values: Vec<Number>,
}

/// A named set of patches of the scenario.
#[derive(Clone, Debug)]
pub struct Variant {
    /// Its name.
    pub name: String,
    /// The fields it sets, and their values.
    pub patches: Vec<(FieldPath, Value)>,
}

/// One cell of a study: a grid point, the base scenario or a variant, and the scenario it
/// runs (before each path's seed).
#[derive(Clone, Debug)]
pub struct CellSpec {
    /// The value of each varied field.
    pub point: Vec<(FieldPath, Number)>,
    /// The variant, `None` for the base scenario.
    pub variant: Option<String>,
    /// The scenario patched.
    pub scenario: Map<String, Value>,
}

/// The inverse question: the value of `field` in `[lo, hi]` where `statistic` of `metric`
/// crosses `above`, by bisection to `tolerance`.
#[derive(Clone, Debug)]
pub struct SolveSpec {
    /// The field.
    pub field: FieldPath,
    /// The low end of its range.
    pub lo: Number,
    /// The high end (`> lo`).
    pub hi: Number,
    /// The metric.
    pub metric: String,
    /// The statistic of the metric (one of [`STATISTICS`]).
    pub statistic: &'static str,
    /// The threshold: a probe is *above* when its statistic is `> above`.
    pub above: crate::Wad,
    /// The bisection stops once the bracket is no wider.
    pub tolerance: Number,
}

/// A study read and checked: every cell's scenario reads.
#[derive(Clone, Debug)]
pub struct Study {
    /// Its name (may be empty).
    pub name: String,
    /// What it asks.
    pub description: String,
    /// The study as read.
    pub source: Map<String, Value>,
    /// The base scenario's JSON.
    pub scenario: Map<String, Value>,
    /// The base scenario, read.
    pub base: Scenario,
    /// Paths per cell.
    pub paths: u32,
    /// The varied fields (at most two).
    pub vary: Vec<Axis>,
    /// The variants.
    pub variants: Vec<Variant>,
    /// The inverse question.
    pub solve: Option<SolveSpec>,
    /// The cells, grid points in order (the first axis outer), each the base then the variants.
    pub cells: Vec<CellSpec>,
    /// The metric names (see [`metrics::metric_names`]).
    pub metrics: Vec<String>,
}
