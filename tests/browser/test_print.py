"""Printing web pages from Chromium (recueil/site/assets/recueil-print.css): A4, content only, link addresses
written out, and the filtered bank printing just the selection. Checked on the PDF Chromium prints."""

from __future__ import annotations

import io
import re

from playwright.sync_api import Page
from pypdf import PdfReader

from recueil.bank.bank import load_bank
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
