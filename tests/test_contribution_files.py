"""Files a contributor meets, derived from the models and kept in step: schemas, issue form, template, guides."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

from recueil.bank.bank import load_bank
from recueil.cards.models import reader_help
from recueil.cards.schema import SCHEMA_FILES, json_schema
from recueil.outputs.contribution import CARD_TEMPLATE_PATH, ISSUE_FORM_PATH, card_template, issue_form
from recueil.outputs.labels import flat_fields
from recueil.project import Project
from tests.conftest import ROOT
from tests.helpers import mini_project, run_check

ISSUE_ID = re.compile(r"^[A-Za-z0-9_-]+$")


def bank():
    return load_bank(Project(ROOT))


def test_committed_schemas_are_the_generated_ones(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "recueil.cli", "--root", str(ROOT), "schema", "--out", str(tmp_path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    for path in SCHEMA_FILES.values():
        generated = (tmp_path / Path(path).name).read_text(encoding="utf-8")
        assert (ROOT / path).read_text(encoding="utf-8") == generated, f"{path} is stale: run `recueil schema`"


def test_site_serves_the_same_schema(real_site: Path) -> None:
    for path in SCHEMA_FILES.values():
        assert (real_site / path).read_text(encoding="utf-8") == (ROOT / path).read_text(encoding="utf-8")


def test_committed_github_files_are_the_generated_ones() -> None:
    loaded = bank()
    assert (ROOT / ISSUE_FORM_PATH).read_text(encoding="utf-8") == issue_form(loaded), \
        f"{ISSUE_FORM_PATH} is stale: run `recueil github-files`"
    assert (ROOT / CARD_TEMPLATE_PATH).read_text(encoding="utf-8") == card_template(loaded), \
        f"{CARD_TEMPLATE_PATH} is stale: run `recueil github-files`"


def test_issue_form_has_one_control_per_field_of_the_schema() -> None:
    loaded = bank()
    form = yaml.safe_load((ROOT / ISSUE_FORM_PATH).read_text(encoding="utf-8"))
    assert form["name"] == "Proposer une expérience" and form["description"] and form["body"]
    controls = {item["id"]: item for item in form["body"] if item["type"] != "markdown"}
    assert len(controls) == len([item for item in form["body"] if item["type"] != "markdown"])  # unique ids
    assert all(ISSUE_ID.match(control_id) for control_id in controls)
    schema = json_schema("case", loaded.taxonomy, [rec.slug for rec in loaded.recommendations])
    for field in flat_fields(schema):
        control = controls["_".join(field.path)]
        assert control["attributes"]["label"] == field.title
        assert control["attributes"]["description"].startswith(reader_help(field.dotted, field.description))
        assert control["validations"]["required"] is field.required
    themes = controls["themes"]
    assert themes["type"] == "dropdown" and themes["attributes"]["multiple"] is True
    assert themes["attributes"]["options"][0] == f"{loaded.taxonomy.themes[0].label} ({loaded.taxonomy.themes[0].id})"
    assert len(controls["recommendations"]["attributes"]["options"]) == len(loaded.recommendations)
    assert controls["status"]["type"] == "dropdown" and controls["status"]["attributes"]["multiple"] is False
    assert controls["summary"]["type"] == "textarea" and controls["title"]["type"] == "input"
    assert [controls[f"section_{key}"]["validations"]["required"] for key in
            ("contexte", "action_mise_en_oeuvre", "resultats_et_perspectives", "en_savoir_plus")] == [True] * 3 + [False]
    assert all(option["required"] for option in controls["engagements"]["attributes"]["options"])


def test_card_template_becomes_a_valid_card_once_dated(tmp_path: Path) -> None:
    template = (ROOT / CARD_TEMPLATE_PATH).read_text(encoding="utf-8")
    assert template.startswith("---\n# yaml-language-server: $schema=../schemas/case.schema.json\n")
    project = mini_project(tmp_path)
    target = project / "cases" / "villeneuve-essai.md"
    target.write_text(template.replace("[federer-donnee-interet-general]", "[mesurer]"), encoding="utf-8")
    undated = run_check(project)
    assert undated.returncode == 1 and "cases/villeneuve-essai.md" in undated.stderr and "last_verified" in undated.stderr
    target.write_text(target.read_text(encoding="utf-8").replace("AAAA-MM-JJ", dt.date.today().isoformat()),
                      encoding="utf-8")
    assert run_check(project).returncode == 0


def test_every_card_points_editors_to_the_schema() -> None:
    for folder, kind in (("cases", "case"), ("recommendations", "recommendation")):
        for path in sorted((ROOT / folder).glob("*.md"))[:3]:
            second_line = path.read_text(encoding="utf-8").split("\n")[1]
            if second_line.startswith("# yaml-language-server"):
                target = second_line.split("$schema=", 1)[1]
                assert (path.parent / target).resolve() == (ROOT / SCHEMA_FILES[kind]).resolve()
    skeleton = (ROOT / CARD_TEMPLATE_PATH).read_text(encoding="utf-8").split("\n")[1]
    assert (ROOT / "cases" / skeleton.split("$schema=", 1)[1]).resolve() == (ROOT / SCHEMA_FILES["case"]).resolve()


def checklist(path: Path) -> list[str]:
    return [line.removeprefix("- [ ] ") for line in path.read_text(encoding="utf-8").splitlines()
            if line.startswith("- [ ] ")]


def section(path: Path, heading: str) -> str:
    """A `## ` section; the site shows the checklist as plain bullets (no check boxes to tick on a web page)."""
    text = path.read_text(encoding="utf-8")
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end > 0 else None].strip().replace("\n- [ ] ", "\n- ")


def test_review_checklist_and_writing_guide_are_the_same_everywhere() -> None:
    contributing, site = ROOT / "CONTRIBUTING.md", ROOT / "docs/contribuer/index.md"
    reference = checklist(contributing)
    assert len(reference) >= 6
    assert checklist(ROOT / ".github/pull_request_template.md") == reference
    site_checklist = section(site, "La relecture").split("\n- ")[1:]
    assert [item.split("\n")[0] for item in site_checklist] == reference
    for heading in ("Écrire une bonne fiche", "La relecture"):
        assert section(site, heading) == section(contributing, heading), heading


def test_contributing_describes_the_three_ways_and_links_exist() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "issues/new?template=proposer-une-experience.yml" in text
    assert "recueil new case" in text and "recueil check" in text and "Create new file" in text
    for target in re.findall(r"\]\((?!https?://)([^)#]+)\)", text):
        assert (ROOT / target).exists(), target


def test_vscode_task_problem_matchers_read_recueil_check_output(tmp_path: Path) -> None:
    tasks = json.loads((ROOT / ".vscode/tasks.json").read_text(encoding="utf-8"))
    check = next(task for task in tasks["tasks"] if task["args"][-1] == "check")
    matchers = {matcher["severity"]: re.compile(matcher["pattern"]["regexp"]) for matcher in check["problemMatcher"]}
    project = mini_project(tmp_path, {"vieille.md": (ROOT / "tests/fixtures/mini/cases/niort-portail.md").read_text(
        encoding="utf-8").replace("last_verified: 2026-11-01", "last_verified: 2020-01-01")})
    warned = run_check(project).stderr.splitlines()
    warning = next(line for line in warned if "faits vérifiés" in line)
    match = matchers["warning"].match(warning)
    assert match and match.group(1) == "cases/vieille.md" and (project / match.group(1)).exists()
    assert not matchers["error"].match(warning)
    broken = project / "cases" / "vieille.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace("status: en-cours", "status: fini"), encoding="utf-8")
    error = next(line for line in run_check(project).stderr.splitlines() if "status" in line)
    match = matchers["error"].match(error)
    lines = broken.read_text(encoding="utf-8").split("\n")
    assert match and match.group(1) == "cases/vieille.md"
    assert lines[int(match.group(2)) - 1].startswith("status:") and "fini" in match.group(3)
    assert not matchers["warning"].match(error)


def test_vscode_settings_map_schemas_to_existing_files() -> None:
    settings = json.loads((ROOT / ".vscode/settings.json").read_text(encoding="utf-8"))
    for schema_url, patterns in settings["yaml.schemas"].items():
        assert schema_url.startswith("https://json.schemastore.org/")
        for pattern in patterns:
            assert list(ROOT.glob(pattern)), pattern


def test_form_settings_served_with_the_site(real_site: Path) -> None:
    settings = json.loads((real_site / "schemas/case.form.json").read_text(encoding="utf-8"))
    assert settings["repoUrl"] == "https://github.com/datacites/recueil" and settings["branch"] == "main"
    assert settings["existingSlugs"] == sorted(path.stem for path in ROOT.glob("cases/*.md"))
    assert (real_site / "schemas" / settings["schema"]).exists()
    assert [section["title"] for section in settings["sections"]] == [
        "Contexte", "Action mise en œuvre", "Résultats et perspectives", "En savoir plus"]
