//! TEMP local stand-in (not committed); replaced by the rng branch.
#![allow(missing_docs, clippy::arithmetic_side_effects)]
use crate::Wad;
pub struct Rng(u64);
impl Rng {
    pub fn derive(seed: u64, key: u64) -> Self {
        Self(seed ^ key.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn open_unit(&mut self) -> Wad {
        let u = self.unit();
        if u.is_zero() { Wad::from_raw(1) } else { u }
    }
    pub fn unit(&mut self) -> Wad {
        Wad::from_raw(((u128::from(self.next_u64()) * 1_000_000_000_000_000_000) >> 64) as i128)
    }
}
