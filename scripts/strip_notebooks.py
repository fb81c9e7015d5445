"""Remove what must not be committed from lesson notebooks: images and widget state.

Used by the pre-commit hook (.pre-commit-config.yaml); text outputs stay, because they are
the pytest-notebook reference. Exits 1 if it changed a file (so the commit is redone).

Usage: python scripts/strip_notebooks.py lessons/NN_name.ipynb [...]
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

from beidaihe_course.lesson_format import strip  # the same rule as when refreshing outputs


def main(paths: list[str]) -> int:
    changed = 0
    for name in paths:
        path = Path(name)
        before = path.read_text(encoding="utf-8")
        nb = nbformat.reads(before, as_version=4)
        strip(nb)
        after = nbformat.writes(nb) + "\n"
        if after.strip() != before.strip():
            path.write_text(after, encoding="utf-8")
            print(f"stripped images and widget state from {path}")
            changed += 1
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
