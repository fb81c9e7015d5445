"""The lesson format, in one place: where lessons live, how their parts are marked, what
their exercises are, and what a committed lesson may keep.

A lesson is a notebook in :func:`lessons_dir`. In its Markdown cells:

- an **exercise** is a sphinx-exercise block, ```` ```{exercise} ```` with a ``:label:``
  (:data:`EXERCISE`);
- its **model answer** is a folded ```` ````{solution} <label> ```` block
  (:data:`SOLUTION`), which may hold a ```` ```python ```` block (:data:`CODE_BLOCK`);
- the **teaching notes** are one admonition marked ``:class: instructor-only``
  (:data:`TEACHING_NOTES`); any other admonition (a content note) is :data:`ADMONITION`;
- a **citation** is a ``{cite:p}`` role naming ``book/references.bib`` keys (:data:`CITE`),
  a **cross-reference** a ``{doc}`` role, ``{doc}`page``` or ``{doc}`text <page>```
  (:data:`DOC`).

An auto-checked exercise is followed by a code cell ``answer = None`` and a self-check call
(:data:`ANSWER_CELL`). The first code cell of every lesson is the Colab cell
(:func:`colab_cell`), hidden in the book. Grading, the generated pages, the scripts and the
tests read lessons through this module only.

A committed lesson keeps text outputs only (:func:`strip`); when outputs are compared,
the parts listed in :data:`OUTPUT_IGNORE` are ignored.

>>> [(e.label, e.kind, e.check) for e in exercises("04_backyard_furnaces")][:1]
[('ex-furnace-product', 'auto', 'check_furnace_product')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # nbformat takes a second to import (jsonschema): load it when needed
    import nbformat

#: An exercise block; groups ``label`` (also group 1), ``title`` and ``body``.
EXERCISE = re.compile(r"```\{exercise\}(?=[^\n]*\n:label: (?P<label>\S+)\n) *(?P<title>[^\n]*)\n"
                      r":label: \S+\n(?::[^\n]*\n)*\n?(?P<body>.*?)\n```\n?", re.S)
SOLUTION = re.compile(r"````\{solution\} (\S+)\n(?::[^\n]*\n)*\n?(.*?)\n````\n?", re.S)
CODE_BLOCK = re.compile(r"```python\n(.*?)```", re.S)
TEACHING_NOTES = re.compile(r"`{3,4}\{admonition\}[^\n]*\n:class:[^\n]*instructor-only[^\n]*\n"
                            r".*?\n`{3,4}\n?", re.S)
#: Any other admonition; groups ``title`` and ``body``.
ADMONITION = re.compile(r"(?P<fence>`{3,4})\{admonition\} *(?P<title>[^\n]*)\n(?::[^\n]*\n)*"
                        r"\n?(?P<body>.*?)\n(?P=fence)\n?", re.S)
#: A citation role; group ``keys`` holds the comma-separated keys.
CITE = re.compile(r"\{cite(?::p)?\}`(?P<keys>[^`]+)`")
#: A ``{doc}`` cross-reference; groups ``text`` (may be None) and ``target``.
DOC = re.compile(r"\{doc\}`(?:(?P<text>[^`<]*?) *<(?P<target>[^`>]+)>|(?P<bare>[^`<]+))`")
ANSWER_CELL = re.compile(r"\Aanswer = None[^\n]*\n(check_\w+)\(answer\)\s*\Z")

#: Output media a committed lesson keeps (the pytest-notebook reference).
KEEP_MEDIA = ("text/plain", "text/html", "text/markdown")
#: What comparing a lesson's outputs ignores: counters, run metadata, images, widget
#: views and state, and the quiz's script (its HTML is compared).
OUTPUT_IGNORE = (
    "/metadata/language_info",
    "/metadata/widgets",
    "/cells/*/execution_count",
    "/cells/*/outputs/*/execution_count",
    "/cells/*/outputs/*/data/image/png",
    "/cells/*/outputs/*/data/application/vnd.jupyter.widget-view+json",
    "/cells/*/outputs/*/data/application/javascript",
    "/cells/*/metadata/execution",
)
#: Points per exercise kind in nbgrader.
POINTS = {"auto": 2, "written": 3}

#: The first code cell of every lesson. On Google Colab, when the course package is not
#: importable, it installs the release of this version; anywhere else it does nothing and
#: prints nothing. Colab is recognised by ``google.colab`` already being in ``sys.modules``:
#: Colab's kernel class lives in that package (googlecolab/colabtools,
#: google/colab/_kernel.py), so it is imported before any cell runs. Asking whether it is
#: importable instead would import the ``google`` namespace package as a side effect and be
#: fooled by a local install of the ``google-colab`` distribution. The book hides the cell
#: (tag ``remove-cell``); learners' copies and nbgrader notebooks keep it.
COLAB_CELL = """\
# On Google Colab only: install the course package. Elsewhere this cell does nothing.
import importlib.util, subprocess, sys
if "google.colab" in sys.modules and importlib.util.find_spec("beidaihe_course") is None:
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "{requirement}"],
                   check=True)"""
COLAB_CELL_ID = "colab-install"
COLAB_CELL_TAGS = ["remove-cell"]


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


def lesson_paths() -> list[Path]:
    """Every lesson notebook, in reading order."""
    return sorted(lessons_dir().glob("*.ipynb"))


def lesson_path(lesson: str | Path) -> Path:
    """The notebook of a lesson given by name (``"06_famine"``) or path.

    >>> lesson_path("06_famine").name
    '06_famine.ipynb'
    >>> lesson_path("famine")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: no lesson 'famine'; valid names are: 00_road_to_beidaihe, ...
    """
    if not isinstance(lesson, (str, Path)):
        raise TypeError(f"lesson must be a lesson name or a path; got {type(lesson).__name__}")
    path = Path(lesson)
    if path.suffix != ".ipynb":
        path = lessons_dir() / f"{lesson}.ipynb"
    if not path.is_file():
        valid = ", ".join(p.stem for p in lesson_paths())
        raise ValueError(f"no lesson {str(lesson)!r}; valid names are: {valid}")
    return path


def _read(lesson: str | Path) -> nbformat.NotebookNode:
    import nbformat

    return nbformat.read(lesson_path(lesson), as_version=4)


def markdown(nb: nbformat.NotebookNode) -> str:
    """All Markdown cells of a notebook, joined by newlines."""
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def lesson_markdown(lesson: str | Path) -> str:
    """All Markdown cells of a lesson, joined by newlines.

    >>> lesson_markdown("06_famine").startswith("# Lesson 6.")
    True
    """
    return markdown(_read(lesson))


def student_text(lesson: str | Path) -> str:
    """A lesson's Markdown as a student reads it: without teaching notes or solutions."""
    return SOLUTION.sub("", TEACHING_NOTES.sub("", lesson_markdown(lesson)))


