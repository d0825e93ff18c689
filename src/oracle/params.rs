//! The parameters of a push feed: deviation threshold, heartbeat and latency.

use crate::{Error, Result, Wad};

/// How a push feed (a Chainlink-style aggregator) decides to publish, and how long a
/// publication takes to land on chain.
///
/// The off-chain node decides a new round at block `b` when there is no round yet, when the
/// market price moved by more than [`deviation`](Self::deviation) from the last decided
/// price (`|p − last| / last > deviation`, strictly), or when
/// `b − last decided block >= heartbeat`. A round decided at `b` is visible on chain at
/// `b + latency`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "FeedParamsWire"))]
pub struct FeedParams {
    deviation: Wad,
    heartbeat: u64,
    latency: u64,
}

impl FeedParams {
    /// Feed parameters: the deviation threshold as a fraction of the last decided price
    /// (`0.005` is 0.5 %; `0` publishes every change), the heartbeat in blocks, the latency
    /// in blocks (`0`: visible in the block it is decided).
    ///
    /// Errors: [`Error::Invalid`] naming `deviation` when it is negative, naming `heartbeat`
    /// when it is zero (a heartbeat of one block publishes every block).
    pub fn new(deviation: Wad, heartbeat: u64, latency: u64) -> Result<Self> {
        if deviation.is_negative() {
            return Err(Error::invalid("deviation", "must be ≥ 0"));
        }
        if heartbeat == 0 {
            return Err(Error::invalid("heartbeat", "must be ≥ 1 block"));
        }
        Ok(Self {
            deviation,
            heartbeat,
            latency,
        })
    }

    /// The deviation threshold, a fraction of the last decided price.
    #[must_use]
    pub const fn deviation(&self) -> Wad {
        self.deviation
    }

    /// The heartbeat: the most blocks between two decided rounds while observations continue.
    #[must_use]
    pub const fn heartbeat(&self) -> u64 {
        self.heartbeat
    }

    /// The latency: blocks between the decision of a round and its visibility on chain.
    #[must_use]
    pub const fn latency(&self) -> u64 {
        self.latency
    }
}

/// A feed object as written on the wire (see [`crate::wire`]): every field `None` when absent;
/// deserializing goes through [`FeedParams::new`]. Block counts on the wire are integers in
/// `0..=u32::MAX`.
#[cfg(feature = "serde")]
#[derive(Clone, Copy, Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct FeedParamsWire {
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) deviation: Option<Wad>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) heartbeat: Option<u32>,
    #[serde(deserialize_with = "crate::wire::some")]
    pub(crate) latency: Option<u32>,
}

#[cfg(feature = "serde")]
impl TryFrom<FeedParamsWire> for FeedParams {
    type Error = Error;

    /// [`FeedParams::new`] of the three fields, each required.
    fn try_from(w: FeedParamsWire) -> Result<Self> {
        use crate::wire::need;
        let deviation = need(w.deviation, "deviation")?;
        let heartbeat = need(w.heartbeat, "heartbeat")?;
        let latency = need(w.latency, "latency")?;
        Self::new(deviation, u64::from(heartbeat), u64::from(latency))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_validated() {
        let half_pct: Wad = "0.005".parse().unwrap();
        let p = FeedParams::new(half_pct, 3600, 2).unwrap();
        assert_eq!((p.deviation(), p.heartbeat(), p.latency()), (half_pct, 3600, 2));
        assert_eq!(FeedParams::new(Wad::ZERO, 1, 0).unwrap().heartbeat(), 1);
        assert_eq!(
            FeedParams::new(Wad::from_raw(-1), 10, 0),
            Err(Error::invalid("deviation", "must be ≥ 0"))
        );
        assert_eq!(
            FeedParams::new(half_pct, 0, 0),
            Err(Error::invalid("heartbeat", "must be ≥ 1 block"))
        );
    }
}
