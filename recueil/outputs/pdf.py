"""Printing the booklet (`booklet.py`) to PDF with WeasyPrint, once per content.

The PDF in three parts: this printer (`render_pdf`, the one call to WeasyPrint; `write_pdf`, which
reuses a booklet already printed), the cache of printed booklets and the key naming each
(`pdf_cache.py`), and the background job that prints under `mkdocs serve` while the site is served
(`pdf_background.py`). Nothing here imports MkDocs.
"""

from __future__ import annotations

import os
import shutil
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from recueil.memory import MEMORY, MISSING
from recueil.outputs.booklet import FONTS_DIR, booklet_html
from recueil.outputs.pdf_cache import Order, cached_booklet, store

# WeasyPrint 70 writes the structure tree of a tagged PDF in a time that grows with pages × tags
# (about 3 s at 200 pages, minutes at 2,000): past this many pages the PDF is written untagged.
TAGGED_PAGE_LIMIT = 400


# WeasyPrint warns, with stack lines, when Debian's libharfbuzz-subset0 is missing (`make` installs
# it): a newcomer reads that as a crash of the build. It is its warning, not ours: silenced where
# it is emitted, at the import, and nowhere else.
HARFBUZZ_SUBSET_WARNING = "HarfBuzz-Subset will be required"


def import_weasyprint() -> Any:
    """The weasyprint package, imported here (it is slow to import and only printing needs it)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=HARFBUZZ_SUBSET_WARNING, category=DeprecationWarning)
        import weasyprint
        import weasyprint.urls  # noqa: F401 (the fetcher's base class)
    return weasyprint


def _url_fetcher() -> Any:
    """A fetcher that reads the shipped fonts and nothing else: printing never touches the network."""
    fetcher: Any = import_weasyprint().urls.URLFetcher
    allowed = (FONTS_DIR.as_uri() + "/",)

    class FontsOnly(fetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith(allowed):
                raise ValueError(f"le livret n'a pas à charger {url}")
            return super().fetch(url, headers)

    return FontsOnly(allowed_protocols={"file"})


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int
    seconds: float
    tagged: bool


def render_pdf(html: str) -> RenderedPdf:
    """Lay out and write the PDF, with the HTML's metadata, tagged for screen readers when it can be."""
    HTML = import_weasyprint().HTML  # noqa: N806 (a class)
    started = time.perf_counter()
    document = HTML(string=html, base_url=FONTS_DIR.as_uri() + "/", url_fetcher=_url_fetcher()).render()
    tagged = len(document.pages) <= TAGGED_PAGE_LIMIT
    data = document.write_pdf(pdf_tags=tagged)
    return RenderedPdf(data, len(document.pages), time.perf_counter() - started, tagged)


# --- Writing the file, once per content -------------------------------------------------------------

@dataclass(frozen=True)
class PdfOutcome:
    path: Path
    pages: int
    seconds: float
    reused: bool
    tagged: bool


def write_pdf(booklet: Order, target: Path, reuse: bool = True) -> PdfOutcome:
    """Write the booklet to `target`. With `reuse`, a booklet already printed for the same key (by this
    process, or found in the cache folder) is copied instead of laid out again. Whatever is printed goes
    into the cache."""
    project, key = booklet.project, booklet.key
    started = time.perf_counter()
    target.parent.mkdir(parents=True, exist_ok=True)
    # The last booklet printed by this process, by key (MkDocs may load the hooks again, not the engine).
    rendered = MEMORY.get("printed booklet", None, key) if reuse else MISSING
    if rendered is MISSING and reuse and (cached := cached_booklet(project, key)) is not None:
        shutil.copyfile(cached.path, target)
        return PdfOutcome(target, cached.pages, time.perf_counter() - started, True, cached.tagged)
    reused = rendered is not MISSING
    if rendered is MISSING:
        rendered = render_pdf(booklet_html(booklet.bank, project, booklet.info, booklet.selection))
        store(project, key, rendered.data, rendered.pages, rendered.tagged, rendered.seconds)
        MEMORY.put("printed booklet", None, key, rendered)
    target.write_bytes(rendered.data)
    return PdfOutcome(target, rendered.pages, time.perf_counter() - started, reused, rendered.tagged)


# --- RECUEIL_PDF ------------------------------------------------------------------------------------

PDF_OFF = frozenset({"0", "false", "no", "non", "off"})
PDF_FRESH = frozenset({"1", "true", "yes", "oui", "on"})


class PdfSettingError(ValueError):
    """RECUEIL_PDF holds a value that says neither off nor fresh: the build stops rather than guess."""


def pdf_setting(environ: dict[str, str] | os._Environ[str] = os.environ) -> bool | None:
    """RECUEIL_PDF: '0' turns the PDF off, '1' forces a fresh one, unset or empty leaves the default
    (a booklet of the same content is reused). Any other value raises PdfSettingError."""
    raw = environ.get("RECUEIL_PDF", "")
    value = raw.strip().lower()
    if value in PDF_OFF:
        return False
    if value in PDF_FRESH:
        return True
    if not value:
        return None
    raise PdfSettingError(f"RECUEIL_PDF={raw!r} : valeur inconnue (mettez RECUEIL_PDF=0 pour ne pas imprimer le "
                          "guide PDF, RECUEIL_PDF=1 pour l'imprimer à neuf, ou retirez la variable pour le "
                          "reprendre du cache quand son contenu n'a pas changé)")
