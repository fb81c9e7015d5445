"""Readers the course must not lose: no Chinese font, a dark theme, a 390 px phone.

Run in Debian's Chromium through playwright on a machine with no CJK system font, so a
page that relied on the reader's fonts would show empty boxes here. Screenshots of the
documents page and of every lesson at desktop and phone widths, light and dark, are kept
in ``_build/test-artifacts/`` (uploaded by CI).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from browsing import refuse_third_parties, serve
from conftest import ROOT

from beidaihe_course import _engine, explorers

pytestmark = pytest.mark.slow

ARTIFACTS = ROOT / "_build" / "test-artifacts"
FONT = "Noto Sans SC"
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 900}
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")
_NOT_TEXT = re.compile(r"<(script|style|title)\b.*?</\1>", re.S)

#: Every text node holding Chinese that no ``lang="zh…"`` element encloses; and, for
#: each rendered run marked Chinese, a probe attribute for the font query below.
_MARK_PROBES = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const han = /[\\u3400-\\u4dbf\\u4e00-\\u9fff]/g, unmarked = [], probes = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const parent = n.parentElement;
    if (!parent || !han.test(n.data) || parent.closest("script,style,noscript")) continue;
    const zh = parent.closest('[lang^="zh"]');
    if (!zh) { unmarked.push(n.data.trim().slice(0, 40)); continue; }
    if (parent.getClientRects().length === 0) continue;      // not rendered
    parent.setAttribute("data-cjk-probe", probes.length);
    probes.push((n.data.match(han) || []).length);
  }
  return {unmarked, probes};
}"""


def _pages_with_chinese(html_root: Path) -> list[str]:
    pages = []
    for page in sorted(html_root.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in text.lower():   # old addresses' forwarding stubs
            continue
        if _HAN.search(_NOT_TEXT.sub("", text.split("<body", 1)[-1])):
            pages.append(page.relative_to(html_root).as_posix())
    return pages


def _lesson_pages(html_root: Path) -> list[str]:
    return sorted(p.relative_to(html_root).as_posix()
                  for p in (html_root / "lessons").glob("[0-9][0-9]_*.html")
                  if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8").lower())


@pytest.fixture(scope="module")
def site(built_book):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with serve(built_book) as url:
        yield url, built_book


def _open(browser, url: str, viewport=DESKTOP, scheme="light"):
    page = browser.new_page(viewport=viewport, color_scheme=scheme)
    refused = refuse_third_parties(page)
    page.goto(url, wait_until="load")
    if page.locator(".widget-html").count() or "widget-state" in page.content():
        page.wait_for_selector(".widget-slider", timeout=20_000)
    page.evaluate("document.fonts.ready.then(() => true)")
    return page, refused


def _glyphs_by_font(cdp, node_id: int) -> dict[str, int]:
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node_id})["fonts"]
    out: dict[str, int] = {}
    for font in fonts:
        # a web font reports its internal name ("Noto Sans SC Thin" for the variable
        # font fontsource cuts its subsets from); a system font is marked as such
        name = font["familyName"]
        name = FONT if font.get("isCustomFont") and name.startswith(FONT) else f"other:{name}"
        out[name] = out.get(name, 0) + font["glyphCount"]
    return out


def chinese_font_problems(page, rel: str, limit: int | None = None) -> tuple[list[str], int]:
    """Which font drew each rendered run of Chinese on ``page`` (the first ``limit`` runs):
    the problems (a run not drawn with the site's font, Chinese not marked lang=zh) and how
    many runs were checked."""
    found = page.evaluate(_MARK_PROBES)
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    nodes = cdp.send("DOM.querySelectorAll",
                     {"nodeId": root, "selector": "[data-cjk-probe]"})["nodeIds"][:limit]
    problems = []
    for node_id in nodes:
        glyphs = _glyphs_by_font(cdp, node_id)
        attrs = cdp.send("DOM.getAttributes", {"nodeId": node_id})["attributes"]
        wanted = found["probes"][int(attrs[attrs.index("data-cjk-probe") + 1])]
        if glyphs.get(FONT, 0) < wanted:
            problems.append(f"{rel}: {wanted} Chinese characters, drawn with {glyphs}")
    problems += [f"{rel}: Chinese not marked lang=zh: {t!r}" for t in found["unmarked"]]
    return problems, len(nodes)


def test_chinese_renders_with_the_sites_own_font(site, browser):
    """Every rendered Chinese character on every page is drawn with the site's Noto Sans SC
    (Chromium's own record of which font drew each glyph), never with a fallback: on this
    machine a fallback would be an empty box."""
    url, html_root = site
    pages = _pages_with_chinese(html_root)
    assert "book/documents.html" in pages and len(pages) >= 15, pages
    problems, checked = [], 0
    for rel in pages:
        page, refused = _open(browser, f"{url}/{rel}")
        loaded = page.evaluate(f"""() => [...document.fonts].filter(
            f => f.family.replace(/["']/g, "") === "{FONT}" && f.status === "loaded").length""")
        drawn, nodes = chinese_font_problems(page, rel)
        problems += drawn
        checked += nodes
        if nodes and not loaded:
            problems.append(f"{rel}: no face of {FONT} loaded")
        problems += [f"{rel}: third-party request {u}" for u in refused]
        if rel == "book/documents.html":
            for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
                page.set_viewport_size(viewport)
                page.locator(".bilingual").first.scroll_into_view_if_needed()
                page.screenshot(path=ARTIFACTS / f"documents-{name}.png")
        page.close()
    assert not problems, "\n".join(problems[:20])
    assert checked >= 200, f"only {checked} runs of Chinese were rendered and checked"


