"""The printed guide: one HTML booklet from the bank and the guide pages, rendered to PDF by WeasyPrint.

The booklet is not a capture of the web pages: dedicated print templates (`templates/pdf/`) lay out a
cover, a table of contents whose page numbers come from CSS `target-counter`, the guide's
introduction and values, each axis with its recommendations and the cases that illustrate them, an
annex with every case grouped by theme, and indexes by city size and by territory. Bookmarks,
running headers and page references are CSS (`bookmark-level`, `string-set`), so WeasyPrint computes
them from the real layout.

Card bodies are Markdown written by contributors: they are converted with the `markdown` package and
cleaned with nh3 before they reach the template. Nothing here imports MkDocs.
"""

from __future__ import annotations

import atexit
import dataclasses
import datetime as dt
import hashlib
import json
import logging
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from recueil import __version__
from recueil.addresses import DOCS_DIR, GUIDE_PDF, PDF_STATUS, axis_uri, case_uri, page_url, recommendation_uri
from recueil.bank.bank import Bank, Case, Recommendation
from recueil.cards.sanitize import HEADING_TAGS, LIST_TAGS, TABLE_TAGS, TAG_ATTRIBUTES, TEXT_TAGS, Policy, clean_html
from recueil.cards.structure import sections_of
from recueil.cards.suggest import did_you_mean, fold
from recueil.cards.taxonomy import Stratum, Term
from recueil.project import Project
from recueil.site.dates import french_date
from recueil.site.environment import TEMPLATES_DIR, shared_environment

PACKAGE_DIR = Path(__file__).resolve().parent
ENGINE_DIR = PACKAGE_DIR.parent  # the recueil package: its templates and fonts are named from there
FONTS_DIR = PACKAGE_DIR / "fonts"
# Booklets already printed, one file per content (see `booklet_key`): <root>/.cache/recueil/pdf/,
# or $RECUEIL_CACHE/pdf/. CI keeps that folder between runs.
CACHE_ENV = "RECUEIL_CACHE"
CACHE_KEPT = 8  # booklets kept in the cache folder, the most recently used
TEMPLATE = "pdf/booklet.html.j2"
STYLESHEET = "pdf/booklet.css.j2"
GUIDE_FRONT = ("guide/introduction.md", "guide/valeurs.md")
GUIDE_BACK = ("guide/credits.md",)
# WeasyPrint 70 writes the structure tree of a tagged PDF in a time that grows with pages × tags
# (about 3 s at 200 pages, minutes at 2,000): past this many pages the PDF is written untagged.
TAGGED_PAGE_LIMIT = 400
# Cards come from pull requests: their HTML goes through the engine's allow-list, narrowed for print:
# no images (WeasyPrint would fetch them while printing), classes only where the print templates read
# them (so a card cannot pass for a part title in the bookmarks), and headings from h2 down.
PRINT_POLICY = Policy(
    tags=(TEXT_TAGS - {"img", "figure", "figcaption"}) | (HEADING_TAGS - {"h1"}) | LIST_TAGS | TABLE_TAGS,
    attributes={"*": frozenset({"title", "lang", "dir"}), **TAG_ATTRIBUTES,
                "a": frozenset({"href", "hreflang", "class"}), "span": frozenset({"class"})},
)


class SelectionError(ValueError):
    """A selection names a theme, size, axis or programme that does not exist."""


