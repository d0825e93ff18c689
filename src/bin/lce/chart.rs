//! `lce run --svg`: a chart of the run drawn with `plotters`, in three panels over one block
//! axis: the market, fundamental and oracle prices (with the equilibrium and the low marked);
//! liquidations per block (with the block gas cap); cumulative bad debt and the insolvency at
//! the equilibrium. The axis is zoomed to where things happen: a quiet tail is cut and the cut
//! is said on the chart.
//!
//! Floats appear here for pixels only: every value is converted from its exact [`Wad`] just
//! before it is placed on the chart, and nothing computed here flows back into a result.
// Pixel arithmetic (floats, and small integer offsets) is for drawing only.
#![allow(
    clippy::float_arithmetic,
    clippy::arithmetic_side_effects,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::as_conversions
)]

use lce::Wad;
use lce::cascade::{BlockRecord, Stop};
use lce::eval::scenario::{RunOutcome, Scenario};
use plotters::coord::Shift;
use plotters::coord::types::{RangedCoordf64, RangedCoordu64};
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::text::{count, num};

/// The chart's size in pixels.
pub const SIZE: (u32, u32) = (1200, 1050);

/// Colours of the oracle lines, by venue.
const ORACLE: [RGBColor; 4] = [
    RGBColor(230, 120, 20),
    RGBColor(40, 160, 70),
    RGBColor(150, 60, 180),
    RGBColor(200, 40, 120),
];
const MARKET: RGBColor = RGBColor(20, 90, 200);
const FUNDAMENTAL: RGBColor = RGBColor(30, 30, 30);
const BARS: RGBColor = RGBColor(200, 50, 50);
const CAP: RGBColor = RGBColor(90, 90, 90);
const BAD: RGBColor = RGBColor(110, 20, 20);
const INSOLVENCY: RGBColor = RGBColor(200, 120, 0);
const SPIKE: RGBColor = RGBColor(250, 210, 120);
const MARK: RGBColor = RGBColor(0, 140, 140);
pub const GRID: RGBColor = RGBColor(225, 225, 225);

/// The font of labels, legends and notes.
pub const FONT: &str = "sans-serif";

/// A wad as an `f64`, for pixels only.
pub fn f(w: Wad) -> f64 {
    w.raw() as f64 / 1e18
}

/// An axis label with thousands separators and `decimals` decimals.
pub fn label(y: f64, decimals: usize) -> String {
    // Display only: the wad of a rounded float (exact enough for an axis tick).
    let scaled = (y * 1e6).round() as i128;
    num(Wad::from_raw(scaled.saturating_mul(1_000_000_000_000)), decimals)
}

/// The most points a line keeps (about two a pixel): longer series are thinned.
const MAX_POINTS: usize = 2_000;

/// `points` thinned to about [`MAX_POINTS`]: in each bucket of consecutive points, its lowest
/// and highest (in order), so no spike or low disappears; unchanged when short enough.
fn thin(points: Vec<(u64, f64)>) -> Vec<(u64, f64)> {
    let bucket = points.len().div_ceil(MAX_POINTS / 2);
    if bucket <= 1 {
        return points;
    }
    let mut out = Vec::with_capacity(MAX_POINTS.saturating_add(2));
    for chunk in points.chunks(bucket) {
        let lo = chunk.iter().copied().min_by(|a, b| a.1.total_cmp(&b.1));
        let hi = chunk.iter().copied().max_by(|a, b| a.1.total_cmp(&b.1));
        if let (Some(lo), Some(hi)) = (lo, hi) {
            if lo.0 <= hi.0 {
                out.extend([lo, hi]);
            } else {
                out.extend([hi, lo]);
            }
        }
    }
    out
}

/// The SVG text of the chart.
pub fn svg(scenario: &Scenario, run: &RunOutcome) -> Result<String, String> {
    let mut out = String::new();
    draw(scenario, run, &mut out).map_err(|e| e.to_string())?;
    Ok(out)
}

type Failure = Box<dyn std::error::Error>;
type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// The blocks on the chart's axis, and what was cut after them.
struct View {
    /// The first block shown (0 is the start).
    from: u64,
    /// The last block shown.
    to: u64,
    /// What the cut tail holds, said at the right edge when the axis stops before the run.
    cut: Option<String>,
}

