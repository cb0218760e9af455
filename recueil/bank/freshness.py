"""The freshness of a case's status: « en projet » or « en cours » on the word of an old document is « à confirmer ».

The rule, declared once here: a case whose status says the action is still to come or still
running (`ONGOING_STATUSES`, in `recueil/cards/models.py`) is « à confirmer » when the document that
gives its status (`sources[status_source - 1].date`: a year, a month or a day) is more than
`CONFIRM_AFTER_YEARS` years older than the reference date, the build's date (`build_date`).
A partial date counts as its last day (« 2022 » as 31 December 2022, « 2022-10 » as 31 October):
a case is never marked on a date its document may not have. Exactly `CONFIRM_AFTER_YEARS` years is
not yet « more than ».

The bank computes it once per case (`Case.status_to_confirm`, `recueil/bank/bank.py`); the case page,
the bank's « Avancement » filter, the search filters, the exports and the PDF all read that one fact.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os

from recueil.cards.models import ONGOING_STATUSES

CONFIRM_AFTER_YEARS = 4
TO_CONFIRM = "a-confirmer"  # the value of the bank's « Avancement » filter (URL ?statut=a-confirmer)
TO_CONFIRM_LABEL = "À confirmer"  # its label, the same in the bank, the search filters and the data page


def build_date() -> dt.date:
    """Today, unless SOURCE_DATE_EPOCH pins the date (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


def last_day(partial: str) -> dt.date:
    """The last day a partial date (AAAA, AAAA-MM or AAAA-MM-JJ, checked by the model) may mean."""
    parts = [int(part) for part in partial.split("-")]
    year, month = parts[0], parts[1] if len(parts) > 1 else 12
    day = parts[2] if len(parts) > 2 else calendar.monthrange(year, month)[1]
    return dt.date(year, month, day)


def years_after(day: dt.date, years: int) -> dt.date:
    """The same day `years` later; 29 February becomes 28 February in a year without it."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def status_to_confirm(status: str, status_date: str | None, today: dt.date,
                      years: int = CONFIRM_AFTER_YEARS) -> bool:
    """Whether an ongoing status rests on a document more than `years` years old on `today`.
    Without a date there is nothing to measure (`recueil check` refuses a status source without one)."""
    if status not in ONGOING_STATUSES or not status_date:
        return False
    return today > years_after(last_day(status_date), years)
