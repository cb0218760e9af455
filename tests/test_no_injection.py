"""No injected script: card text reaches the site, search, feed and exports as text, never as live code.

Fields are escaped by the templates; card bodies are sanitised (recueil.cards.sanitize, via the
on_page_content hook); `recueil check` refuses whatever the sanitiser would drop (recueil.cards.bodies),
so a card that passes the check reaches its page whole; the hook's own cleaning is tested apart
(test_hook_cleans_card_pages_and_leaves_other_pages_alone).
The hostile-but-valid cards below pass the check, and the built site is read with an HTML5 parser.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from types import SimpleNamespace
from xml.etree import ElementTree

import markdown
import pytest
import yaml

from recueil.bank.bank import load_bank
from recueil.cards.sanitize import clean_html, unsafe_markup
from recueil.cli import main as recueil_main
from recueil.project import Project
from recueil.site.pages import PageMaker
from recueil_mkdocs import hooks
from tests.conftest import ROOT, build_site, copy_project
from tests.html_safety import fragment_elements, head_of, live_markup, parse_document, text_of
from tests.search_index import by_url

TODAY = dt.date.today().isoformat()
CASE_TITLE = "Ville Z : \" onmouseover=\"alert('title') — un titre entre guillemets"
SUMMARY = ("<script>alert('summary')</script> \" onmouseover=\"alert('summary2') "
           "&lt;/title&gt;&lt;script&gt;alert('s3')&lt;/script&gt;")

HOSTILE_CASE = f"""\
---
title: {json.dumps(CASE_TITLE, ensure_ascii=False)}
summary: {json.dumps(SUMMARY, ensure_ascii=False)}
territory:
  name: "Ville Z \\" onfocus=\\"alert('name')"
  kind: commune
  population: 1200
  population_year: 2021
  population_source: "<img src=x onerror=alert('population_source')>"
  region: "</title><script>alert('region')</script>"
  country: "<svg onload=alert('country')>"
themes: [gouvernance-donnees, mobilite]
recommendations: [zz-recommandation-piegee]
status: en-cours
year: 2021
actors: ["<script>alert('actors')</script>", "Ville \\" onclick=\\"alert('actors2')"]
data: ["<iframe src=javascript:alert('data')></iframe>"]
key_figures:
  - label: "<b onmouseover=alert('label')>x</b>"
    value: "</td><script>alert('value')</script>"
sources:
  - title: "</title><script>alert('source')</script>"
    url: "https://example.org/?q=%3Cscript%3Ealert(%27url%27)%3C/script%3E"
    date: "2021"
last_verified: {TODAY}
---

## Contexte

Texte avec &lt;script&gt;alert('entity')&lt;/script&gt; et &lt;img src=x onerror=alert('entity2')&gt;.

## Action mise en œuvre

