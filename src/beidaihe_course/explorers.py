"""Explorers: one declarative spec becomes a live widget in Jupyter and a static one in the book.

An :class:`Explorer` names a model (a pure function from :mod:`models`), a plot function
``plot(result, ax=...)`` and one or two :class:`Control` s, each with a range and a step.
:func:`show` turns it into an ipywidget in one of two forms:

``live``
    Sliders that recompute the model and redraw the chart through Python on every move
    (continuous updates). Needs a running kernel.
``static``
    Every combination of control values is precomputed as a small PNG frame (at most
    :data:`MAX_FRAMES`). Frames sit in ``ipywidgets.Stack`` containers and each slider is
    joined to its stack with ``ipywidgets.jslink``, so the browser switches frames with
    no kernel and no custom JavaScript. With two controls, the first slider picks a
    stack of stacks and the second is linked to every inner stack.

**Which form?** ``show(spec)`` reads the ``BEIDAIHE_EXPLORERS`` environment variable:
``static`` or ``live`` (the default, for learners in Jupyter). The book build
(``make book`` and the book tests) sets ``BEIDAIHE_EXPLORERS=static``, so the published
pages carry the precomputed form. Pass ``mode=`` to choose explicitly.

Every frame is an ``<img>`` with alt text written by the spec's ``describe`` function for
that setting; every slider has a visible label that names it for screen readers.

>>> from beidaihe_course.explorers import Control
>>> Control("x", "Share", 0.0, 1.0, 0.25).values()
[0.0, 0.25, 0.5, 0.75, 1.0]
"""

from __future__ import annotations

import base64
import html
import io
import itertools
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import ipywidgets as widgets
import matplotlib
from matplotlib.figure import Figure

from beidaihe_course import _validate

MAX_FRAMES = 64
MODES = ("live", "static")
FRAME_SIZE = (6.4, 3.6)  # inches
FRAME_DPI = 96
DEFAULT_MARGINS = {"left": 0.12, "right": 0.97, "bottom": 0.14, "top": 0.9}


class ExplorerWidget(widgets.VBox):
    """A VBox whose plain-text form is a one-line summary, not every frame's bytes."""

    def __init__(self, children: list, summary: str) -> None:
        super().__init__(children, layout=widgets.Layout(width="100%"))
        self._summary = summary

    def __repr__(self) -> str:
        return self._summary


@dataclass(frozen=True)
class Control:
    """A named slider: the model keyword ``name``, a reader-facing ``label`` and a range.

    ``default`` is the starting value (the range's low end if not given); ``fmt`` formats
    a value for the slider's readout and for alt text.
    """

    name: str
    label: str
    low: float
    high: float
    step: float
    default: float | None = None
    fmt: str = "{:g}"

    def __post_init__(self) -> None:
        if not self.name.isidentifier():
            raise ValueError(f"control name must be a Python identifier; got {self.name!r}")
        if not (self.low < self.high and 0 < self.step <= self.high - self.low):
            raise ValueError(f"control {self.name!r} needs low < high and "
                             "0 < step <= high - low")
        start = self.low if self.default is None else self.default
        _validate.number(start, f"default of control {self.name!r}", self.low, self.high)

    def values(self) -> list[float]:
        """The slider positions: low to high in steps (rounded to avoid float drift)."""
        count = round((self.high - self.low) / self.step)
        return [round(self.low + i * self.step, 10) for i in range(count + 1)]

    def start(self) -> float:
        """The position nearest the default (the low end if no default was given)."""
        start = self.low if self.default is None else self.default
        return min(self.values(), key=lambda v: abs(v - start))

    def show(self, value: float) -> str:
        return self.fmt.format(value)


