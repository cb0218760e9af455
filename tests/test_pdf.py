"""The printed guide, checked by reading the PDF it writes (pypdf): outline, text, page numbers, fonts.

The guide is rendered once per session (it takes seconds); every test reads that one file.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pyphen
import pytest
from pypdf import PageObject, PdfReader
from pypdf.generic import Destination, DictionaryObject

from recueil.addresses import GUIDE_PDF
from recueil.bank.bank import Bank, load_bank
from recueil.cli import main as recueil_main
from recueil.outputs import pdf_cache
from recueil.outputs.booklet import Selection, SelectionError, select_cases
from recueil.outputs.pdf import PdfSettingError, pdf_setting, write_pdf
from recueil.outputs.pdf_cache import order
from recueil.outputs.site_files import SettingsError, site_settings
from recueil.project import Project
from tests.helpers import ROOT, mini_project

pytestmark = pytest.mark.pdf  # prints the real guide (make test-fast leaves it out)

PROJECT = Project(ROOT)
SELECTED_THEME = "mobilite"
SELECTED_SIZE = "metropole"


@dataclass
class Outline:
    title: str
    page: int  # 1-based
    level: int


@dataclass
class Printed:
    path: Path
    reader: PdfReader
    texts: list[str]  # text of each page, page 1 first

    @property
    def outline(self) -> list[Outline]:
        return list(_walk(self.reader, self.reader.outline, 1))

    def page_of(self, title: str) -> int:
        return next(entry.page for entry in self.outline if entry.title == title)


def _walk(reader: PdfReader, items: list, level: int) -> Iterator[Outline]:
    for item in items:
        if isinstance(item, list):
            yield from _walk(reader, item, level + 1)
        else:
            assert isinstance(item, Destination)
            yield Outline(item.title, reader.get_destination_page_number(item) + 1, level)


def _read(path: Path) -> Printed:
    reader = PdfReader(path)
    return Printed(path, reader, [page.extract_text() for page in reader.pages])


def squash(text: str) -> str:
    """Text without any whitespace: line wraps and spaces do not matter when looking for a title."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="session")
def bank() -> Bank:
    return load_bank(PROJECT)


@pytest.fixture(scope="session")
def guide(tmp_path_factory: pytest.TempPathFactory, bank: Bank) -> Printed:
    target = tmp_path_factory.mktemp("pdf") / GUIDE_PDF
    write_pdf(order(bank, PROJECT, site_settings(PROJECT)), target, reuse=False)
    return _read(target)


@pytest.fixture(scope="session")
def selection(tmp_path_factory: pytest.TempPathFactory) -> Printed:
    """A dossier printed by the command line: one theme and one city size."""
    target = tmp_path_factory.mktemp("pdf") / "selection.pdf"
    code = recueil_main(["--root", str(ROOT), "pdf", "--out", str(target), "--theme", SELECTED_THEME,
                         "--taille", SELECTED_SIZE])
    assert code == 0
    return _read(target)


# --- The whole guide ---------------------------------------------------------------------------------

def test_bookmarks_hold_every_axis_and_recommendation_in_order(guide: Printed, bank: Bank) -> None:
    outline = guide.outline
    axes = [entry.title for entry in outline if entry.level == 1 and entry.title.startswith("Axe ")]
    assert axes == [f"Axe {axis.id} : {axis.label}" for axis in bank.taxonomy.axes]
    recommendations = [entry.title for entry in outline if re.match(r"\d+\. ", entry.title) and entry.level == 2]
    assert recommendations == [f"{rec.meta.number}. {rec.meta.title}" for rec in bank.recommendations]
    assert len(recommendations) == len(list((ROOT / "recommendations").glob("*.md")))


def test_each_recommendation_starts_its_page_under_its_axis(guide: Printed, bank: Bank) -> None:
    for rec in bank.recommendations:
        page = guide.page_of(f"{rec.meta.number}. {rec.meta.title}")
        axis_page = guide.page_of(f"Axe {rec.meta.axis} : {bank.taxonomy.term('axes', rec.meta.axis).label}")
        assert page > axis_page
        kicker = squash(f"Recommandation {rec.meta.number} · axe {rec.meta.axis}").casefold()
        assert kicker in squash(guide.texts[page - 1]).casefold()
        assert squash(rec.meta.title) in squash(guide.texts[page - 1])


