"""The map of the cases: metropolitan France drawn at build time as inline SVG.

The outline comes from a small file shipped in the package (`data/france.json`, made by
`tools/make_france_map.py` from Natural Earth, public domain), so the map needs no tile server,
no script and no network: it reads offline, prints, and goes into the PDF. This module only
computes the layout (where each marker goes, how big, which colour); the template
`_map.j2` turns it into HTML, escaped like every other generated page.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from recueil.cards.models import MULTI_TERRITORY
from recueil.cards.suggest import fold

if TYPE_CHECKING:  # only for annotations: the map tool imports this module without the engine's deps
    from recueil.bank.bank import Case
    from recueil.cards.taxonomy import Stratum

BASEMAP_FILE = Path(__file__).parent / "data" / "france.json"
EARTH_RADIUS_KM = 6371.0

# Marker sizes in map units (1 unit ≈ 1 km): a stratum of larger towns gets a larger circle.
SMALLEST_RADIUS = 10.0
RADIUS_STEP = 2.5
UNSIZED_RADIUS = 10.0
MARKER_GAP = 2.0
FIRST_RING = 6
# One colour per size class, in taxonomy order; each keeps a contrast of at least 3:1 against
# the land fill, as RGAA asks of graphical objects. The size still tells the class without colour.
STRATUM_COLOURS = ("#0f766e", "#1d4ed8", "#7e22ce", "#b45309", "#be123c", "#374151")


@dataclass(frozen=True)
class Lambert:
    """Lambert conformal conic on a sphere, with Lambert-93's parallels: France looks as on IGN maps."""

    lon0: float = 3.0
    lat0: float = 46.5
    lat1: float = 44.0
    lat2: float = 49.0

    def project(self, lon: float, lat: float) -> tuple[float, float]:
        """(longitude, latitude) in degrees → (x east, y north) in kilometres from the origin."""
        phi1, phi2 = math.radians(self.lat1), math.radians(self.lat2)
        n = math.log(math.cos(phi1) / math.cos(phi2)) / math.log(_tan_half(phi2) / _tan_half(phi1))
        big_f = math.cos(phi1) * _tan_half(phi1) ** n / n
        rho = EARTH_RADIUS_KM * big_f / _tan_half(math.radians(lat)) ** n
        rho0 = EARTH_RADIUS_KM * big_f / _tan_half(math.radians(self.lat0)) ** n
        theta = n * math.radians(lon - self.lon0)
        return rho * math.sin(theta), rho0 - rho * math.cos(theta)


def _tan_half(phi: float) -> float:
    return math.tan(math.pi / 4 + phi / 2)


@dataclass(frozen=True)
class Frame:
    """Projected kilometres → SVG units: y grows downwards in SVG."""

    x_min: float
    y_max: float
    scale: float
    padding: float

    def to_svg(self, x: float, y: float) -> tuple[float, float]:
        return ((x - self.x_min) * self.scale + self.padding, (self.y_max - y) * self.scale + self.padding)


@dataclass(frozen=True)
class Basemap:
    """The shipped background: outline paths, view box, projection and the area it covers."""

    width: int
    height: int
    france: str
    neighbours: str
    projection: Lambert
    frame: Frame
    bounds: tuple[float, float, float, float]  # lon_min, lat_min, lon_max, lat_max of metropolitan France
    attribution: str

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    def covers(self, lon: float, lat: float) -> bool:
        lon_min, lat_min, lon_max, lat_max = self.bounds
        return lon_min <= lon <= lon_max and lat_min <= lat <= lat_max

    def to_svg(self, lon: float, lat: float) -> tuple[float, float]:
        return self.frame.to_svg(*self.projection.project(lon, lat))


@cache
def load_basemap(path: Path = BASEMAP_FILE) -> Basemap:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Basemap(width=data["width"], height=data["height"], france=data["paths"]["france"],
                   neighbours=data["paths"]["neighbours"], projection=Lambert(**data["projection"]),
                   frame=Frame(**data["frame"]), bounds=tuple(data["bounds"]),  # type: ignore[arg-type]
                   attribution=data["attribution"])


