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

from recueil_mkdocs import write_entries

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = [sys.executable, "-m", "mkdocs"]
BROWSER_TESTS = Path(__file__).resolve().parent / "browser"
# Fixtures that build this repository's whole site (or a copy of it): a test that uses one is slow.
WHOLE_SITE_FIXTURES = {"real_site", "hostile_site", "engine_sites"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The markers `make test-fast` leaves out (pyproject.toml), given by folder and by fixture: every test
    of tests/browser/ drives Chromium; every test that reads a build of this repository's whole site
    (WHOLE_SITE_FIXTURES) is slow, and engines too for the sites of every engine. The modules mark
    engines, pdf and their other slow tests themselves."""
    for item in items:
        if item.path.is_relative_to(BROWSER_TESTS):
            item.add_marker(pytest.mark.browser)
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & WHOLE_SITE_FIXTURES:
            item.add_marker(pytest.mark.slow)
        if "engine_sites" in fixtures:
            item.add_marker(pytest.mark.engines)


def build_site(project: Path, out: Path, pdf: bool = False, strict: bool = True) -> subprocess.CompletedProcess[str]:
    """Run `mkdocs build` on a project folder; the PDF step is off unless asked."""
    env = {**os.environ, "RECUEIL_PDF": "1" if pdf else "0", "NO_MKDOCS_2_WARNING": "1"}
    command = [*MKDOCS, "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(out)]
    if strict:
        command.append("--strict")
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=600)


def copy_project(target: Path, with_content: bool = True) -> Path:
    """A copy of this repository's site sources (config, docs, theme, vocabularies, cards), with the entry files of
    the installed hooks (recueil_mkdocs)."""
    for name in ("mkdocs.yml", "taxonomies.yml"):
        shutil.copy(ROOT / name, target / name)
    write_entries(target / "hooks")
    for name in ("docs", "overrides", "overrides-zensical"):
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


ENGINES = ("mkdocs", "properdocs", "zensical")


def build_with(engine: str, project: Path, out: Path, pdf: str | None = "0",
               cache: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`recueil build --engine ENGINE` on a project folder; `pdf`: RECUEIL_PDF ("0", "1" or None, the default);
    `cache`: RECUEIL_CACHE, where printed booklets are kept."""
    env = {key: value for key, value in os.environ.items() if key != "RECUEIL_PDF"}
    env.update({"NO_MKDOCS_2_WARNING": "1", **({"RECUEIL_PDF": pdf} if pdf is not None else {})})
    if cache is not None:
        env["RECUEIL_CACHE"] = str(cache)
    command = [sys.executable, "-m", "recueil.cli", "--root", str(project), "build", "--engine", engine,
               "--out", str(out), "--work", str(out.parent / f"work-{engine}"), "--strict"]
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="session")
def engine_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """This repository's site built from one copy of the project by each engine, with its PDF: {engine: site}.
    Zensical's pipeline prints the booklet afresh (RECUEIL_PDF=1); MkDocs and ProperDocs then take it from
    the cache, as a second build of the same content does (the booklet is made from the cards, not the HTML)."""
    root = tmp_path_factory.mktemp("engines")
    (root / "project").mkdir()
    project = copy_project(root / "project")
    sites = {}
    for engine, pdf in (("zensical", "1"), ("mkdocs", None), ("properdocs", None)):
        result = build_with(engine, project, root / engine, pdf, cache=root / "cache")
        assert result.returncode == 0, f"{engine}: {result.stderr}"
        sites[engine] = root / engine
    return sites


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """A browser that closes a connection early (a page left before its last fetch) is not an error of the
        site: say nothing (the default prints a traceback into the test log). Anything else is raised."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@functools.cache
def _serve(directory: str) -> str:
    handler = functools.partial(_QuietHandler, directory=directory)
    server = _QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="session")
def site_url(real_site: Path) -> Iterator[str]:
    """Base URL of the real site served on loopback."""
    yield _serve(str(real_site))


def serve_directory(directory: Path) -> str:
    return _serve(str(directory))
