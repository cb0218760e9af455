"""The audit of the content against its sources (issue #13), kept in audit/*.yml, covers the whole bank.

Each file lists, for one source document (or several), every experience the document describes
with the card that tells it, and every card or recommendation resting on it with the passages
read and what was checked. Line ranges point into the team's copies of the sources
(../shared/sources/); they are checked against those files when they are beside the project.

A card written from public web pages (no file of ../shared/sources) is audited in a document whose
`source` is `pages`: each entry lists the `pages` read (address, date, what the card takes from it),
and every address is one of the card's own sources.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from tests.helpers import ROOT

AUDIT = ROOT / "audit"
SOURCES = ROOT.parent / "shared" / "sources"
LINES = re.compile(r"^(\d+)(?:-(\d+))?$")


def _documents() -> list[dict[str, Any]]:
    documents: list[dict[str, Any]] = []
    for path in sorted(AUDIT.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        documents.extend(data if isinstance(data, list) else [data])
    return documents


def _slugs(folder: str) -> set[str]:
    return {path.stem for path in (ROOT / folder).glob("*.md")}


def _target(entry: dict[str, Any]) -> tuple[str, str]:
    if "card" in entry:
        return "cases", entry["card"]
    return "recommendations", entry["recommendation"]


WEB_PAGES = "pages"  # the `source` of an audit document about cards written from public web pages


def _ranges(entry: dict[str, Any]) -> list[str]:
    lines = entry.get("lines", [])
    return [lines] if isinstance(lines, str) else lines


def test_every_card_and_recommendation_has_an_audit_entry():
    audited = {_target(entry) for document in _documents() for entry in document["cards"]}
    assert {("cases", slug) for slug in _slugs("cases")} - audited == set()
    assert {("recommendations", slug) for slug in _slugs("recommendations")} - audited == set()


def test_every_experience_of_the_sources_maps_to_a_card():
    documents = _documents()
    assert {document["source"] for document in documents} >= {
        "datacites-guide-pour-l-action.txt", "france-urbaine-villes-numerique-innovation-sociale.txt",
        "communique-datacites-2-laureats-2019.txt", "communique-ami-tee-2022-laureats.txt",
        "article-ami-coeur-de-ville-donnees-2019.txt"}
    for document in documents:
        for experience in document.get("experiences", []):
            folder, slug = _target(experience)
            assert slug in _slugs(folder), f"{document['source']}: {experience['name']} → {slug}"


def test_entries_say_what_was_checked_and_where():
    for document in _documents():
        for entry in document["cards"]:
            assert str(entry["checked"]).strip(), entry
            assert isinstance(entry.get("fixed", []), list), entry
            assert all(LINES.match(str(span)) for span in _ranges(entry)), entry
            assert entry.get("lines") or document["source"] == WEB_PAGES, entry
        for experience in document.get("experiences", []):
            assert all(LINES.match(str(span)) for span in _ranges(experience)), experience


@pytest.mark.skipif(not SOURCES.is_dir(), reason="the team's copies of the sources are not beside the project")
def test_line_ranges_fall_inside_their_source():
    for document in _documents():
        if document["source"] == WEB_PAGES:
            continue
        length = len((SOURCES / document["source"]).read_text(encoding="utf-8").splitlines())
        for entry in [*document["cards"], *document["experiences"]]:
            for span in _ranges(entry):
                first, last = LINES.match(str(span)).groups()  # type: ignore[union-attr]
                assert 1 <= int(first) <= int(last or first) <= length, (document["source"], entry)



def _card_sources(slug: str) -> list[dict[str, Any]]:
    text = (ROOT / "cases" / f"{slug}.md").read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n", 2)[1])["sources"]


def test_cards_from_web_pages_name_the_pages_they_rest_on():
    """Each page an entry says was read is a dated source of the card itself, with what the card takes from it."""
    entries = [entry for document in _documents() if document["source"] == WEB_PAGES for entry in document["cards"]]
    for entry in entries:
        sources = {source.get("url"): source for source in _card_sources(entry["card"])}
        assert entry["pages"], entry["card"]
        for page in entry["pages"]:
            assert page["url"] in sources, (entry["card"], page["url"])
            assert sources[page["url"]].get("date"), (entry["card"], page["url"])
            assert str(page["read"]).strip(), (entry["card"], page["url"])
        assert str(entry["found"]).strip(), entry["card"]
