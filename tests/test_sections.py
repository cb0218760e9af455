"""The body sections a card must have: one rule (recueil/cards/models.py) for the check, the skeleton and both forms."""

from __future__ import annotations

from recueil.bank.bank import load_bank
from recueil.cards.models import CASE_SECTIONS, OPTIONAL_SECTIONS
from recueil.outputs.contribution import form_settings, issue_form
from recueil.project import Project
from tests.helpers import mini_project, run_check


def _drop_section(project, title: str) -> None:
    card = project / "cases" / "niort-portail.md"
    text = card.read_text(encoding="utf-8")
    head, _, rest = text.partition(f"## {title}\n")
    following = rest.find("\n## ")
    card.write_text(head + (rest[following + 1:] if following >= 0 else ""), encoding="utf-8")


def test_a_case_without_en_savoir_plus_passes_the_check(tmp_path):
    project = mini_project(tmp_path)
    _drop_section(project, "En savoir plus")
    assert "## En savoir plus" not in (project / "cases" / "niort-portail.md").read_text(encoding="utf-8")
    result = run_check(project)
    assert result.returncode == 0, result.stderr


def test_a_case_without_its_context_is_refused(tmp_path):
    project = mini_project(tmp_path)
    _drop_section(project, "Contexte")
    assert "section(s) manquante(s) : « ## Contexte »" in run_check(project).stderr


def test_the_forms_say_what_the_check_does(tmp_path):
    bank = load_bank(Project(mini_project(tmp_path)))
    sections = {section["title"]: section["required"] for section in form_settings(bank, "", "main")["sections"]}
    assert sections == {"Contexte": True, "Action mise en œuvre": True, "Résultats et perspectives": True,
                        "En savoir plus": False}
    assert set(CASE_SECTIONS) - OPTIONAL_SECTIONS == {title for title, required in sections.items() if required}
    form = issue_form(bank)
    assert "id: section_en_savoir_plus" in form
    assert form.split("id: section_en_savoir_plus", 1)[1].split("required: ", 1)[1].startswith("false")
