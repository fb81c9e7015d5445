"""Helpers shared by the browser tests (test_browser, test_bundle, test_editions)."""

from __future__ import annotations

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
