"""Allow-list cleaning of the HTML made from cards, which come from strangers' pull requests.

Card fields are escaped by the templates; card bodies are Markdown, and Markdown lets raw HTML
through (and `attr_list` lets `{: onclick=… }` through). So the HTML of every page made from a card
goes through nh3 (the Rust `ammonia` sanitiser) with an allow-list: what is not listed here is
dropped, whatever a browser would have done with it.

The allow-list keeps what our templates and Python-Markdown emit: structure and table markup,
`class`/`id`/`title`/`lang`, `aria-*` attributes, `role`, headings' permalinks, links whose scheme is
web, mail or phone (or relative) and images of the site itself. Scripts, styles, frames, forms,
embedded objects, SVG, event-handler attributes and `javascript:`/`data:` URLs never pass.

A card page also runs the theme's scripts (Material, Pagefind's interface, the site's own), and those
find their elements by name: `#__config` holds Material's settings, `[data-md-component]` marks its
parts, `.recueil-*` and `[data-recueil-*]` the site's. An element of a card that took one of those
names would stand in for the theme's own (a card with `id="__config"` could point the theme at
another site). So names are split: the theme and the site own every id and class that starts with
`_`, `md-`, `pf-`, `pagefind` or `recueil-`, a few class names Material's script looks up, and
every `data-*` attribute; a card owns the rest. Our templates' two `data-*` attributes (`data-slug`,
`data-pagefind-ignore`) are the only ones kept; `recueil check` refuses any of these names in a card
(`bodies`), and the sanitiser drops them from the page if one ever got through.
Images come from the site only: a remote image would be fetched from another host by every reader.

`unsafe_markup` answers the same question for one tag of the HTML a card's text becomes, so that
`recueil check` refuses, with a message, what the sanitiser would otherwise silently drop
(`recueil.cards.bodies` reads the text as the site renders it, then asks this policy).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import nh3

from recueil.memory import MEMORY

URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
URL_ATTRIBUTES = frozenset({"href", "src", "cite", "action", "formaction", "poster", "srcset", "xlink:href"})
GENERIC_PREFIXES = frozenset({"aria-"})
# The data-* attributes our card templates write (recueil/site/templates/_macros.j2); no other passes.
TEMPLATE_DATA_ATTRIBUTES = frozenset({"data-slug", "data-pagefind-ignore"})
# Ids and classes the theme and the site own (see the module's docstring and docs/securite.md).
THEME_PREFIXES = ("_", "md-", "pf-", "pagefind")  # Material's and Pagefind's
RESERVED_PREFIXES = (*THEME_PREFIXES, "recueil-")
# The ids the card templates give their own elements (the title, each source, their sections): kept by the
# sanitiser on a card page, refused in a card's text (they start with recueil-), used by no other page.
TEMPLATE_ID_PREFIX = "recueil-page-"
# Class names Material's script looks up in the content (its bundle's selectors, mkdocs-material 9.x).
SCRIPT_CLASSES = frozenset({"annotate", "copy", "footnote-ref", "highlight", "hll", "mermaid", "no-copy", "no-select",
                            "select", "tabbed-labels",
                            "headerlink"})  # the last: what recueil-export.js leaves out of a printed selection
SAFE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
SEARCH_PREFIX = "data-pagefind-"  # what Pagefind reads in a page (recueil/search/pagefind.py)
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

GLOBAL_ATTRIBUTES = frozenset({"class", "id", "title", "lang", "dir", "role", "translate"})
# What hides an element from readers while the search index still reads its text: never a card's.
HIDING_ATTRIBUTES = frozenset({"hidden", "aria-hidden"})
CARD_GLOBAL_ATTRIBUTES = GLOBAL_ATTRIBUTES | TEMPLATE_DATA_ATTRIBUTES
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
LINK_HINT = ("écrivez une adresse https://…, le fichier d'une autre fiche comme autre-fiche.md, "
             "ou une page du site comme ../guide/page.md")
MARKDOWN_HINT = "écrivez le texte en Markdown ; seules les balises de mise en forme simple sont permises"
SCRIPT_HINT = "une fiche ne contient pas de code JavaScript : retirez-le"
SEARCH_HINT = "les filtres et le classement de la recherche viennent des champs de la fiche : retirez cet attribut"
DATA_HINT = "les attributs data-… servent aux scripts du site : retirez-le"
ID_HINT = ("écrivez l'identifiant en minuscules, chiffres et tirets, comme « chiffres-2022 » ; "
           "ceux en _, md-, pf-, pagefind… et recueil-… sont au site")
CLASS_HINT = "la mise en forme vient du site : retirez cette classe"
HIDDEN_HINT = ("une fiche ne cache pas de texte : la recherche le trouverait sans que le lecteur le voie ; "
               "retirez l'attribut, ou le texte")
STYLE_HINT = "la mise en forme vient du site : retirez l'attribut style (l'alignement des tableaux s'écrit avec :--:)"
ALIGNMENTS = frozenset({"left", "right", "center"})
REMOTE_IMAGE_HINT = ("une image distante serait demandée à un autre serveur par chaque lecteur : mettez l'image "
                     "dans docs/assets/ et écrivez ../assets/nom.png")


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
    attributes={"*": CARD_GLOBAL_ATTRIBUTES, **TAG_ATTRIBUTES},
)
"""The HTML of a page made from a card: the template's markup plus the Markdown of the body."""


