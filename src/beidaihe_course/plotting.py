"""Figures for the lessons: ``plot_<thing>(..., ax=None) -> Axes``.

Every function draws on the ``ax`` it is given (or a new figure's axes), labels its axes
with units, and returns the Axes. Nothing here calls ``plt.show()`` or edits global
rcParams. Colours come from the Okabe–Ito palette, which stays distinguishable for the
common forms of colour-blindness; series also differ by marker and line style.

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> ax = plot_series("production", ["steel"])
>>> ax.get_ylabel()
'Mt'
"""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes

from beidaihe_course import _validate, charts, datasets
from beidaihe_course.charts import BAND_STYLES, PALETTE  # noqa: F401 (part of the API)

MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
LINESTYLES = ("-", "--", "-.", ":")
LEGEND_LOCATIONS = ("best", "upper left", "upper center", "upper right", "center left",
                    "center", "center right", "lower left", "lower center", "lower right")

_LABELS = {
    "steel": "Steel, official (excluding native steel)",
    "steel_claimed": "Steel, claimed at the time (native steel included)",
    "pig_iron_small_plants": "Pig iron from small-scale plants",
    "grain": "Grain, official (1980s yearbooks)",
    "grain_revised": "Grain, revised official series",
    "grain_claimed": "Grain, claimed at the time",
    "procurement_share_gross": "Share of grain output procured (gross)",
    "crude_death_rate": "Death rate, registered (official)",
    "crude_death_rate_banister": "Death rate, Banister's 1984 reconstruction",
    "crude_death_rate_urban": "Death rate, registered, towns",
    "crude_death_rate_rural": "Death rate, registered, countryside",
    "crude_birth_rate": "Birth rate, registered (official)",
}


def _axes(ax: Axes | None) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    elif not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None; got {type(ax).__name__}")
    return ax


def label(series: str) -> str:
    """Return a reader-friendly label for a series name.

    >>> label("grain_revised")
    'Grain, revised official series'
    >>> label("population_yearend")
    'Population yearend'
    """
    return _LABELS.get(series, series.replace("_", " ").capitalize())


def plot_series(name: str, series: list[str], *, ax: Axes | None = None,
                title: str | None = None, legend_loc: str = "best") -> Axes:
    """Plot one or more series of a long-format dataset against year.

    All series must share one unit, which labels the y axis. Years missing from a
    series (not verified) are left as gaps in its line. ``legend_loc`` is passed to
    matplotlib (for example ``"upper left"``) when the default placement hides data.
    """
    if isinstance(series, str) or not isinstance(series, (list, tuple)) or not series:
        raise TypeError("series must be a non-empty list of series names, one or more of: "
                        + ", ".join(datasets.list_series(name)))
    frame = datasets.load(name)
    for s in series:
        _validate.choice(s, datasets.list_series(name), "series")
    _validate.choice(legend_loc, LEGEND_LOCATIONS, "legend_loc")
    units = frame[frame["series"].isin(series)]["unit"].unique()
    if len(units) != 1:
        raise ValueError(f"series {series} have different units {list(units)}; "
                         "plot series with one unit together")
    ax = _axes(ax)
    for i, s in enumerate(series):
        values = datasets.load_series(name, s).sort_index()
        # missing years stay gaps in the line instead of being bridged
        values = values.reindex(range(int(values.index.min()), int(values.index.max()) + 1))
        ax.plot(values.index, values.to_numpy(), color=PALETTE[i % len(PALETTE)],
                marker=MARKERS[i % len(MARKERS)], linestyle=LINESTYLES[i % len(LINESTYLES)],
                label=label(s))
    ax.set_xlabel("Year")
    ax.set_ylabel(units[0])
    ax.legend(frameon=False, loc=legend_loc)
    ax.spines[["top", "right"]].set_visible(False)
    if title:
        ax.set_title(title)
    return ax


