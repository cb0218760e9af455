"""Every generated page, as Markdown with HTML blocks, rendered from one Jinja environment.

Fields go through autoescaping inside HTML blocks (Markdown never reinterprets them); only the
bodies of the cards are Markdown, converted once by the site engine. Links between generated
pages are computed here as relative URLs, so the output does not depend on the engine.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property, partial
from typing import Any

from jinja2 import Environment

from recueil.addresses import (
    BANK_URI,
    MAP_URI,
    RECOMMENDATIONS_URI,
    SEARCH_URI,
    STRATA_URI,
    THEMES_URI,
    axis_uri,
    case_uri,
    page_url,
    recommendation_uri,
    relative_url,
    stratum_uri,
    theme_uri,
)
from recueil.bank.bank import Bank, Case, Recommendation
from recueil.bank.facets import bank_context, value_labels
from recueil.cards.structure import sections_of
from recueil.memory import MEMORY
from recueil.project import Project
from recueil.search.filters import case_filters, recommendation_filters, url_parameters
from recueil.site.environment import TEMPLATES_DIR, shared_environment
from recueil.site.france_map import group_by_region
from recueil.site.update_link import update_issue_url


@dataclass(frozen=True)
class GeneratedPage:
    """A page the engine makes: where it goes, its Markdown, and the card it comes from."""

    src_uri: str
    content: str
    source: str | None = None


def illustrated(bank: Bank, cases: list[Case]) -> list[tuple[Recommendation, int]]:
    """The recommendations these cases illustrate, in number order, each with how many of them do."""
    counts = Counter(ref for case in cases for ref in case.meta.recommendations)
    return [(rec, counts[rec.slug]) for rec in bank.recommendations if counts[rec.slug]]


def recommendation_nav(bank: Bank) -> list[Any]:
    """The nav section of the recommendations, by axis, in MkDocs' nav format (plain data)."""
    section: list[Any] = [{"Vue d'ensemble": RECOMMENDATIONS_URI}]
    for axis in bank.taxonomy.axes:
        entries: list[Any] = [{f"Axe {axis.id} en bref": axis_uri(axis.id)}]
        entries += [{rec.meta.label: recommendation_uri(rec.slug)}
                    for rec in bank.recommendations_in(axis)]
        section.append({f"Axe {axis.id} : {axis.label}": entries})
    return section


