"""Official territory references: communes, EPCI, départements, régions (Insee's Code officiel géographique).

- `reference`: the compact reference shipped in data/ and its lookups;
- `cards`: codes in cards (`territory.insee`, `territory.siren`), their checks and what is derived;
- `similar`: territories like the reader's, for « Mon territoire »;
- `refresh`: rebuilds data/ from the npm package (maintainers).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from .cards import derived_fields, territory_of
from .reference import Territory as ReferenceTerritory
from .reference import load_reference

if TYPE_CHECKING:
    from recueil.cards.loading import LoadedCard
    from recueil.cards.models import CaseCard


def with_reference(card: LoadedCard[CaseCard]) -> tuple[LoadedCard[CaseCard], ReferenceTerritory | None]:
    """A case card completed from the reference when it names its territory by code (else unchanged)."""
    place = card.meta.territory
    if not (place.insee or place.siren):
        return card, None
    reference = load_reference()
    found = territory_of(place.model_dump(), reference)
    if found is None:
        return card, None
    fields = derived_fields(place.model_dump(), found, reference)
    if not fields:
        return card, found
    meta = card.meta.model_copy(update={"territory": place.model_copy(update=fields)})
    return replace(card, meta=meta), found


__all__ = ["ReferenceTerritory", "with_reference"]
