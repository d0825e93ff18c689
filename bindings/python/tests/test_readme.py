"""The README's example runs."""

import re

from conftest import ROOT


def test_readme_example_runs():
    text = (ROOT / "bindings/python/README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert blocks, "the README has no python example"
    assert len(blocks[0].strip().splitlines()) <= 12
    exec(compile(blocks[0], "README.md", "exec"), {})
