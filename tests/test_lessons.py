"""Every lesson runs top to bottom on a fresh kernel and reproduces its committed text outputs.

pytest-notebook compares text outputs only: images, widget state and execution counts are
ignored (see ``nb_diff_ignore`` in pyproject.toml, repeated here for the fixture).

Determinism and hygiene: the committed outputs come from one fresh-kernel run
(``scripts/refresh_lessons.py``); each lesson is executed twice more here, once on its own
and once with all lessons in a shuffled order sharing one working folder, each time with a
different hash seed, offline (``tests/offline.py``), and must give the same text outputs and
leave no file behind.
"""

from __future__ import annotations

import os
import random
import re
from pathlib import Path

import nbformat
import pytest
from offline import attempts, offline_env, run_notebook

from beidaihe_course import lesson_format as fmt

ROOT = Path(__file__).resolve().parents[1]
LESSONS = fmt.lesson_paths()


def test_there_are_lessons():
    assert LESSONS


def _text_outputs(nb) -> list[list[tuple]]:
    """Per code cell: each output's type, stream name and text media, nothing else."""
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outs = []
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            outs.append((out.output_type, out.get("name"), out.get("text"),
                         tuple((k, data[k]) for k in fmt.KEEP_MEDIA if k in data)))
        cells.append(outs)
    return cells


@pytest.fixture(scope="module")
def ran(tmp_path_factory) -> dict:
    """Every lesson executed once, on a fresh kernel each, in a shuffled order sharing one
    working folder, offline, with a hash seed that differs from the committed run's.

    Returns the executed notebooks by path, the files each lesson left behind, the network
    attempts, and a note naming the order (``LESSON_ORDER_SEED`` replays it)."""
    seed = int(os.environ.get("LESSON_ORDER_SEED", random.randrange(10_000)))
    order = LESSONS[:]
    random.Random(seed).shuffle(order)
    tmp = tmp_path_factory.mktemp("lessons")
    env = {**offline_env(tmp / "guard"), "PYTHONHASHSEED": str(seed + 2)}
    workdir = tmp / "cwd"
    workdir.mkdir()
    notebooks, left = {}, {}
    for path in order:
        nb = nbformat.read(path, as_version=4)
        run_notebook(nb, workdir, env)
        notebooks[path] = nb
        left[path] = sorted(p.name for p in workdir.iterdir())
    return {"notebooks": notebooks, "left": left, "network": attempts(env),
            "note": f"order {[p.stem for p in order]} (LESSON_ORDER_SEED={seed})"}


@pytest.mark.slow
@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_reproduces_its_outputs(path, ran):
    """Run on a fresh kernel, after other lessons in a random order, a lesson gives its
    committed text outputs (pytest-notebook's diff, ignoring ``fmt.OUTPUT_IGNORE``)."""
    from pytest_notebook.diffing import diff_notebooks, diff_to_string, filter_diff

    committed = nbformat.read(path, as_version=4)
    diff = filter_diff(diff_notebooks(committed, ran["notebooks"][path]),
                       list(fmt.OUTPUT_IGNORE))
    assert not diff, (f"{path.name} differs from its committed outputs; {ran['note']}\n"
                      + diff_to_string(committed, diff, use_color=False))
    assert _text_outputs(ran["notebooks"][path]) == _text_outputs(committed)


@pytest.mark.slow
def test_lessons_leave_no_files_and_stay_offline(ran):
    assert {p.name: files for p, files in ran["left"].items() if files} == {}, ran["note"]
    assert ran["network"] == [], f"network attempts: {ran['network']}; {ran['note']}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_committed_lesson_is_clean(path):
    assert path.stat().st_size < 100_000
    nb = nbformat.read(path, as_version=4)
    assert "widgets" not in nb.metadata
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1)), "not run once, top to bottom"
    for cell in nb.cells:
        assert "execution" not in cell.metadata, f"run timestamps in {path.name}"
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            assert not any(k.startswith("image/") for k in data), f"image in {path.name}"
            assert "application/vnd.jupyter.widget-view+json" not in data
            assert out.get("output_type") != "error", f"error output in {path.name}"


