"""The MkDocs adapter of the recueil engine: the code of the hooks that mkdocs.yml lists (`hooks/*.py`, a line
each), importable from the installed package so that another site or a test fixture uses it without copying.

- `hooks.py`: the site (cards loaded, pages and files added, page transforms, the PDF);
- `serve.py`: `mkdocs serve` only, unchanged pages are not made again;
- `search.py`: the site search (Pagefind), fed page by page.

The engine, `recueil/`, never imports this package nor MkDocs.
"""

from __future__ import annotations

from pathlib import Path

# The files a site lists under `hooks:` in its mkdocs.yml (in its hooks/ folder), and the module each one names.
ENTRIES = {"recueil_hooks.py": "hooks", "recueil_serve.py": "serve", "recueil_search.py": "search"}


def entry_files() -> dict[str, str]:
    """The text of each entry file: one line importing the hook module of this package."""
    return {name: f"from recueil_mkdocs.{module} import *  # noqa: F403 (the code of these MkDocs hooks: "
                  f"recueil_mkdocs/{module}.py, installed with recueil)\n" for name, module in ENTRIES.items()}


def write_entries(folder: Path) -> None:
    """Write the entry files into `folder` (a site's hooks/), for a site or a test fixture that uses these hooks."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in entry_files().items():
        (folder / name).write_text(text, encoding="utf-8")
