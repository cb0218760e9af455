"""The site search in Chromium: Pagefind's dialog from the header and the search page (/recherche/).

The site is served over http by the session fixture (Pagefind's script fetches its index: it cannot
run from file://). Results, counts and filters are compared with the cards; the keyboard path, focus
and the count announced to screen readers are checked as a reader meets them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from recueil.bank.bank import Bank, Case, load_bank
from recueil.project import Project
from tests.conftest import serve_directory
from tests.helpers import ROOT
from tests.test_no_injection import hostile_site as hostile_site  # the fixture, shared

DIALOG = "dialog.pf-modal"
DIALOG_LINKS = "pagefind-modal .pf-result-link"
PAGE_LINKS = "pagefind-results[instance=page] .pf-result-link"
# Every text the live regions of Pagefind's announcer receive (they are emptied 350 ms later).
RECORD_ANNOUNCEMENTS = """
window.recueilAnnounced = [];
new MutationObserver(records => records.forEach(record => {
  const region = record.target.nodeType === 1 ? record.target : record.target.parentElement;
  if (region && region.closest('[data-pagefind-announcer]') && region.textContent)
    window.recueilAnnounced.push(region.getAttribute('aria-live') + ': ' + region.textContent);
})).observe(document, {subtree: true, childList: true, characterData: true});
"""


@cache
def bank() -> Bank:
    return load_bank(Project(ROOT))


def case_paths(keep: Callable[[Case], bool]) -> set[str]:
    return {f"/cas/{case.slug}/" for case in bank().cases if keep(case)}


def search_button(page: Page):
    return page.get_by_role("button", name="Rechercher", exact=True)


def open_dialog(page: Page, site_url: str, path: str = "") -> None:
    page.goto(site_url + path)
    page.wait_for_function("window.PagefindComponents !== undefined")
    search_button(page).click()
    expect(page.locator(DIALOG)).to_be_visible()


def wait_for_summary(page: Page, scope: str, query: str, count: int | None = None) -> int:
    """The number of results the summary gives once the search for `query` (or, with no query, the
    one giving `count` results) has run; "Recherche de « … »…" is shown while it runs."""
    number = r"(?:\d[\d\s\u202f]*|Aucun)" if count is None else (str(count) if count else "Aucun")
    pattern = rf"^{number} résultats?" + (rf" pour « {re.escape(query)} »$" if query else "$")
    summary = page.locator(f"{scope} pagefind-summary")
    expect(summary).to_have_text(re.compile(pattern), timeout=15_000)
    return int(re.sub(r"\D", "", summary.inner_text().split("résultat")[0]) or 0)


def search_in_dialog(page: Page, query: str, at_least: int = 1) -> list[str]:
    """Type the query in the dialog; the addresses of the results shown, best first. Each result is
    loaded when it scrolls into view: wait until the first `at_least` are."""
    page.keyboard.type(query, delay=15)
    count = wait_for_summary(page, "pagefind-modal", query)
    page.wait_for_function("""n => {
      const items = [...document.querySelectorAll('pagefind-modal ul.pf-results > li')].slice(0, n);
      return items.length === n && items.every(item => item.querySelector('.pf-result-link'));
    }""", arg=min(at_least, count))
    return page.eval_on_selector_all(DIALOG_LINKS, "links => links.map(a => new URL(a.href).pathname)")


def every_result(page: Page, instance: str) -> list[str]:
    """Every result of the search on screen, as Pagefind ranked it (the list shows them as they scroll in)."""
    return page.evaluate("""async name => {
      const instance = window.PagefindComponents.getInstanceManager().getInstance(name);
      const data = await Promise.all(instance.searchResult.results.map(result => result.data()));
      return data.map(result => new URL(result.url, location.href).pathname);
    }""", instance)


# ---- The dialog ---------------------------------------------------------------------------------------------------


def test_search_for_a_town_lists_its_cards_first(page: Page, site_url: str):
    niort = case_paths(lambda case: case.meta.territory.name == "Niort")
    assert niort
    open_dialog(page, site_url)
    links = search_in_dialog(page, "Niort", at_least=len(niort))
    assert set(links[: len(niort)]) == niort


def test_search_finds_cases_by_programme_theme_and_text(page: Page, site_url: str):
    open_dialog(page, site_url)
    tee = case_paths(lambda case: case.meta.programme == "tee-2022")
    assert tee & set(search_in_dialog(page, "Transition écologique", at_least=5))
    page.keyboard.press("Escape")
    search_button(page).click()
    page.keyboard.press("Control+a")
    heat = case_paths(lambda case: "ilots-chaleur-adaptation" in case.meta.themes)
    assert heat & set(search_in_dialog(page, "Îlots de chaleur", at_least=5))
    page.keyboard.press("Control+a")
    assert "/cas/ales-patrimoine-arbore/" in search_in_dialog(page, "arboré", at_least=1)  # « Patrimoine arboré »


def test_a_word_typed_without_its_accents_finds_it(page: Page, site_url: str):
    open_dialog(page, site_url)
    assert search_in_dialog(page, "Ales")[0] == "/cas/ales-patrimoine-arbore/"  # Alès


def test_keyboard_only_shortcut_arrows_and_enter(page: Page, site_url: str):
    page.goto(site_url)
    page.wait_for_function("window.PagefindComponents !== undefined")
    page.keyboard.press("Control+k")
    expect(page.locator(DIALOG)).to_be_visible()
    expect(page.locator("pagefind-modal input.pf-input")).to_be_focused()
    first = search_in_dialog(page, "Niort")[0]
    page.keyboard.press("ArrowDown")
    expect(page.locator(DIALOG_LINKS).first).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{first}")


def test_keyboard_only_tab_to_the_button_and_to_a_result(page: Page, site_url: str):
    page.goto(site_url)
    page.wait_for_function("window.PagefindComponents !== undefined")
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('pagefind-modal-trigger')"):
            break
    else:
        pytest.fail("the search button is not reached with Tab")
    page.keyboard.press("Enter")
    expect(page.locator("pagefind-modal input.pf-input")).to_be_focused()
    first = search_in_dialog(page, "Alès")[0]
    for _ in range(4):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.pf-result-link')"):
            break
    assert page.evaluate("new URL(document.activeElement.href).pathname") == first
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{first}")


def test_focus_stays_in_the_dialog_and_returns_to_the_button(page: Page, site_url: str):
    open_dialog(page, site_url)
    search_in_dialog(page, "données", at_least=3)
    focused = set()
    for _ in range(25):
        page.keyboard.press("Tab")
        where = page.evaluate("""() => { const el = document.activeElement, html = el.outerHTML.slice(0, 80);
          return el === document.body ? 'body' : (el.closest('dialog.pf-modal') ? 'dialog:' : 'outside:') + html; }""")
        assert not where.startswith("outside"), where
        focused.add(where)
    assert len(focused) >= 4
    page.keyboard.press("Escape")
    expect(page.locator(DIALOG)).to_be_hidden()
    assert page.evaluate("!!document.activeElement.closest('pagefind-modal-trigger')")
    assert search_button(page).get_attribute("aria-expanded") == "false"


def test_the_count_is_announced_to_screen_readers(page: Page, site_url: str):
    page.add_init_script(RECORD_ANNOUNCEMENTS)
    open_dialog(page, site_url)
    search_in_dialog(page, "Niort")
    count = wait_for_summary(page, "pagefind-modal", "Niort")
    page.wait_for_function("window.recueilAnnounced.length > 0")
    assert f"polite: {count} résultat{'s' if count > 1 else ''} pour « Niort »" in page.evaluate("window.recueilAnnounced")
    regions = page.locator("[data-pagefind-announcer] [role=status]")
    assert regions.count() >= 2 and regions.first.get_attribute("aria-live") in ("polite", "assertive")


def test_the_dialog_leads_to_the_search_page_with_the_query(page: Page, site_url: str):
    open_dialog(page, site_url)
    search_in_dialog(page, "arbres")
    page.get_by_role("link", name="Filtrer par thème, taille, région…").click()
    page.wait_for_url(re.compile(r"/recherche/\?q=arbres$"))
    expect(page.locator("pagefind-input[instance=page] input")).to_have_value("arbres")


def test_results_link_under_the_folder_the_site_is_published_in(page: Page, real_site: Path, tmp_path: Path):
    """Published at https://datacites.github.io/recueil/: result links keep the /recueil/ folder."""
    (tmp_path / "recueil").symlink_to(real_site, target_is_directory=True)
    base = serve_directory(tmp_path)
    open_dialog(page, base + "recueil/", "cas/")
    links = search_in_dialog(page, "Alès")
    assert links[0] == "/recueil/cas/ales-patrimoine-arbore/"
    page.goto(base + "recueil/recherche/?q=Niort")
    wait_for_summary(page, "[data-recueil-search]", "Niort")
    assert all(path.startswith("/recueil/") for path in every_result(page, "page"))


