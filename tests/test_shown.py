"""Output cannot be forged (issue 24, item 5): what a card says reaches a terminal or a CI log as text.

A value or a file name with a newline cannot add a line (a forged GitHub annotation, a fake
success), one with an escape sequence cannot erase or move over a line: every command shows them
as visible escapes (`\\x1b`, `\\n`, `\\r`), and `--github` escapes its values as GitHub documents.
"""

from __future__ import annotations

import shutil
import socket
from pathlib import Path
from typing import Any

import pytest

from recueil.cards.problems import CardErrors, Problem
from recueil.cli import main as recueil_main
from recueil.shown import annotation, github_data, github_property, shown
from tests.test_hostile import CARDS, hostile_project, mkdocs_build_errors

FAKE_SUCCESS = "6 fiches expérience et 2 recommandations : aucune erreur."
RAW = ("\x1b", "\r", "\x9b", "\x07")


def test_shown_makes_every_control_character_visible() -> None:
    assert shown("a\x1b[2K\rb\nc\x9b\x85\x7f\u2028\u202e\x00") == "a\\x1b[2K\\rb\\nc\\x9b\\x85\\x7f\\u2028\\u202e\\x00"
    assert shown("Été\t« à » – œ, 100 %") == "Été\t« à » – œ, 100 %"  # text, accents and tabs unchanged


def test_github_values_are_escaped_as_github_documents() -> None:
    assert github_data("50 %\r\n::error::x") == "50 %25%0D%0A::error::x"
    assert github_property("cases/a,line=9:b.md") == "cases/a%2Cline=9%3Ab.md"
    assert annotation("error", "cases/a,b.md", 3, "x\n::error file=y::z %0A") == (
        "::error file=cases/a%2Cb.md,line=3::x\\n::error file=y::z %250A")


def test_a_problem_holds_its_texts_shown_whoever_prints_it() -> None:
    problem = Problem("cases/a\nb.md", 3, "themes[0]\r", "'\x1b[2K' n'est pas un thème", "essayez \x9b1A")
    assert str(problem) == "cases/a\\nb.md:3: themes[0]\\r: '\\x1b[2K' n'est pas un thème (essayez \\x9b1A)"
    assert str(CardErrors([problem])).splitlines()[1] == str(problem)  # what MkDocs prints


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = recueil_main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_theme_cannot_forge_an_annotation_in_either_mode(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = hostile_project(tmp_path, "theme-annotation-forgee")
    code, _, plain = _run(capsys, "--root", str(project), "check")
    assert code == 1
    assert [line[:40] for line in plain.splitlines()] == [
        "cases/theme-annotation-forgee.md:11: the", "1 erreur(s) : corrigez-les puis relancez"]
    assert "mobilite\\n::error file=cases/lyon-tuba.md,line=1::Fiche valide\\n" in plain
    code, _, github = _run(capsys, "--root", str(project), "check", "--github")
    lines = github.splitlines()
    assert code == 1 and len(lines) == 2
    assert lines[0].startswith("::error file=cases/theme-annotation-forgee.md,line=11::themes[0]: 'mobilite\\n::error")
    assert not lines[1].startswith("::")


def test_a_file_name_cannot_forge_an_annotation_property(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = hostile_project(tmp_path, "nom-saut-de-ligne")
    shutil.copy(CARDS / "valide.md", project / "cases" / "x,line=99:y.md")
    code, _, github = _run(capsys, "--root", str(project), "check", "--github")
    lines = github.splitlines()
    assert code == 1
    assert [line.split("::")[1] for line in lines[:-1]] == [
        "error file=cases/lyon-velos\\n%3A%3Aerror file=x.md%2Cline=1%3A%3AFiche valide.md,line=1",
        "error file=cases/x%2Cline=99%3Ay.md,line=1"]
    assert lines[-1] == "2 erreur(s) : corrigez-les puis relancez « recueil check »."


COMMANDS = [
    ["check"], ["check", "--github"], ["stats"], ["links"], ["pdf", "--out", "{tmp}/guide.pdf"],
    ["export", "--out", "{tmp}/donnees"], ["render", "--out", "{tmp}/pages"], ["github-files"],
    ["prepare", "--out", "{tmp}/travail"], ["finish", "--site", "{tmp}/site"],
    ["build", "--engine", "zensical", "--out", "{tmp}/site"], ["build", "--engine", "mkdocs", "--out", "{tmp}/site"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_an_escape_sequence_in_a_value_reaches_no_command_s_output(
        command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = hostile_project(tmp_path / "projet", "echappement-terminal")
    argv = [part.replace("{tmp}", str(tmp_path)) for part in command]
    code, out, err = _run(capsys, "--root", str(project), *argv)
    assert code == 1
    assert not any(char in out + err for char in RAW)
    assert "'\\x1b[2K\\r6 fiches expérience" in err
    assert not any(line.startswith(FAKE_SUCCESS) for line in (out + err).splitlines())


def test_an_escape_sequence_in_a_value_reaches_no_mkdocs_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECUEIL_PDF", "0")
    printed = mkdocs_build_errors(hostile_project(tmp_path / "projet", "echappement-terminal"), tmp_path / "site")
    assert printed is not None and len(printed) == 3  # the heading, the unknown theme, the control character
    assert not any(char in line for line in printed for char in RAW)
    assert "'\\x1b[2K\\r6 fiches expérience" in printed[1]


def test_an_address_the_check_accepts_is_shown_escaped_by_the_link_report(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """An escape sequence in a source address never reaches the terminal of `recueil links`: the card is refused
    with the character named (check), and nothing of it is printed raw."""
    project = hostile_project(tmp_path, "bom-et-crlf")
    card = (CARDS / "valide.md").read_text(encoding="utf-8").replace(
        "https://example.org/document", "https://donnees.example.org/\\e[1A\\e[2Kfaux")
    (project / "cases" / "lien-echappement.md").write_text(card, encoding="utf-8")

    def no_dns(host: Any, *args: Any, **kwargs: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "no DNS in tests")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    for mode in ([], ["--github"]):
        code, out, err = _run(capsys, "--root", str(project), "links", "--timeout", "2", *mode)
        assert code == 1
        assert not any(char in out + err for char in RAW)
        # Refused before any request (issue #24, item 4): the message names the character, never prints it.
        assert "sources[0].url: caractère de contrôle U+001B interdit" in out + err
