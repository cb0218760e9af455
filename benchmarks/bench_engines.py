"""Build time of the same site with each engine: MkDocs 1.6 and ProperDocs (hooks), Zensical (prepare → build → finish).

For the real bank and for N cases (a copy of this repository completed by generated cards,
benchmarks/synthetic.py, as bench_build.py does), each engine builds the site with
`recueil build --engine …`, the PDF step off (RECUEIL_PDF=0: the booklet is the same for every
engine, made from the cards; benchmarks/bench_pdf.py measures it). The runs alternate between the
engines; the median is kept. Zensical's time is the whole pipeline (prepare, its build, finish).
Results: printed, and written to bench-results/engines-<date>.json and .md.

    .venv/bin/python benchmarks/bench_engines.py                  # real bank and 1,000 cases, 2 runs
    .venv/bin/python benchmarks/bench_engines.py --sizes 1000,5000 --runs 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_build import BIN, fr, make_project, timed  # noqa: E402

ENGINES = ("mkdocs", "properdocs", "zensical")


def build(engine: str, project: Path, out: Path) -> dict[str, float]:
    """One build with `engine`: wall time, processor time, peak memory; the engine's own build time."""
    command = [str(BIN / "recueil"), "--root", str(project), "build", "--engine", engine, "--out", str(out),
               "--work", str(out.parent / f"travail-{engine}")]
    run, _ = timed(command, project)
    shutil.rmtree(out, ignore_errors=True)
    return {"seconds": run.seconds, "cpu": run.cpu_seconds, "peak_mb": run.peak_mb}


def measure(project: Path, runs: int, work: Path) -> dict[str, dict[str, float]]:
    results: dict[str, list[dict[str, float]]] = {engine: [] for engine in ENGINES}
    for _ in range(runs):
        for engine in ENGINES:
            results[engine].append(build(engine, project, work / f"site-{engine}"))
    return {engine: {key: statistics.median(run[key] for run in runs_) for key in runs_[0]}
            for engine, runs_ in results.items()}


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Temps de construction du même site par chaque moteur")
    parser.add_argument("--sizes", default="1000", help="nombres de fiches, séparés par des virgules (défaut : 1000)")
    parser.add_argument("--runs", type=int, default=2, help="essais par moteur et par taille (défaut : 2)")
    parser.add_argument("--no-real", action="store_true", help="sans la banque réelle")
    parser.add_argument("--out", default=str(ROOT / "bench-results"), help="dossier des résultats")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    work = Path(tempfile.mkdtemp(prefix="recueil-engines-"))
    todo: list[tuple[str, int | None]] = ([] if args.no_real else [("réel", None)])
    todo += [(fr(int(size), 0), int(size)) for size in args.sizes.split(",") if size.strip()]
    rows: list[dict[str, Any]] = []
    try:
        for label, count in todo:
            project = make_project(work / f"projet-{count or 'reel'}", count)
            cases = len(list((project / "cases").glob("*.md")))
            rows.append({"label": label, "cases": cases, "load": os.getloadavg()[0],
                         "engines": measure(project, args.runs, work)})
            print(table(rows[-1:]), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y-%m-%d-%H%M")
    (out / f"engines-{stamp}.json").write_text(json.dumps(rows, indent=1, ensure_ascii=False), encoding="utf-8")
    (out / f"engines-{stamp}.md").write_text(table(rows), encoding="utf-8")
    print(f"résultats : {out}/engines-{stamp}.md")
    return 0


def table(rows: list[dict[str, Any]]) -> str:
    lines = ["| Fiches | " + " | ".join(ENGINES) + " |", "|---:|" + "---:|" * len(ENGINES)]
    for row in rows:
        cells = [f"{fr(row['engines'][engine]['seconds'])} s ({fr(row['engines'][engine]['cpu'])} s proc., "
                 f"{fr(row['engines'][engine]['peak_mb'], 0)} Mo)" for engine in ENGINES]
        lines.append(f"| {row['label']} ({row['cases']}) | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
