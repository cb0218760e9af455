"""RGAA round 2 (issue 27) without a browser: the forms' help, the territory shards, the size names,
the language of sources, the size of the PDF in its links, the search index's sub-results, the
recommendations of a theme page. The browser half is tests/browser/test_rgaa_round2_pages.py."""

from __future__ import annotations

import csv
import io
import json
import re
from functools import cache
from pathlib import Path

import pytest
import yaml

from recueil.bank.bank import Bank, load_bank
from recueil.cards.models import READER_HELP, Source
from recueil.outputs.booklet import Selection, booklet_html
from recueil.outputs.contribution import case_fields, form_settings, issue_form
from recueil.outputs.export import export_files, published_files
from recueil.outputs.pdf import label_pdf_links, pdf_size_label
from recueil.outputs.pdf_cache import content_hash, info_for
from recueil.project import Project
from recueil.search.indexer import SEARCH_END, SEARCH_START, slim_page
from recueil.site.environment import source_title
from recueil.site.pages import illustrated
from recueil.site.territory_lookup import lookup_files, shards_of
from tests.helpers import ROOT

INTERNAL = re.compile(r"territory_kinds|\bthemes\b|\bstatuses\b|\bprogrammes\b|recommendations/|cases/|\.md\b"
                      r"|liste sources|\binsee\b|\bsiren\b")


@cache
def bank() -> Bank:
    return load_bank(Project(ROOT))


# ---- 5. The forms' help ----

def test_the_issue_form_and_the_site_form_help_readers_without_the_schema_words():
    form = yaml.safe_load(issue_form(bank()))
    helps = [item["attributes"].get("description", "") for item in form["body"] if item["type"] != "markdown"]
    assert len(helps) > 20
    assert [text for text in helps if INTERNAL.search(text)] == []
    _, fields = case_fields(bank())
    settings = form_settings(bank(), "https://github.com/o/r", "main")
    shown = [settings["help"].get(field.dotted, field.description) for field in fields]
    assert [text for text in shown if INTERNAL.search(text)] == []
    # the schema keeps its words for those who edit the YAML
    assert "territory_kinds" in next(f.description for f in fields if f.dotted == "territory.kind")
    assert set(READER_HELP) <= {field.dotted for field in fields}


def test_the_published_schema_lists_recommendations_in_number_order():
    files = published_files(bank(), "https://example.org/", "https://github.com/o/r", "main", "Recueil")
    schema = json.loads(files["schemas/case.schema.json"])
    ids = schema["properties"]["recommendations"]["items"]["enum"]
    numbers = [next(r.meta.number for r in bank().recommendations if r.slug == slug) for slug in ids]
    assert numbers == sorted(numbers) == list(range(1, len(ids) + 1))


# ---- 6. « Mon territoire »: a commune in the shard of each word of its name ----

def test_a_commune_is_filed_under_each_word_of_its_name():
    assert shards_of("Le Petit-Fougeray") == {"p", "f"}
    assert shards_of("Saint-Malo") == {"s", "m"}
    assert shards_of("St-Gildas-des-Bois") == {"s", "g", "b"}
    assert shards_of("Aux Marais") == {"a", "m"}  # its first word's shard, as before, and its words'
    files = lookup_files(bank())
    for letter in ("p", "f"):
        assert "35218|Le Petit-Fougeray|" in files[f"territoires/communes-{letter}.txt"]
    assert "35218|Le Petit-Fougeray|" not in files["territoires/communes-l.txt"]


# ---- 8. Size names ----

def test_a_size_is_named_with_its_bounds():
    named = {s.id: s.named for s in bank().taxonomy.strata}
    assert named["ville-moyenne"] == "Ville moyenne (20 000 à 100 000 hab.)"
    assert named["village"] == "Village (moins de 3 500 hab.)"
    assert named["non-renseignee"] == "Taille non renseignée"


# ---- 10. The language of a source ----

