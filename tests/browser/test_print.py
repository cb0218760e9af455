"""Printing web pages from Chromium (recueil/site/assets/recueil-print.css): A4, content only, link addresses
written out, and the filtered bank printing just the selection. Checked on the PDF Chromium prints."""

from __future__ import annotations

import io
import re

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from recueil.bank.bank import load_bank
from recueil.bank.facets import facets, matching
from recueil.project import Project
from tests.helpers import ROOT

A4 = (595.3, 841.9)  # points
CHROME = [".md-header", ".md-tabs", ".md-sidebar--primary", ".md-sidebar--secondary", "pagefind-modal-trigger",
          ".md-footer"]


def printed(page: Page) -> PdfReader:
    return PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_printing_the_filtered_bank_prints_only_the_selection(page: Page, site_url: str) -> None:
    page.goto(site_url + "cas/?theme=mobilite")
    page.wait_for_selector(".recueil-bank--live")
    reader = printed(page)
    text = squash("".join(p.extract_text() for p in reader.pages))
    cases = load_bank(Project(ROOT)).cases
    chosen = [case.meta.title for case in cases if "mobilite" in case.meta.themes]
    others = [case.meta.title for case in cases if "mobilite" not in case.meta.themes]
    assert chosen and all(squash(title) in text for title in chosen)
    assert [title for title in others if squash(title) in text] == []
    assert squash("Filtrer les expériences") not in text  # the filter panel is not printed


def test_a_printed_page_is_a4_without_the_site_chrome(page: Page, site_url: str) -> None:
    page.goto(site_url + "cas/ales-patrimoine-arbore/")
    reader = printed(page)
    for sheet in reader.pages:
        width, height = float(sheet.mediabox.width), float(sheet.mediabox.height)
        assert abs(width - A4[0]) < 2 and abs(height - A4[1]) < 2
    page.emulate_media(media="print")
    for selector in CHROME:
        assert page.eval_on_selector_all(
            selector, "els => els.every(el => getComputedStyle(el).display === 'none')"), selector
    assert page.eval_on_selector(".recueil-facts", "el => getComputedStyle(el).breakInside") == "avoid"
    first = reader.pages[0].extract_text()
    assert first.lstrip().startswith("Alès"), first[:200]  # the page starts with its content, no header
    assert "Rechercher" not in first


def test_external_links_print_their_address_once(page: Page, site_url: str) -> None:
    page.goto(site_url + "cas/ales-patrimoine-arbore/")
    text = squash("".join(p.extract_text() for p in printed(page).pages))
    service = "https://lemag.ales.fr/actualites/au-chevet-des-arbres-dales/"
    assert squash(f"Le service Patrimoine arboré d'Alès ({service})") in text
    # A source already writes its address beside the link: printed once, not twice.
    assert text.count(service) == 2  # the "En savoir plus" link, and the source


def test_printing_the_search_page_prints_its_results_not_its_tools(page: Page, site_url: str) -> None:
    page.goto(site_url + "recherche/?q=Niort")
    page.wait_for_selector("pagefind-results[instance=page] .pf-result-link")
    page.emulate_media(media="print")
    for selector in ("pagefind-modal-trigger", "pagefind-modal", ".recueil-search pagefind-input",
                     ".recueil-search__filters"):
        assert page.eval_on_selector_all(
            selector, "els => els.length > 0 && els.every(el => getComputedStyle(el).display === 'none')"), selector
    text = squash("".join(p.extract_text() for p in printed(page).pages))
    assert squash("Niort") in text and squash("Filtrer") not in text


def _print_selection(page: Page, site_url: str, query: str) -> PdfReader:
    """Open the filtered bank, press « Imprimer cette sélection » from the keyboard, print what it prepared."""
    page.goto(site_url + "cas/?" + query)
    page.wait_for_selector(".recueil-bank--live")
    # Playwright's page.pdf() is the browser's printing; the dialog window.print() would open is not.
    page.evaluate("() => { window.print = () => { window.recueilPrinted = (window.recueilPrinted || 0) + 1; }; }")
    button = page.get_by_role("button", name="Imprimer cette sélection")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".recueil-print__status")).to_contain_text("prêt")
    assert page.evaluate("window.recueilPrinted") == 1
    return printed(page)


def _fiches(count: int) -> str:
    return f"{count} fiche{'s' if count > 1 else ''}"


def test_printing_the_selection_prints_those_cards_in_full(page: Page, site_url: str) -> None:
    bank = load_bank(Project(ROOT))
    chosen = matching(bank, {"theme": ["mobilite"], "taille": ["village"]})  # the engine's reading of the filters
    assert chosen
    reader = _print_selection(page, site_url, "theme=mobilite&taille=village")
    announced = f"Dossier de {_fiches(len(chosen))} prêt : la fenêtre d'impression s'ouvre."
    expect(page.locator(".recueil-print__status")).to_have_text(announced)
    first = reader.pages[0].extract_text()
    text = squash("".join(sheet.extract_text() for sheet in reader.pages))
    # The title line: the selection, its filters in words and the date.
    assert squash(first).startswith(squash(f"Banque d'expériences : sélection de {_fiches(len(chosen))}"))
    words = {facet.param: facet for facet in facets(bank)}
    filters = " ; ".join(f"{words[param].legend} : {words[param].value(value).label}"
                         for param, value in (("theme", "mobilite"), ("taille", "village")))
    assert squash(filters) in squash(first)
    assert re.search(r"imprimée le \d{1,2}(er)? \w+ 20\d\d", first)
    others = [case.meta.title for case in bank.cases if case not in chosen]
    assert [title for title in others if squash(title) in text] == []
    for case in chosen:  # each card in full: its summary, its sections, its sources with their addresses
        assert squash(case.meta.title) in text and squash(case.meta.summary) in text
        assert all(squash(source.title) in text for source in case.meta.sources)
        assert all(squash(source.url) in text for source in case.meta.sources if source.url)
    for title in ("Contexte", "Sources"):
        assert text.count(squash(title)) >= len(chosen)
    assert squash("Filtrer les expériences") not in text and squash("Imprimer cette sélection") not in text


def test_printing_a_selection_starts_each_card_on_its_own_page(page: Page, site_url: str) -> None:
    bank = load_bank(Project(ROOT))
    chosen = matching(bank, {"theme": ["mobilite"], "taille": ["village", "petite-ville"]})
    assert len(chosen) > 1
    reader = _print_selection(page, site_url, "theme=mobilite&taille=village,petite-ville")
    pages = [squash(sheet.extract_text()) for sheet in reader.pages]
    starts = [next(number for number, sheet in enumerate(pages) if squash(case.meta.title) in sheet) for case in chosen]
    assert starts == sorted(starts) and len(set(starts)) == len(chosen)  # in the bank's order, a page each
    for number in starts[1:]:
        assert pages[number].startswith(squash(chosen[starts.index(number)].meta.title)[:30])


def test_the_print_button_is_announced_and_fits_at_320_px(page: Page, site_url: str) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(site_url + "cas/?theme=mobilite&taille=village")
    page.wait_for_selector(".recueil-bank--live")
    button = page.get_by_role("button", name="Imprimer cette sélection")
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 320
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert page.locator(".recueil-print__status").get_attribute("role") == "status"
    assert "enregistrer un PDF" in (button.get_attribute("aria-describedby") and
                                    page.locator("#recueil-print-aide").inner_text())
    page.evaluate("() => { window.print = () => { window.recueilPrinted = true; }; }")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("window.recueilPrinted === true")
    expect(page.locator("#recueil-dossier")).to_be_hidden()  # on screen the bank stays as it was
