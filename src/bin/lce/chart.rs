//! `lce run --svg`: a chart of the run drawn with `plotters`: the market, reference and oracle
//! prices; liquidations per block; cumulative bad debt.
//!
//! Floats appear here for pixels only: every value is converted from its exact [`Wad`] just
//! before it is placed on the chart, and nothing computed here flows back into a result.
// Pixel arithmetic (floats, and the legend's small integer offsets) is for drawing only.
#![allow(
    clippy::float_arithmetic,
    clippy::arithmetic_side_effects,
    clippy::cast_precision_loss,
    clippy::as_conversions
)]

use lce::Wad;
use lce::eval::scenario::{RunOutcome, Scenario};
use plotters::prelude::*;

/// The chart's size in pixels.
const SIZE: (u32, u32) = (1100, 900);

/// Colours of the oracle lines, by venue.
const ORACLE: [RGBColor; 4] = [
    RGBColor(230, 120, 20),
    RGBColor(40, 160, 70),
    RGBColor(150, 60, 180),
    RGBColor(200, 40, 120),
];
const MARKET: RGBColor = RGBColor(20, 90, 200);
const REFERENCE: RGBColor = RGBColor(120, 120, 120);
const BARS: RGBColor = RGBColor(200, 50, 50);
const BAD: RGBColor = RGBColor(110, 20, 20);
const SPIKE: RGBColor = RGBColor(250, 210, 120);

/// A wad as an `f64`, for pixels only.
fn f(w: Wad) -> f64 {
    w.raw() as f64 / 1e18
}

/// The SVG text of the chart.
pub fn svg(scenario: &Scenario, run: &RunOutcome) -> Result<String, String> {
    let mut out = String::new();
    draw(scenario, run, &mut out).map_err(|e| e.to_string())?;
    Ok(out)
}

type Failure = Box<dyn std::error::Error>;

fn draw(scenario: &Scenario, run: &RunOutcome, out: &mut String) -> Result<(), Failure> {
    let records = &run.records;
    let last = records.last().map_or(1, |r| r.block).max(1);
    let x_range = 0u64..last.saturating_add(1);
    let root = SVGBackend::with_string(out, SIZE).into_drawing_area();
    root.fill(&WHITE)?;
    let title = format!(
        "{}: stopped {} after {} blocks",
        scenario.name,
        run.report.stop.name(),
        run.report.blocks
    );
    let root = root.titled(&title, ("sans-serif", 26))?;
    let panels = root.split_by_breakpoints::<i32, i32, _, _>([], [430, 640]);
    let (top, mid, bottom) = match panels.as_slice() {
        [a, b, c] => (a, b, c),
        _ => return Err("cannot split the chart".into()),
    };

    // Prices.
    let mut lo = f64::MAX;
    let mut hi = f64::MIN;
    for r in records {
        for p in [Some(r.market), Some(r.fundamental)]
            .into_iter()
            .chain(r.venues.iter().map(|v| v.oracle))
            .flatten()
        {
            lo = lo.min(f(p));
            hi = hi.max(f(p));
        }
    }
    if lo > hi {
        lo = 0.0;
        hi = 1.0;
    }
    let pad = ((hi - lo) * 0.08).max(hi.abs() * 1e-6).max(1e-9);
    let mut chart = ChartBuilder::on(top)
        .caption("Prices", ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(80)
        .build_cartesian_2d(x_range.clone(), (lo - pad)..(hi + pad))?;
    chart
        .configure_mesh()
        .x_desc("block")
        .y_desc("price")
        .y_label_formatter(&|y| format!("{y:.2}"))
        .label_style(("sans-serif", 14))
        .light_line_style(WHITE.mix(0.0))
        .draw()?;
    // Blocks whose gas price is above the base (a spike), shaded.
    let base_gas = scenario.gas.base();
    let spiking: Vec<u64> = records
        .iter()
        .filter(|r| r.gas_price > base_gas)
        .map(|r| r.block)
        .collect();
    if !spiking.is_empty() {
        chart
            .draw_series(spiking.iter().map(|&b| {
                Rectangle::new(
                    [(b, lo - pad), (b.saturating_add(1), hi + pad)],
                    SPIKE.mix(0.35).filled(),
                )
            }))?
            .label("gas spike")
            .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 20, y + 5)], SPIKE.mix(0.35).filled()));
    }
    chart
        .draw_series(LineSeries::new(
            records.iter().map(|r| (r.block, f(r.fundamental))),
            REFERENCE.stroke_width(1),
        ))?
        .label("reference (exogenous path)")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], REFERENCE));
    for (i, v) in scenario.venues.iter().enumerate() {
        let colour = ORACLE.get(i % ORACLE.len()).copied().unwrap_or(BLACK);
        // The oracle holds its price between rounds: a step line.
        let mut points = Vec::new();
        let mut held: Option<f64> = None;
        for r in records {
            if let Some(p) = r.venues.get(i).and_then(|vb| vb.oracle) {
                if let Some(h) = held {
                    points.push((r.block, h));
                }
                held = Some(f(p));
                points.push((r.block, f(p)));
            }
        }
        chart
            .draw_series(LineSeries::new(points, colour.stroke_width(2)))?
            .label(format!("oracle: {}", v.name))
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], colour.stroke_width(2)));
    }
    chart
        .draw_series(LineSeries::new(
            records.iter().map(|r| (r.block, f(r.market))),
            MARKET.stroke_width(2),
        ))?
        .label("market (shared pool)")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], MARKET.stroke_width(2)));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.4))
        .label_font(("sans-serif", 15))
        .draw()?;

    // Liquidations per block.
    let peak = records.iter().map(|r| r.liquidations()).max().unwrap_or(0).max(1);
    let mut chart = ChartBuilder::on(mid)
        .caption("Liquidations per block (velocity)", ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(80)
        .build_cartesian_2d(x_range.clone(), 0u32..peak.saturating_add(peak / 10).saturating_add(1))?;
    chart
        .configure_mesh()
        .x_desc("block")
        .y_desc("liquidations")
        .label_style(("sans-serif", 14))
        .light_line_style(WHITE.mix(0.0))
        .draw()?;
    chart.draw_series(records.iter().filter(|r| r.liquidations() > 0).map(|r| {
        Rectangle::new(
            [(r.block, 0), (r.block.saturating_add(1), r.liquidations())],
            BARS.filled(),
        )
    }))?;

    // Cumulative bad debt.
    let mut cumulative = Wad::ZERO;
    let series: Vec<(u64, f64)> = records
        .iter()
        .map(|r| {
            cumulative = cumulative.add(r.bad_debt().unwrap_or(Wad::ZERO)).unwrap_or(cumulative);
            (r.block, f(cumulative))
        })
        .collect();
    let top_bad = series.last().map_or(0.0, |p| p.1).max(1.0);
    let mut chart = ChartBuilder::on(bottom)
        .caption("Cumulative bad debt", ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(80)
        .build_cartesian_2d(x_range, 0.0..top_bad * 1.1)?;
    chart
        .configure_mesh()
        .x_desc("block")
        .y_desc("bad debt")
        .y_label_formatter(&|y| format!("{y:.0}"))
        .label_style(("sans-serif", 14))
        .light_line_style(WHITE.mix(0.0))
        .draw()?;
    chart.draw_series(AreaSeries::new(series.iter().copied(), 0.0, BAD.mix(0.25)).border_style(BAD.stroke_width(2)))?;
    root.present()?;
    drop(root);
    Ok(())
}
