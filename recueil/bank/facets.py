"""The facets of the case bank: what a reader can filter on, derived from the vocabularies and the cards.

One definition serves three readers: the bank template (checkboxes, labels, counts, links to the
static pages), the data attributes of each case item (what the browser script filters on), and
`selects()`, the reference semantics in Python (AND across facets, OR within one facet), which the PDF's
`Selection` uses too, and `matching()`, the cases it gives in the bank's order.
The parameter names are the ones of the bank's URL: `/cas/?theme=mobilite&taille=petite-ville`.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from recueil.addresses import (
    BANK_DATA,
    BANK_URI,
    RECOMMENDATIONS_URI,
    STRATA_URI,
    THEMES_URI,
    axis_uri,
    case_uri,
    recommendation_uri,
    relative_url,
    stratum_uri,
    theme_uri,
)
from recueil.bank.bank import Bank, Case
from recueil.bank.freshness import TO_CONFIRM, TO_CONFIRM_LABEL
from recueil.cards.models import ONGOING_STATUSES
from recueil.cards.suggest import fold

NO_PROGRAMME = "aucun"
NO_PROGRAMME_LABEL = "Hors programme"
# The link after a filter's values, to the page that lists a page per value.
INDEX_LABELS = {"theme": "Une page par thème", "taille": "Une page par taille de territoire",
                "axe": "Les axes du guide", "recommandation": "Une page par recommandation"}
YEAR_PARAM = "annee"
# Cards the filter script keeps in the list at once (more on demand): the browser lays out
# 100 cards fast, 5,000 slowly (recueil/site/assets/recueil-bank.js).
PAGE_SIZE = 100
# Cards the bank page holds in its HTML (the first ones in the default order), and at most in its list
# at once: a phone downloads and lays out no more, whatever the size of the bank. The script draws the
# others from BANK_DATA (recueil.addresses), fetched when the reader first uses the filters, the sort or "more".
HTML_CARDS = 200
SORTS: tuple[tuple[str, str], ...] = (
    ("titre", "Titre (A à Z)"),
    ("population-desc", "Population (plus grande d'abord)"),
    ("population-asc", "Population (plus petite d'abord)"),
    ("annee-desc", "Année (plus récente d'abord)"),
    ("annee-asc", "Année (plus ancienne d'abord)"),
)


@dataclass(frozen=True)
class FacetValue:
    """One checkbox: the id used in URLs and data attributes, its label, how many cases have it."""

    id: str
    label: str
    count: int
    page: str | None = None  # src_uri of the static page listing these cases, if there is one


@dataclass(frozen=True)
class Facet:
    """A group of values; a case may have several values of one facet (themes, recommendations)."""

    param: str
    legend: str
    values: tuple[FacetValue, ...]
    index_page: str | None = None
    open: bool = False  # shown unfolded before any choice

    @property
    def index_label(self) -> str:
        """The name of the one link of the filter to the page listing its values' pages (RGAA 6.1: a
        link per value, named by an arrow, added a Tab stop per value)."""
        return INDEX_LABELS.get(self.param, f"Les pages « {self.legend} »")

    def value(self, value_id: str) -> FacetValue:
        return next(value for value in self.values if value.id == value_id)


def slug_of(label: str) -> str:
    """A URL-safe id for a free-text value such as a region: 'Île-de-France' → 'ile-de-france'."""
    return "-".join("".join(c if c.isalnum() and c.isascii() else " " for c in fold(label)).split())


def case_values(case: Case, bank: Bank) -> dict[str, list[str]]:
    """The value ids of one case for every facet, in facet order (the data attributes of its card)."""
    meta = case.meta
    return {
        "theme": list(meta.themes),
        "taille": [case.stratum.id],
        "axe": [axis.lower() for axis in case.axes],
        "recommandation": list(meta.recommendations),
        "region": [slug_of(case.region_label)],
        "programme": [meta.programme or NO_PROGRAMME],
        "statut": [case.status_value],  # « à confirmer » in place of an ongoing status an old document gives
    }


def facets(bank: Bank) -> list[Facet]:
    """Every facet with the values that at least one case has, in the vocabularies' order."""
    counts = _value_counts(bank)
    return [Facet(param, legend, _counted(values, counts[param]), index, is_open)
            for param, legend, index, is_open, values in _candidates(bank)]


def value_labels(bank: Bank) -> dict[str, tuple[str, dict[str, str]]]:
    """Each facet's legend and the label of every value it may take, whether a case has it or not
    (the filters of the site search: a recommendation no case illustrates yet still has its label)."""
    return {param: (legend, {value.id: value.label for value in values})
            for param, legend, _, _, values in _candidates(bank)}


def _candidates(bank: Bank) -> list[tuple[str, str, str | None, bool, list[FacetValue]]]:
    """(param, legend, index page, open, every possible value) of each facet, in display order."""
    taxonomy = bank.taxonomy
    return [
        ("theme", "Thème", THEMES_URI, True,
         [FacetValue(t.id, t.label, 0, theme_uri(t.id)) for t in taxonomy.themes]),
        ("taille", "Taille du territoire", STRATA_URI, True,
         [FacetValue(s.id, s.named, 0, stratum_uri(s.id)) for s in taxonomy.strata]),
        ("axe", "Axe du guide", RECOMMENDATIONS_URI, False,
         [FacetValue(a.id.lower(), f"{a.id}. {a.label}", 0, axis_uri(a.id)) for a in taxonomy.axes]),
        ("recommandation", "Recommandation", RECOMMENDATIONS_URI, False,
         [FacetValue(r.slug, r.meta.label, 0, recommendation_uri(r.slug))
          for r in bank.recommendations]),
        ("region", "Région ou pays", None, False, _region_values(bank)),
        ("programme", "Programme", None, False,
         [FacetValue(p.id, p.label, 0, p.page or None) for p in taxonomy.programmes]
         + [FacetValue(NO_PROGRAMME, NO_PROGRAMME_LABEL, 0)]),
        ("statut", "Avancement", None, False, _status_values(bank)),
    ]


