from pathlib import Path

import pytest

from recueil.cards.taxonomy import TaxonomyError, load_taxonomy

ROOT = Path(__file__).resolve().parent.parent
TAXONOMY = load_taxonomy(ROOT / "taxonomies.yml")


@pytest.mark.parametrize(("population", "stratum"), [
    (0, "village"), (3_499, "village"), (3_500, "petite-ville"), (19_999, "petite-ville"),
    (20_000, "ville-moyenne"), (99_999, "ville-moyenne"), (100_000, "grande-ville"),
    (499_999, "grande-ville"), (500_000, "metropole"), (2_200_000, "metropole"), (None, "non-renseignee"),
])
def test_stratum_is_computed_from_population(population, stratum):
    assert TAXONOMY.stratum_for(population).id == stratum


def test_required_vocabularies_are_present():
    assert TAXONOMY.ids("axes") == ["A", "B", "C", "D"]
    assert {"mobilite", "energie", "commerce", "ilots-chaleur-adaptation", "donnees-personnelles",
            "ouverture-donnees", "gouvernance-donnees"} <= set(TAXONOMY.ids("themes"))
    assert TAXONOMY.ids("strata") == ["village", "petite-ville", "ville-moyenne", "grande-ville", "metropole",
                                      "non-renseignee"]


def test_broken_vocabulary_file_is_reported_plainly(tmp_path):
    broken = tmp_path / "taxonomies.yml"
    broken.write_text("themes: []\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match="vocabulaire\\(s\\) manquant\\(s\\) : axes, strata"):
        load_taxonomy(broken)


def test_markup_in_a_vocabulary_label_is_refused(tmp_path):
    text = (ROOT / "taxonomies.yml").read_text(encoding="utf-8").replace("label: Mobilité", "label: <b>Mobilité</b>")
    broken = tmp_path / "taxonomies.yml"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(TaxonomyError, match="themes 'mobilite' : balise ou entité HTML interdite"):
        load_taxonomy(broken)


def test_broken_vocabulary_fails_the_build_without_traceback(tmp_path):
    from tests.conftest import build_site
    from tests.helpers import mini_project

    project = mini_project(tmp_path / "p")
    (project / "taxonomies.yml").write_text("themes: [\n", encoding="utf-8")
    result = build_site(project, tmp_path / "site")
    assert result.returncode == 1
    assert "lecture impossible du fichier de vocabulaires" in result.stderr
    assert "Traceback" not in result.stderr
