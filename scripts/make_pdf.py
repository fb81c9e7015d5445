"""Print a built edition of the book to PDF: the whole book, and each lesson on its own.

Usage: python scripts/make_pdf.py [--site _build/html] [--out _build/pdf/student]

Writes, for the edition the site was built as (read from its footer):

- ``<out>/beidaihe-1958.pdf``: every page in table-of-contents order (``_toc.yml``), with
  one bookmark per page under its part, and the title ``Beidaihe 1958 — student edition,
  version X`` (or instructor) in its metadata;
- ``<out>/lessons/NN_name.pdf``: each lesson.

Headless Chromium (Debian's ``chromium``, driven by playwright) prints each page with the
site's print stylesheet (``book/_static/print.css``, prepared by ``print.js``). The pages
are served from a local server; any other request is refused, and the script fails if a
page attempted one. Links between pages point to the published site (``html.baseurl`` in
``_config.yml``). It prints the paths it wrote.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import io
import os
import re
import shutil
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "scripts") not in sys.path:   # its sibling make_book_index, when imported
    sys.path.insert(0, str(ROOT / "scripts"))
BOOK_TITLE = "Beidaihe 1958"
EDITIONS = ("student", "instructor")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
#: Requests a page may make besides its own server.
LOCAL_SCHEMES = ("data:", "blob:", "about:")
#: The proxy for every other request: a closed local port, so such a request fails.
NO_PROXY = "http://127.0.0.1:9"


class ThirdPartyRequest(RuntimeError):
    """A page asked for something from outside its own site."""


@dataclass(frozen=True)
class Page:
    """One page of the book: its Sphinx name and the part of the contents it sits in."""

    docname: str
    part: str | None

    @property
    def html(self) -> str:
        return f"{self.docname}.html"

    @property
    def is_lesson(self) -> bool:
        return self.docname.startswith("lessons/")


@dataclass(frozen=True)
class Printed:
    page: Page
    title: str
    pdf: bytes


def read_yaml(path: Path) -> dict:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def toc_pages(toc: Path = ROOT / "_toc.yml") -> list[Page]:
    """The book's pages in table-of-contents order (root, then each part's chapters and
    their sections)."""
    data = read_yaml(toc)

    def walk(entries: list, part: str | None) -> Iterator[Page]:
        for entry in entries:
            if "file" in entry:
                yield Page(_docname(entry["file"]), part)
            yield from walk(entry.get("sections", []), part)

    pages = [Page(_docname(data["root"]), None)]
    for part in data.get("parts", []):
        pages += walk(part.get("chapters", []), part.get("caption"))
    pages += walk(data.get("chapters", []), None)
    return pages


def _docname(file: str) -> str:
    return re.sub(r"\.(md|ipynb|rst)$", "", file)


def site_baseurl(config: Path = ROOT / "_config.yml") -> str:
    """The published site's address (``html.baseurl``), ending in a slash."""
    from make_book_index import site_url  # the one reader of html.baseurl

    try:
        return site_url(read_yaml(config))
    except ValueError as err:
        raise SystemExit(f"{config}: {err}") from None


def site_edition(site: Path) -> str:
    """The edition a built site was made as, from the footer of its first page."""
    if not (site / "book" / "intro.html").is_file():
        raise SystemExit(f"no built book at {site}: run `make book` or `make book-instructor`")
    footer = (site / "book" / "intro.html").read_text(encoding="utf-8")
    match = re.search(r'data-edition="(\w+)"', footer)
    if not match or match.group(1) not in EDITIONS:
        raise SystemExit(f"{site} names no edition in its footer; rebuild it with make")
    return match.group(1)


def document_title(edition: str) -> str:
    """The whole-book PDF's title, e.g. ``Beidaihe 1958 — student edition, version 0.4.0``."""
    from beidaihe_course import __version__

    if edition not in EDITIONS:
        raise ValueError(f"edition must be one of {', '.join(EDITIONS)}; got {edition!r}")
    return f"{BOOK_TITLE} — {edition} edition, version {__version__}"


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve ``site`` on a free local port; yield its base URL (ending in a slash)."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        raise SystemExit(f"Chromium not found at {path}: install Debian's chromium package "
                         "(apt-get install chromium) or set CHROMIUM")
    return path