# ---- The search page -----------------------------------------------------------------------------------------------


def test_the_search_page_reads_the_query_and_filters_from_the_address(page: Page, site_url: str):
    page.goto(site_url + "recherche/?q=arbres&taille=ville-moyenne")
    count = wait_for_summary(page, "[data-recueil-search]", "arbres")
    expect(page.locator("pagefind-input[instance=page] input")).to_have_value("arbres")
    box = page.locator("pagefind-filter-pane input[name='Taille du territoire']:checked")
    expect(box).to_have_count(1)
    middle = bank().taxonomy.term("strata", "ville-moyenne")
    assert box.get_attribute("value") == middle.named
    found = every_result(page, "page")
    assert len(found) == count and "/cas/ales-patrimoine-arbore/" in found
    assert set(found) <= case_paths(lambda case: case.stratum.id == "ville-moyenne")


def test_filters_alone_list_exactly_the_matching_cards(page: Page, site_url: str):
    expected = case_paths(lambda case: case.stratum.id == "ville-moyenne")
    page.goto(site_url + "recherche/?taille=ville-moyenne")
    wait_for_summary(page, "[data-recueil-search]", "", count=len(expected))  # all pages first, then these
    assert set(every_result(page, "page")) == expected
    # Two values of one filter: a page must have both (the hint above the filters says so).
    both = case_paths(lambda case: {"mobilite", "energie"} <= set(case.meta.themes))
    page.goto(site_url + "recherche/?theme=mobilite,energie")
    wait_for_summary(page, "[data-recueil-search]", "", count=len(both))
    assert set(every_result(page, "page")) == both


