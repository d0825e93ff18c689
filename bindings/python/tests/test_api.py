"""The typed API: exact values, errors with kind, what and why, batches, sessions, run."""

import json
from decimal import Decimal

import pytest

import lce
from conftest import VECTORS

ETH = {"price": "2500", "init_asset_weight": "0.75", "maint_asset_weight": "0.8",
       "init_liab_weight": "1", "maint_liab_weight": "1"}
USD = {"price": "1", "init_asset_weight": "1", "maint_asset_weight": "1",
       "init_liab_weight": "1", "maint_liab_weight": "1"}


def expect_error(call, case):
    """`call()` raises the lce.Error of the vector `case`: its expected kind and what, and the
    why that `lce eval` answers for it (through lce.eval, which answers as lce eval: see
    test_vectors.py); a call that Python itself refuses (a missing or unknown keyword:
    TypeError) is not a call of lce."""
    error = case["expect"]["error"]
    try:
        call()
    except TypeError:
        return
    except lce.Error as e:
        assert e.kind == error["kind"], (e, error)
        if "what" in error:
            assert e.what == error["what"], (e, error)
        answered = lce.eval([case])[0]["error"]
        assert (e.kind, e.what, e.why) == (answered["kind"], answered["what"], answered.get("why")), (e, answered)
        return
    pytest.fail(f"no error, expected {error}")


def cases(rel, op=None):
    lines = (VECTORS / rel).read_text().splitlines()
    out = [json.loads(line) for line in lines if line.strip()]
    return [c for c in out if op is None or c["op"] == op]


def decimals(x):
    """The JSON of an expect with its decimal strings as Decimal (as the typed API answers)."""
    if isinstance(x, dict):
        return {k: decimals(v) for k, v in x.items()}
    if isinstance(x, list):
        return [decimals(v) for v in x]
    if isinstance(x, str) and lce._is_decimal(x):
        return Decimal(x)
    return x


def test_health_is_exact_and_lazy():
    h = lce.health(tokens=[ETH, USD], account=[{"token": 0, "balance": Decimal("4")},
                                               {"token": 1, "balance": "-6000"}])
    assert h.maintenance.factor == Decimal("1.333333333333333333")
    assert isinstance(h.maintenance.factor, Decimal)
    assert h.initial.value == Decimal("1500") and h.liquidation_end.assets == Decimal("7500")
    assert h.level("maintenance").liabilities == Decimal("6000")
    assert h.liquidatable is False


def test_every_health_vector_through_the_typed_api():
    n = 0
    for rel in ("risk/health.jsonl", "options/account_health.jsonl"):
        for c in cases(rel, "health"):
            i = c["input"]
            if "error" in c["expect"]:
                expect_error(lambda: lce.health(**i), c)
                continue
            h = lce.health(tokens=i["tokens"], perps=i.get("perps"), options=i.get("options"),
                           account=i["account"])
            assert h.to_dict() == decimals(c["expect"]), c
            n += 1
    assert n > 50


def test_every_liquidate_vector_through_the_typed_api():
    for c in cases("risk/liquidate.jsonl"):
        kw = dict(c["input"])
        if "error" in c["expect"]:
            expect_error(lambda: lce.liquidate(**kw), c)
        else:
            assert lce.liquidate(**kw) == decimals(c["expect"])
            plan = lce.plan_liquidation(**kw)
            assert "account" not in plan and plan.get("repay") == decimals(c["expect"]).get("repay")


@pytest.mark.parametrize("rel,fn", [
    ("risk/liquidator_decision.jsonl", lce.liquidator_decision),
    ("margin/dynamic_margin.jsonl", lce.dynamic_margin),
    ("options/bs_greeks.jsonl", lce.bs_greeks),
    ("options/option_margin.jsonl", lce.option_margin),
    ("risk/market_sell.jsonl", lce.market_sell),
])
def test_typed_functions_match_their_vectors(rel, fn):
    for c in cases(rel)[:60]:
        kw = {("yield_" if k == "yield" else k): v for k, v in c["input"].items()}
        if "error" in c["expect"]:
            expect_error(lambda: fn(**kw), c)
        else:
            assert fn(**kw) == decimals(c["expect"]), c


def test_bs_price_is_a_decimal():
    for c in cases("options/bs_price.jsonl")[:40]:
        if "error" in c["expect"]:
            continue
        kw = {("yield_" if k == "yield" else k): v for k, v in c["input"].items()}
        assert lce.bs_price(**kw) == Decimal(c["expect"]["price"])


def test_errors_carry_kind_what_why_and_a_subclass():
    with pytest.raises(lce.InvalidError) as e:
        lce.health(tokens=[ETH, dict(USD, price="0")], account=[])
    assert (e.value.kind, e.value.what) == ("invalid", "tokens[1].price")
    assert isinstance(e.value, ValueError) and isinstance(e.value, lce.Error)
    with pytest.raises(lce.DomainError) as e:
        lce.op("ln", x="0")
    assert (e.value.kind, e.value.what) == ("domain", "x")
    with pytest.raises(lce.DivisionByZeroError) as e:
        lce.op("div", a="1", b="0")
    assert isinstance(e.value, ZeroDivisionError)
    with pytest.raises(lce.OverflowError) as e:
        lce.op("mul", a="170141183460469231731", b="2")
    assert isinstance(e.value, OverflowError)
    s = lce.Session()
    with pytest.raises(lce.InvalidError) as e:
        s.eval([])  # nothing
        m = lce.Market([ETH])
        m.health([{"token": 3, "balance": "1"}])
    assert e.value.what == "account[0].token"


