"""The explorer engine (tested with a toy spec) and the course's five explorers.

Rendering every frame of every course explorer is marked slow; the engine's behaviour is
tested fast on a toy chart.
"""

from __future__ import annotations

import re
from pathlib import Path

import ipywidgets as widgets
import pytest

from beidaihe_course import _engine, explorers, models
from beidaihe_course.explorers import EXPLORERS, Control, Explorer


class ToyChart:
    """A line whose end moves, a text that says where, and a still reference line."""

    def __init__(self, ax):
        (self.line,) = ax.plot([0, 1], [0, 0], zorder=2)
        ax.axhline(0.5, color="grey", zorder=1.6)
        self.label = ax.text(0.5, 0.9, "", zorder=3)
        ax.set_ylim(0, 2)

    def update(self, result):
        self.line.set_ydata([0, result])
        self.label.set_text(f"end at {result:g}")
        return [self.line, self.label]


def toy(**overrides) -> Explorer:
    spec = dict(title="Toy", model=lambda slope, steps=1: slope * steps, chart=ToyChart,
                describe=lambda p, r: f"A line ending at {r:g}.",
                controls=(Control("slope", "Slope", 0.0, 1.0, 0.5),
                          Control("steps", "Steps", 1, 2, 1)))
    return Explorer(**{**spec, **overrides})


def _links(widget) -> list:
    """Every jslink whose source or target is a child of ``widget`` (ipywidgets registry)."""
    ids = set()

    def walk(w):
        ids.add(w.model_id)
        for child in getattr(w, "children", ()):
            walk(child)

    walk(widget)
    return [w for w in widgets.widget._instances.values()
            if isinstance(w, widgets.widget_link.Link) and w.source[0].model_id in ids]


def _stack(widget) -> widgets.Stack:
    return next(c for c in widget.children if isinstance(c, widgets.Stack))


def _frames(widget) -> list:
    return [f for inner in _stack(widget).children for f in getattr(inner, "children", [inner])]


def _alt(frame) -> str:
    return frame.value.split('alt="', 1)[1].split('"', 1)[0]


# --- The engine, on a toy spec ----------------------------------------------------------

def test_static_form_has_a_frame_per_setting_with_its_own_alt_text():
    spec = toy()
    widget = _engine.show(spec, mode="static")
    frames = _frames(widget)
    assert len(frames) == spec.frame_count() == 6
    alts = [_alt(f) for f in frames]
    assert alts == [f"A line ending at {p['slope'] * p['steps']:g}." for p in spec.settings()]
    assert all(f.value.startswith('<img src="data:image/png;base64,') for f in frames)
    sliders = [c for c in widget.children if isinstance(c, widgets.SelectionSlider)]
    assert [s.description for s in sliders] == ["Slope", "Steps"]
    linked = {link.source[0].model_id for link in _links(widget)}
    assert {s.model_id for s in sliders} <= linked, "sliders must switch frames client-side"


def test_a_reused_figure_gives_the_bytes_of_a_fresh_one():
    """Frames drawn one after another into one figure (background plus changed layers)
    are pixel for pixel, and PNG byte for byte, the frames of a fresh figure."""
    spec = toy()
    canvas = _engine.Canvas(spec)
    for params in spec.settings()[::-1]:
        result = spec.compute(params)
        assert canvas.draw(result) == _engine.Canvas(spec).draw(result), params
        assert canvas.png(result) == _engine.Canvas(spec).png(result), params


def test_a_chart_that_reports_a_new_changing_artist_later_is_caught():
    """Layers are fixed at the first frame; an artist first reported later, drawn below
    them, would be painted in the wrong order, so the engine refuses it."""
    class Late(ToyChart):
        def update(self, result):
            changed = super().update(result)
            return changed if result else changed[1:]  # the line only from frame two

    canvas = _engine.Canvas(toy(chart=Late))
    canvas.draw(0.0)
    with pytest.raises(RuntimeError, match="did not report"):
        canvas.draw(1.0)


def test_live_form_recomputes_and_keeps_whole_numbers_whole():
    widget = _engine.show(toy(), mode="live")
    slope, steps = widget.children[1:3]
    assert isinstance(slope, widgets.FloatSlider) and isinstance(steps, widgets.IntSlider)
    assert steps.step == 1
    frame = widget.children[-1]
    slope.value = 0.8
    steps.value = 2
    assert _alt(frame) == "A line ending at 1.6."
    assert widget.canvas.chart.label.get_text() == "end at 1.6"


