"""The territory reference (recueil/territories/): lookups, derivation, checks word for word, ranking, lookup files."""

from __future__ import annotations

import gzip
import json
import textwrap
from pathlib import Path

import pytest

from recueil.bank.bank import load_bank
from recueil.cards.loading import load_card
from recueil.project import Project
from recueil.site.territory_lookup import lookup_files, search_key, shard_of
from recueil.territories.cards import check_territories, plausible_gap
from recueil.territories.reference import REFERENCE, load_reference
from recueil.territories.similar import Place, neighbours, rank
from tests.helpers import ROOT, mini_project, run_check

CARD = textwrap.dedent("""\
    ---
    title: "Test : une expérience"
    summary: Un résumé.
    territory:
    {territory}
    themes: [mobilite]
    recommendations: [observer]
    status: en-cours
    year: 2020
    sources:
      - title: Un document
        date: 2020-01-01
    last_verified: 2026-01-01
    ---

    ## Contexte

    x

    ## Action mise en œuvre

    x

    ## Résultats et perspectives

    x

    ## En savoir plus

    x
    """)


def card(territory: str) -> str:
    return CARD.format(territory=textwrap.indent(textwrap.dedent(territory).strip(), "  "))


def project_with(tmp_path: Path, cards: dict[str, str]) -> Path:
    """The mini fixture site with only these cases."""
    project = mini_project(tmp_path)
    for old in (project / "cases").glob("*.md"):
        old.unlink()
    for name, text in cards.items():
        (project / "cases" / name).write_text(text, encoding="utf-8")
    return project


def problems(tmp_path: Path, territory: str) -> list[str]:
    path = tmp_path / "test.md"
    path.write_text(card(territory), encoding="utf-8")
    parsed = load_card(path, "case", "cases/test.md").parsed
    assert parsed is not None
    return [str(problem) for problem in check_territories([parsed])]


def test_the_reference_holds_communes_epci_departements_regions():
    reference = load_reference()
    ales = reference.commune("30007")
    assert (ales.name, ales.departement.name, ales.region.name, ales.population) == ("Alès", "Gard", "Occitanie", 46125)
    mulhouse = reference.epci("200066009")
    assert (mulhouse.name, mulhouse.kind, mulhouse.kind_label, mulhouse.region.name) == (
        "CA Mulhouse Alsace Agglomération", "CA", "communauté d'agglomération", "Grand Est")
    assert mulhouse.population == sum(member.population or 0 for member in reference.members("200066009"))
    assert reference.former["78411"] == "91411"  # Les Molières moved from Yvelines to Essonne
    assert reference.source.version == "6.0.0" and reference.source.population == "municipale"
    assert len(reference.all_communes()) == 34969 and len(reference.all_epcis()) == 1255
    assert len(reference.regions) >= 18 and len(reference.departements) >= 101


def test_a_fresh_read_of_the_reference_gives_the_whole_reference():
    """What a fresh read gives; how long it takes is measured by benchmarks/bench_reference.py (target < 3 s)."""
    raw = json.loads(gzip.decompress(REFERENCE.read_bytes()))
    assert raw["source"]["population_year"] == 2023
    fresh = load_reference.__wrapped__()  # a fresh read, not the cached one
    assert fresh is not load_reference()
    assert (len(fresh.all_communes()), len(fresh.all_epcis())) == (34969, 1255)
    assert fresh.commune("30007").name == "Alès" and fresh.source.population_year == 2023


def test_a_code_gives_name_kind_departement_region_population(tmp_path):
    project = project_with(tmp_path, {"test.md": card('insee: "35218"')})
    case = load_bank(Project(project)).case_by_slug["test"]
    place = case.meta.territory
    assert (place.name, place.kind, place.departement, place.region) == (
        "Le Petit-Fougeray", "commune", "Ille-et-Vilaine", "Bretagne")
    assert (place.population, place.population_year, place.population_source) == (
        901, 2023, "Insee, population municipale (population légale en vigueur au 1er janvier 2026)")
    assert case.stratum.id == "village" and case.reference.code == "35218"


