"""Small HTML fixes for the course book (a local Sphinx extension).

sphinx-thebe 0.3 registers its inline configuration script once per read phase; when the
environment is read twice in one build the page declares ``const THEBE_JS_URL`` twice and
the browser logs an error on every page. Drop exact duplicate scripts before rendering.

Chinese appears on almost every page (names in citations, terms, documents). Each run of
Chinese characters in a page's body is marked ``lang="zh-Hans"``, so screen readers
switch voice and the site's Chinese font applies (course.css).
"""

from __future__ import annotations

import re

#: A run of Chinese: CJK ideographs, CJK punctuation and full-width forms, with the
#: Latin digits, spaces and middle dots that sit between them (一九五八 年 · 8 月).
_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
CJK_RUN = re.compile(f"[{_CJK}](?:[{_CJK}0-9·・ ]*[{_CJK}])?")
#: Tags whose content is not page text.
_RAW = re.compile(r"(<(script|style|textarea|title)\b.*?</\2\s*>)", re.S | re.I)
_TEXT = re.compile(r">([^<]+)<")


def mark_chinese(html: str) -> str:
    """Wrap each run of Chinese in text content with ``<span lang="zh-Hans">``.

    Attributes, scripts and styles are left alone. Running it twice adds nothing.

    >>> mark_chinese('<p title="大跃进">The 大跃进 (1958)</p>')
    '<p title="大跃进">The <span lang="zh-Hans">大跃进</span> (1958)</p>'
    >>> mark_chinese(mark_chinese("<p>杨继绳</p>")) == mark_chinese("<p>杨继绳</p>")
    True
    >>> mark_chinese("<script>var s = '大跃进';</script>")
    "<script>var s = '大跃进';</script>"
    """
    parts = _RAW.split(html)
    out = []
    for i, part in enumerate(parts):
        if i % 3 == 2:          # the tag name captured by _RAW's inner group
            continue
        if i % 3 == 1:          # a script, style, textarea or title block: unchanged
            out.append(part)
            continue
        out.append(_TEXT.sub(lambda m, part=part: ">" + _mark_text(m.group(1), m.start(),
                                                                   part) + "<", part))
    return "".join(out)


_OPEN = '<span lang="zh-Hans">'


def _mark_text(text: str, start: int, html: str) -> str:
    if html.endswith(_OPEN, 0, start + 1) and CJK_RUN.fullmatch(text):
        return text     # already marked
    return CJK_RUN.sub(lambda m: f"{_OPEN}{m.group(0)}</span>", text)


def _mark_pages(app, exception) -> None:
    """Mark Chinese in every written page's body (the index pages too, which have no
    ``body`` in their template context). Pages kept from an earlier build are already
    marked, and marking is idempotent."""
    if exception is not None or getattr(app.builder, "format", "") != "html":
        return
    if getattr(app.config, "course_language", "en") != "en":
        return  # the whole page is Chinese: its <html lang> says so (course_i18n)
    from pathlib import Path

    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        head, sep, body = text.partition("<body")
        fixed = head + sep + mark_chinese(body) if sep else text
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")


def _dedupe_scripts(app, pagename, templatename, context, doctree) -> None:
    seen, unique = set(), []
    for script in context.get("script_files", []):
        # an inline script may be registered with filename None once and "" once
        key = (getattr(script, "filename", script) or "",
               repr(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"][:] = unique


def _plain_citation_lists(app, exception) -> None:
    """docutils marks the bibliography ``role="list"`` although its children are not list
    items (axe-core: aria-required-children, critical). Drop the role."""
    if exception is not None or getattr(app.builder, "format", "") != "html":
        return
    from pathlib import Path

    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        fixed = text.replace('<div role="list" class="citation-list">',
                             '<div class="citation-list">')
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")


def setup(app):
    app.connect("html-page-context", _dedupe_scripts, priority=900)  # after other handlers
    app.connect("build-finished", _mark_pages)
    app.connect("build-finished", _plain_citation_lists)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
