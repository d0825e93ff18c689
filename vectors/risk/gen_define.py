"""Builds define.jsonl: the `define` op and cases that name a defined token set (§6).

Every expected output of a `health` or `liquidate` case here is copied from a case of
health.jsonl, liquidate.jsonl or ../options/account_health.jsonl (themselves from the
independent models beside them) whose input is the same but for the token set, given there as
arrays and here by name. So these vectors check only what `define` adds: that a name stands for
exactly the arrays it was defined with, for the rest of the stream, until redefined.

Run from anywhere: python3 vectors/risk/gen_define.py  (rewrites define.jsonl beside it).
"""

import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
SET_KEYS = ("tokens", "perps", "options")


def load(path):
    with open(os.path.join(HERE, path)) as f:
        return [json.loads(line) for line in f if line.strip()]


def ok(cases):
    return [c for c in cases if "error" not in c["expect"]]


def set_of(case):
    return {k: case["input"][k] for k in SET_KEYS if k in case["input"]}


def by_set(cases):
    """Cases grouped by their token set, largest group first (ties: first seen)."""
    groups = {}
    for c in cases:
        groups.setdefault(json.dumps(set_of(c)), []).append(c)
    return sorted(groups.values(), key=lambda g: -len(g))


def define(name, token_set, note):
    count = {k: len(token_set.get(k, [])) for k in SET_KEYS}
    return {"op": "define", "input": {"name": name, **token_set},
            "expect": {"name": name, **count}, "note": note}


def named(case, name, source, line):
    inp = {k: v for k, v in case["input"].items() if k not in SET_KEYS}
    return {"op": case["op"], "input": {"tokens": name, **inp}, "expect": case["expect"],
            "note": f"{source}:{line} with its token set given by the name {name!r}"}


def line_of(cases, case):
    return cases.index(case) + 1


def error(op, inp, what, note):
    return {"op": op, "input": inp, "expect": {"error": {"kind": "invalid", "what": what}}, "note": note}


def main():
    health = load("health.jsonl")
    liquidate = load("liquidate.jsonl")
    options = load("../options/account_health.jsonl")
    out = []

    # A set used by several health cases, then every one of them by name.
    g1 = by_set(ok(health))[0]
    s1 = set_of(g1[0])
    out.append(define("mainnet", s1, "two tokens of health.jsonl; the answer counts each part of the set"))
    for c in g1:
        out.append(named(c, "mainnet", "health.jsonl", line_of(health, c)))

    # A second name beside the first: both stay defined.
    liq_groups = by_set(ok(liquidate))
    g2 = liq_groups[0]
    s2 = set_of(g2[0])
    out.append(define("lending", s2, "the token set of the most common liquidate.jsonl cases"))
    for c in g2[:6]:
        out.append(named(c, "lending", "liquidate.jsonl", line_of(liquidate, c)))
    out.append(named(g1[-1], "mainnet", "health.jsonl", line_of(health, g1[-1])))

    # Redefinition: the name now stands for the new set.
    g3 = next(g for g in by_set(ok(health)) if json.dumps(set_of(g[0])) != json.dumps(s1))
    s3 = set_of(g3[0])
    out.append(define("mainnet", s3, "redefinition: the name now stands for another set (it replaces the first)"))
    for c in g3:
        out.append(named(c, "mainnet", "health.jsonl", line_of(health, c)))

    # A set with perp markets; with option series.
    perp_case = next(c for c in ok(health) if c["input"].get("perps"))
    out.append(define("perps", set_of(perp_case), "tokens and perp markets: the perps come with the name"))
    out.append(named(perp_case, "perps", "health.jsonl", line_of(health, perp_case)))
    og = by_set(ok(options))[0]
    out.append(define("options", set_of(og[0]), "tokens and option series: the options come with the name"))
    for c in og:
        out.append(named(c, "options", "../options/account_health.jsonl", line_of(options, c)))
    liq_perp = next(c for c in ok(liquidate) if c["input"].get("perps"))
    out.append(define("perp_venue", set_of(liq_perp), "a perp venue of liquidate.jsonl"))
    out.append(named(liq_perp, "perp_venue", "liquidate.jsonl", line_of(liquidate, liq_perp)))

    # Errors of a name.
    acct = g1[0]["input"]["account"]
    out.append(error("health", {"tokens": "testnet", "account": acct}, "tokens",
                     "a name never defined in this stream is invalid, naming tokens"))
    out.append(error("health", {"tokens": "mainnet", "perps": perp_case["input"]["perps"], "account": acct}, "perps",
                     "perps beside a name: the set's own perps would be ambiguous"))
    out.append(error("health", {"tokens": "mainnet", "options": og[0]["input"]["options"], "account": acct},
                     "options", "options beside a name"))
    out.append(error("liquidate", {"tokens": "nowhere", "account": acct,
                                   "liquidation": {"kind": "token", "liability": 1, "collateral": 0}},
                     "tokens", "liquidate: a name never defined"))
    out.append(error("health", {"tokens": "Mainnet", "account": acct}, "tokens", "names are case-sensitive"))

    # Errors of define; a define that fails defines nothing and leaves an earlier set as it was.
    bad_token = next(c for c in health if c["expect"].get("error", {}).get("what", "").startswith("tokens["))
    out.append(error("define", {"name": "broken", **set_of(bad_token)}, bad_token["expect"]["error"]["what"],
                     f"a bad token is named as in health.jsonl:{line_of(health, bad_token)}"))
    out.append(error("health", {"tokens": "broken", "account": []}, "tokens",
                     "the failed define above defined nothing"))
    out.append(error("define", {"name": "mainnet", **set_of(bad_token)}, bad_token["expect"]["error"]["what"],
                     "a failed redefinition..."))
    out.append(named(g3[0], "mainnet", "health.jsonl", line_of(health, g3[0])))
    out[-1]["note"] = "...leaves the name's set as it was: " + out[-1]["note"]
    out.append(error("define", {"tokens": s1["tokens"]}, "name", "the name is required"))
    out.append(error("define", {"name": "", "tokens": s1["tokens"]}, "name", "the name is not empty"))
    out.append(error("define", {"name": 7, "tokens": s1["tokens"]}, "name", "the name is a string"))
    out.append(error("define", {"name": "alias", "tokens": "mainnet"}, "tokens",
                     "a set is defined by its arrays, not by another name"))
    out.append(error("define", {"name": "x"}, "tokens", "tokens is required"))
    out.append(error("define", {"name": "x", "tokens": s1["tokens"], "account": acct}, "account",
                     "define takes no account: an unknown key"))

    with open(os.path.join(HERE, "define.jsonl"), "w") as f:
        for case in out:
            f.write(json.dumps(case) + "\n")
    print(f"define.jsonl: {len(out)} cases")


if __name__ == "__main__":
    main()
