"""« Mon territoire » in Chromium: autocomplete without accents, similar cases first with their reason,
the address keeps the choice, the form fills the code, only the site's own files, axe-core clean."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.test_a11y import axe_source, violations  # noqa: F401  (the axe fixture)

FIELD = "#recueil-territoire-champ"


def choose(page: Page, typed: str, wanted: str) -> None:
    page.locator(FIELD).press_sequentially(typed, delay=30)
    option = page.locator("#recueil-territoire-liste [role=option]").filter(has_text=wanted).first
    expect(option).to_be_visible()
    expect(page.locator(FIELD)).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#recueil-territoire-statut")).to_contain_text("proposé")
    index = page.locator("#recueil-territoire-liste [role=option]").all_inner_texts().index(option.inner_text())
    for _ in range(index + 1):
        page.keyboard.press("ArrowDown")
    expect(page.locator(FIELD)).to_have_attribute("aria-activedescendant", f"recueil-territoire-liste-option-{index}")
    page.keyboard.press("Enter")


def test_ales_typed_without_accent_gives_ales_and_same_size_cases_first(page: Page, site_url: str):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(site_url + "cas/")
    assert not [url for url in requests if "/territoires/" in url]  # nothing before the field is used
    choose(page, "Ales", "Alès")
    expect(page).to_have_url(re.compile(r"[?&]territoire=30007"))
    result = page.locator("#recueil-territoire-resultat")
    expect(result).to_contain_text("Alès")
    expect(result).to_contain_text("46 125 habitants")
    expect(result).to_contain_text("population municipale 2023")
    first = result.locator(".recueil-territoire__case").first
    expect(first.locator(".recueil-territoire__reasons")).to_contain_text("même taille")
    shown = result.locator(".recueil-territoire__case").evaluate_all("items => items.map(i => i.dataset.slug)")
    page.reload()
    expect(result).to_contain_text("Alès")
    assert result.locator(".recueil-territoire__case").evaluate_all("items => items.map(i => i.dataset.slug)") == shown
    assert all(url.startswith(site_url) for url in requests), [u for u in requests if not u.startswith(site_url)]


def test_a_900_inhabitant_commune_sees_the_village_cards_first(page: Page, site_url: str, axe_source: str):  # noqa: F811
    sizes: dict[str, int] = {}
    page.on("response", lambda response: sizes.__setitem__(response.url, len(response.body()))
            if "/territoires/" in response.url else None)
    page.goto(site_url)
    choose(page, "petit fougeray", "Le Petit-Fougeray")
    expect(page).to_have_url(re.compile(r"territoire=35218"))
    cases = page.locator(".recueil-territoire__case")
    expect(cases.nth(0)).to_have_attribute("data-slug", "saint-sulpice-la-foret-smart-saint-sulpice")
    expect(cases.nth(0).locator(".recueil-territoire__reasons")).to_have_text(
        "même taille · même type de territoire · même région")
    # Then the other villages (the order among them: tests/test_territories.py), each said to be of the same size.
    expect(cases.nth(1).locator(".recueil-territoire__reasons")).to_contain_text("même taille · même type de territoire")
    assert 0 < sum(sizes.values()) <= 400_000, sizes
    page.set_viewport_size({"width": 1280, "height": 900})
    assert violations(page, axe_source) == []


def test_the_list_is_accessible_while_open(page: Page, site_url: str, axe_source: str):  # noqa: F811
    page.goto(site_url)
    page.locator(FIELD).press_sequentially("Renn", delay=30)
    expect(page.locator("#recueil-territoire-liste [role=option]").first).to_be_visible()
    page.keyboard.press("ArrowDown")
    assert violations(page, axe_source) == []


def test_the_form_fills_the_code(page: Page, site_url: str):
    page.goto(site_url + "contribuer/proposer/")
    expect(page.locator("[data-recueil-form][data-ready]")).to_be_attached()
    page.locator("#f-territory-name").press_sequentially("Vitre", delay=30)
    option = page.locator("[role=option]").filter(has_text="Vitré").first
    expect(option).to_be_visible()
    option.click()
    expect(page.locator("#f-territory-name")).to_have_value("Vitré")
    expect(page.locator("#f-territory-insee")).to_have_value("35360")
    expect(page.locator("#f-territory-siren")).to_have_value("")
    expect(page.locator("#f-territory-kind")).to_have_value("commune")
    expect(page.locator("#f-territory-region")).to_have_value("Bretagne")
    page.locator("#f-territory-name").fill("")
    page.locator("#f-territory-name").press_sequentially("Vitré Communauté", delay=20)
    page.locator("[role=option]").filter(has_text="Vitré Communauté").first.click()
    expect(page.locator("#f-territory-siren")).to_have_value(re.compile(r"^\d{9}$"))
    expect(page.locator("#f-territory-insee")).to_have_value("")
    expect(page.locator("#f-territory-kind")).to_have_value("intercommunalite")
