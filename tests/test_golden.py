"""Golden pages: what the engine makes of one case card and one recommendation of tests/fixtures/mini,
compared byte for byte with tests/golden/. A change to a template, a filter or a derived field shows here
as a diff to read.

After a change you meant, write the new pages and read the diff before committing them:

    RECUEIL_GOLDEN=write .venv/bin/pytest tests/test_golden.py && git diff tests/golden/
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from recueil.bank.bank import load_bank
from recueil.outputs.site_files import settings_of, site_settings
from recueil.project import Project
from recueil.site.pages import PageMaker
from tests.helpers import mini_project

GOLDEN = Path(__file__).parent / "golden"
# The build's date the pages are made for: what depends on it (a status « à confirmer », recueil/bank/freshness.py)
# stays the same from one day to the next. Niort's status document (13 October 2022) is then over 4 years old.
DAY = dt.date(2026, 11, 22)
PAGES = {"cas/niort-portail.md": "case-niort-portail.md", "recommandations/observer.md": "recommendation-observer.md"}


@pytest.mark.parametrize(("uri", "name"), PAGES.items())
def test_a_generated_page_is_its_golden_file(tmp_path: Path, uri: str, name: str) -> None:
    project = Project(mini_project(tmp_path))
    settings = settings_of(site_settings(project))  # the site's and repository's addresses of mini/mkdocs.yml
    pages = PageMaker(load_bank(project, today=DAY), project, settings.site_url, settings.repo_url).pages()
    made = next(page for page in pages if page.src_uri == uri)
    golden = GOLDEN / name
    if os.environ.get("RECUEIL_GOLDEN") == "write":
        golden.write_text(made.content, encoding="utf-8", newline="")
    assert golden.is_file(), f"{golden} missing: RECUEIL_GOLDEN=write .venv/bin/pytest tests/test_golden.py"
    assert made.content == golden.read_bytes().decode("utf-8"), \
        f"{uri} differs from {golden.name}; if the change is meant: RECUEIL_GOLDEN=write .venv/bin/pytest {__file__}"
