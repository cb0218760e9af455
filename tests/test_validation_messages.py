"""Each validation message, word for word: contributors act on these lines."""

from __future__ import annotations

import textwrap

import pytest

from tests.helpers import mini_project, run_check

GOOD = textwrap.dedent("""\
    ---
    title: "Test : une expérience"
    summary: Un résumé.
    territory:
      name: Testville
      kind: commune
      population: 12000
      population_year: 2020
    themes: [mobilite]
    recommendations: [observer]
    status: en-cours
    year: 2020
    sources:
      - {title: Un document, date: "2020"}
    last_verified: 2026-01-01
    ---

    ## Contexte

    x

    ## Action mise en œuvre

    x

    ## Résultats et perspectives

    x

    ## En savoir plus

    x
    """)


def problems_for(tmp_path, text: str) -> list[str]:
    project = mini_project(tmp_path, {"test.md": text})
    result = run_check(project)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return [line for line in result.stderr.splitlines() if line.startswith("cases/test.md")]


def test_valid_card_passes(tmp_path):
    result = run_check(mini_project(tmp_path, {"test.md": GOOD}))
    assert result.returncode == 0, result.stderr
    assert "4 fiches expérience et 2 recommandations : aucune erreur." in result.stdout


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("themes: [mobilite]", "themes: [mobilit]",
     "cases/test.md:9: themes[0]: 'mobilit' n'est pas un thème (vouliez-vous dire 'mobilite' ?)"),
    ("recommendations: [observer]", "recommendations: [observe]",
     "cases/test.md:10: recommendations[0]: 'observe' n'est pas une recommandation (vouliez-vous dire 'observer' ?)"),
    ("status: en-cours", "status: encours",
     "cases/test.md:11: status: 'encours' n'est pas un statut (vouliez-vous dire 'en-cours' ?)"),
    ("status: en-cours", "status: en-cours\nprogramme: tee",
     "cases/test.md:12: programme: 'tee' n'est pas un programme (vouliez-vous dire 'tee-2022' ?)"),
    ("  kind: commune", "  kind: comune",
     "cases/test.md:6: territory.kind: 'comune' n'est pas un type de territoire (vouliez-vous dire 'commune' ?)"),
    ("\nyear: 2020", "\nyaer: 2020",
     "cases/test.md:12: yaer: clé inconnue (vouliez-vous dire 'year' ?)"),
    ("  population: 12000", "  population: douze mille",
     "cases/test.md:7: territory.population: doit être un nombre entier "
     "(écrivez un nombre entier sans espace ni point, par exemple 12500)"),
    ("  population: 12000", "  population: -3",
     "cases/test.md:7: territory.population: valeur trop petite (elle doit être au moins 0)"),
    ("last_verified: 2026-01-01", "last_verified: 2026-02-30",
     "cases/test.md:15: last_verified: valeur illisible : '2026-02-30' (day is out of range for month) "
     "(vérifiez le format, par exemple une date AAAA-MM-JJ)"),
    ("last_verified: 2026-01-01", "last_verified: hier",
     "cases/test.md:15: last_verified: date invalide (écrivez la date au format AAAA-MM-JJ, par exemple 2026-11-22)"),
    ('  - {title: Un document, date: "2020"}', '  - {title: Un document, date: "2020",\n     url: "javascript:alert(1)"}',
     "cases/test.md:15: sources[0].url: adresse web invalide "
     "(elle doit commencer par https:// ou http:// et ne contenir aucun espace)"),
    ('  - {title: Un document, date: "2020"}', '  - {title: Un document, date: "2020",\n     url: "www.example.org"}',
     "cases/test.md:15: sources[0].url: adresse web invalide "
     "(elle doit commencer par https:// ou http:// et ne contenir aucun espace)"),
    ("summary: Un résumé.\n", "",
     "cases/test.md:2: summary: champ obligatoire manquant (ajoutez la ligne « summary: … »)"),
    ("\nyear: 2020", "\nyear: 2020\nyear: 2021",
     "cases/test.md:13: year: clé en double (supprimez l'une des deux, la première est ligne 12)"),
    ("themes: [mobilite]", "themes: mobilite",
     "cases/test.md:9: themes: doit être une liste (écrivez [a, b] ou une ligne « - valeur » par élément)"),
    ("themes: [mobilite]", "themes: [mobilite, mobilite]",
     "cases/test.md:9: themes[1]: 'mobilite' est déjà dans la liste (supprimez le doublon)"),
    ("\nyear: 2020", "\nyear: 2020\nend_year: 2019",
     "cases/test.md:13: end_year: l'année de fin précède l'année de début (elle doit être au moins 2020)"),
    ("\nyear: 2020", "\nyear: 2020\nend_year: 2021",
     "cases/test.md:13: end_year: l'action est « en cours » mais son année de fin, 2021, est passée "
     "(si elle est finie, écrivez status: realise ou arrete ; sinon, corrigez ou retirez end_year)"),
    ("status: en-cours\nyear: 2020", "status: projet\nyear: 2020\nend_year: 2020",
     "cases/test.md:13: end_year: l'action est « en projet » mais son année de fin, 2020, est passée "
     "(si elle est finie, écrivez status: realise ou arrete ; sinon, corrigez ou retirez end_year)"),
    ("title: \"Test : une expérience\"", "title: \"<script>alert(1)</script>\"",
     "cases/test.md:2: title: balise ou entité HTML interdite (écrivez le texte seul, sans < > ni &…;)"),
    ("  population_year: 2020\n", "",
     "cases/test.md:7: territory.population_year: année du chiffre de population manquante "
     "(ajoutez population_year: AAAA)"),
    ("## Résultats et perspectives", "## Pour aller plus loin",
     "cases/test.md:17: texte: section(s) manquante(s) : « ## Résultats et perspectives » (les sections attendues, "
     "dans l'ordre : Contexte, Action mise en œuvre, Résultats et perspectives, En savoir plus (facultative))"),
    ("## Contexte\n\nx\n", "## Contexte\n\nx <span data-pagefind-filter=\"Thème\">Énergie</span>\n",
     "cases/test.md:20: texte: attribut data-pagefind-filter réservé à la recherche du site "
     "(les filtres et le classement de la recherche viennent des champs de la fiche : retirez cet attribut)"),
    ("## Contexte\n\nx\n", "## Contexte\n\nx\n{: data-pagefind-weight=\"10\" }\n",
     "cases/test.md:21: texte: attribut data-pagefind-weight réservé à la recherche du site "
     "(les filtres et le classement de la recherche viennent des champs de la fiche : retirez cet attribut)"),
])
def test_each_problem_is_located_and_explained(tmp_path, old, new, expected):
    assert old in GOOD
    assert problems_for(tmp_path, GOOD.replace(old, new, 1)) == [expected]


