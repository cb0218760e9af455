"""A recommendation's label and the list of size strata are each made in one place: every page, filter,
form, count and booklet that shows them reads that place (a renamed label shows everywhere at once)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from recueil.bank.bank import Bank, load_bank
from recueil.bank.facets import value_labels
from recueil.cards.models import RecommendationCard
from recueil.cards.taxonomy import Taxonomy, load_taxonomy
from recueil.outputs.booklet import BookletInfo, booklet_html
from recueil.outputs.export import table_schema
from recueil.outputs.labels import choice_labels
from recueil.project import Project
from recueil.site.pages import PageMaker, recommendation_nav
from recueil.upkeep.curation import bank_stats
from tests.conftest import ROOT
from tests.helpers import mini_project


@pytest.fixture
def mini(tmp_path: Path) -> tuple[Bank, Project]:
    project = Project(mini_project(tmp_path))
    return load_bank(project), project


def test_a_recommendation_is_named_by_its_number_and_title(mini: tuple[Bank, Project]) -> None:
    bank, _ = mini
    rec = bank.recommendation_by_slug["mesurer"]  # tests/fixtures/mini/recommendations/mesurer.md
    assert rec.meta.label == "9. Mesurer les impacts"
    assert rec.meta.full_label == "Recommandation 9 : Mesurer les impacts"


def test_every_place_reads_the_label_of_the_models(mini: tuple[Bank, Project], monkeypatch: pytest.MonkeyPatch) -> None:
    bank, project = mini
    monkeypatch.setattr(RecommendationCard, "label", property(lambda rec: f"LABEL-{rec.number}"))
    monkeypatch.setattr(RecommendationCard, "full_label", property(lambda rec: f"FULL-{rec.number}"))
    assert value_labels(bank)["recommandation"][1]["mesurer"] == "LABEL-9"
    assert choice_labels(bank)["recommendations"]["mesurer"] == "LABEL-9"
    assert ("LABEL-9", "mesurer", len(bank.recommendation_by_slug["mesurer"].cases)) in bank_stats(bank)[
        "Par recommandation"]
    assert "{'LABEL-9': 'recommandations/mesurer.md'}" in str(recommendation_nav(bank))
    pages = {page.src_uri: page.content for page in PageMaker(bank, project).pages()}
    assert "LABEL-9" in pages["recommandations/index.md"] and "LABEL-1" in pages["recommandations/index.md"]
    assert 'title: "FULL-9"' in pages["recommandations/mesurer.md"]
    case = next(case for case in bank.cases if "mesurer" in case.meta.recommendations)
    assert "FULL-9" in pages[f"cas/{case.slug}.md"]
    axis = bank.recommendation_by_slug["mesurer"].meta.axis
    assert "LABEL-9" in pages[f"axes/{axis.lower()}.md"]
    booklet = booklet_html(bank, project, BookletInfo())
    assert 'data-label="LABEL-9"' in booklet and "FULL-9" in booklet


def _taxonomy_without_unknown(tmp_path: Path) -> Taxonomy:
    data = yaml.safe_load((ROOT / "taxonomies.yml").read_text(encoding="utf-8"))
    data["strata"] = [stratum for stratum in data["strata"] if stratum["id"] != "non-renseignee"]
    (tmp_path / "taxonomies.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_taxonomy(tmp_path / "taxonomies.yml")


def test_the_strata_a_case_can_have_end_with_the_unknown_one_once(tmp_path: Path) -> None:
    listed = load_taxonomy(ROOT / "taxonomies.yml")
    assert [s.id for s in listed.strata_with_unknown] == [s.id for s in listed.strata]  # listed: not added again
    assert listed.strata_with_unknown[-1].id == "non-renseignee"
    unlisted = _taxonomy_without_unknown(tmp_path)
    assert "non-renseignee" not in unlisted.ids("strata")
    assert [s.id for s in unlisted.strata_with_unknown] == [*unlisted.ids("strata"), "non-renseignee"]


def test_the_counts_and_the_csv_list_the_strata_of_the_taxonomy(mini: tuple[Bank, Project],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    bank, _ = mini
    strata = bank.taxonomy.strata[:2]
    monkeypatch.setattr(Taxonomy, "strata_with_unknown", property(lambda taxonomy: list(strata)))
    assert [term_id for _, term_id, _ in bank_stats(bank)["Par taille de territoire"]] == [s.id for s in strata]
    column = next(field for field in table_schema(bank, "")["fields"] if field["name"] == "stratum")
    assert column["constraints"]["enum"] == [s.id for s in strata]
