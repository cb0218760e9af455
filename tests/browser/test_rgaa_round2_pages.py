"""RGAA round 2 (issue 27, items 1 to 13): what axe-core cannot see, checked in Chromium on the real site.

Each test names its item of the issue. The browser's own text size is set as a reader sets it (the
default font size of Chromium's settings, through the DevTools protocol), not by zooming the page.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from recueil.cards.suggest import fold
from tests.browser.test_rgaa import bank, focused, open_at

FIELD = "#recueil-territoire-champ"
OPTIONS = "#recueil-territoire-liste [role=option]"


def open_with_font(browser: Browser, width: int, url: str, font_px: int, height: int = 900) -> Page:
    """A page read with the browser's default font size set to `font_px` (Chromium's setting, 16 by default)."""
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": height})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Page.enable")
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": font_px, "fixed": font_px}})
    page.goto(url)
    page.wait_for_load_state("load")
    return page


# ---- 1. A visible focus on « Mon territoire » ----

@pytest.mark.parametrize("width", [1280, 320])
@pytest.mark.parametrize("path", ["", "cas/"])
def test_the_territory_field_shows_its_focus(browser: Browser, site_url: str, path: str, width: int):
    page = open_at(browser, width, site_url + path)
    field = page.locator(FIELD)
    expect(field).to_be_visible()
    before = field.evaluate("f => { const s = getComputedStyle(f); return [s.outlineStyle, s.outlineWidth, s.boxShadow]; }")
    for _ in range(40):  # reached with the keyboard, as a keyboard user reaches it
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement === document.querySelector('{FIELD}')"):
            break
    else:
        pytest.fail("the field is not reached with Tab")
    style = field.evaluate("f => { const s = getComputedStyle(f); return [s.outlineStyle, s.outlineWidth]; }")
    assert style[0] not in ("none", "hidden") and float(style[1].removesuffix("px")) >= 2, (before, style)
    page.context.close()


# ---- 3. Text that grows with the browser's font size ----

SIZES = """selectors => Object.fromEntries(selectors.map(s => {
  const e = document.querySelector(s);
  return [s, e ? parseFloat(getComputedStyle(e).fontSize) : null];
}))"""
HEADER = [".recueil-search-trigger .pf-trigger-btn", ".recueil-search-trigger .pf-trigger-text"]
DIALOG = ["pagefind-modal input"]
FACETS = ["pagefind-filter-pane .pf-filter-group-title", "pagefind-filter-pane .pf-filter-checkbox",
          "pagefind-filter-pane .pf-filter-checkbox-count"]


def text_sizes(browser: Browser, site_url: str, font_px: int) -> dict[str, float]:
    page = open_with_font(browser, 1280, site_url + "recherche/", font_px)
    page.wait_for_selector("pagefind-filter-pane .pf-filter-checkbox")
    page.wait_for_selector(HEADER[0])
    sizes = page.evaluate(SIZES, HEADER + FACETS)
    page.locator(HEADER[0]).click()
    page.wait_for_selector(DIALOG[0], state="visible")
    sizes.update(page.evaluate(SIZES, DIALOG))
    page.context.close()
    return sizes


def test_search_texts_grow_with_the_browser_font_size(browser: Browser, site_url: str):
    normal, doubled = text_sizes(browser, site_url, 16), text_sizes(browser, site_url, 32)
    assert None not in normal.values(), normal
    ratios = {name: doubled[name] / normal[name] for name in normal}
    assert all(ratio > 1.9 for ratio in ratios.values()), ratios


# ---- 4. The bank with the font doubled ----

@pytest.mark.parametrize("width", [1024, 1280, 1440])
def test_the_bank_reflows_with_the_font_doubled(browser: Browser, site_url: str, width: int):
    page = open_at(browser, width, site_url + "cas/")
    page.wait_for_selector(".recueil-bank--live")
    page.add_style_tag(content="html { font-size: 250% !important; }")  # the page's own size (Material's 125 %) doubled
    page.wait_for_timeout(100)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    others = page.locator(".recueil-map__others-block").first
    assert others.evaluate("b => b.getBoundingClientRect().width") > 100
    page.context.close()


# ---- 5. The form's help texts in the reader's words, recommendations in their order ----

INTERNAL = re.compile(r"territory_kinds|\bthemes\b|\bstatuses\b|\bprogrammes\b|recommendations/|cases/|\.md\b"
                      r"|liste sources|\binsee\b|\bsiren\b")


def test_the_form_help_speaks_to_readers(page: Page, site_url: str):
    page.goto(site_url + "contribuer/proposer/")
    expect(page.locator("[data-recueil-form][data-ready]")).to_be_attached()
    helps = page.locator(".recueil-field__help").all_inner_texts()
    assert len(helps) > 10
    assert [text for text in helps if INTERNAL.search(text)] == []
    numbers = page.locator("#f-recommendations label").all_inner_texts()
    order = [int(re.match(r"\D*(\d+)", label).group(1)) for label in numbers]
    assert order == sorted(order) and len(order) == len(bank().recommendations), numbers


# ---- 6. « Mon territoire »: words anywhere, saint/st, codes; no bullet; the announcement ----

@pytest.mark.parametrize(("typed", "wanted"), [("fougeray", "Le Petit-Fougeray"), ("fougeray", "Grand-Fougeray"),
                                               ("st malo", "Saint-Malo"), ("35218", "Le Petit-Fougeray"),
                                               ("saint sulpice foret", "Saint-Sulpice-la-Forêt"),
                                               ("200041317", "Niort")])
def test_the_territory_field_finds_words_anywhere_and_codes(page: Page, site_url: str, typed: str, wanted: str):
    page.goto(site_url)
    page.locator(FIELD).press_sequentially(typed, delay=20)
    expect(page.locator(OPTIONS).filter(has_text=wanted).first).to_be_visible()


def test_no_bullet_before_a_suggestion_at_360_px(browser: Browser, site_url: str):
    page = open_at(browser, 360, site_url)
    page.locator(FIELD).press_sequentially("rennes", delay=20)
    option = page.locator(OPTIONS).first
    expect(option).to_be_visible()
    assert option.evaluate("o => getComputedStyle(o).listStyleType") == "none"
    assert option.evaluate("o => getComputedStyle(o).listStyleImage") == "none"
    page.context.close()


def test_the_choice_is_announced_with_the_number_of_cases(page: Page, site_url: str):
    page.goto(site_url + "cas/")
    page.locator(FIELD).press_sequentially("Ales", delay=20)
    expect(page.locator(OPTIONS).filter(has_text="Alès").first).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    shown = page.locator(".recueil-territoire__case")
    expect(shown.first).to_be_visible()
    expect(page.locator("#recueil-territoire-statut")).to_have_text(
        re.compile(rf"^Alès choisi : {shown.count()} expériences de territoires comme le vôtre"))


# ---- 7. No arrow-only link after each facet value ----

def test_facet_values_have_no_arrow_links_and_their_pages_stay_reachable(page: Page, site_url: str):
    page.goto(site_url + "cas/")
    page.wait_for_selector(".recueil-bank--live")
    filters = page.locator("#recueil-filtres")
    assert filters.locator(".recueil-facet__values a").count() == 0
    names = filters.locator("a").evaluate_all("links => links.map(a => a.getAttribute('aria-label') || a.textContent)")
    assert all(re.search(r"[A-Za-zÀ-ÿ]{4}", name) for name in names), names
    assert len(names) <= 8, names
    theme = filters.locator("[data-facet=theme]").get_by_role("link")
    expect(theme).to_have_attribute("href", re.compile(r"themes/$"))
    size = filters.locator("[data-facet=taille]").get_by_role("link")
    expect(size).to_have_attribute("href", re.compile(r"tailles/$"))


# ---- 8. Size names and the order of the search page's values ----

def test_the_bank_names_each_size(page: Page, site_url: str):
    page.goto(site_url + "cas/")
    page.wait_for_selector(".recueil-bank--live")
    expect(page.locator("label[for=recueil-f-taille-ville-moyenne]")).to_contain_text(
        "Ville moyenne (20 000 à 100 000 hab.)")
    expect(page.locator("label[for=recueil-f-taille-village]")).to_contain_text("Village (moins de 3 500 hab.)")


def search_values(page: Page, group: str) -> list[str]:
    return page.evaluate("""name => [...document.querySelectorAll(
        `pagefind-filter-pane details.pf-filter-group[data-filter-name="${name}"] .pf-filter-checkbox input`)]
        .map(i => i.value)""", group)


def test_the_search_page_orders_sizes_and_themes(page: Page, site_url: str):
    page.goto(site_url + "recherche/")
    page.wait_for_selector("pagefind-filter-pane details.pf-filter-group[data-filter-name='Thème'] .pf-filter-checkbox")
    page.wait_for_timeout(200)
    taxonomy = bank().taxonomy
    sizes = search_values(page, "Taille du territoire")
    ranks = [next(i for i, s in enumerate(taxonomy.strata) if s.short.casefold() in size.casefold()) for size in sizes]
    assert ranks == sorted(ranks) and len(ranks) >= 4, sizes
    themes = search_values(page, "Thème")
    assert any(theme.startswith("É") for theme in themes) and not themes[-1].startswith("É"), themes
    assert themes == sorted(themes, key=fold), themes


# ---- 9. Heading permalinks ----

def test_no_link_named_pilcrow_on_a_case_page(page: Page, site_url: str):
    page.goto(site_url + f"cas/{bank().cases[0].slug}/")
    names = page.locator(".md-content a").evaluate_all(
        "links => links.map(a => (a.getAttribute('aria-label') || a.textContent.trim() || a.title).trim())")
    assert "¶" not in names and all(name for name in names), names
    expect(page.get_by_role("heading", name="Contexte", exact=True)).to_be_visible()


# ---- 10. English source titles ----

def test_an_english_source_title_is_marked_english(page: Page, site_url: str):
    page.goto(site_url + "cas/boston-smart-city-playbook/")
    title = page.locator(".recueil-sources [lang=en]", has_text="Boston Smart City Playbook")
    expect(title).to_have_count(1)
    assert page.locator(".recueil-sources [lang=en]").count() >= 2


# ---- 12. The open menu keeps the focus at 320 px ----

def test_tab_stays_in_the_open_menu_at_320_px(browser: Browser, site_url: str):
    page = open_at(browser, 320, site_url + "cas/", height=640)
    menu = page.get_by_role("button", name="Menu")
    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    stops = page.evaluate("document.querySelectorAll('.md-sidebar--primary a[href]').length")
    seen = set()
    for _ in range(stops + 5):
        page.keyboard.press("Tab")
        where = focused(page)
        assert where["where"] == "drawer" or where["text"] == "Menu", where
        seen.add(where["text"])
    assert "Menu" in seen  # from the last link of the menu, back to its button
    for _ in range(3):
        page.keyboard.press("Shift+Tab")
        where = focused(page)
        assert where["where"] == "drawer" or where["text"] == "Menu", where
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    assert focused(page)["text"] == "Menu"
    page.context.close()


# ---- 13. The search dialog, theme pages ----

def test_the_dialog_does_not_repeat_the_page_title(page: Page, site_url: str):
    page.goto(site_url)
    page.wait_for_function("window.PagefindComponents !== undefined")
    page.locator(HEADER[0]).click()
    field = page.locator(DIALOG[0])
    expect(field).to_be_visible()
    field.press_sequentially("arbres", delay=20)
    page.wait_for_selector("pagefind-modal .pf-result .pf-heading-link")
    page.wait_for_timeout(300)
    results = page.evaluate("""() => [...document.querySelectorAll('pagefind-modal .pf-result')].map(r =>
        [(r.querySelector('.pf-result-link') || {textContent: ''}).textContent.trim(),
         [...r.querySelectorAll('.pf-heading-link')].map(a => [a.textContent.trim(), a.getAttribute('href')])])""")
    assert len(results) >= 3 and any(subs for _, subs in results), results
    repeated = [(title, subs) for title, subs in results if title in [text for text, _ in subs]]
    assert repeated == [], repeated[:3]


def test_a_theme_page_points_to_the_recommendations_its_cases_illustrate(page: Page, site_url: str):
    b = bank()
    theme = "ouverture-donnees" if b.taxonomy.has("themes", "ouverture-donnees") else b.cases[0].meta.themes[0]
    wanted = {ref for case in b.cases if theme in case.meta.themes for ref in case.meta.recommendations}
    page.goto(site_url + f"themes/{theme}/")
    section = page.locator(".recueil-theme-recommendations")
    links = section.get_by_role("link")
    hrefs = {link.get_attribute("href").rstrip("/").rsplit("/", 1)[-1] for link in links.all()}
    assert hrefs == wanted
