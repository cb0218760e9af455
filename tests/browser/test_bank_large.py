"""The bank page of a large bank (1,000 cases): its HTML holds the first 200 cards, the script draws the
others from the bank's JSON, and the list never holds more than 200 cards, whatever the reader does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page

from benchmarks.synthetic import write_synthetic_cases
from recueil.bank.bank import Bank, load_bank
from recueil.bank.facets import HTML_CARDS, PAGE_SIZE, bank_order, matching
from recueil.project import Project
from tests.conftest import build_site, copy_project, serve_directory

CASES = 1000
CARDS = ".recueil-bank__list > li.recueil-case"
# Records the largest number of cards the list ever held, from before the script runs.
WATCH = """() => {
  window.__mostCards = 0;
  const count = () => {
    const list = document.querySelector('.recueil-bank__list');
    if (list) window.__mostCards = Math.max(window.__mostCards, list.children.length);
  };
  new MutationObserver(count).observe(document, {childList: true, subtree: true});
}"""


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Bank]:
    project = copy_project(tmp_path_factory.mktemp("large"))
    write_synthetic_cases(project / "cases", CASES - len(list(project.glob("cases/*.md"))), seed=7)
    site = project / "site"
    result = build_site(project, site, strict=False)
    assert result.returncode == 0, result.stderr
    return serve_directory(site), load_bank(Project(project))


def shown(page: Page) -> list[str]:
    return page.eval_on_selector_all(CARDS, "cards => cards.map(c => c.dataset.slug)")


def test_the_page_holds_the_first_cards_and_never_more_than_200(page: Page, large: tuple[str, Bank]):
    url, bank = large
    ordered = [case.slug for case in bank_order(bank.cases)]
    html = page.request.get(url + "cas/").text()
    assert html.count('class="recueil-case recueil-case--bank"') == HTML_CARDS
    page.add_init_script(f"({WATCH})()")
    page.goto(url + "cas/")
    page.wait_for_selector(".recueil-bank--live")
    assert shown(page) == ordered[:PAGE_SIZE]
    assert page.locator("#recueil-resultat").inner_text() == f"{CASES} expériences ; {PAGE_SIZE} affichées"
    more = page.locator(".recueil-more")
    clicks = (CASES - PAGE_SIZE) // PAGE_SIZE - 1  # more cards asked for than the list holds, fewer than the bank
    for _ in range(clicks):
        more.click()
    asked = PAGE_SIZE * (1 + clicks)
    assert asked > HTML_CARDS, "the list must have had to make room"
    assert shown(page) == ordered[asked - HTML_CARDS:asked]  # the first ones made room
    assert page.locator("#recueil-resultat").inner_text() == (
        f"{CASES} expériences ; {asked - HTML_CARDS + 1} à {asked} affichées")
    page.locator(".recueil-less").click()
    assert shown(page) == ordered[asked - HTML_CARDS - PAGE_SIZE:asked - PAGE_SIZE]
    # A filter: the counts and the cards are those of the whole bank, not of the HTML's cards.
    page.get_by_role("checkbox", name=re.compile(r"^Mobilité \(")).check()
    mobility = [case.slug for case in matching(bank, {"theme": ["mobilite"]})]
    assert len(mobility) > PAGE_SIZE and shown(page) == mobility[:PAGE_SIZE]
    expected = {size.id: len(matching(bank, {"theme": ["mobilite"], "taille": [size.id]}))
                for size in bank.taxonomy.strata}
    counts = dict(page.eval_on_selector_all("fieldset[data-facet=taille] li", "items => items.map(li => "
                                            "[li.querySelector('input').value, "
                                            "li.querySelector('.recueil-facet__count').textContent])"))
    assert {key: int(value.strip("()")) for key, value in counts.items()} == {
        key: value for key, value in expected.items() if key in counts}
    assert page.evaluate("document.querySelector('[data-recueil-bank]').recueilSelection()") == mobility
    page.select_option("#recueil-tri", "annee-desc")
    assert len(shown(page)) == PAGE_SIZE
    assert page.evaluate("window.__mostCards") <= HTML_CARDS


def test_an_address_with_a_selection_draws_it_from_the_whole_bank(page: Page, large: tuple[str, Bank]):
    url, bank = large
    page.goto(url + "cas/?taille=metropole&tri=population-desc")
    page.wait_for_selector(".recueil-bank--live")
    chosen = matching(bank, {"taille": ["metropole"]})
    by_population = sorted(chosen, key=lambda case: -(case.meta.territory.population or 0))
    assert shown(page)[:5] == [case.slug for case in by_population[:5]]
    assert page.locator("#recueil-resultat").inner_text().startswith(f"{len(chosen)} expériences sur {CASES}")
    first = page.locator(CARDS).first
    assert first.locator("a").get_attribute("href") == f"{by_population[0].slug}/"


def test_without_javascript_the_page_says_where_every_case_is(browser, large: tuple[str, Bank]):
    url, _ = large
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    page.goto(url + "cas/")
    note = page.locator(".recueil-bank__noscript")
    assert note.is_visible() and f"{HTML_CARDS} premières expériences sur {CASES}" in note.inner_text()
    assert page.locator(CARDS).count() == HTML_CARDS
    context.close()


def test_the_bank_data_is_compact(large: tuple[str, Bank], tmp_path: Path):
    url, _ = large
    import gzip
    import urllib.request

    with urllib.request.urlopen(url + "cas/") as response:  # noqa: S310 - loopback test server
        page = response.read()
    with urllib.request.urlopen(url + "cas/banque.json") as response:  # noqa: S310
        data = response.read()
    assert len(gzip.compress(page)) < 100_000  # the first view, compressed as servers send it
    assert len(data) / CASES < 400  # bytes per case


def test_the_download_holds_every_case_even_before_the_data_is_loaded(page: Page, large: tuple[str, Bank]):
    import csv
    import io

    url, bank = large
    page.goto(url + "cas/")
    page.wait_for_selector(".recueil-bank--live")
    with page.expect_download() as download:
        page.locator(".recueil-export__button[data-format=csv]").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert [row[0] for row in rows[1:]] == [case.slug for case in bank_order(bank.cases)]