@dataclass(frozen=True)
class StratumStyle:
    """How one size class looks on the map and in its legend."""

    stratum: Stratum
    radius: float
    colour: str
    hollow: bool  # the class of unknown size: an outlined circle, not a filled one
    count: int = 0


@dataclass(frozen=True)
class Marker:
    """One case on the map. (x, y) is where it is drawn, (anchor_x, anchor_y) where the place is."""

    case: Case
    style: StratumStyle
    x: float
    y: float
    anchor_x: float
    anchor_y: float

    @property
    def displaced(self) -> bool:
        return (round(self.x, 1), round(self.y, 1)) != (round(self.anchor_x, 1), round(self.anchor_y, 1))


@dataclass(frozen=True)
class FranceMap:
    basemap: Basemap
    markers: list[Marker]
    legend: list[StratumStyle]
    others: list[Case]  # abroad, overseas or without coordinates: listed beside the map

    @property
    def anchors(self) -> list[tuple[float, float]]:
        """The true places of markers moved aside, each once: their leader lines start there."""
        return list(dict.fromkeys((m.anchor_x, m.anchor_y) for m in self.markers if m.displaced))


def on_metropolitan_map(case: Case, basemap: Basemap) -> bool:
    """A case is drawn when it is in France and its coordinates fall in the metropolitan area."""
    territory = case.meta.territory
    if territory.lat is None or territory.lon is None or territory.kind == MULTI_TERRITORY:
        return False
    return case.in_france and basemap.covers(territory.lon, territory.lat)


def layout_france_map(cases: Sequence[Case], strata: Sequence[Stratum] = (),
                      basemap: Basemap | None = None) -> FranceMap:
    """Place every case of metropolitan France on the map; list the others beside it."""
    basemap = basemap or load_basemap()
    placed = [case for case in cases if on_metropolitan_map(case, basemap)]
    styles = _styles(strata or _strata_of(cases), placed)
    points = [_marker_at_place(case, styles[case.stratum.id], basemap) for case in placed]
    markers = _keep_inside(_spread(points, basemap), basemap)
    others = sorted((case for case in cases if not on_metropolitan_map(case, basemap)),
                    key=lambda case: (fold(case.country), case.sort_key))
    return FranceMap(basemap, markers, list(styles.values()), others)


def _strata_of(cases: Iterable[Case]) -> list[Stratum]:
    seen: dict[str, Stratum] = {}
    for case in cases:
        seen.setdefault(case.stratum.id, case.stratum)
    return list(seen.values())


def _styles(strata: Sequence[Stratum], placed: Sequence[Case]) -> dict[str, StratumStyle]:
    """Sized classes grow in taxonomy order; a class with no bounds (unknown size) is hollow."""
    counts: dict[str, int] = {}
    for case in placed:
        counts[case.stratum.id] = counts.get(case.stratum.id, 0) + 1
    styles: dict[str, StratumStyle] = {}
    sized = 0
    for index, stratum in enumerate([*strata, *(c.stratum for c in placed if c.stratum not in strata)]):
        if stratum.id in styles:
            continue
        hollow = stratum.min is None and stratum.max is None
        radius = UNSIZED_RADIUS if hollow else SMALLEST_RADIUS + RADIUS_STEP * sized
        sized += 0 if hollow else 1
        styles[stratum.id] = StratumStyle(stratum, radius, STRATUM_COLOURS[index % len(STRATUM_COLOURS)],
                                          hollow, counts.get(stratum.id, 0))
    return styles


def _marker_at_place(case: Case, style: StratumStyle, basemap: Basemap) -> Marker:
    territory = case.meta.territory
    assert territory.lon is not None and territory.lat is not None
    x, y = basemap.to_svg(territory.lon, territory.lat)
    return Marker(case, style, x, y, x, y)


def _spread(markers: list[Marker], basemap: Basemap) -> list[Marker]:
    """Markers that would overlap are set in rings around their common place, so each stays clickable."""
    spread: dict[str, Marker] = {}
    for group in _overlapping_groups(markers):
        if len(group) == 1:
            spread[group[0].case.slug] = group[0]
            continue
        centre_x = sum(m.anchor_x for m in group) / len(group)
        centre_y = sum(m.anchor_y for m in group) / len(group)
        spacing = 2 * max(m.style.radius for m in group) + MARKER_GAP
        ring = [Marker(m.case, m.style, centre_x + dx, centre_y + dy, m.anchor_x, m.anchor_y)
                for m, (dx, dy) in zip(group, _ring_offsets(len(group), spacing), strict=True)]
        spread.update((m.case.slug, m) for m in _shift_inside(ring, basemap))
    return [spread[marker.case.slug] for marker in markers]


