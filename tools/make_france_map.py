"""Make `recueil/site/data/france.json`, the background of the map of cases, from Natural Earth.

Source: the npm package `world-atlas` (Natural Earth 1:50m admin-0 countries as TopoJSON;
Natural Earth is public domain). Get it and run, from the repository root:

    cd /tmp && npm pack world-atlas        # → world-atlas-2.0.2.tgz
    .venv/bin/python tools/make_france_map.py /tmp/world-atlas-2.0.2.tgz

The argument may also be the extracted `countries-50m.json`. Only the standard library is
used to read the TopoJSON; the projection is the one the engine applies to the cases
(`recueil.site.france_map.Lambert`), so markers and outline agree.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tarfile
from collections.abc import Iterable, Sequence
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from recueil.site.france_map import BASEMAP_FILE, Frame, Lambert  # noqa: E402

Point = tuple[float, float]
Ring = list[Point]

METROPOLE_BOX = (-6.0, 41.0, 10.0, 52.0)  # lon/lat box that holds mainland France and Corsica
NEIGHBOURHOOD_BOX = (-12.0, 36.0, 16.0, 56.0)  # countries drawn in grey around France
BOUNDS_MARGIN_DEG = 0.5
PADDING_KM = 40.0
SIMPLIFY_KM = 1.0
SMALLEST_ISLAND_KM2 = 15.0
ATTRIBUTION = "Fond de carte : Natural Earth (domaine public), via world-atlas"


def read_topology(source: Path) -> dict:
    """The TopoJSON document, from the npm tarball or from the extracted JSON file."""
    if source.suffix == ".tgz" or source.name.endswith(".tar.gz"):
        with tarfile.open(source) as archive:
            member = archive.extractfile("package/countries-50m.json")
            assert member is not None, f"{source}: no package/countries-50m.json"
            return json.load(member)
    return json.loads(source.read_text(encoding="utf-8"))


def decode_arcs(topology: dict) -> list[list[Point]]:
    """Quantized, delta-encoded arcs → lists of (lon, lat)."""
    (scale_x, scale_y), (shift_x, shift_y) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def simplify(points: Sequence[Point], tolerance: float) -> list[Point]:
    """Douglas–Peucker, keeping both ends (so arcs shared by two countries still meet)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        farthest, distance = first, 0.0
        for i in range(first + 1, last):
            d = _distance_to_segment(points[i], points[first], points[last])
            if d > distance:
                farthest, distance = i, d
        if distance > tolerance:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def _distance_to_segment(p: Point, a: Point, b: Point) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    length2 = (bx - ax) ** 2 + (by - ay) ** 2
    if length2 == 0:
        return math.dist(p, a)
    t = max(0.0, min(1.0, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / length2))
    return math.dist(p, (ax + t * (bx - ax), ay + t * (by - ay)))


def polygons_of(geometry: dict) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def assemble(ring_arcs: list[int], arcs: list[list[Point]]) -> Ring:
    """A ring from its arc indices; ~i means arc i reversed, and arcs share their end points."""
    ring: Ring = []
    for index in ring_arcs:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring += points[1:] if ring else points
    return ring


def _arc_index(index: int) -> int:
    return index if index >= 0 else ~index


def _touches(geometry: dict, arcs: list[list[Point]], box: tuple[float, float, float, float]) -> bool:
    return any(box[0] <= lon <= box[2] and box[1] <= lat <= box[3]
               for polygon in polygons_of(geometry) for ring in polygon for i in ring
               for lon, lat in arcs[_arc_index(i)])


def area(ring: Ring) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True))) / 2


def inside_box(ring: Iterable[Point], box: tuple[float, float, float, float]) -> bool:
    return all(box[0] <= lon <= box[2] and box[1] <= lat <= box[3] for lon, lat in ring)


def clip(ring: Ring, box: tuple[float, float, float, float]) -> Ring:
    """Sutherland–Hodgman clipping of a ring to a rectangle (x_min, y_min, x_max, y_max)."""
    x_min, y_min, x_max, y_max = box
    edges = [(lambda p: p[0] >= x_min, 0, x_min), (lambda p: p[0] <= x_max, 0, x_max),
             (lambda p: p[1] >= y_min, 1, y_min), (lambda p: p[1] <= y_max, 1, y_max)]
    for inside, axis, value in edges:
        if not ring:
            break
        output: Ring = []
        for current, previous in zip(ring, ring[-1:] + ring[:-1], strict=True):
            if inside(current):
                if not inside(previous):
                    output.append(_crossing(previous, current, axis, value))
                output.append(current)
            elif inside(previous):
                output.append(_crossing(previous, current, axis, value))
        ring = output
    return ring


