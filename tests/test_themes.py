"""The theme vocabulary narrows the bank: no theme too thin to be worth a filter, none a catch-all.

The counts are read from the cards themselves, so that a retagged or added card is checked at once.
The rules are written for maintainers in docs/maintenance/themes.md (issue #13, item 7).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from recueil.bank.bank import Bank, load_bank
from recueil.cards.taxonomy import load_taxonomy
from recueil.project import Project

ROOT = Path(__file__).resolve().parent.parent
PROJECT = Project(ROOT)
THEMES = load_taxonomy(PROJECT.taxonomy).themes  # the vocabulary only, read at collection: the cards wait for a test

MIN_CARDS = 3  # below this, a filter brings back one or two cards: merge the theme with a neighbour
MAX_SHARE = 0.40  # above this, a filter does not narrow: split the theme or tighten its tagging
MAX_THEMES_PER_CARD = 4  # the main subject first; three are enough for nearly every card


@pytest.fixture(scope="module")
def bank() -> Bank:
    """Every card of the repository, loaded once for this module when its first test runs."""
    return load_bank(PROJECT)


def _count(bank: Bank, theme_id: str) -> int:
    return len(bank.cases_by_theme.get(theme_id, []))


def test_the_bank_uses_the_vocabulary_the_tests_are_parametrized_with(bank):
    assert [theme.id for theme in bank.taxonomy.themes] == [theme.id for theme in THEMES]


@pytest.mark.parametrize("theme", THEMES, ids=lambda theme: theme.id)
def test_each_theme_holds_enough_cards_to_be_a_useful_filter(bank, theme):
    assert _count(bank, theme.id) >= MIN_CARDS, (
        f"{theme.id} holds {_count(bank, theme.id)} card(s): merge it or tag the cards whose real subject it is "
        "(docs/maintenance/themes.md)")


@pytest.mark.parametrize("theme", THEMES, ids=lambda theme: theme.id)
def test_no_theme_is_a_catch_all(bank, theme):
    total = len(bank.cases)
    assert _count(bank, theme.id) <= MAX_SHARE * total, (
        f"{theme.id} holds {_count(bank, theme.id)} of {total} cards: keep it only where it is a real subject, "
        "or split it (docs/maintenance/themes.md)")


def test_no_card_has_too_many_themes(bank):
    crowded = {case.slug: case.meta.themes for case in bank.cases if len(case.meta.themes) > MAX_THEMES_PER_CARD}
    assert crowded == {}


def test_no_card_repeats_a_theme(bank):
    repeated = [case.slug for case in bank.cases if len(set(case.meta.themes)) != len(case.meta.themes)]
    assert repeated == []


def test_each_theme_has_a_label_and_a_one_line_description():
    for theme in THEMES:
        assert theme.label.strip() and theme.description.strip(), theme.id
        assert "\n" not in theme.description.strip(), theme.id


def test_the_maintainers_page_covers_every_theme():
    """docs/maintenance/themes.md says what each theme covers: a new or renamed theme is described there."""
    page = (ROOT / "docs" / "maintenance" / "themes.md").read_text(encoding="utf-8")
    missing = [theme.id for theme in THEMES if f"`{theme.id}`" not in page]
    assert missing == []
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "maintenance/themes.md" in nav
