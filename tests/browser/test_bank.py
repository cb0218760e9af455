"""The case bank in Chromium: filters against the card files, live counts, URL state, sort, keyboard,
the map following the filters, and the pages that work without JavaScript (the site search has its
own file, test_search.py)."""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Callable
from functools import cache

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from recueil.bank.bank import Bank, Case, load_bank
from recueil.bank.facets import PAGE_SIZE, bank_order
from recueil.project import Project
from tests.helpers import ROOT

CARDS = ".recueil-bank__list > li.recueil-case"


@cache
def bank() -> Bank:
    return load_bank(Project(ROOT))


def axes_of(case: Case) -> set[str]:
    return {bank().recommendation_by_slug[ref].meta.axis for ref in case.meta.recommendations}


def slugs_where(keep: Callable[[Case], bool]) -> set[str]:
    return {case.slug for case in bank().cases if keep(case)}


def shown_slugs(page: Page) -> list[str]:
    """The cards a reader sees, in order (the script keeps only those in the list)."""
    return page.eval_on_selector_all(CARDS, "cards => cards.filter(c => c.offsetParent !== null).map(c => c.dataset.slug)")


def open_bank(page: Page, site_url: str, query: str = "") -> None:
    page.goto(site_url + "cas/" + (f"?{query}" if query else ""))
    page.wait_for_selector(".recueil-bank--live")


def counts(page: Page, param: str) -> dict[str, int]:
    pairs = page.eval_on_selector_all(
        f"fieldset[data-facet={param}] li",
        "items => items.map(li => [li.querySelector('input').value, li.querySelector('.recueil-facet__count').textContent])")
    return {value: int(text.strip("()")) for value, text in pairs}


COMBINATIONS: list[tuple[str, Callable[[Case], bool]]] = [
    ("theme=mobilite", lambda c: "mobilite" in c.meta.themes),
    ("theme=mobilite,energie&taille=metropole",
     lambda c: bool({"mobilite", "energie"} & set(c.meta.themes)) and c.stratum.id == "metropole"),
    ("theme=participation-citoyenne&theme=inclusion-numerique&taille=grande-ville&taille=ville-moyenne",
     lambda c: bool({"participation-citoyenne", "inclusion-numerique"} & set(c.meta.themes))
     and c.stratum.id in {"grande-ville", "ville-moyenne"}),
    # « en cours » on a document of the last 4 years; older ones are « à confirmer » (recueil/bank/freshness.py)
    ("axe=b&statut=en-cours", lambda c: "B" in axes_of(c) and c.meta.status == "en-cours" and not c.status_to_confirm),
    ("statut=a-confirmer", lambda c: c.status_to_confirm),
    ("recommandation=observer-les-usages&annee=2015-2018",
     lambda c: "observer-les-usages" in c.meta.recommendations and 2015 <= (c.meta.year or 0) <= 2018),
    ("programme=france-urbaine-2019,tee-2022&annee=2016-",
     lambda c: c.meta.programme in {"france-urbaine-2019", "tee-2022"} and (c.meta.year or 0) >= 2016),
    ("region=ile-de-france", lambda c: c.meta.territory.country == "France" and c.meta.territory.region == "Île-de-France"),
]


@pytest.mark.parametrize(("query", "keep"), COMBINATIONS, ids=[q for q, _ in COMBINATIONS])
def test_cards_shown_are_the_cases_of_the_card_files(page: Page, site_url: str, query: str, keep):
    expected = slugs_where(keep)
    assert expected, f"the content no longer has cases for {query}: pick another combination"
    open_bank(page, site_url, query)
    assert set(shown_slugs(page)) == expected
    total = len(bank().cases)
    word = "expériences" if len(expected) > 1 else "expérience"
    assert page.locator("#recueil-resultat").inner_text() == (
        f"{total} expériences" if len(expected) == total else f"{len(expected)} {word} sur {total}")


