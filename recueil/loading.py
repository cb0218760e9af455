"""Read card files into validated models, collecting every problem instead of stopping at one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ValidationError

from .errors_fr import problems_from
from .frontmatter import FrontMatter, FrontMatterError, parse_card_text
from .models import CASE_SECTIONS, RECOMMENDATION_SECTIONS, CaseCard, RecommendationCard
from .problems import Problem
from .project import Project
from .suggest import fold

MAX_CARD_BYTES = 256 * 1024
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HEADING = re.compile(r"^##\s+(.+?)\s*#*\s*$", re.MULTILINE)

Kind = Literal["case", "recommendation"]
MODELS: dict[Kind, type[BaseModel]] = {"case": CaseCard, "recommendation": RecommendationCard}
SECTIONS: dict[Kind, tuple[str, ...]] = {"case": CASE_SECTIONS, "recommendation": RECOMMENDATION_SECTIONS}


@dataclass
class LoadedCard:
    """A card that passed the schema: its model, its body and where each field stands."""

    kind: Kind
    path: str
    slug: str
    meta: BaseModel
    body: str
    front: FrontMatter

    def line_of(self, *field: str | int) -> int:
        return self.front.line_of(tuple(field))


def card_files(folder: Path) -> list[Path]:
    """Every file of a card folder: a stray .txt or .MD is reported, never silently skipped."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))


def load_folder(project: Project, kind: Kind) -> tuple[list[LoadedCard], list[Problem]]:
    folder = project.cases if kind == "case" else project.recommendations
    cards: list[LoadedCard] = []
    problems: list[Problem] = []
    for file in card_files(folder):
        card, found = load_card(file, kind, project.display(file))
        problems += found
        if card is not None:
            cards.append(card)
    return cards, problems


def load_card(file: Path, kind: Kind, shown: str) -> tuple[LoadedCard | None, list[Problem]]:
    slug, problems = _slug_of(file, shown)
    text, read_problem = _read_text(file, shown)
    if read_problem:
        return None, problems + [read_problem]
    try:
        front = parse_card_text(text)
    except FrontMatterError as error:
        return None, problems + [Problem(shown, error.line, error.field, error.message, error.hint)]
    problems += [Problem(shown, line, field, message, hint) for line, field, message, hint in front.errors]
    problems += _section_problems(kind, front, shown)
    try:
        meta = MODELS[kind].model_validate(front.data)
    except ValidationError as error:
        return None, problems + problems_from(error, MODELS[kind], front, shown)
    if problems:
        return None, problems
    return LoadedCard(kind, shown, slug, meta, front.body, front), problems


def _slug_of(file: Path, shown: str) -> tuple[str, list[Problem]]:
    if file.suffix != ".md":
        return file.stem, [Problem(shown, 1, "", "ce fichier n'est pas une fiche .md",
                                   f"renommez-le en {slugify(file.stem)}.md ou retirez-le du dossier")]
    if not SLUG.match(file.stem):
        return file.stem, [Problem(shown, 1, "", "nom de fichier invalide",
                                   f"minuscules sans accent, chiffres et tirets : renommez-le {slugify(file.stem)}.md")]
    return file.stem, []


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "fiche"


def _read_text(file: Path, shown: str) -> tuple[str, Problem | None]:
    size = file.stat().st_size
    if size > MAX_CARD_BYTES:
        return "", Problem(shown, 1, "", f"fiche trop volumineuse ({size // 1024} Kio)",
                           f"une fiche fait au plus {MAX_CARD_BYTES // 1024} Kio : résumez, et mettez les documents en lien")
    raw = file.read_bytes()
    if b"\x00" in raw:
        return "", Problem(shown, 1, "", "fichier binaire, pas un texte",
                           "une fiche est un fichier texte Markdown enregistré en UTF-8")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return "", Problem(shown, line, "", "le fichier n'est pas encodé en UTF-8",
                           "enregistrez-le en UTF-8 (menu « Enregistrer sous » de l'éditeur)")
    if not text.strip():
        return "", Problem(shown, 1, "", "fichier vide", "partez du modèle : recueil new case <nom>")
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def _section_problems(kind: Kind, front: FrontMatter, shown: str) -> list[Problem]:
    found = {fold(title): title for title in HEADING.findall(front.body)}
    missing = [title for title in SECTIONS[kind] if fold(title) not in found]
    return [Problem(shown, front.body_line, "texte", f"section « ## {title} » manquante",
                    "les sections attendues, dans l'ordre : " + ", ".join(SECTIONS[kind]))
            for title in missing]


def sections_of(body: str) -> list[tuple[str, str]]:
    """The body cut at its `## ` headings: [(title, markdown), …], text before the first kept as ''."""
    parts = HEADING.split(body)
    sections = [("", parts[0].strip())] if parts[0].strip() else []
    sections += [(parts[i].strip(), parts[i + 1].strip()) for i in range(1, len(parts) - 1, 2)]
    return sections
