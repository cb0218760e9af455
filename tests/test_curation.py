"""Curation aids of `recueil check` (likely duplicates, stale facts) and the `recueil stats` summary."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections import Counter
from pathlib import Path

import yaml

from recueil.bank.bank import load_bank
from recueil.bank.freshness import build_date, status_to_confirm
from recueil.project import Project
from recueil.upkeep.curation import curation_warnings
from tests.conftest import ROOT
from tests.helpers import mini_project, run_check
from tests.test_feed import card

TODAY = dt.date.today().isoformat()


def twins(tmp_path: Path) -> Path:
    return mini_project(tmp_path, {
        "brest-atlas-arbres.md": card("Brest : un atlas des arbres de la ville", "Brest", TODAY),
        "brest-atlas-des-arbres.md": card("Brest : l'atlas des arbres de la ville", "Brest", TODAY),
        "brest-budget.md": card("Brest : un budget participatif en ligne", "Brest", TODAY),
        "quimper-atlas-arbres.md": card("Quimper : un atlas des arbres de la ville", "Quimper", TODAY),
    })


def test_close_titles_of_one_territory_are_reported_word_for_word(tmp_path: Path) -> None:
    result = run_check(twins(tmp_path))
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "doublon" in line]
    assert warnings == [
        "cases/brest-atlas-des-arbres.md:2: avertissement: title: doublon probable de cases/brest-atlas-arbres.md : "
        "même territoire (Brest) et titres semblables à 95 % (s'il s'agit de la même expérience, fusionnez les deux "
        "fiches ; sinon, précisez le titre)"
    ]


def test_duplicates_are_github_annotations_too(tmp_path: Path) -> None:
    result = run_check(twins(tmp_path), "--github")
    # `%` is written `%25` in a workflow command, as GitHub documents: the annotation reads « 95 % ».
    assert ("::warning file=cases/brest-atlas-des-arbres.md,line=2::title: doublon probable de "
            "cases/brest-atlas-arbres.md : même territoire (Brest) et titres semblables à 95 %25 (s'il s'agit de la même "
            "expérience, fusionnez les deux fiches ; sinon, précisez le titre)") in result.stderr.splitlines()


def test_stale_cards_are_reported_with_their_age(tmp_path: Path) -> None:
    project = mini_project(tmp_path, {"vieille-fiche.md": card("Vieille : une fiche", "Vieille", "2020-03-01")})
    bank = load_bank(Project(project))
    warnings = [str(w) for w in curation_warnings(bank, max_age_days=730, today=dt.date(2026, 11, 22))]
    assert warnings == [
        "cases/vieille-fiche.md:13: avertissement: last_verified: faits vérifiés le 2020-03-01, il y a 2457 jours "
        "(plus de 730) (revérifiez les faits auprès des sources, puis mettez la date du jour)"
    ]
    assert curation_warnings(bank, max_age_days=0, today=dt.date(2026, 11, 22)) == []


def test_max_age_days_option_of_check(tmp_path: Path) -> None:
    project = mini_project(tmp_path, {"vieille-fiche.md": card("Vieille : une fiche", "Vieille", "2020-03-01")})
    age = (dt.date.today() - dt.date(2020, 3, 1)).days
    default = run_check(project)
    assert default.returncode == 0
    assert (f"cases/vieille-fiche.md:13: avertissement: last_verified: faits vérifiés le 2020-03-01, il y a {age} jours "
            "(plus de 730) (revérifiez les faits auprès des sources, puis mettez la date du jour)"
            ) in default.stderr.splitlines()
    assert "faits vérifiés" not in run_check(project, "--max-age-days", str(age)).stderr
    assert "faits vérifiés" not in run_check(project, "--max-age-days", "0").stderr
    assert run_check(project, "--max-age-days", "0").returncode == 0


def test_real_content_has_no_likely_duplicate() -> None:
    bank = load_bank(Project(ROOT))
    assert [str(w) for w in curation_warnings(bank, max_age_days=0)] == []


def test_stats_counts_cases_per_facet_from_the_card_files() -> None:
    result = subprocess.run([sys.executable, "-m", "recueil.cli", "--root", str(ROOT), "stats"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    cards = [yaml.safe_load(path.read_text(encoding="utf-8").split("\n---", 1)[0].removeprefix("---"))
             for path in sorted(ROOT.glob("cases/*.md"))]
    taxonomy = yaml.safe_load((ROOT / "taxonomies.yml").read_text(encoding="utf-8"))
    assert lines[0] == f"{len(cards)} fiches expérience, {len(list(ROOT.glob('recommendations/*.md')))} recommandations."
    headings = [line for line in lines if line.endswith(" :")]
    assert headings == ["Par thème :", "Par taille de territoire :", "Par recommandation :", "Par programme :",
                        "Par avancement :"]
    themes = Counter(theme for fields in cards for theme in fields["themes"])
    for term in taxonomy["themes"]:
        assert f"{themes[term['id']]:>5}  {term['label']} [{term['id']}]" in lines
    programmes = Counter(fields.get("programme") for fields in cards)
    for term in taxonomy["programmes"]:
        assert f"{programmes[term['id']]:>5}  {term['label']} [{term['id']}]" in lines
    assert f"{programmes[None]:>5}  Sans programme" in lines
    today = build_date()  # what `recueil stats` measures the statuses against

    def status_read(fields: dict) -> str:
        date = str(fields["sources"][fields.get("status_source", 1) - 1]["date"])
        return "a-confirmer" if status_to_confirm(fields["status"], date, today) else fields["status"]

    statuses = Counter(map(status_read, cards))
    assert statuses["a-confirmer"] > 0  # 37 cards on 7 December 2026
    for label, status_id in (("À confirmer", "a-confirmer"), ("En cours", "en-cours"), ("Réalisé", "realise")):
        assert f"{statuses[status_id]:>5}  {label} [{status_id}]" in lines
    recommendations = Counter(ref for fields in cards for ref in fields["recommendations"])
    for path in ROOT.glob("recommendations/*.md"):
        assert any(line.startswith(f"{recommendations[path.stem]:>5}  ") and line.endswith(f"[{path.stem}]")
                   for line in lines), path.stem
    strata = lines[lines.index("Par taille de territoire :") + 1:lines.index("Par recommandation :") - 1]
    assert sum(int(line.split()[0]) for line in strata) == len(cards)  # every case has exactly one size


def test_a_population_in_a_title_or_summary_that_the_page_contradicts_is_reported(tmp_path: Path) -> None:
    def with_population(text: str) -> str:
        return text.replace("  kind: commune\n", "  kind: commune\n  population: 115\n  population_year: 2023\n")

    project = mini_project(tmp_path, {
        "rougon-adresses.md": with_population(card("Rougon : un village de 116 habitants publie ses adresses", "Rougon",
                                                   TODAY, summary="Ce village de Provence de 116 habitants a tout fait.")),
        "autre-adresses.md": with_population(card("Autre : des adresses", "Autre", TODAY,
                                                  summary="Une commune de moins de 3 500 habitants où 500 habitants "
                                                          "engagés ; ce village de 115 habitants.")),
        "ville-adresses.md": with_population(card("Ville : des adresses", "Ville", TODAY,
                                                  summary="Cette ville d'environ 12 500 habitants.")),
    })
    warnings = [str(w) for w in curation_warnings(load_bank(Project(project)), max_age_days=0)]
    hint = ("(retirez le chiffre du titre et du résumé, que les listes montrent sans date ; dans le texte, "
            "datez-le par sa source (« 800 habitants en 2013 »))")
    assert warnings == [
        f"cases/rougon-adresses.md:2: avertissement: title: « 116 habitants » alors que la page affiche une "
        f"population de 115 habitants {hint}",
        f"cases/rougon-adresses.md:3: avertissement: summary: « 116 habitants » alors que la page affiche une "
        f"population de 115 habitants {hint}",
        f"cases/ville-adresses.md:3: avertissement: summary: « 12 500 habitants » alors que la page affiche une "
        f"population de 115 habitants {hint}",
    ]
