"""Printing the booklet (`booklet.py`) to PDF with WeasyPrint, once per content.

The PDF in three parts: this printer (`render_pdf`, the one call to WeasyPrint; `write_pdf`, which
reuses a booklet already printed), the cache of printed booklets and the key naming each
(`pdf_cache.py`), and the background job that prints under `mkdocs serve` while the site is served
(`pdf_background.py`). Nothing here imports MkDocs.
"""

from __future__ import annotations

import os
import re
import shutil
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from recueil.addresses import DOCS_DIR, page_url
from recueil.memory import MEMORY, MISSING
from recueil.outputs.booklet import FONTS_DIR, booklet_html
from recueil.outputs.pdf_cache import PDF_VARIANT, TAGGED_PAGE_LIMIT, Order, cached_booklet, store
from recueil.project import Project

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
    data = document.write_pdf(pdf_variant=PDF_VARIANT if tagged else None, pdf_tags=tagged)
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


# --- The size of the booklet in the links to it ------------------------------------------------------

# In a hand-written page, a link to the booklet ends with this span, « (PDF) »; once the booklet is
# printed, the span says its format and size, « (PDF, 2,3 Mo) » (RGAA 6.1: a link to a file says its
# format and weight). Without the PDF (RECUEIL_PDF=0, or while `mkdocs serve` prints it), « (PDF) » stays.
PDF_SIZE_MARK = "data-recueil-pdf-size"
_PDF_SIZE = re.compile(r"(<span data-recueil-pdf-size>)[^<]*(</span>)")


def pdf_size_label(size: int) -> str:
    """« PDF, 2,3 Mo », « PDF, 480 ko »: a PDF's format and size as a French reader reads them."""
    if size >= 1_000_000:
        return "PDF, " + f"{size / 1_000_000:.1f}".replace(".", ",") + " Mo"
    return f"PDF, {max(1, round(size / 1000))} ko"


def label_pdf_links(project: Project, site: Path, pdf: Path) -> list[Path]:
    """Write the booklet's format and size, measured on the printed file, into the built pages whose
    source in docs/ marks a link to it (a few files, found from their sources). The pages changed."""
    label = f"({pdf_size_label(pdf.stat().st_size)})"
    docs = project.root / DOCS_DIR
    changed = []
    for source in sorted(docs.rglob("*.md")) if docs.is_dir() else []:
        if PDF_SIZE_MARK not in source.read_text(encoding="utf-8"):
            continue
        page = site / page_url(source.relative_to(docs).as_posix()) / "index.html"
        html = page.read_text(encoding="utf-8") if page.is_file() else ""
        labelled = _PDF_SIZE.sub(lambda found: found.group(1) + label + found.group(2), html)
        if labelled != html:
            page.write_text(labelled, encoding="utf-8")
            changed.append(page)
    return changed


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
