"""Self-checks for students: ``check_<exercise>(answer) -> CheckResult``.

Each check is declared once, as data, in a private table: the kind of answer it takes (a
number, one choice from a list, or a label for each of several figures), how the right
answer follows from the course datasets, a tolerance, and the messages. A wrong answer
earns a hint that points to the method or to the evidence, never to the answer. Students
pass their answer explicitly; nothing reads the caller's variables.

Most checks ask for judgement with the data, not only arithmetic: which series answers a
question, which label a figure deserves (a **target** set in advance, a **claim** made at
the time, or a **count** made later), which source supports a statement. Their kinds are
listed in :data:`KINDS`.

>>> check_grain_claim_excess(10).passed
False
>>> print(check_grain_claim_excess("ninety"))
Traceback (most recent call last):
...
TypeError: answer must be a number (int or float); got str
"""

from __future__ import annotations

import html
import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass, field

from beidaihe_course import _validate, datasets
from beidaihe_course.i18n import N_, gettext

#: The labels a figure can take in the "target, claim or count?" exercises.
LABELS = ("target", "claim", "count")


@dataclass(frozen=True)
class CheckResult:
    """The outcome of a self-check: whether it passed, a message, and a hint if not."""

    passed: bool
    message: str
    hint: str = ""

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        mark = gettext("Correct") if self.passed else gettext("Not yet")
        text = gettext("{mark}: {message}").format(mark=mark, message=self.message)
        if self.hint:
            text += "\n" + gettext("Hint: {hint}").format(hint=self.hint)
        return text

    def _repr_html_(self) -> str:
        colour = "#006d2c" if self.passed else "#8c2d04"
        mark = gettext("Correct") if self.passed else gettext("Not yet")
        label, hint_label = gettext("{mark}:").format(mark=mark), gettext("Hint:")
        hint = f"<br><strong>{hint_label}</strong> {html.escape(self.hint)}" if self.hint else ""
        return (f'<div role="status" style="border-left:4px solid {colour};padding:0.4em">'
                f"<strong>{label}</strong> {html.escape(self.message)}{hint}</div>")


@dataclass(frozen=True)
class _Exercise:
    """One auto-checked exercise, declared as data (see the module docstring)."""

    kind: str                      # "arithmetic" or "judgement"
    answer: str                    # "number", "choice" or "labels"
    expected: Callable[[], object]
    right: str
    hint: str
    tolerance: float = 0.0
    options: Callable[[], tuple[str, ...]] = field(default=lambda: ())
    items: tuple[str, ...] = ()    # for "labels": the figures to label, by key


# --- How each right answer follows from the data (private: no answer is printed) --------

def _series(name: str, series: str, year: int) -> float:
    return float(datasets.load_series(name, series).loc[year])


def _targets(**where: object):
    frame = datasets.load("targets")
    for column, value in where.items():
        frame = frame[frame[column] == value]
    return frame


def _target_factor_1962() -> float:
    steel = _targets(commodity="steel", target_year=1962)
    beidaihe = steel[steel["body"].str.startswith("Beidaihe")]["value"].max()
    return float(beidaihe / steel[steel["date_set"] == "1956-09"]["value"].max())


def _grain_claim_excess() -> float:
    return (_series("production", "grain_claimed", 1958)
            / _series("production", "grain_revised", 1958) - 1) * 100


def _registered_excess_1960() -> float:
    from beidaihe_course.models import excess_deaths

    baseline = _series("population", "crude_death_rate", 1957)
    return float(excess_deaths(baseline, 0.0, years=(1960,))["excess_deaths_m"].iloc[0])


def _procurement_rise() -> float:
    return (_series("procurement", "procurement_share_gross", 1959)
            - _series("procurement", "procurement_share_gross", 1958))


def _natural_increase_1960() -> float:
    return (_series("population", "crude_birth_rate", 1960)
            - _series("population", "crude_death_rate", 1960))


def _label_of(dataset: str, series: str = "") -> str:
    """A figure's label from where the course keeps it: a target in ``targets``, a claim
    in a ``*_claimed`` series, otherwise a later count."""
    if dataset == "targets":
        return "target"
    return "claim" if series.endswith("_claimed") else "count"


