"""The PDF editions (``make pdf``, ``make pdf-instructor``; scripts/make_pdf.py).

Both editions are printed once a session from the books the other tests build (fixtures
``student_pdf`` and ``instructor_pdf`` in conftest.py), with the session's Chromium, and
read back with pypdf: pages, bookmarks, title, the text a reader sees (Chinese included),
solutions only where the edition has them, and where links and explorers lead.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from pathlib import Path

import nbformat
import pytest
import yaml
from pypdf import PdfReader

from beidaihe_course import __version__, datasets, explorers, lesson_format

BOOK = "beidaihe-1958.pdf"


def normal(text: str) -> str:
    """Letters and digits only (Chinese included), lower case, ligatures undone: what
    survives line breaks, hyphenless wrapping and typographic quotes in a PDF's text."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).lower() if ch.isalnum())


@functools.cache
def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def lesson_titles() -> dict[str, str]:
    """Each lesson's title: the first ``# `` heading of its notebook."""
    titles = {}
    for path in lesson_format.lesson_paths():
        text = lesson_format.lesson_markdown(path)
        titles[path.stem] = re.search(r"^# (.+)$", text, re.M).group(1).strip()
    return titles


def solution_snippets() -> dict[str, str]:
    """For each exercise, a piece of its model answer that nothing else in its lesson says:
    the longest line of the solution block, up to any MyST role or link target."""
    snippets = {}
    for path in lesson_format.lesson_paths():
        nb = nbformat.read(path, as_version=4)
        shown = normal(lesson_format.student_text(path) + "\n".join(
            c.source for c in nb.cells if c.cell_type == "code"))
        for label, body in lesson_format.solutions(nb).items():
            lines = [re.split(r"\{|\]\(", line)[0] for line in body.splitlines()
                     if not line.startswith("```")]
            snippet = normal(max(lines, key=lambda line: len(normal(line))))[:60]
            assert len(snippet) >= 20 and snippet not in shown, f"{path.stem}: {label}"
            snippets[f"{path.stem}:{label}"] = snippet
    return snippets


# -- fast: the table of contents, the title, the address ---------------------------------

def test_pages_follow_the_table_of_contents(make_pdf, root):
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    files = [c["file"] for part in toc["parts"] for c in part["chapters"]]
    pages = make_pdf.toc_pages()
    assert [p.docname for p in pages] == [toc["root"], *files]
    assert [p.docname for p in pages if p.is_lesson] == [
        f"lessons/{p.stem}" for p in lesson_format.lesson_paths()]


def test_document_title_names_the_edition_and_version(make_pdf):
    assert make_pdf.document_title("student") == (
        f"Beidaihe 1958 — student edition, version {__version__}")
    with pytest.raises(ValueError, match="student, instructor"):
        make_pdf.document_title("teacher")


def test_published_address_follows_the_repository(make_pdf, root):
    """html.baseurl is the GitHub Pages address of repository.url (README: publishing)."""
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    owner, name = config["repository"]["url"].rstrip("/").split("/")[-2:]
    assert make_pdf.site_baseurl() == f"https://{owner}.github.io/{name}/"


# -- slow: the printed editions ---------------------------------------------------------

@pytest.mark.slow  # the printed edition is looked up by name, so conftest cannot see it
@pytest.mark.parametrize("edition", ["student", "instructor"])
def test_whole_book_has_every_page_with_a_bookmark_and_its_title(edition, request, make_pdf):
    out = request.getfixturevalue(f"{edition}_pdf")
    reader = PdfReader(out / BOOK)
    pages = make_pdf.toc_pages()
    assert len(reader.pages) >= len(pages)
    assert reader.metadata.title == make_pdf.document_title(edition)

    def flat(outline):
        for item in outline:
            yield from flat(item) if isinstance(item, list) else [item]

    # typographic quotes in the book, straight ones in the notebooks: compare normal()
    marks = {normal(m.title): reader.get_destination_page_number(m) for m in flat(reader.outline)}
    starts = [marks[normal(title)] for title in lesson_titles().values()]  # one per lesson
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    assert len(marks) >= len(pages)


