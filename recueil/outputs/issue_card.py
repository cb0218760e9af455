"""A card from the body of an issue made with the « Proposer une expérience » issue form.

GitHub renders a form's answers as Markdown: for each control, `### Label`, a blank line, the value
(`_No response_` when empty); a dropdown gives its chosen options joined by ", "; checkboxes give
`- [X] label` or `- [ ] label`; a textarea gives its lines. The controls are read from
`issue_form_data`, the same data that writes the form, so the two never drift.

The body is untrusted: it only ever becomes YAML through `yaml.safe_dump` and Markdown sections, and
the card written goes through `load_bank`, the checks of `recueil check`. Every problem is returned
at once, named by the label of its field in the form, in French.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from recueil.addresses import SCHEMA_FILES
from recueil.bank.bank import Bank, load_bank
from recueil.cards.loading import SLUG, slugify
from recueil.cards.problems import CardErrors
from recueil.outputs.contribution import CONSENTS, PART_SEPARATOR, case_fields, issue_form_data
from recueil.outputs.labels import FlatField
from recueil.project import Project

NO_RESPONSE = "_No response_"
SLUG_LENGTH = 80  # as the site's form (recueil-form.js)
MAX_BODY_CHARS = 200_000  # GitHub keeps at most 65,536 characters in an issue's body
CHECKED = re.compile(r"^\s*[-*] \[[xX]\] (.*)$")
UNCHECKED = re.compile(r"^\s*[-*] \[ \] (.*)$")
BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
SPACES = re.compile(r"[\s\u00a0\u202f]+")


@dataclass(frozen=True)
class Control:
    """One control of the issue form: its label, kind, and what it fills in the card."""

    id: str
    kind: str  # input, textarea, dropdown, checkboxes
    label: str
    required: bool
    options: tuple[str, ...] = ()
    multiple: bool = False
    field: FlatField | None = None  # None for a text section and the consents
    section: str | None = None


@dataclass
class IssueCard:
    """What an issue's body gave: the card's file name and text, or the problems, by field label."""

    slug: str
    text: str
    problems: list[str]


def controls(bank: Bank) -> list[Control]:
    _, fields = case_fields(bank)
    by_id = {"_".join(field.path): field for field in fields}
    found = []
    for item in issue_form_data(bank)["body"]:
        if item["type"] == "markdown":
            continue
        attributes = item["attributes"]
        options = tuple(option if isinstance(option, str) else option["label"]
                        for option in attributes.get("options", []))
        label = attributes["label"]
        found.append(Control(item["id"], item["type"], label, item.get("validations", {}).get("required", False),
                             options, bool(attributes.get("multiple")), by_id.get(item["id"]),
                             label if item["id"].startswith("section_") else None))
    return found


def answers(body: str, form: list[Control]) -> tuple[dict[str, str], list[str]]:
    """The raw value of each control, by id, cut at the headings of the form's labels, in their order."""
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    starts: list[tuple[int, Control]] = []
    position = 0
    missing = []
    for control in form:
        heading = f"### {control.label}"
        index = next((i for i in range(position, len(lines)) if lines[i].rstrip() == heading), None)
        if index is None:
            missing.append(control.label)
            continue
        starts.append((index, control))
        position = index + 1
    values = {}
    for number, (index, control) in enumerate(starts):
        end = starts[number + 1][0] if number + 1 < len(starts) else len(lines)
        value = "\n".join(lines[index + 1:end]).strip("\n")
        values[control.id] = "" if value.strip() == NO_RESPONSE else value
    problems = [f"{label} : rubrique absente du ticket (le ticket doit être rempli avec le formulaire "
                "« Proposer une expérience », sans retirer de titre « ### »)" for label in missing]
    return values, problems


def card_from_issue(body: str, bank: Bank) -> IssueCard:
    """The card file an issue's body describes; problems instead when a value cannot be read."""
    if len(body) > MAX_BODY_CHARS:
        return IssueCard("", "", [f"Ticket : texte trop long ({len(body)} caractères, au plus {MAX_BODY_CHARS})"])
    form = controls(bank)
    values, problems = answers(body, form)
    data: dict[str, Any] = {}
    sections: list[tuple[str, str]] = []
    for control in form:
        raw = values.get(control.id, "")
        if control.kind == "checkboxes":
            problems += _consent_problems(control, raw)
            continue
        if not raw.strip():
            if control.required and control.id in values:
                problems.append(f"{control.label} : ce champ est obligatoire, il est vide")
            continue
        if control.section is not None:
            sections.append((control.section, raw.strip()))
            continue
        assert control.field is not None
        try:
            value = _value(control, raw)
        except ValueError as error:
            problems.append(f"{control.label} : {error}")
            continue
        _set(data, control.field.path, value)
    title = str(data.get("title", ""))
    slug = slugify(title)[:SLUG_LENGTH].rstrip("-") if title else ""
    if title and not SLUG.match(slug):
        problems.append(f"Titre : aucun nom de fichier ne peut en être tiré ({slug!r})")
    if problems:
        return IssueCard(slug, "", problems)
    return IssueCard(slug, card_text(data, sections), [])


