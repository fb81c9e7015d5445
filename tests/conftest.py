"""Shared fixtures: paths into the repository and the bibliography's keys."""

from __future__ import annotations

import os
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
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def bib_keys() -> set[str]:
    text = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    return set(re.findall(r"^@\w+\{([^,]+),", text, flags=re.MULTILINE))


@pytest.fixture(scope="session")
def built_book(root, tmp_path_factory) -> Path:
    """The student edition (solutions removed), built offline; network attempts are logged
    to ``<out>/guard/network.log``."""
    return _build(root, tmp_path_factory.mktemp("book"), "student")


def _build(root: Path, out: Path, edition: str) -> Path:
    """Build one edition of the book offline into ``out``; return its HTML folder."""
    env = {**offline_env(out / "guard"), "BEIDAIHE_EXPLORERS": "static",
           "BEIDAIHE_EDITION": edition, "BEIDAIHE_SOLUTIONS": "remove"}
    jb = Path(sys.executable).with_name("jupyter-book")
    assert jb.exists() or shutil.which("jupyter-book"), "jupyter-book is not installed"
    result = subprocess.run([str(jb if jb.exists() else "jupyter-book"), "build", str(root),
                             "-W", "-n", "--keep-going", "--path-output", str(out)],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return out / "_build" / "html"


@pytest.fixture(scope="session")
def built_instructor_book(root, built_book, tmp_path_factory) -> Path:
    """The instructor edition, reusing the student build's execution cache."""
    out = tmp_path_factory.mktemp("instructor")
    cache = built_book.parent / ".jupyter_cache"
    if cache.is_dir():
        shutil.copytree(cache, out / "_build" / ".jupyter_cache")
    return _build(root, out, "instructor")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}; install Debian's chromium package"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()
