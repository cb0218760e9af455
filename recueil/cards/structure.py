"""The block structure of a card's Markdown: its headings found by a Markdown parser, its lines short
enough to be parsed in linear time.

Sections are cut at the card's top-level `## ` headings as a CommonMark parser (markdown-it-py, block
rules only) finds them: a `## ` line inside fenced or indented code, a quotation or a list is text
of its section, not a new one (a regular expression made it one and lost text in `cas.json`). The
site renders fenced code as code too (MkDocs always loads `fenced_code`; the PDF now does as well).

What the text's raw HTML does (an unclosed block, a level-1 heading…) is judged on the HTML the site
renders from it (`bodies`), not here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt

# Python-Markdown's links and inline patterns are quadratic on some lines (a 40 KB line of `[`
# took 270 s to build: Python-Markdown issue #798), and so were regular expressions of the checks:
# a card's lines are capped, and a longer line is reported, never parsed.
MAX_LINE = 2_000
LONG_LINE_HINT = (f"une ligne fait au plus {MAX_LINE} caractères : coupez-la en paragraphes séparés "
                  "par une ligne vide, ou en éléments de liste")
# Elements that Python-Markdown treats as blocks of raw HTML (markdown.Markdown.block_level_elements),
# less the void ones, which have no end tag.
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset", "figcaption", "figure",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "main", "menu", "nav", "ol", "p", "pre",
    "section", "table", "ul", "canvas", "colgroup", "dd", "body", "dt", "group", "html", "iframe", "li",
    "legend", "math", "map", "noscript", "output", "object", "option", "progress", "script", "style",
    "summary", "tbody", "td", "textarea", "tfoot", "th", "thead", "tr", "video", "center",
})

# Headings and blocks only (a third of the time). CommonMark's preset stops nesting at 20 levels: a list
# ten deep hid the sections after it. The depth a card may have is judged on its rendered HTML
# (bodies.MAX_DEPTH); the parser goes deeper than that, so that it never stops first.
MAX_DEPTH = 40  # how deep the elements of a card's text may nest (lists, quotations, raw HTML)
_PARSER = MarkdownIt("commonmark", {"maxNesting": 3 * MAX_DEPTH}).disable("inline")


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
    tokens = _PARSER.parse(without_long_lines(text))
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
    """Lines too long to be parsed (the rest of a text is read as the site renders it: `bodies`)."""
    yield from long_lines(text)


def without_long_lines(text: str) -> str:
    """Overlong lines (reported) are blanked so that no parser spends time on them."""
    if all(len(line) <= MAX_LINE for line in text.split("\n")):
        return text
    return "\n".join("" if len(line) > MAX_LINE else line for line in text.split("\n"))
