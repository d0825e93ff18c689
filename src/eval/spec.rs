//! One declared spec per wire object: the table of its fields drives both the strictness
//! check (the keys it knows) and the reads (in the table's order), so a key list can never
//! drift from the code that reads it.
//!
//! A [`Spec`] reads an object into its *wire form* `W`. For a kernel type that is the `*Wire`
//! struct beside it (every field `None` when absent), whose `TryFrom` names a missing required
//! field and gives the absent ones their defaults — the same conversion its serde
//! `Deserialize` goes through — or, when every field is optional, its `*Raw` type itself,
//! filled onto its `Default` as serde fills it. So `lce eval` and serde accept the same
//! documents and read the same values (`wire_tests.rs` checks it on every vector). An object
//! only `lce eval` reads (a scenario's venue, a path) has a wire form of its own here.
//!
//! An object made of several parts (a token is an oracle price and token parameters) checks
//! its keys against the union of the parts' specs ([`Fields::strict_for`]) and then fills each
//! part in turn, with the kernel's checks between them where the wire spec orders them so. A
//! tagged object (a market's `model`, a path's `kind`) is read by the spec its tag chooses.

use std::vec::Vec;

use super::OpError;
use super::args::Fields;
use super::why;
use crate::Wad;

/// A place a field's value is put: the field itself, or an optional field (`Some(value)`), or a
/// wider integer.
pub trait Slot<T> {
    /// Stores `value`.
    fn put(&mut self, value: T);
}

impl<T> Slot<T> for T {
    fn put(&mut self, value: T) {
        *self = value;
    }
}

impl<T> Slot<T> for Option<T> {
    fn put(&mut self, value: T) {
        *self = Some(value);
    }
}

impl Slot<u32> for u64 {
    fn put(&mut self, value: u32) {
        *self = u64::from(value);
    }
}

impl Slot<u32> for Option<u64> {
    fn put(&mut self, value: u32) {
        *self = Some(u64::from(value));
    }
}

/// A reader of a field that is not a plain decimal or count: the object, the key, the wire form
/// to fill and the context.
pub type With<W, C> = fn(&Fields<'_>, &'static str, &mut W, &C) -> Result<(), OpError>;

/// How one field's value is read, and where it goes in the wire form `W`.
enum Read<W: 'static, C: 'static> {
    /// A decimal ([`Fields::decimal`]).
    Decimal(fn(&mut W) -> &mut dyn Slot<Wad>),
    /// An integer in `0..=u32::MAX` ([`Fields::count`]).
    Count(fn(&mut W) -> &mut dyn Slot<u32>),
    /// Anything else (an object, an array, a choice, a checked value).
    With(With<W, C>),
    /// A key that the caller reads before the spec (the tag that chose it).
    Tag,
}

/// One field of a wire object: its key, whether it must be present, and how it is read into
/// the wire form `W` (with `C` the context a reader may need, such as how many tokens an index
/// must stay below).
pub struct Field<W: 'static, C: 'static = ()> {
    key: &'static str,
    required: bool,
    read: Read<W, C>,
}

impl<W, C> Field<W, C> {
    /// A required decimal.
    pub const fn decimal(key: &'static str, at: fn(&mut W) -> &mut dyn Slot<Wad>) -> Self {
        Self {
            key,
            required: true,
            read: Read::Decimal(at),
        }
    }

    /// An optional decimal: when absent the wire form keeps its default.
    pub const fn opt_decimal(key: &'static str, at: fn(&mut W) -> &mut dyn Slot<Wad>) -> Self {
        Self {
            key,
            required: false,
            read: Read::Decimal(at),
        }
    }

    /// A required integer in `0..=u32::MAX` (a JSON number).
    pub const fn count(key: &'static str, at: fn(&mut W) -> &mut dyn Slot<u32>) -> Self {
        Self {
            key,
            required: true,
            read: Read::Count(at),
        }
    }

    /// An optional integer in `0..=u32::MAX`: when absent the wire form keeps its default.
    pub const fn opt_count(key: &'static str, at: fn(&mut W) -> &mut dyn Slot<u32>) -> Self {
        Self {
            key,
            required: false,
            read: Read::Count(at),
        }
    }

    /// A required field read by `read`.
    pub const fn with(key: &'static str, read: With<W, C>) -> Self {
        Self {
            key,
            required: true,
            read: Read::With(read),
        }
    }

    /// An optional field read by `read` when present.
    pub const fn opt_with(key: &'static str, read: With<W, C>) -> Self {
        Self {
            key,
            required: false,
            read: Read::With(read),
        }
    }

    /// The tag of a tagged object (`kind`, `model`): a known key that the caller has read to
    /// choose this spec.
    pub const fn tag(key: &'static str) -> Self {
        Self {
            key,
            required: false,
            read: Read::Tag,
        }
    }
}

