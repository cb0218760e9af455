"""Guards on the real content: the guide complete, the bank coherent, the vocabularies used."""

from __future__ import annotations

from pathlib import Path

import pytest

from recueil.bank.bank import load_bank
from recueil.cards.models import RECOMMENDATION_SECTIONS
from recueil.cards.structure import sections_of
from recueil.project import Project

ROOT = Path(__file__).resolve().parent.parent
BANK = load_bank(Project(ROOT))


def test_the_guide_has_its_nine_recommendations_in_four_axes():
    assert [rec.meta.number for rec in BANK.recommendations] == list(range(1, 10))
    by_axis = {axis.id: [r.meta.number for r in BANK.recommendations_in(axis)] for axis in BANK.taxonomy.axes}
    assert by_axis == {"A": [1, 2, 3], "B": [4, 5], "C": [6, 7], "D": [8, 9]}


@pytest.mark.parametrize("rec", BANK.recommendations, ids=lambda rec: rec.slug)
def test_each_recommendation_has_all_its_sections_and_two_cases(rec):
    meta = rec.meta
    assert meta.objectives and meta.owners and meta.key_steps and meta.contributors
    assert meta.resources.strip() and meta.feasibility.note.strip() and meta.inspirations
    titled = {title: text for title, text in sections_of(rec.card.body)}
    for title in RECOMMENDATION_SECTIONS:
        assert len(titled.get(title, "")) > 200, f"{rec.slug}: section {title} is missing or thin"
    assert len(rec.cases) >= 2


def test_bank_size_and_sources():
    assert len(BANK.cases) >= 50
    for case in BANK.cases:
        assert case.meta.sources, case.slug
        assert len(case.card.body) > 400, f"{case.slug}: body too thin"


def test_every_theme_is_used():
    unused = [theme.id for theme in BANK.taxonomy.themes if not BANK.cases_by_theme.get(theme.id)]
    assert unused == []


def test_every_programme_has_cases():
    empty = [p.id for p in BANK.taxonomy.programmes if not BANK.cases_by_programme.get(p.id)]
    assert empty == []


def test_programme_counts_match_the_sources():
    counts = {pid: len(cases) for pid, cases in BANK.cases_by_programme.items()}
    assert counts["tee-2022"] == 6
    assert counts["datacites-2"] == 4
    assert counts["datacites-1"] == 15  # the guide's 10 experience cards + 5 experiences told in its text


def test_cases_in_france_have_coordinates_for_the_map():
    # A card about several territories (a national call) is not pinned on the map.
    missing = [case.slug for case in BANK.cases
               if case.meta.territory.lat is None and case.meta.territory.kind != "multi-territoires"]
    assert missing == []


def test_sizes_are_given_with_their_year_and_source():
    for case in BANK.cases:
        place = case.meta.territory
        if place.population is not None:
            assert place.population_year and place.population_source, case.slug
