"""Read built HTML as a browser does (WHATWG parser) and list what could run: the tests' XSS detector.

Every payload of the hostile corpus calls `alert(`; a script is live when the parser makes a <script>
element of it, a handler when it makes an `on…` attribute, a link when an href or src keeps a
`javascript:` or `vbscript:` scheme. Parsing with tinyhtml5 (the HTML5 parser WeasyPrint uses)
sees `<title>` and `<textarea>` as text, exactly where a browser does.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

import tinyhtml5

DANGEROUS_TAGS = frozenset({"iframe", "frame", "frameset", "object", "embed", "applet", "base"})
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset"})
SCRIPT_SCHEME = re.compile(r"^\s*(javascript|vbscript|data\s*:\s*text/html)", re.IGNORECASE)
CONTROL = re.compile(r"[\x00-\x20]+")


def parse_document(html: str) -> Element:
    return tinyhtml5.parse(html, namespace_html_elements=False)


def local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


def live_markup(html: str, fragment: bool = False) -> list[str]:
    """Each element or attribute of the document that would run code, described; [] when none."""
    root = parse_document(f"<body>{html}</body>" if fragment else html)
    found: list[str] = []
    for element in root.iter():
        tag = local(str(element.tag))
        found += _element_problems(tag, element)
    return found


def _element_problems(tag: str, element: Element) -> list[str]:
    problems = []
    if tag == "script" and ("alert(" in (element.text or "") or _outside_assets(element.get("src"))):
        problems.append(f"<script> {(element.text or element.get('src') or '')[:60]!r}")
    if tag in DANGEROUS_TAGS:
        problems.append(f"<{tag}>")
    if tag == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
        problems.append("<meta http-equiv=refresh>")
    for name, value in element.attrib.items():
        name = local(name) if name.startswith("{") else name.lower()
        if name.startswith("on"):
            problems.append(f"<{tag} {name}>")
        if name in URL_ATTRIBUTES and SCRIPT_SCHEME.match(CONTROL.sub("", value)):
            problems.append(f"<{tag} {name}={value[:40]!r}>")
    return problems


def _outside_assets(src: str | None) -> bool:
    """Scripts of the site are Material's and ours, under assets/, and the search's, under pagefind/ (Zensical
    writes those of the home page as ./assets/…)."""
    if src is None:
        return False
    return not re.match(r"^(?:\./|(?:\.\./)*|/(?:[\w.-]+/)*)(assets|pagefind)/[\w./-]+\.js(\?[\w=.-]*)?$", src)


def text_of(root: Element) -> str:
    body = next((el for el in root.iter() if local(str(el.tag)) == "body"), root)
    return " ".join("".join(body.itertext()).split())


def head_of(html: str) -> dict[str, object]:
    root = parse_document(html)
    titles = [el for el in root.iter() if local(str(el.tag)) == "title" and _in_head(root, el)]
    description = next((el.get("content") for el in root.iter()
                        if local(str(el.tag)) == "meta" and el.get("name") == "description"), None)
    title = titles[0] if titles else None
    return {"title": "".join(title.itertext()).strip() if title is not None else None,
            "titles": len(titles), "children_of_title": len(list(title)) if title is not None else 0,
            "description": description}


def _in_head(root: Element, element: Element) -> bool:
    head = next((el for el in root.iter() if local(str(el.tag)) == "head"), None)
    return head is not None and any(child is element for child in head.iter())


def fragment_elements(fragment: str) -> list[tuple[str, dict[str, str]]]:
    """The elements an HTML fragment holds once parsed, as (tag, attributes)."""
    root = parse_document(f"<body>{fragment}</body>")
    body = next(el for el in root.iter() if local(str(el.tag)) == "body")
    return [(local(str(el.tag)), dict(el.attrib)) for el in body.iter() if el is not body]
