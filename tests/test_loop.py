"""The two test commands: `make test` runs every test (CI), `make test-fast` leaves out the four markers
of pyproject.toml (issue #28, item 6). Their times are measured, not asserted."""

from __future__ import annotations

import re
import tomllib

from tests.conftest import ROOT

MARKERS = {"browser", "engines", "pdf", "slow"}


def _recipe(target: str) -> str:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    found = re.search(rf"^{re.escape(target)}:[^\n]*\n((?:\t[^\n]*\n)+)", makefile, re.MULTILINE)
    assert found, f"no `{target}` target in the Makefile"
    return found.group(1)


def test_the_markers_left_out_by_test_fast_are_the_registered_ones():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    registered = {line.split(":", 1)[0] for line in config["markers"]}
    assert registered == MARKERS and "--strict-markers" in config["addopts"]  # a misspelt marker is an error
    left_out = re.search(r'-m "not \(([^)]*)\)"', _recipe("test-fast"))
    assert left_out and set(left_out.group(1).split(" or ")) == MARKERS


def test_ci_runs_every_test_and_lists_the_slowest():
    assert "--durations=25" in _recipe("test") and " -m " not in _recipe("test")
    commands = [line.split("#", 1)[0].strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    assert "make test" in commands and not any("test-fast" in command or " -m " in command for command in commands)
