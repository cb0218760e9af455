"""What keeps the build linear and `mkdocs serve` quick: bounded related cases, cards parsed once,
pages rendered again only when their inputs change, and a serve rebuild that reuses pages yet
gives the very site a clean build gives. Times are measured by benchmarks/bench_build.py."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import Environment, FileSystemBytecodeCache
from mkdocs.exceptions import Abort

import recueil.bank.bank as linking
import recueil.site.environment as environment
from benchmarks.synthetic import write_synthetic_cases
from recueil.addresses import page_url, relative_url
from recueil.bank.bank import RELATED_EXACT_LIMIT, RELATED_WINDOW, Bank, Case, load_bank
from recueil.cards.problems import CardErrors
from recueil.project import Project
from recueil.site.environment import make_environment, yaml_scalar
from recueil.site.pages import PageMaker
from recueil.upkeep.rebuild import STORE
from recueil_mkdocs import serve as serve_hooks
from tests.conftest import copy_project
from tests.helpers import mini_project


def _score(case: Case, other: Case) -> int:
    """The related-cases score as documented, computed the plain way."""
    mine, theirs = case.meta, other.meta
    score = 2 * len(set(mine.recommendations) & set(theirs.recommendations))
    score += sum(3 if theme == mine.themes[0] else 1 for theme in set(mine.themes) & set(theirs.themes))
    return score + 1 if score and case.stratum.id == other.stratum.id else score


def _brute_force_related(bank: Bank, case: Case) -> list[str]:
    scored = sorted((-_score(case, other), other.slug) for other in bank.cases if other is not case)
    return [slug for score, slug in scored[:4] if score < 0]


def _touch(path: Path, text: str) -> None:
    """Write and move the mtime forward: two writes within a clock tick must still look different."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 1_000_000_000, before + 1_000_000_000))


