//! `lce study --svg` and the charts of `--html`: a fan chart of the market price paths
//! (quantile bands across paths, block by block, against the fundamental's), the histogram of
//! insolvency, the statistics against a swept field (a heat map for two), and the solve's
//! probes.
//!
//! Floats appear here for pixels only: every value is converted from its exact `Wad` just
//! before it is placed, and nothing computed here flows back into a result.
// Pixel arithmetic (floats, small integer offsets) is for drawing only, and the indices are
// within the bounds they were built with (five quantile lines, one label per cell).
#![allow(
    clippy::float_arithmetic,
    clippy::arithmetic_side_effects,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::as_conversions,
    clippy::indexing_slicing,
    clippy::type_complexity
)]

use lce::Wad;
use lce::study::{CellResult, Number, Outcome, Study};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

use crate::chart::{FONT, GRID, f, label};
use crate::study_text::{cell_label, short, show};

/// The width of every chart, in pixels.
const WIDTH: u32 = 1100;

/// Colours by cell (the base, then the variants).
const COLOURS: [RGBColor; 4] = [
    RGBColor(20, 90, 200),
    RGBColor(210, 80, 20),
    RGBColor(40, 150, 70),
    RGBColor(150, 60, 180),
];
const FUNDAMENTAL: RGBColor = RGBColor(30, 30, 30);

type Failure = Box<dyn std::error::Error>;
type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// The colour of the `k`-th cell shown.
fn colour(k: usize) -> RGBColor {
    COLOURS.get(k % COLOURS.len()).copied().unwrap_or(BLACK)
}

/// The cells whose paths keep their prices for the fan chart (and whose histograms and sample
/// paths are shown): with variants, the base and up to three variants at the first grid
/// point; for a sweep without variants, its first and last grid points.
pub fn fan_cells(study: &Study) -> Vec<usize> {
    let group = study.variants.len().saturating_add(1);
    if group == 1 && study.cells.len() > 1 {
        return vec![0, study.cells.len() - 1];
    }
    (0..group.min(study.cells.len()).min(4)).collect()
}

/// One chart: its title (for the HTML page), its height, and how to draw it.
struct Panel {
    title: String,
    height: u32,
    draw: Box<dyn Fn(&Area<'_>) -> Result<(), Failure>>,
}

/// The nearest-rank quantile `q` of sorted `v` (display only).
fn quantile(v: &[f64], q: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    let r = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len());
    v[r - 1]
}

/// Per block (from 1), the quantiles `qs` across the paths of `cell` of `pick`'s series,
/// each path holding its last price after its end.
fn bands(
    cell: &CellResult,
    pick: fn(&lce::study::Series) -> &Vec<Wad>,
    qs: &[f64],
    len: usize,
) -> Vec<Vec<(f64, f64)>> {
    let series: Vec<&Vec<Wad>> = cell.paths.iter().filter_map(|p| p.series.as_ref()).map(pick).collect();
    let mut out = vec![Vec::with_capacity(len); qs.len()];
    let mut col = Vec::with_capacity(series.len());
    for b in 0..len {
        col.clear();
        col.extend(series.iter().filter_map(|s| s.get(b).or(s.last())).map(|w| f(*w)));
        col.sort_by(f64::total_cmp);
        for (i, q) in qs.iter().enumerate() {
            out[i].push(((b + 1) as f64, quantile(&col, *q)));
        }
    }
    out
}

