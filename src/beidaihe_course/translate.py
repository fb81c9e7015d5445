"""Lessons in another language: the book's own catalogs applied to the notebooks.

The Chinese book is built by Sphinx from gettext catalogs with one entry per paragraph,
heading, list item, table cell and directive title, each keyed by its English MyST source
(:mod:`beidaihe_course.i18n`). The same catalogs translate the notebooks themselves, for
Jupyter and nbgrader: :func:`translate_markdown` finds each such block in a Markdown cell
(with markdown-it, the parser MyST is built on), looks its English up and puts the
translation in its place, keeping the block's markup (``## ``, ``- ``, ``> ``, table
pipes, directive fences and options). Code cells are never changed.

>>> translate_markdown("## Exercises\\n\\nSome *new* text.", {"Exercises": "练习"})
'## 练习\\n\\nSome *new* text.'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

#: Directives whose body is prose, translated block by block (others, such as code, are
#: left alone). A directive's title (its argument) is translated for all of these.
PROSE_DIRECTIVES = ("exercise", "solution", "admonition", "note", "warning", "tip",
                    "important", "caution", "hint", "seealso", "attention", "epigraph")
_OPTION = re.compile(r"^\s*:[\w-]+:")


@cache
def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


def key(content: str) -> str:
    """The catalog key of a block: its source lines joined by spaces, as Sphinx does."""
    return " ".join(line.strip() for line in content.split("\n")).strip()


def translate_markdown(text: str, catalog: Mapping[str, str]) -> str:
    """``text`` (MyST Markdown) with every block found in ``catalog`` translated."""
    lines = text.split("\n")
    edits: dict[int, tuple[int, list[str]]] = {}
    _collect(lines, 0, len(lines), catalog, edits)
    for start in sorted(edits, reverse=True):
        end, new = edits[start]
        lines[start:end] = new
    return "\n".join(lines)


def _collect(lines: list[str], first: int, last: int, catalog: Mapping[str, str],
             edits: dict) -> None:
    """Record the replacements for the blocks of ``lines[first:last]``."""
    tokens = _parser().parse("\n".join(lines[first:last]))
    row_cells: dict[int, list] = {}
    for i, token in enumerate(tokens):
        if token.type == "fence":
            _fence(lines, first, token, catalog, edits)
        elif token.type == "inline" and token.map:
            opener = tokens[i - 1]
            if opener.type in ("th_open", "td_open"):
                row_cells.setdefault(first + token.map[0], []).append(token.content)
            else:
                _block(lines, first + token.map[0], first + token.map[1], token.content,
                       catalog, edits)
    for row, cells in row_cells.items():
        line, position = lines[row], 0
        for cell in cells:
            translated = catalog.get(key(cell)) if cell.strip() else None
            found = line.find(cell, position)
            if translated is None or found < 0:
                position = max(position, found + len(cell))
                continue
            line = line[:found] + translated + line[found + len(cell):]
            position = found + len(translated)
        if line != lines[row]:
            edits[row] = (row + 1, [line])


def _block(lines, start: int, end: int, content: str, catalog, edits) -> None:
    translated = catalog.get(key(content))
    if translated is None or start in edits:
        return
    parts = content.split("\n")
    head = lines[start].find(parts[0].strip())
    tail_line = start + max(i for i in range(end - start)
                            if parts[-1].strip() in lines[start + i] or i == 0)
    tail = lines[tail_line]
    tail_end = tail.rfind(parts[-1].strip()) + len(parts[-1].strip())
    if head < 0:
        return
    edits[start] = (tail_line + 1, [lines[start][:head] + translated + tail[tail_end:]])


def _fence(lines, first: int, token, catalog, edits) -> None:
    name, _, argument = token.info.strip().partition(" ")
    directive = name[1:-1] if name.startswith("{") and name.endswith("}") else ""
    if directive not in PROSE_DIRECTIVES:
        return
    opening = first + token.map[0]
    title = argument.strip()
    if title and key(title) in catalog and directive != "solution":
        line = lines[opening]
        edits[opening] = (opening + 1, [line[:line.rfind(title)] + catalog[key(title)]])
    body_first, body_last = opening + 1, first + token.map[1] - 1
    while body_first < body_last and _OPTION.match(lines[body_first]):
        body_first += 1
    if body_first < body_last:
        _collect(lines, body_first, body_last, catalog, edits)


def translate_notebook(nb, catalog: Mapping[str, str]):
    """A copy of notebook ``nb`` with its Markdown cells translated (code unchanged)."""
    import copy

    translated = copy.deepcopy(nb)
    for cell in translated.cells:
        if cell.cell_type == "markdown":
            cell.source = translate_markdown(cell.source, catalog)
    return translated


#: The cell a translated lesson starts its code with: the package's own text (self-checks,
#: explorers, quizzes) in the lesson's language. Tagged, so tools can find it.
LANGUAGE_TAG = "beidaihe-language"


def language_cell(lang: str):
    """The code cell that sets the package's language for a translated lesson."""
    import nbformat

    from beidaihe_course.i18n import gettext

    comment = gettext("the course's self-checks, explorers and quizzes in this language",
                      lang=lang)
    return nbformat.v4.new_code_cell(
        f'from beidaihe_course.i18n import set_language\nset_language("{lang}")  # {comment}',
        metadata={"tags": [LANGUAGE_TAG]})


def lesson_notebook(lesson, lang: str = "en"):
    """A lesson (name or path) read in ``lang``: its prose, figure captions and alt texts
    through the lesson's catalog, with :func:`language_cell` before its first code cell.
    Code cells are unchanged, and so are exercise labels and nbgrader's metadata.

    >>> nb = lesson_notebook("03_production_targets", "zh")
    >>> nb.cells[0].source.startswith("# 第")
    True
    >>> lesson_notebook("03_production_targets", "fr")
    Traceback (most recent call last):
    ...
    ValueError: unknown language 'fr'; valid names are: en, zh
    """
    import nbformat

    from beidaihe_course import i18n
    from beidaihe_course import lesson_format as fmt

    lang = i18n.normalise(lang)
    path = fmt.lesson_path(lesson)
    nb = nbformat.read(path, as_version=4)
    if lang == "en":
        return nb
    catalog = i18n.catalog(f"lessons/{path.stem}", lang)
    nb = translate_notebook(nb, catalog)
    for cell in nb.cells:
        mystnb = cell.metadata.get("mystnb", {})
        for part, field in (("figure", "caption"), ("image", "alt")):
            text = mystnb.get(part, {}).get(field)
            if text and key(text) in catalog:
                mystnb[part][field] = catalog[key(text)]
    first_code = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"),
                      len(nb.cells))
    nb.cells.insert(first_code, language_cell(lang))
    nb.metadata["language"] = lang
    return nb
