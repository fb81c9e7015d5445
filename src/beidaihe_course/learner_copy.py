"""A learner's copy of a lesson: the notebook as it reads in any Jupyter, without MyST.

The lessons are written for the book (MyST Markdown: sphinx-exercise blocks, ``{cite:p}``
and ``{doc}`` roles, admonitions; see :mod:`beidaihe_course.lesson_format`). JupyterLab,
classic Notebook, VS Code and Colab show that syntax as raw text, so the copy a learner
opens is converted, cell by cell. In its Markdown cells:

- an **exercise** becomes a bold heading with the book's number, "**Exercise 13 — Four
  figures for 1958**", followed by its text;
- its **solution** is folded in a closed ``<details>`` element, or left out
  (``solutions="omit"``);
- the **teaching notes** are removed; any other admonition becomes a block quote;
- a **citation** becomes the book's author–year label, "[Yang, 2012]", and the works cited
  are listed under "References" in a last Markdown cell;
- a ``{doc}`` **link** to another lesson points at its notebook in the same folder, a link
  to a book page at the published site (:func:`site`).

Code cells, and their outputs, are unchanged. What the book knows that a lesson does not
(labels, page titles, exercise numbers, the site's address) comes from ``book_index.json``,
written from the book's sources by ``scripts/make_book_index.py``.

>>> print(convert_markdown("Output fell {cite:p}`linyang2000food`.", cited := []))
Output fell [Lin and Yang, 2000].
>>> cited
['linyang2000food']
>>> print(convert_markdown("See {doc}`Lesson 3 <03_production_targets>`.", []))
See [Lesson 3](03_production_targets.ipynb).
"""

from __future__ import annotations

import json
import posixpath
import re
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from beidaihe_course import lesson_format as fmt
from beidaihe_course.i18n import gettext, language, using

if TYPE_CHECKING:
    import nbformat

#: What to do with the solutions: fold them (closed ``<details>``) or leave them out.
SOLUTION_MODES = ("fold", "omit")
#: MyST left in a Markdown cell after conversion means a construct the converter does not
#: know; :func:`convert_markdown` refuses it rather than show it raw.
LEFTOVER = re.compile(r"`{3,}\{|^:::|\{[a-z-]+(?::[a-z-]+)?\}`|^:[a-z-]+:(?: |$)|^\([\w-]+\)=$",
                      re.M)


@cache
def book_index() -> dict:
    """What the converter needs from the book (see the module docstring)."""
    path = files("beidaihe_course").joinpath("book_index.json")
    return json.loads(path.read_text(encoding="utf-8"))


def site() -> str:
    """The published book's address: ``html.baseurl`` in ``_config.yml``, copied here by
    ``scripts/make_book_index.py``.

    >>> site()
    'https://beidaihe-course.github.io/beidaihe-1958/'
    """
    return book_index()["site"]


def citation(keys: list[str]) -> str:
    """The book's author–year label for one or more ``references.bib`` keys.

    >>> citation(["yang2012tombstone"])
    '[Yang, 2012]'
    >>> citation(["nosuchkey"])
    Traceback (most recent call last):
    ...
    ValueError: unknown citation key 'nosuchkey'; every key must be in book/references.bib
    """
    table = book_index()["citations"]
    for key in keys:
        if key not in table:
            raise ValueError(f"unknown citation key {key!r}; every key must be in "
                             "book/references.bib")
    return "[" + "; ".join(table[key]["label"] for key in keys) + "]"


def references_markdown(keys: list[str]) -> str:
    """A "References" section listing each cited work once, by label.

    >>> print(references_markdown(["yang2012tombstone"])[:41])
    ## References
    <BLANKLINE>
    - **[Yang, 2012]** Jisheng
    """
    table = book_index()["citations"]
    unique = sorted(set(keys), key=lambda k: (table[k]["label"].casefold(), k))
    lines = [f"- **[{table[k]['label']}]** {table[k]['reference']}" for k in unique]
    return "## " + gettext("References") + "\n\n" + "\n".join(lines)


def _lesson_title(stem: str) -> str:
    text = fmt.lesson_markdown(stem)
    heading = re.search(r"^# (.+)$", text, re.M)
    title = heading.group(1).strip() if heading else stem
    domain = f"lessons/{stem}"
    return gettext(title, domain)


def _site_for_language() -> str:
    """The published book in the course's language (the Chinese one is in ``zh/``)."""
    return site() + ("" if language() == "en" else "zh/")


def link(target: str, text: str | None = None) -> str:
    """A Markdown link for a ``{doc}`` target written in a lesson (relative to
    ``lessons/``): a sibling notebook, or a page of the published book.

    >>> link("../book/timeline")  # doctest: +ELLIPSIS
    '[Timeline, 1956–1962](https://beidaihe-course.github.io/beidaihe-1958/book/timeline.html)'
    >>> link("nowhere")
    Traceback (most recent call last):
    ...
    ValueError: {doc} link to 'nowhere': no such lesson or book page
    """
    target = target.strip()
    path = posixpath.normpath(target[1:] if target.startswith("/") else
                              posixpath.join("lessons", target))
    stem = path.removeprefix("lessons/")
    lessons = {p.stem for p in fmt.lesson_paths()}
    if stem in lessons:
        return f"[{text or _lesson_title(stem)}]({stem}.ipynb)"
    pages = book_index()["pages"]
    if path in pages:
        title = gettext(pages[path], path)
        return f"[{text or title}]({_site_for_language()}{path}.html)"
    raise ValueError(f"{{doc}} link to {target!r}: no such lesson or book page")


