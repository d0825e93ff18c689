//! Property tests: the laws of the Mango v4 and Drift v2 presets.
//!
//! Mango v4, over generated two-bank accounts (prices, init/maint weights, both banks'
//! liquidation and platform fees, balances) and liquidator caps:
//!
//! - **the fee split**: the account gives at least what the liquidator gets
//!   (`ff_total ≥ ff_liqor`), the difference is the platform fee;
//! - **the caps hold**: `0 ≤ liab_transfer ≤ min(max_liab_transfer, debt)`;
//! - **monotone in the cap**: a larger `max_liab_transfer` transfers at least as much;
//! - **liquidation raises the liquidation-end health** whenever it repays a native unit or more
//!   (the init-weighted liability outweighs the fee-adjusted asset: `lp·ilw > lp·ff·iaw`);
//! - **a healthy account is refused** (maint health `≥ 0`, not being liquidated).
//!
//! Drift v2, over generated perp accounts (a long or a short, a deposit, an entry price, the
//! oracle price, market ratios, fees, IMF factor, step size) and liquidator maxima:
//!
//! - **conservation**: the base the account gives is the liquidator's; the account's quote
//!   change, the liquidator's quote and the insurance fee sum to zero;
//! - **the caps hold**: the base transferred is a multiple of the step, at most the position
//!   and at most the liquidator's maximum; the fees are `⌊value·fee/1e6⌋`, the insurance fund's
//!   rate at most its maximum;
//! - **monotone in the maximum**: a larger `max_base` transfers at least as much;
//! - **the size premium never lowers the margin ratio** and grows with the size;
//! - **a sufficiently collateralized account is refused**.

use lce::Wad;
use lce::account::{Account, Context, TokenParams, TokenParamsRaw};
use lce::oracle::OraclePrice;
use lce::preset::drift::{self, Market, Order as DriftOrder, Prices, User};
use lce::preset::mango::{self, Bank, Level, Order};
use proptest::prelude::*;

const ONE: i128 = 1 << 48;

fn dec(n: i128, d: u32) -> Wad {
    Wad::from_raw(n * 10_i128.pow(18 - d))
}

#[derive(Clone, Debug)]
struct MangoCase {
    /// Prices (4 decimals): liability, asset.
    prices: (i128, i128),
    /// Asset init/maint weights and liability maint/init weights (hundredths).
    weights: (i128, i128, i128, i128),
    /// Liquidation and platform fees (thousandths) of the liability bank and the asset bank.
    fees: (i128, i128, i128, i128),
    /// Debt and deposit (native units, 2 decimals), the debt worth 50–150 % of the deposit.
    balances: (i128, i128),
    /// Two caps (native units, 2 decimals).
    caps: (i128, i128),
}

fn mango_case() -> impl Strategy<Value = MangoCase> {
    (
        (5_000i128..=20_000, 1_000i128..=2_000_000),
        (10i128..=80, 0i128..=15, 100i128..=130, 0i128..=30),
        (0i128..=30, 0i128..=10, 0i128..=30, 0i128..=10),
        (1i128..=10_000_000_000, 50i128..=150),
        (1i128..=10_000_000_000, 1i128..=10_000_000_000),
    )
        .prop_map(|(prices, weights, fees, (deposit, leverage), caps)| MangoCase {
            prices,
            weights,
            fees,
            // a debt worth 50 % … 150 % of the deposit: around the liquidation boundary
            balances: ((deposit * prices.1 / prices.0 * leverage / 100).max(1), deposit),
            caps,
        })
}

impl MangoCase {
    fn tokens(&self) -> Vec<TokenParams> {
        let (ia, gap, ml, extra) = self.weights;
        let liab = TokenParams::new(TokenParamsRaw::new(Wad::ONE, Wad::ONE, dec(ml + extra, 2), dec(ml, 2))).unwrap();
        let asset = TokenParams::new(TokenParamsRaw::new(
            dec(ia, 2),
            dec((ia + gap).min(100), 2),
            Wad::ONE,
            Wad::ONE,
        ))
        .unwrap();
        vec![liab, asset]
    }

