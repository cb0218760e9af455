"""The site search (Pagefind, recueil/search/pagefind.py): what the index of the built site holds, read from its
fragments (tests/search_index.py), and the indexing step itself: its errors, the hook, the command."""

from __future__ import annotations

import importlib.util
import json
import logging
import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

from recueil.bank.bank import Bank, Case, Recommendation, load_bank
from recueil.bank.freshness import TO_CONFIRM_LABEL, status_to_confirm
from recueil.cards.sanitize import clean_html
from recueil.outputs.page_transforms import TYPE_ELEMENT
from recueil.project import Project
from recueil.search import pagefind as search
from recueil.search.filters import page_type
from recueil.search.indexer import SEARCH_END, SEARCH_START, IndexerError, StreamingIndexer, messages_of, write_index
from recueil.search.pagefind import SearchIndexError, index_site
from tests.conftest import ROOT
from tests.html_safety import local, parse_document
from tests.search_index import by_url

NOT_INDEXED = {"/recherche/"}  # the search page itself (404.html has no page of its own either)


@cache
def bank() -> Bank:
    return load_bank(Project(ROOT))


def labels(vocabulary: str, ids: list[str]) -> list[str]:
    return [bank().taxonomy.term(vocabulary, term_id).label for term_id in ids]


def expected_case_filters(case: Case) -> dict[str, list[str]]:
    """The filters of a case page, written from the card's fields and the vocabularies alone."""
    meta, taxonomy = case.meta, bank().taxonomy
    recommendations = [bank().recommendation_by_slug[slug] for slug in meta.recommendations]
    axes = sorted({rec.meta.axis for rec in recommendations})
    place = meta.territory
    where = place.country if place.country != "France" else place.region or "France (région non précisée)"
    return {
        "Type": ["Fiche expérience"],
        "Thème": labels("themes", list(meta.themes)),
        "Taille du territoire": [case.stratum.named],
        "Axe du guide": [f"{axis}. {taxonomy.term('axes', axis).label}" for axis in axes],
        "Recommandation": [f"{rec.meta.number}. {rec.meta.title}" for rec in recommendations],
        "Région ou pays": [where],
        "Programme": labels("programmes", [meta.programme]) if meta.programme else ["Hors programme"],
        # « À confirmer » in place of an ongoing status an old document gives (recueil/bank/freshness.py)
        "Avancement": ([TO_CONFIRM_LABEL] if status_to_confirm(meta.status, case.status_date, bank().reference_date)
                       else labels("statuses", [meta.status])),
    }


def expected_recommendation_filters(rec: Recommendation) -> dict[str, list[str]]:
    axis = bank().taxonomy.term("axes", rec.meta.axis)
    return {"Type": ["Recommandation"], "Axe du guide": [f"{axis.id}. {axis.label}"],
            "Recommandation": [f"{rec.meta.number}. {rec.meta.title}"]}


def unordered(filters: dict[str, list[str]]) -> dict[str, list[str]]:
    return {name: sorted(values) for name, values in filters.items()}


def site_pages(site: Path) -> set[str]:
    """Every page of the built site, as the address Pagefind gives it ('/', '/cas/niort/')."""
    folders = {path.parent.relative_to(site).as_posix() for path in site.rglob("index.html")}
    return {"/" if folder == "." else f"/{folder}/" for folder in folders}


# ---- What is indexed ------------------------------------------------------------------------------------------


def test_every_page_of_the_site_is_indexed_but_the_search_page(real_site):
    pages = site_pages(real_site)
    assert len(pages) > 100 and {"/", "/cas/", "/guide/introduction/", "/themes/mobilite/", "/tailles/village/",
                                 "/axes/a/", "/carte/", "/programmes/"} <= pages
    assert set(by_url(real_site)) == pages - NOT_INDEXED


def test_every_case_and_every_recommendation_is_indexed_once_with_its_title(real_site):
    index = by_url(real_site)
    for case in bank().cases:
        assert index[f"/cas/{case.slug}/"]["meta"]["title"] == case.meta.title
    for rec in bank().recommendations:
        assert index[f"/recommandations/{rec.slug}/"]["meta"]["title"].endswith(rec.meta.title)
    assert len([url for url in index if url.startswith("/cas/") and url != "/cas/"]) == len(bank().cases)


def test_each_case_page_has_the_filters_of_its_card(real_site):
    index = by_url(real_site)
    wrong = {case.slug: unordered(index[f"/cas/{case.slug}/"]["filters"]) for case in bank().cases
             if unordered(index[f"/cas/{case.slug}/"]["filters"]) != unordered(expected_case_filters(case))}
    assert wrong == {}


