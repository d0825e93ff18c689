//! The rounding direction of a result that is not on the number's grid.

/// Which way a result that falls between two representable values is rounded.
///
/// Directions are mathematical: [`Floor`](Rounding::Floor) goes toward negative infinity and
/// [`Ceil`](Rounding::Ceil) toward positive infinity, for negative results too (so
/// `-1.5` floors to `-2`). lce picks, at every step, the direction that goes against the
/// account being assessed and in favour of the protocol's solvency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Rounding {
    /// Toward negative infinity: the largest representable value not above the exact one.
    #[default]
    Floor,
    /// Toward positive infinity: the smallest representable value not below the exact one.
    Ceil,
}

impl Rounding {
    /// The opposite direction.
    #[must_use]
    pub const fn reverse(self) -> Self {
        match self {
            Self::Floor => Self::Ceil,
            Self::Ceil => Self::Floor,
        }
    }

    /// The name on the wire: `"floor"` or `"ceil"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Floor => "floor",
            Self::Ceil => "ceil",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_on_the_wire() {
        assert_eq!((Rounding::Floor.as_str(), Rounding::Ceil.as_str()), ("floor", "ceil"));
    }
}