    fn prices(&self) -> Vec<OraclePrice> {
        vec![
            OraclePrice::exact(dec(self.prices.0, 4)).unwrap(),
            OraclePrice::exact(dec(self.prices.1, 4)).unwrap(),
        ]
    }

    fn banks(&self) -> Vec<Bank> {
        let (fl, pl, fa, pa) = self.fees;
        vec![
            Bank {
                liquidation_fee: dec(fl, 3),
                platform_liquidation_fee: dec(pl, 3),
                stable_price: None,
            },
            Bank {
                liquidation_fee: dec(fa, 3),
                platform_liquidation_fee: dec(pa, 3),
                stable_price: None,
            },
        ]
    }

    fn account(&self) -> Account {
        let mut a = Account::new();
        a.set_token(0, dec(-self.balances.0, 2)).unwrap();
        a.set_token(1, dec(self.balances.1, 2)).unwrap();
        a
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn mango_laws(c in mango_case()) {
        let tokens = c.tokens();
        let prices = c.prices();
        let banks = c.banks();
        let ctx = Context::tokens(&tokens, &prices).unwrap();
        let account = c.account();
        let maint = mango::health(&account, &ctx, &banks, Level::Maint).unwrap();
        let (c1, c2) = (c.caps.0.min(c.caps.1), c.caps.0.max(c.caps.1));
        let mut transfers = Vec::new();
        for cap in [c1, c2] {
            let order = Order {
                asset: 1,
                liability: 0,
                max_liab_transfer: mango::balance_bits(dec(cap, 2)).unwrap(),
                being_liquidated: false,
            };
            let mut a = account.clone();
            let got = mango::liquidate(&mut a, &ctx, &banks, order, true);
            if maint >= 0 {
                prop_assert!(got.is_err(), "a healthy account was liquidated");
                continue;
            }
            let l = match got {
                Ok(l) => l,
                // Mango divides by zero when the two weighted prices meet.
                Err(lce::Error::Invalid { what: "liquidation_fee", .. }) => continue,
                Err(e) => return Err(TestCaseError::fail(format!("{e:?}"))),
            };
            prop_assert!(l.asset_from_liqee >= l.asset_to_liqor);
            prop_assert_eq!(l.platform_fee, l.asset_from_liqee - l.asset_to_liqor);
            prop_assert!(l.liab_transfer >= 0);
            prop_assert!(l.liab_transfer <= order.max_liab_transfer);
            prop_assert!(l.liab_transfer <= c.balances.0 * ONE / 100 + 1);
            let (ia, _, ml, extra) = c.weights;
            let ff = (1000 + c.fees.0 + c.fees.1) * (1000 + c.fees.2 + c.fees.3);
            // lp·ilw > lp·ff·iaw with a margin of rounding: the liquidation-end health rises.
            if l.liab_transfer >= ONE && (ml + extra) * 1_000_000 > ff * ia + 1_000 {
                prop_assert!(l.health_after >= l.health_before, "{} < {}", l.health_after, l.health_before);
            }
            transfers.push(l.liab_transfer);
        }
        if let [t1, t2] = transfers[..] {
            prop_assert!(t2 >= t1, "cap {c2} transferred {t2} < cap {c1}'s {t1}");
        }
    }
}

#[derive(Clone, Debug)]
struct DriftCase {
    /// Maintenance ratio and the initial's excess (1e4), buffer (1e4), IMF factor (1e6).
    ratios: (i128, i128, i128, i128),
    /// Liquidator fee and the insurance fund's maximum (1e6).
    fees: (i128, i128),
    /// Step size (1e9).
    step: i128,
    /// Position in steps, long or short; entry price (1e6); the oracle's move from it
    /// (thousandths); the deposit (thousandths of the notional).
    position: (i128, bool, i128, i128, i128),
    /// Two liquidator maxima (1e9).
    maxima: (i128, i128),
}

fn drift_case() -> impl Strategy<Value = DriftCase> {
    (
        (100i128..=1_000, 0i128..=1_000, 1i128..=500, 0i128..=5_000),
        (0i128..=20_000, 0i128..=20_000),
        prop_oneof![Just(1i128), Just(1_000_000), Just(10_000_000)],
        (
            1i128..=100_000,
            any::<bool>(),
            1_000_000i128..=200_000_000,
            -200i128..=200,
            0i128..=150,
        ),
        (1i128..=1_000_000_000_000, 1i128..=1_000_000_000_000),
    )
        .prop_map(|(ratios, fees, step, position, maxima)| DriftCase {
            ratios,
            fees,
            step,
            position,
            maxima,
        })
}

impl DriftCase {
    fn market(&self) -> Market {
        let (m, excess, buf, imf) = self.ratios;
        Market {
            margin_ratio_initial: (m + excess).min(10_000),
            margin_ratio_maintenance: m,
            imf_factor: imf,
            liquidator_fee: self.fees.0,
            if_liquidation_fee: self.fees.1,
            order_step_size: self.step,
            unrealized_pnl_maintenance_asset_weight: 10_000,
            liquidation_margin_buffer_ratio: buf,
            initial_pct_to_liquidate: 10_000,
            liquidation_duration: 0,
        }
    }