/// Whether anything happened in block `r` (after `prev`): liquidations, bad debt, a move of
/// the fundamental or the gas price.
fn moved(r: &BlockRecord, prev: Option<&BlockRecord>) -> bool {
    r.liquidations() > 0
        || r.venues.iter().any(|v| !v.bad_debt.is_zero())
        || prev.is_some_and(|p| p.fundamental != r.fundamental || p.gas_price != r.gas_price)
}

/// The axis: from a little before the first thing that happens to a little after the last one
/// (or the equilibrium, if later); the quiet tail after it is cut and described.
fn view(run: &RunOutcome) -> View {
    let records = &run.records;
    let r = &run.report;
    let last = records.last().map_or(1, |b| b.block).max(1);
    let mut first_event = None;
    let mut last_event = 0;
    let mut prev: Option<&BlockRecord> = None;
    for b in records {
        if moved(b, prev) {
            first_event.get_or_insert(b.block);
            last_event = b.block;
        }
        prev = Some(b);
    }
    let first_event = first_event.unwrap_or(1);
    let focus_end = last_event.max(r.equilibrium_block).max(first_event);
    let margin = (focus_end.saturating_sub(first_event) / 4).max(10);
    let from = first_event.saturating_sub(margin);
    // Keep the start in view unless the quiet head is long.
    let from = if from <= 2 * margin { 0 } else { from };
    let to = focus_end.saturating_add(margin);
    if to >= last || last - to <= margin {
        return View {
            from,
            to: last,
            cut: None,
        };
    }
    let end = records.last();
    let price = end.map_or_else(String::new, |b| num(b.market, 2));
    let cut = match r.recovery {
        Some(rec) if rec.blocks.is_some() => format!("recovery continues to block {} (market {price}) →", count(last)),
        Some(_) => format!("quiet to block {} (market {price}, not recovered) →", count(last)),
        None => format!("quiet to block {} (market {price}) →", count(last)),
    };
    View {
        from,
        to,
        cut: Some(cut),
    }
}

/// A legend entry's swatch.
enum Swatch {
    Line(RGBColor, u32),
    Dashed(RGBColor),
    Fill(RGBAColor),
    Dot(RGBColor),
}

/// Where a legend starts (the plots' left edge) and the height of one of its rows.
const LEGEND_X: i32 = 95;
const LEGEND_ROW: i32 = 20;

/// The width of a legend entry in pixels (DejaVu Sans averages about 0.52 em a character).
fn entry_width(text: &str) -> i32 {
    30 + (text.chars().count() as f64 * 14.0 * 0.52) as i32 + 18
}

/// How many rows `items` take across `width` pixels.
fn legend_rows(items: &[(Swatch, String)], width: i32) -> i32 {
    let mut rows = 1;
    let mut x = LEGEND_X;
    for (_, text) in items {
        let w = entry_width(text);
        if x > LEGEND_X && x + w > width {
            rows += 1;
            x = LEGEND_X;
        }
        x += w;
    }
    rows
}

/// Splits a legend strip off the top of `area` and draws `items` in it, left to right, in as
/// many rows as they need; returns the rest of the area.
fn with_legend<'a>(area: &Area<'a>, items: &[(Swatch, String)]) -> Result<Area<'a>, Failure> {
    let width = area.dim_in_pixel().0 as i32;
    let rows = legend_rows(items, width);
    let (strip, rest) = area.split_vertically(4 + rows * LEGEND_ROW);
    legend(&strip, items, width)?;
    Ok(rest)
}

/// Draws a legend across `area` (a strip above a panel), items left to right.
fn legend(area: &Area<'_>, items: &[(Swatch, String)], width: i32) -> Result<(), Failure> {
    let style = TextStyle::from((FONT, 14))
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let mut x = LEGEND_X;
    let mut y = 10i32;
    for (swatch, text) in items {
        if x > LEGEND_X && x + entry_width(text) > width {
            x = LEGEND_X;
            y += LEGEND_ROW;
        }
        match swatch {
            Swatch::Line(c, w) => area.draw(&PathElement::new([(x, y), (x + 24, y)], c.stroke_width(*w)))?,
            Swatch::Dashed(c) => area.draw(&DashedPathElement::new([(x, y), (x + 24, y)], 5, 3, c.stroke_width(2)))?,
            Swatch::Fill(c) => area.draw(&Rectangle::new([(x, y - 6), (x + 24, y + 6)], c.filled()))?,
            Swatch::Dot(c) => area.draw(&Circle::new((x + 12, y), 5, c.filled()))?,
        }
        area.draw(&Text::new(text.clone(), (x + 30, y), style.clone()))?;
        x += entry_width(text);
    }
    Ok(())
}

