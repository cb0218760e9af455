"""Hostile and broken cards: each one alone in a small project gives exactly its expected messages.

The corpus is tests/hostile/: the cards in cards/, what `recueil check` must say about each in
expected.yml. The same file must also stop `mkdocs build` with the same error lines, never with a
traceback, and in bounded time and memory for the 10 MB card, the alias bomb and the deep nesting.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from recueil.cards.rendering import html_events, render, site_markdown
from recueil.cards.sanitize import clean_html, is_remote
from recueil.cli import main as recueil_main
from tests.conftest import build_site
from tests.helpers import ROOT, mini_project
from tests.html_safety import live_markup

HOSTILE = Path(__file__).resolve().parent / "hostile"
CARDS = HOSTILE / "cards"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((HOSTILE / "expected.yml").read_text(encoding="utf-8"))
TEN_MB = 10 * 1024 * 1024
MAX_RSS_KB = 200 * 1024  # a check of the mini project with one enormous card peaks near 46 MB (3 Dec.)


def _valid_card() -> str:
    return (CARDS / "valide.md").read_text(encoding="utf-8")


def _generate(name: str, target: Path) -> None:
    """The corpus files that are not committed: binary, badly encoded, huge, or symbolic links."""
    if name == "binary":
        target.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)))
    elif name == "windows-1252":
        target.write_bytes(_valid_card().encode("cp1252"))
    elif name == "bom-crlf":
        target.write_bytes(b"\xef\xbb\xbf" + _valid_card().replace("\n", "\r\n").encode("utf-8"))
    elif name == "10-mb":
        card = _valid_card().encode("utf-8")
        line = ("Paragraphe de remplissage d'une fiche démesurée. " * 2 + "\n").encode("utf-8")
        filler = line * ((TEN_MB - len(card)) // len(line) + 1)
        target.write_bytes((card + filler)[:TEN_MB])
    elif name == "deep-brackets":
        depth = 100_000  # libyaml alone would crash the process on this (C recursion)
        target.write_text("---\ntitle: " + "[" * depth + "]" * depth + "\n---\n", encoding="utf-8")
    elif name in ("brackets-line", "braces-line"):  # quadratic for Python-Markdown (#798) and for regexes
        line = ("[" if name == "brackets-line" else "{") * 40_000
        target.write_text(_valid_card().replace("Une ville moyenne.", line), encoding="utf-8")
    elif name == "control-character":  # a bell pasted into the territory's name, line 5
        target.write_text(_valid_card().replace("  name: Testville", "  name: Test\x07ville"), encoding="utf-8")
    elif name == "bidi-override":  # a right-to-left override: the title reads otherwise than it is written
        target.write_text(_valid_card().replace("un tableau de bord", "un tableau \u202ede bord"), encoding="utf-8")
    elif name == "symlink-file":
        target.symlink_to("/etc/passwd")
    elif name == "symlink-folder":
        target.symlink_to("/etc", target_is_directory=True)
    else:
        raise AssertionError(f"unknown generator {name}")


def hostile_project(root: Path, entry: str) -> Path:
    """The mini project with the files of one corpus entry added."""
    project = mini_project(root)
    add_entry(project, entry)
    return project


def add_entry(project: Path, entry: str) -> None:
    """The files of one corpus entry, written into a project."""
    for target, source in EXPECTED[entry]["files"].items():
        path = project / target
        path.parent.mkdir(parents=True, exist_ok=True)
        if source.startswith("generate:"):
            _generate(source.removeprefix("generate:"), path)
        else:
            shutil.copy(CARDS / source, path)


def expected_lines(entry: str) -> list[str]:
    today = dt.date.today().isoformat()
    return [line.replace("{today}", today) for line in EXPECTED[entry]["lines"]]


def error_lines(entry: str) -> list[str]:
    """The problem lines a failed build prints: errors only (warnings are logged separately)."""
    return [line for line in expected_lines(entry)[:-1] if ": avertissement:" not in line]


def test_corpus_is_large_and_every_card_file_is_used():
    sources = {source for entry in EXPECTED.values() for source in entry["files"].values()}
    assert len(EXPECTED) >= 40
    assert {path.name for path in CARDS.iterdir()} == {s for s in sources if not s.startswith("generate:")}
    assert all(entry["exit"] in (0, 1) for entry in EXPECTED.values())


@pytest.mark.parametrize("entry", sorted(EXPECTED))
def test_check_prints_exactly_the_expected_lines(entry, tmp_path, capsys):
    project = hostile_project(tmp_path, entry)
    code = recueil_main(["--root", str(project), "check"])
    out, err = capsys.readouterr()
    assert (code, err.splitlines()) == (EXPECTED[entry]["exit"], expected_lines(entry))
    if code == 0:
        assert out.startswith("4 fiches expérience et 2 recommandations : aucune erreur."), out


def mkdocs_build_errors(project: Path, site: Path) -> list[str] | None:
    """Build in this process (the corpus is large): the error MkDocs logs before aborting, or None on success."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.ERROR)
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        build(load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site)))
    except Abort:
        return [line for record in records for line in record.getMessage().splitlines()]
    finally:
        logger.removeHandler(handler)
    return None


