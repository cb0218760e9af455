"""Shared fixtures: the real site built once per session, and a local server for browser tests."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = [sys.executable, "-m", "mkdocs"]


def build_site(project: Path, out: Path, pdf: bool = False, strict: bool = True) -> subprocess.CompletedProcess[str]:
    """Run `mkdocs build` on a project folder; the PDF step is off unless asked."""
    env = {**os.environ, "RECUEIL_PDF": "1" if pdf else "0", "NO_MKDOCS_2_WARNING": "1"}
    command = [*MKDOCS, "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(out)]
    if strict:
        command.append("--strict")
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=600)


def copy_project(target: Path, with_content: bool = True) -> Path:
    """A copy of this repository's site sources (config, hooks, docs, vocabularies, cards)."""
    for name in ("mkdocs.yml", "taxonomies.yml"):
        shutil.copy(ROOT / name, target / name)
    for name in ("hooks", "docs", "overrides"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, target / name)
    for name in ("cases", "recommendations"):
        if with_content:
            shutil.copytree(ROOT / name, target / name)
        else:
            (target / name).mkdir()
    return target


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This repository's site, built once with --strict (no PDF)."""
    out = tmp_path_factory.mktemp("site")
    result = build_site(ROOT, out)
    assert result.returncode == 0, result.stderr
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@functools.cache
def _serve(directory: str) -> str:
    handler = functools.partial(_QuietHandler, directory=directory)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="session")
def site_url(real_site: Path) -> Iterator[str]:
    """Base URL of the real site served on loopback."""
    yield _serve(str(real_site))


def serve_directory(directory: Path) -> str:
    return _serve(str(directory))
