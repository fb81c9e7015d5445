"""Where the packaged lessons live, in a wheel or in a source checkout."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def lessons_dir() -> Path:
    """Return the folder holding the lesson notebooks.

    In an installed wheel the lessons are package data (``beidaihe_course/lessons``); in
    an editable install from a checkout they are the repository's ``lessons/`` folder.

    >>> sorted(p.name for p in lessons_dir().glob("02_*.ipynb"))
    ['02_production_targets.ipynb']
    """
    packaged = Path(str(files("beidaihe_course"))) / "lessons"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "lessons"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError("the lesson notebooks are missing from this installation; "
                            "reinstall the beidaihe-course package")
