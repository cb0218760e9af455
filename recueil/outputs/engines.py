"""The same site from any engine: MkDocs 1.6 and ProperDocs run the hooks; Zensical runs none.

For an engine that runs the hooks, `build` only calls it: the hooks do the work during the build.
For an engine without hooks, the work is split around its build:

- `prepare` writes a work folder: `docs/` (the project's pages, their `<!-- recueil:… -->` blocks
  expanded, plus every page, published file and asset of the engine, as `recueil render`), the
  engine's theme (the project's `overrides-<engine>/` and the partials of `overrides/` it shares) and
  a copy of `mkdocs.yml` without `hooks:`, with the recommendations' section in its nav;
- the engine builds that folder;
- `finish` does on the built site what the hooks do during a build, with the same functions
  (`page_transforms.py`): the HTML of pages made from a card goes through the sanitiser (a card is a
  stranger's text), every page announces the Atom feed, the skip link leads to the page's h1, the edit
  button of a generated page leads to its card; then the published files are written again, the search
  index (Pagefind, with its filters) and the PDF booklet.

Nothing here imports an engine: each runs as its own program (`python -m <engine> build`).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from recueil.addresses import DOCS_DIR, engine_assets, page_url
from recueil.bank.bank import Bank
from recueil.outputs.page_transforms import (
    SKIP_TARGET,
    PrintError,
    edit_link,
    expand_nav,
    page_content,
    page_output,
    print_guide,
)
from recueil.outputs.pdf import PdfSettingError, pdf_setting
from recueil.outputs.pdf_cache import order
from recueil.outputs.site_files import settings_of, site_contents, site_settings
from recueil.project import Project, plain_yaml
from recueil.search.pagefind import INDEX_DIR, SearchOutcome, index_site
from recueil.site.home import expand_markers

CONFIG_FILE = "mkdocs.yml"
THEME_DIR = "theme"  # in the work folder: the theme overrides given to the engine
WORK_MARK = ".recueil-prepare"  # what says a work folder may be emptied by the next `prepare`
SITE_DIR = "site"  # in the work folder: where the engine writes (Zensical wants it inside its project)
# Partials that Zensical's theme reads as Material's does: one file for both (overrides/), written in
# what Jinja2 and MiniJinja both accept.
SHARED_PARTIALS = ("partials/languages/custom.html",
                   "partials/recueil-search-dialog.html",
                   "partials/footer.html",
                   "partials/copyright.html",
                   "partials/source.html")
# What the engine's theme writes around a page's content (overrides-zensical/partials/content.html);
# `prepare` adds a secret drawn for that work folder, so that a card's text cannot write the markers
# and close the region that `finish` sanitises (the text comes before the theme's end marker).
CONTENT_START, CONTENT_END = "<!-- recueil:content:start -->", "<!-- recueil:content:end -->"
SECRET_FILE = ".recueil-secret"  # in the work folder, beside the engine's site
ANSI_CODES = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class Engine:
    """A site generator the recueil builds with: its program (a Python module) and whether it runs the hooks."""

    name: str
    module: str
    runs_hooks: bool
    theme: str  # the project's folder of theme overrides for this engine


ENGINES = {
    "mkdocs": Engine("mkdocs", "mkdocs", True, "overrides"),
    "properdocs": Engine("properdocs", "properdocs", True, "overrides"),
    "zensical": Engine("zensical", "zensical", False, "overrides-zensical"),
}


class EngineError(Exception):
    """The build with an engine failed; the message says why and what to do, in French."""


@dataclass(frozen=True)
class FinishOutcome:
    pages: int
    card_pages: int
    search: SearchOutcome
    pdf_pages: int | None


# --- prepare: the work folder an engine without hooks builds ---------------------------------------------


def prepare(bank: Bank, project: Project, workdir: Path, engine: Engine) -> Path:
    """Write the work folder for `engine` (emptied first); returns its configuration file."""
    _empty_work_folder(workdir)
    docs = workdir / DOCS_DIR
    shutil.copytree(project.root / DOCS_DIR, docs)
    _expand_hand_written(bank, project, docs)
    pages, published = site_contents(bank, project, settings_of(site_settings(project)))
    _write_tree(docs, {page.src_uri: page.content for page in pages})
    _write_tree(docs, published)
    for path, source in engine_assets().items():
        if not (docs / path).exists():  # a file of docs/ at the same path takes precedence, as with the hooks
            (docs / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, docs / path)
    _copy_theme(project, engine, workdir / THEME_DIR)
    _mark_content(workdir)
    config = workdir / CONFIG_FILE
    config.write_text(yaml.safe_dump(engine_config(project, bank), allow_unicode=True, sort_keys=False),
                      encoding="utf-8")
    return config


def _empty_work_folder(workdir: Path) -> None:
    """Empty the folder a previous `prepare` wrote; refuse any other that is not empty (a mistyped --out
    must not erase the project's pages)."""
    if workdir.exists() and any(workdir.iterdir()):
        if not (workdir / WORK_MARK).is_file():
            raise EngineError(f"{workdir} n'est pas vide et n'a pas été écrit par « recueil prepare » : "
                              "choisissez un dossier vide ou nouveau")
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / WORK_MARK).write_text("Dossier de travail de « recueil prepare » : il est vidé à chaque fois.\n",
                                     encoding="utf-8")


