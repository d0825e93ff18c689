//! The baseline of the cost table: health and a token liquidation written with
//! `fixed::I80F48`, the number type of Mango v4 and marginfi v2, on the same world as
//! `lce-wasm` (probes/wasm/entry) and built the same way.
//!
//! The formulas are Mango v4's: a token's health contribution is `balance · price · weight`
//! (deposits at the lower price and asset weight, borrows at the higher price and liability
//! weight); `liq_token_with_token` repays the liability that brings the target health to zero
//! by the closed form `−H / (P⁺·w_liab − P·(1 + fee)·P⁻·w_asset / P_coll)`, capped by the
//! borrow and by what the deposit can pay, seizes `repay · P_liab · (1 + fee) / P_coll`, and
//! reads health again after. Every operation is checked (`None` on overflow, where Mango's
//! build with overflow checks would abort). It has none of lce's guarantees — no rounding
//! direction, binary fractions (0.1 is not exact), no search on the grid — which is what the
//! comparison prices.
#![no_std]
#![allow(unsafe_code)] // the statics of a single-threaded wasm program
#![allow(dead_code, unused_imports)] // each feature is another program

use core::cell::UnsafeCell;
use core::hint::black_box;

use fixed::types::I80F48;

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

struct Slot<T>(UnsafeCell<Option<T>>);

// SAFETY: wasm32-unknown-unknown without the atomics feature runs one thread.
unsafe impl<T> Sync for Slot<T> {}

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

const TOKENS: usize = 16;

/// The health levels, as indexes of the weights.
const MAINT: usize = 1;
const LIQ_END: usize = 2;

#[derive(Clone, Copy)]
struct Token {
    /// Initial, maintenance and liquidation-end weights.
    asset_weight: [I80F48; 3],
    liab_weight: [I80F48; 3],
    /// The oracle price and its confidence.
    price: I80F48,
    conf: I80F48,
    /// The liquidation fee (the liquidator's bonus).
    fee: I80F48,
}

impl Token {
    fn asset_price(&self) -> Option<I80F48> {
        self.price.checked_sub(self.conf)
    }

    fn liab_price(&self) -> Option<I80F48> {
        self.price.checked_add(self.conf)
    }

    /// Mango's `health_contribution`: `balance · price · weight`.
    fn contribution(&self, level: usize, balance: I80F48) -> Option<I80F48> {
        if balance.is_negative() {
            balance
                .checked_mul(self.liab_price()?)?
                .checked_mul(*self.liab_weight.get(level)?)
        } else {
            balance
                .checked_mul(self.asset_price()?)?
                .checked_mul(*self.asset_weight.get(level)?)
        }
    }
}

struct World {
    tokens: [Token; TOKENS],
    balances: [I80F48; TOKENS],
    /// Positions in use.
    n: usize,
}

static WORLD: Slot<World> = Slot::new();

/// The same world as lce-wasm's: price (in millionths) and balance (in thousandths) of each token.
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

/// `units / 10^6`, opaque to the optimiser.
fn micro(units: i64) -> Option<I80F48> {
    I80F48::from_num(black_box(units)).checked_div(I80F48::from_num(1_000_000))
}

fn world(n: usize) -> Option<World> {
    let token = |price: i32| -> Option<Token> {
        let price = i64::from(price);
        Some(Token {
            asset_weight: [micro(800_000)?, micro(900_000)?, micro(850_000)?],
            liab_weight: [micro(1_200_000)?, micro(1_100_000)?, micro(1_150_000)?],
            price: micro(price)?,
            conf: micro(price / 1000)?,
            fee: micro(50_000)?,
        })
    };
    let mut tokens = [token(1)?; TOKENS];
    let mut balances = [I80F48::ZERO; TOKENS];
    for (i, &(price, balance)) in BOOK.iter().enumerate() {
        *tokens.get_mut(i)? = token(price)?;
        if i < n {
            *balances.get_mut(i)? = micro(i64::from(balance) * 1000)?;
        }
    }
    Some(World { tokens, balances, n })
}

