"""The characters a card may not hold, wherever they come from (typed, YAML escapes, HTML entities).

A control character reaches the page, the CSV, the PDF outline (`˙[31m`) and the terminal of whoever
runs `recueil check`; a line or paragraph separator makes YAML and JavaScript see a new line where
the file has none. The one list is here: C0 controls but tab and newline, DEL, C1 controls, the
separators U+2028 and U+2029, and the non-characters U+FFFE and U+FFFF.
"""

from __future__ import annotations

import re

FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
CONTROL_HINT = "supprimez-le : il vient souvent d'un copier-coller depuis un traitement de texte ou un PDF"


def control_character(text: str) -> str | None:
    """The first character of `text` that no card may hold, or None."""
    found = FORBIDDEN.search(text)
    return found.group() if found else None


def control_problem(character: str) -> str:
    return f"caractère de contrôle U+{ord(character):04X} interdit"
