"""Vocabularies (themes, axes, size strata, programmes...) read from a data file."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Term:
    """One entry of a vocabulary: an id that cards use, and what readers see."""

    id: str
    label: str
    description: str = ""
    short: str = ""
    page: str = ""


@dataclass(frozen=True)
class Stratum(Term):
    """A city-size class; a population p belongs to it when min <= p < max."""

    min: int | None = None
    max: int | None = None

    @property
    def named(self) -> str:
        """The size with its name and its bounds, « Ville moyenne (20 000 à 100 000 hab.) », as the
        bank's filters say it: the name from `label` (before its parenthesis), the bounds from `short`."""
        name = self.label.split(" (", 1)[0]
        if not self.short or self.short in (self.label, name):
            return self.label
        return f"{name} ({self.short[0].lower()}{self.short[1:]})"

    def holds(self, population: int) -> bool:
        above = self.min is None or population >= self.min
        below = self.max is None or population < self.max
        return above and below and not (self.min is None and self.max is None)


UNKNOWN_STRATUM = "non-renseignee"


@dataclass(frozen=True)
class Taxonomy:
    axes: tuple[Term, ...]
    themes: tuple[Term, ...]
    strata: tuple[Stratum, ...]
    territory_kinds: tuple[Term, ...]
    programmes: tuple[Term, ...]
    statuses: tuple[Term, ...]
    _index: dict[str, dict[str, Term]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for name in ("axes", "themes", "strata", "territory_kinds", "programmes", "statuses"):
            self._index[name] = {t.id: t for t in getattr(self, name)}

    def ids(self, vocabulary: str) -> list[str]:
        return list(self._index[vocabulary])

    def term(self, vocabulary: str, term_id: str) -> Term:
        return self._index[vocabulary][term_id]

    def has(self, vocabulary: str, term_id: str) -> bool:
        return term_id in self._index[vocabulary]

    def stratum_for(self, population: int | None) -> Stratum:
        """The size class of a territory; unknown when the population is not given."""
        if population is not None:
            for stratum in self.strata:
                if stratum.holds(population):
                    return stratum
        return self.unknown_stratum

    @property
    def unknown_stratum(self) -> Stratum:
        found = self._index["strata"].get(UNKNOWN_STRATUM)
        return found if isinstance(found, Stratum) else Stratum(UNKNOWN_STRATUM, "Taille non renseignée")

    @property
    def strata_with_unknown(self) -> list[Stratum]:
        """Every size stratum a case can have: the vocabulary's, then « non renseignée » if it does not list it."""
        strata = list(self.strata)
        return strata if self.unknown_stratum in strata else [*strata, self.unknown_stratum]


VOCABULARIES = ("axes", "themes", "strata", "territory_kinds", "programmes", "statuses")


def load_taxonomy(path: Path) -> Taxonomy:
    """Read the vocabularies file; a broken file is a maintainer error, reported plainly."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise TaxonomyError(f"{path}: lecture impossible du fichier de vocabulaires ({error})") from None
    if not isinstance(data, dict):
        raise TaxonomyError(f"{path}: le fichier de vocabulaires doit être un dictionnaire")
    missing = [name for name in VOCABULARIES if name not in data]
    if missing:
        raise TaxonomyError(f"{path}: vocabulaire(s) manquant(s) : {', '.join(missing)}")
    try:
        lists = {name: tuple(_terms(name, data[name])) for name in VOCABULARIES}
    except (TypeError, KeyError, AttributeError) as error:
        raise TaxonomyError(f"{path}: entrée invalide ({error})") from None
    for name, terms in lists.items():
        for term in terms:
            if MARKUP.search(f"{term.id} {term.label} {term.short}"):
                raise TaxonomyError(f"{path}: {name} '{term.id}' : balise ou entité HTML interdite dans l'identifiant "
                                    "ou le libellé (ils vont dans les titres et le menu) : écrivez le texte seul")
    return Taxonomy(**lists)  # type: ignore[arg-type]


def _terms(name: str, entries: list[dict[str, object]]) -> list[Term]:
    kind = Stratum if name == "strata" else Term
    return [kind(**{k: v for k, v in entry.items()}) for entry in entries]  # type: ignore[arg-type]


MARKUP = re.compile(r"<[a-zA-Z/!?]|&#?\w+;")


class TaxonomyError(Exception):
    """The vocabularies file itself is broken."""
