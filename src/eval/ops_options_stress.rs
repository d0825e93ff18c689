//! The ops `vega_shock` (a book of short-option accounts under a joint spot and volatility
//! shock) and `option_pool` (an AMM options pool: sales at a marked-up Black-Scholes price,
//! then the providers' equity under a shock). The wire spec is `vectors/options/stress.md`.

use std::string::String;
use std::vec::Vec;

use serde_json::{Map, Value};

use super::args::{Fields, wad_value};
use super::ops_option_margin::{METHODS, Method};
use super::ops_options::OPTION_KINDS;
use super::spec::{Field, Spec};
use super::{OpError, Output};
use crate::Wad;
use crate::options::{
    AccountStress, BsInputs, BsInputsRaw, GridMarket, MarginMethod, OptionAccount, OptionKind, OptionPool,
    OptionPosition, PoolParams, PoolRaw, PoolWire, Shock, vega_shock,
};

/// The input keys of `vega_shock`.
pub(super) const VEGA_INPUTS: &[&str] = &["market", "spot_shock", "vol_shock", "method", "params", "accounts"];
/// The input keys of `option_pool`.
pub(super) const POOL_INPUTS: &[&str] = &["pool", "spot", "sales", "spot_shock", "vol_shock"];

/// `market`: `spot`, `vol`, `rate`, `yield` (default 0).
const MARKET: Spec<GridMarket> = Spec::new(&[
    Field::decimal("spot", |w| &mut w.spot),
    Field::decimal("vol", |w| &mut w.vol),
    Field::decimal("rate", |w| &mut w.rate),
    Field::opt_decimal("yield", |w| &mut w.yield_),
]);

/// The market before any field is read: every field 0.
const NO_MARKET: GridMarket = GridMarket {
    spot: Wad::ZERO,
    vol: Wad::ZERO,
    rate: Wad::ZERO,
    yield_: Wad::ZERO,
};

/// An account's `collateral` and `premium` (read and checked before its positions).
const ACCOUNT: Spec<(Wad, Wad)> = Spec::new(&[
    Field::decimal("collateral", |w| &mut w.0),
    Field::decimal("premium", |w| &mut w.1),
]);

/// An account's `positions`, each read, checked and added to the account in turn (given the
/// grid's horizon, which every position's `t` must exceed, under the grid method).
const POSITIONS: Spec<OptionAccount, Option<Wad>> = Spec::new(&[Field::with("positions", |f, k, account, horizon| {
    for p in f.objects(k)? {
        let position = held(&p)?;
        position.check().map_err(|e| p.kernel(e))?;
        if horizon.is_some_and(|horizon| horizon >= position.t) {
            return Err(OpError::invalid(
                "params.horizon",
                "must be shorter than every position's t",
            ));
        }
        account.push(position).map_err(|e| at(e, f.name(k)))?;
    }
    Ok(())
})]);

/// A position or a sale: `kind`, `strike`, `t`, `quantity` (read as written; the kernel checks
/// them where it takes them).
const POSITION: Spec<OptionPosition> = Spec::new(&[
    Field::with("kind", |f, k, w, _| f.choice(k, OPTION_KINDS).map(|v| w.kind = v)),
    Field::decimal("strike", |w| &mut w.strike),
    Field::decimal("t", |w| &mut w.t),
    Field::decimal("quantity", |w| &mut w.quantity),
]);

/// A position or a sale read by [`POSITION`].
fn held(f: &Fields<'_>) -> Result<OptionPosition, OpError> {
    let start = OptionPosition {
        kind: OptionKind::Call,
        strike: Wad::ZERO,
        t: Wad::ZERO,
        quantity: Wad::ZERO,
    };
    POSITION.read_with(f, start, &())
}

/// `pool`'s parameters (read and checked before its `liquidity`).
pub(super) const POOL: Spec<PoolWire> = Spec::new(&[
    Field::decimal("vol", |w| &mut w.vol),
    Field::decimal("markup", |w| &mut w.markup),
    Field::decimal("rate", |w| &mut w.rate),
    Field::opt_decimal("yield", |w| &mut w.yield_),
]);

/// `pool`'s `liquidity`.
const LIQUIDITY: Spec<Wad> = Spec::new(&[Field::decimal("liquidity", |w| w)]);

/// An `OpError` of the kernel's kind and why naming `path`.
fn at(e: crate::Error, path: String) -> OpError {
    OpError {
        kind: e.kind(),
        what: path,
        why: e.why().map(Into::into),
    }
}

/// The margin method and its `params` (as `option_margin`), and the grid's horizon.
fn method(root: &Fields<'_>) -> Result<(MarginMethod, Wad), OpError> {
    match root.choice("method", METHODS)? {
        Method::Standard => {
            let p = super::ops_option_margin::standard_params_of(root)?;
            Ok((MarginMethod::Standard(p), Wad::ZERO))
        }
        Method::Grid => {
            let (p, _) = super::ops_option_margin::grid_params(root)?;
            Ok((MarginMethod::Grid(p), p.raw().horizon))
        }
    }
}