Un [lien](https://example.org) et `<script>alert('code')</script>` en code.

```html
<script>alert('fenced')</script>
```

## Résultats et perspectives

### Sous-titre &lt;img src=x onerror=alert('heading')&gt;

Texte.

## En savoir plus

Texte.
"""

HOSTILE_RECOMMENDATION = """\
---
id: zz-recommandation-piegee
number: 99
axis: D
title: "Recommandation \\" onmouseover=\\"alert('rec-title')"
summary: "<script>alert('rec-summary')</script>"
objectives: ["<img src=x onerror=alert('objectives')>"]
owners: ["<script>alert('owners')</script>"]
key_steps: ["</li><script>alert('steps')</script>"]
contributors: ["<svg onload=alert('contributors')>"]
resources: "Du temps \\" onclick=\\"alert('resources') et [un lien](https://example.org) <b>gras</b>"
feasibility:
  level: moyen
  note: "<img src=x onerror=alert('note')>"
inspirations:
  - name: "<b onclick=alert('inspiration')>x</b>"
    description: "</a><script>alert('inspiration2')</script>"
    url: https://example.org/inspiration
---

## Constats et enjeux

Texte &lt;script&gt;alert('rec-entity')&lt;/script&gt;.

## Approche et méthode

Texte.
"""

# Each page type, and the text of the hostile cards it must show (escaped, so visible as typed).
PAGE_TYPES = {
    "cas/zz-ville-hostile/index.html": [CASE_TITLE, "<script>alert('summary')</script>",
                                         "</title><script>alert('region')</script>", "alert('entity')"],
    "recommandations/zz-recommandation-piegee/index.html": ["<script>alert('rec-summary')</script>",
                                                            "</li><script>alert('steps')</script>", CASE_TITLE],
    "themes/mobilite/index.html": [CASE_TITLE],
    "tailles/village/index.html": [CASE_TITLE],
    "axes/d/index.html": [CASE_TITLE, "<script>alert('rec-summary')</script>"],
    "cas/index.html": [CASE_TITLE],
    "recommandations/index.html": ["<script>alert('rec-summary')</script>"],
    "index.html": [],
}


def write_hostile_cards(project: Path) -> Path:
    (project / "cases" / "zz-ville-hostile.md").write_text(HOSTILE_CASE, encoding="utf-8")
    (project / "recommendations" / "zz-recommandation-piegee.md").write_text(HOSTILE_RECOMMENDATION, encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project plus one hostile case and one hostile recommendation, built with --strict (no PDF)."""
    project = write_hostile_cards(copy_project(tmp_path_factory.mktemp("hostile-project")))
    site = tmp_path_factory.mktemp("hostile-site")
    result = build_site(project, site)
    assert result.returncode == 0, result.stderr
    return site


def test_hostile_cards_pass_the_check(tmp_path, capsys):
    """Markup typed in a field is text, not an error: the templates escape it (titles are checked apart)."""
    project = write_hostile_cards(copy_project(tmp_path))
    assert recueil_main(["--root", str(project), "check"]) == 0, capsys.readouterr().err


def test_no_page_of_the_site_has_live_markup(hostile_site):
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > 60
    findings = {str(page.relative_to(hostile_site)): live_markup(page.read_text(encoding="utf-8")) for page in pages}
    assert {page: found for page, found in findings.items() if found} == {}


def test_the_detector_sees_live_markup():
    """The detector itself: each of these would run in a browser."""
    for html in ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<a href=' javascript:alert(1)'>x</a>",
                 "<title>x</title></head><body><svg onload=alert(1)>", "<iframe src=https://example.org></iframe>"):
        assert live_markup(f"<html><head><title>t</title></head><body>{html}</body></html>"), html
    assert live_markup("<html><head><title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title></head></html>") == []


@pytest.mark.parametrize("page", sorted(PAGE_TYPES))
def test_every_page_type_shows_the_payload_as_text(hostile_site, page):
    """Escaped, not dropped: what a contributor wrote is visible as typed, and inert."""
    html = (hostile_site / page).read_text(encoding="utf-8")
    text = text_of(parse_document(html))
    assert [snippet for snippet in PAGE_TYPES[page] if snippet not in text] == []
    assert live_markup(html) == []
    assert head_of(html)["titles"] == 1


def test_head_title_and_description_are_plain_text(hostile_site):
    head = head_of((hostile_site / "cas/zz-ville-hostile/index.html").read_text(encoding="utf-8"))
    assert head["title"] == f"{CASE_TITLE} - Recueil DataCités"
    assert head["description"] == SUMMARY
    assert head["children_of_title"] == 0


@pytest.mark.slow
def test_title_from_an_escaped_heading_stays_escaped(tmp_path):
    """Material's `page.title | striptags` would turn &lt;/title&gt; back into a tag: overrides/main.html escapes."""
    (tmp_path / "project").mkdir()
    project = copy_project(tmp_path / "project")
    (project / "docs" / "piege.md").write_text(
        "# Piège &lt;/title&gt;&lt;script&gt;alert('h1')&lt;/script&gt;\n\nTexte.\n", encoding="utf-8")
    result = build_site(project, tmp_path / "site", strict=False)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "piege" / "index.html").read_text(encoding="utf-8")
    assert head_of(html)["title"] == "Piège </title><script>alert('h1')</script> - Recueil DataCités"
    assert live_markup(html) == []


def test_search_index_holds_the_payload_as_text(hostile_site):
    """Pagefind stores the indexed text, the title and the filters of a page as plain text: the card's
    fields as typed, never markup (its script escapes < and > before making an excerpt; the browser
    test tests/browser/test_search.py shows the results of a search for them, inert)."""
    index = by_url(hostile_site)
    case, rec = index["/cas/zz-ville-hostile/"], index["/recommandations/zz-recommandation-piegee/"]
    assert case["meta"] == {"title": CASE_TITLE, "type": "Fiche expérience"}
    assert case["filters"]["Région ou pays"] == ["<svg onload=alert('country')>"]  # abroad: its country, as text
    assert "<script>alert('summary')</script>" in case["content"] and "alert('entity')" in case["content"]
    assert rec["filters"]["Recommandation"] == ["99. Recommandation \" onmouseover=\"alert('rec-title')"]
    for url, record in index.items():
        texts = [record["content"], *record["meta"].values(), *(v for vs in record["filters"].values() for v in vs)]
        escaped = [text.replace("<", "&lt;").replace(">", "&gt;") for text in texts]  # what Pagefind's script shows
        assert [fragment_elements(text) for text in escaped if fragment_elements(text)] == [], url


