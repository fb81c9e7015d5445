"""Explorer specs, the static (kernel-free) form and the live form."""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from beidaihe_course import explorers, models
from beidaihe_course.explorers import EXPLORERS, Control, Explorer


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


@pytest.mark.parametrize("name", sorted(EXPLORERS))
def test_specs_respect_the_frame_budget(name):
    spec = EXPLORERS[name]()
    assert 1 <= len(spec.controls) <= 2
    assert spec.frame_count() == len(spec.settings()) <= explorers.MAX_FRAMES


@pytest.mark.parametrize("name", sorted(EXPLORERS))
def test_static_form_has_a_frame_per_setting_with_its_own_alt_text(name):
    spec = EXPLORERS[name]()
    widget = explorers.show(spec, mode="static")
    stack = _stack(widget)
    frames = [f for inner in stack.children for f in getattr(inner, "children", [inner])]
    assert len(frames) == spec.frame_count()
    alts = [f.value.split('alt="', 1)[1].split('"', 1)[0] for f in frames]
    assert all(alts) and len(set(alts)) == len(alts), "each setting needs its own description"
    assert all(f.value.startswith('<img src="data:image/png;base64,') for f in frames)
    sliders = [c for c in widget.children if isinstance(c, widgets.SelectionSlider)]
    assert [s.description for s in sliders] == [c.label for c in spec.controls]
    # every slider drives a stack through a client-side link, not a Python callback
    linked = {link.source[0].model_id for link in _links(widget)}
    assert {s.model_id for s in sliders} <= linked


def test_static_frame_matches_the_model_at_that_setting():
    spec = explorers.procurement_explorer()
    widget = explorers.show(spec, mode="static")
    outer = _stack(widget)
    settings = spec.settings()
    inner_size = len(spec.controls[1].values())
    i, j = 2, 3  # an arbitrary setting away from the defaults
    frame = outer.children[i].children[j]
    params = settings[i * inner_size + j]
    expected = models.procurement_squeeze(**params)
    assert f"{expected['grain_left_kg']:.0f} kg of grain per rural person" in frame.value


def test_live_form_recomputes_on_slider_change():
    widget = explorers.show(explorers.procurement_explorer(), mode="live")
    sliders = [c for c in widget.children if isinstance(c, widgets.FloatSlider)]
    frame = widget.children[-1]
    before = frame.value
    sliders[0].value = 2.0
    assert frame.value != before
    expected = models.procurement_squeeze(2.0, sliders[1].value)["grain_left_kg"]
    assert f"{expected:.0f} kg" in frame.value


def test_mode_comes_from_the_environment(monkeypatch):
    spec = explorers.procurement_explorer()
    monkeypatch.setenv("BEIDAIHE_EXPLORERS", "static")
    assert "static" in repr(explorers.show(spec))
    monkeypatch.setenv("BEIDAIHE_EXPLORERS", "live")
    assert "live" in repr(explorers.show(spec))
    monkeypatch.setenv("BEIDAIHE_EXPLORERS", "kernel")
    with pytest.raises(ValueError, match="live, static"):
        explorers.show(spec)


def test_frames_are_compact():
    sizes = explorers.frame_sizes(explorers.excess_deaths_explorer())
    assert max(sizes) < 30_000, "a frame should be a small palette PNG"


@pytest.mark.parametrize("kwargs, error", [
    (dict(name="bad name", label="x", low=0, high=1, step=0.5), ValueError),
    (dict(name="x", label="x", low=1, high=0, step=0.5), ValueError),
    (dict(name="x", label="x", low=0, high=1, step=0), ValueError),
    (dict(name="x", label="x", low=0, high=1, step=0.5, default=5), ValueError),
])
def test_bad_controls(kwargs, error):
    with pytest.raises(error):
        Control(**kwargs)


def test_too_many_frames_or_controls():
    fine = Control("a", "A", 0, 1, 0.01)
    with pytest.raises(ValueError, match="frames"):
        Explorer("t", lambda a: a, lambda r, ax: ax, lambda p, r: "", (fine,))
    with pytest.raises(ValueError, match="one or two controls"):
        Explorer("t", lambda a: a, lambda r, ax: ax, lambda p, r: "", ())


def test_show_rejects_non_specs_and_unknown_names():
    with pytest.raises(TypeError, match="Explorer"):
        explorers.show("procurement")
    with pytest.raises(ValueError, match="procurement"):
        explorers.explorer("furnaces")
