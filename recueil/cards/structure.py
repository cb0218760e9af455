"""The block structure of a card's Markdown: its headings found by a Markdown parser, its raw HTML
balanced, its lines short enough to be parsed in linear time.

Sections are cut at the card's top-level `## ` headings as a CommonMark parser (markdown-it-py, block
rules only) finds them: a `## ` line inside fenced or indented code, a quotation or a list is text
of its section, not a new one (a regular expression made it one and lost text in `cas.json`). The
site renders fenced code as code too (MkDocs always loads `fenced_code`; the PDF now does as well).

Raw HTML is checked for balance because Python-Markdown keeps everything after an unclosed block
tag (`<div>`, `<table>`) as raw HTML: the rest of the card page showed as literal Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

from markdown_it import MarkdownIt

# Python-Markdown's links and inline patterns are quadratic on some lines (a 40 KB line of `[`
# took 270 s to build: Python-Markdown issue #798), and so were regular expressions of the checks:
# a card's lines are capped, and a longer line is reported, never parsed.
MAX_LINE = 2_000
LONG_LINE_HINT = (f"une ligne fait au plus {MAX_LINE} caractères : coupez-la en paragraphes séparés "
                  "par une ligne vide, ou en éléments de liste")
H1_HINT = "le titre de la page vient du champ title : écrivez « ## » pour une section, « ### » pour une sous-partie"
FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
# Elements that Python-Markdown treats as blocks of raw HTML (markdown.Markdown.block_level_elements),
# less the void ones, which have no end tag.
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset", "figcaption", "figure",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "main", "menu", "nav", "ol", "p", "pre",
    "section", "table", "ul", "canvas", "colgroup", "dd", "body", "dt", "group", "html", "iframe", "li",
    "legend", "math", "map", "noscript", "output", "object", "option", "progress", "script", "style",
    "summary", "tbody", "td", "textarea", "tfoot", "th", "thead", "tr", "video", "center",
})
VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                       "track", "wbr"})

_PARSER = MarkdownIt("commonmark").disable("inline")  # headings and blocks only: a third of the time


@dataclass(frozen=True)
class Heading:
    """A top-level heading: its level, its text as written, its first line and the line after it (from 0)."""

    level: int
    title: str
    line: int
    end: int


@dataclass(frozen=True)
class Found:
    """One problem of a text's structure: its line in the text (from 0), what is wrong, the fix."""

    offset: int
    message: str
    hint: str


@lru_cache(maxsize=16_384)  # the loader, the pages, the exports and the PDF all ask for the same bodies
def headings(text: str) -> tuple[Heading, ...]:
    """The headings of the text that are not inside code, a quotation, a list or raw HTML."""
    tokens = _PARSER.parse(_without_long_lines(text))
    found = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.level == 0 and token.map:
            title = tokens[index + 1].content.strip()
            found.append(Heading(int(token.tag[1:]), title, token.map[0], token.map[1]))
    return tuple(found)


def sections_of(body: str) -> list[tuple[str, str]]:
    """The body cut at its `## ` headings: [(title, markdown), …], text before the first kept as ''."""
    lines = body.split("\n")
    cuts = [heading for heading in headings(body) if heading.level == 2]
    starts = [0, *(heading.end for heading in cuts)]
    ends = [*(heading.line for heading in cuts), len(lines)]
    titles = ["", *(heading.title for heading in cuts)]
    sections = [(title, _trimmed(lines[start:end])) for title, start, end in zip(titles, starts, ends, strict=True)]
    return sections if sections[0][1] else sections[1:]


def _trimmed(lines: list[str]) -> str:
    """The lines without the blank ones around them; the first keeps its indentation (code stays code)."""
    kept = [offset for offset, line in enumerate(lines) if line.strip()]
    return "\n".join(lines[kept[0]:kept[-1] + 1]).rstrip() if kept else ""


def long_lines(text: str) -> Iterator[Found]:
    for offset, line in enumerate(text.split("\n")):
        if len(line) > MAX_LINE:
            yield Found(offset, f"ligne de {len(line)} caractères", LONG_LINE_HINT)


def structure_problems(text: str) -> Iterator[Found]:
    """Overlong lines, level-1 headings (the page has its title) and unbalanced raw HTML."""
    yield from long_lines(text)
    for heading in headings(text):
        if heading.level == 1:
            yield Found(heading.line, "titre de niveau 1 dans le texte", H1_HINT)
    yield from unbalanced_html(text)


def unbalanced_html(text: str) -> Iterator[Found]:
    """Block tags left open (or closed without being opened), and unclosed comments, outside code."""
    checker = _Balance()
    comment: int | None = None  # the line of a comment not closed yet
    for offset, line in prose_lines(text):
        checker.offset = offset
        checker.feed(line + "\n")
        start, end = line.rfind("<!--"), line.rfind("-->")
        comment = offset if start > end else (None if end >= 0 else comment)
    checker.close()
    if comment is not None:
        yield Found(comment, "commentaire HTML non fermé",
                    "fermez-le par --> : sans cela, la suite de la fiche disparaîtrait de la page")
    yield from checker.found
    for tag, offset in checker.open:
        if tag in BLOCK_TAGS:
            yield Found(offset, f"balise <{tag}> non fermée",
                        f"fermez-la par </{tag}> : sans cela, la suite de la fiche s'afficherait comme du texte brut")
            return  # the first unclosed block swallows the rest: one message


def prose_lines(text: str) -> Iterator[tuple[int, str]]:
    """Lines outside fenced code, with code spans blanked (code shows markup, it does not run it), and
    short enough to be read (a longer line is reported here, never searched)."""
    fence: str | None = None
    for offset, line in enumerate(text.split("\n")):
        opening = FENCE.match(line)
        if fence is None and opening:
            fence = opening.group(1)[0]
        elif fence is not None:
            if opening and opening.group(1)[0] == fence:
                fence = None
        elif len(line) <= MAX_LINE:
            yield offset, CODE_SPAN.sub(lambda span: " " * len(span.group(0)), line)


def _without_long_lines(text: str) -> str:
    """Overlong lines (reported) are blanked so that no parser spends time on them."""
    if all(len(line) <= MAX_LINE for line in text.split("\n")):
        return text
    return "\n".join("" if len(line) > MAX_LINE else line for line in text.split("\n"))


class _Balance(HTMLParser):
    """Follows open tags as Python-Markdown does for raw HTML: an end tag closes up to its start tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.offset = 0
        self.open: list[tuple[str, int]] = []
        self.found: list[Found] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h1":
            self.found.append(Found(self.offset, "balise <h1> dans le texte", H1_HINT))
        if tag not in VOID_TAGS:
            self.open.append((tag, self.offset))

    def handle_endtag(self, tag: str) -> None:
        names = [name for name, _ in self.open]
        if tag in names:
            del self.open[len(names) - 1 - names[::-1].index(tag):]
        elif tag in BLOCK_TAGS:
            self.found.append(Found(self.offset, f"balise </{tag}> sans balise <{tag}> ouvrante",
                                    f"ajoutez <{tag}> avant, ou retirez </{tag}>"))