/// The fan charts of the cells kept, side by side, on one price scale.
fn fan_panel(study: &Study, outcome: &Outcome) -> Option<Panel> {
    let cells: Vec<(usize, CellResult)> = fan_cells(study)
        .into_iter()
        .filter_map(|i| outcome.cells.get(i).map(|c| (i, c.clone())))
        .filter(|(_, c)| c.paths.iter().any(|p| p.series.is_some()))
        .collect();
    if cells.is_empty() {
        return None;
    }
    let labels: Vec<String> = cells.iter().map(|(i, _)| cell_label(study, *i)).collect();
    let n = outcome.paths;
    Some(Panel {
        title: format!(
            "Market price paths of {n} paths, block by block: the median (line), 25–75 % and 5–95 % of paths (shaded); the fundamental's median and 5–95 % (dashed)"
        ),
        height: 420,
        draw: Box::new(move |area| {
            let qs = [0.05, 0.25, 0.5, 0.75, 0.95];
            let len = cells
                .iter()
                .flat_map(|(_, c)| c.paths.iter().filter_map(|p| p.series.as_ref()).map(|s| s.market.len()))
                .max()
                .unwrap_or(0);
            let data: Vec<(Vec<Vec<(f64, f64)>>, Vec<Vec<(f64, f64)>>)> = cells
                .iter()
                .map(|(_, c)| {
                    (
                        bands(c, |s| &s.market, &qs, len),
                        bands(c, |s| &s.fundamental, &[0.05, 0.5, 0.95], len),
                    )
                })
                .collect();
            let mut lo = f64::MAX;
            let mut hi = f64::MIN;
            let mut len = 1.0f64;
            for (m, fu) in &data {
                for line in m.iter().chain(fu.iter()) {
                    for (x, y) in line {
                        lo = lo.min(*y);
                        hi = hi.max(*y);
                        len = len.max(*x);
                    }
                }
            }
            if lo > hi {
                (lo, hi) = (0.0, 1.0);
            }
            let pad = ((hi - lo) * 0.05).max(1e-9);
            let parts = area.split_evenly((1, data.len()));
            for (k, ((m, fu), part)) in data.iter().zip(parts.iter()).enumerate() {
                let c = colour(k);
                let mut chart = ChartBuilder::on(part)
                    .caption(&labels[k], (FONT, 16))
                    .margin(8)
                    .x_label_area_size(34)
                    .y_label_area_size(if k == 0 { 70 } else { 50 })
                    .build_cartesian_2d(0.0..len, (lo - pad)..(hi + pad))?;
                chart
                    .configure_mesh()
                    .x_desc("block")
                    .y_desc(if k == 0 { "price" } else { "" })
                    .x_label_formatter(&|x| format!("{x:.0}"))
                    .y_label_formatter(&|y| label(*y, 0))
                    .label_style((FONT, 13))
                    .axis_desc_style((FONT, 13))
                    .bold_line_style(GRID)
                    .light_line_style(WHITE.mix(0.0))
                    .draw()?;
                let band = |lower: &Vec<(f64, f64)>, upper: &Vec<(f64, f64)>| {
                    let mut pts: Vec<(f64, f64)> = upper.clone();
                    pts.extend(lower.iter().rev());
                    pts
                };
                chart.draw_series(std::iter::once(Polygon::new(band(&m[0], &m[4]), c.mix(0.15).filled())))?;
                chart.draw_series(std::iter::once(Polygon::new(band(&m[1], &m[3]), c.mix(0.35).filled())))?;
                chart.draw_series(LineSeries::new(m[2].clone(), c.stroke_width(2)))?;
                for (i, line) in fu.iter().enumerate() {
                    let style = if i == 1 {
                        FUNDAMENTAL.stroke_width(2)
                    } else {
                        FUNDAMENTAL.mix(0.5).stroke_width(1)
                    };
                    chart.draw_series(std::iter::once(DashedPathElement::new(line.clone(), 6, 4, style)))?;
                }
            }
            Ok(())
        }),
    })
}

