"""The one Jinja environment of the engine: its template folder, filters and globals.

Every page, home-page block, data page and the PDF booklet are rendered from it; a site
overrides any template by putting a file of the same name in its own `templates/` folder.
Autoescaping is on: fields reach HTML blocks escaped, Markdown never reinterprets them.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jinja2 import (
    BytecodeCache,
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    select_autoescape,
)
from jinja2.bccache import Bucket
from markupsafe import Markup, escape

from recueil import addresses
from recueil.bank.bank import Case
from recueil.bank.freshness import CONFIRM_AFTER_YEARS, TO_CONFIRM_LABEL
from recueil.cards.models import MULTI_TERRITORY, Source
from recueil.cards.taxonomy import Stratum
from recueil.memory import MEMORY
from recueil.site.dates import partial_date
from recueil.site.france_map import FranceMap, layout_france_map

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


def thousands(value: int | None) -> str:
    """12345 → '12 345' (narrow no-break space, as French typography wants)."""
    return "" if value is None else f"{value:,}".replace(",", "\u202f")


QUOTED_TITLE = re.compile(r"«\s*(.+?)\s*»")


def source_title(source: Source) -> Markup:
    """A source's title as HTML, marked in the document's language when the card gives one
    (`Source.lang`): the part between « » if there is one (the document's own title, amid the French
    of the publisher and date), else the whole title."""
    if not source.lang:
        return escape(source.title)
    quoted = QUOTED_TITLE.search(source.title)
    start, end = quoted.span(1) if quoted else (0, len(source.title))
    title = source.title
    return Markup("{}<span lang=\"{}\">{}</span>{}").format(title[:start], source.lang, title[start:end], title[end:])


def shared_environment(overrides: Path | None) -> Environment:
    """One Jinja environment per template folder, kept between rebuilds (it reloads edited templates)."""
    key = (str(overrides), overrides is not None and overrides.is_dir())
    return MEMORY.recall("jinja environments", key, None, lambda: make_environment(overrides))


def _france_map_once(cases: Sequence[Case], strata: Sequence[Stratum] = ()) -> FranceMap:
    """The map page and the bank page draw the same map of the same cases: lay it out once."""
    return MEMORY.recall("france map", None, (cases, strata), lambda: layout_france_map(cases, strata))


# Not printable for YAML (C0/C1 controls, DEL, BOM, surrogates, non-characters) or read as a line
# break inside quotes (NEL, LS, PS): escaped as \\uXXXX.
YAML_UNSAFE = re.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\u2028\\u2029\\ufeff\\ud800-\\udfff\\ufffe\\uffff]")


def yaml_scalar(text: object) -> Markup:
    """A string as one YAML scalar for a page's front matter (YAML quoting, not HTML escaping)."""
    # A JSON string is a YAML double-quoted scalar, once the characters YAML reads as line
    # breaks or refuses are escaped too; json is ~50x faster than yaml's emitter, twice per page.
    quoted = json.dumps(str(text), ensure_ascii=False)
    return Markup(YAML_UNSAFE.sub(lambda found: f"\\u{ord(found.group()):04x}", quoted))


def yaml_value(value: object) -> Markup:
    """Lists and mappings of strings as one YAML flow value (JSON is YAML), escaped like `yaml_scalar`."""
    dumped = json.dumps(value, ensure_ascii=False)
    return Markup(YAML_UNSAFE.sub(lambda found: f"\\u{ord(found.group()):04x}", dumped))


def make_environment(overrides: Path | None = None) -> Environment:
    loaders: list[Any] = [PackageLoader("recueil.site", "templates")]
    if overrides is not None and overrides.is_dir():
        loaders.insert(0, FileSystemLoader(overrides))
    env = Environment(loader=ChoiceLoader(loaders), autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      bytecode_cache=compiled_templates())
    env.filters["thousands"] = thousands
    env.filters["source_title"] = source_title
    env.filters["partial_date"] = partial_date
    env.filters["yaml_str"] = yaml_scalar
    env.filters["yaml_value"] = yaml_value
    env.globals.update(case_uri=addresses.case_uri, recommendation_uri=addresses.recommendation_uri,
                       axis_uri=addresses.axis_uri, theme_uri=addresses.theme_uri, stratum_uri=addresses.stratum_uri,
                       BANK_URI=addresses.BANK_URI, RECOMMENDATIONS_URI=addresses.RECOMMENDATIONS_URI,
                       THEMES_URI=addresses.THEMES_URI, STRATA_URI=addresses.STRATA_URI,
                       SEARCH_URI=addresses.SEARCH_URI, MAP_URI=addresses.MAP_URI,
                       TERRITORY_INDEX=addresses.TERRITORY_INDEX)
    env.globals.update(layout_france_map=_france_map_once, MULTI_TERRITORY=MULTI_TERRITORY,
                       TO_CONFIRM_LABEL=TO_CONFIRM_LABEL, CONFIRM_AFTER_YEARS=CONFIRM_AFTER_YEARS)
    return env


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept in memory, when Jinja's folder on disk cannot be used."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if (code := self.compiled.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


@functools.cache
def compiled_templates() -> BytecodeCache:
    """Where compiled Jinja templates are kept between builds and rebuilds: Jinja's own folder in the
    user's temporary directory (each entry is checked against its template's source before use).
    Compiling the theme's and the engine's templates again cost every build a fixed 0.2 s."""
    try:
        return FileSystemBytecodeCache()
    except RuntimeError:  # Jinja found that folder unsafe (owned by someone else): this process only
        return MemoryBytecodeCache()
