"""The « Proposer une expérience » form in Chromium: generated from the schema, validating, producing a card."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Page, expect

from recueil.addresses import GITHUB_ADDRESS_LIMIT
from recueil.cards.models import READER_HELP
from recueil.cards.taxonomy import load_taxonomy
from tests.conftest import ROOT, copy_project

FORM = "contribuer/proposer/"
TITLE = 'Villeneuve-sur-Test : un "atlas" des arbres partagé, et ouvert'
THEMES = load_taxonomy(ROOT / "taxonomies.yml")  # labels as the form shows them


@pytest.fixture
def form(page: Page, site_url: str) -> Page:
    page.goto(site_url + FORM)
    expect(page.locator("[data-recueil-form][data-ready]")).to_be_attached()
    return page


def schema(real_site: Path) -> dict:
    return json.loads((real_site / "schemas/case.schema.json").read_text(encoding="utf-8"))


def test_fields_come_from_the_schema(form: Page, real_site: Path) -> None:
    case_schema = schema(real_site)
    territory = case_schema["$defs"]["Territory"]["properties"]
    expect(form.locator("label[for=f-territory-population]")).to_contain_text("Population")
    expect(form.locator("#f-territory-population-aide")).to_have_text(READER_HELP["territory.population"])
    expect(form.locator("#f-territory-population_year-aide")).to_have_text(territory["population_year"]["description"])
    status_ids = form.locator("#f-status option").evaluate_all("options => options.map(o => o.value)")
    assert status_ids == ["", *case_schema["properties"]["status"]["enum"]]
    expect(form.locator("#f-status option[value=en-cours]")).to_have_text("En cours")
    theme_boxes = form.locator("#f-themes input[type=checkbox]")
    assert theme_boxes.count() == len(case_schema["properties"]["themes"]["items"]["enum"])
    expect(form.locator("label[for=f-themes--mobilite]")).to_have_text("Mobilité")
    expect(form.locator("#f-territory-country")).to_have_value("France")
    for title in ("Contexte", "Action mise en œuvre", "Résultats et perspectives", "En savoir plus"):
        expect(form.locator("form label", has_text=title).first).to_be_visible()


def fill_valid_card(page: Page) -> None:
    page.fill("#f-title", TITLE)
    page.fill("#f-summary", "La commune publie l'inventaire de ses arbres en données ouvertes\n"
                            "et le met à jour avec les habitants.")
    page.fill("#f-territory-name", "Villeneuve-sur-Test")
    page.select_option("#f-territory-kind", "commune")
    page.fill("#f-territory-population", "2 480")
    page.fill("#f-territory-population_year", "2021")
    page.fill("#f-territory-region", "Occitanie")
    page.check("#f-themes--gouvernance-donnees")  # the main theme first, though it comes later in the list
    page.check("#f-themes--biodiversite-nature")
    expect(page.locator("#f-themes .recueil-choices__order")).to_have_text(
        f"Dans l'ordre : {THEMES.term('themes', 'gouvernance-donnees').label}, "
        f"{THEMES.term('themes', 'biodiversite-nature').label}.")
    page.check("#f-recommendations--federer-donnee-interet-general")
    page.select_option("#f-status", "en-cours")
    page.fill("#f-year", "2023")
    page.fill("#f-actors", "Commune de Villeneuve-sur-Test\nAssociation des amis des arbres")
    page.fill("#f-sources-0-title", "Délibération du conseil municipal du 3 mars 2023")
    page.fill("#f-sources-0-url", "https://example.org/deliberation")
    page.fill("#f-sources-0-date", "2023-03-03")
    page.fill("#f-section-0", "Un village de 2 480 habitants.\n\nSes arbres n'étaient pas recensés.")
    page.fill("#f-section-1", "- un inventaire\n- une carte")
    page.fill("#f-section-2", "Pas encore de résultat publié.")


def test_empty_form_lists_every_missing_field(form: Page) -> None:
    form.click("button[type=submit]")
    summary = form.locator(".recueil-form__summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Titre : Ce champ est obligatoire.")
    expect(summary).to_contain_text("Thèmes : Choisissez ou ajoutez au moins un élément.")
    expect(summary).to_contain_text("Contexte : Écrivez au moins quelques phrases.")
    expect(form.locator("#f-title")).to_have_attribute("aria-invalid", "true")
    expect(form.locator(".recueil-form__result")).to_be_hidden()
    summary.get_by_role("link", name="Thèmes : Choisissez ou ajoutez au moins un élément.").press("Enter")
    expect(form.locator("#f-themes--mobilite")).to_be_focused()


def test_bad_values_are_reported_at_their_field(form: Page) -> None:
    fill_valid_card(form)
    form.fill("#f-year", "1850")
    form.fill("#f-territory-population", "beaucoup")
    form.fill("#f-sources-0-url", "www.example.org")
    form.click("button[type=submit]")
    expect(form.locator("#f-year-erreur")).to_have_text("La valeur doit être au moins 1900.")
    expect(form.locator("#f-territory-population-erreur")).to_have_text("Un nombre entier est attendu.")
    expect(form.locator("#f-sources-0-url-erreur")).to_contain_text("commençant par https://")
    expect(form.locator(".recueil-form__summary li")).to_have_count(3)
    form.fill("#f-year", "2023")  # errors follow the corrections as they are typed
    expect(form.locator("#f-year-erreur")).to_be_hidden()
    expect(form.locator(".recueil-form__summary li")).to_have_count(2)


def test_existing_file_name_is_refused(form: Page) -> None:
    fill_valid_card(form)
    form.fill("#f-slug", "niort-portail-ressources-naturelles")
    form.click("button[type=submit]")
    expect(form.locator("#f-slug-erreur")).to_have_text("Une fiche porte déjà ce nom : choisissez-en un autre.")


def test_valid_card_is_previewed_and_its_file_passes_recueil_check(form: Page, tmp_path: Path) -> None:
    fill_valid_card(form)
    form.click("button[type=submit]")
    result = form.locator(".recueil-form__result")
    expect(result).to_be_visible()
    expect(form.locator(".recueil-form__status")).to_have_text("La fiche est valide : aperçu et fichier ci-dessous.")
    expect(result.locator("#recueil-apercu-titre")).to_have_text(TITLE)
    expect(result.locator(".recueil-form__preview")).to_contain_text("Biodiversité et nature en ville")
    slug = "villeneuve-sur-test-un-atlas-des-arbres-partage-et-ouvert"
    expect(form.locator("#f-slug")).to_have_value(slug)

    with form.expect_download() as download_info:
        result.locator(".recueil-form__download").click()
    download = download_info.value
    assert download.suggested_filename == f"{slug}.md"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert text == result.locator(".recueil-form__file code").text_content()
    fields = yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n"))
    assert fields["title"] == TITLE and fields["territory"]["population"] == 2480
    assert fields["themes"] == ["gouvernance-donnees", "biodiversite-nature"]  # in the order they were ticked
    assert fields["summary"].endswith("données ouvertes\net le met à jour avec les habitants.")
    assert ("## En savoir plus\n\n- [Délibération du conseil municipal du 3 mars 2023]"
            "(https://example.org/deliberation)") in text

    href = result.locator(".recueil-form__github").get_attribute("href") or ""
    address, query = href.split("?", 1)
    assert address == "https://github.com/datacites/recueil/new/main/cases"
    params = urllib.parse.parse_qs(query)
    assert params["filename"] == [f"{slug}.md"] and params["value"] == [text]

    project = copy_project(tmp_path)
    (project / "cases" / f"{slug}.md").write_text(text, encoding="utf-8")
    check = subprocess.run([sys.executable, "-m", "recueil.cli", "--root", str(project), "check"],
                           capture_output=True, text=True, cwd=ROOT)
    assert check.returncode == 0, check.stderr
    assert "aucune erreur" in check.stdout


# A card richer than the longest real one: accents, a table and lists in each text section.
LONG_CONTEXT = "\n\n".join(
    f"Étape {n} : la collectivité a réuni élus, agents et habitants autour des données « {n} » ; "
    "l'équipe a dressé l'état des lieux des données déjà produites, de leur qualité et de leurs usages."
    for n in range(1, 13))
LONG_ACTION = ("| Données | Producteur | Fréquence de mise à jour |\n| --- | --- | --- |\n" + "\n".join(
    f"| Équipement n° {n} : éclairage, énergie, déchets | Direction du numérique | chaque trimestre |"
    for n in range(1, 25)) + "\n\n" + "\n".join(
    f"- réalisé en {2018 + n % 6} : un outil partagé pour les services, déployé à l'échelle de la métropole"
    for n in range(1, 16)))
LONG_RESULTS = "\n".join(
    f"{n}. Résultat mesuré : économies d'énergie, délais réduits, données ouvertes publiées (n° {n})."
    for n in range(1, 25))


def encoded(text: str) -> int:
    """The bytes of text in an address, encoded as encodeURIComponent does."""
    return len(urllib.parse.quote(text, safe="-_.!~*'()"))


def test_a_long_card_goes_to_github_through_the_clipboard(form: Page, site_url: str, tmp_path: Path) -> None:
    longest_real = max(encoded(path.read_text(encoding="utf-8")) for path in (ROOT / "cases").glob("*.md"))
    form.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    form.context.route("https://github.com/**", lambda route: route.fulfill(
        status=200, content_type="text/html", body="<!doctype html><title>GitHub</title><p>Nouveau fichier</p>"))
    fill_valid_card(form)
    form.fill("#f-section-0", LONG_CONTEXT)
    form.fill("#f-section-1", LONG_ACTION)
    form.fill("#f-section-2", LONG_RESULTS)
    form.click("button[type=submit]")
    result = form.locator(".recueil-form__result")
    expect(result).to_be_visible()
    text = result.locator(".recueil-form__file code").text_content() or ""
    assert encoded(text) > longest_real  # the test card is longer than every real card
    assert "| Équipement n° 24" in text and "- réalisé en" in text and "24. Résultat" in text

    link = result.locator(".recueil-form__github")
    expect(link).to_have_text("Copier le fichier et ouvrir GitHub (nouvel onglet)")
    href = link.get_attribute("href") or ""
    assert len(href.encode()) <= GITHUB_ADDRESS_LIMIT
    address, query = href.split("?", 1)
    assert address == "https://github.com/datacites/recueil/new/main/cases"
    slug = "villeneuve-sur-test-un-atlas-des-arbres-partage-et-ouvert"
    assert urllib.parse.parse_qs(query) == {"filename": [f"{slug}.md"]}
    expect(result).to_contain_text("trop long pour que GitHub le reçoive dans l'adresse")
    expect(result).to_contain_text("coller le fichier dans la zone de texte")

    with form.expect_popup() as popup_info:
        link.click()
    assert popup_info.value.url == href
    expect(result.locator(".recueil-form__copy")).to_contain_text("Le fichier est copié")
    form.bring_to_front()
    assert form.evaluate("navigator.clipboard.readText()") == text

    with form.expect_download() as download_info:  # downloading stays available
        result.locator(".recueil-form__download").click()
    assert Path(download_info.value.path()).read_text(encoding="utf-8") == text

    axe = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
    form.add_script_tag(content=axe.read_text(encoding="utf-8"))
    found = form.evaluate("axe.run({include: [['.md-content']]})")["violations"]
    assert [violation["id"] for violation in found] == []  # the message and the copy status included


def test_no_real_card_builds_an_address_github_refuses(form: Page) -> None:
    """Every real card through the form's own rule: the address carries the file only when short enough."""
    cards = {path.name: path.read_text(encoding="utf-8") for path in sorted((ROOT / "cases").glob("*.md"))}
    measures = form.evaluate("""cards => Object.keys(cards).map(name => {
        const made = window.RecueilForm.proposal(name, cards[name]);
        return {name, bytes: new TextEncoder().encode(made.href).length, paste: made.paste};
    })""", cards)
    assert len(measures) == len(cards) > 0
    assert max(measure["bytes"] for measure in measures) <= GITHUB_ADDRESS_LIMIT
    pasted = {measure["name"] for measure in measures if measure["paste"]}
    assert max(cards, key=lambda name: encoded(cards[name])) in pasted  # the longest real card
    assert len(pasted) < len(cards)  # the others still open GitHub's page already filled


