"""The course's five explorers, each one declarative spec (see :mod:`._engine`).

An explorer names a stylised model from :mod:`models`, a chart from :mod:`charts` that
redraws in place, one or two sliders and a function that writes the alt text of each
frame from the model's result. :func:`explorer` shows one by name: live sliders in
Jupyter, or, in the published book, precomputed frames switched in the browser (the
book's Sphinx extension chooses that form; see :mod:`._engine`).

The engine's names are re-exported here (``Explorer``, ``Control``, ``show``,
``render_png``, ``frame_sizes`` and the constants), so lessons and notebooks need only
this module.

>>> sorted(EXPLORERS)
['canteen', 'excess_deaths', 'labour', 'procurement', 'urban_grain']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from beidaihe_course import _validate, charts, datasets, models
from beidaihe_course._engine import (  # noqa: F401 (re-exported)
    DEFAULT_MARGINS,
    FRAME_DPI,
    FRAME_SIZE,
    MAX_FRAMES,
    MODE_VARIABLE,
    MODES,
    Canvas,
    Control,
    Explorer,
    ExplorerWidget,
    frame_sizes,
    frames,
    render_png,
    show,
)
from beidaihe_course.i18n import gettext as _


def _describe_squeeze(params: dict, result: dict) -> str:
    return _("Bar chart. With the harvest reported at {inflation:g} times its real size and "
             "{procurement_rate:.0%} of the reported harvest procured, the state takes "
             "{share_of_real_pct:.0f} % of the real harvest, {procured_mt:.0f} of "
             "{real_harvest_mt:.0f} million tonnes, leaving {grain_left_kg:.0f} kg of grain "
             "per rural person for the year.").format_map({**params, **result})


def procurement_explorer() -> Explorer:
    """Inflated reports and the procurement rate, 1959 (see models.procurement_squeeze)."""
    return Explorer(
        title=_("Procurement on an inflated report: grain left in the villages, 1959"),
        model=models.procurement_squeeze, chart=charts.ProcurementChart,
        describe=_describe_squeeze,
        controls=(Control("inflation", _("Reported ÷ real harvest"), 1.0, 2.0, 0.25, 1.0,
                          "{:.2f}×"),
                  Control("procurement_rate", _("Share of reported harvest procured"), 0.15,
                          0.45, 0.05, 0.25, "{:.0%}")))


def _describe_deaths(params: dict, result: Any) -> str:
    total = float(result["excess_deaths_m"].sum())
    estimates = datasets.load("famine_estimates")
    ranges = []
    for band, label in datasets.ESTIMATE_BANDS.items():
        rows = estimates[estimates["band"] == band]
        ranges.append(_("{band} {low:g} to {high:g}").format(
            band=_(label).lower(), low=rows["low"].min(), high=rows["high"].max()))
    return _("Chart. Taking normal mortality as {baseline_rate:g} per 1,000 on the registers "
             "and assuming the registers missed {underregistration:.0%} of all deaths, in "
             "normal years and in 1959–61 alike, the official death rates imply {total:.1f} "
             "million excess deaths in 1959–61. Published estimates, in million: "
             "{ranges}.").format(**params, total=total, ranges=_("; ").join(ranges))


def excess_deaths_explorer() -> Explorer:
    """Baseline and under-registration against the published estimates."""
    return Explorer(
        title=_("How many excess deaths? Baseline mortality and under-registration, 1959–61"),
        model=models.excess_deaths, chart=charts.ExcessDeathsChart,
        describe=_describe_deaths,
        controls=(Control("baseline_rate", _("Normal death rate (per 1,000)"), 9.0, 13.0,
                          1.0, 11.0, "{:g}"),
                  Control("underregistration", _("Share of all deaths the registers missed"),
                          0.0, 0.6, 0.1, 0.0, "{:.0%}")),
        margins={**DEFAULT_MARGINS, "left": 0.52, "bottom": 0.24, "top": 0.97},
        size=(5.8, 5.6))


def _describe_labour(params: dict, result: dict) -> str:
    return _("Bar chart. With {diverted_share:.0%} of the rural population at the furnaces, "
             "they make {native_metal_mt:.1f} million tonnes of native metal; if "
             "{usable_fraction:.0%} of it is usable, that is {usable_native_mt:.1f} million "
             "tonnes, while {harvest_left_pct:.0f} % of the autumn harvest is left in the "
             "fields.").format_map({**params, **result})


def labour_explorer() -> Explorer:
    """Labour at the furnaces: usable metal against the harvest left in the fields."""
    return Explorer(
        title=_("Furnaces or fields? Usable native metal against the harvest left standing, "
                "1958"),
        model=models.labour_diversion, chart=charts.LabourChart, describe=_describe_labour,
        controls=(Control("diverted_share", _("Share of rural people at the furnaces"), 0.0,
                          0.3, 0.05, 0.15, "{:.0%}"),
                  Control("usable_fraction", _("Share of native metal that is usable"), 0.0,
                          0.6, 0.1, 0.0, "{:.0%}")),
        margins={**DEFAULT_MARGINS, "right": 0.88})


def _describe_canteen(params: dict, result: Any) -> str:
    after = result.loc[result["phase"] == "rationed", "ration_pct"]
    if len(after):
        return _("Bar chart of monthly rations. Eating {extra_eaten:.0%} more than normal for "
                 "{free_months:g} months after the harvest leaves the canteen {ration:.0f} % "
                 "of a normal ration for the remaining {months} months.").format(
                     **params, ration=after.iloc[0], months=len(after))
    return _("Bar chart of monthly rations. Eating {extra_eaten:.0%} more than normal for "
             "{free_months:g} months after the harvest leaves the canteen and no months are "
             "left to ration.").format(**params)


def canteen_explorer() -> Explorer:
    """Eating freely after the harvest, and what is left for the rest of the year."""
    return Explorer(
        title=_("Eat freely now, ration later? A canteen's year after the 1958 harvest"),
        model=models.canteen_drawdown, chart=charts.CanteenChart, describe=_describe_canteen,
        controls=(Control("extra_eaten", _("Eaten above a normal ration"), 0.0, 0.6, 0.1,
                          0.3, "{:.0%}"),
                  Control("free_months", _("Months of eating freely"), 0, 6, 1, 3, "{:g}")))


def _describe_urban(params: dict, result: dict) -> str:
    return _("Bar chart. Feeding {new_urban_million:g} million new town dwellers at "
             "{ration_kg:g} kg of grain a year each needs {extra_grain_mt:.1f} million tonnes "
             "more procurement, {share_of_1957_procurement_pct:.0f} % on top of the "
             "{procurement_1957_mt:.1f} million tonnes procured in 1957.").format_map(
                 {**params, **result})


def urban_grain_explorer() -> Explorer:
    """New town dwellers and the grain the state must procure to feed them."""
    return Explorer(
        title=_("Feeding the new towns: extra grain the state must procure"),
        model=models.urban_grain_need, chart=charts.UrbanGrainChart, describe=_describe_urban,
        controls=(Control("new_urban_million", _("New town dwellers (million)"), 0, 35, 5,
                          20, "{:g}"),
                  Control("ration_kg", _("Grain ration per town dweller (kg a year)"), 150,
                          300, 50, 200, "{:g}")),
        margins={**DEFAULT_MARGINS, "left": 0.05})


EXPLORERS: dict[str, Callable[[], Explorer]] = {
    "canteen": canteen_explorer,
    "labour": labour_explorer,
    "procurement": procurement_explorer,
    "excess_deaths": excess_deaths_explorer,
    "urban_grain": urban_grain_explorer,
}


def with_start(spec: Explorer, **start: float) -> Explorer:
    """A copy of ``spec`` whose sliders start at the given values (nearest step).

    >>> spec = with_start(procurement_explorer(), inflation=1.5)
    >>> [c.start() for c in spec.controls]
    [1.5, 0.25]
    >>> with_start(procurement_explorer(), harvest=2)
    Traceback (most recent call last):
    ...
    ValueError: unknown control 'harvest'; valid names are: inflation, procurement_rate
    """
    names = {c.name for c in spec.controls}
    for key in start:
        _validate.choice(key, names, "control")
    controls = tuple(replace(c, default=start[c.name]) if c.name in start else c
                     for c in spec.controls)
    return replace(spec, controls=controls)


def explorer(name: str, mode: str | None = None, **start: float) -> ExplorerWidget:
    """Show the course explorer called ``name`` (see :data:`EXPLORERS`).

    Keyword arguments set where sliders start, e.g. ``explorer("procurement",
    inflation=1.5)``; a value outside a slider's range raises ``ValueError``.

    >>> explorer("steel")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: unknown explorer 'steel'; valid names are: canteen, excess_deaths, ...
    """
    spec = EXPLORERS[_validate.choice(name, EXPLORERS, "explorer")]()
    return show(with_start(spec, **start) if start else spec, mode)
