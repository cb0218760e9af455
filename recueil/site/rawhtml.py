"""The HTML blocks of a generated page, set aside while its Markdown is converted, put back after.

The engine's pages are Markdown made of large HTML blocks (facts, lists of cases, the bank's panel,
the map) around a few headings and the cards' text. Python-Markdown reads every raw HTML block with
its HTML parser only to hand it back unchanged: at a thousand cases that was the largest single cost
of a build (its raw-HTML preprocessor), though the engine wrote that HTML itself. `set_aside` swaps
each top-level HTML block for a one-word paragraph before the conversion, `put_back` swaps the
paragraph for the block in the HTML that comes out: the same HTML as converting the whole page,
for a fraction of the work. A block is taken only where Python-Markdown would keep it raw for sure:
it starts a paragraph (after a blank line) with a block-level tag at the start of the line, its tags
balance, and it ends with the closing tag at the end of a line followed by a blank line. Anything
else (a tag in the middle of text, an unbalanced block) is left to Python-Markdown.
"""

from __future__ import annotations

import html
import re
import secrets
from dataclasses import dataclass, field

from markdown.util import BLOCK_LEVEL_ELEMENTS

# A token names a block by its number behind a secret drawn for this process: a card's text cannot
# write one (a paragraph « recueilblocbrut0x » would have pasted another block of the page, and one
# with a number past the last block stopped the build with an IndexError).
_SECRET = secrets.token_hex(12)
TOKEN = "recueilblocbrut" + _SECRET + "n{}x"
_TOKEN_PARAGRAPH = re.compile(r"<p>recueilblocbrut" + _SECRET + r"n(\d+)x</p>")
_OPENING = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)[\s/>]")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)(?:\s[^<>]*)?(/?)>|<!--.*?-->", re.DOTALL)
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                   "wbr", "circle", "path", "rect", "line", "polyline", "polygon", "ellipse", "use", "stop"})
_BLOCK_LEVEL = frozenset(BLOCK_LEVEL_ELEMENTS)
# The anchors MkDocs finds in raw HTML (mkdocs.structure.pages._HTMLHandler): ids, and names of <a>.
_ID = re.compile(r'<[a-zA-Z][^<>]*?\sid="([^"]*)"|<a\s[^<>]*?\bname="([^"]*)"')


@dataclass
class SetAside:
    """A page's Markdown with its HTML blocks swapped for tokens, and those blocks."""

    markdown: str
    blocks: list[str] = field(default_factory=list)

    def ids(self) -> set[str]:
        """The element ids of the blocks set aside (the anchors other pages may link to)."""
        return {html.unescape(found) for block in self.blocks for pair in _ID.findall(block) for found in pair
                if found}


def set_aside(markdown: str) -> SetAside:
    """Swap the top-level HTML blocks that Python-Markdown would pass through unchanged for tokens."""
    parts = markdown.split("\n\n")
    out: list[str] = []
    blocks: list[str] = []
    index = 0
    while index < len(parts):
        part = parts[index]
        opens = part.startswith("<") and (opening := _OPENING.match(part)) is not None \
            and opening.group(1).lower() in _BLOCK_LEVEL
        end = _block_end(parts, index) if opens else None
        if end is None:
            if opens:  # an HTML block this module cannot read for sure: the rest is Python-Markdown's
                out.extend(parts[index:])
                break
            out.append(part)
            index += 1
            continue
        blocks.append("\n\n".join(parts[index:end + 1]))
        out.append(TOKEN.format(len(blocks) - 1))
        index = end + 1
    return SetAside("\n\n".join(out), blocks)


def _block_end(parts: list[str], start: int) -> int | None:
    """The last part of the HTML block that starts `parts[start]`, if it is one to set aside."""
    depth = 0
    for index in range(start, len(parts)):
        part = parts[index]
        if index > start and depth == 0:
            return None
        for tag in _TAG.finditer(part):
            closing, name, self_closing = tag.group(1), (tag.group(2) or "").lower(), tag.group(3)
            if not name or self_closing or name in _VOID:
                continue
            depth += -1 if closing else 1
            if depth < 0:
                return None
        if depth == 0:
            text = part.rstrip()
            if not text.endswith(">") or "\n" in text[text.rfind(">"):]:
                return None
            last_line = text[text.rfind("\n") + 1:]
            # The block ends where its last element closes, at the end of a line; a line that goes
            # on after a closing tag, or that is not HTML, would be read otherwise by Python-Markdown.
            return index if last_line.startswith("<") or last_line.startswith("</") else None
    return None


def put_back(html: str, aside: SetAside) -> str:
    """The converted page with each token paragraph replaced by its HTML block."""
    if not aside.blocks:
        return html
    # Python-Markdown writes a raw block followed by a blank line, and ends its output on no whitespace.
    return _TOKEN_PARAGRAPH.sub(lambda found: _block(aside, found), html).rstrip()


def _block(aside: SetAside, found: re.Match[str]) -> str:
    index = int(found.group(1))
    return aside.blocks[index] + "\n" if index < len(aside.blocks) else found.group(0)
