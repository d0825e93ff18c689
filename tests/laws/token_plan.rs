//! Property tests: the token liquidation's plan answers the search's questions it can prove
//! without evaluating them, and is the searched plan bit for bit.
//!
//! - **the same plan**: `plan_token_liquidation` equals `plan_token_liquidation_searched`
//!   (which evaluates every size the search asks about) — the same `Ok` bits or the same
//!   error — on random accounts near liquidation: two to four tokens, prices from 1e-4 to 1e5
//!   with full 18-digit precision and a confidence of up to 5 %, balances with 18 decimals from
//!   1e-6 to 1e7 tokens, bonuses up to 20 %, size-scaled weights on a quarter of the tokens,
//!   every target level, close factors with and without dust, offers, both sizing modes;
//! - **its edges are covered**: over a fixed sweep of 20,000 such cases (one in eight on a flat
//!   line, one in eight on whole prices and balances) the plan is limited by the target (the
//!   search answered; some meet it exactly, with a target health of 0 after), by a cap, by the
//!   close factor's dust extension, by the offer, or finds the account healthy, and some
//!   liquidations have a target line that does not rise (where nothing is proven and every
//!   size is evaluated); each kind is counted;
//! - **it stands where health says**: the health before (maintenance, and the target level
//!   without the two positions, summed in one pass) is `health`'s and `health_without`'s, and
//!   so is the first error, on the same accounts with one more position that overflows at some
//!   levels or is missing from the context.

use lce::Wad;
use lce::account::{
    Account, Context, HealthLevel, Position, TokenParams, TokenParamsRaw, health, health_without, token_contribution,
};
use lce::liquidation::{
    CloseFactor, CloseFactorRaw, Limit, LiquidationParams, Mode, TokenOrder, plan_token_liquidation,
    plan_token_liquidation_searched,
};
use lce::oracle::OraclePrice;
use lce::rng::SplitMix64;
use proptest::prelude::*;

use super::risk::{LEVELS, dec};

/// A uniform raw value in `[10^lo, 10^hi)` tokens with all 18 decimals: a mantissa of 18
/// random digits at a random decade.
fn log_uniform(lo: i32, hi: i32, next: &mut impl FnMut() -> u64) -> Wad {
    let span = u64::try_from(hi - lo).unwrap();
    let decade = lo + i32::try_from(next() % span).unwrap();
    let mantissa = i128::from(next() % 9_000_000_000_000_000_000) + 1_000_000_000_000_000_000; // [1, 10) · 10^18
    let scaled = if decade >= 0 {
        mantissa * 10_i128.pow(decade.unsigned_abs())
    } else {
        mantissa / 10_i128.pow(decade.unsigned_abs())
    };
    Wad::from_raw(scaled.max(1))
}

/// One case: tokens, prices, the account, the liquidation parameters and the order.
#[derive(Clone, Debug)]
struct Case {
    tokens: Vec<TokenParams>,
    prices: Vec<OraclePrice>,
    balances: Vec<Wad>,
    params: LiquidationParams,
    order: TokenOrder,
}

