"""« Mon territoire »: the cases of territories like the reader's, first, each with its reason.

The order (recueil/site/assets/recueil-territoire.js does the same in the reader's browser, on the data
`site.py` publishes): same size band first, then same kind of territory, then the nearest size
bands, then same région before a neighbouring région before the others, then the nearest
population, then the title.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

NEIGHBOURS = Path(__file__).parent / "data" / "regions-voisines.json"
EPCI_KINDS = {"CC", "CA", "CU", "METRO", "intercommunalite"}
SAME_SIZE, SAME_KIND, SAME_REGION, NEIGHBOUR_REGION, NEAR_SIZE = (
    "même taille", "même type de territoire", "même région", "région voisine", "taille voisine")


@lru_cache(maxsize=1)
def neighbours() -> dict[str, tuple[str, ...]]:
    data = json.loads(NEIGHBOURS.read_text(encoding="utf-8"))
    return {code: tuple(codes) for code, codes in data.items() if not code.startswith("_")}


@dataclass(frozen=True)
class Place:
    """What the ranking reads of a territory: its size band (index in the taxonomy), kind, région, population."""

    band: int | None
    kind: str
    region: str
    population: int | None


def same_kind(a: str, b: str) -> bool:
    return a == b or (a in EPCI_KINDS and b in EPCI_KINDS and "intercommunalite" in (a, b))


def reasons(reader: Place, other: Place) -> list[str]:
    found = []
    if reader.band is not None and reader.band == other.band:
        found.append(SAME_SIZE)
    elif reader.band is not None and other.band is not None and abs(reader.band - other.band) == 1:
        found.append(NEAR_SIZE)
    if same_kind(reader.kind, other.kind):
        found.append(SAME_KIND)
    if reader.region and reader.region == other.region:
        found.append(SAME_REGION)
    elif reader.region and other.region in neighbours().get(reader.region, ()):
        found.append(NEIGHBOUR_REGION)
    return found


def sort_key(reader: Place, other: Place, slug: str) -> tuple[object, ...]:
    band_gap = abs(reader.band - other.band) if reader.band is not None and other.band is not None else 99
    region = 0 if reader.region and reader.region == other.region else (
        1 if other.region in neighbours().get(reader.region, ()) else 2)
    gap = (abs(math.log10(max(other.population, 1)) - math.log10(max(reader.population, 1)))
           if reader.population and other.population is not None else math.inf)
    return (band_gap != 0, not same_kind(reader.kind, other.kind), band_gap, region, gap, slug)


def rank(reader: Place, others: list[tuple[str, Place]]) -> list[tuple[str, list[str]]]:
    """(slug, place) pairs of the cases, the most like the reader's first, with their reasons."""
    ordered = sorted(others, key=lambda item: sort_key(reader, item[1], item[0]))
    return [(slug, reasons(reader, place)) for slug, place in ordered]
