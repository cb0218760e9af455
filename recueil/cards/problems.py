"""Problems found in cards: collected, never raised one by one, printed all at once."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from recueil.shown import shown


class Severity(StrEnum):
    ERROR = "erreur"
    WARNING = "avertissement"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one card, located well enough for a contributor to fix it.

    Its texts quote what the card says (a value, its file name): each is kept as `shown` gives it,
    control characters as visible escapes, so no message built from a card can start a new line
    or send a terminal escape sequence, whoever prints it (`recueil`, MkDocs, a CI log).
    """

    path: str
    line: int
    field: str
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    def __post_init__(self) -> None:
        for name in ("path", "field", "message", "hint"):
            object.__setattr__(self, name, shown(getattr(self, name)))

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        hint = f" ({self.hint})" if self.hint else ""
        field = f" {self.field}:" if self.field else ""
        prefix = "" if self.is_error else " avertissement:"
        return f"{self.path}:{self.line}:{prefix}{field} {self.message}{hint}"


class CardErrors(Exception):
    """Raised once, at the end of loading, when at least one card has an error."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if p.is_error]
        super().__init__(f"{len(errors)} erreur(s) dans les fiches:\n" + "\n".join(map(str, errors)))
