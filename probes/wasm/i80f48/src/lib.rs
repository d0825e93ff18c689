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

#[cfg(any(feature = "health", feature = "liquidation"))]
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

#[cfg(any(feature = "exp", feature = "ln", feature = "norm-cdf", feature = "black-scholes"))]
mod math {
    //! `exp`, `ln`, the normal CDF and a Black-Scholes call as they are commonly written in
    //! fixed point: range reduction and a truncated series with constant coefficients (no
    //! division in the loops), rounding wherever the type truncates, and the Abramowitz-Stegun 26.2.17 approximation of `Φ` (absolute error below
    //! 7.5e-8). Accurate to about 1e-14 (`exp`, `ln`) and 1e-7 (`Φ`, the price); lce's are
    //! correctly rounded to 1e-18, which is what the comparison prices.
    use super::*;

    const ONE: I80F48 = I80F48::ONE;

    /// `1/i!` for `i` in `0..=12`, the Taylor coefficients of `e^r`.
    const EXP_COEFFS: [I80F48; 13] = [
        ONE,
        ONE,
        I80F48::lit("0.5"),
        I80F48::lit("0.1666666666666666666667"),
        I80F48::lit("0.0416666666666666666667"),
        I80F48::lit("0.0083333333333333333333"),
        I80F48::lit("0.0013888888888888888889"),
        I80F48::lit("0.0001984126984126984127"),
        I80F48::lit("0.0000248015873015873016"),
        I80F48::lit("0.0000027557319223985891"),
        I80F48::lit("0.0000002755731922398589"),
        I80F48::lit("0.0000000250521083854417"),
        I80F48::lit("0.0000000020876756987868"),
    ];

    /// `e^x`: `x = k·ln 2 + r` with `k = round(x·log2 e)`, the Taylor polynomial of `e^r` to
    /// the 12th power by Horner's rule (its remainder is below 2^-48), times `2^k`.
    pub(crate) fn exp(x: I80F48) -> Option<I80F48> {
        let k = x.checked_mul(I80F48::LOG2_E)?.checked_round()?;
        let r = x.checked_sub(k.checked_mul(I80F48::LN_2)?)?;
        let mut sum = I80F48::ZERO;
        for c in EXP_COEFFS.iter().rev() {
            sum = sum.checked_mul(r)?.checked_add(*c)?;
        }
        let k = k.to_num::<i32>();
        if k >= 0 {
            // Overflow shows as a top bit lost.
            let shifted = sum.checked_shl(k.unsigned_abs())?;
            (shifted.checked_shr(k.unsigned_abs())? == sum).then_some(shifted)
        } else {
            sum.checked_shr(k.unsigned_abs())
        }
    }

    /// `1/(2i + 1)` for `i` in `0..=9`, the coefficients of `atanh`'s series.
    const ATANH_COEFFS: [I80F48; 10] = [
        ONE,
        I80F48::lit("0.3333333333333333333333"),
        I80F48::lit("0.2"),
        I80F48::lit("0.1428571428571428571429"),
        I80F48::lit("0.1111111111111111111111"),
        I80F48::lit("0.0909090909090909090909"),
        I80F48::lit("0.0769230769230769230769"),
        I80F48::lit("0.0666666666666666666667"),
        I80F48::lit("0.0588235294117647058824"),
        I80F48::lit("0.0526315789473684210526"),
    ];

    /// `ln x` for `x > 0`: `x = 2^k·m` with `m` in `[√½, √2)`, and
    /// `ln m = 2·atanh(s) = 2·s·(1 + s²/3 + s⁴/5 + …)`, `s = (m − 1)/(m + 1)`, to `s^19`
    /// (Horner's rule in `s²`).
    pub(crate) fn ln(x: I80F48) -> Option<I80F48> {
        if x <= I80F48::ZERO {
            return None;
        }
        let mut k = x.checked_int_log2()?;
        let mut m = if k >= 0 {
            x.checked_shr(k.unsigned_abs())?
        } else {
            x.checked_shl(k.unsigned_abs())?
        };
        if m > I80F48::SQRT_2 {
            m = m.checked_shr(1)?;
            k = k.checked_add(1)?;
        }
        let s = m.checked_sub(ONE)?.checked_div(m.checked_add(ONE)?)?;
        let s2 = s.checked_mul(s)?;
        let mut sum = I80F48::ZERO;
        for c in ATANH_COEFFS.iter().rev() {
            sum = sum.checked_mul(s2)?.checked_add(*c)?;
        }
        I80F48::from_num(k)
            .checked_mul(I80F48::LN_2)?
            .checked_add(sum.checked_mul(s)?.checked_mul_int(2)?)
    }

