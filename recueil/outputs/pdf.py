"""Printing the booklet (`booklet.py`) to PDF with WeasyPrint, once per content.

A booklet already printed for the same cards, guide pages, templates, fonts, engine and cover is
reused, from this process or from the cache folder. Under `mkdocs serve` another process prints it
while the site is served (`BackgroundPdf`). Nothing here imports MkDocs.
"""

from __future__ import annotations

import atexit
import dataclasses
import datetime as dt
import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from recueil import __version__
from recueil.addresses import DOCS_DIR, GUIDE_PDF, PDF_STATUS, page_url
from recueil.bank import freshness
from recueil.bank.bank import Bank
from recueil.memory import MEMORY, MISSING
from recueil.outputs import booklet as booklet_module
from recueil.outputs import print_text
from recueil.outputs.booklet import FONTS_DIR, GUIDE_BACK, GUIDE_FRONT, BookletInfo, Selection, booklet_html
from recueil.project import Project
from recueil.site.environment import TEMPLATES_DIR

ENGINE_DIR = Path(__file__).resolve().parent.parent  # the recueil package: its templates and fonts are named from there
# The engine's modules that make the booklet: a change to any of them is a new booklet.
BOOKLET_MODULES = (Path(booklet_module.__file__), Path(print_text.__file__), Path(__file__), Path(freshness.__file__))
# Booklets already printed, one file per content (see `booklet_key`): <root>/.cache/recueil/pdf/,
# or $RECUEIL_CACHE/pdf/. CI keeps that folder between runs.
CACHE_ENV = "RECUEIL_CACHE"
CACHE_KEPT = 8  # booklets kept in the cache folder, the most recently used
# WeasyPrint 70 writes the structure tree of a tagged PDF in a time that grows with pages × tags
# (about 3 s at 200 pages, minutes at 2,000): past this many pages the PDF is written untagged.
TAGGED_PAGE_LIMIT = 400
# A tagged booklet is written as PDF/UA-1 (ISO 14289-1): WeasyPrint adds the XMP metadata (dc:title, pdfuaid:part)
# and the structure tree. Part of what is printed, so part of the cache key (`booklet_key`).
PDF_VARIANT = "pdf/ua-1"


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


# --- Building the file, once per content ------------------------------------------------------------

def content_hash(project: Project) -> str:
    """A digest of everything the booklet is made of, so an unchanged bank is not printed twice: the
    cards, the guide pages it prints, the vocabularies, the print templates (the engine's and the
    site's), the fonts, and the engine (its version and the modules that make the booklet)."""
    digest = hashlib.sha256(__version__.encode())
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


def booklet_key(project: Project, bank: Bank, info: BookletInfo, selection: Selection | None = None) -> str:
    """What names one booklet in the cache: its content, its cover's words, its selection and the cases
    whose status is « à confirmer » on the build's date (recueil/bank/freshness.py), and how it is written
    (`PDF_VARIANT`, `TAGGED_PAGE_LIMIT`). Not the date itself:
    a booklet printed yesterday from the same content and the same statuses is the same booklet (its cover
    keeps the date it was first printed)."""
    cover = dataclasses.replace(info, date=dt.date(2000, 1, 1))
    chosen = selection if selection is not None and not selection.is_everything else Selection()
    to_confirm = ",".join(sorted(case.slug for case in bank.cases if case.status_to_confirm))
    printed_as = f"{PDF_VARIANT} up to {TAGGED_PAGE_LIMIT} pages"
    return hashlib.sha256(f"{content_hash(project)}\0{cover!r}\0{chosen!r}\0{to_confirm}\0{printed_as}".encode()
                          ).hexdigest()[:32]


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


def _store(project: Project, key: str, rendered: RenderedPdf) -> None:
    """Put a booklet in the cache (PDF first, its notes last: notes mean a whole PDF), then prune."""
    folder = cache_folder(project)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _write_atomically(folder / f"{key}.pdf", rendered.data)
        notes = {"pages": rendered.pages, "tagged": rendered.tagged, "seconds": round(rendered.seconds, 2)}
        _write_atomically(folder / f"{key}.json", json.dumps(notes).encode())
        entries = sorted(folder.glob("*.json"), key=lambda path: path.stat().st_mtime, reverse=True)
        for old in entries[CACHE_KEPT:]:
            old.with_suffix(".pdf").unlink(missing_ok=True)
            old.unlink(missing_ok=True)
    except OSError as error:  # a read-only checkout prints all the same, without a cache
        logging.getLogger("recueil.outputs.pdf").warning(f"cache du PDF non écrit dans {folder} ({error})")


