"""Stylised teaching models: pure functions, parameters in, numbers or frames out.

These are **stylised teaching models**, not reconstructions of history. Each states its
assumptions; each validates its parameters and raises ``ValueError`` or ``TypeError``
naming the valid range. Nothing here imports matplotlib or ipywidgets.
"""

from __future__ import annotations

import pandas as pd

from beidaihe_course import _validate, datasets

#: Share of the population that was rural, 1954–66: "above 80%" throughout (Lin & Yang 2000).
RURAL_SHARE = 0.8
#: People mobilised for the 1958 iron and steel campaign: at least 90 million by the account
#: of Chang & Halliday (a metallurgical journal of autumn 1958 gave 60 million).
MOBILISED_1958_MILLION = 90.0


def quota_share_of_real_harvest(inflation: float, quota_share: float) -> float:
    """Share of the *real* harvest taken when a quota is set on an inflated report.

    Stylised assumptions: the state sets procurement as a fixed share (``quota_share``)
    of the *reported* harvest; the report exceeds the real harvest by the factor
    ``inflation`` (1.0 = honest, 2.0 = reported twice the real harvest); the quota is
    collected in full. Then the state takes ``quota_share * inflation`` of what was
    actually grown, capped at the whole harvest.

    >>> quota_share_of_real_harvest(1.0, 0.25)
    0.25
    >>> round(quota_share_of_real_harvest(1.5, 0.25), 3)
    0.375
    >>> quota_share_of_real_harvest(5.0, 0.3)
    1.0
    >>> quota_share_of_real_harvest(0.5, 0.25)
    Traceback (most recent call last):
    ...
    ValueError: inflation must be a number between 1 and 5; got 0.5
    """
    inflation = _validate.number(inflation, "inflation", 1.0, 5.0)
    quota_share = _validate.number(quota_share, "quota_share", 0.0, 1.0)
    return min(1.0, quota_share * inflation)


def quota_table(inflations: list[float], quota_share: float) -> pd.DataFrame:
    """Tabulate :func:`quota_share_of_real_harvest` for several inflation factors.

    >>> quota_table([1.0, 2.0], 0.25)["share_of_real_harvest_pct"].tolist()
    [25.0, 50.0]
    """
    if isinstance(inflations, (str, bytes)) or not hasattr(inflations, "__iter__"):
        raise TypeError("inflations must be a list of numbers between 1 and 5")
    rows = [{"inflation": float(i),
             "share_of_real_harvest_pct": round(100 * quota_share_of_real_harvest(i,
                                                                                  quota_share),
                                                1)}
            for i in inflations]
    if not rows:
        raise ValueError("inflations must be a non-empty list of numbers between 1 and 5")
    return pd.DataFrame(rows)


def procurement_squeeze(inflation: float = 1.0, procurement_rate: float = 0.25, *,
                        year: int = 1959, rural_share: float = RURAL_SHARE) -> dict:
    """Grain left per rural person when procurement is a share of an inflated report.

    **Stylised teaching model.** Assumptions:

    - the real harvest is the official output for ``year`` (``production``: ``grain``);
    - the harvest is *reported* as ``inflation`` times the real one (1.0 = honest);
    - the state procures ``procurement_rate`` of the **reported** harvest, collected in
      full up to the whole real harvest, with no resales to the countryside (gross = net);
    - what is left is shared equally by the rural population, ``rural_share`` of the
      official year-end population (the rural share was above 80 % in 1954–66).

    Returns a dict with ``real_harvest_mt``, ``procured_mt``, ``share_of_real_pct``,
    ``grain_left_kg`` (per rural person per year, unhusked grain) and
    ``honest_grain_left_kg``, what the same rate would leave on an honest report.

    >>> out = procurement_squeeze(1.0, 0.25)
    >>> out["procured_mt"], round(out["grain_left_kg"])
    (42.5, 237)
    >>> procurement_squeeze(2.0, 0.6)
    Traceback (most recent call last):
    ...
    ValueError: procurement_rate must be a number between 0.05 and 0.5; got 0.6
    """
    inflation = _validate.number(inflation, "inflation", 1.0, 3.0)
    rate = _validate.number(procurement_rate, "procurement_rate", 0.05, 0.5)
    rural_share = _validate.number(rural_share, "rural_share", 0.5, 1.0)
    grain = datasets.load_series("production", "grain")
    population = datasets.load_series("population", "population_yearend")
    valid_years = sorted(set(grain.index) & set(population.index))
    if isinstance(year, bool) or not isinstance(year, int):
        raise TypeError(f"year must be an integer, one of: {valid_years}")
    if year not in valid_years:
        raise ValueError(f"no grain and population data for {year}; "
                         f"valid years are: {valid_years}")
    real = float(grain.loc[year])
    procured = min(real, rate * inflation * real)
    rural_millions = float(population.loc[year]) * rural_share
    honest = min(real, rate * real)
    return {"real_harvest_mt": real, "procured_mt": round(procured, 3),
            "share_of_real_pct": round(100 * procured / real, 1),
            "grain_left_kg": 1000 * (real - procured) / rural_millions,
            "honest_grain_left_kg": 1000 * (real - honest) / rural_millions}


