"""Self-checks for students: ``check_<exercise>(answer) -> CheckResult``.

A check compares the student's answer with a value computed from the course datasets,
so it stays right if a dataset is corrected. A wrong answer earns a hint that points
to the method, never to the number. Students pass their answer explicitly.

>>> check_steel_doubling(1.5).passed
False
>>> print(check_steel_doubling("two"))
Traceback (most recent call last):
...
TypeError: answer must be a number (int or float); got str
"""

from __future__ import annotations

import html
import math
import numbers
from dataclasses import dataclass

from beidaihe_course import datasets


@dataclass(frozen=True)
class CheckResult:
    """The outcome of a self-check: whether it passed, a message, and a hint if not."""

    passed: bool
    message: str
    hint: str = ""

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        mark = "Correct" if self.passed else "Not yet"
        return f"{mark}: {self.message}" + (f"\nHint: {self.hint}" if self.hint else "")

    def _repr_html_(self) -> str:
        colour = "#006d2c" if self.passed else "#8c2d04"
        mark = "Correct" if self.passed else "Not yet"
        hint = f"<br><strong>Hint:</strong> {html.escape(self.hint)}" if self.hint else ""
        return (f'<div role="status" style="border-left:4px solid {colour};padding:0.4em">'
                f"<strong>{mark}:</strong> {html.escape(self.message)}{hint}</div>")


def _number(answer: object) -> float:
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        raise TypeError("answer must be a number (int or float); "
                        f"got {type(answer).__name__}")
    if math.isnan(answer):
        raise ValueError("answer must be a number, not NaN")
    return float(answer)


def _compare(answer: object, expected: float, tolerance: float, *, right: str,
             hint: str) -> CheckResult:
    if answer is None:
        return CheckResult(False, "no answer yet: replace None with your answer.", hint)
    value = _number(answer)
    if abs(value - expected) <= tolerance:
        return CheckResult(True, right)
    return CheckResult(False, f"{value:g} is not what the data give.", hint)


def _target(body_prefix: str, commodity: str, year: int) -> float:
    targets = datasets.load("targets")
    rows = targets[targets["body"].str.startswith(body_prefix)
                   & (targets["commodity"] == commodity) & (targets["target_year"] == year)]
    return float(rows["value"].min())


def steel_doubling_ratio() -> float:
    """The Beidaihe 1958 steel target divided by official 1957 steel output.

    >>> round(steel_doubling_ratio(), 2)
    2.0
    """
    return _target("Beidaihe", "steel", 1958) / float(
        datasets.load_series("production", "steel").loc[1957])


def check_steel_doubling(answer: float) -> CheckResult:
    """Check the ratio of the Beidaihe 1958 steel target to official 1957 output.

    >>> check_steel_doubling(2.0).passed
    True
    >>> print(check_steel_doubling(None))  # doctest: +ELLIPSIS
    Not yet: no answer yet: replace None with your answer.
    Hint: Divide ...
    """
    return _compare(answer, steel_doubling_ratio(), 0.05,
                    right="the Beidaihe target asked for about twice the 1957 output.",
                    hint="Divide the 1958 target set at Beidaihe (the 'targets' dataset) by "
                         "the official 1957 steel output (series 'steel' in 'production').")


def grain_claim_excess_pct() -> float:
    """How far, in percent, the 1958 grain claim exceeded the revised official figure.

    >>> round(grain_claim_excess_pct())
    90
    """
    claimed = datasets.load_series("production", "grain_claimed").loc[1958]
    revised = datasets.load_series("production", "grain_revised").loc[1958]
    return (float(claimed) / float(revised) - 1) * 100


def check_grain_claim_excess(answer: float) -> CheckResult:
    """Check the percentage by which the 1958 grain claim exceeded the revised figure.

    >>> check_grain_claim_excess(10).passed
    False
    """
    return _compare(answer, grain_claim_excess_pct(), 1.5,
                    right="the claim was close to double the grain actually harvested.",
                    hint="Take the claimed 1958 harvest ('grain_claimed'), divide it by the "
                         "revised official 1958 figure ('grain_revised'), subtract 1 and "
                         "multiply by 100. Give the answer in percent, not as a fraction.")


def registered_excess_deaths_1960() -> float:
    """Excess deaths in 1960 (million) from the *registered* death rate over 1957's rate.

    >>> round(registered_excess_deaths_1960(), 1)
    9.8
    """
    from beidaihe_course.models import excess_deaths

    baseline = float(datasets.load_series("population", "crude_death_rate").loc[1957])
    return float(excess_deaths(baseline, 0.0, years=(1960,))["excess_deaths_m"].iloc[0])


def check_registered_excess_deaths_1960(answer: float) -> CheckResult:
    """Check excess deaths in 1960 implied by the registered rates (million).

    >>> check_registered_excess_deaths_1960(25.43).passed
    False
    """
    return _compare(answer, registered_excess_deaths_1960(), 0.3,
                    right="the registers alone imply close to ten million excess deaths in "
                          "1960 — and they missed many deaths.",
                    hint="Subtract the 1957 death rate from the 1960 rate (both per 1,000), "
                         "then multiply by the average of the 1959 and 1960 year-end "
                         "populations (million) and divide by 1,000. Answer in millions.")


