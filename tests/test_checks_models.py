"""Self-checks judge answers against the data and hint without revealing; models validate."""

from __future__ import annotations

import math

import pytest

from beidaihe_course import checks, datasets, models


def test_steel_check_accepts_the_ratio_computed_independently():
    targets = datasets.load("targets")
    row = targets[(targets["body"].str.contains("Beidaihe")) & (targets["commodity"] == "steel")
                  & (targets["target_year"] == 1958)]
    ratio = row["value"].iloc[0] / datasets.load_series("production", "steel")[1957]
    assert checks.check_steel_doubling(ratio).passed
    assert not checks.check_steel_doubling(ratio + 0.5).passed


def test_grain_check_and_hint_does_not_reveal_the_answer():
    claimed = datasets.load_series("production", "grain_claimed")[1958]
    revised = datasets.load_series("production", "grain_revised")[1958]
    right = 100 * (claimed - revised) / revised
    assert checks.check_grain_claim_excess(right).passed
    wrong = checks.check_grain_claim_excess(right / 100)  # a fraction, not a percentage
    assert not wrong.passed
    assert wrong.hint and f"{right:.0f}" not in wrong.hint and f"{right:.1f}" not in str(wrong)


def test_unanswered_check_prompts_instead_of_crashing():
    result = checks.check_steel_doubling(None)
    assert not result.passed and "None" in result.message


@pytest.mark.parametrize("bad, error", [("2", TypeError), (True, TypeError),
                                        (math.nan, ValueError), ([2], TypeError)])
def test_check_bad_answers(bad, error):
    with pytest.raises(error, match="number"):
        checks.check_steel_doubling(bad)


def test_check_result_renders_html_and_text():
    result = checks.check_steel_doubling(1.0)
    assert "Hint" in str(result) and 'role="status"' in result._repr_html_()


def test_quota_model_is_monotonic_and_capped():
    shares = [models.quota_share_of_real_harvest(i, 0.25) for i in (1, 1.5, 2, 3, 4.5)]
    assert shares == sorted(shares) and shares[-1] == 1.0


@pytest.mark.parametrize("args, error", [((0.9, 0.2), ValueError), ((2, 1.2), ValueError),
                                         (("2", 0.2), TypeError), ((math.nan, 0.2), ValueError)])
def test_quota_model_bad_parameters(args, error):
    with pytest.raises(error, match="between"):
        models.quota_share_of_real_harvest(*args)
