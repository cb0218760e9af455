"""The Atom feed flux.xml: well-formed, in the Atom namespace, newest cases first, every text escaped."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from recueil.bank.bank import load_bank
from recueil.cards.problems import CardErrors
from recueil.outputs.feed import FEED_SIZE, atom_feed
from recueil.project import Project
from tests.conftest import ROOT
from tests.helpers import mini_project

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")
HOSTILE_SUMMARY = "Des <script>alert('x')</script> & des « guillemets » \"doubles\" ]]> dans le résumé."


def card(title: str, name: str, verified: str, summary: str = "Un résumé.", year: int = 2020) -> str:
    return f"""---
title: {json.dumps(title, ensure_ascii=False)}
summary: {json.dumps(summary, ensure_ascii=False)}
territory:
  name: {name}
  kind: commune
themes: [mobilite]
recommendations: [mesurer]
status: en-cours
year: {year}
sources:
  - {{title: Une source, date: "{year}"}}
last_verified: {verified}
---

## Contexte

Texte.

## Action mise en œuvre

Texte.

## Résultats et perspectives

Texte.

## En savoir plus

- Texte.
"""


def test_real_feed_is_atom_with_the_newest_cases_first(real_site: Path) -> None:
    root = ET.parse(real_site / "flux.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated", "author"):
        assert len(root.findall(f"{ATOM}{name}")) == 1, name
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == "https://datacites.github.io/recueil/flux.xml"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == min(FEED_SIZE, len(list(ROOT.glob("cases/*.md"))))
    updated = [entry.findtext(f"{ATOM}updated") for entry in entries]
    assert all(RFC3339.match(stamp) for stamp in updated)
    assert updated == sorted(updated, reverse=True)
    assert root.findtext(f"{ATOM}updated") == updated[0]
    for entry in entries:
        link = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
        slug = link.rstrip("/").rsplit("/", 1)[-1]
        assert (ROOT / "cases" / f"{slug}.md").exists()
        assert (real_site / "cas" / slug / "index.html").exists()
        assert entry.findtext(f"{ATOM}id") == link and entry.findtext(f"{ATOM}title")


def test_pages_announce_the_feed(real_site: Path) -> None:
    # Relative: Material fetches the sitemap beside every <link rel="alternate">, so an absolute address
    # would make each page call the published host wherever the site is served (tests/browser/test_privacy.py).
    for page, href in (("index.html", "flux.xml"), ("cas/index.html", "../flux.xml"),
                       ("contribuer/proposer/index.html", "../../flux.xml")):
        html = (real_site / page).read_text(encoding="utf-8")
        assert re.search(r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" '
                         rf'href="{re.escape(href)}"></head>', html), page


def test_order_is_newest_verification_first_and_texts_are_escaped(tmp_path: Path) -> None:
    project = mini_project(tmp_path, {
        "alpha-ancienne.md": card("Alpha : une fiche ancienne", "Alpha", "2021-05-04"),
        "beta-recente.md": card('Beta : R&D, « données » et "guillemets"', "Beta", "2026-11-20", HOSTILE_SUMMARY),
    })
    bank = load_bank(Project(project))
    text = atom_feed(bank, "", "Mini & co <recueil>")
    root = ET.fromstring(text.encode("utf-8"))
    titles = [entry.findtext(f"{ATOM}title") for entry in root.findall(f"{ATOM}entry")]
    expected = sorted(bank.cases, key=lambda case: (case.meta.last_verified, case.meta.year or 0, case.slug), reverse=True)
    assert titles == [case.meta.title for case in expected]
    assert titles[0] == 'Beta : R&D, « données » et "guillemets"' and titles[-1] == "Alpha : une fiche ancienne"
    beta = root.findall(f"{ATOM}entry")[0]
    assert beta.findtext(f"{ATOM}summary") == f"Beta, 2020 : {HOSTILE_SUMMARY}"
    assert root.findtext(f"{ATOM}title") == "Mini & co <recueil> : dernières fiches expérience"
    assert "<script>" not in text and "&lt;script&gt;" in text and "R&amp;D" in text
    # Without a site address, ids are still absolute IRIs (name-based UUIDs), stable from one build to the next.
    ids = [entry.findtext(f"{ATOM}id") for entry in root.findall(f"{ATOM}entry")]
    assert all(re.match(r"^urn:uuid:[0-9a-f-]{36}$", value) for value in ids) and len(set(ids)) == len(ids)
    assert atom_feed(bank, "", "Mini & co <recueil>") == text
    assert dt.date.fromisoformat(root.findtext(f"{ATOM}updated")[:10]) == dt.date(2026, 11, 20)


def test_control_characters_never_make_the_feed_unreadable(tmp_path: Path) -> None:
    """The check refuses a control character (issue #24); the feed's writer drops any left, as a second guard."""
    project = mini_project(tmp_path, {"gamma.md": card("Gamma : un titre", "Gamma", "2026-01-01",
                                                       "Un résumé avec un caractère de contrôle \x0b ici.")})
    with pytest.raises(CardErrors, match="caractère de contrôle U[+]000B interdit"):
        load_bank(Project(project))
    bank = load_bank(Project(mini_project(tmp_path / "autre")))
    bank.cases[0].meta.summary = "Un résumé avec un caractère de contrôle \x0b ici."
    root = ET.fromstring(atom_feed(bank, "https://exemple.fr/", "Mini").encode("utf-8"))
    summaries = [entry.findtext(f"{ATOM}summary") or "" for entry in root.findall(f"{ATOM}entry")]
    assert any("Un résumé avec un caractère de contrôle  ici." in summary for summary in summaries)
