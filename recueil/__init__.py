"""Recueil: turns one Markdown card per case or recommendation into a cross-linked guide.

The package knows nothing of MkDocs: `recueil_mkdocs` (the hooks `mkdocs.yml` lists as `hooks/*.py`)
adapts it to MkDocs events, and
`recueil render` writes the same pages to disk for engines that run no hooks.
"""

__version__ = "0.1.0"
