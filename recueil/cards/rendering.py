"""A card's Markdown read as the site reads it: Python-Markdown with the site's extensions, then an HTML parser.

A card's text becomes a page through Python-Markdown (the extensions MkDocs always loads plus those
of the project's `mkdocs.yml`), then through the sanitiser (`sanitize.clean_html`). `recueil check`
reads it the same way, never with line patterns: it renders the text with the same Markdown
configuration, and the HTML that comes out is what it judges. A tag split over two lines, a fence that
Python-Markdown does not take for one, a reference whose address is on the next line, an attribute
list with a quoted brace: each is judged by what it becomes, not by how it was typed.

`render` gives that HTML; `html_events` reads it with the standard HTML parser into comparable events.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import yaml

from recueil.cards.text import referenced
from recueil.memory import MEMORY
from recueil.project import plain_yaml

# What MkDocs loads before the extensions of mkdocs.yml (mkdocs.config.defaults: MarkdownExtensions).
MKDOCS_EXTENSIONS: tuple[str, ...] = ("toc", "tables", "fenced_code")
CONFIG_FILE = "mkdocs.yml"
VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                       "track", "wbr"})


@dataclass(frozen=True)
class SiteMarkdown:
    """The Markdown extensions of a site and their settings (as JSON, so that the value can be compared)."""

    extensions: tuple[str, ...] = MKDOCS_EXTENSIONS
    settings: str = "{}"

    def for_print(self) -> tuple[list[str], dict[str, Any]]:
        """The same extensions for the printed booklet, less `toc`: the booklet merges every page into one
        document, where the ids toc gives headings (« contexte ») would repeat; it names its own anchors."""
        settings = {name: value for name, value in json.loads(self.settings).items() if name != "toc"}
        return [name for name in self.extensions if name != "toc"], settings

    def converter(self) -> markdown.Markdown:
        """One converter per configuration, made once (reset before each text)."""
        return MEMORY.recall("card markdown", self, self, lambda: markdown.Markdown(
            extensions=list(self.extensions), extension_configs=json.loads(self.settings)))


def site_markdown(root: Path | None) -> SiteMarkdown:
    """The Markdown configuration of the project at `root` (its mkdocs.yml), as MkDocs builds it."""
    if root is None:
        return SiteMarkdown()
    path = root / CONFIG_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return SiteMarkdown()
    return MEMORY.recall("site markdown", str(path), text, lambda: _read_extensions(text))


def _read_extensions(text: str) -> SiteMarkdown:
    try:
        data = plain_yaml(text)
    except yaml.YAMLError:
        return SiteMarkdown()
    listed = data.get("markdown_extensions") if isinstance(data, dict) else None
    names = list(MKDOCS_EXTENSIONS)
    settings: dict[str, Any] = {}
    for item in listed if isinstance(listed, list) else []:
        name, options = (item, None) if isinstance(item, str) else next(iter(item.items()), (None, None)) \
            if isinstance(item, dict) else (None, None)
        if not isinstance(name, str):
            continue
        if name not in names:
            names.append(name)
        if isinstance(options, dict):
            settings[name] = options
    return SiteMarkdown(tuple(names), json.dumps(settings, sort_keys=True, default=str))


def render(text: str, site: SiteMarkdown) -> str:
    """The HTML the site makes from this Markdown (before the sanitiser)."""
    converter = site.converter()
    converter.reset()
    return converter.convert(text)


@dataclass(frozen=True)
class Event:
    """One thing the HTML parser met: a start or end tag (with its attributes), text, a comment, or other markup."""

    kind: str  # "start", "end", "text", "comment", "other"
    tag: str = ""
    attributes: tuple[tuple[str, str | None], ...] = ()
    text: str = ""


def html_events(html: str) -> list[Event]:
    """The HTML as the standard parser reads it, texts and attribute values decoded, adjacent texts joined."""
    reader = _Events()
    reader.feed(html)
    reader.close()
    return reader.events


def comparable(events: list[Event]) -> Iterator[tuple[Any, ...]]:
    """The events in a form that does not depend on how the HTML was written: attributes sorted, an empty
    attribute the same as a bare one, a style the same whatever its spaces, no end tag for a void element."""
    for event in events:
        if event.kind == "start":
            yield "start", event.tag, tuple(sorted((name, _normal(name, value)) for name, value in event.attributes))
        elif event.kind == "end":
            yield "end", event.tag
        else:
            yield event.kind, event.text


def _normal(name: str, value: str | None) -> str:
    if name == "style" and value:
        return ";".join(":".join(part.strip().lower() for part in declaration.split(":", 1))
                        for declaration in value.split(";") if declaration.strip())
    return value or ""


class _Events(HTMLParser):
    """Character references are decoded here, not by the parser: the standard library drops a reference
    to a control character (`&#x1b;` gives nothing), where a browser and the sanitiser keep the character."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.events: list[Event] = []

    def _add(self, event: Event) -> None:
        if event.kind == "text" and self.events and self.events[-1].kind == "text":
            self.events[-1] = Event("text", text=self.events[-1].text + event.text)
        else:
            self.events.append(event)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._add(Event("start", tag, tuple(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._add(Event("start", tag, tuple(attrs)))
        if tag not in VOID_TAGS:
            self._add(Event("end", tag))

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID_TAGS:
            self._add(Event("end", tag))

    def handle_data(self, data: str) -> None:
        self._add(Event("text", text=data))

    def handle_charref(self, name: str) -> None:
        hexadecimal = name[1:] if name[:1] in "xX" else None
        character = referenced(hexadecimal, None if hexadecimal else name) if name.lstrip("xX").isalnum() else None
        self._add(Event("text", text=character if character is not None else f"&#{name};"))

    def handle_entityref(self, name: str) -> None:
        self._add(Event("text", text=html.unescape(f"&{name};")))

    def handle_comment(self, data: str) -> None:
        self._add(Event("comment", text=data))

    def handle_decl(self, decl: str) -> None:
        self._add(Event("other", text=f"<!{decl}>"))

    def handle_pi(self, data: str) -> None:
        self._add(Event("other", text=f"<?{data}>"))

    def unknown_decl(self, data: str) -> None:
        self._add(Event("other", text=f"<![{data}]>"))
