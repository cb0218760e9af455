"""`mkdocs serve` only: a rebuild reuses the pages whose source did not change.

recueil/rebuild.py says when that is safe. A reused page skips reading, Markdown conversion, the
sanitizer and the theme's layout: an empty template stands for the layout and on_post_page puts
back the HTML of the previous rebuild. `mkdocs build` never reuses anything. This module leans on
MkDocs page internals (Page.read_source, Page.render, the anchors MkDocs validates), which is why it
is kept apart from recueil_hooks.py. It must come after recueil_hooks.py in the `hooks` list: its
on_page_markdown stores the Markdown once the home-page blocks are expanded, its on_post_page
stores the HTML once the feed link is in.
"""

from __future__ import annotations

import functools
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

from recueil.rebuild import STORE, THEME_BYTECODE, fingerprint

REUSED_TEMPLATE = "recueil-reused-page.html"
MARKER = "<!-- recueil:"
_state: dict[str, Any] = {}


@dataclass
class _Built:
    """What the build made of a page, enough to give it back unchanged."""

    markdown: str
    meta: dict[str, Any]
    content: str
    toc: Any
    title_from_render: str | None
    anchors: set[str] | None
    output: str


def on_startup(command: str, dirty: bool) -> None:
    STORE.enabled = command == "serve" and not dirty  # `serve --dirty` keeps its own way of skipping pages


def on_pre_build(config: MkDocsConfig) -> None:
    """MkDocs empties its temporary site folder before each rebuild: a thousand folders deleted one
    by one took a second here. The old site moves aside at once and is deleted while the new one is built."""
    site = Path(config.site_dir)
    if not STORE.enabled or not site.is_dir() or not any(site.iterdir()):
        return
    trash = Path(tempfile.mkdtemp(prefix="recueil-old-site-"))
    site.rename(trash / "site")
    site.mkdir()
    threading.Thread(target=shutil.rmtree, args=(trash,), kwargs={"ignore_errors": True}, daemon=True).start()


def on_nav(nav: Any, config: MkDocsConfig, files: Files) -> Any:
    """Everything a page depends on besides its own source, for the rebuild store."""
    generated = {file.src_uri for file in files.documentation_pages() if file.generated_by}
    _state.update(reused={}, to_keep={})
    if STORE.enabled:
        # Card templates make Markdown, compared page by page; the titles of the nav are in nav_heads.
        watched = [Path(config.docs_dir), Path(__file__).parent]
        if config.theme.custom_dir:
            watched.append(Path(config.theme.custom_dir))
        nav_heads = [f"{page.file.src_uri}:{page.file.content_string[:400]}" for page in nav.pages
                     if page.file.src_uri in generated]
        STORE.start(fingerprint(watched, [Path(config.config_file_path).read_text(encoding="utf-8"), str(config.nav),
                                          *sorted(files.src_uris), *nav_heads]))
    return nav


def on_env(env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({REUSED_TEMPLATE: ""}), env.loader])  # type: ignore[list-item]
    if STORE.enabled:
        env.bytecode_cache = THEME_BYTECODE  # the theme's templates are not compiled again at each rebuild
    return env


def on_pre_page(page: Any, config: MkDocsConfig, files: Files) -> Any:
    """A page whose file is the one of the previous rebuild is not read nor converted again: the
    pages made from the cards, and the hand-written ones (any change in docs/ changes the fingerprint)."""
    uri = page.file.src_uri
    if not STORE.enabled:
        return page
    built = STORE.reusable(uri, page.file.content_string)
    if built is not None:
        _state["reused"][uri] = built
        page.read_source = functools.partial(_read_stored, page, built)
        page.render = functools.partial(_restore, page, built)
    return page


def _read_stored(page: Any, built: _Built, config: MkDocsConfig) -> None:
    page.markdown, page.meta = built.markdown, {**built.meta, "template": REUSED_TEMPLATE}


def _restore(page: Any, built: _Built, config: MkDocsConfig, files: Files) -> None:
    # The content comes back in on_page_content, after recueil_hooks.py has sanitised the empty one.
    page.content, page.toc, page._title_from_render = "", built.toc, built.title_from_render
    page.present_anchor_ids, page.links_to_anchors = built.anchors, None  # its links were checked when built


def on_page_markdown(markdown: str, page: Any, config: MkDocsConfig, files: Files) -> str:
    """A page whose text holds a `<!-- recueil:… -->` block depends on the whole bank: never kept."""
    uri = page.file.src_uri
    source = page.file.content_string if STORE.enabled else ""
    if STORE.enabled and source and MARKER not in source and uri not in _state["reused"]:
        _state["to_keep"][uri] = (source, markdown, dict(page.meta))
    return markdown


def on_page_content(html: str, page: Any, config: MkDocsConfig, files: Files) -> str:
    reused = _state["reused"].get(page.file.src_uri)
    return reused.content if reused is not None else html


def on_post_page(output: str, page: Any, config: MkDocsConfig) -> str:
    uri = page.file.src_uri
    if (reused := _state["reused"].get(uri)) is not None:
        return reused.output
    if (noted := _state["to_keep"].get(uri)) is not None:
        source, markdown, meta = noted
        STORE.store(uri, source, _Built(markdown, meta, page.content, page.toc, page._title_from_render,
                                        page.present_anchor_ids, output))
    return output