#: Where each labelled figure lives in the data (dataset, series).
_FIGURES = {
    "congress_1962": ("targets", ""), "beidaihe_1962": ("targets", ""),
    "claimed_1958": ("production", "steel_claimed"), "output_1962": ("production", "steel"),
    "february_plan_1958": ("targets", ""), "beidaihe_1958": ("targets", ""),
    "counted_1958": ("production", "steel"),
}


def _labels(*keys: str) -> Callable[[], dict]:
    return lambda: {k: _label_of(*_FIGURES[k]) for k in keys}


def _communique_baseline() -> str:
    """The 1957 series against which 300-350 Mt is a 60-90 % rise."""
    def misfit(series: str) -> float:
        base = _series("production", series, 1957)
        return abs(300 / base - 1.6) + abs(350 / base - 1.9)
    return min(("grain_claimed", "grain"), key=misfit)


def _december_source() -> str:
    communes = datasets.load("communes")
    return str(communes.sort_values("date")["source"].iloc[-1])


def _doubled_first() -> str:
    """The province whose registered death rate first reached twice its 1957 rate."""
    table = datasets.load("provinces")
    first: dict[str, int] = {}
    for name, rows in table.groupby("province"):
        rates = rows.set_index("year")["crude_death_rate"]
        if 1957 in rates.index:
            doubled = [y for y in rates.index if y > 1957 and rates[y] >= 2 * rates[1957]]
            if doubled:
                first[str(name)] = min(doubled)
    return min(first, key=lambda name: (first[name], name))


def _mixed_baseline_direction() -> str:
    from beidaihe_course.models import excess_deaths

    consistent = excess_deaths(10.8, 0.3)["excess_deaths_m"].sum()
    mixed = excess_deaths(10.8, 0.3, baseline_underregistration=0.0)["excess_deaths_m"].sum()
    if math.isclose(mixed, consistent):
        return "the same"
    return "higher" if mixed > consistent else "lower"


def _first_target_without_native_steel() -> float:
    steel = _targets(commodity="steel", target_year=1959)
    excluding = steel[steel["note"].str.contains("excluding native steel")]
    return float(excluding.sort_values("date_set")["value"].iloc[0])


def _artefact_band() -> str:
    estimates = datasets.load("famine_estimates")
    return str(estimates[estimates["method"].str.contains("artefact")]["band"].iloc[0])


def _provinces() -> tuple[str, ...]:
    return tuple(sorted(datasets.load("provinces")["province"].unique()))


