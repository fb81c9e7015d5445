"""Helpers for the Beidaihe 1958 course: sourced data, stylised models, plots and checks.

Importing the package has no side effects: it does not touch matplotlib's backend,
global options or the network.

>>> import beidaihe_course
>>> "production" in beidaihe_course.list_datasets()
True
"""

from beidaihe_course._version import __version__
from beidaihe_course.datasets import list_datasets, load, load_series

__all__ = ["__version__", "list_datasets", "load", "load_series"]
