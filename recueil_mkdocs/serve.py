"""`mkdocs serve` only: a rebuild reuses the pages whose source did not change.

recueil/upkeep/rebuild.py says when that is safe. A reused page skips reading, Markdown conversion, the
sanitizer and the theme's layout: an empty template stands for the layout and on_post_page puts
back the HTML of the previous rebuild. Its file is not written again either: the previous site is
kept on disk (set aside before MkDocs empties the folder, put back before it writes), a reused
page is left as it is, and what the rebuild no longer makes is deleted. `mkdocs build` never
reuses anything. This module leans on MkDocs page internals (Page.read_source, Page.render, the
anchors MkDocs validates, File.abs_dest_path), which is why it is kept apart from
recueil_hooks.py. It must come after recueil_hooks.py in the `hooks` list: its on_page_markdown
stores the Markdown once the home-page blocks are expanded, its on_post_page stores the HTML once
the feed link is in.
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

from recueil.upkeep.rebuild import STORE, fingerprint

REUSED_TEMPLATE = "recueil-reused-page.html"
MARKER = "<!-- recueil:"


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


@dataclass
class _State:
    """What the events of one serve rebuild pass on to the later ones."""

    aside: Path | None = None  # on_pre_build → on_env: the previous site, out of the folder MkDocs empties
    previous: set[str] = field(default_factory=set)  # on_env: the files the previous rebuild wrote
    outputs: set[str] = field(default_factory=set)  # on_env: the files this rebuild writes
    reused: dict[str, _Built] = field(default_factory=dict)  # on_pre_page: pages given back unchanged
    to_keep: dict[str, tuple[str, str, dict[str, Any]]] = field(default_factory=dict)  # source, Markdown, meta
    left: list[Any] = field(default_factory=list)  # files left in place (MkDocs writes them to the null device)


_state = _State()


def on_startup(command: str, dirty: bool) -> None:
    STORE.enabled = command == "serve" and not dirty  # `serve --dirty` keeps its own way of skipping pages


def on_pre_build(config: MkDocsConfig) -> None:
    """MkDocs empties its temporary site folder before each rebuild and writes every page again: at
    a thousand cases, deleting and making a thousand folders and writing 40 MB took most of a
    rebuild. The previous site is set aside at once, out of the folder MkDocs empties; on_env puts
    it back. A rebuild after a failed one starts from an empty folder."""
    site = Path(config.site_dir)
    _state.aside = None
    if not STORE.enabled or not site.is_dir() or not any(site.iterdir()):
        return
    aside = Path(tempfile.mkdtemp(prefix=".recueil-previous-site-", dir=site.parent))
    site.rename(aside / "site")
    site.mkdir()
    _state.aside = aside


def on_nav(nav: Any, config: MkDocsConfig, files: Files) -> Any:
    """Everything a page depends on besides its own source, for the rebuild store."""
    generated = {file.src_uri for file in files.documentation_pages() if file.generated_by}
    _state.reused, _state.to_keep = {}, {}
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
        _put_back_previous_site(Path(config.site_dir))
        _state.outputs = {file.dest_uri for file in files if file.inclusion.is_in_serve()}
        _state.left = []
    return env


def _put_back_previous_site(site: Path) -> None:
    """MkDocs has emptied the folder and writes from now on: the previous site goes back in place
    (if the last rebuild went through), for its pages to be overwritten or left as they are."""
    aside, _state.aside = _state.aside, None
    _state.previous = STORE.outputs.get(str(site), set()) if aside is not None else set()
    if aside is None:
        return
    if _state.previous:
        for entry in (aside / "site").iterdir():
            if not entry.name.startswith("."):  # a hidden leftover (an index being written) stays aside
                os.replace(entry, site / entry.name)
    _delete_in_background(aside)


def _delete_in_background(folder: Path) -> None:
    threading.Thread(target=shutil.rmtree, args=(folder,), kwargs={"ignore_errors": True}, daemon=True).start()


def on_pre_page(page: Any, config: MkDocsConfig, files: Files) -> Any:
    """A page whose file is the one of the previous rebuild is not read nor converted again: the
    pages made from the cards, and the hand-written ones (any change in docs/ changes the fingerprint)."""
    uri = page.file.src_uri
    if not STORE.enabled:
        return page
    built = STORE.reusable(uri, page.file.content_string)
    if built is not None:
        _state.reused[uri] = built
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
    if STORE.enabled and source and MARKER not in source and uri not in _state.reused:
        _state.to_keep[uri] = (source, markdown, dict(page.meta))
    return markdown


def on_page_content(html: str, page: Any, config: MkDocsConfig, files: Files) -> str:
    reused = _state.reused.get(page.file.src_uri)
    return reused.content if reused is not None else html


def on_post_page(output: str, page: Any, config: MkDocsConfig) -> str:
    uri = page.file.src_uri
    if (reused := _state.reused.get(uri)) is not None:
        _leave_in_place(page.file)
        return reused.output
    if (noted := _state.to_keep.get(uri)) is not None:
        source, markdown, meta = noted
        STORE.store(uri, source, _Built(markdown, meta, page.content, page.toc, page._title_from_render,
                                        page.present_anchor_ids, output))
    return output


def _leave_in_place(file: Any) -> None:
    """The file of a reused page, put back with the previous site, holds this very HTML: MkDocs
    writes it to the null device instead (abs_dest_path is a cached property: on_post_build
    forgets the stand-in)."""
    if file.dest_uri in _state.previous and os.path.isfile(file.abs_dest_path):
        file.abs_dest_path = os.devnull
        _state.left.append(file)


def on_post_build(config: MkDocsConfig) -> None:
    """Delete the files of the previous rebuild that this one did not make (a card deleted or renamed)."""
    if not STORE.enabled:
        return
    _forget_stand_ins()
    site, outputs, previous = Path(config.site_dir), _state.outputs, _state.previous
    _state.outputs, _state.previous = set(), set()
    for uri in sorted(previous - outputs, reverse=True):
        _delete_with_empty_folders(site, site / uri)
    STORE.outputs[str(site)] = outputs


def on_build_error(error: Exception) -> None:
    """What a failed rebuild left in the folder is unknown: the next one starts from scratch."""
    _forget_stand_ins()
    STORE.outputs.clear()
    aside, _state.aside = _state.aside, None
    if aside is not None:
        _delete_in_background(aside)


def _forget_stand_ins() -> None:
    left, _state.left = _state.left, []
    for file in left:
        del file.abs_dest_path  # computed again from the site folder when asked


def _delete_with_empty_folders(site: Path, path: Path) -> None:
    path.unlink(missing_ok=True)
    for folder in path.parents:
        if folder == site:
            return
        try:
            folder.rmdir()
        except OSError:  # not empty (or already gone): its other files are the rebuild's
            return
