"""The link checker stays outside (issue 24, item 8): no request to an address inside a network.

A server on 127.0.0.1 records every request it gets: however the address is spelled, whatever a
name resolves to, wherever a redirect points, it must get none. Names are resolved by a fake
`getaddrinfo` (no DNS in tests); where a test needs a server that plays a public one, 127.0.0.2
is made to count as public, and only it.
"""

from __future__ import annotations

import http.server
import ipaddress
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import recueil.outside
from recueil.outside import is_outside, refusal
from recueil.upkeep.link_check import check_url

INSIDE = [
    "http://127.0.0.1/", "http://127.1/", "http://2130706433/", "http://0177.0.0.1/", "http://0x7f.0.0.1/",
    "http://0/", "http://[::1]/", "http://[::]/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/",
    "http://10.1.2.3/", "http://172.16.0.1/", "http://192.168.1.1/", "http://100.64.0.1/",
    "http://169.254.169.254/latest/meta-data/iam", "http://[fd00:ec2::254]/latest/meta-data/",
    "http://[fe80::1]/", "http://[fc00::1]/", "http://224.0.0.1/", "http://[ff02::1]/", "http://240.0.0.1/",
    "http://255.255.255.255/", "http://[2002:7f00:1::]/", "http://[64:ff9b::a9fe:a9fe]/", "http://[2001:db8::1]/",
    "http://localhost:8000/", "http://LOCALHOST./", "http://api.localhost/", "http://metadata.google.internal/",
    "http://instance-data.ec2.internal/", "http://printer.local/", "http://nas.home.arpa/", "http://metadata/",
    "https://user:pw@127.0.0.1:8443/x", "http://127\\.0.0.1/",
]
OUTSIDE = ["https://www.data.gouv.fr/fr/", "http://8.8.8.8/", "https://[2001:4860:4860::8888]/",
           "https://example.org/document", "https://www.insee.fr:443/fr/statistiques?x=1",
           "http://[::ffff:8.8.8.8]/"]


@pytest.mark.parametrize("url", INSIDE)
def test_addresses_inside_a_network_are_refused_without_the_network(url: str) -> None:
    assert refusal(url) is not None


@pytest.mark.parametrize("url", OUTSIDE)
def test_public_addresses_are_not_refused(url: str) -> None:
    assert refusal(url) is None


def test_the_rule_is_ipaddress_s_not_a_pattern() -> None:
    assert is_outside(ipaddress.ip_address("93.184.215.14"))
    assert not is_outside(ipaddress.ip_address("::ffff:169.254.169.254"))  # mapped: read as the IPv4 it carries
    assert not is_outside(ipaddress.ip_address("2002:a9fe:a9fe::1"))  # 6to4 of 169.254.169.254


class Recorder(http.server.BaseHTTPRequestHandler):
    """Answers 200 to anything and writes down what it was asked."""

    seen: list[str]
    redirect_to: str | None = None

    def _answer(self) -> None:
        self.seen.append(f"{self.command} {self.path}")
        if self.redirect_to is not None:
            self.send_response(302)
            self.send_header("Location", self.redirect_to)
        else:
            self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_HEAD = do_GET = _answer  # noqa: N815 (http.server's API)

    def log_message(self, format: str, *args: object) -> None:
        pass


def _serve(host: str, port: int = 0, redirect_to: str | None = None) -> tuple[http.server.ThreadingHTTPServer, list[str]]:
    seen: list[str] = []
    handler = type("Handler", (Recorder,), {"seen": seen, "redirect_to": redirect_to})
    server = http.server.ThreadingHTTPServer((host, port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, seen


@pytest.fixture
def loopback() -> Iterator[tuple[int, list[str]]]:
    """A server on 127.0.0.1: its port and the requests it got."""
    server, seen = _serve("127.0.0.1")
    yield server.server_address[1], seen
    server.shutdown()
    server.server_close()


def _fake_resolver(monkeypatch: pytest.MonkeyPatch, answers: dict[str, Callable[[], str]]) -> list[str]:
    """Names of `answers` resolve to what their function gives at each call; numbers as the system reads them."""
    real = socket.getaddrinfo
    asked: list[str] = []

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        numbers_only = kwargs.get("flags", 0) & socket.AI_NUMERICHOST  # a name is not a number, even here
        if isinstance(host, str) and host.lower().rstrip(".") in answers and not numbers_only:
            asked.append(host)
            ip = answers[host.lower().rstrip(".")]()
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port or 0))]
        kwargs["flags"] = kwargs.get("flags", 0) | socket.AI_NUMERICHOST  # numbers only: no DNS in tests
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