def plot_target_escalation(commodity: str = "steel", target_year: int = 1958, *,
                           ax: Axes | None = None) -> Axes:
    """Plot how the target for ``target_year`` rose (or fell) as it was re-set, with output.

    Each target is a point at the date it was set; a range (low and high end) is a
    vertical bar. Horizontal lines show the previous year's official output, the
    output claimed at the time and the official output for ``target_year``, where the
    ``production`` dataset has them.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_target_escalation("steel", 1958)
    >>> ax.get_ylabel()
    'Mt'
    """
    targets = datasets.load("targets")
    _validate.choice(commodity, targets["commodity"].unique(), "commodity")
    years = sorted(targets.loc[targets["commodity"] == commodity, "target_year"].unique())
    if isinstance(target_year, bool) or not isinstance(target_year, int):
        raise TypeError(f"target_year must be an integer year, one of: {years}")
    if target_year not in years:
        raise ValueError(f"no {commodity} targets for {target_year}; valid years are: {years}")
    rows = targets[(targets["commodity"] == commodity) & (targets["target_year"] == target_year)]
    dates = pd.to_datetime(rows["date_set"], format="mixed")
    ax = _axes(ax)
    grouped = rows.assign(when=dates).groupby(["when", "body"], sort=True)["value"]
    lows, highs = grouped.min(), grouped.max()
    whens = [w for w, _ in lows.index]
    ax.vlines(whens, lows.to_numpy(), highs.to_numpy(), color=PALETTE[5], linewidth=3)
    ax.plot(whens, highs.to_numpy(), color=PALETTE[5], marker="o", linestyle="-",
            label=f"Target for {target_year} (bars: ranges)")
    production = datasets.load("production")
    reference = [(commodity, target_year - 1, PALETTE[0], ":"),
                 (f"{commodity}_claimed", target_year, PALETTE[1], "--"),
                 (commodity, target_year, PALETTE[4], "-"),
                 (f"{commodity}_revised", target_year, PALETTE[3], "-.")]
    for series, year, colour, style in reference:
        hit = production[(production["series"] == series) & (production["year"] == year)]
        if not hit.empty:
            ax.axhline(float(hit["value"].iloc[0]), color=colour, linestyle=style,
                       label=f"{label(series)}, {year}")
    ax.set_xlabel("Date the target was set")
    ax.set_ylabel(str(rows["unit"].iloc[0]))
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False, fontsize="small", loc="best")
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(f"{commodity.capitalize()} targets for {target_year}, as they were re-set")
    return ax


def plot_procurement_squeeze(result: dict, *, ax: Axes | None = None) -> Axes:
    """Bar chart of grain left per rural person, from :func:`models.procurement_squeeze`.

    A dotted line marks what would be left at the same procurement rate with an honest
    report (the result's ``honest_grain_left_kg``). The y axis is fixed (0–350 kg) so that
    frames can be compared.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from beidaihe_course.models import procurement_squeeze
    >>> plot_procurement_squeeze(procurement_squeeze(1.5, 0.3)).get_ylabel()
    'kg of grain per rural person per year'
    """
    charts.check(charts.ProcurementChart, result)
    ax = _axes(ax)
    charts.ProcurementChart(ax).update(result)
    return ax