#[unsafe(no_mangle)]
pub extern "C" fn i80f48_setup(n: u32) -> i32 {
    match world(n as usize) {
        Some(w) => {
            WORLD.set(w);
            0
        }
        None => -1,
    }
}

fn out(r: Option<I80F48>) -> i64 {
    r.map_or(-1, |v| v.to_bits() as i64)
}

/// Health at `level`: the sum of the contributions.
fn health(w: &World, level: usize) -> Option<I80F48> {
    let mut h = I80F48::ZERO;
    for (t, &b) in w.tokens.iter().zip(w.balances.iter()).take(w.n) {
        h = h.checked_add(t.contribution(level, b)?)?;
    }
    Some(h)
}

#[cfg(feature = "health")]
#[unsafe(no_mangle)]
pub extern "C" fn i80f48_health() -> i64 {
    out(WORLD.get().and_then(|w| health(w, MAINT)))
}

#[cfg(feature = "liquidation")]
mod liquidation {
    use super::*;

    const LIAB: usize = 1;
    const COLL: usize = 0;

    /// Mango's `liq_token_with_token`: `(repay, seize)`, or zeros for a healthy account.
    pub(crate) fn plan(w: &World) -> Option<(I80F48, I80F48)> {
        if !health(w, MAINT)?.is_negative() {
            return Some((I80F48::ZERO, I80F48::ZERO));
        }
        let target = health(w, LIQ_END)?;
        let liab = w.tokens.get(LIAB)?;
        let coll = w.tokens.get(COLL)?;
        let debt = w.balances.get(LIAB)?.checked_neg()?;
        let deposit = *w.balances.get(COLL)?;
        let fee_factor = I80F48::ONE.checked_add(coll.fee)?;
        // Health gained per liability token repaid.
        let gain = liab.liab_price()?.checked_mul(*liab.liab_weight.get(LIQ_END)?)?;
        let loss = liab
            .price
            .checked_mul(fee_factor)?
            .checked_mul(coll.asset_price()?)?
            .checked_mul(*coll.asset_weight.get(LIQ_END)?)?
            .checked_div(coll.price)?;
        let needed = target.checked_neg()?.checked_div(gain.checked_sub(loss)?)?;
        let payable = deposit
            .checked_mul(coll.price)?
            .checked_div(liab.price.checked_mul(fee_factor)?)?;
        let repay = needed.min(debt).min(payable).max(I80F48::ZERO);
        let seize = repay
            .checked_mul(liab.price)?
            .checked_mul(fee_factor)?
            .checked_div(coll.price)?;
        // Health after, as Mango checks it.
        let mut after = World {
            tokens: w.tokens,
            balances: w.balances,
            n: w.n,
        };
        *after.balances.get_mut(LIAB)? = w.balances.get(LIAB)?.checked_add(repay)?;
        *after.balances.get_mut(COLL)? = deposit.checked_sub(seize)?;
        black_box(health(&after, MAINT)?);
        Some((repay, seize))
    }

    #[unsafe(no_mangle)]
    pub extern "C" fn i80f48_health() -> i64 {
        out(WORLD.get().and_then(|w| health(w, MAINT)))
    }

    #[unsafe(no_mangle)]
    pub extern "C" fn i80f48_plan() -> i64 {
        out(WORLD.get().and_then(|w| plan(w)).map(|(repay, _)| repay))
    }

    #[unsafe(no_mangle)]
    pub extern "C" fn i80f48_apply() -> i64 {
        out(WORLD.get().and_then(|w| {
            let (repay, seize) = plan(w)?;
            let b = w.balances.get_mut(LIAB)?;
            *b = b.checked_add(repay)?;
            let d = w.balances.get_mut(COLL)?;
            *d = d.checked_sub(seize)?;
            Some(seize)
        }))
    }
}