def _smallest_chart_text_pt() -> float:
    """The smallest text size (points) any explorer draws, read from the charts."""
    from matplotlib.text import Text

    sizes = []
    for make in explorers.EXPLORERS.values():
        spec = make()
        canvas = _engine.Canvas(spec)
        canvas.draw(spec.model(**{c.name: c.start() for c in spec.controls}))
        sizes += [t.get_fontsize() for t in canvas.figure.findobj(Text)
                  if t.get_visible() and t.get_text().strip()]
    return min(sizes)


def _slab_luminances(page) -> list[float]:
    """Mean grey (0-255) of every visible figure, frame and quotation, cut from one
    screenshot of the whole page."""
    from PIL import Image, ImageStat

    shot = Image.open(io.BytesIO(page.screenshot(full_page=True))).convert("L")
    boxes = page.eval_on_selector_all(_SLABS, """els => els.filter(e => e.offsetParent)
        .map(e => { const r = e.getBoundingClientRect();
                    return [r.left + scrollX, r.top + scrollY, r.right + scrollX,
                            r.bottom + scrollY]; })
        .filter(b => b[2] - b[0] > 20 && b[3] - b[1] > 20)""")
    return [ImageStat.Stat(shot.crop(tuple(round(v) for v in box))).mean[0]
            for box in boxes]


_SLABS = ".cell_output img, .widget-html img, .bilingual blockquote"
#: A chart drawn black on white, shown as is, averages about 230; inverted, about 40.
LIGHT_SLAB = 110
LEGIBLE_PX = 8.0


def test_lessons_read_well_on_a_phone_and_in_dark_mode(site, browser):
    """At 390 px: no horizontal scrollbar, every slider keeps a usable track and chart
    text stays at least 8 CSS px. In dark mode: no figure, frame or quotation is a light
    slab, and axe-core finds no text below its contrast minimum."""
    from axe_playwright_python.sync_playwright import Axe

    url, html_root = site
    lessons = _lesson_pages(html_root)
    assert len(lessons) >= 9, lessons
    smallest_pt, problems, tracks = _smallest_chart_text_pt(), [], 0
    for rel in [*lessons, "book/documents.html"]:
        stem = Path(rel).stem
        for (width, viewport), scheme in (
                (w, s) for w in (("phone", PHONE), ("desktop", DESKTOP))
                for s in ("light", "dark")):
            page, refused = _open(browser, f"{url}/{rel}", viewport, scheme)
            problems += [f"{rel}: third-party request {u}" for u in refused]
            first = page.locator(".widget-vbox, .cell_output img, .bilingual").first
            if first.count():
                first.scroll_into_view_if_needed()
            page.screenshot(path=ARTIFACTS / f"{stem}-{width}-{scheme}.png")
            if width == "phone":
                overflow = page.evaluate("document.documentElement.scrollWidth - "
                                         "document.documentElement.clientWidth")
                if overflow > 0:
                    problems.append(f"{rel} ({scheme}): {overflow} px wider than the screen")
                for w in page.eval_on_selector_all(
                        ".widget-hslider .slider-container",
                        "els => els.map(e => e.getBoundingClientRect().width)"):
                    tracks += 1
                    if w < 200:
                        problems.append(f"{rel}: a slider track is only {w:.0f} px wide")
                for natural, shown in page.eval_on_selector_all(
                        ".widget-html img", "els => els.filter(e => e.offsetParent)"
                        ".map(e => [e.naturalWidth, e.getBoundingClientRect().width])"):
                    px = smallest_pt * _engine.FRAME_DPI / 72 * shown / natural
                    if px < LEGIBLE_PX:
                        problems.append(f"{rel}: chart text {px:.1f} px at 390 px wide")
            if scheme == "dark":
                if page.evaluate("document.documentElement.dataset.theme") != "dark":
                    problems.append(f"{rel}: the theme did not follow the dark setting")
                if width == "desktop":   # the same rules apply at both widths
                    problems += [f"{rel}: a light slab in dark mode (mean grey {mean:.0f})"
                                 for mean in _slab_luminances(page) if mean > LIGHT_SLAB]
                if width == "desktop":
                    result = Axe().run(page, options={"runOnly": ["color-contrast"]})
                    for violation in result.response["violations"]:
                        problems += [f"{rel} (dark): low contrast {n['target']}"
                                     for n in violation["nodes"][:3]]
            page.close()
    assert tracks >= 9, f"only {tracks} slider tracks found on the lesson pages"
    assert not problems, "\n".join(problems[:25])
