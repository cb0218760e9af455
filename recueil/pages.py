"""Every generated page, as Markdown with HTML blocks, rendered from one Jinja environment.

Fields go through autoescaping inside HTML blocks (Markdown never reinterprets them); only the
bodies of the cards are Markdown, converted once by the site engine. Links between generated
pages are computed here as relative URLs, so the output does not depend on the engine.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from markupsafe import Markup
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined, select_autoescape

from .linking import Bank, Case, Recommendation
from .loading import sections_of
from .project import Project
from .taxonomy import Term


@dataclass(frozen=True)
class GeneratedPage:
    """A page the engine makes: where it goes, its Markdown, and the card it comes from."""

    src_uri: str
    content: str
    source: str | None = None


def page_url(src_uri: str) -> str:
    """The directory URL of a page: 'cas/x.md' → 'cas/x/', 'cas/index.md' → 'cas/'."""
    stem = src_uri[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")]
        return stem
    return stem + "/"


def relative_url(target: str, start: str) -> str:
    """Link from the page `start` to the page (or file) `target`, both given as src_uri."""
    here = page_url(start)
    there = page_url(target) if target.endswith(".md") else target
    link = posixpath.relpath(there or ".", here or ".")
    return link + "/" if target.endswith(".md") and link != "." else ("./" if link == "." else link)


def case_uri(slug: str) -> str:
    return f"cas/{slug}.md"


def recommendation_uri(slug: str) -> str:
    return f"recommandations/{slug}.md"


def axis_uri(axis_id: str) -> str:
    return f"axes/{axis_id.lower()}.md"


def theme_uri(theme_id: str) -> str:
    return f"themes/{theme_id}.md"


def stratum_uri(stratum_id: str) -> str:
    return f"tailles/{stratum_id}.md"


BANK_URI = "cas/index.md"
RECOMMENDATIONS_URI = "recommandations/index.md"
THEMES_URI = "themes/index.md"
STRATA_URI = "tailles/index.md"


def recommendation_nav(bank: Bank) -> list[Any]:
    """The nav section of the recommendations, by axis, in MkDocs' nav format (plain data)."""
    section: list[Any] = [{"Vue d'ensemble": RECOMMENDATIONS_URI}]
    for axis in bank.taxonomy.axes:
        entries: list[Any] = [{f"Axe {axis.id} en bref": axis_uri(axis.id)}]
        entries += [{f"{rec.meta.number}. {rec.meta.title}": recommendation_uri(rec.slug)}
                    for rec in bank.recommendations_in(axis)]
        section.append({f"Axe {axis.id} : {axis.label}": entries})
    return section


def thousands(value: int | None) -> str:
    """12345 → '12 345' (narrow no-break space, as French typography wants)."""
    return "" if value is None else f"{value:,}".replace(",", "\u202f")


class PageMaker:
    """Renders the pages of one bank. Build it once per build; render pages on demand."""

    def __init__(self, bank: Bank, project: Project):
        self.bank = bank
        self.project = project

    @cached_property
    def env(self) -> Environment:
        return make_environment(self.project.templates)

    def pages(self) -> Iterator[GeneratedPage]:
        yield from self.case_pages()
        yield from self.recommendation_pages()
        yield from self.facet_pages()

    def case_pages(self) -> Iterator[GeneratedPage]:
        template = self.env.get_template("case.md.j2")
        for case in self.bank.cases:
            yield self._render(template, case_uri(case.slug), case.card.path, case=case,
                               recommendations=self.bank.recommendations_of(case),
                               related=self.bank.related(case), sections=sections_of(case.card.body))

    def recommendation_pages(self) -> Iterator[GeneratedPage]:
        template = self.env.get_template("recommendation.md.j2")
        for rec in self.bank.recommendations:
            yield self._render(template, recommendation_uri(rec.slug), rec.card.path, rec=rec,
                               axis=self.bank.taxonomy.term("axes", rec.meta.axis),
                               sections=sections_of(rec.card.body))
        yield self._render(self.env.get_template("recommendations.md.j2"), RECOMMENDATIONS_URI)

    def facet_pages(self) -> Iterator[GeneratedPage]:
        taxonomy = self.bank.taxonomy
        for axis in taxonomy.axes:
            yield self._render(self.env.get_template("axis.md.j2"), axis_uri(axis.id), axis=axis,
                               recommendations=self.bank.recommendations_in(axis),
                               cases=self.bank.cases_by_axis.get(axis.id, []))
        for theme in taxonomy.themes:
            yield self._render(self.env.get_template("theme.md.j2"), theme_uri(theme.id), theme=theme,
                               cases=self.bank.cases_by_theme.get(theme.id, []))
        for stratum in taxonomy.strata:
            yield self._render(self.env.get_template("stratum.md.j2"), stratum_uri(stratum.id), stratum=stratum,
                               cases=self.bank.cases_by_stratum.get(stratum.id, []))
        yield self._render(self.env.get_template("themes.md.j2"), THEMES_URI)
        yield self._render(self.env.get_template("strata.md.j2"), STRATA_URI)
        yield self._render(self.env.get_template("bank.md.j2"), BANK_URI)

    def _render(self, template: Any, uri: str, source: str | None = None, **context: Any) -> GeneratedPage:
        content = template.render(page_uri=uri, bank=self.bank, taxonomy=self.bank.taxonomy,
                                  link=_linker(uri), **context)
        return GeneratedPage(uri, content, source)


def _linker(start: str) -> Callable[[str], str]:
    def link(target: str) -> str:
        return relative_url(target, start)
    return link


def yaml_scalar(text: object) -> Markup:
    """A string as one YAML scalar for a page's front matter (YAML quoting, not HTML escaping)."""
    dumped = yaml.safe_dump(str(text), allow_unicode=True, width=100_000, default_style='"')
    return Markup(dumped.strip().removesuffix("...").strip())


def make_environment(overrides: Path | None = None) -> Environment:
    loaders: list[Any] = [PackageLoader("recueil", "templates")]
    if overrides is not None and overrides.is_dir():
        loaders.insert(0, FileSystemLoader(overrides))
    env = Environment(loader=ChoiceLoader(loaders), autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["thousands"] = thousands
    env.filters["yaml_str"] = yaml_scalar
    env.globals.update(case_uri=case_uri, recommendation_uri=recommendation_uri, axis_uri=axis_uri,
                       theme_uri=theme_uri, stratum_uri=stratum_uri, BANK_URI=BANK_URI,
                       RECOMMENDATIONS_URI=RECOMMENDATIONS_URI, THEMES_URI=THEMES_URI, STRATA_URI=STRATA_URI)
    return env


def facet_label(term: Term) -> str:
    return term.short or term.label


__all__ = ["GeneratedPage", "PageMaker", "page_url", "relative_url", "Case", "Recommendation"]
