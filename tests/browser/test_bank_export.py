"""The bank page exports the current selection: the cards shown, as CSV (valid per the Table Schema) and JSON."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from frictionless import Resource, Schema
from playwright.sync_api import Page, expect

from recueil.bank.bank import load_bank
from recueil.project import Project
from tests.conftest import ROOT


def cases_where(test: Callable[[dict[str, Any]], bool]) -> set[str]:
    """Slugs of the cases whose card file's fields pass `test`: computed from the files, not from the page."""
    found = set()
    for path in ROOT.glob("cases/*.md"):
        fields = yaml.safe_load(path.read_text(encoding="utf-8").split("\n---", 1)[0].removeprefix("---"))
        if test(fields):
            found.add(path.stem)
    return found


def shown_slugs(page: Page) -> list[str]:
    return page.locator(".recueil-bank__list > li[data-slug]:visible").evaluate_all(
        "cards => cards.map(card => card.dataset.slug)")


def download(page: Page, format: str) -> str:
    with page.expect_download() as info:
        page.click(f".recueil-export__button[data-format={format}]")
    assert info.value.suggested_filename == f"experiences-selection.{format}"
    return Path(info.value.path()).read_text(encoding="utf-8")


def test_csv_of_the_selection_has_the_rows_shown_and_validates(page: Page, site_url: str, real_site: Path,
                                                               tmp_path: Path) -> None:
    page.goto(site_url + "cas/?theme=mobilite")
    expect(page.locator(".recueil-export")).to_be_visible()
    shown = shown_slugs(page)
    full = list(csv.DictReader(io.StringIO((real_site / "donnees/cas.csv").read_text(encoding="utf-8"))))
    expected = cases_where(lambda fields: "mobilite" in fields["themes"])
    assert 0 < len(expected) < len(full)
    text = download(page, "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    slugs = [row["slug"] for row in rows]
    assert set(slugs) == expected and len(slugs) == len(expected)
    assert slugs[:len(shown)] == shown  # in the order of the page
    assert rows[0] == next(row for row in full if row["slug"] == slugs[0])  # the published row, unchanged
    expect(page.locator(".recueil-export__status")).to_have_text(f"{len(expected)} expérience(s) téléchargée(s) en CSV.")
    (tmp_path / "selection.csv").write_text(text, encoding="utf-8")
    schema = Schema.from_descriptor(json.loads((real_site / "donnees/cas.tableschema.json").read_text(encoding="utf-8")))
    report = Resource(path="selection.csv", basepath=str(tmp_path), schema=schema).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_json_of_the_selection_follows_filters_and_order(page: Page, site_url: str) -> None:
    page.goto(site_url + "cas/?taille=metropole&tri=population-desc")
    expect(page.locator(".recueil-export")).to_be_visible()
    shown = shown_slugs(page)
    data = json.loads(download(page, "json"))
    slugs = [case["slug"] for case in data["cases"]]
    # The population a card gives, else the official reference's for its code (recueil/territories/).
    bank = load_bank(Project(ROOT))
    expected = {case.slug for case in bank.cases if (case.meta.territory.population or 0) >= 500_000}
    assert set(slugs) == expected and data["count"] == len(expected)
    assert slugs[:len(shown)] == shown
    populations = [case["territory"]["population"] for case in data["cases"]]
    assert populations == sorted(populations, reverse=True)
    assert "taille=metropole" in data["selection"]
