"""Open data published by the build: every case in cas.json and cas.csv, the CSV valid per its Table Schema."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from frictionless import Resource, Schema
from pydantic import BaseModel, Field

from recueil.bank.bank import load_bank
from recueil.cards.models import CaseCard, RecommendationCard
from recueil.cards.schema import field_titles
from recueil.outputs import export
from recueil.outputs.contribution import form_settings, issue_form
from recueil.outputs.export import case_records, csv_text
from recueil.project import Project
from recueil.territories.reference import load_reference
from tests.conftest import ROOT
from tests.helpers import mini_project

CASES = sorted(ROOT.glob("cases/*.md"))
RECOMMENDATIONS = sorted(ROOT.glob("recommendations/*.md"))


def front_matter(path: Path) -> dict[str, Any]:
    """A card's fields read straight from its file, independently of the engine."""
    return yaml.safe_load(path.read_text(encoding="utf-8").split("\n---", 1)[0].removeprefix("---"))


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def table_schema(site: Path) -> dict[str, Any]:
    return json.loads((site / "donnees/cas.tableschema.json").read_text(encoding="utf-8"))


def validate_csv(folder: Path, name: str, schema: dict[str, Any]) -> Any:
    return Resource(path=name, basepath=str(folder), schema=Schema.from_descriptor(schema)).validate()


def test_every_case_is_in_the_json_with_its_fields(real_site: Path) -> None:
    data = json.loads((real_site / "donnees/cas.json").read_text(encoding="utf-8"))
    by_slug = {case["slug"]: case for case in data["cases"]}
    assert sorted(by_slug) == [path.stem for path in CASES] and data["count"] == len(CASES)
    for path in CASES:
        fields, exported = front_matter(path), by_slug[path.stem]
        assert exported["title"] == fields["title"].strip()
        assert exported["themes"] == fields["themes"]
        named = fields["territory"].get("name")  # else the official reference's, by the card's code
        code, siren = fields["territory"].get("insee"), fields["territory"].get("siren")
        reference = (load_reference().commune(code) if code and len(code) == 5
                     else load_reference().epci(siren) if siren else None)
        assert exported["territory"]["name"] == (named or (reference.name if reference else None)), path.stem
        assert exported["url"] == f"https://datacites.github.io/recueil/cas/{path.stem}/"
        assert list(exported["sections"])[:3] == ["Contexte", "Action mise en œuvre", "Résultats et perspectives"]


def test_every_case_is_a_row_of_the_csv(real_site: Path) -> None:
    rows = {row["slug"]: row for row in read_csv(real_site / "donnees/cas.csv")}
    assert sorted(rows) == [path.stem for path in CASES]
    for path in CASES:
        fields, row = front_matter(path), rows[path.stem]
        assert row["themes"].split(";") == fields["themes"]
        assert row["recommendations"].split(";") == fields["recommendations"]
        population = fields["territory"].get("population")
        if population is not None:  # a card with a code and no figure gets the reference's (tests/test_territories.py)
            assert row["territory_population"] == str(population)
        assert row["territory_insee"] == (fields["territory"].get("insee") or "")
        assert row["territory_siren"] == (fields["territory"].get("siren") or "")
        assert row["last_verified"] == str(fields["last_verified"])
        assert row["sources"].split(" | ")[0].startswith(fields["sources"][0]["title"].strip())


def test_csv_validates_with_frictionless_against_its_table_schema(real_site: Path) -> None:
    report = validate_csv(real_site / "donnees", "cas.csv", table_schema(real_site))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    fields = {field["name"]: field for field in table_schema(real_site)["fields"]}
    insee = re.compile(fields["territory_insee"]["constraints"]["pattern"])  # Table Schema: the whole value
    assert [bool(insee.fullmatch(code)) for code in ("30007", "2A004", "91", "2B", "971", "3000", "9")] == \
        [True, True, True, True, True, False, False]
    assert fields["territory_siren"]["constraints"]["pattern"] == "\\d{9}"
    assert report.tasks[0].stats["rows"] == len(CASES)


