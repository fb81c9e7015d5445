"""The wheel ships the data and the lessons, so a pip-installed learner has both."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest


@pytest.mark.slow
def test_wheel_contains_lessons_and_data(root, tmp_path):
    subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d",
                    str(tmp_path)], cwd=root, check=True, capture_output=True)
    (wheel,) = tmp_path.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    lessons = {p.name for p in (root / "lessons").glob("*.ipynb")}
    assert lessons
    for name in lessons:
        assert f"beidaihe_course/lessons/{name}" in names
    assert "beidaihe_course/data/production.csv" in names
    assert "beidaihe_course/data/SOURCES.md" in names