def test_filters_of_a_few_cards_as_a_reader_sees_them(real_site):
    """Spelled out for three real cards: a French town in a programme, one abroad, one of unknown size."""
    index = by_url(real_site)
    ales = index["/cas/ales-patrimoine-arbore/"]["filters"]
    assert ales["Région ou pays"] == ["Occitanie"]
    assert ales["Taille du territoire"] == ["Ville moyenne (20 000 à 100 000 hab.)"]
    assert ales["Programme"] == ["AMI Transition écologique et données (2022)"]
    assert "Biodiversité et nature en ville" in ales["Thème"]
    abroad = next(case for case in bank().cases if case.meta.territory.country != "France")
    assert index[f"/cas/{abroad.slug}/"]["filters"]["Région ou pays"] == [abroad.meta.territory.country]
    unknown = next(case for case in bank().cases if case.stratum.id == "non-renseignee")
    assert index[f"/cas/{unknown.slug}/"]["filters"]["Taille du territoire"] == ["Taille non renseignée"]
    stale = next(case for case in bank().cases if case.status_to_confirm)  # 37 cards on 7 December 2026
    assert index[f"/cas/{stale.slug}/"]["filters"]["Avancement"] == ["À confirmer"]


def test_each_recommendation_page_is_filed_under_its_axis_and_itself(real_site):
    index = by_url(real_site)
    for rec in bank().recommendations:
        assert (unordered(index[f"/recommandations/{rec.slug}/"]["filters"])
                == unordered(expected_recommendation_filters(rec))), rec.slug


@pytest.mark.parametrize(("url", "kind"), [
    ("/", "À propos du recueil"), ("/contribuer/", "À propos du recueil"), ("/guide/introduction/", "Page du guide"),
    ("/axes/a/", "Page du guide"), ("/recommandations/", "Page du guide"), ("/cas/", "Liste d'expériences"),
    ("/themes/mobilite/", "Liste d'expériences"), ("/tailles/", "Liste d'expériences"), ("/carte/", "Liste d'expériences"),
    ("/programmes/tee-2022/", "Programme"), ("/recommandations/observer-les-usages/", "Recommandation"),
    ("/cas/ales-patrimoine-arbore/", "Fiche expérience"),
])
def test_every_page_has_a_type(real_site, url, kind):
    record = by_url(real_site)[url]
    assert record["filters"]["Type"] == [kind] and record["meta"]["type"] == kind


def test_only_the_article_is_indexed_not_the_menus_header_or_footer(real_site):
    """What the menus, tabs, header and footer of a case page say, and its article does not, is not in its text."""
    page = "cas/ales-patrimoine-arbore/index.html"
    root = parse_document((real_site / page).read_text(encoding="utf-8"))
    article = next(el for el in root.iter() if local(str(el.tag)) == "article")
    article_text = " ".join("".join(article.itertext()).split())
    chrome = [el for el in root.iter() if local(str(el.tag)) in ("nav", "header", "footer")]
    chrome_phrases = {" ".join("".join(link.itertext()).split()) for el in chrome for link in el.iter()
                      if local(str(link.tag)) == "a"}
    only_in_chrome = {phrase for phrase in chrome_phrases if len(phrase) > 3 and phrase not in article_text}
    assert {"Axe A en bref", "Données ouvertes", "Sécurité des contributions"} <= only_in_chrome  # it sees the menus
    content = by_url(real_site)["/" + page.removesuffix("index.html")]["content"]
    assert sorted(phrase for phrase in only_in_chrome if phrase in content) == []
    assert "¶" not in content and "Made with" not in content


def test_lists_of_cases_and_maps_are_left_to_the_case_pages(real_site):
    """A theme page, the bank, the map and a case's related cases do not repeat other cases' titles."""
    index = by_url(real_site)
    for url, cases in [("/themes/mobilite/", bank().cases_by_theme["mobilite"]), ("/cas/", bank().cases),
                       ("/carte/", bank().cases), ("/tailles/metropole/", bank().cases_by_stratum["metropole"])]:
        assert cases and [case.slug for case in cases if case.meta.title in index[url]["content"]] == [], url
    assert index["/carte/"]["meta"]["title"] == "Carte des expériences"
    assert "Banque d'expériences" in index["/cas/"]["content"]
    related = bank().related(next(case for case in bank().cases if case.slug == "ales-patrimoine-arbore"))
    content = index["/cas/ales-patrimoine-arbore/"]["content"]
    assert related and [case.meta.title for case in related if case.meta.title in content] == []


