"""'Did you mean' hints, shared by every check that compares a value with a known list."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable
from functools import lru_cache


@lru_cache(maxsize=8192)  # the same section titles, countries and labels come back for every card
def fold(text: str) -> str:
    """Lowercase, accents removed: 'Biodiversité' and 'biodiversite' fold alike."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def closest(value: str, choices: Iterable[str]) -> str | None:
    options = list(choices)
    by_fold = {fold(c): c for c in options}
    if fold(value) in by_fold:
        return by_fold[fold(value)]
    match = difflib.get_close_matches(fold(value), list(by_fold), n=1, cutoff=0.6)
    if match:
        return by_fold[match[0]]
    prefixed = [c for c in options if fold(c).startswith(fold(value))] if len(value) >= 3 else []
    return prefixed[0] if len(prefixed) == 1 else None


def did_you_mean(value: str, choices: Iterable[str], listing: str = "") -> str:
    options = list(choices)
    guess = closest(value, options)
    if guess is not None:
        return f"vouliez-vous dire '{guess}' ?"
    return listing or "valeurs possibles : " + ", ".join(options)
