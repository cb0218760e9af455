"""MkDocs adapter: a few lines per event, all the work is done by the `recueil` package.

Event order: on_config loads and checks every card (a broken card stops the build with all its
messages), on_files adds the generated pages, on_serve watches the card folders.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from recueil.linking import Bank, load_bank
from recueil.pages import RECOMMENDATIONS_URI, GeneratedPage, PageMaker, recommendation_nav
from recueil.problems import CardErrors
from recueil.project import Project

log = logging.getLogger("mkdocs.hooks.recueil")
_state: dict[str, Any] = {}


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    project = Project(Path(config.config_file_path).parent)
    try:
        bank = load_bank(project)
    except CardErrors as failure:
        raise PluginError(str(failure)) from None
    for warning in bank.warnings:
        log.warning(str(warning))
    _state.update(project=project, bank=bank)
    config.nav = _expand_nav(config.nav, bank)
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for page in PageMaker(_bank(), _state["project"]).pages():
        files.append(_generated_file(page, config))
    return files


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    project: Project = _state["project"]
    for path in (project.cases, project.recommendations, project.taxonomy, project.templates):
        if path.exists():
            server.watch(str(path))
    return server


def _generated_file(page: GeneratedPage, config: MkDocsConfig) -> File:
    file = File.generated(config, page.src_uri, content=page.content)
    file.edit_uri = f"../{page.source}" if page.source else None
    return file


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
