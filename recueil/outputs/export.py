"""Open data: the bank as JSON and CSV, the CSV documented by a Table Schema, the recommendations as JSON.

The CSV columns are derived from the card JSON Schema (itself derived from the models): a nested
object becomes prefixed columns (territory_population), a list of ids becomes one cell of ids
separated by ';', a list of texts one cell of texts separated by ' | '. The Table Schema follows the
frictionless specification, with the metadata that schema.data.gouv.fr asks for, and documents
every column with its French title and the model's description.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from recueil import __version__
from recueil.addresses import (
    BANK_DATA,
    CASES_CSV,
    CASES_JSON,
    CASES_TABLE_SCHEMA,
    DATA_DIR,
    DATA_PAGE,
    FEED_PATH,
    FORM_SETTINGS_PATH,
    RECOMMENDATIONS_JSON,
    SCHEMA_FILES,
    case_uri,
    page_url,
    recommendation_uri,
    relative_url,
)
from recueil.bank.bank import Bank, Case
from recueil.bank.facets import bank_data
from recueil.bank.freshness import CONFIRM_AFTER_YEARS, TO_CONFIRM_LABEL
from recueil.cards.models import ONGOING_STATUSES
from recueil.cards.schema import json_schema, schema_text
from recueil.cards.structure import sections_of
from recueil.memory import MEMORY
from recueil.outputs.contribution import form_settings
from recueil.outputs.feed import atom_feed
from recueil.outputs.labels import FlatField, flat_fields
from recueil.site.environment import shared_environment
from recueil.site.territory_lookup import lookup_files_once

ID_SEPARATOR, TEXT_SEPARATOR, PART_SEPARATOR = ";", " | ", " — "
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LICENCE = {"name": "CC-BY-SA-4.0", "title": "Creative Commons Attribution - Partage dans les mêmes conditions 4.0",
           "path": "https://creativecommons.org/licenses/by-sa/4.0/deed.fr"}

Value = str | int | float | None


@dataclass(frozen=True)
class Column:
    """One CSV column: its Table Schema description and how to read its value from a case."""

    name: str
    title: str
    description: str
    type: str
    value: Callable[[Case, dict[str, Any]], Value]
    constraints: dict[str, Any] = field(default_factory=dict)
    example: Value = None

    def descriptor(self) -> dict[str, Any]:
        described: dict[str, Any] = {"name": self.name, "title": self.title, "description": self.description,
                                     "type": self.type}
        if self.type == "date":
            described["format"] = "%Y-%m-%d"
        if self.example is not None:
            described["example"] = self.example
        if self.constraints:
            described["constraints"] = self.constraints
        return described


def case_columns(bank: Bank, base_url: str = "") -> list[Column]:
    """Every column of cas.csv, in order: identity, the card fields, then what the engine derives."""
    schema = _case_schema(bank)
    slug = Column("slug", "Identifiant de la fiche",
                  "Nom du fichier de la fiche dans le dossier cases/, sans .md. Stable : il sert d'identifiant.",
                  "string", lambda case, _: case.slug, {"required": True, "unique": True,
                                                       "pattern": "[a-z0-9]+(-[a-z0-9]+)*"})
    return [slug, *map(_field_column, flat_fields(schema)), *_derived_columns(bank, base_url)]


def _case_schema(bank: Bank) -> dict[str, Any]:
    return json_schema("case", bank.taxonomy, [rec.slug for rec in bank.recommendations])


def _derived_columns(bank: Bank, base_url: str) -> list[Column]:
    strata = [stratum.id for stratum in bank.taxonomy.strata_with_unknown]
    axes = [axis.id for axis in bank.taxonomy.axes]
    return [
        Column("stratum", "Taille de territoire",
               "Strate de taille calculée à partir de la population (identifiant de la liste strata de taxonomies.yml).",
               "string", lambda case, _: case.stratum.id, {"required": True, "enum": strata}),
        Column("axes", "Axes du guide",
               "Axes des recommandations illustrées (A, B, C, D). Plusieurs valeurs séparées par « ; ».",
               "string", lambda case, _: ID_SEPARATOR.join(case.axes),
               {"required": True, "pattern": _id_list_pattern(axes)}),
        Column("url", "Adresse de la fiche", "Adresse de la page de la fiche sur le site.", "string",
               lambda case, _: case_url(case, base_url), {"required": True}),
        Column("status_to_confirm", "Avancement à confirmer", _to_confirm_description(bank), "boolean",
               lambda case, _: "true" if case.status_to_confirm else "false", {"required": True}),
    ]


def _to_confirm_description(bank: Bank) -> str:
    """What the column status_to_confirm says, from the rule itself (recueil/bank/freshness.py)."""
    ongoing = " ou ".join(f"« {bank.taxonomy.term('statuses', status).label.lower()} »"
                          for status in ONGOING_STATUSES if bank.taxonomy.has("statuses", status))
    return (f"true quand l'avancement est « {TO_CONFIRM_LABEL.lower()} » : la fiche dit l'action {ongoing} (status) "
            f"selon un document (status_source) daté de plus de {CONFIRM_AFTER_YEARS} ans le jour de la "
            "publication du fichier ; false sinon. Calculé, pas saisi.")


def _field_column(field: FlatField) -> Column:
    constraints: dict[str, Any] = {"required": True} if field.required else {}
    if field.is_list:
        return _list_column(field, constraints)
    kind = _scalar_type(field.prop)
    for keyword in ("minimum", "maximum", "enum") + (("minLength", "maxLength", "pattern") if kind == "string" else ()):
        if keyword in field.prop:
            value = field.prop[keyword]
            constraints[keyword] = value.removeprefix("^").removesuffix("$") if keyword == "pattern" else value
    getter = _getter(field.path)
    return Column("_".join(field.path), field.title, field.description, kind, lambda _, data: getter(data),
                  constraints, _first_example(field.prop))


def _list_column(field: FlatField, constraints: dict[str, Any]) -> Column:
    item = field.item or {}
    description = field.description
    join: Callable[[list[Any]], str]
    if field.parts:
        parts = field.parts
        description += (f" Un élément par valeur, séparés par « {TEXT_SEPARATOR.strip()} » ; dans chaque élément, "
                        + " puis ".join(field.part_title(part).lower() for part in parts)
                        + f", séparés par « {PART_SEPARATOR.strip()} ».")
        join = lambda values: TEXT_SEPARATOR.join(  # noqa: E731
            PART_SEPARATOR.join(str(element[part]) for part in parts if element.get(part) is not None)
            for element in values)
    elif "enum" in item:
        description += f" Plusieurs valeurs séparées par « {ID_SEPARATOR} »."
        constraints = {**constraints, "pattern": _id_list_pattern(item["enum"])}
        join = ID_SEPARATOR.join
    else:
        description += f" Plusieurs valeurs séparées par « {TEXT_SEPARATOR.strip()} »."
        join = TEXT_SEPARATOR.join
    getter = _getter(field.path)
    example = (field.prop.get("examples") or [None])[0]
    return Column("_".join(field.path), field.title, description, "string",
                  lambda _, data: join(getter(data) or []) or None, constraints,
                  join(example) if isinstance(example, list) and not field.parts else None)


def _id_list_pattern(ids: list[str]) -> str:
    one = "(" + "|".join(re.escape(value) for value in ids) + ")"
    return f"{one}({re.escape(ID_SEPARATOR)}{one})*"


def _scalar_type(prop: dict[str, Any]) -> str:
    if prop.get("format") == "date":
        return "date"
    return {"integer": "integer", "number": "number", "boolean": "boolean"}.get(prop.get("type", ""), "string")


def _first_example(prop: dict[str, Any]) -> Value:
    examples = prop.get("examples") or [None]
    return examples[0] if isinstance(examples[0], str | int | float) else None


def _getter(path: tuple[str, ...]) -> Callable[[dict[str, Any]], Any]:
    def get(data: dict[str, Any]) -> Any:
        value: Any = data
        for part in path:
            value = value.get(part) if isinstance(value, dict) else None
        return value
    return get


def case_url(case: Case, base_url: str) -> str:
    return base_url + page_url(case_uri(case.slug))


def _per_case(shelf: str, bank: Bank, context: Any, make: Callable[[Case], Any]) -> list[Any]:
    """A value made from each case card, kept while the card and what else it depends on (`context`,
    its size and axes) are the same: a `mkdocs serve` rebuild after one edit redoes one row, not a thousand."""
    return [MEMORY.recall(shelf, case.slug, (case.card, context, case.stratum.id, case.axes,
                                             case.status_to_confirm),
                          partial(make, case))
            for case in bank.cases]


def csv_text(bank: Bank, base_url: str) -> str:
    columns = case_columns(bank, base_url)

    def row(case: Case) -> list[Value]:
        data = case.meta.model_dump(mode="json")
        return [cell(column.value(case, data)) for column in columns]

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(column.name for column in columns)
    writer.writerows(_per_case("csv rows", bank, (base_url, tuple(column.name for column in columns)), row))
    return buffer.getvalue()


def cell(value: Value) -> Value:
    """A CSV cell that no spreadsheet runs: a text starting like a formula (=, +, -, @, tab, carriage
    return) is prefixed with an apostrophe, which spreadsheets show as text (OWASP's advice). The
    check refuses the plain cases (=SOMME…, @…); this covers what it lets through (-2+3+cmd|…)."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def table_schema(bank: Bank, base_url: str, repo_url: str = "") -> dict[str, Any]:
    """The frictionless Table Schema of cas.csv, with schema.data.gouv.fr's descriptive metadata."""
    newest = max((case.meta.last_verified for case in bank.cases), default=None)
    return {
        "$schema": "https://frictionlessdata.io/schemas/table-schema.json",
        "name": "recueil-fiches-experience",
        "title": "Fiches expérience du recueil DataCités",
        "description": "Ce que des territoires ont fait avec des données : une ligne par fiche expérience, "
                       "avec son territoire, ses thèmes, les recommandations du guide qu'elle illustre et ses sources.",
        "countryCode": "FR",
        "homepage": repo_url or base_url,
        "path": base_url + f"{DATA_DIR}/{CASES_TABLE_SCHEMA}",
        "resources": [{"title": "Fiches expérience (CSV)", "path": base_url + f"{DATA_DIR}/{CASES_CSV}"}],
        "lastModified": newest.isoformat() if newest else None,
        "version": __version__,
        "contributors": [{"title": "Contributeurs du recueil DataCités", "role": "author"}],
        "licenses": [LICENCE],
        "missingValues": [""],
        "primaryKey": "slug",
        "fields": [column.descriptor() for column in case_columns(bank, base_url)],
    }


def case_records(bank: Bank, base_url: str) -> list[dict[str, Any]]:
    """Every case with all its fields, what the engine derives, and its text cut into sections."""
    return _per_case("case records", bank, base_url, lambda case: {
        "slug": case.slug, "url": case_url(case, base_url), **case.meta.model_dump(mode="json"),
        "stratum": case.stratum.id, "axes": list(case.axes), "status_to_confirm": case.status_to_confirm,
        "sections": {title: text for title, text in sections_of(case.card.body) if title}})


def recommendation_records(bank: Bank, base_url: str) -> list[dict[str, Any]]:
    return [{"slug": rec.slug, "url": base_url + page_url(recommendation_uri(rec.slug)),
             **rec.meta.model_dump(mode="json"),
             "axis_label": bank.taxonomy.term("axes", rec.meta.axis).label,
             "cases": [case.slug for case in rec.cases],
             "sections": {title: text for title, text in sections_of(rec.card.body) if title}}
            for rec in bank.recommendations]


def _json(data: Any, compact: bool = False) -> str:
    """Indented for the files people read; compact (and ~3x faster: the C encoder) for the bank itself."""
    if compact:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def export_files(bank: Bank, base_url: str, repo_url: str = "", site_name: str = "Recueil") -> dict[str, str]:
    """Path in the site → text, for every open-data file and the feed."""
    licence = {"licence": LICENCE["path"], "version": __version__}
    return {
        f"{DATA_DIR}/{CASES_JSON}": _json({**licence, "count": len(bank.cases), "cases": case_records(bank, base_url)},
                                          compact=True),
        f"{DATA_DIR}/{CASES_CSV}": csv_text(bank, base_url),
        f"{DATA_DIR}/{CASES_TABLE_SCHEMA}": _json(table_schema(bank, base_url, repo_url)),
        f"{DATA_DIR}/{RECOMMENDATIONS_JSON}": _json({**licence, "count": len(bank.recommendations),
                                                     "recommendations": recommendation_records(bank, base_url)}),
        FEED_PATH: atom_feed(bank, base_url, site_name),
    }


TYPE_LABELS = {"string": "texte", "integer": "entier", "number": "nombre décimal", "date": "date (AAAA-MM-JJ)",
               "boolean": "oui/non"}


def data_page(bank: Bank, templates: Path | None = None) -> str:
    """The page « Données ouvertes »: the published files, and every column of the CSV."""
    return shared_environment(templates).get_template("data.md.j2").render(
        bank=bank, columns=case_columns(bank), types=TYPE_LABELS, licence=LICENCE, data_dir=DATA_DIR,
        files={"csv": CASES_CSV, "table_schema": CASES_TABLE_SCHEMA, "json": CASES_JSON,
               "recommendations": RECOMMENDATIONS_JSON},
        feed=FEED_PATH, schema=SCHEMA_FILES["case"], link=lambda target: relative_url(target, DATA_PAGE))


def published_files(bank: Bank, base_url: str, repo_url: str, branch: str, site_name: str) -> dict[str, str]:
    """Every file the build publishes besides the pages: exports, feed, card schemas, form settings,
    the bank page's data."""
    files = {**export_files(bank, base_url, repo_url, site_name), BANK_DATA: bank_data(bank)}
    recommendation_ids = [rec.slug for rec in bank.recommendations]  # in number order: the form lists them so
    for kind, path in SCHEMA_FILES.items():
        files[path] = schema_text(kind, bank.taxonomy, recommendation_ids)
    files[FORM_SETTINGS_PATH] = _json(form_settings(bank, repo_url, branch))
    files.update(lookup_files_once(bank))  # « Mon territoire »: the territory lookup (recueil/site/territory_lookup.py)
    return files


def write_exports(bank: Bank, out: Path, base_url: str, repo_url: str = "", site_name: str = "Recueil") -> list[Path]:
    written: list[Path] = []
    for relative, text in export_files(bank, base_url, repo_url, site_name).items():
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="")
        written.append(target)
    return written
