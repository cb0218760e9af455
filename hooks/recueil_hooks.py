"""MkDocs adapter: a few lines per event, all the work is done by the `recueil` package.

Event order: on_config loads and checks every card (a broken card stops the build with all its
messages), on_files adds the generated pages and the site's data files (open data, Atom feed,
card schemas, the contribution form's settings), on_post_page announces the feed in each page's
head, on_post_build prints the guide to site/guide.pdf, on_serve watches the card folders.
"""

from __future__ import annotations

import functools
import logging
import shutil
import tempfile
import threading
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import get_relative_url

from recueil.export import site_files
from recueil.feed import FEED_PATH
from recueil.home import MarkerError, expand_markers
from recueil.linking import Bank, load_bank
from recueil.pages import RECOMMENDATIONS_URI, GeneratedPage, PageMaker, recommendation_nav
from recueil.pdf import GUIDE_PDF, info_for, pdf_setting, site_settings, write_pdf
from recueil.problems import CardErrors
from recueil.project import Project
from recueil.rebuild import STORE, THEME_BYTECODE, fingerprint
from recueil.sanitize import clean_html
from recueil.taxonomy import TaxonomyError

log = logging.getLogger("mkdocs.hooks.recueil")
_state: dict[str, Any] = {}


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    project = Project(Path(config.config_file_path).parent)
    try:
        bank = load_bank(project)
    except (CardErrors, TaxonomyError) as failure:
        raise PluginError(str(failure)) from None
    for warning in bank.warnings:
        log.warning(str(warning))
    _state.update(project=project, bank=bank)
    config.nav = _expand_nav(config.nav, bank)
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    card_pages: set[str] = set()
    generated_pages: set[str] = set()
    _state.update(generated=generated_pages, nav_uris=set(_uris_in(config.nav)))
    for page in PageMaker(_bank(), _state["project"]).pages():
        files.append(_generated_file(page, config))
        generated_pages.add(page.src_uri)
        if page.source:
            card_pages.add(page.src_uri)
    _state["card_pages"] = card_pages
    # Open data, feed, card schemas and the form's settings: files of the site, so pages can link them.
    site_url, repo_url = config.site_url or "", config.repo_url or ""
    project: Project = _state["project"]
    for path, text in site_files(_bank(), site_url, repo_url, _branch(config), config.site_name,
                                 project.templates).items():
        generated = File.generated(config, path, content=text)
        generated.edit_uri = None  # made from the cards: no file of docs/ to edit
        files.append(generated)
    return files


def on_post_page(output: str, page: Any, config: MkDocsConfig) -> str:
    """Announce the Atom feed in every page's head, for feed readers' autodiscovery."""
    if reused := _state.get("reused", {}).get(page.file.src_uri):
        return reused.output
    output = _feed_link(output, page, config)
    _keep_for_next_rebuild(page, output)
    return output


def _feed_link(output: str, page: Any, config: MkDocsConfig) -> str:
    href = config.site_url + FEED_PATH if config.site_url else get_relative_url(FEED_PATH, page.url)
    link = (f'<link rel="alternate" type="application/atom+xml" title="{escape(config.site_name)} : '
            f'dernières fiches" href="{escape(href)}">')
    return output.replace("</head>", link + "</head>", 1)


def _branch(config: MkDocsConfig) -> str:
    """The branch contributions go to, read from edit_uri ('edit/main/docs/' → 'main')."""
    parts = (config.edit_uri or "").strip("/").split("/")
    return parts[1] if len(parts) > 1 and parts[0] in ("edit", "blob", "tree") else "main"


def on_page_content(html: str, page: Any, config: MkDocsConfig, files: Files) -> str:
    """Pages made from a card carry a stranger's Markdown: only allow-listed HTML goes on."""
    if page.file.src_uri in _state.get("reused", {}):
        return html  # sanitized when it was built
    if page.file.src_uri in _state.get("card_pages", ()):
        return clean_html(html)
    return html


