"""The Chinese lessons for Jupyter and nbgrader (``--lang zh``): the same code, exercise
labels and grade ids as the English; Chinese prose; they run, and grade in full."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from offline import run_notebook

from beidaihe_course import grading
from beidaihe_course import lesson_format as fmt
from beidaihe_course.learner_copy import learner_notebook
from beidaihe_course.translate import LANGUAGE_TAG, lesson_notebook

LESSONS = [p.stem for p in fmt.lesson_paths()]
BIN = str(Path(sys.executable).parent)
HAN = re.compile(r"[\u3400-\u9fff]")


def _code(nb) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == "code"
            and LANGUAGE_TAG not in c.metadata.get("tags", [])]


@pytest.mark.parametrize("lesson", LESSONS)
def test_the_chinese_lesson_has_the_same_code_and_exercises(lesson):
    english, chinese = lesson_notebook(lesson, "en"), lesson_notebook(lesson, "zh")
    assert _code(chinese) == _code(english)
    assert [e.label for e in fmt.exercises_in(chinese)] == \
        [e.label for e in fmt.exercises_in(english)]
    first_code = next(c for c in chinese.cells if c.cell_type == "code")
    assert LANGUAGE_TAG in first_code.metadata["tags"]
    assert 'set_language("zh")' in first_code.source


@pytest.mark.parametrize("lesson", LESSONS)
def test_the_chinese_nbgrader_source_has_the_same_grade_ids_and_points(lesson):
    def graded(nb):
        return [(c.metadata["nbgrader"]["grade_id"], c.metadata["nbgrader"].get("points"))
                for c in nb.cells if "nbgrader" in c.metadata]

    english, chinese = grading.nbgrader_source(lesson), grading.nbgrader_source(lesson, "zh")
    assert graded(chinese) == graded(english) and graded(english)
    assert _code(chinese) == _code(english)


@pytest.mark.parametrize("lesson", LESSONS)
def test_no_english_prose_is_left_in_a_chinese_lesson(lesson):
    """Every line of prose in the Chinese learner copy is Chinese; code blocks, citations,
    references and English shown on purpose (labelled, beside Chinese) aside."""
    nb = learner_notebook(lesson, lang="zh")
    left = []
    for cell in nb.cells:
        if cell.cell_type != "markdown" or cell.source.startswith("## 参考文献"):
            continue
        text = re.sub(r"```.*?```", "", cell.source, flags=re.S)
        text = re.sub(r"\[[^\]]*\d{4}[^\]]*\]", "", text)  # author–year citations
        for line in text.splitlines():
            if not HAN.search(line) and len(re.findall(r"[A-Za-z]{2,}", line)) >= 5:
                left.append(line[:100])
    assert not left, "\n".join(left)


def test_cli_writes_chinese_lessons_and_refuses_an_unknown_language(tmp_path):
    done = subprocess.run([f"{BIN}/beidaihe-course", "lessons", "--lang", "zh",
                           str(tmp_path / "zh")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    nb = nbformat.read(tmp_path / "zh" / "06_famine.ipynb", as_version=4)
    assert nb.cells[0].source.startswith("# 第6课")
    bad = subprocess.run([f"{BIN}/beidaihe-course", "lessons", "--lang", "fr",
                          str(tmp_path / "fr")], capture_output=True, text=True)
    assert bad.returncode == 2 and "en" in bad.stderr and "zh" in bad.stderr
    with pytest.raises(ValueError, match="valid names are: en, zh"):
        grading.write_course(tmp_path / "course", lang="fr")


@pytest.mark.slow
@pytest.mark.parametrize("lesson", ["03_production_targets", "06_famine"])
def test_a_chinese_learner_copy_runs_top_to_bottom_and_checks_in_chinese(lesson, tmp_path):
    nb = learner_notebook(lesson, lang="zh")
    run_notebook(nb, tmp_path, dict(os.environ))
    outputs = "\n".join(str(o.get("data", {}).get("text/html", ""))
                        + str(o.get("data", {}).get("text/plain", o.get("text", "")))
                        for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "Traceback" not in outputs
    assert "还不对" in outputs and "提示" in outputs  # the self-checks speak Chinese


@pytest.mark.slow
def test_the_chinese_nbgrader_course_grades_every_lesson_in_full(tmp_path):
    """nbgrader-course --lang zh → generate_assignment → autograde the instructor's own
    version of every lesson: full marks, and a gradebook row for each."""
    from nbgrader.apps import NbGraderAPI
    from traitlets.config.loader import PyFileConfigLoader

    root = tmp_path / "course"
    cli = subprocess.run([f"{BIN}/beidaihe-course", "nbgrader-course", "--lang", "zh",
                          str(root)], capture_output=True, text=True)
    assert cli.returncode == 0, cli.stderr
    os.environ["PATH"] = BIN + os.pathsep + os.environ["PATH"]  # nbgrader runs alembic
    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    api = NbGraderAPI(config=config)
    for lesson in LESSONS:
        assert api.generate_assignment(lesson, force=True)["success"], lesson
        released = nbformat.read(root / "release" / lesson / f"{lesson}.ipynb", 4)
        assert "BEGIN SOLUTION" not in "\n".join(c.source for c in released.cells)
        source = root / "source" / lesson / f"{lesson}.ipynb"
        folder = root / "submitted" / "instructor" / lesson
        folder.mkdir(parents=True)
        (folder / f"{lesson}.ipynb").write_bytes(source.read_bytes())
        result = api.autograde(lesson, "instructor", force=True, create=True)
        assert result["success"], result["log"]
        with api.gradebook as gradebook:
            sub = gradebook.find_submission(lesson, "instructor")
            assert sub.max_code_score > 0 and sub.code_score == sub.max_code_score, lesson