def test_every_case_title_is_printed_with_a_bookmark(guide: Printed, bank: Bank) -> None:
    text = squash("".join(guide.texts))
    missing = [case.meta.title for case in bank.cases if squash(case.meta.title) not in text]
    assert missing == []
    case_marks = {entry.title for entry in guide.outline if entry.level == 3}
    assert case_marks == {case.meta.title for case in bank.cases}


def test_cases_follow_the_recommendations_they_illustrate(guide: Printed, bank: Bank) -> None:
    rec = max(bank.recommendations, key=lambda rec: len(rec.cases))
    start = guide.page_of(f"{rec.meta.number}. {rec.meta.title}")
    following = [entry.page for entry in guide.outline if entry.page > start and entry.level <= 2]
    end = min(following) if following else len(guide.texts)
    pages = squash("".join(guide.texts[start - 1:end - 1]))
    assert squash("Expériences qui l'illustrent") in pages
    assert all(squash(case.meta.title) in pages for case in rec.cases)


def _toc_pages(guide: Printed) -> range:
    """Pages from the 'Sommaire' title to the page before the first part."""
    outline = guide.outline
    start = guide.page_of("Sommaire")
    end = min(entry.page for entry in outline if entry.page > start)
    return range(start, end)


def _toc_numbers(guide: Printed, pages: range) -> list[int]:
    """The page numbers the table of contents prints: lines with words that end with a number
    (a line that is only a number is the page's own folio)."""
    lines = [line.strip() for page in pages for line in guide.texts[page - 1].splitlines()]
    return [int(match.group(1)) for line in lines
            if re.search(r"[^\W\d]", line) and (match := re.search(r"(\d+)$", line))]


def test_table_of_contents_numbers_are_the_pages_where_the_titles_are(guide: Printed) -> None:
    numbers = _toc_numbers(guide, _toc_pages(guide))
    # The table of contents lists the outline down to recommendations and themes (cases are level 3).
    entries = [entry for entry in guide.outline if entry.level <= 2 and entry.title != "Sommaire"]
    assert len(numbers) == len(entries), (numbers, [entry.title for entry in entries])
    for entry, number in zip(entries, numbers, strict=True):
        assert number == entry.page, entry.title
        heading = re.sub(r"^\d+\. |^Axe \w+ : ", "", entry.title)
        assert squash(heading) in squash(guide.texts[number - 1]), (entry.title, number)


def test_table_of_contents_entries_are_links_to_those_pages(guide: Printed) -> None:
    destinations = guide.reader.named_destinations
    linked: list[int] = []
    for page in _toc_pages(guide):
        names: list[str] = []
        for annotation in guide.reader.pages[page - 1].get("/Annots", []):
            name = annotation.get_object().get("/Dest")
            if isinstance(name, str) and name not in names:
                names.append(name)
        linked += [guide.reader.get_destination_page_number(destinations[name]) + 1 for name in names]
    assert linked and linked == _toc_numbers(guide, _toc_pages(guide))


def test_running_heads_name_the_current_recommendation(guide: Printed, bank: Bank) -> None:
    rec = bank.recommendations[0]
    page = guide.page_of(f"{rec.meta.number}. {rec.meta.title}")
    following = guide.texts[page].splitlines()  # the page after the recommendation's first: no title on it
    axis = f"Axe {rec.meta.axis} : {bank.taxonomy.term('axes', rec.meta.axis).label}"
    assert any(axis in line and line.endswith(f"Recommandation {rec.meta.number}") for line in following), following
    assert str(page + 1) in following, "page number"


def test_annex_and_indexes_are_in_the_outline(guide: Printed, bank: Bank) -> None:
    titles = [entry.title for entry in guide.outline if entry.level == 1]
    for title in ("Sommaire", "Annexe : les fiches expérience", "Index par taille de collectivité",
                  "Index par territoire"):
        assert title in titles
    themes = {entry.title for entry in guide.outline if entry.level == 2 and not re.match(r"\d+\. ", entry.title)}
    assert themes == {bank.taxonomy.term("themes", theme).label for theme in bank.cases_by_theme}
    territories = squash("".join(guide.texts[guide.page_of("Index par territoire") - 1:]))
    assert all(squash(case.meta.territory.name) in territories for case in bank.cases)