def test_feed_carries_the_payload_as_text(hostile_site):
    feed = ElementTree.parse(hostile_site / "flux.xml").getroot()
    assert [el.get("type") for el in feed.iter() if el.get("type") not in (None, "text", "text/html",
                                                                           "application/atom+xml")] == []
    assert [el for el in feed.iter() if el.tag.endswith(("}content", "}summary")) and el.get("type")] == []
    hrefs = [el.get("href", "") for el in feed.iter() if el.tag.endswith("}link")]
    assert hrefs and all(href.startswith(("https://", "http://")) for href in hrefs)
    summaries = [el.text or "" for el in feed.iter() if el.tag.endswith("}summary")]
    assert any("<script>alert('summary')</script>" in text for text in summaries)


def test_exports_keep_the_text_as_written(hostile_site):
    """Exports are data: the payload is kept verbatim (not lost), and no cell starts a spreadsheet formula."""
    records = json.loads((hostile_site / "donnees" / "cas.json").read_text(encoding="utf-8"))
    hostile = next(record for record in records["cases"] if record["slug"] == "zz-ville-hostile")
    assert (hostile["title"], hostile["summary"]) == (CASE_TITLE, SUMMARY)
    rows = list(csv.DictReader(io.StringIO((hostile_site / "donnees" / "cas.csv").read_text(encoding="utf-8"))))
    row = next(row for row in rows if row["slug"] == "zz-ville-hostile")
    assert row["summary"] == SUMMARY
    assert [cell for row in rows for cell in row.values() if cell and cell.lstrip()[:1] in ("=", "@")] == []


# ---- The sanitiser and the hook, directly --------------------------------------------------------------------

XSS_VECTORS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<a href='javascript:alert(1)'>x</a>",
    "<a href='  java\tscript:alert(1)'>x</a>", "<a href='JaVaScRiPt:alert(1)'>x</a>",
    "<a href='&#106;avascript:alert(1)'>x</a>", "<a href='data:text/html,<script>alert(1)</script>'>x</a>",
    "<a href='vbscript:msgbox(1)'>x</a>", "<svg onload=alert(1)>", "<svg><script>alert(1)</script></svg>",
    "<math><mi xlink:href='javascript:alert(1)'>x</mi></math>", "<iframe src='javascript:alert(1)'></iframe>",
    "<object data='javascript:alert(1)'></object>", "<embed src='javascript:alert(1)'>",
    "<form action='javascript:alert(1)'><button>x</button></form>", "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>", "<body onload=alert(1)>", "<style>@import 'javascript:alert(1)'</style>",
    "<div style='background:url(javascript:alert(1))'>x</div>", "<base href='javascript:alert(1)//'>",
    "<meta http-equiv='refresh' content='0;url=javascript:alert(1)'>", "<h2 id=x onclick=alert(1)>T</h2>",
    "<noscript><p title='</noscript><img src=x onerror=alert(1)>'></noscript>",
    "<table><tr><td background='javascript:alert(1)' onmouseover=alert(1)>x</td></tr></table>",
    "<a href=\"#\" onclick=\"alert(1)\">x</a>", "<img src='x' srcset='javascript:alert(1)'>",
    "<!--><script>alert(1)</script>-->", "<scr<script>ipt>alert(1)</script>",
]


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_sanitiser_leaves_nothing_alive(vector):
    cleaned = clean_html(vector)
    assert live_markup(cleaned, fragment=True) == []
    assert "alert" not in "".join(f"{k}={v}" for _, attrs in fragment_elements(cleaned) for k, v in attrs.items())


def test_sanitiser_keeps_what_the_templates_and_markdown_emit():
    html = ('<h1>T</h1><p class="recueil-summary">R</p><dl class="recueil-facts"><dt>A</dt><dd>'
            '<a class="recueil-tag" href="../../themes/mobilite/">M</a></dd></dl>'
            '<table class="recueil-key-figures"><caption>C</caption><tbody><tr><th scope="row">L</th><td>V</td></tr>'
            '</tbody></table><h2 id="contexte">Contexte</h2><a href="#recueil-page-source-1">la source 1</a>'
            '<ul class="recueil-case-list"><li class="recueil-case" data-slug="x"><a href="../x/">X</a>'
            '<span class="recueil-case__meta" aria-label="m">m</span></li></ul>'
            '<table><thead><tr><th style="text-align: left;">a</th></tr></thead></table>'
            '<p><a href="https://example.org">e</a> <a href="mailto:a@example.org">m</a> <code>c</code>'
            '<img alt="a" src="../assets/x.png"></p><ol start="3"><li id="recueil-page-source-1">i</li></ol>'
            '<blockquote><p>q</p></blockquote>')
    assert fragment_elements(clean_html(html)) == [
        (tag, {k: v.replace("text-align: left;", "text-align:left") for k, v in attrs.items()})
        for tag, attrs in fragment_elements(html)]


