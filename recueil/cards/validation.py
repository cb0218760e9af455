"""Checks across cards and vocabularies; each yields problems, none raises.

They read the raw front matter of every card that could be parsed, valid or not, so that a
contributor sees an unknown theme and a wrong type in the same run, not one after the other.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeGuard

from recueil.addresses import DOCS_DIR, case_uri, recommendation_uri, site_holds
from recueil.cards.bodies import Finding, markdown_findings
from recueil.cards.frontmatter import dotted
from recueil.cards.loading import SLUG, ParsedCard
from recueil.cards.models import FRANCE, MULTI_TERRITORY, ONGOING_STATUSES, country_name
from recueil.cards.problems import Problem, Severity
from recueil.cards.rendering import SiteMarkdown, site_markdown
from recueil.cards.structure import structure_problems
from recueil.cards.suggest import did_you_mean, fold
from recueil.cards.taxonomy import Taxonomy
from recueil.cards.text import CONTROL_HINT, control_character, control_problem
from recueil.memory import MEMORY, MISSING
from recueil.outside import refusal

FORMULA = re.compile(r"^\s*(?:[=@]|[+-][^\W\d_(]|[+-]\()")
MARKUP = re.compile(r"<[a-zA-Z/!?]|&#?\w+;")
BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Every web address written anywhere (a field, a link, a bare address, code): up to the end of its host.
WEB_ADDRESS = re.compile(r"(?i)\bhttps?://(?:\[[^\]\s/]*\]|[^\s/?#<>\"'`()\[\]{}|*,;!]*)")
# Metropolitan France with Corsica, then the overseas departments and communities (south, north, west, east).
FRANCE_BOXES = (
    (41.3, 51.2, -5.3, 9.7), (15.8, 16.6, -61.9, -60.9), (14.3, 14.95, -61.3, -60.8), (2.1, 5.8, -54.7, -51.5),
    (-21.45, -20.8, 55.2, 55.9), (-13.1, -12.6, 44.9, 45.35), (46.7, 47.2, -56.5, -56.1), (17.8, 18.2, -63.2, -62.7),
    (-28.0, -7.0, -155.0, -134.0), (-23.0, -19.0, 163.0, 169.0), (-14.4, -13.2, -178.2, -176.1),
)
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
    """One line per repeated value, at its first repeat, however many times it comes back."""
    for card in cases:
        for name in ("themes", "recommendations"):
            repeats: dict[str, list[int]] = {}
            for i, value in _strings(card.data, name):
                repeats.setdefault(value, []).append(i)
            for value, places in repeats.items():
                if len(places) == 2:
                    yield Problem(card.path, card.line_of(name, places[1]), f"{name}[{places[1]}]",
                                  f"'{value}' est déjà dans la liste", "supprimez le doublon")
                elif len(places) > 2:
                    yield Problem(card.path, card.line_of(name, places[1]), f"{name}[{places[1]}]",
                                  f"'{value}' est {len(places)} fois dans la liste", "gardez-en une seule")


def check_unique_slugs(cases: list[ParsedCard], recs: list[ParsedCard], taxonomy: Taxonomy) -> Iterator[Problem]:
    """One page per card: no file name twice (in two sub-folders), nor twice but for capitals and accents."""
    for cards in (cases, recs):
        groups: dict[str, list[ParsedCard]] = {}
        for card in cards:
            groups.setdefault(fold(card.slug), []).append(card)
        for group in groups.values():
            keeper = next((card for card in group if SLUG.match(card.slug)), group[0])
            for card in group:
                if card is not keeper and card.slug == keeper.slug:
                    yield Problem(card.path, 1, "", "même nom de fichier qu'une autre fiche",
                                  f"{keeper.path} existe déjà : renommez l'une des deux")
                elif card is not keeper:
                    yield Problem(card.path, 1, "", "même nom qu'une autre fiche, aux majuscules et accents près",
                                  f"elle aurait la même adresse sur le site que {keeper.path} : renommez-la")


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
        if isinstance(verified, dt.datetime):  # `2025-01-15T10:00` is a datetime: the schema reports it
            verified = verified.date()
        if isinstance(verified, str):  # written quoted, '2999-01-01' is text, which the schema reads as a date
            try:
                verified = dt.date.fromisoformat(verified.strip())
            except ValueError:
                verified = None  # the schema reports it
        if isinstance(verified, dt.date) and verified > today:
            yield Problem(card.path, card.line_of("last_verified"), "last_verified", "date dans le futur",
                          f"la date de vérification est au plus celle du jour, {today.isoformat()}")
        population_year = _at(card.data, ("territory", "population_year"))
        if isinstance(population_year, int) and population_year > today.year:
            yield Problem(card.path, card.line_of("territory", "population_year"), "territory.population_year",
                          f"année {population_year} dans le futur", "indiquez l'année du chiffre de population publié")
        if year is not None and year > today.year + 2:
            yield Problem(card.path, card.line_of("year"), "year", f"année {year} trop lointaine",
                          "indiquez l'année de début de l'action")
        status = card.data.get("status")
        if year is not None and end is not None and end < year:
            yield Problem(card.path, card.line_of("end_year"), "end_year", "l'année de fin précède l'année de début",
                          f"elle doit être au moins {year}")
        elif end is not None and end < today.year and status in ONGOING_STATUSES and taxonomy.has("statuses", status):
            label = taxonomy.term("statuses", status).label.lower()
            yield Problem(card.path, card.line_of("end_year"), "end_year",
                          f"l'action est « {label} » mais son année de fin, {end}, est passée",
                          "si elle est finie, écrivez status: realise ou arrete ; sinon, corrigez ou retirez end_year")


def check_status_source(cases: list[ParsedCard], recs: list[ParsedCard], taxonomy: Taxonomy) -> Iterator[Problem]:
    """A status is what a dated document says: status_source names it, and it must carry its date."""
    for card in cases:
        number, sources = card.data.get("status_source", 1), card.data.get("sources")
        if not isinstance(number, int) or isinstance(number, bool) or number < 1 or not isinstance(sources, list):
            continue  # the schema reports these
        if number > len(sources):
            yield Problem(card.path, card.line_of("status_source"), "status_source",
                          f"la fiche n'a pas de source n° {number} (elle en a {len(sources)})",
                          "donnez le numéro, dans la liste sources, du document qui établit l'avancement")
        elif isinstance(sources[number - 1], dict) and not sources[number - 1].get("date"):
            field = "status_source" if "status_source" in card.data else "status"
            yield Problem(card.path, card.line_of(field), field,
                          f"l'avancement doit être daté : la source n° {number} n'a pas de date",
                          "ajoutez à cette source date: AAAA-MM-JJ (ou AAAA-MM, AAAA), la date de sa publication")


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
        if place.get("kind") == MULTI_TERRITORY and "lat" in place:
            yield Problem(card.path, card.line_of("territory", "lat"), "territory.lat",
                          "une action menée sur plusieurs territoires n'a pas un point sur la carte",
                          "retirez lat et lon : la fiche est listée à côté de la carte")


def check_territory_place(cases: list[ParsedCard], recs: list[ParsedCard], taxonomy: Taxonomy) -> Iterator[Problem]:
    """A card in France whose point falls outside France: lat and lon swapped, or a wrong place."""
    for card in cases:
        place = card.data.get("territory")
        if not isinstance(place, dict) or country_name(str(place.get("country", FRANCE))) != FRANCE:
            continue
        lat, lon = place.get("lat"), place.get("lon")
        if not (_finite(lat) and _finite(lon)):
            continue
        if in_france(lat, lon):
            continue
        hint = ("lat et lon semblent inversées : échangez-les" if in_france(lon, lat) else
                "vérifiez lat et lon : en métropole, la latitude va de 41 à 51 et la longitude de -5 à 10 ; "
                "pour un autre pays, remplissez country")
        yield Problem(card.path, card.line_of("territory", "lat"), "territory.lat",
                      f"le point {lat}, {lon} est hors de France", hint, Severity.WARNING)


def _finite(value: Any) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def in_france(lat: float, lon: float) -> bool:
    return any(south <= lat <= north and west <= lon <= east for south, north, west, east in FRANCE_BOXES)


def check_bidi_controls(cases: list[ParsedCard], recs: list[ParsedCard], taxonomy: Taxonomy) -> Iterator[Problem]:
    """Right-to-left overrides and isolates make a text read otherwise than it is written (a title, a URL)."""
    for card in [*cases, *recs]:
        for path, value in _strings_in(card.data, ()):
            found = BIDI.search(value)
            if found:
                yield Problem(card.path, card.line_of(*path), dotted(path),
                              f"caractère de contrôle bidirectionnel U+{ord(found.group()):04X} interdit",
                              "il change le sens d'affichage du texte : supprimez-le")


def check_control_characters(cases: list[ParsedCard], recs: list[ParsedCard], taxonomy: Taxonomy) -> Iterator[Problem]:
    """Control characters written as YAML escapes ("\\x1b") or HTML entities (&#x1b;): the file itself holds
    none (loading refuses those at their line), but the value would reach the page, the CSV and the PDF."""
    for card in [*cases, *recs]:
        for path, value in _strings_in(card.data, ()):
            found = control_character(value)
            if found:
                yield Problem(card.path, card.line_of(*path), dotted(path), control_problem(found), CONTROL_HINT)


def check_spreadsheet_formulas(cases: list[ParsedCard], recs: list[ParsedCard], taxonomy: Taxonomy) -> Iterator[Problem]:
    """Fields go into cas.csv: a cell starting with = or @ (or +WORD, -WORD) runs as a formula in a spreadsheet."""
    for card in [*cases, *recs]:
        for path, value in _strings_in(card.data, ()):
            if FORMULA.match(value):
                sign = value.lstrip()[0]
                yield Problem(card.path, card.line_of(*path), dotted(path), f"texte qui commence par « {sign} »",
                              "un tableur le prendrait pour une formule : commencez par un mot")


def _strings_in(value: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings_in(item, (*path, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings_in(item, (*path, index))


def check_outside_addresses(cases: list[ParsedCard], recs: list[ParsedCard], taxonomy: Taxonomy) -> Iterator[Problem]:
    """No address of a card points inside a network (loopback, private, cloud metadata…): the weekly
    link check requests them all from a CI machine (recueil.outside says what is outside)."""
    hint = ("une fiche ne cite que des pages publiques du web : donnez l'adresse publique de la page (https://…) "
            "ou retirez le lien")
    for card in [*cases, *recs]:
        for path, value in _strings_in(card.data, ()):
            for address in WEB_ADDRESS.findall(value):
                reason = refusal(address)
                if reason is not None:
                    yield Problem(card.path, card.line_of(*path), dotted(path), f"adresse refusée : {reason}", hint)
        for offset, line in enumerate(card.front.body.split("\n")):
            for address in WEB_ADDRESS.findall(line):
                reason = refusal(address)
                if reason is not None:
                    yield Problem(card.path, card.front.body_line + offset, "texte",
                                  f"adresse refusée : {reason}", hint)


def check_plain_text(cases: list[ParsedCard], recs: list[ParsedCard], taxonomy: Taxonomy) -> Iterator[Problem]:
    """Titles and names go into <title>, the nav and the PDF outline: no markup there."""
    for card in [*cases, *recs]:
        for path in (("title",), ("territory", "name")):
            value = _at(card.data, path)
            if isinstance(value, str) and MARKUP.search(value):
                yield Problem(card.path, card.line_of(*path), ".".join(path), "balise ou entité HTML interdite",
                              "écrivez le texte seul, sans < > ni &…;")


def check_body_links(cases: list[ParsedCard], recs: list[ParsedCard], taxonomy: Taxonomy) -> Iterator[Problem]:
    """Links, images and raw HTML of the Markdown texts: resolved as on the site, unsafe ones refused."""
    exists = _site_pages(cases, recs, taxonomy)
    site = site_markdown(_project_root(cases, recs))
    for card in [*cases, *recs]:
        page = case_uri(card.slug) if card.kind == "case" else recommendation_uri(card.slug)
        for found in _findings(card.front.body, page, "body", exists, site):
            yield Problem(card.path, card.front.body_line + found.offset, "texte", found.message, found.hint)
        resources = card.data.get("resources")  # the one front-matter field rendered as Markdown
        if isinstance(resources, str):
            for found in _findings(resources, page, "resources", exists, site):
                yield Problem(card.path, card.line_of("resources"), "resources", found.message, found.hint)


def _findings(text: str, page: str, field: str, exists: Callable[[str], bool],
              site: SiteMarkdown) -> tuple[Finding, ...]:
    """What a text of a page holds. Under `mkdocs serve`, an unchanged text whose link targets still
    exist (or still do not) is not read again (a thousand cards took a third of a second): its inputs
    are the text and the answers about the paths it asked for last time."""
    name = (page, field)
    before = MEMORY.inputs_of("link checks", name)
    paths = [path for path, _ in before[2]] if before is not MISSING else []
    found = MEMORY.get("link checks", name, (text, site, tuple((path, exists(path)) for path in paths)))
    if found is not MISSING:
        return found  # type: ignore[no-any-return]
    asked: dict[str, bool] = {}

    def ask(path: str) -> bool:
        asked[path] = answer = exists(path)
        return answer

    findings = tuple(markdown_findings(text, page, ask, site))
    MEMORY.put("link checks", name, (text, site, tuple(asked.items())), findings)
    return findings


def _site_pages(cases: list[ParsedCard], recs: list[ParsedCard], taxonomy: Taxonomy) -> Callable[[str], bool]:
    """Whether a path of the site (relative to its root) is a file the engine adds or a file of docs/."""
    generated = site_holds([card.slug for card in cases], [card.slug for card in recs], taxonomy)
    root = _project_root(cases, recs)
    docs = root / DOCS_DIR if root is not None else None
    return lambda path: path in generated or (docs is not None and (docs / path).is_file())


def _project_root(cases: list[ParsedCard], recs: list[ParsedCard]) -> Path | None:
    """The project the cards were loaded from (`load_folder` tells each card), if any."""
    return next((card.root for card in [*cases, *recs] if card.root is not None), None)


def check_structure(cases: list[ParsedCard], recs: list[ParsedCard], taxonomy: Taxonomy) -> Iterator[Problem]:
    """Overlong lines, level-1 headings and unbalanced raw HTML of the Markdown texts (recueil.cards.structure)."""
    for card in [*cases, *recs]:
        for found in structure_problems(card.front.body):
            yield Problem(card.path, card.front.body_line + found.offset, "texte", found.message, found.hint)
        resources = card.data.get("resources")
        if isinstance(resources, str):
            for found in structure_problems(resources):
                yield Problem(card.path, card.line_of("resources"), "resources", found.message, found.hint)


def check_recommendations_used(cases: list[ParsedCard], recs: list[ParsedCard], taxonomy: Taxonomy) -> Iterator[Problem]:
    used = {ref for card in cases for _, ref in _strings(card.data, "recommendations")}
    for card in recs:
        if card.slug not in used:
            yield Problem(card.path, 1, "", "aucune fiche expérience n'illustre cette recommandation",
                          "ajoutez son identifiant dans le champ recommendations d'un cas", Severity.WARNING)


CHECKS: tuple[Check, ...] = (
    check_vocabularies, check_recommendation_refs, check_repeated_values, check_unique_slugs,
    check_recommendation_identity, check_dates, check_status_source, check_territory, check_territory_place,
    check_plain_text, check_bidi_controls, check_control_characters, check_body_links, check_outside_addresses,
    check_spreadsheet_formulas,
    check_structure, check_recommendations_used,
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
