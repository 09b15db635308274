"""The distribution installs offline with Debian's python3 and pip (no index, no build isolation)
and depends on requests only."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]


def test_installs_offline_and_imports(tmp_path):
    build = subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True)
    if build.returncode != 0:
        pytest.skip("pip is not installed (python3-pip)")
    target = tmp_path / "site"
    out = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-build-isolation", "--no-deps", "--no-index",
         "--quiet", "--target", str(target), str(PROJECT)],
        capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    check = subprocess.run(
        [sys.executable, "-c",
         "import importlib.metadata as m, linode; "
         "print(linode.__file__); print(m.requires('linode-api'))"],
        capture_output=True, text=True, env={"PYTHONPATH": str(target)}, cwd=tmp_path)
    assert check.returncode == 0, check.stderr
    where, requires = check.stdout.splitlines()
    assert where.startswith(str(target))
    assert requires == "['requests']"
    # pip builds in a temporary copy or in place; either way the source tree stays clean.
    for leftover in ("build", "linode_api.egg-info"):
        shutil.rmtree(PROJECT / leftover, ignore_errors=True)
