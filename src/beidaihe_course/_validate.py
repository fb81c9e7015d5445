"""Small validators that turn a student's mistake into a clear ValueError or TypeError."""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable


def choice(value: object, valid: Iterable[str], what: str) -> str:
    """Return ``value`` if it is one of ``valid``; otherwise raise with the valid names.

    >>> choice("steel", ["steel", "grain"], "series")
    'steel'
    >>> choice("iron", ["steel", "grain"], "series")
    Traceback (most recent call last):
    ...
    ValueError: unknown series 'iron'; valid names are: grain, steel
    """
    valid = sorted(valid)
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a string, one of: {', '.join(valid)}; "
                        f"got {type(value).__name__}")
    if value not in valid:
        raise ValueError(f"unknown {what} {value!r}; valid names are: {', '.join(valid)}")
    return value


def number(value: object, what: str, low: float, high: float) -> float:
    """Return ``value`` as a float if it is a real number in ``[low, high]``.

    >>> number(0.5, "share", 0, 1)
    0.5
    >>> number(float("nan"), "share", 0, 1)
    Traceback (most recent call last):
    ...
    ValueError: share must be a number between 0 and 1; got nan
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{what} must be a number between {low:g} and {high:g}; "
                        f"got {type(value).__name__}")
    value = float(value)
    if math.isnan(value) or not low <= value <= high:
        raise ValueError(f"{what} must be a number between {low:g} and {high:g}; got {value:g}")
    return value


def whole_number(value: object, what: str, low: int, high: int) -> int:
    """Return ``value`` as an int if it is a whole number in ``[low, high]``.

    >>> whole_number(3.0, "months", 0, 12)
    3
    >>> whole_number(2.5, "months", 0, 12)
    Traceback (most recent call last):
    ...
    ValueError: months must be a whole number between 0 and 12; got 2.5
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{what} must be a whole number between {low} and {high}; "
                        f"got {type(value).__name__}")
    if math.isnan(value) or value != int(value) or not low <= value <= high:
        raise ValueError(f"{what} must be a whole number between {low} and {high}; "
                         f"got {value:g}")
    return int(value)
