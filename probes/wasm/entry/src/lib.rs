//! lce's main entry points as a tiny on-chain program links them: each feature of this crate is
//! one program (built alone by `probes/wasm.sh` for `wasm32-unknown-unknown`, `opt-level = "z"`,
//! fat LTO, `panic = "abort"`, one codegen unit, stripped).
//!
//! Every program exports `lce_setup(n)`, which builds its inputs with lce's public constructors
//! (validated parameters, an account of `n` positions) into a static, and the entry points it
//! measures, which read them from there: the meter calls `lce_setup` first and then counts only
//! the entry point. Inputs reach the entry points through memory written at run time, so
//! nothing is folded away at compile time.
#![no_std]
#![allow(unsafe_code)] // the statics of a single-threaded wasm program
#![allow(dead_code, unused_imports)] // each feature is another program

use core::cell::UnsafeCell;
use core::hint::black_box;

#[allow(unused_imports)]
use lce::{Result, Rounding, Wad};

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

/// A value set by `lce_setup` and read by the entry points (wasm32 without threads: one caller).
struct Slot<T>(UnsafeCell<Option<T>>);

// SAFETY: wasm32-unknown-unknown without the atomics feature runs one thread.
unsafe impl<T> Sync for Slot<T> {}

#[allow(dead_code)]
impl<T> Slot<T> {
    const fn new() -> Self {
        Self(UnsafeCell::new(None))
    }

    fn set(&self, value: T) {
        // SAFETY: one thread, and no reference from `get` outlives the call that made it.
        unsafe { *self.0.get() = Some(value) }
    }

    #[allow(clippy::mut_from_ref)]
    fn get(&self) -> Option<&mut T> {
        // SAFETY: as above.
        unsafe { (*self.0.get()).as_mut() }
    }
}

/// The result of an entry point as the program returns it: the low 64 bits of a value, or -1
/// on an error (or before `lce_setup`).
#[allow(dead_code)]
fn out(r: Result<Wad>) -> i64 {
    match r {
        Ok(w) => w.raw() as i64,
        Err(_) => -1,
    }
}

/// `units / 10^6` as a wad, opaque to the optimiser.
#[allow(dead_code)]
fn micro(units: i64) -> Wad {
    Wad::from_raw(i128::from(black_box(units)) * 1_000_000_000_000)
}

#[cfg(any(
    feature = "setup",
    feature = "health",
    feature = "liquidation",
    feature = "health-options"
))]
mod risk {
    //! A token world: 16 tokens (weights 0.8/0.9 for deposits, 1.2/1.1 for borrows, 0.85/1.15
    //! at the liquidation end, a 5 % bonus with a 10 % protocol share, no size scaling), oracle
    //! prices with a 0.1 % confidence interval, and an account of `n` positions: deposits of
    //! the even tokens, borrows of the odd ones. With 4 positions it is liquidatable
    //! (18,000 + 4,500 of weighted deposits against 20,900 + 3,300 of weighted borrows), and
    //! the liquidation repays token 1 against token 0.
    use super::{Slot, micro, out};
    use lce::account::{Account, Context, HealthLevel, TokenParams, TokenParamsRaw, health};
    #[cfg(feature = "liquidation")]
    use lce::liquidation::{LiquidationParams, TokenOrder, liquidate_token, plan_token_liquidation};
    use lce::oracle::OraclePrice;
    use lce::{Result, Wad};

    pub const TOKENS: usize = 16;

    pub struct World {
        pub tokens: [TokenParams; TOKENS],
        pub prices: [OraclePrice; TOKENS],
        pub account: Account,
    }

    pub static WORLD: Slot<World> = Slot::new();

    /// Price (in millionths) and balance (in thousandths) of each token.
    const BOOK: [(i32, i32); TOKENS] = [
        (2_000_000_000, 10000),
        (1_000_000, -19000000),
        (50_000_000, 100000),
        (300_000_000, -10000),
        (1_000_000, 5000000),
        (2_000_000_000, -1000),
        (7_500_000, 400000),
        (250_000, -2000000),
        (2_000_000_000, 2000),
        (1_000_000, -3000000),
        (50_000_000, 40000),
        (300_000_000, -2000),
        (1_000_000, 1000000),
        (2_000_000_000, -500),
        (7_500_000, 100000),
        (250_000, -1000000),
    ];

