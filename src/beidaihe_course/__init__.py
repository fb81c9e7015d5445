"""Helpers for the Beidaihe 1958 course: sourced data, stylised models, plots and checks.

Importing the package has no side effects: it does not touch matplotlib's backend,
global options or the network.

>>> import beidaihe_course
>>> "production" in beidaihe_course.list_datasets()
True
"""

from beidaihe_course._version import __version__

__all__ = ["__version__", "list_datasets", "load", "load_series"]


def __getattr__(name: str):
    """Load the data helpers on first use, so that ``python -m beidaihe_course.sandbox``
    (started for every graded submission) does not import pandas."""
    if name in ("list_datasets", "load", "load_series"):
        from beidaihe_course import datasets

        return getattr(datasets, name)
    raise AttributeError(f"module 'beidaihe_course' has no attribute {name!r}")
