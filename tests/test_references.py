"""The bibliography parses, is clean, and every entry can be cited author–year."""

from __future__ import annotations

import re

import pytest
from pybtex.database import parse_file


@pytest.fixture(scope="module")
def bibliography(root):
    return parse_file(str(root / "book" / "references.bib"))


def test_no_doubled_escapes_or_escaped_urls(root):
    text = (root / "book" / "references.bib").read_text(encoding="utf-8")
    assert not re.search(r"\\\\", text), "a field contains a doubled backslash"
    escaped_urls = re.findall(r"^\s*url\s*=.*\\.*$", text, flags=re.MULTILINE)
    assert not escaped_urls, f"URLs must not contain backslashes: {escaped_urls[:3]}"


def test_every_entry_has_an_author_and_a_title(bibliography):
    missing = [key for key, entry in bibliography.entries.items()
               if not entry.persons.get("author") or "title" not in entry.fields]
    assert not missing, f"entries without author or title: {missing}"


def test_bibliography_is_large_enough_for_the_curriculum(bibliography):
    assert len(bibliography.entries) >= 25
