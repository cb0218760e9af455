"""RGAA beyond axe (issue 19): what a keyboard user, a phone or a screen reader meets and axe-core
cannot see, checked in Chromium on every page type of the real site.

- a skip link, first Tab stop of every page, that puts the focus on the page's h1;
- below 1,220 px, the closed navigation drawer out of the Tab order and a menu button that works
  from the keyboard; the map one Tab stop, arrows inside; the bank's jump from filters to results;
- no sideways scroll at 320 px (WCAG 1.4.10), wide tables scrolling in their own named region;
- the interface all in French (Material's and Pagefind's strings), the English page marked so;
- the search dialog: Ctrl+K from a checkbox, focus back where it was, Enter in the field; the search
  page's filter groups in the order they are seen; the bank's reset clears the sort;
- the accessibility statement linked from every page; axe-core at 1,280, 1,024 and 320 px.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from recueil.bank.bank import Bank, load_bank
from recueil.project import Project
from tests.browser.test_a11y import axe_source as axe_source  # the fixture, shared
from tests.browser.test_a11y import violations
from tests.helpers import ROOT

MATERIAL_LANGUAGES = Path(__import__("material").__file__).parent / "templates" / "partials" / "languages"


@cache
def bank() -> Bank:
    return load_bank(Project(ROOT))


def page_types() -> list[str]:
    """One page of each kind the site has."""
    b = bank()
    stratum = b.cases[0].stratum.id
    return ["", "guide/introduction/", "guide/executive-summary/", "recommandations/",
            f"recommandations/{b.recommendations[0].slug}/", "cas/", f"cas/{b.cases[0].slug}/", "carte/",
            "recherche/", "donnees/", "themes/", f"themes/{b.cases[0].meta.themes[0]}/", "tailles/",
            f"tailles/{stratum}/", f"axes/{b.recommendations[0].meta.axis.lower()}/", "programmes/",
            "contribuer/proposer/", "securite/", "accessibilite/"]


def open_at(browser: Browser, width: int, url: str, height: int = 800) -> Page:
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(url)
    return page


FOCUS = """() => {
  const a = document.activeElement;
  if (!a || a === document.body) return {where: 'body', tag: 'BODY', text: '', skip: false};
  const where = a.closest('.md-sidebar--primary') ? 'drawer' : a.closest('.md-content') ? 'content'
    : a.closest('.md-header') ? 'header' : a.closest('.md-footer') ? 'footer' : 'other';
  const text = (a.getAttribute('aria-label') || a.textContent || '').trim().slice(0, 60);
  return {where, tag: a.tagName.toLowerCase(), text, skip: a.classList.contains('md-skip')};
}"""


def focused(page: Page) -> dict:
    return page.evaluate(FOCUS)


# ---- 1. Skip link ----

@pytest.mark.parametrize("path", page_types())
def test_first_tab_stop_is_a_skip_link_that_lands_on_the_h1(page: Page, site_url: str, path: str):
    page.goto(site_url + path)
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["skip"] and first["text"] == "Aller au contenu", first
    assert page.locator("a.md-skip:visible").count() == 1  # one skip link, shown when focused
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement && document.activeElement.tagName === 'H1'")
    assert page.evaluate("document.activeElement === document.querySelector('.md-content h1')")
    # Tab goes on from the title, into the content
    page.keyboard.press("Tab")
    assert focused(page)["where"] == "content"


@pytest.mark.parametrize("path", ["", "cas/", f"cas/{bank().cases[0].slug}/", "carte/", "guide/introduction/"])
def test_at_375_px_the_drawer_is_out_of_the_tab_order(browser: Browser, site_url: str, path: str):
    page = open_at(browser, 375, site_url + path)
    page.keyboard.press("Tab")
    assert focused(page)["skip"]
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert focused(page)["where"] == "content", "first Tab stop after the skip link"
    # From the top of the page: only the header (skip link, menu, search) before the content.
    page.goto(site_url + path)
    before = []
    for _ in range(12):
        page.keyboard.press("Tab")
        stop = focused(page)
        if stop["where"] == "content":
            break
        before.append(stop)
    else:
        pytest.fail(f"no content in the first 12 Tab stops: {before}")
    assert all(stop["where"] == "header" or stop["skip"] for stop in before), before
    assert [stop["text"] for stop in before if not stop["skip"]] == ["Menu", "Rechercher"]
    page.context.close()


def test_the_menu_button_opens_and_closes_the_drawer_from_the_keyboard(browser: Browser, site_url: str):
    page = open_at(browser, 375, site_url + "cas/")
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    drawer_links = page.locator(".md-sidebar--primary a[href]")
    assert drawer_links.count() > 10 and all(not link.is_visible() for link in drawer_links.all()[:10])
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Menu"
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    assert page.is_checked("#__drawer")
    assert focused(page)["where"] == "drawer"
    expect(page.locator(":focus")).to_be_visible()
    assert page.evaluate("getComputedStyle(document.activeElement).visibility") == "visible"
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    assert not page.is_checked("#__drawer") and focused(page)["text"] == "Menu"
    page.keyboard.press(" ")  # Space opens it too
    expect(menu).to_have_attribute("aria-expanded", "true")
    page.context.close()


def test_the_bank_has_a_results_heading_and_a_jump_from_the_filters(page: Page, site_url: str):
    page.goto(site_url + "cas/")
    page.wait_for_selector(".recueil-bank--live")
    heading = page.get_by_role("heading", name="Les expériences", level=2, exact=True)
    expect(heading).to_be_visible()
    jump = page.locator("#recueil-filtres").get_by_role("link", name="Aller aux résultats")
    jump.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'resultats'")
    for _ in range(6):  # the sort and results tools, then the first card; never the filters again
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('#recueil-filtres') === null")
        if page.evaluate("document.activeElement.closest('.recueil-bank__list') !== null"):
            break
    else:
        pytest.fail("the first card is not within 6 Tab stops of the results heading")


MAP_STOPS = """() => [...document.querySelectorAll('figure.recueil-map a.recueil-map__marker')]
  .filter(a => a.tabIndex >= 0 && !a.hasAttribute('hidden')).length"""


@pytest.mark.parametrize("path", ["carte/", "cas/"])
def test_the_map_is_one_tab_stop_with_arrows_inside(page: Page, site_url: str, path: str):
    page.goto(site_url + path)
    markers = page.locator("figure.recueil-map a.recueil-map__marker")
    assert markers.count() > 20
    assert page.evaluate(MAP_STOPS) == 1
    entry = page.locator("figure.recueil-map a.recueil-map__marker[tabindex='0']")
    entry.focus()
    first = page.evaluate("document.activeElement.getAttribute('data-slug')")
    visited = {first}
    for key in ["ArrowRight", "ArrowDown", "ArrowLeft", "ArrowUp", "End", "Home"]:
        page.keyboard.press(key)
        assert page.evaluate("document.activeElement.matches('a.recueil-map__marker')"), key
        visited.add(page.evaluate("document.activeElement.getAttribute('data-slug')"))
    assert len(visited) >= 3
    assert page.evaluate(MAP_STOPS) == 1  # the marker last visited keeps the Tab stop
    page.keyboard.press("Tab")
    assert not page.evaluate("document.activeElement.matches('a.recueil-map__marker, svg')")  # out of the map
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.matches('a.recueil-map__marker')")


def test_the_map_tab_stop_moves_off_a_marker_the_filters_hide(page: Page, site_url: str):
    page.goto(site_url + "cas/")
    page.wait_for_selector(".recueil-bank--live")
    entry = page.locator("figure.recueil-map a.recueil-map__marker[tabindex='0']")
    slug = entry.get_attribute("data-slug")
    mine = next(case for case in bank().cases if case.slug == slug)
    theme = next(case.meta.themes[0] for case in bank().cases if case.meta.themes[0] not in mine.meta.themes)
    page.goto(site_url + f"cas/?theme={theme}")
    page.wait_for_selector(".recueil-bank--live")
    page.wait_for_function(f"document.querySelector('figure.recueil-map a[data-slug=\"{slug}\"]').hasAttribute('hidden')")
    assert page.evaluate(MAP_STOPS) == 1


# ---- 3. Reflow at 320 px ----

@pytest.mark.parametrize("path", page_types())
def test_no_sideways_scroll_at_320_px(browser: Browser, site_url: str, path: str):
    page = open_at(browser, 320, site_url + path, height=640)
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > 321).slice(0, 5).map(e => e.tagName + '.' + e.className)""")
    page.context.close()


