"""The same content built by MkDocs 1.6, ProperDocs and Zensical gives a reader the same site.

`engine_sites` (tests/conftest.py) builds a copy of this repository with `recueil build --engine …`
for each engine, --strict, with the PDF: MkDocs and ProperDocs run the hooks; Zensical runs none, so
`recueil build` prepares its folder, runs it and finishes the built site. Each comparison below reads
what a reader gets: the pages and their addresses, the bank, the search index with its filters, the
open data, the feed, the booklet. An engine that is not installed fails the build, and so the test
(`make test` installs them: `pip install -e '.[test,engines]'`). Zensical's pages in a browser:
tests/browser/test_engines_a11y.py.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from recueil.addresses import BANK_URI, FEED_PATH, GUIDE_PDF, case_uri, page_url
from recueil.bank.bank import load_bank
from recueil.cli import main as recueil_main
from recueil.outputs.engines import CONTENT_END, content_markers, finish_page
from recueil.outputs.page_transforms import edit_link, feed_link, pdf_status
from recueil.outputs.pdf import pdf_size_label
from recueil.project import Project
from recueil_mkdocs import hooks
from tests.conftest import ENGINES, ROOT, build_with, copy_project
from tests.html_safety import head_of, live_markup
from tests.search_index import by_url
from tests.test_no_injection import CASE_TITLE, SUMMARY, write_hostile_cards

pytestmark = pytest.mark.engines  # builds with each engine (make test-fast leaves it out)

BANK = load_bank(Project(ROOT))
OTHERS = ("properdocs", "zensical")
THEME_FOLDERS = ("assets/javascripts/", "assets/stylesheets/", "assets/images/", "pagefind/")


def pages_of(site: Path) -> set[str]:
    """Every page and published file of a built site, the theme's own files and the search index aside."""
    return {path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file()
            and not path.relative_to(site).as_posix().startswith(THEME_FOLDERS)
            and path.name not in {"sitemap.xml", "sitemap.xml.gz", "search.json"}}


@pytest.mark.parametrize("engine", OTHERS)
def test_same_pages_and_files_at_the_same_addresses(engine_sites, engine):
    assert pages_of(engine_sites[engine]) == pages_of(engine_sites["mkdocs"])
    assert len([page for page in pages_of(engine_sites["mkdocs"]) if page.endswith(".html")]) > 120


def test_properdocs_writes_the_very_pages_of_mkdocs(engine_sites):
    """Byte for byte but the generator's name: what axe-core and the browser tests check on the MkDocs build
    (tests/browser/) holds for ProperDocs."""
    generator = re.compile(r'<meta name="generator" content="[^"]*">')
    differ = [page for page in pages_of(engine_sites["mkdocs"]) if page.endswith(".html")
              and generator.sub("", (engine_sites["mkdocs"] / page).read_text(encoding="utf-8"))
              != generator.sub("", (engine_sites["properdocs"] / page).read_text(encoding="utf-8"))]
    assert differ == []


@pytest.mark.parametrize("engine", ENGINES)
def test_every_case_is_in_the_bank_page(engine_sites, engine):
    bank_page = (engine_sites[engine] / page_url(BANK_URI) / "index.html").read_text(encoding="utf-8")
    missing = [case.slug for case in BANK.cases if f'href="{case.slug}/"' not in bank_page]
    assert missing == []


@pytest.mark.parametrize("engine", OTHERS)
def test_same_search_index_with_the_same_filters(engine_sites, engine):
    reference, other = by_url(engine_sites["mkdocs"]), by_url(engine_sites[engine])
    assert set(other) == set(reference)
    assert {url: record["filters"] for url, record in other.items()} == \
           {url: record["filters"] for url, record in reference.items()}
    assert {url: record["content"] for url, record in other.items()} == \
           {url: record["content"] for url, record in reference.items()}
    case = "/" + page_url(case_uri(BANK.cases[0].slug))
    assert other[case]["filters"]["Type"] == ["Fiche expérience"] and len(other[case]["filters"]) > 2


