"""What derives from the models: JSON Schema for editors, card skeletons."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from recueil.addresses import SCHEMA_FILES
from recueil.cards.models import CASE_SECTIONS, OPTIONAL_SECTIONS, RECOMMENDATION_SECTIONS, CaseCard, RecommendationCard
from recueil.cards.taxonomy import Taxonomy

MODELS: dict[str, type[BaseModel]] = {"case": CaseCard, "recommendation": RecommendationCard}
SECTIONS = {"case": CASE_SECTIONS, "recommendation": RECOMMENDATION_SECTIONS}

# Which vocabulary constrains which field: the JSON Schema lists the allowed ids as enums.
VOCABULARY_FIELDS = {
    ("CaseCard", "themes"): "themes", ("CaseCard", "programme"): "programmes", ("CaseCard", "status"): "statuses",
    ("Territory", "kind"): "territory_kinds", ("RecommendationCard", "axis"): "axes",
}


# Fields the skeleton shows commented out with their example: a card names a commune (insee) or an
# intercommunalité (siren), never both, so the skeleton gives the first and shows the second.
SKELETON_ALTERNATIVES = {("Territory", "siren")}


def json_schema(kind: str, taxonomy: Taxonomy, recommendation_ids: list[str] | None = None) -> dict[str, Any]:
    schema = MODELS[kind].model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    definitions = schema.get("$defs", {})
    for (model_name, field), vocabulary in VOCABULARY_FIELDS.items():
        target = schema if model_name == MODELS[kind].__name__ else definitions.get(model_name)
        if target is None:
            continue
        _constrain(target["properties"][field], taxonomy.ids(vocabulary))
    if kind == "case" and recommendation_ids:
        _constrain(schema["properties"]["recommendations"], recommendation_ids)
    return schema


def _constrain(prop: dict[str, Any], ids: list[str]) -> None:
    if prop.get("type") == "array":
        prop["items"] = {"type": "string", "enum": ids}
    elif "anyOf" in prop:
        prop["anyOf"] = [{"type": "string", "enum": ids}, {"type": "null"}]
    else:
        prop["enum"] = ids


def field_titles(model: type[BaseModel], prefix: str = "") -> dict[str, str]:
    """The title of every field of a model, nested ones included, by dotted path ("territory.population",
    "sources.url" for every item of the list): the labels of the forms."""
    titles: dict[str, str] = {}
    for name, info in model.model_fields.items():
        if info.title is None:
            raise ValueError(f"{model.__name__}.{name}: give the field a title (Field(title=...)) in the models")
        titles[prefix + name] = info.title
        nested = _nested_model(info)
        if nested is not None:
            titles.update(field_titles(nested, f"{prefix}{name}."))
    return titles


def schema_text(kind: str, taxonomy: Taxonomy, recommendation_ids: list[str] | None = None) -> str:
    return json.dumps(json_schema(kind, taxonomy, recommendation_ids), ensure_ascii=False, indent=2) + "\n"


def skeleton(kind: str, taxonomy: Taxonomy, slug: str) -> str:
    """A new card with every field, its explanation as a comment and an example value."""
    model = MODELS[kind]
    lines = _fields_yaml(model, taxonomy, indent="", slug=slug)
    body = "\n".join(f"## {title}\n\n{_section_hint(kind, title)}\n" for title in SECTIONS[kind])
    return "---\n" + f"# yaml-language-server: $schema=../{SCHEMA_FILES[kind]}\n" + "\n".join(lines) + "\n---\n\n" + body


def _fields_yaml(model: type[BaseModel], taxonomy: Taxonomy, indent: str, slug: str) -> list[str]:
    lines: list[str] = []
    for name, info in model.model_fields.items():
        lines.append(f"{indent}# {info.description or name}{_requirement(info)}{_choices(model, name, taxonomy)}")
        nested = _nested_model(info)
        if nested is not None and _is_list(info):
            lines.append(f"{indent}{name}:")
            sub = _fields_yaml(nested, taxonomy, indent + "    ", slug)
            first = sub.index(next(line for line in sub if not line.strip().startswith("#")))
            sub[first] = indent + "  - " + sub[first].strip()
            lines += sub
        elif nested is not None:
            lines.append(f"{indent}{name}:")
            lines += _fields_yaml(nested, taxonomy, indent + "  ", slug)
        elif (model.__name__, name) in SKELETON_ALTERNATIVES:
            lines.append(f"{indent}# {name}: {_example(name, info, slug)}")
        elif info.is_required() or info.examples or _is_list(info):
            lines.append(f"{indent}{name}: {_example(name, info, slug)}")
        else:
            lines.append(f"{indent}# {name}:")
    return lines


def _requirement(info: FieldInfo) -> str:
    return " (obligatoire)" if info.is_required() else " (facultatif : supprimez la ligne si inconnu)"


def _choices(model: type[BaseModel], name: str, taxonomy: Taxonomy) -> str:
    vocabulary = VOCABULARY_FIELDS.get((model.__name__, name))
    return f" Valeurs : {', '.join(taxonomy.ids(vocabulary))}." if vocabulary else ""


def _example(name: str, info: FieldInfo, slug: str) -> str:
    if name == "id":
        return slug
    if name == "last_verified":
        return dt.date.today().isoformat()
    value = info.examples[0] if info.examples else ("…" if not _is_list(info) else ["…"])
    dumped = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000)
    return dumped.strip().removesuffix("\n...").strip()


def _nested_model(info: FieldInfo) -> type[BaseModel] | None:
    candidates = [info.annotation, *getattr(info.annotation, "__args__", ())]
    for candidate in candidates:
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _is_list(info: FieldInfo) -> bool:
    return getattr(info.annotation, "__origin__", None) is list


def _section_hint(kind: str, title: str) -> str:
    hint = HINTS.get(title, "À rédiger avec vos mots, à partir des sources citées.")
    return hint + ("\n\n(Section facultative : supprimez-la s'il n'y a rien à ajouter aux sources.)"
                   if title in OPTIONAL_SECTIONS else "")


HINTS = {
    "Contexte": "La situation de départ : le territoire, le problème à résoudre, en quelques phrases.",
    "Action mise en œuvre": "Ce qui a été fait, avec quelles données, par qui.",
    "Résultats et perspectives": "Ce qui en est sorti (chiffres si la source en donne) et la suite prévue.",
    "En savoir plus": "- Liens vers les documents publics du projet.",
    "Constats et enjeux": "Ce que constatent les acteurs, et pourquoi c'est un enjeu.",
    "Approche et méthode": "Comment s'y prendre.",
}
