"""Every generated page, as Markdown with HTML blocks, rendered from one Jinja environment.

Fields go through autoescaping inside HTML blocks (Markdown never reinterprets them); only the
bodies of the cards are Markdown, converted once by the site engine. Links between generated
pages are computed here as relative URLs, so the output does not depend on the engine.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from .dates import partial_date
from .linking import Bank, Case, Recommendation
from .mapping import FranceMap, group_by_region, layout_france_map
from .models import MULTI_TERRITORY
from .project import Project
from .rebuild import compiled_templates
from .structure import sections_of
from .taxonomy import Stratum


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
    link = _relpath(there, here)
    return link + "/" if target.endswith(".md") and link != "." else ("./" if link == "." else link)


def _relpath(there: str, here: str) -> str:
    """posixpath.relpath for two paths of the site, without its abspath and getcwd (a build calls
    this about ten times per case page)."""
    if ".." in there or ".." in here:
        return posixpath.relpath(there or ".", here or ".")
    to = [part for part in there.split("/") if part and part != "."]
    start = [part for part in here.split("/") if part and part != "."]
    common = 0
    while common < min(len(to), len(start)) and to[common] == start[common]:
        common += 1
    return "/".join([".."] * (len(start) - common) + to[common:]) or "."


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
MAP_URI = "carte/index.md"
SEARCH_URI = "recherche/index.md"


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
            inputs = (case.card.path, case.card.meta, case.card.body, case.stratum,
                      tuple((rec.slug, rec.card.meta) for rec in recommendations),
                      tuple((other.slug, other.card.path, other.card.meta, other.stratum) for other in related))
            yield self._reuse(template, uri, inputs, partial(
                self._case_page, template, uri, case, recommendations, related))

    def _case_page(self, template: Any, uri: str, case: Case, recommendations: list[Recommendation],
                   related: list[Case]) -> GeneratedPage:
        from .search import case_filters  # imported here: search builds on facets, which builds on this module

        return self._render_now(template, uri, case.card.path, case=case, recommendations=recommendations,
                                related=related, sections=sections_of(case.card.body),
                                search_filters=case_filters(case, self.bank, self._filter_labels))

    def recommendation_pages(self) -> Iterator[GeneratedPage]:
        from .search import recommendation_filters

        template = self.env.get_template("recommendation.md.j2")
        for rec in self.bank.recommendations:
            uri = recommendation_uri(rec.slug)
            yield self._reuse(template, uri, (rec.card.body, self._listing), partial(
                self._render_now, template, uri, rec.card.path, rec=rec,
                axis=self.bank.taxonomy.term("axes", rec.meta.axis), sections=sections_of(rec.card.body),
                search_filters=recommendation_filters(rec, self._filter_labels)))
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
        yield self._render(self.env.get_template("map.md.j2"), MAP_URI,
                           cases_by_region=group_by_region(self.bank.cases))
        from .facets import bank_context  # imported here: facets builds on this module's URI helpers
        from .search import url_parameters
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
        rebuilds everything after each edit); else a new rendering."""
        key = (template, self._templates_version, self.bank.taxonomy, inputs)
        cached = _PAGES.get(uri)
        if cached is not None and cached[0] == key:
            return cached[1]
        page = render()
        _PAGES[uri] = (key, page)
        return page

    @cached_property
    def _templates_version(self) -> tuple[tuple[str, int, int], ...]:
        """Every page template with its mtime and size: a template imports others (macros). The
        PDF's templates, in a subfolder, do not make pages."""
        overrides = self.project.templates
        folders = [Path(__file__).parent / "templates"] + ([overrides] if overrides.is_dir() else [])
        return tuple((str(path), path.stat().st_mtime_ns, path.stat().st_size)
                     for folder in folders for path in sorted(folder.glob("*")) if path.is_file())

    @cached_property
    def _filter_labels(self) -> Any:
        """The names and value labels of the search filters (the bank's facets), once per build."""
        from .search import filter_labels

        return filter_labels(self.bank)

    @cached_property
    def _listing(self) -> int:
        """A number that changes when a field of a card changes (texts are left out)."""
        signature = (tuple((case.slug, case.card.path, case.card.meta) for case in self.bank.cases),
                     tuple((rec.slug, rec.card.path, rec.card.meta) for rec in self.bank.recommendations))
        if signature != _LISTING["signature"]:
            _LISTING.update(signature=signature, generation=_LISTING["generation"] + 1)
        return int(_LISTING["generation"])