SKELETON = ("Learning objectives", "Primary source", "The data", "Historians disagree",
            "Exercises", "Self-check quiz", "Summary", "Further reading")


_markdown = fmt.markdown


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_follows_the_skeleton(path):
    nb = nbformat.read(path, as_version=4)
    text = _markdown(nb)
    headings = [line.lstrip("#").strip() for line in text.splitlines()
                if line.startswith("## ")]
    first = {}
    for part in SKELETON:
        found = [i for i, h in enumerate(headings) if h.startswith(part)]
        assert found, f"{path.name} has no '## {part}…' section"
        first[part] = found[0]
    # A lesson may read its primary source before or after its data (lesson 6's source
    # is the statistical table itself); every other part comes in skeleton order.
    ordered = [first[p] for p in SKELETON if p != "The data"]
    assert ordered == sorted(ordered), f"{path.name}: sections out of order {headings}"
    assert first["The data"] < first["Historians disagree"], path.name
    exercises = [m.group(1) for m in fmt.EXERCISE.finditer(text)]
    solutions = [m.group(1) for m in fmt.SOLUTION.finditer(text)]
    assert len(exercises) >= 3 and set(exercises) <= set(solutions), path.name
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert re.search(r"\bcheck_\w+\(answer\)", code), f"{path.name} has no auto-checked exercise"
    assert "show_quiz(" in code and "{cite:p}" in text


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_figure_has_a_caption_and_alt_text(path):
    nb = nbformat.read(path, as_version=4)
    plots = [c for c in nb.cells if c.cell_type == "code" and re.search(r"\bplot_\w+\(", c.source)]
    assert plots, f"{path.name} has no figure"
    for cell in plots:
        meta = cell.metadata.get("mystnb", {})
        assert meta.get("figure", {}).get("caption"), f"figure without caption in {path.name}"
        assert len(meta.get("image", {}).get("alt", "")) > 40, f"short alt text in {path.name}"


def test_most_lessons_have_an_explorer():
    with_explorer = [p.stem for p in LESSONS
                     if "explorer(" in "\n".join(c.source for c in nbformat.read(p, 4).cells
                                                 if c.cell_type == "code")]
    assert len(with_explorer) >= 6, with_explorer


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lessons_carry_no_grading_markers(path):
    """Solutions and hidden tests are added only in the nbgrader source (grading.py)."""
    text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells)
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS"):
        assert marker not in text


def test_strip_script_removes_images_and_widget_state_and_keeps_text(tmp_path, root):
    import subprocess
    import sys

    nb = nbformat.read(LESSONS[0], as_version=4)
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.outputs = [nbformat.v4.new_output("display_data", data={
        "image/png": "iVBORw0KGgo=", "text/plain": "<Figure>",
        "application/vnd.jupyter.widget-view+json": {"model_id": "x"}})]
    nb.metadata["widgets"] = {"state": {}}
    dirty = tmp_path / "dirty.ipynb"
    nbformat.write(nb, dirty)
    script = root / "scripts" / "strip_notebooks.py"
    first = subprocess.run([sys.executable, str(script), str(dirty)], check=False)
    assert first.returncode == 1
    clean = nbformat.read(dirty, as_version=4)
    assert "widgets" not in clean.metadata
    data = next(c for c in clean.cells if c.cell_type == "code").outputs[0]["data"]
    assert data == {"text/plain": "<Figure>"}
    again = subprocess.run([sys.executable, str(script), str(dirty)], check=False)
    assert again.returncode == 0


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_teaching_notes_are_marked_and_left_out_of_nbgrader(path):
    """Each lesson has one teaching-notes block for the instructor edition; the nbgrader
    source (and so every student release) does not carry it."""
    from beidaihe_course.grading import nbgrader_source

    notes = [c.source for c in nbformat.read(path, as_version=4).cells
             if "instructor-only" in c.source]
    assert len(notes) == 1 and "Teaching notes" in notes[0]
    for part in ("**Timing.**", "**Discussion.**", "**Watch for.**", "**Marking.**"):
        assert part in notes[0], part
    released = "\n".join(c.source for c in nbgrader_source(path).cells)
    assert "instructor-only" not in released and "Teaching notes" not in released
    assert "**Discussion.**" not in released


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_summary_figures_carry_citations(path):
    """A summary restates the lesson's facts; each bullet with a figure cites its sources."""
    text = _markdown(nbformat.read(path, as_version=4))
    summary = text.split("## Summary", 1)[1].split("\n## ", 1)[0]
    for line in summary.splitlines():
        if line.startswith("- ") and re.search(r"\d", line):
            assert "{cite" in line, line


