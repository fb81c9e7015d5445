"""Learner copies of the lessons: no MyST left, solutions folded (or gone), no teaching
notes, citations author–year with their References, links that resolve, code unchanged.
The same conversion feeds nbgrader's source notebooks."""

from __future__ import annotations

import importlib.util
import json
import re

import nbformat
import pytest

from beidaihe_course import cli, grading
from beidaihe_course import lesson_format as fmt
from beidaihe_course.learner_copy import (
    book_index,
    convert,
    convert_markdown,
    learner_notebook,
    site,
)

LESSONS = [p.stem for p in fmt.lesson_paths()]
#: Text that must not survive in any Markdown cell a learner opens.
RAW_MYST = ("{cite", "{doc}", "{exercise}", "{solution}", "{ref}", "{admonition}", ":label:",
            ":class:", "```{", ":::")
LINK = re.compile(r"\]\(([^)\s]+)\)")
DETAILS = re.compile(r"<details>\n<summary>[^<]*</summary>\n(.*?)\n</details>", re.S)


def _markdown(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def _long_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()
            if len(line.strip()) > 30 and "{cite" not in line and "{doc}" not in line]


def test_book_index_is_in_step_with_the_book(root):
    """book_index.json is what scripts/make_book_index.py writes from references.bib,
    _config.yml, _toc.yml and the book's pages today."""
    spec = importlib.util.spec_from_file_location("make_book_index",
                                                  root / "scripts" / "make_book_index.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    shipped = (root / "src" / "beidaihe_course" / "book_index.json").read_text("utf-8")
    assert shipped == script.render(script.book_index(root)), (
        "book_index.json is stale: run .venv/bin/python scripts/make_book_index.py")


def test_site_is_derived_from_the_repository_url(root):
    config = (root / "_config.yml").read_text(encoding="utf-8")
    assert "url: https://github.com/beidaihe-course/beidaihe-1958" in config
    assert site() == "https://beidaihe-course.github.io/beidaihe-1958/"


FIXTURE = [
    ("markdown", "# Lesson 9. A toy\n\nGrain fell {cite:p}`linyang2000food,yang2012tombstone`. "
                 "See {doc}`Lesson 3 <03_production_targets>`, the {doc}`../book/timeline` "
                 "and {doc}`/book/glossary`."),
    ("markdown", "```{admonition} Teaching notes\n:class: instructor-only\nSECRET NOTE for "
                 "instructors only.\n```\n\n```{admonition} Content note\n:class: warning\n"
                 "This lesson is about a famine.\n```"),
    ("code", "x = 1  # unchanged\nx"),
    ("markdown", "```{exercise} Which 1957?\n:label: ex-mixed-baseline\n\nPick a series.\n```"
                 "\n\n````{solution} ex-mixed-baseline\n:class: dropdown\n\n```python\n"
                 "answer = \"official\"\n```\n\nTHE MODEL ANSWER, citing "
                 "{cite:p}`ashton1984famine`.\n````"),
]


@pytest.fixture
def toy():
    cells = [nbformat.v4.new_markdown_cell(src) if kind == "markdown" else
             nbformat.v4.new_code_cell(src) for kind, src in FIXTURE]
    cells[2].outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "1"},
                                               execution_count=1)]
    return nbformat.v4.new_notebook(cells=cells)


def test_fixture_reads_as_plain_markdown(toy):
    code_before = json.dumps(toy.cells[2])
    nb = convert(toy)
    text = _markdown(nb)
    for raw in RAW_MYST:
        assert raw not in text, raw
    assert "SECRET NOTE" not in text
    assert "> **Content note**\n>\n> This lesson is about a famine." in text
    assert "[Lin and Yang, 2000; Yang, 2012]" in text
    assert "[Lesson 3. Production targets" not in text  # the link's own text is kept
    assert "[Lesson 3](03_production_targets.ipynb)" in text
    assert f"[Timeline, 1956–1962]({site()}book/timeline.html)" in text
    assert f"[Glossary]({site()}book/glossary.html)" in text
    assert "**Exercise 25 — Which 1957?**\n\nPick a series." in text
    (folded,) = DETAILS.findall(text)
    assert "THE MODEL ANSWER" in folded and '```python\nanswer = "official"\n```' in folded
    references = nb.cells[-1].source
    assert references.startswith("## References")
    for label in ("Lin and Yang, 2000", "Yang, 2012", "Ashton et al., 1984"):
        assert f"**[{label}]**" in references
    assert json.dumps(nb.cells[2]) == code_before


def test_fixture_without_solutions(toy):
    text = _markdown(convert(toy, solutions="omit"))
    assert "<details>" not in text and "THE MODEL ANSWER" not in text
    assert "Ashton et al., 1984" not in text  # cited only in the solution


@pytest.mark.parametrize("bad", ["show", None, "Fold"])
def test_unknown_solution_mode_names_the_valid_ones(toy, bad):
    with pytest.raises(ValueError, match="fold, omit"):
        convert(toy, solutions=bad)


