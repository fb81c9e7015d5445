"""The explorer engine: one declarative spec becomes a live widget or a static one.

It knows no course. It imports only the validators, matplotlib (with Pillow, which
matplotlib itself requires) and ipywidgets; the course's explorers are declared in
:mod:`beidaihe_course.explorers`.

An :class:`Explorer` names a model (a pure function), a **chart** and one or two
:class:`Control` s, each with a range and a step. A chart is built once on an Axes,
``chart(ax)``, and then shown any number of results with ``chart.update(result)``, which
changes the data of its artists (bar heights, line data, texts) and returns the artists it
changed. :func:`show` turns a spec into an ipywidget in one of two forms:

``live``
    Sliders that recompute the model and redraw the chart through Python on every move.
    Needs a running kernel.
``static``
    Every combination of control values is precomputed as a small PNG frame (at most
    :data:`MAX_FRAMES`). Frames sit in ``ipywidgets.Stack`` containers and each slider is
    joined to its stack with ``ipywidgets.jslink``, so the browser switches frames with
    no kernel and no custom JavaScript.

**Speed.** Each explorer draws into one reused figure (:class:`Canvas`). The first frame
is drawn in full; the artists that change, and every artist drawn after them, are then
marked animated, the rest is kept as a background bitmap, and each later frame restores
the background and draws only those artists (matplotlib's blitting). A frame is thus
byte-for-byte the frame a fresh figure would give, at a fraction of the cost; the tests
compare the two.

**Which form?** ``show(spec)`` reads the environment variable named by :data:`MODE_VARIABLE`
(``static`` or ``live``; ``live`` if unset). The course's Sphinx extension sets it for book
builds; nothing else does. Pass ``mode=`` to choose explicitly.

>>> Control("x", "Share", 0.0, 1.0, 0.25).values()
[0.0, 0.25, 0.5, 0.75, 1.0]
>>> Control("months", "Months", 0, 6, 1).values()
[0, 1, 2, 3, 4, 5, 6]
"""

from __future__ import annotations

import base64
import html
import io
import itertools
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

import ipywidgets as widgets
import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from beidaihe_course import _validate

MAX_FRAMES = 64
MODES = ("live", "static")
#: The one environment variable that chooses the form (set by the book's extension).
MODE_VARIABLE = "BEIDAIHE_EXPLORERS"
FRAME_SIZE = (5.6, 3.5)  # inches
FRAME_DPI = 96
#: Chart text size in points. With FRAME_SIZE it sets how large the text reads once the
#: browser scales a frame to the page: on a 390 px phone a frame is about 354 px wide, and
#: the smallest text the charts use ("small") still reads at about 8 CSS px.
FONT_SIZE = 11.5
_RC = {"font.size": FONT_SIZE}
DEFAULT_MARGINS = {"left": 0.12, "right": 0.97, "bottom": 0.14, "top": 0.9}
#: Charts use few colours: a 64-colour palette keeps frames 3–4 times smaller than RGB.
PALETTE_COLOURS = 64


class Chart(Protocol):
    """What an explorer draws: built once on an Axes, then updated for each result."""

    def update(self, result: Any) -> Iterable[Any]:
        """Show ``result``; return the artists whose data changed."""


@dataclass(frozen=True)
class Control:
    """A named slider: the model keyword ``name``, a reader-facing ``label`` and a range.

    ``default`` is the starting value (the range's low end if not given); ``fmt`` formats
    a value for the slider's readout and for alt text. A control whose bounds and step
    are whole numbers is a whole-number control: its values are ``int`` in both forms.
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
        for part in ("low", "high", "step"):
            value = getattr(self, part)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise TypeError(f"{part} of control {self.name!r} must be a number; "
                                f"got {type(value).__name__}")
        if not (self.low < self.high and 0 < self.step <= self.high - self.low):
            raise ValueError(f"control {self.name!r} needs low < high and "
                             "0 < step <= high - low")
        start = self.low if self.default is None else self.default
        _validate.number(start, f"default of control {self.name!r}", self.low, self.high)

    @property
    def whole(self) -> bool:
        """True when every value is a whole number (bounds and step are integers)."""
        return all(float(v).is_integer() for v in (self.low, self.high, self.step))

    def values(self) -> list[float]:
        """The slider positions: low to high in steps (rounded to avoid float drift)."""
        count = round((self.high - self.low) / self.step)
        if self.whole:
            return [int(self.low + i * self.step) for i in range(count + 1)]
        return [round(self.low + i * self.step, 10) for i in range(count + 1)]

    def start(self) -> float:
        """The position nearest the default (the low end if no default was given)."""
        start = self.low if self.default is None else self.default
        return min(self.values(), key=lambda v: abs(v - start))

    def show(self, value: float) -> str:
        return self.fmt.format(value)


@dataclass(frozen=True)
class Explorer:
    """A declarative explorer: model, chart, controls, and how to describe a frame.

    ``model(**fixed, **params)`` returns a result; ``chart(ax)`` builds a :class:`Chart`
    whose ``update(result)`` shows it; ``describe(params, result)`` returns alt text for
    that frame. ``margins`` are passed to ``subplots_adjust``: fixed margins keep every
    frame aligned and cost far less than constrained layout.
    """

    title: str
    model: Callable[..., Any]
    chart: Callable[[Any], Chart]
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


def _draw_order(figure: Figure) -> list:
    """The figure's artists in the order matplotlib draws them (by zorder, stable)."""
    order = []
    for axes in sorted(figure.axes, key=lambda a: a.get_zorder()):
        children = [a for a in axes.get_children() if a is not axes.patch]
        order += sorted(children, key=lambda a: a.get_zorder())
    return order


