"""Self-checks judge answers against the data and hint without revealing; models validate."""

from __future__ import annotations

import re

import pytest

from beidaihe_course import checks, datasets, models


def test_grain_check_and_hint_does_not_reveal_the_answer():
    claimed = datasets.load_series("production", "grain_claimed")[1958]
    revised = datasets.load_series("production", "grain_revised")[1958]
    right = 100 * (claimed - revised) / revised
    assert checks.check_grain_claim_excess(right).passed
    wrong = checks.check_grain_claim_excess(right / 100)  # a fraction, not a percentage
    assert not wrong.passed
    assert wrong.hint and f"{right:.0f}" not in wrong.hint and f"{right:.1f}" not in str(wrong)


def _rows(name, **where):
    table = datasets.load(name)
    for column, value in where.items():
        table = table[table[column] == value]
    return table


def _value(name, series, year):
    return float(_rows(name, series=series, year=year)["value"].iloc[0])


# Each expected answer is computed here from the raw CSV rows, not by the check's helpers.
INDEPENDENT = {
    "check_1962_target_factor": lambda: (
        _rows("targets", commodity="steel", target_year=1962, date_set="1958-08")["value"].max()
        / _rows("targets", commodity="steel", target_year=1962, date_set="1956-09")["value"].max()),
    "check_natural_increase_1960": lambda: (_value("population", "crude_birth_rate", 1960)
                                            - _value("population", "crude_death_rate", 1960)),
    "check_procurement_share_rise": lambda: (
        _value("procurement", "procurement_share_gross", 1959)
        - _value("procurement", "procurement_share_gross", 1958)),
    "check_native_steel_excluded": lambda: float(
        _rows("targets", commodity="steel", target_year=1959, date_set="1959-08-26")["value"]
        .iloc[0]),
}


@pytest.mark.parametrize("name", sorted(INDEPENDENT))
def test_check_accepts_the_independently_computed_answer_and_hints_without_it(name):
    check = getattr(checks, name)
    right = INDEPENDENT[name]()
    assert check(right).passed
    wrong = check(right * 3 + 7)
    assert not wrong.passed and wrong.hint
    for shown in {f"{right:.0f}", f"{right:.1f}", f"{right:.2f}"}:  # as a whole number
        assert not re.search(rf"(?<![\d.]){re.escape(shown)}(?![\d.])", wrong.hint)


def _doubled_first_independently():
    table = datasets.load("provinces").pivot(index="year", columns="province",
                                             values="crude_death_rate")
    ratio = table / table.loc[1957]
    years = {p: ratio.index[ratio[p] >= 2].min() for p in ratio if (ratio[p] >= 2).any()}
    return min(years, key=years.get)


# Choices: the right option, worked out here from the rows or from the models directly.
CHOICES = {
    "check_communique_baseline": lambda: min(
        ("grain", "grain_claimed"),
        key=lambda s: abs(300 / _value("production", s, 1957) - 1.6)),
    "check_december_source": lambda: _rows("communes").sort_values("date")["source"].iloc[-1],
    "check_first_doubled_province": _doubled_first_independently,
    "check_mixed_baseline": lambda: "higher" if (
        models.excess_deaths(11, 0.4, baseline_underregistration=0.0)["excess_deaths_m"].sum()
        > models.excess_deaths(11, 0.4)["excess_deaths_m"].sum()) else "lower",
    "check_artefact_band": lambda: _rows("famine_estimates", author="Sun Jingxian")["band"]
    .iloc[0],
    "check_usable_series": lambda: "steel",
    "check_furnace_product": lambda: "pig iron",
}


@pytest.mark.parametrize("name", sorted(CHOICES))
def test_choice_check_accepts_the_right_option_only_and_hints_without_it(name):
    check = getattr(checks, name)
    right = CHOICES[name]()
    assert right in checks.options(name)
    assert check(right).passed
    for other in checks.options(name):
        if other != right:
            result = check(other)
            assert not result.passed and result.hint
            shown = re.compile(rf"(?<![\w']){re.escape(right)}(?![\w])")
            assert not shown.search(result.hint) and not shown.search(result.message)
    with pytest.raises(ValueError, match="valid names are"):
        check("none of these")
    with pytest.raises(TypeError, match="string"):
        check(3)


