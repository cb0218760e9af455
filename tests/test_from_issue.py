"""`recueil from-issue`: the body of a « Proposer une expérience » issue, as GitHub renders it, becomes a card.

Bodies are written here the way GitHub renders an issue form (`### Label`, blank line, value,
`_No response_`, dropdown options by label joined by ", ", `- [X]` checkboxes), from the committed
issue form for the real bank and from the generated one for the mini project. The hostile corpus
goes through the same path: a card that `recueil check` refuses is never written.
"""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from recueil.bank.bank import load_bank
from recueil.cli import main as recueil_main
from recueil.outputs.contribution import ISSUE_FORM_PATH, issue_form_data
from recueil.project import Project
from tests.conftest import ROOT, copy_project
from tests.helpers import mini_project, run_check

HOSTILE = ROOT / "tests" / "hostile"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((HOSTILE / "expected.yml").read_text(encoding="utf-8"))
CONSENTED = None  # every checkbox ticked


def render(form: dict[str, Any], values: dict[str, str | None], ticked: int | None = CONSENTED) -> str:
    """An issue's body as GitHub writes it from an issue form's answers, by control id."""
    blocks = []
    for item in form["body"]:
        if item["type"] == "markdown":
            continue
        attributes = item["attributes"]
        if item["type"] == "checkboxes":
            options = attributes["options"]
            count = len(options) if ticked is None else ticked
            value = "\n".join(f"- [{'X' if n < count else ' '}] {option['label']}" for n, option in enumerate(options))
        else:
            value = values.get(item["id"]) or "_No response_"
        blocks.append(f"### {attributes['label']}\n\n{value}")
    return "\n\n".join(blocks)


def option(form: dict[str, Any], control: str, term: str) -> str:
    item = next(item for item in form["body"] if item.get("id") == control)
    return next(label for label in item["attributes"]["options"] if label.endswith(f"({term})"))


@dataclass
class Outcome:
    returncode: int
    stdout: str
    stderr: str


def from_issue(project: Path, body: str, tmp_path: Path) -> Outcome:
    """`recueil from-issue` in this process (the command itself is run once in a subprocess below)."""
    body_file = tmp_path / "ticket.md"
    body_file.write_text(body, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = recueil_main(["--root", str(project), "from-issue", str(body_file)])
    return Outcome(code, out.getvalue(), err.getvalue())


REAL_FORM = yaml.safe_load((ROOT / ISSUE_FORM_PATH).read_text(encoding="utf-8"))


def real_values() -> dict[str, str | None]:
    return {
        "title": "Villeneuve-sur-Test : un inventaire partagé des arbres",
        "summary": "La commune publie l'inventaire de ses arbres en données ouvertes\net le met à jour avec les habitants.",
        "territory_name": "Villeneuve-sur-Test",
        "territory_kind": option(REAL_FORM, "territory_kind", "commune"),
        "territory_population": "2 480",
        "territory_population_year": "2021",
        "territory_region": "Occitanie",
        "themes": ", ".join([option(REAL_FORM, "themes", "gouvernance-donnees"),
                             option(REAL_FORM, "themes", "biodiversite-nature")]),
        "recommendations": option(REAL_FORM, "recommendations", "federer-donnee-interet-general"),
        "status": option(REAL_FORM, "status", "en-cours"),
        "year": "2023",
        "actors": "Commune de Villeneuve-sur-Test\nAssociation des amis des arbres",
        "key_figures": "Arbres recensés — 4 512",
        "sources": "Délibération du conseil municipal du 3 mars 2023 — https://example.org/deliberation — 2023-03-03\n"
                   "Inventaire des arbres — https://example.org/arbres\n"
                   "- Bilan 2019–2021 —  — 2024",
        "last_verified": "2026-11-02",
        "section_contexte": "Un village de 2 480 habitants.\n\nSes arbres n'étaient pas recensés.",
        "section_action_mise_en_oeuvre": "- un inventaire\n- une carte\n\n| Données | Mise à jour |\n| --- | --- |\n"
                                         "| Arbres | chaque année |",
        "section_resultats_et_perspectives": "### Ce qui a changé\n\nPas encore de résultat publié.",
    }


@pytest.fixture(scope="module")
def real_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("reel"))


