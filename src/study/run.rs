//! Running a study: paths in parallel on scoped threads, work taken by index and results
//! placed by index, so that the outcome is the same whatever the number of threads.

use core::cell::Cell;
use core::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::format;
use std::string::{String, ToString};
use std::sync::Mutex;
use std::vec::Vec;

use serde_json::{Map, Value};

use super::field::Number;
use super::metrics::{STOPS, path_metrics};
use super::stats::{Stats, defined};
use super::{SolveSpec, Study, StudyError};
use crate::Wad;
use crate::cascade::{BlockRecord, Report, Sink, Stop};
use crate::eval::OpError;
use crate::eval::scenario::{Scenario, read_scenario};
use crate::rng::derive_seed;

/// How a study runs.
#[derive(Default)]
pub struct Options<'a> {
    /// Threads; `0` for one per core ([`std::thread::available_parallelism`]).
    pub threads: usize,
    /// The cells whose paths keep their price series ([`PathResult::series`]); they run
    /// through the recovery (the other paths stop at the equilibrium).
    pub series: Vec<usize>,
    /// Set by the caller (a user's Ctrl-C) to stop: paths that have not finished are dropped
    /// and the outcome covers the first paths finished in every cell.
    pub stop: Option<&'a AtomicBool>,
    /// Called after every path with the paths done and the paths known so far to run.
    pub progress: Option<&'a (dyn Fn(u64, u64) + Sync)>,
}

/// The fundamental and market price of a path at every block from 1.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Series {
    /// The fundamental, block 1 on.
    pub fundamental: Vec<Wad>,
    /// The market, block 1 on.
    pub market: Vec<Wad>,
}

/// One path of one cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathResult {
    /// Its index `i`.
    pub path: u32,
    /// Its seed, `derive_seed(seed, i)`: `lce run` of the cell's scenario with this seed is
    /// this path.
    pub seed: u64,
    /// Why the cascade stopped.
    pub stop: Stop,
    /// Its metrics, in the order of [`Study::metrics`] (`None`: undefined).
    pub metrics: Vec<Option<Wad>>,
    /// Its prices, for a cell in [`Options::series`].
    pub series: Option<Series>,
}

/// One cell's paths and statistics.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellResult {
    /// Its paths, in order.
    pub paths: Vec<PathResult>,
    /// Each metric's statistics (`None` when it is defined on no path), in the order of
    /// [`Study::metrics`].
    pub metrics: Vec<(String, Option<Stats>)>,
    /// How many paths stopped for each reason (reasons with no path left out).
    pub stops: Vec<(Stop, u64)>,
    /// For a variant: the statistics of each metric's paired difference, variant − base at the
    /// same grid point, path by path.
    pub difference: Option<Vec<(String, Option<Stats>)>>,
    /// The variant, `None` for the base scenario.
    pub variant: Option<String>,
}

impl CellResult {
    /// The statistics of the metric `name`.
    #[must_use]
    pub fn stats(&self, name: &str) -> Option<Stats> {
        self.metrics.iter().find(|(n, _)| n == name).and_then(|(_, s)| *s)
    }

    /// The statistics of the paired difference of the metric `name` (a variant).
    #[must_use]
    pub fn difference(&self, name: &str) -> Option<Stats> {
        self.difference
            .as_ref()
            .and_then(|d| d.iter().find(|(n, _)| n == name))
            .and_then(|(_, s)| *s)
    }
}

/// One probe of a solve.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Probe {
    /// The field's value.
    pub value: Number,
    /// The statistic there (`None`: the metric is defined on no path).
    pub statistic: Option<Wad>,
    /// Whether it is above the threshold.
    pub above: bool,
}

/// The answer of a solve.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SolveResult {
    /// Every probe, in the order made (the range's ends first).
    pub probes: Vec<Probe>,
    /// The final bracket `[a, b]` (`a < b`, no wider than the tolerance) across which the
    /// statistic crosses the threshold; `None` when both ends of the range are on the same
    /// side.
    pub bracket: Option<(Number, Number)>,
    /// The end of the bracket where the statistic is above the threshold.
    pub boundary: Option<Number>,
    /// Whether the statistic, over the probes sorted by value, never turns back (it only rises
    /// or only falls): when not, the bracket is one crossing of several.
    pub monotone: bool,
    /// Whether Ctrl-C cut the bisection short.
    pub interrupted: bool,
}

