"""Site search: each built page goes to Pagefind as soon as it is made, on the machine's other core
(recueil/indexer.py); the index is written into site/pagefind/ at the end of the build.

List this module last in `hooks`: its on_post_page must see the final HTML of each page (after the
feed link of recueil_hooks.py and the pages given back by recueil_serve.py). Under `mkdocs serve`,
the index is written in the background: the page is served at once, the search follows a moment later.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from recueil.indexer import IndexerError, StreamingIndexer
from recueil.search import INDEX_DIR, SearchIndexError, indexer_config, pagefind_executable

log = logging.getLogger("mkdocs.hooks.recueil.search")
_state: dict[str, Any] = {"serving": False}


def on_startup(command: str, dirty: bool) -> None:
    _state["serving"] = command == "serve"


@event_priority(100)  # before recueil_serve.py moves the previous site aside
def on_pre_build(config: MkDocsConfig) -> None:
    _stop_previous()
    try:
        _state["indexer"] = StreamingIndexer(pagefind_executable(), indexer_config())
    except (IndexerError, SearchIndexError) as error:
        raise PluginError(f"recherche : {error}") from None


@event_priority(-100)
def on_post_page(output: str, page: Any, config: MkDocsConfig) -> str:
    indexer: StreamingIndexer | None = _state.get("indexer")
    if indexer is not None:
        indexer.add("/" + page.url, output)
    return output


def on_post_build(config: MkDocsConfig) -> None:
    indexer: StreamingIndexer = _state.pop("indexer")
    output = Path(config.site_dir) / INDEX_DIR
    if _state["serving"]:
        finisher = threading.Thread(target=_finish_quietly, args=(indexer, output), daemon=True)
        _state["finishing"] = (indexer, finisher)
        finisher.start()
        return
    try:
        outcome = indexer.finish(output)
    except IndexerError as error:
        raise PluginError(f"recherche : {error} ; reconstruisez le site") from None
    log.info(f"recherche : {outcome.pages} pages indexées ({outcome.wait_seconds:.1f} s après les pages)")


def on_build_error(error: Exception) -> None:
    _stop_previous()
    if (indexer := _state.pop("indexer", None)) is not None:
        indexer.cancel()


def _finish_quietly(indexer: StreamingIndexer, output: Path) -> None:
    try:
        outcome = indexer.finish(output)
        log.info(f"recherche : index refait ({outcome.pages} pages)")
    except IndexerError as error:
        if not indexer.cancelled:
            log.warning(f"recherche : {error}")


def _stop_previous() -> None:
    """A serve rebuild starts while the index of the last one is still being written: drop that one."""
    if (finishing := _state.pop("finishing", None)) is not None:
        indexer, finisher = finishing
        indexer.cancel()
        finisher.join()