def test_table_schema_constraints_catch_a_wrong_row(real_site: Path, tmp_path: Path) -> None:
    """The schema is not a formality: an unknown theme, a text population, an empty id fail validation."""
    rows = read_csv(real_site / "donnees/cas.csv")
    rows[0]["themes"] = "mobilite;theme-inconnu"
    rows[1]["territory_population"] = "beaucoup"
    rows[2]["slug"] = ""
    with (tmp_path / "cas.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    report = validate_csv(tmp_path, "cas.csv", table_schema(real_site))
    errors = {(row, field, kind) for row, field, kind in report.flatten(["rowNumber", "fieldName", "type"])}
    assert errors == {(2, "themes", "constraint-error"), (3, "territory_population", "type-error"),
                      (4, "slug", "constraint-error"), (4, None, "primary-key")}


def test_table_schema_documents_every_column_in_french(real_site: Path) -> None:
    schema = table_schema(real_site)
    header = next(csv.reader(io.StringIO((real_site / "donnees/cas.csv").read_text(encoding="utf-8"))))
    assert [field["name"] for field in schema["fields"]] == header
    for field in schema["fields"]:
        assert field["title"] and field["description"].endswith("."), field["name"]
    by_name = {field["name"]: field for field in schema["fields"]}
    assert by_name["territory_population"]["title"] == "Population"
    assert by_name["territory_population"]["description"] == CaseCard.model_fields["territory"].annotation.model_fields[
        "population"].description
    assert by_name["territory_population"]["type"] == "integer"
    assert by_name["last_verified"]["type"] == "date"
    assert "Plusieurs valeurs séparées par « ; »" in by_name["themes"]["description"]
    for key in ("name", "title", "description", "homepage", "licenses", "version", "contributors", "primaryKey"):
        assert schema[key], key


def _fields(model: type[BaseModel], prefix: str = "") -> list[tuple[str, str | None]]:
    fields = []
    for name, info in model.model_fields.items():
        fields.append((prefix + name, info.title))
        for candidate in (info.annotation, *getattr(info.annotation, "__args__", ())):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                fields += _fields(candidate, f"{prefix}{name}.")
    return fields


@pytest.mark.parametrize("model", [CaseCard, RecommendationCard])
def test_every_field_of_the_models_has_a_french_title(model: type[BaseModel]) -> None:
    untitled = [path for path, title in _fields(model) if not title]
    assert not untitled, f"give these fields a title (Field(title=...)) in recueil/cards/models.py: {untitled}"


def test_the_table_schema_and_the_forms_show_the_titles_of_the_models(tmp_path: Path) -> None:
    """The models are the one place a field is named: every output shows the model's title, and nothing else."""
    bank = load_bank(Project(mini_project(tmp_path)))
    titles = dict(_fields(CaseCard))
    by_column = {path.replace(".", "_"): title for path, title in titles.items()}
    columns = {field["name"]: field["title"] for field in export.table_schema(bank, "")["fields"]}
    derived = ("slug", "stratum", "axes", "url", "status_to_confirm")
    card_columns = {name: title for name, title in columns.items() if name not in derived}
    assert card_columns == {name: by_column[name] for name in card_columns}
    assert card_columns["territory_population_year"] == "Année de la population"
    assert form_settings(bank, "", "main")["labels"] == titles
    issue = yaml.safe_load(issue_form(bank))
    controls = {item["id"]: item["attributes"]["label"] for item in issue["body"] if item.get("id") in by_column}
    assert controls == {name: by_column[name] for name in card_columns}


def test_a_field_without_a_title_is_refused_by_name() -> None:
    class Untitled(BaseModel):
        named: str = Field(title="Nommé")
        bare: str

    with pytest.raises(ValueError, match=r"Untitled\.bare: give the field a title"):
        field_titles(Untitled)


def test_recommendations_json_lists_each_recommendation_and_its_cases(real_site: Path) -> None:
    data = json.loads((real_site / "donnees/recommandations.json").read_text(encoding="utf-8"))
    assert sorted(rec["slug"] for rec in data["recommendations"]) == [path.stem for path in RECOMMENDATIONS]
    for rec in data["recommendations"]:
        citing = sorted(path.stem for path in CASES if rec["slug"] in front_matter(path)["recommendations"])
        assert sorted(rec["cases"]) == citing
        assert rec["title"] and rec["axis"] in "ABCD" and rec["axis_label"]
    assert [rec["number"] for rec in data["recommendations"]] == sorted(rec["number"] for rec in data["recommendations"])


def test_data_page_lists_the_files_and_every_column(real_site: Path) -> None:
    page = (real_site / "donnees/index.html").read_text(encoding="utf-8")
    for name in ("cas.csv", "cas.json", "cas.tableschema.json", "recommandations.json"):
        assert f'href="{name}"' in page
    assert 'href="../flux.xml"' in page
    for field in table_schema(real_site)["fields"]:
        assert f"<code>{field['name']}</code>" in page


@pytest.mark.parametrize("site_url", ["", "https://exemple.fr/recueil/"])
def test_export_command_writes_the_same_files(tmp_path: Path, site_url: str) -> None:
    command = [sys.executable, "-m", "recueil.cli", "--root", str(ROOT), "export", "--out", str(tmp_path)]
    result = subprocess.run(command + (["--site-url", site_url] if site_url else []), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"5 fichiers écrits dans {tmp_path}"
    rows = read_csv(tmp_path / "donnees/cas.csv")
    assert len(rows) == len(CASES)
    assert rows[0]["url"] == f"{site_url}cas/{rows[0]['slug']}/"
    assert (tmp_path / "flux.xml").read_text(encoding="utf-8").startswith('<?xml version="1.0" encoding="utf-8"?>')


def test_exports_made_again_after_an_edit_follow_the_edited_card_only(tmp_path):
    """Rows are kept from one export to the next while their card is unchanged (mkdocs serve)."""
    project = Project(mini_project(tmp_path))
    first = load_bank(project)
    before = {row["slug"]: row for row in csv.DictReader(io.StringIO(csv_text(first, "https://x.fr/")))}
    card = project.cases / "niort-portail.md"
    text = card.read_text(encoding="utf-8")
    card.write_text(text.replace("population: 59059", "population: 600000"), encoding="utf-8")
    os.utime(card, ns=(card.stat().st_mtime_ns + 10**9,) * 2)
    second = load_bank(project)
    after = {row["slug"]: row for row in csv.DictReader(io.StringIO(csv_text(second, "https://y.fr/")))}
    records = {record["slug"]: record for record in case_records(second, "https://y.fr/")}
    assert before["niort-portail"]["territory_population"] == "59059"
    assert after["niort-portail"]["territory_population"] == "600000"
    assert after["niort-portail"]["stratum"] != before["niort-portail"]["stratum"]
    assert records["niort-portail"]["territory"]["population"] == 600000
    assert all(row["url"].startswith("https://y.fr/") for row in after.values())
    assert all(record["url"].startswith("https://y.fr/") for record in records.values())
    assert {slug: {k: v for k, v in row.items() if k != "url"} for slug, row in after.items() if slug != "niort-portail"} \
        == {slug: {k: v for k, v in row.items() if k != "url"} for slug, row in before.items() if slug != "niort-portail"}


def test_formula_looking_cells_are_neutralised_by_the_csv_writer(tmp_path: Path) -> None:
    """What the check lets through (a minus or plus then a digit) still reaches no spreadsheet as a formula:
    the writer prefixes such a cell with an apostrophe; the file stays valid for its Table Schema."""
    card = (ROOT / "tests/hostile/cards/valide.md").read_text(encoding="utf-8")
    card = card.replace("summary: Une fiche", "summary: \"-2+3+cmd|' /C calc'!A0 une fiche") \
               .replace("corpus hostile, valide sauf à l'endroit testé.", "corpus hostile\"") \
               .replace("  region: Bretagne", "  region: \"+1+1\"")
    project = mini_project(tmp_path / "project", {"formules.md": card})
    bank = load_bank(Project(project))
    (tmp_path / "donnees").mkdir()
    (tmp_path / "donnees/cas.csv").write_text(csv_text(bank, ""), encoding="utf-8", newline="")
    report = validate_csv(tmp_path / "donnees", "cas.csv", export.table_schema(bank, ""))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    row = next(row for row in Resource(path="cas.csv", basepath=str(tmp_path / "donnees")).read_rows()
               if row["slug"] == "formules")
    assert (row["summary"], row["territory_region"]) == ("'-2+3+cmd|' /C calc'!A0 une fiche du corpus hostile", "'+1+1")
    assert [export.cell(value) for value in ("=1", "@A1", "\tx", "\rx", "-x", "texte", -3, None)] == \
        ["'=1", "'@A1", "'\tx", "'\rx", "'-x", "texte", -3, ""]
