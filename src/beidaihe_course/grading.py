"""nbgrader material from the lessons: one source, no solutions or hidden tests in the book.

The lessons are written for readers: an exercise is a sphinx-exercise block, its model
answer sits in a folded ``solution`` block, and an auto-checked exercise is followed by a
code cell ``answer = None`` plus a self-check. :func:`nbgrader_source` turns a lesson into
an nbgrader *source* notebook, the instructor's version:

- an **autograded answer** cell holding the model solution between nbgrader's
  ``### BEGIN SOLUTION`` / ``### END SOLUTION`` markers (taken from the lesson's solution
  block), followed by the unchanged self-check and a locked **test** cell: a visible test
  (the answer has the right type: a number, one of the options, or a label for each
  figure) and hidden tests between ``### BEGIN HIDDEN TESTS`` /
  ``### END HIDDEN TESTS`` that compare it with the value computed from the data;
- a **manually graded answer** cell (Markdown) after every written exercise, holding the
  model answer, which ``nbgrader generate_assignment`` replaces with "YOUR ANSWER HERE";
- the lesson's solution blocks and teaching notes removed, so the released version
  contains no solution and nothing meant for the instructor edition of the book;
- its Markdown converted as in a learner's copy (:mod:`beidaihe_course.learner_copy`):
  exercise headings with the book's numbers, author–year citations with a References
  cell at the end, and links that work outside the book.

Points: :data:`POINTS`. :func:`write_course` lays out a complete nbgrader course.

>>> [(e.label, e.kind) for e in exercises("05_capital_construction")]
[('ex-construction-labels', 'auto'), ('ex-million-mou', 'written'), ('ex-two-roads', 'written')]
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat

from beidaihe_course import lesson_format as fmt
from beidaihe_course.learner_copy import convert_markdown, references_markdown
from beidaihe_course.lesson_format import POINTS, Exercise, exercises  # noqa: F401 (API)

COURSE_ID = "beidaihe1958"
#: What a student sees in place of the model solution of an autograded answer.
CODE_STUB = "answer = None  # YOUR ANSWER HERE"
#: Seconds a cell may run during autograding before it is stopped (an endless loop).
CELL_TIMEOUT = 60

def _meta(grade_id: str, *, solution: bool, grade: bool, locked: bool,
          points: int | None = None) -> dict:
    meta = {"grade_id": grade_id, "solution": solution, "grade": grade, "locked": locked,
            "schema_version": 3, "task": False}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def _solution_code(label: str, solution: str) -> str:
    block = fmt.CODE_BLOCK.search(solution)
    if not block or "answer =" not in block.group(1):
        raise ValueError(f"the solution of {label} must contain a python block assigning "
                         "`answer`")
    return block.group(1).strip()


#: The visible test for each kind of answer: its type, so a student learns at once that
#: the answer has the wrong shape, without being told the value.
_VISIBLE_TESTS = {
    "number": ("import numbers",
               "assert isinstance(answer, numbers.Real) and not isinstance(answer, bool), \\",
               '    "answer must be a number (replace None with your answer)"'),
    "choice": ('assert isinstance(answer, str), \\',
               '    "answer must be one of the options, as a string (replace None)"'),
    "labels": ('assert isinstance(answer, dict), \\',
               '    "answer must be a dict of labels (replace None with your answer)"'),
}


def _test_source(check: str) -> str:
    from beidaihe_course import checks

    kind = checks.answer_type(check)
    return "\n".join([
        f"# Visible test: the answer has the right form ({kind}).",
        *_VISIBLE_TESTS[kind],
        "### BEGIN HIDDEN TESTS",
        "from beidaihe_course import checks",
        f"assert checks.{check}(answer).passed, \"not what the evidence supports\"",
        "### END HIDDEN TESTS",
    ])


def nbgrader_source(lesson: str | Path, lang: str = "en") -> nbformat.NotebookNode:
    """The lesson as an nbgrader source notebook (see the module docstring), in ``lang``:
    the same code, exercise labels and grade ids in every language."""
    from beidaihe_course.i18n import using

    with using(lang):
        return _nbgrader_source(lesson, lang)


def _nbgrader_source(lesson: str | Path, lang: str) -> nbformat.NotebookNode:
    from beidaihe_course.i18n import gettext
    from beidaihe_course.translate import lesson_notebook

    nb = lesson_notebook(lesson, lang)
    solutions = fmt.solutions(nb)
    kinds = {e.label: e for e in fmt.exercises_in(nb)}
    cells: list = []
    cited: list[str] = []  # the works cited where students see them
    last_label = None
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            text = fmt.TEACHING_NOTES.sub("", fmt.SOLUTION.sub("", cell.source))
            chunk, pos = "", 0
            for match in fmt.EXERCISE.finditer(text):
                chunk += text[pos:match.end()]
                pos = match.end()
                last_label = match["label"]
                exercise = kinds[last_label]
                if exercise.kind == "written":
                    cells.append(nbformat.v4.new_markdown_cell(
                        convert_markdown(chunk, cited, solutions="omit")))
                    answer = convert_markdown(solutions.get(last_label, ""), [],
                                              solutions="omit")
                    cells.append(nbformat.v4.new_markdown_cell(
                        gettext("**Your answer.**") + "\n\n" + answer,
                        metadata=_meta(f"{last_label}-answer", solution=True, grade=True,
                                       locked=False, points=exercise.points)))
                    chunk = ""
            chunk = convert_markdown(chunk + text[pos:], cited, solutions="omit")
            if chunk.strip():
                cells.append(nbformat.v4.new_markdown_cell(chunk,
                                                           metadata=dict(cell.metadata)))
        elif (m := fmt.ANSWER_CELL.match(cell.source)) and last_label:
            exercise = kinds[last_label]
            code = _solution_code(last_label, solutions.get(last_label, ""))
            cells.append(nbformat.v4.new_code_cell(
                f"### BEGIN SOLUTION\n{code}\n### END SOLUTION",
                metadata=_meta(f"{last_label}-answer", solution=True, grade=False,
                               locked=False)))
            cells.append(nbformat.v4.new_code_cell(f"{m.group(1)}(answer)  # a self-check"))
            cells.append(nbformat.v4.new_code_cell(
                _test_source(exercise.check),
                metadata=_meta(f"{last_label}-test", solution=False, grade=True,
                               locked=True, points=exercise.points)))
        else:
            new = nbformat.v4.new_code_cell(cell.source, metadata=dict(cell.metadata))
            cells.append(new)
    if cited:
        cells.append(nbformat.v4.new_markdown_cell(references_markdown(cited)))
    nb.cells = cells
    return nb


NBGRADER_CONFIG = f'''"""nbgrader configuration for the Beidaihe 1958 course.

