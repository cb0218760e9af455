"""Rebuild the territory reference from the official npm package (maintainers only, needs npm).

    python -m recueil.territories.refresh            # the pinned version
    python -m recueil.territories.refresh --version 6.1.0

`npm pack` fetches `@etalab/decoupage-administratif` (code MIT, data Licence Ouverte: Insee's Code
officiel géographique, DGCL's EPCI list, Insee's legal populations); this script keeps what the
site needs and writes `recueil/territories/data/reference.json.gz`. See data/README.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

PACKAGE = "@etalab/decoupage-administratif"
VERSION = "6.0.0"
# The population the package gives for each commune: Insee's « population municipale » (build/population.js
# reads the PMUN column) of the legal populations in force on 1 January of the package's year (2026 for
# 6.0.0), whose census year is three years earlier. Change both when refreshing to another vintage.
POPULATION_YEAR = 2023
IN_FORCE = 2026
DATA = Path(__file__).parent / "data"
REFERENCE = DATA / "reference.json.gz"
CURRENT = "commune-actuelle"


def department_of(code: str) -> str:
    """The département of a commune: the first two characters of its code, three overseas (97…, 98…)."""
    return code[:3] if code[:2] in ("97", "98") else code[:2]


def fetch(version: str, folder: Path) -> Path:
    """The package's data folder, unpacked from `npm pack` (the npm registry, nothing else)."""
    subprocess.run(["npm", "pack", f"{PACKAGE}@{version}", "--silent"], cwd=folder, check=True,
                   stdout=subprocess.DEVNULL)
    archive = next(folder.glob("*.tgz"))
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")
    return folder / "package" / "data"


def derive(data: Path, version: str) -> dict[str, Any]:
    def read(name: str) -> list[dict[str, Any]]:
        return json.loads((data / f"{name}.json").read_text(encoding="utf-8"))

    communes = [c for c in read("communes") if c["type"] == CURRENT]
    population = {c["code"]: c.get("population") for c in communes}
    epci_of: dict[str, str] = {}
    epcis = []
    for epci in sorted(read("epci"), key=lambda e: e["code"]):
        members = sorted(member["code"] for member in epci["membres"])
        for code in members:
            epci_of[code] = epci["code"]
        # The sum of the members' populations: the same vintage as the communes (the package's EPCI
        # totals come from the DGCL file, one vintage older).
        total = sum(population.get(code) or 0 for code in members)
        epcis.append([epci["code"], epci["nom"], epci["type"], total])  # members: the communes' EPCI column
    former: dict[str, str] = {}
    for commune in read("communes"):
        if commune["type"] == CURRENT:
            for old in commune.get("anciensCodes", []):
                former.setdefault(old, commune["code"])
        elif commune.get("chefLieu") and commune["code"] != commune["chefLieu"]:
            former.setdefault(commune["code"], commune["chefLieu"])
    current = {c["code"] for c in communes}
    for commune in communes:  # the loader reads the département from the code
        assert department_of(commune["code"]) == commune["departement"], commune
    return {
        "source": {"package": PACKAGE, "version": version, "licence": "MIT (code), Licence Ouverte 2.0 (données)",
                   "population": "municipale", "population_year": POPULATION_YEAR, "in_force": IN_FORCE},
        "regions": sorted([r["code"], r["nom"]] for r in read("regions")),
        "departements": sorted([d["code"], d["nom"], d["region"]] for d in read("departements")),
        "communes": [[c["code"], c["nom"], epci_of.get(c["code"], ""), c.get("population")]
                     for c in sorted(communes, key=lambda c: c["code"])],
        "epci": epcis,
        "former": {old: new for old, new in sorted(former.items()) if old not in current},
    }


def write(reference: dict[str, Any], target: Path = REFERENCE) -> int:
    raw = json.dumps(reference, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))  # mtime=0: the same data, the same bytes
    return target.stat().st_size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default=VERSION)
    parser.add_argument("--from", dest="folder", help="a data/ folder already unpacked (no npm)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(args.folder) if args.folder else fetch(args.version, Path(tmp))
        reference = derive(data, args.version)
    size = write(reference)
    print(f"{REFERENCE}: {len(reference['communes'])} communes, {len(reference['epci'])} EPCI, "
          f"{len(reference['former'])} anciens codes, {size / 1024:.0f} Kio", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