# --- Selections -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Selection:
    """Which cases a booklet holds. Within one facet any value matches; facets combine with AND."""

    themes: tuple[str, ...] = ()
    strata: tuple[str, ...] = ()
    axis: str | None = None
    programme: str | None = None

    @property
    def is_everything(self) -> bool:
        return not (self.themes or self.strata or self.axis or self.programme)

    def matches(self, case: Case, bank: Bank) -> bool:
        meta = case.meta
        return ((not self.themes or any(theme in self.themes for theme in meta.themes))
                and (not self.strata or case.stratum.id in self.strata)
                and (self.axis is None or any(bank.recommendation_by_slug[ref].meta.axis == self.axis
                                              for ref in meta.recommendations))
                and (self.programme is None or meta.programme == self.programme))

    def check(self, bank: Bank) -> None:
        """Raise SelectionError, in French, for any id the vocabularies do not know."""
        taxonomy = bank.taxonomy
        strata_ids = [stratum.id for stratum in taxonomy.strata_with_unknown]
        wanted = [("themes", "--theme", theme, taxonomy.ids("themes")) for theme in self.themes]
        wanted += [("strata", "--taille", stratum, strata_ids) for stratum in self.strata]
        if self.axis is not None:
            wanted.append(("axes", "--axe", self.axis, taxonomy.ids("axes")))
        if self.programme is not None:
            wanted.append(("programmes", "--programme", self.programme, taxonomy.ids("programmes")))
        for _, option, value, known in wanted:
            if value not in known:
                raise SelectionError(f"{option} {value} : identifiant inconnu ({did_you_mean(value, known)})")

    def describe(self, bank: Bank) -> list[str]:
        """The selection in words, for the cover: ['Thème : Mobilité', …]."""
        taxonomy = bank.taxonomy
        lines = []
        if self.themes:
            lines.append("Thème : " + ", ".join(taxonomy.term("themes", t).label for t in self.themes))
        if self.strata:
            labels = {s.id: s.label for s in taxonomy.strata_with_unknown}
            lines.append("Taille : " + ", ".join(labels[s] for s in self.strata))
        if self.axis:
            lines.append(f"Axe {self.axis} : {taxonomy.term('axes', self.axis).label}")
        if self.programme:
            lines.append("Programme : " + taxonomy.term("programmes", self.programme).label)
        return lines


def select_cases(bank: Bank, themes: Iterable[str] = (), strata: Iterable[str] = (), axis: str | None = None,
                 programme: str | None = None) -> list[Case]:
    """The cases of the bank that match every given facet (any value within a facet)."""
    selection = Selection(tuple(themes), tuple(strata), axis, programme)
    selection.check(bank)
    return [case for case in bank.cases if selection.matches(case, bank)]


# --- Markdown to clean print HTML -----------------------------------------------------------------

class _PrintTree(Treeprocessor):
    """Shift heading levels under the booklet's own, and point links at the booklet when it can."""

    def __init__(self, md: markdown.Markdown, resolve: Callable[[str], str | None], shift: int):
        super().__init__(md)
        self.resolve = resolve
        self.shift = shift

    def run(self, root: ElementTree.Element) -> None:
        for element in root.iter():
            if element.tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
                element.tag = f"h{min(6, int(element.tag[1]) + self.shift)}"
        for parent in list(root.iter()):
            for index, child in reversed(list(enumerate(parent))):
                if child.tag == "a":
                    self._relink(parent, index, child)

    def _relink(self, parent: ElementTree.Element, index: int, link: ElementTree.Element) -> None:
        target = self.resolve(link.get("href", ""))
        if target is None:  # a page the printed booklet cannot point to: keep the words only
            link.tag, link.attrib = "span", {}
            return
        link.set("href", target)
        if target.startswith(("http://", "https://")):
            text = "".join(link.itertext()).strip()
            if text.rstrip("/") == target.rstrip("/"):
                link.set("class", "bare")
            else:  # on paper the address must be readable, not clickable: print it after the words
                shown = ElementTree.Element("span", {"class": "url"})
                shown.text = target
                shown.tail = link.tail
                link.tail = " "
                parent.insert(index + 1, shown)