def plot_excess_deaths(result: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """The model's excess deaths beside the published estimates (``famine_estimates``).

    Estimates are grouped by band (registered deaths only, revisionist, scholarly, top of
    the range), each with its own colour and marker and a legend entry, and drawn as
    ranges (a point where an author gives one figure); the model's total is the
    highlighted bar at the top.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from beidaihe_course.models import excess_deaths
    >>> ax = plot_excess_deaths(excess_deaths(10.8, 0.3))
    >>> ax.get_xlabel(), [t.get_text() for t in ax.get_legend().get_texts()][:2]
    ('Excess deaths (million)', ['Registered deaths only', 'Revisionist (low) estimates'])
    """
    charts.check(charts.ExcessDeathsChart, result)
    ax = _axes(ax)
    charts.ExcessDeathsChart(ax).update(result)
    return ax


def plot_labour_diversion(result: dict, *, ax: Axes | None = None) -> Axes:
    """Two bars from :func:`models.labour_diversion`: usable native metal and harvest left.

    Each bar uses its own scale (Mt on the left, percent on the right); both axes are
    fixed so that frames can be compared.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from beidaihe_course.models import labour_diversion
    >>> plot_labour_diversion(labour_diversion(0.2, 0.3)).get_ylabel()
    'Usable native metal (Mt)'
    """
    charts.check(charts.LabourChart, result)
    ax = _axes(ax)
    charts.LabourChart(ax).update(result)
    return ax


def plot_death_rates(provinces: list[str] | None = None, *, ax: Axes | None = None) -> Axes:
    """Registered death rates: the national series and selected provinces, per 1,000.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_death_rates(["Sichuan"])
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['China (national)', 'Sichuan']
    """
    table = datasets.load("provinces")
    valid = sorted(table["province"].unique())
    provinces = valid if provinces is None else provinces
    if isinstance(provinces, str) or not isinstance(provinces, (list, tuple)):
        raise TypeError(f"provinces must be a list of names, from: {', '.join(valid)}")
    for name in provinces:
        _validate.choice(name, valid, "province")
    ax = _axes(ax)
    national = datasets.load_series("population", "crude_death_rate")
    ax.plot(national.index, national.to_numpy(), color=PALETTE[0], linewidth=2.5,
            label="China (national)")
    for i, name in enumerate(provinces, start=1):
        rows = table[table["province"] == name].sort_values("year")
        ax.plot(rows["year"], rows["crude_death_rate"], color=PALETTE[i % len(PALETTE)],
                marker=MARKERS[i % len(MARKERS)], linestyle=LINESTYLES[i % len(LINESTYLES)],
                label=name)
    ax.set_xlabel("Year")
    ax.set_ylabel("Registered deaths per 1,000 people")
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def plot_communes(*, ax: Axes | None = None) -> Axes:
    """Share of peasant households in communes by date, autumn 1958, one point per source.

    Where two sources disagree for the same date, both points are drawn.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> plot_communes().get_ylabel()
    'Peasant households in communes (%)'
    """
    table = datasets.load("communes")
    dates = pd.to_datetime(table["date"])
    ax = _axes(ax)
    for i, (source, rows) in enumerate(table.assign(when=dates).groupby("source", sort=False)):
        ax.plot(rows["when"], rows["household_share_pct"], linestyle="none",
                marker=MARKERS[i % len(MARKERS)], markersize=9, color=PALETTE[(i + 1) % 8],
                label=source)
        for when, share, count in zip(rows["when"], rows["household_share_pct"],
                                      rows["communes"], strict=True):
            ax.annotate(f"{count:,.0f} communes", (when, share), textcoords="offset points",
                        xytext=(6, -14), fontsize="x-small")
    ax.set_ylim(80, 101)
    ax.margins(x=0.15)
    ax.xaxis.set_major_locator(mdates.MonthLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b"))
    ax.set_ylabel("Peasant households in communes (%)")
    ax.set_xlabel("Date (1958)")
    ax.legend(title="Source key", frameon=False, fontsize="x-small", loc="lower right")
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def plot_canteen_drawdown(result: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Monthly canteen rations from :func:`models.canteen_drawdown`, against normal.

    Months of free eating and months after are drawn in different colours and hatching;
    the y axis is fixed (0–200 %) so that frames can be compared.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from beidaihe_course.models import canteen_drawdown
    >>> plot_canteen_drawdown(canteen_drawdown(0.3, 3)).get_ylabel()
    'Ration (% of normal)'
    """
    charts.check(charts.CanteenChart, result)
    ax = _axes(ax)
    charts.CanteenChart(ax).update(result)
    return ax


def plot_urban_grain_need(result: dict, *, ax: Axes | None = None) -> Axes:
    """Extra grain for new town dwellers (:func:`models.urban_grain_need`), stacked on
    the state's gross procurement of 1957.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from beidaihe_course.models import urban_grain_need
    >>> plot_urban_grain_need(urban_grain_need(20, 200)).get_xlabel()
    'Grain the state must procure (Mt a year)'
    """
    charts.check(charts.UrbanGrainChart, result)
    ax = _axes(ax)
    charts.UrbanGrainChart(ax).update(result)
    return ax


#: The provincial-level units of 1960 on a tile grid: (column, row), west to east and north
#: to south. Not a map of boundaries: each unit is one square, placed near its real
#: position. The units are those of 1960: Chongqing inside Sichuan, Hainan inside
#: Guangdong, Tianjin inside Hebei (1958-67), Ningxia (from October 1958) and Guangxi (from
#: March 1958) as autonomous regions, Tibet under its Preparatory Committee. Taiwan, not
#: administered by the People's Republic, is not drawn.
TILES_1960 = {
    "Heilongjiang": (7, 0),
    "Inner Mongolia": (4, 1), "Beijing": (5, 1), "Jilin": (7, 1),
    "Xinjiang": (1, 2), "Gansu": (2, 2), "Ningxia": (3, 2), "Shanxi": (4, 2), "Hebei": (5, 2),
    "Liaoning": (6, 2),
    "Qinghai": (2, 3), "Shaanxi": (3, 3), "Henan": (4, 3), "Shandong": (5, 3),
    "Tibet": (1, 4), "Sichuan": (3, 4), "Hubei": (4, 4), "Anhui": (5, 4), "Jiangsu": (6, 4),
    "Shanghai": (7, 4),
    "Yunnan": (2, 5), "Guizhou": (3, 5), "Hunan": (4, 5), "Jiangxi": (5, 5), "Zhejiang": (6, 5),
    "Guangxi": (3, 6), "Guangdong": (4, 6), "Fujian": (5, 6),
}


#: Names split over two lines so that they fit their tile.
_TILE_NAMES = {"Inner Mongolia": "Inner\nMongolia", "Heilongjiang": "Heilong-\njiang",
               "Guangdong": "Guang-\ndong"}


def plot_province_map(year: int = 1960, *, ax: Axes | None = None) -> Axes:
    """A tile-grid map of registered provincial death rates in ``year`` (``provinces``).

    Each provincial-level unit of 1960 is one square (:data:`TILES_1960`), shaded by its
    registered death rate where the course has a verified figure, and marked "no verified
    figure" otherwise; a tile grid is used because sourced boundaries of 1960 could not be
    shipped with the course. The colour scale runs from 0 to 70 per 1,000 in every year.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_province_map(1960)
    >>> [t.get_text() for t in ax.texts if "68.6" in t.get_text()]
    ['Anhui\\n68.6']
    """
    table = datasets.load("provinces")
    years = sorted(int(y) for y in table["year"].unique())
    if isinstance(year, bool) or not isinstance(year, int):
        raise TypeError(f"year must be an integer year, one of: {years}")
    if year not in years:
        raise ValueError(f"no provincial death rates for {year}; valid years are: {years}")
    rates = table[table["year"] == year].set_index("province")["crude_death_rate"]
    ax = _axes(ax)
    cmap = plt.get_cmap("cividis_r")
    norm = plt.Normalize(0, 70)
    for name, (col, row) in TILES_1960.items():
        known = name in rates.index
        colour = cmap(norm(float(rates[name]))) if known else "#f2f2f2"
        ax.add_patch(plt.Rectangle((col, -row), 0.94, 0.94, facecolor=colour,
                                   edgecolor="#777777", linewidth=0.6,
                                   hatch=None if known else "///"))
        dark = known and norm(float(rates[name])) > 0.55
        shown = _TILE_NAMES.get(name, name)
        text = f"{shown}\n{float(rates[name]):.1f}" if known else shown
        ax.text(col + 0.47, -row + 0.47, text, ha="center", va="center", fontsize=6.5,
                color="white" if dark else "black",
                bbox=None if known else {"boxstyle": "round,pad=0.15", "fc": "white",
                                         "ec": "none", "alpha": 0.9})
    ax.set_xlim(0.9, 8.1)
    ax.set_ylim(-6.2, 1.1)
    ax.set_aspect("equal")
    ax.axis("off")
    mappable = plt.cm.ScalarMappable(norm=norm, cmap=cmap)
    bar = ax.figure.colorbar(mappable, ax=ax, shrink=0.7)
    bar.set_label(f"Registered deaths per 1,000, {year}")
    ax.set_title(f"Registered death rates by province, {year} "
                 "(hatched: no verified figure)", fontsize="medium")
    return ax


def plot_metal_1958(*, ax: Axes | None = None) -> Axes:
    """Steel and pig iron in 1958 (``production``): what was claimed, what was counted.

    The steel bar is the 1958 claim (``steel_claimed``) split into the steel counted
    without native steel (``steel``) and the remainder, the native steel in the claim; a
    second bar shows the pig iron of small-scale plants (``pig_iron_small_plants``).

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_metal_1958()
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['Steel, 1958', 'Pig iron from small-scale plants, 1958']
    """
    def value(series: str) -> float:
        return float(datasets.load_series("production", series).loc[1958])

    counted, claimed = value("steel"), value("steel_claimed")
    iron = value("pig_iron_small_plants")
    ax = _axes(ax)
    ax.bar([0], [counted], color=PALETTE[4], width=0.55,
           label="Steel counted without native steel")
    ax.bar([0], [claimed - counted], bottom=[counted], color=PALETTE[1], hatch="//", width=0.55,
           label="Native steel in the claim (claimed minus counted)")
    ax.bar([1], [iron], color=PALETTE[3], width=0.55, label="Pig iron from small-scale plants")
    for x, top, text in ((0, counted, f"{counted:.1f}"), (0, claimed, f"{claimed:.2f} claimed"),
                         (1, iron, f"{iron:.1f}")):
        ax.text(x + 0.3, top, text, va="center", fontsize="small")
    ax.set_xticks([0, 1], ["Steel, 1958", "Pig iron from small-scale plants, 1958"])
    ax.set_xlim(-0.5, 1.9)
    ax.set_ylim(0, 13)
    ax.set_ylabel("Mt")
    ax.legend(frameon=False, loc="upper right", fontsize="small")
    ax.spines[["top", "right"]].set_visible(False)
    return ax