def test_the_column_table_scrolls_in_its_own_named_region(browser: Browser, site_url: str):
    page = open_at(browser, 320, site_url + "donnees/", height=640)
    region = page.get_by_role("region", name=re.compile("^Les \\d+ colonnes du fichier cas.csv$"))
    expect(region).to_have_attribute("tabindex", "0")
    assert region.evaluate("box => box.scrollWidth > box.clientWidth")  # wider than the screen, scrolled inside
    region.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("document.activeElement.scrollLeft > 0")
    page.context.close()


# ---- 4. French, languages, the search dialog ----

def english_strings() -> set[str]:
    """Material's English interface strings (its en.html), those a page could show."""
    text = (MATERIAL_LANGUAGES / "en.html").read_text(encoding="utf-8")
    strings = set(re.findall(r'^\s*"[a-z.]+": "([A-Z0-9][^"#\\]{3,})",?$', text, re.M))
    return {s for s in strings if s not in {"Navigation", "Source", "Archive"}} | {"Made with", "Material for MkDocs"}


def test_no_english_string_of_the_theme_in_the_built_pages(real_site: Path):
    strings = english_strings()
    assert {"Edit this page", "Skip to content", "Back to top", "Previous", "Next"} <= strings
    pattern = re.compile(r'(?:>|=")\s*(' + "|".join(re.escape(s) for s in sorted(strings)) + r')\s*(?:<|")')
    found = {}
    pages = list(real_site.rglob("*.html"))
    assert len(pages) > 100
    for path in pages:
        html = path.read_text(encoding="utf-8")
        html = re.sub(r'<div lang="en">.*?</div>\s*(?=<aside|</article>|<form|<nav|$)', "", html, flags=re.S)
        if path.parent.name == "accessibilite":  # the statement names the theme among its technologies
            html = re.sub(r"<article.*?</article>", "", html, flags=re.S)
        hits = set(pattern.findall(html))
        for wrong in ("Editer", "Précédent:", "Suivant:", "Made with"):
            if wrong in html:
                hits.add(wrong)
        if hits:
            found[str(path.relative_to(real_site))] = sorted(hits)
    assert found == {}


