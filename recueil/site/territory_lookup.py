"""The files « Mon territoire » reads in the reader's browser, generated into the site by the build.

`territoires/index.json` (régions, départements, neighbouring régions, size bands, the cases with
what the ranking reads) and `territoires/epci.txt` are fetched when the reader first uses the
field; then one shard of communes: while typing, by the first letter of a word (`communes-a.txt`…:
a commune is in the shard of each word of its name, so that « fougeray » finds Le Petit-Fougeray),
by département (`codes-30.txt`…) for an Insee code typed or to restore `?territoire=30007`. One line per territory,
fields separated by `|`, so the reader downloads a few tens of kilobytes, never the whole list.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import TYPE_CHECKING

from recueil.addresses import TERRITORY_EPCI, TERRITORY_INDEX, communes_by_code, communes_by_name
from recueil.cards.suggest import fold
from recueil.memory import MEMORY
from recueil.territories.reference import EPCI_GROUPS, EPCI_KINDS, Reference, load_reference
from recueil.territories.refresh import department_of
from recueil.territories.similar import neighbours

if TYPE_CHECKING:
    from recueil.bank.bank import Bank, Case

ARTICLES = re.compile(r"^(les|le|la|l)\s+")
# Words nobody types to find a place: a commune is not filed under them (the script knows them too,
# recueil/site/assets/recueil-territoire.js, MINOR).
MINOR_WORDS = frozenset({"l", "d", "le", "la", "les", "de", "du", "des", "en", "et", "sur", "sous", "aux", "au", "a",
                         "lez", "s"})
SAINTS = {"st": "saint", "ste": "sainte"}


def search_key(name: str) -> str:
    """The name as typed: folded, punctuation as spaces, without its article ('Les Molières' → 'molieres')."""
    key = " ".join(re.sub(r"[-'’]", " ", fold(name)).split())
    return ARTICLES.sub("", key)


def shard_of(name: str) -> str:
    """The shard of a name's first word: the first letter of its search key (a-z), else '0'."""
    first = search_key(name)[:1]
    return first if "a" <= first <= "z" else "0"


def shards_of(name: str) -> set[str]:
    """Every name shard a commune is in: that of its first word, and of each of its other words but
    articles and prepositions ('Le Petit-Fougeray' → {'p', 'f'}), 'St' read as 'saint'."""
    words = [SAINTS.get(word, word) for word in re.sub(r"[-'’]", " ", fold(name)).split()]
    return {shard_of(name)} | {word[0] if "a" <= word[0] <= "z" else "0" for word in words if word not in MINOR_WORDS}


def case_kind(case: Case) -> str:
    if case.reference is not None:
        return "commune" if case.reference.is_commune else EPCI_GROUPS.get(case.reference.kind, case.reference.kind)
    return case.meta.territory.kind or ""


def case_region(case: Case, reference: Reference) -> str:
    if case.reference is not None and case.reference.region is not None:
        return case.reference.region.code
    place = case.meta.territory
    if not case.in_france or not place.region:
        return ""
    by_name = {fold(region.name): code for code, region in reference.regions.items()}
    return by_name.get(fold(place.region), "")


def lookup_files(bank: Bank, reference: Reference | None = None) -> dict[str, str]:
    """Path in the site → text of every file « Mon territoire » reads."""
    reference = reference or load_reference()
    strata = list(bank.taxonomy.strata)
    band = {stratum.id: index for index, stratum in enumerate(strata) if stratum.min is not None or stratum.max is not None}
    source = reference.source
    cases = [{"slug": case.slug, "title": case.meta.title, "place": case.meta.territory.name or "",
              "band": band.get(case.stratum.id), "size": case.stratum.short or case.stratum.label,
              "kind": case_kind(case), "region": case_region(case, reference),
              "population": case.meta.territory.population} for case in bank.cases]
    index = {
        "version": f"{source.package} {source.version}",
        "population": f"population {source.population} {source.population_year}",
        "populationNote": f"population {source.population} {source.population_year}, Insee, population légale "
                          f"en vigueur au 1er janvier {source.in_force}",
        "regions": {code: region.name for code, region in reference.regions.items()},
        "departements": {code: [d.name, d.region.code if d.region else ""] for code, d in reference.departements.items()},
        "neighbours": neighbours(),
        "strata": [{"id": s.id, "label": s.label, "min": s.min, "max": s.max, "band": band[s.id]} for s in strata
                   if s.id in band],
        "kinds": {"commune": "commune", **EPCI_KINDS},
        "cases": cases,
    }
    files = {TERRITORY_INDEX: json.dumps(index, ensure_ascii=False, separators=(",", ":")),
             TERRITORY_EPCI: "\n".join(
                 f"{e.code}|{e.name}|{e.kind}|{e.population or ''}|{e.region.code if e.region else ''}"
                 for e in reference.all_epcis()) + "\n"}
    by_letter: dict[str, list[str]] = defaultdict(list)
    by_department: dict[str, list[str]] = defaultdict(list)
    for commune in reference.all_communes():
        line = f"{commune.code}|{commune.name}|{'' if commune.population is None else commune.population}"
        for letter in shards_of(commune.name):
            by_letter[letter].append(line)
        by_department[department_of(commune.code)[:2]].append(line)
    for letter, lines in sorted(by_letter.items()):
        files[communes_by_name(letter)] = "\n".join(lines) + "\n"
    for prefix, lines in sorted(by_department.items()):
        files[communes_by_code(prefix)] = "\n".join(lines) + "\n"
    return files


def lookup_files_once(bank: Bank) -> dict[str, str]:
    """The same files for the same bank (mkdocs serve rebuilds): the communes do not change between builds."""
    key = tuple((case.slug, case.stratum.id, case_kind(case), case.meta.title, case.meta.territory.name,
                 case.meta.territory.population, case.meta.territory.region, case.country) for case in bank.cases)
    return MEMORY.recall("territory lookup", None, key, lambda: lookup_files(bank))
