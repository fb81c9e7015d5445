"""Check a release before it is published: the tag names the package version, and the
built folder holds exactly this version's sdist and wheel.

Usage: python scripts/check_release.py TAG DIST_DIR      (the release workflow runs it)

Prints ``name=...`` and ``version=...``; in GitHub Actions they are also written to
``$GITHUB_OUTPUT`` for the publishing job. Exit status 2, with a message, when a check fails.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def project() -> tuple[str, str]:
    """``name`` and ``version`` of [project] in pyproject.toml."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8").split("[project]", 1)[1]
    found = dict(re.findall(r'^(name|version) = "([^"]+)"$', text, re.M))
    return found["name"], found["version"]


def check(tag: str, dist: Path) -> list[str]:
    """The problems with releasing ``dist`` under ``tag`` (none: it may be published)."""
    name, version = project()
    problems = []
    if tag != f"v{version}":
        problems.append(f"the tag {tag!r} does not name the package version: tag the "
                        f"release v{version}, or change the version in pyproject.toml")
    stem = f"{re.sub(r'[-_.]+', '_', name).lower()}-{version}"
    built = sorted(p.name for p in dist.iterdir()) if dist.is_dir() else []
    expected = [f"{stem}-py3-none-any.whl", f"{stem}.tar.gz"]
    if built != sorted(expected):
        problems.append(f"{dist} holds {built}; expected exactly {expected}")
    return problems


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    problems = check(argv[0], Path(argv[1]))
    for problem in problems:
        print(f"check_release: error: {problem}", file=sys.stderr)
    if problems:
        return 2
    name, version = project()
    lines = f"name={name}\nversion={version}\n"
    print(lines, end="")
    if os.environ.get("GITHUB_OUTPUT"):
        with open(os.environ["GITHUB_OUTPUT"], "a", encoding="utf-8") as out:
            out.write(lines)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
