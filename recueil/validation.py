"""Checks across cards and vocabularies; each yields problems, none raises.

They read the raw front matter of every card that could be parsed, valid or not, so that a
contributor sees an unknown theme and a wrong type in the same run, not one after the other.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any

from .loading import ParsedCard
from .problems import Problem, Severity
from .suggest import did_you_mean, fold
from .taxonomy import Taxonomy

UNSAFE_LINK = re.compile(r"\]\(\s*<?\s*(javascript|data|vbscript|file):", re.IGNORECASE)
MARKUP = re.compile(r"<[a-zA-Z/!?]|&#?\w+;")
VOCABULARY_NAMES = {"themes": "un thème", "statuses": "un statut", "programmes": "un programme",
                    "territory_kinds": "un type de territoire", "axes": "un axe"}

Check = Callable[[list[ParsedCard], list[ParsedCard], Taxonomy], Iterator[Problem]]


def check_vocabularies(cases: list[ParsedCard], recs: list[ParsedCard], taxonomy: Taxonomy) -> Iterator[Problem]:
    for card in cases:
        yield from _known(card, taxonomy, "territory_kinds", ("territory", "kind"))
        yield from _known(card, taxonomy, "statuses", ("status",))
        yield from _known(card, taxonomy, "programmes", ("programme",))
        for i, _ in _strings(card.data, "themes"):
            yield from _known(card, taxonomy, "themes", ("themes", i))
    for card in recs:
        yield from _known(card, taxonomy, "axes", ("axis",))


def check_recommendation_refs(cases: list[ParsedCard], recs: list[ParsedCard], taxonomy: Taxonomy) -> Iterator[Problem]:
    known = [card.slug for card in recs]
    if not known:
        return
    for card in cases:
        for i, ref in _strings(card.data, "recommendations"):
            if ref not in known:
                yield Problem(card.path, card.line_of("recommendations", i), f"recommendations[{i}]",
                              f"'{ref}' n'est pas une recommandation", did_you_mean(ref, known))


def check_repeated_values(cases: list[ParsedCard], recs: list[ParsedCard], taxonomy: Taxonomy) -> Iterator[Problem]:
    for card in cases:
        for name in ("themes", "recommendations"):
            seen: set[str] = set()
            for i, value in _strings(card.data, name):
                if value in seen:
                    yield Problem(card.path, card.line_of(name, i), f"{name}[{i}]", f"'{value}' est déjà dans la liste",
                                  "supprimez le doublon")
                seen.add(value)


def check_unique_slugs(cases: list[ParsedCard], recs: list[ParsedCard], taxonomy: Taxonomy) -> Iterator[Problem]:
    for cards in (cases, recs):
        seen: dict[str, ParsedCard] = {}
        for card in cards:
            key = fold(card.slug)
            if key in seen:
                yield Problem(card.path, 1, "", "même nom de fichier qu'une autre fiche",
                              f"{seen[key].path} existe déjà : renommez l'une des deux")
            seen.setdefault(key, card)


def check_recommendation_identity(cases: list[ParsedCard], recs: list[ParsedCard], taxonomy: Taxonomy) -> Iterator[Problem]:
    numbers: dict[int, ParsedCard] = {}
    for card in recs:
        declared = card.data.get("id")
        if isinstance(declared, str) and declared != card.slug:
            yield Problem(card.path, card.line_of("id"), "id", f"l'identifiant '{declared}' diffère du nom du fichier",
                          f"écrivez id: {card.slug}")
        number = card.data.get("number")
        if isinstance(number, int) and number in numbers:
            yield Problem(card.path, card.line_of("number"), "number", f"le numéro {number} est déjà pris",
                          f"par {numbers[number].path}")
        if isinstance(number, int):
            numbers.setdefault(number, card)


def check_dates(cases: list[ParsedCard], recs: list[ParsedCard], taxonomy: Taxonomy) -> Iterator[Problem]:
    today = dt.date.today()
    for card in cases:
        verified, year, end = card.data.get("last_verified"), _int(card.data, "year"), _int(card.data, "end_year")
        if isinstance(verified, dt.date) and verified > today:
            yield Problem(card.path, card.line_of("last_verified"), "last_verified", "date dans le futur",
                          f"la date de vérification est au plus celle du jour ({today.isoformat()})")
        if year is not None and year > today.year + 2:
            yield Problem(card.path, card.line_of("year"), "year", f"année {year} trop lointaine",
                          "indiquez l'année de début de l'action")
        if year is not None and end is not None and end < year:
            yield Problem(card.path, card.line_of("end_year"), "end_year", "l'année de fin précède l'année de début",
                          f"elle doit être au moins {year}")


def check_territory(cases: list[ParsedCard], recs: list[ParsedCard], taxonomy: Taxonomy) -> Iterator[Problem]:
    for card in cases:
        place = card.data.get("territory")
        if not isinstance(place, dict):
            continue
        if "population" in place and "population_year" not in place:
            yield Problem(card.path, card.line_of("territory", "population"), "territory.population_year",
                          "année du chiffre de population manquante", "ajoutez population_year: AAAA")
        if "population_year" in place and "population" not in place:
            yield Problem(card.path, card.line_of("territory", "population_year"), "territory.population",
                          "année donnée sans population", "ajoutez population: … ou retirez population_year")
        if ("lat" in place) != ("lon" in place):
            yield Problem(card.path, card.line_of("territory"), "territory.lat",
                          "coordonnées incomplètes", "donnez lat et lon ensemble, ou aucune des deux")


def check_plain_text(cases: list[ParsedCard], recs: list[ParsedCard], taxonomy: Taxonomy) -> Iterator[Problem]:
    """Titles and names go into <title>, the nav and the PDF outline: no markup there."""
    for card in [*cases, *recs]:
        for path in (("title",), ("territory", "name")):
            value = _at(card.data, path)
            if isinstance(value, str) and MARKUP.search(value):
                yield Problem(card.path, card.line_of(*path), ".".join(path), "balise ou entité HTML interdite",
                              "écrivez le texte seul, sans < > ni &…;")


def check_body_links(cases: list[ParsedCard], recs: list[ParsedCard], taxonomy: Taxonomy) -> Iterator[Problem]:
    for card in [*cases, *recs]:
        for offset, line in enumerate(card.front.body.split("\n")):
            if UNSAFE_LINK.search(line):
                yield Problem(card.path, card.front.body_line + offset, "texte", "lien interdit (javascript:, data:…)",
                              "un lien pointe vers une adresse https://")


def check_recommendations_used(cases: list[ParsedCard], recs: list[ParsedCard], taxonomy: Taxonomy) -> Iterator[Problem]:
    used = {ref for card in cases for _, ref in _strings(card.data, "recommendations")}
    for card in recs:
        if card.slug not in used:
            yield Problem(card.path, 1, "", "aucune fiche expérience n'illustre cette recommandation",
                          "ajoutez son identifiant dans le champ recommendations d'un cas", Severity.WARNING)


CHECKS: tuple[Check, ...] = (
    check_vocabularies, check_recommendation_refs, check_repeated_values, check_unique_slugs,
    check_recommendation_identity, check_dates, check_territory, check_plain_text, check_body_links,
    check_recommendations_used,
)


def validate(cases: list[ParsedCard], recs: list[ParsedCard], taxonomy: Taxonomy) -> list[Problem]:
    return [problem for check in CHECKS for problem in check(cases, recs, taxonomy)]


def _known(card: ParsedCard, taxonomy: Taxonomy, vocabulary: str, path: tuple[str | int, ...]) -> Iterator[Problem]:
    value = _at(card.data, path)
    if isinstance(value, str) and not taxonomy.has(vocabulary, value):
        name = ".".join(str(p) for p in path if isinstance(p, str))
        shown = name + (f"[{path[-1]}]" if isinstance(path[-1], int) else "")
        yield Problem(card.path, card.line_of(*path), shown, f"'{value}' n'est pas {VOCABULARY_NAMES[vocabulary]}",
                      did_you_mean(value, taxonomy.ids(vocabulary)))


def _at(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        if isinstance(part, int) and isinstance(data, list) and part < len(data):
            data = data[part]
        elif isinstance(part, str) and isinstance(data, dict):
            data = data.get(part)
        else:
            return None
    return data


def _strings(data: dict[str, Any], key: str) -> list[tuple[int, str]]:
    values = data.get(key)
    return [(i, v) for i, v in enumerate(values) if isinstance(v, str)] if isinstance(values, list) else []


def _int(data: dict[str, Any], key: str) -> int | None:
    value = data.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None
