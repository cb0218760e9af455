"""The printed booklets kept for reuse: what names one (its key, computed once per booklet asked for,
in `order`), and the cache folder that holds them.

A booklet already printed for the same cards, guide pages, templates, fonts, engine and cover is
reused from this folder by `pdf.write_pdf` and by `pdf_background.BackgroundPdf`. Nothing here
imports MkDocs or WeasyPrint.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from recueil import __version__
from recueil.addresses import DOCS_DIR
from recueil.bank import freshness
from recueil.bank.bank import Bank
from recueil.cards import rendering
from recueil.cards.rendering import site_markdown
from recueil.outputs import booklet as booklet_module
from recueil.outputs import print_text
from recueil.outputs.booklet import FONTS_DIR, GUIDE_BACK, GUIDE_FRONT, BookletInfo, Selection
from recueil.project import Project
from recueil.site.environment import TEMPLATES_DIR

# The one logger of the PDF (cache, printer and background job). Its name is under `mkdocs.` because
# MkDocs shows only the records of its own loggers: the hooks log under the same name.
log = logging.getLogger("mkdocs.hooks.recueil")

ENGINE_DIR = Path(__file__).resolve().parent.parent  # the recueil package: its templates and fonts are named from there
# The engine's modules that make the booklet: a change to any of them is a new booklet (pdf.py, the
# printer, is named by its path: it imports this module).
BOOKLET_MODULES = (Path(booklet_module.__file__), Path(print_text.__file__), Path(__file__).with_name("pdf.py"),
                   Path(freshness.__file__), Path(rendering.__file__))
# Booklets already printed, one file per content (see `booklet_key`): <root>/.cache/recueil/pdf/,
# or $RECUEIL_CACHE/pdf/. CI keeps that folder between runs.
CACHE_ENV = "RECUEIL_CACHE"
CACHE_KEPT = 8  # booklets kept in the cache folder, the most recently used


# How a booklet is written, part of what names it. WeasyPrint 70 writes the structure tree of a tagged PDF
# in a time that grows with pages × tags (about 3 s at 200 pages, minutes at 2,000): past this many pages
# the PDF is written untagged. A tagged booklet is written as PDF/UA-1 (ISO 14289-1): WeasyPrint adds the
# XMP metadata (dc:title, pdfuaid:part) and the structure tree (the printer: outputs/pdf.py).
TAGGED_PAGE_LIMIT = 400
PDF_VARIANT = "pdf/ua-1"


def content_hash(project: Project) -> str:
    """A digest of everything the booklet is made of, so an unchanged bank is not printed twice: the
    cards, the guide pages it prints, the vocabularies, the print templates (the engine's and the
    site's), the fonts, the site's Markdown extensions (mkdocs.yml, read by `print_text`), and the engine
    (its version and the modules that make the booklet)."""
    digest = hashlib.sha256(__version__.encode())
    digest.update(repr(site_markdown(project.root)).encode() + b"\0")
    roots = [project.cases, project.recommendations, project.templates, TEMPLATES_DIR / "pdf", FONTS_DIR]
    files = [project.taxonomy, *BOOKLET_MODULES, *(project.root / DOCS_DIR / uri for uri in (*GUIDE_FRONT, *GUIDE_BACK))]
    for root in roots:
        if root.is_dir():
            files += sorted(path for path in root.rglob("*") if path.is_file())
    for path in files:
        if path.is_file():
            digest.update(str(path.relative_to(project.root) if path.is_relative_to(project.root) else
                              path.relative_to(ENGINE_DIR)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def info_for(settings: dict[str, str], content: str) -> BookletInfo:
    """The cover's words from the site's settings; the version names the engine and the content
    (`content`: its `content_hash`)."""
    defaults = BookletInfo()
    return BookletInfo(title=settings.get("pdf_title", defaults.title),
                       subtitle=settings.get("pdf_subtitle", defaults.subtitle),
                       publisher=settings.get("site_name", defaults.publisher),
                       licence=settings.get("copyright", ""), site_url=settings.get("site_url", ""),
                       version=f"{__version__} (contenu {content[:10]})")


def booklet_key(content: str, bank: Bank, info: BookletInfo, selection: Selection | None = None) -> str:
    """What names one booklet in the cache: its content (`content_hash`), its cover's words, its selection,
    the cases whose status is « à confirmer » on the build's date (recueil/bank/freshness.py), and how it is
    written (`PDF_VARIANT`, `TAGGED_PAGE_LIMIT`). Not the date itself: a booklet printed yesterday from the
    same content and the same statuses is the same booklet (its cover keeps the date it was first printed)."""
    cover = dataclasses.replace(info, date=dt.date(2000, 1, 1))
    chosen = selection if selection is not None and not selection.is_everything else Selection()
    to_confirm = ",".join(sorted(case.slug for case in bank.cases if case.status_to_confirm))
    printed_as = f"{PDF_VARIANT} up to {TAGGED_PAGE_LIMIT} pages"
    return hashlib.sha256(f"{content}\0{cover!r}\0{chosen!r}\0{to_confirm}\0{printed_as}".encode()
                          ).hexdigest()[:32]


@dataclass(frozen=True)
class Order:
    """One booklet asked for: what it is made of, its cover, and the key that names it in the cache,
    computed once here (reading every file it is made of) and passed to whoever prints or copies it."""

    bank: Bank
    project: Project
    info: BookletInfo
    selection: Selection | None
    key: str


def order(bank: Bank, project: Project, settings: dict[str, str], selection: Selection | None = None) -> Order:
    """The booklet of this bank and these site settings (`site_files.site_settings`), with its key."""
    content = content_hash(project)
    info = info_for(settings, content)
    return Order(bank, project, info, selection, booklet_key(content, bank, info, selection))


def cache_folder(project: Project) -> Path:
    base = os.environ.get(CACHE_ENV, "").strip()
    return (Path(base) if base else project.root / ".cache" / "recueil") / "pdf"


@dataclass(frozen=True)
class CachedPdf:
    path: Path
    pages: int
    tagged: bool
    seconds: float  # what printing it cost when it was made


def cached_booklet(project: Project, key: str) -> CachedPdf | None:
    """The booklet of this key if the cache holds it (its PDF and its notes)."""
    folder = cache_folder(project)
    pdf, notes = folder / f"{key}.pdf", folder / f"{key}.json"
    try:
        data = json.loads(notes.read_text(encoding="utf-8"))
        if not pdf.is_file():
            return None
        os.utime(notes)  # most recently used: kept when the cache is pruned
        return CachedPdf(pdf, int(data["pages"]), bool(data["tagged"]), float(data["seconds"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store(project: Project, key: str, data: bytes, pages: int, tagged: bool, seconds: float) -> None:
    """Put a booklet in the cache (PDF first, its notes last: notes mean a whole PDF), then prune."""
    folder = cache_folder(project)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(folder / f"{key}.pdf", data)
        notes = {"pages": pages, "tagged": tagged, "seconds": round(seconds, 2)}
        write_atomically(folder / f"{key}.json", json.dumps(notes).encode())
        entries = sorted(folder.glob("*.json"), key=lambda path: path.stat().st_mtime, reverse=True)
        for old in entries[CACHE_KEPT:]:
            old.with_suffix(".pdf").unlink(missing_ok=True)
            old.unlink(missing_ok=True)
    except OSError as error:  # a read-only checkout prints all the same, without a cache
        log.warning(f"cache du PDF non écrit dans {folder} ({error})")


def write_atomically(target: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(prefix=".", suffix=target.suffix, dir=target.parent)
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.chmod(temporary, 0o644)  # mkstemp's 0600 would keep the file from a web server or a CI cache step
    os.replace(temporary, target)