/// The histogram of insolvency over the paths of the fan cells (insolvent paths only; the
/// share of them is in the legend).
fn histogram_panel(study: &Study, outcome: &Outcome) -> Option<Panel> {
    let m = study.metrics.iter().position(|n| n == "insolvency")?;
    let cells: Vec<(String, Vec<f64>, usize)> = fan_cells(study)
        .into_iter()
        .filter_map(|i| {
            let c = outcome.cells.get(i)?;
            let values: Vec<f64> = c
                .paths
                .iter()
                .filter_map(|p| p.metrics.get(m).copied().flatten())
                .map(f)
                .collect();
            let total = values.len();
            Some((
                cell_label(study, i),
                values.into_iter().filter(|v| *v > 0.0).collect(),
                total,
            ))
        })
        .collect();
    if cells.iter().all(|(_, v, _)| v.is_empty()) {
        return None;
    }
    Some(Panel {
        title: String::from(
            "Insolvency per path: how the insolvent paths spread (paths with no insolvency left out; their share is in the legend)",
        ),
        height: 340,
        draw: Box::new(move |area| {
            let max = cells
                .iter()
                .flat_map(|(_, v, _)| v.iter().copied())
                .fold(0.0f64, f64::max)
                .max(1e-9);
            let bins = 30usize;
            let width = max / bins as f64;
            let counts: Vec<Vec<f64>> = cells
                .iter()
                .map(|(_, v, total)| {
                    let mut c = vec![0.0; bins];
                    for x in v {
                        let b = ((x / width) as usize).min(bins - 1);
                        c[b] += 100.0 / (*total).max(1) as f64;
                    }
                    c
                })
                .collect();
            let top = counts.iter().flatten().copied().fold(0.0f64, f64::max).max(1e-9) * 1.1;
            let mut chart = ChartBuilder::on(area)
                .margin(8)
                .x_label_area_size(36)
                .y_label_area_size(60)
                .build_cartesian_2d(0.0..max * 1.02, 0.0..top)?;
            chart
                .configure_mesh()
                .x_desc("insolvency at the equilibrium")
                .y_desc("% of paths")
                .x_label_formatter(&|x| label(*x, 0))
                .y_label_formatter(&|y| format!("{y:.1}"))
                .label_style((FONT, 13))
                .axis_desc_style((FONT, 13))
                .bold_line_style(GRID)
                .light_line_style(WHITE.mix(0.0))
                .draw()?;
            for (k, ((name, v, total), c)) in cells.iter().zip(&counts).enumerate() {
                let col = colour(k);
                let share = 100.0 * v.len() as f64 / (*total).max(1) as f64;
                chart
                    .draw_series(c.iter().enumerate().map(|(b, h)| {
                        let x0 = b as f64 * width;
                        Rectangle::new([(x0, 0.0), (x0 + width, *h)], col.mix(0.3).filled())
                    }))?
                    .label(format!("{name}: {share:.1} % of paths insolvent"))
                    .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 18, y + 5)], col.mix(0.5).filled()));
                chart.draw_series(c.iter().enumerate().map(|(b, h)| {
                    let x0 = b as f64 * width;
                    Rectangle::new([(x0, 0.0), (x0 + width, *h)], col.stroke_width(1))
                }))?;
            }
            chart
                .configure_series_labels()
                .label_font((FONT, 12))
                .background_style(WHITE.mix(0.85))
                .border_style(GRID)
                .position(SeriesLabelPosition::UpperRight)
                .draw()?;
            Ok(())
        }),
    })
}

/// The value of a grid point as a float.
fn x_of(n: Number) -> f64 {
    n.wad().map_or(0.0, f)
}