def clean_html(html: str, policy: Policy = CARD_PAGE) -> str:
    """The HTML with everything the policy does not list removed (script and style with their text)."""
    return _cleaner(policy).clean(html)


def _cleaner(policy: Policy) -> nh3.Cleaner:
    """One nh3 cleaner per policy, made once: building it for every page cost more than the cleaning."""
    return MEMORY.recall("html cleaners", id(policy), policy, lambda: nh3.Cleaner(
        tags=set(policy.tags),
        clean_content_tags={"script", "style"},
        attributes={tag: set(names) for tag, names in policy.attributes.items()},
        generic_attribute_prefixes=set(policy.generic_prefixes),
        url_schemes=set(policy.url_schemes),
        filter_style_properties=set(policy.style_properties),
        link_rel=None,  # links keep their meaning; nothing here opens a new window
        strip_comments=True,
        attribute_filter=_site_owned_names_dropped,
    ))


def _site_owned_names_dropped(tag: str, name: str, value: str) -> str | None:
    """nh3's last word on each kept attribute: no id or class of the theme's, no remote image."""
    if name == "id":
        # The card templates' own ids (recueil-page-titre, recueil-page-source-2…) are kept in the page, as
        # their recueil-* classes are; a card's own text may write neither (`recueil check`, card_id_allowed).
        return value if card_id_allowed(value) or _template_id(value) else None
    if name == "class":
        return " ".join(word for word in value.split() if not _class_owned_by_theme(word)) or None
    if name == "src" and is_remote(value):
        return None
    if name in HIDING_ATTRIBUTES:
        return None
    return value


def _template_id(value: str) -> bool:
    return SAFE_ID.match(value) is not None and value.startswith(TEMPLATE_ID_PREFIX)


def card_id_allowed(value: str) -> bool:
    """An id a card may give an element: lowercase words, not a name the theme or the site owns."""
    return SAFE_ID.match(value) is not None and not value.startswith(RESERVED_PREFIXES)


def class_reserved(value: str) -> bool:
    """A class a card may not use: the theme's, Pagefind's, or the site's own (`recueil-…`)."""
    return _class_owned_by_theme(value) or value.startswith("recueil-")


def _class_owned_by_theme(value: str) -> bool:
    # The site's own recueil-* classes are written by our templates into the same HTML: kept here,
    # refused in the card's own text by `recueil check` (class_reserved).
    return value.startswith(THEME_PREFIXES) or value in SCRIPT_CLASSES


def is_remote(url: str) -> bool:
    """A URL on another host (any scheme, or `//host/…`), as opposed to a file of the site."""
    cleaned = INVISIBLE.sub("", url).replace("\\", "/")
    return SCHEME.match(cleaned) is not None or cleaned.startswith("//")


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
        problem = card_attribute_problem(name, value)
        if problem:
            return problem
        if not policy.allows_attribute(tag, name):
            return f"attribut {name} interdit sur <{tag}>", MARKDOWN_HINT
        if name in URL_ATTRIBUTES and value is not None and not url_is_safe(value, policy):
            return f"adresse « {_scheme(value)} » interdite", LINK_HINT
    return None


def card_attribute_problem(name: str, value: str | None) -> tuple[str, str] | None:
    """Why a card may not write this attribute (raw HTML or `{: … }`), whatever its element; else None."""
    name = name.lower()
    if name.startswith("on"):
        return f"attribut {name} interdit", SCRIPT_HINT
    if name in HIDING_ATTRIBUTES:
        return f"texte caché aux lecteurs (attribut {name})", HIDDEN_HINT
    if name == "style" and not plain_alignment(value or ""):
        return "attribut style interdit", STYLE_HINT
    if reserved_for_search(name):
        return f"attribut {name} réservé à la recherche du site", SEARCH_HINT
    if name.startswith("data-"):
        return f"attribut {name} réservé aux scripts du site", DATA_HINT
    if name == "id" and value is not None and not card_id_allowed(value):
        what = "réservé au site" if value.startswith(RESERVED_PREFIXES) else "mal formé"
        return f"identifiant « {value} » {what}", ID_HINT
    if name == "class" and value is not None:
        for word in value.split():
            if class_reserved(word):
                return f"classe « {word} » réservée au site", CLASS_HINT
    if name == "src" and value is not None and is_remote(value):
        return f"image distante interdite : {value}", REMOTE_IMAGE_HINT
    return None


def plain_alignment(style: str) -> bool:
    """The style Python-Markdown writes on a table cell (`text-align: left;`), and nothing else."""
    declarations = [part.split(":", 1) for part in style.split(";") if part.strip()]
    return all(len(pair) == 2 and pair[0].strip().lower() in STYLE_PROPERTIES
               and pair[1].strip().lower() in ALIGNMENTS for pair in declarations)


def _scheme(url: str) -> str:
    match = SCHEME.match(INVISIBLE.sub("", url))
    return f"{match.group(1).lower()}:" if match else url