@dataclass(frozen=True)
class Explorer:
    """A declarative explorer: model, plot, controls, and how to describe a frame.

    ``model(**params)`` returns a result; ``plot(result, ax=ax)`` draws it;
    ``describe(params, result)`` returns alt text for that frame. ``fixed`` holds model
    keywords that are not controls. ``margins`` are passed to ``subplots_adjust``: fixed
    margins keep every frame aligned and cost far less than constrained layout.
    """

    title: str
    model: Callable[..., Any]
    plot: Callable[..., Any]
    describe: Callable[[dict, Any], str]
    controls: tuple[Control, ...]
    fixed: dict = field(default_factory=dict)
    margins: dict = field(default_factory=lambda: dict(DEFAULT_MARGINS))
    size: tuple[float, float] = FRAME_SIZE

    def __post_init__(self) -> None:
        if not 1 <= len(self.controls) <= 2:
            raise ValueError("an explorer has one or two controls; "
                             f"got {len(self.controls)}")
        if self.frame_count() > MAX_FRAMES:
            raise ValueError(f"{self.frame_count()} frames is more than {MAX_FRAMES}; "
                             "use larger steps or fewer controls")

    def frame_count(self) -> int:
        count = 1
        for control in self.controls:
            count *= len(control.values())
        return count

    def settings(self) -> list[dict]:
        """Every combination of control values, first control varying slowest."""
        grids = [c.values() for c in self.controls]
        return [dict(zip([c.name for c in self.controls], combo, strict=True))
                for combo in itertools.product(*grids)]

    def compute(self, params: dict) -> Any:
        return self.model(**self.fixed, **params)


def render_png(spec: Explorer, params: dict) -> tuple[bytes, str]:
    """Compute one setting and return (PNG bytes, alt text). Uses no pyplot state.

    >>> from beidaihe_course.explorers import Explorer, Control
    >>> spec = Explorer("Line", lambda slope: slope, lambda r, ax: ax.plot([0, 1], [0, r]),
    ...                 lambda p, r: f"A line of slope {p['slope']}.",
    ...                 (Control("slope", "Slope", 0, 1, 0.5),))
    >>> png, alt = render_png(spec, {"slope": 0.5})
    >>> png[:4] == b"\\x89PNG", alt
    (True, 'A line of slope 0.5.')
    """
    result = spec.compute(params)
    fig = Figure(figsize=spec.size, dpi=FRAME_DPI)
    fig.subplots_adjust(**spec.margins)
    spec.plot(result, ax=fig.add_subplot())
    buffer = io.BytesIO()
    with matplotlib.rc_context({"savefig.dpi": FRAME_DPI}):
        fig.savefig(buffer, format="png", metadata={"Software": None})
    return _quantize(buffer.getvalue()), spec.describe(params, result)


