"""The package version, read from the installed metadata (single source: pyproject.toml)."""

from importlib.metadata import PackageNotFoundError, version

#: The distribution name, as published on PyPI: ``[project] name`` in pyproject.toml. A fork
#: that publishes under its own name changes both (tests/test_launch.py checks they agree);
#: the lessons' Colab cell installs this name (``lesson_format.colab_cell``).
DISTRIBUTION = "beidaihe-course"

try:
    __version__ = version(DISTRIBUTION)
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

#: Date of the current release (update with the version in pyproject.toml).
RELEASE_DATE = "2026-12-02"