def excess_deaths(baseline_rate: float = 10.8, underregistration: float = 0.0,
                  years: tuple[int, ...] = (1959, 1960, 1961), *,
                  baseline_underregistration: float | None = None) -> pd.DataFrame:
    """Excess deaths implied by the official death rates, a baseline and a correction.

    **Stylised teaching model.** Assumptions:

    - "normal" mortality is a constant rate which the registers would have recorded as
      ``baseline_rate`` per 1,000 (1957's registered rate was 10.80);
    - the registers missed a share ``underregistration`` of all real deaths in the years
      counted: the real rate is the registered rate ÷ (1 − ``underregistration``). (This
      is how Banister states her correction: 43 % of deaths unregistered in 1960 turns
      the registered 25.4 per 1,000 into 44.6.)
    - the registers missed the **same share of deaths in normal years**, so the real
      normal rate is ``baseline_rate`` ÷ (1 − ``baseline_underregistration``), which by
      default equals ``underregistration``. Both sides of the subtraction are then
      corrected alike, and the correction scales the registered excess by
      1 ÷ (1 − ``underregistration``);
    - the population at risk is the mean of the official year-end populations of the
      year and the year before.

    ``baseline_underregistration`` is an explicit switch. Set it to ``0.0`` to reproduce
    an **inconsistent** calculation that corrects the famine years but subtracts an
    uncorrected registered baseline. It adds baseline × (1/(1 − u) − 1) per 1,000 to every
    year's excess and inflates the toll; a smaller value than ``underregistration`` says
    that registration was worse in the famine than before it, a claim that needs evidence.

    Returns one row per year with ``death_rate`` and ``normal_rate`` (both corrected, per
    1,000) and ``excess_deaths_m`` (million). The total is
    ``frame["excess_deaths_m"].sum()``.

    >>> round(float(excess_deaths(10.8, 0.0)["excess_deaths_m"].sum()), 1)
    14.6
    >>> round(float(excess_deaths(10.8, 0.43, years=(1960,))["death_rate"].iloc[0]), 1)
    44.6

    How far apart the consistent and the inconsistent forms are, with 30 % of deaths
    unregistered:

    >>> consistent = excess_deaths(10.8, 0.3)["excess_deaths_m"].sum()
    >>> mixed = excess_deaths(10.8, 0.3, baseline_underregistration=0.0)["excess_deaths_m"].sum()
    >>> round(float(consistent), 1), round(float(mixed), 1)
    (20.8, 30.0)
    >>> excess_deaths(30, 0)
    Traceback (most recent call last):
    ...
    ValueError: baseline_rate must be a number between 5 and 20; got 30
    """
    baseline = _validate.number(baseline_rate, "baseline_rate", 5.0, 20.0)
    missed = _validate.number(underregistration, "underregistration", 0.0, 0.8)
    missed_normal = missed if baseline_underregistration is None else _validate.number(
        baseline_underregistration, "baseline_underregistration", 0.0, 0.8)
    years = _valid_years(years)
    rates = datasets.load_series("population", "crude_death_rate")
    population = datasets.load_series("population", "population_yearend")
    normal = baseline / (1 - missed_normal)
    rows = []
    for y in years:
        at_risk = (population.loc[y] + population.loc[y - 1]) / 2
        rate = float(rates.loc[y]) / (1 - missed)
        rows.append({"year": y, "death_rate": round(rate, 2), "normal_rate": round(normal, 2),
                     "excess_deaths_m": max(0.0, (rate - normal) * at_risk / 1000)})
    return pd.DataFrame(rows)


