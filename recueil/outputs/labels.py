"""The case fields as a table or a form shows them, and the French labels of their allowed values.

The models hold what a field is called (its title) and what it means (its description); the JSON
Schema carries both. The CSV export and its Table Schema, the data page, the GitHub issue form and
the form of the site list the fields through `flat_fields`, which reads them from that schema.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from recueil.bank.bank import Bank
from recueil.cards.schema import VOCABULARY_FIELDS

# Which vocabulary gives the labels of a field's values, by dotted path.
VOCABULARY_PATHS: dict[str, str] = {
    ("territory." if model == "Territory" else "") + field: vocabulary
    for (model, field), vocabulary in VOCABULARY_FIELDS.items() if model in ("CaseCard", "Territory")
}


def choice_labels(bank: Bank) -> dict[str, dict[str, str]]:
    """For each field with a closed list of values: value id → label shown to people."""
    taxonomy = bank.taxonomy
    labels = {path: {term_id: taxonomy.term(vocabulary, term_id).label for term_id in taxonomy.ids(vocabulary)}
              for path, vocabulary in VOCABULARY_PATHS.items()}
    labels["recommendations"] = {rec.slug: rec.meta.label for rec in bank.recommendations}
    return labels


@dataclass(frozen=True)
class FlatField:
    """A field of the card as a form or a table shows it: nested objects flattened to their leaves.

    `prop` is the JSON Schema of the value (an optional field's null alternative removed); for a
    list, `item` is the schema of one element, and `parts` the properties of an element that is
    an object (a source: title, url).
    """

    path: tuple[str, ...]
    prop: dict[str, Any]
    required: bool
    item: dict[str, Any] | None = None
    parts: tuple[str, ...] = ()

    @property
    def dotted(self) -> str:
        return ".".join(self.path)

    @property
    def title(self) -> str:
        return str(self.prop["title"])

    @property
    def description(self) -> str:
        return str(self.prop.get("description") or f"{self.title}.")

    @property
    def is_list(self) -> bool:
        return self.prop.get("type") == "array"

    def part_title(self, part: str) -> str:
        return str((self.item or {})["properties"][part]["title"])


def flat_fields(schema: dict[str, Any], node: dict[str, Any] | None = None, path: tuple[str, ...] = (),
                required: bool = True) -> list[FlatField]:
    """The leaves of a card JSON Schema, in the order of the models."""
    node = schema if node is None else node
    fields: list[FlatField] = []
    for name, raw in node["properties"].items():
        prop = non_null(raw)
        is_required = required and name in node.get("required", [])
        if "$ref" in prop:
            fields += flat_fields(schema, resolve(schema, prop), (*path, name), is_required)
            continue
        item = prop.get("items")
        if item is not None and "$ref" in item:
            item = resolve(schema, item)
        parts = tuple(item["properties"]) if item is not None and "properties" in item else ()
        fields.append(FlatField((*path, name), prop, is_required, item, parts))
    return fields


def non_null(prop: dict[str, Any]) -> dict[str, Any]:
    """An optional field is `anyOf: [X, null]` in the JSON Schema: X, with the field's annotations."""
    options = [option for option in prop.get("anyOf", []) if option.get("type") != "null"]
    if len(options) != 1:
        return prop
    return {**options[0], **{key: value for key, value in prop.items() if key != "anyOf"}}


def resolve(schema: dict[str, Any], prop: dict[str, Any]) -> dict[str, Any]:
    return dict(schema["$defs"][prop["$ref"].rsplit("/", 1)[-1]])
