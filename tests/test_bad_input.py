"""A table of student mistakes fed to the public API: each gets a clear error naming what is valid.

Every case must raise ``ValueError`` or ``TypeError`` (or, for the command line, exit
non-zero with a message), and the message must contain a hint of what is valid. An error
raised from deep inside pandas or matplotlib would fail the message check.
"""

from __future__ import annotations

import math
import subprocess
import sys

import pandas as pd
import pytest

from beidaihe_course import checks, datasets, explorers, grading, models, pages, plotting, quiz
from beidaihe_course.explorers import Control, explorer

NAN = math.nan

CASES = [
    # datasets
    ("unknown dataset", lambda: datasets.load("crops"), ValueError, "valid names"),
    ("dataset as number", lambda: datasets.load(3), TypeError, "one of"),
    ("dataset as None", lambda: datasets.load(None), TypeError, "one of"),
    ("columns of unknown dataset", lambda: datasets.columns("steel"), ValueError, "valid"),
    ("series of wide dataset", lambda: datasets.list_series("timeline"), ValueError, "valid"),
    ("unknown series", lambda: datasets.load_series("production", "iron"), ValueError,
     "valid names"),
    ("series as list", lambda: datasets.load_series("production", ["steel"]), TypeError,
     "one of"),
    ("dataset as empty text", lambda: datasets.load(""), ValueError, "production"),
    ("series of a wide dataset", lambda: datasets.load_series("timeline", "steel"), ValueError,
     "long-format"),
    # models
    ("inflation below 1", lambda: models.quota_share_of_real_harvest(0.5, 0.25), ValueError,
     "between"),
    ("quota share NaN", lambda: models.quota_share_of_real_harvest(1.5, NAN), ValueError,
     "between"),
    ("quota share as text", lambda: models.quota_share_of_real_harvest(1.5, "a quarter"),
     TypeError, "between"),
    ("procurement rate too high", lambda: models.procurement_squeeze(1.5, 0.9), ValueError,
     "between"),
    ("procurement year outside data", lambda: models.procurement_squeeze(1.5, 0.3, year=1949),
     ValueError, "valid years"),
    ("procurement year as text", lambda: models.procurement_squeeze(1.5, 0.3, year="1959"),
     TypeError, "integer"),
    ("baseline too high", lambda: models.excess_deaths(40, 0.2), ValueError, "between"),
    ("under-registration of 1", lambda: models.excess_deaths(11, 1.0), ValueError, "between"),
    ("under-registration NaN", lambda: models.excess_deaths(11, NAN), ValueError, "between"),
    ("years outside data", lambda: models.excess_deaths(11, 0.2, years=(1940,)), ValueError,
     "years"),
    ("empty years", lambda: models.excess_deaths(11, 0.2, years=()), ValueError, "non-empty"),
    ("years as one int", lambda: models.excess_deaths(11, 0.2, years=1960), TypeError, "tuple"),
    ("diverted share too high", lambda: models.labour_diversion(0.9, 0.2), ValueError,
     "between"),
    ("usable fraction as bool", lambda: models.labour_diversion(0.2, True), TypeError,
     "between"),
    ("canteen months fractional", lambda: models.canteen_drawdown(0.3, 2.5), ValueError,
     "whole number"),
    ("canteen months negative", lambda: models.canteen_drawdown(0.3, -1), ValueError,
     "whole number"),
    ("canteen extra as text", lambda: models.canteen_drawdown("30%", 3), TypeError, "between"),
    ("urban people negative", lambda: models.urban_grain_need(-5, 200), ValueError, "between"),
    ("urban ration infinite", lambda: models.urban_grain_need(20, math.inf), ValueError,
     "between"),
    ("quota share above 1", lambda: models.quota_share_of_real_harvest(2, 1.2), ValueError,
     "between"),
    ("inflation as text", lambda: models.quota_share_of_real_harvest("2", 0.2), TypeError,
     "between"),
    ("canteen months as text", lambda: models.canteen_drawdown(0.3, "3"), TypeError,
     "whole number"),
    ("canteen extra NaN", lambda: models.canteen_drawdown(NAN, 3), ValueError, "between"),
    ("urban ration too high", lambda: models.urban_grain_need(20, 1000), ValueError,
     "between"),
    ("urban people as list", lambda: models.urban_grain_need([20], 200), TypeError,
     "between"),
    ("procurement year after data", lambda: models.procurement_squeeze(1.5, 0.3, year=1970),
     ValueError, "valid years"),
    ("under-registration negative", lambda: models.excess_deaths(11, -0.1), ValueError,
     "between"),
    ("baseline under-registration too high",
     lambda: models.excess_deaths(11, 0.2, baseline_underregistration=0.9), ValueError,
     "between"),
    ("unknown reconstructed baseline", lambda: models.reconstructed_excess_deaths("trend"),
     ValueError, "valid"),
    ("reconstruction years outside data",
     lambda: models.reconstructed_excess_deaths(years=(1950,)), ValueError, "years"),
    ("usable fraction above 1", lambda: models.labour_diversion(0.1, 1.5), ValueError,
     "between"),
    ("diverted share None", lambda: models.labour_diversion(None, 0.5), TypeError, "between"),
    # plotting
    ("plot unknown series", lambda: plotting.plot_series("production", ["coal"]), ValueError,
     "valid names"),
    ("plot series as string", lambda: plotting.plot_series("production", "steel"), TypeError,
     "list"),
    ("plot empty series list", lambda: plotting.plot_series("production", []), TypeError,
     "non-empty"),
    ("plot mixed units", lambda: plotting.plot_series(
        "population", ["crude_birth_rate", "population_yearend"]), ValueError, "one unit"),
    ("plot bad legend place", lambda: plotting.plot_series("production", ["steel"],
                                                           legend_loc="top"), ValueError,
     "upper left"),
    ("plot on a non-Axes", lambda: plotting.plot_series("production", ["steel"], ax="left"),
     TypeError, "Axes"),
    ("targets unknown commodity", lambda: plotting.plot_target_escalation("copper", 1958),
     ValueError, "valid"),
    ("targets year as text", lambda: plotting.plot_target_escalation("steel", "1958"),
     TypeError, "one of"),
    ("squeeze plot of wrong result", lambda: plotting.plot_procurement_squeeze({}), TypeError,
     "returned by models"),
    ("deaths plot of empty frame", lambda: plotting.plot_excess_deaths(pd.DataFrame()),
     TypeError, "returned by models"),
    ("canteen plot of a list", lambda: plotting.plot_canteen_drawdown([100] * 12), TypeError,
     "returned by models"),
    ("targets year outside data", lambda: plotting.plot_target_escalation("steel", 1970),
     ValueError, "valid"),
    ("urban plot of a list", lambda: plotting.plot_urban_grain_need([4.0]), TypeError,
     "returned by models"),
    ("canteen plot of a wrong dict", lambda: plotting.plot_canteen_drawdown({"ration": 1}),
     TypeError, "returned by models"),
    # explorers
    ("unknown explorer", lambda: explorer("steel"), ValueError, "valid names"),
    ("explorer mode unknown", lambda: explorer("labour", mode="video"), ValueError,
     "valid names"),
    ("explorer start outside range", lambda: explorer("procurement", inflation=5),
     ValueError, "between"),
    ("explorer start unknown control", lambda: explorer("procurement", harvest=2), ValueError,
     "valid names"),
    ("show a non-spec", lambda: explorers.show("labour"), TypeError, "Explorer"),
    ("control with bad range", lambda: Control("x", "X", 1.0, 0.0, 0.1), ValueError,
     "low < high"),
    ("control with bad name", lambda: Control("not a name", "X", 0.0, 1.0, 0.1), ValueError,
     "identifier"),
    ("control step of 0", lambda: Control("x", "X", 0, 1, 0), ValueError, "step"),
    ("control default outside range", lambda: Control("x", "X", 0, 1, 0.5, default=5),
     ValueError, "between"),
    ("control bound as text", lambda: Control("x", "X", "0", 1, 0.5), TypeError, "number"),
    # checks
    ("check answer as text", lambda: checks.check_grain_claim_excess("two"), TypeError, "number"),
    ("check answer NaN", lambda: checks.check_procurement_share_rise(NAN), ValueError, "NaN"),
    ("check choice unknown", lambda: checks.check_usable_series("copper"), ValueError,
     "valid names"),
    ("check labels as list", lambda: checks.check_steel_labels(["target"]), TypeError, "dict"),
    ("check answer as list", lambda: checks.check_natural_increase_1960([3028]), TypeError,
     "number"),
    ("check answer as bool", lambda: checks.check_grain_claim_excess(True), TypeError,
     "number"),
    ("check answer NaN (arithmetic)", lambda: checks.check_grain_claim_excess(NAN),
     ValueError, "number"),
    ("unknown check name", lambda: checks.answer_type("check_steel"), ValueError,
     "check_road_labels"),
    # quizzes, pages, grading
    ("unknown quiz", lambda: quiz.questions("99_nowhere"), ValueError, "valid names"),
    ("quiz name as number", lambda: quiz.questions(5), TypeError, "00_road_to_beidaihe"),
    ("timeline unknown category", lambda: pages.timeline_markdown("rumour"), ValueError,
     "valid"),
    ("grading unknown lesson", lambda: grading.exercises("99_nowhere"), ValueError,
     "valid names"),
    ("grading into a non-path", lambda: grading.write_course(42), TypeError, "path"),
]


