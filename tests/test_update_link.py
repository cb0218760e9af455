"""« Signaler une mise à jour »: every card page links to a new issue about it, filled in, under GitHub's limit."""

from __future__ import annotations

import html
import re
import urllib.parse
from pathlib import Path

import yaml

from recueil.addresses import GITHUB_ADDRESS_LIMIT, page_url
from recueil.bank.bank import load_bank
from recueil.outputs.contribution import UPDATE_FORM_PATH, update_form
from recueil.outputs.site_files import settings_of, site_settings
from recueil.project import Project
from recueil.site.pages import PageMaker
from recueil.site.update_link import FILE_FIELD, PAGE_FIELD, UPDATE_TITLE_PREFIX, update_issue_url
from tests.conftest import ROOT

REPO = "https://github.com/datacites/recueil"
LINK = re.compile(r'<span class="recueil-update"><a href="([^"]+)">Signaler une mise à jour de cette fiche</a>')


def params(address: str) -> dict[str, list[str]]:
    return urllib.parse.parse_qs(address.split("?", 1)[1])


def test_every_real_card_page_links_to_a_filled_in_update_issue() -> None:
    project = Project(ROOT)
    bank = load_bank(project)
    settings = settings_of(site_settings(project))
    assert settings.repo_url == REPO and settings.site_url
    cases = {f"cas/{case.slug}.md": case for case in bank.cases}
    pages = [page for page in PageMaker(bank, project, settings.site_url, settings.repo_url).pages()
             if page.src_uri in cases]
    assert len(pages) == len(cases) > 0
    longest = max(bank.cases, key=lambda case: len(urllib.parse.quote(case.meta.title)))
    for page in pages:
        case = cases[page.src_uri]
        found = LINK.findall(page.content)
        assert len(found) == 1, page.src_uri
        address = html.unescape(found[0])
        assert address.startswith(f"{REPO}/issues/new?template=signaler-une-mise-a-jour.yml&")
        assert len(address.encode()) <= GITHUB_ADDRESS_LIMIT
        assert params(address) == {"template": ["signaler-une-mise-a-jour.yml"],
                                   "title": [UPDATE_TITLE_PREFIX + case.meta.title],
                                   PAGE_FIELD: [settings.site_url + page_url(page.src_uri)],
                                   FILE_FIELD: [case.card.path]}
        if case is longest:
            assert len(address.encode()) > 200  # the longest title is really in the address


def test_a_title_too_long_for_the_address_is_cut_never_the_address() -> None:
    title = "Ville-𝔘 : " + "é𝔘" * 95  # 200 characters of up to 4 bytes each: 12 bytes each once encoded
    full = update_issue_url(REPO, title, "https://datacites.github.io/recueil/cas/x/", "cases/x.md")
    assert len(full.encode()) <= GITHUB_ADDRESS_LIMIT and params(full)["title"] == [UPDATE_TITLE_PREFIX + title]
    short = update_issue_url(REPO, title, "https://datacites.github.io/recueil/cas/x/", "cases/x.md", limit=600)
    assert len(short.encode()) <= 600
    cut = params(short)["title"][0]
    assert cut.endswith("…") and cut.startswith(UPDATE_TITLE_PREFIX + "Ville-𝔘 : é𝔘")
    assert title.startswith(cut.removeprefix(UPDATE_TITLE_PREFIX).removesuffix("…"))
    assert params(short)[FILE_FIELD] == ["cases/x.md"]  # the card is always named
    assert len(update_issue_url(REPO, title, "p", "f", limit=601).encode()) <= 601  # any limit, exactly


def test_no_repository_no_link() -> None:
    assert update_issue_url("", "Titre", "p", "cases/x.md") == ""


def test_the_link_fills_the_fields_of_the_committed_update_form() -> None:
    committed = (ROOT / UPDATE_FORM_PATH).read_text(encoding="utf-8")
    assert committed == update_form(), f"{UPDATE_FORM_PATH} is stale: run `recueil github-files`"
    form = yaml.safe_load(committed)
    assert Path(UPDATE_FORM_PATH).name == "signaler-une-mise-a-jour.yml" and form["title"] == UPDATE_TITLE_PREFIX
    ids = {item["id"]: item for item in form["body"] if "id" in item}
    assert ids[PAGE_FIELD]["type"] == ids[FILE_FIELD]["type"] == "input"
    assert ids["changement"]["validations"]["required"] and ids["source"]["validations"]["required"]
    assert "source publique" in ids["source"]["attributes"]["label"]
