"""fiche-depuis-ticket.yml run step by step, as the runner would, with `gh` and `git` recorded instead of called.

Each `run:` script of the workflow runs in bash (`bash --noprofile --norc -eo pipefail`, GitHub's
default shell) in a copy of the mini project, with the `env:` of its step filled from a fake
`issues: labeled` event, and the `if:` of each step evaluated. `recueil` is the real command;
only `gh` and `git`, which would reach GitHub, write their arguments to a log. What must hold: a
card that check accepts gives a pull request and no comment; a refused one a comment and never a
pull request; the issue's text never runs as a command.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from recueil.bank.bank import load_bank
from recueil.outputs.contribution import issue_form_data
from recueil.project import Project
from tests.helpers import mini_project
from tests.test_from_issue import HOSTILE, card_values, render
from tests.test_workflows import workflow

BASH = shutil.which("bash")
SETUP_STEPS = {"Installer recueil"}  # pip install: the test runs the installed package
RECORDER = """#!/bin/sh
{ printf '%s' "$(basename "$0")"; for arg in "$@"; do printf ' [%s]' "$arg"; done; echo; } >> "$CALLS"
case "$*" in *body-file*) for arg in "$@"; do [ -f "$arg" ] && cp "$arg" "$CALLS.$(basename "$arg")"; done;; esac
case "$*" in "pr list"*) echo "";; esac
exit 0
"""


def event(body: str, title: str) -> dict[str, str]:
    return {"github.event.issue.body": body, "github.event.issue.title": title, "github.event.issue.number": "7",
            "github.event.issue.user.login": "contributrice", "github.event.issue.user.id": "4242",
            "github.event.issue.html_url": "https://github.com/datacites/recueil/issues/7",
            "github.token": "jeton-factice", "github.server_url": "https://github.com",
            "github.repository": "datacites/recueil", "github.run_id": "1"}


def run_workflow(project: Path, tmp_path: Path, body: str, title: str) -> tuple[list[str], dict[str, str], Path]:
    """Run the job's steps; returns the recorded `gh`/`git` calls, each step's outcome, and the runner's temp."""
    if BASH is None:
        pytest.fail("bash is missing")
    tools = tmp_path / "bin"
    tools.mkdir()
    for name in ("gh", "git"):
        (tools / name).write_text(RECORDER, encoding="utf-8")
        (tools / name).chmod(0o755)
    (tools / "recueil").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m recueil.cli "$@"\n', encoding="utf-8")
    (tools / "recueil").chmod(0o755)
    temp, calls, output = tmp_path / "runner", tmp_path / "calls.log", tmp_path / "output.txt"
    temp.mkdir()
    values = event(body, title)
    outcomes: dict[str, str] = {}
    outputs: dict[str, str] = {}
    job = workflow("fiche-depuis-ticket.yml")["jobs"]["fiche"]
    for step in job["steps"]:
        if "run" not in step or step.get("name") in SETUP_STEPS:
            continue
        name, step_id = step["name"], step.get("id", step["name"])
        if not _condition(step.get("if"), outcomes):
            outcomes[step_id] = "skipped"
            continue
        output.write_text("", encoding="utf-8")
        env = {"PATH": f"{tools}{os.pathsep}{os.environ['PATH']}", "HOME": str(tmp_path), "CALLS": str(calls),
               "RUNNER_TEMP": str(temp), "GITHUB_OUTPUT": str(output), "GITHUB_REPOSITORY": "datacites/recueil",
               "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
        env.update({key: _expand(str(value), values, outputs) for key, value in step.get("env", {}).items()})
        assert "${{" not in step["run"], name
        done = subprocess.run([BASH, "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=project,
                              env=env, capture_output=True, text=True, timeout=120)
        outcomes[step_id] = "success" if done.returncode == 0 else "failure"
        for line in output.read_text(encoding="utf-8").splitlines():
            key, _, value = line.partition("=")
            outputs[f"steps.{step_id}.outputs.{key}"] = value
    recorded = calls.read_text(encoding="utf-8").splitlines() if calls.exists() else []
    return recorded, outcomes, tmp_path


def _expand(text: str, values: dict[str, str], outputs: dict[str, str]) -> str:
    return re.sub(r"\$\{\{\s*([\w.-]+)\s*\}\}", lambda match: {**values, **outputs}[match.group(1)], text)


def _condition(condition: str | None, outcomes: dict[str, str]) -> bool:
    failed = "failure" in outcomes.values()
    if condition is None:
        return not failed
    python = re.sub(r"steps\.([\w-]+)\.outcome", lambda match: repr(outcomes.get(match.group(1), "")), condition)
    python = python.replace("failure()", str(failed)).replace("&&", " and ").replace("||", " or ")
    return bool(eval(python, {"__builtins__": {}}))  # noqa: S307 (the workflow's own `if:`, a comparison)


@pytest.fixture
def mini(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    project = mini_project(tmp_path / "projet")
    return project, issue_form_data(load_bank(Project(project)))


def valid_values(form: dict[str, Any]) -> dict[str, str | None]:
    values = card_values(HOSTILE / "cards" / "valide.md", form)
    assert values is not None
    return {**values, "title": "Villeneuve : un atlas des arbres $(touch pwned) `touch pwned2`"}


def test_an_accepted_card_gives_a_pull_request_and_no_comment(mini: tuple[Path, dict[str, Any]],
                                                              tmp_path: Path) -> None:
    project, form = mini
    title = '[Fiche] Villeneuve "; touch pwned3; echo " $(touch pwned4)'
    calls, outcomes, temp = run_workflow(project, tmp_path, render(form, valid_values(form)), title)
    assert outcomes["fiche"] == outcomes["verification"] == "success", outcomes
    card = "cases/villeneuve-un-atlas-des-arbres-touch-pwned-touch-pwned2.md"
    assert (project / card).is_file()
    assert f"git [add] [--] [{card}]" in calls
    assert "git [push] [--force] [origin] [fiche/ticket-7]" in calls
    create = next(call for call in calls if call.startswith("gh [pr] [create]"))
    assert '[Nouvelle fiche : Villeneuve "; touch pwned3; echo " $(touch pwned4)]' in create  # text, not commands
    request = (temp / "calls.log.demande.md").read_text(encoding="utf-8")
    assert "@contributrice" in request and "Closes #7" in request
    message = (temp / "runner" / "message.txt").read_text(encoding="utf-8")
    assert "Co-authored-by: contributrice <4242+contributrice@users.noreply.github.com>" in message
    assert not any(call.startswith("gh [issue] [comment]") for call in calls)
    assert not list(project.rglob("pwned*")) and not list(tmp_path.rglob("pwned*"))


@pytest.mark.parametrize("name", ["html-script.md", "lien-javascript.md", "url-javascript.md", "date-future.md"])
def test_a_refused_card_gives_a_comment_and_never_a_pull_request(name: str, mini: tuple[Path, dict[str, Any]],
                                                                 tmp_path: Path) -> None:
    project, form = mini
    values = card_values(HOSTILE / "cards" / name, form)
    assert values is not None
    before = sorted(path.name for path in (project / "cases").iterdir())
    calls, outcomes, temp = run_workflow(project, tmp_path, render(form, values), "[Fiche] Une proposition")
    assert outcomes["fiche"] == "failure" and outcomes["Ouvrir la demande de fusion"] == "skipped", outcomes
    assert not any(call.startswith(("gh [pr]", "git [push]", "git [commit]")) for call in calls), calls
    assert any(call.startswith("gh [issue] [comment] [7] [--body-file]") for call in calls), calls
    comment = (temp / "calls.log.commentaire.md").read_text(encoding="utf-8")
    assert comment.startswith("Cette proposition ne peut pas encore devenir une fiche")
    assert "La proposition ne peut pas encore devenir une fiche :\n- " in comment
    assert sorted(path.name for path in (project / "cases").iterdir()) == before