def test_clicking_filters_combines_and_across_or_within_and_writes_the_url(page: Page, site_url: str):
    open_bank(page, site_url)
    page.get_by_role("checkbox", name=re.compile(r"^Mobilité \(")).check()
    page.get_by_role("checkbox", name=re.compile(r"^Énergie \(")).check()
    page.get_by_role("button", name="Axe du guide").click()
    page.get_by_role("checkbox", name=re.compile(r"^D\. ")).check()
    expected = slugs_where(lambda c: bool({"mobilite", "energie"} & set(c.meta.themes)) and "D" in axes_of(c))
    assert expected and set(shown_slugs(page)) == expected
    expect(page).to_have_url(site_url + "cas/?theme=mobilite,energie&axe=d")  # written just after the screen


def test_each_value_counts_the_cases_it_would_give_with_the_other_filters(page: Page, site_url: str):
    open_bank(page, site_url, "theme=mobilite&taille=metropole")
    themes = counts(page, "theme")
    for theme_id, n in themes.items():  # the theme facet ignores its own choice, keeps the size
        assert n == len(slugs_where(lambda c, t=theme_id: t in c.meta.themes and c.stratum.id == "metropole")), theme_id
    for stratum_id, n in counts(page, "taille").items():
        assert n == len(slugs_where(lambda c, s=stratum_id: s == c.stratum.id and "mobilite" in c.meta.themes)), stratum_id
    statuses = counts(page, "statut")
    assert sum(statuses.values()) == len(shown_slugs(page))


def test_opening_a_url_restores_exactly_that_selection(page: Page, browser: Browser, site_url: str):
    open_bank(page, site_url)
    page.get_by_role("checkbox", name=re.compile(r"^Participation citoyenne \(")).check()
    page.get_by_role("button", name="Région ou pays").click()
    page.get_by_role("checkbox", name=re.compile(r"^Île-de-France \(")).check()
    page.select_option("#recueil-f-annee-de", "2014")
    page.select_option("#recueil-tri", "population-desc")
    expect(page).to_have_url(re.compile(r"tri=population-desc"))
    url, shown = page.url, shown_slugs(page)
    assert "theme=participation-citoyenne" in url and "region=ile-de-france" in url
    assert "annee=2014-" in url and "tri=population-desc" in url
    other = browser.new_page()
    other.goto(url)
    other.wait_for_selector(".recueil-bank--live")
    assert shown_slugs(other) == shown  # same cards, same order
    checked = other.eval_on_selector_all("fieldset input:checked", "inputs => inputs.map(i => i.name + '=' + i.value)")
    assert sorted(checked) == ["region=ile-de-france", "theme=participation-citoyenne"]
    assert other.input_value("#recueil-f-annee-de") == "2014" and other.input_value("#recueil-f-annee-a") == ""
    assert other.get_by_role("button", name=re.compile("^Région ou pays")).get_attribute("aria-expanded") == "true"
    other.close()


def test_repeated_and_comma_separated_parameters_are_the_same(page: Page, site_url: str):
    open_bank(page, site_url, "taille=petite-ville&taille=ville-moyenne&theme=gouvernance-donnees")
    repeated = shown_slugs(page)
    open_bank(page, site_url, "taille=petite-ville,ville-moyenne&theme=gouvernance-donnees")
    assert shown_slugs(page) == repeated and repeated
    expect(page).to_have_url(site_url + "cas/?theme=gouvernance-donnees&taille=petite-ville,ville-moyenne")


def test_reset_shows_every_case_and_clears_the_url(page: Page, site_url: str):
    open_bank(page, site_url, "theme=sante&annee=2020-2010")
    assert shown_slugs(page) == []
    assert page.locator(".recueil-results__empty").is_visible()
    page.get_by_role("button", name="Réinitialiser les filtres").click()
    total, first_page = len(bank().cases), PAGE_SIZE  # the list holds a first page of cards
    assert len(shown_slugs(page)) == min(total, first_page)
    expect(page).to_have_url(site_url + "cas/")
    assert page.locator("#recueil-resultat").inner_text() == (
        f"{total} expériences" + (f" ; {first_page} affichées" if total > first_page else ""))
    assert not page.locator(".recueil-results__empty").is_visible()


