"""What a contributor fills in, derived from the card schema: the GitHub issue form and the site's form.

Both list the fields of the JSON Schema in the models' order, with the models' titles as labels,
their descriptions as help (or, where a description names the schema's own words, the reader's
text of `READER_HELP` in the models) and the vocabularies' labels for closed lists. The
committed issue form is checked against `issue_form()` by the tests, so it never drifts.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from recueil.addresses import GITHUB_ADDRESS_LIMIT, SCHEMA_FILES
from recueil.bank.bank import Bank
from recueil.cards.loading import slugify
from recueil.cards.models import CASE_SECTIONS, OPTIONAL_SECTIONS, READER_HELP, CaseCard, reader_help
from recueil.cards.schema import HINTS, field_titles, json_schema, skeleton
from recueil.outputs.labels import FlatField, choice_labels, flat_fields
from recueil.site.update_link import FILE_FIELD, PAGE_FIELD, UPDATE_FORM_FILE, UPDATE_TITLE_PREFIX

ISSUE_FORM_PATH = ".github/ISSUE_TEMPLATE/proposer-une-experience.yml"
UPDATE_FORM_PATH = f".github/ISSUE_TEMPLATE/{UPDATE_FORM_FILE}"
UPDATE_LABEL = "mise à jour"
CARD_TEMPLATE_PATH = ".github/modele-fiche.md"
ISSUE_LABEL = "proposition de fiche"
CONVERT_LABEL = "fiche"  # given by a maintainer: .github/workflows/fiche-depuis-ticket.yml makes the card
PART_SEPARATOR = " — "

INTRODUCTION = (
    "Merci de partager ce que votre territoire a fait avec des données ! Remplissez ce que vous savez :"
    " l'équipe du recueil relit la proposition. Quand elle lui donne l'étiquette « fiche », un robot en fait"
    " le fichier de la fiche, le vérifie et ouvre une demande de fusion qui vous cite ; s'il manque quelque"
    " chose, il répond ici par la liste des problèmes, champ par champ : modifiez la proposition et l'équipe"
    " relance la transformation.\n\n"
    "Écrivez avec vos mots, de façon neutre, des faits appuyés sur des sources publiques. Ne donnez aucune"
    " donnée personnelle (nom, téléphone ou adresse électronique d'une personne) : citez des organismes.\n\n"
    "Vous préférez un formulaire qui vérifie tout en direct et produit le fichier de la fiche ? Utilisez la page"
    " « Proposer une expérience » du site."
)
CONSENTS = (
    "Le texte est écrit avec mes mots (pas de copier-coller d'un document protégé).",
    "Les faits viennent des sources citées, et la proposition ne contient aucune donnée personnelle.",
    "J'accepte que ce texte soit publié sous licence Creative Commons BY-SA 4.0.",
)


def case_fields(bank: Bank) -> tuple[dict[str, Any], list[FlatField]]:
    schema = json_schema("case", bank.taxonomy, [rec.slug for rec in bank.recommendations])  # in number order
    return schema, flat_fields(schema)


def issue_form(bank: Bank) -> str:
    """The GitHub issue form « Proposer une expérience », one control per field of the schema."""
    return HEADER + _yaml(issue_form_data(bank))


HEADER = ("# Généré à partir du schéma des fiches par « recueil github-files » : ne pas modifier à la main.\n"
          "# Pour changer un champ, modifiez recueil/cards/models.py, puis relancez la commande.\n")


def _yaml(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_BlockDumper, allow_unicode=True, sort_keys=False, width=100_000)


def issue_form_data(bank: Bank) -> dict[str, Any]:
    """The issue form as data: `recueil from-issue` reads an issue's body with the same controls."""
    _, fields = case_fields(bank)
    choices = choice_labels(bank)
    body: list[dict[str, Any]] = [{"type": "markdown", "attributes": {"value": INTRODUCTION}}]
    body += [_issue_control(field, choices.get(field.dotted)) for field in fields]
    body += [_section_control(title) for title in CASE_SECTIONS]
    body.append({"type": "checkboxes", "id": "engagements",
                 "attributes": {"label": "Engagements", "options": [{"label": text, "required": True}
                                                                    for text in CONSENTS]}})
    form = {"name": "Proposer une expérience",
            "description": "Décrire ce qu'un territoire a fait avec des données, pour l'ajouter à la banque "
                           "d'expériences.",
            "title": "[Fiche] ", "labels": [ISSUE_LABEL], "body": body}
    return form


class _BlockDumper(yaml.SafeDumper):
    """Multi-line texts as YAML literal blocks, as a person would write them."""


