//! A link-time proof that lce's public kernel has no reachable panic.
//!
//! A `no_std`, `no_main` binary for a bare-metal target whose panic handler calls a function
//! that exists nowhere. Every public entry point of the kernel is called from an exported
//! `lce_probe_*` function with inputs the optimiser cannot see (`core::hint::black_box`), and
//! `_start` calls every probe through an opaque pointer so the linker keeps them all. If any
//! panic path (an `unwrap`, an index out of bounds, an arithmetic overflow check, a
//! `slice[a..b]`, an `unreachable!`) survives optimisation, the panic handler is reachable,
//! its call to the missing symbol is kept, and the link fails with
//! `undefined symbol: lce_nopanic_a_panic_path_survived`.
//!
//! Built by `probes/nopanic.sh`, which also checks that the proof can fail: with the feature
//! `deliberate-panic` (or `deliberate-index`) one more probe panics and the link must fail.
#![no_std]
#![no_main]

mod cascade;
mod input;
mod kernel;
mod liquidator;
mod market;
mod num;
mod options;
mod oracle;
mod paths;
mod risk;

use core::hint::black_box;
use core::panic::PanicInfo;

#[cfg(not(feature = "locate"))]
unsafe extern "C" {
    /// Defined nowhere: any call to it that survives optimisation fails the link.
    fn lce_nopanic_a_panic_path_survived() -> !;
}

#[cfg(not(feature = "locate"))]
#[panic_handler]
fn panic(_: &PanicInfo<'_>) -> ! {
    // SAFETY: never executed in a binary that links; its presence is what the test detects.
    unsafe { lce_nopanic_a_panic_path_survived() }
}

/// With `locate`, the handler is defined (it spins), so the binary links and the callers of
/// the panic machinery can be read off its disassembly (nopanic.sh does this on a failure).
#[cfg(feature = "locate")]
#[panic_handler]
fn panic(_: &PanicInfo<'_>) -> ! {
    loop {
        core::hint::spin_loop();
    }
}

/// A probe: an exported entry point taking an opaque seed.
type Probe = extern "C" fn(u64) -> u64;

/// Every probe, by name (nopanic.sh checks that each is in the linked binary).
const PROBES: &[Probe] = &[
    num::lce_probe_wad_text,
    num::lce_probe_wad_basic,
    num::lce_probe_wad_muldiv,
    num::lce_probe_exp,
    num::lce_probe_ln,
    num::lce_probe_sqrt,
    num::lce_probe_pow,
    num::lce_probe_normal,
    num::lce_probe_convert,
    risk::lce_probe_health,
    risk::lce_probe_liquidation_price,
    risk::lce_probe_token_liquidation,
    risk::lce_probe_perp_liquidation,
    risk::lce_probe_no_options,
    risk::lce_probe_bankruptcy,
    risk::lce_probe_liquidation_amounts,
    market::lce_probe_constant_product,
    market::lce_probe_order_book,
    market::lce_probe_linear,
    market::lce_probe_square_root,
    market::lce_probe_market,
    oracle::lce_probe_feed,
    oracle::lce_probe_guards,
    oracle::lce_probe_stable_price,
    liquidator::lce_probe_decide,
    options::lce_probe_bs,
    options::lce_probe_implied_vol,
    options::lce_probe_option_margin,
    options::lce_probe_vega_shock,
    options::lce_probe_option_pool,
    cascade::lce_probe_cascade,
    cascade::lce_probe_equilibrium,
    paths::lce_probe_margin,
    paths::lce_probe_rng,
    paths::lce_probe_paths,
    #[cfg(feature = "deliberate-panic")]
    deliberate::lce_probe_deliberate_panic,
    #[cfg(feature = "deliberate-index")]
    deliberate::lce_probe_deliberate_index,
];

/// The entry symbol: calls every probe through an opaque pointer, so that none is inlined
/// away or garbage-collected by the linker.
#[unsafe(no_mangle)]
pub extern "C" fn _start() -> ! {
    let mut acc = 0u64;
    for (i, probe) in PROBES.iter().enumerate() {
        let probe: Probe = black_box(*probe);
        acc ^= probe(black_box(i as u64));
    }
    black_box(acc);
    loop {
        core::hint::spin_loop();
    }
}

/// Probes that must make the link fail: the proof that the test can fail.
#[cfg(any(feature = "deliberate-panic", feature = "deliberate-index"))]
mod deliberate {
    use core::hint::black_box;

    /// An explicit `panic!` behind an opaque condition.
    #[cfg(feature = "deliberate-panic")]
    #[unsafe(no_mangle)]
    pub extern "C" fn lce_probe_deliberate_panic(seed: u64) -> u64 {
        if black_box(seed) == 7 {
            panic!("deliberate");
        }
        0
    }

    /// `[i]` indexing with an opaque index.
    #[cfg(feature = "deliberate-index")]
    #[unsafe(no_mangle)]
    pub extern "C" fn lce_probe_deliberate_index(seed: u64) -> u64 {
        let table = black_box([1u64, 2, 3, 4]);
        table[black_box(seed as usize)]
    }
}
