"""The Chinese edition as built (``make book-zh``): Chinese everywhere, its own font, and
a switch on every page to the same page in English and back.

The gates it shares with the English site (links, accessibility, no third-party request,
explorers that respond) run on both languages in test_browser.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

HAN = re.compile(r"[\u3400-\u9fff]")
#: Blocks whose English is meant: code, outputs, the bibliography, English translations
#: shown beside their Chinese originals, and anything marked lang="en".
ENGLISH_ALLOWED = (".highlight, pre, code, .cell_output, .output, .citation, .citation-list, "
                   "#references, .bibliography, [lang='en'], .bilingual-en, .course-edition, "
                   "script, style, .widget-html")


def _pages(html_root: Path) -> list[Path]:
    return [p for p in sorted(html_root.rglob("*.html"))
            if not p.relative_to(html_root).as_posix().startswith(("_", ".", "zh/"))
            and 'http-equiv="refresh"' not in p.read_text(encoding="utf-8").lower()]


def _article(path: Path):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return soup, soup.select_one("article.bd-article")


def test_the_chinese_edition_builds_offline(built_zh_book):
    log = built_zh_book.parents[1] / "guard" / "network.log"
    assert log.exists() and log.read_text(encoding="utf-8") == ""


def test_every_page_is_marked_zh_hans(built_zh_book):
    pages = _pages(built_zh_book)
    assert len(pages) >= 25
    wrong = [p.name for p in pages
             if '<html lang="zh-Hans"' not in p.read_text(encoding="utf-8")[:400]]
    assert not wrong, wrong


def test_every_page_switches_to_the_same_page_in_the_other_language_and_back(bilingual_site):
    problems, checked = [], 0
    for language_root, other_root in ((bilingual_site, bilingual_site / "zh"),
                                      (bilingual_site / "zh", bilingual_site)):
        for page in _pages(language_root):
            soup, _ = _article(page)
            link = soup.select_one(".course-language-switch a")
            rel = page.relative_to(language_root).as_posix()
            if link is None:
                problems.append(f"{language_root.name}/{rel}: no language switch")
                continue
            target = (page.parent / link["href"]).resolve()
            if target != (other_root / rel).resolve() or not target.exists():
                problems.append(f"{rel}: the switch leads to {link['href']}")
                continue
            back = _article(target)[0].select_one(".course-language-switch a")
            if back is None or (target.parent / back["href"]).resolve() != page.resolve():
                problems.append(f"{rel}: the other language's switch does not lead back")
            checked += 1
    assert not problems, "\n".join(problems[:20])
    assert checked >= 50


def test_no_english_prose_is_left_on_a_chinese_page(built_zh_book):
    """Every paragraph, list item, heading, table cell and caption of a Chinese page is in
    Chinese (code, outputs, the bibliography and English shown on purpose aside)."""
    left = []
    for page in _pages(built_zh_book):
        soup, article = _article(page)
        if article is None:
            continue
        for node in article.select(ENGLISH_ALLOWED):
            node.decompose()
        for block in article.select("p, li, h1, h2, h3, h4, th, td, dt, dd, figcaption"):
            if block.find(["p", "li", "ul", "ol", "table"]):
                continue  # judged by its own blocks
            text = block.get_text(" ", strip=True)
            if not HAN.search(text) and len(re.findall(r"[A-Za-z]{2,}", text)) >= 5:
                left.append(f"{page.relative_to(built_zh_book)}: {text[:90]!r}")
    assert not left, f"{len(left)} English blocks:\n" + "\n".join(left[:40])


def test_explorers_and_generated_pages_speak_chinese(built_zh_book):
    import json

    from beidaihe_course import datasets, explorers
    from beidaihe_course.i18n import using

    page = (built_zh_book / "book" / "explorers.html").read_text(encoding="utf-8")
    states = re.findall(r'<script type="application/vnd.jupyter.widget-state\+json">(.*?)'
                        r"</script>", page, re.S)
    assert states, "no widget state on the explorers page"
    gallery = page + "".join(json.dumps(json.loads(s), ensure_ascii=False) for s in states)
    with using("zh"):
        for factory in explorers.EXPLORERS.values():
            spec = factory()
            assert HAN.search(spec.title) and spec.title in gallery, spec.title
            for control in spec.controls:
                assert HAN.search(control.label) and control.label in gallery, control.label
    timeline = (built_zh_book / "book" / "timeline.html").read_text(encoding="utf-8")
    assert "<th class=\"head\"><p>日期</p></th>" in timeline
    documents = (built_zh_book / "book" / "documents.html").read_text(encoding="utf-8")
    for title in datasets.load("documents")["title_zh"]:
        assert title.split(" / ")[0][:8] in documents


def test_chinese_renders_with_the_sites_own_font(bilingual_site, browser):
    """On a machine without CJK fonts, the Chinese pages draw their characters with the
    site's own Noto Sans SC (Chromium's record of the font behind each glyph), sampled
    on the pages that mix most kinds of text."""
    from browsing import serve
    from test_reach import _open, chinese_font_problems

    pages = ["book/intro.html", "book/documents.html", "book/glossary.html",
             "lessons/06_famine.html", "book/explorers.html"]
    problems, checked = [], 0
    with serve(bilingual_site) as url:
        for rel in pages:
            page, refused = _open(browser, f"{url}/zh/{rel}")
            drawn, nodes = chinese_font_problems(page, rel, limit=80)
            problems += drawn + [f"{rel}: third-party request {u}" for u in refused]
            checked += nodes
            page.close()
    assert not problems, "\n".join(problems[:20])
    assert checked >= 200


def test_chinese_launch_buttons_open_the_chinese_learner_copies(built_zh_book):
    """Binder and Colab on a Chinese lesson page open ``lessons/zh/`` on the learners
    branch, where the deploy workflow publishes ``beidaihe-course lessons --lang zh``."""
    page = (built_zh_book / "lessons" / "06_famine.html").read_text(encoding="utf-8")
    launches = re.findall(r'href="(https://(?:mybinder\.org|colab\.research)[^"]+)"', page)
    assert launches
    assert all("/lessons/zh/06_famine.ipynb" in url for url in launches), launches
    workflow = (Path(__file__).parents[1] / ".github" / "workflows" / "book.yml").read_text()
    assert "lessons --lang zh --force lessons-out/zh" in workflow
