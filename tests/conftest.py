"""Shared fixtures: paths into the repository and the bibliography's keys."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import matplotlib
import pytest
from offline import offline_env

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def bib_keys() -> set[str]:
    text = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    return set(re.findall(r"^@\w+\{([^,]+),", text, flags=re.MULTILINE))


@pytest.fixture(scope="session")
def built_book(root, tmp_path_factory) -> Path:
    """Build the whole book offline; attempts go to ``<out>/guard/network.log``."""
    out = tmp_path_factory.mktemp("book")
    env = {**offline_env(out / "guard"), "BEIDAIHE_EXPLORERS": "static"}
    jb = Path(sys.executable).with_name("jupyter-book")
    assert jb.exists() or shutil.which("jupyter-book"), "jupyter-book is not installed"
    result = subprocess.run([str(jb if jb.exists() else "jupyter-book"), "build", str(root),
                             "-W", "-n", "--keep-going", "--path-output", str(out)],
                            capture_output=True, text=True,
                            env=env)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return out / "_build" / "html"
