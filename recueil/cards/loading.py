"""Read card files into validated models, collecting every problem instead of stopping at one."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar, overload

from pydantic import BaseModel, ValidationError

from recueil.cards.errors_fr import problems_from
from recueil.cards.frontmatter import FrontMatter, FrontMatterError, parse_card_text
from recueil.cards.models import CASE_SECTIONS, OPTIONAL_SECTIONS, RECOMMENDATION_SECTIONS, CaseCard, RecommendationCard
from recueil.cards.problems import Problem
from recueil.cards.structure import headings
from recueil.cards.suggest import fold
from recueil.cards.text import CONTROL_HINT, control_at, control_problem
from recueil.memory import MEMORY
from recueil.project import Project

MAX_CARD_BYTES = 256 * 1024
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")  # \Z: `$` would let a final newline through
NAMING: dict[Kind, str] = {
    "case": "nommez la fiche d'après son territoire et son action, par exemple niort-portail-donnees.md",
    "recommendation": "nommez la fiche d'après son titre, par exemple observer-les-usages.md",
}
INVISIBLE_IN_NAME = re.compile("[\x00-\x1f\x7f-\x9f\u00a0\u00ad\u061c\u180e\u2000-\u200f\u2028-\u202f"
                               "\u205f-\u206f\u3000\ufeff]")
RESERVED_NAMES = frozenset({"index"})  # cas/index.md and recommandations/index.md are generated lists

Kind = Literal["case", "recommendation"]
MODELS: dict[Kind, type[BaseModel]] = {"case": CaseCard, "recommendation": RecommendationCard}
SECTIONS: dict[Kind, tuple[str, ...]] = {"case": CASE_SECTIONS, "recommendation": RECOMMENDATION_SECTIONS}


M = TypeVar("M", bound=BaseModel)


@dataclass
class LoadedCard(Generic[M]):
    """A card that passed the schema: its model (`CaseCard` or `RecommendationCard`, as `MODELS` says
    for its kind), its body and where each field stands."""

    kind: Kind
    path: str
    slug: str
    meta: M
    body: str
    front: FrontMatter

    def line_of(self, *field: str | int) -> int:
        return self.front.line_of(tuple(field))


@dataclass
class ParsedCard:
    """A card whose front matter could be read, valid or not: cross checks run on every one."""

    kind: Kind
    path: str
    slug: str
    front: FrontMatter
    file: Path | None = None  # where it was read: links in its text are checked against the site's files
    root: Path | None = None  # the project it belongs to (load_folder): its docs/ and mkdocs.yml

    @property
    def data(self) -> dict[str, Any]:
        return self.front.data

    def line_of(self, *field: str | int) -> int:
        return self.front.line_of(tuple(field))


def card_files(folder: Path) -> list[Path]:
    """Every file of a card folder, hidden ones included: a stray .txt, .MD or .x.md is reported,
    never silently skipped (nor a card in a hidden folder silently published)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() or p.is_symlink())


def hidden_problem(file: Path, folder: Path, shown: str) -> Problem | None:
    """A file whose name, or one of whose folders, starts with a dot: tools hide it, so it is refused."""
    parts = file.relative_to(folder).parts
    hidden = next((part for part in parts[:-1] if part.startswith(".")), None)
    if hidden is not None:
        return Problem(shown, 1, "", f"fiche dans un dossier caché : {hidden}",
                       f"un dossier dont le nom commence par un point est masqué : déplacez la fiche dans "
                       f"{folder.name}/{file.name.lstrip('.')} ou retirez-la")
    if file.name.startswith("."):
        return Problem(shown, 1, "", "fichier caché : son nom commence par un point",
                       f"renommez-le {slugify(file.stem)}.md ou retirez-le du dossier")
    return None


@dataclass
class FolderLoad(Generic[M]):
    """What reading one card folder gave: valid cards, every parsed card, and the problems."""

    cards: list[LoadedCard[M]] = field(default_factory=list)
    parsed: list[ParsedCard] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@overload
def load_folder(project: Project, kind: Literal["case"]) -> FolderLoad[CaseCard]: ...
@overload
def load_folder(project: Project, kind: Literal["recommendation"]) -> FolderLoad[RecommendationCard]: ...
def load_folder(project: Project, kind: Kind) -> FolderLoad[Any]:
    """Every card of a folder; each valid one holds the model of its kind (`MODELS`), as the overloads say."""
    folder = project.cases if kind == "case" else project.recommendations
    result: FolderLoad[Any] = FolderLoad()
    for file in card_files(folder):
        hidden = hidden_problem(file, folder, project.display(file))
        if hidden is not None:
            result.problems.append(hidden)
            continue
        outcome = _load_card_once(file, kind, project.display(file))
        result.problems += outcome.problems
        if outcome.parsed is not None:
            result.parsed.append(replace(outcome.parsed, root=project.root))
        if outcome.card is not None:
            result.cards.append(outcome.card)
    return result


def _load_card_once(file: Path, kind: Kind, shown: str) -> CardLoad:
    """A valid card already read is kept by file and version (what stat() says): `mkdocs serve`
    rebuilds after every edit, and only the edited card is parsed and validated again."""
    try:
        info = file.stat()
    except OSError:
        return load_card(file, kind, shown)
    version = (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)
    return MEMORY.recall("cards", (str(file), kind, shown), version, lambda: load_card(file, kind, shown),
                         keep=_is_valid)


def _is_valid(outcome: CardLoad) -> bool:
    return outcome.card is not None and not outcome.problems  # a broken card's hints may depend on other files