class _PrintExtension(Extension):
    def __init__(self, resolve: Callable[[str], str | None], shift: int):
        super().__init__()
        self.resolve = resolve
        self.shift = shift

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (markdown's API)
        md.treeprocessors.register(_PrintTree(md, self.resolve, self.shift), "recueil_print", 1)


WEB_ONLY = re.compile(r'^<p class="recueil-pdf-link">.*?</p>\s*$', re.MULTILINE)


class LinkMap:
    """Where a link written in a page (relative .md path or URL) goes in the printed booklet."""

    def __init__(self, anchors: dict[str, str], site_url: str):
        self.anchors = anchors  # src_uri → '#anchor' for every page the booklet contains
        self.site_url = site_url.rstrip("/") + "/" if site_url else ""

    def resolve(self, href: str, page_uri: str) -> str | None:
        if href.startswith(("http://", "https://", "mailto:")):
            return href
        if href.startswith("#") or not href:
            return None  # an anchor inside a web page means nothing once pages are merged
        path = href.split("#", 1)[0]
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page_uri), path))
        if target in self.anchors:
            return self.anchors[target]
        if self.site_url and not target.startswith(".."):  # a page or a file of the site: its address
            return self.site_url + (page_url(target) if target.endswith(".md") else target)
        return None

    def converter(self, page_uri: str, shift: int) -> Callable[[str], Markup]:
        def convert(text: str) -> Markup:
            text = WEB_ONLY.sub("", text)  # "download the PDF" means nothing inside the PDF
            extension = _PrintExtension(lambda href: self.resolve(href, page_uri), shift)
            html = markdown.markdown(text, extensions=["tables", "sane_lists", "attr_list", "fenced_code", extension])
            return Markup(clean_html(html, PRINT_POLICY))
        return convert


# --- What the booklet holds -----------------------------------------------------------------------

@dataclass(frozen=True)
class BookletInfo:
    """What the cover and the PDF metadata say."""

    title: str = "Guide pour l'action DataCités"
    subtitle: str = ("Produire et piloter des data services urbains d'intérêt général, "
                     "avec la banque d'expériences des collectivités")
    publisher: str = "Recueil DataCités"
    licence: str = ""
    site_url: str = ""
    version: str = __version__
    date: dt.date = field(default_factory=lambda: build_date())


