"""Every card of the hostile corpus that `recueil check` accepts, in one site built by MkDocs (with its PDF)
and by Zensical, opened in Chromium: no script runs, no request leaves the site, no two elements share an
id, and no card is lost (pages, bank, search, cas.json, CSV, PDF). Issue #24.

The refused ones never reach a page (tests/test_hostile.py: check and build stop with their messages);
tests/test_hostile.py also shows that the sanitiser leaves nothing live in what they would have rendered.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import Page
from pypdf import PdfReader

from tests.conftest import ROOT, build_with, serve_directory
from tests.helpers import mini_project
from tests.test_hostile import EXPECTED, add_entry
from tests.test_nothing_lost import assert_every_card_everywhere, card_slugs

# Accepted without a warning: the sites are built with --strict, which stops on a warning.
ACCEPTED = sorted(name for name, entry in EXPECTED.items() if entry["exit"] == 0 and not entry["lines"])


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini project with every accepted card of the corpus at once, with the real site's theme,
    Markdown and search (its mkdocs.yml less its own pages)."""
    project = mini_project(tmp_path_factory.mktemp("hostile-valid") / "project")
    for theme in ("overrides", "overrides-zensical"):
        shutil.copytree(ROOT / theme, project / theme)
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["nav"] = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for entry in ACCEPTED:
        add_entry(project, entry)
    return project


@pytest.fixture(scope="module")
def hostile_sites(hostile_project: Path) -> dict[str, Path]:
    sites = {}
    for engine, pdf in (("mkdocs", "1"), ("zensical", "0")):
        out = hostile_project.parent / engine
        result = build_with(engine, hostile_project, out, pdf, cache=hostile_project.parent / "cache")
        assert result.returncode == 0, f"{engine}: {result.stderr}"
        assert "Traceback" not in result.stderr + result.stdout
        sites[engine] = out
    return sites


def test_the_corpus_has_accepted_cards_of_round_three():
    assert {"jeton-bloc-brut", "titre-source-1", "liste-profonde", "bloc-dans-div"} <= set(ACCEPTED)


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_no_accepted_card_is_lost(hostile_project: Path, hostile_sites: dict[str, Path], engine: str):
    assert_every_card_everywhere(hostile_project, hostile_sites[engine])


def test_the_printed_guide_holds_every_accepted_card(hostile_project: Path, hostile_sites: dict[str, Path]):
    reader = PdfReader(hostile_sites["mkdocs"] / "guide.pdf")
    destinations = Counter(name.removeprefix("cas-") for name in reader.named_destinations if name.startswith("cas-"))
    assert destinations == card_slugs(hostile_project)


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_card_pages_run_no_script_ask_no_other_host_and_repeat_no_id(page: Page, hostile_project: Path,
                                                                       hostile_sites: dict[str, Path], engine: str):
    base = serve_directory(hostile_sites[engine])
    own, elsewhere, dialogs, errors = urlsplit(base).netloc, [], [], []
    page.on("request", lambda request: elsewhere.append(request.url)
            if urlsplit(request.url).scheme not in ("data", "blob") and urlsplit(request.url).netloc != own else None)
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: errors.append(str(error)))
    for slug in sorted(card_slugs(hostile_project)):
        page.goto(f"{base}cas/{slug}/", wait_until="networkidle")
        repeated = page.evaluate("""() => {
            const seen = {};
            for (const element of document.querySelectorAll('[id]')) seen[element.id] = (seen[element.id] || 0) + 1;
            return Object.keys(seen).filter((id) => seen[id] > 1);
        }""")
        assert repeated == [], (slug, repeated)
        assert page.locator("h1").count() == 1, slug
    assert (elsewhere, dialogs, errors) == ([], [], [])


def test_a_placeholder_written_in_a_card_stays_text(hostile_sites: dict[str, Path]):
    """`recueilblocbrut0x` once pasted another block of the page (a second h1), `…999x` stopped the build."""
    for site in hostile_sites.values():
        html = (site / "cas" / "jeton-bloc-brut" / "index.html").read_text(encoding="utf-8")
        assert re.search(r"<p>recueilblocbrut999x</p>", html) and re.search(r"<p>recueilblocbrut0x</p>", html)
        assert html.count("<h1") == 1