def solutions(nb: nbformat.NotebookNode) -> dict[str, str]:
    """Each exercise label's model answer (the body of its solution block)."""
    return {m.group(1): m.group(2).strip() for m in SOLUTION.finditer(markdown(nb))}


def prompts(nb: nbformat.NotebookNode) -> dict[str, str]:
    """Each exercise label's whole exercise block."""
    return {m["label"]: m.group(0) for m in EXERCISE.finditer(markdown(nb))}


@dataclass(frozen=True)
class Exercise:
    """One exercise of a lesson: its label, kind ("auto" or "written") and, if it is
    auto-checked, the name of its check."""

    label: str
    kind: str
    check: str | None = None

    @property
    def points(self) -> int:
        return POINTS[self.kind]


def exercises_in(nb: nbformat.NotebookNode) -> list[Exercise]:
    """The exercises of a notebook, in order (see the module docstring)."""
    found: list[Exercise] = []
    last_label = None
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for match in EXERCISE.finditer(cell.source):
                last_label = match["label"]
                found.append(Exercise(last_label, "written"))
        elif (m := ANSWER_CELL.match(cell.source)) and last_label:
            found[-1] = Exercise(last_label, "auto", m.group(1))
    return found


def exercises(lesson: str | Path) -> list[Exercise]:
    """The exercises of a lesson, in order, each with its kind and points."""
    return exercises_in(_read(lesson))


def colab_requirement() -> str:
    """The release the Colab cell installs: this package's name and version.

    >>> from beidaihe_course import __version__
    >>> colab_requirement() == f"beidaihe-course=={__version__}"
    True
    """
    from beidaihe_course._version import DISTRIBUTION, __version__

    if "+" in __version__:  # "0+unknown": never installed, or a local build
        raise ValueError(f"version {__version__!r} is not a release; install the package "
                         "(pip install -e .) to write the Colab cell")
    return f"{DISTRIBUTION}=={__version__}"


def colab_cell() -> nbformat.NotebookNode:
    """The Colab cell (:data:`COLAB_CELL`) for this version, tagged to be hidden in the book."""
    import nbformat

    return nbformat.v4.new_code_cell(COLAB_CELL.format(requirement=colab_requirement()),
                                     id=COLAB_CELL_ID, metadata={"tags": COLAB_CELL_TAGS})


def add_colab_cell(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Make the notebook's first code cell the current Colab cell: replace an older one
    (a version bump), or insert it before the first code cell. Changes ``nb`` in place."""
    cell = colab_cell()
    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    first = code[0] if code else len(nb.cells)
    if code and nb.cells[first].get("id") == COLAB_CELL_ID:
        nb.cells[first] = cell
    else:
        nb.cells.insert(first, cell)
    return nb


def strip(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Keep what a committed lesson may keep: text outputs (:data:`KEEP_MEDIA`), no
    images, widget state or run timestamps. Changes ``nb`` in place and returns it."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.metadata.pop("execution", None)  # run timestamps: new on every run, no content
        kept = []
        for out in cell.get("outputs", []):
            if "data" in out:
                out["data"] = {k: v for k, v in out["data"].items() if k in KEEP_MEDIA}
                if not out["data"]:
                    continue
            kept.append(out)
        cell["outputs"] = kept
    return nb