_EXERCISES: dict[str, _Exercise] = {
    # Lesson 0
    "1962_target_factor": _Exercise(
        "arithmetic", "number", _target_factor_1962, tolerance=0.15,
        right=N_("in under two years the steel target for 1962 was multiplied roughly eightfold."),
        hint=N_("In 'targets', keep steel targets for 1962. Take the highest set at Beidaihe and "
             "divide it by the highest proposed in 1956-09.")),
    "road_labels": _Exercise(
        "judgement", "labels", _labels("congress_1962", "beidaihe_1962", "claimed_1958",
                                       "output_1962"),
        options=lambda: LABELS, items=("congress_1962", "beidaihe_1962", "claimed_1958",
                                       "output_1962"),
        right=N_("a target is set before the work, a claim is made while it is under way or "
              "just after, and a count is made later by statisticians."),
        hint=N_("Look at where each figure lives: a row in 'targets' was set in advance; a "
             "series whose name ends in '_claimed' was announced at the time; the other "
             "'production' series are later official counts.")),
    # Lesson 1
    "communique_baseline": _Exercise(
        "judgement", "choice", _communique_baseline,
        options=lambda: ("grain", "grain_claimed"),
        right=N_("the communiqué measured its 60-90 % rise against the 1957 harvest as it was "
              "claimed at the time, not against the later official figure."),
        hint=N_("Work out 300 and 350 Mt as a percentage rise over the 1957 value of each "
             "series, and see which gives 60 % and 90 %.")),
    # Lesson 2
    "december_source": _Exercise(
        "judgement", "choice", _december_source,
        options=lambda: tuple(sorted(datasets.load("communes")["source"].unique())),
        right=N_("the Wuchang resolution of 10 December 1958 is the source for 'over 99 %' at "
              "the end of the year."),
        hint=N_("Find the row dated in December 1958 and read its 'source' column; the "
             "'note' column quotes the document's words.")),
    # Lesson 3
    "grain_claim_excess": _Exercise(
        "arithmetic", "number", _grain_claim_excess, tolerance=1.5,
        right=N_("the claim was close to double the grain actually harvested."),
        hint=N_("Take the claimed 1958 harvest ('grain_claimed'), divide it by the revised "
             "official 1958 figure ('grain_revised'), subtract 1 and multiply by 100. Give "
             "the answer in percent, not as a fraction.")),
    "steel_labels": _Exercise(
        "judgement", "labels", _labels("february_plan_1958", "beidaihe_1958", "claimed_1958",
                                       "counted_1958"),
        options=lambda: LABELS, items=("february_plan_1958", "beidaihe_1958", "claimed_1958",
                                       "counted_1958"),
        right=N_("two targets, one claim and one later count: only the count measures steel "
              "that could be used."),
        hint=N_("A target is set before the year's work; a claim announces a result at the "
             "time; a count was made later, excluding what could not be used. Check which "
             "dataset and series holds each figure.")),
    # Lesson 4
    "furnace_product": _Exercise(
        "judgement", "choice", lambda: "pig iron",
        options=lambda: ("pig iron", "steel", "wrought iron"),
        right=N_("the small furnaces mostly made pig iron, much of it unusable; 'native steel' "
              "was then made from some of that iron."),
        hint=N_("Reread 'Context' and the voice in this lesson: what comes out of a blast "
             "furnace, before any steelmaking?")),
    "usable_series": _Exercise(
        "judgement", "choice", lambda: "steel",
        options=lambda: tuple(datasets.list_series("production")),
        right=N_("the official series excludes native steel, so it answers 'how much steel "
              "could be used?'; the claimed series answers 'how much was reported?'."),
        hint=N_("Read the series descriptions on the data sources page: which one leaves out "
             "the metal from the small native furnaces?")),
    # Lesson 5
    "construction_labels": _Exercise(
        "judgement", "labels",
        lambda: {"workers_january_1958": "claim", "irrigated_february_1958": "claim",
                 "accumulation_1959": "count", "urban_1960": "count"},
        options=lambda: ("claim", "count"),
        items=("workers_january_1958", "irrigated_february_1958", "accumulation_1959",
               "urban_1960"),
        right=N_("the campaign's own reports were claims made while it ran; the statistical "
              "series were compiled later."),
        hint=N_("Ask who produced each figure and when: a magazine during the campaign, or a "
             "statistical compilation published afterwards?")),
    # Lesson 6
    "registered_excess_deaths_1960": _Exercise(
        "arithmetic", "number", _registered_excess_1960, tolerance=0.3,
        right=N_("the registers alone imply close to ten million excess deaths in 1960 — and "
              "they missed many deaths."),
        hint=N_("Subtract the 1957 death rate from the 1960 rate (both per 1,000), then "
             "multiply by the average of the 1959 and 1960 year-end populations (million) "
             "and divide by 1,000. Answer in millions.")),
    "mixed_baseline": _Exercise(
        "judgement", "choice", _mixed_baseline_direction,
        options=lambda: ("higher", "lower", "the same"),
        right=N_("an uncorrected baseline set against corrected famine-year deaths inflates the "
              "toll: the normal deaths the registers missed are counted as famine deaths."),
        hint=N_("Run excess_deaths twice with the same under-registration, once as it is and "
             "once with baseline_underregistration=0.0, and compare the totals.")),
    "first_doubled_province": _Exercise(
        "judgement", "choice", _doubled_first, options=_provinces,
        right=N_("the registered death rate doubled there already in 1958, a year before the "
              "national famine years."),
        hint=N_("For each province, divide each year's rate by its 1957 rate and find the first "
             "year the ratio reaches 2.")),
    # Lesson 7
    "procurement_share_rise": _Exercise(
        "arithmetic", "number", _procurement_rise, tolerance=0.2,
        right=N_("the state took a much larger share of a smaller harvest in 1959."),
        hint=N_("Subtract the 1958 value of 'procurement_share_gross' (in the 'procurement' "
             "dataset) from the 1959 value. The answer is in percentage points, not percent.")),
    "native_steel_excluded": _Exercise(
        "judgement", "number", _first_target_without_native_steel, tolerance=0.05,
        right=N_("after Lushan the 1959 target was cut and, for the first time, counted without "
              "native steel."),
        hint=N_("In 'targets', keep the steel targets for 1959 and read their 'note' column: "
             "which one says what it leaves out?")),
    # Lesson 8
    "natural_increase_1960": _Exercise(
        "arithmetic", "number", _natural_increase_1960, tolerance=0.05,
        right=N_("in 1960 registered deaths outnumbered registered births: the population "
              "shrank."),
        hint=N_("Subtract the 1960 'crude_death_rate' from the 1960 'crude_birth_rate' (both in "
             "'population', per 1,000). Keep the sign.")),
    "artefact_band": _Exercise(
        "judgement", "choice", _artefact_band,
        options=lambda: tuple(datasets.ESTIMATE_BANDS),
        right=N_("the revisionist estimates treat most of the registered fall as a paper "
              "artefact of migration and late registration."),
        hint=N_("Read the 'method' column of 'famine_estimates': which rows explain the fall "
             "in population by registration rather than by deaths?")),
}

