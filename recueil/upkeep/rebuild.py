"""What `mkdocs serve` may reuse from one rebuild to the next.

A serve rebuild runs the whole build again; at a thousand cases, converting and laying out every
page costs seconds, though one card changed. A page whose source (its Markdown with its front
matter, made from a card or written by hand) is the same as at the previous rebuild, while nothing
else a page depends on changed
(configuration, hand-written pages, theme overrides, the list of files, the titles in the nav: the
`fingerprint`), gives the same HTML: the site engine stores what it made of the page and takes it
back instead of reading, converting and laying it out again.

The pages are kept in the engine's memory (recueil/memory.py), under the one rule of everything the
engine keeps: a page is given back when asked for with equal inputs, here its source and the
fingerprint. The store holds opaque payloads and imports nothing from the site engine.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from recueil.memory import MEMORY, MISSING

SHELF = "served pages"


@dataclass
class RebuildStore:
    """Pages of the previous rebuild, valid while the fingerprint stays the same."""

    enabled: bool = False
    fingerprint: str = ""
    # Per site folder, the files (paths in the site) its last rebuild wrote; none after a failure:
    # what may be left in place for the next rebuild, and what it deletes if it does not make them again.
    outputs: dict[str, set[str]] = field(default_factory=dict)

    def start(self, fingerprint: str) -> None:
        """A new rebuild begins; what it depends on besides each page's source is `fingerprint`."""
        self.fingerprint = fingerprint

    def reusable(self, uri: str, source: str) -> Any | None:
        """What was made of the page at `uri` from the same source text, if anything."""
        payload = MEMORY.get(SHELF, uri, (self.fingerprint, source)) if self.enabled else MISSING
        return None if payload is MISSING else payload

    def store(self, uri: str, source: str, payload: Any) -> None:
        if self.enabled:
            MEMORY.put(SHELF, uri, (self.fingerprint, source), payload)

    def forget(self) -> None:
        """Disabled, with no page and no outputs kept (tests)."""
        self.enabled, self.fingerprint = False, ""
        MEMORY.forget(SHELF)
        self.outputs.clear()


# The one store of the process (only `mkdocs serve` enables it: a single build never reuses).
STORE = RebuildStore()


def fingerprint(paths: Iterable[Path], texts: Iterable[str]) -> str:
    """A digest of every file under `paths` (name, mtime, size) and of `texts`."""
    digest = hashlib.sha1(usedforsecurity=False)
    for root in paths:
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for path in files:
            try:
                info = path.stat()
            except OSError:
                continue
            digest.update(f"{path}\0{info.st_mtime_ns}\0{info.st_size}\n".encode())
    for text in texts:
        digest.update(text.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()
