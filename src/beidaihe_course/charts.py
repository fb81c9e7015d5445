"""Charts that redraw in place: the five explorer charts, built once and then updated.

Each class is built on an Axes (``Chart(ax)``), draws everything that never changes (axes,
labels, reference lines, legend) and creates the artists that do, and
``update(result)`` sets their data from a model result and returns them. The explorer
engine reuses one figure per explorer and redraws only what ``update`` returns, so a
frame costs a fraction of a fresh figure; :mod:`beidaihe_course.plotting` draws the same
charts once for a lesson (``plot_canteen_drawdown`` and the others).

Changing artists sit above the axes' ticks and labels (zorder 1.6 for bars, 3 for texts),
so those stay in the background bitmap; legends that never change and never overlap a
changing artist sit below them (zorder 1.55) for the same reason.

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> from matplotlib.figure import Figure
>>> from beidaihe_course.models import canteen_drawdown
>>> chart = CanteenChart(Figure().add_subplot())
>>> changed = chart.update(canteen_drawdown(0.5, 4))
>>> [round(bar.get_height()) for bar in chart.bars][:5]
[150, 150, 150, 150, 75]
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from beidaihe_course import datasets

#: Okabe & Ito's colour-blind-safe palette (black first for the reference series).
PALETTE = ("#000000", "#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7",
           "#F0E442")
#: Colour and marker of each band of published estimates in :class:`ExcessDeathsChart`.
BAND_STYLES = {"registered": (PALETTE[0], "s"), "revisionist": (PALETTE[6], "v"),
               "scholarly": (PALETTE[2], "o"), "upper": (PALETTE[1], "^")}
_BAR_Z = 1.6   # above the axis (1.5), below reference lines (2)
_TEXT_Z = 3
_STILL_Z = 1.55  # a fixed legend clear of every changing artist: kept in the background


def check(chart: type, result: Any) -> None:
    """Raise ``TypeError`` unless ``result`` is what ``chart`` draws (its ``RESULT``:
    type, a key it must have, and the model that returns it)."""
    kind, key, model = chart.RESULT
    if not isinstance(result, kind) or key not in result:
        raise TypeError(f"result must be the {kind.__name__} returned by models.{model}")


class CanteenChart:
    """Monthly canteen rations (:func:`models.canteen_drawdown`) against normal, 0–200 %."""

    RESULT = (pd.DataFrame, "ration_pct", "canteen_drawdown")

    PHASES = {"eating freely": (PALETTE[1], "//"), "rationed": (PALETTE[4], None)}

    def __init__(self, ax: Axes) -> None:
        self.bars = list(ax.bar(range(1, 13), [0] * 12, width=0.8, zorder=_BAR_Z))
        ax.axhline(100, color=PALETTE[0], linestyle=":")
        ax.set_ylim(0, 200)
        ax.set_xticks(range(1, 13))
        ax.set_xlabel("Months after the autumn harvest")
        ax.set_ylabel("Ration (% of normal)")
        handles = [Patch(facecolor=c, hatch=h, label=f"Months {p}")
                   for p, (c, h) in self.PHASES.items()]
        handles.append(Line2D([], [], color=PALETTE[0], linestyle=":", label="Normal ration"))
        ax.legend(handles=handles, frameon=False, loc="upper right").set_zorder(_STILL_Z)
        ax.spines[["top", "right"]].set_visible(False)
        self.title = ax.set_title(" ", fontsize="small")

    def update(self, result: pd.DataFrame) -> list:
        check(type(self), result)
        for bar, ration, phase in zip(self.bars, result["ration_pct"], result["phase"],
                                      strict=True):
            colour, hatch = self.PHASES[phase]
            bar.set_height(ration)
            bar.set_facecolor(colour)
            bar.set_hatch(hatch)
        rationed = result.loc[result["phase"] == "rationed", "ration_pct"]
        if len(rationed) and len(rationed) < len(result):
            self.title.set_text(f"After eating freely, {rationed.iloc[0]:.0f} % of a normal "
                                "ration until the next harvest")
        elif len(rationed):
            self.title.set_text("A normal ration every month")
        else:
            self.title.set_text("Eating freely all year")
        return [*self.bars, self.title]


class ProcurementChart:
    """Grain left per rural person (:func:`models.procurement_squeeze`), 0–350 kg, with
    what an honest report would have left at the same rate."""

    RESULT = (dict, "grain_left_kg", "procurement_squeeze")

    def __init__(self, ax: Axes) -> None:
        (self.bar,) = ax.bar(["Left per rural person"], [0], color=PALETTE[4], width=0.5,
                             zorder=_BAR_Z)
        self.value = ax.text(0, 0, "", ha="center", fontsize="large", zorder=_TEXT_Z)
        self.honest = ax.axhline(0, color=PALETTE[0], linestyle=":", label=" ")
        self.legend = ax.legend(frameon=False, loc="upper right")
        ax.set_ylim(0, 350)
        ax.set_ylabel("kg of grain per rural person per year")
        ax.spines[["top", "right"]].set_visible(False)
        self.title = ax.set_title(" ", fontsize="small")

    def update(self, result: dict) -> list:
        check(type(self), result)
        left, honest = result["grain_left_kg"], result["honest_grain_left_kg"]
        self.bar.set_height(left)
        inside = left > 40  # inside the bar's top, clear of the honest-report line
        self.value.set_y(left - 22 if inside else left + 8)
        self.value.set_color("white" if inside else "black")
        self.value.set_text(f"{left:.0f} kg")
        self.honest.set_ydata([honest, honest])
        self.legend.get_texts()[0].set_text(f"Same rate, honest report: {honest:.0f} kg")
        self.title.set_text(f"State takes {result['share_of_real_pct']:.0f} % of the real "
                            f"harvest ({result['procured_mt']:.0f} of "
                            f"{result['real_harvest_mt']:.0f} Mt)")
        return [self.bar, self.value, self.honest, self.legend, self.title]


class ExcessDeathsChart:
    """The model's excess deaths beside the published estimates (``famine_estimates``),
    grouped by band, each with its own colour, marker and legend entry."""

    RESULT = (pd.DataFrame, "excess_deaths_m", "excess_deaths")

    def __init__(self, ax: Axes) -> None:
        estimates = datasets.load("famine_estimates")
        labels: list[str] = []
        for band, label in datasets.ESTIMATE_BANDS.items():
            rows = estimates[estimates["band"] == band].sort_values(["low", "high"])
            colour, marker = BAND_STYLES[band]
            positions = list(range(len(labels), len(labels) + len(rows)))
            ax.hlines(positions, rows["low"], rows["high"], color=colour, linewidth=4)
            ax.plot(rows["low"], positions, marker, color=colour, linestyle="none",
                    label=label)
            labels += [f"{a} ({y:.0f})" for a, y in zip(rows["author"],
                                                         rows["year_published"], strict=True)]
        top = len(labels) + 0.5
        (self.bar,) = ax.barh([top], [0], height=0.9, color=PALETTE[5], label="This model",
                              zorder=_TEXT_Z)
        self.value = ax.text(0, top, "", va="center", zorder=_TEXT_Z)
        ax.set_yticks([*range(len(labels)), top], [*labels, "This model"], fontsize="small")
        ax.set_xlim(0, 60)
        ax.set_xlabel("Excess deaths (million)")
        # below the axes, where it hides no estimate
        ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, 0.14), ncol=2,
                  bbox_transform=ax.figure.transFigure, fontsize="small",
                  columnspacing=1.0).set_zorder(_STILL_Z)
        ax.spines[["top", "right"]].set_visible(False)

    def update(self, result: pd.DataFrame) -> list:
        check(type(self), result)
        total = float(result["excess_deaths_m"].sum())
        self.bar.set_width(total)
        self.value.set_x(total + 0.6)
        self.value.set_text(f"{total:.1f} million")
        return [self.bar, self.value]


class LabourChart:
    """Native metal and usable metal (left, Mt) against the harvest left in the fields
    (right, %), from :func:`models.labour_diversion`; both axes fixed. The harvest bar is
    drawn on the same axes, scaled, with a secondary axis in percent."""

    RESULT = (dict, "usable_native_mt", "labour_diversion")
    MT_TOP, PCT_TOP = 6, 50

    def __init__(self, ax: Axes) -> None:
        (self.total,) = ax.bar([0], [0], color="white", edgecolor=PALETTE[4], width=0.6,
                               linestyle="--", zorder=_BAR_Z)
        (self.usable,) = ax.bar([0], [0], color=PALETTE[4], width=0.6, zorder=_BAR_Z)
        (self.harvest,) = ax.bar([1], [0], color=PALETTE[5], width=0.6, hatch="//",
                                 zorder=_BAR_Z)
        self.metal = ax.text(0, 0, "", ha="center", fontsize="small", zorder=_TEXT_Z)
        self.share = ax.text(1, 0, "", ha="center", zorder=_TEXT_Z)
        ax.set_ylim(0, self.MT_TOP)
        ax.set_ylabel("Usable native metal (Mt)")
        scale = self.PCT_TOP / self.MT_TOP
        right = ax.secondary_yaxis("right", functions=(lambda mt: mt * scale,
                                                       lambda pct: pct / scale))
        right.set_ylabel("Autumn harvest left in the fields (%)")
        ax.set_xticks([0, 1], ["Native metal, 1958\n(dashed: all of it)",
                               "Harvest left unharvested"])
        ax.spines[["top"]].set_visible(False)
        self.title = ax.set_title(" ", fontsize="small")

    def _mt(self, pct: float) -> float:
        return pct * self.MT_TOP / self.PCT_TOP

    def update(self, result: dict) -> list:
        check(type(self), result)
        native, usable = result["native_metal_mt"], result["usable_native_mt"]
        left = result["harvest_left_pct"]
        self.total.set_height(native)
        self.usable.set_height(usable)
        self.metal.set_y(native + 0.1)
        self.metal.set_text(f"{usable:.1f} of {native:.1f} Mt usable")
        self.harvest.set_height(self._mt(left))
        self.share.set_y(self._mt(left + 1))
        self.share.set_text(f"{left:.0f} %")
        self.title.set_text(f"{result['diverted_share']:.0%} of the rural population at "
                            "the furnaces")
        return [self.total, self.usable, self.harvest, self.metal, self.share, self.title]


class UrbanGrainChart:
    """Extra grain for new town dwellers (:func:`models.urban_grain_need`), stacked on
    the state's gross procurement of 1957."""

    RESULT = (dict, "extra_grain_mt", "urban_grain_need")

    def __init__(self, ax: Axes) -> None:
        (self.base,) = ax.barh([0], [0], color=PALETTE[2], height=0.5,
                               label="Gross procurement, 1957", zorder=_BAR_Z)
        (self.extra,) = ax.barh([0], [0], color=PALETTE[5], height=0.5, hatch="//",
                                label="Extra for new town dwellers", zorder=_BAR_Z)
        self.value = ax.text(0, 0, "", va="center", zorder=_TEXT_Z)
        ax.set_xlim(0, 90)
        ax.set_ylim(-0.8, 1.4)
        ax.set_yticks([])
        ax.set_xlabel("Grain the state must procure (Mt a year)")
        ax.legend(frameon=False, loc="upper right", fontsize="small").set_zorder(_STILL_Z)
        ax.spines[["top", "right", "left"]].set_visible(False)
        self.title = ax.set_title(" ", fontsize="small")

    def update(self, result: dict) -> list:
        check(type(self), result)
        base, extra = result["procurement_1957_mt"], result["extra_grain_mt"]
        self.base.set_width(base)
        self.extra.set_x(base)
        self.extra.set_width(extra)
        self.value.set_x(base + extra + 0.8)
        self.value.set_text(f"+{extra:.1f} Mt\n(+{result['share_of_1957_procurement_pct']:.0f} %)")
        self.title.set_text(f"{result['new_urban_million']:g} million new town dwellers at "
                            f"{result['ration_kg']:g} kg a year each")
        return [self.base, self.extra, self.value, self.title]