    fn world(n: usize) -> Result<World> {
        let mut raw = TokenParamsRaw::new(micro(800_000), micro(900_000), micro(1_200_000), micro(1_100_000));
        raw.liq_end_asset_weight = micro(850_000);
        raw.liq_end_liab_weight = micro(1_150_000);
        raw.liquidation_fee = micro(50_000);
        raw.protocol_fee_share = micro(100_000);
        let params = TokenParams::new(raw)?;
        let mut prices = [OraclePrice::exact(Wad::ONE)?; TOKENS];
        let mut account = Account::new();
        for (i, (p, &(price, balance))) in prices.iter_mut().zip(BOOK.iter()).enumerate() {
            let price = i64::from(price);
            *p = OraclePrice::new(micro(price), micro(price / 1000))?;
            if i < n {
                account.set_token(i as u16, micro(i64::from(balance) * 1000))?;
            }
        }
        Ok(World {
            tokens: [params; TOKENS],
            prices,
            account,
        })
    }

    #[unsafe(no_mangle)]
    pub extern "C" fn lce_setup(n: u32) -> i32 {
        match world(n as usize) {
            Ok(w) => {
                WORLD.set(w);
                0
            }
            Err(_) => -1,
        }
    }

    /// Maintenance health of the account, through a context without options.
    #[cfg(feature = "health")]
    #[unsafe(no_mangle)]
    pub extern "C" fn lce_health() -> i64 {
        out(WORLD.get().map_or(Err(lce::Error::Overflow), |w| {
            let ctx = Context::tokens(&w.tokens, &w.prices)?;
            health(&w.account, &ctx, HealthLevel::Maintenance)?.value()
        }))
    }

    /// The same through a context with (no) option series: the option-aware path.
    #[cfg(feature = "health-options")]
    #[unsafe(no_mangle)]
    pub extern "C" fn lce_health_options() -> i64 {
        out(WORLD.get().map_or(Err(lce::Error::Overflow), |w| {
            // Opaque (empty) series: the optimiser cannot drop option pricing.
            let series: &[lce::account::OptionParams] = core::hint::black_box(&[]);
            let marks: &[lce::account::OptionMark] = core::hint::black_box(&[]);
            let ctx = Context::tokens(&w.tokens, &w.prices)?.with_options(series, marks)?;
            health(&w.account, &ctx, HealthLevel::Maintenance)?.value()
        }))
    }

    #[cfg(feature = "liquidation")]
    const ORDER: TokenOrder = TokenOrder {
        liability: 1,
        collateral: 0,
        max_repay: None,
    };

    /// Maintenance health, as a liquidation program checks it first.
    #[cfg(feature = "liquidation")]
    #[unsafe(no_mangle)]
    pub extern "C" fn lce_health() -> i64 {
        out(WORLD.get().map_or(Err(lce::Error::Overflow), |w| {
            let ctx = Context::tokens(&w.tokens, &w.prices)?;
            health(&w.account, &ctx, HealthLevel::Maintenance)?.value()
        }))
    }

    /// The plan of the token liquidation (repay token 1, seize token 0): its repay.
    #[cfg(feature = "liquidation")]
    #[unsafe(no_mangle)]
    pub extern "C" fn lce_plan() -> i64 {
        out(WORLD.get().map_or(Err(lce::Error::Overflow), |w| {
            let ctx = Context::tokens(&w.tokens, &w.prices)?;
            Ok(plan_token_liquidation(&w.account, &ctx, &LiquidationParams::default(), ORDER)?.repay)
        }))
    }

    /// The liquidation planned and applied to the account: its seize.
    #[cfg(feature = "liquidation")]
    #[unsafe(no_mangle)]
    pub extern "C" fn lce_apply() -> i64 {
        out(WORLD.get().map_or(Err(lce::Error::Overflow), |w| {
            let ctx = Context::tokens(&w.tokens, &w.prices)?;
            Ok(liquidate_token(&mut w.account, &ctx, &LiquidationParams::default(), ORDER)?.seize)
        }))
    }
}

#[cfg(feature = "decide")]
mod decide {
    //! The liquidator's decision on a 3,000-unit offer of collateral priced 100 with a 5 %
    //! bonus, selling into a constant-product pool of 10,000 collateral against 1,000,000.
    use super::{Slot, micro, out};
    use lce::liquidator::{Environment, EnvironmentRaw, Opportunity, Profile, ProfileRaw, decide};
    use lce::market::ConstantProduct;
    use lce::{Result, Wad};

