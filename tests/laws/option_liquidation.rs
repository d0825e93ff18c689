//! Property tests: the laws of option liquidations (`lce::liquidation::liquidate_option`) and
//! expiry settlement (`lce::options::Settlement`).
//!
//! - **Conservation.** What the account gives (`seize`) is exactly what the liquidator
//!   (`seize − protocol_fee`) and the protocol receive; the account's position moves by
//!   exactly the size (short: quantity up by `size`, deposit down by `seize`; long: borrow down
//!   by `size`, quantity down by `seize`), to the last 1e-18.
//! - **The protocol's favour.** The exchange never pays the liquidator more than the exact
//!   `value · (1 + fee) / price`, and `value ≤ size · unit price` exactly (both rounded down).
//! - **Exactness.** A liquidation sized by the target meets it (`target_after ≥ 0`), and one
//!   unit less (the liquidator's offer one unit below) does not.
//! - **Expiry.** A long and a short of the same quantity settle for amounts whose sum is `≤ 0`
//!   (the book never pays out more than its writers pay in), and a settlement is never above
//!   the exact intrinsic value.

use lce::Wad;
use lce::account::{Account, Context, OptionMark, OptionParams, OptionParamsRaw, TokenParams, TokenParamsRaw};
use lce::liquidation::{Limit, LiquidationParams, OptionOrder, OptionSide, liquidate_option};
use lce::options::{OptionKind, Settlement};
use lce::oracle::OraclePrice;
use proptest::prelude::*;

fn wad(units: u64, decimals: u32) -> Wad {
    Wad::from_raw(i128::from(units) * 10i128.pow(18 - decimals))
}

/// USD (weight 1) and an LST at `spot` (weights 0.8 / 0.85, liability 1.2 / 1.15).
fn tokens() -> [TokenParams; 2] {
    let usd = TokenParams::new(TokenParamsRaw::new(Wad::ONE, Wad::ONE, Wad::ONE, Wad::ONE)).unwrap();
    let lst = TokenParams::new(TokenParamsRaw::new(wad(8, 1), wad(85, 2), wad(12, 1), wad(115, 2))).unwrap();
    [usd, lst]
}

#[derive(Clone, Copy, Debug)]
struct Case {
    call: bool,
    spot: Wad,
    strike: Wad,
    vol: Wad,
    fee: Wad,
    share: Wad,
    quantity: Wad,
    balance: Wad,
    token: u16,
}

fn case() -> impl Strategy<Value = Case> {
    (
        any::<bool>(),
        500u64..5000,
        60u64..160,
        10u64..200,
        0u64..8,
        0u64..100,
        1u64..5000,
        1u64..1_000_000,
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(call, spot, k_pct, vol_pct, fee_pct, share_pct, q, bal, short, in_lst)| {
                let spot = wad(spot, 0);
                let quantity = wad(q, 3);
                let token = u16::from(in_lst);
                // A short is paid from a deposit, a long is seized for a borrow.
                let balance = if short { wad(bal, 2) } else { wad(bal, 2).neg().unwrap() };
                let balance = if token == 1 {
                    balance.div_floor(spot).unwrap()
                } else {
                    balance
                };
                Case {
                    call,
                    spot,
                    strike: spot.mul_floor(wad(k_pct, 2)).unwrap(),
                    vol: wad(vol_pct, 2),
                    fee: wad(fee_pct, 2),
                    share: wad(share_pct, 2),
                    quantity: if short { quantity.neg().unwrap() } else { quantity },
                    balance,
                    token,
                }
            },
        )
}

