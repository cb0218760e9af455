"""Valid synthetic case cards, for benchmarks and scale tests (varied themes, sizes, lengths).

Lengths follow the real bank: most cards are 2–5 kB like the ones in cases/ (mean 3.7 kB),
some are longer, a few are about three times the longest real card, so that the page-size
target is checked on the heavy tail too. Optional fields (actors, data, key figures, end
year, population) are present on some cards only, as in real ones.
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml

# The theme ids of the real vocabulary, so that a synthetic card stays valid when themes change.
THEMES = [theme["id"] for theme in yaml.safe_load(
    (Path(__file__).resolve().parent.parent / "taxonomies.yml").read_text(encoding="utf-8"))["themes"]]
RECOMMENDATIONS = ["observer-les-usages", "choisir-son-vade-mecum", "referentiel-evaluation", "usages-donnee-citoyens",
                   "inclusivite-data-services", "federer-donnee-interet-general", "regies-donnees-territoriales",
                   "co-concevoir-co-experimenter", "mesurer-impacts"]
REGIONS = ["Bretagne", "Occitanie", "Grand Est", "Hauts-de-France", "Normandie", "Nouvelle-Aquitaine",
           "Auvergne-Rhône-Alpes", "Pays de la Loire", "Île-de-France", "Bourgogne-Franche-Comté"]
KINDS = ["commune", "commune", "commune", "intercommunalite", "intercommunalite", "departement", "region"]
PROGRAMMES = [None, None, "tee-2022", "datacites-1", "datacites-2", "coeur-de-ville-donnees"]
WORD_TEXT = ("données capteurs habitants service réseau quartier tableau bord ouverture portail usages partage "
         "collectivité mobilité énergie arbres chaleur atelier médiation évaluation indicateurs budget "
         "élus agents convention marché prestataire licence publication jeu plateforme cartographie "
         "inventaire consommation bâtiments éclairage stationnement transport déchets collecte eau "
         "association université laboratoire open data interopérabilité sobriété confiance")
WORDS = WORD_TEXT.split()
ORGS = ["Mairie", "Communauté de communes", "Syndicat d'énergie", "Association locale", "Université",
        "Office de tourisme", "Bailleur social", "Agence d'urbanisme", "Région", "Département"]
CASE_SECTIONS = ("Contexte", "Action mise en œuvre", "Résultats et perspectives", "En savoir plus")
# Words per section: (share of cards, lowest, highest). Real cards have 60–200 words a section.
LENGTHS = ((0.70, 30, 130), (0.25, 130, 300), (0.05, 250, 420))


def _population(rng: random.Random) -> int | None:
    return rng.choice([None, rng.randint(200, 3_400), rng.randint(3_500, 19_999), rng.randint(20_000, 99_999),
                       rng.randint(100_000, 499_999), rng.randint(500_000, 2_000_000)])


def _territory(i: int, rng: random.Random) -> dict[str, object]:
    territory: dict[str, object] = {"name": f"Commune synthétique {i}", "kind": rng.choice(KINDS),
                                    "region": rng.choice(REGIONS), "country": "France",
                                    "lat": round(rng.uniform(43.0, 50.5), 4), "lon": round(rng.uniform(-4.0, 7.5), 4)}
    population = _population(rng)
    if population is not None:
        territory.update(population=population, population_year=2021, population_source="synthétique")
    return territory


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choices(WORDS, k=words)).capitalize() + "."


def _section_text(rng: random.Random, words: int) -> str:
    """About `words` words, in paragraphs of 20–120 words."""
    paragraphs = []
    while words > 0:
        size = min(words, rng.randint(20, 120))
        paragraphs.append(_sentence(rng, size))
        words -= size
    return "\n\n".join(paragraphs)


def _optional_fields(meta: dict[str, object], rng: random.Random) -> None:
    if rng.random() < 0.6:
        meta["actors"] = rng.sample(ORGS, rng.randint(1, 4))
    if rng.random() < 0.5:
        meta["data"] = [_sentence(rng, rng.randint(2, 6)) for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.4:
        meta["key_figures"] = [{"label": _sentence(rng, 3), "value": str(rng.randint(1, 5000))}
                               for _ in range(rng.randint(1, 4))]
    if meta["status"] == "realise" and rng.random() < 0.5:
        meta["end_year"] = int(str(meta["year"])) + rng.randint(0, 4)


def synthetic_case(i: int, rng: random.Random) -> str:
    meta: dict[str, object] = {
        "title": f"Expérience synthétique {i} : {' '.join(rng.sample(WORDS, 4))}",
        "summary": _sentence(rng, rng.randint(12, 35))[:380],
        "territory": _territory(i, rng),
        "themes": rng.sample(THEMES, rng.randint(1, 3)),
        "recommendations": rng.sample(RECOMMENDATIONS, rng.randint(1, 3)),
        "programme": rng.choice(PROGRAMMES),
        "status": rng.choice(["projet", "en-cours", "realise"]),
        "year": rng.randint(2010, 2024),
        "sources": [{"title": f"Source synthétique {i}.{k}", "url": f"https://example.org/cas/{i}/{k}",
                     "date": str(rng.randint(2015, 2025))}
                    for k in range(rng.randint(1, 3))],
        "last_verified": "2026-01-15",
    }
    if meta["programme"] is None:
        del meta["programme"]
    _optional_fields(meta, rng)
    share = rng.random()
    low, high = next((low, high) for cut, low, high in _cumulative(LENGTHS) if share < cut)
    body = "\n\n".join(f"## {title}\n\n{_section_text(rng, rng.randint(low, high))}" for title in CASE_SECTIONS)
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    return f"---\n{front}---\n\n{body}\n"


def _cumulative(lengths: tuple[tuple[float, int, int], ...]) -> list[tuple[float, int, int]]:
    total, result = 0.0, []
    for share, low, high in lengths:
        total += share
        result.append((total, low, high))
    result[-1] = (1.0 + 1e-9, *result[-1][1:])
    return result


def write_synthetic_cases(folder: Path, n: int, seed: int = 0) -> list[Path]:
    """Write n valid case cards `synthetique-<i>.md` into folder; same seed, same files."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"synthetique-{i:05d}.md"
        path.write_text(synthetic_case(i, rng), encoding="utf-8")
        paths.append(path)
    return paths


