"""Every page of the built site is valid HTML (RGAA 8.2): the W3C Nu HTML Checker (vnu.jar, npm package
`vnu-jar` pinned in tests/html/package.json, run with Java) reads all the pages of a build in one run.

The theme's own markup is what broke it (issue #29): overrides/base.html, partials/nav-item.html and
partials/toc.html, and their copies for Zensical in overrides-zensical/, say why each change was made.
ProperDocs is not checked here: it writes the very pages of MkDocs (tests/test_engines.py).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

VNU_JAR = Path(__file__).parent / "html" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
INSTALL = "run `make browser-deps` (Java: Debian's default-jre-headless; vnu.jar: npm ci --prefix tests/html)"


def nu_errors(site: Path) -> tuple[int, list[str]]:
    """(pages checked, `page:line: message` for each error) from one run of the checker over every page."""
    java = shutil.which("java")
    if java is None or not VNU_JAR.is_file():
        pytest.fail(f"the Nu HTML Checker needs {'Java' if java is None else VNU_JAR}: {INSTALL}")
    pages = sorted(site.rglob("*.html"))
    result = subprocess.run([java, "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always",
                             *map(str, pages)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    errors = []
    for message in json.loads(result.stderr)["messages"]:
        if message["type"] == "info":  # warnings and notes: listed in the report of issue #29, not failures
            continue
        page = Path(unquote(urlparse(message.get("url", "")).path))
        where = page.relative_to(site) if page.is_relative_to(site) else page
        line = message.get("lastLine", message.get("firstLine", "?"))
        errors.append(f"{where}:{line}: {message['message']}")
    return len(pages), errors


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_every_page_is_valid_html(engine: str, request: pytest.FixtureRequest) -> None:
    # The session's builds, shared with the other tests: MkDocs' strict build, Zensical's from test_engines.py.
    site = request.getfixturevalue("real_site") if engine == "mkdocs" else \
        request.getfixturevalue("engine_sites")["zensical"]
    checked, errors = nu_errors(site)
    assert checked > 100, f"{engine}: only {checked} pages found in {site}"
    assert not errors, f"{engine}: {len(errors)} errors of the Nu HTML Checker:\n" + "\n".join(errors[:50])


def test_the_checker_names_the_page_and_line_of_an_error(tmp_path: Path) -> None:
    """What the theme wrote before issue #29: the check sees it and says where."""
    (tmp_path / "cas").mkdir()
    (tmp_path / "cas" / "index.html").write_text(
        '<!doctype html>\n<html lang="fr">\n<head><title>Essai</title></head>\n<body>\n'
        '<input type="checkbox" id="__drawer" autocomplete="off">\n'
        '<label for="__drawer" tabindex="">Menu</label>\n</body>\n</html>\n', encoding="utf-8")
    (tmp_path / "index.html").write_text(
        '<!doctype html>\n<html lang="fr">\n<head><title>Essai</title></head>\n<body><p>Bon</p></body>\n</html>\n',
        encoding="utf-8")
    checked, errors = nu_errors(tmp_path)
    assert checked == 2
    assert [error.split(": ", 1)[0] for error in errors] == ["cas/index.html:5", "cas/index.html:6"]
    assert "autocomplete" in errors[0] and "tabindex" in errors[1]
