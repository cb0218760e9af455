"""The benchmark's projects build: its copy of the site with the hooks, and its plain-Material
baseline (benchmarks/bench_build.py). Its timings are not tested here; that they can be taken is.
The baseline broke once unnoticed: our theme's `language: custom` lives in overrides/, which the
baseline leaves out."""

from __future__ import annotations

import pytest
import yaml

from benchmarks import bench_build
from benchmarks.synthetic import write_real_copies
from recueil.bank.bank import load_bank
from recueil.project import Project
from tests.conftest import ROOT, copy_project

pytestmark = pytest.mark.slow  # builds the benchmark's copy of the site and its Material baseline


def test_the_baseline_is_plain_material_on_the_same_pages_and_builds(tmp_path):
    project = bench_build.make_project(tmp_path / "projet", None)
    baseline = bench_build.make_baseline(project)
    config = yaml.safe_load(baseline.read_text(encoding="utf-8"))
    assert "hooks" not in config and "custom_dir" not in config["theme"]
    assert config["plugins"] == bench_build.MATERIAL_SEARCH
    run, _ = bench_build.timed(bench_build.build_command(baseline, project / "site-baseline"), project)
    assert run.seconds > 0
    cases = {path.stem for path in (ROOT / "cases").glob("*.md")}
    built = {path.parent.name for path in (project / "site-baseline" / "cas").glob("*/index.html")}
    assert cases <= built
    assert '<html lang="fr"' in (project / "site-baseline" / "index.html").read_text(encoding="utf-8")


def test_a_copy_of_every_real_card_is_a_valid_card(tmp_path):
    """The « copies » bank copies each real card in turn; a card naming its territory by code alone
    once stopped it (KeyError on the name), so every real card is copied once here and loaded."""
    project = copy_project(tmp_path)
    real = len(list((ROOT / "cases").glob("*.md")))
    write_real_copies(project / "cases" / "copies", real, seed=3)
    bank = load_bank(Project(project))
    copies = [case for case in bank.cases if case.slug.startswith("copie-")]
    assert len(copies) == real
    assert len(bank.cases) == 2 * real
