"""`recueil links`: every web address of the cards and pages is tried; broken ones are reported where written.

A small server on 127.0.0.2 plays the web: a page that exists, one that is gone, one that refuses
HEAD, one that refuses robots. The link checker only talks to public addresses (recueil.outside):
for these tests, and these only, 127.0.0.2 counts as one (tests/test_outside.py checks that loopback
is otherwise never reached).
"""

from __future__ import annotations

import http.server
import ipaddress
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import recueil.outside
from recueil.bank.bank import load_bank
from recueil.cli import main as recueil_main
from recueil.project import Project
from recueil.upkeep.link_check import check_url, collect_links
from tests.helpers import mini_project
from tests.test_feed import card


class FakeWeb(http.server.BaseHTTPRequestHandler):
    def _answer(self, with_body: bool) -> None:
        status = {"/ok": 200, "/disparu": 404, "/robots-non": 403}.get(self.path, 200 if with_body else 405)
        if self.path == "/sans-head" and with_body:
            status = 200
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if with_body:
            self.wfile.write(b"ok")

    def do_HEAD(self) -> None:  # noqa: N802 (http.server's API)
        self._answer(False)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(True)

    def log_message(self, format: str, *args: object) -> None:
        pass


PLAYS_THE_WEB = ipaddress.IPv4Address("127.0.0.2")


@pytest.fixture(scope="module")
def web() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer((str(PLAYS_THE_WEB), 0), FakeWeb)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://{PLAYS_THE_WEB}:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(autouse=True)
def outside_is_127_0_0_2(monkeypatch: pytest.MonkeyPatch) -> None:
    public = recueil.outside.is_outside
    monkeypatch.setattr(recueil.outside, "is_outside", lambda ip: ip == PLAYS_THE_WEB or public(ip))


def project_with_links(tmp_path: Path, web: str) -> Path:
    text = card("Liens : une fiche", "Liens", "2026-01-01").replace(
        "  - {title: Une source, date: ", f"  - {{title: Une source, url: \"{web}/disparu\", date: ").replace(
        "## Action mise en œuvre\n\nTexte.", f"## Action mise en œuvre\n\nVoir [la page]({web}/ok) et <{web}/sans-head>.")
    project = mini_project(tmp_path, {"liens.md": text})
    # Only the fake web's addresses in this project: the mini fixture's example.org links are taken out.
    for path in [*project.glob("cases/*.md"), *project.glob("recommendations/*.md")]:
        path.write_text(re.sub(r",?\n *url: \"?https://example\.org/[^\s\"]*\"?", "", path.read_text(encoding="utf-8")),
                        encoding="utf-8")
    (project / "docs" / "index.md").write_text(f"# Accueil\n\nUn [partenaire]({web}/robots-non).\n", encoding="utf-8")
    return project


def test_links_are_collected_with_their_place(tmp_path: Path, web: str) -> None:
    project = project_with_links(tmp_path, web)
    places = collect_links(load_bank(Project(project)), Project(project))
    lines = (project / "cases" / "liens.md").read_text(encoding="utf-8").split("\n")
    source = places[f"{web}/disparu"]
    assert [(p.path, web + "/disparu" in lines[p.line - 1]) for p in source] == [("cases/liens.md", True)]
    assert [(p.path, p.line) for p in places[f"{web}/ok"]] == [("cases/liens.md", lines.index(
        f"Voir [la page]({web}/ok) et <{web}/sans-head>.") + 1)]
    assert f"{web}/sans-head" in places
    assert [(p.path, p.line) for p in places[f"{web}/robots-non"]] == [("docs/index.md", 3)]


def test_each_answer_is_classified(web: str) -> None:
    assert check_url(f"{web}/ok").ok
    assert check_url(f"{web}/sans-head").ok  # HEAD refused, GET answers
    gone = check_url(f"{web}/disparu")
    assert gone.broken and gone.status == 404
    refused = check_url(f"{web}/robots-non")
    assert refused.doubtful and not refused.broken
    unreachable = check_url(f"http://{PLAYS_THE_WEB}:9/", timeout=5)
    assert unreachable.broken and unreachable.status is None and unreachable.reason.startswith("injoignable")


def test_links_command_reports_broken_links_and_fails(tmp_path: Path, web: str, capsys) -> None:
    project = project_with_links(tmp_path, web)
    report = tmp_path / "liens.md"
    code = recueil_main(["--root", str(project), "links", "--github", "--report", str(report), "--timeout", "5"])
    result = capsys.readouterr()
    assert code == 1
    line = next(n for n, text in enumerate((project / "cases/liens.md").read_text(encoding="utf-8").split("\n"), 1)
                if "/disparu" in text)
    assert result.out.splitlines() == [
        f"::error file=cases/liens.md,line={line}::lien cassé : {web}/disparu (404 Not Found)",
        f"::warning file=docs/index.md,line=3::lien à vérifier à la main : {web}/robots-non (403 Forbidden)",
    ]
    assert "4 adresses vérifiées : 1 cassée(s)." in result.err
    text = report.read_text(encoding="utf-8")
    assert f"| <{web}/disparu> | 404 Not Found | `cases/liens.md:{line}` |" in text
    assert "4 adresses vérifiées : 1 cassée(s), 1 à vérifier à la main." in text
