"""Where the packaged lessons live, in a wheel or in a source checkout."""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path

#: A lesson's teaching notes: a MyST admonition marked ``:class: instructor-only``, shown
#: only in the instructor edition of the book and never in an nbgrader release.
TEACHING_NOTES = re.compile(r"`{3,4}\{admonition\}[^\n]*\n:class:[^\n]*instructor-only[^\n]*\n"
                            r".*?\n`{3,4}\n?", re.S)


def lessons_dir() -> Path:
    """Return the folder holding the lesson notebooks.

    In an installed wheel the lessons are package data (``beidaihe_course/lessons``); in
    an editable install from a checkout they are the repository's ``lessons/`` folder.

    >>> sorted(p.name for p in lessons_dir().glob("03_*.ipynb"))
    ['03_production_targets.ipynb']
    """
    packaged = Path(str(files("beidaihe_course"))) / "lessons"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "lessons"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError("the lesson notebooks are missing from this installation; "
                            "reinstall the beidaihe-course package")


def lesson_markdown(path: Path) -> str:
    """All Markdown cells of the lesson notebook at ``path``, joined by newlines.

    >>> lesson_markdown(lessons_dir() / "06_famine.ipynb").startswith("# Lesson 6.")
    True
    """
    import nbformat

    cells = nbformat.read(path, as_version=4).cells
    return "\n".join(c.source for c in cells if c.cell_type == "markdown")
