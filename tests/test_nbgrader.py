"""The course as nbgrader material, checked with the real nbgrader and a real gradebook.

The round trip: ``beidaihe-course nbgrader-course`` → ``generate_assignment`` (every
lesson) → ``autograde`` (the instructor's own version, an unmodified student version, a
submission that raises and one that loops forever) → ``generate_feedback``.
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
from beidaihe_course._resources import lessons_dir

pytestmark = pytest.mark.slow
LESSONS = [p.stem for p in sorted(lessons_dir().glob("*.ipynb"))]
BIN = str(Path(sys.executable).parent)
TIMEOUT = 10  # seconds per cell while grading, shorter than the course default


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A course laid out by the CLI, with every assignment generated through the API."""
    from nbgrader.apps import NbGraderAPI
    from traitlets.config.loader import PyFileConfigLoader

    root = tmp_path_factory.mktemp("nbgrader") / "course"
    cli = subprocess.run([f"{BIN}/beidaihe-course", "nbgrader-course", str(root)],
                         capture_output=True, text=True, check=False)
    assert cli.returncode == 0, cli.stderr
    os.environ["PATH"] = BIN + os.pathsep + os.environ["PATH"]  # nbgrader runs alembic
    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    config.Execute.timeout = TIMEOUT
    api = NbGraderAPI(config=config)
    for lesson in LESSONS:
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
    lesson_nb = nbformat.read(lessons_dir() / f"{lesson}.ipynb", as_version=4)
    solution_blocks = re.findall(r"````\{solution\}.*?````",
                                 "\n".join(c.source for c in lesson_nb.cells), re.S)
    for block in solution_blocks:
        for line in block.splitlines()[3:]:
            if len(line.strip()) > 25:
                assert line.strip() not in text, f"solution text in the release: {line}"
    assert grading.CODE_STUB in text


@pytest.mark.parametrize("lesson", LESSONS)
def test_instructor_version_earns_full_marks_and_blank_version_none(course, lesson):
    root, api = course
    _submit(root, "instructor", lesson,
            nbformat.read(root / "source" / lesson / f"{lesson}.ipynb", as_version=4))
    _submit(root, "blank", lesson, _release(root, lesson))
    for student in ("instructor", "blank"):
        result = api.autograde(lesson, student, force=True, create=True)
        assert result["success"], result["log"]
    score, maximum, written = _submission(api, lesson, "instructor")
    assert maximum > 0 and score == maximum
    assert written > 0
    assert _submission(api, lesson, "blank")[0] == 0


@pytest.mark.parametrize("student, code", [("raiser", "answer = 1 / 0"),
                                           ("looper", "while True:\n    pass")])
def test_broken_submissions_still_get_a_gradebook_row(course, student, code):
    root, api = course
    lesson = LESSONS[4]
    nb = _release(root, lesson)
    answer_cells = [c for c in nb.cells if c.source.startswith(grading.CODE_STUB)]
    assert answer_cells
    answer_cells[0].source = code
    _submit(root, student, lesson, nb)
    api.autograde(lesson, student, force=True, create=True)
    score, maximum, _ = _submission(api, lesson, student)
    assert maximum > 0 and score == 0


def test_feedback_is_generated_as_html(course):
    root, api = course
    lesson = LESSONS[4]
    if not (root / "autograded" / "instructor" / lesson).exists():
        _submit(root, "instructor", lesson,
                nbformat.read(root / "source" / lesson / f"{lesson}.ipynb", as_version=4))
        assert api.autograde(lesson, "instructor", force=True, create=True)["success"]
    result = api.generate_feedback(lesson, "instructor", force=True)
    assert result["success"], result["log"]
    html = (root / "feedback" / "instructor" / lesson / f"{lesson}.html").read_text()
    assert "Score" in html or "score" in html
