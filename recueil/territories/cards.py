"""Cards that name their territory by code: the checks of `recueil check`, and what is derived.

A card gives `territory.insee` (a commune, or a département by its 2- or 3-character code) or
`territory.siren` (an intercommunalité); its name,
kind, département, région and legal population are taken from the reference when it does not
give them. A population the card gives is kept (with its own year and source) and checked for
plausibility against the reference: see `plausible_gap`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from recueil.cards.problems import Problem, Severity
from recueil.cards.suggest import fold

from .reference import DEPARTEMENT, Reference, Territory, load_reference, name_key

# How far a population given with its year may stray from the reference before `recueil check`
# warns: 2 % (rounding, the municipale/totale difference, a figure « about N ») plus 1.5 % per
# year between the two figures (a fast-growing commune gains about 1.5 % a year; few do more).
BASE_TOLERANCE = 0.02
YEARLY_TOLERANCE = 0.015
COMMUNE, EPCI = "commune", "intercommunalite"
EPCI_PREFIXES = ("cc ", "ca ", "cu ")
DEPARTEMENT_HINT = "vérifiez le code du département (par exemple « 91 » pour l'Essonne, « 2A » pour la Corse-du-Sud)"


@dataclass(frozen=True)
class Gap:
    """How far a given population is from the reference, and how far it may plausibly be."""

    deviation: float  # signed: (given - reference) / reference
    tolerance: float
    years: int

    @property
    def plausible(self) -> bool:
        return abs(self.deviation) <= self.tolerance


def plausible_gap(given: int, given_year: int, reference: int, reference_year: int) -> Gap:
    years = abs(reference_year - given_year)
    return Gap((given - reference) / reference if reference else 0.0, BASE_TOLERANCE + YEARLY_TOLERANCE * years, years)


def reference_source(reference: Reference) -> str:
    source = reference.source
    return (f"Insee, population {source.population} (population légale en vigueur au 1er janvier "
            f"{source.in_force})")


def territory_of(place: dict[str, Any], reference: Reference) -> Territory | None:
    """The reference territory a card's `territory` block names by code, if known."""
    insee, siren = place.get("insee"), place.get("siren")
    if isinstance(insee, str):
        return reference.commune(insee) if len(insee) == 5 else reference.departement_territory(insee)
    if isinstance(siren, str):
        return reference.epci(siren)
    return None


def derived_fields(given: dict[str, Any], found: Territory, reference: Reference) -> dict[str, Any]:
    """The fields of the `territory` block once completed from the reference (given ones win)."""
    derived: dict[str, Any] = {"name": found.name, "kind": expected_kind(found),
                               "departement": found.departement.name if found.departement else None,
                               "region": found.region.name if found.region else None}
    if found.population is not None and given.get("population") is None:
        derived.update(population=found.population, population_year=reference.source.population_year,
                       population_source=reference_source(reference))
    return {key: value for key, value in derived.items() if value is not None and given.get(key) is None}


def expected_kind(found: Territory) -> str:
    """The `territory.kind` a code names: commune, département or intercommunalité."""
    return COMMUNE if found.is_commune else DEPARTEMENT if found.is_departement else EPCI


def check_territories(cases: Sequence[Any], reference: Reference | None = None) -> Iterator[Problem]:
    """Codes, and what the card says beside them, against the reference. `cases` are ParsedCard."""
    for card in cases:
        place = card.data.get("territory")
        if not isinstance(place, dict):
            continue
        insee, siren = place.get("insee"), place.get("siren")
        has_code = isinstance(insee, str) or isinstance(siren, str)
        if not has_code:
            for name in ("name", "kind"):
                if name not in place:
                    yield Problem(card.path, card.line_of("territory"), f"territory.{name}", "champ obligatoire manquant",
                                  f"ajoutez la ligne « {name}: … », ou le code du territoire : insee ou siren")
            continue
        if isinstance(insee, str) and isinstance(siren, str):
            yield Problem(card.path, card.line_of("territory", "siren"), "territory.siren", "insee et siren donnés ensemble",
                          "une fiche nomme une commune (insee) ou une intercommunalité (siren), pas les deux")
            continue
        reference = reference or load_reference()
        yield from _check_code(card, place, reference)


