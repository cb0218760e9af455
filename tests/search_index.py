"""Read the site search's index as the tests need it: one record per indexed page.

Pagefind writes one fragment per page, `site/pagefind/fragment/<hash>.pf_fragment`: gzip, then a
12-byte signature, `pagefind_dcd`, then the page's JSON (url, content, word_count, filters, meta,
anchors). The content is the page's indexed text, plain; the browser script escapes `<` and `>`
before it builds an excerpt.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

SIGNATURE = b"pagefind_dcd"


def fragments(site: Path) -> list[dict[str, Any]]:
    """Every indexed page of the built site, as Pagefind stored it."""
    found = []
    for path in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(path.read_bytes())
        assert raw.startswith(SIGNATURE), (path.name, raw[:20])
        found.append(json.loads(raw[len(SIGNATURE):].decode("utf-8")))
    return found


def by_url(site: Path) -> dict[str, dict[str, Any]]:
    """The indexed pages by their address from the site's root ('/cas/niort/'); each address once."""
    records = fragments(site)
    index = {record["url"]: record for record in records}
    assert len(index) == len(records), "a page indexed twice"
    return index
