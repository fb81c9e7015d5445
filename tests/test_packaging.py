"""The wheel ships the data and the lessons, and works as a plain install (no extras)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def wheel(root, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d",
                    str(out)], cwd=root, check=True, capture_output=True)
    (built,) = out.glob("*.whl")
    return built


@pytest.mark.slow
def test_wheel_contains_lessons_and_data(root, wheel):
    names = zipfile.ZipFile(wheel).namelist()
    lessons = {p.name for p in (root / "lessons").glob("*.ipynb")}
    assert lessons
    for name in lessons:
        assert f"beidaihe_course/lessons/{name}" in names
    assert "beidaihe_course/data/production.csv" in names
    assert "beidaihe_course/data/SOURCES.md" in names
    assert "beidaihe_course/book_index.json" in names  # what learner copies need of the book
    assert "beidaihe_course/locales/zh_CN/LC_MESSAGES/lessons/06_famine.po" in names
    assert "beidaihe_course/locales/zh_CN/LC_MESSAGES/package.po" in names


@pytest.mark.slow
def test_every_subcommand_works_in_a_plain_install(wheel, tmp_path):
    """``pip install beidaihe-course`` with no extras, in a fresh virtual environment:
    every ``beidaihe-course`` subcommand either works or exits 2 naming the extra to
    install, and none ends in a traceback. (The base dependencies come from the package
    index or pip's cache, as for a learner.)"""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q",
                          "--disable-pip-version-check", "--prefer-binary", "--no-compile",
                          str(wheel)],
                         capture_output=True, text=True)
    assert pip.returncode == 0, pip.stderr[-3000:]
    command = str(venv / "bin" / "beidaihe-course")
    runs = {
        "--version": [command, "--version"],
        "--help": [command, "--help"],
        "datasets": [command, "datasets"],
        "lessons": [command, "lessons", str(tmp_path / "lessons")],
        "lessons --lang zh": [command, "lessons", "--lang", "zh", str(tmp_path / "zh")],
        "nbgrader-course": [command, "nbgrader-course", str(tmp_path / "course")],
        "classroom": [command, "classroom", str(tmp_path / "room"), "--instructor", "wang"],
        "autograde": [command, "autograde", "05_capital_construction", "--course",
                      str(tmp_path / "room" / "course")],
    }
    for name, args in runs.items():
        out = subprocess.run(args, capture_output=True, text=True, cwd=tmp_path)
        assert "Traceback" not in out.stderr, f"{name}: {out.stderr[-2000:]}"
        if out.returncode != 0:
            assert out.returncode == 2 and "pip install" in out.stderr, (name, out.stderr)
    copies = sorted((tmp_path / "lessons").glob("*.ipynb"))
    assert len(copies) >= 9
    assert all("{cite:p}" not in p.read_text(encoding="utf-8") for p in copies)
    assert "第6课" in (tmp_path / "zh" / "06_famine.ipynb").read_text(encoding="utf-8")
    assert (tmp_path / "course" / "nbgrader_config.py").exists()
    assert (tmp_path / "room" / "jupyterhub_config.py").exists()
