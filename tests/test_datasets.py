"""The datasets: names, schema, units, sources and internal consistency."""

from __future__ import annotations

import pandas as pd
import pytest

from beidaihe_course import datasets

REQUIRED = ["communes", "documents", "famine_estimates", "investment", "lost_births",
            "meeting_documents", "population", "procurement", "production", "provinces", "targets",
            "timeline"]
UNITS = {
    "production": {"Mt"},
    "population": {"million persons", "per 1,000"},
    "procurement": {"Mt", "percent"},
    "investment": {"percent", "million", "billion yuan"},
}
YEARS = {"production": (1952, 1966), "population": (1952, 1966),
         "procurement": (1955, 1965), "investment": (1952, 1966)}


def test_required_datasets_are_listed():
    assert datasets.list_datasets() == REQUIRED


@pytest.mark.parametrize("name", REQUIRED)
def test_schema_and_non_empty(name):
    frame = datasets.load(name)
    assert tuple(frame.columns) == datasets.columns(name)
    assert len(frame) > 0


@pytest.mark.parametrize("name", REQUIRED)
def test_every_row_has_sources_in_the_bibliography(name, bib_keys):
    frame = datasets.load(name)
    for cell in frame["source"]:
        keys = [k.strip() for k in cell.split(";")]
        assert keys and all(keys), f"{name}: empty source key in {cell!r}"
        missing = [k for k in keys if k not in bib_keys]
        assert not missing, f"{name}: source keys not in references.bib: {missing}"


@pytest.mark.parametrize("name", sorted(UNITS))
def test_long_format_units_and_years(name):
    frame = datasets.load(name)
    assert set(frame["unit"]) <= UNITS[name]
    low, high = YEARS[name]
    assert frame["year"].between(low, high).all()
    assert not frame.duplicated(["year", "series"]).any(), "one value per year and series"
    assert frame["value"].notna().all()


def test_each_long_series_has_a_single_unit():
    for name in datasets.LONG_FORMAT:
        frame = datasets.load(name)
        assert (frame.groupby("series")["unit"].nunique() == 1).all(), name


def test_production_has_the_required_series():
    assert {"steel", "grain", "grain_revised"} <= set(datasets.list_series("production"))


def test_population_series_complete_1952_1966():
    official = ["crude_birth_rate", "crude_death_rate", "population_yearend"]
    assert set(official) <= set(datasets.list_series("population"))
    for series in official:
        years = datasets.load_series("population", series).index
        assert list(years) == list(range(1952, 1967)), series


def test_rural_deaths_exceed_urban_and_bracket_the_national_rate():
    """The registered famine was rural: in 1960 the rural death rate was about twice the
    urban, and the national rate lies between the two."""
    urban = datasets.load_series("population", "crude_death_rate_urban")
    rural = datasets.load_series("population", "crude_death_rate_rural")
    national = datasets.load_series("population", "crude_death_rate")
    for year in urban.index:
        assert urban[year] < national[year] < rural[year], year
    assert rural[1960] / urban[1960] > 2


def test_reconstructed_death_rates_are_never_below_the_registered_ones():
    registered = datasets.load_series("population", "crude_death_rate")
    banister = datasets.load_series("population", "crude_death_rate_banister")
    assert list(banister.index) == list(range(1957, 1963))
    gap = banister - registered.loc[banister.index]
    assert (gap > 0).all() and gap.idxmax() == 1960


def test_official_vital_rates_match_population_change():
    """Birth minus death rate should roughly match the change in year-end population.

    The famine years are the known exception (the registers missed deaths), so they are
    excluded. Elsewhere the gap stays under 1 % of the population (6.5 million): rates are
    per mid-year population and the 1964 census revised the totals, but a mistyped value
    (say 25.43 for 15.43) would break the bound.
    """
    pop = datasets.load_series("population", "population_yearend")
    births = datasets.load_series("population", "crude_birth_rate")
    deaths = datasets.load_series("population", "crude_death_rate")
    growth_from_rates = (births - deaths) / 1000 * pop.shift(1)
    growth_observed = pop.diff()
    normal_years = [y for y in range(1953, 1967) if y not in range(1959, 1962)]
    gap = (growth_from_rates - growth_observed).loc[normal_years].abs()
    assert (gap < 6.5).all(), gap[gap >= 6.5]


def test_famine_estimates_are_ranges_in_millions():
    frame = datasets.load("famine_estimates")
    assert (frame["low"] <= frame["high"]).all()
    assert frame["low"].between(1, 100).all() and frame["high"].between(1, 100).all()
    assert frame["year_published"].between(1980, 2026).all()
    # the course promises to show the range of views, not one of them
    assert frame["low"].min() <= 20 and frame["high"].max() >= 40