def test_sorting_by_population_and_year(page: Page, site_url: str):
    ordered = bank_order(bank().cases)
    rank = {case.slug: i for i, case in enumerate(ordered)}
    open_bank(page, site_url, "tri=population-desc")
    known = [c for c in ordered if c.meta.territory.population is not None]
    unknown = [c for c in ordered if c.meta.territory.population is None]
    by_population = sorted(known, key=lambda c: (-(c.meta.territory.population or 0), rank[c.slug])) + unknown
    first_page = PAGE_SIZE  # the list holds a first page of cards
    assert shown_slugs(page) == [c.slug for c in by_population][:first_page]
    page.select_option("#recueil-tri", "annee-asc")
    dated = [c for c in ordered if c.meta.year is not None]  # a card without a start year comes last
    undated = [c.slug for c in ordered if c.meta.year is None]
    assert undated, "the content has no card without a year: this sort check would miss the undated case"
    by_year = [c.slug for c in sorted(dated, key=lambda c: (c.meta.year, rank[c.slug]))] + undated
    assert shown_slugs(page) == by_year[:first_page]
    page.select_option("#recueil-tri", "titre")
    assert shown_slugs(page) == [c.slug for c in ordered][:first_page]
    expect(page).to_have_url(site_url + "cas/")


def test_the_result_count_is_announced(page: Page, site_url: str):
    open_bank(page, site_url)
    status = page.locator("#recueil-resultat")
    assert status.get_attribute("role") == "status"
    page.get_by_role("checkbox", name=re.compile(r"^Santé \(")).check()
    n = len(slugs_where(lambda c: "sante" in c.meta.themes))
    assert status.inner_text() == f"{n} expérience{'s' if n > 1 else ''} sur {len(bank().cases)}"


def test_filters_work_from_the_keyboard_with_a_visible_focus(page: Page, site_url: str):
    open_bank(page, site_url)
    page.get_by_role("button", name="Avancement").focus()
    page.keyboard.press("Enter")
    assert page.get_by_role("button", name="Avancement").get_attribute("aria-expanded") == "true"
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.name, document.activeElement.value]")
    assert focused[0] == "statut"
    style = page.evaluate("(() => { const s = getComputedStyle(document.activeElement);"
                          " return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()")
    assert style[0] == "solid" and style[1] >= 2
    page.keyboard.press("Space")
    assert set(shown_slugs(page)) == slugs_where(lambda c: c.status_value == focused[1])  # « à confirmer » apart
    expect(page).to_have_url(site_url + f"cas/?statut={focused[1]}")


def test_filters_link_to_the_pages_that_work_without_javascript(page: Page, site_url: str):
    """One named link per filter to the page listing its values' pages, not an arrow per value (RGAA 6.1)."""
    open_bank(page, site_url)
    link = page.locator("fieldset[data-facet=theme]").get_by_role("link", name="Une page par thème")
    assert link.get_attribute("href") == "../themes/"
    size_link = page.locator("fieldset[data-facet=taille]").get_by_role("link", name="Une page par taille de territoire")
    assert size_link.get_attribute("href") == "../tailles/"
    assert page.locator("fieldset[data-facet=theme] li a").count() == 0


def test_long_results_come_a_page_at_a_time(page: Page, site_url: str):
    def small_pages(route: Route) -> None:
        response = route.fetch()
        route.fulfill(response=response, body=re.sub(r'data-page-size="\d+"', 'data-page-size="10"', response.text()))

    page.route(re.compile(r"/cas/(\?.*)?$"), small_pages)
    open_bank(page, site_url, "tri=annee-desc")
    ordered = bank_order(bank().cases)
    rank = {case.slug: i for i, case in enumerate(ordered)}
    by_year = [c.slug for c in sorted(ordered, key=lambda c: (c.meta.year is None, -(c.meta.year or 0), rank[c.slug]))]
    total = len(by_year)
    assert shown_slugs(page) == by_year[:10]
    assert page.locator("#recueil-resultat").inner_text() == f"{total} expériences ; 10 affichées"
    more = page.get_by_role("button", name="Afficher 10 expériences de plus")
    more.click()
    assert shown_slugs(page) == by_year[:20]
    assert page.evaluate("document.activeElement.closest('li').dataset.slug") == by_year[10]  # focus on the first new card
    page.get_by_role("checkbox", name=re.compile(r"^Mobilité \(")).check()  # a new selection starts a new first page
    mobility = [slug for slug in by_year if "mobilite" in bank().case_by_slug[slug].meta.themes]
    assert len(mobility) > 10 and shown_slugs(page) == mobility[:10]
    # Other scripts (the download of the selection) get the whole selection, not only the first page.
    assert page.evaluate("document.querySelector('[data-recueil-bank]').recueilSelection()") == mobility
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert shown_slugs(page) == mobility  # paper gets every matching case


