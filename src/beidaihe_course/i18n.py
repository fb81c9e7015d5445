"""The course in English or Simplified Chinese: the language of the package's own text.

Everything the package says to a reader (explorer titles, slider labels and alt texts,
self-check messages and hints, quizzes, the tables it writes for the book) is written in
English and translated through gettext catalogs that ship inside the package, in
``locales/zh_CN/LC_MESSAGES/``: ``package.po`` for the package's strings, ``data.po`` for
the datasets' prose shown to readers, ``quizzes/<lesson>.po``, and the book's own
catalogs (``lessons/<lesson>.po``, ``book/<page>.po``), which ``beidaihe-course lessons
--lang zh`` also uses. The catalogs are kept in step with the English by
``scripts/translation.py`` and the test suite (see TRANSLATION.md).

The language is ``en`` unless :func:`set_language` chose another, or the environment
variable ``BEIDAIHE_LANG`` names one (the Chinese book's build sets it for its kernels).
Code, dataset names and column names stay English in every language.

>>> set_language("zh")
>>> gettext("Correct")
'正确'
>>> set_language("en")
>>> gettext("Correct")
'Correct'
>>> set_language("fr")
Traceback (most recent call last):
...
ValueError: unknown language 'fr'; valid names are: en, zh
"""

from __future__ import annotations

import os
from functools import cache
from importlib import resources

#: The languages of the course, by code, and the locale folder of each translation.
LANGUAGES = {"en": "English", "zh": "简体中文"}
LOCALES = {"zh": "zh_CN"}
#: The environment variable that chooses the language when :func:`set_language` did not.
VARIABLE = "BEIDAIHE_LANG"
_ALIASES = {"zh_cn": "zh", "zh-cn": "zh", "zh-hans": "zh", "zh_hans": "zh", "": "en"}
_chosen: str | None = None


def normalise(lang: object) -> str:
    """``lang`` as one of :data:`LANGUAGES` (``zh-Hans`` and ``zh_CN`` mean ``zh``)."""
    if not isinstance(lang, str):
        raise TypeError(f"language must be a string, one of: {', '.join(LANGUAGES)}; "
                        f"got {type(lang).__name__}")
    code = lang.strip().lower()
    code = _ALIASES.get(code, code)
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; valid names are: "
                         f"{', '.join(LANGUAGES)}")
    return code


def language() -> str:
    """The current language: the one :func:`set_language` chose, else ``BEIDAIHE_LANG``."""
    if _chosen is not None:
        return _chosen
    return normalise(os.environ.get(VARIABLE, "en"))


def set_language(lang: str | None) -> None:
    """Choose the language of the package's text (``None``: back to ``BEIDAIHE_LANG``)."""
    global _chosen
    _chosen = None if lang is None else normalise(lang)


def catalog_path(domain: str, lang: str):
    """The ``.po`` file of ``domain`` (e.g. ``package``, ``quizzes/06_famine``)."""
    folder = resources.files("beidaihe_course").joinpath("locales", LOCALES[lang],
                                                         "LC_MESSAGES")
    for part in f"{domain}.po".split("/"):
        folder = folder.joinpath(part)
    return folder


@cache
def catalog(domain: str, lang: str) -> dict[str, str]:
    """Every translated, current entry of one catalog: English → translation."""
    import polib

    path = catalog_path(domain, lang)
    if not path.is_file():
        return {}
    entries = polib.pofile(path.read_text(encoding="utf-8"))
    return {e.msgid: e.msgstr for e in entries
            if e.msgstr and not e.obsolete and "fuzzy" not in e.flags}


def gettext(message: str, domain: str = "package", lang: str | None = None) -> str:
    """``message`` in the current language (or ``lang``); the English if untranslated."""
    code = language() if lang is None else normalise(lang)
    if code == "en":
        return message
    return catalog(domain, code).get(message, message)


def N_(message: str) -> str:
    """Mark ``message`` for translation where it is declared; translate it where shown."""
    return message


_ = gettext


class using:
    """``with using("zh"):`` — the package's text in that language inside the block.

    >>> with using("zh"):
    ...     language()
    'zh'
    """

    def __init__(self, lang: str) -> None:
        self.lang = normalise(lang)

    def __enter__(self) -> str:
        self.before = _chosen
        set_language(self.lang)
        return self.lang

    def __exit__(self, *exc: object) -> None:
        global _chosen
        _chosen = self.before