def test_a_real_shaped_body_becomes_a_card_that_check_accepts(real_project: Path, tmp_path: Path) -> None:
    result = from_issue(real_project, render(REAL_FORM, real_values()), tmp_path)
    assert result.returncode == 0, result.stderr
    written = result.stdout.strip()
    assert written == "cases/villeneuve-sur-test-un-inventaire-partage-des-arbres.md"
    text = (real_project / written).read_text(encoding="utf-8")
    try:
        fields = yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n"))
        assert fields["territory"] == {"name": "Villeneuve-sur-Test", "kind": "commune", "population": 2480,
                                       "population_year": 2021, "region": "Occitanie"}
        assert fields["themes"] == ["gouvernance-donnees", "biodiversite-nature"]  # in the order chosen
        assert fields["recommendations"] == ["federer-donnee-interet-general"]
        assert fields["status"] == "en-cours" and fields["year"] == 2023
        assert fields["summary"] == real_values()["summary"]
        assert fields["key_figures"] == [{"label": "Arbres recensés", "value": "4 512"}]
        assert fields["sources"] == [
            {"title": "Délibération du conseil municipal du 3 mars 2023", "url": "https://example.org/deliberation",
             "date": "2023-03-03"},
            {"title": "Inventaire des arbres", "url": "https://example.org/arbres"},
            {"title": "Bilan 2019–2021", "date": "2024"}]  # a bullet dropped, a part left out, a range kept
        assert "territory_name" not in text and "_No response_" not in text
        assert "## Action mise en œuvre\n\n- un inventaire\n- une carte\n\n| Données |" in text
        assert "## Résultats et perspectives\n\n### Ce qui a changé\n" in text  # a heading inside a text stays
        assert "## En savoir plus" not in text  # left empty: the card lists its sources
        check = run_check(real_project)
        assert check.returncode == 0, check.stderr
    finally:
        (real_project / written).unlink()


def test_the_converter_reads_the_committed_form_the_same_as_the_generated_one() -> None:
    bank = load_bank(Project(ROOT))
    assert issue_form_data(bank) == REAL_FORM


@pytest.mark.parametrize(("change", "expected"), [
    ({"title": None}, "- Titre : ce champ est obligatoire, il est vide"),
    ({"territory_population": "environ 2 000"}, "- Population : « environ 2 000 » n'est pas un nombre entier"),
    ({"themes": "Sport (sport)"}, "- Thèmes : choix inconnu « Sport (sport) »"),
    ({"sources": "Titre — https://example.org — 2023 — en — en trop"},
     "- Sources : « Titre — https://example.org — 2023 — en — en trop » a trop de parties"),
    ({"territory_name": "Villeneuve\nsur-Test"}, "- Nom du territoire : une seule ligne est attendue"),
    ({"year": "1850"}, "- Année de début (year) : valeur trop petite (elle doit être au moins 1900)"),
    ({"sources": "Délibération — javascript:alert(1)"}, "- Sources (sources[0].url) : adresse web invalide"),
    ({"section_contexte": "Un village.\n\n<script>alert(1)</script>"}, "balise <script> interdite"),
    ({"last_verified": "2999-01-01"}, "- Faits vérifiés le (last_verified) : date dans le futur"),
])
def test_each_problem_is_listed_by_field_and_nothing_is_written(real_project: Path, tmp_path: Path,
                                                                 change: dict[str, str | None], expected: str) -> None:
    before = sorted(path.name for path in (real_project / "cases").iterdir())
    result = from_issue(real_project, render(REAL_FORM, {**real_values(), **change}), tmp_path)
    assert result.returncode == 1, result.stdout
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == "La proposition ne peut pas encore devenir une fiche :"
    assert any(expected in line for line in lines[1:]), result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(path.name for path in (real_project / "cases").iterdir()) == before


def test_unticked_consents_and_missing_headings_are_problems(real_project: Path, tmp_path: Path) -> None:
    body = render(REAL_FORM, real_values(), ticked=1)
    result = from_issue(real_project, body, tmp_path)
    assert result.returncode == 1
    assert result.stderr.count("- Engagements : case non cochée") == 2
    without_status = re.sub(r"### Avancement\n\n[^\n]*\n\n", "", body)
    result = from_issue(real_project, without_status, tmp_path)
    assert result.returncode == 1
    assert "- Avancement : rubrique absente du ticket" in result.stderr


def test_an_existing_card_is_never_overwritten(real_project: Path, tmp_path: Path) -> None:
    existing = next((real_project / "cases").glob("*.md"))
    values = {**real_values(), "title": existing.stem.replace("-", " ")}
    before = existing.read_text(encoding="utf-8")
    result = from_issue(real_project, render(REAL_FORM, values), tmp_path)
    assert result.returncode == 1 and f"une fiche porte déjà le nom {existing.name}" in result.stderr
    assert existing.read_text(encoding="utf-8") == before


