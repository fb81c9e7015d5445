"""The offline bundle (``make bundle``): unzipped, opened from disk, it reads and responds.

The zip is made from the student edition built for the tests and its PDFs (printed once a
session, see test_pdf.py), unzipped into a temporary folder and opened with ``file://``
URLs in Chromium: no server, no network.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from browsing import record_errors, visible_alts

from beidaihe_course import __version__, datasets

pytestmark = pytest.mark.slow
ALLOWED = ("file://", "data:", "blob:")


@pytest.fixture(scope="module")
def bundle(root, built_book, student_pdf, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bundle")
    run = subprocess.run([sys.executable, str(root / "scripts" / "make_bundle.py"),
                          "--site", str(built_book), "--pdf", str(student_pdf),
                          "--out", str(out)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    archive = Path(run.stdout.strip())
    assert archive.name == f"beidaihe-1958-{__version__}.zip" and archive.is_file()
    with zipfile.ZipFile(archive) as zipped:
        tops = {name.split("/", 1)[0] for name in zipped.namelist()}
        assert tops == {f"beidaihe-1958-{__version__}"}, "one top-level folder"
        zipped.extractall(out / "unzipped")
    return out / "unzipped" / f"beidaihe-1958-{__version__}"


def test_bundle_holds_site_notebooks_data_and_readme(bundle, root):
    readme = (bundle / "README.txt").read_text(encoding="utf-8")
    assert "site/index.html" in readme and __version__ in readme
    assert (bundle / "site" / "index.html").is_file()
    assert "pdf/beidaihe-1958.pdf" in readme and (bundle / "pdf" / "beidaihe-1958.pdf").is_file()
    assert sorted(p.stem for p in (bundle / "pdf" / "lessons").glob("*.pdf")) == sorted(
        p.stem for p in (root / "lessons").glob("*.ipynb"))
    assert sorted(p.name for p in (bundle / "lessons").glob("*.ipynb")) == sorted(
        p.name for p in (root / "lessons").glob("*.ipynb"))
    for name in datasets.list_datasets():
        assert (bundle / "data" / f"{name}.csv").is_file(), name
    for name in ("data/SOURCES.md", "data/references.bib", "package/pyproject.toml",
                 "package/src/beidaihe_course/__init__.py", "CITATION.cff", "CHANGELOG.md"):
        assert (bundle / name).is_file(), name


def test_bundle_refuses_pdfs_of_another_edition(root, built_book, instructor_pdf, tmp_path):
    run = subprocess.run([sys.executable, str(root / "scripts" / "make_bundle.py"),
                          "--site", str(built_book), "--pdf", str(instructor_pdf),
                          "--out", str(tmp_path)], capture_output=True, text=True, check=False)
    assert run.returncode != 0 and "instructor edition" in run.stderr
    assert not list(tmp_path.glob("*.zip"))


def _open(browser, path: Path):
    page = browser.new_page()
    record = {"errors": record_errors(page), "outside": []}
    page.on("request", lambda r: r.url.startswith(ALLOWED) or record["outside"].append(r.url))
    page.goto(path.as_uri())
    return page, record


def test_bundle_opens_from_disk_and_its_explorers_respond(bundle, browser):
    page, record = _open(browser, bundle / "site" / "index.html")  # redirects to the intro
    page.wait_for_url("**/book/intro.html", timeout=10_000)
    assert "Beidaihe" in page.title()
    page.close()
    page, record = _open(browser, bundle / "site" / "lessons" / "03_production_targets.html")
    page.wait_for_selector(".widget-slider", timeout=20_000)
    before = visible_alts(page)
    page.locator(".widget-slider .noUi-handle").first.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(300)
    after = visible_alts(page)
    assert before and after != before, "the explorer did not respond from file://"
    assert record == {"errors": [], "outside": []}
    page.close()


def test_bundle_documents_page_reads_from_disk(bundle, browser):
    page, record = _open(browser, bundle / "site" / "book" / "documents.html")
    zh = page.locator('blockquote[lang="zh-Hans"]')
    assert zh.count() == len(datasets.load("documents"))
    assert "人民公社" in zh.first.inner_text()
    assert record["outside"] == []
    page.close()
