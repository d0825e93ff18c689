//! Property tests: the laws of the vega shock (`lce::options::vega_shock`) and of the options
//! pool (`lce::options::OptionPool`).
//!
//! Vega shock:
//! - for a book of short puts, a larger down-shock (a smaller spot multiplier `m`) never lowers
//!   the shortfall, per account nor in total (`S' = ⌊S·m⌋` is non-decreasing in `m`, a put's
//!   price falls as the spot rises, and every rounding is monotone);
//! - for a book of short options (calls and puts), more volatility never lowers the shortfall
//!   (every price rises with its volatility, `σ' = σ + Δσ` is exact);
//! - the premium layer never absorbs more than the premium: `premium_absorbed <= premium` per
//!   account and in total, and `premium_absorbed + to_insurance == shortfall`;
//! - the standard requirement counts the options' value once: for a book of shorts,
//!   `liability + maintenance` is Deribit's `Σ MM` (the full maintenance with the mark, from
//!   `StandardMarginParams::margin`) up to the roundings, `Σ MM <= liability + maintenance
//!   <= Σ MM + n·1e-18` for `n` positions, so `equity >= maintenance` is `collateral >= Σ MM`;
//! - the same inputs give the same outputs.
//!
//! Pool:
//! - the providers' equity never rises with more volatility (the pool is net short: every
//!   option it sold is worth more at a higher volatility);
//! - `equity == liquidity + premiums − value` and `solvent ⇔ equity >= 0`;
//! - the same inputs give the same outputs.

use lce::Wad;
use lce::options::{
    AccountStress, BsInputs, BsInputsRaw, GridMarket, MarginMethod, OptionAccount, OptionKind, OptionPool,
    OptionPosition, PoolParams, PoolRaw, Shock, StandardMarginParams, vega_shock,
};
use proptest::prelude::*;

fn wad(milli: i64) -> Wad {
    Wad::from_raw(i128::from(milli) * 1_000_000_000_000_000)
}

fn market(vol_milli: i64) -> GridMarket {
    GridMarket {
        spot: wad(100_000),
        vol: wad(vol_milli),
        rate: Wad::ZERO,
        yield_: Wad::ZERO,
    }
}

/// A short position: (call?, strike in milli, t in milli, |quantity| in milli).
type Pos = (bool, i64, i64, i64);
/// An account: (collateral, premium, positions), in milli.
type Acc = (i64, i64, Vec<Pos>);

fn position() -> impl Strategy<Value = Pos> {
    (any::<bool>(), 50_000i64..150_000, 20i64..2_000, 1i64..10_000)
}

fn account() -> impl Strategy<Value = Acc> {
    (0i64..200_000, 0i64..50_000, prop::collection::vec(position(), 0..3))
}

fn build(spec: &[Acc], puts_only: bool) -> Vec<OptionAccount> {
    spec.iter()
        .map(|(c, p, ps)| {
            let mut a = OptionAccount::new(wad(*c), wad(*p)).unwrap();
            for (call, k, t, q) in ps {
                let kind = if *call && !puts_only {
                    OptionKind::Call
                } else {
                    OptionKind::Put
                };
                a.push(OptionPosition::new(kind, wad(*k), wad(*t), wad(-q)).unwrap())
                    .unwrap();
            }
            a
        })
        .collect()
}