def _status_values(bank: Bank) -> list[FacetValue]:
    """The statuses of the vocabulary, with « à confirmer » after the ongoing ones (recueil/bank/freshness.py)."""
    values = [FacetValue(s.id, s.label, 0) for s in bank.taxonomy.statuses]
    last_ongoing = max((i for i, value in enumerate(values) if value.id in ONGOING_STATUSES), default=len(values) - 1)
    return [*values[:last_ongoing + 1], FacetValue(TO_CONFIRM, TO_CONFIRM_LABEL, 0), *values[last_ongoing + 1:]]


def _value_counts(bank: Bank) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for case in bank.cases:
        for param, ids in case_values(case, bank).items():
            for value_id in ids:
                counts.setdefault(param, {}).setdefault(value_id, 0)
                counts[param][value_id] += 1
    return counts


def _counted(values: Iterable[FacetValue], counts: Mapping[str, int]) -> tuple[FacetValue, ...]:
    """Keep the values some case has (an empty checkbox only adds noise), with their counts."""
    return tuple(FacetValue(v.id, v.label, counts[v.id], v.page) for v in values if counts.get(v.id))


def _region_values(bank: Bank) -> list[FacetValue]:
    """French regions in alphabetical order, then 'region not given', then the countries abroad."""
    places = {case.region_label: case.region_key for case in bank.cases}
    return [FacetValue(slug_of(label), label, 0) for label in sorted(places, key=places.__getitem__)]


def year_bounds(bank: Bank) -> tuple[int, int]:
    """The first and last start years of the bank (the year range's choices)."""
    years = [case.meta.year for case in bank.cases if case.meta.year is not None] or [0]
    return min(years), max(years)


def bank_order(cases: Iterable[Case]) -> list[Case]:
    """The bank's default order, by title as a French reader sorts it ('Écully' with the E's): `Case.sort_key`."""
    return sorted(cases, key=lambda case: case.sort_key)


def selects(case: Case, bank: Bank, selection: Mapping[str, Collection[str]],
            years: tuple[int | None, int | None] = (None, None)) -> bool:
    """Whether a case is in a selection, the one rule of the bank's filters and of the PDF's `Selection`:
    every facet with a choice must match one of its chosen values, and its start year be in `years` if given."""
    values = case_values(case, bank)
    if not all(set(ids) & set(values.get(param, ())) for param, ids in selection.items() if ids):
        return False
    low, high = years
    if low is None and high is None:
        return True
    year = case.meta.year
    return year is not None and (low is None or year >= low) and (high is None or year <= high)


def matching(bank: Bank, selection: Mapping[str, Collection[str]],
             years: tuple[int | None, int | None] = (None, None)) -> list[Case]:
    """The cases a selection gives, in the bank's order (the reference for the bank's script)."""
    return [case for case in bank_order(bank.cases) if selects(case, bank, selection, years)]


def data_attributes(case: Case, bank: Bank) -> dict[str, str]:
    """The attributes of a case item that the bank's script filters and sorts on."""
    attributes = {f"data-{param}": " ".join(ids) for param, ids in case_values(case, bank).items()}
    population = case.meta.territory.population
    attributes["data-annee"] = "" if case.meta.year is None else str(case.meta.year)
    attributes["data-population"] = "" if population is None else str(population)
    return attributes


def case_line(case: Case) -> str:
    """The line under a card's title in the bank: 'Niort · Ville moyenne · 2019'."""
    year = f" · {case.meta.year}" if case.meta.year else ""
    return f"{case.meta.territory.name} · {case.stratum.short or case.stratum.label}{year}"


def theme_line(case: Case, bank: Bank) -> str:
    return " · ".join(bank.taxonomy.term("themes", theme_id).label for theme_id in case.meta.themes)


def bank_context(bank: Bank) -> dict[str, Any]:
    """What the bank template needs besides the bank: facets, the first cases in order, their attributes."""
    ordered = bank_order(bank.cases)
    shown = ordered[:HTML_CARDS]
    return {"facets": facets(bank), "ordered_cases": shown, "total": len(ordered), "year_bounds": year_bounds(bank),
            "sorts": SORTS, "page_size": PAGE_SIZE, "max_shown": HTML_CARDS, "bank_data": BANK_DATA,
            "case_attributes": {case.slug: data_attributes(case, bank) for case in shown}}


def bank_data(bank: Bank) -> str:
    """Every card of the bank for the bank page's script, in the default order, as compact JSON:
    {"facettes": {param: [value ids]}, "cas": [[slug, title, line, themes line, year, population,
    [[value indexes] per facet, in the order of "facettes"]], ...]}. The script draws a card from it
    exactly as the template does (recueil/site/templates/_macros.j2, bank_case)."""
    ids = {param: [value.id for value in values] for param, _, _, _, values in _candidates(bank)}
    position = {param: {value_id: index for index, value_id in enumerate(values)} for param, values in ids.items()}
    cases = []
    for case in bank_order(bank.cases):
        values = case_values(case, bank)
        cases.append([case.slug, case.meta.title, case_line(case), theme_line(case, bank), case.meta.year,
                      case.meta.territory.population,
                      [[position[param][value] for value in values[param] if value in position[param]]
                       for param in ids]])
    data = {"facettes": ids, "lien": relative_url(case_uri("SLUG"), BANK_URI), "cas": cases}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