@pytest.mark.parametrize(("text", "expected"), [
    ("Pas d'en-tête\n", "cases/test.md:1: la fiche ne commence pas par un en-tête YAML "
                        "(mettez une ligne --- en tête, les champs, puis une ligne ---)"),
    ("---\ntitle: x\n", "cases/test.md:1: en-tête YAML non fermé "
                        "(ajoutez une ligne --- après le dernier champ, avant le texte)"),
    ("---\ntitle: [x\n---\n", "cases/test.md:3: syntaxe YAML invalide : did not find expected ',' or ']' "
                              "(vérifiez l'indentation, les deux-points et les guillemets de cette ligne)"),
    ("---\ntitle: x\nterritory:\n\tname: y\n---\n",
     "cases/test.md:4: tabulation dans l'en-tête YAML (indentez avec des espaces, pas des tabulations)"),
    ("---\n- a\n- b\n---\n", "cases/test.md:2: l'en-tête YAML doit être une liste de champs « clé: valeur » "
                             "(écrivez par exemple  title: Mon titre)"),
    ("", "cases/test.md:1: fichier vide (partez du modèle : recueil new case <nom>)"),
])
def test_unreadable_front_matter(tmp_path, text, expected):
    assert problems_for(tmp_path, text) == [expected]


def test_every_problem_of_a_card_is_reported_at_once(tmp_path):
    text = GOOD.replace("themes: [mobilite]", "themes: [mobilit]").replace("\nyear: 2020", "\nyear: 2020.5") \
               .replace("status: en-cours", "status: x").replace("## Contexte", "## Context")
    lines = problems_for(tmp_path, text)
    assert [line.split(":")[2].strip() for line in lines] == ["themes[0]", "status", "year", "texte"]


def test_file_name_must_be_a_slug(tmp_path):
    project = mini_project(tmp_path, {"Mon Cas.md": GOOD})
    result = run_check(project)
    assert result.returncode == 1
    assert ("cases/Mon Cas.md:1: nom de fichier invalide (minuscules sans accent, chiffres et tirets : "
            "renommez-le mon-cas.md)") in result.stderr


def test_duplicate_recommendation_number_and_unused_recommendation(tmp_path):
    project = mini_project(tmp_path)
    text = (project / "recommendations" / "mesurer.md").read_text(encoding="utf-8")
    (project / "recommendations" / "autre.md").write_text(
        text.replace("id: mesurer", "id: autre").replace("number: 9", "number: 1"), encoding="utf-8")
    result = run_check(project)
    assert result.returncode == 1
    assert "recommendations/observer.md:3: number: le numéro 1 est déjà pris (par recommendations/autre.md)" \
        in result.stderr
    assert ("recommendations/autre.md:1: avertissement: aucune fiche expérience n'illustre cette recommandation "
            "(ajoutez son identifiant dans le champ recommendations d'un cas)") in result.stderr


def test_recommendation_id_must_match_file_name(tmp_path):
    project = mini_project(tmp_path)
    path = project / "recommendations" / "mesurer.md"
    path.write_text(path.read_text(encoding="utf-8").replace("id: mesurer", "id: mesure"), encoding="utf-8")
    result = run_check(project)
    assert "recommendations/mesurer.md:2: id: l'identifiant 'mesure' diffère du nom du fichier (écrivez id: mesurer)" \
        in result.stderr


def test_github_annotations(tmp_path):
    result = run_check(mini_project(tmp_path, {"test.md": GOOD.replace("[mobilite]", "[mobilit]")}), "--github")
    assert ("::error file=cases/test.md,line=9::themes[0]: 'mobilit' n'est pas un thème "
            "(vouliez-vous dire 'mobilite' ?)") in result.stderr