@pytest.mark.slow  # an in-process MkDocs build per entry (the check's own messages stay in the fast loop)
@pytest.mark.parametrize("entry", sorted(EXPECTED))
def test_build_fails_with_the_same_messages(entry, tmp_path, monkeypatch):
    monkeypatch.setenv("RECUEIL_PDF", "0")
    project = hostile_project(tmp_path / "project", entry)
    printed = mkdocs_build_errors(project, tmp_path / "site")
    if EXPECTED[entry]["exit"] == 0:
        assert printed is None
        return
    errors = error_lines(entry)
    assert printed == [f"{len(errors)} erreur(s) dans les fiches:", *errors]


@pytest.mark.parametrize("entry", ["binaire", "yaml-guillemet-ouvert", "recommandation-hostile", "bom-et-crlf"])
def test_build_command_says_the_same_without_traceback(entry, tmp_path):
    """The real `mkdocs build --strict` command, on a few entries: same lines, exit 1, no traceback."""
    project = hostile_project(tmp_path / "project", entry)
    result = build_site(project, tmp_path / "site")
    assert "Traceback" not in result.stderr
    if EXPECTED[entry]["exit"] == 0:
        assert result.returncode == 0, result.stderr
        assert (tmp_path / "site" / "cas" / "bom-et-crlf" / "index.html").is_file()
        return
    assert result.returncode == 1
    printed = [line for line in result.stderr.splitlines() if line.startswith(("cases/", "recommendations/"))]
    assert printed == error_lines(entry)


@pytest.mark.parametrize("entry", ["fiche-de-10-mo", "yaml-bombe-alias", "crochets-imbriques"])
def test_monster_cards_are_refused_in_bounded_time_and_memory(entry, tmp_path):
    project = hostile_project(tmp_path, entry)
    # The check's own peak memory: VmHWM, the high-water mark of the process's memory since its
    # exec. Not getrusage's ru_maxrss: Linux carries it over the exec from the memory the child
    # was started from, so under a full test run it read pytest's own size (410 MB, a failure
    # depending on which tests ran before).
    probe = ("import sys\nfrom pathlib import Path\nfrom recueil.cli import main\n"
             "code = main(['--root', sys.argv[1], 'check'])\n"
             "status = Path('/proc/self/status').read_text().splitlines()\n"
             "print(next(line.split()[1] for line in status if line.startswith('VmHWM:')))\nsys.exit(code)\n")
    result = subprocess.run([sys.executable, "-c", probe, str(project)], capture_output=True, text=True, timeout=60,
                            cwd=Path(__file__).resolve().parent.parent)
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == expected_lines(entry)
    assert int(result.stdout.split()[-1]) < MAX_RSS_KB


def test_check_as_github_annotations_never_breaks_on_odd_input(tmp_path, capsys):
    project = hostile_project(tmp_path, "recommandation-hostile")
    assert recueil_main(["--root", str(project), "check", "--github"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("::warning file=recommendations/recommandation-hostile.md,line=1::")
    assert all(line.startswith(("::error file=", "::warning file=")) for line in err[:-1])


@pytest.mark.parametrize("entry", ["ligne-de-crochets", "ligne-d-accolades"])
def test_quadratic_lines_are_refused_by_check_and_build(entry, tmp_path, capsys, monkeypatch):
    """40 KB of `[` took Python-Markdown 270 s to build (its issue #798), 40 KB of `{` took our
    regexes 20 s to check: a line over 2,000 characters is now reported and never parsed."""
    project = hostile_project(tmp_path / "project", entry)
    assert recueil_main(["--root", str(project), "check"]) == 1
    assert capsys.readouterr().err.splitlines() == expected_lines(entry)
    monkeypatch.setenv("RECUEIL_PDF", "0")
    assert mkdocs_build_errors(project, tmp_path / "site") == ["1 erreur(s) dans les fiches:", *error_lines(entry)]
    # How fast: benchmarks/ (a timed assertion here failed on a busy machine, issue #28).


REFUSED_TEXTS = sorted(name for name, entry in EXPECTED.items() if entry["exit"] == 1
                       and all(not source.startswith("generate:") for source in entry["files"].values()))


@pytest.mark.parametrize("entry", REFUSED_TEXTS)
def test_what_a_refused_card_would_render_is_inert_after_the_sanitiser(entry):
    """Defence in depth: were the check ever skipped, the page would hold nothing live and no remote image."""
    site = site_markdown(ROOT)
    for source in EXPECTED[entry]["files"].values():
        text = (CARDS / source).read_text(encoding="utf-8", errors="replace")
        body = text.split("\n---\n", 1)[-1]
        cleaned = clean_html(render(body, site))
        assert live_markup(cleaned, fragment=True) == [], entry
        assert [event for event in html_events(cleaned) if event.kind == "start" and event.tag == "img"
                and is_remote(dict(event.attributes).get("src") or "")] == [], entry
        assert "<!--" not in cleaned, entry
