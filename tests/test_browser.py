"""The built book in a real browser: explorers respond with no kernel and no third party.

Chromium (Debian's ``chromium`` package) is driven by playwright (the ``browser`` fixture
in conftest.py). Every request to a host other than localhost is refused and recorded.
Without a browser the tests skip locally, but under ``CI=true`` a missing browser is a
failure.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from browsing import record_errors, refuse_third_parties, serve, visible_alts

from beidaihe_course import explorers

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=["en", "zh"])
def site(request, bilingual_site):
    """The published site, served; each test runs on the English pages, then on the
    Chinese ones (``zh/``), with the package's text in that language."""
    from beidaihe_course.i18n import using

    with serve(bilingual_site) as url, using(request.param):
        if request.param == "en":
            yield url, bilingual_site
        else:
            yield f"{url}/zh", bilingual_site / "zh"


def _pages_with_explorers(html_root: Path) -> list[str]:
    pages = []
    for page in _html_pages(html_root):
        if "widget-state+json" in page.read_text(encoding="utf-8"):
            pages.append(page.relative_to(html_root).as_posix())
    return pages


def _open(browser, url: str):
    page = browser.new_page()
    record = {"errors": record_errors(page), "failed": [],
              "third_party": refuse_third_parties(page)}
    page.on("requestfailed", lambda r: record["failed"].append(r.url))
    page.goto(url)
    page.wait_for_selector(".widget-slider", timeout=20_000)
    return page, record


def test_explorer_pages_exist(site):
    _, root = site
    assert "book/explorers.html" in _pages_with_explorers(root)
    assert "lessons/03_production_targets.html" in _pages_with_explorers(root)


def test_explorer_pages_load_cleanly_and_respond_to_the_keyboard(site, browser):
    base, root = site

    for path in _pages_with_explorers(root):
        page, record = _open(browser, f"{base}/{path}")
        page.wait_for_timeout(500)
        assert record == {"errors": [], "failed": [], "third_party": []}, path
        # each explorer's first image is its default frame; the handles follow in order
        handles = page.locator(".widget-slider .noUi-handle")
        assert handles.count() >= 1
        labels = {c.label for f in explorers.EXPLORERS.values() for c in f().controls}
        for k in range(handles.count()):
            name = handles.nth(k).get_attribute("aria-label")
            assert name in labels, f"{path}: slider {k} has no accessible name ({name!r})"
            before_text = handles.nth(k).get_attribute("aria-valuetext")
            before = visible_alts(page)
            handles.nth(k).focus()
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(200)
            after = visible_alts(page)
            assert after != before, f"{path}: slider {k} did not change the frame"
            changed = [a for a, b in zip(after, before, strict=True) if a != b]
            assert len(changed) == 1, f"{path}: one slider moved more than one explorer"
            assert _alt_matches_a_precomputed_frame(changed[0])
            assert handles.nth(k).get_attribute("aria-valuetext") != before_text
        page.close()


def _alt_matches_a_precomputed_frame(alt: str) -> bool:
    for factory in explorers.EXPLORERS.values():
        spec = factory()
        for params in spec.settings():
            if spec.describe(params, spec.compute(params)) == alt:
                return True
    return False


def test_each_script_loads_once(site):
    _, root = site
    html = (root / "book" / "explorers.html").read_text(encoding="utf-8")
    for script in ("widgets/require.js", "widgets/embed-amd.js", "slider-a11y.js"):
        assert len(re.findall(rf'<script[^>]+{re.escape(script)}', html)) == 1, script
    assert "cdn.jsdelivr" not in html and "cdnjs" not in html


def test_lesson_pages_are_under_budget(site):
    _, root = site
    pages = sorted((root / "lessons").glob("*.html"))
    assert pages
    for page in pages:
        size = page.stat().st_size
        assert size < 2.5e6, f"{page.name} is {size / 1e6:.2f} MB"


def _html_pages(html_root: Path) -> list[Path]:
    """Every HTML file of one language's site (the English one leaves out ``zh/``)."""
    return [p for p in sorted(html_root.rglob("*.html"))
            if not p.relative_to(html_root).as_posix().startswith("zh/")]


def _site_pages(html_root: Path) -> list[str]:
    return [p.relative_to(html_root).as_posix() for p in _html_pages(html_root)
            if not p.relative_to(html_root).as_posix().startswith(("_", "."))]


def test_every_page_has_no_serious_accessibility_violation(site, browser):
    """axe-core (shipped by axe-playwright-python) on every page: none serious or critical."""
    from axe_playwright_python.sync_playwright import Axe

    url, html_root = site
    pages = [rel for rel in _site_pages(html_root)  # not the old addresses' forwarding stubs
             if 'http-equiv="refresh"' not in (html_root / rel).read_text(encoding="utf-8").lower()]
    assert len(pages) >= 18
    axe, problems = Axe(), []
    for rel in pages:
        page = browser.new_page()
        page.goto(f"{url}/{rel}", wait_until="load")
        if "widget-state+json" in (html_root / rel).read_text(encoding="utf-8"):
            page.wait_for_selector(".widget-slider", timeout=20_000)  # explorers rendered
        results = axe.run(page).response
        for violation in results["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [n["target"] for n in violation["nodes"][:3]]
                problems.append(f"{rel}: {violation['id']} ({violation['impact']}) {targets}")
        page.close()
    assert not problems, "\n".join(problems)


def test_no_broken_internal_link_or_anchor(site):
    """Crawl the built HTML: every internal href resolves to a file and, if any, an id."""
    from html.parser import HTMLParser

    _, html_root = site

    class Collect(HTMLParser):
        def __init__(self):
            super().__init__()
            self.ids, self.hrefs = set(), []

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if attrs.get("id"):
                self.ids.add(attrs["id"])
            if tag == "a" and attrs.get("href"):
                self.hrefs.append(attrs["href"])

    parsed = {}
    for rel in _site_pages(html_root):
        collector = Collect()
        collector.feed((html_root / rel).read_text(encoding="utf-8"))
        parsed[rel] = collector
    broken = []
    for rel, collector in parsed.items():
        for href in collector.hrefs:
            if re.match(r"^(https?:|mailto:|javascript:|data:)", href):
                continue
            path, _, anchor = href.partition("#")
            target = (Path(rel).parent / path).as_posix() if path else rel
            target = os.path.normpath(target)
            if path and not (html_root / target).exists():
                broken.append(f"{rel}: {href}")
            elif anchor and target in parsed and anchor not in parsed[target].ids:
                broken.append(f"{rel}: {href} (no such anchor)")
    assert not broken, "\n".join(broken[:20])
