//! TEMP local stand-in (not committed); replaced by the rng branch.
#![allow(missing_docs)]
use crate::{Result, Wad};
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Path<'a> {
    Constant(Wad),
    Instant { from: Wad, to: Wad, at: u64 },
    Listed(&'a [Wad]),
}
impl Path<'_> {
    pub fn price(&self, block: u64) -> Result<Wad> {
        Ok(match *self {
            Self::Constant(p) => p,
            Self::Instant { from, to, at } => {
                if block < at {
                    from
                } else {
                    to
                }
            }
            Self::Listed(l) => *l.get(block as usize).or(l.last()).unwrap_or(&Wad::ONE),
        })
    }
    pub fn settles_at(&self) -> u64 {
        match *self {
            Self::Constant(_) => 0,
            Self::Instant { at, .. } => at,
            Self::Listed(l) => l.len() as u64,
        }
    }
}
