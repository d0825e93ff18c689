"""Every golden vector file through lce.eval (one call per file: one stream, so a file's
`define` cases name token sets for its later cases), each answer compared with the case's
`expect` as src/eval/check.rs compares them."""

import json
import subprocess

import pytest

import lce
from conftest import VECTORS

FILES = sorted(VECTORS.rglob("*.jsonl"))


def check(answer, expect):
    """None when `answer` meets `expect`, else why not (src/eval/check.rs)."""
    if not isinstance(expect, dict):
        return f"malformed expect {expect!r}"
    if "error" in expect:
        if len(expect) != 1:
            return "malformed expect: error beside other keys"
        want = expect["error"]
        got = answer.get("error")
        if not isinstance(got, dict) or got.get("kind") != want["kind"]:
            return f"expected error {want}, got {answer}"
        if any(key in want and got.get(key) != want[key] for key in ("what", "why")):
            return f"expected error {want}, got {answer}"
        return None
    if answer.get("output") != expect:
        return f"expected output {expect}, got {answer.get('output', answer.get('error'))}"
    return None


def test_there_are_vector_files():
    assert len(FILES) >= 30


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(VECTORS)) for p in FILES])
def test_vector_file(path):
    cases = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    answers = lce.eval(cases)
    assert len(answers) == len(cases)
    failures = []
    for n, (case, answer) in enumerate(zip(cases, answers), 1):
        assert answer["op"] == case["op"] and answer["input"] == case["input"]
        why = check(answer, case["expect"])
        if why:
            failures.append(f"{path.name}:{n}: {why}")
    assert not failures, "\n".join(failures[:20])


def test_lce_eval_answers_as_the_command_line(lce_cli):
    """Every vector file: lce.eval's answers are the answers `lce eval` writes (outputs, and
    errors with kind, what and why), line by line."""
    for path in FILES:
        cases = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        out = subprocess.run([lce_cli, "eval", str(path)], check=True, capture_output=True, text=True).stdout
        written = [json.loads(line) for line in out.splitlines()]
        assert lce.eval(cases) == written, path