fn draw(scenario: &Scenario, run: &RunOutcome, out: &mut String) -> Result<(), Failure> {
    let r = &run.report;
    let view = view(run);
    let shown: Vec<&BlockRecord> = run
        .records
        .iter()
        .filter(|b| b.block >= view.from && b.block <= view.to)
        .collect();
    let rest = !matches!(r.stop, Stop::BlockLimit | Stop::Interrupted);
    let eq = r.equilibrium_block;

    let root = SVGBackend::with_string(out, SIZE).into_drawing_area();
    root.fill(&WHITE)?;
    let (head, body) = root.split_vertically(62);
    let title = if rest {
        format!(
            "{}: {} at block {} ({} run)",
            scenario.name,
            r.stop.name(),
            count(eq),
            crate::text::plural(r.blocks, "block", "blocks")
        )
    } else {
        format!(
            "{}: {} at block {}, no equilibrium",
            scenario.name,
            r.stop.name(),
            count(r.blocks)
        )
    };
    let centre = |size| {
        TextStyle::from((FONT, size))
            .color(&BLACK)
            .pos(Pos::new(HPos::Center, VPos::Top))
    };
    let mid = SIZE.0 as i32 / 2;
    head.draw(&Text::new(title, (mid, 8), centre(24)))?;
    let amplification = r
        .amplification
        .map_or_else(|| String::from("none"), |a| format!("{}x", num(a, 2)));
    let subtitle = format!(
        "market {} at {} vs fundamental {} (start {}); amplification {amplification}; insolvency {}",
        num(r.equilibrium_price, 2),
        if rest { "the equilibrium" } else { "the last block" },
        num(r.fundamental_price, 2),
        num(r.start_price, 2),
        num(r.insolvency, 0)
    );
    head.draw(&Text::new(subtitle, (mid, 38), centre(16)))?;

    let panels = body.split_by_breakpoints::<i32, i32, _, _>([], [470, 720]);
    let (top, middle, bottom) = match panels.as_slice() {
        [a, b, c] => (a, b, c),
        _ => return Err("cannot split the chart".into()),
    };

    prices(scenario, run, &view, &shown, top)?;
    velocity(scenario, run, &view, &shown, middle)?;
    losses(run, &view, bottom)?;

    root.present()?;
    Ok(())
}

/// A panel's chart over the shown blocks: block numbers on x, `y` with `y_labels` labels of
/// `decimals` decimals described by `y_desc`, light grid, the house fonts.
fn block_panel<'a, 'b>(
    area: &'a Area<'b>,
    view: &View,
    y: core::ops::Range<f64>,
    y_desc: &str,
    y_labels: usize,
    decimals: usize,
) -> Result<BlockChart<'a, 'b>, Failure> {
    let mut chart = ChartBuilder::on(area)
        .margin_left(12)
        .margin_right(24)
        .margin_top(6)
        .x_label_area_size(34)
        .y_label_area_size(80)
        .build_cartesian_2d(view.from..view.to.saturating_add(1), y)?;
    chart
        .configure_mesh()
        .x_desc("block")
        .y_desc(y_desc)
        .x_label_formatter(&|x| count(*x))
        .y_label_formatter(&|y| label(*y, decimals))
        .y_labels(y_labels)
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 14))
        .bold_line_style(GRID)
        .light_line_style(WHITE.mix(0.0))
        .draw()?;
    Ok(chart)
}

/// A chart of one panel: blocks on x, values on y.
type BlockChart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordu64, RangedCoordf64>>;

/// A note in the middle of a panel (what an empty panel means).
fn centre_note(chart: &mut BlockChart<'_, '_>, view: &View, top: f64, text: &'static str) -> Result<(), Failure> {
    chart.draw_series(std::iter::once(
        EmptyElement::at((view.from + (view.to - view.from) / 2, top / 2.0))
            + Text::new(
                text,
                (0, 0),
                TextStyle::from((FONT, 14))
                    .color(&BLACK)
                    .pos(Pos::new(HPos::Center, VPos::Center)),
            ),
    ))?;
    Ok(())
}

