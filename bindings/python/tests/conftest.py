import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
VECTORS = ROOT / "vectors"


@pytest.fixture(scope="session")
def lce_cli():
    """The `lce` command line (LCE, else the release build of this checkout, built when
    missing), the reference the binding is compared with."""
    if "LCE" in os.environ:
        return os.environ["LCE"]
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    subprocess.run(["cargo", "build", "--quiet", "--release", "--features", "cli", "--bin", "lce"],
                   cwd=ROOT, check=True)
    return str(target / "release" / "lce")