@pytest.fixture(scope="module")
def large_project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The real site plus 400 synthetic cases: groups too large to be scored whole."""
    root = copy_project(tmp_path_factory.mktemp("large"))
    write_synthetic_cases(root / "cases", 400, seed=7)
    return Project(root)


def test_related_cases_are_the_exact_ranking_on_a_small_bank(tmp_path):
    bank = load_bank(Project(copy_project(tmp_path)))
    for case in bank.cases:
        assert [other.slug for other in bank.related(case)] == _brute_force_related(bank, case)


@pytest.mark.slow
def test_related_cases_read_a_bounded_number_of_cases_in_a_large_bank(large_project, monkeypatch):
    bank = load_bank(large_project)
    calls: list[int] = []
    counting = linking._related_score
    monkeypatch.setattr(linking, "_related_score", lambda mine, other: calls.append(1) or counting(mine, other))
    windowed = 0
    for case in bank.cases:
        calls.clear()
        related = [bank.case_by_slug[slug] for slug in bank._ranked(case)]
        keys = linking._group_keys(case, main_only=True)
        windowed += sum(len(bank._related_groups[key]) for key in keys) > RELATED_EXACT_LIMIT
        assert len(calls) <= max(RELATED_EXACT_LIMIT, len(keys) * (RELATED_WINDOW + 1)), case.slug
        assert len(related) == 4 and case not in related
        scores = [_score(case, other) for other in related]
        assert scores == sorted(scores, reverse=True) and min(scores) > 0
    assert windowed > len(bank.cases) // 2, "the bank is too small to test the windows"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["cas", "themes", "guide", "a", "index"]), max_size=3),
       st.lists(st.sampled_from(["cas", "themes", "guide", "b", "index"]), max_size=3),
       st.booleans())
def test_a_relative_link_leads_the_browser_to_its_target(target_dirs, start_dirs, to_page):
    """What a browser does with the link (urljoin from the page's address) lands on the target's address."""
    target = "/".join([*target_dirs, "page.md" if to_page else "style.css"])
    start = "/".join([*start_dirs, "x.md"])
    site = "https://exemple.fr/recueil/"
    link = relative_url(target, start)
    assert not link.startswith("/") and "//" not in link
    assert urljoin(site + page_url(start), link) == site + (page_url(target) if to_page else target)


@pytest.mark.parametrize(("target", "start", "link"), [
    ("cas/a.md", "cas/b.md", "../a/"),
    ("cas/index.md", "cas/b.md", "../"),
    ("cas/b.md", "cas/b.md", "./"),
    ("index.md", "cas/b.md", "../../"),
    ("themes/mobilite.md", "index.md", "themes/mobilite/"),
    ("assets/recueil.css", "cas/b.md", "../../assets/recueil.css"),
    ("donnees/cas.csv", "donnees/index.md", "cas.csv"),
    ("cas/index.md", "cas/index.md", "./"),
])
def test_relative_links_of_the_site(target, start, link):
    assert relative_url(target, start) == link


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_front_matter_strings_read_back_unchanged(text):
    assert yaml.safe_load(f"title: {yaml_scalar(text)}\n") == {"title": text}


def test_a_card_is_parsed_again_only_when_its_file_changes(tmp_path):
    project = Project(mini_project(tmp_path))
    first, second = load_bank(project), load_bank(project)
    assert all(a.card is b.card for a, b in zip(first.cases, second.cases, strict=True))
    card = project.cases / "niort-portail.md"
    _touch(card, card.read_text(encoding="utf-8").replace("Un portail.", "Un portail ouvert."))
    third = {case.slug: case.card for case in load_bank(project).cases}
    assert "Un portail ouvert." in third["niort-portail"].body
    assert third["niort-portail"] is not second.case_by_slug["niort-portail"].card
    assert third["lyon-mobilite"] is second.case_by_slug["lyon-mobilite"].card


def test_a_rebuild_reuses_the_related_cases_until_a_case_changes_group(tmp_path, monkeypatch):
    project = Project(mini_project(tmp_path))
    first = {case.slug: [other.slug for other in load_bank(project).related(case)] for case in load_bank(project).cases}
    ranked: list[str] = []
    ranking = linking.Bank._ranked
    monkeypatch.setattr(linking.Bank, "_ranked", lambda self, case: ranked.append(case.slug) or ranking(self, case))
    bank = load_bank(project)
    assert {case.slug: [other.slug for other in bank.related(case)] for case in bank.cases} == first
    assert ranked == [], "nothing changed: the last table serves"
    card = project.cases / "niort-portail.md"
    _touch(card, card.read_text(encoding="utf-8").replace("Un portail.", "Un portail ouvert."))
    load_bank(project).related(bank.cases[0])
    assert ranked == [], "a change of text only does not move related cases"
    text = card.read_text(encoding="utf-8")
    assert "themes: [biodiversite-nature" in text and "mobilite" not in text
    _touch(card, text.replace("themes: [", "themes: [mobilite, ", 1))
    changed = load_bank(project)
    changed.related(changed.cases[0])
    assert sorted(ranked) == sorted(case.slug for case in changed.cases)


def test_a_link_check_kept_from_the_last_load_follows_the_files_it_needs(tmp_path):
    """Unchanged texts are not examined again, but their links are: a page that appears or goes counts."""
    project = Project(mini_project(tmp_path))
    card = project.cases / "niort-portail.md"
    _touch(card, card.read_text(encoding="utf-8").replace("Un portail.", "Un portail, voir [la note](../guide/note.md)."))
    with pytest.raises(CardErrors, match="lien vers un fichier introuvable : ../guide/note.md"):
        load_bank(project)
    note = project.root / "docs" / "guide" / "note.md"
    note.parent.mkdir(parents=True, exist_ok=True)
    note.write_text("# Note\n", encoding="utf-8")
    load_bank(project)
    note.unlink()
    with pytest.raises(CardErrors, match="niort-portail.md:.*lien vers un fichier introuvable"):
        load_bank(project)


def test_links_to_docs_resolve_from_a_relative_project_folder(tmp_path, monkeypatch):
    """`mkdocs build -f mkdocs.yml` names the project by a relative path: links to docs/ still resolve."""
    root = mini_project(tmp_path)
    card = root / "cases" / "niort-portail.md"
    _touch(card, card.read_text(encoding="utf-8").replace("Un portail.", "Un portail, voir [la note](../guide/note.md)."))
    (root / "docs" / "guide").mkdir(parents=True, exist_ok=True)
    (root / "docs" / "guide" / "note.md").write_text("# Note\n", encoding="utf-8")
    monkeypatch.chdir(root)
    assert load_bank(Project(Path("."))).case_by_slug["niort-portail"]


def test_a_broken_card_is_reported_at_every_load(tmp_path):
    project = Project(mini_project(tmp_path))
    card = project.cases / "niort-portail.md"
    _touch(card, card.read_text(encoding="utf-8").replace("status: ", "status: inconnu-", 1))
    for _ in range(2):
        with pytest.raises(linking.CardErrors, match="niort-portail.md"):
            load_bank(project)


def test_pages_are_rendered_again_only_when_their_inputs_change(tmp_path):
    project = Project(mini_project(tmp_path))
    before = {page.src_uri: page for page in PageMaker(load_bank(project), project).pages()}
    again = {page.src_uri: page for page in PageMaker(load_bank(project), project).pages()}
    assert all(again[uri] is page for uri, page in before.items())

    card = project.cases / "niort-portail.md"
    text = card.read_text(encoding="utf-8")
    _touch(card, text.replace("Un portail.", "Un portail ouvert."))
    body_edit = {page.src_uri: page for page in PageMaker(load_bank(project), project).pages()}
    changed = {uri for uri, page in body_edit.items() if page is not before[uri]}
    assert changed == {"cas/niort-portail.md"}, "a text edit changes its own page only"
    assert "Un portail ouvert." in body_edit["cas/niort-portail.md"].content

    _touch(card, text.replace("title: \"Niort : un portail", "title: \"Niort : un nouveau portail", 1))
    title_edit = {page.src_uri: page for page in PageMaker(load_bank(project), project).pages()}
    assert "Niort : un nouveau portail" in title_edit["cas/index.md"].content
    assert "Niort : un nouveau portail" in title_edit["cas/village-fontaines.md"].content  # listed as related
    untouched = [uri for uri, page in before.items() if "Niort" not in page.content]
    assert untouched and all(title_edit[uri].content == before[uri].content for uri in untouched)


def _build(project: Path, site: Path, command: str) -> Path:
    """Build in this process as `mkdocs serve` does (`command="serve"` lets pages be reused)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command=command, dirty=False)
    build(config, serve_url="http://127.0.0.1:8000/")
    return site