/// A sweep of one field: for three metrics (insolvency, the cascade's drop, the peak
/// liquidations per block), the mean and the 95th percentile against the field, one colour per
/// variant.
fn sweep_panel(study: &Study, outcome: &Outcome) -> Option<Panel> {
    let [axis] = study.vary.as_slice() else { return None };
    let field = axis.field.to_string();
    let group = study.variants.len() + 1;
    let names: Vec<String> = (0..group)
        .map(|v| {
            if v == 0 {
                String::from("base")
            } else {
                study.variants[v - 1].name.clone()
            }
        })
        .collect();
    let xs: Vec<f64> = axis.values.iter().map(|v| x_of(*v)).collect();
    let metrics = [
        ("insolvency", "insolvency"),
        ("cascade_drop", "the cascade's drop (price)"),
        ("peak_liquidations", "peak liquidations per block"),
    ];
    let series: Vec<Vec<Vec<(f64, f64, f64)>>> = metrics
        .iter()
        .map(|(m, _)| {
            (0..group)
                .map(|v| {
                    xs.iter()
                        .enumerate()
                        .filter_map(|(p, x)| {
                            let s = outcome.cells.get(p * group + v)?.stats(m)?;
                            Some((*x, f(s.mean), f(s.p95)))
                        })
                        .collect()
                })
                .collect()
        })
        .collect();
    Some(Panel {
        title: format!(
            "The sweep of {field}: the mean (solid) and the 95th percentile (dashed) of each metric over the paths"
        ),
        height: 360,
        draw: Box::new(move |area| {
            let parts = area.split_evenly((1, metrics.len()));
            let (x0, x1) = xs.iter().fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(*x), b.max(*x)));
            let span = (x1 - x0).max(1e-9);
            for ((part, (_, title)), lines) in parts.iter().zip(metrics.iter()).zip(&series) {
                let hi = lines
                    .iter()
                    .flatten()
                    .map(|p| p.1.max(p.2))
                    .fold(0.0f64, f64::max)
                    .max(1e-9)
                    * 1.08;
                let lo = lines.iter().flatten().map(|p| p.1.min(p.2)).fold(0.0f64, f64::min);
                let mut chart = ChartBuilder::on(part)
                    .caption(*title, (FONT, 15))
                    .margin(8)
                    .x_label_area_size(36)
                    .y_label_area_size(64)
                    .build_cartesian_2d((x0 - span * 0.03)..(x1 + span * 0.03), lo..hi)?;
                chart
                    .configure_mesh()
                    .x_desc(short(&field))
                    .x_label_formatter(&|x| if span >= 20.0 { label(*x, 0) } else { format!("{x:.3}") })
                    .y_label_formatter(&|y| label(*y, 0))
                    .x_labels(6)
                    .label_style((FONT, 12))
                    .axis_desc_style((FONT, 13))
                    .bold_line_style(GRID)
                    .light_line_style(WHITE.mix(0.0))
                    .draw()?;
                for (v, line) in lines.iter().enumerate() {
                    let c = colour(v);
                    chart
                        .draw_series(LineSeries::new(line.iter().map(|p| (p.0, p.1)), c.stroke_width(2)))?
                        .label(names[v].clone())
                        .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], c.stroke_width(2)));
                    chart.draw_series(line.iter().map(|p| Circle::new((p.0, p.1), 3, c.filled())))?;
                    chart.draw_series(std::iter::once(DashedPathElement::new(
                        line.iter().map(|p| (p.0, p.2)).collect::<Vec<_>>(),
                        6,
                        4,
                        c.stroke_width(1),
                    )))?;
                }
                if group > 1 {
                    chart
                        .configure_series_labels()
                        .label_font((FONT, 12))
                        .background_style(WHITE.mix(0.85))
                        .border_style(GRID)
                        .draw()?;
                }
            }
            Ok(())
        }),
    })
}

