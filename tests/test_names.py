"""One spelling per name, and no anglicism, in the site's own text (names.yml).

The text read is the reader's: card fields and bodies, recommendations, hand-written pages. The
titles of cited documents and the addresses keep their authors' spelling, and so do code spans
(file names such as benchmarks/…); the English summary is English.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import ROOT

NAMES: dict[str, Any] = yaml.safe_load((ROOT / "names.yml").read_text(encoding="utf-8"))
ENGLISH_PAGES = {"docs/guide/executive-summary.md"}
FRONT_MATTER = re.compile(r"^---\n(.*?)\n---\n(.*)$", re.S)
LINK_TARGET = re.compile(r"\]\([^)]*\)|<https?://[^>]*>|https?://\S+|`[^`]*`")


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [text for key, item in value.items() if key not in ("sources", "url") for text in _strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return [value] if isinstance(value, str) else []


def own_text(path: Path) -> str:
    """What the site says in its own voice in this file."""
    text = path.read_text(encoding="utf-8")
    parts = FRONT_MATTER.match(text)
    if parts:
        text = "\n".join([*_strings(yaml.safe_load(parts.group(1)) or {}), parts.group(2)])
    return LINK_TARGET.sub(" ", text)


def site_files() -> list[Path]:
    files = [*ROOT.glob("cases/*.md"), *ROOT.glob("recommendations/*.md"), *ROOT.glob("docs/**/*.md")]
    return sorted(path for path in files if path.relative_to(ROOT).as_posix() not in ENGLISH_PAGES)


def _found(words: list[str]) -> list[str]:
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, words)) + r")\b")
    return [f"{path.relative_to(ROOT)}: {match}" for path in site_files() for match in pattern.findall(own_text(path))]


@pytest.mark.parametrize("name", NAMES["names"], ids=lambda name: name["use"])
def test_one_spelling_per_name(name):
    assert _found(name["not"]) == [], f"write {name['use']!r}"


def test_no_anglicism_in_our_own_voice():
    assert _found(NAMES["anglicisms"]) == []


def test_the_reading_sees_our_text_and_not_cited_titles(tmp_path):
    card = tmp_path / "carte.md"
    card.write_text('---\ntitle: "Le Nantes Citylab"\nsources:\n  - title: "Nantes Citylab, rapport"\n---\n\n'
                    "Le [Citylab](https://citylab.example/Citylab) et `benchmarks/x.py`.\n", encoding="utf-8")
    assert own_text(card).count("Citylab") == 2
    assert "benchmarks" not in own_text(card)