#: Each check's kind: "arithmetic" (a computation) or "judgement" (which series, label,
#: source or direction the evidence supports).
KINDS = {f"check_{name}": spec.kind for name, spec in _EXERCISES.items()}


def answer_type(check: str) -> str:
    """What a check takes: "number", "choice" (one string) or "labels" (a dict).

    >>> answer_type("check_road_labels")
    'labels'
    """
    return _spec(check).answer


def options(check: str) -> tuple[str, ...]:
    """The valid answers of a "choice" check, or the valid labels of a "labels" check.

    >>> options("check_mixed_baseline")
    ('higher', 'lower', 'the same')
    """
    return tuple(_spec(check).options())


def items(check: str) -> tuple[str, ...]:
    """The figures a "labels" check asks about, by key (empty for other checks).

    >>> items("check_steel_labels")[0]
    'february_plan_1958'
    """
    return _spec(check).items


def _spec(check: str) -> _Exercise:
    name = _validate.choice(check, KINDS, "check")
    return _EXERCISES[name.removeprefix("check_")]


def _number(answer: object) -> float:
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        raise TypeError("answer must be a number (int or float); "
                        f"got {type(answer).__name__}")
    if math.isnan(answer):
        raise ValueError("answer must be a number, not NaN")
    return float(answer)


def _run(name: str, answer: object) -> CheckResult:
    spec = _EXERCISES[name]
    hint, passed = gettext(spec.hint), CheckResult(True, gettext(spec.right))
    if answer is None:
        return CheckResult(False, gettext("no answer yet: replace None with your answer."),
                           hint)
    if spec.answer == "number":
        value = _number(answer)
        if abs(value - float(spec.expected())) <= spec.tolerance:
            return passed
        return CheckResult(False, gettext("{value} is not what the data give.").format(
            value=f"{value:g}"), hint)
    if spec.answer == "choice":
        chosen = _validate.choice(answer, spec.options(), "answer")
        if chosen == spec.expected():
            return passed
        return CheckResult(False, gettext("{answer} is not what the evidence supports.")
                           .format(answer=repr(chosen)), hint)
    labels = _labelled(answer, spec.items, spec.options())
    expected = spec.expected()
    right = sum(labels[k] == expected[k] for k in spec.items)
    if right == len(spec.items):
        return passed
    return CheckResult(False, gettext("{right} of {count} labels are right.").format(
        right=right, count=len(spec.items)), hint)


def _labelled(answer: object, keys: tuple[str, ...], labels: tuple[str, ...]) -> dict:
    shape = ("a dict giving a label for each of: " + ", ".join(keys)
             + f"; labels are: {', '.join(labels)}")
    if not isinstance(answer, dict):
        raise TypeError(f"answer must be {shape}; got {type(answer).__name__}")
    if set(answer) != set(keys):
        raise ValueError(f"answer must be {shape}; got keys {sorted(map(str, answer))}")
    for key in keys:
        _validate.choice(answer[key], labels, f"label for {key!r}")
    return answer


def check_1962_target_factor(answer: float) -> CheckResult:
    """Lesson 0: the factor between the Beidaihe and the 1956 Congress steel targets for 1962.

    >>> check_1962_target_factor(None).passed
    False
    """
    return _run("1962_target_factor", answer)


