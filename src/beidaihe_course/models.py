"""Stylised teaching models: pure functions, parameters in, numbers or frames out.

These are **stylised teaching models**, not reconstructions of history. Each states its
assumptions; each validates its parameters and raises ``ValueError`` or ``TypeError``
naming the valid range. Nothing here imports matplotlib or ipywidgets.
"""

from __future__ import annotations

import pandas as pd

from beidaihe_course import _validate


def quota_share_of_real_harvest(inflation: float, quota_share: float) -> float:
    """Share of the *real* harvest taken when a quota is set on an inflated report.

    Stylised assumptions: the state sets procurement as a fixed share (``quota_share``)
    of the *reported* harvest; the report exceeds the real harvest by the factor
    ``inflation`` (1.0 = honest, 2.0 = reported twice the real harvest); the quota is
    collected in full. Then the state takes ``quota_share * inflation`` of what was
    actually grown, capped at the whole harvest.

    >>> quota_share_of_real_harvest(1.0, 0.25)
    0.25
    >>> round(quota_share_of_real_harvest(1.5, 0.25), 3)
    0.375
    >>> quota_share_of_real_harvest(5.0, 0.3)
    1.0
    >>> quota_share_of_real_harvest(0.5, 0.25)
    Traceback (most recent call last):
    ...
    ValueError: inflation must be a number between 1 and 5; got 0.5
    """
    inflation = _validate.number(inflation, "inflation", 1.0, 5.0)
    quota_share = _validate.number(quota_share, "quota_share", 0.0, 1.0)
    return min(1.0, quota_share * inflation)


def quota_table(inflations: list[float], quota_share: float) -> pd.DataFrame:
    """Tabulate :func:`quota_share_of_real_harvest` for several inflation factors.

    >>> quota_table([1.0, 2.0], 0.25)["share_of_real_harvest_pct"].tolist()
    [25.0, 50.0]
    """
    if isinstance(inflations, (str, bytes)) or not hasattr(inflations, "__iter__"):
        raise TypeError("inflations must be a list of numbers between 1 and 5")
    rows = [{"inflation": float(i),
             "share_of_real_harvest_pct": round(100 * quota_share_of_real_harvest(i,
                                                                                  quota_share),
                                                1)}
            for i in inflations]
    if not rows:
        raise ValueError("inflations must be a non-empty list of numbers between 1 and 5")
    return pd.DataFrame(rows)
