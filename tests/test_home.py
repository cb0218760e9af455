"""The home page's generated blocks: entry points with counts, latest cases, errors on unknown markers."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from recueil.bank.bank import load_bank
from recueil.project import Project
from recueil.site.home import MarkerError, expand_markers
from tests.helpers import ROOT, mini_project


@pytest.fixture(scope="module")
def bank():
    return load_bank(Project(ROOT))


def test_entry_points_link_each_axis_theme_and_size_with_its_count(bank):
    html = expand_markers("# Accueil\n\n<!-- recueil:accueil-entrees -->\n", bank, Project(ROOT), "index.md")
    assert "recueil:" not in html
    for theme_id, cases in bank.cases_by_theme.items():
        n = len(cases)
        assert re.search(rf'href="themes/{theme_id}/">[^<]+</a> <span class="recueil-count">\({n} expériences?\)', html)
    for stratum_id, cases in bank.cases_by_stratum.items():
        assert re.search(rf'href="tailles/{stratum_id}/">[^<]+</a> <span class="recueil-count">\({len(cases)} ', html)
    for axis in bank.taxonomy.axes:
        assert f'href="axes/{axis.id.lower()}/"' in html


def test_latest_cases_are_the_most_recent(bank):
    html = expand_markers("<!-- recueil:accueil-dernieres -->", bank, Project(ROOT), "index.md")
    linked = re.findall(r'href="cas/([a-z0-9-]+)/"', html)
    assert len(linked) == 6
    others = [case.meta.year or 0 for case in bank.cases if case.slug not in linked]
    assert min(bank.case_by_slug[slug].meta.year or 0 for slug in linked) >= max(others)
    assert f"Toutes les expériences ({len(bank.cases)})" in html


def test_links_are_relative_to_the_page_that_holds_the_marker(bank):
    html = expand_markers("<!-- recueil:accueil-entrees -->", bank, Project(ROOT), "guide/accueil.md")
    assert 'href="../../themes/mobilite/"' in html


def test_a_page_without_marker_is_returned_unchanged(bank):
    text = "# Titre\n\nDu texte qui parle de recueil sans marqueur.\n"
    assert expand_markers(text, bank, Project(ROOT), "guide/x.md") == text


def test_an_unknown_marker_names_the_file_the_line_and_the_known_ones(bank):
    with pytest.raises(MarkerError) as error:
        expand_markers("# A\n\nTexte\n<!-- recueil:accueil-entree -->\n", bank, Project(ROOT), "index.md",
                       "docs/index.md")
    message = str(error.value)
    assert message.startswith("docs/index.md:4: marqueur inconnu « recueil:accueil-entree »")
    assert "recueil:accueil-entrees" in message


def test_render_writes_the_expanded_home(tmp_path):
    project = mini_project(tmp_path / "project")
    (project / "docs").mkdir(exist_ok=True)
    (project / "docs" / "index.md").write_text("# Accueil\n\n<!-- recueil:accueil-chiffres -->\n", encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "recueil.cli", "--root", str(project), "render", "--out", str(out)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    home = (out / "index.md").read_text(encoding="utf-8")
    cases = len(load_bank(Project(project)).cases)
    assert f"<strong>{cases} fiches expérience</strong>" in home


def test_the_built_home_page_has_its_blocks_and_the_pdf_link(real_site):
    html = (real_site / "index.html").read_text(encoding="utf-8")
    assert "recueil:" not in html
    assert 'id="accueil-par-theme"' in html and 'class="recueil-home recueil-home__latest"' in html
    assert 'href="guide.pdf"' in html