/// A study's outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The cells, in the order of [`Study::cells`].
    pub cells: Vec<CellResult>,
    /// The solve's answer.
    pub solve: Option<SolveResult>,
    /// Paths per cell in the outcome: the study's, or fewer when interrupted.
    pub paths: u32,
    /// Whether the stop flag cut the study short.
    pub interrupted: bool,
}

/// A sink that keeps a path's prices when asked, ends the run at the equilibrium otherwise,
/// and stops when the caller's flag is set.
struct PathSink<'f> {
    series: Option<Series>,
    stop: &'f AtomicBool,
    rested: bool,
    stopped: Cell<bool>,
}

impl Sink for PathSink<'_> {
    fn record(&mut self, r: &BlockRecord) -> crate::Result<()> {
        if let Some(s) = &mut self.series {
            s.fundamental.push(r.fundamental);
            s.market.push(r.market);
        }
        Ok(())
    }

    fn interrupted(&self) -> bool {
        if self.stop.load(Ordering::Relaxed) {
            self.stopped.set(true);
            return true;
        }
        self.rested && self.series.is_none()
    }

    fn equilibrium(&mut self, _: &Report) -> crate::Result<()> {
        self.rested = true;
        Ok(())
    }
}

/// One path to run.
struct Job<'s> {
    scenario: &'s Map<String, Value>,
    path: u32,
    keep: bool,
}

/// The seed of a cell's scenario (0 when absent).
fn seed_of(scenario: &Map<String, Value>) -> u64 {
    scenario.get("seed").and_then(Value::as_u64).unwrap_or(0)
}

/// The scenario of path `path` of a cell: the cell's with the seed `derive_seed(seed, path)`.
///
/// Errors: the scenario reader's.
pub(super) fn path_scenario(cell: &Map<String, Value>, path: u32) -> Result<(u64, Scenario), OpError> {
    let seed = derive_seed(seed_of(cell), u64::from(path));
    let mut m = cell.clone();
    m.insert(String::from("seed"), Value::from(seed));
    read_scenario(&m).map(|s| (seed, s))
}

/// Runs one path: `None` when the stop flag cut it short.
fn run_one(job: &Job<'_>, venues: usize, stop: &AtomicBool) -> Result<Option<PathResult>, OpError> {
    let (seed, scenario) = path_scenario(job.scenario, job.path)?;
    let mut sink = PathSink {
        series: job.keep.then(Series::default),
        stop,
        rested: false,
        stopped: Cell::new(false),
    };
    let report = scenario.run_into(&mut sink)?;
    if report.stop == Stop::Interrupted || (sink.stopped.get() && !sink.rested) {
        return Ok(None);
    }
    Ok(Some(PathResult {
        path: job.path,
        seed,
        stop: report.stop,
        metrics: path_metrics(&report, venues)?,
        series: sink.series,
    }))
}

/// The outcome of each job, by index (`None`: not run, or cut short).
type Results = Vec<Option<Result<PathResult, OpError>>>;

