"""Write the offline bundle: one zip that a teacher can hand out without internet.

Usage: python scripts/make_bundle.py [--site _build/html] [--pdf _build/pdf/student]
                                     [--out _build/bundle]

The zip holds one folder, ``beidaihe-1958-<version>/``, with:

- ``site/``: the built book (open ``site/index.html``; it makes no third-party request,
  and its explorers switch precomputed frames in the browser, also from ``file://``), with
  the Chinese edition in ``site/zh/`` when it was built (``make book-zh``);
- ``pdf/``: the same edition printed (``make pdf``): ``beidaihe-1958.pdf``, the whole
  book, and ``lessons/NN_name.pdf``, one per lesson;
- ``lessons/``: the lesson notebooks, and ``lessons/zh/`` the Chinese learner copies
  (``beidaihe-course lessons --lang zh``);
- ``data/``: every dataset as CSV, with ``SOURCES.md`` and ``references.bib`` (the keys in
  each row's ``source`` column);
- ``package/``: the ``beidaihe_course`` source, to install for running the lessons;
- ``README.txt``, ``CITATION.cff`` and ``CHANGELOG.md``.

It prints the path of the zip it wrote.
"""

from __future__ import annotations

import argparse
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

README = """Beidaihe 1958 — offline edition, version {version} (released {date})
=====================================================================

A course on the Beidaihe Conference of August 1958 and the Great Leap Forward.
This folder works without an internet connection.

READ THE COURSE
  Open site/index.html in a web browser (double-click it, or drag it onto a browser
  window). Every page, figure, citation and interactive explorer works from this folder:
  move an explorer's slider with the mouse or the arrow keys and the chart changes. The
  site loads nothing from the internet. Search needs JavaScript, as do the explorers and
  quizzes; everything else reads without it. This is the {edition}.{chinese}

PRINT IT OR READ IT ON A TABLET
  pdf/beidaihe-1958.pdf is the whole course as one PDF, with a bookmark for each page;
  pdf/lessons/ has one PDF per lesson, for handouts. Explorers print as their starting
  chart, with the address of the online page where they can be moved.

RUN THE LESSONS IN JUPYTER
  The notebooks are in lessons/ (in Chinese: lessons/zh/). They need Python 3.10 or
  newer with the course package:
      python -m pip install ./package
      jupyter lab lessons
  Installing needs pandas, matplotlib, ipywidgets, jupyterlab and jupyterquiz, from the
  internet or from a local package mirror; after that, no connection is needed.

USE THE DATA
  data/ holds every dataset as a CSV file. Each row's "source" column names one or more
  keys of data/references.bib; data/SOURCES.md explains units, provenance and how far to
  trust each series.

CITE THE COURSE
  See CITATION.cff, or the page "How to cite this course" in the site.
"""


def _add_tree(archive: zipfile.ZipFile, folder: Path, prefix: str) -> int:
    count = 0
    for path in sorted(folder.rglob("*")):
        skip = "__pycache__" in path.parts or any(p.endswith(".egg-info") for p in path.parts)
        if path.is_file() and not skip and path.name != ".buildinfo":
            archive.write(path, f"{prefix}/{path.relative_to(folder).as_posix()}")
            count += 1
    return count


def _check_pdfs(pdf: Path, edition: str) -> None:
    """The PDFs exist and were printed from the same edition as the site."""
    book = pdf / "beidaihe-1958.pdf"
    if not book.is_file() or not any((pdf / "lessons").glob("*.pdf")):
        raise SystemExit(f"no PDFs in {pdf}: run `make pdf` first")
    from pypdf import PdfReader

    title = PdfReader(book).metadata.title or ""
    if f"— {edition.split()[0]} edition" not in title:
        raise SystemExit(f"{book} is the {title!r}, not the {edition} of the site")


def write_bundle(site: Path, out: Path, pdf: Path) -> Path:
    from beidaihe_course import __version__
    from beidaihe_course._version import RELEASE_DATE

    if not (site / "index.html").is_file():
        raise SystemExit(f"no built site at {site}: run `make book` first")
    footer = (site / "book" / "intro.html").read_text(encoding="utf-8")
    edition = ("instructor edition (with solutions; not for students)"
               if 'data-edition="instructor"' in footer else "student edition")
    _check_pdfs(pdf, edition)
    top = f"beidaihe-1958-{__version__}"
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{top}.zip"
    data = ROOT / "src" / "beidaihe_course" / "data"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        chinese = ("\n  中文版：site/zh/index.html（每页右上角可切换语言）。"
                   if (site / "zh" / "index.html").is_file() else "")
        archive.writestr(f"{top}/README.txt", README.format(
            version=__version__, date=RELEASE_DATE, edition=edition, chinese=chinese))
        _add_tree(archive, site, f"{top}/site")
        _add_tree(archive, pdf, f"{top}/pdf")
        for notebook in sorted((ROOT / "lessons").glob("*.ipynb")):
            archive.write(notebook, f"{top}/lessons/{notebook.name}")
        import nbformat

        from beidaihe_course.learner_copy import learner_notebook

        for notebook in sorted((ROOT / "lessons").glob("*.ipynb")):
            archive.writestr(f"{top}/lessons/zh/{notebook.name}",
                             nbformat.writes(learner_notebook(notebook, lang="zh")))
        for table in sorted(data.glob("*.csv")) + [data / "SOURCES.md"]:
            archive.write(table, f"{top}/data/{table.name}")
        archive.write(ROOT / "book" / "references.bib", f"{top}/data/references.bib")
        for name in ("pyproject.toml", "README.md"):
            archive.write(ROOT / name, f"{top}/package/{name}")
        _add_tree(archive, ROOT / "src", f"{top}/package/src")
        for name in ("CITATION.cff", "CHANGELOG.md"):
            archive.write(ROOT / name, f"{top}/{name}")
    return target


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--pdf", type=Path, default=ROOT / "_build" / "pdf" / "student")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "bundle")
    args = parser.parse_args()
    print(write_bundle(args.site, args.out, args.pdf))
