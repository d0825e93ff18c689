//! Property tests: the laws of the protocol presets (marginfi v2; Mango v4 and Drift v2 in
//! `presets_mango_drift`), and no panics on any preset op.
//!
//! Over generated two-bank accounts (a 9-decimal collateral, a 6-decimal liability, random
//! prices with confidence intervals, weights and fees) and liquidator-chosen asset amounts:
//!
//! - **the fee split**: `q_ll ≥ q_lf`, the insurance fee is `q_ll − q_lf ≥ 0` and the transfer
//!   is its whole native units;
//! - **monotone in the request**: of two accepted requests, the larger takes on and repays at
//!   least as much;
//! - **marginfi's post-conditions hold** for every accepted liquidation: the maintenance health
//!   after is `≤ 0` and above the health before, the deposit falls by the request exactly and
//!   the debt by `q_lf`, written rounded up (the account keeps owing what the grid cannot
//!   hold, less than 1e-18);
//! - **a healthy account is refused**, whatever the request;
//! - **bit for bit with the `fixed` crate** (feature `fixed`): `q_ll` and `q_lf` are marginfi's
//!   expressions evaluated with `I80F48` itself;
//! - **no panics**: every preset op answers every mutated input (feature `eval`).

use lce::Wad;
use lce::account::{Account, Context, TokenParams, TokenParamsRaw};
use lce::oracle::OraclePrice;
use lce::preset::marginfi::{self, Fees, Level, Order};
use proptest::prelude::*;

const ONE: i128 = 1 << 48;
const DECIMALS: [u8; 2] = [6, 9];

fn dec(n: i128, d: u32) -> Wad {
    Wad::from_raw(n * 10_i128.pow(18 - d))
}

#[derive(Clone, Debug)]
struct Case {
    /// USDC-like liability price and conf (4 decimals), collateral price and conf.
    prices: [(i128, i128); 2],
    /// Collateral maint/init weights (hundredths), liability maint weight (hundredths ≥ 100).
    weights: (i128, i128, i128),
    /// Fees in thousandths.
    fees: (i128, i128),
    /// Deposit (collateral native units) and debt (liability native units).
    deposit: i128,
    debt: i128,
    /// Two requests in collateral native units.
    requests: (i128, i128),
}

fn case() -> impl Strategy<Value = Case> {
    (
        (5_000i128..=20_000, 0i128..=50),
        (1_000i128..=2_000_000, 0i128..=500),
        (10i128..=95, 0i128..=10, 100i128..=130),
        (0i128..=50, 0i128..=50),
        1i128..=1_000_000_000_000,
        1i128..=10_000_000_000_000,
        (1i128..=1_000_000_000_000, 1i128..=1_000_000_000_000),
    )
        .prop_map(|(pl, pa, w, fees, deposit, debt, requests)| Case {
            prices: [pl, pa],
            weights: w,
            fees,
            deposit,
            debt,
            requests,
        })
}

impl Case {
    fn tokens(&self) -> Vec<TokenParams> {
        let (ma, gap, ml) = self.weights;
        let usdc = TokenParams::new(TokenParamsRaw::new(Wad::ONE, Wad::ONE, dec(ml + 10, 2), dec(ml, 2))).unwrap();
        let coll = TokenParams::new(TokenParamsRaw::new(
            dec(ma - gap.min(ma), 2),
            dec(ma, 2),
            Wad::ONE,
            Wad::ONE,
        ))
        .unwrap();
        vec![usdc, coll]
    }

    fn prices(&self) -> Vec<OraclePrice> {
        self.prices
            .iter()
            .map(|&(p, c)| OraclePrice::new(dec(p, 4), dec(c, 4)).unwrap())
            .collect()
    }

    fn account(&self) -> Account {
        let mut a = Account::new();
        a.set_token(0, dec(-self.debt, 6)).unwrap();
        a.set_token(1, dec(self.deposit, 9)).unwrap();
        a
    }

    fn fees(&self) -> Fees {
        Fees {
            liquidator: dec(self.fees.0, 3),
            insurance: dec(self.fees.1, 3),
        }
    }