_BlockDumper.add_representer(str, lambda dumper, text: dumper.represent_scalar(
    "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None))


def _issue_control(field: FlatField, labels: dict[str, str] | None) -> dict[str, Any]:
    attributes: dict[str, Any] = {"label": field.title, "description": _issue_help(field)}
    values = (field.item or {}).get("enum") if field.is_list else field.prop.get("enum")
    if values and labels is not None:
        kind = "dropdown"
        attributes["options"] = [f"{labels[value]} ({value})" for value in values]
        attributes["multiple"] = field.is_list
    elif field.is_list or field.prop.get("maxLength", 0) > 200:
        kind = "textarea"
    else:
        kind = "input"
        example = (field.prop.get("examples") or [None])[0]
        if isinstance(example, str | int | float):
            attributes["placeholder"] = str(example)
    return {"type": kind, "id": "_".join(field.path), "attributes": attributes,
            "validations": {"required": field.required}}


def _issue_help(field: FlatField) -> str:
    help_text = reader_help(field.dotted, field.description)
    if field.parts:
        parts = PART_SEPARATOR.join(field.part_title(part).lower() for part in field.parts)
        return f"{help_text} Une ligne par élément : {parts}."
    if field.is_list and "enum" not in (field.item or {}):
        return f"{help_text} Une valeur par ligne."
    return help_text


def _section_control(title: str) -> dict[str, Any]:
    return {"type": "textarea", "id": "section_" + slugify(title.replace("œ", "oe")).replace("-", "_"),
            "attributes": {"label": title, "description": HINTS.get(title, "").removeprefix("- ")},
            "validations": {"required": title not in OPTIONAL_SECTIONS}}


def _form_hint(title: str) -> str:
    hint = HINTS.get(title, "").removeprefix("- ")
    if title in OPTIONAL_SECTIONS:
        hint += " Laissé vide, il reprend la liste des sources."
    return hint


def card_template(bank: Bank) -> str:
    """The commented card that `recueil new case` writes, for contributors who copy it in GitHub's editor.

    Its date is left for the contributor to fill: a forgotten one is an error, not a false date.
    """
    text = skeleton("case", bank.taxonomy, "nom-de-la-fiche")
    return re.sub(r"^last_verified: .*$", "last_verified: AAAA-MM-JJ", text, count=1, flags=re.MULTILINE)


def update_form() -> str:
    """The issue form « Signaler une mise à jour », that the link of every card page opens, filled in."""
    form = {
        "name": "Signaler une mise à jour",
        "description": "Une fiche n'est plus à jour : dire ce qui a changé, et la source publique qui le dit.",
        "title": UPDATE_TITLE_PREFIX, "labels": [UPDATE_LABEL],
        "body": [
            {"type": "markdown", "attributes": {"value": (
                "Merci de signaler ce qui a changé ! Le lien « Signaler une mise à jour » d'une page de fiche remplit "
                "déjà la fiche concernée. Décrivez le changement avec vos mots et donnez la source publique qui le dit "
                "(page web, délibération, article) : l'équipe du recueil vérifie et met la fiche à jour.\n\n"
                "Ne donnez aucune donnée personnelle (nom, téléphone ou adresse électronique d'une personne).")}},
            {"type": "input", "id": PAGE_FIELD,
             "attributes": {"label": "Page de la fiche", "description": "L'adresse de la page de la fiche sur le site."},
             "validations": {"required": True}},
            {"type": "input", "id": FILE_FIELD,
             "attributes": {"label": "Fichier de la fiche", "description": "Son fichier dans le dépôt (cases/…)."},
             "validations": {"required": False}},
            {"type": "textarea", "id": "changement",
             "attributes": {"label": "Ce qui a changé", "description": (
                 "Par exemple : l'action est terminée, un nouveau chiffre est publié, l'adresse d'une source a changé."),
                 "placeholder": "Depuis mars 2026, le portail publie aussi…"},
             "validations": {"required": True}},
            {"type": "textarea", "id": "source",
             "attributes": {"label": "La source publique qui le dit", "description": (
                 "Le titre du document, son adresse web et sa date. Une source publique : pas un échange privé.")},
             "validations": {"required": True}},
        ]}
    return ("# Écrit par « recueil github-files » (update_form de recueil/outputs/contribution.py) : ne pas modifier"
            " à la main.\n" + _yaml(form))


def github_files(bank: Bank) -> dict[str, str]:
    """The files of .github/ derived from the schema, by path in the repository."""
    return {ISSUE_FORM_PATH: issue_form(bank), UPDATE_FORM_PATH: update_form(), CARD_TEMPLATE_PATH: card_template(bank)}


def form_settings(bank: Bank, repo_url: str, branch: str, cases_dir: str = "cases") -> dict[str, Any]:
    """What the site's form needs beside the JSON Schema: labels, sections, where to send the file."""
    return {
        "schema": SCHEMA_FILES["case"].rsplit("/", 1)[-1],
        "schemaComment": f"# yaml-language-server: $schema=../{SCHEMA_FILES['case']}",
        "repoUrl": repo_url.rstrip("/"),
        "branch": branch,
        "casesDir": cases_dir,
        "addressLimit": GITHUB_ADDRESS_LIMIT,
        "labels": field_titles(CaseCard),
        "help": READER_HELP,  # the help of a field, when its schema description names the schema's words
        "choices": choice_labels(bank),
        "sections": [{"title": title, "hint": _form_hint(title), "required": title not in OPTIONAL_SECTIONS}
                     for title in CASE_SECTIONS],
        "existingSlugs": sorted(case.slug for case in bank.cases),
    }