@pytest.mark.slow
@pytest.mark.parametrize("edition", ["student", "instructor"])
def test_one_pdf_per_lesson_with_its_title(edition, request):
    out = request.getfixturevalue(f"{edition}_pdf")
    titles = lesson_titles()
    assert sorted(p.stem for p in (out / "lessons").glob("*.pdf")) == sorted(titles)
    for stem, title in titles.items():
        reader = PdfReader(out / "lessons" / f"{stem}.pdf")
        assert len(reader.pages) >= 1, stem
        assert normal(reader.metadata.title).startswith(normal(title)), stem
        first = normal(reader.pages[0].extract_text())
        assert normal(title) in first, stem
        warned = normal("Do not share it with students") in first  # the instructor banner
        assert warned == (edition == "instructor"), stem


def test_every_lesson_title_is_in_the_whole_book(student_pdf):
    text = normal(pdf_text(student_pdf / BOOK))
    missing = [title for title in lesson_titles().values() if normal(title) not in text]
    assert not missing


def test_chinese_is_embedded_as_text(student_pdf):
    """A clause of the first key document, as the documents page prints it: the PDF has
    the characters, not empty boxes (needs a CJK font the page can use)."""
    excerpt = datasets.load("documents")["excerpt_zh"].iloc[0]
    clause = re.split(r"[，。；：、！？]", excerpt)[0]
    assert len(clause) >= 6
    assert normal(clause) in normal(pdf_text(student_pdf / BOOK)), clause


def test_student_edition_has_no_solution_and_instructor_edition_has_all(student_pdf,
                                                                       instructor_pdf):
    snippets = solution_snippets()
    assert len(snippets) >= 2 * len(lesson_format.lesson_paths())
    student = normal(pdf_text(student_pdf / BOOK))
    instructor = normal(pdf_text(instructor_pdf / BOOK))
    assert [k for k, s in snippets.items() if s in student] == []
    assert [k for k, s in snippets.items() if s not in instructor] == []  # printed open


def _article_links(html_root: Path, page: str) -> list[tuple[str, str]]:
    text = (html_root / page).read_text(encoding="utf-8")
    article = text[text.find("<article"):text.rfind("</article>")]
    return [(html.unescape(href), re.sub(r"<[^>]+>", "", html.unescape(label)).strip())
            for href, label in re.findall(r'<a class="reference [^"]*" href="([^"]+)"[^>]*>'
                                          r"(.*?)</a>", article, re.S)]


def test_external_links_print_their_address_and_internal_ones_do_not(student_pdf, built_book,
                                                                     make_pdf):
    text = pdf_text(student_pdf / BOOK)
    flat, squeezed = normal(text), re.sub(r"\s+", "", text)
    external, internal = [], []
    for page in make_pdf.toc_pages():
        for href, label in _article_links(built_book, page.html):
            if href.startswith("http") and label != href:
                external.append(href)
            elif href.endswith(".html") or ".html#" in href:
                internal.append(href)
    assert len(external) >= 5 and len(internal) >= 20
    assert [href for href in external if normal(href) not in flat] == []
    assert [href for href in internal if f"({href})" in squeezed] == []


def test_explorers_print_a_frame_and_their_online_address(student_pdf, make_pdf):
    lesson = student_pdf / "lessons" / "03_production_targets.pdf"
    text = normal(pdf_text(lesson))
    assert normal("This explorer is interactive in the online book") in text
    assert normal(make_pdf.site_baseurl() + "lessons/03_production_targets.html") in text
    for control in explorers.EXPLORERS["procurement"]().controls:  # sliders are hidden
        assert normal(control.label) not in text, control.label
    reader = PdfReader(lesson)
    images = sum(len(page.images) for page in reader.pages)
    assert images >= 1  # the explorer's default frame, at least
    uris = [a.get_object()["/A"].get("/URI") for page in reader.pages
            for a in page.get("/Annots") or [] if "/A" in a.get_object()]
    assert uris and not [u for u in uris if u and str(u).startswith("http://127.0.0.1")]


def test_a_page_that_calls_a_third_party_fails_to_print(make_pdf, browser, tmp_path):
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "page.html").write_text(
        "<html><head><script>window.coursePrepareForPrint = function () {};</script></head>"
        '<body><h1>Page</h1><img src="https://example.invalid/tracker.png"></body></html>',
        encoding="utf-8")
    page = make_pdf.Page("book/page", None)
    with (make_pdf.serve(tmp_path) as base, make_pdf.print_tab(browser, base) as tab,
          pytest.raises(make_pdf.ThirdPartyRequest, match="example.invalid")):
        make_pdf.print_page(tab, base, page, tmp_path)
