"""Split a card into its YAML front matter and Markdown body, keeping the line of every field.

PyYAML's composer gives each node its position; we build plain Python values from the nodes
ourselves so that we can refuse what a card never needs (aliases, duplicate keys, deep nesting)
before it costs anything, and so that every field keeps the line a message should point to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from recueil.cards.text import CONTROL_HINT, control_problem

FieldPath = tuple[str | int, ...]
MAX_DEPTH = 12
FENCES = ("---", "...")
MAX_FLOW_BRACKETS = 2_000
YAML_TAG = "tag:yaml.org,2002:"
STR_TAG, INT_TAG = YAML_TAG + "str", YAML_TAG + "int"
# What a card may hold: texts, numbers, true/false, nothing, dates, lists and groups of fields.
STANDARD_TAGS = frozenset(YAML_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map"))
LEADING_ZERO = re.compile(r"^[-+]?0[0-9]")


def _yaml12(loader: type[yaml.SafeLoader]) -> type[yaml.SafeLoader]:
    """The loader reading plain numbers and true/false as YAML 1.2 does: 012000 is not the octal 5120,
    12:30 not 750, `yes`, `on` and `no` are words. Dates (AAAA-MM-JJ) are still read as dates."""
    resolvers = {key: [(tag, regexp) for tag, regexp in value if tag.endswith("timestamp")]
                 for key, value in loader.yaml_implicit_resolvers.items()}
    patterns = {
        "bool": (r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
        "int": (r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
        "float": (r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                  r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", "-+.0123456789"),
        "null": (r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    }
    for name, (pattern, firsts) in patterns.items():
        for first in firsts:
            resolvers.setdefault(first, []).append((YAML_TAG + name, re.compile(pattern)))
    return type(f"Yaml12{loader.__name__}", (loader,), {"yaml_implicit_resolvers": resolvers})


PYTHON_LOADER = _yaml12(yaml.SafeLoader)
COMPOSER = _yaml12(getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml when available: ~10x faster


@dataclass
class FrontMatter:
    data: dict[str, Any]
    lines: dict[FieldPath, int]
    body: str
    body_line: int
    errors: list[tuple[int, str, str, str]] = field(default_factory=list)

    def line_of(self, path: FieldPath) -> int:
        """Line of a field, or of its nearest parent that the card has."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


class FrontMatterError(Exception):
    """The front matter cannot be read at all: one located message."""

    def __init__(self, line: int, message: str, hint: str, field: str = ""):
        super().__init__(message)
        self.line, self.message, self.hint, self.field = line, message, hint, field


def parse_card_text(text: str) -> FrontMatter:
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise FrontMatterError(1, "la fiche ne commence pas par un en-tête YAML",
                               "mettez une ligne --- en tête, les champs, puis une ligne ---")
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in FENCES), None)
    if end is None:
        raise FrontMatterError(1, "en-tête YAML non fermé",
                               "ajoutez une ligne --- après le dernier champ, avant le texte")
    yaml_text = "\n".join(lines[1:end])
    data, line_map, errors = _compose(yaml_text, first_line=2)
    body = "\n".join(lines[end + 1:])
    return FrontMatter(data, line_map, body, end + 2, errors)


def _compose(yaml_text: str, first_line: int) -> tuple[dict[str, Any], dict[FieldPath, int], list[Any]]:
    # libyaml composes nested [ and { by C recursion and crashes the process past ~20,000 levels:
    # a text with that many brackets goes to the Python composer, which raises RecursionError.
    deep = yaml_text.count("[") + yaml_text.count("{") > MAX_FLOW_BRACKETS
    try:
        node = yaml.compose(yaml_text, Loader=PYTHON_LOADER if deep else COMPOSER)
    except yaml.reader.ReaderError as error:  # a control character: said with its line, not "position 366"
        line = first_line + yaml_text.count("\n", 0, max(error.position, 0))
        raise FrontMatterError(line, control_problem(chr(error.character)), CONTROL_HINT) from None
    except yaml.MarkedYAMLError as error:
        raise _syntax_error(error, yaml_text, first_line) from None
    except yaml.YAMLError as error:
        raise FrontMatterError(first_line, f"YAML illisible : {error}", "vérifiez la syntaxe de l'en-tête") from None
    except RecursionError:
        raise FrontMatterError(first_line, "en-tête trop imbriqué",
                               "une fiche n'a que quelques niveaux de champs") from None
    if node is None:
        raise FrontMatterError(first_line - 1, "en-tête YAML vide",
                               "ajoutez les champs de la fiche entre les deux lignes ---")
    builder = _Builder(first_line)
    if not isinstance(node, yaml.MappingNode):
        raise FrontMatterError(first_line, "l'en-tête YAML doit être une liste de champs « clé: valeur »",
                               "écrivez par exemple  title: Mon titre")
    data = builder.build(node, ())
    return data, builder.lines, builder.errors