def _quantize(png: bytes) -> bytes:
    """Shrink a chart PNG to a 64-colour palette (charts use few colours; 3–4x smaller)."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=64, dither=0)
    out = io.BytesIO()
    image.save(out, format="png", optimize=True)
    return out.getvalue()


def _img_html(png: bytes, alt: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return (f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt, quote=True)}" '
            'style="max-width:100%;height:auto">')


def _slider(control: Control) -> widgets.SelectionSlider:
    options = [(control.show(v), i) for i, v in enumerate(control.values())]
    slider = widgets.SelectionSlider(
        options=options, value=control.values().index(control.start()),
        description=control.label, continuous_update=True,
        style={"description_width": "initial"}, layout=widgets.Layout(width="95%"))
    return slider


def _static(spec: Explorer) -> ExplorerWidget:
    frames = [widgets.HTML(_img_html(*render_png(spec, p))) for p in spec.settings()]
    sliders = [_slider(c) for c in spec.controls]
    if len(sliders) == 1:
        stack = widgets.Stack(frames, selected_index=sliders[0].index)
        widgets.jslink((sliders[0], "index"), (stack, "selected_index"))
    else:
        inner_size = len(spec.controls[1].values())
        inner = [widgets.Stack(frames[i:i + inner_size], selected_index=sliders[1].index)
                 for i in range(0, len(frames), inner_size)]
        for child in inner:
            widgets.jslink((sliders[1], "index"), (child, "selected_index"))
        stack = widgets.Stack(inner, selected_index=sliders[0].index)
        widgets.jslink((sliders[0], "index"), (stack, "selected_index"))
    title = widgets.HTML(f"<strong>{html.escape(spec.title)}</strong>")
    return ExplorerWidget([title, *sliders, stack],
                          f"Explorer (static, {len(frames)} frames): {spec.title}")


def _live(spec: Explorer) -> ExplorerWidget:
    sliders = {c.name: widgets.FloatSlider(value=c.start(), min=c.low, max=c.high,
                                           step=c.step / 5, description=c.label,
                                           continuous_update=True,
                                           style={"description_width": "initial"},
                                           layout=widgets.Layout(width="95%"))
               for c in spec.controls}
    frame = widgets.HTML()

    def redraw(_change: object = None) -> None:
        frame.value = _img_html(*render_png(spec, {k: s.value for k, s in sliders.items()}))

    for slider in sliders.values():
        slider.observe(redraw, names="value")
    redraw()
    title = widgets.HTML(f"<strong>{html.escape(spec.title)}</strong>")
    return ExplorerWidget([title, *sliders.values(), frame], f"Explorer (live): {spec.title}")


def show(spec: Explorer, mode: str | None = None) -> ExplorerWidget:
    """Build the widget for ``spec``: ``live`` or ``static`` (see the module docstring)."""
    if not isinstance(spec, Explorer):
        raise TypeError(f"spec must be an Explorer; got {type(spec).__name__}; "
                        "see beidaihe_course.explorers.EXPLORERS for the course's explorers")
    mode = os.environ.get("BEIDAIHE_EXPLORERS", "live") if mode is None else mode
    _validate.choice(mode, MODES, "explorer mode")
    return _static(spec) if mode == "static" else _live(spec)


def frame_sizes(spec: Explorer) -> list[int]:
    """PNG size in bytes of every precomputed frame (for benchmarks and tests)."""
    return [len(render_png(spec, p)[0]) for p in spec.settings()]



# --- The course's explorers -------------------------------------------------------------

def _describe_squeeze(params: dict, result: dict) -> str:
    return (f"Bar chart. With the harvest reported at {params['inflation']:g} times its real "
            f"size and {params['procurement_rate']:.0%} of the reported harvest procured, the "
            f"state takes {result['share_of_real_pct']:.0f} % of the real harvest, "
            f"{result['procured_mt']:.0f} of {result['real_harvest_mt']:.0f} million tonnes, "
            f"leaving {result['grain_left_kg']:.0f} kg of grain per rural person for the "
            "year.")


def _plot_squeeze(result: dict, ax: Any) -> Any:
    from beidaihe_course import models, plotting

    honest = models.procurement_squeeze(1.0, result["procurement_rate"])["grain_left_kg"]
    return plotting.plot_procurement_squeeze(result, ax=ax, honest_kg=honest)


def _squeeze_model(inflation: float, procurement_rate: float) -> dict:
    from beidaihe_course import models

    return {**models.procurement_squeeze(inflation, procurement_rate),
            "procurement_rate": procurement_rate}


def procurement_explorer() -> Explorer:
    """Inflated reports and the procurement rate, 1959 (see models.procurement_squeeze)."""
    return Explorer(
        title="Procurement on an inflated report: grain left in the villages, 1959",
        model=_squeeze_model, plot=_plot_squeeze, describe=_describe_squeeze,
        controls=(Control("inflation", "Reported ÷ real harvest", 1.0, 2.0, 0.25, 1.0,
                          "{:.2f}×"),
                  Control("procurement_rate", "Share of reported harvest procured", 0.15,
                          0.45, 0.05, 0.25, "{:.0%}")))


def _describe_deaths(params: dict, result: Any) -> str:
    from beidaihe_course import datasets

    total = float(result["excess_deaths_m"].sum())
    estimates = datasets.load("famine_estimates")
    ranges = []
    for band, label in datasets.ESTIMATE_BANDS.items():
        rows = estimates[estimates["band"] == band]
        ranges.append(f"{label.lower()} {rows['low'].min():g} to {rows['high'].max():g}")
    return (f"Chart. Taking normal mortality as {params['baseline_rate']:g} per 1,000 on the "
            f"registers and assuming the registers missed {params['underregistration']:.0%} "
            "of all deaths, in normal years and in 1959–61 alike, the official death rates "
            f"imply {total:.1f} million excess deaths in 1959–61. Published estimates, in "
            f"million: {'; '.join(ranges)}.")


def _plot_deaths(result: Any, ax: Any) -> Any:
    from beidaihe_course import plotting

    return plotting.plot_excess_deaths(result, ax=ax)


def excess_deaths_explorer() -> Explorer:
    """Baseline and under-registration against the published estimates."""
    from beidaihe_course import models

    return Explorer(
        title="How many excess deaths? Baseline mortality and under-registration, 1959–61",
        model=models.excess_deaths, plot=_plot_deaths, describe=_describe_deaths,
        controls=(Control("baseline_rate", "Normal death rate (per 1,000)", 9.0, 13.0, 1.0,
                          11.0, "{:g}"),
                  Control("underregistration", "Share of all deaths the registers missed",
                          0.0, 0.6, 0.1, 0.0, "{:.0%}")),
        margins={**DEFAULT_MARGINS, "left": 0.34, "bottom": 0.1, "top": 0.97},
        size=(6.4, 4.8))


def _describe_labour(params: dict, result: dict) -> str:
    return (f"Bar chart. With {params['diverted_share']:.0%} of the rural population at the "
            f"furnaces, they make {result['native_metal_mt']:.1f} million tonnes of native "
            f"metal; if {params['usable_fraction']:.0%} of it is usable, that is "
            f"{result['usable_native_mt']:.1f} million tonnes, while "
            f"{result['harvest_left_pct']:.0f} % of the autumn harvest is left in the fields.")


def _plot_labour(result: dict, ax: Any) -> Any:
    from beidaihe_course import plotting

    return plotting.plot_labour_diversion(result, ax=ax)


def labour_explorer() -> Explorer:
    """Labour at the furnaces: usable metal against the harvest left in the fields."""
    from beidaihe_course import models

    return Explorer(
        title="Furnaces or fields? Usable native metal against the harvest left standing, 1958",
        model=models.labour_diversion, plot=_plot_labour, describe=_describe_labour,
        controls=(Control("diverted_share", "Share of rural people at the furnaces", 0.0,
                          0.3, 0.05, 0.15, "{:.0%}"),
                  Control("usable_fraction", "Share of native metal that is usable", 0.0,
                          0.6, 0.1, 0.0, "{:.0%}")),
        margins={**DEFAULT_MARGINS, "right": 0.88})


def _describe_canteen(params: dict, result: Any) -> str:
    after = result.loc[result["phase"] == "rationed", "ration_pct"]
    rest = (f"{after.iloc[0]:.0f} % of a normal ration for the remaining "
            f"{len(after)} months" if len(after) else "and no months are left to ration")
    return (f"Bar chart of monthly rations. Eating {params['extra_eaten']:.0%} more than "
            f"normal for {params['free_months']:g} months after the harvest leaves the "
            f"canteen {rest}.")


def _plot_canteen(result: Any, ax: Any) -> Any:
    from beidaihe_course import plotting

    return plotting.plot_canteen_drawdown(result, ax=ax)


def _canteen_model(extra_eaten: float, free_months: float) -> Any:
    from beidaihe_course import models

    return models.canteen_drawdown(extra_eaten, int(free_months))


def canteen_explorer() -> Explorer:
    """Eating freely after the harvest, and what is left for the rest of the year."""
    return Explorer(
        title="Eat freely now, ration later? A canteen's year after the 1958 harvest",
        model=_canteen_model, plot=_plot_canteen, describe=_describe_canteen,
        controls=(Control("extra_eaten", "Eaten above a normal ration", 0.0, 0.6, 0.1, 0.3,
                          "{:.0%}"),
                  Control("free_months", "Months of eating freely", 0, 6, 1, 3, "{:g}")))


def _describe_urban(params: dict, result: dict) -> str:
    return (f"Bar chart. Feeding {params['new_urban_million']:g} million new town dwellers "
            f"at {params['ration_kg']:g} kg of grain a year each needs "
            f"{result['extra_grain_mt']:.1f} million tonnes more procurement, "
            f"{result['share_of_1957_procurement_pct']:.0f} % on top of the "
            f"{result['procurement_1957_mt']:.1f} million tonnes procured in 1957.")


def _plot_urban(result: dict, ax: Any) -> Any:
    from beidaihe_course import plotting

    return plotting.plot_urban_grain_need(result, ax=ax)


def urban_grain_explorer() -> Explorer:
    """New town dwellers and the grain the state must procure to feed them."""
    from beidaihe_course import models

    return Explorer(
        title="Feeding the new towns: extra grain the state must procure",
        model=models.urban_grain_need, plot=_plot_urban, describe=_describe_urban,
        controls=(Control("new_urban_million", "New town dwellers (million)", 0, 35, 5, 20,
                          "{:g}"),
                  Control("ration_kg", "Grain ration per town dweller (kg a year)", 150, 300,
                          50, 200, "{:g}")),
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
