"""End to end: a card added the documented way (`recueil new case`, fields filled, `recueil check`) reaches
its page, the bank and its filters, the search index, the open data, the feed and the PDF."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from frictionless import Resource, Schema
from pypdf import PdfReader

from tests.conftest import ROOT, build_site, copy_project
from tests.search_index import by_url

pytestmark = pytest.mark.pdf  # builds the site with its PDF

SLUG = "saint-testin-inventaire-des-crues"
TITLE = "Saint-Testin-des-Bois : un inventaire partagé des crues du ruisseau"
TODAY = dt.date.today()
KEPT_CASES = ("niort-portail-ressources-naturelles.md", "lyon-tuba.md", "vitre-ilots-chaleur-urbains.md")


def recueil(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "recueil.cli", "--root", str(project), *args],
                          capture_output=True, text=True, timeout=120)


def fill(skeleton: str) -> str:
    """What a contributor does with the skeleton: replace the examples, drop the unknown optional fields."""
    values = {
        "title": json.dumps(TITLE, ensure_ascii=False),
        "summary": "La commune recense les crues avec ses habitants et publie l'inventaire en données ouvertes.",
        "name": "Saint-Testin-des-Bois", "population": "1234", "population_year": "2021",
        "population_source": "Insee, population légale 2021", "region": "Occitanie", "lat": "43.9", "lon": "2.1",
        "themes": "[ilots-chaleur-adaptation, participation-citoyenne]", "recommendations": "[usages-donnee-citoyens]",
        "status": "en-cours", "year": str(TODAY.year), "actors": '["Commune de Saint-Testin-des-Bois"]',
        "data": '["relevés de hauteur d\'eau"]', "label": "Crues recensées", "value": '"12"',
        "title_source": '"Bulletin municipal, printemps 2024"', "url": "https://example.org/bulletin",
        "last_verified": TODAY.isoformat(),
    }
    lines, seen_title = [], False
    for line in skeleton.split("\n"):
        match = re.match(r"^(\s*(?:- )?)([a-z_]+): (.*)$", line)
        if match and not line.lstrip().startswith("#"):
            indent, key, _ = match.groups()
            if key in ("insee", "programme"):
                continue
            if key == "title" and seen_title:
                key = "title_source"
            seen_title = seen_title or key == "title"
            if key in values:
                line = f"{indent}{match.group(2)}: {values[key]}"
        lines.append(line)
    text = "\n".join(lines)
    return (text.replace("La situation de départ : le territoire, le problème à résoudre, en quelques phrases.",
                         "Le ruisseau déborde plusieurs fois par an.")
            .replace("Ce qui a été fait, avec quelles données, par qui.", "Les habitants signalent chaque crue.")
            .replace("Ce qui en est sorti (chiffres si la source en donne) et la suite prévue.", "Douze crues recensées."))


@pytest.fixture(scope="module")
def added(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    # The whole project but a few of its cases: the booklet stays short to print, the path is the same.
    project = copy_project(tmp_path_factory.mktemp("projet"), with_content=False)
    shutil.copytree(ROOT / "recommendations", project / "recommendations", dirs_exist_ok=True)
    for name in KEPT_CASES:
        shutil.copy(ROOT / "cases" / name, project / "cases" / name)
    created = recueil(project, "new", "case", SLUG)
    assert created.returncode == 0, created.stderr
    card = project / "cases" / f"{SLUG}.md"
    card.write_text(fill(card.read_text(encoding="utf-8")), encoding="utf-8")
    checked = recueil(project, "check")
    assert checked.returncode == 0, checked.stderr
    assert SLUG not in checked.stderr  # no warning about the new card either
    site = tmp_path_factory.mktemp("site")
    built = build_site(project, site, pdf=True)
    assert built.returncode == 0, built.stderr
    return project, site


def test_card_has_its_page(added: tuple[Path, Path]) -> None:
    _, site = added
    page = (site / "cas" / SLUG / "index.html").read_text(encoding="utf-8")
    assert html.escape(TITLE, quote=False) in page and "Douze crues recensées." in page


def test_card_is_in_the_bank_and_its_filter_pages(added: tuple[Path, Path]) -> None:
    _, site = added
    bank = (site / "cas" / "index.html").read_text(encoding="utf-8")
    item = re.search(rf'<li [^>]*data-slug="{SLUG}"[^>]*>', bank)
    assert item, "the card is not in the bank"
    # The values the bank's filters read (theme, size) are on the card.
    assert 'data-theme="ilots-chaleur-adaptation participation-citoyenne"' in item.group(0)
    assert 'data-taille="village"' in item.group(0)
    for listing in ("themes/ilots-chaleur-adaptation", "themes/participation-citoyenne", "tailles/village"):
        assert f"cas/{SLUG}/" in (site / listing / "index.html").read_text(encoding="utf-8"), listing
    assert f"cas/{SLUG}/" not in (site / "tailles/grande-ville/index.html").read_text(encoding="utf-8")
    assert "lyon-tuba" in (site / "tailles/metropole/index.html").read_text(encoding="utf-8")


def test_card_is_in_the_search_index(added: tuple[Path, Path]) -> None:
    """Its page is indexed, with its title, its text and the facets of its card as filters."""
    _, site = added
    record = by_url(site)[f"/cas/{SLUG}/"]
    assert record["meta"]["title"] == TITLE and "Douze crues recensées." in record["content"]
    assert record["filters"]["Thème"] == ["Adaptation au changement climatique", "Participation citoyenne"]
    assert record["filters"]["Taille du territoire"] == ["Village (moins de 3 500 hab.)"]
    assert record["filters"]["Région ou pays"] == ["Occitanie"] and record["filters"]["Type"] == ["Fiche expérience"]


def test_card_is_in_the_open_data(added: tuple[Path, Path]) -> None:
    _, site = added
    cases = json.loads((site / "donnees/cas.json").read_text(encoding="utf-8"))["cases"]
    mine = next(case for case in cases if case["slug"] == SLUG)
    assert mine["title"] == TITLE and mine["stratum"] == "village" and mine["territory"]["population"] == 1234
    rows = list(csv.DictReader(io.StringIO((site / "donnees/cas.csv").read_text(encoding="utf-8"))))
    row = next(row for row in rows if row["slug"] == SLUG)
    assert row["themes"] == "ilots-chaleur-adaptation;participation-citoyenne"
    assert row["key_figures"] == "Crues recensées — 12"
    schema = json.loads((site / "donnees/cas.tableschema.json").read_text(encoding="utf-8"))
    report = Resource(path="cas.csv", basepath=str(site / "donnees"), schema=Schema.from_descriptor(schema)).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "note"])


def test_card_opens_the_feed(added: tuple[Path, Path]) -> None:
    _, site = added
    atom = "{http://www.w3.org/2005/Atom}"
    first = ET.parse(site / "flux.xml").getroot().find(f"{atom}entry")
    assert first.findtext(f"{atom}title") == TITLE
    assert first.find(f"{atom}link").get("href").endswith(f"/cas/{SLUG}/")


def test_card_is_in_the_pdf(added: tuple[Path, Path]) -> None:
    _, site = added
    pdfs = sorted(site.rglob("*.pdf"))
    assert pdfs, "the build with RECUEIL_PDF=1 wrote no PDF"
    text = " ".join(page.extract_text() or "" for page in PdfReader(pdfs[0]).pages)
    assert "Saint-Testin-des-Bois" in re.sub(r"\s+", " ", text)