def test_the_index_is_french_and_only_the_search_needs_it(real_site):
    entry = (real_site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8")
    assert '"fr"' in entry and (real_site / "pagefind" / "pagefind-component-ui.js").is_file()
    page = (real_site / "index.html").read_text(encoding="utf-8")
    assert 'src="pagefind/pagefind-component-ui.js"' in page and 'href="pagefind/pagefind-component-ui.css"' in page
    assert not (real_site / "search").exists(), "Material's search index is gone"


# ---- Cards cannot file themselves elsewhere -------------------------------------------------------------------------


def test_card_html_cannot_carry_the_search_attributes():
    html = ('<p data-pagefind-filter="Thème:Énergie" data-pagefind-meta="title:x" data-pagefind-weight="9" '
            'DATA-PAGEFIND-BODY data-pagefind-index-attrs="title" data-slug="x">a</p>'
            '<ul data-pagefind-ignore><li>b</li></ul>')
    assert clean_html(html) == '<p data-slug="x">a</p><ul data-pagefind-ignore=""><li>b</li></ul>'


# ---- The indexing step ----------------------------------------------------------------------------------------------


@pytest.fixture
def built_copy(real_site: Path, tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(real_site, site, ignore=shutil.ignore_patterns("pagefind"))
    return site


def test_index_site_indexes_and_reports(built_copy):
    (built_copy / "pagefind").mkdir()
    (built_copy / "pagefind" / "left-over.pf_fragment").write_text("old", encoding="utf-8")
    outcome = index_site(built_copy)
    assert outcome.pages == len(site_pages(built_copy)) - len(NOT_INDEXED)
    assert outcome.folder == built_copy / "pagefind" and 0 < outcome.size_bytes == search.folder_size(outcome.folder)
    assert not (built_copy / "pagefind" / "left-over.pf_fragment").exists(), "a previous index is replaced"


def test_a_missing_program_is_explained_in_french(built_copy, monkeypatch):
    with pytest.raises(SearchIndexError) as missing:
        index_site(built_copy, executable=built_copy / "pas-de-pagefind")
    assert str(missing.value).startswith("recherche : Pagefind ne se lance pas (")
    assert "pip install 'pagefind[bin]>=1.5.2,<2'" in str(missing.value)
    monkeypatch.setitem(sys.modules, "pagefind_bin", None)  # the package is not installed
    with pytest.raises(SearchIndexError, match=r"^recherche : le programme Pagefind est introuvable .* installez-le"):
        search.pagefind_executable()


def test_a_failing_program_is_reported_with_what_it_said(built_copy, tmp_path):
    program = tmp_path / "pagefind"
    program.write_text("#!/bin/sh\necho 'Error: cannot write the bundle' >&2\nexit 3\n", encoding="utf-8")
    program.chmod(0o755)
    with pytest.raises(SearchIndexError) as failed:
        index_site(built_copy, executable=program)
    assert str(failed.value) == ("recherche : Pagefind s'est arrêté (code 3) : Error: cannot write the bundle ; "
                                 "corrigez la cause indiquée puis reconstruisez le site")


def test_a_folder_without_a_site_is_refused(tmp_path):
    with pytest.raises(SearchIndexError, match="ne contient pas de site construit .* lancez d'abord « mkdocs build »"):
        index_site(tmp_path)


def test_a_site_without_the_themes_markers_is_a_failure_not_an_empty_index(tmp_path):
    (tmp_path / "index.html").write_text("<html><body><p>Une page sans repères</p></body></html>", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "recueil.cli", "search-index", "--site", str(tmp_path)],
                            capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (f"erreur: recherche : aucune page de {tmp_path} n'a les repères de recherche du thème "
                             f"({SEARCH_START}) ; construisez le site avec le thème du recueil (overrides/), "
                             "« mkdocs build », puis relancez\n")
    assert not (tmp_path / "pagefind").exists()


def test_the_index_files_are_complete_once_finish_returns(tmp_path):
    """The flake of test_the_command_indexes_a_built_site: Pagefind answered WriteFiles before its
    files held their bytes, and exited on the closed input with writes pending (an empty
    pagefind-entry.json, 3 runs in 60 on two busy cores). The files now come back in the answer
    to GetFiles and the indexer writes them itself: when finish returns, the service has stopped
    and every file is whole."""
    indexer = StreamingIndexer(search.pagefind_executable(), search.indexer_config())
    indexer.add("/cas/alpha/", page("cas/alpha/", "Alpha")[0])
    indexer.finish(tmp_path / "pagefind")
    assert indexer.process.poll() is not None
    entry = json.loads((tmp_path / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["fr"]["page_count"] == 1
    assert all(path.stat().st_size > 0 for path in (tmp_path / "pagefind").rglob("*") if path.is_file())


@pytest.mark.parametrize(("chunks", "messages"), [
    ([b"YQ==,Yg==,"], [b"YQ==", b"Yg=="]),  # two answers in one read
    ([b"YW", b"Jj", b"ZA==,"], [b"YWJjZA=="]),  # one answer over three reads
    ([b"YQ==", b",", b"", b"Yg==,"], [b"YQ==", b"Yg=="]),  # the comma alone, an empty read
    ([b"YQ==,Yg"], [b"YQ=="]),  # the output closed in the middle of an answer: it is not given
    ([b",,"], [b"", b""]),
])
def test_answers_are_cut_at_each_comma_wherever_the_reads_fall(chunks, messages):
    assert list(messages_of(iter(chunks))) == messages


def test_a_large_answer_read_in_pipe_sized_pieces_comes_back_whole():
    """GetFiles answers with the whole index in one message (about 58 MB at 10,000 cases), read 64 KiB at
    a time: every byte, once, in order (speed: benchmarks/bench_build.py)."""
    message = bytes(range(65, 91)) * 400_000  # 10.4 MB, no comma
    stream = message + b"," + b"Zm9v,"
    pieces = [stream[i:i + 65536] for i in range(0, len(stream), 65536)]
    assert list(messages_of(iter(pieces))) == [message, b"Zm9v"]


def test_an_answer_that_is_not_of_the_protocol_stops_the_wait_with_the_reason(tmp_path):
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\nhead -c 1 >/dev/null\nprintf 'pas du base64 !,'\nexit 3\n", encoding="utf-8")
    fake.chmod(0o755)
    with pytest.raises(IndexerError, match=r"^Pagefind s'est arrêté \(code 3\) : réponse illisible \("):
        StreamingIndexer(fake, {}, timeout=60)


def test_index_files_are_written_only_inside_the_index_folder(tmp_path):
    with pytest.raises(IndexerError, match=r"^Pagefind a donné un fichier hors de l'index \(\.\./x\.js\)$"):
        write_index([{"path": "../x.js", "content": ""}], tmp_path / "pagefind")
    assert not (tmp_path / "x.js").exists()


def load_hooks() -> SimpleNamespace:
    """The search hooks (recueil_mkdocs/search.py, which hooks/recueil_search.py names), their state made afresh."""
    return importlib.reload(importlib.import_module("recueil_mkdocs.search"))  # type: ignore[return-value]


def page(url: str, text: str) -> tuple[str, SimpleNamespace]:
    """A built page as the hook sees it: its HTML, with the part the theme marks for the search."""
    html = (f"<html><head><title>x</title></head><body><nav>Menu du site</nav>{SEARCH_START}"
            f"<article data-pagefind-body><h1>{text}</h1><p>{text}, texte de la page.</p></article>"
            f"{SEARCH_END}<footer>Pied de page</footer></body></html>")
    return html, SimpleNamespace(url=url)


def test_the_build_fails_with_the_message_and_no_traceback(monkeypatch, tmp_path):
    hooks = load_hooks()
    program = tmp_path / "pagefind"
    program.write_text("#!/bin/sh\necho 'Error: out of memory' >&2\nexit 3\n", encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setattr(hooks, "pagefind_executable", lambda: program)
    hooks.on_startup("build", dirty=False)
    with pytest.raises(PluginError, match=r"^recherche : Pagefind s'est arrêté \(code 3\) : Error: out of memory") \
            as failure:
        hooks.on_pre_build(SimpleNamespace(site_dir=str(tmp_path / "site")))
    assert str(failure.value).endswith(" ; corrigez la cause indiquée puis reconstruisez le site")
    assert failure.value.__cause__ is None and failure.value.__suppress_context__


def test_the_build_sends_each_page_and_writes_the_index_at_the_end(tmp_path, caplog):
    """Pages go to Pagefind as they are built (what the theme marks, not the menus), the index is
    written by on_post_build, and the log says how long the build waited for it."""
    hooks = load_hooks()
    config = SimpleNamespace(site_dir=str(tmp_path / "site"))
    hooks.on_startup("build", dirty=False)
    hooks.on_pre_build(config)
    for url, text in (("", "Accueil du recueil"), ("cas/alpha/", "Alpha à Alès")):
        html, built = page(url, text)
        assert hooks.on_post_page(html, built, config) == html
    hooks.on_post_page("<html><body>Page sans marque</body></html>", SimpleNamespace(url="404.html"), config)
    with caplog.at_level(logging.INFO, logger="mkdocs.hooks.recueil.search"):
        hooks.on_post_build(config)
    [said] = [record.getMessage() for record in caplog.records]
    assert re.fullmatch(r"recherche : 2 pages indexées \(\d+\.\d s après les pages, dont \d+\.\d s d'écriture\)", said)
    fragments = by_url(tmp_path / "site")
    assert set(fragments) == {"/", "/cas/alpha/"}
    assert "Alpha à Alès, texte de la page." in fragments["/cas/alpha/"]["content"]
    assert "Menu du site" not in fragments["/"]["content"] and "Pied de page" not in fragments["/"]["content"]


def test_under_serve_the_index_is_written_after_the_page_and_a_new_rebuild_drops_the_old_one(tmp_path):
    hooks = load_hooks()
    config = SimpleNamespace(site_dir=str(tmp_path / "site"))
    hooks.on_startup("serve", dirty=False)
    hooks.on_pre_build(config)
    hooks.on_post_page(*page("cas/alpha/", "Alpha"), config)
    hooks.on_post_build(config)  # returns at once: the index is written by a thread
    indexer, finisher = hooks._state.finishing
    finisher.join(timeout=60)
    assert set(by_url(tmp_path / "site")) == {"/cas/alpha/"}

    hooks.on_pre_build(config)
    hooks.on_post_page(*page("cas/beta/", "Beta"), config)
    hooks.on_post_build(config)
    _, finisher = hooks._state.finishing
    finisher.join(timeout=60)
    assert set(by_url(tmp_path / "site")) == {"/cas/beta/"}, "the new index replaces the previous one"
    assert [path.name for path in (tmp_path / "site").iterdir()] == ["pagefind"], "made aside, nothing left over"

    hooks.on_pre_build(config)
    hooks.on_post_page(*page("cas/gamma/", "Gamma"), config)
    hooks.on_post_build(config)
    dropped, finisher = hooks._state.finishing
    hooks.on_pre_build(config)  # the next edit comes before that index is written: it is dropped
    assert dropped.cancelled and dropped.process.poll() is not None
    assert not finisher.is_alive() and set(by_url(tmp_path / "site")) == {"/cas/beta/"}, "the served index stays"
    assert [path.name for path in (tmp_path / "site").iterdir()] == ["pagefind"]
    hooks.on_build_error(RuntimeError("build interrupted"))
    assert hooks._state.indexer is None and hooks._state.finishing is None


def test_the_command_indexes_a_built_site(built_copy):
    result = subprocess.run([sys.executable, "-m", "recueil.cli", "--root", str(ROOT), "search-index",
                             "--site", str(built_copy)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"recherche : {len(site_pages(built_copy)) - len(NOT_INDEXED)} pages indexées en ")
    assert (built_copy / "pagefind" / "pagefind-entry.json").is_file()
    missing = subprocess.run([sys.executable, "-m", "recueil.cli", "search-index", "--site", str(built_copy / "x")],
                             capture_output=True, text=True, timeout=60)
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
    assert missing.stderr.startswith("erreur: recherche : ") and "lancez d'abord « mkdocs build »" in missing.stderr


def test_the_kind_of_a_page_is_decided_once_in_python():
    """Issue #28: the « Type » filter was decided in both themes' templates from folder names; now the themes
    leave an empty element (TYPE_ELEMENT) that the page transforms fill, for every engine, from page_type."""
    for theme in ("overrides", "overrides-zensical"):
        partial = (ROOT / theme / "partials" / "recueil-search-filters.html").read_text(encoding="utf-8")
        assert TYPE_ELEMENT in partial, theme
        assert not any(kind in partial for kind in ("Fiche expérience", "Recommandation", "Page du guide")), theme
    assert [page_type(url) for url in ("", "cas/", "cas/x/", "recommandations/", "recommandations/x/", "axes/a/",
                                       "guide/valeurs/", "programmes/", "recherche/")] == [
        "À propos du recueil", "Liste d'expériences", "Fiche expérience", "Page du guide", "Recommandation",
        "Page du guide", "Page du guide", "Programme", "À propos du recueil"]
