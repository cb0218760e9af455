"""The map of cases: projection, placement, the cases listed beside it, offline output, the built page."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import math
import re
from collections.abc import Callable
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path

import pytest

from recueil.addresses import MAP_URI, relative_url
from recueil.bank.bank import Case, load_bank
from recueil.cards.loading import LoadedCard
from recueil.cards.models import CaseCard
from recueil.cards.taxonomy import load_taxonomy
from recueil.project import Project
from recueil.site.environment import make_environment
from recueil.site.france_map import BASEMAP_FILE, layout_france_map, load_basemap, on_metropolitan_map
from tests.helpers import ROOT
from tests.search_index import by_url

TAXONOMY = load_taxonomy(ROOT / "taxonomies.yml")
MAX_BASEMAP_BYTES = 50_000


def make_case(slug: str, name: str, lat: float | None, lon: float | None, country: str = "France",
              population: int | None = 50_000) -> Case:
    card = CaseCard.model_validate({
        "title": f"Fiche {name}", "summary": "Résumé.", "status": "en-cours", "year": 2022,
        "territory": {"name": name, "kind": "commune", "country": country, "lat": lat, "lon": lon,
                      "population": population},
        "themes": ["mobilite"], "recommendations": ["observer"], "sources": [{"title": "Source"}],
        "last_verified": dt.date(2026, 1, 1)})
    loaded = LoadedCard("case", f"cases/{slug}.md", slug, card, "", None)  # type: ignore[arg-type]
    return Case(loaded, TAXONOMY.stratum_for(population))


def render_map(cases: list[Case], page: str = MAP_URI) -> str:
    module = make_environment().get_template("_map.j2").module
    link: Callable[[str], str] = lambda target: relative_url(target, page)  # noqa: E731
    return str(module.france_map(cases, TAXONOMY.strata, link))  # type: ignore[attr-defined]


class MapParser(HTMLParser):
    """Markers (slug → circle attributes), the view box, and the slugs listed beside the map."""

    def __init__(self) -> None:
        super().__init__()
        self.view_box: tuple[float, ...] = ()
        self.markers: dict[str, list[dict[str, str]]] = {}
        self.marker_classes: dict[str, str] = {}
        self.others: list[str] = []
        self.hrefs: dict[str, str] = {}
        self._marker: str | None = None
        self._in_others = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {key: value or "" for key, value in attrs}
        classes = attr.get("class", "").split()
        if tag == "svg" and "recueil-map__svg" in classes:
            self.view_box = tuple(float(n) for n in attr["viewbox"].split())
        elif tag == "a" and "recueil-map__marker" in classes:
            self._marker = attr["data-slug"]
            self.markers.setdefault(self._marker, [])
            self.marker_classes[self._marker] = attr["class"]
            self.hrefs[self._marker] = attr["href"]
        elif tag == "circle" and self._marker:
            self.markers[self._marker].append(attr)
        elif tag == "ul" and "recueil-map__others" in classes:
            self._in_others = True
        elif tag == "li" and self._in_others:
            self.others.append(attr["data-slug"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._marker = None
        elif tag == "ul":
            self._in_others = False


def parse(html: str) -> MapParser:
    parser = MapParser()
    parser.feed(html)
    return parser


def inside(parser: MapParser, circle: dict[str, str]) -> bool:
    x0, y0, width, height = parser.view_box
    x, y, r = float(circle["cx"]), float(circle["cy"]), float(circle["r"])
    return x0 <= x - r and x + r <= x0 + width and y0 <= y - r and y + r <= y0 + height


@pytest.fixture(scope="module")
def real_cases() -> list[Case]:
    return load_bank(Project(ROOT)).cases


def test_projection_keeps_france_the_right_way_round():
    basemap = load_basemap()
    paris, marseille = basemap.to_svg(2.3522, 48.8566), basemap.to_svg(5.3698, 43.2965)
    brest, strasbourg = basemap.to_svg(-4.4861, 48.3904), basemap.to_svg(7.7521, 48.5734)
    lille, ajaccio = basemap.to_svg(3.0573, 50.6292), basemap.to_svg(8.7369, 41.9192)
    assert paris[1] < marseille[1], "Paris must be drawn north of (above) Marseille"
    assert brest[0] < strasbourg[0], "Brest must be drawn west of (left of) Strasbourg"
    assert lille[1] < paris[1] and ajaccio[0] > marseille[0] and ajaccio[1] > marseille[1]
    # About 660 km between Paris and Marseille, one unit per kilometre.
    assert 600 < math.dist(paris, marseille) < 720
    for point in (paris, marseille, brest, strasbourg, lille, ajaccio):
        assert 0 < point[0] < basemap.width and 0 < point[1] < basemap.height


def test_every_case_in_metropolitan_france_gets_one_marker_inside_the_view(real_cases):
    parsed = parse(render_map(real_cases))
    expected = {case.slug for case in real_cases if on_metropolitan_map(case, load_basemap())}
    assert len(expected) >= 40
    assert set(parsed.markers) == expected
    for slug, circles in parsed.markers.items():
        assert len(circles) == 1, slug
        assert inside(parsed, circles[0]), (slug, circles[0])
    by_slug = {case.slug: case for case in real_cases}
    for slug, classes in parsed.marker_classes.items():
        assert f"recueil-map__marker--{by_slug[slug].stratum.id}" in classes.split()
        assert parsed.hrefs[slug] == f"../cas/{slug}/"
    assert set(parsed.others) == {case.slug for case in real_cases} - expected


def test_cases_abroad_overseas_or_without_coordinates_are_listed_beside_the_map():
    cases = [make_case("paris", "Paris", 48.8566, 2.3522),
             make_case("barcelone", "Barcelone", 41.3874, 2.1686, country="Espagne"),  # inside the frame
             make_case("saint-denis", "Saint-Denis (La Réunion)", -20.8823, 55.4504),
             make_case("sans-lieu", "Quelque part", None, None),
             make_case("boston", "Boston", 42.3601, -71.0589, country="États-Unis")]
    html = render_map(cases)
    parsed = parse(html)
    assert set(parsed.markers) == {"paris"}
    assert sorted(parsed.others) == ["barcelone", "boston", "saint-denis", "sans-lieu"]
    assert 'href="../cas/boston/"' in html and "lieu non renseigné" in html


def test_cases_at_one_place_are_spread_without_overlap_and_stay_inside():
    cases = [make_case(f"paris-{i}", "Paris", 48.8566, 2.3522, population=10_000 * 7 ** (i % 5))
             for i in range(14)]
    # At the northern edge: a ring around Dunkerque would cross the border of the view.
    cases += [make_case(f"dunkerque-{i}", "Dunkerque", 51.0343, 2.3768) for i in range(8)]
    layout = layout_france_map(cases, TAXONOMY.strata)
    assert len(layout.markers) == len(cases)
    for i, first in enumerate(layout.markers):
        for second in layout.markers[i + 1:]:
            gap = math.dist((first.x, first.y), (second.x, second.y)) - first.style.radius - second.style.radius
            assert gap > 0, (first.case.slug, second.case.slug)
    parsed = parse(render_map(cases))
    assert all(inside(parsed, circles[0]) for circles in parsed.markers.values())
    assert len(layout.anchors) == 2  # one true place for Paris, one for Dunkerque


def test_marker_size_and_legend_follow_the_size_classes(real_cases):
    layout = layout_france_map(real_cases, TAXONOMY.strata)
    legend = {style.stratum.id: style for style in layout.legend}
    assert list(legend) == [stratum.id for stratum in TAXONOMY.strata]
    sized = [style.radius for style in layout.legend if not style.hollow]
    assert sized == sorted(sized) and len(set(sized)) == len(sized)
    assert legend["non-renseignee"].hollow
    for stratum_id, style in legend.items():
        assert style.count == sum(1 for m in layout.markers if m.case.stratum.id == stratum_id)
    html = render_map(real_cases)
    for stratum in TAXONOMY.strata:
        assert f'href="../tailles/{stratum.id}/"' in html


def test_the_map_makes_no_request_and_needs_no_script(real_cases):
    html = render_map(real_cases)
    assert not re.search(r"https?:|//|\bsrc=|url\(|<script|<image|<use|<foreignObject|xlink", html, re.I)
    assert html.startswith('<figure class="recueil-map"') and html.rstrip().endswith("</figure>")
    assert '<title id="recueil-map-title">' in html and 'aria-labelledby="recueil-map-title"' in html
    assert "Natural Earth" in html
    assert "\n\n" not in html, "a blank line would end the HTML block inside the Markdown page"


def test_basemap_file_is_small_documented_and_plain_path_data():
    assert BASEMAP_FILE.stat().st_size < MAX_BASEMAP_BYTES
    data = json.loads(BASEMAP_FILE.read_text(encoding="utf-8"))
    for path in data["paths"].values():
        assert re.fullmatch(r"(M[-\d ]+l[-\d ]+z)+", path), path[:80]
    readme = (BASEMAP_FILE.parent / "README.md").read_text(encoding="utf-8")
    assert "Natural Earth" in readme and "public domain" in readme and "make_france_map.py" in readme


def _load_tool():
    spec = importlib.util.spec_from_file_location("make_france_map", ROOT / "tools" / "make_france_map.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _topology(shapes: dict[str, list[list[list[int]]]], arcs: list[list[tuple[float, float]]]) -> dict:
    """A TopoJSON document with quantized, delta-encoded arcs, as world-atlas ships them."""
    encoded = []
    for arc in arcs:
        points = [(round(lon * 100), round(lat * 100)) for lon, lat in arc]
        encoded.append([points[0]] + [(x - px, y - py) for (px, py), (x, y) in pairwise(points)])
    geometries = [{"type": "MultiPolygon", "arcs": polygons, "properties": {"name": name}}
                  for name, polygons in shapes.items()]
    return {"type": "Topology", "transform": {"scale": [0.01, 0.01], "translate": [0, 0]},
            "arcs": encoded, "objects": {"countries": {"type": "GeometryCollection", "geometries": geometries}}}


def test_map_tool_decodes_topojson_keeps_the_metropole_and_shares_borders():
    tool = _load_tool()
    arcs = [[(4, 45), (4, 47), (4, 49)],                      # border France | Voisin
            [(4, 49), (0, 49), (0, 45), (4, 45)],             # rest of France
            [(4, 45), (8, 45), (8, 49), (4, 49)],             # rest of Voisin
            [(55, -21), (56, -21), (56, -20), (55, -21)],     # an overseas island of France
            [(0, -90), (10, -90), (10, -80), (0, -90)]]       # the South Pole: no conic image
    topology = _topology({"France": [[[0, 1]], [[3]]], "Voisin": [[[~0, 2]]], "Antarctique": [[[4]]]}, arcs)
    result = tool.build(topology, tool.Lambert())
    assert result["bounds"] == [-0.5, 44.5, 4.5, 49.5]
    assert result["paths"]["france"].count("M") == 1, "the overseas island is not drawn"
    assert result["paths"]["neighbours"].count("M") == 1
    assert result["width"] > 300 and result["height"] > 400

    def points(path: str) -> set[tuple[int, int]]:
        found = set()
        for start, steps in re.findall(r"M([^l]+)l([^z]*)z", path):
            x, y = (int(n) for n in start.replace("-", " -").split())
            found.add((x, y))
            numbers = [int(n) for n in steps.replace("-", " -").split()]
            for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
                x, y = x + dx, y + dy
                found.add((x, y))
        return found

    shared = points(result["paths"]["france"]) & points(result["paths"]["neighbours"])
    assert len(shared) >= 2, "the simplified border is the same line on both sides"


def test_built_map_page_holds_a_marker_per_case(real_site: Path, real_cases):
    html = (real_site / "carte" / "index.html").read_text(encoding="utf-8")
    figure = html[html.index('<figure class="recueil-map"'):html.index("</figure>") + len("</figure>")]
    parsed = parse(figure)
    placed = {case.slug for case in real_cases if on_metropolitan_map(case, load_basemap())}
    assert set(parsed.markers) == placed and all(len(c) == 1 for c in parsed.markers.values())
    assert sorted(parsed.others + list(parsed.markers)) == sorted(case.slug for case in real_cases)
    for slug, href in parsed.hrefs.items():
        assert (real_site / "carte" / href / "index.html").resolve().is_file(), (slug, href)
    assert not re.search(r"https?:", figure)


def test_map_page_is_found_by_search_without_repeating_the_cases(real_site: Path, real_cases):
    record = by_url(real_site)["/carte/"]
    assert record["meta"]["title"] == "Carte des expériences" and "Où les territoires" in record["content"]
    assert not [case.slug for case in real_cases if case.meta.title in record["content"]]
