"""Site search: each built page goes to Pagefind as soon as it is made, on the machine's other core
(recueil/search/indexer.py); the index is written into site/pagefind/ at the end of the build.

List this module last in `hooks`: its on_post_page must see the final HTML of each page (after the
feed link of recueil_hooks.py and the pages given back by recueil_serve.py). Under `mkdocs serve`,
the pages are sent once the rebuild is done and the index is made in the background: the page is
served at once, the search follows a moment later.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from recueil.search.indexer import IndexerError, StreamingIndexer
from recueil.search.pagefind import INDEX_DIR, SearchIndexError, explain, indexer_config, pagefind_executable

log = logging.getLogger("mkdocs.hooks.recueil.search")


@dataclass
class _State:
    """What the events of one build pass on to the later ones."""

    serving: bool = False
    indexer: StreamingIndexer | None = None  # a one-off build: Pagefind, fed each page as it is made
    pages: list[tuple[str, str]] = field(default_factory=list)  # under serve: (url, HTML), sent once it is served
    finishing: tuple[StreamingIndexer, threading.Thread] | None = None  # under serve: the index being made aside


_state = _State()


def on_startup(command: str, dirty: bool) -> None:
    _state.serving = command == "serve"


@event_priority(100)  # before recueil_serve.py moves the previous site aside
def on_pre_build(config: MkDocsConfig) -> None:
    _stop_previous()
    # Under serve, the pages are sent once the rebuild is served; in a build, as they are made.
    _state.pages, _state.indexer = [], None if _state.serving else _start()


@event_priority(-100)
def on_post_page(output: str, page: Any, config: MkDocsConfig) -> str:
    if _state.indexer is not None:
        _state.indexer.add("/" + page.url, output)
    else:
        _state.pages.append(("/" + page.url, output))
    return output


def on_post_build(config: MkDocsConfig) -> None:
    output = Path(config.site_dir) / INDEX_DIR
    if _state.serving:
        # The rebuilt page is served at once; the index follows, made on the side.
        indexer, pages, _state.pages = _start(), _state.pages, []
        finisher = threading.Thread(target=_index_quietly, args=(indexer, pages, output), daemon=True)
        _state.finishing = (indexer, finisher)
        finisher.start()
        return
    streaming, _state.indexer = _state.indexer, None
    if streaming is None:
        raise PluginError("recherche : aucun index en cours (on_pre_build n'a pas tourné)")
    try:
        outcome = streaming.finish(output)
    except IndexerError as error:
        raise PluginError(explain(error)) from None
    log.info(f"recherche : {outcome.pages} pages indexées ({outcome.wait_seconds:.1f} s après les pages, "
             f"dont {outcome.write_seconds:.1f} s d'écriture)")


def _start() -> StreamingIndexer:
    try:
        return StreamingIndexer(pagefind_executable(), indexer_config())
    except IndexerError as error:
        raise PluginError(explain(error)) from None
    except SearchIndexError as error:  # no Pagefind program: its message says how to install it
        raise PluginError(str(error)) from None


def on_build_error(error: Exception) -> None:
    _stop_previous()
    indexer, _state.indexer = _state.indexer, None
    if indexer is not None:
        indexer.cancel()


def _index_quietly(indexer: StreamingIndexer, pages: list[tuple[str, str]], output: Path) -> None:
    """Make the index of a served rebuild aside, then swap it for the previous one: the search of
    the served site keeps working while the new index is made."""
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".recueil-search-", dir=output.parent))
    try:
        for url, html in pages:
            if not indexer.add(url, html) and indexer.cancelled:
                break
        outcome = indexer.finish(staging / output.name)
        _swap(staging, output)
        log.info(f"recherche : index refait ({outcome.pages} pages)")
    except (IndexerError, OSError) as error:
        if not indexer.cancelled:
            log.warning(f"recherche : index non refait ({error})")
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _swap(staging: Path, output: Path) -> None:
    if output.exists():
        output.rename(staging / "previous")
    (staging / output.name).rename(output)


def _stop_previous() -> None:
    """A serve rebuild starts while the index of the last one is still being written: drop that one."""
    finishing, _state.finishing = _state.finishing, None
    if finishing is not None:
        indexer, finisher = finishing
        indexer.cancel()
        finisher.join()
