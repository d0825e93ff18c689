//! The one error type of the crate.
//!
//! Every fallible operation of lce returns [`Result<T>`]. Errors are small, `Copy`, and carry a
//! `&'static str` naming the field, argument or container concerned, so that a caller (or the
//! `lce eval` protocol) can say exactly what was wrong without allocating.

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
    /// A mathematical function was called outside its domain; `what` names the argument and
    /// the domain (for example `"x"`, the argument of `ln`).
    Domain {
        /// The argument and the domain it violated.
        what: &'static str,
    },
    /// An input is malformed or out of its allowed range; `what` names the field.
    Invalid {
        /// The field (or text) that is invalid.
        what: &'static str,
    },
    /// A fixed-capacity container is full; `what` names the container.
    Capacity {
        /// The container whose capacity was exceeded.
        what: &'static str,
    },
}

impl Error {
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
            Self::Domain { what } | Self::Invalid { what } | Self::Capacity { what } => what,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Overflow => f.write_str("arithmetic overflow: result out of range"),
            Self::DivisionByZero => f.write_str("division by zero"),
            Self::Domain { what } => write!(f, "argument outside the domain: {what}"),
            Self::Invalid { what } => write!(f, "invalid input: {what}"),
            Self::Capacity { what } => write!(f, "capacity exceeded: {what}"),
        }
    }
}

impl core::error::Error for Error {}

/// The result type of every fallible operation in lce.
pub type Result<T> = core::result::Result<T, Error>;

/// `Ok(())` when `ok`, else [`Error::Invalid`] naming `what`: a field's range check, read as
/// `ensure(strike.is_positive(), "strike")?`.
#[inline]
pub(crate) const fn ensure(ok: bool, what: &'static str) -> Result<()> {
    if ok { Ok(()) } else { Err(Error::Invalid { what }) }
}
