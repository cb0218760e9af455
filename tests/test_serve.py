"""`mkdocs serve --livereload` picks up an edited card without a restart."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

from tests.helpers import mini_project


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
