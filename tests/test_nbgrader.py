"""The course as nbgrader material, checked with the real nbgrader and a real gradebook.

The round trip: ``beidaihe-course nbgrader-course`` → ``generate_assignment`` (every
lesson) → ``autograde`` (the instructor's own version of every lesson) →
``generate_feedback``. The failure cases (an unmodified student version, a submission
that raises and one that loops forever) run against a one-exercise toy lesson written in
the same format, so no lesson is executed more than once here.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from beidaihe_course import grading
from beidaihe_course import lesson_format as fmt
from beidaihe_course.lesson_format import lessons_dir

pytestmark = pytest.mark.slow
LESSONS = [p.stem for p in sorted(lessons_dir().glob("*.ipynb"))]
BIN = str(Path(sys.executable).parent)
TIMEOUT = 10  # seconds per cell while grading, shorter than the course default


TOY = "99_toy"
TOY_CELLS = [
    ("markdown", "# A toy lesson\n\n```{exercise}\n:label: ex-toy\n\nWhat did the small native "
                 "furnaces of 1958 mostly make?\n```\n\n````{solution} ex-toy\n:class: dropdown\n\n"
                 "```python\nanswer = \"pig iron\"\n```\n````"),
    ("code", "from beidaihe_course.checks import check_furnace_product"),
    ("code", "answer = None  # replace None with your answer\ncheck_furnace_product(answer)"),
    ("markdown", "```{exercise}\n:label: ex-toy-why\n\nWhy not steel?\n```\n\n"
                 "````{solution} ex-toy-why\n:class: dropdown\n\n"
                 "A blast furnace makes iron.\n````"),
]


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A course laid out by the CLI, with every assignment generated through the API, plus
    the toy lesson."""
    from nbgrader.apps import NbGraderAPI
    from traitlets.config.loader import PyFileConfigLoader

    root = tmp_path_factory.mktemp("nbgrader") / "course"
    cli = subprocess.run([f"{BIN}/beidaihe-course", "nbgrader-course", str(root)],
                         capture_output=True, text=True, check=False)
    assert cli.returncode == 0, cli.stderr
    toy = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell(src) if kind == "markdown" else
        nbformat.v4.new_code_cell(src) for kind, src in TOY_CELLS])
    toy_path = root.parent / f"{TOY}.ipynb"
    nbformat.write(toy, toy_path)
    (root / "source" / TOY).mkdir(parents=True)
    nbformat.write(grading.nbgrader_source(toy_path), root / "source" / TOY / f"{TOY}.ipynb")
    os.environ["PATH"] = BIN + os.pathsep + os.environ["PATH"]  # nbgrader runs alembic
    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    config.Execute.timeout = TIMEOUT
    api = NbGraderAPI(config=config)
    for lesson in [*LESSONS, TOY]:
        result = api.generate_assignment(lesson, force=True)
        assert result["success"], result["log"]
    return root, api


def _submit(root: Path, student: str, lesson: str, nb: nbformat.NotebookNode) -> None:
    folder = root / "submitted" / student / lesson
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{lesson}.ipynb")


def _release(root: Path, lesson: str) -> nbformat.NotebookNode:
    return nbformat.read(root / "release" / lesson / f"{lesson}.ipynb", as_version=4)


def _submission(api, lesson: str, student: str):
    with api.gradebook as gradebook:
        sub = gradebook.find_submission(lesson, student)
        return sub.code_score, sub.max_code_score, sub.max_written_score


def test_every_lesson_has_graded_exercises_with_points():
    for lesson in LESSONS:
        found = grading.exercises(lesson)
        assert any(e.kind == "auto" for e in found), lesson
        assert sum(e.kind == "written" for e in found) >= 2, lesson


@pytest.mark.parametrize("lesson", LESSONS)
def test_release_version_contains_no_solution_and_no_hidden_test(course, lesson):
    root, _ = course
    text = "\n".join(c.source for c in _release(root, lesson).cells)
    assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text
    assert "checks.check_" not in text  # the hidden comparison with the data
    lesson_nb = nbformat.read(fmt.lesson_path(lesson), as_version=4)
    for block in fmt.solutions(lesson_nb).values():
        for line in block.splitlines():
            if len(line.strip()) > 25:
                assert line.strip() not in text, f"solution text in the release: {line}"
    assert grading.CODE_STUB in text


@pytest.mark.parametrize("lesson", LESSONS)
def test_instructor_version_earns_full_marks(course, lesson):
    root, api = course
    _submit(root, "instructor", lesson,
            nbformat.read(root / "source" / lesson / f"{lesson}.ipynb", as_version=4))
    result = api.autograde(lesson, "instructor", force=True, create=True)
    assert result["success"], result["log"]
    score, maximum, written = _submission(api, lesson, "instructor")
    assert maximum > 0 and score == maximum
    assert written > 0


@pytest.mark.parametrize("student, code", [("blank", None), ("raiser", "answer = 1 / 0"),
                                           ("looper", "while True:\n    pass")])
def test_unanswered_and_broken_submissions_score_zero_and_keep_their_row(course, student,
                                                                          code):
    """Nothing is lost: a blank, a crashing and an endless submission are each graded and
    recorded, with zero for the code."""
    root, api = course
    nb = _release(root, TOY)
    answer_cells = [c for c in nb.cells if c.source.startswith(grading.CODE_STUB)]
    assert len(answer_cells) == 1
    if code is not None:
        answer_cells[0].source = code
    _submit(root, student, TOY, nb)
    api.autograde(TOY, student, force=True, create=True)
    score, maximum, written = _submission(api, TOY, student)
    assert maximum == grading.POINTS["auto"] and score == 0
    assert written == grading.POINTS["written"]


def test_feedback_is_generated_as_html_with_the_gradebook_score(course):
    root, api = course
    _submit(root, "instructor", TOY,
            nbformat.read(root / "source" / TOY / f"{TOY}.ipynb", as_version=4))
    assert api.autograde(TOY, "instructor", force=True, create=True)["success"]
    result = api.generate_feedback(TOY, "instructor", force=True)
    assert result["success"], result["log"]
    html = (root / "feedback" / "instructor" / TOY / f"{TOY}.html").read_text()
    with api.gradebook as gradebook:
        sub = gradebook.find_submission(TOY, "instructor")
        score, maximum = sub.score, sub.max_score
    shown = re.search(r"Score:\s*([\d.]+)\s*/\s*([\d.]+)", html)
    assert shown, "the feedback shows no score"
    assert (float(shown.group(1)), float(shown.group(2))) == (score, maximum)
    assert score == grading.POINTS["auto"] < maximum  # code full; written not yet graded
