"""A release is citable: the version and date agree everywhere they are written."""

from __future__ import annotations

import re

import yaml

from beidaihe_course import __version__
from beidaihe_course._version import RELEASE_DATE
from beidaihe_course.pages import COURSE_AUTHORS, COURSE_TITLE, citation_markdown


def _pyproject(root) -> dict:
    """``version`` and ``license`` of [project] (tomllib is not in Python 3.10)."""
    text = (root / "pyproject.toml").read_text(encoding="utf-8").split("[project]", 1)[1]
    return dict(re.findall(r'^(version|license) = "([^"]+)"$', text, re.M))


def _citation(root) -> dict:
    return yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))


def test_installed_version_is_the_source_version(root):
    assert __version__ == _pyproject(root)["version"], "reinstall: pip install -e ."


def test_citation_file_matches_the_package(root):
    cff, project = _citation(root), _pyproject(root)
    assert cff["cff-version"] == "1.2.0"
    assert str(cff["version"]) == project["version"]
    assert str(cff["date-released"]) == RELEASE_DATE
    assert cff["title"] == COURSE_TITLE
    assert [a["name"] for a in cff["authors"]] == [COURSE_AUTHORS]
    assert cff["license"] == project["license"]


def test_changelog_opens_with_this_release_and_lists_each_once(root):
    text = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    releases = re.findall(r"^## \[(\d+\.\d+\.\d+)\] – (\d{4}-\d{2}-\d{2})$", text, re.M)
    assert releases, "no '## [x.y.z] – YYYY-MM-DD' headings"
    assert releases[0] == (_pyproject(root)["version"], RELEASE_DATE)
    versions = [v for v, _ in releases]
    assert len(set(versions)) == len(versions)
    as_tuples = [tuple(map(int, v.split("."))) for v in versions]
    assert as_tuples == sorted(as_tuples, reverse=True), "newest release first"


def test_how_to_cite_text_gives_this_version_and_year():
    text = citation_markdown()
    assert f"version = {{{__version__}}}" in text
    assert f"year    = {{{RELEASE_DATE[:4]}}}" in text