def _check_code(card: Any, place: dict[str, Any], reference: Reference) -> Iterator[Problem]:
    field = "insee" if isinstance(place.get("insee"), str) else "siren"
    code: str = place[field]
    line = card.line_of("territory", field)
    found = territory_of(place, reference)
    if found is None:
        if field == "insee" and code in reference.former:
            current = reference.commune(reference.former[code])
            yield Problem(card.path, line, "territory.insee", f"code {code} n'est plus en vigueur",
                          f"la commune a aujourd'hui le code {current.code}, {current.name}" if current else
                          "donnez le code actuel de la commune")
            return
        if len(code) not in ((2, 3, 5) if field == "insee" else (9,)) or (field == "siren" and not code.isdigit()):
            return  # the schema reports the pattern
        what = "code" if field == "insee" else "SIREN"
        hint = (DEPARTEMENT_HINT if field == "insee" and len(code) < 5
                else _did_you_mean(place.get("name"), reference, communes=field == "insee"))
        yield Problem(card.path, line, f"territory.{field}", f"{what} {code} inconnu", hint)
        return
    expected = expected_kind(found)
    kind = place.get("kind")
    if isinstance(kind, str) and kind != expected:
        what = {COMMUNE: "de commune", DEPARTEMENT: "de département"}.get(expected, "d'intercommunalité")
        yield Problem(card.path, card.line_of("territory", "kind"), "territory.kind",
                      f"'{kind}' ne convient pas à un code {what}", f"écrivez kind: {expected}, ou retirez la ligne")
    name = place.get("name")
    if found.is_commune and isinstance(name, str) and name_key(name) != name_key(found.name):
        named = [t for t in reference.named(name) if t.is_commune]
        if named:  # the name is another commune's: the code is mistyped
            yield Problem(card.path, line, "territory.insee", f"le code {code} est celui de « {found.name} », "
                          f"pas de « {name} »", _did_you_mean(name, reference, communes=True))
        else:
            yield Problem(card.path, card.line_of("territory", "name"), "territory.name",
                          f"« {name} » ne correspond pas au code {code}",
                          f"le référentiel le nomme {found.name} : vérifiez le code ou le nom", Severity.WARNING)
    region = place.get("region")
    if isinstance(region, str) and found.region and fold(region) != fold(found.region.name):
        yield Problem(card.path, card.line_of("territory", "region"), "territory.region",
                      f"« {region} » n'est pas la région du code {code} ({found.region.name})",
                      "corrigez la région, ou retirez la ligne pour reprendre celle du référentiel", Severity.WARNING)
    yield from _check_population(card, place, found, reference)


def _check_population(card: Any, place: dict[str, Any], found: Territory, reference: Reference) -> Iterator[Problem]:
    given, year = place.get("population"), place.get("population_year")
    if not (isinstance(given, int) and isinstance(year, int)) or isinstance(given, bool) or not found.population:
        return
    reference_year = reference.source.population_year
    gap = plausible_gap(given, year, found.population, reference_year)
    if gap.plausible:
        return
    direction = "de plus" if gap.deviation > 0 else "de moins"
    yield Problem(card.path, card.line_of("territory", "population"), "territory.population",
                  f"{spaced_number(given)} habitants en {year}, {_percent(abs(gap.deviation))} {direction} "
                  f"que la population légale {reference_year} ({spaced_number(found.population)})",
                  f"écart plausible en {gap.years} an{'s' if gap.years > 1 else ''} : {_percent(gap.tolerance)} au plus ; "
                  "vérifiez le chiffre et sa source, ou retirez population pour reprendre celle du référentiel",
                  Severity.WARNING)


def _did_you_mean(name: object, reference: Reference, communes: bool) -> str:
    what = "commune" if communes else "intercommunalité"
    if not isinstance(name, str) or not name.strip():
        return f"vérifiez le code, ou donnez le nom de la {what} pour une suggestion"
    guesses = [t for t in reference.named(name) if t.is_commune == communes]
    if not guesses and not communes:
        guesses = _close_epcis(name, reference)
    if not guesses and communes:
        guesses = _close_communes(name, reference)
    if not guesses:
        return f"aucune {what} de ce nom dans le référentiel : vérifiez le code"
    if len(guesses) == 1:
        return f"vouliez-vous dire {guesses[0].name}, {guesses[0].code} ?"
    shown = " ; ".join(f"{t.name}, {t.code} ({t.departement.name if t.departement else '?'})" for t in guesses[:3])
    return f"vouliez-vous dire {shown} ?"


def _epci_key(name: str) -> str:
    key = name_key(name)
    return next((key[len(prefix):] for prefix in EPCI_PREFIXES if key.startswith(prefix)), key)


def _close_epcis(name: str, reference: Reference) -> list[Territory]:
    keys = {_epci_key(t.name): t for t in reference.all_epcis()}
    words = _epci_key(name).split()
    # Every word of the name begins a word of the EPCI's: « Alès Agglo » → CA Alès Agglomération.
    found = [t for key, t in keys.items() if words and all(any(w.startswith(v) for w in key.split()) for v in words)]
    if found:
        return sorted(found, key=lambda t: -(t.population or 0))[:3]
    return [keys[key] for key in difflib.get_close_matches(_epci_key(name), list(keys), n=1, cutoff=0.75)]


def _close_communes(name: str, reference: Reference) -> list[Territory]:
    key = name_key(name)
    names = [k for k in reference.name_keys() if k[:1] == key[:1]]
    return [t for match in difflib.get_close_matches(key, names, n=1, cutoff=0.8) for t in reference.named(match)
            if t.is_commune][:3]


def spaced_number(value: int) -> str:
    """12345 → "12 345", for messages printed in a terminal (a plain space)."""
    return f"{value:,}".replace(",", " ")


def _percent(value: float) -> str:
    return f"{value * 100:.1f}".replace(".", ",").replace(",0", "") + " %"
