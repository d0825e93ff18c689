//! Measures the wasm programs that `probes/wasm.sh` built: their size (raw, gzip -9, brotli
//! quality 11 with a 4 MiB window, as Stylus compresses a contract) and the fuel that the
//! metering interpreter wasmi charges for one call of each entry point (about one unit per
//! instruction of wasmi's register code; deterministic for a given program).
//!
//! Prints the Markdown tables of the README's "On-chain costs" and fails (exit 1) when
//! - a size limit is passed: health of a token account above 8 KiB raw, or a token
//!   liquidation (health + plan + apply) above 24 KiB brotli (Arbitrum Stylus's limit);
//! - a count rose more than 10 % above the one held in `costs.txt` (the message gives both).
//!
//! Usage: lce-wasm-meter DIR COSTS [--bless]   (DIR: the built `*.wasm`; COSTS: the held
//! counts; `--bless` writes the counts measured into COSTS instead of comparing), or
//! lce-wasm-meter --call FILE.wasm SETUP_ARG EXPORT...   (the fuel of each export, to explore).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use wasmi::{CompilationMode, Config, Engine, Instance, Linker, Module, Store};

/// Health of a token account, raw bytes.
const HEALTH_LIMIT: usize = 8 * 1024;
/// A token liquidation (health, plan, apply), brotli bytes: Stylus's 24 KB.
const LIQUIDATION_LIMIT: usize = 24 * 1024;
/// How much a held count may rise.
const TOLERANCE_PERCENT: u64 = 10;

/// The programs, in table order: (file stem, what it links).
const PROGRAMS: &[(&str, &str)] = &[
    (
        "setup",
        "the set-up glue alone: 16 validated token parameters, prices, an account",
    ),
    ("health", "health of a token account (`Context` without options)"),
    (
        "liquidation",
        "health + plan + apply of a token liquidation (without options)",
    ),
    (
        "health-options",
        "health through a context with option series (`OptionContext`)",
    ),
    (
        "decide",
        "the liquidator's decision, selling into a constant-product pool",
    ),
    ("exp", "`Wad::exp`"),
    ("ln", "`Wad::ln`"),
    ("norm-cdf", "`Wad::norm_cdf`"),
    ("black-scholes", "a Black-Scholes price (`options::price`)"),
    (
        "i80f48-health",
        "baseline: health in `fixed::I80F48` (Mango v4's formula)",
    ),
    ("i80f48-liquidation", "baseline: health + plan + apply in `I80F48`"),
];

/// A metered call: (row, lce program, setup argument, lce export, I80F48 program and export).
type Call = (
    &'static str,
    &'static str,
    u32,
    &'static str,
    Option<(&'static str, &'static str)>,
);

const CALLS: &[Call] = &[
    (
        "health, 1 position",
        "health",
        1,
        "lce_health",
        Some(("i80f48-health", "i80f48_health")),
    ),
    (
        "health, 4 positions",
        "health",
        4,
        "lce_health",
        Some(("i80f48-health", "i80f48_health")),
    ),
    (
        "health, 16 positions",
        "health",
        16,
        "lce_health",
        Some(("i80f48-health", "i80f48_health")),
    ),
    (
        "health, 16 positions, `OptionContext`",
        "health-options",
        16,
        "lce_health_options",
        None,
    ),
    (
        "plan a token liquidation, 4 positions",
        "liquidation",
        4,
        "lce_plan",
        Some(("i80f48-liquidation", "i80f48_plan")),
    ),
    (
        "plan and apply it",
        "liquidation",
        4,
        "lce_apply",
        Some(("i80f48-liquidation", "i80f48_apply")),
    ),
    ("the liquidator's decision", "decide", 0, "lce_decide", None),
    ("`exp(1.234)`", "exp", 1234, "lce_exp", None),
    ("`ln(2.5)`", "ln", 2500, "lce_ln", None),
    ("`norm_cdf(0.7)`", "norm-cdf", 700, "lce_norm_cdf", None),
    (
        "Black-Scholes call (S 100, K 110, σ 0.6, t 0.25, r 0.05)",
        "black-scholes",
        0,
        "lce_black_scholes",
        None,
    ),
];

