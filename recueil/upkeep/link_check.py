"""The weekly external link check: every web address of the cards and pages, tried once, broken ones reported.

Addresses come from the cards' sources and inspirations, the links of their texts and of the
hand-written pages, each with the file and line where it is written, so a report points at what
to fix. A dead link is not a build error (the web changes under us), hence a separate command.

It only ever talks to the outside (`recueil.outside`): each connection, the first and every
redirect's, resolves its host once, refuses it unless every IP is public, and connects to the IP
it checked (a second answer of the DNS cannot switch it). No proxy and no scheme but http(s).
"""

from __future__ import annotations

import http.client
import re
import socket
import ssl
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from recueil.bank.bank import Bank
from recueil.cards.loading import LoadedCard
from recueil.cards.models import CaseCard, RecommendationCard
from recueil.outside import AddressRefused, public_addresses, refusal
from recueil.project import Project
from recueil.shown import annotation, shown

MARKDOWN_LINK = re.compile(r"(?:\]\(\s*<?|<|href=\")(https?://[^\s)>\"]+)")
USER_AGENT = "recueil-link-check/1.0 (+https://github.com/datacites/recueil)"
DOUBTFUL_STATUSES = {401, 403, 429}  # the server refuses robots: a person should look, the link may be fine


@dataclass(frozen=True, order=True)
class Place:
    path: str
    line: int


@dataclass(frozen=True)
class LinkResult:
    url: str
    status: int | None
    reason: str

    @property
    def broken(self) -> bool:
        return not self.ok and not self.doubtful

    @property
    def ok(self) -> bool:
        return self.status is not None and self.status < 400

    @property
    def doubtful(self) -> bool:
        return self.status in DOUBTFUL_STATUSES or self.reason == "délai dépassé"


def collect_links(bank: Bank, project: Project, pages: Path | None = None) -> dict[str, list[Place]]:
    """Every external address → where it is written (cards first, then the hand-written pages)."""
    found: dict[str, list[Place]] = defaultdict(list)
    for card in [case.card for case in bank.cases] + [rec.card for rec in bank.recommendations]:
        for url, line in _card_links(card):
            found[url].append(Place(card.path, line))
    for page in sorted((pages or project.root / "docs").rglob("*.md")):
        for offset, text in enumerate(page.read_text(encoding="utf-8").split("\n")):
            for url in MARKDOWN_LINK.findall(text):
                found[_trim(url)].append(Place(project.display(page), offset + 1))
    return {url: sorted(set(places)) for url, places in sorted(found.items())}


def _card_links(card: LoadedCard) -> Iterator[tuple[str, int]]:
    meta = card.meta
    if isinstance(meta, CaseCard):
        for i, source in enumerate(meta.sources):
            if source.url:
                yield source.url, card.line_of("sources", i, "url")
    if isinstance(meta, RecommendationCard):
        for i, inspiration in enumerate(meta.inspirations):
            if inspiration.url:
                yield inspiration.url, card.line_of("inspirations", i, "url")
    for offset, text in enumerate(card.body.split("\n")):
        for url in MARKDOWN_LINK.findall(text):
            yield _trim(url), card.front.body_line + offset


def _trim(url: str) -> str:
    """A link written at the end of a sentence keeps its final punctuation out."""
    return url.rstrip(".,;:!?")


def _connect(host: str, port: int, timeout: float | None) -> socket.socket:
    """A connection to one of the IPs the host resolves to, every one of them checked public first."""
    failure: OSError = OSError(f"injoignable : {host}")
    for family, ip in public_addresses(host, port):
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            if timeout is not None:
                sock.settimeout(timeout)
            sock.connect((ip, port))
            return sock
        except OSError as error:
            sock.close()
            failure = error
    raise failure


class _OutsideHTTPConnection(http.client.HTTPConnection):
    def connect(self) -> None:
        self.sock = _connect(self.host, self.port, self.timeout)


