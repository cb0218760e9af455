"""The site built by Zensical (no hooks: `recueil build --engine zensical`) in Chromium: axe-core finds no
violation on its main page types, no page asks another host for anything, and the search works from
the header's button with the same filters as with MkDocs (the built sites: tests/conftest.py, engine_sites).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_a11y import axe_source, violations  # noqa: F401 (axe_source: a fixture)
from tests.conftest import serve_directory

pytestmark = pytest.mark.engines  # the sites of the other engines

PAGE_TYPES = ["", "cas/", "cas/niort-portail-ressources-naturelles/", "recommandations/mesurer-impacts/",
              "axes/a/", "themes/mobilite/", "tailles/ville-moyenne/", "carte/", "recherche/?q=donn%C3%A9es",
              "donnees/", "contribuer/proposer/", "guide/valeurs/"]
# Not 404.html: its links start from site_url's path (/recueil/), which a site served at / does not have (as with MkDocs).


@pytest.fixture(scope="module")
def zensical_url(engine_sites) -> str:
    return serve_directory(engine_sites["zensical"])


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_no_axe_violation_on_zensical_pages(page: Page, zensical_url: str, axe_source: str, path: str):  # noqa: F811
    page.goto(zensical_url + path, wait_until="networkidle")
    assert violations(page, axe_source) == []


@pytest.mark.parametrize("path", ["", "cas/", "cas/niort-portail-ressources-naturelles/", "recherche/?q=mobilit%C3%A9"])
def test_zensical_pages_ask_no_other_host_and_search_from_the_header(page: Page, zensical_url: str, path: str):
    own, elsewhere = urlsplit(zensical_url).netloc, []
    page.on("request", lambda request: elsewhere.append(request.url)
            if urlsplit(request.url).scheme in ("http", "https", "ws", "wss")
            and urlsplit(request.url).netloc != own else None)
    page.goto(zensical_url + path, wait_until="networkidle")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    expect(page.locator("dialog.pf-modal")).to_be_visible()
    page.keyboard.type("mobilité", delay=20)
    page.wait_for_selector("pagefind-modal .pf-result-link")
    page.wait_for_load_state("networkidle")
    assert elsewhere == []


def test_zensical_search_page_filters_by_the_bank_facets(page: Page, zensical_url: str, axe_source: str):  # noqa: F811
    page.goto(zensical_url + "recherche/?q=donn%C3%A9es&taille=metropole")
    page.wait_for_selector("pagefind-results[instance=page] .pf-result-link")
    page.wait_for_selector("pagefind-filter-pane input:checked")
    assert violations(page, axe_source) == []