def test_external_links_are_printed_as_addresses(guide: Printed, bank: Bank) -> None:
    text = squash("".join(guide.texts))
    urls = {source.url for case in bank.cases for source in case.meta.sources if source.url}
    assert urls and all(squash(f"({url})") in text for url in urls)


def test_text_is_hyphenated_in_french(guide: Printed) -> None:
    """Words are cut where French cuts them (pyphen's French patterns, those WeasyPrint reads): printed with
    English hyphenation, about a quarter of the cuts fall elsewhere ('collectiv-ités', 'innov-ation')."""
    text = "\n".join(guide.texts)
    words = {word.lower() for word in re.findall(r"[^\W\d_]+", text.replace("-\n", "\0"))}
    # A word cut at a line end, not in an address, and found whole elsewhere (not a compound like
    # « Nouvelle-Aquitaine » whose own hyphen fell at the line end).
    cuts = [(head, tail) for head, tail in re.findall(r"(?<![\w/.:-])([^\W\d_]+)-\n([^\W\d_]+)(?![\w/.])", text)
            if (head + tail).lower() in words]
    french = pyphen.Pyphen(lang="fr")
    elsewhere = [(head, tail) for head, tail in cuts if len(head) not in french.positions((head + tail).lower())]
    assert len(cuts) > 100
    assert len(elsewhere) <= len(cuts) // 100, elsewhere[:20]


def test_fonts_are_the_shipped_ones_and_embedded(guide: Printed) -> None:
    fonts: dict[str, object] = {}
    for page in guide.reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = font
    assert fonts
    for name, font in fonts.items():
        assert "Recueil-" in name, f"{name}: a fallback font, a glyph is missing from the shipped fonts"
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = descendant["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, f"{name} is not embedded"
    assert {"Serif", "Sans"} <= {kind for name in fonts for kind in ("Serif", "Sans") if f"Recueil-{kind}" in name}


def test_metadata_title_language_and_tags(guide: Printed) -> None:
    assert guide.reader.metadata is not None
    assert guide.reader.metadata.title == "Guide pour l'action DataCités"
    assert guide.reader.metadata.author == "Recueil DataCités"
    root = guide.reader.trailer["/Root"]
    assert root["/Lang"] == "fr"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]


# --- PDF/UA-1 (RGAA 13.3): what a screen reader gets from the structure tree ---------------------------

XMP = {"x": "adobe:ns:meta/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
       "dc": "http://purl.org/dc/elements/1.1/", "pdfuaid": "http://www.aiim.org/pdfua/ns/id/"}


@dataclass
class Tagged:
    """One element of the structure tree: its type, attributes, children and marked contents (page, MCID)."""

    kind: str
    node: DictionaryObject
    children: list[Tagged]
    contents: list[tuple[int, int]]

    def walk(self) -> Iterator[Tagged]:
        yield self
        for child in self.children:
            yield from child.walk()

    def all_contents(self) -> list[tuple[int, int]]:
        return [content for element in self.walk() for content in element.contents]


def _tree(reader: PdfReader) -> Tagged:
    pages = {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages)}

    def element(node: DictionaryObject, page: int | None) -> Tagged:
        page = pages[node.raw_get("/Pg").idnum] if "/Pg" in node else page
        kids = node.get("/K", [])
        kids = kids if isinstance(kids, list) else [kids]
        children, contents = [], []
        for kid in kids:
            kid_object = kid.get_object()
            if isinstance(kid_object, int):
                assert page is not None
                contents.append((page, int(kid_object)))
            elif kid_object.get("/Type") == "/MCR":
                on = pages[kid_object.raw_get("/Pg").idnum] if "/Pg" in kid_object else page
                contents.append((on, int(kid_object["/MCID"])))
            elif kid_object.get("/Type") != "/OBJR":
                children.append(element(kid_object, page))
        return Tagged(str(node.get("/S", "")), node, children, contents)

    return element(reader.trailer["/Root"]["/StructTreeRoot"].get_object(), None)


def _marked_texts(reader: PdfReader) -> dict[tuple[int, int], str]:
    """The text of each marked content of each page, by (page, MCID)."""
    texts: dict[tuple[int, int], str] = {}
    for number, page in enumerate(reader.pages):
        _read_marked(page, number, texts)
    return texts


