"""End to end: the mini fixture site and the real site built by MkDocs with the hooks."""

from __future__ import annotations

import re

from tests.conftest import build_site
from tests.helpers import mini_project


def test_mini_site_builds_with_generated_pages(tmp_path):
    project = mini_project(tmp_path / "project")
    out = tmp_path / "site"
    result = build_site(project, out)
    assert result.returncode == 0, result.stderr
    case = (out / "cas" / "niort-portail" / "index.html").read_text(encoding="utf-8")
    assert "<title>Niort : un portail des ressources naturelles - Mini recueil</title>" in case
    assert 'href="https://github.com/example/mini/edit/main/cases/niort-portail.md"' in case
    assert 'href="../../recommandations/observer/"' in case
    assert not (project / "docs" / "cas").exists(), "pages are generated in memory, not written into docs/"
    rec = (out / "recommandations" / "mesurer" / "index.html").read_text(encoding="utf-8")
    assert 'edit/main/recommendations/mesurer.md"' in rec
    assert "Fontaines : compter les passages à vélo" in rec


def test_cases_are_not_in_the_nav(tmp_path):
    project = mini_project(tmp_path / "project")
    out = tmp_path / "site"
    assert build_site(project, out).returncode == 0
    home = (out / "index.html").read_text(encoding="utf-8")
    nav = home[home.index('<nav class="md-nav md-nav--primary"'):]
    assert "recommandations/observer/" in nav
    assert "cas/niort-portail/" not in nav


def test_broken_card_fails_the_build_with_its_messages(tmp_path):
    project = mini_project(tmp_path / "project")
    card = project / "cases" / "niort-portail.md"
    card.write_text(card.read_text(encoding="utf-8").replace("themes: [biodiversite-nature,", "themes: [biodiv,"),
                    encoding="utf-8")
    result = build_site(project, tmp_path / "site")
    assert result.returncode == 1
    assert ("cases/niort-portail.md:13: themes[0]: 'biodiv' n'est pas un thème "
            "(vouliez-vous dire 'biodiversite-nature' ?)") in result.stderr
    assert "Traceback" not in result.stderr


def test_real_site_builds_strict(real_site):
    cases = [p for p in (real_site / "cas").iterdir() if p.is_dir()]
    assert len(cases) >= 50
    bank = (real_site / "cas" / "index.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<li class="recueil-case[^"]*"[^>]*data-slug="', bank)) == len(cases)
