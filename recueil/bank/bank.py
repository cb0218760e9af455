"""The bank: loaded cards tied together. Reverse links, counts and strata are computed here."""

from __future__ import annotations

import datetime as dt
import heapq
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

from recueil.bank.freshness import TO_CONFIRM, build_date, status_to_confirm
from recueil.cards.loading import LoadedCard, load_folder
from recueil.cards.models import FRANCE, CaseCard, RecommendationCard
from recueil.cards.problems import CardErrors, Problem
from recueil.cards.suggest import fold
from recueil.cards.taxonomy import Stratum, Taxonomy, Term, load_taxonomy
from recueil.cards.validation import validate
from recueil.memory import MEMORY
from recueil.project import Project
from recueil.territories import ReferenceTerritory, with_reference
from recueil.territories.cards import check_territories

FRANCE_NO_REGION = "France (région non précisée)"  # the place of a case in France whose card gives no region
RELATED_CASES = 4
# Related cases: below this many candidates, rank them all; above, RELATED_WINDOW per group.
RELATED_EXACT_LIMIT = 240
RELATED_WINDOW = 10


@dataclass
class Case:
    """A case card with what is derived from it, each fact computed once (ARCHITECTURE.md lists them)."""

    card: LoadedCard[CaseCard]
    stratum: Stratum
    reference: ReferenceTerritory | None = None  # the commune or EPCI its code names (recueil/territories/)
    # « en projet » or « en cours » on the word of a document too old to vouch for it (recueil/bank/freshness.py)
    status_to_confirm: bool = False
    axes: tuple[str, ...] = ()  # the axes (ids, « A ») of the recommendations it illustrates, in order

    @property
    def slug(self) -> str:
        return self.card.slug

    @property
    def meta(self) -> CaseCard:
        return self.card.meta

    @property
    def country(self) -> str:
        """Its country, « France » however the card writes it (`country_name`, recueil/cards/models.py)."""
        return self.meta.territory.country

    @property
    def in_france(self) -> bool:
        return self.country == FRANCE

    @property
    def region_label(self) -> str:
        """Where the case is: its French region, « France (région non précisée) », or its country when abroad."""
        if not self.in_france:
            return self.country
        return self.meta.territory.region or FRANCE_NO_REGION

    @property
    def region_key(self) -> tuple[int, str]:
        """The order of places: French regions alphabetically, then France without a region, then abroad."""
        rank = 2 if not self.in_france else 0 if self.meta.territory.region else 1
        return rank, fold(self.region_label)

    @property
    def sort_key(self) -> tuple[str, str]:
        """The bank's order: by title as a French reader sorts it (« Écully » with the E's), then by file."""
        return fold(self.meta.title), self.slug

    @property
    def status_date(self) -> str:
        """The publication date of the document that gives the status (checked to exist when loading)."""
        return self.meta.sources[self.meta.status_source - 1].date or ""

    @property
    def status_year(self) -> str:
        """The year of the document that gives the status: « En cours en 2019 » when it is « à confirmer »."""
        return self.status_date[:4]

    @property
    def status_value(self) -> str:
        """The status the bank and the search filter on: « à confirmer » in place of an ongoing status that
        an old document gives, else the card's own."""
        return TO_CONFIRM if self.status_to_confirm else self.meta.status


@dataclass
class Recommendation:
    card: LoadedCard[RecommendationCard]
    cases: list[Case] = field(default_factory=list)  # set by the Bank: the cases illustrating it, in the bank's order

    @property
    def slug(self) -> str:
        return self.card.slug

    @property
    def meta(self) -> RecommendationCard:
        return self.card.meta


