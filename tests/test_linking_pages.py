"""The pure core: derivations (strata, reverse links, related cases) and generated pages."""

from __future__ import annotations

import pytest

from recueil.addresses import page_url, relative_url
from recueil.bank.bank import load_bank
from recueil.project import Project
from recueil.site.pages import PageMaker
from tests.helpers import ROOT, mini_project


@pytest.fixture
def mini(tmp_path):
    project = Project(mini_project(tmp_path))
    return project, load_bank(project)


def test_page_urls_and_relative_links():
    assert page_url("cas/niort.md") == "cas/niort/"
    assert page_url("cas/index.md") == "cas/"
    assert page_url("index.md") == ""
    assert relative_url("recommandations/observer.md", "cas/niort.md") == "../../recommandations/observer/"
    assert relative_url("cas/index.md", "cas/niort.md") == "../"
    assert relative_url("themes/mobilite.md", "index.md") == "themes/mobilite/"
    assert relative_url("cas/niort.md", "cas/index.md") == "niort/"


def test_reverse_links_and_strata_are_computed(mini):
    _, bank = mini
    observer = bank.recommendation_by_slug["observer"]
    assert [case.slug for case in observer.cases] == ["village-fontaines", "niort-portail"]
    strata = {case.slug: case.stratum.id for case in bank.cases}
    assert strata == {"niort-portail": "ville-moyenne", "village-fontaines": "village", "lyon-mobilite": "metropole"}
    assert [case.slug for case in bank.cases_by_theme["mobilite"]] == ["village-fontaines", "lyon-mobilite"]
    assert sorted(bank.cases_by_axis) == ["A", "D"]


def test_related_cases_never_include_the_case_itself(mini):
    _, bank = mini
    for case in bank.cases:
        related = bank.related(case)
        assert case not in related
        assert len(related) == 2


def test_case_page_links_to_everything_it_relates_to(mini):
    project, bank = mini
    pages = {page.src_uri: page for page in PageMaker(bank, project).pages()}
    page = pages["cas/niort-portail.md"]
    assert page.source == "cases/niort-portail.md"
    assert page.content.startswith('---\ntitle: "Niort : un portail des ressources naturelles"\n')
    for link in ('href="../../recommandations/observer/"', 'href="../../themes/biodiversite-nature/"',
                 'href="../../tailles/ville-moyenne/"', 'href="../village-fontaines/"'):
        assert link in page.content
    assert "59\u202f059 habitants (2018)" in page.content
    assert "## Action mise en œuvre\n\nUn portail." in page.content


def test_recommendation_page_lists_the_cases_that_name_it(mini):
    project, bank = mini
    pages = {page.src_uri: page for page in PageMaker(bank, project).pages()}
    content = pages["recommandations/mesurer.md"].content
    assert 'href="../../cas/village-fontaines/"' in content and 'href="../../cas/lyon-mobilite/"' in content
    assert 'href="../../cas/niort-portail/"' not in content
    assert '<ol class="recueil-steps">\n<li>Choisir les indicateurs</li>\n<li>Mesurer</li>\n</ol>' in content


def test_every_facet_has_a_page(mini):
    project, bank = mini
    uris = {page.src_uri for page in PageMaker(bank, project).pages()}
    assert {"cas/index.md", "recommandations/index.md", "themes/index.md", "tailles/index.md"} <= uris
    assert {f"axes/{a}.md" for a in "abcd"} <= uris
    assert {f"themes/{t.id}.md" for t in bank.taxonomy.themes} <= uris
    assert {f"tailles/{s.id}.md" for s in bank.taxonomy.strata} <= uris


def test_fields_are_escaped_in_generated_pages(tmp_path):
    project = Project(mini_project(tmp_path))
    card = project.cases / "niort-portail.md"
    card.write_text(card.read_text(encoding="utf-8").replace(
        "summary: Niort ouvre", "summary: <img src=x onerror=alert(1)> Niort ouvre"), encoding="utf-8")
    bank = load_bank(project)
    page = next(p for p in PageMaker(bank, project).pages() if p.src_uri == "cas/niort-portail.md")
    assert "<img src=x" not in page.content
    assert "&lt;img src=x onerror=alert(1)&gt;" in page.content


def test_site_templates_can_be_overridden(tmp_path):
    project = Project(mini_project(tmp_path))
    (project.templates).mkdir()
    (project.templates / "theme.md.j2").write_text("---\ntitle: Thème\n---\n\nSURCHARGE {{ theme.id }}\n")
    bank = load_bank(project)
    page = next(p for p in PageMaker(bank, project).pages() if p.src_uri == "themes/mobilite.md")
    assert "SURCHARGE mobilite" in page.content


def test_real_content_loads():
    bank = load_bank(Project(ROOT))
    assert len(bank.recommendations) == len(list((ROOT / "recommendations").glob("*.md")))
    assert len(bank.cases) >= 50
