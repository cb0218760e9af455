"""What a card's Markdown becomes on its page, judged before the page is made, each problem at its line.

A card's text comes from a stranger. The site renders it with Python-Markdown and passes the HTML
through the sanitiser (`sanitize`), which drops whatever its allow-list does not hold. `recueil check`
applies one rule: **what the page would drop or change, the check refuses**, with the reason and the
fix. It renders the text as the site does (`rendering`), sanitises that HTML, and compares both as the
HTML parser reads them: any difference is a problem. The reason is then found by the sanitiser's own
policy (`sanitize.unsafe_markup`, `card_attribute_problem`), tag by tag of the rendered HTML; a
difference no reason explains is still refused, with the passage that would vanish.

Beyond what the sanitiser drops, the rendered HTML is also checked for what would break the page:
links to missing files (resolved as MkDocs resolves them, relative to the card's generated page
`cas/<slug>.md` or `recommandations/<slug>.md`), a level-1 heading, an id given twice or taken from the
theme, text hidden from readers (the search would still find it), control characters written as
entities, HTML comments (the site's own markers are comments) and nesting deeper than `MAX_DEPTH`.

Lines: the rendered HTML does not say where a tag came from, so a problem is placed at the first line
from which the text's beginning shows it (a bisection over the lines, only for a text with problems).
"""

from __future__ import annotations

import html
import posixpath
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import unquote

from recueil.cards.rendering import VOID_TAGS, Event, SiteMarkdown, comparable, html_events, render
from recueil.cards.sanitize import (
    CARD_PAGE,
    HEADING_TAGS,
    INVISIBLE,
    LINK_HINT,
    REMOTE_IMAGE_HINT,
    SCHEME,
    URL_SCHEMES,
    card_id_allowed,
    clean_html,
    unsafe_markup,
)
from recueil.cards.structure import BLOCK_TAGS, MAX_DEPTH, without_long_lines
from recueil.cards.text import CONTROL_HINT, control_character, control_problem

# MAX_DEPTH (structure): a page is printed to PDF by WeasyPrint, whose layout recursion failed on
# 150 levels; a real card uses fewer than ten.
# Problems placed at their line in one text; more are counted in one last message.
MAX_PLACED = 20

IMAGE_HINT = "mettez l'image dans docs/assets/ et écrivez ../assets/nom.png"
HEADING_HINT = "commencez le titre par une lettre ou un chiffre"
RESERVED_HEADING_HINT = "changez le premier mot du titre : les ancres en md-, pf-, pagefind… et recueil-… sont au site"
H1_HINT = "le titre de la page vient du champ title : écrivez « ## » pour une section, « ### » pour une sous-partie"
COMMENT_HINT = "retirez-le : un commentaire n'est pas affiché, et les commentaires « recueil:… » sont au site"
DEPTH_HINT = f"une fiche imbrique au plus {MAX_DEPTH} niveaux (listes, citations, balises) : aplatissez le texte"
UNCLOSED_COMMENT_HINT = "fermez-le par --> : sans cela, la suite de la fiche disparaîtrait de la page"
DROPPED_HINT = "la page n'afficherait pas ce passage : écrivez-le en Markdown simple"
DUPLICATE_ID_HINT = "un identifiant n'apparaît qu'une fois par page : changez l'un des deux"


@dataclass(frozen=True)
class Finding:
    """One problem in a card's Markdown: the line inside the text, what is wrong, how to fix it."""

    offset: int
    message: str
    hint: str


def markdown_findings(text: str, page_uri: str, page_exists: Callable[[str], bool],
                      site: SiteMarkdown | None = None) -> Iterator[Finding]:
    """Every problem of the Markdown of page `page_uri`, at its line (see the module's docstring)."""
    site = site or SiteMarkdown()
    text = without_long_lines(text)  # reported by structure: never given to a parser
    found = problems_of(text, page_uri, page_exists, site)
    if not found:
        return
    lines = text.split("\n")
    seen: Counter[tuple[str, str]] = Counter()
    for problem in found[:MAX_PLACED]:
        seen[problem] += 1
        yield Finding(_first_line_showing(lines, problem, seen[problem], page_uri, page_exists, site), *problem)
    if len(found) > MAX_PLACED:
        yield Finding(0, f"{len(found) - MAX_PLACED} autre(s) problème(s) dans ce texte",
                      "corrigez les premiers, puis relancez « recueil check »")


def problems_of(text: str, page_uri: str, page_exists: Callable[[str], bool],
                site: SiteMarkdown) -> list[tuple[str, str]]:
    """The problems of the text as the site renders it, in the order of the page."""
    try:
        rendered = render(text, site)
    except RecursionError:
        return [(f"texte imbriqué trop profondément (plus de {MAX_DEPTH} niveaux)", DEPTH_HINT)]
    events = html_events(rendered)
    found = list(_explained(events, page_uri, page_exists))
    if not found:
        kept = clean_html(rendered)
        if kept == rendered:  # the usual case: the same string reads as the same events
            return found
        cleaned = html_events(kept)
        if list(comparable(events)) != list(comparable(cleaned)):
            found.append(_unexplained(events, cleaned))
    return found


def _first_line_showing(lines: list[str], problem: tuple[str, str], count: int, page_uri: str,
                        page_exists: Callable[[str], bool], site: SiteMarkdown) -> int:
    """The first line from which the text's beginning holds `count` times this problem (a bisection)."""
    low, high = 1, len(lines)
    while low < high:
        middle = (low + high) // 2
        shown = problems_of("\n".join(lines[:middle]), page_uri, page_exists, site).count(problem)
        if shown >= count:
            high = middle
        else:
            low = middle + 1
    return low - 1