@dataclass
class Bank:
    taxonomy: Taxonomy
    cases: list[Case]
    recommendations: list[Recommendation]
    warnings: list[Problem] = field(default_factory=list)
    reference_date: dt.date = field(default_factory=build_date)  # the day the derived facts are computed for

    def __post_init__(self) -> None:
        """Sorted copies of the lists given, each recommendation a copy with its cases: the inputs stay as they were."""
        self.cases = sorted(self.cases, key=lambda case: case.sort_key)
        illustrating: dict[str, list[Case]] = defaultdict(list)
        for case in self.cases:
            for ref in case.meta.recommendations:
                illustrating[ref].append(case)
        self.recommendations = [replace(rec, cases=illustrating[rec.slug])
                                for rec in sorted(self.recommendations, key=lambda rec: rec.meta.number)]

    @cached_property
    def recommendation_by_slug(self) -> dict[str, Recommendation]:
        return {rec.slug: rec for rec in self.recommendations}

    @cached_property
    def case_by_slug(self) -> dict[str, Case]:
        return {case.slug: case for case in self.cases}

    def recommendations_of(self, case: Case) -> list[Recommendation]:
        return [self.recommendation_by_slug[ref] for ref in case.meta.recommendations]

    def recommendations_in(self, axis: Term) -> list[Recommendation]:
        return [rec for rec in self.recommendations if rec.meta.axis == axis.id]

    @cached_property
    def cases_by_theme(self) -> dict[str, list[Case]]:
        return _group(self.cases, lambda case: case.meta.themes)

    @cached_property
    def cases_by_stratum(self) -> dict[str, list[Case]]:
        return _group(self.cases, lambda case: [case.stratum.id])

    @cached_property
    def cases_by_axis(self) -> dict[str, list[Case]]:
        return _group(self.cases, lambda case: list(case.axes))

    @cached_property
    def cases_by_programme(self) -> dict[str, list[Case]]:
        return _group(self.cases, lambda case: [case.meta.programme] if case.meta.programme else [])

    def related(self, case: Case) -> list[Case]:
        """Cases sharing most recommendations and themes, then the same size; never itself (see `_ranked`)."""
        return [self.case_by_slug[slug] for slug in self._related_slugs[case.slug]]

    @cached_property
    def _related_slugs(self) -> dict[str, list[str]]:
        """The related cases of every case. Under `mkdocs serve`, a rebuild after a change that
        leaves every case's recommendations, themes and size as they were reuses the last table."""
        inputs = tuple((case.slug, self._features[case.slug]) for case in self.cases)
        return MEMORY.recall("related cases", None, inputs, lambda: {case.slug: self._ranked(case) for case in self.cases})

    def _ranked(self, case: Case, limit: int = RELATED_CASES) -> list[str]:
        """Cases sharing most recommendations and themes, then the same size; never itself.

        Candidates come from the case's groups (its recommendations, its themes, its main theme
        with each recommendation). A small bank scores every case of those groups: the exact
        ranking. In a large one, each group is read in a window around the case's own place, so
        that the work per page does not grow with the bank (scoring the whole bank for every
        case made the build quadratic).
        """
        keys = _group_keys(case, main_only=True)
        groups = self._related_groups
        exact = sum(len(groups[key]) for key in keys) <= RELATED_EXACT_LIMIT
        candidates: set[str] = set()
        for key in keys:
            candidates.update(groups[key] if exact else self._window(key, case.slug))
        candidates.discard(case.slug)
        mine, features = self._features[case.slug], self._features
        ranked = heapq.nsmallest(limit, ((-_related_score(mine, features[slug]), slug) for slug in candidates))
        return [slug for score, slug in ranked if score < 0]

    @cached_property
    def _features(self) -> dict[str, Features]:
        return {case.slug: Features(frozenset(case.meta.recommendations), frozenset(case.meta.themes),
                                    case.meta.themes[0], case.stratum.id) for case in self.cases}

    @cached_property
    def _related_groups(self) -> dict[GroupKey, list[str]]:
        """The slugs of each group, in the bank's (title) order."""
        groups: dict[GroupKey, list[str]] = defaultdict(list)
        for case in self.cases:
            for key in _group_keys(case, main_only=False):
                groups[key].append(case.slug)
        return dict(groups)

    @cached_property
    def _positions(self) -> dict[GroupKey, dict[str, int]]:
        return {key: {slug: index for index, slug in enumerate(group)} for key, group in self._related_groups.items()}

    def _window(self, key: GroupKey, slug: str) -> list[str]:
        """RELATED_WINDOW cases of the group around the case."""
        group, index = self._related_groups[key], self._positions[key][slug]
        start = max(0, min(index - RELATED_WINDOW // 2, len(group) - RELATED_WINDOW - 1))
        return group[start:start + RELATED_WINDOW + 1]

    def latest(self, limit: int = 6) -> list[Case]:
        return sorted(self.cases, key=lambda c: (c.meta.year or 0, c.meta.last_verified, c.slug), reverse=True)[:limit]


GroupKey = tuple[str, ...]


def _group_keys(case: Case, main_only: bool) -> list[GroupKey]:
    """The groups a case belongs to; with main_only, the pairs use its main theme only."""
    meta = case.meta
    keys: list[GroupKey] = [("recommendation", ref) for ref in meta.recommendations]
    keys += [("theme", theme) for theme in meta.themes]
    for theme in meta.themes[:1] if main_only else meta.themes:
        keys += [("pair", theme, ref) for ref in meta.recommendations]
    return keys


class Features(NamedTuple):
    """What the related-cases score reads of a case, computed once per case."""

    recommendations: frozenset[str]
    themes: frozenset[str]
    main_theme: str
    stratum: str


def _related_score(mine: Features, other: Features) -> int:
    """2 per shared recommendation, 3 for the case's main theme and 1 per other shared theme,
    then 1 for the same size when something else is shared."""
    score = 2 * len(mine.recommendations & other.recommendations)
    score += sum(3 if theme == mine.main_theme else 1 for theme in mine.themes & other.themes)
    return score + 1 if score and other.stratum == mine.stratum else score


def _group(cases: Iterable[Case], key: Callable[[Case], list[str]]) -> dict[str, list[Case]]:
    groups: dict[str, list[Case]] = defaultdict(list)
    for case in cases:
        for value in key(case):
            groups[value].append(case)
    return dict(groups)


def load_bank(project: Project, today: dt.date | None = None) -> Bank:
    """Load and check every card; raise CardErrors listing all errors if any. `today`, the reference date
    of what the bank derives from dates (a status « à confirmer »), is the build's date unless given."""
    taxonomy = _taxonomy_once(project.taxonomy)
    cases, recs = load_folder(project, "case"), load_folder(project, "recommendation")
    problems = (cases.problems + recs.problems + validate(cases.parsed, recs.parsed, taxonomy)
                + list(check_territories(cases.parsed)))  # codes against the official reference
    if any(problem.is_error for problem in problems):
        raise CardErrors(sorted(problems))
    placed = [with_reference(card) for card in cases.cards]  # name, kind, population... from the code
    day = today or build_date()
    axis_of = {rec.slug: rec.meta.axis for rec in recs.cards}
    return Bank(taxonomy, [_case(card, found, taxonomy, day, axis_of) for card, found in placed],
                [Recommendation(card) for card in recs.cards], warnings=problems, reference_date=day)


def _case(card: LoadedCard[CaseCard], reference: ReferenceTerritory | None, taxonomy: Taxonomy, today: dt.date,
          axis_of: dict[str, str]) -> Case:
    """A case with what is derived from its card, each fact computed once here."""
    case = Case(card, taxonomy.stratum_for(card.meta.territory.population), reference,
                axes=tuple(sorted({axis_of[ref] for ref in card.meta.recommendations})))
    case.status_to_confirm = status_to_confirm(case.meta.status, case.status_date, today)
    return case


def _taxonomy_once(path: Path) -> Taxonomy:
    """The vocabularies, kept by file version: the same Taxonomy object from one `mkdocs serve`
    rebuild to the next lets the kept pages recognise unchanged inputs at once."""
    try:
        info = path.stat()
    except OSError:
        return load_taxonomy(path)  # reports the missing file
    version = (info.st_mtime_ns, info.st_ctime_ns, info.st_size)
    return MEMORY.recall("vocabularies", str(path), version, lambda: load_taxonomy(path))
