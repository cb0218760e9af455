"""`mkdocs serve --livereload` picks up an edited card without a restart."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.helpers import mini_project

pytestmark = pytest.mark.slow  # runs mkdocs serve on a copy of the site


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def _wait_for(url: str, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in _fetch(url):
            return True
        time.sleep(0.3)
    return False


def test_serve_rebuilds_when_a_card_changes(tmp_path):
    project = mini_project(tmp_path)
    port = _free_port()
    env = {**os.environ, "RECUEIL_PDF": "0", "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{port}"],
                              cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/cas/niort-portail/"
        assert _wait_for(url, "Une ville moyenne.", 60), "the site was never served"
        card = project / "cases" / "niort-portail.md"
        card.write_text(card.read_text(encoding="utf-8").replace("Une ville moyenne.", "Texte modifié à chaud."),
                        encoding="utf-8")
        assert _wait_for(url, "Texte modifié à chaud.", 30), "the edited card did not reach the served page"
    finally:
        server.terminate()
        server.wait(timeout=10)


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return int(response.status), bytes(response.read())
    except urllib.error.HTTPError as error:
        return int(error.code), b""
    except OSError:
        return 0, b""


@pytest.mark.pdf
def test_serve_answers_before_the_pdf_is_printed_and_the_pdf_follows(tmp_path):
    """`make serve`: the first page is served without waiting for WeasyPrint; the booklet is printed in the
    background (its links say so meanwhile, from a status file), then served, and kept in the cache."""
    project = mini_project(tmp_path / "mini")
    (project / "docs" / "index.md").write_text("# Mini recueil\n\n[Le guide en PDF](guide.pdf)\n", encoding="utf-8")
    port = _free_port()
    cache = tmp_path / "cache"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "RECUEIL_CACHE": str(cache)}
    env.pop("RECUEIL_PDF", None)
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                              cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        page = b""
        while time.monotonic() < deadline and b"</html>" not in page:
            status, page = _get(base)
            time.sleep(0.05)
        assert b"</html>" in page, "the site was never served"
        pdf_status, pdf = _get(base + "guide.pdf")
        assert pdf_status == 404 and not list(cache.glob("pdf/*.pdf")), "the first page waited for the PDF"
        assert _get(base + "guide.pdf.json")[1] == b'{"etat": "en-cours"}'
        assert b"data-recueil-pdf-status=\"guide.pdf.json\"" in page  # the script that reads that status

        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and not pdf.startswith(b"%PDF-"):
            time.sleep(0.5)
            pdf_status, pdf = _get(base + "guide.pdf")
        assert pdf.startswith(b"%PDF-"), "the PDF never came"
        assert _get(base + "guide.pdf.json")[1] == b'{"etat": "pret"}'
        assert [path.read_bytes() for path in cache.glob("pdf/*.pdf")] == [pdf]
    finally:
        server.terminate()
        server.wait(timeout=30)
