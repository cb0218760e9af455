"""The territory reference shipped with the engine: communes, EPCI, départements and régions.

Read once per process from data/reference.json.gz (made by refresh.py from Insee's Code officiel
géographique, see data/README.md); every lookup after that is a dictionary access.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from recueil.cards.suggest import fold

from .refresh import REFERENCE, department_of

# The EPCI kinds of the DGCL list, as the site names them.
EPCI_KINDS = {"CC": "communauté de communes", "CA": "communauté d'agglomération", "CU": "communauté urbaine",
              "METRO": "métropole", "MET69": "métropole"}
# For « même type de territoire »: the Métropole de Lyon (MET69) is a métropole like the others.
EPCI_GROUPS = {"MET69": "METRO"}
DEPARTEMENT = "departement"  # the kind of a département named by its code (territory_kinds in taxonomies.yml)


@dataclass(frozen=True)
class Region:
    code: str
    name: str


@dataclass(frozen=True)
class Departement:
    code: str
    name: str
    region: Region | None


@dataclass(frozen=True)
class Source:
    package: str
    version: str
    licence: str
    population: str
    population_year: int
    in_force: int

    @property
    def population_label(self) -> str:
        """How the site names the reference population."""
        return (f"population {self.population} {self.population_year} (Insee, population légale en vigueur "
                f"au 1er janvier {self.in_force})")


@dataclass(frozen=True)
class Territory:
    """A commune (code: 5 characters), a département (its code: 2 or 3 characters; no population in the
    reference) or an EPCI (code: its 9-digit SIREN), as the reference has it."""

    code: str
    name: str
    kind: str  # "commune", "departement" or the EPCI kind: CC, CA, CU, METRO, MET69
    population: int | None
    departement: Departement | None
    region: Region | None
    epci: str = ""  # a commune's EPCI (SIREN), if it belongs to one
    source: Source | None = field(default=None, compare=False, repr=False)  # where the population comes from

    @property
    def is_commune(self) -> bool:
        return self.kind == "commune"

    @property
    def is_departement(self) -> bool:
        return self.kind == DEPARTEMENT

    @property
    def kind_label(self) -> str:
        if self.is_commune or self.is_departement:
            return "commune" if self.is_commune else "département"
        return EPCI_KINDS.get(self.kind, "intercommunalité")


class Reference:
    def __init__(self, raw: dict) -> None:  # type: ignore[type-arg]
        self.source = Source(**raw["source"])
        self.regions = {code: Region(code, name) for code, name in raw["regions"]}
        self.departements = {code: Departement(code, name, self.regions.get(region))
                             for code, name, region in raw["departements"]}
        self._communes = raw["communes"]
        self._epci = raw["epci"]
        self.former: dict[str, str] = raw["former"]

    @cached_property
    def _commune_rows(self) -> dict[str, list]:  # type: ignore[type-arg]
        return {row[0]: row for row in self._communes}

    @cached_property
    def _epci_rows(self) -> dict[str, list]:  # type: ignore[type-arg]
        return {row[0]: row for row in self._epci}

    @cached_property
    def _member_rows(self) -> dict[str, list[list]]:  # type: ignore[type-arg]
        members: dict[str, list[list]] = {}  # type: ignore[type-arg]
        for row in self._communes:
            if row[2]:
                members.setdefault(row[2], []).append(row)
        return members

    def _commune_of(self, row: list) -> Territory:  # type: ignore[type-arg]
        code, name, epci, population = row
        departement = self.departements.get(department_of(code))
        return Territory(code, name, "commune", population, departement, departement.region if departement else None,
                         epci, self.source)

    def _epci_of(self, row: list) -> Territory:  # type: ignore[type-arg]
        siren, name, kind, population = row
        # Its région and département: those of most of its inhabitants (a few EPCI cross a border).
        weight: dict[str, int] = {}
        for member in self._member_rows.get(siren, []):
            weight[department_of(member[0])] = weight.get(department_of(member[0]), 0) + (member[3] or 0)
        departement = self.departements.get(max(weight, key=lambda d: weight[d])) if weight else None
        return Territory(siren, name, kind, population, departement, departement.region if departement else None,
                         "", self.source)

    def commune(self, code: str) -> Territory | None:
        row = self._commune_rows.get(code)
        return None if row is None else self._commune_of(row)

    def departement_territory(self, code: str) -> Territory | None:
        """A département named by its code, as a territory (the reference gives it no population)."""
        found = self.departements.get(code)
        if found is None:
            return None
        return Territory(code, found.name, DEPARTEMENT, None, found, found.region, "", self.source)

    def epci(self, siren: str) -> Territory | None:
        row = self._epci_rows.get(siren)
        return None if row is None else self._epci_of(row)

    def members(self, siren: str) -> list[Territory]:
        return [self._commune_of(row) for row in self._member_rows.get(siren, [])]

    def all_communes(self) -> list[Territory]:
        return [self._commune_of(row) for row in self._communes]

    def all_epcis(self) -> list[Territory]:
        return [self._epci_of(row) for row in self._epci]

    @cached_property
    def _by_name(self) -> dict[str, list[str]]:
        """Folded name → codes of the communes and EPCI so named (built at the first did-you-mean)."""
        index: dict[str, list[str]] = {}
        for row in [*self._communes, *self._epci]:
            index.setdefault(name_key(row[1]), []).append(row[0])
        return index

    def name_keys(self) -> list[str]:
        return list(self._by_name)

    def named(self, name: str) -> list[Territory]:
        """The communes and EPCI of this name, accents and case aside, the most populated first."""
        found = [self.commune(code) if len(code) == 5 else self.epci(code) for code in self._by_name.get(name_key(name), [])]
        return sorted((t for t in found if t is not None), key=lambda t: -(t.population or 0))


def name_key(name: str) -> str:
    """A name as the lookup compares it: 'Alès', 'ales', 'ALES' and 'Alès (Gard)' are one key."""
    base = name.split(" (")[0]
    return " ".join(fold(base).replace("-", " ").replace("'", " ").replace("’", " ").split())


@lru_cache(maxsize=2)
def load_reference(path: Path = REFERENCE) -> Reference:
    return Reference(json.loads(gzip.decompress(path.read_bytes())))