class Canvas:
    """One explorer's reused figure: draws a result and returns (PNG bytes, RGBA bytes).

    The first draw is a full one; later draws restore the background and redraw only the
    layers from the first changed artist upwards (see the module docstring).
    """

    def __init__(self, spec: Explorer) -> None:
        self.figure = Figure(figsize=spec.size, dpi=FRAME_DPI)
        FigureCanvasAgg(self.figure)
        self.figure.subplots_adjust(**spec.margins)
        with matplotlib.rc_context(_RC):  # text sizes are read when artists are made
            self.chart = spec.chart(self.figure.add_subplot())
        self._background = None
        self._layers: list = []

    def draw(self, result: Any) -> bytes:
        """The chart for ``result`` as raw RGBA pixels."""
        with matplotlib.rc_context(_RC):  # and tick labels when they are drawn
            return self._draw(result)

    def _draw(self, result: Any) -> bytes:
        changed = list(self.chart.update(result))
        canvas = self.figure.canvas
        if self._background is None:
            order = _draw_order(self.figure)
            first = min((order.index(a) for a in changed if a in order), default=len(order))
            # Everything drawn after the first changed artist may overlap it, so it is
            # redrawn too; charts put changing artists above the axes (zorder > 1.5) so
            # that the tick labels stay in the background.
            self._layers = order[first:]
            for artist in self._layers:
                artist.set_animated(True)
            canvas.draw()
            self._background = canvas.copy_from_bbox(self.figure.bbox)
        else:
            missing = [a for a in changed if a not in self._layers]
            if missing:
                raise RuntimeError(f"the chart changed artists it did not report at first: "
                                   f"{missing[:3]}")
        canvas.restore_region(self._background)
        for artist in self._layers:
            self.figure.draw_artist(artist)
        return bytes(canvas.buffer_rgba())

    def png(self, result: Any) -> bytes:
        """The chart for ``result`` as a palette PNG (deterministic bytes)."""
        from PIL import Image

        pixels = self.draw(result)
        image = Image.frombuffer("RGBA", self.figure.canvas.get_width_height(), pixels,
                                 "raw", "RGBA", 0, 1).convert("RGB")
        image = image.quantize(colors=PALETTE_COLOURS, method=Image.Quantize.FASTOCTREE,
                               dither=Image.Dither.NONE)
        out = io.BytesIO()
        image.save(out, format="png", compress_level=6)
        return out.getvalue()


def render_png(spec: Explorer, params: dict, canvas: Canvas | None = None
               ) -> tuple[bytes, str]:
    """Compute one setting and return (PNG bytes, alt text). Uses no pyplot state.

    Pass a :class:`Canvas` to reuse its figure (the result is the same bytes).

    >>> class Line:
    ...     def __init__(self, ax):
    ...         (self.line,) = ax.plot([0, 1], [0, 0])
    ...         ax.set_ylim(0, 1)
    ...     def update(self, slope):
    ...         self.line.set_ydata([0, slope])
    ...         return [self.line]
    >>> spec = Explorer("Line", lambda slope: slope, Line,
    ...                 lambda p, r: f"A line of slope {p['slope']}.",
    ...                 (Control("slope", "Slope", 0, 1, 0.5),))
    >>> png, alt = render_png(spec, {"slope": 0.5})
    >>> png[:4] == b"\\x89PNG", alt
    (True, 'A line of slope 0.5.')
    """
    result = spec.compute(params)
    return (canvas or Canvas(spec)).png(result), spec.describe(params, result)