    fn order(&self, amount: i128) -> Order {
        Order {
            asset: 1,
            liability: 0,
            asset_amount: amount,
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn marginfi_laws(c in case()) {
        let tokens = c.tokens();
        let prices = c.prices();
        let ctx = Context::tokens(&tokens, &prices).unwrap();
        let account = c.account();
        let before = marginfi::health(&account, &ctx, &DECIMALS, Level::Maintenance).unwrap().value().unwrap();
        let (r1, r2) = (c.requests.0.min(c.requests.1), c.requests.0.max(c.requests.1));
        let mut runs = Vec::new();
        for r in [r1, r2] {
            let mut a = account.clone();
            let got = marginfi::liquidate(&mut a, &ctx, &DECIMALS, &c.fees(), c.order(r), true);
            if before > 0 {
                prop_assert!(got.is_err(), "a healthy account was liquidated");
                continue;
            }
            let Ok(l) = got else { continue };
            // the fee split
            prop_assert!(l.liquidator_liability >= l.repaid);
            prop_assert_eq!(l.insurance_fee, l.liquidator_liability - l.repaid);
            prop_assert_eq!(l.insurance_transfer, l.insurance_fee >> 48);
            // post-conditions
            prop_assert!(l.health_after.value().unwrap() <= 0);
            prop_assert!(l.health_after.value().unwrap() > l.health_before.value().unwrap());
            prop_assert_eq!(l.health_before.value().unwrap(), before);
            prop_assert_eq!(a.token_balance(1), dec(c.deposit - r, 9));
            prop_assert_eq!(l.debt_after, c.debt * ONE - l.repaid);
            // the debt written: ⌈debt_after / 2^48 / 10^6⌉ on the 1e-18 grid
            let owed = -a.token_balance(0).raw();
            // debt_after·10^12/2^48 = h·10^12 + lo·10^12/2^48 with h = ⌊debt_after/2^48⌋
            let (h, lo) = (l.debt_after >> 48, l.debt_after & (ONE - 1));
            let ceil = h * 1_000_000_000_000 + (lo * 1_000_000_000_000 + ONE - 1) / ONE;
            prop_assert_eq!(owed, ceil);
            runs.push((r, l));
        }
        if let [(_, a), (_, b)] = runs.as_slice() {
            prop_assert!(a.liquidator_liability <= b.liquidator_liability);
            prop_assert!(a.repaid <= b.repaid);
        }
    }

    #[cfg(feature = "fixed")]
    #[test]
    fn marginfi_amounts_are_fixed_crate_bits(c in case()) {
        use fixed::types::I80F48;
        let tokens = c.tokens();
        let prices = c.prices();
        let ctx = Context::tokens(&tokens, &prices).unwrap();
        let mut a = c.account();
        // Only accepted liquidations report amounts.
        let r = c.requests.0.min(c.deposit);
        let Ok(l) = marginfi::liquidate(&mut a, &ctx, &DECIMALS, &c.fees(), c.order(r), false) else {
            return Ok(());
        };
        // prices as marginfi reads a Pyth price: ⌊p·2^48⌋ = I80F48::from_num(p·10^4) / 10^4
        let pyth = |q: i128| I80F48::from_num(q).checked_div(I80F48::from_num(10_000)).unwrap();
        let (pl, cl) = c.prices[0];
        let (pa, ca) = c.prices[1];
        let p_a = pyth(pa) - pyth(ca);
        let p_l = pyth(pl) + pyth(cl);
        // a fee n/1000 as the constant I80F48!(n/1000): the nearest multiple of 2^-48
        let nearest = |n: i128| I80F48::from_bits((n * ONE * 2 + 1000) / 2000);
        let (f_l, f_i) = (nearest(c.fees.0), nearest(c.fees.1));
        let e9 = I80F48::from_num(1_000_000_000i64);
        let e6 = I80F48::from_num(1_000_000i64);
        let q_a = I80F48::from_num(r);
        let value = |w: I80F48| q_a.checked_mul(w).unwrap().checked_mul(p_a).unwrap().checked_div(e9).unwrap();
        let amount = |v: I80F48| v.checked_mul(e6).unwrap().checked_div(p_l).unwrap();
        let q_ll = amount(value(I80F48::ONE - f_l));
        let q_lf = amount(value(I80F48::ONE - (f_i + f_l)));
        prop_assert_eq!(l.liquidator_liability, q_ll.to_bits());
        prop_assert_eq!(l.repaid, q_lf.to_bits());
    }
}

/// Every preset op answers every mutated input (an output or a typed error, never a panic):
/// each case of `vectors/presets/*.jsonl` with one to three leaves replaced by anything.
#[cfg(feature = "eval")]
mod ops {
    use lce::eval::eval_case;
    use proptest::prelude::*;
    use serde_json::{Value, json};

    use crate::common::json::{leaves, set};

    fn anything() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(json!("1")),
            Just(json!("0")),
            Just(json!("-1")),
            Just(json!("0.5")),
            Just(json!("0.000000001")),
            Just(json!("170141183460469231731.687303715884105727")),
            Just(json!("-170141183460469231731.687303715884105728")),
            Just(json!("99999999999999999999999999999999999999")),
            Just(json!("abc")),
            Just(json!(1)),
            Just(json!(14)),
            Just(json!(255)),
            Just(json!(null)),
            Just(json!([])),
            Just(json!({})),
            Just(json!("marginfi_v2")),
            Just(json!("aave_v3.3")),
            Just(json!("mango_v4")),
            Just(json!("drift_v2")),
            Just(json!(true)),
        ]
    }

    fn cases() -> &'static [Value] {
        static CASES: std::sync::OnceLock<Vec<Value>> = std::sync::OnceLock::new();
        CASES.get_or_init(read_cases)
    }

    fn read_cases() -> Vec<Value> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/vectors/presets");
        let mut out = Vec::new();
        for name in [
            "aave_v3.3.jsonl",
            "morpho_blue.jsonl",
            "compound_v3.jsonl",
            "marginfi_v2.jsonl",
            "mango_v4.jsonl",
            "drift_v2.jsonl",
        ] {
            let text = std::fs::read_to_string(format!("{dir}/{name}")).unwrap();
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                let mut c: Value = serde_json::from_str(line).unwrap();
                let m = c.as_object_mut().unwrap();
                m.remove("expect");
                m.remove("note");
                out.push(c);
            }
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn preset_ops_answer_every_mutated_input(
            which in any::<prop::sample::Index>(),
            picks in prop::collection::vec((any::<prop::sample::Index>(), anything()), 1..4),
        ) {
            let all = cases();
            let mut case = all[which.index(all.len())].clone();
            let mut paths = Vec::new();
            leaves(&case["input"], &mut Vec::new(), &mut paths);
            for (ix, value) in picks {
                let path = &paths[ix.index(paths.len())];
                set(&mut case["input"], path, value);
            }
            let answer = eval_case(&case);
            prop_assert!(answer.get("output").is_some() || answer.get("error").is_some(), "{answer}");
        }
    }
}