/// The keys an object (or a part of one) knows.
pub trait Keys {
    /// Whether `key` is one of them.
    fn has(&self, key: &str) -> bool;

    /// All of them, in the order they are declared (for the why of an unknown key).
    fn names(&self) -> Vec<&str>;
}

/// The declared fields of one wire object (or of one part of an object), in the order they
/// are read: the one home of its keys, their requiredness and how each is read.
pub struct Spec<W: 'static, C: 'static = ()>(&'static [Field<W, C>]);

/// The keys of an op's input, as [`Op::inputs`](super::Op::inputs) lists them.
impl Keys for &[&str] {
    fn has(&self, key: &str) -> bool {
        self.contains(&key)
    }

    fn names(&self) -> Vec<&str> {
        self.to_vec()
    }
}

impl<W, C> Keys for Spec<W, C> {
    fn has(&self, key: &str) -> bool {
        self.0.iter().any(|f| f.key == key)
    }

    fn names(&self) -> Vec<&str> {
        self.0.iter().map(|f| f.key).collect()
    }
}

impl<W, C> Spec<W, C> {
    /// The spec of the fields `fields`, read in this order.
    pub const fn new(fields: &'static [Field<W, C>]) -> Self {
        Self(fields)
    }

    /// Reads this spec's fields of `f`, in order, into `w` (the caller has checked the keys):
    /// a missing required field is `invalid` naming it (why: `is required`), an absent
    /// optional one leaves `w` as it is (its default), a present one is read (`invalid` naming
    /// it when malformed).
    pub fn fill(&self, f: &Fields<'_>, w: &mut W, cx: &C) -> Result<(), OpError> {
        for field in self.0 {
            let key = field.key;
            if !f.has(key) {
                if field.required {
                    return Err(OpError::invalid(f.name(key), why::REQUIRED));
                }
                continue;
            }
            match field.read {
                Read::Decimal(at) => at(w).put(f.decimal(key)?),
                Read::Count(at) => at(w).put(f.count(key)?),
                Read::With(read) => read(f, key, w, cx)?,
                Read::Tag => {}
            }
        }
        Ok(())
    }

    /// Reads the object `f` by this spec alone, onto `start` (its defaults) and with the
    /// context `cx`: the unknown-key check first, then the fields in order.
    pub fn read_with(&self, f: &Fields<'_>, start: W, cx: &C) -> Result<W, OpError> {
        f.strict_for(&[self])?;
        let mut w = start;
        self.fill(f, &mut w, cx)?;
        Ok(w)
    }
}

impl<W: Default> Spec<W, ()> {
    /// Reads the object `f` by this spec alone onto `W::default()`: the unknown-key check first,
    /// then the fields in order.
    pub fn read(&self, f: &Fields<'_>) -> Result<W, OpError> {
        self.read_with(f, W::default(), &())
    }

    /// This spec's part of `f` (the caller has checked the keys), filled onto `W::default()` and
    /// converted by `T`'s `TryFrom` (the defaults and the kernel's checks of a `*Wire` form): an
    /// invalid field is named by its path below `f`.
    pub fn part<T: TryFrom<W, Error = crate::Error>>(&self, f: &Fields<'_>) -> Result<T, OpError> {
        let mut w = W::default();
        self.fill(f, &mut w, &())?;
        T::try_from(w).map_err(|e| f.kernel(e))
    }

    /// The object `f` read by this spec alone (the unknown-key check first) and converted as
    /// [`Spec::part`].
    pub fn object<T: TryFrom<W, Error = crate::Error>>(&self, f: &Fields<'_>) -> Result<T, OpError> {
        f.strict_for(&[self])?;
        self.part(f)
    }
}

impl Fields<'_> {
    /// Rejects the first key (in the input's order) that none of `parts` knows, naming its
    /// path; the why lists the keys the parts know, or suggests the one it is a slip for.
    pub fn strict_for(&self, parts: &[&dyn Keys]) -> Result<(), OpError> {
        match self.keys().find(|k| !parts.iter().any(|p| p.has(k))) {
            Some(unknown) => Err(unknown_key(self.name(unknown), unknown, parts)),
            None => Ok(()),
        }
    }
}

/// The error of the key `key` (named `what`) that none of `parts` knows.
pub fn unknown_key(what: std::string::String, key: &str, parts: &[&dyn Keys]) -> OpError {
    let mut known: Vec<&str> = Vec::new();
    for name in parts.iter().flat_map(|p| p.names()) {
        if !known.contains(&name) {
            known.push(name);
        }
    }
    OpError::invalid(what, why::unknown_key(key, &known))
}
