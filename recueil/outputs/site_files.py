"""Everything the engine adds to a site: its pages, the published files and its own assets.

The MkDocs hooks hand these to MkDocs (recueil_mkdocs.hooks.on_files); `recueil render` writes them to
disk for an engine that runs no hooks. Both go through `site_contents`, so they never differ; the
tests compare both with the list of `recueil.addresses`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from recueil.addresses import DATA_PAGE
from recueil.bank.bank import Bank
from recueil.outputs.export import data_page, published_files
from recueil.project import Project, plain_yaml
from recueil.site.pages import GeneratedPage, PageMaker


@dataclass(frozen=True)
class SiteSettings:
    """What the published files need from mkdocs.yml."""

    site_url: str = ""
    repo_url: str = ""
    branch: str = "main"
    site_name: str = "Recueil"


class SettingsError(ValueError):
    """The site's configuration file cannot be read: what it says (the PDF's cover…) would be lost."""


def site_settings(project: Project, config_file: Path | None = None) -> dict[str, str]:
    """site_name, site_url, repo_url, edit_uri, copyright and `extra.pdf` (title, subtitle) from
    mkdocs.yml, read as plain data (its !tags are ignored). A project without mkdocs.yml has none; a
    file given (`config_file`) that is missing, or a configuration that is not a YAML mapping, raises
    SettingsError."""
    path = config_file or project.root / "mkdocs.yml"
    if config_file is None and not path.exists():
        return {}
    try:
        data = plain_yaml(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise SettingsError(f"{path} : configuration illisible ({error.strerror or error}) ; "
                            "donnez le chemin d'un mkdocs.yml existant") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = getattr(error, "problem", None) or error
        raise SettingsError(f"{where} : configuration illisible, YAML invalide ({problem}) ; "
                            "corrigez le fichier (comparez avec le mkdocs.yml du dépôt)") from None
    if not isinstance(data, dict):
        raise SettingsError(f"{path} : la configuration doit être un dictionnaire YAML (site_name: …, extra: …), "
                            f"pas {type(data).__name__} ; donnez le mkdocs.yml du site")
    settings = {key: str(data[key]) for key in ("site_name", "site_url", "repo_url", "edit_uri", "copyright")
                if data.get(key)}
    pdf = _mapping(_mapping(data.get("extra")).get("pdf"))
    settings.update({f"pdf_{key}": str(pdf[key]) for key in ("title", "subtitle") if pdf.get(key)})
    return settings


def _mapping(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def branch_of(edit_uri: str) -> str:
    """The branch contributions go to, read from edit_uri ('edit/main/docs/' → 'main')."""
    parts = edit_uri.strip("/").split("/")
    return parts[1] if len(parts) > 1 and parts[0] in ("edit", "blob", "tree") else "main"


def settings_of(settings: dict[str, str]) -> SiteSettings:
    return SiteSettings(settings.get("site_url", ""), settings.get("repo_url", ""),
                        branch_of(settings.get("edit_uri", "")), settings.get("site_name", SiteSettings.site_name))


def engine_pages(bank: Bank, project: Project, settings: SiteSettings | None = None) -> Iterator[GeneratedPage]:
    """Every page the engine makes: one per card and per term, the listings, the data page."""
    settings = settings or SiteSettings()
    yield from PageMaker(bank, project, settings.site_url, settings.repo_url).pages()
    yield GeneratedPage(DATA_PAGE, data_page(bank, project.templates))


def site_contents(bank: Bank, project: Project, settings: SiteSettings) -> tuple[list[GeneratedPage], dict[str, str]]:
    """The pages the engine makes, and the other files it publishes (path in the site → text)."""
    files = published_files(bank, settings.site_url, settings.repo_url, settings.branch, settings.site_name)
    return list(engine_pages(bank, project, settings)), files

