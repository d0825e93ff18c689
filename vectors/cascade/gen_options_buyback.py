#!/usr/bin/env python3
"""The independent expectation of the first buy-back in tests/protocol/scenarios.rs's
`an_options_venue_buys_back_as_the_kernel_model_says`: the writer of 1 stETH short 8 puts
(K 1900, t 0.1, vol 0.5, fee 0.04, Deribit's rates) at 2,000, liquidated whole to the
liquidation-end target with a full close factor — the `liquidate` op's input, answered by the
independent option-liquidation model of vectors/options/gen_option_liquidation.py (mpmath marks,
exact integers), not by lce.

Run: python3 vectors/cascade/gen_options_buyback.py
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "options"))

import gen_option_liquidation as L  # noqa: E402

DERIBIT = {"im_base": "0.15", "im_floor": "0.1", "mm_base": "0.075", "mm_floor": "0.075"}
inp = {
    "tokens": [{"price": "2000", "init_asset_weight": "0.85", "maint_asset_weight": "0.9",
                "init_liab_weight": "1", "maint_liab_weight": "1"}],
    "options": [{"kind": "put", "underlying": 0, "strike": "1900", "t": "0.1", "vol": "0.5",
                 "liquidation_fee": "0.04", "margin": DERIBIT}],
    "account": [{"token": 0, "balance": "1"}, {"option": 0, "quantity": "-8"}],
    "liquidation": {"kind": "option", "series": 0, "token": 0},
}
print(json.dumps(L.expect_liquidate(inp), indent=1))