def _explained(events: list[Event], page_uri: str, page_exists: Callable[[str], bool]) -> Iterator[tuple[str, str]]:
    """The reasons, tag by tag, that the page would drop or break part of this HTML."""
    reader = _Reader(page_uri, page_exists)
    for event in events:
        yield from reader.read(event)
    yield from reader.unclosed()


class _Reader:
    """Reads the rendered HTML of one text in order: open tags, ids, the heading being read."""

    def __init__(self, page_uri: str, page_exists: Callable[[str], bool]) -> None:
        self.page_uri, self.page_exists = page_uri, page_exists
        self.open: list[Event] = []
        self.too_deep = False
        self.ids: set[str] = set()
        self.heading: tuple[Event, list[str]] | None = None  # a heading being read, and its words

    def read(self, event: Event) -> Iterator[tuple[str, str]]:
        if event.kind == "start":
            yield from self._start(event)
        elif event.kind == "end":
            yield from self._end(event.tag)
        elif event.kind == "text":
            if self.heading is not None and not any(_is_permalink(tag) for tag in self.open):
                self.heading[1].append(event.text)
            if (character := control_character(event.text)) is not None:
                yield f"{control_problem(character)} (écrit comme entité HTML)", CONTROL_HINT
            if "<!--" in event.text:
                yield "commentaire HTML non fermé", UNCLOSED_COMMENT_HINT
        elif event.kind == "comment":
            marker = event.text.strip()
            if marker.startswith("recueil"):
                yield f"marqueur du site « {marker[:40]} » interdit dans une fiche", COMMENT_HINT
            else:
                yield "commentaire HTML", COMMENT_HINT
        else:
            yield f"balise « {event.text[:40]} » interdite", DROPPED_HINT

    def _start(self, event: Event) -> Iterator[tuple[str, str]]:
        if event.tag not in VOID_TAGS:
            self.open.append(event)
        if len(self.open) > MAX_DEPTH and not self.too_deep:
            self.too_deep = True
            yield f"texte imbriqué trop profondément (plus de {MAX_DEPTH} niveaux)", DEPTH_HINT
        if event.tag in HEADING_TAGS:
            self.heading = (event, [])
        problem = next(self._tag_problems(event), None)
        if problem:
            yield problem

    def _end(self, tag: str) -> Iterator[tuple[str, str]]:
        names = [event.tag for event in self.open]
        if tag not in names:
            if tag in BLOCK_TAGS:
                yield f"balise </{tag}> sans balise <{tag}> ouvrante", f"ajoutez <{tag}> avant, ou retirez </{tag}>"
            return
        del self.open[len(names) - 1 - names[::-1].index(tag):]
        if self.heading is not None and tag == self.heading[0].tag:
            yield from _heading_problems(self.heading[0], "".join(self.heading[1]).strip())
            self.heading = None

    def unclosed(self) -> Iterator[tuple[str, str]]:
        block = next((event.tag for event in self.open if event.tag in BLOCK_TAGS), None)
        if block:  # the first unclosed block swallows the rest: one message
            yield (f"balise <{block}> non fermée",
                   f"fermez-la par </{block}> : sans cela, la suite de la fiche s'afficherait comme du texte brut")

    def _tag_problems(self, event: Event) -> Iterator[tuple[str, str]]:
        """What is wrong with one tag, in order (the caller keeps the first: one fix at a time)."""
        if event.tag == "h1":
            yield "titre de niveau 1 dans le texte", H1_HINT
        attributes = list(event.attributes)
        problem = unsafe_markup(event.tag, attributes, CARD_PAGE)
        if problem and not (event.tag in HEADING_TAGS and problem[0].startswith("identifiant")):
            yield problem  # a heading's id comes from its words: said when the heading ends
        for name, value in attributes:
            if name == "id" and value:
                if value in self.ids:
                    yield f"identifiant « {value} » en double", DUPLICATE_ID_HINT
                self.ids.add(value)
            elif name in ("href", "src") and value:
                target = target_problem(value, self.page_uri, self.page_exists, is_image=name == "src")
                if target:
                    yield target
            if value and (character := control_character(value)) is not None:
                yield f"{control_problem(character)} (attribut {name})", CONTROL_HINT


def _is_permalink(event: Event) -> bool:
    """The `¶` link Python-Markdown's toc adds inside a heading: not part of its words."""
    return event.tag == "a" and "headerlink" in (dict(event.attributes).get("class") or "").split()


def _heading_problems(event: Event, title: str) -> Iterator[tuple[str, str]]:
    """A heading's anchor comes from its words (or `{: #id }`): one that names the theme's own elements is refused."""
    anchor = dict(event.attributes).get("id")
    if anchor is None or card_id_allowed(anchor):
        return
    if not anchor or anchor.startswith("_"):
        yield f"titre « {title} » : il ne commence ni par une lettre ni par un chiffre", HEADING_HINT
    else:
        yield f"titre « {title} » : son ancre « {anchor} » est réservée au site", RESERVED_HEADING_HINT


def _unexplained(events: list[Event], cleaned: list[Event]) -> tuple[str, str]:
    """The first passage the sanitiser would change, for a difference no rule above names."""
    before, after = list(comparable(events)), list(comparable(cleaned))
    index = next((i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b), min(len(before), len(after)))
    event = events[index] if index < len(events) else events[-1]
    shown = event.text if event.kind != "start" else f"<{event.tag}>"
    return f"passage que la page retirerait : « {shown.strip()[:60]} »", DROPPED_HINT


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
