"""MkDocs adapter: a few lines per event, all the work is done by the `recueil` package.

Event order: on_startup notes a one-off `mkdocs build` (Python's collector is paused while the
engine works, see on_config and on_files), on_config loads and checks every card (a broken card
stops the build with all its messages), on_files adds the generated pages and the site's data
files (open data, Atom feed, card schemas, the contribution form's settings), on_post_page
announces the feed in each page's head, on_post_build prints the guide to site/guide.pdf (under
`mkdocs serve`, in the background: the site is served first), on_serve watches the card folders.
What is done to each page (nav, content sanitised, skip link, feed link, edit link, PDF status, the
PDF's errors) is recueil/outputs/page_transforms.py, which `recueil finish` calls too for an engine
without hooks. mkdocs.yml lists this module as hooks/recueil_hooks.py, a line that imports it. Two more
hook modules follow it there: serve.py (hooks/recueil_serve.py: under `mkdocs serve`, unchanged pages
are not made again) and search.py (hooks/recueil_search.py: the site search, fed page by page).
"""

from __future__ import annotations

import gc
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

from recueil.addresses import GUIDE_PDF, engine_assets
from recueil.bank.bank import Bank, load_bank
from recueil.cards.problems import CardErrors
from recueil.cards.taxonomy import TaxonomyError
from recueil.outputs.page_transforms import (
    SKIP_TARGET,
    PrintError,
    edit_path,
    expand_nav,
    page_content,
    page_output,
    pdf_status,
    print_guide,
)
from recueil.outputs.pdf import PdfSettingError, pdf_setting
from recueil.outputs.pdf_background import BackgroundPdf
from recueil.outputs.pdf_cache import order
from recueil.outputs.site_files import SettingsError, SiteSettings, branch_of, site_contents, site_settings
from recueil.project import Project
from recueil.shown import shown_lines
from recueil.site.environment import compiled_templates
from recueil.site.home import MarkerError, expand_markers
from recueil.site.pages import GeneratedPage
from recueil.site.rawhtml import SetAside, put_back, set_aside

log = logging.getLogger("mkdocs.hooks.recueil")


@dataclass
class _State:
    """What the events of one build pass on to the later ones."""

    building: bool = False  # a one-off `mkdocs build` (not `mkdocs serve`)
    serving: bool = False
    project: Project | None = None  # on_config
    bank: Bank | None = None  # on_config: every card, loaded and checked
    nav_uris: set[str] = field(default_factory=set)  # on_files: the pages the nav lists
    card_pages: set[str] = field(default_factory=set)  # on_files: pages made from a card (sanitised)
    generated: set[str] = field(default_factory=set)  # on_files: every page the engine makes
    aside: dict[str, SetAside] = field(default_factory=dict)  # on_page_markdown → on_page_content: HTML blocks
    skip_targets: dict[str, str] = field(default_factory=dict)  # on_page_content → on_post_page: the h1's id


_state = _State()
_background_pdf = BackgroundPdf()


def _failure(message: str) -> PluginError:
    """A build error: whatever it quotes of a card (a value, a file name) is shown with its control
    characters as visible escapes (recueil.shown), so it cannot forge a line of MkDocs' output."""
    return PluginError(shown_lines(message))


def on_startup(command: str, dirty: bool) -> None:
    _state.building = command == "build"
    _state.serving = command == "serve"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _pdf_setting()  # a RECUEIL_PDF that says neither 0 nor 1 stops the build before it starts
    project = Project(Path(config.config_file_path).parent)
    if _state.building:
        gc.disable()  # the cards and pages made now live for the whole build: collecting would only scan them
    try:
        bank = load_bank(project)
    except (CardErrors, TaxonomyError) as failure:
        gc.enable()
        raise _failure(str(failure)) from None
    for warning in bank.warnings:
        log.warning(str(warning))
    _state.project, _state.bank = project, bank
    config.nav = expand_nav(config.nav, bank)
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    _state.nav_uris = set(_uris_in(config.nav))
    settings = SiteSettings(config.site_url or "", config.repo_url or "", branch_of(config.edit_uri or ""),
                            config.site_name)
    pages, published = site_contents(_bank(), _project(), settings)
    for page in pages:
        files.append(_generated_file(page, config))
    _state.card_pages = {page.src_uri for page in pages if page.source}
    _state.generated, _state.aside, _state.skip_targets = {page.src_uri for page in pages}, {}, {}
    # Open data, feed, card schemas and the form's settings: files of the site, so pages can link them.
    for path, text in published.items():
        generated = File.generated(config, path, content=text)
        generated.edit_uri = None  # made from the cards: no file of docs/ to edit
        files.append(generated)
    _add_engine_assets(files, config)
    if _state.building:
        # A single build: what the engine made stays out of the collections that MkDocs' own work
        # triggers from here on (a `mkdocs serve` process runs many builds and keeps collecting all).
        gc.freeze()
        gc.enable()
    return files


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    env.bytecode_cache = compiled_templates()  # the theme's templates, compiled at an earlier build
    return env


