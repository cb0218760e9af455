"""The bank: loaded cards tied together. Reverse links, counts and strata are computed here."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from .loading import LoadedCard, load_folder
from .models import CaseCard, RecommendationCard
from .problems import CardErrors, Problem
from .project import Project
from .taxonomy import Stratum, Taxonomy, Term, load_taxonomy
from .validation import validate

RELATED_CASES = 4


@dataclass
class Case:
    """A case card with what is derived from it."""

    card: LoadedCard
    stratum: Stratum

    @property
    def slug(self) -> str:
        return self.card.slug

    @property
    def meta(self) -> CaseCard:
        assert isinstance(self.card.meta, CaseCard)
        return self.card.meta


@dataclass
class Recommendation:
    card: LoadedCard
    cases: list[Case] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.card.slug

    @property
    def meta(self) -> RecommendationCard:
        assert isinstance(self.card.meta, RecommendationCard)
        return self.card.meta


@dataclass
class Bank:
    taxonomy: Taxonomy
    cases: list[Case]
    recommendations: list[Recommendation]
    warnings: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.cases.sort(key=lambda case: (case.meta.title.casefold(), case.slug))
        self.recommendations.sort(key=lambda rec: rec.meta.number)
        by_slug = {rec.slug: rec for rec in self.recommendations}
        for case in self.cases:
            for ref in case.meta.recommendations:
                by_slug[ref].cases.append(case)

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

    def cases_for(self, recommendation: Recommendation) -> list[Case]:
        return recommendation.cases

    @cached_property
    def cases_by_theme(self) -> dict[str, list[Case]]:
        return _group(self.cases, lambda case: case.meta.themes)

    @cached_property
    def cases_by_stratum(self) -> dict[str, list[Case]]:
        return _group(self.cases, lambda case: [case.stratum.id])

    @cached_property
    def cases_by_axis(self) -> dict[str, list[Case]]:
        return _group(self.cases, lambda case: sorted({self.recommendation_by_slug[r].meta.axis
                                                        for r in case.meta.recommendations}))

    @cached_property
    def cases_by_programme(self) -> dict[str, list[Case]]:
        return _group(self.cases, lambda case: [case.meta.programme] if case.meta.programme else [])

    def related(self, case: Case, limit: int = RELATED_CASES) -> list[Case]:
        """Cases sharing most recommendations and themes, then the same size; never itself."""
        scores: Counter[str] = Counter()
        for ref in case.meta.recommendations:
            for other in self.recommendation_by_slug[ref].cases:
                scores[other.slug] += 2
        for theme in case.meta.themes:
            for other in self.cases_by_theme.get(theme, []):
                scores[other.slug] += 3 if theme == case.meta.themes[0] else 1
        for other in self.cases_by_stratum.get(case.stratum.id, []):
            if scores[other.slug]:
                scores[other.slug] += 1
        scores.pop(case.slug, None)
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        return [self.case_by_slug[slug] for slug, _ in ranked[:limit]]

    def latest(self, limit: int = 6) -> list[Case]:
        return sorted(self.cases, key=lambda c: (c.meta.year, c.meta.last_verified, c.slug), reverse=True)[:limit]


def _group(cases: Iterable[Case], key: Callable[[Case], list[str]]) -> dict[str, list[Case]]:
    groups: dict[str, list[Case]] = defaultdict(list)
    for case in cases:
        for value in key(case):
            groups[value].append(case)
    return dict(groups)


def load_bank(project: Project) -> Bank:
    """Load and check every card; raise CardErrors listing all errors if any."""
    taxonomy = load_taxonomy(project.taxonomy)
    cases, recs = load_folder(project, "case"), load_folder(project, "recommendation")
    problems = cases.problems + recs.problems + validate(cases.parsed, recs.parsed, taxonomy)
    if any(problem.is_error for problem in problems):
        raise CardErrors(sorted(problems))
    return Bank(taxonomy, [Case(card, taxonomy.stratum_for(_population(card))) for card in cases.cards],
                [Recommendation(card) for card in recs.cards], warnings=problems)


def _population(card: LoadedCard) -> int | None:
    assert isinstance(card.meta, CaseCard)
    return card.meta.territory.population