def _syntax_error(error: yaml.MarkedYAMLError, yaml_text: str, first_line: int) -> FrontMatterError:
    mark = error.problem_mark or error.context_mark
    index = mark.line if mark else 0
    line = first_line + index
    problem = (error.problem or "").strip()
    source_lines = yaml_text.split("\n")
    if "\t" in problem or (index < len(source_lines) and source_lines[index].lstrip(" ").startswith("\t")):
        return FrontMatterError(line, "tabulation dans l'en-tête YAML", "indentez avec des espaces, pas des tabulations")
    if "quoted scalar" in (error.context or "") and error.context_mark is not None:
        return FrontMatterError(first_line + error.context_mark.line, "guillemet non fermé",
                                "fermez les guillemets ouverts sur cette ligne")
    return FrontMatterError(line, f"syntaxe YAML invalide : {problem or error}",
                            "vérifiez l'indentation, les deux-points et les guillemets de cette ligne")


class _Builder:
    def __init__(self, first_line: int):
        self.first_line = first_line
        self.lines: dict[FieldPath, int] = {}
        self.errors: list[tuple[int, str, str, str]] = []
        self._seen: set[int] = set()
        self._scalars = yaml.SafeLoader("")

    def build(self, node: yaml.Node, path: FieldPath) -> Any:
        line = self.lines.setdefault(path, self.first_line + node.start_mark.line)
        if id(node) in self._seen:
            line = self.lines.get(path[:-1], line)
            raise FrontMatterError(line, "alias YAML (*nom) refusé", "recopiez la valeur au lieu d'utiliser & et *",
                                   _dotted(path))
        self._seen.add(id(node))
        if len(path) > MAX_DEPTH:
            raise FrontMatterError(line, "en-tête trop imbriqué", "une fiche n'a que quelques niveaux de champs",
                                   _dotted(path))
        if node.tag not in STANDARD_TAGS:  # !!binary, !!python/object…, !mine: nothing a card needs
            self.errors.append((line, _dotted(path), f"étiquette YAML {_shown_tag(node.tag)} refusée",
                                "écrivez la valeur seule, sans « ! » devant"))
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        if node.tag == STR_TAG:
            return node.value  # what the constructor would return, without its bookkeeping (most values)
        if node.tag == INT_TAG:
            return self._integer(node.value, line, path)
        try:
            return self._scalars.construct_object(node)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as error:
            reason = getattr(error, "problem", None) or str(error)
            self.errors.append((line, _dotted(path), f"valeur illisible : {node.value!r} ({reason})",
                                "vérifiez le format, par exemple une date AAAA-MM-JJ"))
            return None

    def _integer(self, text: str, line: int, path: FieldPath) -> int | None:
        """A YAML 1.2 integer; a leading zero is refused (YAML 1.1 tools read 012000 as the octal 5120)."""
        if LEADING_ZERO.match(text):
            self.errors.append((line, _dotted(path), f"nombre avec un zéro en tête : {text}",
                                f"écrivez {text.lstrip('+-').lstrip('0') or '0'} sans le zéro du début"))
            return None
        if text.startswith(("0o", "0x")):
            return int(text[2:], 8 if text[1] == "o" else 16)
        return int(text)

    def _mapping(self, node: yaml.MappingNode, path: FieldPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_line = self.first_line + key_node.start_mark.line
            if not isinstance(key_node, yaml.ScalarNode):
                raise FrontMatterError(key_line, "clé YAML invalide", "une clé est un simple mot suivi de deux-points")
            key = str(key_node.value)
            if key in result:
                self.errors.append((key_line, _dotted(path + (key,)), "clé en double",
                                    f"supprimez l'une des deux, la première est ligne {self.lines[path + (key,)]}"))
                continue
            self.lines[path + (key,)] = key_line
            result[key] = self.build(value_node, path + (key,))
        return result


def _shown_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(YAML_TAG) if tag.startswith(YAML_TAG) else tag


def _dotted(path: FieldPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


dotted = _dotted