class _OutsideHTTPSConnection(http.client.HTTPSConnection):
    def connect(self) -> None:
        sock = _connect(self.host, self.port, self.timeout)
        context: ssl.SSLContext = self._context  # type: ignore[attr-defined]
        self.sock = context.wrap_socket(sock, server_hostname=self.host)  # the certificate of the name


class _OutsideHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_OutsideHTTPConnection, req)


class _OutsideHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_OutsideHTTPSConnection, req, context=ssl.create_default_context())


def _opener() -> urllib.request.OpenerDirector:
    """http(s) only, through the handlers above, redirects followed (each one connects again), no proxy."""
    opener = urllib.request.OpenerDirector()
    for handler in (_OutsideHTTPHandler(), _OutsideHTTPSHandler(), urllib.request.HTTPRedirectHandler(),
                    urllib.request.HTTPDefaultErrorHandler(), urllib.request.HTTPErrorProcessor()):
        opener.add_handler(handler)
    return opener


def check_url(url: str, timeout: float = 20.0) -> LinkResult:
    """HEAD first (cheap), then GET for the servers that refuse or mishandle HEAD."""
    refused = refusal(url) if url.startswith(("http://", "https://")) else "seules les adresses http(s) sont vérifiées"
    if refused is not None:
        return LinkResult(url, None, f"adresse refusée : {refused}")
    result = _request(url, "HEAD", timeout)
    if not result.ok and not result.reason.startswith("adresse refusée"):
        result = _request(url, "GET", timeout)
    return result


def _request(url: str, method: str, timeout: float) -> LinkResult:
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with _opener().open(request, timeout=timeout) as response:
            return LinkResult(url, response.status, response.reason or "")
    except urllib.error.HTTPError as error:
        return LinkResult(url, error.code, str(error.reason))
    except AddressRefused as error:
        return LinkResult(url, None, f"adresse refusée : {error}")
    except TimeoutError:
        return LinkResult(url, None, "délai dépassé")
    except http.client.InvalidURL as error:  # a control character in the address: never sent
        return LinkResult(url, None, f"adresse invalide ({error})")
    except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, AddressRefused):
            return LinkResult(url, None, f"adresse refusée : {reason}")
        return LinkResult(url, None, "délai dépassé" if isinstance(reason, TimeoutError) else f"injoignable ({reason})")


def check_urls(urls: Iterable[str], timeout: float = 20.0, workers: int = 8) -> list[LinkResult]:
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda url: check_url(url, timeout), urls))


def describe(result: LinkResult) -> str:
    return f"{result.status} {result.reason}".strip() if result.status is not None else result.reason


def report_lines(results: list[LinkResult], places: dict[str, list[Place]], github: bool) -> list[str]:
    """One line per place of each broken or doubtful link, as `path:line:` or GitHub annotations."""
    lines: list[str] = []
    for result in results:
        if result.ok:
            continue
        word = "lien cassé" if result.broken else "lien à vérifier à la main"
        for place in places[result.url]:
            if github:
                level = "error" if result.broken else "warning"
                lines.append(annotation(level, place.path, place.line, f"{word} : {result.url} ({describe(result)})"))
            else:
                lines.append(shown(f"{place.path}:{place.line}: {word} : {result.url} ({describe(result)})"))
    return lines


def markdown_report(results: list[LinkResult], places: dict[str, list[Place]]) -> str:
    """The report for the job summary and the issue opened by the weekly workflow."""
    broken = [r for r in results if r.broken]
    doubtful = [r for r in results if r.doubtful]
    lines = ["# Vérification des liens externes", "",
             f"{len(results)} adresses vérifiées : {len(broken)} cassée(s), {len(doubtful)} à vérifier à la main.", ""]
    for title, group in (("Liens cassés", broken), ("À vérifier à la main (accès refusé aux robots, délai)", doubtful)):
        if group:
            lines += [f"## {title}", "", "| Adresse | Réponse | Où |", "| --- | --- | --- |"]
            lines += [f"| <{r.url}> | {describe(r)} | {', '.join(f'`{p.path}:{p.line}`' for p in places[r.url])} |"
                      for r in group]
            lines.append("")
    return "\n".join(lines)