def test_the_command_prints_the_path_of_the_card(real_project: Path, tmp_path: Path) -> None:
    body = tmp_path / "ticket.md"
    body.write_text(render(REAL_FORM, real_values()), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "recueil.cli", "--root", str(real_project), "from-issue",
                             str(body)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    written = real_project / result.stdout.strip()
    assert written.is_file() and written.parent == real_project / "cases"
    written.unlink()


def test_a_missing_body_file_is_a_clear_error(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "recueil.cli", "--root", str(ROOT), "from-issue",
                             str(tmp_path / "absent.md")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and result.stderr.startswith("erreur: lecture de ")


# ---------- the hostile corpus, through an issue ----------

def card_values(card: Path, form: dict[str, Any]) -> dict[str, str | None] | None:
    """What a contributor would type in the issue form to propose this card; None if its YAML cannot be read."""
    text = card.read_text(encoding="utf-8", errors="replace")
    match = re.match(r"---\n(.*?)\n---\n?(.*)", text, re.DOTALL)
    if not match:
        return None
    try:  # every value as the text a contributor would type
        fields = yaml.load(match.group(1), Loader=yaml.BaseLoader)  # noqa: S506 (BaseLoader builds only text)
    except (yaml.YAMLError, ValueError, RecursionError):
        return None
    if not isinstance(fields, dict):
        return None
    values: dict[str, str | None] = {}
    for item in form["body"]:
        if item["type"] in ("markdown", "checkboxes") or item["id"].startswith("section_"):
            continue
        value: Any = fields
        for name in _path(item["id"], fields):
            value = value.get(name) if isinstance(value, dict) else None
        if value is None:
            continue
        options = item["attributes"].get("options", [])
        if item["type"] == "dropdown":
            terms = value if isinstance(value, list) else [value]
            values[item["id"]] = ", ".join(next((o for o in options if o.endswith(f"({term})")), str(term))
                                           for term in terms)
        elif isinstance(value, list):
            values[item["id"]] = "\n".join(_parts_line(entry) if isinstance(entry, dict) else str(entry)
                                           for entry in value)
        else:
            values[item["id"]] = str(value)
    sections = re.split(r"^## (.+)$", match.group(2), flags=re.MULTILINE)
    labels = {item["attributes"]["label"]: item["id"] for item in form["body"] if item.get("id", "").startswith("section_")}
    for title, body in zip(sections[1::2], sections[2::2], strict=True):
        if title.strip() in labels:
            values[labels[title.strip()]] = body.strip()
    return values


PARTS = (("title", "url", "date"), ("label", "value"))  # a source's and a key figure's, in the form's order


def _parts_line(entry: dict[str, Any]) -> str:
    """« titre — adresse — date », an empty part left as « — — »."""
    order = next((parts for parts in PARTS if parts[0] in entry), tuple(entry))
    pieces = [str(entry.get(part, "")) for part in order] + [str(v) for k, v in entry.items() if k not in order]
    while pieces and not pieces[-1]:
        pieces.pop()
    return " — ".join(pieces)


def _path(control: str, fields: dict[str, Any]) -> list[str]:
    if control.startswith("territory_"):
        return ["territory", control.removeprefix("territory_")]
    return [control]


HOSTILE_CARDS = sorted(path.name for path in (HOSTILE / "cards").glob("*.md"))
# Hostile values a contributor can type in the issue form: each must be refused, with a comment, never a card.
REFUSED = ["annee-fin-avant-debut.md", "annee-lointaine.md", "attr-list-onclick.md",
           "formule-tableur.md", "html-iframe.md", "html-script.md", "html-image-onerror.md", "image-distante.md",
           "lien-javascript.md", "population-negative.md", "theme-inconnu.md", "titre-balise.md",
           "url-javascript.md", "url-data.md", "recommandation-inconnue.md", "date-future.md"]


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    project = mini_project(tmp_path_factory.mktemp("mini"))
    return project, issue_form_data(load_bank(Project(project)))


@pytest.mark.parametrize("name", HOSTILE_CARDS)
def test_a_hostile_card_proposed_by_issue_is_refused_or_passes_check(name: str, mini: tuple[Path, dict[str, Any]],
                                                                      tmp_path: Path) -> None:
    project, form = mini
    values = card_values(HOSTILE / "cards" / name, form)
    if values is None:
        pytest.skip("its YAML is the attack: an issue's body never becomes YAML but through yaml.safe_dump")
    before = sorted(path.name for path in (project / "cases").iterdir())
    result = from_issue(project, render(form, values), tmp_path)
    assert "Traceback" not in result.stderr
    if result.returncode == 0:
        written = project / result.stdout.strip()
        try:
            assert name not in REFUSED, f"{name} should have been refused"
            assert run_check(project).returncode == 0  # what the workflow turns into a pull request
        finally:
            written.unlink()
    else:
        assert result.returncode == 1, result.stderr
        assert result.stderr.startswith("La proposition ne peut pas encore devenir une fiche :\n- ")
        assert sorted(path.name for path in (project / "cases").iterdir()) == before


def test_the_refused_list_is_part_of_the_corpus() -> None:
    assert set(REFUSED) <= set(HOSTILE_CARDS)
    assert all(EXPECTED[name.removesuffix(".md")]["exit"] == 1 for name in REFUSED)