def test_every_page_links_to_the_accessibility_statement(real_site: Path):
    link = "Accessibilité&nbsp;: non conforme</a>"  # « non conforme » until an audit gives a rate
    missing = [str(p.relative_to(real_site)) for p in real_site.rglob("*.html") if link not in p.read_text(encoding="utf-8")]
    assert missing == []
    statement = (real_site / "accessibilite" / "index.html").read_text(encoding="utf-8")
    # The sections of the official model (numerique.gouv.fr), in its order.
    sections = ["État de conformité", "Résultats des tests", "Contenus non accessibles", "Non-conformités",
                "Dérogations pour charge disproportionnée", "Contenus non soumis à l'obligation d'accessibilité",
                "Établissement de cette déclaration d'accessibilité", "Technologies utilisées", "Environnement de test",
                "Outils pour évaluer l'accessibilité", "Pages du site ayant fait l'objet de la vérification de conformité",
                "Retour d'information et contact", "Voies de recours"]
    headings = [re.sub(r"<[^>]+>", "", h).replace("&#39;", "'").replace("’", "'").strip()
                for h in re.findall(r"<h[23][^>]*>(.*?)</h[23]>", statement, flags=re.S)]
    found = [next(i for i, h in enumerate(headings) if h.startswith(section)) for section in sections]
    assert found == sorted(found), headings
    for part in ("<strong>non conforme</strong>", "n'a encore pas été audité", "2 décembre 2026",
                 "Défenseur des droits", "Libre réponse 71120, 75342 Paris CEDEX 07",
                 "Par courriel", "github.com/datacites/recueil/issues"):
        assert part in statement.replace("&#39;", "'").replace("’", "'"), part
    assert "<strong>partiellement conforme</strong>" not in statement


def test_the_english_page_is_marked_english(page: Page, site_url: str):
    page.goto(site_url + "guide/executive-summary/")
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert page.evaluate("document.querySelector('.md-content h1').closest('[lang]').lang") == "en"
    assert page.evaluate("document.querySelector('.md-content__button').closest('[lang]').lang") == "fr"
    page.goto(site_url + "guide/introduction/")
    assert page.locator(".md-content [lang='en']").count() == 0


def test_the_footer_and_buttons_speak_french(page: Page, site_url: str):
    page.goto(site_url + "guide/introduction/")
    expect(page.locator(".md-content__button[rel=edit]")).to_have_attribute("title", "Modifier cette page")
    names = [link.get_attribute("aria-label") for link in page.locator(".md-footer__link").all()]
    assert names and all(re.match("^(Précédent|Suivant)\u00a0: ", name) for name in names), names


def open_search_dialog_from_a_checkbox(page: Page, site_url: str) -> None:
    page.goto(site_url + "cas/")
    page.wait_for_function("window.PagefindComponents !== undefined")
    page.wait_for_selector(".recueil-bank--live")
    checkbox = page.locator(".recueil-facet__values input[type=checkbox]:visible").first
    checkbox.focus()
    page.keyboard.press("Control+k")
    expect(page.locator("dialog.pf-modal")).to_be_visible()