def _map_figure(site_url: str) -> str:
    """The map as the map page draws it (the bank page may not hold it yet)."""
    with urllib.request.urlopen(site_url + "carte/") as response:  # noqa: S310 - loopback test server
        html = response.read().decode("utf-8")
    found = re.search(r'<figure class="recueil-map".*?</figure>', html, re.DOTALL)
    assert found, "the map page has no <figure class=\"recueil-map\">"
    return found.group(0)


def test_the_map_follows_the_filters(page: Page, site_url: str):
    figure = _map_figure(site_url)

    def with_map(route: Route) -> None:
        response = route.fetch()
        body = response.text()
        if 'class="recueil-map"' not in body:
            body = body.replace('<div class="recueil-bank"', figure + '\n<div class="recueil-bank"', 1)
        route.fulfill(response=response, body=body)

    page.route(re.compile(r"/cas/(\?.*)?$"), with_map)
    open_bank(page, site_url, "taille=metropole")
    expected = slugs_where(lambda c: c.stratum.id == "metropole")
    markers = page.eval_on_selector_all("figure.recueil-map a.recueil-map__marker[data-slug]",
                                        "els => els.map(e => [e.dataset.slug, getComputedStyle(e).display !== 'none'])")
    assert markers and any(visible for _, visible in markers)
    assert {slug for slug, visible in markers if visible} == expected & {slug for slug, _ in markers}
    listed = page.eval_on_selector_all("figure.recueil-map li[data-slug]",
                                       "els => els.map(e => [e.dataset.slug, getComputedStyle(e).display !== 'none'])")
    assert {slug for slug, visible in listed if visible} == expected & {slug for slug, _ in listed}
    page.get_by_role("button", name="Réinitialiser les filtres").click()
    assert page.locator("figure.recueil-map [data-slug][hidden]").count() == 0


@pytest.fixture
def page_without_js(browser: Browser):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    yield context.new_page()
    context.close()


def _listed(page: Page) -> set[str]:
    return set(page.eval_on_selector_all("article li.recueil-case", "items => items.map(li => li.dataset.slug)"))


def test_without_javascript_the_bank_lists_every_case_and_hides_the_inert_panel(page_without_js: Page, site_url: str):
    page_without_js.goto(site_url + "cas/")
    assert _listed(page_without_js) == {c.slug for c in bank().cases}
    assert page_without_js.locator("li.recueil-case").first.is_visible()
    assert not page_without_js.locator(".recueil-filters").is_visible()
    assert not page_without_js.locator(".recueil-results__tools").is_visible()
    assert page_without_js.locator("#recueil-resultat").inner_text() == f"{len(bank().cases)} expériences"
    for target in ("../themes/", "../tailles/", "../recommandations/"):
        assert page_without_js.locator(f".recueil-summary a[href='{target}']").count() == 1


@pytest.mark.parametrize(("path", "keep"), [
    ("themes/mobilite/", lambda c: "mobilite" in c.meta.themes),
    ("tailles/grande-ville/", lambda c: c.stratum.id == "grande-ville"),
    ("axes/c/", lambda c: "C" in axes_of(c)),
])
def test_without_javascript_the_static_pages_list_their_cases(page_without_js: Page, site_url: str, path, keep):
    page_without_js.goto(site_url + path)
    expected = slugs_where(keep)
    assert expected and _listed(page_without_js) == expected