    struct Inputs {
        profile: Profile,
        env: Environment,
        pool: ConstantProduct,
        opp: Opportunity,
    }

    static INPUTS: Slot<Inputs> = Slot::new();

    fn inputs() -> Result<Inputs> {
        Ok(Inputs {
            profile: Profile::new(ProfileRaw {
                capital: micro(1_000_000_000_000),
                gas_per_liquidation: micro(300_000_000_000),
                min_profit: micro(1_000_000),
                latency: 2,
                risk_factor: micro(2_000_000),
            })?,
            env: Environment::new(EnvironmentRaw {
                gas_price: Wad::from_raw(20_000_000_000),
                volatility: micro(1_000),
            })?,
            pool: ConstantProduct::new(micro(10_000_000_000), micro(1_000_000_000_000), micro(3_000))?,
            opp: Opportunity {
                repay_max: micro(3_000_000_000),
                liab_price: micro(1_000_000),
                coll_price: micro(100_000_000),
                bonus: micro(50_000),
                protocol_fee_share: micro(100_000),
            },
        })
    }

    #[unsafe(no_mangle)]
    pub extern "C" fn lce_setup(_: u32) -> i32 {
        match inputs() {
            Ok(i) => {
                INPUTS.set(i);
                0
            }
            Err(_) => -1,
        }
    }

    /// The decision: the repay it takes.
    #[unsafe(no_mangle)]
    pub extern "C" fn lce_decide() -> i64 {
        out(INPUTS.get().map_or(Err(lce::Error::Overflow), |i| {
            Ok(decide(&i.profile, &i.env, &i.pool, &i.opp)?.repay)
        }))
    }
}

#[cfg(any(feature = "exp", feature = "ln", feature = "norm-cdf"))]
mod math {
    //! One argument, set by `lce_setup(n)` as `n / 1000`.
    use super::{Slot, out};
    use lce::{Rounding, Wad};

    static X: Slot<Wad> = Slot::new();

    #[unsafe(no_mangle)]
    pub extern "C" fn lce_setup(n: u32) -> i32 {
        X.set(Wad::from_raw(i128::from(n) * 1_000_000_000_000_000));
        0
    }

    fn x() -> Wad {
        X.get().map_or(Wad::ZERO, |x| *x)
    }

    /// `exp(x)`, rounded down.
    #[cfg(feature = "exp")]
    #[unsafe(no_mangle)]
    pub extern "C" fn lce_exp() -> i64 {
        out(x().exp(Rounding::Floor))
    }

    /// `ln(x)`, rounded down.
    #[cfg(feature = "ln")]
    #[unsafe(no_mangle)]
    pub extern "C" fn lce_ln() -> i64 {
        out(x().ln(Rounding::Floor))
    }

    /// `Φ(x)`, rounded down.
    #[cfg(feature = "norm-cdf")]
    #[unsafe(no_mangle)]
    pub extern "C" fn lce_norm_cdf() -> i64 {
        out(x().norm_cdf(Rounding::Floor))
    }
}

#[cfg(feature = "black-scholes")]
mod black_scholes {
    //! A call: spot 100, strike 110, volatility 0.6, three months, rate 5 %, no yield.
    use super::{Slot, micro, out};
    use lce::options::{BsInputs, BsInputsRaw, OptionKind, price};
    use lce::{Rounding, Wad};

    static INPUTS: Slot<BsInputs> = Slot::new();

    #[unsafe(no_mangle)]
    pub extern "C" fn lce_setup(_: u32) -> i32 {
        match BsInputs::new(BsInputsRaw {
            spot: micro(100_000_000),
            strike: micro(110_000_000),
            vol: micro(600_000),
            t: micro(250_000),
            rate: micro(50_000),
            yield_: Wad::ZERO,
        }) {
            Ok(i) => {
                INPUTS.set(i);
                0
            }
            Err(_) => -1,
        }
    }

    /// The call's price, rounded down.
    #[unsafe(no_mangle)]
    pub extern "C" fn lce_black_scholes() -> i64 {
        out(INPUTS.get().map_or(Err(lce::Error::Overflow), |i| {
            price(OptionKind::Call, i, Rounding::Floor)
        }))
    }
}