fn gzip(bytes: &[u8]) -> usize {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(bytes).expect("gzip");
    e.finish().expect("gzip").len()
}

fn brotli(bytes: &[u8]) -> usize {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        w.write_all(bytes).expect("brotli");
    }
    out.len()
}

fn kib(n: usize) -> String {
    format!("{:.1} KiB", n as f64 / 1024.0)
}

struct Meter {
    engine: Engine,
    modules: BTreeMap<String, Module>,
}

impl Meter {
    fn new() -> Self {
        let mut config = Config::default();
        config.consume_fuel(true);
        // Translation up front, so that no translation fuel falls on a call.
        config.compilation_mode(CompilationMode::Eager);
        Self {
            engine: Engine::new(&config),
            modules: BTreeMap::new(),
        }
    }

    fn load(&mut self, name: &str, bytes: &[u8]) -> Result<(), String> {
        let module = Module::new(&self.engine, bytes).map_err(|e| format!("{name}.wasm: {e}"))?;
        self.modules.insert(name.to_string(), module);
        Ok(())
    }

    /// The fuel of one call of `export` after `<prefix>_setup(arg)`, on a fresh instance;
    /// measured twice, and both must agree.
    fn fuel(&self, program: &str, arg: u32, export: &str) -> Result<u64, String> {
        let module = self
            .modules
            .get(program)
            .ok_or(format!("{program}.wasm was not built"))?;
        let setup = if export.starts_with("i80f48") {
            "i80f48_setup"
        } else {
            "lce_setup"
        };
        let mut figures = [0u64; 2];
        for f in &mut figures {
            let mut store = Store::new(&self.engine, ());
            store.set_fuel(u64::MAX / 2).map_err(|e| e.to_string())?;
            let instance: Instance = Linker::<()>::new(&self.engine)
                .instantiate_and_start(&mut store, module)
                .map_err(|e| format!("{program}: {e}"))?;
            let set = instance
                .get_typed_func::<u32, i32>(&store, setup)
                .map_err(|e| format!("{program}: {setup}: {e}"))?;
            if set
                .call(&mut store, arg)
                .map_err(|e| format!("{program}: {setup}: {e}"))?
                != 0
            {
                return Err(format!("{program}: {setup}({arg}) failed"));
            }
            let call = instance
                .get_typed_func::<(), i64>(&store, export)
                .map_err(|e| format!("{program}: {export}: {e}"))?;
            let before = store.get_fuel().map_err(|e| e.to_string())?;
            let out = call
                .call(&mut store, ())
                .map_err(|e| format!("{program}: {export}: {e}"))?;
            if out == -1 {
                return Err(format!("{program}: {export} returned an error"));
            }
            *f = before - store.get_fuel().map_err(|e| e.to_string())?;
        }
        if figures[0] != figures[1] {
            return Err(format!(
                "{program}: {export}: two calls cost {} and {}",
                figures[0], figures[1]
            ));
        }
        Ok(figures[0])
    }
}

