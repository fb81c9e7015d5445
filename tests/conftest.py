"""Shared fixtures: paths into the repository and the bibliography's keys."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import matplotlib
import pytest
from offline import offline_env

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")


#: Fixtures that build the book, drive a browser or execute lessons: a test that uses one
#: is second tier (``slow``) whether or not it says so, so ``make test-fast`` stays fast.
SLOW_FIXTURES = {"built_book", "built_instructor_book", "built_zh_book", "bilingual_site",
                 "browser", "ran", "course", "wheel"}


#: Fixtures that need a built edition of the book.
BOOK_FIXTURES = {"built_book", "built_instructor_book", "built_zh_book", "bilingual_site"}
_BUILDS: dict = {}     # edition -> Future of its HTML folder
_RUNNING: list = []    # the jupyter-book processes, stopped if the session ends first


def _needs_book(item) -> bool:
    return bool(BOOK_FIXTURES & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
    # The tests that need the book run last, so its build (started below, in the
    # background) overlaps every other test.
    items.sort(key=_needs_book)


def pytest_collection_finish(session):
    """Start building both editions now, if any selected test needs the book."""
    if any(_needs_book(item) for item in session.items) and not _BUILDS:
        _start_builds()


def _start_builds() -> None:
    import tempfile
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="book")
    student_out = Path(tempfile.mkdtemp(prefix="beidaihe-book-"))
    instructor_out = Path(tempfile.mkdtemp(prefix="beidaihe-instructor-"))
    zh_out = Path(tempfile.mkdtemp(prefix="beidaihe-zh-"))
    _BUILDS["student"] = pool.submit(_build, ROOT, student_out, "student")

    def chinese() -> Path:  # its kernels run in Chinese: an execution cache of its own
        _BUILDS["student"].result()
        if _BUILDS.get("stopped"):
            raise RuntimeError("the test session ended before the Chinese build")
        return _build(ROOT, zh_out, "student", lang="zh")

    _BUILDS["zh"] = pool.submit(chinese)

    def instructor() -> Path:
        cache = _BUILDS["student"].result().parent / ".jupyter_cache"
        with contextlib.suppress(Exception):
            _BUILDS["zh"].result()  # one build at a time (two cores)
        if _BUILDS.get("stopped"):
            raise RuntimeError("the test session ended before the instructor build")
        if cache.is_dir():  # reuse the student build's executed notebooks
            shutil.copytree(cache, instructor_out / "_build" / ".jupyter_cache")
        return _build(ROOT, instructor_out, "instructor")

    _BUILDS["instructor"] = pool.submit(instructor)
    pool.shutdown(wait=False)


def pytest_sessionfinish(session, exitstatus):
    """Stop builds still running (the session ended early): the whole process group, as
    the book's build starts worker processes of its own."""
    _BUILDS.setdefault("stopped", True)
    for proc in _RUNNING:
        if proc.poll() is None:
            os.killpg(proc.pid, 9)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def bib_keys() -> set[str]:
    text = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    return set(re.findall(r"^@\w+\{([^,]+),", text, flags=re.MULTILINE))


@pytest.fixture(scope="session")
def built_book() -> Path:
    """The student edition (solutions removed), built offline in the background (see
    :func:`pytest_collection_modifyitems`); network attempts are logged to
    ``<out>/guard/network.log``."""
    if not _BUILDS:
        _start_builds()
    return _BUILDS["student"].result()


@pytest.fixture(scope="session")
def built_instructor_book(built_book) -> Path:
    """The instructor edition, reusing the student build's execution cache."""
    return _BUILDS["instructor"].result()


@pytest.fixture(scope="session")
def built_zh_book(built_book) -> Path:
    """The Chinese student edition (``make book-zh``), built after the English one."""
    return _BUILDS["zh"].result()


@pytest.fixture(scope="session")
def bilingual_site(built_book, built_zh_book, tmp_path_factory) -> Path:
    """The site as published: the English student edition, the Chinese one in ``zh/``."""
    site = tmp_path_factory.mktemp("bilingual") / "html"
    shutil.copytree(built_book, site)
    shutil.copytree(built_zh_book, site / "zh")
    return site


def _build(root: Path, out: Path, edition: str, lang: str = "en") -> Path:
    """Build one edition of the book offline into ``out``; return its HTML folder."""
    env = {**offline_env(out / "guard"), "BEIDAIHE_LANG": lang,
           "BEIDAIHE_EDITION": edition, "BEIDAIHE_SOLUTIONS": "remove"}
    jb = Path(sys.executable).with_name("jupyter-book")
    assert jb.exists() or shutil.which("jupyter-book"), "jupyter-book is not installed"
    proc = subprocess.Popen([str(jb if jb.exists() else "jupyter-book"), "build", str(root),
                             "-W", "-n", "--keep-going", "--path-output", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            start_new_session=True)  # its own process group, to stop it whole
    _RUNNING.append(proc)
    stdout, stderr = proc.communicate()
    assert proc.returncode == 0, (f"{edition} edition ({lang}): " + stdout[-4000:]
                                  + stderr[-4000:])
    return out / "_build" / "html"


def _script(name: str):
    """A module of scripts/ (not a package), imported by path."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def make_pdf():
    """scripts/make_pdf.py as a module."""
    return _script("make_pdf")


@pytest.fixture(scope="session")
def student_pdf(make_pdf, built_book, browser, tmp_path_factory) -> Path:
    """``make pdf``'s output (a folder) for the student edition, printed once a session."""
    out = tmp_path_factory.mktemp("pdf-student")
    make_pdf.write_pdfs(built_book, out, browser)
    return out


@pytest.fixture(scope="session")
def instructor_pdf(make_pdf, built_instructor_book, browser, tmp_path_factory) -> Path:
    """``make pdf-instructor``'s output for the instructor edition."""
    out = tmp_path_factory.mktemp("pdf-instructor")
    make_pdf.write_pdfs(built_instructor_book, out, browser)
    return out


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}; install Debian's chromium package"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()