def _expand_hand_written(bank: Bank, project: Project, docs: Path) -> None:
    """The `<!-- recueil:NAME -->` blocks of every hand-written page (the hooks do it in on_page_markdown)."""
    for page in sorted(docs.rglob("*.md")):
        src_uri = page.relative_to(docs).as_posix()
        text = page.read_text(encoding="utf-8")
        expanded = expand_markers(text, bank, project, src_uri, f"{DOCS_DIR}/{src_uri}")
        if expanded != text:
            page.write_text(expanded, encoding="utf-8")


def _write_tree(base: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        target = base / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def _copy_theme(project: Project, engine: Engine, target: Path) -> None:
    """The engine's overrides, with the partials it shares with the Material ones (same words, same filters)."""
    own = project.root / engine.theme
    if not own.is_dir():
        raise EngineError(f"{engine.name} : le dossier du thème {engine.theme}/ est introuvable dans "
                          f"{project.root} ; il porte la recherche et l'accessibilité du site sur ce moteur")
    shared = project.root / "overrides"
    for relative in SHARED_PARTIALS:
        if (shared / relative).is_file():
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(shared / relative, target / relative)
    shutil.copytree(own, target, dirs_exist_ok=True)


def content_markers(secret: str) -> tuple[str, str]:
    """The comments around a page's content in a site built from a work folder with this secret."""
    return tuple(marker.replace(" -->", f":{secret} -->") for marker in (CONTENT_START, CONTENT_END))  # type: ignore[return-value]


def _mark_content(workdir: Path) -> None:
    """The theme's content markers, given a secret of this work folder (kept beside it for `finish`)."""
    secret = secrets.token_hex(16)
    start, end = content_markers(secret)
    for template in (workdir / THEME_DIR).rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        if CONTENT_START in text or CONTENT_END in text:
            template.write_text(text.replace(CONTENT_START, start).replace(CONTENT_END, end), encoding="utf-8")
    (workdir / SECRET_FILE).write_text(secret, encoding="utf-8")


def _secret_of(site: Path) -> str:
    try:
        return (site.parent / SECRET_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        raise EngineError(f"{site} : ce site n'a pas été construit depuis un dossier de « recueil prepare » "
                          f"({SECRET_FILE} manque à côté) ; lancez « recueil build --engine zensical »") from None


def engine_config(project: Project, bank: Bank) -> dict[str, Any]:
    """The project's mkdocs.yml for an engine without hooks: no `hooks:`, the work folder's docs, site and
    theme, the recommendations' section expanded in the nav (the hooks do it in on_config)."""
    config = _read_config(project.root / CONFIG_FILE)
    config.pop("hooks", None)
    # The site search is Pagefind (recueil finish): the engine's own search, on unless said, stays off.
    config.update(docs_dir=DOCS_DIR, site_dir=SITE_DIR, plugins=[{"search": {"enabled": False}}])
    theme: dict[str, Any] = config["theme"] if isinstance(config.get("theme"), dict) else {}
    # Zensical's "classic" look is Material's, which the site's styles were written for.
    config["theme"] = {**theme, "custom_dir": THEME_DIR, "variant": "classic"}
    if "nav" in config:
        config["nav"] = expand_nav(config["nav"], bank)
    return config


def _read_config(path: Path) -> dict[str, Any]:
    try:
        data = plain_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise EngineError(f"{path} : configuration illisible ({error})") from None
    if not isinstance(data, dict):
        raise EngineError(f"{path} : la configuration doit être un dictionnaire YAML")
    return data


# --- the engine's own build --------------------------------------------------------------------------------


def run_engine(engine: Engine, config: Path, site: Path | None, strict: bool = False) -> float:
    """Run `python -m <engine> build` on `config`; returns its time in seconds. `site`: where to write
    (engines that take `-d`; Zensical writes to the config's site_dir)."""
    command = [sys.executable, "-m", engine.module, "build", "-f", str(config)]
    if site is not None:
        command += ["-d", str(site)]
    if strict:
        command.append("--strict")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    try:
        result = subprocess.run(command, cwd=config.parent, env=env, capture_output=True, text=True, timeout=3600)
    except FileNotFoundError:
        raise EngineError(f"{engine.name} : Python introuvable ({sys.executable})") from None
    if result.returncode != 0:
        output = (result.stderr or result.stdout).strip()
        if f"No module named {engine.module}" in output:
            raise EngineError(f"{engine.name} n'est pas installé : « pip install -e '.[engines]' »") from None
        raise EngineError(f"{engine.name} : la construction a échoué (code {result.returncode})\n"
                          f"{_last_lines(output)}")
    return time.perf_counter() - started


def _last_lines(text: str, count: int = 25) -> str:
    """What the engine said last, colours removed; of a Python traceback, only its message (the cause, not
    the program's inner path), after what the engine printed before it (its warnings)."""
    lines = ANSI_CODES.sub("", text).splitlines()
    if (start := next((i for i, line in enumerate(lines) if line.startswith("Traceback (most recent")), None)) is not None:
        lines = [*lines[:start], lines[-1]]
    return "\n".join(lines[-count:])


# --- finish: what the hooks do during a build, done on the built site ----------------------------------------


def finish(bank: Bank, project: Project, site: Path, pdf: bool | None = None) -> FinishOutcome:
    """Make a site built without the hooks the same as one built with them. `pdf`: None follows RECUEIL_PDF
    (read first: a bad value stops before any page is changed)."""
    try:
        pdf = pdf_setting() if pdf is None else pdf
    except PdfSettingError as error:
        raise EngineError(str(error)) from None
    if not (site / "index.html").is_file():
        raise EngineError(f"{site} ne contient pas de site construit (index.html) : construisez-le d'abord")
    settings = site_settings(project)
    site_name = settings.get("site_name", "Recueil")
    markers = content_markers(_secret_of(site))
    generated, published = site_contents(bank, project, settings_of(settings))
    sources = {page_url(page.src_uri): (page.src_uri, page.source) for page in generated}
    card_urls = {url for url, (_, source) in sources.items() if source}  # made from a card, as the hooks' card_pages
    pages = cards = 0
    for path, url in _built_pages(site):
        html = path.read_text(encoding="utf-8")
        if url in sources:
            html = edit_link(html, *sources[url])
        path.write_text(finish_page(html, url, site_name, card=url in card_urls, markers=markers), encoding="utf-8")
        pages += 1
        cards += url in card_urls
    if cards != len(card_urls):
        raise EngineError(f"{site} : {len(card_urls) - cards} page(s) de fiche manquent au site construit")
    _write_tree(site, published)
    search = index_site(site)
    return FinishOutcome(pages, cards, search, _print_guide(bank, project, site, settings, pdf))


def _built_pages(site: Path) -> Iterator[tuple[Path, str]]:
    """Every HTML page of the built site with its address ('cas/x/'), the search index's own files aside."""
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        if relative.split("/", 1)[0] != INDEX_DIR:
            yield path, relative.removesuffix("index.html")


def finish_page(html: str, url: str, site_name: str, card: bool, markers: tuple[str, str]) -> str:
    """One built page, as the hooks make it during a build (recueil/outputs/page_transforms.py): its content
    sanitised if made from a card, its h1 the skip link's target, the feed announced. `markers`: the comments
    around the content, with the work folder's secret (`content_markers`)."""
    opening, closing = markers
    start, end = html.find(opening), html.rfind(closing)
    if start < 0 or end < start:
        if card:
            raise EngineError(f"{url} : le thème n'a pas marqué le contenu de la page ({CONTENT_START}) ; "
                              "construisez avec le thème du recueil pour ce moteur (overrides-zensical/)")
        return page_output(html, url, site_name, SKIP_TARGET)
    content, target = page_content(html[start + len(opening):end], card)
    return page_output(html[:start] + content + html[end + len(closing):], url, site_name, target)


def _print_guide(bank: Bank, project: Project, site: Path, settings: dict[str, str], pdf: bool | None) -> int | None:
    if pdf is False:
        return None
    try:
        return print_guide(order(bank, project, settings), site, reuse=pdf is None).pages
    except PrintError as error:
        raise EngineError(str(error)) from error.__cause__


def replace_site(built: Path, out: Path) -> None:
    """Put the built site at `out`, replacing a site built there before (never a folder of another kind)."""
    if out.exists() and any(out.iterdir()):
        if not (out / "index.html").is_file() or out.resolve() in built.resolve().parents:
            raise EngineError(f"{out} n'est pas vide et ne contient pas de site construit : choisissez un "
                              "autre dossier pour --out (par défaut : site)")
        shutil.rmtree(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(built), str(out))