def test_a_session_names_a_token_set_and_an_unknown_name_says_why():
    s = lce.Session()
    s.define("mainnet", [ETH, USD])
    [a] = s.eval([{"op": "health", "input": {"tokens": "mainnet", "account": [{"token": 0, "balance": "1"}]}}])
    assert a["output"]["maintenance"]["assets"] == "2000"
    [b] = lce.eval([{"op": "health", "input": {"tokens": "mainnet", "account": []}}])
    assert b["error"]["what"] == "tokens" and "mainnet" in b["error"]["why"]


def test_floats_are_refused_and_decimals_of_any_spelling_are_exact():
    with pytest.raises(TypeError):
        lce.health(tokens=[ETH], account=[{"token": 0, "balance": 1.5}])
    m = lce.Market([ETH])
    for d in (Decimal("1E+2"), Decimal("100.000"), Decimal("1.00E2"), "100"):
        assert m.health([(0, d)]).maintenance.assets == Decimal("200000")
    assert m.health([(0, Decimal("1E-18"))]).maintenance.assets == Decimal("0.000000000000002")
    with pytest.raises(lce.InvalidError):
        m.health([(0, Decimal("1E-19"))])
    with pytest.raises(ValueError):
        m.health([(0, Decimal("NaN"))])
    assert lce.to_raw("1.5") == 1_500_000_000_000_000_000 and lce.from_raw(-1) == "-0.000000000000000001"


def test_eval_answers_as_lce_eval_writes_them():
    answers = lce.eval([{"op": "mul", "input": {"a": "1.5", "b": "2"}},
                        {"op": "exp", "input": {"x": 1.5}},
                        "not an object"])
    assert answers[0] == {"op": "mul", "input": {"a": "1.5", "b": "2"}, "output": {"y": "3"}}
    assert answers[1]["error"] == {"kind": "invalid", "what": "x",
                                   "why": "must be a decimal string, not a JSON number"}
    assert answers[2] == {"op": None, "input": None,
                          "error": {"kind": "invalid", "what": "case", "why": "must be a JSON object, not a string"}}


def balances(n):
    return [[f"{1 + i % 7}.5", f"-{1000 + 37 * (i % 100)}"] for i in range(n)]


def test_health_many_and_batch_agree_with_single_calls():
    m = lce.Market([ETH, USD])
    rows = balances(300)
    batch = m.health_batch(rows)
    many = m.health_many([[(0, r[0]), (1, r[1])] for r in rows])
    assert len(batch) == len(many) == 300
    assert batch.liquidatable == [h.liquidatable for h in many]
    assert batch.values("factor") == [h.maintenance.factor for h in many]
    assert batch.values("value", "initial") == [h.initial.value for h in many]
    assert batch[7]["maintenance"] == many[7].maintenance.to_dict()
    raw = batch.raw("value")
    assert raw[0] == lce.to_raw(many[0].maintenance.value)
    floats = batch.floats("factor")
    assert abs(float(floats[0]) - float(many[0].maintenance.factor)) < 1e-12


def test_batch_of_raw_units_with_numpy():
    np = pytest.importorskip("numpy")
    m = lce.Market([ETH, USD])
    raw = np.array([[4_000_000, -6_000_000_000], [4_000_000, -8_001_000_000]], dtype=np.int64)
    batch = m.health_batch(raw=raw, decimals=6)
    assert batch.liquidatable.dtype == bool and list(batch.liquidatable) == [False, True]
    assert batch.values("factor")[0] == Decimal("1.333333333333333333")
    assert batch.floats("value").dtype == np.float64
    lists = m.health_batch(raw=[[4 * 10**18, -6000 * 10**18]])
    assert lists.values("factor") == [Decimal("1.333333333333333333")]


def test_batch_errors_name_the_row():
    m = lce.Market([ETH, USD])
    with pytest.raises(lce.InvalidError) as e:
        m.health_batch([["1", "-1"], ["1", 2.5]])
    assert e.value.what == "balances[1][1]"
    with pytest.raises(lce.OverflowError) as e:
        m.health_batch([["1", "-1"], ["170141183460469231731", "-1"]])
    assert e.value.what == "balances[1]"


def test_run_returns_the_report_and_to_pandas():
    report = lce.run()
    assert set(report) >= {"scenario", "summary", "venues", "liquidators", "blocks"}
    assert isinstance(report["blocks"][0]["market"], str)
    pd = pytest.importorskip("pandas")
    df = lce.to_pandas(report)
    assert len(df) == len(report["blocks"]) and isinstance(df["market"][0], Decimal)
    assert isinstance(m := lce.Market([ETH, USD]).health_batch(balances(5)).to_pandas(), pd.DataFrame)
    assert list(m["liquidatable"]) == [False] * 5