def test_unsafe_markup_explains_in_french():
    assert unsafe_markup("script", [])[0] == "balise <script> interdite"
    assert unsafe_markup("img", [("src", "x"), ("onerror", "alert(1)")])[0] == "attribut onerror interdit"
    assert unsafe_markup("a", [("href", "javascript:alert(1)")])[0] == "adresse « javascript: » interdite"
    assert unsafe_markup("abbr", [("title", "Système d'information")]) is None


def test_hook_cleans_card_pages_and_leaves_other_pages_alone(monkeypatch):
    monkeypatch.setattr(hooks, "_state", hooks._State(card_pages={"cas/x.md"}))
    dirty = "<p>a</p><script>alert(1)</script>"

    def page(uri: str) -> SimpleNamespace:
        return SimpleNamespace(file=SimpleNamespace(src_uri=uri))

    assert hooks.on_page_content(dirty, page=page("cas/x.md"), config=None, files=None) == "<p>a</p>"
    assert hooks.on_page_content(dirty, page=page("guide/index.md"), config=None, files=None) == dirty


def test_hook_never_expands_a_marker_in_a_page_made_from_a_card():
    """Issue #24: with MkDocs, a card's `<!-- recueil:mon-territoire -->` pasted the site's own form into its
    page. The check refuses it; were it ever let through, the page made from a card keeps it as a comment
    (which the sanitiser then drops), and the build does not fail naming a file that does not exist."""
    hooks._state.generated, hooks._state.aside = {"cas/x.md"}, {}
    text = "## Contexte\n\n<!-- recueil:mon-territoire -->\n\n<!-- recueil:inconnu -->\n"
    page = SimpleNamespace(file=SimpleNamespace(src_uri="cas/x.md"))
    out = hooks.on_page_markdown(text, page=page, config=None, files=None)
    assert "recueil-territoire" not in out and "<form" not in out and "recueil:mon-territoire" in out



class _PlainYaml(yaml.SafeLoader):
    """mkdocs.yml may hold !!python/name tags: read it as plain data."""


_PlainYaml.add_multi_constructor("", lambda loader, suffix, node: None)


def test_sanitiser_changes_nothing_in_the_real_card_pages():
    """The allow-list covers every tag and attribute our templates and Markdown emit for the real cards:
    cleaning a real card page removes nothing (a template change that needs more must extend the list)."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_PlainYaml)  # noqa: S506
    extensions = [next(iter(item)) if isinstance(item, dict) else item for item in config["markdown_extensions"]]
    project = Project(ROOT)
    pages = [page for page in PageMaker(load_bank(project), project).pages() if page.source]
    assert len(pages) > 50
    for page in pages:
        html = markdown.markdown(page.content.split("\n---\n", 1)[1], extensions=extensions)
        before = [(tag, {name: value.replace(": ", ":").rstrip(";") for name, value in attributes.items()})
                  for tag, attributes in fragment_elements(html)]
        assert fragment_elements(clean_html(html)) == before, page.src_uri


def test_security_note_is_published_and_names_every_workflow(real_site):
    """docs/securite.md explains how each workflow is locked down: a new workflow must be added to it."""
    note = (ROOT / "docs" / "securite.md").read_text(encoding="utf-8")
    workflows = sorted(path.name for path in (ROOT / ".github" / "workflows").glob("*.yml"))
    assert workflows and [name for name in workflows if f"`{name}`" not in note] == []
    assert "pull_request_target" in note and "permissions: {}" in note and "Report a vulnerability" in note
    page = text_of(parse_document((real_site / "securite" / "index.html").read_text(encoding="utf-8")))
    assert "Sécurité des contributions" in page and "Signaler un problème" in page


def test_the_printed_guide_shows_the_payload_as_text(tmp_path):
    """The booklet WeasyPrint prints: the hostile cards are in it, as text; no link could run a script."""
    from recueil.outputs import booklet

    project = Project(write_hostile_cards(copy_project(tmp_path)))
    html = booklet.booklet_html(load_bank(project), project, booklet.BookletInfo())
    assert live_markup(html) == []
    text = text_of(parse_document(html))
    assert [snippet for snippet in (CASE_TITLE, "</title><script>alert('region')</script>", "alert('entity')")
            if snippet not in text] == []
