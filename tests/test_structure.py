"""The block structure of card texts (recueil/cards/structure.py): sections found by the Markdown parser."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from recueil.cards.bodies import markdown_findings
from recueil.cards.structure import MAX_LINE, headings, sections_of, structure_problems

LINES = ["## Contexte", "## Action", "# Titre", "texte", "", "```", "~~~", "    ## indenté", "> ## cité",
         "- ## liste", "Setext", "---", "<div>", "</div>", "`## code`", "## Contexte ##"]


def test_headings_inside_code_quotations_and_lists_are_text_of_their_section():
    body = "## Contexte\n\na\n\n```\n## Pas une section\n```\n\n> ## cité\n\n- ## liste\n\n## Action\n\nb"
    assert sections_of(body) == [("Contexte", "a\n\n```\n## Pas une section\n```\n\n> ## cité\n\n- ## liste"),
                                 ("Action", "b")]


def test_a_repeated_section_stays_two_sections():
    assert sections_of("## Contexte\n\na\n\n## Contexte\n\nb") == [("Contexte", "a"), ("Contexte", "b")]


@given(st.lists(st.sampled_from(LINES), max_size=30))
def test_no_line_of_the_text_is_lost(lines):
    """Every line of the body is a section's heading or a line of a section's text, indentation kept
    (cas.json, the pages and the PDF show the sections)."""
    body = "\n".join(lines)
    heading_lines = {line for heading in headings(body) if heading.level == 2
                     for line in range(heading.line, heading.end)}
    texts = [line for _, text in sections_of(body) for line in text.split("\n")]
    assert [line for offset, line in enumerate(lines) if line.strip() and offset not in heading_lines] == \
        [line for line in texts if line.strip()]


def test_overlong_lines_are_reported_and_left_unparsed():
    body = "## Contexte\n\n" + "[" * (MAX_LINE + 1) + "\n\n<div>\n"
    assert [(found.offset, found.message) for found in structure_problems(body)] == [
        (2, f"ligne de {MAX_LINE + 1} caractères")]
    # The rendered text is read without the overlong line: the rest is still judged.
    assert [(found.offset, found.message) for found in markdown_findings(body, "cas/x.md", lambda path: True)] == [
        (4, "balise <div> non fermée")]


def test_a_list_ten_deep_hides_no_section_and_a_level_one_heading_after_it_is_refused():
    """CommonMark's preset stops at 20 nesting levels: a list ten deep hid the sections after it."""
    deep = "\n".join("    " * level + "- niveau" for level in range(10))
    body = f"## Contexte\n\n{deep}\n\n# Faux titre\n\n## Action mise en œuvre\n\nTexte."
    assert [(heading.level, heading.title) for heading in headings(body)] == [
        (2, "Contexte"), (1, "Faux titre"), (2, "Action mise en œuvre")]
    assert [(found.offset, found.message) for found in markdown_findings(body, "cas/x.md", lambda path: True)] == [
        (13, "titre de niveau 1 dans le texte")]