# The pages of the previous build (uri → key, page) and the fields of its cards: `mkdocs serve`
# rebuilds the whole site after each edit, the engine renders again only what changed.
_PAGES: dict[str, tuple[tuple[Any, ...], GeneratedPage]] = {}
_LISTING: dict[str, Any] = {"signature": None, "generation": 0}
# One Jinja environment per template folder, kept between rebuilds (it reloads edited templates).
_ENVIRONMENTS: dict[tuple[str, bool], Environment] = {}


def shared_environment(overrides: Path | None) -> Environment:
    key = (str(overrides), overrides is not None and overrides.is_dir())
    if key not in _ENVIRONMENTS:
        _ENVIRONMENTS[key] = make_environment(overrides)
    return _ENVIRONMENTS[key]


_LAST_MAP: dict[str, Any] = {}


def _france_map_once(cases: Sequence[Case], strata: Sequence[Stratum] = ()) -> FranceMap:
    """The map page and the bank page draw the same map of the same cases: lay it out once."""
    last = _LAST_MAP.get("args")
    if last is None or last[0] is not cases or last[1] is not strata:
        _LAST_MAP.update(args=(cases, strata), map=layout_france_map(cases, strata))
    return _LAST_MAP["map"]  # type: ignore[no-any-return]


def _linker(start: str) -> Callable[[str], str]:
    def link(target: str) -> str:
        return relative_url(target, start)
    return link


# Not printable for YAML (C0/C1 controls, DEL, BOM, surrogates, non-characters) or read as a line
# break inside quotes (NEL, LS, PS): escaped as \\uXXXX.
YAML_UNSAFE = re.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\u2028\\u2029\\ufeff\\ud800-\\udfff\\ufffe\\uffff]")


def yaml_scalar(text: object) -> Markup:
    """A string as one YAML scalar for a page's front matter (YAML quoting, not HTML escaping)."""
    # A JSON string is a YAML double-quoted scalar, once the characters YAML reads as line
    # breaks or refuses are escaped too; json is ~50x faster than yaml's emitter, twice per page.
    quoted = json.dumps(str(text), ensure_ascii=False)
    return Markup(YAML_UNSAFE.sub(lambda found: f"\\u{ord(found.group()):04x}", quoted))


def yaml_value(value: object) -> Markup:
    """Lists and mappings of strings as one YAML flow value (JSON is YAML), escaped like `yaml_scalar`."""
    dumped = json.dumps(value, ensure_ascii=False)
    return Markup(YAML_UNSAFE.sub(lambda found: f"\\u{ord(found.group()):04x}", dumped))


def make_environment(overrides: Path | None = None) -> Environment:
    loaders: list[Any] = [PackageLoader("recueil", "templates")]
    if overrides is not None and overrides.is_dir():
        loaders.insert(0, FileSystemLoader(overrides))
    env = Environment(loader=ChoiceLoader(loaders), autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      bytecode_cache=compiled_templates())
    env.filters["thousands"] = thousands
    env.filters["partial_date"] = partial_date
    env.filters["yaml_str"] = yaml_scalar
    env.filters["yaml_value"] = yaml_value
    env.globals.update(case_uri=case_uri, recommendation_uri=recommendation_uri, axis_uri=axis_uri,
                       theme_uri=theme_uri, stratum_uri=stratum_uri, BANK_URI=BANK_URI,
                       RECOMMENDATIONS_URI=RECOMMENDATIONS_URI, THEMES_URI=THEMES_URI, STRATA_URI=STRATA_URI,
                       SEARCH_URI=SEARCH_URI)
    env.globals.update(MAP_URI=MAP_URI, layout_france_map=_france_map_once, MULTI_TERRITORY=MULTI_TERRITORY)
    return env


__all__ = ["GeneratedPage", "PageMaker", "page_url", "relative_url", "Case", "Recommendation"]
