"""Each fact derived from a case is decided once, on the `Case` (recueil/bank/bank.py), and read everywhere.

The bug that made it matter: a card written `country: france` passed `recueil check`, was filed abroad in the
bank under a country « france », and was drawn on the map all the same.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from recueil.bank.bank import Bank, Case, Recommendation, load_bank
from recueil.bank.facets import case_values, facets, matching, selects, slug_of, value_labels
from recueil.cards.models import CaseCard
from recueil.outputs.booklet import Selection
from recueil.outputs.export import case_records, csv_text
from recueil.project import Project
from recueil.search.filters import case_filters
from recueil.site.france_map import group_by_region, layout_france_map
from tests.helpers import MINI, mini_project, run_check

LYON = (MINI / "cases" / "lyon-mobilite.md").read_text(encoding="utf-8")
REGION = "Auvergne-Rhône-Alpes"


def _with_country(country: str) -> str:
    assert "  country: France\n" in LYON
    return LYON.replace("  country: France\n", f"  country: {country}\n")


@pytest.mark.parametrize("written", ["France", "france", "FRANCE", "  France ", "Françe", "FR", "fr"])
def test_france_however_written_is_read_as_france(written: str) -> None:
    assert CaseCard.model_validate(_lyon_meta(written)).territory.country == "France"


@pytest.mark.parametrize("written", ["Belgique", "Frankreich", "Francia", "Fr. Polynesia"])
def test_another_country_is_kept_as_written(written: str) -> None:
    assert CaseCard.model_validate(_lyon_meta(written)).territory.country == written


def _lyon_meta(country: str) -> dict[str, object]:
    import yaml

    data = yaml.safe_load(_with_country(f'"{country}"').split("\n---", 1)[0].removeprefix("---"))
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def lowercase_bank(tmp_path_factory: pytest.TempPathFactory) -> tuple[Bank, Path]:
    """The mini site with Lyon's card written `country: france`."""
    root = mini_project(tmp_path_factory.mktemp("lowercase"))
    (root / "cases" / "lyon-mobilite.md").write_text(_with_country("france"), encoding="utf-8")
    return load_bank(Project(root)), root


def test_check_accepts_the_card(lowercase_bank: tuple[Bank, Path]) -> None:
    result = run_check(lowercase_bank[1])
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_bank_files_it_in_france_under_its_region(lowercase_bank: tuple[Bank, Path]) -> None:
    bank, _ = lowercase_bank
    lyon = bank.case_by_slug["lyon-mobilite"]
    assert (lyon.country, lyon.in_france, lyon.region_label) == ("France", True, REGION)
    assert case_values(lyon, bank)["region"] == [slug_of(REGION)]
    regions = next(facet for facet in facets(bank) if facet.param == "region")
    assert [value.label for value in regions.values if value.id == slug_of(REGION)] == [REGION]
    assert not [value for value in regions.values if value.label.casefold() == "france"]
    labels = value_labels(bank)
    assert case_filters(lyon, bank, labels)[labels["region"][0]] == [REGION]


def test_the_map_draws_it_and_lists_it_under_its_region(lowercase_bank: tuple[Bank, Path]) -> None:
    bank, _ = lowercase_bank
    drawn = layout_france_map(bank.cases, bank.taxonomy.strata)
    assert "lyon-mobilite" in {marker.case.slug for marker in drawn.markers}
    assert "lyon-mobilite" not in {case.slug for case in drawn.others}
    groups = dict(group_by_region(bank.cases))
    assert "lyon-mobilite" in {case.slug for case in groups[REGION]}
    assert "france" not in groups


def test_the_exports_say_france(lowercase_bank: tuple[Bank, Path]) -> None:
    bank, _ = lowercase_bank
    rows = {row["slug"]: row for row in csv.DictReader(io.StringIO(csv_text(bank, "https://x.fr/")))}
    country_columns = [name for name in rows["lyon-mobilite"] if name.endswith("country")]
    assert country_columns and all(rows["lyon-mobilite"][name] == "France" for name in country_columns)
    records = {record["slug"]: record for record in case_records(bank, "https://x.fr/")}
    assert records["lyon-mobilite"]["territory"]["country"] == "France"


def test_the_point_check_reads_fr_as_france(tmp_path: Path) -> None:
    """The warning for a point outside France reads the country by the same rule: « FR » is France."""
    card = _with_country("FR").replace("lat: 45.7640", "lat: 4.8357").replace("lon: 4.8357", "lon: 45.7640")
    root = mini_project(tmp_path, {"lyon-mobilite.md": card})
    result = run_check(root)
    assert "hors de France" in result.stdout + result.stderr and "lyon-mobilite.md" in result.stdout + result.stderr


def test_case_facts_are_the_ones_every_reader_uses(lowercase_bank: tuple[Bank, Path]) -> None:
    bank, _ = lowercase_bank
    for case in bank.cases:
        assert case.axes == tuple(sorted({bank.recommendation_by_slug[ref].meta.axis
                                          for ref in case.meta.recommendations}))
        assert case_values(case, bank)["axe"] == [axis.lower() for axis in case.axes]
    assert [case.slug for case in bank.cases] == [case.slug for case in sorted(bank.cases, key=lambda c: c.sort_key)]
    assert {axis: [c.slug for c in cases] for axis, cases in bank.cases_by_axis.items()} == {
        axis: [c.slug for c in bank.cases if axis in c.axes] for axis in {a for c in bank.cases for a in c.axes}}


def test_the_pdf_selection_is_the_banks_rule(lowercase_bank: tuple[Bank, Path]) -> None:
    bank, _ = lowercase_bank
    taxonomy = bank.taxonomy
    for axis in taxonomy.axes:
        for stratum in taxonomy.strata_with_unknown:
            selection = Selection(strata=(stratum.id,), axis=axis.id)
            expected = matching(bank, {"taille": [stratum.id], "axe": [axis.id.lower()]})
            assert [c for c in bank.cases if selection.matches(c, bank)] == expected
            assert all(selects(c, bank, {"taille": [stratum.id]}) == (c.stratum.id == stratum.id) for c in bank.cases)


def test_building_a_bank_leaves_its_inputs_as_they_were(lowercase_bank: tuple[Bank, Path]) -> None:
    bank, _ = lowercase_bank
    cases: list[Case] = list(reversed(bank.cases))
    recommendations = [Recommendation(rec.card) for rec in reversed(bank.recommendations)]
    before = ([c.slug for c in cases], [r.slug for r in recommendations])
    rebuilt = Bank(bank.taxonomy, cases, recommendations)
    assert ([c.slug for c in cases], [r.slug for r in recommendations]) == before
    assert all(rec.cases == [] for rec in recommendations)
    assert [c.slug for c in rebuilt.cases] == [c.slug for c in bank.cases]
    assert {r.slug: [c.slug for c in r.cases] for r in rebuilt.recommendations} == {
        r.slug: [c.slug for c in r.cases] for r in bank.recommendations}
    assert any(r.cases for r in rebuilt.recommendations)