def test_given_fields_win_and_an_epci_is_an_intercommunalite(tmp_path):
    project = project_with(tmp_path, {"test.md": card("""
        name: Rennes Métropole
        population: 445000
        population_year: 2018
        population_source: Banque des Territoires
        siren: "243500139"
        """)})
    case = load_bank(Project(project)).case_by_slug["test"]
    place = case.meta.territory
    assert (place.name, place.kind, place.region, place.population, place.population_year) == (
        "Rennes Métropole", "intercommunalite", "Bretagne", 445000, 2018)
    assert case.stratum.id == "grande-ville"  # the card's sourced figure gives the size band
    assert case.reference.population == 480178


def test_a_departement_code_gives_its_name_and_region_and_no_population(tmp_path):
    project = project_with(tmp_path, {"test.md": card('name: Essonne (conseil départemental)\ninsee: "91"')})
    case = load_bank(Project(project)).case_by_slug["test"]
    place = case.meta.territory
    assert (place.name, place.kind, place.departement, place.region) == (
        "Essonne (conseil départemental)", "departement", "Essonne", "Île-de-France")
    assert place.population is None and case.stratum.id == "non-renseignee"
    assert case.reference is not None and case.reference.kind_label == "département"


@pytest.mark.parametrize(("territory", "expected"), [
    ('name: Alès\ninsee: "30999"',
     "cases/test.md:6: territory.insee: code 30999 inconnu (vouliez-vous dire Alès, 30007 ?)"),
    ('name: Ales\ninsee: "30999"',
     "cases/test.md:6: territory.insee: code 30999 inconnu (vouliez-vous dire Alès, 30007 ?)"),
    ('name: Ales\ninsee: "30070"',
     "cases/test.md:6: territory.insee: le code 30070 est celui de « Carsan », pas de « Ales » "
     "(vouliez-vous dire Alès, 30007 ?)"),
    ('name: Alès Agglo\nsiren: "200066917"',
     "cases/test.md:6: territory.siren: SIREN 200066917 inconnu (vouliez-vous dire CA Alès Agglomération, 200066918 ?)"),
    ('insee: "30999"',
     "cases/test.md:5: territory.insee: code 30999 inconnu (vérifiez le code, ou donnez le nom de la commune "
     "pour une suggestion)"),
    ('name: Zzyzx\ninsee: "30999"',
     "cases/test.md:6: territory.insee: code 30999 inconnu "
     "(aucune commune de ce nom dans le référentiel : vérifiez le code)"),
    ('name: Les Molières\ninsee: "78411"',
     "cases/test.md:6: territory.insee: code 78411 n'est plus en vigueur (la commune a aujourd'hui le code 91411, "
     "Les Molières)"),
    ('insee: "30007"\nsiren: "200066918"',
     "cases/test.md:6: territory.siren: insee et siren donnés ensemble (une fiche nomme une commune (insee) ou une "
     "intercommunalité (siren), pas les deux)"),
    ('kind: intercommunalite\ninsee: "30007"',
     "cases/test.md:5: territory.kind: 'intercommunalite' ne convient pas à un code de commune "
     "(écrivez kind: commune, ou retirez la ligne)"),
    ('name: Alès-les-Bains\ninsee: "30007"',
     "cases/test.md:5: avertissement: territory.name: « Alès-les-Bains » ne correspond pas au code 30007 "
     "(le référentiel le nomme Alès : vérifiez le code ou le nom)"),
    ('region: Bretagne\ninsee: "30007"',
     "cases/test.md:5: avertissement: territory.region: « Bretagne » n'est pas la région du code 30007 (Occitanie) "
     "(corrigez la région, ou retirez la ligne pour reprendre celle du référentiel)"),
    ('insee: "30007"\npopulation: 40802\npopulation_year: 2018',
     "cases/test.md:6: avertissement: territory.population: 40 802 habitants en 2018, 11,5 % de moins que la "
     "population légale 2023 (46 125) (écart plausible en 5 ans : 9,5 % au plus ; vérifiez le chiffre et sa source, "
     "ou retirez population pour reprendre celle du référentiel)"),
    ('insee: "99"',
     "cases/test.md:5: territory.insee: code 99 inconnu (vérifiez le code du département (par exemple « 91 » pour "
     "l'Essonne, « 2A » pour la Corse-du-Sud))"),
    ('kind: commune\ninsee: "2A"',
     "cases/test.md:5: territory.kind: 'commune' ne convient pas à un code de département "
     "(écrivez kind: departement, ou retirez la ligne)"),
    ("kind: commune", "cases/test.md:4: territory.name: champ obligatoire manquant "
                      "(ajoutez la ligne « name: … », ou le code du territoire : insee ou siren)"),
])
def test_each_territory_problem_word_for_word(tmp_path, territory, expected):
    assert problems(tmp_path, territory) == [expected]