def _shift_inside(ring: list[Marker], basemap: Basemap) -> list[Marker]:
    """A ring crossing the edge of the view moves inside as a whole, so its markers still do not overlap."""
    def shift(low: float, high: float, limit: int) -> float:
        return -low if low < 0 else (limit - high if high > limit else 0.0)

    dx = shift(min(m.x - m.style.radius for m in ring), max(m.x + m.style.radius for m in ring), basemap.width)
    dy = shift(min(m.y - m.style.radius for m in ring), max(m.y + m.style.radius for m in ring), basemap.height)
    return [Marker(m.case, m.style, m.x + dx, m.y + dy, m.anchor_x, m.anchor_y) for m in ring]


def _overlapping_groups(markers: list[Marker]) -> list[list[Marker]]:
    """Groups of markers linked by overlaps (union-find), each in the input order."""
    parent = list(range(len(markers)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # A grid of cells as wide as the largest reach: only markers in neighbouring cells can touch,
    # so grouping stays linear in the number of markers instead of comparing every pair.
    cell = 2 * max((marker.style.radius for marker in markers), default=1.0) + MARKER_GAP
    grid: dict[tuple[int, int], list[int]] = {}
    for i, first in enumerate(markers):
        column, row = int(first.x // cell), int(first.y // cell)
        place, reach = (first.x, first.y), first.style.radius + MARKER_GAP
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for j in grid.get((column + dx, row + dy), ()):
                    second = markers[j]
                    if math.dist(place, (second.x, second.y)) < reach + second.style.radius:
                        parent[root(j)] = root(i)  # i's root stays the root: later tests of i are short
        grid.setdefault((column, row), []).append(i)
    groups: dict[int, list[Marker]] = {}
    for i, marker in enumerate(markers):
        groups.setdefault(root(i), []).append(marker)
    return list(groups.values())


def _ring_offsets(count: int, spacing: float) -> list[tuple[float, float]]:
    """Offsets for `count` circles of diameter ≤ spacing on concentric rings, neighbours not touching."""
    offsets: list[tuple[float, float]] = []
    radius = 0.0
    while len(offsets) < count:
        left = count - len(offsets)
        if not offsets:  # first ring: at most six, as tight as they allow
            on_ring = min(left, FIRST_RING)
            radius = spacing / (2 * math.sin(math.pi / on_ring)) if on_ring > 1 else 0.0
        else:
            radius += spacing
            on_ring = min(left, int(2 * math.pi * radius / spacing))
        turn = -math.pi / 2 + len(offsets) * 0.5  # rings turned a little, so markers do not line up
        offsets += [(radius * math.cos(turn + 2 * math.pi * k / on_ring),
                     radius * math.sin(turn + 2 * math.pi * k / on_ring)) for k in range(on_ring)]
    return offsets


def _keep_inside(markers: list[Marker], basemap: Basemap) -> list[Marker]:
    """Last guard: no marker is drawn across the edge of the view box, whatever its place."""
    def clamp(value: float, radius: float, limit: int) -> float:
        return min(max(value, radius), limit - radius)

    return [Marker(m.case, m.style, clamp(m.x, m.style.radius, basemap.width),
                   clamp(m.y, m.style.radius, basemap.height), m.anchor_x, m.anchor_y) for m in markers]


def group_by_region(cases: Iterable[Case]) -> list[tuple[str, list[Case]]]:
    """Cases under their French region (`Case.region_label`), then under their country abroad: the map as a list,
    the places in the order of the bank's « Région ou pays » filter (`Case.region_key`)."""
    groups: dict[str, list[Case]] = {}
    order: dict[str, tuple[int, str]] = {}
    for case in cases:
        groups.setdefault(case.region_label, []).append(case)
        order[case.region_label] = case.region_key
    return sorted(groups.items(), key=lambda item: order[item[0]])