def check_road_labels(answer: dict) -> CheckResult:
    """Lesson 0: label four figures as target, claim or count.

    >>> check_road_labels({"congress_1962": "rumour"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: answer must be a dict giving a label for each of: congress_1962, ...
    """
    return _run("road_labels", answer)


def check_communique_baseline(answer: str) -> CheckResult:
    """Lesson 1: which 1957 grain series makes the communiqué's "60-90 %" right.

    >>> check_communique_baseline("wheat")
    Traceback (most recent call last):
    ...
    ValueError: unknown answer 'wheat'; valid names are: grain, grain_claimed
    """
    return _run("communique_baseline", answer)


def check_december_source(answer: str) -> CheckResult:
    """Lesson 2: the source key in ``communes`` for "over 99 %" in December 1958.

    >>> check_december_source(None).passed
    False
    """
    return _run("december_source", answer)


def check_grain_claim_excess(answer: float) -> CheckResult:
    """Lesson 3: by how many percent the 1958 grain claim exceeded the revised figure.

    >>> check_grain_claim_excess(None).passed
    False
    """
    return _run("grain_claim_excess", answer)


def check_steel_labels(answer: dict) -> CheckResult:
    """Lesson 3: label four 1958 steel figures as target, claim or count.

    >>> check_steel_labels({"february_plan_1958": "claim"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: answer must be a dict giving a label for each of: february_plan_1958, ...
    """
    return _run("steel_labels", answer)


def check_furnace_product(answer: str) -> CheckResult:
    """Lesson 4: what the small native furnaces mostly made.

    >>> check_furnace_product("bronze")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: unknown answer 'bronze'; valid names are: pig iron, steel, wrought iron
    """
    return _run("furnace_product", answer)


def check_usable_series(answer: str) -> CheckResult:
    """Lesson 4: which ``production`` series answers "how much steel could be used in 1958?".

    >>> check_usable_series(None).passed
    False
    """
    return _run("usable_series", answer)


def check_construction_labels(answer: dict) -> CheckResult:
    """Lesson 5: label four figures of 1958-60 as a claim made at the time or a later count.

    >>> check_construction_labels(["claim"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    TypeError: answer must be a dict giving a label for each of: workers_january_1958, ...
    """
    return _run("construction_labels", answer)


def check_registered_excess_deaths_1960(answer: float) -> CheckResult:
    """Lesson 6: excess deaths in 1960 implied by the registered rates (million).

    >>> check_registered_excess_deaths_1960(None).passed
    False
    """
    return _run("registered_excess_deaths_1960", answer)


def check_mixed_baseline(answer: str) -> CheckResult:
    """Lesson 6: does an uncorrected baseline make the toll higher, lower or the same?

    >>> check_mixed_baseline(None).passed
    False
    """
    return _run("mixed_baseline", answer)


def check_first_doubled_province(answer: str) -> CheckResult:
    """Lesson 6: the province whose registered death rate first reached twice its 1957 level.

    >>> check_first_doubled_province("Hebei")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: unknown answer 'Hebei'; valid names are: ...
    """
    return _run("first_doubled_province", answer)


def check_procurement_share_rise(answer: float) -> CheckResult:
    """Lesson 7: the 1958→1959 rise in the procured share of grain (percentage points).

    >>> check_procurement_share_rise(None).passed
    False
    """
    return _run("procurement_share_rise", answer)


def check_native_steel_excluded(answer: float) -> CheckResult:
    """Lesson 7: the first 1959 steel target that left native steel out (Mt).

    >>> check_native_steel_excluded(None).passed
    False
    """
    return _run("native_steel_excluded", answer)


def check_natural_increase_1960(answer: float) -> CheckResult:
    """Lesson 8: the registered natural increase of 1960 (per 1,000; it may be negative).

    >>> check_natural_increase_1960(None).passed
    False
    """
    return _run("natural_increase_1960", answer)


def check_artefact_band(answer: str) -> CheckResult:
    """Lesson 8: which band of estimates reads the 1960 fall as a registration artefact.

    >>> check_artefact_band(None).passed
    False
    """
    return _run("artefact_band", answer)