def test_a_source_may_give_its_language():
    assert Source(title="« Boston Smart City Playbook »", lang="en").lang == "en"
    with pytest.raises(ValueError):
        Source(title="x", lang="English")
    html = str(source_title(Source(title="Ville de Boston, « Boston <Smart> City » (2016)", lang="en")))
    assert html == 'Ville de Boston, « <span lang="en">Boston &lt;Smart&gt; City</span> » (2016)'
    assert str(source_title(Source(title="Pilots", lang="en"))) == '<span lang="en">Pilots</span>'
    assert str(source_title(Source(title="Un <titre>"))) == "Un &lt;titre&gt;"


def test_the_exports_and_the_booklet_carry_the_language():
    files = export_files(bank(), "https://example.org/")
    records = json.loads(files["donnees/cas.json"])["cases"]
    boston = next(record for record in records if record["slug"] == "boston-smart-city-playbook")
    assert [source.get("lang") for source in boston["sources"]] == [None, "en", "en"]
    rows = list(csv.DictReader(io.StringIO(files["donnees/cas.csv"])))
    boston_row = next(row for row in rows if "boston-smart-city-playbook" in json.dumps(row))
    assert " — en" in json.dumps(boston_row, ensure_ascii=False)
    project = Project(ROOT)
    html = booklet_html(bank(), project, info_for({}, content_hash(project)), Selection(themes=tuple(
        next(c for c in bank().cases if c.slug == "boston-smart-city-playbook").meta.themes[:1])))
    assert '« <span lang="en">Boston Smart City Playbook</span> »' in html


# ---- 11. The PDF's format and size in its links ----

def test_pdf_size_label_in_french():
    assert pdf_size_label(2_345_678) == "PDF, 2,3 Mo"
    assert pdf_size_label(480_200) == "PDF, 480 ko"
    assert pdf_size_label(12) == "PDF, 1 ko"


def test_the_links_to_the_booklet_say_its_size(tmp_path: Path):
    (tmp_path / "docs" / "guide").mkdir(parents=True)
    link = '<a href="guide.pdf">Télécharger le guide <span data-recueil-pdf-size>(PDF)</span></a>'
    (tmp_path / "docs" / "index.md").write_text(link, encoding="utf-8")
    (tmp_path / "docs" / "guide" / "a.md").write_text("# sans lien", encoding="utf-8")
    site = tmp_path / "site"
    (site / "guide" / "a").mkdir(parents=True)
    (site / "index.html").write_text(f"<p>{link}</p>", encoding="utf-8")
    (site / "guide" / "a" / "index.html").write_text("<p>sans lien</p>", encoding="utf-8")
    (site / "guide.pdf").write_bytes(b"%" * 2_300_000)
    changed = label_pdf_links(Project(tmp_path), site, site / "guide.pdf")
    assert changed == [site / "index.html"]
    assert "Télécharger le guide <span data-recueil-pdf-size>(PDF, 2,3 Mo)</span></a>" in (
        site / "index.html").read_text(encoding="utf-8")


# ---- 13. The search index, theme pages ----

def test_the_indexed_h1_has_no_id_so_the_title_is_no_sub_result():
    page = (f'<nav>menu</nav>{SEARCH_START}<article data-pagefind-body><h1 id="contenu" tabindex="-1">Titre</h1>'
            f'<p>texte</p><h2 id="contexte">Contexte</h2></article>{SEARCH_END}')
    slim = slim_page(page)
    assert slim is not None
    assert '<h1 tabindex="-1">Titre</h1>' in slim and '<h2 id="contexte">' in slim


def test_a_theme_lists_the_recommendations_its_cases_illustrate_in_number_order():
    cases = [case for case in bank().cases if "ouverture-donnees" in case.meta.themes]
    pairs = illustrated(bank(), cases)
    assert [rec.meta.number for rec, _ in pairs] == sorted(rec.meta.number for rec, _ in pairs)
    assert {rec.slug for rec, _ in pairs} == {ref for case in cases for ref in case.meta.recommendations}
    assert sum(count for _, count in pairs) == sum(len(case.meta.recommendations) for case in cases)
