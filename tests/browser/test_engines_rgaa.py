"""The RGAA checks of tests/browser/test_rgaa.py, run again on the site built by Zensical (no hooks, its
own theme: overrides-zensical/): the accessibility fixes must hold on every engine. Each test is
test_rgaa's, collected here a second time with the fixtures `site_url` and `real_site` pointing at
the Zensical build (tests/conftest.py, engine_sites). Left out: axe-core at three widths on every page
type (57 runs; tests/browser/test_engines_a11y.py runs axe on Zensical's page types). ProperDocs writes
MkDocs' pages byte for byte (tests/test_engines.py), so test_rgaa.py itself covers it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import test_rgaa
from tests.browser.test_a11y import axe_source as axe_source  # the fixture, shared
from tests.conftest import serve_directory

pytestmark = pytest.mark.engines  # the sites of the other engines

LEFT_OUT = {"test_no_axe_violation_at_three_widths"}
globals().update({name: test for name, test in vars(test_rgaa).items()
                  if name.startswith("test_") and name not in LEFT_OUT})


@pytest.fixture(scope="module")
def real_site(engine_sites) -> Path:
    return engine_sites["zensical"]


@pytest.fixture(scope="module")
def site_url(real_site: Path) -> str:
    return serve_directory(real_site)