/// A sweep of two fields: heat maps of the means of insolvency, the cascade's drop and the
/// peak liquidations per block over the base cells.
fn heat_panel(study: &Study, outcome: &Outcome) -> Option<Panel> {
    let [a, b] = study.vary.as_slice() else { return None };
    let group = study.variants.len() + 1;
    let (na, nb) = (a.values.len(), b.values.len());
    let metrics = [
        ("insolvency", "mean insolvency"),
        ("cascade_drop", "mean cascade drop (price)"),
        ("peak_liquidations", "mean peak liquidations per block"),
    ];
    let grids: Vec<Vec<Vec<f64>>> = metrics
        .iter()
        .map(|(m, _)| {
            (0..na)
                .map(|i| {
                    (0..nb)
                        .map(|j| {
                            outcome
                                .cells
                                .get((i * nb + j) * group)
                                .and_then(|c| c.stats(m))
                                .map_or(0.0, |s| f(s.mean))
                        })
                        .collect()
                })
                .collect()
        })
        .collect();
    let av: Vec<String> = a.values.iter().map(|v| show(*v)).collect();
    let bv: Vec<String> = b.values.iter().map(|v| show(*v)).collect();
    let (fa, fb) = (a.field.to_string(), b.field.to_string());
    Some(Panel {
        title: format!("Heat maps over {fa} (across) and {fb} (up), the base scenario: darker is larger"),
        height: (150 + 40 * nb as u32) * 3,
        draw: Box::new(move |area| {
            let parts = area.split_evenly((metrics.len(), 1));
            for ((part, (_, title)), grid) in parts.iter().zip(metrics.iter()).zip(&grids) {
                let max = grid.iter().flatten().copied().fold(0.0f64, f64::max).max(1e-9);
                let min = grid.iter().flatten().copied().fold(f64::MAX, f64::min).min(max);
                let mut chart = ChartBuilder::on(part)
                    .caption(*title, (FONT, 15))
                    .margin(8)
                    .x_label_area_size(40)
                    .y_label_area_size(110)
                    .build_cartesian_2d(0.0..na as f64, 0.0..nb as f64)?;
                chart
                    .configure_mesh()
                    .disable_mesh()
                    .x_desc(short(&fa))
                    .y_desc(short(&fb))
                    .x_labels(na * 2 + 1)
                    .y_labels(nb * 2 + 1)
                    .x_label_formatter(&|x| tick(*x, &av))
                    .y_label_formatter(&|y| tick(*y, &bv))
                    .label_style((FONT, 12))
                    .axis_desc_style((FONT, 13))
                    .draw()?;
                for (i, row) in grid.iter().enumerate() {
                    for (j, v) in row.iter().enumerate() {
                        let t = if max > min { (v - min) / (max - min) } else { 0.5 };
                        let fill = RGBColor(
                            255 - (60.0 * t) as u8,
                            (235.0 - 165.0 * t) as u8,
                            (205.0 - 185.0 * t) as u8,
                        );
                        let (x, y) = (i as f64, j as f64);
                        chart.draw_series(std::iter::once(Rectangle::new(
                            [(x, y), (x + 1.0, y + 1.0)],
                            fill.filled(),
                        )))?;
                        chart.draw_series(std::iter::once(Rectangle::new(
                            [(x, y), (x + 1.0, y + 1.0)],
                            WHITE.stroke_width(1),
                        )))?;
                        let text = if *v >= 100.0 { label(*v, 0) } else { label(*v, 1) };
                        chart.draw_series(std::iter::once(Text::new(
                            text,
                            (x + 0.08, y + 0.62),
                            (FONT, 12).into_font().color(&BLACK),
                        )))?;
                    }
                }
            }
            Ok(())
        }),
    })
}

/// The label of a category at the middle of its cell (`x = i + 0.5`), else nothing.
fn tick(x: f64, values: &[String]) -> String {
    let i = (x - 0.5).round();
    if (x - 0.5 - i).abs() < 1e-6 && i >= 0.0 {
        values.get(i as usize).cloned().unwrap_or_default()
    } else {
        String::new()
    }
}

