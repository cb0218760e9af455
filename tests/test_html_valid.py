"""Every page of the built site is valid HTML (RGAA 8.2): the W3C Nu HTML Checker (vnu.jar, npm package
`vnu-jar` pinned in tests/html/package.json, run with Java) reads all the pages of a build in one run.

The theme's own markup is what broke it (issue #29): overrides/base.html, partials/nav-item.html and
partials/toc.html, and their copies for Zensical in overrides-zensical/, say why each change was made.
ProperDocs is not checked here: it writes the very pages of MkDocs (tests/test_engines.py).
"""

from __future__ import annotations

import difflib
import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

import material
import pytest
import zensical

VNU_JAR = Path(__file__).parent / "html" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
THEMES = {"overrides": Path(material.__file__).parent / "templates",
          "overrides-zensical": Path(zensical.__file__).parent / "templates"}
ROOT = Path(__file__).resolve().parent.parent
COMMENT = re.compile(r"\A\{#-.*?-#\}\n", re.S)  # the theme's "generated" notice, or ours saying what changed
TOGGLES = ['-<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">',
           '-<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" autocomplete="off">',
           '+{% set recueil_toc = namespace(drawn=false) %}',
           '+<form id="__toggles" autocomplete="off" hidden></form>',
           '+<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" form="__toggles">',
           '+<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" form="__toggles">']
NAV_ITEM = ['-<label class="md-nav__link" for="{{ path }}" id="{{ path }}_label" tabindex="{{ tabindex }}">',
            '+<label class="md-nav__link" for="{{ path }}" id="{{ path }}_label"'
            '{% if tabindex %} tabindex="{{ tabindex }}"{% endif %}>',
            '-<label class="md-nav__link {{ class }}" for="{{ path }}" id="{{ path }}_label" tabindex="{{ tabindex }}">',
            '+<label class="md-nav__link {{ class }}" for="{{ path }}" id="{{ path }}_label"'
            '{% if tabindex %} tabindex="{{ tabindex }}"{% endif %}>',
            '+{% if recueil_toc is defined %}{% set recueil_toc.drawn = true %}{% endif %}']
TOC = ['-<label class="md-nav__title" for="__toc">',
       '+<label class="md-nav__title"{% if recueil_toc is defined and recueil_toc.drawn %} for="__toc"{% endif %}>']
# Our copies of the theme's templates differ from the installed theme's by these lines only.
CHANGES = {
    ("overrides", "base.html"): TOGGLES,
    ("overrides", "partials/nav-item.html"): NAV_ITEM,
    ("overrides", "partials/toc.html"): TOC,
    ("overrides-zensical", "base.html"): [*TOGGLES, '-<label class="md-overlay" for="__drawer" aria-hidden="true"></label>',
                                          '+<label class="md-overlay" for="__drawer"></label>',
                                          '+{% set recueil_toc.drawn = true %}'],
    ("overrides-zensical", "partials/nav-item.html"): NAV_ITEM,
    ("overrides-zensical", "partials/toc.html"): TOC,
}
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
        if message["type"] == "info":  # warnings and notes are not failures (there were none for issue #29)
            continue
        page = Path(unquote(urlparse(message.get("url", "")).path))
        where = page.relative_to(site) if page.is_relative_to(site) else page
        line = message.get("lastLine", message.get("firstLine", "?"))
        errors.append(f"{where}:{line}: {message['message']}")
    return len(pages), errors


@pytest.mark.slow  # the checker runs in Java over a whole built site
@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_every_page_is_valid_html(engine: str, request: pytest.FixtureRequest) -> None:
    # The session's builds, shared with the other tests: MkDocs' strict build, Zensical's from test_engines.py.
    site = request.getfixturevalue("real_site") if engine == "mkdocs" else \
        request.getfixturevalue("engine_sites")["zensical"]
    checked, errors = nu_errors(site)
    assert checked > 100, f"{engine}: only {checked} pages found in {site}"
    assert not errors, f"{engine}: {len(errors)} errors of the Nu HTML Checker:\n" + "\n".join(errors[:50])


@pytest.mark.slow  # starts Java (several seconds): in `make test`, not in `make test-fast`
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


@pytest.mark.parametrize(("folder", "template"), sorted(CHANGES))
def test_our_copies_of_the_theme_templates_follow_the_installed_theme(folder: str, template: str) -> None:
    """A copy left behind by an upgrade of Material or Zensical would draw their old page (and link their
    old assets, whose names carry a hash): it must differ from the installed theme's only by our changes."""
    theirs = COMMENT.sub("", (THEMES[folder] / template).read_text(encoding="utf-8")).splitlines()
    ours = COMMENT.sub("", (ROOT / folder / template).read_text(encoding="utf-8")).splitlines()
    changed = [line[0] + line[2:].strip() for line in difflib.ndiff(theirs, ours) if line[:2] in ("- ", "+ ")]
    assert sorted(changed) == sorted(CHANGES[folder, template]), (
        f"{folder}/{template} is no longer the theme's {template} with our changes only: copy "
        f"{THEMES[folder] / template} again and make the changes its first comment lists")
