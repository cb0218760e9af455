"""Where every page and file of the site lives, and the list of what the site holds.

Addresses are `src_uri`s, as MkDocs names a page (`cas/x.md`, served at `cas/x/`), or paths of
files in the built site (`donnees/cas.csv`). The checks of card texts, the page maker, `recueil
render`, the hooks and the tests all read them here, so that a link a card may follow and a page the
build makes never disagree.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol

# GitHub answers 414 to an address longer than 8,191 bytes: no address the site builds for GitHub is longer
# than this (the site's form, recueil-form.js, reads it from case.form.json; the « Signaler une mise à jour »
# link of a card page, recueil/site/update_link.py).
GITHUB_ADDRESS_LIMIT = 8_000
DOCS_DIR = "docs"  # MkDocs' default docs_dir, which mkdocs.yml keeps: the hand-written pages
HOME_URI = "index.md"
BANK_URI = "cas/index.md"
RECOMMENDATIONS_URI = "recommandations/index.md"
THEMES_URI = "themes/index.md"
STRATA_URI = "tailles/index.md"
MAP_URI = "carte/index.md"
SEARCH_URI = "recherche/index.md"
DATA_DIR = "donnees"
DATA_PAGE = f"{DATA_DIR}/index.md"
LISTING_PAGES = (BANK_URI, RECOMMENDATIONS_URI, THEMES_URI, STRATA_URI, MAP_URI, SEARCH_URI, DATA_PAGE)

CASES_JSON, CASES_CSV, CASES_TABLE_SCHEMA = "cas.json", "cas.csv", "cas.tableschema.json"
RECOMMENDATIONS_JSON = "recommandations.json"
FEED_PATH = "flux.xml"
SCHEMA_FILES = {"case": "schemas/case.schema.json", "recommendation": "schemas/recommendation.schema.json"}
FORM_SETTINGS_PATH = "schemas/case.form.json"
BANK_DATA = "cas/banque.json"  # every card, compact, for the bank page's script (recueil.bank.facets.bank_data)
GUIDE_PDF = "guide.pdf"
# Under `mkdocs serve`, beside the booklet: whether it is being made ({"etat": "en-cours"}) or there.
PDF_STATUS = "guide.pdf.json"
DATA_FILES = (*(f"{DATA_DIR}/{name}" for name in (CASES_JSON, CASES_CSV, CASES_TABLE_SCHEMA, RECOMMENDATIONS_JSON)),
              FEED_PATH, *SCHEMA_FILES.values(), FORM_SETTINGS_PATH, BANK_DATA)

# « Mon territoire » reads its lookup files here (recueil/site/territory_lookup.py): an index, the EPCI,
# then the communes cut in shards by the first letter of their name and by the start of their code.
TERRITORY_DIR = "territoires"
TERRITORY_INDEX = f"{TERRITORY_DIR}/index.json"
TERRITORY_EPCI = f"{TERRITORY_DIR}/epci.txt"


def communes_by_name(letter: str) -> str:
    return f"{TERRITORY_DIR}/communes-{letter}.txt"


def communes_by_code(prefix: str) -> str:
    return f"{TERRITORY_DIR}/codes-{prefix}.txt"


def territory_files(letters: Iterable[str], prefixes: Iterable[str]) -> set[str]:
    """The lookup files for communes whose names start with `letters` and codes with `prefixes`."""
    return ({TERRITORY_INDEX, TERRITORY_EPCI} | {communes_by_name(letter) for letter in letters}
            | {communes_by_code(prefix) for prefix in prefixes})


# The JavaScript and CSS the engine's pages need, published under assets/ like a file of docs/assets/.
ENGINE_ASSETS_DIR = Path(__file__).resolve().parent / "site" / "assets"
ASSETS_DIR = "assets"
# Under `mkdocs serve`, the script that makes the links to the booklet read PDF_STATUS (one of the engine's assets).
PDF_STATUS_SCRIPT = f"{ASSETS_DIR}/recueil-pdf-status.js"


def case_uri(slug: str) -> str:
    return f"cas/{slug}.md"


def recommendation_uri(slug: str) -> str:
    return f"recommandations/{slug}.md"


def axis_uri(axis_id: str) -> str:
    return f"axes/{axis_id.lower()}.md"


def theme_uri(theme_id: str) -> str:
    return f"themes/{theme_id}.md"


def stratum_uri(stratum_id: str) -> str:
    return f"tailles/{stratum_id}.md"


class _Term(Protocol):
    @property
    def id(self) -> str: ...


class Vocabularies(Protocol):
    """The vocabularies that have a page per term (recueil.cards.taxonomy.Taxonomy is one)."""

    @property
    def axes(self) -> Sequence[_Term]: ...

    @property
    def themes(self) -> Sequence[_Term]: ...

    @property
    def strata(self) -> Sequence[_Term]: ...


def generated_pages(cases: Iterable[str], recommendations: Iterable[str], vocabularies: Vocabularies) -> set[str]:
    """Every page the engine makes, from the slugs of the cards and the vocabularies."""
    pages = set(LISTING_PAGES)
    pages |= {case_uri(slug) for slug in cases} | {recommendation_uri(slug) for slug in recommendations}
    pages |= {axis_uri(term.id) for term in vocabularies.axes} | {theme_uri(term.id) for term in vocabularies.themes}
    return pages | {stratum_uri(term.id) for term in vocabularies.strata}


def engine_assets() -> dict[str, Path]:
    """The engine's own scripts and stylesheets: their path in the site → their file in the package."""
    return {f"{ASSETS_DIR}/{path.relative_to(ENGINE_ASSETS_DIR).as_posix()}": path
            for path in sorted(ENGINE_ASSETS_DIR.rglob("*")) if path.is_file()}


def site_holds(cases: Iterable[str], recommendations: Iterable[str], vocabularies: Vocabularies) -> set[str]:
    """Every file of the site the engine adds to MkDocs' files: its pages, the published data, its
    assets. (Not the PDF, written after MkDocs has checked the links: MkDocs would not know it; nor the
    files of TERRITORY_DIR, named after the territory reference, which no card links to.)"""
    return generated_pages(cases, recommendations, vocabularies) | set(DATA_FILES) | set(engine_assets())


def page_url(src_uri: str) -> str:
    """The directory URL of a page: 'cas/x.md' → 'cas/x/', 'cas/index.md' → 'cas/'."""
    stem = src_uri[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")]
        return stem
    return stem + "/"


def relative_url(target: str, start: str) -> str:
    """Link from the page `start` to the page (or file) `target`, both given as src_uri."""
    here = page_url(start)
    there = page_url(target) if target.endswith(".md") else target
    link = _relpath(there, here)
    return link + "/" if target.endswith(".md") and link != "." else ("./" if link == "." else link)


def _relpath(there: str, here: str) -> str:
    """posixpath.relpath for two paths of the site, without its abspath and getcwd (a build calls
    this about ten times per case page)."""
    if ".." in there or ".." in here:
        return posixpath.relpath(there or ".", here or ".")
    to = [part for part in there.split("/") if part and part != "."]
    start = [part for part in here.split("/") if part and part != "."]
    common = 0
    while common < min(len(to), len(start)) and to[common] == start[common]:
        common += 1
    return "/".join([".."] * (len(start) - common) + to[common:]) or "."