def _write_atomically(target: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(prefix=".", suffix=target.suffix, dir=target.parent)
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.chmod(temporary, 0o644)  # mkstemp's 0600 would keep the file from a web server or a CI cache step
    os.replace(temporary, target)


@dataclass(frozen=True)
class PdfOutcome:
    path: Path
    pages: int
    seconds: float
    reused: bool
    tagged: bool


def write_pdf(bank: Bank, project: Project, target: Path, info: BookletInfo, selection: Selection | None = None,
              reuse: bool = True) -> PdfOutcome:
    """Write the booklet to `target`. With `reuse`, a booklet already printed for the same cards, guide
    pages, templates, fonts, engine and cover (by this process, or found in the cache folder) is
    copied instead of laid out again. Whatever is printed goes into the cache."""
    key = booklet_key(project, bank, info, selection)
    started = time.perf_counter()
    target.parent.mkdir(parents=True, exist_ok=True)
    # The last booklet printed by this process, by key (MkDocs may load the hooks again, not the engine).
    rendered = MEMORY.get("printed booklet", None, key) if reuse else MISSING
    if rendered is MISSING and reuse and (cached := cached_booklet(project, key)) is not None:
        shutil.copyfile(cached.path, target)
        return PdfOutcome(target, cached.pages, time.perf_counter() - started, True, cached.tagged)
    reused = rendered is not MISSING
    if rendered is MISSING:
        rendered = render_pdf(booklet_html(bank, project, info, selection))
        _store(project, key, rendered)
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


# --- Under `mkdocs serve`: printed by another process while the site is served -----------------------

log = logging.getLogger("mkdocs.hooks.recueil")


class BackgroundPdf:
    """The booklet of a served site, printed by a child process (`recueil pdf`, at low priority, on
    the other core) so that the first page is served without waiting for WeasyPrint. Each rebuild
    asks for the booklet of its content: a booklet in the cache is copied at once; otherwise the
    site gets a status file saying it is being made (`PDF_STATUS`, read by the guide pages' links)
    and the booklet follows when the child is done. A rebuild with other content stops a child
    that prints a booklet nobody wants any more."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._job: tuple[str, subprocess.Popen[bytes], Path] | None = None
        self._site: Path | None = None
        self._fresh_done: set[str] = set()
        atexit.register(self.stop)

    def request(self, project: Project, bank: Bank, info: BookletInfo, config_file: Path, site: Path,
                fresh: bool = False) -> bool:
        """Put the booklet of this content in `site`, now if it is made already (True), else later
        (`recueil pdf` reads the same cover, `info`, from `config_file`)."""
        key = booklet_key(project, bank, info)
        with self._lock:
            self._site = site
            cached = cached_booklet(project, key)
            if cached is not None and (not fresh or key in self._fresh_done):
                self._publish(cached.path, site)
                return True
            _write_status(site, making=True)
            if self._job is not None and self._job[0] == key:
                return False  # already being printed
            self._stop_locked()
            self._start_locked(project, config_file, key, fresh)
            return False

    def _start_locked(self, project: Project, config_file: Path, key: str, fresh: bool) -> None:
        folder = cache_folder(project)
        folder.mkdir(parents=True, exist_ok=True)
        out = folder / f".serve-{os.getpid()}-{key}.pdf"
        command = [sys.executable, "-m", "recueil.cli", "--root", str(project.root), "pdf", "--out", str(out),
                   "--config", str(config_file)] + (["--fresh"] if fresh else [])
        if nice := shutil.which("nice"):  # low priority: the served site's rebuilds come first
            command = [nice, "-n", "10", *command]
        log.info(f"{GUIDE_PDF} : impression en arrière-plan, le site est servi sans attendre")
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self._job = (key, process, out)
        threading.Thread(target=self._wait, args=(project, key, process, out, fresh), daemon=True).start()

    def _wait(self, project: Project, key: str, process: subprocess.Popen[bytes], out: Path, fresh: bool) -> None:
        started = time.perf_counter()
        _, errors = process.communicate()
        out.unlink(missing_ok=True)
        with self._lock:
            if self._job is None or self._job[1] is not process:
                return  # stopped: another content is wanted now
            self._job = None
            cached = cached_booklet(project, key)
            if process.returncode != 0 or cached is None:
                message = errors.decode("utf-8", "replace").strip().splitlines()
                log.warning(f"{GUIDE_PDF} : impression impossible ({message[-1] if message else process.returncode})")
                if self._site is not None:
                    _write_status(self._site, making=False)
                return
            if fresh:
                self._fresh_done.add(key)
            if self._site is not None:
                self._publish(cached.path, self._site)
            log.info(f"{GUIDE_PDF} : {cached.pages} pages, prêt après {time.perf_counter() - started:.1f} s")

    @staticmethod
    def _publish(pdf: Path, site: Path) -> None:
        try:
            site.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".", suffix=".pdf", dir=site)
            os.close(handle)
            shutil.copyfile(pdf, temporary)
            os.chmod(temporary, 0o644)
            os.replace(temporary, site / GUIDE_PDF)
            _write_status(site, making=False)
        except OSError as error:  # the served folder moved under a rebuild: the next one copies it
            log.debug(f"{GUIDE_PDF} non copié ({error})")

    def stop(self) -> None:
        with self._lock:
            self._stop_locked()

    def _stop_locked(self) -> None:
        if self._job is not None:
            _, process, out = self._job
            self._job = None
            if process.poll() is None:
                process.terminate()
            out.unlink(missing_ok=True)


def _write_status(site: Path, making: bool) -> None:
    try:
        site.mkdir(parents=True, exist_ok=True)
        (site / PDF_STATUS).write_text(json.dumps({"etat": "en-cours" if making else "pret"}), encoding="utf-8")
    except OSError:
        pass


# The script a served page runs (hooks/recueil_hooks.py adds it under `mkdocs serve` only): while the
# status says the booklet is being made, its links say so instead of leading to a missing file.
STATUS_SCRIPT = """<script data-recueil-pdf-status="{status}">
(function () {{
  "use strict";
  var status = document.currentScript.getAttribute("data-recueil-pdf-status");
  var links = Array.prototype.filter.call(document.querySelectorAll("a[href]"), function (a) {{
    return /(^|\\/)guide\\.pdf$/.test(a.getAttribute("href"));
  }});
  if (!links.length) return;
  var saved = links.map(function (a) {{ return [a.getAttribute("href"), a.innerHTML]; }});
  function show(making) {{
    links.forEach(function (a, i) {{
      if (making) {{
        a.removeAttribute("href");
        a.setAttribute("aria-disabled", "true");
        a.style.color = "inherit";
        a.style.textDecoration = "none";
        a.textContent = "Le guide PDF est en cours de fabrication (il sera là dans une minute)";
      }} else if (!a.hasAttribute("href")) {{
        a.setAttribute("href", saved[i][0]);
        a.removeAttribute("aria-disabled");
        a.style.color = "";
        a.style.textDecoration = "";
        a.innerHTML = saved[i][1];
      }}
    }});
  }}
  function check() {{
    fetch(status, {{cache: "no-store"}})
      .then(function (r) {{ return r.ok ? r.json() : {{etat: "pret"}}; }})
      .then(function (s) {{ var making = s.etat === "en-cours"; show(making); if (making) setTimeout(check, 3000); }})
      .catch(function () {{ setTimeout(check, 5000); }});
  }}
  check();
}})();
</script>"""


def pdf_setting(environ: dict[str, str] | os._Environ[str] = os.environ) -> bool | None:
    """RECUEIL_PDF: '0' turns the PDF off, '1' forces a fresh one, unset leaves the default."""
    value = environ.get("RECUEIL_PDF", "").strip().lower()
    if value in {"0", "false", "no", "non", "off"}:
        return False
    if value in {"1", "true", "yes", "oui", "on"}:
        return True
    return None


def info_for(settings: dict[str, str], project: Project) -> BookletInfo:
    """The cover's words from the site's settings; the version names the engine and the content."""
    defaults = BookletInfo()
    return BookletInfo(title=settings.get("pdf_title", defaults.title),
                       subtitle=settings.get("pdf_subtitle", defaults.subtitle),
                       publisher=settings.get("site_name", defaults.publisher),
                       licence=settings.get("copyright", ""), site_url=settings.get("site_url", ""),
                       version=f"{__version__} (contenu {content_hash(project)[:10]})")