def _solution(body: str, label: str, mode: str, cited: list[str]) -> str:
    if mode == "omit":
        return ""
    number = book_index()["exercises"].get(label)
    summary = (gettext("Solution to Exercise {number}").format(number=number) if number
               else gettext("Solution"))
    inner = convert_markdown(body, cited, solutions=mode)
    return f"<details>\n<summary>{summary}</summary>\n\n{inner}\n\n</details>\n"


def _exercise(match: re.Match, cited: list[str], mode: str) -> str:
    number = book_index()["exercises"].get(match["label"])
    heading = (gettext("Exercise {number}").format(number=number) if number
               else gettext("Exercise"))
    if match["title"].strip():
        heading += f" — {match['title'].strip()}"
    body = convert_markdown(match["body"].strip("\n"), cited, solutions=mode)
    return f"**{heading}**\n\n{body}\n"


def _admonition(match: re.Match, cited: list[str], mode: str) -> str:
    body = convert_markdown(match["body"].strip("\n"), cited, solutions=mode)
    lines = [f"**{match['title'].strip()}**", "", *body.splitlines()]
    return "\n".join(f"> {line}".rstrip() for line in lines) + "\n"


def convert_markdown(text: str, cited: list[str], *, solutions: str = "fold") -> str:
    """One Markdown cell's text as a learner reads it (see the module docstring).

    The citation keys used are appended to ``cited``. Raises :class:`ValueError` for MyST
    the converter does not know, an unknown citation key or a link to no page.

    >>> print(convert_markdown("```{exercise} Which 1957?\\n:label: ex-mixed-baseline\\n\\n"
    ...                        "Pick one.\\n```", []))
    **Exercise 25 — Which 1957?**
    <BLANKLINE>
    Pick one.
    >>> convert_markdown("```{figure} a.png\\n```", [])
    Traceback (most recent call last):
    ...
    ValueError: MyST the learner's copy cannot show: '```{'; known: exercise, solution, \
admonition, {cite:p}, {doc}
    """
    if solutions not in SOLUTION_MODES:
        raise ValueError(f"solutions must be one of {', '.join(SOLUTION_MODES)}; "
                         f"got {solutions!r}")
    text = fmt.TEACHING_NOTES.sub("", text)
    text = fmt.SOLUTION.sub(lambda m: _solution(m.group(2), m.group(1), solutions, cited),
                            text)
    text = fmt.EXERCISE.sub(lambda m: _exercise(m, cited, solutions), text)
    text = fmt.ADMONITION.sub(lambda m: _admonition(m, cited, solutions), text)

    def cite(match: re.Match) -> str:
        keys = [k.strip() for k in match["keys"].split(",")]
        label = citation(keys)
        cited.extend(keys)
        return label

    text = fmt.CITE.sub(cite, text)
    text = fmt.DOC.sub(lambda m: link(m["target"] or m["bare"], m["text"]), text)
    if leftover := LEFTOVER.search(text):
        raise ValueError(f"MyST the learner's copy cannot show: {leftover.group(0)!r}; "
                         "known: exercise, solution, admonition, {cite:p}, {doc}")
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def convert(nb: nbformat.NotebookNode, *, solutions: str = "fold") -> nbformat.NotebookNode:
    """Convert a lesson notebook's Markdown cells in place (code cells are untouched),
    drop cells left empty, append the References; return ``nb``."""
    import nbformat

    cited: list[str] = []
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = convert_markdown(cell.source, cited, solutions=solutions)
            if not cell.source.strip():
                continue
        cells.append(cell)
    if cited:
        cells.append(nbformat.v4.new_markdown_cell(references_markdown(cited)))
    nb.cells = cells
    return nb


def learner_notebook(lesson: str | Path, *, solutions: str = "fold", lang: str = "en"
                     ) -> nbformat.NotebookNode:
    """A lesson (name or path) as a learner's notebook, in ``lang`` (``en`` or ``zh``: see
    :func:`beidaihe_course.translate.lesson_notebook`).

    >>> nb = learner_notebook("03_production_targets", solutions="omit")
    >>> nb.cells[-1].source.startswith("## References")
    True
    >>> learner_notebook("03_production_targets", lang="zh").cells[-1].source[:7]
    '## 参考文献'
    """
    from beidaihe_course.translate import lesson_notebook

    with using(lang):
        return convert(lesson_notebook(lesson, lang), solutions=solutions)


def write_learner_copies(dest: str | Path, *, solutions: str = "fold",
                         force: bool = False, lang: str = "en") -> list[Path]:
    """Write every lesson's learner copy into ``dest`` (created if missing).

    Refuses (``FileExistsError``) to replace a lesson already there unless ``force``.
    Returns the notebooks written.
    """
    import nbformat

    if not isinstance(dest, (str, Path)):
        raise TypeError(f"dest must be a path; got {type(dest).__name__}")
    if solutions not in SOLUTION_MODES:
        raise ValueError(f"solutions must be one of {', '.join(SOLUTION_MODES)}; "
                         f"got {solutions!r}")
    from beidaihe_course.i18n import normalise

    lang = normalise(lang)
    dest = Path(dest)
    if dest.exists() and not dest.is_dir():
        raise ValueError(f"{dest} exists and is not a directory")
    sources = fmt.lesson_paths()
    clashes = [p.name for p in sources if (dest / p.name).exists()]
    if clashes and not force:
        raise FileExistsError(f"{len(clashes)} lesson(s) already exist in {dest} "
                              f"({', '.join(clashes)}); use --force to overwrite them")
    notebooks = {p: learner_notebook(p, solutions=solutions, lang=lang) for p in sources}
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for path, nb in notebooks.items():
        nbformat.write(nb, dest / path.name)
        written.append(dest / path.name)
    return written


__all__ = ["SOLUTION_MODES", "book_index", "citation", "convert", "convert_markdown",
           "learner_notebook", "link", "references_markdown", "site",
           "write_learner_copies"]
