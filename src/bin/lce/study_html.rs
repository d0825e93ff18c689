//! `lce study --html`: one self-contained page (inline SVG and CSS, no script, nothing
//! fetched), the report a risk committee reads: the question, the answer, the tables, the
//! charts, and a few sample paths block by block.

// Counts and indices of a few cells and rows, for display only.
#![allow(clippy::arithmetic_side_effects)]

use std::fmt::Write as _;

use lce::Wad;
use lce::cascade::BlockRecord;
use lce::study::{CellResult, Outcome, STATISTICS, Study};

use crate::study_chart::{fan_cells, figures};
use crate::study_text::{
    cell_label, cell_rows, cells_head, difference_head, difference_rows, money, show, solve_sentence, stops,
};
use crate::text::{count, num, pct};

/// `s` with `&`, `<`, `>` and `"` escaped.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const STYLE: &str = "
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:0 auto;max-width:1160px;padding:24px 28px 60px;color:#1d2330;line-height:1.45}
h1{font-size:1.7em;margin:0 0 .2em}h2{font-size:1.25em;margin:1.8em 0 .5em;border-bottom:1px solid #d9dee8;padding-bottom:.2em}
h3{font-size:1.05em;margin:1.2em 0 .4em}.lede{font-size:1.05em;color:#3a4252;max-width:70em}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1.2em;margin:.6em 0}dt{color:#5a6272}dd{margin:0}
table{border-collapse:collapse;margin:.5em 0 1em;font-size:.9em}th,td{padding:.28em .7em;text-align:right;border-bottom:1px solid #e6e9ef;white-space:nowrap}
th{background:#f3f5f9;font-weight:600}td:first-child,th:first-child{text-align:left}tr.eq td{background:#e3f4f4;font-weight:600}
.answer{background:#f6f8fc;border-left:4px solid #1d5ac8;padding:.6em 1em;margin:.8em 0}.answer p{margin:.35em 0}
figure{margin:1em 0 2em}figcaption{font-size:.9em;color:#3a4252;margin:.3em 0 .5em}svg{max-width:100%;height:auto}
details{margin:.6em 0}summary{cursor:pointer;font-weight:600}.note{font-size:.85em;color:#5a6272}.scroll{overflow-x:auto}
";

/// A table from a head and rows (cells escaped).
fn table(head: &[String], rows: &[Vec<String>], marked: Option<usize>) -> String {
    let mut out = String::from("<div class=\"scroll\"><table><thead><tr>");
    for h in head {
        let _ = write!(out, "<th>{}</th>", esc(h));
    }
    out.push_str("</tr></thead><tbody>");
    for (i, r) in rows.iter().enumerate() {
        out.push_str(if marked == Some(i) { "<tr class=\"eq\">" } else { "<tr>" });
        for c in r {
            let _ = write!(out, "<td>{}</td>", esc(c));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");
    out
}

/// The headline sentences: each variant against the base, and the solve.
fn answers(study: &Study, outcome: &Outcome) -> Vec<String> {
    let mut out = Vec::new();
    let group = study.variants.len() + 1;
    for (i, cell) in outcome.cells.iter().enumerate() {
        let Some(d) = cell.difference("insolvency") else {
            continue;
        };
        let base = outcome.cells.get(i - i % group);
        let (Some(b), Some(v)) = (base.and_then(|b| b.stats("insolvency")), cell.stats("insolvency")) else {
            continue;
        };
        out.push(format!(
            "{}: mean insolvency {} against {} for the base (paired difference {}, worse on {} of paths); \
             p95 {} against {}; es99 (the mean of the worst 1 %) {} against {}; max {} against {}.",
            cell_label(study, i),
            money(v.mean),
            money(b.mean),
            money(d.mean),
            pct(d.share_positive),
            money(v.p95),
            money(b.p95),
            money(v.es99),
            money(b.es99),
            money(v.max),
            money(b.max)
        ));
    }
    if study.variants.is_empty()
        && let Some(first) = study.vary.first()
    {
        // One line along the first axis for each value of the second (or just one).
        let inner = study.vary.get(1).map_or(1, |a| a.values.len());
        let n = first.values.len();
        for j in 0..inner {
            let (Some(a), Some(z)) = (outcome.cells.get(j), outcome.cells.get((n - 1) * inner + j)) else {
                continue;
            };
            let at = study
                .vary
                .get(1)
                .and_then(|b| b.values.get(j).map(|v| format!(" with {} = {}", b.field, show(*v))))
                .unwrap_or_default();
            let mean = |c: &CellResult, m: &str, f: &dyn Fn(Wad) -> String| {
                c.stats(m).map_or_else(|| String::from("-"), |s| f(s.mean))
            };
            out.push(format!(
                "Over {} from {} to {}{at}: mean insolvency {} → {} (p95 {} → {}), the equilibrium price {} → {}, \
                     the most liquidations in a block {} → {}.",
                first.field,
                first.values.first().map(|v| show(*v)).unwrap_or_default(),
                first.values.last().map(|v| show(*v)).unwrap_or_default(),
                mean(a, "insolvency", &money),
                mean(z, "insolvency", &money),
                a.stats("insolvency")
                    .map_or_else(|| String::from("-"), |s| money(s.p95)),
                z.stats("insolvency")
                    .map_or_else(|| String::from("-"), |s| money(s.p95)),
                mean(a, "equilibrium_price", &|w| num(w, 2)),
                mean(z, "equilibrium_price", &|w| num(w, 2)),
                mean(a, "peak_liquidations", &|w| num(w, 1)),
                mean(z, "peak_liquidations", &|w| num(w, 1)),
            ));
        }
    }
    if let Some(s) = &outcome.solve {
        out.push(solve_sentence(study, s));
    }
    if out.is_empty()
        && let Some(s) = outcome.cells.first().and_then(|c| c.stats("insolvency"))
    {
        out.push(format!(
            "Mean insolvency {}; p95 {}; es99 {}; insolvent on {} of paths.",
            money(s.mean),
            money(s.p95),
            money(s.es99),
            pct(s.share_positive)
        ));
    }
    out
}

/// Every metric's statistics for one cell.
fn metrics_table(cell: &CellResult) -> String {
    let mut head = vec![String::from("metric"), String::from("paths")];
    head.extend(STATISTICS.iter().map(|s| (*s).to_string()));
    let rows: Vec<Vec<String>> = cell
        .metrics
        .iter()
        .map(|(name, s)| {
            let mut r = vec![name.clone()];
            match s {
                Some(s) => {
                    r.push(count(s.n));
                    for st in STATISTICS {
                        let v = s.get(st).unwrap_or(Wad::ZERO);
                        r.push(if *st == "share_positive" { pct(v) } else { num(v, 2) });
                    }
                }
                None => r.extend(std::iter::repeat_n(String::from("-"), STATISTICS.len() + 1)),
            }
            r
        })
        .collect();
    table(&head, &rows, None)
}

/// The blocks of a sample path worth a row: up to the equilibrium, every block with a
/// liquidation or bad debt, every tenth, the first and the equilibrium; then the end.
fn sample_rows(records: &[BlockRecord], equilibrium: u64) -> (Vec<Vec<String>>, Option<usize>) {
    let mut rows = Vec::new();
    let mut marked = None;
    let mut last_shown = 0u64;
    for (i, r) in records.iter().enumerate() {
        let eventful = r.liquidations() > 0 || r.bad_debt().is_ok_and(|b| b.is_positive());
        let keep = i == 0
            || r.block == equilibrium
            || i + 1 == records.len()
            || (r.block <= equilibrium && (eventful || r.block % 10 == 0));
        if !keep || rows.len() >= 80 {
            continue;
        }
        if r.block > last_shown + 1 && !rows.is_empty() {
            rows.push(vec![String::from("…"); 8]);
        }
        last_shown = r.block;
        if r.block == equilibrium {
            marked = Some(rows.len());
        }
        let oracle = r
            .venues
            .first()
            .and_then(|v| v.oracle)
            .map_or_else(|| String::from("-"), |o| num(o, 2));
        let liquidatable: u64 = r.venues.iter().map(|v| u64::from(v.liquidatable)).sum();
        rows.push(vec![
            count(r.block),
            num(r.fundamental, 2),
            num(r.market, 2),
            oracle,
            count(u64::from(r.liquidations())),
            money(r.bad_debt().unwrap_or(Wad::ZERO)),
            count(liquidatable),
            money(r.liquidator_profit),
        ]);
    }
    (rows, marked)
}

/// The page.
pub fn page(study: &Study, outcome: &Outcome) -> Result<String, String> {
    let title = if study.name.is_empty() {
        study.base.name.clone()
    } else {
        study.name.clone()
    };
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>{STYLE}</style></head><body>",
        esc(&title)
    );
    let _ = write!(h, "<header><h1>{}</h1>", esc(&title));
    if !study.description.is_empty() {
        let _ = write!(h, "<p class=\"lede\">{}</p>", esc(&study.description));
    }
    h.push_str("</header>");

    // The study.
    h.push_str("<section id=\"study\"><h2>The study</h2><dl>");
    let _ = write!(
        h,
        "<dt>scenario</dt><dd><strong>{}</strong>: {}</dd>",
        esc(&study.base.name),
        esc(&study.base.description)
    );
    let accounts: usize = study.base.venues.iter().map(|v| v.accounts.len()).sum();
    let _ = write!(
        h,
        "<dt>venues</dt><dd>{}; {} accounts; {} liquidators</dd>",
        esc(&study
            .base
            .venues
            .iter()
            .map(|v| format!("{} ({})", v.name, v.kind()))
            .collect::<Vec<_>>()
            .join(", ")),
        count(accounts as u64),
        study.base.liquidators.len()
    );
    let _ = write!(
        h,
        "<dt>paths</dt><dd>{} per cell{}; path <em>i</em> of every cell runs with the seed <code>derive_seed({}, i)</code> (its population, behaviours and random price path): the same worlds in every cell</dd>",
        count(u64::from(outcome.paths)),
        if outcome.interrupted {
            " (interrupted: the paths finished in every cell)"
        } else {
            ""
        },
        study.base.seed
    );
    let _ = write!(h, "<dt>cells</dt><dd>{}</dd>", study.cells.len());
    for axis in &study.vary {
        let _ = write!(
            h,
            "<dt>varied</dt><dd><code>{}</code> over {}</dd>",
            esc(&axis.field.to_string()),
            esc(&axis.values.iter().map(|v| show(*v)).collect::<Vec<_>>().join(", "))
        );
    }
    for v in &study.variants {
        let patches: Vec<String> = v.patches.iter().map(|(f, val)| format!("{f} = {val}")).collect();
        let _ = write!(
            h,
            "<dt>variant</dt><dd><strong>{}</strong>: <code>{}</code></dd>",
            esc(&v.name),
            esc(&patches.join(", "))
        );
    }
    if let Some(s) = &study.solve {
        let _ = write!(
            h,
            "<dt>solve</dt><dd>where the {} of {} crosses {} for <code>{}</code> in [{}, {}], to within {}</dd>",
            s.statistic,
            esc(&s.metric),
            s.above,
            esc(&s.field.to_string()),
            show(s.lo),
            show(s.hi),
            show(s.tolerance)
        );
    }
    h.push_str("</dl></section>");

    // The answer.
    h.push_str("<section id=\"answer\"><h2>The answer</h2><div class=\"answer\">");
    for a in answers(study, outcome) {
        let _ = write!(h, "<p>{}</p>", esc(&a));
    }
    h.push_str("</div></section>");

    // Tables.
    h.push_str("<section id=\"tables\"><h2>Insolvency by cell</h2><p class=\"note\">Insolvency at the equilibrium: bad debt written off plus debt still under water there, per path.</p>");
    h.push_str(&table(&cells_head(), &cell_rows(study, outcome), None));
    let diffs = difference_rows(study, outcome);
    if !diffs.is_empty() {
        h.push_str("<h3>Paired differences of insolvency, variant − base on the same paths</h3>");
        h.push_str(&table(&difference_head(), &diffs, None));
    }
    h.push_str("<h3>By venue: insolvency and the loss waterfall (means per path)</h3>");
    let venue_metrics = lce::study::metrics::VENUE_METRICS;
    let mut head = vec![String::from("cell"), String::from("venue")];
    head.extend(venue_metrics.iter().map(|m| (*m).to_string()));
    let mut vrows: Vec<Vec<String>> = Vec::new();
    let per_venue = venue_metrics.len();
    for (i, c) in outcome.cells.iter().enumerate() {
        for (v, venue) in study.base.venues.iter().enumerate() {
            let mut r = vec![cell_label(study, i), venue.name.clone()];
            let from = lce::study::metrics::METRICS.len() + v * per_venue;
            for name in study.metrics.iter().skip(from).take(per_venue) {
                r.push(c.stats(name).map_or_else(|| String::from("-"), |s| money(s.mean)));
            }
            vrows.push(r);
        }
    }
    h.push_str(&table(&head, &vrows, None));
    h.push_str("<h3>Every metric, every statistic</h3>");
    for (i, c) in outcome.cells.iter().enumerate() {
        let _ = write!(
            h,
            "<details><summary>{} — stops: {}</summary>{}</details>",
            esc(&cell_label(study, i)),
            esc(&stops(c)),
            metrics_table(c)
        );
    }
    h.push_str("</section>");

    // Charts.
    h.push_str("<section id=\"charts\"><h2>Charts</h2>");
    for (caption, svg) in figures(study, outcome)? {
        let _ = write!(h, "<figure><figcaption>{}</figcaption>{svg}</figure>", esc(&caption));
    }
    h.push_str("</section>");

    // Sample paths.
    h.push_str("<section id=\"paths\"><h2>Sample paths, block by block</h2>");
    h.push_str("<p class=\"note\">Each is the path run again in full (the recovery included) from its seed: <code>lce run</code> of the cell's scenario with that seed gives the same figures. Shown for the first cells: the median of the insolvent paths and the worst. Rows: the first block, every tenth, every block with a liquidation or bad debt up to the equilibrium (highlighted), and the last.</p>");
    let m = study.metrics.iter().position(|n| n == "insolvency").unwrap_or(0);
    for c in fan_cells(study).into_iter().take(2) {
        let Some(cell) = outcome.cells.get(c) else { continue };
        let mut by: Vec<(Wad, u32)> = cell
            .paths
            .iter()
            .map(|p| (p.metrics.get(m).copied().flatten().unwrap_or(Wad::ZERO), p.path))
            .collect();
        by.sort();
        let insolvent: Vec<(Wad, u32)> = by.iter().copied().filter(|(w, _)| w.is_positive()).collect();
        let middle = if insolvent.is_empty() {
            by.get(by.len() / 2)
        } else {
            insolvent.get(insolvent.len() / 2)
        };
        let picks: Vec<(&str, (Wad, u32))> = [("median insolvent", middle.copied()), ("worst", by.last().copied())]
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k, v)))
            .collect();
        for (kind, (_, path)) in picks {
            let scenario = study.path_scenario(c, path).map_err(|e| e.to_string())?;
            let run = scenario
                .run(None, &mut |_| {})
                .map_err(|e| format!("{} `{}`", e.kind, e.what))?;
            let r = &run.report;
            let (rows, marked) = sample_rows(&run.records, r.equilibrium_block);
            let _ = write!(
                h,
                "<details{}><summary>{} — the {kind} path: path {path} (seed {}): equilibrium at block {}, {}, insolvency {}, {} liquidations, amplification {}</summary>",
                if kind == "worst" && c == 0 { " open" } else { "" },
                esc(&cell_label(study, c)),
                scenario.seed,
                count(r.equilibrium_block),
                r.stop.name(),
                money(r.insolvency),
                count(r.liquidations),
                r.amplification
                    .map_or_else(|| String::from("-"), |a| format!("{}x", num(a, 2)))
            );
            let head: Vec<String> = [
                "block",
                "fundamental",
                "market",
                "oracle (first venue)",
                "liquidations",
                "bad debt",
                "liquidatable",
                "liquidator profit",
            ]
            .map(String::from)
            .to_vec();
            h.push_str(&table(&head, &rows, marked));
            h.push_str("</details>");
        }
    }
    h.push_str("</section>");

    h.push_str("<footer><h2>How the figures are computed</h2><p class=\"note\">Each path runs to its equilibrium, the first block at rest. \
        Statistics over the n paths of a cell are exact on the 10<sup>−18</sup> grid: the mean rounded up; p50, p90, p95, p99 by nearest rank (the ⌈p·n⌉-th smallest); \
        es95 and es99 the mean of the ⌈0.05·n⌉ and ⌈0.01·n⌉ largest, rounded up (so with fewer than 100 paths es99 is the worst path, and with fewer than 20 es95 is too); max; the share of paths above zero, rounded up. \
        A variant's paired difference is taken path by path against the base at the same grid point. \
        Charts are drawn from the exact figures converted to floating point for pixels only.</p>");
    let _ = writeln!(
        h,
        "<p class=\"note\">lce {} · <code>lce study</code></p></footer></body></html>",
        env!("CARGO_PKG_VERSION")
    );
    Ok(h)
}