def _read_marked(page: PageObject, number: int, texts: dict[tuple[int, int], str]) -> None:
    stack: list[int | None] = []  # the MCID of each open marked content (None: one without)

    def operator(op: bytes, args: list, *_: object) -> None:
        if op == b"BDC":
            properties = args[1] if len(args) > 1 else None
            stack.append(int(properties["/MCID"]) if isinstance(properties, dict) and "/MCID" in properties else None)
        elif op == b"BMC":
            stack.append(None)
        elif op == b"EMC" and stack:
            stack.pop()

    def text(words: str, *_: object) -> None:
        mcid = next((mcid for mcid in reversed(stack) if mcid is not None), None)
        if mcid is not None:
            texts[number, mcid] = texts.get((number, mcid), "") + words

    page.extract_text(visitor_operand_before=operator, visitor_text=text)


@pytest.fixture(scope="session")
def tree(guide: Printed) -> Tagged:
    return _tree(guide.reader)


def test_booklet_is_identified_as_pdf_ua_1_with_its_title(guide: Printed) -> None:
    root = guide.reader.trailer["/Root"]
    assert root["/Lang"] == "fr" and root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    xmp = ElementTree.fromstring(root["/Metadata"].get_object().get_data().decode("utf-8").split("?>", 1)[1]
                                 .rsplit("<?xpacket", 1)[0])
    parts = [d.get(f"{{{XMP['pdfuaid']}}}part") for d in xmp.iter(f"{{{XMP['rdf']}}}Description")]
    assert "1" in parts
    titles = [li.text for li in xmp.findall(".//dc:title/rdf:Alt/rdf:li", XMP)]
    assert titles == ["Guide pour l'action DataCités"]


def test_headings_go_down_one_level_at_a_time(tree: Tagged) -> None:
    levels = [int(element.kind[2:]) for element in tree.walk() if re.fullmatch(r"/H[1-6]", element.kind)]
    assert levels[0] == 1 and {1, 2, 3, 4} <= set(levels)
    skips = [(before, after) for before, after in zip(levels, levels[1:], strict=False) if after > before + 1]
    assert skips == []


def test_tables_have_header_cells_tied_to_their_data(tree: Tagged) -> None:
    tables = [element for element in tree.walk() if element.kind == "/Table"]
    assert tables
    for table in tables:
        cells = list(table.walk())
        headers = {str(cell.node["/ID"]) for cell in cells if cell.kind == "/TH" and "/ID" in cell.node}
        assert headers, "a table without a header cell"
        for cell in (cell for cell in cells if cell.kind == "/TD"):
            # <th scope="row">: WeasyPrint gives each data cell the headers of its row.
            assert {str(id_) for id_ in cell.node["/A"]["/Headers"]} <= headers


def test_lists_are_tagged_as_lists_of_items(tree: Tagged) -> None:
    lists = [element for element in tree.walk() if element.kind == "/L"]
    assert len(lists) > 100
    for tagged_list in lists:
        items = [child for child in tagged_list.children if child.kind == "/LI"]
        assert items and all("/LBody" in {part.kind for part in item.children} for item in items)
        # WeasyPrint 70 tags a nested list (<li>…<ul>) as an L beside the items, and adds empty NonStruct.
        others = [child.kind for child in tagged_list.children if child.kind not in {"/LI", "/L"} and child.all_contents()]
        assert others == []


def test_every_link_has_text(guide: Printed, tree: Tagged) -> None:
    texts = _marked_texts(guide.reader)
    # The outermost Link of each link: WeasyPrint nests one per line or fragment of a link that wraps.
    links = [element for element in tree.walk() if element.kind == "/Link"]
    links = [link for link in links if link.node["/P"].get("/S") != "/Link"]
    assert len(links) > 100
    silent = [link for link in links if not "".join(texts.get(content, "") for content in link.all_contents()).strip()]
    assert silent == []


def test_every_figure_has_a_text_alternative(tree: Tagged) -> None:
    # The booklet prints no image today (print_text drops <img> and <figure>): any that comes needs /Alt.
    assert [figure.node for figure in tree.walk() if figure.kind == "/Figure" and not figure.node.get("/Alt")] == []