def test_a_build_pauses_the_collector_for_the_engine_and_leaves_it_as_it_was(tmp_path, monkeypatch):
    """A one-off build freezes what the engine made (collections from then on skip it) and gives
    everything back at the end; a failed build too. `mkdocs serve` never touches the collector."""
    import gc

    monkeypatch.setenv("RECUEIL_PDF", "0")
    project = mini_project(tmp_path / "project")
    frozen: list[int] = []
    freeze = gc.freeze
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(1) or freeze())
    _build(project, tmp_path / "site", "build")
    assert frozen == [1] and gc.isenabled() and gc.get_freeze_count() == 0
    _build(project, tmp_path / "served", "serve")
    assert frozen == [1], "serve builds again and again: nothing frozen"
    card = project / "cases" / "niort-portail.md"
    _touch(card, card.read_text(encoding="utf-8").replace("status: ", "status: inconnu-", 1))
    with pytest.raises(Abort, match="BuildError"):
        _build(project, tmp_path / "broken", "build")
    assert gc.isenabled() and gc.get_freeze_count() == 0


@pytest.fixture
def serve_store():
    STORE.forget()
    yield STORE
    STORE.forget()


def test_a_serve_rebuild_reuses_pages_and_gives_the_site_of_a_clean_build(tmp_path, monkeypatch, serve_store):
    monkeypatch.setenv("RECUEIL_PDF", "0")
    project = mini_project(tmp_path / "project")
    (project / "docs" / "note.md").write_text("# Une note\n\nÉcrite à la main.\n", encoding="utf-8")
    (project / "docs" / "chiffres.md").write_text("# Chiffres\n\n<!-- recueil:accueil-chiffres -->\n",
                                                  encoding="utf-8")
    served = tmp_path / "served"
    _build(project, served, "serve")
    written = {path: (path.stat().st_ino, path.stat().st_mtime_ns) for path in served.rglob("*.html")}
    card = project / "cases" / "niort-portail.md"
    _touch(card, card.read_text(encoding="utf-8").replace("Un portail.", "Un portail ouvert."))
    _build(project, served, "serve")
    reused = set(serve_hooks._state.reused)
    assert "cas/lyon-mobilite.md" in reused and "cas/index.md" in reused
    assert "note.md" in reused, "a hand-written page without a recueil block is reused too"
    assert "chiffres.md" not in reused, "a page with a recueil block shows the bank: made again"
    assert "cas/niort-portail.md" not in reused
    untouched = {path for path, before in written.items() if (path.stat().st_ino, path.stat().st_mtime_ns) == before}
    assert served / "cas" / "lyon-mobilite" / "index.html" in untouched, "a reused page is not written again"
    assert served / "note" / "index.html" in untouched
    assert served / "cas" / "niort-portail" / "index.html" not in untouched
    assert_same_site(served, _build(project, tmp_path / "clean", "build"))
    assert "Un portail ouvert." in (served / "cas" / "niort-portail" / "index.html").read_text(encoding="utf-8")


