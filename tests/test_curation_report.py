"""`recueil curation-report`: the Markdown the monthly workflow posts in its one issue."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

from recueil.bank.bank import load_bank
from recueil.project import Project
from recueil.upkeep.link_check import LinkResult, Place
from recueil.upkeep.report import MAX_CHARS, curation_report
from tests.helpers import mini_project

TODAY = dt.date(2027, 11, 15)
FILE_URL = "https://github.com/datacites/recueil/blob/main/{path}"


def test_cards_past_the_age_are_listed_oldest_first_with_a_link_to_their_file(tmp_path: Path) -> None:
    bank = load_bank(Project(mini_project(tmp_path)))
    # The mini cards were verified on 2026-09-01 (lyon), 2026-10-01 (village) and 2026-11-01 (niort).
    text = curation_report(bank, TODAY, 400, FILE_URL)
    section = text.split("## Fiches à revérifier (2)\n", 1)[1].split("## Statuts à confirmer", 1)[0]
    items = [line for line in section.splitlines() if line.startswith("- ")]
    assert len(items) == 2
    assert items[0].endswith("(https://github.com/datacites/recueil/blob/main/cases/lyon-mobilite.md) : "
                             "faits vérifiés le 2026-09-01, il y a 440 jours")
    assert "cases/village-fontaines.md) : faits vérifiés le 2026-10-01, il y a 410 jours" in items[1]
    assert "niort" not in section
    assert "Liens non vérifiés" in text
    assert "## Fiches à revérifier (0)\n" in curation_report(bank, TODAY, 1000, FILE_URL)


def test_statuses_to_confirm_are_those_of_the_freshness_rule(tmp_path: Path) -> None:
    """The same cases as the « à confirmer » mark of the pages (recueil/bank/freshness.py), oldest source first."""
    bank = load_bank(Project(mini_project(tmp_path)), today=TODAY)
    marked = [case for case in bank.cases if case.status_to_confirm]
    assert marked, "the mini bank has an old ongoing status on that day"
    text = curation_report(bank, TODAY, 400, FILE_URL)
    section = text.split(f"## Statuts à confirmer ({len(marked)})\n", 1)[1].split("## Liens cassés", 1)[0]
    items = [line for line in section.splitlines() if line.startswith("- ")]
    assert [item.split("/cases/", 1)[1].split(".md)", 1)[0] for item in items] == [
        case.slug for case in sorted(marked, key=lambda case: (case.status_date, case.slug))]
    assert all("« En cours » selon une source de" in item for item in items)
    fresh = load_bank(Project(mini_project(tmp_path / "autre")), today=dt.date(2020, 1, 1))
    assert "## Statuts à confirmer (0)\n" in curation_report(fresh, dt.date(2020, 1, 1), 400, FILE_URL)


def test_dead_links_come_from_the_link_check(tmp_path: Path) -> None:
    bank = load_bank(Project(mini_project(tmp_path)))
    results = [LinkResult("https://example.org/disparu", 404, "Not Found"),
               LinkResult("https://example.org/vivant", 200, "OK")]
    places = {"https://example.org/disparu": [Place("cases/niort-portail.md", 12)],
              "https://example.org/vivant": [Place("cases/lyon-mobilite.md", 9)]}
    text = curation_report(bank, TODAY, 400, "", (results, places))
    links = text.split("## Liens cassés\n", 1)[1]
    assert "2 adresses vérifiées : 1 cassée(s)" in links
    assert "| <https://example.org/disparu> | 404 Not Found | `cases/niort-portail.md:12` |" in links
    assert "vivant" not in links
    assert "\n# " not in links  # the link report's own title is left out, its sections one level down
    assert "- [" in text and "](cases/lyon-mobilite.md)" in text  # without a repository: the path


def test_titles_cannot_break_the_markdown_and_the_report_fits_an_issue(tmp_path: Path) -> None:
    project = mini_project(tmp_path)
    card = project / "cases" / "lyon-mobilite.md"
    card.write_text(card.read_text(encoding="utf-8").replace(
        'title: "Lyon : partager', 'title: "Lyon [test](https://pub.example) | **gras** : partager'), encoding="utf-8")
    bank = load_bank(Project(project))
    text = curation_report(bank, TODAY, 400, FILE_URL)
    assert "Lyon \\[test\\](https://pub.example) \\| \\*\\*gras\\*\\*" in text
    huge = [LinkResult(f"https://example.org/{n}", 404, "Not Found") for n in range(2000)]
    places = {result.url: [Place("cases/niort-portail.md", 12)] for result in huge}
    long_text = curation_report(bank, TODAY, 400, FILE_URL, (huge, places))
    assert len(long_text) <= MAX_CHARS + 100 and long_text.endswith("(rapport coupé : trop long pour un ticket)\n")


def test_the_command_prints_the_report(tmp_path: Path) -> None:
    project = mini_project(tmp_path)
    result = subprocess.run([sys.executable, "-m", "recueil.cli", "--root", str(project), "curation-report",
                             "--max-age-days", "0"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Suivi des fiches\n")
    assert "## Fiches à revérifier (3)" in result.stdout
    assert "(https://github.com/example/mini/blob/main/cases/lyon-mobilite.md)" in result.stdout  # from mkdocs.yml