def test_the_cache_key_names_how_the_booklet_is_written(bank: Bank, monkeypatch: pytest.MonkeyPatch) -> None:
    content = pdf_cache.content_hash(PROJECT)
    info = pdf_cache.info_for(site_settings(PROJECT), content)
    before = pdf_cache.booklet_key(content, bank, info)
    monkeypatch.setattr(pdf_cache, "PDF_VARIANT", "pdf/ua-2")
    assert pdf_cache.booklet_key(content, bank, info) != before


def test_cover_gives_title_publisher_date_and_version(guide: Printed) -> None:
    cover = guide.texts[0]
    for words in ("Guide pour l'action DataCités", "Éditeur", "Recueil DataCités", "Date", "Version"):
        assert words in cover
    assert re.search(r"\d{1,2}(er)? \w+ 20\d\d", cover)


# --- Selections --------------------------------------------------------------------------------------

def test_selection_holds_only_the_matching_cases(selection: Printed, bank: Bank) -> None:
    chosen = select_cases(bank, themes=[SELECTED_THEME], strata=[SELECTED_SIZE])
    assert 0 < len(chosen) < len(bank.cases)
    text = squash("".join(selection.texts))
    assert all(squash(case.meta.title) in text for case in chosen)
    others = [case.meta.title for case in bank.cases if case not in chosen]
    assert [title for title in others if squash(title) in text] == []
    assert {entry.title for entry in selection.outline if entry.level == 3} == {case.meta.title for case in chosen}


def test_selection_keeps_the_recommendations_of_its_cases(selection: Printed, bank: Bank) -> None:
    chosen = select_cases(bank, themes=[SELECTED_THEME], strata=[SELECTED_SIZE])
    expected = sorted({rec.meta.number for case in chosen for rec in bank.recommendations_of(case)})
    printed = sorted(int(entry.title.split(".")[0]) for entry in selection.outline
                     if entry.level == 2 and re.match(r"\d+\. ", entry.title))
    assert printed == expected
    assert "sélection" in (selection.reader.metadata.title or "")
    assert SELECTED_THEME and "Thème : Mobilité" in selection.texts[0]


def test_select_cases_combines_facets(bank: Bank) -> None:
    by_theme = select_cases(bank, themes=[SELECTED_THEME])
    by_both = select_cases(bank, themes=[SELECTED_THEME], strata=[SELECTED_SIZE])
    assert set(map(id, by_both)) <= set(map(id, by_theme))
    assert all(case.stratum.id == SELECTED_SIZE for case in by_both)
    axis_b = select_cases(bank, axis="B")
    assert axis_b and all(any(bank.recommendation_by_slug[r].meta.axis == "B" for r in case.meta.recommendations)
                          for case in axis_b)
    with pytest.raises(SelectionError, match="vouliez-vous dire 'mobilite'"):
        select_cases(bank, themes=["mobilit"])


