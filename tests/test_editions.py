"""Two editions from one source, read in Chromium as a reader sees them.

The student edition (``make book``; solutions removed) must show no solution text and no
teaching notes; the instructor edition (``make book-instructor``) must show every
solution and every lesson's teaching notes. Both name their edition and version on every
page. Snippets are taken from the lesson files, so a new solution is covered automatically.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from beidaihe_course import __version__
from beidaihe_course import lesson_format as fmt

pytestmark = pytest.mark.slow

LESSONS = fmt.lesson_paths()
SMART_QUOTES = str.maketrans("‘’“”", "''\"\"")  # Sphinx curls the quotes it renders
PLAIN = re.compile(r"[A-Za-z][A-Za-z ,;'’()-]{24,}[A-Za-z)]")


def solution_snippets(lesson: Path) -> dict[str, str]:
    """For each solution block: its longest run of plain words (no markup), which is
    rendered exactly as written."""
    text = "\n".join(c.source for c in nbformat.read(lesson, as_version=4).cells
                     if c.cell_type == "markdown")
    snippets = {}
    for label, body in fmt.SOLUTION.findall(text):
        body = re.sub(r"\{[a-z:]+\}`[^`]*`", "\n", body)  # a role such as {cite:p}`x` ends a run
        runs = [m.group(0) for line in body.splitlines() for m in PLAIN.finditer(line)
                if "*" not in m.group(0)]
        assert runs, f"{lesson.name}: no plain text in solution {label}"
        snippets[label] = max(runs, key=len).strip().translate(SMART_QUOTES)
    return snippets


def _text(browser, page_file: Path) -> str:
    page = browser.new_page()
    page.goto(page_file.as_uri())
    text = " ".join(page.inner_text("body").split())
    page.close()
    return text.translate(SMART_QUOTES)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_solutions_only_in_the_instructor_edition(lesson, browser, built_book,
                                                  built_instructor_book):
    snippets = solution_snippets(lesson)
    assert len(snippets) >= 3, "every lesson has at least three solved exercises"
    student = _text(browser, built_book / "lessons" / f"{lesson.stem}.html")
    teacher = _text(browser, built_instructor_book / "lessons" / f"{lesson.stem}.html")
    assert "Exercise" in student, "the student edition must still show the exercises"
    for label, snippet in snippets.items():
        assert snippet not in student, f"student edition shows solution {label}: {snippet!r}"
        assert snippet in teacher, f"instructor edition lacks solution {label}: {snippet!r}"
    assert "Solution to Exercise" not in student
    assert teacher.count("Solution to Exercise") == len(snippets)
    assert "Teaching notes" in teacher and "Teaching notes" not in student
    assert "Do not share it with students" in teacher


@pytest.mark.parametrize("edition", ["student", "instructor"])
def test_every_page_names_its_edition_and_version(edition, built_book, built_instructor_book):
    html_root = built_book if edition == "student" else built_instructor_book
    pages = sorted(p for p in html_root.rglob("*.html") if "_static" not in p.parts)
    assert len(pages) >= 20
    for page in pages:
        if page.name in ("search.html", "genindex.html"):
            continue
        html = page.read_text(encoding="utf-8")
        if "<body" not in html:  # index.html: a one-line redirect to the introduction
            continue
        assert f'data-edition="{edition}" data-version="{__version__}"' in html, page.name


def test_the_footer_is_visible(browser, built_book, built_instructor_book):
    for root, words in ((built_book, "Student edition (solutions removed)"),
                        (built_instructor_book, "Instructor edition")):
        text = _text(browser, root / "lessons" / "06_famine.html")
        assert f"{words}" in text and f"version {__version__}" in text


def test_instructor_only_parts_are_accessible(browser, built_instructor_book):
    """The banner, teaching notes and unfolded solutions exist only in the instructor
    edition, so axe-core checks them there (the student site is checked page by page)."""
    from axe_playwright_python.sync_playwright import Axe

    problems = []
    for rel in ("lessons/03_production_targets.html", "lessons/06_famine.html"):
        page = browser.new_page()
        page.goto((built_instructor_book / rel).as_uri(), wait_until="networkidle")
        page.wait_for_timeout(300)
        for violation in Axe().run(page).response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                problems.append(f"{rel}: {violation['id']} ({violation['impact']})")
        page.close()
    assert not problems, "\n".join(problems)
