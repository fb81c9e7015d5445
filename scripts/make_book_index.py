"""Write ``src/beidaihe_course/book_index.json``: what a learner's copy of a lesson needs
from the book, which is not in the installed package.

- ``site``: the published book's address, ``html.baseurl`` in ``_config.yml`` (the one
  place it is written; pages and the PDFs read it too);
- ``pages``: each book page's title (its first ``# `` heading), for ``{doc}`` links that
  give no text;
- ``exercises``: each exercise label's number as the book shows it (sphinx-exercise
  numbers exercises through the whole book in table-of-contents order);
- ``citations``: each ``book/references.bib`` key's author–year label, as the book's
  ``{cite:p}`` shows it, and its entry as the book's References page formats it (Markdown).

Needs the ``book`` extra (pybtex, sphinxcontrib-bibtex, PyYAML). Run it after editing
``book/references.bib``, ``_config.yml``, ``_toc.yml``, a book page's title or a lesson's
exercises; ``tests/test_learner_copy.py`` fails until the file is in step::

    .venv/bin/python scripts/make_book_index.py
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "beidaihe_course" / "book_index.json"
EXERCISE_LABEL = re.compile(r"```\{exercise\}[^\n]*\n:label: (\S+)")


def site_url(config: dict) -> str:
    """The published book's address, from the configuration's ``html.baseurl``.

    >>> site_url({"html": {"baseurl": "https://example.org/book"}})
    'https://example.org/book/'
    """
    url = (config.get("html") or {}).get("baseurl")
    if not url:
        raise ValueError("_config.yml has no html.baseurl: set it to the published address")
    return url.rstrip("/") + "/"


def _toc_files(toc: dict) -> list[str]:
    files = [toc["root"]]

    def walk(node):
        for key in ("parts", "chapters", "sections"):
            for child in node.get(key, []):
                if "file" in child:
                    files.append(child["file"])
                walk(child)

    walk(toc)
    return files


def _text(path: Path) -> str:
    if path.suffix == ".ipynb":
        import nbformat

        nb = nbformat.read(path, as_version=4)
        return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return path.read_text(encoding="utf-8")


def _citations(bib: Path) -> dict[str, dict[str, str]]:
    import pybtex.plugin
    from pybtex.database import parse_file
    from sphinxcontrib.bibtex.style.referencing import format_references
    from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle
    from sphinxcontrib.bibtex.style.template import SphinxReferenceInfo

    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    import course_bibstyle  # the book's own bibliography style

    class _Builder:  # what sphinxcontrib-bibtex needs of Sphinx's builder to render a label
        name = "html"

        @staticmethod
        def get_relative_uri(source, target):
            return ""

    data = parse_file(str(bib))
    formatted = {e.key: e for e in course_bibstyle.CourseStyle().format_entries(
        data.entries.values())}
    labels = AuthorYearReferenceStyle()
    docutils_backend = pybtex.plugin.find_plugin("pybtex.backends", "docutils")()
    markdown_backend = pybtex.plugin.find_plugin("pybtex.backends", "markdown")()
    out = {}
    for key, entry in sorted(data.entries.items()):
        info = SphinxReferenceInfo(builder=_Builder(), fromdocname="", todocname="",
                                   citation_id="", title=None, pre_text="", post_text="")
        # The book's label of a one-key {cite:p}, such as "[Yang, 2012]", without brackets.
        label = "".join(node.astext() for node in format_references(
            labels, "p", [(entry, formatted[key], info)]).render(docutils_backend))
        reference = formatted[key].text.render(markdown_backend)
        out[key] = {"label": label.removeprefix("[").removesuffix("]"),
                    "reference": " ".join(reference.split())}
    return out


def book_index(root: Path = ROOT) -> dict:
    """The index as a dict (what :data:`OUT` holds)."""
    import yaml

    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    pages = {}
    for page in sorted((root / "book").glob("*.md")):
        title = re.search(r"^# (.+)$", page.read_text(encoding="utf-8"), re.M)
        pages[f"book/{page.stem}"] = title.group(1).strip() if title else page.stem
    exercises, number = {}, 0
    for name in _toc_files(toc):
        path = next(p for p in (root / f"{name}.md", root / f"{name}.ipynb") if p.exists())
        for label in EXERCISE_LABEL.findall(_text(path)):
            number += 1
            exercises[label] = number
    return {"site": site_url(config), "pages": pages,
            "exercises": exercises, "citations": _citations(root / "book" / "references.bib")}


def render(index: dict) -> str:
    return json.dumps(index, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


if __name__ == "__main__":
    OUT.write_text(render(book_index()), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