def test_cli_refuses_an_unknown_id_and_an_empty_selection(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert recueil_main(["--root", str(ROOT), "pdf", "--out", str(tmp_path / "x.pdf"), "--taille", "metropol"]) == 2
    assert "--taille metropol : identifiant inconnu (vouliez-vous dire 'metropole' ?)" in capsys.readouterr().err
    assert recueil_main(["--root", str(ROOT), "pdf", "--out", str(tmp_path / "x.pdf"), "--theme", "mobilite",
                         "--taille", "village", "--programme", "france-urbaine-2019"]) == 1
    assert "aucune fiche ne correspond" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


# --- The site build ----------------------------------------------------------------------------------

def test_site_build_writes_the_pdf_and_reuses_it_for_unchanged_cards(tmp_path: Path) -> None:
    project_dir = mini_project(tmp_path / "mini")
    project = Project(project_dir)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("RECUEIL_PDF", None)
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "--strict", "-f", str(project_dir / "mkdocs.yml")]
    result = subprocess.run([*command, "-d", str(tmp_path / "site")], cwd=project_dir, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    printed = _read(tmp_path / "site" / GUIDE_PDF)
    bank = load_bank(project)
    assert all(squash(case.meta.title) in squash("".join(printed.texts)) for case in bank.cases)

    booklet = order(bank, project, site_settings(project))
    first = write_pdf(booklet, tmp_path / "a.pdf")
    again = write_pdf(booklet, tmp_path / "b.pdf")
    assert again.reused and (tmp_path / "b.pdf").read_bytes() == (tmp_path / "a.pdf").read_bytes()
    card = next(project.cases.glob("*.md"))
    card.write_text(card.read_text(encoding="utf-8").replace("## Contexte", "## Contexte\n\nUne phrase de plus."),
                    encoding="utf-8")
    changed = write_pdf(order(load_bank(project), project, site_settings(project)), tmp_path / "c.pdf")
    assert not changed.reused and first.pages >= 1


def test_site_build_without_pdf_when_turned_off(real_site: Path) -> None:
    assert (real_site / "index.html").exists()
    assert not (real_site / GUIDE_PDF).exists()  # the shared fixture builds with RECUEIL_PDF=0


@pytest.mark.parametrize(("value", "expected"), [("0", False), ("off", False), ("1", True), ("oui", True),
                                                 ("", None), (" ", None)])
def test_recueil_pdf_variable(value: str, expected: bool | None) -> None:
    assert pdf_setting({"RECUEIL_PDF": value}) is expected
    assert pdf_setting({}) is None


@pytest.mark.parametrize("value", ["maybe", "peut-être", "2"])
def test_an_unknown_recueil_pdf_is_an_error_that_says_the_fix(value: str) -> None:
    with pytest.raises(PdfSettingError, match=rf"RECUEIL_PDF='{value}' : valeur inconnue \(mettez RECUEIL_PDF=0"):
        pdf_setting({"RECUEIL_PDF": value})


def test_recueil_finish_refuses_an_unknown_recueil_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """Without hooks (`recueil finish`): the bad value is an error naming the variable, no traceback."""
    project = Project(mini_project(tmp_path / "mini"))
    site = tmp_path / "mini" / "built"
    site.mkdir()
    (site / "index.html").write_text("<html><head></head><body></body></html>", encoding="utf-8")
    monkeypatch.setenv("RECUEIL_PDF", "maybe")
    from recueil.outputs.engines import EngineError, finish

    with pytest.raises(EngineError, match="RECUEIL_PDF='maybe' : valeur inconnue"):
        finish(load_bank(project), project, site)


def test_mkdocs_build_stops_at_once_on_an_unknown_recueil_pdf(tmp_path: Path) -> None:
    project_dir = mini_project(tmp_path / "mini")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "RECUEIL_PDF": "maybe"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project_dir / "mkdocs.yml"),
                             "-d", str(tmp_path / "site")], cwd=project_dir, env=env, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode != 0
    assert "RECUEIL_PDF='maybe' : valeur inconnue (mettez RECUEIL_PDF=0" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "site" / "index.html").exists()


def test_the_served_pages_status_script_is_an_engine_asset_not_python() -> None:
    from recueil.addresses import PDF_STATUS_SCRIPT, engine_assets
    from recueil.outputs.pdf_background import status_script

    assert "document.currentScript" in engine_assets()[PDF_STATUS_SCRIPT].read_text(encoding="utf-8")
    assert status_script("../guide.pdf.json", "../assets/recueil-pdf-status.js") == (
        '<script data-recueil-pdf-status="../guide.pdf.json" src="../assets/recueil-pdf-status.js"></script>')
    python = [path for folder in ("recueil", "hooks") for path in (ROOT / folder).rglob("*.py")]
    assert python and [path for path in python if "document.querySelector" in path.read_text(encoding="utf-8")] == []


