"""No page asks another host for anything, and the theme reads its own settings (docs/securite.md).

Every page type of the real site is loaded in Chromium, the search used (Pagefind loads its index
and its WebAssembly then) and the form page opened; any request that leaves the site's own host
fails the test: no fonts, no repository API (Material asks api.github.com for the repository's stars
when its `source` component is on the page), no tiles, no remote images, no trackers.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

PAGE_TYPES = ["", "cas/", "cas/niort-portail-ressources-naturelles/", "recommandations/",
              "recommandations/mesurer-impacts/", "axes/a/", "themes/", "themes/mobilite/", "tailles/",
              "tailles/ville-moyenne/", "carte/", "recherche/?q=donn%C3%A9es", "donnees/", "contribuer/proposer/",
              "guide/valeurs/", "programmes/tee-2022/", "securite/"]


def _requests_elsewhere(page: Page, site_url: str) -> list[str]:
    own = urlsplit(site_url).netloc
    elsewhere: list[str] = []
    page.on("request", lambda request: elsewhere.append(request.url)
            if urlsplit(request.url).scheme in ("http", "https", "ws", "wss")
            and urlsplit(request.url).netloc != own else None)
    return elsewhere


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_a_page_makes_no_request_to_another_host(page, site_url, path):
    elsewhere = _requests_elsewhere(page, site_url)
    page.goto(site_url + path, wait_until="networkidle")
    # The search dialog: Pagefind's scripts, index and WebAssembly load when it is used.
    page.get_by_role("button", name="Rechercher", exact=True).click()
    expect(page.locator("dialog.pf-modal")).to_be_visible()
    with page.expect_response(lambda response: "/pagefind/" in response.url and "fragment" in response.url):
        page.keyboard.type("mobilité")
    page.wait_for_load_state("networkidle")
    assert elsewhere == []


def test_the_theme_reads_its_own_settings(page, site_url):
    page.goto(site_url + "cas/niort-portail-ressources-naturelles/")
    config = page.evaluate("() => { const c = document.querySelector('#__config');"
                           " return [c.tagName, JSON.parse(c.textContent).base]; }")
    assert config[0] == "SCRIPT" and not config[1].startswith("http")


def test_the_repository_link_stays_without_its_api_call(page, site_url):
    page.goto(site_url, wait_until="networkidle")
    link = page.locator("a.md-source").first
    assert link.get_attribute("href", timeout=2000).startswith("https://github.com/")
    assert link.get_attribute("data-md-component") is None