fn run(
    accounts: &[OptionAccount],
    vol_milli: i64,
    m_milli: i64,
    dv_milli: i64,
) -> (lce::options::BookStress, Vec<AccountStress>) {
    let mut out = vec![AccountStress::default(); accounts.len()];
    let shock = Shock {
        spot_shock: wad(m_milli),
        vol_shock: wad(dv_milli),
    };
    let method = MarginMethod::Standard(StandardMarginParams::default());
    let book = vega_shock(&market(vol_milli), &shock, &method, accounts, &mut out).unwrap();
    (book, out)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn down_shock_never_lowers_a_put_book_shortfall(
        spec in prop::collection::vec(account(), 1..3),
        vol in 100i64..1_500,
        m1 in 300i64..1_200,
        d in 0i64..300,
    ) {
        let accounts = build(&spec, true);
        let (a, out_a) = run(&accounts, vol, m1, 0);
        let (b, out_b) = run(&accounts, vol, m1 - d, 0);
        prop_assert!(b.shortfall >= a.shortfall);
        for (x, y) in out_a.iter().zip(&out_b) {
            prop_assert!(y.shortfall >= x.shortfall);
            prop_assert!(y.liability >= x.liability);
        }
    }

    #[test]
    fn more_volatility_never_lowers_a_short_book_shortfall(
        spec in prop::collection::vec(account(), 1..3),
        vol in 100i64..1_500,
        m in 500i64..1_500,
        dv in 0i64..1_000,
        extra in 0i64..1_000,
    ) {
        let accounts = build(&spec, false);
        let (a, out_a) = run(&accounts, vol, m, dv);
        let (b, out_b) = run(&accounts, vol, m, dv + extra);
        prop_assert!(b.shortfall >= a.shortfall);
        for (x, y) in out_a.iter().zip(&out_b) {
            prop_assert!(y.shortfall >= x.shortfall);
        }
    }

    #[test]
    fn premium_layer_never_absorbs_more_than_the_premium(
        spec in prop::collection::vec(account(), 1..4),
        vol in 100i64..1_500,
        m in 300i64..1_500,
        dv in -50i64..1_000,
    ) {
        let accounts = build(&spec, false);
        let (book, out) = run(&accounts, vol, m, dv);
        let mut premiums = Wad::ZERO;
        for (a, s) in accounts.iter().zip(&out) {
            prop_assert!(s.premium_absorbed <= a.premium());
            prop_assert!(!s.premium_absorbed.is_negative());
            prop_assert_eq!(s.premium_absorbed.add(s.to_insurance).unwrap(), s.shortfall);
            prop_assert_eq!(s.liquidatable, s.equity < s.maintenance);
            premiums = premiums.add(a.premium()).unwrap();
        }
        prop_assert!(book.premium_absorbed <= premiums);
        prop_assert_eq!(book.premium_absorbed.add(book.to_insurance).unwrap(), book.shortfall);
        // Determinism.
        let (again, out2) = run(&accounts, vol, m, dv);
        prop_assert_eq!(book, again);
        prop_assert_eq!(out, out2);
    }

    #[test]
    fn standard_requirement_counts_the_value_once(
        spec in prop::collection::vec(account(), 1..4),
        vol in 100i64..1_500,
        m in 300i64..1_500,
        dv in -50i64..1_000,
    ) {
        let accounts = build(&spec, false);
        let (_, out) = run(&accounts, vol, m, dv);
        let shocked = Shock { spot_shock: wad(m), vol_shock: wad(dv) }.apply(&market(vol)).unwrap();
        let params = StandardMarginParams::default();
        for (a, s) in accounts.iter().zip(&out) {
            let mut full = Wad::ZERO;
            for p in a.positions() {
                let inputs =
                    BsInputs::new(BsInputsRaw { spot: shocked.spot, strike: p.strike, vol: shocked.vol, t: p.t, rate: shocked.rate, yield_: shocked.yield_ }).unwrap();
                let size = p.quantity.abs().unwrap();
                full = full.add(params.margin(p.kind, &inputs, size, None).unwrap().maintenance).unwrap();
            }
            let held = s.liability.add(s.maintenance).unwrap();
            let n = i128::try_from(a.positions().len()).unwrap();
            prop_assert!(full <= held, "Σ MM {} > liability + add-on {}", full, held);
            prop_assert!(held <= full.add(Wad::from_raw(n)).unwrap(), "{} beyond Σ MM {} + n ulp", held, full);
        }
    }

    #[test]
    fn pool_equity_never_rises_with_volatility(
        sales in prop::collection::vec(position(), 1..4),
        vol in 100i64..1_500,
        k in 0i64..2_000,
        m in 300i64..2_000,
        dv in -50i64..1_000,
        extra in 0i64..1_000,
    ) {
        let params = PoolParams::new(PoolRaw {
            vol: wad(vol),
            markup: wad(k),
            rate: Wad::ZERO,
            yield_: Wad::ZERO,
        })
        .unwrap();
        let mut pool: OptionPool = OptionPool::new(params, wad(10_000_000)).unwrap();
        for (call, strike, t, q) in sales {
            let kind = if call { OptionKind::Call } else { OptionKind::Put };
            let sale = OptionPosition { kind, strike: wad(strike), t: wad(t), quantity: wad(q) };
            pool.sell_to_trader(wad(100_000), sale).unwrap();
        }
        let shock = |dv| Shock { spot_shock: wad(m), vol_shock: wad(dv) };
        let a = pool.stress(wad(100_000), &shock(dv)).unwrap();
        let b = pool.stress(wad(100_000), &shock(dv + extra)).unwrap();
        prop_assert!(b.equity <= a.equity);
        let total = pool.liquidity().add(pool.premiums()).unwrap();
        prop_assert_eq!(a.equity, total.sub(a.value).unwrap());
        prop_assert_eq!(a.solvent, !a.equity.is_negative());
        prop_assert_eq!(pool.stress(wad(100_000), &shock(dv)).unwrap(), a);
    }
}
