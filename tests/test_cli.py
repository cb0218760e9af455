"""`recueil new`, `render` and `schema`: what derives from the models."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import yaml

from recueil.cards.frontmatter import parse_card_text
from recueil.cards.models import CaseCard, RecommendationCard
from tests.helpers import ROOT, mini_project, run_check


def recueil(project, *args):
    return subprocess.run([sys.executable, "-m", "recueil.cli", "--root", str(project), *args],
                          capture_output=True, text=True, timeout=120)


def test_new_case_is_a_commented_skeleton_that_checks(tmp_path):
    project = mini_project(tmp_path)
    result = recueil(project, "new", "case", "mon-experience")
    assert result.returncode == 0, result.stderr
    text = (project / "cases" / "mon-experience.md").read_text(encoding="utf-8")
    for name in CaseCard.model_fields:
        assert f"{name}:" in text
    assert "# Titre qui dit ce qui a été fait, et où. (obligatoire)" in text
    card = text.replace("federer-donnee-interet-general", "observer")
    (project / "cases" / "mon-experience.md").write_text(card, encoding="utf-8")
    assert run_check(project).returncode == 0


def test_new_refuses_a_bad_name_and_an_existing_file(tmp_path):
    project = mini_project(tmp_path)
    assert "essayez : mon-cas" in recueil(project, "new", "case", "Mon Cas").stderr
    assert "existe déjà" in recueil(project, "new", "case", "niort-portail").stderr


def test_new_recommendation_lists_every_field(tmp_path):
    project = mini_project(tmp_path)
    assert recueil(project, "new", "recommendation", "partager").returncode == 0
    front = parse_card_text((project / "recommendations" / "partager.md").read_text(encoding="utf-8"))
    assert set(front.data) == set(RecommendationCard.model_fields)


def test_render_writes_every_generated_page(tmp_path):
    project = mini_project(tmp_path / "project")
    out = tmp_path / "out"
    result = recueil(project, "render", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert (out / "cas" / "niort-portail.md").read_text(encoding="utf-8").startswith("---\ntitle:")
    assert (out / "recommandations" / "index.md").exists()
    assert (out / "tailles" / "village.md").exists()


def test_json_schema_accepts_every_real_card_and_rejects_unknown_themes(tmp_path):
    result = recueil(ROOT, "schema", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    schema = json.loads((tmp_path / "case.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for path in sorted((ROOT / "cases").glob("*.md")):
        data = yaml.safe_load(yaml.safe_dump(parse_card_text(path.read_text(encoding="utf-8")).data, default_style=None))
        data = json.loads(json.dumps(data, default=str))
        errors = list(validator.iter_errors(data))
        assert not errors, f"{path.name}: {errors[0].message}"
    assert list(validator.iter_errors({**data, "themes": ["inconnu"]}))
