"""The Atom feed `flux.xml` of the latest cases, newest first, built with ElementTree (which escapes)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
import xml.etree.ElementTree as ET

from recueil.addresses import BANK_URI, FEED_PATH, case_uri, page_url
from recueil.bank.bank import Bank, Case

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 30
# Characters XML 1.0 forbids even when escaped: a stray one would make the whole feed unreadable.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def newest_cases(bank: Bank, limit: int = FEED_SIZE) -> list[Case]:
    """Most recently verified first: a new card carries the day it was written."""
    return sorted(bank.cases, key=lambda c: (c.meta.last_verified, c.meta.year or 0, c.slug), reverse=True)[:limit]


def atom_feed(bank: Bank, base_url: str, site_name: str, limit: int = FEED_SIZE) -> str:
    ET.register_namespace("", ATOM)
    cases = newest_cases(bank, limit)
    feed = ET.Element(_tag("feed"), {"{http://www.w3.org/XML/1998/namespace}lang": "fr"})
    _text(feed, "title", f"{site_name} : dernières fiches expérience")
    _text(feed, "subtitle", "Les fiches expérience ajoutées ou revérifiées le plus récemment.")
    ET.SubElement(feed, _tag("link"), rel="self", type="application/atom+xml", href=base_url + FEED_PATH)
    ET.SubElement(feed, _tag("link"), rel="alternate", type="text/html", href=base_url + page_url(BANK_URI))
    _text(feed, "id", _iri(base_url, FEED_PATH))
    _text(feed, "updated", _timestamp(cases[0].meta.last_verified if cases else dt.date(2018, 1, 1)))
    author = ET.SubElement(feed, _tag("author"))
    _text(author, "name", site_name)
    _text(feed, "generator", "recueil")
    for case in cases:
        _entry(feed, bank, case, base_url)
    ET.indent(feed)
    return ET.tostring(feed, encoding="unicode", xml_declaration=False).join(
        ['<?xml version="1.0" encoding="utf-8"?>\n', "\n"])


def _entry(feed: ET.Element, bank: Bank, case: Case, base_url: str) -> None:
    url = base_url + page_url(case_uri(case.slug))
    entry = ET.SubElement(feed, _tag("entry"))
    _text(entry, "title", case.meta.title)
    ET.SubElement(entry, _tag("link"), rel="alternate", type="text/html", href=url)
    _text(entry, "id", _iri(base_url, page_url(case_uri(case.slug))))
    _text(entry, "updated", _timestamp(case.meta.last_verified))
    place = case.meta.territory
    when = f", {case.meta.year}" if case.meta.year else ""
    _text(entry, "summary", f"{place.name}{when} : {case.meta.summary}")
    for theme in case.meta.themes:
        ET.SubElement(entry, _tag("category"), term=theme, label=bank.taxonomy.term("themes", theme).label)


def _tag(name: str) -> str:
    return f"{{{ATOM}}}{name}"


def _text(parent: ET.Element, name: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, _tag(name))
    element.text = NOT_XML.sub("", text)
    return element


def _iri(base_url: str, path: str) -> str:
    """An absolute IRI as Atom wants for ids; without a site address, a stable name-based UUID."""
    if base_url.startswith(("http://", "https://")):
        return base_url + path
    return uuid.uuid5(uuid.NAMESPACE_URL, "recueil:" + path).urn


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"
