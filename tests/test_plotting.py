"""Plots return Axes, draw on a given ax, and label what they show."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest
from matplotlib.axes import Axes

from beidaihe_course import plotting


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_plot_series_draws_on_given_ax_with_labels():
    _, ax = plt.subplots()
    out = plotting.plot_series("population", ["crude_birth_rate", "crude_death_rate"], ax=ax)
    assert out is ax
    assert ax.get_xlabel() == "Year" and ax.get_ylabel() == "per 1,000"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == [plotting.label("crude_birth_rate"), plotting.label("crude_death_rate")]
    assert all("registered" in text for text in labels)
    assert len(ax.lines) == 2


def test_plot_series_creates_axes_when_none_given():
    assert isinstance(plotting.plot_series("production", ["steel"]), Axes)


def test_target_escalation_plots_targets_and_reference_output():
    _, ax = plt.subplots()
    plotting.plot_target_escalation("steel", 1958, ax=ax)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("Target for 1958" in lab for lab in labels)
    assert any("claimed" in lab for lab in labels)
    target_line = ax.lines[0]
    assert max(target_line.get_ydata()) == pytest.approx(10.7)
    assert ax.get_ylabel() == "Mt" and ax.get_title()


def test_palette_is_okabe_ito():
    assert plotting.PALETTE[:3] == ("#000000", "#E69F00", "#56B4E9")


def test_a_valid_legend_location_is_used():
    ax = plotting.plot_series("production", ["steel"], legend_loc="upper left")
    assert ax.get_legend() is not None
