//! Entry points of `lce::margin`, `lce::rng` and `lce::shock`: dynamic margin and its
//! governor, EWMA volatility, size tiers; the generator and its samplers; shock paths and GARCH.

use lce::Result;
use lce::margin::{
    DynamicMarginParams, DynamicMarginRaw, Ewma, EwmaParams, EwmaParamsRaw, GovernorParams, GovernorParamsRaw,
    MarginGovernor, ewma_vol, size_scaled,
};
use lce::rng::Rng;
use lce::shock::{GarchParams, Path, garch_path};

use crate::input::{Src, sink};

fn opt(s: &mut Src) -> Option<lce::Wad> {
    if s.bool() { Some(s.wad()) } else { None }
}

fn margin(s: &mut Src) -> Result<u64> {
    let params = DynamicMarginParams::new(DynamicMarginRaw {
        base: s.wad(),
        k_vol: s.wad(),
        k_skew: s.wad(),
        horizon: s.wad(),
        floor: s.wad(),
        cap: s.wad(),
        init_spread: s.wad(),
    })?;
    let m = params.margin(s.wad(), s.wad())?;
    let governor = GovernorParams::new(GovernorParamsRaw {
        max_decrease: opt(s),
        buffer: s.wad(),
        stressed_sigma: opt(s),
    })?;
    let mut g = MarginGovernor::resume(params, governor, s.wad())?;
    let governed = g.update(s.wad(), s.wad())?;
    let sized = size_scaled(m.maintenance, m.initial, s.wad(), s.wad())?;
    let ewma = EwmaParams::new(EwmaParamsRaw {
        lambda: s.wad(),
        periods_per_year: s.u32(),
        seed_variance: opt(s),
    })?;
    let prices = [s.wad(), s.wad(), s.wad(), s.wad()];
    let vol = ewma_vol(&prices, ewma)?;
    let mut running = Ewma::new(ewma);
    for p in prices {
        running.observe(p)?;
    }
    Ok(sink((m, governed, sized, vol, running.vol()?)))
}

/// `DynamicMarginParams::new` / `margin`, `MarginGovernor::resume` / `update`, `size_scaled`,
/// `ewma_vol`, `Ewma::observe` / `vol`.
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_margin(seed: u64) -> u64 {
    sink(margin(&mut Src::new(seed)))
}

fn draws(s: &mut Src) -> Result<u64> {
    let mut rng = Rng::derive(s.u64(), s.u64());
    let lo = s.wad();
    Ok(sink((
        rng.below(s.u64())?,
        rng.unit(),
        rng.open_unit(),
        rng.range(lo, s.wad())?,
        rng.bernoulli(s.wad())?,
        rng.normal()?,
        rng.student_t(s.u32())?,
    )))
}

/// `Rng::derive` and every sampler.
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_rng(seed: u64) -> u64 {
    sink(draws(&mut Src::new(seed)))
}

fn path(s: &mut Src) -> Result<u64> {
    let linear = Path::new_linear(s.wad(), s.wad(), s.u64(), s.u64())?;
    let instant = Path::new_instant(s.wad(), s.wad(), s.u64())?;
    let list = [s.wad(), s.wad(), s.wad()];
    let listed = Path::new_listed(&list)?;
    let block = s.u64();
    let garch = GarchParams::new(s.wad(), s.wad(), s.wad(), s.wad(), s.u32())?.with_jumps(s.wad(), s.wad())?;
    let mut out = [lce::Wad::ZERO; 8];
    garch_path(&garch, &mut Rng::new(s.u64()), &mut out)?;
    Ok(sink((
        linear.price(block)?,
        linear.settles_at(),
        instant.price(block)?,
        listed.price(block)?,
        listed.settles_at(),
        out,
    )))
}

/// `Path::new_*`, `price`, `settles_at`, `GarchParams`, `garch_path`.
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_paths(seed: u64) -> u64 {
    sink(path(&mut Src::new(seed)))
}

fn vol_paths(s: &mut Src) -> Result<u64> {
    let list = [s.wad(), s.wad(), s.wad()];
    let paths = [
        lce::shock::VolPath::new_constant(s.wad())?,
        lce::shock::VolPath::new_linear(s.wad(), s.wad(), s.u64(), s.u64())?,
        lce::shock::VolPath::new_listed(&list)?,
        lce::shock::VolPath::new_skew(s.wad(), s.wad(), s.wad(), s.wad())?,
    ];
    let mut acc = 0u64;
    for p in &paths {
        acc ^= sink(p.vol(s.u64(), s.wad()));
    }
    Ok(acc)
}

/// `VolPath::new_*` and `vol`.
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_vol_paths(seed: u64) -> u64 {
    sink(vol_paths(&mut Src::new(seed)))
}