def test_a_filter_narrows_the_results_and_the_count_follows(page: Page, site_url: str):
    page.add_init_script(RECORD_ANNOUNCEMENTS)
    page.goto(site_url + "recherche/?q=données")
    before = wait_for_summary(page, "[data-recueil-search]", "données")
    metropole = bank().taxonomy.term("strata", "metropole")
    page.locator(f"pagefind-filter-pane input[name='Taille du territoire'][value='{metropole.named}']").check()
    summary = page.locator("[data-recueil-search] pagefind-summary")
    expect(summary).not_to_have_text(re.compile(rf"^{before} résultats"), timeout=10_000)
    after = wait_for_summary(page, "[data-recueil-search]", "données")
    assert 0 < after < before
    assert set(every_result(page, "page")) <= case_paths(lambda case: case.stratum.id == "metropole")
    page.wait_for_url(re.compile(r"/recherche/\?q=donn%C3%A9es&taille=metropole$"))
    page.wait_for_function("n => window.recueilAnnounced.some(text => text.includes(n + ' résultats'))", arg=after)
    page.locator("pagefind-filter-pane input[name=Type][value='Fiche expérience']").check()
    page.wait_for_url(re.compile(r"taille=metropole&type=Fiche%20exp%C3%A9rience$"))


def test_the_field_of_the_home_page_opens_the_search_page(page: Page, site_url: str):
    niort = case_paths(lambda case: case.meta.territory.name == "Niort")
    page.goto(site_url)
    page.get_by_label("Un mot, un lieu, un sujet").fill("Niort")
    page.get_by_role("button", name="Chercher", exact=True).click()
    page.wait_for_url(re.compile(r"/recherche/\?q=Niort$"))
    wait_for_summary(page, "[data-recueil-search]", "Niort")
    assert set(every_result(page, "page")[: len(niort)]) == niort


def test_without_javascript_the_search_leads_elsewhere(browser: Browser, site_url: str):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    page.goto(site_url + "cas/")
    link = page.locator(".recueil-search-trigger a")
    expect(link).to_have_text("Rechercher")
    expect(page.locator("pagefind-modal")).to_have_count(0)  # the dialog comes with the script
    link.click()
    page.wait_for_url("**/recherche/")
    notice = page.locator("p.recueil-empty", has_text="La recherche a besoin de JavaScript")
    expect(notice).to_be_visible()
    expect(notice.get_by_role("link", name="banque d'expériences")).to_have_attribute("href", "../cas/")
    context.close()


# ---- Hostile cards: their text is found, never run ---------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_url(hostile_site: Path) -> str:
    """The hostile site of tests/test_no_injection.py, served."""
    return serve_directory(hostile_site)


LIVE_MARKUP = """root => [...root.querySelectorAll('*')].flatMap(el =>
  [...(['SCRIPT', 'IMG', 'SVG', 'IFRAME', 'OBJECT', 'EMBED'].includes(el.tagName.toUpperCase()) ? [el.tagName] : []),
   ...[...el.attributes].filter(a => a.name.startsWith('on')).map(a => el.tagName + ' ' + a.name)])"""


def test_hostile_text_in_results_and_filters_stays_text(page: Page, hostile_url: str):
    page.add_init_script("window.recueilAlerts = []; window.alert = message => window.recueilAlerts.push(message);")
    open_dialog(page, hostile_url)
    links = search_in_dialog(page, "alert", at_least=2)
    assert "/cas/zz-ville-hostile/" in links
    expect(page.locator("pagefind-modal pagefind-results")).to_contain_text("Ville Z : \" onmouseover=\"alert('title')")
    assert page.eval_on_selector("pagefind-modal pagefind-results", LIVE_MARKUP) == []
    page.goto(hostile_url + "recherche/?q=alert")
    wait_for_summary(page, "[data-recueil-search]", "alert")
    page.wait_for_selector(PAGE_LINKS)
    page.locator("details.pf-filter-group[data-filter-name='Région ou pays'] summary").click()
    expect(page.locator("pagefind-filter-pane")).to_contain_text("<svg onload=alert('country')>")
    assert page.eval_on_selector("[data-recueil-search]", LIVE_MARKUP) == []
    assert page.evaluate("window.recueilAlerts") == []
