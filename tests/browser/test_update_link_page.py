"""« Signaler une mise à jour » on a card page in Chromium: a plain link on screen, left out on paper."""

from __future__ import annotations

import urllib.parse

from playwright.sync_api import Page, expect

from recueil.addresses import GITHUB_ADDRESS_LIMIT


def test_the_update_link_is_on_screen_and_not_on_paper(page: Page, site_url: str) -> None:
    page.goto(site_url + "cas/ales-patrimoine-arbore/")
    link = page.get_by_role("link", name="Signaler une mise à jour de cette fiche")
    expect(link).to_be_visible()
    href = link.get_attribute("href") or ""
    assert href.startswith("https://github.com/datacites/recueil/issues/new?")
    assert len(href.encode()) <= GITHUB_ADDRESS_LIMIT
    query = urllib.parse.parse_qs(href.split("?", 1)[1])
    assert query["fichier"] == ["cases/ales-patrimoine-arbore.md"]
    assert query["page"] == ["https://datacites.github.io/recueil/cas/ales-patrimoine-arbore/"]
    page.emulate_media(media="print")
    expect(page.locator(".recueil-update")).to_be_hidden()
