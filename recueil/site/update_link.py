"""« Signaler une mise à jour »: the link of a card page to a new GitHub issue about that card.

The link opens the issue form « Signaler une mise à jour » (written by `recueil github-files`, see
recueil/outputs/contribution.py) with the card's title, page and file already filled in: GitHub
fills an issue form's fields from the address's parameters named by their ids. The address stays
under GITHUB_ADDRESS_LIMIT whatever the title: a title too long is cut, never the address.
"""

from __future__ import annotations

from urllib.parse import quote

from recueil.addresses import GITHUB_ADDRESS_LIMIT

UPDATE_FORM_FILE = "signaler-une-mise-a-jour.yml"
UPDATE_TITLE_PREFIX = "[Mise à jour] "
PAGE_FIELD = "page"  # the ids of the form's fields the link fills in
FILE_FIELD = "fichier"


def _encode(text: str) -> str:
    return quote(text, safe="-_.!~*'()")  # as encodeURIComponent


def update_issue_url(repo_url: str, title: str, page_address: str, file_path: str,
                     limit: int = GITHUB_ADDRESS_LIMIT) -> str:
    """The address of a new issue about one card; "" without a repository."""
    if not repo_url:
        return ""
    start = f"{repo_url.rstrip('/')}/issues/new?template={_encode(UPDATE_FORM_FILE)}&title="
    rest = f"&{PAGE_FIELD}={_encode(page_address)}&{FILE_FIELD}={_encode(file_path)}"
    full = UPDATE_TITLE_PREFIX + title
    shown = full
    while len((start + _encode(shown) + rest).encode()) > limit and len(shown) > len(UPDATE_TITLE_PREFIX):
        full = full[:-1]
        shown = full.rstrip() + "…"
    return start + _encode(shown) + rest