# --- copies of the real cards ----------------------------------------------------------------------

REAL_CASES = Path(__file__).resolve().parent.parent / "cases"


def _split_card(text: str) -> tuple[dict[str, object], str]:
    _, front, body = text.split("---\n", 2)
    meta = yaml.safe_load(front)
    assert isinstance(meta, dict)
    return meta, body


def copied_case(i: int, original: str, rng: random.Random) -> str:
    """A real card under another title and territory name, its population scaled (so its size
    stratum may change); its body (tables, lists, links, headings) and every other field kept.
    A card that names its territory by code alone keeps it: its name and population come from
    the reference, as the original's do."""
    meta, body = _split_card(original)
    meta["title"] = f"{meta['title']} (copie {i})"
    territory = dict(meta["territory"])  # type: ignore[call-overload]
    if "name" in territory:
        territory["name"] = f"{territory['name']} {i}"
    if isinstance(territory.get("population"), int):
        territory["population"] = max(50, int(territory["population"] * rng.uniform(0.2, 3.0)))
    meta["territory"] = territory
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{front}---\n{body}"


def write_real_copies(folder: Path, n: int, seed: int = 0, source: Path = REAL_CASES) -> list[Path]:
    """Write n cards `copie-<i>.md` into folder, copies of the real cards of `source` in turn
    (the shape of real bodies, which the generated cards lack); same seed, same files."""
    rng = random.Random(seed)
    originals = [path.read_text(encoding="utf-8") for path in sorted(source.glob("*.md"))]
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"copie-{i:05d}.md"
        path.write_text(copied_case(i, originals[i % len(originals)], rng), encoding="utf-8")
        paths.append(path)
    return paths