def _valid_years(years: object, series: str = "crude_death_rate") -> tuple[int, ...]:
    """``years`` as a tuple, each with a death rate in ``series`` and a population the year
    before; otherwise a ValueError or TypeError naming the valid range."""
    rates = datasets.load_series("population", series)
    population = datasets.load_series("population", "population_yearend")
    valid = [int(y) for y in rates.index if y - 1 in population.index]
    if isinstance(years, (str, bytes)) or not hasattr(years, "__iter__"):
        raise TypeError(f"years must be a tuple of years from {valid[0]} to {valid[-1]}")
    years = tuple(years)
    bad = [y for y in years if y not in valid]
    if not years or bad:
        raise ValueError(f"years must be a non-empty tuple of years from {valid[0]} to "
                         f"{valid[-1]}; invalid: {bad}")
    return years


#: Baselines for :func:`reconstructed_excess_deaths`.
BASELINES = ("reconstructed", "registered")


def reconstructed_excess_deaths(baseline: str = "reconstructed",
                                years: tuple[int, ...] = (1959, 1960, 1961)) -> pd.DataFrame:
    """Excess deaths from Banister's reconstructed death rates, against one of two baselines.

    **Stylised teaching calculation** on a demographer's series
    (``crude_death_rate_banister``): each year's reconstructed rate minus a normal rate,
    times the mean of the official year-end populations. The normal rate is:

    - ``"reconstructed"``: Banister's own reconstructed rate for 1957 (18.1 per 1,000),
      the same method on both sides of the subtraction;
    - ``"registered"``: the registered 1957 rate (10.80), which mixes a corrected series
      with an uncorrected baseline and inflates the toll.

    Banister's published total (about 30 million) uses her own method and period; this
    calculation only shows what the choice of baseline does.

    >>> own = reconstructed_excess_deaths("reconstructed")["excess_deaths_m"].sum()
    >>> mixed = reconstructed_excess_deaths("registered")["excess_deaths_m"].sum()
    >>> round(float(own), 1), round(float(mixed), 1)
    (23.6, 38.1)
    >>> reconstructed_excess_deaths("trend")
    Traceback (most recent call last):
    ...
    ValueError: unknown baseline 'trend'; valid names are: reconstructed, registered
    """
    _validate.choice(baseline, BASELINES, "baseline")
    series = "crude_death_rate_banister"
    years = _valid_years(years, series)
    rates = datasets.load_series("population", series)
    population = datasets.load_series("population", "population_yearend")
    source = series if baseline == "reconstructed" else "crude_death_rate"
    normal = float(datasets.load_series("population", source).loc[1957])
    rows = []
    for y in years:
        at_risk = (population.loc[y] + population.loc[y - 1]) / 2
        rate = float(rates.loc[y])
        rows.append({"year": y, "death_rate": rate, "normal_rate": normal,
                     "excess_deaths_m": max(0.0, (rate - normal) * at_risk / 1000)})
    return pd.DataFrame(rows)


def labour_diversion(diverted_share: float = 0.17, usable_fraction: float = 0.0, *,
                     slack: float = 0.05) -> dict:
    """Usable native metal against harvest left in the fields when rural labour goes to the
    small furnaces.

    **Stylised teaching model**; its harvest side is illustrative, not calibrated. The small
    native furnaces made pig iron ("native iron"), and "native steel" was made from it or
    from melted-down household metal; the 1958 claim counted that native metal as steel.
    Assumptions:

    - the native metal made is proportional to the share of the rural population sent to
      the furnaces, calibrated so that the 1958 campaign, about 90 million people (17 % of
      a rural population of 80 % of 660 million), made the native metal in the 1958 claim:
      the claimed steel (``steel_claimed``) minus the steel counted without native steel
      (``steel``);
    - only ``usable_fraction`` of native metal could be used (contemporaries and
      historians describe most of it as unusable);
    - the autumn harvest can spare a ``slack`` share of rural labour; every further point
      of labour diverted leaves a proportional share of the autumn harvest unharvested.

    >>> out = labour_diversion(0.17, 0.0)
    >>> out["native_metal_mt"], out["usable_native_mt"]
    (3.07, 0.0)
    >>> labour_diversion(0.0, 0.5)["harvest_left_pct"]
    0.0
    >>> labour_diversion(0.6, 0.5)
    Traceback (most recent call last):
    ...
    ValueError: diverted_share must be a number between 0 and 0.4; got 0.6
    """
    share = _validate.number(diverted_share, "diverted_share", 0.0, 0.4)
    usable = _validate.number(usable_fraction, "usable_fraction", 0.0, 1.0)
    slack = _validate.number(slack, "slack", 0.0, 0.3)
    counted = datasets.load_series("production", "steel")
    claimed = datasets.load_series("production", "steel_claimed")
    population = datasets.load_series("population", "population_yearend")
    native_1958 = float(claimed.loc[1958]) - float(counted.loc[1958])
    share_1958 = MOBILISED_1958_MILLION / (float(population.loc[1958]) * RURAL_SHARE)
    native = native_1958 * share / share_1958
    left = max(0.0, share - slack) / (1 - slack)
    return {"diverted_share": share, "native_metal_mt": round(native, 2),
            "usable_native_mt": round(usable * native, 2),
            "harvest_left_pct": round(100 * left, 1)}


