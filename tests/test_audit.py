"""The audit of the content against its sources (issue #13), kept in audit/*.yml, covers the whole bank.

Each file lists, for one source document (or several), every experience the document describes
with the card that tells it, and every card or recommendation resting on it with the passages
read and what was checked. Line ranges point into the team's copies of the sources
(../shared/sources/); they are checked against those files when they are beside the project.
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


def _ranges(entry: dict[str, Any]) -> list[str]:
    lines = entry["lines"]
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
        for experience in document["experiences"]:
            folder, slug = _target(experience)
            assert slug in _slugs(folder), f"{document['source']}: {experience['name']} → {slug}"


def test_entries_say_what_was_checked_and_where():
    for document in _documents():
        for entry in document["cards"]:
            assert str(entry["checked"]).strip(), entry
            assert isinstance(entry.get("fixed", []), list), entry
            assert all(LINES.match(str(span)) for span in _ranges(entry)), entry
        for experience in document["experiences"]:
            assert all(LINES.match(str(span)) for span in _ranges(experience)), experience


@pytest.mark.skipif(not SOURCES.is_dir(), reason="the team's copies of the sources are not beside the project")
def test_line_ranges_fall_inside_their_source():
    for document in _documents():
        length = len((SOURCES / document["source"]).read_text(encoding="utf-8").splitlines())
        for entry in [*document["cards"], *document["experiences"]]:
            for span in _ranges(entry):
                first, last = LINES.match(str(span)).groups()  # type: ignore[union-attr]
                assert 1 <= int(first) <= int(last or first) <= length, (document["source"], entry)