def test_no_spelling_of_loopback_reaches_the_server(loopback: tuple[int, list[str]],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    port, seen = loopback
    _fake_resolver(monkeypatch, {"intranet-rebind.example.org": lambda: "127.0.0.1",
                                 "metadata.google.internal": lambda: "127.0.0.1"})
    hosts = ["127.0.0.1", "127.1", "2130706433", "0177.0.0.1", "0x7f.0.0.1", "[::ffff:127.0.0.1]", "localhost",
             "intranet-rebind.example.org", "metadata.google.internal", "LocalHost."]
    results = [check_url(f"http://{host}:{port}/latest/meta-data/iam", timeout=2) for host in hosts]
    assert seen == []
    assert [result.reason.split(" : ")[0] for result in results] == ["adresse refusée"] * len(hosts)
    assert all(result.broken for result in results)


def test_a_name_is_resolved_and_refused_when_it_leads_inside(loopback: tuple[int, list[str]],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    port, seen = loopback
    asked = _fake_resolver(monkeypatch, {"donnees.example.org": lambda: "127.0.0.1"})
    result = check_url(f"https://donnees.example.org:{port}/x", timeout=2)
    assert asked == ["donnees.example.org"]  # asked once: HEAD refused, no GET sent
    assert result.reason == "adresse refusée : donnees.example.org mène à l'adresse 127.0.0.1, qui n'est pas publique"
    assert seen == []


@pytest.fixture
def plays_public(monkeypatch: pytest.MonkeyPatch) -> None:
    """127.0.0.2 counts as a public address, and nothing else more than before."""
    public = recueil.outside.is_outside
    monkeypatch.setattr(recueil.outside, "is_outside",
                        lambda ip: ip == ipaddress.IPv4Address("127.0.0.2") or public(ip))


def test_every_redirect_target_is_checked_again(loopback: tuple[int, list[str]], plays_public: None) -> None:
    port, seen = loopback
    public, public_seen = _serve("127.0.0.2", redirect_to=f"http://127.0.0.1:{port}/latest/meta-data/iam")
    try:
        result = check_url(f"http://127.0.0.2:{public.server_address[1]}/page", timeout=2)
    finally:
        public.shutdown()
        public.server_close()
    assert public_seen == ["HEAD /page"]  # the outside server was asked, once
    assert seen == []  # its redirect was not followed inside
    assert result.broken and result.reason.startswith("adresse refusée : 127.0.0.1")


def test_the_connection_goes_to_the_ip_that_was_checked(loopback: tuple[int, list[str]], plays_public: None,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS rebinding: the name answers a public IP first, then loopback. The checker resolves once per
    connection and connects to the IP it checked, so the second answer is never used."""
    port, seen = loopback
    public, public_seen = _serve("127.0.0.2", port)  # the same port on the address that plays a public one
    answers = iter(["127.0.0.2", "127.0.0.1", "127.0.0.1", "127.0.0.1"])
    asked = _fake_resolver(monkeypatch, {"rebind.example.org": lambda: next(answers)})
    try:
        result = check_url(f"http://rebind.example.org:{port}/latest/meta-data/iam", timeout=2)
    finally:
        public.shutdown()
        public.server_close()
    assert result.ok, result
    assert asked == ["rebind.example.org"]
    assert public_seen == ["HEAD /latest/meta-data/iam"]
    assert seen == []


def test_only_http_and_https_are_requested(loopback: tuple[int, list[str]]) -> None:
    for url in ("file:///etc/passwd", "ftp://127.0.0.1/x", "data:text/plain,x"):
        result = check_url(url, timeout=2)
        assert result.broken and result.reason.startswith("adresse refusée"), result


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl makes the test certificate")
def test_https_connects_to_the_checked_ip_and_verifies_the_name(tmp_path: Path, plays_public: None,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """TLS goes over the pinned connection: the name is sent (SNI) and the certificate checked against it."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=donnees.example.org", "-addext", "subjectAltName=DNS:donnees.example.org"],
                   check=True, capture_output=True, timeout=60)
    names: list[str | None] = []
    server_side = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_side.load_cert_chain(cert, key)
    server_side.sni_callback = lambda sock, name, context: names.append(name)  # type: ignore[assignment, func-returns-value]
    server, seen = _serve("127.0.0.2")
    server.socket = server_side.wrap_socket(server.socket, server_side=True)
    _fake_resolver(monkeypatch, {"donnees.example.org": lambda: "127.0.0.2"})
    url = f"https://donnees.example.org:{server.server_address[1]}/page"
    try:
        unknown_authority = check_url(url, timeout=5)
        trusting = ssl.create_default_context(cafile=str(cert))
        monkeypatch.setattr(ssl, "create_default_context", lambda *args, **kwargs: trusting)
        trusted = check_url(url, timeout=5)
    finally:
        server.shutdown()
        server.server_close()
    assert "CERTIFICATE_VERIFY_FAILED" in unknown_authority.reason
    assert trusted.ok, trusted
    assert seen == ["HEAD /page"]
    assert names[-1] == "donnees.example.org"