    /// `Φ(x)` by Abramowitz and Stegun 26.2.17: for `x ≥ 0`,
    /// `1 − φ(x)·(b1·t + b2·t² + b3·t³ + b4·t⁴ + b5·t⁵)` with `t = 1/(1 + p·x)`; `1 − Φ(−x)` below 0.
    pub(crate) fn norm_cdf(x: I80F48) -> Option<I80F48> {
        const P: I80F48 = I80F48::lit("0.2316419");
        const B: [I80F48; 5] = [
            I80F48::lit("0.319381530"),
            I80F48::lit("-0.356563782"),
            I80F48::lit("1.781477937"),
            I80F48::lit("-1.821255978"),
            I80F48::lit("1.330274429"),
        ];
        let a = x.checked_abs()?;
        let t = ONE.checked_div(ONE.checked_add(P.checked_mul(a)?)?)?;
        // Horner: t·(b1 + t·(b2 + t·(b3 + t·(b4 + t·b5)))).
        let mut poly = I80F48::ZERO;
        for b in B.iter().rev() {
            poly = poly.checked_mul(t)?.checked_add(*b)?;
        }
        let pdf = exp(a.checked_mul(a)?.checked_div_int(2)?.checked_neg()?)?.checked_mul(I80F48::FRAC_1_SQRT_2PI)?;
        let upper = pdf.checked_mul(poly.checked_mul(t)?)?;
        if x.is_negative() {
            Some(upper)
        } else {
            ONE.checked_sub(upper)
        }
    }

    static X: Slot<I80F48> = Slot::new();

    /// `n / 1000`, as lce-wasm's `lce_setup` sets its argument.
    #[unsafe(no_mangle)]
    pub extern "C" fn i80f48_setup(n: u32) -> i32 {
        X.set(I80F48::from_num(n).checked_div_int(1000).unwrap_or(I80F48::ZERO));
        0
    }

    fn x() -> I80F48 {
        X.get().map_or(I80F48::ZERO, |x| *x)
    }

    #[cfg(feature = "exp")]
    #[unsafe(no_mangle)]
    pub extern "C" fn i80f48_exp() -> i64 {
        out(exp(x()))
    }

    #[cfg(feature = "ln")]
    #[unsafe(no_mangle)]
    pub extern "C" fn i80f48_ln() -> i64 {
        out(ln(x()))
    }

    #[cfg(feature = "norm-cdf")]
    #[unsafe(no_mangle)]
    pub extern "C" fn i80f48_norm_cdf() -> i64 {
        out(norm_cdf(x()))
    }

    /// The call of lce-wasm's `black-scholes` program (spot 100, strike 110, volatility 0.6,
    /// a quarter of a year, rate 5 %): `S·Φ(d1) − K·e^(−rt)·Φ(d2)`,
    /// `d1 = (ln(S/K) + (r + σ²/2)·t) / (σ·√t)`, `d2 = d1 − σ·√t`.
    #[cfg(feature = "black-scholes")]
    #[unsafe(no_mangle)]
    pub extern "C" fn i80f48_black_scholes() -> i64 {
        let call = || -> Option<I80F48> {
            // Opaque inputs, as lce-wasm reads its own from memory.
            let s = micro(100_000_000)?;
            let k = micro(110_000_000)?;
            let vol = micro(600_000)?;
            let t = micro(250_000)?;
            let r = micro(50_000)?;
            let vol_t = vol.checked_mul(t.checked_sqrt()?)?;
            let drift = r
                .checked_add(vol.checked_mul(vol)?.checked_div_int(2)?)?
                .checked_mul(t)?;
            let d1 = ln(s.checked_div(k)?)?.checked_add(drift)?.checked_div(vol_t)?;
            let d2 = d1.checked_sub(vol_t)?;
            let discount = exp(r.checked_mul(t)?.checked_neg()?)?;
            s.checked_mul(norm_cdf(d1)?)?
                .checked_sub(k.checked_mul(discount)?.checked_mul(norm_cdf(d2)?)?)
        };
        out(call())
    }
}