@pytest.mark.parametrize("territory", [
    'insee: "30007"', 'insee: "30007"\npopulation: 45500\npopulation_year: 2022', 'siren: "200066918"',
    'insee: "2A"', 'insee: "971"\nkind: departement',
    "name: Barcelone\nkind: etranger\ncountry: Espagne", "name: Plusieurs villes\nkind: multi-territoires",
])
def test_good_codes_and_cards_without_code_pass(tmp_path, territory):
    assert problems(tmp_path, territory) == []


def test_the_plausible_gap_rule():
    assert plausible_gap(1020, 2023, 1000, 2023).plausible  # 2 % at the same year
    assert not plausible_gap(1030, 2023, 1000, 2023).plausible
    assert plausible_gap(1095, 2018, 1000, 2023).plausible  # 9.5 % allowed over 5 years
    assert not plausible_gap(1100, 2018, 1000, 2023).plausible


def test_check_reports_the_warning_and_the_error(tmp_path):
    project = project_with(tmp_path, {"test.md": card('name: Ales\ninsee: "30999"'),
                                      "autre.md": card('insee: "30007"\npopulation: 40802\npopulation_year: 2018')})
    result = run_check(project)
    assert result.returncode == 1
    assert "cases/test.md:6: territory.insee: code 30999 inconnu (vouliez-vous dire Alès, 30007 ?)" in result.stderr
    assert "cases/autre.md:6: avertissement: territory.population: 40 802 habitants en 2018" in result.stderr


def test_every_french_single_territory_card_has_a_code_and_its_size_is_sourced():
    bank = load_bank(Project(ROOT))
    for case in bank.cases:
        place = case.meta.territory
        if place.country == "France" and place.kind != "multi-territoires":
            assert place.insee or place.siren, case.slug
            assert case.reference is not None, case.slug
        if place.population is not None:
            assert place.population_year and place.population_source, case.slug


def test_neighbouring_regions_are_symmetric_and_known():
    reference = load_reference()
    for region, others in neighbours().items():
        assert region in reference.regions
        for other in others:
            assert region in neighbours()[other], (region, other)


def test_a_900_inhabitant_commune_sees_the_village_cards_first():
    bank = load_bank(Project(ROOT))
    reference = load_reference()
    commune = reference.commune("35218")  # Le Petit-Fougeray, 901 inhabitants, Ille-et-Vilaine
    bands = [s.id for s in bank.taxonomy.strata]
    reader = Place(bands.index(bank.taxonomy.stratum_for(commune.population).id), "commune", commune.region.code,
                   commune.population)
    from recueil.site.territory_lookup import case_kind, case_region
    others = [(case.slug, Place(bands.index(case.stratum.id) if case.stratum.min is not None or case.stratum.max is not None
                                else None, case_kind(case), case_region(case, reference), case.meta.territory.population))
              for case in bank.cases]
    ranked = rank(reader, others)
    villages = {case.slug for case in bank.cases if case.stratum.id == "village"}
    first = ranked[:len(villages)]
    assert {slug for slug, _ in first} == villages  # the bank's village cards come first, all of them
    assert all(reasons[:2] == ["même taille", "même type de territoire"] for _, reasons in first)
    in_region = [slug for slug, reasons in first if "même région" in reasons]
    assert in_region and [slug for slug, _ in first[:len(in_region)]] == in_region  # Bretagne's first
    assert ranked[len(villages)][1][0] == "taille voisine"


def test_lookup_files_are_small_shards():
    bank = load_bank(Project(ROOT))
    files = lookup_files(bank)
    index = json.loads(files["territoires/index.json"])
    assert {case["slug"] for case in index["cases"]} == {case.slug for case in bank.cases}
    biggest = max(len(text.encode()) for path, text in files.items() if path.startswith("territoires/communes-"))
    first_use = len(files["territoires/index.json"].encode()) + len(files["territoires/epci.txt"].encode()) + biggest
    assert first_use < 400_000
    assert "30007|Alès|46125" in files[f"territoires/communes-{shard_of('Alès')}.txt"].splitlines()
    assert "30007|Alès|46125" in files["territoires/codes-30.txt"].splitlines()
    assert (search_key("Les Molières"), shard_of("L'Haÿ-les-Roses")) == ("molieres", "h")