@dataclass
class CardLoad:
    card: LoadedCard[Any] | None
    parsed: ParsedCard | None
    problems: list[Problem]


def load_card(file: Path, kind: Kind, shown: str) -> CardLoad:
    if file.is_symlink():  # it could point anywhere on the machine that builds the site
        return CardLoad(None, None, [Problem(shown, 1, "", "lien symbolique refusé",
                                             "une fiche est un vrai fichier du dépôt : remplacez le lien par la fiche")])
    slug, problems = _slug_of(file, kind, shown)
    text, read_problem = _read_text(file, shown)
    if read_problem:
        return CardLoad(None, None, problems + [read_problem])
    try:
        front = parse_card_text(text)
    except FrontMatterError as error:
        return CardLoad(None, None, problems + [Problem(shown, error.line, error.field, error.message, error.hint)])
    parsed = ParsedCard(kind, shown, slug, front, file)
    problems += [Problem(shown, line, field, message, hint) for line, field, message, hint in front.errors]
    problems += _section_problems(kind, front, shown)
    try:
        meta = MODELS[kind].model_validate(front.data)
    except ValidationError as error:
        already = {problem.field for problem in problems}
        schema_problems = problems_from(error, MODELS[kind], front, shown)
        return CardLoad(None, parsed, problems + [p for p in schema_problems if p.field not in already])
    card = LoadedCard(kind, shown, slug, meta, front.body, front) if not problems else None
    return CardLoad(card, parsed, problems)


def _slug_of(file: Path, kind: Kind, shown: str) -> tuple[str, list[Problem]]:
    if file.suffix != ".md":
        return file.stem, [Problem(shown, 1, "", "ce fichier n'est pas une fiche .md",
                                   f"renommez-le en {slugify(file.stem)}.md ou retirez-le du dossier")]
    invisible = INVISIBLE_IN_NAME.search(file.stem)
    if invisible:
        code = f"U+{ord(invisible.group()):04X}"
        kind_of = "de contrôle" if unicodedata.category(invisible.group()) == "Cc" else "invisible"
        return file.stem, [Problem(shown, 1, "", f"caractère {kind_of} {code} dans le nom du fichier",
                                   f"renommez-le {_free_name(file)}")]
    if not SLUG.match(file.stem):
        return file.stem, [Problem(shown, 1, "", "nom de fichier invalide",
                                   f"minuscules sans accent, chiffres et tirets : renommez-le {_free_name(file)}")]
    if file.stem in RESERVED_NAMES:
        return file.stem, [Problem(shown, 1, "", f"nom de fichier réservé : {file.name}",
                                   f"{file.name} est la page qui liste les fiches : {NAMING[kind]}")]
    return file.stem, []


def _free_name(file: Path) -> str:
    """The slug of a badly named file, numbered when a card already has that name ('Été.md' beside 'ete.md')."""
    base = slugify(file.stem)
    names = [f"{base}.md", *(f"{base}-{n}.md" for n in range(2, 100))]
    return next((name for name in names if not file.with_name(name).exists()), names[0])


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "fiche"


def _read_text(file: Path, shown: str) -> tuple[str, Problem | None]:
    size = file.stat().st_size
    if size > MAX_CARD_BYTES:
        return "", Problem(shown, 1, "", f"fiche trop volumineuse : {size // 1024} Kio",
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
                           "enregistrez-le en UTF-8 avec le menu « Enregistrer sous » de l'éditeur")
    if not text.strip():
        return "", Problem(shown, 1, "", "fichier vide", "partez du modèle : recueil new case <nom>")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if (found := control_at(text)) is not None:  # at its line in the file (YAML counts U+2028 as a line break)
        index, character = found
        return "", Problem(shown, text.count("\n", 0, index) + 1, "", control_problem(character), CONTROL_HINT)
    return text, None


def _section_problems(kind: Kind, front: FrontMatter, shown: str) -> list[Problem]:
    """Sections as the Markdown parser finds them: each expected one present, none twice, no text before."""
    problems = []
    first_line: dict[str, int] = {}
    for heading in (heading for heading in headings(front.body) if heading.level == 2):
        line = front.body_line + heading.line
        if fold(heading.title) in first_line:
            problems.append(Problem(shown, line, "texte", f"section « ## {heading.title} » en double",
                                    f"la première est ligne {first_line[fold(heading.title)]} : réunissez les deux"))
        first_line.setdefault(fold(heading.title), line)
    preface = _preface_line(front.body)
    if first_line and preface is not None:
        problems.append(Problem(shown, front.body_line + preface, "texte", "texte avant la première section",
                                f"commencez le texte par « ## {SECTIONS[kind][0]} » et mettez ce texte dans une section"))
    missing = [f"« ## {title} »" for title in SECTIONS[kind]
               if fold(title) not in first_line and title not in OPTIONAL_SECTIONS]
    if missing:
        problems.append(Problem(shown, front.body_line, "texte", "section(s) manquante(s) : " + ", ".join(missing),
                                "les sections attendues, dans l'ordre : "
                                + ", ".join(title + (" (facultative)" if title in OPTIONAL_SECTIONS else "")
                                            for title in SECTIONS[kind])))
    return problems


def _preface_line(body: str) -> int | None:
    """The first line of text before the first `## ` section (a level-1 heading is reported apart)."""
    found = headings(body)
    first = next((heading.line for heading in found if heading.level == 2), None)
    skipped = {line for heading in found if heading.level == 1 for line in range(heading.line, heading.end)}
    lines = body.split("\n")[:first]
    return next((offset for offset, line in enumerate(lines) if line.strip() and offset not in skipped), None)