/// Runs `jobs` on `threads` threads, each taking the next index; results by index.
fn run_jobs(
    jobs: &[Job<'_>],
    venues: usize,
    threads: usize,
    options: &Options<'_>,
    done: &AtomicU64,
    total: u64,
) -> Results {
    let never = AtomicBool::new(false);
    let stop = options.stop.unwrap_or(&never);
    let abort = AtomicBool::new(false);
    let next = AtomicUsize::new(0);
    let results: Mutex<Results> = Mutex::new((0..jobs.len()).map(|_| None).collect());
    let work = || {
        loop {
            if stop.load(Ordering::Relaxed) || abort.load(Ordering::Relaxed) {
                break;
            }
            let j = next.fetch_add(1, Ordering::Relaxed);
            let Some(job) = jobs.get(j) else { break };
            let r = run_one(job, venues, stop);
            let keep = match r {
                Ok(Some(p)) => Some(Ok(p)),
                Ok(None) => None,
                Err(e) => {
                    abort.store(true, Ordering::Relaxed);
                    Some(Err(e))
                }
            };
            if let Ok(mut all) = results.lock()
                && let Some(slot) = all.get_mut(j)
            {
                *slot = keep;
            }
            let n = done.fetch_add(1, Ordering::Relaxed).saturating_add(1);
            if let Some(progress) = options.progress {
                progress(n, total);
            }
        }
    };
    let threads = threads.clamp(1, jobs.len().max(1));
    if threads == 1 {
        work();
    } else {
        std::thread::scope(|s| {
            let spawned = (0..threads)
                .filter(|_| std::thread::Builder::new().spawn_scoped(s, work).is_ok())
                .count();
            // Where threads cannot be had (wasm32-wasip1), this one does the work.
            if spawned == 0 {
                work();
            }
        });
    }
    results.into_inner().unwrap_or_default()
}

/// The number of threads `options` asks for.
fn threads(options: &Options<'_>) -> usize {
    if options.threads > 0 {
        options.threads
    } else {
        std::thread::available_parallelism().map_or(1, core::num::NonZeroUsize::get)
    }
}

/// The first failure among `results` (by index): the study's error naming the cell and path.
fn first_failure(results: &Results, cells: usize, at: &dyn Fn(usize) -> String) -> Result<(), StudyError> {
    for (j, r) in results.iter().enumerate() {
        if let Some(Err(e)) = r {
            let cell = j.checked_rem(cells).unwrap_or(0);
            let path = j.checked_div(cells).unwrap_or(0);
            return Err(StudyError {
                kind: e.kind,
                what: format!("{}.paths[{path}]", at(cell)),
                why: "a path's run failed",
                field: Some(e.what.clone()),
            });
        }
    }
    Ok(())
}

/// The statistics of each metric over `paths`.
fn cell_stats(names: &[String], paths: &[PathResult]) -> Result<Vec<(String, Option<Stats>)>, StudyError> {
    names
        .iter()
        .enumerate()
        .map(|(m, name)| {
            let values = defined(paths.iter().map(|p| p.metrics.get(m).copied().flatten()));
            Stats::of(&values)
                .map(|s| (name.clone(), s))
                .map_err(|e| StudyError::scenario(format!("metrics.{name}"), "the statistics overflow", &e.into()))
        })
        .collect()
}

/// The paired differences `variant − base`, path by path, and their statistics.
fn differences(
    names: &[String],
    variant: &[PathResult],
    base: &[PathResult],
) -> Result<Vec<(String, Option<Stats>)>, StudyError> {
    names
        .iter()
        .enumerate()
        .map(|(m, name)| {
            let mut d = Vec::new();
            for (v, b) in variant.iter().zip(base) {
                if let (Some(Some(x)), Some(Some(y))) = (v.metrics.get(m), b.metrics.get(m)) {
                    let diff = x.sub(*y).map_err(|e| {
                        StudyError::scenario(format!("metrics.{name}"), "a difference overflows", &e.into())
                    })?;
                    d.push(diff);
                }
            }
            Stats::of(&d)
                .map(|s| (name.clone(), s))
                .map_err(|e| StudyError::scenario(format!("metrics.{name}"), "the statistics overflow", &e.into()))
        })
        .collect()
}

impl Study {
    /// Runs every cell's paths, then the solve; see [`Options`].
    ///
    /// Errors: the first path whose run fails (by cell and path index: the same whatever the
    /// threads), naming the cell and the path; an overflow of the statistics.
    pub fn run(&self, options: &Options<'_>) -> Result<Outcome, StudyError> {
        let cells = self.cells.len();
        let venues = self.base.venues.len();
        let paths = self.paths;
        let solve_estimate = if self.solve.is_some() { 2 } else { 0 };
        let total =
            u64::from(paths).saturating_mul(u64::try_from(cells.saturating_add(solve_estimate)).unwrap_or(u64::MAX));
        let done = AtomicU64::new(0);
        // Path-major: path 0 of every cell, then path 1, … so that an interruption leaves
        // every cell with the same first paths.
        let jobs: Vec<Job<'_>> = (0..paths)
            .flat_map(|p| {
                self.cells.iter().enumerate().map(move |(c, cell)| Job {
                    scenario: &cell.scenario,
                    path: p,
                    keep: options.series.contains(&c),
                })
            })
            .collect();
        let mut results = run_jobs(&jobs, venues, threads(options), options, &done, total);
        first_failure(&results, cells.max(1), &|c| format!("cells[{c}]"))?;
        // The paths finished in every cell, from the first.
        let complete = (0..paths)
            .take_while(|p| {
                (0..cells).all(|c| {
                    let j = (*p as usize).saturating_mul(cells).saturating_add(c);
                    matches!(results.get(j), Some(Some(Ok(_))))
                })
            })
            .count();
        let complete_u32 = u32::try_from(complete).unwrap_or(u32::MAX);
        let mut by_cell: Vec<Vec<PathResult>> = (0..cells).map(|_| Vec::with_capacity(complete)).collect();
        for (j, r) in results.iter_mut().enumerate() {
            let (c, p) = (j.checked_rem(cells).unwrap_or(0), j.checked_div(cells).unwrap_or(0));
            if p < complete
                && let (Some(Ok(path)), Some(list)) = (r.take(), by_cell.get_mut(c))
            {
                list.push(path);
            }
        }
        let group = self.variants.len().saturating_add(1);
        let mut out = Vec::with_capacity(cells);
        for (c, paths_c) in by_cell.iter().enumerate() {
            let spec = self.cells.get(c);
            let variant = spec.and_then(|s| s.variant.clone());
            let difference = match (
                &variant,
                by_cell.get(c.saturating_sub(c.checked_rem(group).unwrap_or(0))),
            ) {
                (Some(_), Some(base)) => Some(differences(&self.metrics, paths_c, base)?),
                _ => None,
            };
            let stops = STOPS
                .iter()
                .map(|s| (*s, paths_c.iter().filter(|p| p.stop == *s).count() as u64))
                .filter(|(_, n)| *n > 0)
                .collect();
            out.push(CellResult {
                paths: Vec::new(),
                metrics: cell_stats(&self.metrics, paths_c)?,
                stops,
                difference,
                variant,
            });
        }
        for (cell, paths_c) in out.iter_mut().zip(by_cell) {
            cell.paths = paths_c;
        }
        let interrupted = complete < paths as usize;
        let solve = match (&self.solve, interrupted) {
            (Some(spec), false) => Some(self.solve(spec, options, &done, total)?),
            _ => None,
        };
        let interrupted = interrupted || solve.as_ref().is_some_and(|s| s.interrupted);
        Ok(Outcome {
            cells: out,
            solve,
            paths: complete_u32,
            interrupted,
        })
    }

    /// One probe of the solve at `value`: `None` when interrupted.
    fn probe(
        &self,
        spec: &SolveSpec,
        value: Number,
        options: &Options<'_>,
        done: &AtomicU64,
        total: u64,
    ) -> Result<Option<Probe>, StudyError> {
        let mut scenario = self.scenario.clone();
        spec.field
            .set(&mut scenario, value.to_value())
            .map_err(|why| StudyError::invalid("solve.field", why).with_field(spec.field.to_string()))?;
        let jobs: Vec<Job<'_>> = (0..self.paths)
            .map(|p| Job {
                scenario: &scenario,
                path: p,
                keep: false,
            })
            .collect();
        let results = run_jobs(&jobs, self.base.venues.len(), threads(options), options, done, total);
        first_failure(&results, 1, &|_| format!("solve.probes[{value}]"))?;
        let paths: Vec<PathResult> = results.into_iter().flatten().flatten().collect();
        if paths.len() < self.paths as usize {
            return Ok(None);
        }
        let m = self.metrics.iter().position(|n| *n == spec.metric).unwrap_or(0);
        let values = defined(paths.iter().map(|p| p.metrics.get(m).copied().flatten()));
        let stats = Stats::of(&values)
            .map_err(|e| StudyError::scenario("solve.metric", "the statistics overflow", &e.into()))?;
        let statistic = stats.and_then(|s| s.get(spec.statistic));
        Ok(Some(Probe {
            value,
            statistic,
            above: statistic.is_some_and(|s| s > spec.above),
        }))
    }

    /// Bisection between the range's ends.
    fn solve(
        &self,
        spec: &SolveSpec,
        options: &Options<'_>,
        done: &AtomicU64,
        total: u64,
    ) -> Result<SolveResult, StudyError> {
        let mut probes: Vec<Probe> = Vec::new();
        let result = |probes: Vec<Probe>, bracket: Option<(Number, Number)>, boundary, interrupted| SolveResult {
            monotone: monotone(&probes),
            probes,
            bracket,
            boundary,
            interrupted,
        };
        let Some(low) = self.probe(spec, spec.lo, options, done, total)? else {
            return Ok(result(probes, None, None, true));
        };
        probes.push(low.clone());
        let Some(high) = self.probe(spec, spec.hi, options, done, total)? else {
            return Ok(result(probes, None, None, true));
        };
        probes.push(high.clone());
        if low.above == high.above {
            return Ok(result(probes, None, None, false));
        }
        let (mut a, mut b) = (low, high);
        while let Some(mid) = midpoint(a.value, b.value, spec.tolerance) {
            let Some(p) = self.probe(spec, mid, options, done, total.saturating_add(u64::from(self.paths)))? else {
                let boundary = if a.above { a.value } else { b.value };
                return Ok(result(probes, Some((a.value, b.value)), Some(boundary), true));
            };
            probes.push(p.clone());
            if p.above == a.above {
                a = p;
            } else {
                b = p;
            }
        }
        let boundary = if a.above { a.value } else { b.value };
        Ok(result(probes, Some((a.value, b.value)), Some(boundary), false))
    }

    /// The scenario of path `path` of cell `cell` (its seed set), for a caller that runs it
    /// again block by block (`lce run` of it gives the same figures).
    ///
    /// Errors: `invalid` naming `cells` for a cell that does not exist; the reader's errors.
    pub fn path_scenario(&self, cell: usize, path: u32) -> Result<Scenario, StudyError> {
        let spec = self
            .cells
            .get(cell)
            .ok_or_else(|| StudyError::invalid("cells", "no such cell"))?;
        path_scenario(&spec.scenario, path)
            .map(|(_, s)| s)
            .map_err(|e| StudyError::scenario(format!("cells[{cell}]"), "the scenario refuses this seed", &e))
    }
}

/// The midpoint of `a` and `b` on the field's grid, `None` once `|b − a| ≤ tolerance` (or
/// nothing lies strictly between them): `a + ⌊(b − a)/2⌋`.
fn midpoint(a: Number, b: Number, tolerance: Number) -> Option<Number> {
    match (a, b, tolerance) {
        (Number::Decimal(a), Number::Decimal(b), Number::Decimal(t)) => {
            let (lo, hi) = (a.raw().min(b.raw()), a.raw().max(b.raw()));
            let width = hi.checked_sub(lo)?;
            if width <= t.raw() || width < 2 {
                return None;
            }
            Some(Number::Decimal(Wad::from_raw(lo.checked_add(width.checked_div(2)?)?)))
        }
        (Number::Integer(a), Number::Integer(b), Number::Integer(t)) => {
            let (lo, hi) = (a.min(b), a.max(b));
            let width = hi.checked_sub(lo)?;
            if width <= t || width < 2 {
                return None;
            }
            Some(Number::Integer(lo.checked_add(width.checked_div(2)?)?))
        }
        _ => None,
    }
}

/// Whether the probes' statistics, sorted by value, only rise or only fall.
fn monotone(probes: &[Probe]) -> bool {
    let mut sorted: Vec<&Probe> = probes.iter().collect();
    sorted.sort_by_key(|p| p.value);
    let stats: Vec<Option<Wad>> = sorted.iter().map(|p| p.statistic).collect();
    let rising = stats.windows(2).all(|w| matches!(w, [a, b] if a <= b));
    let falling = stats.windows(2).all(|w| matches!(w, [a, b] if a >= b));
    rising || falling
}
