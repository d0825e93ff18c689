//! The one error type of the crate.
//!
//! Every fallible operation of lce returns [`Result<T>`]. Errors are small, `Copy`, and carry
//! two `&'static str`s: `what`, naming the field, argument or container concerned, and `why`,
//! the rule it broke in the field's own terms (`"must be > 0"`, `"threshold·(1 + bonus) must
//! be ≤ 1"`), so that a caller (or the `lce eval` protocol) can say exactly what was wrong, and
//! why, without allocating or formatting.

use core::fmt;

/// Everything that can go wrong in lce.
///
/// The enum is `#[non_exhaustive]`: later versions may add variants, so match with a wildcard arm.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Error {
    /// A result, or an intermediate value, does not fit the number type (an `i128` of 1e-18
    /// units for a [`Wad`](crate::Wad)).
    Overflow,
    /// Division by zero.
    DivisionByZero,
    /// A mathematical function was called outside its domain; `what` names the argument (for
    /// example `"x"`, the argument of `ln`) and `why` the domain (`"ln needs x > 0"`).
    Domain {
        /// The argument outside the domain.
        what: &'static str,
        /// The domain it violated, as a rule: `"ln needs x > 0"`.
        why: &'static str,
    },
    /// An input is malformed or out of its allowed range; `what` names the field and `why` the
    /// rule it broke.
    Invalid {
        /// The field (or text) that is invalid.
        what: &'static str,
        /// The rule it broke, a short sentence fragment in the field's terms: `"must be > 0"`,
        /// `"must not exceed the initial weight"`, `"threshold·(1 + bonus) must be ≤ 1"`.
        why: &'static str,
    },
    /// A fixed-capacity container is full; `what` names the container and `why` its bound.
    Capacity {
        /// The container whose capacity was exceeded.
        what: &'static str,
        /// Its bound, or what filled it: `"an account holds at most its capacity of positions"`.
        why: &'static str,
    },
}

impl Error {
    /// [`Error::Invalid`]: the field `what` broke the rule `why`.
    #[must_use]
    pub const fn invalid(what: &'static str, why: &'static str) -> Self {
        Self::Invalid { what, why }
    }

    /// [`Error::Domain`]: the argument `what` is outside the domain `why`.
    #[must_use]
    pub const fn domain(what: &'static str, why: &'static str) -> Self {
        Self::Domain { what, why }
    }

    /// [`Error::Capacity`]: the container `what` is full; `why` says its bound.
    #[must_use]
    pub const fn capacity(what: &'static str, why: &'static str) -> Self {
        Self::Capacity { what, why }
    }

    /// A short machine-readable name of the variant: `"overflow"`, `"division_by_zero"`,
    /// `"domain"`, `"invalid"`, `"capacity"`. It is the `kind` of an error on the wire.
    #[must_use]
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::Overflow => "overflow",
            Self::DivisionByZero => "division_by_zero",
            Self::Domain { .. } => "domain",
            Self::Invalid { .. } => "invalid",
            Self::Capacity { .. } => "capacity",
        }
    }

    /// What the error concerns: the field, argument or container it names, or a fixed
    /// description for the variants that carry none. It is the `what` of an error on the wire.
    #[must_use]
    pub const fn what(&self) -> &'static str {
        match self {
            Self::Overflow => "result out of range",
            Self::DivisionByZero => "division by zero",
            Self::Domain { what, .. } | Self::Invalid { what, .. } | Self::Capacity { what, .. } => what,
        }
    }

    /// Why the input is wrong: the rule that [`what`](Self::what) broke, in its own terms
    /// (`"must be > 0"`, `"must not exceed the initial weight"`); `None` for
    /// [`Overflow`](Self::Overflow) and [`DivisionByZero`](Self::DivisionByZero), which name
    /// no field. It is the `why` of an error on the wire.
    #[must_use]
    pub const fn why(&self) -> Option<&'static str> {
        match self {
            Self::Overflow | Self::DivisionByZero => None,
            Self::Domain { why, .. } | Self::Invalid { why, .. } | Self::Capacity { why, .. } => Some(why),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Overflow => f.write_str("arithmetic overflow: result out of range"),
            Self::DivisionByZero => f.write_str("division by zero"),
            Self::Domain { what, why } => write!(f, "argument outside the domain: {what}: {why}"),
            Self::Invalid { what, why } => write!(f, "invalid input: {what}: {why}"),
            Self::Capacity { what, why } => write!(f, "capacity exceeded: {what}: {why}"),
        }
    }
}

impl core::error::Error for Error {}

/// The result type of every fallible operation in lce.
pub type Result<T> = core::result::Result<T, Error>;

/// `Ok(())` when `ok`, else [`Error::Invalid`] naming `what` and the rule `why` it broke: a
/// field's range check, read as `ensure(strike.is_positive(), "strike", "must be > 0")?`.
#[inline]
pub(crate) const fn ensure(ok: bool, what: &'static str, why: &'static str) -> Result<()> {
    if ok { Ok(()) } else { Err(Error::Invalid { what, why }) }
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::string::ToString;

    #[test]
    fn an_error_says_what_and_why() {
        let e = Error::invalid("fee", "must be in [0, 1)");
        assert_eq!(
            (e.kind(), e.what(), e.why()),
            ("invalid", "fee", Some("must be in [0, 1)"))
        );
        assert_eq!(e.to_string(), "invalid input: fee: must be in [0, 1)");
        let e = Error::domain("x", "ln needs x > 0");
        assert_eq!(e.to_string(), "argument outside the domain: x: ln needs x > 0");
        let e = Error::capacity("positions", "the account has no room for another position");
        assert_eq!(
            e.to_string(),
            "capacity exceeded: positions: the account has no room for another position"
        );
        assert_eq!(ensure(true, "fee", "must be ≥ 0"), Ok(()));
        assert_eq!(
            ensure(false, "fee", "must be ≥ 0"),
            Err(Error::invalid("fee", "must be ≥ 0"))
        );
    }

    #[test]
    fn overflow_and_division_by_zero_name_no_field_and_have_no_why() {
        assert_eq!(Error::Overflow.why(), None);
        assert_eq!(Error::DivisionByZero.why(), None);
        assert_eq!(Error::Overflow.to_string(), "arithmetic overflow: result out of range");
    }

    #[test]
    fn an_error_stays_small_and_copy() {
        // Two `&'static str`s and a tag: what a caller copies on every `?`.
        assert!(core::mem::size_of::<Error>() <= 5 * core::mem::size_of::<usize>());
        let e = Error::invalid("x", "must be > 0");
        let copy = e;
        assert_eq!(copy, e);
    }
}
