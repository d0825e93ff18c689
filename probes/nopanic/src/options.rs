//! Entry points of `lce::options`: Black-Scholes-Merton price, greeks, the forward difference
//! of put-call parity, implied volatility.

use lce::Result;
use lce::options::{BsInputs, BsInputsRaw, OptionKind};

use crate::kernel::{bs_greeks, bs_price, forward_difference, implied_vol};

use crate::input::{Src, sink};

fn kind(s: &mut Src) -> OptionKind {
    if s.bool() { OptionKind::Call } else { OptionKind::Put }
}

fn bs(s: &mut Src) -> Result<u64> {
    let i = BsInputs::new(BsInputsRaw {
        spot: s.wad(),
        strike: s.wad(),
        vol: s.wad(),
        t: s.wad(),
        rate: s.wad(),
        yield_: s.wad(),
    })?;
    let k = kind(s);
    let g = bs_greeks(k, &i, s.rounding())?;
    Ok(sink((
        bs_price(k, &i, s.rounding())?,
        (g.delta, g.gamma, g.vega, g.theta, g.rho),
        forward_difference(&i, s.rounding())?,
        i.with_vol(s.wad())?.vol(),
        k.as_str(),
    )))
}

/// `BsInputs::new`, `price`, `greeks`, `forward_difference`, `with_vol`.
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_bs(seed: u64) -> u64 {
    sink(bs(&mut Src::new(seed)))
}

fn iv(s: &mut Src) -> Result<u64> {
    Ok(sink(implied_vol(
        kind(s),
        s.wad(),
        s.wad(),
        s.wad(),
        s.wad(),
        s.wad(),
        s.wad(),
    )?))
}

/// `implied_vol`.
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_implied_vol(seed: u64) -> u64 {
    sink(iv(&mut Src::new(seed)))
}

fn option_margins(s: &mut Src) -> Result<u64> {
    use lce::options::{GridMarket, GridParams, GridPosition, GridRaw, StandardMarginParams, StandardMarginRaw};
    let standard = StandardMarginParams::new(StandardMarginRaw {
        im_base: s.wad(),
        im_floor: s.wad(),
        mm_base: s.wad(),
        mm_floor: s.wad(),
    })?;
    let i = BsInputs::new(BsInputsRaw {
        spot: s.wad(),
        strike: s.wad(),
        vol: s.wad(),
        t: s.wad(),
        rate: s.wad(),
        yield_: s.wad(),
    })?;
    let k = kind(s);
    let mark = if s.bool() { Some(s.wad()) } else { None };
    let m = crate::kernel::option_margin_standard(&standard, k, &i, s.wad(), mark)?;
    let grid = GridParams::new(GridRaw {
        price_scan: s.wad(),
        vol_scan: s.wad(),
        steps: s.u32(),
        extreme_multiple: s.u32(),
        extreme_fraction: s.wad(),
        horizon: s.wad(),
        short_minimum: s.wad(),
    })?;
    let market = GridMarket {
        spot: s.wad(),
        vol: s.wad(),
        rate: s.wad(),
        yield_: s.wad(),
    };
    let positions = [
        GridPosition {
            position: position(s),
            mark: None,
        },
        GridPosition {
            position: position(s),
            mark: Some(s.wad()),
        },
    ];
    let g = crate::kernel::option_margin_grid(&grid, &market, &positions)?;
    Ok(sink((m.initial, m.maintenance, g.requirement, g.worst)))
}

/// `StandardMarginParams::new` / `margin`, `GridParams::new` / `margin`.
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_option_margin(seed: u64) -> u64 {
    sink(option_margins(&mut Src::new(seed)))
}

/// An option position of arbitrary fields (unchecked).
fn position(s: &mut Src) -> lce::options::OptionPosition {
    lce::options::OptionPosition {
        kind: kind(s),
        strike: s.wad(),
        t: s.wad(),
        quantity: s.wad(),
    }
}

fn market(s: &mut Src) -> lce::options::GridMarket {
    lce::options::GridMarket {
        spot: s.wad(),
        vol: s.wad(),
        rate: s.wad(),
        yield_: s.wad(),
    }
}

fn shock(s: &mut Src) -> lce::options::Shock {
    lce::options::Shock {
        spot_shock: s.wad(),
        vol_shock: s.wad(),
    }
}

fn stress(s: &mut Src) -> Result<u64> {
    use lce::options::{
        AccountStress, GridParams, GridRaw, MAX_ACCOUNT_OPTIONS, MarginMethod, OptionAccount, OptionPosition,
        StandardMarginParams, StandardMarginRaw,
    };
    let method = if s.bool() {
        MarginMethod::Standard(StandardMarginParams::new(StandardMarginRaw {
            im_base: s.wad(),
            im_floor: s.wad(),
            mm_base: s.wad(),
            mm_floor: s.wad(),
        })?)
    } else {
        MarginMethod::Grid(GridParams::new(GridRaw {
            price_scan: s.wad(),
            vol_scan: s.wad(),
            steps: s.u32(),
            extreme_multiple: s.u32(),
            extreme_fraction: s.wad(),
            horizon: s.wad(),
            short_minimum: s.wad(),
        })?)
    };
    let mut a: OptionAccount = OptionAccount::new(s.wad(), s.wad())?;
    for _ in 0..MAX_ACCOUNT_OPTIONS {
        a.push(OptionPosition::new(kind(s), s.wad(), s.wad(), s.wad())?)?;
    }
    let accounts = [a.clone(), a];
    let mut out = [AccountStress::default(); 2];
    let m = market(s);
    let sh = shock(s);
    let b = crate::kernel::vega_shock(&m, &sh, &method, &accounts, &mut out)?;
    Ok(sink((b.shortfall, b.to_insurance, out)))
}

/// `vega_shock` (and `stress_account`, `Shock::apply`) on two 8-position accounts, standard or grid.
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_vega_shock(seed: u64) -> u64 {
    sink(stress(&mut Src::new(seed)))
}

fn pool(s: &mut Src) -> Result<u64> {
    use lce::options::{MAX_POOL_OPTIONS, OptionPool, PoolParams, PoolRaw};
    let params = PoolParams::new(PoolRaw {
        vol: s.wad(),
        markup: s.wad(),
        rate: s.wad(),
        yield_: s.wad(),
    })?;
    let mut p: OptionPool = OptionPool::new(params, s.wad())?;
    let spot = s.wad();
    for _ in 0..MAX_POOL_OPTIONS {
        crate::kernel::pool_sell(&mut p, spot, position(s))?;
    }
    let q = p.quote(spot, &position(s))?;
    let st = crate::kernel::pool_stress(&p, spot, &shock(s))?;
    Ok(sink((q.premium, st.equity, st.solvent, p.notional())))
}

/// `OptionPool::new`, `quote`, `sell_to_trader` (16 sales), `stress`.
#[unsafe(no_mangle)]
pub extern "C" fn lce_probe_option_pool(seed: u64) -> u64 {
    sink(pool(&mut Src::new(seed)))
}
