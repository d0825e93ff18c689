//! The ops `vega_shock` (a book of short-option accounts under a joint spot and volatility
//! shock) and `option_pool` (an AMM options pool: sales at a marked-up Black-Scholes price,
//! then the providers' equity under a shock). The wire spec is `vectors/options/stress.md`.

use std::string::String;
use std::vec::Vec;

use serde_json::{Map, Value};

use super::args::{Fields, wad_value};
use super::ops_options::kind;
use super::{OpError, Output};
use crate::Wad;
use crate::options::{
    AccountStress, BsInputs, BsInputsRaw, GridMarket, MarginMethod, OptionAccount, OptionPool, OptionPosition,
    PoolParams, PoolRaw, Shock, vega_shock,
};

/// The input keys of `vega_shock`.
pub(super) const VEGA_INPUTS: &[&str] = &["market", "spot_shock", "vol_shock", "method", "params", "accounts"];
/// The input keys of `option_pool`.
pub(super) const POOL_INPUTS: &[&str] = &["pool", "spot", "sales", "spot_shock", "vol_shock"];

/// The keys of `market`.
const MARKET: &[&str] = &["spot", "vol", "rate", "yield"];
/// The keys of an account.
const ACCOUNT: &[&str] = &["collateral", "premium", "positions"];
/// The keys of a position or a sale.
const POSITION: &[&str] = &["kind", "strike", "t", "quantity"];
/// The keys of `pool`.
const POOL: &[&str] = &["vol", "markup", "rate", "yield", "liquidity"];
/// An `OpError` of the kernel's kind naming `path`.
fn at(e: crate::Error, path: String) -> OpError {
    OpError {
        kind: e.kind(),
        what: path,
    }
}

/// The margin method and its `params` (as `option_margin`), and the grid's horizon.
fn method(root: &Fields<'_>) -> Result<(MarginMethod, Wad), OpError> {
    if root.choice("method", &["standard", "grid"])? == 0 {
        let p = super::ops_option_margin::standard_params(root, "params")?;
        return Ok((MarginMethod::Standard(p), Wad::ZERO));
    }
    let (p, _) = super::ops_option_margin::grid_params(root)?;
    Ok((MarginMethod::Grid(p), p.raw().horizon))
}

/// `{market, spot_shock, vol_shock, method, [params], accounts}` → `{spot, vol, liquidatable,
/// shortfall, premium_absorbed, to_insurance, accounts: [{liability, equity, maintenance,
/// liquidatable, shortfall, premium_absorbed, to_insurance}]}`.
pub(super) fn run_vega_shock(input: &Map<String, Value>) -> Result<Output, OpError> {
    let root = Fields::root(input);
    let m = root.object("market")?;
    m.strict(MARKET)?;
    let market = GridMarket {
        spot: m.decimal("spot")?,
        vol: m.decimal("vol")?,
        rate: m.decimal("rate")?,
        yield_: m.decimal_or("yield", Wad::ZERO)?,
    };
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
    let grid = matches!(method, MarginMethod::Grid(_));
    let mut accounts: Vec<OptionAccount> = Vec::new();
    for a in root.objects("accounts")? {
        a.strict(ACCOUNT)?;
        let mut account =
            OptionAccount::new(a.decimal("collateral")?, a.decimal("premium")?).map_err(|e| a.kernel(e))?;
        for p in a.objects("positions")? {
            p.strict(POSITION)?;
            let position =
                OptionPosition::new(kind(&p)?, p.decimal("strike")?, p.decimal("t")?, p.decimal("quantity")?)
                    .map_err(|e| p.kernel(e))?;
            if grid && horizon >= position.t {
                return Err(OpError::invalid("params.horizon"));
            }
            account.push(position).map_err(|e| at(e, a.name("positions")))?;
        }
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
    f.strict(POOL)?;
    let raw = PoolRaw {
        vol: f.decimal("vol")?,
        markup: f.decimal("markup")?,
        rate: f.decimal("rate")?,
        yield_: f.decimal_or("yield", Wad::ZERO)?,
    };
    let params = PoolParams::new(raw).map_err(|e| f.kernel(e))?;
    let mut pool: OptionPool = OptionPool::new(params, f.decimal("liquidity")?).map_err(|e| f.kernel(e))?;
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
        s.strict(POSITION)?;
        let q = pool
            .sell_to_trader(
                spot,
                OptionPosition {
                    kind: kind(&s)?,
                    strike: s.decimal("strike")?,
                    t: s.decimal("t")?,
                    quantity: s.decimal("quantity")?,
                },
            )
            .map_err(|e| match e {
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
