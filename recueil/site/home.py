"""Dynamic blocks of hand-written pages: a line `<!-- recueil:NAME -->` becomes a block computed from the bank.

The home page (docs/index.md) stays a Markdown file that editors change freely; only the parts
that depend on the cards (entry points with their counts, latest cases) are generated here.
"""

from __future__ import annotations

import re

from recueil.addresses import DOCS_DIR, HOME_URI, relative_url
from recueil.bank.bank import Bank
from recueil.project import Project
from recueil.site.environment import shared_environment

MARKER = re.compile(r"^<!--\s*recueil:(?P<name>[a-z0-9-]*)\s*-->[ \t]*$", re.MULTILINE)
BLOCKS = {
    "accueil-chiffres": "home_figures.html.j2",
    "accueil-entrees": "home_entries.html.j2",
    "accueil-dernieres": "home_latest.html.j2",
    "mon-territoire": "territory_block.html.j2",
}
LATEST_CASES = 6


class MarkerError(ValueError):
    """A page names a block that does not exist; the message says where and which ones do."""


def expand_markers(markdown: str, bank: Bank, project: Project, page_uri: str, shown_path: str = "") -> str:
    """The page with every marker replaced by its block; pages without a marker come back unchanged."""
    if "recueil:" not in markdown:
        return markdown
    env = shared_environment(project.templates)

    def block(match: re.Match[str]) -> str:
        name = match["name"]
        if name not in BLOCKS:
            line = markdown.count("\n", 0, match.start()) + 1
            known = ", ".join(f"recueil:{known}" for known in BLOCKS)
            raise MarkerError(f"{shown_path or page_uri}:{line}: marqueur inconnu « recueil:{name} » "
                              f"(marqueurs connus : {known})")
        html = env.get_template(BLOCKS[name]).render(
            bank=bank, taxonomy=bank.taxonomy, page_uri=page_uri, latest=bank.latest(LATEST_CASES),
            link=lambda target: relative_url(target, page_uri))
        return html.strip()

    return MARKER.sub(block, markdown)




def expanded_home(bank: Bank, project: Project) -> str | None:
    """The home page of the project with its blocks expanded (for `recueil render`); None if there is none."""
    source = project.root / DOCS_DIR / HOME_URI
    if not source.is_file():
        return None
    return expand_markers(source.read_text(encoding="utf-8"), bank, project, HOME_URI, project.display(source))
