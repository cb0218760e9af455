"""axe-core in Chromium: no violation on the home, a recommendation, a case (and one whose status is « à confirmer »),
the bank and a theme page, nor with the search dialog open, nor on the search page with results and filters.

axe-core is a test-only npm package: `npm ci --prefix tests/browser` installs the version pinned in
tests/browser/package-lock.json into tests/browser/node_modules (ignored by git).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page

from recueil.bank.bank import load_bank
from recueil.project import Project
from tests.helpers import ROOT

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci --prefix tests/browser` (see tests/browser/package.json)")
    return AXE.read_text(encoding="utf-8")


def violations(page: Page, axe_source: str) -> list[str]:
    """Every axe-core rule that fails on the page as it is now, with the elements at fault."""
    page.add_script_tag(content=axe_source)
    result = page.evaluate("axe.run(document)")
    return [f"{v['id']} ({v['impact']}): {v['help']} — {json.dumps([n['target'] for n in v['nodes']][:5])}"
            for v in result["violations"]]


def _pages() -> list[str]:
    bank = load_bank(Project(ROOT))
    # a case whose status is « à confirmer » too (recueil/bank/freshness.py), when the bank has one
    to_confirm = [f"cas/{case.slug}/" for case in bank.cases if case.status_to_confirm][:1]
    return ["", f"recommandations/{bank.recommendations[0].slug}/", f"cas/{bank.cases[0].slug}/",
            *[path for path in to_confirm if path != f"cas/{bank.cases[0].slug}/"], "cas/", "themes/mobilite/"]


@pytest.mark.parametrize("path", _pages())
def test_no_axe_violation(page: Page, site_url: str, axe_source: str, path: str):
    page.goto(site_url + path)
    assert violations(page, axe_source) == []


def test_no_axe_violation_on_the_bank_with_every_filter_open_and_a_selection(page: Page, site_url: str,
                                                                             axe_source: str):
    page.goto(site_url + "cas/?theme=mobilite&taille=metropole,grande-ville&annee=2012-")
    page.wait_for_selector(".recueil-bank--live")
    closed = page.locator(".recueil-facet__toggle[aria-expanded=false]")
    while closed.count():
        closed.first.click()
    assert violations(page, axe_source) == []


def test_no_axe_violation_with_the_search_dialog_open(page: Page, site_url: str, axe_source: str):
    page.goto(site_url + "cas/")
    page.wait_for_function("window.PagefindComponents !== undefined")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    page.keyboard.type("Niort", delay=20)
    page.wait_for_selector("pagefind-modal .pf-result-link")
    assert page.get_by_role("dialog", name="Rechercher").is_visible()
    assert violations(page, axe_source) == []


def test_no_axe_violation_on_the_search_page_with_results_and_filters(page: Page, site_url: str, axe_source: str):
    page.goto(site_url + "recherche/?q=donn%C3%A9es&taille=metropole")
    page.wait_for_selector("pagefind-results[instance=page] .pf-result-link")
    page.wait_for_selector("pagefind-filter-pane input:checked")
    closed = page.locator("details.pf-filter-group:not([open]) > summary")
    while closed.count():
        closed.first.click()  # every filter unfolded
    assert violations(page, axe_source) == []
