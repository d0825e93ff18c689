//! Expiry: a series at `t = 0` settles at its intrinsic value, in cash.
//!
//! With `I = max(S − K, 0)` (call) or `max(K − S, 0)` (put), exact on the grid, a position of
//! `q` settles for `value = ⌊q · I⌋` when long (what the holder receives rounds down) and
//! `value = −⌈|q| · I⌉` when short (what the writer pays rounds up), paid in a settlement token
//! of price `P`: `tokens = ⌊value / P⌋` for a long, `−⌈|value| / P⌉` for a short. Every
//! rounding is against the account, so a book of settled positions never pays out more than
//! its writers paid in.

use crate::account::Account;
use crate::options::{MAX_PRICE, OptionKind};
use crate::{Error, Result, Wad};

/// The cash settlement of an option position at expiry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Settlement {
    /// The intrinsic value per unit, `max(S − K, 0)` or `max(K − S, 0)` (exact).
    pub intrinsic: Wad,
    /// The position's value, signed: `⌊q · I⌋` (long) or `−⌈|q| · I⌉` (short).
    pub value: Wad,
    /// The settlement token's change, signed: `⌊value / P⌋` (long) or `−⌈|value| / P⌉` (short).
    pub tokens: Wad,
}

impl Settlement {
    /// The settlement of `quantity` of a `kind` option struck at `strike` when the underlying
    /// is at `spot`, paid in a token of price `token_price`.
    ///
    /// Errors: [`Error::Invalid`] naming `strike` or `spot` outside `(0, 10^18]`,
    /// `token_price` unless positive; [`Error::Overflow`].
    pub fn new(kind: OptionKind, strike: Wad, spot: Wad, quantity: Wad, token_price: Wad) -> Result<Self> {
        if !strike.is_positive() || strike > MAX_PRICE {
            return Err(Error::invalid("strike", "must be in (0, 10^18]"));
        }
        if !spot.is_positive() || spot > MAX_PRICE {
            return Err(Error::invalid("spot", "must be in (0, 10^18]"));
        }
        if !token_price.is_positive() {
            return Err(Error::invalid("token_price", "must be > 0"));
        }
        let intrinsic = match kind {
            OptionKind::Call => spot.sub(strike)?,
            OptionKind::Put => strike.sub(spot)?,
        }
        .max(Wad::ZERO);
        let (value, tokens) = if quantity.is_negative() {
            let owed = quantity.abs()?.mul_ceil(intrinsic)?;
            (owed.neg()?, owed.div_ceil(token_price)?.neg()?)
        } else {
            let due = quantity.mul_floor(intrinsic)?;
            (due, due.div_floor(token_price)?)
        };
        Ok(Self {
            intrinsic,
            value,
            tokens,
        })
    }
}

impl Settlement {
    /// Applies the settlement of `account`'s position in `series` (whose quantity it was
    /// computed for): the position is closed and `tokens` is added to the balance of `token`
    /// (a short that cannot pay is left owing it, as a borrow).
    ///
    /// Errors: [`Error::Overflow`]; [`Error::Capacity`] when the account has no room for a new
    /// token position.
    pub fn apply<const N: usize>(&self, account: &mut Account<N>, series: u16, token: u16) -> Result<()> {
        let balance = account.token_balance(token).add(self.tokens)?;
        account.set_option(series, Wad::ZERO)?;
        account.set_token(token, balance)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::w;

    #[test]
    fn intrinsic_value_rounds_against_the_holder_of_each_side() {
        // Call K=2000 at S=2100: I = 100. Short 1.5 pays 150 = 0.075 tokens at 2000.
        let s = Settlement::new(OptionKind::Call, w("2000"), w("2100"), w("-1.5"), w("2000")).unwrap();
        assert_eq!((s.intrinsic, s.value, s.tokens), (w("100"), w("-150"), w("-0.075")));
        // Long 1 put K=1000 at S=997: I = 3, paid in a token of price 7: 3/7 rounded down.
        let s = Settlement::new(OptionKind::Put, w("1000"), w("997"), w("1"), w("7")).unwrap();
        assert_eq!(s.tokens, w("0.428571428571428571"));
        // The short side of it pays 3/7 rounded up.
        let s = Settlement::new(OptionKind::Put, w("1000"), w("997"), w("-1"), w("7")).unwrap();
        assert_eq!(s.tokens, w("-0.428571428571428572"));
        // Out of the money: nothing either way.
        let s = Settlement::new(OptionKind::Call, w("2000"), w("1999"), w("-3"), w("1")).unwrap();
        assert_eq!((s.intrinsic, s.value, s.tokens), (Wad::ZERO, Wad::ZERO, Wad::ZERO));
        assert!(Settlement::new(OptionKind::Call, w("0"), w("1"), w("1"), w("1")).is_err());
        assert!(Settlement::new(OptionKind::Call, w("1"), w("1"), w("1"), w("0")).is_err());
    }
}