@pytest.mark.parametrize("case, call, error, hint", CASES, ids=[c[0] for c in CASES])
def test_bad_input_gets_a_clear_error(case, call, error, hint):
    with pytest.raises(error) as raised:
        call()
    assert hint in str(raised.value), f"{case}: message lacks a hint: {raised.value}"
    # the error is raised by the course's own code, not from inside a library
    assert raised.traceback[-1].path.as_posix().count("beidaihe_course") >= 1


def test_the_table_is_large():
    assert len(CASES) >= 40


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "beidaihe_course.cli", *args],
                          capture_output=True, text=True, check=False)


@pytest.mark.parametrize("args, hint", [
    ((), "required"),
    (("lessons",), "directory"),
    (("teleport",), "invalid choice"),
    (("nbgrader-course",), "directory"),
])
def test_cli_bad_arguments_exit_nonzero_with_a_message(args, hint):
    out = _cli(*args)
    assert out.returncode != 0 and hint in out.stderr and "Traceback" not in out.stderr


@pytest.mark.parametrize("command", ["nbgrader-course", "lessons"])
def test_cli_unwritable_folder(tmp_path, command):
    """A folder that cannot be created (its parent is a file: this fails for root too)
    gets a message and exit status 2, never a traceback."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    out = _cli(command, str(blocker / "course"))
    assert out.returncode == 2, out.stdout
    assert "choose a folder you can write to" in out.stderr or "give a folder" in out.stderr
    assert "Traceback" not in out.stderr
