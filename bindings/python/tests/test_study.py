"""lce.study: the outcome of `lce study --json` as plain dicts, and its errors."""

import json
import subprocess

import pytest

import lce
from conftest import ROOT, VECTORS

STUDIES = VECTORS / "studies"


def small_study():
    """The small de-peg with the lending bonus at two values and one variant, on 3 paths."""
    scenario = json.loads((STUDIES / "depeg_small.json").read_text())
    return {
        "name": "two bonuses, with and without panic",
        "scenario": scenario,
        "paths": 3,
        "vary": [{"field": "venues[0].collateral.liquidation_fee", "values": ["0.04", "0.1"]}],
        "variants": {"calm": {"behaviour.panic": "0"}},
    }


def test_a_study_is_what_lce_study_writes(tmp_path, lce_cli):
    study = small_study()
    path = tmp_path / "study.json"
    path.write_text(json.dumps(study))
    outcome = lce.study(study)
    written = subprocess.run([lce_cli, "study", "--json", "--quiet", "--threads", "2", str(path)],
                             check=True, capture_output=True, text=True).stdout
    assert outcome == json.loads(written)
    # From its file, and on one thread: the same outcome.
    assert lce.study(path, threads=1) == outcome
    assert [c["variant"] for c in outcome["cells"]] == [None, "calm", None, "calm"]
    assert outcome["paths"] == 3 and outcome["interrupted"] is False
    # Plain dicts: exact decimal strings, never floats.
    es99 = outcome["cells"][0]["metrics"]["insolvency"]["es99"]
    assert isinstance(es99, str)


def test_a_scenario_by_file_name_is_read_beside_the_study():
    study = {"scenario": "depeg_small.json", "paths": 1}
    with pytest.raises(lce.InvalidError) as e:
        lce.study(study, base=ROOT / "nowhere")
    assert (e.value.kind, e.value.what, e.value.why, e.value.field) == (
        "invalid", "scenario", "cannot read the file", "depeg_small.json")
    assert lce.study(study, base=STUDIES)["cells"][0]["paths"] == 1


def test_study_errors_say_where_and_why():
    scenario = json.loads((STUDIES / "depeg_small.json").read_text())
    # (study, (kind, what, why, field)) as tests/protocol/studies.rs has them.
    for study, parts in [
        ({"scenario": scenario, "paths": 0}, ("invalid", "paths", "a study runs at least one path", None)),
        ({"scenario": scenario, "paths": 2, "seeds": 3}, ("invalid", "seeds", "an unknown key", None)),
        ({"scenario": {"max_blocks": 0}, "paths": 1},
         ("invalid", "scenario.max_blocks", "the scenario is invalid", "max_blocks")),
        ({"scenario": scenario, "paths": 2,
          "vary": [{"field": "venues[0].collateral.bonus", "values": ["0.05"]}]},
         ("invalid", "vary[0].field", "the scenario has no such field", "venues[0].collateral.bonus")),
    ]:
        with pytest.raises(lce.Error) as e:
            lce.study(study)
        assert (e.value.kind, e.value.what, e.value.why, e.value.field) == parts
        assert isinstance(e.value, lce.InvalidError) and isinstance(e.value, ValueError)
    with pytest.raises(lce.InvalidError) as e:
        lce.study(small_study(), threads=0)
    assert (e.value.what, e.value.why) == ("threads", "must be at least 1")


def test_a_study_to_pandas():
    pandas = pytest.importorskip("pandas")
    frame = lce.to_pandas(lce.study(small_study()), "cells")
    assert isinstance(frame, pandas.DataFrame) and len(frame) == 4
    assert "metrics.insolvency.es99" in frame.columns
