"""Dates as a French reader writes them: « 1er mars 2024 », « janvier 2019 », « 2018 »."""

from __future__ import annotations

import datetime as dt

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")


def french_date(day: dt.date) -> str:
    return f"{day.day}{'er' if day.day == 1 else ''} {MONTHS[day.month - 1]} {day.year}"


def partial_date(text: str) -> str:
    """A date as precise as its document gives it (AAAA, AAAA-MM or AAAA-MM-JJ), in words."""
    parts = [int(part) for part in text.split("-")]
    if len(parts) == 3:
        return french_date(dt.date(*parts))
    return f"{MONTHS[parts[1] - 1]} {parts[0]}" if len(parts) == 2 else str(parts[0])
