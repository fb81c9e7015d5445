"""The package version, read from the installed metadata (single source: pyproject.toml)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("beidaihe-course")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

#: Date of the current release (update with the version in pyproject.toml).
RELEASE_DATE = "2026-12-02"
