"""The site's search: Pagefind indexes the built site, readers' browsers query that index.

Pagefind (`pagefind[bin]` on PyPI, a Rust program) reads the HTML of the built site and writes,
in `site/pagefind/`, an index cut into small pieces: a search downloads the entry file, the one
or two pieces of index holding its words and the excerpts of the results it shows, not the text
of the whole site. It also writes the search interface (`pagefind-component-ui.js/.css`) that
the theme loads from there.

What it reads is marked in the pages by the theme (`overrides/main.html`): the article of each
page (`data-pagefind-body`), not the menus; `data-pagefind-ignore` on what repeats other pages
(case lists, maps, facet panels); the filters of a page (`data-pagefind-filter`), which are the
facets of the bank for a case (recueil/search/filters.py) and its kind for every page. Card HTML cannot
carry these attributes (recueil.cards.sanitize): a contributor cannot file a card under another theme.

Nothing here imports MkDocs: `index_site` runs after any build (the MkDocs hook calls it, so does
`recueil search-index`).
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from recueil.search.indexer import SEARCH_START, TIMEOUT_S, IndexerError, StreamingIndexer

INDEX_DIR = "pagefind"  # under the site folder
LANGUAGE = "fr"  # every page is French: one index, French stemming, whatever a page declares
FAILURE_HINT = "corrigez la cause indiquée puis reconstruisez le site"
NO_MARKERS_HINT = "construisez le site avec le thème du recueil (overrides/), « mkdocs build », puis relancez"
INSTALL_HINT = "installez-le avec « pip install 'pagefind[bin]>=1.5.2,<2' » (ou « pip install -e . »)"
# Inside the indexed article but not text of the page: Material's permalinks (¶) and edit button.
NOT_TEXT = (".headerlink", ".md-content__button", ".md-source-file")


class SearchIndexError(Exception):
    """Pagefind could not index the site; the message says why and what to do, in French."""


@dataclass(frozen=True)
class SearchOutcome:
    """What the indexing made: pages indexed, how long it took, the size of the index folder."""

    pages: int
    seconds: float
    size_bytes: int
    folder: Path


def pagefind_executable() -> Path:
    """The Pagefind program shipped by the `pagefind[bin]` package."""
    try:
        from pagefind_bin import get_executable

        return Path(get_executable())
    except (ImportError, FileNotFoundError) as missing:
        raise SearchIndexError(f"recherche : le programme Pagefind est introuvable ({missing}) ; {INSTALL_HINT}") from None


def index_site(site_dir: Path, executable: Path | None = None, timeout: float = TIMEOUT_S) -> SearchOutcome:
    """Index the built site in `site_dir` into `site_dir/pagefind/`, replacing any previous index.
    The pages go through the same indexer as during a build (recueil/search/indexer.py), read from disk."""
    if not (site_dir / "index.html").is_file():
        raise SearchIndexError(f"recherche : {site_dir} ne contient pas de site construit (index.html) ; "
                               "lancez d'abord « mkdocs build »")
    program = executable or pagefind_executable()
    output = site_dir / INDEX_DIR
    shutil.rmtree(output, ignore_errors=True)  # an old index would keep pieces of pages that are gone
    start = time.perf_counter()
    try:
        indexer = StreamingIndexer(program, indexer_config(), timeout)
        added = sum(indexer.add(page_address(path.relative_to(site_dir).as_posix()), path.read_text(encoding="utf-8"))
                    for path in sorted(site_dir.rglob("*.html")) if output not in path.parents)
        if not added:
            indexer.close()
            raise SearchIndexError(f"recherche : aucune page de {site_dir} n'a les repères de recherche du thème "
                                   f"({SEARCH_START}) ; {NO_MARKERS_HINT}")
        indexer.finish(output)
    except IndexerError as error:
        raise SearchIndexError(explain(error)) from None
    seconds = time.perf_counter() - start
    pages = _pages_indexed(output)
    if not pages:
        raise SearchIndexError(f"recherche : Pagefind a écrit un index vide dans {output} ; {NO_MARKERS_HINT}")
    return SearchOutcome(pages, seconds, folder_size(output), output)


def explain(error: IndexerError) -> str:
    """The French message for a failure of the indexer, with what to do."""
    return f"recherche : {error} ; {FAILURE_HINT if error.started else INSTALL_HINT}"


def indexer_config() -> dict[str, object]:
    """Pagefind's settings: one French index; Material's permalinks and edit button are not text."""
    return {"force_language": LANGUAGE, "exclude_selectors": list(NOT_TEXT)}


def page_address(path: str) -> str:
    """The address of a built file from the site root, as Pagefind gives it: 'cas/x/index.html' → '/cas/x/'."""
    return "/" + path.removesuffix("index.html")


def _pages_indexed(output: Path) -> int:
    """The page count Pagefind wrote in its entry file (one per language; we force one)."""
    try:
        entry = json.loads((output / "pagefind-entry.json").read_text(encoding="utf-8"))
        return sum(int(language["page_count"]) for language in entry["languages"].values())
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise SearchIndexError(f"recherche : Pagefind n'a pas écrit d'index lisible dans {output} ({error}) ; "
                               "reconstruisez le site") from None


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())