def on_post_page(output: str, page: Any, config: MkDocsConfig) -> str:
    """The skip link leads to the page's h1, the Atom feed is announced in its head; under `mkdocs serve`,
    the links to the PDF say when it is still being made."""
    output = page_output(output, page.url, config.site_name, _state.skip_targets.pop(page.file.src_uri, SKIP_TARGET))
    if _state.serving and _pdf_setting() is not False:
        output = pdf_status(output, page.url)
    return output


def _add_engine_assets(files: Files, config: MkDocsConfig) -> None:
    """The engine's scripts and stylesheets, served under assets/; a file of docs/ at the same
    path takes precedence (a site may replace one)."""
    for path, source in engine_assets().items():
        if files.get_file_from_path(path) is None:
            asset = File.generated(config, path, abs_src_path=str(source))
            asset.edit_uri = None
            files.append(asset)


def on_page_content(html: str, page: Any, config: MkDocsConfig, files: Files) -> str:
    """The engine's HTML blocks go back in place; pages made from a card carry a stranger's Markdown:
    only allow-listed HTML goes on; the page's h1 becomes the skip link's target (on_post_page)."""
    if (aside := _state.aside.pop(page.file.src_uri, None)) is not None:
        html = put_back(html, aside)
        if page.present_anchor_ids is not None:
            page.present_anchor_ids |= aside.ids()  # what MkDocs would have found in the raw HTML
    html, _state.skip_targets[page.file.src_uri] = page_content(html, card=page.file.src_uri in _state.card_pages)
    return html


def on_page_markdown(markdown: str, page: Any, config: MkDocsConfig, files: Files) -> str:
    """Expand the `<!-- recueil:NAME -->` blocks of hand-written pages (home page entry points...); never
    in a page the engine made, which holds a card's text. The engine's pages give their HTML blocks to
    rawhtml.set_aside: Python-Markdown converts the rest."""
    if page.file.src_uri in _state.generated:
        aside = set_aside(markdown)
        _state.aside[page.file.src_uri] = aside
        return aside.markdown
    try:
        return expand_markers(markdown, _bank(), _project(), page.file.src_uri, f"docs/{page.file.src_uri}")
    except MarkerError as error:
        raise _failure(str(error)) from None


def on_post_build(config: MkDocsConfig) -> None:
    """Write site/guide.pdf. RECUEIL_PDF=0 skips it; =1 renders it afresh even if the cards did not change
    (by default a serve rebuild reuses the PDF made for the same content)."""
    try:
        _print_guide(config)
    finally:
        gc.unfreeze()  # the build is over: what on_files froze may be collected again


def on_build_error(error: Exception) -> None:
    gc.unfreeze()
    gc.enable()


def _print_guide(config: MkDocsConfig) -> None:
    setting = _pdf_setting()
    if setting is False:
        return
    project = _project()
    try:
        booklet = order(_bank(), project, site_settings(project, Path(config.config_file_path)))
    except SettingsError as error:
        raise _failure(str(error)) from None
    if _state.serving:  # the site is served now, the booklet follows (PDF_STATUS says when)
        _background_pdf.request(booklet, Path(config.config_file_path), Path(config.site_dir), fresh=setting is True)
        return
    try:
        outcome = print_guide(booklet, Path(config.site_dir), reuse=setting is None)
    except PrintError as error:
        raise _failure(str(error)) from error.__cause__
    log.info(f"{GUIDE_PDF} : {outcome.pages} pages" + (" (reprise)" if outcome.reused else
                                                        f" en {outcome.seconds:.1f} s"))


def _pdf_setting() -> bool | None:
    try:
        return pdf_setting()
    except PdfSettingError as error:
        raise _failure(str(error)) from None


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    project = _project()
    for path in (project.cases, project.recommendations, project.taxonomy, project.templates):
        if path.exists():
            server.watch(str(path))
    return server


def _generated_file(page: GeneratedPage, config: MkDocsConfig) -> File:
    # Cases stay out of the nav (MkDocs repeats the nav in every page); say so, or MkDocs lists
    # every case at each build and each `mkdocs serve` rebuild.
    in_nav = page.src_uri in _state.nav_uris
    file = File.generated(config, page.src_uri, content=page.content,
                          inclusion=InclusionLevel.UNDEFINED if in_nav else InclusionLevel.NOT_IN_NAV)
    file.edit_uri = edit_path(page.source)
    return file


def _uris_in(nav: Any) -> list[str]:
    if isinstance(nav, list):
        return [uri for item in nav for uri in _uris_in(item)]
    if isinstance(nav, dict):
        return [uri for value in nav.values() for uri in _uris_in(value)]
    return [nav] if isinstance(nav, str) else []


def _bank() -> Bank:
    if _state.bank is None:
        raise PluginError("recueil : la banque n'est pas chargée (on_config n'a pas tourné)")
    return _state.bank


def _project() -> Project:
    if _state.project is None:
        raise PluginError("recueil : le projet n'est pas chargé (on_config n'a pas tourné)")
    return _state.project
