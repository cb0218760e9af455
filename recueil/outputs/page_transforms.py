"""What is done to the site's pages besides making them, once for every engine.

The MkDocs hooks (`recueil_mkdocs/hooks.py`) call these during a build, event by event; `finish`
(`recueil/outputs/engines.py`) calls the same on a site an engine without hooks has built:

- the nav: the recommendations' section in place of `recommandations/index.md` (`expand_nav`);
- the content of a page: sanitised when made from a card (a card is a stranger's text), its first h1
  the target of the skip link (`page_content`);
- the page around it: the skip link pointed at that h1, the Atom feed announced (`page_output`), and
  under `mkdocs serve` the PDF links saying when the booklet is still being made (`pdf_status`);
- the edit button of a page the engine made: to its card's file, or none (`edit_path`, `edit_link`);
- the booklet printed, its failures given as one French message (`print_guide`, `PrintError`).
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from recueil.addresses import FEED_PATH, GUIDE_PDF, PDF_STATUS, PDF_STATUS_SCRIPT, RECOMMENDATIONS_URI
from recueil.bank.bank import Bank
from recueil.cards.sanitize import clean_html
from recueil.outputs.pdf import PdfOutcome, label_pdf_links, write_pdf
from recueil.outputs.pdf_background import status_script
from recueil.outputs.pdf_cache import Order
from recueil.search.filters import TYPE_FILTER, page_type
from recueil.site.pages import recommendation_nav

FEED_TITLE = "dernières fiches"
NOT_FOUND_PAGE = "404.html"
# The skip link as the theme writes it (overrides/main.html, overrides-zensical/main.html): to the h1 the
# theme adds when the content has none; page_output points it at the content's own h1.
SKIP_LINK = '<a href="#contenu" class="md-skip recueil-skip">'
SKIP_TARGET = "contenu"
# Where the theme leaves the page's kind for the search (overrides*/partials/recueil-search-filters.html).
TYPE_ELEMENT = f'<span data-pagefind-filter="{TYPE_FILTER}" data-pagefind-meta="type"></span>'
H1_TAG = re.compile(r"<h1(?=[\s>])[^>]*>")
ID_ATTRIBUTE = re.compile(r'\sid="([^"]*)"')


class PrintError(Exception):
    """The booklet could not be printed; the message says why, in French."""


def expand_nav(nav: Any, bank: Bank) -> Any:
    """Replace the `recommandations/index.md` entry by the section of every recommendation."""
    if isinstance(nav, list):
        return [expand_nav(item, bank) for item in nav]
    if isinstance(nav, dict):
        return {title: (recommendation_nav(bank) if value == RECOMMENDATIONS_URI else expand_nav(value, bank))
                for title, value in nav.items()}
    return nav


def relative(path: str, url: str) -> str:
    """The address of the site's file `path` from the page at `url` ('cas/x/', '' for the home page)."""
    return "../" * url.count("/") + path


def page_content(content: str, card: bool) -> tuple[str, str]:
    """The HTML of a page's content as published, and the id the skip link leads to: sanitised if made from a
    card; its first h1 given an id and tabindex="-1", so that following the skip link moves the focus onto it
    (without an h1, the theme adds one with the id "contenu")."""
    if card:
        content = clean_html(content)
    if (tag := H1_TAG.search(content)) is None:
        return content, SKIP_TARGET
    found = ID_ATTRIBUTE.search(tag[0])
    target = found[1] if found else SKIP_TARGET
    marked = tag[0][:3] + ("" if found else f' id="{SKIP_TARGET}"') + ' tabindex="-1"' + tag[0][3:]
    return content[:tag.start()] + marked + content[tag.end():], target


def page_output(html: str, url: str, site_name: str, skip_target: str) -> str:
    """The whole page: its skip link leads to `skip_target` (from page_content), its kind is written where the
    search reads it, the feed is announced."""
    if skip_target != SKIP_TARGET:
        html = html.replace(SKIP_LINK, SKIP_LINK.replace(f"#{SKIP_TARGET}", f"#{escape(skip_target)}"), 1)
    return feed_link(search_type(html, url), url, site_name)


def search_type(html: str, url: str) -> str:
    """The page's kind (`filters.page_type`) in the empty element the theme leaves for it, after the content
    (the last one: a card's text, sanitised before, holds no data-pagefind attribute anyway)."""
    at = html.rfind(TYPE_ELEMENT)
    if at < 0:
        return html
    filled = TYPE_ELEMENT.replace("></span>", f">{escape(page_type(url))}</span>")
    return html[:at] + filled + html[at + len(TYPE_ELEMENT):]


def feed_link(html: str, url: str, site_name: str) -> str:
    """The Atom feed announced in the head, for feed readers' autodiscovery. Relative, never the published
    address: Material reads every <link rel="alternate"> as a translation of the site and fetches the
    sitemap beside it, which would call another host wherever the site is not served from site_url (a copy,
    a preview, the tests). Not on the 404 page, served at any address (MkDocs does not announce it there)."""
    if url == NOT_FOUND_PAGE:
        return html
    link = (f'<link rel="alternate" type="application/atom+xml" title="{escape(site_name)} : {FEED_TITLE}" '
            f'href="{escape(relative(FEED_PATH, url))}">')
    return html.replace("</head>", link + "</head>", 1)


def pdf_status(html: str, url: str) -> str:
    """Under `mkdocs serve`: the links to the PDF say when it is still being made (PDF_STATUS)."""
    return html.replace("</body>", status_script(relative(PDF_STATUS, url), relative(PDF_STATUS_SCRIPT, url)) + "</body>", 1)


def edit_path(source: str | None) -> str | None:
    """Where the edit button of a page the engine made leads, from the site's edit_uri (the docs/ folder of
    the repository): its card's file (`cases/x.md`), or no button for a page made from no card (a listing)."""
    return f"../{source}" if source else None


def edit_link(html: str, src_uri: str, source: str | None) -> str:
    """The edit button of a built page made by the engine, which the engine pointed at docs/`src_uri` (where no
    such file is), set to `edit_path(source)` or removed: for an engine that takes no edit address per page."""
    button = re.compile(r'<a href="([^"]*)' + re.escape(src_uri) + r'"([^>]*class="md-content__button md-icon"'
                        r'[^>]*rel="edit"[^>]*)>.*?</a>', re.DOTALL)
    if (path := edit_path(source)) is None:
        return button.sub("", html, count=1)
    return button.sub(lambda found: f'<a href="{urljoin(found[1], path)}"{found[2]}>' +
                      found[0][found[0].index(">") + 1:], html, count=1)


def print_guide(booklet: Order, site: Path, reuse: bool) -> PdfOutcome:
    """Print the booklet to `site`/guide.pdf; with `reuse`, a booklet printed for the same content is taken again."""
    try:
        outcome = write_pdf(booklet, site / GUIDE_PDF, reuse=reuse)
    except Exception as error:  # WeasyPrint's failures come in many types: report them in French
        raise PrintError(f"{GUIDE_PDF} : impression impossible ({type(error).__name__}: {error})") from error
    label_pdf_links(booklet.project, site, outcome.path)  # « (PDF, 2,3 Mo) » in the links to it
    return outcome