def test_rows_of_sources_can_be_added_and_removed(form: Page) -> None:
    fill_valid_card(form)
    form.click(".recueil-items__add >> nth=1")  # the first list of objects is key_figures, the second sources
    expect(form.locator("#f-sources-1-title")).to_be_focused()
    form.click("button[type=submit]")
    expect(form.locator("#f-sources-1-title-erreur")).to_have_text("Ce champ est obligatoire.")
    form.click("text=Retirer l'élément 2")
    expect(form.locator("#f-sources-1-title")).to_have_count(0)
    expect(form.locator(".recueil-form__summary")).to_be_hidden()


def test_no_axe_violation_in_any_state_of_the_form(form: Page) -> None:
    axe = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
    if not axe.exists():
        pytest.fail(f"{axe} is missing: run `npm ci --prefix tests/browser`")
    form.add_script_tag(content=axe.read_text(encoding="utf-8"))

    def violations() -> list[str]:
        # The page's content: the theme around it (header, back-to-top button) is scanned by test_a11y.py.
        result = form.evaluate("axe.run({include: [['.md-content']]})")
        return [f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']][:5]}" for v in result["violations"]]

    assert violations() == []
    form.click("button[type=submit]")  # every error shown
    assert violations() == []
    fill_valid_card(form)
    form.click("button[type=submit]")  # preview and file shown
    expect(form.locator(".recueil-form__result")).to_be_visible()
    assert violations() == []
