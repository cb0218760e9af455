"""Where a recueil keeps its cards, vocabularies and template overrides."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class Project:
    root: Path
    cases_dir: str = "cases"
    recommendations_dir: str = "recommendations"
    taxonomy_file: str = "taxonomies.yml"
    templates_dir: str = "templates"

    def __post_init__(self) -> None:
        # Absolute: `mkdocs build -f mkdocs.yml` gives a relative config path, and a card's links
        # to docs/ are checked from its file's full path.
        object.__setattr__(self, "root", self.root.absolute())

    @property
    def cases(self) -> Path:
        return self.root / self.cases_dir

    @property
    def recommendations(self) -> Path:
        return self.root / self.recommendations_dir

    @property
    def taxonomy(self) -> Path:
        return self.root / self.taxonomy_file

    @property
    def templates(self) -> Path:
        return self.root / self.templates_dir

    def display(self, path: Path) -> str:
        """The path as a contributor sees it in the repository."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


class _PlainLoader(yaml.SafeLoader):
    """YAML read as plain data: mkdocs.yml may hold !ENV or !!python/name tags, which are not for the engine."""


_PlainLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def plain_yaml(text: str) -> Any:
    """A YAML text (a site's mkdocs.yml) as plain data, its tags read as nothing; raises yaml.YAMLError."""
    return yaml.load(text, Loader=_PlainLoader)  # noqa: S506 (a SafeLoader)