def build_date() -> dt.date:
    """Today, unless SOURCE_DATE_EPOCH pins the date (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


@dataclass
class GuidePart:
    anchor: str
    title: str
    html: Markup


@dataclass
class RecommendationBlock:
    rec: Recommendation
    axis: Term
    sections: list[tuple[str, Markup]]
    resources: Markup
    cases: list[Case]


@dataclass
class AxisBlock:
    axis: Term
    recommendations: list[RecommendationBlock]


@dataclass
class CaseBlock:
    case: Case
    sections: list[tuple[str, Markup]]
    recommendations: list[Recommendation]


@dataclass
class ThemeBlock:
    theme: Term
    cases: list[CaseBlock]
    see_also: list[Case]


@dataclass
class Booklet:
    """Everything the print template needs, computed once."""

    info: BookletInfo
    selection: Selection
    front: list[GuidePart]
    axes: list[AxisBlock]
    annex: list[ThemeBlock]
    by_stratum: list[tuple[Stratum, list[Case]]]
    by_territory: list[tuple[str, list[Case]]]
    back: list[GuidePart]
    cases: list[Case]

    @property
    def recommendation_slugs(self) -> set[str]:
        return {block.rec.slug for axis in self.axes for block in axis.recommendations}


def anchor_of_case(slug: str) -> str:
    return f"cas-{slug}"


def anchor_of_recommendation(slug: str) -> str:
    return f"rec-{slug}"


def anchor_of_axis(axis_id: str) -> str:
    return f"axe-{axis_id.lower()}"


def anchor_of_guide(src_uri: str) -> str:
    return "guide-" + Path(src_uri).stem


class BookletMaker:
    """Builds the booklet of a bank: the whole guide, or a selection of cases with their recommendations."""

    def __init__(self, bank: Bank, project: Project, info: BookletInfo, selection: Selection | None = None):
        self.bank = bank
        self.project = project
        self.info = info
        self.selection = selection or Selection()
        self.selection.check(bank)
        self.cases = [case for case in bank.cases if self.selection.matches(case, bank)]
        self.guide_files = self._guide_files()
        self.links = LinkMap(self._anchors(), info.site_url)

    def _guide_files(self) -> dict[str, Path]:
        """The hand-written guide pages to print (none in a selection, which is a dossier on its subject)."""
        if not self.selection.is_everything:
            return {}
        files = {uri: self.project.root / DOCS_DIR / uri for uri in (*GUIDE_FRONT, *GUIDE_BACK)}
        return {uri: path for uri, path in files.items() if path.is_file()}

    def _anchors(self) -> dict[str, str]:
        anchors = {case_uri(case.slug): "#" + anchor_of_case(case.slug) for case in self.cases}
        anchors.update({recommendation_uri(rec.slug): "#" + anchor_of_recommendation(rec.slug)
                        for axis in self.bank.taxonomy.axes for rec in self._recommendations(axis)})
        anchors.update({axis_uri(axis.id): "#" + anchor_of_axis(axis.id)
                        for axis in self.bank.taxonomy.axes if self._recommendations(axis)})
        anchors.update({uri: "#" + anchor_of_guide(uri) for uri in self.guide_files})
        return anchors

    def _recommendations(self, axis: Term) -> list[Recommendation]:
        recs = self.bank.recommendations_in(axis)
        if self.selection.is_everything:
            return recs
        if self.selection.axis is not None and axis.id != self.selection.axis:
            return []
        chosen = {case.slug for case in self.cases}
        return [rec for rec in recs if any(case.slug in chosen for case in rec.cases)]

    def booklet(self) -> Booklet:
        return Booklet(self.info, self.selection, self._guide(GUIDE_FRONT), self._axes(), self._annex(),
                       self._by_stratum(), self._by_territory(), self._guide(GUIDE_BACK), self.cases)

    def _guide(self, uris: Sequence[str]) -> list[GuidePart]:
        parts = []
        for uri in uris:
            if uri in self.guide_files:
                title, body = _split_title(self.guide_files[uri].read_text(encoding="utf-8"), uri)
                parts.append(GuidePart(anchor_of_guide(uri), title, self.links.converter(uri, 0)(body)))
        return parts

    def _axes(self) -> list[AxisBlock]:
        chosen = {case.slug for case in self.cases}
        blocks = []
        for axis in self.bank.taxonomy.axes:
            recs = [self._recommendation(rec, axis, [c for c in rec.cases if c.slug in chosen])
                    for rec in self._recommendations(axis)]
            if recs:
                blocks.append(AxisBlock(axis, recs))
        return blocks

    def _recommendation(self, rec: Recommendation, axis: Term, cases: list[Case]) -> RecommendationBlock:
        convert = self.links.converter(recommendation_uri(rec.slug), 2)
        sections = [(title, convert(text)) for title, text in sections_of(rec.card.body)]
        return RecommendationBlock(rec, axis, sections, convert(rec.meta.resources), cases)

    def _annex(self) -> list[ThemeBlock]:
        """Each case once, under its main theme; the other themes list it in 'see also'."""
        blocks = []
        for theme in self.bank.taxonomy.themes:
            main = [c for c in self.cases if c.meta.themes[0] == theme.id]
            also = [c for c in self.cases if theme.id in c.meta.themes[1:]]
            if main or also:
                blocks.append(ThemeBlock(theme, [self._case(c) for c in main], also))
        return blocks

    def _case(self, case: Case) -> CaseBlock:
        convert = self.links.converter(case_uri(case.slug), 2)
        sections = [(title, convert(text)) for title, text in sections_of(case.card.body)]
        return CaseBlock(case, sections, self.bank.recommendations_of(case))

    def _by_stratum(self) -> list[tuple[Stratum, list[Case]]]:
        groups = [(stratum, [c for c in self.cases if c.stratum.id == stratum.id])
                  for stratum in self.bank.taxonomy.strata_with_unknown]
        return [(stratum, cases) for stratum, cases in groups if cases]

    def _by_territory(self) -> list[tuple[str, list[Case]]]:
        groups: dict[str, list[Case]] = {}
        for case in self.cases:
            groups.setdefault(case.meta.territory.name or "", []).append(case)
        return sorted(groups.items(), key=lambda item: (fold(item[0]), item[0]))


def _split_title(text: str, uri: str) -> tuple[str, str]:
    """A guide page's `# Title` line, and the rest of the page."""
    lines = text.lstrip("\ufeff").splitlines()
    for index, line in enumerate(lines):
        if line.startswith("# "):
            return line[2:].strip(), "\n".join(lines[index + 1:])
    return Path(uri).stem.capitalize(), text


