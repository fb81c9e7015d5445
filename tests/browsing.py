"""Helpers shared by the browser tests (test_browser, test_bundle, test_editions)."""

from __future__ import annotations

import contextlib
import re
import sys
from pathlib import Path

#: Requests a page may make: the local server, inline data and blobs.
LOCAL = re.compile(r"^(https?://(127\.0\.0\.1|localhost)(:\d+)?/|data:|blob:)")

# pydata-sphinx-theme logs this on a fresh browser profile; it is the theme's, not ours.
KNOWN_THEME_ERRORS = ("Got invalid theme mode",)


def record_errors(page) -> list[str]:
    """A list that fills with the page's console errors and uncaught exceptions."""
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and not m.text.startswith(
        KNOWN_THEME_ERRORS) and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def visible_alts(page) -> list[str]:
    """The alt texts of the explorer frames now shown (one per explorer)."""
    return page.eval_on_selector_all(
        ".widget-html img", "els => els.filter(e => e.offsetParent !== null).map(e => e.alt)")


@contextlib.contextmanager
def serve(folder: Path):
    """Serve ``folder`` over HTTP on a free local port; yield its base URL (no final slash).

    The server is the one ``scripts/make_pdf.py`` prints the book from."""
    from conftest import _script

    make_pdf = sys.modules.get("make_pdf") or _script("make_pdf")
    with make_pdf.serve(folder) as url:
        yield url.rstrip("/")


def refuse_third_parties(page) -> list[str]:
    """Refuse every request that is not local; return the list that records them."""
    refused: list[str] = []

    def route(r):
        if LOCAL.match(r.request.url):
            r.continue_()
        else:
            refused.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return refused
