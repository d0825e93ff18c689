//! What every serde form shares with `lce eval`'s reader (`vectors/README.md` §8): an object
//! rejects a key it does not know, an optional field is absent or holds a value (never `null`),
//! and an absent field takes the default its `*Raw` type declares.
//!
//! A parameter type with defaults deserializes through a `*Wire` struct beside it: the object
//! as written, every field `None` when absent. Its `TryFrom` into the `*Raw` type names a
//! missing required field and gives every absent optional one its default; `lce eval` reads the
//! same `*Wire` struct and converts it with the same `TryFrom`, so the two accept the same
//! documents and read the same values.

use core::fmt;
use core::marker::PhantomData;

use serde::de::value::StrDeserializer;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer};

use crate::{Error, Result};

/// The why of a required field that is absent (here and in `lce eval`'s reader).
pub(crate) const REQUIRED: &str = "is required";

/// Deserializes a present optional field: its value, `null` refused.
///
/// For `#[serde(default, deserialize_with = "crate::wire::some")]` on an `Option` field (absent
/// is `None` by the default).
pub(crate) fn some<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> core::result::Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// Deserializes a choice: a JSON string naming a variant of the enum `T` by its serde name.
/// Serde's other forms of an enum (the map `{"call": null}`) are refused, as `lce eval`
/// refuses them.
pub(crate) fn name<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> core::result::Result<T, D::Error> {
    /// Forwards a string to `T`'s own deserializer.
    struct Name<T>(PhantomData<T>);

    impl<'de, T: Deserialize<'de>> Visitor<'de> for Name<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a name, as a string")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> core::result::Result<T, E> {
            T::deserialize(StrDeserializer::<E>::new(v))
        }
    }

    d.deserialize_str(Name(PhantomData))
}

/// [`name`] of a present optional field.
pub(crate) fn some_name<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> core::result::Result<Option<T>, D::Error> {
    name(d).map(Some)
}

/// The value of the required field `what`, or [`Error::Invalid`] naming it ("is required")
/// when it is absent.
pub(crate) fn need<T>(value: Option<T>, what: &'static str) -> Result<T> {
    value.ok_or(Error::invalid(what, REQUIRED))
}
