"""The Chinese edition: Sphinx's own internationalisation, driven by the environment.

``BEIDAIHE_LANG=zh`` (``make book-zh``) builds the book in Simplified Chinese from the
gettext catalogs in ``src/beidaihe_course/locales/zh_CN/LC_MESSAGES/`` (one ``.po`` file
per page, kept with ``sphinx-intl``; see TRANSLATION.md); the default, ``en``, builds the
English book.
The lessons' kernels inherit the variable, so the package's own strings (explorer titles
and alt texts, self-check messages, quizzes) come out in Chinese too
(:mod:`beidaihe_course.i18n`).

Every page links to the same page in the other language: the Chinese site is published
in the folder ``zh/`` of the English one.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from docutils import nodes
from sphinx.errors import ConfigError
from sphinx.transforms import SphinxTransform
from sphinx.util.nodes import LITERAL_TYPE_NODES

LANGUAGES = {"en": "en", "zh": "zh_CN"}
#: The folder of the published English site that holds the Chinese one.
ZH_FOLDER = "zh"
ROOT = Path(__file__).resolve().parents[2]


def book_language() -> str:
    """``en`` or ``zh``, from ``BEIDAIHE_LANG`` (a clear error for anything else)."""
    value = os.environ.get("BEIDAIHE_LANG", "en").strip().lower() or "en"
    value = {"zh_cn": "zh", "zh-hans": "zh", "zh-cn": "zh"}.get(value, value)
    if value not in LANGUAGES:
        raise ConfigError(f"BEIDAIHE_LANG={value!r} is not valid; use one of: "
                          f"{', '.join(LANGUAGES)}")
    return value


def _configure(app, config) -> None:
    lang = book_language()
    config.course_language = lang
    config.locale_dirs = [str(ROOT / "src" / "beidaihe_course" / "locales")]
    config.gettext_compact = False
    config.gettext_uuid = False
    config.gettext_location = False  # no machine paths in the catalogs
    config.gettext_additional_targets = ["image"]  # a figure's alt text is translated too
    if lang == "zh":
        config.language = LANGUAGES[lang]
        config.html_title = "北戴河 1958"
        config.project = "北戴河 1958"
        _reload_interface_translations(app)


def _interface_catalogs() -> list[tuple[str, Path]]:
    """The message catalogs of the theme and extensions (their words: "Search",
    "Contents", "Exercise", "Solution"…), by catalog name and folder."""
    import pydata_sphinx_theme
    import sphinx_book_theme
    import sphinx_exercise
    import sphinx_togglebutton

    def here(module) -> Path:
        return Path(module.__file__).parent

    return [("sphinx", here(pydata_sphinx_theme) / "locale"),
            ("booktheme", here(sphinx_book_theme) / "theme" / "sphinx_book_theme" / "static"
             / "locales"),
            ("exercise", here(sphinx_exercise) / "translations" / "locales"),
            ("togglebutton", here(sphinx_togglebutton) / "translations" / "locales")]


def _reload_interface_translations(app) -> None:
    """Sphinx loads the interface's translations before any extension can choose the
    language (Jupyter Book's configuration says ``en``): load them again for Chinese."""
    from sphinx import locale

    app._init_i18n()  # Sphinx's own words
    for catalog, folder in _interface_catalogs():
        if folder.is_dir():
            locale.init([str(folder)], app.config.language, catalog)


class ExerciseTitles(SphinxTransform):
    """sphinx-exercise builds an exercise's title (the directive's argument) without the
    source that makes a node translatable: give it one, before Sphinx's own translation
    transform (priority 20) looks for it, so the title is in the catalog and translated."""

    default_priority = 10

    def apply(self, **kwargs) -> None:
        from sphinx_exercise.nodes import exercise_subtitle

        titles = _exercise_titles(self.env)
        docname = self.env.docname
        for node in self.document.findall(exercise_subtitle):
            node.rawsource = node.rawsource or node.astext()
            node.source = node.source or self.document.get("source")
            node.line = node.line or 1
            titles.setdefault(docname, []).append((node.rawsource, node.source, node.line))


class TocCaptions(SphinxTransform):
    """The table of contents' part captions ("The decisions"…) come from ``_toc.yml``,
    inserted by sphinx-external-toc after Sphinx has translated the page: translate them
    from the root page's catalog."""

    default_priority = 110  # after sphinx-external-toc's InsertToctrees (100)

    def apply(self, **kwargs) -> None:
        if self.config.course_language == "en":
            return
        from sphinx import addnodes
        from sphinx.locale import init as init_locale
        from sphinx.util.i18n import docname_to_domain

        dirs = [str(Path(self.env.srcdir) / d) for d in self.config.locale_dirs]
        domain = docname_to_domain(self.env.docname, self.config.gettext_compact)
        catalog, found = init_locale(dirs, self.config.language, domain)
        if not found:
            return
        for toctree in self.document.findall(addnodes.toctree):
            if toctree.get("caption"):
                toctree["caption"] = catalog.gettext(toctree["caption"])
                toctree["rawcaption"] = toctree["caption"]


def _exercise_titles(env) -> dict:
    if not hasattr(env, "course_exercise_titles"):
        env.course_exercise_titles = {}
    return env.course_exercise_titles


def _forget_titles(app, env, docname) -> None:
    _exercise_titles(env).pop(docname, None)


def _merge_titles(app, env, docnames, other) -> None:
    for docname in docnames:
        if docname in _exercise_titles(other):
            _exercise_titles(env)[docname] = _exercise_titles(other)[docname]


def _catalog_exercise_titles(app, doctree, docname) -> None:
    """sphinx-exercise folds the titles into plain text before the gettext builder reads
    the page, so put the titles (kept as the page was read) into its catalog directly."""
    if app.builder.name != "gettext":
        return
    from sphinx.builders.gettext import MsgOrigin
    from sphinx.util.i18n import docname_to_domain

    catalog = app.builder.catalogs[docname_to_domain(docname, app.config.gettext_compact)]
    for message, source, line in _exercise_titles(app.env).get(docname, []):
        catalog.add(message, MsgOrigin(source, line))


def _no_execution_for_catalogs(app) -> None:
    """The catalogs hold prose only: nothing needs to run to extract it. They hold every
    edition's prose: the instructor edition's too (solutions and teaching notes)."""
    if app.builder.name == "gettext":
        app.config.nb_execution_mode = "off"
        app.config.hide_solutions = False
        app.config.course_edition = "instructor"


def _prose_only(app, doctree) -> None:
    """Code, outputs and formulas stay as they are: keep them out of the catalogs. A
    lesson's outputs are the package's own text, translated as the Chinese book's kernels
    run (:mod:`beidaihe_course.i18n`); a figure's caption and alt text are the lesson's."""
    for node in doctree.findall(lambda n: isinstance(n, LITERAL_TYPE_NODES)):
        node["translatable"] = False
    for output in doctree.findall(nodes.container):
        if "cell_output" in output.get("classes", []):
            for node in output.findall(nodes.TextElement):
                if not isinstance(node, nodes.caption):
                    node["translatable"] = False


#: Every page's language, as the ``lang`` of its ``<html>`` element.
HTML_LANG = {"en": "en", "zh": "zh-Hans"}


def other_language_href(pagename: str, language: str) -> str:
    """The address of the same page in the other language, relative to ``pagename``.

    >>> other_language_href("lessons/06_famine", "en")
    '../zh/lessons/06_famine.html'
    >>> other_language_href("lessons/06_famine", "zh")
    '../../lessons/06_famine.html'
    >>> other_language_href("index", "zh")
    '../index.html'
    """
    up = "../" * pagename.count("/")
    if language == "zh":
        return f"{up}../{pagename}.html"
    return f"{up}{ZH_FOLDER}/{pagename}.html"


def switch_html(pagename: str, language: str) -> str:
    """The link to the other language, for the page's header (visible text in that
    language, marked with its ``lang`` and ``hreflang``)."""
    target = "en" if language == "zh" else "zh"
    label = {"en": "English", "zh": "中文"}[target]
    title = {"en": "Read this page in English", "zh": "阅读本页中文版"}[target]
    return (f'<div class="header-article-item course-language-switch">'
            f'<a href="{other_language_href(pagename, language)}" '
            f'hreflang="{HTML_LANG[target]}" lang="{HTML_LANG[target]}" title="{title}" '
            f'class="btn btn-sm">{label}</a></div>')


_HEADER_END = '<div class="header-article-items__end">'
#: A launch button's notebook on the learners branch (Binder's urlpath, Colab's blob path):
#: the Chinese pages open the Chinese learner copies, published in ``lessons/zh/``.
_LAUNCH = re.compile(r'((?:urlpath=lab/tree|/blob/learners)/lessons)/(\d\d_\w+\.ipynb)')


def _mark_languages(app, exception) -> None:
    """After the build: each page's ``lang``, and its switch to the other language."""
    if exception is not None or getattr(app.builder, "format", "") != "html":
        return
    language = app.config.course_language
    outdir = Path(app.outdir)
    for page in outdir.rglob("*.html"):
        rel = page.relative_to(outdir).as_posix()
        if rel.startswith(("_", ".")):
            continue
        text = page.read_text(encoding="utf-8")
        fixed = re.sub(r'<html lang="[^"]*"', f'<html lang="{HTML_LANG[language]}"', text,
                       count=1)
        if language != "en":
            fixed = _LAUNCH.sub(rf"\1/{language}/\2", fixed)
        if "course-language-switch" not in fixed and _HEADER_END in fixed:
            fixed = fixed.replace(_HEADER_END, _HEADER_END + switch_html(rel[:-5], language),
                                  1)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")


def _alternate_link(app, pagename, templatename, context, doctree) -> None:
    """``<link rel="alternate" hreflang>`` in each page's head, for search engines."""
    language = app.config.course_language
    target = "en" if language == "zh" else "zh"
    context["metatags"] = context.get("metatags", "") + (
        f'\n<link rel="alternate" hreflang="{HTML_LANG[target]}" '
        f'href="{other_language_href(pagename, language)}" />')


def setup(app):
    app.add_config_value("course_language", "en", "env")
    app.connect("config-inited", _configure, priority=300)
    app.add_transform(ExerciseTitles)
    app.add_transform(TocCaptions)
    app.connect("env-purge-doc", _forget_titles)
    app.connect("env-merge-info", _merge_titles)
    app.connect("doctree-resolved", _catalog_exercise_titles)
    app.connect("builder-inited", _no_execution_for_catalogs, priority=100)
    app.connect("doctree-read", _prose_only)
    app.connect("html-page-context", _alternate_link)
    app.connect("build-finished", _mark_languages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