@contextmanager
def print_tab(browser, base: str) -> Iterator:
    """One browser tab in print mode that can reach ``base`` and nothing else: other
    requests go to a proxy that is not there (so they fail) and are recorded, and the
    tab raises :class:`ThirdPartyRequest` on the next page printed after one."""
    context = browser.new_context(proxy={"server": NO_PROXY, "bypass": "127.0.0.1"})
    tab = context.new_page()
    tab.outside = []
    tab.on("request", lambda r: r.url.startswith((base, *LOCAL_SCHEMES))
           or tab.outside.append(r.url))
    tab.emulate_media(media="print", color_scheme="light")  # paper is light
    try:
        yield tab
    finally:
        context.close()


def print_page(tab, base: str, page: Page, site: Path) -> Printed:
    """Open one page, wait for its explorers and fonts, prepare it and print it."""
    tab.goto(base + page.html, wait_until="load")
    if "widget-state+json" in (site / page.html).read_text(encoding="utf-8"):
        tab.wait_for_selector(".widget-slider", state="attached", timeout=30_000)
    if not tab.evaluate("typeof window.coursePrepareForPrint === 'function'"):
        raise SystemExit(f"{page.html} lacks print.js: rebuild the book")
    tab.evaluate("window.coursePrepareForPrint()")
    tab.evaluate("document.fonts.ready.then(() => true)")
    title = tab.evaluate("""() => {
        const h = document.querySelector('article h1, h1').cloneNode(true);
        h.querySelectorAll('.headerlink').forEach(a => a.remove());
        return h.textContent.trim(); }""")
    pdf = tab.pdf(prefer_css_page_size=True, print_background=True)
    if tab.outside:
        raise ThirdPartyRequest(f"{page.html} requested {', '.join(sorted(set(tab.outside)))}")
    return Printed(page, title, pdf)


def publish_links(writer, base: str, baseurl: str) -> None:
    """Point links to the local server at the same pages of the published site."""
    from pypdf.generic import NameObject, TextStringObject

    for pdf_page in writer.pages:
        for annot in pdf_page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            uri = action.get_object().get("/URI") if action is not None else None
            if uri is not None and str(uri).startswith(base):
                action.get_object()[NameObject("/URI")] = TextStringObject(
                    baseurl + str(uri)[len(base):])


def write_pdf(parts: list[Printed], title: str, target: Path, base: str, baseurl: str) -> Path:
    """Join printed pages into one PDF with a bookmark per page, grouped by part."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    part_items: dict[str, object] = {}
    for printed in parts:
        start = len(writer.pages)
        writer.append(PdfReader(io.BytesIO(printed.pdf)), import_outline=False)
        part = printed.page.part if len(parts) > 1 else None
        if part and part not in part_items:
            part_items[part] = writer.add_outline_item(title=part, page_number=start)
        writer.add_outline_item(title=printed.title, page_number=start,
                                parent=part_items.get(part))
    publish_links(writer, base, baseurl)
    writer.add_metadata({"/Title": title, "/Author": read_yaml(ROOT / "_config.yml")["author"],
                         "/Creator": "scripts/make_pdf.py (Chromium, pypdf)"})
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as handle:
        writer.write(handle)
    return target


def write_pdfs(site: Path, out: Path, browser, pages: list[Page] | None = None) -> list[Path]:
    """Print every page of the built ``site`` with ``browser`` (playwright); write the
    whole book and one PDF per lesson into ``out``. Returns the paths written."""
    edition = site_edition(site)
    title, baseurl = document_title(edition), site_baseurl()
    pages = toc_pages() if pages is None else pages
    with serve(site) as base, print_tab(browser, base) as tab:
        printed = [print_page(tab, base, page, site) for page in pages]
    for old in (out / "lessons").glob("*.pdf"):  # a renamed lesson leaves no stale copy
        old.unlink()
    written = [write_pdf(printed, title, out / "beidaihe-1958.pdf", base, baseurl)]
    for part in printed:
        if part.page.is_lesson:
            name = Path(part.page.docname).name
            written.append(write_pdf([part], f"{part.title} — {title}",
                                     out / "lessons" / f"{name}.pdf", base, baseurl))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "pdf" / "student")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            written = write_pdfs(args.site, args.out, browser)
        except ThirdPartyRequest as error:
            print(f"make_pdf: {error}", file=sys.stderr)
            return 1
        finally:
            browser.close()
    print("\n".join(str(path) for path in written))
    return 0


if __name__ == "__main__":
    sys.exit(main())