Written by `beidaihe-course nbgrader-course`; edit freely.
"""

c = get_config()  # noqa: F821 (provided by nbgrader)

c.CourseDirectory.course_id = "{COURSE_ID}"
# What students see in place of a model solution.
c.ClearSolutions.code_stub = {{"python": "{CODE_STUB}"}}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
# Stop any cell that runs longer than this during autograding (an endless loop), so the
# submission is still graded and recorded.
c.Execute.timeout = {CELL_TIMEOUT}
c.Execute.interrupt_on_timeout = True
'''


def write_course(dest: str | Path, *, force: bool = False, lang: str = "en") -> list[Path]:
    """Lay out an nbgrader course in ``dest``: config plus ``source/<lesson>/<lesson>.ipynb``.

    Refuses to write into an existing non-empty directory unless ``force`` is true. The
    lessons are in ``lang`` (``en`` or ``zh``), with the same code and exercise labels.
    Returns the notebooks written.
    """
    from beidaihe_course.i18n import normalise

    if not isinstance(dest, (str, Path)):
        raise TypeError(f"dest must be a path; got {type(dest).__name__}")
    lang = normalise(lang)
    dest = Path(dest)
    if dest.exists() and not dest.is_dir():
        raise ValueError(f"{dest} exists and is not a directory")
    if dest.exists() and any(dest.iterdir()):
        if not force:
            raise FileExistsError(f"{dest} already exists and is not empty; "
                                  "use --force to replace the course's files")
        for name in ("source", "nbgrader_config.py"):
            target = dest / name
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "nbgrader_config.py").write_text(NBGRADER_CONFIG, encoding="utf-8")
    written = []
    for path in fmt.lesson_paths():
        source = nbgrader_source(path, lang)
        if not any("nbgrader" in cell.metadata for cell in source.cells):
            continue
        out = dest / "source" / path.stem / path.name
        out.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(source, out)
        written.append(out)
    return written
