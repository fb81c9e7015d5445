"""The Chinese edition is complete, keeps its sources and stays in step with the English.

The catalogs (``src/beidaihe_course/locales/zh_CN/LC_MESSAGES``) hold one entry per
English passage; ``scripts/translation.py`` extracts the English afresh and compares
(TRANSLATION.md). The built Chinese book is tested with the English one in
test_browser.py, test_reach.py and test_book.py; its lessons in test_lessons_zh.py.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import polib
import pytest
from conftest import ROOT, _script

translation = _script("translation")

#: A glossary entry's term line: "English (aside) (汉字, *pinyin*)".
TERM = re.compile(r"^(?P<english>[^\s(][^\n]*?)\s*\((?P<chars>[^,()]+), \*[^*]+\*\)\s*$",
                  re.M)
#: A run of Chinese in the English text: an original the English quotes.
CHINESE_RUN = re.compile(r"[\u3400-\u9fff][\u3400-\u9fff，、“”]{3,}")
MARKER = "（据英文版译出，中文原文未能核对）"


def _entries(po: Path) -> list:
    return [e for e in polib.pofile(str(po)) if not e.obsolete and e.msgstr]


def glossary_terms() -> list[tuple[str, str]]:
    text = (ROOT / "book" / "glossary.md").read_text(encoding="utf-8")
    return [(re.sub(r"\s*\([^)]*\)", "", m["english"]).strip(), m["chars"].strip())
            for m in TERM.finditer(text)]


def test_every_entry_is_translated_and_keeps_the_english_markup():
    found = [p for po in translation.catalogs() for p in translation.problems(po)]
    assert not found, "\n".join(found[:40])


def test_the_markup_check_can_fail():
    entry = "See {doc}`the timeline <../book/timeline>` {cite:p}`yang2012tombstone`."
    assert translation.markup(entry) == translation.markup("见{doc}`年表 <../book/timeline>`"
                                                          "{cite:p}`yang2012tombstone`。")
    assert translation.markup(entry) != translation.markup("见年表{cite:p}`yang2012`。")


def test_glossary_is_parsed_whole():
    terms = glossary_terms()
    text = (ROOT / "book" / "glossary.md").read_text(encoding="utf-8")
    entries = len(re.findall(r"^\S.*, \*[^*]+\*\)\s*$", text, re.M))
    assert len(terms) >= 40 and len(terms) == entries


def test_every_glossary_term_used_appears_with_its_characters():
    """A page whose English uses a glossary term gives that term's characters in Chinese."""
    terms = glossary_terms()
    missing = []
    for po in translation.catalogs():
        entries = _entries(po)
        english = " ".join(e.msgid for e in entries).lower().replace("’", "'")
        chinese = " ".join(e.msgstr for e in entries)
        for term, chars in terms:
            if (re.search(rf"\b{re.escape(term.lower())}(?:s|es)?\b", english)
                    and chars not in chinese):
                missing.append(f"{po.relative_to(translation.CATALOGS)}: {term!r} -> {chars}")
    assert not missing, "\n".join(missing)


def test_chinese_quoted_in_the_english_is_kept_verbatim():
    """Where the English already quotes the Chinese original, the translation quotes the
    same words (never a retranslation, never a different edition's wording)."""
    changed = []
    for po in translation.catalogs():
        for entry in _entries(po):
            for run in CHINESE_RUN.findall(entry.msgid):
                if run not in entry.msgstr:
                    changed.append(f"{po.name}: {run}")
    assert not changed, "\n".join(changed)


def test_the_originals_of_the_key_documents_are_quoted_where_the_english_quotes_them():
    """A lesson quoting a key document in English gives its Chinese original (the
    ``documents`` dataset) in the Chinese edition, not a back-translation."""
    from beidaihe_course import load

    docs = load("documents")
    back_translated = []
    for po in translation.catalogs():
        entries = _entries(po)
        english = " ".join(e.msgid for e in entries)
        chinese = " ".join(e.msgstr for e in entries)
        page = "".join(re.findall(r"[\u3400-\u9fff]", chinese))
        for row in docs.itertuples(index=False):
            sentences = ["".join(re.findall(r"[\u3400-\u9fff]", part))
                         for part in re.split(r"[。；/…]|——", row.excerpt_zh)]
            quoted = any(len(s) >= 8 and s[:8] in page for s in sentences)
            if row.excerpt_en[:50] in english and not quoted:
                back_translated.append(f"{po.relative_to(translation.CATALOGS)}: {row.id}")
    assert back_translated == [], "\n".join(back_translated)


def test_passages_translated_from_the_english_say_so_the_same_way():
    """Only one wording marks a quotation whose Chinese original could not be read, and
    TRANSLATION.md explains it."""
    variants = set()
    for po in translation.catalogs():
        for entry in _entries(po):
            variants.update(re.findall(r"（[^（）]*英文[^（）]*译出[^（）]*）", entry.msgstr))
    assert variants <= {MARKER}, variants
    assert MARKER in (ROOT / "TRANSLATION.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_every_english_passage_has_a_current_translation(tmp_path):
    """The English extracted now, entry by entry, against the catalogs: an English
    sentence edited since its translation is named here (see the test below)."""
    found = translation.stale(translation.fresh_templates(tmp_path))
    assert not found, "\n".join(found[:40])


def _copy_project(dest: Path) -> Path:
    dest.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.mo", "_build", ".ipynb_checkpoints")
    for name in ("_config.yml", "_toc.yml"):
        shutil.copy2(ROOT / name, dest / name)
    for folder in ("book", "lessons", "src/beidaihe_course/locales"):
        shutil.copytree(ROOT / folder, dest / folder, ignore=ignore)
    return dest


@pytest.mark.slow
def test_editing_one_english_sentence_fails_until_its_translation_is_updated(tmp_path):
    """In a copy of the book: edit one sentence of a lesson, extract the English, and the
    check names exactly that passage; add its translation, and the check passes."""
    project = _copy_project(tmp_path / "project")
    catalogs = project / "src/beidaihe_course/locales/zh_CN/LC_MESSAGES"
    page = project / "lessons" / "03_production_targets.ipynb"
    catalog = catalogs / "lessons" / "03_production_targets.po"
    text = page.read_text(encoding="utf-8")
    entry = next(e for e in _entries(catalog)  # a sentence written as it is in the JSON
                 if len(e.msgid) > 60 and not re.search(r'["\\`{]', e.msgid)
                 and text.count(e.msgid) == 1)
    edited = entry.msgid.replace(" ", " still ", 1)
    page.write_text(text.replace(entry.msgid, edited), encoding="utf-8")
    pot = translation.extract(tmp_path / "out", root=project)

    before = translation.stale(pot, catalogs)
    assert len(before) == 1, before
    assert "03_production_targets.po" in before[0] and repr(edited[:60])[:-1] in before[0]

    po = polib.pofile(str(catalog), wrapwidth=0)
    po.append(polib.POEntry(msgid=edited, msgstr=entry.msgstr + "（已修订）"))
    po.save()
    assert translation.stale(pot, catalogs) == []