def _section(text: str, heading: str) -> str:
    """The body of the first '## heading…' section, up to the next '## '."""
    parts = text.split(f"\n## {heading}", 1)
    assert len(parts) == 2, f"no '## {heading}…' section"
    return parts[1].split("\n## ", 1)[0]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_lesson_gives_a_voice_with_its_source_and_questions_on_memory(path):
    """A first-hand account, quoted (a block quote), cited, and read as a memory: who
    remembered it, when, for whom."""
    voice = _section(_markdown(nbformat.read(path, as_version=4)), "A voice")
    assert re.search(r"^> \S", voice, re.M), f"{path.name}: the voice is not quoted"
    assert "{cite:p}" in voice, f"{path.name}: the voice has no source"
    questions = voice.split("**Sourcing a memory.**", 1)
    assert len(questions) == 2, f"{path.name}: no 'Sourcing a memory' questions"
    assert len(re.findall(r"^\d\. ", questions[1], re.M)) >= 2, path.name


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_lesson_sets_two_sources_against_each_other(path):
    """A corroboration exercise: at least two labelled sources (**Source A.** …), each
    with its citation, and questions that set them against each other."""
    part = _section(_markdown(nbformat.read(path, as_version=4)), "Corroboration")
    sources = re.findall(r"^\*\*Source [A-Z][.:].*?(?=\n\n|\Z)", part, re.M | re.S)
    assert len(sources) >= 2, f"{path.name}: {len(sources)} labelled source(s)"
    for source in sources:
        assert "{cite:" in source, f"{path.name}: uncited {source[:60]!r}"
    assert len(re.findall(r"^\d\. ", part, re.M)) >= 2, path.name


def _auto_checks(path) -> list[str]:
    return [e.check for e in fmt.exercises(path) if e.kind == "auto"]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_lesson_autogrades_at_least_one_judgement(path):
    """Not only arithmetic: each lesson checks a historian's judgement (which series,
    which label, which source) automatically."""
    from beidaihe_course.checks import KINDS

    kinds = [KINDS[c] for c in _auto_checks(path)]
    assert "judgement" in kinds, f"{path.name}: auto-checked kinds {kinds}"


def test_at_most_a_third_of_autograded_items_are_arithmetic():
    from beidaihe_course.checks import KINDS

    kinds = [KINDS[c] for p in LESSONS for c in _auto_checks(p)]
    assert kinds and kinds.count("arithmetic") * 3 <= len(kinds), kinds


def test_every_check_is_used_by_a_lesson():
    from beidaihe_course.checks import KINDS

    used = {c for p in LESSONS for c in _auto_checks(p)}
    assert used == set(KINDS), set(KINDS) ^ used


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_stated_time_is_honest(path):
    """The time a lesson states is within 20 % (or 10 minutes) of the time its text and
    tasks take at the course's reading speed (``pages.estimated_minutes``)."""
    from beidaihe_course.pages import estimated_minutes, stated_minutes

    stated, estimate = stated_minutes(path), estimated_minutes(path)
    assert abs(stated - estimate) <= max(10, 0.2 * estimate), (path.name, stated, estimate)
