"""Nothing lost: every card file is, exactly once, a page, a case of the bank, a search entry, a row of
the open data (cas.json, cas.csv) and a case of the printed guide — over the real content and over
the real content plus 1,000 synthetic cases.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader

from benchmarks.synthetic import write_synthetic_cases
from recueil.bank.bank import load_bank
from recueil.outputs import booklet, pdf
from recueil.outputs.pdf_cache import order
from recueil.project import Project
from tests.conftest import ROOT, build_site, copy_project
from tests.html_safety import local, parse_document
from tests.search_index import fragments

pytestmark = pytest.mark.slow  # a thousand more cases and the real site (make test-fast leaves it out)

SYNTHETIC = 1_000
CASE_URL = re.compile(r"^/cas/([^/#]+)/$")


def card_slugs(project: Path) -> Counter[str]:
    return Counter(path.stem for path in (project / "cases").rglob("*.md"))


def bank_slugs(site: Path) -> Counter[str]:
    """The cases of the bank page (the list the filters work on): the cards of its HTML are the first
    ones of cas/banque.json, which the page's script reads for the others."""
    root = parse_document((site / "cas" / "index.html").read_text(encoding="utf-8"))
    lists = [el for el in root.iter() if local(str(el.tag)) == "ul" and "recueil-bank__list" in el.get("class", "")]
    assert len(lists) == 1, "one bank list on cas/index.html"
    in_html = [li.get("data-slug") for li in lists[0].iter() if local(str(li.tag)) == "li" and li.get("data-slug")]
    data = [entry[0] for entry in json.loads((site / "cas" / "banque.json").read_text(encoding="utf-8"))["cas"]]
    assert in_html == data[:len(in_html)], "the page's cards are the first of the bank's data, in order"
    return Counter(data)


def page_slugs(site: Path) -> Counter[str]:
    return Counter(page.parent.name for page in (site / "cas").glob("*/index.html"))


def search_slugs(site: Path) -> Counter[str]:
    """Each case page once in the search index (Pagefind's fragments, one per page), filed as a case."""
    return Counter(match.group(1) for record in fragments(site) if (match := CASE_URL.match(record["url"]))
                   and record["filters"].get("Type") == ["Fiche expérience"])


def json_slugs(site: Path) -> Counter[str]:
    data = json.loads((site / "donnees" / "cas.json").read_text(encoding="utf-8"))
    assert data["count"] == len(data["cases"])
    return Counter(case["slug"] for case in data["cases"])


def csv_slugs(site: Path) -> Counter[str]:
    rows = csv.DictReader(io.StringIO((site / "donnees" / "cas.csv").read_text(encoding="utf-8")))
    return Counter(row["slug"] for row in rows)


def booklet_slugs(html: str) -> Counter[str]:
    """The cases of the printed guide: each has its anchor `cas-<slug>` in the booklet WeasyPrint renders."""
    return Counter(re.findall(r'\bid="cas-([a-z0-9-]+)"', html))


def assert_every_card_everywhere(project: Path, site: Path) -> None:
    expected = card_slugs(project)
    assert max(expected.values()) == 1
    found = {"pages": page_slugs(site), "bank": bank_slugs(site), "search": search_slugs(site),
             "cas.json": json_slugs(site), "cas.csv": csv_slugs(site)}
    assert {where: slugs - expected for where, slugs in found.items() if slugs - expected} == {}, "no extra entry"
    assert {where: expected - slugs for where, slugs in found.items() if expected - slugs} == {}, "no card missing"
    summary = (site / "cas" / "index.html").read_text(encoding="utf-8")
    assert f"{len(expected)} fiches expérience" in summary


def test_real_content_is_all_there(real_site):
    assert_every_card_everywhere(ROOT, real_site)


@pytest.fixture(scope="module")
def big_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The real content plus 1,000 synthetic cases, built (--strict, no PDF)."""
    project = copy_project(tmp_path_factory.mktemp("big-project"))
    write_synthetic_cases(project / "cases" / "synthetiques", SYNTHETIC, seed=8)
    site = tmp_path_factory.mktemp("big-site")
    result = build_site(project, site)
    assert result.returncode == 0, result.stderr[-3000:]
    return project, site


def test_a_thousand_more_cases_are_all_there(big_project):
    project, site = big_project
    assert sum(card_slugs(project).values()) == sum(card_slugs(ROOT).values()) + SYNTHETIC
    assert_every_card_everywhere(project, site)


def test_the_printed_guide_of_a_thousand_more_cases_has_them_all(big_project):
    project, _ = big_project
    target = Project(project)
    html = booklet.booklet_html(load_bank(target), target, booklet.BookletInfo())
    assert booklet_slugs(html) == card_slugs(project)


@pytest.mark.pdf
def test_the_printed_guide_has_every_real_case(tmp_path):
    """The real PDF, read back: one named destination `cas-<slug>` per case card, and its title in the text."""
    project = Project(copy_project(tmp_path))
    bank = load_bank(project)
    outcome = pdf.write_pdf(order(bank, project, {}), tmp_path / "guide.pdf")
    reader = PdfReader(outcome.path)
    destinations = Counter(name.removeprefix("cas-") for name in reader.named_destinations if name.startswith("cas-"))
    assert destinations == card_slugs(ROOT)
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))
    assert [case.meta.territory.name for case in bank.cases if case.meta.territory.name not in text] == []
    assert pdf_actions(reader) == set(), "the PDF runs no script and links only to the web or inside itself"


def pdf_actions(reader: PdfReader) -> set[str]:
    """The actions of the PDF other than web links and jumps inside it: JavaScript, launch, forms…"""
    found: set[str] = set()
    catalog = reader.trailer["/Root"]
    if "/OpenAction" in catalog or "/AA" in catalog or "/JavaScript" in catalog.get("/Names", {}):
        found.add("document action")
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is None:
                continue
            kind = action.get("/S")
            uri = str(action.get("/URI", ""))
            if kind not in ("/URI", "/GoTo") or (kind == "/URI" and not uri.startswith(("https://", "http://"))):
                found.add(f"{kind} {uri[:60]}")
    return found
