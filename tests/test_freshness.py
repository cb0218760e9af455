"""The freshness of a status (recueil/bank/freshness.py): « en projet » or « en cours » on the word of a document more
than 4 years old is « à confirmer », one fact per case that the page, the filters, the exports and the PDF all show.

The mini site's dates (tests/fixtures/mini): Lyon is « en cours » on a document of November 2019, Niort on one of
13 October 2022, Fontaines is « réalisé » (2020).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from recueil.bank.bank import Bank, load_bank
from recueil.bank.facets import bank_data, data_attributes, facets, matching, value_labels
from recueil.bank.freshness import CONFIRM_AFTER_YEARS, TO_CONFIRM, TO_CONFIRM_LABEL, last_day, status_to_confirm
from recueil.outputs.booklet import BookletInfo
from recueil.outputs.export import case_records, csv_text, table_schema
from recueil.outputs.pdf import write_pdf
from recueil.outputs.pdf_cache import Order, booklet_key, content_hash
from recueil.project import Project
from recueil.search.filters import case_filters, url_parameters
from recueil.site.pages import PageMaker
from tests.helpers import mini_project, run_check

NIORT_FRESH = dt.date(2026, 10, 13)  # exactly 4 years after Niort's document: not yet « more than »
NIORT_OLD = dt.date(2026, 10, 14)


@pytest.mark.parametrize(("status", "date", "today", "expected"), [
    ("en-cours", "2022-10-13", dt.date(2026, 10, 13), False),  # exactly 4 years
    ("en-cours", "2022-10-13", dt.date(2026, 10, 14), True),
    ("en-cours", "2022-10", dt.date(2026, 10, 31), False),  # a month counts as its last day
    ("en-cours", "2022-10", dt.date(2026, 11, 1), True),
    ("en-cours", "2022", dt.date(2026, 12, 31), False),  # a year counts as 31 December
    ("en-cours", "2022", dt.date(2027, 1, 1), True),
    ("projet", "2019", dt.date(2026, 1, 1), True),
    ("projet", "2024-05", dt.date(2026, 1, 1), False),
    ("realise", "2010", dt.date(2026, 1, 1), False),
    ("arrete", "2010", dt.date(2026, 1, 1), False),
    ("non-renseigne", "2010", dt.date(2026, 1, 1), False),
    ("en-cours", None, dt.date(2026, 1, 1), False),  # no date, nothing to measure (the check refuses it)
    ("en-cours", "", dt.date(2026, 1, 1), False),
    ("en-cours", "2096-02-29", dt.date(2100, 2, 28), False),  # 2100 has no 29 February: 28 February
    ("en-cours", "2096-02-29", dt.date(2100, 3, 1), True),
])
def test_the_rule(status: str, date: str | None, today: dt.date, expected: bool) -> None:
    assert status_to_confirm(status, date, today) is expected


def test_the_threshold_is_one_number() -> None:
    assert CONFIRM_AFTER_YEARS == 4
    assert status_to_confirm("en-cours", "2022-10-13", dt.date(2024, 10, 14), years=2)
    assert not status_to_confirm("en-cours", "2022-10-13", dt.date(2024, 10, 14), years=3)


def test_a_partial_date_means_its_last_day() -> None:
    assert last_day("2024") == dt.date(2024, 12, 31)
    assert last_day("2024-02") == dt.date(2024, 2, 29)
    assert last_day("2023-02") == dt.date(2023, 2, 28)
    assert last_day("2023-02-03") == dt.date(2023, 2, 3)


def mini_bank(tmp_path: Path, today: dt.date) -> tuple[Bank, Project]:
    project = Project(mini_project(tmp_path))
    return load_bank(project, today=today), project


def test_the_bank_computes_it_once_per_case_for_its_reference_date(tmp_path: Path) -> None:
    bank, _ = mini_bank(tmp_path, NIORT_FRESH)
    assert bank.reference_date == NIORT_FRESH
    marked = {case.slug: (case.status_to_confirm, case.status_value) for case in bank.cases}
    assert marked == {"lyon-mobilite": (True, TO_CONFIRM), "niort-portail": (False, "en-cours"),
                      "village-fontaines": (False, "realise")}
    later = load_bank(Project(tmp_path), today=NIORT_OLD)
    assert later.case_by_slug["niort-portail"].status_to_confirm


def test_the_reference_date_is_the_builds_unless_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = Project(mini_project(tmp_path))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2026, 10, 13, 12, tzinfo=dt.UTC).timestamp())))
    pinned = load_bank(project)
    assert pinned.reference_date == NIORT_FRESH and not pinned.case_by_slug["niort-portail"].status_to_confirm
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert load_bank(project).reference_date == dt.date.today()


def test_the_case_page_says_when_the_last_public_information_dates_from(tmp_path: Path) -> None:
    bank, project = mini_bank(tmp_path, NIORT_FRESH)
    pages = {page.src_uri: page.content for page in PageMaker(bank, project).case_pages()}
    assert ('<dd>En cours en 2019 (dernière information publique) — <strong>à confirmer</strong> : '
            '<span class="recueil-status-source">selon <a href="#recueil-page-source-1">la source 1</a> (novembre 2019), '
            'il y a plus de 4 ans</span></dd>') in pages["cas/lyon-mobilite.md"]
    niort = pages["cas/niort-portail.md"]
    assert ('<dd>En cours, <span class="recueil-status-source">selon <a href="#recueil-page-source-1">la source 1</a> '
            '(13 octobre 2022)</span></dd>') in niort
    assert "à confirmer" not in niort and "À confirmer" not in niort
    assert "à confirmer" not in pages["cas/village-fontaines.md"]


def test_the_bank_filters_on_a_confirmer_with_one_label(tmp_path: Path) -> None:
    bank, project = mini_bank(tmp_path, NIORT_FRESH)
    status = next(facet for facet in facets(bank) if facet.param == "statut")
    assert [(value.id, value.label, value.count) for value in status.values] == [
        ("en-cours", "En cours", 1), (TO_CONFIRM, "À confirmer", 1), ("realise", "Réalisé", 1)]
    assert [case.slug for case in matching(bank, {"statut": [TO_CONFIRM]})] == ["lyon-mobilite"]
    assert [case.slug for case in matching(bank, {"statut": ["en-cours"]})] == ["niort-portail"]
    lyon = bank.case_by_slug["lyon-mobilite"]
    assert data_attributes(lyon, bank)["data-statut"] == TO_CONFIRM
    data = json.loads(bank_data(bank))
    assert TO_CONFIRM in data["facettes"]["statut"]
    bank_page = next(page.content for page in PageMaker(bank, project).pages() if page.src_uri == "cas/index.md")
    assert ('<input type="checkbox" id="recueil-f-statut-a-confirmer" name="statut" value="a-confirmer">'
            '<label for="recueil-f-statut-a-confirmer">À confirmer <span class="recueil-facet__count">(1)</span></label>'
            ) in bank_page
    assert value_labels(bank)["statut"][1][TO_CONFIRM] == TO_CONFIRM_LABEL


def test_the_search_files_the_case_under_the_same_label(tmp_path: Path) -> None:
    bank, _ = mini_bank(tmp_path, NIORT_FRESH)
    labels = value_labels(bank)
    assert case_filters(bank.case_by_slug["lyon-mobilite"], bank, labels)["Avancement"] == ["À confirmer"]
    assert case_filters(bank.case_by_slug["niort-portail"], bank, labels)["Avancement"] == ["En cours"]
    assert url_parameters(bank)["statut"]["values"][TO_CONFIRM] == "À confirmer"  # type: ignore[index]


def test_the_exports_carry_the_fact_with_its_description(tmp_path: Path) -> None:
    bank, _ = mini_bank(tmp_path, NIORT_FRESH)
    rows = {row["slug"]: row for row in csv.DictReader(io.StringIO(csv_text(bank, "https://x.fr/")))}
    assert {slug: row["status_to_confirm"] for slug, row in rows.items()} == {
        "lyon-mobilite": "true", "niort-portail": "false", "village-fontaines": "false"}
    records = {record["slug"]: record for record in case_records(bank, "https://x.fr/")}
    assert {slug: record["status_to_confirm"] for slug, record in records.items()} == {
        "lyon-mobilite": True, "niort-portail": False, "village-fontaines": False}
    field = next(field for field in table_schema(bank, "https://x.fr/")["fields"] if field["name"] == "status_to_confirm")
    assert field["type"] == "boolean" and field["title"] == "Avancement à confirmer"
    assert field["description"] == (
        "true quand l'avancement est « à confirmer » : la fiche dit l'action « en projet » ou « en cours » (status) "
        "selon un document (status_source) daté de plus de 4 ans le jour de la publication du fichier ; false sinon. "
        "Calculé, pas saisi.")


def test_a_booklet_printed_before_a_status_aged_is_not_reused_after(tmp_path: Path) -> None:
    fresh, project = mini_bank(tmp_path, NIORT_FRESH)
    old = load_bank(project, today=NIORT_OLD)
    info, content = BookletInfo(date=NIORT_FRESH), content_hash(project)
    assert booklet_key(content, fresh, info) != booklet_key(content, old, info)
    assert booklet_key(content, fresh, info) == booklet_key(content, load_bank(project, today=NIORT_FRESH), info)


@pytest.mark.pdf
def test_the_pdf_prints_the_status_to_confirm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECUEIL_CACHE", str(tmp_path / "cache"))
    bank, project = mini_bank(tmp_path / "mini", NIORT_FRESH)
    target = tmp_path / "guide.pdf"
    info = BookletInfo(date=NIORT_FRESH)
    write_pdf(Order(bank, project, info, None, booklet_key(content_hash(project), bank, info)), target, reuse=False)
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(target).pages))
    assert re.sub(r"\s+", "", "En cours en 2019 (dernière information publique) — à confirmer : selon la source 1 "
                              "(novembre 2019), il y a plus de 4 ans") in text
    assert re.sub(r"\s+", "", "En cours, selon la source 1 (13 octobre 2022)") in text  # Niort, fresh that day
    assert text.count("àconfirmer") == 1


def test_check_refuses_an_ongoing_status_with_a_past_end_year_and_accepts_the_others(tmp_path: Path) -> None:
    year = dt.date.today().year
    niort = (Path(__file__).parent / "fixtures" / "mini" / "cases" / "niort-portail.md").read_text(encoding="utf-8")
    this_year = niort.replace("year: 2022\n", f"year: 2022\nend_year: {year}\n", 1)
    done = niort.replace("status: en-cours", "status: realise").replace("year: 2022\n", "year: 2022\nend_year: 2023\n", 1)
    assert this_year != niort and "end_year: 2023" in done
    accepted = run_check(mini_project(tmp_path / "ok", {"cette-annee.md": this_year, "fini.md": done}))
    assert accepted.returncode == 0, accepted.stderr
    past = niort.replace("year: 2022\n", f"year: 2022\nend_year: {year - 1}\n", 1)
    refused = run_check(mini_project(tmp_path / "ko", {"passe.md": past}))
    assert refused.returncode == 1
    assert [line for line in refused.stderr.splitlines() if line.startswith("cases/passe.md")] == [
        f"cases/passe.md:18: end_year: l'action est « en cours » mais son année de fin, {year - 1}, est passée "
        "(si elle est finie, écrivez status: realise ou arrete ; sinon, corrigez ou retirez end_year)"]


def test_a_rebuild_on_a_later_day_shows_the_status_that_aged(tmp_path: Path) -> None:
    """Under `mkdocs serve`, pages and CSV rows of unchanged cards are reused (recueil/memory.py): not when a
    status aged."""
    project = Project(mini_project(tmp_path))
    fresh, old = load_bank(project, today=NIORT_FRESH), load_bank(project, today=NIORT_OLD)
    before = {page.src_uri: page.content for page in PageMaker(fresh, project).pages()}
    after = {page.src_uri: page.content for page in PageMaker(old, project).pages()}
    rows = [{row["slug"]: row["status_to_confirm"] for row in csv.DictReader(io.StringIO(csv_text(bank, "")))}
            for bank in (fresh, old)]
    assert rows[0]["niort-portail"] == "false" and rows[1]["niort-portail"] == "true"
    assert "à confirmer" not in before["cas/niort-portail.md"] and "à confirmer" in after["cas/niort-portail.md"]
    facet = 'À confirmer <span class="recueil-facet__count">({})</span>'
    assert facet.format(1) in before["cas/index.md"] and facet.format(2) in after["cas/index.md"]
