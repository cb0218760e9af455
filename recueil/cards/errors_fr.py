"""Pydantic's validation errors, said in French with a fix, at the line of the field."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from recueil.cards.frontmatter import FieldPath, FrontMatter, dotted
from recueil.cards.problems import Problem
from recueil.cards.suggest import did_you_mean

INTEGER_HINT = "écrivez un nombre entier sans espace ni point, par exemple 12500"
DATE_HINT = "écrivez la date au format AAAA-MM-JJ, par exemple 2026-11-22"
LIST_HINT = "écrivez [a, b] ou une ligne « - valeur » par élément"

MESSAGES: dict[str, tuple[str, str]] = {
    "missing": ("champ obligatoire manquant", "ajoutez la ligne « {name}: … »"),
    "int_type": ("doit être un nombre entier", INTEGER_HINT),
    "int_parsing": ("doit être un nombre entier", INTEGER_HINT),
    "int_from_float": ("doit être un nombre entier", INTEGER_HINT),
    "float_type": ("doit être un nombre", "écrivez un nombre décimal avec un point, par exemple 46.32"),
    "float_parsing": ("doit être un nombre", "écrivez un nombre décimal avec un point, par exemple 46.32"),
    "finite_number": ("doit être un nombre", "écrivez un nombre en chiffres : .nan et .inf ne sont pas des nombres"),
    "string_type": ("doit être un texte", "mettez la valeur entre guillemets"),
    "string_too_short": ("ne doit pas être vide", "écrivez une valeur ou supprimez la ligne si le champ est facultatif"),
    "string_too_long": ("texte trop long", "{max_length} caractères au plus"),
    "list_type": ("doit être une liste", LIST_HINT),
    "too_short": ("liste trop courte", "il faut au moins {min_length} élément(s)"),
    "too_long": ("liste trop longue", "{max_length} éléments au plus"),
    "date_type": ("date invalide", DATE_HINT),
    "date_parsing": ("date invalide", DATE_HINT),
    "date_from_datetime_parsing": ("date invalide", DATE_HINT),
    "date_from_datetime_inexact": ("date invalide", DATE_HINT),
    "greater_than_equal": ("valeur trop petite", "elle doit être au moins {ge}"),
    "less_than_equal": ("valeur trop grande", "elle doit être au plus {le}"),
    "model_type": ("doit être un groupe de champs", "indentez les sous-champs sous ce champ"),
    "model_attributes_type": ("doit être un groupe de champs", "indentez les sous-champs sous ce champ"),
    "dict_type": ("doit être un groupe de champs", "indentez les sous-champs sous ce champ"),
    "literal_error": ("valeur inconnue", "valeurs possibles : {expected}"),
    "bool_type": ("doit être vrai ou faux", "écrivez true ou false"),
}

PATTERN_MESSAGES = {
    "url": ("adresse web invalide", "elle doit commencer par https:// ou http:// et ne contenir aucun espace"),
    "insee": ("code Insee invalide", "5 caractères pour une commune, par exemple \"79191\" ; "
                                     "pour une intercommunalité, donnez son SIREN dans siren"),
    "siren": ("SIREN invalide", "9 chiffres pour une intercommunalité, par exemple \"200041317\""),
    "id": ("identifiant invalide", "minuscules sans accent, chiffres et tirets, par exemple observer-les-usages"),
}


def problems_from(error: ValidationError, model: type[BaseModel], front: FrontMatter, path: str) -> list[Problem]:
    problems = [_problem(item, model, front, path) for item in error.errors(include_url=False)]
    return [p for p in problems if not _explained_by_misspelling(p, problems)]


def _explained_by_misspelling(problem: Problem, problems: list[Problem]) -> bool:
    """'yaer: clé inconnue (vouliez-vous dire 'year' ?)' already says that 'year' is missing."""
    if problem.message != MESSAGES["missing"][0]:
        return False
    parent, _, name = problem.field.rpartition(".")
    return any(other.message == "clé inconnue" and other.hint == f"vouliez-vous dire '{name}' ?"
               and other.field.rpartition(".")[0] == parent for other in problems)


def _problem(item: Any, model: type[BaseModel], front: FrontMatter, path: str) -> Problem:
    loc: FieldPath = tuple(part for part in item["loc"] if isinstance(part, (str, int)))
    kind = item["type"]
    ctx = {k: v for k, v in (item.get("ctx") or {}).items()}
    if kind == "literal_error":  # pydantic lists the choices in English: 'a', 'b' or 'c'
        ctx["expected"] = str(ctx.get("expected", "")).replace("' or '", "' ou '")
    if kind == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
        return Problem(path, front.line_of(loc), dotted(loc), "clé inconnue", did_you_mean(str(loc[-1]), allowed))
    name = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
    if kind == "string_pattern_mismatch":
        message, hint = PATTERN_MESSAGES.get(name, ("format invalide", "vérifiez la valeur"))
    else:
        message, hint = MESSAGES.get(kind, (item["msg"], ""))
        hint = hint.format(name=name, **ctx) if hint else ""
    line = front.line_of(loc) if kind != "missing" else front.line_of(loc[:-1])
    return Problem(path, line, dotted(loc), message, hint)


def _fields_at(model: type[BaseModel], loc: FieldPath) -> list[str]:
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part)
        current = _model_of(info.annotation) if info else None
        if current is None:
            return []
    return list(current.model_fields)


def _model_of(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_of(arg)
        if found is not None:
            return found
    return None