class PageMaker:
    """Renders the pages of one bank. Build it once per build; render pages on demand."""

    def __init__(self, bank: Bank, project: Project, site_url: str = "", repo_url: str = ""):
        """site_url and repo_url (mkdocs.yml): for the « Signaler une mise à jour » link of the card pages."""
        self.bank = bank
        self.project = project
        self.site_url = site_url
        self.repo_url = repo_url

    @cached_property
    def env(self) -> Environment:
        return shared_environment(self.project.templates)

    def pages(self) -> Iterator[GeneratedPage]:
        yield from self.case_pages()
        yield from self.recommendation_pages()
        yield from self.facet_pages()

    def case_pages(self) -> Iterator[GeneratedPage]:
        """One page per case: it reads its own card, the fields (never the text) of its
        recommendations and related cases, and the vocabularies."""
        template = self.env.get_template("case.md.j2")
        for case in self.bank.cases:
            recommendations, related = self.bank.recommendations_of(case), self.bank.related(case)
            uri = case_uri(case.slug)
            inputs = (case.card.path, case.card.meta, case.card.body, case.stratum, case.status_to_confirm,
                      self.site_url, self.repo_url,
                      tuple((rec.slug, rec.card.meta) for rec in recommendations),
                      tuple((other.slug, other.card.path, other.card.meta, other.stratum) for other in related))
            yield self._reuse(template, uri, inputs, partial(
                self._case_page, template, uri, case, recommendations, related))

    def _case_page(self, template: Any, uri: str, case: Case, recommendations: list[Recommendation],
                   related: list[Case]) -> GeneratedPage:
        page_address = self.site_url.rstrip("/") + "/" + page_url(uri) if self.site_url else page_url(uri)
        update_url = update_issue_url(self.repo_url, case.meta.title, page_address, case.card.path)
        return self._render_now(template, uri, case.card.path, case=case, recommendations=recommendations,
                                related=related, sections=sections_of(case.card.body), update_url=update_url,
                                search_filters=case_filters(case, self.bank, self._filter_labels))

    def recommendation_pages(self) -> Iterator[GeneratedPage]:
        template = self.env.get_template("recommendation.md.j2")
        for rec in self.bank.recommendations:
            uri = recommendation_uri(rec.slug)
            yield self._reuse(template, uri, (rec.card.body, self._listing), partial(
                self._render_now, template, uri, rec.card.path, rec=rec,
                axis=self.bank.taxonomy.term("axes", rec.meta.axis), sections=sections_of(rec.card.body),
                search_filters=recommendation_filters(rec, self._filter_labels)))
        yield self._render(self.env.get_template("recommendations.md.j2"), RECOMMENDATIONS_URI)

    def facet_pages(self) -> Iterator[GeneratedPage]:
        """The pages of each axis, theme and size, their indexes, the map, the bank and the search page."""
        taxonomy = self.bank.taxonomy
        for axis in taxonomy.axes:
            yield self._render(self.env.get_template("axis.md.j2"), axis_uri(axis.id), axis=axis,
                               recommendations=self.bank.recommendations_in(axis),
                               cases=self.bank.cases_by_axis.get(axis.id, []))
        for theme in taxonomy.themes:
            cases = self.bank.cases_by_theme.get(theme.id, [])
            yield self._render(self.env.get_template("theme.md.j2"), theme_uri(theme.id), theme=theme, cases=cases,
                               recommendations=illustrated(self.bank, cases))
        for stratum in taxonomy.strata:
            yield self._render(self.env.get_template("stratum.md.j2"), stratum_uri(stratum.id), stratum=stratum,
                               cases=self.bank.cases_by_stratum.get(stratum.id, []))
        yield self._render(self.env.get_template("themes.md.j2"), THEMES_URI)
        yield self._render(self.env.get_template("strata.md.j2"), STRATA_URI)
        yield self._render(self.env.get_template("map.md.j2"), MAP_URI,
                           cases_by_region=group_by_region(self.bank.cases))
        yield self._render(self.env.get_template("bank.md.j2"), BANK_URI, **bank_context(self.bank))
        yield self._render(self.env.get_template("search.md.j2"), SEARCH_URI, parameters=url_parameters(self.bank))

    def _render(self, template: Any, uri: str, source: str | None = None, **context: Any) -> GeneratedPage:
        """A listing page (bank, themes, sizes, axes, map...): it shows the fields of the cards,
        never their text, so it is rendered again only when a field of a card changed."""
        return self._reuse(template, uri, (source, self._listing),
                           partial(self._render_now, template, uri, source, **context))

    def _render_now(self, template: Any, uri: str, source: str | None = None, **context: Any) -> GeneratedPage:
        content = template.render(page_uri=uri, bank=self.bank, taxonomy=self.bank.taxonomy,
                                  link=_linker(uri), **context)
        return GeneratedPage(uri, content, source)

    def _reuse(self, template: Any, uri: str, inputs: tuple[Any, ...],
               render: Callable[[], GeneratedPage]) -> GeneratedPage:
        """The page of the previous build when its template and inputs are equal (`mkdocs serve`
        rebuilds everything after each edit, recueil/memory.py); else a new rendering."""
        return MEMORY.recall("pages", uri, (template, self._templates_version, self.bank.taxonomy, inputs), render)

    @cached_property
    def _templates_version(self) -> tuple[tuple[str, int, int], ...]:
        """Every page template with its mtime and size: a template imports others (macros). The
        PDF's templates, in a subfolder, do not make pages."""
        overrides = self.project.templates
        folders = [TEMPLATES_DIR] + ([overrides] if overrides.is_dir() else [])
        return tuple((str(path), path.stat().st_mtime_ns, path.stat().st_size)
                     for folder in folders for path in sorted(folder.glob("*")) if path.is_file())

    @cached_property
    def _filter_labels(self) -> Any:
        """The names and value labels of the search filters (the bank's facets), once per build."""
        return value_labels(self.bank)

    @cached_property
    def _listing(self) -> object:
        """A token that stays the same object while no field of a card changes (texts are left out), nor
        which statuses are « à confirmer » (a day can pass under `mkdocs serve`): the listing pages compare
        it instead of every card's fields."""
        signature = (tuple((case.slug, case.card.path, case.card.meta, case.status_to_confirm)
                           for case in self.bank.cases),
                     tuple((rec.slug, rec.card.path, rec.card.meta) for rec in self.bank.recommendations))
        return MEMORY.recall("card fields", None, signature, object)
def _linker(start: str) -> Callable[[str], str]:
    def link(target: str) -> str:
        return relative_url(target, start)
    return link
