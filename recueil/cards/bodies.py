"""What a card's Markdown links to and which raw HTML it holds, each found at its line.

The site sanitises the HTML of card pages (see `sanitize`), but a contributor should learn from
`recueil check` that a script, an event handler, a `javascript:` link or a link to a missing file
will not work, rather than see it vanish silently. Links are resolved as MkDocs resolves them:
relative to the card's generated page (`cas/<slug>.md`, `recommandations/<slug>.md`) in the site.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import unquote

from markdown.extensions.toc import slugify

from recueil.cards.sanitize import (
    INVISIBLE,
    REMOTE_IMAGE_HINT,
    SCHEME,
    URL_SCHEMES,
    card_attribute_problem,
    card_id_allowed,
    raw_tags,
    unsafe_markup,
)
from recueil.cards.structure import prose_lines

INLINE_TARGET = re.compile(r"(!?)\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*(<[^>\n]*>|[^\s)]*)")
REFERENCE = re.compile(r"^\s{0,3}(!?)\[[^\]]+\]:\s*(<[^>\n]*>|\S+)")
# Python-Markdown's own pattern for raw inline HTML (and autolinks, which look the same).
RAW_HTML = re.compile(r"<(/?[a-zA-Z][^<>@ ]*(?: [^<>]*)?)>")
ATTR_LIST = re.compile(r"\{:?[ ]*([^}\n ][^}\n]*)[ ]*\}")
# The three forms of attr_list: `#id`, `.class` and `name=value` (quoted or not).
ATTR_ITEM = re.compile(r"""(?:^|(?<=\s))(?:#([^\s}]+)|\.([^\s}]+)|([A-Za-z_:][-\w:.]*)\s*=\s*("[^"]*"|'[^']*'|[^\s}]+))""")
ATX_HEADING = re.compile(r"^\s{0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")

LINK_HINT = ("écrivez une adresse https://…, le fichier d'une autre fiche comme autre-fiche.md, "
             "ou une page du site comme ../guide/page.md")
IMAGE_HINT = "mettez l'image dans docs/assets/ et écrivez ../assets/nom.png"
HEADING_HINT = "commencez le titre par une lettre ou un chiffre"
RESERVED_HEADING_HINT = "changez le premier mot du titre : les ancres en md-, pf-, pagefind… et recueil-… sont au site"


@dataclass(frozen=True)
class Finding:
    """One problem in a card's Markdown: the line inside the text, what is wrong, how to fix it."""

    offset: int
    message: str
    hint: str


def markdown_findings(text: str, page_uri: str, page_exists: Callable[[str], bool]) -> Iterator[Finding]:
    """Every unsafe tag or attribute, forbidden URL and unresolved link of the Markdown of page `page_uri`."""
    for offset, line in prose_lines(text):
        heading = _heading_problem(line)
        if heading:
            yield Finding(offset, *heading)
        for is_image, target in _targets(line):
            problem = target_problem(target, page_uri, page_exists, is_image)
            if problem:
                yield Finding(offset, *problem)
        for markup in RAW_HTML.findall(line):
            problem = _raw_html_problem(markup, page_uri, page_exists)
            if problem:
                yield Finding(offset, *problem)
        for attributes in ATTR_LIST.findall(line):
            problem = _attr_list_problem(attributes, page_uri, page_exists)
            if problem:
                yield Finding(offset, *problem)


def target_problem(target: str, page_uri: str, page_exists: Callable[[str], bool],
                   is_image: bool = False) -> tuple[str, str] | None:
    """Why a link or image target would not work on the site, or None if it does."""
    url = html.unescape(target.strip().removeprefix("<").removesuffix(">")).strip()
    hint = IMAGE_HINT if is_image else LINK_HINT
    scheme = SCHEME.match(INVISIBLE.sub("", url))
    if scheme:
        name = scheme.group(1).lower()
        if name not in URL_SCHEMES:
            return f"adresse « {name}: » interdite", hint
        return (f"image distante interdite : {url}", REMOTE_IMAGE_HINT) if is_image else None
    path = unquote(url.split("#", 1)[0].split("?", 1)[0])
    if not path:
        return None  # an anchor in the same page
    if url.startswith("//"):
        return f"adresse incomplète : {url}", "écrivez l'adresse entière, https://…"
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page_uri), path))
    what = "image" if is_image else "lien"
    if path.startswith("/") or resolved == ".." or resolved.startswith("../"):
        return f"{what} hors du site : {url}", hint
    if not page_exists(resolved):
        return f"{what} vers un fichier introuvable : {url}", hint
    return None


def _targets(line: str) -> Iterator[tuple[bool, str]]:
    for match in INLINE_TARGET.finditer(line):
        yield match.group(1) == "!", match.group(2)
    reference = REFERENCE.match(line)
    if reference:
        yield reference.group(1) == "!", reference.group(2)


def _raw_html_problem(markup: str, page_uri: str, page_exists: Callable[[str], bool]) -> tuple[str, str] | None:
    if markup.startswith("/"):
        return None  # a closing tag: its opening tag is the one judged
    if SCHEME.match(markup) and " " not in markup:  # an autolink, <https://…>
        return target_problem(markup, page_uri, page_exists)
    for tag, attributes in raw_tags(f"<{markup}>"):
        problem = unsafe_markup(tag, attributes) or _attribute_targets(attributes, page_uri, page_exists)
        if problem:
            return problem
    return None


def _attr_list_problem(attributes: str, page_uri: str, page_exists: Callable[[str], bool]) -> tuple[str, str] | None:
    """`{: #id .class name=value }` after a Markdown element sets HTML attributes (attr_list extension)."""
    pairs: list[tuple[str, str | None]] = list(_attr_list_pairs(attributes))
    for name, value in pairs:
        if name == "style":
            return "attribut style interdit", "la mise en page vient du site : retirez-le"
        problem = card_attribute_problem(name, value)
        if problem:
            return problem
    return _attribute_targets(pairs, page_uri, page_exists)


def _attr_list_pairs(attributes: str) -> Iterator[tuple[str, str]]:
    for identifier, class_name, name, value in ATTR_ITEM.findall(attributes):
        if identifier:
            yield "id", identifier
        elif class_name:
            yield "class", class_name
        else:
            yield name.lower(), value.strip("\"'")


def _heading_problem(line: str) -> tuple[str, str] | None:
    """A heading's anchor comes from its words: one that names the theme's own elements is refused."""
    match = ATX_HEADING.match(line)
    if match is None:
        return None
    anchor = slugify(re.sub(r"\{:?[^}]*\}\s*$", "", match.group(1)), "-")
    if card_id_allowed(anchor):
        return None
    if not anchor or anchor.startswith("_"):
        return f"titre « {match.group(1)} » : il ne commence ni par une lettre ni par un chiffre", HEADING_HINT
    return f"titre « {match.group(1)} » : son ancre « {anchor} » est réservée au site", RESERVED_HEADING_HINT


def _attribute_targets(attributes: Sequence[tuple[str, str | None]], page_uri: str,
                       page_exists: Callable[[str], bool]) -> tuple[str, str] | None:
    for name, value in attributes:
        if name in ("href", "src") and value:
            problem = target_problem(value, page_uri, page_exists, is_image=name == "src")
            if problem:
                return problem
    return None