LABELLED = {
    "check_road_labels": {"congress_1962": "target", "beidaihe_1962": "target",
                          "claimed_1958": "claim", "output_1962": "count"},
    "check_steel_labels": {"february_plan_1958": "target", "beidaihe_1958": "target",
                           "claimed_1958": "claim", "counted_1958": "count"},
    "check_construction_labels": {"workers_january_1958": "claim",
                                  "irrigated_february_1958": "claim",
                                  "accumulation_1959": "count", "urban_1960": "count"},
}


@pytest.mark.parametrize("name", sorted(LABELLED))
def test_labels_check_counts_right_labels_and_rejects_malformed_answers(name):
    check = getattr(checks, name)
    right = LABELLED[name]
    assert set(checks.items(name)) == set(right)
    assert check(right).passed
    one_wrong = dict(right)
    key = next(iter(right))
    one_wrong[key] = next(lab for lab in checks.options(name) if lab != right[key])
    result = check(one_wrong)
    assert not result.passed
    assert result.message == f"{len(right) - 1} of {len(right)} labels are right."
    with pytest.raises(ValueError, match="label for"):
        check({**right, key: "rumour"})
    with pytest.raises(ValueError, match="a dict giving a label"):
        check({key: right[key]})
    with pytest.raises(TypeError, match="dict"):
        check(list(right.values()))


def test_every_public_check_is_covered_and_declared():
    public = {n for n in dir(checks) if n.startswith("check_")}
    covered = (set(INDEPENDENT) | set(CHOICES) | set(LABELLED)
               | {"check_grain_claim_excess", "check_registered_excess_deaths_1960"})
    assert public == covered == set(checks.KINDS)
    assert set(checks.KINDS.values()) == {"arithmetic", "judgement"}


def test_unanswered_check_prompts_instead_of_crashing():
    for name in ("check_grain_claim_excess", "check_road_labels", "check_mixed_baseline"):
        result = getattr(checks, name)(None)
        assert not result.passed and "None" in result.message and result.hint


def test_check_result_renders_html_and_text():
    result = checks.check_grain_claim_excess(1.0)
    assert "Hint" in str(result) and 'role="status"' in result._repr_html_()


def test_answer_types():
    assert checks.answer_type("check_steel_labels") == "labels"
    assert checks.answer_type("check_grain_claim_excess") == "number"


def test_quota_model_is_monotonic_and_capped():
    shares = [models.quota_share_of_real_harvest(i, 0.25) for i in (1, 1.5, 2, 3, 4.5)]
    assert shares == sorted(shares) and shares[-1] == 1.0


def test_procurement_squeeze_takes_more_of_the_real_harvest_when_reports_inflate():
    honest = models.procurement_squeeze(1.0, 0.3)
    inflated = models.procurement_squeeze(1.8, 0.3)
    assert inflated["share_of_real_pct"] == pytest.approx(1.8 * honest["share_of_real_pct"])
    assert inflated["grain_left_kg"] < honest["grain_left_kg"]
    capped = models.procurement_squeeze(3.0, 0.5)
    assert capped["grain_left_kg"] == 0 and capped["share_of_real_pct"] == 100


def test_excess_deaths_rise_with_underregistration_and_fall_with_baseline():
    low = models.excess_deaths(12, 0.0)["excess_deaths_m"].sum()
    more = models.excess_deaths(12, 0.5)["excess_deaths_m"].sum()
    higher_baseline = models.excess_deaths(13, 0.0)["excess_deaths_m"].sum()
    assert more > low > higher_baseline


@pytest.mark.parametrize("missed", [0.1, 0.3, 0.5])
def test_consistent_correction_scales_the_registered_excess(missed):
    """When the registers missed the same share of deaths in every year, correcting both
    the famine years and the baseline multiplies the registered excess by 1 / (1 - u)."""
    registered = models.excess_deaths(10.8, 0.0)["excess_deaths_m"].sum()
    corrected = models.excess_deaths(10.8, missed)["excess_deaths_m"].sum()
    assert corrected == pytest.approx(registered / (1 - missed))


def test_an_uncorrected_baseline_inflates_the_toll_by_the_baseline_term():
    consistent = models.excess_deaths(10.8, 0.3)
    mixed = models.excess_deaths(10.8, 0.3, baseline_underregistration=0.0)
    population = datasets.load_series("population", "population_yearend")
    at_risk = sum((population[y] + population[y - 1]) / 2 for y in (1959, 1960, 1961))
    extra = 10.8 * (1 / 0.7 - 1) * at_risk / 1000
    gap = mixed["excess_deaths_m"].sum() - consistent["excess_deaths_m"].sum()
    assert gap == pytest.approx(extra)
    assert (mixed["normal_rate"] == 10.8).all()
    assert consistent["normal_rate"].iloc[0] == pytest.approx(10.8 / 0.7, abs=0.01)


