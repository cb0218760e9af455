"""Curation aids: likely duplicates, facts not verified for long, and a summary of the bank by facet.

These are warnings for the people who review the bank, never errors: a card stays publishable.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import re
from collections import defaultdict
from collections.abc import Iterator

from recueil.bank.bank import Bank, Case
from recueil.bank.facets import value_labels
from recueil.cards.problems import Problem, Severity
from recueil.cards.suggest import fold
from recueil.territories.cards import spaced_number

DEFAULT_MAX_AGE_DAYS = 730
TITLE_SIMILARITY = 0.7
NOT_WORD = re.compile(r"\W+")
# « ce village de 116 habitants », « une commune d'environ 1 700 habitants », « village de Provence de
# 116 habitants »: a place's population written in a title or summary (not « moins de 3 500 habitants »,
# a threshold, nor « 500 habitants engagés », a count of people).
POPULATION_CLAIM = re.compile(
    r"\b(?:village|commune|ville|bourg|agglomération|métropole|intercommunalité|territoire)s?"
    r"(?:\s+(?!(?:moins|plus|au-dessous|au-delà|dessous|delà)\b)[\w’'-]+){0,3}?"
    r"\s+(?:de|d['’]environ|d['’]un peu (?:plus|moins) de)\s+"
    r"(?P<number>\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)\s+habitants\b", re.IGNORECASE)


def curation_warnings(bank: Bank, max_age_days: int = DEFAULT_MAX_AGE_DAYS,
                      today: dt.date | None = None) -> list[Problem]:
    warnings = list(duplicate_warnings(bank)) + list(population_warnings(bank))
    if max_age_days > 0:
        warnings += stale_warnings(bank, max_age_days, today or dt.date.today())
    return sorted(warnings)


def duplicate_warnings(bank: Bank) -> Iterator[Problem]:
    """Two cards of the same territory whose titles, once the territory's name is removed, are close.

    Only cards that share a territory name or code are compared, so the cost follows the size of
    the largest territory, not the square of the bank.
    """
    cores = {case.slug: _title_core(case) for case in bank.cases}
    for first, second in _same_place_pairs(bank.cases):
        similarity = difflib.SequenceMatcher(None, cores[first.slug], cores[second.slug]).ratio()
        if similarity >= TITLE_SIMILARITY:
            yield Problem(second.card.path, second.card.line_of("title"), "title",
                          f"doublon probable de {first.card.path} : même territoire "
                          f"({second.meta.territory.name}) et titres semblables à {round(similarity * 100)} %",
                          "s'il s'agit de la même expérience, fusionnez les deux fiches ; sinon, précisez le titre",
                          Severity.WARNING)


def population_warnings(bank: Bank) -> Iterator[Problem]:
    """A title or summary that gives the place another population than the page shows.

    Titles and summaries are shown alone in the lists (bank, themes, sizes, search), without a date:
    a figure a source gave years ago then contradicts the population beside it on the card's page.
    """
    for case in bank.cases:
        shown = case.meta.territory.population
        if not shown:
            continue
        for field in ("title", "summary"):
            for match in POPULATION_CLAIM.finditer(getattr(case.meta, field) or ""):
                stated = int(re.sub(r"\D", "", match["number"]))
                if stated != shown:
                    yield Problem(case.card.path, case.card.line_of(field), field,
                                  f"« {spaced_number(stated)} habitants » alors que la page affiche une population de "
                                  f"{spaced_number(shown)} habitants",
                                  "retirez le chiffre du titre et du résumé, que les listes montrent sans date ; "
                                  "dans le texte, datez-le par sa source (« 800 habitants en 2013 »)",
                                  Severity.WARNING)


def _same_place_pairs(cases: list[Case]) -> list[tuple[Case, Case]]:
    groups: dict[tuple[str, ...], list[Case]] = defaultdict(list)
    for case in sorted(cases, key=lambda case: case.card.path):
        place = case.meta.territory
        groups[("name", _words(place.name), fold(place.country))].append(case)
        if place.insee or place.siren:
            groups[("code", place.insee or place.siren or "")].append(case)
    pairs = {(a.card.path, b.card.path): (a, b) for group in groups.values()
             for a, b in itertools.combinations(group, 2) if same_territory(a, b)}
    return [pairs[key] for key in sorted(pairs)]


def same_territory(first: Case, second: Case) -> bool:
    a, b = first.meta.territory, second.meta.territory
    if (a.insee or a.siren) and (b.insee or b.siren):
        return (a.insee or a.siren) == (b.insee or b.siren)
    return _words(a.name) == _words(b.name) and fold(a.country) == fold(b.country)


def _title_core(case: Case) -> str:
    """The title without the territory's name, which two cards of one place always share."""
    return _words(case.meta.title).replace(_words(case.meta.territory.name), " ").strip()


def _words(text: str | None) -> str:
    """Folded words; a name the reference fills in is never None once the bank is loaded."""
    return NOT_WORD.sub(" ", fold(text or "")).strip()


def stale_warnings(bank: Bank, max_age_days: int, today: dt.date) -> Iterator[Problem]:
    for case in bank.cases:
        age = (today - case.meta.last_verified).days
        if age > max_age_days:
            yield Problem(case.card.path, case.card.line_of("last_verified"), "last_verified",
                          f"faits vérifiés le {case.meta.last_verified.isoformat()}, il y a {age} jours "
                          f"(plus de {max_age_days})",
                          "revérifiez les faits auprès des sources, puis mettez la date du jour", Severity.WARNING)


Count = tuple[str, str, int]


def bank_stats(bank: Bank) -> dict[str, list[Count]]:
    """For each facet, (label, id, number of cases) for every value, the empty ones included."""
    taxonomy = bank.taxonomy
    programmes = [(t.label, t.id, len(bank.cases_by_programme.get(t.id, []))) for t in taxonomy.programmes]
    programmes.append(("Sans programme", "", sum(case.meta.programme is None for case in bank.cases)))
    return {
        "Par thème": [(t.label, t.id, len(bank.cases_by_theme.get(t.id, []))) for t in taxonomy.themes],
        "Par taille de territoire": [(s.label, s.id, len(bank.cases_by_stratum.get(s.id, [])))
                                     for s in taxonomy.strata_with_unknown],
        "Par recommandation": [(rec.meta.label, rec.slug, len(rec.cases))
                               for rec in bank.recommendations],
        "Par programme": programmes,
        # The status a reader filters on: « à confirmer » in place of an old ongoing one (recueil/bank/freshness.py)
        "Par avancement": [(label, status_id, sum(case.status_value == status_id for case in bank.cases))
                           for status_id, label in value_labels(bank)["statut"][1].items()],
    }


def stats_text(bank: Bank) -> str:
    lines = [f"{len(bank.cases)} fiches expérience, {len(bank.recommendations)} recommandations."]
    for heading, counts in bank_stats(bank).items():
        lines += ["", f"{heading} :"]
        lines += [f"{count:>5}  {label}" + (f" [{term_id}]" if term_id else "") for label, term_id, count in counts]
    return "\n".join(lines) + "\n"