def test_a_serve_rebuild_deletes_what_it_no_longer_makes_and_recovers_from_a_failure(tmp_path, monkeypatch,
                                                                                     serve_store):
    monkeypatch.setenv("RECUEIL_PDF", "0")
    project = mini_project(tmp_path / "project")
    served = tmp_path / "served"
    _build(project, served, "serve")
    assert (served / "cas" / "village-fontaines" / "index.html").is_file()
    (project / "cases" / "village-fontaines.md").unlink()
    _build(project, served, "serve")
    assert not (served / "cas" / "village-fontaines").exists(), "the page of a deleted card goes, its folder too"
    assert_same_site(served, _build(project, tmp_path / "clean", "build"))

    card = project / "cases" / "niort-portail.md"
    text = card.read_text(encoding="utf-8")
    _touch(card, text.replace("status: ", "status: inconnu-", 1))
    with pytest.raises(Abort):
        _build(project, served, "serve")
    _touch(project / "docs" / "ajout.md", "# Ajout\n")
    _touch(card, text)
    _build(project, served, "serve")
    assert_same_site(served, _build(project, tmp_path / "clean-again", "build"))


def assert_same_site(served: Path, clean: Path) -> None:
    served_files = sorted(path.relative_to(served) for path in served.rglob("*") if path.is_file())
    clean_files = sorted(path.relative_to(clean) for path in clean.rglob("*") if path.is_file())
    assert served_files == clean_files
    different = [path for path in served_files if (served / path).read_bytes() != (clean / path).read_bytes()]
    assert different == []


def test_templates_compiled_by_one_build_are_read_back_by_the_next_until_they_change(tmp_path, monkeypatch):
    monkeypatch.setattr(environment, "compiled_templates", lambda: FileSystemBytecodeCache(str(tmp_path / "cache")))
    (tmp_path / "cache").mkdir()
    overrides = tmp_path / "templates"
    overrides.mkdir()
    (overrides / "note.md.j2").write_text("Première version : {{ n }}", encoding="utf-8")
    compiled: list[str | None] = []
    original = Environment.compile

    def spy(self: Environment, source: str, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        compiled.append(name)
        return original(self, source, name, *args, **kwargs)

    monkeypatch.setattr(Environment, "compile", spy)
    assert make_environment(overrides).get_template("case.md.j2") and "case.md.j2" in compiled
    assert make_environment(overrides).get_template("note.md.j2").render(n=1) == "Première version : 1"
    compiled.clear()
    assert make_environment(overrides).get_template("case.md.j2")  # a new environment: a later build
    assert make_environment(overrides).get_template("note.md.j2").render(n=2) == "Première version : 2"
    assert compiled == [], "read back from the cache, not compiled again"
    _touch(overrides / "note.md.j2", "Seconde version : {{ n }}")
    assert make_environment(overrides).get_template("note.md.j2").render(n=3) == "Seconde version : 3"
    assert compiled == ["note.md.j2"]