def test_reconstructed_series_against_a_registered_baseline_inflates_the_toll():
    own = models.reconstructed_excess_deaths("reconstructed")["excess_deaths_m"].sum()
    mixed = models.reconstructed_excess_deaths("registered")["excess_deaths_m"].sum()
    banister = datasets.load_series("population", "crude_death_rate_banister")
    registered = datasets.load_series("population", "crude_death_rate")
    population = datasets.load_series("population", "population_yearend")
    at_risk = sum((population[y] + population[y - 1]) / 2 for y in (1959, 1960, 1961))
    assert mixed - own == pytest.approx((banister[1957] - registered[1957]) * at_risk / 1000)


def test_labour_diversion_trades_native_metal_for_harvest():
    a = models.labour_diversion(0.1, 0.5)
    b = models.labour_diversion(0.2, 0.5)
    assert b["usable_native_mt"] > a["usable_native_mt"]
    assert b["harvest_left_pct"] > a["harvest_left_pct"]
    assert models.labour_diversion(0.2, 0.0)["usable_native_mt"] == 0


def test_labour_model_is_calibrated_to_the_native_metal_in_the_1958_claim():
    """At the 1958 mobilisation (90 million of a rural population of 80 % of the year-end
    total) the model makes exactly the claimed steel minus the steel counted without it."""
    population = datasets.load_series("population", "population_yearend")[1958]
    share_1958 = 90 / (0.8 * population)
    native = (datasets.load_series("production", "steel_claimed")[1958]
              - datasets.load_series("production", "steel")[1958])
    out = models.labour_diversion(share_1958, 1.0)
    assert out["native_metal_mt"] == pytest.approx(native, abs=0.01)
    assert out["usable_native_mt"] == pytest.approx(native, abs=0.01)


@pytest.mark.parametrize("extra, months", [(0.0, 0), (0.3, 3), (0.6, 6), (0.1, 12)])
def test_canteen_shares_out_exactly_the_stock(extra, months):
    table = models.canteen_drawdown(extra, months)
    assert len(table) == 12
    assert table["ration_pct"].sum() == pytest.approx(1200, abs=1)
    assert (table["phase"] == "eating freely").sum() == months


def test_canteen_eating_more_now_leaves_less_later():
    later = [models.canteen_drawdown(x, 3)["ration_pct"].iloc[-1] for x in (0.0, 0.2, 0.4)]
    assert later == sorted(later, reverse=True) and later[0] == 100


def test_urban_grain_need_is_proportional_and_uses_1957_procurement():
    one = models.urban_grain_need(10, 200)
    two = models.urban_grain_need(20, 200)
    assert two["extra_grain_mt"] == pytest.approx(2 * one["extra_grain_mt"])
    assert one["procurement_1957_mt"] == datasets.load_series(
        "procurement", "procurement_gross")[1957]


def test_underregistration_is_a_share_of_all_deaths_as_banister_defines_it():
    registered = datasets.load_series("population", "crude_death_rate")[1960]
    banister = datasets.load_series("population", "crude_death_rate_banister")[1960]
    missed = 1 - registered / banister  # Banister: about 43 % of deaths unregistered
    corrected = models.excess_deaths(10.8, missed, years=(1960,))["death_rate"].iloc[0]
    assert corrected == pytest.approx(banister, abs=0.01)


def test_no_public_docstring_tries_a_real_answer():
    """Examples in the checks' docstrings use no answer (None) or a malformed one, so
    help(check_x) in a released notebook says nothing about the right answer; and the
    values checks compare against live only in private functions."""
    import doctest

    for name in checks.KINDS:
        for example in doctest.DocTestParser().get_examples(getattr(checks, name).__doc__):
            called = re.match(rf"{name}\((.*)\)", example.source.strip(), re.S)
            if called:
                assert called.group(1).startswith("None") or example.exc_msg, (name,
                                                                                example.source)
    public = [n for n in dir(checks) if not n.startswith("_")]
    assert not [n for n in public if n.startswith(("expected", "answer_of", "right_"))]
