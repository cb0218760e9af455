"""The characters a card may not hold, wherever they come from (typed, YAML escapes, HTML entities).

A control character reaches the page, the CSV, the PDF outline (`˙[31m`) and the terminal of whoever
runs `recueil check`; a line or paragraph separator makes YAML and JavaScript see a new line where
the file has none. The one list is here: C0 controls but tab and newline, DEL, C1 controls, the
separators U+2028 and U+2029, and the non-characters U+FFFE and U+FFFF.
"""

from __future__ import annotations

import re

FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
# A numeric character reference, as HTML decodes it (`&#27;`, `&#x1b;`, the `;` optional).
REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")
CONTROL_HINT = "supprimez-le : il vient souvent d'un copier-coller depuis un traitement de texte ou un PDF"


def control_character(text: str) -> str | None:
    """The first character of `text` that no card may hold, typed or written as a numeric reference, or None."""
    found = control_at(text)
    return found[1] if found else None


def control_at(text: str) -> tuple[int, str] | None:
    """Where the first such character is in `text` (its index, or that of its reference), and which it is."""
    found = FORBIDDEN.search(text)
    if found:
        return found.start(), found.group()
    for reference in REFERENCE.finditer(text) if "&#" in text else ():
        character = referenced(reference[1], reference[2])
        if character is not None and FORBIDDEN.match(character):
            return reference.start(), character
    return None


def referenced(hexadecimal: str | None, decimal: str | None) -> str | None:
    """The character a numeric reference names (None past Unicode)."""
    code = int(hexadecimal, 16) if hexadecimal else int(decimal or "0")
    return chr(code) if code <= 0x10FFFF else None


def control_problem(character: str) -> str:
    return f"caractère de contrôle U+{ord(character):04X} interdit"