impl Case {
    /// A case from a stream of random words.
    fn draw(next: &mut impl FnMut() -> u64) -> Self {
        let n = 2 + usize::try_from(next() % 3).unwrap();
        // One case in eight on a flat line (liability weight 1, asset weight · (1 + bonus) = 1,
        // no confidence: at the maintenance level the target does not rise with the repay),
        // one in eight on whole prices and balances (where the target is often met exactly).
        let shape = next() % 8;
        let (flat, whole) = (shape == 0, shape == 1);
        let mut tokens = Vec::new();
        let mut prices = Vec::new();
        for _ in 0..n {
            let ma = if flat { 80 } else { 40 + i128::from(next() % 56) }; // 0.40..0.95
            let ia = ma - i128::from(next() % 10).min(ma);
            let ml = if flat { 0 } else { i128::from(next() % 50) }; // liability weight 1.00..1.49
            let lgap = if flat { 0 } else { i128::from(next() % 30) };
            let mut raw = TokenParamsRaw::new(dec(ia, 2), dec(ma, 2), dec(100 + ml + lgap, 2), dec(100 + ml, 2));
            raw.liq_end_asset_weight = dec((ia + ma) / 2, 2);
            raw.liq_end_liab_weight = dec(100 + ml + lgap / 2, 2);
            if next().is_multiple_of(4) {
                raw.size_factor = dec(i128::from(next() % 4), 3);
            }
            // The bonus must keep maint_asset_weight · (1 + fee) ≤ 1; raw values for full precision.
            let fee = if flat {
                dec(25, 2)
            } else if whole {
                dec(i128::from(next() % 21), 2)
            } else {
                Wad::from_raw(i128::from(next() % 200_000_000_000_000_001))
            };
            raw.liquidation_fee = if dec(ma, 2).mul_ceil(Wad::ONE.add(fee).unwrap()).unwrap() <= Wad::ONE {
                fee
            } else {
                Wad::ZERO
            };
            raw.protocol_fee_share = dec(i128::from(next() % 101), 2);
            tokens.push(TokenParams::new(raw).unwrap());
            let p = if whole {
                dec(1 + i128::from(next() % 10), 0)
            } else {
                log_uniform(-4, 5, next)
            };
            let conf = if flat || whole {
                Wad::ZERO
            } else {
                p.mul_floor(dec(i128::from(next() % 6), 2)).unwrap()
            };
            prices.push(OraclePrice::new(p, conf).unwrap());
        }
        // Token 0 is borrowed, token 1 deposited; the others either, smaller.
        let debt = if whole {
            dec(1 + i128::from(next() % 1000), 0)
        } else {
            log_uniform(-6, 7, next)
        };
        // The deposit worth `u` of the weighted debt over its weight, u in 0.3..1.2: mostly
        // liquidatable, some not.
        let u = dec(30 + i128::from(next() % 91), 2);
        let debt_value = debt
            .mul_ceil(prices[0].liability_price())
            .unwrap()
            .mul_ceil(tokens[0].weights(HealthLevel::Maintenance).liability)
            .unwrap();
        let per_unit = prices[1]
            .asset_price()
            .mul_floor(tokens[1].weights(HealthLevel::Maintenance).asset)
            .unwrap()
            .max(Wad::EPSILON);
        let deposit = debt_value.mul_floor(u).unwrap().div_floor(per_unit).unwrap();
        let deposit = if whole {
            dec(deposit.raw() / Wad::SCALE + 1, 0)
        } else {
            deposit
                .max(Wad::EPSILON)
                .add(Wad::from_raw(i128::from(next() % 1000)))
                .unwrap()
        };
        let mut balances = vec![debt.neg().unwrap(), deposit];
        for _ in 2..n {
            let b = if whole {
                dec(1 + i128::from(next() % 100), 0)
            } else {
                log_uniform(-6, 3, next)
            };
            balances.push(if next().is_multiple_of(2) { b } else { b.neg().unwrap() });
        }
        let close_factor = match next() % 4 {
            0 | 1 => CloseFactor::FULL,
            2 => CloseFactor::aave(dec(i128::from(next() % 2000), 0)).unwrap(),
            _ => CloseFactor::new(CloseFactorRaw {
                normal: dec(1 + i128::from(next() % 100), 2),
                full_below: dec(i128::from(next() % 100), 2),
                dust: log_uniform(-3, 3, next),
            })
            .unwrap(),
        };
        let target = LEVELS[usize::try_from(next() % 3).unwrap()];
        let mode = if next().is_multiple_of(5) {
            Mode::Request
        } else {
            Mode::Target
        };
        let max_repay = match next() % 3 {
            0 => Some(debt.mul_floor(dec(i128::from(next() % 101), 2)).unwrap()),
            _ => None,
        };
        Self {
            tokens,
            prices,
            balances,
            params: LiquidationParams {
                close_factor,
                target,
                mode,
            },
            order: TokenOrder {
                liability: 0,
                collateral: 1,
                max_repay,
            },
        }
    }

    /// The plan both ways.
    fn plans(
        &self,
    ) -> (
        lce::Result<lce::liquidation::TokenLiquidation>,
        lce::Result<lce::liquidation::TokenLiquidation>,
    ) {
        let ctx = Context::tokens(&self.tokens, &self.prices).unwrap();
        let mut account: Account = Account::new();
        for (t, b) in self.balances.iter().enumerate() {
            account.set_token(u16::try_from(t).unwrap(), *b).unwrap();
        }
        (
            plan_token_liquidation(&account, &ctx, &self.params, self.order),
            plan_token_liquidation_searched(&account, &ctx, &self.params, self.order),
        )
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    #[test]
    fn the_plan_is_the_searched_plan(seed in any::<u64>()) {
        let mut rng = SplitMix64::new(seed);
        let case = Case::draw(&mut move || rng.next_u64());
        let (fast, searched) = case.plans();
        prop_assert_eq!(fast, searched, "{:?}", case);
    }
}

/// The health as `plan_token_liquidation` finds it before the liquidation, which it sums in
/// one pass over the positions: `health_before` is [`health`] at maintenance and
/// `target_before` is [`health_without`] the two positions at the target level plus their two
/// contributions; when either sum fails, the plan fails with the first error in that order
/// (maintenance, then the target level).
fn check_standing(case: &Case, account: &Account, ctx: &Context<'_>) -> Result<(), TestCaseError> {
    let level = case.params.target;
    let touches = |p: &Position| matches!(*p, Position::Token { token, .. } if token == 0 || token == 1);
    let maintenance = health(account, ctx, HealthLevel::Maintenance);
    let rest = health_without(account, ctx, level, touches).and_then(|h| h.value());
    let plan = plan_token_liquidation(account, ctx, &case.params, case.order);
    prop_assert_eq!(
        plan,
        plan_token_liquidation_searched(account, ctx, &case.params, case.order)
    );
    match (plan, maintenance, rest) {
        (Ok(plan), Ok(before), Ok(rest)) => {
            prop_assert_eq!(plan.outcome.health_before, before);
            let contribution = |t: u16| {
                let (params, price) = ctx.token(t).unwrap();
                token_contribution(params, price, level, account.token_balance(t)).unwrap()
            };
            // The rest plus the two contributions' sum (the plan's order: the rest may be far
            // below zero where the borrow's contribution added to it first would overflow).
            let target = rest.add(contribution(0).add(contribution(1)).unwrap()).unwrap();
            prop_assert_eq!(plan.outcome.target_before, target);
        }
        (Err(e), Err(first), _) | (Err(e), Ok(_), Err(first)) => prop_assert_eq!(e, first),
        // A later step failed (the searched plan failed the same way, above).
        (Err(_), Ok(_), Ok(_)) => {}
        (Ok(_), ..) => prop_assert!(false, "a plan where the health fails: {:?}", case),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(5_000))]

