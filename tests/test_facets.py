"""Facets of the bank: values and counts from the cards, AND/OR semantics, the rendered bank page."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import replace
from functools import cache

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from recueil.bank.bank import FRANCE_NO_REGION, Bank, Case, load_bank
from recueil.bank.facets import (
    NO_PROGRAMME,
    bank_order,
    case_values,
    data_attributes,
    facets,
    matching,
    slug_of,
    year_bounds,
)
from recueil.bank.freshness import TO_CONFIRM, status_to_confirm
from recueil.cards.suggest import fold
from recueil.project import Project
from recueil.site.pages import PageMaker
from tests.helpers import ROOT, mini_project


@cache
def real_bank() -> Bank:
    return load_bank(Project(ROOT))


def facet(param: str):
    return next(f for f in facets(real_bank()) if f.param == param)


def test_theme_and_size_counts_are_those_of_the_cards():
    bank = real_bank()
    themes = Counter(theme for case in bank.cases for theme in case.meta.themes)
    sizes = Counter(case.stratum.id for case in bank.cases)
    assert {v.id: v.count for v in facet("theme").values} == dict(themes)
    assert {v.id: v.count for v in facet("taille").values} == dict(sizes)


def test_values_follow_the_vocabulary_order_and_skip_unused_ones():
    bank = real_bank()
    used = {theme for case in bank.cases for theme in case.meta.themes}
    assert [v.id for v in facet("theme").values] == [t.id for t in bank.taxonomy.themes if t.id in used]
    assert all(v.count > 0 for f in facets(bank) for v in f.values)


def test_values_link_to_their_static_pages():
    assert facet("theme").value("mobilite").page == "themes/mobilite.md"
    assert facet("taille").value("metropole").page == "tailles/metropole.md"
    assert facet("axe").value("a").page == "axes/a.md"
    assert all(v.page and v.page.startswith("recommandations/") for v in facet("recommandation").values)


def test_axes_of_a_case_are_those_of_its_recommendations(tmp_path):
    """tests/fixtures/mini: observer is in axis A, mesurer in axis D."""
    bank = load_bank(Project(mini_project(tmp_path)))
    axes = {case.slug: case_values(case, bank)["axe"] for case in bank.cases}
    assert axes["niort-portail"] == ["a"]  # observer
    assert axes["lyon-mobilite"] == ["d"]  # mesurer
    assert axes["village-fontaines"] == ["a", "d"]  # observer and mesurer: each axis once, in order


def test_axes_of_the_real_cases_are_read_from_the_files():
    """The axis each recommendation file declares, for the recommendations each case file names (read
    with yaml, not by the engine)."""
    bank = real_bank()
    axis_of = {path.stem: _front_matter(path)["axis"].lower() for path in ROOT.glob("recommendations/*.md")}
    for path in sorted(ROOT.glob("cases/*.md")):
        named = {axis_of[ref] for ref in _front_matter(path)["recommendations"]}
        assert set(case_values(bank.case_by_slug[path.stem], bank)["axe"]) == named, path.name


def _front_matter(path):
    return yaml.safe_load(path.read_text(encoding="utf-8").split("\n---", 1)[0].removeprefix("---"))


def test_regions_come_first_then_countries_abroad():
    bank = real_bank()
    labels = [v.label for v in facet("region").values]
    countries = {c.meta.territory.country for c in bank.cases if c.meta.territory.country != "France"}
    assert countries and set(labels[-len(countries):]) == countries
    regions = [label for label in labels[: len(labels) - len(countries)] if label != FRANCE_NO_REGION]
    assert "Île-de-France" in regions and regions == sorted(regions, key=fold)
    abroad = next(c for c in bank.cases if c.meta.territory.country != "France")
    assert abroad.region_label == abroad.meta.territory.country


def test_region_ids_are_url_safe():
    assert slug_of("Île-de-France") == "ile-de-france"
    assert slug_of("Provence-Alpes-Côte d'Azur") == "provence-alpes-cote-d-azur"
    assert slug_of(FRANCE_NO_REGION) == "france-region-non-precisee"
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", v.id) for v in facet("region").values)


def test_a_case_without_programme_is_out_of_programme():
    bank = real_bank()
    case = bank.cases[0]
    bare = Case(replace(case.card, meta=case.meta.model_copy(update={"programme": None})), case.stratum)
    assert case_values(bare, bank)["programme"] == [NO_PROGRAMME]


def test_matching_is_and_across_facets_and_or_within_one():
    bank = real_bank()
    chosen = matching(bank, {"theme": ["mobilite", "energie"], "taille": ["metropole"]})
    expected = {c.slug for c in bank.cases
                if {"mobilite", "energie"} & set(c.meta.themes) and c.stratum.id == "metropole"}
    assert expected and {c.slug for c in chosen} == expected
    assert matching(bank, {}) == bank_order(bank.cases)


def test_year_range_is_inclusive():
    bank = real_bank()
    low, high = year_bounds(bank)
    dated = [c for c in bank.cases if c.meta.year is not None]
    assert 0 < len(dated) < len(bank.cases)  # the content has cards without a start year: a range leaves them out
    assert len(matching(bank, {}, (low, high))) == len(dated)
    middle = sorted(c.meta.year for c in dated)[len(dated) // 2]
    assert {c.slug for c in matching(bank, {}, (middle, middle))} == {c.slug for c in bank.cases if c.meta.year == middle}


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_matching_agrees_with_a_direct_reading_of_the_cards(data):
    bank = real_bank()
    themes = data.draw(st.sets(st.sampled_from([t.id for t in bank.taxonomy.themes]), max_size=3))
    sizes = data.draw(st.sets(st.sampled_from([s.id for s in bank.taxonomy.strata]), max_size=2))
    statuses = data.draw(st.sets(st.sampled_from([s.id for s in bank.taxonomy.statuses] + [TO_CONFIRM]), max_size=2))
    low = data.draw(st.one_of(st.none(), st.integers(2005, 2025)))
    got = {c.slug for c in matching(bank, {"theme": themes, "taille": sizes, "statut": statuses}, (low, None))}
    expected = {c.slug for c in bank.cases
                if (not themes or themes & set(c.meta.themes)) and (not sizes or c.stratum.id in sizes)
                and (not statuses or _status_read(c, bank.reference_date) in statuses)
                and (low is None or (c.meta.year is not None and c.meta.year >= low))}
    assert got == expected


def _status_read(case: Case, today: dt.date) -> str:
    """The status a reader filters on, read from the card: « à confirmer » when the rule says so."""
    return TO_CONFIRM if status_to_confirm(case.meta.status, case.status_date, today) else case.meta.status


def test_bank_order_ignores_accents_and_case():
    bank = real_bank()
    keys = [fold(c.meta.title) for c in bank_order(bank.cases)]
    assert keys == sorted(keys)


def test_bank_page_lists_every_case_with_its_facet_attributes():
    bank = real_bank()
    page = next(p for p in PageMaker(bank, Project(ROOT)).pages() if p.src_uri == "cas/index.md")
    items = re.findall(r'<li class="recueil-case recueil-case--bank"([^>]*)>', page.content)
    assert len(items) == len(bank.cases)
    first = bank_order(bank.cases)[0]
    for name, value in data_attributes(first, bank).items():
        assert f'{name}="{value}"' in items[0]
    checkboxes = re.findall(r'<input type="checkbox" id="recueil-f-([a-z]+)-', page.content)
    assert len(checkboxes) == sum(len(f.values) for f in facets(bank))
    assert page.content.count("<fieldset") == len(facets(bank)) + 1  # + the year range
    assert '<form class="recueil-filters"' in page.content and "hidden>" in page.content