def on_page_markdown(markdown: str, page: Any, config: MkDocsConfig, files: Files) -> str:
    """Expand the `<!-- recueil:NAME -->` blocks of hand-written pages (home page entry points...)."""
    if page.file.src_uri in _state.get("reused", {}):
        return markdown
    try:
        markdown = expand_markers(markdown, _bank(), _state["project"], page.file.src_uri, f"docs/{page.file.src_uri}")
    except MarkerError as error:
        raise PluginError(str(error)) from None
    _note_for_next_rebuild(markdown, page)
    return markdown


def on_post_build(config: MkDocsConfig) -> None:
    """Write site/guide.pdf. RECUEIL_PDF=0 skips it; =1 renders it afresh even if the cards did not change
    (by default a serve rebuild reuses the PDF made for the same content)."""
    setting = pdf_setting()
    if setting is False:
        return
    project: Project = _state["project"]
    info = info_for(site_settings(project, Path(config.config_file_path)), project)
    try:
        outcome = write_pdf(_bank(), project, Path(config.site_dir) / GUIDE_PDF, info, reuse=setting is None)
    except Exception as error:  # WeasyPrint's failures come in many types: report them as a build error
        raise PluginError(f"{GUIDE_PDF} : impression impossible ({type(error).__name__}: {error})") from error
    log.info(f"{GUIDE_PDF} : {outcome.pages} pages" + (" (reprise)" if outcome.reused else
                                                        f" en {outcome.seconds:.1f} s"))


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    project: Project = _state["project"]
    for path in (project.cases, project.recommendations, project.taxonomy, project.templates):
        if path.exists():
            server.watch(str(path))
    return server


# --- mkdocs serve: a rebuild reuses the generated pages whose source did not change --------------
# (recueil/rebuild.py says when that is safe.) A reused page skips Markdown conversion, the
# sanitizer, the search plugin's parsing and the theme's layout: its stored search entries go
# back into the index, an empty template stands for the layout and on_post_page puts back the
# HTML of the previous rebuild. Only `mkdocs serve` turns this on; `mkdocs build` never reuses.

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
    search_entries: list[dict[str, Any]]
    output: str


def on_startup(command: str, dirty: bool) -> None:
    STORE.enabled = command == "serve" and not dirty  # `serve --dirty` keeps its own way of skipping pages


def on_pre_build(config: MkDocsConfig) -> None:
    """Under `mkdocs serve`, MkDocs empties its temporary site folder before each rebuild: a
    thousand folders deleted one by one took a second here. The old site moves aside at once
    and is deleted while the new one is built."""
    site = Path(config.site_dir)
    if not STORE.enabled or not site.is_dir() or not any(site.iterdir()):
        return
    trash = Path(tempfile.mkdtemp(prefix="recueil-old-site-"))
    site.rename(trash / "site")
    site.mkdir()
    threading.Thread(target=shutil.rmtree, args=(trash,), kwargs={"ignore_errors": True}, daemon=True).start()


def on_nav(nav: Any, config: MkDocsConfig, files: Files) -> Any:
    """Everything a page depends on besides its own source, for the rebuild store."""
    _state.update(reused={}, to_keep={}, search_of={})
    if STORE.enabled:
        # Card templates make Markdown, compared page by page; the titles of the nav are in nav_heads.
        watched = [Path(config.docs_dir), Path(__file__).parent]
        if config.theme.custom_dir:
            watched.append(Path(config.theme.custom_dir))
        nav_heads = [f"{page.file.src_uri}:{page.file.content_string[:400]}" for page in nav.pages
                     if page.file.src_uri in _state["generated"]]
        STORE.start(fingerprint(watched, [Path(config.config_file_path).read_text(encoding="utf-8"), str(config.nav),
                                          *sorted(files.src_uris), *nav_heads]))
    return nav


def on_env(env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({REUSED_TEMPLATE: ""}), env.loader])  # type: ignore[list-item]
    if STORE.enabled:
        env.bytecode_cache = THEME_BYTECODE
    index = _search_index(config)
    _state["search_seen"] = len(index.entries) if index is not None else 0
    return env


