"""Checks across cards and vocabularies; each returns problems, none raises."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator

from .loading import LoadedCard
from .models import CaseCard, RecommendationCard
from .problems import Problem, Severity
from .suggest import did_you_mean, fold
from .taxonomy import Taxonomy

UNSAFE_LINK = re.compile(r"\]\(\s*<?\s*(javascript|data|vbscript|file):", re.IGNORECASE)
MARKUP = re.compile(r"<[a-zA-Z/!]|&#?\w+;")

VOCABULARY_NAMES = {"themes": "un thème", "statuses": "un statut", "programmes": "un programme",
                    "territory_kinds": "un type de territoire", "axes": "un axe"}

Check = Callable[[list[LoadedCard], list[LoadedCard], Taxonomy], Iterator[Problem]]


def check_vocabularies(cases: list[LoadedCard], recs: list[LoadedCard], taxonomy: Taxonomy) -> Iterator[Problem]:
    for card in cases:
        meta = _case(card)
        yield from _known(card, taxonomy, "territory_kinds", meta.territory.kind, ("territory", "kind"))
        yield from _known(card, taxonomy, "statuses", meta.status, ("status",))
        if meta.programme is not None:
            yield from _known(card, taxonomy, "programmes", meta.programme, ("programme",))
        for i, theme in enumerate(meta.themes):
            yield from _known(card, taxonomy, "themes", theme, ("themes", i))
    for card in recs:
        yield from _known(card, taxonomy, "axes", _rec(card).axis, ("axis",))


def check_recommendation_refs(cases: list[LoadedCard], recs: list[LoadedCard], taxonomy: Taxonomy) -> Iterator[Problem]:
    known = [card.slug for card in recs]
    if not recs:
        return
    for card in cases:
        for i, ref in enumerate(_case(card).recommendations):
            if ref not in known:
                yield Problem(card.path, card.line_of("recommendations", i), f"recommendations[{i}]",
                              f"'{ref}' n'est pas une recommandation", did_you_mean(ref, known))


def check_repeated_values(cases: list[LoadedCard], recs: list[LoadedCard], taxonomy: Taxonomy) -> Iterator[Problem]:
    for card in cases:
        meta = _case(card)
        for name in ("themes", "recommendations"):
            values: list[str] = getattr(meta, name)
            for i, value in enumerate(values):
                if value in values[:i]:
                    yield Problem(card.path, card.line_of(name, i), f"{name}[{i}]", f"'{value}' est déjà dans la liste",
                                  "supprimez le doublon")


def check_unique_slugs(cases: list[LoadedCard], recs: list[LoadedCard], taxonomy: Taxonomy) -> Iterator[Problem]:
    for kind_cards in (cases, recs):
        seen: dict[str, LoadedCard] = {}
        for card in kind_cards:
            key = fold(card.slug)
            if key in seen:
                yield Problem(card.path, 1, "", "même nom de fichier qu'une autre fiche",
                              f"{seen[key].path} existe déjà : renommez l'une des deux")
            seen.setdefault(key, card)


def check_recommendation_identity(cases: list[LoadedCard], recs: list[LoadedCard], taxonomy: Taxonomy) -> Iterator[Problem]:
    numbers: dict[int, LoadedCard] = {}
    for card in recs:
        meta = _rec(card)
        if meta.id != card.slug:
            yield Problem(card.path, card.line_of("id"), "id", f"l'identifiant '{meta.id}' diffère du nom du fichier",
                          f"écrivez id: {card.slug}")
        if meta.number in numbers:
            yield Problem(card.path, card.line_of("number"), "number", f"le numéro {meta.number} est déjà pris",
                          f"par {numbers[meta.number].path}")
        numbers.setdefault(meta.number, card)


def check_dates(cases: list[LoadedCard], recs: list[LoadedCard], taxonomy: Taxonomy) -> Iterator[Problem]:
    today = dt.date.today()
    for card in cases:
        meta = _case(card)
        if meta.last_verified > today:
            yield Problem(card.path, card.line_of("last_verified"), "last_verified", "date dans le futur",
                          f"la date de vérification est au plus celle du jour ({today.isoformat()})")
        if meta.year > today.year + 2:
            yield Problem(card.path, card.line_of("year"), "year", f"année {meta.year} trop lointaine",
                          "indiquez l'année de début de l'action")
        if meta.end_year is not None and meta.end_year < meta.year:
            yield Problem(card.path, card.line_of("end_year"), "end_year", "l'année de fin précède l'année de début",
                          f"elle doit être au moins {meta.year}")


def check_territory(cases: list[LoadedCard], recs: list[LoadedCard], taxonomy: Taxonomy) -> Iterator[Problem]:
    for card in cases:
        place = _case(card).territory
        if place.population is not None and place.population_year is None:
            yield Problem(card.path, card.line_of("territory", "population"), "territory.population_year",
                          "année du chiffre de population manquante", "ajoutez population_year: AAAA")
        if place.population is None and place.population_year is not None:
            yield Problem(card.path, card.line_of("territory", "population_year"), "territory.population",
                          "année donnée sans population", "ajoutez population: … ou retirez population_year")
        if (place.lat is None) != (place.lon is None):
            yield Problem(card.path, card.line_of("territory"), "territory.lat",
                          "coordonnées incomplètes", "donnez lat et lon ensemble, ou aucune des deux")


def check_plain_text(cases: list[LoadedCard], recs: list[LoadedCard], taxonomy: Taxonomy) -> Iterator[Problem]:
    """Titles and names go into <title>, the nav and the PDF outline: no markup there."""
    for card in [*cases, *recs]:
        meta = card.meta
        fields = [("title", meta.title)]  # type: ignore[attr-defined]
        if isinstance(meta, CaseCard):
            fields.append(("territory.name", meta.territory.name))
        for name, value in fields:
            if MARKUP.search(value):
                yield Problem(card.path, card.line_of(*name.split(".")), name, "balise ou entité HTML interdite",
                              "écrivez le texte seul, sans < > ni &…;")


def check_body_links(cases: list[LoadedCard], recs: list[LoadedCard], taxonomy: Taxonomy) -> Iterator[Problem]:
    for card in [*cases, *recs]:
        for offset, line in enumerate(card.body.split("\n")):
            if UNSAFE_LINK.search(line):
                yield Problem(card.path, card.front.body_line + offset, "texte", "lien interdit (javascript:, data:…)",
                              "un lien pointe vers une adresse https://")


def check_recommendations_used(cases: list[LoadedCard], recs: list[LoadedCard], taxonomy: Taxonomy) -> Iterator[Problem]:
    used = {ref for card in cases for ref in _case(card).recommendations}
    for card in recs:
        if card.slug not in used:
            yield Problem(card.path, 1, "", "aucune fiche expérience n'illustre cette recommandation",
                          "ajoutez son identifiant dans le champ recommendations d'un cas", Severity.WARNING)


CHECKS: tuple[Check, ...] = (
    check_vocabularies, check_recommendation_refs, check_repeated_values, check_unique_slugs,
    check_recommendation_identity, check_dates, check_territory, check_plain_text, check_body_links,
    check_recommendations_used,
)


def validate(cases: list[LoadedCard], recs: list[LoadedCard], taxonomy: Taxonomy) -> list[Problem]:
    return [problem for check in CHECKS for problem in check(cases, recs, taxonomy)]


def _known(card: LoadedCard, taxonomy: Taxonomy, vocabulary: str, value: str,
           field: tuple[str | int, ...]) -> Iterator[Problem]:
    if not taxonomy.has(vocabulary, value):
        name = ".".join(str(p) for p in field if isinstance(p, str))
        shown = name + (f"[{field[-1]}]" if isinstance(field[-1], int) else "")
        yield Problem(card.path, card.line_of(*field), shown, f"'{value}' n'est pas {VOCABULARY_NAMES[vocabulary]}",
                      did_you_mean(value, taxonomy.ids(vocabulary)))


def _case(card: LoadedCard) -> CaseCard:
    assert isinstance(card.meta, CaseCard)  # loading pairs each folder with its model
    return card.meta


def _rec(card: LoadedCard) -> RecommendationCard:
    assert isinstance(card.meta, RecommendationCard)
    return card.meta
