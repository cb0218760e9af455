"""What the engine keeps from one build to the next, behind one object with one rule.

`mkdocs serve` runs the whole build again after each edit; at a thousand cases, reading every card,
checking every link, rendering every page and exporting every row again costs seconds, though one
card changed. The engine keeps what it made in `MEMORY`, on shelves (cards, pages, CSV rows…), each
value under a name (a file, a page's address, a case) with the inputs it was made from.

The one rule: a kept value is used again only when it is asked for under the same name with equal
inputs. Whoever asks gives everything the value depends on as its inputs (a file: what stat() says
of it; a page: its template, its card, the fields of the cards it lists); anything else is made
again and replaces the value kept under that name. A shelf therefore holds at most one value per
name it was ever asked for, and nothing is stale by construction.

Pure functions keep functools caches instead (`fold`, `headings`, the territory reference and the
map's basemap shipped in the package, the compiled templates): what they read never changes while
the process runs, so they have nothing to invalidate.

The memory lives in the engine, not in the hooks: MkDocs may load the hook modules again with each
configuration, while this package stays imported. It imports nothing of the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()  # what `get` answers when nothing usable is kept


class Memory:
    """Values kept by shelf and name, each with the inputs it was made from."""

    def __init__(self) -> None:
        self._shelves: dict[str, dict[Hashable, tuple[object, Any]]] = {}

    def recall(self, shelf: str, name: Hashable, inputs: object, make: Callable[[], T],
               keep: Callable[[T], bool] | None = None) -> T:
        """The value kept under `name` if it was made from equal `inputs`; else `make()`, kept for next
        time (unless `keep` says this one must not be: it is then forgotten)."""
        value = self.get(shelf, name, inputs)
        if value is not MISSING:
            return value  # type: ignore[no-any-return]
        value = make()
        if keep is None or keep(value):
            self.put(shelf, name, inputs, value)
        else:
            self.drop(shelf, name)
        return value

    def get(self, shelf: str, name: Hashable, inputs: object) -> Any:
        """The value kept under `name` if it was made from equal `inputs`, else MISSING."""
        kept = self._shelves.get(shelf, {}).get(name)
        return kept[1] if kept is not None and (kept[0] is inputs or kept[0] == inputs) else MISSING

    def put(self, shelf: str, name: Hashable, inputs: object, value: object) -> None:
        self._shelves.setdefault(shelf, {})[name] = (inputs, value)

    def inputs_of(self, shelf: str, name: Hashable) -> Any:
        """What the value kept under `name` was made from (MISSING if none): for a value whose inputs
        are only known once it is made (the link targets a text asked about)."""
        kept = self._shelves.get(shelf, {}).get(name)
        return kept[0] if kept is not None else MISSING

    def drop(self, shelf: str, name: Hashable) -> None:
        self._shelves.get(shelf, {}).pop(name, None)

    def forget(self, shelf: str | None = None) -> None:
        """Empty one shelf, or the whole memory (tests; a fresh start)."""
        if shelf is None:
            self._shelves.clear()
        else:
            self._shelves.pop(shelf, None)

    def names(self, shelf: str) -> list[Hashable]:
        return list(self._shelves.get(shelf, {}))


# The one memory of the process.
MEMORY = Memory()