    fn user(&self) -> User {
        let (steps, long, entry, _, margin) = self.position;
        let base = steps * self.step;
        let notional = base * entry / 1_000_000_000;
        // a deposit of 0 … 15 % of the notional: around the maintenance boundary
        let deposit = notional * margin / 1_000;
        if long {
            User {
                deposit,
                base,
                quote: -notional,
            }
        } else {
            User {
                deposit,
                base: -base,
                quote: notional,
            }
        }
    }

    fn prices(&self) -> Prices {
        // the oracle 20 % below … 20 % above the entry
        Prices {
            oracle: (self.position.2 * (1_000 + self.position.3) / 1_000).max(1),
            quote: 1_000_000,
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn drift_laws(c in drift_case()) {
        let market = c.market();
        let user = c.user();
        let prices = c.prices();
        let before = drift::margin(&market, &user, prices).unwrap();
        let (m1, m2) = (c.maxima.0.min(c.maxima.1), c.maxima.0.max(c.maxima.1));
        let mut transferred = Vec::new();
        for max_base in [m1, m2] {
            let order = DriftOrder { max_base, being_liquidated: false, slots_elapsed: 0, margin_freed: 0 };
            let got = drift::liquidate(&market, &user, prices, order);
            if before.total_collateral >= before.requirement {
                prop_assert!(got.is_err(), "a sufficiently collateralized account was liquidated");
                continue;
            }
            let l = match got {
                Ok(l) => l,
                Err(lce::Error::Invalid { what: "max_base" | "if_liquidation_fee", .. }) => continue,
                Err(e) => return Err(TestCaseError::fail(format!("{e:?}"))),
            };
            // conservation
            prop_assert_eq!(user.base - l.user.base, l.liquidator.0);
            prop_assert_eq!((l.user.quote - user.quote) + l.liquidator.1 + l.if_fee_amount, 0);
            // the caps
            prop_assert_eq!(l.base_transferred % c.step, 0);
            prop_assert!(l.base_transferred <= user.base.abs());
            prop_assert!(l.base_transferred <= max_base);
            prop_assert!(l.base_transferred > 0);
            prop_assert!(l.if_fee <= market.if_liquidation_fee);
            prop_assert_eq!(l.liquidator_fee_amount, l.base_value * l.liquidator_fee / 1_000_000);
            prop_assert_eq!(l.if_fee_amount, l.base_value * l.if_fee / 1_000_000);
            transferred.push(l.base_transferred);
        }
        if let [t1, t2] = transferred[..] {
            prop_assert!(t2 >= t1, "max {m2} transferred {t2} < max {m1}'s {t1}");
        }
        // the size premium
        let size = user.base.abs();
        let r = drift::margin_ratio(&market, size).unwrap();
        prop_assert!(r >= market.margin_ratio_maintenance);
        prop_assert!(drift::margin_ratio(&market, size * 2).unwrap() >= r);
    }
}
