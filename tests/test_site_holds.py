"""What the site holds, said once (recueil/addresses.py): the check, `recueil render` and the build agree with it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from recueil.addresses import DATA_FILES, HOME_URI, engine_assets, generated_pages, page_url, territory_files
from recueil.bank.bank import load_bank
from recueil.project import Project
from recueil.site.territory_lookup import shards_of
from recueil.territories.reference import load_reference
from tests.helpers import ROOT, mini_project, run_check


def _render(project: Path, out: Path) -> set[str]:
    result = subprocess.run([sys.executable, "-m", "recueil.cli", "--root", str(project), "render", "--out", str(out)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return {path.relative_to(out).as_posix() for path in out.rglob("*") if path.is_file()}


def test_check_accepts_links_to_the_pages_and_files_the_build_makes(tmp_path):
    project = mini_project(tmp_path)
    card = project / "cases" / "niort-portail.md"
    links = ["../recherche/index.md", "../donnees/index.md", "../flux.xml", "../donnees/cas.csv",
             "../schemas/case.schema.json", "../carte/index.md", "../assets/recueil.css"]
    card.write_text(card.read_text(encoding="utf-8") + "\n" + " ".join(f"[lien]({link})" for link in links) + "\n",
                    encoding="utf-8")
    result = run_check(project)
    assert result.returncode == 0, result.stderr


def test_check_still_refuses_a_page_the_build_does_not_make(tmp_path):
    project = mini_project(tmp_path)
    card = project / "cases" / "niort-portail.md"
    card.write_text(card.read_text(encoding="utf-8") + "\n[lien](../recherche/autre.md)\n", encoding="utf-8")
    result = run_check(project)
    assert "lien vers un fichier introuvable : ../recherche/autre.md" in result.stderr


def test_render_writes_every_page_file_and_asset_of_the_site(tmp_path):
    project = mini_project(tmp_path / "project")
    written = _render(project, tmp_path / "out")
    bank = load_bank(Project(project))
    pages = generated_pages([case.slug for case in bank.cases], [rec.slug for rec in bank.recommendations],
                            bank.taxonomy)
    assert {"donnees/index.md", "recherche/index.md", "flux.xml", "assets/recueil-bank.js"} <= written
    reference = load_reference()  # « Mon territoire »: a commune is in the shard of each word of its name, and of its code
    letters = {letter for commune in reference.all_communes() for letter in shards_of(commune.name)}
    prefixes = {commune.code[:2] for commune in reference.all_communes()}
    assert {"a", "z"} <= letters and {"01", "2A", "97"} <= prefixes
    assert written == (pages | set(DATA_FILES) | set(engine_assets()) | {HOME_URI}
                       | territory_files(letters, prefixes))


def test_the_build_writes_what_render_writes(real_site, tmp_path):
    rendered = _render(ROOT, tmp_path / "out")
    for path in sorted(rendered):
        built = real_site / (page_url(path) + "index.html" if path.endswith(".md") else path)
        assert built.is_file(), f"{path} rendered, not built"
        if not path.endswith(".md"):
            assert built.read_bytes() == (tmp_path / "out" / path).read_bytes(), path