def frames(spec: Explorer) -> list[tuple[bytes, str]]:
    """(PNG, alt text) of every setting, drawn into one reused figure."""
    canvas = Canvas(spec)
    return [render_png(spec, p, canvas) for p in spec.settings()]


class ExplorerWidget(widgets.VBox):
    """A VBox whose plain-text form is a one-line summary, not every frame's bytes."""

    def __init__(self, children: list, summary: str, canvas: Canvas | None = None) -> None:
        super().__init__(children, layout=widgets.Layout(width="100%"))
        self._summary = summary
        #: The live form's figure (``None`` in the static form).
        self.canvas = canvas

    def __repr__(self) -> str:
        return self._summary


def _img_html(png: bytes, alt: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return (f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt, quote=True)}" '
            'style="max-width:100%;height:auto">')


_SLIDER_STYLE = {"description_width": "initial"}


def _slider(control: Control) -> widgets.SelectionSlider:
    options = [(control.show(v), i) for i, v in enumerate(control.values())]
    return widgets.SelectionSlider(
        options=options, value=control.values().index(control.start()),
        description=control.label, continuous_update=True, style=_SLIDER_STYLE,
        layout=widgets.Layout(width="95%"))


def _static(spec: Explorer) -> ExplorerWidget:
    panes = [widgets.HTML(_img_html(png, alt)) for png, alt in frames(spec)]
    sliders = [_slider(c) for c in spec.controls]
    if len(sliders) == 1:
        stack = widgets.Stack(panes, selected_index=sliders[0].index)
        widgets.jslink((sliders[0], "index"), (stack, "selected_index"))
    else:
        inner_size = len(spec.controls[1].values())
        inner = [widgets.Stack(panes[i:i + inner_size], selected_index=sliders[1].index)
                 for i in range(0, len(panes), inner_size)]
        for child in inner:
            widgets.jslink((sliders[1], "index"), (child, "selected_index"))
        stack = widgets.Stack(inner, selected_index=sliders[0].index)
        widgets.jslink((sliders[0], "index"), (stack, "selected_index"))
    title = widgets.HTML(f"<strong>{html.escape(spec.title)}</strong>")
    return ExplorerWidget([title, *sliders, stack],
                          f"Explorer (static, {len(panes)} frames): {spec.title}")


def _live_slider(control: Control) -> widgets.Widget:
    common = {"description": control.label, "continuous_update": True,
              "style": _SLIDER_STYLE, "layout": widgets.Layout(width="95%")}
    if control.whole:  # whole numbers stay whole: an integer slider, in whole steps
        return widgets.IntSlider(value=int(control.start()), min=int(control.low),
                                 max=int(control.high), step=int(control.step), **common)
    return widgets.FloatSlider(value=control.start(), min=control.low, max=control.high,
                               step=control.step / 5, **common)


def _live(spec: Explorer) -> ExplorerWidget:
    sliders = {c.name: _live_slider(c) for c in spec.controls}
    canvas = Canvas(spec)
    frame = widgets.HTML()

    def redraw(_change: object = None) -> None:
        params = {name: slider.value for name, slider in sliders.items()}
        frame.value = _img_html(*render_png(spec, params, canvas))

    for slider in sliders.values():
        slider.observe(redraw, names="value")
    redraw()
    title = widgets.HTML(f"<strong>{html.escape(spec.title)}</strong>")
    return ExplorerWidget([title, *sliders.values(), frame],
                          f"Explorer (live): {spec.title}", canvas)


def show(spec: Explorer, mode: str | None = None) -> ExplorerWidget:
    """Build the widget for ``spec``: ``live`` or ``static`` (see the module docstring)."""
    if not isinstance(spec, Explorer):
        raise TypeError(f"spec must be an Explorer; got {type(spec).__name__}; "
                        "see beidaihe_course.explorers.EXPLORERS for the course's explorers")
    mode = os.environ.get(MODE_VARIABLE, "live") if mode is None else mode
    _validate.choice(mode, MODES, "explorer mode")
    return _static(spec) if mode == "static" else _live(spec)


def frame_sizes(spec: Explorer) -> list[int]:
    """PNG size in bytes of every precomputed frame (for benchmarks and tests)."""
    return [len(png) for png, _alt in frames(spec)]