def modern_steel_share_pct() -> float:
    """Percentage of the steel claimed for 1958 that came from modern plants.

    >>> round(modern_steel_share_pct())
    72
    """
    modern = datasets.load_series("production", "steel").loc[1958]
    claimed = datasets.load_series("production", "steel_claimed").loc[1958]
    return 100 * float(modern) / float(claimed)


def check_modern_steel_share(answer: float) -> CheckResult:
    """Check the modern plants' share (percent) of the steel claimed for 1958.

    >>> check_modern_steel_share(0.72).passed
    False
    """
    return _compare(answer, modern_steel_share_pct(), 1.0,
                    right="roughly seven tonnes in ten of the claimed steel came from "
                          "modern plants; the rest was native metal, much of it unusable.",
                    hint="Divide the official 1958 figure (series 'steel') by the claimed "
                         "figure (series 'steel_claimed') and multiply by 100. Answer in "
                         "percent.")


def procurement_share_rise_points() -> float:
    """Rise, in percentage points, of the procured share of grain from 1958 to 1959.

    >>> round(procurement_share_rise_points(), 1)
    11.8
    """
    share = datasets.load_series("procurement", "procurement_share_gross")
    return float(share.loc[1959] - share.loc[1958])


def check_procurement_share_rise(answer: float) -> CheckResult:
    """Check the 1958→1959 rise in the procured share of grain (percentage points).

    >>> check_procurement_share_rise(45.6).passed
    False
    """
    return _compare(answer, procurement_share_rise_points(), 0.2,
                    right="the state took a much larger share of a smaller harvest in 1959.",
                    hint="Subtract the 1958 value of 'procurement_share_gross' (in the "
                         "'procurement' dataset) from the 1959 value. The answer is in "
                         "percentage points, not percent.")


def steel_1962_target_factor() -> float:
    """Highest 1962 steel target set at Beidaihe ÷ highest proposed at the 1956 Congress.

    >>> round(steel_1962_target_factor(), 1)
    8.3
    """
    targets = datasets.load("targets")
    steel = targets[(targets["commodity"] == "steel") & (targets["target_year"] == 1962)]
    beidaihe = steel[steel["body"].str.startswith("Beidaihe")]["value"].max()
    congress = steel[steel["date_set"] == "1956-09"]["value"].max()
    return float(beidaihe / congress)


def check_1962_target_factor(answer: float) -> CheckResult:
    """Check the factor between the Beidaihe and the 1956 Congress steel targets for 1962.

    >>> check_1962_target_factor(2).passed
    False
    """
    return _compare(answer, steel_1962_target_factor(), 0.15,
                    right="in under two years the steel target for 1962 was multiplied "
                          "roughly eightfold.",
                    hint="In 'targets', keep steel targets for 1962. Take the highest set "
                         "at Beidaihe and divide it by the highest proposed in 1956-09.")


def commune_count_gap() -> float:
    """Difference between the two end-of-September 1958 counts of communes.

    >>> commune_count_gap()
    3028.0
    """
    communes = datasets.load("communes")
    september = communes[communes["date"] == "1958-09-30"]["communes"]
    return float(september.max() - september.min())


def check_commune_count_gap(answer: float) -> CheckResult:
    """Check how far apart the two sources for 30 September 1958 are (communes).

    >>> check_commune_count_gap(26425).passed
    False
    """
    return _compare(answer, commune_count_gap(), 0.5,
                    right="two sources for the same date differ by about three thousand "
                          "communes — more than a tenth of the total.",
                    hint="In 'communes', keep the rows dated 1958-09-30 and subtract the "
                         "smaller count from the larger.")


def accumulation_rise_points() -> float:
    """Rise of the accumulation rate from 1957 to 1959, in percentage points.

    >>> round(accumulation_rise_points(), 1)
    19.3
    """
    rate = datasets.load_series("investment", "accumulation_rate")
    return float(rate.loc[1959] - rate.loc[1957])


def check_accumulation_rise(answer: float) -> CheckResult:
    """Check the 1957→1959 rise in the accumulation rate (percentage points).

    >>> check_accumulation_rise(78.8).passed
    False
    """
    return _compare(answer, accumulation_rise_points(), 0.2,
                    right="in two years the share of national income set aside for "
                          "investment rose by almost twenty points.",
                    hint="Subtract the 1957 value of 'accumulation_rate' (in 'investment') "
                         "from the 1959 value. The answer is in percentage points.")


def natural_increase_1960() -> float:
    """Registered natural increase in 1960 (births minus deaths per 1,000).

    >>> round(natural_increase_1960(), 2)
    -4.57
    """
    births = datasets.load_series("population", "crude_birth_rate").loc[1960]
    deaths = datasets.load_series("population", "crude_death_rate").loc[1960]
    return float(births - deaths)


def check_natural_increase_1960(answer: float) -> CheckResult:
    """Check the registered natural increase of 1960 (per 1,000; it may be negative).

    >>> check_natural_increase_1960(4.57).passed
    False
    """
    return _compare(answer, natural_increase_1960(), 0.05,
                    right="in 1960 registered deaths outnumbered registered births: the "
                          "population shrank.",
                    hint="Subtract the 1960 'crude_death_rate' from the 1960 "
                         "'crude_birth_rate' (both in 'population', per 1,000). Keep the "
                         "sign.")
