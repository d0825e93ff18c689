#!/usr/bin/env python3
"""Generates oracle_price.jsonl: the golden vectors of the op `oracle_price`.

Every expected value comes from the reference model below, an independent block-by-block
simulation of the feed in exact rationals (fractions.Fraction), written from the spec in
vectors/README.md §8.4 and not from the Rust code. Each case also carries the hand-worked values of
its key fields (`hand`), which the script asserts against the model, and the arithmetic in
its `note`. Run: python3 gen_oracle_price.py > oracle_price.jsonl
"""
import json
import sys
from collections import deque
from fractions import Fraction as F

CAPACITY = 64  # the op's history capacity H
UNIT = F(1, 10**18)


def wad(text):
    """The exact value of a decimal string (the wire grammar is not re-checked here)."""
    return F(text)


def canon(x):
    """The canonical text of a value on the 1e-18 grid."""
    assert (x / UNIT).denominator == 1, x
    raw = int(x / UNIT)
    sign = "-" if raw < 0 else ""
    raw = abs(raw)
    whole, frac = divmod(raw, 10**18)
    if frac == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole}." + f"{frac:018d}".rstrip("0")


def floor_wad(x):
    return F((x / UNIT).numerator // (x / UNIT).denominator) * UNIT


class Failure(Exception):
    def __init__(self, kind, what):
        self.kind, self.what = kind, what


def model(inp):
    """The op's answer for a valid input: the expected output, or raises Failure."""
    feed = inp["feed"]
    dev, hb, lat = wad(feed["deviation"]), feed["heartbeat"], feed["latency"]
    prices = [wad(p) for p in inp["prices"]]
    conf = wad(inp.get("conf", "0"))
    g = inp.get("guards", {})
    max_age, max_conf, max_dev = g.get("max_age"), g.get("max_conf_ratio"), g.get("max_deviation")
    window = g.get("twap_window", 1)

    rounds = []  # every decided round: (price, decided_at, visible_at)
    kept = deque()
    for b, p in enumerate(prices):
        if not rounds:
            decide = True
        else:
            last_p, last_d, _ = rounds[-1]
            decide = abs(p - last_p) / last_p > dev or b - last_d >= hb
        if not decide:
            continue
        r = (p, b, b + lat)
        if len(kept) == CAPACITY:
            after_oldest = kept[1] if CAPACITY > 1 else r
            if after_oldest[2] > b:
                raise Failure("capacity", "rounds in flight")
            kept.popleft()
        kept.append(r)
        rounds.append(r)

    last = len(prices) - 1

    def visible(t, among):
        seen = [r for r in among if r[2] <= t]
        return seen[-1] if seen else None

    cur = visible(last, rounds)
    out = {}
    if cur is None:
        twap = None
        stale, wide, deviates = True, False, False
    else:
        blocks = [t for t in range(max(0, last - window + 1), last + 1) if visible(t, rounds)]
        for t in blocks:
            if visible(t, rounds) not in kept:
                raise Failure("capacity", "history")
        twap = floor_wad(sum(visible(t, rounds)[0] for t in blocks) / len(blocks))
        if not (0 <= conf < cur[0]):
            raise Failure("invalid", "conf")
        age = last - cur[1]
        stale = max_age is not None and age > max_age
        wide = max_conf is not None and conf / cur[0] > wad(max_conf)
        deviates = max_dev is not None and abs(cur[0] - twap) / twap > wad(max_dev)
    refusal = "stale" if stale else "confidence" if wide else "deviation" if deviates else None
    out["price"] = canon(cur[0]) if cur else None
    out["decided_at"] = cur[1] if cur else None
    out["visible_at"] = cur[2] if cur else None
    out["age"] = last - cur[1] if cur else None
    out["rounds"] = len(rounds)
    out["kept"] = len(kept)
    out["twap"] = canon(twap) if twap is not None else None
    out["stale"] = stale
    out["conf_too_wide"] = wide
    out["deviates"] = deviates
    out["usable"] = refusal is None
    out["refusal"] = refusal
    return out


CASES = []


def case(note, inp, hand=None, error=None):
    CASES.append((note, inp, hand or {}, error))


def feed(dev, hb, lat):
    return {"deviation": dev, "heartbeat": hb, "latency": lat}


# ---- publication: deviation threshold -------------------------------------------------------
case("one price: the first round is decided at block 0 and visible at once (latency 0); twap over the default window of 1 block = 100",
     {"feed": feed("0.005", 10, 0), "prices": ["100"]},
     {"price": "100", "decided_at": 0, "age": 0, "rounds": 1, "twap": "100", "usable": True})
case("deviation 1 %: |101 - 100| / 100 = 0.01 is not > 0.01, so no round at block 1; the visible price is still 100, age 1",
     {"feed": feed("0.01", 100, 0), "prices": ["100", "101"]},
     {"price": "100", "decided_at": 0, "age": 1, "rounds": 1})
case("deviation 1 %: |101.000000000000000001 - 100| / 100 = 0.01000000000000000001 > 0.01: a round at block 1",
     {"feed": feed("0.01", 100, 0), "prices": ["100", "101.000000000000000001"]},
     {"price": "101.000000000000000001", "decided_at": 1, "age": 0, "rounds": 2})
case("deviation 1 % downward: |99 - 100| / 100 = 0.01, not > 0.01: no round",
     {"feed": feed("0.01", 100, 0), "prices": ["100", "99"]},
     {"price": "100", "rounds": 1})
case("deviation 1 % downward: |98.999999999999999999 - 100| / 100 = 0.01000000000000000001 > 0.01: a round",
     {"feed": feed("0.01", 100, 0), "prices": ["100", "98.999999999999999999"]},
     {"price": "98.999999999999999999", "rounds": 2})
case("deviation 0.5 %: 2010 is exactly 0.5 % above 2000 (10 / 2000 = 0.005): not published",
     {"feed": feed("0.005", 3600, 0), "prices": ["2000", "2010"]},
     {"price": "2000", "rounds": 1})
case("deviation 0.5 %: 2010.000000000000000001 is 0.005 + 5e-22 above 2000: published",
     {"feed": feed("0.005", 3600, 0), "prices": ["2000", "2010.000000000000000001"]},
     {"price": "2010.000000000000000001", "rounds": 2})
case("deviation is measured from the last DECIDED price: 100 decided; 100.9 (+0.9 %) not; 101.8 is +1.8 % from 100: decided at 2; 100.9 is 0.9/101.8 = 0.88 % from 101.8: not",
     {"feed": feed("0.01", 100, 0), "prices": ["100", "100.9", "101.8", "100.9"]},
     {"price": "101.8", "decided_at": 2, "age": 1, "rounds": 2})
case("deviation 0, latency 0: every change is shown at once: 1, 2, 3 decided at 0, 1, 2; the repeated 3 at block 3 is no change (and the heartbeat of 100 has not elapsed)",
     {"feed": feed("0", 100, 0), "prices": ["1", "2", "3", "3"]},
     {"price": "3", "decided_at": 2, "age": 1, "rounds": 3})
case("deviation 0 still needs a change: a flat price gives one round until the heartbeat",
     {"feed": feed("0", 5, 0), "prices": ["7", "7", "7", "7", "7"]},
     {"price": "7", "decided_at": 0, "age": 4, "rounds": 1})

# ---- heartbeat --------------------------------------------------------------------------------
case("heartbeat 3, flat price: rounds at blocks 0, 3, 6 (6 - 3 >= 3); at block 6 the heartbeat round is visible, age 0",
     {"feed": feed("0.5", 3, 0), "prices": ["10"] * 7},
     {"price": "10", "decided_at": 6, "age": 0, "rounds": 3})
case("heartbeat 3, flat price, blocks 0..5: rounds at 0 and 3; at block 5 age = 5 - 3 = 2",
     {"feed": feed("0.5", 3, 0), "prices": ["10"] * 6},
     {"decided_at": 3, "age": 2, "rounds": 2})
case("heartbeat 1: a round every block even with no move",
     {"feed": feed("0.5", 1, 0), "prices": ["10"] * 4},
     {"decided_at": 3, "age": 0, "rounds": 4})
case("heartbeat publishes a small move: 10 -> 10.01 is 0.1 % < 50 % but the heartbeat of 2 fires at block 2 with price 10.02",
     {"feed": feed("0.5", 2, 0), "prices": ["10", "10.01", "10.02"]},
     {"price": "10.02", "decided_at": 2, "rounds": 2})

# ---- latency ------------------------------------------------------------------------------------
case("latency 2 hides the newest rounds: 10, 11, 12 decided at 0, 1, 2, visible at 2, 3, 4; at block 2 only 10 is visible, age 2 - 0 = 2",
     {"feed": feed("0", 100, 2), "prices": ["10", "11", "12"]},
     {"price": "10", "decided_at": 0, "visible_at": 2, "age": 2, "rounds": 3, "kept": 3})
case("latency 5 hides everything at block 1: no price, no twap; no price is stale, so refused as stale even with no guards",
     {"feed": feed("0", 100, 5), "prices": ["10", "11"]},
     {"price": None, "age": None, "rounds": 2, "twap": None, "stale": True, "refusal": "stale"})
case("latency 1: the round decided at 0 is visible at block 1 (age 1); the round of block 1 (20, +100 %) is in flight",
     {"feed": feed("0.01", 100, 1), "prices": ["10", "20"]},
     {"price": "10", "visible_at": 1, "age": 1, "rounds": 2})
case("no price visible, conf larger than every market price: conf is only checked against a visible price",
     {"feed": feed("0", 100, 3), "prices": ["1"], "conf": "5"},
     {"price": None, "refusal": "stale"})

# ---- twap --------------------------------------------------------------------------------------
case("twap by hand: deviation 0, latency 1, prices 10, 10, 20, 20, 40: rounds at 0 (10), 2 (20), 4 (40) visible at 1, 3, 5; on chain at blocks 0..4: none, 10, 10, 20, 20; window 5 = blocks 0..4, data at 1..4: (10 + 10 + 20 + 20) / 4 = 15",
     {"feed": feed("0", 100, 1), "prices": ["10", "10", "20", "20", "40"], "guards": {"twap_window": 5}},
     {"price": "20", "decided_at": 2, "visible_at": 3, "age": 2, "rounds": 3, "twap": "15"})
case("twap by hand, rounded down: as above plus 40 at block 5 (visible 40 from block 5); window 3 = blocks 3, 4, 5: (20 + 20 + 40) / 3 = 26.666..., floor 26.666666666666666666",
     {"feed": feed("0", 100, 1), "prices": ["10", "10", "20", "20", "40", "40"], "guards": {"twap_window": 3}},
     {"price": "40", "decided_at": 4, "age": 1, "twap": "26.666666666666666666"})
case("twap window far longer than the data: only blocks with a visible price count: (10 + 10 + 20 + 20) / 4 = 15",
     {"feed": feed("0", 100, 1), "prices": ["10", "10", "20", "20", "40"], "guards": {"twap_window": 1000000}},
     {"twap": "15"})
case("twap leaves out the blocks before the first visible round: latency 2, prices 10, 20, 30, 40 visible from 2, 3, 4, 5; at block 3 window 4 = blocks 0..3, data at 2 (10) and 3 (20): 15",
     {"feed": feed("0", 100, 2), "prices": ["10", "20", "30", "40"], "guards": {"twap_window": 4}},
     {"price": "20", "age": 2, "twap": "15"})
case("twap of 1 and 2 on 3 blocks: 1, 1, 2 -> 4 / 3 = 1.333..., floor 1.333333333333333333",
     {"feed": feed("0", 100, 0), "prices": ["1", "1", "2"], "guards": {"twap_window": 3}},
     {"twap": "1.333333333333333333"})
case("twap of 2, 2, 1 on 3 blocks: 5 / 3 = 1.666..., floor 1.666666666666666666 (rounds down, not to nearest)",
     {"feed": feed("0", 100, 0), "prices": ["2", "2", "1"], "guards": {"twap_window": 3}},
     {"twap": "1.666666666666666666"})
case("twap of tiny prices: 0.000000000000000001 for 2 blocks then 0.000000000000000002: 4e-18 / 3 = 1.33e-18, floor 1e-18",
     {"feed": feed("0", 100, 0), "prices": ["0.000000000000000001", "0.000000000000000001", "0.000000000000000002"], "guards": {"twap_window": 3}},
     {"twap": "0.000000000000000001"})

# ---- guards -------------------------------------------------------------------------------------
case("staleness: flat price, heartbeat 100: at block 4 age 4 > max_age 3: stale, refused as stale",
     {"feed": feed("0.01", 100, 0), "prices": ["5"] * 5, "guards": {"max_age": 3}},
     {"age": 4, "stale": True, "usable": False, "refusal": "stale"})
case("staleness at the limit: age 4 = max_age 4 is not stale",
     {"feed": feed("0.01", 100, 0), "prices": ["5"] * 5, "guards": {"max_age": 4}},
     {"age": 4, "stale": False, "usable": True, "refusal": None})
case("latency counts in the age: latency 3, one round at 0 visible at 3; at block 3 age 3 > max_age 2: stale",
     {"feed": feed("0.01", 100, 3), "prices": ["5"] * 4, "guards": {"max_age": 2}},
     {"age": 3, "stale": True, "refusal": "stale"})
case("max_age 0: only a price decided in this very block is fresh (latency 0, heartbeat 1)",
     {"feed": feed("0.01", 1, 0), "prices": ["5", "5"], "guards": {"max_age": 0}},
     {"age": 0, "stale": False, "usable": True})
case("confidence at the limit: conf / price = 2 / 100 = 0.02, not > 0.02",
     {"feed": feed("0.01", 100, 0), "prices": ["100"], "conf": "2", "guards": {"max_conf_ratio": "0.02"}},
     {"conf_too_wide": False, "usable": True})
case("confidence one unit wider: 2.000000000000000001 / 100 > 0.02: refused for confidence",
     {"feed": feed("0.01", 100, 0), "prices": ["100"], "conf": "2.000000000000000001", "guards": {"max_conf_ratio": "0.02"}},
     {"conf_too_wide": True, "usable": False, "refusal": "confidence"})
case("confidence ratio that does not terminate: 1 / 3 = 0.333... > 0.333333333333333333",
     {"feed": feed("0.01", 100, 0), "prices": ["3"], "conf": "1", "guards": {"max_conf_ratio": "0.333333333333333333"}},
     {"conf_too_wide": True, "refusal": "confidence"})
case("confidence ratio that does not terminate: 1 / 3 < 0.333333333333333334",
     {"feed": feed("0.01", 100, 0), "prices": ["3"], "conf": "1", "guards": {"max_conf_ratio": "0.333333333333333334"}},
     {"conf_too_wide": False, "usable": True})
case("deviation guard at the limit: prices 90, 110 (deviation 0, both published), twap of blocks 0..1 = 100; |110 - 100| / 100 = 0.1, not > 0.1",
     {"feed": feed("0", 100, 0), "prices": ["90", "110"], "guards": {"max_deviation": "0.1", "twap_window": 2}},
     {"twap": "100", "deviates": False, "usable": True})
case("deviation guard one unit tighter: 0.1 > 0.099999999999999999: refused for deviation",
     {"feed": feed("0", 100, 0), "prices": ["90", "110"], "guards": {"max_deviation": "0.099999999999999999", "twap_window": 2}},
     {"twap": "100", "deviates": True, "refusal": "deviation"})
case("deviation guard: prices 100, 100, 100, 110, twap of 4 blocks = 410 / 4 = 102.5; |110 - 102.5| / 102.5 = 0.0731... > 0.05",
     {"feed": feed("0", 100, 0), "prices": ["100", "100", "100", "110"], "guards": {"max_deviation": "0.05", "twap_window": 4}},
     {"twap": "102.5", "deviates": True, "refusal": "deviation"})
case("deviation guard: same, 0.0731... is not > 0.1",
     {"feed": feed("0", 100, 0), "prices": ["100", "100", "100", "110"], "guards": {"max_deviation": "0.1", "twap_window": 4}},
     {"twap": "102.5", "deviates": False, "usable": True})
case("deviation guard with the default window of 1 block: the twap is the visible price itself, the guard never fires",
     {"feed": feed("0", 100, 0), "prices": ["1", "1000"], "guards": {"max_deviation": "0"}},
     {"twap": "1000", "deviates": False, "usable": True})
case("all three guards fail: deviation 0, prices 90, 110, 110, 110: rounds at 0 (90) and 1 (110); at block 3 age 3 - 1 = 2 > max_age 1; conf 2 / 110 = 0.018 > 0.01; twap of blocks 0..3 = (90 + 3 * 110) / 4 = 105, |110 - 105| / 105 = 0.0476 > 0.04; refusal names the first: stale",
     {"feed": feed("0", 100, 0), "prices": ["90", "110", "110", "110"], "conf": "2",
      "guards": {"max_age": 1, "max_conf_ratio": "0.01", "max_deviation": "0.04", "twap_window": 4}},
     {"age": 2, "twap": "105", "stale": True, "conf_too_wide": True, "deviates": True, "usable": False, "refusal": "stale"})
case("confidence and deviation fail, fresh price: refusal confidence (the order is stale, confidence, deviation); prices 90, 110: twap 100, 10 % > 5 %; conf 5 / 110 > 0.01",
     {"feed": feed("0", 100, 0), "prices": ["90", "110"], "conf": "5",
      "guards": {"max_age": 10, "max_conf_ratio": "0.01", "max_deviation": "0.05", "twap_window": 2}},
     {"stale": False, "conf_too_wide": True, "deviates": True, "usable": False, "refusal": "confidence"})

# ---- the ring buffer (capacity 64) -----------------------------------------------------------
ramp = [str(i) for i in range(1, 71)]
case("ring buffer: heartbeat 1, latency 0, prices 1..70 at blocks 0..69: 70 rounds decided, the 6 oldest dropped, 64 kept; twap over the 64 kept blocks 6..69 = (7 + 70) / 2 = 38.5",
     {"feed": feed("0.5", 1, 0), "prices": ramp, "guards": {"twap_window": 64}},
     {"price": "70", "rounds": 70, "kept": 64, "twap": "38.5"})
case("ring buffer: a twap window of 65 blocks reaches block 5, whose round was dropped: capacity error naming history",
     {"feed": feed("0.5", 1, 0), "prices": ramp, "guards": {"twap_window": 65}},
     None, ("capacity", "history"))
case("rounds in flight: heartbeat 1, latency 63, 65 flat prices: rounds at 0..64; at block 64 the buffer is full and round 1 is visible (1 + 63 = 64), so round 0 is superseded and dropped; visible price decided at 1, age 63",
     {"feed": feed("0.5", 1, 63), "prices": ["1"] * 65},
     {"price": "1", "decided_at": 1, "visible_at": 64, "age": 63, "rounds": 65, "kept": 64})
case("rounds in flight: latency 64: at block 64 rounds 1..63 and the new one are in flight (round 1 visible at 65 > 64): 64 in flight + the visible round 0 need 65 slots: capacity error",
     {"feed": feed("0.5", 1, 64), "prices": ["1"] * 65},
     None, ("capacity", "rounds in flight"))
case("64 rounds all in flight fit exactly: latency 100, heartbeat 1, 64 prices: no visible price",
     {"feed": feed("0.5", 1, 100), "prices": ["1"] * 64},
     {"price": None, "rounds": 64, "kept": 64, "refusal": "stale"})

# ---- errors ----------------------------------------------------------------------------------------
F0 = feed("0.01", 10, 0)
case("empty prices", {"feed": F0, "prices": []}, None, ("invalid", "prices"))
case("prices not an array", {"feed": F0, "prices": "1"}, None, ("invalid", "prices"))
case("prices missing", {"feed": F0}, None, ("invalid", "prices"))
case("a zero market price", {"feed": F0, "prices": ["1", "2", "0"]}, None, ("invalid", "prices[2]"))
case("a negative market price", {"feed": F0, "prices": ["-1"]}, None, ("invalid", "prices[0]"))
case("a price that is not a decimal", {"feed": F0, "prices": ["1", "abc"]}, None, ("invalid", "prices[1]"))
case("a price as a JSON number", {"feed": F0, "prices": [1]}, None, ("invalid", "prices[0]"))
case("a price with 19 fractional digits", {"feed": F0, "prices": ["1.0000000000000000001"]}, None, ("invalid", "prices[0]"))
case("feed missing", {"prices": ["1"]}, None, ("invalid", "feed"))
case("feed not an object", {"feed": "x", "prices": ["1"]}, None, ("invalid", "feed"))
case("negative deviation", {"feed": feed("-0.01", 10, 0), "prices": ["1"]}, None, ("invalid", "feed.deviation"))
case("zero heartbeat", {"feed": feed("0.01", 0, 0), "prices": ["1"]}, None, ("invalid", "feed.heartbeat"))
case("heartbeat as a string", {"feed": feed("0.01", "10", 0), "prices": ["1"]}, None, ("invalid", "feed.heartbeat"))
case("negative latency", {"feed": feed("0.01", 10, -1), "prices": ["1"]}, None, ("invalid", "feed.latency"))
case("fractional latency", {"feed": feed("0.01", 10, 1.5), "prices": ["1"]}, None, ("invalid", "feed.latency"))
case("an unknown key in feed", {"feed": {"deviation": "0.01", "heartbeat": 10, "latency": 0, "decimals": 8}, "prices": ["1"]}, None, ("invalid", "feed.decimals"))
case("an unknown top-level key", {"feed": F0, "prices": ["1"], "block": 3}, None, ("invalid", "block"))
case("negative conf", {"feed": F0, "prices": ["1"], "conf": "-0.1"}, None, ("invalid", "conf"))
case("conf equal to the visible price", {"feed": F0, "prices": ["1"], "conf": "1"}, None, ("invalid", "conf"))
case("guards not an object", {"feed": F0, "prices": ["1"], "guards": []}, None, ("invalid", "guards"))
case("an unknown key in guards", {"feed": F0, "prices": ["1"], "guards": {"max_stale": 3}}, None, ("invalid", "guards.max_stale"))
case("max_age as a string", {"feed": F0, "prices": ["1"], "guards": {"max_age": "3"}}, None, ("invalid", "guards.max_age"))
case("negative max_conf_ratio", {"feed": F0, "prices": ["1"], "guards": {"max_conf_ratio": "-0.01"}}, None, ("invalid", "guards.max_conf_ratio"))
case("negative max_deviation", {"feed": F0, "prices": ["1"], "guards": {"max_deviation": "-0.01"}}, None, ("invalid", "guards.max_deviation"))
case("zero twap_window", {"feed": F0, "prices": ["1"], "guards": {"twap_window": 0}}, None, ("invalid", "guards.twap_window"))


def main():
    out = sys.stdout
    for note, inp, hand, error in CASES:
        got, got_error = None, None
        if error is None or error[0] != "invalid":
            # Input errors are stated by hand; the model only runs on valid inputs.
            try:
                got = model(inp)
            except Failure as f:
                got_error = (f.kind, f.what)
        if error is not None:
            assert error[0] == "invalid" or got_error == error, (note, got_error, error)
            expect = {"error": {"kind": error[0], "what": error[1]}}
        else:
            assert got_error is None, (note, got_error)
            for k, v in hand.items():
                assert got[k] == v, (note, k, got[k], v)
            expect = got
        line = {"op": "oracle_price", "input": inp, "expect": expect, "note": note}
        out.write(json.dumps(line, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
