"""Small HTML fixes for the course book (a local Sphinx extension).

sphinx-thebe 0.3 registers its inline configuration script once per read phase; when the
environment is read twice in one build the page declares ``const THEBE_JS_URL`` twice and
the browser logs an error on every page. Drop exact duplicate scripts before rendering.
"""

from __future__ import annotations


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
    app.connect("build-finished", _plain_citation_lists)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