    /// [`check_standing`] on random accounts of two to four tokens (the cases above), and on
    /// the same with one or two more positions: a borrow so large that its weighted value
    /// overflows at some levels and not at others (liability weights 1, 1.25 and 1.5), a token
    /// the context does not have, or both, before or after the others.
    #[test]
    fn the_plan_stands_where_health_says(seed in any::<u64>()) {
        let mut rng = SplitMix64::new(seed);
        let mut next = move || rng.next_u64();
        let case = Case::draw(&mut next);
        let mut tokens = case.tokens.clone();
        let mut prices = case.prices.clone();
        let mut account: Account = Account::new();
        let extra = next() % 4;
        let first = next().is_multiple_of(2);
        let n = u16::try_from(tokens.len()).unwrap();
        let mut big = |account: &mut Account, next: &mut dyn FnMut() -> u64| {
                let mut raw = TokenParamsRaw::new(dec(5, 1), dec(6, 1), dec(15, 1), Wad::ONE);
                raw.liq_end_liab_weight = dec(125, 2);
                tokens.push(TokenParams::new(raw).unwrap());
                prices.push(OraclePrice::exact(Wad::ONE).unwrap());
                // Worth MAX / d with d in 1..2.6: overflowing at none, some or all levels.
                let d = dec(100 + i128::from(next() % 160), 2);
                account.set_token(n, Wad::MAX.div_floor(d).unwrap().neg().unwrap()).unwrap();
        };
        let missing = |account: &mut Account| account.set_token(n + 3, dec(7, 0)).unwrap();
        // 0: the big borrow, 1: the missing token, 2: both, one before the others and one
        // after, 3: neither.
        match (extra, first) {
            (0, true) => big(&mut account, &mut next),
            (1, true) | (2, false) => missing(&mut account),
            (2, true) => big(&mut account, &mut next),
            _ => {}
        }
        for (t, b) in case.balances.iter().enumerate() {
            account.set_token(u16::try_from(t).unwrap(), *b).unwrap();
        }
        match (extra, first) {
            (0, false) | (2, false) => big(&mut account, &mut next),
            (1, false) | (2, true) => missing(&mut account),
            _ => {}
        }
        let ctx = Context::tokens(&tokens, &prices).unwrap();
        check_standing(&case, &account, &ctx)?;
    }
}

/// A fixed sweep of 20,000 cases: the plan equals the searched plan on each, and every kind of
/// edge occurs (counted exactly, so that a change of the generator shows).
#[test]
fn the_plan_is_the_searched_plan_on_every_edge() {
    let mut rng = SplitMix64::new(0x19_2026_1206);
    let mut next = move || rng.next_u64();
    let (mut target, mut capped, mut dust, mut offer, mut healthy, mut exact, mut errors) = (0, 0, 0, 0, 0, 0, 0);
    let mut falling = 0;
    for _ in 0..20_000 {
        let case = Case::draw(&mut next);
        let (fast, searched) = case.plans();
        assert_eq!(fast, searched, "{case:?}");
        // A target line that does not rise: the liability's weighted price at most what the
        // seized collateral's weighted value takes away.
        let level = case.params.target;
        let (l, c) = (&case.tokens[0], &case.tokens[1]);
        let gain = case.prices[0]
            .liability_price()
            .mul_floor(l.weights(level).liability)
            .unwrap();
        let loss = case.prices[0]
            .price()
            .mul_ceil(Wad::ONE.add(c.liquidation_fee()).unwrap())
            .unwrap()
            .mul_div_ceil(
                case.prices[1].asset_price().mul_ceil(c.weights(level).asset).unwrap(),
                case.prices[1].price(),
            )
            .unwrap();
        let Ok(plan) = fast else {
            errors += 1;
            continue;
        };
        if plan.outcome.limit != Limit::Healthy && gain <= loss {
            falling += 1;
        }
        match plan.outcome.limit {
            Limit::Target => {
                target += 1;
                if plan.outcome.target_after.is_zero() {
                    exact += 1;
                }
            }
            Limit::Position | Limit::Collateral | Limit::CloseFactor => capped += 1,
            Limit::Dust => dust += 1,
            Limit::Offer => offer += 1,
            Limit::Healthy => healthy += 1,
        }
    }
    assert_eq!(
        (target, capped, dust, offer, healthy, exact, falling, errors),
        (2929, 7286, 809, 3207, 5595, 766, 698, 174),
        "target, capped, dust, offer, healthy, target met exactly, falling line, errors"
    );
}