/// The vertical marker at the equilibrium block, from `lo` to `hi` on a panel's y axis.
fn equilibrium_line(chart: &mut BlockChart<'_, '_>, block: u64, lo: f64, hi: f64) -> Result<(), Failure> {
    chart.draw_series(LineSeries::new([(block, lo), (block, hi)], MARK.stroke_width(2)))?;
    Ok(())
}

/// Whether the run has an equilibrium and the axis shows it.
fn equilibrium_shown(run: &RunOutcome, view: &View) -> bool {
    let r = &run.report;
    !matches!(r.stop, Stop::BlockLimit | Stop::Interrupted) && (view.from..=view.to).contains(&r.equilibrium_block)
}

/// The block of the lowest market price up to the equilibrium, if the axis shows it.
fn low_shown<'a>(run: &'a RunOutcome, view: &View) -> Option<&'a BlockRecord> {
    let r = &run.report;
    if r.low_price >= r.start_price {
        return None;
    }
    run.records
        .iter()
        .take_while(|b| b.block <= r.equilibrium_block)
        .find(|b| b.market == r.low_price)
        .filter(|b| b.block >= view.from && b.block <= view.to)
}

/// The prices panel: fundamental, market and oracles, gas spikes shaded, the equilibrium and
/// the low marked.
fn prices(
    scenario: &Scenario,
    run: &RunOutcome,
    view: &View,
    shown: &[&BlockRecord],
    area: &Area<'_>,
) -> Result<(), Failure> {
    let r = &run.report;
    let base_gas = scenario.gas.base();
    let spiking: Vec<u64> = shown
        .iter()
        .filter(|b| b.gas_price > base_gas)
        .map(|b| b.block)
        .collect();
    let low = low_shown(run, view);
    let at_rest = equilibrium_shown(run, view);

    let mut items: Vec<(Swatch, String)> = vec![
        (Swatch::Line(MARKET, 2), String::from("market (shared pool)")),
        (
            Swatch::Dashed(FUNDAMENTAL),
            String::from("fundamental (exogenous path)"),
        ),
    ];
    if !spiking.is_empty() {
        items.push((Swatch::Fill(SPIKE.mix(0.4)), String::from("gas spike")));
    }
    for (i, v) in scenario.venues.iter().enumerate() {
        let colour = ORACLE.get(i % ORACLE.len()).copied().unwrap_or(BLACK);
        // Say when the venue's guards refuse its price (the line shows the refused round).
        let refused = shown
            .iter()
            .find_map(|b| b.venues.get(i).and_then(|vb| vb.refusal).map(|why| (b.block, why)));
        items.push((
            Swatch::Line(colour, 1),
            match refused {
                Some((block, why)) => format!(
                    "oracle: {} (refused, {}, from block {})",
                    v.name,
                    why.as_str(),
                    count(block)
                ),
                None => format!("oracle: {}", v.name),
            },
        ));
    }
    if at_rest {
        items.push((Swatch::Line(MARK, 2), String::from("equilibrium")));
    }
    if low.is_some() {
        items.push((Swatch::Dot(MARKET), String::from("low")));
    }
    let area = with_legend(area, &items)?;

    let mut lo = f64::MAX;
    let mut hi = f64::MIN;
    for b in shown {
        for p in [Some(b.market), Some(b.fundamental)]
            .into_iter()
            .chain(b.venues.iter().map(|v| v.oracle))
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
    let pad = ((hi - lo) * 0.07).max(hi.abs() * 1e-4).max(1e-9);
    // More room below, for the low's label.
    let (y0, y1) = (lo - 1.5 * pad, hi + pad);
    let decimals = if hi - lo >= 20.0 { 0 } else { 2 };
    let mut chart = block_panel(&area, view, y0..y1, "price", 11, decimals)?;

    chart.draw_series(
        spiking
            .iter()
            .map(|&b| Rectangle::new([(b, y0), (b.saturating_add(1), y1)], SPIKE.mix(0.4).filled())),
    )?;
    for i in 0..scenario.venues.len() {
        let colour = ORACLE.get(i % ORACLE.len()).copied().unwrap_or(BLACK);
        // The oracle holds its price between rounds: a step line.
        let mut points = Vec::new();
        let mut held: Option<f64> = None;
        for b in shown {
            if let Some(p) = b.venues.get(i).and_then(|vb| vb.oracle) {
                if let Some(h) = held {
                    points.push((b.block, h));
                }
                held = Some(f(p));
                points.push((b.block, f(p)));
            }
        }
        chart.draw_series(LineSeries::new(thin(points), colour.stroke_width(1)))?;
    }
    chart.draw_series(DashedLineSeries::new(
        thin(shown.iter().map(|b| (b.block, f(b.fundamental))).collect()),
        8,
        4,
        FUNDAMENTAL.stroke_width(2),
    ))?;
    chart.draw_series(LineSeries::new(
        thin(shown.iter().map(|b| (b.block, f(b.market))).collect()),
        MARKET.stroke_width(2),
    ))?;

    let note = TextStyle::from((FONT, 14)).color(&BLACK);
    if at_rest {
        equilibrium_line(&mut chart, r.equilibrium_block, y0, y1)?;
        // At the top (the low's label is at the bottom), on the side of the line with more room.
        let right = r.equilibrium_block.saturating_sub(view.from) < (view.to.saturating_sub(view.from)) * 6 / 10;
        let (dx, pos) = if right { (6, HPos::Left) } else { (-6, HPos::Right) };
        chart.draw_series(std::iter::once(
            EmptyElement::at((r.equilibrium_block, y1))
                + Text::new(
                    format!(
                        "equilibrium: block {}, market {}",
                        count(r.equilibrium_block),
                        num(r.equilibrium_price, 2)
                    ),
                    (dx, 6),
                    note.clone().pos(Pos::new(pos, VPos::Top)),
                ),
        ))?;
        chart.draw_series(std::iter::once(Circle::new(
            (r.equilibrium_block, f(r.equilibrium_price)),
            6,
            MARK.filled(),
        )))?;
    }
    if let Some(low) = low {
        // Below the point, on the side away from the equilibrium's line.
        let right = if at_rest {
            low.block >= r.equilibrium_block
        } else {
            low.block.saturating_sub(view.from) < (view.to.saturating_sub(view.from)) * 6 / 10
        };
        let (dx, pos) = if right { (8, HPos::Left) } else { (-8, HPos::Right) };
        chart.draw_series(std::iter::once(
            EmptyElement::at((low.block, f(low.market)))
                + Circle::new((0, 0), 6, MARKET.filled())
                + Text::new(
                    format!("low {} (block {})", num(low.market, 2), count(low.block)),
                    (dx, 6),
                    note.clone().pos(Pos::new(pos, VPos::Top)),
                ),
        ))?;
    }
    if let Some(cut) = &view.cut {
        // Below the axis, at its right end.
        let (w, h) = area.dim_in_pixel();
        area.draw(&Text::new(
            cut.clone(),
            (w as i32 - 24, h as i32 - 2),
            note.clone().pos(Pos::new(HPos::Right, VPos::Bottom)),
        ))?;
    }
    Ok(())
}

/// How many liquidations a block's gas holds at most: `⌊block_gas / g⌋` for the smallest
/// `gas_per_liquidation` `g` among the liquidators; `None` without a cap (no block gas limit,
/// no liquidators).
pub fn gas_cap(scenario: &Scenario) -> Option<u64> {
    if !scenario.block_gas.is_positive() {
        return None;
    }
    let least = scenario
        .liquidators
        .iter()
        .map(|(_, l)| l.gas_per_liquidation())
        .filter(|g| g.is_positive())
        .min()?;
    let cap = scenario.block_gas.div_floor(least).ok()?.floor().ok()?;
    u64::try_from(cap.raw() / 1_000_000_000_000_000_000).ok()
}

/// Liquidations per block, with the block gas cap.
fn velocity(
    scenario: &Scenario,
    run: &RunOutcome,
    view: &View,
    shown: &[&BlockRecord],
    area: &Area<'_>,
) -> Result<(), Failure> {
    let r = &run.report;
    let peak = shown.iter().map(|b| b.liquidations()).max().unwrap_or(0);
    let cap = gas_cap(scenario);
    let at_rest = equilibrium_shown(run, view);
    let mut items = vec![(
        Swatch::Fill(BARS.to_rgba()),
        String::from("liquidations per block (velocity)"),
    )];
    if cap.is_some() {
        items.push((Swatch::Dashed(CAP), String::from("block gas cap")));
    }
    if at_rest {
        items.push((Swatch::Line(MARK, 2), String::from("equilibrium")));
    }
    let area = with_legend(area, &items)?;
    let top = (peak as f64).max(cap.map_or(0.0, |c| c as f64)).max(4.0) * 1.18;
    let mut chart = block_panel(&area, view, 0.0..top, "liquidations", 6, 0)?;
    // One bar a block; on a long axis, one a bucket of blocks at the bucket's most.
    let bucket = ((view.to - view.from) as usize).div_ceil(MAX_POINTS / 2).max(1) as u64;
    let mut bars: Vec<(u64, u32)> = Vec::new();
    for b in shown.iter().filter(|b| b.liquidations() > 0) {
        let at = view.from + (b.block - view.from) / bucket * bucket;
        match bars.last_mut() {
            Some(last) if last.0 == at => last.1 = last.1.max(b.liquidations()),
            _ => bars.push((at, b.liquidations())),
        }
    }
    chart.draw_series(
        bars.iter()
            .map(|&(at, n)| Rectangle::new([(at, 0.0), (at + bucket, f64::from(n))], BARS.filled())),
    )?;
    let note = TextStyle::from((FONT, 14)).color(&BLACK);
    if let Some(cap) = cap {
        let y = cap as f64;
        chart.draw_series(DashedLineSeries::new(
            [(view.from, y), (view.to.saturating_add(1), y)],
            6,
            4,
            CAP.stroke_width(2),
        ))?;
        chart.draw_series(std::iter::once(
            EmptyElement::at((view.from, y))
                + Text::new(
                    format!(
                        "block gas cap: {} a block ({} gas / {} a liquidation)",
                        count(cap),
                        num(scenario.block_gas, 0),
                        scenario
                            .liquidators
                            .iter()
                            .map(|(_, l)| l.gas_per_liquidation())
                            .filter(|g| g.is_positive())
                            .min()
                            .map_or_else(String::new, |g| num(g, 0))
                    ),
                    (6, -4),
                    note.clone().pos(Pos::new(HPos::Left, VPos::Bottom)),
                ),
        ))?;
    }
    if peak == 0 {
        let text = if scenario.liquidators.is_empty() {
            "no liquidations: the scenario has no liquidators"
        } else {
            "no liquidations in these blocks"
        };
        centre_note(&mut chart, view, top, text)?;
    }
    if at_rest {
        equilibrium_line(&mut chart, r.equilibrium_block, 0.0, top)?;
    }
    Ok(())
}

/// Cumulative bad debt written off, and the insolvency at the equilibrium (bad debt plus the
/// debt still under water there).
fn losses(run: &RunOutcome, view: &View, area: &Area<'_>) -> Result<(), Failure> {
    let r = &run.report;
    let rest = !matches!(r.stop, Stop::BlockLimit | Stop::Interrupted);
    let at = if rest { r.equilibrium_block } else { r.blocks };
    let marked = (view.from..=view.to).contains(&at) && r.insolvency.is_positive();
    let mut items = vec![(Swatch::Line(BAD, 2), String::from("cumulative bad debt written off"))];
    if marked {
        items.push((
            Swatch::Dot(INSOLVENCY),
            format!(
                "insolvency at {} (bad debt + unrealised)",
                if rest { "the equilibrium" } else { "the last block" }
            ),
        ));
    }
    if equilibrium_shown(run, view) {
        items.push((Swatch::Line(MARK, 2), String::from("equilibrium")));
    }
    let area = with_legend(area, &items)?;
    let mut cumulative = Wad::ZERO;
    let mut series: Vec<(u64, f64)> = vec![(view.from, 0.0)];
    for b in &run.records {
        cumulative = cumulative.add(b.bad_debt().unwrap_or(Wad::ZERO)).unwrap_or(cumulative);
        if b.block >= view.from && b.block <= view.to {
            series.push((b.block, f(cumulative)));
        }
    }
    let top = series.iter().map(|p| p.1).fold(f(r.insolvency), f64::max).max(1.0) * 1.2;
    let decimals = if top >= 20.0 { 0 } else { 2 };
    let mut chart = block_panel(&area, view, 0.0..top, "unit of account (debt)", 6, decimals)?;
    chart.draw_series(AreaSeries::new(thin(series), 0.0, BAD.mix(0.2)).border_style(BAD.stroke_width(2)))?;
    if cumulative.is_zero() {
        centre_note(&mut chart, view, top, "no bad debt written off")?;
    }
    if equilibrium_shown(run, view) {
        equilibrium_line(&mut chart, r.equilibrium_block, 0.0, top)?;
    }
    if marked {
        let bad_then = f(r.bad_debt);
        let insolvency = f(r.insolvency);
        chart.draw_series(LineSeries::new(
            [(at, bad_then), (at, insolvency)],
            INSOLVENCY.stroke_width(3),
        ))?;
        let right = at.saturating_sub(view.from) < (view.to.saturating_sub(view.from)) * 6 / 10;
        let (dx, pos) = if right { (10, HPos::Left) } else { (-10, HPos::Right) };
        chart.draw_series(std::iter::once(
            EmptyElement::at((at, insolvency))
                + Circle::new((0, 0), 6, INSOLVENCY.filled())
                + Text::new(
                    format!(
                        "insolvency {} = bad debt {} + unrealised {}",
                        num(r.insolvency, 0),
                        num(r.bad_debt, 0),
                        num(r.unrealised, 0)
                    ),
                    (dx, -4),
                    TextStyle::from((FONT, 14))
                        .color(&BLACK)
                        .pos(Pos::new(pos, VPos::Bottom)),
                ),
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thinning_keeps_every_low_and_high() {
        let points: Vec<(u64, f64)> = (0..10_000u64).map(|i| (i, (i % 97) as f64)).collect();
        let mut spiky = points.clone();
        if let Some(p) = spiky.get_mut(4_321) {
            p.1 = -50.0;
        }
        let thinned = thin(spiky);
        assert!(thinned.len() <= MAX_POINTS + 2, "{}", thinned.len());
        assert!(thinned.contains(&(4_321, -50.0)), "the low survives");
        assert!(
            thinned.windows(2).all(|w| matches!(w, [a, b] if a.0 <= b.0)),
            "in order"
        );
        let short: Vec<(u64, f64)> = points.iter().copied().take(100).collect();
        assert_eq!(thin(short.clone()), short);
    }

    #[test]
    fn the_gas_cap_is_the_block_gas_over_the_cheapest_liquidation() {
        let value: serde_json::Value = serde_json::from_str(crate::run::DEFAULT).unwrap_or_default();
        let Some(map) = value.as_object() else {
            unreachable!("the default scenario is an object")
        };
        let Ok(mut scenario) = lce::eval::scenario::read_scenario(map) else {
            unreachable!("the default scenario reads")
        };
        // 15,000,000 gas / 400,000 a liquidation.
        assert_eq!(gas_cap(&scenario), Some(37));
        scenario.block_gas = Wad::ZERO;
        assert_eq!(gas_cap(&scenario), None, "no block gas limit");
        scenario.block_gas = Wad::from_i64(15_000_000);
        scenario.liquidators.clear();
        assert_eq!(gas_cap(&scenario), None, "no liquidators");
    }

    #[test]
    fn a_quiet_tail_is_cut_and_said() {
        let records: Vec<BlockRecord> = (1..=500u64)
            .map(|block| {
                let mut r = BlockRecord {
                    block,
                    fundamental: Wad::ONE,
                    market: Wad::ONE,
                    ..BlockRecord::default()
                };
                let venue = lce::cascade::VenueBlock {
                    liquidations: u32::from((10..=30).contains(&block)),
                    ..Default::default()
                };
                let _ = r.venues.push(venue);
                r
            })
            .collect();
        let mut report = lce::cascade::Report::opening(Wad::ONE, Wad::ONE, heapless::Vec::new());
        report.stop = Stop::Exhausted;
        report.blocks = 500;
        report.equilibrium_block = 32;
        report.recovery = Some(lce::cascade::Recovery {
            blocks: Some(468),
            ..Default::default()
        });
        let mut run = RunOutcome {
            report,
            records,
            liquidators: Vec::new(),
            totals: Vec::new(),
            ledgers: Vec::new(),
            interrupted: false,
        };
        let v = view(&run);
        // From the start (the quiet head is short) to 10 blocks past the equilibrium.
        assert_eq!((v.from, v.to), (0, 42));
        assert_eq!(
            v.cut.as_deref(),
            Some("recovery continues to block 500 (market 1.00) →")
        );
        // Events up to the end: nothing is cut.
        if let Some(last) = run.records.last_mut().and_then(|r| r.venues.get_mut(0)) {
            last.liquidations = 1;
        }
        let v = view(&run);
        assert_eq!((v.from, v.to, v.cut), (0, 500, None));
    }
}