def test_ctrl_k_from_a_checkbox_and_escape_gives_the_focus_back(page: Page, site_url: str):
    open_search_dialog_from_a_checkbox(page, site_url)
    checkbox_id = page.locator(".recueil-facet__values input[type=checkbox]:visible").first.get_attribute("id")
    page.wait_for_function("document.activeElement && document.activeElement.closest('pagefind-modal') !== null")
    hints = page.locator("pagefind-keyboard-hints").inner_text()
    assert "Échap" in hints and "esc" not in hints and "Effacer" not in hints, hints
    expect(page.locator("pagefind-modal .pf-modal-close")).to_have_attribute("aria-label", "Fermer")
    page.keyboard.press("Escape")
    expect(page.locator("dialog.pf-modal")).not_to_be_visible()
    page.wait_for_function(f"document.activeElement && document.activeElement.id === '{checkbox_id}'")


def test_ctrl_k_does_not_steal_a_text_field(page: Page, site_url: str):
    page.goto(site_url + "contribuer/proposer/")
    page.wait_for_function("window.PagefindComponents !== undefined")
    page.locator("input[type=text]").first.focus()
    # No delay to wait out: a listener put on window now, in the bubbling phase, hears the keydown after
    # every handler of the page (ours and Pagefind's, which open the dialog and cancel the key), then
    # lets a task run for whatever they scheduled. A handler that took Ctrl+K would show in the event.
    page.evaluate("""() => { window.recueilCtrlK = new Promise((resolve) => {
        window.addEventListener("keydown", (event) => {
            if (event.key.toLowerCase() !== "k") return;
            setTimeout(() => resolve({prevented: event.defaultPrevented, field: document.activeElement.type}), 0);
        });
    }); }""")
    page.keyboard.press("Control+k")
    assert page.evaluate("window.recueilCtrlK") == {"prevented": False, "field": "text"}
    expect(page.locator("dialog.pf-modal")).not_to_be_visible()


def test_enter_in_the_dialog_field_opens_the_search_page(page: Page, site_url: str):
    open_search_dialog_from_a_checkbox(page, site_url)
    page.keyboard.type("arbres", delay=20)
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + "recherche/?q=arbres")
    page.wait_for_selector("pagefind-results[instance=page] .pf-result-link")


def test_enter_in_the_search_page_field_moves_to_the_results(page: Page, site_url: str):
    page.goto(site_url + "recherche/")
    page.wait_for_function("window.PagefindComponents !== undefined")
    field = page.locator("pagefind-input[instance=page] input")
    field.fill("arbres")
    field.press("Enter")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'recueil-search-resultats'")


def test_search_page_filter_groups_are_in_the_order_seen(page: Page, site_url: str):
    page.goto(site_url + "recherche/")
    page.wait_for_selector("pagefind-filter-pane details.pf-filter-group")
    page.wait_for_timeout(100)
    groups = page.evaluate("""() => [...document.querySelectorAll('pagefind-filter-pane details.pf-filter-group')]
        .map(g => [g.dataset.filterName, getComputedStyle(g).order])""")
    assert [name for name, _ in groups[:3]] == ["Type", "Thème", "Taille du territoire"], groups
    assert {order for _, order in groups} == {"0"}  # no CSS reordering: Tab follows what is seen
    tops = page.evaluate("""() => [...document.querySelectorAll('pagefind-filter-pane details.pf-filter-group')]
        .map(g => g.getBoundingClientRect().top)""")
    assert tops == sorted(tops)


def test_the_bank_reset_clears_the_sort_too(page: Page, site_url: str):
    page.goto(site_url + "cas/?theme=mobilite&tri=annee-desc")
    page.wait_for_selector(".recueil-bank--live")
    assert page.input_value("#recueil-tri") == "annee-desc"
    page.get_by_role("button", name="Réinitialiser les filtres").click()
    expect(page).to_have_url(site_url + "cas/")
    assert page.input_value("#recueil-tri") == "titre"


# ---- 6. axe-core at three widths ----

@pytest.mark.parametrize("width", [1280, 1024, 320])
@pytest.mark.parametrize("path", page_types())
def test_no_axe_violation_at_three_widths(browser: Browser, site_url: str, axe_source: str, path: str, width: int):
    page = open_at(browser, width, site_url + path)
    page.wait_for_load_state("load")
    assert violations(page, axe_source) == []
    page.context.close()


def test_no_axe_violation_with_the_drawer_open(browser: Browser, site_url: str, axe_source: str):
    page = open_at(browser, 375, site_url + "cas/")
    page.get_by_role("button", name="Menu").press("Enter")
    page.wait_for_timeout(300)  # the drawer slides in
    assert violations(page, axe_source) == []
    page.context.close()