@pytest.mark.parametrize("myst", ["```{figure} a.png\n:name: f\n```", "{ref}`fig-a`",
                                  ":::{note}\nx\n:::", "{cite:t}`yang2012tombstone`"])
def test_unknown_myst_is_refused_not_shown_raw(myst):
    with pytest.raises(ValueError, match="cannot show"):
        convert_markdown(myst, [])


def test_bad_citation_key_and_bad_link_are_errors():
    with pytest.raises(ValueError, match="references.bib"):
        convert_markdown("{cite:p}`nosuchwork2099`", [])
    with pytest.raises(ValueError, match="no such lesson or book page"):
        convert_markdown("{doc}`Lesson 99 <99_nowhere>`", [])


def _check_learner_copy(source, nb, folder_names, *, solutions: str) -> None:
    """Every promise of a learner's copy, for one lesson."""
    text = _markdown(nb)
    shown = "\n".join(out.get("data", {}).get("text/markdown", "")
                      for c in nb.cells if c.cell_type == "code" for out in c.outputs)
    for raw in RAW_MYST:
        assert raw not in text, raw
        assert raw not in shown, f"{raw} in a Markdown output"
    # Code cells byte for byte (source, outputs, metadata), in the same order.
    assert ([json.dumps(c, sort_keys=True) for c in nb.cells if c.cell_type == "code"] ==
            [json.dumps(c, sort_keys=True) for c in source.cells if c.cell_type == "code"])
    # Teaching notes gone.
    notes = "\n".join(m.group(0) for m in fmt.TEACHING_NOTES.finditer(_markdown(source)))
    assert notes, "the lesson has no teaching notes to remove"
    for line in _long_lines(notes):
        assert line not in text, f"teaching note in the copy: {line}"
    # Every solution folded in a closed <details> (or absent), never outside one.
    model = fmt.solutions(source)
    folded = DETAILS.findall(text)
    assert "<details open" not in text
    outside = DETAILS.sub("", text)
    assert len(folded) == (len(model) if solutions == "fold" else 0)
    for body in model.values():
        for line in _long_lines(body):
            assert line not in outside, f"solution text outside <details>: {line}"
            if solutions == "fold":
                assert any(line in f for f in folded), line
    # Every exercise has its book number.
    numbers = book_index()["exercises"]
    for label in fmt.prompts(source):
        assert f"**Exercise {numbers[label]} — " in text or f"**Exercise {numbers[label]}**" \
            in text, label
    # Every key cited where the learner reads it is an author–year label in References.
    shown = fmt.SOLUTION.sub("", fmt.TEACHING_NOTES.sub("", _markdown(source))) \
        if solutions == "omit" else fmt.TEACHING_NOTES.sub("", _markdown(source))
    keys = {k.strip() for m in fmt.CITE.finditer(shown) for k in m["keys"].split(",")}
    assert keys
    references = nb.cells[-1].source
    assert references.startswith("## References")
    labels = {book_index()["citations"][k]["label"] for k in keys}
    for label in labels:
        assert f"**[{label}]**" in references, label
    assert references.count("\n- ") == len({k: 0 for k in keys})
    # Relative links point at a sibling notebook; the others at the published book.
    for target in LINK.findall(text):
        if target.startswith(site()):
            page = target.removeprefix(site()).removesuffix(".html")
            assert page in book_index()["pages"], target
        elif not target.startswith(("http://", "https://")):
            assert target in folder_names, f"broken link {target}"


@pytest.mark.parametrize("solutions", ["fold", "omit"])
@pytest.mark.parametrize("lesson", LESSONS)
def test_every_lesson_converts_cleanly(lesson, solutions):
    source = nbformat.read(fmt.lesson_path(lesson), as_version=4)
    nb = learner_notebook(lesson, solutions=solutions)
    _check_learner_copy(source, nb, {f"{name}.ipynb" for name in LESSONS},
                        solutions=solutions)


def test_cli_writes_learner_copies(tmp_path):
    assert cli.main(["lessons", str(tmp_path / "fold")]) == 0
    assert cli.main(["lessons", "--no-solutions", str(tmp_path / "omit")]) == 0
    for mode, folder in (("fold", tmp_path / "fold"), ("omit", tmp_path / "omit")):
        names = {p.name for p in folder.glob("*.ipynb")}
        assert names == {f"{name}.ipynb" for name in LESSONS}
        for lesson in LESSONS:
            nb = nbformat.read(folder / f"{lesson}.ipynb", as_version=4)
            source = nbformat.read(fmt.lesson_path(lesson), as_version=4)
            _check_learner_copy(source, nb, names, solutions=mode)


@pytest.mark.parametrize("lesson", LESSONS)
def test_nbgrader_source_markdown_has_no_myst_and_no_solution_block(lesson):
    nb = grading.nbgrader_source(lesson)
    student = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown"
                        and not c.metadata.get("nbgrader", {}).get("solution"))
    for raw in RAW_MYST:
        assert raw not in student, raw
    assert "<details>" not in student
    assert nb.cells[-1].source.startswith("## References")