def on_page_context(context: Any, page: Any, config: MkDocsConfig, nav: Any) -> Any:
    """Runs after the search plugin's: a new page's entries are kept, a reused page's put back."""
    reused = _state.get("reused", {}).get(page.file.src_uri)
    if reused is not None:
        page.content = reused.content  # left empty while the search plugin went by (see _restore)
    index = _search_index(config)
    if index is None or not STORE.enabled:
        return context
    if reused is not None:
        index.entries.extend(reused.search_entries)
    else:
        _state["search_of"][page.file.src_uri] = index.entries[_state["search_seen"]:]
    _state["search_seen"] = len(index.entries)
    return context


def _search_index(config: MkDocsConfig) -> Any:
    """Material's search index (its `entries` list), if the search plugin is on."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        if isinstance(getattr(index, "entries", None), list):
            return index
    return None


def on_pre_page(page: Any, config: MkDocsConfig, files: Files) -> Any:
    """A generated page whose file is the one of the previous rebuild is not read again either."""
    uri = page.file.src_uri
    if not STORE.enabled or uri not in _state.get("generated", ()):
        return page
    built = STORE.reusable(uri, page.file.content_string)
    if built is not None:
        _state["reused"][uri] = built
        page.read_source = functools.partial(_read_stored, page, built, _search_index(config) is not None)
        page.render = functools.partial(_restore, page, built)  # instead of converting the Markdown again
    return page


def _read_stored(page: Any, built: _Built, searched: bool, config: MkDocsConfig) -> None:
    page.markdown, page.meta = built.markdown, {**built.meta, "template": REUSED_TEMPLATE}
    if searched:
        page.meta["search"] = {"exclude": True}  # its stored entries are put back by on_page_context


def _note_for_next_rebuild(markdown: str, page: Any) -> None:
    """A page whose text holds a `<!-- recueil:… -->` block depends on the whole bank: never reused."""
    source = page.file.content_string if page.file.src_uri in _state.get("generated", ()) else ""
    if STORE.enabled and source and MARKER not in source:
        _state["to_keep"][page.file.src_uri] = (source, markdown, dict(page.meta))


def _restore(page: Any, built: _Built, config: MkDocsConfig, files: Files) -> None:
    # The content comes back in on_page_context: the search plugin rewrites every page's content
    # with a regular expression, a tenth of the rebuild at a thousand cases.
    page.content, page.toc, page._title_from_render = "", built.toc, built.title_from_render
    page.present_anchor_ids, page.links_to_anchors = built.anchors, None  # its links were checked when built


def _keep_for_next_rebuild(page: Any, output: str) -> None:
    noted = _state.get("to_keep", {}).get(page.file.src_uri)
    if noted is not None:
        source, markdown, meta = noted
        STORE.store(page.file.src_uri, source, _Built(markdown, meta, page.content, page.toc, page._title_from_render,
                                                      page.present_anchor_ids,
                                                      _state["search_of"].get(page.file.src_uri, []), output))


def _generated_file(page: GeneratedPage, config: MkDocsConfig) -> File:
    # Cases stay out of the nav (MkDocs repeats the nav in every page); say so, or MkDocs lists
    # every case at each build and each `mkdocs serve` rebuild.
    in_nav = page.src_uri in _state.get("nav_uris", ())
    file = File.generated(config, page.src_uri, content=page.content,
                          inclusion=InclusionLevel.UNDEFINED if in_nav else InclusionLevel.NOT_IN_NAV)
    file.edit_uri = f"../{page.source}" if page.source else None
    return file


def _uris_in(nav: Any) -> list[str]:
    if isinstance(nav, list):
        return [uri for item in nav for uri in _uris_in(item)]
    if isinstance(nav, dict):
        return [uri for value in nav.values() for uri in _uris_in(value)]
    return [nav] if isinstance(nav, str) else []


def _expand_nav(nav: Any, bank: Bank) -> Any:
    """Replace the `recommandations/index.md` entry by the section of every recommendation."""
    if isinstance(nav, list):
        return [_expand_nav(item, bank) for item in nav]
    if isinstance(nav, dict):
        return {title: (recommendation_nav(bank) if value == RECOMMENDATIONS_URI else _expand_nav(value, bank))
                for title, value in nav.items()}
    return nav


def _bank() -> Bank:
    return _state["bank"]
