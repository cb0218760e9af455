"""Card and guide Markdown as clean print HTML: headings shifted under the booklet's own, links
pointed at the booklet's anchors (or the site's address, printed after the words), the card's HTML
through the engine's allow-list narrowed for print."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from xml.etree import ElementTree

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from recueil.addresses import page_url
from recueil.cards.rendering import SiteMarkdown
from recueil.cards.sanitize import HEADING_TAGS, LIST_TAGS, TABLE_TAGS, TAG_ATTRIBUTES, TEXT_TAGS, Policy, clean_html

# Cards come from pull requests: their HTML goes through the engine's allow-list, narrowed for print:
# no images (WeasyPrint would fetch them while printing), classes only where the print templates read
# them (so a card cannot pass for a part title in the bookmarks), and headings from h2 down.
PRINT_POLICY = Policy(
    tags=(TEXT_TAGS - {"img", "figure", "figcaption"}) | (HEADING_TAGS - {"h1"}) | LIST_TAGS | TABLE_TAGS,
    attributes={"*": frozenset({"title", "lang", "dir"}), **TAG_ATTRIBUTES,
                "a": frozenset({"href", "hreflang", "class"}), "span": frozenset({"class"})},
)


class _PrintTree(Treeprocessor):
    """Shift heading levels under the booklet's own, and point links at the booklet when it can."""

    def __init__(self, md: markdown.Markdown, resolve: Callable[[str], str | None], shift: int):
        super().__init__(md)
        self.resolve = resolve
        self.shift = shift

    def run(self, root: ElementTree.Element) -> None:
        for element in root.iter():
            if element.tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
                element.tag = f"h{min(6, int(element.tag[1]) + self.shift)}"
        for parent in list(root.iter()):
            for index, child in reversed(list(enumerate(parent))):
                if child.tag == "a":
                    self._relink(parent, index, child)

    def _relink(self, parent: ElementTree.Element, index: int, link: ElementTree.Element) -> None:
        target = self.resolve(link.get("href", ""))
        if target is None:  # a page the printed booklet cannot point to: keep the words only
            link.tag, link.attrib = "span", {}
            return
        link.set("href", target)
        if target.startswith(("http://", "https://")):
            text = "".join(link.itertext()).strip()
            if text.rstrip("/") == target.rstrip("/"):
                link.set("class", "bare")
            else:  # on paper the address must be readable, not clickable: print it after the words
                shown = ElementTree.Element("span", {"class": "url"})
                shown.text = target
                shown.tail = link.tail
                link.tail = " "
                parent.insert(index + 1, shown)


class _PrintExtension(Extension):
    def __init__(self, resolve: Callable[[str], str | None], shift: int):
        super().__init__()
        self.resolve = resolve
        self.shift = shift

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (markdown's API)
        md.treeprocessors.register(_PrintTree(md, self.resolve, self.shift), "recueil_print", 1)


WEB_ONLY = re.compile(r'^<p class="recueil-pdf-link">.*?</p>\s*$', re.MULTILINE)


class LinkMap:
    """Where a link written in a page (relative .md path or URL) goes in the printed booklet."""

    def __init__(self, anchors: dict[str, str], site_url: str, site: SiteMarkdown | None = None):
        self.anchors = anchors  # src_uri → '#anchor' for every page the booklet contains
        self.site_url = site_url.rstrip("/") + "/" if site_url else ""
        # The site's own Markdown extensions (its mkdocs.yml, as the pages and `recueil check` read a card),
        # less what only a web page needs (SiteMarkdown.for_print).
        self.extensions, self.settings = (site or SiteMarkdown()).for_print()

    def resolve(self, href: str, page_uri: str) -> str | None:
        if href.startswith(("http://", "https://", "mailto:")):
            return href
        if href.startswith("#") or not href:
            return None  # an anchor inside a web page means nothing once pages are merged
        path = href.split("#", 1)[0]
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page_uri), path))
        if target in self.anchors:
            return self.anchors[target]
        if self.site_url and not target.startswith(".."):  # a page or a file of the site: its address
            return self.site_url + (page_url(target) if target.endswith(".md") else target)
        return None

    def converter(self, page_uri: str, shift: int) -> Callable[[str], Markup]:
        def convert(text: str) -> Markup:
            text = WEB_ONLY.sub("", text)  # "download the PDF" means nothing inside the PDF
            extension = _PrintExtension(lambda href: self.resolve(href, page_uri), shift)
            html = markdown.markdown(text, extensions=[*self.extensions, extension], extension_configs=self.settings)
            return Markup(clean_html(html, PRINT_POLICY))
        return convert