def card_text(data: dict[str, Any], sections: list[tuple[str, str]]) -> str:
    front = yaml.dump(data, Dumper=_BlockDumper, allow_unicode=True, sort_keys=False, width=100_000,
                      default_flow_style=False)
    lines = ["---", f"# yaml-language-server: $schema=../{SCHEMA_FILES['case']}", front.rstrip("\n"), "---", ""]
    for title, text in sections:
        lines += [f"## {title}", "", text, ""]
    return "\n".join(lines)


class _BlockDumper(yaml.SafeDumper):
    """A summary of several lines as a YAML literal block, as a person would write it."""


_BlockDumper.add_representer(str, lambda dumper, text: dumper.represent_scalar(
    "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None))


def _consent_problems(control: Control, raw: str) -> list[str]:
    ticked = {match.group(1).strip() for line in raw.splitlines() if (match := CHECKED.match(line))}
    return [f"{control.label} : case non cochée « {text} » (les trois engagements sont nécessaires)"
            for text in CONSENTS if text not in ticked]


def _value(control: Control, raw: str) -> Any:
    field = control.field
    assert field is not None
    if control.kind == "dropdown":
        chosen = _options(control, raw)
        return chosen if control.multiple else chosen[0]
    if field.is_list:
        items = [BULLET.sub("", line).strip() for line in raw.splitlines()]
        items = [item for item in items if item]
        if field.parts:
            return [_parts(field, item) for item in items]
        return items
    text = raw.strip()
    if control.kind == "input" and "\n" in text:
        raise ValueError("une seule ligne est attendue")
    return _scalar(field.prop, text)


def _options(control: Control, raw: str) -> list[str]:
    """Dropdown options by label, « Label (id) », joined by ", ": the ids, in the order chosen."""
    rest = raw.strip()
    chosen = []
    while rest:
        option = next((option for option in sorted(control.options, key=len, reverse=True)
                       if rest == option or rest.startswith(option + ", ")), None)
        if option is None:
            raise ValueError(f"choix inconnu « {_short(rest)} » (choisissez dans la liste du formulaire)")
        chosen.append(option.rsplit("(", 1)[1].rstrip(")"))
        rest = rest[len(option):].removeprefix(", ")
    if len(chosen) > 1 and not control.multiple:
        raise ValueError("un seul choix est attendu")
    return chosen


def _parts(field: FlatField, line: str) -> dict[str, Any]:
    # « titre — adresse — date »; « titre —  — date » leaves a part out; « 2019–2021 » is not cut.
    pieces = [piece.strip() for piece in re.split(r"\s[—–](?=\s|$)", line)]
    if len(pieces) > len(field.parts):
        names = PART_SEPARATOR.join(field.part_title(part).lower() for part in field.parts)
        raise ValueError(f"« {_short(line)} » a trop de parties (attendu : {names})")
    item: dict[str, Any] = {}
    for part, piece in zip(field.parts, pieces, strict=False):
        if piece:
            item[part] = _scalar((field.item or {})["properties"][part], piece)
    return item


def _scalar(prop: dict[str, Any], text: str) -> Any:
    kinds = {option.get("type") for option in prop.get("anyOf", [prop])}
    if "integer" in kinds:
        number = SPACES.sub("", text)
        if not re.fullmatch(r"-?\d+", number):
            raise ValueError(f"« {_short(text)} » n'est pas un nombre entier")
        return int(number)
    if prop.get("format") == "date":  # a date, not a text: YAML writes it bare, and check reads it as a date
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text  # the schema says what is wrong with it
    if "number" in kinds:
        number = SPACES.sub("", text).replace(",", ".")
        try:
            return float(number)
        except ValueError:
            raise ValueError(f"« {_short(text)} » n'est pas un nombre") from None
    return text


def _set(target: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for name in path[:-1]:
        target = target.setdefault(name, {})
    target[path[-1]] = value


def _short(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= 80 else line[:79] + "…"


def write_checked_card(project: Project, body: str) -> tuple[Path | None, list[str]]:
    """Write the card of an issue in cases/ if `recueil check` accepts it; otherwise its problems, by field."""
    bank = load_bank(project)
    made = card_from_issue(body, bank)
    if made.problems:
        return None, made.problems
    target = project.cases / f"{made.slug}.md"
    if target.exists():
        return None, [f"Titre : une fiche porte déjà le nom {target.name} (précisez le titre)"]
    target.write_text(made.text, encoding="utf-8")
    try:
        load_bank(project)
    except CardErrors as failure:
        target.unlink()
        labels = _labels(bank)
        shown = project.display(target)
        return None, [_by_label(problem.field, problem.message, problem.hint, labels)
                      for problem in failure.problems if problem.is_error and problem.path == shown] or [
            "Fiche : d'autres fiches du recueil ont des erreurs, la vérification n'a pas pu aboutir"]
    return target, []


def _labels(bank: Bank) -> dict[str, str]:
    _, fields = case_fields(bank)
    return {field.dotted: field.title for field in fields}


def _by_label(field: str, message: str, hint: str, labels: dict[str, str]) -> str:
    parts = re.sub(r"\[\d+\]|\.\d+(?=\.|$)", "", field).split(".")
    name = next((labels[".".join(parts[:end])] for end in range(len(parts), 0, -1)
                 if ".".join(parts[:end]) in labels), "")
    where = f"{name} ({field})" if name else (field or "Fiche")
    return f"{where} : {message}" + (f" ({hint})" if hint else "")