fn read_costs(path: &Path) -> BTreeMap<String, u64> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let (value, key) = l.trim().split_once(' ')?;
            Some((key.trim().to_string(), value.parse().ok()?))
        })
        .collect()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, file, arg, exports @ ..] = &args[..] {
        if flag == "--call" {
            // Development: the fuel of each export of one program after `*_setup(arg)`.
            let mut meter = Meter::new();
            let bytes = std::fs::read(file).expect("the program");
            meter.load("program", &bytes).expect("a module");
            for export in exports {
                match meter.fuel("program", arg.parse().expect("a setup argument"), export) {
                    Ok(fuel) => println!("{export}: {fuel}"),
                    Err(e) => println!("{export}: {e}"),
                }
            }
            return ExitCode::SUCCESS;
        }
    }
    let (Some(dir), Some(costs)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: lce-wasm-meter DIR COSTS [--bless]");
        return ExitCode::from(2);
    };
    let bless = args.iter().any(|a| a == "--bless");
    let dir = PathBuf::from(dir);
    let mut failures = Vec::new();
    let mut meter = Meter::new();
    let mut report = String::new();

    let _ = writeln!(
        report,
        "### Size (wasm32-unknown-unknown, opt-level \"z\", fat LTO, panic = \"abort\", 1 codegen unit, stripped)\n"
    );
    let _ = writeln!(report, "| program | links | bytes | gzip -9 | brotli 11 |");
    let _ = writeln!(report, "|---|---|---:|---:|---:|");
    for &(name, what) in PROGRAMS {
        let path = dir.join(format!("{name}.wasm"));
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                failures.push(format!("{}: {e}", path.display()));
                continue;
            }
        };
        let (raw, gz, br) = (bytes.len(), gzip(&bytes), brotli(&bytes));
        let _ = writeln!(report, "| `{name}` | {what} | {raw} ({}) | {gz} | {br} |", kib(raw));
        if name == "health" && raw > HEALTH_LIMIT {
            failures.push(format!("health.wasm is {raw} bytes, above the limit of {HEALTH_LIMIT}"));
        }
        if name == "liquidation" && br > LIQUIDATION_LIMIT {
            failures.push(format!(
                "liquidation.wasm is {br} bytes brotli-compressed, above Stylus's {LIQUIDATION_LIMIT}"
            ));
        }
        if let Err(e) = meter.load(name, &bytes) {
            failures.push(e);
        }
    }

    let held = read_costs(Path::new(costs));
    let mut measured = BTreeMap::new();
    let _ = writeln!(report, "\n### Metered cost (wasmi fuel per call)\n");
    let _ = writeln!(report, "| call | lce | I80F48 | lce / I80F48 |");
    let _ = writeln!(report, "|---|---:|---:|---:|");
    for &(row, program, arg, export, baseline) in CALLS {
        let mut cells = Vec::new();
        let mut figures = Vec::new();
        for (program, export) in [Some((program, export)), baseline].into_iter().flatten() {
            let key = format!("{program} {export} {arg}");
            match meter.fuel(program, arg, export) {
                Ok(fuel) => {
                    if let Some(&was) = held.get(&key) {
                        if !bless && fuel * 100 > was * (100 + TOLERANCE_PERCENT) {
                            failures.push(format!(
                                "{row} ({key}): {fuel} fuel, more than {TOLERANCE_PERCENT} % above the {was} held in costs.txt"
                            ));
                        }
                    } else if !bless {
                        failures.push(format!("{row} ({key}): {fuel} fuel, but costs.txt holds no figure"));
                    }
                    measured.insert(key, fuel);
                    cells.push(fuel.to_string());
                    figures.push(fuel);
                }
                Err(e) => {
                    failures.push(e);
                    cells.push("error".to_string());
                }
            }
        }
        let ratio = match figures[..] {
            [a, b] if b > 0 => format!("{:.2}", a as f64 / b as f64),
            _ => "—".to_string(),
        };
        let i80 = cells.get(1).cloned().unwrap_or_else(|| "—".to_string());
        let lce = cells.first().cloned().unwrap_or_default();
        let _ = writeln!(report, "| {row} | {lce} | {i80} | {ratio} |");
    }
    print!("{report}");

    if bless {
        let mut text = String::from(
            "# wasmi fuel of one call, held by probes/wasm.sh (a rise above 10 % fails CI).\n\
             # Rewrite with: probes/wasm.sh --bless\n# fuel  program export setup-argument\n",
        );
        for (key, fuel) in &measured {
            let _ = writeln!(text, "{fuel} {key}");
        }
        if let Err(e) = std::fs::write(costs, text) {
            failures.push(format!("{costs}: {e}"));
        } else {
            println!("\n(wrote {costs})");
        }
    }
    if failures.is_empty() {
        println!(
            "\nwasm: OK (limits: health {HEALTH_LIMIT} bytes, liquidation {LIQUIDATION_LIMIT} bytes brotli; counts within {TOLERANCE_PERCENT} % of costs.txt)"
        );
        ExitCode::SUCCESS
    } else {
        for f in &failures {
            eprintln!("wasm: FAILED: {f}");
        }
        ExitCode::FAILURE
    }
}