@pytest.mark.parametrize("engine", OTHERS)
@pytest.mark.parametrize("published", ["donnees/cas.json", "donnees/cas.csv", "donnees/cas.tableschema.json",
                                       "donnees/recommandations.json", FEED_PATH, "cas/banque.json"])
def test_same_open_data_and_feed(engine_sites, engine, published):
    assert (engine_sites[engine] / published).read_bytes() == (engine_sites["mkdocs"] / published).read_bytes()


@pytest.mark.parametrize("engine", ENGINES)
def test_every_page_announces_the_feed_by_a_relative_address(engine_sites, engine):
    site = engine_sites[engine]
    wrong = []
    for path in site.rglob("*.html"):
        relative = path.relative_to(site).as_posix()
        if relative.startswith("pagefind/") or relative == "404.html":  # served at any address: no relative link
            continue
        expected = "../" * relative.removesuffix("index.html").count("/") + FEED_PATH
        if f'type="application/atom+xml" title="Recueil DataCités : dernières fiches" href="{expected}"' \
                not in path.read_text(encoding="utf-8"):
            wrong.append(relative)
    assert wrong == []


def test_the_same_booklet_from_every_engine(engine_sites):
    """Zensical's pipeline printed it; the hooks of MkDocs and ProperDocs found the same in the cache."""
    digests = {engine: hashlib.sha256((site / GUIDE_PDF).read_bytes()).hexdigest() for engine, site in engine_sites.items()}
    assert len(set(digests.values())) == 1, digests
    reader = PdfReader(engine_sites["zensical"] / GUIDE_PDF)
    assert len(reader.pages) > 100
    outline = " ".join(_titles(reader.outline))
    assert [case.meta.title for case in BANK.cases if case.meta.title[:40] not in outline] == []


def test_every_engine_gives_the_booklet_size_in_its_links(engine_sites):
    """« (PDF, 1,2 Mo) », measured on the printed file, in the hand-written links to it (issue 27, item 11)."""
    for engine, site in engine_sites.items():
        label = f"<span data-recueil-pdf-size>({pdf_size_label((site / GUIDE_PDF).stat().st_size)})</span>"
        for page in ("index.html", "guide/introduction/index.html"):
            assert label in (site / page).read_text(encoding="utf-8"), (engine, page)


def _titles(outline: list) -> list[str]:
    return [title for item in outline
            for title in (_titles(item) if isinstance(item, list) else [str(item.title)])]


@pytest.mark.parametrize("engine", ENGINES)
def test_the_skip_link_leads_to_a_focusable_h1_on_every_page(engine_sites, engine):
    """Set by the hooks during a build (MkDocs, ProperDocs) and by `finish` after one (Zensical): page_transforms."""
    site, wrong = engine_sites[engine], []
    for path in site.rglob("index.html"):
        html = path.read_text(encoding="utf-8")
        target = re.search(r'<a href="#([^"]+)" class="md-skip recueil-skip">', html)
        heading = re.search(r"<h1(?=[\s>])[^>]*>", html)
        if target is None or heading is None or f'id="{target[1]}"' not in heading[0] \
                or 'tabindex="-1"' not in heading[0]:
            wrong.append(path.relative_to(site).as_posix())
    assert wrong == []


def test_zensical_edit_buttons_lead_to_the_card_files(engine_sites):
    site, case = engine_sites["zensical"], BANK.cases[0].slug
    case_page = (site / page_url(case_uri(case)) / "index.html").read_text(encoding="utf-8")
    assert f"/edit/main/cases/{case}.md" in case_page and "/docs/cas/" not in case_page
    assert 'rel="edit"' not in (site / page_url(BANK_URI) / "index.html").read_text(encoding="utf-8")