def canteen_drawdown(extra_eaten: float = 0.3, free_months: int = 3, *,
                     stock_months: float = 12.0) -> pd.DataFrame:
    """Monthly rations in a canteen that lets members "eat freely" after the harvest.

    **Stylised teaching model**, not a reconstruction of any real canteen. Assumptions:

    - after the autumn harvest (and procurement) the canteen holds ``stock_months``
      months of normal rations, and nothing more arrives before the next harvest,
      twelve months later;
    - for the first ``free_months`` months members eat ``extra_eaten`` more than a
      normal ration (0.3 = 30 % more);
    - the canteen then divides what is left equally over the remaining months.

    Returns one row per month with ``ration_pct``, the ration as a percentage of normal,
    and ``phase`` ("eating freely" or "rationed").

    >>> table = canteen_drawdown(0.5, 4)
    >>> table["ration_pct"].tolist()
    [150.0, 150.0, 150.0, 150.0, 75.0, 75.0, 75.0, 75.0, 75.0, 75.0, 75.0, 75.0]
    >>> canteen_drawdown(0.0, 0)["ration_pct"].unique().tolist()
    [100.0]
    >>> canteen_drawdown(0.3, 13)
    Traceback (most recent call last):
    ...
    ValueError: free_months must be a whole number between 0 and 12; got 13
    """
    extra = _validate.number(extra_eaten, "extra_eaten", 0.0, 1.0)
    stock = _validate.number(stock_months, "stock_months", 1.0, 24.0)
    months = _validate.whole_number(free_months, "free_months", 0, 12)
    rows, left = [], stock
    for month in range(1, 13):
        free = month <= months
        eaten = min(left, 1 + extra) if free else max(0.0, left) / (13 - month)
        left -= eaten
        rows.append({"month": month, "ration_pct": round(100 * eaten, 1),
                     "phase": "eating freely" if free else "rationed"})
    return pd.DataFrame(rows)


def urban_grain_need(new_urban_million: float = 20.0, ration_kg: float = 200.0) -> dict:
    """Extra grain the state must procure to feed people who moved to the towns.

    **Stylised teaching model** of the arithmetic behind the 1961–62 decision to send
    urban residents back to the villages. Assumptions:

    - a villager eats from the village's own grain; once registered as a town dweller,
      he or she eats a state ration, ``ration_kg`` of grain a year, which the state must
      procure from the countryside;
    - nothing else changes: the harvest, rural rations and exports stay as they were
      (in reality the migrants' farm labour was also lost);
    - the result is compared with gross state procurement in 1957 (``procurement``).

    >>> out = urban_grain_need(20, 200)
    >>> out["extra_grain_mt"], out["share_of_1957_procurement_pct"]
    (4.0, 8.3)
    >>> urban_grain_need(-5, 200)
    Traceback (most recent call last):
    ...
    ValueError: new_urban_million must be a number between 0 and 60; got -5
    """
    people = _validate.number(new_urban_million, "new_urban_million", 0.0, 60.0)
    ration = _validate.number(ration_kg, "ration_kg", 100.0, 400.0)
    procured_1957 = float(datasets.load_series("procurement", "procurement_gross").loc[1957])
    extra = people * ration / 1000  # million people x kg = thousand tonnes; / 1000 -> Mt
    return {"new_urban_million": people, "ration_kg": ration,
            "extra_grain_mt": round(extra, 2), "procurement_1957_mt": procured_1957,
            "share_of_1957_procurement_pct": round(100 * extra / procured_1957, 1)}
