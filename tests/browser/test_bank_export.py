"""The bank page exports the current selection: the cards shown, as CSV (valid per the Table Schema) and JSON."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from frictionless import Resource, Schema
from playwright.sync_api import Page, expect


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
    slugs = shown_slugs(page)
    full = list(csv.DictReader(io.StringIO((real_site / "donnees/cas.csv").read_text(encoding="utf-8"))))
    assert 0 < len(slugs) < len(full)
    text = download(page, "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["slug"] for row in rows] == slugs
    assert all("mobilite" in row["themes"].split(";") for row in rows)
    assert rows[0] == next(row for row in full if row["slug"] == slugs[0])
    expect(page.locator(".recueil-export__status")).to_have_text(f"{len(slugs)} expérience(s) téléchargée(s) en CSV.")
    (tmp_path / "selection.csv").write_text(text, encoding="utf-8")
    schema = Schema.from_descriptor(json.loads((real_site / "donnees/cas.tableschema.json").read_text(encoding="utf-8")))
    report = Resource(path="selection.csv", basepath=str(tmp_path), schema=schema).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_json_of_the_selection_follows_filters_and_order(page: Page, site_url: str) -> None:
    page.goto(site_url + "cas/?taille=metropole&tri=population-desc")
    expect(page.locator(".recueil-export")).to_be_visible()
    slugs = shown_slugs(page)
    data = json.loads(download(page, "json"))
    assert [case["slug"] for case in data["cases"]] == slugs
    assert data["count"] == len(slugs) and all(case["stratum"] == "metropole" for case in data["cases"])
    assert "taille=metropole" in data["selection"]
