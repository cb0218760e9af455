"""Card Markdown in the printed booklet is read with the site's own extensions (issue #28: one list)."""

from __future__ import annotations

from recueil.cards.rendering import site_markdown
from recueil.outputs.print_text import LinkMap
from tests.helpers import ROOT


def test_the_booklet_reads_card_markdown_with_the_site_s_extensions_less_toc():
    site = site_markdown(ROOT)
    extensions, settings = site.for_print()
    assert extensions == [name for name in site.extensions if name != "toc"] and "toc" not in settings
    convert = LinkMap({}, "", site).converter("cas/x.md", 0)
    html = str(convert('!!! note "À savoir"\n    Texte de la note.\n\n## Titre\n\nTexte.\n'))
    assert "!!!" not in html and "À savoir" in html and "Texte de la note." in html  # an admonition, as on the site
    assert 'id="titre"' not in html  # toc's ids would repeat across the merged booklet
