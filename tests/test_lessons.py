"""Every lesson runs top to bottom on a fresh kernel and reproduces its committed text outputs.

pytest-notebook compares text outputs only: images, widget state and execution counts are
ignored (see ``nb_diff_ignore`` in pyproject.toml, repeated here for the fixture).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from pytest_notebook.nb_regression import NBRegressionFixture

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "lessons").glob("*.ipynb"))
IGNORE = (
    "/metadata/language_info",
    "/metadata/widgets",
    "/cells/*/execution_count",
    "/cells/*/outputs/*/execution_count",
    "/cells/*/outputs/*/data/image/png",
    "/cells/*/outputs/*/data/application/vnd.jupyter.widget-view+json",
    "/cells/*/metadata/execution",
)


def test_there_are_lessons():
    assert LESSONS


@pytest.mark.slow
@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_reproduces_its_outputs(path):
    fixture = NBRegressionFixture(exec_timeout=120, diff_ignore=IGNORE, exec_cwd=str(path.parent))
    fixture.diff_color_words = False
    fixture.check(str(path))


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_committed_lesson_is_clean(path):
    assert path.stat().st_size < 100_000
    nb = nbformat.read(path, as_version=4)
    assert "widgets" not in nb.metadata
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            assert not any(k.startswith("image/") for k in data), f"image in {path.name}"
            assert "application/vnd.jupyter.widget-view+json" not in data
            assert out.get("output_type") != "error", f"error output in {path.name}"