/// `{market, spot_shock, vol_shock, method, [params], accounts}` → `{spot, vol, liquidatable,
/// shortfall, premium_absorbed, to_insurance, accounts: [{liability, equity, maintenance,
/// liquidatable, shortfall, premium_absorbed, to_insurance}]}`.
pub(super) fn run_vega_shock(input: &Map<String, Value>) -> Result<Output, OpError> {
    let root = Fields::root(input);
    let m = root.object("market")?;
    let market = MARKET.read_with(&m, NO_MARKET, &())?;
    BsInputs::new(BsInputsRaw {
        spot: market.spot,
        strike: Wad::ONE,
        vol: market.vol,
        t: Wad::ONE,
        rate: market.rate,
        yield_: market.yield_,
    })
    .map_err(|e| m.kernel(e))?;
    let shock = Shock {
        spot_shock: root.decimal("spot_shock")?,
        vol_shock: root.decimal("vol_shock")?,
    };
    shock.apply(&market).map_err(|e| root.kernel(e))?;
    let (method, horizon) = method(&root)?;
    let horizon = matches!(method, MarginMethod::Grid(_)).then_some(horizon);
    let mut accounts: Vec<OptionAccount> = Vec::new();
    for a in root.objects("accounts")? {
        a.strict_for(&[&ACCOUNT, &POSITIONS])?;
        let mut balances = (Wad::ZERO, Wad::ZERO);
        ACCOUNT.fill(&a, &mut balances, &())?;
        let mut account = OptionAccount::new(balances.0, balances.1).map_err(|e| a.kernel(e))?;
        POSITIONS.fill(&a, &mut account, &horizon)?;
        accounts.push(account);
    }
    let mut out = std::vec![AccountStress::default(); accounts.len()];
    let book = vega_shock(&market, &shock, &method, &accounts, &mut out)?;
    let mut rows = Vec::new();
    for s in &out {
        let mut row = Map::new();
        row.insert(String::from("liability"), wad_value(s.liability));
        row.insert(String::from("equity"), wad_value(s.equity));
        row.insert(String::from("maintenance"), wad_value(s.maintenance));
        row.insert(String::from("liquidatable"), Value::Bool(s.liquidatable));
        row.insert(String::from("shortfall"), wad_value(s.shortfall));
        row.insert(String::from("premium_absorbed"), wad_value(s.premium_absorbed));
        row.insert(String::from("to_insurance"), wad_value(s.to_insurance));
        rows.push(Value::Object(row));
    }
    let mut o = Map::new();
    o.insert(String::from("spot"), wad_value(book.spot));
    o.insert(String::from("vol"), wad_value(book.vol));
    o.insert(String::from("liquidatable"), Value::from(book.liquidatable));
    o.insert(String::from("shortfall"), wad_value(book.shortfall));
    o.insert(String::from("premium_absorbed"), wad_value(book.premium_absorbed));
    o.insert(String::from("to_insurance"), wad_value(book.to_insurance));
    o.insert(String::from("accounts"), Value::Array(rows));
    Ok(o)
}

/// `{pool, spot, sales, spot_shock, vol_shock}` → `{sales: [{utilisation, vol, unit_price,
/// premium}], premiums, notional, spot, vol, value, equity, solvent}`.
pub(super) fn run_option_pool(input: &Map<String, Value>) -> Result<Output, OpError> {
    let root = Fields::root(input);
    let f = root.object("pool")?;
    f.strict_for(&[&POOL, &LIQUIDITY])?;
    let raw: PoolRaw = POOL.part(&f)?;
    let params = PoolParams::new(raw).map_err(|e| f.kernel(e))?;
    let mut liquidity = Wad::ZERO;
    LIQUIDITY.fill(&f, &mut liquidity, &())?;
    let mut pool: OptionPool = OptionPool::new(params, liquidity).map_err(|e| f.kernel(e))?;
    let spot = root.decimal("spot")?;
    let shock = Shock {
        spot_shock: root.decimal("spot_shock")?,
        vol_shock: root.decimal("vol_shock")?,
    };
    // The shocked market is checked before any sale, so its errors do not depend on the sales.
    let market = GridMarket {
        spot,
        vol: raw.vol,
        rate: raw.rate,
        yield_: raw.yield_,
    };
    BsInputs::new(BsInputsRaw {
        spot,
        strike: Wad::ONE,
        vol: raw.vol,
        t: Wad::ONE,
        rate: raw.rate,
        yield_: raw.yield_,
    })
    .map_err(|e| root.kernel(e))?;
    shock.apply(&market).map_err(|e| root.kernel(e))?;
    let mut sales = Vec::new();
    for s in root.objects("sales")? {
        let h = held(&s)?;
        let q = pool.sell_to_trader(spot, h).map_err(|e| match e {
            crate::Error::Capacity { .. } => at(e, root.name("sales")),
            other => s.kernel(other),
        })?;
        let mut row = Map::new();
        row.insert(String::from("utilisation"), wad_value(q.utilisation));
        row.insert(String::from("vol"), wad_value(q.vol));
        row.insert(String::from("unit_price"), wad_value(q.unit_price));
        row.insert(String::from("premium"), wad_value(q.premium));
        sales.push(Value::Object(row));
    }
    let st = pool.stress(spot, &shock).map_err(|e| root.kernel(e))?;
    let mut o = Map::new();
    o.insert(String::from("sales"), Value::Array(sales));
    o.insert(String::from("premiums"), wad_value(pool.premiums()));
    o.insert(String::from("notional"), wad_value(pool.notional()));
    o.insert(String::from("spot"), wad_value(st.spot));
    o.insert(String::from("vol"), wad_value(st.vol));
    o.insert(String::from("value"), wad_value(st.value));
    o.insert(String::from("equity"), wad_value(st.equity));
    o.insert(String::from("solvent"), Value::Bool(st.solvent));
    Ok(o)
}