def test_a_bad_config_is_an_error_naming_the_file_not_the_default_cover(tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "absent.yml"
    assert recueil_main(["--root", str(ROOT), "pdf", "--out", str(tmp_path / "x.pdf"), "--config", str(missing)]) == 2
    err = capsys.readouterr().err
    assert f"erreur: {missing} : configuration illisible" in err and "donnez le chemin d'un mkdocs.yml" in err
    assert "Traceback" not in err and not (tmp_path / "x.pdf").exists()
    broken = tmp_path / "broken.yml"
    broken.write_text("site_name: Recueil\nextra:\n  pdf: [title: x\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=rf"^{re.escape(str(broken))}:\d+ : configuration illisible, YAML invalide"):
        site_settings(PROJECT, broken)
    listed = tmp_path / "list.yml"
    listed.write_text("- site_name\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="la configuration doit être un dictionnaire YAML"):
        site_settings(PROJECT, listed)
    assert site_settings(Project(tmp_path)) == {}  # a project without mkdocs.yml has no settings: not an error
    assert site_settings(PROJECT)["site_name"]  # the repository's own mkdocs.yml reads


def test_links_point_into_the_booklet_or_to_the_site() -> None:
    from recueil.outputs.print_text import LinkMap

    links = LinkMap({"cas/a.md": "#cas-a", "guide/valeurs.md": "#guide-valeurs"}, "https://exemple.fr/recueil")
    assert links.resolve("../cas/a.md", "recommandations/r.md") == "#cas-a"
    assert links.resolve("valeurs.md#loyaute", "guide/introduction.md") == "#guide-valeurs"
    assert links.resolve("../cas/b.md", "cas/a.md") == "https://exemple.fr/recueil/cas/b/"
    assert links.resolve("synthese.md", "guide/introduction.md") == "https://exemple.fr/recueil/guide/synthese/"
    assert links.resolve("https://a.org/x", "cas/a.md") == "https://a.org/x"
    assert links.resolve("#ancre", "cas/a.md") is None
    assert LinkMap({}, "").resolve("../cas/b.md", "cas/a.md") is None  # no site address: the words only
    html = links.converter("cas/a.md", 2)("## Titre\n\n[Le site](https://a.org/x), [B](b.md), <https://a.org/y>")
    assert "<h4>Titre</h4>" in html
    assert '<a href="https://a.org/x">Le site</a> <span class="url">https://a.org/x</span>' in html
    assert '<a href="https://exemple.fr/recueil/cas/b/">B</a>' in html
    assert '<a class="bare" href="https://a.org/y">https://a.org/y</a>' in html


def test_card_markup_cannot_reach_the_print(tmp_path: Path) -> None:
    """A card's raw HTML is refused by the check, and cleaned for print if it ever got there: no image
    (nothing fetched), no class that would fake a title."""
    from recueil.cards.problems import CardErrors
    from recueil.cards.sanitize import clean_html
    from recueil.outputs.print_text import PRINT_POLICY

    markup = '<img src="http://127.0.0.1:9/x.png"><h1 class="part-title" data-running="Pirate">Pirate</h1>'
    hostile = MINI_CASE_EXTRA.replace("## Contexte\n", f"## Contexte\n\n{markup}\n")
    project = Project(mini_project(tmp_path / "mini", {"hostile.md": hostile}))
    with pytest.raises(CardErrors):
        load_bank(project)
    html = clean_html(f"<p>{markup}</p>", PRINT_POLICY)
    assert "<img" not in html and "127.0.0.1:9" not in html
    assert "part-title" not in html and "data-running" not in html and "<h1" not in html
    assert Selection().is_everything


MINI_CASE_EXTRA = """---
title: "Hostile : une fiche qui essaie d'injecter du balisage"
summary: Une fiche de test.
territory:
  name: Hostile
  kind: commune
  population: 1200
  population_year: 2021
themes: [mobilite]
recommendations: [observer]
status: en-cours
year: 2022
sources:
  - {title: Une source, date: "2022",
     url: "https://example.org/"}
last_verified: 2026-01-15
---

## Contexte

Texte.

## Action mise en œuvre

Texte.

## Résultats et perspectives

Texte.

## En savoir plus

- [Exemple](https://example.org/)
"""


WITHOUT_HARFBUZZ_SUBSET = """
import cffi, sys, warnings
warnings.simplefilter("default")  # what `mkdocs build` shows: every warning once
real = cffi.FFI.dlopen
def dlopen(self, name, *args):
    if "subset" in str(name):
        raise OSError(f"{name}: not installed")  # a fresh machine without Debian's libharfbuzz-subset0
    return real(self, name, *args)
cffi.FFI.dlopen = dlopen
if sys.argv[1] == "ours":
    from recueil.outputs.pdf import import_weasyprint
    import_weasyprint()
else:
    import weasyprint
"""


def test_weasyprints_harfbuzz_warning_is_silenced_where_it_is_emitted():
    def stderr_of(importer: str) -> str:
        return subprocess.run([sys.executable, "-c", WITHOUT_HARFBUZZ_SUBSET, importer], capture_output=True,
                              text=True, timeout=120, cwd=ROOT, check=True).stderr

    assert "HarfBuzz-Subset will be required" in stderr_of("plain"), "the machine without the library is simulated"
    assert stderr_of("ours") == ""
