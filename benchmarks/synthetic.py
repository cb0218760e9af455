"""Valid synthetic case cards, for benchmarks and scale tests (varied themes, sizes, lengths)."""

from __future__ import annotations

import random
from pathlib import Path

import yaml

THEMES = ["mobilite", "energie", "dechets-economie-circulaire", "commerce", "culture-patrimoine-tourisme",
          "logement", "biodiversite-nature", "ilots-chaleur-adaptation", "risques-naturels", "inclusion-numerique",
          "participation-citoyenne", "sante", "education-formation", "donnees-personnelles", "gouvernance-donnees",
          "services-publics-en-ligne", "attractivite-economique", "solidarites", "strategie-numerique"]
RECOMMENDATIONS = ["observer-les-usages", "choisir-son-vade-mecum", "referentiel-evaluation", "usages-donnee-citoyens",
                   "inclusivite-data-services", "federer-donnee-interet-general", "regies-donnees-territoriales",
                   "co-concevoir-co-experimenter", "mesurer-impacts"]
REGIONS = ["Bretagne", "Occitanie", "Grand Est", "Hauts-de-France", "Normandie", "Nouvelle-Aquitaine",
           "Auvergne-Rhône-Alpes", "Pays de la Loire", "Île-de-France", "Bourgogne-Franche-Comté"]
WORDS = ("données capteurs habitants service réseau quartier tableau bord ouverture portail usages partage "
         "collectivité mobilité énergie arbres chaleur atelier médiation évaluation indicateurs").split()


def synthetic_case(i: int, rng: random.Random) -> str:
    population = rng.choice([None, rng.randint(200, 3_400), rng.randint(3_500, 19_999), rng.randint(20_000, 99_999),
                             rng.randint(100_000, 499_999), rng.randint(500_000, 2_000_000)])
    territory: dict[str, object] = {"name": f"Commune synthétique {i}", "kind": "commune",
                                    "region": rng.choice(REGIONS), "country": "France",
                                    "lat": round(rng.uniform(43.0, 50.5), 4), "lon": round(rng.uniform(-4.0, 7.5), 4)}
    if population is not None:
        territory.update(population=population, population_year=2021, population_source="synthétique")
    meta = {
        "title": f"Expérience synthétique {i} : {' '.join(rng.sample(WORDS, 4))}",
        "summary": " ".join(rng.choices(WORDS, k=30)).capitalize() + ".",
        "territory": territory,
        "themes": rng.sample(THEMES, rng.randint(1, 3)),
        "recommendations": rng.sample(RECOMMENDATIONS, rng.randint(1, 3)),
        "programme": rng.choice([None, "tee-2022", "datacites-2", "coeur-de-ville-donnees"]),
        "status": rng.choice(["projet", "en-cours", "realise"]),
        "year": rng.randint(2010, 2024),
        "sources": [{"title": f"Source synthétique {i}", "url": f"https://example.org/cas/{i}"}],
        "last_verified": "2026-01-15",
    }
    if meta["programme"] is None:
        del meta["programme"]
    paragraphs = lambda: "\n\n".join(  # noqa: E731
        " ".join(rng.choices(WORDS, k=rng.randint(20, 120))).capitalize() + "." for _ in range(rng.randint(1, 3)))
    body = "\n\n".join(f"## {title}\n\n{paragraphs()}" for title in
                       ("Contexte", "Action mise en œuvre", "Résultats et perspectives", "En savoir plus"))
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    return f"---\n{front}---\n\n{body}\n"


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