/// The solve's probes: the statistic against the field, the threshold, and the bracket; on
/// the right, the same zoomed on the probes after the first four (the bisection's end).
fn solve_panel(study: &Study, outcome: &Outcome) -> Option<Panel> {
    let spec = study.solve.as_ref()?;
    let s = outcome.solve.as_ref()?;
    let pts: Vec<(f64, f64, usize)> = s
        .probes
        .iter()
        .enumerate()
        .map(|(k, p)| (x_of(p.value), p.statistic.map_or(0.0, f), k + 1))
        .collect();
    let above = f(spec.above);
    let bracket = s.bracket.map(|(a, b)| (x_of(a), x_of(b)));
    let field = spec.field.to_string();
    let what = format!("{} of {}", spec.statistic, spec.metric);
    Some(Panel {
        title: format!(
            "The solve: the {what} at each probe of {field} (numbered in order), the threshold {} (red) and the final bracket (green); right: the last probes",
            spec.above
        ),
        height: 360,
        draw: Box::new(move |area| {
            let zoomed: Vec<(f64, f64, usize)> = pts.iter().copied().filter(|p| p.2 > 4).collect();
            let views: Vec<&[(f64, f64, usize)]> = if zoomed.len() >= 2 {
                vec![&pts, &zoomed]
            } else {
                vec![&pts]
            };
            let parts = area.split_evenly((1, views.len()));
            for (part, view) in parts.iter().zip(views) {
                let (x0, x1) = view
                    .iter()
                    .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
                let hi = view.iter().map(|p| p.1).fold(above, f64::max).max(1e-9) * 1.12;
                let span = (x1 - x0).max(1e-9);
                let (l, r) = (x0 - span * 0.05, x1 + span * 0.05);
                let mut chart = ChartBuilder::on(part)
                    .margin(8)
                    .x_label_area_size(36)
                    .y_label_area_size(70)
                    .build_cartesian_2d(l..r, 0.0..hi)?;
                chart
                    .configure_mesh()
                    .x_desc(field.as_str())
                    .y_desc(what.as_str())
                    .x_labels(5)
                    .x_label_formatter(&|x| label(*x, if span >= 20.0 { 0 } else { 2 }))
                    .y_label_formatter(&|y| label(*y, if hi >= 20.0 { 0 } else { 2 }))
                    .label_style((FONT, 12))
                    .axis_desc_style((FONT, 13))
                    .bold_line_style(GRID)
                    .light_line_style(WHITE.mix(0.0))
                    .draw()?;
                chart.draw_series(std::iter::once(DashedPathElement::new(
                    [(l, above), (r, above)],
                    6,
                    4,
                    RED.stroke_width(1),
                )))?;
                if let Some((a, b)) = bracket {
                    for x in [a, b] {
                        if x >= l && x <= r {
                            chart.draw_series(std::iter::once(PathElement::new(
                                [(x, 0.0), (x, hi)],
                                RGBColor(0, 140, 140).stroke_width(1),
                            )))?;
                        }
                    }
                }
                chart.draw_series(view.iter().map(|p| Circle::new((p.0, p.1), 4, COLOURS[0].filled())))?;
                chart.draw_series(view.iter().map(|p| {
                    Text::new(
                        format!("{}", p.2),
                        (p.0, p.1 + hi * 0.03),
                        (FONT, 12).into_font().color(&BLACK),
                    )
                }))?;
            }
            Ok(())
        }),
    })
}

/// Every chart of the study.
fn panels(study: &Study, outcome: &Outcome) -> Vec<Panel> {
    [
        fan_panel(study, outcome),
        histogram_panel(study, outcome),
        sweep_panel(study, outcome),
        heat_panel(study, outcome),
        solve_panel(study, outcome),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Draws `panel` on its own SVG.
fn one(panel: &Panel) -> Result<String, Failure> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (WIDTH, panel.height)).into_drawing_area();
        root.fill(&WHITE)?;
        (panel.draw)(&root)?;
        root.present()?;
    }
    Ok(out)
}

/// Each chart as its own SVG, with its title (the HTML page's figures).
pub fn figures(study: &Study, outcome: &Outcome) -> Result<Vec<(String, String)>, String> {
    panels(study, outcome)
        .iter()
        .map(|p| one(p).map(|svg| (p.title.clone(), svg)).map_err(|e| e.to_string()))
        .collect()
}

/// The SVG text of every chart, one under the other, each under its title.
pub fn svg(study: &Study, outcome: &Outcome) -> Result<String, String> {
    let panels = panels(study, outcome);
    let title_h = 30u32;
    let height: u32 = panels.iter().map(|p| p.height + title_h).sum::<u32>().max(60);
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        if panels.is_empty() {
            root.draw(&Text::new("no chart: no path kept its prices", (20, 30), (FONT, 16)))
                .map_err(|e| e.to_string())?;
        }
        let mut rest = root.clone();
        for p in &panels {
            let (head, tail) = rest.split_vertically(p.height + title_h);
            let (title, body) = head.split_vertically(title_h);
            title
                .draw(&Text::new(
                    p.title.clone(),
                    (12, 8),
                    (FONT, 15).into_font().style(FontStyle::Bold),
                ))
                .map_err(|e| e.to_string())?;
            (p.draw)(&body).map_err(|e| e.to_string())?;
            rest = tail;
        }
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(out)
}