def test_estimates_are_banded_and_every_band_is_present():
    """The registered count, the revisionist band, the scholarly estimates and the top of
    the range are each labelled, so that none is mistaken for another."""
    frame = datasets.load("famine_estimates")
    assert list(frame["band"].unique()) == list(datasets.ESTIMATE_BANDS)
    low = {b: frame.loc[frame["band"] == b, "low"].min() for b in datasets.ESTIMATE_BANDS}
    high = {b: frame.loc[frame["band"] == b, "high"].max() for b in datasets.ESTIMATE_BANDS}
    assert high["revisionist"] < low["registered"] <= high["registered"] < high["scholarly"]
    assert high["upper"] > high["scholarly"]
    assert frame["period"].str.len().gt(0).all() and frame["method"].str.len().gt(20).all()


def test_lost_births_are_kept_apart_from_deaths():
    estimates = datasets.load("famine_estimates")
    assert not estimates["author"].str.contains("birth", case=False).any()
    assert not estimates["method"].str.contains(r"\b76 m", regex=True).any()
    births = datasets.load("lost_births")
    assert births["births_lost_m"].between(1, 100).all()
    assert set(births.columns) == set(datasets.columns("lost_births"))


def test_targets_include_beidaihe_steel_and_ranges_are_paired():
    targets = datasets.load("targets")
    beidaihe = targets[targets["body"].str.startswith("Beidaihe")]
    assert ((beidaihe["commodity"] == "steel") & (beidaihe["target_year"] == 1958)).any()
    assert set(targets["commodity"]) == {"steel", "grain"}
    assert pd.to_datetime(targets["date_set"], format="mixed").between(
        "1956-01-01", "1959-12-31").all()


def test_communes_dates_in_late_1958_and_shares_are_percentages():
    communes = datasets.load("communes")
    dates = pd.to_datetime(communes["date"])
    assert dates.between("1958-08-01", "1958-12-31").all()
    assert communes["household_share_pct"].between(0, 100).all()


def test_timeline_categories_and_beidaihe():
    timeline = datasets.load("timeline")
    assert set(timeline["category"]) == {"context", "decision", "consequence"}
    assert (timeline["date"] == "1958-08-17").any()
    assert timeline["date"].is_monotonic_increasing, "timeline is kept in date order"


def test_load_returns_a_copy():
    first = datasets.load("production")
    first.loc[0, "value"] = -1
    assert datasets.load("production").loc[0, "value"] != -1


def test_provincial_death_rates_are_plausible_and_exceed_the_national_rate_in_1960():
    provinces = datasets.load("provinces")
    assert provinces["crude_death_rate"].between(5, 100).all()
    assert set(provinces["unit"]) == {"per 1,000"}
    national_1960 = datasets.load_series("population", "crude_death_rate")[1960]
    worst = provinces[provinces["year"] == 1960]["crude_death_rate"].max()
    assert worst > national_1960


def test_documents_are_bilingual_dated_sourced_and_placed(bib_keys, root):
    """At least five key documents, each with Chinese and English, a date, sources for
    both texts where a published translation is used, and a lesson that exists."""
    import re

    docs = datasets.load("documents")
    assert len(docs) >= 5
    assert docs["id"].is_unique
    lessons = {p.stem for p in (root / "lessons").glob("*.ipynb")}
    for row in docs.itertuples(index=False):
        assert len(re.findall(r"[\u4e00-\u9fff]", row.excerpt_zh)) >= 20, row.id
        assert not re.search(r"[\u4e00-\u9fff]", row.excerpt_en), row.id
        assert len(row.excerpt_en) > 40 and len(row.translation_note) > 40, row.id
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row.date) and "1956" <= row.date <= "1981-12"
        assert row.translation in {"published", "course", "paraphrase"}, row.id
        assert row.reliability in {"A", "B", "C"}, row.id
        assert row.lesson in lessons, row.id
        assert (row.translation == "published") == bool(row.translation_source), row.id
        for key in filter(None, [row.translation_source]):
            assert key in bib_keys, f"{row.id}: {key} not in references.bib"
        # full-width punctuation, as printed; ASCII commas would mean a normalised copy
        assert not re.search(r"[\u4e00-\u9fff][,:;?!]", row.excerpt_zh), row.id


def test_meeting_documents_name_the_two_published_and_date_the_rest():
    """Beidaihe adopted forty documents and published two: the table keeps that distinction,
    and every title is given in Chinese and English."""
    import re

    docs = datasets.load("meeting_documents")
    assert docs["id"].is_unique and len(docs) >= 10
    assert set(docs["published"]) == {"yes", "no"}
    assert set(docs.loc[docs["published"] == "yes", "id"]) == {"communique", "communes_resolution"}
    assert docs["adopted"].str.fullmatch(r"1958-08(-\d{2})?").all()
    assert docs["title_zh"].map(lambda t: bool(re.search(r"[\u4e00-\u9fff]", t))).all()
    assert not docs["title_en"].str.contains(r"[\u4e00-\u9fff]").any()