def _crossing(a: Point, b: Point, axis: int, value: float) -> Point:
    t = (value - a[axis]) / (b[axis] - a[axis])
    return (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))


def svg_path(rings: Iterable[Ring]) -> str:
    """Rings of SVG points → compact path data: integer units, relative moves."""
    parts = []
    for ring in rings:
        points = _dedupe([(round(x), round(y)) for x, y in ring])
        if len(points) < 3:
            continue
        x0, y0 = points[0]
        steps = " ".join(f"{x - px} {y - py}" for (px, py), (x, y) in pairwise(points))
        parts.append(f"M{x0} {y0}l{steps}z")
    return "".join(parts).replace(" -", "-")


def _dedupe(points: list[tuple[int, int]]) -> list[tuple[int, int]]:
    kept = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]
    return kept[:-1] if len(kept) > 1 and kept[0] == kept[-1] else kept


def build(topology: dict, projection: Lambert) -> dict:
    arcs_lonlat = decode_arcs(topology)
    geometries = topology["objects"]["countries"]["geometries"]
    france = next(g for g in geometries if g["properties"]["name"] == "France")
    metropole = [polygon for polygon in polygons_of(france)
                 if inside_box(assemble(polygon[0], arcs_lonlat), METROPOLE_BOX)]
    nearby = [g for g in geometries if g is not france and _touches(g, arcs_lonlat, NEIGHBOURHOOD_BOX)]
    used = {_arc_index(i) for g in [france, *nearby] for polygon in polygons_of(g) for ring in polygon for i in ring}
    # Only arcs near France are projected: the conic projection has no image for the South Pole.
    projected = [[projection.project(lon, lat) for lon, lat in arc] if index in used else []
                 for index, arc in enumerate(arcs_lonlat)]
    simplified = [simplify(arc, SIMPLIFY_KM) for arc in projected]
    france_rings = [assemble(ring, simplified) for polygon in metropole for ring in polygon]
    france_rings = [ring for ring in france_rings if area(ring) >= SMALLEST_ISLAND_KM2]
    frame, width, height = _frame([assemble(polygon[0], projected) for polygon in metropole])
    to_svg = [[frame.to_svg(x, y) for x, y in ring] for ring in france_rings]
    view = (-5.0, -5.0, width + 5.0, height + 5.0)  # clip just outside the view: cut edges stay unseen
    neighbours = [clip([frame.to_svg(x, y) for x, y in assemble(ring, simplified)], view)
                  for geometry in nearby
                  for polygon in polygons_of(geometry) for ring in polygon]
    lonlat = [point for polygon in metropole for point in assemble(polygon[0], arcs_lonlat)]
    return {
        "attribution": ATTRIBUTION,
        "source": "world-atlas 2.0.2 (npm), countries-50m.json: Natural Earth 1:50m Admin 0 countries, v4.1.0",
        "licence": "Natural Earth: public domain (https://www.naturalearthdata.com/about/terms-of-use/)",
        "generated_by": "tools/make_france_map.py",
        "projection": {"lon0": projection.lon0, "lat0": projection.lat0,
                       "lat1": projection.lat1, "lat2": projection.lat2},
        "frame": {"x_min": frame.x_min, "y_max": frame.y_max, "scale": frame.scale, "padding": frame.padding},
        "width": width,
        "height": height,
        "bounds": [round(min(p[0] for p in lonlat) - BOUNDS_MARGIN_DEG, 2),
                   round(min(p[1] for p in lonlat) - BOUNDS_MARGIN_DEG, 2),
                   round(max(p[0] for p in lonlat) + BOUNDS_MARGIN_DEG, 2),
                   round(max(p[1] for p in lonlat) + BOUNDS_MARGIN_DEG, 2)],
        "paths": {"france": svg_path(to_svg), "neighbours": svg_path(r for r in neighbours if len(r) >= 3)},
    }


def _frame(rings: list[Ring]) -> tuple[Frame, int, int]:
    """One SVG unit per kilometre, with some sea around the outline."""
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    frame = Frame(x_min=round(min(xs), 1), y_max=round(max(ys), 1), scale=1.0, padding=PADDING_KM)
    width = math.ceil((max(xs) - min(xs)) + 2 * PADDING_KM)
    height = math.ceil((max(ys) - min(ys)) + 2 * PADDING_KM)
    return frame, width, height


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", type=Path, help="world-atlas-*.tgz (npm pack world-atlas) or countries-50m.json")
    parser.add_argument("-o", "--output", type=Path, default=BASEMAP_FILE)
    args = parser.parse_args(argv)
    result = build(read_topology(args.source), Lambert())
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{args.output}: {args.output.stat().st_size} octets, vue {result['width']}×{result['height']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
