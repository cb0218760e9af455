"""The curators' report, in Markdown: cards whose facts are due for a check, statuses « à confirmer », and dead links.

`recueil curation-report` prints it; the monthly workflow (.github/workflows/suivi-des-fiches.yml)
only posts it, in one issue it keeps up to date.
"""

from __future__ import annotations

import datetime as dt
import re

from recueil.bank.bank import Bank, Case
from recueil.bank.freshness import CONFIRM_AFTER_YEARS
from recueil.upkeep.link_check import LinkResult, Place, markdown_report

MAX_CHARS = 60_000  # GitHub keeps at most 65,536 characters in an issue's body
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def stale_cases(bank: Bank, max_age_days: int, today: dt.date) -> list[tuple[Case, int]]:
    """The cases whose facts were last verified more than max_age_days ago, the oldest first."""
    aged = [(case, (today - case.meta.last_verified).days) for case in bank.cases]
    return sorted([(case, age) for case, age in aged if age > max_age_days], key=lambda item: (-item[1], item[0].slug))


def curation_report(bank: Bank, today: dt.date, max_age_days: int, file_url: str,
                    links: tuple[list[LinkResult], dict[str, list[Place]]] | None = None) -> str:
    """file_url: the address of a card's file with `{path}` for its path (its page on GitHub), or "" for the path."""
    stale = stale_cases(bank, max_age_days, today)
    lines = ["# Suivi des fiches", "",
             f"Rapport du {today.isoformat()} : {len(bank.cases)} fiches expérience. Il est refait chaque mois ; "
             "corrigez les fiches dans des demandes de fusion, ce ticket se met à jour tout seul.", "",
             f"## Fiches à revérifier ({len(stale)})", "",
             f"Faits vérifiés il y a plus de {max_age_days} jours : revérifiez-les auprès des sources, "
             "puis mettez `last_verified` à la date du jour.", ""]
    for case, age in stale:
        target = file_url.format(path=case.card.path) if file_url else case.card.path
        lines.append(f"- [{_escape(case.meta.title)}]({target}) : faits vérifiés le "
                     f"{case.meta.last_verified.isoformat()}, il y a {age} jours")
    if not stale:
        lines.append("Aucune.")
    lines.append("")
    lines += _to_confirm(bank, file_url)
    if links is None:
        lines += ["## Liens cassés", "", "Liens non vérifiés (lancez `recueil curation-report --links`).", ""]
    else:
        results, places = links
        checked = markdown_report(results, places).split("\n", 2)[2]  # without its own title
        lines += ["## Liens cassés", "", checked.replace("\n## ", "\n### ")]
    text = "\n".join(lines).rstrip("\n") + "\n"
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS].rsplit("\n", 1)[0] + "\n\n… (rapport coupé : trop long pour un ticket)\n"
    return text


def _to_confirm(bank: Bank, file_url: str) -> list[str]:
    """The cases whose « en cours » or « en projet » rests on a source older than the threshold (bank.freshness)."""
    aged = sorted((case for case in bank.cases if case.status_to_confirm), key=lambda case: (case.status_date, case.slug))
    lines = [f"## Statuts à confirmer ({len(aged)})", "",
             f"L'avancement repose sur une source de plus de {CONFIRM_AFTER_YEARS} ans : cherchez une information "
             "publique plus récente, ajoutez-la aux sources et mettez à jour `status` et `status_source`.", ""]
    for case in aged:
        target = file_url.format(path=case.card.path) if file_url else case.card.path
        label = bank.taxonomy.term("statuses", case.meta.status).label
        lines.append(f"- [{_escape(case.meta.title)}]({target}) : « {label} » selon une source de {case.status_year}")
    return [*lines, *([] if aged else ["Aucun."]), ""]


def _escape(text: str) -> str:
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)
