"""Load the course's frozen, sourced datasets as pandas DataFrames.

Every dataset ships inside the package as a CSV in ``beidaihe_course/data`` and is read
with :mod:`importlib.resources`, so nothing is fetched from the network. Every row has a
``source`` column holding one or more BibTeX keys (separated by ``"; "``) that resolve to
entries in the course bibliography, ``book/references.bib``. ``data/SOURCES.md`` records
provenance, units and reliability for each dataset.

Datasets and their columns:

================== ==================================================================
name               columns
================== ==================================================================
production         year, series, value, unit, source (long format; Mt)
population         year, series, value, unit, source (long format)
procurement        year, series, value, unit, source (long format; Mt or percent)
investment         year, series, value, unit, source (long format)
targets            date_set, body, commodity, target_year, value, unit, source, note
communes           date, communes, household_share_pct, source, note
famine_estimates   author, year_published, low, high, period, band, method, source
                   (excess deaths, million; ``band`` is one of :data:`ESTIMATE_BANDS`)
lost_births        author, births_lost_m, period, method, source (million; kept apart
                   from deaths: a birth that did not happen is not a death)
timeline           date, event, category, source
provinces          province, year, crude_death_rate, unit, source (per 1,000)
meeting_documents  id, adopted, title_zh, title_en, kind, published, source, note
                   (documents adopted at Beidaihe, August 1958; text)
documents          id, date, title_en, title_zh, issuer, excerpt_zh, excerpt_en,
                   translation, translation_note, reliability, lesson, source,
                   translation_source (key documents: Chinese excerpt and English; text)
================== ==================================================================

>>> list_datasets()[:3]
['communes', 'documents', 'famine_estimates']
>>> steel = load_series("production", "steel")
>>> float(steel.loc[1957])
5.35
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import pandas as pd

from beidaihe_course import _validate
from beidaihe_course.i18n import N_

#: Long-format datasets: one row per (year, series), with a value and its unit.
LONG_FORMAT = ("production", "population", "procurement", "investment")

_COLUMNS: dict[str, tuple[str, ...]] = {
    **{name: ("year", "series", "value", "unit", "source") for name in LONG_FORMAT},
    "targets": ("date_set", "body", "commodity", "target_year", "value", "unit", "source",
                "note"),
    "communes": ("date", "communes", "household_share_pct", "source", "note"),
    "famine_estimates": ("author", "year_published", "low", "high", "period", "band",
                         "method", "source"),
    "lost_births": ("author", "births_lost_m", "period", "method", "source"),
    "timeline": ("date", "event", "category", "source"),
    "provinces": ("province", "year", "crude_death_rate", "unit", "source"),
    "meeting_documents": ("id", "adopted", "title_zh", "title_en", "kind", "published",
                          "source", "note"),
    "documents": ("id", "date", "title_en", "title_zh", "issuer", "excerpt_zh", "excerpt_en",
                  "translation", "translation_note", "reliability", "lesson", "source",
                  "translation_source"),
}

#: The kinds of excess-death estimate, in the order the course shows them, with labels:
#: deaths counted by the registers alone; the low "revisionist" estimates, which treat most
#: of the registered fall in population as a paper artefact; published scholarly
#: reconstructions; and the top of the range, figures not published with their method.
ESTIMATE_BANDS = {
    "registered": N_("Registered deaths only"),
    "revisionist": N_("Revisionist (low) estimates"),
    "scholarly": N_("Scholarly estimates"),
    "upper": N_("Top of the range (method unpublished)"),
}

#: Datasets of text only: every column is a string and an empty cell stays "".
TEXT_ONLY = ("documents", "meeting_documents")


def list_datasets() -> list[str]:
    """Return the names of the datasets that :func:`load` accepts, sorted.

    >>> "famine_estimates" in list_datasets()
    True
    """
    return sorted(_COLUMNS)


def columns(name: str) -> tuple[str, ...]:
    """Return the column names of dataset ``name``.

    >>> columns("timeline")
    ('date', 'event', 'category', 'source')
    """
    return _COLUMNS[_validate.choice(name, _COLUMNS, "dataset")]


@cache
def _read(name: str) -> pd.DataFrame:
    with files("beidaihe_course").joinpath("data", f"{name}.csv").open(encoding="utf-8") as f:
        if name in TEXT_ONLY:
            return pd.read_csv(f, dtype=str, keep_default_na=False)
        frame = pd.read_csv(f, dtype={"source": str}, keep_default_na=False,
                            na_values={c: [""] for c in _COLUMNS[name] if c != "source"})
    return frame


def load(name: str) -> pd.DataFrame:
    """Return dataset ``name`` as a new DataFrame (safe to modify).

    >>> load("production").columns.tolist()
    ['year', 'series', 'value', 'unit', 'source']
    >>> load("crops")
    Traceback (most recent call last):
    ...
    ValueError: unknown dataset 'crops'; valid names are: communes, documents, \
famine_estimates, investment, lost_births, meeting_documents, population, procurement, \
production, provinces, targets, timeline
    """
    return _read(_validate.choice(name, _COLUMNS, "dataset")).copy()


def list_series(name: str) -> list[str]:
    """Return the series names available in a long-format dataset.

    >>> list_series("population")  # doctest: +NORMALIZE_WHITESPACE
    ['crude_birth_rate', 'crude_death_rate', 'crude_death_rate_banister',
     'crude_death_rate_rural', 'crude_death_rate_urban', 'population_yearend']
    """
    _validate.choice(name, LONG_FORMAT, "long-format dataset")
    return sorted(_read(name)["series"].unique())


def load_series(name: str, series: str) -> pd.Series:
    """Return one series of a long-format dataset, indexed by year.

    >>> float(load_series("population", "crude_death_rate").loc[1960])
    25.43
    >>> load_series("population", "deaths")
    Traceback (most recent call last):
    ...
    ValueError: unknown series 'deaths'; valid names are: crude_birth_rate, \
crude_death_rate, crude_death_rate_banister, crude_death_rate_rural, crude_death_rate_urban, \
population_yearend
    """
    _validate.choice(series, list_series(name), "series")
    frame = _read(name)
    rows = frame[frame["series"] == series]
    out = rows.set_index("year")["value"].astype(float)
    out.name = series
    return out