def test_zensical_pages_of_hostile_cards_have_no_live_markup(tmp_path):
    """The sanitiser runs after Zensical's build as it does in the hooks: card text stays text."""
    (tmp_path / "project").mkdir()
    project = write_hostile_cards(copy_project(tmp_path / "project"))
    result = build_with("zensical", project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    pages = sorted((tmp_path / "site").rglob("*.html"))
    findings = {page.name: found for page in pages if (found := live_markup(page.read_text(encoding="utf-8")))}
    assert len(pages) > 60 and findings == {}
    head = head_of((tmp_path / "site" / "cas" / "zz-ville-hostile" / "index.html").read_text(encoding="utf-8"))
    assert head["title"] == f"{CASE_TITLE} - Recueil DataCités" and head["description"] == SUMMARY


# --- finish, page by page ---------------------------------------------------------------------------------

MARKERS = content_markers("s3cr3t")
PAGE = ('<html><head><title>t</title></head><body><a href="#contenu" class="md-skip recueil-skip">Aller</a>'
        f'<article>{MARKERS[0]}<h1 id="titre">Titre</h1><p onclick="alert(1)">Texte</p>'
        f'<script>alert(2)</script>{MARKERS[1]}</article></body></html>')


def test_finish_sanitises_a_card_page_only():
    card = finish_page(PAGE, "cas/x/", "Recueil", card=True, markers=MARKERS)
    other = finish_page(PAGE, "guide/x/", "Recueil", card=False, markers=MARKERS)
    assert "alert" not in card and "<p>Texte</p>" in card
    assert "onclick" in other and "s3cr3t" not in card + other


def test_a_card_cannot_close_the_region_finish_sanitises():
    """Issue #24: a card that writes the end marker (without the secret, which it cannot know) stays inside."""
    forged = PAGE.replace('<p onclick', f'{CONTENT_END}<img src="x" onerror="alert(3)"><p onclick')
    card = finish_page(forged, "cas/x/", "Recueil", card=True, markers=MARKERS)
    assert "onerror" not in card and "alert" not in card and "<p>Texte</p>" in card


def test_finish_points_the_skip_link_at_the_h1():
    html = finish_page(PAGE, "cas/x/", "Recueil", card=True, markers=MARKERS)
    assert '<a href="#titre" class="md-skip recueil-skip">' in html and '<h1 tabindex="-1" id="titre">' in html


CONTENTS = {
    "a card page with its h1": ("cas/x.md", True, '<h1 id="titre">Titre</h1><p onclick="alert(1)">Texte</p>'
                                                  '<script>alert(2)</script>'),
    "a card page without h1": ("cas/y.md", True, '<p>Texte <img src="x" onerror="alert(1)"></p>'),
    "a hand-written page, its h1 without id": ("guide/index.md", False, '<h1>Guide</h1><p onclick="f()">Texte</p>'),
}


def _themed(content: str, markers: tuple[str, str] = ("", "")) -> str:
    """A page as both themes lay it out (overrides/main.html, partials/content.html and their Zensical twins):
    the skip link to "contenu", the h1 added when the content has none, the content (between `markers`)."""
    added = "" if "<h1" in content else '<h1 id="contenu" tabindex="-1">Titre</h1>'
    return ('<html><head><title>t</title></head><body><a href="#contenu" class="md-skip recueil-skip">Aller</a>'
            f'<article>{added}{markers[0]}{content}{markers[1]}</article></body></html>')


@pytest.mark.parametrize(("src_uri", "card", "content"), CONTENTS.values(), ids=CONTENTS.keys())
def test_the_hooks_and_finish_make_the_same_page(monkeypatch, src_uri, card, content):
    """One page through both pipelines: MkDocs' events (recueil_mkdocs/hooks.py: on_page_content, the theme,
    on_post_page) and `finish` on the page an engine without hooks built. Both call page_transforms."""
    monkeypatch.setattr(hooks, "_state", hooks._State(card_pages={src_uri} if card else set()))
    url = page_url(src_uri)
    page = SimpleNamespace(file=SimpleNamespace(src_uri=src_uri), url=url, present_anchor_ids=None)
    config = SimpleNamespace(site_name="Recueil DataCités")
    by_hooks = hooks.on_post_page(_themed(hooks.on_page_content(content, page, config, None)), page, config)
    by_finish = finish_page(_themed(content, MARKERS), url, "Recueil DataCités", card=card, markers=MARKERS)
    assert by_hooks == by_finish
    assert (re.search(r"\son\w+=", by_hooks) is None) is card
    assert ("<script" in by_hooks) is ("<script" in content and not card)
    assert f'href="{"../" * url.count("/")}flux.xml"' in by_hooks
    target = re.search(r'<a href="#([^"]+)" class="md-skip recueil-skip">', by_hooks)[1]
    assert re.search(rf'<h1 (?:tabindex="-1" id="{target}"|id="{target}" tabindex="-1")>', by_hooks)


def test_the_hooks_announce_the_pdf_status_while_serving_only(monkeypatch):
    monkeypatch.delenv("RECUEIL_PDF", raising=False)
    page = SimpleNamespace(file=SimpleNamespace(src_uri="cas/x.md"), url="cas/x/")
    config = SimpleNamespace(site_name="R")
    monkeypatch.setattr(hooks, "_state", hooks._State(serving=True))
    served = hooks.on_post_page("<html><head></head><body></body></html>", page, config)
    assert served == pdf_status(feed_link("<html><head></head><body></body></html>", "cas/x/", "R"), "cas/x/")
    assert 'data-recueil-pdf-status="../../guide.pdf.json"' in served
    monkeypatch.setattr(hooks, "_state", hooks._State(building=True))
    assert "data-recueil-pdf-status" not in hooks.on_post_page("<html><head></head><body></body></html>", page, config)


def test_feed_link_is_relative_to_the_page():
    assert 'href="../../flux.xml"' in feed_link("<head></head>", "cas/x/", "R")
    assert 'href="flux.xml"' in feed_link("<head></head>", "", "R")


def test_edit_link_of_a_generated_page():
    button = ('<a href="https://g/r/edit/main/docs/cas/x.md" title="Modifier cette page" '
              'class="md-content__button md-icon" rel="edit"><svg></svg></a>')
    assert 'href="https://g/r/edit/main/cases/x.md"' in edit_link(button, "cas/x.md", "cases/x.md")
    assert edit_link(button, "cas/x.md", None) == ""


def test_finish_says_in_french_when_there_is_no_built_site(tmp_path, capsys):
    assert recueil_main(["--root", str(ROOT), "finish", "--site", str(tmp_path)]) == 1
    assert capsys.readouterr().err == f"erreur: {tmp_path} ne contient pas de site construit (index.html) : " \
                                      "construisez-le d'abord\n"


def test_prepare_says_which_theme_is_missing(tmp_path, capsys):
    (tmp_path / "project").mkdir()
    project = copy_project(tmp_path / "project")
    shutil.rmtree(project / "overrides-zensical")
    assert recueil_main(["--root", str(project), "prepare", "--out", str(tmp_path / "work")]) == 1
    assert "zensical : le dossier du thème overrides-zensical/ est introuvable" in capsys.readouterr().err


def test_prepare_never_empties_a_folder_it_did_not_write(tmp_path, capsys):
    (tmp_path / "notes.md").write_text("à garder", encoding="utf-8")
    assert recueil_main(["--root", str(ROOT), "prepare", "--out", str(tmp_path)]) == 1
    assert "n'a pas été écrit par « recueil prepare »" in capsys.readouterr().err
    assert (tmp_path / "notes.md").read_text(encoding="utf-8") == "à garder"


def test_zensical_strict_build_stops_on_a_broken_link_with_its_warnings(tmp_path):
    (tmp_path / "project").mkdir()
    project = copy_project(tmp_path / "project")
    (project / "docs" / "piege.md").write_text("# Piège\n\n[Nulle part](nulle-part.md)\n", encoding="utf-8")
    result = build_with("zensical", project, tmp_path / "site")
    assert result.returncode == 1
    assert result.stderr.startswith("erreur: zensical : la construction a échoué (code 1)\n")
    assert "page does not exist" in result.stderr and "Traceback" not in result.stderr
