"""Property-based tests: whatever a card file holds, the engine answers with a card or clean errors.

Never an exception, never a problem without a place: every problem names the card, a line inside
the file (or line 1), and says something. Inputs are any text, any bytes, valid cards with random
damage, and random front-matter structures built from the real field names.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recueil.cards.bodies import markdown_findings
from recueil.cards.loading import Kind, load_card
from recueil.cards.models import CASE_SECTIONS, CaseCard, RecommendationCard
from recueil.cards.problems import Problem
from recueil.cards.rendering import comparable, html_events, render, site_markdown
from recueil.cards.sanitize import clean_html
from recueil.cards.taxonomy import load_taxonomy
from recueil.cards.validation import validate
from tests.html_safety import live_markup

ROOT = Path(__file__).resolve().parent.parent
VALID = (ROOT / "tests" / "hostile" / "cards" / "valide.md").read_text(encoding="utf-8")
TAXONOMY = load_taxonomy(ROOT / "taxonomies.yml")
SHOWN = "cases/fiche.md"
EXAMPLES = int(os.environ.get("RECUEIL_FUZZ_EXAMPLES", "150"))  # raise it for a long local fuzzing run
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

CASE_KEYS = [*CaseCard.model_fields, "territory.name", "statut", "theme", "Title", ""]
RECOMMENDATION_KEYS = list(RecommendationCard.model_fields)
SECTIONS = "".join(f"\n\n## {title}\n\nx" for title in CASE_SECTIONS) + "\n"
HTMLISH = st.text(alphabet=st.sampled_from(list("<>/=\"' &#;:()!-[]{}.\n\tabcdeilmnoprstvxjSCRIPTonerrorhf1")),
                  max_size=200)
# Pieces of Markdown and HTML that change meaning with what surrounds them (fences, lists, attribute
# lists, references, raw blocks), joined in any order.
MARKDOWNISH = st.lists(st.sampled_from([
    "```", " ```", "~~~", "    code", "> ", "- ", "1. ", "# ", "### ", "{: #x }", '{: title="}" onclick="a" }',
    "{: data-pagefind-filter=x }", "{: hidden }", "[r]:", "  javascript:alert(1)", "  https://h.example/x.gif",
    "![i][r]", "[l][r]", "[a](", "javascript:x)", "<div>", "</div>", "<img src=x", "onerror=a>", "<script", ">",
    "<p hidden>x</p>", '<td style="color:red">', "<!-- recueil:content:end -->", "&#x1b;", "`<b>`", "texte", "",
    "| a | b |", "|---|:-:|", "| x | y |", "<a href=\"../autre.md\">", "</a>", "<span id=y>", "</span>",
]), max_size=25).map("\n".join)
SITE = site_markdown(ROOT)  # the real site's Markdown extensions


@contextmanager
def card_file(content: bytes, name: str = "fiche.md") -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        yield path


def load(content: bytes, kind: Kind = "case") -> tuple[Any, list[Problem], int]:
    """Load one card from bytes; also cross-check it as the whole bank would. Returns card, problems, lines."""
    with card_file(content) as path:
        outcome = load_card(path, kind, SHOWN)
        parsed = [outcome.parsed] if outcome.parsed is not None else []
        cross = validate(parsed if kind == "case" else [], parsed if kind == "recommendation" else [], TAXONOMY)
    lines = content.count(b"\n") + 1
    return outcome.card, outcome.problems + [p for p in cross if p.is_error], lines


def assert_clean_answer(card: Any, problems: list[Problem], lines: int) -> None:
    assert (card is not None) or problems, "a refused card always says why"
    for problem in problems:
        assert problem.path == SHOWN
        assert 1 <= problem.line <= lines + 1, problem
        assert problem.message.strip(), problem
        assert str(problem).startswith(f"{SHOWN}:{problem.line}: ")
        assert "Traceback" not in str(problem) and "object at 0x" not in str(problem)


@FUZZ
@given(st.text(max_size=2_000))
def test_any_text_gives_a_card_or_clean_errors(text):
    assert_clean_answer(*load(text.encode("utf-8")))


@FUZZ
@given(st.text(max_size=1_500))
def test_any_text_after_a_front_matter_fence_gives_clean_errors(text):
    """Most random text never gets past the first line: this one does reach the YAML parser."""
    assert_clean_answer(*load(f"---\n{text}\n---\n{SECTIONS}".encode()))


@FUZZ
@given(st.binary(max_size=2_000))
def test_any_bytes_give_clean_errors(content):
    assert_clean_answer(*load(content))


@FUZZ
@given(st.data())
def test_a_damaged_valid_card_gives_a_card_or_clean_errors(data):
    lines = VALID.split("\n")
    for _ in range(data.draw(st.integers(1, 4))):
        index = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["replace", "delete", "insert", "indent", "cut"]))
        if action == "replace":
            lines[index] = data.draw(st.text(max_size=60))
        elif action == "delete" and len(lines) > 1:
            del lines[index]
        elif action == "insert":
            lines.insert(index, data.draw(st.text(max_size=60)))
        elif action == "indent":
            lines[index] = data.draw(st.sampled_from([" ", "\t", "  - ", "? "])) + lines[index]
        else:
            lines[index] = lines[index][: data.draw(st.integers(0, max(0, len(lines[index]) - 1)))]
    assert_clean_answer(*load("\n".join(lines).encode("utf-8")))


def yaml_values(keys: list[str]) -> st.SearchStrategy[Any]:
    """Values as YAML can hold them: scalars of every type, lists and mappings, nested a few levels."""
    scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                        st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=40), st.dates(),
                        st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30)),
                        st.sampled_from(["mobilite", "observer", "commune", "en-cours", "2021", "https://x.org",
                                         "javascript:alert(1)", "<script>alert(1)</script>", "A"]))
    keyed = st.one_of(st.sampled_from(keys), st.text(max_size=12))
    return st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                         st.dictionaries(keyed, inner, max_size=5)), max_leaves=25)


@FUZZ
@given(st.dictionaries(st.sampled_from(CASE_KEYS + ["name", "kind", "population", "url", "label", "value"]),
                       yaml_values(CASE_KEYS), max_size=14))
def test_any_case_front_matter_structure_gives_clean_errors(front):
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n" + SECTIONS
    assert_clean_answer(*load(text.encode("utf-8")))


@FUZZ
@given(st.dictionaries(st.sampled_from(RECOMMENDATION_KEYS + ["level", "note", "name", "url"]),
                       yaml_values(RECOMMENDATION_KEYS), max_size=14))
def test_any_recommendation_front_matter_structure_gives_clean_errors(front):
    body = "\n\n## Constats et enjeux\n\nx\n\n## Approche et méthode\n\nx\n"
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n" + body
    assert_clean_answer(*load(text.encode("utf-8"), "recommendation"))


@FUZZ
@given(st.dictionaries(st.sampled_from(list(CaseCard.model_fields)), yaml_values(CASE_KEYS), max_size=6))
def test_a_valid_card_with_fields_replaced_gives_a_card_or_clean_errors(changes):
    front = yaml.safe_load(VALID.split("---\n")[1])
    front.update(changes)
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n" + SECTIONS
    assert_clean_answer(*load(text.encode("utf-8")))


@FUZZ
@given(st.one_of(HTMLISH, st.text(max_size=300)))
def test_card_text_checks_never_fail(text):
    for page in ("cas/fiche.md", "recommandations/fiche.md"):
        for found in markdown_findings(text, page, lambda path: path.endswith(".md"), SITE):
            assert 0 <= found.offset <= text.count("\n") and found.message


@FUZZ
@given(st.one_of(HTMLISH, MARKDOWNISH, st.text(max_size=300)))
def test_what_the_sanitiser_would_change_the_check_refuses(text):
    """One rule (issue #24): a text the check accepts comes out of the sanitiser as it went in."""
    if not list(markdown_findings(text, "cas/fiche.md", lambda path: True, SITE)):
        rendered = render(text, SITE)
        assert list(comparable(html_events(clean_html(rendered)))) == list(comparable(html_events(rendered))), text


@FUZZ
@given(HTMLISH)
def test_sanitiser_output_is_never_live(html):
    assert live_markup(clean_html(html), fragment=True) == []


def test_the_valid_card_of_the_properties_is_valid():
    """The damaged-card property starts from a card that loads: otherwise it would test nothing."""
    card, problems, _ = load(VALID.encode("utf-8"))
    assert card is not None and problems == []