# --- HTML and PDF ---------------------------------------------------------------------------------

def booklet_html(bank: Bank, project: Project, info: BookletInfo, selection: Selection | None = None) -> str:
    """The whole booklet as one HTML document, styles included, ready for WeasyPrint."""
    booklet = BookletMaker(bank, project, info, selection).booklet()
    env = shared_environment(project.templates)
    styles = env.get_template(STYLESHEET).render(fonts=FONTS_DIR.as_uri())
    html = env.get_template(TEMPLATE).render(
        b=booklet, info=info, taxonomy=bank.taxonomy, styles=Markup(styles), date=french_date(info.date),
        selection_lines=booklet.selection.describe(bank), case_anchor=anchor_of_case,
        rec_anchor=anchor_of_recommendation, axis_anchor=anchor_of_axis, generator=f"recueil {__version__}")
    # The shipped fonts have no narrow no-break space (French "12 345", "Boston :"): a plain one keeps
    # the words together without falling back to another font.
    return html.replace("\u202f", "\u00a0")


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


# --- Building the file, once per content ------------------------------------------------------------

def content_hash(project: Project) -> str:
    """A digest of everything the booklet is made of, so an unchanged bank is not printed twice: the
    cards, the guide pages it prints, the vocabularies, the print templates (the engine's and the
    site's), the fonts, and the engine (its version and this module)."""
    digest = hashlib.sha256(__version__.encode())
    roots = [project.cases, project.recommendations, project.templates, TEMPLATES_DIR / "pdf", FONTS_DIR]
    files = [project.taxonomy, Path(__file__), *(project.root / DOCS_DIR / uri for uri in (*GUIDE_FRONT, *GUIDE_BACK))]
    for root in roots:
        if root.is_dir():
            files += sorted(path for path in root.rglob("*") if path.is_file())
    for path in files:
        if path.is_file():
            digest.update(str(path.relative_to(project.root) if path.is_relative_to(project.root) else
                              path.relative_to(ENGINE_DIR)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def booklet_key(project: Project, info: BookletInfo, selection: Selection | None = None) -> str:
    """What names one booklet in the cache: its content, its cover's words and its selection. Not the
    date: a booklet printed yesterday from the same content is the same booklet (its cover keeps the
    date it was first printed)."""
    cover = dataclasses.replace(info, date=dt.date(2000, 1, 1))
    chosen = selection if selection is not None and not selection.is_everything else Selection()
    return hashlib.sha256(f"{content_hash(project)}\0{cover!r}\0{chosen!r}".encode()).hexdigest()[:32]


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


_rendered: dict[str, RenderedPdf] = {}  # last PDF per key; survives MkDocs' re-imports of the hooks


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
    key = booklet_key(project, info, selection)
    started = time.perf_counter()
    target.parent.mkdir(parents=True, exist_ok=True)
    rendered = _rendered.get(key) if reuse else None
    if rendered is None and reuse and (cached := cached_booklet(project, key)) is not None:
        shutil.copyfile(cached.path, target)
        return PdfOutcome(target, cached.pages, time.perf_counter() - started, True, cached.tagged)
    reused = rendered is not None
    if rendered is None:
        rendered = render_pdf(booklet_html(bank, project, info, selection))
        _store(project, key, rendered)
        _rendered.clear()
        _rendered[key] = rendered
    target.write_bytes(rendered.data)
    return PdfOutcome(target, rendered.pages, time.perf_counter() - started, reused, rendered.tagged)


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

    def request(self, project: Project, info: BookletInfo, config_file: Path, site: Path, fresh: bool = False) -> bool:
        """Put the booklet of this content in `site`, now if it is made already (True), else later
        (`recueil pdf` reads the same cover, `info`, from `config_file`)."""
        key = booklet_key(project, info)
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