fn run(c: &Case, max_size: Option<Wad>) -> Option<(Account, Account, lce::liquidation::OptionLiquidation)> {
    let tokens = tokens();
    let prices = [
        OraclePrice::exact(Wad::ONE).unwrap(),
        OraclePrice::exact(c.spot).unwrap(),
    ];
    let kind = if c.call { OptionKind::Call } else { OptionKind::Put };
    let mut raw = OptionParamsRaw::new(kind, 1, c.strike, wad(25, 2));
    raw.liquidation_fee = c.fee;
    raw.protocol_fee_share = c.share;
    let options = [OptionParams::new(raw).unwrap()];
    let marks = [OptionMark::new(c.vol, wad(3, 2), Wad::ZERO).unwrap()];
    let ctx = Context::tokens(&tokens, &prices)
        .unwrap()
        .with_options(&options, &marks)
        .unwrap();
    let mut account: Account = Account::new();
    account.set_token(c.token, c.balance).unwrap();
    account.set_option(0, c.quantity).unwrap();
    let before = account.clone();
    let order = OptionOrder {
        series: 0,
        token: c.token,
        max_size,
    };
    // A long worth nothing at the grid is an error (nothing to seize); every other case plans.
    let r = liquidate_option(&mut account, &ctx, &LiquidationParams::default(), order).ok()?;
    Some((before, account, r))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn option_liquidations_conserve_favour_the_protocol_and_are_exact(c in case()) {
        let Some((before, after, r)) = run(&c, None) else { return Ok(()) };
        // Conservation.
        prop_assert_eq!(r.liquidator_receives().unwrap().add(r.protocol_fee).unwrap(), r.seize);
        let dq = after.option(0).sub(before.option(0)).unwrap();
        let db = after.token_balance(c.token).sub(before.token_balance(c.token)).unwrap();
        match r.side {
            OptionSide::Short => {
                prop_assert_eq!(dq, r.size);
                prop_assert_eq!(db, r.seize.neg().unwrap());
            }
            OptionSide::Long => {
                prop_assert_eq!(db, r.size);
                prop_assert_eq!(dq, r.seize.neg().unwrap());
            }
        }
        // The protocol's favour: value and seize never above their exact values.
        let (cleared, taken) = match r.side {
            OptionSide::Short => (r.mark, if c.token == 1 { c.spot } else { Wad::ONE }),
            OptionSide::Long => (if c.token == 1 { c.spot } else { Wad::ONE }, r.mark),
        };
        // value = ⌊size · cleared⌋ ≤ the exact product; what is taken, valued at its unit price
        // rounded down, is never above value · (1 + fee).
        prop_assert_eq!(r.value, r.size.mul_floor(cleared).unwrap());
        prop_assert!(r.value <= r.size.mul_ceil(cleared).unwrap());
        let one_plus = Wad::ONE.add(c.fee).unwrap();
        prop_assert!(r.seize.mul_floor(taken).unwrap() <= r.value.mul_ceil(one_plus).unwrap());
        prop_assert!(r.protocol_fee <= r.bonus && r.bonus <= r.seize);
        // Exactness: target met at the size and not one unit below.
        if r.outcome.limit == Limit::Target && r.size.is_positive() {
            prop_assert!(!r.outcome.target_after.is_negative());
            let less = run(&c, Some(r.size.sub(Wad::EPSILON).unwrap())).unwrap().2;
            prop_assert!(less.outcome.target_after.is_negative());
        }
    }

    #[test]
    fn expiry_never_pays_out_more_than_it_takes_in(
        call in any::<bool>(), strike in 1u64..10_000, spot in 1u64..10_000, q in 1u64..10_000_000, p in 1u64..10_000,
    ) {
        let kind = if call { OptionKind::Call } else { OptionKind::Put };
        let (k, s, q, price) = (wad(strike, 1), wad(spot, 1), wad(q, 7), wad(p, 2));
        let long = Settlement::new(kind, k, s, q, price).unwrap();
        let short = Settlement::new(kind, k, s, q.neg().unwrap(), price).unwrap();
        prop_assert!(!long.value.add(short.value).unwrap().is_positive());
        prop_assert!(!long.tokens.add(short.tokens).unwrap().is_positive());
        prop_assert!(long.value <= q.mul_ceil(long.intrinsic).unwrap());
        prop_assert_eq!(long.intrinsic, short.intrinsic);
    }
}
