"""Execute lessons on a fresh kernel and keep text outputs only (the pytest-notebook reference).

Usage: python scripts/refresh_lessons.py [lessons/NN_name.ipynb ...]   (default: all)

Images, widget state and run timestamps are removed so the committed notebook is small and diffable;
the book build regenerates the figures. The first code cell is made the Colab cell of this version
(``lesson_format.add_colab_cell``), so refresh the lessons after a version bump.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from beidaihe_course.lesson_format import add_colab_cell, lesson_paths, strip


def refresh(path: Path) -> None:
    nb = add_colab_cell(nbformat.read(path, as_version=4))
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    strip(nb)
    nbformat.write(nb, path)
    print(f"refreshed {path} ({path.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    paths = [Path(p) for p in sys.argv[1:]] or lesson_paths()
    for p in paths:
        refresh(p)
