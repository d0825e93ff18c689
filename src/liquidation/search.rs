//! The boundary of a predicate over the 1e-18 grid, found from an estimate.

use crate::{Error, Result, Wad};

/// The most probes a search makes: a bracket of the whole `Wad` range halves in at most 128
/// steps, and galloping out of it takes at most 128 more.
const MAX_PROBES: u32 = 300;

/// An `x` in `(lo, hi]` with `pred(x)` true and `pred(x − 1e-18)` false, given `pred(lo)` false
/// and `pred(hi)` true, starting from the estimate `guess`: the smallest such `x` when `pred`
/// is monotone.
///
/// The result `x` always has `pred(x)` true and `pred(x − 1e-18)` false, whatever the shape
/// of `pred` (the invariant of the bisection); when `pred` is monotone it is the boundary.
/// From a good estimate it takes two probes: `guess` and the unit below it; otherwise it
/// gallops away from the estimate by doubling steps, then bisects.
///
/// Errors: [`Error::Overflow`] if the search does not close within its probe bound (it
/// cannot, by the step count above), or what `pred` returns.
pub(crate) fn boundary(lo: Wad, hi: Wad, guess: Wad, mut pred: impl FnMut(Wad) -> Result<bool>) -> Result<Wad> {
    let (mut lo, mut hi) = (lo.raw(), hi.raw());
    let mut probes = 0u32;
    let mut probe = |x: i128| -> Result<bool> {
        probes = probes.checked_add(1).ok_or(Error::Overflow)?;
        if probes > MAX_PROBES {
            return Err(Error::Overflow);
        }
        pred(Wad::from_raw(x))
    };
    // max then min, not `clamp`: `clamp` panics when its bounds cross, and these cannot be
    // proven ordered to the compiler.
    let g = guess.raw().max(lo.saturating_add(1)).min(hi);
    if g == hi || probe(g)? {
        // Gallop down from a true estimate: hi − 1, hi − 2, hi − 4, … until one is false.
        hi = g;
        let mut step: i128 = 1;
        while hi.saturating_sub(lo) > 1 {
            let at = hi.saturating_sub(step);
            if at <= lo {
                break;
            }
            if probe(at)? {
                hi = at;
                step = step.saturating_mul(2);
            } else {
                lo = at;
                break;
            }
        }
    } else {
        // Gallop up from a false estimate.
        lo = g;
        let mut step: i128 = 1;
        while hi.saturating_sub(lo) > 1 {
            let at = lo.saturating_add(step);
            if at >= hi {
                break;
            }
            if probe(at)? {
                hi = at;
                break;
            }
            lo = at;
            step = step.saturating_mul(2);
        }
    }
    while hi.saturating_sub(lo) > 1 {
        let mid = lo.saturating_add(hi.saturating_sub(lo) / 2);
        if probe(mid)? {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Ok(Wad::from_raw(hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(raw: i128) -> Wad {
        Wad::from_raw(raw)
    }

    #[test]
    fn finds_the_boundary_from_any_estimate() {
        for target in [1i128, 2, 3, 17, 1000, 123_456_789] {
            for guess in [0i128, 1, target - 1, target, target + 1, 5 * target, 10_i128.pow(12)] {
                let got = boundary(w(0), w(10_i128.pow(12)), w(guess), |x| Ok(x.raw() >= target)).unwrap();
                assert_eq!(got.raw(), target, "target {target} guess {guess}");
            }
        }
    }

    #[test]
    fn an_exact_estimate_costs_two_probes() {
        let mut probes = 0;
        let got = boundary(w(0), w(10_i128.pow(30)), w(777), |x| {
            probes += 1;
            Ok(x.raw() >= 777)
        })
        .unwrap();
        assert_eq!(got.raw(), 777);
        assert_eq!(probes, 2);
    }

    #[test]
    fn keeps_the_invariant_for_a_non_monotone_predicate() {
        // true on [10, 20) and on [30, ∞): the answer must be true with a false unit below it.
        let pred = |x: Wad| Ok((10..20).contains(&x.raw()) || x.raw() >= 30);
        for guess in 0..40 {
            let got = boundary(w(0), w(100), w(guess), pred).unwrap();
            assert!(
                pred(got).unwrap() && !pred(w(got.raw() - 1)).unwrap(),
                "guess {guess}: {got:?}"
            );
        }
    }

    /// The probes the search makes, in order, and its answer: the specified search
    /// (`vectors/README.md` §8.2) is pinned probe by probe, since on a saw-tooth predicate its
    /// path decides which boundary it returns.
    fn trace(guess: i128) -> (heapless::Vec<i128, 32>, i128) {
        let mut seen = heapless::Vec::new();
        let got = boundary(w(0), w(100), w(guess), |x| {
            seen.push(x.raw()).unwrap();
            Ok((10..20).contains(&x.raw()) || x.raw() >= 30)
        })
        .unwrap();
        (seen, got.raw())
    }

    #[test]
    fn the_search_is_pinned_probe_by_probe() {
        // A false estimate gallops up 1, 2, 4 past it, then bisects: 25 26 28 32 | 30 29 → 30.
        assert_eq!(
            trace(25),
            (heapless::Vec::from_slice(&[25, 26, 28, 32, 30, 29]).unwrap(), 30)
        );
        // A true estimate gallops down 1, 2, 4 below it: 15 14 12 8 | 10 9 → 10.
        assert_eq!(
            trace(15),
            (heapless::Vec::from_slice(&[15, 14, 12, 8, 10, 9]).unwrap(), 10)
        );
        // An estimate below the bracket starts at lo + 1: 1 2 4 8 16 | 12 10 9 → 10.
        assert_eq!(
            trace(0),
            (heapless::Vec::from_slice(&[1, 2, 4, 8, 16, 12, 10, 9]).unwrap(), 10)
        );
        // An estimate at or above hi is hi itself (known true, not probed): down from 100 by
        // 1, 2, 4, … to 37, the next step leaves the bracket; bisect (0, 37): 18 9 13 11 10 → 10.
        assert_eq!(
            trace(200),
            (
                heapless::Vec::from_slice(&[99, 97, 93, 85, 69, 37, 18, 9, 13, 11, 10]).unwrap(),
                10
            )
        );
        assert_eq!(trace(100), trace(200));
    }
}
