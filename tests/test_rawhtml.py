"""The engine's HTML blocks set aside during the Markdown conversion: the same HTML as converting the
whole page (recueil/site/rawhtml.py), for every page the engine makes from the real cards."""

from __future__ import annotations

import markdown
import pytest

from recueil.bank.bank import load_bank
from recueil.project import Project
from recueil.site.pages import PageMaker
from recueil.site.rawhtml import put_back, set_aside
from tests.helpers import ROOT

EXTENSIONS = ["toc", "attr_list", "tables", "admonition"]  # mkdocs.yml's markdown_extensions


def convert(text: str) -> str:
    return markdown.markdown(text, extensions=EXTENSIONS)


def body(page_text: str) -> str:
    """The page without its front matter, as MkDocs hands it to Python-Markdown."""
    return page_text.split("---\n", 2)[2] if page_text.startswith("---\n") else page_text


@pytest.fixture(scope="module")
def pages():
    project = Project(ROOT)
    return list(PageMaker(load_bank(project), project).pages())


def test_every_generated_page_converts_to_the_same_html(pages):
    set_aside_somewhere = 0
    for page in pages:
        text = body(page.content)
        aside = set_aside(text)
        set_aside_somewhere += bool(aside.blocks)
        assert put_back(convert(aside.markdown), aside) == convert(text), page.src_uri
    assert set_aside_somewhere > len(pages) * 0.9  # the engine's pages are mostly HTML blocks


@pytest.mark.parametrize("text", [
    "Un paragraphe avec <span>du HTML</span> en ligne.\n\n<div>\n<p>bloc</p>\n</div>\n",
    "<div>\n<p>ouvert</p>\n\nencore dedans\n\n</div>\n\n## Titre\n\nTexte.\n",
    "<div>jamais fermé\n\n## Titre\n\nTexte.\n",
    "<ul>\n<li>un</li>\n</ul> et du texte après\n\n## Titre\n",
    "Texte\n<div>collé au texte</div>\n\n<p>seul</p>\n",
    "<!-- un commentaire -->\n\n<table><tr><td>x</td></tr></table>\n\n* liste\n* encore\n",
])
def test_what_cannot_be_read_for_sure_is_left_to_python_markdown(text):
    aside = set_aside(text)
    assert put_back(convert(aside.markdown), aside) == convert(text)


def test_the_anchors_of_the_blocks_set_aside_are_known():
    aside = set_aside('<ol>\n<li id="source-1">a</li>\n<li id="source-2">b</li>\n</ol>\n\n<p><a name="ici">x</a></p>\n')
    assert aside.ids() == {"source-1", "source-2", "ici"}
