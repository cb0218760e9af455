"""Small builders for tests: a mini project in a temp dir, with cards given as text."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from recueil_mkdocs import write_entries

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"


def mini_project(target: Path, extra_cases: dict[str, str] | None = None) -> Path:
    """The mini fixture site (2 recommendations, 3 cases) plus the repo's vocabularies and the entry files of the
    installed hooks (recueil_mkdocs)."""
    shutil.copytree(MINI, target, dirs_exist_ok=True)
    shutil.copy(ROOT / "taxonomies.yml", target / "taxonomies.yml")
    write_entries(target / "hooks")
    for name, text in (extra_cases or {}).items():
        (target / "cases" / name).write_text(text, encoding="utf-8")
    return target


def run_check(project: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "recueil.cli", "--root", str(project), "check", *options],
                          capture_output=True, text=True, timeout=120)