def test_mode_comes_from_the_environment(monkeypatch):
    spec = toy()
    monkeypatch.setenv(_engine.MODE_VARIABLE, "static")
    assert "static" in repr(_engine.show(spec))
    monkeypatch.setenv(_engine.MODE_VARIABLE, "live")
    assert "live" in repr(_engine.show(spec))
    monkeypatch.delenv(_engine.MODE_VARIABLE)
    assert "live" in repr(_engine.show(spec))
    monkeypatch.setenv(_engine.MODE_VARIABLE, "kernel")
    with pytest.raises(ValueError, match="live, static"):
        _engine.show(spec)


def test_the_engine_knows_no_course():
    source = Path(_engine.__file__).read_text(encoding="utf-8")
    imports = set(re.findall(r"^(?:from|import) ([\w.]+)", source, re.M))
    assert imports <= {"__future__", "base64", "html", "io", "itertools", "os",
                       "collections.abc", "dataclasses", "typing", "ipywidgets",
                       "matplotlib", "matplotlib.backends.backend_agg", "matplotlib.figure",
                       "beidaihe_course"}, imports
    assert re.findall(r"^from beidaihe_course import (.+)$", source, re.M) == ["_validate"]


def test_too_many_frames_or_controls():
    fine = Control("a", "A", 0, 1, 0.01)
    with pytest.raises(ValueError, match="frames"):
        toy(controls=(fine,))
    with pytest.raises(ValueError, match="one or two controls"):
        toy(controls=())


# --- The course's explorers -------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(EXPLORERS))
def test_specs_respect_the_frame_budget(name):
    spec = EXPLORERS[name]()
    assert 1 <= len(spec.controls) <= 2
    assert spec.frame_count() == len(spec.settings()) <= explorers.MAX_FRAMES


def test_live_canteen_shows_whole_months_that_add_up_to_a_year():
    """The months slider moves in whole months: chart and alt text agree, and the free
    and rationed months make twelve."""
    widget = explorers.explorer("canteen", mode="live")
    months = next(c for c in widget.children if getattr(c, "description", "") ==
                  "Months of eating freely")
    assert isinstance(months, widgets.IntSlider) and months.step == 1
    free_colour = widget.canvas.chart.bars[0].get_facecolor()
    for value in (0, 2, 3, 5, 6):
        months.value = value
        alt = _alt(widget.children[-1])
        said = re.search(r"for (\d+) months after the harvest", alt)
        rest = re.search(r"for the remaining (\d+) months", alt)
        free_bars = sum(bar.get_facecolor() == free_colour and bar.get_hatch() == "//"
                        for bar in widget.canvas.chart.bars)
        assert said and int(said.group(1)) == value == free_bars, alt
        assert int(said.group(1)) + int(rest.group(1)) == 12, alt


def test_live_procurement_recomputes_on_slider_change():
    widget = explorers.explorer("procurement", mode="live")
    sliders = [c for c in widget.children if isinstance(c, widgets.FloatSlider)]
    frame = widget.children[-1]
    before = frame.value
    sliders[0].value = 2.0
    assert frame.value != before
    expected = models.procurement_squeeze(2.0, sliders[1].value)["grain_left_kg"]
    assert f"{expected:.0f} kg" in _alt(frame)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXPLORERS))
def test_every_course_frame_is_the_frame_of_a_fresh_figure(name):
    spec = EXPLORERS[name]()
    canvas = _engine.Canvas(spec)
    for params in spec.settings():
        result = spec.compute(params)
        assert canvas.draw(result) == _engine.Canvas(spec).draw(result), (name, params)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXPLORERS))
def test_course_static_form_has_a_compact_frame_and_alt_text_per_setting(name):
    spec = EXPLORERS[name]()
    frames = _frames(explorers.show(spec, mode="static"))
    assert len(frames) == spec.frame_count()
    alts = [_alt(f) for f in frames]
    assert all(alts) and len(set(alts)) == len(alts), "each setting needs its own description"
    sizes = explorers.frame_sizes(spec)
    assert max(sizes) < 30_000, "a frame should be a small palette PNG"


@pytest.mark.slow
def test_static_frame_matches_the_model_at_that_setting():
    spec = explorers.procurement_explorer()
    outer = _stack(explorers.show(spec, mode="static"))
    inner_size = len(spec.controls[1].values())
    i, j = 2, 3  # an arbitrary setting away from the defaults
    params = spec.settings()[i * inner_size + j]
    expected = models.procurement_squeeze(**params)
    assert (f"{expected['grain_left_kg']:.0f} kg of grain per rural person"
            in _alt(outer.children[i].children[j]))
