"""What the printed guide holds: which cases (a selection), in which parts and groups, as one HTML document.

The booklet is not a capture of the web pages: dedicated print templates (`templates/pdf/`) lay out a
cover, a table of contents whose page numbers come from CSS `target-counter`, the guide's
introduction and values, each axis with its recommendations and the cases that illustrate them, an
annex with every case grouped by theme, and indexes by city size and by territory. Bookmarks,
running headers and page references are CSS (`bookmark-level`, `string-set`), so the printer
(`pdf.py`, WeasyPrint) computes them from the real layout.

Card bodies are Markdown written by contributors: `print_text.py` converts and cleans them before
they reach the template. Nothing here imports MkDocs or WeasyPrint.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from recueil import __version__
from recueil.addresses import DOCS_DIR, axis_uri, case_uri, recommendation_uri
from recueil.bank.bank import Bank, Case, Recommendation
from recueil.bank.facets import selects
from recueil.bank.freshness import build_date
from recueil.cards.rendering import site_markdown
from recueil.cards.structure import sections_of
from recueil.cards.suggest import did_you_mean, fold
from recueil.cards.taxonomy import Stratum, Term
from recueil.outputs.print_text import LinkMap
from recueil.project import Project
from recueil.site.dates import french_date
from recueil.site.environment import shared_environment

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
TEMPLATE = "pdf/booklet.html.j2"
STYLESHEET = "pdf/booklet.css.j2"
GUIDE_FRONT = ("guide/introduction.md", "guide/valeurs.md")
GUIDE_BACK = ("guide/credits.md",)


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
        """The bank's own rule (`facets.selects`), on its facets of the same names."""
        return selects(case, bank, {"theme": self.themes, "taille": self.strata,
                                    "axe": [self.axis.lower()] if self.axis else [],
                                    "programme": [self.programme] if self.programme else []})

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
        self.links = LinkMap(self._anchors(), info.site_url, site_markdown(project.root))

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


# --- The booklet as HTML -------------------------------------------------------------------------

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
