"""Allow-list cleaning of the HTML made from cards, which come from strangers' pull requests.

Card fields are escaped by the templates; card bodies are Markdown, and Markdown lets raw HTML
through (and `attr_list` lets `{: onclick=… }` through). So the HTML of every page made from a card
goes through nh3 (the Rust `ammonia` sanitiser) with an allow-list: what is not listed here is
dropped, whatever a browser would have done with it.

The allow-list keeps what our templates and Python-Markdown emit: structure and table markup,
`class`/`id`/`title`/`lang`, every `data-*` and `aria-*` attribute, `role`, headings' permalinks,
and links or images whose scheme is web, mail or phone (or relative). Scripts, styles, frames,
forms, embedded objects, SVG, event-handler attributes and `javascript:`/`data:` URLs never pass.
Of the `data-*` attributes, those the site search reads (`data-pagefind-*`: filters, metadata,
weights) are the theme's alone, so that a card cannot file itself under another theme or raise
its own rank; only `data-pagefind-ignore` (leave this out of the index) passes.

`unsafe_markup` answers the same question for one raw tag of a card body, so that `recueil check`
refuses, with a message, what the sanitiser would otherwise silently drop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import nh3

URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
URL_ATTRIBUTES = frozenset({"href", "src", "cite", "action", "formaction", "poster", "srcset", "xlink:href"})
GENERIC_PREFIXES = frozenset({"data-", "aria-"})
SEARCH_PREFIX = "data-pagefind-"  # what Pagefind reads in a page (recueil/search.py)
SEARCH_ALLOWED = frozenset({"data-pagefind-ignore"})
SEARCH_RESERVED = re.compile(r"data-pagefind-(?!ignore[\s=>/])", re.IGNORECASE)
SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")
INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]+")

TEXT_TAGS = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "cite", "code", "data", "del", "dfn", "div", "em", "i",
    "ins", "kbd", "mark", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
    "wbr", "hr", "img", "figure", "figcaption", "details", "summary", "section", "article", "aside", "header",
    "footer", "nav",
})
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
LIST_TAGS = frozenset({"ul", "ol", "li", "dl", "dt", "dd"})
TABLE_TAGS = frozenset({"table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td"})

GLOBAL_ATTRIBUTES = frozenset({"class", "id", "title", "lang", "dir", "role", "hidden", "translate"})
TAG_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "hreflang"}),
    "img": frozenset({"src", "alt", "width", "height", "loading", "decoding"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
    "th": frozenset({"colspan", "rowspan", "scope", "headers", "abbr", "style"}),
    "td": frozenset({"colspan", "rowspan", "headers", "style"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "time": frozenset({"datetime"}),
    "data": frozenset({"value"}),
    "details": frozenset({"open"}),
}
# Python-Markdown writes table column alignment as `style="text-align: …"`: keep that property only.
STYLE_PROPERTIES = frozenset({"text-align"})
MARKDOWN_HINT = "écrivez le texte en Markdown ; seules les balises de mise en forme simple sont permises"
SCRIPT_HINT = "une fiche ne contient pas de code JavaScript : retirez-le"
SEARCH_HINT = "les filtres et le classement de la recherche viennent des champs de la fiche : retirez cet attribut"


@dataclass(frozen=True)
class Policy:
    """What may stay in a piece of HTML: tags, attributes per tag, URL schemes."""

    tags: frozenset[str]
    attributes: dict[str, frozenset[str]] = field(default_factory=dict)
    generic_prefixes: frozenset[str] = GENERIC_PREFIXES
    url_schemes: frozenset[str] = URL_SCHEMES
    style_properties: frozenset[str] = STYLE_PROPERTIES

    def allows_attribute(self, tag: str, name: str) -> bool:
        if reserved_for_search(name):
            return False
        return (name in self.attributes.get("*", ()) or name in self.attributes.get(tag, ())
                or any(name.startswith(prefix) for prefix in self.generic_prefixes))


def reserved_for_search(name: str) -> bool:
    """An attribute Pagefind reads that only the theme may set (filters, metadata, ranking)."""
    name = name.lower()
    return name.startswith(SEARCH_PREFIX) and name not in SEARCH_ALLOWED


CARD_PAGE = Policy(
    tags=TEXT_TAGS | HEADING_TAGS | LIST_TAGS | TABLE_TAGS,
    attributes={"*": GLOBAL_ATTRIBUTES, **TAG_ATTRIBUTES},
)
"""The HTML of a page made from a card: the template's markup plus the Markdown of the body."""


def clean_html(html: str, policy: Policy = CARD_PAGE) -> str:
    """The HTML with everything the policy does not list removed (script and style with their text)."""
    # nh3 keeps every data-* attribute; the search's own are dropped by a filter, called only when
    # the page holds one (a Python call per attribute would cost every page of the site).
    return _cleaner(policy, filtered=SEARCH_RESERVED.search(html) is not None).clean(html)


_CLEANERS: dict[tuple[int, bool], tuple[Policy, nh3.Cleaner]] = {}


def _cleaner(policy: Policy, filtered: bool) -> nh3.Cleaner:
    """One nh3 cleaner per policy, made once: building it for every page cost more than the cleaning."""
    key = (id(policy), filtered)
    made = _CLEANERS.get(key)
    if made is None or made[0] is not policy:
        made = _CLEANERS[key] = (policy, nh3.Cleaner(
            tags=set(policy.tags),
            clean_content_tags={"script", "style"},
            attributes={tag: set(names) for tag, names in policy.attributes.items()},
            generic_attribute_prefixes=set(policy.generic_prefixes),
            url_schemes=set(policy.url_schemes),
            filter_style_properties=set(policy.style_properties),
            link_rel=None,  # links keep their meaning; nothing here opens a new window
            strip_comments=True,
            attribute_filter=_drop_search_attributes if filtered else None,
        ))
    return made[1]


def _drop_search_attributes(tag: str, name: str, value: str) -> str | None:
    return None if reserved_for_search(name) else value


def url_is_safe(url: str, policy: Policy = CARD_PAGE) -> bool:
    """True for relative URLs and for the schemes the policy lists (control characters ignored, as browsers do)."""
    match = SCHEME.match(INVISIBLE.sub("", url))
    return match is None or match.group(1).lower() in policy.url_schemes


def unsafe_markup(tag: str, attributes: list[tuple[str, str | None]],
                  policy: Policy = CARD_PAGE) -> tuple[str, str] | None:
    """Why the sanitiser would drop this raw tag or one of its attributes, and the fix, in French; else None."""
    tag = tag.lower()
    if tag not in policy.tags:
        return f"balise <{tag}> interdite", MARKDOWN_HINT
    for name, value in attributes:
        name = name.lower()
        if name.startswith("on"):
            return f"attribut {name} interdit", SCRIPT_HINT
        if reserved_for_search(name):
            return f"attribut {name} réservé à la recherche du site", SEARCH_HINT
        if not policy.allows_attribute(tag, name):
            return f"attribut {name} interdit sur <{tag}>", MARKDOWN_HINT
        if name in URL_ATTRIBUTES and value is not None and not url_is_safe(value, policy):
            return f"adresse « {_scheme(value)} » interdite", "un lien mène à une adresse https://… ou à une page du site"
    return None


def raw_tags(text: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """The start tags of a piece of raw HTML, as the browser's tokenizer would read them."""
    collector = _StartTags()
    collector.feed(text)
    collector.close()
    return collector.found


def _scheme(url: str) -> str:
    match = SCHEME.match(INVISIBLE.sub("", url))
    return f"{match.group(1).lower()}:" if match else url


class _StartTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))
